//! `GET /api/v1/service-cards` and `GET /api/v1/service-cards/{code}`: the published
//! cards, as the public pages show them.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Extension, Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::validation_error;
use crate::app::AppState;
use crate::auth::session::Visitor;
use crate::org::store as org;
use crate::service_cards::catalogue::{CardQuery, CatalogueCache};
use crate::service_cards::form_definition::{self, FieldKind, FormDefinition};
use crate::service_cards::public::unit_by_symbol;
use crate::web::error::{AppError, AppResult};

pub const MAX_PER_PAGE: u32 = 100;
/// The highest page number asked for (100 × 100,000 cards is more than any office has).
pub const MAX_PAGE: u32 = 100_000;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page number, 1–100000 (default 1); outside that, 422.
    #[param(minimum = 1, maximum = 100_000)]
    pub page: Option<u32>,
    /// Cards per page, 1–100 (default 20); outside that, 422.
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
    /// Words to find in the code, name or description; case and Polish diacritics are
    /// ignored ("zaswiadczenie" finds "Zaświadczenie"). The pattern of `q` and `unit`:
    /// no control character but tab, LF and CR (the input boundary answers 400
    /// `control-characters`: `magistrat_domain::text::is_forbidden_control`).
    #[param(pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")]
    pub q: Option<String>,
    /// Only cards of the org unit with this symbol, e.g. `SA`.
    #[param(pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")]
    pub unit: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CardList {
    pub items: Vec<CardSummary>,
    pub page: u32,
    pub per_page: u32,
    /// All matching cards, on every page.
    pub total: i64,
}

