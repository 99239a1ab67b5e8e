//! BIP search (`/bip/szukaj`, issue 13): inflected forms, text without Polish letters
//! and small typos find the demo's regulamin; highlighted snippets; section and date
//! filters; pagination; "nothing found" as a whole answer; bad input refused with a
//! message; the index follows publishing, changes, removal and scheduled versions.

use axum::http::StatusCode;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    inflected_unaccented_and_mistyped_words_find_the_regulamin,
    filters_by_section_and_date_and_pages_through_results,
    nothing_found_is_a_whole_answer,
    bad_filters_are_refused_and_any_text_is_only_text,
    the_index_follows_publishing_changes_removal_and_the_clock,
);

const REGULAMIN: &str = "w sprawie regulaminu organizacyjnego Urzędu Miejskiego w Borowcu";

fn search_path(q: &str, extra: &str) -> String {
    let q: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
    format!("/bip/szukaj?q={q}{extra}")
}

/// The titles of the results, in order (the text of each result's heading link).
fn titles(body: &str) -> Vec<String> {
    body.split("<h2 class=\"bip-result-title\">")
        .skip(1)
        .map(|part| {
            let link = part.split("</a>").next().unwrap_or_default();
            let text = link.split_once('>').map_or("", |(_, t)| t);
            text.replace("<mark>", "").replace("</mark>", "")
        })
        .collect()
}

async fn inflected_unaccented_and_mistyped_words_find_the_regulamin(app: TestApp) {
    for typed in [
        "regulamin organizacyjny",
        "Regulaminu organizacyjnego",
        "REGULAMIN ORGANIZACYJNY URZEDU",
        "zarzadzenie burmistrza regulamin",
        "regulamim organizacyjny",
        "orgainzacyjnego regulaminu",
    ] {
        let page = app.get(&search_path(typed, "")).await;
        assert_eq!(page.status, StatusCode::OK, "{typed}");
        let found = titles(&page.body);
        assert!(
            found.first().is_some_and(|t| t.contains(REGULAMIN)),
            "{typed}: {found:?}"
        );
    }
    let page = app.get(&search_path("regulamin organizacyjny", "")).await;
    // The found words are marked, in the title and in the text's snippet.
    assert!(
        page.body
            .contains("<mark>regulaminu</mark> <mark>organizacyjnego</mark>")
    );
    assert!(
        page.body
            .contains("<mark>regulamin</mark> <mark>organizacyjny</mark>")
    );
    assert!(page.body.contains("role=\"search\""));
    // A word only in the metadata (who is responsible) finds too.
    let by_person = titles(&app.get(&search_path("skarbnik", "")).await.body);
    assert!(!by_person.is_empty());
    // The office's matters by the same words appear beside the bulletin's results.
    let card = app.get(&search_path("dowód osobisty", "")).await;
    assert!(
        card.body.contains("Wydanie dowodu osobistego"),
        "{}",
        card.body
    );
    // Every BIP page carries the search form.
    let home = app.get("/bip").await;
    assert!(home.body.contains("action=\"/bip/szukaj\""));
}

