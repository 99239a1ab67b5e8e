//! The demo town's reports: its area (a box around Borowiec), the Open311
//! jurisdiction, eleven report categories and about three hundred reports over the
//! last four months, spread over the town and in every status, each with its public
//! history. The reports go in as a few multi-row inserts (the demo seeds every test's
//! database) and one audit event.

use magistrat_domain::problem_report as pr;

use super::store::{self, AreaRow, Attribute, CategoryData};
use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, UtcTime};

/// The box of the demo town (WGS84).
pub const AREA: (f64, f64, f64, f64) = (52.10, 21.15, 52.18, 21.30);
/// How many reports the demo holds.
pub const REPORTS: usize = 300;

fn list(
    code: &str,
    description: &str,
    required: bool,
    order: u32,
    values: &[(&str, &str)],
) -> Attribute {
    Attribute {
        code: code.into(),
        datatype: "singlevaluelist".into(),
        required,
        description: description.into(),
        datatype_description: String::new(),
        order,
        values: values
            .iter()
            .map(|(k, n)| ((*k).to_owned(), (*n).to_owned()))
            .collect(),
    }
}

fn plain(code: &str, datatype: &str, description: &str, order: u32) -> Attribute {
    Attribute {
        code: code.into(),
        datatype: datatype.into(),
        required: false,
        description: description.into(),
        datatype_description: String::new(),
        order,
        values: Vec::new(),
    }
}

/// (code, name, group, keywords, term in days, public description)
const CATEGORIES: &[(&str, &str, &str, &str, i32, &str)] = &[
    (
        "DZIURA",
        "Dziura w jezdni lub chodniku",
        "Drogi",
        "dziura,jezdnia,chodnik,wyrwa",
        14,
        "Ubytki nawierzchni dróg gminnych, chodników i parkingów. Drogi powiatowe i wojewódzkie przekazujemy zarządcy.",
    ),
    (
        "OSWIETLENIE",
        "Niedziałająca latarnia",
        "Drogi",
        "latarnia,oświetlenie,lampa",
        7,
        "Latarnie uliczne, które nie świecą, mrugają lub świecą w dzień. Podaj numer słupa, jeśli go widać.",
    ),
    (
        "ZNAK",
        "Uszkodzony lub brakujący znak drogowy",
        "Drogi",
        "znak,oznakowanie,lustro",
        7,
        "Znaki i lustra drogowe przewrócone, zasłonięte lub zniszczone.",
    ),
    (
        "SNIEG",
        "Zalegający śnieg lub gołoledź",
        "Zima",
        "śnieg,lód,odśnieżanie,gołoledź",
        2,
        "Nieodśnieżone drogi i chodniki gminne, przystanki, śliskie przejścia.",
    ),
    (
        "SMIECI",
        "Dzikie wysypisko śmieci",
        "Czystość",
        "śmieci,odpady,wysypisko",
        10,
        "Odpady porzucone poza pojemnikami: w lesie, przy drodze, na działce gminnej.",
    ),
    (
        "KOSZ",
        "Przepełniony kosz uliczny",
        "Czystość",
        "kosz,śmietnik",
        3,
        "Kosze uliczne i w parkach, które nie zostały opróżnione.",
    ),
    (
        "GRAFFITI",
        "Graffiti na obiekcie gminnym",
        "Czystość",
        "graffiti,napisy,malowidła",
        30,
        "Napisy i malunki na budynkach, wiatach i urządzeniach gminy.",
    ),
    (
        "ZIELEN",
        "Drzewo, krzewy lub trawnik",
        "Zieleń",
        "drzewo,gałąź,trawa,krzewy",
        21,
        "Złamane gałęzie, drzewa grożące upadkiem, zarośnięte trawniki w pasie drogowym i parkach.",
    ),
    (
        "ZWIERZETA",
        "Bezdomne lub martwe zwierzę",
        "Bezpieczeństwo",
        "pies,kot,zwierzę",
        2,
        "Zwierzęta bezdomne, ranne lub martwe na terenie publicznym. W nagłych wypadkach dzwoń 112.",
    ),
    (
        "PLAC",
        "Uszkodzony plac zabaw lub siłownia",
        "Bezpieczeństwo",
        "plac zabaw,huśtawka,siłownia",
        14,
        "Uszkodzone urządzenia na gminnych placach zabaw i w siłowniach plenerowych.",
    ),
    (
        "WODA",
        "Studzienka, kratka lub wyciek wody",
        "Drogi",
        "studzienka,kratka,woda,kanalizacja",
        3,
        "Zapadnięte lub otwarte studzienki, zatkane kratki ściekowe, wycieki na jezdni.",
    ),
];

