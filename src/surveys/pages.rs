//! `/staff/surveys` (`RunSurveys`): the campaigns, a new campaign (title in Polish and
//! English, period, channels, locations, started from the block questionnaire or
//! empty), the questionnaire builder (a question at a time: block, kind, texts,
//! options, a condition on an earlier answer), the distribution (link, QR posters per
//! location, e-mail invitations, paper entry) and the link to the results.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use magistrat_domain::survey::{
    self, Block, Choice, Condition, Kind, Question, QuestionnaireError, Text,
};

use super::service;
use super::store::{self, Campaign, Channel, NewCampaign};
use crate::app::AppState;
use crate::auth::session::Staff;
use crate::platform::form::{
    self, Choices, Field, FormBuilder, FormErrors, FormReader, Pairs, parse,
};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

/// The site's address for absolute links: `public_url`, else the request's Host.
pub fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// A campaign in the list.
pub struct Row {
    pub id: i64,
    pub title: String,
    pub period: String,
    pub state: String,
    pub responses: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub rows: Vec<Row>,
    pub error_summary: Vec<(String, String)>,
    pub title_pl: Field,
    pub title_en: Field,
    pub starts_on: Field,
    pub ends_on: Field,
    pub template: Field,
    pub channels: Choices,
    pub locations: Choices,
}

fn state_label(ctx: &PageCtx, c: &Campaign, today: &str) -> String {
    ctx.t(if today < c.starts_on.as_str() {
        "sv-state-scheduled"
    } else if c.is_open(today) {
        "sv-state-open"
    } else {
        "sv-state-closed"
    })
}

async fn list_page(
    state: &AppState,
    ctx: PageCtx,
    pairs: &Pairs,
    errors: &FormErrors,
) -> AppResult<ListPage> {
    let today = state.clock.today().to_string();
    let mut rows = Vec::new();
    for c in store::campaigns(&state.db).await? {
        rows.push(Row {
            id: c.id,
            title: c.title(ctx.lang_code()).to_owned(),
            period: format!("{} – {}", c.starts_on, c.ends_on),
            state: state_label(&ctx, &c, &today),
            responses: store::response_count(&state.db, c.id).await?,
        });
    }
    let lang = ctx.lang;
    let fresh = pairs.is_empty();
    let mut f = FormBuilder::with_values(lang, errors, pairs);
    let title_pl = f.input("title_pl", "sv-f-title-pl").required();
    let title_en = f.input("title_en", "sv-f-title-en").required();
    let starts_on = f.input("starts_on", "sv-f-starts").kind("date").required();
    let ends_on = f.input("ends_on", "sv-f-ends").kind("date").required();
    let template = f.field(
        Field::text(lang, "template", "sv-f-template", f.value("template")).select(vec![
            ("blocks".into(), lang.t("sv-template-blocks")),
            ("empty".into(), lang.t("sv-template-empty")),
        ]),
    );
    let mut channels = f.choices(
        "channel",
        "sv-f-channels",
        Channel::ALL.into_iter().map(|c| {
            (
                c.as_str().to_owned(),
                lang.t(&format!("sv-channel-{}", c.as_str())),
            )
        }),
    );
    if fresh {
        for o in &mut channels.options {
            o.2 = true;
        }
    }
    let locations = f.choices(
        "location",
        "sv-f-locations",
        crate::org::store::locations(&state.db)
            .await?
            .into_iter()
            .filter(|l| l.active)
            .map(|l| (l.id.to_string(), l.name)),
    );
    Ok(ListPage {
        rows,
        error_summary: f.summary(),
        title_pl,
        title_en,
        starts_on,
        ends_on,
        template,
        channels,
        locations,
        ctx,
    })
}

pub async fn list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<ListPage> {
    list_page(&state, ctx, &Vec::new(), &FormErrors::new()).await
}

fn values<'a>(pairs: &'a Pairs, name: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// The office's units as options of the block questionnaire's unit question.
async fn unit_options(state: &AppState) -> AppResult<Vec<(String, String, String)>> {
    let year = state.clock.year();
    Ok(crate::org::store::units(&state.db)
        .await?
        .into_iter()
        .filter(|u| u.is_valid_in(year) && u.parent_id.is_some())
        .map(|u| (u.id.to_string(), u.name.clone(), u.name))
        .collect())
}

