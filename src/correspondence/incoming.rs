//! The incoming register's pages: the list (filters, paging in SQL), the registration
//! form (with files), an item's details and its files' downloads.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, Request, State};
use axum::response::Response;
use serde::Deserialize;

use super::list::{self, IncomingColumn, Line, ListPage, Paging};
use super::rules::{Channel, IncomingForm, NewIncoming, UnitChoice};
use super::store::{self, IncomingItem, LinkedFile, ListFilter, Register};
use crate::app::AppState;
use crate::attachments::{self, UploadForm, check_total, check_uploads, read_multipart};
use crate::auth::policy::Permission;
use crate::auth::scope::{ScopedUnits, UnitScope};
use crate::auth::session::Staff;
use crate::platform::form::{self, Field, FormBuilder, FormErrors};
use crate::platform::table::{Column, Sort};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

/// The list's query string.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub q: String,
    pub before: Option<i64>,
    /// The column sorted by and its direction (`platform::table`).
    pub sort: Option<String>,
    pub dir: Option<String>,
    /// The page, in an order other than the register's own.
    pub page: Option<u32>,
}

impl ListQuery {
    /// The filter, or the fields that are wrong. `scope` is the user's units filter.
    pub fn parse(
        &self,
        channels: &[&str],
        scope: Option<String>,
    ) -> Result<ListFilter, FormErrors> {
        let mut errors = FormErrors::new();
        let year = match self.year.trim() {
            "" => None,
            y => match y.parse::<i32>() {
                Ok(y) if (1000..=9999).contains(&y) => Some(y),
                _ => {
                    errors.add("year", "corr-year-invalid");
                    None
                }
            },
        };
        let channel = match self.channel.trim() {
            "" => None,
            c if channels.contains(&c) => Some(c.to_owned()),
            _ => {
                errors.add("channel", "corr-channel-unknown");
                None
            }
        };
        let org_unit_id = match self.unit.trim() {
            "" => None,
            u => match u.parse::<i64>() {
                Ok(u) => Some(u),
                Err(_) => {
                    errors.add("unit", "corr-unit-unknown");
                    None
                }
            },
        };
        let text = self.q.trim().to_lowercase();
        if text.chars().count() > 200 {
            errors.add("q", "form-too-long");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ListFilter {
            year,
            channel,
            org_unit_id,
            text: (!text.is_empty()).then_some(text),
            units: scope,
            before: self.before.filter(|b| *b > 0),
        })
    }

    /// The list's URL with its filters, sorted by `sort`, and `at` (the page, or the
    /// id the next page starts below).
    pub fn href<C: Column>(&self, base: &str, sort: Sort<C>, at: Option<(&str, i64)>) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("year", &self.year)
            .append_pair("channel", &self.channel)
            .append_pair("unit", &self.unit)
            .append_pair("q", &self.q);
        sort.append_to(&mut query);
        if let Some((name, value)) = at {
            query.append_pair(name, &value.to_string());
        }
        format!("{base}?{}", query.finish())
    }
}

/// The list's filter fields.
pub struct Filters {
    pub year: Field,
    pub channel: Field,
    pub unit: Field,
    pub q: Field,
}

impl Filters {
    pub fn new(
        lang: Lang,
        query: &ListQuery,
        (channel_key, channels): (&str, Vec<(String, String)>),
        units: &ScopedUnits,
        errors: &FormErrors,
    ) -> Self {
        let mut channel_options = vec![(String::new(), lang.t("corr-filter-any"))];
        channel_options.extend(channels);
        Self {
            year: Field::text(lang, "year", "corr-filter-year", query.year.clone())
                .kind("number")
                .optional()
                .errors(lang, errors),
            channel: Field::text(lang, "channel", channel_key, query.channel.clone())
                .optional()
                .select(channel_options)
                .errors(lang, errors),
            unit: Field::text(lang, "unit", "corr-unit", query.unit.clone())
                .optional()
                .select(units.options(lang, lang.t("corr-filter-any"), &query.unit))
                .errors(lang, errors),
            q: Field::text(lang, "q", "corr-filter-text", query.q.clone())
                .kind("search")
                .optional()
                .hint(lang, "corr-filter-text-hint")
                .errors(lang, errors),
        }
    }
}

fn channel_options(lang: Lang) -> Vec<(String, String)> {
    Channel::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), lang.t(&c.label_key())))
        .collect()
}

/// The label of a stored channel code.
pub(super) fn channel_label(lang: Lang, code: &str) -> String {
    Channel::parse(code)
        .map(|c| lang.t(&c.label_key()))
        .unwrap_or_else(|| code.to_owned())
}

