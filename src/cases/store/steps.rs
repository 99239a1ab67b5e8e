//! The workflow steps on a case: the status change conditional on the status read,
//! periods and delay notices, the due date computed again.

use jiff::civil::Date;
use magistrat_domain::deadline::{CaseKind, ExcludedKind};
use magistrat_domain::intake::Initiation;
use serde::Serialize;
use sqlx::AssertSqlSafe;

use super::case::{CaseFile, case_in_tx};
use super::intake::{self, PartyInput};
use super::public::status_topic;
use super::register::{NewCase, RegisteredCase, add_event, display_name, register};
use super::{CaseStoreError, SqlDate, sql_date};
use crate::cases::workflow::Status;
use crate::db::Tx;
use crate::db::audit::{self, Actor, Change};
use crate::platform::events;
use crate::{execute_tx, with_tx};

/// A step with its data, validated by the caller (`cases::step_forms` reads the forms
/// into it with `TryFrom`).
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    Assign {
        official_id: i64,
    },
    Start,
    Suspend {
        on: Date,
        reason: String,
    },
    Resume {
        on: Date,
    },
    Settle {
        on: Date,
        outcome: String,
    },
    Close,
    Transfer {
        unit_id: i64,
        note: String,
    },
    Forward {
        body: String,
        note: String,
    },
    /// KPA art. 36 / UDIP art. 13 ust. 2: a new date with the reasons; no status change.
    DelayNotice {
        issued_on: Date,
        new_due: Date,
        reason: String,
    },
    /// KPA art. 35 § 5: a delay caused by the party, not counted in the term.
    PartyDelay {
        from: Date,
        to: Date,
        reason: String,
    },
    /// KPA art. 35 § 5: another period not counted (a term a law sets for a specific
    /// act, mediation, a delay for reasons outside the organ).
    ExcludedPeriod {
        kind: ExcludedKind,
        from: Date,
        to: Date,
        reason: String,
    },
    /// A party (and its pełnomocnik) joins the proceedings (KPA art. 28, art. 32–33).
    PartyAdd {
        party: PartyInput,
    },
    /// A party's data or its pełnomocnik changed (art. 40 § 2: the letters follow).
    PartyEdit {
        party_id: i64,
        party: PartyInput,
    },
    /// A party taken off the case (not the applicant).
    PartyRemove {
        party_id: i64,
    },
    /// KPA art. 64 § 2: the summons to remove formal defects, delivered on a day; the
    /// party has 7 days from it.
    DefectSummons {
        delivered_on: Date,
        defects: String,
    },
    /// The defects removed: the supplement received on `on` (posted on `posted_on`);
    /// the term of art. 35 counts from `on`.
    DefectsRemoved {
        on: Date,
        posted_on: Option<Date>,
    },
    /// KPA art. 64 § 2: the request left without examination after the 7 days ran out
    /// unused — the case ends, settled in a kind of its own.
    LeaveUnexamined {
        on: Date,
        reason: String,
    },
    /// A fee due on the case (opłata skarbowa: the request's, or a power of
    /// attorney's, część IV of the tariff).
    FeeAdd {
        fee: super::fees::NewFee,
    },
    /// The amount due changed by the official, with the reason.
    FeeAmount {
        fee_id: i64,
        amount_grosze: i64,
        reason: String,
    },
    /// The fee paid: on a day, an amount, how, the proof.
    FeePaid {
        fee_id: i64,
        paid_on: Date,
        paid_grosze: i64,
        method: magistrat_domain::stamp_duty::PaymentMethod,
        proof: String,
    },
    /// The fee not due: an exemption with its legal basis (art. 2, art. 7 of the act).
    FeeExempt {
        fee_id: i64,
        basis: String,
    },
    /// KPA art. 261 § 1: the summons to pay, delivered on a day, with its term.
    FeeSummons {
        fee_id: i64,
        delivered_on: Date,
        days: u32,
    },
    /// KPA art. 261 § 2: unpaid in the term, the request returned — the case ends not
    /// examined on the merits, as after art. 64 § 2, on this basis.
    FeeReturn {
        fee_id: i64,
        on: Date,
        reason: String,
    },
}

