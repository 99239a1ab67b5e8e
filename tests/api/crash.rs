//! Crash safety: the real binary is killed with SIGKILL in the middle of a burst of case
//! registrations and started again on the same database. Whatever a client was told
//! ("registered, here is your case") must still be there, every register (unit, JRWA
//! class, year) must number its cases 1..=n without a repeat or a gap, and the audit
//! chain must verify. Acknowledged means durable: docs/decisions/0002 and 0007.
//!
//! The writes go through HTTP exactly as a browser sends them (plain HTTP/1.1 over a TCP
//! socket, `Connection: close`), so the whole stack is under test, not just the store:
//! officials at the staff registration form, residents filing an e-service form and an
//! integrator posting to `POST /api/v1/applications` (incoming item + case in one
//! transaction), all into the same register.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use magistrat::db::{Db, Pool};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{Backend, PASSWORD, ScratchDatabase};

/// Kill cycles per backend.
const CYCLES: usize = 3;
/// Clients writing at once.
const CLIENTS: usize = 6;
/// The two registers of unit SA the clients write into (leaf JRWA classes).
const CLASSES: [&str; 2] = ["5340", "5311"];
/// Generous: the machine is shared and the build is a debug one.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const START_TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    survives_sigkill_mid_load(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    survives_sigkill_mid_load(Backend::Postgres).await;
}

