//! Storage of the case's documents: templates, authorisations to sign, letters and
//! their flow, dekretacja, and the metryka's entries. Every write is audited in the
//! caller's transaction, and every act on a letter writes its metryka entry in that
//! same transaction; a step's update is conditional on the state read, so two people
//! acting at once cannot both move a letter.

use jiff::civil::Date;
use magistrat_domain::letters::{
    self, Defect, Element, FlowError, LetterAction, LetterKind, LetterState, Sections,
    SignatureMethod,
};
use magistrat_domain::metryka::{self, Act, Entry};
use serde::Serialize;

use crate::cases::store::CaseFile;
use crate::correspondence::store::{self as corr, OutgoingItem};
use crate::correspondence::{
    CorrespondenceStoreError, Delivery, LetterType, NewOutgoing, OutChannel,
};
use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Tx, UtcTime};
use crate::{with_db, with_tx};

type SqlDate = jiff_sqlx::Date;

/// Why a write was refused or failed; mapped to HTTP only at the edge (`web::error`).
#[derive(Debug, thiserror::Error)]
pub enum DocumentsError {
    /// Refused (the Fluent id of the message).
    #[error("refused: {0}")]
    Refused(&'static str),
    /// The letter lacks elements the law requires (the page lists them).
    #[error("the letter lacks required elements")]
    Incomplete(Vec<(Element, Defect)>),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<CorrespondenceStoreError> for DocumentsError {
    fn from(e: CorrespondenceStoreError) -> Self {
        match e {
            CorrespondenceStoreError::Refused(code) => DocumentsError::Refused(code),
            CorrespondenceStoreError::NotFound => DocumentsError::NotFound,
            CorrespondenceStoreError::Db(e) => DocumentsError::Db(e),
        }
    }
}

impl From<FlowError> for DocumentsError {
    fn from(e: FlowError) -> Self {
        DocumentsError::Refused(e.message_key())
    }
}

fn parse_sections(id: i64, json: &str) -> Result<Sections, sqlx::Error> {
    serde_json::from_str(json).map_err(|e| {
        sqlx::Error::Decode(format!("sections of {id} are not a letter's elements: {e}").into())
    })
}

fn sections_json(sections: &Sections) -> String {
    // A map of strings always serialises.
    serde_json::to_string(sections).unwrap_or_else(|_| "{}".to_owned())
}

// ---------------------------------------------------------------------------------
// Templates

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TemplateRow {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub kind: LetterKind,
    pub name: String,
    pub sections: String,
    pub active: bool,
    pub updated_at: UtcTime,
}

impl TemplateRow {
    pub fn sections(&self) -> Result<Sections, sqlx::Error> {
        parse_sections(self.id, &self.sections)
    }
}

/// A template as the editor saves it (checked by `rules`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TemplateData {
    pub kind: LetterKind,
    pub name: String,
    pub sections: Sections,
    pub active: bool,
}

const TEMPLATE_COLUMNS: &str = "id, kind, name, sections, active, updated_at";

pub async fn templates(db: &Db) -> Result<Vec<TemplateRow>, sqlx::Error> {
    let sql = format!("SELECT {TEMPLATE_COLUMNS} FROM letter_template ORDER BY kind, name");
    with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_all(c)
            .await
    })
}

pub async fn template(db: &Db, id: i64) -> Result<Option<TemplateRow>, sqlx::Error> {
    let sql = format!("SELECT {TEMPLATE_COLUMNS} FROM letter_template WHERE id = $1");
    with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(c)
            .await
    })
}

pub async fn create_template(
    tx: &mut Tx,
    actor: &Actor,
    data: &TemplateData,
) -> Result<i64, sqlx::Error> {
    let now = tx.now();
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO letter_template (kind, name, sections, active, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(data.kind.as_str())
        .bind(&data.name)
        .bind(sections_json(&data.sections))
        .bind(data.active)
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(c)
        .await
    })?;
    audit::record(tx, actor, Change::created("letter_template", id, data)).await?;
    Ok(id)
}

