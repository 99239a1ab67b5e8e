//! The case's documents: the akta page, drafting a letter from a template, the letter's
//! page with its flow (edit, accept, return, sign, dispatch, delivery), its PDF and
//! signed file, the metryka (page and PDF) and the dekretacja of incoming items.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use magistrat_domain::letters::{
    self, Element, LetterData, LetterKind, LetterState, SignatureMethod,
};
use magistrat_domain::metryka;
use magistrat_domain::party_terms::{self, PartyTerm};

use super::print;
use super::rules::{
    Dekretacja, DekretacjaForm, DeliveryForm, DispatchForm, LetterEdit, LetterForm,
};
use super::store::{self, Dispatch, DocumentsError, Letter, NewLetter, Signature};
use crate::app::AppState;
use crate::attachments::{self, check_uploads, read_multipart};
use crate::auth::policy::{Permission, Scope};
use crate::auth::scope::UnitScope;
use crate::auth::session::Staff;
use crate::cases::store::CaseFile;
use crate::correspondence::{Delivery, LetterType, OutChannel};
use crate::db::Db;
use crate::platform::form::{self, Field, FormBuilder, FormErrors, value};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;
use crate::with_db;

/// What the user may do with the documents of one case.
pub(super) struct Rights {
    /// Draft, edit, send letters and record deliveries: the case's official, or the
    /// head over its unit.
    pub handle: bool,
    /// Accept and sign: the head over the unit (`SignLetters`), or a person holding an
    /// authorisation in the register covering the case (KPA art. 268a).
    pub sign: bool,
}

pub(super) async fn rights(
    state: &AppState,
    scope: &UnitScope,
    case: &CaseFile,
) -> AppResult<Rights> {
    let user = scope.user();
    let manage = scope.allows(Permission::AssignCases, case.unit_id).await?;
    let handle = manage
        || (case.official_id == Some(user.id)
            && scope.allows(Permission::HandleCases, case.unit_id).await?);
    let mut sign = scope.allows(Permission::SignLetters, case.unit_id).await?;
    if !sign && user.can(Permission::HandleCases) {
        let today = state.clock.today();
        let tree = scope.tree().await?;
        for a in store::authorisations_of(&state.db, user.id).await? {
            let in_unit = tree.in_scope(&Scope::Units(vec![a.org_unit_id]), case.unit_id);
            if a.rule().covers(in_unit, &case.jrwa_symbol, today) {
                sign = true;
                break;
            }
        }
    }
    Ok(Rights { handle, sign })
}

