//! The archive (issue 10): the spis spraw in the instrukcja's columns (page, CSV, PDF),
//! the yearly closing, transfers of closed files with their spis zdawczo-odbiorczy,
//! retention from the archival category, destruction only with the state archive's
//! consent; a letter of 31 December registered in January; the petitions' summary of
//! those considered in the year; JRWA leaves at levels 3 and 5. Both backends.

use axum::http::StatusCode;
use magistrat::cases::store::{self, Channel, NewCase, Step};
use magistrat::db::audit::Actor;
use magistrat_domain::deadline::CaseKind;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    a_closed_year_s_file_goes_to_the_archive_with_its_spis,
    an_open_file_is_refused_whole_and_nothing_is_written,
    destruction_waits_for_the_state_archive_s_consent,
    spis_spraw_has_the_instrukcja_s_columns_as_page_csv_and_pdf,
    the_petitions_summary_covers_those_considered_in_the_year,
    jrwa_leaves_at_three_and_five_digits_hold_cases,
    only_the_head_of_the_unit_and_the_archivist_reach_the_archive,
    a_letter_names_its_case_by_znak_and_its_date_reaches_the_spis,
);

backend_tests!(
    spawn = super::spawn_on_4_january_2027;
    a_letter_of_31_december_is_registered_in_january,
);

async fn spawn_on_4_january_2027(backend: crate::helpers::Backend) -> Option<TestApp> {
    TestApp::spawn_with_clock(backend, "2027-01-04T09:00:00Z").await
}

async fn unit(app: &TestApp, symbol: &str) -> i64 {
    app.count(&format!(
        "SELECT id FROM org_unit WHERE symbol = '{symbol}'"
    ))
    .await
}

fn today(app: &TestApp) -> jiff::civil::Date {
    app.clock().today()
}

fn case_in(unit_id: i64, class: &str, received_on: jiff::civil::Date) -> NewCase {
    NewCase {
        unit_id,
        jrwa_symbol: class.to_owned(),
        kind: CaseKind::AdministrativeSimple,
        title: "Zameldowanie na pobyt czasowy".to_owned(),
        party_name: "Jan Testowy".to_owned(),
        party_address: "ul. Polna 1, 62-300 Borowiec".to_owned(),
        party_email: String::new(),
        publish_consent: false,
        received_on,
        channel: Channel::Post,
        correspondence_id: None,
        official_id: None,
    }
}

async fn register(app: &TestApp, new: NewCase) -> Result<store::RegisteredCase, String> {
    let mut tx = app.db.begin().await.unwrap();
    let r = store::register_case(&mut tx, &Actor::system("test"), new)
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.unwrap();
    Ok(r)
}

async fn step(app: &TestApp, case_id: i64, step: Step) {
    let mut tx = app.db.begin().await.unwrap();
    store::apply_step(&mut tx, &Actor::system("test"), case_id, step)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn audited(app: &TestApp, action: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM audit_event WHERE action = '{action}'"
    ))
    .await
}