pub async fn update_template(
    tx: &mut Tx,
    actor: &Actor,
    before: &TemplateRow,
    data: &TemplateData,
) -> Result<(), sqlx::Error> {
    let now = tx.now();
    with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE letter_template SET kind = $1, name = $2, sections = $3, active = $4, \
             updated_at = $5, updated_by = $6 WHERE id = $7",
        )
        .bind(data.kind.as_str())
        .bind(&data.name)
        .bind(sections_json(&data.sections))
        .bind(data.active)
        .bind(now)
        .bind(actor.user_id)
        .bind(before.id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    let old = TemplateData {
        kind: before.kind,
        name: before.name.clone(),
        sections: before.sections()?,
        active: before.active,
    };
    audit::record(
        tx,
        actor,
        Change::updated("letter_template", before.id, &old, data),
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------
// Authorisations to sign (KPA art. 268a)

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AuthorisationRow {
    pub id: i64,
    pub user_id: i64,
    pub user_name: String,
    pub org_unit_id: i64,
    pub unit_symbol: String,
    pub jrwa_symbol: String,
    pub reference: String,
    pub valid_from: SqlDate,
    pub valid_to: Option<SqlDate>,
    pub revoked_at: Option<UtcTime>,
    pub granted_at: UtcTime,
}

impl AuthorisationRow {
    pub fn rule(&self) -> letters::Authorisation {
        letters::Authorisation {
            unit_ids: vec![self.org_unit_id],
            jrwa_symbol: self.jrwa_symbol.clone(),
            valid_from: self.valid_from.to_jiff(),
            valid_to: self.valid_to.map(|d| d.to_jiff()),
            revoked: self.revoked_at.is_some(),
        }
    }
}

/// A new authorisation (checked by `rules`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewAuthorisation {
    pub user_id: i64,
    pub org_unit_id: i64,
    pub jrwa_symbol: String,
    pub reference: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
}

const AUTH_SELECT: &str = "SELECT s.id, s.user_id, u.display_name AS user_name, s.org_unit_id, \
    o.symbol AS unit_symbol, s.jrwa_symbol, s.reference, s.valid_from, s.valid_to, s.revoked_at, \
    s.granted_at FROM signing_authorisation s JOIN app_user u ON u.id = s.user_id \
    JOIN org_unit o ON o.id = s.org_unit_id";

pub async fn authorisations(db: &Db) -> Result<Vec<AuthorisationRow>, sqlx::Error> {
    let sql = format!("{AUTH_SELECT} ORDER BY u.display_name, s.id");
    with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_all(c)
            .await
    })
}

pub async fn authorisations_of(
    db: &Db,
    user_id: i64,
) -> Result<Vec<AuthorisationRow>, sqlx::Error> {
    let sql = format!("{AUTH_SELECT} WHERE s.user_id = $1 ORDER BY s.id");
    with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(user_id)
            .fetch_all(c)
            .await
    })
}

pub async fn add_authorisation(
    tx: &mut Tx,
    actor: &Actor,
    new: &NewAuthorisation,
) -> Result<i64, sqlx::Error> {
    let now = tx.now();
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO signing_authorisation (user_id, org_unit_id, jrwa_symbol, reference, \
             valid_from, valid_to, granted_at, granted_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(new.user_id)
        .bind(new.org_unit_id)
        .bind(&new.jrwa_symbol)
        .bind(&new.reference)
        .bind(SqlDate::from(new.valid_from))
        .bind(new.valid_to.map(SqlDate::from))
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(c)
        .await
    })?;
    audit::record(tx, actor, Change::created("signing_authorisation", id, new)).await?;
    Ok(id)
}

/// Revokes an authorisation (kept in the register with the moment of revocation).
pub async fn revoke_authorisation(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
) -> Result<(), DocumentsError> {
    let now = tx.now();
    let changed = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE signing_authorisation SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    if changed == 0 {
        return Err(DocumentsError::Refused("auth-already-revoked"));
    }
    audit::record(
        tx,
        actor,
        Change {
            action: "revoke",
            ..Change::updated(
                "signing_authorisation",
                id,
                &serde_json::json!({ "revoked_at": null }),
                &serde_json::json!({ "revoked_at": now.to_canonical() }),
            )
        },
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------
// The person behind an act

/// The first name, surname and position of the person acting, as the metryka and the
/// signature print them (from their employee record; the account's name otherwise).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Person {
    pub first_name: String,
    pub last_name: String,
    pub position: String,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_owned()
    }
}

pub async fn person_in_tx(tx: &mut Tx, actor: &Actor) -> Result<Person, sqlx::Error> {
    let Some(user_id) = actor.user_id else {
        return Ok(Person {
            last_name: actor.login.clone(),
            ..Person::default()
        });
    };
    let employee: Option<(String, String, String)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT first_name, last_name, position FROM employee WHERE user_id = $1 \
             ORDER BY active DESC, id LIMIT 1",
        )
        .bind(user_id)
        .fetch_optional(c)
        .await
    })?;
    if let Some((first_name, last_name, position)) = employee {
        return Ok(Person {
            first_name,
            last_name,
            position,
        });
    }
    let name: Option<String> = with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT display_name FROM app_user WHERE id = $1")
            .bind(user_id)
            .fetch_optional(c)
            .await
    })?;
    Ok(Person {
        last_name: name.unwrap_or_else(|| actor.login.clone()),
        ..Person::default()
    })
}

