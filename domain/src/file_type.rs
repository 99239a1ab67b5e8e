//! The kinds of file a service card deals in (its downloadable forms, the uploads its
//! e-service form allows), told by their content — the domain's sniffer — not by the
//! name or the browser's Content-Type, both of which the sender chooses. Pure; fuzzed beside
//! [`crate::form_definition`].

/// A kind of document the office accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    /// PDF.
    Pdf,
    /// OpenDocument text.
    Odt,
    /// Word (Office Open XML).
    Docx,
    /// Word 97–2003.
    Doc,
    /// Rich Text Format.
    Rtf,
    /// JPEG image.
    Jpeg,
    /// PNG image.
    Png,
}

impl FileKind {
    /// Every kind.
    pub const ALL: [FileKind; 7] = [
        FileKind::Pdf,
        FileKind::Odt,
        FileKind::Docx,
        FileKind::Doc,
        FileKind::Rtf,
        FileKind::Jpeg,
        FileKind::Png,
    ];

    /// The kinds a downloadable form of a service card may be.
    pub const FORMS: [FileKind; 5] = [
        FileKind::Pdf,
        FileKind::Odt,
        FileKind::Docx,
        FileKind::Doc,
        FileKind::Rtf,
    ];

    /// The stable code, also the usual file extension.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Odt => "odt",
            FileKind::Docx => "docx",
            FileKind::Doc => "doc",
            FileKind::Rtf => "rtf",
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
        }
    }

    /// The kind of a code or extension (`pdf`, `.PDF`, `jpeg`), if it is one.
    pub fn parse(code: &str) -> Option<FileKind> {
        let code = code.trim().trim_start_matches('.').to_ascii_lowercase();
        match code.as_str() {
            "jpeg" => Some(FileKind::Jpeg),
            _ => FileKind::ALL.into_iter().find(|k| k.as_str() == code),
        }
    }

    /// The media type a download of this kind is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Doc => "application/msword",
            FileKind::Rtf => "application/rtf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
        }
    }

    /// The kind a file name claims by its extension.
    pub fn from_file_name(name: &str) -> Option<FileKind> {
        let (_, ext) = name.rsplit_once('.')?;
        FileKind::parse(ext)
    }
}

/// The kind the bytes are, if it is one of these: the content is read by the one
/// sniffer every upload goes through (`magistrat_domain::attachment::sniff`).
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    use crate::attachment::{FileKind as Any, sniff};
    match sniff(bytes)? {
        Any::Pdf => Some(FileKind::Pdf),
        Any::Odt => Some(FileKind::Odt),
        Any::Docx => Some(FileKind::Docx),
        Any::Doc => Some(FileKind::Doc),
        Any::Rtf => Some(FileKind::Rtf),
        Any::Jpeg => Some(FileKind::Jpeg),
        Any::Png => Some(FileKind::Png),
        _ => None,
    }
}

/// Why an upload is refused; `code()` is the Fluent id of the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileProblem {
    /// No bytes at all.
    Empty,
    /// Larger than allowed.
    TooLarge,
    /// The bytes are not a kind on the allowed list.
    WrongType,
    /// The name's extension says another kind than the bytes.
    NameMismatch,
}

impl FileProblem {
    /// The Fluent id of the message.
    pub fn code(self) -> &'static str {
        match self {
            FileProblem::Empty => "file-empty",
            FileProblem::TooLarge => "file-too-large",
            FileProblem::WrongType => "file-wrong-type",
            FileProblem::NameMismatch => "file-name-mismatch",
        }
    }
}

/// Checks an upload against the allowed kinds and size: the bytes decide the kind, and
/// the name must agree (so a download is opened by the right program).
pub fn check_upload(
    file_name: &str,
    bytes: &[u8],
    allowed: &[FileKind],
    max_bytes: u64,
) -> Result<FileKind, FileProblem> {
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    if bytes.len() as u64 > max_bytes {
        return Err(FileProblem::TooLarge);
    }
    let kind = sniff(bytes)
        .filter(|k| allowed.contains(k))
        .ok_or(FileProblem::WrongType)?;
    let named = FileKind::from_file_name(file_name);
    if named != Some(kind) {
        return Err(FileProblem::NameMismatch);
    }
    Ok(kind)
}

