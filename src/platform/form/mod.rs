//! The form kit: how every capability reads a submitted form and shows it back.
//!
//! - [`parse`]: one parser per kind of input (text, date, time, whole number, checkbox,
//!   option from a list, e-mail), each answering a Fluent message id, and
//!   [`FormReader`], which reads a form field by field and gathers the problems;
//! - [`FormErrors`]: field → message id;
//! - [`Field`]: a field as the page shows it (label, value kept, hint, error; the ids
//!   and `aria-describedby` that `templates/macros.html` renders);
//! - [`page`]: the form-page builder ([`FormBuilder`]: fields with their errors and the
//!   error summary) and [`respond`] (422 when the page shows problems);
//! - [`Checkbox`] and [`Choices`]: one checkbox, and a group of them under a legend
//!   ([`FormBuilder::checkbox`], [`FormBuilder::choices`]);
//! - [`unique`]: [`on_unique`], a duplicate caught by a named unique constraint turned
//!   into the field's error, on SQLite and PostgreSQL alike.
//!
//! The pattern (docs/decisions/0018-form-kit.md): a page posts its raw pairs; the
//! capability turns them into a domain value with `TryFrom<RawForm>` whose error is
//! [`FormErrors`] — a type that can only hold valid values, so the store never sees an
//! unchecked one — and on errors renders the page again with [`FormBuilder`].

mod choices;
mod errors;
mod field;
pub mod page;
pub mod parse;
pub mod unique;

pub use choices::{Checkbox, Choices};
pub use errors::FormErrors;
pub use field::{Field, OptionGroup, described_by, field_id, scoped_field_id};
pub use page::{FormBuilder, respond};
pub use parse::{FormReader, Pairs, checked, looks_like_email, value};
pub use unique::{Unique, on_unique};
