//! The setup forms of a service point, pure: a category form → [`CategoryData`], a desk
//! form → [`DeskData`], or the field errors (Fluent ids). The location's other
//! categories and the published cards are passed in, so every rule is tested here.

use super::booking::{Bookable, NewBooking, SlotView};
use super::store::{Category, CategoryData, DeskData};
use crate::platform::form::parse::{self, Message};
use crate::platform::form::{FormErrors, FormReader, Pairs, Unique};

/// The raw category form with what its checks need.
pub struct CategoryForm<'a> {
    pub pairs: &'a Pairs,
    /// The category being changed (None when creating).
    pub editing: Option<i64>,
    /// The location's categories.
    pub categories: &'a [Category],
    /// The ids of the service cards a category may cover.
    pub cards: &'a [i64],
}

impl CategoryForm<'_> {
    pub const UNIQUE: &'static [Unique] = &[Unique {
        constraint: "sp_category_code",
        columns: "sp_category.location_id, sp_category.code",
        field: "code",
        message: "sp-category-code-taken",
    }];
}

/// A ticket prefix: one uppercase ASCII letter (A–Z), as kiosks and boards show it.
pub fn parse_code(v: &str) -> Result<String, Message> {
    let v = v.trim().to_ascii_uppercase();
    if v.len() == 1 && v.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(v)
    } else {
        Err("sp-category-code-invalid")
    }
}

fn ids(pairs: &Pairs, name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect()
}

impl TryFrom<CategoryForm<'_>> for CategoryData {
    type Error = FormErrors;

    fn try_from(form: CategoryForm<'_>) -> Result<Self, FormErrors> {
        let CategoryForm {
            pairs,
            editing,
            categories,
            cards,
        } = form;
        let mut f = FormReader::new(pairs);
        let code = f.required("code", parse_code);
        if let Some(code) = &code
            && categories
                .iter()
                .any(|k| Some(k.id) != editing && &k.code == code)
        {
            f.error("code", "sp-category-code-taken");
        }
        let name = f.text("name", 100);
        let service_minutes = f.required("service_minutes", |v| parse::integer(v, 1..=240));
        let daily_quota = f.optional("daily_quota", |v| parse::integer(v, 1..=5000));
        let position = f
            .optional("position", |v| parse::integer(v, 0..=99))
            .unwrap_or(0);
        let mut chosen = Vec::new();
        for v in ids(pairs, "cards") {
            match v.parse::<i64>().ok().filter(|id| cards.contains(id)) {
                Some(id) if !chosen.contains(&id) => chosen.push(id),
                Some(_) => {}
                None => f.error("cards", "sp-category-card-unknown"),
            }
        }
        let data = code
            .zip(service_minutes)
            .map(|(code, minutes)| CategoryData {
                code,
                name,
                bookable: f.checked("bookable"),
                service_minutes: i32::try_from(minutes).unwrap_or(1),
                daily_quota: daily_quota.and_then(|q| i32::try_from(q).ok()),
                active: f.checked("active"),
                position: i32::try_from(position).unwrap_or(0),
                cards: chosen,
            });
        f.finish(data)
    }
}

/// The raw desk form with the location's categories.
pub struct DeskForm<'a> {
    pub pairs: &'a Pairs,
    pub categories: &'a [Category],
}

impl DeskForm<'_> {
    pub const UNIQUE: &'static [Unique] = &[Unique {
        constraint: "sp_desk_name",
        columns: "sp_desk.location_id, sp_desk.name",
        field: "name",
        message: "sp-desk-name-taken",
    }];
}

impl TryFrom<DeskForm<'_>> for DeskData {
    type Error = FormErrors;

    fn try_from(form: DeskForm<'_>) -> Result<Self, FormErrors> {
        let mut f = FormReader::new(form.pairs);
        let name = f.text("name", 60);
        let mut chosen = Vec::new();
        for v in ids(form.pairs, "categories") {
            match v
                .parse::<i64>()
                .ok()
                .filter(|id| form.categories.iter().any(|k| k.id == *id))
            {
                Some(id) if !chosen.contains(&id) => chosen.push(id),
                Some(_) => {}
                None => f.error("categories", "sp-desk-category-unknown"),
            }
        }
        if chosen.is_empty() && !f.has_error("categories") {
            f.error("categories", "sp-desk-categories-required");
        }
        let active = f.checked("active");
        let data = (!name.is_empty()).then_some(DeskData {
            name,
            active,
            categories: chosen,
        });
        f.finish(data)
    }
}

