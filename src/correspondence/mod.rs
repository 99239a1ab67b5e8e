//! The correspondence register: incoming items from every channel (counter, post,
//! e-mail, ePUAP, e-Doręczenia, the office's e-services) in the dziennik korespondencji
//! przychodzącej, outgoing items with their proofs of delivery, and their files through
//! the shared attachments store (`crate::attachments`).
//!
//! - [`rules`]: channels, register numbers, ADE/ePUAP addresses, the forms' validation;
//! - [`store`]: storage, every write audited in the caller's transaction, register
//!   numbers from a counter row in that transaction (no gaps, no duplicates);
//! - [`incoming`], [`outgoing`]: the staff pages; [`list`]: the two registers' lists.
//!
//! For other capabilities (e-service applications register what residents file, inside
//! their own transaction): [`register_incoming`] and [`link_case`].
//!
//! Who may do what (src/auth/policy.rs): reading needs `ViewCorrespondence`, registering
//! and recording deliveries `RegisterCorrespondence`, each within its scope: a grant
//! limited to a unit reaches the items addressed to (or sent by) that unit and the units
//! below it. An item outside the scope answers 403 (recorded as `access.denied`), its
//! files too; lists show only what the scope reaches. A dziennik is kept per calendar
//! year (instrukcja kancelaryjna practice, domain research § 2.5).

pub mod incoming;
pub mod list;
pub mod outgoing;
pub mod rules;
pub mod store;

use std::collections::HashMap;

use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;
use crate::auth::policy::{Permission, Scope};
use crate::auth::session::CurrentUser;
use crate::org::store::OrgUnit;
use crate::org::{in_scope, parent_map};
use crate::web::error::{AppError, AppResult};

pub use rules::{Channel, ChannelIds, LetterType, NewIncoming, NewOutgoing, OutChannel, Sender};
pub use store::{RegisteredIncoming, RegisteredOutgoing, link_case, register_incoming};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/correspondence", get(incoming::list))
        .route(
            "/staff/correspondence/new",
            get(incoming::new_form).post(incoming::create),
        )
        .route("/staff/correspondence/{id}", get(incoming::show))
        .route(
            "/staff/correspondence/{id}/attachments/{file_id}",
            get(incoming::download),
        )
        .route("/staff/correspondence/outgoing", get(outgoing::list))
        .route(
            "/staff/correspondence/outgoing/new",
            get(outgoing::new_form).post(outgoing::create),
        )
        .route("/staff/correspondence/outgoing/{id}", get(outgoing::show))
        .route(
            "/staff/correspondence/outgoing/{id}/delivery",
            post(outgoing::record_delivery),
        )
        .route(
            "/staff/correspondence/outgoing/{id}/attachments/{file_id}",
            get(outgoing::download),
        )
}

/// Items per page in the lists.
pub const PAGE_SIZE: i64 = 50;

/// The unit tree and the user's scope for one permission, as loaded for one request.
pub struct Units {
    pub units: Vec<OrgUnit>,
    pub parents: HashMap<i64, Option<i64>>,
    pub scope: Scope,
    /// This year, by the office's clock: the units valid in it are offered.
    pub year: i32,
}

impl Units {
    pub async fn load(
        state: &AppState,
        user: &CurrentUser,
        permission: Permission,
    ) -> AppResult<Self> {
        let units = crate::org::store::units(&state.db).await?;
        Ok(Self {
            parents: parent_map(&units),
            units,
            scope: user.scope(permission),
            year: state.clock.year(),
        })
    }

    pub fn exists(&self, unit: i64) -> bool {
        self.units.iter().any(|u| u.id == unit)
    }

    pub fn allows(&self, unit: i64) -> bool {
        in_scope(&self.scope, &self.parents, unit)
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
                    .units
                    .iter()
                    .filter(|u| self.allows(u.id))
                    .map(|u| u.id.to_string())
                    .collect();
                Some(format!(",{},", ids.join(",")))
            }
        }
    }

    pub fn symbol(&self, unit: i64) -> String {
        self.units
            .iter()
            .find(|u| u.id == unit)
            .map(|u| format!("{} — {}", u.symbol, u.name))
            .unwrap_or_default()
    }

    /// Select options: the units in scope valid this year, plus `chosen`.
    pub fn options(
        &self,
        lang: crate::web::i18n::Lang,
        first: String,
        chosen: &str,
    ) -> Vec<(String, String)> {
        let year = self.year;
        let mut options = vec![(String::new(), first)];
        options.extend(
            self.units
                .iter()
                .filter(|u| {
                    u.id.to_string() == chosen || (u.is_valid_in(year) && self.allows(u.id))
                })
                .map(|u| (u.id.to_string(), crate::org::unit_label(lang, u, year))),
        );
        options
    }
}

/// „2026-11-30 09:15:00, Anna Nowak”: when and by whom an item was registered (the
/// system, for items other capabilities registered).
pub(crate) async fn registered_text(
    state: &AppState,
    lang: crate::web::i18n::Lang,
    at: String,
    by: Option<i64>,
) -> AppResult<String> {
    let who = match by {
        Some(id) => crate::auth::users::list(&state.db)
            .await?
            .into_iter()
            .find(|u| u.id == id)
            .map(|u| u.display_name)
            .unwrap_or_default(),
        None => lang.t("corr-registered-by-system"),
    };
    Ok(format!("{at}, {who}"))
}
