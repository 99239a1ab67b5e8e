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

/// The fewest digits in a run that [`mask_identifiers`] hides: REGON has 9, NIP 10,
/// PESEL 11, a bank account 26; a phone number has 9. Dates (8 digits with their
/// dashes), amounts and case numbers stay readable.
pub const MASKED_RUN: usize = 9;

/// Text shown to whoever holds a case's tracking code (issue 15): identifiers hidden,
/// so a code that leaks does not leak a PESEL (RODO art. 5(1)(c), data minimisation;
/// art. 32, confidentiality). Every run of [`MASKED_RUN`] or more digits — separated
/// at most by single spaces or dashes, as NIP „123-456-78-90” or an account is
/// written — shows only its last two digits („•••••••••59”); an e-mail address only
/// its first letter and its domain („a•••@example.pl”). Everything else is unchanged.
pub fn mask_identifiers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<char> = chars.clone();
    // Digit runs.
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        let mut digits = Vec::new();
        while end < chars.len() {
            if chars[end].is_ascii_digit() {
                digits.push(end);
                end += 1;
            } else if matches!(chars[end], ' ' | '-')
                && chars.get(end + 1).is_some_and(char::is_ascii_digit)
            {
                end += 1;
            } else {
                break;
            }
        }
        if digits.len() >= MASKED_RUN {
            for &d in &digits[..digits.len() - 2] {
                out[d] = '•';
            }
        }
        i = end.max(start + 1);
    }
    // E-mail addresses: the local part before „@”, but its first character.
    for (at, _) in chars.iter().enumerate().filter(|(_, c)| **c == '@') {
        let local = |c: &char| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
        let mut begin = at;
        while begin > 0 && local(&chars[begin - 1]) {
            begin -= 1;
        }
        if begin < at && chars.get(at + 1).is_some_and(|c| c.is_alphanumeric()) {
            for c in &mut out[begin + 1..at] {
                *c = '•';
            }
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn identifiers_are_masked_and_the_rest_kept() {
        for (text, masked) in [
            (
                "Zaświadczenie dla 44051401359",
                "Zaświadczenie dla •••••••••59",
            ),
            (
                "NIP 123-456-78-19, REGON 123456785",
                "NIP •••-•••-••-19, REGON •••••••85",
            ),
            ("tel. 600 100 200", "tel. ••• ••• •00"),
            (
                "konto 10 1020 4027 0000 1902 1234 5678",
                "konto •• •••• •••• •••• •••• •••• ••78",
            ),
            (
                "pisać na anna.nowak@example.pl.",
                "pisać na a•••••••••@example.pl.",
            ),
            (
                "SA.5311.12.2026 z 2026-12-03, 1 000 zł",
                "SA.5311.12.2026 z 2026-12-03, 1 000 zł",
            ),
            ("kod 5JEB-ZGWX-HR68", "kod 5JEB-ZGWX-HR68"),
            ("12345678", "12345678"),
            ("@ @x a@ @@", "@ @x a@ @@"),
            ("", ""),
        ] {
            assert_eq!(mask_identifiers(text), masked, "{text}");
        }
    }

    proptest! {
        #[test]
        fn no_pesel_survives_masking(prefix in "\\PC{0,20}", pesel in "[0-9]{11}", suffix in "\\PC{0,20}") {
            let masked = mask_identifiers(&format!("{prefix}{pesel}{suffix}"));
            prop_assert!(!masked.contains(&pesel));
            prop_assert!(!masked.contains(&pesel[..9]));
        }

        #[test]
        fn masking_keeps_the_length_and_is_idempotent(text in "\\PC{0,60}") {
            let masked = mask_identifiers(&text);
            prop_assert_eq!(masked.chars().count(), text.chars().count());
            prop_assert_eq!(mask_identifiers(&masked), masked);
        }
    }

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
