//! Machine-readable views of the BIP: Atom feeds (RFC 4287) of announcements and of
//! each section, a publication's XML export with its metadata and change register
//! ("Pobierz dane XML", as Polish BIPs offer), and `/sitemap.xml` (sitemaps.org 0.9).
//! Written by hand with one escaping function (no XML writer is in the tree and three
//! small fixed shapes do not need one); the tests parse every shape with an XML parser
//! (tests/api/feeds.rs) so a forgotten escape fails them.

use axum::extract::{FromRef, Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::public::{listed_sections, section_label_plain};
use super::service::ANNOUNCEMENTS;
use super::store::{self, Listed};
use crate::app::AppState;
use crate::db::UtcTime;
use crate::news::service as news_service;
use crate::org::public::PublicOfficeCache;
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use magistrat_domain::bip;

/// Text for XML content and attributes: the five special characters escaped and
/// characters XML 1.0 forbids dropped.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The site's address for absolute links: `public_url` from the configuration, else
/// the request's Host (escaped wherever it is written).
pub fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

async fn office_name(state: &AppState) -> String {
    PublicOfficeCache::from_ref(state).office_name().await
}

fn xml_response(content_type: &'static str, body: String) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body,
    )
        .into_response()
}

/// One entry of an Atom feed.
pub struct Entry {
    /// The entry's page (absolute), also its id: a page's address never changes.
    pub url: String,
    pub title: String,
    pub published: UtcTime,
    pub updated: UtcTime,
    pub author: String,
    /// Plain text.
    pub summary: String,
    /// HTML, already cleaned; written escaped as `<content type="html">`.
    pub content_html: String,
}

/// A feed's own parts.
pub struct Feed<'a> {
    pub base: &'a str,
    pub title: &'a str,
    /// The feed's path (`rel="self"`), also its id with `base`.
    pub self_path: &'a str,
    /// The HTML page the feed follows (`rel="alternate"`).
    pub alternate_path: &'a str,
    pub author: &'a str,
}

