//! The demo office: a fictional mid-size town, Borowiec (about 40 000 residents), with
//! the departments, staff and two locations a real city office has, one of them a
//! Residents' Service Point in a shopping centre with its own opening hours. Used by
//! the quick start, by `magistrat demo`, and by the tests.

use magistrat_domain::deadline::CaseKind;

use crate::auth::policy::{Grant, Role};
use crate::auth::users::{self, Login, NewUser};
use crate::db::Db;
use crate::db::audit::Actor;
use crate::org::store::{
    self, EmployeeData, LocationData, LocationKind, Office, OpeningHours, UnitData,
};
use crate::with_db;

/// Whether the database has no office yet (the demo seeds only such a database).
pub async fn is_empty(db: &Db) -> Result<bool, sqlx::Error> {
    let n: i64 = with_db!(db, |c| {
        sqlx::query_scalar("SELECT COUNT(*) FROM office")
            .fetch_one(c)
            .await
    })?;
    Ok(n == 0)
}

/// The year from which the demo units' symbols are valid.
const SINCE: i32 = 2024;

/// (symbol, name, parent symbol)
const UNITS: &[(&str, &str, Option<&str>)] = &[
    ("UM", "Urząd Miejski w Borowcu", None),
    ("OR", "Wydział Organizacyjny", Some("UM")),
    ("BOM", "Biuro Obsługi Mieszkańców", Some("OR")),
    ("SA", "Wydział Spraw Obywatelskich", Some("UM")),
    ("USC", "Urząd Stanu Cywilnego", Some("SA")),
    ("FN", "Wydział Finansowy", Some("UM")),
    ("FN-I", "Referat Podatków i Opłat Lokalnych", Some("FN")),
    ("FN-II", "Referat Księgowości", Some("FN")),
    (
        "GK",
        "Wydział Gospodarki Komunalnej i Ochrony Środowiska",
        Some("UM"),
    ),
    ("AB", "Wydział Architektury i Budownictwa", Some("UM")),
    (
        "GN",
        "Wydział Geodezji i Gospodarki Nieruchomościami",
        Some("UM"),
    ),
    ("WO", "Wydział Oświaty i Spraw Społecznych", Some("UM")),
    ("WO-I", "Referat Oświaty", Some("WO")),
    ("WO-II", "Referat Spraw Społecznych i Zdrowia", Some("WO")),
    ("IT", "Zespół Informatyki", Some("OR")),
];

/// (login, role, scope unit symbol, first name, last name, position, unit symbol)
type DemoStaff = (
    &'static str,
    Role,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);
const STAFF: &[DemoStaff] = &[
    (
        "admin",
        Role::Administrator,
        None,
        "Tomasz",
        "Wieczorek",
        "Informatyk, administrator systemu",
        "IT",
    ),
    (
        "kierownik",
        Role::Manager,
        Some("SA"),
        "Barbara",
        "Zielińska",
        "Naczelnik Wydziału",
        "SA",
    ),
    (
        "urzednik",
        Role::CaseOfficial,
        Some("SA"),
        "Jan",
        "Kowalski",
        "Inspektor",
        "SA",
    ),
    // The front desk (kancelaria ogólna) registers the mail of the whole office, so its
    // grant is not limited to its own unit.
    (
        "obsluga",
        Role::FrontDeskOfficial,
        None,
        "Anna",
        "Nowak",
        "Podinspektor ds. obsługi mieszkańców",
        "BOM",
    ),
    (
        "redaktor",
        Role::BipEditor,
        None,
        "Piotr",
        "Lewandowski",
        "Redaktor BIP",
        "OR",
    ),
    (
        "jakosc",
        Role::QualityOfficer,
        None,
        "Magdalena",
        "Wójcik",
        "Pełnomocnik ds. systemu zarządzania jakością",
        "OR",
    ),
    (
        "bezpieczenstwo",
        Role::SecurityOfficer,
        None,
        "Krzysztof",
        "Kamiński",
        "Inspektor ochrony danych",
        "OR",
    ),
    (
        "kadry",
        Role::Hr,
        None,
        "Ewa",
        "Szymańska",
        "Specjalista ds. kadr",
        "OR",
    ),
];

/// Employees without an account: (first, last, position, unit).
const OTHER_EMPLOYEES: &[(&str, &str, &str, &str)] = &[
    (
        "Halina",
        "Dąbrowska",
        "Kierownik Urzędu Stanu Cywilnego",
        "USC",
    ),
    ("Marek", "Jankowski", "Naczelnik Wydziału", "FN"),
    (
        "Agnieszka",
        "Mazur",
        "Inspektor ds. wymiaru podatków",
        "FN-I",
    ),
    ("Grzegorz", "Krawczyk", "Główny księgowy", "FN-II"),
    (
        "Joanna",
        "Piotrowska",
        "Inspektor ds. gospodarki odpadami",
        "GK",
    ),
    ("Łukasz", "Grabowski", "Inspektor ds. architektury", "AB"),
    ("Katarzyna", "Pawłowska", "Geodeta miejski", "GN"),
    ("Zofia", "Michalska", "Inspektor ds. oświaty", "WO-I"),
    (
        "Paweł",
        "Król",
        "Inspektor ds. zdrowia i spraw społecznych",
        "WO-II",
    ),
];

