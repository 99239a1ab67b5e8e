//! Filing an e-service application, whoever sends it: the web form
//! (`pages::submit`) and the API (`POST /api/v1/applications`) both hand what they
//! received to [`apply`] and only turn its [`Outcome`] into their own answer (a page or
//! JSON). The checks are the same for both: the card's form definition
//! (`validate_submission`), the shared file store's rules (`attachments::check`: type by
//! content, size, safe name) and the card's own file rules (types, size, count).

use std::collections::BTreeMap;

use axum::extract::FromRef;

use super::confirmation::{Confirmation, Handler};
use super::filing::{self, Client, FiledDocument, FiledFile, SentFile, SentRequest};
use super::store::{self, ApplicationError, Filed, NewApplication, Recorded, Via};
use crate::app::AppState;
use crate::attachments::{self, CheckedFile};
use crate::db::Db;
use crate::db::audit::Actor;
use crate::org::public::PublicOfficeCache;
use crate::platform::form::FormErrors;
use crate::service_cards::catalogue::CatalogueCache;
use crate::service_cards::form_definition::{
    FieldKind, FormDefinition, Submission, validate_submission,
};
use crate::service_cards::store::{self as cards, ServiceCard};
use crate::web::i18n::Lang;

/// A published card that takes e-service applications, its definition and JRWA class.
pub struct EService {
    pub card: ServiceCard,
    pub definition: FormDefinition,
    pub jrwa_symbol: String,
}

pub async fn eservice(db: &Db, code: &str) -> Result<EService, ApplicationError> {
    let card = cards::card_by_code(db, code)
        .await?
        .filter(|c| c.data.published && c.data.channels.eservice)
        .ok_or(ApplicationError::NotOffered)?;
    let definition = card.data.form().ok_or(ApplicationError::NotOffered)?;
    // A card without a JRWA class cannot register cases: not offered online.
    let jrwa_symbol = card
        .data
        .jrwa_symbol
        .clone()
        .ok_or(ApplicationError::NotOffered)?;
    Ok(EService {
        card,
        definition,
        jrwa_symbol,
    })
}

