//! The demo office's letter templates (in Polish, one per kind), an authorisation to
//! sign in the register, and a few letters in the demo cases at every step of the flow
//! (drafted, accepted, signed, sent, delivered), so the akta and the metryka show a
//! case as an office keeps it.

use magistrat_domain::letters::{self, Element, LetterData, LetterKind, Sections};

use super::store::{self, Dispatch, NewAuthorisation, NewLetter, Signature, TemplateData};
use crate::correspondence::{Delivery, LetterType, OutChannel};
use crate::db::Db;
use crate::db::audit::Actor;
use crate::web::i18n::Lang;

const ORGAN: &str = "Burmistrz Borowca\n{organ}";
const SKO: &str = "Samorządowego Kolegium Odwoławczego w Poznaniu";

/// A demo template: (kind, name, [(element, text)]).
type DemoTemplate = (LetterKind, &'static str, Vec<(Element, String)>);

/// The templates, one per kind: long, as letters are.
#[allow(
    clippy::too_many_lines,
    reason = "demo data: the texts of eight templates"
)]
fn templates() -> Vec<DemoTemplate> {
    use Element::*;
    let common = |basis: &str| {
        vec![
            (Organ, ORGAN.to_owned()),
            (IssuePlace, "{miejscowosc}".to_owned()),
            // Every party, or its pełnomocnik (KPA art. 40 § 2).
            (Parties, "{adresaci}".to_owned()),
            (LegalBasis, basis.to_owned()),
        ]
    };
    let mut decision = common("{podstawa}");
    decision.extend([
        (
            Ruling,
            "DECYZJA\n\nPo rozpatrzeniu wniosku z dnia {data_wplywu} w sprawie: {tytul} (znak: {znak}), \
             na podstawie powołanych przepisów orzekam: "
                .to_owned(),
        ),
        (
            Justification,
            "UZASADNIENIE\n\nW dniu {data_wplywu} do Urzędu Miejskiego w Borowcu wpłynął wniosek w sprawie: {tytul}. "
                .to_owned(),
        ),
        (
            AppealInstruction,
            format!(
                "POUCZENIE\n\nOd niniejszej decyzji służy stronie odwołanie do {SKO} za pośrednictwem \
                 Burmistrza Borowca w terminie 14 dni od dnia jej doręczenia (art. 127 § 1 i 2 oraz art. 129 \
                 § 1 i 2 KPA). W trakcie biegu terminu do wniesienia odwołania strona może zrzec się prawa do \
                 wniesienia odwołania wobec organu, który wydał decyzję; z dniem doręczenia organowi \
                 oświadczenia o zrzeczeniu się prawa do wniesienia odwołania przez ostatnią ze stron decyzja \
                 staje się ostateczna i prawomocna (art. 127a KPA)."
            ),
        ),
    ]);
    let mut order = common("{podstawa}");
    order.extend([
        (
            Ruling,
            "POSTANOWIENIE\n\nW sprawie: {tytul} (znak: {znak}) postanawiam: ".to_owned(),
        ),
        (Justification, "UZASADNIENIE\n\n".to_owned()),
        (
            AppealInstruction,
            format!(
                "POUCZENIE\n\nNa niniejsze postanowienie służy zażalenie do {SKO} za pośrednictwem \
                 Burmistrza Borowca w terminie 7 dni od dnia jego doręczenia (art. 141 § 1 i 2 KPA)."
            ),
        ),
    ]);
    let mut summons = common(
        "art. 50 § 1 i art. 54 § 1 ustawy z dnia 14 czerwca 1960 r. – Kodeks postępowania administracyjnego",
    );
    summons.extend([
        (
            Content,
            "WEZWANIE\n\nWzywam do osobistego stawienia się w Urzędzie Miejskim w Borowcu, ul. Rynek 1, \
             pokój 12, w charakterze strony, w sprawie: {tytul} (znak: {znak}), w celu złożenia wyjaśnień. \
             Zamiast osobistego stawiennictwa można złożyć wyjaśnienia na piśmie."
                .to_owned(),
        ),
        (TermDays, "7".to_owned()),
        (
            Consequences,
            "Osoba wezwana, która bez uzasadnionej przyczyny nie stawi się ani nie złoży wyjaśnień, może \
             zostać ukarana grzywną (art. 88 § 1 KPA)."
                .to_owned(),
        ),
    ]);
    let mut defects = common(
        "art. 64 § 2 ustawy z dnia 14 czerwca 1960 r. – Kodeks postępowania administracyjnego",
    );
    defects.extend([
        (
            Content,
            "WEZWANIE DO USUNIĘCIA BRAKÓW FORMALNYCH\n\nW związku z wnioskiem z dnia {data_wplywu} w sprawie: \
             {tytul} (znak: {znak}) wzywam do usunięcia następujących braków formalnych wniosku: "
                .to_owned(),
        ),
        (TermDays, "7".to_owned()),
        (
            Consequences,
            "Nieusunięcie braków w wyznaczonym terminie spowoduje pozostawienie wniosku bez rozpoznania \
             (art. 64 § 2 KPA). Termin liczy się od dnia doręczenia wezwania."
                .to_owned(),
        ),
    ]);
    let mut fee = common(
        "art. 261 § 1 ustawy z dnia 14 czerwca 1960 r. – Kodeks postępowania administracyjnego \
         w związku z art. 1 ust. 1 i art. 6 ust. 1 ustawy z dnia 16 listopada 2006 r. o opłacie skarbowej",
    );
    fee.extend([
        (
            Content,
            "WEZWANIE DO UISZCZENIA OPŁATY SKARBOWEJ\n\nW związku z wnioskiem z dnia {data_wplywu} w sprawie: \
             {tytul} (znak: {znak}) wzywam do uiszczenia należnej opłaty skarbowej w kwocie {oplata} \
             gotówką w kasie Urzędu Miejskiego w Borowcu albo przelewem na rachunek {rachunek}, \
             tytułem: „Opłata skarbowa – {znak}”, i przedłożenia dowodu zapłaty."
                .to_owned(),
        ),
        (TermDays, "7".to_owned()),
        (
            Consequences,
            "Termin liczy się od dnia doręczenia wezwania. Nieuiszczenie opłaty w tym terminie spowoduje \
             zwrot podania (art. 261 § 2 KPA), co nastąpi w drodze postanowienia, na które służy zażalenie \
             (art. 261 § 3 KPA)."
                .to_owned(),
        ),
    ]);
    let mut evidence = common(
        "art. 10 § 1 ustawy z dnia 14 czerwca 1960 r. – Kodeks postępowania administracyjnego",
    );
    evidence.push((
        Content,
        "ZAWIADOMIENIE\n\nZawiadamiam, że w sprawie: {tytul} (znak: {znak}) zebrano materiał dowodowy. \
         Przed wydaniem decyzji strona może wypowiedzieć się co do zebranych dowodów i materiałów oraz \
         zgłoszonych żądań w terminie 7 dni od dnia doręczenia zawiadomienia, w Urzędzie Miejskim w Borowcu, \
         pokój 12, w godzinach pracy urzędu."
            .to_owned(),
    ));
    let mut delay = common(
        "art. 36 § 1 ustawy z dnia 14 czerwca 1960 r. – Kodeks postępowania administracyjnego",
    );
    delay.extend([
        (
            Reason,
            "ZAWIADOMIENIE\n\nSprawa: {tytul} (znak: {znak}), wszczęta w dniu {data_wplywu}, nie zostanie \
             załatwiona w terminie do {termin}, ponieważ "
                .to_owned(),
        ),
        (NewDate, String::new()),
        (
            PonaglenieInstruction,
            format!(
                "Stronie przysługuje prawo do wniesienia ponaglenia do {SKO} za pośrednictwem Burmistrza \
                 Borowca, jeżeli sprawa nie zostanie załatwiona w terminie (art. 37 § 1 i 3 KPA)."
            ),
        ),
    ]);
    let mut initiation = common(
        "art. 61 § 4 ustawy z dnia 14 czerwca 1960 r. – Kodeks postępowania administracyjnego",
    );
    initiation.push((
        Content,
        "ZAWIADOMIENIE O WSZCZĘCIU POSTĘPOWANIA\n\nZawiadamiam, że w dniu {data_wplywu} zostało wszczęte \
         postępowanie administracyjne w sprawie: {tytul} (znak: {znak}). Strona może czynnie uczestniczyć w \
         każdym stadium postępowania (art. 10 § 1 KPA), przeglądać akta sprawy, sporządzać z nich notatki i \
         kopie (art. 73 § 1 KPA) oraz zgłaszać wnioski dowodowe."
            .to_owned(),
    ));
    vec![
        (LetterKind::Decision, "Decyzja administracyjna", decision),
        (LetterKind::Order, "Postanowienie", order),
        (LetterKind::Summons, "Wezwanie do stawienia się", summons),
        (
            LetterKind::DefectSummons,
            "Wezwanie do usunięcia braków formalnych",
            defects,
        ),
        (
            LetterKind::FeeSummons,
            "Wezwanie do uiszczenia opłaty skarbowej",
            fee,
        ),
        (
            LetterKind::EvidenceNotice,
            "Zawiadomienie o zebraniu materiału dowodowego",
            evidence,
        ),
        (
            LetterKind::DelayNotice,
            "Zawiadomienie o niezałatwieniu sprawy w terminie",
            delay,
        ),
        (
            LetterKind::InitiationNotice,
            "Zawiadomienie o wszczęciu postępowania",
            initiation,
        ),
    ]
}

