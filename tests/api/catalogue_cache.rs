//! The published catalogue is kept in memory by each app server (service_cards::catalogue,
//! docs/decisions/0021-speed.md): a change must show on the very next request — on the
//! server that made it, on another app server sharing the database, and after a write
//! that no server made (a CLI command, an administrator's SQL).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use magistrat::app::{self, AppState};
use magistrat::db::Db;
use tower::ServiceExt;

use crate::backend_tests;
use crate::helpers::{TestApp, test_config};

backend_tests!(
    a_published_or_withdrawn_card_shows_at_once_on_every_app_server,
    an_edit_by_another_writer_shows_at_once_in_pages_and_api,
    a_jrwa_class_written_by_anyone_is_offered_at_once_in_the_card_editor,
);

/// A second app server: its own pool, its own state and catalogue, the same database.
struct OtherServer {
    router: axum::Router,
    db: Db,
}

impl OtherServer {
    async fn start(app: &TestApp) -> OtherServer {
        let db = Db::connect(&app.database_url, 2)
            .await
            .unwrap()
            .with_clock(app.clock().clone());
        let router = app::router(AppState::new(db.clone(), test_config(&app.database_url)));
        OtherServer { router, db }
    }

    async fn get(&self, path: &str) -> (StatusCode, String) {
        let response = self
            .router
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }
}

async fn a_published_or_withdrawn_card_shows_at_once_on_every_app_server(app: TestApp) {
    let other = OtherServer::start(&app).await;
    // FN-I-3 is a draft in the demo office; both servers build their catalogue.
    assert!(!app.get("/services").await.body.contains("FN-I-3"));
    assert!(!other.get("/services").await.1.contains("FN-I-3"));
    assert_eq!(other.get("/services/FN-I-3").await.0, StatusCode::NOT_FOUND);

    app.login("admin").await;
    let published = app
        .post_form(
            "/staff/service-cards/FN-I-3/publish",
            &[("published", "true")],
        )
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);

    // This server and the other one show it on the next request, in pages and the API.
    assert!(app.get("/services").await.body.contains("FN-I-3"));
    assert!(other.get("/services").await.1.contains("FN-I-3"));
    assert!(other.get("/services?q=fn-i-3").await.1.contains("FN-I-3"));
    assert_eq!(other.get("/services/FN-I-3").await.0, StatusCode::OK);
    assert_eq!(
        other.get("/api/v1/service-cards/FN-I-3").await.0,
        StatusCode::OK
    );
    assert!(
        other
            .get("/api/v1/service-cards?per_page=100")
            .await
            .1
            .contains("\"FN-I-3\"")
    );

    // Withdrawn: gone everywhere at once.
    let withdrawn = app
        .post_form(
            "/staff/service-cards/FN-I-3/publish",
            &[("published", "false")],
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    assert!(!other.get("/services").await.1.contains("FN-I-3"));
    assert_eq!(other.get("/services/FN-I-3").await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        other.get("/api/v1/service-cards/FN-I-3").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/services/FN-I-3").await.status,
        StatusCode::NOT_FOUND
    );
    other.db.close().await;
}

async fn an_edit_by_another_writer_shows_at_once_in_pages_and_api(app: TestApp) {
    let other = OtherServer::start(&app).await;
    assert!(
        app.get("/services/SA-2")
            .await
            .body
            .contains("Zaświadczenie o zameldowaniu")
    );
    assert!(
        other
            .get("/services")
            .await
            .1
            .contains("Zaświadczenie o zameldowaniu")
    );

    // A write no app server made (as a CLI command or an administrator's SQL would):
    // the triggers of migration 0016 bump the catalogue's version in its transaction.
    // (The SQL keeps the folded search text in step, as the store does.)
    app.exec(
        "UPDATE service_card SET name = 'Zaświadczenie odnowione', \
         search_text = 'sa-2 zaswiadczenie odnowione' WHERE code = 'SA-2'",
    )
    .await;
    for (status, body) in [
        other.get("/services").await,
        other.get("/services/SA-2").await,
        other.get("/api/v1/service-cards/SA-2").await,
    ] {
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("odnowione"), "{body}");
    }
    assert!(app.get("/services/SA-2").await.body.contains("odnowione"));
    assert!(app.get("/services?q=odnowione").await.body.contains("SA-2"));

    // A unit renamed: the cards' unit names change too.
    app.exec("UPDATE org_unit SET name = 'Wydział Przemianowany' WHERE symbol = 'SA'")
        .await;
    assert!(
        other
            .get("/services/SA-2")
            .await
            .1
            .contains("Wydział Przemianowany")
    );
    assert!(
        other
            .get("/api/v1/service-cards?unit=SA")
            .await
            .1
            .contains("Wydział Przemianowany")
    );

    // A file added to a card through the editor, then removed by another writer: its
    // page on the other server lists it, then no longer, at once.
    assert!(
        !other
            .get("/api/v1/service-cards/SA-2")
            .await
            .1
            .contains("wniosek.pdf")
    );
    app.login("admin").await;
    let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
    let added = app
        .post_multipart(
            "/staff/service-cards/SA-2/files",
            &[("title", "Wniosek")],
            &[("file", "wniosek.pdf", "application/pdf", pdf)],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert!(other.get("/services/SA-2").await.1.contains("wniosek.pdf"));
    assert!(
        other
            .get("/api/v1/service-cards/SA-2")
            .await
            .1
            .contains("wniosek.pdf")
    );
    app.exec("DELETE FROM service_card_file WHERE file_name = 'wniosek.pdf'")
        .await;
    assert!(!other.get("/services/SA-2").await.1.contains("wniosek.pdf"));
    assert!(
        !other
            .get("/api/v1/service-cards/SA-2")
            .await
            .1
            .contains("wniosek.pdf")
    );
    other.db.close().await;
}

/// The card editor keeps the JRWA classes at the reference-data version the session
/// reads (decision 0053); migration 0049's triggers bump it on every change to
/// `jrwa_class`, so a class added, renamed or removed by any writer (an import, SQL by
/// hand) is offered — or no longer — on the very next request.
async fn a_jrwa_class_written_by_anyone_is_offered_at_once_in_the_card_editor(app: TestApp) {
    app.login("admin").await;
    let year = app.clock().today().year();
    let editor = app.get("/staff/service-cards/SA-2").await;
    assert_eq!(editor.status, StatusCode::OK);
    assert!(!editor.body.contains("Klasa dodana ręcznie"));

    app.exec(&format!(
        "INSERT INTO jrwa_class (year, symbol, title, category, parent_symbol, category_other) \
         VALUES ({year}, '0999', 'Klasa dodana ręcznie', 'A', NULL, NULL)"
    ))
    .await;
    let editor = app.get("/staff/service-cards/SA-2").await.body;
    assert!(editor.contains("0999 — Klasa dodana ręcznie"), "{editor}");

    app.exec("UPDATE jrwa_class SET title = 'Klasa przemianowana' WHERE symbol = '0999'")
        .await;
    let editor = app.get("/staff/service-cards/SA-2").await.body;
    assert!(editor.contains("0999 — Klasa przemianowana"));
    assert!(!editor.contains("Klasa dodana ręcznie"));

    app.exec("DELETE FROM jrwa_class WHERE symbol = '0999'")
        .await;
    let editor = app.get("/staff/service-cards/SA-2").await.body;
    assert!(!editor.contains("0999 —"));
}
