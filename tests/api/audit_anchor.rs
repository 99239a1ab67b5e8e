//! The audit chain anchored outside the database (docs/decisions/0024): a database
//! writer who rewrites the chain consistently still passes `verify`, but not a signed
//! checkpoint taken before; forged checkpoints are refused; the daily job signs once a
//! day by the office clock and mails the security officer; the public page lists the
//! checkpoints; the CLI does all of it as an operator would.

use axum::http::StatusCode;
use ed25519_dalek::SigningKey;
use magistrat::audit::anchor::{self, Anchored, Checkpoint, Taken};
use magistrat::audit::publish;
use magistrat::db::Pool;
use magistrat::db::audit::{self, Actor, AuditEvent, Change, Verdict};
use magistrat::mailer::Mailer;

use crate::backend_tests;
use crate::cli::{magistrat, text};
use crate::helpers::TestApp;
use crate::smtp_sink::SmtpSink;

backend_tests!(
    spawn = super::on_monday;
    an_edited_and_recomputed_chain_passes_verify_but_not_the_checkpoint,
    deleting_the_last_events_and_moving_the_head_back_is_caught,
    forged_checkpoints_are_refused,
    the_daily_job_signs_once_a_day_mails_the_officer_and_publishes,
    a_broken_chain_is_not_signed_but_raised,
    the_cli_anchors_and_verifies,
);

/// A demo office whose clock reads Monday 7 December 2026, 09:00 in Warsaw.
async fn on_monday(backend: crate::helpers::Backend) -> Option<TestApp> {
    TestApp::spawn_with_clock(backend, "2026-12-07T08:00:00Z").await
}

/// The office's key in these tests (any 32 bytes are an Ed25519 secret key).
fn office_key() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

async fn checkpoint(app: &TestApp) -> Checkpoint {
    match anchor::take(&app.db, &office_key(), &Actor::system("test"))
        .await
        .unwrap()
    {
        Taken::Signed(c) => c,
        Taken::ChainBroken { seq, problem } => panic!("chain broken at {seq}: {problem}"),
    }
}

/// Some ordinary activity: events after a checkpoint.
async fn record_events(app: &TestApp, n: usize) {
    for i in 0..n {
        audit::record_alone(
            &app.db,
            &Actor::system("test"),
            Change::action("viewed", "case_file", i),
        )
        .await
        .unwrap();
    }
}

async fn events_from(app: &TestApp, from: i64) -> Vec<AuditEvent> {
    let sql = "SELECT * FROM audit_event WHERE seq >= $1 ORDER BY seq";
    match &app.db.pool {
        Pool::Sqlite(p) => sqlx::query_as(sql).bind(from).fetch_all(p).await.unwrap(),
        Pool::Postgres(p) => sqlx::query_as(sql).bind(from).fetch_all(p).await.unwrap(),
    }
}

/// What an attacker with write access to the database does: edits event `seq` with
/// raw SQL, then recomputes the hash of it and of every event after it with the
/// trail's own hash function, and moves the head to the new last hash.
async fn rewrite_event(app: &TestApp, seq: i64, new_after_json: &str) {
    app.exec(&format!(
        "UPDATE audit_event SET after_json = '{new_after_json}' WHERE seq = {seq}"
    ))
    .await;
    let mut prev = app
        .scalar_text(&format!(
            "SELECT COALESCE((SELECT hash FROM audit_event WHERE seq = {}), '{}')",
            seq - 1,
            audit::GENESIS_HASH
        ))
        .await;
    for mut event in events_from(app, seq).await {
        event.prev_hash = prev;
        event.hash = event.compute_hash();
        app.exec(&format!(
            "UPDATE audit_event SET prev_hash = '{}', hash = '{}' WHERE seq = {}",
            event.prev_hash, event.hash, event.seq
        ))
        .await;
        prev = event.hash;
    }
    app.exec(&format!(
        "UPDATE audit_head SET last_hash = '{prev}' WHERE id = 1"
    ))
    .await;
}