impl Step {
    pub fn action(&self) -> &'static str {
        match self {
            Step::Assign { .. } => "assign",
            Step::Start => "start",
            Step::Suspend { .. } => "suspend",
            Step::Resume { .. } => "resume",
            Step::Settle { .. } => "settle",
            Step::Close => "close",
            Step::Transfer { .. } => "transfer",
            Step::Forward { .. } => "forward",
            Step::DelayNotice { .. } => "delay_notice",
            Step::PartyDelay { .. } => "party_delay",
            Step::ExcludedPeriod { .. } => "excluded_period",
            Step::PartyAdd { .. } => "party_add",
            Step::PartyEdit { .. } => "party_edit",
            Step::PartyRemove { .. } => "party_remove",
            Step::DefectSummons { .. } => "defect_summons",
            Step::DefectsRemoved { .. } => "defects_removed",
            Step::LeaveUnexamined { .. } => "leave_unexamined",
            Step::FeeAdd { .. } => "fee_add",
            Step::FeeAmount { .. } => "fee_amount",
            Step::FeePaid { .. } => "fee_paid",
            Step::FeeExempt { .. } => "fee_exempt",
            Step::FeeSummons { .. } => "fee_summons",
            Step::FeeReturn { .. } => "fee_return",
        }
    }

    /// Whether the step ends the case as settled (on the merits, or without
    /// examination: art. 64 § 2, art. 261 § 2) — what the settlement notice follows.
    pub fn settles(&self) -> bool {
        matches!(
            self,
            Step::Settle { .. } | Step::LeaveUnexamined { .. } | Step::FeeReturn { .. }
        )
    }

    /// The workflow action, for steps that move the status.
    pub fn workflow_action(&self) -> Option<crate::cases::workflow::Action> {
        self.action().parse().ok()
    }

    fn note(&self) -> String {
        match self {
            Step::Suspend { on, reason } => format!("{on}: {reason}"),
            Step::Resume { on } => on.to_string(),
            Step::Settle { on, outcome } => format!("{on}: {outcome}"),
            Step::Transfer { note, .. } => note.clone(),
            Step::Forward { body, note } if note.is_empty() => body.clone(),
            Step::Forward { body, note } => format!("{body}: {note}"),
            Step::DelayNotice {
                new_due, reason, ..
            } => format!("{new_due}: {reason}"),
            Step::PartyDelay { from, to, reason } => format!("{from}–{to}: {reason}"),
            Step::ExcludedPeriod {
                kind,
                from,
                to,
                reason,
            } => format!("{}, {from}–{to}: {reason}", kind.as_str()),
            Step::PartyAdd { party } | Step::PartyEdit { party, .. } => {
                match &party.representative {
                    Some(rep) => format!("{} (pełnomocnik: {})", party.name, rep.name),
                    None => party.name.clone(),
                }
            }
            Step::DefectSummons {
                delivered_on,
                defects,
            } => format!("{delivered_on}: {defects}"),
            Step::DefectsRemoved { on, posted_on } => match posted_on {
                Some(posted) => format!("{on} ({posted})"),
                None => on.to_string(),
            },
            Step::LeaveUnexamined { on, reason } => format!("{on}: {reason}"),
            Step::FeeAdd { fee } => format!(
                "{} ({}{})",
                fee.description,
                magistrat_domain::stamp_duty::format_zloty(fee.amount_grosze),
                if fee.tariff.is_empty() {
                    String::new()
                } else {
                    format!(", {}", fee.tariff)
                }
            ),
            Step::FeeAmount {
                amount_grosze,
                reason,
                ..
            } => format!(
                "{}: {reason}",
                magistrat_domain::stamp_duty::format_zloty(*amount_grosze)
            ),
            Step::FeePaid {
                paid_on,
                paid_grosze,
                proof,
                ..
            } => format!(
                "{paid_on}: {} ({proof})",
                magistrat_domain::stamp_duty::format_zloty(*paid_grosze)
            ),
            Step::FeeExempt { basis, .. } => basis.clone(),
            Step::FeeSummons {
                delivered_on, days, ..
            } => format!("{delivered_on} (art. 261 § 1 KPA, {days} dni)"),
            Step::FeeReturn { on, reason, .. } => format!("{on} (art. 261 § 2 KPA): {reason}"),
            _ => String::new(),
        }
    }
}

/// What a step did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepOutcome {
    Done,
    /// Transferred: the case registered anew in the target unit.
    Transferred(RegisteredCase),
    /// The case changed meanwhile (another official acted first).
    Conflict,
}

