//! What happens when a party challenges the organ through the gmina: an appeal
//! (odwołanie) against a delivered decision, and a ponaglenie against the organ's
//! inaction or protracted proceedings. Both are lodged with the organ of first instance,
//! which must pass them on within 7 days. Pure: no I/O.
//!
//! Sources (KPA, t.j. Dz.U. 2024 poz. 572):
//! - art. 129 § 1: an appeal is lodged with the appeal body *through* the organ that
//!   issued the decision; § 2: within 14 days of the decision's delivery to the party;
//! - art. 57 § 5 pkt 2: a term is kept if before it ran out the letter was posted at a
//!   Polish post office of the designated operator — so the day of posting, not the day
//!   the gmina received the letter, decides whether the appeal is in time;
//! - art. 132 § 1–2: the organ may itself decide anew (samokontrola) when the appeal
//!   deserves to be granted in full (all parties appealed, or the others consent);
//! - art. 133: otherwise it forwards the appeal with the case file to the appeal body
//!   within 7 days of receiving it — so a new decision under art. 132 is possible only
//!   within those 7 days;
//! - art. 134: whether a late appeal is admissible is for the appeal body to declare:
//!   the organ of first instance forwards a late appeal too, and records that it is late;
//! - art. 37 § 1: a ponaglenie lies when the case was not dealt with in time
//!   (bezczynność) or the proceedings last longer than necessary (przewlekłość);
//!   § 3: it is lodged with the higher organ through the organ conducting the
//!   proceedings; § 4: that organ forwards it without delay, no later than 7 days after
//!   receiving it, with its answer (odpowiedź na ponaglenie), which takes a position on
//!   the party's arguments, and the case file.

use jiff::civil::Date;
use serde::Serialize;

use crate::deadline::DeadlineError;
use crate::party_terms::PartyTerm;

/// What the party lodged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Challenge {
    /// Odwołanie against a decision (art. 127, 129).
    Appeal,
    /// Ponaglenie against inaction or protracted proceedings (art. 37).
    Ponaglenie,
}

impl Challenge {
    /// Both.
    pub const ALL: [Challenge; 2] = [Challenge::Appeal, Challenge::Ponaglenie];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Challenge::Appeal => "appeal",
            Challenge::Ponaglenie => "ponaglenie",
        }
    }

    /// The challenge of a stored code.
    pub fn parse(s: &str) -> Option<Challenge> {
        Challenge::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The organ's term to pass it on (art. 133; art. 37 § 4).
    pub fn forward_term(self) -> PartyTerm {
        match self {
            Challenge::Appeal => PartyTerm::AppealForward,
            Challenge::Ponaglenie => PartyTerm::PonaglenieForward,
        }
    }

    /// The Fluent id of its name.
    pub fn label_key(self) -> String {
        format!("appeal-kind-{}", self.as_str())
    }
}

impl TryFrom<String> for Challenge {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Challenge::parse(&s).ok_or_else(|| format!("unknown challenge `{s}`"))
    }
}

/// What the organ did with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    /// Received, not yet passed on: the 7 days run.
    Pending,
    /// A new decision by the organ itself (art. 132): the appeal is not forwarded.
    SelfReview,
    /// Forwarded with the case file (art. 133; art. 37 § 4 with the answer).
    Forwarded,
}

impl Disposition {
    /// Every disposition.
    pub const ALL: [Disposition; 3] = [
        Disposition::Pending,
        Disposition::SelfReview,
        Disposition::Forwarded,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Disposition::Pending => "pending",
            Disposition::SelfReview => "self_review",
            Disposition::Forwarded => "forwarded",
        }
    }

    /// The disposition of a stored code.
    pub fn parse(s: &str) -> Option<Disposition> {
        Disposition::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// The Fluent id of its name.
    pub fn label_key(self) -> String {
        format!("appeal-disposition-{}", self.as_str().replace('_', "-"))
    }
}

impl TryFrom<String> for Disposition {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Disposition::parse(&s).ok_or_else(|| format!("unknown disposition `{s}`"))
    }
}

/// Why a lodging, a forwarding or a self-review was refused. Each has a Fluent id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppealError {
    /// The gmina cannot have received it after today.
    ReceivedInFuture,
    /// An appeal received before the decision was delivered to the party: the party's
    /// term (art. 129 § 2) has not begun, and nothing in the file is appealed yet.
    ReceivedBeforeDelivery,
    /// The day of posting is after the day the gmina received the letter.
    PostedAfterReceipt,
    /// The day of posting is before the decision's delivery.
    PostedBeforeDelivery,
    /// A ponaglenie received before the proceedings began (art. 37 § 1 presupposes
    /// proceedings).
    PonaglenieBeforeInitiation,
    /// Already forwarded or decided anew: one disposition only.
    AlreadyDisposed,
    /// Passed on before it was received.
    DisposedBeforeReceipt,
    /// Passed on after today.
    DisposedInFuture,
    /// A new decision under art. 132 after the 7 days of art. 133.
    SelfReviewAfterTerm,
    /// A new decision under art. 132 is for appeals only, not for a ponaglenie.
    SelfReviewOfPonaglenie,
    /// A ponaglenie forwarded without the organ's answer (art. 37 § 4).
    PositionMissing,
    /// A date past the calendar's end.
    OutOfRange,
}

