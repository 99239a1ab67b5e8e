//! The public pages of problem reports: the form (made for a phone: a category, the
//! place, a description and photos), a report's public page with its status history,
//! and its photos.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Request, State};
use axum::response::Response;
use magistrat_domain::attachment::FileKind;

use super::rules::check_submission;
use super::service::{self, Channel, Note};
use super::store::{Attribute, Category, Report};

/// An attribute of the chosen category on the form, with the values given.
pub struct AttributeField {
    pub attribute: Attribute,
    /// The form field's name: `attribute[CODE]` (or `…[]` for several values).
    pub name: String,
    pub given: Vec<String>,
}

impl AttributeField {
    pub fn is_given(&self, value: &str) -> bool {
        self.given.iter().any(|g| g == value)
    }

    pub fn first(&self) -> &str {
        self.given.first().map_or("", String::as_str)
    }
}
use crate::app::AppState;
use crate::attachments::{self, CheckedFile, Limits};
use crate::auth::session::Visitor;
use crate::platform::form::{self, Field, FormBuilder, FormErrors};
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

/// At most this many photos, each at most 5 MB.
pub const PHOTO_LIMITS: Limits = Limits {
    max_file_bytes: 5 * 1024 * 1024,
    max_item_bytes: 15 * 1024 * 1024,
    max_files: 3,
};

#[derive(Template, WebTemplate)]
#[template(path = "problem_reports/new.html")]
pub struct NewPage {
    pub ctx: PageCtx,
    /// Step one: the kinds of problem to choose from (links).
    pub categories: Vec<Category>,
    /// Step two: the chosen kind, its attributes with the values given.
    pub chosen: Option<Category>,
    pub attributes: Vec<AttributeField>,
    pub attributes_error: Option<String>,
    pub service_code: Field,
    pub lat: Field,
    pub long: Field,
    pub address: Field,
    pub description: Field,
    pub email: Field,
    pub photos_hint: String,
    pub photos_error: Option<String>,
    pub error_summary: Vec<(String, String)>,
}

