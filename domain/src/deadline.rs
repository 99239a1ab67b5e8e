//! The legal deadline engine: when must a case be dealt with?
//!
//! # How a due date is computed
//!
//! [`due_date`] applies, in this order:
//!
//! 1. **KPA art. 57 § 1–3** (Kodeks postępowania administracyjnego, Dz.U. 1960 nr 30
//!    poz. 168 ze zm.) — the *nominal end*:
//!    - the day of the event that starts the term (filing, delivery) is not counted,
//!      so a term of *n* days ends on `start + n` days (§ 1);
//!    - a term in weeks ends on the same weekday as the start, *n* weeks later (§ 2);
//!    - a term in months ends on the same day number *n* months later, or on the last
//!      day of that month if it has no such day: 31 January + 1 month = 28/29 February
//!      (§ 3).
//! 2. **KPA art. 35 § 5** — *excluded periods*: the periods provided by law for specific
//!    acts, suspension of the proceedings and delays caused by the party or by reasons
//!    beyond the organ are not counted in the term. The caller passes them as inclusive
//!    [`DateRange`]s. Interpretation, documented because the act leaves it to practice:
//!    - the term is a number of *running days* (the length of the nominal period, in
//!      calendar days); a day that lies in any excluded range does not run;
//!    - the due date is the day on which the last running day falls, i.e. the nominal
//!      end moved later by the number of excluded days in the running period — and if
//!      that move carries the end into (or past the start of) a further excluded range,
//!      that range is not counted either, and so on;
//!    - ranges are merged first: a day excluded twice (overlapping ranges, e.g. a
//!      suspension during a party's delay) is skipped once;
//!    - the day of the event and any day before it are never running days, so the parts
//!      of ranges on or before the start date are ignored.
//! 3. **KPA art. 57 § 4** (since 1 June 2017, Dz.U. 2017 poz. 935) — if the end falls
//!    on a Saturday or a statutory day off (Sunday, public holiday; see
//!    [`crate::calendar`]), the term ends on the next day that is neither. Office
//!    closing days (a day off given for a holiday on a Saturday, etc.) do **not** move
//!    a term: they are not "dni ustawowo wolne od pracy".
//!    In the same step a due date is never left inside an excluded range: if the
//!    shifted end lands in one (the suspension starts on the very day the term would
//!    end), the end moves to the day after that range and is checked again. An end
//!    that already fell on an excluded day is impossible after step 2.
//!
//! [`Term::Immediately`] (KPA art. 35 § 2, "niezwłocznie") is not a term counted under
//! art. 57: it obliges the organ to act at once. Its due date is the **start date
//! itself**, unshifted and regardless of excluded ranges, so that such a case shows as
//! due on the day it arrives.
//!
//! Properties checked by the tests (tables with real dates and proptest): a due date for
//! a non-immediate term is after the start, never a Saturday, Sunday or holiday, never in
//! an excluded range; adding an excluded range never makes it earlier; it is monotonic in
//! the start date without excluded ranges, and with them for terms in days and weeks.
//! For terms in **months with excluded ranges** monotonicity does not hold in general:
//! the month rule maps 29, 30 and 31 January all to the end of February, so a start on
//! 30 January with 31 January excluded ends a day *later* than a start on 31 January
//! (31 January is then the non-counted event day). See the test
//! `months_with_exclusions_are_not_monotonic`.
//!
//! A delay the organ announces (KPA art. 36) is recorded as a [`DelayNotice`]; the date
//! in force is [`effective_due_date`].

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::calendar::is_non_term_day;
use crate::days::{add_days, add_months_clamped, days_between, next_day};
use crate::rules::{CASE_KIND_RULES, CaseKindRule};

// =======================================================================================
// Term
// =======================================================================================

/// Longest term accepted by the parser, in days (about 100 years).
pub const MAX_TERM_DAYS: u32 = 36_600;
/// Longest term accepted by the parser, in weeks (about 100 years).
pub const MAX_TERM_WEEKS: u32 = 5_220;
/// Longest term accepted by the parser, in months (100 years).
pub const MAX_TERM_MONTHS: u32 = 1_200;

/// The length of a term.
///
/// Written as `immediately`, `14d`, `2w` or `1m` ([`FromStr`] / [`fmt::Display`]).
/// A zero length is only expressible as [`Term::Immediately`]: the parser rejects
/// `0d`, `0w`, `0m`. A `Days(0)`, `Weeks(0)` or `Months(0)` built in code is treated
/// as `Immediately` by [`due_date`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Term {
    /// "Niezwłocznie" (KPA art. 35 § 2): due on the start date.
    Immediately,
    /// A number of days (KPA art. 57 § 1).
    Days(u32),
    /// A number of weeks (KPA art. 57 § 2).
    Weeks(u32),
    /// A number of months (KPA art. 57 § 3).
    Months(u32),
}

impl Term {
    /// Whether the term has no length (`Immediately` or a zero count).
    pub const fn is_immediate(self) -> bool {
        matches!(
            self,
            Term::Immediately | Term::Days(0) | Term::Weeks(0) | Term::Months(0)
        )
    }
}

/// Why a term string was rejected. [`TermError::code`] gives a stable machine code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum TermError {
    /// Nothing was given.
    #[error("the term is empty")]
    Empty,
    /// A number without a unit, e.g. `14`.
    #[error("the term has no unit (d, w or m)")]
    MissingUnit,
    /// An unknown unit, e.g. `14x`.
    #[error("the term unit must be d, w or m")]
    UnknownUnit,
    /// The count is not a plain decimal number.
    #[error("the term count is not a number")]
    InvalidNumber,
    /// `0d` and the like; use `immediately`.
    #[error("a zero term is written as `immediately`")]
    Zero,
    /// The count exceeds the supported maximum (about 100 years).
    #[error("the term is too long")]
    TooLarge,
}

impl TermError {
    /// Stable machine code, e.g. `term.zero`.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Empty => "term.empty",
            Self::MissingUnit => "term.missing_unit",
            Self::UnknownUnit => "term.unknown_unit",
            Self::InvalidNumber => "term.invalid_number",
            Self::Zero => "term.zero",
            Self::TooLarge => "term.too_large",
        }
    }
}

const IMMEDIATELY: &str = "immediately";

impl FromStr for Term {
    type Err = TermError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == IMMEDIATELY {
            return Ok(Term::Immediately);
        }
        let Some(unit) = s.chars().last() else {
            return Err(TermError::Empty);
        };
        let (make, max): (fn(u32) -> Term, u32) = match unit {
            'd' => (Term::Days, MAX_TERM_DAYS),
            'w' => (Term::Weeks, MAX_TERM_WEEKS),
            'm' => (Term::Months, MAX_TERM_MONTHS),
            c if c.is_ascii_digit() => return Err(TermError::MissingUnit),
            _ => return Err(TermError::UnknownUnit),
        };
        // The unit is one ASCII byte.
        let digits = &s[..s.len() - 1];
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TermError::InvalidNumber);
        }
        let n: u32 = digits.parse().map_err(|_| TermError::TooLarge)?;
        match n {
            0 => Err(TermError::Zero),
            n if n > max => Err(TermError::TooLarge),
            n => Ok(make(n)),
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Immediately => f.write_str(IMMEDIATELY),
            Term::Days(n) => write!(f, "{n}d"),
            Term::Weeks(n) => write!(f, "{n}w"),
            Term::Months(n) => write!(f, "{n}m"),
        }
    }
}

