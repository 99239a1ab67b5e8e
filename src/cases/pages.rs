//! The case pages: the work list, registering a case, the case page with its history
//! and the forms for each step.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{FromRef, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use magistrat_domain::deadline::{CaseKind, DeadlineStatus, deadline_status, explain_due_date};

use super::service::JrwaChoice;
use super::step_forms::{
    IntakeState, Posted, StepChoices, StepForm, StepFormView, StepKind, step_forms,
};
use super::store::{self, CaseFile, CaseRow, Channel, NewCase, Step, StepOutcome};
use super::workflow::Action;
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::scope::UnitScope;
use crate::auth::session::Staff;
use crate::db::Db;
use crate::platform::form::parse::{self, FormReader, Pairs};
use crate::platform::form::{self, Field, FormBuilder, FormErrors, checked, value};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::{Arg, Lang};
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;
use crate::with_db;

pub const PAGE_SIZE: i64 = 50;

/// The label of a case kind.
pub fn kind_label(lang: Lang, kind: CaseKind) -> String {
    lang.t(&format!("case-kind-{}", kind.as_str().replace('_', "-")))
}

/// A line of a list as shown.
pub struct ListItem {
    pub row: CaseRow,
    pub kind: String,
    pub status: String,
    pub due: String,
    /// "running", "due_today", "overdue" or "" for cases no longer open.
    pub deadline: &'static str,
}

/// The lines of a list, each deadline read against `today`.
pub fn list_items(lang: Lang, today: Date, rows: Vec<CaseRow>) -> Vec<ListItem> {
    rows.into_iter()
        .map(|row| {
            let open = row.status.is_open();
            ListItem {
                kind: kind_label(lang, row.kind),
                status: lang.t(row.status.label_id()),
                due: crate::web::i18n::short_date(row.due_on.to_jiff()),
                deadline: if open {
                    deadline_status(row.due_on.to_jiff(), today).code()
                } else {
                    ""
                },
                row,
            }
        })
        .collect()
}

pub fn kind_options(lang: Lang) -> Vec<(String, String)> {
    CaseKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), kind_label(lang, *k)))
        .collect()
}

// =======================================================================================
// Registering
// =======================================================================================

#[derive(Template, WebTemplate)]
#[template(path = "cases/new.html")]
pub struct NewPage {
    pub ctx: PageCtx,
    pub unit_id: Field,
    pub jrwa_symbol: Field,
    pub kind: Field,
    pub title: Field,
    pub party_name: Field,
    pub party_address: Field,
    pub party_email: Field,
    pub received_on: Field,
    pub channel: Field,
    pub assign_to_me: bool,
    pub publish_consent: bool,
    /// Started ex officio (KPA art. 61 § 1).
    pub ex_officio: bool,
    /// Its problem (a kind that cannot be started ex officio).
    pub ex_officio_error: Option<String>,
    pub error_summary: Vec<(String, String)>,
}

/// What the form offers: the units the user registers in, the leaf classes of the year
/// (those of the user's units first).
pub struct Choices {
    units: Vec<(String, String)>,
    classes: JrwaChoice,
    /// Every class offered, for the check of what was sent.
    all_classes: Vec<(String, String)>,
    /// Today by the office's clock: the default received date and the latest allowed.
    today: Date,
}

async fn choices(state: &AppState, scope: &UnitScope, lang: Lang) -> AppResult<Choices> {
    let db = &state.db;
    let allowed = scope.unit_ids(Permission::RegisterCases).await?;
    let today = db.clock().today();
    let year = i32::from(today.year());
    let units = scope
        .tree()
        .await?
        .units
        .iter()
        .filter(|u| u.is_valid_in(year))
        .filter(|u| allowed.as_ref().is_none_or(|a| a.contains(&u.id)))
        .map(|u| (u.id.to_string(), crate::org::unit_label(lang, u, year)))
        .collect();
    let own = scope.own_units(Permission::RegisterCases).await?;
    let kept = super::jrwa::RegistrableClasses::from_ref(state);
    let version = scope.user().units_version;
    let classes = super::service::jrwa_choice(db, &kept, year, version, &own).await?;
    Ok(Choices {
        units,
        all_classes: classes.all().cloned().collect(),
        classes,
        today,
    })
}

