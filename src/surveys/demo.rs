//! The demo office's survey campaigns: last year's annual survey (closed, a few hundred
//! responses over the channels and units, one unit with fewer respondents than the
//! publication threshold) and this year's (open, with its first responses). Both use
//! the block questionnaire. The responses are made up, deterministic, inserted in one
//! transaction with one audit event per campaign.

use jiff::ToSpan;
use magistrat_domain::survey::{self, Kind, Questionnaire};

use super::store::{self, Channel, NewCampaign};
use crate::auth::secret::{random_token, token_hash};
use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Tx};
use crate::{execute_tx, with_db, with_tx};

const WHY: &[&str] = &[
    "Brakowało jednego dokumentu, o którym nikt nie powiedział.",
    "Za pierwszym razem system nie działał.",
    "Musiałam donieść zaświadczenie z innego urzędu.",
];

const REMARKS: &[&str] = &[
    "Więcej miejsc parkingowych przy urzędzie.",
    "Dłuższe godziny pracy w czwartki.",
    "Czytelniejsze oznakowanie pokoi na drugim piętrze.",
    "Wszystko w porządku, dziękuję.",
    "Formularze na stronie powinny dać się wypełnić na telefonie.",
];

/// A small deterministic generator: the demo is the same every time.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }

    fn pick<'a, T>(&mut self, list: &'a [T]) -> &'a T {
        &list[self.below(list.len())]
    }

    /// A 1–5 answer leaning to satisfied, less so with a higher `mood`.
    fn five(&mut self, mood: usize) -> u8 {
        let r = self.below(100);
        match r {
            r if r < 45 - mood * 8 => 5,
            r if r < 80 - mood * 8 => 4,
            r if r < 90 - mood * 4 => 3,
            r if r < 96 => 2,
            _ => 1,
        }
    }
}

/// One made-up response: channel, location, unit, day, answers (key, score, choice,
/// text).
struct Made {
    channel: Channel,
    location_id: Option<i64>,
    unit_id: Option<i64>,
    day: String,
    answers: Vec<(String, Option<i32>, String, String)>,
}

fn make(
    dice: &mut Dice,
    q: &Questionnaire,
    channel: Channel,
    location_id: Option<i64>,
    unit: Option<(i64, usize)>,
    day: String,
) -> Made {
    let mood = unit.map_or(1, |(_, m)| m);
    let mut answers = Vec::new();
    let mut visits_yes = false;
    for x in &q.questions {
        match (x.kind, x.key.as_str()) {
            (Kind::Scale, _) => {
                if dice.below(100) < 95 {
                    answers.push((
                        x.key.clone(),
                        Some(i32::from(dice.five(mood))),
                        String::new(),
                        String::new(),
                    ));
                }
            }
            (Kind::Nps, _) => {
                let s = dice.five(mood);
                let score = i32::from(s) * 2 - i32::try_from(dice.below(2)).unwrap_or(0);
                answers.push((
                    x.key.clone(),
                    Some(score.clamp(0, 10)),
                    String::new(),
                    String::new(),
                ));
            }
            (_, "unit") => {
                if let Some((id, _)) = unit {
                    answers.push((x.key.clone(), None, id.to_string(), String::new()));
                }
            }
            (_, "visits") => {
                visits_yes = dice.below(100) < 25;
                let v = if visits_yes { "yes" } else { "no" };
                answers.push((x.key.clone(), None, v.into(), String::new()));
            }
            (_, "visits_why") => {
                if visits_yes && dice.below(2) == 0 {
                    answers.push((x.key.clone(), None, String::new(), (*dice.pick(WHY)).into()));
                }
            }
            (Kind::Open, _) => {
                if dice.below(100) < 8 {
                    answers.push((
                        x.key.clone(),
                        None,
                        String::new(),
                        (*dice.pick(REMARKS)).into(),
                    ));
                }
            }
            (Kind::Single, _) => {
                if dice.below(100) < 85 {
                    let o = dice.pick(&x.options).value.clone();
                    answers.push((x.key.clone(), None, o, String::new()));
                }
            }
            (Kind::Multiple, _) => {
                for o in &x.options {
                    if dice.below(100) < 35 {
                        answers.push((x.key.clone(), None, o.value.clone(), String::new()));
                    }
                }
            }
        }
    }
    Made {
        channel,
        location_id,
        unit_id: unit.map(|(id, _)| id),
        day,
        answers,
    }
}

