//! The daily deadline reminders against a real SMTP conversation (tests/api/smtp_sink.rs):
//! who gets which mail, what it says, once per day, and a mail server that is down.

use jiff::civil::Date;
use magistrat::cases::store::{self, Channel, NewCase};
use magistrat::db::audit::Actor;
use magistrat::mailer::Mailer;
use magistrat::reminders::{self, Outcome, RunOptions, Settings};
use magistrat_domain::deadline::CaseKind;

use crate::backend_tests;
use crate::helpers::TestApp;
use crate::smtp_sink::{Received, SmtpSink};

backend_tests!(
    demo_office_gets_its_reminders_once_a_day,
    exactly_the_cases_in_the_window_are_mailed,
    a_mail_server_that_is_down_is_recorded_not_fatal,
    dry_run_sends_and_records_nothing,
    two_servers_on_one_database_send_once,
    a_failed_read_gives_the_day_back,
    the_server_runners_send_once_a_day,
);

fn mailer(url: &str) -> Mailer {
    let config = magistrat::config::Config {
        smtp_url: Some(url.to_owned()),
        mail_from: "Urząd Miejski w Borowcu <urzad@borowiec.example.pl>".to_owned(),
        ..Default::default()
    };
    Mailer::from_config(&config).unwrap()
}

fn settings() -> Settings {
    Settings {
        days_ahead: 3,
        public_url: Some("https://bip.borowiec.example.pl".to_owned()),
    }
}

fn on(day: Date) -> RunOptions {
    RunOptions {
        day,
        dry_run: false,
        force: false,
    }
}

fn to(message: &Received) -> &str {
    message.to.first().map(String::as_str).unwrap_or_default()
}

async fn user_id(app: &TestApp, login: &str) -> i64 {
    app.count(&format!("SELECT id FROM app_user WHERE login = '{login}'"))
        .await
}

/// Open, not suspended cases of `where_` overdue / due within 3 days of `day`.
async fn counts(app: &TestApp, where_: &str, day: Date) -> (i64, i64) {
    let last = day.checked_add(jiff::Span::new().days(3)).unwrap();
    let open = "status IN ('registered', 'assigned', 'in_progress')";
    let overdue = app
        .count(&format!(
            "SELECT COUNT(*) FROM case_file WHERE {where_} AND {open} AND due_on < '{day}'"
        ))
        .await;
    let soon = app
        .count(&format!(
            "SELECT COUNT(*) FROM case_file WHERE {where_} AND {open} \
             AND due_on >= '{day}' AND due_on <= '{last}'"
        ))
        .await;
    (overdue, soon)
}