/// The case, after checking the user may see it (403 outside their scope).
pub(super) async fn visible_case(db: &Db, scope: &UnitScope, id: i64) -> AppResult<CaseFile> {
    scope.user().require(Permission::ViewCases)?;
    let case = crate::cases::store::case_by_id(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !scope.allows(Permission::ViewCases, case.unit_id).await? {
        return Err(AppError::Forbidden);
    }
    Ok(case)
}

/// The letter and its case, after checking the user may see the case.
async fn visible_letter(db: &Db, scope: &UnitScope, id: i64) -> AppResult<(Letter, CaseFile)> {
    scope.user().require(Permission::ViewCases)?;
    let letter = store::letter(db, id).await?.ok_or(AppError::NotFound)?;
    let case = visible_case(db, scope, letter.case_id).await?;
    Ok((letter, case))
}

// ---------------------------------------------------------------------------------
// The akta

pub struct DocumentLine {
    pub number: usize,
    pub date: String,
    pub kind: String,
    pub identifier: String,
    pub party: String,
    pub subject: String,
    pub href: String,
    pub state: String,
    pub dekretacja_href: Option<String>,
}

pub(super) async fn document_lines(
    db: &Db,
    lang: Lang,
    case_id: i64,
) -> AppResult<Vec<DocumentLine>> {
    let docs = store::documents(db, case_id).await?;
    Ok(docs
        .into_iter()
        .enumerate()
        .map(|(i, d)| DocumentLine {
            number: i + 1,
            date: d.at.in_warsaw().date().to_string(),
            kind: match (d.direction, d.letter_kind) {
                (store::Direction::Letter, Some(kind)) => lang.t(&kind.label_key()),
                (store::Direction::Incoming, _) => lang.t("akta-incoming"),
                _ => lang.t("akta-outgoing"),
            },
            identifier: d.identifier,
            party: d.party,
            subject: d.subject,
            href: d.href,
            state: d
                .letter_state
                .map(|s| lang.t(&s.label_key()))
                .unwrap_or_default(),
            dekretacja_href: d.incoming_id.map(|id| format!("/staff/dekretacja/{id}")),
        })
        .collect())
}

#[derive(Template, WebTemplate)]
#[template(path = "case_documents/documents.html")]
pub struct DocumentsPage {
    pub ctx: PageCtx,
    pub case: CaseFile,
    pub documents: Vec<DocumentLine>,
    pub can_draft: bool,
}

pub async fn documents(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<DocumentsPage> {
    let case = visible_case(&state.db, &scope, id).await?;
    let rights = rights(&state, &scope, &case).await?;
    Ok(DocumentsPage {
        documents: document_lines(&state.db, ctx.lang, case.id).await?,
        can_draft: rights.handle,
        case,
        ctx,
    })
}

// ---------------------------------------------------------------------------------
// Drafting

#[derive(Template, WebTemplate)]
#[template(path = "case_documents/new_letter.html")]
pub struct NewLetterPage {
    pub ctx: PageCtx,
    pub case: CaseFile,
    pub template_id: Field,
    pub error_summary: Vec<(String, String)>,
}

async fn template_options(db: &Db, lang: Lang) -> AppResult<Vec<(String, String)>> {
    let mut options = vec![(String::new(), lang.t("letter-choose-template"))];
    for t in store::templates(db).await?.into_iter().filter(|t| t.active) {
        options.push((
            t.id.to_string(),
            format!("{} — {}", lang.t(&t.kind.label_key()), t.name),
        ));
    }
    Ok(options)
}

async fn new_letter_page(
    state: &AppState,
    ctx: PageCtx,
    case: CaseFile,
    chosen: &str,
    errors: &FormErrors,
) -> AppResult<NewLetterPage> {
    let lang = ctx.lang;
    let mut form = FormBuilder::new(lang, errors);
    let template_id = form.field(
        Field::text(lang, "template_id", "letter-template", chosen)
            .select(template_options(&state.db, lang).await?)
            .hint(lang, "letter-template-hint"),
    );
    Ok(NewLetterPage {
        error_summary: form.summary(),
        template_id,
        case,
        ctx,
    })
}

pub async fn new_letter_form(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<NewLetterPage> {
    let case = visible_case(&state.db, &scope, id).await?;
    if !rights(&state, &scope, &case).await?.handle {
        return Err(AppError::Forbidden);
    }
    new_letter_page(&state, ctx, case, "", &FormErrors::new()).await
}

/// The case's data a template is filled with.
async fn letter_data(state: &AppState, case: &CaseFile) -> AppResult<LetterData> {
    let office = crate::org::store::office(&state.db)
        .await?
        .unwrap_or_default();
    let organ = [
        office.name.as_str(),
        office.street.as_str(),
        &format!("{} {}", office.postal_code, office.city),
    ]
    .iter()
    .map(|s| s.trim())
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join("\n");
    let parties = crate::cases::service::parties(&state.db, case.id).await?;
    let (fee_due, fee_account) = crate::cases::service::fee_for_letters(&state.db, case.id).await?;
    Ok(LetterData {
        znak: case.znak.clone(),
        title: case.title.clone(),
        party_name: case.party_name.clone(),
        party_address: case.party_address.clone(),
        addressees: magistrat_domain::intake::addressee_lines(&parties),
        organ,
        town: office.city.clone(),
        received_on: case.received().to_string(),
        due_on: case.due().to_string(),
        legal_basis: store::card_legal_basis(&state.db, case.id)
            .await?
            .join("\n"),
        today: state.clock.today().to_string(),
        information_clause: crate::rodo::service::letter_text(&state.db)
            .await?
            .unwrap_or_default(),
        fee_due,
        fee_account,
    })
}

pub async fn create_letter(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let case = visible_case(&state.db, &scope, id).await?;
    if !rights(&state, &scope, &case).await?.handle {
        return Err(AppError::Forbidden);
    }
    let chosen = value(&pairs, "template_id").trim().to_owned();
    let template = match chosen.parse::<i64>() {
        Ok(tid) => store::template(&state.db, tid).await?.filter(|t| t.active),
        Err(_) => None,
    };
    let Some(template) = template else {
        let errors = FormErrors::one("template_id", "form-choice-unknown");
        let page = new_letter_page(&state, ctx, case, &chosen, &errors).await?;
        return Ok(form::respond(&errors, page));
    };
    let data = letter_data(&state, &case).await?;
    let sections = template
        .sections()?
        .into_iter()
        .map(|(e, text)| (e, letters::fill(&text, &data)))
        .collect();
    // The first letter of the case carries the information clause (KPA art. 61 § 5).
    let first = store::letters_of_case(&state.db, case.id).await?.is_empty();
    let sections =
        letters::with_information_clause(template.kind, sections, &data.information_clause, first);
    let new = NewLetter {
        kind: template.kind,
        template_id: Some(template.id),
        title: format!(
            "{} — {}",
            ctx.lang.t(&template.kind.label_key()),
            case.title
        )
        .chars()
        .take(300)
        .collect(),
        sections,
    };
    let actor = visitor.actor();
    let mut tx = state.db.begin().await?;
    let letter = store::draft_letter(&mut tx, &actor, &case, &new).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        &format!("/staff/letters/{}", letter.id),
        "letter-drafted-flash",
        state.config.behind_tls(),
    ))
}

// ---------------------------------------------------------------------------------
// The letter's page

pub struct SectionView {
    pub label: String,
    pub text: String,
}

pub struct FileInput {
    pub name: &'static str,
    pub label: String,
    pub hint: String,
    pub error: Option<String>,
    pub accept: String,
}

impl FileInput {
    pub fn id(&self) -> String {
        form::field_id(self.name)
    }
    pub fn described_by(&self) -> String {
        form::described_by(self.name, true, self.error.is_some())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "case_documents/letter.html")]
pub struct LetterPage {
    pub ctx: PageCtx,
    pub letter: Letter,
    pub case: CaseFile,
    pub kind: String,
    pub source: &'static str,
    pub state: String,
    pub sections: Vec<SectionView>,
    /// Elements still missing before acceptance (the check as of today).
    pub defects: Vec<String>,
    pub signature: String,
    pub dispatched: Option<String>,
    pub delivered: Option<String>,
    /// The party's term and the finality date, once a decision or order is delivered.
    pub after_delivery: Option<String>,
    pub edit: Option<EditForm>,
    pub can_accept: bool,
    pub can_return: bool,
    pub sign: Option<SignForm>,
    pub dispatch: Option<DispatchFormView>,
    pub delivery: Option<DeliveryFormView>,
    pub error_summary: Vec<(String, String)>,
}

pub struct EditForm {
    pub title: Field,
    pub fields: Vec<Field>,
    /// The art. 107 § 4 / art. 124 § 2 checkbox, for the kinds that have one.
    pub omit_label: Option<String>,
    pub omit_checked: bool,
}

pub struct SignForm {
    pub method: Field,
    pub file: FileInput,
}

pub struct DispatchFormView {
    pub channel: Field,
    pub letter_type: Field,
    pub tracking_number: Field,
    pub recipient_name: Field,
    pub recipient_address: Field,
    pub electronic_address: Field,
    pub sent_on: Field,
}

pub struct DeliveryFormView {
    pub delivered_on: Field,
    pub delivery_note: Field,
    pub proof: FileInput,
}

/// Which form the posted values and errors belong to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Posted {
    None,
    Edit,
    Sign,
    Dispatch,
    Delivery,
}

