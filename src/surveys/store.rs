//! Survey campaigns in SQL: a campaign and its questionnaire (JSON), invitations as
//! token hashes, a response and its answers written in one transaction with the
//! invitation's use and the audit event, and the sums the results are computed from.

use magistrat_domain::survey::{Answer, Questionnaire, Value};
use serde::Serialize;

use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, UtcTime};
use crate::{execute_tx, with_db, with_tx};

/// How a response came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The public link.
    Link,
    /// The public link from a QR poster.
    Qr,
    /// An e-mail invitation's one-time link.
    Email,
    /// A paper form keyed in by staff.
    Paper,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Link, Channel::Qr, Channel::Email, Channel::Paper];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Link => "link",
            Channel::Qr => "qr",
            Channel::Email => "email",
            Channel::Paper => "paper",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A campaign as stored.
#[derive(Clone, Debug)]
pub struct Campaign {
    pub id: i64,
    pub slug: String,
    pub title_pl: String,
    pub title_en: String,
    pub questionnaire: Questionnaire,
    pub starts_on: String,
    pub ends_on: String,
    pub channels: Vec<Channel>,
    pub locations: Vec<i64>,
}

impl Campaign {
    pub fn title(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.title_en
        } else {
            &self.title_pl
        }
    }

    /// Open on `today` (`YYYY-MM-DD`): between its first and last day.
    pub fn is_open(&self, today: &str) -> bool {
        self.starts_on.as_str() <= today && today <= self.ends_on.as_str()
    }

    pub fn has(&self, channel: Channel) -> bool {
        self.channels.contains(&channel)
    }
}

/// A campaign to create.
#[derive(Clone, Debug, Serialize)]
pub struct NewCampaign {
    pub title_pl: String,
    pub title_en: String,
    pub starts_on: String,
    pub ends_on: String,
    pub channels: Vec<Channel>,
    pub locations: Vec<i64>,
    #[serde(skip)]
    pub questionnaire: Questionnaire,
}

fn join<T: ToString>(list: &[T]) -> String {
    list.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

type CampaignRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

const CAMPAIGN_COLUMNS: &str = "id, slug, title_pl, title_en, questionnaire, starts_on, \
     ends_on, channels, locations";

fn campaign(row: CampaignRow) -> Result<Campaign, sqlx::Error> {
    let (id, slug, title_pl, title_en, questionnaire, starts_on, ends_on, channels, locations) =
        row;
    let questionnaire: Questionnaire =
        serde_json::from_str(&questionnaire).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(Campaign {
        id,
        slug,
        title_pl,
        title_en,
        questionnaire,
        starts_on,
        ends_on,
        channels: channels.split(',').filter_map(Channel::parse).collect(),
        locations: locations
            .split(',')
            .filter_map(|s| s.parse().ok())
            .collect(),
    })
}

/// Creates a campaign, audited; its id.
pub async fn create(
    db: &Db,
    actor: &Actor,
    slug: &str,
    new: &NewCampaign,
    now: UtcTime,
) -> Result<i64, sqlx::Error> {
    let questionnaire =
        serde_json::to_string(&new.questionnaire).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let mut tx = db.begin().await?;
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO sv_campaign (slug, title_pl, title_en, questionnaire, starts_on, \
             ends_on, channels, locations, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(slug)
        .bind(&new.title_pl)
        .bind(&new.title_en)
        .bind(&questionnaire)
        .bind(&new.starts_on)
        .bind(&new.ends_on)
        .bind(join(
            &new.channels.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        ))
        .bind(join(&new.locations))
        .bind(actor.user_id)
        .bind(now)
        .fetch_one(c)
        .await
    })?;
    audit::record(&mut tx, actor, Change::created("sv_campaign", id, new)).await?;
    tx.commit().await?;
    Ok(id)
}

/// Every campaign, newest first.
pub async fn campaigns(db: &Db) -> Result<Vec<Campaign>, sqlx::Error> {
    let sql =
        format!("SELECT {CAMPAIGN_COLUMNS} FROM sv_campaign ORDER BY starts_on DESC, id DESC");
    let rows: Vec<CampaignRow> = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_all(c)
            .await
    })?;
    rows.into_iter().map(campaign).collect()
}

pub async fn campaign_by_id(db: &Db, id: i64) -> Result<Option<Campaign>, sqlx::Error> {
    let sql = format!("SELECT {CAMPAIGN_COLUMNS} FROM sv_campaign WHERE id = $1");
    let row: Option<CampaignRow> = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(c)
            .await
    })?;
    row.map(campaign).transpose()
}

