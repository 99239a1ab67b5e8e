//! The command line: `magistrat <command>`. Without a command it is the quick start:
//! migrate, seed the demo office on an empty database, print the sign-in details and
//! serve. Every command that touches the database takes `--database-url` (or
//! `MAGISTRAT_DATABASE_URL`).

use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::app::{self, AppState};
use crate::auth::policy::{Grant, Role};
use crate::auth::secret::generate_password;
use crate::auth::users::{self, NewUser, check_password};
use crate::config::{Config, LogFormat, Overrides, redact_url};
use crate::db::audit::{self, Actor, Verdict};
use crate::db::{DatabaseUrl, Db};
use crate::demo;
use crate::platform::Clock;

#[derive(Parser, Debug)]
#[command(
    name = "magistrat",
    version,
    about = "Magistrat: office management system for Polish municipal offices",
    long_about = "Magistrat: office management system for Polish municipal offices.\n\n\
                  Run without a command for the quick start: SQLite database in ./data, demo \
                  data, sign-in details printed, served on 127.0.0.1:8080."
)]
pub struct Cli {
    /// Configuration file (TOML). Default: ./magistrat.toml when it exists.
    #[arg(long, global = true, env = "MAGISTRAT_CONFIG")]
    config: Option<PathBuf>,

    /// Database: sqlite://PATH or postgres://USER@HOST/DB.
    #[arg(
        long,
        global = true,
        env = "MAGISTRAT_DATABASE_URL",
        hide_env_values = true
    )]
    database_url: Option<String>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web application (applies pending migrations first).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Apply migrations and seed the demo office (a fictional town) into an empty database.
    Demo(DemoArgs),
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Audit trail tools.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Make a consistent copy of a running SQLite database; for PostgreSQL, print the
    /// pg_dump command to use.
    Backup(BackupArgs),
    /// Configuration tools.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Compute a due date by KPA art. 57 (Saturdays and statutory holidays); the date
    /// is printed as YYYY-MM-DD on the last line.
    Deadline(DeadlineArgs),
    /// The JRWA classification (jednolity rzeczowy wykaz akt).
    #[command(subcommand)]
    Jrwa(JrwaCommand),
    /// Add benchmark data quickly (multi-row inserts): cases to one unit's register,
    /// problem reports, BIP publications, ratings, finished visits, API keys.
    BenchSeed(BenchSeedArgs),
    /// Deadline reminders by e-mail (the server also sends them daily at reminder_hour).
    #[command(subcommand)]
    Reminders(RemindersCommand),
    /// Integrators' API keys (Open311 clients).
    #[command(subcommand)]
    Apikey(ApikeyCommand),
    /// The office's Fediverse (ActivityPub) account.
    #[command(subcommand)]
    Fediverse(FediverseCommand),
}

#[derive(Subcommand, Debug)]
enum FediverseCommand {
    /// Make the account's RSA key pair if there is none (serve also makes it at start)
    /// and print its public key; the private key stays in the database.
    Key,
}

#[derive(Subcommand, Debug)]
enum ApikeyCommand {
    /// Create a key; the key is printed on the last line, once (only its hash is kept).
    Add {
        /// A name for the key: who uses it (1–100 letters, digits, spaces, . _ -).
        #[arg(long)]
        name: String,
        /// Scope, repeatable (default: all): reports:create.
        #[arg(long = "scope")]
        scopes: Vec<String>,
    },
    /// Revoke a key: refused from now on, on every app server.
    Revoke {
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand, Debug)]
enum RemindersCommand {
    /// E-mail officials and heads of unit their cases overdue or due within
    /// reminder_days_ahead days; once per day (a day already sent is refused).
    Send(SendArgs),
}

#[derive(Args, Debug)]
struct SendArgs {
    /// The day to remind for, YYYY-MM-DD (default: today in Europe/Warsaw).
    #[arg(long)]
    date: Option<String>,
    /// Show who would get which mail; send nothing and record nothing.
    #[arg(long)]
    dry_run: bool,
    /// Send again for a day already sent.
    #[arg(long)]
    force: bool,
}