/// The chosen category's attributes with the values the form gave.
fn attribute_fields(k: &Category, pairs: &[(String, String)]) -> Vec<AttributeField> {
    k.attribute_list()
        .into_iter()
        .map(|a| {
            let name = if a.datatype == "multivaluelist" {
                format!("attribute[{}][]", a.code)
            } else {
                format!("attribute[{}]", a.code)
            };
            let given = pairs
                .iter()
                .filter(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
                .collect();
            AttributeField {
                attribute: a,
                name,
                given,
            }
        })
        .collect()
}

async fn new_page(
    state: &AppState,
    ctx: PageCtx,
    pairs: &[(String, String)],
    errors: &FormErrors,
) -> AppResult<NewPage> {
    let lang = ctx.lang;
    let categories: Vec<Category> = service::categories(&state.db)
        .await?
        .into_iter()
        .filter(|k| k.active)
        .collect();
    let code = form::value(pairs, "service_code").trim();
    let chosen = categories.iter().find(|k| k.code == code).cloned();
    let attributes = chosen
        .as_ref()
        .map(|k| attribute_fields(k, pairs))
        .unwrap_or_default();
    let mut f = FormBuilder::new(lang, errors);
    let v = |n: &str| form::value(pairs, n).to_owned();
    let service_code = f.field(
        Field::text(lang, "service_code", "report-category", v("service_code")).select_after(
            lang,
            "report-category-choose",
            categories
                .iter()
                .filter(|k| k.active)
                .map(|k| (k.code.clone(), k.name.clone())),
        ),
    );
    let lat = f.field(Field::text(lang, "lat", "report-lat", v("lat")).optional());
    let long = f.field(Field::text(lang, "long", "report-long", v("long")).optional());
    let address = f.field(
        Field::text(
            lang,
            "address_string",
            "report-address",
            v("address_string"),
        )
        .optional()
        .autocomplete("street-address"),
    );
    let mut description = Field::text(lang, "description", "report-description", v("description"))
        .optional()
        .hint(lang, "report-description-hint");
    description.kind = "textarea";
    let description = f.field(description);
    let email = f.field(
        Field::text(lang, "email", "report-email", v("email"))
            .kind("email")
            .optional()
            .autocomplete("email")
            .hint(lang, "report-email-hint"),
    );
    f.label("photos", "report-photos");
    f.label("attribute", "report-attributes");
    let attributes_error = errors.get("attribute").map(|e| lang.t(e));
    let photos_error = errors.get("photos").map(|e| lang.t(e));
    Ok(NewPage {
        error_summary: f.summary(),
        categories,
        chosen,
        attributes,
        attributes_error,
        photos_hint: lang.t("report-photos-hint"),
        photos_error,
        service_code,
        lat,
        long,
        address,
        description,
        email,
        ctx,
    })
}

/// Step one without `?service_code=`: the kinds of problem; step two with it: the form.
pub async fn new(
    State(state): State<AppState>,
    ctx: PageCtx,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> AppResult<NewPage> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .filter(|(k, _)| k == "service_code")
        .collect();
    new_page(&state, ctx, &pairs, &FormErrors::new()).await
}

/// Only photographs: JPEG or PNG, proven by their bytes.
fn check_photos(form: &attachments::UploadForm, errors: &mut FormErrors) -> Vec<CheckedFile> {
    let uploads = form.files_of("photos").filter(|u| !u.bytes.is_empty());
    let photos = attachments::check_uploads(uploads, "photos", &PHOTO_LIMITS, errors);
    if photos
        .iter()
        .any(|p| !matches!(p.kind, FileKind::Jpeg | FileKind::Png))
    {
        errors.add("photos", "report-error-photo-kind");
    }
    let refs: Vec<&CheckedFile> = photos.iter().collect();
    attachments::check_total(&refs, "photos", &PHOTO_LIMITS, errors);
    photos
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    axum::Extension(visitor): axum::Extension<Visitor>,
    request: Request,
) -> AppResult<Response> {
    let form = attachments::read_multipart(request).await?;
    let pairs: Vec<(String, String)> = form
        .fields
        .iter()
        .filter(|(k, _)| k != "_csrf")
        .cloned()
        .collect();
    let mut errors = FormErrors::new();
    let photos = check_photos(&form, &mut errors);
    let code = form::value(&pairs, "service_code").trim().to_owned();
    let category = if code.is_empty() {
        None
    } else {
        service::category(&state.db, &code).await?
    };
    let (area, _) = service::area(&state.db).await?;
    let checked = check_submission(&pairs, category.as_ref(), &area);
    if let Err(problems) = &checked {
        for p in problems {
            errors.add(p.field(), p.message_key());
        }
    }
    match checked {
        Ok(new) if errors.is_empty() => {
            let filed = service::file(
                &state.db,
                &visitor.actor(),
                None,
                Channel::Web,
                new,
                &photos,
            )
            .await?;
            Ok(redirect_with_flash(
                &format!("/reports/{}", filed.id),
                "report-filed",
                state.config.behind_tls(),
            ))
        }
        _ => {
            let page = new_page(&state, ctx, &pairs, &errors).await?;
            Ok(form::respond(&errors, page))
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "problem_reports/report.html")]
pub struct ReportPage {
    pub ctx: PageCtx,
    pub report: Report,
    pub notes: Vec<Note>,
    pub photos: Vec<i64>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<ReportPage> {
    let report = service::report(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ReportPage {
        ctx,
        notes: service::notes(&state.db, id).await?,
        photos: service::photos(&state.db, id).await?,
        report,
    })
}

/// A report's photo (only a photo of that report).
pub async fn photo(
    State(state): State<AppState>,
    Path((id, attachment)): Path<(i64, i64)>,
) -> AppResult<Response> {
    if !service::photos(&state.db, id).await?.contains(&attachment) {
        return Err(AppError::NotFound);
    }
    let file = attachments::load(&state.db, attachment)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(attachments::download(file))
}
