//! The resident's rating pages: after a visit (`/tickets/{token}/rating`, linked from
//! the e-ticket once the visit has ended) and after a settled case
//! (`/case-status/{code}/rating`, linked from the status page and `/my-cases`).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use super::RatingTurn;
use super::rules::{Answers, COMMENT_MAX, RatingForm};
use super::service::{self, RateError, Rateable};
use super::store::Subject;
use crate::app::AppState;
use crate::platform::form::{self, Field, FormBuilder, FormErrors, Pairs};
use crate::web::error::AppResult;
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

/// One question: a group of radio buttons in a fieldset.
pub struct Question {
    pub field: Field,
    /// (value, label) of each answer, lowest first.
    pub answers: Vec<(String, String)>,
    /// Words for the two ends of the scale.
    pub low: String,
    pub high: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "satisfaction/rate.html")]
pub struct RatePage {
    pub ctx: PageCtx,
    pub heading: String,
    pub intro: String,
    /// Why there is no form (not yet ended, rated already), when there is none.
    pub closed: Option<String>,
    pub action: String,
    pub questions: Vec<Question>,
    pub comment: Field,
    pub comment_max: usize,
    pub error_summary: Vec<(String, String)>,
    /// Where the resident came from.
    pub back: (String, String),
}

fn scale(low: i64, high: i64) -> Vec<(String, String)> {
    (low..=high)
        .map(|v| (v.to_string(), v.to_string()))
        .collect()
}

fn page(
    ctx: PageCtx,
    subject: &Rateable,
    key: &str,
    pairs: &Pairs,
    errors: &FormErrors,
) -> RatePage {
    let lang = ctx.lang;
    let (heading, intro, action, back) = match subject.subject {
        Subject::Visit => (
            ctx.t1("sat-rate-visit-title", "number", subject.label.as_str()),
            ctx.t("sat-rate-visit-intro"),
            format!("/tickets/{key}/rating"),
            (format!("/tickets/{key}"), ctx.t("sat-back-ticket")),
        ),
        Subject::Case => (
            ctx.t("sat-rate-case-title"),
            ctx.t("sat-rate-case-intro"),
            format!("/case-status/{key}/rating"),
            (format!("/case-status?code={key}"), ctx.t("sat-back-case")),
        ),
    };
    let closed = if subject.rated {
        Some(ctx.t("sat-already-rated"))
    } else if !subject.ready {
        Some(ctx.t(match subject.subject {
            Subject::Visit => "sat-visit-not-ended",
            Subject::Case => "sat-case-not-settled",
        }))
    } else {
        None
    };
    let (questions, comment, error_summary) = form_parts(lang, pairs, errors);
    RatePage {
        heading,
        intro,
        closed,
        action,
        questions,
        comment,
        comment_max: COMMENT_MAX,
        error_summary,
        back,
        ctx,
    }
}

/// The rating form's questions, its comment field and its error summary: the same on
/// the resident's phone and on the desk's tablet.
pub(super) fn form_parts(
    lang: crate::web::i18n::Lang,
    pairs: &Pairs,
    errors: &FormErrors,
) -> (Vec<Question>, Field, Vec<(String, String)>) {
    let mut form = FormBuilder::with_values(lang, errors, pairs);
    let mut question =
        |name: &'static str, label: &str, low: i64, high: i64, words: (&str, &str)| {
            let value = form.value(name).to_owned();
            Question {
                field: form.field(Field::text(lang, name, label, value).kind("radio")),
                answers: scale(low, high),
                low: lang.t(words.0),
                high: lang.t(words.1),
            }
        };
    let questions = vec![
        question(
            "service",
            "sat-q-service",
            1,
            5,
            ("sat-scale-bad", "sat-scale-good"),
        ),
        question(
            "official",
            "sat-q-official",
            1,
            5,
            ("sat-scale-bad", "sat-scale-good"),
        ),
        question(
            "nps",
            "sat-q-nps",
            0,
            10,
            ("sat-scale-unlikely", "sat-scale-likely"),
        ),
    ];
    let comment_value = form.value("comment").to_owned();
    let comment = form.field(
        Field::text(lang, "comment", "sat-q-comment", comment_value)
            .kind("textarea")
            .optional()
            .hint(lang, "sat-comment-hint"),
    );
    (questions, comment, form.summary())
}

pub async fn visit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> AppResult<RatePage> {
    let subject = service::visit(&state.db, &token).await?;
    Ok(page(ctx, &subject, &token, &[], &FormErrors::new()))
}

pub async fn case_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> AppResult<RatePage> {
    let subject = service::case(&state.db, &code).await?;
    Ok(page(ctx, &subject, &code, &[], &FormErrors::new()))
}

pub async fn rate_visit(
    State(state): State<AppState>,
    turn: RatingTurn,
    ctx: PageCtx,
    Path(token): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let subject = service::visit(&state.db, &token).await?;
    submit(&state, &turn, ctx, subject, &token, &pairs).await
}

pub async fn rate_case(
    State(state): State<AppState>,
    turn: RatingTurn,
    ctx: PageCtx,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let subject = service::case(&state.db, &code).await?;
    submit(&state, &turn, ctx, subject, &code, &pairs).await
}

async fn submit(
    state: &AppState,
    turn: &RatingTurn,
    ctx: PageCtx,
    subject: Rateable,
    key: &str,
    pairs: &Pairs,
) -> AppResult<Response> {
    let answers = match Answers::try_from(RatingForm { pairs }) {
        Ok(a) => a,
        Err(errors) => {
            return Ok(form::respond(
                &errors,
                page(ctx, &subject, key, pairs, &errors),
            ));
        }
    };
    match service::rate(&state.db, &subject, answers).await {
        Ok(_) => {
            turn.used(state);
            let to = match subject.subject {
                Subject::Visit => format!("/tickets/{key}/rating"),
                Subject::Case => format!("/case-status/{key}/rating"),
            };
            Ok(redirect_with_flash(
                &to,
                "sat-thanks",
                state.config.behind_tls(),
            ))
        }
        Err(e) => match service::form_error(&e) {
            // Refused for its state (not yet, rated already, also by a second tab):
            // the page again, with the reason, answered 409.
            Some(_) => {
                let mut shown = subject;
                if matches!(e, RateError::AlreadyRated) {
                    shown.rated = true;
                }
                let page = page(ctx, &shown, key, pairs, &FormErrors::new());
                Ok((axum::http::StatusCode::CONFLICT, page).into_response())
            }
            None => Err(e.into()),
        },
    }
}
