//! The parsers of submitted values, one per kind of input, and [`FormReader`], which
//! reads a form's `name=value` pairs with them and gathers every field's problem.
//!
//! Each parser is pure and answers `Err(message_id)`: the Fluent id of what the person
//! is told (`form-…` in `locales/*/core.ftl`). A capability that needs its own wording
//! maps the error (`parse::time(v).map_err(|_| "org-hours-time-invalid")`). Dates are
//! read by the domain's one parser ([`magistrat_domain::date::parse_date`]).

use std::ops::RangeInclusive;

use jiff::civil::{Date, Time};

use super::FormErrors;

/// A submitted form: its `name=value` pairs in the order sent (what
/// `Form<Vec<(String, String)>>` extracts; a name may repeat).
pub type Pairs = [(String, String)];

/// The Fluent id of a message saying what is wrong with a value.
pub type Message = &'static str;

pub const REQUIRED: Message = "form-required";
pub const TOO_LONG: Message = "form-too-long";
pub const DATE_INVALID: Message = "form-date-invalid";
pub const TIME_INVALID: Message = "form-time-invalid";
pub const NUMBER_INVALID: Message = "form-number-invalid";
pub const NUMBER_RANGE: Message = "form-number-range";
pub const CHOICE_UNKNOWN: Message = "form-choice-unknown";
pub const EMAIL_INVALID: Message = "form-email-invalid";

/// The value of the first field `name`, as sent (empty when absent).
pub fn value<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

/// Whether the checkbox `name` was ticked: a browser sends a ticked box (with its
/// `value`, `on` by default) and nothing at all for an unticked one.
pub fn checked(pairs: &Pairs, name: &str) -> bool {
    pairs.iter().any(|(k, _)| k == name)
}

/// A line of text, trimmed, at most `max` characters (characters, not bytes: `ł` is
/// one).
pub fn text(s: &str, max: usize) -> Result<String, Message> {
    let s = s.trim();
    if s.chars().count() > max {
        return Err(TOO_LONG);
    }
    Ok(s.to_owned())
}

/// A calendar date written `YYYY-MM-DD` (what `<input type="date">` sends), surrounding
/// blanks ignored.
pub fn date(s: &str) -> Result<Date, Message> {
    magistrat_domain::date::parse_date(s.trim()).map_err(|_| DATE_INVALID)
}

/// A time of day `HH:MM`, 00:00–23:59 (what `<input type="time">` sends; `8:00` is read
/// as `08:00` for browsers that show a plain text box).
pub fn time(s: &str) -> Result<Time, Message> {
    let (h, m) = s.trim().split_once(':').ok_or(TIME_INVALID)?;
    let digits = |p: &str, len: RangeInclusive<usize>| {
        len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 1..=2) || !digits(m, 2..=2) {
        return Err(TIME_INVALID);
    }
    let (h, m): (i8, i8) = (
        h.parse().map_err(|_| TIME_INVALID)?,
        m.parse().map_err(|_| TIME_INVALID)?,
    );
    Time::new(h, m, 0, 0).map_err(|_| TIME_INVALID)
}

/// A time as the forms and the store write it: `HH:MM`, zero-padded (so text order is
/// time order).
pub fn time_text(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// A whole number within `bounds` (digits with an optional sign; no spaces inside, no
/// fractions).
pub fn integer(s: &str, bounds: RangeInclusive<i64>) -> Result<i64, Message> {
    let s = s.trim();
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NUMBER_INVALID);
    }
    // Only digits: a parse failure is an overflow, which is out of any range.
    let n: i64 = s.parse().map_err(|_| NUMBER_RANGE)?;
    if bounds.contains(&n) {
        Ok(n)
    } else {
        Err(NUMBER_RANGE)
    }
}

