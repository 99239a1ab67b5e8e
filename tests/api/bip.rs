//! BIP: the public bulletin with its metadata and change registers, the editor's
//! drafts, publishing (now and scheduled), review by a second person, refusals without
//! the metadata or a reason, removal, script injection, feeds, the sitemap and the
//! accessibility declaration.

use axum::http::StatusCode;

use crate::backend_tests;
use crate::helpers::{TestApp, TestResponse};

backend_tests!(
    the_demo_bip_has_the_subject_pages_and_the_regulamin,
    a_publication_goes_from_draft_to_a_change_with_its_register,
    publishing_without_metadata_or_a_change_without_reason_is_refused,
    scripts_in_content_and_metadata_never_reach_a_reader,
    a_scheduled_version_appears_when_the_clock_reaches_it,
    review_needs_a_second_person,
    removal_goes_to_the_register_of_removed_pages,
    withheld_information_needs_scope_basis_and_person,
    feeds_sitemap_export_and_declaration,
);

/// Creates a publication in `section` as the signed-in editor; returns its id.
async fn create(app: &TestApp, section: &str, title: &str, body: &str) -> i64 {
    let response = app
        .post_form(
            "/staff/bip/new",
            &[
                ("section", section),
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
    response
        .location()
        .trim_start_matches("/staff/bip/")
        .parse()
        .expect("id in the redirect")
}

/// Publishes the draft of publication `id` now, as the signed-in user.
async fn publish(app: &TestApp, id: i64) -> TestResponse {
    app.post_form(&format!("/staff/bip/{id}/publish"), &[("publish_at", "")])
        .await
}

fn draft_form<'a>(title: &'a str, body: &'a str, reason: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("body", body),
        ("produced_by", "Wydział Organizacyjny"),
        ("produced_on", "2026-11-30"),
        ("responsible", "Jan Kowalski, Sekretarz Miasta"),
        ("reason", reason),
    ]
}

async fn the_demo_bip_has_the_subject_pages_and_the_regulamin(app: TestApp) {
    let home = app.get("/bip").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("https://www.bip.gov.pl"));
    assert!(home.body.contains("Biuletyn Informacji Publicznej"));
    for slug in magistrat_domain::bip::SECTIONS.iter().map(|s| s.slug) {
        let page = app.get(&format!("/bip/dzial/{slug}")).await;
        assert_eq!(page.status, StatusCode::OK, "{slug}");
    }
    assert_eq!(
        app.get("/bip/dzial/nie-ma").await.status,
        StatusCode::NOT_FOUND
    );
    let statute = app.get("/bip/dzial/statut-regulamin").await;
    assert!(
        statute
            .body
            .contains("w sprawie regulaminu organizacyjnego Urzędu Miejskiego w Borowcu")
    );
    let public = app
        .count(
            "SELECT COUNT(*) FROM bip_publication WHERE status IN ('published', 'change_in_review')",
        )
        .await;
    assert!(public >= 40, "{public} publications");
    for path in [
        "/bip/redakcja",
        "/bip/instrukcja",
        "/bip/rejestr-zmian",
        "/bip/usuniete",
    ] {
        assert_eq!(app.get(path).await.status, StatusCode::OK, "{path}");
    }
    // The editors page names an editor with phone or e-mail (reg. 2007 § 11 ust. 1 pkt 3).
    assert!(
        app.get("/bip/redakcja")
            .await
            .body
            .contains("Piotr Lewandowski")
    );
    // Every page links to the declaration.
    assert!(home.body.contains("/deklaracja-dostepnosci"));
    assert!(app.get("/").await.body.contains("/deklaracja-dostepnosci"));
}