/// A file as sent with an application.
pub struct Upload {
    /// The `file` field of the form it was sent for.
    pub field: String,
    pub file_name: String,
    /// The type the sender declared (the content decides).
    pub declared_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// An application as received, before any check.
pub struct Application {
    /// The language of the labels kept with the filing and of the error messages.
    pub lang: Lang,
    /// The form's fields by name.
    pub values: BTreeMap<String, String>,
    pub uploads: Vec<Upload>,
    /// The same key twice from the same client with the same request files once (a
    /// double click, a retry).
    pub submission_key: String,
    /// Who sent it: the key is only theirs.
    pub client: Client,
    pub via: Via,
}

impl Application {
    /// SHA-256 of the request as sent (`filing::SentRequest`).
    fn request_sha256(&self, card_code: &str) -> String {
        SentRequest {
            service_card: card_code,
            lang: self.lang.code(),
            fields: &self.values,
            files: self
                .uploads
                .iter()
                .map(|u| SentFile {
                    field: &u.field,
                    file_name: &u.file_name,
                    content_type: u.declared_type.as_deref(),
                    sha256: attachments::sha256_hex(&u.bytes),
                })
                .collect(),
        }
        .sha256()
    }
}

/// What became of an application.
pub enum Outcome {
    /// Filed now, or before under the same submission key (`Filed::repeated`).
    Filed(Box<Filed>),
    /// Not filed: field name → Fluent id of what is wrong there (the form page and the
    /// API word it in their visitor's language).
    Refused(FormErrors),
    /// Not filed: the submission key was used before for a different request.
    KeyReused,
}

/// Checks an application against the e-service's form and files it: in one transaction
/// the files, the incoming item, the case and the application (`store::file`).
pub async fn apply(
    state: &AppState,
    actor: &Actor,
    e: &EService,
    application: Application,
) -> Result<Outcome, ApplicationError> {
    let limits = state.config.attachment_limits();
    let keyed = Keyed {
        request_sha256: application.request_sha256(&e.card.data.code),
        submission_key: filing::scoped_submission_key(
            &application.client,
            &application.submission_key,
        ),
        via: application.via,
    };
    let checked = check_submission(
        &e.definition,
        application.values,
        application.uploads,
        &limits,
    );
    let (submission, files) = match checked {
        Ok(ok) => ok,
        Err(errors) => return Ok(Outcome::Refused(errors)),
    };
    let email = filing::applicant(&submission.values).email;
    let lang = application.lang;
    let recorded = file(state, actor, e, lang, &submission, files, keyed).await?;
    Ok(match recorded {
        Recorded::Filed(filed) => {
            if !filed.repeated && !email.is_empty() {
                send_confirmation(state, lang, &filed, handler(state, &e.card).await, &email);
            }
            Outcome::Filed(filed)
        }
        Recorded::KeyReused => Outcome::KeyReused,
    })
}

/// Who handles applications filed through `card`: its unit and contact.
pub async fn handler(state: &AppState, card: &ServiceCard) -> Handler {
    let unit = match CatalogueCache::from_ref(state).get().await {
        Ok(catalogue) => catalogue
            .card(&card.data.code)
            .map(|c| c.unit_label.clone())
            .unwrap_or_default(),
        Err(e) => {
            tracing::warn!(error = %e, "catalogue not read for the confirmation");
            String::new()
        }
    };
    Handler {
        unit,
        phone: card.data.phone.clone(),
        email: card.data.email.clone(),
    }
}

/// Mails the confirmation of a fresh filing to the address the form gave, after the
/// filing is committed and without holding up the answer: a mail server that is slow
/// or refuses is the office's to see in the log; the confirmation page and PDF stay
/// available under the tracking code.
fn send_confirmation(state: &AppState, lang: Lang, filed: &Filed, handler: Handler, to: &str) {
    let mail = Confirmation {
        lang,
        filed,
        handler,
    }
    .mail(to);
    let mailer = state.mailer.clone();
    let znak = filed.znak.clone();
    tokio::spawn(async move {
        let sent = match mail {
            Ok(mail) => mailer.send_rich(&mail).await.map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match sent {
            Ok(()) => tracing::info!(%znak, "confirmation of filing mailed"),
            Err(error) => tracing::error!(%znak, %error, "confirmation of filing not mailed"),
        }
    });
}

/// A valid submission and its checked files (with the field each came in).
pub type CheckedSubmission = (Submission, Vec<(String, CheckedFile)>);

/// Validates sent values and files against the card's definition and the attachment
/// rules (the card's own and the office-wide store's). The definition's own check
/// (`validate_submission`, the domain crate) is the rule for the values; its problems
/// and the files' come back together as the form kit's [`FormErrors`].
pub fn check_submission(
    def: &FormDefinition,
    mut values: BTreeMap<String, String>,
    uploads: Vec<Upload>,
    limits: &attachments::Limits,
) -> Result<CheckedSubmission, FormErrors> {
    let mut errors = FormErrors::new();
    let mut files = Vec::new();
    let file_fields: Vec<&str> = def
        .fields
        .iter()
        .filter(|f| f.kind == FieldKind::File)
        .map(|f| f.name.as_str())
        .collect();
    for Upload {
        field,
        file_name,
        declared_type: declared,
        bytes,
    } in uploads
    {
        if !file_fields.contains(&field.as_str()) {
            errors.add(
                field.chars().take(64).collect::<String>(),
                "eform-unknown-field",
            );
            continue;
        }
        if files
            .iter()
            .any(|(f, _): &(String, CheckedFile)| *f == field)
        {
            errors.add(field.clone(), "app-file-one-per-field");
            continue;
        }
        let checked = match attachments::check(&file_name, declared.as_deref(), &bytes, limits) {
            Ok(f) => f,
            Err(e) => {
                errors.add(field.clone(), attachments::error_key(&e));
                continue;
            }
        };
        if let Err(problem) = def.attachments.check_file(&checked.file_name, &bytes) {
            errors.add(field.clone(), format!("app-{}", problem.code()));
            continue;
        }
        values.insert(field.clone(), checked.file_name.clone());
        files.push((field, checked));
    }
    if files.len() > usize::try_from(def.attachments.max_files).unwrap_or(usize::MAX) {
        errors.add(
            file_fields
                .first()
                .map(|s| (*s).to_owned())
                .unwrap_or_default(),
            "app-too-many-files",
        );
    }
    match validate_submission(def, &values) {
        Ok(submission) if errors.is_empty() => Ok((submission, files)),
        Ok(_) => Err(errors),
        Err(field_errors) => {
            for (name, code) in field_errors.0 {
                errors.add(name, code);
            }
            Err(errors)
        }
    }
}

/// How a filing is told from its repeats.
struct Keyed {
    submission_key: String,
    request_sha256: String,
    via: Via,
}

/// Files a checked submission.
async fn file(
    state: &AppState,
    actor: &Actor,
    e: &EService,
    lang: Lang,
    submission: &Submission,
    files: Vec<(String, CheckedFile)>,
    keyed: Keyed,
) -> Result<Recorded, ApplicationError> {
    let submitted_at = state.clock.timestamp();
    let filed_files = files
        .iter()
        .map(|(field, f)| FiledFile {
            field: field.clone(),
            file_name: f.file_name.clone(),
            content_type: f.content_type().to_owned(),
            size_bytes: u64::try_from(f.size()).unwrap_or(u64::MAX),
            sha256: attachments::sha256_hex(&f.bytes),
        })
        .collect();
    let office = PublicOfficeCache::from_ref(state).office_name().await;
    let heading = filing::Heading {
        office: &office,
        card_code: &e.card.data.code,
        card_name: &e.card.data.name,
        lang: lang.code(),
        yes: &lang.t("app-yes"),
    };
    let document = FiledDocument::new(
        heading,
        submitted_at,
        &e.definition,
        submission,
        filed_files,
    );
    let applicant = filing::applicant(&submission.values);
    store::file(
        &state.db,
        actor,
        NewApplication {
            card: &e.card,
            jrwa_symbol: e.jrwa_symbol.clone(),
            document,
            files: files.into_iter().map(|(_, f)| f).collect(),
            submission_key: keyed.submission_key,
            request_sha256: keyed.request_sha256,
            via: keyed.via,
            applicant,
            submitted_at,
        },
    )
    .await
}