async fn an_edited_and_recomputed_chain_passes_verify_but_not_the_checkpoint(app: TestApp) {
    let monday = checkpoint(&app).await;
    record_events(&app, 5).await;
    let tuesday = checkpoint(&app).await;
    record_events(&app, 3).await;
    let key = office_key().verifying_key();
    let both = [monday.clone(), tuesday.clone()];
    assert_eq!(
        anchor::verify_against(&app.db, &both, &key).await.unwrap(),
        Anchored::Holds {
            seq: tuesday.seq,
            checkpoints: 2
        }
    );

    // An event between the two checkpoints is edited and the chain recomputed.
    let edited = monday.seq + 2;
    rewrite_event(&app, edited, "{\"name\":\"forged\"}").await;
    // The documented limitation: the chain alone is consistent again.
    assert!(
        matches!(
            audit::verify(&app.db).await.unwrap(),
            Verdict::Intact { .. }
        ),
        "a consistent rewrite passes plain verify"
    );
    // Monday's checkpoint still holds (nothing before it changed)…
    assert!(matches!(
        anchor::verify_against(&app.db, std::slice::from_ref(&monday), &key)
            .await
            .unwrap(),
        Anchored::Holds { .. }
    ));
    // …Tuesday's does not, and the pair narrows the change to between them.
    assert_eq!(
        anchor::verify_against(&app.db, &both, &key).await.unwrap(),
        Anchored::Rewritten {
            seq: tuesday.seq,
            taken_at: tuesday.taken_at.clone(),
            agrees_until: Some(monday.seq),
        }
    );

    // An edit before the first checkpoint: nothing agrees.
    rewrite_event(&app, 3, "{\"name\":\"older forgery\"}").await;
    assert!(matches!(
        audit::verify(&app.db).await.unwrap(),
        Verdict::Intact { .. }
    ));
    assert_eq!(
        anchor::verify_against(&app.db, &both, &key).await.unwrap(),
        Anchored::Rewritten {
            seq: monday.seq,
            taken_at: monday.taken_at.clone(),
            agrees_until: None,
        }
    );
}

async fn deleting_the_last_events_and_moving_the_head_back_is_caught(app: TestApp) {
    let signed = checkpoint(&app).await;
    record_events(&app, 2).await;
    // The last three events the checkpoint covers go, and everything after them; the
    // head is moved back to the event before.
    let kept = signed.seq - 3;
    app.exec(&format!("DELETE FROM audit_event WHERE seq > {kept}"))
        .await;
    let hash = app
        .scalar_text(&format!("SELECT hash FROM audit_event WHERE seq = {kept}"))
        .await;
    app.exec(&format!(
        "UPDATE audit_head SET last_seq = {kept}, last_hash = '{hash}' WHERE id = 1"
    ))
    .await;
    assert_eq!(
        audit::verify(&app.db).await.unwrap(),
        Verdict::Intact {
            events: kept,
            head_hash: hash
        },
        "the truncated chain is consistent"
    );
    assert_eq!(
        anchor::verify_against(
            &app.db,
            std::slice::from_ref(&signed),
            &office_key().verifying_key()
        )
        .await
        .unwrap(),
        Anchored::Truncated {
            first_missing: kept + 1,
            seq: signed.seq
        }
    );
    // New events written after the deletion take the deleted numbers: still caught.
    record_events(&app, 4).await;
    assert!(matches!(
        anchor::verify_against(&app.db, std::slice::from_ref(&signed), &office_key().verifying_key())
            .await
            .unwrap(),
        Anchored::Rewritten { seq, .. } if seq == signed.seq
    ));
}

async fn forged_checkpoints_are_refused(app: TestApp) {
    let signed = checkpoint(&app).await;
    let key = office_key().verifying_key();
    // After a rewrite the attacker puts the new head hash into the checkpoint.
    rewrite_event(&app, 4, "{\"name\":\"forged\"}").await;
    let new_hash = app
        .scalar_text(&format!(
            "SELECT hash FROM audit_event WHERE seq = {}",
            signed.seq
        ))
        .await;
    let mut altered = signed.clone();
    altered.head_hash = new_hash.clone();
    assert_eq!(
        anchor::verify_against(&app.db, &[altered], &key)
            .await
            .unwrap(),
        Anchored::BadSignature { seq: signed.seq }
    );
    // Or signs one with a key of their own: refused against the office's key.
    let theirs = SigningKey::from_bytes(&[7; 32]);
    let mut own = Checkpoint::sign(
        &theirs,
        signed.seq,
        signed.events,
        &new_hash,
        magistrat::db::UtcTime::from_timestamp(app.clock().timestamp()),
    );
    assert_eq!(
        anchor::verify_against(&app.db, &[own.clone()], &key)
            .await
            .unwrap(),
        Anchored::BadSignature { seq: signed.seq }
    );
    // Naming the office's key in it does not help.
    own.public_key = signed.public_key.clone();
    assert_eq!(
        anchor::verify_against(&app.db, &[own], &key).await.unwrap(),
        Anchored::BadSignature { seq: signed.seq }
    );
    // A row forged in the table is published as stored, and fails wherever checked.
    app.exec(&format!(
        "UPDATE audit_checkpoint SET head_hash = '{new_hash}'"
    ))
    .await;
    let published = anchor::list(&app.db, 10).await.unwrap();
    assert!(!published[0].signed_by(&key));
}

