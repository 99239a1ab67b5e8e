//! The step forms of the case page on the form kit (docs/decisions/0018): a posted step
//! form is read by `Step::try_from(StepForm)` into a typed [`Step`] — the store's
//! command — or into every field's problem ([`FormErrors`]); and each step's form is
//! drawn by [`step_forms`], one [`FormBuilder::scoped`] a step, since the forms of one
//! page share input names (`on`, `reason`): the control of the suspension's date is
//! `f-suspend-on`, the settlement's `f-settle-on`, both sent as `on`.

use jiff::civil::Date;
use magistrat_domain::deadline::{
    CaseKind, ExcludedKind, RecordedPeriod, check_udip_extension, latest_new_due_date, overlaps,
};

use magistrat_domain::intake::{self, PartyKind, PowerScope, Representative};

use magistrat_domain::stamp_duty::{self, FeeKind, PaymentMethod};

use super::store::{CaseFile, CaseParty, NewFee, PartyInput, RepresentativeInput, Step};
use super::workflow::{self, Action, Status};
use crate::platform::form::parse::{self, FormReader, Pairs};
use crate::platform::form::{Field, FormBuilder, FormErrors, value};
use crate::web::i18n::Lang;

/// Which step a form takes: a step of the workflow, or one of the two that move the
/// due date without changing the status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    Workflow(Action),
    /// KPA art. 36 / UDIP art. 13 ust. 2: the party told of a new date.
    DelayNotice,
    /// KPA art. 35 § 5: a delay caused by the party.
    PartyDelay,
    /// KPA art. 35 § 5: another period not counted — a term a law sets for a specific
    /// act, mediation, a delay for reasons outside the organ.
    ExcludedPeriod,
    /// A party joins (art. 28), with its pełnomocnik if any (art. 32–33).
    PartyAdd,
    /// A party's data or pełnomocnik changed (the form of the party chosen on the page).
    PartyEdit,
    /// A party taken off the case (a button beside it in the list of parties).
    PartyRemove,
    /// Art. 64 § 2: the summons to remove formal defects, with its delivery date.
    DefectSummons,
    /// Art. 64 § 2: the defects removed; the term of art. 35 counts from then.
    DefectsRemoved,
    /// Art. 64 § 2: the request left without examination.
    LeaveUnexamined,
    /// Opłata skarbowa due on the case (the request's, or a power of attorney's).
    FeeAdd,
    /// The amount due changed, with the reason (e.g. a partial exemption).
    FeeAmount,
    /// The fee paid, with its proof.
    FeePaid,
    /// The fee exempt, with its legal basis.
    FeeExempt,
    /// KPA art. 261 § 1: the summons to pay, with its delivery date and term.
    FeeSummons,
    /// KPA art. 261 § 2: the request returned, the term run out unpaid.
    FeeReturn,
}

/// Where the intake of a case stands, for the steps it offers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IntakeState {
    /// Started ex officio: there is no request whose defects could be summoned.
    pub ex_officio: bool,
    /// A summons to remove defects waits for the party.
    pub pending_defect: bool,
    /// A party was chosen for editing on the page.
    pub editing_party: bool,
}

impl StepKind {
    /// The step of the path `/staff/cases/{id}/actions/{code}`.
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "delay_notice" => Some(Self::DelayNotice),
            "party_delay" => Some(Self::PartyDelay),
            "excluded_period" => Some(Self::ExcludedPeriod),
            "party_add" => Some(Self::PartyAdd),
            "party_edit" => Some(Self::PartyEdit),
            "party_remove" => Some(Self::PartyRemove),
            "defect_summons" => Some(Self::DefectSummons),
            "defects_removed" => Some(Self::DefectsRemoved),
            "leave_unexamined" => Some(Self::LeaveUnexamined),
            "fee_add" => Some(Self::FeeAdd),
            "fee_amount" => Some(Self::FeeAmount),
            "fee_paid" => Some(Self::FeePaid),
            "fee_exempt" => Some(Self::FeeExempt),
            "fee_summons" => Some(Self::FeeSummons),
            "fee_return" => Some(Self::FeeReturn),
            _ => code.parse().ok().map(Self::Workflow),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Workflow(action) => action.as_str(),
            Self::DelayNotice => "delay_notice",
            Self::PartyDelay => "party_delay",
            Self::ExcludedPeriod => "excluded_period",
            Self::PartyAdd => "party_add",
            Self::PartyEdit => "party_edit",
            Self::PartyRemove => "party_remove",
            Self::DefectSummons => "defect_summons",
            Self::DefectsRemoved => "defects_removed",
            Self::LeaveUnexamined => "leave_unexamined",
            Self::FeeAdd => "fee_add",
            Self::FeeAmount => "fee_amount",
            Self::FeePaid => "fee_paid",
            Self::FeeExempt => "fee_exempt",
            Self::FeeSummons => "fee_summons",
            Self::FeeReturn => "fee_return",
        }
    }

    /// Only a head of unit (AssignCases) may take it.
    pub fn needs_manager(self) -> bool {
        matches!(self, Self::Workflow(a) if a.needs_manager())
    }

    /// The steps a user may take on a case in `status`: the workflow's (assigning only
    /// when `manage`), then, while the case is open, the two date steps.
    pub fn available(status: Status, manage: bool) -> Vec<StepKind> {
        let mut steps: Vec<StepKind> = workflow::allowed(status)
            .into_iter()
            .filter(|a| manage || !a.needs_manager())
            .map(Self::Workflow)
            .collect();
        if status.is_open() {
            steps.extend([Self::DelayNotice, Self::PartyDelay, Self::ExcludedPeriod]);
        }
        steps
    }

    /// The intake's steps open on a case in `status`: the parties while the case is
    /// here (open or settled), the summons of art. 64 § 2 on a request still open,
    /// then its outcome while it waits. `PartyEdit` only when a party was chosen.
    pub fn intake(status: Status, state: IntakeState) -> Vec<StepKind> {
        let mut steps = Vec::new();
        if status.is_open() || status == Status::Settled {
            steps.push(Self::PartyAdd);
            if state.editing_party {
                steps.push(Self::PartyEdit);
            }
            steps.push(Self::PartyRemove);
        }
        if status.is_open() && !state.ex_officio && !state.pending_defect {
            steps.push(Self::DefectSummons);
        }
        if status.is_open() && state.pending_defect {
            steps.push(Self::DefectsRemoved);
            if status != Status::Suspended {
                steps.push(Self::LeaveUnexamined);
            }
        }
        steps
    }

    /// The fee steps open on a case in `status` (decision 0050): adding a fee while
    /// the case is open; changing, paying, exempting a fee due; the summons of art.
    /// 261 § 1 for a fee not yet summoned; the return of § 2 for a summoned one, while
    /// the case is handled and not suspended.
    pub fn fees(status: Status, choices: &StepChoices) -> Vec<StepKind> {
        let mut steps = Vec::new();
        if !status.is_open() {
            return steps;
        }
        steps.push(Self::FeeAdd);
        if !choices.fees_due.is_empty() {
            steps.extend([Self::FeeAmount, Self::FeePaid, Self::FeeExempt]);
        }
        if !choices.fees_unsummoned.is_empty() {
            steps.push(Self::FeeSummons);
        }
        if !choices.fees_summoned.is_empty() && status != Status::Suspended {
            steps.push(Self::FeeReturn);
        }
        steps
    }

    fn label_id(self) -> String {
        format!("case-do-{}", self.code().replace('_', "-"))
    }

    fn hint_id(self) -> Option<&'static str> {
        match self {
            Self::DelayNotice => Some("case-delay-notice-hint"),
            Self::PartyDelay => Some("case-party-delay-hint"),
            Self::ExcludedPeriod => Some("case-excluded-period-hint"),
            Self::PartyAdd | Self::PartyEdit => Some("case-party-hint"),
            Self::DefectSummons => Some("case-defect-summons-hint"),
            Self::DefectsRemoved => Some("case-defects-removed-hint"),
            Self::LeaveUnexamined => Some("case-leave-unexamined-hint"),
            Self::FeeAdd => Some("fee-add-hint"),
            Self::FeeAmount => Some("fee-amount-hint"),
            Self::FeePaid => Some("fee-paid-hint"),
            Self::FeeExempt => Some("fee-exempt-hint"),
            Self::FeeSummons => Some("fee-summons-hint"),
            Self::FeeReturn => Some("fee-return-hint"),
            Self::Workflow(_) | Self::PartyRemove => None,
        }
    }
}

