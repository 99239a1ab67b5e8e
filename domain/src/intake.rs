//! Checks at the intake of a request. Pure.
//!
//! KPA art. 63 § 1 (t.j. Dz.U. 2024 poz. 572) lists how a podanie may be filed: in
//! writing, by telegraph, by other means of electronic communication through the
//! organ's electronic inbox (ePUAP), to the address for electronic delivery
//! (e-Doręczenia), or orally to the protocol. A plain e-mail is none of these: an
//! e-mail request in proceedings under the KPA lacks the signature of art. 63 § 3, a
//! formal defect the organ calls on the party to remove within 7 days (art. 64 § 2).
//! Magistrat registers such a request (it arrived and is on record), but warns.

use crate::deadline::CaseKind;
use crate::metryka;

/// Whether a request of `kind` that came by plain e-mail should be flagged: the case is
/// conducted under the KPA (where art. 63 § 1 binds), and e-mail is not one of its ways
/// of filing. Complaints and motions may be sent by e-mail (rozporządzenie Rady
/// Ministrów z 8 stycznia 2002 r. w sprawie organizacji przyjmowania i rozpatrywania
/// skarg i wniosków, § 5), a petition by any means of electronic communication
/// (ustawa o petycjach, art. 4), and a public-information request has no prescribed
/// form (UDIP art. 10).
pub fn email_filing_needs_warning(kind: CaseKind, by_email: bool) -> bool {
    by_email && metryka::required_for(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_kpa_proceedings_filed_by_email_are_flagged() {
        let table = [
            (CaseKind::AdministrativeSimple, true, true),
            (CaseKind::AdministrativeComplex, true, true),
            (CaseKind::Certificate, true, true),
            (CaseKind::AdministrativeSimple, false, false),
            (CaseKind::Petition, true, false),
            (CaseKind::PublicInformation, true, false),
            (CaseKind::ComplaintOrMotion, true, false),
        ];
        for (kind, by_email, expected) in table {
            assert_eq!(
                email_filing_needs_warning(kind, by_email),
                expected,
                "{kind:?} {by_email}"
            );
        }
    }
}
