//! Survey campaigns (issue 14, decision 0046): the quality officer builds a
//! questionnaire from blocks and question types in Polish and English with skip logic,
//! runs it for a period at chosen locations and channels, distributes it by link, QR
//! poster, e-mail invitations with one-time tokens and paper forms keyed in by staff,
//! and reads the results with their 95 % intervals.
//!
//! - `store.rs` — campaigns, invitations (token hashes only), responses and answers,
//!   and the sums of results;
//! - `service.rs` — who may answer (token, link and browser marker, channel, dates),
//!   storing a response, invitations by e-mail, the results;
//! - `pages.rs` — `/staff/surveys`: campaigns, the questionnaire builder, invitations;
//! - `answer.rs` — the public answering page `/surveys/{slug}` and the paper entry;
//! - `results.rs` — the results page and its CSV;
//! - `poster.rs` — the QR poster as PDF;
//! - `demo.rs` — last year's annual survey (closed) and this year's (open).
//!
//! The rules of a questionnaire (its validity, skip logic, answers) are pure, in
//! `magistrat_domain::survey`; the statistics are the ratings' own
//! (`magistrat_domain::satisfaction`).

pub mod answer;
pub mod demo;
pub mod pages;
pub mod poster;
pub mod results;
pub mod service;
pub mod store;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;

use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::session::Visitor;
use crate::platform::throttle::{Ration, address_key};
use crate::web::error::AppError;
use crate::web::refusals;
use crate::web::routes::{Access, Routes};

/// Responses one client address may send per minute through the public page: a
/// family at one phone, not a flood (decision 0023's rations: only responses stored
/// count).
pub const RESPONSES_PER_MINUTE: u32 = 5;

/// The per-address ration of responses.
pub struct SurveyRations(Ration);

impl Default for SurveyRations {
    fn default() -> Self {
        Self(Ration::new(RESPONSES_PER_MINUTE))
    }
}

/// Present in the answering handler when the client may still answer this minute;
/// otherwise 429 before the body is read.
pub struct SurveyTurn {
    ip: Option<String>,
}

impl SurveyTurn {
    pub fn used(&self, app: &AppState) {
        let rations = std::sync::Arc::<SurveyRations>::from_ref(app);
        let minute = app.clock.timestamp().as_second().div_euclid(60);
        // Counting a response already stored cannot refuse it.
        let _ = rations.0.take(&address_key(self.ip.as_deref()), minute);
    }
}

impl FromRequestParts<AppState> for SurveyTurn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, AppError> {
        let rations = std::sync::Arc::<SurveyRations>::from_ref(app);
        let ip = parts.extensions.get::<Visitor>().and_then(|v| v.ip.clone());
        let second = app.clock.timestamp().as_second();
        if rations
            .0
            .has_left(&address_key(ip.as_deref()), second.div_euclid(60))
        {
            Ok(SurveyTurn { ip })
        } else {
            refusals::note(app, "survey-rate", ip.as_deref(), "POST", parts.uri.path());
            Err(AppError::TooManyRequests(
                u64::try_from(60 - second.rem_euclid(60)).unwrap_or(60),
            ))
        }
    }
}

pub fn routes() -> Routes {
    let run = || Access::Staff(Permission::RunSurveys);
    Routes::site()
        .get("/surveys/{slug}", Access::Public, answer::form)
        .post("/surveys/{slug}", Access::Public, answer::submit)
        .get("/staff/surveys", run(), pages::list)
        .post("/staff/surveys", run(), pages::create)
        .get("/staff/surveys/{id}", run(), pages::campaign)
        .post("/staff/surveys/{id}/questions", run(), pages::add_question)
        .post(
            "/staff/surveys/{id}/questions/{key}/delete",
            run(),
            pages::delete_question,
        )
        .post("/staff/surveys/{id}/invitations", run(), pages::invite)
        .get("/staff/surveys/{id}/poster.pdf", run(), poster::pdf)
        .get("/staff/surveys/{id}/paper", run(), answer::paper_form)
        .post("/staff/surveys/{id}/paper", run(), answer::paper_submit)
        .get("/staff/surveys/{id}/results", run(), results::page)
        .get("/staff/surveys/{id}/results.csv", run(), results::csv)
}
