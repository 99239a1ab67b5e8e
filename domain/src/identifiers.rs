//! Polish identifiers: PESEL, NIP, REGON and postal codes.
//!
//! Every parser trims surrounding whitespace, checks the characters, the length and the
//! check digit, and returns an [`IdError`] whose [`IdError::code`] is a stable machine
//! code such as `pesel.checksum`. Values are stored normalised (digits only) and
//! displayed in their canonical form.
//!
//! Sources of the algorithms:
//! - PESEL: ustawa z 24 września 2010 r. o ewidencji ludności (Dz.U. 2010 nr 217
//!   poz. 1427 ze zm.), art. 15 ust. 2 — date of birth, serial number, sex, check digit;
//!   weights 1-3-7-9 and the month offsets for the century as published by the minister
//!   responsible for computerisation (gov.pl "Numer PESEL"). \[VERIFY the article number\]
//! - NIP: weights 6-5-7-2-3-4-5-6-7, modulo 11, the remainder 10 is never issued
//!   (rozporządzenie Ministra Finansów on NIP; ustawa z 13 października 1995 r.
//!   o zasadach ewidencji i identyfikacji podatników i płatników). \[VERIFY the regulation\]
//! - REGON: weights 8-9-2-3-4-5-6-7 (9 digits) and 2-4-8-5-0-9-7-3-6-1-2-4-8 (14 digits),
//!   modulo 11, remainder 10 → 0 (rozporządzenie Rady Ministrów w sprawie sposobu
//!   i metodologii prowadzenia i aktualizacji krajowego rejestru urzędowego podmiotów
//!   gospodarki narodowej). \[VERIFY the regulation\]
//! - Postal code: the `NN-NNN` form of Poczta Polska's postal code list (PNA).

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Which identifier an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// PESEL.
    Pesel,
    /// NIP.
    Nip,
    /// REGON.
    Regon,
    /// Postal code.
    PostalCode,
    /// Bank account number (NRB, or the IBAN form `PL` + NRB).
    Nrb,
}

impl IdKind {
    /// Stable machine code of the kind, the prefix of error codes.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pesel => "pesel",
            Self::Nip => "nip",
            Self::Regon => "regon",
            Self::PostalCode => "postal_code",
            Self::Nrb => "nrb",
        }
    }
}

impl fmt::Display for IdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an identifier was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum IdError {
    /// Nothing but whitespace was given.
    #[error("{kind}: empty")]
    Empty {
        /// The identifier.
        kind: IdKind,
    },
    /// A character that may not appear (position counted in characters of the trimmed,
    /// normalised input, from 0).
    #[error("{kind}: invalid character at position {position}")]
    InvalidCharacter {
        /// The identifier.
        kind: IdKind,
        /// Position of the first offending character.
        position: usize,
    },
    /// Wrong number of digits.
    #[error("{kind}: wrong length ({found} digits)")]
    Length {
        /// The identifier.
        kind: IdKind,
        /// Number of digits found.
        found: usize,
    },
    /// The check digit does not match.
    #[error("{kind}: wrong check digit")]
    Checksum {
        /// The identifier.
        kind: IdKind,
    },
    /// A PESEL whose encoded date of birth is not a real day.
    #[error("pesel: the encoded date of birth does not exist")]
    BirthDate,
    /// A postal code not of the form `NN-NNN`.
    #[error("postal code must be written as NN-NNN")]
    PostalCodeFormat,
}

