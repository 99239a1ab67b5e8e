//! The staff side: the list of cards, the card editor (lists as rows of inputs, one
//! empty row to add; no JavaScript), publishing, the version history and the
//! downloadable forms.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{FromRef, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use magistrat_domain::deadline::CaseKind;

use super::MAX_FILE_BYTES;
use super::file_type::{FileKind, check_upload, safe_file_name};
use super::public::{PreviewField, case_kind_key, preview, unit_name};
use super::rules::{
    CardContext, CardData, CardForm, DocumentKind, PostedCard, definition_problem_line,
};
use super::store::{self, CardFile, NewFile, ServiceCard};
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::scope::{ScopedUnits, UnitScope};
use crate::auth::session::Staff;
use crate::cases::jrwa::RegistrableClasses;
use crate::org::store as org;
use crate::org::unit_label;
use crate::platform::csv::Csv;
use crate::platform::form::{self, Field, FormBuilder, FormErrors, Unique, on_unique};
use crate::platform::table::{Column, Key, Sort, SortHeader, SortQuery};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::{Arg, Lang, short_date};
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

/// The cards a user may edit: all of them, or those of their units and below (the
/// request's [`UnitScope`] seen through `ManageServiceCards`).
struct Editable {
    units: ScopedUnits,
    /// The reference-data version the request's session read (kept JRWA classes).
    version: i64,
}

impl Editable {
    async fn load(scope: &UnitScope) -> AppResult<Editable> {
        scope.user().require(Permission::ManageServiceCards)?;
        Ok(Editable {
            units: scope.units(Permission::ManageServiceCards).await?,
            version: scope.user().units_version,
        })
    }

    fn covers(&self, unit_id: i64) -> bool {
        self.units.allows(unit_id)
    }

    /// The card by code, if the user may edit it: 404 unknown, 403 another unit's.
    async fn card(&self, state: &AppState, code: &str) -> AppResult<ServiceCard> {
        let card = store::card_by_code(&state.db, code)
            .await?
            .ok_or(AppError::NotFound)?;
        if !self.covers(card.data.org_unit_id) {
            return Err(AppError::Forbidden);
        }
        Ok(card)
    }

    /// (id, symbol) of the units the user may give a card to.
    fn choosable(&self) -> Vec<(i64, String)> {
        self.units
            .all()
            .iter()
            .filter(|u| self.covers(u.id))
            .map(|u| (u.id, u.symbol.clone()))
            .collect()
    }
}

/// A column of the staff's list of service cards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardColumn {
    Code,
    Name,
    Unit,
    Status,
    Updated,
}

impl Column for CardColumn {
    const ALL: &'static [CardColumn] = &[
        CardColumn::Code,
        CardColumn::Name,
        CardColumn::Unit,
        CardColumn::Status,
        CardColumn::Updated,
    ];

    fn code(self) -> &'static str {
        match self {
            CardColumn::Code => "code",
            CardColumn::Name => "name",
            CardColumn::Unit => "unit",
            CardColumn::Status => "status",
            CardColumn::Updated => "updated",
        }
    }
}

impl CardColumn {
    fn label_id(self) -> &'static str {
        match self {
            CardColumn::Code => "sc-code",
            CardColumn::Name => "sc-name",
            CardColumn::Unit => "sc-unit",
            CardColumn::Status => "sc-status",
            CardColumn::Updated => "sc-updated",
        }
    }
}

/// The list's order until a header is clicked.
const CARD_ORDER: Sort<CardColumn> = Sort {
    column: CardColumn::Code,
    descending: false,
};

/// One card of the list, as the table and the export show it.
pub struct CardLine {
    pub card: ServiceCard,
    pub unit: String,
    pub status: String,
    pub online: bool,
    pub updated_on: Date,
    pub updated: String,
}

