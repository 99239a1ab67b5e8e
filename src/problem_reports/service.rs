//! Problem reports as pages, the Open311 endpoint and other capabilities use them:
//! the office's area, filing a checked report (with its photos), the Open311 query,
//! and an official's acts.

use magistrat_domain::problem_report::{self as pr, Area, Status};

use super::store::{self, Arg, Category, Report, ReportQuery};
use crate::api_keys::service::KeyHolder;
use crate::attachments::CheckedFile;
use crate::db::audit::Actor;
use crate::db::{Db, UtcTime};

pub use super::rules::{NewReport, Problem};
pub use super::store::{AreaRow, CategoryData, Contact, Note};

/// The office's area, or a box no point lies in while none is set (reports then need
/// an address).
pub async fn area(db: &Db) -> Result<(Area, String), sqlx::Error> {
    Ok(match store::area(db).await? {
        Some(a) => (
            Area {
                south: a.south,
                west: a.west,
                north: a.north,
                east: a.east,
            },
            a.jurisdiction,
        ),
        None => (
            Area {
                south: 1.0,
                west: 1.0,
                north: 0.0,
                east: 0.0,
            },
            String::new(),
        ),
    })
}

pub async fn categories(db: &Db) -> Result<Vec<Category>, sqlx::Error> {
    store::categories(db).await
}

pub async fn category(db: &Db, code: &str) -> Result<Option<Category>, sqlx::Error> {
    store::category_by_code(db, code).await
}

/// Where a report came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Open311,
    Web,
    /// A signed-in resident's app (`/api/v1/resident/reports`): the report is theirs.
    App {
        resident_id: i64,
    },
}

/// A filed report: its id and the token Open311's `tokens/{token}` resolves.
#[derive(Clone, Debug)]
pub struct Filed {
    pub id: i64,
    pub token: String,
}

/// Files a checked report with its photos in one transaction; audited as `actor`
/// (for Open311, the key: `apikey:<name>`), the key's use noted.
pub async fn file(
    db: &Db,
    actor: &Actor,
    key: Option<&KeyHolder>,
    channel: Channel,
    new: NewReport,
    photos: &[CheckedFile],
) -> Result<Filed, sqlx::Error> {
    let mut tx = db.begin().await?;
    let now = tx.now();
    let token = crate::auth::secret::random_token()[..24].to_owned();
    let row = store::NewRow {
        token: token.clone(),
        category_id: new.category_id,
        lat: new.point.map(|p| p.lat),
        lon: new.point.map(|p| p.lon),
        address: new.address,
        description: new.description,
        attributes: serde_json::Value::Object(new.attributes).to_string(),
        media_url: new.media_url,
        email: new.email,
        first_name: new.first_name,
        last_name: new.last_name,
        phone: new.phone,
        device_id: new.device_id,
        account_id: new.account_id,
        channel: match channel {
            Channel::Open311 => "open311",
            Channel::Web => "web",
            Channel::App { .. } => "app",
        }
        .to_owned(),
        api_key_id: key.map(|k| k.id),
        resident_id: match channel {
            Channel::App { resident_id } => Some(resident_id),
            Channel::Open311 | Channel::Web => None,
        },
        requested_at: now,
        expected_at: UtcTime::from_timestamp(pr::expected_at(now.0, new.term_days)),
    };
    let id = store::insert_report(&mut tx, actor, &row, "").await?;
    for photo in photos {
        let attachment = crate::attachments::store(&mut tx, actor, photo).await?;
        store::add_photo(&mut tx, id, attachment.0).await?;
    }
    if let Some(key) = key {
        crate::api_keys::service::touch(&mut tx, key).await?;
    }
    tx.commit().await?;
    Ok(Filed { id, token })
}

pub async fn report(db: &Db, id: i64) -> Result<Option<Report>, sqlx::Error> {
    store::report(db, id).await
}

pub async fn report_id_by_token(db: &Db, token: &str) -> Result<Option<i64>, sqlx::Error> {
    store::report_id_by_token(db, token).await
}

pub async fn notes(db: &Db, id: i64) -> Result<Vec<Note>, sqlx::Error> {
    store::notes(db, id).await
}

pub async fn photos(db: &Db, id: i64) -> Result<Vec<i64>, sqlx::Error> {
    store::photos(db, id).await
}

