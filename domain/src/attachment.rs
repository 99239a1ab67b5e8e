//! Attachments: which files the office accepts, recognised by their content, not only by
//! their name or the type the browser declares; size limits; safe file names.
//!
//! The accepted formats follow the formats of documents an office must be able to take
//! in electronically (Rozporządzenie Rady Ministrów z 12 kwietnia 2012 r. w sprawie
//! Krajowych Ram Interoperacyjności, załącznik 2: PDF, ODF, OOXML, DOC/XLS, RTF, TXT,
//! XML, JPEG, PNG, TIFF) and the signature files residents send with ePUAP and
//! e-Doręczenia documents (XAdES `.xades`/`.sig`, CAdES/PKCS#7 `.p7s`/`.sig`).
//! Archives (ZIP) and anything executable are refused: a file is stored as what its bytes
//! prove it to be, and served back with that type.
//!
//! Nothing here panics on any input (fuzzed: `fuzz/fuzz_targets/attachment_check.rs`).

use std::fmt;

/// Size limits for one item's files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest single file, in bytes.
    pub max_file_bytes: usize,
    /// Largest total of all files of one item (a letter, an application), in bytes.
    pub max_item_bytes: usize,
    /// Most files on one item.
    pub max_files: usize,
}

impl Default for Limits {
    /// 10 MiB per file, 25 MiB per item, 20 files.
    fn default() -> Self {
        Self {
            max_file_bytes: 10 * 1024 * 1024,
            max_item_bytes: 25 * 1024 * 1024,
            max_files: 20,
        }
    }
}

/// The longest file name kept, in characters (extension included).
pub const MAX_NAME_CHARS: usize = 120;

/// A format the office accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// PDF.
    Pdf,
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
    /// TIFF image (scans).
    Tiff,
    /// OpenDocument text.
    Odt,
    /// OpenDocument spreadsheet.
    Ods,
    /// Word (Office Open XML).
    Docx,
    /// Excel (Office Open XML).
    Xlsx,
    /// Word 97–2003.
    Doc,
    /// Excel 97–2003.
    Xls,
    /// Rich Text Format.
    Rtf,
    /// Plain text.
    Txt,
    /// XML (ePUAP documents, UPP/UPO confirmations).
    Xml,
    /// A XAdES signature (XML), `.xades` or `.sig`.
    XadesSignature,
    /// A CAdES / PKCS#7 signature (DER), `.p7s` or `.sig`.
    Pkcs7Signature,
}

impl FileKind {
    /// Every kind, for listings and tests.
    pub const ALL: [FileKind; 15] = [
        FileKind::Pdf,
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Tiff,
        FileKind::Odt,
        FileKind::Ods,
        FileKind::Docx,
        FileKind::Xlsx,
        FileKind::Doc,
        FileKind::Xls,
        FileKind::Rtf,
        FileKind::Txt,
        FileKind::Xml,
        FileKind::XadesSignature,
        FileKind::Pkcs7Signature,
    ];

    /// The media type the file is stored and served with.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Tiff => "image/tiff",
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
            FileKind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Doc => "application/msword",
            FileKind::Xls => "application/vnd.ms-excel",
            FileKind::Rtf => "application/rtf",
            FileKind::Txt => "text/plain; charset=utf-8",
            FileKind::Xml => "application/xml",
            FileKind::XadesSignature => "application/xml",
            FileKind::Pkcs7Signature => "application/pkcs7-signature",
        }
    }

    /// A short name for people: „PDF”, „DOCX”.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF",
            FileKind::Png => "PNG",
            FileKind::Jpeg => "JPEG",
            FileKind::Tiff => "TIFF",
            FileKind::Odt => "ODT",
            FileKind::Ods => "ODS",
            FileKind::Docx => "DOCX",
            FileKind::Xlsx => "XLSX",
            FileKind::Doc => "DOC",
            FileKind::Xls => "XLS",
            FileKind::Rtf => "RTF",
            FileKind::Txt => "TXT",
            FileKind::Xml => "XML",
            FileKind::XadesSignature => "XAdES",
            FileKind::Pkcs7Signature => "PKCS#7",
        }
    }
}

/// The extensions accepted, lower case, for the form's `accept` attribute and hints.
pub const EXTENSIONS: &[&str] = &[
    "pdf", "png", "jpg", "jpeg", "tif", "tiff", "odt", "ods", "docx", "xlsx", "doc", "xls", "rtf",
    "txt", "xml", "xades", "sig", "p7s",
];

