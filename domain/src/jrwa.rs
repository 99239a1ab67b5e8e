//! Kategorie archiwalne of the JRWA (jednolity rzeczowy wykaz akt), the 2011
//! regulation (Dz.U. 2011 nr 14 poz. 67), research file §2.6:
//!
//! - `A` — materiały archiwalne, kept for ever;
//! - `Bn` — documentation kept `n` years, then destroyed (e.g. `B5`, `B10`, `B25`);
//! - `BEn` — kept `n` years, then reviewed by the state archive (e.g. `BE5`, `BE10`);
//! - `Bc` — short-term documentation, may be destroyed once used.
//!
//! The practice of writing `BE-5` with a hyphen is accepted; the canonical form has
//! none.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Longest retention period accepted, in years.
pub const MAX_RETENTION_YEARS: u8 = 100;

/// An archival category of a JRWA leaf class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ArchivalCategory {
    /// `A`: kept permanently.
    Archival,
    /// `Bn`: kept n years, then destroyed.
    Kept(u8),
    /// `BEn`: kept n years, then expert review by the state archive.
    Expertise(u8),
    /// `Bc`: short-term, destroyed once used.
    ShortTerm,
}

/// Why an archival category was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum CategoryError {
    /// Nothing was given.
    #[error("the archival category is empty")]
    Empty,
    /// Not one of A, Bn, BEn, Bc.
    #[error("the archival category must be A, Bn, BEn or Bc")]
    Format,
    /// A retention of 0 or more than [`MAX_RETENTION_YEARS`] years.
    #[error("the retention period must be 1 to {MAX_RETENTION_YEARS} years")]
    Years,
}

impl CategoryError {
    /// Stable machine code.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Empty => "jrwa_category.empty",
            Self::Format => "jrwa_category.format",
            Self::Years => "jrwa_category.years",
        }
    }
}

fn years(s: &str) -> Result<u8, CategoryError> {
    let s = s.strip_prefix('-').unwrap_or(s);
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CategoryError::Format);
    }
    if s.starts_with('0') {
        return Err(CategoryError::Years);
    }
    s.parse::<u8>()
        .ok()
        .filter(|n| (1..=MAX_RETENTION_YEARS).contains(n))
        .ok_or(CategoryError::Years)
}

impl ArchivalCategory {
    /// Parses `A`, `B5`, `BE10`, `BE-5`, `Bc` (surrounding whitespace ignored).
    pub fn parse(s: &str) -> Result<Self, CategoryError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(CategoryError::Empty);
        }
        if s == "A" {
            return Ok(Self::Archival);
        }
        if s == "Bc" || s == "BC" {
            return Ok(Self::ShortTerm);
        }
        if let Some(rest) = s.strip_prefix("BE") {
            return years(rest).map(Self::Expertise);
        }
        if let Some(rest) = s.strip_prefix('B') {
            return years(rest).map(Self::Kept);
        }
        Err(CategoryError::Format)
    }

    /// Whether the documentation goes to the state archive (category A).
    pub const fn is_archival(self) -> bool {
        matches!(self, Self::Archival)
    }

    /// Years the documentation is kept, where the category sets a number.
    pub const fn retention_years(self) -> Option<u8> {
        match self {
            Self::Kept(n) | Self::Expertise(n) => Some(n),
            Self::Archival | Self::ShortTerm => None,
        }
    }
}

impl fmt::Display for ArchivalCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Archival => f.write_str("A"),
            Self::Kept(n) => write!(f, "B{n}"),
            Self::Expertise(n) => write!(f, "BE{n}"),
            Self::ShortTerm => f.write_str("Bc"),
        }
    }
}

impl FromStr for ArchivalCategory {
    type Err = CategoryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for ArchivalCategory {
    type Error = CategoryError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<ArchivalCategory> for String {
    fn from(c: ArchivalCategory) -> Self {
        c.to_string()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn categories_parse() {
        use ArchivalCategory::*;
        let table: &[(&str, Result<ArchivalCategory, CategoryError>)] = &[
            ("A", Ok(Archival)),
            ("B5", Ok(Kept(5))),
            ("B10", Ok(Kept(10))),
            ("B50", Ok(Kept(50))),
            ("BE5", Ok(Expertise(5))),
            ("BE-5", Ok(Expertise(5))),
            ("BE10", Ok(Expertise(10))),
            ("Bc", Ok(ShortTerm)),
            (" BE25 ", Ok(Expertise(25))),
            ("", Err(CategoryError::Empty)),
            ("   ", Err(CategoryError::Empty)),
            ("B", Err(CategoryError::Format)),
            ("BE", Err(CategoryError::Format)),
            ("a", Err(CategoryError::Format)),
            ("C5", Err(CategoryError::Format)),
            ("B5x", Err(CategoryError::Format)),
            ("B-x", Err(CategoryError::Format)),
            ("B0", Err(CategoryError::Years)),
            ("BE05", Err(CategoryError::Years)),
            ("B101", Err(CategoryError::Years)),
            ("B99999999999", Err(CategoryError::Years)),
        ];
        for (input, expected) in table {
            assert_eq!(ArchivalCategory::parse(input), *expected, "{input:?}");
        }
    }

    #[test]
    fn retention_and_archival() {
        assert!(ArchivalCategory::Archival.is_archival());
        assert_eq!(ArchivalCategory::Kept(10).retention_years(), Some(10));
        assert_eq!(ArchivalCategory::ShortTerm.retention_years(), None);
        assert_eq!(CategoryError::Years.code(), "jrwa_category.years");
    }

    proptest! {
        #[test]
        fn display_round_trips(n in 1u8..=100, which in 0u8..4) {
            let c = match which {
                0 => ArchivalCategory::Archival,
                1 => ArchivalCategory::Kept(n),
                2 => ArchivalCategory::Expertise(n),
                _ => ArchivalCategory::ShortTerm,
            };
            prop_assert_eq!(ArchivalCategory::parse(&c.to_string()), Ok(c));
        }

        #[test]
        fn never_panics(s in ".{0,20}") {
            let _ = ArchivalCategory::parse(&s);
        }
    }
}