fn attributes_of(code: &str) -> Vec<Attribute> {
    match code {
        "DZIURA" => vec![
            list(
                "ROZMIAR",
                "Wielkość ubytku",
                true,
                1,
                &[
                    ("mala", "mniejsza niż dłoń"),
                    ("srednia", "jak talerz"),
                    ("duza", "większa niż koło auta"),
                ],
            ),
            plain(
                "GLEBOKOSC",
                "number",
                "Głębokość w centymetrach, jeśli znana",
                2,
            ),
        ],
        "OSWIETLENIE" => vec![plain(
            "SLUP",
            "string",
            "Numer słupa (tabliczka na słupie)",
            1,
        )],
        "ZIELEN" => vec![list(
            "ZAGROZENIE",
            "Czy zagraża ludziom lub ruchowi?",
            true,
            1,
            &[("tak", "tak"), ("nie", "nie")],
        )],
        _ => Vec::new(),
    }
}

const STREETS: &[&str] = &[
    "ul. Lipowa",
    "ul. Kościuszki",
    "ul. Mickiewicza",
    "ul. Polna",
    "ul. Leśna",
    "ul. Słoneczna",
    "ul. Szkolna",
    "ul. Ogrodowa",
    "ul. Kolejowa",
    "ul. Parkowa",
    "ul. Długa",
    "ul. Krótka",
    "Rynek",
    "ul. 3 Maja",
    "ul. Sienkiewicza",
    "ul. Łąkowa",
];

const DESCRIPTIONS: &[&str] = &[
    "Proszę o pilną interwencję, problem trwa od kilku dni.",
    "Zauważyłem dziś rano w drodze do pracy.",
    "Niebezpieczne zwłaszcza po zmroku.",
    "Sąsiedzi też to zgłaszali, ale nic się nie zmieniło.",
    "Dzieci chodzą tędy do szkoły.",
    "",
];

const CLOSING_NOTES: &[&str] = &[
    "Usterkę usunięto.",
    "Zlecono wykonawcy, prace zakończone.",
    "Teren należy do powiatu — zgłoszenie przekazano Zarządowi Dróg Powiatowych.",
    "Sprawdzono na miejscu — nie stwierdzono problemu.",
];

/// A small deterministic generator: the same demo every time.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next()).unwrap_or(0) % n.max(1)
    }

    fn unit(&mut self) -> f64 {
        #[allow(
            clippy::cast_precision_loss,
            reason = "31 random bits fit an f64 exactly"
        )]
        let x = (self.next() & 0x7FFF_FFFF) as f64;
        x / f64::from(0x7FFF_FFFF_u32)
    }
}

/// SQL text literal (only the demo's own constant texts go through here).
fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

pub async fn seed(db: &Db) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    let mut tx = db.begin().await?;
    let (south, west, north, east) = AREA;
    store::set_area(
        &mut tx,
        &actor,
        &AreaRow {
            south,
            west,
            north,
            east,
            jurisdiction: "borowiec.example.pl".into(),
        },
    )
    .await?;
    let categories = seed_categories(&mut tx, &actor).await?;
    let officials: Vec<(i64, String)> = crate::with_tx!(tx, |c| sqlx::query_as(
        "SELECT id, login FROM app_user WHERE login IN ('urzednik', 'kierownik') ORDER BY id"
    )
    .fetch_all(c)
    .await)?;
    let (rows, notes) = generate(tx.now().0, &categories, &officials);
    insert(&mut tx, db.backend(), &rows, &notes).await?;
    let after = serde_json::json!({ "reports": REPORTS, "categories": CATEGORIES.len() });
    audit::record(
        &mut tx,
        &actor,
        Change::action("seed", "problem_report", "demo").with_after(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The categories, all taken by the municipal services unit (GK): (id, term).
async fn seed_categories(tx: &mut crate::db::Tx, actor: &Actor) -> anyhow::Result<Vec<(i64, i32)>> {
    let gk: Option<i64> = crate::with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT id FROM org_unit WHERE symbol = 'GK'"
    )
    .fetch_optional(c)
    .await)?;
    let mut categories = Vec::new();
    for (i, (code, name, group, keywords, term, description)) in CATEGORIES.iter().enumerate() {
        let data = CategoryData {
            code: (*code).into(),
            name: (*name).into(),
            org_unit_id: gk,
            description: (*description).into(),
            keywords: (*keywords).into(),
            group_name: (*group).into(),
            attributes: attributes_of(code),
            term_days: *term,
            active: true,
            position: i32::try_from(i).unwrap_or(0),
        };
        categories.push((store::insert_category(tx, actor, &data).await?, *term));
    }
    Ok(categories)
}