/// A form posted back with its values and problems (or none: the page as stored).
struct Shown<'a> {
    posted: Posted,
    pairs: &'a [(String, String)],
    errors: &'a FormErrors,
}

impl<'a> Shown<'a> {
    fn nothing(errors: &FormErrors) -> Shown<'_> {
        Shown::of(Posted::None, &[], errors)
    }

    fn of(posted: Posted, pairs: &'a [(String, String)], errors: &'a FormErrors) -> Self {
        Shown {
            posted,
            pairs,
            errors,
        }
    }
}

/// The letter's page again with the posted form's values and errors (422 when there are any).
async fn send_back(
    state: &AppState,
    scope: &UnitScope,
    ctx: PageCtx,
    letter: Letter,
    case: CaseFile,
    shown: Shown<'_>,
) -> AppResult<Response> {
    let errors = shown.errors;
    let page = letter_page(state, scope, ctx, letter, case, shown).await?;
    Ok(form::respond(errors, page))
}

#[allow(
    clippy::too_many_lines,
    reason = "one page with the forms of every step; each is built where it shows"
)]
async fn letter_page(
    state: &AppState,
    scope: &UnitScope,
    ctx: PageCtx,
    letter: Letter,
    case: CaseFile,
    shown: Shown<'_>,
) -> AppResult<LetterPage> {
    let Shown {
        posted,
        pairs,
        errors,
    } = shown;
    let lang = ctx.lang;
    let rights = rights(state, scope, &case).await?;
    let today = state.clock.today();
    let content = letter.sections()?;
    let mut form = FormBuilder::new(lang, errors);
    let empty = FormErrors::new();
    let mine = |p: Posted| if p == posted { pairs } else { &[] };
    let sections = letter
        .kind
        .elements()
        .iter()
        .filter_map(|e| {
            content.get(e).map(|text| SectionView {
                label: lang.t(&e.label_key()),
                text: text.clone(),
            })
        })
        .collect();
    let defects = if letter.state == LetterState::Draft {
        letters::check(letter.kind, &content, letter.without_justification, today)
            .into_iter()
            .map(|(e, d)| format!("{}: {}", lang.t(&e.label_key()), lang.t(d.message_key())))
            .collect()
    } else {
        Vec::new()
    };
    let edit = (letter.state == LetterState::Draft && rights.handle).then(|| {
        let from_post = posted == Posted::Edit;
        let v = |name: &str, stored: &str| {
            if from_post {
                value(pairs, name).to_owned()
            } else {
                stored.to_owned()
            }
        };
        let title = form.field(Field::text(
            lang,
            "title",
            "letter-title",
            v("title", &letter.title),
        ));
        let fields = letter
            .kind
            .elements()
            .iter()
            .map(|&e| {
                let stored = content.get(&e).map_or("", String::as_str);
                let mut field =
                    Field::text(lang, e.as_str(), &e.label_key(), v(e.as_str(), stored))
                        .kind(if e.is_short() { "text" } else { "textarea" });
                if !letter.kind.requires(e, false) {
                    field = field.optional();
                }
                if e == Element::TermDays {
                    field = field.kind("number").hint(lang, "letter-el-term-days-hint");
                } else if e == Element::NewDate {
                    field = field.kind("date");
                }
                form.field(field)
            })
            .collect();
        EditForm {
            title,
            fields,
            omit_label: letter.kind.may_omit_justification().then(|| {
                lang.t(&format!(
                    "letter-omit-justification-{}",
                    letter.kind.as_str().replace('_', "-")
                ))
            }),
            omit_checked: if from_post {
                form::checked(pairs, "without_justification")
            } else {
                letter.without_justification
            },
        }
    });
    let sign = (letter.state == LetterState::Accepted && rights.sign).then(|| {
        let methods = SignatureMethod::ALL
            .iter()
            .map(|m| (m.as_str().to_owned(), lang.t(&m.label_key())))
            .collect();
        let method = form.field(
            Field::text(
                lang,
                "method",
                "letter-signature-method",
                value(mine(Posted::Sign), "method"),
            )
            .select(methods)
            .hint(lang, "letter-signature-method-hint"),
        );
        form.label("signed_file", "letter-signed-file");
        SignForm {
            method,
            file: FileInput {
                name: "signed_file",
                label: lang.t("letter-signed-file"),
                hint: format!(
                    "{} {}",
                    lang.t("letter-signed-file-hint"),
                    attachments::hint(lang, &state.config.attachment_limits())
                ),
                error: errors.get("signed_file").map(|k| lang.t(k)),
                accept: attachments::accept_attribute(),
            },
        }
    });
    // The letter goes to the first party, or to its pełnomocnik (KPA art. 40 § 2); the
    // others' letters are sent likewise, one outgoing item each.
    let parties = crate::cases::service::parties(&state.db, case.id).await?;
    let (to_name, to_address) = parties
        .first()
        .map(|p| {
            let to = magistrat_domain::intake::addressee(p);
            (to.name.to_owned(), to.address.to_owned())
        })
        .unwrap_or_else(|| (case.party_name.clone(), case.party_address.clone()));
    let dispatch = (letter.state == LetterState::Signed && rights.handle).then(|| {
        let p = mine(Posted::Dispatch);
        let pv = |name: &str, default: &str| {
            if posted == Posted::Dispatch {
                value(p, name).to_owned()
            } else {
                default.to_owned()
            }
        };
        let mut channels = vec![(String::new(), lang.t("letter-choose"))];
        channels.extend(
            OutChannel::ALL
                .iter()
                .map(|c| (c.as_str().to_owned(), lang.t(&c.label_key()))),
        );
        let mut types = vec![(String::new(), lang.t("corr-letter-none"))];
        types.extend(
            LetterType::ALL
                .iter()
                .map(|t| (t.as_str().to_owned(), lang.t(&t.label_key()))),
        );
        DispatchFormView {
            channel: form.field(
                Field::text(lang, "channel", "corr-out-channel", pv("channel", ""))
                    .select(channels),
            ),
            letter_type: form.field(
                Field::text(
                    lang,
                    "letter_type",
                    "corr-letter-type",
                    pv("letter_type", "registered_receipt"),
                )
                .select(types)
                .optional()
                .hint(lang, "letter-dispatch-letter-type-hint"),
            ),
            tracking_number: form.field(
                Field::text(
                    lang,
                    "tracking_number",
                    "corr-tracking-number",
                    pv("tracking_number", ""),
                )
                .optional()
                .hint(lang, "corr-tracking-number-hint"),
            ),
            recipient_name: form.field(Field::text(
                lang,
                "recipient_name",
                "corr-recipient-name",
                pv("recipient_name", &to_name),
            )),
            recipient_address: form.field(
                Field::text(
                    lang,
                    "recipient_address",
                    "corr-recipient-address",
                    pv("recipient_address", &to_address),
                )
                .kind("textarea")
                .optional(),
            ),
            electronic_address: form.field(
                Field::text(
                    lang,
                    "electronic_address",
                    "corr-electronic-address",
                    pv("electronic_address", ""),
                )
                .optional()
                .hint(lang, "corr-electronic-address-hint"),
            ),
            sent_on: form.field(
                Field::text(
                    lang,
                    "sent_on",
                    "corr-sent-on",
                    pv("sent_on", &today.to_string()),
                )
                .kind("date"),
            ),
        }
    });
    let item = match letter.outgoing_id {
        Some(oid) => crate::correspondence::store::outgoing(&state.db, oid).await?,
        None => None,
    };
    let delivery = (letter.state == LetterState::Dispatched && rights.handle).then(|| {
        let p = mine(Posted::Delivery);
        form.label("proof", "corr-delivery-proof");
        DeliveryFormView {
            delivered_on: form.field(
                Field::text(
                    lang,
                    "delivered_on",
                    "corr-delivered-on",
                    value(p, "delivered_on"),
                )
                .kind("date"),
            ),
            delivery_note: form.field(
                Field::text(
                    lang,
                    "delivery_note",
                    "corr-delivery-note",
                    value(p, "delivery_note"),
                )
                .optional()
                .hint(lang, "corr-delivery-note-hint"),
            ),
            proof: FileInput {
                name: "proof",
                label: lang.t("corr-delivery-proof"),
                hint: attachments::hint(lang, &state.config.attachment_limits()),
                error: errors.get("proof").map(|k| lang.t(k)),
                accept: attachments::accept_attribute(),
            },
        }
    });
    let _ = &empty;
    let signature = match (letter.signed_at, letter.method()) {
        (Some(at), Some(method)) => format!(
            "{} ({}), {} — {}",
            letter.signer_name,
            letter.signer_position,
            ctx.datetime(&at),
            lang.t(&method.label_key())
        ),
        _ => String::new(),
    };
    let dispatched = item.as_ref().map(|i| {
        format!(
            "{} — {}, {}",
            i.register_number,
            lang.t(&i.channel.label_key()),
            ctx.date(&i.sent_on.to_jiff())
        )
    });
    let delivered = item
        .as_ref()
        .and_then(|i| i.delivered_on.map(|d| ctx.date(&d.to_jiff())));
    // The party's term and the day the act becomes final if nobody challenges it
    // (KPA art. 129 § 2, art. 141 § 2, art. 16 § 1), from the delivery.
    let term = match letter.kind {
        LetterKind::Decision => Some(PartyTerm::AppealTerm),
        // No zażalenie lies against an order the official marked so (art. 124 § 2).
        LetterKind::Order if !letter.without_justification => Some(PartyTerm::ZazalenieTerm),
        _ => None,
    };
    let after_delivery = match (term, item.as_ref().and_then(|i| i.delivered_on)) {
        (Some(term), Some(day)) => party_terms::after_delivery(term, day.to_jiff())
            .ok()
            .map(|a| {
                lang.t_args(
                    &format!("letter-after-delivery-{}", term.as_str()),
                    &[
                        ("last", ctx.date(&a.last_day).into()),
                        ("final", ctx.date(&a.final_on).into()),
                        ("source", term.source().into()),
                    ],
                )
            }),
        _ => None,
    };
    Ok(LetterPage {
        kind: lang.t(&letter.kind.label_key()),
        source: letter.kind.source(),
        state: lang.t(&letter.state.label_key()),
        sections,
        defects,
        signature,
        dispatched,
        delivered,
        after_delivery,
        edit,
        can_accept: letter.state == LetterState::Draft && rights.sign,
        can_return: letter.state == LetterState::Accepted && rights.sign,
        sign,
        dispatch,
        delivery,
        error_summary: form.summary(),
        letter,
        case,
        ctx,
    })
}

