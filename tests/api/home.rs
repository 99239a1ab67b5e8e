//! The public home page's live queue (issue 13, "Portal"): each demo service point's
//! open desks, people waiting and estimated wait per matter, read from the snapshot the
//! service point keeps per change (one read per change, not per page), a closed point
//! with its next opening, and a link to each point's live-status page.

use axum::extract::FromRef;
use axum::http::StatusCode;
use magistrat::service_point::live::LiveSnapshots;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp};

/// Tuesday 8 December 2026, 08:30 in Warsaw: the town hall (07:30–15:30) is open, the
/// mall point (10:00–18:00) opens later that morning.
async fn tuesday_early(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with_clock(backend, "2026-12-08T07:30:00Z").await
}

backend_tests!(
    spawn = super::tuesday_early;
    the_home_page_shows_each_points_queue_and_a_closed_points_next_opening,
);

const TOWN_HALL: i64 = 1;

/// The cells of the row headed `row` in the queue table of point `location`.
fn row_cells(body: &str, location: i64, row: &str) -> Vec<String> {
    let start = body
        .find(&format!("id=\"queue-{location}\""))
        .unwrap_or_else(|| panic!("point {location} on the home page"));
    let article = &body[start..];
    let article = &article[..article.find("</article>").unwrap_or(article.len())];
    let at = article
        .find(&format!("{row}</th>"))
        .unwrap_or_else(|| panic!("row {row} at point {location}: {article}"));
    let rest = &article[at..];
    let rest = &rest[..rest.find("</tr>").unwrap_or(rest.len())];
    rest.split("<td>")
        .skip(1)
        .map(|cell| cell.split("</td>").next().unwrap_or("").trim().to_owned())
        .collect()
}

async fn the_home_page_shows_each_points_queue_and_a_closed_points_next_opening(app: TestApp) {
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    let body = &home.body;
    assert!(body.contains("<h2 id=\"queue-heading\">Kolejki w punktach obsługi teraz</h2>"));
    // The town hall is open: its matters with the people waiting (none yet).
    let a = row_cells(body, TOWN_HALL, "A · Dowody osobiste i meldunki");
    assert_eq!(a.len(), 3, "{a:?}");
    assert_eq!(a[1], "0", "nobody waits yet: {a:?}");
    assert!(body.contains("<caption>Osoby oczekujące i szacowany czas oczekiwania"));
    assert!(body.contains(&format!("href=\"/service-points/{TOWN_HALL}\"")));
    // The mall point is closed until 10:00 today.
    let mall_at = body
        .find("Kolejka na żywo: Punkt Obsługi Mieszkańców w Galerii Borowiec")
        .expect("the mall point's link");
    let mall = &body[..mall_at];
    let mall = &mall[mall.rfind("<article").unwrap_or(0)..];
    assert!(
        mall.contains("Teraz zamknięte. Otwarcie 8 grudnia 2026 o 10:00."),
        "{mall}"
    );
    assert!(
        !mall.contains("<table"),
        "no figures for a closed point: {mall}"
    );

    // A second view without a change reads no new snapshot.
    let live = LiveSnapshots::from_ref(&app.state);
    let reads = live.builds();
    app.get("/").await;
    assert_eq!(live.builds(), reads, "no change, no new read");

    // A ticket taken is a change: the next view shows it waiting.
    let issued = magistrat::service_point::service::issue_ticket(
        &app.db,
        &magistrat::db::audit::Actor::system("test"),
        TOWN_HALL,
        "A",
        false,
    )
    .await
    .expect("a ticket at the open town hall");
    assert!(!issued.ticket.label.is_empty());
    let body = app.get("/").await.body;
    assert_eq!(
        row_cells(&body, TOWN_HALL, "A · Dowody osobiste i meldunki")[1],
        "1"
    );
    assert_eq!(live.builds(), reads + 1, "one read for the change");

    // In English too.
    app.get("/lang/en").await;
    let body = app.get("/").await.body;
    assert!(body.contains("Service point queues now"), "English heading");
    assert!(body.contains("Closed now. Opens 8 December 2026 at 10:00."));
}
