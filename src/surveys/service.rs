//! What the pages do with campaigns: create one, build its questionnaire, invite by
//! e-mail, take a response (from a link, an invitation or a paper form) and compute the
//! results with their 95 % intervals (the pure statistics of
//! `magistrat_domain::satisfaction`, the same as the ratings').

use std::collections::BTreeMap;

use magistrat_domain::satisfaction::{self as stats, DEFAULT_THRESHOLD, Estimate, Z_95};
use magistrat_domain::survey::{Block, Kind, Question, Questionnaire};

use super::store::{self, Campaign, Channel, Invitation, NewResponse, ScoreGroup, StoreRefusal};
use crate::auth::secret::{random_token, token_hash};
use crate::db::Db;
use crate::db::audit::Actor;
use crate::mailer::{Mail, Mailer};

/// The most invitations one post may send.
pub const INVITATIONS_MAX: usize = 500;

/// A new campaign's public link part: 64 random bits (not a secret; the link is
/// public, it only keeps campaigns from being listed by counting).
pub fn new_slug() -> String {
    random_token()[..16].to_owned()
}

/// The actor a resident's response is audited as: nobody.
pub fn resident_actor() -> Actor {
    Actor {
        user_id: None,
        login: "resident".into(),
        ip: None,
    }
}

/// Why a response is not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The campaign is not running today or its questionnaire is not complete.
    Closed,
    /// The campaign does not take responses through this channel.
    NotByThisChannel,
    /// An invitation's token that was never issued (mistyped or tampered with).
    UnknownToken,
    /// An invitation's token used already.
    TokenUsed,
    /// This browser has answered already.
    AnsweredAlready,
}

impl Refusal {
    pub fn message(self) -> &'static str {
        match self {
            Refusal::Closed => "sv-closed",
            Refusal::NotByThisChannel => "sv-invitation-only",
            Refusal::UnknownToken => "sv-token-unknown",
            Refusal::TokenUsed => "sv-token-used",
            Refusal::AnsweredAlready => "sv-answered-already",
        }
    }

    pub fn status(self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            Refusal::UnknownToken => StatusCode::NOT_FOUND,
            Refusal::NotByThisChannel => StatusCode::FORBIDDEN,
            _ => StatusCode::CONFLICT,
        }
    }
}

/// Who is answering: the channel, the invitation's hash, the location.
#[derive(Clone, Debug)]
pub struct Respondent {
    pub channel: Channel,
    pub token_hash: Option<String>,
    pub location_id: Option<i64>,
}

/// Whether the campaign can be answered on `today`.
pub fn runnable(campaign: &Campaign, today: &str) -> bool {
    campaign.is_open(today) && campaign.questionnaire.check().is_ok()
}

/// Decides who answers through the public page: with an invitation's `token`, or by
/// the link (`via=qr` from a poster). `answered` says this browser's marker is set.
pub async fn respondent(
    db: &Db,
    campaign: &Campaign,
    today: &str,
    token: Option<&str>,
    via_qr: bool,
    at: Option<i64>,
    answered: bool,
) -> Result<Result<Respondent, Refusal>, sqlx::Error> {
    if !runnable(campaign, today) {
        return Ok(Err(Refusal::Closed));
    }
    let location_id = at.filter(|l| campaign.locations.contains(l));
    if let Some(token) = token.map(str::trim).filter(|t| !t.is_empty()) {
        if token.len() > 128 {
            return Ok(Err(Refusal::UnknownToken));
        }
        let hash = token_hash(token);
        return Ok(match store::invitation(db, campaign.id, &hash).await? {
            Invitation::Unknown => Err(Refusal::UnknownToken),
            Invitation::Used => Err(Refusal::TokenUsed),
            Invitation::Unused => Ok(Respondent {
                channel: Channel::Email,
                token_hash: Some(hash),
                location_id,
            }),
        });
    }
    let channel = if via_qr { Channel::Qr } else { Channel::Link };
    if !campaign.has(channel) {
        return Ok(Err(Refusal::NotByThisChannel));
    }
    if answered {
        return Ok(Err(Refusal::AnsweredAlready));
    }
    Ok(Ok(Respondent {
        channel,
        token_hash: None,
        location_id,
    }))
}