/// The booking form: the matter and day chosen on the first step, the slot and the
/// resident's contact data on the second.
pub struct BookingForm<'a> {
    pub pairs: &'a Pairs,
    pub location_id: i64,
    /// The point's bookable categories with their matters.
    pub bookable: &'a [Bookable],
    /// The day's slots offered (with places left or not).
    pub slots: &'a [SlotView],
}

/// The value of a matter option: `CODE:card id`, or `CODE:` for a category covering
/// no published card.
pub fn matter_value(code: &str, card: Option<i64>) -> String {
    match card {
        Some(id) => format!("{code}:{id}"),
        None => format!("{code}:"),
    }
}

/// The (category code, card id) of a matter option the page offered.
pub fn parse_matter(v: &str, bookable: &[Bookable]) -> Result<(String, Option<i64>), Message> {
    let (code, card) = v.trim().split_once(':').ok_or(parse::CHOICE_UNKNOWN)?;
    let b = bookable
        .iter()
        .find(|b| b.category.code == code)
        .ok_or(parse::CHOICE_UNKNOWN)?;
    match card {
        "" if b.matters.is_empty() => Ok((code.to_owned(), None)),
        id => {
            let id: i64 = id.parse().map_err(|_| parse::CHOICE_UNKNOWN)?;
            if b.matters.iter().any(|m| m.card_id == id) {
                Ok((code.to_owned(), Some(id)))
            } else {
                Err(parse::CHOICE_UNKNOWN)
            }
        }
    }
}

/// A Polish phone number (nine digits; spaces, dashes and +48 allowed).
pub fn parse_phone(v: &str) -> Result<String, Message> {
    magistrat_domain::booking::phone_digits(v).ok_or("booking-phone-invalid")
}

/// A PESEL with a right check digit and date of birth.
pub fn parse_pesel(v: &str) -> Result<String, Message> {
    magistrat_domain::identifiers::Pesel::parse(v)
        .map(|_| v.trim().to_owned())
        .map_err(|_| "booking-pesel-invalid")
}

impl TryFrom<BookingForm<'_>> for NewBooking {
    type Error = FormErrors;

    fn try_from(form: BookingForm<'_>) -> Result<Self, FormErrors> {
        let mut f = FormReader::new(form.pairs);
        let matter = f.required("matter", |v| parse_matter(v, form.bookable));
        let slot = f.required("slot", |v| {
            let start: jiff::Timestamp = v.parse().map_err(|_| "booking-slot-unknown")?;
            match form.slots.iter().find(|s| s.start.0 == start) {
                Some(s) if s.available > 0 => Ok(start),
                Some(_) => Err("booking-slot-full"),
                None => Err("booking-slot-unknown"),
            }
        });
        let name = f.text("name", 120);
        let email = f.required("email", |v| parse::email(v, 200));
        let phone = f.optional("phone", parse_phone);
        let pesel = f.optional("pesel", parse_pesel);
        let data = matter
            .zip(slot)
            .zip(email)
            .map(|(((category, card_id), start), email)| NewBooking {
                location_id: form.location_id,
                category,
                card_id,
                start,
                name,
                email,
                phone,
                pesel,
            });
        f.finish(data)
    }
}

/// How many days the statistics cover by default (the last 30, today included).
pub const STATS_DEFAULT_DAYS: i64 = 30;
/// The longest range of the statistics (a year and a day): every interval of the range
/// is read to compute medians.
pub const STATS_MAX_DAYS: i64 = 366;

/// The days the statistics cover, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatsRange {
    pub from: jiff::civil::Date,
    pub to: jiff::civil::Date,
}