/// Writes one metryka entry for an act on a document, in the act's transaction.
pub async fn record_act(
    tx: &mut Tx,
    actor: &Actor,
    case_id: i64,
    act: Act,
    document: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    let person = person_in_tx(tx, actor).await?;
    let now = tx.now();
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO case_act (case_id, occurred_at, act, actor_id, first_name, last_name, \
             position, document, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(case_id)
        .bind(now)
        .bind(act.as_str())
        .bind(actor.user_id)
        .bind(&person.first_name)
        .bind(&person.last_name)
        .bind(&person.position)
        .bind(document)
        .bind(detail)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

// ---------------------------------------------------------------------------------
// Letters

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Letter {
    pub id: i64,
    pub case_id: i64,
    pub seq: i32,
    pub identifier: String,
    #[sqlx(try_from = "String")]
    pub kind: LetterKind,
    pub template_id: Option<i64>,
    pub title: String,
    pub sections: String,
    pub without_justification: bool,
    #[sqlx(try_from = "String")]
    pub state: LetterState,
    pub drafted_at: UtcTime,
    pub drafted_by_name: String,
    pub accepted_at: Option<UtcTime>,
    pub accepted_by_name: String,
    pub signed_at: Option<UtcTime>,
    pub issued_on: Option<SqlDate>,
    pub signer_name: String,
    pub signer_position: String,
    pub signature_method: Option<String>,
    pub signed_file_id: Option<i64>,
    pub signed_sha256: String,
    pub outgoing_id: Option<i64>,
}

impl Letter {
    pub fn sections(&self) -> Result<Sections, sqlx::Error> {
        parse_sections(self.id, &self.sections)
    }

    pub fn method(&self) -> Option<SignatureMethod> {
        self.signature_method
            .as_deref()
            .and_then(SignatureMethod::parse)
    }
}

const LETTER_SELECT: &str = "SELECT l.id, l.case_id, l.seq, l.identifier, l.kind, l.template_id, \
    l.title, l.sections, l.without_justification, l.state, l.drafted_at, \
    COALESCE(d.display_name, '') AS drafted_by_name, l.accepted_at, \
    COALESCE(a.display_name, '') AS accepted_by_name, l.signed_at, l.issued_on, l.signer_name, \
    l.signer_position, l.signature_method, l.signed_file_id, l.signed_sha256, l.outgoing_id \
    FROM case_letter l LEFT JOIN app_user d ON d.id = l.drafted_by \
    LEFT JOIN app_user a ON a.id = l.accepted_by";

pub async fn letter(db: &Db, id: i64) -> Result<Option<Letter>, sqlx::Error> {
    let sql = format!("{LETTER_SELECT} WHERE l.id = $1");
    with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(c)
            .await
    })
}

async fn letter_in_tx(tx: &mut Tx, id: i64) -> Result<Letter, DocumentsError> {
    let sql = format!("{LETTER_SELECT} WHERE l.id = $1");
    let row: Option<Letter> = with_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(c)
            .await
    })?;
    row.ok_or(DocumentsError::NotFound)
}

pub async fn letters_of_case(db: &Db, case_id: i64) -> Result<Vec<Letter>, sqlx::Error> {
    let sql = format!("{LETTER_SELECT} WHERE l.case_id = $1 ORDER BY l.seq");
    with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(case_id)
            .fetch_all(c)
            .await
    })
}

/// A new letter's content: its kind, title and the elements filled from the template.
#[derive(Clone, Debug, Serialize)]
pub struct NewLetter {
    pub kind: LetterKind,
    pub template_id: Option<i64>,
    pub title: String,
    pub sections: Sections,
}