fn card_key(line: &CardLine, column: CardColumn) -> Key<'_> {
    match column {
        CardColumn::Code => Key::Text(&line.card.data.code),
        CardColumn::Name => Key::Text(&line.card.data.name),
        CardColumn::Unit => Key::Text(&line.unit),
        CardColumn::Status => Key::Text(&line.status),
        CardColumn::Updated => Key::Day(Some(line.updated_on)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "service_cards/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub headers: Vec<SortHeader>,
    pub export_query: String,
    pub cards: Vec<CardLine>,
}

/// The cards the user may edit, sorted as the URL asks (by code unless it says
/// otherwise).
async fn card_lines(
    state: &AppState,
    scope: &UnitScope,
    lang: Lang,
    sort: Sort<CardColumn>,
) -> AppResult<Vec<CardLine>> {
    let editable = Editable::load(scope).await?;
    let mut lines: Vec<CardLine> = store::all_cards(&state.db)
        .await?
        .into_iter()
        .filter(|c| editable.covers(c.data.org_unit_id))
        .map(|card| {
            let updated_on = card.updated_at.0.to_zoned(crate::WARSAW.clone()).date();
            CardLine {
                unit: unit_name(editable.units.all(), card.data.org_unit_id),
                status: lang.t(if card.data.published {
                    "sc-status-published"
                } else {
                    "sc-status-draft"
                }),
                // The catalogue's own badge: the card takes applications online.
                online: card.data.channels.eservice,
                updated: short_date(updated_on),
                updated_on,
                card,
            }
        })
        .collect();
    sort.apply(&mut lines, card_key);
    Ok(lines)
}

pub async fn list(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Query(q): Query<SortQuery>,
) -> AppResult<ListPage> {
    let sort = q.sort(CARD_ORDER);
    let lang = ctx.lang;
    let cards = card_lines(&state, &scope, lang, sort).await?;
    Ok(ListPage {
        headers: sort.headers(
            lang,
            |column| lang.t(column.label_id()),
            |next| format!("/staff/service-cards?{}", next.query()),
        ),
        export_query: sort.query(),
        cards,
        ctx,
    })
}

/// The list as a spreadsheet, in the page's order.
pub async fn export(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Query(q): Query<SortQuery>,
) -> AppResult<Response> {
    let lang = ctx.lang;
    let cards = card_lines(&state, &scope, lang, q.sort(CARD_ORDER)).await?;
    let mut csv = Csv::new();
    let mut head: Vec<String> = CardColumn::ALL
        .iter()
        .map(|c| lang.t(c.label_id()))
        .collect();
    head.push(lang.t("sc-badge-online"));
    csv.row(&head);
    for line in cards {
        csv.row(&[
            line.card.data.code,
            line.card.data.name,
            line.unit,
            line.status,
            line.updated,
            lang.t(if line.online { "sc-yes" } else { "sc-no" }),
        ]);
    }
    Ok(csv.download(&format!("karty-uslug-{}.csv", state.clock.today())))
}

/// One input of a list row.
pub struct RowInput {
    pub name: &'static str,
    pub id: String,
    pub value: String,
    pub error: Option<String>,
    /// The Fluent id of its label (with the row number).
    pub label_key: &'static str,
}

impl RowInput {
    /// The input of row `index`; a problem is listed in the summary as „Opłaty, wiersz
    /// 2: kwota”.
    fn new(
        form: &mut FormBuilder<'_>,
        lang: Lang,
        name: &'static str,
        index: usize,
        value: &str,
    ) -> Self {
        let key = format!("{name}-{index}");
        let error = form.error(&key);
        if error.is_some() {
            form.label_as(key.clone(), row_label(lang, &key));
        }
        RowInput {
            id: form::field_id(&key),
            error,
            label_key: match name {
                "fee_description" => "sc-fee-description-row",
                "fee_amount" => "sc-fee-amount-row",
                "fee_tariff" => "sc-fee-tariff-row",
                "fd_name" => "sc-fd-name",
                "fd_type" => "sc-fd-type",
                "fd_label_pl" => "sc-fd-label-pl",
                "fd_label_en" => "sc-fd-label-en",
                "fd_help_pl" => "sc-fd-help-pl",
                "fd_help_en" => "sc-fd-help-en",
                "fd_required" => "sc-fd-required",
                "fd_max_length" => "sc-fd-max-length",
                "fd_options" => "sc-fd-options",
                _ => "sc-fee-account-row",
            },
            name,
            value: value.to_owned(),
        }
    }
}

/// A checkbox of the channels.
pub struct Checkbox {
    pub name: &'static str,
    pub label: String,
    pub checked: bool,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "service_cards/form.html")]
