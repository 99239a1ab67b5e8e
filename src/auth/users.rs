//! Staff accounts: validation (pure) and storage. Every change is audited in the same
//! transaction; password hashes never reach the audit trail or the logs.

use magistrat_domain::password::PasswordPolicy;
use serde::Serialize;

use super::policy::{Grant, Role};
use super::secret::hash_password_async;
use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Tx};
use crate::platform::form::FormErrors;
use crate::platform::form::Unique;
use crate::{with_db, with_tx};

/// A login: 3–64 characters of lowercase ASCII letters, digits, `.`, `_`, `-`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Login(String);

impl Login {
    pub fn parse(s: &str) -> Result<Login, &'static str> {
        let s = s.trim();
        let ok_chars = s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if !(3..=64).contains(&s.len()) || !ok_chars {
            return Err("user-login-invalid");
        }
        Ok(Login(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks a new password against the policy; problems as Fluent ids.
pub fn check_password(password: &str, context: &[&str]) -> Result<(), Vec<String>> {
    PasswordPolicy::default()
        .check(password, context)
        .map_err(|problems| {
            problems
                .iter()
                .map(|p| crate::web::i18n::message_id(p.code()))
                .collect()
        })
}

/// A new account as validated from a form or the CLI.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub login: Login,
    pub display_name: String,
    pub email: String,
    pub password: String,
    pub grants: Vec<Grant>,
}

impl NewUser {
    pub fn parse(
        login: &str,
        display_name: &str,
        email: &str,
        password: &str,
        grants: Vec<Grant>,
    ) -> Result<NewUser, FormErrors> {
        let mut errors = FormErrors::new();
        let parsed_login = Login::parse(login).map_err(|k| errors.add("login", k)).ok();
        errors.require("display_name", display_name);
        errors.max_len("display_name", display_name, 200);
        if !email.trim().is_empty() && !looks_like_email(email) {
            errors.add("email", "form-email-invalid");
        }
        if let Err(problems) = check_password(password, &[login, display_name])
            && let Some(first) = problems.into_iter().next()
        {
            errors.add("password", first);
        }
        match parsed_login {
            Some(login) if errors.is_empty() => Ok(NewUser {
                login,
                display_name: display_name.trim().to_owned(),
                email: email.trim().to_owned(),
                password: password.to_owned(),
                grants,
            }),
            _ => Err(errors),
        }
    }
}

pub use crate::platform::form::looks_like_email;

/// Logins are unique whatever their case (`login_lower`): an account created meanwhile
/// with the same login. The form tells it at the login field.
pub const LOGIN_UNIQUE: Unique = Unique {
    constraint: "app_user_login_lower_key",
    columns: "app_user.login_lower",
    field: "login",
    message: "user-login-taken",
};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserRecord {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub email: String,
    pub password_hash: String,
    pub active: bool,
    /// Wrong passwords since the last sign-in (for the audit detail; the throttle
    /// decides on its own counts, per account and address).
    pub failed_logins: i32,
}

/// What the audit trail keeps of an account (no hash).
#[derive(Serialize)]
struct AccountSnapshot<'a> {
    login: &'a str,
    display_name: &'a str,
    email: &'a str,
    active: bool,
    roles: Vec<String>,
}

fn grants_text(grants: &[Grant]) -> Vec<String> {
    grants
        .iter()
        .map(|g| match g.org_unit_id {
            Some(unit) => format!("{}@{unit}", g.role),
            None => g.role.to_string(),
        })
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("login already taken")]
    LoginTaken,
    #[error("no such user")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub async fn find_by_login(db: &Db, login: &str) -> Result<Option<UserRecord>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, login, display_name, email, password_hash, active, failed_logins \
             FROM app_user WHERE login_lower = $1",
        )
        .bind(login.trim().to_lowercase())
        .fetch_optional(c)
        .await
    })
}

pub async fn find_by_id(db: &Db, id: i64) -> Result<Option<UserRecord>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, login, display_name, email, password_hash, active, failed_logins \
             FROM app_user WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(c)
        .await
    })
}