#[derive(Args, Debug)]
struct DeadlineArgs {
    /// Day of the event that starts the term (not counted), YYYY-MM-DD; today (by the
    /// office's clock) when left out.
    #[arg(long)]
    from: Option<String>,
    /// Term: Nd (days), Nw (weeks) or Nm (months), e.g. 14d, 1m.
    #[arg(long, conflicts_with = "kind", required_unless_present = "kind")]
    term: Option<String>,
    /// Kind of case instead of a term: administrative_simple, administrative_complex,
    /// administrative_immediate, appeal (the appeal body's one month to decide, KPA
    /// art. 35 § 3 — not the party's term to appeal), certificate, complaint_or_motion,
    /// petition, public_information, public_information_appeal, accessibility_demand;
    /// or a term after an event: appeal-term (the party's 14 days from the decision's
    /// delivery, art. 129 § 2), zazalenie-term (7 days from the order's delivery, art.
    /// 141 § 2), appeal-forward (the organ's 7 days to forward an appeal with the file,
    /// art. 133), ponaglenie-forward (7 days to forward a ponaglenie with the organ's
    /// position, art. 37 § 4).
    #[arg(long)]
    kind: Option<String>,
}

#[derive(Subcommand, Debug)]
enum JrwaCommand {
    /// Import a classification from a CSV file (symbol;title;category), replacing that
    /// year's; all or nothing, with line-numbered errors.
    Import {
        /// The year the classification applies to.
        #[arg(long)]
        year: i32,
        /// The CSV file (UTF-8).
        path: PathBuf,
    },
}

#[derive(Args, Debug)]
struct BenchSeedArgs {
    /// Symbol of the unit whose register gets the cases.
    #[arg(long, default_value = "SA")]
    unit: String,
    /// How many cases to add.
    #[arg(long, default_value_t = 0)]
    cases: u64,
    /// How many problem reports (Open311) to add.
    #[arg(long, default_value_t = 0)]
    reports: u64,
    /// How many published BIP publications to add.
    #[arg(long, default_value_t = 0)]
    publications: u64,
    /// How many satisfaction ratings to add (copies of the demo's, over the last year).
    #[arg(long, default_value_t = 0)]
    ratings: u64,
    /// How many finished visits to add, rateable with the e-ticket tokens
    /// `bench-visit-0000000`, `bench-visit-0000001`, ….
    #[arg(long, default_value_t = 0)]
    visits: u64,
    /// How many Open311 API keys (scope reports:create) to create; they are written to
    /// `--api-keys-file`, one a line.
    #[arg(long, default_value_t = 0)]
    api_keys: u64,
    /// Where `--api-keys` writes the keys.
    #[arg(long, default_value = "bench-api-keys.txt")]
    api_keys_file: PathBuf,
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "MAGISTRAT_LISTEN")]
    listen: Option<SocketAddr>,
}

#[derive(Args, Debug)]
struct DemoArgs {
    /// Password for the demo accounts (default: generated and printed).
    #[arg(long, env = "MAGISTRAT_DEMO_PASSWORD", hide_env_values = true)]
    password: Option<String>,
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create a staff account. The password is read from standard input (one line) when
    /// it is not a terminal, otherwise generated and printed.
    Add {
        /// Login: 3–64 lowercase letters, digits, '.', '_' or '-'.
        #[arg(long)]
        login: String,
        /// Full name shown in the application.
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        email: String,
        /// Role, repeatable: administrator, manager, case_official, front_desk_official,
        /// bip_editor, quality_officer, security_officer, hr.
        #[arg(long = "role", required = true)]
        roles: Vec<Role>,
    },
    /// Set a new password (read from standard input, or generated and printed); also
    /// ends the account's sessions.
    Passwd { login: String },
    /// Disable an account and end its sessions.
    Disable { login: String },
    /// Enable a disabled account.
    Enable { login: String },
}

