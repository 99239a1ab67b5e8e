//! Password policy for staff accounts.
//!
//! Length first (NIST SP 800-63B §5.1.1.2: at least 8, allow at least 64, screen
//! against common and context-specific values); this policy asks for 12 by default,
//! allows 128, rejects passwords built only from one character class, passwords that
//! contain the user's login or name, and common passwords from a small embedded list
//! (matched ignoring case, Polish diacritics and leading/trailing digits or symbols, so
//! `Haslo123!` is caught as `haslo`). Length is counted in Unicode characters.
//!
//! [`PasswordPolicy::check`] reports every problem at once; each has a stable
//! [`PasswordProblem::code`].

use serde::{Deserialize, Serialize};

/// Context words shorter than this (in characters) are not looked for in passwords:
/// "jk" or "pl" would reject too much.
pub const MIN_CONTEXT_WORD_CHARS: usize = 3;

/// A problem with a proposed password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum PasswordProblem {
    /// Fewer characters than the policy's minimum.
    TooShort {
        /// Required minimum.
        min: usize,
        /// Characters given.
        actual: usize,
    },
    /// More characters than the policy's maximum.
    TooLong {
        /// Allowed maximum.
        max: usize,
        /// Characters given.
        actual: usize,
    },
    /// Contains the login, the name or another context word.
    ContainsPersonalData,
    /// Only lowercase letters, only uppercase, only digits or only symbols.
    SingleCharacterClass,
    /// A well-known password or a trivial variant of one.
    Common,
}

impl PasswordProblem {
    /// Stable machine code.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::TooShort { .. } => "password.too_short",
            Self::TooLong { .. } => "password.too_long",
            Self::ContainsPersonalData => "password.contains_personal_data",
            Self::SingleCharacterClass => "password.single_character_class",
            Self::Common => "password.common",
        }
    }
}

/// Length limits of the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    /// Minimum number of characters.
    pub min_length: usize,
    /// Maximum number of characters.
    pub max_length: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_length: 12,
            max_length: 128,
        }
    }
}

/// Common passwords and base words, lowercase, without Polish diacritics. Sources:
/// the top of public breach-frequency lists, and Polish favourites (`haslo`,
/// `zaq1@wsx`, `polska`) plus words an office's staff would reach for.
const COMMON: &[&str] = &[
    "123456789012",
    "1234567890",
    "12345678910",
    "123456789",
    "12345678",
    "1q2w3e4r5t6y",
    "1q2w3e4r",
    "1qaz2wsx3edc",
    "1qaz2wsx",
    "abc123",
    "abcdefghijkl",
    "admin",
    "administrator",
    "bazadanych",
    "dragon",
    "football",
    "gmina",
    "haslo",
    "hasloadmin",
    "iloveyou",
    "kochamcie",
    "letmein",
    "magistrat",
    "master",
    "monkey",
    "niepodleglosc",
    "password",
    "passw0rd",
    "polska",
    "qazwsx",
    "qazwsxedc",
    "qwerty",
    "qwertyuiop",
    "qwertyuiopasdfgh",
    "sekretariat",
    "starwars",
    "sunshine",
    "superhaslo",
    "trustno1",
    "urzad",
    "urzadgminy",
    "urzadmiasta",
    "welcome",
    "zaq12wsx",
    "zaq1@wsx",
    "zaq1@wsxcde3",
    "zaq12wsxcde3",
    "zaq1xsw2",
    "zxcvbnm",
    "zxcvbnmasdf",
];

/// Lowercase with Polish diacritics folded to ASCII letters.
fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ą' => 'a',
            'ć' => 'c',
            'ę' => 'e',
            'ł' => 'l',
            'ń' => 'n',
            'ó' => 'o',
            'ś' => 's',
            'ź' | 'ż' => 'z',
            other => other,
        })
        .collect()
}

fn is_common(folded: &str) -> bool {
    let core = folded.trim_matches(|c: char| !c.is_alphabetic());
    COMMON.contains(&folded) || (!core.is_empty() && COMMON.contains(&core))
}

fn contains_context(folded_password: &str, context: &[&str]) -> bool {
    context.iter().any(|item| {
        fold(item)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= MIN_CONTEXT_WORD_CHARS)
            .any(|w| folded_password.contains(w))
    })
}

fn character_classes(password: &str) -> usize {
    let (mut lower, mut upper, mut digit, mut other) = (false, false, false, false);
    for c in password.chars() {
        if c.is_lowercase() {
            lower = true;
        } else if c.is_uppercase() {
            upper = true;
        } else if c.is_numeric() {
            digit = true;
        } else {
            other = true;
        }
    }
    [lower, upper, digit, other].iter().filter(|x| **x).count()
}