async fn a_publication_goes_from_draft_to_a_change_with_its_register(app: TestApp) {
    app.login("redaktor").await;
    let id = create(
        &app,
        "ogloszenia",
        "Ogłoszenie o naborze wniosków o dotację",
        "<p>Nabór trwa do końca miesiąca.</p>",
    )
    .await;
    // A draft is not public.
    assert_eq!(
        app.get(&format!("/bip/publikacje/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let preview = app.get(&format!("/staff/bip/{id}/preview")).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.body.contains("Nabór trwa do końca miesiąca."));
    let published = publish(&app, id).await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    let page = app.get(&format!("/bip/publikacje/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Wydział Organizacyjny",
        "Jan Kowalski, Sekretarz Miasta",
        "Piotr Lewandowski",
        "Data udostępnienia",
        "Rejestr zmian",
    ] {
        assert!(page.body.contains(text), "{text} missing");
    }
    // A change with its reason: version 2, version 1 still readable.
    let saved = app
        .post_form(
            &format!("/staff/bip/{id}"),
            &draft_form(
                "Ogłoszenie o naborze wniosków o dotację",
                "<p>Nabór przedłużono do 15 grudnia.</p>",
                "Przedłużenie terminu naboru",
            ),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    // The public still sees version 1 until the change is published.
    assert!(
        app.get(&format!("/bip/publikacje/{id}"))
            .await
            .body
            .contains("Nabór trwa do końca miesiąca.")
    );
    let changed = publish(&app, id).await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let page = app.get(&format!("/bip/publikacje/{id}")).await;
    assert!(page.body.contains("Nabór przedłużono do 15 grudnia."));
    assert!(page.body.contains("Przedłużenie terminu naboru"));
    let v1 = app.get(&format!("/bip/publikacje/{id}/wersje/1")).await;
    assert_eq!(v1.status, StatusCode::OK);
    assert!(v1.body.contains("Nabór trwa do końca miesiąca."));
    assert_eq!(
        app.get(&format!("/bip/publikacje/{id}/wersje/3"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The whole BIP's register has both lines, and anyone reads it.
    app.logout().await;
    let register = app.get("/bip/rejestr-zmian").await;
    assert!(register.body.contains("Przedłużenie terminu naboru"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM bip_change WHERE publication_id = {id}"
        ))
        .await,
        2
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM bip_version WHERE publication_id = {id}"
        ))
        .await,
        2
    );
    // Every step audited.
    let audited = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'bip_publication' \
             AND entity_id = '{id}' AND action LIKE '%publish'"
        ))
        .await;
    assert_eq!(audited, 2);
}

async fn publishing_without_metadata_or_a_change_without_reason_is_refused(app: TestApp) {
    app.login("redaktor").await;
    let id = create(
        &app,
        "zarzadzenia",
        "Zarządzenie nr 40/2026",
        "<p>Treść</p>",
    )
    .await;
    // Take the metadata away, then try to publish: 422 naming each missing field.
    let saved = app
        .post_form(
            &format!("/staff/bip/{id}"),
            &[
                ("title", "Zarządzenie nr 40/2026"),
                ("body", "<p>Treść</p>"),
                ("produced_by", ""),
                ("produced_on", ""),
                ("responsible", " "),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let refused = publish(&app, id).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("kto wytworzył informację"));
    assert!(refused.body.contains("kto odpowiada za treść"));
    assert!(refused.body.contains("datę wytworzenia"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM bip_version WHERE publication_id = {id}"
        ))
        .await,
        0
    );
    // Complete it and publish; then a change without a reason is refused.
    app.post_form(
        &format!("/staff/bip/{id}"),
        &draft_form("Zarządzenie nr 40/2026", "<p>Treść</p>", ""),
    )
    .await;
    let ok = publish(&app, id).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    app.post_form(
        &format!("/staff/bip/{id}"),
        &draft_form("Zarządzenie nr 40/2026", "<p>Nowa treść</p>", ""),
    )
    .await;
    let no_reason = publish(&app, id).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("Podaj powód zmiany"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM bip_version WHERE publication_id = {id}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM bip_change WHERE publication_id = {id}"
        ))
        .await,
        1
    );
}

async fn scripts_in_content_and_metadata_never_reach_a_reader(app: TestApp) {
    app.login("redaktor").await;
    let evil = "<script>alert('x')</script><p onclick=\"alert(1)\">Tekst <a href=\"javascript:alert(1)\">link</a></p><img src=x onerror=alert(1)>";
    let id = create(&app, "ogloszenia", "<script>alert(2)</script>Tytuł", evil).await;
    app.post_form(
        &format!("/staff/bip/{id}"),
        &[
            ("title", "<script>alert(2)</script>Tytuł"),
            ("body", evil),
            ("produced_by", "<img src=x onerror=alert(3)>"),
            ("produced_on", "2026-11-30"),
            ("responsible", "\"><script>alert(4)</script>"),
            ("reason", ""),
        ],
    )
    .await;
    let published = publish(&app, id).await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    app.logout().await;
    for path in [
        format!("/bip/publikacje/{id}"),
        format!("/bip/publikacje/{id}/druk"),
        "/bip/dzial/ogloszenia".to_owned(),
        "/bip/rejestr-zmian".to_owned(),
        "/bip".to_owned(),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let lower = page.body.to_lowercase();
        assert!(!lower.contains("<script>alert"), "{path}");
        // Typed into the metadata, it shows as text: escaped, never a tag (the site's
        // own logo is the page's one image).
        assert!(!lower.contains("<img src=x"), "{path}");
        assert!(!lower.contains("onclick="), "{path}");
        assert!(!lower.contains("javascript:"), "{path}");
    }
    let page = app.get(&format!("/bip/publikacje/{id}")).await;
    let at = page
        .body
        .find("alert(2)")
        .map_or(0, |i| i.saturating_sub(40));
    assert!(
        page.body
            .contains("&#60;script&#62;alert(2)&#60;/script&#62;Tytuł"),
        "{}",
        &page.body[at..(at + 120).min(page.body.len())]
    );
    assert!(
        page.body
            .contains("<p>Tekst <a rel=\"noopener noreferrer\">link</a></p>")
    );
    for path in [format!("/bip/publikacje/{id}/xml"), "/feed.atom".to_owned()] {
        let xml = app.get(&path).await;
        assert!(!xml.body.contains("<script"), "{path}");
    }
}

async fn a_scheduled_version_appears_when_the_clock_reaches_it(app: TestApp) {
    app.login("redaktor").await;
    let id = create(&app, "ogloszenia", "Komunikat zaplanowany", "<p>Jutro</p>").await;
    let at = app.clock().now().0 + jiff::SignedDuration::from_hours(2);
    let local = at
        .to_zoned(jiff::tz::TimeZone::get("Europe/Warsaw").unwrap())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    let past = app
        .post_form(
            &format!("/staff/bip/{id}/publish"),
            &[("publish_at", "2020-01-01T10:00")],
        )
        .await;
    assert_eq!(past.status, StatusCode::CONFLICT);
    let scheduled = app
        .post_form(
            &format!("/staff/bip/{id}/publish"),
            &[("publish_at", &local)],
        )
        .await;
    assert_eq!(
        scheduled.status,
        StatusCode::SEE_OTHER,
        "{}",
        scheduled.body
    );
    app.logout().await;
    assert_eq!(
        app.get(&format!("/bip/publikacje/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !app.get("/bip/rejestr-zmian")
            .await
            .body
            .contains("Komunikat zaplanowany")
    );
    app.clock().advance(jiff::SignedDuration::from_hours(3));
    assert_eq!(
        app.get(&format!("/bip/publikacje/{id}")).await.status,
        StatusCode::OK
    );
    assert!(
        app.get("/bip/rejestr-zmian")
            .await
            .body
            .contains("Komunikat zaplanowany")
    );
    assert!(
        app.get("/feed.atom")
            .await
            .body
            .contains("Komunikat zaplanowany")
    );
}

async fn review_needs_a_second_person(app: TestApp) {
    app.exec("UPDATE bip_settings SET review_required = TRUE")
        .await;
    app.exec(
        "INSERT INTO user_role (user_id, role) SELECT id, 'bip_editor' FROM app_user \
         WHERE login_lower = 'admin'",
    )
    .await;
    app.login("redaktor").await;
    let id = create(
        &app,
        "ogloszenia",
        "Ogłoszenie do zatwierdzenia",
        "<p>Treść</p>",
    )
    .await;
    let alone = publish(&app, id).await;
    assert_eq!(alone.status, StatusCode::CONFLICT);
    assert!(alone.body.contains("druga osoba"));
    let submitted = app.post_form(&format!("/staff/bip/{id}/submit"), &[]).await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );
    let own = publish(&app, id).await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM bip_version WHERE publication_id = {id}"
        ))
        .await,
        0
    );
    app.logout().await;
    app.login("admin").await;
    let approved = publish(&app, id).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    let page = app.get(&format!("/bip/publikacje/{id}")).await;
    // Entered by the submitter, approved by the second person.
    assert!(page.body.contains("Piotr Lewandowski"));
    assert!(page.body.contains("zatwierdził"));
}