#[derive(Subcommand, Debug)]
enum AuditCommand {
    /// Check the hash chain of the whole audit trail; names the first bad event. With
    /// --against, also prove that nothing at or before a signed checkpoint changed.
    Verify(VerifyArgs),
    /// Sign a checkpoint of the chain's head now with audit_signing_key_file, store and
    /// publish it, and write it (JSON) to --output or standard output.
    Checkpoint {
        /// The file to write the checkpoint to (default: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Make a new Ed25519 signing key for checkpoints: written to --output (a new file,
    /// readable by its owner only); the public key is printed.
    Keygen {
        /// The key file to create (must not exist).
        #[arg(long, short)]
        output: PathBuf,
    },
}

#[derive(Args, Debug)]
struct VerifyArgs {
    /// A checkpoint file (one checkpoint, or the list from /audit/checkpoints.json):
    /// its signature is checked, and the chain recomputed up to its event must end in
    /// its hash.
    #[arg(long)]
    against: Option<PathBuf>,
    /// The office's public key (hex) to check the signature with; without it, the key
    /// named in the file (then compare it with the published one yourself).
    #[arg(long, requires = "against")]
    public_key: Option<String>,
}

#[derive(Args, Debug)]
struct BackupArgs {
    /// Where to write the copy (must not exist).
    #[arg(long, short)]
    output: PathBuf,
}

#[derive(Subcommand, Debug)]
enum ConfigCommand {
    /// Check the configuration and the database connection, and print the effective
    /// settings (passwords masked).
    Check,
}

impl clap::builder::ValueParserFactory for Role {
    type Parser = clap::builder::ValueParser;
    fn value_parser() -> Self::Parser {
        clap::builder::ValueParser::new(|s: &str| s.parse::<Role>().map_err(|e| e.to_string()))
    }
}

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // A new key needs no configuration (which may already name the file to be made).
    if let Some(Command::Audit(AuditCommand::Keygen { output })) = &cli.command {
        return audit_keygen(output);
    }
    let listen = match &cli.command {
        Some(Command::Serve(args)) => args.listen,
        _ => None,
    };
    let overrides = Overrides {
        listen,
        database_url: cli.database_url.clone(),
    };
    let config = match Config::load(cli.config.as_deref(), &overrides) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: configuration is not valid:\n{e}");
            return ExitCode::from(2);
        }
    };
    init_logging(config.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MAGISTRAT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    // A span's close line carries its busy and idle time: with `magistrat=debug` every
    // store call a request made is logged with how long it took (docs/operations.md).
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// The office's clock the configuration asks for; a set clock is logged as a warning, so
/// that a server or a command run off the real time never goes unnoticed.
fn office_clock(config: &Config) -> Clock {
    if let Some(moment) = config.clock {
        tracing::warn!(%moment, "the office's clock was set (MAGISTRAT_CLOCK): dates and deadlines follow it, not the real time");
    }
    config.clock()
}

async fn connect(config: &Config) -> anyhow::Result<Db> {
    let clock = office_clock(config);
    Db::connect(&config.database_url, config.database_max_connections)
        .await
        .map(|db| db.with_clock(clock))
        .map_err(|e| anyhow::anyhow!("{e} ({})", redact_url(&config.database_url)))
}

async fn run(command: Option<Command>, config: Config) -> anyhow::Result<ExitCode> {
    match command {
        None => quick_start(config).await,
        Some(Command::Serve(_)) => serve(config).await,
        Some(Command::Migrate) => {
            let db = connect(&config).await?;
            db.migrate().await?;
            println!("migrations applied ({})", redact_url(&config.database_url));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Demo(args)) => {
            let db = connect(&config).await?;
            db.migrate().await?;
            seed_demo(&db, args.password).await?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::User(cmd)) => user_command(&connect(&config).await?, cmd).await,
        Some(Command::Apikey(cmd)) => {
            let db = connect(&config).await?;
            db.migrate().await?;
            apikey_command(&db, cmd).await
        }
        Some(Command::Fediverse(FediverseCommand::Key)) => {
            let db = connect(&config).await?;
            db.migrate().await?;
            let (public, _) = crate::fediverse::service::ensure_key(&db).await?;
            print!("{public}");
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Audit(AuditCommand::Verify(args))) => {
            let db = connect(&config).await?;
            match &args.against {
                None => audit_verify(&db).await,
                Some(file) => audit_verify_against(&db, file, args.public_key.as_deref()).await,
            }
        }
        Some(Command::Audit(AuditCommand::Checkpoint { output })) => {
            audit_checkpoint(&config, output.as_deref()).await
        }
        Some(Command::Audit(AuditCommand::Keygen { output })) => Ok(audit_keygen(&output)),
        Some(Command::Backup(args)) => backup(&config, args).await,
        Some(Command::Config(ConfigCommand::Check)) => config_check(&config).await,
        Some(Command::Deadline(args)) => Ok(deadline(&args, &office_clock(&config))),
        Some(Command::Jrwa(JrwaCommand::Import { year, path })) => {
            let db = connect(&config).await?;
            db.migrate().await?;
            jrwa_import(&db, year, &path).await
        }
        Some(Command::BenchSeed(args)) => {
            let db = connect(&config).await?;
            db.migrate().await?;
            bench_seed(&db, &args).await
        }
        Some(Command::Reminders(RemindersCommand::Send(args))) => {
            let db = connect(&config).await?;
            db.migrate().await?;
            reminders_send(&db, &config, &args).await
        }
    }
}

async fn quick_start(config: Config) -> anyhow::Result<ExitCode> {
    let db = connect(&config).await?;
    db.migrate().await?;
    if demo::is_empty(&db).await? {
        seed_demo(&db, std::env::var("MAGISTRAT_DEMO_PASSWORD").ok()).await?;
    } else {
        println!("The database already holds an office; demo data not added.");
        println!("Forgot the password? magistrat user passwd admin");
    }
    db.close().await;
    serve(config).await
}

async fn serve(config: Config) -> anyhow::Result<ExitCode> {
    let db = connect(&config).await?;
    db.migrate().await?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, database = %redact_url(&config.database_url), "Magistrat is serving");
    println!("Magistrat: http://{address}/  (staff: http://{address}/login)");
    let state = AppState::new(db, config);
    let checkpoints = checkpoint_job(&state.config, &state.mailer)?;
    // The periodic jobs of this server: each runs once per period across all servers.
    let mut jobs = vec![
        crate::reminders::job(&state.config, state.mailer.clone()),
        crate::platform::events::prune_job(),
        crate::service_point::booking::reminder_job(&state.config, state.mailer.clone()),
        crate::fediverse::service::job(&state.config),
        crate::rodo::service::job(&state.config),
        state.outbox.job(),
    ];
    // The Fediverse key pair, made once (off the start's path: it takes a moment).
    let key_db = state.db.clone();
    tokio::spawn(async move {
        tokio::time::sleep(crate::fediverse::service::KEY_AT_START_DELAY).await;
        if let Err(e) = crate::fediverse::service::ensure_key(&key_db).await {
            tracing::error!(error = %e, "the Fediverse key pair could not be made");
        }
    });
    jobs.extend(checkpoints);
    let jobs = crate::platform::jobs::spawn(&state.db, jobs);
    app::serve(state, listener).await?;
    drop(jobs);
    Ok(ExitCode::SUCCESS)
}