impl AppealError {
    /// The Fluent id of the message.
    pub fn message_key(self) -> &'static str {
        match self {
            AppealError::ReceivedInFuture => "appeal-received-in-future",
            AppealError::ReceivedBeforeDelivery => "appeal-received-before-delivery",
            AppealError::PostedAfterReceipt => "appeal-posted-after-receipt",
            AppealError::PostedBeforeDelivery => "appeal-posted-before-delivery",
            AppealError::PonaglenieBeforeInitiation => "appeal-ponaglenie-before-initiation",
            AppealError::AlreadyDisposed => "appeal-already-disposed",
            AppealError::DisposedBeforeReceipt => "appeal-disposed-before-receipt",
            AppealError::DisposedInFuture => "appeal-disposed-in-future",
            AppealError::SelfReviewAfterTerm => "appeal-self-review-after-term",
            AppealError::SelfReviewOfPonaglenie => "appeal-self-review-ponaglenie",
            AppealError::PositionMissing => "appeal-position-missing",
            AppealError::OutOfRange => "appeal-date-out-of-range",
        }
    }
}

impl From<DeadlineError> for AppealError {
    fn from(_: DeadlineError) -> Self {
        AppealError::OutOfRange
    }
}

/// A challenge as the gmina received it, checked: when it counts as lodged, whether in
/// the party's term, and the organ's last day to pass it on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Lodged {
    /// The day that decides the party's term: the day of posting at a Polish post
    /// office if it was posted (art. 57 § 5 pkt 2), otherwise the day of receipt.
    pub lodged_on: Date,
    /// The party's last day (art. 129 § 2), for an appeal.
    pub party_last_day: Option<Date>,
    /// Lodged within the party's term. A ponaglenie has no term: always true.
    pub in_term: bool,
    /// The organ's last day to forward it (art. 133; art. 37 § 4), counted from the
    /// receipt (art. 57 § 1).
    pub forward_by: Date,
}

/// An appeal against a decision delivered on `delivered_on`, received by the gmina on
/// `received_on` after posting on `posted_on` (if it came by post), checked on `today`.
///
/// A late appeal is accepted and marked late: the appeal body declares it
/// inadmissible (art. 134), not the gmina.
pub fn lodge_appeal(
    delivered_on: Date,
    received_on: Date,
    posted_on: Option<Date>,
    today: Date,
) -> Result<Lodged, AppealError> {
    if received_on > today {
        return Err(AppealError::ReceivedInFuture);
    }
    if received_on < delivered_on {
        return Err(AppealError::ReceivedBeforeDelivery);
    }
    if let Some(posted) = posted_on {
        if posted > received_on {
            return Err(AppealError::PostedAfterReceipt);
        }
        if posted < delivered_on {
            return Err(AppealError::PostedBeforeDelivery);
        }
    }
    // Art. 57 § 5 pkt 2: the posting day decides (the one rule, `intake::kept_term`).
    let lodged_on = crate::intake::lodged_on(received_on, posted_on);
    let last_day = PartyTerm::AppealTerm.last_day(delivered_on)?;
    Ok(Lodged {
        lodged_on,
        party_last_day: Some(last_day),
        in_term: crate::intake::kept_term(last_day, received_on, posted_on),
        forward_by: PartyTerm::AppealForward.last_day(received_on)?,
    })
}

/// A ponaglenie in a case initiated on `initiated_on`, received on `received_on`.
pub fn lodge_ponaglenie(
    initiated_on: Date,
    received_on: Date,
    posted_on: Option<Date>,
    today: Date,
) -> Result<Lodged, AppealError> {
    if received_on > today {
        return Err(AppealError::ReceivedInFuture);
    }
    if received_on < initiated_on {
        return Err(AppealError::PonaglenieBeforeInitiation);
    }
    if posted_on.is_some_and(|p| p > received_on) {
        return Err(AppealError::PostedAfterReceipt);
    }
    Ok(Lodged {
        lodged_on: crate::intake::lodged_on(received_on, posted_on),
        party_last_day: None,
        in_term: true,
        forward_by: PartyTerm::PonaglenieForward.last_day(received_on)?,
    })
}