/// Why a file was refused. Each has a stable code (`attachment.…`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    /// The file has no bytes.
    #[error("the file is empty")]
    Empty,
    /// Nothing of the name is left once paths and control characters are removed.
    #[error("the file name is not usable")]
    NameInvalid,
    /// Larger than [`Limits::max_file_bytes`].
    #[error("the file is larger than {max} bytes")]
    TooLarge {
        /// The limit.
        max: usize,
    },
    /// The files together are larger than [`Limits::max_item_bytes`].
    #[error("the files together are larger than {max} bytes")]
    ItemTooLarge {
        /// The limit.
        max: usize,
    },
    /// More than [`Limits::max_files`] files.
    #[error("more than {max} files")]
    TooMany {
        /// The limit.
        max: usize,
    },
    /// The name's extension (or the declared type) is not an accepted format.
    #[error("this type of file is not accepted")]
    TypeNotAllowed,
    /// The bytes are not what the extension says (a renamed or damaged file).
    #[error("the content does not match the file's extension")]
    ContentMismatch,
}

impl AttachmentError {
    /// The stable machine code, e.g. `attachment.too_large`.
    pub fn code(&self) -> &'static str {
        match self {
            AttachmentError::Empty => "attachment.empty",
            AttachmentError::NameInvalid => "attachment.name_invalid",
            AttachmentError::TooLarge { .. } => "attachment.too_large",
            AttachmentError::ItemTooLarge { .. } => "attachment.item_too_large",
            AttachmentError::TooMany { .. } => "attachment.too_many",
            AttachmentError::TypeNotAllowed => "attachment.type_not_allowed",
            AttachmentError::ContentMismatch => "attachment.content_mismatch",
        }
    }
}

/// A file that passed [`check`]: a safe name, a proven kind, its bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct CheckedFile {
    /// The sanitised name (no path, no control characters, bounded length).
    pub file_name: String,
    /// What the bytes proved the file to be.
    pub kind: FileKind,
    /// The content.
    pub bytes: Vec<u8>,
}

impl CheckedFile {
    /// The media type to store and serve it with.
    pub fn content_type(&self) -> &'static str {
        self.kind.content_type()
    }

    /// Its size in bytes.
    pub fn size(&self) -> usize {
        self.bytes.len()
    }
}

impl fmt::Debug for CheckedFile {
    // The bytes are left out: a debug print of a 10 MiB file helps nobody.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CheckedFile")
            .field("file_name", &self.file_name)
            .field("kind", &self.kind)
            .field("size", &self.bytes.len())
            .finish()
    }
}

/// Declared types that are never accepted whatever the name says: markup a browser would
/// run and programs.
const REFUSED_DECLARED: &[&str] = &[
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "application/javascript",
    "text/javascript",
    "application/x-msdownload",
    "application/x-msdos-program",
    "application/x-executable",
    "application/x-sh",
    "application/java-archive",
];

/// Checks one uploaded file: its name, declared type, size and content.
pub fn check(
    file_name: &str,
    declared_type: Option<&str>,
    bytes: &[u8],
    limits: &Limits,
) -> Result<CheckedFile, AttachmentError> {
    let file_name = sanitise_name(file_name).ok_or(AttachmentError::NameInvalid)?;
    if bytes.is_empty() {
        return Err(AttachmentError::Empty);
    }
    if bytes.len() > limits.max_file_bytes {
        return Err(AttachmentError::TooLarge {
            max: limits.max_file_bytes,
        });
    }
    if let Some(declared) = declared_type {
        let essence = declared
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if REFUSED_DECLARED.contains(&essence.as_str()) {
            return Err(AttachmentError::TypeNotAllowed);
        }
    }
    let extension = extension(&file_name).ok_or(AttachmentError::TypeNotAllowed)?;
    let kind = kind_of(&extension, bytes)?;
    Ok(CheckedFile {
        file_name,
        kind,
        bytes: bytes.to_vec(),
    })
}

/// Checks the files of one item together: their number and total size.
pub fn check_item(sizes: &[usize], limits: &Limits) -> Result<(), AttachmentError> {
    if sizes.len() > limits.max_files {
        return Err(AttachmentError::TooMany {
            max: limits.max_files,
        });
    }
    let total = sizes.iter().fold(0usize, |a, b| a.saturating_add(*b));
    if total > limits.max_item_bytes {
        return Err(AttachmentError::ItemTooLarge {
            max: limits.max_item_bytes,
        });
    }
    Ok(())
}

