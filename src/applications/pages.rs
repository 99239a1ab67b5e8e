//! The resident's side of an e-service: the application form of a service card, the
//! filing (checked and filed by `service::apply`), and the confirmation of filing (HTML
//! and PDF).

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use super::confirmation::{self, Confirmation, Handler};
use super::filing::{self, Client};
use super::rations::FilingRations;
use super::service::{self, Application, Outcome, Upload};
use super::store::{self, Filed, Via};
use crate::app::AppState;
use crate::attachments;
use crate::auth::secret::random_token;
use crate::auth::session::Visitor;
use crate::platform::form::{self, FormBuilder, FormErrors};
use crate::service_cards::form_definition::{FieldKind, FormDefinition, InputSpec};
use crate::service_cards::store::{self as cards, ServiceCard};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::{Arg, Lang};
use crate::web::page::PageCtx;
use crate::web::pdf;
use crate::web::refusals;

/// One field of the form as the template shows it.
pub struct FieldView {
    pub name: String,
    pub label: String,
    pub help: String,
    pub spec: InputSpec,
    pub value: String,
    pub error: Option<String>,
}

impl FieldView {
    pub fn id(&self) -> String {
        form::field_id(&self.name)
    }

    pub fn described_by(&self) -> String {
        form::described_by(&self.name, !self.help.is_empty(), self.error.is_some())
    }

    pub fn is_checkbox(&self) -> bool {
        self.spec.input_type == "checkbox"
    }
}

