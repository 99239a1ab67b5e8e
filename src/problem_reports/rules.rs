//! A new report's submission read and checked, pure: the same rules for Open311's
//! `POST requests` and the public form. The category and the office's area are passed
//! in; what is wrong comes back as a list of [`Problem`]s (Open311 can report several
//! errors at once).

use magistrat_domain::problem_report::{
    self as pr, DescriptionError, PlaceError, Point, check_description, check_place, parse_point,
};
use serde_json::{Map, Value};

use super::store::{Attribute, Category};

/// Longest address, name, e-mail, phone, device or account id, media URL.
pub const MAX_SHORT: usize = 300;

/// What is wrong with a submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// `service_code` missing.
    NoService,
    /// No active category of that code.
    UnknownService(String),
    Place(PlaceError),
    Description(DescriptionError),
    /// A required attribute missing.
    AttributeMissing(String),
    /// An attribute's value not of its type or not one of its values.
    AttributeInvalid(String),
    /// A field longer than [`MAX_SHORT`] characters.
    TooLong(&'static str),
    /// `media_url` not an http(s) URL.
    MediaUrl,
    /// `email` not an e-mail address.
    Email,
}

impl Problem {
    /// The Fluent id of the message (its English text is the Open311 description).
    pub fn message_key(&self) -> &'static str {
        match self {
            Problem::NoService => "report-error-no-service",
            Problem::UnknownService(_) => "report-error-unknown-service",
            Problem::Place(PlaceError::NotANumber) => "report-error-place-not-a-number",
            Problem::Place(PlaceError::OutOfRange) => "report-error-place-out-of-range",
            Problem::Place(PlaceError::Incomplete) => "report-error-place-incomplete",
            Problem::Place(PlaceError::OutsideArea) => "report-error-place-outside-area",
            Problem::Place(PlaceError::Missing) => "report-error-place-missing",
            Problem::Description(DescriptionError::TooLong) => "report-error-description-too-long",
            Problem::Description(DescriptionError::Html) => "report-error-description-html",
            Problem::AttributeMissing(_) => "report-error-attribute-missing",
            Problem::AttributeInvalid(_) => "report-error-attribute-invalid",
            Problem::TooLong(_) => "report-error-too-long",
            Problem::MediaUrl => "report-error-media-url",
            Problem::Email => "report-error-email",
        }
    }

    /// The form field it belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            Problem::NoService | Problem::UnknownService(_) => "service_code",
            Problem::Place(PlaceError::Missing) => "address_string",
            Problem::Place(_) => "lat",
            Problem::Description(_) => "description",
            Problem::AttributeMissing(_) | Problem::AttributeInvalid(_) => "attribute",
            Problem::TooLong(f) => f,
            Problem::MediaUrl => "media_url",
            Problem::Email => "email",
        }
    }
}

/// A checked submission.
#[derive(Clone, Debug, PartialEq)]
pub struct NewReport {
    pub category_id: i64,
    pub term_days: i32,
    pub point: Option<Point>,
    pub address: Option<String>,
    pub description: String,
    pub attributes: Map<String, Value>,
    pub media_url: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub device_id: Option<String>,
    pub account_id: Option<String>,
}

fn value<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// An optional short field: blank is absent (the spec: an empty parameter is treated
/// as an absent one).
fn short(
    pairs: &[(String, String)],
    name: &'static str,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    let v = value(pairs, name).trim();
    if v.is_empty() {
        return None;
    }
    if v.chars().count() > MAX_SHORT {
        problems.push(Problem::TooLong(name));
        return None;
    }
    Some(v.to_owned())
}

/// The values given for attribute `code`: `attribute[code]` and `attribute[code][]`.
fn attribute_values<'a>(pairs: &'a [(String, String)], code: &str) -> Vec<&'a str> {
    let one = format!("attribute[{code}]");
    let many = format!("attribute[{code}][]");
    pairs
        .iter()
        .filter(|(k, v)| (*k == one || *k == many) && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
        .collect()
}

