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
//! The unit scope comes from `crate::auth::scope::UnitScope` (the tree read once per
//! request). Who may do what (src/auth/policy.rs): reading needs `ViewCorrespondence`, registering
//! and recording deliveries `RegisterCorrespondence`, each within its scope: a grant
//! limited to a unit reaches the items addressed to (or sent by) that unit and the units
//! below it. An item outside the scope answers 403 (recorded as `access.denied`), its
//! files too; lists show only what the scope reaches. A dziennik is kept per calendar
//! year (instrukcja kancelaryjna practice; see docs/glossary.md).

pub mod export;
pub mod incoming;
pub mod list;
pub mod outgoing;
pub mod rules;
pub mod service;
pub mod store;

use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::web::error::AppResult;
use crate::web::routes::{Access, Routes};

pub use rules::{
    Channel, ChannelIds, Delivery, LetterType, NewIncoming, NewOutgoing, OutChannel, Sender,
};
pub use store::{
    CorrespondenceStoreError, RegisteredIncoming, RegisteredOutgoing, link_case, register_incoming,
};

pub fn routes() -> Routes {
    let view = Access::Staff(Permission::ViewCorrespondence);
    let register = Access::Staff(Permission::RegisterCorrespondence);
    Routes::site()
        .get("/staff/correspondence", view, incoming::list)
        .get("/staff/correspondence/new", register, incoming::new_form)
        .post("/staff/correspondence/new", register, incoming::create)
        .get("/staff/correspondence/export", view, export::incoming)
        .get(
            "/staff/correspondence/outgoing/export",
            view,
            export::outgoing,
        )
        .get("/staff/correspondence/{id}", view, incoming::show)
        .get(
            "/staff/correspondence/{id}/attachments/{file_id}",
            view,
            incoming::download,
        )
        .get("/staff/correspondence/outgoing", view, outgoing::list)
        .get(
            "/staff/correspondence/outgoing/new",
            register,
            outgoing::new_form,
        )
        .post(
            "/staff/correspondence/outgoing/new",
            register,
            outgoing::create,
        )
        .get("/staff/correspondence/outgoing/{id}", view, outgoing::show)
        .post(
            "/staff/correspondence/outgoing/{id}/delivery",
            register,
            outgoing::record_delivery,
        )
        .get(
            "/staff/correspondence/outgoing/{id}/attachments/{file_id}",
            view,
            outgoing::download,
        )
}

/// Items per page in the lists.
pub const PAGE_SIZE: i64 = 50;

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

/// Staff know a case by its znak sprawy: a znak typed into the case field of a letter's
/// form is replaced by the case's number before the form is read (a znak that names no
/// case stays, and the form says it is neither a znak nor a number).
async fn znak_to_case_id(db: &crate::db::Db, fields: &mut [(String, String)]) -> AppResult<()> {
    for (name, value) in fields.iter_mut() {
        let typed = value.trim();
        if name == "case_id"
            && !typed.is_empty()
            && typed.parse::<i64>().is_err()
            && let Some(id) = crate::cases::store::case_id_by_znak(db, typed).await?
        {
            *value = id.to_string();
        }
    }
    Ok(())
}

/// A case number typed into a letter's form must name a case the user may see, or one
/// of a unit whose mail the user registers (the front desk links letters to cases of
/// the whole office without reading them): an unknown case and one out of the user's
/// scope get the same field error, so the form does not tell which case numbers exist
/// (issue 16).
async fn check_case(
    db: &crate::db::Db,
    scope: &crate::auth::scope::UnitScope,
    fields: &[(String, String)],
    errors: &mut crate::platform::form::FormErrors,
) -> AppResult<()> {
    // A malformed number has its own error from the form's rules.
    let case_id = crate::platform::form::value(fields, "case_id")
        .trim()
        .parse::<i64>();
    let Some(id) = case_id.ok().filter(|id| *id > 0) else {
        return Ok(());
    };
    use crate::auth::policy::Permission::{RegisterCorrespondence, ViewCases};
    let visible = match crate::cases::store::case_by_id(db, id).await? {
        Some(case) => {
            scope.allows(ViewCases, case.unit_id).await?
                || scope.allows(RegisterCorrespondence, case.unit_id).await?
        }
        None => false,
    };
    if !visible {
        errors.add("case_id", "corr-case-id-unknown");
    }
    Ok(())
}
