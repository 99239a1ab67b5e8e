//! The rules of the org structure forms, pure: a submitted form (its `name=value`
//! pairs) becomes the store's data type ([`Office`], [`UnitData`], [`EmployeeData`],
//! [`LocationData`], opening hours, a closing day) or a set of field errors whose values
//! are Fluent ids. Whatever the rules need from the database (the other units, the free
//! accounts, the existing closing days) is passed in, so every rule is tested here with
//! real values.
//!
//! Identifiers are checked by the domain parsers (`magistrat_domain::identifiers` for
//! NIP, REGON and postal codes; `case_number::UnitSymbol` for unit symbols) and each
//! of their error codes has its own message: `nip.checksum` → `org-nip-checksum`.

use jiff::civil::Date;
use magistrat_domain::case_number::{CASE_YEAR_MAX, CASE_YEAR_MIN, CaseNumberError, UnitSymbol};
use magistrat_domain::identifiers::{IdError, Nip, PostalCode, Regon};

use super::store::{
    EmployeeData, LocationData, LocationKind, Office, OpeningHours, OrgUnit, UnitData,
};
use crate::auth::users::looks_like_email;
use crate::web::form::FormErrors;

/// The longest unit chain accepted; deeper means corrupted data (a cycle).
pub const MAX_DEPTH: usize = 64;

/// Form field names of the weekly hours, Monday first (ISO weekday = index + 1).
pub const OPENS: [&str; 7] = [
    "opens_1", "opens_2", "opens_3", "opens_4", "opens_5", "opens_6", "opens_7",
];
pub const CLOSES: [&str; 7] = [
    "closes_1", "closes_2", "closes_3", "closes_4", "closes_5", "closes_6", "closes_7",
];

pub use crate::web::form::value;

/// Whether the checkbox `name` was ticked (a browser sends nothing for an unticked one).
pub fn checked(pairs: &[(String, String)], name: &str) -> bool {
    pairs.iter().any(|(k, _)| k == name)
}

/// The message for an identifier the domain parser refused.
pub fn id_error_key(error: &IdError) -> String {
    match error {
        IdError::Empty { .. } => "form-required".to_owned(),
        other => format!("org-{}", other.code().replace(['.', '_'], "-")),
    }
}

/// The message for a unit symbol the domain parser refused.
pub fn symbol_error_key(error: &CaseNumberError) -> String {
    let code = error.code();
    let code = code.strip_prefix("case_number.").unwrap_or(code);
    format!("org-symbol-{}", code.replace('_', "-"))
}

/// A required line of text, trimmed, at most `max` characters.
fn text(
    errors: &mut FormErrors,
    pairs: &[(String, String)],
    name: &'static str,
    max: usize,
) -> String {
    let v = value(pairs, name).trim();
    errors.require(name, v);
    errors.max_len(name, v, max);
    v.to_owned()
}

/// An optional line of text, trimmed, at most `max` characters.
fn optional_text(
    errors: &mut FormErrors,
    pairs: &[(String, String)],
    name: &'static str,
    max: usize,
) -> String {
    let v = value(pairs, name).trim();
    errors.max_len(name, v, max);
    v.to_owned()
}

/// The postal code in its canonical `NN-NNN` form.
fn postal_code(errors: &mut FormErrors, pairs: &[(String, String)], name: &'static str) -> String {
    let v = value(pairs, name);
    match PostalCode::parse(v) {
        Ok(code) => code.to_string(),
        Err(e) => {
            errors.add(name, id_error_key(&e));
            v.trim().to_owned()
        }
    }
}

/// An address on the web: `https://` or `http://`, a host, no spaces. Anything else
/// (`javascript:`, a bare name) would be a broken or dangerous link on the public pages.
pub fn is_web_address(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    let Some(rest) = rest else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !host.is_empty()
        && !host.starts_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"'))
}