impl IdError {
    /// Stable machine code, e.g. `pesel.checksum`.
    pub const fn code(&self) -> &'static str {
        use IdKind::*;
        match self {
            Self::Empty { kind: Pesel } => "pesel.empty",
            Self::Empty { kind: Nip } => "nip.empty",
            Self::Empty { kind: Regon } => "regon.empty",
            Self::Empty { kind: PostalCode } => "postal_code.empty",
            Self::Empty { kind: Nrb } => "nrb.empty",
            Self::InvalidCharacter { kind: Pesel, .. } => "pesel.invalid_character",
            Self::InvalidCharacter { kind: Nip, .. } => "nip.invalid_character",
            Self::InvalidCharacter { kind: Regon, .. } => "regon.invalid_character",
            Self::InvalidCharacter { kind: Nrb, .. } => "nrb.invalid_character",
            Self::InvalidCharacter {
                kind: PostalCode, ..
            } => "postal_code.format",
            Self::Length { kind: Pesel, .. } => "pesel.length",
            Self::Length { kind: Nip, .. } => "nip.length",
            Self::Length { kind: Regon, .. } => "regon.length",
            Self::Length { kind: Nrb, .. } => "nrb.length",
            Self::Length {
                kind: PostalCode, ..
            } => "postal_code.format",
            Self::Checksum { kind: Pesel } => "pesel.checksum",
            Self::Checksum { kind: Nip } => "nip.checksum",
            Self::Checksum { kind: Regon } => "regon.checksum",
            Self::Checksum { kind: Nrb } => "nrb.checksum",
            Self::Checksum { kind: PostalCode } => "postal_code.format",
            Self::BirthDate => "pesel.birth_date",
            Self::PostalCodeFormat => "postal_code.format",
        }
    }

    /// The identifier the error is about.
    pub const fn kind(&self) -> IdKind {
        match self {
            Self::Empty { kind }
            | Self::InvalidCharacter { kind, .. }
            | Self::Length { kind, .. }
            | Self::Checksum { kind } => *kind,
            Self::BirthDate => IdKind::Pesel,
            Self::PostalCodeFormat => IdKind::PostalCode,
        }
    }
}

/// Digit values 0–9 of `s` (already trimmed and normalised): empty or non-digit input is
/// rejected.
fn digit_values(kind: IdKind, s: &str) -> Result<Vec<u8>, IdError> {
    if s.is_empty() {
        return Err(IdError::Empty { kind });
    }
    if let Some(position) = s.chars().position(|c| !c.is_ascii_digit()) {
        return Err(IdError::InvalidCharacter { kind, position });
    }
    Ok(s.bytes().map(|b| b - b'0').collect())
}

/// Exactly `N` digits.
fn digits<const N: usize>(kind: IdKind, s: &str) -> Result<[u8; N], IdError> {
    let v = digit_values(kind, s)?;
    <[u8; N]>::try_from(v.as_slice()).map_err(|_| IdError::Length {
        kind,
        found: v.len(),
    })
}

/// Weighted sum of digits.
fn weighted(digits: &[u8], weights: &[u32]) -> u32 {
    digits
        .iter()
        .zip(weights)
        .map(|(d, w)| u32::from(*d) * w)
        .sum()
}

fn write_digits(f: &mut fmt::Formatter<'_>, digits: &[u8]) -> fmt::Result {
    for d in digits {
        fmt::Write::write_char(f, char::from(b'0' + d))?;
    }
    Ok(())
}

macro_rules! string_serde {
    ($t:ty) => {
        impl TryFrom<String> for $t {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                <$t>::parse(&s)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> Self {
                v.to_string()
            }
        }
        impl FromStr for $t {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$t>::parse(s)
            }
        }
    };
}

// =======================================================================================
// PESEL
// =======================================================================================

/// Sex encoded in a PESEL (10th digit: even = female, odd = male).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Even 10th digit.
    Female,
    /// Odd 10th digit.
    Male,
}

/// A valid PESEL number (11 digits, real date of birth, correct check digit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Pesel {
    digits: [u8; 11],
    birth_date: Date,
}

/// PESEL check weights.
const PESEL_WEIGHTS: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

/// Month offsets encoding the century of birth: (offset, first year of the century).
const PESEL_CENTURIES: [(u8, i16); 5] = [(80, 1800), (0, 1900), (20, 2000), (40, 2100), (60, 2200)];

impl Pesel {
    /// Parses 11 digits; checks the check digit and the encoded date of birth.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        const KIND: IdKind = IdKind::Pesel;
        let d: [u8; 11] = digits(KIND, s.trim())?;
        if pesel_check_digit(&d) != d[10] {
            return Err(IdError::Checksum { kind: KIND });
        }
        let birth_date = pesel_birth_date(&d).ok_or(IdError::BirthDate)?;
        Ok(Self {
            digits: d,
            birth_date,
        })
    }

    /// Date of birth encoded in digits 1–6.
    pub fn birth_date(&self) -> Date {
        self.birth_date
    }

    /// Sex encoded in digit 10.
    pub fn sex(&self) -> Sex {
        if self.digits[9].is_multiple_of(2) {
            Sex::Female
        } else {
            Sex::Male
        }
    }
}