pub async fn campaign_by_slug(db: &Db, slug: &str) -> Result<Option<Campaign>, sqlx::Error> {
    let sql = format!("SELECT {CAMPAIGN_COLUMNS} FROM sv_campaign WHERE slug = $1");
    let row: Option<CampaignRow> = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(slug)
            .fetch_optional(c)
            .await
    })?;
    row.map(campaign).transpose()
}

/// Replaces the questionnaire of campaign `id`, audited, only while it has no
/// responses; false when it has some (the questionnaire is then fixed).
pub async fn set_questionnaire(
    db: &Db,
    actor: &Actor,
    id: i64,
    before: &Questionnaire,
    after: &Questionnaire,
) -> Result<bool, sqlx::Error> {
    let json = serde_json::to_string(after).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let mut tx = db.begin().await?;
    let changed = execute_tx!(
        tx,
        "UPDATE sv_campaign SET questionnaire = $1 WHERE id = $2 AND NOT EXISTS \
         (SELECT 1 FROM sv_response r WHERE r.campaign_id = $2)",
        &json,
        id
    )?;
    if changed == 0 {
        return Ok(false);
    }
    let keys = |q: &Questionnaire| {
        q.questions
            .iter()
            .map(|x| x.key.clone())
            .collect::<Vec<_>>()
    };
    audit::record(
        &mut tx,
        actor,
        Change::updated("sv_campaign", id, &keys(before), &keys(after)),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Responses of campaign `id`.
pub async fn response_count(db: &Db, id: i64) -> Result<i64, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_scalar("SELECT COUNT(*) FROM sv_response WHERE campaign_id = $1")
            .bind(id)
            .fetch_one(c)
            .await
    })
}

/// Stores the hashes of new invitations of campaign `id`, audited (the count only:
/// no address is kept).
pub async fn invite(db: &Db, actor: &Actor, id: i64, hashes: &[String]) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    for hash in hashes {
        execute_tx!(
            tx,
            "INSERT INTO sv_invitation (token_hash, campaign_id, used) VALUES ($1, $2, 0)",
            hash,
            id
        )?;
    }
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "invite",
            entity_type: "sv_campaign",
            entity_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "invitations": hashes.len() })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An invitation's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invitation {
    Unknown,
    Unused,
    Used,
}

pub async fn invitation(db: &Db, campaign_id: i64, hash: &str) -> Result<Invitation, sqlx::Error> {
    let used: Option<i32> = with_db!(db, |c| {
        sqlx::query_scalar(
            "SELECT used FROM sv_invitation WHERE token_hash = $1 AND campaign_id = $2",
        )
        .bind(hash)
        .bind(campaign_id)
        .fetch_optional(c)
        .await
    })?;
    Ok(match used {
        None => Invitation::Unknown,
        Some(0) => Invitation::Unused,
        Some(_) => Invitation::Used,
    })
}

/// A response to store.
#[derive(Clone, Debug)]
pub struct NewResponse {
    pub campaign_id: i64,
    pub channel: Channel,
    pub location_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub answered_on: String,
    pub answers: Vec<Answer>,
}

/// Why a response was not stored.
#[derive(Debug, thiserror::Error)]
pub enum StoreRefusal {
    /// The invitation was used meanwhile (two tabs at once): nothing written.
    #[error("invitation used")]
    InvitationUsed,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Stores `response` with its answers; with an invitation's `token_hash`, marks it used
/// in the same transaction (refused, nothing written, when it was used meanwhile). The
/// audit event says which campaign and channel, never which invitation or what was
/// written in open answers. `actor` is the member of staff keying in a paper form, or
/// the anonymous resident.
pub async fn respond(
    db: &Db,
    actor: &Actor,
    response: &NewResponse,
    token_hash: Option<&str>,
) -> Result<i64, StoreRefusal> {
    let mut tx = db.begin().await?;
    if let Some(hash) = token_hash {
        let changed = execute_tx!(
            tx,
            "UPDATE sv_invitation SET used = 1 WHERE token_hash = $1 AND campaign_id = $2 \
             AND used = 0",
            hash,
            response.campaign_id
        )?;
        if changed == 0 {
            return Err(StoreRefusal::InvitationUsed);
        }
    }
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO sv_response (campaign_id, channel, location_id, unit_id, answered_on) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(response.campaign_id)
        .bind(response.channel.as_str())
        .bind(response.location_id)
        .bind(response.unit_id)
        .bind(&response.answered_on)
        .fetch_one(c)
        .await
    })?;
    for answer in &response.answers {
        let rows: Vec<(Option<i32>, String, String)> = match &answer.value {
            Value::Score(s) => vec![(Some(i32::from(*s)), String::new(), String::new())],
            Value::Choices(cs) => cs
                .iter()
                .map(|c| (None, c.clone(), String::new()))
                .collect(),
            Value::Text(t) => vec![(None, String::new(), t.clone())],
        };
        for (score, choice, text) in rows {
            execute_tx!(
                tx,
                "INSERT INTO sv_answer (response_id, campaign_id, question, score, choice, \
                 answer_text) VALUES ($1, $2, $3, $4, $5, $6)",
                id,
                response.campaign_id,
                &answer.key,
                score,
                &choice,
                &text
            )?;
        }
    }
    let after = serde_json::json!({
        "campaign": response.campaign_id,
        "channel": response.channel,
        "answers": response.answers.len(),
    });
    audit::record(&mut tx, actor, Change::created("sv_response", id, &after)).await?;
    tx.commit().await?;
    Ok(id)
}

