//! The opłata skarbowa of a case (decision 0050): each fee due — the request's, copied
//! from the service card when an e-service filing registers the case or set by the
//! official, and a power of attorney's (część IV, 17 zł) — paid with its proof, exempt
//! with its legal basis, or summoned under KPA art. 261 § 1 and, unpaid in the term,
//! the request returned (§ 2). The steps call these in their transaction; the audit
//! event and the metryka row are the step's (`steps::record_step`).

use jiff::civil::Date;
use magistrat_domain::stamp_duty::{self, FeeKind, FeeState, PaymentMethod};

use super::{CaseStoreError, SqlDate, sql_date};
use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Tx, UtcTime};
use crate::{execute_tx, with_db, with_tx};

/// A fee of a case as stored.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseFee {
    pub id: i64,
    pub case_id: i64,
    /// `request` | `power_of_attorney`.
    pub kind: String,
    pub description: String,
    pub tariff: String,
    pub amount_grosze: i64,
    /// `due` | `paid` | `exempt` | `returned`.
    pub state: String,
    pub paid_on: Option<SqlDate>,
    pub paid_grosze: Option<i64>,
    pub method: String,
    pub proof: String,
    pub exempt_basis: String,
    pub summons_delivered_on: Option<SqlDate>,
    pub summons_days: Option<i64>,
    pub pay_by: Option<SqlDate>,
    pub created_at: UtcTime,
}

impl CaseFee {
    pub fn state(&self) -> FeeState {
        FeeState::parse(&self.state).unwrap_or(FeeState::Due)
    }

    pub fn is_due(&self) -> bool {
        self.state() == FeeState::Due
    }

    /// Due and summoned: the summons of art. 261 § 1 waits for the payment.
    pub fn summoned(&self) -> bool {
        self.is_due() && self.pay_by.is_some()
    }

    pub fn amount_text(&self) -> String {
        stamp_duty::format_zloty(self.amount_grosze)
    }

    /// „Opłata skarbowa za wydanie zaświadczenia — 17,00 zł”.
    pub fn label(&self) -> String {
        format!("{} — {}", self.description, self.amount_text())
    }

    /// Paid after the summons' last day (kept, and the request examined all the same:
    /// `stamp_duty::may_return`).
    pub fn paid_late(&self) -> bool {
        match (self.pay_by, self.paid_on) {
            (Some(by), Some(on)) => !stamp_duty::paid_in_term(by.to_jiff(), on.to_jiff()),
            _ => false,
        }
    }
}

/// A new fee of a case.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewFee {
    pub kind: String,
    pub description: String,
    pub tariff: String,
    pub amount_grosze: i64,
}

const FEE_COLUMNS: &str = "id, case_id, kind, description, tariff, amount_grosze, state, paid_on, \
     paid_grosze, method, proof, exempt_basis, summons_delivered_on, summons_days, pay_by, created_at";

/// The case's fees, oldest first.
#[tracing::instrument(level = "debug", skip_all, fields(case_id))]
pub async fn case_fees(db: &Db, case_id: i64) -> Result<Vec<CaseFee>, sqlx::Error> {
    let sql = format!("SELECT {FEE_COLUMNS} FROM case_fee WHERE case_id = $1 ORDER BY id");
    with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(case_id)
            .fetch_all(c)
            .await
    })
}

/// What is still to pay on a case (the fees due), in grosze, for the public status.
pub async fn amount_due(db: &Db, case_id: i64) -> Result<i64, sqlx::Error> {
    Ok(case_fees(db, case_id)
        .await?
        .iter()
        .filter(|f| f.is_due())
        .map(|f| f.amount_grosze)
        .sum())
}

async fn fee_in_tx(tx: &mut Tx, case_id: i64, id: i64) -> Result<CaseFee, CaseStoreError> {
    let sql = format!("SELECT {FEE_COLUMNS} FROM case_fee WHERE id = $1 AND case_id = $2");
    let fee: Option<CaseFee> = with_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .bind(case_id)
            .fetch_optional(c)
            .await
    })?;
    fee.ok_or(CaseStoreError::Refused("fee-error-unknown"))
}

/// Records a fee due on a case (the step `fee_add`, or the e-service filing copying the
/// card's fees).
pub(super) async fn insert_fee(
    tx: &mut Tx,
    actor_id: Option<i64>,
    case_id: i64,
    fee: &NewFee,
) -> Result<i64, CaseStoreError> {
    if FeeKind::parse(&fee.kind).is_none() {
        return Err(CaseStoreError::Refused("form-choice-unknown"));
    }
    stamp_duty::check_amount(fee.amount_grosze)
        .map_err(|e| CaseStoreError::Refused(e.message_key()))?;
    let now = tx.now();
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO case_fee (case_id, kind, description, tariff, amount_grosze, state, \
             created_at, created_by) VALUES ($1, $2, $3, $4, $5, 'due', $6, $7) RETURNING id",
        )
        .bind(case_id)
        .bind(&fee.kind)
        .bind(&fee.description)
        .bind(&fee.tariff)
        .bind(fee.amount_grosze)
        .bind(now)
        .bind(actor_id)
        .fetch_one(c)
        .await
    })?;
    Ok(id)
}

