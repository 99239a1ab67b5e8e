//! The rules of the org structure forms, pure: a submitted form (its `name=value`
//! pairs, wrapped with whatever the check needs from the database) becomes the store's
//! data type by `TryFrom` — [`OfficeForm`] → [`Office`], [`UnitForm`] → [`UnitData`],
//! [`EmployeeForm`] → [`EmployeeData`], [`LocationForm`] → [`LocationData`],
//! [`HoursForm`] → [`WeeklyHours`], [`ClosureForm`] → [`NewClosure`] — or a set of
//! field errors whose values are Fluent ids. The other units, the free accounts and the
//! existing closing days are passed in, so every rule is tested here with real values.
//! Text, dates, times and checkboxes are read by the platform's form kit
//! (`platform::form::parse`).
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
use crate::platform::form::parse::{self, Message};
use crate::platform::form::{FormErrors, FormReader, Pairs, Unique};

/// The longest unit chain accepted; deeper means corrupted data (a cycle).
pub const MAX_DEPTH: usize = 64;

/// Form field names of the weekly hours, Monday first (ISO weekday = index + 1).
pub const OPENS: [&str; 7] = [
    "opens_1", "opens_2", "opens_3", "opens_4", "opens_5", "opens_6", "opens_7",
];
pub const CLOSES: [&str; 7] = [
    "closes_1", "closes_2", "closes_3", "closes_4", "closes_5", "closes_6", "closes_7",
];

/// The message for an identifier the domain parser refused.
pub fn id_error_key(error: &IdError) -> String {
    match error {
        IdError::Empty { .. } => parse::REQUIRED.to_owned(),
        other => format!("org-{}", other.code().replace(['.', '_'], "-")),
    }
}

/// The message for a unit symbol the domain parser refused.
pub fn symbol_error_key(error: &CaseNumberError) -> String {
    let code = error.code();
    let code = code.strip_prefix("case_number.").unwrap_or(code);
    format!("org-symbol-{}", code.replace('_', "-"))
}

/// Text of at most `max` characters that `valid` accepts, else `message`.
fn text_where(
    v: &str,
    max: usize,
    valid: impl Fn(&str) -> bool,
    message: Message,
) -> Result<String, Message> {
    let t = parse::text(v, max)?;
    if valid(&t) { Ok(t) } else { Err(message) }
}

/// The postal code in its canonical `NN-NNN` form.
fn postal_code(v: &str) -> Result<String, String> {
    PostalCode::parse(v)
        .map(|code| code.to_string())
        .map_err(|e| id_error_key(&e))
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

/// The office form as posted.
pub struct OfficeForm<'a>(pub &'a Pairs);

/// The office's details. NIP and REGON are stored as digits only, the postal code as
/// `NN-NNN`.
impl TryFrom<OfficeForm<'_>> for Office {
    type Error = FormErrors;

    fn try_from(OfficeForm(pairs): OfficeForm<'_>) -> Result<Self, FormErrors> {
        let mut f = FormReader::new(pairs);
        let name = f.text("name", 200);
        let short_name = f.optional_text("short_name", 100);
        let street = f.text("street", 200);
        let postal_code = f.required("postal_code", postal_code);
        let city = f.text("city", 100);
        let nip = f.required("nip", |v| {
            Nip::parse(v)
                .map(|n| n.to_string())
                .map_err(|e| id_error_key(&e))
        });
        let regon = f.required("regon", |v| {
            Regon::parse(v)
                .map(|r| r.to_string())
                .map_err(|e| id_error_key(&e))
        });
        let bip_url = f.required("bip_url", |v| {
            text_where(v, 300, is_web_address, "org-bip-url-invalid")
        });
        let email = f.required("email", |v| parse::email(v, 200));
        let phone = f.optional_text("phone", 50);
        let epuap = f.optional("epuap", |v| {
            text_where(v, 200, is_epuap_address, "org-epuap-invalid")
        });
        let fee_account = f.optional("fee_account", |v| {
            magistrat_domain::identifiers::Nrb::parse(v)
                .map(|n| n.to_string())
                .map_err(|e| match e.code() {
                    "nrb.checksum" => "sc-account-checksum",
                    _ => "sc-account-format",
                })
        });
        // A field that failed has its error recorded; `finish` answers with those.
        f.finish(Some(Office {
            name,
            short_name,
            street,
            postal_code: postal_code.unwrap_or_default(),
            city,
            nip: nip.unwrap_or_default(),
            regon: regon.unwrap_or_default(),
            bip_url: bip_url.unwrap_or_default(),
            email: email.unwrap_or_default(),
            phone,
            epuap: epuap.unwrap_or_default(),
            fee_account: fee_account.unwrap_or_default(),
        }))
    }
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

/// The unit form as posted, with what it is checked against.
pub struct UnitForm<'a> {
    pub pairs: &'a Pairs,
    /// The unit being changed (None when creating).
    pub editing: Option<i64>,
    /// All units, for the parent, the cycle and the symbol checks.
    pub units: &'a [OrgUnit],
}