async fn filters_by_section_and_date_and_pages_through_results(app: TestApp) {
    let all = titles(&app.get(&search_path("zarządzenie", "")).await.body);
    assert!(all.len() >= 5, "{all:?}");
    // Only the ordinances' section: the regulamin (in the statute's section) is left out.
    let ordinances = titles(
        &app.get(&search_path("zarządzenie", "&section=zarzadzenia"))
            .await
            .body,
    );
    assert!(!ordinances.is_empty());
    assert!(
        ordinances.iter().all(|t| !t.contains(REGULAMIN)),
        "{ordinances:?}"
    );
    assert!(ordinances.len() < all.len());
    // A top entry covers its sub-pages: „prawo” has the ordinances too.
    let law = titles(
        &app.get(&search_path("zarządzenie", "&section=prawo"))
            .await
            .body,
    );
    assert!(law.len() >= ordinances.len());
    // The regulamin was made available 260 days ago (the demo's clock).
    let today = app.clock().now().in_warsaw().date();
    let day = |n: i64| {
        today
            .checked_sub(jiff::Span::new().days(n))
            .unwrap()
            .to_string()
    };
    let around = titles(
        &app.get(&search_path(
            "regulamin",
            &format!("&from={}&to={}", day(262), day(258)),
        ))
        .await
        .body,
    );
    assert!(around.iter().any(|t| t.contains(REGULAMIN)), "{around:?}");
    let later = titles(
        &app.get(&search_path("regulamin", &format!("&from={}", day(200))))
            .await
            .body,
    );
    assert!(later.iter().all(|t| !t.contains(REGULAMIN)), "{later:?}");
    // Pages of twenty: „w” (alone, a function word is searched by) begins a word in
    // nearly every demo publication.
    let first = app.get(&search_path("w", "")).await;
    let on_first = titles(&first.body);
    assert_eq!(on_first.len(), 20, "{on_first:?}");
    assert!(first.body.contains("rel=\"next\""));
    let second = app.get(&search_path("w", "&page=2")).await;
    assert_eq!(second.status, StatusCode::OK);
    let on_second = titles(&second.body);
    assert!(!on_second.is_empty());
    assert!(on_second.iter().all(|t| !on_first.contains(t)));
    assert!(second.body.contains("rel=\"prev\""));
    assert!(second.body.contains("start=\"21\""));
    // A page past the end is an empty page, not an error.
    let far = app.get(&search_path("w", "&page=999")).await;
    assert_eq!(far.status, StatusCode::OK);
}