/// The fees of a service card, copied to the case an e-service filing registered
/// (in its transaction; each audited as a `case_fee` created).
pub async fn copy_card_fees(
    tx: &mut Tx,
    actor: &Actor,
    case_id: i64,
    fees: &[NewFee],
) -> Result<(), CaseStoreError> {
    for fee in fees.iter().filter(|f| f.amount_grosze > 0) {
        let id = insert_fee(tx, actor.user_id, case_id, fee).await?;
        audit::record(
            tx,
            actor,
            Change::created(
                "case_fee",
                id,
                &serde_json::json!({ "case_id": case_id, "fee": fee }),
            ),
        )
        .await?;
    }
    Ok(())
}

/// The official changes the amount due, with the reason (kept in the step's note).
pub(super) async fn set_amount(
    tx: &mut Tx,
    case_id: i64,
    fee_id: i64,
    amount_grosze: i64,
) -> Result<(), CaseStoreError> {
    stamp_duty::check_amount(amount_grosze)
        .map_err(|e| CaseStoreError::Refused(e.message_key()))?;
    let fee = fee_in_tx(tx, case_id, fee_id).await?;
    if !fee.is_due() {
        return Err(CaseStoreError::Refused("fee-error-not-due"));
    }
    execute_tx!(
        tx,
        "UPDATE case_fee SET amount_grosze = $1 WHERE id = $2 AND state = 'due'",
        amount_grosze,
        fee_id,
    )?;
    Ok(())
}

/// A payment: on a day, an amount, how, and its proof (a reference).
pub(super) async fn mark_paid(
    tx: &mut Tx,
    case_id: i64,
    fee_id: i64,
    paid_on: Date,
    paid_grosze: i64,
    method: PaymentMethod,
    proof: &str,
) -> Result<(), CaseStoreError> {
    let fee = fee_in_tx(tx, case_id, fee_id).await?;
    if !fee.is_due() {
        return Err(CaseStoreError::Refused("fee-error-not-due"));
    }
    stamp_duty::check_amount(paid_grosze).map_err(|e| CaseStoreError::Refused(e.message_key()))?;
    execute_tx!(
        tx,
        "UPDATE case_fee SET state = 'paid', paid_on = $1, paid_grosze = $2, method = $3, \
         proof = $4 WHERE id = $5 AND state = 'due'",
        sql_date(paid_on),
        paid_grosze,
        method.as_str(),
        proof,
        fee_id,
    )?;
    Ok(())
}

/// An exemption with its legal basis (art. 2 or art. 7 of the act).
pub(super) async fn mark_exempt(
    tx: &mut Tx,
    case_id: i64,
    fee_id: i64,
    basis: &str,
) -> Result<(), CaseStoreError> {
    stamp_duty::check_exemption(basis).map_err(|e| CaseStoreError::Refused(e.message_key()))?;
    let fee = fee_in_tx(tx, case_id, fee_id).await?;
    if !fee.is_due() {
        return Err(CaseStoreError::Refused("fee-error-not-due"));
    }
    execute_tx!(
        tx,
        "UPDATE case_fee SET state = 'exempt', exempt_basis = $1 WHERE id = $2 AND state = 'due'",
        basis,
        fee_id,
    )?;
    Ok(())
}

/// The summons of art. 261 § 1, delivered on a day with a term of `days` (7–14).
pub(super) async fn summon(
    tx: &mut Tx,
    case_id: i64,
    fee_id: i64,
    delivered_on: Date,
    days: u32,
) -> Result<(), CaseStoreError> {
    let pay_by = stamp_duty::pay_by(delivered_on, days)
        .map_err(|e| CaseStoreError::Refused(e.message_key()))?;
    let fee = fee_in_tx(tx, case_id, fee_id).await?;
    if !fee.is_due() {
        return Err(CaseStoreError::Refused("fee-error-not-due"));
    }
    if fee.summoned() {
        return Err(CaseStoreError::Refused("fee-error-summoned"));
    }
    execute_tx!(
        tx,
        "UPDATE case_fee SET summons_delivered_on = $1, summons_days = $2, pay_by = $3 \
         WHERE id = $4 AND state = 'due'",
        sql_date(delivered_on),
        i64::from(days),
        sql_date(pay_by),
        fee_id,
    )?;
    Ok(())
}

/// The request returned (art. 261 § 2): the summons' term ran out and the fee is
/// still unpaid. The caller settles the case as not examined on the merits.
pub(super) async fn mark_returned(
    tx: &mut Tx,
    case_id: i64,
    fee_id: i64,
    on: Date,
) -> Result<(), CaseStoreError> {
    let fee = fee_in_tx(tx, case_id, fee_id).await?;
    let Some(pay_by) = fee.pay_by.filter(|_| fee.summoned()) else {
        return Err(CaseStoreError::Refused("fee-error-no-summons"));
    };
    stamp_duty::may_return(pay_by.to_jiff(), on, !fee.is_due())
        .map_err(|e| CaseStoreError::Refused(e.message_key()))?;
    execute_tx!(
        tx,
        "UPDATE case_fee SET state = 'returned' WHERE id = $1 AND state = 'due'",
        fee_id,
    )?;
    Ok(())
}

/// The office's account for the stamp duty (`office.fee_account`), NRB digits; empty
/// when not set.
pub async fn office_fee_account(db: &Db) -> Result<String, sqlx::Error> {
    let account: Option<String> = with_db!(db, |c| {
        sqlx::query_scalar("SELECT fee_account FROM office WHERE id = 1")
            .fetch_optional(c)
            .await
    })?;
    Ok(account.unwrap_or_default())
}