/// The lower-case extension of a name, if it has one.
fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_lowercase())
}

/// The kind binary content proves by itself, without a name: the formats that carry a
/// signature of their own (text, XML and signature files need the name's word). OLE
/// files are taken for Word documents (an Excel 97–2003 file needs its `.xls` name).
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    const SIGNED: [&str; 10] = [
        "pdf", "png", "jpg", "tif", "odt", "ods", "docx", "xlsx", "doc", "rtf",
    ];
    SIGNED.iter().find_map(|ext| kind_of(ext, bytes).ok())
}

/// Which kind the bytes prove, given the extension the name claims.
fn kind_of(extension: &str, bytes: &[u8]) -> Result<FileKind, AttachmentError> {
    let proven = |ok: bool, kind: FileKind| {
        if ok {
            Ok(kind)
        } else {
            Err(AttachmentError::ContentMismatch)
        }
    };
    match extension {
        "pdf" => proven(is_pdf(bytes), FileKind::Pdf),
        "png" => proven(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), FileKind::Png),
        "jpg" | "jpeg" => proven(bytes.starts_with(&[0xFF, 0xD8, 0xFF]), FileKind::Jpeg),
        "tif" | "tiff" => proven(
            bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*"),
            FileKind::Tiff,
        ),
        "odt" => proven(
            odf_mimetype(bytes) == Some(b"application/vnd.oasis.opendocument.text".as_slice()),
            FileKind::Odt,
        ),
        "ods" => proven(
            odf_mimetype(bytes)
                == Some(b"application/vnd.oasis.opendocument.spreadsheet".as_slice()),
            FileKind::Ods,
        ),
        "docx" => proven(is_ooxml(bytes, b"word/"), FileKind::Docx),
        "xlsx" => proven(is_ooxml(bytes, b"xl/"), FileKind::Xlsx),
        "doc" => proven(is_ole(bytes), FileKind::Doc),
        "xls" => proven(is_ole(bytes), FileKind::Xls),
        "rtf" => proven(bytes.starts_with(b"{\\rtf"), FileKind::Rtf),
        "txt" => proven(is_plain_text(bytes), FileKind::Txt),
        "xml" => proven(is_xml(bytes), FileKind::Xml),
        "xades" => proven(is_xml(bytes), FileKind::XadesSignature),
        "p7s" => proven(is_der_sequence(bytes), FileKind::Pkcs7Signature),
        // `.sig` is either: Polish signing tools write XAdES (XML) or CAdES (DER) under it.
        "sig" if is_xml(bytes) => Ok(FileKind::XadesSignature),
        "sig" => proven(is_der_sequence(bytes), FileKind::Pkcs7Signature),
        _ => Err(AttachmentError::TypeNotAllowed),
    }
}

/// A PDF by its structure, not its magic bytes alone: the header `%PDF-` within the
/// first KiB (readers accept leading junk up to there), the end-of-file marker `%%EOF`
/// within the last KiB (ISO 32000-1 § 7.5.5: readers look for it there), and no web
/// page in the head — an HTML file with `%PDF-` in a comment is not a PDF, whatever a
/// lenient reader makes of it (issue 16).
fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    find(head, b"%PDF-").is_some() && find(tail, b"%%EOF").is_some() && !has_html(head)
}

/// An HTML (or XHTML) document's marks in `head`, ASCII case ignored: a doctype, the
/// root, body or an active element as a whole tag name, or the XHTML namespace.
fn has_html(head: &[u8]) -> bool {
    let lower = head.to_ascii_lowercase();
    if find(&lower, b"<!doctype html").is_some()
        || find(&lower, b"http://www.w3.org/1999/xhtml").is_some()
    {
        return true;
    }
    [b"html".as_slice(), b"body", b"head", b"script", b"iframe"]
        .iter()
        .any(|tag| has_tag(&lower, tag))
}