/// Last year's annual survey's 320 respondents: every unit of `large` its share, the
/// `small` unit only four, under the publication threshold of 10.
fn last_year_responses(
    dice: &mut Dice,
    questionnaire: &Questionnaire,
    (small, large): (
        Option<&crate::org::store::OrgUnit>,
        &[crate::org::store::OrgUnit],
    ),
    locations: &[i64],
    year: i16,
) -> Vec<Made> {
    let mut made = Vec::new();
    for i in 0..320 {
        let unit = if i < 4 {
            small.map(|u| (u.id, 1))
        } else if dice.below(100) < 12 || large.is_empty() {
            None
        } else {
            let k = dice.below(large.len());
            Some((large[k].id, k % 4))
        };
        let channel = match dice.below(100) {
            0..=39 => Channel::Link,
            40..=64 => Channel::Qr,
            65..=79 => Channel::Email,
            _ => Channel::Paper,
        };
        let location = match channel {
            Channel::Link | Channel::Email => None,
            _ if locations.is_empty() => None,
            _ => Some(*dice.pick(locations)),
        };
        let day = format!("{}-10-{:02}", year - 1, 1 + dice.below(31));
        made.push(make(dice, questionnaire, channel, location, unit, day));
    }
    made
}

/// This year's running survey's 36 respondents of the last two weeks.
fn this_year_responses(
    dice: &mut Dice,
    questionnaire: &Questionnaire,
    large: &[crate::org::store::OrgUnit],
    locations: &[i64],
    today: jiff::civil::Date,
) -> anyhow::Result<Vec<Made>> {
    let mut made = Vec::new();
    for _ in 0..36 {
        let unit = (!large.is_empty()).then(|| {
            let k = dice.below(large.len());
            (large[k].id, k % 4)
        });
        let channel = if dice.below(3) == 0 {
            Channel::Qr
        } else {
            Channel::Link
        };
        let location =
            (channel == Channel::Qr && !locations.is_empty()).then(|| *dice.pick(locations));
        let back = i64::try_from(dice.below(14)).unwrap_or(0);
        let day = today.checked_sub(back.days())?.to_string();
        made.push(make(dice, questionnaire, channel, location, unit, day));
    }
    Ok(made)
}

