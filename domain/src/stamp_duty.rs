//! Opłata skarbowa: the stamp duty a request, a certificate or a power of attorney
//! carries, and the summons to pay it. Pure.
//!
//! Sources:
//! - ustawa z dnia 16 listopada 2006 r. o opłacie skarbowej (t.j. Dz.U. 2023 poz. 2111):
//!   art. 1 ust. 1 (what is subject to the duty: an official act done on a request,
//!   a certificate issued on a request, a permit; pkt 2 the filing of a power of
//!   attorney in a matter of public administration), art. 2 (matters exempt), art. 6
//!   ust. 1 (the duty is due when the request or the power of attorney is filed), art. 7
//!   (persons exempt), art. 8 (paid in cash at the cash desk of the tax organ or to its
//!   bank account) and the załącznik (the tariff, in four parts: część I official acts,
//!   część II certificates, część III permits, część IV the power of attorney, 17 zł);
//! - KPA art. 261: a fee that should be paid in advance and was not — the organ sets a
//!   term of not less than 7 and not more than 14 days (§ 1); unpaid in it, the request
//!   is returned (zwrot podania) or the act depending on it abandoned (§ 2), by a
//!   postanowienie open to a zażalenie (§ 3); the organ handles the request all the
//!   same for social reasons or an important interest of the party, when the filing
//!   keeps a term that cannot be restored, or for a person living abroad (§ 4).
//! - KPA art. 57 § 1 and § 4 count the term: the day of delivery not counted, a last
//!   day on a Saturday or a holiday moved to the next day that is neither.
//!
//! Compare art. 64 § 2 (formal defects: 7 days, then the request is left without
//! examination): both end a request without a ruling on the merits, with a different
//! legal basis; Magistrat records both as a case not examined on the merits
//! (`closing_kind = 'left_unexamined'`), naming the basis.
//!
//! Amounts are integer grosze, never floats.

use jiff::civil::Date;

use crate::deadline::{DeadlineError, Term, due_date};

/// The duty on filing a power of attorney (załącznik, część IV): 17 zł.
pub const POWER_OF_ATTORNEY_GROSZE: i64 = 1700;
/// The tariff position of the power of attorney.
pub const POWER_OF_ATTORNEY_TARIFF: &str = "część IV";
/// The shortest term of a summons to pay (KPA art. 261 § 1).
pub const SUMMONS_MIN_DAYS: u32 = 7;
/// The longest term of a summons to pay (KPA art. 261 § 1).
pub const SUMMONS_MAX_DAYS: u32 = 14;
/// A case fee above 1 000 000 zł is a typo.
pub const MAX_GROSZE: i64 = 100_000_000;

/// What a fee of a case is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FeeKind {
    /// The duty on the request (an official act, a certificate, a permit: części I–III).
    Request,
    /// The duty on the power of attorney filed (część IV, art. 1 ust. 1 pkt 2).
    PowerOfAttorney,
}

impl FeeKind {
    /// Both kinds.
    pub const ALL: [FeeKind; 2] = [FeeKind::Request, FeeKind::PowerOfAttorney];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            FeeKind::Request => "request",
            FeeKind::PowerOfAttorney => "power_of_attorney",
        }
    }

    /// The value of a stored code.
    pub fn parse(s: &str) -> Option<FeeKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a fee of a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FeeState {
    /// Due and not paid.
    Due,
    /// Paid (a date, an amount, how, a proof).
    Paid,
    /// Exempt (art. 2 or art. 7 of the act), with the basis.
    Exempt,
    /// The summons ran out unpaid and the request was returned (KPA art. 261 § 2).
    Returned,
}

impl FeeState {
    /// Every state.
    pub const ALL: [FeeState; 4] = [
        FeeState::Due,
        FeeState::Paid,
        FeeState::Exempt,
        FeeState::Returned,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            FeeState::Due => "due",
            FeeState::Paid => "paid",
            FeeState::Exempt => "exempt",
            FeeState::Returned => "returned",
        }
    }

    /// The value of a stored code.
    pub fn parse(s: &str) -> Option<FeeState> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How a fee was paid (art. 8 of the act: cash at the desk, or to the account).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// A bank transfer to the office's account.
    Transfer,
    /// Cash at the office's cash desk.
    CashDesk,
    /// A payment card at the office's terminal.
    Card,
}