fn settings(officer: Option<&str>) -> publish::Settings {
    publish::Settings {
        key: std::sync::Arc::new(office_key()),
        security_officer_email: officer.map(str::to_owned),
        public_url: Some("https://bip.borowiec.example.pl".to_owned()),
        hour: 0,
    }
}

fn mailer(url: &str) -> Mailer {
    Mailer::from_config(&magistrat::config::Config {
        smtp_url: Some(url.to_owned()),
        ..Default::default()
    })
    .unwrap()
}

async fn job_finished(app: &TestApp, day: &str) -> bool {
    magistrat::platform::jobs::recorded(&app.db, publish::JOB, day)
        .await
        .unwrap()
        .is_some_and(|run| run.finished_at.is_some())
}

async fn the_daily_job_signs_once_a_day_mails_the_officer_and_publishes(app: TestApp) {
    let sink = SmtpSink::start().await;
    let officer = "inspektor.bezpieczenstwa@borowiec.example.pl";
    let job = publish::job(settings(Some(officer)), mailer(&sink.url));
    // Two app servers' runners: the day is signed once.
    let other = magistrat::db::Db::connect(&app.database_url, 2)
        .await
        .unwrap()
        .with_clock(app.db.clock().clone());
    let first = magistrat::platform::jobs::spawn(&app.db, vec![job.clone()]);
    let second = magistrat::platform::jobs::spawn(&other, vec![job.clone()]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !job_finished(&app, "2026-12-07").await {
        assert!(std::time::Instant::now() < deadline, "the job did not run");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    drop((first, second));
    other.close().await;
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_checkpoint").await, 1);
    let messages = sink.messages();
    assert_eq!(messages.len(), 1, "one mail a day");
    assert_eq!(messages[0].to, vec![format!("<{officer}>")]);
    // The mail carries the checkpoint itself, and it verifies against the trail.
    let body = messages[0].body();
    let json = &body[body.find('{').unwrap()..=body.rfind('}').unwrap()];
    let mailed = anchor::parse_checkpoints(json).unwrap();
    assert!(
        messages[0]
            .subject()
            .contains(&format!("zdarzenie nr {}", mailed[0].seq)),
        "{}",
        messages[0].subject()
    );
    assert!(body.contains("https://bip.borowiec.example.pl/audit/checkpoints"));
    assert!(matches!(
        anchor::verify_against(&app.db, &mailed, &office_key().verifying_key())
            .await
            .unwrap(),
        Anchored::Holds { .. }
    ));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'audit_checkpoint.create'")
            .await,
        1
    );

    // The same day again: already done. The next day by the office clock: a new one.
    let now = app.db.clock().now_in_warsaw();
    let today = job.schedule.due(&now).unwrap();
    assert!(!job.run_period(&app.db, &today).await.unwrap());
    app.clock().advance(jiff::SignedDuration::from_hours(24));
    let tomorrow = job.schedule.due(&app.db.clock().now_in_warsaw()).unwrap();
    assert_eq!(tomorrow.key, "2026-12-08");
    assert!(job.run_period(&app.db, &tomorrow).await.unwrap());
    assert_eq!(sink.messages().len(), 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_checkpoint").await, 2);

    // Published to everyone, without signing in: HTML (both languages), JSON, text.
    let list = anchor::list(&app.db, 10).await.unwrap();
    let page = app.get("/audit/checkpoints").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Punkty kontrolne dziennika zdarzeń"));
    for c in &list {
        assert!(page.body.contains(&c.head_hash) && page.body.contains(&c.signature));
    }
    assert!(page.body.contains(&list[0].public_key));
    assert!(page.body.contains("<caption"));
    app.get("/lang/en?next=/").await;
    let english = app.get("/audit/checkpoints").await;
    assert!(english.body.contains("Audit trail checkpoints"));
    let json = app.get("/audit/checkpoints.json").await;
    assert_eq!(json.status, StatusCode::OK);
    let published = anchor::parse_checkpoints(&json.body).unwrap();
    assert_eq!(published, list);
    assert!(matches!(
        anchor::verify_against(&app.db, &published, &office_key().verifying_key())
            .await
            .unwrap(),
        Anchored::Holds { checkpoints: 2, .. }
    ));
    let plain = app.get("/audit/checkpoints.txt").await;
    assert!(
        plain.headers[axum::http::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert_eq!(
        plain.body.lines().filter(|l| !l.starts_with('#')).count(),
        2
    );
    assert!(plain.body.contains(&format!(
        "{} {} {} {}",
        list[0].taken_at, list[0].seq, list[0].events, list[0].head_hash
    )));
}

async fn a_broken_chain_is_not_signed_but_raised(app: TestApp) {
    let sink = SmtpSink::start().await;
    app.exec("UPDATE audit_event SET actor_login = 'someone-else' WHERE seq = 6")
        .await;
    let job = publish::job(
        settings(Some("bezpieczenstwo@borowiec.example.pl")),
        mailer(&sink.url),
    );
    let today = job.schedule.due(&app.db.clock().now_in_warsaw()).unwrap();
    assert!(job.run_period(&app.db, &today).await.unwrap());
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_checkpoint").await, 0);
    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].subject().contains("ALARM") && messages[0].subject().contains("nr 6"),
        "{}",
        messages[0].subject()
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'audit_chain.broken' AND entity_id = '6'")
            .await,
        1
    );
}

/// The operator's path through the real binary: keygen, checkpoint, verify --against
/// before and after a rewrite, a forged file, the wrong key, a file that is no
/// checkpoint.
async fn the_cli_anchors_and_verifies(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("audit.key");
    let key_path = key_file.to_str().unwrap();
    let keygen = magistrat(&["audit", "keygen", "--output", key_path], &[], None);
    assert!(keygen.status.success(), "{}", text(&keygen));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let public_key = text(&keygen)
        .lines()
        .find_map(|l| l.strip_prefix("public key: "))
        .unwrap()
        .to_owned();
    let again = magistrat(&["audit", "keygen", "--output", key_path], &[], None);
    assert_eq!(
        again.status.code(),
        Some(2),
        "an existing key is never overwritten"
    );

    let url = app.database_url.as_str();
    let env = [("MAGISTRAT_AUDIT_SIGNING_KEY_FILE", key_path)];
    let file = dir.path().join("checkpoint.json");
    let file_path = file.to_str().unwrap();
    let made = magistrat(
        &[
            "audit",
            "checkpoint",
            "--output",
            file_path,
            "--database-url",
            url,
        ],
        &env,
        None,
    );
    assert!(made.status.success(), "{}", text(&made));
    let signed = &anchor::parse_checkpoints(&std::fs::read_to_string(&file).unwrap()).unwrap()[0];
    assert_eq!(signed.public_key, public_key);
    let verify_against = |file: &str, key: &str| {
        magistrat(
            &[
                "audit",
                "verify",
                "--against",
                file,
                "--public-key",
                key,
                "--database-url",
                url,
            ],
            &[],
            None,
        )
    };
    let holds = verify_against(file_path, &public_key);
    assert!(holds.status.success(), "{}", text(&holds));

    rewrite_event(&app, 5, "{\"name\":\"forged\"}").await;
    let plain = magistrat(&["audit", "verify", "--database-url", url], &[], None);
    assert!(
        plain.status.success(),
        "documented limitation: {}",
        text(&plain)
    );
    let caught = verify_against(file_path, &public_key);
    assert_eq!(caught.status.code(), Some(1));
    assert!(
        text(&caught).contains("REWRITTEN") && text(&caught).contains(&format!("#{}", signed.seq)),
        "{}",
        text(&caught)
    );

    // The checkpoint altered to the rewritten head: refused.
    let forged_file = dir.path().join("forged.json");
    let mut forged = signed.clone();
    forged.head_hash = app
        .scalar_text(&format!(
            "SELECT hash FROM audit_event WHERE seq = {}",
            signed.seq
        ))
        .await;
    std::fs::write(&forged_file, serde_json::to_string(&forged).unwrap()).unwrap();
    let refused = verify_against(forged_file.to_str().unwrap(), &public_key);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused).contains("REFUSED"), "{}", text(&refused));
    // The genuine file checked against someone else's key: refused too.
    let other = hex::encode(SigningKey::from_bytes(&[7; 32]).verifying_key().as_bytes());
    assert!(text(&verify_against(file_path, &other)).contains("REFUSED"));
    // Not a checkpoint: a usage error.
    std::fs::write(dir.path().join("junk.json"), "{\"x\": 1}").unwrap();
    let junk = verify_against(dir.path().join("junk.json").to_str().unwrap(), &public_key);
    assert_eq!(junk.status.code(), Some(2), "{}", text(&junk));
    // No key configured: checkpoint refuses clearly.
    let no_key = magistrat(&["audit", "checkpoint", "--database-url", url], &[], None);
    assert_eq!(no_key.status.code(), Some(2));
    assert!(text(&no_key).contains("audit_signing_key_file"));
}