impl TryFrom<String> for Term {
    type Error = TermError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Term> for String {
    fn from(t: Term) -> Self {
        t.to_string()
    }
}

// =======================================================================================
// CaseKind
// =======================================================================================

/// The kind of case, which decides the statutory term. Terms and sources are in
/// [`crate::rules::CASE_KIND_RULES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum CaseKind {
    /// KPA art. 35 § 3: a case needing an investigation — 1 month.
    AdministrativeSimple,
    /// KPA art. 35 § 3: a particularly complicated case — 2 months.
    AdministrativeComplex,
    /// KPA art. 35 § 2: decidable at once — immediately.
    AdministrativeImmediate,
    /// KPA art. 35 § 3: appeal proceedings — 1 month from receipt of the appeal.
    Appeal,
    /// KPA art. 217 § 3: a certificate (zaświadczenie) — 7 days.
    Certificate,
    /// KPA art. 237 § 1 / art. 244 § 1: a complaint or a motion — 1 month.
    ComplaintOrMotion,
    /// Ustawa o petycjach art. 10 ust. 1: a petition — 3 months.
    Petition,
    /// UDIP art. 13: a public-information request — 14 days, up to 2 months with notice.
    PublicInformation,
    /// UDIP art. 16 ust. 2: an appeal against a refusal of public information — 14 days.
    PublicInformationAppeal,
    /// Digital accessibility act art. 18: an accessibility demand — 7 days, up to
    /// 2 months with notice \[VERIFY\].
    AccessibilityDemand,
    /// Special-needs accessibility act (ustawa z 19 lipca 2019 r.) art. 30–31: a demand
    /// for architectural or information-and-communication accessibility — 14 days, up to
    /// 2 months with notice.
    SpecialNeedsAccessibilityDemand,
}

/// An unknown case-kind code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum CaseKindError {
    /// The code names no kind of case.
    #[error("unknown kind of case")]
    Unknown,
}

impl CaseKindError {
    /// Stable machine code.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Unknown => "case_kind.unknown",
        }
    }
}

impl CaseKind {
    /// Every kind, in a stable order.
    pub const ALL: [CaseKind; 11] = [
        CaseKind::AdministrativeSimple,
        CaseKind::AdministrativeComplex,
        CaseKind::AdministrativeImmediate,
        CaseKind::Appeal,
        CaseKind::Certificate,
        CaseKind::ComplaintOrMotion,
        CaseKind::Petition,
        CaseKind::PublicInformation,
        CaseKind::PublicInformationAppeal,
        CaseKind::AccessibilityDemand,
        CaseKind::SpecialNeedsAccessibilityDemand,
    ];

    /// Stable code, e.g. `administrative_simple`.
    pub const fn as_str(self) -> &'static str {
        match self {
            CaseKind::AdministrativeSimple => "administrative_simple",
            CaseKind::AdministrativeComplex => "administrative_complex",
            CaseKind::AdministrativeImmediate => "administrative_immediate",
            CaseKind::Appeal => "appeal",
            CaseKind::Certificate => "certificate",
            CaseKind::ComplaintOrMotion => "complaint_or_motion",
            CaseKind::Petition => "petition",
            CaseKind::PublicInformation => "public_information",
            CaseKind::PublicInformationAppeal => "public_information_appeal",
            CaseKind::AccessibilityDemand => "accessibility_demand",
            CaseKind::SpecialNeedsAccessibilityDemand => "special_needs_accessibility_demand",
        }
    }

    /// The row of the rules table for this kind.
    pub fn rule(self) -> Option<&'static CaseKindRule> {
        CASE_KIND_RULES.iter().find(|r| r.kind == self)
    }

    /// The statutory term.
    pub fn term(self) -> Term {
        self.rule().map_or(Term::Immediately, |r| r.term)
    }

    /// The longest term the act allows after notifying the party, if it caps one.
    pub fn extended_term(self) -> Option<Term> {
        self.rule().and_then(|r| r.extended_term)
    }

    /// Article and act that set the term, e.g. `KPA art. 35 § 3`.
    pub fn source(self) -> &'static str {
        self.rule().map_or("", |r| r.source)
    }

    /// The due date of a case of this kind started on `start` (see [`due_date`]).
    pub fn due_date(self, start: Date, excluded: &[DateRange]) -> Result<Date, DeadlineError> {
        due_date(start, self.term(), excluded)
    }

    /// The latest date the organ may set when it extends the term with notice, where the
    /// act caps it (UDIP art. 13 ust. 2: 2 months from filing). `Ok(None)` if no cap.
    pub fn extended_due_date(
        self,
        start: Date,
        excluded: &[DateRange],
    ) -> Result<Option<Date>, DeadlineError> {
        self.extended_term()
            .map(|t| due_date(start, t, excluded))
            .transpose()
    }
}

impl fmt::Display for CaseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CaseKind {
    type Err = CaseKindError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CaseKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(CaseKindError::Unknown)
    }
}

impl TryFrom<String> for CaseKind {
    type Error = CaseKindError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<CaseKind> for String {
    fn from(k: CaseKind) -> Self {
        k.as_str().to_owned()
    }
}

// =======================================================================================
// Dates and ranges
// =======================================================================================

pub use crate::date::{DateError, parse_date};

/// Errors of the deadline engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum DeadlineError {
    /// The result would be past 9999-12-31.
    #[error("the date is out of the supported range")]
    OutOfRange,
    /// A range whose end is before its start.
    #[error("the period ends before it starts")]
    ReversedRange,
    /// A delay notice without a reason (KPA art. 36 § 1 requires one).
    #[error("a delay notice must give the reason")]
    NoticeReasonEmpty,
    /// A delay notice whose new date is before the day it was issued.
    #[error("the new date is before the notice")]
    NoticeDateBeforeIssue,
}

impl DeadlineError {
    /// Stable machine code.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::OutOfRange => "deadline.out_of_range",
            Self::ReversedRange => "deadline.reversed_range",
            Self::NoticeReasonEmpty => "deadline.notice_reason_empty",
            Self::NoticeDateBeforeIssue => "deadline.notice_date_before_issue",
        }
    }
}

/// An inclusive range of days (`start..=end`, `start <= end`), e.g. a suspension of the
/// proceedings or a delay caused by the party (KPA art. 35 § 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "DateRangeFields")]
pub struct DateRange {
    start: Date,
    end: Date,
}

#[derive(Deserialize)]
struct DateRangeFields {
    start: Date,
    end: Date,
}

impl TryFrom<DateRangeFields> for DateRange {
    type Error = DeadlineError;
    fn try_from(f: DateRangeFields) -> Result<Self, Self::Error> {
        DateRange::new(f.start, f.end)
    }
}

impl DateRange {
    /// The days `start..=end`; error if `end < start`.
    pub fn new(start: Date, end: Date) -> Result<Self, DeadlineError> {
        if end < start {
            return Err(DeadlineError::ReversedRange);
        }
        Ok(Self { start, end })
    }

    /// A range of one day.
    pub const fn single(day: Date) -> Self {
        Self {
            start: day,
            end: day,
        }
    }

    /// First day.
    pub const fn start(&self) -> Date {
        self.start
    }

    /// Last day (inclusive).
    pub const fn end(&self) -> Date {
        self.end
    }

    /// Number of days, at least 1.
    pub fn days(&self) -> i64 {
        days_between(self.start, self.end) + 1
    }

    /// Whether `day` lies in the range.
    pub fn contains(&self, day: Date) -> bool {
        self.start <= day && day <= self.end
    }
}

// =======================================================================================
// The engine
// =======================================================================================

/// A due date with the steps that led to it, for showing "why this date" to an official.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DueDate {
    /// Day of the event that started the term (not counted).
    pub start: Date,
    /// The term.
    pub term: Term,
    /// End by KPA art. 57 § 1–3 alone.
    pub nominal_end: Date,
    /// Excluded days (KPA art. 35 § 5) that fell in the running period and moved the end.
    pub excluded_days: i64,
    /// End after the excluded days, before the Saturday/holiday rule.
    pub end_before_shift: Date,
    /// The due date: the last day to deal with the case.
    pub due: Date,
}

