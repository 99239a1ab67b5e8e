//! Answering a campaign's questionnaire: the public page `/surveys/{slug}` (by link,
//! QR poster with `?via=qr&at=<location>`, or an invitation's `?t=<token>`), and the
//! same questions for staff keying in a paper form (`/staff/surveys/{id}/paper`).
//!
//! Every scale is a fieldset with a legend; the error summary links to each question;
//! a question with a condition says when to answer it, and the server drops its answer
//! when the condition does not hold (`magistrat_domain::survey`). After a response by
//! link the browser keeps a marker cookie, so the same browser is not counted twice.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use magistrat_domain::survey::{AnswerError, Block, Kind, Questionnaire};
use serde::Deserialize;

use super::SurveyTurn;
use super::service::{self, Refusal, Respondent};
use super::store::{self, Campaign, Channel};
use crate::app::AppState;
use crate::auth::session::{Staff, build_cookie, cookie_value};
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

/// The name of the browser's marker for a campaign.
fn marker(slug: &str) -> String {
    format!("sv_{slug}")
}

/// One option of a question as shown.
pub struct OptionView {
    pub value: String,
    pub text: String,
    pub checked: bool,
}

/// One question as shown.
pub struct QuestionView {
    pub key: String,
    /// The field name and element id: `q-<key>`.
    pub name: String,
    pub kind: &'static str,
    /// The block's heading, on the first question of a block.
    pub block_heading: Option<String>,
    pub text: String,
    pub required: bool,
    pub options: Vec<OptionView>,
    /// Words for the two ends of a scale.
    pub low: String,
    pub high: String,
    pub value: String,
    pub error: Option<String>,
    /// When to answer it (skip logic), in words.
    pub condition: Option<String>,
}

impl QuestionView {
    pub fn is_fieldset(&self) -> bool {
        self.kind != "open"
    }

    pub fn input_type(&self) -> &'static str {
        if self.kind == "multiple" {
            "checkbox"
        } else {
            "radio"
        }
    }
}

pub fn block_label(ctx: &PageCtx, block: Block) -> String {
    ctx.t(&format!("sv-block-{}", block.as_str()))
}

/// The questions as shown, with what was submitted and the errors.
pub fn questions(
    ctx: &PageCtx,
    q: &Questionnaire,
    pairs: &[(String, String)],
    errors: &[AnswerError],
) -> Vec<QuestionView> {
    let lang = ctx.lang_code();
    let mut last_block = None;
    q.questions
        .iter()
        .map(|x| {
            let submitted: Vec<&str> = pairs
                .iter()
                .filter(|(k, _)| k.strip_prefix("q-") == Some(x.key.as_str()))
                .map(|(_, v)| v.as_str())
                .collect();
            let block_heading = (last_block != Some(x.block)).then(|| block_label(ctx, x.block));
            last_block = Some(x.block);
            let options: Vec<OptionView> = match x.kind {
                Kind::Scale | Kind::Nps => x
                    .kind
                    .range()
                    .into_iter()
                    .flatten()
                    .map(|v| OptionView {
                        value: v.to_string(),
                        text: v.to_string(),
                        checked: submitted.contains(&v.to_string().as_str()),
                    })
                    .collect(),
                _ => x
                    .options
                    .iter()
                    .map(|o| OptionView {
                        value: o.value.clone(),
                        text: o.text.get(lang).to_owned(),
                        checked: submitted.contains(&o.value.as_str()),
                    })
                    .collect(),
            };
            let (low, high) = match x.kind {
                Kind::Nps => (ctx.t("sat-scale-unlikely"), ctx.t("sat-scale-likely")),
                _ => (ctx.t("sat-scale-bad"), ctx.t("sat-scale-good")),
            };
            let condition = x.show_if.as_ref().map(|c| {
                let earlier = q.question(&c.question);
                let answer = earlier
                    .and_then(|e| e.options.iter().find(|o| o.value == c.equals))
                    .map_or(c.equals.clone(), |o| o.text.get(lang).to_owned());
                let question = earlier.map_or(c.question.clone(), |e| e.text.get(lang).to_owned());
                ctx.lang.t_args(
                    "sv-condition",
                    &[("answer", answer.into()), ("question", question.into())],
                )
            });
            QuestionView {
                key: x.key.clone(),
                name: format!("q-{}", x.key),
                kind: x.kind.as_str(),
                block_heading,
                text: x.text.get(lang).to_owned(),
                required: x.required,
                options,
                low,
                high,
                value: if x.kind == Kind::Open {
                    submitted.join("\n")
                } else {
                    String::new()
                },
                error: errors
                    .iter()
                    .find(|e| e.key == x.key)
                    .map(|e| ctx.t(e.kind.message())),
                condition,
            }
        })
        .collect()
}

