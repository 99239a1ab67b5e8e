//! Storage of the JRWA, the case register, the history and the deadline records. Every
//! write is audited in the caller's transaction.
//!
//! One file per responsibility: [`jrwa`] (the wykaz per year), [`register`]
//! (registering a case), [`case`] (reading one), [`steps`] (the workflow steps),
//! [`intake`] (the parties and their pełnomocnik, the summons to remove defects),
//! [`fees`] (the opłata skarbowa of a case and the summons to pay, decision 0050),
//! [`lists`] (lists, search and the workload) and [`public`] (what the public sees).
//! Bulk seeding for benchmarks lives apart, in `cases::bench_seed`.

mod case;
mod fees;
mod intake;
mod jrwa;
mod lists;
mod public;
mod register;
mod steps;

use jiff::civil::Date;

pub use case::*;
pub use fees::{CaseFee, NewFee, amount_due, case_fees, copy_card_fees, office_fee_account};
pub use intake::{
    CaseDefect, CaseParty, PartyInput, RepresentativeInput, case_defects, case_parties,
};
pub use jrwa::*;
pub use lists::*;
pub use public::*;
pub use register::*;
pub use steps::*;

/// Why the case register refused or failed. The store knows nothing of HTTP: the web
/// layer maps this to a status and a message at the edge (`web::error`).
#[derive(Debug, thiserror::Error)]
pub enum CaseStoreError {
    /// The input does not fit the register (the Fluent id of the message says how).
    #[error("refused: {0}")]
    Refused(&'static str),
    /// No case with that id.
    #[error("no such case")]
    NotFound,
    /// The database failed, or a stored row could not be read (db/row.rs).
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

pub(crate) type SqlDate = jiff_sqlx::Date;

pub(crate) fn sql_date(d: Date) -> SqlDate {
    SqlDate::from(d)
}
