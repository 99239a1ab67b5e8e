//! The accessibility declaration (deklaracja dostępności) at `/deklaracja-dostepnosci`,
//! generated from the office's data: its name and contact (org), the declaration's own
//! dates, status and contact person (the BIP settings) and, per building, its
//! architectural accessibility (the org's locations).
//!
//! Sources: ustawa z dnia 4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych
//! i aplikacji mobilnych podmiotów publicznych (Dz.U. 2023 poz. 1440), art. 10 (the
//! declaration), art. 18 (the demand for accessibility: 7 days, at most 2 months);
//! the demand for architectural or information-and-communication accessibility:
//! ustawa z dnia 19 lipca 2019 r. o zapewnianiu dostępności osobom ze szczególnymi
//! potrzebami, art. 30–32 (14 days, at most 2 months); the procedure section links the
//! service cards of both demands, filable online (`magistrat_domain::accessibility`);
//! the structure and element ids follow "Warunki techniczne publikacji oraz struktura
//! dokumentu elektronicznego deklaracji dostępności" (v2.0 of 31 July 2024), which
//! automated monitoring reads by id: `a11y-wstep`, `a11y-podmiot`, `a11y-url`,
//! `a11y-data-publikacja`, `a11y-data-aktualizacja`, `a11y-status`,
//! `a11y-data-sporzadzenie`, `a11y-data-przeglad`, `a11y-kontakt`, `a11y-osoba`,
//! `a11y-email`, `a11y-telefon`, `a11y-procedura`, `a11y-architektura`,
//! `a11y-aplikacje`. Dates are `<time datetime="YYYY-MM-DD">`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::HeaderMap;

use super::feeds::base_url;
use super::store::{self, Settings};
use crate::app::AppState;
use crate::org::store::{self as org_store, Location, Office};
use crate::service_cards::catalogue::CatalogueCache;
use crate::web::error::AppResult;
use crate::web::page::PageCtx;
use magistrat_domain::accessibility::Demand;

#[derive(Template, WebTemplate)]
#[template(path = "bip/declaration.html")]
pub struct DeclarationPage {
    pub ctx: PageCtx,
    pub office: Office,
    pub settings: Settings,
    pub url: String,
    pub status_label: String,
    pub buildings: Vec<Location>,
    /// (for people, ISO) of the publication, update, preparation and review dates.
    pub published: (String, String),
    pub updated: (String, String),
    pub prepared: (String, String),
    pub reviewed: (String, String),
    /// The service cards of the demands for accessibility: (name, card address,
    /// e-service address when it can be filed online).
    pub demand_cards: Vec<(String, String, Option<String>)>,
}

/// A date for people and as `YYYY-MM-DD`, or "—" when the office has not set it yet.
fn day(ctx: &PageCtx, d: Option<jiff::civil::Date>) -> (String, String) {
    d.map_or_else(
        || ("—".to_owned(), String::new()),
        |d| (ctx.date(&d), d.to_string()),
    )
}

/// The published cards of both demands for accessibility (special-needs act art. 30,
/// digital accessibility act art. 18), for the procedure section.
async fn demand_cards(
    catalogue: &CatalogueCache,
) -> AppResult<Vec<(String, String, Option<String>)>> {
    let catalogue = catalogue.get().await?;
    Ok(Demand::ALL
        .into_iter()
        .flat_map(|d| catalogue.cards_of_kind(d.case_kind()))
        .map(|c| {
            let d = &c.card.data;
            (
                d.name.clone(),
                format!("/services/{}", d.code),
                d.channels
                    .eservice
                    .then(|| format!("/services/{}/apply", d.code)),
            )
        })
        .collect())
}

pub async fn page(
    State(state): State<AppState>,
    State(catalogue): State<CatalogueCache>,
    headers: HeaderMap,
    ctx: PageCtx,
) -> AppResult<DeclarationPage> {
    let settings = store::settings(&state.db).await?;
    let office = org_store::office(&state.db).await?.unwrap_or_default();
    let buildings = org_store::locations(&state.db)
        .await?
        .into_iter()
        .filter(|l| l.active)
        .collect();
    let status_label = ctx.t(&format!("a11y-status-{}", settings.a11y_status));
    let demand_cards = demand_cards(&catalogue).await?;
    Ok(DeclarationPage {
        demand_cards,
        published: day(&ctx, settings.a11y_published_on),
        updated: day(&ctx, settings.a11y_updated_on),
        prepared: day(&ctx, settings.a11y_prepared_on),
        reviewed: day(&ctx, settings.a11y_reviewed_on),
        url: base_url(&state, &headers),
        office,
        settings,
        status_label,
        buildings,
        ctx,
    })
}
