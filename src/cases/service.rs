//! What other capabilities may ask of a case: its parties as the letters address them;
//! for the satisfaction ratings, the few facts a rating is stored against, found by the
//! tracking code the resident holds.

use jiff::civil::Date;

use super::store::{SqlDate, normalize_tracking_code};
use crate::db::Db;
use crate::with_db;

/// The parties of a case in order (the applicant first), each with its pełnomocnik, as
/// the letters address them (`magistrat_domain::intake::addressee`, KPA art. 40 § 2).
pub async fn parties(
    db: &Db,
    case_id: i64,
) -> Result<Vec<magistrat_domain::intake::Party>, sqlx::Error> {
    Ok(super::store::case_parties(db, case_id)
        .await?
        .iter()
        .map(super::store::CaseParty::to_party)
        .collect())
}

/// A case as the satisfaction ratings see it: no party data, only what the results are
/// grouped by and whether it has been settled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatedCase {
    pub id: i64,
    pub unit_id: i64,
    pub official_id: Option<i64>,
    /// How it came in (`platform::channel::Channel::as_str`).
    pub channel: String,
    /// The kind of case (`kpa`, `complaint`, …).
    pub kind: String,
    /// The day it was settled; None while it is not.
    pub settled_on: Option<Date>,
}

/// The case with this tracking code (typed loosely); None when there is none.
pub async fn case_for_rating(
    db: &Db,
    tracking_code: &str,
) -> Result<Option<RatedCase>, sqlx::Error> {
    let Some(code) = normalize_tracking_code(tracking_code) else {
        return Ok(None);
    };
    type Row = (i64, i64, Option<i64>, String, String, Option<SqlDate>);
    let row: Option<Row> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, unit_id, official_id, channel, kind, settled_on FROM case_file \
             WHERE tracking_code = $1",
        )
        .bind(&code)
        .fetch_optional(c)
        .await
    })?;
    Ok(row.map(
        |(id, unit_id, official_id, channel, kind, settled_on)| RatedCase {
            id,
            unit_id,
            official_id,
            channel,
            kind,
            settled_on: settled_on.map(|d| d.to_jiff()),
        },
    ))
}

/// The opłata skarbowa still to pay on a case and the office's account, as the letters
/// print them (`{oplata}`, `{rachunek}`): „17,00 zł” and the NRB grouped; empty
/// strings when nothing is due or no account is set (decision 0050).
pub async fn fee_for_letters(db: &Db, case_id: i64) -> Result<(String, String), sqlx::Error> {
    let due = super::store::amount_due(db, case_id).await?;
    let account = super::store::office_fee_account(db).await?;
    let account = magistrat_domain::identifiers::Nrb::parse(&account)
        .map(|n| n.formatted())
        .unwrap_or(account);
    let due = if due > 0 {
        magistrat_domain::stamp_duty::format_zloty(due)
    } else {
        String::new()
    };
    Ok((due, account))
}

/// The opłata skarbowa still to pay on the case with this tracking code, in grosze
/// (0: nothing, or no such case) — for the resident's own list of cases.
pub async fn fee_due_by_tracking_code(db: &Db, tracking_code: &str) -> Result<i64, sqlx::Error> {
    let id: Option<i64> = with_db!(db, |c| {
        sqlx::query_scalar("SELECT id FROM case_file WHERE tracking_code = $1")
            .bind(tracking_code)
            .fetch_optional(c)
            .await
    })?;
    match id {
        Some(id) => super::store::amount_due(db, id).await,
        None => Ok(0),
    }
}

/// The leaf classes of a year's wykaz as an official of `units` chooses among them:
/// their units' classes first (`jrwa::own_first`), then the others.
pub struct JrwaChoice {
    /// (symbol, „symbol — title”) of the classes `units` register cases under.
    pub own: Vec<(String, String)>,
    pub other: Vec<(String, String)>,
}

impl JrwaChoice {
    /// Every class offered, the unit's first.
    pub fn all(&self) -> impl Iterator<Item = &(String, String)> {
        self.own.iter().chain(&self.other)
    }

    /// The select's groups: „Twojej komórki”, then „Pozostałe klasy” (one group alone
    /// is shown without a heading, `Field::grouped`).
    pub fn groups(&self, lang: crate::web::i18n::Lang) -> Vec<crate::platform::form::OptionGroup> {
        use crate::platform::form::OptionGroup;
        vec![
            OptionGroup {
                label: lang.t("jrwa-group-own"),
                options: self.own.clone(),
            },
            OptionGroup {
                label: lang.t("jrwa-group-other"),
                options: self.other.clone(),
            },
        ]
    }
}

/// The JRWA choice of `year` for an official working in `units`
/// (`auth::scope::UnitScope::own_units`); the classes are the ones this process keeps at
/// `version`, the reference-data version the request's session read (decision 0053).
pub async fn jrwa_choice(
    db: &Db,
    kept: &super::jrwa::RegistrableClasses,
    year: i32,
    version: i64,
    units: &[i64],
) -> Result<JrwaChoice, sqlx::Error> {
    let classes: Vec<(String, String)> = kept.of_year(db, year, version).await?.to_vec();
    let used = super::store::class_use(db, units).await?;
    let (own, other) = super::jrwa::own_first(classes, |c| c.0.as_str(), &used);
    Ok(JrwaChoice { own, other })
}