async fn read_campaign(
    state: &AppState,
    pairs: &Pairs,
) -> AppResult<Result<NewCampaign, FormErrors>> {
    let mut r = FormReader::new(pairs);
    let title_pl = r.text("title_pl", 200);
    let title_en = r.text("title_en", 200);
    let starts = r.required("starts_on", parse::date);
    let ends = r.required("ends_on", parse::date);
    if let (Some(s), Some(e)) = (starts, ends)
        && e < s
    {
        r.error("ends_on", "sv-err-period");
    }
    let channels: Vec<Channel> = values(pairs, "channel")
        .into_iter()
        .filter_map(Channel::parse)
        .collect();
    if channels.is_empty() {
        r.error("channel", "sv-err-channels");
    }
    let known: Vec<i64> = crate::org::store::locations(&state.db)
        .await?
        .into_iter()
        .map(|l| l.id)
        .collect();
    let mut locations = Vec::new();
    for v in values(pairs, "location") {
        match v.parse::<i64>().ok().filter(|id| known.contains(id)) {
            Some(id) if !locations.contains(&id) => locations.push(id),
            Some(_) => {}
            None => r.error("location", "form-choice-unknown"),
        }
    }
    let questionnaire = match r.value("template") {
        "empty" => survey::Questionnaire::default(),
        _ => survey::block_questionnaire(&unit_options(state).await?),
    };
    let value = starts.zip(ends).map(|(s, e)| NewCampaign {
        title_pl,
        title_en,
        starts_on: s.to_string(),
        ends_on: e.to_string(),
        channels,
        locations,
        questionnaire,
    });
    Ok(r.finish(value))
}

pub async fn create(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let new = match read_campaign(&state, &pairs).await? {
        Ok(n) => n,
        Err(errors) => {
            let page = list_page(&state, ctx, &pairs, &errors).await?;
            return Ok(form::respond(&errors, page));
        }
    };
    let id = store::create(
        &state.db,
        &visitor.actor(),
        &service::new_slug(),
        &new,
        state.clock.now(),
    )
    .await?;
    Ok(redirect_with_flash(
        &format!("/staff/surveys/{id}"),
        "sv-created",
        state.config.behind_tls(),
    ))
}