async fn a_closed_year_s_file_goes_to_the_archive_with_its_spis(app: TestApp) {
    let sa = unit(&app, "SA").await;
    let year = i32::from(today(&app).year()) - 2;
    let key = format!("5310/{year}");
    app.login("kierownik").await;
    let page = app.get(&format!("/staff/archive?unit={sa}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("rok niezamknięty"), "{}", page.body);
    // Before its year is closed the file may not go.
    let r = app
        .post_form(
            "/staff/archive/transfers",
            &[("unit_id", &sa.to_string()), ("file", &key)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("spis spraw nie jest zamknięty"),
        "{}",
        r.body
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM archive_transfer").await, 1);
    // The current year cannot be closed; the year two years ago can, once.
    let this_year = today(&app).year().to_string();
    let r = app
        .post_form(
            "/staff/archive/close",
            &[("unit_id", &sa.to_string()), ("year", &this_year)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let before = audited(&app, "register_year.close").await;
    let close = [("unit_id", sa.to_string()), ("year", year.to_string())];
    let close: Vec<(&str, &str)> = close.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post_form("/staff/archive/close", &close).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(audited(&app, "register_year.close").await, before + 1);
    let r = app.post_form("/staff/archive/close", &close).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // No case is registered in a closed year.
    let closed_day = jiff::civil::date(i16::try_from(year).unwrap(), 6, 1);
    let refused = register(&app, case_in(sa, "5310", closed_day)).await;
    assert!(refused.unwrap_err().contains("case-error-date-year-closed"));
    // Now the file goes, as the unit's leading file of class 5310 (B10).
    let r = app
        .post_form(
            "/staff/archive/transfers",
            &[("unit_id", &sa.to_string()), ("file", &key)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let spis = r.location().to_owned();
    assert!(spis.starts_with("/staff/archive/transfers/"));
    let destroy_from = app
        .scalar_text(&format!(
            "SELECT CAST(destroy_from AS TEXT) FROM archive_file WHERE jrwa_symbol = '5310' AND year = {year}"
        ))
        .await;
    // B10, closed in its own year: kept ten full years from the next 1 January.
    assert_eq!(destroy_from, format!("{}-01-01", year + 11));
    assert_eq!(audited(&app, "archive_transfer.create").await, 2);
    let page = app.get(&spis).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("SA.5310") && page.body.contains("B10"),
        "{}",
        page.body
    );
    let csv = app.get(&format!("{spis}/spis.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(csv.body.contains("Znak teczki") && csv.body.contains("SA.5310"));
    assert!(csv.body.contains(&format!("{}-01-01", year + 11)));
    let pdf = app.get(&format!("{spis}/spis.pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with("%PDF"));
    // Twice is refused.
    let r = app
        .post_form(
            "/staff/archive/transfers",
            &[("unit_id", &sa.to_string()), ("file", &key)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn an_open_file_is_refused_whole_and_nothing_is_written(app: TestApp) {
    let sa = unit(&app, "SA").await;
    let year = today(&app).year() - 3;
    store::ensure_jrwa(&app.db, &Actor::system("test"), i32::from(year))
        .await
        .unwrap();
    // Two files of that year: 5500 finished, 5310 with a case still open.
    let finished = register(&app, case_in(sa, "5500", jiff::civil::date(year, 5, 4)))
        .await
        .unwrap();
    let admin = app
        .count("SELECT id FROM app_user WHERE login = 'admin'")
        .await;
    step(&app, finished.id, Step::Assign { official_id: admin }).await;
    step(&app, finished.id, Step::Start).await;
    let settled_on = jiff::civil::date(year, 5, 20);
    step(
        &app,
        finished.id,
        Step::Settle {
            on: settled_on,
            outcome: "Przyjęto zawiadomienie.".to_owned(),
        },
    )
    .await;
    step(&app, finished.id, Step::Close).await;
    register(&app, case_in(sa, "5310", jiff::civil::date(year, 7, 1)))
        .await
        .unwrap();
    app.login("kierownik").await;
    let r = app
        .post_form(
            "/staff/archive/close",
            &[("unit_id", &sa.to_string()), ("year", &year.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(open_cases AS BIGINT) FROM register_closing WHERE unit_id = {sa} AND year = {year}"
        ))
        .await,
        1
    );
    let (transfers, files, audit) = (
        app.count("SELECT COUNT(*) FROM archive_transfer").await,
        app.count("SELECT COUNT(*) FROM archive_file").await,
        app.count("SELECT COUNT(*) FROM audit_event").await,
    );
    let r = app
        .post_form(
            "/staff/archive/transfers",
            &[
                ("unit_id", &sa.to_string()),
                ("file", &format!("5500/{year}")),
                ("file", &format!("5310/{year}")),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("niezakończona sprawa"), "{}", r.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM archive_transfer").await,
        transfers
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM archive_file").await, files);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_event").await, audit);
    // No file ticked, or a file of another unit: the form's own errors.
    let r = app
        .post_form("/staff/archive/transfers", &[("unit_id", &sa.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Zaznacz co najmniej jedną teczkę"));
    // The finished one alone goes, as a file of a unit other than the leading one.
    let key = format!("5500/{year}");
    let other = format!("other-{key}");
    let r = app
        .post_form(
            "/staff/archive/transfers",
            &[
                ("unit_id", &sa.to_string()),
                ("file", &key),
                (other.as_str(), "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM archive_file").await,
        files + 1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM archive_file WHERE year = {year} AND jrwa_symbol = '5500' AND leading_unit = FALSE"
        ))
        .await,
        1
    );
}

async fn destruction_waits_for_the_state_archive_s_consent(app: TestApp) {
    // The demo's assemblies of seven years ago (5500, B5) are due for destruction.
    let file = app
        .count("SELECT id FROM archive_file WHERE jrwa_symbol = '5500'")
        .await;
    let today = today(&app);
    app.login("admin").await;
    let page = app.get("/staff/archive/files").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("SA.5500"), "{}", page.body);
    let path = format!("/staff/archive/files/{file}/destroyed");
    let before = audited(&app, "archive_file.destroy").await;
    let r = app
        .post_form(&path, &[("destroyed_on", &today.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("bez zgody archiwum państwowego"),
        "{}",
        r.body
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM archive_file WHERE id = {file} AND destroyed_on IS NOT NULL"
        ))
        .await,
        0
    );
    // A consent dated tomorrow, without its archive, or for no file: the form says so.
    let tomorrow = today.tomorrow().unwrap().to_string();
    let r = app
        .post_form(
            "/staff/archive/consents",
            &[("reference", "OZN.4232.1.2026"), ("granted_on", &tomorrow)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Data nie może być późniejsza niż dzisiejsza")
    );
    assert!(r.body.contains("Zaznacz teczki objęte zgodą"));
    assert_eq!(app.count("SELECT COUNT(*) FROM archive_consent").await, 0);
    let granted = today.yesterday().unwrap().to_string();
    let r = app
        .post_form(
            "/staff/archive/consents",
            &[
                ("archive_name", "Archiwum Państwowe w Poznaniu"),
                ("reference", "OZN.4232.1.2026"),
                ("granted_on", &granted),
                ("file", &file.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(audited(&app, "archive_consent.create").await, 1);
    // Not before the consent, not in the future, then once.
    let before_consent = today
        .checked_sub(jiff::Span::new().days(2))
        .unwrap()
        .to_string();
    let r = app
        .post_form(&path, &[("destroyed_on", &before_consent)])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = app.post_form(&path, &[("destroyed_on", &tomorrow)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form(&path, &[("destroyed_on", &today.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(audited(&app, "archive_file.destroy").await, before + 1);
    let r = app
        .post_form(&path, &[("destroyed_on", &today.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // A file not due (none here) cannot be covered: an unknown id is refused.
    let r = app
        .post_form(
            "/staff/archive/consents",
            &[
                ("archive_name", "Archiwum Państwowe w Poznaniu"),
                ("reference", "OZN.4232.2.2026"),
                ("granted_on", &granted),
                ("file", "999999"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn spis_spraw_has_the_instrukcja_s_columns_as_page_csv_and_pdf(app: TestApp) {
    let sa = unit(&app, "SA").await;
    let year = today(&app).year() - 2;
    // The sender's letter: its znak and date come from the incoming item.
    app.exec("UPDATE incoming_item SET sender_reference = 'OR.0012.3.2024', sender_dated_on = '2024-03-01' WHERE id = (SELECT MIN(id) FROM incoming_item)").await;
    app.exec(&format!(
        "UPDATE case_file SET correspondence_id = (SELECT MIN(id) FROM incoming_item) WHERE unit_id = {sa} AND year = {year} AND number = 1"
    ))
    .await;
    app.login("kierownik").await;
    let query = format!("unit={sa}&class=5310&year={year}");
    let page = app.get(&format!("/staff/cases/register?{query}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for column in [
        "Od kogo wpłynęła",
        "Znak pisma",
        "Z dnia",
        "Data wszczęcia",
        "Data ostatecznego załatwienia",
        "Uwagi",
        "OR.0012.3.2024",
        // „Z dnia” as offices write a date.
        "1.3.2024",
        "Zameldowanie na pobyt stały, ul. Ogrodowa 12",
    ] {
        assert!(page.body.contains(column), "{column}: {}", page.body);
    }
    let csv = app.get(&format!("/staff/cases/register.csv?{query}")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("Znak pisma") && csv.body.contains("OR.0012.3.2024"));
    assert!(csv.body.contains("Marta Wiśniewska"));
    let pdf = app.get(&format!("/staff/cases/register.pdf?{query}")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with("%PDF"));
    // Another unit's spis stays closed to the head of SA.
    let fin = unit(&app, "FN").await;
    let r = app
        .get(&format!(
            "/staff/cases/register.csv?unit={fin}&class=3100&year={year}"
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

async fn a_letter_of_31_december_is_registered_in_january(app: TestApp) {
    let sa = unit(&app, "SA").await.to_string();
    let post = |received: &'static str| {
        let sa = sa.clone();
        let app = &app;
        async move {
            app.post_form(
                "/staff/cases/new",
                &[
                    ("unit_id", sa.as_str()),
                    ("jrwa_symbol", "5310"),
                    ("kind", "administrative_simple"),
                    ("title", "Zameldowanie na pobyt stały, ul. Leśna 2"),
                    ("party_name", "Anna Grudniowa"),
                    ("received_on", received),
                    ("channel", "post"),
                ],
            )
            .await
        }
    };
    app.login("urzednik").await;
    let r = post("2026-12-31").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // In the spis spraw of its year of receipt, with its real date.
    assert_eq!(
        app.count("SELECT CAST(year AS BIGINT) FROM case_file WHERE party_name = 'Anna Grudniowa'")
            .await,
        2026
    );
    let znak = app
        .scalar_text("SELECT znak FROM case_file WHERE party_name = 'Anna Grudniowa'")
        .await;
    assert!(znak.contains(".2026"), "{znak}");
    // Two years back is refused.
    let r = post("2025-12-31").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Once the head closes 2026, its spis takes no new case.
    app.logout().await;
    app.login("kierownik").await;
    let r = app
        .post_form(
            "/staff/archive/close",
            &[("unit_id", &sa), ("year", "2026")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    app.logout().await;
    app.login("urzednik").await;
    let r = post("2026-12-30").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Spis spraw roku wpływu jest już zamknięty"),
        "{}",
        r.body
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM case_file WHERE party_name = 'Anna Grudniowa'")
            .await,
        1
    );
}

async fn the_petitions_summary_covers_those_considered_in_the_year(app: TestApp) {
    let or = app
        .count("SELECT unit_id FROM case_file WHERE kind = 'petition' ORDER BY id LIMIT 1")
        .await;
    let today = today(&app);
    let year = today.year();
    let class = app
        .scalar_text(
            "SELECT jrwa_symbol FROM case_file WHERE kind = 'petition' ORDER BY id LIMIT 1",
        )
        .await;
    let mut new = case_in(or, &class, jiff::civil::date(year - 1, 12, 15));
    new.kind = CaseKind::Petition;
    new.title = "Petycja w sprawie oświetlenia ul. Zimowej".to_owned();
    let petition = register(&app, new).await.unwrap();
    let admin = app
        .count("SELECT id FROM app_user WHERE login = 'admin'")
        .await;
    step(&app, petition.id, Step::Assign { official_id: admin }).await;
    step(&app, petition.id, Step::Start).await;
    step(
        &app,
        petition.id,
        Step::Settle {
            on: today,
            outcome: "Petycję uwzględniono.".to_owned(),
        },
    )
    .await;
    let this_year = app.get(&format!("/petitions/summary/{year}")).await;
    assert_eq!(this_year.status, StatusCode::OK);
    assert!(
        this_year.body.contains("oświetlenia ul. Zimowej"),
        "{}",
        this_year.body
    );
    assert!(this_year.body.contains("Petycje rozpatrzone w roku"));
    let last_year = app.get(&format!("/petitions/summary/{}", year - 1)).await;
    assert!(!last_year.body.contains("oświetlenia ul. Zimowej"));
    // The public list of the year of receipt still shows it.
    let list = app.get(&format!("/petitions?year={}", year - 1)).await;
    assert!(list.body.contains("oświetlenia ul. Zimowej"));
}

async fn jrwa_leaves_at_three_and_five_digits_hold_cases(app: TestApp) {
    let year = i32::from(today(&app).year()) + 1;
    let file = "symbol;title;category;category_other\n\
                5;Sprawy obywatelskie;\n\
                53;Ewidencja ludności;\n\
                531;Meldunki;\n\
                5310;Zameldowania i wymeldowania;\n\
                53100;Zameldowania na pobyt stały;B10;Bc\n\
                53101;Zameldowania na pobyt czasowy;B5\n\
                55;Zgromadzenia;\n\
                550;Zgromadzenia publiczne;B5;Bc\n";
    let entries = magistrat::cases::jrwa::parse_csv(file).unwrap();
    let mut tx = app.db.begin().await.unwrap();
    store::import_jrwa(&mut tx, &Actor::system("test"), year, &entries)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    let classes = store::jrwa_classes(&app.db, year).await.unwrap();
    let get = |s: &str| classes.iter().find(|c| c.symbol == s).unwrap();
    assert!(!get("5310").is_leaf() && get("53100").is_leaf() && get("550").is_leaf());
    assert_eq!(get("53100").category_other.as_deref(), Some("Bc"));
    assert_eq!(get("53101").category_other.as_deref(), Some("B5"));
    let sa = unit(&app, "SA").await;
    let day = jiff::civil::date(i16::try_from(year).unwrap(), 2, 3);
    let five = register(&app, case_in(sa, "53100", day)).await.unwrap();
    assert!(five.znak.contains(".53100.1."), "{}", five.znak);
    let three = register(&app, case_in(sa, "550", day)).await.unwrap();
    assert!(three.znak.contains(".550.1."), "{}", three.znak);
    // The extended four-digit class is a group now.
    assert_eq!(
        register(&app, case_in(sa, "5310", day))
            .await
            .err()
            .as_deref(),
        Some("refused: case-jrwa-not-leaf")
    );
}

async fn only_the_head_of_the_unit_and_the_archivist_reach_the_archive(app: TestApp) {
    let spis = app.count("SELECT MIN(id) FROM archive_transfer").await;
    for (login, overview, files, transfer) in [
        ("kierownik", 200, 403, 200),
        ("admin", 403, 200, 200),
        ("urzednik", 403, 403, 403),
        ("obsluga", 403, 403, 403),
    ] {
        app.login(login).await;
        assert_eq!(
            app.get("/staff/archive").await.status.as_u16(),
            overview,
            "{login}"
        );
        assert_eq!(
            app.get("/staff/archive/files").await.status.as_u16(),
            files,
            "{login}"
        );
        assert_eq!(
            app.get(&format!("/staff/archive/transfers/{spis}"))
                .await
                .status
                .as_u16(),
            transfer,
            "{login}"
        );
        app.logout().await;
    }
}

async fn a_letter_names_its_case_by_znak_and_its_date_reaches_the_spis(app: TestApp) {
    let sa = unit(&app, "SA").await;
    let year = today(&app).year() - 2;
    let znak = app
        .scalar_text(&format!(
            "SELECT znak FROM case_file WHERE unit_id = {sa} AND year = {year} AND number = 2"
        ))
        .await;
    app.login("obsluga").await;
    let form = [
        ("channel", "post".to_owned()),
        ("received_on", today(&app).to_string()),
        // Midnight: never later than now, whatever the hour the test runs at.
        ("received_time", "00:00".to_owned()),
        ("org_unit_id", sa.to_string()),
        ("sender_name", "Tadeusz Kaczmarek".to_owned()),
        ("sender_address", "ul. Polna 3\n62-300 Borowiec".to_owned()),
        ("sender_reference", "TK/1/2024".to_owned()),
        ("sender_dated_on", format!("{year}-10-18")),
        ("subject", "Wniosek o wymeldowanie".to_owned()),
        ("case_id", znak.clone()),
    ];
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app
        .post_multipart("/staff/correspondence/new", &fields, &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM incoming_item i JOIN case_file c ON c.id = i.case_id WHERE i.sender_reference = 'TK/1/2024'")
            .await,
        1
    );
    // A znak that names no case is refused at its field, nothing registered.
    let before = app.count("SELECT COUNT(*) FROM incoming_item").await;
    let mut bad = fields.clone();
    bad.retain(|(k, _)| *k != "case_id");
    bad.push(("case_id", "SA.9999.1.2020"));
    let r = app
        .post_multipart("/staff/correspondence/new", &bad, &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Nie ma sprawy o tym znaku"), "{}", r.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM incoming_item").await,
        before
    );
    app.logout().await;
    app.login("kierownik").await;
    let page = app
        .get(&format!(
            "/staff/cases/register?unit={sa}&class=5310&year={year}"
        ))
        .await;
    assert!(page.body.contains("TK/1/2024"), "{}", page.body);
    // The spis spraw writes dates as people do (decision 0052).
    assert!(
        page.body.contains(&format!("18.10.{year}")),
        "{}",
        page.body
    );
}