/// Seeds the demo office in one transaction and returns (login, role) of the accounts.
pub async fn seed(db: &Db, password: &str) -> anyhow::Result<Vec<(String, Role)>> {
    let actor = Actor::system("demo");
    let mut tx = db.begin().await?;
    store::save_office(&mut tx, &actor, None, &office()).await?;

    let mut unit_ids: Vec<(&str, i64)> = Vec::new();
    for (symbol, name, parent) in UNITS {
        let parent_id =
            parent.and_then(|p| unit_ids.iter().find(|(s, _)| *s == p).map(|(_, id)| *id));
        let data = UnitData {
            parent_id,
            symbol: (*symbol).to_owned(),
            name: (*name).to_owned(),
            valid_from_year: SINCE,
            valid_to_year: None,
        };
        unit_ids.push((symbol, store::create_unit(&mut tx, &actor, &data).await?));
    }
    let unit = |symbol: &str| {
        unit_ids
            .iter()
            .find(|(s, _)| *s == symbol)
            .map(|(_, id)| *id)
    };

    let mut accounts = Vec::new();
    for (login, role, scope, first, last, position, unit_symbol) in STAFF {
        let user = NewUser {
            login: Login::parse(login).map_err(|e| anyhow::anyhow!("demo login {login}: {e}"))?,
            display_name: format!("{first} {last}"),
            email: format!("{login}@borowiec.example.pl"),
            password: password.to_owned(),
            grants: vec![Grant {
                role: *role,
                org_unit_id: scope.and_then(unit),
            }],
        };
        let user_id = users::create(&mut tx, &actor, &user).await?;
        let employee = employee(
            first,
            last,
            position,
            unit(unit_symbol).unwrap_or_default(),
            Some(user_id),
        );
        store::create_employee(&mut tx, &actor, &employee).await?;
        accounts.push(((*login).to_owned(), *role));
    }
    for (first, last, position, unit_symbol) in OTHER_EMPLOYEES {
        let employee = employee(
            first,
            last,
            position,
            unit(unit_symbol).unwrap_or_default(),
            None,
        );
        store::create_employee(&mut tx, &actor, &employee).await?;
    }
    let town_hall = seed_locations(&mut tx, &actor).await?;
    seed_correspondence(&mut tx, &actor, &unit).await?;
    crate::service_cards::demo::seed(&mut tx, &actor, unit, town_hall).await?;
    crate::bip::demo::seed(&mut tx, &actor).await?;
    tx.commit().await?;
    seed_cases(db).await?;
    // The clause before the letters: a case's first letter carries it.
    crate::rodo::demo::seed(db).await?;
    crate::case_documents::demo::seed(db).await?;
    crate::service_point::demo::seed(db, &["obsluga", "kierownik"]).await?;
    crate::appeals::demo::seed(db).await?;
    crate::satisfaction::demo::seed(db).await?;
    crate::problem_reports::demo::seed(db).await?;
    crate::archive::demo::seed(db, "kierownik").await?;
    crate::cases::demo::seed(db).await?;
    crate::news::demo::seed(db, "redaktor").await?;
    crate::surveys::demo::seed(db).await?;
    Ok(accounts)
}

/// (unit, JRWA class, kind, subject, party, days since receipt, official's login,
/// steps, petitioner's consent to publication)
type DemoCase = (
    &'static str,
    &'static str,
    CaseKind,
    &'static str,
    &'static str,
    i64,
    Option<&'static str>,
    &'static [&'static str],
    bool,
);

