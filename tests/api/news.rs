//! The public portal (issue 13): news and announcements with pictures and their alt
//! text, the home page's latest items, `/aktualnosci` with its pages, the Atom feeds
//! and the sitemap parsed as XML, and the demand for accessibility filed online from
//! the accessibility declaration.

use axum::http::StatusCode;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    demo_news_reach_the_home_page_the_list_and_the_feed,
    an_editor_publishes_a_news_item_with_a_picture,
    bad_news_input_is_refused_and_nothing_is_half_written,
    a_scheduled_item_appears_when_the_clock_reaches_it,
    feeds_sitemap_and_export_are_well_formed_atom_and_xml,
    the_demand_for_accessibility_is_filed_from_the_declaration,
);

const PNG: &[u8] = include_bytes!("../../assets/demo/news-park.png");

/// Creates a news item as the signed-in editor; returns its id.
async fn create(app: &TestApp, title: &str, lead: &str, body: &str) -> i64 {
    let response = app
        .post_form(
            "/staff/news/new",
            &[
                ("kind", "news"),
                ("title", title),
                ("lead", lead),
                ("body", body),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    response
        .location()
        .trim_start_matches("/staff/news/")
        .parse()
        .expect("id in the redirect")
}

async fn demo_news_reach_the_home_page_the_list_and_the_feed(app: TestApp) {
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("id=\"news-heading\""));
    assert!(home.body.contains("Utrudnienia w ruchu na ul. Kościelnej"));
    assert!(
        home.body
            .contains("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/feed.atom\"")
    );
    let list = app.get("/aktualnosci").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body.matches("class=\"news-card").count(), 10);
    assert!(list.body.contains("?strona=2"));
    // The scheduled item and the draft are not public.
    assert!(!list.body.contains("Przerwa w dostawie wody"));
    let second = app.get("/aktualnosci?strona=2").await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(!second.body.contains("Przerwa w dostawie wody"));
    assert!(!second.body.contains("Sesja Rady Miejskiej"));
    assert_eq!(
        list.body.matches("class=\"news-card").count()
            + second.body.matches("class=\"news-card").count(),
        11
    );
    for bad in [
        "/aktualnosci?strona=3",
        "/aktualnosci?strona=0",
        "/aktualnosci?strona=abc",
    ] {
        assert_eq!(app.get(bad).await.status, StatusCode::NOT_FOUND, "{bad}");
    }
    let draft = app
        .count("SELECT id FROM news_item WHERE status = 'draft'")
        .await;
    assert_eq!(
        app.get(&format!("/aktualnosci/{draft}")).await.status,
        StatusCode::NOT_FOUND
    );
    // An item's page shows its picture with the alt text; the picture is served inline
    // with the type its bytes proved.
    let id = app
        .count("SELECT id FROM news_item WHERE title LIKE 'Ratusz odnowiony%'")
        .await;
    let page = app.get(&format!("/aktualnosci/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("alt=\"Ilustracja: ratusz w Borowcu"));
    let image = app
        .count(&format!("SELECT id FROM news_image WHERE news_id = {id}"))
        .await;
    let picture = app.get(&format!("/aktualnosci/obrazy/{image}")).await;
    assert_eq!(picture.status, StatusCode::OK);
    assert_eq!(picture.headers["content-type"], "image/png");
    assert_eq!(picture.headers["x-content-type-options"], "nosniff");
    let feed = app.get("/feed.atom").await;
    assert!(feed.body.contains("Ratusz odnowiony"));
    assert!(!feed.body.contains("Przerwa w dostawie wody"));
    // The BIP's announcements stay in the office's one feed.
    assert!(feed.body.contains("/bip/publikacje/"));
}