/// A question in the builder's list.
pub struct QuestionRow {
    pub key: String,
    pub block: String,
    pub kind: String,
    pub text_pl: String,
    pub text_en: String,
    /// "value: Polish / English" of each option.
    pub options: Vec<String>,
    pub condition: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/campaign.html")]
pub struct CampaignPage {
    pub ctx: PageCtx,
    pub id: i64,
    pub title: String,
    pub period: String,
    pub state: String,
    pub channels: String,
    pub responses: i64,
    /// The questionnaire can still change (no responses yet).
    pub editable: bool,
    /// What keeps the questionnaire from being answered, in words.
    pub problems: Vec<String>,
    pub questions: Vec<QuestionRow>,
    pub link: String,
    /// (location name, poster path)
    pub posters: Vec<(String, String)>,
    pub has_email: bool,
    pub has_paper: bool,
    pub error_summary: Vec<(String, String)>,
    pub q_key: Field,
    pub q_block: Field,
    pub q_kind: Field,
    pub q_text_pl: Field,
    pub q_text_en: Field,
    pub q_options: Field,
    pub q_required: crate::platform::form::Checkbox,
    pub q_show_if: Field,
    pub q_show_value: Field,
    pub invite_errors: Vec<(String, String)>,
    pub invite_to: Field,
}

async fn campaign_of(state: &AppState, id: i64) -> AppResult<Campaign> {
    store::campaign_by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// What keeps the questionnaire from being answered, in words.
fn problems_in_words(lang: Lang, c: &Campaign) -> Vec<String> {
    match c.questionnaire.check() {
        Ok(()) => Vec::new(),
        Err(list) => list
            .iter()
            .map(|e| {
                let key = match e {
                    QuestionnaireError::Empty | QuestionnaireError::TooMany => String::new(),
                    QuestionnaireError::BadKey(k)
                    | QuestionnaireError::DuplicateKey(k)
                    | QuestionnaireError::MissingText(k)
                    | QuestionnaireError::BadOptions(k)
                    | QuestionnaireError::UnexpectedOptions(k)
                    | QuestionnaireError::ConditionNotEarlier(k)
                    | QuestionnaireError::ConditionValue(k) => format!("{k}: "),
                };
                format!("{key}{}", lang.t(e.message()))
            })
            .collect(),
    }
}

/// The questionnaire's questions as the builder lists them.
fn question_rows(lang: Lang, c: &Campaign) -> Vec<QuestionRow> {
    c.questionnaire
        .questions
        .iter()
        .map(|q| QuestionRow {
            key: q.key.clone(),
            block: lang.t(&format!("sv-block-{}", q.block.as_str())),
            kind: lang.t(&format!("sv-kind-{}", q.kind.as_str())),
            text_pl: q.text.pl.clone(),
            text_en: q.text.en.clone(),
            options: q
                .options
                .iter()
                .map(|o| format!("{}: {} / {}", o.value, o.text.pl, o.text.en))
                .collect(),
            condition: q
                .show_if
                .as_ref()
                .map(|s| format!("{} = {}", s.question, s.equals)),
        })
        .collect()
}

/// The QR posters of a campaign run by poster: a general one and one per location.
async fn posters(
    state: &AppState,
    lang: Lang,
    c: &Campaign,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let mut posters = Vec::new();
    if c.has(Channel::Qr) {
        posters.push((
            lang.t("sv-poster-general"),
            format!("/staff/surveys/{}/poster.pdf", c.id),
        ));
        for l in crate::org::store::locations(&state.db).await? {
            if c.locations.contains(&l.id) {
                posters.push((
                    l.name,
                    format!("/staff/surveys/{}/poster.pdf?location={}", c.id, l.id),
                ));
            }
        }
    }
    Ok(posters)
}

/// The blocks a question may belong to, for the builder's select.
fn block_choices(lang: Lang) -> Vec<(String, String)> {
    Block::ALL
        .into_iter()
        .map(|b| {
            (
                b.as_str().to_owned(),
                lang.t(&format!("sv-block-{}", b.as_str())),
            )
        })
        .collect()
}

/// The kinds of question, for the builder's select.
fn kind_choices(lang: Lang) -> Vec<(String, String)> {
    Kind::ALL
        .into_iter()
        .map(|k| {
            (
                k.as_str().to_owned(),
                lang.t(&format!("sv-kind-{}", k.as_str())),
            )
        })
        .collect()
}

/// "Always", then the earlier questions a condition may name (not open ones).
fn earlier_choices(lang: Lang, c: &Campaign) -> Vec<(String, String)> {
    let mut earlier = vec![(String::new(), lang.t("sv-f-show-always"))];
    earlier.extend(
        c.questionnaire
            .questions
            .iter()
            .filter(|q| q.kind != Kind::Open)
            .map(|q| {
                (
                    q.key.clone(),
                    format!("{} — {}", q.key, q.text.get(lang.code())),
                )
            }),
    );
    earlier
}

#[allow(clippy::too_many_arguments)]
async fn campaign_page(
    state: &AppState,
    ctx: PageCtx,
    headers: &HeaderMap,
    c: &Campaign,
    pairs: &Pairs,
    errors: &FormErrors,
    invite_pairs: &Pairs,
    invite_errors: &FormErrors,
) -> AppResult<CampaignPage> {
    let today = state.clock.today().to_string();
    let lang = ctx.lang;
    let responses = store::response_count(&state.db, c.id).await?;
    let problems = problems_in_words(lang, c);
    let questions = question_rows(lang, c);
    let base = base_url(state, headers);
    let link = format!("{base}/surveys/{}", c.slug);
    let posters = posters(state, lang, c).await?;
    let mut f = FormBuilder::with_values(lang, errors, pairs);
    let q_key = f
        .input("key", "sv-f-key")
        .required()
        .hint(lang, "sv-f-key-hint");
    let q_block = f.field(
        Field::text(lang, "block", "sv-f-block", f.value("block")).select(block_choices(lang)),
    );
    let q_kind =
        f.field(Field::text(lang, "kind", "sv-f-kind", f.value("kind")).select(kind_choices(lang)));
    let q_text_pl = f.input("text_pl", "sv-f-text-pl").required();
    let q_text_en = f.input("text_en", "sv-f-text-en").required();
    let q_options = f.field(
        Field::text(lang, "options", "sv-f-options", f.value("options"))
            .kind("textarea")
            .optional()
            .hint(lang, "sv-f-options-hint"),
    );
    let q_required = f.checkbox("required", "sv-f-required");
    let q_show_if = f.field(
        Field::text(lang, "show_if", "sv-f-show-if", f.value("show_if"))
            .select(earlier_choices(lang, c))
            .optional(),
    );
    let q_show_value = f.field(
        Field::text(lang, "show_value", "sv-f-show-value", f.value("show_value"))
            .optional()
            .hint(lang, "sv-f-show-value-hint"),
    );
    let error_summary = f.summary();
    let mut g = FormBuilder::with_values(lang, invite_errors, invite_pairs);
    let invite_to = g.field(
        Field::text(lang, "to", "sv-f-invite-to", g.value("to"))
            .kind("textarea")
            .required()
            .hint(lang, "sv-f-invite-hint"),
    );
    Ok(CampaignPage {
        id: c.id,
        title: c.title(ctx.lang_code()).to_owned(),
        period: format!("{} – {}", c.starts_on, c.ends_on),
        state: state_label(&ctx, c, &today),
        channels: c
            .channels
            .iter()
            .map(|ch| lang.t(&format!("sv-channel-{}", ch.as_str())))
            .collect::<Vec<_>>()
            .join(", "),
        responses,
        editable: responses == 0,
        problems,
        questions,
        link,
        posters,
        has_email: c.has(Channel::Email),
        has_paper: c.has(Channel::Paper),
        error_summary,
        q_key,
        q_block,
        q_kind,
        q_text_pl,
        q_text_en,
        q_options,
        q_required,
        q_show_if,
        q_show_value,
        invite_errors: g.summary(),
        invite_to,
        ctx,
    })
}

pub async fn campaign(
    State(state): State<AppState>,
    ctx: PageCtx,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<CampaignPage> {
    let c = campaign_of(&state, id).await?;
    let none = Vec::new();
    campaign_page(
        &state,
        ctx,
        &headers,
        &c,
        &none,
        &FormErrors::new(),
        &none,
        &FormErrors::new(),
    )
    .await
}

/// Reads the builder's form into a question (before the questionnaire's own check).
fn read_question(c: &Campaign, pairs: &Pairs) -> Result<Question, FormErrors> {
    let mut r = FormReader::new(pairs);
    let key = r.text("key", 32);
    let block = r.required("block", |s| Block::parse(s).ok_or("form-choice-unknown"));
    let kind = r.required("kind", |s| Kind::parse(s).ok_or("form-choice-unknown"));
    let text_pl = r.text("text_pl", survey::TEXT_MAX);
    let text_en = r.text("text_en", survey::TEXT_MAX);
    let mut options = Vec::new();
    for (i, line) in r
        .value("options")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let (pl, en) = line.split_once('|').unwrap_or((line, ""));
        options.push(Choice {
            value: format!("o{}", i + 1),
            text: Text::new(pl.trim(), en.trim()),
        });
    }
    let show_if = r.value("show_if").trim().to_owned();
    let show_if = if show_if.is_empty() {
        None
    } else {
        let wanted = r.value("show_value").trim().to_owned();
        // The value as stored, or an option named by its Polish or English text.
        let equals = c
            .questionnaire
            .question(&show_if)
            .and_then(|q| {
                q.options.iter().find(|o| {
                    o.text.pl.eq_ignore_ascii_case(&wanted)
                        || o.text.en.eq_ignore_ascii_case(&wanted)
                })
            })
            .map_or(wanted, |o| o.value.clone());
        if equals.is_empty() {
            r.error("show_value", "form-required");
        }
        Some(Condition {
            question: show_if,
            equals,
        })
    };
    let required = r.checked("required");
    let value = block.zip(kind).map(|(block, kind)| Question {
        key,
        block,
        kind,
        text: Text::new(&text_pl, &text_en),
        options,
        required,
        show_if,
    });
    r.finish(value)
}

/// The builder's field a questionnaire problem belongs to.
fn field_of(e: &QuestionnaireError) -> &'static str {
    match e {
        QuestionnaireError::Empty | QuestionnaireError::TooMany => "key",
        QuestionnaireError::BadKey(_) | QuestionnaireError::DuplicateKey(_) => "key",
        QuestionnaireError::MissingText(_) => "text_pl",
        QuestionnaireError::BadOptions(_) | QuestionnaireError::UnexpectedOptions(_) => "options",
        QuestionnaireError::ConditionNotEarlier(_) => "show_if",
        QuestionnaireError::ConditionValue(_) => "show_value",
    }
}

/// The campaign page again with the builder's problems: 422, or `status`.
async fn refuse(
    state: &AppState,
    ctx: PageCtx,
    headers: &HeaderMap,
    c: &Campaign,
    pairs: &Pairs,
    errors: FormErrors,
    status: Option<axum::http::StatusCode>,
) -> AppResult<Response> {
    let none = Vec::new();
    let page = campaign_page(
        state,
        ctx,
        headers,
        c,
        pairs,
        &errors,
        &none,
        &FormErrors::new(),
    )
    .await?;
    Ok(match status {
        Some(s) => (s, page).into_response(),
        None => form::respond(&errors, page),
    })
}

pub async fn add_question(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    ctx: PageCtx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let c = campaign_of(&state, id).await?;
    let question = match read_question(&c, &pairs) {
        Ok(q) => q,
        Err(errors) => return refuse(&state, ctx, &headers, &c, &pairs, errors, None).await,
    };
    let mut after = c.questionnaire.clone();
    let key = question.key.clone();
    after.questions.push(question);
    if let Err(list) = after.check() {
        let mut errors = FormErrors::new();
        // Problems of the new question; an empty questionnaire cannot follow an addition.
        for e in list
            .iter()
            .filter(|e| format!("{e}").contains(&format!("question {key}:")))
        {
            if errors.get(field_of(e)).is_none() {
                errors.add(field_of(e), e.message());
            }
        }
        if !errors.is_empty() {
            return refuse(&state, ctx, &headers, &c, &pairs, errors, None).await;
        }
    }
    if !store::set_questionnaire(&state.db, &visitor.actor(), id, &c.questionnaire, &after).await? {
        return refuse(
            &state,
            ctx,
            &headers,
            &c,
            &pairs,
            FormErrors::one("key", "sv-err-has-responses"),
            Some(axum::http::StatusCode::CONFLICT),
        )
        .await;
    }
    Ok(redirect_with_flash(
        &format!("/staff/surveys/{id}"),
        "sv-question-added",
        state.config.behind_tls(),
    ))
}

pub async fn delete_question(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    Path((id, key)): Path<(i64, String)>,
) -> AppResult<Response> {
    let c = campaign_of(&state, id).await?;
    if c.questionnaire.question(&key).is_none() {
        return Err(AppError::NotFound);
    }
    // A question others depend on stays until their conditions go.
    if c.questionnaire
        .questions
        .iter()
        .any(|q| q.show_if.as_ref().is_some_and(|s| s.question == key))
    {
        return Err(AppError::Conflict("question-has-follow-ups"));
    }
    let mut after = c.questionnaire.clone();
    after.questions.retain(|q| q.key != key);
    if !store::set_questionnaire(&state.db, &visitor.actor(), id, &c.questionnaire, &after).await? {
        return Err(AppError::Conflict("survey-has-responses"));
    }
    Ok(redirect_with_flash(
        &format!("/staff/surveys/{id}"),
        "sv-question-removed",
        state.config.behind_tls(),
    ))
}

pub async fn invite(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    ctx: PageCtx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let c = campaign_of(&state, id).await?;
    let to = form::value(&pairs, "to");
    let mut errors = FormErrors::new();
    let list = match service::addresses(to) {
        Ok(list) if list.is_empty() => {
            errors.add("to", "form-required");
            Vec::new()
        }
        Ok(list) if list.len() > service::INVITATIONS_MAX => {
            errors.add("to", "sv-err-too-many-invitations");
            Vec::new()
        }
        Ok(list) => list,
        Err(_) => {
            errors.add("to", "sv-err-address");
            Vec::new()
        }
    };
    let today = state.clock.today().to_string();
    let status = if !errors.is_empty() {
        None
    } else if !c.has(Channel::Email) || !service::runnable(&c, &today) {
        errors.add("to", "sv-err-not-inviting");
        Some(axum::http::StatusCode::CONFLICT)
    } else {
        let base = base_url(&state, &headers);
        service::invite(&state.db, &state.mailer, &visitor.actor(), &c, &list, &base).await?;
        return Ok(redirect_with_flash(
            &format!("/staff/surveys/{id}"),
            "sv-invited",
            state.config.behind_tls(),
        ));
    };
    let none = Vec::new();
    let page = campaign_page(
        &state,
        ctx,
        &headers,
        &c,
        &none,
        &FormErrors::new(),
        &pairs,
        &errors,
    )
    .await?;
    Ok(match status {
        Some(s) => (s, page).into_response(),
        None => form::respond(&errors, page),
    })
}