pub struct CardFormPage {
    pub ctx: PageCtx,
    pub card: Option<ServiceCard>,
    pub fields: Vec<Field>,
    pub channels: Vec<Checkbox>,
    pub legal_basis: Vec<RowInput>,
    /// (name, kind)
    pub documents: Vec<(RowInput, RowInput)>,
    /// [description, amount, account]
    pub fees: Vec<Vec<RowInput>>,
    pub doc_kinds: Vec<(String, String)>,
    pub definition: Field,
    /// The structured editor: one row of inputs per field, then an empty one.
    pub definition_rows: Vec<Vec<RowInput>>,
    /// (code, label) of the field types.
    pub field_kinds: Vec<(String, String)>,
    pub att_max_files: Field,
    pub att_max_size_mb: Field,
    /// (code, checked) of the file kinds attachments may be.
    pub att_types: Vec<(String, bool)>,
    pub preview: Vec<PreviewField>,
    pub files: Vec<CardFile>,
    pub upload_error: Option<String>,
    pub error_summary: Vec<(String, String)>,
}

impl CardFormPage {
    pub fn action(&self) -> String {
        match &self.card {
            Some(c) => format!("/staff/service-cards/{}", c.data.code),
            None => "/staff/service-cards/new".to_owned(),
        }
    }
}

struct FormSources {
    units: Vec<(i64, String)>,
    unit_labels: Vec<(String, String)>,
    locations: Vec<(String, String)>,
    /// This year's classes a case may be registered under: the select's groups (the
    /// user's units' first), the symbols for the check.
    jrwa_groups: Vec<form::OptionGroup>,
    jrwa_symbols: Vec<String>,
}

async fn sources(
    state: &AppState,
    scope: &UnitScope,
    editable: &Editable,
    lang: Lang,
) -> AppResult<FormSources> {
    let year = state.clock.year();
    let units = editable.choosable();
    let unit_labels = editable
        .units
        .all()
        .iter()
        .filter(|u| editable.covers(u.id))
        .map(|u| (u.id.to_string(), unit_label(lang, u, year)))
        .collect();
    let mut locations = vec![(String::new(), lang.t("sc-location-none"))];
    locations.extend(
        org::locations(&state.db)
            .await?
            .into_iter()
            .map(|l| (l.id.to_string(), l.name)),
    );
    // Classes with an archival category are the ones cases are registered under
    // (`cases::store::is_leaf_class`); those the user's units register cases under
    // first.
    let own = scope.own_units(Permission::ManageServiceCards).await?;
    let kept = RegistrableClasses::from_ref(state);
    let classes =
        crate::cases::service::jrwa_choice(&state.db, &kept, year, editable.version, &own).await?;
    Ok(FormSources {
        units,
        unit_labels,
        locations,
        jrwa_symbols: classes.all().map(|c| c.0.clone()).collect(),
        jrwa_groups: classes.groups(lang),
    })
}