async fn demo_office_gets_its_reminders_once_a_day(app: TestApp) {
    let sink = SmtpSink::start().await;
    let today = magistrat::platform::Clock::system().today();
    let outcome = reminders::run(&app.db, &mailer(&sink.url), &settings(), on(today))
        .await
        .unwrap();
    let Outcome::Ran { mails, .. } = outcome else {
        panic!("the first run of the day must run");
    };
    let messages = sink.messages();
    assert_eq!(messages.len(), mails.len());

    // The official: exactly their own cases, as the database counts them.
    let official = user_id(&app, "urzednik").await;
    let (overdue, soon) = counts(&app, &format!("official_id = {official}"), today).await;
    assert!(
        overdue > 0,
        "the demo has overdue cases ({overdue}, {soon})"
    );
    let mine = messages
        .iter()
        .find(|m| to(m) == "<urzednik@borowiec.example.pl>")
        .expect("the official gets a reminder");
    assert_eq!(
        mine.subject(),
        format!("Terminy spraw: {overdue} po terminie, {soon} w ciągu 3 dni")
    );
    let text = mine.body();
    assert!(text.starts_with("Dzień dobry, Jan Kowalski."), "{text}");
    let overdue_znak: String = match &app.db.pool {
        magistrat::db::Pool::Sqlite(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT znak FROM case_file WHERE official_id = {official} \
             AND status = 'in_progress' AND due_on < '{today}' ORDER BY due_on LIMIT 1"
        )))
        .fetch_one(p)
        .await
        .unwrap(),
        magistrat::db::Pool::Postgres(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT znak FROM case_file WHERE official_id = {official} \
             AND status = 'in_progress' AND due_on < '{today}' ORDER BY due_on LIMIT 1"
        )))
        .fetch_one(p)
        .await
        .unwrap(),
    };
    assert!(text.contains(&overdue_znak), "{overdue_znak} in {text}");
    assert!(text.contains("po terminie"), "{text}");
    assert!(
        text.contains("https://bip.borowiec.example.pl/staff/cases/"),
        "{text}"
    );

    // The head of SA: the whole unit's cases (SA has no units below it in the demo).
    let (overdue, soon) = counts(
        &app,
        "unit_id = (SELECT id FROM org_unit WHERE symbol = 'SA')",
        today,
    )
    .await;
    let head = messages
        .iter()
        .find(|m| to(m) == "<kierownik@borowiec.example.pl>")
        .expect("the head of unit gets a reminder");
    assert_eq!(
        head.subject(),
        format!("Terminy spraw (SA): {overdue} po terminie, {soon} w ciągu 3 dni")
    );
    assert!(head.body().contains("JAN KOWALSKI"), "{}", head.body());
    // Nobody without cases due gets mail: not the HR specialist.
    assert!(
        !messages
            .iter()
            .any(|m| to(m) == "<kadry@borowiec.example.pl>")
    );

    // Once per day: the second run (another server, or the CLI) sends nothing.
    let again = reminders::run(&app.db, &mailer(&sink.url), &settings(), on(today))
        .await
        .unwrap();
    assert_eq!(again, Outcome::AlreadyClaimed);
    assert_eq!(sink.messages().len(), messages.len());

    // Recorded and audited with counts only.
    let (sent, failed, _, finished) = reminders::store::day_result(&app.db, today)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((sent, failed, finished), (messages.len() as i64, 0, true));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'reminders.sent'")
            .await,
        1
    );
    let after: String = match &app.db.pool {
        magistrat::db::Pool::Sqlite(p) => {
            sqlx::query_scalar("SELECT after_json FROM audit_event WHERE entity_type = 'reminders'")
                .fetch_one(p)
                .await
                .unwrap()
        }
        magistrat::db::Pool::Postgres(p) => sqlx::query_scalar(
            "SELECT after_json::text FROM audit_event WHERE entity_type = 'reminders'",
        )
        .fetch_one(p)
        .await
        .unwrap(),
    };
    let after: serde_json::Value = serde_json::from_str(&after).unwrap();
    assert_eq!(after["sent"], messages.len());
    assert_eq!(after["failed"], 0);
    assert_eq!(after["day"], today.to_string());
    assert!(!after.to_string().contains(&overdue_znak), "{after}");
    assert!(
        !after.to_string().contains("borowiec.example.pl"),
        "{after}"
    );
    assert!(matches!(
        magistrat::db::audit::verify(&app.db).await.unwrap(),
        magistrat::db::audit::Verdict::Intact { .. }
    ));

    // --force sends again for the same day.
    let forced = reminders::run(
        &app.db,
        &mailer(&sink.url),
        &settings(),
        RunOptions {
            force: true,
            ..on(today)
        },
    )
    .await
    .unwrap();
    assert!(matches!(forced, Outcome::Ran { .. }));
    assert_eq!(sink.messages().len(), 2 * messages.len());
}