impl UnitForm<'_> {
    /// The database's unique index on (symbol, valid_from_year) catches a unit saved
    /// meanwhile, which the check against the tree could not see: the same message at
    /// the same field.
    pub const UNIQUE: &'static [Unique] = &[Unique {
        constraint: "org_unit_symbol_from",
        columns: "org_unit.symbol, org_unit.valid_from_year",
        field: "symbol",
        message: "org-unit-symbol-taken",
    }];
}

impl TryFrom<UnitForm<'_>> for UnitData {
    type Error = FormErrors;

    fn try_from(form: UnitForm<'_>) -> Result<Self, FormErrors> {
        let UnitForm {
            pairs,
            editing,
            units,
        } = form;
        let mut f = FormReader::new(pairs);
        let symbol = f.required("symbol", |v| {
            UnitSymbol::parse(v)
                .map(|s| s.to_string())
                .map_err(|e| symbol_error_key(&e))
        });
        let name = f.text("name", 200);
        let parent_id = f.optional("parent_id", |v| {
            v.parse::<i64>()
                .ok()
                .filter(|id| units.iter().any(|u| u.id == *id))
                .ok_or("org-unit-parent-unknown")
        });
        let parent_of = |u: i64| units.iter().find(|x| x.id == u).and_then(|x| x.parent_id);
        if let (Some(me), Some(parent)) = (editing, parent_id)
            && creates_cycle(me, parent, parent_of)
        {
            f.error("parent_id", "org-unit-parent-cycle");
        }
        let year = |v: &str| parse_year(v).ok_or("org-year-invalid");
        let valid_from_year = f.required("valid_from_year", year);
        let valid_to_year = f.optional("valid_to_year", year);
        if let (Some(from), Some(to)) = (valid_from_year, valid_to_year)
            && to < from
        {
            f.error("valid_to_year", "org-unit-years-reversed");
        }
        // One symbol names one unit at a time: a unit of the same symbol may exist only
        // in other years (a renamed department's old symbol can be reused later).
        if let (Some(symbol), Some(from)) = (&symbol, valid_from_year) {
            let taken = units.iter().any(|u| {
                Some(u.id) != editing
                    && &u.symbol == symbol
                    && years_overlap((from, valid_to_year), (u.valid_from_year, u.valid_to_year))
            });
            if taken {
                f.error("symbol", "org-unit-symbol-taken");
            }
        }
        let data = symbol
            .zip(valid_from_year)
            .map(|(symbol, valid_from_year)| UnitData {
                parent_id,
                symbol,
                name,
                valid_from_year,
                valid_to_year,
            });
        f.finish(data)
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

/// The employee form as posted, with what it may choose from.
pub struct EmployeeForm<'a> {
    pub pairs: &'a Pairs,
    pub choices: &'a EmployeeChoices<'a>,
}

impl EmployeeForm<'_> {
    /// An account is linked to one employee at most: a link made meanwhile.
    pub const UNIQUE: &'static [Unique] = &[Unique {
        constraint: "employee_user_id_key",
        columns: "employee.user_id",
        field: "user_id",
        message: "org-employee-account-unavailable",
    }];
}

impl TryFrom<EmployeeForm<'_>> for EmployeeData {
    type Error = FormErrors;

    fn try_from(EmployeeForm { pairs, choices }: EmployeeForm<'_>) -> Result<Self, FormErrors> {
        let mut f = FormReader::new(pairs);
        let first_name = f.text("first_name", 100);
        let last_name = f.text("last_name", 100);
        let position = f.text("position", 200);
        let initials = f.required("initials", |v| {
            text_where(v, 4, valid_initials, "org-employee-initials-invalid")
                .map_err(|_| "org-employee-initials-invalid")
        });
        let org_unit_id = f.required("org_unit_id", |v| {
            v.parse::<i64>()
                .ok()
                .filter(|id| choices.units.iter().any(|u| u.id == *id))
                .ok_or("org-employee-unit-unknown")
        });
        if org_unit_id.is_some_and(|id| !(choices.unit_allowed)(id)) {
            f.error("org_unit_id", "org-employee-unit-out-of-scope");
        }
        let email = f.optional("email", |v| parse::email(v, 200));
        let phone = f.optional_text("phone", 50);
        let user_id = f.optional("user_id", |v| {
            v.parse::<i64>()
                .ok()
                .filter(|id| choices.free_accounts.contains(id))
                .ok_or("org-employee-account-unavailable")
        });
        let active = f.checked("active");
        let data = org_unit_id.map(|org_unit_id| EmployeeData {
            user_id,
            org_unit_id,
            first_name,
            last_name,
            position,
            initials: initials.unwrap_or_default(),
            email: email.unwrap_or_default(),
            phone,
            active,
        });
        f.finish(data)
    }
}

/// The location form as posted (its details; the hours are [`HoursForm`]).
pub struct LocationForm<'a>(pub &'a Pairs);