/// The PESEL check digit of the first 10 digits.
fn pesel_check_digit(d: &[u8]) -> u8 {
    let sum = weighted(&d[..10], &PESEL_WEIGHTS);
    // (10 - sum mod 10) mod 10, always 0..=9.
    u8::try_from((10 - sum % 10) % 10).unwrap_or(u8::MAX)
}

fn pesel_birth_date(d: &[u8; 11]) -> Option<Date> {
    let yy = i16::from(d[0] * 10 + d[1]);
    let mm = d[2] * 10 + d[3];
    let dd = d[4] * 10 + d[5];
    let (offset, century) = PESEL_CENTURIES
        .iter()
        .copied()
        .find(|(offset, _)| (offset + 1..=offset + 12).contains(&mm))?;
    let month = i8::try_from(mm - offset).ok()?;
    let day = i8::try_from(dd).ok()?;
    Date::new(century + yy, month, day).ok()
}

impl fmt::Display for Pesel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_digits(f, &self.digits)
    }
}

string_serde!(Pesel);

// =======================================================================================
// NIP
// =======================================================================================

/// A valid NIP (tax identification number), stored as 10 digits.
///
/// Input may carry a `PL` prefix (the VAT-EU form) and hyphens or spaces between digits:
/// `PL 123-456-32-18`, `123 456 32 18`, `1234563218` all give `1234563218`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nip {
    digits: [u8; 10],
}

/// NIP check weights.
const NIP_WEIGHTS: [u32; 9] = [6, 5, 7, 2, 3, 4, 5, 6, 7];

impl Nip {
    /// Parses a NIP; see the type documentation for the accepted forms.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        const KIND: IdKind = IdKind::Nip;
        let trimmed = s.trim();
        let without_prefix = trimmed
            .strip_prefix("PL")
            .or_else(|| trimmed.strip_prefix("pl"))
            .unwrap_or(trimmed)
            .trim_start();
        let normalised: String = without_prefix
            .chars()
            .filter(|c| *c != '-' && *c != ' ')
            .collect();
        let d: [u8; 10] = digits(KIND, &normalised)?;
        let rem = weighted(&d[..9], &NIP_WEIGHTS) % 11;
        if rem == 10 || rem != u32::from(d[9]) {
            return Err(IdError::Checksum { kind: KIND });
        }
        Ok(Self { digits: d })
    }

    /// The `NNN-NNN-NN-NN` form used on paper.
    pub fn formatted(&self) -> String {
        let s = self.to_string();
        format!("{}-{}-{}-{}", &s[0..3], &s[3..6], &s[6..8], &s[8..10])
    }
}

impl fmt::Display for Nip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_digits(f, &self.digits)
    }
}

string_serde!(Nip);

// =======================================================================================
// REGON
// =======================================================================================

/// A valid REGON: 9 digits (an entity) or 14 digits (a local unit: the entity's 9
/// digits, a 4-digit unit number and a check digit).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Regon {
    digits: Vec<u8>,
}

const REGON9_WEIGHTS: [u32; 8] = [8, 9, 2, 3, 4, 5, 6, 7];
const REGON14_WEIGHTS: [u32; 13] = [2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8];

/// REGON check digit: weighted sum mod 11, 10 → 0.
fn regon_check_digit(d: &[u8], weights: &[u32]) -> u8 {
    let rem = weighted(d, weights) % 11;
    u8::try_from(if rem == 10 { 0 } else { rem }).unwrap_or(u8::MAX)
}

impl Regon {
    /// Parses a 9- or 14-digit REGON. A 14-digit number must also begin with a valid
    /// 9-digit REGON.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        const KIND: IdKind = IdKind::Regon;
        let d = digit_values(KIND, s.trim())?;
        if d.len() != 9 && d.len() != 14 {
            return Err(IdError::Length {
                kind: KIND,
                found: d.len(),
            });
        }
        if regon_check_digit(&d[..8], &REGON9_WEIGHTS) != d[8] {
            return Err(IdError::Checksum { kind: KIND });
        }
        if d.len() == 14 && regon_check_digit(&d[..13], &REGON14_WEIGHTS) != d[13] {
            return Err(IdError::Checksum { kind: KIND });
        }
        Ok(Self { digits: d })
    }

    /// Whether this is the 14-digit REGON of a local unit.
    pub fn is_local_unit(&self) -> bool {
        self.digits.len() == 14
    }

    /// For a local unit, the 9-digit REGON of its entity.
    pub fn parent(&self) -> Option<Regon> {
        self.is_local_unit().then(|| Regon {
            digits: self.digits[..9].to_vec(),
        })
    }
}

