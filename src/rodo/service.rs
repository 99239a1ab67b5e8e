//! What the staff pages do and what other capabilities read: the clause for the
//! service card, the e-service form, its confirmation and a case's first letter; the
//! retention job.

use magistrat_domain::rodo::{self, ClausePart};

use super::store::{self, Clause, Cutoffs, Removed};
use crate::config::Config;
use crate::db::audit::Actor;
use crate::db::{Db, UtcTime};
use crate::platform::jobs::{self, Job, Report, Schedule};
use crate::web::i18n::Lang;

/// The name of the retention job in `job_run`.
pub const JOB: &str = "rodo_retention";

/// The Fluent id of a clause part's heading.
pub fn part_key(part: ClausePart) -> String {
    format!("rodo-part-{}", part.as_str().replace('_', "-"))
}

/// One part of the clause as shown: its heading and text.
#[derive(Clone, Debug)]
pub struct ShownPart {
    pub heading: String,
    pub text: String,
}

/// The clause's parts that say something, with their headings in `lang`; `None` when
/// the office has not written its clause.
pub async fn shown_clause(db: &Db, lang: Lang) -> Result<Option<Vec<ShownPart>>, sqlx::Error> {
    Ok(store::clause(db).await?.map(|c| parts(&c, lang)))
}

fn parts(clause: &Clause, lang: Lang) -> Vec<ShownPart> {
    ClausePart::ALL
        .into_iter()
        .filter(|p| !clause.part(*p).trim().is_empty())
        .map(|p| ShownPart {
            heading: lang.t(&part_key(p)),
            text: clause.part(p).trim().to_owned(),
        })
        .collect()
}

/// The clause as the text of a letter (in Polish, the language of the office's
/// letters), for the `{klauzula_rodo}` placeholder and for a case's first letter (KPA
/// art. 61 § 5); `None` when the office has not written it.
pub async fn letter_text(db: &Db) -> Result<Option<String>, sqlx::Error> {
    let Some(clause) = store::clause(db).await? else {
        return Ok(None);
    };
    let mut text = Lang::Pl.t("rodo-letter-heading");
    for (n, part) in parts(&clause, Lang::Pl).into_iter().enumerate() {
        text.push_str(&format!("\n{}. {}: {}", n + 1, part.heading, part.text));
    }
    Ok(Some(text))
}

/// The retention periods in force (README, configuration; docs/decisions/0049).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub hour: u8,
    pub resident_account_days: u32,
    pub booking_days: u32,
    pub report_contact_days: u32,
}

impl Settings {
    pub fn from_config(config: &Config) -> Self {
        Self {
            hour: config.retention_hour,
            resident_account_days: config.resident_account_retention_days,
            booking_days: config.booking_retention_days,
            report_contact_days: config.report_contact_retention_days,
        }
    }

    /// The cut-offs on `day`: the first anchor kept, by `rodo::first_kept`, as the
    /// first moment of that day in Warsaw.
    pub fn cutoffs(&self, day: jiff::civil::Date) -> anyhow::Result<Cutoffs> {
        let start = |keep: u32| -> anyhow::Result<UtcTime> {
            let first = rodo::first_kept(day, keep);
            Ok(UtcTime(first.to_zoned(crate::WARSAW.clone())?.timestamp()))
        };
        Ok(Cutoffs {
            resident_sign_in: start(self.resident_account_days)?,
            token_expiry: start(rodo::EXPIRED_TOKEN_DAYS)?,
            booking_day: rodo::first_kept(day, self.booking_days).to_string(),
            report_closed: start(self.report_contact_days)?,
        })
    }
}

/// Removes what is past retention on `day`, in one transaction, audited with the
/// counts.
pub async fn enforce(
    db: &Db,
    settings: &Settings,
    day: jiff::civil::Date,
) -> anyhow::Result<Removed> {
    let cut = settings.cutoffs(day)?;
    let mut tx = db.begin().await?;
    let removed = store::enforce(&mut tx, &Actor::system(JOB), day, &cut).await?;
    tx.commit().await?;
    Ok(removed)
}

/// The daily job: at `retention_hour` it removes what is past retention on that day.
/// Its audit event is written in its own transaction with the deletions, so the run's
/// report carries only the counts.
pub fn job(config: &Config) -> Job {
    let settings = Settings::from_config(config);
    Job::new(
        JOB,
        Schedule::DailyAt {
            hour: settings.hour,
        },
        move |db, period| {
            let settings = settings.clone();
            async move {
                let removed = enforce(&db, &settings, period.day()).await?;
                Ok(Report::detail(serde_json::to_value(&removed)?))
            }
        },
    )
}

/// The last recorded run in the three days up to `today`: its day and its counts, in
/// the order of [`Removed`]'s fields.
pub async fn last_run(
    db: &Db,
    today: jiff::civil::Date,
) -> Result<Option<(jiff::civil::Date, Vec<(String, u64)>)>, sqlx::Error> {
    for back in 0..3i64 {
        let Ok(day) = today.checked_sub(jiff::Span::new().days(back)) else {
            break;
        };
        if let Some(run) = jobs::recorded(db, JOB, &day.to_string()).await? {
            let counts = REMOVED_KEYS
                .iter()
                .map(|k| ((*k).to_owned(), run.detail[*k].as_u64().unwrap_or(0)))
                .collect();
            return Ok(Some((day, counts)));
        }
    }
    Ok(None)
}

/// The fields of [`Removed`], as its JSON names them.
pub const REMOVED_KEYS: [&str; 6] = [
    "resident_accounts",
    "sign_in_links",
    "resident_sessions",
    "staff_sessions",
    "bookings_anonymised",
    "reports_anonymised",
];