/// Creates an account with its roles, audited, in `tx`.
pub async fn create(tx: &mut Tx, actor: &Actor, user: &NewUser) -> Result<i64, UserError> {
    let hash = hash_password_async(user.password.clone()).await?;
    let now = tx.now();
    let inserted: Result<i64, sqlx::Error> = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO app_user (login, login_lower, display_name, email, password_hash, \
             active, failed_logins, password_changed_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, TRUE, 0, $6, $6) RETURNING id",
        )
        .bind(user.login.as_str())
        .bind(user.login.as_str().to_lowercase())
        .bind(&user.display_name)
        .bind(&user.email)
        .bind(&hash)
        .bind(now)
        .fetch_one(c)
        .await
    });
    let id = match inserted {
        Ok(id) => id,
        Err(e) if LOGIN_UNIQUE.violated_by(&e) => return Err(UserError::LoginTaken),
        Err(e) => return Err(e.into()),
    };
    insert_grants(tx, id, &user.grants).await?;
    let snapshot = AccountSnapshot {
        login: user.login.as_str(),
        display_name: &user.display_name,
        email: &user.email,
        active: true,
        roles: grants_text(&user.grants),
    };
    audit::record(tx, actor, Change::created("user", id, &snapshot)).await?;
    Ok(id)
}

async fn insert_grants(tx: &mut Tx, user_id: i64, grants: &[Grant]) -> Result<(), sqlx::Error> {
    for grant in grants {
        with_tx!(tx, |c| {
            sqlx::query("INSERT INTO user_role (user_id, role, org_unit_id) VALUES ($1, $2, $3)")
                .bind(user_id)
                .bind(grant.role.as_str())
                .bind(grant.org_unit_id)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// Replaces an account's roles, audited with before and after.
pub async fn set_grants(
    tx: &mut Tx,
    actor: &Actor,
    user_id: i64,
    before: &[Grant],
    grants: &[Grant],
) -> Result<(), UserError> {
    with_tx!(tx, |c| {
        sqlx::query("DELETE FROM user_role WHERE user_id = $1")
            .bind(user_id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    insert_grants(tx, user_id, grants).await?;
    let change = Change::updated(
        "user_roles",
        user_id,
        &grants_text(before),
        &grants_text(grants),
    );
    audit::record(tx, actor, change).await?;
    Ok(())
}

/// Sets a new password and ends the account's sessions (a lockout left by an older
/// version, `locked_until`, is cleared too; nothing sets one any more: decision 0023).
pub async fn set_password(
    tx: &mut Tx,
    actor: &Actor,
    user_id: i64,
    password: &str,
) -> Result<(), UserError> {
    let hash = hash_password_async(password.to_owned()).await?;
    let now = tx.now();
    let changed = with_tx!(tx, |c| {
        let n = sqlx::query(
            "UPDATE app_user SET password_hash = $1, password_changed_at = $2, failed_logins = 0, \
             locked_until = NULL WHERE id = $3",
        )
        .bind(&hash)
        .bind(now)
        .bind(user_id)
        .execute(&mut *c)
        .await?
        .rows_affected();
        sqlx::query("DELETE FROM session WHERE user_id = $1")
            .bind(user_id)
            .execute(c)
            .await?;
        Ok::<u64, sqlx::Error>(n)
    })?;
    if changed == 0 {
        return Err(UserError::NotFound);
    }
    audit::record(tx, actor, Change::action("password_set", "user", user_id)).await?;
    Ok(())
}

/// Enables or disables an account; disabling ends its sessions at once.
pub async fn set_active(
    tx: &mut Tx,
    actor: &Actor,
    user_id: i64,
    active: bool,
) -> Result<(), UserError> {
    let affected = with_tx!(tx, |c| {
        let n = sqlx::query("UPDATE app_user SET active = $1 WHERE id = $2")
            .bind(active)
            .bind(user_id)
            .execute(&mut *c)
            .await?
            .rows_affected();
        if !active {
            sqlx::query("DELETE FROM session WHERE user_id = $1")
                .bind(user_id)
                .execute(c)
                .await
                .map(|r| r.rows_affected())?;
        }
        Ok::<u64, sqlx::Error>(n)
    })?;
    if affected == 0 {
        return Err(UserError::NotFound);
    }
    let change = Change::updated(
        "user",
        user_id,
        &serde_json::json!({ "active": !active }),
        &serde_json::json!({ "active": active }),
    );
    audit::record(
        tx,
        actor,
        Change {
            action: if active { "enable" } else { "disable" },
            ..change
        },
    )
    .await?;
    Ok(())
}

/// A row of the account list.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserSummary {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub email: String,
    pub active: bool,
}

pub async fn list(db: &Db) -> Result<Vec<UserSummary>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, login, display_name, email, active FROM app_user ORDER BY login_lower",
        )
        .fetch_all(c)
        .await
    })
}

/// The account list and every role of every user ([`list`] and [`all_grants`]), read on
/// one pooled connection: one hand-over and one return to the pool instead of two
/// (docs/decisions/0040-page-cost-second-pass.md).
pub async fn list_with_grants(
    db: &Db,
) -> Result<(Vec<UserSummary>, Vec<(i64, Grant)>), sqlx::Error> {
    #[allow(
        clippy::type_complexity,
        reason = "the two result sets of one checkout"
    )]
    let (users, rows): (Vec<UserSummary>, Vec<(i64, String, Option<i64>)>) =
        with_db!(db, |pool| {
            let mut c = pool.acquire().await?;
            let users = sqlx::query_as(
                "SELECT id, login, display_name, email, active FROM app_user ORDER BY login_lower",
            )
            .fetch_all(&mut *c)
            .await?;
            let rows =
                sqlx::query_as("SELECT user_id, role, org_unit_id FROM user_role ORDER BY id")
                    .fetch_all(&mut *c)
                    .await?;
            Ok::<_, sqlx::Error>((users, rows))
        })?;
    Ok((users, grants_from(rows)))
}

