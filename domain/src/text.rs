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
}
