//! Configuration: safe defaults, then `magistrat.toml` (or the file named by
//! `--config` / `MAGISTRAT_CONFIG`), then `MAGISTRAT_*` environment variables, then
//! command-line flags. Every value is checked once, here, so the rest of the code can
//! trust it; a wrong value is reported with the key and the source it came from.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};

/// The file read when no `--config` is given and it exists in the working directory.
pub const DEFAULT_CONFIG_FILE: &str = "magistrat.toml";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/magistrat.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// The keys of [`Config`], as written in the file and after `MAGISTRAT_` in the environment.
const SETTINGS: &[&str] = &[
    "listen",
    "database_url",
    "public_url",
    "session_idle_minutes",
    "session_absolute_hours",
    "trusted_proxies",
    "login_free_failures",
    "login_address_free_failures",
    "login_max_delay_seconds",
    "api_filings_per_minute",
    "web_filings_per_day",
    "metrics_allow",
    "metrics_token",
    "max_body_bytes",
    "api_max_body_bytes",
    "attachment_max_file_bytes",
    "attachment_max_item_bytes",
    "log_format",
    "database_max_connections",
    "smtp_url",
    "mail_from",
    "reminder_hour",
    "reminder_days_ahead",
    "live_heartbeat_seconds",
    "audit_signing_key_file",
    "audit_checkpoint_hour",
    "security_officer_email",
    "clock",
    "booking_first_day",
    "booking_last_day",
    "booking_grace_minutes",
    "booking_reminder_hour",
    "tickets_per_address_per_hour",
    "kiosk_addresses",
    "fediverse_account",
    "fediverse_allow_private",
    "fediverse_delivery_attempts",
    "share_mastodon_instance",
    "retention_hour",
    "resident_account_retention_days",
    "booking_retention_days",
    "report_contact_retention_days",
];

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address the HTTP server binds to.
    pub listen: SocketAddr,
    /// `sqlite://PATH` (embedded default) or `postgres://USER@HOST/DB`.
    pub database_url: String,
    /// The address residents and staff use, e.g. `https://urzad.example.pl`. When it
    /// starts with `https://`, cookies are marked `Secure` and HSTS is sent.
    pub public_url: Option<String>,
    /// Staff sessions end after this many minutes without a request.
    pub session_idle_minutes: u32,
    /// Staff sessions end this many hours after login, however active.
    pub session_absolute_hours: u32,
    /// The reverse proxies in front of the server (addresses or CIDRs). Only from
    /// these is the client's address taken from `Forwarded` / `X-Forwarded-For`; from
    /// anyone else the socket's peer is the client. Empty by default.
    #[serde(deserialize_with = "nets")]
    pub trusted_proxies: Vec<IpNet>,
    /// Wrong passwords for one account from one client address that cost nothing;
    /// after them each further attempt waits 1 s, 2 s, 4 s, … (never a lockout).
    pub login_free_failures: u32,
    /// Failed logins from one client address, whatever the accounts, before its
    /// attempts are slowed the same way (guessing across many accounts).
    pub login_address_free_failures: u32,
    /// The longest wait the growing login delays reach, in seconds.
    pub login_max_delay_seconds: u64,
    /// Filings through `POST /api/v1/applications` one client address may make per
    /// minute; beyond them 429 with `Retry-After`.
    pub api_filings_per_minute: u32,
    /// Filings through the web form one client address may make per day (Europe/Warsaw).
    pub web_filings_per_day: u32,
    /// Client addresses (or CIDRs) that may read `/metrics` without a token; by
    /// default the loopback only.
    #[serde(deserialize_with = "nets")]
    pub metrics_allow: Vec<IpNet>,
    /// A bearer token that opens `/metrics` from any address (`Authorization: Bearer
    /// …`); at least 32 characters. None by default.
    pub metrics_token: Option<String>,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Largest accepted body of a call to the JSON API (`/api/`), in bytes; when not
    /// set, the same as `max_body_bytes`, so that a file the web form takes is also
    /// taken through the API (whose base64 adds a third: see [`Config::api_max_body`]).
    pub api_max_body_bytes: Option<usize>,
    /// Largest attached file, in bytes.
    pub attachment_max_file_bytes: usize,
    /// Largest total of one item's attached files (a letter, an application), in bytes.
    /// A request carrying more than `max_body_bytes` is refused before this applies.
    pub attachment_max_item_bytes: usize,
    /// `text` for people, `json` for log collectors.
    pub log_format: LogFormat,
    /// Maximum connections in the database pool.
    pub database_max_connections: u32,
    /// The mail server for reminders and residents' sign-in links, e.g.
    /// `smtp://mail.urzad.local:587?tls=required` or `smtps://user:pass@host`. Without
    /// it, mail is written to the log instead of sent.
    pub smtp_url: Option<String>,
    /// The sender of the office's mail.
    pub mail_from: String,
    /// Hour of the day (Europe/Warsaw) at which the daily deadline reminders go out.
    pub reminder_hour: u8,
    /// A case counts as due soon this many days before its deadline.
    pub reminder_days_ahead: u32,
    /// Seconds between heartbeats (SSE comments) on an idle live-event stream: below a
    /// proxy's idle timeout (nginx's default is 60 s).
    pub live_heartbeat_seconds: u64,
    /// The file holding the Ed25519 key that signs the audit chain's daily checkpoints
    /// (made by `magistrat audit keygen`; readable by the server's user only). Without
    /// it no checkpoints are taken (docs/decisions/0024).
    pub audit_signing_key_file: Option<PathBuf>,
    /// Hour of the day (Europe/Warsaw) at which the daily checkpoint is signed.
    pub audit_checkpoint_hour: u8,
    /// Where the daily checkpoint (or the alarm of a broken chain) is mailed: the
    /// security officer's address, outside the office's database.
    pub security_officer_email: Option<String>,
    /// Starts the office's clock at this moment (RFC 3339, e.g.
    /// `2026-12-24T08:00:00+01:00`) and lets it run on: for demos of a given day and
    /// browser tests of deadlines. Never set in production (a warning is logged).
    pub clock: Option<jiff::Timestamp>,
    /// Visits may be booked from this many days after today (0: today too) …
    pub booking_first_day: u32,
    /// … up to this many days ahead (docs/decisions/0033).
    pub booking_last_day: u32,
    /// Minutes after a booked time within which the resident may still check in;
    /// later the slot is lost.
    pub booking_grace_minutes: u32,
    /// Hour of the day (Europe/Warsaw) at which the next day's booked visitors are
    /// reminded by e-mail.
    pub booking_reminder_hour: u8,
    /// Hour of the day (Europe/Warsaw) at which the retention job removes the personal
    /// data past their periods (docs/decisions/0049).
    pub retention_hour: u8,
    /// Days a resident account is kept after its last sign-in (RODO art. 5 ust. 1
    /// lit. e; default two years).
    pub resident_account_retention_days: u32,
    /// Days a booked visit keeps its name, e-mail, phone and PESEL after its day.
    pub booking_retention_days: u32,
    /// Days a closed problem report keeps its reporter's contact details.
    pub report_contact_retention_days: u32,
    /// Tickets (kiosk, API, check-in) one client address may ask for per hour; beyond
    /// them 429 with `Retry-After`. Generous: a shopping centre's Wi-Fi puts many
    /// residents' phones behind one address.
    pub tickets_per_address_per_hour: u32,
    /// The kiosks' own addresses (or CIDRs): not limited, since every resident at the
    /// office's kiosk comes from it. Empty by default.
    #[serde(deserialize_with = "nets")]
    pub kiosk_addresses: Vec<IpNet>,
    /// The office's Fediverse account: `urzad` in `@urzad@host` (lowercase letters,
    /// digits, `_`; docs/decisions/0045).
    pub fediverse_account: String,
    /// Lets the Fediverse client reach plain `http://` and private addresses (tests, a
    /// closed network). Off: a signed post cannot make the server fetch from its own
    /// network.
    pub fediverse_allow_private: bool,
    /// Attempts of one delivery to a follower's inbox before it is given up.
    pub fediverse_delivery_attempts: u32,
    /// The Mastodon server the office's residents are offered to share a publication or
    /// a news item on (`mastodon.example`: its share intent, `/share?text=…`). None: only
    /// the e-mail link. No script, no request of ours: a plain link.
    pub share_mastodon_instance: Option<String>,
}

