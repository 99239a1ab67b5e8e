//! Resident accounts as other capabilities (the residents' app API) use them: a
//! sign-in link asked for and mailed (the same throttle and letter as `/my-cases`),
//! the link exchanged for an app's bearer token, the token checked and revoked, and
//! the cases filed with the resident's address.

use super::LinkThrottle;
use super::rules;
use super::store;
use crate::app::AppState;
use crate::db::UtcTime;
use crate::db::audit::Actor;
use crate::mailer::Mail;
use crate::web::i18n::Lang;

pub use super::rules::{APP_TOKEN_DAYS, LINK_MINUTES, ResidentEmail};
pub use super::store::{CurrentResident, ResidentCase, resident_actor};

/// Mails a sign-in link to `email` unless the link throttle says to wait: then the
/// seconds to wait, and nothing is sent. The answer says nothing about whether the
/// address has an account or cases.
pub async fn send_link(
    state: &AppState,
    links: &LinkThrottle,
    actor: &Actor,
    lang: Lang,
    office_name: &str,
    email: &ResidentEmail,
) -> Result<Option<u64>, sqlx::Error> {
    let now = state.clock.timestamp();
    if let Some(seconds) = links.take(actor.ip.as_deref(), email.as_str(), now) {
        return Ok(Some(seconds));
    }
    let token = store::create_link(&state.db, actor, email).await?;
    let base = rules::link_base(state.config.public_url.as_deref(), state.config.listen);
    let link = format!("{base}/my-cases/link/{token}");
    let (subject, body) = rules::sign_in_letter(lang, office_name, &link);
    let mail = Mail {
        to: email.as_str().to_owned(),
        subject,
        body,
    };
    // A mail server that refuses is the office's problem to see in the log; the
    // resident is told the same as always (they can ask again).
    if let Err(e) = state.mailer.send(&mail).await {
        tracing::error!(error = %e, "sign-in link not sent");
    }
    Ok(None)
}

/// Exchanges a link's token (or the whole link) for an app's bearer token and its
/// expiry; `None` when the link is unknown, used or expired.
pub async fn exchange(
    state: &AppState,
    actor: &Actor,
    code: &str,
) -> Result<Option<(String, UtcTime)>, sqlx::Error> {
    let token = rules::link_token_of(code);
    store::sign_in_app(&state.db, actor, token, rules::APP_TOKEN_DAYS).await
}

/// The resident a bearer token stands for, while it is valid.
pub async fn app_resident(
    state: &AppState,
    token: &str,
) -> Result<Option<CurrentResident>, sqlx::Error> {
    store::app_token_resident(&state.db, token).await
}

/// Revokes the resident's bearer token (the app signs out), audited.
pub async fn sign_out_app(
    state: &AppState,
    actor: &Actor,
    resident: &CurrentResident,
) -> Result<bool, sqlx::Error> {
    store::revoke_app_token(&state.db, actor, resident).await
}

/// One page (from 1) of the resident's cases, newest first, and how many there are.
pub async fn cases(
    state: &AppState,
    resident: &CurrentResident,
    page: u32,
    per_page: u32,
) -> Result<(Vec<ResidentCase>, i64), sqlx::Error> {
    let limit = i64::from(per_page);
    let offset = i64::from(page.max(1) - 1) * limit;
    let items = store::cases_page(&state.db, &resident.email, limit, offset).await?;
    let total = store::count_cases(&state.db, &resident.email).await?;
    Ok((items, total))
}

/// The resident's case of this (normalised) tracking code; `None` for another's.
pub async fn case(
    state: &AppState,
    resident: &CurrentResident,
    tracking_code: &str,
) -> Result<Option<ResidentCase>, sqlx::Error> {
    store::case_of(&state.db, &resident.email, tracking_code).await
}