/// An Atom 1.0 document (RFC 4287) of `entries` (newest first): the feed's id, title,
/// updated (its newest entry's, or the epoch when empty), author and self and
/// alternate links; each entry with its id, title, link, published, updated, author,
/// summary and its HTML content escaped.
pub fn atom(feed: &Feed<'_>, entries: &[Entry]) -> String {
    let e = xml_escape;
    let updated = entries
        .iter()
        .map(|i| i.updated)
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), rfc3339);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>{}</title>\n<id>{}{}</id>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{}{}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{}{}\"/>\n<updated>{updated}</updated>\n\
         <author><name>{}</name></author>\n",
        e(feed.title),
        e(feed.base),
        e(feed.self_path),
        e(feed.base),
        e(feed.self_path),
        e(feed.base),
        e(feed.alternate_path),
        e(feed.author),
    );
    for i in entries {
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
             <published>{}</published>\n<updated>{}</updated>\n<author><name>{}</name></author>\n\
             <summary>{}</summary>\n<content type=\"html\">{}</content>\n</entry>\n",
            e(&i.title),
            e(&i.url),
            e(&i.url),
            rfc3339(i.published),
            rfc3339(i.updated),
            e(&i.author),
            e(&i.summary),
            e(&i.content_html),
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

/// BIP publications as feed entries.
fn publication_entries(base: &str, items: &[Listed]) -> Vec<Entry> {
    items
        .iter()
        .map(|i| Entry {
            url: format!("{base}/bip/publikacje/{}", i.id),
            title: i.title.clone(),
            published: i.first_available_at,
            updated: i.made_available_at,
            author: i.produced_by.clone(),
            summary: bip::summary(&i.body_html, 300),
            content_html: bip::sanitize(&i.body_html),
        })
        .collect()
}

fn rfc3339(t: UtcTime) -> String {
    t.0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// How many entries a feed carries.
pub const FEED_ENTRIES: usize = 50;

const ATOM: &str = "application/atom+xml; charset=utf-8";

/// `/feed.atom`: the office's news and announcements (`news::service`), each with its
/// lead, its pictures (with their alt text) and its body as HTML content, together
/// with the BIP's "Ogłoszenia i obwieszczenia" — one feed for everything the office
/// announces; newest first.
pub async fn announcements(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let now = state.clock.now();
    let items = news_service::latest(&state.db, now, FEED_ENTRIES as i64).await?;
    let office = office_name(&state).await;
    let base = base_url(&state, &headers);
    let title = format!("{office} — {}", Lang::Pl.t("news-title"));
    let ids: Vec<i64> = items.iter().map(|l| l.item.id).collect();
    let images = news_service::images_of(&state.db, &ids).await?;
    let mut entries = Vec::with_capacity(items.len());
    for l in items {
        let item = l.item;
        let mut content = format!("<p>{}</p>", xml_escape(&item.lead));
        for image in images.iter().filter(|i| i.news_id == item.id) {
            content.push_str(&format!(
                "<p><img src=\"{}/aktualnosci/obrazy/{}\" alt=\"{}\"></p>",
                xml_escape(&base),
                image.id,
                xml_escape(&image.alt)
            ));
        }
        content.push_str(&bip::sanitize(&item.body_html));
        let published = item.published_at.unwrap_or(item.updated_at);
        entries.push(Entry {
            url: format!("{base}/aktualnosci/{}", item.id),
            title: item.title,
            published,
            updated: published.max(item.updated_at),
            author: office.clone(),
            summary: item.lead,
            content_html: content,
        });
    }
    // The announcements most recently made available or changed, as many as the feed
    // holds: whichever of them and the news come first, none beyond these can.
    let bip_items = store::latest(&state.db, now, Some(ANNOUNCEMENTS), FEED_ENTRIES as i64).await?;
    entries.extend(publication_entries(&base, &bip_items));
    entries.sort_by_key(|e| std::cmp::Reverse(e.updated));
    entries.truncate(FEED_ENTRIES);
    let feed = Feed {
        base: &base,
        title: &title,
        self_path: "/feed.atom",
        alternate_path: "/aktualnosci",
        author: &office,
    };
    Ok(xml_response(ATOM, atom(&feed, &entries)))
}

/// `/bip/dzial/{slug}/feed.atom`: one section's publications (with its sub-entries).
pub async fn section(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let section = bip::section_by_slug(&slug).ok_or(AppError::NotFound)?;
    // The first page of the section's list, as long as a feed: read from the index.
    let items = store::in_sections(
        &state.db,
        state.clock.now(),
        &listed_sections(section),
        0,
        FEED_ENTRIES as i64,
    )
    .await?;
    let office = office_name(&state).await;
    let base = base_url(&state, &headers);
    let title = format!("{office} — BIP — {}", section_label_plain(section.slug));
    let self_path = format!("/bip/dzial/{}/feed.atom", section.slug);
    let alternate_path = format!("/bip/dzial/{}", section.slug);
    let feed = Feed {
        base: &base,
        title: &title,
        self_path: &self_path,
        alternate_path: &alternate_path,
        author: &office,
    };
    Ok(xml_response(
        ATOM,
        atom(&feed, &publication_entries(&base, &items)),
    ))
}

/// A publication as XML: the current version with every metadata field of UDIP art. 8
/// ust. 6 and the change register (every version's number, moment, person, reason).
pub async fn xml_export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let publication = store::publication(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let versions = store::versions(&state.db, id, Some(state.clock.now())).await?;
    let current = versions.last().ok_or(AppError::NotFound)?;
    let office = office_name(&state).await;
    let base = base_url(&state, &headers);
    let e = xml_escape;
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <publikacja id=\"{id}\" status=\"{}\" adres=\"{}/bip/publikacje/{id}\">\n\
         <podmiot>{}</podmiot>\n<dzial>{}</dzial>\n<tytul>{}</tytul>\n<tresc>{}</tresc>\n\
         <metryka>\n<wytworzyl>{}</wytworzyl>\n<data-wytworzenia>{}</data-wytworzenia>\n\
         <odpowiada>{}</odpowiada>\n<wprowadzil>{}</wprowadzil>\n\
         <data-udostepnienia>{}</data-udostepnienia>\n<wersja>{}</wersja>\n</metryka>\n\
         <rejestr-zmian>\n",
        e(publication.status.as_str()),
        e(&base),
        e(&office),
        e(&publication.section),
        e(&current.title),
        e(&current.body_html),
        e(&current.produced_by),
        current.produced_on,
        e(&current.responsible),
        e(&current.entered_by),
        rfc3339(current.made_available_at),
        current.number,
    );
    for v in &versions {
        xml.push_str(&format!(
            "<wersja numer=\"{}\" data-udostepnienia=\"{}\" wprowadzil=\"{}\">{}</wersja>\n",
            v.number,
            rfc3339(v.made_available_at),
            e(&v.entered_by),
            e(&v.reason),
        ));
    }
    xml.push_str("</rejestr-zmian>\n</publikacja>\n");
    let mut response = xml_response("application/xml; charset=utf-8", xml);
    response.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("inline; filename=\"bip-{id}.xml\""))
            .unwrap_or_else(|_| HeaderValue::from_static("inline")),
    );
    Ok(response)
}

/// The most URLs one sitemap file may list (sitemaps.org protocol 0.9, "Sitemap file
/// location": no more than 50,000 URLs and 50 MB uncompressed — a URL here stays far
/// below the 1,000 bytes that would make 50 MB the tighter bound).
pub const SITEMAP_URLS: usize = 50_000;