fn new_page(
    ctx: PageCtx,
    choices: Choices,
    pairs: &[(String, String)],
    errors: &FormErrors,
) -> NewPage {
    let lang = ctx.lang;
    let v = |name: &str| value(pairs, name).to_owned();
    let mut units = vec![(String::new(), lang.t("case-choose"))];
    units.extend(choices.units);
    let mut kinds = vec![(String::new(), lang.t("case-choose"))];
    kinds.extend(kind_options(lang));
    let channels = Channel::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), lang.t(&c.label_key())))
        .collect();
    let received = if pairs.is_empty() {
        choices.today.to_string()
    } else {
        v("received_on")
    };
    let mut form = FormBuilder::new(lang, errors);
    let unit_id = form.field(Field::text(lang, "unit_id", "case-unit", v("unit_id")).select(units));
    let jrwa_symbol = form.field(
        Field::text(lang, "jrwa_symbol", "case-jrwa", v("jrwa_symbol"))
            .select(vec![(String::new(), lang.t("case-choose"))])
            .grouped(choices.classes.groups(lang))
            .hint(lang, "case-jrwa-hint"),
    );
    let kind = form.field(
        Field::text(lang, "kind", "case-kind", v("kind"))
            .select(kinds)
            .hint(lang, "case-kind-hint"),
    );
    let title = form.field(Field::text(lang, "title", "case-title", v("title")));
    let party_name = form.field(Field::text(
        lang,
        "party_name",
        "case-party-name",
        v("party_name"),
    ));
    let party_address = form.field(
        Field::text(
            lang,
            "party_address",
            "case-party-address",
            v("party_address"),
        )
        .optional(),
    );
    let party_email = form.field(
        Field::text(lang, "party_email", "case-party-email", v("party_email"))
            .kind("email")
            .optional(),
    );
    let received_on = form.field(
        Field::text(lang, "received_on", "case-received-on", received)
            .kind("date")
            .hint(lang, "case-received-on-hint"),
    );
    let channel =
        form.field(Field::text(lang, "channel", "case-channel", v("channel")).select(channels));
    form.label("ex_officio", "case-ex-officio");
    let ex_officio_error = errors.get("ex_officio").map(|k| lang.t(k));
    let error_summary = form.summary();
    NewPage {
        unit_id,
        jrwa_symbol,
        kind,
        title,
        party_name,
        party_address,
        party_email,
        received_on,
        channel,
        assign_to_me: pairs.is_empty() || checked(pairs, "assign_to_me"),
        publish_consent: checked(pairs, "publish_consent"),
        ex_officio: checked(pairs, "ex_officio"),
        ex_officio_error,
        error_summary,
        ctx,
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
) -> AppResult<NewPage> {
    scope.user().require(Permission::RegisterCases)?;
    let choices = choices(&state, &scope, ctx.lang).await?;
    Ok(new_page(ctx, choices, &[], &FormErrors::new()))
}

/// The register form as posted, with the units and classes the page offered.
pub struct NewCaseForm<'a> {
    pub pairs: &'a Pairs,
    /// (id, label) of the units the user registers in.
    pub units: &'a [(String, String)],
    /// (symbol, label) of the year's leaf JRWA classes.
    pub classes: &'a [(String, String)],
    /// Who registers (and takes the case on when the form asks).
    pub user_id: i64,
    /// The office's date: a letter is not received later than today, nor in another
    /// year than the register's.
    pub today: Date,
}