const CASES: &[DemoCase] = &[
    (
        "SA",
        "5310",
        CaseKind::AdministrativeSimple,
        "Zameldowanie na pobyt stały, ul. Lipowa 4",
        "Katarzyna Nowicka",
        3,
        Some("urzednik"),
        &["start"],
        false,
    ),
    (
        "SA",
        "5310",
        CaseKind::AdministrativeSimple,
        "Wymeldowanie z pobytu stałego, ul. Polna 12",
        "Roman Sikora",
        24,
        Some("urzednik"),
        &["start"],
        false,
    ),
    (
        "SA",
        "5310",
        CaseKind::AdministrativeSimple,
        "Wymeldowanie decyzją, ul. Kościelna 3/5",
        "Helena Baran",
        40,
        Some("urzednik"),
        &["start"],
        false,
    ),
    (
        "SA",
        "5340",
        CaseKind::Certificate,
        "Zaświadczenie o utracie dowodu osobistego",
        "Michał Wróbel",
        2,
        Some("urzednik"),
        &[],
        false,
    ),
    (
        "SA",
        "5311",
        CaseKind::Certificate,
        "Udostępnienie danych z rejestru mieszkańców",
        "Kancelaria Adwokacka Lis i Wspólnicy",
        10,
        Some("urzednik"),
        &["start"],
        false,
    ),
    (
        "SA",
        "5310",
        CaseKind::AdministrativeSimple,
        "Zameldowanie cudzoziemca na pobyt czasowy",
        "Olena Kowalenko",
        15,
        None,
        &[],
        false,
    ),
    (
        "SA",
        "5310",
        CaseKind::AdministrativeComplex,
        "Wymeldowanie z urzędu, ul. Ogrodowa 8",
        "Wspólnota Mieszkaniowa Ogrodowa 8",
        25,
        Some("urzednik"),
        &["start", "suspend"],
        false,
    ),
    (
        "SA",
        "5310",
        CaseKind::AdministrativeSimple,
        "Zameldowanie na pobyt stały, os. Słoneczne 2/14",
        "Adam Głowacki",
        30,
        Some("urzednik"),
        &["start", "settle"],
        false,
    ),
    (
        "SA",
        "5310",
        CaseKind::AdministrativeSimple,
        "Zameldowanie na pobyt czasowy, ul. Szkolna 7",
        "Ewelina Kaczmarek",
        35,
        Some("urzednik"),
        &["start", "settle", "close"],
        false,
    ),
    (
        "SA",
        "1431",
        CaseKind::PublicInformation,
        "Informacja o liczbie zameldowań w 2025 r.",
        "Stowarzyszenie Obywatelski Borowiec",
        5,
        Some("urzednik"),
        &["start"],
        false,
    ),
    (
        "SA",
        "1431",
        CaseKind::PublicInformation,
        "Kopie umów na obsługę systemu meldunkowego",
        "Fundacja Jawność",
        12,
        Some("urzednik"),
        &["start", "delay_notice"],
        false,
    ),
    (
        "SA",
        "1431",
        CaseKind::PublicInformation,
        "Liczba wydanych dowodów osobistych",
        "Jan Malinowski",
        30,
        Some("kierownik"),
        &["start", "settle"],
        false,
    ),
    (
        "SA",
        "5310",
        CaseKind::AdministrativeSimple,
        "Zmiana stanu cywilnego w rejestrze mieszkańców",
        "Tadeusz Zając",
        6,
        None,
        &["transfer"],
        false,
    ),
    (
        "USC",
        "5361",
        CaseKind::AdministrativeComplex,
        "Zmiana nazwiska",
        "Monika Pietrzak",
        12,
        None,
        &[],
        false,
    ),
    (
        "OR",
        "1431",
        CaseKind::PublicInformation,
        "Wydatki na promocję miasta w 2025 r.",
        "Redakcja „Gazety Borowieckiej”",
        3,
        None,
        &[],
        false,
    ),
    (
        "OR",
        "1510",
        CaseKind::ComplaintOrMotion,
        "Skarga na przewlekłe załatwianie sprawy meldunkowej",
        "Roman Sikora",
        8,
        None,
        &[],
        false,
    ),
    (
        "OR",
        "1510",
        CaseKind::ComplaintOrMotion,
        "Skarga na zachowanie pracownika BOM",
        "Grażyna Lis",
        40,
        None,
        &["assign_admin", "start", "settle"],
        false,
    ),
    (
        "OR",
        "1510",
        CaseKind::ComplaintOrMotion,
        "Wniosek o otwarcie BOM w soboty",
        "Rada Osiedla Słoneczne",
        20,
        None,
        &[],
        false,
    ),
    (
        "OR",
        "1511",
        CaseKind::ComplaintOrMotion,
        "Skarga na działanie powiatowego zarządu dróg",
        "Zbigniew Kurek",
        9,
        None,
        &["forward"],
        false,
    ),
    (
        "OR",
        "1520",
        CaseKind::Petition,
        "Budowa ścieżki rowerowej wzdłuż ul. Poznańskiej",
        "Borowiecka Masa Krytyczna",
        30,
        None,
        &[],
        true,
    ),
    (
        "OR",
        "1520",
        CaseKind::Petition,
        "Oświetlenie ul. Leśnej",
        "Mieszkańcy ul. Leśnej",
        70,
        None,
        &["assign_admin", "start", "settle"],
        false,
    ),
    (
        "OR",
        "1520",
        CaseKind::Petition,
        "Nadanie skwerowi imienia Ireny Sendlerowej",
        "Szkoła Podstawowa nr 2 w Borowcu",
        10,
        None,
        &[],
        true,
    ),
    (
        "FN-I",
        "3100",
        CaseKind::AdministrativeSimple,
        "Korekta wymiaru podatku od nieruchomości",
        "Piotr Adamczyk",
        14,
        None,
        &[],
        false,
    ),
    (
        "FN-I",
        "3110",
        CaseKind::AdministrativeSimple,
        "Umorzenie zaległości w podatku od nieruchomości",
        "Zakład Stolarski Drewbor",
        45,
        None,
        &[],
        false,
    ),
    (
        "GK",
        "6131",
        CaseKind::AdministrativeSimple,
        "Zezwolenie na usunięcie dwóch lip, ul. Parkowa",
        "Parafia św. Jakuba",
        9,
        None,
        &[],
        false,
    ),
    (
        "GK",
        "6220",
        CaseKind::AdministrativeComplex,
        "Środowiskowe uwarunkowania dla hali magazynowej",
        "Logistyka Borowiec sp. z o.o.",
        50,
        None,
        &[],
        false,
    ),
    (
        "AB",
        "6730",
        CaseKind::AdministrativeComplex,
        "Warunki zabudowy dla domu jednorodzinnego, dz. 112/4",
        "Anna i Marek Wiśniewscy",
        25,
        None,
        &[],
        false,
    ),
    (
        "AB",
        "6733",
        CaseKind::AdministrativeComplex,
        "Lokalizacja inwestycji celu publicznego: stacja bazowa",
        "Telekomunikacja Polska Zachód S.A.",
        70,
        None,
        &[],
        false,
    ),
    (
        "GN",
        "6840",
        CaseKind::AdministrativeSimple,
        "Nabycie działki nr 45/2 na poprawę zagospodarowania",
        "Krzysztof Dudek",
        18,
        None,
        &[],
        false,
    ),
    (
        "WO-II",
        "7810",
        CaseKind::AdministrativeSimple,
        "Zezwolenie na sprzedaż napojów alkoholowych",
        "Sklep Spożywczy „Pod Lipami”",
        5,
        None,
        &[],
        false,
    ),
    (
        "WO-I",
        "7411",
        CaseKind::AdministrativeSimple,
        "Zwrot kosztów dowozu ucznia niepełnosprawnego",
        "Beata Szulc",
        28,
        None,
        &[],
        false,
    ),
    (
        "SA",
        "5310",
        CaseKind::AdministrativeSimple,
        "Wymeldowanie z pobytu stałego, ul. Leśna 9",
        "Zbigniew Adamczyk",
        32,
        Some("urzednik"),
        &["start"],
        false,
    ),
];