/// The card editor as the form was sent (or the card as stored), with its errors next
/// to their fields and summarised at the top. Each part is one named step below.
fn build_form(
    ctx: PageCtx,
    card: Option<ServiceCard>,
    form: &CardForm,
    src: &FormSources,
    errors: &FormErrors,
    files: Vec<CardFile>,
) -> CardFormPage {
    let lang = ctx.lang;
    // Built in the order of the page, which is the order of the error summary.
    let mut builder = FormBuilder::new(lang, errors);
    let fields = card_fields(&mut builder, lang, form, src);
    let (legal_basis, documents, fees) = row_inputs(&mut builder, lang, form);
    let channels = channel_boxes(&mut builder, lang, form);
    let (definition_rows, att_max_files, att_max_size_mb, att_types, field_kinds) =
        definition_editor_inputs(&mut builder, lang, form);
    let definition = definition_field(&mut builder, lang, form);
    let preview = definition_preview(lang, form);
    let mut error_summary = builder.summary();
    // The pasted definition's problem names its line, in the summary too.
    if let (Some(item), Some(error)) = (
        error_summary
            .iter_mut()
            .find(|(id, _)| *id == definition.id()),
        &definition.error,
    ) {
        item.1 = format!("{}: {error}", definition.label);
    }
    CardFormPage {
        doc_kinds: DocumentKind::ALL
            .iter()
            .map(|k| (k.as_str().to_owned(), lang.t(&k.label_key())))
            .collect(),
        ctx,
        card,
        fields,
        channels,
        legal_basis,
        documents,
        fees,
        definition,
        definition_rows,
        field_kinds,
        att_max_files,
        att_max_size_mb,
        att_types,
        preview,
        files,
        upload_error: None,
        error_summary,
    }
}

/// The card's own fields, in the order the editor shows them.
fn card_fields(
    builder: &mut FormBuilder<'_>,
    lang: Lang,
    form: &CardForm,
    src: &FormSources,
) -> Vec<Field> {
    let text = |name: &'static str, key: &str| Field::text(lang, name, key, form.value(name));
    let mut unit_options = vec![(String::new(), lang.t("sc-choose"))];
    unit_options.extend(src.unit_labels.iter().cloned());
    let mut kinds = vec![(String::new(), lang.t("sc-choose"))];
    kinds.extend(CaseKind::ALL.iter().map(|k| {
        (
            k.as_str().to_owned(),
            format!("{} — {}", lang.t(&case_kind_key(*k)), k.source()),
        )
    }));
    vec![
        text("org_unit_id", "sc-unit").select(unit_options),
        text("code", "sc-code").hint(lang, "sc-code-hint"),
        text("name", "sc-name"),
        text("description", "sc-description").kind("textarea"),
        text("keywords", "sc-keywords")
            .optional()
            .kind("textarea")
            .hint(lang, "sc-keywords-hint"),
        text("location_id", "sc-location")
            .optional()
            .select(src.locations.clone()),
        text("room", "sc-room")
            .optional()
            .hint(lang, "sc-room-hint"),
        text("hours_note", "sc-hours-note").optional(),
        text("phone", "sc-phone").optional().kind("tel"),
        text("email", "sc-email").optional().kind("email"),
        text("deadline", "sc-deadline").hint(lang, "sc-deadline-hint"),
        text("case_kind", "sc-case-kind")
            .select(kinds)
            .hint(lang, "sc-case-kind-hint"),
        text("jrwa_symbol", "sc-field-jrwa")
            .optional()
            .select(vec![(String::new(), lang.t("sc-jrwa-none"))])
            .grouped(src.jrwa_groups.clone())
            .hint(lang, "sc-field-jrwa-hint"),
        text("appeal", "sc-appeal").optional().kind("textarea"),
        text("remarks", "sc-remarks").optional().kind("textarea"),
        text("fee_exemptions", "sc-fee-exemptions")
            .optional()
            .kind("textarea")
            .hint(lang, "sc-fee-exemptions-hint"),
    ]
    .into_iter()
    .map(|f| builder.field(f))
    .collect()
}

/// The ways to file in the office's own channels (a card offers at least one).
fn channel_boxes(builder: &mut FormBuilder<'_>, lang: Lang, form: &CardForm) -> Vec<Checkbox> {
    // A channel's problem concerns the group: it is listed under the group's name.
    builder.label("channel_counter", "sc-channels");
    builder.label("channel_eservice", "sc-channels");
    [
        ("channel_counter", "sc-channel-counter"),
        ("channel_post", "sc-channel-post"),
        ("channel_email", "sc-channel-email"),
        ("channel_eservice", "sc-channel-eservice"),
    ]
    .into_iter()
    .map(|(name, key)| Checkbox {
        name,
        label: lang.t(key),
        checked: !form.value(name).is_empty(),
        error: builder.error(name),
    })
    .collect()
}