/// Drafts a letter in a case: the next number in the case, its identifier (the znak
/// and that number), the metryka entry, the audit event.
pub async fn draft_letter(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseFile,
    new: &NewLetter,
) -> Result<Letter, DocumentsError> {
    // The audit head first: it serialises writers on both databases, so two drafts in
    // one case cannot take the same number.
    audit::lock_head(tx).await?;
    let seq: i32 = with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM case_letter WHERE case_id = $1")
            .bind(case.id)
            .fetch_one(c)
            .await
    })?;
    let identifier = format!("{}/{seq}", case.znak);
    let now = tx.now();
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO case_letter (case_id, seq, identifier, kind, template_id, title, sections, \
             without_justification, state, drafted_at, drafted_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, FALSE, 'draft', $8, $9, $8) RETURNING id",
        )
        .bind(case.id)
        .bind(seq)
        .bind(&identifier)
        .bind(new.kind.as_str())
        .bind(new.template_id)
        .bind(&new.title)
        .bind(sections_json(&new.sections))
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(c)
        .await
    })?;
    record_act(
        tx,
        actor,
        case.id,
        Act::DocumentDrafted,
        &identifier,
        new.kind.source(),
    )
    .await?;
    audit::record(
        tx,
        actor,
        Change::created(
            "case_letter",
            id,
            &serde_json::json!({ "case_id": case.id, "identifier": identifier, "letter": new }),
        ),
    )
    .await?;
    letter_in_tx(tx, id).await
}

/// Saves the official's edits of a draft (only a draft may change).
pub async fn edit_letter(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    title: &str,
    sections: &Sections,
    without_justification: bool,
) -> Result<(), DocumentsError> {
    let before = letter_in_tx(tx, id).await?;
    letters::next(before.state, LetterAction::Edit)?;
    let now = tx.now();
    let changed = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE case_letter SET title = $1, sections = $2, without_justification = $3, \
             updated_at = $4 WHERE id = $5 AND state = 'draft'",
        )
        .bind(title)
        .bind(sections_json(sections))
        .bind(without_justification)
        .bind(now)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    if changed == 0 {
        return Err(FlowError::NotDraft.into());
    }
    audit::record(
        tx,
        actor,
        Change::updated(
            "case_letter",
            id,
            &serde_json::json!({ "title": before.title, "sections": before.sections()?,
                "without_justification": before.without_justification }),
            &serde_json::json!({ "title": title, "sections": sections,
                "without_justification": without_justification }),
        ),
    )
    .await?;
    Ok(())
}

/// A state change of a letter: the state it goes to, extra assignments of the update
/// (`$2` is the moment), the act for the metryka with its detail, and what the audit
/// event records besides the state.
struct Move<'a> {
    to: LetterState,
    set: &'a str,
    act: Act,
    detail: &'a str,
    after: serde_json::Value,
}