impl TryFrom<NewCaseForm<'_>> for NewCase {
    type Error = FormErrors;

    fn try_from(form: NewCaseForm<'_>) -> Result<Self, FormErrors> {
        let NewCaseForm {
            pairs,
            units,
            classes,
            user_id,
            today,
        } = form;
        let mut f = FormReader::new(pairs);
        let offered = |options: &'_ [(String, String)], v: &str| {
            parse::choice(v, options, |(code, _)| code.as_str()).map(|(code, _)| code.clone())
        };
        let unit_id = f
            .required("unit_id", |v| {
                offered(units, v).map_err(|_| "case-error-unit")
            })
            .and_then(|id| id.parse::<i64>().ok());
        if unit_id.is_none() {
            f.error("unit_id", "case-error-unit");
        }
        let jrwa_symbol = f.required("jrwa_symbol", |v| {
            offered(classes, v).map_err(|_| "case-error-jrwa")
        });
        if jrwa_symbol.is_none() {
            f.error("jrwa_symbol", "case-error-jrwa");
        }
        let kind = f.value("kind").parse::<CaseKind>().ok();
        if kind.is_none() {
            f.error("kind", "case-error-kind");
        }
        let title = f.text("title", 500);
        let party_name = f.text("party_name", 200);
        let party_address = f.optional_text("party_address", 300);
        let party_email = f
            .optional("party_email", |v| {
                parse::text(v, 254).and_then(|t| {
                    if parse::looks_like_email(&t) {
                        Ok(t)
                    } else {
                        Err("case-error-email")
                    }
                })
            })
            .unwrap_or_default();
        let received_on = f.optional("received_on", |v| {
            parse::date(v).map_err(|_| "case-error-date")
        });
        match received_on {
            None => f.error("received_on", "case-error-date"),
            // The current year, or the last while its spis spraw is open (a letter of
            // 31 December registered in January; the store refuses a closed year).
            Some(d) => {
                if let Err(key) = magistrat_domain::archive::registrable(d, today, false) {
                    f.error("received_on", key);
                }
            }
        }
        let channel = Channel::parse(f.value("channel"));
        if channel.is_none() {
            f.error("channel", "case-error-channel");
        }
        let publish_consent = f.checked("publish_consent");
        let official_id = f.checked("assign_to_me").then_some(user_id);
        let case = match (unit_id, jrwa_symbol, kind, received_on, channel) {
            (Some(unit_id), Some(jrwa_symbol), Some(kind), Some(received_on), Some(channel)) => {
                Some(NewCase {
                    unit_id,
                    jrwa_symbol,
                    kind,
                    title,
                    party_name,
                    party_address,
                    party_email,
                    publish_consent,
                    received_on,
                    channel,
                    correspondence_id: None,
                    official_id,
                })
            }
            _ => None,
        };
        f.finish(case)
    }
}

pub async fn create(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    scope: UnitScope,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    user.require(Permission::RegisterCases)?;
    let choices = choices(&state, &scope, ctx.lang).await?;
    // Only someone who may work on cases takes one on at registration.
    let mut pairs = pairs;
    if !user.can(Permission::HandleCases) {
        pairs.retain(|(k, _)| k != "assign_to_me");
    }
    let form = NewCaseForm {
        pairs: &pairs,
        units: &choices.units,
        classes: &choices.all_classes,
        user_id: user.id,
        today: choices.today,
    };
    // KPA art. 61 § 1: only proceedings on the merits start ex officio.
    let ex_officio = checked(&pairs, "ex_officio");
    let read = NewCase::try_from(form).and_then(|new| {
        if ex_officio && !magistrat_domain::intake::may_start_ex_officio(new.kind) {
            Err(FormErrors::one("ex_officio", "case-error-ex-officio-kind"))
        } else {
            Ok(new)
        }
    });
    match read {
        Ok(new) => {
            let mut tx = state.db.begin().await?;
            let actor = visitor.actor();
            let registered = if ex_officio {
                store::register_case_ex_officio(&mut tx, &actor, new).await
            } else {
                store::register_case(&mut tx, &actor, new).await
            };
            let registered = match registered {
                Err(store::CaseStoreError::Refused(key @ "case-error-date-year-closed")) => {
                    let errors = FormErrors::one("received_on", key);
                    let page = new_page(ctx, choices, &pairs, &errors);
                    return Ok(form::respond(&errors, page));
                }
                other => other?,
            };
            tx.commit().await?;
            Ok(redirect_with_flash(
                &format!("/staff/cases/{}", registered.id),
                "case-registered",
                state.config.behind_tls(),
            ))
        }
        Err(errors) => {
            let page = new_page(ctx, choices, &pairs, &errors);
            Ok(form::respond(&errors, page))
        }
    }
}

// =======================================================================================
// The case page
// =======================================================================================

pub struct EventView {
    pub when: String,
    pub who: String,
    pub what: String,
    pub status: String,
    pub note: String,
}