/// Stores a checked response. The unit is the answer to the question `unit` when it
/// names one of the office's units.
pub async fn respond(
    db: &Db,
    actor: &Actor,
    campaign: &Campaign,
    who: &Respondent,
    answers: Vec<magistrat_domain::survey::Answer>,
    today: &str,
) -> Result<Result<i64, Refusal>, sqlx::Error> {
    let unit_id = match answers.iter().find(|a| a.key == "unit").map(|a| &a.value) {
        Some(magistrat_domain::survey::Value::Choices(c)) => {
            match c.first().and_then(|v| v.parse::<i64>().ok()) {
                Some(id) => crate::org::store::unit(db, id).await?.map(|u| u.id),
                None => None,
            }
        }
        _ => None,
    };
    let response = NewResponse {
        campaign_id: campaign.id,
        channel: who.channel,
        location_id: who.location_id,
        unit_id,
        answered_on: today.to_owned(),
        answers,
    };
    match store::respond(db, actor, &response, who.token_hash.as_deref()).await {
        Ok(id) => Ok(Ok(id)),
        Err(StoreRefusal::InvitationUsed) => Ok(Err(Refusal::TokenUsed)),
        Err(StoreRefusal::Db(e)) => Err(e),
    }
}

/// The addresses in a pasted list (commas, semicolons, spaces or lines between them),
/// each once; or the first one that is not an address.
pub fn addresses(text: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if !crate::platform::form::looks_like_email(part) {
            return Err(part.to_owned());
        }
        if !out.iter().any(|a| a.eq_ignore_ascii_case(part)) {
            out.push(part.to_owned());
        }
    }
    Ok(out)
}

/// Issues one invitation per address (only the token's hash is stored, never the
/// address) and mails each its one-time link; the number mailed. `base` is the
/// office's public address.
pub async fn invite(
    db: &Db,
    mailer: &Mailer,
    actor: &Actor,
    campaign: &Campaign,
    to: &[String],
    base: &str,
) -> Result<usize, sqlx::Error> {
    let tokens: Vec<String> = to.iter().map(|_| random_token()).collect();
    let hashes: Vec<String> = tokens.iter().map(|t| token_hash(t)).collect();
    store::invite(db, actor, campaign.id, &hashes).await?;
    let mut sent = 0;
    for (address, token) in to.iter().zip(&tokens) {
        let link = format!("{base}/surveys/{}?t={token}", campaign.slug);
        let mail = Mail {
            to: address.clone(),
            subject: format!("{} / {}", campaign.title_pl, campaign.title_en),
            body: format!(
                "Dzień dobry,\n\nzapraszamy do udziału w badaniu „{}”. Ankieta jest \
                 anonimowa; link działa jeden raz:\n\n{link}\n\nAnkieta trwa do {}.\n\n\
                 ---\n\nYou are invited to take part in the survey “{}”. It is anonymous; \
                 the link works once:\n\n{link}\n\nThe survey runs until {}.\n",
                campaign.title_pl, campaign.ends_on, campaign.title_en, campaign.ends_on
            ),
        };
        match mailer.send(&mail).await {
            Ok(()) => sent += 1,
            Err(e) => tracing::warn!(error = %e, "a survey invitation could not be sent"),
        }
    }
    Ok(sent)
}

/// One scored question's or block's figures: n answers and, when published, CSAT (share
/// of 4–5) with its Wilson interval and the mean.
#[derive(Clone, Debug)]
pub struct ScaleResult {
    pub label: String,
    pub block: Option<Block>,
    pub n: u64,
    pub csat: Option<Estimate>,
    pub mean: Option<f64>,
}

/// NPS of a group with its multinomial interval.
#[derive(Clone, Debug)]
pub struct NpsResult {
    pub label: String,
    pub n: u64,
    pub nps: Option<Estimate>,
    /// Promoters, passives, detractors.
    pub classes: (u64, u64, u64),
}

/// One choice question's counts (option text, times chosen).
#[derive(Clone, Debug)]
pub struct ChoiceResult {
    pub label: String,
    /// Answers chosen (a respondent may choose several).
    pub n: i64,
    pub options: Vec<(String, u64)>,
}

/// A campaign's results.
#[derive(Clone, Debug, Default)]
pub struct Results {
    pub responses: u64,
    pub per_channel: Vec<(String, u64)>,
    pub blocks: Vec<ScaleResult>,
    pub questions: Vec<ScaleResult>,
    pub nps: Vec<NpsResult>,
    pub units: Vec<ScaleResult>,
    pub choices: Vec<ChoiceResult>,
    /// Grouped by question: only for moderators.
    pub open: Vec<OpenAnswers>,
}

fn scale_result(label: String, block: Option<Block>, n: u64, sum: u64, sat: u64) -> ScaleResult {
    let published = stats::publishable(n, DEFAULT_THRESHOLD);
    #[allow(clippy::cast_precision_loss)]
    let mean = published.then(|| sum as f64 / n as f64);
    ScaleResult {
        label,
        block,
        n,
        csat: published.then(|| stats::wilson(sat, n, Z_95)).flatten(),
        mean,
    }
}

