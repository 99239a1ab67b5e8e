//! Translations: Fluent files in `locales/{pl,en}/*.ftl`, embedded in the binary.
//! Polish is the default and the fallback; English is chosen by the visitor (a `lang`
//! cookie set by the language switch). Fluent gives Polish its plural categories
//! (one / few / many: „1 sprawa, 2 sprawy, 5 spraw”).

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

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
    pub fn t(self, key: &str) -> String {
        LOCALES
            .try_lookup(self.id(), key)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The message `key` with named arguments.
    pub fn t_args(self, key: &str, args: &[(&'static str, Arg)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), v.to_fluent()))
            .collect();
        LOCALES
            .try_lookup_with_args(self.id(), key, &args)
            .unwrap_or_else(|| key.to_owned())
    }

    pub fn has(self, key: &str) -> bool {
        LOCALES.try_lookup(self.id(), key).is_some()
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn long_dates() {
        let d = jiff::civil::date(2026, 11, 23);
        assert_eq!(long_date(Lang::Pl, d), "23 listopada 2026");
        assert_eq!(long_date(Lang::En, d), "23 November 2026");
    }
}