/// The daily audit checkpoint, when a signing key is configured (decision 0024).
fn checkpoint_job(
    config: &Config,
    mailer: &crate::mailer::Mailer,
) -> anyhow::Result<Option<crate::platform::jobs::Job>> {
    use crate::audit::{anchor, publish};
    let Some(path) = &config.audit_signing_key_file else {
        tracing::warn!(
            "no audit_signing_key_file: the audit chain is not anchored by daily signed checkpoints"
        );
        return Ok(None);
    };
    let key = anchor::load_signing_key(path)?;
    Ok(Some(publish::job(
        publish::Settings {
            key: std::sync::Arc::new(key),
            security_officer_email: config.security_officer_email.clone(),
            public_url: config.public_url.clone(),
            hour: config.audit_checkpoint_hour,
        },
        mailer.clone(),
    )))
}

async fn seed_demo(db: &Db, password: Option<String>) -> anyhow::Result<()> {
    if !demo::is_empty(db).await? {
        println!("The database already holds an office; demo data not added.");
        return Ok(());
    }
    let password = password.unwrap_or_else(generate_password);
    if let Err(problems) = check_password(&password, &[]) {
        anyhow::bail!(
            "the demo password does not meet the password policy: {}",
            problems.join(", ")
        );
    }
    let logins = demo::seed(db, &password).await?;
    println!("Demo office created. Staff accounts (all with the same password):");
    for (login, role) in logins {
        println!("  {login:<16} {role}");
    }
    println!("Administrator: login `admin`, password `{password}`");
    Ok(())
}