pub async fn show_letter(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<LetterPage> {
    let (letter, case) = visible_letter(&state.db, &scope, id).await?;
    letter_page(
        &state,
        &scope,
        ctx,
        letter,
        case,
        Shown::nothing(&FormErrors::new()),
    )
    .await
}

fn back_to(state: &AppState, id: i64, flash: &'static str) -> Response {
    redirect_with_flash(
        &format!("/staff/letters/{id}"),
        flash,
        state.config.behind_tls(),
    )
}

pub async fn save_letter(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (letter, case) = visible_letter(&state.db, &scope, id).await?;
    if !rights(&state, &scope, &case).await?.handle {
        return Err(AppError::Forbidden);
    }
    let edit = match LetterEdit::try_from(LetterForm {
        pairs: &pairs,
        kind: letter.kind,
    }) {
        Ok(edit) => edit,
        Err(errors) => {
            return send_back(
                &state,
                &scope,
                ctx,
                letter,
                case,
                Shown::of(Posted::Edit, &pairs, &errors),
            )
            .await;
        }
    };
    let actor = visitor.actor();
    let mut tx = state.db.begin().await?;
    store::edit_letter(
        &mut tx,
        &actor,
        id,
        &edit.title,
        &edit.sections,
        edit.without_justification,
    )
    .await?;
    tx.commit().await?;
    Ok(back_to(&state, id, "letter-saved"))
}

pub async fn accept_letter(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (letter, case) = visible_letter(&state.db, &scope, id).await?;
    if !rights(&state, &scope, &case).await?.sign {
        return Err(AppError::Forbidden);
    }
    let actor = visitor.actor();
    let mut tx = state.db.begin().await?;
    match store::accept(&mut tx, &actor, id, state.clock.today()).await {
        Ok(()) => {}
        Err(DocumentsError::Incomplete(defects)) => {
            drop(tx);
            // The letter's page with every missing element named at its field.
            let mut errors = FormErrors::new();
            for (element, defect) in defects {
                errors.add(element.as_str(), defect.message_key());
            }
            errors.add("accept", "letter-accept-incomplete");
            return send_back(&state, &scope, ctx, letter, case, Shown::nothing(&errors)).await;
        }
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    Ok(back_to(&state, id, "letter-accepted-flash"))
}

pub async fn return_letter(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    scope: UnitScope,
    Path(id): Path<i64>,
    request: Request,
) -> AppResult<Response> {
    let (_, case) = visible_letter(&state.db, &scope, id).await?;
    if !rights(&state, &scope, &case).await?.sign {
        return Err(AppError::Forbidden);
    }
    // The body is read only once the user may act on this letter (403 first).
    let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(request, &state)
        .await
        .map_err(|_| AppError::BadRequest("bad-request"))?;
    let reason: String = value(&pairs, "reason").trim().chars().take(1000).collect();
    let actor = visitor.actor();
    let mut tx = state.db.begin().await?;
    store::return_to_draft(&mut tx, &actor, id, &reason).await?;
    tx.commit().await?;
    Ok(back_to(&state, id, "letter-returned"))
}

pub async fn sign_letter(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
    request: Request,
) -> AppResult<Response> {
    let (letter, case) = visible_letter(&state.db, &scope, id).await?;
    if !rights(&state, &scope, &case).await?.sign {
        return Err(AppError::Forbidden);
    }
    let upload = read_multipart(request).await?;
    let limits = state.config.attachment_limits();
    let mut errors = FormErrors::new();
    let method = SignatureMethod::parse(value(&upload.fields, "method").trim());
    if method.is_none() {
        errors.add("method", "form-choice-unknown");
    }
    let files = check_uploads(
        upload.files_of("signed_file"),
        "signed_file",
        &limits,
        &mut errors,
    );
    if files.len() > 1 {
        errors.add("signed_file", "attachment-too-many");
    }
    match method {
        Some(SignatureMethod::Electronic)
            if files.is_empty() && errors.get("signed_file").is_none() =>
        {
            errors.add("signed_file", "letter-signed-file-required");
        }
        Some(SignatureMethod::Handwritten) if !files.is_empty() => {
            errors.add("signed_file", "letter-signed-file-handwritten");
        }
        _ => {}
    }
    let (Some(method), true) = (method, errors.is_empty()) else {
        let fields: Vec<(String, String)> = upload
            .fields
            .into_iter()
            .filter(|(k, _)| k == "method")
            .collect();
        return send_back(
            &state,
            &scope,
            ctx,
            letter,
            case,
            Shown::of(Posted::Sign, &fields, &errors),
        )
        .await;
    };
    let actor = visitor.actor();
    let mut tx = state.db.begin().await?;
    let signature = match (method, files.first()) {
        (SignatureMethod::Electronic, Some(file)) => Signature::Electronic {
            file_id: attachments::store(&mut tx, &actor, file).await?.0,
            sha256: attachments::sha256_hex(&file.bytes),
        },
        _ => Signature::Handwritten,
    };
    store::sign(&mut tx, &actor, id, &signature).await?;
    tx.commit().await?;
    Ok(back_to(&state, id, "letter-signed"))
}

pub async fn dispatch_letter(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (letter, case) = visible_letter(&state.db, &scope, id).await?;
    if !rights(&state, &scope, &case).await?.handle {
        return Err(AppError::Forbidden);
    }
    if letter.state != LetterState::Signed {
        return Err(AppError::Conflict(
            letters::FlowError::DispatchWithoutSignature.message_key(),
        ));
    }
    let issued_on = letter
        .issued_on
        .map_or(state.clock.today(), |d| d.to_jiff());
    let how = match Dispatch::try_from(DispatchForm {
        pairs: &pairs,
        issued_on,
        today: state.clock.today(),
    }) {
        Ok(how) => how,
        Err(errors) => {
            return send_back(
                &state,
                &scope,
                ctx,
                letter,
                case,
                Shown::of(Posted::Dispatch, &pairs, &errors),
            )
            .await;
        }
    };
    let subject = format!(
        "{} {}: {}",
        ctx.lang.t(&letter.kind.label_key()),
        letter.identifier,
        case.title
    )
    .chars()
    .take(300)
    .collect();
    let actor = visitor.actor();
    let mut tx = state.db.begin().await?;
    store::dispatch(&mut tx, &actor, &case, id, &how, subject).await?;
    tx.commit().await?;
    Ok(back_to(&state, id, "letter-dispatched-flash"))
}

pub async fn deliver_letter(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
    request: Request,
) -> AppResult<Response> {
    let (letter, case) = visible_letter(&state.db, &scope, id).await?;
    if !rights(&state, &scope, &case).await?.handle {
        return Err(AppError::Forbidden);
    }
    let item = match letter.outgoing_id {
        Some(oid) => crate::correspondence::store::outgoing(&state.db, oid).await?,
        None => None,
    };
    let Some(item) = item.filter(|_| letter.state == LetterState::Dispatched) else {
        return Err(AppError::Conflict(
            letters::FlowError::DeliverNotDispatched.message_key(),
        ));
    };
    let upload = read_multipart(request).await?;
    let limits = state.config.attachment_limits();
    let parsed = Delivery::try_from(DeliveryForm {
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
            return send_back(
                &state,
                &scope,
                ctx,
                letter,
                case,
                Shown::of(Posted::Delivery, &fields, &errors),
            )
            .await;
        }
    };
    let actor = visitor.actor();
    let mut tx = state.db.begin().await?;
    let proof = match proofs.first() {
        Some(file) => Some(attachments::store(&mut tx, &actor, file).await?.0),
        None => None,
    };
    store::deliver(
        &mut tx,
        &actor,
        id,
        &item,
        &delivery,
        proof,
        state.clock.today(),
    )
    .await?;
    tx.commit().await?;
    Ok(back_to(&state, id, "letter-delivered"))
}

fn pdf_response(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A file name from an identifier: letters, digits, dots and dashes.
fn file_stem(identifier: &str) -> String {
    identifier
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

pub async fn letter_pdf(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (letter, case) = visible_letter(&state.db, &scope, id).await?;
    let doc = print::letter(ctx.lang, &letter, &case, state.clock.now_in_warsaw())?;
    let bytes = crate::web::pdf::render(&doc).map_err(|e| AppError::Internal(e.into()))?;
    Ok(pdf_response(
        bytes,
        &format!("{}.pdf", file_stem(&letter.identifier)),
    ))
}

pub async fn signed_file(
    State(state): State<AppState>,
    scope: UnitScope,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (letter, _) = visible_letter(&state.db, &scope, id).await?;
    let file_id = letter.signed_file_id.ok_or(AppError::NotFound)?;
    let file = attachments::load(&state.db, file_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(attachments::download(file))
}

// ---------------------------------------------------------------------------------
// The metryka

pub struct MetrykaLine {
    pub number: usize,
    pub date: String,
    pub person: String,
    pub act: String,
    pub document: String,
    pub detail: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "case_documents/metryka.html")]
pub struct MetrykaPage {
    pub ctx: PageCtx,
    pub case: CaseFile,
    pub required: bool,
    pub lines: Vec<MetrykaLine>,
}

pub(super) async fn metryka_lines(
    db: &Db,
    lang: Lang,
    case: &CaseFile,
) -> AppResult<Vec<MetrykaLine>> {
    Ok(store::metryka(db, case)
        .await?
        .into_iter()
        .enumerate()
        .map(|(i, e)| MetrykaLine {
            number: i + 1,
            date: e
                .at
                .parse::<jiff::Timestamp>()
                .map(|t| {
                    crate::db::UtcTime::from_timestamp(t)
                        .in_warsaw()
                        .strftime("%Y-%m-%d %H:%M")
                        .to_string()
                })
                .unwrap_or_else(|_| e.at.clone()),
            person: e.person(),
            act: lang.t(&e.act.label_key()),
            document: e.document.clone(),
            detail: e.detail.clone(),
        })
        .collect())
}

pub async fn metryka_page(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<MetrykaPage> {
    let case = visible_case(&state.db, &scope, id).await?;
    Ok(MetrykaPage {
        lines: metryka_lines(&state.db, ctx.lang, &case).await?,
        required: metryka::required_for(case.kind),
        case,
        ctx,
    })
}

pub async fn metryka_pdf(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let case = visible_case(&state.db, &scope, id).await?;
    let lines = metryka_lines(&state.db, ctx.lang, &case).await?;
    let doc = print::metryka(ctx.lang, &case, &lines, state.clock.now_in_warsaw());
    let bytes = crate::web::pdf::render(&doc).map_err(|e| AppError::Internal(e.into()))?;
    Ok(pdf_response(
        bytes,
        &format!("metryka-{}.pdf", file_stem(&case.znak)),
    ))
}

// ---------------------------------------------------------------------------------
// Dekretacja

#[derive(Template, WebTemplate)]
#[template(path = "case_documents/dekretacja.html")]
pub struct DekretacjaPage {
    pub ctx: PageCtx,
    pub item: crate::correspondence::store::IncomingItem,
    pub rows: Vec<store::DekretacjaRow>,
    pub form: Option<DekretacjaFormView>,
    pub error_summary: Vec<(String, String)>,
}

pub struct DekretacjaFormView {
    pub to_user_id: Field,
    pub instruction: Field,
}

/// Active staff with an employee record in the units where the user assigns work.
async fn officials(db: &Db, scope: &UnitScope) -> AppResult<Vec<(String, String)>> {
    let rows: Vec<(i64, String, i64)> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT a.id, a.display_name, e.org_unit_id FROM app_user a \
             JOIN employee e ON e.user_id = a.id WHERE a.active AND e.active ORDER BY a.display_name",
        )
        .fetch_all(c)
        .await
    })?;
    let mut out = Vec::new();
    for (id, name, unit) in rows {
        if scope.allows(Permission::AssignCases, unit).await? {
            out.push((id.to_string(), name));
        }
    }
    Ok(out)
}

async fn visible_item(
    state: &AppState,
    scope: &UnitScope,
    id: i64,
) -> AppResult<crate::correspondence::store::IncomingItem> {
    scope.user().require(Permission::ViewCorrespondence)?;
    let item = crate::correspondence::store::incoming(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !scope
        .allows(Permission::ViewCorrespondence, item.org_unit_id)
        .await?
    {
        return Err(AppError::Forbidden);
    }
    Ok(item)
}

async fn dekretacja_page(
    state: &AppState,
    scope: &UnitScope,
    ctx: PageCtx,
    item: crate::correspondence::store::IncomingItem,
    pairs: &[(String, String)],
    errors: &FormErrors,
) -> AppResult<DekretacjaPage> {
    let lang = ctx.lang;
    let mut builder = FormBuilder::new(lang, errors);
    let form = if scope
        .allows(Permission::AssignCases, item.org_unit_id)
        .await?
    {
        let mut options = vec![(String::new(), lang.t("letter-choose"))];
        options.extend(officials(&state.db, scope).await?);
        Some(DekretacjaFormView {
            to_user_id: builder.field(
                Field::text(
                    lang,
                    "to_user_id",
                    "dekretacja-to",
                    value(pairs, "to_user_id"),
                )
                .select(options),
            ),
            instruction: builder.field(
                Field::text(
                    lang,
                    "instruction",
                    "dekretacja-instruction",
                    value(pairs, "instruction"),
                )
                .kind("textarea")
                .optional()
                .hint(lang, "dekretacja-instruction-hint"),
            ),
        })
    } else {
        None
    };
    Ok(DekretacjaPage {
        rows: store::dekretacje(&state.db, item.id).await?,
        form,
        error_summary: builder.summary(),
        item,
        ctx,
    })
}

pub async fn dekretacja(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<DekretacjaPage> {
    let item = visible_item(&state, &scope, id).await?;
    dekretacja_page(&state, &scope, ctx, item, &[], &FormErrors::new()).await
}

pub async fn dekretuj(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    scope.user().require(Permission::AssignCases)?;
    let item = crate::correspondence::store::incoming(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !scope
        .allows(Permission::AssignCases, item.org_unit_id)
        .await?
    {
        return Err(AppError::Forbidden);
    }
    let officials = officials(&state.db, &scope).await?;
    let d = match Dekretacja::try_from(DekretacjaForm {
        pairs: &pairs,
        officials: &officials,
    }) {
        Ok(d) => d,
        Err(errors) => {
            let page = dekretacja_page(&state, &scope, ctx, item, &pairs, &errors).await?;
            return Ok(form::respond(&errors, page));
        }
    };
    let actor = visitor.actor();
    let mut tx = state.db.begin().await?;
    store::dekretuj(
        &mut tx,
        &actor,
        &store::NewDekretacja {
            incoming_id: item.id,
            register_number: &item.register_number,
            case_id: item.case_id,
            to_user_id: d.to_user_id,
            to_name: &d.to_name,
            instruction: &d.instruction,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        &format!("/staff/dekretacja/{id}"),
        "dekretacja-saved",
        state.config.behind_tls(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(file_stem("SA.5310.3.2026/2"), "SA.5310.3.2026-2");
        assert_eq!(file_stem("a\"b"), "a-b");
    }

    #[test]
    fn every_kind_has_its_omission_label_where_it_may_omit() {
        for kind in LetterKind::ALL {
            if kind.may_omit_justification() {
                let key = format!(
                    "letter-omit-justification-{}",
                    kind.as_str().replace('_', "-")
                );
                assert_ne!(Lang::Pl.t(&key), key);
            }
        }
    }
}