/// A state change of a letter, conditional on the state read, with its metryka entry
/// and audit event.
async fn move_letter(
    tx: &mut Tx,
    actor: &Actor,
    letter: &Letter,
    step: Move<'_>,
) -> Result<(), DocumentsError> {
    let Move {
        to,
        set,
        act,
        detail,
        after,
    } = step;
    let now = tx.now();
    let sql = format!(
        "UPDATE case_letter SET state = $1, updated_at = $2{set} WHERE id = $3 AND state = $4"
    );
    let changed = with_tx!(tx, |c| {
        sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(to.as_str())
            .bind(now)
            .bind(letter.id)
            .bind(letter.state.as_str())
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    if changed == 0 {
        return Err(DocumentsError::Refused("letter-changed-meanwhile"));
    }
    record_act(tx, actor, letter.case_id, act, &letter.identifier, detail).await?;
    audit::record(
        tx,
        actor,
        Change {
            action: act.as_str(),
            ..Change::updated(
                "case_letter",
                letter.id,
                &serde_json::json!({ "state": letter.state.as_str() }),
                &serde_json::json!({ "state": to.as_str(), "details": after }),
            )
        },
    )
    .await?;
    Ok(())
}

/// Accepts a draft: refused unless the letter has every element its kind requires
/// (KPA art. 107 § 1 for a decision, and so on: `magistrat_domain::letters::check`).
/// The caller has checked that the actor is the head or holds an authorisation.
pub async fn accept(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    today: Date,
) -> Result<(), DocumentsError> {
    let letter = letter_in_tx(tx, id).await?;
    let to = letters::next(letter.state, LetterAction::Accept)?;
    let defects = letters::check(
        letter.kind,
        &letter.sections()?,
        letter.without_justification,
        today,
    );
    if !defects.is_empty() {
        return Err(DocumentsError::Incomplete(defects));
    }
    let set = format!(", accepted_at = $2, accepted_by = {}", user_sql(actor));
    move_letter(
        tx,
        actor,
        &letter,
        Move {
            to,
            set: &set,
            act: Act::DocumentAccepted,
            detail: "",
            after: serde_json::json!({}),
        },
    )
    .await
}

/// The actor's user id as a SQL literal (an integer or NULL: never text from outside).
fn user_sql(actor: &Actor) -> String {
    actor
        .user_id
        .map_or_else(|| "NULL".to_owned(), |id| id.to_string())
}

/// Returns an accepted letter to its draft, for corrections.
pub async fn return_to_draft(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    reason: &str,
) -> Result<(), DocumentsError> {
    let letter = letter_in_tx(tx, id).await?;
    let to = letters::next(letter.state, LetterAction::Return)?;
    move_letter(
        tx,
        actor,
        &letter,
        Move {
            to,
            set: ", accepted_at = NULL, accepted_by = NULL",
            act: Act::DocumentReturned,
            detail: reason,
            after: serde_json::json!({ "reason": reason }),
        },
    )
    .await
}

/// How a letter is being signed: on paper, or electronically outside Magistrat with the
/// signed file already stored (its id and SHA-256).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signature {
    Handwritten,
    Electronic { file_id: i64, sha256: String },
}

/// Signs an accepted letter. The signer's first name, surname and position are taken
/// from their employee record (KPA art. 107 § 1 pkt 8, art. 124 § 1); someone without a
/// position on record cannot sign. The day of signing is the date of issue (pkt 2).
pub async fn sign(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    signature: &Signature,
) -> Result<(), DocumentsError> {
    let letter = letter_in_tx(tx, id).await?;
    let to = letters::next(letter.state, LetterAction::Sign)?;
    let signer = person_in_tx(tx, actor).await?;
    if signer.position.trim().is_empty() || signer.first_name.trim().is_empty() {
        return Err(DocumentsError::Refused("letter-signer-no-position"));
    }
    let issued_on = tx.now().in_warsaw().date();
    let (method, file_id, sha) = match signature {
        Signature::Handwritten => (SignatureMethod::Handwritten, None, String::new()),
        Signature::Electronic { file_id, sha256 } => {
            (SignatureMethod::Electronic, Some(*file_id), sha256.clone())
        }
    };
    // Bound values would be neater, but move_letter's statement is shared: the values
    // are written by a second statement in the same transaction, before the move.
    with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE case_letter SET signed_by = $1, issued_on = $2, signer_name = $3, \
             signer_position = $4, signature_method = $5, signed_file_id = $6, signed_sha256 = $7 \
             WHERE id = $8 AND state = 'accepted'",
        )
        .bind(actor.user_id)
        .bind(SqlDate::from(issued_on))
        .bind(signer.full_name())
        .bind(&signer.position)
        .bind(method.as_str())
        .bind(file_id)
        .bind(&sha)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    move_letter(
        tx,
        actor,
        &letter,
        Move {
            to,
            set: ", signed_at = $2",
            act: Act::DocumentSigned,
            detail: method.as_str(),
            after: serde_json::json!({
                "method": method.as_str(),
                "signer": signer,
                "issued_on": issued_on.to_string(),
                "signed_file_id": file_id,
                "signed_sha256": sha,
            }),
        },
    )
    .await
}

/// Where and how a signed letter goes out (checked by `rules`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Dispatch {
    pub channel: OutChannel,
    pub letter_type: Option<LetterType>,
    /// The numer nadania of a registered letter, or empty.
    pub tracking_number: String,
    pub recipient_name: String,
    pub recipient_address: String,
    pub electronic_address: String,
    pub sent_on: Date,
}

/// Sends a signed letter: registers the outgoing item (the correspondence register's
/// own function, its number from the register's counter) with the signed file when
/// there is one, and links it to the letter — one transaction.
pub async fn dispatch(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseFile,
    id: i64,
    how: &Dispatch,
    subject: String,
) -> Result<String, DocumentsError> {
    let letter = letter_in_tx(tx, id).await?;
    if letter.case_id != case.id {
        return Err(DocumentsError::NotFound);
    }
    let to = letters::next(letter.state, LetterAction::Dispatch)?;
    let new = NewOutgoing {
        channel: how.channel,
        letter_type: how.letter_type,
        tracking_number: how.tracking_number.clone(),
        recipient_name: how.recipient_name.clone(),
        recipient_address: how.recipient_address.clone(),
        electronic_address: how.electronic_address.clone(),
        subject,
        sent_on: how.sent_on,
        org_unit_id: case.unit_id,
        case_id: Some(case.id),
        notes: letter.identifier.clone(),
        attachments: letter.signed_file_id.into_iter().collect(),
    };
    let item = corr::register_outgoing(tx, actor, &new).await?;
    let set = format!(", outgoing_id = {}", item.id);
    move_letter(
        tx,
        actor,
        &letter,
        Move {
            to,
            set: &set,
            act: Act::DocumentSent,
            detail: &item.register_number,
            after: serde_json::json!({ "outgoing_id": item.id, "register_number": item.register_number,
            "channel": how.channel.as_str() }),
        },
    )
    .await?;
    Ok(item.register_number)
}