/// A password from standard input when it is piped, else a generated one (printed).
fn read_or_generate_password() -> anyhow::Result<(String, bool)> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok((generate_password(), true));
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        Ok((generate_password(), true))
    } else {
        Ok((password, false))
    }
}

/// `magistrat bench-seed`: each kind of benchmark data asked for, timed.
async fn bench_seed(db: &Db, args: &BenchSeedArgs) -> anyhow::Result<ExitCode> {
    use crate::api_keys::service::{self as keys, KeySecret};
    let timed = |what: &str, n: u64, started: std::time::Instant| {
        println!(
            "added {n} {what} in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    };
    if args.cases > 0 {
        let started = std::time::Instant::now();
        let n = crate::cases::bench_seed::seed_bulk(db, &args.unit, args.cases).await?;
        timed(&format!("cases to {}", args.unit), n, started);
    }
    if args.reports > 0 {
        let started = std::time::Instant::now();
        let n = crate::problem_reports::bench_seed::seed_bulk(db, args.reports).await?;
        timed("problem reports", n, started);
    }
    if args.publications > 0 {
        let started = std::time::Instant::now();
        let n = crate::bip::bench_seed::seed_bulk(db, args.publications).await?;
        timed("BIP publications", n, started);
    }
    if args.ratings > 0 {
        let started = std::time::Instant::now();
        let n = crate::satisfaction::bench_seed::seed_bulk(db, args.ratings).await?;
        timed("ratings", n, started);
    }
    if args.visits > 0 {
        let started = std::time::Instant::now();
        let n = crate::service_point::bench_seed::seed_bulk(db, args.visits).await?;
        timed("finished visits", n, started);
    }
    if args.api_keys > 0 {
        let started = std::time::Instant::now();
        let actor = Actor::system("bench-seed");
        let scopes = keys::parse_scopes(["reports:create"]).map_err(|e| anyhow::anyhow!("{e}"))?;
        let secret = KeySecret::default();
        let mut lines = String::new();
        for i in 0..args.api_keys {
            let (_, token) = keys::create(db, &secret, &actor, &format!("bench {i}"), &scopes)
                .await
                .map_err(|e| anyhow::anyhow!("API key {i}: {e}"))?;
            lines.push_str(&token);
            lines.push('\n');
        }
        std::fs::write(&args.api_keys_file, lines)?;
        timed(
            &format!("API keys (in {})", args.api_keys_file.display()),
            args.api_keys,
            started,
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn apikey_command(db: &Db, cmd: ApikeyCommand) -> anyhow::Result<ExitCode> {
    use crate::api_keys::service::{self as keys, ApiKeyError, KeySecret};
    let actor = Actor::system("cli");
    let outcome = match cmd {
        ApikeyCommand::Add { name, scopes } => {
            match keys::parse_scopes(scopes.iter().map(String::as_str)) {
                Ok(scopes) => keys::create(db, &KeySecret::default(), &actor, &name, &scopes)
                    .await
                    .map(|(key, token)| {
                        println!("created API key {} (scopes: {})", key.name, key.scopes);
                        println!("{token}");
                    }),
                Err(e) => Err(e),
            }
        }
        ApikeyCommand::Revoke { name } => keys::revoke_by_name(db, &actor, &name)
            .await
            .map(|key| println!("revoked API key {}", key.name)),
    };
    match outcome {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(ApiKeyError::Db(e)) => Err(e.into()),
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::from(2))
        }
    }
}

async fn user_command(db: &Db, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let actor = Actor::system("cli");
    match cmd {
        UserCommand::Add {
            login,
            name,
            email,
            roles,
        } => {
            let (password, generated) = read_or_generate_password()?;
            let grants = roles
                .into_iter()
                .map(|role| Grant {
                    role,
                    org_unit_id: None,
                })
                .collect();
            let user = match NewUser::parse(&login, &name, &email, &password, grants) {
                Ok(user) => user,
                Err(errors) => {
                    for (field, key) in errors.fields() {
                        eprintln!("error: {field}: {}", crate::web::i18n::Lang::En.t(key));
                    }
                    return Ok(ExitCode::from(2));
                }
            };
            let mut tx = db.begin().await?;
            let id = match users::create(&mut tx, &actor, &user).await {
                Ok(id) => id,
                Err(users::UserError::LoginTaken) => {
                    eprintln!("error: login `{login}` is already taken");
                    return Ok(ExitCode::from(2));
                }
                Err(e) => return Err(e.into()),
            };
            tx.commit().await?;
            println!("created user {login} (id {id})");
            if generated {
                println!("password: {password}");
            }
        }
        UserCommand::Passwd { login } => {
            let user = find(db, &login).await?;
            let (password, generated) = read_or_generate_password()?;
            if let Err(problems) = check_password(&password, &[&user.login, &user.display_name]) {
                eprintln!(
                    "error: the password does not meet the policy: {}",
                    problems.join(", ")
                );
                return Ok(ExitCode::from(2));
            }
            let mut tx = db.begin().await?;
            users::set_password(&mut tx, &actor, user.id, &password).await?;
            tx.commit().await?;
            println!("password of {login} changed; its sessions ended");
            if generated {
                println!("password: {password}");
            }
        }
        UserCommand::Disable { login } => set_active(db, &actor, &login, false).await?,
        UserCommand::Enable { login } => set_active(db, &actor, &login, true).await?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn find(db: &Db, login: &str) -> anyhow::Result<users::UserRecord> {
    users::find_by_login(db, login)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no user with login `{login}`"))
}

async fn set_active(db: &Db, actor: &Actor, login: &str, active: bool) -> anyhow::Result<()> {
    let user = find(db, login).await?;
    let mut tx = db.begin().await?;
    users::set_active(&mut tx, actor, user.id, active).await?;
    tx.commit().await?;
    println!(
        "{login} {}",
        if active {
            "enabled"
        } else {
            "disabled; its sessions ended"
        }
    );
    Ok(())
}

async fn audit_verify(db: &Db) -> anyhow::Result<ExitCode> {
    match audit::verify(db).await? {
        Verdict::Intact { events, head_hash } => {
            println!("audit trail intact: {events} events, head {head_hash}");
            Ok(ExitCode::SUCCESS)
        }
        Verdict::Broken { seq, problem } => {
            println!("audit trail BROKEN at event #{seq}: {problem}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// `magistrat audit verify --against FILE`: exit 0 when every checkpoint in the file
/// is signed by the key and the chain up to it is unchanged; 1 when not (the message
/// names the event); 2 when the file or the key cannot be read.
async fn audit_verify_against(
    db: &Db,
    file: &std::path::Path,
    public_key: Option<&str>,
) -> anyhow::Result<ExitCode> {
    use crate::audit::anchor::{self, Anchored};
    let checkpoints = match std::fs::read_to_string(file)
        .map_err(|e| e.to_string())
        .and_then(|text| anchor::parse_checkpoints(&text).map_err(|e| e.to_string()))
    {
        Ok(list) if !list.is_empty() => list,
        Ok(_) => {
            eprintln!("error: {} holds no checkpoint", file.display());
            return Ok(ExitCode::from(2));
        }
        Err(e) => {
            eprintln!(
                "error: {} is not a checkpoint file (JSON from `magistrat audit checkpoint` or /audit/checkpoints.json): {e}",
                file.display()
            );
            return Ok(ExitCode::from(2));
        }
    };
    let key = match public_key {
        Some(text) => anchor::parse_public_key(text),
        None => {
            println!(
                "note: checking against the key named in the file; compare it with the office's published key or give --public-key"
            );
            checkpoints[0].named_key()
        }
    };
    let key = match key {
        Ok(key) => key,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let (ok, message) = match anchor::verify_against(db, &checkpoints, &key).await? {
        Anchored::Holds { seq, checkpoints } => (
            true,
            format!(
                "audit trail matches {checkpoints} signed checkpoint(s): nothing at or before event #{seq} changed"
            ),
        ),
        Anchored::BadSignature { seq } => (
            false,
            format!(
                "checkpoint of event #{seq} REFUSED: its signature is not valid for key {} (forged or altered); nothing proved",
                hex::encode(key.as_bytes())
            ),
        ),
        Anchored::Broken { seq, problem } => (
            false,
            format!("audit trail BROKEN at event #{seq}: {problem}"),
        ),
        Anchored::Truncated { first_missing, seq } => (
            false,
            format!(
                "audit trail TRUNCATED: event #{first_missing} is missing but the checkpoint signed the chain up to event #{seq} (events deleted)"
            ),
        ),
        Anchored::Rewritten {
            seq,
            taken_at,
            agrees_until,
        } => (
            false,
            format!(
                "audit trail REWRITTEN: event #{seq} no longer has the hash signed at {taken_at}; an event from #{} to #{seq} was changed and the chain after it recomputed",
                agrees_until.map_or(1, |s| s + 1)
            ),
        ),
    };
    println!("{message}");
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `magistrat audit checkpoint`: signs the head now (the daily job does the same).
async fn audit_checkpoint(
    config: &Config,
    output: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    use crate::audit::anchor::{self, Taken};
    let Some(path) = &config.audit_signing_key_file else {
        eprintln!(
            "error: no audit_signing_key_file is configured (make one with `magistrat audit keygen --output FILE`)"
        );
        return Ok(ExitCode::from(2));
    };
    let key = anchor::load_signing_key(path)?;
    let db = connect(config).await?;
    db.migrate().await?;
    let checkpoint = match anchor::take(&db, &key, &Actor::system("cli")).await? {
        Taken::Signed(checkpoint) => checkpoint,
        Taken::ChainBroken { seq, problem } => {
            println!("audit trail BROKEN at event #{seq}: {problem}; no checkpoint signed");
            return Ok(ExitCode::FAILURE);
        }
    };
    let json = serde_json::to_string_pretty(&checkpoint)?;
    match output {
        Some(file) => {
            std::fs::write(file, format!("{json}\n"))
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", file.display()))?;
            println!(
                "checkpoint of event #{} signed and written to {}",
                checkpoint.seq,
                file.display()
            );
        }
        None => println!("{json}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `magistrat audit keygen --output FILE`.
fn audit_keygen(output: &std::path::Path) -> ExitCode {
    match crate::audit::anchor::write_new_key(output) {
        Ok(public) => {
            println!("signing key written to {} (mode 0600)", output.display());
            println!("public key: {}", hex::encode(public.as_bytes()));
            println!(
                "set audit_signing_key_file = \"{}\" and publish the public key",
                output.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

async fn backup(config: &Config, args: BackupArgs) -> anyhow::Result<ExitCode> {
    match DatabaseUrl::parse(&config.database_url)? {
        DatabaseUrl::Sqlite(_) | DatabaseUrl::SqliteMemory => {
            if args.output.exists() {
                anyhow::bail!(
                    "{} already exists; choose a new file",
                    args.output.display()
                );
            }
            let db = connect(config).await?;
            crate::db::backup_sqlite(&db, &args.output).await?;
            println!("consistent copy written to {}", args.output.display());
        }
        DatabaseUrl::Postgres(url) => {
            println!("For PostgreSQL use pg_dump (consistent while the system runs):");
            println!(
                "  pg_dump --format=custom --file={} '{}'",
                args.output.display(),
                redact_url(&url)
            );
            println!(
                "(give the password through PGPASSWORD or ~/.pgpass, not on the command line)"
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn config_check(config: &Config) -> anyhow::Result<ExitCode> {
    println!("configuration is valid:\n{config:#?}");
    match connect(config).await {
        Ok(db) => {
            db.ping().await?;
            println!("database reachable ({:?})", db.backend());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// `magistrat deadline`: no database. Bad input: a clear message and exit code 2.
fn deadline(args: &DeadlineArgs, clock: &Clock) -> ExitCode {
    use crate::web::i18n::Lang;
    let from = args
        .from
        .clone()
        .unwrap_or_else(|| clock.today().to_string());
    // A term after an event (appeal-term, zazalenie-term, appeal-forward,
    // ponaglenie-forward) is a fixed term of days; the rest are kinds of case.
    let party = args
        .kind
        .as_deref()
        .and_then(|k| magistrat_domain::party_terms::PartyTerm::parse(k.trim()));
    let (term_arg, kind_arg) = match party {
        Some(p) => (p.term().to_string(), String::new()),
        None => (
            args.term.clone().unwrap_or_default(),
            args.kind.clone().unwrap_or_default(),
        ),
    };
    let parsed = crate::cases::tools::parse_calculation(&from, &term_arg, &kind_arg);
    let (start, term, kind) = match parsed {
        Ok(p) => p,
        Err(key) => {
            eprintln!("error: {}", Lang::En.t(key));
            return ExitCode::from(2);
        }
    };
    match magistrat_domain::deadline::explain_due_date(start, term, &[]) {
        Ok(d) => {
            if let Some(p) = party {
                println!(
                    "{} ({}, {}; counted from {})",
                    p.as_str(),
                    term,
                    p.source(),
                    p.starts_with()
                );
            }
            if let Some(kind) = kind {
                println!(
                    "{} ({}, {})",
                    crate::cases::tools::kind_name(Lang::En, kind),
                    term,
                    kind.source()
                );
            }
            let lines = crate::cases::tools::explain(Lang::En, &d);
            for line in &lines[..lines.len().saturating_sub(1)] {
                println!("{line}");
            }
            println!("{}", d.due);
            ExitCode::SUCCESS
        }
        Err(_) => {
            eprintln!("error: {}", Lang::En.t("deadline-error-range"));
            ExitCode::from(2)
        }
    }
}

async fn jrwa_import(db: &Db, year: i32, path: &std::path::Path) -> anyhow::Result<ExitCode> {
    use crate::web::i18n::Lang;
    if !(2000..=2100).contains(&year) {
        eprintln!("error: {}", Lang::En.t("jrwa-error-year"));
        return Ok(ExitCode::from(2));
    }
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", path.display());
            return Ok(ExitCode::from(2));
        }
    };
    let entries = match crate::cases::jrwa::parse_csv(&text) {
        Ok(entries) => entries,
        Err(errors) => {
            for line in crate::cases::tools::line_messages(Lang::En, &errors) {
                eprintln!("error: {line}");
            }
            return Ok(ExitCode::from(2));
        }
    };
    let mut tx = db.begin().await?;
    match crate::cases::store::import_jrwa(&mut tx, &Actor::system("cli"), year, &entries).await? {
        Ok(n) => {
            tx.commit().await?;
            println!("imported {n} JRWA classes for {year}");
            Ok(ExitCode::SUCCESS)
        }
        Err(missing) => {
            eprintln!(
                "error: {}",
                Lang::En.t_args(
                    "jrwa-error-in-use",
                    &[("classes", crate::web::i18n::Arg::Str(missing.join(", ")))]
                )
            );
            Ok(ExitCode::from(2))
        }
    }
}

/// `magistrat reminders send`: one run for a day; prints each mail and its recipient.
async fn reminders_send(db: &Db, config: &Config, args: &SendArgs) -> anyhow::Result<ExitCode> {
    use crate::reminders::{self, Outcome, RunOptions, Settings};
    let day = match &args.date {
        None => db.clock().today(),
        Some(text) => match magistrat_domain::deadline::parse_date(text) {
            Ok(day) => day,
            Err(_) => {
                eprintln!("error: --date: `{text}` is not a date YYYY-MM-DD");
                return Ok(ExitCode::from(2));
            }
        },
    };
    let mailer = crate::mailer::Mailer::from_config(config)?;
    let options = RunOptions {
        day,
        dry_run: args.dry_run,
        force: args.force,
    };
    let outcome = reminders::run(db, &mailer, &Settings::from_config(config), options).await?;
    let (mails, without_address) = match outcome {
        Outcome::AlreadyClaimed => {
            eprintln!("error: reminders for {day} were already sent; use --force to send again");
            return Ok(ExitCode::from(2));
        }
        Outcome::Ran {
            mails,
            without_address,
        } => (mails, without_address),
    };
    let failed = mails.iter().filter(|m| m.error.is_some()).count();
    let verb = if args.dry_run { "would send" } else { "sent" };
    println!(
        "reminders for {day}: {verb} {} mail(s)",
        mails.len() - failed
    );
    for mail in &mails {
        let who = if mail.head {
            "head of unit"
        } else {
            "official"
        };
        match &mail.error {
            None => println!("  {} <{}> ({who}): {}", mail.login, mail.to, mail.subject),
            Some(e) => println!("  FAILED {} <{}> ({who}): {e}", mail.login, mail.to),
        }
    }
    for login in &without_address {
        println!("  no e-mail address: {login}");
    }
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