impl Config {
    /// The office's clock this configuration asks for.
    pub fn clock(&self) -> crate::platform::Clock {
        match self.clock {
            Some(moment) => crate::platform::Clock::starting_at(moment),
            None => crate::platform::Clock::system(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: DEFAULT_DATABASE_URL.to_owned(),
            public_url: None,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            trusted_proxies: Vec::new(),
            login_free_failures: 5,
            login_address_free_failures: 20,
            login_max_delay_seconds: 900,
            api_filings_per_minute: 10,
            web_filings_per_day: 20,
            metrics_allow: vec![
                IpNet::V4(ipnet::Ipv4Net::new_assert(
                    std::net::Ipv4Addr::new(127, 0, 0, 0),
                    8,
                )),
                IpNet::V6(ipnet::Ipv6Net::new_assert(
                    std::net::Ipv6Addr::LOCALHOST,
                    128,
                )),
            ],
            metrics_token: None,
            max_body_bytes: 12 * 1024 * 1024,
            api_max_body_bytes: None,
            attachment_max_file_bytes: 10 * 1024 * 1024,
            attachment_max_item_bytes: 25 * 1024 * 1024,
            log_format: LogFormat::Text,
            database_max_connections: 16,
            smtp_url: None,
            mail_from: "Magistrat <no-reply@localhost>".to_owned(),
            reminder_hour: 7,
            reminder_days_ahead: 3,
            live_heartbeat_seconds: 15,
            audit_signing_key_file: None,
            audit_checkpoint_hour: 0,
            security_officer_email: None,
            clock: None,
            booking_first_day: 1,
            booking_last_day: 14,
            booking_grace_minutes: 10,
            booking_reminder_hour: 16,
            retention_hour: 3,
            resident_account_retention_days: magistrat_domain::rodo::RESIDENT_ACCOUNT_DAYS,
            booking_retention_days: magistrat_domain::rodo::BOOKING_DAYS,
            report_contact_retention_days: magistrat_domain::rodo::REPORT_CONTACT_DAYS,
            tickets_per_address_per_hour: 60,
            kiosk_addresses: Vec::new(),
            fediverse_account: "urzad".to_owned(),
            fediverse_allow_private: false,
            fediverse_delivery_attempts: 10,
            share_mastodon_instance: None,
        }
    }
}

/// Secrets never reach the logs: the database password is masked.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("database_url", &redact_url(&self.database_url))
            .field("public_url", &self.public_url)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_absolute_hours", &self.session_absolute_hours)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("login_free_failures", &self.login_free_failures)
            .field(
                "login_address_free_failures",
                &self.login_address_free_failures,
            )
            .field("login_max_delay_seconds", &self.login_max_delay_seconds)
            .field("api_filings_per_minute", &self.api_filings_per_minute)
            .field("web_filings_per_day", &self.web_filings_per_day)
            .field("metrics_allow", &self.metrics_allow)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "***"))
            .field("max_body_bytes", &self.max_body_bytes)
            .field("api_max_body_bytes", &self.api_max_body_bytes)
            .field("attachment_max_file_bytes", &self.attachment_max_file_bytes)
            .field("attachment_max_item_bytes", &self.attachment_max_item_bytes)
            .field("log_format", &self.log_format)
            .field("database_max_connections", &self.database_max_connections)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("reminder_hour", &self.reminder_hour)
            .field("reminder_days_ahead", &self.reminder_days_ahead)
            .field("live_heartbeat_seconds", &self.live_heartbeat_seconds)
            .field("audit_signing_key_file", &self.audit_signing_key_file)
            .field("audit_checkpoint_hour", &self.audit_checkpoint_hour)
            .field("security_officer_email", &self.security_officer_email)
            .field("clock", &self.clock)
            .field("booking_first_day", &self.booking_first_day)
            .field("booking_last_day", &self.booking_last_day)
            .field("booking_grace_minutes", &self.booking_grace_minutes)
            .field("booking_reminder_hour", &self.booking_reminder_hour)
            .field("retention_hour", &self.retention_hour)
            .field(
                "resident_account_retention_days",
                &self.resident_account_retention_days,
            )
            .field("booking_retention_days", &self.booking_retention_days)
            .field(
                "report_contact_retention_days",
                &self.report_contact_retention_days,
            )
            .field(
                "tickets_per_address_per_hour",
                &self.tickets_per_address_per_hour,
            )
            .field("kiosk_addresses", &self.kiosk_addresses)
            .field("fediverse_account", &self.fediverse_account)
            .field("fediverse_allow_private", &self.fediverse_allow_private)
            .field(
                "fediverse_delivery_attempts",
                &self.fediverse_delivery_attempts,
            )
            .field("share_mastodon_instance", &self.share_mastodon_instance)
            .finish()
    }
}