type RowInputs = (Vec<RowInput>, Vec<(RowInput, RowInput)>, Vec<Vec<RowInput>>);

/// The repeated rows: legal bases, required documents and fees.
fn row_inputs(builder: &mut FormBuilder<'_>, lang: Lang, form: &CardForm) -> RowInputs {
    // The rows as sent (blank ones dropped), then one empty row to add.
    let mut legal: Vec<String> = form.legal_basis.clone();
    legal.push(String::new());
    let legal_basis = legal
        .iter()
        .enumerate()
        .map(|(i, v)| RowInput::new(builder, lang, "legal_basis", i, v))
        .collect();
    let mut docs = form.documents.clone();
    docs.push((String::new(), DocumentKind::Original.as_str().to_owned()));
    let documents = docs
        .iter()
        .enumerate()
        .map(|(i, (n, k))| {
            (
                RowInput::new(builder, lang, "doc_name", i, n),
                RowInput::new(builder, lang, "doc_kind", i, k),
            )
        })
        .collect();
    let mut fee_rows = form.fees.clone();
    fee_rows.push(Default::default());
    let fees = fee_rows
        .iter()
        .enumerate()
        .map(|(i, (d, a, n, t))| {
            vec![
                RowInput::new(builder, lang, "fee_description", i, d),
                RowInput::new(builder, lang, "fee_amount", i, a),
                RowInput::new(builder, lang, "fee_account", i, n),
                RowInput::new(builder, lang, "fee_tariff", i, t),
            ]
        })
        .collect();
    (legal_basis, documents, fees)
}

/// The form definition as JSON, with a parse error at its line.
fn definition_field(builder: &mut FormBuilder<'_>, lang: Lang, form: &CardForm) -> Field {
    let mut definition = builder.field(
        Field::text(
            lang,
            "form_definition",
            "sc-form-definition",
            form.value("form_definition"),
        )
        .optional()
        .kind("textarea")
        .hint(lang, "sc-form-definition-hint"),
    );
    if let (Some(message), Some(line)) = (definition.error.take(), definition_problem_line(form)) {
        definition.error = Some(lang.t_args(
            "sc-definition-error-at",
            &[
                ("line", Arg::Num(line as i64)),
                ("message", Arg::Str(message)),
            ],
        ));
    } else {
        definition.error = builder.error("form_definition");
    }
    definition
}

/// The applicant's form as the definition would render it.
fn definition_preview(lang: Lang, form: &CardForm) -> Vec<PreviewField> {
    match form.value("form_definition").trim() {
        "" => super::definition_editor::build(&form.definition).ok(),
        json => super::form_definition::FormDefinition::parse(json).ok(),
    }
    .map(|d| preview(&d, lang.code()))
    .unwrap_or_default()
}

type EditorInputs = (
    Vec<Vec<RowInput>>,
    Field,
    Field,
    Vec<(String, bool)>,
    Vec<(String, String)>,
);

/// The structured definition editor: one row per field and an empty one, the
/// attachment limits and types, and the field kinds to choose from.
fn definition_editor_inputs(
    builder: &mut FormBuilder<'_>,
    lang: Lang,
    form: &CardForm,
) -> EditorInputs {
    let mut editor_rows = form.definition.rows.clone();
    editor_rows.push(super::definition_editor::FieldRow {
        kind: "text".to_owned(),
        required: "no".to_owned(),
        ..Default::default()
    });
    let definition_rows = editor_rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            super::definition_editor::ROW_INPUTS
                .iter()
                .map(|name| RowInput::new(builder, lang, name, i, r.value(name)))
                .collect()
        })
        .collect();
    let att_max_files = builder.field(
        Field::text(
            lang,
            "att_max_files",
            "sc-att-max-files",
            form.definition.max_files.clone(),
        )
        .optional()
        .kind("number"),
    );
    let att_max_size_mb = builder.field(
        Field::text(
            lang,
            "att_max_size_mb",
            "sc-att-max-size-mb",
            form.definition.max_size_mb.clone(),
        )
        .optional(),
    );
    let att_types = super::definition_editor::file_kinds()
        .into_iter()
        .map(|k| (k.to_owned(), form.definition.types.iter().any(|t| t == k)))
        .collect();
    let field_kinds = super::definition_editor::kinds()
        .iter()
        .map(|k| {
            (
                (*k).to_owned(),
                lang.t(&format!("sc-fd-type-{}", k.replace('_', "-"))),
            )
        })
        .collect();
    (
        definition_rows,
        att_max_files,
        att_max_size_mb,
        att_types,
        field_kinds,
    )
}