/// The due date of a term started on `start` (the event day), not counting the
/// `excluded` periods. See the module documentation for the rules and their
/// interpretation.
///
/// ```
/// use jiff::civil::date;
/// use magistrat_domain::deadline::{due_date, Term};
///
/// // 23 Dec 2025 + 1 day = 24 Dec (Wigilia, a holiday since 2025), 25–26 holidays,
/// // 27 Saturday, 28 Sunday → Monday 29 December.
/// assert_eq!(due_date(date(2025, 12, 23), Term::Days(1), &[]), Ok(date(2025, 12, 29)));
/// ```
pub fn due_date(start: Date, term: Term, excluded: &[DateRange]) -> Result<Date, DeadlineError> {
    explain_due_date(start, term, excluded).map(|d| d.due)
}

/// Like [`due_date`], with the intermediate steps.
pub fn explain_due_date(
    start: Date,
    term: Term,
    excluded: &[DateRange],
) -> Result<DueDate, DeadlineError> {
    let nominal_end = match term {
        _ if term.is_immediate() => {
            return Ok(DueDate {
                start,
                term,
                nominal_end: start,
                excluded_days: 0,
                end_before_shift: start,
                due: start,
            });
        }
        Term::Days(n) => add_days(start, i64::from(n)),
        Term::Weeks(n) => add_days(start, 7 * i64::from(n)),
        Term::Months(n) => add_months_clamped(start, n),
        Term::Immediately => Some(start),
    }
    .ok_or(DeadlineError::OutOfRange)?;

    let excluded = running_exclusions(start, excluded);

    // Art. 35 § 5: every merged range that begins on or before the (moving) end adds its
    // length. Ranges are sorted and disjoint, and after adding a range the end lies past
    // it, so one pass reaches the fixed point.
    let mut end = nominal_end;
    let mut excluded_days = 0i64;
    for &(first, last) in &excluded {
        if first > end {
            break;
        }
        let len = days_between(first, last) + 1;
        excluded_days += len;
        end = add_days(end, len).ok_or(DeadlineError::OutOfRange)?;
    }
    let end_before_shift = end;

    // Art. 57 § 4, and never inside an excluded range.
    let mut idx = 0;
    loop {
        while idx < excluded.len() && excluded[idx].1 < end {
            idx += 1;
        }
        if let Some(&(first, last)) = excluded.get(idx)
            && first <= end
        {
            end = next_day(last).ok_or(DeadlineError::OutOfRange)?;
            continue;
        }
        if is_non_term_day(end) {
            end = next_day(end).ok_or(DeadlineError::OutOfRange)?;
            continue;
        }
        break;
    }

    Ok(DueDate {
        start,
        term,
        nominal_end,
        excluded_days,
        end_before_shift,
        due: end,
    })
}

/// The excluded ranges clipped to the running period (days after `start`), sorted and
/// merged, as `(first, last)` pairs with `first <= last`, disjoint and not adjacent.
fn running_exclusions(start: Date, excluded: &[DateRange]) -> Vec<(Date, Date)> {
    let Some(first_running) = next_day(start) else {
        return Vec::new();
    };
    let mut clipped: Vec<(Date, Date)> = excluded
        .iter()
        .filter(|r| r.end >= first_running)
        .map(|r| (r.start.max(first_running), r.end))
        .collect();
    clipped.sort_unstable();
    let mut merged: Vec<(Date, Date)> = Vec::with_capacity(clipped.len());
    for (first, last) in clipped {
        if let Some(prev) = merged.last_mut() {
            let touches = next_day(prev.1).is_none_or(|after| first <= after);
            if touches {
                prev.1 = prev.1.max(last);
                continue;
            }
        }
        merged.push((first, last));
    }
    merged
}

// =======================================================================================
// Delay notices (KPA art. 36)
// =======================================================================================

/// A notice to the parties that the case will not be dealt with in time, with the
/// reasons and a new date (KPA art. 36 § 1). Also used for the UDIP art. 13 ust. 2
/// extension notice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "DelayNoticeFields")]
pub struct DelayNotice {
    issued_on: Date,
    new_due_date: Date,
    reason: String,
}

#[derive(Deserialize)]
struct DelayNoticeFields {
    issued_on: Date,
    new_due_date: Date,
    reason: String,
}

impl TryFrom<DelayNoticeFields> for DelayNotice {
    type Error = DeadlineError;
    fn try_from(f: DelayNoticeFields) -> Result<Self, Self::Error> {
        DelayNotice::new(f.issued_on, f.new_due_date, f.reason)
    }
}

impl DelayNotice {
    /// A notice issued on `issued_on` setting `new_due_date`, for `reason` (not blank).
    pub fn new(
        issued_on: Date,
        new_due_date: Date,
        reason: impl Into<String>,
    ) -> Result<Self, DeadlineError> {
        let reason = reason.into();
        if reason.trim().is_empty() {
            return Err(DeadlineError::NoticeReasonEmpty);
        }
        if new_due_date < issued_on {
            return Err(DeadlineError::NoticeDateBeforeIssue);
        }
        Ok(Self {
            issued_on,
            new_due_date,
            reason,
        })
    }

    /// Day the notice was issued.
    pub fn issued_on(&self) -> Date {
        self.issued_on
    }

    /// The new due date it sets.
    pub fn new_due_date(&self) -> Date {
        self.new_due_date
    }

    /// The reasons given.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// The due date in force: the new date of the most recently issued notice (by
/// `issued_on`; of notices issued the same day, the last in the slice), or `original`
/// if there is none. A later notice replaces an earlier one even if it names an earlier
/// date: the organ's last word counts.
pub fn effective_due_date(original: Date, notices: &[DelayNotice]) -> Date {
    notices
        .iter()
        .enumerate()
        .max_by(|(ia, a), (ib, b)| match a.issued_on.cmp(&b.issued_on) {
            Ordering::Equal => ia.cmp(ib),
            other => other,
        })
        .map_or(original, |(_, n)| n.new_due_date)
}

/// The latest new date a delay notice may name: one year after the due date in force.
///
/// KPA art. 36 § 1 requires the notice to give the reason and to name the new date, and
/// sets no maximum; but a notice is a promise to the party, and a date years ahead (the
/// form took 9999-12-31) is a typing error or a way to make a case never overdue. A year
/// is longer than any term of the KPA or of the acts the office applies, so a real delay
/// fits; a longer one is a new notice when this one runs out (issue 16, decision 0022).
pub fn latest_new_due_date(current_due: Date) -> Date {
    current_due
        .checked_add(jiff::Span::new().years(1))
        .unwrap_or(Date::MAX)
}

/// A case's two due dates: the statutory one (the kind's term from `received`, with
/// the closed `periods` excluded — KPA art. 35 § 5: suspension, the party's delay) and
/// the one in force after the delay `notices` (issued on, new date, reason — KPA
/// art. 36). A period still running is not excluded yet; a notice that is not valid is
/// ignored. `None` when the term cannot be computed.
pub fn due_dates(
    kind: CaseKind,
    received: Date,
    periods: &[(Date, Option<Date>)],
    notices: &[(Date, Date, String)],
) -> Option<(Date, Date)> {
    let ranges: Vec<DateRange> = periods
        .iter()
        .filter_map(|(s, e)| e.and_then(|e| DateRange::new(*s, e).ok()))
        .collect();
    let statutory = kind.due_date(received, &ranges).ok()?;
    let notices: Vec<DelayNotice> = notices
        .iter()
        .filter_map(|(i, n, r)| DelayNotice::new(*i, *n, r.clone()).ok())
        .collect();
    Some((statutory, effective_due_date(statutory, &notices)))
}

// =======================================================================================
// The periods not counted (KPA art. 35 § 5), and the UDIP extension notice
// =======================================================================================

/// Which period of KPA art. 35 § 5 a range is: "Do terminów określonych w przepisach
/// poprzedzających nie wlicza się terminów przewidzianych w przepisach prawa dla
/// dokonania określonych czynności, okresów zawieszenia postępowania, terminów na
/// przeprowadzenie mediacji oraz okresów opóźnień spowodowanych z winy strony albo z
/// przyczyn niezależnych od organu."
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExcludedKind {
    /// Okres zawieszenia postępowania (art. 97–103).
    Suspension,
    /// Opóźnienie z winy strony.
    PartyDelay,
    /// Termin przewidziany w przepisach prawa dla dokonania określonej czynności (e.g. an
    /// opinion another organ must give within a term, art. 106 § 3).
    StatutoryAct,
    /// Termin na przeprowadzenie mediacji (art. 96a–96n).
    Mediation,
    /// Opóźnienie z przyczyn niezależnych od organu.
    OutsideOrgan,
}

impl ExcludedKind {
    /// Every kind, in the order of art. 35 § 5 (the suspension first, as the case's
    /// workflow records it).
    pub const ALL: [ExcludedKind; 5] = [
        ExcludedKind::Suspension,
        ExcludedKind::StatutoryAct,
        ExcludedKind::Mediation,
        ExcludedKind::PartyDelay,
        ExcludedKind::OutsideOrgan,
    ];