impl PaymentMethod {
    /// Every method.
    pub const ALL: [PaymentMethod; 3] = [
        PaymentMethod::Transfer,
        PaymentMethod::CashDesk,
        PaymentMethod::Card,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Transfer => "transfer",
            PaymentMethod::CashDesk => "cash_desk",
            PaymentMethod::Card => "card",
        }
    }

    /// The value of a stored code.
    pub fn parse(s: &str) -> Option<PaymentMethod> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Why a fee step is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FeeError {
    /// The summons' term is not 7 to 14 days (art. 261 § 1).
    #[error("the term is not between 7 and 14 days")]
    TermOutOfRange,
    /// The request returned while the party's term runs.
    #[error("the party's term has not run out")]
    TermRunning,
    /// The request returned although the fee is paid.
    #[error("the fee is paid")]
    AlreadyPaid,
    /// Not a positive amount below the limit.
    #[error("the amount is not a positive amount")]
    Amount,
    /// An exemption without its legal basis.
    #[error("an exemption needs its legal basis")]
    NoBasis,
    /// A date beyond the calendar's range.
    #[error("a date out of range")]
    OutOfRange,
}

impl FeeError {
    /// The Fluent id of the message.
    pub fn message_key(self) -> &'static str {
        match self {
            FeeError::TermOutOfRange => "fee-error-term-range",
            FeeError::TermRunning => "fee-error-term-running",
            FeeError::AlreadyPaid => "fee-error-paid",
            FeeError::Amount => "fee-error-amount",
            FeeError::NoBasis => "fee-error-basis",
            FeeError::OutOfRange => "case-date-out-of-range",
        }
    }
}

impl From<DeadlineError> for FeeError {
    fn from(_: DeadlineError) -> Self {
        FeeError::OutOfRange
    }
}

/// The last day to pay after a summons delivered on `delivered_on` with a term of
/// `days` (KPA art. 261 § 1: 7 to 14 days, set by the organ), counted by art. 57 § 1
/// and § 4 (`deadline::due_date`).
pub fn pay_by(delivered_on: Date, days: u32) -> Result<Date, FeeError> {
    if !(SUMMONS_MIN_DAYS..=SUMMONS_MAX_DAYS).contains(&days) {
        return Err(FeeError::TermOutOfRange);
    }
    Ok(due_date(delivered_on, Term::Days(days), &[])?)
}

/// Whether a payment on `paid_on` kept the summons' term ending `pay_by`. A transfer
/// counts on the day the payer's bank was charged (Ordynacja podatkowa art. 60 § 1
/// pkt 2, applied to the duty through art. 12 ust. 2 of the act), which the official
/// enters as the payment's date.
pub fn paid_in_term(pay_by: Date, paid_on: Date) -> bool {
    paid_on <= pay_by
}

/// Whether the request may be returned on `on` (KPA art. 261 § 2): only after the last
/// day of the term has passed, and only while the fee is still unpaid. A payment made
/// late but before the organ acted is kept and the request examined: the purpose of
/// the summons is met, and art. 261 § 2 speaks of a fee "nie zostanie uiszczona".
pub fn may_return(pay_by: Date, on: Date, paid: bool) -> Result<(), FeeError> {
    if paid {
        return Err(FeeError::AlreadyPaid);
    }
    if on <= pay_by {
        return Err(FeeError::TermRunning);
    }
    Ok(())
}

/// An exemption must name its legal basis (art. 2 or art. 7 of the act, or another
/// statute); a blank basis is refused.
pub fn check_exemption(basis: &str) -> Result<(), FeeError> {
    if basis.trim().is_empty() {
        return Err(FeeError::NoBasis);
    }
    Ok(())
}

/// A fee amount: positive grosze, below [`MAX_GROSZE`].
pub fn check_amount(grosze: i64) -> Result<(), FeeError> {
    if grosze <= 0 || grosze > MAX_GROSZE {
        return Err(FeeError::Amount);
    }
    Ok(())
}

/// An amount typed as złoty: „17”, „17,00”, „17.5”, „1 234,56 zł”; grosze, or None.
pub fn parse_zloty(s: &str) -> Option<i64> {
    let s: String = s
        .trim()
        .trim_end_matches("zł")
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}'))
        .collect();
    let (whole, fraction) = s.split_once([',', '.']).unwrap_or((s.as_str(), ""));
    if whole.is_empty()
        || whole.len() > 9
        || !whole.chars().all(|c| c.is_ascii_digit())
        || fraction.len() > 2
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let zl: i64 = whole.parse().ok()?;
    let gr: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().ok()? * 10,
        _ => fraction.parse().ok()?,
    };
    Some(zl * 100 + gr)
}