pub struct PeriodView {
    pub kind: String,
    pub from: String,
    pub to: String,
    pub reason: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/detail.html")]
pub struct DetailPage {
    pub ctx: PageCtx,
    pub case: CaseFile,
    pub kind: String,
    pub status: String,
    pub channel: String,
    pub term: String,
    pub source: String,
    pub statutory_due: String,
    pub due: String,
    pub deadline: String,
    pub explanation: Vec<String>,
    pub events: Vec<EventView>,
    pub periods: Vec<PeriodView>,
    pub notices: Vec<(String, String, String)>,
    pub transferred_to: Option<(i64, String)>,
    pub transferred_from: Option<(i64, String)>,
    /// The forms of the steps this user may take now.
    pub step_forms: Vec<StepFormView>,
    pub extended_limit: Option<String>,
    /// The problems of the step form sent, linked to its fields.
    pub error_summary: Vec<(String, String)>,
    /// Why the step sent was refused as a whole (not allowed now, unknown).
    pub step_error: Option<String>,
    /// The case's documents (akta), from the case_documents capability's store.
    pub documents: Vec<crate::case_documents::store::Document>,
    /// A request under the KPA that came by plain e-mail, not a way of art. 63 § 1.
    pub email_warning: bool,
    /// The parties in order, each with its pełnomocnik.
    pub parties: Vec<PartyView>,
    /// The summonses to remove formal defects (art. 64 § 2) and their outcome.
    pub defects: Vec<DefectView>,
    /// The opłata skarbowa of the case (decision 0050).
    pub fees: FeesView,
    /// Whether this user may change the parties (the remove buttons, the edit links).
    pub can_edit_parties: bool,
    /// The day the term of art. 35 counts from, when it is not the day of receipt.
    pub term_start: Option<String>,
}

/// A party as the case page lists it.
pub struct PartyView {
    pub id: i64,
    pub applicant: bool,
    pub kind: String,
    pub name: String,
    pub address: String,
    pub email: String,
    /// The pełnomocnik: name, address, scope, power of attorney.
    pub representative: Option<(String, String, String, String)>,
    /// Who receives the letters meant for this party (art. 40 § 2).
    pub letters_to: String,
}

/// A summons of art. 64 § 2 as the case page lists it.
pub struct DefectView {
    pub defects: String,
    pub delivered: String,
    pub remove_by: String,
    pub state: String,
    pub resolved: String,
    pub posted: String,
    /// For a removal: in the party's term (art. 57 § 5 pkt 2), or late.
    pub in_term: Option<bool>,
}

/// A fee of the case as the case page lists it.
pub struct FeeView {
    pub description: String,
    pub tariff: String,
    pub amount: String,
    pub state: String,
    /// Paid: the date, the amount, how, the proof; exempt: the basis.
    pub detail: String,
    /// The summons of art. 261 § 1: delivered, the last day to pay.
    pub summons: Option<(String, String)>,
    /// Paid after the summons' last day.
    pub late: bool,
}

/// The case's fees, the account and the transfer title.
pub struct FeesView {
    pub items: Vec<FeeView>,
    /// Still to pay, „17,00 zł”, when something is.
    pub to_pay: Option<String>,
    /// The office's account (formatted), empty when not set.
    pub account: String,
    /// The title of a transfer.
    pub title: String,
}

async fn fee_views(db: &Db, ctx: &PageCtx, case: &CaseFile) -> AppResult<FeesView> {
    let lang = ctx.lang;
    let fees = store::case_fees(db, case.id).await?;
    let items = fees
        .iter()
        .map(|f| {
            let state = lang.t(&format!("fee-state-{}", f.state));
            let detail = match f.state() {
                magistrat_domain::stamp_duty::FeeState::Paid => format!(
                    "{}, {}, {}: {}",
                    f.paid_on
                        .map(|d| ctx.date(&d.to_jiff()))
                        .unwrap_or_default(),
                    magistrat_domain::stamp_duty::format_zloty(f.paid_grosze.unwrap_or(0)),
                    lang.t(&format!("fee-method-{}", f.method.replace('_', "-"))),
                    f.proof
                ),
                magistrat_domain::stamp_duty::FeeState::Exempt => f.exempt_basis.clone(),
                _ => String::new(),
            };
            FeeView {
                description: f.description.clone(),
                tariff: f.tariff.clone(),
                amount: f.amount_text(),
                state,
                detail,
                summons: f
                    .summons_delivered_on
                    .zip(f.pay_by)
                    .map(|(d, by)| (ctx.date(&d.to_jiff()), ctx.date(&by.to_jiff()))),
                late: f.paid_late(),
            }
        })
        .collect();
    let due: i64 = fees
        .iter()
        .filter(|f| f.is_due())
        .map(|f| f.amount_grosze)
        .sum();
    let account = store::office_fee_account(db).await?;
    Ok(FeesView {
        items,
        to_pay: (due > 0).then(|| magistrat_domain::stamp_duty::format_zloty(due)),
        account: magistrat_domain::identifiers::Nrb::parse(&account)
            .map(|n| n.formatted())
            .unwrap_or(account),
        title: magistrat_domain::stamp_duty::transfer_title(&case.znak),
    })
}

/// Who may do what with this case.
struct Rights {
    manage: bool,
    handle: bool,
}

async fn rights(scope: &UnitScope, case: &CaseFile) -> AppResult<Rights> {
    let manage = scope.allows(Permission::AssignCases, case.unit_id).await?;
    let handle = manage
        || (case.official_id == Some(scope.user().id)
            && scope.allows(Permission::HandleCases, case.unit_id).await?);
    Ok(Rights { manage, handle })
}

/// The case, after checking the user may see it (403 outside their scope).
async fn visible_case(db: &Db, scope: &UnitScope, id: i64) -> AppResult<CaseFile> {
    scope.user().require(Permission::ViewCases)?;
    let case = store::case_by_id(db, id).await?.ok_or(AppError::NotFound)?;
    if !scope.allows(Permission::ViewCases, case.unit_id).await? {
        return Err(AppError::Forbidden);
    }
    Ok(case)
}

/// Staff with an account in `units` (None: all), for the assign select.
pub(super) async fn officials(db: &Db, units: Option<&[i64]>) -> AppResult<Vec<(String, String)>> {
    let rows: Vec<(i64, String, i64)> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT a.id, a.display_name, e.org_unit_id FROM app_user a \
             JOIN employee e ON e.user_id = a.id WHERE a.active AND e.active ORDER BY a.display_name",
        )
        .fetch_all(c)
        .await
    })?;
    Ok(rows
        .into_iter()
        .filter(|(_, _, unit)| units.is_none_or(|u| u.contains(unit)))
        .map(|(id, name, _)| (id.to_string(), name))
        .collect())
}

