//! Bulk seeding for benchmarks (`magistrat bench-seed --publications N`): published
//! BIP publications (one version each, with its change-register line) spread over the
//! subject menu's sections and the last two years, titled from a small vocabulary so a
//! search matches a realistic share of them. Not a production path: nothing but the
//! CLI's `bench-seed` calls it.

use jiff::SignedDuration;
use magistrat_domain::bip::SECTIONS;

use crate::db::Db;
use crate::db::audit::{self, Actor, Change};
use crate::db::bulk::{self, Val};

/// What the seeded acts are about: a search for one of these words matches about one
/// publication in this many.
pub const TOPICS: &[&str] = &[
    "budżetu gminy",
    "oświetlenia ulicznego",
    "gospodarki odpadami",
    "planu zagospodarowania przestrzennego",
    "remontu dróg gminnych",
    "dotacji dla organizacji pozarządowych",
    "opłat za wodę",
    "zimowego utrzymania dróg",
    "stypendiów dla uczniów",
    "nazw ulic",
    "przetargu na dowóz uczniów",
    "ochrony środowiska",
    "sprzedaży nieruchomości",
    "programu współpracy",
    "regulaminu targowiska",
    "wynagrodzeń",
    "ochrony zabytków",
    "schroniska dla zwierząt",
    "kanalizacji sanitarnej",
    "ścieżek rowerowych",
];

/// Adds `n` published publications (one audit event records the seed); returns `n`.
#[allow(
    clippy::too_many_lines,
    reason = "benchmark data only: the three tables' rows side by side, each column's value next to its name"
)]
pub async fn seed_bulk(db: &Db, n: u64) -> anyhow::Result<u64> {
    let actor = Actor::system("bench-seed");
    let mut tx = db.begin().await?;
    audit::record(
        &mut tx,
        &actor,
        Change::action("bench_seed", "bip_publication", "publications")
            .with_after(&serde_json::json!({ "publications": n })),
    )
    .await?;
    tx.commit().await?;
    let first = bulk::next_id(db, "bip_publication").await?;
    let now = db.clock().now();
    let year = now.in_warsaw().year();
    // Every publication: made available i hours before now (about 11 years for 100,000).
    let at = move |i: u64| {
        now.checked_add(SignedDuration::from_hours(
            -i64::try_from(i).unwrap_or(0) - 1,
        ))
    };
    let id_of = move |i: u64| first + i64::try_from(i).unwrap_or(0);
    let section = |i: u64| SECTIONS[usize::try_from(i).unwrap_or(0) % SECTIONS.len()].slug;
    let title = move |i: u64| {
        let topic = TOPICS[usize::try_from(i / 7).unwrap_or(0) % TOPICS.len()];
        format!(
            "Zarządzenie nr {}/{year} Burmistrza Borowca w sprawie {topic}",
            i + 1
        )
    };
    bulk::insert(
        db,
        "bip_publication",
        &[
            "id",
            "section",
            "status",
            "created_at",
            "version_count",
            "first_available_at",
        ],
        n,
        |i| {
            vec![
                Val::Int(id_of(i)),
                Val::Text(section(i).to_owned()),
                Val::Text("published".to_owned()),
                Val::Time(at(i)),
                Val::Int(1),
                Val::Time(at(i)),
            ]
        },
    )
    .await?;
    bulk::insert(
        db,
        "bip_version",
        &[
            "publication_id",
            "number",
            "title",
            "body_html",
            "produced_by",
            "produced_on",
            "responsible",
            "entered_by",
            "entered_at",
            "made_available_at",
            "reason",
            "section",
        ],
        n,
        |i| {
            let t = at(i);
            vec![
                Val::Int(id_of(i)),
                Val::Int(1),
                Val::Text(title(i)),
                Val::Text(format!(
                    "<p>Na podstawie art. 30 ust. 1 ustawy o samorządzie gminnym zarządza się, \
                     co następuje.</p><p>§ 1. Ustala się zasady dotyczące sprawy nr {}.</p>\
                     <p>§ 2. Zarządzenie wchodzi w życie z dniem podpisania.</p>",
                    i + 1
                )),
                Val::Text("Wydział Organizacyjny".to_owned()),
                Val::Date(jiff_sqlx::Date::from(t.in_warsaw().date())),
                Val::Text("Sekretarz Gminy".to_owned()),
                Val::Text("Redaktor BIP".to_owned()),
                Val::Time(t),
                Val::Time(t),
                Val::Text(String::new()),
                Val::Text(section(i).to_owned()),
            ]
        },
    )
    .await?;
    bulk::insert(
        db,
        "bip_change",
        &[
            "publication_id",
            "version_number",
            "kind",
            "title",
            "section",
            "changed_at",
            "by_name",
            "reason",
        ],
        n,
        |i| {
            vec![
                Val::Int(id_of(i)),
                Val::Int(1),
                Val::Text("published".to_owned()),
                Val::Text(title(i)),
                Val::Text(section(i).to_owned()),
                Val::Time(at(i)),
                Val::Text("Redaktor BIP".to_owned()),
                Val::Text(String::new()),
            ]
        },
    )
    .await?;
    bulk::settle(db, "bip_publication", true).await?;
    bulk::settle(db, "bip_version", true).await?;
    bulk::settle(db, "bip_change", true).await?;
    Ok(n)
}