/// A step's form as posted, with what its checks need: the case as read, the choices
/// the page offered and the office's date.
pub struct StepForm<'a> {
    pub kind: StepKind,
    pub pairs: &'a Pairs,
    pub case: &'a CaseFile,
    pub choices: &'a StepChoices,
}

/// What the step forms offer: (id, name) of the officials a case may be assigned to,
/// (id, label) of the units it may be transferred to, and today by the office's clock
/// (the default date and the latest allowed).
pub struct StepChoices {
    pub officials: Vec<(String, String)>,
    pub units: Vec<(String, String)>,
    pub today: Date,
    /// The case's periods not counted already recorded (a new one may not overlap).
    pub periods: Vec<RecordedPeriod>,
    /// (id, name) of the case's parties.
    pub parties: Vec<(String, String)>,
    /// The day the pending summons of art. 64 § 2 was delivered, if one waits.
    pub pending_defect: Option<Date>,
    /// The party chosen for editing: its id and its data as the form's pairs.
    pub editing: Option<(i64, Vec<(String, String)>)>,
    /// (id, label) of the case's fees due (opłata skarbowa).
    pub fees_due: Vec<(String, String)>,
    /// (id, label) of the fees due with no summons yet.
    pub fees_unsummoned: Vec<(String, String)>,
    /// (id, label) of the fees summoned (art. 261 § 1), with the last day to pay.
    pub fees_summoned: Vec<(String, String, Date)>,
}

/// The longest free text of a step (a reason, an outcome, a note).
const TEXT_MAX: usize = 1000;
/// The name of the competent body a case is forwarded to.
const BODY_MAX: usize = 300;
/// A party's or a pełnomocnik's name.
const NAME_MAX: usize = 300;
/// A postal address.
const ADDRESS_MAX: usize = 500;

