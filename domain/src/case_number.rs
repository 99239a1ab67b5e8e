//! Znak sprawy — the permanent identifier of a case file.
//!
//! Rozporządzenie Prezesa Rady Ministrów z dnia 18 stycznia 2011 r. w sprawie instrukcji
//! kancelaryjnej, jednolitych rzeczowych wykazów akt oraz instrukcji w sprawie
//! organizacji i zakresu działania archiwów zakładowych (Dz.U. 2011 nr 14 poz. 67),
//! załącznik nr 1 (instrukcja kancelaryjna); research file §2.5. A znak sprawy consists
//! of, separated by dots:
//!
//! 1. the symbol of the organisational unit, with a sub-unit (referat) symbol after a
//!    hyphen — the only place a hyphen may appear;
//! 2. the JRWA classification symbol (class of the uniform list of files);
//! 3. optionally, the number of a sub-folder within the class \[VERIFY position\];
//! 4. the sequential number of the case in the spis spraw (per unit, class and year);
//! 5. the four digits of the year the case started;
//! 6. optionally, the initials of the official handling it.
//!
//! `UNIT[-SUBUNIT].CLASS[.SUBFOLDER].NO.YEAR[.INITIALS]`, e.g. `SA.5310.12.2026`,
//! `WO-II.6730.1.2026.JK`, and the instrukcja's own example `ABC-A.123.77.3.2011.JW`.
//!
//! Parsing is strict and canonical, so `Display` and `parse` round-trip: no leading
//! zeros in numbers, exactly four digits of the year.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::rules::JRWA_CLASS_MAX_DIGITS;

/// Longest accepted unit or sub-unit symbol, in characters.
pub const UNIT_SYMBOL_MAX_CHARS: usize = 12;
/// Longest accepted initials, in characters.
pub const INITIALS_MAX_CHARS: usize = 6;
/// Longest accepted znak sprawy, in bytes (checked before any other work).
pub const CASE_NUMBER_MAX_BYTES: usize = 128;
/// Years a case may start in (four digits).
pub const CASE_YEAR_MIN: i16 = 1000;
/// Years a case may start in (four digits).
pub const CASE_YEAR_MAX: i16 = 9999;

/// Why a znak sprawy or one of its parts was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum CaseNumberError {
    /// Nothing was given.
    #[error("the case number is empty")]
    Empty,
    /// Longer than [`CASE_NUMBER_MAX_BYTES`].
    #[error("the case number is too long")]
    TooLong,
    /// Wrong number of dot-separated parts, or an empty part.
    #[error("the case number must read UNIT.CLASS.NUMBER.YEAR[.INITIALS]")]
    Structure,
    /// Unit symbol empty.
    #[error("the unit symbol is empty")]
    UnitEmpty,
    /// Unit or sub-unit symbol longer than [`UNIT_SYMBOL_MAX_CHARS`].
    #[error("the unit symbol is too long")]
    UnitTooLong,
    /// The unit symbol does not start with an uppercase letter.
    #[error("the unit symbol must start with an uppercase letter")]
    UnitStart,
    /// A character other than uppercase letters and digits in a unit symbol.
    #[error("the unit symbol may contain only uppercase letters and digits")]
    UnitCharacter,
    /// `ABC-` — a hyphen with nothing after it.
    #[error("the sub-unit symbol is empty")]
    SubunitEmpty,
    /// More than one hyphen.
    #[error("only one sub-unit may follow the unit symbol")]
    TooManySubunits,
    /// JRWA class empty, too long or not all digits.
    #[error("the JRWA class must be 1 to {JRWA_CLASS_MAX_DIGITS} digits")]
    JrwaClass,
    /// The case number is not a positive integer without leading zeros.
    #[error("the case number must be a positive integer")]
    Number,
    /// The sub-folder number is not a positive integer without leading zeros.
    #[error("the sub-folder number must be a positive integer")]
    Subfolder,
    /// The year is not four digits (1000–9999).
    #[error("the year must have four digits")]
    Year,
    /// Initials are not 1–6 letters.
    #[error("the initials must be 1 to {INITIALS_MAX_CHARS} letters")]
    Initials,
}