/// Every role of every user, for the account list.
pub async fn all_grants(db: &Db) -> Result<Vec<(i64, Grant)>, sqlx::Error> {
    let rows: Vec<(i64, String, Option<i64>)> = with_db!(db, |c| {
        sqlx::query_as("SELECT user_id, role, org_unit_id FROM user_role ORDER BY id")
            .fetch_all(c)
            .await
    })?;
    Ok(grants_from(rows))
}

fn grants_from(rows: Vec<(i64, String, Option<i64>)>) -> Vec<(i64, Grant)> {
    rows.into_iter()
        .filter_map(|(user, role, unit)| {
            role.parse::<Role>().ok().map(|role| {
                (
                    user,
                    Grant {
                        role,
                        org_unit_id: unit,
                    },
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every password problem names a message of locales/ (the form shows it as is).
    #[test]
    fn password_problems_are_message_ids() {
        let problems = check_password("krotkie", &[]).unwrap_err();
        assert!(
            problems.contains(&"password-too-short".to_owned()),
            "{problems:?}"
        );
        let problems = check_password("jkowalski-1234", &["jkowalski"]).unwrap_err();
        assert!(
            problems.contains(&"password-contains-personal-data".to_owned()),
            "{problems:?}"
        );
        for lang in [
            include_str!("../../locales/pl/auth.ftl"),
            include_str!("../../locales/en/auth.ftl"),
        ] {
            for id in [
                "password-too-short",
                "password-too-long",
                "password-contains-personal-data",
                "password-single-character-class",
                "password-common",
            ] {
                assert!(
                    lang.lines().any(|l| l.starts_with(&format!("{id} ="))),
                    "{id}"
                );
            }
        }
    }

    #[test]
    fn logins() {
        assert!(Login::parse("j.kowalska").is_ok());
        assert!(Login::parse("admin").is_ok());
        assert!(Login::parse("ab").is_err());
        assert!(Login::parse("Jan").is_err());
        assert!(Login::parse("jan kowalski").is_err());
        assert!(Login::parse("łucja").is_err());
    }

    #[test]
    fn emails() {
        assert!(looks_like_email("sekretariat@urzad.example.pl"));
        assert!(!looks_like_email("sekretariat"));
        assert!(!looks_like_email("a@b"));
        assert!(!looks_like_email("a b@c.pl"));
    }

    #[test]
    fn new_user_errors_are_per_field() {
        let errors = NewUser::parse("X", "", "bad", "short", vec![])
            .err()
            .unwrap_or_default();
        assert!(errors.get("login").is_some());
        assert!(errors.get("display_name").is_some());
        assert!(errors.get("email").is_some());
        assert!(errors.get("password").is_some());
        assert!(NewUser::parse("a.nowak", "Anna Nowak", "", "Ratusz-Rynek-1-2026", vec![]).is_ok());
    }
}