/// The sums of one question's scores, optionally per group (`channel` or `unit`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreSums {
    pub question: String,
    /// The group's key (a channel, a unit id), empty when not grouped.
    pub group: String,
    pub n: u64,
    pub sum: u64,
    /// Answers of 4–5 (scales).
    pub satisfied: u64,
    /// Answers of 9–10 and 0–6 (the recommendation question).
    pub promoters: u64,
    pub detractors: u64,
}

/// What score sums are grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoreGroup {
    None,
    Channel,
    Unit,
}

/// The sums of every scored question of campaign `id`, grouped `by`.
pub async fn score_sums(db: &Db, id: i64, by: ScoreGroup) -> Result<Vec<ScoreSums>, sqlx::Error> {
    let group = match by {
        // Not a constant: PostgreSQL refuses to group by one.
        ScoreGroup::None => "CAST(a.campaign_id AS TEXT)",
        ScoreGroup::Channel => "r.channel",
        ScoreGroup::Unit => "COALESCE(CAST(r.unit_id AS TEXT), '')",
    };
    let sql = format!(
        "SELECT a.question, {group}, COUNT(*), SUM(a.score), \
         SUM(CASE WHEN a.score >= 4 THEN 1 ELSE 0 END), \
         SUM(CASE WHEN a.score >= 9 THEN 1 ELSE 0 END), \
         SUM(CASE WHEN a.score <= 6 THEN 1 ELSE 0 END) \
         FROM sv_answer a JOIN sv_response r ON r.id = a.response_id \
         WHERE a.campaign_id = $1 AND a.score IS NOT NULL \
         GROUP BY a.question, {group} ORDER BY a.question, {group}"
    );
    type Row = (String, String, i64, i64, i64, i64, i64);
    let rows: Vec<Row> = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_all(c)
            .await
    })?;
    let u = |v: i64| u64::try_from(v).unwrap_or(0);
    Ok(rows
        .into_iter()
        .map(|(question, group, n, sum, sat, p, d)| ScoreSums {
            question,
            group,
            n: u(n),
            sum: u(sum),
            satisfied: u(sat),
            promoters: u(p),
            detractors: u(d),
        })
        .collect())
}

/// Respondents per unit (the key `''` for none chosen), for suppression.
pub async fn respondents_per_unit(db: &Db, id: i64) -> Result<Vec<(String, u64)>, sqlx::Error> {
    let rows: Vec<(String, i64)> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT COALESCE(CAST(unit_id AS TEXT), ''), COUNT(*) FROM sv_response \
             WHERE campaign_id = $1 GROUP BY COALESCE(CAST(unit_id AS TEXT), '')",
        )
        .bind(id)
        .fetch_all(c)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(k, n)| (k, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// How often each option of each choice question was chosen.
pub async fn choice_counts(db: &Db, id: i64) -> Result<Vec<(String, String, u64)>, sqlx::Error> {
    let rows: Vec<(String, String, i64)> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT question, choice, COUNT(*) FROM sv_answer WHERE campaign_id = $1 \
             AND choice <> '' GROUP BY question, choice ORDER BY question, choice",
        )
        .bind(id)
        .fetch_all(c)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(q, c, n)| (q, c, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// The open answers of campaign `id` (question, text), newest first, at most 500.
pub async fn open_answers(db: &Db, id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT question, answer_text FROM sv_answer WHERE campaign_id = $1 \
             AND answer_text <> '' ORDER BY id DESC LIMIT 500",
        )
        .bind(id)
        .fetch_all(c)
        .await
    })
}

/// Responses per channel.
pub async fn responses_per_channel(db: &Db, id: i64) -> Result<Vec<(String, u64)>, sqlx::Error> {
    let rows: Vec<(String, i64)> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT channel, COUNT(*) FROM sv_response WHERE campaign_id = $1 \
             GROUP BY channel ORDER BY channel",
        )
        .bind(id)
        .fetch_all(c)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(k, n)| (k, u64::try_from(n).unwrap_or(0)))
        .collect())
}
