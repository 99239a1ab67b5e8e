//! The attachments store, shared by every capability that takes files: the
//! correspondence register (incoming items, proofs of delivery) and e-service
//! applications (`applications::service`).
//!
//! The flow for a caller:
//! 1. [`read_multipart`] reads an upload form into text fields and files (bounded);
//! 2. [`check_uploads`] checks the files of one form field ([`check`]: the format proven
//!    by the bytes, size limits, a safe name) and puts translated problems on the field;
//! 3. inside the caller's own transaction, [`store`] writes each checked file (audited
//!    with its hash and size, never its bytes) and returns its [`AttachmentId`]; the
//!    caller links the ids to its record in the same transaction, so a failed
//!    submission leaves no orphan file;
//! 4. a download handler checks the permission on the record the file belongs to, then
//!    [`load`]s it and answers with [`download`] (always `attachment`, the proven type,
//!    `nosniff`, a sandboxing CSP).
//!
//! Files live in the database (docs/decisions/0008-attachments-in-database.md).

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use magistrat_domain::text::has_forbidden_control;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Tx, UtcTime};
use crate::platform::form::FormErrors;
use crate::web::error::AppError;
use crate::web::i18n::{Arg, Lang};
use crate::{with_db, with_tx};

pub use magistrat_domain::attachment::{
    AttachmentError, CheckedFile, EXTENSIONS, FileKind, Limits, check, check_item, tiny_pdf,
};

/// The id of a stored file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct AttachmentId(pub i64);

/// What is known about a stored file, without its bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AttachmentInfo {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
}

impl AttachmentInfo {
    /// „12,3 kB” / „1,5 MB”, for lists.
    pub fn size_text(&self) -> String {
        size_text(self.size_bytes)
    }
}

/// A stored file with its bytes, for a download.
#[derive(Clone, sqlx::FromRow)]
pub struct StoredFile {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub content: Vec<u8>,
    pub created_at: UtcTime,
    pub created_by: Option<i64>,
}

/// Hex SHA-256 of the bytes: recorded with the file and in the audit trail, so a file
/// can later be shown to be the one received.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Writes a checked file inside the caller's transaction and records it in the audit
/// trail (name, type, size, hash — not the bytes).
pub async fn store(
    tx: &mut Tx,
    actor: &Actor,
    file: &CheckedFile,
) -> Result<AttachmentId, sqlx::Error> {
    let info = AuditedFile {
        file_name: &file.file_name,
        content_type: file.content_type(),
        size_bytes: file.size() as i64,
        sha256: sha256_hex(&file.bytes),
    };
    let now = tx.now();
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO attachment (file_name, content_type, size_bytes, sha256, content, \
             created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(info.file_name)
        .bind(info.content_type)
        .bind(info.size_bytes)
        .bind(&info.sha256)
        .bind(&file.bytes)
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(c)
        .await
    })?;
    audit::record(tx, actor, Change::created("attachment", id, &info)).await?;
    Ok(AttachmentId(id))
}

/// A file as the audit trail records it.
#[derive(Serialize)]
struct AuditedFile<'a> {
    file_name: &'a str,
    content_type: &'a str,
    size_bytes: i64,
    sha256: String,
}

/// A stored file with its bytes.
pub async fn load(db: &Db, id: i64) -> Result<Option<StoredFile>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, file_name, content_type, size_bytes, sha256, content, created_at, \
             created_by FROM attachment WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(c)
        .await
    })
}

/// The download of a stored file. Always a download (`Content-Disposition: attachment`),
/// with the type its bytes proved, `nosniff`, and a CSP that sandboxes anything a
/// browser might still open (no scripts, no plugins, no same-origin access).
pub fn download(file: StoredFile) -> Response {
    let content_type = HeaderValue::from_str(&file.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(&file.file_name))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("sandbox; default-src 'none'"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        file.content,
    )
        .into_response()
}

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266): old
/// clients get an ASCII name, current ones the real (Polish) name.
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// „12,3 kB”, „1,5 MB”.
pub fn size_text(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    let text = if b < 1024.0 {
        format!("{bytes} B")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.1} kB", b / 1024.0)
    } else {
        format!("{:.1} MB", b / 1024.0 / 1024.0)
    };
    text.replace('.', ",")
}

/// One file of an upload form, not yet checked.
pub struct Upload {
    /// The form field it came in.
    pub field: String,
    pub file_name: String,
    pub declared_type: Option<String>,
    pub bytes: axum::body::Bytes,
}

/// An upload form: its text fields (in order) and its files.
#[derive(Default)]
pub struct UploadForm {
    pub fields: Vec<(String, String)>,
    pub files: Vec<Upload>,
}

impl UploadForm {
    /// The files that came in form field `name`.
    pub fn files_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Upload> + 'a {
        self.files.iter().filter(move |f| f.field == name)
    }
}

/// Text fields longer than this are refused (no text field of a form needs more).
const MAX_TEXT_FIELD: usize = 64 * 1024;
/// More parts than this is not a form a page sent.
const MAX_PARTS: usize = 200;

