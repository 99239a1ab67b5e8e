//! Filing an application: files, incoming item, case and the application record in one
//! transaction, so a failed filing leaves nothing behind and a repeated one (same
//! submission key) returns the first.

use jiff::Timestamp;
use sqlx::Row;

use super::filing::{Applicant, FiledDocument};
use crate::attachments::{self, CheckedFile};
use crate::cases::store::{self as cases, NewCase};
use crate::correspondence::{self, NewIncoming, Sender};
use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Tx, UtcTime};
use crate::platform::write_queue;
use crate::service_cards::store::ServiceCard;
use crate::{with_db, with_tx};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Web,
    Api,
}

impl Via {
    fn as_str(self) -> &'static str {
        match self {
            Via::Web => "web",
            Via::Api => "api",
        }
    }
}

pub struct NewApplication<'a> {
    pub card: &'a ServiceCard,
    pub jrwa_symbol: String,
    pub document: FiledDocument,
    /// The checked files, in the order of `document.files`.
    pub files: Vec<CheckedFile>,
    /// The client's key scoped to the client (`filing::scoped_submission_key`).
    pub submission_key: String,
    /// SHA-256 of the request as sent (`filing::SentRequest`).
    pub request_sha256: String,
    pub via: Via,
    pub applicant: Applicant,
    pub submitted_at: Timestamp,
}

/// What became of a filing under a submission key.
#[derive(Debug)]
pub enum Recorded {
    /// Filed now, or before by the same request (`Filed::repeated`).
    Filed(Box<Filed>),
    /// The key was used before for a different request: nothing filed, nothing shown.
    KeyReused,
}

/// A filed application, as its confirmation shows it.
#[derive(Clone, Debug)]
pub struct Filed {
    pub znak: String,
    pub tracking_code: String,
    pub due_date: jiff::civil::Date,
    pub register_number: String,
    pub submitted_at: Timestamp,
    pub document: FiledDocument,
    pub sha256: String,
    /// This filing had been made before (a double click, a retry).
    pub repeated: bool,
}

/// Files the application. The caller has validated the form and checked the files.
///
/// The filing is a job of the write queue (platform::write_queue): when residents file
/// at the same moment, their filings share one transaction and one fsync, each in its
/// own savepoint, and each is answered only once that transaction is committed.
pub async fn file(
    db: &Db,
    actor: &Actor,
    new: NewApplication<'_>,
) -> Result<Recorded, ApplicationError> {
    if let Some(earlier) = by_submission_key(db, &new.submission_key).await? {
        return Ok(earlier.repeat_of(&new.request_sha256));
    }
    let key = new.submission_key.clone();
    let request_sha256 = new.request_sha256.clone();
    let filing = Filing {
        card: new.card.clone(),
        jrwa_symbol: new.jrwa_symbol,
        document: new.document,
        files: new.files,
        submission_key: new.submission_key,
        request_sha256: new.request_sha256,
        via: new.via,
        applicant: new.applicant,
        submitted_at: new.submitted_at,
    };
    let actor = actor.clone();
    let written = write_queue::submit(db, move |tx| {
        Box::pin(async move { filing.write(tx, &actor).await })
    })
    .await;
    match written {
        Ok(filed) => Ok(Recorded::Filed(Box::new(filed))),
        // The same form sent twice at once: the other request won the key; its filing
        // stands and this one (its case number included) was rolled back.
        Err(FilingError::KeyTaken) => {
            let earlier = by_submission_key(db, &key)
                .await?
                .ok_or(ApplicationError::InProgress)?;
            Ok(earlier.repeat_of(&request_sha256))
        }
        Err(FilingError::Failed(e)) => Err(e),
    }
}