pub async fn actor(db: &Db, login: &str) -> anyhow::Result<Actor> {
    let user = crate::auth::users::find_by_login(db, login)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo account {login}"))?;
    Ok(Actor {
        user_id: Some(user.id),
        login: user.login,
        ip: None,
    })
}

pub async fn case_titled(db: &Db, title: &str) -> anyhow::Result<crate::cases::store::CaseFile> {
    let id: i64 = crate::with_db!(db, |c| {
        sqlx::query_scalar("SELECT id FROM case_file WHERE title = $1 ORDER BY id LIMIT 1")
            .bind(title)
            .fetch_one(c)
            .await
    })?;
    crate::cases::store::case_by_id(db, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo case {title}"))
}

/// A letter drafted in `case` from the template of `kind`, with `fill_in` written over
/// the template's gaps (what the official types).
pub async fn draft(
    db: &Db,
    by: &Actor,
    case: &crate::cases::store::CaseFile,
    kind: LetterKind,
    fill_in: &[(Element, &str)],
) -> anyhow::Result<i64> {
    let template = store::templates(db)
        .await?
        .into_iter()
        .find(|t| t.kind == kind)
        .ok_or_else(|| anyhow::anyhow!("demo template {kind}"))?;
    let office = crate::org::store::office(db).await?.unwrap_or_default();
    let parties = crate::cases::service::parties(db, case.id).await?;
    let (fee_due, fee_account) = crate::cases::service::fee_for_letters(db, case.id).await?;
    let data = LetterData {
        znak: case.znak.clone(),
        title: case.title.clone(),
        party_name: case.party_name.clone(),
        party_address: case.party_address.clone(),
        addressees: magistrat_domain::intake::addressee_lines(&parties),
        organ: format!(
            "{}\n{}\n{} {}",
            office.name, office.street, office.postal_code, office.city
        ),
        town: office.city.clone(),
        received_on: case.received().to_string(),
        due_on: case.due().to_string(),
        legal_basis: String::new(),
        today: db.clock().today().to_string(),
        information_clause: crate::rodo::service::letter_text(db)
            .await?
            .unwrap_or_default(),
        fee_due,
        fee_account,
    };
    let mut sections: Sections = template
        .sections()?
        .into_iter()
        .map(|(e, t)| (e, letters::fill(&t, &data)))
        .collect();
    for (e, text) in fill_in {
        let entry = sections.entry(*e).or_default();
        if *e == Element::LegalBasis || *e == Element::NewDate {
            *entry = (*text).to_owned();
        } else {
            entry.push_str(text);
        }
    }
    // The first letter of the case carries the information clause (KPA art. 61 § 5).
    let first = store::letters_of_case(db, case.id).await?.is_empty();
    let sections =
        letters::with_information_clause(kind, sections, &data.information_clause, first);
    let new = NewLetter {
        kind,
        template_id: Some(template.id),
        title: format!("{} — {}", Lang::Pl.t(&kind.label_key()), case.title),
        sections,
    };
    let mut tx = db.begin().await?;
    let letter = store::draft_letter(&mut tx, by, case, &new).await?;
    tx.commit().await?;
    Ok(letter.id)
}

pub async fn seed(db: &Db) -> anyhow::Result<()> {
    let system = Actor::system("demo");
    let mut tx = db.begin().await?;
    for (kind, name, sections) in templates() {
        let data = TemplateData {
            kind,
            name: name.to_owned(),
            sections: sections.into_iter().collect(),
            active: true,
        };
        store::create_template(&mut tx, &system, &data).await?;
    }
    tx.commit().await?;

    let head = actor(db, "kierownik").await?;
    let official = actor(db, "urzednik").await?;
    let hr = actor(db, "kadry").await?;
    let today = db.clock().today();

    // Jan Kowalski may sign certificates of the civil affairs department (class 5340)
    // in the burmistrz's name, from 1 January.
    let sa: i64 = crate::with_db!(db, |c| {
        sqlx::query_scalar("SELECT id FROM org_unit WHERE symbol = 'SA'")
            .fetch_one(c)
            .await
    })?;
    let mut tx = db.begin().await?;
    store::add_authorisation(
        &mut tx,
        &hr,
        &NewAuthorisation {
            user_id: official.user_id.unwrap_or_default(),
            org_unit_id: sa,
            jrwa_symbol: "5340".to_owned(),
            reference: format!("OR.0052.4.{}", today.year()),
            valid_from: jiff::civil::date(today.year(), 1, 1),
            valid_to: None,
        },
    )
    .await?;
    tx.commit().await?;

    // A decision on removing a registration: notice of initiation sent and delivered,
    // the notice under art. 10 § 1 signed and sent, the decision drafted.
    let case = case_titled(db, "Wymeldowanie decyzją, ul. Kościelna 3/5").await?;
    let basis = "art. 35 ust. 1 ustawy z dnia 24 września 2010 r. o ewidencji ludności \
                 (Dz.U. z 2022 r. poz. 1191 ze zm.) oraz art. 104 Kodeksu postępowania administracyjnego";
    let notice = draft(db, &official, &case, LetterKind::InitiationNotice, &[]).await?;
    walk(db, &head, &official, &case, notice, true).await?;
    let evidence = draft(db, &official, &case, LetterKind::EvidenceNotice, &[]).await?;
    walk(db, &head, &official, &case, evidence, false).await?;
    draft(
        db,
        &official,
        &case,
        LetterKind::Decision,
        &[
            (Element::LegalBasis, basis),
            (Element::Ruling, "wymeldować Helenę Baran z pobytu stałego w lokalu przy ul. Kościelnej 3/5 w Borowcu."),
        ],
    )
    .await?;

    // A summons to remove formal defects, accepted and waiting for the signature.
    let case = case_titled(db, "Wymeldowanie z pobytu stałego, ul. Polna 12").await?;
    let summons = draft(
        db,
        &official,
        &case,
        LetterKind::DefectSummons,
        &[(
            Element::Content,
            "brak podpisu wnioskodawcy na formularzu zgłoszenia wymeldowania.",
        )],
    )
    .await?;
    let mut tx = db.begin().await?;
    store::accept(&mut tx, &head, summons, today).await?;
    tx.commit().await?;
    Ok(())
}

/// Accepts and signs (by hand) a letter as the head, sends it by registered post with
/// a return receipt as the official, and, when `deliver`, records its delivery.
pub async fn walk(
    db: &Db,
    head: &Actor,
    official: &Actor,
    case: &crate::cases::store::CaseFile,
    id: i64,
    deliver: bool,
) -> anyhow::Result<()> {
    let today = db.clock().today();
    let letter = store::letter(db, id).await?;
    let subject = letter
        .map(|l| format!("{} {}", Lang::Pl.t(&l.kind.label_key()), l.identifier))
        .unwrap_or_default();
    let mut tx = db.begin().await?;
    store::accept(&mut tx, head, id, today).await?;
    store::sign(&mut tx, head, id, &Signature::Handwritten).await?;
    // The letter goes to the first party, or its pełnomocnik (KPA art. 40 § 2).
    let parties = crate::cases::service::parties(db, case.id).await?;
    let (recipient_name, recipient_address) = parties
        .first()
        .map(|p| {
            let to = magistrat_domain::intake::addressee(p);
            (to.name.to_owned(), to.address.to_owned())
        })
        .unwrap_or_else(|| (case.party_name.clone(), case.party_address.clone()));
    let how = Dispatch {
        channel: OutChannel::Post,
        letter_type: Some(LetterType::RegisteredReceipt),
        tracking_number: magistrat_domain::post::poczta_polska_number(
            5_000_000 + u64::try_from(id).unwrap_or_default(),
        ),
        recipient_name,
        recipient_address,
        electronic_address: String::new(),
        sent_on: today,
    };
    store::dispatch(&mut tx, official, case, id, &how, subject).await?;
    tx.commit().await?;
    if deliver {
        let letter = store::letter(db, id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo letter"))?;
        let item =
            crate::correspondence::store::outgoing(db, letter.outgoing_id.unwrap_or_default())
                .await?
                .ok_or_else(|| anyhow::anyhow!("demo outgoing item"))?;
        let mut tx = db.begin().await?;
        store::deliver(
            &mut tx,
            official,
            id,
            &item,
            &Delivery {
                delivered_on: today,
                note: "Zwrotne potwierdzenie odbioru podpisane przez adresata.".to_owned(),
            },
            None,
            today,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}
