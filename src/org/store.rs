//! Storage of the office, org units, employees and locations. Each write is audited in
//! the caller's transaction.

use serde::Serialize;

use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Tx, TxConn};
use crate::{with_db, with_tx};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Office {
    pub name: String,
    pub short_name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub nip: String,
    pub regon: String,
    pub bip_url: String,
    pub email: String,
    pub phone: String,
    pub epuap: String,
    /// The account for the opłata skarbowa (art. 8 of the ustawa o opłacie skarbowej:
    /// the tax organ's bank account), NRB digits; empty when not set (decision 0050).
    pub fee_account: String,
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn office(db: &Db) -> Result<Option<Office>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT name, short_name, street, postal_code, city, nip, regon, bip_url, email, \
             phone, epuap, fee_account FROM office WHERE id = 1",
        )
        .fetch_optional(c)
        .await
    })
}

/// Creates or replaces the office's one row.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save_office(
    tx: &mut Tx,
    actor: &Actor,
    before: Option<&Office>,
    office: &Office,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO office (id, name, short_name, street, postal_code, city, nip, regon, \
             bip_url, email, phone, epuap, fee_account) VALUES (1, $1, $2, $3, $4, $5, $6, $7, \
             $8, $9, $10, $11, $12) \
             ON CONFLICT (id) DO UPDATE SET name = $1, short_name = $2, street = $3, \
             postal_code = $4, city = $5, nip = $6, regon = $7, bip_url = $8, email = $9, \
             phone = $10, epuap = $11, fee_account = $12",
        )
        .bind(&office.name)
        .bind(&office.short_name)
        .bind(&office.street)
        .bind(&office.postal_code)
        .bind(&office.city)
        .bind(&office.nip)
        .bind(&office.regon)
        .bind(&office.bip_url)
        .bind(&office.email)
        .bind(&office.phone)
        .bind(&office.epuap)
        .bind(&office.fee_account)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    let change = match before {
        Some(before) => Change::updated("office", 1, before, office),
        None => Change::created("office", 1, office),
    };
    audit::record(tx, actor, change).await?;
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OrgUnit {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub symbol: String,
    pub name: String,
    pub valid_from_year: i32,
    pub valid_to_year: Option<i32>,
}

impl OrgUnit {
    pub fn is_valid_in(&self, year: i32) -> bool {
        self.valid_from_year <= year && self.valid_to_year.is_none_or(|to| year <= to)
    }
}

/// A unit to create or the new values of one to change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnitData {
    pub parent_id: Option<i64>,
    pub symbol: String,
    pub name: String,
    pub valid_from_year: i32,
    pub valid_to_year: Option<i32>,
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn units(db: &Db) -> Result<Vec<OrgUnit>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, parent_id, symbol, name, valid_from_year, valid_to_year FROM org_unit \
             ORDER BY symbol, valid_from_year",
        )
        .fetch_all(c)
        .await
    })
}

/// The unit of the post of the user `user_id` (their active employee record), if any.
#[tracing::instrument(level = "debug", skip_all, fields(user_id))]
pub async fn employee_unit(db: &Db, user_id: i64) -> Result<Option<i64>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_scalar("SELECT org_unit_id FROM employee WHERE user_id = $1 AND active")
            .bind(user_id)
            .fetch_optional(c)
            .await
    })
}

/// Locks the unit tree for the rest of `tx` and reads it. The overlap and cycle checks
/// must see the tree their write changes: on SQLite the write lock taken by
/// `BEGIN IMMEDIATE` already orders writers; on PostgreSQL a SHARE ROW EXCLUSIVE lock
/// lets readers through but makes a second unit writer wait for this commit.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn lock_units(tx: &mut Tx) -> Result<Vec<OrgUnit>, sqlx::Error> {
    if let TxConn::Postgres(t) = &mut tx.conn {
        sqlx::query("LOCK TABLE org_unit IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut **t)
            .await?;
    }
    with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT id, parent_id, symbol, name, valid_from_year, valid_to_year FROM org_unit \
             ORDER BY symbol, valid_from_year",
        )
        .fetch_all(c)
        .await
    })
}