/// One of the offered options, told by its code: `codes` are the values of the
/// `<select>`'s options (a value not offered is refused even if it names something
/// real, so a form cannot choose what the page did not offer).
pub fn choice<'o, T>(
    s: &str,
    options: &'o [T],
    code: impl Fn(&T) -> &str,
) -> Result<&'o T, Message> {
    let s = s.trim();
    options.iter().find(|o| code(o) == s).ok_or(CHOICE_UNKNOWN)
}

/// An e-mail address the office accepts (`magistrat_domain::email`: parsed as RFC 5322,
/// a domain with a dot, no CR, LF, tab or other control character), once trimmed. The
/// one check of addresses for every form (accounts, residents, cases, correspondence,
/// service cards, e-service forms).
pub fn looks_like_email(s: &str) -> bool {
    magistrat_domain::email::is_email_address(s.trim())
}

/// An e-mail address, trimmed, at most `max` characters.
pub fn email(s: &str, max: usize) -> Result<String, Message> {
    let s = text(s, max)?;
    if looks_like_email(&s) {
        Ok(s)
    } else {
        Err(EMAIL_INVALID)
    }
}

/// Reads one submitted form field by field, gathering the first problem of each field,
/// so that the page shows every problem at once. `finish` gives the value built or the
/// problems.
///
/// ```ignore
/// let mut form = FormReader::new(&pairs);
/// let name = form.text("name", 200);
/// let day = form.required("day", parse::date);
/// form.finish(day.map(|day| Closure { day, name }))
/// ```
#[derive(Debug)]
pub struct FormReader<'a> {
    pairs: &'a Pairs,
    errors: FormErrors,
}

impl<'a> FormReader<'a> {
    pub fn new(pairs: &'a Pairs) -> Self {
        Self {
            pairs,
            errors: FormErrors::new(),
        }
    }