impl TryFrom<StepForm<'_>> for Step {
    type Error = FormErrors;

    #[allow(
        clippy::too_many_lines,
        reason = "one arm a step; the intake steps made it longer"
    )]
    fn try_from(form: StepForm<'_>) -> Result<Self, FormErrors> {
        let StepForm {
            kind,
            pairs,
            case,
            choices,
        } = form;
        let mut f = FormReader::new(pairs);
        let date =
            |f: &mut FormReader<'_>, name: &'static str| step_date(f, name, case, choices.today);
        let step = match kind {
            StepKind::Workflow(Action::Assign) => chosen(
                &mut f,
                "official_id",
                &choices.officials,
                "case-error-official",
            )
            .map(|official_id| Step::Assign { official_id }),
            StepKind::Workflow(Action::Start) => Some(Step::Start),
            StepKind::Workflow(Action::Close) => Some(Step::Close),
            StepKind::Workflow(Action::Suspend) => {
                let on = date(&mut f, "on");
                if on.is_some_and(|on| overlaps(&choices.periods, on, None)) {
                    f.error("on", "case-error-period-overlap");
                }
                let reason = reason(&mut f);
                on.map(|on| Step::Suspend { on, reason })
            }
            StepKind::Workflow(Action::Resume) => date(&mut f, "on").map(|on| Step::Resume { on }),
            StepKind::Workflow(Action::Settle) => {
                let on = date(&mut f, "on");
                let outcome = f.text("outcome", TEXT_MAX);
                on.map(|on| Step::Settle { on, outcome })
            }
            StepKind::Workflow(Action::Transfer) => {
                let unit_id = chosen(&mut f, "unit_id", &choices.units, "case-error-unit");
                let note = f.optional_text("note", TEXT_MAX);
                unit_id.map(|unit_id| Step::Transfer { unit_id, note })
            }
            StepKind::Workflow(Action::Forward) => Some(Step::Forward {
                body: f.text("body", BODY_MAX),
                note: f.optional_text("note", TEXT_MAX),
            }),
            StepKind::DelayNotice => {
                let issued_on = date(&mut f, "issued_on");
                let new_due = f.required("new_due", |v| new_due_date(v, case));
                // UDIP art. 13 ust. 2: the extension is told within the 14 days.
                if let (CaseKind::PublicInformation, Some(issued), Some(new_due)) =
                    (case.kind, issued_on, new_due)
                    && let Err(e) = check_udip_extension(case.received(), issued, new_due, &[])
                {
                    let field = match e {
                        magistrat_domain::deadline::UdipNoticeError::AfterFourteenDays => {
                            "issued_on"
                        }
                        magistrat_domain::deadline::UdipNoticeError::BeyondTwoMonths => "new_due",
                    };
                    f.error(field, e.message_key());
                }
                let reason = reason(&mut f);
                issued_on
                    .zip(new_due)
                    .map(|(issued_on, new_due)| Step::DelayNotice {
                        issued_on,
                        new_due,
                        reason,
                    })
            }
            StepKind::PartyDelay => period(&mut f, case, choices)
                .map(|(from, to, reason)| Step::PartyDelay { from, to, reason }),
            StepKind::ExcludedPeriod => {
                let kind = f.required("kind", |v| {
                    ExcludedKind::RECORDED
                        .into_iter()
                        .find(|k| *k != ExcludedKind::PartyDelay && k.as_str() == v)
                        .ok_or("form-choice-unknown")
                });
                let period = period(&mut f, case, choices);
                kind.zip(period)
                    .map(|(kind, (from, to, reason))| Step::ExcludedPeriod {
                        kind,
                        from,
                        to,
                        reason,
                    })
            }
            StepKind::PartyAdd => party(&mut f).map(|party| Step::PartyAdd { party }),
            StepKind::PartyEdit => {
                let party_id = chosen(
                    &mut f,
                    "party_id",
                    &choices.parties,
                    "case-party-error-unknown",
                );
                let party = party(&mut f);
                party_id
                    .zip(party)
                    .map(|(party_id, party)| Step::PartyEdit { party_id, party })
            }
            StepKind::PartyRemove => chosen(
                &mut f,
                "party_id",
                &choices.parties,
                "case-party-error-unknown",
            )
            .map(|party_id| Step::PartyRemove { party_id }),
            StepKind::DefectSummons => {
                let delivered_on = date(&mut f, "delivered_on");
                let defects = f.text("defects", TEXT_MAX);
                delivered_on.map(|delivered_on| Step::DefectSummons {
                    delivered_on,
                    defects,
                })
            }
            StepKind::DefectsRemoved => {
                let on = date(&mut f, "on");
                let posted_on = f.optional("posted_on", |v| {
                    parse::date(v).map_err(|_| "case-error-date")
                });
                if let (Some(delivered), Some(on)) = (choices.pending_defect, on)
                    && let Err(e) = intake::remove_defects(delivered, on, posted_on)
                {
                    let field = match e {
                        intake::DefectError::PostedAfterReceipt => "posted_on",
                        _ => "on",
                    };
                    f.error(field, e.message_key());
                }
                on.map(|on| Step::DefectsRemoved { on, posted_on })
            }
            StepKind::LeaveUnexamined => {
                let on = date(&mut f, "on");
                if let (Some(delivered), Some(on)) = (choices.pending_defect, on)
                    && let Err(e) = intake::may_leave_unexamined(delivered, on)
                {
                    f.error("on", e.message_key());
                }
                let reason = reason(&mut f);
                on.map(|on| Step::LeaveUnexamined { on, reason })
            }
            StepKind::FeeAdd => {
                let kind = f.required("kind", |v| {
                    FeeKind::parse(v)
                        .map(|k| k.as_str().to_owned())
                        .ok_or("form-choice-unknown")
                });
                let description = f.text("description", NAME_MAX);
                let tariff = f.optional_text("tariff", NAME_MAX);
                let amount = amount(&mut f, "amount");
                kind.zip(amount).map(|(kind, amount_grosze)| Step::FeeAdd {
                    fee: NewFee {
                        kind,
                        description,
                        tariff,
                        amount_grosze,
                    },
                })
            }
            StepKind::FeeAmount => {
                let fee_id = chosen(&mut f, "fee_id", &choices.fees_due, "fee-error-unknown");
                let amount = amount(&mut f, "amount");
                let reason = reason(&mut f);
                fee_id
                    .zip(amount)
                    .map(|(fee_id, amount_grosze)| Step::FeeAmount {
                        fee_id,
                        amount_grosze,
                        reason,
                    })
            }
            StepKind::FeePaid => {
                let fee_id = chosen(&mut f, "fee_id", &choices.fees_due, "fee-error-unknown");
                let paid_on = date(&mut f, "paid_on");
                let paid = amount(&mut f, "amount");
                let method = f.required("method", |v| {
                    PaymentMethod::parse(v).ok_or("form-choice-unknown")
                });
                if f.is_blank("proof") {
                    f.error("proof", "fee-error-proof");
                }
                let proof = f.text("proof", TEXT_MAX);
                match (fee_id, paid_on, paid, method) {
                    (Some(fee_id), Some(paid_on), Some(paid_grosze), Some(method)) => {
                        Some(Step::FeePaid {
                            fee_id,
                            paid_on,
                            paid_grosze,
                            method,
                            proof,
                        })
                    }
                    _ => None,
                }
            }
            StepKind::FeeExempt => {
                let fee_id = chosen(&mut f, "fee_id", &choices.fees_due, "fee-error-unknown");
                if f.is_blank("basis") {
                    f.error("basis", "fee-error-basis");
                }
                let basis = f.text("basis", TEXT_MAX);
                fee_id.map(|fee_id| Step::FeeExempt { fee_id, basis })
            }
            StepKind::FeeSummons => {
                let fee_id = chosen(
                    &mut f,
                    "fee_id",
                    &choices.fees_unsummoned,
                    "fee-error-unknown",
                );
                let delivered_on = date(&mut f, "delivered_on");
                let days = f.required("days", |v| {
                    let days: u32 = v.trim().parse().map_err(|_| "fee-error-term-range")?;
                    (stamp_duty::SUMMONS_MIN_DAYS..=stamp_duty::SUMMONS_MAX_DAYS)
                        .contains(&days)
                        .then_some(days)
                        .ok_or("fee-error-term-range")
                });
                match (fee_id, delivered_on, days) {
                    (Some(fee_id), Some(delivered_on), Some(days)) => Some(Step::FeeSummons {
                        fee_id,
                        delivered_on,
                        days,
                    }),
                    _ => None,
                }
            }
            StepKind::FeeReturn => {
                let summoned: Vec<(String, String)> = choices
                    .fees_summoned
                    .iter()
                    .map(|(id, label, _)| (id.clone(), label.clone()))
                    .collect();
                let fee_id = chosen(&mut f, "fee_id", &summoned, "fee-error-unknown");
                let on = date(&mut f, "on");
                let pay_by = fee_id.and_then(|id| {
                    choices
                        .fees_summoned
                        .iter()
                        .find(|(i, _, _)| i == &id.to_string())
                        .map(|(_, _, by)| *by)
                });
                if let (Some(by), Some(on)) = (pay_by, on)
                    && let Err(e) = stamp_duty::may_return(by, on, false)
                {
                    f.error("on", e.message_key());
                }
                let reason = reason(&mut f);
                fee_id
                    .zip(on)
                    .map(|(fee_id, on)| Step::FeeReturn { fee_id, on, reason })
            }
        };
        f.finish(step)
    }
}

/// An amount in złoty („17”, „17,00”) as grosze, positive.
fn amount(f: &mut FormReader<'_>, name: &'static str) -> Option<i64> {
    f.required(name, |v| {
        stamp_duty::parse_zloty(v)
            .filter(|g| stamp_duty::check_amount(*g).is_ok())
            .ok_or("fee-error-amount")
    })
}