/// (id, symbol) of every unit, for selects and labels.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn unit_symbols(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    Ok(units(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.symbol))
        .collect())
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_unit(tx: &mut Tx, actor: &Actor, unit: &UnitData) -> Result<i64, sqlx::Error> {
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO org_unit (parent_id, symbol, name, valid_from_year, valid_to_year) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(unit.parent_id)
        .bind(&unit.symbol)
        .bind(&unit.name)
        .bind(unit.valid_from_year)
        .bind(unit.valid_to_year)
        .fetch_one(c)
        .await
    })?;
    audit::record(tx, actor, Change::created("org_unit", id, unit)).await?;
    Ok(id)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn update_unit(
    tx: &mut Tx,
    actor: &Actor,
    before: &OrgUnit,
    unit: &UnitData,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE org_unit SET parent_id = $1, symbol = $2, name = $3, valid_from_year = $4, \
             valid_to_year = $5 WHERE id = $6",
        )
        .bind(unit.parent_id)
        .bind(&unit.symbol)
        .bind(&unit.name)
        .bind(unit.valid_from_year)
        .bind(unit.valid_to_year)
        .bind(before.id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    audit::record(
        tx,
        actor,
        Change::updated("org_unit", before.id, before, unit),
    )
    .await?;
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Employee {
    pub id: i64,
    pub user_id: Option<i64>,
    pub org_unit_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub position: String,
    pub initials: String,
    pub email: String,
    pub phone: String,
    pub active: bool,
}

impl Employee {
    /// „Jan Kowalski”.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EmployeeData {
    pub user_id: Option<i64>,
    pub org_unit_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub position: String,
    pub initials: String,
    pub email: String,
    pub phone: String,
    pub active: bool,
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn employees(db: &Db) -> Result<Vec<Employee>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, user_id, org_unit_id, first_name, last_name, position, initials, email, \
             phone, active FROM employee ORDER BY last_name, first_name, id",
        )
        .fetch_all(c)
        .await
    })
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_employee(
    tx: &mut Tx,
    actor: &Actor,
    e: &EmployeeData,
) -> Result<i64, sqlx::Error> {
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO employee (user_id, org_unit_id, first_name, last_name, position, \
             initials, email, phone, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(e.user_id)
        .bind(e.org_unit_id)
        .bind(&e.first_name)
        .bind(&e.last_name)
        .bind(&e.position)
        .bind(&e.initials)
        .bind(&e.email)
        .bind(&e.phone)
        .bind(e.active)
        .fetch_one(c)
        .await
    })?;
    audit::record(tx, actor, Change::created("employee", id, e)).await?;
    Ok(id)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn update_employee(
    tx: &mut Tx,
    actor: &Actor,
    before: &Employee,
    e: &EmployeeData,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE employee SET user_id = $1, org_unit_id = $2, first_name = $3, last_name = $4, \
             position = $5, initials = $6, email = $7, phone = $8, active = $9 WHERE id = $10",
        )
        .bind(e.user_id)
        .bind(e.org_unit_id)
        .bind(&e.first_name)
        .bind(&e.last_name)
        .bind(&e.position)
        .bind(&e.initials)
        .bind(&e.email)
        .bind(&e.phone)
        .bind(e.active)
        .bind(before.id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    audit::record(tx, actor, Change::updated("employee", before.id, before, e)).await?;
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    Building,
    ServicePoint,
}

impl LocationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LocationKind::Building => "building",
            LocationKind::ServicePoint => "service_point",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "building" => Some(LocationKind::Building),
            "service_point" => Some(LocationKind::ServicePoint),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Location {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub directions: String,
    pub accessibility: String,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LocationData {
    pub kind: LocationKind,
    pub name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub directions: String,
    pub accessibility: String,
    pub active: bool,
}

/// Opening hours on one weekday (1 = Monday … 7 = Sunday), local time `HH:MM`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OpeningHours {
    pub location_id: i64,
    pub weekday: i32,
    pub opens: String,
    pub closes: String,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Closure {
    pub id: i64,
    pub location_id: i64,
    pub day: jiff_sqlx::Date,
    pub reason: String,
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn locations(db: &Db) -> Result<Vec<Location>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, kind, name, street, postal_code, city, directions, accessibility, active \
             FROM location ORDER BY kind, name",
        )
        .fetch_all(c)
        .await
    })
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn opening_hours(db: &Db) -> Result<Vec<OpeningHours>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as("SELECT location_id, weekday, opens, closes FROM location_hours ORDER BY location_id, weekday")
            .fetch_all(c)
            .await
    })
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn closures(db: &Db) -> Result<Vec<Closure>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as("SELECT id, location_id, day, reason FROM location_closure ORDER BY day")
            .fetch_all(c)
            .await
    })
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_location(
    tx: &mut Tx,
    actor: &Actor,
    l: &LocationData,
) -> Result<i64, sqlx::Error> {
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO location (kind, name, street, postal_code, city, directions, \
             accessibility, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(l.kind.as_str())
        .bind(&l.name)
        .bind(&l.street)
        .bind(&l.postal_code)
        .bind(&l.city)
        .bind(&l.directions)
        .bind(&l.accessibility)
        .bind(l.active)
        .fetch_one(c)
        .await
    })?;
    audit::record(tx, actor, Change::created("location", id, l)).await?;
    Ok(id)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn update_location(
    tx: &mut Tx,
    actor: &Actor,
    before: &Location,
    l: &LocationData,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE location SET kind = $1, name = $2, street = $3, postal_code = $4, city = $5, \
             directions = $6, accessibility = $7, active = $8 WHERE id = $9",
        )
        .bind(l.kind.as_str())
        .bind(&l.name)
        .bind(&l.street)
        .bind(&l.postal_code)
        .bind(&l.city)
        .bind(&l.directions)
        .bind(&l.accessibility)
        .bind(l.active)
        .bind(before.id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    audit::record(tx, actor, Change::updated("location", before.id, before, l)).await?;
    Ok(())
}