    /// The value of `name` as sent.
    pub fn value(&self, name: &str) -> &'a str {
        value(self.pairs, name)
    }

    /// Whether `name` was sent with nothing but blanks (or not at all).
    pub fn is_blank(&self, name: &str) -> bool {
        self.value(name).trim().is_empty()
    }

    /// Whether the checkbox `name` was ticked.
    pub fn checked(&self, name: &str) -> bool {
        checked(self.pairs, name)
    }

    /// A required line of text, trimmed, at most `max` characters.
    pub fn text(&mut self, name: &'static str, max: usize) -> String {
        if self.is_blank(name) {
            self.errors.add(name, REQUIRED);
            return String::new();
        }
        self.optional_text(name, max)
    }

    /// An optional line of text, trimmed, at most `max` characters (empty when absent).
    pub fn optional_text(&mut self, name: &'static str, max: usize) -> String {
        let v = self.value(name);
        match text(v, max) {
            Ok(t) => t,
            Err(message) => {
                self.errors.add(name, message);
                v.trim().to_owned()
            }
        }
    }

    /// A required value read by `parse` (given the trimmed value): blank is
    /// `form-required`, a refused value the parser's message.
    pub fn required<T, E: Into<String>>(
        &mut self,
        name: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        if self.is_blank(name) {
            self.errors.add(name, REQUIRED);
            return None;
        }
        self.optional(name, parse)
    }

    /// An optional value read by `parse`: blank is `None`, a refused value the parser's
    /// message.
    pub fn optional<T, E: Into<String>>(
        &mut self,
        name: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let v = self.value(name);
        if v.trim().is_empty() {
            return None;
        }
        match parse(v.trim()) {
            Ok(t) => Some(t),
            Err(message) => {
                self.errors.add(name, message);
                None
            }
        }
    }

    /// Records a problem found by a rule across fields (the field keeps its first).
    pub fn error(&mut self, name: &'static str, message: impl Into<String>) {
        self.errors.add(name, message);
    }

    /// Whether `name` has a problem already.
    pub fn has_error(&self, name: &str) -> bool {
        self.errors.get(name).is_some()
    }

    /// The problems so far.
    pub fn errors(&self) -> &FormErrors {
        &self.errors
    }

    /// The problems so far, for a rule that checks several read values together.
    pub fn errors_mut(&mut self) -> &mut FormErrors {
        &mut self.errors
    }

    /// The value built from the fields, or every problem found. `value` is `None` only
    /// when a field it needs is wrong, so a `None` without problems cannot happen; it is
    /// answered with the problems anyway (an empty set), never with a half-built value.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, FormErrors> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => Err(self.errors),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::{date as d, time as t};
    use proptest::prelude::*;

    fn form(fields: &[(&str, &str)]) -> Vec<(String, String)> {
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn texts() {
        for (input, max, expected) in [
            ("  Zielonka ", 8, Ok("Zielonka")),
            ("Łódź", 4, Ok("Łódź")),
            ("Łódź!", 4, Err(TOO_LONG)),
            ("", 4, Ok("")),
            ("   ", 0, Ok("")),
        ] {
            assert_eq!(
                text(input, max).as_deref().map_err(|e| *e),
                expected,
                "{input:?}"
            );
        }
    }

    #[test]
    fn dates() {
        for (input, expected) in [
            ("2026-12-31", Ok(d(2026, 12, 31))),
            (" 2024-02-29 ", Ok(d(2024, 2, 29))),
            ("2025-02-29", Err(DATE_INVALID)),
            ("2026-02-30", Err(DATE_INVALID)),
            ("31.12.2026", Err(DATE_INVALID)),
            ("20261231", Err(DATE_INVALID)),
            ("2026-1-31", Err(DATE_INVALID)),
            ("+2026-01-31", Err(DATE_INVALID)),
            ("2026-12-31T10:00", Err(DATE_INVALID)),
            ("", Err(DATE_INVALID)),
        ] {
            assert_eq!(date(input), expected, "{input:?}");
        }
    }

    #[test]
    fn times() {
        for (input, expected) in [
            ("08:00", Some(t(8, 0, 0, 0))),
            ("7:30", Some(t(7, 30, 0, 0))),
            (" 00:00 ", Some(t(0, 0, 0, 0))),
            ("23:59", Some(t(23, 59, 0, 0))),
            ("24:00", None),
            ("12:60", None),
            ("12:5", None),
            ("1230", None),
            ("12.30", None),
            ("ab:cd", None),
            ("123:00", None),
            ("-1:00", None),
            ("+1:00", None),
            ("12:30:00", None),
            ("", None),
        ] {
            let got = time(input);
            assert_eq!(got.ok(), expected, "{input:?}");
            if expected.is_none() {
                assert_eq!(got, Err(TIME_INVALID));
            }
        }
        assert_eq!(time_text(t(7, 5, 0, 0)), "07:05");
    }

    #[test]
    fn integers() {
        for (input, bounds, expected) in [
            ("12", 0..=100, Ok(12)),
            (" 0 ", 0..=100, Ok(0)),
            ("+7", 0..=100, Ok(7)),
            ("-3", -5..=5, Ok(-3)),
            ("-3", 0..=100, Err(NUMBER_RANGE)),
            ("101", 0..=100, Err(NUMBER_RANGE)),
            ("99999999999999999999", 0..=100, Err(NUMBER_RANGE)),
            ("12,5", 0..=100, Err(NUMBER_INVALID)),
            ("1 000", 0..=10_000, Err(NUMBER_INVALID)),
            ("x", 0..=100, Err(NUMBER_INVALID)),
            ("-", 0..=100, Err(NUMBER_INVALID)),
            ("", 0..=100, Err(NUMBER_INVALID)),
        ] {
            assert_eq!(integer(input, bounds), expected, "{input:?}");
        }
    }

    #[test]
    fn choices_and_checkboxes() {
        let options = ["post", "email"];
        assert_eq!(choice(" email ", &options, |o| o), Ok(&"email"));
        assert_eq!(choice("fax", &options, |o| o), Err(CHOICE_UNKNOWN));
        assert_eq!(choice("", &options, |o| o), Err(CHOICE_UNKNOWN));
        let f = form(&[("active", "on"), ("name", "")]);
        assert!(checked(&f, "active"));
        assert!(
            checked(&f, "name"),
            "a sent box is ticked whatever its value"
        );
        assert!(!checked(&f, "archived"));
        assert_eq!(value(&f, "active"), "on");
        assert_eq!(value(&f, "missing"), "");
    }

    #[test]
    fn emails() {
        for ok in ["a@b.pl", " jan.kowalski@gmina.example.pl "] {
            assert!(email(ok, 200).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "a",
            "a@b",
            "@b.pl",
            "a@.pl",
            "a b@c.pl",
            "gmina(at)zielonka.pl",
            "a@b.pl\r\nBcc: x@evil.example",
            "a\t@b.pl",
            "a@b.pl\nx@c.pl",
        ] {
            assert_eq!(email(bad, 200), Err(EMAIL_INVALID), "{bad:?}");
        }
        assert_eq!(email("a@b.pl", 5), Err(TOO_LONG));
    }

    #[test]
    fn the_reader_gathers_every_field() {
        let f = form(&[
            ("name", "  "),
            ("note", "za długi tekst"),
            ("day", "2026-02-30"),
            ("at", "9:15"),
            ("count", "7"),
        ]);
        let mut r = FormReader::new(&f);
        assert_eq!(r.text("name", 10), "");
        assert_eq!(r.optional_text("note", 5), "za długi tekst");
        assert_eq!(r.required("day", date), None);
        assert_eq!(r.required("missing", date), None);
        assert_eq!(r.optional("absent", date), None);
        assert_eq!(r.required("at", time), Some(t(9, 15, 0, 0)));
        assert_eq!(r.optional("count", |v| integer(v, 0..=5)), None);
        let errors = r.finish(Some(())).unwrap_err();
        let got: Vec<(&str, &str)> = errors.fields().collect();
        assert_eq!(
            got,
            [
                ("count", NUMBER_RANGE),
                ("day", DATE_INVALID),
                ("missing", REQUIRED),
                ("name", REQUIRED),
                ("note", TOO_LONG),
            ]
        );
        let ok = form(&[("name", " Jan ")]);
        let mut r = FormReader::new(&ok);
        let name = r.text("name", 10);
        assert_eq!(r.finish(Some(name)).unwrap(), "Jan");
        assert!(FormReader::new(&ok).finish::<()>(None).is_err());
    }

    proptest! {
        #[test]
        fn every_valid_date_round_trips(
            day in (1900i16..=2100, 1i8..=12, 1i8..=31)
                .prop_filter_map("a real day", |(y, m, dd)| Date::new(y, m, dd).ok())
        ) {
            prop_assert_eq!(date(&day.to_string()), Ok(day));
        }

        #[test]
        fn every_valid_time_round_trips(h in 0i8..24, m in 0i8..60) {
            let at = t(h, m, 0, 0);
            prop_assert_eq!(time(&time_text(at)), Ok(at));
        }

        #[test]
        fn integers_in_bounds_round_trip(n in -1_000_000i64..1_000_000, lo in -10i64..10) {
            let bounds = lo..=lo + 500_000;
            let got = integer(&n.to_string(), bounds.clone());
            prop_assert_eq!(got.is_ok(), bounds.contains(&n));
        }

        #[test]
        fn garbage_never_panics(s in "\\PC{0,40}", max in 0usize..50) {
            let _ = text(&s, max);
            let _ = date(&s);
            let _ = time(&s);
            let _ = integer(&s, 0..=10);
            let _ = email(&s, max);
            let f = vec![("x".to_owned(), s.clone())];
            let mut r = FormReader::new(&f);
            let _ = r.text("x", max);
            let _ = r.required("x", date);
            let _ = r.required("x", time);
            let _ = r.finish(Some(()));
        }
    }
}
