//! The demo office's intake: two requests with several parties, one acting through a
//! pełnomocnik (KPA art. 32–33, letters to the pełnomocnik, art. 40 § 2); a case
//! started ex officio (art. 61 § 1); a request waiting for the removal of its formal
//! defects and one left without examination (art. 64 § 2).

use jiff::civil::Date;
use magistrat_domain::deadline::CaseKind;

use super::store::{
    self, Channel, NewCase, PartyInput, RepresentativeInput, Step, register_case,
    register_case_ex_officio,
};
use crate::db::Db;
use crate::db::audit::Actor;

fn party(kind: &str, name: &str, address: &str, rep: Option<(&str, &str, &str)>) -> PartyInput {
    PartyInput {
        kind: kind.to_owned(),
        name: name.to_owned(),
        address: address.to_owned(),
        email: String::new(),
        representative: rep.map(|(name, address, document)| RepresentativeInput {
            name: name.to_owned(),
            address: address.to_owned(),
            scope: "special".to_owned(),
            document: document.to_owned(),
        }),
    }
}

async fn actor(db: &Db, login: &str) -> anyhow::Result<Actor> {
    let user = crate::auth::users::find_by_login(db, login)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo account {login}"))?;
    Ok(Actor {
        user_id: Some(user.id),
        login: user.login,
        ip: None,
    })
}

#[allow(
    clippy::too_many_lines,
    reason = "demo data: four cases and their steps"
)]
pub async fn seed(db: &Db) -> anyhow::Result<()> {
    let official = actor(db, "urzednik").await?;
    let today = db.clock().today();
    let days = |n: i64| {
        today
            .checked_sub(jiff::Span::new().days(n))
            .unwrap_or(today)
    };
    let sa: i64 = crate::with_db!(db, |c| {
        sqlx::query_scalar("SELECT id FROM org_unit WHERE symbol = 'SA'")
            .fetch_one(c)
            .await
    })?;
    let new =
        |kind: CaseKind, title: &str, applicant: &str, address: &str, received: Date| NewCase {
            unit_id: sa,
            jrwa_symbol: "5310".to_owned(),
            kind,
            title: title.to_owned(),
            party_name: applicant.to_owned(),
            party_address: address.to_owned(),
            party_email: String::new(),
            publish_consent: false,
            received_on: received,
            channel: Channel::Post,
            correspondence_id: None,
            official_id: official.user_id,
        };
    // (title, applicant, received days ago, further parties, started ex officio)
    let lessor = (
        "Adwokat Anna Lis",
        "ul. Długa 5\n62-300 Borowiec",
        "Pełnomocnictwo szczególne z dnia złożenia wniosku, oryginał w aktach",
    );
    let mut tx = db.begin().await?;
    let a = register_case(
        &mut tx,
        &official,
        new(
            CaseKind::AdministrativeComplex,
            "Wymeldowanie z pobytu stałego na wniosek właściciela, ul. Kwiatowa 4",
            "Spółdzielnia Mieszkaniowa „Zgoda” w Borowcu",
            "ul. Polna 2\n62-300 Borowiec",
            days(12),
        ),
    )
    .await?;
    let b = register_case_ex_officio(
        &mut tx,
        &official,
        new(
            CaseKind::AdministrativeSimple,
            "Wymeldowanie z urzędu z pobytu czasowego, ul. Lipowa 3",
            "Adam Nieobecny",
            "ul. Lipowa 3\n62-300 Borowiec",
            days(9),
        ),
    )
    .await?;
    let c = register_case(
        &mut tx,
        &official,
        new(
            CaseKind::AdministrativeSimple,
            "Zameldowanie na pobyt stały, ul. Słoneczna 11 (wniosek bez podpisu)",
            "Piotr Zieliński",
            "ul. Słoneczna 11\n62-300 Borowiec",
            days(6),
        ),
    )
    .await?;
    let d = register_case(
        &mut tx,
        &official,
        new(
            CaseKind::AdministrativeSimple,
            "Zameldowanie na pobyt czasowy, ul. Wąska 2 (braki nieusunięte)",
            "Krzysztof Mazur",
            "ul. Wąska 2\n62-300 Borowiec",
            days(30),
        ),
    )
    .await?;
    let steps: Vec<(i64, Step)> = vec![
        (a.id, Step::Start),
        (
            a.id,
            Step::PartyAdd {
                party: party(
                    "person",
                    "Marek Wójcik",
                    "ul. Kwiatowa 4 m. 2\n62-300 Borowiec",
                    None,
                ),
            },
        ),
        (
            a.id,
            Step::PartyEdit {
                party_id: first_party(&mut tx, a.id).await?,
                party: party(
                    "organisation",
                    "Spółdzielnia Mieszkaniowa „Zgoda” w Borowcu",
                    "ul. Polna 2\n62-300 Borowiec",
                    Some(lessor),
                ),
            },
        ),
        (b.id, Step::Start),
        (
            b.id,
            Step::PartyAdd {
                party: party(
                    "person",
                    "Halina Nowak (właścicielka lokalu)",
                    "ul. Lipowa 3\n62-300 Borowiec",
                    Some((
                        "Tomasz Nowak",
                        "ul. Ogrodowa 1\n62-300 Borowiec",
                        "Pełnomocnictwo ogólne z 2025 r., odpis uwierzytelniony w aktach",
                    )),
                ),
            },
        ),
        (c.id, Step::Start),
        (
            c.id,
            Step::DefectSummons {
                delivered_on: days(2),
                defects: "Brak podpisu wnioskodawcy na wniosku (art. 63 § 3 KPA).".to_owned(),
            },
        ),
        (d.id, Step::Start),
        (
            d.id,
            Step::DefectSummons {
                delivered_on: days(20),
                defects: "Brak potwierdzenia tytułu prawnego do lokalu.".to_owned(),
            },
        ),
        (
            d.id,
            Step::LeaveUnexamined {
                // Well after the 7 days (at most 12 with holidays) from the delivery.
                on: days(5),
                reason: "Wnoszący nie usunął braków w terminie 7 dni od doręczenia wezwania; \
                         zawiadomiono go pismem."
                    .to_owned(),
            },
        ),
    ];
    for (case_id, step) in steps {
        store::apply_step(&mut tx, &official, case_id, step)
            .await
            .map_err(|e| anyhow::anyhow!("demo intake step: {e}"))?;
    }
    tx.commit().await?;
    seed_fees(db, &official, sa, today).await?;
    Ok(())
}

