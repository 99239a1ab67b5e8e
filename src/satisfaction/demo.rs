//! A year of ratings for the demo office: visits at both service points and settled
//! cases of most units, enough for their figures to be published, and one unit (Referat
//! Spraw Społecznych i Zdrowia) with fewer ratings than the threshold, so the public
//! page shows a suppressed group. Some comments approved, a few waiting for the
//! moderator. The rows are made up (no visit or case behind them), so no "rated" marks.

use jiff::ToSpan;
use magistrat_domain::satisfaction::Scores;

use crate::db::Db;
use crate::db::audit::{self, Actor, Change};
use crate::with_db;

/// (unit symbol, ratings of its cases in the year, case channel mix, mood: 0 = most
/// satisfied … 3 = least)
const CASE_UNITS: &[(&str, u32, &[&str], u32)] = &[
    ("SA", 140, &["counter", "eservice", "epuap"], 0),
    ("USC", 90, &["counter", "epuap"], 0),
    ("FN-I", 80, &["post", "epuap", "eservice"], 2),
    ("GK", 60, &["email", "counter"], 1),
    ("AB", 45, &["counter", "post"], 3),
    ("GN", 35, &["post", "epuap"], 2),
    ("WO-I", 30, &["eservice", "counter"], 1),
    // Under the publication threshold of 10.
    ("WO-II", 6, &["counter"], 1),
];

/// Visits: (location kind, ratings in the year, mood).
const VISITS: &[(&str, u32, u32)] = &[("building", 220, 1), ("service_point", 160, 0)];

const COMMENTS: &[(&str, bool)] = &[
    (
        "Bardzo sprawna obsługa, wszystko załatwione w kwadrans.",
        true,
    ),
    ("Pani w okienku cierpliwie wszystko wytłumaczyła.", true),
    (
        "Długo czekałem na wywołanie numerka, mimo że w kolejce było niewiele osób.",
        true,
    ),
    ("Brakuje miejsc siedzących w poczekalni.", true),
    ("Decyzja przyszła przed terminem, dziękuję.", true),
    (
        "Formularz na stronie był niejasny, musiałam dzwonić.",
        false,
    ),
    ("Proszę o dłuższe godziny otwarcia w czwartki.", false),
];

/// A small deterministic generator: the demo is the same every time.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// Answers leaning to satisfied, less so with a higher `mood`.
    fn scores(&mut self, mood: u32) -> Scores {
        let mood = u64::from(mood);
        let five = |d: &mut Dice| {
            let r = d.below(100);
            let v = match r {
                r if r < 45 - mood * 8 => 5,
                r if r < 80 - mood * 8 => 4,
                r if r < 90 - mood * 4 => 3,
                r if r < 96 => 2,
                _ => 1,
            };
            i64::from(v)
        };
        let service = five(self);
        let official = five(self);
        let nps = match self.below(100) {
            r if r < 40 - mood * 7 => 9 + self.below(2),
            r if r < 75 - mood * 7 => 7 + self.below(2),
            _ => self.below(7),
        };
        Scores::new(service, official, i64::try_from(nps).unwrap_or(0)).unwrap_or(Scores {
            service: 3,
            official: 3,
            nps: 7,
        })
    }
}

struct Row {
    subject: &'static str,
    channel: String,
    location_id: Option<i64>,
    category: String,
    unit_id: Option<i64>,
    official_id: Option<i64>,
    service_on: String,
    scores: Scores,
    comment: String,
    comment_state: &'static str,
}

async fn user_id(db: &Db, login: &str) -> Result<Option<i64>, sqlx::Error> {
    Ok(crate::auth::users::find_by_login(db, login)
        .await?
        .map(|u| u.id))
}