/// Applies one step to a case in one transaction, audited, with a history row. The
/// status change is conditional on the status read, so two officials acting at once
/// cannot both move it.
#[tracing::instrument(level = "debug", skip_all, fields(case_id))]
pub async fn apply_step(
    tx: &mut Tx,
    actor: &Actor,
    case_id: i64,
    step: Step,
) -> Result<StepOutcome, CaseStoreError> {
    // The audit head first: the triggers on case_file (migration 0008) lock the open
    // case tally, which a registering writer locks after the head (one lock order).
    audit::lock_head(tx).await?;
    let Some(case) = case_in_tx(tx, case_id).await? else {
        return Err(CaseStoreError::NotFound);
    };
    let from = case.status;
    let Some(to) = move_status(tx, &case, &step).await? else {
        return Ok(StepOutcome::Conflict);
    };
    let outcome = step_effects(tx, actor, &case, &step).await?;
    record_step(tx, actor, &case, &step, (from, to), &outcome).await?;
    Ok(outcome)
}

/// An official takes an unassigned case of their unit (the workbench's „Biorę”): the
/// ordinary assignment step, applied only if the case still has no official when the
/// transaction reaches it — two officials taking it at once cannot both get it, whatever
/// its status (the status condition of [`apply_step`] alone would let a reassignment of
/// a case in progress through twice).
pub async fn take_case(
    tx: &mut Tx,
    actor: &Actor,
    case_id: i64,
    official_id: i64,
) -> Result<StepOutcome, CaseStoreError> {
    // The audit head first, as in `apply_step` (one lock order with registering writers).
    audit::lock_head(tx).await?;
    let claimed = execute_tx!(
        tx,
        "UPDATE case_file SET official_id = $1 WHERE id = $2 AND official_id IS NULL",
        official_id,
        case_id,
    )?;
    if claimed == 0 {
        return Ok(StepOutcome::Conflict);
    }
    apply_step(tx, actor, case_id, Step::Assign { official_id }).await
}

/// Moves the case to the status the step leads to, or `None` when the workflow does
/// not allow the step from here (or another writer moved the case first: the update
/// is conditional on the status read).
async fn move_status(
    tx: &mut Tx,
    case: &CaseFile,
    step: &Step,
) -> Result<Option<Status>, sqlx::Error> {
    let from = case.status;
    let to = match (step.workflow_action(), step) {
        (Some(action), _) => crate::cases::workflow::next(from, action),
        // Art. 64 § 2: leaving a request without examination ends the case as settled,
        // from any state in which it is being handled but suspended.
        (None, Step::LeaveUnexamined { .. } | Step::FeeReturn { .. }) => matches!(
            from,
            Status::Registered | Status::Assigned | Status::InProgress
        )
        .then_some(Status::Settled),
        // The parties may change until the case leaves the office (a pełnomocnik may
        // appear after the decision, for the appeal).
        (None, Step::PartyAdd { .. } | Step::PartyEdit { .. } | Step::PartyRemove { .. }) => {
            (from.is_open() || from == Status::Settled).then_some(from)
        }
        (None, _) => from.is_open().then_some(from),
    };
    let Some(to) = to else {
        return Ok(None);
    };
    let moved = execute_tx!(
        tx,
        "UPDATE case_file SET status = $1 WHERE id = $2 AND status = $3",
        to.as_str(),
        case.id,
        from.as_str(),
    )?;
    Ok((moved > 0).then_some(to))
}

