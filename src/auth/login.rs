//! Signing in and out. One generic message for every failed login (unknown login, wrong
//! password, disabled account), so the form reveals nothing about accounts; the audit
//! trail records the real reason. Repeated failures slow further attempts from the same
//! address ([`LoginThrottle`]); no account is ever locked (decision 0023).

use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::secret::{DUMMY_HASH, verify_password_async};
use super::session::{
    SESSION_COOKIE, Visitor, build_cookie, clear_cookie, create_session, delete_session,
};
use super::throttle::{AttemptKeys, LoginThrottle};
use super::users::{self, UserRecord};
use crate::app::AppState;
use crate::db::audit::{self, Change};
use crate::platform::form::Field;
use crate::web::error::AppResult;
use crate::web::page::PageCtx;
use crate::web::{redirect_with_flash, refusals, safe_next};
use crate::with_tx;

#[derive(Template, WebTemplate)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    pub ctx: PageCtx,
    pub login: Field,
    pub password: Field,
    pub next: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

impl LoginPage {
    fn new(ctx: PageCtx, login: &str, next: String) -> Self {
        let lang = ctx.lang;
        Self {
            login: Field::text(lang, "login", "login-field-login", login).autocomplete("username"),
            password: Field::text(lang, "password", "login-field-password", "")
                .kind("password")
                .autocomplete("current-password"),
            next,
            error: None,
            notice: None,
            ctx,
        }
    }
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    expired: Option<String>,
}

pub async fn login_page(ctx: PageCtx, Query(q): Query<LoginQuery>) -> Response {
    if ctx.is_signed_in() {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    }
    let mut page = LoginPage::new(ctx, "", safe_next(q.next.as_deref()));
    if q.expired.is_some() {
        page.notice = Some(page.ctx.t("login-session-expired"));
    }
    page.into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    next: Option<String>,
}

/// Why a login failed, for the audit trail only.
#[derive(Debug, Clone, Copy)]
enum Refusal {
    UnknownLogin,
    WrongPassword,
    Disabled,
}

impl Refusal {
    fn as_str(self) -> &'static str {
        match self {
            Refusal::UnknownLogin => "unknown_login",
            Refusal::WrongPassword => "wrong_password",
            Refusal::Disabled => "disabled",
        }
    }
}

pub async fn login_submit(
    State(state): State<AppState>,
    State(throttle): State<Arc<LoginThrottle>>,
    visitor: Visitor,
    ctx: PageCtx,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let next = safe_next(form.next.as_deref());
    let keys = AttemptKeys::new(&form.login, visitor.ip.as_deref());
    if let Some(seconds) = throttle.wait(&keys, state.clock.timestamp()) {
        // Not even checked: a guess made during the wait teaches nothing.
        refusals::note(
            &state,
            "login-throttled",
            visitor.ip.as_deref(),
            "POST",
            "/login",
        );
        return Ok(too_soon(ctx, &form.login, next, seconds));
    }
    let user = users::find_by_login(&state.db, &form.login).await?;
    let outcome = check_credentials(user.as_ref(), &form.password).await;
    match (user, outcome) {
        (Some(user), Ok(())) => {
            throttle.succeeded(&keys);
            sign_in(&state, &visitor, &user, &next).await
        }
        (user, Err(refusal)) => {
            throttle.failed(&keys, state.clock.timestamp());
            record_refusal(&state, &visitor, user.as_ref(), &form.login, refusal).await?;
            let mut page = LoginPage::new(ctx, &form.login, next);
            page.error = Some(page.ctx.t("login-failed"));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        (None, Ok(())) => Err(anyhow::anyhow!("credentials accepted without a user").into()),
    }
}

/// The form again, saying how long to wait: 429 with `Retry-After`.
fn too_soon(ctx: PageCtx, login: &str, next: String, seconds: u64) -> Response {
    let mut page = LoginPage::new(ctx, login, next);
    page.error = Some(page.ctx.lang.t_args(
        "login-wait",
        &[("seconds", i64::try_from(seconds).unwrap_or(i64::MAX).into())],
    ));
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, seconds.to_string())],
        page,
    )
        .into_response()
}

/// Checks the password; always runs one Argon2 verification, whatever the outcome, so
/// that the time taken does not tell whether the login exists.
async fn check_credentials(user: Option<&UserRecord>, password: &str) -> Result<(), Refusal> {
    let Some(user) = user else {
        verify_password_async(password.to_owned(), DUMMY_HASH.clone()).await;
        return Err(Refusal::UnknownLogin);
    };
    let matches = verify_password_async(password.to_owned(), user.password_hash.clone()).await;
    if !user.active {
        Err(Refusal::Disabled)
    } else if matches {
        Ok(())
    } else {
        Err(Refusal::WrongPassword)
    }
}

async fn record_refusal(
    state: &AppState,
    visitor: &Visitor,
    user: Option<&UserRecord>,
    attempted: &str,
    refusal: Refusal,
) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    let mut detail = serde_json::json!({ "reason": refusal.as_str() });
    if let (Some(user), Refusal::WrongPassword) = (user, refusal) {
        // Counted for the record (the administrator sees a run of wrong passwords in
        // the audit trail); it locks nothing.
        let failures = user.failed_logins.saturating_add(1);
        with_tx!(&mut tx, |c| {
            sqlx::query("UPDATE app_user SET failed_logins = $1 WHERE id = $2")
                .bind(failures)
                .bind(user.id)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
        detail["failures"] = failures.into();
    }
    let entity_id = match user {
        Some(u) => u.id.to_string(),
        None => attempted.chars().take(64).collect(),
    };
    let mut actor = visitor.actor();
    actor.login = "anonymous".to_owned();
    audit::record(
        &mut tx,
        &actor,
        Change::action("login_failed", "user", entity_id).with_after(&detail),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn sign_in(
    state: &AppState,
    visitor: &Visitor,
    user: &UserRecord,
    next: &str,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    // A session the browser already had (another user's, or a planted one) ends here.
    if let Some(previous) = &visitor.user {
        with_tx!(&mut tx, |c| {
            sqlx::query("DELETE FROM session WHERE token_hash = $1")
                .bind(&previous.session_hash)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
    }
    with_tx!(&mut tx, |c| {
        sqlx::query("UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(user.id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    let token = create_session(
        &mut tx,
        user.id,
        state.config.session_absolute_hours,
        visitor.ip.as_deref(),
    )
    .await?;
    let actor = audit::Actor {
        user_id: Some(user.id),
        login: user.login.clone(),
        ip: visitor.ip.clone(),
    };
    audit::record(&mut tx, &actor, Change::action("login", "user", user.id)).await?;
    tx.commit().await?;
    let mut response = Redirect::to(next).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        build_cookie(SESSION_COOKIE, token, state.config.behind_tls(), None),
    );
    Ok(response)
}

pub async fn logout(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let secure = state.config.behind_tls();
    if let Some(user) = &visitor.user {
        let mut tx = state.db.begin().await?;
        audit::record(
            &mut tx,
            &visitor.actor(),
            Change::action("logout", "user", user.id),
        )
        .await?;
        tx.commit().await?;
        delete_session(&state.db, &user.session_hash).await?;
    }
    let mut response = redirect_with_flash("/", "signed-out", secure);
    response
        .headers_mut()
        .append(header::SET_COOKIE, clear_cookie(SESSION_COOKIE, secure));
    Ok(response)
}