async fn survives_sigkill_mid_load(backend: Backend) {
    let Some(scratch) = ScratchDatabase::create(backend).await else {
        return;
    };
    let started = Instant::now();
    let demo = magistrat_command(&scratch, &["demo"]).output().unwrap();
    assert!(demo.status.success(), "magistrat demo: {demo:?}");

    let mut acknowledged = Vec::new();
    // Filings that shared a transaction with an earlier one (group commit).
    let mut batched = 0;
    for cycle in 0..CYCLES {
        let cases_before = read_registers(&scratch.url).await.cases.len();
        let server = Server::start(&scratch).await;
        let session = Session::sign_in(server.address).await;
        let load = Arc::new(Load::default());
        let mut writers = Vec::new();
        for client in 0..CLIENTS {
            // A third of the clients are officials at the staff form, a third residents
            // filing the e-service form, a third an integrator's system posting JSON to
            // the API; all write into register SA.5311.
            let writer = match client % 3 {
                0 => Writer::Integrator(server.address),
                1 => Writer::Resident(Applicant::open_form(server.address).await),
                _ => Writer::Official(session.clone()),
            };
            let load = Arc::clone(&load);
            writers.push(tokio::spawn(async move {
                write_until_refused(&writer, cycle, client, &load).await
            }));
        }
        // Kill somewhere in 0.5–1.5 s of load, at a different moment each run, but not
        // before every kind of writer had writes acknowledged (a loaded machine may be
        // slow to start).
        tokio::time::sleep(Duration::from_millis(500 + random_below(1000))).await;
        let wait_for_load = Instant::now() + START_TIMEOUT;
        while (load.acks().iter().sum::<usize>() < 10 || load.acks().contains(&0))
            && Instant::now() < wait_for_load
        {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        batched += batched_filings(server.address).await;
        // Mid-transaction: the writers never pause, so a request is in flight (sent,
        // not yet answered) at the kill; none would mean the kill hit an idle server.
        load.killing.store(true, Ordering::SeqCst);
        let in_flight = load.in_flight.load(Ordering::SeqCst);
        server.kill();
        assert!(
            in_flight > 0,
            "cycle {cycle}: no request in flight at the kill"
        );
        let per_kind = load.acks();
        for (kind, count) in WRITER_KINDS.iter().zip(per_kind) {
            assert!(
                count > 0,
                "cycle {cycle}: no write through the {kind} acknowledged before the kill"
            );
        }
        let mut this_cycle = Vec::new();
        for writer in writers {
            let outcome = tokio::time::timeout(REQUEST_TIMEOUT * 2, writer)
                .await
                .expect("a writer hangs after the kill")
                .unwrap();
            assert!(
                outcome.rejected.is_empty(),
                "the server refused registrations under load: {:?}",
                outcome.rejected
            );
            if let Some(error) = outcome.failed_early {
                panic!("cycle {cycle}: a writer stopped before the kill: {error}");
            }
            this_cycle.extend(outcome.acknowledged);
        }
        assert!(
            !this_cycle.is_empty(),
            "cycle {cycle}: no registration was acknowledged before the kill"
        );
        let acknowledged_now = this_cycle.len();
        let through_api = this_cycle
            .iter()
            .filter(|a| matches!(a, Acknowledged::Application { znak: Some(_), .. }))
            .count();
        let through_form = this_cycle
            .iter()
            .filter(|a| matches!(a, Acknowledged::Application { znak: None, .. }))
            .count();
        acknowledged.extend(this_cycle);

        // Check the database as the crash left it, before anything repairs it.
        audit_verifies(&scratch);
        let registers = read_registers(&scratch.url).await;
        if let Err(problem) = check_registers(&acknowledged, &registers) {
            panic!("{backend:?} after kill {cycle}: {problem}");
        }
        // Committed but never acknowledged: the kill cut the answer off (fine, as long
        // as the register has no gap; reported to show the kill landed mid-request).
        let committed = registers.cases.len() - cases_before;
        eprintln!(
            "{backend:?} kill {cycle}: {acknowledged_now} acknowledged ({through_form} e-service \
             form, {through_api} API, the rest staff form), {} more committed without an answer",
            committed - acknowledged_now
        );
    }

    // The restarted server works and continues the register at the next number.
    // The residents' and integrators' filings queued and shared transactions: the
    // checks above covered the batched path.
    assert!(batched > 0, "no filing was ever batched with another");
    let server = Server::start(&scratch).await;
    let session = Session::sign_in(server.address).await;
    let before = read_registers(&scratch.url).await;
    let next = register(&session, CLASSES[0], "po restarcie")
        .await
        .unwrap()
        .expect("the restarted server registers a case");
    let Acknowledged::Case { id: next_id, .. } = next else {
        unreachable!()
    };
    let registers = read_registers(&scratch.url).await;
    let new = registers.cases.iter().find(|r| r.id == next_id).unwrap();
    let last = before
        .cases
        .iter()
        .filter(|r| r.register() == new.register())
        .map(|r| r.number)
        .max()
        .unwrap_or(0);
    assert_eq!(new.number, last + 1, "{new:?} after {last}");
    acknowledged.push(next);
    check_registers(&acknowledged, &registers).unwrap();
    server.kill();
    audit_verifies(&scratch);

    // Negative control on the real database: burn the newest case's number and the
    // check reports the gap.
    let db = Db::connect(&scratch.url, 1).await.unwrap();
    let burn = format!("UPDATE case_file SET number = number + 1 WHERE id = {next_id}");
    match &db.pool {
        Pool::Sqlite(p) => {
            sqlx::query(sqlx::AssertSqlSafe(burn))
                .execute(p)
                .await
                .unwrap();
        }
        Pool::Postgres(p) => {
            sqlx::query(sqlx::AssertSqlSafe(burn))
                .execute(p)
                .await
                .unwrap();
        }
    }
    db.close().await;
    let problem = check_registers(&acknowledged, &read_registers(&scratch.url).await).unwrap_err();
    assert!(problem.contains("numbered"), "{problem}");
    eprintln!(
        "{backend:?}: {CYCLES} kills, {} acknowledged registrations, all present, in {:.1} s; \
         {batched} filings shared a transaction with another",
        acknowledged.len(),
        started.elapsed().as_secs_f64()
    );
}

// =======================================================================================
// The property
// =======================================================================================

/// What a client was told.
#[derive(Clone, Debug)]
enum Acknowledged {
    /// The staff form: the new case's id from the redirect, and the title sent (unique
    /// per request, so a different case under the same id would not pass).
    Case { id: i64, title: String },
    /// An e-service filing: the tracking code the resident was given (random, unique),
    /// and through the API also the znak.
    Application {
        tracking_code: String,
        znak: Option<String>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct CaseRow {
    id: i64,
    title: String,
    znak: String,
    tracking_code: String,
    /// The incoming item the case was registered from (e-service filings have one).
    incoming_id: Option<i64>,
    unit_id: i64,
    jrwa_symbol: String,
    year: i64,
    number: i64,
}

impl CaseRow {
    fn register(&self) -> (i64, &str, i64) {
        (self.unit_id, &self.jrwa_symbol, self.year)
    }
}

/// The registers as read from the database: the cases (spis spraw) and the incoming
/// correspondence register as (id, year, number).
#[derive(Clone, Debug)]
struct Registers {
    cases: Vec<CaseRow>,
    incoming: Vec<(i64, i64, i64)>,
}

/// Every acknowledged case is there with what was sent (a filed application also with
/// its incoming item); no znak twice; each register — every (unit, JRWA class, year) of
/// cases and every year of incoming correspondence — numbered 1..=n. Writes committed
/// but not acknowledged (the answer was lost in the kill) are fine: they are in the
/// register, and the register has no gap.
fn check_registers(acknowledged: &[Acknowledged], registers: &Registers) -> Result<(), String> {
    let rows = &registers.cases;
    let by_id: BTreeMap<i64, &CaseRow> = rows.iter().map(|r| (r.id, r)).collect();
    let by_code: BTreeMap<&str, &CaseRow> =
        rows.iter().map(|r| (r.tracking_code.as_str(), r)).collect();
    let incoming: BTreeSet<i64> = registers.incoming.iter().map(|(id, _, _)| *id).collect();
    for ack in acknowledged {
        match ack {
            Acknowledged::Case { id, title } => match by_id.get(id) {
                None => return Err(format!("acknowledged case {id} is missing")),
                Some(row) if row.title != *title => {
                    return Err(format!(
                        "case {id} is {:?}, acknowledged as {title:?}",
                        row.title
                    ));
                }
                Some(_) => {}
            },
            Acknowledged::Application {
                tracking_code,
                znak,
            } => match by_code.get(tracking_code.as_str()) {
                None => {
                    return Err(format!(
                        "acknowledged application {tracking_code} has no case"
                    ));
                }
                Some(row) if znak.as_ref().is_some_and(|z| *z != row.znak) => {
                    return Err(format!(
                        "application {tracking_code} is case {}, acknowledged as {znak:?}",
                        row.znak
                    ));
                }
                Some(row) if !row.incoming_id.is_some_and(|i| incoming.contains(&i)) => {
                    return Err(format!(
                        "application {tracking_code} (case {}) has no incoming item",
                        row.znak
                    ));
                }
                Some(_) => {}
            },
        }
    }
    let mut znaki = BTreeSet::new();
    let mut numbered: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for row in rows {
        if !znaki.insert(row.znak.as_str()) {
            return Err(format!("znak {} appears twice", row.znak));
        }
        numbered
            .entry(format!("cases {:?}", row.register()))
            .or_default()
            .push(row.number);
    }
    for (_, year, number) in &registers.incoming {
        numbered
            .entry(format!("incoming {year}"))
            .or_default()
            .push(*number);
    }
    for (register, mut numbers) in numbered {
        numbers.sort_unstable();
        let expected: Vec<i64> = (1..=i64::try_from(numbers.len()).unwrap()).collect();
        if numbers != expected {
            return Err(format!(
                "register {register} is numbered {numbers:?}, not 1..={}",
                expected.len()
            ));
        }
    }
    Ok(())
}

/// The check is not vacuous: each kind of damage it must catch, it catches.
#[test]
fn the_check_catches_loss_gaps_and_repeats() {
    let row = |id: i64, number: i64| CaseRow {
        id,
        title: format!("t{id}"),
        znak: format!("SA.5340.{number}.2026"),
        tracking_code: format!("code{id}"),
        incoming_id: None,
        unit_id: 1,
        jrwa_symbol: "5340".to_owned(),
        year: 2026,
        number,
    };
    let ack = |id: i64| Acknowledged::Case {
        id,
        title: format!("t{id}"),
    };
    let cases = |cases: Vec<CaseRow>| Registers {
        cases,
        incoming: vec![(7, 2026, 1), (8, 2026, 2)],
    };
    let intact = vec![row(1, 1), row(2, 2), row(3, 3)];
    // Case 3 committed but its answer was lost: fine.
    assert_eq!(
        check_registers(&[ack(1), ack(2)], &cases(intact.clone())),
        Ok(())
    );
    // A lost acknowledged write.
    let lost = cases(vec![row(1, 1), row(2, 2)]);
    assert!(
        check_registers(&[ack(3)], &lost)
            .unwrap_err()
            .contains("missing")
    );
    // A different case under the acknowledged id.
    let mut other = intact.clone();
    other[2].title = "someone else's".to_owned();
    assert!(check_registers(&[ack(3)], &cases(other)).is_err());
    // A gap: number 2 burnt.
    let gap = cases(vec![row(1, 1), row(3, 3)]);
    assert!(
        check_registers(&[], &gap)
            .unwrap_err()
            .contains("not 1..=2")
    );
    // A number given twice.
    let mut twice = vec![row(1, 1), row(2, 1)];
    twice[1].znak = "SA.5340.1.2026.JK".to_owned();
    assert!(check_registers(&[], &cases(twice)).is_err());
    // The same znak twice.
    let mut same = vec![row(1, 1), row(2, 2)];
    same[1].znak = same[0].znak.clone();
    assert!(
        check_registers(&[], &cases(same))
            .unwrap_err()
            .contains("twice")
    );
    // Numbering not starting at 1.
    assert!(check_registers(&[], &cases(vec![row(1, 2)])).is_err());

    // Applications: found by tracking code, with their incoming item.
    let filed = Acknowledged::Application {
        tracking_code: "code2".to_owned(),
        znak: Some("SA.5340.2.2026".to_owned()),
    };
    let mut linked = intact.clone();
    linked[1].incoming_id = Some(8);
    assert_eq!(
        check_registers(std::slice::from_ref(&filed), &cases(linked.clone())),
        Ok(())
    );
    // Another znak than the one the API answered with.
    let wrong = Acknowledged::Application {
        tracking_code: "code2".to_owned(),
        znak: Some("SA.5340.3.2026".to_owned()),
    };
    assert!(check_registers(&[wrong], &cases(linked.clone())).is_err());
    // The case without its incoming item (half a filing).
    assert!(check_registers(std::slice::from_ref(&filed), &cases(intact.clone())).is_err());
    let mut dangling = cases(linked.clone());
    dangling.incoming.pop();
    assert!(check_registers(std::slice::from_ref(&filed), &dangling).is_err());
    // The application lost altogether.
    assert!(check_registers(&[filed], &cases(vec![row(1, 1)])).is_err());
    // A gap in the incoming register.
    let mut incoming_gap = cases(intact);
    incoming_gap.incoming = vec![(7, 2026, 1), (8, 2026, 3)];
    assert!(
        check_registers(&[], &incoming_gap)
            .unwrap_err()
            .contains("incoming")
    );
}

// =======================================================================================
// The server as a child process
// =======================================================================================

pub(crate) fn magistrat_command(scratch: &ScratchDatabase, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_magistrat"));
    command
        .args(args)
        .arg("--database-url")
        .arg(&scratch.url)
        .current_dir(scratch.dir.path())
        .env_remove("MAGISTRAT_DATABASE_URL")
        .env_remove("MAGISTRAT_CONFIG")
        .env_remove("MAGISTRAT_LISTEN")
        .env("MAGISTRAT_DEMO_PASSWORD", PASSWORD)
        .env("MAGISTRAT_LOG", "warn")
        // The writers file through the API and the web form from the loopback far
        // more than the default rations of one client address allow (decision 0023).
        .env("MAGISTRAT_API_FILINGS_PER_MINUTE", "1000000")
        .env("MAGISTRAT_WEB_FILINGS_PER_DAY", "1000000")
        .stdin(Stdio::null());
    command
}

fn audit_verifies(scratch: &ScratchDatabase) {
    let output = magistrat_command(scratch, &["audit", "verify"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && text.contains("intact"),
        "audit verify: {text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A running `magistrat serve`, killed when dropped (also when a check panics).
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) address: SocketAddr,
}

impl Server {
    /// Starts on a port the system picks and waits until `/health/ready` answers.
    pub(crate) async fn start(scratch: &ScratchDatabase) -> Server {
        let mut command = magistrat_command(scratch, &["serve", "--listen", "127.0.0.1:0"]);
        command.stderr(Stdio::inherit());
        Self::spawn(command).await
    }

    /// Starts `command` (a `magistrat serve --listen 127.0.0.1:0`; its standard error
    /// as the caller set it) and waits until `/health/ready` answers.
    pub(crate) async fn spawn(mut command: Command) -> Server {
        let mut child = command.stdout(Stdio::piped()).spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        // The server prints its address once listening: "Magistrat: http://ADDR/ ...".
        let line = tokio::task::spawn_blocking(move || {
            let mut lines = BufReader::new(stdout).lines();
            let first = lines.next();
            // Keep the pipe drained so a later print cannot block the server.
            std::thread::spawn(move || lines.for_each(drop));
            first
        });
        let line = tokio::time::timeout(START_TIMEOUT, line)
            .await
            .expect("serve did not start listening")
            .unwrap()
            .expect("serve exited before listening")
            .unwrap();
        let address = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        let server = Server { child, address };
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let ready = http(server.address, "GET", "/health/ready", "", None).await;
            if ready.is_ok_and(|r| r.status == 200) {
                return server;
            }
            assert!(Instant::now() < deadline, "the server did not get ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGTERM, as systemd stops a service: the graceful shutdown runs. Waits at most
    /// `within` for the exit; `None` when the server is still running then.
    pub(crate) fn terminate(mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    /// SIGKILL (`Child::kill` on Unix): no shutdown code runs.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// =======================================================================================
// The writers
// =======================================================================================

/// A signed-in official's cookies and form token, shared by the writers.
#[derive(Clone)]
pub(crate) struct Session {
    pub(crate) address: SocketAddr,
    pub(crate) cookies: String,
    pub(crate) csrf: String,
    unit_id: String,
}

impl Session {
    /// Signs in as the demo official `urzednik` the way a browser does.
    pub(crate) async fn sign_in(address: SocketAddr) -> Session {
        let mut jar = BTreeMap::new();
        let login = http(address, "GET", "/login", "", None).await.unwrap();
        login.store_cookies(&mut jar);
        let token = login.csrf_field().unwrap();
        let form = form(&[
            ("_csrf", &token),
            ("login", "urzednik"),
            ("password", PASSWORD),
        ]);
        let signed_in = http(
            address,
            "POST",
            "/login",
            &cookie_header(&jar),
            Some((URLENCODED, form.as_bytes())),
        )
        .await
        .unwrap();
        assert_eq!(signed_in.status, 303, "sign-in: {}", signed_in.body);
        signed_in.store_cookies(&mut jar);
        let cookies = cookie_header(&jar);
        let page = http(address, "GET", "/staff/cases/new", &cookies, None)
            .await
            .unwrap();
        assert_eq!(page.status, 200, "{}", page.body);
        // The first unit the form offers is the official's own (SA).
        let unit_id = page
            .body
            .split("<option value=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap_or_default())
            .find(|v| !v.is_empty())
            .unwrap()
            .to_owned();
        Session {
            address,
            cookies,
            csrf: page.csrf_field().unwrap(),
            unit_id,
        }
    }
}

#[derive(Default)]
struct Outcome {
    acknowledged: Vec<Acknowledged>,
    /// Answers other than "registered" (status and body), which must not happen.
    rejected: Vec<(u16, String)>,
    /// An I/O error before the kill: the writer stopped early, which must not happen.
    failed_early: Option<String>,
}

/// What the writers share with the test: acknowledged writes per kind of writer, the
/// requests in flight, and whether the kill has been ordered.
#[derive(Default)]
struct Load {
    acks: [AtomicUsize; 3],
    in_flight: AtomicUsize,
    killing: AtomicBool,
}

impl Load {
    fn acks(&self) -> [usize; 3] {
        self.acks.each_ref().map(|a| a.load(Ordering::SeqCst))
    }
}

/// Who writes, with what their browser holds.
enum Writer {
    Official(Session),
    Resident(Applicant),
    Integrator(SocketAddr),
}

const WRITER_KINDS: [&str; 3] = ["staff form", "e-service form", "API"];

impl Writer {
    /// The index of the writer's kind in [`WRITER_KINDS`].
    fn kind(&self) -> usize {
        match self {
            Writer::Official(_) => 0,
            Writer::Resident(_) => 1,
            Writer::Integrator(_) => 2,
        }
    }
}

/// Registers cases one after another until the server is gone; an I/O error before
/// the kill was ordered stops the writer as a failure, never silently.
async fn write_until_refused(writer: &Writer, cycle: usize, client: usize, load: &Load) -> Outcome {
    let mut outcome = Outcome::default();
    for n in 0.. {
        load.in_flight.fetch_add(1, Ordering::SeqCst);
        let answer = match writer {
            Writer::Official(session) => {
                let title = format!("crash {cycle}-{client}-{n}");
                register(session, CLASSES[n % CLASSES.len()], &title).await
            }
            Writer::Resident(applicant) => apply(applicant).await,
            Writer::Integrator(address) => apply_through_api(*address).await,
        };
        load.in_flight.fetch_sub(1, Ordering::SeqCst);
        match answer {
            Ok(Ok(ack)) => {
                outcome.acknowledged.push(ack);
                load.acks[writer.kind()].fetch_add(1, Ordering::SeqCst);
            }
            Ok(Err(rejected)) => outcome.rejected.push(rejected),
            // Killed: refused, reset or cut short. Not acknowledged.
            Err(_) if load.killing.load(Ordering::SeqCst) => break,
            Err(e) => {
                outcome.failed_early = Some(e.to_string());
                break;
            }
        }
    }
    outcome
}

/// A resident's browser on the e-service form of the demo card SA-2 (zaświadczenie o
/// zameldowaniu; registered as a case in SA.5311).
struct Applicant {
    address: SocketAddr,
    cookies: String,
    csrf: String,
}

impl Applicant {
    async fn open_form(address: SocketAddr) -> Applicant {
        let page = http(address, "GET", "/services/SA-2/apply", "", None)
            .await
            .unwrap();
        assert_eq!(page.status, 200, "{}", page.body);
        let mut jar = BTreeMap::new();
        page.store_cookies(&mut jar);
        Applicant {
            address,
            cookies: cookie_header(&jar),
            csrf: page.csrf_field().unwrap(),
        }
    }
}

/// The second write: an e-service application (incoming item + case in one
/// transaction), a new submission key each time. `Ok(Ok(_))` when the resident was sent
/// to the confirmation (303 to `/applications/{tracking code}`).
async fn apply(applicant: &Applicant) -> std::io::Result<Result<Acknowledged, (u16, String)>> {
    const BOUNDARY: &str = "crash-test-boundary-u8Wq3";
    let key = magistrat::auth::secret::random_token();
    let mut body = Vec::new();
    for (name, value) in [
        ("_csrf", applicant.csrf.as_str()),
        ("submission_key", &key[..32]),
        ("first_name", "Anna"),
        ("last_name", "Wiśniewska"),
        ("pesel", "44051401359"),
        ("street", "ul. Lipowa 3"),
        ("postal_code", "62-300"),
        ("city", "Borowiec"),
        ("email", "anna.wisniewska@example.pl"),
        ("purpose", "employer"),
    ] {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"fee_proof\"; \
             filename=\"oplata.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(&magistrat::attachments::tiny_pdf("Potwierdzenie przelewu"));
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let reply = http(
        applicant.address,
        "POST",
        "/services/SA-2/apply",
        &applicant.cookies,
        Some((&content_type, &body)),
    )
    .await?;
    let code = reply
        .header("location")
        .and_then(|l| l.strip_prefix("/applications/"));
    Ok(match (reply.status, code) {
        (303, Some(code)) => Ok(Acknowledged::Application {
            tracking_code: code.to_owned(),
            znak: None,
        }),
        _ => Err((reply.status, reply.body)),
    })
}

/// The third write: `POST /api/v1/applications` (JSON, the file base64). `Ok(Ok(_))`
/// on 201 with the znak and tracking code in the body.
async fn apply_through_api(
    address: SocketAddr,
) -> std::io::Result<Result<Acknowledged, (u16, String)>> {
    use base64::Engine as _;
    let pdf = magistrat::attachments::tiny_pdf("Potwierdzenie przelewu");
    let request = serde_json::json!({
        "service_card": "SA-2",
        "fields": {
            "first_name": "Jan",
            "last_name": "Nowak",
            "pesel": "44051401359",
            "street": "ul. Lipowa 5",
            "postal_code": "62-300",
            "city": "Borowiec",
            "email": "jan.nowak@example.pl",
            "purpose": "bank",
        },
        "files": [{
            "field": "fee_proof",
            "file_name": "oplata.pdf",
            "content_type": "application/pdf",
            "content_base64": base64::engine::general_purpose::STANDARD.encode(&pdf),
        }],
    })
    .to_string();
    let reply = http(
        address,
        "POST",
        "/api/v1/applications",
        "",
        Some(("application/json", request.as_bytes())),
    )
    .await?;
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap_or_default();
    let text = |key: &str| json[key].as_str().map(str::to_owned);
    Ok(match (reply.status, text("tracking_code"), text("znak")) {
        (201, Some(tracking_code), Some(znak)) => Ok(Acknowledged::Application {
            tracking_code,
            znak: Some(znak),
        }),
        // A whole 201 without its znak or code is a wrong answer, not a lost one (a
        // body the kill cut short never gets here: `http` calls it an I/O error).
        _ => Err((reply.status, reply.body)),
    })
}

/// The first write: the staff registration form. `Ok(Ok(case))` when
/// the server acknowledged it (303 to the new case's page).
async fn register(
    session: &Session,
    class: &str,
    title: &str,
) -> std::io::Result<Result<Acknowledged, (u16, String)>> {
    let today = magistrat::platform::Clock::system().today().to_string();
    let body = form(&[
        ("_csrf", &session.csrf),
        ("unit_id", &session.unit_id),
        ("jrwa_symbol", class),
        ("kind", "certificate"),
        ("title", title),
        ("party_name", "Ewa Testowa"),
        ("party_address", ""),
        ("party_email", ""),
        ("received_on", &today),
        ("channel", "counter"),
    ]);
    let reply = http(
        session.address,
        "POST",
        "/staff/cases/new",
        &session.cookies,
        Some((URLENCODED, body.as_bytes())),
    )
    .await?;
    let id = reply
        .header("location")
        .and_then(|l| l.strip_prefix("/staff/cases/"))
        .and_then(|id| id.parse().ok());
    Ok(match (reply.status, id) {
        (303, Some(id)) => Ok(Acknowledged::Case {
            id,
            title: title.to_owned(),
        }),
        _ => Err((reply.status, reply.body)),
    })
}

/// How many filings so far ran in a transaction together with another (jobs minus
/// batches of the write queue, from the server's /metrics).
async fn batched_filings(address: SocketAddr) -> u64 {
    let metrics = http(address, "GET", "/metrics", "", None).await.unwrap();
    let value = |name: &str| {
        metrics
            .body
            .lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse::<f64>().ok())
            .unwrap_or(0.0) as u64
    };
    value("magistrat_group_commit_jobs_sum ") - value("magistrat_group_commit_jobs_count ")
}

// =======================================================================================
// A minimal HTTP/1.1 client
// =======================================================================================

pub(crate) struct Reply {
    pub(crate) status: u16,
    headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Reply {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn store_cookies(&self, jar: &mut BTreeMap<String, String>) {
        for (k, v) in &self.headers {
            if k.eq_ignore_ascii_case("set-cookie")
                && let Some((name, value)) = v.split(';').next().and_then(|p| p.split_once('='))
            {
                jar.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    fn csrf_field(&self) -> Option<String> {
        let marker = "name=\"_csrf\" value=\"";
        let start = self.body.find(marker)? + marker.len();
        let end = self.body[start..].find('"')?;
        Some(self.body[start..start + end].to_owned())
    }
}

fn cookie_header(jar: &BTreeMap<String, String>) -> String {
    jar.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

pub(crate) const URLENCODED: &str = "application/x-www-form-urlencoded";

pub(crate) fn form(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// One request on a fresh connection. An answer counts once its status line and headers
/// are complete (that is when a browser would show the redirect); anything less is an
/// error.
pub(crate) async fn http(
    address: SocketAddr,
    method: &str,
    path: &str,
    cookies: &str,
    body: Option<(&str, &[u8])>,
) -> std::io::Result<Reply> {
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    if !cookies.is_empty() {
        request.push_str(&format!("Cookie: {cookies}\r\n"));
    }
    let request = match body {
        Some((content_type, body)) => {
            request.push_str(&format!(
                "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
                body.len()
            ));
            let mut bytes = request.into_bytes();
            bytes.extend_from_slice(body);
            bytes
        }
        None => (request + "\r\n").into_bytes(),
    };
    let exchange = async {
        let mut stream = TcpStream::connect(address).await?;
        stream.write_all(&request).await?;
        let mut raw = Vec::new();
        // A reset after the headers arrived still leaves an answer to parse.
        let _ = stream.read_to_end(&mut raw).await;
        Ok::<_, std::io::Error>(raw)
    };
    let raw = tokio::time::timeout(REQUEST_TIMEOUT, exchange)
        .await
        .map_err(|_| std::io::Error::other("timed out"))??;
    parse_reply(&raw).ok_or_else(|| std::io::Error::other("incomplete answer"))
}

fn parse_reply(raw: &[u8]) -> Option<Reply> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok());
    // An answer the kill cut short is no answer: only a whole body counts.
    if chunked {
        if !body.ends_with(b"0\r\n\r\n") {
            return None;
        }
        body = dechunk(&body);
    } else if length.is_some_and(|length| body.len() < length) {
        return None;
    }
    Some(Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = raw.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&raw[..end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next()?.trim(), 16).ok())
            .unwrap_or(0);
        let start = end + 2;
        if size == 0 || raw.len() < start + size {
            break;
        }
        out.extend_from_slice(&raw[start..start + size]);
        raw = raw.get(start + size + 2..).unwrap_or_default();
    }
    out
}

// =======================================================================================
// Reading the database directly
// =======================================================================================

const CASES_SQL: &str = "SELECT CAST(id AS BIGINT), title, znak, tracking_code, \
     CAST(correspondence_id AS BIGINT), CAST(unit_id AS BIGINT), jrwa_symbol, \
     CAST(year AS BIGINT), CAST(number AS BIGINT) FROM case_file ORDER BY id";
const INCOMING_SQL: &str = "SELECT CAST(id AS BIGINT), CAST(year AS BIGINT), \
     CAST(number AS BIGINT) FROM incoming_item ORDER BY id";

type RawRow = (
    i64,
    String,
    String,
    String,
    Option<i64>,
    i64,
    String,
    i64,
    i64,
);

async fn read_registers(url: &str) -> Registers {
    let db = Db::connect(url, 1).await.unwrap();
    let (raw, incoming): (Vec<RawRow>, _) = match &db.pool {
        Pool::Sqlite(p) => (
            sqlx::query_as(CASES_SQL).fetch_all(p).await.unwrap(),
            sqlx::query_as(INCOMING_SQL).fetch_all(p).await.unwrap(),
        ),
        Pool::Postgres(p) => (
            sqlx::query_as(CASES_SQL).fetch_all(p).await.unwrap(),
            sqlx::query_as(INCOMING_SQL).fetch_all(p).await.unwrap(),
        ),
    };
    db.close().await;
    let cases = raw
        .into_iter()
        .map(
            |(id, title, znak, tracking_code, incoming_id, unit_id, jrwa_symbol, year, number)| {
                CaseRow {
                    id,
                    title,
                    znak,
                    tracking_code,
                    incoming_id,
                    unit_id,
                    jrwa_symbol,
                    year,
                    number,
                }
            },
        )
        .collect();
    Registers { cases, incoming }
}

/// Below `bound`, different on every run (the kill must not always land at the same
/// point of a request).
fn random_below(bound: u64) -> u64 {
    let token = magistrat::auth::secret::random_token();
    u64::from_str_radix(&token[..8], 16).unwrap_or(0) % bound
}

crate::backend_tests!(writes_are_durable_settings);

/// SIGKILL cannot see a missing fsync: the process dies, the kernel's page cache
/// survives. What makes an answered write survive a machine crash is the database's
/// own durability settings, so they are asserted here, read through the app's pool:
/// SQLite in WAL mode with `synchronous=FULL` (the WAL is synced at every commit;
/// docs/decisions/0002), PostgreSQL with `fsync`, `full_page_writes` and
/// `synchronous_commit` on.
async fn writes_are_durable_settings(app: crate::helpers::TestApp) {
    match &app.db.pool {
        Pool::Sqlite(pool) => {
            let mut connection = pool.acquire().await.unwrap();
            let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
                .fetch_one(&mut *connection)
                .await
                .unwrap();
            assert_eq!(journal, "wal");
            // 2 = FULL (0 OFF, 1 NORMAL, 3 EXTRA).
            let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
                .fetch_one(&mut *connection)
                .await
                .unwrap();
            assert_eq!(synchronous, 2, "SQLite synchronous is not FULL");
        }
        Pool::Postgres(pool) => {
            for setting in ["fsync", "full_page_writes"] {
                let value: String =
                    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SHOW {setting}")))
                        .fetch_one(pool)
                        .await
                        .unwrap();
                assert_eq!(value, "on", "PostgreSQL {setting}");
            }
            // `on` waits for the local flush (and a synchronous standby's, if any);
            // `remote_write`/`remote_apply` wait longer still; `local` flushes locally.
            // Only `off` answers before the WAL is on disk.
            let commit: String = sqlx::query_scalar("SHOW synchronous_commit")
                .fetch_one(pool)
                .await
                .unwrap();
            assert_ne!(commit, "off", "PostgreSQL synchronous_commit is off");
        }
    }
}