fn summary(views: &[QuestionView]) -> Vec<(String, String)> {
    views
        .iter()
        .filter_map(|v| {
            v.error
                .as_ref()
                .map(|e| (v.name.clone(), format!("{} — {e}", v.text)))
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/answer.html")]
pub struct AnswerPage {
    pub ctx: PageCtx,
    pub title: String,
    pub action: String,
    /// Why the form is not there (closed, token used …), when it is not.
    pub closed: Option<String>,
    /// Shown after a response.
    pub thanks: bool,
    pub ends_on: String,
    pub questions: Vec<QuestionView>,
    pub error_summary: Vec<(String, String)>,
    /// Hidden fields carried to the post: (name, value).
    pub hidden: Vec<(String, String)>,
}

/// The query of the public page.
#[derive(Debug, Default, Deserialize)]
pub struct AnswerQuery {
    pub t: Option<String>,
    pub via: Option<String>,
    pub at: Option<String>,
    pub done: Option<String>,
}

fn hidden(q: &AnswerQuery) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, value) in [("t", &q.t), ("via", &q.via), ("at", &q.at)] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty() && v.len() <= 128) {
            out.push((name.to_owned(), v.to_owned()));
        }
    }
    out
}

fn page(
    ctx: PageCtx,
    campaign: &Campaign,
    q: &AnswerQuery,
    refusal: Option<Refusal>,
    pairs: &[(String, String)],
    errors: &[AnswerError],
) -> AnswerPage {
    let questions = if refusal.is_none() {
        questions(&ctx, &campaign.questionnaire, pairs, errors)
    } else {
        Vec::new()
    };
    AnswerPage {
        title: campaign.title(ctx.lang_code()).to_owned(),
        action: format!("/surveys/{}", campaign.slug),
        closed: refusal.map(|r| ctx.t(r.message())),
        thanks: false,
        ends_on: campaign.ends_on.clone(),
        error_summary: summary(&questions),
        questions,
        hidden: hidden(q),
        ctx,
    }
}

async fn find(state: &AppState, slug: &str) -> AppResult<Campaign> {
    if slug.len() > 64 {
        return Err(AppError::NotFound);
    }
    store::campaign_by_slug(&state.db, slug)
        .await?
        .ok_or(AppError::NotFound)
}

async fn who(
    state: &AppState,
    campaign: &Campaign,
    q: &AnswerQuery,
    headers: &HeaderMap,
) -> AppResult<Result<Respondent, Refusal>> {
    let today = state.clock.today().to_string();
    let answered = cookie_value(headers, &marker(&campaign.slug)).is_some();
    Ok(service::respondent(
        &state.db,
        campaign,
        &today,
        q.t.as_deref(),
        q.via.as_deref() == Some("qr"),
        q.at.as_deref().and_then(|a| a.parse().ok()),
        answered,
    )
    .await?)
}

pub async fn form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
    Query(q): Query<AnswerQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let campaign = find(&state, &slug).await?;
    if q.done.is_some() && cookie_value(&headers, &marker(&slug)).is_some() {
        let mut page = page(ctx, &campaign, &q, Some(Refusal::AnsweredAlready), &[], &[]);
        page.closed = None;
        page.thanks = true;
        return Ok(page.into_response());
    }
    match who(&state, &campaign, &q, &headers).await? {
        Ok(_) => Ok(page(ctx, &campaign, &q, None, &[], &[]).into_response()),
        Err(r) => Ok((r.status(), page(ctx, &campaign, &q, Some(r), &[], &[])).into_response()),
    }
}

/// The submitted answers as (question key, value).
fn answer_pairs(pairs: &[(String, String)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("q-").map(|k| (k.to_owned(), v.clone())))
        .collect()
}

