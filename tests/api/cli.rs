//! The command line, run as the real binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::helpers::{Backend, ScratchDatabase};

/// A CLI test on each backend: the binary runs against a scratch database of its own.
macro_rules! cli_backend_tests {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread")]
                async fn sqlite() {
                    super::$name(crate::helpers::Backend::Sqlite).await;
                }
                #[tokio::test(flavor = "multi_thread")]
                async fn postgres() {
                    super::$name(crate::helpers::Backend::Postgres).await;
                }
            }
        )*
    };
}

cli_backend_tests!(
    accounts_audit_and_backup,
    jrwa_import_and_bench_seed,
    reminders_send_dry_run_then_once_per_day,
);

pub(crate) fn magistrat(
    args: &[impl AsRef<std::ffi::OsStr>],
    env: &[(&str, &str)],
    stdin: Option<&str>,
) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_magistrat"));
    command
        .args(args)
        .env_remove("MAGISTRAT_DATABASE_URL")
        .env_remove("MAGISTRAT_CONFIG")
        .env("MAGISTRAT_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().unwrap();
    if let Some(mut pipe) = child.stdin.take()
        && let Some(text) = stdin
    {
        pipe.write_all(text.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

pub(crate) fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn help_explains_every_command() {
    let output = magistrat(&["--help"], &[], None);
    assert!(output.status.success());
    let help = text(&output);
    for command in [
        "serve",
        "migrate",
        "demo",
        "user",
        "audit",
        "backup",
        "config",
        "deadline",
        "jrwa",
        "bench-seed",
        "reminders",
    ] {
        assert!(help.contains(command), "--help misses {command}");
    }
    let user = text(&magistrat(&["user", "--help"], &[], None));
    for command in ["add", "passwd", "disable", "enable"] {
        assert!(user.contains(command), "user --help misses {command}");
    }
    let audit = text(&magistrat(&["audit", "--help"], &[], None));
    for command in ["verify", "checkpoint", "keygen"] {
        assert!(audit.contains(command), "audit --help misses {command}");
    }
    let verify = text(&magistrat(&["audit", "verify", "--help"], &[], None));
    assert!(verify.contains("--against") && verify.contains("--public-key"));
    let serve = text(&magistrat(&["serve", "--help"], &[], None));
    assert!(
        serve.contains("--listen")
            && serve.contains("--database-url")
            && serve.contains("MAGISTRAT_LISTEN")
    );
}

#[test]
fn wrong_configuration_is_reported_clearly() {
    let output = magistrat(
        &["config", "check"],
        &[("MAGISTRAT_SESSION_IDLE_MINUTES", "0")],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("session_idle_minutes: must be greater than 0"),
        "{}",
        text(&output)
    );

    let output = magistrat(
        &["migrate", "--database-url", "mysql://localhost/x"],
        &[],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("database_url"), "{}", text(&output));

    let output = magistrat(
        &["config", "check"],
        &[("MAGISTRAT_LISTEN", "not-an-address")],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("listen"), "{}", text(&output));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("magistrat.toml");
    std::fs::write(
        &file,
        "listen = \"127.0.0.1:9000\"\nsesion_idle_minutes = 5\n",
    )
    .unwrap();
    let output = magistrat(
        &["config", "check", "--config", file.to_str().unwrap()],
        &[],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("sesion_idle_minutes"),
        "a misspelt key is named: {}",
        text(&output)
    );

    let output = magistrat(
        &["config", "check", "--config", "/nonexistent/magistrat.toml"],
        &[],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn unreachable_database_is_reported() {
    let output = magistrat(
        &[
            "migrate",
            "--database-url",
            "postgres://nobody:secret@127.0.0.1:1/x",
        ],
        &[],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    let message = text(&output);
    assert!(message.contains("cannot open the database"), "{message}");
    assert!(
        !message.contains("secret"),
        "the password is masked: {message}"
    );
}

/// Accounts, the audit verifier and backup through the real binary, on both backends.
async fn accounts_audit_and_backup(backend: Backend) {
    let Some(scratch) = ScratchDatabase::create(backend).await else {
        return;
    };
    let url = scratch.url.clone();
    let with = |args: &[&str]| -> Vec<String> {
        args.iter()
            .map(|s| (*s).to_owned())
            .chain(["--database-url".to_owned(), url.clone()])
            .collect()
    };
    let password = [("MAGISTRAT_DEMO_PASSWORD", "Cli-Borowiec-2026!")];

    let demo = magistrat(&with(&["demo"]), &password, None);
    assert!(demo.status.success(), "{}", text(&demo));
    assert!(text(&demo).contains("Cli-Borowiec-2026!"));
    let again = magistrat(&with(&["demo"]), &password, None);
    assert!(again.status.success());
    assert!(text(&again).contains("already holds an office"));

    let add = magistrat(
        &with(&[
            "user",
            "add",
            "--login",
            "e.kot",
            "--name",
            "Ewa Kot",
            "--role",
            "case_official",
            "--role",
            "hr",
        ]),
        &[],
        Some("Zielony-Parasol-2026\n"),
    );
    assert!(add.status.success(), "{}", text(&add));
    let weak = magistrat(
        &with(&[
            "user", "add", "--login", "x.y", "--name", "X Y", "--role", "hr",
        ]),
        &[],
        Some("short\n"),
    );
    assert_eq!(weak.status.code(), Some(2), "{}", text(&weak));
    let taken = magistrat(
        &with(&[
            "user", "add", "--login", "e.kot", "--name", "E", "--role", "hr",
        ]),
        &[],
        Some("Zielony-Parasol-2026\n"),
    );
    assert_eq!(taken.status.code(), Some(2));
    let bad_role = magistrat(
        &with(&[
            "user", "add", "--login", "q.q", "--name", "Q", "--role", "king",
        ]),
        &[],
        None,
    );
    assert_eq!(bad_role.status.code(), Some(2));

    let passwd = magistrat(&with(&["user", "passwd", "e.kot"]), &[], None);
    assert!(passwd.status.success());
    assert!(
        text(&passwd).contains("password: "),
        "a generated password is printed when stdin is empty"
    );
    assert!(
        magistrat(&with(&["user", "disable", "e.kot"]), &[], None)
            .status
            .success()
    );
    assert!(
        magistrat(&with(&["user", "enable", "e.kot"]), &[], None)
            .status
            .success()
    );
    assert_eq!(
        magistrat(&with(&["user", "disable", "nobody"]), &[], None)
            .status
            .code(),
        Some(1)
    );

    let verify = magistrat(&with(&["audit", "verify"]), &[], None);
    assert!(verify.status.success(), "{}", text(&verify));
    assert!(text(&verify).contains("intact"));

    // A consistent online copy is made on SQLite; PostgreSQL's is pg_dump's (below).
    if backend == Backend::Sqlite {
        let copy = scratch.dir.path().join("copy.db");
        let backup = magistrat(
            &with(&["backup", "--output", copy.to_str().unwrap()]),
            &[],
            None,
        );
        assert!(backup.status.success(), "{}", text(&backup));
        assert!(copy.exists());
        let copy_url = format!("sqlite://{}", copy.display());
        let verify_copy = magistrat(&["audit", "verify", "--database-url", &copy_url], &[], None);
        assert!(
            verify_copy.status.success(),
            "the copy is consistent: {}",
            text(&verify_copy)
        );
        let twice = magistrat(
            &with(&["backup", "--output", copy.to_str().unwrap()]),
            &[],
            None,
        );
        assert!(
            !twice.status.success(),
            "an existing file is not overwritten"
        );
    }

    // Tampering, then verify names the event and fails.
    let db = magistrat::db::Db::connect(&url, 1).await.unwrap();
    let tamper = "UPDATE audit_event SET actor_login = 'someone-else' WHERE seq = 3";
    let changed = match &db.pool {
        magistrat::db::Pool::Sqlite(p) => sqlx::query(tamper)
            .execute(p)
            .await
            .unwrap()
            .rows_affected(),
        magistrat::db::Pool::Postgres(p) => sqlx::query(tamper)
            .execute(p)
            .await
            .unwrap()
            .rows_affected(),
    };
    assert_eq!(changed, 1);
    db.close().await;
    let broken = magistrat(&with(&["audit", "verify"]), &[], None);
    assert_eq!(broken.status.code(), Some(1));
    assert!(text(&broken).contains("#3"), "{}", text(&broken));

    let pg = magistrat(
        &[
            "backup",
            "--output",
            "x.dump",
            "--database-url",
            "postgres://u:pw@db/m",
        ],
        &[],
        None,
    );
    assert!(
        text(&pg).contains("pg_dump") && !text(&pg).contains(":pw@"),
        "{}",
        text(&pg)
    );
}

#[test]
fn serve_answers_and_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("s.db").display());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut child = Command::new(env!("CARGO_BIN_EXE_magistrat"))
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            &url,
        ])
        .env("MAGISTRAT_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut ready = false;
    for _ in 0..100 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::Read;
            stream
                .write_all(b"GET /health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            ready = answer.starts_with("HTTP/1.1 200");
            if ready {
                break;
            }
        }
    }
    // SIGTERM: the server finishes and exits 0.
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    assert!(ready, "server did not become ready");
    assert!(status.success(), "{status:?}");
}

fn last_line(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn deadline_prints_the_due_date_on_its_last_line() {
    // 23 Dec 2025 + 1 day: Christmas Eve (a holiday since 2025), Christmas, Saturday,
    // Sunday → Monday 29 December.
    let output = magistrat(
        &["deadline", "--from", "2025-12-23", "--term", "1d"],
        &[],
        None,
    );
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(last_line(&output), "2025-12-29");
    let out = text(&output);
    assert!(
        out.contains("does not count") && out.contains("Christmas Eve"),
        "{out}"
    );
    // 1 month from 31 January 2026 is 28 February, a Saturday → Monday 2 March.
    let output = magistrat(
        &["deadline", "--from", "2026-01-31", "--term", "1m"],
        &[],
        None,
    );
    assert_eq!(last_line(&output), "2026-03-02");
    assert!(text(&output).contains("a Saturday"));
    // A kind of case instead of a term: public information, 14 days.
    let output = magistrat(
        &[
            "deadline",
            "--from",
            "2026-11-20",
            "--kind",
            "public_information",
        ],
        &[],
        None,
    );
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(last_line(&output), "2026-12-04");
    assert!(text(&output).contains("UDIP") || text(&output).contains("art. 13"));
    let output = magistrat(
        &["deadline", "--from", "2026-03-02", "--term", "2w"],
        &[],
        None,
    );
    assert_eq!(last_line(&output), "2026-03-16");
}

/// The terms after an event (issue 10): the party's appeal (KPA art. 129 § 2) and
/// zażalenie (art. 141 § 2), the organ's forwarding of an appeal (art. 133) and of a
/// ponaglenie (art. 37 § 4), each on its last line.
#[test]
fn deadline_counts_the_terms_after_an_event() {
    let table = [
        // Delivered Thursday 10 Dec 2026 + 14 days: Thursday 24 Dec (Wigilia), 25, 26
        // Saturday, 27 Sunday → Monday 28 Dec.
        ("appeal-term", "2026-12-10", "2026-12-28", "129"),
        ("zazalenie-term", "2026-11-05", "2026-11-12", "141"),
        // Wednesday 4 Nov + 7 days: 11 Nov, Independence Day → Thursday 12 Nov.
        ("appeal-forward", "2026-11-04", "2026-11-12", "133"),
        ("ponaglenie-forward", "2026-11-03", "2026-11-10", "37"),
    ];
    for (kind, from, expected, article) in table {
        let output = magistrat(&["deadline", "--from", from, "--kind", kind], &[], None);
        assert!(output.status.success(), "{kind}: {}", text(&output));
        assert_eq!(last_line(&output), expected, "{kind}");
        assert!(
            text(&output).contains(&format!("art. {article}")),
            "{kind}: {}",
            text(&output)
        );
    }
    // The help says what `appeal` is, and what to use for the party's term.
    let output = magistrat(&["deadline", "--help"], &[], None);
    assert!(text(&output).contains("appeal-term"), "{}", text(&output));
}

#[test]
fn deadline_counts_from_the_offices_clock_without_from() {
    // MAGISTRAT_CLOCK on 23 December 2026 (Wednesday), 14 days: 6 January 2027 is
    // Epiphany, a holiday (KPA art. 57 § 4) → Thursday 7 January.
    let output = magistrat(
        &["deadline", "--term", "14d"],
        &[("MAGISTRAT_CLOCK", "2026-12-23T10:00:00+01:00")],
        None,
    );
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(last_line(&output), "2027-01-07");
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(
        log.contains("MAGISTRAT_CLOCK") && log.contains("2026-12-23T09:00:00Z"),
        "a set clock is logged as a warning: {log}"
    );
    // Just before midnight UTC it is already the next day in Warsaw: 24 December + 14
    // days = 7 January.
    let output = magistrat(
        &["deadline", "--term", "14d"],
        &[("MAGISTRAT_CLOCK", "2026-12-23T23:30:00Z")],
        None,
    );
    assert_eq!(last_line(&output), "2027-01-07");
    let output = magistrat(
        &["deadline", "--term", "1d"],
        &[("MAGISTRAT_CLOCK", "2026-12-23T23:30:00Z")],
        None,
    );
    // 24 December + 1 day: 25 and 26 December (a Saturday), 27 (Sunday) → Monday 28.
    assert_eq!(last_line(&output), "2026-12-28");
}

#[test]
fn a_bad_clock_setting_stops_the_program_naming_the_key() {
    // Not a moment, a date without a time, a time without its offset from UTC.
    for value in ["tomorrow", "2026-12-23", "2026-12-23T10:00:00"] {
        for args in [&["config", "check"][..], &["deadline", "--term", "1d"][..]] {
            let output = magistrat(args, &[("MAGISTRAT_CLOCK", value)], None);
            assert_eq!(output.status.code(), Some(2), "{value}: {}", text(&output));
            assert!(
                text(&output).contains("clock"),
                "{value}: the key is named: {}",
                text(&output)
            );
            assert!(
                output.stdout.is_empty(),
                "nothing computed: {}",
                text(&output)
            );
        }
    }
}

#[test]
fn deadline_refuses_bad_input_with_exit_code_2() {
    for (args, message) in [
        (vec!["--from", "2026-02-30", "--term", "1d"], "YYYY-MM-DD"),
        (vec!["--from", "yesterday", "--term", "1d"], "YYYY-MM-DD"),
        (
            vec!["--from", "2026-01-05", "--term", "14x"],
            "14d, 2w or 1m",
        ),
        (
            vec!["--from", "2026-01-05", "--term", "0d"],
            "14d, 2w or 1m",
        ),
        (
            vec!["--from", "2026-01-05", "--kind", "nope"],
            "Unknown kind",
        ),
        (vec!["--from", "2026-01-05"], "--term"),
        (
            vec!["--from", "2026-01-05", "--term", "1d", "--kind", "petition"],
            "cannot be used",
        ),
    ] {
        let mut all = vec!["deadline"];
        all.extend(args.iter());
        let output = magistrat(&all, &[], None);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", text(&output));
        assert!(
            text(&output).contains(message),
            "{args:?}: {}",
            text(&output)
        );
    }
}

/// The JRWA import (all or nothing) and the bulk seeding for benchmarks, on both
/// backends.
async fn jrwa_import_and_bench_seed(backend: Backend) {
    let Some(scratch) = ScratchDatabase::create(backend).await else {
        return;
    };
    let url = scratch.url.clone();
    let bad = scratch.dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "1;Grupa;\n14;Podgrupa;\n1431;Bez kategorii;\n99;Sierota;\n",
    )
    .unwrap();
    let output = magistrat(
        &[
            "jrwa",
            "import",
            "--year",
            "2026",
            "--database-url",
            &url,
            bad.to_str().unwrap(),
        ],
        &[],
        None,
    );
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let out = text(&output);
    assert!(out.contains("Line 3:") && out.contains("Line 4:"), "{out}");
    let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/data/jrwa/gmina-2026.csv");
    let output = magistrat(
        &[
            "jrwa",
            "import",
            "--year",
            "2026",
            "--database-url",
            &url,
            shipped,
        ],
        &[],
        None,
    );
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("imported"));
    let missing = magistrat(
        &[
            "jrwa",
            "import",
            "--year",
            "2026",
            "--database-url",
            &url,
            "/nonexistent.csv",
        ],
        &[],
        None,
    );
    assert_eq!(missing.status.code(), Some(2));

    let demo = magistrat(
        &[
            "demo",
            "--database-url",
            &url,
            "--password",
            "Test-Borowiec-2026!",
        ],
        &[],
        None,
    );
    assert!(demo.status.success(), "{}", text(&demo));
    let seed = magistrat(
        &[
            "bench-seed",
            "--database-url",
            &url,
            "--unit",
            "FN",
            "--cases",
            "1200",
        ],
        &[],
        None,
    );
    assert!(seed.status.success(), "{}", text(&seed));
    assert!(
        text(&seed).contains("added 1200 cases to FN"),
        "{}",
        text(&seed)
    );
    let verify = magistrat(&["audit", "verify", "--database-url", &url], &[], None);
    assert!(verify.status.success(), "{}", text(&verify));
}

/// `magistrat reminders send`: a dry run lists the mails and sends nothing; a real run
/// goes to the SMTP server; the same day again is refused unless `--force` (the day's
/// run is claimed in `job_run`, on either backend).
async fn reminders_send_dry_run_then_once_per_day(backend: Backend) {
    let Some(scratch) = ScratchDatabase::create(backend).await else {
        return;
    };
    let sink = crate::smtp_sink::SmtpSink::start().await;
    let url = scratch.url.clone();
    let smtp = sink.url.clone();
    let run = move |args: &[&str]| {
        let args: Vec<String> = args
            .iter()
            .map(|s| (*s).to_owned())
            .chain(["--database-url".to_owned(), url.clone()])
            .collect();
        let env = [
            ("MAGISTRAT_DEMO_PASSWORD", "Cli-Borowiec-2026!"),
            ("MAGISTRAT_SMTP_URL", smtp.as_str()),
        ];
        magistrat(&args, &env, None)
    };
    let run = std::sync::Arc::new(run);
    let call = |args: &'static [&'static str]| {
        let run = run.clone();
        tokio::task::spawn_blocking(move || run(args))
    };
    let demo = call(&["demo"]).await.unwrap();
    assert!(demo.status.success(), "{}", text(&demo));

    let dry = call(&["reminders", "send", "--dry-run"]).await.unwrap();
    let out = text(&dry);
    assert!(dry.status.success(), "{out}");
    assert!(out.contains("would send"), "{out}");
    assert!(
        out.contains("urzednik <urzednik@borowiec.example.pl> (official): Terminy spraw: "),
        "{out}"
    );
    assert!(
        out.contains(
            "kierownik <kierownik@borowiec.example.pl> (head of unit): Terminy spraw (SA): "
        ),
        "{out}"
    );
    assert!(sink.messages().is_empty(), "a dry run sends nothing");

    let sent = call(&["reminders", "send"]).await.unwrap();
    assert!(sent.status.success(), "{}", text(&sent));
    let n = sink.messages().len();
    assert!(n >= 2, "{}", text(&sent));
    assert!(
        text(&sent).contains(&format!("sent {n} mail(s)")),
        "{}",
        text(&sent)
    );

    let again = call(&["reminders", "send"]).await.unwrap();
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(
        text(&again).contains("already sent; use --force"),
        "{}",
        text(&again)
    );
    assert_eq!(sink.messages().len(), n);

    let forced = call(&["reminders", "send", "--force"]).await.unwrap();
    assert!(forced.status.success(), "{}", text(&forced));
    assert_eq!(sink.messages().len(), 2 * n);

    let bad = call(&["reminders", "send", "--date", "2026-02-30"])
        .await
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("--date"), "{}", text(&bad));
}