fn nps_result(label: String, s: &store::ScoreSums) -> NpsResult {
    let published = stats::publishable(s.n, DEFAULT_THRESHOLD);
    NpsResult {
        label,
        n: s.n,
        nps: published
            .then(|| stats::nps(s.promoters, s.detractors, s.n, Z_95))
            .flatten(),
        classes: if published {
            (s.promoters, s.n - s.promoters - s.detractors, s.detractors)
        } else {
            (0, 0, 0)
        },
    }
}

/// The scale questions' figures in questionnaire order, and their blocks' (a block
/// pools its questions' answers).
async fn scale_results(
    db: &Db,
    q: &Questionnaire,
    lang: &str,
    campaign_id: i64,
    block_label: impl Fn(Block) -> String,
) -> Result<(Vec<ScaleResult>, Vec<ScaleResult>), sqlx::Error> {
    let all = store::score_sums(db, campaign_id, ScoreGroup::None).await?;
    let mut questions = Vec::new();
    let mut blocks: BTreeMap<Block, (u64, u64, u64)> = BTreeMap::new();
    for x in q.questions.iter().filter(|x| x.kind == Kind::Scale) {
        let s = all.iter().find(|s| s.question == x.key);
        let (n, sum, sat) = s.map_or((0, 0, 0), |s| (s.n, s.sum, s.satisfied));
        questions.push(scale_result(
            x.text.get(lang).to_owned(),
            Some(x.block),
            n,
            sum,
            sat,
        ));
        let b = blocks.entry(x.block).or_default();
        b.0 += n;
        b.1 += sum;
        b.2 += sat;
    }
    let blocks = blocks
        .into_iter()
        .map(|(block, (n, sum, sat))| scale_result(block_label(block), Some(block), n, sum, sat))
        .collect();
    Ok((blocks, questions))
}

/// NPS per channel and, after them, of all channels together.
async fn nps_results(
    db: &Db,
    q: &Questionnaire,
    campaign_id: i64,
    channel_label: impl Fn(&str) -> String,
) -> Result<Vec<NpsResult>, sqlx::Error> {
    let is_nps = |key: &str| q.question(key).is_some_and(|x| x.kind == Kind::Nps);
    let mut nps = Vec::new();
    let mut total = store::ScoreSums {
        question: String::new(),
        group: String::new(),
        n: 0,
        sum: 0,
        satisfied: 0,
        promoters: 0,
        detractors: 0,
    };
    for s in store::score_sums(db, campaign_id, ScoreGroup::Channel)
        .await?
        .into_iter()
        .filter(|s| is_nps(&s.question))
    {
        total.n += s.n;
        total.promoters += s.promoters;
        total.detractors += s.detractors;
        nps.push(nps_result(channel_label(&s.group), &s));
    }
    if !nps.is_empty() {
        nps.push(nps_result(channel_label("all"), &total));
    }
    Ok(nps)
}

/// CSAT per unit over all scale questions, suppressed by respondents (not answers:
/// ten answers of two people are still two people), in label order.
async fn unit_results(
    db: &Db,
    q: &Questionnaire,
    campaign_id: i64,
) -> Result<Vec<ScaleResult>, sqlx::Error> {
    let is_scale = |key: &str| q.question(key).is_some_and(|x| x.kind == Kind::Scale);
    let unit_names: BTreeMap<String, String> = crate::org::store::units(db)
        .await?
        .into_iter()
        .map(|u| (u.id.to_string(), format!("{} — {}", u.symbol, u.name)))
        .collect();
    let respondents: BTreeMap<String, u64> = store::respondents_per_unit(db, campaign_id)
        .await?
        .into_iter()
        .collect();
    let mut per_unit: BTreeMap<String, (u64, u64, u64)> = BTreeMap::new();
    for s in store::score_sums(db, campaign_id, ScoreGroup::Unit)
        .await?
        .into_iter()
        .filter(|s| is_scale(&s.question) && !s.group.is_empty())
    {
        let u = per_unit.entry(s.group.clone()).or_default();
        u.0 += s.n;
        u.1 += s.sum;
        u.2 += s.satisfied;
    }
    let mut units: Vec<ScaleResult> = per_unit
        .into_iter()
        .map(|(key, (n, sum, sat))| {
            let people = respondents.get(&key).copied().unwrap_or(0);
            let label = unit_names.get(&key).cloned().unwrap_or(key);
            if stats::publishable(people, DEFAULT_THRESHOLD) {
                ScaleResult {
                    n: people,
                    ..scale_result(label, None, n, sum, sat)
                }
            } else {
                ScaleResult {
                    label,
                    block: None,
                    n: people,
                    csat: None,
                    mean: None,
                }
            }
        })
        .collect();
    units.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(units)
}