/// Why an e-service application was not filed, in the capability's own words: the
/// web's `AppError` is made from it at the edge (`web::error`), the API and the form
/// alike.
#[derive(Debug, thiserror::Error)]
pub enum ApplicationError {
    /// The card is unknown, unpublished, not online or without a JRWA class.
    #[error("no e-service under this card")]
    NotOffered,
    /// The same submission key is being filed by another request right now.
    #[error("the same application is being filed")]
    InProgress,
    #[error(transparent)]
    Case(#[from] cases::CaseStoreError),
    #[error(transparent)]
    Correspondence(#[from] correspondence::CorrespondenceStoreError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Why a filing's savepoint was rolled back.
enum FilingError {
    /// Another filing holds the submission key.
    KeyTaken,
    Failed(ApplicationError),
}

impl From<sqlx::Error> for FilingError {
    fn from(e: sqlx::Error) -> Self {
        FilingError::Failed(e.into())
    }
}

impl From<cases::CaseStoreError> for FilingError {
    fn from(e: cases::CaseStoreError) -> Self {
        FilingError::Failed(e.into())
    }
}

impl From<correspondence::CorrespondenceStoreError> for FilingError {
    fn from(e: correspondence::CorrespondenceStoreError) -> Self {
        FilingError::Failed(e.into())
    }
}

/// A [`NewApplication`] owned by the write queue's job.
struct Filing {
    card: ServiceCard,
    jrwa_symbol: String,
    document: FiledDocument,
    files: Vec<CheckedFile>,
    submission_key: String,
    request_sha256: String,
    via: Via,
    applicant: Applicant,
    submitted_at: Timestamp,
}

impl Filing {
    /// Files, incoming item, case, application record and their audit events.
    async fn write(self, tx: &mut Tx, actor: &Actor) -> Result<Filed, FilingError> {
        let new = self;
        let card = &new.card.data;
        let sha256 = new.document.sha256();
        let mut attachment_ids = Vec::with_capacity(new.files.len());
        for file in &new.files {
            attachment_ids.push(attachments::store(tx, actor, file).await?.0);
        }
        let sender_name = if new.applicant.name.is_empty() {
            new.applicant.email.clone()
        } else {
            new.applicant.name.clone()
        };
        let subject: String = format!("{} ({})", card.name, card.code)
            .chars()
            .take(500)
            .collect();
        let incoming = new
            .file_incoming(tx, actor, &sender_name, &subject, &sha256, attachment_ids)
            .await?;
        let received_on = new.submitted_at.to_zoned(crate::WARSAW.clone()).date();
        let case = cases::register_case(
            tx,
            actor,
            NewCase {
                unit_id: card.org_unit_id,
                jrwa_symbol: new.jrwa_symbol.clone(),
                kind: card.case_kind,
                title: subject,
                party_name: sender_name,
                party_address: new.applicant.address.clone(),
                party_email: new.applicant.email.clone(),
                publish_consent: false,
                received_on,
                channel: cases::Channel::Eservice,
                correspondence_id: Some(incoming.id),
                official_id: None,
            },
        )
        .await?;
        correspondence::link_case(tx, actor, incoming.id, case.id).await?;
        // The card's fees become the case's fees due (opłata skarbowa, decision 0050).
        let fees: Vec<cases::NewFee> = card
            .fees
            .iter()
            .map(|f| cases::NewFee {
                kind: magistrat_domain::stamp_duty::FeeKind::Request
                    .as_str()
                    .to_owned(),
                description: f.description.clone(),
                tariff: f.tariff.clone(),
                amount_grosze: f.amount_grosze,
            })
            .collect();
        cases::copy_card_fees(tx, actor, case.id, &fees).await?;
        let id = new.insert_record(tx, case.id, incoming.id, &sha256).await?;
        audit::record(
            tx,
            actor,
            Change::created(
                "application",
                id,
                &serde_json::json!({
                    "service_card": card.code,
                    "znak": case.znak,
                    "register_number": incoming.register_number,
                    "via": new.via.as_str(),
                    "document_sha256": sha256,
                }),
            ),
        )
        .await?;
        Ok(Filed {
            znak: case.znak,
            tracking_code: case.tracking_code,
            due_date: case.due_date,
            register_number: incoming.register_number,
            submitted_at: new.submitted_at,
            document: new.document,
            sha256,
            repeated: false,
        })
    }

    /// The incoming item: the filing enters the correspondence register first.
    async fn file_incoming(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        sender_name: &str,
        subject: &str,
        sha256: &str,
        attachment_ids: Vec<i64>,
    ) -> Result<correspondence::RegisteredIncoming, correspondence::CorrespondenceStoreError> {
        correspondence::register_incoming(
            tx,
            actor,
            &NewIncoming {
                channel: correspondence::Channel::Eservice,
                received_at: UtcTime(self.submitted_at),
                sender: Sender {
                    name: sender_name.chars().take(300).collect(),
                    address: self.applicant.address.clone(),
                    email: self.applicant.email.clone(),
                    ..Sender::default()
                },
                sender_reference: String::new(),
                sender_dated_on: None,
                posted_on: None,
                subject: subject.to_owned(),
                channel_ids: Default::default(),
                pages: None,
                paper_attachments: None,
                org_unit_id: self.card.data.org_unit_id,
                case_id: None,
                notes: format!("SHA-256: {sha256}"),
                attachments: attachment_ids,
                proofs: Vec::new(),
            },
        )
        .await
    }

    /// The application record; a unique violation means another filing took the key.
    async fn insert_record(
        &self,
        tx: &mut Tx,
        case_id: i64,
        incoming_id: i64,
        sha256: &str,
    ) -> Result<i64, FilingError> {
        let json = self.document.canonical_json();
        let inserted: Result<i64, sqlx::Error> = with_tx!(tx, |c| {
            sqlx::query_scalar(
                "INSERT INTO application (submission_key, service_card_id, case_id, incoming_id, via, \
                 lang, applicant_email, submitted_at, document, document_sha256, request_sha256) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(&self.submission_key)
            .bind(self.card.id)
            .bind(case_id)
            .bind(incoming_id)
            .bind(self.via.as_str())
            .bind(&self.document.lang)
            .bind(self.applicant.email.to_lowercase())
            .bind(UtcTime(self.submitted_at))
            .bind(&json)
            .bind(sha256)
            .bind(&self.request_sha256)
            .fetch_one(c)
            .await
        });
        match inserted {
            Ok(id) => Ok(id),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(FilingError::KeyTaken),
            Err(e) => Err(e.into()),
        }
    }
}

const FILED_COLUMNS: &str = "a.document, a.document_sha256, a.submitted_at, c.znak, c.tracking_code, \
     c.due_on, i.register_number FROM application a JOIN case_file c ON c.id = a.case_id \
     JOIN incoming_item i ON i.id = a.incoming_id";

/// A filing found under a submission key, with the hash of the request that made it.
struct Earlier {
    filed: Filed,
    /// `None` for filings made before requests were hashed (migration 0013).
    request_sha256: Option<String>,
}

impl Earlier {
    /// The answer to a repeat: the first filing only to the very same request (which
    /// learns nothing it had not been told the first time); any other request under
    /// the key is refused without a word about the filing.
    fn repeat_of(self, request_sha256: &str) -> Recorded {
        if self.request_sha256.as_deref() == Some(request_sha256) {
            let mut filed = self.filed;
            filed.repeated = true;
            Recorded::Filed(Box::new(filed))
        } else {
            Recorded::KeyReused
        }
    }
}

async fn by_submission_key(db: &Db, key: &str) -> Result<Option<Earlier>, sqlx::Error> {
    let sql = format!("SELECT a.request_sha256, {FILED_COLUMNS} WHERE a.submission_key = $1");
    let row = with_db!(db, |c| {
        sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(key)
            .fetch_optional(c)
            .await
            .and_then(|row| {
                row.map(|r| {
                    Ok(Earlier {
                        request_sha256: r.try_get("request_sha256")?,
                        filed: filed_from_row(&r)?,
                    })
                })
                .transpose()
            })
    })?;
    Ok(row)
}

/// How many applications were filed through each card: (card id, count), most
/// first (the catalogue suggests the most used cards when a search finds nothing).
pub async fn counts_by_card(db: &Db) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT service_card_id, COUNT(*) FROM application GROUP BY service_card_id \
             ORDER BY COUNT(*) DESC, service_card_id",
        )
        .fetch_all(c)
        .await
    })
}

