//! Polish alphabetical order (issue 15): „Zaświadczenie” before „Zawarcie”, „Łódź”
//! after „Lublin”, „Ćmielów” after „Cyców” — the order of the Polish alphabet
//! (a ą b c ć d e ę f g h i j k l ł m n ń o ó p q r s ś t u v w x y z ź ż), as
//! PN-ISO/IEC 14651 and the CLDR's Polish tailoring order letters, not the order of
//! their code points (which puts every letter with a diacritic after „z”).
//!
//! Case is a later difference: „zawarcie” and „Zawarcie” sit together, lower case
//! first. Letters of other languages sort with their base letter („é” with „e”).

use std::cmp::Ordering;

/// The Polish alphabet in order (lower case).
const ALPHABET: [char; 35] = [
    'a', 'ą', 'b', 'c', 'ć', 'd', 'e', 'ę', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'ł', 'm', 'n', 'ń',
    'o', 'ó', 'p', 'q', 'r', 's', 'ś', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ź', 'ż',
];

/// A character's place at the first level: spaces, then punctuation and symbols (by
/// code point), then digits, then letters in the Polish alphabet's order; a letter
/// outside it takes its base letter's place.
fn primary(c: char) -> u32 {
    let lower = c.to_lowercase().next().unwrap_or(c);
    if lower.is_whitespace() {
        return 0;
    }
    if let Some(i) = ALPHABET.iter().position(|&l| l == lower) {
        return 0x20_0000 + u32::try_from(i).unwrap_or(0);
    }
    if lower.is_alphabetic() {
        let base = crate::text::fold(&lower.to_string())
            .chars()
            .next()
            .unwrap_or(lower);
        if let Some(i) = ALPHABET.iter().position(|&l| l == base) {
            return 0x20_0000 + u32::try_from(i).unwrap_or(0);
        }
        // Other scripts after the Latin letters, by code point.
        return 0x30_0000 + u32::from(lower);
    }
    if let Some(d) = lower.to_digit(10) {
        return 0x10_0000 + d;
    }
    1 + u32::from(lower)
}

/// Compares two texts in Polish alphabetical order: letter by letter by the
/// alphabet, a shorter text before its continuation, then lower case before upper,
/// then (for texts different only in characters of equal place) by code point, so the
/// order is total and consistent with equality.
pub fn compare(a: &str, b: &str) -> Ordering {
    a.chars()
        .map(primary)
        .cmp(b.chars().map(primary))
        .then_with(|| {
            a.chars()
                .map(char::is_uppercase)
                .cmp(b.chars().map(char::is_uppercase))
        })
        .then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sorts_in_polish_order() {
        for sorted in [
            &["Zaświadczenie o zameldowaniu", "Zawarcie małżeństwa"][..],
            &["Lublin", "Łódź"],
            &["Cyców", "Ćmielów"],
            &["Ser", "Śledź", "Tama"],
            &["Zyta", "Źródło", "Żaba"],
            &["Ola", "Ósemka", "Pola"],
            &["Nowak", "Ńa", "Oko"],
            &["Ela", "Ęka", "Fala"],
            &["Ala", "Ąb", "Be"],
            &["akt", "Akt", "akta"],
            &["Karta Dużej Rodziny", "Karta usług"],
            &["10 zł", "a"],
            &["Décor", "Dom"],
            &[
                "Petycja",
                "Podatek od nieruchomości",
                "Rejestracja urodzenia dziecka",
            ],
        ] {
            let mut shuffled = sorted.to_vec();
            shuffled.reverse();
            shuffled.sort_by(|a, b| compare(a, b));
            assert_eq!(shuffled, sorted.to_vec());
        }
    }

    proptest! {
        #[test]
        fn the_order_is_total_and_consistent(a in "\\PC{0,12}", b in "\\PC{0,12}", c in "\\PC{0,12}") {
            prop_assert_eq!(compare(&a, &b), compare(&b, &a).reverse());
            prop_assert_eq!(compare(&a, &b) == Ordering::Equal, a == b);
            if compare(&a, &b) != Ordering::Greater && compare(&b, &c) != Ordering::Greater {
                prop_assert_ne!(compare(&a, &c), Ordering::Greater);
            }
        }

        #[test]
        fn letters_with_diacritics_follow_their_base_letter(prefix in "[a-z]{0,5}", tail in "[a-z]{0,5}") {
            for (base, marked, next) in [('a', 'ą', 'b'), ('s', 'ś', 't'), ('z', 'ż', '{'), ('l', 'ł', 'm')] {
                let b = format!("{prefix}{base}{tail}");
                let m = format!("{prefix}{marked}");
                prop_assert_eq!(compare(&b, &m), Ordering::Less);
                if next.is_alphabetic() {
                    prop_assert_eq!(compare(&m, &format!("{prefix}{next}")), Ordering::Less);
                }
            }
        }
    }
}