impl CaseNumberError {
    /// Stable machine code.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Empty => "case_number.empty",
            Self::TooLong => "case_number.too_long",
            Self::Structure => "case_number.structure",
            Self::UnitEmpty => "case_number.unit_empty",
            Self::UnitTooLong => "case_number.unit_too_long",
            Self::UnitStart => "case_number.unit_start",
            Self::UnitCharacter => "case_number.unit_character",
            Self::SubunitEmpty => "case_number.subunit_empty",
            Self::TooManySubunits => "case_number.too_many_subunits",
            Self::JrwaClass => "case_number.jrwa_class",
            Self::Number => "case_number.number",
            Self::Subfolder => "case_number.subfolder",
            Self::Year => "case_number.year",
            Self::Initials => "case_number.initials",
        }
    }
}

/// Polish uppercase letters outside ASCII.
const POLISH_UPPER: &str = "ĄĆĘŁŃÓŚŹŻ";
/// Polish lowercase letters outside ASCII.
const POLISH_LOWER: &str = "ąćęłńóśźż";

fn is_upper_letter(c: char) -> bool {
    c.is_ascii_uppercase() || POLISH_UPPER.contains(c)
}

fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || POLISH_UPPER.contains(c) || POLISH_LOWER.contains(c)
}

/// A positive decimal integer without sign or leading zeros.
fn positive(s: &str) -> Option<u32> {
    if s.is_empty() || s.starts_with('0') || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

// =======================================================================================
// Unit symbol
// =======================================================================================

/// Symbol of an organisational unit, optionally with a sub-unit: `SA`, `WB1`, `WO-II`,
/// `ABC-A`, `OŚ`. The unit starts with an uppercase letter; both parts consist of
/// uppercase letters (Polish ones included; Roman numerals are letters) and digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnitSymbol {
    unit: String,
    subunit: Option<String>,
}

impl UnitSymbol {
    /// Parses `UNIT` or `UNIT-SUBUNIT`.
    pub fn parse(s: &str) -> Result<Self, CaseNumberError> {
        let mut parts = s.split('-');
        let unit = parts.next().unwrap_or_default();
        let subunit = parts.next();
        if parts.next().is_some() {
            return Err(CaseNumberError::TooManySubunits);
        }
        if unit.is_empty() {
            return Err(CaseNumberError::UnitEmpty);
        }
        check_symbol(unit)?;
        if !unit.starts_with(is_upper_letter) {
            return Err(CaseNumberError::UnitStart);
        }
        if let Some(sub) = subunit {
            if sub.is_empty() {
                return Err(CaseNumberError::SubunitEmpty);
            }
            check_symbol(sub)?;
        }
        Ok(Self {
            unit: unit.to_owned(),
            subunit: subunit.map(str::to_owned),
        })
    }

    /// The unit's own symbol (before the hyphen).
    pub fn unit(&self) -> &str {
        &self.unit
    }

    /// The sub-unit symbol (after the hyphen), if any.
    pub fn subunit(&self) -> Option<&str> {
        self.subunit.as_deref()
    }
}

fn check_symbol(s: &str) -> Result<(), CaseNumberError> {
    if !s.chars().all(|c| is_upper_letter(c) || c.is_ascii_digit()) {
        return Err(CaseNumberError::UnitCharacter);
    }
    if s.chars().count() > UNIT_SYMBOL_MAX_CHARS {
        return Err(CaseNumberError::UnitTooLong);
    }
    Ok(())
}

impl fmt::Display for UnitSymbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.unit)?;
        if let Some(sub) = &self.subunit {
            write!(f, "-{sub}")?;
        }
        Ok(())
    }
}

// =======================================================================================
// JRWA class
// =======================================================================================

/// A JRWA classification symbol: 1 to [`JRWA_CLASS_MAX_DIGITS`] digits. Leading zeros
/// are significant (`0020` is a class of the first-level class `0`), so the symbol is a
/// digit string, not a number; each digit is one level of the decimal hierarchy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct JrwaClass(String);