const URLSET_OPEN: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
     <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";

/// `/sitemap.xml`: the portal's pages and every public publication — one sitemap while
/// they fit in one file, a sitemap index of `/sitemap-N.xml` parts once they do not.
pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let base = base_url(&state, &headers);
    let xml = sitemap_document(&state.db, &base, state.clock.now(), None, SITEMAP_URLS)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(xml_response("application/xml; charset=utf-8", xml))
}

/// `/sitemap-N.xml`: part N (from 1) of a split sitemap.
pub async fn sitemap_part(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(part): Path<String>,
) -> AppResult<Response> {
    let part: usize = part
        .strip_suffix(".xml")
        .and_then(|n| n.parse().ok())
        .ok_or(AppError::NotFound)?;
    let base = base_url(&state, &headers);
    let xml = sitemap_document(
        &state.db,
        &base,
        state.clock.now(),
        Some(part),
        SITEMAP_URLS,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(xml_response("application/xml; charset=utf-8", xml))
}

/// The sitemap as of `now`, at most `per_part` URLs a file. Its URLs in order: the
/// portal's fixed pages, the BIP's sections, the news (each of these read whole: a few
/// hundred at most), then the publications by id, read a part at a time
/// ([`store::sitemap_page`]). `part` None is `/sitemap.xml`: every URL when they fit in
/// one file, else the index of the parts; `Some(n)` is part n, None past the last one
/// (and for any part while one file holds everything).
pub async fn sitemap_document(
    db: &crate::db::Db,
    base: &str,
    now: UtcTime,
    part: Option<usize>,
    per_part: usize,
) -> AppResult<Option<String>> {
    let per_part = per_part.max(1);
    let base = xml_escape(base);
    let mut portal: Vec<(String, Option<UtcTime>)> = [
        "/",
        "/services",
        "/aktualnosci",
        "/bip",
        "/bip/rejestr-zmian",
        "/bip/usuniete",
        "/bip/informacje-nieudostepnione",
        "/bip/redakcja",
        "/bip/instrukcja",
        "/deklaracja-dostepnosci",
    ]
    .iter()
    .map(|p| ((*p).to_owned(), None))
    .collect();
    portal.extend(
        bip::SECTIONS
            .iter()
            .map(|s| (format!("/bip/dzial/{}", s.slug), None)),
    );
    for item in news_service::all_public(db, now).await? {
        portal.push((
            format!("/aktualnosci/{}", item.id),
            Some(
                item.updated_at
                    .max(item.published_at.unwrap_or(item.updated_at)),
            ),
        ));
    }
    let publications = usize::try_from(store::public_count(db, now).await?).unwrap_or(0);
    let total = portal.len() + publications;
    let parts = total.div_ceil(per_part).max(1);
    let range = match part {
        None if parts > 1 => {
            let mut xml = String::from(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
                 <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
            );
            for n in 1..=parts {
                xml.push_str(&format!(
                    "<sitemap><loc>{base}/sitemap-{n}.xml</loc></sitemap>\n"
                ));
            }
            xml.push_str("</sitemapindex>\n");
            return Ok(Some(xml));
        }
        None => 0..total,
        Some(n) if parts > 1 && (1..=parts).contains(&n) => {
            (n - 1) * per_part..(n * per_part).min(total)
        }
        Some(_) => return Ok(None),
    };
    let mut xml = String::from(URLSET_OPEN);
    let url = |xml: &mut String, path: &str, lastmod: Option<UtcTime>| {
        xml.push_str(&format!("<url><loc>{base}{path}</loc>"));
        if let Some(t) = lastmod {
            xml.push_str(&format!("<lastmod>{}</lastmod>", rfc3339(t)));
        }
        xml.push_str("</url>\n");
    };
    for (path, lastmod) in portal
        .get(range.start.min(portal.len())..range.end.min(portal.len()))
        .unwrap_or_default()
    {
        url(&mut xml, path, *lastmod);
    }
    let skip = range.start.saturating_sub(portal.len());
    let wanted = range.end.saturating_sub(portal.len().max(range.start));
    if wanted > 0 {
        let page = store::sitemap_page(
            db,
            now,
            i64::try_from(skip).unwrap_or(i64::MAX),
            i64::try_from(wanted).unwrap_or(i64::MAX),
        )
        .await?;
        for (id, made_available_at) in page {
            url(
                &mut xml,
                &format!("/bip/publikacje/{id}"),
                Some(made_available_at),
            );
        }
    }
    xml.push_str("</urlset>\n");
    Ok(Some(xml))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_forbidden_characters() {
        assert_eq!(
            xml_escape("<a href=\"x\">&'</a>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(xml_escape("Zażółć\ngęślą"), "Zażółć\ngęślą");
    }
}