/// „Opłaty, wiersz 2: kwota” for a row input's key (`fee_amount-1`).
fn row_label(lang: Lang, key: &str) -> String {
    let (name, index) = key.rsplit_once('-').unwrap_or((key, "0"));
    let row = index.parse::<i64>().unwrap_or(0) + 1;
    lang.t_args(
        "sc-row-label",
        &[
            (
                "field",
                Arg::Str(lang.t(&format!("sc-row-{}", name.replace('_', "-")))),
            ),
            ("row", Arg::Num(row)),
        ],
    )
}

pub async fn new_form(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
) -> AppResult<CardFormPage> {
    let editable = Editable::load(&scope).await?;
    let src = sources(&state, &scope, &editable, ctx.lang).await?;
    let mut form = CardForm::default();
    form.scalars.insert("channel_counter", "on".to_owned());
    form.scalars.insert("channel_post", "on".to_owned());
    Ok(build_form(
        ctx,
        None,
        &form,
        &src,
        &FormErrors::new(),
        Vec::new(),
    ))
}

/// A card's code is unique: a card saved meanwhile with the same code is told at the
/// code field, as the form's own check tells it.
pub const CODE_UNIQUE: &[Unique] = &[Unique {
    constraint: "service_card_code_key",
    columns: "service_card.code",
    field: "code",
    message: "sc-code-taken",
}];

pub async fn create(
    State(state): State<AppState>,
    scope: UnitScope,
    Staff(_, visitor): Staff,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let editable = Editable::load(&scope).await?;
    let src = sources(&state, &scope, &editable, ctx.lang).await?;
    let form = CardForm::from_pairs(&pairs);
    let location_ids = location_ids(&src);
    let context = CardContext {
        units: &src.units,
        locations: &location_ids,
        jrwa_classes: &src.jrwa_symbols,
        published: false,
    };
    let errors = match CardData::try_from(PostedCard {
        form: &form,
        context: &context,
    }) {
        Ok(data) => {
            let mut tx = state.db.begin().await?;
            match store::create_card(&mut tx, &visitor.actor(), &data).await {
                Ok(_) => {
                    tx.commit().await?;
                    return Ok(redirect_with_flash(
                        &format!("/staff/service-cards/{}", data.code),
                        "sc-created",
                        state.config.behind_tls(),
                    ));
                }
                Err(e) => on_unique(e, CODE_UNIQUE)?,
            }
        }
        Err(errors) => errors,
    };
    let page = build_form(ctx, None, &form, &src, &errors, Vec::new());
    Ok(form::respond(&errors, page))
}

fn location_ids(src: &FormSources) -> Vec<i64> {
    src.locations
        .iter()
        .filter_map(|(id, _)| id.parse().ok())
        .collect()
}

