//! A campaign's results (`RunSurveys`): CSAT per block and per question with n and the
//! 95 % Wilson interval, NPS per channel with its multinomial interval, CSAT per unit
//! (suppressed under 10 respondents), choice counts, the open answers for moderators
//! (`ModerateRatings`), and the same figures as CSV (BOM, `;`, decimal commas).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use magistrat_domain::satisfaction::{DEFAULT_THRESHOLD, Estimate};

use super::answer::block_label;
use super::service::{self, ChoiceResult, NpsResult, OpenAnswers, Results, ScaleResult};
use super::store;
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::session::Staff;
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;

fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

fn decimal(lang: Lang, v: f64, places: usize) -> String {
    let s = format!("{v:.places$}");
    if lang == Lang::Pl {
        s.replace('.', ",")
    } else {
        s
    }
}

/// One row of a results table, formatted; `figures` None when suppressed.
pub struct Line {
    pub label: String,
    pub n: u64,
    /// (value, interval, mean)
    pub figures: Option<(String, String, String)>,
}

fn scale_line(lang: Lang, r: &ScaleResult) -> Line {
    Line {
        label: r.label.clone(),
        n: r.n,
        figures: r.csat.map(|e: Estimate| {
            (
                percent(e.value),
                format!("{}–{}", percent(e.low), percent(e.high)),
                r.mean.map(|m| decimal(lang, m, 2)).unwrap_or_default(),
            )
        }),
    }
}

fn nps_line(r: &NpsResult) -> Line {
    Line {
        label: r.label.clone(),
        n: r.n,
        figures: r.nps.map(|e| {
            (
                format!("{:+.0}", e.value),
                format!("{:+.0} … {:+.0}", e.low, e.high),
                format!("{} / {} / {}", r.classes.0, r.classes.1, r.classes.2),
            )
        }),
    }
}

/// One table of CSAT figures.
pub struct Table {
    pub key: &'static str,
    pub heading: String,
    pub lines: Vec<Line>,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/results.html")]
pub struct ResultsPage {
    pub ctx: PageCtx,
    pub id: i64,
    pub title: String,
    pub responses: i64,
    pub threshold: i64,
    /// (channel, responses)
    pub per_channel: Vec<(String, u64)>,
    /// CSAT per block, per question, per unit.
    pub tables: Vec<Table>,
    pub nps: Vec<Line>,
    pub choices: Vec<ChoiceResult>,
    pub moderator: bool,
    /// Grouped by question.
    pub open: Vec<OpenAnswers>,
}

fn channel_label(lang: Lang, key: &str) -> String {
    lang.t(&format!("sv-channel-{key}"))
}

async fn load(
    state: &AppState,
    ctx: &PageCtx,
    id: i64,
    with_open: bool,
) -> AppResult<(store::Campaign, Results)> {
    let campaign = store::campaign_by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let lang = ctx.lang;
    let results = service::results(
        &state.db,
        &campaign,
        ctx.lang_code(),
        with_open,
        |k| channel_label(lang, k),
        |b| block_label(ctx, b),
    )
    .await?;
    Ok((campaign, results))
}

pub async fn page(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<ResultsPage> {
    let moderator = user.can(Permission::ModerateRatings);
    let (campaign, r) = load(&state, &ctx, id, moderator).await?;
    let lang = ctx.lang;
    Ok(ResultsPage {
        id,
        title: campaign.title(ctx.lang_code()).to_owned(),
        responses: i64::try_from(r.responses).unwrap_or(i64::MAX),
        threshold: i64::try_from(DEFAULT_THRESHOLD).unwrap_or(10),
        per_channel: r
            .per_channel
            .iter()
            .map(|(k, n)| (channel_label(lang, k), *n))
            .collect(),
        tables: vec![
            Table {
                key: "blocks",
                heading: ctx.t("sv-by-block"),
                lines: r.blocks.iter().map(|b| scale_line(lang, b)).collect(),
            },
            Table {
                key: "questions",
                heading: ctx.t("sv-by-question"),
                lines: r.questions.iter().map(|b| scale_line(lang, b)).collect(),
            },
            Table {
                key: "units",
                heading: ctx.t("sv-by-unit"),
                lines: r.units.iter().map(|b| scale_line(lang, b)).collect(),
            },
        ],
        nps: r.nps.iter().map(nps_line).collect(),
        choices: r.choices,
        moderator,
        open: r.open,
        ctx,
    })
}

pub async fn csv(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (_, r) = load(&state, &ctx, id, false).await?;
    let lang = ctx.lang;
    let d = |v: f64, places: usize| format!("{v:.places$}").replace('.', ",");
    let mut csv = crate::platform::csv::Csv::new();
    csv.row(
        &[
            "sv-csv-section",
            "sv-csv-group",
            "sat-csv-n",
            "sv-csv-value",
            "sv-csv-low",
            "sv-csv-high",
            "sat-csv-suppressed",
        ]
        .map(|k| lang.t(k)),
    );
    let scale = |csv: &mut crate::platform::csv::Csv, section: &str, list: &[ScaleResult]| {
        for s in list {
            let mut row = vec![section.to_owned(), s.label.clone(), s.n.to_string()];
            match s.csat {
                Some(e) => row.extend([d(e.value, 3), d(e.low, 3), d(e.high, 3), "0".into()]),
                None => row.extend([String::new(), String::new(), String::new(), "1".into()]),
            }
            csv.row(&row);
        }
    };
    scale(&mut csv, &lang.t("sv-csv-block"), &r.blocks);
    scale(&mut csv, &lang.t("sv-csv-question"), &r.questions);
    scale(&mut csv, &lang.t("sv-csv-unit"), &r.units);
    for s in &r.nps {
        let mut row = vec![lang.t("sv-csv-nps"), s.label.clone(), s.n.to_string()];
        match s.nps {
            Some(e) => row.extend([d(e.value, 1), d(e.low, 1), d(e.high, 1), "0".into()]),
            None => row.extend([String::new(), String::new(), String::new(), "1".into()]),
        }
        csv.row(&row);
    }
    for c in &r.choices {
        for (option, n) in &c.options {
            csv.row(&[
                lang.t("sv-csv-choice"),
                format!("{} — {option}", c.label),
                n.to_string(),
                String::new(),
                String::new(),
                String::new(),
                "0".into(),
            ]);
        }
    }
    Ok(csv.download(&format!("survey-{id}-results.csv")))
}