/// A demo note: (report token, time literal, status, text).
type DemoNote = (String, String, &'static str, String);

/// The reports as SQL value rows, and their history.
fn generate(
    now: jiff::Timestamp,
    categories: &[(i64, i32)],
    officials: &[(i64, String)],
) -> (Vec<String>, Vec<DemoNote>) {
    let (south, west, north, east) = AREA;
    let mut rng = Lcg(20_261_204);
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for i in 0..REPORTS {
        let (category_id, term) = categories[rng.below(categories.len())];
        // Up to 120 days back: some reports fall outside Open311's 90-day default.
        let minutes = i64::try_from(rng.below(120 * 24 * 60)).unwrap_or(0) + 30;
        let requested = now
            .checked_sub(jiff::SignedDuration::from_mins(minutes))
            .unwrap_or(now);
        let expected = pr::expected_at(requested, term);
        let lat = south + (north - south) * (0.15 + 0.7 * rng.unit());
        let lon = west + (east - west) * (0.15 + 0.7 * rng.unit());
        let address = format!(
            "{} {}",
            STREETS[rng.below(STREETS.len())],
            1 + rng.below(80)
        );
        let description = DESCRIPTIONS[rng.below(DESCRIPTIONS.len())];
        // Older reports are more often closed; every status occurs.
        let roll = rng.below(100) + usize::try_from(minutes / (24 * 60)).unwrap_or(0) / 2;
        let status = match roll {
            0..=34 => "open",
            35..=59 => "in_progress",
            _ => "closed",
        };
        let official = officials.get(rng.below(officials.len().max(1)));
        let assigned = match (status, official) {
            ("open", _) | (_, None) => "NULL".to_owned(),
            (_, Some((id, _))) => id.to_string(),
        };
        let handled = requested
            .checked_add(jiff::SignedDuration::from_mins(
                minutes.min(60 * 24 * 5) / 2,
            ))
            .unwrap_or(requested);
        let updated = if status == "open" { requested } else { handled };
        let t = |ts: jiff::Timestamp| lit(&UtcTime::from_timestamp(ts).to_canonical());
        let closing = CLOSING_NOTES[rng.below(CLOSING_NOTES.len())];
        let status_notes = if status == "closed" {
            lit(closing)
        } else {
            "NULL".to_owned()
        };
        let token = crate::auth::secret::random_token()[..24].to_owned();
        let channel = if i % 3 == 0 { "open311" } else { "web" };
        rows.push(format!(
            "({}, {category_id}, {}, {lat:.6}, {lon:.6}, {}, {}, '{{}}', {}, {assigned}, {}, {}, {}, {status_notes})",
            lit(&token),
            lit(status),
            lit(&address),
            lit(description),
            lit(channel),
            t(requested),
            t(updated),
            t(expected),
        ));
        notes.push((token.clone(), t(requested), "open", String::new()));
        if status != "open" {
            notes.push((
                token.clone(),
                t(handled),
                "in_progress",
                "Przyjęto do realizacji.".to_owned(),
            ));
        }
        if status == "closed" {
            notes.push((token, t(handled), "closed", closing.to_owned()));
        }
    }
    (rows, notes)
}

async fn insert(
    tx: &mut crate::db::Tx,
    backend: crate::db::Backend,
    rows: &[String],
    notes: &[DemoNote],
) -> anyhow::Result<()> {
    for chunk in rows.chunks(100) {
        let sql = format!(
            "INSERT INTO problem_report (token, category_id, status, lat, lon, address, \
             description, attributes, channel, assigned_to, requested_at, updated_at, \
             expected_at, status_notes) VALUES {}",
            chunk.join(", ")
        );
        crate::with_tx!(tx, |c| sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(c)
            .await
            .map(|_| ()))?;
    }
    for chunk in notes.chunks(200) {
        let values: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(n, (token, at, status, note))| {
                format!(
                    "({n}, {}, {at}, {}, {})",
                    lit(token),
                    lit(status),
                    lit(note)
                )
            })
            .collect();
        // Times as text literals: PostgreSQL reads them as timestamptz through the
        // cast, SQLite stores the canonical text itself.
        let cast = if matches!(backend, crate::db::Backend::Postgres) {
            "CAST(v.at AS TIMESTAMPTZ)"
        } else {
            "v.at"
        };
        let sql = format!(
            "WITH v(n, token, at, status, note) AS (VALUES {}) \
             INSERT INTO problem_report_note (report_id, at, status, note, author) \
             SELECT r.id, {cast}, v.status, v.note, 'system:demo' FROM v \
             JOIN problem_report r ON r.token = v.token ORDER BY v.n",
            values.join(", ")
        );
        crate::with_tx!(tx, |c| sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(c)
            .await
            .map(|_| ()))?;
    }
    Ok(())
}
