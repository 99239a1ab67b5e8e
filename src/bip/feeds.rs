//! Machine-readable views of the BIP: Atom feeds (RFC 4287) of announcements and of
//! each section, a publication's XML export with its metadata and change register
//! ("Pobierz dane XML", as Polish BIPs offer), and `/sitemap.xml` (sitemaps.org 0.9).
//! Written by hand with one escaping function: three small fixed shapes do not need an
//! XML library.

use axum::extract::{FromRef, Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::public::section_label_plain;
use super::store::{self, Listed};
use crate::app::AppState;
use crate::db::UtcTime;
use crate::org::public::PublicOfficeCache;
use crate::web::error::{AppError, AppResult};
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

/// An Atom feed of `items` (newest first) titled `title`, at `self_path`.
pub fn atom(base: &str, title: &str, self_path: &str, office: &str, items: &[Listed]) -> String {
    let updated = items
        .iter()
        .map(|i| i.made_available_at)
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), rfc3339);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>{}</title>\n<id>{}{}</id>\n<link rel=\"self\" href=\"{}{}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{}/bip\"/>\n<updated>{updated}</updated>\n\
         <author><name>{}</name></author>\n",
        xml_escape(title),
        xml_escape(base),
        xml_escape(self_path),
        xml_escape(base),
        xml_escape(self_path),
        xml_escape(base),
        xml_escape(office),
    );
    for i in items {
        let url = format!("{base}/bip/publikacje/{}", i.id);
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
             <published>{}</published>\n<updated>{}</updated>\n<author><name>{}</name></author>\n\
             <summary>{}</summary>\n</entry>\n",
            xml_escape(&i.title),
            xml_escape(&url),
            xml_escape(&url),
            rfc3339(i.first_available_at),
            rfc3339(i.made_available_at),
            xml_escape(&i.produced_by),
            xml_escape(&bip::summary(&i.body_html, 300)),
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

fn rfc3339(t: UtcTime) -> String {
    t.0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// How many entries a feed carries.
pub const FEED_ENTRIES: usize = 50;

/// `/feed.atom`: the office's news and announcements (the BIP's "Ogłoszenia i
/// obwieszczenia").
pub async fn announcements(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let mut items = store::in_sections(&state.db, state.clock.now(), &["ogloszenia"]).await?;
    items.truncate(FEED_ENTRIES);
    let office = office_name(&state).await;
    let base = base_url(&state, &headers);
    let title = format!("{office} — {}", section_label_plain("ogloszenia"));
    Ok(xml_response(
        "application/atom+xml; charset=utf-8",
        atom(&base, &title, "/feed.atom", &office, &items),
    ))
}

/// `/bip/dzial/{slug}/feed.atom`: one section's publications (with its sub-entries).
pub async fn section(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let section = bip::section_by_slug(&slug).ok_or(AppError::NotFound)?;
    let mut slugs = vec![section.slug];
    slugs.extend(bip::children(Some(section.slug)).map(|c| c.slug));
    let mut items = store::in_sections(&state.db, state.clock.now(), &slugs).await?;
    items.truncate(FEED_ENTRIES);
    let office = office_name(&state).await;
    let base = base_url(&state, &headers);
    let title = format!("{office} — BIP — {}", section_label_plain(section.slug));
    let self_path = format!("/bip/dzial/{}/feed.atom", section.slug);
    Ok(xml_response(
        "application/atom+xml; charset=utf-8",
        atom(&base, &title, &self_path, &office, &items),
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

/// `/sitemap.xml`: the portal's fixed pages, the BIP's sections and registers, and
/// every public publication with its last change.
pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let base = xml_escape(&base_url(&state, &headers));
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let fixed = [
        "/",
        "/services",
        "/bip",
        "/bip/rejestr-zmian",
        "/bip/usuniete",
        "/bip/informacje-nieudostepnione",
        "/bip/redakcja",
        "/bip/instrukcja",
        "/deklaracja-dostepnosci",
    ];
    for path in fixed {
        xml.push_str(&format!("<url><loc>{base}{path}</loc></url>\n"));
    }
    for s in bip::SECTIONS {
        xml.push_str(&format!(
            "<url><loc>{base}/bip/dzial/{}</loc></url>\n",
            s.slug
        ));
    }
    for p in store::all_public(&state.db, state.clock.now()).await? {
        xml.push_str(&format!(
            "<url><loc>{base}/bip/publikacje/{}</loc><lastmod>{}</lastmod></url>\n",
            p.id,
            rfc3339(p.made_available_at)
        ));
    }
    xml.push_str("</urlset>\n");
    Ok(xml_response("application/xml; charset=utf-8", xml))
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
