//! The step forms of the case page on the form kit (docs/decisions/0018): a posted step
//! form is read by `Step::try_from(StepForm)` into a typed [`Step`] — the store's
//! command — or into every field's problem ([`FormErrors`]); and each step's form is
//! drawn by [`step_forms`], one [`FormBuilder::scoped`] a step, since the forms of one
//! page share input names (`on`, `reason`): the control of the suspension's date is
//! `f-suspend-on`, the settlement's `f-settle-on`, both sent as `on`.

use jiff::civil::Date;
use magistrat_domain::deadline::latest_new_due_date;

use super::store::{CaseFile, Step};
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
}

impl StepKind {
    /// The step of the path `/staff/cases/{id}/actions/{code}`.
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "delay_notice" => Some(Self::DelayNotice),
            "party_delay" => Some(Self::PartyDelay),
            _ => code.parse().ok().map(Self::Workflow),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Workflow(action) => action.as_str(),
            Self::DelayNotice => "delay_notice",
            Self::PartyDelay => "party_delay",
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
            steps.extend([Self::DelayNotice, Self::PartyDelay]);
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
            Self::Workflow(_) => None,
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
}

/// The longest free text of a step (a reason, an outcome, a note).
const TEXT_MAX: usize = 1000;
/// The name of the competent body a case is forwarded to.
const BODY_MAX: usize = 300;

impl TryFrom<StepForm<'_>> for Step {
    type Error = FormErrors;

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
                let reason = reason(&mut f);
                issued_on
                    .zip(new_due)
                    .map(|(issued_on, new_due)| Step::DelayNotice {
                        issued_on,
                        new_due,
                        reason,
                    })
            }
            StepKind::PartyDelay => {
                let from = date(&mut f, "from");
                let to = f.required("to", |v| parse::date(v).map_err(|_| "case-error-date"));
                if let (Some(from), Some(to)) = (from, to)
                    && to < from
                {
                    f.error("to", "case-error-range");
                }
                let reason = reason(&mut f);
                from.zip(to)
                    .map(|(from, to)| Step::PartyDelay { from, to, reason })
            }
        };
        f.finish(step)
    }
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
            let fields = fields(&mut form, lang, kind, choices, sent.map(|p| p.pairs));
            if sent.is_some() {
                summary = form.summary();
            }
            StepFormView {
                code: kind.code(),
                label: lang.t(&kind.label_id()),
                hint: kind.hint_id().map(|id| lang.t(id)),
                fields,
            }
        })
        .collect();
    (forms, summary)
}

/// The fields of one step's form: as sent (`sent`), or empty with today's date.
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
    };
    fields.into_iter().map(|f| form.field(f)).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_step_code_round_trips_and_unknown_ones_are_refused() {
        let mut codes: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
        codes.extend(["delay_notice", "party_delay"]);
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
        let dates = [K::DelayNotice, K::PartyDelay];
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