pub fn explanation(lang: Lang, kind: CaseKind, received: Date) -> Vec<String> {
    let Ok(d) = explain_due_date(received, kind.term(), &[]) else {
        return Vec::new();
    };
    super::tools::explain(lang, &d)
}

/// A refused step, for the case page drawn again: the form as sent with its problems,
/// or a message for the step as a whole.
enum Refused<'a> {
    Form(Posted<'a>),
    Step(&'static str),
}

/// The case page; after a refused step, with that step's form as sent and its problems.
async fn detail_page(
    db: &Db,
    scope: &UnitScope,
    ctx: PageCtx,
    case: CaseFile,
    refused: Option<Refused<'_>>,
    edit_party: Option<i64>,
) -> AppResult<DetailPage> {
    let lang = ctx.lang;
    let today = db.clock().today();
    let rights = rights(scope, &case).await?;
    let parties = store::case_parties(db, case.id).await?;
    let defects = store::case_defects(db, case.id).await?;
    // The party whose form is drawn: the one a refused edit named, else the one chosen.
    let edit_party = match &refused {
        Some(Refused::Form(p)) if p.kind == StepKind::PartyEdit => {
            parse::value(p.pairs, "party_id").parse().ok()
        }
        _ => edit_party,
    };
    let editing = edit_party.and_then(|id| parties.iter().find(|p| p.id == id));
    let mut choices = step_choices(db, scope, &case, lang, rights.manage, today).await?;
    choices.editing = editing.map(|p| (p.id, super::step_forms::party_pairs(p)));
    let steps: Vec<StepKind> = if rights.handle {
        let mut steps = StepKind::available(case.status, rights.manage);
        steps.extend(
            StepKind::intake(
                case.status,
                intake_state(&case, &choices, editing.is_some()),
            )
            .into_iter()
            // Removing is a button beside each party.
            .filter(|k| *k != StepKind::PartyRemove),
        );
        steps.extend(StepKind::fees(case.status, &choices));
        steps
    } else {
        Vec::new()
    };
    let can_edit_parties = rights.handle
        && StepKind::intake(case.status, IntakeState::default()).contains(&StepKind::PartyAdd);
    let posted = match &refused {
        Some(Refused::Form(posted)) => Some(posted),
        _ => None,
    };
    let (step_forms, error_summary) = step_forms(lang, &steps, &choices, posted);
    let step_error = match refused {
        Some(Refused::Step(key)) => Some(lang.t(key)),
        _ => None,
    };
    let history = history(db, &ctx, &case).await?;
    let link = |id: Option<i64>| async move {
        match id {
            Some(id) => store::znak_of(db, id).await.map(|z| z.map(|z| (id, z))),
            None => Ok(None),
        }
    };
    let transferred_to = link(case.transferred_to_id).await?;
    let transferred_from = link(case.transferred_from_id).await?;
    let kind = case.kind;
    let extended_limit = kind
        .extended_due_date(case.received(), &[])
        .ok()
        .flatten()
        .map(|d| d.to_string());
    Ok(DetailPage {
        email_warning: !case.ex_officio
            && magistrat_domain::intake::email_filing_needs_warning(
                case.kind,
                case.channel == Channel::Email,
            ),
        parties: parties.iter().map(|p| party_view(lang, p)).collect(),
        defects: defects.iter().map(|d| defect_view(&ctx, d)).collect(),
        fees: fee_views(db, &ctx, &case).await?,
        can_edit_parties,
        term_start: (case.term_start() != case.received()).then(|| ctx.date(&case.term_start())),
        documents: crate::case_documents::store::documents(db, case.id).await?,
        kind: kind_label(lang, case.kind),
        status: lang.t(case.status.label_id()),
        channel: lang.t(&case.channel.label_key()),
        term: kind.term().to_string(),
        source: kind.source().to_owned(),
        statutory_due: ctx.date(&case.statutory_due_on.to_jiff()),
        due: ctx.date(&case.due()),
        deadline: deadline_text(lang, &case, today),
        explanation: explanation(lang, kind, case.term_start()),
        events: history.events,
        periods: history.periods,
        notices: history.notices,
        transferred_to,
        transferred_from,
        step_forms,
        extended_limit,
        error_summary,
        step_error,
        case,
        ctx,
    })
}

/// Where the intake stands, for the steps offered.
fn intake_state(case: &CaseFile, choices: &StepChoices, editing_party: bool) -> IntakeState {
    IntakeState {
        ex_officio: case.ex_officio,
        pending_defect: choices.pending_defect.is_some(),
        editing_party,
    }
}

fn party_view(lang: Lang, p: &store::CaseParty) -> PartyView {
    let party = p.to_party();
    let to = magistrat_domain::intake::addressee(&party);
    PartyView {
        id: p.id,
        applicant: p.is_applicant(),
        kind: lang.t(&format!("case-party-kind-{}", party.kind.as_str())),
        name: p.name.clone(),
        address: p.address.clone(),
        email: p.email.clone(),
        representative: party.representative.as_ref().map(|r| {
            (
                r.name.clone(),
                r.address.clone(),
                lang.t(&format!("case-party-rep-scope-{}", r.scope.as_str())),
                r.document.clone(),
            )
        }),
        letters_to: match to.on_behalf_of {
            Some(_) => lang.t_args(
                "case-party-letters-to-rep",
                &[("name", Arg::Str(to.name.to_owned()))],
            ),
            None => lang.t("case-party-letters-to-party"),
        },
    }
}

fn defect_view(ctx: &PageCtx, d: &store::CaseDefect) -> DefectView {
    let lang = ctx.lang;
    let resolved = d.resolved_on.map(|r| r.to_jiff());
    let posted = d.posted_on.map(|p| p.to_jiff());
    DefectView {
        defects: d.defects.clone(),
        delivered: ctx.date(&d.delivered_on.to_jiff()),
        remove_by: ctx.date(&d.remove_by.to_jiff()),
        state: lang.t(&format!("case-defect-state-{}", d.state.replace('_', "-"))),
        resolved: resolved.map(|r| ctx.date(&r)).unwrap_or_default(),
        posted: posted.map(|p| ctx.date(&p)).unwrap_or_default(),
        in_term: (d.state == "removed").then(|| {
            resolved.is_some_and(|r| {
                magistrat_domain::intake::kept_term(d.remove_by.to_jiff(), r, posted)
            })
        }),
    }
}

/// A case's history: its steps, its excluded periods and its delay notices.
struct History {
    events: Vec<EventView>,
    periods: Vec<PeriodView>,
    notices: Vec<(String, String, String)>,
}

async fn history(db: &Db, ctx: &PageCtx, case: &CaseFile) -> AppResult<History> {
    let lang = ctx.lang;
    let events = store::case_events(db, case.id)
        .await?
        .into_iter()
        .map(|e| EventView {
            when: ctx.datetime(&e.occurred_at),
            who: e.actor_name,
            what: lang.t(&format!("case-action-{}", e.action.replace('_', "-"))),
            status: lang.t(e.status.label_id()),
            note: e.note,
        })
        .collect();
    let periods = store::case_periods(db, case.id)
        .await?
        .into_iter()
        .map(|p| PeriodView {
            kind: lang.t(&format!("case-period-{}", p.kind.replace('_', "-"))),
            from: crate::web::i18n::short_date(p.start_on.to_jiff()),
            to: p
                .end_on
                .map(|d| crate::web::i18n::short_date(d.to_jiff()))
                .unwrap_or_else(|| lang.t("case-period-running")),
            reason: p.reason,
        })
        .collect();
    let notices = store::case_notices(db, case.id)
        .await?
        .into_iter()
        .map(|n| {
            (
                crate::web::i18n::short_date(n.issued_on.to_jiff()),
                crate::web::i18n::short_date(n.new_due_on.to_jiff()),
                n.reason,
            )
        })
        .collect();
    Ok(History {
        events,
        periods,
        notices,
    })
}

/// How the deadline stands today, for an open case ("" for one no longer open).
fn deadline_text(lang: Lang, case: &CaseFile, today: Date) -> String {
    if !case.status.is_open() {
        return String::new();
    }
    match deadline_status(case.due(), today) {
        DeadlineStatus::Running { days_left } => {
            lang.t_args("case-deadline-running", &[("days", Arg::Num(days_left))])
        }
        DeadlineStatus::DueToday => lang.t("case-deadline-today"),
        DeadlineStatus::Overdue { days_overdue } => {
            lang.t_args("case-deadline-overdue", &[("days", Arg::Num(days_overdue))])
        }
    }
}

/// What the step forms offer this user for this case: officials of the units they head
/// (none unless `manage`), the other units valid this year, today.
async fn step_choices(
    db: &Db,
    scope: &UnitScope,
    case: &CaseFile,
    lang: Lang,
    manage: bool,
    today: Date,
) -> AppResult<StepChoices> {
    let officials = if manage {
        let units = scope.unit_ids(Permission::AssignCases).await?;
        officials(db, units.as_deref()).await?
    } else {
        Vec::new()
    };
    let year = i32::from(today.year());
    let units = scope
        .tree()
        .await?
        .units
        .iter()
        .filter(|u| u.is_valid_in(year) && u.id != case.unit_id)
        .map(|u| (u.id.to_string(), crate::org::unit_label(lang, u, year)))
        .collect();
    let periods = store::case_periods(db, case.id)
        .await?
        .into_iter()
        .map(|p| (p.start_on.to_jiff(), p.end_on.map(|e| e.to_jiff())))
        .collect();
    let parties = store::case_parties(db, case.id)
        .await?
        .into_iter()
        .map(|p| (p.id.to_string(), p.name))
        .collect();
    let pending_defect = store::case_defects(db, case.id)
        .await?
        .into_iter()
        .rev()
        .find(store::CaseDefect::is_pending)
        .map(|d| d.delivered_on.to_jiff());
    let fees = store::case_fees(db, case.id).await?;
    let due = || fees.iter().filter(|f| f.is_due());
    Ok(StepChoices {
        officials,
        units,
        today,
        periods,
        parties,
        pending_defect,
        editing: None,
        fees_due: due().map(|f| (f.id.to_string(), f.label())).collect(),
        fees_unsummoned: due()
            .filter(|f| !f.summoned())
            .map(|f| (f.id.to_string(), f.label()))
            .collect(),
        fees_summoned: due()
            .filter_map(|f| {
                f.pay_by
                    .map(|by| (f.id.to_string(), f.label(), by.to_jiff()))
            })
            .collect(),
    })
}

/// `?party=ID`: the party whose edit form the page draws.
#[derive(Debug, Default, serde::Deserialize)]
pub struct DetailQuery {
    #[serde(default)]
    party: String,
}

pub async fn detail(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(query): Query<DetailQuery>,
) -> AppResult<DetailPage> {
    let case = visible_case(&state.db, &scope, id).await?;
    let edit_party = query.party.parse().ok();
    detail_page(&state.db, &scope, ctx, case, None, edit_party).await
}

pub async fn act(
    state: State<AppState>,
    staff: Staff,
    scope: UnitScope,
    ctx: PageCtx,
    Path((id, action)): Path<(i64, String)>,
    form: Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    take_step(state, staff, scope, ctx, id, action, form).await
}

/// Assigning a case: a route of its own, as it needs the head of unit's permission
/// (checked by the route table before the form is read).
pub async fn assign(
    state: State<AppState>,
    staff: Staff,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
    form: Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let action = Action::Assign.as_str().to_owned();
    take_step(state, staff, scope, ctx, id, action, form).await
}

/// An official takes an unassigned case of a unit whose cases they handle, with one
/// click from the workbench (issue 15): the assignment step with themselves as the
/// official, audited and in the history like a head's assignment. Someone else's take
/// or assignment first: 409 with the case page and a word why.
pub async fn take(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::HandleCases)?;
    let case = visible_case(&state.db, &scope, id).await?;
    if !scope.allows(Permission::HandleCases, case.unit_id).await? {
        return Err(AppError::Forbidden);
    }
    let mut tx = state.db.begin().await?;
    if store::take_case(&mut tx, &visitor.actor(), id, user.id).await? == StepOutcome::Done {
        tx.commit().await?;
        return Ok(redirect_with_flash(
            &format!("/staff/cases/{id}"),
            "case-taken",
            state.config.behind_tls(),
        ));
    }
    drop(tx);
    let case = visible_case(&state.db, &scope, id).await?;
    let page = detail_page(
        &state.db,
        &scope,
        ctx,
        case,
        Some(Refused::Step("case-error-taken")),
        None,
    )
    .await?;
    Ok((StatusCode::CONFLICT, page).into_response())
}