impl JrwaClass {
    /// Parses a class symbol.
    pub fn parse(s: &str) -> Result<Self, CaseNumberError> {
        if s.is_empty() || s.len() > JRWA_CLASS_MAX_DIGITS || !s.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(CaseNumberError::JrwaClass);
        }
        Ok(Self(s.to_owned()))
    }

    /// The symbol, e.g. `5310`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Level in the hierarchy: the number of digits (1 = first-level class).
    pub fn level(&self) -> usize {
        self.0.len()
    }

    /// The class one level up (`5310` → `531`); `None` for a first-level class.
    pub fn parent(&self) -> Option<JrwaClass> {
        (self.0.len() > 1).then(|| JrwaClass(self.0[..self.0.len() - 1].to_owned()))
    }

    /// Whether `self` lies under `ancestor` in the hierarchy (or is it).
    pub fn is_within(&self, ancestor: &JrwaClass) -> bool {
        self.0.starts_with(&ancestor.0)
    }
}

impl fmt::Display for JrwaClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// =======================================================================================
// Initials
// =======================================================================================

/// Initials of the official handling the case: 1 to [`INITIALS_MAX_CHARS`] letters
/// (Polish letters included; case kept as written).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Initials(String);

impl Initials {
    /// Parses initials.
    pub fn parse(s: &str) -> Result<Self, CaseNumberError> {
        let n = s.chars().count();
        if n == 0 || n > INITIALS_MAX_CHARS || !s.chars().all(is_letter) {
            return Err(CaseNumberError::Initials);
        }
        Ok(Self(s.to_owned()))
    }

    /// The initials as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Initials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// =======================================================================================
// CaseNumber
// =======================================================================================

/// A znak sprawy. Built only through [`CaseNumber::new`] or parsing, so every value
/// displays as a string that parses back to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseNumber {
    unit: UnitSymbol,
    jrwa_class: JrwaClass,
    subfolder: Option<u32>,
    number: u32,
    year: i16,
    initials: Option<Initials>,
}

impl CaseNumber {
    /// A znak sprawy without sub-folder and initials. `number` must be positive, `year`
    /// four digits.
    pub fn new(
        unit: UnitSymbol,
        jrwa_class: JrwaClass,
        number: u32,
        year: i16,
    ) -> Result<Self, CaseNumberError> {
        if number == 0 {
            return Err(CaseNumberError::Number);
        }
        if !(CASE_YEAR_MIN..=CASE_YEAR_MAX).contains(&year) {
            return Err(CaseNumberError::Year);
        }
        Ok(Self {
            unit,
            jrwa_class,
            subfolder: None,
            number,
            year,
            initials: None,
        })
    }

    /// With the handling official's initials.
    pub fn with_initials(mut self, initials: Initials) -> Self {
        self.initials = Some(initials);
        self
    }

    /// With a sub-folder number (positive).
    pub fn with_subfolder(mut self, subfolder: u32) -> Result<Self, CaseNumberError> {
        if subfolder == 0 {
            return Err(CaseNumberError::Subfolder);
        }
        self.subfolder = Some(subfolder);
        Ok(self)
    }

