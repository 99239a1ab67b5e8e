//! The catalogue finds the matter by the words residents use (issue 15): inflected
//! forms, word beginnings and the keywords staff give a card; best match first; one
//! message with suggestions when nothing is found; Polish alphabetical order; the
//! online badge and filter. Pages and the API search the same snapshot.

use axum::http::StatusCode;

use crate::backend_tests;
use crate::helpers::TestApp;
use crate::service_cards::{card_form, unit_id, urlencode};

backend_tests!(
    everyday_words_find_their_card_first,
    keywords_edited_by_staff_are_searched,
    nothing_found_is_one_message_with_suggestions,
    the_catalogue_is_in_polish_order_with_an_online_filter,
);

/// The card codes found, as the catalogue page lists them.
fn listed(body: &str) -> Vec<String> {
    list(body, "results")
}

/// The card codes in the list with `id`, in order.
fn list(body: &str, id: &str) -> Vec<String> {
    let Some(start) = body.find(&format!("id=\"{id}\"")) else {
        return Vec::new();
    };
    let list = &body[start
        ..body[start..]
            .find("</ul>")
            .map_or(body.len(), |e| start + e)];
    list.split("href=\"/services/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

async fn search(app: &TestApp, q: &str) -> Vec<String> {
    let page = app.get(&format!("/services?q={}", urlencode(q))).await;
    assert_eq!(page.status, StatusCode::OK);
    listed(&page.body)
}

async fn everyday_words_find_their_card_first(app: TestApp) {
    for (q, first, also) in [
        ("meldunek", "SA-1", &["SA-2"][..]),
        ("zameldowanie", "SA-1", &["SA-2"]),
        ("odpady", "GK-2", &[]),
        ("śmieci", "GK-2", &[]),
        ("podatki", "FN-I-2", &["FN-I-1"]),
        ("wycinka", "GK-1", &[]),
        ("wycinka drzew", "GK-1", &[]),
        ("akt urodzenia", "USC-1", &["USC-2"]),
        ("Akt Urodzenia", "USC-1", &["USC-2"]),
        ("zamel", "SA-1", &["SA-2"]),
        ("dowodu osobistego", "SA-4", &["SA-5"]),
    ] {
        let found = search(&app, q).await;
        assert_eq!(
            found.first().map(String::as_str),
            Some(first),
            "{q}: {found:?}"
        );
        for code in also {
            assert!(found.iter().any(|c| c == code), "{q}: {code} in {found:?}");
        }
    }
    // The API searches the same way.
    let api = app.get("/api/v1/service-cards?q=meldunek").await.json();
    assert_eq!(api["items"][0]["code"], "SA-1", "{api}");
    assert!(api["total"].as_u64() >= Some(2), "{api}");
    // Some of the words: the page says so.
    let page = app.get("/services?q=podatek%20katastralny").await;
    assert!(
        page.body
            .contains("Żadna karta nie ma wszystkich wpisanych słów")
    );
    assert_eq!(
        listed(&page.body).first().map(String::as_str),
        Some("FN-I-2")
    );
}

async fn keywords_edited_by_staff_are_searched(app: TestApp) {
    app.login("admin").await;
    let sa = unit_id(&app, "SA").await;
    assert!(search(&app, "rabaty").await.is_empty());
    let created = app
        .post_form(
            "/staff/service-cards/new",
            &card_form(
                &sa,
                &[("keywords", " rabata ;Rabata,\n kwietnik  miejski ")],
            ),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    // Stored normalised, shown so in the editor, audited with the card.
    assert_eq!(
        app.scalar_text("SELECT keywords FROM service_card WHERE code = 'SA-20'")
            .await,
        "rabata, kwietnik miejski"
    );
    let edit = app.get("/staff/service-cards/SA-20").await;
    assert!(edit.body.contains("Słowa kluczowe"));
    assert!(
        edit.body.contains("rabata, kwietnik miejski</textarea>"),
        "{}",
        edit.body
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE entity_type = 'service_card' AND after_json LIKE '%kwietnik miejski%'").await,
        1
    );
    // A draft is not found; published, it is, by an inflected form of a keyword.
    assert!(search(&app, "rabaty").await.is_empty());
    app.post_form(
        "/staff/service-cards/SA-20/publish",
        &[("published", "true")],
    )
    .await;
    assert_eq!(search(&app, "rabaty").await, ["SA-20"]);
    assert_eq!(search(&app, "kwietniki").await, ["SA-20"]);
}

async fn nothing_found_is_one_message_with_suggestions(app: TestApp) {
    let page = app.get("/services?q=xyzzy").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches("role=\"status\"").count(), 1);
    assert!(
        page.body
            .contains("Nie znaleziono sprawy pasującej do „xyzzy”")
    );
    assert!(!page.body.contains("Znaleziono 0"));
    assert!(page.body.contains("Najczęściej załatwiane sprawy"));
    assert!(listed(&page.body).is_empty());
    let suggested = list(&page.body, "suggestions");
    assert_eq!(suggested.len(), 5, "{suggested:?}");
    // The card residents file most is suggested first.
    let most_used = app
        .count("SELECT COUNT(*) FROM application a JOIN service_card c ON c.id = a.service_card_id")
        .await;
    if most_used > 0 {
        let top = app
            .scalar_text(
                "SELECT c.code FROM application a JOIN service_card c ON c.id = a.service_card_id \
                 GROUP BY c.code ORDER BY COUNT(*) DESC, MIN(c.id) LIMIT 1",
            )
            .await;
        assert_eq!(suggested[0], top);
    }
}

async fn the_catalogue_is_in_polish_order_with_an_online_filter(app: TestApp) {
    let all = app.get("/services").await;
    let codes = listed(&all.body);
    let at = |code: &str| codes.iter().position(|c| c == code).unwrap_or(usize::MAX);
    // „Zaświadczenie o zameldowaniu” (SA-2) before „Zawarcie małżeństwa” (USC-3), and
    // „Zezwolenie…” (GK-1) after both.
    assert!(at("SA-2") < at("USC-3"), "{codes:?}");
    assert!(at("USC-3") < at("GK-1"), "{codes:?}");
    // Cards with an e-service form carry the badge; the filter keeps only them.
    assert!(all.body.contains("Przez internet"));
    let online = listed(&app.get("/services?online=1").await.body);
    assert!(online.contains(&"SA-2".to_owned()), "{online:?}");
    assert!(!online.contains(&"USC-3".to_owned()), "{online:?}");
    assert!(online.len() < codes.len());
    let online_search = listed(&app.get("/services?online=1&q=meldunek").await.body);
    assert_eq!(online_search, ["SA-2"]);
    // On an online card, „Załatw przez internet” comes before the legal basis.
    let card = app.get("/services/SA-2").await.body;
    let online_at = card
        .find("Załatw przez internet")
        .expect("the online button");
    assert!(online_at < card.find("Podstawa prawna").unwrap());
    assert!(
        !app.get("/services/USC-3")
            .await
            .body
            .contains("Załatw przez internet")
    );
}
