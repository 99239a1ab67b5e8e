//! Putting the checkpoints where a database writer cannot reach them: the daily job
//! signs one and mails it to the security officer, and a public page lists every
//! checkpoint with its signature (HTML, JSON and plain text), so that anyone who kept
//! a copy can later prove the trail unchanged up to it (docs/decisions/0024).

use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use ed25519_dalek::SigningKey;

use super::anchor::{self, Checkpoint, Taken};
use crate::app::AppState;
use crate::db::Db;
use crate::db::audit::{Actor, Change};
use crate::mailer::{Mail, Mailer};
use crate::platform::jobs::{Job, Report, Schedule};
use crate::web::error::AppResult;
use crate::web::i18n::{Arg, Lang};
use crate::web::page::PageCtx;
use crate::web::routes::{Access, Routes};

/// The job's name in `job_run`.
pub const JOB: &str = "audit-checkpoint";

/// The public list: one checkpoint a day, so about ten years of them.
const PUBLISHED: i64 = 4_000;
/// The HTML page shows the latest ones; the JSON and text lists have them all.
const ON_PAGE: usize = 60;

pub fn routes() -> Routes {
    Routes::site()
        .get("/audit/checkpoints", Access::Public, page)
        .get("/audit/checkpoints.json", Access::Public, as_json)
        .get("/audit/checkpoints.txt", Access::Public, as_text)
}

/// What the daily job needs from the configuration.
#[derive(Clone)]
pub struct Settings {
    pub key: Arc<SigningKey>,
    pub security_officer_email: Option<String>,
    pub public_url: Option<String>,
    pub hour: u8,
}

/// The daily checkpoint job `serve` registers when a signing key is configured.
pub fn job(settings: Settings, mailer: Mailer) -> Job {
    Job::new(
        JOB,
        Schedule::DailyAt {
            hour: settings.hour,
        },
        move |db, _period| {
            let (settings, mailer) = (settings.clone(), mailer.clone());
            async move { daily(&db, &settings, &mailer).await }
        },
    )
}

/// Signs today's checkpoint (or finds the chain broken) and mails the security
/// officer. A mail server's refusal is recorded, not retried: the checkpoint is stored
/// and published either way.
async fn daily(db: &Db, settings: &Settings, mailer: &Mailer) -> anyhow::Result<Report> {
    let taken = anchor::take(db, &settings.key, &Actor::system(JOB)).await?;
    let lang = Lang::Pl;
    let (mail, mut detail, audit) = match &taken {
        Taken::Signed(checkpoint) => (
            checkpoint_mail(lang, checkpoint, settings.public_url.as_deref()),
            serde_json::json!({ "seq": checkpoint.seq, "head_hash": checkpoint.head_hash }),
            None,
        ),
        Taken::ChainBroken { seq, problem } => {
            tracing::error!(seq, %problem, "audit chain broken: no checkpoint signed");
            (
                alarm_mail(lang, *seq),
                serde_json::json!({ "broken_at": seq, "problem": problem.to_string() }),
                Some((
                    Actor::system(JOB),
                    Change::action("broken", "audit_chain", seq),
                )),
            )
        }
    };
    detail["mail"] = match settings.security_officer_email.as_deref() {
        None => {
            tracing::warn!("no security_officer_email: the audit checkpoint is not mailed");
            serde_json::json!("no security_officer_email")
        }
        Some(to) => match mailer
            .send(&Mail {
                to: to.to_owned(),
                ..mail
            })
            .await
        {
            Ok(()) => serde_json::json!({ "sent_to": to }),
            Err(e) => {
                tracing::error!(to, error = %e, "audit checkpoint not mailed");
                serde_json::json!({ "failed": to, "error": e.to_string() })
            }
        },
    };
    Ok(Report { detail, audit })
}

/// The mail carrying a checkpoint: what it is, the checkpoint itself (to be saved as
/// a file) and how to check the trail against it.
pub fn checkpoint_mail(lang: Lang, checkpoint: &Checkpoint, public_url: Option<&str>) -> Mail {
    let seq = || ("seq", Arg::Num(checkpoint.seq));
    let json = serde_json::to_string_pretty(checkpoint).unwrap_or_default();
    let page = format!(
        "{}/audit/checkpoints",
        public_url.unwrap_or_default().trim_end_matches('/')
    );
    let body = [
        lang.t_args(
            "anchor-mail-intro",
            &[seq(), ("taken_at", Arg::Str(checkpoint.taken_at.clone()))],
        ),
        String::new(),
        lang.t("anchor-mail-keep"),
        String::new(),
        json,
        String::new(),
        lang.t_args(
            "anchor-mail-how",
            &[("public_key", Arg::Str(checkpoint.public_key.clone()))],
        ),
        String::new(),
        lang.t_args("anchor-mail-published", &[("page", Arg::Str(page))]),
    ];
    Mail {
        to: String::new(),
        subject: lang.t_args("anchor-mail-subject", &[seq()]),
        body: body.join("\n"),
    }
}

/// The mail when the chain is already broken: nothing was signed.
pub fn alarm_mail(lang: Lang, seq: i64) -> Mail {
    Mail {
        to: String::new(),
        subject: lang.t_args("anchor-alarm-subject", &[("seq", Arg::Num(seq))]),
        body: lang.t_args("anchor-alarm-body", &[("seq", Arg::Num(seq))]),
    }
}

/// One row of the public page.
pub struct Row {
    pub checkpoint: Checkpoint,
    /// When, on the office's wall clock.
    pub when: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit/checkpoints.html")]
pub struct CheckpointsPage {
    pub ctx: PageCtx,
    pub rows: Vec<Row>,
    /// The signing keys met in the list, newest first (one unless the key was changed).
    pub keys: Vec<String>,
    /// More checkpoints than shown are in the JSON and text lists.
    pub more: bool,
}

async fn page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<CheckpointsPage> {
    let all = anchor::list(&state.db, PUBLISHED).await?;
    let mut keys: Vec<String> = Vec::new();
    for c in &all {
        if !keys.contains(&c.public_key) {
            keys.push(c.public_key.clone());
        }
    }
    let more = all.len() > ON_PAGE;
    let rows = all
        .into_iter()
        .take(ON_PAGE)
        .map(|checkpoint| Row {
            when: checkpoint
                .taken_at
                .parse::<jiff::Timestamp>()
                .map(|t| {
                    t.to_zoned(crate::WARSAW.clone())
                        .strftime("%Y-%m-%d %H:%M")
                        .to_string()
                })
                .unwrap_or_else(|_| checkpoint.taken_at.clone()),
            checkpoint,
        })
        .collect();
    Ok(CheckpointsPage {
        ctx,
        rows,
        keys,
        more,
    })
}

/// Every checkpoint as JSON, newest first: one element saved as a file is what
/// `magistrat audit verify --against` reads, and so is the whole list.
async fn as_json(State(state): State<AppState>) -> AppResult<Json<Vec<Checkpoint>>> {
    Ok(Json(anchor::list(&state.db, PUBLISHED).await?))
}

/// Every checkpoint as plain text, one line each, newest first: for `grep`, printing
/// and pasting into a register.
async fn as_text(State(state): State<AppState>) -> AppResult<impl IntoResponse> {
    let list = anchor::list(&state.db, PUBLISHED).await?;
    let mut text = format!(
        "# {}\n# taken_at seq events head_hash public_key signature\n",
        anchor::FORMAT
    );
    for c in &list {
        text.push_str(&format!(
            "{} {} {} {} {} {}\n",
            c.taken_at, c.seq, c.events, c.head_hash, c.public_key, c.signature
        ));
    }
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text))
}