/// An ePUAP address: the path of an electronic inbox, `/name/SkrytkaESP`.
pub fn is_epuap_address(s: &str) -> bool {
    s.len() > 1 && s.starts_with('/') && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The office's details. NIP and REGON are stored as digits only, the postal code as
/// `NN-NNN`.
pub fn parse_office(pairs: &[(String, String)]) -> Result<Office, FormErrors> {
    let mut errors = FormErrors::new();
    let name = text(&mut errors, pairs, "name", 200);
    let short_name = optional_text(&mut errors, pairs, "short_name", 100);
    let street = text(&mut errors, pairs, "street", 200);
    let postal_code = postal_code(&mut errors, pairs, "postal_code");
    let city = text(&mut errors, pairs, "city", 100);
    let nip = match Nip::parse(value(pairs, "nip")) {
        Ok(nip) => nip.to_string(),
        Err(e) => {
            errors.add("nip", id_error_key(&e));
            String::new()
        }
    };
    let regon = match Regon::parse(value(pairs, "regon")) {
        Ok(regon) => regon.to_string(),
        Err(e) => {
            errors.add("regon", id_error_key(&e));
            String::new()
        }
    };
    let bip_url = text(&mut errors, pairs, "bip_url", 300);
    if !bip_url.is_empty() && !is_web_address(&bip_url) {
        errors.add("bip_url", "org-bip-url-invalid");
    }
    let email = text(&mut errors, pairs, "email", 200);
    if !email.is_empty() && !looks_like_email(&email) {
        errors.add("email", "form-email-invalid");
    }
    let phone = optional_text(&mut errors, pairs, "phone", 50);
    let epuap = optional_text(&mut errors, pairs, "epuap", 200);
    if !epuap.is_empty() && !is_epuap_address(&epuap) {
        errors.add("epuap", "org-epuap-invalid");
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Office {
        name,
        short_name,
        street,
        postal_code,
        city,
        nip,
        regon,
        bip_url,
        email,
        phone,
        epuap,
    })
}

/// A year of four digits, as case numbers carry it.
pub fn parse_year(s: &str) -> Option<i32> {
    let s = s.trim();
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = s.parse().ok()?;
    (i32::from(CASE_YEAR_MIN)..=i32::from(CASE_YEAR_MAX))
        .contains(&year)
        .then_some(year)
}

/// Whether two ranges of years (`to` = None: still valid) share a year.
pub fn years_overlap(a: (i32, Option<i32>), b: (i32, Option<i32>)) -> bool {
    let a_end = a.1.unwrap_or(i32::MAX);
    let b_end = b.1.unwrap_or(i32::MAX);
    a.0 <= b_end && b.0 <= a_end
}

/// Whether making `new_parent` the parent of `unit` would close a loop: true when
/// `unit` is `new_parent` or one of its ancestors (or the chain is corrupted).
pub fn creates_cycle(unit: i64, new_parent: i64, parent_of: impl Fn(i64) -> Option<i64>) -> bool {
    let mut current = Some(new_parent);
    for _ in 0..MAX_DEPTH {
        match current {
            Some(u) if u == unit => return true,
            Some(u) => current = parent_of(u),
            None => return false,
        }
    }
    true
}

/// A unit from the form. `editing` is the unit being changed (None when creating);
/// `units` are all units, for the parent, the cycle and the symbol checks.
pub fn parse_unit(
    pairs: &[(String, String)],
    editing: Option<i64>,
    units: &[OrgUnit],
) -> Result<UnitData, FormErrors> {
    let mut errors = FormErrors::new();
    let raw_symbol = value(pairs, "symbol").trim();
    let symbol = if raw_symbol.is_empty() {
        errors.add("symbol", "form-required");
        None
    } else {
        match UnitSymbol::parse(raw_symbol) {
            Ok(s) => Some(s.to_string()),
            Err(e) => {
                errors.add("symbol", symbol_error_key(&e));
                None
            }
        }
    };
    let name = text(&mut errors, pairs, "name", 200);

    let parent_raw = value(pairs, "parent_id").trim();
    let parent_id = if parent_raw.is_empty() {
        None
    } else {
        match parent_raw.parse::<i64>() {
            Ok(id) if units.iter().any(|u| u.id == id) => {
                let parent_of = |u: i64| units.iter().find(|x| x.id == u).and_then(|x| x.parent_id);
                if editing.is_some_and(|me| creates_cycle(me, id, parent_of)) {
                    errors.add("parent_id", "org-unit-parent-cycle");
                }
                Some(id)
            }
            _ => {
                errors.add("parent_id", "org-unit-parent-unknown");
                None
            }
        }
    };

    let from_raw = value(pairs, "valid_from_year");
    let valid_from_year = if from_raw.trim().is_empty() {
        errors.add("valid_from_year", "form-required");
        None
    } else {
        let y = parse_year(from_raw);
        if y.is_none() {
            errors.add("valid_from_year", "org-year-invalid");
        }
        y
    };
    let to_raw = value(pairs, "valid_to_year");
    let valid_to_year = if to_raw.trim().is_empty() {
        None
    } else {
        let y = parse_year(to_raw);
        if y.is_none() {
            errors.add("valid_to_year", "org-year-invalid");
        }
        y
    };
    if let (Some(from), Some(to)) = (valid_from_year, valid_to_year)
        && to < from
    {
        errors.add("valid_to_year", "org-unit-years-reversed");
    }
    // One symbol names one unit at a time: a unit of the same symbol may exist only in
    // other years (a renamed department's old symbol can be reused later).
    if let (Some(symbol), Some(from)) = (&symbol, valid_from_year) {
        let taken = units.iter().any(|u| {
            Some(u.id) != editing
                && &u.symbol == symbol
                && years_overlap((from, valid_to_year), (u.valid_from_year, u.valid_to_year))
        });
        if taken {
            errors.add("symbol", "org-unit-symbol-taken");
        }
    }
    match (symbol, valid_from_year) {
        (Some(symbol), Some(valid_from_year)) if errors.is_empty() => Ok(UnitData {
            parent_id,
            symbol,
            name,
            valid_from_year,
            valid_to_year,
        }),
        _ => Err(errors),
    }
}

/// Polish uppercase letters outside ASCII.
const POLISH_UPPER: &str = "ĄĆĘŁŃÓŚŹŻ";

/// Initials for case numbers: 2 to 4 uppercase letters (Polish ones included), e.g.
/// `JK`, `ŁG`, `AMK`.
pub fn valid_initials(s: &str) -> bool {
    (2..=4).contains(&s.chars().count())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || POLISH_UPPER.contains(c))
        && magistrat_domain::case_number::Initials::parse(s).is_ok()
}