/// Records the proof of delivery of a sent letter: the correspondence register's own
/// function records it on the outgoing item (with the proof's file), and the letter is
/// marked delivered — one transaction. The date lies between the dispatch and today.
pub async fn deliver(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    item: &OutgoingItem,
    delivery: &Delivery,
    proof: Option<i64>,
    today: Date,
) -> Result<(), DocumentsError> {
    let letter = letter_in_tx(tx, id).await?;
    if letter.outgoing_id != Some(item.id) {
        return Err(DocumentsError::NotFound);
    }
    let to = letters::next(letter.state, LetterAction::Deliver)?;
    match letters::check_delivery_date(item.sent_on.to_jiff(), delivery.delivered_on, today) {
        Ok(()) => {}
        Err(letters::DeliveryDateError::BeforeDispatch) => {
            return Err(DocumentsError::Refused("letter-delivered-before-dispatch"));
        }
        Err(letters::DeliveryDateError::InFuture) => {
            return Err(DocumentsError::Refused("letter-delivered-in-future"));
        }
    }
    corr::record_delivery(tx, actor, item, delivery, proof).await?;
    move_letter(
        tx,
        actor,
        &letter,
        Move {
            to,
            set: "",
            act: Act::DocumentDelivered,
            detail: &delivery.delivered_on.to_string(),
            after: serde_json::json!({ "delivered_on": delivery.delivered_on.to_string(),
            "proof_file_id": proof }),
        },
    )
    .await
}

/// The legal basis on the service card of the application the case came from, if any.
pub async fn card_legal_basis(db: &Db, case_id: i64) -> Result<Vec<String>, sqlx::Error> {
    let code: Option<String> = with_db!(db, |c| {
        sqlx::query_scalar(
            "SELECT s.code FROM application a JOIN service_card s ON s.id = a.service_card_id \
             WHERE a.case_id = $1",
        )
        .bind(case_id)
        .fetch_optional(c)
        .await
    })?;
    let Some(code) = code else {
        return Ok(Vec::new());
    };
    Ok(crate::service_cards::store::card_by_code(db, &code)
        .await?
        .map(|card| card.data.legal_basis)
        .unwrap_or_default())
}

// ---------------------------------------------------------------------------------
// The akta: every document of a case in one list

/// One document in the case file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// When it entered the file (received, drafted, sent), to order the list.
    pub at: UtcTime,
    pub direction: Direction,
    /// The identifier in the file: the register number of a letter received or sent,
    /// the letter's identifier for a letter drafted here.
    pub identifier: String,
    /// Who sent it or to whom it went.
    pub party: String,
    pub subject: String,
    /// Where to read it.
    pub href: String,
    /// A letter's state, if it is one of the case's letters.
    pub letter_state: Option<LetterState>,
    pub letter_kind: Option<LetterKind>,
    /// Incoming items: their id, for the dekretacja.
    pub incoming_id: Option<i64>,
    /// What went out by registered post: its numer nadania (else empty).
    pub tracking_number: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Incoming,
    Outgoing,
    Letter,
}

/// A letter received or sent as the registers hold it.
#[derive(sqlx::FromRow)]
struct RegisteredRow {
    id: i64,
    register_number: String,
    at: UtcTime,
    party: String,
    subject: String,
    tracking_number: String,
}

impl RegisteredRow {
    fn document(self, direction: Direction) -> Document {
        let (href, incoming_id) = match direction {
            Direction::Incoming => (format!("/staff/correspondence/{}", self.id), Some(self.id)),
            _ => (format!("/staff/correspondence/outgoing/{}", self.id), None),
        };
        Document {
            at: self.at,
            direction,
            identifier: self.register_number,
            party: self.party,
            subject: self.subject,
            href,
            letter_state: None,
            letter_kind: None,
            incoming_id,
            tracking_number: self.tracking_number,
        }
    }
}

