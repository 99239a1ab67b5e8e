//! The outgoing register's pages: the list, the registration form (with files), an
//! item's details with the form recording its proof of delivery, downloads.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, Request, State};
use axum::response::Response;

use super::incoming::{Closing, FileField, Filters, ListQuery, Party, RECIPIENT, list_query};
use super::list::{self, Line, ListPage, OutgoingColumn, Paging};
use super::rules::{self, Delivery, LetterType, NewOutgoing, OutChannel, OutgoingForm, UnitChoice};
use super::store::{self, LinkedFile, OutgoingItem, Register};
use crate::app::AppState;
use crate::attachments::{self, check_total, check_uploads, read_multipart};
use crate::auth::policy::{Permission, Scope};
use crate::auth::scope::{ScopedUnits, UnitScope};
use crate::auth::session::Staff;
use crate::platform::form::{self, Field, FormBuilder, FormErrors, value};
use crate::platform::table::Column;
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

fn channel_options(lang: Lang) -> Vec<(String, String)> {
    OutChannel::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), lang.t(&c.label_key())))
        .collect()
}

pub(super) fn channel_label(lang: Lang, code: &str) -> String {
    OutChannel::parse(code)
        .map(|c| lang.t(&c.label_key()))
        .unwrap_or_else(|| code.to_owned())
}

