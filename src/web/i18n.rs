//! Translations: Fluent files in `locales/{pl,en}/*.ftl`, embedded in the binary.
//! Polish is the default and the fallback; English is chosen by the visitor (a `lang`
//! cookie set by the language switch). Fluent gives Polish its plural categories
//! (one / few / many: „1 sprawa, 2 sprawy, 5 spraw”).

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{PoisonError, RwLock};

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, langid};

fluent_templates::static_loader! {
    pub static LOCALES = {
        locales: "./locales",
        fallback_language: "pl",
        // Unicode isolation marks around arguments confuse screen readers and tests.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static PL: LanguageIdentifier = langid!("pl");
static EN: LanguageIdentifier = langid!("en");

/// The languages of the user interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Pl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Pl, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Pl => "pl",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "pl" => Some(Lang::Pl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Pl => &PL,
            Lang::En => &EN,
        }
    }

    /// The message `key`; the key itself when it is missing (a test keeps both
    /// languages complete, so this shows up only during development).
    ///
    /// A message without arguments says the same every time, so each one is formatted
    /// once per language and kept ([`MEMO`]): a staff page makes a few hundred look-ups
    /// (the card editor ≈ 350), and each cost ≈ 2,000 instructions in the loader — two
    /// SipHash map look-ups and the formatting — against a few hundred from the memo
    /// (docs/decisions/0021-speed.md). Only messages that exist are kept, so the memo
    /// is bounded by the files' messages whatever keys a request makes up.
    pub fn t(self, key: &str) -> String {
        let memo = &MEMO[self as usize];
        if let Some(text) = memo.read().unwrap_or_else(PoisonError::into_inner).get(key) {
            return text.clone();
        }
        match self.lookup(key, None) {
            Some(text) => {
                memo.write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(key.into(), text.clone());
                text
            }
            None => key.to_owned(),
        }
    }

    /// The message `key` with named arguments.
    pub fn t_args(self, key: &str, args: &[(&'static str, Arg)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), v.to_fluent()))
            .collect();
        self.lookup(key, Some(&args))
            .unwrap_or_else(|| key.to_owned())
    }

    pub fn has(self, key: &str) -> bool {
        self.lookup(key, None).is_some()
    }

    /// The message in this language, else in Polish (the fallback) — what the loader's
    /// `try_lookup` answers, without its per-call language negotiation: `try_lookup`
    /// negotiates the requested language against the loaded ones on every call
    /// (allocating and matching language tags), which was most of a look-up's cost and
    /// a staff page makes a few hundred look-ups (docs/decisions/0021-speed.md).
    fn lookup(
        self,
        key: &str,
        args: Option<&HashMap<Cow<'static, str>, FluentValue>>,
    ) -> Option<String> {
        LOCALES
            .lookup_single_language(self.id(), key, args)
            .ok()
            .or_else(|| {
                (self != Lang::Pl)
                    .then(|| LOCALES.lookup_single_language(&PL, key, args).ok())
                    .flatten()
            })
    }
}

/// FNV-1a: message ids are short, trusted strings (only ids that exist are stored), so a
/// simple hash serves better than the default SipHash.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type Memo = RwLock<HashMap<Box<str>, String, BuildHasherDefault<Fnv>>>;

/// Messages without arguments as formatted, per language (indexed by `Lang as usize`).
static MEMO: [Memo; 2] = [
    RwLock::new(HashMap::with_hasher(BuildHasherDefault::new())),
    RwLock::new(HashMap::with_hasher(BuildHasherDefault::new())),
];

/// An argument of a translated message.
#[derive(Clone, Debug)]
pub enum Arg {
    Str(String),
    Num(i64),
}

impl Arg {
    fn to_fluent(&self) -> FluentValue<'static> {
        match self {
            Arg::Str(s) => FluentValue::from(s.clone()),
            Arg::Num(n) => FluentValue::from(*n),
        }
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_owned())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}
impl From<&i64> for Arg {
    fn from(n: &i64) -> Self {
        Arg::Num(*n)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Str(s.clone())
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Num(n)
    }
}
impl From<u32> for Arg {
    fn from(n: u32) -> Self {
        Arg::Num(i64::from(n))
    }
}
impl From<&u32> for Arg {
    fn from(n: &u32) -> Self {
        Arg::Num(i64::from(*n))
    }
}