/// What the step changes beside the status: the official, the excluded periods and
/// notices (and so the due date), the settlement, the closing, a transfer.
#[allow(clippy::too_many_lines, reason = "one arm a step")]
async fn step_effects(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseFile,
    step: &Step,
) -> Result<StepOutcome, CaseStoreError> {
    let case_id = case.id;
    match step {
        Step::Assign { official_id } => {
            set_column(tx, case_id, "official_id", Some(*official_id)).await?;
        }
        Step::Suspend { on, reason } => {
            refuse_overlap(tx, case_id, *on, None).await?;
            add_period(tx, case_id, "suspension", *on, None, reason).await?;
        }
        Step::Resume { on } => {
            end_suspension(tx, case_id, *on).await?;
            recompute_due(tx, case).await?;
        }
        Step::PartyDelay { from, to, reason } => {
            refuse_overlap(tx, case_id, *from, Some(*to)).await?;
            add_period(tx, case_id, "party_delay", *from, Some(*to), reason).await?;
            recompute_due(tx, case).await?;
        }
        Step::ExcludedPeriod {
            kind,
            from,
            to,
            reason,
        } => {
            refuse_overlap(tx, case_id, *from, Some(*to)).await?;
            add_period(tx, case_id, kind.as_str(), *from, Some(*to), reason).await?;
            recompute_due(tx, case).await?;
        }
        Step::DelayNotice {
            issued_on,
            new_due,
            reason,
        } => {
            add_delay_notice(tx, case_id, *issued_on, *new_due, reason).await?;
            recompute_due(tx, case).await?;
        }
        Step::Settle { on, outcome: how } => {
            execute_tx!(
                tx,
                "UPDATE case_file SET settled_on = $1, outcome = $2 WHERE id = $3",
                sql_date(*on),
                how,
                case_id,
            )?;
        }
        Step::Close => set_closed(tx, case_id).await?,
        Step::Forward { body, .. } => {
            execute_tx!(
                tx,
                "UPDATE case_file SET forwarded_to = $1 WHERE id = $2",
                body,
                case_id,
            )?;
            set_closed(tx, case_id).await?;
        }
        Step::Transfer { unit_id, .. } => {
            let registered = transfer(tx, actor, case, *unit_id).await?;
            return Ok(StepOutcome::Transferred(registered));
        }
        Step::Start => {}
        Step::PartyAdd { party } => {
            intake::add_party(tx, case, party).await?;
        }
        Step::PartyEdit { party_id, party } => {
            intake::edit_party(tx, case, *party_id, party).await?;
        }
        Step::PartyRemove { party_id } => {
            intake::remove_party(tx, case_id, *party_id).await?;
        }
        Step::DefectSummons {
            delivered_on,
            defects,
        } => {
            let remove_by = magistrat_domain::intake::defect_term(*delivered_on)
                .map_err(|_| CaseStoreError::Refused("case-date-out-of-range"))?;
            intake::add_defect(
                tx,
                actor.user_id,
                case_id,
                defects,
                *delivered_on,
                remove_by,
            )
            .await?;
        }
        Step::DefectsRemoved { on, posted_on } => {
            let pending = intake::pending_defect(tx, case_id)
                .await?
                .ok_or(CaseStoreError::Refused("case-defect-error-none"))?;
            magistrat_domain::intake::remove_defects(
                pending.delivered_on.to_jiff(),
                *on,
                *posted_on,
            )
            .map_err(|e| CaseStoreError::Refused(e.message_key()))?;
            intake::resolve_defect(tx, pending.id, "removed", *on, *posted_on).await?;
            execute_tx!(
                tx,
                "UPDATE case_file SET term_start_on = $1 WHERE id = $2",
                sql_date(*on),
                case_id,
            )?;
            let mut completed = case.clone();
            completed.term_start_on = Some(sql_date(*on));
            recompute_due(tx, &completed).await?;
        }
        Step::LeaveUnexamined { on, reason } => {
            let pending = intake::pending_defect(tx, case_id)
                .await?
                .ok_or(CaseStoreError::Refused("case-defect-error-none"))?;
            magistrat_domain::intake::may_leave_unexamined(pending.delivered_on.to_jiff(), *on)
                .map_err(|e| CaseStoreError::Refused(e.message_key()))?;
            intake::resolve_defect(tx, pending.id, "left_unexamined", *on, None).await?;
            execute_tx!(
                tx,
                "UPDATE case_file SET settled_on = $1, outcome = $2, \
                 closing_kind = 'left_unexamined' WHERE id = $3",
                sql_date(*on),
                reason,
                case_id,
            )?;
        }
        Step::FeeAdd { fee } => {
            super::fees::insert_fee(tx, actor.user_id, case_id, fee).await?;
        }
        Step::FeeAmount {
            fee_id,
            amount_grosze,
            ..
        } => super::fees::set_amount(tx, case_id, *fee_id, *amount_grosze).await?,
        Step::FeePaid {
            fee_id,
            paid_on,
            paid_grosze,
            method,
            proof,
        } => {
            super::fees::mark_paid(tx, case_id, *fee_id, *paid_on, *paid_grosze, *method, proof)
                .await?;
        }
        Step::FeeExempt { fee_id, basis } => {
            super::fees::mark_exempt(tx, case_id, *fee_id, basis).await?;
        }
        Step::FeeSummons {
            fee_id,
            delivered_on,
            days,
        } => super::fees::summon(tx, case_id, *fee_id, *delivered_on, *days).await?,
        Step::FeeReturn { fee_id, on, reason } => {
            super::fees::mark_returned(tx, case_id, *fee_id, *on).await?;
            // The same end as art. 64 § 2: not examined on the merits, its basis in
            // the outcome (decision 0050).
            let outcome = format!("Zwrot podania (art. 261 § 2 KPA): {reason}");
            execute_tx!(
                tx,
                "UPDATE case_file SET settled_on = $1, outcome = $2, \
                 closing_kind = 'left_unexamined' WHERE id = $3",
                sql_date(*on),
                outcome,
                case_id,
            )?;
        }
    }
    Ok(StepOutcome::Done)
}