/// The definition's fields as the page shows them, each with its error, named in the
/// builder's summary by its label in the visitor's language.
fn field_views(
    form: &mut FormBuilder<'_>,
    lang: Lang,
    def: &FormDefinition,
    values: &BTreeMap<String, String>,
) -> Vec<FieldView> {
    def.fields
        .iter()
        .map(|f| {
            let label = f.label.get(lang.code()).to_owned();
            form.label_as(f.name.clone(), label.clone());
            FieldView {
                name: f.name.clone(),
                label,
                help: f.help.get(lang.code()).to_owned(),
                spec: f.input(lang.code(), &def.attachments),
                value: if f.kind == FieldKind::File {
                    String::new()
                } else {
                    values.get(&f.name).cloned().unwrap_or_default()
                },
                error: form.error(&f.name),
            }
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "applications/apply.html")]
pub struct ApplyPage {
    pub ctx: PageCtx,
    pub card: ServiceCard,
    pub fields: Vec<FieldView>,
    pub submission_key: String,
    /// (field id, message) for the summary at the top.
    pub error_summary: Vec<(String, String)>,
    pub files_hint: String,
    pub had_files: bool,
    /// The office's information clause (RODO art. 13), shown beside the submit button.
    pub rodo: Option<Vec<crate::rodo::service::ShownPart>>,
}

fn files_hint(lang: Lang, def: &FormDefinition) -> String {
    let rules = &def.attachments;
    lang.t_args(
        "app-files-hint",
        &[
            ("types", Arg::Str(rules.accept().replace(',', ", "))),
            ("count", Arg::Num(i64::from(rules.max_files))),
            (
                "size",
                Arg::Str(attachments::limit_text(
                    usize::try_from(rules.max_size_bytes).unwrap_or(usize::MAX),
                )),
            ),
        ],
    )
}

pub async fn form(
    State(state): State<AppState>,
    ctx: PageCtx,
    visitor: Visitor,
    Path(code): Path<String>,
) -> AppResult<ApplyPage> {
    let e = service::eservice(&state.db, &code).await?;
    // A signed-in resident files with the address their cases are listed under.
    let mut values = BTreeMap::new();
    if let Some(resident) = &visitor.resident {
        values.insert("email".to_owned(), resident.email.clone());
    }
    let no_errors = FormErrors::new();
    let rodo = crate::rodo::service::shown_clause(&state.db, ctx.lang).await?;
    Ok(ApplyPage {
        rodo,
        fields: field_views(
            &mut FormBuilder::new(ctx.lang, &no_errors),
            ctx.lang,
            &e.definition,
            &values,
        ),
        files_hint: files_hint(ctx.lang, &e.definition),
        card: e.card,
        submission_key: random_token(),
        error_summary: Vec::new(),
        had_files: false,
        ctx,
    })
}

/// What the e-service form posted: the answers, the submission key and the files.
struct Posted {
    values: BTreeMap<String, String>,
    key: String,
    uploads: Vec<Upload>,
    had_files: bool,
}

async fn read_posted(request: Request) -> AppResult<Posted> {
    let form = attachments::read_multipart(request).await?;
    let mut values = BTreeMap::new();
    let mut key = String::new();
    for (name, value) in form.fields {
        match name.as_str() {
            "_csrf" => {}
            "submission_key" => key = value,
            _ => {
                values.insert(name, value);
            }
        }
    }
    let had_files = !form.files.is_empty();
    let uploads = form
        .files
        .into_iter()
        .map(|u| Upload {
            field: u.field,
            file_name: u.file_name,
            declared_type: u.declared_type,
            bytes: u.bytes.to_vec(),
        })
        .collect();
    Ok(Posted {
        values,
        key,
        uploads,
        had_files,
    })
}

pub async fn submit(
    State(state): State<AppState>,
    State(rations): State<Arc<FilingRations>>,
    ctx: PageCtx,
    Path(code): Path<String>,
    request: Request,
) -> AppResult<Response> {
    let visitor = request
        .extensions()
        .get::<Visitor>()
        .cloned()
        .ok_or(AppError::Csrf)?;
    let ip = visitor.ip.as_deref();
    // The day's quota is checked before the form (and its files) is read.
    if let Err(seconds) = rations.web_left(ip, &state.clock.now_in_warsaw()) {
        let path = request.uri().path().to_owned();
        refusals::note(&state, "web-filing-quota", ip, "POST", &path);
        return Err(AppError::TooManyRequests(seconds));
    }
    let e = service::eservice(&state.db, &code).await?;
    let Posted {
        values,
        key,
        uploads,
        had_files,
    } = read_posted(request).await?;
    let submission_key = filing::submission_key(&key).unwrap_or_else(random_token);
    let application = Application {
        lang: ctx.lang,
        values: values.clone(),
        uploads,
        submission_key: submission_key.clone(),
        client: Client::Browser(visitor.csrf_token.clone()),
        via: Via::Web,
    };
    let rodo = crate::rodo::service::shown_clause(&state.db, ctx.lang).await?;
    match service::apply(&state, &visitor.actor(), &e, application).await? {
        Outcome::Filed(filed) => {
            if !filed.repeated {
                rations.web_filed(ip, &state.clock.now_in_warsaw());
            }
            Ok(Redirect::to(&format!("/applications/{}", filed.tracking_code)).into_response())
        }
        Outcome::Refused(errors) => Ok(form_again(
            ctx,
            rodo,
            e,
            &values,
            &errors,
            submission_key,
            had_files,
        )),
        // This form was sent before with other answers (the back button after a
        // filing): nothing filed; the answers stay, and a fresh key lets the resident
        // file them as a new application if that is what they meant.
        Outcome::KeyReused => {
            let errors = e
                .definition
                .fields
                .first()
                .map(|f| FormErrors::one(f.name.clone(), "app-form-sent-before"))
                .unwrap_or_default();
            Ok(form_again(
                ctx,
                rodo,
                e,
                &values,
                &errors,
                random_token(),
                had_files,
            ))
        }
    }
}

/// The form shown again with the answers given and what is wrong with them (422).
fn form_again(
    ctx: PageCtx,
    rodo: Option<Vec<crate::rodo::service::ShownPart>>,
    e: service::EService,
    values: &BTreeMap<String, String>,
    errors: &FormErrors,
    submission_key: String,
    had_files: bool,
) -> Response {
    let mut builder = FormBuilder::new(ctx.lang, errors);
    let fields = field_views(&mut builder, ctx.lang, &e.definition, values);
    let error_summary = builder.summary();
    let page = ApplyPage {
        rodo,
        fields,
        files_hint: files_hint(ctx.lang, &e.definition),
        card: e.card,
        submission_key,
        error_summary,
        had_files,
        ctx,
    };
    form::respond(errors, page)
}

#[derive(Template, WebTemplate)]
#[template(path = "applications/confirmation.html")]
pub struct ConfirmationPage {
    pub ctx: PageCtx,
    pub filed: Filed,
    /// „3 grudnia 2026 r., godz. 19:05”.
    pub submitted: String,
    /// „17 grudnia 2026”.
    pub due: String,
    /// What happens next, a sentence each.
    pub next_steps: Vec<String>,
    /// (label, answer as the resident saw it).
    pub answers: Vec<(String, String)>,
    /// The office's information clause (RODO art. 13), as given at filing.
    pub rodo: Option<Vec<crate::rodo::service::ShownPart>>,
}

/// The filing under `code` and its confirmation's handler (the card's unit and
/// contact).
async fn filed_with_handler(state: &AppState, code: &str) -> AppResult<(Filed, Handler)> {
    let filed = store::by_tracking_code(&state.db, code)
        .await?
        .ok_or(AppError::NotFound)?;
    let handler = match cards::card_by_code(&state.db, &filed.document.service_card).await? {
        Some(card) => service::handler(state, &card).await,
        None => Handler::default(),
    };
    Ok((filed, handler))
}

pub async fn confirmation(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> AppResult<ConfirmationPage> {
    let (filed, handler) = filed_with_handler(&state, &code).await?;
    let c = Confirmation {
        lang: ctx.lang,
        filed: &filed,
        handler,
    };
    let rodo = crate::rodo::service::shown_clause(&state.db, ctx.lang).await?;
    Ok(ConfirmationPage {
        rodo,
        submitted: c.submitted(),
        due: c.due(),
        next_steps: c.next_steps(),
        answers: c.answers(),
        filed,
        ctx,
    })
}

pub async fn confirmation_pdf(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let (filed, handler) = filed_with_handler(&state, &code).await?;
    let c = Confirmation {
        lang: ctx.lang,
        filed: &filed,
        handler,
    };
    let mut document = c.document();
    // The information clause given at filing (RODO art. 13), as on the page.
    if let Some(parts) = crate::rodo::service::shown_clause(&state.db, ctx.lang).await? {
        document.sections.push(pdf::PdfSection {
            heading: Some(ctx.t("rodo-section-title")),
            rows: parts.into_iter().map(|p| (p.heading, p.text)).collect(),
        });
    }
    let bytes = pdf::render(&document).map_err(|e| AppError::Internal(e.into()))?;
    let name = confirmation::pdf_name(&filed);
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