#[derive(Serialize, ToSchema)]
pub struct UnitRef {
    pub symbol: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct CardSummary {
    /// e.g. `SA-14`.
    pub code: String,
    pub name: String,
    pub description: String,
    pub unit: UnitRef,
    /// Whether the matter can be filed online through its form.
    pub eservice: bool,
    /// The card's page for people.
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct Place {
    /// Building name and address, if given.
    pub location: Option<String>,
    pub room: String,
    pub hours_note: String,
    pub phone: String,
    pub email: String,
}

#[derive(Serialize, ToSchema)]
pub struct Document {
    pub name: String,
    /// `original`, `copy`, `certified_copy` or `to_show`.
    pub kind: String,
}

#[derive(Serialize, ToSchema)]
pub struct FeeItem {
    pub description: String,
    /// In grosze (1/100 zł).
    pub amount_grosze: i64,
    /// The payment account as an IBAN (`PL` + NRB).
    pub account_iban: String,
}

#[derive(Serialize, ToSchema)]
pub struct Deadline {
    /// As the card states it.
    pub text: String,
    /// The kind of case deciding the statutory term, e.g. `certificate`.
    pub case_kind: String,
    /// The statutory term: `immediately`, `7d`, `1m`…
    pub statutory_term: String,
    /// The provision setting it, e.g. `KPA art. 217 § 3`.
    pub source: String,
}

#[derive(Serialize, ToSchema)]
pub struct Channels {
    pub counter: bool,
    pub post: bool,
    pub email: bool,
    pub eservice: bool,
}

#[derive(Serialize, ToSchema)]
pub struct FileItem {
    pub title: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct Text {
    pub pl: String,
    pub en: String,
}

#[derive(Serialize, ToSchema)]
pub struct FormOption {
    pub value: String,
    pub label: Text,
}

#[derive(Serialize, ToSchema)]
pub struct FormField {
    /// The field's identifier in a submission.
    pub name: String,
    /// text, textarea, email, phone, date, number, pesel, nip, regon, postal_code,
    /// select, checkbox or file.
    #[serde(rename = "type")]
    pub kind: String,
    pub label: Text,
    pub help: Text,
    pub required: bool,
    pub max_length: u64,
    /// For `select` only.
    pub options: Vec<FormOption>,
}

#[derive(Serialize, ToSchema)]
pub struct Attachments {
    pub max_files: u32,
    pub max_size_bytes: u64,
    /// File kinds: pdf, odt, docx, doc, rtf, jpg, png.
    pub allowed_types: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Form {
    pub fields: Vec<FormField>,
    pub attachments: Attachments,
}

#[derive(Serialize, ToSchema)]
pub struct CardDetail {
    pub code: String,
    pub name: String,
    pub description: String,
    pub unit: UnitRef,
    pub legal_basis: Vec<String>,
    pub place: Place,
    pub documents: Vec<Document>,
    pub fees: Vec<FeeItem>,
    pub deadline: Deadline,
    pub appeal: String,
    pub remarks: String,
    pub channels: Channels,
    /// Forms to download.
    pub files: Vec<FileItem>,
    /// The e-service form, when the matter can be filed online.
    pub form: Option<Form>,
    /// When the card last changed (RFC 3339, UTC).
    pub updated_at: String,
    pub url: String,
}

fn unit_ref(units: &[org::OrgUnit], id: i64) -> UnitRef {
    units
        .iter()
        .find(|u| u.id == id)
        .map(|u| UnitRef {
            symbol: u.symbol.clone(),
            name: u.name.clone(),
        })
        .unwrap_or(UnitRef {
            symbol: String::new(),
            name: String::new(),
        })
}

fn text(t: &form_definition::Text) -> Text {
    Text {
        pl: t.pl.clone(),
        en: t.en.clone(),
    }
}

/// The definition in the API's shape.
pub fn form(def: &FormDefinition) -> Form {
    Form {
        fields: def
            .fields
            .iter()
            .map(|f| FormField {
                name: f.name.clone(),
                kind: f.kind.code().to_owned(),
                label: text(&f.label),
                help: text(&f.help),
                required: f.required,
                max_length: f.max_length as u64,
                options: match &f.kind {
                    FieldKind::Select(options) => options
                        .iter()
                        .map(|o| FormOption {
                            value: o.value.clone(),
                            label: text(&o.label),
                        })
                        .collect(),
                    _ => Vec::new(),
                },
            })
            .collect(),
        attachments: Attachments {
            max_files: def.attachments.max_files,
            max_size_bytes: def.attachments.max_size_bytes,
            allowed_types: def
                .attachments
                .allowed_types
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect(),
        },
    }
}

/// Published service cards, by name, a page at a time.
#[utoipa::path(
    get,
    path = "/api/v1/service-cards",
    tag = "service-cards",
    params(ListParams),
    responses(
        (status = 200, description = "A page of published cards", body = CardList),
        (status = 400, description = "A parameter is not of its type (e.g. `per_page=ten`, code `bad-request`) or holds a control character other than tab, LF and CR (`control-characters`)", body = crate::api::ErrorBody),
        (status = 422, description = "`page` or `per_page` out of its range", body = crate::api::ValidationErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    State(cache): State<CatalogueCache>,
    Extension(visitor): Extension<Visitor>,
    Query(params): Query<ListParams>,
) -> AppResult<Response> {
    let page = params.page.unwrap_or(1);
    let per_page = params.per_page.unwrap_or(20);
    let mut wrong = BTreeMap::new();
    for (name, value, max) in [
        ("page", page, MAX_PAGE),
        ("per_page", per_page, MAX_PER_PAGE),
    ] {
        if !(1..=max).contains(&value) {
            let message = visitor.lang.t_args(
                &format!("api-{}-range", name.replace('_', "-")),
                &[("max", i64::from(max).into())],
            );
            wrong.insert(name.to_owned(), message);
        }
    }
    if !wrong.is_empty() {
        return Ok(validation_error(visitor.lang, "invalid-parameters", wrong));
    }
    let catalogue = cache.get().await?;
    let units = &catalogue.units;
    let year = state.clock.year();
    // An unknown unit has no cards (rather than all of them): id -1 matches none.
    let unit_id = params
        .unit
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|symbol| unit_by_symbol(units, symbol, year).map_or(-1, |u| u.id));
    let text = params
        .q
        .as_deref()
        .map(|q| q.trim().chars().take(100).collect::<String>())
        .filter(|q| !q.is_empty());
    let found = catalogue.find(&CardQuery {
        text,
        online: false,
        unit_id,
        offset: (page as usize - 1) * per_page as usize,
        limit: per_page as usize,
    });
    let total = i64::try_from(found.total).unwrap_or(i64::MAX);
    let items = found
        .cards
        .into_iter()
        .map(|c| {
            let d = &c.card.data;
            CardSummary {
                unit: unit_ref(units, d.org_unit_id),
                eservice: d.channels.eservice,
                url: format!("/services/{}", d.code),
                code: d.code.clone(),
                name: d.name.clone(),
                description: d.description.clone(),
            }
        })
        .collect();
    Ok(Json(CardList {
        items,
        page,
        per_page,
        total,
    })
    .into_response())
}

/// One published card in full, with its e-service form definition.
#[utoipa::path(
    get,
    path = "/api/v1/service-cards/{code}",
    tag = "service-cards",
    params(("code" = String, Path, description = "The card's code, e.g. `SA-14`")),
    responses(
        (status = 200, description = "The card", body = CardDetail),
        (status = 400, description = "The query holds a control character other than tab, LF and CR (`control-characters`)", body = crate::api::ErrorBody),
        (status = 404, description = "No published card has this code", body = crate::api::ErrorBody)
    )
)]
pub async fn card(
    State(cache): State<CatalogueCache>,
    Path(code): Path<String>,
) -> AppResult<Json<CardDetail>> {
    let catalogue = cache.get().await?;
    let published = catalogue.card(&code).ok_or(AppError::NotFound)?;
    let card = &published.card;
    let units = &catalogue.units;
    let location = published
        .location
        .as_ref()
        .map(|l| format!("{}, {}, {} {}", l.name, l.street, l.postal_code, l.city));
    let files = &published.files;
    let d = &card.data;
    let kind = d.case_kind;
    Ok(Json(CardDetail {
        code: d.code.clone(),
        name: d.name.clone(),
        description: d.description.clone(),
        unit: unit_ref(units, d.org_unit_id),
        legal_basis: d.legal_basis.clone(),
        place: Place {
            location,
            room: d.room.clone(),
            hours_note: d.hours_note.clone(),
            phone: d.phone.clone(),
            email: d.email.clone(),
        },
        documents: d
            .documents
            .iter()
            .map(|doc| Document {
                name: doc.name.clone(),
                kind: doc.kind().as_str().to_owned(),
            })
            .collect(),
        fees: d
            .fees
            .iter()
            .map(|f| FeeItem {
                description: f.description.clone(),
                amount_grosze: f.amount_grosze,
                account_iban: format!("PL{}", f.account),
            })
            .collect(),
        deadline: Deadline {
            text: d.deadline.clone(),
            case_kind: kind.as_str().to_owned(),
            statutory_term: kind.term().to_string(),
            source: kind.source().to_owned(),
        },
        appeal: d.appeal.clone(),
        remarks: d.remarks.clone(),
        channels: Channels {
            counter: d.channels.counter,
            post: d.channels.post,
            email: d.channels.email,
            eservice: d.channels.eservice,
        },
        files: files
            .iter()
            .map(|f| FileItem {
                title: f.title.clone(),
                file_name: f.file_name.clone(),
                content_type: f.content_type.clone(),
                size_bytes: f.size_bytes,
                url: f.href(&d.code),
            })
            .collect(),
        form: d.form().as_ref().map(form),
        updated_at: card.updated_at.to_canonical(),
        url: format!("/services/{}", d.code),
    }))
}