fn letter_label(lang: Lang, code: Option<&str>) -> String {
    code.and_then(LetterType::parse)
        .map(|t| lang.t(&t.label_key()))
        .unwrap_or_default()
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
    let codes: Vec<&str> = OutChannel::ALL.iter().map(|c| c.as_str()).collect();
    let sort = list::sort_of::<OutgoingColumn>(&query);
    let paging = Paging::new(&query, list::order_of(sort));
    let (mut items, errors) = match query.parse(&codes, units.sql_filter()) {
        Ok(filter) => (
            store::list_outgoing(&state.db, &filter, paging.slice()).await?,
            FormErrors::new(),
        ),
        Err(errors) => (Vec::new(), errors),
    };
    let base = list::base(true);
    let pages = paging.cut(&query, base, sort, &mut items, |item| item.row.id);
    let rows = items
        .into_iter()
        .map(|item| Line {
            when: ctx.date(&item.sent_on.to_jiff()),
            when_iso: None,
            delivered: item.delivered_on.map(|d| ctx.date(&d.to_jiff())),
            channel: channel_label(lang, &item.row.channel),
            tracking_number: (!item.tracking_number.is_empty()).then_some(item.tracking_number),
            row: item.row,
        })
        .collect();
    Ok(ListPage {
        outgoing: true,
        filters: Filters::new(
            lang,
            &query,
            ("corr-out-channel", channel_options(lang)),
            &units,
            &errors,
        ),
        rows,
        headers: list::headers(lang, &query, base, sort),
        sort: (sort.column.code(), sort.dir()),
        pages,
        query: list_query(&query, sort),
        can_register: user.can(Permission::RegisterCorrespondence),
        scoped: !matches!(units.scope, Scope::Office),
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "correspondence/outgoing_form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub channel: Field,
    pub letter_type: Field,
    pub tracking_number: Field,
    pub sent_on: Field,
    pub org_unit_id: Field,
    pub recipient_name: Field,
    pub recipient_address: Field,
    pub electronic_address: Field,
    pub subject: Field,
    pub case_id: Field,
    pub notes: Field,
    pub attachments: FileField,
    pub error_summary: Vec<(String, String)>,
}

const TEXT_FIELDS: &[&str] = &[
    "channel",
    "letter_type",
    "tracking_number",
    "sent_on",
    "org_unit_id",
    "recipient_name",
    "recipient_address",
    "electronic_address",
    "subject",
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
    let letters = LetterType::ALL
        .iter()
        .map(|t| (t.as_str().to_owned(), lang.t(&t.label_key())));
    let channel = form
        .input("channel", "corr-out-channel")
        .required()
        .select_after(lang, "corr-choose", channel_options(lang));
    let letter_type = form
        .input("letter_type", "corr-letter-type")
        .select_after(lang, "corr-letter-none", letters)
        .hint(lang, "corr-letter-type-hint");
    let tracking_number = form
        .input("tracking_number", "corr-tracking-number")
        .hint(lang, "corr-tracking-number-hint");
    let sent_on = form
        .input("sent_on", "corr-sent-on")
        .required()
        .kind("date");
    let party = Party::fields(&mut form, lang, units, &RECIPIENT);
    let electronic_address = form
        .input("electronic_address", "corr-electronic-address")
        .hint(lang, "corr-electronic-address-hint");
    let subject = form.input("subject", "corr-subject").required();
    let closing = Closing::fields(&mut form, lang, state, errors);
    let error_summary = form.summary();
    FormPage {
        ctx,
        channel,
        letter_type,
        tracking_number,
        sent_on,
        org_unit_id: party.org_unit_id,
        recipient_name: party.name,
        recipient_address: party.address,
        electronic_address,
        subject,
        case_id: closing.case_id,
        notes: closing.notes,
        attachments: closing.attachments,
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
    let defaults = vec![("sent_on".to_owned(), state.clock.today().to_string())];
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
    let mut upload = read_multipart(request).await?;
    super::znak_to_case_id(&state.db, &mut upload.fields).await?;
    let limits = state.config.attachment_limits();
    let exists = |u: i64| units.exists(u);
    let allowed = |u: i64| units.allows(u);
    let parsed = NewOutgoing::try_from(OutgoingForm {
        pairs: &upload.fields,
        today: state.clock.today(),
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
    check_total(
        &files.iter().collect::<Vec<_>>(),
        "attachments",
        &limits,
        &mut errors,
    );
    let mut new = match parsed {
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
    for file in &files {
        new.attachments
            .push(attachments::store(&mut tx, &actor, file).await?.0);
    }
    let registered = store::register_outgoing(&mut tx, &actor, &new).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        &format!("/staff/correspondence/outgoing/{}", registered.id),
        "corr-outgoing-registered",
        state.config.behind_tls(),
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "correspondence/outgoing.html")]
pub struct ItemPage {
    pub ctx: PageCtx,
    pub item: OutgoingItem,
    pub channel: String,
    pub letter_type: String,
    pub sent: String,
    pub delivered: Option<String>,
    pub registered: String,
    pub unit: String,
    pub files: Vec<LinkedFile>,
    /// The delivery form, when the user may record one.
    pub delivery: Option<DeliveryForm>,
    pub error_summary: Vec<(String, String)>,
}

pub struct DeliveryForm {
    pub delivered_on: Field,
    pub delivery_note: Field,
    pub proof: FileField,
}

async fn load_visible(
    state: &AppState,
    scope: &UnitScope,
    id: i64,
) -> AppResult<(OutgoingItem, ScopedUnits)> {
    scope.user().require(Permission::ViewCorrespondence)?;
    let units = scope.units(Permission::ViewCorrespondence).await?;
    let item = store::outgoing(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    units.require(item.org_unit_id)?;
    Ok((item, units))
}

async fn item_page(
    ctx: PageCtx,
    state: &AppState,
    scope: &UnitScope,
    item: OutgoingItem,
    units: &ScopedUnits,
    pairs: &[(String, String)],
    errors: &FormErrors,
) -> AppResult<ItemPage> {
    let lang = ctx.lang;
    let register = scope.units(Permission::RegisterCorrespondence).await?;
    let mut summary = Vec::new();
    let delivery = register.allows(item.org_unit_id).then(|| {
        let mut form = FormBuilder::new(lang, errors);
        let delivered_on = form.field(
            Field::text(
                lang,
                "delivered_on",
                "corr-delivered-on",
                value(pairs, "delivered_on"),
            )
            .kind("date"),
        );
        let delivery_note = form.field(
            Field::text(
                lang,
                "delivery_note",
                "corr-delivery-note",
                value(pairs, "delivery_note"),
            )
            .optional()
            .hint(lang, "corr-delivery-note-hint"),
        );
        let proof = FileField::new(
            lang,
            "proof",
            "corr-delivery-proof",
            attachments::hint(lang, &state.config.attachment_limits()),
            false,
            errors,
        );
        form.label("proof", "corr-delivery-proof");
        summary = form.summary();
        DeliveryForm {
            delivered_on,
            delivery_note,
            proof,
        }
    });
    let registered = super::registered_text(
        state,
        lang,
        ctx.datetime(&item.registered_at),
        item.registered_by,
    )
    .await?;
    Ok(ItemPage {
        channel: lang.t(&item.channel.label_key()),
        letter_type: letter_label(lang, item.letter_type.as_deref()),
        sent: ctx.date(&item.sent_on.to_jiff()),
        delivered: item.delivered_on.map(|d| ctx.date(&d.to_jiff())),
        registered,
        unit: units.symbol(item.org_unit_id),
        files: store::files(&state.db, Register::Outgoing, item.id).await?,
        delivery,
        error_summary: summary,
        item,
        ctx,
    })
}

pub async fn show(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<ItemPage> {
    let (item, units) = load_visible(&state, &scope, id).await?;
    item_page(ctx, &state, &scope, item, &units, &[], &FormErrors::new()).await
}

pub async fn record_delivery(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
    request: Request,
) -> AppResult<Response> {
    user.require(Permission::RegisterCorrespondence)?;
    let (item, units) = load_visible(&state, &scope, id).await?;
    scope
        .units(Permission::RegisterCorrespondence)
        .await?
        .require(item.org_unit_id)?;
    let upload = read_multipart(request).await?;
    let limits = state.config.attachment_limits();
    let parsed = Delivery::try_from(rules::DeliveryForm {
        pairs: &upload.fields,
        sent_on: item.sent_on.to_jiff(),
        today: state.clock.today(),
    });
    let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
    let proofs = check_uploads(upload.files_of("proof"), "proof", &limits, &mut errors);
    if proofs.len() > 1 {
        errors.add("proof", "attachment-too-many");
    }
    let delivery = match parsed {
        Ok(d) if errors.is_empty() => d,
        _ => {
            let fields: Vec<(String, String)> = upload
                .fields
                .into_iter()
                .filter(|(k, _)| k == "delivered_on" || k == "delivery_note")
                .collect();
            let page = item_page(ctx, &state, &scope, item, &units, &fields, &errors).await?;
            return Ok(form::respond(&errors, page));
        }
    };
    let actor = visitor.actor();
    let mut tx = state.db.begin().await?;
    let proof = match proofs.first() {
        Some(file) => Some(attachments::store(&mut tx, &actor, file).await?.0),
        None => None,
    };
    store::record_delivery(&mut tx, &actor, &item, &delivery, proof).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        &format!("/staff/correspondence/outgoing/{id}"),
        "corr-delivery-recorded",
        state.config.behind_tls(),
    ))
}

pub async fn download(
    State(state): State<AppState>,
    scope: UnitScope,
    Path((id, file_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    load_visible(&state, &scope, id).await?;
    if !store::has_file(&state.db, Register::Outgoing, id, file_id).await? {
        return Err(AppError::NotFound);
    }
    let file = attachments::load(&state.db, file_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(attachments::download(file))
}