/// Seeds the ratings (once: nothing when there are ratings already).
pub async fn seed(db: &Db) -> anyhow::Result<()> {
    let existing: i64 = with_db!(db, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM sat_rating"
    )
    .fetch_one(c)
    .await)?;
    if existing > 0 {
        return Ok(());
    }
    let units = crate::org::store::units(db).await?;
    let unit = |symbol: &str| units.iter().find(|u| u.symbol == symbol).map(|u| u.id);
    let front_desk = user_id(db, "obsluga").await?;
    let case_official = user_id(db, "urzednik").await?;
    let head = user_id(db, "kierownik").await?;
    let today = db.clock().today();
    let mut dice = Dice(0x5EED_0FB0_E014);
    let mut rows = Vec::new();
    let day = |d: &mut Dice| {
        let back = i64::try_from(d.below(365)).unwrap_or(0) + 1;
        today
            .checked_sub(back.days())
            .map(|d| d.to_string())
            .unwrap_or_default()
    };

    for point in crate::service_point::service::points(db).await? {
        let Some((_, count, mood)) = VISITS
            .iter()
            .find(|(kind, _, _)| *kind == point.location.kind)
        else {
            continue;
        };
        let snapshot = crate::service_point::service::snapshot(db, &point).await?;
        let names: Vec<String> = snapshot.categories.iter().map(|k| k.name.clone()).collect();
        for _ in 0..*count {
            let category = names
                .get(usize::try_from(dice.below(names.len() as u64)).unwrap_or(0))
                .cloned()
                .unwrap_or_default();
            rows.push(Row {
                subject: "visit",
                channel: super::service::SERVICE_POINT_CHANNEL.into(),
                location_id: Some(point.location.id),
                category,
                unit_id: unit("BOM"),
                official_id: front_desk,
                service_on: day(&mut dice),
                scores: dice.scores(*mood),
                comment: String::new(),
                comment_state: "none",
            });
        }
    }
    for (symbol, count, channels, mood) in CASE_UNITS {
        let official = match *symbol {
            "SA" => {
                if dice.below(4) == 0 {
                    head
                } else {
                    case_official
                }
            }
            _ => None,
        };
        for _ in 0..*count {
            let channel = channels[usize::try_from(dice.below(channels.len() as u64)).unwrap_or(0)];
            rows.push(Row {
                subject: "case",
                channel: channel.into(),
                location_id: None,
                category: "kpa".into(),
                unit_id: unit(symbol),
                official_id: official,
                service_on: day(&mut dice),
                scores: dice.scores(*mood),
                comment: String::new(),
                comment_state: "none",
            });
        }
    }
    // Comments spread over the rows, every 37th.
    for (i, (text, approved)) in COMMENTS.iter().enumerate() {
        if let Some(row) = rows.get_mut(i * 37 + 5) {
            row.comment = (*text).into();
            row.comment_state = if *approved { "approved" } else { "pending" };
        }
    }

    insert(db, &rows).await
}

/// Writes the rows in one transaction with one audit event for them all.
async fn insert(db: &Db, rows: &[Row]) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    // In chunks of 80 rows a statement (960 parameters, within both databases' limits):
    // the tests seed the demo for every test.
    for chunk in rows.chunks(80) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p: Vec<String> = (1..=12).map(|k| format!("${}", i * 12 + k)).collect();
                format!("({})", p.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO sat_rating (subject, channel, location_id, category, unit_id, \
             official_id, service_on, service_score, official_score, nps, comment, \
             comment_state) VALUES {}",
            values.join(", ")
        );
        crate::with_tx!(tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for row in chunk {
                q = q
                    .bind(row.subject)
                    .bind(row.channel.clone())
                    .bind(row.location_id)
                    .bind(row.category.clone())
                    .bind(row.unit_id)
                    .bind(row.official_id)
                    .bind(row.service_on.clone())
                    .bind(i32::from(row.scores.service))
                    .bind(i32::from(row.scores.official))
                    .bind(i32::from(row.scores.nps))
                    .bind(row.comment.clone())
                    .bind(row.comment_state);
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    audit::record(
        &mut tx,
        &Actor::system("demo"),
        Change {
            action: "demo_seed",
            entity_type: "sat_rating",
            entity_id: "demo".into(),
            before: None,
            after: Some(serde_json::json!({ "ratings": rows.len() })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