pub async fn list(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    scope: UnitScope,
    ctx: PageCtx,
    Query(query): Query<ListQuery>,
) -> AppResult<ListPage> {
    scope.user().require(Permission::ViewCorrespondence)?;
    let units = scope.units(Permission::ViewCorrespondence).await?;
    let lang = ctx.lang;
    let codes: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
    let sort = list::sort_of::<IncomingColumn>(&query);
    let paging = Paging::new(&query, list::order_of(sort));
    let (mut items, errors) = match query.parse(&codes, units.sql_filter()) {
        Ok(filter) => (
            store::list_incoming(&state.db, &filter, paging.slice()).await?,
            FormErrors::new(),
        ),
        Err(errors) => (Vec::new(), errors),
    };
    let base = list::base(false);
    let pages = paging.cut(&query, base, sort, &mut items, |item| item.row.id);
    let rows = items
        .into_iter()
        .map(|item| Line {
            when: ctx.datetime(&item.received_at),
            when_iso: Some(item.received_at.to_string()),
            delivered: None,
            channel: channel_label(lang, &item.row.channel),
            tracking_number: None,
            row: item.row,
        })
        .collect();
    Ok(ListPage {
        outgoing: false,
        filters: Filters::new(
            lang,
            &query,
            ("corr-channel", channel_options(lang)),
            &units,
            &errors,
        ),
        rows,
        headers: list::headers(lang, &query, base, sort),
        sort: (sort.column.code(), sort.dir()),
        pages,
        query: list_query(&query, sort),
        can_register: user.can(Permission::RegisterCorrespondence),
        scoped: !matches!(units.scope, crate::auth::policy::Scope::Office),
        ctx,
    })
}

/// The query of a list's URL without its page: what the CSV export takes.
pub(super) fn list_query<C: Column>(query: &ListQuery, sort: Sort<C>) -> String {
    query
        .href("", sort, None)
        .trim_start_matches('?')
        .to_owned()
}

/// A file input as the template renders it.
pub struct FileField {
    pub name: &'static str,
    pub label: String,
    pub hint: String,
    pub error: Option<String>,
    pub accept: String,
    pub multiple: bool,
}

impl FileField {
    pub fn new(
        lang: Lang,
        name: &'static str,
        label_key: &str,
        hint: String,
        multiple: bool,
        errors: &FormErrors,
    ) -> Self {
        Self {
            name,
            label: lang.t(label_key),
            hint,
            error: errors.get(name).map(|k| lang.t(k)),
            accept: attachments::accept_attribute(),
            multiple,
        }
    }

    pub fn id(&self) -> String {
        crate::platform::form::field_id(self.name)
    }

    pub fn described_by(&self) -> String {
        crate::platform::form::described_by(self.name, true, self.error.is_some())
    }
}

/// The fields both registers' forms ask the same way, in the order of the page: the
/// unit the letter is for (incoming) or from (outgoing), and the other party's name and
/// address.
pub struct Party {
    pub org_unit_id: Field,
    pub name: Field,
    pub address: Field,
}

/// The side the other party stands on: its inputs' names; labels and hints are
/// `corr-{name}` and `corr-{address}-hint` (underscores as hyphens).
pub struct Side {
    pub unit_label: &'static str,
    pub name: &'static str,
    pub address: &'static str,
}

pub const SENDER: Side = Side {
    unit_label: "corr-unit-to",
    name: "sender_name",
    address: "sender_address",
};

pub const RECIPIENT: Side = Side {
    unit_label: "corr-unit-from",
    name: "recipient_name",
    address: "recipient_address",
};

impl Party {
    pub fn fields(
        form: &mut FormBuilder<'_>,
        lang: Lang,
        units: &ScopedUnits,
        side: &Side,
    ) -> Self {
        let label = |name: &str| format!("corr-{}", name.replace('_', "-"));
        let chosen = form.value("org_unit_id");
        let org_unit_id = form
            .input("org_unit_id", side.unit_label)
            .required()
            .select(units.options(lang, lang.t("corr-choose"), chosen));
        let name = form.input(side.name, &label(side.name)).required();
        let address_label = label(side.address);
        let address = form
            .input(side.address, &address_label)
            .kind("textarea")
            .hint(lang, &format!("{address_label}-hint"));
        Self {
            org_unit_id,
            name,
            address,
        }
    }
}

/// The fields that close both registers' forms: the case the letter belongs to, notes
/// and the files.
pub struct Closing {
    pub case_id: Field,
    pub notes: Field,
    pub attachments: FileField,
}