/// What an employee form may choose from.
pub struct EmployeeChoices<'a> {
    /// Every unit.
    pub units: &'a [OrgUnit],
    /// Whether the editor may place an employee in this unit.
    pub unit_allowed: &'a dyn Fn(i64) -> bool,
    /// Accounts that may be linked: not linked to another employee.
    pub free_accounts: &'a [i64],
}

/// An employee from the form.
pub fn parse_employee(
    pairs: &[(String, String)],
    choices: &EmployeeChoices<'_>,
) -> Result<EmployeeData, FormErrors> {
    let mut errors = FormErrors::new();
    let first_name = text(&mut errors, pairs, "first_name", 100);
    let last_name = text(&mut errors, pairs, "last_name", 100);
    let position = text(&mut errors, pairs, "position", 200);
    let initials = value(pairs, "initials").trim().to_owned();
    if initials.is_empty() {
        errors.add("initials", "form-required");
    } else if !valid_initials(&initials) {
        errors.add("initials", "org-employee-initials-invalid");
    }
    let unit_raw = value(pairs, "org_unit_id").trim();
    let org_unit_id = match unit_raw.parse::<i64>() {
        _ if unit_raw.is_empty() => {
            errors.add("org_unit_id", "form-required");
            None
        }
        Ok(id) if choices.units.iter().any(|u| u.id == id) => {
            if !(choices.unit_allowed)(id) {
                errors.add("org_unit_id", "org-employee-unit-out-of-scope");
            }
            Some(id)
        }
        _ => {
            errors.add("org_unit_id", "org-employee-unit-unknown");
            None
        }
    };
    let email = optional_text(&mut errors, pairs, "email", 200);
    if !email.is_empty() && !looks_like_email(&email) {
        errors.add("email", "form-email-invalid");
    }
    let phone = optional_text(&mut errors, pairs, "phone", 50);
    let account_raw = value(pairs, "user_id").trim();
    let user_id = if account_raw.is_empty() {
        None
    } else {
        match account_raw.parse::<i64>() {
            Ok(id) if choices.free_accounts.contains(&id) => Some(id),
            _ => {
                errors.add("user_id", "org-employee-account-unavailable");
                None
            }
        }
    };
    let active = checked(pairs, "active");
    match org_unit_id {
        Some(org_unit_id) if errors.is_empty() => Ok(EmployeeData {
            user_id,
            org_unit_id,
            first_name,
            last_name,
            position,
            initials,
            email,
            phone,
            active,
        }),
        _ => Err(errors),
    }
}

/// A location's details from the form.
pub fn parse_location(pairs: &[(String, String)]) -> Result<LocationData, FormErrors> {
    let mut errors = FormErrors::new();
    let kind = LocationKind::parse(value(pairs, "kind").trim());
    if kind.is_none() {
        errors.add("kind", "org-location-kind-unknown");
    }
    let name = text(&mut errors, pairs, "name", 200);
    let street = text(&mut errors, pairs, "street", 200);
    let postal_code = postal_code(&mut errors, pairs, "postal_code");
    let city = text(&mut errors, pairs, "city", 100);
    let directions = optional_text(&mut errors, pairs, "directions", 2000);
    let accessibility = optional_text(&mut errors, pairs, "accessibility", 2000);
    let active = checked(pairs, "active");
    match kind {
        Some(kind) if errors.is_empty() => Ok(LocationData {
            kind,
            name,
            street,
            postal_code,
            city,
            directions,
            accessibility,
            active,
        }),
        _ => Err(errors),
    }
}