/// A fixed Monday, with the demo's own cases closed: only the cases made here count.
async fn exactly_the_cases_in_the_window_are_mailed(app: TestApp) {
    app.exec("UPDATE case_file SET status = 'closed'").await;
    let sa = app
        .count("SELECT id FROM org_unit WHERE symbol = 'SA'")
        .await;
    let official = user_id(&app, "urzednik").await;
    // Monday 7 December 2026.
    let day = jiff::civil::date(2026, 12, 7);
    let plus = |n: i64| day.checked_add(jiff::Span::new().days(n)).unwrap();
    let table: &[(&str, Option<i64>, Date, &str)] = &[
        (
            "Po terminie od piątku",
            Some(official),
            plus(-3),
            "in_progress",
        ),
        ("Termin dziś", Some(official), day, "assigned"),
        ("Termin w czwartek", Some(official), plus(3), "in_progress"),
        (
            "Termin w piątek (N+1)",
            Some(official),
            plus(4),
            "in_progress",
        ),
        (
            "Załatwiona po terminie",
            Some(official),
            plus(-5),
            "settled",
        ),
        ("Zawieszona", Some(official), plus(-10), "suspended"),
        ("Nieprzydzielona na jutro", None, plus(1), "registered"),
    ];
    let mut ids = Vec::new();
    for (title, official_id, due, status) in table {
        let mut tx = app.db.begin().await.unwrap();
        let case = store::register_case(
            &mut tx,
            &Actor::system("test"),
            NewCase {
                unit_id: sa,
                jrwa_symbol: "5310".to_owned(),
                kind: CaseKind::AdministrativeSimple,
                title: (*title).to_owned(),
                party_name: "Jan Testowy".to_owned(),
                party_address: "62-300 Borowiec".to_owned(),
                party_email: String::new(),
                publish_consent: false,
                received_on: magistrat::platform::Clock::system().today(),
                channel: Channel::Paper,
                correspondence_id: None,
                official_id: *official_id,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        // The effective due date is what the job reads; set it exactly.
        app.exec(&format!(
            "UPDATE case_file SET due_on = '{due}', status = '{status}' WHERE id = {}",
            case.id
        ))
        .await;
        ids.push((case.id, case.znak));
    }
    let sink = SmtpSink::start().await;
    reminders::run(&app.db, &mailer(&sink.url), &settings(), on(day))
        .await
        .unwrap();
    let messages = sink.messages();
    let mut recipients: Vec<&str> = messages.iter().map(to).collect();
    recipients.sort_unstable();
    assert_eq!(
        recipients,
        vec![
            "<kierownik@borowiec.example.pl>",
            "<urzednik@borowiec.example.pl>"
        ]
    );
    let mine = messages
        .iter()
        .find(|m| to(m) == "<urzednik@borowiec.example.pl>")
        .unwrap();
    assert_eq!(
        mine.subject(),
        "Terminy spraw: 1 po terminie, 2 w ciągu 3 dni"
    );
    let text = mine.body();
    let included = [0, 1, 2];
    for (i, (id, znak)) in ids.iter().enumerate() {
        let link = format!("https://bip.borowiec.example.pl/staff/cases/{id}");
        assert_eq!(
            text.contains(&link),
            included.contains(&i),
            "case {i} ({znak}) in\n{text}"
        );
    }
    for expected in [
        "3 dni po terminie",
        "termin upływa dziś",
        "zostały 3 dni",
        "7 grudnia 2026",
        "Termin w czwartek",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    let head = messages
        .iter()
        .find(|m| to(m) == "<kierownik@borowiec.example.pl>")
        .unwrap();
    assert_eq!(
        head.subject(),
        "Terminy spraw (SA): 1 po terminie, 3 w ciągu 3 dni"
    );
    let text = head.body();
    assert!(text.contains("NIEPRZYDZIELONE"), "{text}");
    assert!(text.contains("Nieprzydzielona na jutro"), "{text}");
    assert!(
        !text.contains("Zawieszona") && !text.contains("Załatwiona"),
        "{text}"
    );
}

async fn a_mail_server_that_is_down_is_recorded_not_fatal(app: TestApp) {
    let today = magistrat::platform::Clock::system().today();
    // Nothing listens on port 1.
    let outcome = reminders::run(
        &app.db,
        &mailer("smtp://127.0.0.1:1"),
        &settings(),
        on(today),
    )
    .await
    .unwrap();
    let Outcome::Ran { mails, .. } = outcome else {
        panic!("must run");
    };
    assert!(!mails.is_empty());
    assert!(mails.iter().all(|m| m.error.is_some()));
    let (sent, failed, recipients, finished) = reminders::store::day_result(&app.db, today)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((sent, failed, finished), (0, mails.len() as i64, true));
    assert!(
        recipients.contains("urzednik@borowiec.example.pl"),
        "{recipients}"
    );
    let audited = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'reminders' \
             AND after_json LIKE '%\"failed\":{}%'",
            mails.len()
        ))
        .await;
    assert_eq!(audited, 1);
}

async fn dry_run_sends_and_records_nothing(app: TestApp) {
    let sink = SmtpSink::start().await;
    let today = magistrat::platform::Clock::system().today();
    let outcome = reminders::run(
        &app.db,
        &mailer(&sink.url),
        &settings(),
        RunOptions {
            dry_run: true,
            ..on(today)
        },
    )
    .await
    .unwrap();
    let Outcome::Ran { mails, .. } = outcome else {
        panic!("a dry run always runs");
    };
    assert!(mails.iter().any(|m| m.to == "urzednik@borowiec.example.pl"));
    assert!(sink.messages().is_empty());
    assert!(
        reminders::store::day_result(&app.db, today)
            .await
            .unwrap()
            .is_none()
    );
    // The real run afterwards still has the day.
    reminders::run(&app.db, &mailer(&sink.url), &settings(), on(today))
        .await
        .unwrap();
    assert_eq!(sink.messages().len(), mails.len());
}

/// Two app servers (two connection pools on the same database) wake at the same hour:
/// one claims the day and sends, the other skips.
async fn two_servers_on_one_database_send_once(app: TestApp) {
    let sink = SmtpSink::start().await;
    let other = magistrat::db::Db::connect(&app.database_url, 5)
        .await
        .unwrap();
    let today = magistrat::platform::Clock::system().today();
    let (m1, m2, s) = (mailer(&sink.url), mailer(&sink.url), settings());
    let (one, two) = tokio::join!(
        reminders::run(&app.db, &m1, &s, on(today)),
        reminders::run(&other, &m2, &s, on(today)),
    );
    let outcomes = [one.unwrap(), two.unwrap()];
    let ran: Vec<usize> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Ran { mails, .. } => Some(mails.len()),
            Outcome::AlreadyClaimed => None,
        })
        .collect();
    assert_eq!(ran.len(), 1, "{outcomes:?}");
    assert!(outcomes.contains(&Outcome::AlreadyClaimed));
    assert_eq!(sink.messages().len(), ran[0]);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'reminders.sent'")
            .await,
        1
    );
    other.close().await;
}

