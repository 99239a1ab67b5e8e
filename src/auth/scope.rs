//! The unit scope of a request: where the signed-in staff member's permissions hold over
//! the org unit tree.
//!
//! A grant limited to a unit reaches that unit and every unit below it
//! (`policy::unit_in_scope`). Working that out needs the unit tree; [`UnitScope`] is the
//! one extractor that reads it, at most once per request and only when a question
//! needs it (an office-wide grant answers without the tree): the tree is kept in the
//! request's extensions, so a handler and the helpers it calls share one read however
//! many permissions they ask about.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use tokio::sync::OnceCell;

use super::policy::{Permission, Scope, unit_in_scope};
use super::session::{CurrentUser, Staff};
use crate::db::Db;
use crate::org::store::OrgUnit;
use crate::platform::Clock;
use crate::platform::kept::Kept;
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;

/// The org unit tree as read for one request.
#[derive(Debug)]
pub struct UnitTree {
    /// Every unit, ordered by symbol.
    pub units: Vec<OrgUnit>,
    parents: HashMap<i64, Option<i64>>,
}

impl UnitTree {
    pub fn new(units: Vec<OrgUnit>) -> Self {
        Self {
            parents: units.iter().map(|u| (u.id, u.parent_id)).collect(),
            units,
        }
    }

    /// Whether `unit` lies in `scope`, walking up this tree.
    pub fn in_scope(&self, scope: &Scope, unit: i64) -> bool {
        unit_in_scope(scope, unit, |u| self.parents.get(&u).copied().flatten())
    }

    pub fn get(&self, unit: i64) -> Option<&OrgUnit> {
        self.units.iter().find(|u| u.id == unit)
    }
}

/// This process's copy of the unit tree and the version of the unit data it was read
/// at (`catalogue_version`, which the database's triggers bump in the transaction of
/// every change to `org_unit`; migration 0016). The session query reads that version
/// with the session ([`CurrentUser::units_version`]), so a request whose version is the
/// copy's uses the copy and makes no query for the tree; a newer version — a unit
/// changed by this server, another app server or a CLI command — reads the tree again
/// on the very next request (docs/decisions/0021-speed.md).
#[derive(Clone, Default)]
pub struct UnitTreeCache(Kept<(), UnitTree>);

impl UnitTreeCache {
    /// The tree at `version`: the copy if it is that version, else read now (after the
    /// version was, so the tree is never older than the number it is kept under).
    async fn tree(&self, db: &Db, version: i64) -> Result<Arc<UnitTree>, sqlx::Error> {
        self.0
            .get(version, (), async {
                Ok(UnitTree::new(crate::org::store::units(db).await?))
            })
            .await
    }
}

/// The request's tree, read on first use (shared through the request's extensions).
#[derive(Clone, Default)]
struct TreeCell(Arc<OnceCell<Arc<UnitTree>>>);

/// The signed-in staff member's scopes over the unit tree, for this request. Extracting
/// it requires a staff member (as [`Staff`] does).
#[derive(Clone)]
pub struct UnitScope {
    db: Db,
    clock: Clock,
    user: Arc<CurrentUser>,
    tree: TreeCell,
    cache: UnitTreeCache,
}

impl<S> FromRequestParts<S> for UnitScope
where
    S: Send + Sync,
    Db: FromRef<S>,
    Clock: FromRef<S>,
    UnitTreeCache: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Staff(user, _) = Staff::from_request_parts(parts, state).await?;
        let tree = match parts.extensions.get::<TreeCell>() {
            Some(tree) => tree.clone(),
            None => {
                let tree = TreeCell::default();
                parts.extensions.insert(tree.clone());
                tree
            }
        };
        Ok(Self {
            db: Db::from_ref(state),
            clock: Clock::from_ref(state),
            user,
            tree,
            cache: UnitTreeCache::from_ref(state),
        })
    }
}

impl UnitScope {
    pub fn user(&self) -> &Arc<CurrentUser> {
        &self.user
    }

    /// The unit tree at the version this request's session read: this process's copy,
    /// or read from the database the first time this request asks.
    pub async fn tree(&self) -> AppResult<Arc<UnitTree>> {
        let tree = self
            .tree
            .0
            .get_or_try_init(|| self.cache.tree(&self.db, self.user.units_version))
            .await?;
        Ok(tree.clone())
    }