pub async fn contact(db: &Db, id: i64) -> Result<Option<Contact>, sqlx::Error> {
    store::contact(db, id).await
}

pub async fn officials(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    store::officials(db).await
}

/// The filters of a report list (Open311's `GET requests` and the staff list).
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only these ids (Open311: overrides every other filter).
    pub ids: Vec<i64>,
    pub service_codes: Vec<String>,
    pub statuses: Vec<Status>,
    /// Requested within [start, end].
    pub window: Option<(UtcTime, UtcTime)>,
    pub updated_after: Option<UtcTime>,
    /// Within `radius` metres of the point.
    pub near: Option<(pr::Point, f64)>,
    /// The staff list's area: a box (south, west, north, east).
    pub bbox: Option<(f64, f64, f64, f64)>,
    pub assigned_to: Option<i64>,
    /// Only the reports this resident filed through their app.
    pub resident_id: Option<i64>,
}

fn query_of(filter: &Filter) -> ReportQuery {
    let mut q = ReportQuery::default();
    if !filter.ids.is_empty() {
        let marks = vec!["?"; filter.ids.len()].join(", ");
        q.and(
            &format!("r.id IN ({marks})"),
            filter.ids.iter().map(|i| Arg::Int(*i)).collect(),
        );
        return q;
    }
    if !filter.service_codes.is_empty() {
        let marks = vec!["?"; filter.service_codes.len()].join(", ");
        q.and(
            &format!("k.code IN ({marks})"),
            filter
                .service_codes
                .iter()
                .map(|c| Arg::Text(c.clone()))
                .collect(),
        );
    }
    if !filter.statuses.is_empty() {
        let marks = vec!["?"; filter.statuses.len()].join(", ");
        q.and(
            &format!("r.status IN ({marks})"),
            filter
                .statuses
                .iter()
                .map(|s| Arg::Text(s.as_str().to_owned()))
                .collect(),
        );
    }
    if let Some((start, end)) = filter.window {
        q.and(
            "r.requested_at >= ? AND r.requested_at <= ?",
            vec![Arg::Time(start), Arg::Time(end)],
        );
    }
    if let Some(after) = filter.updated_after {
        q.and("r.updated_at > ?", vec![Arg::Time(after)]);
    }
    let bbox = filter.bbox.or_else(|| {
        filter.near.map(|(p, radius)| {
            // A box around the circle; the exact distance is checked after.
            let dlat = radius / 111_000.0;
            let dlon = radius / (111_000.0 * p.lat.to_radians().cos().max(0.01));
            (p.lat - dlat, p.lon - dlon, p.lat + dlat, p.lon + dlon)
        })
    });
    if let Some((s, w, n, e)) = bbox {
        q.and(
            "r.lat >= ? AND r.lat <= ? AND r.lon >= ? AND r.lon <= ?",
            vec![Arg::Real(s), Arg::Real(n), Arg::Real(w), Arg::Real(e)],
        );
    }
    if let Some(resident) = filter.resident_id {
        q.and("r.resident_id = ?", vec![Arg::Int(resident)]);
    }
    if let Some(user) = filter.assigned_to {
        q.and("r.assigned_to = ?", vec![Arg::Int(user)]);
    }
    q
}

/// One page of the reports `filter` selects, newest first (`page` from 1), and
/// whether more follow.
pub async fn list(
    db: &Db,
    filter: &Filter,
    page: u32,
    page_size: u32,
) -> Result<(Vec<Report>, bool), sqlx::Error> {
    let q = query_of(filter);
    let (size, skip) = (
        i64::from(page_size),
        i64::from(page.max(1) - 1) * i64::from(page_size),
    );
    let Some((centre, radius)) = filter.near.filter(|_| filter.ids.is_empty()) else {
        let mut rows = store::reports(db, &q, Some((size + 1, skip))).await?;
        let more = rows.len() > usize::try_from(size).unwrap_or(usize::MAX);
        rows.truncate(usize::try_from(size).unwrap_or(0));
        return Ok((rows, more));
    };
    // Within a radius: the box is in SQL, the circle here, then the page.
    let within: Vec<Report> = store::reports(db, &q, None)
        .await?
        .into_iter()
        .filter(|r| match (r.lat, r.lon) {
            (Some(lat), Some(lon)) => pr::distance_m(centre, pr::Point { lat, lon }) <= radius,
            _ => false,
        })
        .collect();
    let skip = usize::try_from(skip).unwrap_or(usize::MAX);
    let size = usize::try_from(size).unwrap_or(0);
    let more = within.len() > skip.saturating_add(size);
    Ok((within.into_iter().skip(skip).take(size).collect(), more))
}