/// A party as its form gives it: a person or an organisation with a name, an address
/// and an optional e-mail; and a pełnomocnik when one is named — a natural person with
/// capacity, the power of attorney on file and an address for the letters (art. 33,
/// art. 40 § 2; `magistrat_domain::intake::check_representative`).
fn party(f: &mut FormReader<'_>) -> Option<PartyInput> {
    let kind = f.required("kind", |v| {
        PartyKind::parse(v)
            .map(|k| k.as_str().to_owned())
            .ok_or("form-choice-unknown")
    });
    let name = f.text("name", NAME_MAX);
    let address = f.optional_text("address", ADDRESS_MAX);
    let email = f
        .optional("email", |v| parse::email(v, 254))
        .unwrap_or_default();
    let rep_given = ["rep_name", "rep_address", "rep_scope", "rep_document"]
        .iter()
        .any(|n| !f.is_blank(n))
        || f.value("rep_capacity") == "yes";
    let representative = if rep_given {
        let rep_name = f.text("rep_name", NAME_MAX);
        let rep_address = f.optional_text("rep_address", ADDRESS_MAX);
        let scope = PowerScope::parse(f.value("rep_scope").trim());
        if scope.is_none() {
            f.error("rep_scope", "case-party-error-rep-scope");
        }
        let document = f.optional_text("rep_document", TEXT_MAX);
        let capacity = f.value("rep_capacity") == "yes";
        let rep = Representative {
            name: rep_name.clone(),
            address: rep_address.clone(),
            scope: scope.unwrap_or(PowerScope::Special),
            document: document.clone(),
        };
        for e in intake::check_representative(&rep, capacity) {
            f.error(e.field(), e.message_key());
        }
        scope.map(|scope| RepresentativeInput {
            name: rep_name,
            address: rep_address,
            scope: scope.as_str().to_owned(),
            document,
        })
    } else {
        None
    };
    kind.map(|kind| PartyInput {
        kind,
        name,
        address,
        email,
        representative,
    })
}

/// A party as its form shows it, for editing.
pub fn party_pairs(p: &CaseParty) -> Vec<(String, String)> {
    let pairs = [
        ("party_id", p.id.to_string()),
        ("kind", p.kind.clone()),
        ("name", p.name.clone()),
        ("address", p.address.clone()),
        ("email", p.email.clone()),
        ("rep_name", p.rep_name.clone()),
        ("rep_address", p.rep_address.clone()),
        ("rep_scope", p.rep_scope.clone()),
        (
            "rep_capacity",
            if p.rep_name.is_empty() { "" } else { "yes" }.to_owned(),
        ),
        ("rep_document", p.rep_document.clone()),
    ];
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// A period not counted (KPA art. 35 § 5): from a day since the receipt, to a day not
/// before it, with its reason, sharing no day with a period already recorded.
fn period(
    f: &mut FormReader<'_>,
    case: &CaseFile,
    choices: &StepChoices,
) -> Option<(Date, Date, String)> {
    let from = step_date(f, "from", case, choices.today);
    let to = f.required("to", |v| parse::date(v).map_err(|_| "case-error-date"));
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            f.error("to", "case-error-range");
        } else if overlaps(&choices.periods, from, Some(to)) {
            f.error("from", "case-error-period-overlap");
        }
    }
    let reason = reason(f);
    from.zip(to).map(|(from, to)| (from, to, reason))
}

/// One of the offered (id, label) pairs, by its id; else `message` at the field.
fn chosen(
    f: &mut FormReader<'_>,
    name: &'static str,
    options: &[(String, String)],
    message: &'static str,
) -> Option<i64> {
    let id = parse::choice(f.value(name), options, |(id, _)| id.as_str())
        .ok()
        .and_then(|(id, _)| id.parse().ok());
    if id.is_none() {
        f.error(name, message);
    }
    id
}

/// The step's reason (a suspension's, a notice's, a party's delay's): required.
fn reason(f: &mut FormReader<'_>) -> String {
    if f.is_blank("reason") {
        f.error("reason", "case-error-reason");
    }
    f.text("reason", TEXT_MAX)
}

/// The day a step happened: not before the case was received, not after today.
fn step_date(
    f: &mut FormReader<'_>,
    name: &'static str,
    case: &CaseFile,
    today: Date,
) -> Option<Date> {
    f.required(name, |v| {
        let day = parse::date(v).map_err(|_| "case-error-date")?;
        if day < case.received() {
            Err("case-error-date-before-receipt")
        } else if day > today {
            Err("case-error-date-future")
        } else {
            Ok(day)
        }
    })
}

/// A delay notice's new date (KPA art. 36 § 1): later than the due date in force, at
/// most a year after it (`deadline::latest_new_due_date`), and within the kind's own
/// longest term where an act sets one.
fn new_due_date(v: &str, case: &CaseFile) -> Result<Date, &'static str> {
    let new_due = parse::date(v).map_err(|_| "case-error-date")?;
    if new_due <= case.due() {
        return Err("case-error-new-due");
    }
    if new_due > latest_new_due_date(case.due()) {
        return Err("case-error-new-due-too-far");
    }
    // UDIP art. 13 ust. 2: at most 2 months from the request.
    if let Ok(Some(limit)) = case.kind.extended_due_date(case.received(), &[])
        && new_due > limit
    {
        return Err("case-error-new-due-limit");
    }
    Ok(new_due)
}

/// A step form as the page draws it.
pub struct StepFormView {
    pub code: &'static str,
    pub label: String,
    pub hint: Option<String>,
    pub fields: Vec<Field>,
    /// Shown open: the form that was sent back with its problems. The others stay
    /// closed behind their button, so the page shows one form at a time (issue 15).
    pub open: bool,
    /// Hidden inputs (the party a form edits).
    pub hidden: Vec<(&'static str, String)>,
}

/// The step form that was sent and refused: its values are shown again, with its
/// problems.
pub struct Posted<'a> {
    pub kind: StepKind,
    pub pairs: &'a Pairs,
    pub errors: &'a FormErrors,
}

/// The forms of `steps`, and the error summary of the one posted (its problems in the
/// order of its fields, linked to its controls).
pub fn step_forms(
    lang: Lang,
    steps: &[StepKind],
    choices: &StepChoices,
    posted: Option<&Posted<'_>>,
) -> (Vec<StepFormView>, Vec<(String, String)>) {
    let none = FormErrors::new();
    let mut summary = Vec::new();
    let forms = steps
        .iter()
        .map(|&kind| {
            let sent = posted.filter(|p| p.kind == kind);
            let errors = sent.map_or(&none, |p| p.errors);
            let mut form = FormBuilder::scoped(lang, errors, kind.code());
            // The party edited: as sent, or its data as stored.
            let editing = choices
                .editing
                .as_ref()
                .filter(|_| kind == StepKind::PartyEdit);
            let values = sent
                .map(|p| p.pairs)
                .or(editing.map(|(_, pairs)| pairs.as_slice()));
            let fields = fields(&mut form, lang, kind, choices, values);
            if sent.is_some() {
                summary = form.summary();
            }
            let hidden = match (kind, values) {
                (StepKind::PartyEdit, Some(pairs)) => {
                    vec![("party_id", value(pairs, "party_id").to_owned())]
                }
                _ => Vec::new(),
            };
            StepFormView {
                code: kind.code(),
                label: lang.t(&kind.label_id()),
                hint: kind.hint_id().map(|id| lang.t(id)),
                fields,
                // The form sent back, or the party chosen for editing (`?party=`).
                open: sent.is_some() || editing.is_some(),
                hidden,
            }
        })
        .collect();
    (forms, summary)
}