/// When the cases cannot be read, nothing was sent: the claim is released, so a later
/// run the same day (a restart, the CLI) is not refused.
async fn a_failed_read_gives_the_day_back(app: TestApp) {
    let sink = SmtpSink::start().await;
    let today = magistrat::platform::Clock::system().today();
    app.exec("ALTER TABLE user_role RENAME TO user_role_away")
        .await;
    let failed = reminders::run(&app.db, &mailer(&sink.url), &settings(), on(today)).await;
    assert!(failed.is_err());
    assert!(
        reminders::store::day_result(&app.db, today)
            .await
            .unwrap()
            .is_none()
    );
    app.exec("ALTER TABLE user_role_away RENAME TO user_role")
        .await;
    let outcome = reminders::run(&app.db, &mailer(&sink.url), &settings(), on(today))
        .await
        .unwrap();
    assert!(matches!(outcome, Outcome::Ran { .. }));
    assert!(!sink.messages().is_empty());
}

/// The job runner `serve` starts, on two app servers: at the reminder hour (0 here, so
/// due at once) both wake for today; one claims the day and sends, the other skips.
async fn the_server_runners_send_once_a_day(app: TestApp) {
    let sink = SmtpSink::start().await;
    let config = magistrat::config::Config {
        reminder_hour: 0,
        reminder_days_ahead: 3,
        ..Default::default()
    };
    let other = magistrat::db::Db::connect(&app.database_url, 5)
        .await
        .unwrap();
    let first =
        magistrat::platform::jobs::spawn(&app.db, vec![reminders::job(&config, mailer(&sink.url))]);
    let second =
        magistrat::platform::jobs::spawn(&other, vec![reminders::job(&config, mailer(&sink.url))]);
    let today = app.db.clock().today();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let (sent, finished) = loop {
        if let Some((sent, _, _, true)) =
            reminders::store::day_result(&app.db, today).await.unwrap()
        {
            break (sent, true);
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the runner did not send"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(finished && sent > 0);
    // Give the other runner time to try; it must not send again.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(sink.messages().len(), usize::try_from(sent).unwrap());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'reminders.sent'")
            .await,
        1
    );
    drop((first, second));
    other.close().await;
}