pub async fn count(db: &Db, filter: &Filter) -> Result<i64, sqlx::Error> {
    store::count(db, &query_of(filter)).await
}

/// What an official does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Act {
    /// Assign (or unassign) an official; a report still open is taken in hand.
    Assign(Option<i64>),
    /// A public comment, status unchanged.
    Comment(String),
    /// Close with a public note (it becomes Open311's `status_notes`).
    Close(String),
    /// Reopen a closed report, with the reason.
    Reopen(String),
}

#[derive(Debug, thiserror::Error)]
pub enum ActError {
    #[error("not found")]
    NotFound,
    #[error("the report's status does not allow that")]
    Refused,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Applies an official's act to report `id`, audited, in one transaction.
pub async fn act(db: &Db, actor: &Actor, id: i64, act: Act) -> Result<(), ActError> {
    let before = store::report(db, id).await?.ok_or(ActError::NotFound)?;
    let current = Status::parse(&before.status).ok_or(ActError::Refused)?;
    let (status, assigned, note, status_notes) = match &act {
        Act::Assign(user) => {
            let status = if current == Status::Open && user.is_some() {
                Status::InProgress
            } else {
                current
            };
            (status, *user, String::new(), None)
        }
        Act::Comment(note) => (current, before.assigned_to, note.clone(), None),
        Act::Close(note) => {
            if !current.may_become(Status::Closed) {
                return Err(ActError::Refused);
            }
            (
                Status::Closed,
                before.assigned_to,
                note.clone(),
                Some(note.as_str()),
            )
        }
        Act::Reopen(note) => {
            if !current.may_become(Status::Open) {
                return Err(ActError::Refused);
            }
            (Status::Open, before.assigned_to, note.clone(), None)
        }
    };
    let mut tx = db.begin().await?;
    store::act(
        &mut tx,
        actor,
        &before,
        status.as_str(),
        assigned,
        &note,
        status_notes,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Report `id` when the resident `resident_id` filed it through their app; `None` for
/// anybody else's report as for no report at all.
pub async fn report_of_resident(
    db: &Db,
    resident_id: i64,
    id: i64,
) -> Result<Option<Report>, sqlx::Error> {
    let mut q = ReportQuery::default();
    q.and(
        "r.id = ? AND r.resident_id = ?",
        vec![Arg::Int(id), Arg::Int(resident_id)],
    );
    Ok(store::reports(db, &q, None).await?.into_iter().next())
}

/// Reads and checks a submission (Open311's names, as form pairs) against the office's
/// categories and area: the checked report, or every problem found.
pub async fn check(
    db: &Db,
    pairs: &[(String, String)],
) -> Result<Result<NewReport, Vec<Problem>>, sqlx::Error> {
    let code = pairs
        .iter()
        .find(|(k, _)| k == "service_code")
        .map_or("", |(_, v)| v.trim());
    let category = if code.is_empty() {
        None
    } else {
        category(db, code).await?
    };
    let (area, _) = area(db).await?;
    Ok(super::rules::check_submission(
        pairs,
        category.as_ref(),
        &area,
    ))
}

pub async fn category_by_id(db: &Db, id: i64) -> Result<Option<Category>, sqlx::Error> {
    store::category_by_id(db, id).await
}

/// Creates a category (`before` None, the data's code new) or rewrites one, audited,
/// in one transaction; its id. A code taken meanwhile is the database's unique
/// violation, left for the caller to tell at the field.
pub async fn save_category(
    db: &Db,
    actor: &Actor,
    before: Option<&Category>,
    data: &CategoryData,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let id = match before {
        Some(before) => {
            store::update_category(&mut tx, actor, before, data).await?;
            before.id
        }
        None => store::insert_category(&mut tx, actor, data).await?,
    };
    tx.commit().await?;
    Ok(id)
}