impl PasswordPolicy {
    /// Checks `password` against the policy. `context` holds words the password must not
    /// contain: login, first and last name, e-mail address (split at non-alphanumeric
    /// characters; parts shorter than [`MIN_CONTEXT_WORD_CHARS`] are ignored).
    pub fn check(&self, password: &str, context: &[&str]) -> Result<(), Vec<PasswordProblem>> {
        let mut problems = Vec::new();
        let length = password.chars().count();
        if length < self.min_length {
            problems.push(PasswordProblem::TooShort {
                min: self.min_length,
                actual: length,
            });
        }
        if length > self.max_length {
            problems.push(PasswordProblem::TooLong {
                max: self.max_length,
                actual: length,
            });
        }
        if length > 0 && character_classes(password) < 2 {
            problems.push(PasswordProblem::SingleCharacterClass);
        }
        let folded = fold(password);
        if contains_context(&folded, context) {
            problems.push(PasswordProblem::ContainsPersonalData);
        }
        if is_common(&folded) {
            problems.push(PasswordProblem::Common);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn codes(r: Result<(), Vec<PasswordProblem>>) -> Vec<&'static str> {
        r.err()
            .unwrap_or_default()
            .iter()
            .map(PasswordProblem::code)
            .collect()
    }

    #[test]
    fn table() {
        let policy = PasswordPolicy::default();
        let ctx = [
            "jkowalski",
            "Jan Kowalski",
            "jan.kowalski@gmina-przykladowo.pl",
        ];
        let cases: &[(&str, &[&str])] = &[
            ("correct horse battery staple", &[]),
            ("Zielony-Rower-2026", &[]),
            ("Żółty żuraw nad Wisłą", &[]),
            ("short1A!", &["password.too_short"]),
            ("", &["password.too_short"]),
            ("abcdefghijklmnop", &["password.single_character_class"]),
            ("ABCDEFGHIJKLMNOP", &["password.single_character_class"]),
            ("483920571938", &["password.single_character_class"]),
            ("!@#$%^&*()_+-=", &["password.single_character_class"]),
            ("jkowalski-2026!", &["password.contains_personal_data"]),
            ("Kowalski#Rower9", &["password.contains_personal_data"]),
            ("KÓWALSKI rower 9", &["password.contains_personal_data"]),
            (
                "mieszkam w Przykladowo 1",
                &["password.contains_personal_data"],
            ),
            ("Password1234!", &["password.common"]),
            ("Hasło12345678", &["password.common"]),
            ("2024!Qwertyuiop", &["password.common"]),
            ("zaq1@WSXcde3", &["password.common"]),
            (
                "123456789012",
                &["password.single_character_class", "password.common"],
            ),
            (
                "Jan1!",
                &["password.too_short", "password.contains_personal_data"],
            ),
        ];
        for (pw, want) in cases {
            assert_eq!(codes(policy.check(pw, &ctx)), *want, "{pw:?}");
        }
        let long = "aB3".repeat(43);
        assert_eq!(codes(policy.check(&long, &[])), ["password.too_long"]);
        assert_eq!(
            policy.check("short", &[]).unwrap_err()[0],
            PasswordProblem::TooShort { min: 12, actual: 5 }
        );
        // Context words shorter than 3 characters are ignored.
        assert!(policy.check("Zielony-Rower-2026", &["Ro", "", "-"]).is_ok());
        // Length is counted in characters, not bytes: 12 Polish letters + class mix.
        assert!(policy.check("ŻÓŁĆżółćęśąń", &[]).is_ok());
    }

    #[test]
    fn custom_limits() {
        let policy = PasswordPolicy {
            min_length: 4,
            max_length: 8,
        };
        assert!(policy.check("Ab3x", &[]).is_ok());
        assert_eq!(codes(policy.check("Ab3xAb3xA", &[])), ["password.too_long"]);
    }

    proptest! {
        #[test]
        fn never_panics_and_is_deterministic(pw in ".{0,200}", ctx in proptest::collection::vec(".{0,12}", 0..4)) {
            let ctx: Vec<&str> = ctx.iter().map(String::as_str).collect();
            let policy = PasswordPolicy::default();
            prop_assert_eq!(policy.check(&pw, &ctx), policy.check(&pw, &ctx));
        }

        #[test]
        fn length_rules(pw in "[a-z]{0,140}") {
            let n = pw.chars().count();
            let problems = PasswordPolicy::default().check(&pw, &[]).err().unwrap_or_default();
            prop_assert_eq!(problems.iter().any(|p| p.code() == "password.too_short"), n < 12);
            prop_assert_eq!(problems.iter().any(|p| p.code() == "password.too_long"), n > 128);
        }
    }
}