/// Replaces the password in `scheme://user:password@host/…` with `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) if userinfo.contains(':') => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        _ => url.to_owned(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration file {0} does not exist")]
    MissingFile(PathBuf),
    #[error("{0}")]
    Invalid(String),
}

/// Values given on the command line; they win over file and environment.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

impl Config {
    /// Loads the configuration from defaults, file, environment and overrides.
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> Result<Config, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) if !path.exists() => return Err(ConfigError::MissingFile(path.into())),
            Some(path) => figment = figment.merge(Toml::file(path)),
            None if Path::new(DEFAULT_CONFIG_FILE).exists() => {
                figment = figment.merge(Toml::file(DEFAULT_CONFIG_FILE));
            }
            None => {}
        }
        // Only the settings' own names are read from the environment: other
        // MAGISTRAT_* variables (the config file's path, test switches) are not settings.
        figment = figment
            .merge(Env::prefixed("MAGISTRAT_").only(SETTINGS))
            .merge(Serialized::defaults(overrides));
        let config: Config = figment
            .extract()
            .map_err(|e| ConfigError::Invalid(describe_figment_error(e)))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks relations between values that serde cannot see.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::Invalid(problems.join("\n")))
        }
    }

    /// The retention settings' problems (docs/decisions/0049).
    fn retention_problems(&self, problems: &mut Vec<String>) {
        if self.retention_hour > 23 {
            problems.push("retention_hour: must be between 0 and 23".to_owned());
        }
        for (key, days) in [
            (
                "resident_account_retention_days",
                self.resident_account_retention_days,
            ),
            ("booking_retention_days", self.booking_retention_days),
            (
                "report_contact_retention_days",
                self.report_contact_retention_days,
            ),
        ] {
            if !(1..=3650).contains(&days) {
                problems.push(format!("{key}: must be between 1 and 3650 days"));
            }
        }
    }

    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if crate::db::DatabaseUrl::parse(&self.database_url).is_err() {
            problems.push(format!(
                "database_url: `{}` is neither sqlite://PATH nor postgres://…",
                redact_url(&self.database_url)
            ));
        }
        if let Some(url) = &self.public_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            problems.push(format!(
                "public_url: `{url}` must start with https:// or http://"
            ));
        }
        let positive = [
            ("session_idle_minutes", self.session_idle_minutes),
            ("session_absolute_hours", self.session_absolute_hours),
            (
                "login_address_free_failures",
                self.login_address_free_failures,
            ),
            ("api_filings_per_minute", self.api_filings_per_minute),
            ("web_filings_per_day", self.web_filings_per_day),
            ("database_max_connections", self.database_max_connections),
            (
                "tickets_per_address_per_hour",
                self.tickets_per_address_per_hour,
            ),
        ];
        for (key, value) in positive {
            if value == 0 {
                problems.push(format!("{key}: must be greater than 0"));
            }
        }
        if u64::from(self.session_idle_minutes) > u64::from(self.session_absolute_hours) * 60 {
            problems.push(
                "session_idle_minutes: must not exceed session_absolute_hours × 60".to_owned(),
            );
        }
        if let Some(url) = &self.smtp_url
            && let Err(e) = crate::mailer::Mailer::from_url(url)
        {
            problems.push(format!("smtp_url: `{}`: {e}", redact_url(url)));
        }
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            problems.push(format!(
                "mail_from: `{}` is not an address such as `Urząd <urzad@example.pl>`",
                self.mail_from
            ));
        }
        if self.reminder_hour > 23 {
            problems.push("reminder_hour: must be between 0 and 23".to_owned());
        }
        self.retention_problems(&mut problems);
        if let Some(path) = &self.audit_signing_key_file
            && let Err(e) = crate::audit::anchor::load_signing_key(path)
        {
            problems.push(format!("audit_signing_key_file: {e}"));
        }
        if self.booking_first_day > self.booking_last_day || self.booking_last_day > 366 {
            problems.push(
                "booking_last_day: must be at least booking_first_day and at most 366".to_owned(),
            );
        }
        if self.booking_reminder_hour > 23 {
            problems.push("booking_reminder_hour: must be between 0 and 23".to_owned());
        }
        if self.audit_checkpoint_hour > 23 {
            problems.push("audit_checkpoint_hour: must be between 0 and 23".to_owned());
        }
        if let Some(address) = &self.security_officer_email
            && address.parse::<lettre::message::Mailbox>().is_err()
        {
            problems.push(format!(
                "security_officer_email: `{address}` is not an e-mail address"
            ));
        }
        self.limit_problems(&mut problems);
        problems
    }

    /// The numeric settings that must lie within bounds.
    fn limit_problems(&self, problems: &mut Vec<String>) {
        if !(1..=300).contains(&self.live_heartbeat_seconds) {
            problems.push("live_heartbeat_seconds: must be between 1 and 300".to_owned());
        }
        if self.login_max_delay_seconds == 0 {
            problems.push("login_max_delay_seconds: must be greater than 0".to_owned());
        }
        if self
            .metrics_token
            .as_ref()
            .is_some_and(|t| t.chars().count() < 32)
        {
            problems.push("metrics_token: must be at least 32 characters".to_owned());
        }
        if self.max_body_bytes < 1024 {
            problems.push("max_body_bytes: must be at least 1024".to_owned());
        }
        if self.api_max_body_bytes.is_some_and(|n| n < 1024) {
            problems.push("api_max_body_bytes: must be at least 1024".to_owned());
        }
        if self.attachment_max_file_bytes == 0
            || self.attachment_max_item_bytes < self.attachment_max_file_bytes
        {
            problems.push(
                "attachment_max_item_bytes: must be at least attachment_max_file_bytes (> 0)"
                    .to_owned(),
            );
        }
        if !magistrat_domain::fediverse::valid_account(&self.fediverse_account) {
            problems.push(format!(
                "fediverse_account: `{}` must be 1–30 lowercase letters, digits or _",
                self.fediverse_account
            ));
        }
        if !(1..=50).contains(&self.fediverse_delivery_attempts) {
            problems.push("fediverse_delivery_attempts: must be between 1 and 50".to_owned());
        }
        if let Some(host) = &self.share_mastodon_instance
            && !crate::web::share::valid_host(host)
        {
            problems.push(format!(
                "share_mastodon_instance: `{host}` must be a host name such as mastodon.example"
            ));
        }
    }

    /// The largest body a call to `/api/` may carry: `api_max_body_bytes`, or else
    /// the web's `max_body_bytes`. The default (12 MiB) carries a 4 MB file as base64
    /// (4/3 of its size, 5.4 MB) with room to spare.
    pub fn api_max_body(&self) -> usize {
        self.api_max_body_bytes.unwrap_or(self.max_body_bytes)
    }

    /// The attachment limits for one item.
    pub fn attachment_limits(&self) -> magistrat_domain::attachment::Limits {
        magistrat_domain::attachment::Limits {
            max_file_bytes: self.attachment_max_file_bytes,
            max_item_bytes: self.attachment_max_item_bytes,
            ..Default::default()
        }
    }

    /// The pause between heartbeats on a live-event stream.
    pub fn live_heartbeat(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.live_heartbeat_seconds)
    }

    /// Cookies get `Secure` and responses HSTS only when served over TLS.
    pub fn behind_tls(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

/// A list of networks, as a list (`["10.0.0.0/8", "192.0.2.7"]` in the file) or one
/// comma-separated string (`MAGISTRAT_TRUSTED_PROXIES=10.0.0.0/8,192.0.2.7`); a bare
/// address is a network of one.
fn nets<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<IpNet>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Given {
        One(String),
        Many(Vec<String>),
    }
    let items = match Given::deserialize(deserializer)? {
        Given::One(s) => s.split(',').map(str::to_owned).collect(),
        Given::Many(list) => list,
    };
    items
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    serde::de::Error::custom(format!(
                        "`{s}` is neither an address nor a network such as 10.0.0.0/8"
                    ))
                })
        })
        .collect()
}

