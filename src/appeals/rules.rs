//! The forms of appeals and ponaglenia read into valid values (`TryFrom` on the form
//! kit): registering one, and the organ's disposition. The dates are checked by the
//! domain's rules (`magistrat_domain::appeals`) and each refusal shown at its field.
//! Pure: what a check needs from the database comes in with the form.

use jiff::civil::Date;
use magistrat_domain::appeals::{self, AppealError, Challenge, Disposition};

use super::store::{DeliveredDecision, NewAppeal};
use crate::platform::form::{FormErrors, FormReader, parse};

type Pairs = [(String, String)];

/// The field a refusal belongs to.
fn field_of(e: AppealError) -> &'static str {
    match e {
        AppealError::PostedAfterReceipt | AppealError::PostedBeforeDelivery => "posted_on",
        AppealError::PositionMissing => "position",
        AppealError::DisposedBeforeReceipt
        | AppealError::DisposedInFuture
        | AppealError::SelfReviewAfterTerm => "on",
        AppealError::SelfReviewOfPonaglenie | AppealError::AlreadyDisposed => "action",
        _ => "received_on",
    }
}

/// An appeal or ponaglenie as the case's form registers it.
pub struct AppealForm<'a> {
    pub pairs: &'a Pairs,
    /// The case's decisions delivered to the party: an appeal names one.
    pub decisions: &'a [DeliveredDecision],
    /// The day the proceedings began (a ponaglenie comes after it).
    pub initiated_on: Date,
    pub today: Date,
}

impl TryFrom<AppealForm<'_>> for NewAppeal {
    type Error = FormErrors;
    fn try_from(f: AppealForm<'_>) -> Result<Self, FormErrors> {
        let mut r = FormReader::new(f.pairs);
        let kind = r.required("kind", |v| Challenge::parse(v).ok_or("form-choice-unknown"));
        let decision = match kind {
            Some(Challenge::Appeal) => {
                if f.decisions.is_empty() {
                    r.error("letter_id", "appeal-no-delivered-decision");
                    None
                } else {
                    r.required("letter_id", |v| {
                        f.decisions
                            .iter()
                            .find(|d| d.letter_id.to_string() == v)
                            .ok_or("form-choice-unknown")
                    })
                }
            }
            _ => None,
        };
        let lodged_by = r.text("lodged_by", 300);
        let received_on = r.required("received_on", parse::date);
        let posted_on = r.optional("posted_on", parse::date);
        let higher_body = r.text("higher_body", 300);
        if let (Some(kind), Some(received)) = (kind, received_on) {
            let checked = match (kind, decision) {
                (Challenge::Appeal, Some(d)) => Some(appeals::lodge_appeal(
                    d.delivered(),
                    received,
                    posted_on,
                    f.today,
                )),
                (Challenge::Ponaglenie, _) => Some(appeals::lodge_ponaglenie(
                    f.initiated_on,
                    received,
                    posted_on,
                    f.today,
                )),
                _ => None,
            };
            if let Some(Err(e)) = checked {
                r.error(field_of(e), e.message_key());
            }
        }
        let value = match (kind, received_on) {
            (Some(kind), Some(received_on)) => Some(NewAppeal {
                kind,
                letter_id: decision.map(|d| d.letter_id),
                lodged_by,
                received_on,
                posted_on,
                higher_body,
            }),
            _ => None,
        };
        r.finish(value)
    }
}

/// The organ's disposition as the appeal's form sends it: `action` is `forward`
/// (art. 133; art. 37 § 4) or `self_review` (art. 132).
pub struct DisposeForm<'a> {
    pub pairs: &'a Pairs,
    pub kind: Challenge,
    pub disposition: Disposition,
    pub received_on: Date,
    pub forward_by: Date,
    pub today: Date,
}