/// The Fluent id of a domain error code: `pesel.checksum` → `pesel-checksum`,
/// `password.too_short` → `password-too-short`.
pub fn message_id(code: &str) -> String {
    code.replace(['.', '_'], "-")
}

/// Polish month names in the genitive, as dates are written („23 listopada 2026”).
const PL_MONTHS: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];
const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar date written out for people in `lang`.
pub fn long_date(lang: Lang, date: jiff::civil::Date) -> String {
    let month = usize::try_from(date.month() - 1).unwrap_or(0);
    match lang {
        Lang::Pl => format!("{} {} {}", date.day(), PL_MONTHS[month % 12], date.year()),
        Lang::En => format!("{} {} {}", date.day(), EN_MONTHS[month % 12], date.year()),
    }
}

/// A calendar date in a table's short form, „3.12.2026” (issue 15: short tables may use
/// it; the day and month without leading zeros, as Polish offices write them). The
/// same in English, where day.month.year reads as in the UK.
pub fn short_date(date: jiff::civil::Date) -> String {
    format!("{}.{}.{}", date.day(), date.month(), date.year())
}

/// A moment in a table's short form, „4.12.2026, 18:05” (both languages).
pub fn short_date_time(at: &jiff::Zoned) -> String {
    format!(
        "{}, {}:{:02}",
        short_date(at.date()),
        at.hour(),
        at.minute()
    )
}