fn describe_figment_error(error: figment::Error) -> String {
    error
        .into_iter()
        .map(|e| {
            let key = e.path.join(".");
            let source = e
                .metadata
                .as_ref()
                .map(|m| m.name.to_string())
                .unwrap_or_else(|| "configuration".to_owned());
            if key.is_empty() {
                format!("{}: {}", source, e.kind)
            } else {
                format!("{key} (from {source}): {}", e.kind)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        Config::default().validate().unwrap();
    }

    #[test]
    fn redacts_password() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db.local/magistrat"),
            "postgres://app:***@db.local/magistrat"
        );
        assert_eq!(redact_url("sqlite://data/m.db"), "sqlite://data/m.db");
        assert!(
            !format!(
                "{:?}",
                Config {
                    database_url: "postgres://u:topsecret@h/d".into(),
                    ..Config::default()
                }
            )
            .contains("topsecret")
        );
    }

    #[test]
    fn networks_come_as_a_list_or_one_comma_separated_string() {
        let from_file: Config = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::string(
                "trusted_proxies = [\"10.0.0.0/8\", \"192.0.2.7\"]\nmetrics_allow = \"::1, 10.1.2.0/24\"",
            ))
            .extract()
            .unwrap();
        let shown = |nets: &[IpNet]| nets.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(
            shown(&from_file.trusted_proxies),
            ["10.0.0.0/8", "192.0.2.7/32"]
        );
        assert_eq!(shown(&from_file.metrics_allow), ["::1/128", "10.1.2.0/24"]);
        assert_eq!(
            shown(&Config::default().metrics_allow),
            ["127.0.0.0/8", "::1/128"]
        );
        assert!(Config::default().trusted_proxies.is_empty());
        let wrong = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::string("trusted_proxies = \"proxy.local\""))
            .extract::<Config>();
        assert!(wrong.is_err());
    }

    #[test]
    fn rejects_wrong_values() {
        let bad = Config {
            database_url: "mysql://x".into(),
            session_idle_minutes: 0,
            public_url: Some("ftp://x".into()),
            ..Config::default()
        };
        let problems = bad.problems();
        assert_eq!(problems.len(), 3, "{problems:?}");
    }
}