/// The application filed under this case's tracking code (the code is the resident's
/// proof of being the one who filed: 60 random bits).
pub async fn by_tracking_code(db: &Db, code: &str) -> Result<Option<Filed>, sqlx::Error> {
    let Some(code) = cases::normalize_tracking_code(code) else {
        return Ok(None);
    };
    filed_where(db, "c.tracking_code = $1", &code).await
}

async fn filed_where(db: &Db, condition: &str, value: &str) -> Result<Option<Filed>, sqlx::Error> {
    let sql = format!("SELECT {FILED_COLUMNS} WHERE {condition}");
    let row = with_db!(db, |c| {
        sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(value)
            .fetch_optional(c)
            .await
            .and_then(|row| row.map(|r| filed_from_row(&r)).transpose())
    })?;
    Ok(row)
}

fn filed_from_row<R: Row>(row: &R) -> Result<Filed, sqlx::Error>
where
    for<'r> &'r str: sqlx::ColumnIndex<R>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> UtcTime: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> jiff_sqlx::Date: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let json: String = row.try_get("document")?;
    let document: FiledDocument =
        serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let submitted_at: UtcTime = row.try_get("submitted_at")?;
    let due: jiff_sqlx::Date = row.try_get("due_on")?;
    Ok(Filed {
        znak: row.try_get("znak")?,
        tracking_code: row.try_get("tracking_code")?,
        due_date: due.to_jiff(),
        register_number: row.try_get("register_number")?,
        submitted_at: submitted_at.0,
        sha256: row.try_get("document_sha256")?,
        document,
        repeated: false,
    })
}