async fn an_editor_publishes_a_news_item_with_a_picture(app: TestApp) {
    // Only editors write news.
    app.login("urzednik").await;
    assert_eq!(app.get("/staff/news").await.status, StatusCode::FORBIDDEN);
    app.logout().await;
    app.login("redaktor").await;
    assert!(
        app.get("/staff")
            .await
            .body
            .contains("href=\"/staff/news\"")
    );
    let audit_before = app
        .count("SELECT COUNT(*) FROM audit_event WHERE entity_type IN ('news_item', 'news_image', 'attachment')")
        .await;
    let id = create(
        &app,
        "Festyn rodzinny w Parku Miejskim",
        "W niedzielę zapraszamy na festyn z okazji otwarcia placu zabaw.",
        "<p>Program od <strong>12:00</strong>.</p><script>alert(1)</script>",
    )
    .await;
    let path = format!("/staff/news/{id}/images");
    // No alt text and not marked decorative: refused with the translated message.
    let no_alt = app
        .post_multipart(
            &path,
            &[("alt", "  ")],
            &[("image", "park.png", "image/png", PNG)],
        )
        .await;
    assert_eq!(no_alt.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_alt.body.contains("Podaj tekst alternatywny zdjęcia"));
    assert!(no_alt.body.contains("id=\"error-summary\""));
    // Decorative and an alt text: one or the other.
    let both = app
        .post_multipart(
            &path,
            &[("alt", "Park"), ("decorative", "on")],
            &[("image", "park.png", "image/png", PNG)],
        )
        .await;
    assert_eq!(both.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A file name is no alt text.
    let file_name = app
        .post_multipart(
            &path,
            &[("alt", "IMG_2041.jpg")],
            &[("image", "park.png", "image/png", PNG)],
        )
        .await;
    assert_eq!(file_name.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A PDF renamed to .png is refused by its content; a PDF is no picture.
    let pdf = magistrat::attachments::tiny_pdf("x");
    let renamed = app
        .post_multipart(
            &path,
            &[("alt", "Plakat festynu")],
            &[("image", "plakat.png", "image/png", &pdf)],
        )
        .await;
    assert_eq!(renamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    let not_picture = app
        .post_multipart(
            &path,
            &[("alt", "Plakat festynu")],
            &[("image", "plakat.pdf", "application/pdf", &pdf)],
        )
        .await;
    assert_eq!(not_picture.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        not_picture
            .body
            .contains("To nie jest zdjęcie PNG ani JPEG")
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM news_image WHERE news_id = {id}"
        ))
        .await,
        0
    );
    // The real picture with its alt text.
    let added = app
        .post_multipart(
            &path,
            &[("alt", "Plac zabaw w Parku Miejskim z nową huśtawką")],
            &[("image", "park.png", "image/png", PNG)],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    // A decorative one, explicitly.
    let decorative = app
        .post_multipart(
            &path,
            &[("alt", ""), ("decorative", "on")],
            &[("image", "ozdoba.png", "image/png", PNG)],
        )
        .await;
    assert_eq!(
        decorative.status,
        StatusCode::SEE_OTHER,
        "{}",
        decorative.body
    );
    // Not public before publishing; the preview shows it to the editor.
    assert_eq!(
        app.get(&format!("/aktualnosci/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let preview = app.get(&format!("/staff/news/{id}/preview")).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(
        preview
            .body
            .contains("alt=\"Plac zabaw w Parku Miejskim z nową huśtawką\"")
    );
    assert!(preview.body.contains("alt=\"\""));
    assert!(!preview.body.contains("<script>alert(1)"));
    let published = app
        .post_form(&format!("/staff/news/{id}/publish"), &[("publish_at", "")])
        .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    app.logout().await;
    let home = app.get("/").await;
    assert!(home.body.contains("Festyn rodzinny w Parku Miejskim"));
    assert!(
        home.body
            .contains("alt=\"Plac zabaw w Parku Miejskim z nową huśtawką\"")
    );
    let page = app.get(&format!("/aktualnosci/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<strong>12:00</strong>"));
    assert!(!page.body.contains("alert(1)"));
    let feed = app.get("/feed.atom").await;
    assert!(
        feed.body
            .contains("<title>Festyn rodzinny w Parku Miejskim</title>")
    );
    assert!(feed.body.contains("&lt;img src=&quot;"));
    assert!(
        feed.body
            .contains("alt=&quot;Plac zabaw w Parku Miejskim z nową huśtawką&quot;")
    );
    assert!(!feed.body.contains("<script"));
    // Every change is in the audit trail: the item, its publication, the two pictures
    // with their attachments.
    let audit_after = app
        .count("SELECT COUNT(*) FROM audit_event WHERE entity_type IN ('news_item', 'news_image', 'attachment')")
        .await;
    assert!(
        audit_after - audit_before >= 6,
        "{audit_before} → {audit_after}"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'news_item' AND entity_id = '{id}' AND action = 'news_item.publish'"
        ))
        .await,
        1
    );
    // Withdrawn: off the public pages and the feed.
    app.login("redaktor").await;
    let withdrawn = app
        .post_form(&format!("/staff/news/{id}/withdraw"), &[])
        .await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.post_form(&format!("/staff/news/{id}/withdraw"), &[])
            .await
            .status,
        StatusCode::CONFLICT
    );
    app.logout().await;
    assert_eq!(
        app.get(&format!("/aktualnosci/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!app.get("/feed.atom").await.body.contains("Festyn rodzinny"));
}

async fn bad_news_input_is_refused_and_nothing_is_half_written(app: TestApp) {
    app.login("redaktor").await;
    let before = app.count("SELECT COUNT(*) FROM news_item").await;
    let missing = app
        .post_form(
            "/staff/news/new",
            &[("kind", "news"), ("title", " "), ("lead", ""), ("body", "")],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("Podaj tytuł."));
    assert!(missing.body.contains("Podaj zajawkę."));
    let long = "ż".repeat(201);
    let too_long = app
        .post_form(
            "/staff/news/new",
            &[("kind", "news"), ("title", &long), ("lead", "Zajawka")],
        )
        .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad_kind = app
        .post_form(
            "/staff/news/new",
            &[("kind", "reklama"), ("title", "Tytuł"), ("lead", "Zajawka")],
        )
        .await;
    assert_eq!(bad_kind.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("SELECT COUNT(*) FROM news_item").await, before);
    let id = create(
        &app,
        "Komunikat <b>ważny</b> & pilny",
        "Zajawka",
        "<p>Treść</p>",
    )
    .await;
    for (at, status) in [
        ("2020-01-01T10:00", StatusCode::UNPROCESSABLE_ENTITY),
        ("jutro", StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let r = app
            .post_form(&format!("/staff/news/{id}/publish"), &[("publish_at", at)])
            .await;
        assert_eq!(r.status, status, "{at}");
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM news_item WHERE id = {id} AND status = 'draft'"
        ))
        .await,
        1
    );
    // Unknown items and pictures: 404, nothing written.
    assert_eq!(
        app.post_form("/staff/news/999999/publish", &[("publish_at", "")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post_multipart(
            "/staff/news/999999/images",
            &[("alt", "Opis")],
            &[("image", "a.png", "image/png", PNG)]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post_form(&format!("/staff/news/{id}/images/999999/remove"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/aktualnosci/obrazy/999999").await.status,
        StatusCode::NOT_FOUND
    );
    // The title is text wherever it goes.
    let published = app
        .post_form(&format!("/staff/news/{id}/publish"), &[("publish_at", "")])
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let page = app.get(&format!("/aktualnosci/{id}")).await;
    assert!(
        page.body
            .contains("Komunikat &#60;b&#62;ważny&#60;/b&#62; &#38; pilny")
    );
    let feed = app.get("/feed.atom").await;
    assert!(
        feed.body
            .contains("<title>Komunikat &lt;b&gt;ważny&lt;/b&gt; &amp; pilny</title>")
    );
}

async fn a_scheduled_item_appears_when_the_clock_reaches_it(app: TestApp) {
    app.login("redaktor").await;
    let id = create(
        &app,
        "Zaplanowany komunikat o zebraniu",
        "Zebranie mieszkańców",
        "",
    )
    .await;
    let at = app.clock().now().0 + jiff::SignedDuration::from_hours(2);
    let local = at
        .to_zoned(jiff::tz::TimeZone::get("Europe/Warsaw").unwrap())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    let scheduled = app
        .post_form(
            &format!("/staff/news/{id}/publish"),
            &[("publish_at", &local)],
        )
        .await;
    assert_eq!(
        scheduled.status,
        StatusCode::SEE_OTHER,
        "{}",
        scheduled.body
    );
    assert!(app.get("/staff/news").await.body.contains("zaplanowany"));
    app.logout().await;
    assert_eq!(
        app.get(&format!("/aktualnosci/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!app.get("/").await.body.contains("Zaplanowany komunikat"));
    app.clock().advance(jiff::SignedDuration::from_hours(3));
    assert_eq!(
        app.get(&format!("/aktualnosci/{id}")).await.status,
        StatusCode::OK
    );
    assert!(app.get("/").await.body.contains("Zaplanowany komunikat"));
    assert!(
        app.get("/feed.atom")
            .await
            .body
            .contains("Zaplanowany komunikat")
    );
    assert!(
        app.get("/sitemap.xml")
            .await
            .body
            .contains(&format!("/aktualnosci/{id}</loc>"))
    );
}

/// The text of the first child element named `name`.
fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    node.children()
        .find(|c| c.has_tag_name(("http://www.w3.org/2005/Atom", name)))
        .and_then(|c| c.text())
}

/// Checks an Atom 1.0 document (RFC 4287 § 4.1.1–4.1.2): the feed's id, title, updated,
/// author and self link; every entry's id, title, updated, alternate link and HTML
/// content. Returns the number of entries.
fn check_atom(xml: &str, self_path: &str) -> usize {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{self_path}: {e}"));
    let feed = doc.root_element();
    assert!(feed.has_tag_name(("http://www.w3.org/2005/Atom", "feed")));
    for name in ["id", "title", "updated"] {
        assert!(
            child_text(feed, name).is_some_and(|t| !t.is_empty()),
            "feed {name}"
        );
    }
    let updated = child_text(feed, "updated").unwrap();
    assert!(jiff::Timestamp::from_str(updated).is_ok(), "{updated}");
    assert!(feed.children().any(|c| c.has_tag_name("author")));
    let links: Vec<_> = feed.children().filter(|c| c.has_tag_name("link")).collect();
    assert!(links.iter().any(|l| l.attribute("rel") == Some("self")
        && l.attribute("href").is_some_and(|h| h.ends_with(self_path))));
    assert!(
        links
            .iter()
            .any(|l| l.attribute("rel") == Some("alternate"))
    );
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name("entry"))
        .collect();
    for entry in &entries {
        for name in ["id", "title", "updated", "published"] {
            assert!(
                child_text(*entry, name).is_some_and(|t| !t.is_empty()),
                "entry {name}"
            );
        }
        assert!(
            entry
                .children()
                .any(|c| c.has_tag_name("link") && c.attribute("rel") == Some("alternate"))
        );
        let content = entry
            .children()
            .find(|c| c.has_tag_name("content"))
            .expect("content");
        assert_eq!(content.attribute("type"), Some("html"));
    }
    entries.len()
}

use std::str::FromStr;

async fn feeds_sitemap_and_export_are_well_formed_atom_and_xml(app: TestApp) {
    // A title with every character XML escapes.
    app.login("redaktor").await;
    let id = create(
        &app,
        "Rock & blues <na> \"Rynku\" 'dziś'",
        "A & B < C",
        "<p>x &amp; y</p>",
    )
    .await;
    app.post_form(&format!("/staff/news/{id}/publish"), &[("publish_at", "")])
        .await;
    app.logout().await;
    let feed = app.get("/feed.atom").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(
        feed.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let n = check_atom(&feed.body, "/feed.atom");
    assert!(n >= 12, "{n} entries");
    let doc = roxmltree::Document::parse(&feed.body).unwrap();
    assert!(
        doc.descendants()
            .any(|d| d.has_tag_name("title")
                && d.text() == Some("Rock & blues <na> \"Rynku\" 'dziś'"))
    );
    // The content is HTML a reader can parse again, carrying the pictures' alt text.
    assert!(doc.descendants().any(|d| {
        d.has_tag_name("content")
            && d.text()
                .is_some_and(|t| t.contains("alt=\"Ilustracja: ratusz w Borowcu"))
    }));
    for slug in magistrat_domain::bip::SECTIONS.iter().map(|s| s.slug) {
        let path = format!("/bip/dzial/{slug}/feed.atom");
        let section = app.get(&path).await;
        assert_eq!(section.status, StatusCode::OK, "{path}");
        check_atom(&section.body, &path);
    }
    // Each section page names its feed in the head.
    assert!(app.get("/bip/dzial/zamowienia").await.body.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/bip/dzial/zamowienia/feed.atom\""
    ));
    let sitemap = app.get("/sitemap.xml").await;
    let doc = roxmltree::Document::parse(&sitemap.body).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|d| d.has_tag_name(("http://www.sitemaps.org/schemas/sitemap/0.9", "loc")))
        .filter_map(|d| d.text())
        .collect();
    assert!(locs.iter().any(|l| l.ends_with("/aktualnosci")));
    assert!(
        locs.iter()
            .any(|l| l.ends_with(&format!("/aktualnosci/{id}")))
    );
    assert!(locs.iter().any(|l| l.contains("/bip/publikacje/")));
    let news = app
        .count("SELECT COUNT(*) FROM news_item WHERE status = 'published'")
        .await;
    let listed = locs.iter().filter(|l| l.contains("/aktualnosci/")).count() as i64;
    // The scheduled demo item is published but not yet public.
    assert_eq!(listed, news - 1);
    let publication = app.count("SELECT MIN(id) FROM bip_publication").await;
    let export = app.get(&format!("/bip/publikacje/{publication}/xml")).await;
    assert!(roxmltree::Document::parse(&export.body).is_ok());
}

async fn the_demand_for_accessibility_is_filed_from_the_declaration(app: TestApp) {
    let declaration = app.get("/deklaracja-dostepnosci").await;
    let procedure = &declaration.body[declaration.body.find("id=\"a11y-procedura\"").unwrap()..];
    let procedure = &procedure[..procedure.find("</div>").unwrap()];
    assert!(procedure.contains("href=\"/services/OR-4/apply\""));
    assert!(procedure.contains("href=\"/services/OR-5/apply\""));
    assert!(procedure.contains("14 dni"));
    let card = app.get("/services/OR-4").await;
    assert_eq!(card.status, StatusCode::OK);
    assert!(card.body.contains("nie później niż w ciągu 14 dni"));
    assert!(card.body.contains("art. 30–32"));
    let form = app.get("/services/OR-4/apply").await;
    assert_eq!(form.status, StatusCode::OK);
    let filed = app
        .post_multipart(
            "/services/OR-4/apply",
            &[
                ("name", "Anna Zielińska"),
                ("email", "anna.zielinska@example.pl"),
                ("phone", ""),
                ("scope", "communication"),
                (
                    "barrier",
                    "Potrzebuję tłumacza PJM na wizytę w USC 15 grudnia.",
                ),
                ("preferred", "Tłumacz obecny przy okienku."),
                ("contact", "email"),
                ("submission_key", "key-a11y-demand-000001"),
            ],
            &[],
        )
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let received = app
        .scalar_text("SELECT CAST(received_on AS TEXT) FROM case_file WHERE kind = 'special_needs_accessibility_demand'")
        .await;
    let due = app
        .scalar_text("SELECT CAST(statutory_due_on AS TEXT) FROM case_file WHERE kind = 'special_needs_accessibility_demand'")
        .await;
    let received: jiff::civil::Date = received[..10].parse().unwrap();
    let expected = magistrat_domain::accessibility::deadlines(
        magistrat_domain::accessibility::Demand::SpecialNeeds,
        received,
    )
    .unwrap();
    assert_eq!(&due[..10], expected.due.to_string());
    assert!(expected.due >= received.checked_add(jiff::Span::new().days(14)).unwrap());
    // The digital demand is its own card with its 7 days.
    let digital = app.get("/services/OR-5").await;
    assert!(digital.body.contains("7 dni"));
}