/// Every document of the case, in the order it entered the file.
pub async fn documents(db: &Db, case_id: i64) -> Result<Vec<Document>, sqlx::Error> {
    let incoming: Vec<RegisteredRow> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, register_number, received_at AS at, sender_name AS party, subject, \
             '' AS tracking_number FROM incoming_item WHERE case_id = $1",
        )
        .bind(case_id)
        .fetch_all(c)
        .await
    })?;
    let outgoing: Vec<RegisteredRow> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT o.id, o.register_number, o.registered_at AS at, o.recipient_name AS party, \
             o.subject, o.tracking_number FROM outgoing_item o WHERE o.case_id = $1 \
             AND NOT EXISTS (SELECT 1 FROM case_letter l WHERE l.outgoing_id = o.id)",
        )
        .bind(case_id)
        .fetch_all(c)
        .await
    })?;
    let mut docs: Vec<Document> = incoming
        .into_iter()
        .map(|row| row.document(Direction::Incoming))
        .collect();
    docs.extend(
        outgoing
            .into_iter()
            .map(|row| row.document(Direction::Outgoing)),
    );
    // The numer nadania of the letters sent by registered post.
    let tracking: Vec<(i64, String)> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT l.id, o.tracking_number FROM case_letter l \
             JOIN outgoing_item o ON o.id = l.outgoing_id WHERE l.case_id = $1",
        )
        .bind(case_id)
        .fetch_all(c)
        .await
    })?;
    docs.extend(letters_of_case(db, case_id).await?.into_iter().map(|l| {
        Document {
            tracking_number: tracking
                .iter()
                .find(|(id, _)| *id == l.id)
                .map(|(_, t)| t.clone())
                .unwrap_or_default(),
            at: l.drafted_at,
            direction: Direction::Letter,
            identifier: l.identifier,
            party: String::new(),
            subject: l.title,
            href: format!("/staff/letters/{}", l.id),
            letter_state: Some(l.state),
            letter_kind: Some(l.kind),
            incoming_id: None,
        }
    }));
    docs.sort_by(|a, b| {
        a.at.to_canonical()
            .cmp(&b.at.to_canonical())
            .then(a.identifier.cmp(&b.identifier))
    });
    Ok(docs)
}

// ---------------------------------------------------------------------------------
// Dekretacja

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DekretacjaRow {
    pub id: i64,
    pub incoming_id: i64,
    pub assigned_at: UtcTime,
    pub assigned_by_name: String,
    pub to_user_id: i64,
    pub to_name: String,
    pub instruction: String,
}

pub async fn dekretacje(db: &Db, incoming_id: i64) -> Result<Vec<DekretacjaRow>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT d.id, d.incoming_id, d.assigned_at, COALESCE(b.display_name, '') AS assigned_by_name, \
             d.to_user_id, t.display_name AS to_name, d.instruction FROM incoming_dekretacja d \
             LEFT JOIN app_user b ON b.id = d.assigned_by JOIN app_user t ON t.id = d.to_user_id \
             WHERE d.incoming_id = $1 ORDER BY d.id",
        )
        .bind(incoming_id)
        .fetch_all(c)
        .await
    })
}

/// A dekretacja to record: the item (its number, its case if any), to whom, with what
/// instruction.
#[derive(Clone, Copy, Debug)]
pub struct NewDekretacja<'a> {
    pub incoming_id: i64,
    pub register_number: &'a str,
    pub case_id: Option<i64>,
    pub to_user_id: i64,
    pub to_name: &'a str,
    pub instruction: &'a str,
}

/// Records a dekretacja: who assigned the item to whom, when, with what instruction.
/// When the item belongs to a case, the act enters the case's metryka.
pub async fn dekretuj(
    tx: &mut Tx,
    actor: &Actor,
    new: &NewDekretacja<'_>,
) -> Result<i64, sqlx::Error> {
    let NewDekretacja {
        incoming_id,
        register_number,
        case_id,
        to_user_id,
        to_name,
        instruction,
    } = *new;
    let now = tx.now();
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO incoming_dekretacja (incoming_id, assigned_at, assigned_by, to_user_id, \
             instruction) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(incoming_id)
        .bind(now)
        .bind(actor.user_id)
        .bind(to_user_id)
        .bind(instruction)
        .fetch_one(c)
        .await
    })?;
    if let Some(case_id) = case_id {
        let detail = if instruction.is_empty() {
            to_name.to_owned()
        } else {
            format!("{to_name}: {instruction}")
        };
        record_act(
            tx,
            actor,
            case_id,
            Act::IncomingAssigned,
            register_number,
            &detail,
        )
        .await?;
    }
    audit::record(
        tx,
        actor,
        Change::created(
            "incoming_dekretacja",
            id,
            &serde_json::json!({ "incoming_id": incoming_id, "to_user_id": to_user_id,
                "instruction": instruction }),
        ),
    )
    .await?;
    Ok(id)
}

// ---------------------------------------------------------------------------------
// The metryka