/// A file name safe to store and to put in a URL path segment and a
/// Content-Disposition header: the last path component, letters (any script), digits,
/// `.`, `-`, `_`; other characters become `_`; at most 100 characters; never empty.
pub fn safe_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.');
    let mut out: String = cleaned
        .chars()
        .rev()
        .take(100)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if out.is_empty() {
        out = "plik".to_owned();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ZIP local header (30 bytes: sizes at 18 and 22, name length 8 at 26) with the
    /// stored `mimetype` entry.
    fn odt_head() -> Vec<u8> {
        let content = b"application/vnd.oasis.opendocument.text";
        let size = (content.len() as u32).to_le_bytes();
        let mut v = b"PK\x03\x04".to_vec();
        v.extend_from_slice(&[0; 14]);
        v.extend_from_slice(&size);
        v.extend_from_slice(&size);
        v.extend_from_slice(&[8, 0, 0, 0]);
        v.extend_from_slice(b"mimetype");
        v.extend_from_slice(content);
        v
    }

    #[test]
    fn kinds_by_magic_bytes() {
        let cases: &[(&[u8], Option<FileKind>)] = &[
            (b"%PDF-1.7\n%%EOF\n", Some(FileKind::Pdf)),
            (b"{\\rtf1\\ansi", Some(FileKind::Rtf)),
            (
                &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0],
                Some(FileKind::Doc),
            ),
            (&odt_head(), Some(FileKind::Odt)),
            (
                b"PK\x03\x04....[Content_Types].xml....word/document.xml",
                Some(FileKind::Docx),
            ),
            (b"PK\x03\x04 just a zip", None),
            (b"\xFF\xD8\xFF\xE0", Some(FileKind::Jpeg)),
            (b"\x89PNG\r\n\x1a\n", Some(FileKind::Png)),
            (b"MZ\x90\x00", None),
            (b"<html>", None),
            (b"", None),
        ];
        for (bytes, want) in cases {
            assert_eq!(sniff(bytes), *want, "{bytes:?}");
        }
    }

    #[test]
    fn uploads_are_checked_by_content_name_and_size() {
        let forms = &FileKind::FORMS;
        assert_eq!(
            check_upload("wniosek.pdf", b"%PDF-1.4\n%%EOF", forms, 100),
            Ok(FileKind::Pdf)
        );
        assert_eq!(
            check_upload("WNIOSEK.PDF", b"%PDF-1.4\n%%EOF", forms, 100),
            Ok(FileKind::Pdf)
        );
        assert_eq!(
            check_upload("wniosek.odt", &odt_head(), forms, 1000),
            Ok(FileKind::Odt)
        );
        assert_eq!(
            check_upload("a.pdf", b"", forms, 100),
            Err(FileProblem::Empty)
        );
        assert_eq!(
            check_upload("a.pdf", b"%PDF-1.4 xx\n%%EOF", forms, 5),
            Err(FileProblem::TooLarge)
        );
        assert_eq!(
            check_upload("a.pdf", b"MZ\x90", forms, 100),
            Err(FileProblem::WrongType)
        );
        assert_eq!(
            check_upload("a.png", b"\x89PNG\r\n\x1a\n", forms, 100),
            Err(FileProblem::WrongType)
        );
        assert_eq!(
            check_upload("a.doc", b"%PDF-1.4\n%%EOF", forms, 100),
            Err(FileProblem::NameMismatch)
        );
        assert_eq!(
            check_upload("pdf", b"%PDF-1.4\n%%EOF", forms, 100),
            Err(FileProblem::NameMismatch)
        );
    }

    #[test]
    fn file_names_are_made_safe() {
        assert_eq!(safe_file_name("wniosek o dowód.pdf"), "wniosek_o_dowód.pdf");
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("C:\\Users\\a\\x.doc"), "x.doc");
        assert_eq!(safe_file_name("\"a\";b.pdf"), "_a__b.pdf");
        assert_eq!(safe_file_name(".htaccess"), "htaccess");
        assert_eq!(safe_file_name(""), "plik");
        assert_eq!(safe_file_name(&"a".repeat(300)).chars().count(), 100);
        assert_eq!(FileKind::parse("JPEG"), Some(FileKind::Jpeg));
        assert_eq!(FileKind::parse(".docx"), Some(FileKind::Docx));
        assert_eq!(FileKind::parse("exe"), None);
    }
}