/// Each choice question's counts per option, in questionnaire order.
async fn choice_results(
    db: &Db,
    q: &Questionnaire,
    lang: &str,
    campaign_id: i64,
) -> Result<Vec<ChoiceResult>, sqlx::Error> {
    let counts = store::choice_counts(db, campaign_id).await?;
    Ok(q.questions
        .iter()
        .filter(|x| x.kind.has_options())
        .map(|x: &Question| {
            let options: Vec<(String, u64)> = x
                .options
                .iter()
                .map(|o| {
                    let n = counts
                        .iter()
                        .find(|(qk, c, _)| *qk == x.key && *c == o.value)
                        .map_or(0, |(_, _, n)| *n);
                    (o.text.get(lang).to_owned(), n)
                })
                .collect();
            ChoiceResult {
                label: x.text.get(lang).to_owned(),
                n: i64::try_from(options.iter().map(|(_, n)| n).sum::<u64>()).unwrap_or(i64::MAX),
                options,
            }
        })
        .collect())
}

/// The open answers of one question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenAnswers {
    /// The question's text.
    pub question: String,
    /// Its block, for people.
    pub block: String,
    /// Newest first.
    pub answers: Vec<String>,
}

/// Open answers grouped by question in questionnaire order (answers to a question no
/// longer in the questionnaire last, under its key); each group newest first.
pub fn group_open(
    q: &Questionnaire,
    lang: &str,
    answers: Vec<(String, String)>,
    block_label: impl Fn(Block) -> String,
) -> Vec<OpenAnswers> {
    let mut groups: Vec<(usize, OpenAnswers)> = Vec::new();
    for (key, text) in answers {
        if let Some((_, g)) = groups.iter_mut().find(|(_, g)| g.question == key) {
            g.answers.push(text);
            continue;
        }
        let position = q.questions.iter().position(|x| x.key == key);
        groups.push((
            position.unwrap_or(usize::MAX),
            OpenAnswers {
                question: key,
                block: String::new(),
                answers: vec![text],
            },
        ));
    }
    groups.sort_by_key(|(position, _)| *position);
    groups
        .into_iter()
        .map(|(position, mut g)| {
            if let Some(x) = q.questions.get(position) {
                g.question = x.text.get(lang).to_owned();
                g.block = block_label(x.block);
            }
            g
        })
        .collect()
}

/// The campaign's results in `lang`: CSAT per block and question, NPS per channel,
/// CSAT per unit, choice counts; every group under the threshold (10) without
/// figures. Open answers only `with_open` (moderators), grouped by question.
pub async fn results(
    db: &Db,
    campaign: &Campaign,
    lang: &str,
    with_open: bool,
    channel_label: impl Fn(&str) -> String,
    block_label: impl Fn(Block) -> String,
) -> Result<Results, sqlx::Error> {
    let q = &campaign.questionnaire;
    let per_channel = store::responses_per_channel(db, campaign.id).await?;
    let responses = per_channel.iter().map(|(_, n)| n).sum();
    let (blocks, questions) = scale_results(db, q, lang, campaign.id, &block_label).await?;
    let open = if with_open {
        group_open(
            q,
            lang,
            store::open_answers(db, campaign.id).await?,
            &block_label,
        )
    } else {
        Vec::new()
    };
    Ok(Results {
        responses,
        per_channel,
        blocks,
        questions,
        nps: nps_results(db, q, campaign.id, channel_label).await?,
        units: unit_results(db, q, campaign.id).await?,
        choices: choice_results(db, q, lang, campaign.id).await?,
        open,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use magistrat_domain::survey::Text;

    use super::*;

    fn question(key: &str, block: Block) -> Question {
        Question {
            key: key.into(),
            block,
            kind: Kind::Open,
            text: Text::new(&format!("Pytanie {key}"), &format!("Question {key}")),
            options: Vec::new(),
            required: false,
            show_if: None,
        }
    }

    #[test]
    fn open_answers_are_grouped_by_question_in_questionnaire_order() {
        let q = Questionnaire {
            questions: vec![
                question("first", Block::Image),
                question("second", Block::Timeliness),
            ],
        };
        let answers = [
            ("second", "b1"),
            ("gone", "x1"),
            ("first", "a1"),
            ("second", "b2"),
        ]
        .iter()
        .map(|(k, t)| ((*k).to_owned(), (*t).to_owned()))
        .collect();
        let groups = group_open(&q, "en", answers, |b| b.as_str().to_owned());
        let shape: Vec<(&str, &str, Vec<&str>)> = groups
            .iter()
            .map(|g| {
                (
                    g.question.as_str(),
                    g.block.as_str(),
                    g.answers.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                ("Question first", "image", vec!["a1"]),
                ("Question second", "timeliness", vec!["b1", "b2"]),
                ("gone", "", vec!["x1"]),
            ]
        );
        assert!(group_open(&q, "pl", Vec::new(), |_| String::new()).is_empty());
    }
}