/// The statistics' range form (`?from=&to=`): a blank end is the default (the last
/// [`STATS_DEFAULT_DAYS`] days up to `today`); a date that is not one, an end before the
/// start, or more than [`STATS_MAX_DAYS`] days are the fields' errors.
pub fn stats_range(pairs: &Pairs, today: jiff::civil::Date) -> Result<StatsRange, FormErrors> {
    let mut f = FormReader::new(pairs);
    let to = f
        .optional("to", parse::date)
        .or_else(|| (!f.has_error("to")).then_some(today));
    let from = f.optional("from", parse::date).or_else(|| {
        if f.has_error("from") {
            return None;
        }
        to.and_then(|to| {
            to.checked_sub(jiff::Span::new().days(STATS_DEFAULT_DAYS - 1))
                .ok()
        })
    });
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            f.error("to", "sp-stats-range-order");
        } else if i64::from((to - from).get_days()) >= STATS_MAX_DAYS {
            f.error("to", "sp-stats-range-long");
        }
    }
    let range = from.zip(to).map(|(from, to)| StatsRange { from, to });
    f.finish(range)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn category(id: i64, code: &str) -> Category {
        Category {
            id,
            location_id: 2,
            code: code.into(),
            name: "Meldunki".into(),
            bookable: false,
            service_minutes: 8,
            daily_quota: None,
            active: true,
            position: 0,
        }
    }

    #[test]
    fn category_forms() {
        let existing = [category(1, "A"), category(2, "R")];
        let cards = [10, 11];
        let read = |list: &[(&str, &str)], editing| {
            CategoryData::try_from(CategoryForm {
                pairs: &pairs(list),
                editing,
                categories: &existing,
                cards: &cards,
            })
        };
        let ok = read(
            &[
                ("code", "u"),
                ("name", "Wizyty umówione"),
                ("service_minutes", "15"),
                ("daily_quota", ""),
                ("bookable", "on"),
                ("active", "on"),
                ("cards", "10"),
                ("cards", "10"),
            ],
            None,
        )
        .unwrap();
        assert_eq!(ok.code, "U");
        assert!(ok.bookable && ok.active);
        assert_eq!(ok.cards, vec![10]);
        assert_eq!(ok.daily_quota, None);
        // (fields, field with a problem, message)
        type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
        let bad: [Case<'_>; 6] = [
            (
                &[("code", "A"), ("name", "x"), ("service_minutes", "5")],
                "code",
                "sp-category-code-taken",
            ),
            (
                &[("code", "AB"), ("name", "x"), ("service_minutes", "5")],
                "code",
                "sp-category-code-invalid",
            ),
            (
                &[("code", "Ą"), ("name", "x"), ("service_minutes", "5")],
                "code",
                "sp-category-code-invalid",
            ),
            (
                &[("code", "B"), ("name", ""), ("service_minutes", "5")],
                "name",
                parse::REQUIRED,
            ),
            (
                &[("code", "B"), ("name", "x"), ("service_minutes", "0")],
                "service_minutes",
                "form-integer-range",
            ),
            (
                &[
                    ("code", "B"),
                    ("name", "x"),
                    ("service_minutes", "5"),
                    ("cards", "99"),
                ],
                "cards",
                "sp-category-card-unknown",
            ),
        ];
        for (list, field, message) in bad {
            let errors = read(list, None).unwrap_err();
            assert!(errors.get(field).is_some(), "{list:?}");
            if message != "form-integer-range" {
                assert_eq!(errors.get(field), Some(message), "{list:?}");
            }
        }
        // The category's own code is not taken by itself.
        assert!(
            read(
                &[("code", "A"), ("name", "x"), ("service_minutes", "5")],
                Some(1)
            )
            .is_ok()
        );
    }

    #[test]
    fn desk_forms() {
        let existing = [category(1, "A"), category(2, "R")];
        let read = |list: &[(&str, &str)]| {
            DeskData::try_from(DeskForm {
                pairs: &pairs(list),
                categories: &existing,
            })
        };
        let ok = read(&[
            ("name", "Stanowisko 1"),
            ("categories", "1"),
            ("categories", "2"),
            ("active", "on"),
        ])
        .unwrap();
        assert_eq!(ok.categories, vec![1, 2]);
        let errors = read(&[("name", "Stanowisko 1")]).unwrap_err();
        assert_eq!(
            errors.get("categories"),
            Some("sp-desk-categories-required")
        );
        let errors = read(&[("name", "S"), ("categories", "7")]).unwrap_err();
        assert_eq!(errors.get("categories"), Some("sp-desk-category-unknown"));
        let errors = read(&[("categories", "1")]).unwrap_err();
        assert_eq!(errors.get("name"), Some(parse::REQUIRED));
    }

    #[test]
    fn booking_forms() {
        use super::super::booking::{Bookable, Matter, NewBooking, SlotView};
        use crate::db::UtcTime;
        let start: jiff::Timestamp = "2026-12-09T11:30:00Z".parse().unwrap();
        let full: jiff::Timestamp = "2026-12-09T11:42:00Z".parse().unwrap();
        let slots = [
            SlotView {
                start: UtcTime::from_timestamp(start),
                available: 1,
                capacity: 2,
            },
            SlotView {
                start: UtcTime::from_timestamp(full),
                available: 0,
                capacity: 2,
            },
        ];
        let bookable = [Bookable {
            category: Category {
                bookable: true,
                ..category(4, "U")
            },
            matters: vec![Matter {
                card_id: 12,
                code: "SA-4".into(),
                name: "Dowód osobisty".into(),
                documents: vec![],
            }],
        }];
        let read = |list: &[(&str, &str)]| {
            let p = pairs(list);
            NewBooking::try_from(BookingForm {
                pairs: &p,
                location_id: 1,
                bookable: &bookable,
                slots: &slots,
            })
        };
        let good = [
            ("matter", "U:12"),
            ("slot", "2026-12-09T12:30:00+01:00"),
            ("name", " Jan Kowalski "),
            ("email", "jan@example.pl"),
            ("phone", "+48 601-234-567"),
            ("pesel", "44051401359"),
        ];
        let ok = read(&good).unwrap();
        assert_eq!(ok.category, "U");
        assert_eq!(ok.card_id, Some(12));
        assert_eq!(ok.start, start);
        assert_eq!(ok.name, "Jan Kowalski");
        assert_eq!(ok.phone.as_deref(), Some("601234567"));
        assert_eq!(ok.pesel.as_deref(), Some("44051401359"));
        // (field changed, value, field with the problem, message)
        let cases = [
            ("matter", "U:13", "matter", parse::CHOICE_UNKNOWN),
            ("matter", "A:12", "matter", parse::CHOICE_UNKNOWN),
            ("matter", "U", "matter", parse::CHOICE_UNKNOWN),
            (
                "slot",
                "2026-12-09T12:42:00+01:00",
                "slot",
                "booking-slot-full",
            ),
            (
                "slot",
                "2026-12-09T12:31:00+01:00",
                "slot",
                "booking-slot-unknown",
            ),
            ("slot", "12:30", "slot", "booking-slot-unknown"),
            ("slot", "", "slot", parse::REQUIRED),
            ("name", "", "name", parse::REQUIRED),
            ("email", "jan@", "email", parse::EMAIL_INVALID),
            ("phone", "12 34", "phone", "booking-phone-invalid"),
            ("pesel", "44051401358", "pesel", "booking-pesel-invalid"),
        ];
        for (field, value, problem, message) in cases {
            let list: Vec<(&str, &str)> = good
                .iter()
                .map(|(k, v)| if *k == field { (*k, value) } else { (*k, *v) })
                .collect();
            let errors = read(&list).unwrap_err();
            assert_eq!(errors.get(problem), Some(message), "{field}={value:?}");
        }
        // Optional fields may be left empty.
        let list: Vec<(&str, &str)> = good
            .iter()
            .filter(|(k, _)| *k != "phone" && *k != "pesel")
            .copied()
            .collect();
        assert!(read(&list).is_ok());
    }

    #[test]
    fn statistics_ranges() {
        let today = jiff::civil::date(2026, 12, 8);
        let pairs = |from: &str, to: &str| -> Vec<(String, String)> {
            vec![("from".into(), from.into()), ("to".into(), to.into())]
        };
        let ok = |from: &str, to: &str| {
            super::stats_range(&pairs(from, to), today)
                .map(|r| (r.from.to_string(), r.to.to_string()))
        };
        // (from, to, expected)
        /// (from, to) as typed → (from, to) taken, or (field, message).
        type Case<'a> = (
            &'a str,
            &'a str,
            Result<(&'a str, &'a str), (&'a str, &'a str)>,
        );
        let cases: Vec<Case<'_>> = vec![
            ("", "", Ok(("2026-11-09", "2026-12-08"))),
            ("2026-12-01", "", Ok(("2026-12-01", "2026-12-08"))),
            ("", "2026-11-30", Ok(("2026-11-01", "2026-11-30"))),
            ("2026-12-07", "2026-12-07", Ok(("2026-12-07", "2026-12-07"))),
            ("2025-12-08", "2026-12-08", Ok(("2025-12-08", "2026-12-08"))),
            (
                "2025-12-07",
                "2026-12-08",
                Err(("to", "sp-stats-range-long")),
            ),
            (
                "2026-12-08",
                "2026-12-07",
                Err(("to", "sp-stats-range-order")),
            ),
            ("2026-02-30", "", Err(("from", "form-date-invalid"))),
            ("jutro", "2026-12-01", Err(("from", "form-date-invalid"))),
        ];
        for (from, to, expected) in cases {
            match (ok(from, to), expected) {
                (Ok(got), Ok(want)) => {
                    assert_eq!((got.0.as_str(), got.1.as_str()), want, "{from}..{to}")
                }
                (Err(errors), Err((field, message))) => {
                    assert_eq!(errors.get(field), Some(message), "{from}..{to}")
                }
                (got, want) => panic!("{from}..{to}: {got:?} / {want:?}"),
            }
        }
    }
}