fn check_attribute(a: &Attribute, given: &[&str]) -> Result<Option<Value>, Problem> {
    let invalid = || Problem::AttributeInvalid(a.code.clone());
    if given.is_empty() {
        return if a.required {
            Err(Problem::AttributeMissing(a.code.clone()))
        } else {
            Ok(None)
        };
    }
    let is_key = |v: &str| a.values.iter().any(|(k, _)| k == v);
    let value = match a.datatype.as_str() {
        "multivaluelist" => {
            if !given.iter().all(|v| is_key(v)) {
                return Err(invalid());
            }
            Value::from(given.iter().map(|v| (*v).to_owned()).collect::<Vec<_>>())
        }
        _ if given.len() > 1 => return Err(invalid()),
        "singlevaluelist" if !is_key(given[0]) => return Err(invalid()),
        "number" if given[0].parse::<f64>().ok().is_none_or(|n| !n.is_finite()) => {
            return Err(invalid());
        }
        "datetime" if pr::parse_datetime(given[0]).is_none() => return Err(invalid()),
        _ if given[0].chars().count() > pr::MAX_DESCRIPTION => return Err(invalid()),
        _ => Value::from(given[0].to_owned()),
    };
    Ok(Some(value))
}

/// Reads a submission (`application/x-www-form-urlencoded` pairs, Open311's names) for
/// `category` (None: the code named no active category) within `area`.
pub fn check_submission(
    pairs: &[(String, String)],
    category: Option<&Category>,
    area: &pr::Area,
) -> Result<NewReport, Vec<Problem>> {
    let mut problems = Vec::new();
    let code = value(pairs, "service_code").trim();
    let category = match category {
        _ if code.is_empty() => {
            problems.push(Problem::NoService);
            None
        }
        Some(k) if k.active => Some(k),
        _ => {
            problems.push(Problem::UnknownService(code.to_owned()));
            None
        }
    };
    let address = short(pairs, "address_string", &mut problems);
    // An address_id is a reference into the office's address register, which this
    // server does not keep: it counts as an address given, kept in the text.
    let address = address
        .or_else(|| short(pairs, "address_id", &mut problems).map(|id| format!("address_id {id}")));
    let point = match parse_point(value(pairs, "lat"), value(pairs, "long")) {
        Ok(p) => p,
        Err(e) => {
            problems.push(Problem::Place(e));
            None
        }
    };
    if !problems.iter().any(|p| matches!(p, Problem::Place(_)))
        && let Err(e) = check_place(point, address.as_deref(), area)
    {
        problems.push(Problem::Place(e));
    }
    let description = value(pairs, "description").trim().to_owned();
    if let Err(e) = check_description(&description) {
        problems.push(Problem::Description(e));
    }
    let media_url = short(pairs, "media_url", &mut problems);
    if let Some(url) = &media_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        problems.push(Problem::MediaUrl);
    }
    let email = short(pairs, "email", &mut problems);
    if let Some(e) = &email
        && !crate::platform::form::parse::looks_like_email(e)
    {
        problems.push(Problem::Email);
    }
    let mut attributes = Map::new();
    if let Some(k) = category {
        for a in k.attribute_list() {
            match check_attribute(&a, &attribute_values(pairs, &a.code)) {
                Ok(Some(v)) => {
                    attributes.insert(a.code.clone(), v);
                }
                Ok(None) => {}
                Err(p) => problems.push(p),
            }
        }
    }
    let first_name = short(pairs, "first_name", &mut problems);
    let last_name = short(pairs, "last_name", &mut problems);
    let phone = short(pairs, "phone", &mut problems);
    let device_id = short(pairs, "device_id", &mut problems);
    let account_id = short(pairs, "account_id", &mut problems);
    match category {
        Some(k) if problems.is_empty() => Ok(NewReport {
            category_id: k.id,
            term_days: k.term_days,
            point,
            address,
            description,
            attributes,
            media_url,
            email,
            first_name,
            last_name,
            phone,
            device_id,
            account_id,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const AREA: pr::Area = pr::Area {
        south: 52.10,
        west: 21.15,
        north: 52.18,
        east: 21.30,
    };

    fn pothole() -> Category {
        let attributes = vec![
            Attribute {
                code: "SIZE".into(),
                datatype: "singlevaluelist".into(),
                required: true,
                description: "Size".into(),
                datatype_description: String::new(),
                order: 1,
                values: vec![
                    ("small".into(), "Small".into()),
                    ("large".into(), "Large".into()),
                ],
            },
            Attribute {
                code: "DEPTH".into(),
                datatype: "number".into(),
                required: false,
                description: "Depth in cm".into(),
                datatype_description: String::new(),
                order: 2,
                values: vec![],
            },
        ];
        Category {
            id: 7,
            code: "DZIURA".into(),
            name: "Dziura w jezdni".into(),
            org_unit_id: None,
            unit_name: None,
            description: String::new(),
            keywords: String::new(),
            group_name: String::new(),
            attributes: serde_json::to_string(&attributes).unwrap(),
            term_days: 14,
            active: true,
            position: 0,
        }
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn a_good_submission_passes() {
        let k = pothole();
        let p = pairs(&[
            ("service_code", "DZIURA"),
            ("lat", "52.14"),
            ("long", "21.22"),
            ("description", "Głęboka dziura"),
            ("attribute[SIZE]", "large"),
            ("attribute[DEPTH]", "12"),
            ("email", ""),
        ]);
        let r = check_submission(&p, Some(&k), &AREA).unwrap();
        assert_eq!(r.category_id, 7);
        assert_eq!(r.email, None);
        assert_eq!(r.attributes["SIZE"], "large");
    }

    #[test]
    #[allow(clippy::too_many_lines, reason = "one table of cases, read down")]
    fn every_problem_is_reported() {
        let k = pothole();
        let table: &[(&[(&str, &str)], Problem)] = &[
            (&[("lat", "52.14"), ("long", "21.22")], Problem::NoService),
            (
                &[("service_code", "X"), ("address_string", "Lipowa 1")],
                Problem::UnknownService("X".into()),
            ),
            (
                &[("service_code", "DZIURA"), ("attribute[SIZE]", "large")],
                Problem::Place(PlaceError::Missing),
            ),
            (
                &[
                    ("service_code", "DZIURA"),
                    ("lat", "95"),
                    ("long", "21"),
                    ("attribute[SIZE]", "large"),
                ],
                Problem::Place(PlaceError::OutOfRange),
            ),
            (
                &[
                    ("service_code", "DZIURA"),
                    ("lat", "50.06"),
                    ("long", "19.94"),
                    ("attribute[SIZE]", "large"),
                ],
                Problem::Place(PlaceError::OutsideArea),
            ),
            (
                &[("service_code", "DZIURA"), ("address_string", "Lipowa 1")],
                Problem::AttributeMissing("SIZE".into()),
            ),
            (
                &[
                    ("service_code", "DZIURA"),
                    ("address_string", "Lipowa 1"),
                    ("attribute[SIZE]", "huge"),
                ],
                Problem::AttributeInvalid("SIZE".into()),
            ),
            (
                &[
                    ("service_code", "DZIURA"),
                    ("address_string", "Lipowa 1"),
                    ("attribute[SIZE]", "small"),
                    ("attribute[DEPTH]", "deep"),
                ],
                Problem::AttributeInvalid("DEPTH".into()),
            ),
            (
                &[
                    ("service_code", "DZIURA"),
                    ("address_string", "Lipowa 1"),
                    ("attribute[SIZE]", "small"),
                    ("media_url", "javascript:alert(1)"),
                ],
                Problem::MediaUrl,
            ),
            (
                &[
                    ("service_code", "DZIURA"),
                    ("address_string", "Lipowa 1"),
                    ("attribute[SIZE]", "small"),
                    ("email", "nope"),
                ],
                Problem::Email,
            ),
            (
                &[
                    ("service_code", "DZIURA"),
                    ("address_string", "Lipowa 1"),
                    ("attribute[SIZE]", "small"),
                    ("description", "<script>x</script>"),
                ],
                Problem::Description(DescriptionError::Html),
            ),
        ];
        for (given, expected) in table {
            let category = (value(&pairs(given), "service_code") == "DZIURA").then_some(&k);
            let got = check_submission(&pairs(given), category, &AREA).unwrap_err();
            assert!(got.contains(expected), "{given:?}: {got:?}");
        }
        let long = "x".repeat(4_001);
        let got = check_submission(
            &pairs(&[
                ("service_code", "DZIURA"),
                ("address_string", "a"),
                ("attribute[SIZE]", "small"),
                ("description", &long),
            ]),
            Some(&k),
            &AREA,
        )
        .unwrap_err();
        assert_eq!(got, vec![Problem::Description(DescriptionError::TooLong)]);
    }
}