impl Closing {
    pub fn fields(
        form: &mut FormBuilder<'_>,
        lang: Lang,
        state: &AppState,
        errors: &FormErrors,
    ) -> Self {
        let case_id = form
            .input("case_id", "corr-case-id")
            .kind("number")
            .hint(lang, "corr-case-id-hint");
        let notes = form.input("notes", "corr-notes").kind("textarea");
        let limits = state.config.attachment_limits();
        let attachments = FileField::new(
            lang,
            "attachments",
            "corr-attachments",
            attachments::hint(lang, &limits),
            true,
            errors,
        );
        form.label("attachments", "corr-attachments");
        Self {
            case_id,
            notes,
            attachments,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "correspondence/incoming_form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub channel: Field,
    pub received_on: Field,
    pub received_time: Field,
    pub org_unit_id: Field,
    pub sender_name: Field,
    pub sender_address: Field,
    pub sender_email: Field,
    pub sender_epuap: Field,
    pub sender_ade: Field,
    pub sender_reference: Field,
    pub sender_dated_on: Field,
    pub posted_on: Field,
    pub subject: Field,
    pub pages: Field,
    pub paper_attachments: Field,
    pub epuap_upp_id: Field,
    pub epuap_document_id: Field,
    pub edoreczenia_message_id: Field,
    pub edoreczenia_proof_ref: Field,
    pub case_id: Field,
    pub notes: Field,
    pub attachments: FileField,
    pub proof: FileField,
    pub error_summary: Vec<(String, String)>,
}

const TEXT_FIELDS: &[&str] = &[
    "channel",
    "received_on",
    "received_time",
    "org_unit_id",
    "sender_name",
    "sender_address",
    "sender_email",
    "sender_epuap",
    "sender_ade",
    "sender_reference",
    "sender_dated_on",
    "posted_on",
    "subject",
    "pages",
    "paper_attachments",
    "epuap_upp_id",
    "epuap_document_id",
    "edoreczenia_message_id",
    "edoreczenia_proof_ref",
    "case_id",
    "notes",
];

fn form_page(
    ctx: PageCtx,
    state: &AppState,
    units: &ScopedUnits,
    pairs: &[(String, String)],
    errors: &FormErrors,
) -> FormPage {
    let lang = ctx.lang;
    let mut form = FormBuilder::with_values(lang, errors, pairs);
    let channel = form
        .input("channel", "corr-channel")
        .required()
        .select_after(lang, "corr-choose", channel_options(lang));
    let received_on = form
        .input("received_on", "corr-received-on")
        .required()
        .kind("date");
    let received_time = form
        .input("received_time", "corr-received-time")
        .required()
        .kind("time")
        .hint(lang, "corr-received-time-hint");
    let party = Party::fields(&mut form, lang, units, &SENDER);
    let sender_email = form
        .input("sender_email", "corr-sender-email")
        .kind("email")
        .hint(lang, "corr-sender-email-hint");
    let sender_epuap = form
        .input("sender_epuap", "corr-sender-epuap")
        .hint(lang, "corr-epuap-hint");
    let sender_ade = form
        .input("sender_ade", "corr-sender-ade")
        .hint(lang, "corr-ade-hint");
    let sender_reference = form
        .input("sender_reference", "corr-sender-reference")
        .hint(lang, "corr-sender-reference-hint");
    let sender_dated_on = form
        .input("sender_dated_on", "corr-sender-dated-on")
        .kind("date")
        .hint(lang, "corr-sender-dated-on-hint");
    let posted_on = form
        .input("posted_on", "corr-posted-on")
        .kind("date")
        .hint(lang, "corr-posted-on-hint");
    let subject = form.input("subject", "corr-subject").required();
    let pages = form.input("pages", "corr-pages").kind("number");
    let paper_attachments = form
        .input("paper_attachments", "corr-paper-attachments")
        .kind("number");
    let epuap_upp_id = form.input("epuap_upp_id", "corr-epuap-upp-id");
    let epuap_document_id = form.input("epuap_document_id", "corr-epuap-document-id");
    let edoreczenia_message_id =
        form.input("edoreczenia_message_id", "corr-edoreczenia-message-id");
    let edoreczenia_proof_ref = form
        .input("edoreczenia_proof_ref", "corr-edoreczenia-proof-ref")
        .hint(lang, "corr-edoreczenia-proof-ref-hint");
    let closing = Closing::fields(&mut form, lang, state, errors);
    let proof = FileField::new(
        lang,
        "proof",
        "corr-proof",
        lang.t("corr-proof-hint"),
        true,
        errors,
    );
    form.label("proof", "corr-proof");
    let error_summary = form.summary();
    FormPage {
        ctx,
        channel,
        received_on,
        received_time,
        org_unit_id: party.org_unit_id,
        sender_name: party.name,
        sender_address: party.address,
        sender_email,
        sender_epuap,
        sender_ade,
        sender_reference,
        sender_dated_on,
        posted_on,
        subject,
        pages,
        paper_attachments,
        epuap_upp_id,
        epuap_document_id,
        edoreczenia_message_id,
        edoreczenia_proof_ref,
        case_id: closing.case_id,
        notes: closing.notes,
        attachments: closing.attachments,
        proof,
        error_summary,
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    scope: UnitScope,
    ctx: PageCtx,
) -> AppResult<FormPage> {
    user.require(Permission::RegisterCorrespondence)?;
    let units = scope.units(Permission::RegisterCorrespondence).await?;
    let now = state.clock.now_in_warsaw();
    let defaults = vec![
        ("received_on".to_owned(), now.date().to_string()),
        (
            "received_time".to_owned(),
            now.strftime("%H:%M").to_string(),
        ),
    ];
    Ok(form_page(
        ctx,
        &state,
        &units,
        &defaults,
        &FormErrors::new(),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    scope: UnitScope,
    ctx: PageCtx,
    request: Request,
) -> AppResult<Response> {
    user.require(Permission::RegisterCorrespondence)?;
    let units = scope.units(Permission::RegisterCorrespondence).await?;
    let mut upload: UploadForm = read_multipart(request).await?;
    super::znak_to_case_id(&state.db, &mut upload.fields).await?;
    let limits = state.config.attachment_limits();
    let exists = |u: i64| units.exists(u);
    let allowed = |u: i64| units.allows(u);
    let parsed = NewIncoming::try_from(IncomingForm {
        pairs: &upload.fields,
        now: state.clock.now(),
        units: &UnitChoice {
            exists: &exists,
            allowed: &allowed,
        },
    });
    let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
    super::check_case(&state.db, &scope, &upload.fields, &mut errors).await?;
    let files = check_uploads(
        upload.files_of("attachments"),
        "attachments",
        &limits,
        &mut errors,
    );
    let proofs = check_uploads(upload.files_of("proof"), "proof", &limits, &mut errors);
    check_total(
        &files.iter().chain(proofs.iter()).collect::<Vec<_>>(),
        "attachments",
        &limits,
        &mut errors,
    );
    let new = match parsed {
        Ok(new) if errors.is_empty() => new,
        _ => {
            let fields: Vec<(String, String)> = upload
                .fields
                .into_iter()
                .filter(|(k, _)| TEXT_FIELDS.contains(&k.as_str()))
                .collect();
            let page = form_page(ctx, &state, &units, &fields, &errors);
            return Ok(form::respond(&errors, page));
        }
    };
    let actor = visitor.actor();
    let mut tx = state.db.begin().await?;
    let mut new: NewIncoming = new;
    for file in &files {
        new.attachments
            .push(attachments::store(&mut tx, &actor, file).await?.0);
    }
    for file in &proofs {
        new.proofs
            .push(attachments::store(&mut tx, &actor, file).await?.0);
    }
    let registered = store::register_incoming(&mut tx, &actor, &new).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        &format!("/staff/correspondence/{}", registered.id),
        "corr-incoming-registered",
        state.config.behind_tls(),
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "correspondence/incoming.html")]
pub struct ItemPage {
    pub ctx: PageCtx,
    pub item: IncomingItem,
    pub channel: String,
    pub received: String,
    pub registered: String,
    pub unit: String,
    pub files: Vec<LinkedFile>,
}

/// The item `id` if the user's `ViewCorrespondence` reaches it: 404 when there is none,
/// 403 outside the scope.
async fn load_visible(
    state: &AppState,
    scope: &UnitScope,
    id: i64,
) -> AppResult<(IncomingItem, ScopedUnits)> {
    scope.user().require(Permission::ViewCorrespondence)?;
    let units = scope.units(Permission::ViewCorrespondence).await?;
    let item = store::incoming(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    units.require(item.org_unit_id)?;
    Ok((item, units))
}

pub async fn show(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<ItemPage> {
    let (item, units) = load_visible(&state, &scope, id).await?;
    let files = store::files(&state.db, Register::Incoming, id).await?;
    let registered = super::registered_text(
        &state,
        ctx.lang,
        ctx.datetime(&item.registered_at),
        item.registered_by,
    )
    .await?;
    Ok(ItemPage {
        channel: ctx.t(&item.channel.label_key()),
        received: ctx.datetime(&item.received_at),
        registered,
        unit: units.symbol(item.org_unit_id),
        files,
        item,
        ctx,
    })
}

pub async fn download(
    State(state): State<AppState>,
    scope: UnitScope,
    Path((id, file_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    load_visible(&state, &scope, id).await?;
    if !store::has_file(&state.db, Register::Incoming, id, file_id).await? {
        return Err(AppError::NotFound);
    }
    let file = attachments::load(&state.db, file_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(attachments::download(file))
}