impl TryFrom<LocationForm<'_>> for LocationData {
    type Error = FormErrors;

    fn try_from(LocationForm(pairs): LocationForm<'_>) -> Result<Self, FormErrors> {
        let mut f = FormReader::new(pairs);
        let kind = LocationKind::parse(f.value("kind").trim());
        if kind.is_none() {
            f.error("kind", "org-location-kind-unknown");
        }
        let name = f.text("name", 200);
        let street = f.text("street", 200);
        let postal_code = f.required("postal_code", postal_code);
        let city = f.text("city", 100);
        let directions = f.optional_text("directions", 2000);
        let accessibility = f.optional_text("accessibility", 2000);
        let active = f.checked("active");
        let data = kind.map(|kind| LocationData {
            kind,
            name,
            street,
            postal_code: postal_code.unwrap_or_default(),
            city,
            directions,
            accessibility,
            active,
        });
        f.finish(data)
    }
}

/// A local time of day as `HH:MM` (what `<input type="time">` sends; `8:00` is read as
/// `08:00`), zero-padded as the store keeps it.
pub fn parse_time(s: &str) -> Option<String> {
    parse::time(s).ok().map(parse::time_text)
}

/// The weekly hours form as posted, for the location `location_id` (written into each
/// row).
pub struct HoursForm<'a> {
    pub pairs: &'a Pairs,
    pub location_id: i64,
}

/// A location's opening hours over the week: per day both times or neither (closed),
/// opening before closing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyHours(pub Vec<OpeningHours>);

impl TryFrom<HoursForm<'_>> for WeeklyHours {
    type Error = FormErrors;

    fn try_from(HoursForm { pairs, location_id }: HoursForm<'_>) -> Result<Self, FormErrors> {
        let mut f = FormReader::new(pairs);
        let mut hours = Vec::new();
        let time = |v: &str| parse::time(v).map_err(|_| "org-hours-time-invalid");
        for (weekday, (opens_field, closes_field)) in (1..).zip(OPENS.into_iter().zip(CLOSES)) {
            let (opens_blank, closes_blank) = (f.is_blank(opens_field), f.is_blank(closes_field));
            if opens_blank && closes_blank {
                continue;
            }
            if opens_blank {
                f.error(opens_field, "org-hours-opens-missing");
            }
            if closes_blank {
                f.error(closes_field, "org-hours-closes-missing");
            }
            let opens = f.optional(opens_field, time);
            let closes = f.optional(closes_field, time);
            if let (Some(opens), Some(closes)) = (opens, closes) {
                if opens >= closes {
                    f.error(closes_field, "org-hours-order");
                } else {
                    hours.push(OpeningHours {
                        location_id,
                        weekday,
                        opens: parse::time_text(opens),
                        closes: parse::time_text(closes),
                    });
                }
            }
        }
        f.finish(Some(WeeklyHours(hours)))
    }
}

/// The small closing-day form as posted, with the days already closed.
pub struct ClosureForm<'a> {
    pub pairs: &'a Pairs,
    pub existing: &'a [Date],
}

/// A closing day: a real date not already closed, and a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClosure {
    pub day: Date,
    pub reason: String,
}

impl ClosureForm<'_> {
    /// One closing day per location and day: a day added meanwhile.
    pub const UNIQUE: &'static [Unique] = &[Unique {
        constraint: "location_closure_day",
        columns: "location_closure.location_id, location_closure.day",
        field: "closure_day",
        message: "org-closure-duplicate",
    }];
}

impl TryFrom<ClosureForm<'_>> for NewClosure {
    type Error = FormErrors;

    fn try_from(ClosureForm { pairs, existing }: ClosureForm<'_>) -> Result<Self, FormErrors> {
        let mut f = FormReader::new(pairs);
        let day = f.required("closure_day", parse::date);
        if day.is_some_and(|d| existing.contains(&d)) {
            f.error("closure_day", "org-closure-duplicate");
        }
        let reason = f.text("closure_reason", 200);
        f.finish(day.map(|day| NewClosure { day, reason }))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    // The conversions under the names the tables use.
    fn parse_office(pairs: &Pairs) -> Result<Office, FormErrors> {
        Office::try_from(OfficeForm(pairs))
    }

    fn parse_unit(
        pairs: &Pairs,
        editing: Option<i64>,
        units: &[OrgUnit],
    ) -> Result<UnitData, FormErrors> {
        UnitData::try_from(UnitForm {
            pairs,
            editing,
            units,
        })
    }

    fn parse_employee(
        pairs: &Pairs,
        choices: &EmployeeChoices<'_>,
    ) -> Result<EmployeeData, FormErrors> {
        EmployeeData::try_from(EmployeeForm { pairs, choices })
    }

    fn parse_location(pairs: &Pairs) -> Result<LocationData, FormErrors> {
        LocationData::try_from(LocationForm(pairs))
    }

    fn parse_hours(pairs: &Pairs, location_id: i64) -> Result<Vec<OpeningHours>, FormErrors> {
        WeeklyHours::try_from(HoursForm { pairs, location_id }).map(|h| h.0)
    }

    fn parse_closure(pairs: &Pairs, existing: &[Date]) -> Result<(Date, String), FormErrors> {
        NewClosure::try_from(ClosureForm { pairs, existing }).map(|c| (c.day, c.reason))
    }

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
    #[allow(
        clippy::too_many_lines,
        reason = "a table of cases reads best in one piece"
    )]
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
