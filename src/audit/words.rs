//! The audit trail in words (issue 15): the viewer shows „Sprawa nr 32 — przydzielenie”,
//! not `case_file.assign` and `case_file 32`. The stored codes stay as they are — they
//! are part of each event's hash — and are translated only when shown.
//!
//! An event's action is stored as `<kind>.<verb>` (or a bare verb in the oldest events);
//! its object as a kind and an id. Each kind and verb has a message (`audit-kind-…`,
//! `audit-verb-…`) in every language; a code without one is shown as it is, so that the
//! raw-code test of the staff pages finds it.

use crate::web::i18n::Lang;

/// Every kind of object the trail records, for the viewer's filter list. A kind written
/// by a new capability is added here with its message (the unit test checks both).
pub const KINDS: &[&str] = &[
    "access",
    "api_key",
    "application",
    "archive_consent",
    "archive_file",
    "archive_transfer",
    "attachment",
    "audit_chain",
    "audit_checkpoint",
    "bip_draft",
    "bip_publication",
    "bip_settings",
    "bip_withheld",
    "booking_reminders",
    "case_appeal",
    "case_fee",
    "case_file",
    "case_letter",
    "employee",
    "incoming_dekretacja",
    "incoming_item",
    "jrwa",
    "letter_template",
    "location",
    "location_closure",
    "location_hours",
    "office",
    "org_unit",
    "outgoing_item",
    "problem_report",
    "register_year",
    "reminders",
    "report_area",
    "report_category",
    "resident",
    "sat_rating",
    "service_card",
    "signing_authorisation",
    "sp_booking",
    "sp_category",
    "sp_desk",
    "sp_location",
    "sp_ticket",
    "user",
    "user_roles",
    "fediverse_delivery",
    "fediverse_follower",
    "fediverse_key",
    "news_image",
    "news_item",
    "sv_campaign",
    "sv_response",
    "rodo_clause",
    "rodo_activity",
    "rodo_retention",
];

/// A stored code as the part of a message id: `case_file` → `case_file` (Fluent ids
/// allow `_`), anything outside `[a-z0-9_]` makes the code untranslatable.
fn message_part(code: &str) -> Option<&str> {
    (!code.is_empty()
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'))
    .then_some(code)
}

/// The words for a message built from `prefix` and a stored code, or the code itself.
fn word(lang: Lang, prefix: &str, code: &str) -> String {
    match message_part(code).map(|part| format!("{prefix}{part}")) {
        Some(id) if lang.has(&id) => lang.t(&id),
        _ => code.to_owned(),
    }
}

/// A kind of object in words: „sprawa”.
pub fn kind(lang: Lang, kind: &str) -> String {
    word(lang, "audit-kind-", kind)
}

/// What was done, in words: „sprawa — przydzielenie”. `action` is `<kind>.<verb>` or a
/// bare verb; a kind named in the action that differs from the object's is kept in words.
pub fn action(lang: Lang, action: &str) -> String {
    match action.split_once('.') {
        Some((k, verb)) => format!("{} — {}", kind(lang, k), word(lang, "audit-verb-", verb)),
        None => word(lang, "audit-verb-", action),
    }
}

/// Who did it, in words: a user's login as it is; `anonymous`, `system:demo`,
/// `resident:anna@…` and `apikey:NAME` with their kind of actor named.
pub fn actor(lang: Lang, login: &str) -> String {
    if login == "anonymous" {
        return lang.t("audit-actor-anonymous");
    }
    for (prefix, id) in [
        ("system:", "audit-actor-system"),
        ("resident:", "audit-actor-resident"),
        ("apikey:", "audit-actor-api-key"),
    ] {
        if let Some(who) = login.strip_prefix(prefix) {
            return format!("{} ({who})", lang.t(id));
        }
    }
    login.to_owned()
}

/// Whether an event's action and object kind are both shown in words in `lang`.
pub fn in_words(lang: Lang, action: &str, object_kind: &str) -> bool {
    let (kind_in_action, verb) = action
        .split_once('.')
        .map_or((None, action), |(k, v)| (Some(k), v));
    let known = |prefix: &str, code: &str| {
        message_part(code).is_some_and(|part| lang.has(&format!("{prefix}{part}")))
    };
    known("audit-verb-", verb)
        && known("audit-kind-", object_kind)
        && kind_in_action.is_none_or(|k| known("audit-kind-", k))
}

/// The object of an event in words: „sprawa 32”; a job's own record (its id is its
/// code, `fediverse_delivery`) by its kind alone, never the code (issue 15).
pub fn object(lang: Lang, kind: &str, id: &str) -> String {
    let is_code =
        id == kind || (id.contains('_') && id.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
    if id.is_empty() || is_code {
        self::kind(lang, kind)
    } else {
        format!("{} {id}", self::kind(lang, kind))
    }
}

/// The staff page of an object, where there is one for its kind.
pub fn object_link(kind: &str, id: &str) -> Option<String> {
    let id: i64 = id.parse().ok()?;
    let path = match kind {
        "case_file" => "/staff/cases",
        "incoming_item" => "/staff/correspondence",
        _ => return None,
    };
    Some(format!("{path}/{id}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_object_is_its_kind_and_id_never_a_code() {
        assert_eq!(
            object(Lang::Pl, "case_file", "32"),
            format!("{} 32", kind(Lang::Pl, "case_file"))
        );
        assert_eq!(
            object(Lang::Pl, "fediverse_delivery", "fediverse_delivery"),
            kind(Lang::Pl, "fediverse_delivery")
        );
        assert!(!object(Lang::En, "jrwa", "2026").contains('_'));
    }

    #[test]
    fn every_kind_has_words_in_every_language() {
        for lang in [Lang::Pl, Lang::En] {
            for k in KINDS {
                assert!(
                    lang.has(&format!("audit-kind-{k}")),
                    "{k} has no words in {lang:?}"
                );
            }
        }
    }

    #[test]
    fn actions_and_actors_in_words() {
        let pl = Lang::Pl;
        assert_eq!(action(pl, "case_file.assign"), "sprawa — przydzielenie");
        assert_eq!(action(pl, "create"), "utworzenie");
        assert_eq!(action(Lang::En, "user.login"), "user account — sign-in");
        // An unknown code is shown as it is, for the raw-code test to find.
        assert_eq!(action(pl, "case_file.fly"), "sprawa — fly");
        assert_eq!(action(pl, "no-such.thing"), "no-such — thing");
        assert!(in_words(pl, "case_file.assign", "case_file"));
        assert!(in_words(pl, "create", "user"));
        assert!(!in_words(pl, "case_file.fly", "case_file"));
        assert!(!in_words(pl, "case_file.assign", "spaceship"));
        assert_eq!(actor(pl, "anonymous"), "niezalogowany użytkownik");
        assert_eq!(actor(pl, "system:demo"), "system (demo)");
        assert_eq!(actor(pl, "kierownik"), "kierownik");
        assert_eq!(
            object_link("case_file", "32").as_deref(),
            Some("/staff/cases/32")
        );
        assert_eq!(object_link("case_file", "x"), None);
        assert_eq!(object_link("user", "3"), None);
    }
}
