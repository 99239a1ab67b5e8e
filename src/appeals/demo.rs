//! The demo office's appeals: a decision on removing a registration, signed, sent by
//! registered post and delivered, against which the party may appeal (the browser flow
//! lodges and forwards the appeal); and a ponaglenie against the protracted
//! proceedings of a suspended case, waiting to be forwarded with the organ's answer.

use magistrat_domain::appeals::Challenge;
use magistrat_domain::letters::{Element, LetterKind};

use super::store::{self, NewAppeal};
use crate::case_documents::demo::{actor, case_titled, draft, walk};
use crate::db::Db;

/// The appeal body of the gmina's decisions in own and commissioned matters.
pub const SKO: &str = "Samorządowe Kolegium Odwoławcze w Kaliszu";
/// The higher organ for a ponaglenie in the burmistrz's cases (art. 37 § 3 pkt 1).
pub const HIGHER_ORGAN: &str = SKO;

pub async fn seed(db: &Db) -> anyhow::Result<()> {
    let head = actor(db, "kierownik").await?;
    let official = actor(db, "urzednik").await?;
    let today = db.clock().today();

    let case = case_titled(db, "Wymeldowanie z pobytu stałego, ul. Leśna 9").await?;
    let decision = draft(
        db,
        &official,
        &case,
        LetterKind::Decision,
        &[
            (
                Element::LegalBasis,
                "art. 35 ustawy z dnia 24 września 2010 r. o ewidencji ludności \
                 (Dz.U. z 2022 r. poz. 1191 ze zm.) oraz art. 104 Kodeksu postępowania administracyjnego",
            ),
            (
                Element::Ruling,
                "wymeldować Zbigniewa Adamczyka z pobytu stałego w lokalu przy ul. Leśnej 9 w Borowcu.",
            ),
            (
                Element::Justification,
                "Postępowanie wyjaśniające wykazało, że strona opuściła lokal w 2024 r. i nie zamierza do niego wrócić.",
            ),
        ],
    )
    .await?;
    walk(db, &head, &official, &case, decision, true).await?;

    let suspended = case_titled(db, "Wymeldowanie z urzędu, ul. Ogrodowa 8").await?;
    let mut tx = db.begin().await?;
    store::register(
        &mut tx,
        &official,
        &suspended,
        &NewAppeal {
            kind: Challenge::Ponaglenie,
            letter_id: None,
            lodged_by: suspended.party_name.clone(),
            received_on: today,
            posted_on: None,
            higher_body: HIGHER_ORGAN.to_owned(),
        },
        today,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