async fn nothing_found_is_a_whole_answer(app: TestApp) {
    let page = app.get(&search_path("hipopotam", "")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Nic nie znaleziono"));
    assert!(page.body.contains("„hipopotam”"));
    assert!(page.body.contains("role=\"status\""));
    assert!(titles(&page.body).is_empty());
    // With filters, the page offers the same words without them.
    let filtered = app.get(&search_path("hipopotam", "&section=budzet")).await;
    assert!(filtered.body.contains("/bip/szukaj?q=hipopotam\""));
    // Some words found, not all: said so.
    let some = app.get(&search_path("regulamin hipopotam", "")).await;
    assert!(
        some.body.contains("nie zawiera wszystkich"),
        "{}",
        some.body
    );
    // An empty search is the form alone.
    let empty = app.get("/bip/szukaj").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(!empty.body.contains("Nic nie znaleziono"));
    // In English too.
    app.get("/lang/en?next=/bip").await;
    let en = app.get(&search_path("hipopotam", "")).await;
    assert_eq!(en.status, StatusCode::OK);
    assert!(en.body.contains("Nothing found"), "{}", en.body);
}

async fn bad_filters_are_refused_and_any_text_is_only_text(app: TestApp) {
    for (extra, message) in [
        ("&section=nie-ma", "Wybierz dział z listy."),
        ("&from=30.11.2026", "Podaj datę w postaci RRRR-MM-DD"),
        ("&to=jutro", "Podaj datę w postaci RRRR-MM-DD"),
        (
            "&from=2026-12-01&to=2026-11-01",
            "nie może być wcześniejsza",
        ),
    ] {
        let page = app.get(&search_path("regulamin", extra)).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{extra}");
        assert!(page.body.contains(message), "{extra}");
        assert!(page.body.contains("error-summary"), "{extra}");
    }
    let long = "regulamin AND (organizacyjny OR \"*\") NOT -x: ".repeat(200);
    for typed in [
        long.as_str(),
        "<script>alert(1)</script>",
        "\" OR 1=1 --",
        "%%%",
        "ąęśćżźół",
        "_",
    ] {
        let page = app.get(&search_path(typed, "&page=abc")).await;
        assert_eq!(page.status, StatusCode::OK, "{typed}");
        assert!(!page.body.contains("<script>alert"), "{typed}");
    }
    let operators = app
        .get(&search_path("regulamin AND organizacyjny", ""))
        .await;
    assert!(
        titles(&operators.body)
            .iter()
            .any(|t| t.contains(REGULAMIN))
    );
}

async fn create_and_publish(app: &TestApp, title: &str, body: &str, publish_at: &str) -> i64 {
    let response = app
        .post_form(
            "/staff/bip/new",
            &[
                ("section", "ogloszenia"),
                ("title", title),
                ("body", body),
                ("produced_by", "Wydział Organizacyjny"),
                ("produced_on", "2026-11-30"),
                ("responsible", "Jan Kowalski, Sekretarz Miasta"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let id: i64 = response
        .location()
        .trim_start_matches("/staff/bip/")
        .parse()
        .unwrap();
    let published = app
        .post_form(
            &format!("/staff/bip/{id}/publish"),
            &[("publish_at", publish_at)],
        )
        .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    id
}

async fn the_index_follows_publishing_changes_removal_and_the_clock(app: TestApp) {
    // Searched once, so the index is built before the changes below.
    assert!(titles(&app.get(&search_path("szczepienia", "")).await.body).is_empty());
    app.login("redaktor").await;
    let id = create_and_publish(
        &app,
        "Komunikat o szczepieniach psów",
        "<p>Szczepienia przeciw wściekliźnie odbędą się na placu targowym.</p>",
        "",
    )
    .await;
    let found = titles(&app.get(&search_path("szczepienie psa", "")).await.body);
    assert_eq!(found, ["Komunikat o szczepieniach psów"]);
    // A change: the new text is found, the old one only in the archive.
    let saved = app
        .post_form(
            &format!("/staff/bip/{id}"),
            &[
                ("title", "Komunikat o szczepieniach psów"),
                (
                    "body",
                    "<p>Szczepienia przeniesiono do remizy strażackiej.</p>",
                ),
                ("produced_by", "Wydział Organizacyjny"),
                ("produced_on", "2026-11-30"),
                ("responsible", "Jan Kowalski, Sekretarz Miasta"),
                ("reason", "Zmiana miejsca szczepień"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    // A draft is private: still the old text.
    assert_eq!(
        titles(&app.get(&search_path("remiza", "")).await.body).len(),
        0
    );
    let published = app
        .post_form(&format!("/staff/bip/{id}/publish"), &[("publish_at", "")])
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    assert_eq!(
        titles(&app.get(&search_path("remizie", "")).await.body).len(),
        1
    );
    assert!(titles(&app.get(&search_path("plac targowy", "")).await.body).is_empty());
    // Removal takes it out of the results.
    let removed = app
        .post_form(
            &format!("/staff/bip/{id}/remove"),
            &[(
                "remove_reason",
                "Komunikat nieaktualny po terminie szczepień",
            )],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    assert!(titles(&app.get(&search_path("szczepienia", "")).await.body).is_empty());
    // Scheduled: found once the office's clock reaches it, with no other write.
    let at = app.clock().now().0 + jiff::SignedDuration::from_hours(2);
    let local = at
        .to_zoned(jiff::tz::TimeZone::get("Europe/Warsaw").unwrap())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    create_and_publish(
        &app,
        "Ogłoszenie o zbiórce elektrośmieci",
        "<p>Zbiórka w sobotę.</p>",
        &local,
    )
    .await;
    app.logout().await;
    assert!(titles(&app.get(&search_path("elektrosmieci", "")).await.body).is_empty());
    app.clock().advance(jiff::SignedDuration::from_hours(3));
    assert_eq!(
        titles(&app.get(&search_path("elektrosmieci", "")).await.body),
        ["Ogłoszenie o zbiórce elektrośmieci"]
    );
}