/// What the organ does with a pending challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Act {
    /// Forward it on `on`; for a ponaglenie with the answer (art. 37 § 4).
    Forward {
        /// The day it was sent.
        on: Date,
        /// The organ's answer to the ponaglenie (art. 37 § 4); for an appeal an
        /// optional note.
        position: String,
    },
    /// Decide anew on `on` (art. 132), for an appeal.
    SelfReview {
        /// The day of the new decision.
        on: Date,
    },
}

/// Whether the organ may do `act` with a challenge of `kind` received on `received_on`,
/// to be forwarded by `forward_by`, now `disposition`, on `today`. `Ok(in_time)`: the
/// act is allowed, and whether it is within the 7 days (a late forwarding is still
/// required — the law gives the organ no choice — and is recorded as late).
pub fn dispose(
    kind: Challenge,
    disposition: Disposition,
    received_on: Date,
    forward_by: Date,
    act: &Act,
    today: Date,
) -> Result<bool, AppealError> {
    if disposition != Disposition::Pending {
        return Err(AppealError::AlreadyDisposed);
    }
    let on = match act {
        Act::Forward { on, position } => {
            if kind == Challenge::Ponaglenie && position.trim().is_empty() {
                return Err(AppealError::PositionMissing);
            }
            *on
        }
        Act::SelfReview { on } => {
            if kind == Challenge::Ponaglenie {
                return Err(AppealError::SelfReviewOfPonaglenie);
            }
            *on
        }
    };
    if on < received_on {
        return Err(AppealError::DisposedBeforeReceipt);
    }
    if on > today {
        return Err(AppealError::DisposedInFuture);
    }
    let in_time = on <= forward_by;
    if matches!(act, Act::SelfReview { .. }) && !in_time {
        // Art. 133: a new decision is possible only "w tym terminie".
        return Err(AppealError::SelfReviewAfterTerm);
    }
    Ok(in_time)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    /// Art. 129 § 2 with art. 57 § 5: real dates, by hand.
    #[test]
    fn an_appeal_is_in_term_by_its_posting_day() {
        let today = date(2026, 12, 4);
        // Delivered Monday 2 Nov 2026: the party's last day is Monday 16 Nov.
        let delivered = date(2026, 11, 2);
        let table = [
            // (received, posted, in term, forward by)
            // Received on the last day: in term; 7 days from Mon 16 Nov → Mon 23 Nov.
            (date(2026, 11, 16), None, true, date(2026, 11, 23)),
            // Received a day late without a posting date: late.
            (date(2026, 11, 17), None, false, date(2026, 11, 24)),
            // Received 19 Nov but posted 16 Nov at a Polish post office: in term.
            (
                date(2026, 11, 19),
                Some(date(2026, 11, 16)),
                true,
                date(2026, 11, 26),
            ),
            // Posted on 17 Nov: late, whatever the receipt.
            (
                date(2026, 11, 19),
                Some(date(2026, 11, 17)),
                false,
                date(2026, 11, 26),
            ),
            // Received Wed 4 Nov: forward by 11 Nov, Independence Day → Thu 12 Nov.
            (date(2026, 11, 4), None, true, date(2026, 11, 12)),
        ];
        for (received, posted, in_term, forward_by) in table {
            let l = lodge_appeal(delivered, received, posted, today).unwrap();
            assert_eq!(l.party_last_day, Some(date(2026, 11, 16)));
            assert_eq!(l.in_term, in_term, "received {received}, posted {posted:?}");
            assert_eq!(l.forward_by, forward_by, "received {received}");
            assert_eq!(l.lodged_on, posted.unwrap_or(received));
        }
    }

    #[test]
    fn bad_appeal_dates_are_refused() {
        let delivered = date(2026, 11, 2);
        let today = date(2026, 11, 10);
        let table = [
            (date(2026, 11, 11), None, AppealError::ReceivedInFuture),
            (date(2026, 11, 1), None, AppealError::ReceivedBeforeDelivery),
            (
                date(2026, 11, 5),
                Some(date(2026, 11, 6)),
                AppealError::PostedAfterReceipt,
            ),
            (
                date(2026, 11, 5),
                Some(date(2026, 10, 30)),
                AppealError::PostedBeforeDelivery,
            ),
        ];
        for (received, posted, error) in table {
            assert_eq!(
                lodge_appeal(delivered, received, posted, today),
                Err(error),
                "received {received}"
            );
        }
    }

    /// Art. 37 § 4: 7 days from the receipt of the ponaglenie.
    #[test]
    fn a_ponaglenie_is_forwarded_within_seven_days() {
        let initiated = date(2026, 9, 1);
        let l = lodge_ponaglenie(initiated, date(2026, 12, 18), None, date(2026, 12, 18)).unwrap();
        // 18 Dec + 7 = Fri 25 Dec (Christmas) → 26 (holiday, Saturday), 27 Sunday → Mon 28.
        assert_eq!(l.forward_by, date(2026, 12, 28));
        assert!(l.in_term);
        assert_eq!(l.party_last_day, None);
        assert_eq!(
            lodge_ponaglenie(initiated, date(2026, 8, 31), None, date(2026, 12, 18)),
            Err(AppealError::PonaglenieBeforeInitiation)
        );
    }

    #[test]
    fn the_organ_disposes_once_within_the_rules() {
        let received = date(2026, 11, 16);
        let by = date(2026, 11, 23);
        let today = date(2026, 12, 4);
        let forward = |on| Act::Forward {
            on,
            position: String::new(),
        };
        let p = Disposition::Pending;
        let a = Challenge::Appeal;
        // Art. 133: in time on the 7th day, late on the 8th (still forwarded).
        assert_eq!(dispose(a, p, received, by, &forward(by), today), Ok(true));
        assert_eq!(
            dispose(a, p, received, by, &forward(date(2026, 11, 24)), today),
            Ok(false)
        );
        // Art. 132 only within the 7 days of art. 133.
        assert_eq!(
            dispose(a, p, received, by, &Act::SelfReview { on: by }, today),
            Ok(true)
        );
        assert_eq!(
            dispose(
                a,
                p,
                received,
                by,
                &Act::SelfReview {
                    on: date(2026, 11, 24)
                },
                today
            ),
            Err(AppealError::SelfReviewAfterTerm)
        );
        assert_eq!(
            dispose(a, p, received, by, &forward(date(2026, 11, 15)), today),
            Err(AppealError::DisposedBeforeReceipt)
        );
        assert_eq!(
            dispose(a, p, received, by, &forward(date(2026, 12, 5)), today),
            Err(AppealError::DisposedInFuture)
        );
        assert_eq!(
            dispose(a, Disposition::Forwarded, received, by, &forward(by), today),
            Err(AppealError::AlreadyDisposed)
        );
        // Art. 37 § 4: a ponaglenie goes with the organ's answer, and no art. 132.
        let g = Challenge::Ponaglenie;
        assert_eq!(
            dispose(g, p, received, by, &forward(by), today),
            Err(AppealError::PositionMissing)
        );
        assert_eq!(
            dispose(
                g,
                p,
                received,
                by,
                &Act::Forward {
                    on: by,
                    position: "Zwłoka wynikła z oczekiwania na opinię biegłego.".into()
                },
                today
            ),
            Ok(true)
        );
        assert_eq!(
            dispose(g, p, received, by, &Act::SelfReview { on: by }, today),
            Err(AppealError::SelfReviewOfPonaglenie)
        );
    }

    #[test]
    fn codes_round_trip() {
        for c in Challenge::ALL {
            assert_eq!(Challenge::parse(c.as_str()), Some(c));
        }
        for d in Disposition::ALL {
            assert_eq!(Disposition::parse(d.as_str()), Some(d));
        }
    }

    proptest! {
        /// Whatever the dates: an accepted appeal is forwarded no earlier than 7 days
        /// after receipt and never on a Saturday or holiday; posting can only help the
        /// party (art. 57 § 5); and a forwarding on the due day is in time.
        #[test]
        fn lodging_properties(d in 0i64..2000, r in 0i64..40, back in 0i64..10) {
            let delivered = date(2025, 1, 1).checked_add(jiff::Span::new().days(d)).unwrap();
            let received = delivered.checked_add(jiff::Span::new().days(r)).unwrap();
            let posted = received.checked_sub(jiff::Span::new().days(back.min(r))).unwrap();
            let today = received.checked_add(jiff::Span::new().days(30)).unwrap();
            let plain = lodge_appeal(delivered, received, None, today).unwrap();
            let by_post = lodge_appeal(delivered, received, Some(posted), today).unwrap();
            prop_assert!(plain.forward_by >= received.checked_add(jiff::Span::new().days(7)).unwrap());
            prop_assert!(!crate::calendar::is_non_term_day(plain.forward_by));
            prop_assert!(by_post.in_term || !plain.in_term);
            prop_assert_eq!(plain.forward_by, by_post.forward_by);
            let act = Act::Forward { on: plain.forward_by, position: String::new() };
            let today = plain.forward_by;
            prop_assert_eq!(
                dispose(Challenge::Appeal, Disposition::Pending, received, plain.forward_by, &act, today),
                Ok(true)
            );
        }
    }
}
