//! The demo office: a fictional mid-size town, Borowiec (about 40 000 residents), with
//! the departments, staff and two locations a real city office has, one of them a
//! Residents' Service Point in a shopping centre with its own opening hours. Used by
//! the quick start, by `magistrat demo`, and by the tests.

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
    (
        "obsluga",
        Role::FrontDeskOfficial,
        Some("BOM"),
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
    crate::service_cards::demo::seed(&mut tx, &actor, unit, town_hall).await?;
    tx.commit().await?;
    Ok(accounts)
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