    /// The kinds an official records with a start and an end (a suspension is started
    /// and ended by the workflow's own steps).
    pub const RECORDED: [ExcludedKind; 4] = [
        ExcludedKind::StatutoryAct,
        ExcludedKind::Mediation,
        ExcludedKind::PartyDelay,
        ExcludedKind::OutsideOrgan,
    ];

    /// The stored code.
    pub const fn as_str(self) -> &'static str {
        match self {
            ExcludedKind::Suspension => "suspension",
            ExcludedKind::PartyDelay => "party_delay",
            ExcludedKind::StatutoryAct => "statutory_act",
            ExcludedKind::Mediation => "mediation",
            ExcludedKind::OutsideOrgan => "outside_organ",
        }
    }

    /// The kind of a stored code.
    pub fn parse(s: &str) -> Option<ExcludedKind> {
        ExcludedKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The Fluent id of its name.
    pub fn label_key(self) -> String {
        format!("case-period-{}", self.as_str().replace('_', "-"))
    }
}

/// A recorded period not counted: from `start`, to `end` inclusive, or still running
/// (a suspension not yet ended) when `end` is `None`.
pub type RecordedPeriod = (Date, Option<Date>);

/// Whether a new period `start..=end` (`None`: still running) shares a day with one of
/// `existing`. A day is either counted or not: two periods on one day would say the
/// same day twice, and the official would not know which reason holds — so an
/// overlapping period is refused, not merged ([`due_date`] would count the day once).
pub fn overlaps(existing: &[RecordedPeriod], start: Date, end: Option<Date>) -> bool {
    existing.iter().any(|&(s, e)| {
        let new_starts_before_old_ends = e.is_none_or(|e| start <= e);
        let old_starts_before_new_ends = end.is_none_or(|end| s <= end);
        new_starts_before_old_ends && old_starts_before_new_ends
    })
}

/// Why a UDIP extension notice was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum UdipNoticeError {
    /// Issued after the 14 days: UDIP art. 13 ust. 2 requires the notice "w tym
    /// terminie" — within the 14 days of art. 13 ust. 1.
    #[error("the extension notice comes after the 14 days")]
    AfterFourteenDays,
    /// A new date more than 2 months after the request (art. 13 ust. 2).
    #[error("the new date is more than two months after the request")]
    BeyondTwoMonths,
}

impl UdipNoticeError {
    /// The Fluent id of the message.
    pub const fn message_key(self) -> &'static str {
        match self {
            UdipNoticeError::AfterFourteenDays => "case-error-udip-notice-late",
            UdipNoticeError::BeyondTwoMonths => "case-error-new-due-limit",
        }
    }
}

/// Checks a notice extending a public-information request's term (UDIP art. 13 ust. 2:
/// "Jeżeli informacja publiczna nie może być udostępniona w terminie określonym w ust. 1,
/// podmiot obowiązany do jej udostępnienia powiadamia w tym terminie o powodach
/// opóźnienia oraz o terminie, w jakim udostępni informację, nie dłuższym jednak niż
/// 2 miesiące od dnia złożenia wniosku"): issued within the 14 days counted from the
/// request (`received`), naming a date at most 2 months from it. `excluded`: the periods
/// not counted, as for the term itself.
pub fn check_udip_extension(
    received: Date,
    issued_on: Date,
    new_due: Date,
    excluded: &[DateRange],
) -> Result<(), UdipNoticeError> {
    let kind = CaseKind::PublicInformation;
    let fourteen_days = kind.due_date(received, excluded).unwrap_or(Date::MAX);
    if issued_on > fourteen_days {
        return Err(UdipNoticeError::AfterFourteenDays);
    }
    let limit = kind
        .extended_due_date(received, excluded)
        .ok()
        .flatten()
        .unwrap_or(Date::MAX);
    if new_due > limit {
        return Err(UdipNoticeError::BeyondTwoMonths);
    }
    Ok(())
}

// =======================================================================================
// Status on a given day
// =======================================================================================

/// Where a case stands against its due date on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DeadlineStatus {
    /// Due later; calendar days left.
    Running {
        /// Calendar days until the due date.
        days_left: i64,
    },
    /// Today is the last day.
    DueToday,
    /// The due date has passed.
    Overdue {
        /// Calendar days since the due date.
        days_overdue: i64,
    },
}

impl DeadlineStatus {
    /// Stable machine code.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Running { .. } => "running",
            Self::DueToday => "due_today",
            Self::Overdue { .. } => "overdue",
        }
    }
}

