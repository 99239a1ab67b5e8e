//! The resident's pages: ask for a sign-in link, use it, see one's own cases, sign out.
//!
//! The link form answers the same whatever the address (an account or none, cases or
//! none), so it tells nobody whether an address has filed anything. Opening the link
//! shows a button rather than signing in at once: mail scanners that follow links must
//! not use up (or use) the resident's link.

use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::rules::{self, LinkForm, ResidentEmail};
use super::store::{self, ResidentCase};
use super::{LinkThrottle, RESIDENT_COOKIE};
use crate::app::AppState;
use crate::auth::session::{Visitor, build_cookie, clear_cookie};
use crate::platform::form::{self, Field, FormBuilder, FormErrors};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Arg;
use crate::web::page::PageCtx;
use crate::web::{redirect_with_flash, refusals};

#[derive(Template, WebTemplate)]
#[template(path = "residents/sign_in.html")]
pub struct SignInPage {
    pub ctx: PageCtx,
    pub email: Field,
    /// The link went out: what to tell (the same page, with the form for another try).
    pub sent: Option<String>,
    pub error_summary: Vec<(String, String)>,
}

impl SignInPage {
    fn new(ctx: PageCtx, email: &str, errors: &FormErrors, sent: bool) -> Self {
        let lang = ctx.lang;
        let sent = sent.then(|| {
            lang.t_args(
                "resident-sent",
                &[
                    ("email", Arg::from(email)),
                    ("minutes", Arg::from(rules::LINK_MINUTES)),
                ],
            )
        });
        let mut form = FormBuilder::new(lang, errors);
        let email = form.field(
            Field::text(lang, "email", "resident-email", email)
                .kind("email")
                .autocomplete("email")
                .hint(lang, "resident-email-hint"),
        );
        Self {
            email,
            sent,
            error_summary: form.summary(),
            ctx,
        }
    }
}

/// One row of the list, formatted.
pub struct CaseLine {
    pub case: ResidentCase,
    pub status: String,
    pub submitted: String,
    /// „Opłata skarbowa: do zapłaty 17,00 zł”, empty when nothing is due.
    pub fee: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "residents/cases.html")]
pub struct CasesPage {
    pub ctx: PageCtx,
    pub email: String,
    pub cases: Vec<CaseLine>,
}

/// `/my-cases`: the signed-in resident's cases, or the sign-in form.
pub async fn my_cases(
    State(state): State<AppState>,
    ctx: PageCtx,
    visitor: Visitor,
) -> AppResult<Response> {
    let Some(resident) = &visitor.resident else {
        return Ok(SignInPage::new(ctx, "", &FormErrors::new(), false).into_response());
    };
    let mut cases = Vec::new();
    for case in store::cases_of(&state.db, &resident.email).await? {
        let due =
            crate::cases::service::fee_due_by_tracking_code(&state.db, &case.tracking_code).await?;
        let fee = if due > 0 {
            ctx.lang.t_args(
                "fee-public-to-pay",
                &[(
                    "amount",
                    crate::web::i18n::Arg::Str(magistrat_domain::stamp_duty::format_zloty(due)),
                )],
            )
        } else {
            String::new()
        };
        cases.push(CaseLine {
            status: ctx.lang.t(case.status.label_id()),
            submitted: ctx.datetime(&case.submitted_at),
            fee,
            case,
        });
    }
    Ok(CasesPage {
        email: resident.email.clone(),
        cases,
        ctx,
    }
    .into_response())
}

/// Sends a sign-in link to the address typed in.
pub async fn request_link(
    State(state): State<AppState>,
    State(links): State<Arc<LinkThrottle>>,
    ctx: PageCtx,
    visitor: Visitor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let email = match ResidentEmail::try_from(LinkForm { pairs: &pairs }) {
        Ok(email) => email,
        Err(errors) => {
            // Shown back as typed, but not a whole megabyte of it.
            let typed: String = form::value(&pairs, "email").chars().take(300).collect();
            let page = SignInPage::new(ctx, &typed, &errors, false);
            return Ok(form::respond(&errors, page));
        }
    };
    let wait = super::service::send_link(
        &state,
        &links,
        &visitor.actor(),
        ctx.lang,
        &ctx.office_name,
        &email,
    )
    .await?;
    if let Some(seconds) = wait {
        refusals::note(
            &state,
            "link-throttled",
            visitor.ip.as_deref(),
            "POST",
            "/my-cases/link",
        );
        return Err(AppError::TooManyRequests(seconds));
    }
    Ok(SignInPage::new(ctx, email.as_str(), &FormErrors::new(), true).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "residents/link.html")]
pub struct LinkPage {
    pub ctx: PageCtx,
    pub token: String,
    /// `None`: the link is unknown, used or expired.
    pub email: Option<String>,
}

impl LinkPage {
    /// The answer for a link that is unknown, used or expired.
    fn gone(ctx: PageCtx) -> Response {
        let page = LinkPage {
            ctx,
            token: String::new(),
            email: None,
        };
        (StatusCode::GONE, page).into_response()
    }
}

/// The page a link opens: a button that signs in (or why the link no longer works).
pub async fn open_link(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    Ok(match store::link_email(&state.db, &token).await? {
        Some(email) => LinkPage {
            ctx,
            token,
            email: Some(email),
        }
        .into_response(),
        None => LinkPage::gone(ctx),
    })
}

/// Uses the link: signs the resident in and shows their cases.
pub async fn use_link(
    State(state): State<AppState>,
    ctx: PageCtx,
    visitor: Visitor,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let absolute_hours = state.config.session_absolute_hours;
    let Some(session) = store::sign_in(&state.db, &visitor.actor(), &token, absolute_hours).await?
    else {
        return Ok(LinkPage::gone(ctx));
    };
    let secure = state.config.behind_tls();
    let mut response = redirect_with_flash("/my-cases", "resident-signed-in", secure);
    response.headers_mut().append(
        header::SET_COOKIE,
        build_cookie(RESIDENT_COOKIE, session, secure, None),
    );
    Ok(response)
}

/// Signs the resident out (and forgets the cookie even when the session had ended).
pub async fn sign_out(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let secure = state.config.behind_tls();
    let mut response = match &visitor.resident {
        Some(resident) => {
            store::sign_out(&state.db, &visitor.actor(), resident).await?;
            redirect_with_flash("/my-cases", "resident-signed-out", secure)
        }
        None => Redirect::to("/my-cases").into_response(),
    };
    response
        .headers_mut()
        .append(header::SET_COOKIE, clear_cookie(RESIDENT_COOKIE, secure));
    Ok(response)
}
