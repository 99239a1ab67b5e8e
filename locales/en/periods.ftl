## Periods not counted in the term (KPA art. 35 § 5) and the UDIP extension (art. 13 ust. 2)

case-do-excluded-period = Record another period not counted
case-excluded-period-hint = Terms a law sets for specific acts, mediation and delays for reasons outside the organ are not counted in the term (KPA art. 35 § 5). The case's due date is recomputed.
case-action-excluded-period = Period not counted
case-period-statutory-act = Term set by law for a specific act
case-period-mediation = Mediation
case-period-outside-organ = Delay for reasons outside the organ
case-error-period-overlap = This period overlaps one already recorded — a day cannot be left out of the term twice (KPA art. 35 § 5).
error-case-error-period-overlap = { case-error-period-overlap }
case-error-udip-notice-late = The extension notice must be sent within 14 days of the request (UDIP art. 13 ust. 2).
metryka-act-period-excluded = Period not counted in the term (KPA art. 35 § 5)

## Filing requests (KPA art. 63 § 1)
case-email-filing-warning = A request in proceedings under the KPA came by plain e-mail, which is not one of the ways of filing listed in KPA art. 63 § 1 (in writing, through the electronic inbox, to the address for electronic delivery, orally to the protocol). Summon the party to remove the defect within 7 days (KPA art. 64 § 2).