    /// Parses a znak sprawy (surrounding whitespace ignored).
    pub fn parse(s: &str) -> Result<Self, CaseNumberError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(CaseNumberError::Empty);
        }
        if s.len() > CASE_NUMBER_MAX_BYTES {
            return Err(CaseNumberError::TooLong);
        }
        let parts: Vec<&str> = s.split('.').collect();
        if !(4..=6).contains(&parts.len()) || parts.iter().any(|p| p.is_empty()) {
            return Err(CaseNumberError::Structure);
        }
        let (head, mut rest) = parts.split_at(2);
        let unit = UnitSymbol::parse(head[0])?;
        let jrwa_class = JrwaClass::parse(head[1])?;

        // Initials, if the last part holds no digit.
        let mut initials = None;
        if let Some((last, before)) = rest.split_last()
            && !last.bytes().any(|b| b.is_ascii_digit())
        {
            initials = Some(Initials::parse(last)?);
            rest = before;
        }
        let (subfolder, number, year) = match rest {
            [number, year] => (None, *number, *year),
            [subfolder, number, year] => (Some(*subfolder), *number, *year),
            _ => return Err(CaseNumberError::Structure),
        };
        let number = positive(number).ok_or(CaseNumberError::Number)?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CaseNumberError::Year);
        }
        let year: i16 = year.parse().map_err(|_| CaseNumberError::Year)?;

        let mut cn = CaseNumber::new(unit, jrwa_class, number, year)?;
        if let Some(sub) = subfolder {
            cn = cn.with_subfolder(positive(sub).ok_or(CaseNumberError::Subfolder)?)?;
        }
        if let Some(ini) = initials {
            cn = cn.with_initials(ini);
        }
        Ok(cn)
    }

    /// The organisational unit.
    pub fn unit(&self) -> &UnitSymbol {
        &self.unit
    }

    /// The JRWA class.
    pub fn jrwa_class(&self) -> &JrwaClass {
        &self.jrwa_class
    }

    /// The sub-folder number, if any.
    pub fn subfolder(&self) -> Option<u32> {
        self.subfolder
    }

    /// Sequential number in the spis spraw.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// Year the case started.
    pub fn year(&self) -> i16 {
        self.year
    }

    /// Initials of the handling official, if any.
    pub fn initials(&self) -> Option<&Initials> {
        self.initials.as_ref()
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.unit, self.jrwa_class)?;
        if let Some(sub) = self.subfolder {
            write!(f, ".{sub}")?;
        }
        write!(f, ".{}.{}", self.number, self.year)?;
        if let Some(ini) = &self.initials {
            write!(f, ".{ini}")?;
        }
        Ok(())
    }
}

macro_rules! string_serde {
    ($t:ty) => {
        impl FromStr for $t {
            type Err = CaseNumberError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$t>::parse(s)
            }
        }
        impl TryFrom<String> for $t {
            type Error = CaseNumberError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                <$t>::parse(&s)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> Self {
                v.to_string()
            }
        }
    };
}

string_serde!(UnitSymbol);
string_serde!(JrwaClass);
string_serde!(Initials);
string_serde!(CaseNumber);