/// Reads a `multipart/form-data` request (its body already bounded by the body limit and
/// its CSRF token already checked by the middleware). Handlers call it after their
/// permission check, so a refused user gets 403 whatever they sent. A file input left
/// empty (no name, no bytes) is skipped. A request that is not multipart, a malformed
/// body or an oversized text field is a 400.
pub async fn read_multipart(request: Request) -> Result<UploadForm, AppError> {
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|_| AppError::BadRequest("bad-request"))?;
    let mut form = UploadForm::default();
    let mut parts = 0;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("bad-request"))?
    {
        parts += 1;
        if parts > MAX_PARTS {
            return Err(AppError::BadRequest("bad-request"));
        }
        let name = field.name().unwrap_or_default().to_owned();
        // The input boundary (platform::input) for multipart forms: control characters
        // in a field's name, a file's name or a text value are refused here, once.
        let controlled =
            has_forbidden_control(&name) || field.file_name().is_some_and(has_forbidden_control);
        if controlled {
            return Err(crate::platform::input::REFUSED);
        }
        match field.file_name().map(str::to_owned) {
            Some(file_name) => {
                let declared_type = field.content_type().map(str::to_owned);
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::BadRequest("bad-request"))?;
                if file_name.is_empty() && bytes.is_empty() {
                    continue;
                }
                form.files.push(Upload {
                    field: name,
                    file_name,
                    declared_type,
                    bytes,
                });
            }
            None => {
                let text = field
                    .text()
                    .await
                    .map_err(|_| AppError::BadRequest("bad-request"))?;
                if text.len() > MAX_TEXT_FIELD {
                    return Err(AppError::BadRequest("bad-request"));
                }
                if has_forbidden_control(&text) {
                    return Err(crate::platform::input::REFUSED);
                }
                form.fields.push((name, text));
            }
        }
    }
    Ok(form)
}

/// The Fluent id of the message for a refused file.
pub fn error_key(error: &AttachmentError) -> String {
    error.code().replace(['.', '_'], "-")
}

/// Checks the files that came in form field `field`; problems go on that field.
pub fn check_uploads<'a>(
    uploads: impl Iterator<Item = &'a Upload>,
    field: &'static str,
    limits: &Limits,
    errors: &mut FormErrors,
) -> Vec<CheckedFile> {
    let mut checked = Vec::new();
    for upload in uploads {
        match check(
            &upload.file_name,
            upload.declared_type.as_deref(),
            &upload.bytes,
            limits,
        ) {
            Ok(file) => checked.push(file),
            Err(e) => errors.add(field, error_key(&e)),
        }
    }
    checked
}

/// Checks the number and total size of all an item's files; a problem goes on `field`.
pub fn check_total(
    files: &[&CheckedFile],
    field: &'static str,
    limits: &Limits,
    errors: &mut FormErrors,
) {
    let sizes: Vec<usize> = files.iter().map(|f| f.size()).collect();
    if let Err(e) = check_item(&sizes, limits) {
        errors.add(field, error_key(&e));
    }
}

/// The hint under a file input: accepted formats and limits.
pub fn hint(lang: Lang, limits: &Limits) -> String {
    let mb = |b: usize| Arg::Str(limit_text(b));
    lang.t_args(
        "attachment-hint",
        &[
            ("formats", Arg::Str("PDF, ODT, DOCX, DOC, RTF, TXT, ODS, XLSX, XLS, JPEG, PNG, TIFF, XML, XAdES (.xades, .sig), PKCS#7 (.p7s, .sig)".to_owned())),
            ("file", mb(limits.max_file_bytes)),
            ("item", mb(limits.max_item_bytes)),
        ],
    )
}

/// A limit for people: „10 MB” when whole megabytes, else „1,5 kB”.
pub fn limit_text(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MB", bytes / MIB)
    } else {
        size_text(i64::try_from(bytes).unwrap_or(i64::MAX))
    }
}

/// The `accept` attribute of a file input.
pub fn accept_attribute() -> String {
    EXTENSIONS
        .iter()
        .map(|e| format!(".{e}"))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispositions() {
        assert_eq!(
            content_disposition("wniosek.pdf"),
            "attachment; filename=\"wniosek.pdf\"; filename*=UTF-8''wniosek.pdf"
        );
        assert_eq!(
            content_disposition("Zażółć \"x\".pdf"),
            "attachment; filename=\"Za____ _x_.pdf\"; \
             filename*=UTF-8''Za%C5%BC%C3%B3%C5%82%C4%87%20%22x%22.pdf"
        );
        // Whatever the name, the header value is valid.
        for name in ["a\u{7f}b", "x;y=z", "日本.txt", "..\\a"] {
            assert!(
                HeaderValue::from_str(&content_disposition(name)).is_ok(),
                "{name}"
            );
        }
    }

    #[test]
    fn sizes_and_keys() {
        assert_eq!(size_text(512), "512 B");
        assert_eq!(size_text(1536), "1,5 kB");
        assert_eq!(size_text(10 * 1024 * 1024), "10,0 MB");
        assert_eq!(limit_text(25 * 1024 * 1024), "25 MB");
        assert_eq!(limit_text(1500), "1,5 kB");
        assert_eq!(
            error_key(&AttachmentError::TooLarge { max: 1 }),
            "attachment-too-large"
        );
        assert_eq!(
            error_key(&AttachmentError::ContentMismatch),
            "attachment-content-mismatch"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