/// `<tag` or `<prefix:tag` followed by the end of the name (`>`, `/` or white space).
fn has_tag(lower: &[u8], tag: &[u8]) -> bool {
    lower.iter().enumerate().any(|(at, &b)| {
        if b != b'<' {
            return false;
        }
        let name_end = lower[at + 1..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b':' | b'-' | b'_' | b'.')))
            .map_or(lower.len(), |p| at + 1 + p);
        let name = &lower[at + 1..name_end];
        let local = name.rsplit(|c| *c == b':').next().unwrap_or(name);
        local == tag && name_end < lower.len()
    })
}

const ZIP_LOCAL_HEADER: &[u8] = b"PK\x03\x04";

/// The `mimetype` entry of an OpenDocument file: the first entry of the zip, stored
/// uncompressed (ODF 1.2 part 3, § 3.3), so it is read straight from the local header.
fn odf_mimetype(bytes: &[u8]) -> Option<&[u8]> {
    if !bytes.starts_with(ZIP_LOCAL_HEADER) {
        return None;
    }
    let u16_at = |at: usize| -> Option<usize> {
        let b = bytes.get(at..at + 2)?;
        Some(usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let name_len = u16_at(26)?;
    let extra_len = u16_at(28)?;
    let name = bytes.get(30..30 + name_len)?;
    if name != b"mimetype" {
        return None;
    }
    let start = 30 + name_len + extra_len;
    let size = bytes.get(18..22)?;
    let size = u32::from_le_bytes([size[0], size[1], size[2], size[3]]) as usize;
    bytes.get(start..start.checked_add(size)?)
}

/// An Office Open XML package: a zip whose entry names (kept uncompressed in the zip's
/// headers) include `[Content_Types].xml` and the part folder (`word/`, `xl/`).
fn is_ooxml(bytes: &[u8], folder: &[u8]) -> bool {
    bytes.starts_with(ZIP_LOCAL_HEADER)
        && find(bytes, b"[Content_Types].xml").is_some()
        && find(bytes, folder).is_some()
}

/// An OLE2 compound file (Word 97–2003, Excel 97–2003).
fn is_ole(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Text without NULs or control characters other than tab, line breaks, form feed and
/// the old DOS end-of-file mark. Any 8-bit code page passes (old Polish text files are
/// often Windows-1250); the file is served as text with `nosniff`, never run.
fn is_plain_text(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .all(|b| *b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A))
}

/// XML: after an optional byte-order mark and white space, `<?xml` or an element; and
/// not a web page written as XML (XHTML, an HTML root): that is served as HTML by a
/// browser that sniffs, and no office document is one (issue 16).
fn is_xml(bytes: &[u8]) -> bool {
    is_xml_syntax(bytes) && !has_html(&bytes[..bytes.len().min(1024)])
}

fn is_xml_syntax(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    let Some(rest) = start.and_then(|s| bytes.get(s..)) else {
        return false;
    };
    if rest.starts_with(b"<?xml") {
        return true;
    }
    // An element (a name start character, also a namespace prefix) or a comment.
    matches!(rest.get(..2), Some([b'<', c]) if c.is_ascii_alphabetic() || *c == b'_')
        || rest.starts_with(b"<!--")
}

/// A DER `SEQUENCE` with a length that fits the data: how a PKCS#7/CAdES file starts.
fn is_der_sequence(bytes: &[u8]) -> bool {
    match bytes {
        [0x30, 0x80, ..] => true, // indefinite length (BER), written by some tools
        [0x30, len, rest @ ..] if *len < 0x80 => usize::from(*len) <= rest.len(),
        [0x30, n @ 0x81..=0x84, rest @ ..] => {
            let n = usize::from(*n - 0x80);
            let Some(len_bytes) = rest.get(..n) else {
                return false;
            };
            let len = len_bytes
                .iter()
                .fold(0usize, |a, b| (a << 8) | usize::from(*b));
            len > 0 && len <= rest.len() - n
        }
        _ => false,
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Names Windows reserves for devices: a file saved under one cannot be opened.
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A file name safe to store and to offer for download: only the last path component
/// (browsers on Windows may send `C:\…\scan.pdf`), without control characters and the
/// characters Windows forbids, without leading/trailing dots and spaces, at most
/// [`MAX_NAME_CHARS`] characters with the extension kept. `None` when nothing is left.
pub fn sanitise_name(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*'))
        // Unicode direction overrides can disguise `exe.pdf` as `fdp.exe`.
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect();
    let collapsed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = collapsed.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if trimmed.is_empty() {
        return None;
    }
    let mut result = trimmed.to_owned();
    if result.chars().count() > MAX_NAME_CHARS {
        result = shorten(&result);
    }
    let stem = result.split('.').next().unwrap_or_default();
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        result.insert(0, '_');
    }
    Some(result)
}

/// Cuts the stem so that the whole name fits, keeping a short extension.
fn shorten(name: &str) -> String {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() && e.chars().count() <= 10 => (s, Some(e)),
        _ => (name, None),
    };
    let room = MAX_NAME_CHARS - ext.map_or(0, |e| e.chars().count() + 1);
    let stem: String = stem.chars().take(room).collect();
    let stem = stem.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    match ext {
        Some(e) => format!("{stem}.{e}"),
        None => stem.to_owned(),
    }
}

/// The smallest valid PDF (one empty A4 page), for demos and tests.
pub fn tiny_pdf(title: &str) -> Vec<u8> {
    // Offsets in the cross-reference table are computed, so any title keeps it valid.
    let title: String = title
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .filter(|c| !matches!(c, '(' | ')' | '\\'))
        .collect();
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_owned(),
        format!("<< /Title ({title}) >>"),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{body}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for offset in offsets {
        out.push_str(&format!("{offset:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    out.into_bytes()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A zip whose first entry is a stored `mimetype` file, as ODF requires.
    fn odf(mimetype: &str) -> Vec<u8> {
        let mut z = Vec::new();
        z.extend_from_slice(ZIP_LOCAL_HEADER);
        z.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // version … time/date
        z.extend_from_slice(&[0, 0, 0, 0]); // crc (not checked)
        let len = (mimetype.len() as u32).to_le_bytes();
        z.extend_from_slice(&len); // compressed size
        z.extend_from_slice(&len); // uncompressed size
        z.extend_from_slice(&8u16.to_le_bytes()); // name length
        z.extend_from_slice(&0u16.to_le_bytes()); // extra length
        z.extend_from_slice(b"mimetype");
        z.extend_from_slice(mimetype.as_bytes());
        z.extend_from_slice(b"PK\x03\x04....content.xml");
        z
    }

    fn ooxml(folder: &str) -> Vec<u8> {
        let mut z = ZIP_LOCAL_HEADER.to_vec();
        z.extend_from_slice(b"\x14\0\x06\0[Content_Types].xml....PK\x03\x04");
        z.extend_from_slice(folder.as_bytes());
        z.extend_from_slice(b"document.xml....");
        z
    }

    fn ok(name: &str, bytes: &[u8]) -> Result<FileKind, AttachmentError> {
        check(name, None, bytes, &Limits::default()).map(|f| f.kind)
    }

    #[test]
    fn accepted_kinds_by_content() {
        let pdf = tiny_pdf("Wniosek");
        let cases: Vec<(&str, Vec<u8>, FileKind)> = vec![
            ("wniosek.pdf", pdf.clone(), FileKind::Pdf),
            ("WNIOSEK.PDF", pdf.clone(), FileKind::Pdf),
            (
                "skan.png",
                b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
                FileKind::Png,
            ),
            (
                "zdjecie.jpg",
                vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16],
                FileKind::Jpeg,
            ),
            ("zdjecie.jpeg", vec![0xFF, 0xD8, 0xFF, 0xE1], FileKind::Jpeg),
            ("skan.tif", b"II*\0\x08\0\0\0".to_vec(), FileKind::Tiff),
            ("skan.tiff", b"MM\0*\0\0\0\x08".to_vec(), FileKind::Tiff),
            (
                "pismo.odt",
                odf("application/vnd.oasis.opendocument.text"),
                FileKind::Odt,
            ),
            (
                "tabela.ods",
                odf("application/vnd.oasis.opendocument.spreadsheet"),
                FileKind::Ods,
            ),
            ("pismo.docx", ooxml("word/"), FileKind::Docx),
            ("tabela.xlsx", ooxml("xl/"), FileKind::Xlsx),
            (
                "stary.doc",
                vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0],
                FileKind::Doc,
            ),
            (
                "stary.xls",
                vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
                FileKind::Xls,
            ),
            ("pismo.rtf", b"{\\rtf1\\ansi Tekst}".to_vec(), FileKind::Rtf),
            (
                "notatka.txt",
                "Zażółć gęślą jaźń\r\n".as_bytes().to_vec(),
                FileKind::Txt,
            ),
            // Windows-1250 „ł” (0xB3) is fine too.
            ("stara.txt", b"Bia\xB3ystok\n".to_vec(), FileKind::Txt),
            (
                "wniosek.xml",
                b"\xEF\xBB\xBF<?xml version=\"1.0\"?><wnio:Dokument/>".to_vec(),
                FileKind::Xml,
            ),
            ("upp.xml", b"  <ns2:Potwierdzenie/>".to_vec(), FileKind::Xml),
            (
                "podpis.xades",
                b"<?xml version=\"1.0\"?><ds:Signature/>".to_vec(),
                FileKind::XadesSignature,
            ),
            (
                "wniosek.pdf.sig",
                b"<ds:Signature/>".to_vec(),
                FileKind::XadesSignature,
            ),
            (
                "wniosek.pdf.sig",
                vec![0x30, 0x82, 0x00, 0x02, 0x06, 0x00],
                FileKind::Pkcs7Signature,
            ),
            (
                "podpis.p7s",
                vec![0x30, 0x80, 0x06, 0x09],
                FileKind::Pkcs7Signature,
            ),
            (
                "podpis.p7s",
                vec![0x30, 0x03, 0x02, 0x01, 0x01],
                FileKind::Pkcs7Signature,
            ),
        ];
        for (name, bytes, kind) in cases {
            assert_eq!(ok(name, &bytes), Ok(kind), "{name}");
        }
    }

    #[test]
    fn content_alone_names_the_signed_formats() {
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0];
        let cases: Vec<(Vec<u8>, Option<FileKind>)> = vec![
            (tiny_pdf("x"), Some(FileKind::Pdf)),
            (b"\x89PNG\r\n\x1a\n".to_vec(), Some(FileKind::Png)),
            (vec![0xFF, 0xD8, 0xFF, 0xE0], Some(FileKind::Jpeg)),
            (b"II*\0".to_vec(), Some(FileKind::Tiff)),
            (
                odf("application/vnd.oasis.opendocument.text"),
                Some(FileKind::Odt),
            ),
            (
                odf("application/vnd.oasis.opendocument.spreadsheet"),
                Some(FileKind::Ods),
            ),
            (ooxml("word/"), Some(FileKind::Docx)),
            (ooxml("xl/"), Some(FileKind::Xlsx)),
            (ole.to_vec(), Some(FileKind::Doc)),
            (b"{\\rtf1\\ansi".to_vec(), Some(FileKind::Rtf)),
            // Text needs its name's word; unknown and executable content is nothing.
            (b"plain text".to_vec(), None),
            (b"<?xml version=\"1.0\"?><a/>".to_vec(), None),
            (b"MZ\x90\x00".to_vec(), None),
            (b"PK\x03\x04 just a zip".to_vec(), None),
            (Vec::new(), None),
        ];
        for (bytes, want) in cases {
            assert_eq!(sniff(&bytes), want, "{:?}", &bytes[..bytes.len().min(12)]);
        }
    }

    #[test]
    fn web_pages_pass_neither_as_pdf_nor_as_xml() {
        let cases: Vec<(&str, Vec<u8>)> = vec![
            // A web page with `%PDF-` and `%%EOF` in comments (issue 16).
            (
                "raport.pdf",
                b"<!DOCTYPE html><html><!-- %PDF-1.4 --><script>alert(1)</script><!-- %%EOF --></html>"
                    .to_vec(),
                            ),
            (
                "raport.pdf",
                b"<html>\n%PDF-1.7\n<body onload=x()>\n%%EOF\n".to_vec(),
                            ),
            // The magic bytes and nothing of a PDF's end.
            ("skan.pdf", b"%PDF-1.7\n<< >>".to_vec()),
            // XHTML as an XML document.
            (
                "pismo.xml",
                b"<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>"
                    .to_vec(),
                            ),
            ("pismo.xml", b"<HTML><SCRIPT>x</SCRIPT></HTML>".to_vec()),
        ];
        for (name, bytes) in cases {
            assert_eq!(
                check(name, None, &bytes, &Limits::default()).map(|f| f.kind),
                Err(AttachmentError::ContentMismatch),
                "{name}: {}",
                String::from_utf8_lossy(&bytes)
            );
        }
    }

    #[test]
    fn refused_files() {
        use AttachmentError::*;
        let pdf = tiny_pdf("x");
        let cases: Vec<(&str, Option<&str>, Vec<u8>, AttachmentError)> = vec![
            // A program renamed to .pdf.
            (
                "wniosek.pdf",
                None,
                b"MZ\x90\0\x03".to_vec(),
                ContentMismatch,
            ),
            // A PDF renamed to .png, a PNG renamed to .jpg.
            ("skan.png", None, pdf.clone(), ContentMismatch),
            (
                "skan.jpg",
                None,
                b"\x89PNG\r\n\x1a\n".to_vec(),
                ContentMismatch,
            ),
            // A plain zip is not a document, whatever its name.
            (
                "pismo.docx",
                None,
                b"PK\x03\x04evil.exe".to_vec(),
                ContentMismatch,
            ),
            ("pismo.odt", None, odf("application/zip"), ContentMismatch),
            (
                "tabela.ods",
                None,
                odf("application/vnd.oasis.opendocument.text"),
                ContentMismatch,
            ),
            ("tabela.xlsx", None, ooxml("word/"), ContentMismatch),
            (
                "notatka.txt",
                None,
                b"MZ\0\0binary".to_vec(),
                ContentMismatch,
            ),
            ("dane.xml", None, b"not xml".to_vec(), ContentMismatch),
            ("podpis.p7s", None, b"<xml/>".to_vec(), ContentMismatch),
            (
                "podpis.p7s",
                None,
                vec![0x30, 0x82, 0xFF, 0xFF, 0],
                ContentMismatch,
            ),
            ("podpis.sig", None, b"random".to_vec(), ContentMismatch),
            // Not an accepted format at all.
            ("program.exe", None, b"MZ".to_vec(), TypeNotAllowed),
            ("archiwum.zip", None, b"PK\x03\x04".to_vec(), TypeNotAllowed),
            ("strona.html", None, b"<html>".to_vec(), TypeNotAllowed),
            ("bez-rozszerzenia", None, pdf.clone(), TypeNotAllowed),
            (".pdf", None, pdf.clone(), TypeNotAllowed),
            // HTML declared by the browser is refused even under an accepted name.
            (
                "strona.xml",
                Some("text/html; charset=utf-8"),
                b"<html/>".to_vec(),
                TypeNotAllowed,
            ),
            (
                "rysunek.xml",
                Some("image/svg+xml"),
                b"<svg/>".to_vec(),
                TypeNotAllowed,
            ),
            ("pusty.pdf", None, Vec::new(), Empty),
            ("../../", None, pdf.clone(), NameInvalid),
            ("\u{0}\u{7}", None, pdf.clone(), NameInvalid),
            ("  . ", None, pdf.clone(), NameInvalid),
        ];
        for (name, declared, bytes, expected) in cases {
            assert_eq!(
                check(name, declared, &bytes, &Limits::default()).map(|f| f.kind),
                Err(expected),
                "{name}"
            );
        }
        // A declared type that disagrees harmlessly is ignored: the bytes decide.
        let file = check(
            "skan.pdf",
            Some("application/octet-stream"),
            &pdf,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(file.content_type(), "application/pdf");
    }

    #[test]
    fn size_limits() {
        let limits = Limits {
            max_file_bytes: 100,
            max_item_bytes: 150,
            max_files: 2,
        };
        let big = vec![b'a'; 101];
        assert_eq!(
            check("a.txt", None, &big, &limits),
            Err(AttachmentError::TooLarge { max: 100 })
        );
        assert!(check("a.txt", None, &big[..100], &limits).is_ok());
        assert_eq!(check_item(&[100, 50], &limits), Ok(()));
        assert_eq!(
            check_item(&[100, 51], &limits),
            Err(AttachmentError::ItemTooLarge { max: 150 })
        );
        assert_eq!(
            check_item(&[1, 1, 1], &limits),
            Err(AttachmentError::TooMany { max: 2 })
        );
        assert_eq!(
            check_item(&[usize::MAX, 1], &limits).map_err(|e| e.code()),
            Err("attachment.item_too_large")
        );
        let d = Limits::default();
        assert_eq!((d.max_file_bytes, d.max_item_bytes), (10 << 20, 25 << 20));
    }

    #[test]
    fn file_names() {
        let long = format!("{}.pdf", "a".repeat(300));
        let cases: Vec<(&str, Option<String>)> = vec![
            ("wniosek.pdf", Some("wniosek.pdf".into())),
            (
                "C:\\Users\\Jan\\Pulpit\\skan 1.pdf",
                Some("skan 1.pdf".into()),
            ),
            ("/etc/passwd", Some("passwd".into())),
            ("../../etc/shadow.txt", Some("shadow.txt".into())),
            ("wnio\u{0}sek\r\n.pdf", Some("wniosek.pdf".into())),
            ("  Zażółć   gęślą.odt  ", Some("Zażółć gęślą.odt".into())),
            ("a<b>c:d\"e|f?g*.pdf", Some("abcdefg.pdf".into())),
            ("faktura\u{202E}fdp.exe", Some("fakturafdp.exe".into())),
            ("...pdf", Some("pdf".into())),
            ("CON.txt", Some("_CON.txt".into())),
            ("nul", Some("_nul".into())),
            ("", None),
            ("..", None),
            ("dir/", None),
        ];
        for (input, expected) in cases {
            assert_eq!(sanitise_name(input), expected, "{input:?}");
        }
        let short = sanitise_name(&long).unwrap();
        assert_eq!(short.chars().count(), MAX_NAME_CHARS);
        assert!(short.ends_with(".pdf"));
        let polish = format!("{}.pdf", "ż".repeat(200));
        assert_eq!(
            sanitise_name(&polish).unwrap().chars().count(),
            MAX_NAME_CHARS
        );
    }

    #[test]
    fn every_kind_has_a_type_and_label() {
        for kind in FileKind::ALL {
            assert!(kind.content_type().contains('/'));
            assert!(!kind.label().is_empty());
        }
        for ext in EXTENSIONS {
            assert_ne!(
                kind_of(ext, b""),
                Err(AttachmentError::TypeNotAllowed),
                "{ext} is listed, so it has a rule"
            );
        }
    }

    #[test]
    fn tiny_pdf_is_a_pdf_with_a_consistent_xref() {
        let pdf = tiny_pdf("Pismo (1) \\ test");
        assert!(is_pdf(&pdf));
        // Leading junk within the first KiB and trailing bytes after %%EOF still pass.
        let mut padded = b"\x00junk\n".to_vec();
        padded.extend_from_slice(&pdf);
        padded.extend_from_slice(b"\r\n");
        assert!(is_pdf(&padded));
        assert!(is_xml(
            b"<?xml version=\"1.0\"?><pismo><tresc>body</tresc></pismo>"
        ));
        assert!(is_xml(
            b"<ds:Signature xmlns:ds=\"x\"><ds:SignedInfo/></ds:Signature>"
        ));
        let text = String::from_utf8(pdf.clone()).unwrap();
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|s| s.lines().next())
            .and_then(|s| s.parse().ok())
            .unwrap();
        assert!(text[start..].starts_with("xref"));
        assert!(text.ends_with("%%EOF\n"));
    }

    proptest! {
        #[test]
        fn never_panics(
            name in ".{0,200}",
            declared in proptest::option::of(".{0,40}"),
            bytes in proptest::collection::vec(any::<u8>(), 0..600),
            max in 0usize..700,
        ) {
            let limits = Limits { max_file_bytes: max, max_item_bytes: max, max_files: 3 };
            if let Ok(file) = check(&name, declared.as_deref(), &bytes, &limits) {
                prop_assert!(file.size() <= max);
                prop_assert!(!file.file_name.is_empty());
                prop_assert!(file.file_name.chars().count() <= MAX_NAME_CHARS);
                prop_assert!(!file.file_name.contains(['/', '\\']));
                prop_assert!(!file.file_name.chars().any(char::is_control));
            }
        }

        #[test]
        fn prefixes_of_signatures_never_panic(
            prefix in proptest::sample::select(vec![
                b"PK\x03\x04".to_vec(), vec![0x30, 0x84, 0xFF], vec![0x30, 0x81], b"%PDF-".to_vec(),
            ]),
            tail in proptest::collection::vec(any::<u8>(), 0..64),
            ext in proptest::sample::select(EXTENSIONS.to_vec()),
        ) {
            let mut bytes = prefix;
            bytes.extend(tail);
            let _ = check(&format!("plik.{ext}"), None, &bytes, &Limits::default());
        }

        #[test]
        fn sanitised_names_are_stable(name in ".{0,300}") {
            if let Some(clean) = sanitise_name(&name) {
                prop_assert_eq!(sanitise_name(&clean), Some(clean.clone()));
            }
        }
    }
}