/// The opłata skarbowa of a few demo cases (decision 0050): a certificate paid by
/// transfer, a power of attorney paid at the cash desk, a certificate exempt (art. 2
/// ust. 1 pkt 1 of the act), and one summoned under KPA art. 261 § 1 whose term still
/// runs.
#[allow(
    clippy::too_many_lines,
    reason = "demo data: four cases and their fee steps"
)]
async fn seed_fees(db: &Db, official: &Actor, sa: i64, today: Date) -> anyhow::Result<()> {
    use magistrat_domain::stamp_duty::{
        FeeKind, POWER_OF_ATTORNEY_GROSZE, POWER_OF_ATTORNEY_TARIFF, PaymentMethod,
    };
    let days = |n: i64| {
        today
            .checked_sub(jiff::Span::new().days(n))
            .unwrap_or(today)
    };
    let new = |title: &str, applicant: &str, received: Date| NewCase {
        unit_id: sa,
        jrwa_symbol: "5340".to_owned(),
        kind: CaseKind::Certificate,
        title: title.to_owned(),
        party_name: applicant.to_owned(),
        party_address: "ul. Lipowa 4\n62-300 Borowiec".to_owned(),
        party_email: String::new(),
        publish_consent: false,
        received_on: received,
        channel: Channel::Counter,
        correspondence_id: None,
        official_id: official.user_id,
    };
    let certificate = |description: &str| store::NewFee {
        kind: FeeKind::Request.as_str().to_owned(),
        description: description.to_owned(),
        tariff: "część II".to_owned(),
        amount_grosze: 1700,
    };
    let mut tx = db.begin().await?;
    let paid = register_case(
        &mut tx,
        official,
        new(
            "Zaświadczenie o zameldowaniu na pobyt stały",
            "Karol Wójcik",
            days(6),
        ),
    )
    .await?;
    let proxy = register_case(
        &mut tx,
        official,
        new(
            "Zaświadczenie o wymeldowaniu — przez pełnomocnika",
            "Irena Sowa",
            days(4),
        ),
    )
    .await?;
    let exempt = register_case(
        &mut tx,
        official,
        new(
            "Zaświadczenie o zameldowaniu do wniosku o zasiłek z pomocy społecznej",
            "Teresa Mazur",
            days(3),
        ),
    )
    .await?;
    let summoned = register_case(
        &mut tx,
        official,
        new(
            "Zaświadczenie o zameldowaniu dla celów urzędowych",
            "Paweł Kruk",
            days(9),
        ),
    )
    .await?;
    // Paid by transfer, the confirmation in the file.
    let id = add_fee(
        &mut tx,
        official,
        paid.id,
        certificate("Opłata skarbowa za wydanie zaświadczenia"),
    )
    .await?;
    fee_step(
        &mut tx,
        official,
        paid.id,
        Step::FeePaid {
            fee_id: id,
            paid_on: days(6),
            paid_grosze: 1700,
            method: PaymentMethod::Transfer,
            proof: format!(
                "Przelew z {}, tytuł „Opłata skarbowa – {}”",
                days(7),
                paid.znak
            ),
        },
    )
    .await?;
    // The certificate and the power of attorney (część IV), both paid at the desk.
    let id = add_fee(
        &mut tx,
        official,
        proxy.id,
        certificate("Opłata skarbowa za wydanie zaświadczenia"),
    )
    .await?;
    fee_step(
        &mut tx,
        official,
        proxy.id,
        Step::FeePaid {
            fee_id: id,
            paid_on: days(4),
            paid_grosze: 1700,
            method: PaymentMethod::CashDesk,
            proof: "Dowód wpłaty KP 412/2026".to_owned(),
        },
    )
    .await?;
    let id = add_fee(
        &mut tx,
        official,
        proxy.id,
        store::NewFee {
            kind: FeeKind::PowerOfAttorney.as_str().to_owned(),
            description: "Opłata skarbowa od złożenia pełnomocnictwa".to_owned(),
            tariff: POWER_OF_ATTORNEY_TARIFF.to_owned(),
            amount_grosze: POWER_OF_ATTORNEY_GROSZE,
        },
    )
    .await?;
    fee_step(
        &mut tx,
        official,
        proxy.id,
        Step::FeePaid {
            fee_id: id,
            paid_on: days(4),
            paid_grosze: POWER_OF_ATTORNEY_GROSZE,
            method: PaymentMethod::Card,
            proof: "Terminal w kasie, transakcja 88120417".to_owned(),
        },
    )
    .await?;
    // Exempt: a certificate for a social assistance matter.
    let id = add_fee(
        &mut tx,
        official,
        exempt.id,
        certificate("Opłata skarbowa za wydanie zaświadczenia"),
    )
    .await?;
    fee_step(
        &mut tx,
        official,
        exempt.id,
        Step::FeeExempt {
            fee_id: id,
            basis: "art. 2 ust. 1 pkt 1 ustawy z dnia 16 listopada 2006 r. o opłacie skarbowej — \
                    zaświadczenie w sprawie pomocy społecznej"
                .to_owned(),
        },
    )
    .await?;
    // Unpaid: the summons of art. 261 § 1 delivered two days ago, 7 days to pay.
    let id = add_fee(
        &mut tx,
        official,
        summoned.id,
        certificate("Opłata skarbowa za wydanie zaświadczenia"),
    )
    .await?;
    fee_step(
        &mut tx,
        official,
        summoned.id,
        Step::FeeSummons {
            fee_id: id,
            delivered_on: days(2),
            days: 7,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A fee added to a demo case by its step; its id.
async fn add_fee(
    tx: &mut crate::db::Tx,
    actor: &Actor,
    case_id: i64,
    fee: store::NewFee,
) -> anyhow::Result<i64> {
    fee_step(tx, actor, case_id, Step::FeeAdd { fee }).await?;
    let id: i64 = crate::with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT MAX(id) FROM case_fee WHERE case_id = $1")
            .bind(case_id)
            .fetch_one(c)
            .await
    })?;
    Ok(id)
}

async fn fee_step(
    tx: &mut crate::db::Tx,
    actor: &Actor,
    case_id: i64,
    step: Step,
) -> anyhow::Result<()> {
    store::apply_step(tx, actor, case_id, step)
        .await
        .map_err(|e| anyhow::anyhow!("demo fee step: {e}"))?;
    Ok(())
}

async fn first_party(tx: &mut crate::db::Tx, case_id: i64) -> anyhow::Result<i64> {
    let id: i64 = crate::with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT id FROM case_party WHERE case_id = $1 AND position = 1")
            .bind(case_id)
            .fetch_one(c)
            .await
    })?;
    Ok(id)
}