/// The znak `UNIT[-SUBUNIT].CLASS.NO.YEAR[.INITIALS]` from its stored parts, each
/// checked by its type; `None` when a part cannot be one. Initials that do not parse are
/// left out (they are optional in the instrukcja kancelaryjna).
pub fn build_znak(
    unit: &str,
    class: &str,
    number: i32,
    year: i32,
    initials: Option<&str>,
) -> Option<String> {
    let mut cn = CaseNumber::new(
        UnitSymbol::parse(unit).ok()?,
        JrwaClass::parse(class).ok()?,
        u32::try_from(number).ok()?,
        i16::try_from(year).ok()?,
    )
    .ok()?;
    if let Some(ini) = initials.and_then(|i| Initials::parse(i).ok()) {
        cn = cn.with_initials(ini);
    }
    Some(cn.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn znak_follows_the_instrukcja() {
        assert_eq!(
            build_znak("SA", "1431", 7, 2026, None).as_deref(),
            Some("SA.1431.7.2026")
        );
        assert_eq!(
            build_znak("WO-II", "6220", 3, 2026, Some("JK")).as_deref(),
            Some("WO-II.6220.3.2026.JK")
        );
        assert_eq!(
            build_znak("SA", "1431", 7, 2026, Some("J.K")).as_deref(),
            Some("SA.1431.7.2026"),
            "initials that do not parse are left out"
        );
        assert_eq!(build_znak("SA", "1431", 0, 2026, None), None);
        assert_eq!(build_znak("sa", "1431", 1, 2026, None), None);
        assert_eq!(build_znak("SA", "14x1", 1, 2026, None), None);
        assert_eq!(build_znak("SA", "1431", 1, 99_999, None), None);
    }

    #[test]
    fn real_examples_round_trip() {
        for s in [
            "SA.5310.12.2026",
            "WO-II.6730.1.2026.JK",
            "ABC-II.5310.12.2026",
            "WB1-WOP.1431.1.2020",
            "B-PG.1431.1.2021",
            "WB1-PP.1431.1.2021",
            "ABC-A.123.77.3.2011.JW",
            "OŚ.6220.4.2025",
            "GK-III.7021.100.2026.ŁŻ",
            "A.0.1.1000",
            "RO.0020.5.2026.jk",
            "WB.53101.1.2026",
        ] {
            let cn = CaseNumber::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"));
            assert_eq!(cn.to_string(), s);
        }
    }

    #[test]
    fn parts() {
        let cn: CaseNumber = "WO-II.6730.1.2026.JK".parse().unwrap();
        assert_eq!(cn.unit().unit(), "WO");
        assert_eq!(cn.unit().subunit(), Some("II"));
        assert_eq!(cn.jrwa_class().as_str(), "6730");
        assert_eq!(cn.number(), 1);
        assert_eq!(cn.year(), 2026);
        assert_eq!(cn.initials().map(Initials::as_str), Some("JK"));
        assert_eq!(cn.subfolder(), None);

        let cn: CaseNumber = "ABC-A.123.77.3.2011.JW".parse().unwrap();
        assert_eq!(cn.subfolder(), Some(77));
        assert_eq!(cn.number(), 3);
        assert_eq!(cn.year(), 2011);

        let cn: CaseNumber = "SA.5310.77.3.2011".parse().unwrap();
        assert_eq!((cn.subfolder(), cn.number()), (Some(77), 3));

        let built = CaseNumber::new(
            UnitSymbol::parse("SA").unwrap(),
            JrwaClass::parse("5310").unwrap(),
            12,
            2026,
        )
        .unwrap()
        .with_initials(Initials::parse("AK").unwrap());
        assert_eq!(built.to_string(), "SA.5310.12.2026.AK");
        assert_eq!(
            CaseNumber::new(
                UnitSymbol::parse("SA").unwrap(),
                JrwaClass::parse("1").unwrap(),
                0,
                2026
            ),
            Err(CaseNumberError::Number)
        );
        assert_eq!(
            CaseNumber::new(
                UnitSymbol::parse("SA").unwrap(),
                JrwaClass::parse("1").unwrap(),
                1,
                999
            ),
            Err(CaseNumberError::Year)
        );
        assert_eq!(
            built.clone().with_subfolder(0),
            Err(CaseNumberError::Subfolder)
        );
    }

    #[test]
    fn jrwa_hierarchy() {
        let c = JrwaClass::parse("0020").unwrap();
        assert_eq!(c.level(), 4);
        assert_eq!(c.parent().map(|p| p.to_string()), Some("002".into()));
        assert!(c.is_within(&JrwaClass::parse("0").unwrap()));
        assert!(!c.is_within(&JrwaClass::parse("1").unwrap()));
        assert_eq!(JrwaClass::parse("0").unwrap().parent(), None);
        assert_ne!(
            JrwaClass::parse("20").unwrap(),
            JrwaClass::parse("0020").unwrap()
        );
    }

    #[test]
    fn rejections() {
        for (s, code) in [
            ("", "case_number.empty"),
            ("   ", "case_number.empty"),
            ("SA.5310.12", "case_number.structure"),
            ("SA.5310.12.2026.JK.X", "case_number.year"),
            ("SA.5310.1.2.3.2026", "case_number.structure"),
            ("SA..12.2026", "case_number.structure"),
            ("SA.5310.12.2026.", "case_number.structure"),
            (".5310.12.2026", "case_number.structure"),
            ("SA.5310.JK.2026", "case_number.number"),
            ("SA.5310.12.JK", "case_number.structure"),
            ("sa.5310.12.2026", "case_number.unit_character"),
            ("S A.5310.12.2026", "case_number.unit_character"),
            ("1SA.5310.12.2026", "case_number.unit_start"),
            ("SA-.5310.12.2026", "case_number.subunit_empty"),
            ("-II.5310.12.2026", "case_number.unit_empty"),
            ("SA-II-1.5310.12.2026", "case_number.too_many_subunits"),
            ("SA-ii.5310.12.2026", "case_number.unit_character"),
            ("ABCDEFGHIJKLM.5310.12.2026", "case_number.unit_too_long"),
            ("SA.531012.12.2026", "case_number.jrwa_class"),
            ("SA.53a0.12.2026", "case_number.jrwa_class"),
            ("SA.5310.012.2026", "case_number.number"),
            ("SA.5310.0.2026", "case_number.number"),
            ("SA.5310.-1.2026", "case_number.number"),
            ("SA.5310.+1.2026", "case_number.number"),
            ("SA.5310.99999999999.2026", "case_number.number"),
            ("SA.5310.12.26", "case_number.year"),
            ("SA.5310.12.0999", "case_number.year"),
            ("SA.5310.12.20266", "case_number.year"),
            ("SA.5310.07.12.2026", "case_number.subfolder"),
            ("SA.5310.12.2026.J1", "case_number.year"),
            ("SA.5310.12.2026.JKLMNOP", "case_number.initials"),
            ("SA.5310.12.2026.J-K", "case_number.initials"),
        ] {
            assert_eq!(
                CaseNumber::parse(s).map_err(|e| e.code()),
                Err(code),
                "{s:?}"
            );
        }
        let long = format!("SA.5310.12.2026.{}", "J".repeat(200));
        assert_eq!(CaseNumber::parse(&long), Err(CaseNumberError::TooLong));
        assert_eq!(
            UnitSymbol::parse("").map_err(|e| e.code()),
            Err("case_number.unit_empty")
        );
    }

    // ---------------------------------------------------------------- properties

    fn symbol(first: &'static str) -> impl Strategy<Value = String> {
        let rest = "[A-ZĄĆĘŁŃÓŚŹŻ0-9]{0,11}";
        (
            proptest::string::string_regex(first).unwrap(),
            proptest::string::string_regex(rest).unwrap(),
        )
            .prop_map(|(a, b)| format!("{a}{b}"))
    }

    fn any_case_number() -> impl Strategy<Value = CaseNumber> {
        (
            symbol("[A-ZĄĆĘŁŃÓŚŹŻ]"),
            proptest::option::of(symbol("[A-Z0-9ĄĆĘŁŃÓŚŹŻ]")),
            "[0-9]{1,5}",
            proptest::option::of(1u32..),
            1u32..,
            CASE_YEAR_MIN..=CASE_YEAR_MAX,
            proptest::option::of("[A-Za-ząćęłńóśźżĄĆĘŁŃÓŚŹŻ]{1,6}"),
        )
            .prop_map(|(unit, sub, class, subfolder, number, year, ini)| {
                let unit_s = match sub {
                    Some(s) => format!("{unit}-{s}"),
                    None => unit,
                };
                let mut cn = CaseNumber::new(
                    UnitSymbol::parse(&unit_s).unwrap(),
                    JrwaClass::parse(&class).unwrap(),
                    number,
                    year,
                )
                .unwrap();
                if let Some(sf) = subfolder {
                    cn = cn.with_subfolder(sf).unwrap();
                }
                if let Some(i) = ini {
                    cn = cn.with_initials(Initials::parse(&i).unwrap());
                }
                cn
            })
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(cn in any_case_number()) {
            let s = cn.to_string();
            prop_assert_eq!(CaseNumber::parse(&s), Ok(cn.clone()));
            prop_assert_eq!(s.parse::<CaseNumber>().map(|c| c.to_string()), Ok(s));
        }

        #[test]
        fn parse_never_panics(s in ".{0,40}") {
            let _ = CaseNumber::parse(&s);
            let _ = UnitSymbol::parse(&s);
            let _ = JrwaClass::parse(&s);
            let _ = Initials::parse(&s);
        }

        #[test]
        fn parse_never_panics_on_near_misses(s in "[A-Za-zŁł0-9.\\- ]{0,30}") {
            if let Ok(cn) = CaseNumber::parse(&s) {
                prop_assert_eq!(cn.to_string(), s.trim());
            }
        }
    }
}