/// „17,00 zł”, „1 234,56 zł”.
pub fn format_zloty(grosze: i64) -> String {
    let sign = if grosze < 0 { "-" } else { "" };
    let g = grosze.unsigned_abs();
    let zl = (g / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in zl.chars().enumerate() {
        if i > 0 && (zl.len() - i).is_multiple_of(3) {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped},{:02} zł", g % 100)
}

/// The transfer title a resident writes: the znak of the case (or the card's name
/// before there is one), so the office matches the payment to the request.
pub fn transfer_title(reference: &str) -> String {
    format!("Opłata skarbowa – {}", reference.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    /// Art. 261 § 1 with art. 57 § 1 and § 4, on real dates of 2026.
    #[test]
    fn pay_by_counts_from_delivery_and_skips_saturdays_and_holidays() {
        let table = [
            // Delivered Monday 16 March, 7 days: Monday 23 March.
            (date(2026, 3, 16), 7, date(2026, 3, 23)),
            // Delivered Monday 9 March, 7 days: Monday 16 March.
            (date(2026, 3, 9), 7, date(2026, 3, 16)),
            // Delivered Saturday 14 March: the 21st is a Saturday, so Monday 23rd.
            (date(2026, 3, 14), 7, date(2026, 3, 23)),
            // Delivered Thursday 30 April: 7 May (the 1st and 3rd are holidays but
            // fall inside the term, which only the last day minds).
            (date(2026, 4, 30), 7, date(2026, 5, 7)),
            // Delivered Friday 18 December: 25 December (Boże Narodzenie), 26th
            // (Saturday and holiday), 27th a Sunday: Monday 28 December.
            (date(2026, 12, 18), 7, date(2026, 12, 28)),
            // Delivered Tuesday 29 December: 5 January 2027, a Tuesday.
            (date(2026, 12, 29), 7, date(2027, 1, 5)),
            // Delivered Wednesday 30 December: 6 January 2027 (Trzech Króli): the 7th.
            (date(2026, 12, 30), 7, date(2027, 1, 7)),
            // 14 days, the longest: delivered 1 June 2026, Monday 15 June.
            (date(2026, 6, 1), 14, date(2026, 6, 15)),
        ];
        for (delivered, days, expected) in table {
            assert_eq!(pay_by(delivered, days), Ok(expected), "{delivered} {days}");
        }
    }

    #[test]
    fn the_term_is_seven_to_fourteen_days() {
        let d = date(2026, 3, 16);
        assert_eq!(pay_by(d, 6), Err(FeeError::TermOutOfRange));
        assert_eq!(pay_by(d, 15), Err(FeeError::TermOutOfRange));
        assert!(pay_by(d, 7).is_ok() && pay_by(d, 14).is_ok());
    }

    /// Returned only after the last day, and never once paid (late or not).
    #[test]
    fn return_only_after_the_term_and_only_unpaid() {
        let last = date(2026, 3, 23);
        let table = [
            (date(2026, 3, 20), false, Err(FeeError::TermRunning)),
            (date(2026, 3, 23), false, Err(FeeError::TermRunning)),
            (date(2026, 3, 24), false, Ok(())),
            (date(2026, 4, 2), true, Err(FeeError::AlreadyPaid)),
        ];
        for (on, paid, expected) in table {
            assert_eq!(may_return(last, on, paid), expected, "{on} {paid}");
        }
        assert!(paid_in_term(last, date(2026, 3, 23)));
        assert!(!paid_in_term(last, date(2026, 3, 24)));
    }

    #[test]
    fn exemption_needs_a_basis_and_amounts_are_checked() {
        assert_eq!(check_exemption("  "), Err(FeeError::NoBasis));
        assert!(check_exemption("art. 2 ust. 1 pkt 1 lit. h ustawy o opłacie skarbowej").is_ok());
        assert_eq!(check_amount(0), Err(FeeError::Amount));
        assert_eq!(check_amount(MAX_GROSZE + 1), Err(FeeError::Amount));
        assert!(check_amount(1700).is_ok());
    }

    #[test]
    fn amounts_parse_and_print_in_grosze() {
        let table = [
            ("17", Some(1700)),
            ("17,00", Some(1700)),
            ("17.5", Some(1750)),
            ("1 234,56 zł", Some(123_456)),
            ("598 zł", Some(59_800)),
            ("-17", None),
            ("17,001", None),
            ("", None),
            ("abc", None),
        ];
        for (text, expected) in table {
            assert_eq!(parse_zloty(text), expected, "{text:?}");
        }
        assert_eq!(format_zloty(1700), "17,00 zł");
        assert_eq!(format_zloty(123_456), "1 234,56 zł");
        assert_eq!(format_zloty(5), "0,05 zł");
        assert_eq!(
            transfer_title(" SA.5343.4.2026 "),
            "Opłata skarbowa – SA.5343.4.2026"
        );
    }

    proptest! {
        #[test]
        fn printed_amounts_parse_back(g in 0i64..MAX_GROSZE) {
            prop_assert_eq!(parse_zloty(&format_zloty(g)), Some(g));
        }

        #[test]
        fn pay_by_is_never_before_the_seventh_day(
            offset in 0i64..3000, days in SUMMONS_MIN_DAYS..=SUMMONS_MAX_DAYS,
        ) {
            let delivered = date(2024, 1, 1).checked_add(jiff::Span::new().days(offset)).unwrap();
            let last = pay_by(delivered, days).unwrap();
            prop_assert!(last >= delivered.checked_add(jiff::Span::new().days(i64::from(days))).unwrap());
        }
    }
}