/// Sets one id column of a case (`column` is one of this module's literals).
async fn set_column(
    tx: &mut Tx,
    case_id: i64,
    column: &'static str,
    value: Option<i64>,
) -> Result<(), sqlx::Error> {
    let sql = format!("UPDATE case_file SET {column} = $1 WHERE id = $2");
    execute_tx!(tx, AssertSqlSafe(sql.clone()), value, case_id)?;
    Ok(())
}

/// Ends the running suspension: it lasted until the day before the resumption.
async fn end_suspension(tx: &mut Tx, case_id: i64, on: Date) -> Result<(), sqlx::Error> {
    let end = on.yesterday().unwrap_or(on);
    execute_tx!(
        tx,
        "UPDATE case_period SET end_on = CASE WHEN start_on > $1 THEN start_on ELSE $1 END \
         WHERE case_id = $2 AND kind = 'suspension' AND end_on IS NULL",
        sql_date(end),
        case_id,
    )?;
    Ok(())
}

async fn add_delay_notice(
    tx: &mut Tx,
    case_id: i64,
    issued_on: Date,
    new_due: Date,
    reason: &str,
) -> Result<(), sqlx::Error> {
    execute_tx!(
        tx,
        "INSERT INTO case_delay_notice (case_id, issued_on, new_due_on, reason) \
         VALUES ($1, $2, $3, $4)",
        case_id,
        sql_date(issued_on),
        sql_date(new_due),
        reason,
    )?;
    Ok(())
}

/// Registers the case anew in `unit_id` (same class, kind, party and receipt), links
/// the two both ways and closes the case here.
async fn transfer(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseFile,
    unit_id: i64,
) -> Result<RegisteredCase, CaseStoreError> {
    let new = NewCase {
        unit_id,
        jrwa_symbol: case.jrwa_symbol.clone(),
        kind: case.kind,
        title: case.title.clone(),
        party_name: case.party_name.clone(),
        party_address: case.party_address.clone(),
        party_email: case.party_email.clone(),
        publish_consent: case.publish_consent,
        received_on: case.received(),
        channel: case.channel,
        correspondence_id: case.correspondence_id,
        official_id: None,
    };
    let initiation = if case.ex_officio {
        Initiation::ExOfficio
    } else {
        Initiation::OnRequest
    };
    let registered = register(tx, actor, new, initiation).await?;
    // The parties and their pełnomocnicy go with the case.
    execute_tx!(
        tx,
        "DELETE FROM case_party WHERE case_id = $1",
        registered.id
    )?;
    execute_tx!(
        tx,
        "INSERT INTO case_party (case_id, position, kind, name, address, email, rep_name, \
         rep_address, rep_scope, rep_document) SELECT $1, position, kind, name, address, email, \
         rep_name, rep_address, rep_scope, rep_document FROM case_party WHERE case_id = $2",
        registered.id,
        case.id,
    )?;
    set_column(tx, registered.id, "transferred_from_id", Some(case.id)).await?;
    set_column(tx, case.id, "transferred_to_id", Some(registered.id)).await?;
    set_closed(tx, case.id).await?;
    Ok(registered)
}

/// The history row and the audit event of a step (a transfer's note names the new
/// case's znak).
async fn record_step(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseFile,
    step: &Step,
    (from, to): (Status, Status),
    outcome: &StepOutcome,
) -> Result<(), sqlx::Error> {
    let who = display_name(tx, actor).await?;
    let mut note = step.note();
    if let StepOutcome::Transferred(r) = outcome {
        note = if note.is_empty() {
            r.znak.clone()
        } else {
            format!("{}: {note}", r.znak)
        };
    }
    add_event(tx, case.id, actor, &who, step.action(), to, &note).await?;
    if to != from {
        // Announced at commit to whoever watches the case's public status.
        let status = serde_json::json!({ "status": to.as_str() });
        events::publish(tx, &status_topic(&case.tracking_code), &status).await?;
    }
    let before = serde_json::json!({ "status": from.as_str(), "due_on": case.due().to_string() });
    let after = serde_json::json!({ "status": to.as_str(), "step": step });
    audit::record(
        tx,
        actor,
        Change::action(step.action(), "case_file", case.id)
            .with_before(&before)
            .with_after(&after),
    )
    .await?;
    Ok(())
}