/// Replaces a location's weekly hours.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_opening_hours(
    tx: &mut Tx,
    actor: &Actor,
    location_id: i64,
    before: &[OpeningHours],
    hours: &[OpeningHours],
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query("DELETE FROM location_hours WHERE location_id = $1")
            .bind(location_id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    for h in hours {
        with_tx!(tx, |c| {
            sqlx::query(
                "INSERT INTO location_hours (location_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)",
            )
            .bind(location_id)
            .bind(h.weekday)
            .bind(&h.opens)
            .bind(&h.closes)
            .execute(c)
            .await.map(|r| r.rows_affected())
        })?;
    }
    audit::record(
        tx,
        actor,
        Change::updated("location_hours", location_id, &before, &hours),
    )
    .await?;
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn add_closure(
    tx: &mut Tx,
    actor: &Actor,
    location_id: i64,
    day: jiff::civil::Date,
    reason: &str,
) -> Result<i64, sqlx::Error> {
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO location_closure (location_id, day, reason) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(location_id)
        .bind(jiff_sqlx::Date::from(day))
        .bind(reason)
        .fetch_one(c)
        .await
    })?;
    let after =
        serde_json::json!({ "location_id": location_id, "day": day.to_string(), "reason": reason });
    audit::record(tx, actor, Change::created("location_closure", id, &after)).await?;
    Ok(id)
}

#[tracing::instrument(level = "debug", skip_all, fields(id))]
pub async fn unit(db: &Db, id: i64) -> Result<Option<OrgUnit>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, parent_id, symbol, name, valid_from_year, valid_to_year FROM org_unit \
             WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(c)
        .await
    })
}

#[tracing::instrument(level = "debug", skip_all, fields(id))]
pub async fn employee(db: &Db, id: i64) -> Result<Option<Employee>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, user_id, org_unit_id, first_name, last_name, position, initials, email, \
             phone, active FROM employee WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(c)
        .await
    })
}

#[tracing::instrument(level = "debug", skip_all, fields(id))]
pub async fn location(db: &Db, id: i64) -> Result<Option<Location>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, kind, name, street, postal_code, city, directions, accessibility, active \
             FROM location WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(c)
        .await
    })
}

/// One location's weekly hours, Monday first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn location_hours(db: &Db, location_id: i64) -> Result<Vec<OpeningHours>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT location_id, weekday, opens, closes FROM location_hours \
             WHERE location_id = $1 ORDER BY weekday",
        )
        .bind(location_id)
        .fetch_all(c)
        .await
    })
}

/// One location's closing days, earliest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn location_closures(db: &Db, location_id: i64) -> Result<Vec<Closure>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, location_id, day, reason FROM location_closure WHERE location_id = $1 \
             ORDER BY day",
        )
        .bind(location_id)
        .fetch_all(c)
        .await
    })
}

/// Deletes one closing day of a location, audited with what it was. `None` when the
/// location has no such closing day (nothing is deleted or recorded).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn remove_closure(
    tx: &mut Tx,
    actor: &Actor,
    location_id: i64,
    closure_id: i64,
) -> Result<Option<Closure>, sqlx::Error> {
    let closure: Option<Closure> = with_tx!(tx, |c| {
        sqlx::query_as(
            "DELETE FROM location_closure WHERE id = $1 AND location_id = $2 \
             RETURNING id, location_id, day, reason",
        )
        .bind(closure_id)
        .bind(location_id)
        .fetch_optional(c)
        .await
    })?;
    let Some(closure) = closure else {
        return Ok(None);
    };
    let before = serde_json::json!({
        "location_id": closure.location_id,
        "day": closure.day.to_jiff().to_string(),
        "reason": closure.reason,
    });
    audit::record(
        tx,
        actor,
        Change::action("delete", "location_closure", closure.id).with_before(&before),
    )
    .await?;
    Ok(Some(closure))
}