/// Every act on the case, in order: the workflow's steps from the case history (the
/// person's name and position from their employee record) and the acts on documents
/// (kept with the name and position they had at the act).
pub async fn metryka(db: &Db, case: &CaseFile) -> Result<Vec<Entry>, sqlx::Error> {
    type StepRow = (
        i64,
        UtcTime,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let steps: Vec<StepRow> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT ce.id, ce.occurred_at, ce.action, ce.note, ce.actor_name, e.first_name, \
             e.last_name, e.position FROM case_event ce \
             LEFT JOIN employee e ON e.user_id = ce.actor_id AND ce.actor_id IS NOT NULL \
             WHERE ce.case_id = $1 ORDER BY ce.id",
        )
        .bind(case.id)
        .fetch_all(c)
        .await
    })?;
    let receipt: Option<String> = match case.correspondence_id {
        Some(id) => with_db!(db, |c| {
            sqlx::query_scalar("SELECT register_number FROM incoming_item WHERE id = $1")
                .bind(id)
                .fetch_optional(c)
                .await
        })?,
        None => None,
    };
    let mut entries = Vec::new();
    for (id, at, action, note, actor_name, first, last, position) in steps {
        let Some(act) = Act::of_case_step(&action) else {
            continue;
        };
        let (first_name, last_name) = match (first, last) {
            (Some(f), Some(l)) => (f, l),
            _ => (String::new(), actor_name),
        };
        entries.push(Entry {
            at: at.to_canonical(),
            tie: id,
            act,
            first_name,
            last_name,
            position: position.unwrap_or_default(),
            document: if act == Act::Registered {
                receipt.clone().unwrap_or_default()
            } else {
                String::new()
            },
            detail: note,
        });
    }
    type ActRow = (i64, UtcTime, String, String, String, String, String, String);
    let acts: Vec<ActRow> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, occurred_at, act, first_name, last_name, position, document, detail \
             FROM case_act WHERE case_id = $1 ORDER BY id",
        )
        .bind(case.id)
        .fetch_all(c)
        .await
    })?;
    for (id, at, act, first_name, last_name, position, document, detail) in acts {
        let act = Act::parse(&act).ok_or_else(|| {
            sqlx::Error::Decode(format!("unknown metryka act `{act}` in case_act {id}").into())
        })?;
        entries.push(Entry {
            at: at.to_canonical(),
            // After the case history's acts of the same moment.
            tie: i64::MAX / 2 + id,
            act,
            first_name,
            last_name,
            position,
            document,
            detail,
        });
    }
    Ok(metryka::ordered(entries))
}

// ---------------------------------------------------------------------------------
// The workbench: letters waiting for their dekretacja

/// A letter received that nobody has assigned yet: no dekretacja and no case.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AwaitingDekretacja {
    pub id: i64,
    pub register_number: String,
    pub received_at: UtcTime,
    pub sender_name: String,
    pub subject: String,
}

/// The condition of an item awaiting its dekretacja in `units` (None: the office).
fn awaiting_where(units: Option<&[i64]>) -> String {
    let scope = match units {
        None => String::new(),
        // Ids from the database, written as numbers: nothing a user typed.
        Some(units) => format!(
            " AND i.org_unit_id IN ({})",
            units
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!(
        "WHERE i.case_id IS NULL AND NOT EXISTS \
         (SELECT 1 FROM incoming_dekretacja d WHERE d.incoming_id = i.id){scope}"
    )
}

/// The oldest letters awaiting their dekretacja in `units`, and how many there are (up
/// to `cap`).
pub async fn awaiting_dekretacja(
    db: &Db,
    units: Option<&[i64]>,
    limit: i64,
    cap: i64,
) -> Result<(Vec<AwaitingDekretacja>, i64), sqlx::Error> {
    if units.is_some_and(<[i64]>::is_empty) {
        return Ok((Vec::new(), 0));
    }
    let condition = awaiting_where(units);
    let list = format!(
        "SELECT i.id, i.register_number, i.received_at, i.sender_name, i.subject \
         FROM incoming_item i {condition} ORDER BY i.received_at, i.id LIMIT {limit}"
    );
    let count = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM incoming_item i {condition} LIMIT {cap}) AS m"
    );
    let items: Vec<AwaitingDekretacja> = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(list.clone()))
            .fetch_all(c)
            .await
    })?;
    let n: i64 = with_db!(db, |c| {
        sqlx::query_scalar(sqlx::AssertSqlSafe(count.clone()))
            .fetch_one(c)
            .await
    })?;
    Ok((items, n))
}