/// The demo account `login` as the actor of its steps.
async fn user(db: &Db, login: &str) -> Result<Option<Actor>, sqlx::Error> {
    Ok(users::find_by_login(db, login).await?.map(|u| Actor {
        user_id: Some(u.id),
        login: u.login,
        ip: None,
    }))
}

/// Registers the demo cases relative to today: some due soon, some overdue, in every
/// state, with complaints, petitions and public-information requests. Each case and
/// each step in its own transaction, as in the application.
#[allow(
    clippy::too_many_lines,
    reason = "demo data: one long list of cases reads best as one table"
)]
async fn seed_cases(db: &Db) -> anyhow::Result<()> {
    use crate::cases::store::{self as cases, Channel, NewCase, Step};
    let system = Actor::system("demo");
    // The office's clock: with MAGISTRAT_CLOCK the demo is a consistent picture of that day.
    let today = db.clock().today();
    let year = i32::from(today.year());
    // Cases received late last year are registered in last year's wykaz.
    cases::ensure_jrwa(db, &system, year).await?;
    cases::ensure_jrwa(db, &system, year - 1).await?;
    let units = store::units(db).await?;
    let admin = user(db, "admin").await?.unwrap_or_else(|| system.clone());
    let days = |n: i64| {
        today
            .checked_sub(jiff::Span::new().days(n))
            .unwrap_or(today)
    };
    for (unit, class, kind, title, party, ago, official, steps, consent) in CASES {
        let Some(unit_id) = units.iter().find(|u| u.symbol == *unit).map(|u| u.id) else {
            continue;
        };
        let official = match official {
            Some(login) => user(db, login).await?,
            None => None,
        };
        let received = days(*ago);
        let new = NewCase {
            unit_id,
            jrwa_symbol: (*class).to_owned(),
            kind: *kind,
            title: (*title).to_owned(),
            party_name: (*party).to_owned(),
            party_address: "62-300 Borowiec".to_owned(),
            party_email: String::new(),
            publish_consent: *consent,
            received_on: received,
            channel: if *ago % 3 == 0 {
                Channel::Epuap
            } else {
                Channel::Post
            },
            correspondence_id: None,
            official_id: official.as_ref().and_then(|a| a.user_id),
        };
        let registrar = official.clone().unwrap_or_else(|| system.clone());
        let mut tx = db.begin().await?;
        let case = cases::register_case(&mut tx, &registrar, new)
            .await
            .map_err(|e| anyhow::anyhow!("demo case {title}: {e}"))?;
        tx.commit().await?;
        let worker = official.clone().unwrap_or_else(|| admin.clone());
        let half = days(ago / 2);
        for step in steps.iter() {
            let (actor, step) = match *step {
                "assign_admin" => (
                    system.clone(),
                    Step::Assign {
                        official_id: admin.user_id.unwrap_or_default(),
                    },
                ),
                "start" => (worker.clone(), Step::Start),
                "suspend" => (
                    worker.clone(),
                    Step::Suspend {
                        on: half,
                        reason: "Do czasu rozstrzygnięcia sprawy o ustalenie prawa do lokalu przez sąd (art. 97 § 1 pkt 4 KPA).".to_owned(),
                    },
                ),
                "settle" => (
                    worker.clone(),
                    Step::Settle {
                        on: half,
                        outcome: match kind {
                            CaseKind::ComplaintOrMotion => "Skargę uznano za bezzasadną; odpowiedź wysłano pismem.".to_owned(),
                            CaseKind::Petition => "Petycję uwzględniono; zadanie wpisano do planu inwestycji.".to_owned(),
                            CaseKind::PublicInformation => "Informację udostępniono pocztą elektroniczną.".to_owned(),
                            _ => "Wydano decyzję zgodną z wnioskiem.".to_owned(),
                        },
                    },
                ),
                "close" => (worker.clone(), Step::Close),
                "delay_notice" => (
                    worker.clone(),
                    Step::DelayNotice {
                        issued_on: half,
                        new_due: case
                            .due_date
                            .checked_add(jiff::Span::new().days(21))
                            .unwrap_or(case.due_date),
                        reason: "Wniosek obejmuje dokumenty z kilku lat, które trzeba odszukać w archiwum zakładowym (art. 13 ust. 2 UDIP).".to_owned(),
                    },
                ),
                "forward" => (
                    admin.clone(),
                    Step::Forward {
                        body: "Zarząd Powiatu Borowieckiego".to_owned(),
                        note: "Sprawa dotyczy drogi powiatowej (art. 231 KPA).".to_owned(),
                    },
                ),
                "transfer" => match units.iter().find(|u| u.symbol == "USC") {
                    Some(usc) => (
                        system.clone(),
                        Step::Transfer {
                            unit_id: usc.id,
                            note: "Sprawa należy do Urzędu Stanu Cywilnego.".to_owned(),
                        },
                    ),
                    None => continue,
                },
                _ => continue,
            };
            let mut tx = db.begin().await?;
            cases::apply_step(&mut tx, &actor, case.id, step)
                .await
                .map_err(|e| anyhow::anyhow!("demo case {title}: {e}"))?;
            tx.commit().await?;
        }
    }
    Ok(())
}

