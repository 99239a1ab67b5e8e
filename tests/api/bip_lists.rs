//! The BIP's lists over many publications (issue 13; docs/decisions/0056): a section's
//! page is read a page at a time from the index, newest first by the first version's
//! moment, its sub-sections merged in; the pages together are the section's whole list
//! in order, numbered for people, and an address beyond them is not found. The feeds
//! read only their newest entries: a section's feed is its list's first 50, the
//! announcements in `/feed.atom` the 50 most recently made available or changed. Each
//! is compared with the whole list worked out another way (the first version's moment
//! read from the versions, not from the publication's column).

use axum::http::StatusCode;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    a_section_is_read_in_pages_that_together_are_its_whole_list,
    feeds_read_the_newest_and_follow_changes_removal_and_the_clock,
);

/// Publications seeded: 45 a section over the subject menu's 18 sections, so a page
/// of 20 has neighbours on both sides and a top section merges three lists.
const SEEDED: u64 = 810;

/// The publication ids a page links to as list items, in order.
fn listed(body: &str) -> Vec<i64> {
    body.split("<h3><a href=\"/bip/publikacje/")
        .skip(1)
        .filter_map(|part| part.split('"').next()?.parse().ok())
        .collect()
}

/// The entries of an Atom feed: the publication id of each BIP entry (`None` for
/// another entry, such as a news item), in order.
fn entries(feed: &str) -> Vec<Option<i64>> {
    let doc = roxmltree::Document::parse(feed).expect("the feed is XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("entry"))
        .map(|entry| {
            let id = entry
                .children()
                .find(|n| n.has_tag_name("id"))
                .and_then(|n| n.text())
                .unwrap_or_default();
            id.split_once("/bip/publikacje/")
                .and_then(|(_, id)| id.parse().ok())
        })
        .collect()
}

fn quoted(sections: &[&str]) -> String {
    sections
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The whole list of `sections` as the public sees it now, newest first by the first
/// version's moment (ties: the newer id first), worked out from the versions.
async fn whole_list(app: &TestApp, sections: &[&str]) -> Vec<i64> {
    let now = app.clock().now().to_canonical();
    let first = "(SELECT f.made_available_at FROM bip_version f \
                 WHERE f.publication_id = p.id AND f.number = 1)";
    app.texts(&format!(
        "SELECT CAST(p.id AS TEXT) FROM bip_publication p WHERE p.status <> 'removed' \
         AND p.section IN ({}) AND {first} <= '{now}' ORDER BY {first} DESC, p.id DESC",
        quoted(sections)
    ))
    .await
    .iter()
    .map(|id| id.parse().unwrap())
    .collect()
}

/// The public publications of `sections`, most recently made available or changed
/// first (the current version's moment; ties: the newer id first).
async fn by_last_change(app: &TestApp, sections: &[&str]) -> Vec<i64> {
    let now = app.clock().now().to_canonical();
    let last = format!(
        "(SELECT MAX(v.made_available_at) FROM bip_version v \
         WHERE v.publication_id = p.id AND v.made_available_at <= '{now}')"
    );
    app.texts(&format!(
        "SELECT CAST(p.id AS TEXT) FROM bip_publication p WHERE p.status <> 'removed' \
         AND p.section IN ({}) AND {last} IS NOT NULL ORDER BY {last} DESC, p.id DESC",
        quoted(sections)
    ))
    .await
    .iter()
    .map(|id| id.parse().unwrap())
    .collect()
}

/// Reads every page of a section's list, checking each page's numbering and links;
/// returns the ids the pages list, in order.
async fn read_every_page(app: &TestApp, slug: &str, expected: usize) -> Vec<i64> {
    let pages = expected.div_ceil(20).max(1);
    let mut all = Vec::new();
    for page in 1..=pages {
        let path = if page == 1 {
            format!("/bip/dzial/{slug}")
        } else {
            format!("/bip/dzial/{slug}?page={page}")
        };
        let r = app.get(&path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let ids = listed(&r.body);
        let full = page < pages || expected.is_multiple_of(20);
        assert_eq!(ids.len(), if full { 20 } else { expected % 20 }, "{path}");
        all.extend(ids);
        // Where the reader is, in words, and the way to the neighbours.
        assert!(
            r.body.contains(&format!("strona {page} z {pages}")),
            "{path}"
        );
        let previous = match page {
            1 => None,
            2 => Some(format!("href=\"/bip/dzial/{slug}\" rel=\"prev\"")),
            p => Some(format!(
                "href=\"/bip/dzial/{slug}?page={}\" rel=\"prev\"",
                p - 1
            )),
        };
        match previous {
            Some(link) => assert!(r.body.contains(&link), "{path}: {link}"),
            None => assert!(!r.body.contains("rel=\"prev\""), "{path}"),
        }
        let next = format!("href=\"/bip/dzial/{slug}?page={}\" rel=\"next\"", page + 1);
        assert_eq!(r.body.contains(&next), page < pages, "{path}");
        // A page after the first says which it is in its title.
        assert_eq!(
            r.body
                .contains(&format!("— strona {page} z {pages} — BIP — ")),
            page > 1,
            "{path}"
        );
    }
    all
}

async fn a_section_is_read_in_pages_that_together_are_its_whole_list(app: TestApp) {
    magistrat::bip::bench_seed::seed_bulk(&app.db, SEEDED)
        .await
        .unwrap();
    // Three publications of the three lists of „Prawo” first made available at the
    // same moment: the newer id comes first, across the merged lists too.
    let pick = |section: &str| {
        format!(
            "SELECT MAX(id) FROM bip_publication WHERE section = '{section}' \
             AND id < (SELECT MAX(id) - 400 FROM bip_publication)"
        )
    };
    let anchor = app.count(&pick("prawo")).await;
    let mut tied = vec![anchor];
    for section in ["prawo-miejscowe", "zarzadzenia"] {
        let id = app.count(&pick(section)).await;
        tied.push(id);
        app.exec(&format!(
            "UPDATE bip_version SET made_available_at = (SELECT made_available_at \
             FROM bip_version WHERE publication_id = {anchor} AND number = 1) \
             WHERE publication_id = {id}"
        ))
        .await;
        app.exec(&format!(
            "UPDATE bip_publication SET first_available_at = (SELECT first_available_at \
             FROM bip_publication WHERE id = {anchor}) WHERE id = {id}"
        ))
        .await;
    }

    for (slug, sections) in [
        ("zarzadzenia", vec!["zarzadzenia"]),
        ("prawo", vec!["prawo", "prawo-miejscowe", "zarzadzenia"]),
    ] {
        let whole = whole_list(&app, &sections).await;
        assert!(whole.len() > 40, "{slug}: {}", whole.len());
        assert_eq!(
            read_every_page(&app, slug, whole.len()).await,
            whole,
            "{slug}"
        );
        // `?page=1` is the first page; no page before it, none after the last, and a
        // page number that is not one is not found either.
        let first = app.get(&format!("/bip/dzial/{slug}?page=1")).await;
        assert_eq!(listed(&first.body), whole[..20]);
        let beyond = whole.len().div_ceil(20) + 1;
        for page in [beyond.to_string(), "0".into(), "-1".into(), "dwa".into()] {
            let r = app.get(&format!("/bip/dzial/{slug}?page={page}")).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{slug} {page}");
        }
    }
    // The tie: the three side by side in the order of their ids, the newer first (the
    // pages above list them so).
    tied.sort_unstable_by(|a, b| b.cmp(a));
    let prawo = whole_list(&app, &["prawo", "prawo-miejscowe", "zarzadzenia"]).await;
    let at = prawo.iter().position(|id| *id == tied[0]).unwrap();
    assert_eq!(prawo[at..at + 3], tied);

    // An empty section has its one page, saying so.
    let empty = app.get("/bip/dzial/ponowne-wykorzystywanie").await;
    assert_eq!(empty.status, StatusCode::OK);
    if listed(&empty.body).is_empty() {
        assert!(empty.body.contains("Brak publikacji."));
        assert!(!empty.body.contains("rel=\"next\""));
    }
}

async fn feeds_read_the_newest_and_follow_changes_removal_and_the_clock(app: TestApp) {
    magistrat::bip::bench_seed::seed_bulk(&app.db, SEEDED)
        .await
        .unwrap();
    let prawo = ["prawo", "prawo-miejscowe", "zarzadzenia"];
    // A section's feed: its list's first 50.
    let feed = app.get("/bip/dzial/prawo/feed.atom").await;
    assert_eq!(feed.status, StatusCode::OK);
    let ids: Vec<i64> = entries(&feed.body).into_iter().flatten().collect();
    assert_eq!(ids, whole_list(&app, &prawo).await[..50]);
    // The announcements in the office's feed: the most recently changed first, as many
    // as the news leave room for.
    let announcements = |body: &str| -> Vec<i64> { entries(body).into_iter().flatten().collect() };
    let office_feed = app.get("/feed.atom").await.body;
    let shown = announcements(&office_feed);
    assert!(!shown.is_empty() && entries(&office_feed).len() <= 50);
    assert_eq!(
        shown,
        by_last_change(&app, &["ogloszenia"]).await[..shown.len()]
    );

    // The oldest announcement changed now: first in the office's feed and on the BIP's
    // home, but it keeps its place in its section's list (first made available long ago).
    let oldest = *whole_list(&app, &["ogloszenia"]).await.last().unwrap();
    app.login("redaktor").await;
    let saved = app
        .post_form(
            &format!("/staff/bip/{oldest}"),
            &[
                ("title", "Obwieszczenie zmienione po latach"),
                ("body", "<p>Sprostowanie.</p>"),
                ("produced_by", "Wydział Organizacyjny"),
                ("produced_on", "2026-11-30"),
                ("responsible", "Jan Kowalski, Sekretarz Miasta"),
                ("reason", "Sprostowanie omyłki"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let published = app
        .post_form(
            &format!("/staff/bip/{oldest}/publish"),
            &[("publish_at", "")],
        )
        .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    // The newest of „Zarządzenia” removed.
    let newest = whole_list(&app, &["zarzadzenia"]).await[0];
    let removed = app
        .post_form(
            &format!("/staff/bip/{newest}/remove"),
            &[("remove_reason", "Opublikowane omyłkowo")],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    // A new announcement scheduled two hours ahead.
    let created = app
        .post_form(
            "/staff/bip/new",
            &[
                ("section", "ogloszenia"),
                ("title", "Obwieszczenie zaplanowane"),
                ("body", "<p>Jutro.</p>"),
                ("produced_by", "Wydział Organizacyjny"),
                ("produced_on", "2026-11-30"),
                ("responsible", "Jan Kowalski, Sekretarz Miasta"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let scheduled: i64 = created
        .location()
        .trim_start_matches("/staff/bip/")
        .parse()
        .unwrap();
    let at = (app.clock().now().0 + jiff::SignedDuration::from_hours(2))
        .to_zoned(jiff::tz::TimeZone::get("Europe/Warsaw").unwrap())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    let planned = app
        .post_form(
            &format!("/staff/bip/{scheduled}/publish"),
            &[("publish_at", &at)],
        )
        .await;
    assert_eq!(planned.status, StatusCode::SEE_OTHER, "{}", planned.body);
    app.logout().await;

    let office_feed = app.get("/feed.atom").await.body;
    let shown = announcements(&office_feed);
    assert_eq!(shown[0], oldest);
    assert!(!shown.contains(&scheduled));
    assert_eq!(
        shown,
        by_last_change(&app, &["ogloszenia"]).await[..shown.len()]
    );
    assert_eq!(listed(&app.get("/bip").await.body)[0], oldest);
    let ogloszenia = whole_list(&app, &["ogloszenia"]).await;
    assert_eq!(ogloszenia.last(), Some(&oldest));
    assert!(!ogloszenia.contains(&scheduled));
    assert_eq!(
        read_every_page(&app, "ogloszenia", ogloszenia.len()).await,
        ogloszenia
    );
    let zarzadzenia = whole_list(&app, &["zarzadzenia"]).await;
    assert!(!zarzadzenia.contains(&newest));
    assert_eq!(
        read_every_page(&app, "zarzadzenia", zarzadzenia.len()).await,
        zarzadzenia
    );
    let ids: Vec<i64> = entries(&app.get("/bip/dzial/prawo/feed.atom").await.body)
        .into_iter()
        .flatten()
        .collect();
    assert!(!ids.contains(&newest));
    assert_eq!(ids, whole_list(&app, &prawo).await[..50]);

    // The clock reaches the scheduled announcement: first on its section's first page,
    // in its feed and in the office's.
    app.clock().advance(jiff::SignedDuration::from_hours(3));
    assert_eq!(
        listed(&app.get("/bip/dzial/ogloszenia").await.body)[0],
        scheduled
    );
    assert_eq!(
        entries(&app.get("/bip/dzial/ogloszenia/feed.atom").await.body)[0],
        Some(scheduled)
    );
    assert_eq!(
        announcements(&app.get("/feed.atom").await.body)[0],
        scheduled
    );
    let ogloszenia = whole_list(&app, &["ogloszenia"]).await;
    assert_eq!(ogloszenia[0], scheduled);
    assert_eq!(
        read_every_page(&app, "ogloszenia", ogloszenia.len()).await,
        ogloszenia
    );
}