impl fmt::Display for Regon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_digits(f, &self.digits)
    }
}

string_serde!(Regon);

// =======================================================================================
// Postal code
// =======================================================================================

/// A Polish postal code, `NN-NNN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PostalCode {
    digits: [u8; 5],
}

impl PostalCode {
    /// Parses `NN-NNN` (surrounding whitespace ignored).
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(IdError::Empty {
                kind: IdKind::PostalCode,
            });
        }
        let b = s.as_bytes();
        let shape_ok = b.len() == 6
            && b[2] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 2 || c.is_ascii_digit());
        if !shape_ok {
            return Err(IdError::PostalCodeFormat);
        }
        let mut digits = [0u8; 5];
        for (o, c) in digits
            .iter_mut()
            .zip(b.iter().filter(|c| c.is_ascii_digit()))
        {
            *o = c - b'0';
        }
        Ok(Self { digits })
    }
}

impl fmt::Display for PostalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_digits(f, &self.digits[..2])?;
        f.write_str("-")?;
        write_digits(f, &self.digits[2..])
    }
}

string_serde!(PostalCode);

// =======================================================================================
// NRB (bank account number)
// =======================================================================================

/// A Polish bank account number, NRB: 2 check digits, the 8-digit bank settlement
/// number and a 16-digit account number. The check digits are those of the IBAN
/// `PL` + NRB (ISO 13616-1, MOD 97-10 of ISO 7064; NBP zarządzenie nr 7/2017 on the
/// numbering of bank accounts). Accepted forms: `61 1090 1014 0000 0712 1981 2874`,
/// `PL61109010140000071219812874`, with spaces or dashes anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nrb {
    digits: [u8; 26],
}

impl Nrb {
    /// Parses an NRB or a Polish IBAN; see the type documentation.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        const KIND: IdKind = IdKind::Nrb;
        let trimmed = s.trim();
        let without_prefix = trimmed
            .strip_prefix("PL")
            .or_else(|| trimmed.strip_prefix("pl"))
            .unwrap_or(trimmed);
        let normalised: String = without_prefix
            .chars()
            .filter(|c| *c != '-' && *c != ' ')
            .collect();
        let d: [u8; 26] = digits(KIND, &normalised)?;
        // IBAN check: the 24 account digits, then "PL" as 25 21, then the check digits,
        // read as one number, leave 1 modulo 97.
        let rem = d[2..]
            .iter()
            .chain(&[2, 5, 2, 1])
            .chain(&d[..2])
            .fold(0u32, |acc, digit| (acc * 10 + u32::from(*digit)) % 97);
        if rem != 1 {
            return Err(IdError::Checksum { kind: KIND });
        }
        Ok(Self { digits: d })
    }

    /// The printed form: `61 1090 1014 0000 0712 1981 2874`.
    pub fn formatted(&self) -> String {
        let s = self.to_string();
        let mut out = s[..2].to_owned();
        for chunk in s.as_bytes()[2..].chunks(4) {
            out.push(' ');
            out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        }
        out
    }

    /// The electronic IBAN form: `PL61109010140000071219812874`.
    pub fn iban(&self) -> String {
        format!("PL{self}")
    }
}

impl fmt::Display for Nrb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_digits(f, &self.digits)
    }
}