async fn take_step(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    scope: UnitScope,
    ctx: PageCtx,
    id: i64,
    action: String,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    user.require(Permission::HandleCases)?;
    let case = visible_case(&state.db, &scope, id).await?;
    let rights = rights(&scope, &case).await?;
    let kind = StepKind::parse(&action);
    if !rights.handle || (kind.is_some_and(StepKind::needs_manager) && !rights.manage) {
        return Err(AppError::Forbidden);
    }
    let today = state.clock.today();
    let choices = step_choices(&state.db, &scope, &case, ctx.lang, rights.manage, today).await?;
    let allowed = |kind: StepKind| {
        StepKind::available(case.status, rights.manage).contains(&kind)
            || StepKind::intake(case.status, intake_state(&case, &choices, true)).contains(&kind)
            || StepKind::fees(case.status, &choices).contains(&kind)
    };
    let refused = match kind {
        None => Refused::Step("case-error-action"),
        // A step the case's state does not allow now: said before its form is read.
        Some(kind) if !allowed(kind) => Refused::Step("case-error-not-allowed"),
        Some(kind) => {
            let form = StepForm {
                kind,
                pairs: &pairs,
                case: &case,
                choices: &choices,
            };
            match Step::try_from(form) {
                Ok(step) => {
                    let settles = step.settles();
                    let mut tx = state.db.begin().await?;
                    match store::apply_step(&mut tx, &visitor.actor(), id, step).await {
                        // Another official moved the case meanwhile.
                        Ok(StepOutcome::Conflict) => Refused::Step("case-error-not-allowed"),
                        // The store's own refusal (a party of another case, the
                        // applicant removed, a summons no longer pending): nothing kept.
                        Err(store::CaseStoreError::Refused(key)) => Refused::Step(key),
                        Err(e) => return Err(e.into()),
                        Ok(outcome) => {
                            // Only this request moved the case to settled (the move
                            // is conditional on the status read): the notice is owed
                            // once, with the settlement.
                            let owes_notice = settles && outcome == StepOutcome::Done;
                            if owes_notice {
                                super::settlement_mail::owe(&mut tx, id).await?;
                            }
                            tx.commit().await?;
                            if owes_notice {
                                state.outbox.send_soon();
                            }
                            let flash = match outcome {
                                StepOutcome::Transferred(_) => "case-transferred",
                                _ => "case-step-done",
                            };
                            return Ok(redirect_with_flash(
                                &format!("/staff/cases/{id}"),
                                flash,
                                state.config.behind_tls(),
                            ));
                        }
                    }
                }
                Err(errors) => {
                    let posted = Posted {
                        kind,
                        pairs: &pairs,
                        errors: &errors,
                    };
                    let page = detail_page(
                        &state.db,
                        &scope,
                        ctx,
                        case,
                        Some(Refused::Form(posted)),
                        None,
                    )
                    .await?;
                    return Ok(form::respond(&errors, page));
                }
            }
        }
    };
    let page = detail_page(&state.db, &scope, ctx, case, Some(refused), None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
