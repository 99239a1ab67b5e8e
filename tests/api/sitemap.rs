//! `/sitemap.xml` split by the sitemaps.org limit (issue 13): one sitemap while the
//! URLs fit in one file, else a sitemap index of `/sitemap-N.xml` parts — tested with a
//! limit of 3 URLs a part over the demo, each part well-formed XML, together exactly
//! the URLs of the single sitemap.

use axum::http::StatusCode;
use magistrat::bip::feeds::{SITEMAP_URLS, sitemap_document};

use crate::backend_tests;
use crate::helpers::{Backend, TestApp};

backend_tests!(the_sitemap_splits_into_an_index_of_parts_past_the_limit,);

const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// The `<loc>` of every `parent` element (`url` or `sitemap`) of a document in the
/// sitemaps namespace whose root is `root`.
fn locs(xml: &str, root: &str, parent: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
    assert!(doc.root_element().has_tag_name((NS, root)), "{xml}");
    doc.root_element()
        .children()
        .filter(|n| n.has_tag_name((NS, parent)))
        .map(|n| {
            n.children()
                .find(|c| c.has_tag_name((NS, "loc")))
                .and_then(|c| c.text())
                .expect("a loc")
                .to_owned()
        })
        .collect()
}

async fn the_sitemap_splits_into_an_index_of_parts_past_the_limit(app: TestApp) {
    let now = app.db.clock().now();
    let base = "https://urzad.example/<&>";
    // The demo fits in one file: a plain sitemap, and no parts.
    let response = app.get("/sitemap.xml").await;
    assert_eq!(response.status, StatusCode::OK);
    let all_served = locs(&response.body, "urlset", "url");
    assert!(
        all_served.len() > 50,
        "the demo's pages: {}",
        all_served.len()
    );
    assert_eq!(
        app.get("/sitemap-1.xml").await.status,
        StatusCode::NOT_FOUND
    );
    let single = sitemap_document(&app.db, base, now, None, SITEMAP_URLS)
        .await
        .unwrap()
        .unwrap();
    let all = locs(&single, "urlset", "url");
    assert_eq!(all.len(), all_served.len());
    assert!(
        all.iter().all(|l| l.starts_with(base)),
        "the base escaped and kept"
    );

    // Three a part: an index of ⌈n ÷ 3⌉ parts, each at most three URLs, in order.
    let index = sitemap_document(&app.db, base, now, None, 3)
        .await
        .unwrap()
        .unwrap();
    let parts = locs(&index, "sitemapindex", "sitemap");
    assert_eq!(parts.len(), all.len().div_ceil(3));
    assert_eq!(parts[0], format!("{base}/sitemap-1.xml"));
    let mut joined = Vec::new();
    for n in 1..=parts.len() {
        let part = sitemap_document(&app.db, base, now, Some(n), 3)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("part {n}"));
        let urls = locs(&part, "urlset", "url");
        assert!(!urls.is_empty() && urls.len() <= 3, "part {n}: {urls:?}");
        joined.extend(urls);
    }
    assert_eq!(joined, all, "the parts hold every URL once, in order");
    assert!(
        sitemap_document(&app.db, base, now, Some(parts.len() + 1), 3)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        sitemap_document(&app.db, base, now, Some(0), 3)
            .await
            .unwrap()
            .is_none()
    );
}

/// The demo office with a Mastodon server to share on.
async fn with_mastodon(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with(backend, |c| {
        c.share_mastodon_instance = Some("social.borowiec.example".to_owned());
        c.public_url = Some("https://urzad.borowiec.example".to_owned());
    })
    .await
}

mod shared {
    use super::*;
    backend_tests!(
        spawn = super::with_mastodon;
        a_bip_publication_and_a_news_item_have_plain_escaped_share_links,
    );
}

/// The first `href="prefix…"` of a page, as written in the HTML.
fn href<'a>(body: &'a str, prefix: &str) -> &'a str {
    let at = body
        .find(&format!("href=\"{prefix}"))
        .unwrap_or_else(|| panic!("a link to {prefix}"));
    let rest = &body[at + 6..];
    &rest[..rest.find('"').unwrap_or(rest.len())]
}

async fn a_bip_publication_and_a_news_item_have_plain_escaped_share_links(app: TestApp) {
    let bip = app.get("/bip/publikacje/1").await;
    assert_eq!(bip.status, StatusCode::OK);
    let mail = href(&bip.body, "mailto:");
    assert!(
        mail.ends_with("&#38;body=https%3A%2F%2Furzad.borowiec.example%2Fbip%2Fpublikacje%2F1"),
        "{mail}"
    );
    assert!(!mail.contains(' ') && !mail.contains('<'), "{mail}");
    let toot = href(&bip.body, "https://social.borowiec.example/share?text=");
    assert!(toot.ends_with("%0Ahttps%3A%2F%2Furzad.borowiec.example%2Fbip%2Fpublikacje%2F1"));
    assert!(
        bip.body
            .contains("Udostępnij na Mastodonie (social.borowiec.example)")
    );
    assert!(bip.body.contains("aria-label=\"Udostępnij tę stronę\""));
    assert!(
        !bip.body.contains("<script src=\"http"),
        "no third-party script"
    );

    let list = app.get("/aktualnosci").await.body;
    let item = href(&list, "/aktualnosci/");
    let id = item.trim_start_matches("/aktualnosci/");
    let page = app.get(item).await;
    assert_eq!(page.status, StatusCode::OK, "{item}");
    let mail = href(&page.body, "mailto:");
    assert!(
        mail.ends_with(&format!(
            "&#38;body=https%3A%2F%2Furzad.borowiec.example%2Faktualnosci%2F{id}"
        )),
        "{mail}"
    );
    assert!(
        page.body
            .contains("href=\"https://social.borowiec.example/share?text=")
    );
}

mod unshared {
    use super::*;
    backend_tests!(without_a_mastodon_server_only_the_bip_mail_link_is_offered,);
}

async fn without_a_mastodon_server_only_the_bip_mail_link_is_offered(app: TestApp) {
    let bip = app.get("/bip/publikacje/1").await.body;
    assert!(bip.contains("href=\"mailto:?subject="));
    assert!(!bip.contains("/share?text="));
}