string_serde!(Nrb);

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[allow(
        clippy::needless_pass_by_value,
        reason = "test helper called with the result of each check inline"
    )]
    fn code<T>(r: Result<T, IdError>) -> &'static str {
        match r {
            Ok(_) => "ok",
            Err(e) => e.code(),
        }
    }

    // Check digits below were computed independently (weights as documented above).

    #[test]
    fn pesel_valid() {
        let cases = [
            ("44051401359", date(1944, 5, 14), Sex::Male),
            ("02070803628", date(1902, 7, 8), Sex::Female),
            ("02231101239", date(2002, 3, 11), Sex::Male),
            ("80123123451", date(1980, 12, 31), Sex::Male),
            ("04322901018", date(2004, 12, 29), Sex::Male),
            ("02810200003", date(1802, 1, 2), Sex::Female),
            ("22430500071", date(2122, 3, 5), Sex::Male),
            ("81010112347", date(1981, 1, 1), Sex::Female),
        ];
        for (s, born, sex) in cases {
            let p = Pesel::parse(s).unwrap();
            assert_eq!(p.birth_date(), born, "{s}");
            assert_eq!(p.sex(), sex, "{s}");
            assert_eq!(p.to_string(), s);
            assert_eq!(s.parse::<Pesel>(), Ok(p));
        }
        assert!(Pesel::parse(" 44051401359\n").is_ok());
    }

    #[test]
    fn pesel_invalid() {
        let cases = [
            ("", "pesel.empty"),
            ("   ", "pesel.empty"),
            ("44051401358", "pesel.checksum"),
            ("44051401350", "pesel.checksum"),
            ("4405140135", "pesel.length"),
            ("440514013599", "pesel.length"),
            ("4405140135a", "pesel.invalid_character"),
            ("440514-01359", "pesel.invalid_character"),
            ("４4051401359", "pesel.invalid_character"),
            // Real check digits, impossible dates: 30 Feb 1999; month 13; 29 Feb 2001.
            ("99023012348", "pesel.birth_date"),
            ("99130112345", "pesel.birth_date"),
            ("01222912349", "pesel.birth_date"),
            ("00000000000", "pesel.birth_date"),
        ];
        for (s, want) in cases {
            // Re-derive the check digit for the date cases so only the date is wrong.
            let s = if want == "pesel.birth_date" {
                let d: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
                format!("{}{}", &s[..10], pesel_check_digit(&d))
            } else {
                s.to_owned()
            };
            assert_eq!(code(Pesel::parse(&s)), want, "{s:?}");
        }
        assert_eq!(
            Pesel::parse("4405140135a"),
            Err(IdError::InvalidCharacter {
                kind: IdKind::Pesel,
                position: 10
            })
        );
    }

    #[test]
    fn nip() {
        for s in [
            "1234563218",
            "123-456-32-18",
            "123 456 32 18",
            "PL1234563218",
            "pl 123-456-32-18",
            "  PL 1234563218 ",
            "123-45-63-218",
        ] {
            let n = Nip::parse(s).unwrap();
            assert_eq!(n.to_string(), "1234563218", "{s}");
            assert_eq!(n.formatted(), "123-456-32-18");
        }
        for s in ["5260001252", "9512345675", "6761022337", "7740001230"] {
            assert!(Nip::parse(s).is_ok(), "{s}");
        }
        for (s, want) in [
            ("1234563217", "nip.checksum"),
            ("1234563219", "nip.checksum"),
            ("5250000008", "nip.checksum"), // remainder is 9
            // remainder 10 is never a valid NIP, whatever the last digit:
            ("0200000000", "nip.checksum"),
            ("0200000001", "nip.checksum"),
            ("1111111110", "nip.checksum"),
            ("123456321", "nip.length"),
            ("12345632180", "nip.length"),
            ("DE1234563218", "nip.invalid_character"),
            ("123_456_32_18", "nip.invalid_character"),
            ("", "nip.empty"),
            ("PL", "nip.empty"),
            ("--", "nip.empty"),
        ] {
            assert_eq!(code(Nip::parse(s)), want, "{s:?}");
        }
    }

    #[test]
    fn regon() {
        for s in [
            "123456785",
            "010000009",
            "730000006",
            "350604014",
            "492320025",
        ] {
            let r = Regon::parse(s).unwrap();
            assert_eq!(r.to_string(), s);
            assert!(!r.is_local_unit());
            assert_eq!(r.parent(), None);
        }
        for s in ["12345678512347", "73000000600014"] {
            let r = Regon::parse(s).unwrap();
            assert_eq!(r.to_string(), s);
            assert!(r.is_local_unit());
            assert_eq!(r.parent().map(|p| p.to_string()), Some(s[..9].to_owned()));
        }
        for (s, want) in [
            ("123456784", "regon.checksum"),
            ("12345678512346", "regon.checksum"),
            // Valid 14-digit check over an invalid 9-digit prefix.
            ("12345678412340", "regon.checksum"),
            ("1234567851", "regon.length"),
            ("12345678", "regon.length"),
            ("12345678a", "regon.invalid_character"),
            ("1234567a512347", "regon.invalid_character"),
            ("12345-785", "regon.invalid_character"),
            ("ąęśćżźół", "regon.invalid_character"),
            ("", "regon.empty"),
        ] {
            assert_eq!(code(Regon::parse(s)), want, "{s:?}");
        }
    }

    #[test]
    fn postal_code() {
        let p = PostalCode::parse("00-950").unwrap();
        assert_eq!(p.to_string(), "00-950");
        assert_eq!(
            " 31-004 ".parse::<PostalCode>().map(|p| p.to_string()),
            Ok("31-004".into())
        );
        for (s, want) in [
            ("", "postal_code.empty"),
            ("00950", "postal_code.format"),
            ("0-0950", "postal_code.format"),
            ("00-95", "postal_code.format"),
            ("00-9500", "postal_code.format"),
            ("0a-950", "postal_code.format"),
            ("00–950", "postal_code.format"), // en dash
            ("00 950", "postal_code.format"),
        ] {
            assert_eq!(code(PostalCode::parse(s)), want, "{s:?}");
        }
    }

    #[test]
    fn error_kinds() {
        assert_eq!(IdError::BirthDate.kind(), IdKind::Pesel);
        assert_eq!(IdError::PostalCodeFormat.kind(), IdKind::PostalCode);
        assert_eq!(IdError::Checksum { kind: IdKind::Nip }.kind(), IdKind::Nip);
        assert_eq!(IdKind::PostalCode.to_string(), "postal_code");
    }

    // ---------------------------------------------------------------- properties

    fn digits_to_string(d: &[u8]) -> String {
        d.iter().map(|x| char::from(b'0' + x)).collect()
    }

    // The generators below build valid numbers with a model of their own, written apart
    // from the code under test from the published rules (weights and centuries copied
    // from the sources, not from the constants above), and checked against published
    // examples in `the_model_agrees_with_published_examples`.

    /// PESEL (ustawa o ewidencji ludności, art. 15 ust. 2; the check digit as MSWiA
    /// publishes it): weights 1 3 7 9 1 3 7 9 1 3; check = (10 − sum mod 10) mod 10.
    fn model_pesel_check(d: &[u8]) -> u8 {
        let sum: u32 = d
            .iter()
            .zip([1u32, 3, 7, 9, 1, 3, 7, 9, 1, 3])
            .map(|(digit, weight)| u32::from(*digit) * weight)
            .sum();
        let last = sum % 10;
        u8::try_from(if last == 0 { 0 } else { 10 - last }).unwrap()
    }

    /// The month field of a PESEL: the month plus 80 (1800s), 0 (1900s), 20 (2000s),
    /// 40 (2100s), 60 (2200s).
    fn model_pesel_month_offset(year: i16) -> u8 {
        match year {
            1800..=1899 => 80,
            1900..=1999 => 0,
            2000..=2099 => 20,
            2100..=2199 => 40,
            2200..=2299 => 60,
            _ => panic!("no PESEL for {year}"),
        }
    }

    /// NIP (rozporządzenie MF w sprawie NIP): weights 6 5 7 2 3 4 5 6 7; check = sum mod
    /// 11, and a remainder of 10 is never issued.
    fn model_nip_check(d: &[u8]) -> Option<u8> {
        let sum: u32 = d
            .iter()
            .zip([6u32, 5, 7, 2, 3, 4, 5, 6, 7])
            .map(|(digit, weight)| u32::from(*digit) * weight)
            .sum();
        let check = sum % 11;
        (check != 10).then(|| u8::try_from(check).unwrap())
    }

    /// REGON (GUS): 9 digits with weights 8 9 2 3 4 5 6 7, 14 digits with weights
    /// 2 4 8 5 0 9 7 3 6 1 2 4 8; check = sum mod 11, a remainder of 10 giving 0.
    fn model_regon_check(d: &[u8]) -> u8 {
        let weights: &[u32] = if d.len() == 8 {
            &[8, 9, 2, 3, 4, 5, 6, 7]
        } else {
            &[2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8]
        };
        let sum: u32 = d
            .iter()
            .zip(weights)
            .map(|(digit, weight)| u32::from(*digit) * weight)
            .sum();
        u8::try_from(sum % 11 % 10).unwrap()
    }

    fn digits(s: &str) -> Vec<u8> {
        s.bytes().map(|b| b - b'0').collect()
    }

    #[test]
    fn the_model_agrees_with_published_examples() {
        // PESEL 44051401359 (the commonly published example: a man born 14 May 1944)
        // and 02270803624 (a woman born 8 July 2002: month 07 + 20), worked by hand:
        // 0·1+2·3+2·7+7·9+0·1+8·3+0·7+3·9+6·1+2·3 = 146, (10 − 6) mod 10 = 4.
        for pesel in ["44051401359", "02270803624"] {
            let d = digits(pesel);
            assert_eq!(model_pesel_check(&d[..10]), d[10], "{pesel}");
        }
        // NIP 123-456-32-18, the commonly published sample: 1·6+2·5+3·7+4·2+5·3+6·4+
        // 3·5+2·6+1·7 = 118, 118 mod 11 = 8.
        assert_eq!(model_nip_check(&digits("123456321")), Some(8));
        // REGON 123456785 (1·8+2·9+3·2+4·3+5·4+6·5+7·6+8·7 = 192, 192 mod 11 = 5) and
        // the local unit 12345678512347 (the commonly published samples).
        assert_eq!(model_regon_check(&digits("12345678")), 5);
        assert_eq!(model_regon_check(&digits("1234567851234")), 7);
    }

    fn valid_pesel() -> impl Strategy<Value = (String, Date, Sex)> {
        (0i64..182_000, proptest::collection::vec(0u8..10, 4)).prop_map(|(days, serial)| {
            let born = crate::days::add_days(date(1800, 1, 1), days).unwrap();
            let y = born.year();
            let yy = u8::try_from(y % 100).unwrap();
            let mm = u8::try_from(born.month()).unwrap() + model_pesel_month_offset(y);
            let dd = u8::try_from(born.day()).unwrap();
            let mut d = vec![yy / 10, yy % 10, mm / 10, mm % 10, dd / 10, dd % 10];
            d.extend(&serial);
            let sex = if serial[3] % 2 == 0 {
                Sex::Female
            } else {
                Sex::Male
            };
            d.push(model_pesel_check(&d));
            (digits_to_string(&d), born, sex)
        })
    }

    fn valid_nip() -> impl Strategy<Value = String> {
        proptest::collection::vec(0u8..10, 9)
            .prop_filter("remainder 10 gives no NIP", |d| {
                model_nip_check(d).is_some()
            })
            .prop_map(|mut d| {
                d.push(model_nip_check(&d).unwrap());
                digits_to_string(&d)
            })
    }

    fn valid_regon() -> impl Strategy<Value = String> {
        (
            proptest::collection::vec(0u8..10, 8),
            proptest::option::of(proptest::collection::vec(0u8..10, 4)),
        )
            .prop_map(|(mut d, unit)| {
                d.push(model_regon_check(&d));
                if let Some(u) = unit {
                    d.extend(u);
                    d.push(model_regon_check(&d));
                }
                digits_to_string(&d)
            })
    }

    /// Every single-digit change of `s`.
    fn mutations(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        for i in 0..s.len() {
            for c in '0'..='9' {
                if s.as_bytes()[i] != c as u8 {
                    let mut m = s.to_owned();
                    m.replace_range(i..=i, &c.to_string());
                    out.push(m);
                }
            }
        }
        out
    }

    #[test]
    fn nrb() {
        // The standard example of a Polish IBAN (ISO 13616 registry), in every form.
        for s in [
            "61109010140000071219812874",
            "61 1090 1014 0000 0712 1981 2874",
            "PL61109010140000071219812874",
            "PL 61 1090 1014 0000 0712 1981 2874",
            " pl61-1090-1014-0000-0712-1981-2874 ",
        ] {
            let n = Nrb::parse(s).unwrap();
            assert_eq!(n.to_string(), "61109010140000071219812874", "{s}");
            assert_eq!(n.formatted(), "61 1090 1014 0000 0712 1981 2874");
            assert_eq!(n.iban(), "PL61109010140000071219812874");
        }
        for (s, want) in [
            ("", "nrb.empty"),
            ("   ", "nrb.empty"),
            ("62109010140000071219812874", "nrb.checksum"),
            ("61109010140000071219812875", "nrb.checksum"),
            ("6110901014000007121981287", "nrb.length"),
            ("611090101400000712198128744", "nrb.length"),
            ("61 1090 1014 0000 0712 1981 287X", "nrb.invalid_character"),
            ("DE89370400440532013000", "nrb.invalid_character"),
        ] {
            assert_eq!(code(Nrb::parse(s)), want, "{s:?}");
        }
    }

    proptest! {
        #[test]
        fn generated_pesel_parses((s, born, sex) in valid_pesel()) {
            let p = Pesel::parse(&s).unwrap();
            prop_assert_eq!(p.birth_date(), born);
            prop_assert_eq!(p.sex(), sex);
            prop_assert_eq!(p.to_string(), s);
        }

        #[test]
        fn pesel_single_digit_change_is_rejected((s, _, _) in valid_pesel()) {
            for m in mutations(&s) {
                prop_assert!(Pesel::parse(&m).is_err(), "{} accepted", m);
            }
        }

        #[test]
        fn generated_nip_parses(s in valid_nip()) {
            let n = Nip::parse(&s).unwrap();
            prop_assert_eq!(n.to_string(), s.clone());
            prop_assert_eq!(Nip::parse(&n.formatted()), Ok(n));
            prop_assert_eq!(Nip::parse(&format!("PL{s}")), Ok(n));
        }

        #[test]
        fn nip_single_digit_change_is_rejected(s in valid_nip()) {
            for m in mutations(&s) {
                prop_assert!(Nip::parse(&m).is_err(), "{} accepted", m);
            }
        }

        #[test]
        fn generated_regon_parses(s in valid_regon()) {
            prop_assert_eq!(Regon::parse(&s).map(|r| r.to_string()), Ok(s));
        }

        /// REGON's check folds remainder 10 into 0, so a change that moves a weighted
        /// sum between ≡ 0 and ≡ 10 (mod 11) is undetectable by design: that case, and
        /// only that one, is allowed to pass.
        #[test]
        fn regon_single_digit_change_is_rejected(s in valid_regon()) {
            let rems = |t: &str| -> (u32, Option<u32>) {
                let d: Vec<u8> = t.bytes().map(|b| b - b'0').collect();
                let r9 = weighted(&d[..8], &REGON9_WEIGHTS) % 11;
                let r14 = (d.len() == 14).then(|| weighted(&d[..13], &REGON14_WEIGHTS) % 11);
                (r9, r14)
            };
            let folded = |a: u32, b: u32| a != b && matches!(a, 0 | 10) && matches!(b, 0 | 10);
            let (o9, o14) = rems(&s);
            for m in mutations(&s) {
                if Regon::parse(&m).is_ok() {
                    let (m9, m14) = rems(&m);
                    let explained = folded(o9, m9)
                        || matches!((o14, m14), (Some(a), Some(b)) if folded(a, b));
                    prop_assert!(explained, "{} accepted (from {})", m, s);
                }
            }
        }

        #[test]
        fn postal_code_round_trips(a in 0u8..100, b in 0u16..1000) {
            let s = format!("{a:02}-{b:03}");
            prop_assert_eq!(PostalCode::parse(&s).map(|p| p.to_string()), Ok(s));
        }

        #[test]
        fn parsers_never_panic(s in ".{0,20}") {
            let _ = Pesel::parse(&s);
            let _ = Nip::parse(&s);
            let _ = Regon::parse(&s);
            let _ = PostalCode::parse(&s);
            let _ = Nrb::parse(&s);
        }

        #[test]
        fn nrb_with_computed_check_digits_is_accepted_and_one_digit_change_is_not(
            account in proptest::collection::vec(0u8..10, 24),
            at in 0usize..26,
            delta in 1u8..10,
        ) {
            let body: String = account.iter().map(|d| char::from(b'0' + d)).collect();
            let rem = format!("{body}252100")
                .bytes()
                .fold(0u32, |acc, b| (acc * 10 + u32::from(b - b'0')) % 97);
            let s = format!("{:02}{body}", 98 - rem);
            let n = Nrb::parse(&s).unwrap();
            prop_assert_eq!(Nrb::parse(&n.formatted()), Ok(n));
            prop_assert_eq!(Nrb::parse(&n.iban()), Ok(n));
            // MOD 97 catches every single-digit substitution.
            let mut bytes = s.into_bytes();
            bytes[at] = b'0' + (bytes[at] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(Nrb::parse(&changed).is_err(), "{} accepted", changed);
        }
    }
}