/// Seeds the two campaigns (once: nothing when there are campaigns already).
pub async fn seed(db: &Db) -> anyhow::Result<()> {
    let existing: i64 = with_db!(db, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM sv_campaign"
    )
    .fetch_one(c)
    .await)?;
    if existing > 0 {
        return Ok(());
    }
    let today = db.clock().today();
    let year = today.year();
    let units: Vec<crate::org::store::OrgUnit> = crate::org::store::units(db)
        .await?
        .into_iter()
        .filter(|u| u.parent_id.is_some() && u.is_valid_in(i32::from(year)))
        .collect();
    let options: Vec<(String, String, String)> = units
        .iter()
        .map(|u| (u.id.to_string(), u.name.clone(), u.name.clone()))
        .collect();
    let questionnaire = survey::block_questionnaire(&options);
    let locations: Vec<i64> = crate::org::store::locations(db)
        .await?
        .into_iter()
        .filter(|l| l.active)
        .map(|l| l.id)
        .collect();
    let actor = Actor::system("demo");
    let mut dice = Dice(0x5EED_5A7F_0046);

    // Last year's annual survey: October, closed.
    let last = NewCampaign {
        title_pl: format!("Badanie satysfakcji klientów urzędu {}", year - 1),
        title_en: format!("Customer satisfaction survey {}", year - 1),
        starts_on: format!("{}-10-01", year - 1),
        ends_on: format!("{}-10-31", year - 1),
        channels: Channel::ALL.to_vec(),
        locations: locations.clone(),
        questionnaire: questionnaire.clone(),
    };
    let last_id = store::create(db, &actor, &random_token()[..16], &last, db.clock().now()).await?;
    let (small, large) = match units.split_last() {
        Some((s, rest)) => (Some(s), rest),
        None => (None, &units[..]),
    };
    let made = last_year_responses(&mut dice, &questionnaire, (small, large), &locations, year);
    let email = made.iter().filter(|m| m.channel == Channel::Email).count();
    insert(db, last_id, &made, email, email + 40).await?;

    // This year's: running since two weeks ago for another month.
    let this = NewCampaign {
        title_pl: format!("Badanie satysfakcji klientów urzędu {year}"),
        title_en: format!("Customer satisfaction survey {year}"),
        starts_on: today.checked_sub(14.days())?.to_string(),
        ends_on: today.checked_add(30.days())?.to_string(),
        channels: Channel::ALL.to_vec(),
        locations: locations.clone(),
        questionnaire: questionnaire.clone(),
    };
    let this_id = store::create(db, &actor, &random_token()[..16], &this, db.clock().now()).await?;
    let made = this_year_responses(&mut dice, &questionnaire, large, &locations, today)?;
    insert(db, this_id, &made, 0, 0).await?;
    Ok(())
}

/// Writes the responses (150 a statement, 750 parameters); their ids in insertion
/// order.
async fn insert_responses(tx: &mut Tx, id: i64, made: &[Made]) -> anyhow::Result<Vec<i64>> {
    for chunk in made.chunks(150) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p: Vec<String> = (1..=5).map(|k| format!("${}", i * 5 + k)).collect();
                format!("({})", p.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO sv_response (campaign_id, channel, location_id, unit_id, \
             answered_on) VALUES {}",
            values.join(", ")
        );
        with_tx!(tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for m in chunk {
                q = q
                    .bind(id)
                    .bind(m.channel.as_str())
                    .bind(m.location_id)
                    .bind(m.unit_id)
                    .bind(m.day.clone());
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT id FROM sv_response WHERE campaign_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(c)
            .await
    })?)
}

/// Writes the answers of the responses `ids` (150 a statement, 900 parameters).
async fn insert_answers(tx: &mut Tx, id: i64, ids: &[i64], made: &[Made]) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for (response, m) in ids.iter().zip(made) {
        for a in &m.answers {
            rows.push((*response, a));
        }
    }
    for chunk in rows.chunks(150) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p: Vec<String> = (1..=6).map(|k| format!("${}", i * 6 + k)).collect();
                format!("({})", p.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO sv_answer (response_id, campaign_id, question, score, choice, \
             answer_text) VALUES {}",
            values.join(", ")
        );
        with_tx!(tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for (response, (key, score, choice, text)) in chunk {
                q = q
                    .bind(*response)
                    .bind(id)
                    .bind(key.clone())
                    .bind(*score)
                    .bind(choice.clone())
                    .bind(text.clone());
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// Writes the responses of campaign `id` and `invited` invitations of which `used`
/// were used, in one transaction with one audit event.
async fn insert(
    db: &Db,
    id: i64,
    made: &[Made],
    used: usize,
    invited: usize,
) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    let ids = insert_responses(&mut tx, id, made).await?;
    insert_answers(&mut tx, id, &ids, made).await?;
    for i in 0..invited {
        let hash = token_hash(&random_token());
        let flag = i32::from(i < used);
        execute_tx!(
            tx,
            "INSERT INTO sv_invitation (token_hash, campaign_id, used) VALUES ($1, $2, $3)",
            &hash,
            id,
            flag
        )?;
    }
    audit::record(
        &mut tx,
        &Actor::system("demo"),
        Change {
            action: "demo_seed",
            entity_type: "sv_campaign",
            entity_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "responses": made.len(), "invitations": invited })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
