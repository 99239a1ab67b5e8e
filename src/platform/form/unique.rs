//! A duplicate the database caught, told to the person at the field it belongs to.
//!
//! The forms check what they can before writing (a unit symbol taken in those years, a
//! closing day already there), but only the database's unique constraint sees a record
//! saved meanwhile by someone else. [`on_unique`] turns that violation, by the name of
//! the constraint, into the same field error the form's own check gives (as
//! launchbadge/realworld-axum-sqlx's `on_constraint` does), and lets any other error
//! through untouched.
//!
//! The two databases name a violated constraint differently: PostgreSQL gives the
//! constraint's (or unique index's) name, e.g. `org_unit_symbol_from` or the default
//! `app_user_login_lower_key`; SQLite gives no name, only the columns in its message,
//! `UNIQUE constraint failed: org_unit.symbol, org_unit.valid_from_year`. A [`Unique`]
//! names both, and both are checked by the tests on both backends.

use super::{FormErrors, parse::Message};

/// A unique constraint that one form field answers for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unique {
    /// PostgreSQL's name of the constraint or unique index.
    pub constraint: &'static str,
    /// The table and its columns as SQLite's message lists them:
    /// `"org_unit.symbol, org_unit.valid_from_year"`.
    pub columns: &'static str,
    /// The form field that is told.
    pub field: &'static str,
    /// The Fluent id of what it is told.
    pub message: Message,
}

impl Unique {
    /// Whether `error` is a violation of this constraint.
    pub fn violated_by(&self, error: &sqlx::Error) -> bool {
        let sqlx::Error::Database(e) = error else {
            return false;
        };
        if !e.is_unique_violation() {
            return false;
        }
        match e.constraint() {
            Some(name) => name == self.constraint,
            None => sqlite_columns(e.message()) == Some(self.columns),
        }
    }
}

/// The columns of SQLite's `UNIQUE constraint failed: t.a, t.b`.
fn sqlite_columns(message: &str) -> Option<&str> {
    message
        .strip_prefix("UNIQUE constraint failed: ")
        .map(str::trim)
}

/// The field error for a violation of one of `constraints`, or the error itself when it
/// is anything else (then it is a real failure, answered as such by the caller's `?`).
pub fn on_unique(error: sqlx::Error, constraints: &[Unique]) -> Result<FormErrors, sqlx::Error> {
    match constraints.iter().find(|c| c.violated_by(&error)) {
        Some(c) => Ok(FormErrors::one(c.field, c.message)),
        None => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_messages_name_the_columns() {
        assert_eq!(
            sqlite_columns("UNIQUE constraint failed: org_unit.symbol, org_unit.valid_from_year"),
            Some("org_unit.symbol, org_unit.valid_from_year")
        );
        assert_eq!(
            sqlite_columns("NOT NULL constraint failed: org_unit.name"),
            None
        );
    }

    #[test]
    fn other_errors_pass_through() {
        let rule = Unique {
            constraint: "t_code_key",
            columns: "t.code",
            field: "code",
            message: "form-required",
        };
        assert!(!rule.violated_by(&sqlx::Error::RowNotFound));
        assert!(matches!(
            on_unique(sqlx::Error::RowNotFound, &[rule]),
            Err(sqlx::Error::RowNotFound)
        ));
    }
}