/// A local time of day as `HH:MM` (what `<input type="time">` sends; `8:00` is read as
/// `08:00` for browsers that show a plain text box).
pub fn parse_time(s: &str) -> Option<String> {
    let (h, m) = s.trim().split_once(':')?;
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// The weekly hours from the form: per day both times or neither (closed), opening
/// before closing. `location_id` is written into each row.
pub fn parse_hours(
    pairs: &[(String, String)],
    location_id: i64,
) -> Result<Vec<OpeningHours>, FormErrors> {
    let mut errors = FormErrors::new();
    let mut hours = Vec::new();
    for (i, (opens_field, closes_field)) in OPENS.into_iter().zip(CLOSES).enumerate() {
        let opens_raw = value(pairs, opens_field).trim();
        let closes_raw = value(pairs, closes_field).trim();
        if opens_raw.is_empty() && closes_raw.is_empty() {
            continue;
        }
        let opens = parse_time(opens_raw);
        let closes = parse_time(closes_raw);
        if opens_raw.is_empty() {
            errors.add(opens_field, "org-hours-opens-missing");
        } else if opens.is_none() {
            errors.add(opens_field, "org-hours-time-invalid");
        }
        if closes_raw.is_empty() {
            errors.add(closes_field, "org-hours-closes-missing");
        } else if closes.is_none() {
            errors.add(closes_field, "org-hours-time-invalid");
        }
        if let (Some(opens), Some(closes)) = (opens, closes) {
            // Zero-padded HH:MM: text order is time order.
            if opens >= closes {
                errors.add(closes_field, "org-hours-order");
            } else {
                hours.push(OpeningHours {
                    location_id,
                    weekday: i32::try_from(i + 1).unwrap_or(1),
                    opens,
                    closes,
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(hours)
    } else {
        Err(errors)
    }
}

/// A closing day from the small form: a real date not already closed, and a reason.
pub fn parse_closure(
    pairs: &[(String, String)],
    existing: &[Date],
) -> Result<(Date, String), FormErrors> {
    let mut errors = FormErrors::new();
    let raw = value(pairs, "closure_day").trim();
    let day = if raw.is_empty() {
        errors.add("closure_day", "form-required");
        None
    } else {
        match parse_date(raw) {
            Some(day) if existing.contains(&day) => {
                errors.add("closure_day", "org-closure-duplicate");
                None
            }
            Some(day) => Some(day),
            None => {
                errors.add("closure_day", "form-date-invalid");
                None
            }
        }
    };
    let reason = text(&mut errors, pairs, "closure_reason", 200);
    match day {
        Some(day) if errors.is_empty() => Ok((day, reason)),
        _ => Err(errors),
    }
}

/// A calendar date written `YYYY-MM-DD` (what `<input type="date">` sends).
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    s.parse::<Date>().ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Fields to override in a test case.
    type Fields = &'static [(&'static str, &'static str)];

    fn form(fields: &[(&str, &str)]) -> Vec<(String, String)> {
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// The error of `field`, if any.
    fn err<T: std::fmt::Debug>(result: &Result<T, FormErrors>, field: &str) -> Option<String> {
        result
            .as_ref()
            .err()
            .and_then(|e| e.get(field).map(str::to_owned))
    }

    const OFFICE: &[(&str, &str)] = &[
        ("name", "Urząd Gminy Zielonka"),
        ("short_name", "UG Zielonka"),
        ("street", "ul. Lipowa 5"),
        ("postal_code", "05-220"),
        ("city", "Zielonka"),
        ("nip", "7750012347"),
        ("regon", "651234716"),
        ("bip_url", "https://bip.zielonka.example.pl"),
        ("email", "gmina@zielonka.example.pl"),
        ("phone", "+48 22 761 00 00"),
        ("epuap", "/ugzielonka/SkrytkaESP"),
    ];

    fn office_with(field: &str, value: &str) -> Vec<(String, String)> {
        let mut f = form(OFFICE);
        for pair in f.iter_mut().filter(|(k, _)| k == field) {
            pair.1 = value.to_owned();
        }
        f
    }

    #[test]
    fn office_valid_and_normalised() {
        let office = parse_office(&office_with("nip", "PL 123-456-32-18")).unwrap();
        assert_eq!(office.nip, "1234563218");
        assert_eq!(office.postal_code, "05-220");
        assert_eq!(office.name, "Urząd Gminy Zielonka");
        let office = parse_office(&office_with("regon", " 12345678512347 ")).unwrap();
        assert_eq!(office.regon, "12345678512347");
        // Optional fields may stay empty.
        let mut f = office_with("phone", "");
        f.retain(|(k, _)| k != "epuap" && k != "short_name");
        assert!(parse_office(&f).is_ok());
    }

    #[test]
    fn office_identifiers_get_a_message_per_error_code() {
        let cases: &[(&str, &str, &str)] = &[
            ("nip", "7750012348", "org-nip-checksum"),
            ("nip", "775001234", "org-nip-length"),
            ("nip", "77500123470", "org-nip-length"),
            ("nip", "775001234X", "org-nip-invalid-character"),
            ("nip", "", "form-required"),
            ("regon", "651234717", "org-regon-checksum"),
            ("regon", "12345678512348", "org-regon-checksum"),
            ("regon", "6512347", "org-regon-length"),
            ("regon", "65123471A", "org-regon-invalid-character"),
            ("regon", "  ", "form-required"),
            ("postal_code", "05220", "org-postal-code-format"),
            ("postal_code", "05-2200", "org-postal-code-format"),
            ("postal_code", "0S-220", "org-postal-code-format"),
            ("postal_code", "", "form-required"),
            ("bip_url", "bip.zielonka.pl", "org-bip-url-invalid"),
            ("bip_url", "javascript:alert(1)", "org-bip-url-invalid"),
            ("bip_url", "https://", "org-bip-url-invalid"),
            ("bip_url", "https://bip zielonka.pl", "org-bip-url-invalid"),
            ("bip_url", "ftp://bip.zielonka.pl", "org-bip-url-invalid"),
            ("email", "gmina(at)zielonka.pl", "form-email-invalid"),
            ("epuap", "ugzielonka/SkrytkaESP", "org-epuap-invalid"),
            ("name", " ", "form-required"),
        ];
        for (field, value, expected) in cases {
            let result = parse_office(&office_with(field, value));
            assert_eq!(
                err(&result, field).as_deref(),
                Some(*expected),
                "{field} = {value:?}"
            );
        }
        assert!(parse_office(&office_with("bip_url", "http://bip.zielonka.pl/")).is_ok());
    }

    fn unit(id: i64, parent: Option<i64>, symbol: &str, from: i32, to: Option<i32>) -> OrgUnit {
        OrgUnit {
            id,
            parent_id: parent,
            symbol: symbol.to_owned(),
            name: format!("Komórka {symbol}"),
            valid_from_year: from,
            valid_to_year: to,
        }
    }

    /// UM(1) ← SA(2) ← USC(3); FN(4) ← FN-I(5); OB(6) valid 2010–2019 only.
    fn tree() -> Vec<OrgUnit> {
        vec![
            unit(1, None, "UM", 2024, None),
            unit(2, Some(1), "SA", 2024, None),
            unit(3, Some(2), "USC", 2024, None),
            unit(4, Some(1), "FN", 2024, None),
            unit(5, Some(4), "FN-I", 2024, None),
            unit(6, Some(1), "OB", 2010, Some(2019)),
        ]
    }

    fn unit_form(symbol: &str, parent: &str, from: &str, to: &str) -> Vec<(String, String)> {
        form(&[
            ("symbol", symbol),
            ("name", "Wydział Testowy"),
            ("parent_id", parent),
            ("valid_from_year", from),
            ("valid_to_year", to),
        ])
    }

    #[test]
    fn unit_valid() {
        let units = tree();
        let data = parse_unit(&unit_form("WO-II", "1", "2026", ""), None, &units).unwrap();
        assert_eq!(data.symbol, "WO-II");
        assert_eq!(data.parent_id, Some(1));
        assert_eq!((data.valid_from_year, data.valid_to_year), (2026, None));
        // Top level, with an end year equal to the start.
        let data = parse_unit(&unit_form(" OŚ ", "", "2025", "2025"), None, &units).unwrap();
        assert_eq!(data.symbol, "OŚ");
        assert_eq!(data.parent_id, None);
        // Keeping its own symbol and years when edited is no clash with itself.
        assert!(parse_unit(&unit_form("SA", "1", "2024", ""), Some(2), &units).is_ok());
        // An old symbol may be reused in years after it ended.
        assert!(parse_unit(&unit_form("OB", "1", "2020", ""), None, &units).is_ok());
    }

    #[test]
    fn unit_errors_by_field() {
        let units = tree();
        let cases: &[(Fields, Option<i64>, &str, &str)] = &[
            (
                &[("symbol", "sa")],
                None,
                "symbol",
                "org-symbol-unit-character",
            ),
            (
                &[("symbol", "S A")],
                None,
                "symbol",
                "org-symbol-unit-character",
            ),
            (
                &[("symbol", "1SA")],
                None,
                "symbol",
                "org-symbol-unit-start",
            ),
            (
                &[("symbol", "SA-")],
                None,
                "symbol",
                "org-symbol-subunit-empty",
            ),
            (
                &[("symbol", "WO-I-A")],
                None,
                "symbol",
                "org-symbol-too-many-subunits",
            ),
            (&[("symbol", "-I")], None, "symbol", "org-symbol-unit-empty"),
            (
                &[("symbol", "ABCDEFGHIJKLM")],
                None,
                "symbol",
                "org-symbol-unit-too-long",
            ),
            (&[("symbol", "")], None, "symbol", "form-required"),
            // Same symbol, overlapping years: taken.
            (&[("symbol", "SA")], None, "symbol", "org-unit-symbol-taken"),
            (
                &[("symbol", "OB"), ("valid_from_year", "2015")],
                None,
                "symbol",
                "org-unit-symbol-taken",
            ),
            (
                &[
                    ("symbol", "FN"),
                    ("valid_from_year", "2000"),
                    ("valid_to_year", "2024"),
                ],
                None,
                "symbol",
                "org-unit-symbol-taken",
            ),
            // Another unit taking SA's symbol on edit.
            (
                &[("symbol", "SA")],
                Some(3),
                "symbol",
                "org-unit-symbol-taken",
            ),
            (
                &[("parent_id", "99")],
                None,
                "parent_id",
                "org-unit-parent-unknown",
            ),
            (
                &[("parent_id", "x")],
                None,
                "parent_id",
                "org-unit-parent-unknown",
            ),
            // Cycles: itself, a child, a grandchild.
            (
                &[("symbol", "SA"), ("parent_id", "2")],
                Some(2),
                "parent_id",
                "org-unit-parent-cycle",
            ),
            (
                &[("symbol", "SA"), ("parent_id", "3")],
                Some(2),
                "parent_id",
                "org-unit-parent-cycle",
            ),
            (
                &[("symbol", "UM"), ("parent_id", "5")],
                Some(1),
                "parent_id",
                "org-unit-parent-cycle",
            ),
            (
                &[("valid_from_year", "")],
                None,
                "valid_from_year",
                "form-required",
            ),
            (
                &[("valid_from_year", "26")],
                None,
                "valid_from_year",
                "org-year-invalid",
            ),
            (
                &[("valid_from_year", "2O26")],
                None,
                "valid_from_year",
                "org-year-invalid",
            ),
            (
                &[("valid_from_year", "0999")],
                None,
                "valid_from_year",
                "org-year-invalid",
            ),
            (
                &[("valid_to_year", "20277")],
                None,
                "valid_to_year",
                "org-year-invalid",
            ),
            (
                &[("valid_to_year", "2025")],
                None,
                "valid_to_year",
                "org-unit-years-reversed",
            ),
        ];
        for (overrides, editing, field, expected) in cases {
            let mut f = unit_form("KT", "1", "2026", "");
            for (k, v) in overrides.iter() {
                for pair in f.iter_mut().filter(|(name, _)| name == k) {
                    pair.1 = (*v).to_owned();
                }
            }
            let result = parse_unit(&f, *editing, &units);
            assert_eq!(
                err(&result, field).as_deref(),
                Some(*expected),
                "{overrides:?} editing {editing:?}"
            );
        }
        // Moving a unit elsewhere in the tree is fine.
        assert!(parse_unit(&unit_form("USC", "4", "2024", ""), Some(3), &units).is_ok());
    }

    #[test]
    fn cycles_and_overlaps() {
        let units = tree();
        let parent_of = |u: i64| units.iter().find(|x| x.id == u).and_then(|x| x.parent_id);
        assert!(creates_cycle(2, 2, parent_of));
        assert!(creates_cycle(1, 3, parent_of));
        assert!(!creates_cycle(3, 4, parent_of));
        assert!(!creates_cycle(4, 1, parent_of));
        // Corrupted data (a loop not through the unit) stops at the depth bound.
        assert!(creates_cycle(9, 7, |u| Some(if u == 7 { 8 } else { 7 })));

        assert!(years_overlap((2024, None), (2030, Some(2031))));
        assert!(years_overlap((2024, Some(2024)), (2024, Some(2024))));
        assert!(years_overlap((2010, Some(2019)), (2019, None)));
        assert!(!years_overlap((2010, Some(2019)), (2020, None)));
        assert!(!years_overlap((2020, Some(2021)), (2010, Some(2019))));
    }

    #[test]
    fn years() {
        for (input, expected) in [
            ("2026", Some(2026)),
            (" 2024 ", Some(2024)),
            ("1000", Some(1000)),
            ("9999", Some(9999)),
            ("0999", None),
            ("202", None),
            ("20266", None),
            ("-2026", None),
            ("+202", None),
            ("", None),
        ] {
            assert_eq!(parse_year(input), expected, "{input:?}");
        }
    }

    fn choices<'a>(
        units: &'a [OrgUnit],
        allowed: &'a dyn Fn(i64) -> bool,
        free: &'a [i64],
    ) -> EmployeeChoices<'a> {
        EmployeeChoices {
            units,
            unit_allowed: allowed,
            free_accounts: free,
        }
    }

    fn employee_form(overrides: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut f = form(&[
            ("first_name", "Jadwiga"),
            ("last_name", "Łukasiewicz"),
            ("position", "Inspektor"),
            ("initials", "JŁ"),
            ("org_unit_id", "3"),
            ("email", "j.lukasiewicz@borowiec.example.pl"),
            ("phone", ""),
            ("user_id", "12"),
            ("active", "true"),
        ]);
        for (k, v) in overrides {
            match f.iter_mut().find(|(name, _)| name == k) {
                Some(pair) => pair.1 = (*v).to_owned(),
                None => f.push(((*k).to_owned(), (*v).to_owned())),
            }
        }
        f
    }

    #[test]
    fn employee_valid() {
        let units = tree();
        let in_sa = |u: i64| u == 2 || u == 3;
        let data = parse_employee(&employee_form(&[]), &choices(&units, &in_sa, &[12])).unwrap();
        assert_eq!(data.initials, "JŁ");
        assert_eq!(data.user_id, Some(12));
        assert_eq!(data.org_unit_id, 3);
        assert!(data.active);
        let mut no_account = employee_form(&[("user_id", "")]);
        no_account.retain(|(k, _)| k != "active");
        let data = parse_employee(&no_account, &choices(&units, &in_sa, &[])).unwrap();
        assert_eq!(data.user_id, None);
        assert!(!data.active, "an unticked box is not sent");
    }

    #[test]
    fn employee_errors_by_field() {
        let units = tree();
        let in_sa = |u: i64| u == 2 || u == 3;
        let cases: &[(Fields, &str, &str)] = &[
            (
                &[("initials", "J")],
                "initials",
                "org-employee-initials-invalid",
            ),
            (
                &[("initials", "JANKO")],
                "initials",
                "org-employee-initials-invalid",
            ),
            (
                &[("initials", "jk")],
                "initials",
                "org-employee-initials-invalid",
            ),
            (
                &[("initials", "J.K")],
                "initials",
                "org-employee-initials-invalid",
            ),
            (
                &[("initials", "J1")],
                "initials",
                "org-employee-initials-invalid",
            ),
            (&[("initials", "")], "initials", "form-required"),
            (&[("org_unit_id", "")], "org_unit_id", "form-required"),
            (
                &[("org_unit_id", "77")],
                "org_unit_id",
                "org-employee-unit-unknown",
            ),
            (
                &[("org_unit_id", "4")],
                "org_unit_id",
                "org-employee-unit-out-of-scope",
            ),
            (
                &[("user_id", "13")],
                "user_id",
                "org-employee-account-unavailable",
            ),
            (
                &[("user_id", "abc")],
                "user_id",
                "org-employee-account-unavailable",
            ),
            (&[("email", "jadwiga")], "email", "form-email-invalid"),
            (&[("first_name", "")], "first_name", "form-required"),
            (&[("position", "  ")], "position", "form-required"),
        ];
        for (overrides, field, expected) in cases {
            let result = parse_employee(&employee_form(overrides), &choices(&units, &in_sa, &[12]));
            assert_eq!(
                err(&result, field).as_deref(),
                Some(*expected),
                "{overrides:?}"
            );
        }
        for ok in ["AB", "ABCD", "ŁŻ", "ŚĆ"] {
            assert!(valid_initials(ok), "{ok}");
        }
    }

    fn location_form(overrides: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut f = form(&[
            ("kind", "service_point"),
            ("name", "Punkt Obsługi Mieszkańców na Osiedlu"),
            ("street", "ul. Słoneczna 3"),
            ("postal_code", "62-300"),
            ("city", "Borowiec"),
            ("directions", ""),
            ("accessibility", "Wejście bez progów."),
            ("active", "true"),
        ]);
        for (k, v) in overrides {
            if let Some(pair) = f.iter_mut().find(|(name, _)| name == k) {
                pair.1 = (*v).to_owned();
            }
        }
        f
    }

    #[test]
    fn locations() {
        let data = parse_location(&location_form(&[])).unwrap();
        assert_eq!(data.kind, LocationKind::ServicePoint);
        assert!(data.active);
        let cases: &[(&str, &str, &str)] = &[
            ("kind", "kiosk", "org-location-kind-unknown"),
            ("name", "", "form-required"),
            ("postal_code", "62300", "org-postal-code-format"),
            ("city", "", "form-required"),
        ];
        for (field, value, expected) in cases {
            let result = parse_location(&location_form(&[(field, value)]));
            assert_eq!(err(&result, field).as_deref(), Some(*expected), "{field}");
        }
    }

    #[test]
    fn times() {
        for (input, expected) in [
            ("08:00", Some("08:00")),
            ("7:30", Some("07:30")),
            ("00:00", Some("00:00")),
            ("23:59", Some("23:59")),
            ("24:00", None),
            ("12:60", None),
            ("12:5", None),
            ("1230", None),
            ("12.30", None),
            ("ab:cd", None),
            ("123:00", None),
            ("-1:00", None),
            ("", None),
        ] {
            assert_eq!(parse_time(input).as_deref(), expected, "{input:?}");
        }
    }

    #[test]
    fn weekly_hours() {
        let hours = parse_hours(
            &form(&[
                ("opens_1", "08:00"),
                ("closes_1", "17:00"),
                ("opens_5", "7:30"),
                ("closes_5", "14:30"),
                ("opens_7", ""),
                ("closes_7", ""),
            ]),
            4,
        )
        .unwrap();
        assert_eq!(hours.len(), 2);
        assert_eq!(
            hours[1],
            OpeningHours {
                location_id: 4,
                weekday: 5,
                opens: "07:30".into(),
                closes: "14:30".into()
            }
        );
        assert!(parse_hours(&[], 4).unwrap().is_empty(), "closed all week");

        let cases: &[(Fields, &str, &str)] = &[
            (
                &[("opens_2", "25:00"), ("closes_2", "16:00")],
                "opens_2",
                "org-hours-time-invalid",
            ),
            (
                &[("opens_2", "08:00"), ("closes_2", "4pm")],
                "closes_2",
                "org-hours-time-invalid",
            ),
            (
                &[("opens_3", "16:00"), ("closes_3", "08:00")],
                "closes_3",
                "org-hours-order",
            ),
            (
                &[("opens_3", "08:00"), ("closes_3", "08:00")],
                "closes_3",
                "org-hours-order",
            ),
            (
                &[("opens_6", "10:00")],
                "closes_6",
                "org-hours-closes-missing",
            ),
            (
                &[("closes_6", "14:00")],
                "opens_6",
                "org-hours-opens-missing",
            ),
        ];
        for (fields, field, expected) in cases {
            let result = parse_hours(&form(fields), 1);
            assert_eq!(
                err(&result, field).as_deref(),
                Some(*expected),
                "{fields:?}"
            );
        }
    }

    #[test]
    fn closing_days() {
        let existing = [jiff::civil::date(2026, 12, 24)];
        let (day, reason) = parse_closure(
            &form(&[
                ("closure_day", "2026-12-31"),
                ("closure_reason", "Inwentaryzacja"),
            ]),
            &existing,
        )
        .unwrap();
        assert_eq!(day, jiff::civil::date(2026, 12, 31));
        assert_eq!(reason, "Inwentaryzacja");
        let cases: &[(&str, &str, &str, &str)] = &[
            (
                "2026-12-24",
                "Wigilia",
                "closure_day",
                "org-closure-duplicate",
            ),
            ("2026-02-30", "x", "closure_day", "form-date-invalid"),
            ("31.12.2026", "x", "closure_day", "form-date-invalid"),
            ("20261231", "x", "closure_day", "form-date-invalid"),
            ("", "x", "closure_day", "form-required"),
            ("2026-12-30", " ", "closure_reason", "form-required"),
        ];
        for (day, reason, field, expected) in cases {
            let result = parse_closure(
                &form(&[("closure_day", day), ("closure_reason", reason)]),
                &existing,
            );
            assert_eq!(err(&result, field).as_deref(), Some(*expected), "{day:?}");
        }
    }
}