/// The status on `today` of a case due on `due`.
pub fn deadline_status(due: Date, today: Date) -> DeadlineStatus {
    let diff = days_between(today, due);
    match diff.cmp(&0) {
        Ordering::Greater => DeadlineStatus::Running { days_left: diff },
        Ordering::Equal => DeadlineStatus::DueToday,
        Ordering::Less => DeadlineStatus::Overdue {
            days_overdue: -diff,
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::calendar::{is_public_holiday, is_saturday, is_sunday_or_holiday};
    use jiff::civil::{Weekday, date};
    use proptest::prelude::*;

    #[test]
    fn excluded_periods_and_notices_move_the_date() {
        let received = date(2026, 3, 2);
        // 1 month from Mon 2 March 2026 → Thu 2 April.
        let (s, e) = due_dates(CaseKind::AdministrativeSimple, received, &[], &[]).unwrap();
        assert_eq!((s, e), (date(2026, 4, 2), date(2026, 4, 2)));
        // 10 days of suspension: 12 April is a Sunday → Mon 13 April. The period still
        // running (from 25 March) is not excluded yet.
        let periods = [
            (date(2026, 3, 10), Some(date(2026, 3, 19))),
            (date(2026, 3, 25), None),
        ];
        let (s, _) = due_dates(CaseKind::AdministrativeSimple, received, &periods, &[]).unwrap();
        assert_eq!(s, date(2026, 4, 13));
        let notices = [(date(2026, 4, 1), date(2026, 5, 15), "opinia".to_owned())];
        let (_, e) =
            due_dates(CaseKind::AdministrativeSimple, received, &periods, &notices).unwrap();
        assert_eq!(e, date(2026, 5, 15));
    }
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as DeError, StrDeserializer};

    fn r(a: Date, b: Date) -> DateRange {
        DateRange::new(a, b).unwrap()
    }

    // ---------------------------------------------------------------- Term parsing

    #[test]
    fn term_parse_and_display() {
        let ok = [
            ("immediately", Term::Immediately),
            ("1d", Term::Days(1)),
            ("14d", Term::Days(14)),
            ("2w", Term::Weeks(2)),
            ("1m", Term::Months(1)),
            ("36600d", Term::Days(36_600)),
            ("1200m", Term::Months(1200)),
            ("007d", Term::Days(7)),
        ];
        for (s, t) in ok {
            assert_eq!(s.parse::<Term>(), Ok(t), "{s}");
        }
        for t in [
            Term::Immediately,
            Term::Days(14),
            Term::Weeks(2),
            Term::Months(3),
        ] {
            assert_eq!(t.to_string().parse::<Term>(), Ok(t));
        }
        let bad = [
            ("", "term.empty"),
            ("14", "term.missing_unit"),
            ("14x", "term.unknown_unit"),
            ("14D", "term.unknown_unit"),
            ("14ą", "term.unknown_unit"),
            ("d", "term.invalid_number"),
            ("-1d", "term.invalid_number"),
            ("+1d", "term.invalid_number"),
            (" 1d", "term.invalid_number"),
            ("1.5m", "term.invalid_number"),
            ("0d", "term.zero"),
            ("0w", "term.zero"),
            ("00m", "term.zero"),
            ("36601d", "term.too_large"),
            ("1201m", "term.too_large"),
            ("5221w", "term.too_large"),
            ("99999999999999999999d", "term.too_large"),
            ("Immediately", "term.unknown_unit"),
            ("niezwłocznie", "term.unknown_unit"),
        ];
        for (s, code) in bad {
            assert_eq!(s.parse::<Term>().map_err(|e| e.code()), Err(code), "{s:?}");
        }
    }

    #[test]
    fn serde_uses_the_codes() {
        let de: StrDeserializer<'_, DeError> = "14d".into_deserializer();
        assert_eq!(Term::deserialize(de), Ok(Term::Days(14)));
        let de: StrDeserializer<'_, DeError> = "0d".into_deserializer();
        assert!(Term::deserialize(de).is_err());
        let de: StrDeserializer<'_, DeError> = "public_information".into_deserializer();
        assert_eq!(CaseKind::deserialize(de), Ok(CaseKind::PublicInformation));
        assert_eq!(String::from(Term::Weeks(2)), "2w");
        assert_eq!(String::from(CaseKind::Appeal), "appeal");
    }

    // ---------------------------------------------------------------- CaseKind

    #[test]
    fn case_kind_terms() {
        use CaseKind::*;
        let table = [
            (
                AdministrativeSimple,
                "administrative_simple",
                Term::Months(1),
                None,
            ),
            (
                AdministrativeComplex,
                "administrative_complex",
                Term::Months(2),
                None,
            ),
            (
                AdministrativeImmediate,
                "administrative_immediate",
                Term::Immediately,
                None,
            ),
            (Appeal, "appeal", Term::Months(1), None),
            (Certificate, "certificate", Term::Days(7), None),
            (
                ComplaintOrMotion,
                "complaint_or_motion",
                Term::Months(1),
                None,
            ),
            (Petition, "petition", Term::Months(3), None),
            (
                PublicInformation,
                "public_information",
                Term::Days(14),
                Some(Term::Months(2)),
            ),
            (
                PublicInformationAppeal,
                "public_information_appeal",
                Term::Days(14),
                None,
            ),
            (
                AccessibilityDemand,
                "accessibility_demand",
                Term::Days(7),
                Some(Term::Months(2)),
            ),
            (
                SpecialNeedsAccessibilityDemand,
                "special_needs_accessibility_demand",
                Term::Days(14),
                Some(Term::Months(2)),
            ),
        ];
        for (kind, code, term, ext) in table {
            assert_eq!(kind.as_str(), code);
            assert_eq!(kind.to_string(), code);
            assert_eq!(code.parse::<CaseKind>(), Ok(kind));
            assert_eq!(kind.term(), term, "{code}");
            assert_eq!(kind.extended_term(), ext, "{code}");
            assert!(!kind.source().is_empty());
        }
        assert_eq!(
            "nonsense".parse::<CaseKind>().map_err(|e| e.code()),
            Err("case_kind.unknown")
        );
    }

    #[test]
    fn case_kind_due_dates() {
        // Public information filed Friday 17 April 2026: 14 days → Friday 1 May (holiday)
        // → 2 May Saturday → 3 May Sunday and holiday → Monday 4 May.
        let start = date(2026, 4, 17);
        assert_eq!(
            CaseKind::PublicInformation.due_date(start, &[]),
            Ok(date(2026, 5, 4))
        );
        // Extended: 2 months → 17 June 2026 (Wednesday).
        assert_eq!(
            CaseKind::PublicInformation.extended_due_date(start, &[]),
            Ok(Some(date(2026, 6, 17)))
        );
        assert_eq!(
            CaseKind::Certificate.extended_due_date(start, &[]),
            Ok(None)
        );
        // Petition filed 30 November 2025: 3 months → 28 February 2026 (Saturday)
        // → 1 March Sunday → Monday 2 March 2026.
        assert_eq!(
            CaseKind::Petition.due_date(date(2025, 11, 30), &[]),
            Ok(date(2026, 3, 2))
        );
    }

    // ---------------------------------------------------------------- due_date tables

    #[test]
    #[allow(
        clippy::too_many_lines,
        reason = "a table of real dates reads best in one piece"
    )]
    fn due_dates_with_real_calendar() {
        let cases: &[(Date, Term, Date, &str)] = &[
            (
                date(2025, 12, 23),
                Term::Days(1),
                date(2025, 12, 29),
                "24 Dec holiday since 2025, 25-26 holidays, 27 Sat, 28 Sun",
            ),
            (
                date(2024, 12, 23),
                Term::Days(1),
                date(2024, 12, 24),
                "24 Dec 2024 was a working Tuesday",
            ),
            (
                date(2025, 1, 31),
                Term::Months(1),
                date(2025, 2, 28),
                "no 31 Feb; Friday",
            ),
            (
                date(2024, 1, 31),
                Term::Months(1),
                date(2024, 2, 29),
                "leap year; Thursday",
            ),
            (
                date(2026, 1, 31),
                Term::Months(1),
                date(2026, 3, 2),
                "28 Feb 2026 is a Saturday, 1 Mar a Sunday",
            ),
            (
                date(2021, 11, 3),
                Term::Days(14),
                date(2021, 11, 17),
                "KPA art. 57 § 1 example (appeal term)",
            ),
            (
                date(2021, 11, 3),
                Term::Weeks(2),
                date(2021, 11, 17),
                "same weekday",
            ),
            (
                date(2021, 6, 30),
                Term::Months(3),
                date(2021, 9, 30),
                "KPA art. 57 § 3 example",
            ),
            (
                date(2026, 1, 3),
                Term::Days(7),
                date(2026, 1, 12),
                "ends Saturday 10 Jan",
            ),
            (
                date(2025, 12, 30),
                Term::Days(7),
                date(2026, 1, 7),
                "6 Jan holiday since 2011",
            ),
            (
                date(2009, 12, 30),
                Term::Days(7),
                date(2010, 1, 6),
                "6 Jan 2010 a working day",
            ),
            (
                date(2026, 3, 30),
                Term::Days(7),
                date(2026, 4, 7),
                "Easter Monday 2026",
            ),
            (
                date(2024, 3, 25),
                Term::Days(7),
                date(2024, 4, 2),
                "Easter Monday 2024",
            ),
            (
                date(2025, 4, 14),
                Term::Days(7),
                date(2025, 4, 22),
                "Easter Monday 2025",
            ),
            (
                date(2027, 3, 22),
                Term::Days(7),
                date(2027, 3, 30),
                "Easter Monday 2027",
            ),
            (
                date(2026, 5, 28),
                Term::Days(7),
                date(2026, 6, 5),
                "Corpus Christi 2026",
            ),
            (
                date(2025, 6, 12),
                Term::Days(7),
                date(2025, 6, 20),
                "Corpus Christi 2025",
            ),
            (
                date(2026, 4, 17),
                Term::Days(14),
                date(2026, 5, 4),
                "1 May Fri, 2 Sat, 3 Sun",
            ),
            (
                date(2026, 10, 28),
                Term::Days(14),
                date(2026, 11, 12),
                "11 Nov 2026 Wednesday",
            ),
            (
                date(2026, 8, 8),
                Term::Weeks(1),
                date(2026, 8, 17),
                "15 Aug Sat, 16 Sun",
            ),
            (
                date(2026, 8, 14),
                Term::Days(1),
                date(2026, 8, 17),
                "office closing days do not move terms; 15 Aug Sat holiday",
            ),
            (
                date(2026, 2, 27),
                Term::Days(1),
                date(2026, 3, 2),
                "Saturday and Sunday",
            ),
            (
                date(2026, 5, 14),
                Term::Days(10),
                date(2026, 5, 25),
                "24 May Pentecost Sunday",
            ),
            (
                date(2025, 12, 31),
                Term::Days(1),
                date(2026, 1, 2),
                "New Year",
            ),
            (
                date(2026, 3, 2),
                Term::Months(1),
                date(2026, 4, 2),
                "Thursday",
            ),
            (
                date(2026, 3, 31),
                Term::Months(1),
                date(2026, 4, 30),
                "no 31 Apr",
            ),
            (
                date(2026, 3, 6),
                Term::Months(1),
                date(2026, 4, 7),
                "6 Apr 2026 Easter Monday",
            ),
            (
                date(2026, 1, 31),
                Term::Months(2),
                date(2026, 3, 31),
                "Tuesday",
            ),
            (
                date(2026, 12, 31),
                Term::Months(2),
                date(2027, 3, 1),
                "28 Feb 2027 is a Sunday",
            ),
            (
                date(2026, 4, 3),
                Term::Days(1),
                date(2026, 4, 7),
                "Good Friday (a working day) + 1 = Holy Saturday, Easter Sunday, Easter Monday",
            ),
        ];
        for (start, term, want, why) in cases {
            let got = due_date(*start, *term, &[]);
            assert_eq!(got, Ok(*want), "{start} + {term}: {why}");
        }
    }

    #[test]
    fn immediately_is_the_start_date() {
        for start in [date(2026, 1, 3), date(2026, 12, 24), date(2026, 3, 2)] {
            assert_eq!(due_date(start, Term::Immediately, &[]), Ok(start));
            assert_eq!(due_date(start, Term::Days(0), &[]), Ok(start));
            assert_eq!(due_date(start, Term::Months(0), &[]), Ok(start));
            let ex = [r(date(2026, 1, 1), date(2026, 12, 31))];
            assert_eq!(due_date(start, Term::Immediately, &ex), Ok(start));
        }
    }

    /// Excluded ranges, expected due date, expected excluded days, why.
    type ExclusionCase<'a> = (&'a [(Date, Date)], Date, i64, &'a str);

    #[test]
    fn excluded_periods() {
        let start = date(2026, 3, 2); // + 1 month → Thursday 2 April 2026
        let cases: &[ExclusionCase<'_>] = &[
            (&[], date(2026, 4, 2), 0, "nominal"),
            (
                &[(date(2026, 3, 10), date(2026, 3, 19))],
                date(2026, 4, 13),
                10,
                "10 days → Sunday 12 Apr → Monday",
            ),
            (
                &[
                    (date(2026, 3, 10), date(2026, 3, 19)),
                    (date(2026, 3, 15), date(2026, 3, 24)),
                ],
                date(2026, 4, 17),
                15,
                "overlap counted once: 10..24 Mar = 15 days",
            ),
            (
                &[
                    (date(2026, 3, 15), date(2026, 3, 24)),
                    (date(2026, 3, 10), date(2026, 3, 19)),
                ],
                date(2026, 4, 17),
                15,
                "order does not matter",
            ),
            (
                &[
                    (date(2026, 3, 10), date(2026, 3, 14)),
                    (date(2026, 3, 15), date(2026, 3, 19)),
                ],
                date(2026, 4, 13),
                10,
                "adjacent ranges",
            ),
            (
                &[
                    (date(2026, 3, 25), date(2026, 3, 31)),
                    (date(2026, 4, 5), date(2026, 4, 8)),
                    (date(2026, 4, 20), date(2026, 4, 21)),
                ],
                date(2026, 4, 13),
                11,
                "extension reaches a second range; third is beyond",
            ),
            (
                &[(date(2026, 3, 30), date(2026, 4, 10))],
                date(2026, 4, 14),
                12,
                "range spanning the nominal end",
            ),
            (
                &[(date(2026, 2, 25), date(2026, 3, 3))],
                date(2026, 4, 3),
                1,
                "only days after the start count",
            ),
            (
                &[(date(2026, 2, 1), date(2026, 3, 2))],
                date(2026, 4, 2),
                0,
                "a range ending on the start day is ignored",
            ),
            (
                &[(date(2026, 4, 3), date(2026, 4, 30))],
                date(2026, 4, 2),
                0,
                "a range after the end is ignored",
            ),
            (
                &[(date(2026, 4, 2), date(2026, 4, 2))],
                date(2026, 4, 3),
                1,
                "the nominal end itself excluded",
            ),
        ];
        for (ranges, want, days, why) in cases {
            let ex: Vec<DateRange> = ranges.iter().map(|(a, b)| r(*a, *b)).collect();
            let got = explain_due_date(start, Term::Months(1), &ex).unwrap();
            assert_eq!(got.due, *want, "{why}");
            assert_eq!(got.excluded_days, *days, "{why}");
            assert_eq!(got.nominal_end, date(2026, 4, 2));
        }
    }

    #[test]
    fn shifted_end_never_rests_in_an_excluded_range() {
        // 3 Jan 2026 + 7 days = Saturday 10 Jan → Monday 12 Jan, but a suspension runs
        // 12–14 Jan → Thursday 15 Jan.
        let ex = [r(date(2026, 1, 12), date(2026, 1, 14))];
        let d = explain_due_date(date(2026, 1, 3), Term::Days(7), &ex).unwrap();
        assert_eq!(d.nominal_end, date(2026, 1, 10));
        assert_eq!(d.excluded_days, 0);
        assert_eq!(d.due, date(2026, 1, 15));
        // ... and if the range ends on a Friday, the weekend follows → Monday.
        let ex = [r(date(2026, 1, 12), date(2026, 1, 16))];
        assert_eq!(
            due_date(date(2026, 1, 3), Term::Days(7), &ex),
            Ok(date(2026, 1, 19))
        );
    }

    #[test]
    fn months_with_exclusions_are_not_monotonic() {
        // Documented limit of the interpretation (see the module docs).
        let ex = [DateRange::single(date(2028, 1, 31))];
        let a = due_date(date(2028, 1, 30), Term::Months(1), &ex).unwrap();
        let b = due_date(date(2028, 1, 31), Term::Months(1), &ex).unwrap();
        assert_eq!(a, date(2028, 3, 1));
        assert_eq!(b, date(2028, 2, 29));
        assert!(a > b);
    }

    #[test]
    fn out_of_range() {
        assert_eq!(
            due_date(date(9999, 12, 30), Term::Days(5), &[]),
            Err(DeadlineError::OutOfRange)
        );
        assert_eq!(
            due_date(date(9999, 12, 1), Term::Months(1), &[]),
            Err(DeadlineError::OutOfRange)
        );
        assert_eq!(
            due_date(date(2000, 1, 1), Term::Days(u32::MAX), &[]),
            Err(DeadlineError::OutOfRange)
        );
        assert_eq!(
            due_date(date(2000, 1, 1), Term::Weeks(u32::MAX), &[]),
            Err(DeadlineError::OutOfRange)
        );
        assert_eq!(
            due_date(date(2000, 1, 1), Term::Months(u32::MAX), &[]),
            Err(DeadlineError::OutOfRange)
        );
        let ex = [r(date(9999, 12, 1), date(9999, 12, 31))];
        assert_eq!(
            due_date(date(9999, 11, 1), Term::Months(1), &ex),
            Err(DeadlineError::OutOfRange)
        );
        assert_eq!(DeadlineError::OutOfRange.code(), "deadline.out_of_range");
        // Starting on the last representable day: no running day at all.
        assert_eq!(
            due_date(Date::MAX, Term::Days(1), &[DateRange::single(Date::MAX)]),
            Err(DeadlineError::OutOfRange)
        );
    }

    // ---------------------------------------------------------------- ranges, dates

    #[test]
    fn date_ranges() {
        assert_eq!(
            DateRange::new(date(2026, 1, 2), date(2026, 1, 1)).map_err(|e| e.code()),
            Err("deadline.reversed_range")
        );
        let rg = r(date(2026, 1, 1), date(2026, 1, 31));
        assert_eq!(rg.days(), 31);
        assert!(rg.contains(date(2026, 1, 31)));
        assert!(!rg.contains(date(2026, 2, 1)));
        assert_eq!(rg.start(), date(2026, 1, 1));
        assert_eq!(rg.end(), date(2026, 1, 31));
        assert_eq!(DateRange::single(date(2026, 1, 1)).days(), 1);
    }

    // ---------------------------------------------------------------- notices, status

    #[test]
    fn delay_notices() {
        let original = date(2026, 4, 2);
        assert_eq!(effective_due_date(original, &[]), original);
        let n1 = DelayNotice::new(date(2026, 3, 30), date(2026, 4, 30), "opinia biegłego").unwrap();
        let n2 = DelayNotice::new(date(2026, 4, 28), date(2026, 5, 29), "uzupełnienie").unwrap();
        let n3 = DelayNotice::new(date(2026, 4, 28), date(2026, 5, 15), "korekta").unwrap();
        assert_eq!(
            effective_due_date(original, std::slice::from_ref(&n1)),
            date(2026, 4, 30)
        );
        assert_eq!(
            effective_due_date(original, &[n2.clone(), n1.clone()]),
            date(2026, 5, 29)
        );
        // Same issue day: the later entry wins, even with an earlier date.
        assert_eq!(
            effective_due_date(original, &[n1, n2, n3.clone()]),
            date(2026, 5, 15)
        );
        assert_eq!(n3.reason(), "korekta");
        assert_eq!(n3.issued_on(), date(2026, 4, 28));
        assert_eq!(n3.new_due_date(), date(2026, 5, 15));
        assert_eq!(
            DelayNotice::new(date(2026, 4, 28), date(2026, 5, 15), "  ").map_err(|e| e.code()),
            Err("deadline.notice_reason_empty")
        );
        assert_eq!(
            DelayNotice::new(date(2026, 4, 28), date(2026, 4, 27), "x").map_err(|e| e.code()),
            Err("deadline.notice_date_before_issue")
        );
    }

    #[test]
    fn statuses() {
        let due = date(2026, 4, 2);
        assert_eq!(
            deadline_status(due, date(2026, 3, 30)),
            DeadlineStatus::Running { days_left: 3 }
        );
        assert_eq!(deadline_status(due, due), DeadlineStatus::DueToday);
        assert_eq!(
            deadline_status(due, date(2026, 4, 12)),
            DeadlineStatus::Overdue { days_overdue: 10 }
        );
        assert_eq!(DeadlineStatus::DueToday.code(), "due_today");
    }

    // ---------------------------------------------------------------- properties

    fn any_date() -> impl Strategy<Value = Date> {
        // 1 Jan 2000 .. about 2100.
        (0i64..36_500).prop_map(|d| add_days(date(2000, 1, 1), d).unwrap())
    }

    fn any_term() -> impl Strategy<Value = Term> {
        prop_oneof![
            Just(Term::Immediately),
            (1u32..=400).prop_map(Term::Days),
            (1u32..=60).prop_map(Term::Weeks),
            (1u32..=24).prop_map(Term::Months),
        ]
    }

    fn counting_term() -> impl Strategy<Value = Term> {
        prop_oneof![
            (1u32..=400).prop_map(Term::Days),
            (1u32..=60).prop_map(Term::Weeks),
        ]
    }

    /// Ranges placed around `start` by offset: (offset from start, length - 1).
    fn any_ranges() -> impl Strategy<Value = Vec<(i64, i64)>> {
        proptest::collection::vec((-40i64..500, 0i64..60), 0..6)
    }

    fn ranges_at(start: Date, spec: &[(i64, i64)]) -> Vec<DateRange> {
        spec.iter()
            .map(|&(off, len)| {
                let a = add_days(start, off).unwrap();
                r(a, add_days(a, len).unwrap())
            })
            .collect()
    }

    /// A slow model of art. 57 + art. 35 § 5: walk day by day.
    fn model_due(start: Date, term: Term, ex: &[DateRange]) -> Date {
        let nominal = match term {
            Term::Immediately => return start,
            Term::Days(n) => add_days(start, i64::from(n)).unwrap(),
            Term::Weeks(n) => add_days(start, 7 * i64::from(n)).unwrap(),
            Term::Months(n) => add_months_clamped(start, n).unwrap(),
        };
        let running = days_between(start, nominal);
        let excluded = |d: Date| ex.iter().any(|r| r.contains(d));
        let (mut day, mut counted) = (start, 0);
        while counted < running {
            day = day.tomorrow().unwrap();
            if !excluded(day) {
                counted += 1;
            }
        }
        while excluded(day) || is_non_term_day(day) {
            day = day.tomorrow().unwrap();
        }
        day
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn term_display_round_trips(t in any_term()) {
            prop_assert_eq!(t.to_string().parse::<Term>(), Ok(t));
        }

        #[test]
        fn term_parse_never_panics(s in ".{0,12}") {
            let _ = s.parse::<Term>();
        }

        #[test]
        fn matches_the_day_by_day_model(
            start in any_date(), term in any_term(), spec in any_ranges()
        ) {
            let ex = ranges_at(start, &spec);
            prop_assert_eq!(due_date(start, term, &ex), Ok(model_due(start, term, &ex)));
        }

        #[test]
        fn due_date_is_a_working_day_after_start(
            start in any_date(), term in any_term(), spec in any_ranges()
        ) {
            let ex = ranges_at(start, &spec);
            let d = explain_due_date(start, term, &ex).unwrap();
            if term.is_immediate() {
                prop_assert_eq!(d.due, start);
            } else {
                prop_assert!(d.due > start);
                prop_assert!(!is_saturday(d.due));
                prop_assert!(d.due.weekday() != Weekday::Sunday);
                prop_assert!(!is_public_holiday(d.due));
                prop_assert!(!is_sunday_or_holiday(d.due));
                prop_assert!(!ex.iter().any(|r| r.contains(d.due)));
                prop_assert!(d.due >= d.end_before_shift);
                prop_assert!(d.end_before_shift >= d.nominal_end);
            }
        }

        #[test]
        fn without_exclusions_the_shift_is_at_most_five_days(
            start in any_date(), term in any_term()
        ) {
            let d = explain_due_date(start, term, &[]).unwrap();
            prop_assert_eq!(d.end_before_shift, d.nominal_end);
            prop_assert!(days_between(d.nominal_end, d.due) <= 5);
        }

        #[test]
        fn nominal_end_follows_article_57(start in any_date(), n in 1u32..=60) {
            let w = explain_due_date(start, Term::Weeks(n), &[]).unwrap();
            prop_assert_eq!(w.nominal_end.weekday(), start.weekday());
            let m = explain_due_date(start, Term::Months(n), &[]).unwrap();
            let end = m.nominal_end;
            prop_assert!(end.day() == start.day()
                || (end.day() == end.days_in_month() && start.day() > end.day()));
            let months = (i32::from(end.year()) - i32::from(start.year())) * 12
                + i32::from(end.month()) - i32::from(start.month());
            prop_assert_eq!(months, i32::try_from(n).unwrap());
        }

        #[test]
        fn monotonic_in_start_without_exclusions(
            a in any_date(), b in any_date(), term in any_term()
        ) {
            let (s1, s2) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(due_date(s1, term, &[]).unwrap() <= due_date(s2, term, &[]).unwrap());
        }

        #[test]
        fn monotonic_in_start_with_exclusions_for_days_and_weeks(
            a in any_date(), gap in 0i64..60, term in counting_term(), spec in any_ranges()
        ) {
            let b = add_days(a, gap).unwrap();
            let ex = ranges_at(a, &spec);
            prop_assert!(due_date(a, term, &ex).unwrap() <= due_date(b, term, &ex).unwrap());
        }

        #[test]
        fn adding_an_excluded_range_never_makes_it_earlier(
            start in any_date(), term in any_term(), spec in any_ranges(),
            extra in (-40i64..500, 0i64..60)
        ) {
            let ex = ranges_at(start, &spec);
            let mut more = ex.clone();
            more.extend(ranges_at(start, &[extra]));
            prop_assert!(due_date(start, term, &more).unwrap() >= due_date(start, term, &ex).unwrap());
        }

        #[test]
        fn exclusions_add_at_most_their_length(
            start in any_date(), term in any_term(), spec in any_ranges()
        ) {
            let ex = ranges_at(start, &spec);
            let with = explain_due_date(start, term, &ex).unwrap();
            let total: i64 = ex.iter().map(DateRange::days).sum();
            prop_assert!(with.excluded_days <= total);
            prop_assert_eq!(
                days_between(with.nominal_end, with.end_before_shift), with.excluded_days
            );
        }
    }

    #[test]
    fn a_delay_notice_names_a_date_at_most_a_year_after_the_due_date() {
        for (current, latest) in [
            (date(2026, 3, 10), date(2027, 3, 10)),
            (date(2028, 2, 29), date(2029, 2, 28)),
            (date(9999, 6, 1), Date::MAX),
        ] {
            assert_eq!(latest_new_due_date(current), latest, "{current}");
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod excluded_period_tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn kinds_round_trip_and_name_art_35_par_5() {
        for k in ExcludedKind::ALL {
            assert_eq!(ExcludedKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(ExcludedKind::parse("holiday"), None);
        assert_eq!(ExcludedKind::RECORDED.len() + 1, ExcludedKind::ALL.len());
    }

    /// Overlapping periods are refused; touching ones (one ends the day before the
    /// other starts) are not; a running suspension overlaps everything after its start.
    #[test]
    fn overlapping_periods() {
        let existing = [
            (date(2026, 3, 2), Some(date(2026, 3, 6))),
            (date(2026, 4, 1), None),
        ];
        let table = [
            (date(2026, 3, 6), Some(date(2026, 3, 10)), true),
            (date(2026, 2, 20), Some(date(2026, 3, 2)), true),
            (date(2026, 3, 3), Some(date(2026, 3, 4)), true),
            (date(2026, 2, 20), Some(date(2026, 3, 10)), true),
            (date(2026, 3, 7), Some(date(2026, 3, 31)), false),
            (date(2026, 2, 20), Some(date(2026, 3, 1)), false),
            (date(2026, 5, 1), Some(date(2026, 5, 2)), true),
            (date(2026, 3, 20), None, true),
            (date(2026, 3, 7), Some(date(2026, 3, 31)), false),
        ];
        for (start, end, expected) in table {
            assert_eq!(overlaps(&existing, start, end), expected, "{start}–{end:?}");
        }
        assert!(!overlaps(&[], date(2026, 1, 1), None));
    }

    /// Art. 35 § 5 on real dates: a KPA case received Friday
    /// 20 March 2026 (1 month → Monday 20 April); a mediation of 10 days (1–10 April)
    /// moves it to Thursday 30 April; a further delay outside the organ of 3 days
    /// (21–23 April) to Sunday 3 May (a holiday) → Monday 4 May.
    #[test]
    fn several_kinds_of_period_move_the_due_date() {
        let kind = CaseKind::AdministrativeSimple;
        let received = date(2026, 3, 20);
        assert_eq!(kind.due_date(received, &[]), Ok(date(2026, 4, 20)));
        let mediation = DateRange::new(date(2026, 4, 1), date(2026, 4, 10)).unwrap();
        assert_eq!(kind.due_date(received, &[mediation]), Ok(date(2026, 4, 30)));
        let outside = DateRange::new(date(2026, 4, 21), date(2026, 4, 23)).unwrap();
        assert_eq!(
            kind.due_date(received, &[mediation, outside]),
            Ok(date(2026, 5, 4))
        );
    }

    /// UDIP art. 13 ust. 2: request Monday 2 Nov 2026; the 14 days end Monday 16 Nov;
    /// 2 months end Saturday 2 Jan 2027 → Monday 4 Jan.
    #[test]
    fn the_udip_extension_comes_within_fourteen_days() {
        let received = date(2026, 11, 2);
        let table = [
            (date(2026, 11, 16), date(2026, 12, 30), Ok(())),
            (
                date(2026, 11, 17),
                date(2026, 12, 30),
                Err(UdipNoticeError::AfterFourteenDays),
            ),
            (date(2026, 11, 10), date(2027, 1, 4), Ok(())),
            (
                date(2026, 11, 10),
                date(2027, 1, 5),
                Err(UdipNoticeError::BeyondTwoMonths),
            ),
        ];
        for (issued, new_due, expected) in table {
            assert_eq!(
                check_udip_extension(received, issued, new_due, &[]),
                expected,
                "{issued} → {new_due}"
            );
        }
    }

    proptest! {
        /// `overlaps` agrees with a day-by-day check, and is symmetric.
        #[test]
        fn overlap_is_a_shared_day(a in 0i64..60, al in 0i64..20, b in 0i64..60, bl in 0i64..20) {
            let d = |n: i64| date(2026, 1, 1).checked_add(jiff::Span::new().days(n)).unwrap();
            let (s1, e1, s2, e2) = (d(a), d(a + al), d(b), d(b + bl));
            let shared = (0..=al).any(|i| { let day = d(a + i); s2 <= day && day <= e2 });
            prop_assert_eq!(overlaps(&[(s1, Some(e1))], s2, Some(e2)), shared);
            prop_assert_eq!(overlaps(&[(s2, Some(e2))], s1, Some(e1)), shared);
        }

        /// A recorded period never makes the due date earlier, whatever its kind.
        #[test]
        fn a_period_never_brings_the_due_date_forward(start in 0i64..700, from in 0i64..60, len in 0i64..30) {
            let d = |n: i64| date(2025, 1, 1).checked_add(jiff::Span::new().days(n)).unwrap();
            let received = d(start);
            let range = DateRange::new(d(start + from), d(start + from + len)).unwrap();
            for kind in [CaseKind::AdministrativeSimple, CaseKind::Certificate, CaseKind::PublicInformation] {
                let plain = kind.due_date(received, &[]).unwrap();
                let with = kind.due_date(received, &[range]).unwrap();
                prop_assert!(with >= plain);
            }
        }
    }
}