pub async fn submit(
    State(state): State<AppState>,
    turn: SurveyTurn,
    ctx: PageCtx,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let campaign = find(&state, &slug).await?;
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let q = AnswerQuery {
        t: field("t"),
        via: field("via"),
        at: field("at"),
        done: None,
    };
    let who = match who(&state, &campaign, &q, &headers).await? {
        Ok(who) => who,
        Err(r) => {
            return Ok((r.status(), page(ctx, &campaign, &q, Some(r), &[], &[])).into_response());
        }
    };
    let answers = match campaign.questionnaire.read(&answer_pairs(&pairs)) {
        Ok(a) => a,
        Err(errors) => {
            let page = page(ctx, &campaign, &q, None, &pairs, &errors);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let today = state.clock.today().to_string();
    let actor = service::resident_actor();
    match service::respond(&state.db, &actor, &campaign, &who, answers, &today).await? {
        Ok(_) => {
            turn.used(&state);
            let mut response = redirect_with_flash(
                &format!("/surveys/{slug}?done=1"),
                "sv-thanks",
                state.config.behind_tls(),
            );
            // The browser's marker: a year, long after any campaign ends.
            response.headers_mut().append(
                header::SET_COOKIE,
                build_cookie(
                    &marker(&slug),
                    "1".to_owned(),
                    state.config.behind_tls(),
                    Some(366 * 24 * 3600),
                ),
            );
            Ok(response)
        }
        Err(r) => Ok((r.status(), page(ctx, &campaign, &q, Some(r), &[], &[])).into_response()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/paper.html")]
pub struct PaperPage {
    pub ctx: PageCtx,
    pub id: i64,
    pub title: String,
    pub closed: Option<String>,
    pub questions: Vec<QuestionView>,
    pub error_summary: Vec<(String, String)>,
    /// (id, name, selected) of the campaign's locations.
    pub locations: Vec<(i64, String, bool)>,
    pub responses: i64,
}

async fn paper_page(
    state: &AppState,
    ctx: PageCtx,
    campaign: &Campaign,
    pairs: &[(String, String)],
    errors: &[AnswerError],
) -> AppResult<PaperPage> {
    let chosen = pairs
        .iter()
        .find(|(k, _)| k == "location")
        .map(|(_, v)| v.as_str());
    let locations = crate::org::store::locations(&state.db)
        .await?
        .into_iter()
        .filter(|l| campaign.locations.contains(&l.id))
        .map(|l| (l.id, l.name, chosen == Some(l.id.to_string().as_str())))
        .collect();
    let closed = if !campaign.has(Channel::Paper) {
        Some(ctx.t("sv-no-paper"))
    } else if !service::runnable(campaign, &state.clock.today().to_string()) {
        Some(ctx.t("sv-closed"))
    } else {
        None
    };
    let questions = questions(&ctx, &campaign.questionnaire, pairs, errors);
    Ok(PaperPage {
        id: campaign.id,
        title: campaign.title(ctx.lang_code()).to_owned(),
        closed,
        error_summary: summary(&questions),
        questions,
        locations,
        responses: store::response_count(&state.db, campaign.id).await?,
        ctx,
    })
}

async fn staff_campaign(state: &AppState, id: i64) -> AppResult<Campaign> {
    store::campaign_by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn paper_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<PaperPage> {
    let campaign = staff_campaign(&state, id).await?;
    paper_page(&state, ctx, &campaign, &[], &[]).await
}

pub async fn paper_submit(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let campaign = staff_campaign(&state, id).await?;
    let today = state.clock.today().to_string();
    if !campaign.has(Channel::Paper) || !service::runnable(&campaign, &today) {
        let page = paper_page(&state, ctx, &campaign, &[], &[]).await?;
        return Ok((StatusCode::CONFLICT, page).into_response());
    }
    let answers = match campaign.questionnaire.read(&answer_pairs(&pairs)) {
        Ok(a) => a,
        Err(errors) => {
            let page = paper_page(&state, ctx, &campaign, &pairs, &errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let location_id = pairs
        .iter()
        .find(|(k, _)| k == "location")
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .filter(|l| campaign.locations.contains(l));
    let who = Respondent {
        channel: Channel::Paper,
        token_hash: None,
        location_id,
    };
    match service::respond(
        &state.db,
        &visitor.actor(),
        &campaign,
        &who,
        answers,
        &today,
    )
    .await?
    {
        Ok(_) => Ok(redirect_with_flash(
            &format!("/staff/surveys/{id}/paper"),
            "sv-paper-saved",
            state.config.behind_tls(),
        )),
        Err(r) => {
            let page = paper_page(&state, ctx, &campaign, &[], &[]).await?;
            Ok((r.status(), page).into_response())
        }
    }
}
