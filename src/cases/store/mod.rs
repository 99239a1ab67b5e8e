//! Storage of the JRWA, the case register, the history and the deadline records. Every
//! write is audited in the caller's transaction.
//!
//! One file per responsibility: [`jrwa`] (the wykaz per year), [`register`]
//! (registering a case), [`case`] (reading one), [`steps`] (the workflow steps),
//! [`lists`] (lists, search and the workload) and [`public`] (what the public sees).
//! Bulk seeding for benchmarks lives apart, in `cases::bench_seed`.

mod case;
mod jrwa;
mod lists;
mod public;
mod register;
mod steps;

use jiff::civil::Date;

pub use case::*;
pub use jrwa::*;
pub use lists::*;
pub use public::*;
pub use register::*;
pub use steps::*;

pub(crate) type SqlDate = jiff_sqlx::Date;

pub(crate) fn sql_date(d: Date) -> SqlDate {
    SqlDate::from(d)
}