pub async fn edit(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> AppResult<CardFormPage> {
    let editable = Editable::load(&scope).await?;
    let card = editable.card(&state, &code).await?;
    let src = sources(&state, &scope, &editable, ctx.lang).await?;
    let files = store::files(&state.db, card.id).await?;
    let form = CardForm::of(&card.data);
    Ok(build_form(
        ctx,
        Some(card),
        &form,
        &src,
        &FormErrors::new(),
        files,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    scope: UnitScope,
    Staff(_, visitor): Staff,
    ctx: PageCtx,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let editable = Editable::load(&scope).await?;
    let before = editable.card(&state, &code).await?;
    let src = sources(&state, &scope, &editable, ctx.lang).await?;
    let form = CardForm::from_pairs(&pairs);
    let location_ids = location_ids(&src);
    let context = CardContext {
        units: &src.units,
        locations: &location_ids,
        jrwa_classes: &src.jrwa_symbols,
        published: before.data.published,
    };
    let errors = match CardData::try_from(PostedCard {
        form: &form,
        context: &context,
    }) {
        Ok(data) => {
            let to = format!("/staff/service-cards/{}", data.code);
            if data == before.data {
                return Ok(redirect_with_flash(
                    &to,
                    "sc-saved",
                    state.config.behind_tls(),
                ));
            }
            let mut tx = state.db.begin().await?;
            match store::update_card(&mut tx, &visitor.actor(), &before, &data).await {
                Ok(()) => {
                    tx.commit().await?;
                    return Ok(redirect_with_flash(
                        &to,
                        "sc-saved",
                        state.config.behind_tls(),
                    ));
                }
                Err(e) => on_unique(e, CODE_UNIQUE)?,
            }
        }
        Err(errors) => errors,
    };
    let files = store::files(&state.db, before.id).await?;
    let page = build_form(ctx, Some(before), &form, &src, &errors, files);
    Ok(form::respond(&errors, page))
}

pub async fn publish(
    State(state): State<AppState>,
    scope: UnitScope,
    Staff(_, visitor): Staff,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let editable = Editable::load(&scope).await?;
    let card = editable.card(&state, &code).await?;
    let published = pairs.iter().any(|(k, v)| k == "published" && v == "true");
    let to = format!("/staff/service-cards/{code}");
    if card.data.published == published {
        return Ok(redirect_with_flash(
            &to,
            "sc-saved",
            state.config.behind_tls(),
        ));
    }
    let mut tx = state.db.begin().await?;
    store::set_published(&mut tx, &visitor.actor(), &card, published).await?;
    tx.commit().await?;
    let flash = if published {
        "sc-published"
    } else {
        "sc-unpublished"
    };
    Ok(redirect_with_flash(&to, flash, state.config.behind_tls()))
}

/// One change of one field in the history.
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

pub struct HistoryEntry {
    pub time: String,
    pub actor: String,
    pub action: String,
    pub changes: Vec<FieldChange>,
}

#[derive(Template, WebTemplate)]
#[template(path = "service_cards/history.html")]
pub struct HistoryPage {
    pub ctx: PageCtx,
    pub card: ServiceCard,
    pub entries: Vec<HistoryEntry>,
}

/// The top-level keys whose values differ between two JSON objects, with both values
/// as short text.
pub fn diff(before: Option<&str>, after: Option<&str>) -> Vec<(String, String, String)> {
    let parse = |s: Option<&str>| -> serde_json::Map<String, serde_json::Value> {
        s.and_then(|s| serde_json::from_str(s).ok())
            .and_then(|v: serde_json::Value| v.as_object().cloned())
            .unwrap_or_default()
    };
    let (b, a) = (parse(before), parse(after));
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    let show = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    keys.into_iter()
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| (k.clone(), show(b.get(k)), show(a.get(k))))
        .collect()
}

pub async fn history(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> AppResult<HistoryPage> {
    let editable = Editable::load(&scope).await?;
    let card = editable.card(&state, &code).await?;
    let events = store::history(&state.db, card.id).await?;
    let entries = events
        .iter()
        .rev()
        .map(|e| HistoryEntry {
            time: ctx.datetime(&e.occurred_at),
            actor: e.actor_login.clone(),
            // Stored as `service_card.update`: the entity type, a dot, the action.
            action: ctx.t(&format!(
                "sc-history-{}",
                e.action
                    .rsplit('.')
                    .next()
                    .unwrap_or_default()
                    .replace('_', "-")
            )),
            changes: diff(e.before_json.as_deref(), e.after_json.as_deref())
                .into_iter()
                .map(|(field, before, after)| FieldChange {
                    field,
                    before,
                    after,
                })
                .collect(),
        })
        .collect();
    Ok(HistoryPage { ctx, card, entries })
}

/// Attaches a downloadable form: the bytes decide the type (PDF, ODT, DOCX, DOC, RTF),
/// at most 5 MB.
pub async fn upload(
    State(state): State<AppState>,
    scope: UnitScope,
    Staff(_, visitor): Staff,
    ctx: PageCtx,
    Path(code): Path<String>,
    request: Request,
) -> AppResult<Response> {
    let editable = Editable::load(&scope).await?;
    let card = editable.card(&state, &code).await?;
    // Read only after the permission check: a refused user learns nothing more.
    let mut multipart = Multipart::from_request(request, &state)
        .await
        .map_err(|_| AppError::BadRequest("bad-request"))?;
    let mut title = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut too_large = false;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("bad-request"))?
    {
        match field.name() {
            Some("title") => {
                title = field
                    .text()
                    .await
                    .map_err(|_| AppError::BadRequest("bad-request"))?;
            }
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let mut bytes = Vec::new();
                // Read in chunks, stopping past the limit rather than buffering more.
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|_| AppError::BadRequest("bad-request"))?
                {
                    bytes.extend_from_slice(&chunk);
                    if bytes.len() as u64 > MAX_FILE_BYTES {
                        too_large = true;
                        break;
                    }
                }
                file = Some((name, bytes));
            }
            _ => {}
        }
    }
    let title = title.trim().chars().take(200).collect::<String>();
    let checked = match &file {
        None => Err("file-missing"),
        Some(_) if too_large => Err("file-too-large"),
        Some((name, bytes)) if name.trim().is_empty() && bytes.is_empty() => Err("file-missing"),
        Some((name, bytes)) => check_upload(
            &safe_file_name(name),
            bytes,
            &FileKind::FORMS,
            MAX_FILE_BYTES,
        )
        .map_err(|p| p.code()),
    };
    let problem = if title.is_empty() {
        Some("sc-file-title-required")
    } else {
        checked.err()
    };
    if let (None, Some((name, bytes)), Ok(kind)) = (problem, &file, checked) {
        let file_name = safe_file_name(name);
        let mut tx = state.db.begin().await?;
        store::add_file(
            &mut tx,
            &visitor.actor(),
            card.id,
            &NewFile {
                title: &title,
                file_name: &file_name,
                content_type: kind.content_type(),
                bytes,
            },
        )
        .await?;
        tx.commit().await?;
        return Ok(redirect_with_flash(
            &format!("/staff/service-cards/{code}#files"),
            "sc-file-added",
            state.config.behind_tls(),
        ));
    }
    let src = sources(&state, &scope, &editable, ctx.lang).await?;
    let files = store::files(&state.db, card.id).await?;
    let form = CardForm::of(&card.data);
    let lang = ctx.lang;
    let mut page = build_form(ctx, Some(card), &form, &src, &FormErrors::new(), files);
    let message = lang.t(problem.unwrap_or("file-wrong-type"));
    page.error_summary = vec![("f-file".to_owned(), message.clone())];
    page.upload_error = Some(message);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn remove_file(
    State(state): State<AppState>,
    scope: UnitScope,
    Staff(_, visitor): Staff,
    Path((code, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let editable = Editable::load(&scope).await?;
    let card = editable.card(&state, &code).await?;
    let mut tx = state.db.begin().await?;
    if store::remove_file(&mut tx, &visitor.actor(), card.id, id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(redirect_with_flash(
        &format!("/staff/service-cards/{code}#files"),
        "sc-file-removed",
        state.config.behind_tls(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_lists_changed_keys_only() {
        let d = diff(
            Some(r#"{"name": "A", "fees": [], "published": false}"#),
            Some(r#"{"name": "B", "fees": [], "published": true, "room": "12"}"#),
        );
        assert_eq!(
            d,
            [
                ("name".to_owned(), "A".to_owned(), "B".to_owned()),
                (
                    "published".to_owned(),
                    "false".to_owned(),
                    "true".to_owned()
                ),
                ("room".to_owned(), String::new(), "12".to_owned()),
            ]
        );
        assert_eq!(diff(None, Some(r#"{"a": 1}"#)).len(), 1);
        assert!(diff(Some("not json"), None).is_empty());
    }
}