fn office() -> Office {
    Office {
        name: "Urząd Miejski w Borowcu".into(),
        short_name: "UM Borowiec".into(),
        street: "Rynek 1".into(),
        postal_code: "62-300".into(),
        city: "Borowiec".into(),
        // Fictional numbers with valid check digits.
        nip: "7750012347".into(),
        regon: "651234716".into(),
        bip_url: "https://bip.borowiec.example.pl".into(),
        email: "urzad@borowiec.example.pl".into(),
        phone: "+48 61 555 01 00".into(),
        epuap: "/umborowiec/SkrytkaESP".into(),
        fee_account: crate::service_cards::demo::OFFICE_ACCOUNT.to_owned(),
    }
}

fn employee(
    first: &str,
    last: &str,
    position: &str,
    unit: i64,
    user_id: Option<i64>,
) -> EmployeeData {
    let initials: String = [first, last]
        .iter()
        .filter_map(|s| s.chars().next())
        .collect();
    EmployeeData {
        user_id,
        org_unit_id: unit,
        first_name: first.to_owned(),
        last_name: last.to_owned(),
        position: position.to_owned(),
        initials: initials.to_uppercase(),
        email: format!("{}.{}@borowiec.example.pl", ascii(first), ascii(last)),
        phone: "+48 61 555 01 00".to_owned(),
        active: true,
    }
}

/// Lowercase ASCII for e-mail addresses (ą → a, ł → l, …).
fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_lowercase().next().unwrap_or(c) {
            'ą' => 'a',
            'ć' => 'c',
            'ę' => 'e',
            'ł' => 'l',
            'ń' => 'n',
            'ó' => 'o',
            'ś' => 's',
            'ź' | 'ż' => 'z',
            other => other,
        })
        .collect()
}