impl TryFrom<DisposeForm<'_>> for appeals::Act {
    type Error = FormErrors;
    fn try_from(f: DisposeForm<'_>) -> Result<Self, FormErrors> {
        let mut r = FormReader::new(f.pairs);
        let action = r.required("action", |v| match v {
            "forward" | "self_review" => Ok(v.to_owned()),
            _ => Err("form-choice-unknown"),
        });
        let on = r.required("on", parse::date);
        let position = r.optional_text("position", 20_000);
        let act = match (action.as_deref(), on) {
            (Some("forward"), Some(on)) => Some(appeals::Act::Forward { on, position }),
            (Some(_), Some(on)) => Some(appeals::Act::SelfReview { on }),
            _ => None,
        };
        if let Some(act) = &act
            && let Err(e) = appeals::dispose(
                f.kind,
                f.disposition,
                f.received_on,
                f.forward_by,
                act,
                f.today,
            )
        {
            r.error(field_of(e), e.message_key());
        }
        r.finish(act)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn decision() -> DeliveredDecision {
        DeliveredDecision {
            letter_id: 7,
            identifier: "SA.5310.3.2026/4".into(),
            title: "Decyzja".into(),
            delivered_on: date(2026, 11, 2).into(),
        }
    }

    /// Art. 129 § 2: an appeal received before the decision's delivery is refused at
    /// its field; a posting after the receipt at the posting's.
    #[test]
    fn appeal_dates_are_checked_at_their_fields() {
        let decisions = [decision()];
        let table = [
            (
                "2026-11-01",
                "",
                Some(("received_on", "appeal-received-before-delivery")),
            ),
            (
                "2026-11-20",
                "",
                Some(("received_on", "appeal-received-in-future")),
            ),
            (
                "2026-11-05",
                "2026-11-06",
                Some(("posted_on", "appeal-posted-after-receipt")),
            ),
            ("2026-11-05", "2026-11-04", None),
        ];
        for (received, posted, expected) in table {
            let p = pairs(&[
                ("kind", "appeal"),
                ("letter_id", "7"),
                ("lodged_by", "Roman Sikora"),
                ("received_on", received),
                ("posted_on", posted),
                ("higher_body", "Samorządowe Kolegium Odwoławcze w Kaliszu"),
            ]);
            let got = NewAppeal::try_from(AppealForm {
                pairs: &p,
                decisions: &decisions,
                initiated_on: date(2026, 9, 1),
                today: date(2026, 11, 19),
            });
            match expected {
                None => assert_eq!(got.unwrap().letter_id, Some(7)),
                Some((field, key)) => {
                    assert_eq!(got.unwrap_err().get(field), Some(key), "{received}")
                }
            }
        }
    }

    #[test]
    fn an_appeal_needs_a_delivered_decision() {
        let p = pairs(&[
            ("kind", "appeal"),
            ("lodged_by", "Roman Sikora"),
            ("received_on", "2026-11-05"),
            ("higher_body", "SKO"),
        ]);
        let errors = NewAppeal::try_from(AppealForm {
            pairs: &p,
            decisions: &[],
            initiated_on: date(2026, 9, 1),
            today: date(2026, 11, 19),
        })
        .unwrap_err();
        assert_eq!(
            errors.get("letter_id"),
            Some("appeal-no-delivered-decision")
        );
    }

    /// Art. 37 § 4: a ponaglenie is forwarded with the organ's answer.
    #[test]
    fn a_ponaglenie_needs_the_organs_answer() {
        let p = pairs(&[("action", "forward"), ("on", "2026-11-20")]);
        let errors = appeals::Act::try_from(DisposeForm {
            pairs: &p,
            kind: Challenge::Ponaglenie,
            disposition: Disposition::Pending,
            received_on: date(2026, 11, 16),
            forward_by: date(2026, 11, 23),
            today: date(2026, 11, 20),
        })
        .unwrap_err();
        assert_eq!(errors.get("position"), Some("appeal-position-missing"));
    }
}
