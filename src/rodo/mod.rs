//! Personal data protection in the office's own processing (RODO, issue 10;
//! docs/decisions/0049):
//!
//! - the office's information clause (klauzula informacyjna, RODO art. 13 ust. 1–2),
//!   which the office writes: public at `/rodo`, on every service card, beside the
//!   e-service form's submit button and in its confirmation, and in the first letter of
//!   a case to its party (KPA art. 61 § 5: „przy pierwszej czynności skierowanej do
//!   strony”; `{klauzula_rodo}` in a letter template);
//! - the register of processing activities (rejestr czynności przetwarzania, RODO
//!   art. 30 ust. 1 lit. a–g) with its CSV;
//! - the daily retention job (`rodo_retention`): inactive resident accounts, expired
//!   sign-in links, sessions and app tokens, booked visits' and closed problem
//!   reports' personal data; never the akta sprawy, which the archive keeps by their
//!   JRWA category.
//!
//! The pure rules (the parts of the clause and of an entry, "past retention on day D",
//! the default periods) are in `magistrat_domain::rodo`; [`store`] keeps and audits,
//! [`service`] is what other capabilities read and the job; [`pages`] the pages;
//! [`demo`] the demo office's clause and register.
//!
//! Who may do what (src/auth/policy.rs): `/rodo` is public; the rest needs
//! `KeepDataProtection` (the inspektor ochrony danych and the administrator).

pub mod demo;
pub mod pages;
pub mod service;
pub mod store;

use crate::auth::policy::Permission;
use crate::web::routes::{Access, Routes};

pub fn routes() -> Routes {
    let keep = Access::Staff(Permission::KeepDataProtection);
    Routes::site()
        .get("/rodo", Access::Public, pages::public)
        .get("/staff/rodo", keep, pages::index)
        .get("/staff/rodo/clause", keep, pages::clause_form)
        .post("/staff/rodo/clause", keep, pages::save_clause)
        .get("/staff/rodo/register.csv", keep, pages::register_csv)
        .get("/staff/rodo/activities/new", keep, pages::new_activity)
        .post("/staff/rodo/activities/new", keep, pages::create_activity)
        .get("/staff/rodo/activities/{id}", keep, pages::edit_activity)
        .post("/staff/rodo/activities/{id}", keep, pages::save_activity)
        .post(
            "/staff/rodo/activities/{id}/delete",
            keep,
            pages::delete_activity,
        )
}
