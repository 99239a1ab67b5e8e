//! Text as people search it: case- and diacritic-insensitive, so „Zaświadczenie”,
//! „ZASWIADCZENIE” and „zaswiadczenie” are one word to the service-card and case
//! searches.

/// Lowercase without diacritics, so „Zaświadczenie” and „zaswiadczenie” match. Covers
/// Polish letters and the other Latin ones of neighbouring languages in names.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ą' | 'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'ć' | 'č' | 'ç' => 'c',
            'ď' => 'd',
            'ę' | 'é' | 'è' | 'ê' | 'ë' | 'ě' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ł' | 'ľ' | 'ĺ' => 'l',
            'ń' | 'ň' | 'ñ' => 'n',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ő' => 'o',
            'ř' => 'r',
            'ś' | 'š' => 's',
            'ť' => 't',
            'ú' | 'ù' | 'û' | 'ü' | 'ů' | 'ű' => 'u',
            'ý' => 'y',
            'ź' | 'ż' | 'ž' => 'z',
            other => other,
        })
        .collect()
}

/// `s` for a SQL `LIKE … ESCAPE '\\'` pattern: `%`, `_` and `\\` stand for themselves.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A control character no text field takes: every C0 and C1 control and DEL, except
/// the tab, line feed and carriage return of ordinary multi-line text. A NUL breaks
/// PostgreSQL's text type and SQLite's full-text search; the others have no business
/// in a letter's subject or a name (issue 16).
pub fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Whether `s` holds a [`is_forbidden_control`] character.
pub fn has_forbidden_control(s: &str) -> bool {
    s.chars().any(is_forbidden_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_diacritics() {
        for (text, folded) in [
            (
                "Zaświadczenie O ZAMELDOWANIU",
                "zaswiadczenie o zameldowaniu",
            ),
            ("Łódź, Żółć", "lodz, zolc"),
            ("Gęślą jaźń", "gesla jazn"),
            ("Müller-Čapek Ñandú", "muller-capek nandu"),
            ("SA.5340.12.2026", "sa.5340.12.2026"),
            ("", ""),
        ] {
            assert_eq!(fold(text), folded, "{text}");
        }
    }

    #[test]
    fn folding_twice_changes_nothing() {
        for text in ["Zażółć gęślą jaźń", "ŁÓDŹ", "Śląsk"] {
            assert_eq!(fold(&fold(text)), fold(text));
        }
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_escape("zwykły tekst"), "zwykły tekst");
        assert_eq!(like_escape("100%"), "100\\%");
        assert_eq!(like_escape("a_b"), "a\\_b");
        assert_eq!(like_escape("c:\\x"), "c:\\\\x");
    }

    #[test]
    fn control_characters_but_ordinary_whitespace_are_forbidden() {
        for (text, forbidden) in [
            ("Zaświadczenie o zameldowaniu", false),
            ("dwa\nwiersze\r\ni\ttabulator", false),
            ("a\u{0}b", true),
            ("\u{1}", true),
            ("\u{1b}[31m", true),
            ("\u{7f}", true),
            ("\u{85}", true),
            ("\u{9f}", true),
            ("\u{a0}", false),
            ("", false),
        ] {
            assert_eq!(has_forbidden_control(text), forbidden, "{text:?}");
        }
    }
}