/// Seeds the two locations; returns the town hall's id.
async fn seed_locations(tx: &mut crate::db::Tx, actor: &Actor) -> anyhow::Result<i64> {
    let town_hall = LocationData {
        kind: LocationKind::Building,
        name: "Ratusz".into(),
        street: "Rynek 1".into(),
        postal_code: "62-300".into(),
        city: "Borowiec".into(),
        directions: "Wejście główne od Rynku; Biuro Obsługi Mieszkańców na parterze, pokoje 1–6.".into(),
        accessibility: "Wejście bez progów od ul. Kościelnej, winda, toaleta dla osób z niepełnosprawnościami, pętla indukcyjna w BOM.".into(),
        active: true,
    };
    let id = store::create_location(tx, actor, &town_hall).await?;
    let town_hall_id = id;
    // Longer on Monday for people who work, shorter on Friday: the usual office week.
    let hours = week(
        id,
        &[
            (1, "08:00", "17:00"),
            (2, "07:30", "15:30"),
            (3, "07:30", "15:30"),
            (4, "07:30", "15:30"),
            (5, "07:30", "14:30"),
        ],
    );
    store::set_opening_hours(tx, actor, id, &[], &hours).await?;
    store::add_closure(
        tx,
        actor,
        id,
        jiff::civil::date(2027, 4, 30),
        "Dzień wolny za święto 1 maja przypadające w sobotę",
    )
    .await?;

    let mall = LocationData {
        kind: LocationKind::ServicePoint,
        name: "Punkt Obsługi Mieszkańców w Galerii Borowiec".into(),
        street: "ul. Poznańska 120".into(),
        postal_code: "62-300".into(),
        city: "Borowiec".into(),
        directions: "Centrum handlowe Galeria Borowiec, poziom 0, obok wejścia od parkingu.".into(),
        accessibility: "Parking z miejscami dla osób z niepełnosprawnościami, winda, brak progów."
            .into(),
        active: true,
    };
    let id = store::create_location(tx, actor, &mall).await?;
    let hours = week(
        id,
        &[
            (1, "10:00", "18:00"),
            (2, "10:00", "18:00"),
            (3, "10:00", "18:00"),
            (4, "10:00", "18:00"),
            (5, "10:00", "18:00"),
            (6, "10:00", "14:00"),
        ],
    );
    store::set_opening_hours(tx, actor, id, &[], &hours).await?;
    store::add_closure(
        tx,
        actor,
        id,
        jiff::civil::date(2026, 12, 31),
        "Inwentaryzacja w centrum handlowym",
    )
    .await?;
    Ok(town_hall_id)
}

fn week(location_id: i64, days: &[(i32, &str, &str)]) -> Vec<OpeningHours> {
    days.iter()
        .map(|(weekday, opens, closes)| OpeningHours {
            location_id,
            weekday: *weekday,
            opens: (*opens).to_owned(),
            closes: (*closes).to_owned(),
        })
        .collect()
}

