//! The demo archive of Borowiec's Wydział Spraw Obywatelskich (SA): the assemblies of
//! seven years ago (class 5500, B5), closed, handed to the archiwum zakładowe and now
//! due for destruction; and the registrations of two years ago (class 5310, B10),
//! finished but with their year's spis spraw still open — to be closed and transferred.

use jiff::civil::Date;
use magistrat_domain::deadline::CaseKind;

use crate::cases::store::{self as cases, Channel, NewCase, Step};
use crate::db::Db;
use crate::db::audit::Actor;

/// (class, subject, party, month and day received)
type OldCase = (&'static str, &'static str, &'static str, (i8, i8));

const ASSEMBLIES: &[OldCase] = &[
    (
        "5500",
        "Zawiadomienie o zgromadzeniu publicznym na Rynku (Dzień Ziemi)",
        "Stowarzyszenie Zielony Borowiec",
        (4, 2),
    ),
    (
        "5500",
        "Zawiadomienie o zgromadzeniu spontanicznym przy ul. Kolejowej",
        "Komitet Mieszkańców ul. Kolejowej",
        (9, 14),
    ),
];

const REGISTRATIONS: &[OldCase] = &[
    (
        "5310",
        "Zameldowanie na pobyt stały, ul. Ogrodowa 12",
        "Marta Wiśniewska",
        (3, 5),
    ),
    (
        "5310",
        "Wymeldowanie z pobytu stałego, ul. Polna 3",
        "Tadeusz Kaczmarek",
        (10, 21),
    ),
];

/// Registers, settles and closes the cases of `year`, each step in its own transaction
/// as in the application.
async fn finished_cases(
    db: &Db,
    actor: &Actor,
    unit_id: i64,
    year: i16,
    list: &[OldCase],
) -> anyhow::Result<()> {
    cases::ensure_jrwa(db, actor, i32::from(year)).await?;
    for (class, title, party, (month, day)) in list {
        let received = Date::new(year, *month, *day)?;
        let settled = received.checked_add(jiff::Span::new().days(12))?;
        let new = NewCase {
            unit_id,
            jrwa_symbol: (*class).to_owned(),
            kind: CaseKind::AdministrativeSimple,
            title: (*title).to_owned(),
            party_name: (*party).to_owned(),
            party_address: "62-300 Borowiec".to_owned(),
            party_email: String::new(),
            publish_consent: false,
            received_on: received,
            channel: Channel::Counter,
            correspondence_id: None,
            official_id: actor.user_id,
        };
        let mut tx = db.begin().await?;
        let case = cases::register_case(&mut tx, actor, new)
            .await
            .map_err(|e| anyhow::anyhow!("demo archive case {title}: {e}"))?;
        tx.commit().await?;
        let steps = [
            Step::Start,
            Step::Settle {
                on: settled,
                outcome: "Sprawę załatwiono zgodnie z wnioskiem.".to_owned(),
            },
            Step::Close,
        ];
        for step in steps {
            let mut tx = db.begin().await?;
            cases::apply_step(&mut tx, actor, case.id, step)
                .await
                .map_err(|e| anyhow::anyhow!("demo archive case {title}: {e}"))?;
            tx.commit().await?;
        }
    }
    Ok(())
}

/// Seeds the demo archive (after the demo cases; the head of SA acts).
pub async fn seed(db: &Db, head_login: &str) -> anyhow::Result<()> {
    let Some(head) = crate::auth::users::find_by_login(db, head_login).await? else {
        return Ok(());
    };
    let actor = Actor {
        user_id: Some(head.id),
        login: head.login,
        ip: None,
    };
    let units = crate::org::store::units(db).await?;
    let Some(sa) = units.iter().find(|u| u.symbol == "SA") else {
        return Ok(());
    };
    let today = db.clock().today();
    let old = today.year() - 7;
    finished_cases(db, &actor, sa.id, old, ASSEMBLIES).await?;
    finished_cases(db, &actor, sa.id, today.year() - 2, REGISTRATIONS).await?;
    let mut tx = db.begin().await?;
    super::store::close_year(&mut tx, &actor, sa.id, i32::from(old), today).await?;
    let picks = [super::store::Pick {
        jrwa_symbol: "5500".to_owned(),
        year: i32::from(old),
        leading_unit: true,
    }];
    super::store::transfer(&mut tx, &actor, sa.id, &sa.symbol, &picks, today).await?;
    tx.commit().await?;
    Ok(())
}