/// The fields of one step's form: as sent (`sent`), or empty with today's date.
#[allow(clippy::too_many_lines, reason = "one arm a step form")]
fn fields(
    form: &mut FormBuilder<'_>,
    lang: Lang,
    kind: StepKind,
    choices: &StepChoices,
    sent: Option<&Pairs>,
) -> Vec<Field> {
    let today = choices.today.to_string();
    let v = |name: &str, default: &str| match sent {
        Some(pairs) => value(pairs, name).to_owned(),
        None => default.to_owned(),
    };
    let date = |name: &'static str, label: &str, default: &str| {
        Field::text(lang, name, label, v(name, default)).kind("date")
    };
    let text = |name: &'static str, label: &str| Field::text(lang, name, label, v(name, ""));
    let reason = || text("reason", "case-reason").kind("textarea");
    let note = || text("note", "case-note").optional();
    let fields = match kind {
        StepKind::Workflow(Action::Assign) => {
            vec![text("official_id", "case-official").select(choices.officials.clone())]
        }
        StepKind::Workflow(Action::Start | Action::Close) => Vec::new(),
        StepKind::Workflow(Action::Suspend) => vec![date("on", "case-on", &today), reason()],
        StepKind::Workflow(Action::Resume) => vec![date("on", "case-on", &today)],
        StepKind::Workflow(Action::Settle) => vec![
            date("on", "case-on", &today),
            text("outcome", "case-outcome").kind("textarea"),
        ],
        StepKind::Workflow(Action::Transfer) => vec![
            text("unit_id", "case-transfer-unit").select(choices.units.clone()),
            note(),
        ],
        StepKind::Workflow(Action::Forward) => vec![text("body", "case-forward-body"), note()],
        StepKind::DelayNotice => vec![
            date("issued_on", "case-issued-on", &today),
            date("new_due", "case-new-due", ""),
            reason(),
        ],
        StepKind::PartyDelay => vec![
            date("from", "case-from", ""),
            date("to", "case-to", ""),
            reason(),
        ],
        StepKind::ExcludedPeriod => vec![
            text("kind", "case-period-kind").select(
                ExcludedKind::RECORDED
                    .into_iter()
                    .filter(|k| *k != ExcludedKind::PartyDelay)
                    .map(|k| (k.as_str().to_owned(), lang.t(&k.label_key())))
                    .collect(),
            ),
            date("from", "case-from", ""),
            date("to", "case-to", ""),
            reason(),
        ],
        StepKind::PartyAdd | StepKind::PartyEdit => {
            let mut kinds = vec![(String::new(), lang.t("case-choose"))];
            kinds.extend(PartyKind::ALL.iter().map(|k| {
                (
                    k.as_str().to_owned(),
                    lang.t(&format!("case-party-kind-{}", k.as_str())),
                )
            }));
            let mut scopes = vec![(String::new(), lang.t("case-party-rep-none"))];
            scopes.extend(PowerScope::ALL.iter().map(|s| {
                (
                    s.as_str().to_owned(),
                    lang.t(&format!("case-party-rep-scope-{}", s.as_str())),
                )
            }));
            let capacity = vec![
                (String::new(), lang.t("case-choose")),
                ("yes".to_owned(), lang.t("case-party-rep-capacity-yes")),
            ];
            vec![
                text("kind", "case-party-kind").select(kinds),
                text("name", "case-party-form-name"),
                text("address", "case-party-form-address")
                    .kind("textarea")
                    .optional(),
                text("email", "case-party-form-email")
                    .kind("email")
                    .optional(),
                text("rep_name", "case-party-rep-name")
                    .optional()
                    .hint(lang, "case-party-rep-name-hint"),
                text("rep_address", "case-party-rep-address")
                    .kind("textarea")
                    .optional(),
                text("rep_scope", "case-party-rep-scope")
                    .select(scopes)
                    .optional(),
                text("rep_capacity", "case-party-rep-capacity")
                    .select(capacity)
                    .optional(),
                text("rep_document", "case-party-rep-document")
                    .optional()
                    .hint(lang, "case-party-rep-document-hint"),
            ]
        }
        StepKind::PartyRemove => {
            vec![text("party_id", "case-party").select(choices.parties.clone())]
        }
        StepKind::FeeAdd => {
            let mut kinds = vec![(String::new(), lang.t("case-choose"))];
            kinds.extend(FeeKind::ALL.iter().map(|k| {
                (
                    k.as_str().to_owned(),
                    lang.t(&format!("fee-kind-{}", k.as_str().replace('_', "-"))),
                )
            }));
            vec![
                text("kind", "fee-kind").select(kinds),
                text("description", "fee-description"),
                text("tariff", "fee-tariff")
                    .optional()
                    .hint(lang, "fee-tariff-hint"),
                text("amount", "fee-amount").hint(lang, "fee-amount-hint-field"),
            ]
        }
        StepKind::FeeAmount => vec![
            text("fee_id", "fee-which").select(choices.fees_due.clone()),
            text("amount", "fee-amount").hint(lang, "fee-amount-hint-field"),
            reason(),
        ],
        StepKind::FeePaid => {
            let mut methods = vec![(String::new(), lang.t("case-choose"))];
            methods.extend(PaymentMethod::ALL.iter().map(|m| {
                (
                    m.as_str().to_owned(),
                    lang.t(&format!("fee-method-{}", m.as_str().replace('_', "-"))),
                )
            }));
            vec![
                text("fee_id", "fee-which").select(choices.fees_due.clone()),
                date("paid_on", "fee-paid-on", &today),
                text("amount", "fee-paid-amount").hint(lang, "fee-amount-hint-field"),
                text("method", "fee-method").select(methods),
                text("proof", "fee-proof").hint(lang, "fee-proof-hint"),
            ]
        }
        StepKind::FeeExempt => vec![
            text("fee_id", "fee-which").select(choices.fees_due.clone()),
            text("basis", "fee-exempt-basis")
                .kind("textarea")
                .hint(lang, "fee-exempt-basis-hint"),
        ],
        StepKind::FeeSummons => vec![
            text("fee_id", "fee-which").select(choices.fees_unsummoned.clone()),
            date("delivered_on", "fee-summons-delivered-on", ""),
            Field::text(lang, "days", "fee-summons-days", v("days", "7"))
                .kind("number")
                .hint(lang, "fee-summons-days-hint"),
        ],
        StepKind::FeeReturn => vec![
            text("fee_id", "fee-which").select(
                choices
                    .fees_summoned
                    .iter()
                    .map(|(id, label, _)| (id.clone(), label.clone()))
                    .collect(),
            ),
            date("on", "case-on", &today),
            reason(),
        ],
        StepKind::DefectSummons => vec![
            date("delivered_on", "case-defect-delivered-on", ""),
            text("defects", "case-defects").kind("textarea"),
        ],
        StepKind::DefectsRemoved => vec![
            date("on", "case-defects-removed-on", &today),
            date("posted_on", "case-posted-on", "")
                .optional()
                .hint(lang, "case-posted-on-hint"),
        ],
        StepKind::LeaveUnexamined => vec![date("on", "case-on", &today), reason()],
    };
    fields.into_iter().map(|f| form.field(f)).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::cases::store::{Channel, sql_date};
    use crate::db::UtcTime;
    use jiff::civil::date;
    use magistrat_domain::deadline::CaseKind;
    use proptest::prelude::*;

    /// A case received on Monday 16 March 2026, due on Thursday 16 April (one month,
    /// KPA art. 35 § 3), worked on.
    fn case() -> CaseFile {
        CaseFile {
            id: 1,
            unit_id: 1,
            jrwa_symbol: "5311".into(),
            year: 2026,
            number: 1,
            znak: "SA.5311.1.2026".into(),
            kind: CaseKind::AdministrativeSimple,
            title: "Zameldowanie".into(),
            party_name: "Jan Testowy".into(),
            party_address: String::new(),
            party_email: String::new(),
            publish_consent: false,
            channel: Channel::Post,
            correspondence_id: None,
            official_id: Some(7),
            status: Status::InProgress,
            received_on: sql_date(date(2026, 3, 16)),
            statutory_due_on: sql_date(date(2026, 4, 16)),
            due_on: sql_date(date(2026, 4, 16)),
            tracking_code: "AAAA-BBBB-CCCC".into(),
            registered_at: UtcTime(jiff::Timestamp::UNIX_EPOCH),
            settled_on: None,
            outcome: String::new(),
            closed_at: None,
            transferred_to_id: None,
            transferred_from_id: None,
            forwarded_to: String::new(),
            ex_officio: false,
            term_start_on: None,
            closing_kind: String::new(),
            unit_symbol: "SA".into(),
            unit_name: "Wydział Spraw Obywatelskich".into(),
            official_name: "Jan Kowalski".into(),
        }
    }

    /// Today Friday 20 March 2026; official 7 and unit 3 offered.
    fn choices() -> StepChoices {
        StepChoices {
            officials: vec![("7".into(), "Jan Kowalski".into())],
            units: vec![("3".into(), "FN".into())],
            today: date(2026, 3, 20),
            periods: Vec::new(),
            parties: vec![
                ("11".into(), "Jan Testowy".into()),
                ("12".into(), "Ewa Kos".into()),
            ],
            pending_defect: None,
            editing: None,
            fees_due: vec![("21".into(), "Opłata skarbowa — 17,00 zł".into())],
            fees_unsummoned: vec![("21".into(), "Opłata skarbowa — 17,00 zł".into())],
            fees_summoned: Vec::new(),
        }
    }

    /// `name=value` pairs as a table writes them.
    type Pairs<'a> = Vec<(&'a str, &'a str)>;

    fn read(code: &str, pairs: &[(&str, &str)]) -> Result<Step, FormErrors> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Step::try_from(StepForm {
            kind: StepKind::parse(code).unwrap(),
            pairs: &pairs,
            case: &case(),
            choices: &choices(),
        })
    }

    #[test]
    fn each_step_form_reads_into_its_step() {
        let d = |m, day| date(2026, m, day);
        let cases: Vec<(&str, Pairs<'_>, Step)> = vec![
            (
                "assign",
                vec![("official_id", "7")],
                Step::Assign { official_id: 7 },
            ),
            ("start", vec![], Step::Start),
            ("close", vec![("ignored", "x")], Step::Close),
            (
                "suspend",
                vec![("on", "2026-03-16"), ("reason", " Opinia biegłego ")],
                Step::Suspend {
                    on: d(3, 16),
                    reason: "Opinia biegłego".into(),
                },
            ),
            (
                "resume",
                vec![("on", "2026-03-20")],
                Step::Resume { on: d(3, 20) },
            ),
            (
                "settle",
                vec![("on", "2026-03-19"), ("outcome", "Wydano decyzję")],
                Step::Settle {
                    on: d(3, 19),
                    outcome: "Wydano decyzję".into(),
                },
            ),
            (
                "transfer",
                vec![("unit_id", "3"), ("note", "")],
                Step::Transfer {
                    unit_id: 3,
                    note: String::new(),
                },
            ),
            (
                "forward",
                vec![("body", "Starosta Borowiecki")],
                Step::Forward {
                    body: "Starosta Borowiecki".into(),
                    note: String::new(),
                },
            ),
            (
                "delay_notice",
                vec![
                    ("issued_on", "2026-03-20"),
                    ("new_due", "2026-05-15"),
                    ("reason", "Opinia biegłego"),
                ],
                Step::DelayNotice {
                    issued_on: d(3, 20),
                    new_due: d(5, 15),
                    reason: "Opinia biegłego".into(),
                },
            ),
            (
                "party_delay",
                vec![
                    ("from", "2026-03-17"),
                    ("to", "2026-03-17"),
                    ("reason", "Braki"),
                ],
                Step::PartyDelay {
                    from: d(3, 17),
                    to: d(3, 17),
                    reason: "Braki".into(),
                },
            ),
        ];
        for (code, pairs, expected) in cases {
            let step = read(code, &pairs).unwrap_or_else(|e| panic!("{code}: {e}"));
            assert_eq!(format!("{step:?}"), format!("{expected:?}"), "{code}");
        }
    }

    #[test]
    fn a_bad_step_form_names_each_problem_at_its_input() {
        let long = "x".repeat(1001);
        // (step, the form sent, the problems at its inputs in name order)
        let cases: Vec<(&str, Pairs<'_>, Pairs<'_>)> = vec![
            (
                "assign",
                vec![("official_id", "8")],
                vec![("official_id", "case-error-official")],
            ),
            (
                "assign",
                vec![],
                vec![("official_id", "case-error-official")],
            ),
            (
                "suspend",
                vec![("on", "2026-03-15"), ("reason", "  ")],
                vec![
                    ("on", "case-error-date-before-receipt"),
                    ("reason", "case-error-reason"),
                ],
            ),
            (
                "resume",
                vec![("on", "2026-03-21")],
                vec![("on", "case-error-date-future")],
            ),
            ("resume", vec![], vec![("on", "form-required")]),
            (
                "settle",
                vec![("on", "20.03.2026"), ("outcome", "")],
                vec![("on", "case-error-date"), ("outcome", "form-required")],
            ),
            (
                "transfer",
                vec![("unit_id", "1"), ("note", long.as_str())],
                vec![("note", "form-too-long"), ("unit_id", "case-error-unit")],
            ),
            (
                "forward",
                vec![("body", &long[..301])],
                vec![("body", "form-too-long")],
            ),
            (
                "delay_notice",
                vec![
                    ("issued_on", "2026-03-20"),
                    ("new_due", "2026-04-16"),
                    ("reason", "x"),
                ],
                vec![("new_due", "case-error-new-due")],
            ),
            (
                // KPA art. 36 § 1 names no maximum; the office's is a year after the
                // date in force (decision 0022).
                "delay_notice",
                vec![
                    ("issued_on", "2026-03-20"),
                    ("new_due", "2027-04-17"),
                    ("reason", "x"),
                ],
                vec![("new_due", "case-error-new-due-too-far")],
            ),
            (
                "party_delay",
                vec![("from", "2026-03-18"), ("to", "2026-03-17")],
                vec![("reason", "case-error-reason"), ("to", "case-error-range")],
            ),
            (
                // The party's delay has its own step; a suspension the workflow's.
                "excluded_period",
                vec![
                    ("kind", "party_delay"),
                    ("from", "2026-03-19"),
                    ("to", "2026-03-19"),
                    ("reason", "x"),
                ],
                vec![("kind", "form-choice-unknown")],
            ),
        ];
        for (code, pairs, expected) in cases {
            let errors = read(code, &pairs).unwrap_err();
            let got: Vec<(&str, &str)> = errors.fields().collect();
            assert_eq!(got, expected, "{code} {pairs:?}");
        }
    }

    /// Art. 35 § 5 counts a day once: with a party's delay recorded on 18 March, a
    /// period sharing that day is refused at its first date, a running suspension from
    /// before it too; a period after it is not.
    #[test]
    fn a_period_overlapping_one_recorded_is_refused() {
        let mut choices = choices();
        choices.periods = vec![(date(2026, 3, 18), Some(date(2026, 3, 18)))];
        let read = |code: &str, list: &[(&str, &str)]| {
            let pairs: Vec<(String, String)> = list
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            Step::try_from(StepForm {
                kind: StepKind::parse(code).unwrap(),
                pairs: &pairs,
                case: &case(),
                choices: &choices,
            })
        };
        let table: [(&str, Pairs<'_>, Option<&str>); 5] = [
            (
                "party_delay",
                vec![
                    ("from", "2026-03-17"),
                    ("to", "2026-03-18"),
                    ("reason", "x"),
                ],
                Some("from"),
            ),
            (
                "excluded_period",
                vec![
                    ("kind", "mediation"),
                    ("from", "2026-03-18"),
                    ("to", "2026-03-20"),
                    ("reason", "x"),
                ],
                Some("from"),
            ),
            (
                "suspend",
                vec![("on", "2026-03-17"), ("reason", "x")],
                Some("on"),
            ),
            ("suspend", vec![("on", "2026-03-19"), ("reason", "x")], None),
            (
                "excluded_period",
                vec![
                    ("kind", "outside_organ"),
                    ("from", "2026-03-19"),
                    ("to", "2026-03-20"),
                    ("reason", "x"),
                ],
                None,
            ),
        ];
        // Art. 35 § 5: the term for another organ's opinion (art. 106 § 3), read whole.
        let opinion = read(
            "excluded_period",
            &[
                ("kind", "statutory_act"),
                ("from", "2026-03-19"),
                ("to", "2026-03-20"),
                ("reason", "Uzgodnienie z konserwatorem zabytków"),
            ],
        );
        assert_eq!(
            format!("{:?}", opinion.unwrap()),
            format!(
                "{:?}",
                Step::ExcludedPeriod {
                    kind: ExcludedKind::StatutoryAct,
                    from: date(2026, 3, 19),
                    to: date(2026, 3, 20),
                    reason: "Uzgodnienie z konserwatorem zabytków".into(),
                }
            )
        );
        for (code, pairs, refused_at) in table {
            let got = read(code, &pairs);
            match refused_at {
                Some(field) => assert_eq!(
                    got.unwrap_err().get(field),
                    Some("case-error-period-overlap"),
                    "{code} {pairs:?}"
                ),
                None => assert!(got.is_ok(), "{code} {pairs:?}"),
            }
        }
    }

    #[test]
    fn a_party_form_reads_with_its_pelnomocnik() {
        let step = read(
            "party_add",
            &[
                ("kind", "organisation"),
                ("name", "Spółdzielnia „Zgoda”"),
                ("address", "ul. Polna 2\n62-300 Borowiec"),
                ("email", ""),
                ("rep_name", "Anna Lis"),
                ("rep_address", "ul. Długa 5, 62-300 Borowiec"),
                ("rep_scope", "special"),
                ("rep_capacity", "yes"),
                ("rep_document", "Pełnomocnictwo z 2 marca 2026 r."),
            ],
        )
        .unwrap();
        let Step::PartyAdd { party } = step else {
            panic!("{step:?}")
        };
        assert_eq!(party.kind, "organisation");
        let rep = party.representative.unwrap();
        assert_eq!(
            (rep.name.as_str(), rep.scope.as_str()),
            ("Anna Lis", "special")
        );
        // Without a pełnomocnik.
        let step = read(
            "party_add",
            &[("kind", "person"), ("name", "Ewa Kos"), ("rep_scope", "")],
        )
        .unwrap();
        assert!(matches!(step, Step::PartyAdd { party } if party.representative.is_none()));
    }

    #[test]
    fn a_bad_party_form_names_each_problem() {
        // (form, problems at its inputs in name order)
        let table: Vec<(Pairs<'_>, Pairs<'_>)> = vec![
            (
                vec![("kind", "firm"), ("name", "")],
                vec![("kind", "form-choice-unknown"), ("name", "form-required")],
            ),
            (
                // Art. 33: a pełnomocnik without capacity confirmed, a power on file or
                // an address, and without a scope.
                vec![
                    ("kind", "person"),
                    ("name", "Jan"),
                    ("rep_name", "Anna Lis"),
                ],
                vec![
                    ("rep_address", "case-party-error-rep-address"),
                    ("rep_capacity", "case-party-error-rep-capacity"),
                    ("rep_document", "case-party-error-rep-document"),
                    ("rep_scope", "case-party-error-rep-scope"),
                ],
            ),
            (
                vec![
                    ("kind", "person"),
                    ("name", "Jan"),
                    ("email", "jan(at)example.pl"),
                    ("rep_document", "Pełnomocnictwo"),
                ],
                vec![
                    ("email", "form-email-invalid"),
                    ("rep_address", "case-party-error-rep-address"),
                    ("rep_capacity", "case-party-error-rep-capacity"),
                    ("rep_name", "form-required"),
                    ("rep_scope", "case-party-error-rep-scope"),
                ],
            ),
        ];
        for (pairs, expected) in table {
            let errors = read("party_add", &pairs).unwrap_err();
            let mut got: Vec<(&str, &str)> = errors.fields().collect();
            got.sort_unstable();
            assert_eq!(got, expected, "{pairs:?}");
        }
        // Editing or removing names one of the case's parties.
        let errors = read("party_remove", &[("party_id", "99")]).unwrap_err();
        assert_eq!(errors.get("party_id"), Some("case-party-error-unknown"));
        assert!(matches!(
            read("party_remove", &[("party_id", "12")]),
            Ok(Step::PartyRemove { party_id: 12 })
        ));
    }

    /// Art. 64 § 2 on the case page: a summons delivered Monday 16 March 2026 leaves
    /// the party until Monday 23 March; today is Friday 20 March.
    #[test]
    fn the_defect_steps_follow_the_partys_term() {
        let mut choices = choices();
        choices.pending_defect = Some(date(2026, 3, 16));
        let read = |code: &str, list: &[(&str, &str)]| {
            let pairs: Vec<(String, String)> = list
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            Step::try_from(StepForm {
                kind: StepKind::parse(code).unwrap(),
                pairs: &pairs,
                case: &case(),
                choices: &choices,
            })
        };
        // Leaving it unexamined while the 7 days run is refused at its date.
        let errors = read(
            "leave_unexamined",
            &[("on", "2026-03-20"), ("reason", "Brak podpisu")],
        )
        .unwrap_err();
        assert_eq!(errors.get("on"), Some("case-defect-error-term-running"));
        // Removed on the 19th, posted the 18th: read whole.
        assert!(matches!(
            read("defects_removed", &[("on", "2026-03-19"), ("posted_on", "2026-03-18")]),
            Ok(Step::DefectsRemoved { on, posted_on: Some(_) }) if on == date(2026, 3, 19)
        ));
        // A posting after the receipt, a receipt before the delivery.
        let errors = read(
            "defects_removed",
            &[("on", "2026-03-19"), ("posted_on", "2026-03-20")],
        )
        .unwrap_err();
        assert_eq!(
            errors.get("posted_on"),
            Some("case-error-posted-after-receipt")
        );
        let mut early = choices_with_delivery(date(2026, 3, 19));
        early.today = date(2026, 3, 20);
        let pairs = vec![("on".to_owned(), "2026-03-18".to_owned())];
        let errors = Step::try_from(StepForm {
            kind: StepKind::DefectsRemoved,
            pairs: &pairs,
            case: &case(),
            choices: &early,
        })
        .unwrap_err();
        assert_eq!(errors.get("on"), Some("case-defect-error-before-delivery"));
        // The summons itself: a delivery date and the defects.
        let errors = read("defect_summons", &[("delivered_on", "2026-03-21")]).unwrap_err();
        assert_eq!(errors.get("delivered_on"), Some("case-error-date-future"));
        assert_eq!(errors.get("defects"), Some("form-required"));
    }

    fn choices_with_delivery(delivered: Date) -> StepChoices {
        let mut c = choices();
        c.pending_defect = Some(delivered);
        c
    }

    #[test]
    fn intake_steps_follow_the_state() {
        use StepKind as K;
        let none = IntakeState::default();
        assert_eq!(
            StepKind::intake(Status::InProgress, none),
            [K::PartyAdd, K::PartyRemove, K::DefectSummons]
        );
        let ex_officio = IntakeState {
            ex_officio: true,
            ..none
        };
        assert_eq!(
            StepKind::intake(Status::Registered, ex_officio),
            [K::PartyAdd, K::PartyRemove]
        );
        let pending = IntakeState {
            pending_defect: true,
            editing_party: true,
            ..none
        };
        assert_eq!(
            StepKind::intake(Status::Assigned, pending),
            [
                K::PartyAdd,
                K::PartyEdit,
                K::PartyRemove,
                K::DefectsRemoved,
                K::LeaveUnexamined
            ]
        );
        assert_eq!(
            StepKind::intake(Status::Settled, pending),
            [K::PartyAdd, K::PartyEdit, K::PartyRemove]
        );
        assert!(StepKind::intake(Status::Closed, pending).is_empty());
    }

    proptest! {
        #[test]
        fn garbage_never_panics(
            code in prop::sample::select(vec![
                "assign", "start", "suspend", "resume", "settle", "close", "transfer",
                "forward", "delay_notice", "party_delay", "excluded_period",
            ]),
            values in prop::collection::vec("\\PC{0,24}", 6),
        ) {
            let names = ["official_id", "on", "reason", "new_due", "to", "unit_id"];
            let pairs: Vec<(&str, &str)> =
                names.iter().copied().zip(values.iter().map(String::as_str)).collect();
            let mut with_from = pairs.clone();
            with_from.extend([("from", values[1].as_str()), ("issued_on", values[1].as_str())]);
            let _ = read(code, &with_from);
        }
    }

    #[test]
    fn every_step_code_round_trips_and_unknown_ones_are_refused() {
        let mut codes: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
        codes.extend([
            "delay_notice",
            "party_delay",
            "excluded_period",
            "party_add",
            "party_edit",
            "party_remove",
            "defect_summons",
            "defects_removed",
            "leave_unexamined",
        ]);
        for code in codes {
            assert_eq!(StepKind::parse(code).unwrap().code(), code);
        }
        for bad in ["", "fly", "Assign", "delay-notice"] {
            assert_eq!(StepKind::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn steps_available_follow_the_workflow_and_the_rights() {
        use Action as A;
        use StepKind as K;
        let dates = [K::DelayNotice, K::PartyDelay, K::ExcludedPeriod];
        let official = StepKind::available(Status::InProgress, false);
        let mut expected = vec![
            K::Workflow(A::Suspend),
            K::Workflow(A::Settle),
            K::Workflow(A::Transfer),
            K::Workflow(A::Forward),
        ];
        expected.extend(dates);
        assert_eq!(official, expected);
        let head = StepKind::available(Status::InProgress, true);
        assert_eq!(head[0], K::Workflow(A::Assign));
        assert_eq!(
            StepKind::available(Status::Settled, true),
            [K::Workflow(A::Close)]
        );
        assert!(StepKind::available(Status::Closed, true).is_empty());
    }
}