/// Incoming items: (days ago, hour, channel, sender, subject, unit symbol, with a PDF).
const INCOMING: &[(i64, i8, &str, &str, &str, &str, bool)] = &[
    (
        29,
        8,
        "post",
        "Jan Nowak",
        "Wniosek o wydanie zaświadczenia o zameldowaniu",
        "SA",
        true,
    ),
    (
        28,
        9,
        "epuap",
        "Maria Wiśniewska",
        "Wniosek o udostępnienie informacji publicznej",
        "OR",
        true,
    ),
    (
        28,
        11,
        "counter",
        "Stanisław Kaczmarek",
        "Zgłoszenie zmiany danych do podatku od nieruchomości",
        "FN-I",
        false,
    ),
    (
        27,
        10,
        "edoreczenia",
        "Wojewoda Wielkopolski",
        "Zawiadomienie o kontroli realizacji zadań zleconych",
        "OR",
        true,
    ),
    (
        27,
        13,
        "email",
        "Fundacja Zielony Borowiec",
        "Propozycja wspólnej akcji sprzątania lasu",
        "GK",
        false,
    ),
    (
        26,
        8,
        "post",
        "Regionalna Izba Obrachunkowa w Poznaniu",
        "Uchwała w sprawie opinii o projekcie budżetu",
        "FN",
        true,
    ),
    (
        25,
        9,
        "counter",
        "Elżbieta Lewandowska",
        "Wniosek o wydanie odpisu aktu urodzenia",
        "USC",
        false,
    ),
    (
        25,
        12,
        "eservice",
        "Tomasz Zieliński",
        "Deklaracja o wysokości opłaty za gospodarowanie odpadami",
        "GK",
        true,
    ),
    (
        24,
        10,
        "post",
        "Spółdzielnia Mieszkaniowa „Słoneczna”",
        "Wniosek o podział nieruchomości",
        "GN",
        true,
    ),
    (
        22,
        9,
        "epuap",
        "Krzysztof Mazur",
        "Wniosek o wydanie decyzji o warunkach zabudowy",
        "AB",
        true,
    ),
    (
        21,
        14,
        "counter",
        "Anna Kowalczyk",
        "Wniosek o dodatek mieszkaniowy",
        "WO-II",
        false,
    ),
    (
        20,
        8,
        "post",
        "Sąd Rejonowy w Borowcu",
        "Zapytanie o adres zameldowania",
        "SA",
        true,
    ),
    (
        19,
        10,
        "edoreczenia",
        "Zakład Ubezpieczeń Społecznych",
        "Informacja o zaległościach płatnika",
        "FN-II",
        true,
    ),
    (
        18,
        11,
        "email",
        "Szkoła Podstawowa nr 2 w Borowcu",
        "Arkusz organizacyjny na nowy rok szkolny",
        "WO-I",
        true,
    ),
    (
        17,
        9,
        "counter",
        "Piotr Wójcik",
        "Skarga na przewlekłe załatwianie sprawy",
        "OR",
        false,
    ),
    (
        15,
        13,
        "post",
        "Powiatowy Inspektorat Nadzoru Budowlanego",
        "Postanowienie w sprawie samowoli budowlanej",
        "AB",
        true,
    ),
    (
        14,
        8,
        "epuap",
        "Katarzyna Dąbrowska",
        "Wniosek o wpis do CEIDG — zmiana adresu",
        "SA",
        false,
    ),
    (
        13,
        10,
        "eservice",
        "Marek Szymański",
        "Wniosek o zwrot podatku akcyzowego",
        "FN-I",
        true,
    ),
    (
        12,
        12,
        "post",
        "Urząd Skarbowy w Borowcu",
        "Informacja o zaległościach podatkowych",
        "FN-I",
        false,
    ),
    (
        11,
        9,
        "counter",
        "Rada Osiedla Północ",
        "Wniosek o ustawienie progów zwalniających",
        "GK",
        false,
    ),
    (
        10,
        11,
        "edoreczenia",
        "Kancelaria Radcy Prawnego B. Nowicka",
        "Wezwanie do zapłaty",
        "OR",
        true,
    ),
    (
        8,
        8,
        "email",
        "Jadwiga Pawlak",
        "Pytanie o terminy ślubów cywilnych",
        "USC",
        false,
    ),
    (
        7,
        10,
        "post",
        "Starostwo Powiatowe w Borowcu",
        "Zawiadomienie o wszczęciu postępowania",
        "GN",
        true,
    ),
    (
        6,
        14,
        "epuap",
        "Adam Grabowski",
        "Wniosek o zajęcie pasa drogowego",
        "GK",
        true,
    ),
    (
        5,
        9,
        "counter",
        "Teresa Michalak",
        "Wniosek o wydanie karty dużej rodziny",
        "WO-II",
        false,
    ),
    (
        4,
        12,
        "eservice",
        "Paweł Król",
        "Zgłoszenie awarii oświetlenia ulicznego",
        "GK",
        false,
    ),
    (
        3,
        8,
        "post",
        "Poczta Polska S.A.",
        "Zwrot nieodebranej przesyłki",
        "BOM",
        false,
    ),
    (
        2,
        10,
        "edoreczenia",
        "Gmina Lipowo",
        "Porozumienie w sprawie transportu uczniów",
        "WO-I",
        true,
    ),
    (
        1,
        9,
        "counter",
        "Irena Jabłońska",
        "Wniosek o przydział lokalu socjalnego",
        "WO-II",
        true,
    ),
    (
        0,
        8,
        "email",
        "Borowieckie Towarzystwo Kultury",
        "Wniosek o patronat burmistrza",
        "OR",
        false,
    ),
];

/// Outgoing items.
/// (days ago, channel, letter type, recipient, subject, unit symbol)
type DemoOutgoing = (
    i64,
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
);
const OUTGOING: &[DemoOutgoing] = &[
    (
        26,
        "post",
        Some("registered_receipt"),
        "Jan Nowak",
        "Zaświadczenie o zameldowaniu",
        "SA",
    ),
    (
        24,
        "epuap",
        None,
        "Maria Wiśniewska",
        "Udostępnienie informacji publicznej",
        "OR",
    ),
    (
        20,
        "edoreczenia",
        None,
        "Wojewoda Wielkopolski",
        "Odpowiedź na zawiadomienie o kontroli",
        "OR",
    ),
    (
        16,
        "post",
        Some("registered"),
        "Sąd Rejonowy w Borowcu",
        "Informacja o adresie zameldowania",
        "SA",
    ),
    (
        9,
        "email",
        None,
        "Fundacja Zielony Borowiec",
        "Odpowiedź w sprawie akcji sprzątania",
        "GK",
    ),
    (
        3,
        "in_person",
        None,
        "Elżbieta Lewandowska",
        "Odpis aktu urodzenia",
        "USC",
    ),
];