async fn removal_goes_to_the_register_of_removed_pages(app: TestApp) {
    app.login("redaktor").await;
    let id = create(
        &app,
        "ogloszenia",
        "Ogłoszenie do usunięcia",
        "<p>Treść</p>",
    )
    .await;
    publish(&app, id).await;
    let no_reason = app
        .post_form(
            &format!("/staff/bip/{id}/remove"),
            &[("remove_reason", " ")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let removed = app
        .post_form(
            &format!("/staff/bip/{id}/remove"),
            &[("remove_reason", "Ogłoszenie nieaktualne")],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    let again = app
        .post_form(
            &format!("/staff/bip/{id}"),
            &draft_form("x", "<p>y</p>", "zmiana"),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    app.logout().await;
    let register = app.get("/bip/usuniete").await;
    assert!(register.body.contains("Ogłoszenie do usunięcia"));
    assert!(register.body.contains("Ogłoszenie nieaktualne"));
    // The archive: the removed page still shows its versions, marked removed.
    let page = app.get(&format!("/bip/publikacje/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("usunięta"));
    assert!(
        !app.get("/bip/dzial/ogloszenia")
            .await
            .body
            .contains("Ogłoszenie do usunięcia")
    );
}

async fn withheld_information_needs_scope_basis_and_person(app: TestApp) {
    app.login("redaktor").await;
    let refused = app
        .post_form(
            "/staff/bip/withheld",
            &[
                ("scope", ""),
                ("legal_basis", ""),
                ("decided_by", ""),
                ("decided_on", ""),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Podaj podstawę prawną"));
    let added = app
        .post_form(
            "/staff/bip/withheld",
            &[
                ("scope", "Adresy zamieszkania wnioskodawców dotacji"),
                ("legal_basis", "art. 5 ust. 2 UDIP"),
                ("decided_by", "Burmistrz Borowca"),
                ("in_interest_of", "wnioskodawcy"),
                ("decided_on", "2026-11-02"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    app.logout().await;
    let page = app.get("/bip/informacje-nieudostepnione").await;
    assert!(
        page.body
            .contains("Adresy zamieszkania wnioskodawców dotacji")
    );
    assert!(page.body.contains("art. 5 ust. 2 UDIP"));
}

async fn feeds_sitemap_export_and_declaration(app: TestApp) {
    let feed = app.get("/feed.atom").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(
        feed.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    assert!(
        feed.body
            .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">")
    );
    assert!(feed.body.contains("<entry>"));
    let section = app.get("/bip/dzial/zamowienia/feed.atom").await;
    assert!(section.body.contains("ZP.271.4.2026"));
    assert_eq!(
        app.get("/bip/dzial/nie-ma/feed.atom").await.status,
        StatusCode::NOT_FOUND
    );
    let sitemap = app.get("/sitemap.xml").await;
    assert!(sitemap.body.contains("/bip/dzial/zarzadzenia</loc>"));
    assert!(sitemap.body.contains("/deklaracja-dostepnosci</loc>"));
    let id = app
        .count("SELECT MIN(publication_id) FROM bip_version WHERE title LIKE 'Zarządzenie nr 12/2026%'")
        .await;
    let xml = app.get(&format!("/bip/publikacje/{id}/xml")).await;
    assert_eq!(xml.status, StatusCode::OK);
    for tag in [
        "<wytworzyl>",
        "<odpowiada>",
        "<wprowadzil>",
        "<data-udostepnienia>",
        "<rejestr-zmian>",
    ] {
        assert!(xml.body.contains(tag), "{tag}");
    }
    assert!(xml.body.contains("omyłka pisarska"));
    let declaration = app.get("/deklaracja-dostepnosci").await;
    assert_eq!(declaration.status, StatusCode::OK);
    for id in [
        "a11y-wstep",
        "a11y-podmiot",
        "a11y-url",
        "a11y-data-publikacja",
        "a11y-data-aktualizacja",
        "a11y-status",
        "a11y-data-sporzadzenie",
        "a11y-kontakt",
        "a11y-osoba",
        "a11y-email",
        "a11y-telefon",
        "a11y-procedura",
        "a11y-architektura",
        "a11y-aplikacje",
    ] {
        assert!(declaration.body.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(declaration.body.contains("datetime=\"2019-09-23\""));
    assert!(declaration.body.contains("Urząd Miejski w Borowcu"));
}
