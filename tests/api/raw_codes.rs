//! No raw codes in the staff pages (issue 15): every staff role walks the demo — its
//! start page, every page of its menu, a case, a letter received — and the text a
//! person reads (tags, attributes, scripts left out) must hold no stored code
//! (`in_progress`, `case_file`, `administrative_simple`: snake_case words) and no
//! message key shown for a missing translation (`case-status-foo`: three or more
//! lowercase words joined by hyphens), in Polish and in English. The audit trail's
//! viewer is walked too (its technical record of stored data excepted), and every
//! action stored in the trail must have its words ([`every_stored_action_has_words`]).

use axum::http::StatusCode;

use magistrat::audit::words;
use magistrat::web::i18n::Lang;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    staff_pages_show_words_not_codes,
    every_stored_action_has_words
);

const ACCOUNTS: &[&str] = &[
    "admin",
    "kierownik",
    "urzednik",
    "obsluga",
    "redaktor",
    "jakosc",
    "bezpieczenstwo",
    "kadry",
];

/// The text of a page as read: without `<script>`/`<style>` content, tags and their
/// attributes; a few entities decoded.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        let tail = &rest[open..];
        // The audit viewer's technical record (the stored data, verbatim) is no text
        // for a person to read; its rows are, and are held to it.
        let skip_to = [
            ("<script", "</script>"),
            ("<style", "</style>"),
            ("<pre class=\"audit-record\"", "</pre>"),
        ]
        .iter()
        .find_map(|(open, close)| {
            tail.starts_with(open)
                .then(|| tail.find(close).map(|e| e + close.len()))
                .flatten()
        });
        let end = skip_to
            .or_else(|| tail.find('>').map(|e| e + 1))
            .unwrap_or(tail.len());
        rest = &tail[end..];
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&#38;", "&")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// The words of `text` that look like a stored code or a message key.
fn raw_codes(text: &str) -> Vec<String> {
    text.split(|c: char| {
        !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.' || c == '@' || c == '/')
    })
    .filter(|w| !w.contains('@') && !w.contains('/') && !w.contains('.'))
    .filter(|w| {
        let snake = w.contains('_')
            && w.split('_').all(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            });
        // Every part a word: a date (2026-12-03) is no key.
        let key = w.matches('-').count() >= 2
            && w.split('-').all(|p| {
                p.chars().any(|c| c.is_ascii_lowercase())
                    && p.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            });
        snake || key
    })
    .map(str::to_owned)
    .collect()
}

#[test]
fn the_scanner_finds_codes_and_keys_and_nothing_else() {
    let text = visible_text(
        "<p class=\"deadline-overdue\" data-x=\"in_progress\">Stan: in_progress</p>\
         <script>let case_file = 1;</script><td>case-status-foo</td>\
         <td>jan_kowalski@example.pl e-mail biuro-obslugi.pl /staff/cases/new 2026-12-03 Kraków-Nowa Huta</td>",
    );
    assert_eq!(raw_codes(&text), ["in_progress", "case-status-foo"]);
}

/// The pages of the staff menu the signed-in user sees.
fn menu(body: &str) -> Vec<String> {
    let Some(start) = body.find("class=\"staff-nav\"") else {
        return Vec::new();
    };
    let end = body[start..]
        .find("</nav>")
        .map_or(body.len(), |e| start + e);
    body[start..end]
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|h| h.replace("&#38;", "&").replace("&amp;", "&"))
        .collect()
}

async fn staff_pages_show_words_not_codes(app: TestApp) {
    let mut problems = Vec::new();
    for lang in ["pl", "en"] {
        for login in ACCOUNTS {
            app.login(login).await;
            app.get(&format!("/lang/{lang}?next=/staff")).await;
            let home = app.get("/staff").await;
            assert_eq!(home.status, StatusCode::OK, "{login}");
            let mut pages = vec!["/staff".to_owned()];
            pages.extend(menu(&home.body));
            pages.extend(
                [
                    "/staff/cases/1",
                    "/staff/cases?view=unit&status=all",
                    "/staff/correspondence/1",
                ]
                .map(str::to_owned),
            );
            pages.dedup();
            for path in pages {
                let page = app.get(&path).await;
                if page.status != StatusCode::OK {
                    continue; // not this role's page (403) — the access matrix's business
                }
                for code in raw_codes(&visible_text(&page.body)) {
                    problems.push(format!("{lang} {login} {path}: {code}"));
                }
            }
            app.logout().await;
        }
    }
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "raw codes or message keys on staff pages:\n{}",
        problems.join("\n")
    );
}

/// Every action and kind of object in the demo office's trail, after the staff walk
/// above has added sign-ins and views, is shown in words in both languages: the viewer
/// pages through the whole trail, so each stored code is checked, not only the newest 50.
async fn every_stored_action_has_words(app: TestApp) {
    for login in ACCOUNTS {
        app.login(login).await;
        app.logout().await;
    }
    let stored: Vec<(String, String)> = app
        .texts("SELECT DISTINCT action || '|' || entity_type FROM audit_event")
        .await
        .into_iter()
        .filter_map(|row| {
            row.split_once('|')
                .map(|(a, k)| (a.to_owned(), k.to_owned()))
        })
        .collect();
    assert!(stored.len() > 20, "{stored:?}");
    let mut missing = Vec::new();
    for lang in [Lang::Pl, Lang::En] {
        for (action, kind) in &stored {
            if !words::in_words(lang, action, kind) {
                missing.push(format!("{lang:?}: {action} on {kind}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "audit codes without words:\n{}",
        missing.join("\n")
    );
}