async fn set_closed(tx: &mut Tx, case_id: i64) -> Result<(), sqlx::Error> {
    let now = tx.now();
    execute_tx!(
        tx,
        "UPDATE case_file SET closed_at = $1 WHERE id = $2",
        now,
        case_id,
    )?;
    Ok(())
}

/// Art. 35 § 5 counts a day once: a period sharing a day with one recorded is refused
/// (the form says so first; this holds against a concurrent writer too).
async fn refuse_overlap(
    tx: &mut Tx,
    case_id: i64,
    start: Date,
    end: Option<Date>,
) -> Result<(), CaseStoreError> {
    let rows: Vec<(SqlDate, Option<SqlDate>)> = with_tx!(tx, |c| {
        sqlx::query_as("SELECT start_on, end_on FROM case_period WHERE case_id = $1")
            .bind(case_id)
            .fetch_all(c)
            .await
    })?;
    let periods: Vec<(Date, Option<Date>)> = rows
        .into_iter()
        .map(|(s, e)| (s.to_jiff(), e.map(|e| e.to_jiff())))
        .collect();
    if magistrat_domain::deadline::overlaps(&periods, start, end) {
        return Err(CaseStoreError::Refused("case-error-period-overlap"));
    }
    Ok(())
}

async fn add_period(
    tx: &mut Tx,
    case_id: i64,
    kind: &str,
    start: Date,
    end: Option<Date>,
    reason: &str,
) -> Result<(), sqlx::Error> {
    execute_tx!(
        tx,
        "INSERT INTO case_period (case_id, kind, start_on, end_on, reason) VALUES ($1, $2, $3, $4, $5)",
        case_id,
        kind,
        sql_date(start),
        end.map(sql_date),
        reason,
    )?;
    Ok(())
}

/// The statutory due date again with every finished excluded period (KPA art. 35 § 5),
/// then the delay notices in force (art. 36).
async fn recompute_due(tx: &mut Tx, case: &CaseFile) -> Result<(), CaseStoreError> {
    let periods: Vec<(SqlDate, Option<SqlDate>)> = with_tx!(tx, |c| {
        sqlx::query_as("SELECT start_on, end_on FROM case_period WHERE case_id = $1")
            .bind(case.id)
            .fetch_all(c)
            .await
    })?;
    let notices: Vec<(SqlDate, SqlDate, String)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT issued_on, new_due_on, reason FROM case_delay_notice WHERE case_id = $1 ORDER BY id",
        )
        .bind(case.id)
        .fetch_all(c)
        .await
    })?;
    // The term counts from the initiation, or from the removal of formal defects
    // (art. 64 § 2, `CaseFile::term_start`).
    let (statutory, due) = due_dates(case.kind, case.term_start(), &periods, &notices)
        .ok_or(CaseStoreError::Refused("case-date-out-of-range"))?;
    execute_tx!(
        tx,
        "UPDATE case_file SET statutory_due_on = $1, due_on = $2 WHERE id = $3",
        sql_date(statutory),
        sql_date(due),
        case.id,
    )?;
    Ok(())
}

/// (statutory due date with the excluded periods, the date in force after notices), from
/// the stored rows (`magistrat_domain::deadline::due_dates` decides).
pub fn due_dates(
    kind: CaseKind,
    received: Date,
    periods: &[(SqlDate, Option<SqlDate>)],
    notices: &[(SqlDate, SqlDate, String)],
) -> Option<(Date, Date)> {
    let periods: Vec<(Date, Option<Date>)> = periods
        .iter()
        .map(|(s, e)| (s.to_jiff(), e.map(|e| e.to_jiff())))
        .collect();
    let notices: Vec<(Date, Date, String)> = notices
        .iter()
        .map(|(i, n, r)| (i.to_jiff(), n.to_jiff(), r.clone()))
        .collect();
    magistrat_domain::deadline::due_dates(kind, received, &periods, &notices)
}
