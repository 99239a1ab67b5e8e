//! The code a resident follows a case by (`/case-status?code=`): 12 characters of
//! Crockford-style base32 (60 bits), grouped `XXXX-XXXX-XXXX`. Not a legal identifier:
//! the office's own service, unguessable so that it reveals nothing to a stranger.
//!
//! The randomness comes from the caller (this crate does no I/O).

/// The 32 characters of a code: digits and capitals without I, L, O and U, so that a
/// code read aloud or typed from paper cannot be mistaken.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The code made of 12 random bytes (5 bits of each are used).
pub fn from_random(bytes: [u8; 12]) -> String {
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b & 31)]))
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A tracking code as typed by a person, in its stored form; `None` if it cannot be
/// one. Case, spaces and hyphens do not matter; O reads as 0 and I, L as 1.
pub fn normalize(input: &str) -> Option<String> {
    let chars: Vec<char> = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    // `c as u8` alone would keep only a character's low byte: 'İ' (U+0130) would pass
    // as '0'. Only ASCII characters are checked against the alphabet.
    let in_alphabet = |c: &char| u8::try_from(*c).is_ok_and(|b| ALPHABET.contains(&b));
    if chars.len() != 12 || !chars.iter().all(in_alphabet) {
        return None;
    }
    Some(
        chars
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_are_grouped_base32_and_normalise() {
        let code = from_random([0, 1, 2, 3, 31, 32, 33, 63, 200, 201, 254, 255]);
        assert_eq!(code, "0123-Z01Z-89YZ");
        assert_eq!(normalize(&code), Some(code.clone()));
        assert_eq!(normalize("0123 z01z 89yz"), Some(code.clone()));
        assert_eq!(normalize("oooo-llll-iiii"), Some("0000-1111-1111".into()));
        assert_eq!(normalize("ABC"), None);
        // A character outside ASCII whose low byte is a code character (found by the
        // fuzz target `tracking_code`).
        assert_eq!(normalize("\u{130}123-Z01Z-89YZ"), None);
        assert_eq!(normalize("UUUU-UUUU-UUUU"), None);
        assert_eq!(normalize("ĄĄĄĄ-ĄĄĄĄ-ĄĄĄĄ"), None);
        assert_eq!(normalize("0123-Z01Z-89YZ-0"), None);
    }

    proptest! {
        #[test]
        fn every_code_normalises_to_itself(bytes in proptest::array::uniform12(any::<u8>())) {
            let code = from_random(bytes);
            prop_assert_eq!(code.len(), 14);
            prop_assert_eq!(normalize(&code), Some(code.clone()));
            prop_assert_eq!(normalize(&code.to_lowercase().replace('-', " ")), Some(code));
        }
    }
}