/// A moment written out for people in `lang`, in the office's time zone as the caller
/// gives it: „3 grudnia 2026 r., godz. 19:05”, „3 December 2026, 19:05” (issue 15:
/// as people write it, not `2026-12-03 19:05:00 +01:00`).
pub fn long_date_time(lang: Lang, at: &jiff::Zoned) -> String {
    let date = long_date(lang, at.date());
    let (hour, minute) = (at.hour(), at.minute());
    match lang {
        Lang::Pl => format!("{date} r., godz. {hour}:{minute:02}"),
        Lang::En => format!("{date}, {hour:02}:{minute:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_dates_as_offices_write_them() {
        for (date, written) in [
            (jiff::civil::date(2026, 12, 3), "3.12.2026"),
            (jiff::civil::date(2027, 1, 31), "31.1.2027"),
            (jiff::civil::date(2024, 2, 29), "29.2.2024"),
        ] {
            assert_eq!(short_date(date), written);
        }
    }

    #[test]
    fn moments_in_tables_as_people_write_them() {
        let at = |s: &str| {
            s.parse::<jiff::civil::DateTime>()
                .unwrap()
                .to_zoned(jiff::tz::TimeZone::get("Europe/Warsaw").unwrap())
                .unwrap()
        };
        assert_eq!(
            short_date_time(&at("2026-12-04T18:05:42")),
            "4.12.2026, 18:05"
        );
        assert_eq!(
            short_date_time(&at("2027-01-09T07:00:00")),
            "9.1.2027, 7:00"
        );
    }

    #[test]
    fn polish_plurals() {
        let n = |n| Lang::Pl.t_args("test-plural-events", &[("count", Arg::Num(n))]);
        assert_eq!(n(1), "1 zdarzenie");
        assert_eq!(n(2), "2 zdarzenia");
        assert_eq!(n(5), "5 zdarzeń");
        assert_eq!(n(22), "22 zdarzenia");
        assert_eq!(n(112), "112 zdarzeń");
    }

    /// The message ids defined in one language's files.
    fn keys(lang: &str) -> std::collections::BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        let mut keys = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for line in text.lines() {
                if let Some((key, _)) = line.split_once(" =")
                    && !key.starts_with(['#', ' ', '-'])
                    && !key.is_empty()
                {
                    keys.insert(key.to_owned());
                }
            }
        }
        keys
    }

    #[test]
    fn both_languages_have_the_same_messages() {
        let (pl, en) = (keys("pl"), keys("en"));
        assert!(pl.len() > 50);
        let only_pl: Vec<_> = pl.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&pl).collect();
        assert!(
            only_pl.is_empty() && only_en.is_empty(),
            "only in pl: {only_pl:?}; only in en: {only_en:?}"
        );
    }

    /// Every literal id used by a template (`ctx.t("…")`, `ctx.t1("…"`) exists.
    #[test]
    fn templates_use_only_defined_messages() {
        let defined = keys("pl");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut missing = Vec::new();
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for marker in ["ctx.t(\"", "ctx.t1(\""] {
                    for piece in text.split(marker).skip(1) {
                        let key = piece.split('"').next().unwrap_or_default();
                        if !defined.contains(key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "undefined messages: {missing:?}");
    }

    #[test]
    fn long_date_times() {
        for (at, pl, en) in [
            (
                "2026-12-03T19:05:00+01:00[Europe/Warsaw]",
                "3 grudnia 2026 r., godz. 19:05",
                "3 December 2026, 19:05",
            ),
            (
                "2026-07-01T08:00:59+02:00[Europe/Warsaw]",
                "1 lipca 2026 r., godz. 8:00",
                "1 July 2026, 08:00",
            ),
            (
                "2027-01-31T00:09:00+01:00[Europe/Warsaw]",
                "31 stycznia 2027 r., godz. 0:09",
                "31 January 2027, 00:09",
            ),
        ] {
            let at: jiff::Zoned = at.parse().unwrap();
            assert_eq!(long_date_time(Lang::Pl, &at), pl);
            assert_eq!(long_date_time(Lang::En, &at), en);
        }
    }

    proptest::proptest! {
        #[test]
        fn long_date_times_name_the_day_month_year_and_minute(
            secs in 1_577_836_800i64..2_524_608_000i64,
        ) {
            let at = jiff::Timestamp::from_second(secs)
                .unwrap()
                .to_zoned(jiff::tz::TimeZone::get("Europe/Warsaw").unwrap());
            let pl = long_date_time(Lang::Pl, &at);
            let en = long_date_time(Lang::En, &at);
            let day_prefix = format!("{} ", at.day());
            let minute = format!(":{:02}", at.minute());
            let year = format!("{} r., godz. ", at.year());
            proptest::prop_assert!(pl.starts_with(&day_prefix));
            proptest::prop_assert!(pl.contains(&year));
            proptest::prop_assert!(pl.ends_with(&minute));
            let named_month = PL_MONTHS.iter().any(|m| pl.contains(&format!(" {} ", m)));
            proptest::prop_assert!(named_month);
            proptest::prop_assert!(en.ends_with(&minute));
            proptest::prop_assert!(!pl.contains('\n') && !en.contains('\n'));
        }
    }

    #[test]
    fn a_remembered_message_is_the_formatted_one() {
        for (lang, expected) in [(Lang::Pl, "Otwarte"), (Lang::En, "Open")] {
            let key = "case-filter-open";
            let formatted = lang.lookup(key, None);
            assert!(formatted.is_some(), "{lang:?}");
            // The first call formats and keeps it, the second reads the memo.
            assert_eq!(Some(lang.t(key)), formatted);
            assert_eq!(Some(lang.t(key)), formatted);
            assert_eq!(lang.t(key), expected);
            // An unknown id answers itself and is not kept.
            let unknown = "no-such-message-in-any-file";
            assert_eq!(lang.t(unknown), unknown);
            assert!(!MEMO[lang as usize].read().unwrap().contains_key(unknown));
        }
    }

    #[test]
    fn long_dates() {
        let d = jiff::civil::date(2026, 11, 23);
        assert_eq!(long_date(Lang::Pl, d), "23 listopada 2026");
        assert_eq!(long_date(Lang::En, d), "23 November 2026");
    }
}