    /// The units where `permission` holds: `None` for the whole office, else the granted
    /// units and every unit below them; 403 where it holds nowhere.
    pub async fn unit_ids(&self, permission: Permission) -> AppResult<Option<Vec<i64>>> {
        let scope = self.user.scope(permission);
        match scope {
            Scope::None => Err(AppError::Forbidden),
            Scope::Office => Ok(None),
            Scope::Units(_) => {
                let tree = self.tree().await?;
                Ok(Some(
                    tree.units
                        .iter()
                        .filter(|u| tree.in_scope(&scope, u.id))
                        .map(|u| u.id)
                        .collect(),
                ))
            }
        }
    }

    /// The units the user works in for `permission`, with the units below them: where
    /// a grant limits it to units, those; for an office-wide grant, the unit of the
    /// user's post (the employee record), if there is one. For ordering what a form
    /// offers („your unit's first”), never for access; 403 where it holds nowhere.
    pub async fn own_units(&self, permission: Permission) -> AppResult<Vec<i64>> {
        if let Some(units) = self.unit_ids(permission).await? {
            return Ok(units);
        }
        let Some(post) = crate::org::store::employee_unit(&self.db, self.user.id).await? else {
            return Ok(Vec::new());
        };
        let tree = self.tree().await?;
        let below = Scope::Units(vec![post]);
        Ok(tree
            .units
            .iter()
            .filter(|u| tree.in_scope(&below, u.id))
            .map(|u| u.id)
            .collect())
    }

    /// Whether `unit` lies where `permission` holds.
    pub async fn allows(&self, permission: Permission, unit: i64) -> AppResult<bool> {
        match self.user.scope(permission) {
            Scope::None => Ok(false),
            Scope::Office => Ok(true),
            scope => Ok(self.tree().await?.in_scope(&scope, unit)),
        }
    }

    /// The tree seen through one permission (the correspondence pages' view).
    pub async fn units(&self, permission: Permission) -> AppResult<ScopedUnits> {
        Ok(ScopedUnits {
            tree: self.tree().await?,
            scope: self.user.scope(permission),
            year: self.clock.year(),
        })
    }
}

/// The unit tree and the user's scope for one permission.
#[derive(Clone)]
pub struct ScopedUnits {
    tree: Arc<UnitTree>,
    pub scope: Scope,
    /// This year, by the office's clock: the units valid in it are offered.
    pub year: i32,
}

impl ScopedUnits {
    /// Every unit of the tree, in scope or not (for names), ordered by symbol.
    pub fn all(&self) -> &[OrgUnit] {
        &self.tree.units
    }

    pub fn exists(&self, unit: i64) -> bool {
        self.tree.get(unit).is_some()
    }

    pub fn allows(&self, unit: i64) -> bool {
        self.tree.in_scope(&self.scope, unit)
    }

    /// Fails with 403 unless `unit` is in the scope.
    pub fn require(&self, unit: i64) -> AppResult<()> {
        if self.allows(unit) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The scope as the lists' SQL filter: `None` for the whole office, else the ids of
    /// every unit it reaches framed by commas (`,2,5,`).
    pub fn sql_filter(&self) -> Option<String> {
        match self.scope {
            Scope::Office => None,
            _ => {
                let ids: Vec<String> = self
                    .tree
                    .units
                    .iter()
                    .filter(|u| self.allows(u.id))
                    .map(|u| u.id.to_string())
                    .collect();
                Some(format!(",{},", ids.join(",")))
            }
        }
    }

    /// „SA — Wydział Spraw Obywatelskich”, or nothing for an unknown unit.
    pub fn symbol(&self, unit: i64) -> String {
        self.tree
            .get(unit)
            .map(|u| format!("{} — {}", u.symbol, u.name))
            .unwrap_or_default()
    }

    /// Select options: the units in scope valid this year, plus `chosen`.
    pub fn options(&self, lang: Lang, first: String, chosen: &str) -> Vec<(String, String)> {
        let year = self.year;
        let mut options = vec![(String::new(), first)];
        options.extend(
            self.tree
                .units
                .iter()
                .filter(|u| {
                    u.id.to_string() == chosen || (u.is_valid_in(year) && self.allows(u.id))
                })
                .map(|u| (u.id.to_string(), crate::org::unit_label(lang, u, year))),
        );
        options
    }
}