#[allow(
    clippy::too_many_lines,
    reason = "demo data: one long list of letters reads best as one table"
)]
async fn seed_correspondence(
    tx: &mut crate::db::Tx,
    actor: &Actor,
    unit: &dyn Fn(&str) -> Option<i64>,
) -> anyhow::Result<()> {
    use crate::attachments;
    use crate::correspondence::store;
    use crate::correspondence::{
        Channel, ChannelIds, LetterType, NewIncoming, NewOutgoing, OutChannel, Sender,
    };
    use crate::db::UtcTime;

    let now = tx.now();
    let limits = attachments::Limits::default();
    for (i, (days, hour, channel, sender, subject, unit_symbol, pdf)) in INCOMING.iter().enumerate()
    {
        let channel = Channel::parse(channel).ok_or_else(|| anyhow::anyhow!("demo channel"))?;
        let day = now
            .in_warsaw()
            .date()
            .checked_sub(jiff::Span::new().days(*days))?;
        let received = day
            .at(*hour, 15, 0, 0)
            .to_zoned(crate::WARSAW.clone())?
            .timestamp();
        // Today's early items may lie ahead of the clock: never register the future.
        let received_at = UtcTime::from_timestamp(received.min(now.0));
        let slug = ascii(&sender.replace(' ', "").to_lowercase());
        let slug: String = slug.chars().filter(char::is_ascii_alphanumeric).collect();
        let mut item = NewIncoming {
            channel,
            received_at,
            sender: Sender {
                name: (*sender).to_owned(),
                address: "ul. Przykładowa 1\n62-300 Borowiec".to_owned(),
                email: if channel == Channel::Email {
                    format!("{slug}@example.pl")
                } else {
                    String::new()
                },
                epuap: if channel == Channel::Epuap {
                    format!("/{slug}/skrytka")
                } else {
                    String::new()
                },
                ade: if channel == Channel::Edoreczenia {
                    format!("AE:PL-{:05}-{:05}-ABCDE-{:02}", 10_000 + i, 20_000 + i, i)
                } else {
                    String::new()
                },
            },
            sender_reference: if channel == Channel::Post || channel == Channel::Edoreczenia {
                format!("ZN.{}.{}.2026", 100 + i, i + 1)
            } else {
                String::new()
            },
            // A letter is dated a few days before it arrives.
            sender_dated_on: (channel == Channel::Post || channel == Channel::Edoreczenia)
                .then(|| {
                    received_at
                        .in_warsaw()
                        .date()
                        .checked_sub(jiff::Span::new().days(3))
                        .ok()
                })
                .flatten(),
            // A letter by post was posted the day before it arrived (art. 57 § 5 pkt 2).
            posted_on: (channel == Channel::Post)
                .then(|| received_at.in_warsaw().date().yesterday().ok())
                .flatten(),
            subject: (*subject).to_owned(),
            channel_ids: ChannelIds {
                epuap_upp_id: if channel == Channel::Epuap {
                    format!("UPP-2026-{:06}", 4_000 + i)
                } else {
                    String::new()
                },
                edoreczenia_message_id: if channel == Channel::Edoreczenia {
                    format!("ED-{:08}", 81_000 + i)
                } else {
                    String::new()
                },
                ..ChannelIds::default()
            },
            pages: (channel == Channel::Post || channel == Channel::Counter).then_some(2),
            paper_attachments: (channel == Channel::Post).then_some(1),
            org_unit_id: unit(unit_symbol).unwrap_or_default(),
            case_id: None,
            notes: String::new(),
            attachments: Vec::new(),
            proofs: Vec::new(),
        };
        if *pdf {
            let file = attachments::check(
                &format!("pismo-{}.pdf", i + 1),
                Some("application/pdf"),
                &attachments::tiny_pdf(subject),
                &limits,
            )?;
            item.attachments
                .push(attachments::store(tx, actor, &file).await?.0);
        }
        store::register_incoming(tx, actor, &item)
            .await
            .map_err(|e| anyhow::anyhow!("demo incoming item: {e}"))?;
    }
    for (days, channel, letter, recipient, subject, unit_symbol) in OUTGOING {
        let channel = OutChannel::parse(channel).ok_or_else(|| anyhow::anyhow!("demo channel"))?;
        let electronic_address = match channel {
            OutChannel::Email => "biuro@zielonyborowiec.example.pl".to_owned(),
            OutChannel::Epuap => "/mwisniewska/skrytka".to_owned(),
            OutChannel::Edoreczenia => "AE:PL-30000-40000-ABCDE-01".to_owned(),
            _ => String::new(),
        };
        let letter_type = letter.and_then(LetterType::parse);
        // A registered letter carries its numer nadania (Poczta Polska's 20 digits).
        let tracking_number = match letter_type {
            Some(LetterType::Registered | LetterType::RegisteredReceipt) => {
                magistrat_domain::post::poczta_polska_number(
                    4_210_840 + u64::try_from(*days).unwrap_or_default(),
                )
            }
            _ => String::new(),
        };
        let item = NewOutgoing {
            channel,
            letter_type,
            tracking_number,
            recipient_name: (*recipient).to_owned(),
            recipient_address: "ul. Przykładowa 1, 62-300 Borowiec".to_owned(),
            electronic_address,
            subject: (*subject).to_owned(),
            sent_on: now
                .in_warsaw()
                .date()
                .checked_sub(jiff::Span::new().days(*days))?,
            org_unit_id: unit(unit_symbol).unwrap_or_default(),
            case_id: None,
            notes: String::new(),
            attachments: Vec::new(),
        };
        store::register_outgoing(tx, actor, &item)
            .await
            .map_err(|e| anyhow::anyhow!("demo outgoing item: {e}"))?;
    }
    Ok(())
}
