//! The officials' part of issue 15 through the real router: the workbench's counts and
//! lists (each count the number of rows of the list it links to), the case list sorted
//! by a column (`aria-sort`) and exported as CSV, bulk assignment (checked per case,
//! audited, all or nothing), the error title and focus of a form sent back, and the
//! home page's resident tasks.

use axum::http::{StatusCode, header};
use magistrat::cases::store::{self, Channel, NewCase};
use magistrat::db::audit::Actor;
use magistrat::platform::table::Column;
use magistrat_domain::deadline::CaseKind;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    the_workbench_counts_are_the_lists_they_link_to,
    unassigned_cases_and_letters_awaiting_dekretacja_are_on_the_workbench,
    the_case_list_sorts_by_a_column_on_the_server,
    the_csv_export_has_a_bom_semicolons_and_the_lists_filters,
    the_registers_export_as_csv_with_their_filters_and_scope,
    bulk_assignment_is_checked_per_case_audited_and_all_or_nothing,
    a_form_sent_back_with_errors_says_so_in_its_title,
    the_home_page_leads_to_every_resident_task,
    an_official_takes_an_unassigned_case_with_one_click,
    the_jrwa_choice_offers_the_units_classes_first,
);

async fn id_of(app: &TestApp, sql: &str) -> i64 {
    app.count(sql).await
}

async fn user_id(app: &TestApp, login: &str) -> i64 {
    id_of(
        app,
        &format!("SELECT id FROM app_user WHERE login = '{login}'"),
    )
    .await
}

async fn unit(app: &TestApp, symbol: &str) -> i64 {
    id_of(
        app,
        &format!("SELECT id FROM org_unit WHERE symbol = '{symbol}'"),
    )
    .await
}

/// Registers a case in `symbol`'s unit titled `title`, for `official` (or nobody).
async fn register(app: &TestApp, symbol: &str, title: &str, official: Option<i64>) -> i64 {
    let new = NewCase {
        unit_id: unit(app, symbol).await,
        jrwa_symbol: "5341".to_owned(),
        kind: CaseKind::AdministrativeSimple,
        title: title.to_owned(),
        party_name: "Jan Testowy".to_owned(),
        party_address: "ul. Polna 1, 62-300 Borowiec".to_owned(),
        party_email: String::new(),
        publish_consent: false,
        received_on: app.clock().today(),
        channel: Channel::Post,
        correspondence_id: None,
        official_id: official,
    };
    let mut tx = app.db.begin().await.unwrap();
    let case = store::register_case(&mut tx, &Actor::system("test"), new)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    case.id
}

async fn set_due(app: &TestApp, case: i64, days_from_today: i64) {
    let due = app
        .clock()
        .today()
        .checked_add(jiff::Span::new().days(days_from_today))
        .unwrap();
    app.exec(&format!(
        "UPDATE case_file SET due_on = '{due}' WHERE id = {case}"
    ))
    .await;
}

/// The workbench's counts: (label, number, link).
fn counts(body: &str) -> Vec<(String, i64, String)> {
    body.split("<li class=\"count")
        .skip(1)
        .filter_map(|item| {
            let href = item.split("href=\"").nth(1)?.split('"').next()?;
            let n = item.split("class=\"count-n\">").nth(1)?.split('<').next()?;
            let label = item
                .split("class=\"count-label\">")
                .nth(1)?
                .split('<')
                .next()?;
            Some((
                label.to_owned(),
                n.parse().ok()?,
                href.replace("&#38;", "&").replace("&amp;", "&"),
            ))
        })
        .collect()
}

fn count_of(body: &str, label: &str) -> (i64, String) {
    counts(body)
        .into_iter()
        .find(|(l, _, _)| l == label)
        .map(|(_, n, href)| (n, href))
        .unwrap_or_else(|| panic!("no count „{label}” in {:?}", counts(body)))
}

/// The rows of the case list (links to cases in its table body).
fn case_rows(body: &str) -> Vec<String> {
    let Some(start) = body.find("<tbody>") else {
        return Vec::new();
    };
    let end = body[start..]
        .find("</tbody>")
        .map_or(body.len(), |e| start + e);
    body[start..end]
        .split("<th scope=\"row\"><a href=\"/staff/cases/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// The titles in the case list, in order.
fn titles(body: &str, marker: &str) -> Vec<String> {
    // A cell is `<td>` or, in a list read as cards on a phone, `<td data-label="…">`.
    body.split("<td")
        .filter_map(|cell| cell.split_once('>').map(|(_, rest)| rest))
        .filter_map(|cell| cell.split("</td>").next())
        .filter(|cell| cell.starts_with(marker))
        .map(str::to_owned)
        .collect()
}

async fn the_workbench_counts_are_the_lists_they_link_to(app: TestApp) {
    let me = user_id(&app, "urzednik").await;
    let overdue = register(&app, "SA", "Sprawa po terminie", Some(me)).await;
    set_due(&app, overdue, -3).await;
    let today = register(&app, "SA", "Sprawa na dziś", Some(me)).await;
    set_due(&app, today, 0).await;
    let soon = register(&app, "SA", "Sprawa na ten tydzień", Some(me)).await;
    set_due(&app, soon, 5).await;
    app.login("urzednik").await;
    let page = app.get("/staff").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Dzisiejsza praca"), "{}", page.body);
    // The overdue case is listed with how late it is, nearest deadline first.
    assert!(page.body.contains("3 dni po terminie"));
    let first = page.body.find("Sprawa po terminie").unwrap();
    assert!(first < page.body.find("Sprawa na dziś").unwrap());
    for (label, must_hold) in [
        ("moich spraw po terminie", overdue),
        ("moich spraw z terminem dziś", today),
        ("moich spraw z terminem w ciągu 7 dni", soon),
        ("moich otwartych spraw", soon),
    ] {
        let (n, href) = count_of(&page.body, label);
        assert!(n >= 1, "{label}: {n}");
        let list = app.get(&href).await;
        assert_eq!(list.status, StatusCode::OK, "{href}");
        let rows = case_rows(&list.body);
        assert_eq!(rows.len() as i64, n, "{label}: {href}");
        assert!(rows.contains(&must_hold.to_string()), "{label}: {rows:?}");
    }
    // Counted against the database: the open cases of the official due before today.
    let due_before = app.clock().today();
    let expected = id_of(
        &app,
        &format!(
            "SELECT COUNT(*) FROM case_file WHERE official_id = {me} AND due_on < '{due_before}' \
             AND status IN ('registered', 'assigned', 'in_progress', 'suspended')"
        ),
    )
    .await;
    assert_eq!(count_of(&page.body, "moich spraw po terminie").0, expected);
    // The week's window holds today's case too; the overdue one is not in it.
    let week = app.get("/staff/cases?view=mine&status=open&due=week").await;
    let rows = case_rows(&week.body);
    assert!(rows.contains(&today.to_string()) && !rows.contains(&overdue.to_string()));
    // In English too.
    app.get("/lang/en?next=/staff").await;
    let en = app.get("/staff").await;
    assert!(en.body.contains("s work</h2>"), "the English heading");
    assert!(en.body.contains("3 days overdue"));
}

async fn unassigned_cases_and_letters_awaiting_dekretacja_are_on_the_workbench(app: TestApp) {
    let nobody = register(&app, "SA", "Nowa sprawa bez prowadzącego", None).await;
    app.login("kierownik").await;
    let page = app.get("/staff").await;
    assert!(page.body.contains("Nowa sprawa bez prowadzącego"));
    let (n, href) = count_of(&page.body, "nieprzydzielonych spraw moich komórek");
    let list = app.get(&href).await;
    let rows = case_rows(&list.body);
    assert_eq!(rows.len() as i64, n);
    assert!(rows.contains(&nobody.to_string()));
    // A head also sees the units' overdue count.
    count_of(&page.body, "spraw moich komórek po terminie");
    // An official of the unit sees the unassigned ones, but no head's count.
    app.logout().await;
    app.login("urzednik").await;
    let official = app.get("/staff").await;
    assert!(official.body.contains("Nowa sprawa bez prowadzącego"));
    assert!(!official.body.contains("spraw moich komórek po terminie"));
    // The front desk sees the letters no one has assigned yet, oldest first.
    app.logout().await;
    app.login("obsluga").await;
    let desk = app.get("/staff").await;
    let waiting = id_of(
        &app,
        "SELECT COUNT(*) FROM incoming_item i WHERE i.case_id IS NULL AND NOT EXISTS \
         (SELECT 1 FROM incoming_dekretacja d WHERE d.incoming_id = i.id)",
    )
    .await;
    assert_eq!(
        count_of(&desk.body, "pism czekających na dekretację").0,
        waiting
    );
    if waiting > 0 {
        let number = app
            .scalar_text(
                "SELECT i.register_number FROM incoming_item i WHERE i.case_id IS NULL \
                 AND NOT EXISTS (SELECT 1 FROM incoming_dekretacja d WHERE d.incoming_id = i.id) \
                 ORDER BY i.received_at, i.id LIMIT 1",
            )
            .await;
        assert!(desk.body.contains(&number), "{number}");
    }
    // Staff who work on no cases see no case counts, and the page still works.
    app.logout().await;
    app.login("redaktor").await;
    let editor = app.get("/staff").await;
    assert_eq!(editor.status, StatusCode::OK);
    assert!(!editor.body.contains("moich spraw po terminie"));
}

async fn the_case_list_sorts_by_a_column_on_the_server(app: TestApp) {
    let me = user_id(&app, "urzednik").await;
    for title in ["zzsort bravo", "zzsort alfa", "zzsort charlie"] {
        register(&app, "SA", title, Some(me)).await;
    }
    app.login("kierownik").await;
    let asc = app
        .get("/staff/cases?view=unit&status=all&q=zzsort&sort=title&dir=asc")
        .await;
    assert_eq!(asc.status, StatusCode::OK);
    assert_eq!(
        titles(&asc.body, "zzsort"),
        ["zzsort alfa", "zzsort bravo", "zzsort charlie"]
    );
    // Only the sorted column says so; its link sorts the other way.
    assert_eq!(asc.body.matches("aria-sort=").count(), 1);
    let sorted = asc.body.split("aria-sort=\"ascending\"").nth(1).unwrap();
    assert!(
        sorted
            .split("</th>")
            .next()
            .unwrap()
            .contains("sort=title&#38;dir=desc")
    );
    let desc = app
        .get("/staff/cases?view=unit&status=all&q=zzsort&sort=title&dir=desc")
        .await;
    assert!(desc.body.contains("aria-sort=\"descending\""));
    assert_eq!(
        titles(&desc.body, "zzsort"),
        ["zzsort charlie", "zzsort bravo", "zzsort alfa"]
    );
    // Every column, both ways, in each shape of the query (an official's, a unit's
    // subqueries); an unknown column is the default order, not an error.
    for login in ["urzednik", "kierownik"] {
        app.logout().await;
        app.login(login).await;
        for column in [
            "znak", "title", "party", "kind", "status", "official", "due", "nope",
        ] {
            for dir in ["asc", "desc"] {
                for view in ["mine", "unit", "unassigned"] {
                    let page = app
                        .get(&format!(
                            "/staff/cases?view={view}&status=all&sort={column}&dir={dir}"
                        ))
                        .await;
                    assert_eq!(page.status, StatusCode::OK, "{login} {view} {column} {dir}");
                }
            }
        }
    }
    // The whole office's shape (no demo role reads every unit's cases): the store.
    for &column in <store::SortColumn as Column>::ALL {
        for descending in [false, true] {
            let filter = store::CaseFilter {
                units: None,
                search: Some("zzsort".to_owned()),
                limit: 10,
                ..store::CaseFilter::default()
            };
            let sort = store::CaseSort { column, descending };
            let rows = store::cases_sorted(&app.db, &filter, sort).await.unwrap();
            assert_eq!(rows.len(), 3, "{column:?}");
        }
    }
    let by_title = store::cases_sorted(
        &app.db,
        &store::CaseFilter {
            units: None,
            search: Some("zzsort".to_owned()),
            limit: 10,
            ..store::CaseFilter::default()
        },
        store::CaseSort {
            column: store::SortColumn::Title,
            descending: true,
        },
    )
    .await
    .unwrap();
    assert_eq!(by_title[0].title, "zzsort charlie");
}

async fn the_csv_export_has_a_bom_semicolons_and_the_lists_filters(app: TestApp) {
    let me = user_id(&app, "urzednik").await;
    for title in [
        "zzcsv b; z średnikiem",
        "zzcsv a \"w cudzysłowie\"",
        "=zzcsv formuła",
    ] {
        register(&app, "SA", title, Some(me)).await;
    }
    app.login("kierownik").await;
    let list = app.get("/staff/cases?view=unit&status=all&q=zzcsv").await;
    assert!(
        list.body
            .contains("/staff/cases/export?view=unit&#38;status=all")
    );
    let csv = app
        .get("/staff/cases/export?view=unit&status=all&q=zzcsv&sort=title&dir=asc")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(
        csv.headers.get(header::CONTENT_TYPE).unwrap(),
        "text/csv; charset=utf-8"
    );
    assert!(
        csv.headers
            .get(header::CONTENT_DISPOSITION)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"sprawy-")
    );
    assert!(csv.body.starts_with('\u{feff}'), "no BOM");
    let lines: Vec<&str> = csv
        .body
        .trim_start_matches('\u{feff}')
        .split("\r\n")
        .collect();
    assert!(
        lines[0].starts_with("Znak sprawy;Treść sprawy;Od kogo wpłynęła;"),
        "{}",
        lines[0]
    );
    // The header, three rows sorted by title, the empty end after the last CRLF.
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert!(lines[1].contains(";'=zzcsv formuła;"), "{}", lines[1]);
    assert!(
        lines[2].contains(";\"zzcsv a \"\"w cudzysłowie\"\"\";"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].contains(";\"zzcsv b; z średnikiem\";"),
        "{}",
        lines[3]
    );
    assert!(lines[3].contains(";Jan Kowalski;"), "{}", lines[3]);
    // No raw codes: the kind and status in words.
    assert!(
        lines[3].contains("Zarejestrowana") || lines[3].contains("Przydzielona"),
        "{}",
        lines[3]
    );
    assert!(!csv.body.contains("administrative_simple"));
    // The export is the list's: outside it, nothing (a resident cannot have it).
    app.logout().await;
    let anonymous = app.get("/staff/cases/export?view=unit").await;
    assert_ne!(anonymous.status, StatusCode::OK);
}

async fn bulk_assignment_is_checked_per_case_audited_and_all_or_nothing(app: TestApp) {
    let official = user_id(&app, "urzednik").await;
    let a = register(&app, "SA", "Do przydziału A", None).await;
    let b = register(&app, "SA", "Do przydziału B", None).await;
    // GK (gospodarka komunalna) is not the head of SA's unit.
    let other = register(&app, "GK", "Sprawa innej komórki", None).await;
    let assigned_to =
        |id: i64| format!("SELECT COALESCE(official_id, 0) FROM case_file WHERE id = {id}");
    let audited = |id: i64| {
        format!(
            "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'case_file' \
             AND entity_id = '{id}' AND action = 'case_file.assign'"
        )
    };
    let official_s = official.to_string();
    let (a_s, b_s, other_s) = (a.to_string(), b.to_string(), other.to_string());
    // An official who is no head of unit may not assign at all.
    app.login("urzednik").await;
    let refused = app
        .post_form(
            "/staff/cases/assign",
            &[("case_id", &a_s), ("official_id", &official_s)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    app.logout().await;
    app.login("kierownik").await;
    // The list offers the form to a head: a box per case and the officials.
    let list = app.get("/staff/cases?view=unassigned").await;
    assert!(
        list.body
            .contains(&format!("name=\"case_id\" value=\"{a}\""))
    );
    assert!(list.body.contains("action=\"/staff/cases/assign\""));
    // A case outside the head's units refuses the whole request: none is assigned.
    let mixed = app
        .post_form(
            "/staff/cases/assign",
            &[
                ("case_id", &a_s),
                ("case_id", &other_s),
                ("official_id", &official_s),
            ],
        )
        .await;
    assert_eq!(mixed.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count(&assigned_to(a)).await, 0);
    assert_eq!(app.count(&assigned_to(other)).await, 0);
    // A closed case among them: 409, none assigned.
    let closed = register(&app, "SA", "Sprawa zakończona", Some(official)).await;
    app.exec(&format!(
        "UPDATE case_file SET status = 'closed' WHERE id = {closed}"
    ))
    .await;
    let with_closed = app
        .post_form(
            "/staff/cases/assign",
            &[
                ("case_id", &a_s),
                ("case_id", &closed.to_string()),
                ("official_id", &official_s),
            ],
        )
        .await;
    assert_eq!(with_closed.status, StatusCode::CONFLICT);
    assert_eq!(app.count(&assigned_to(a)).await, 0);
    // Nothing ticked, or nobody chosen: 422 with the problems named, nothing written.
    let none = app
        .post_form(
            "/staff/cases/assign",
            &[("view", "unassigned"), ("official_id", &official_s)],
        )
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("Zaznacz co najmniej jedną sprawę."));
    let nobody = app
        .post_form(
            "/staff/cases/assign",
            &[("case_id", &a_s), ("official_id", "999999")],
        )
        .await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nobody.body.contains("href=\"#f-official_id\""));
    // The ticked case stays ticked on the page sent back.
    assert!(
        nobody
            .body
            .contains(&format!("value=\"{a}\" id=\"case-{a}\" checked"))
    );
    assert_eq!(app.count(&assigned_to(a)).await, 0);
    assert_eq!(app.count(&audited(a)).await, 0);
    // Both cases of the unit: assigned together, each audited, back to the list.
    let done = app
        .post_form(
            "/staff/cases/assign",
            &[
                ("view", "unassigned"),
                ("case_id", &a_s),
                ("case_id", &b_s),
                ("official_id", &official_s),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(done.location().starts_with("/staff/cases?view=unassigned"));
    for case in [a, b] {
        assert_eq!(app.count(&assigned_to(case)).await, official);
        assert_eq!(app.count(&audited(case)).await, 1);
        assert_eq!(
            app.scalar_text(&format!("SELECT status FROM case_file WHERE id = {case}"))
                .await,
            "assigned"
        );
    }
    let flash = app.get(done.location()).await;
    assert!(flash.body.contains("Przydzielono zaznaczone sprawy."));
}

async fn a_form_sent_back_with_errors_says_so_in_its_title(app: TestApp) {
    app.login("kierownik").await;
    let refused = app.post_form("/staff/cases/new", &[("title", "")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("<title>Błąd: "),
        "{}",
        &refused.body[..400]
    );
    assert!(refused.body.contains("id=\"error-summary\" autofocus"));
    // A page without errors keeps its title.
    let fine = app.get("/staff/cases/new").await;
    assert!(!fine.body.contains("<title>Błąd"));
    app.get("/lang/en?next=/staff").await;
    let english = app.post_form("/staff/cases/new", &[("title", "")]).await;
    assert!(english.body.contains("<title>Error: "));
}

async fn the_home_page_leads_to_every_resident_task(app: TestApp) {
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    for href in [
        "/services",
        "/services?online=1",
        "/case-status",
        "/my-cases",
        "/petitions",
        "/service-points",
    ] {
        assert!(home.body.contains(&format!("href=\"{href}\"")), "{href}");
        let page = app.get(href).await;
        assert!(
            page.status == StatusCode::OK || page.status == StatusCode::SEE_OTHER,
            "{href}: {}",
            page.status
        );
    }
    assert!(home.body.contains("href=\"#contact-heading\""));
}

async fn the_registers_export_as_csv_with_their_filters_and_scope(app: TestApp) {
    app.login("obsluga").await;
    let list = app.get("/staff/correspondence").await;
    assert!(
        list.body
            .contains("/staff/correspondence/export?year=&#38;channel=&#38;unit=&#38;q=")
    );
    let csv = app.get("/staff/correspondence/export").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv
        .body
        .trim_start_matches('\u{feff}')
        .split("\r\n")
        .collect();
    assert!(
        lines[0].starts_with("Numer;Wpłynęło;Sposób wpływu;Nadawca;"),
        "{}",
        lines[0]
    );
    let all = app.count("SELECT COUNT(*) FROM incoming_item").await;
    assert_eq!(
        lines.len() as i64 - 2,
        all,
        "every item of the office for the front desk"
    );
    // Channels in words, never their codes.
    assert!(!csv.body.contains(";epuap;") && !csv.body.contains(";counter;"));
    // The list's filter: one channel only.
    let post = app
        .count("SELECT COUNT(*) FROM incoming_item WHERE channel = 'post'")
        .await;
    let filtered = app.get("/staff/correspondence/export?channel=post").await;
    assert_eq!(filtered.body.split("\r\n").count() as i64 - 2, post);
    // A wrong filter is refused, not exported unfiltered.
    let bad = app.get("/staff/correspondence/export?channel=pigeon").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let out = app.get("/staff/correspondence/outgoing/export").await;
    assert_eq!(out.status, StatusCode::OK);
    assert!(out.body.contains("Sposób wysyłki"));
    // An official of SA exports only SA's items.
    app.logout().await;
    app.login("urzednik").await;
    let scoped = app.get("/staff/correspondence/export").await;
    let scoped_items = scoped.body.split("\r\n").count() as i64 - 2;
    assert!(
        scoped_items > 0 && scoped_items < all,
        "{scoped_items} of {all}"
    );
    assert!(!scoped.body.contains(";GK\r\n"));
}

/// „Biorę”: an official takes an unassigned case of their unit from the workbench — the
/// assignment step with themselves, in the history and the audit trail; once only (two
/// takes at once: one wins, the other is told why with 409); never a case of a unit
/// whose cases they do not handle.
async fn an_official_takes_an_unassigned_case_with_one_click(app: TestApp) {
    let official = user_id(&app, "urzednik").await;
    let case = register(&app, "SA", "Sprawa do wzięcia", None).await;
    let other = register(&app, "GK", "Sprawa innej komórki do wzięcia", None).await;
    app.login("urzednik").await;
    let page = app.get("/staff").await;
    let button = format!("action=\"/staff/cases/{case}/take\"");
    assert!(page.body.contains(&button), "{}", page.body);
    assert!(page.body.contains("Biorę sprawę"));
    // The head's page has no take column for cases they merely assign.
    let take = format!("/staff/cases/{case}/take");
    let (first, second) = tokio::join!(app.post_form(&take, &[]), app.post_form(&take, &[]));
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let refused = if first.status == StatusCode::CONFLICT {
        first
    } else {
        second
    };
    assert!(
        refused
            .body
            .contains("przed chwilą wziął lub otrzymał inny pracownik"),
        "{}",
        refused.body
    );
    assert_eq!(
        id_of(
            &app,
            &format!("SELECT COALESCE(official_id, 0) FROM case_file WHERE id = {case}")
        )
        .await,
        official
    );
    assert_eq!(
        app.scalar_text(&format!("SELECT status FROM case_file WHERE id = {case}"))
            .await,
        "assigned"
    );
    assert_eq!(
        id_of(
            &app,
            &format!(
                "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'case_file' \
                 AND entity_id = '{case}' AND action = 'case_file.assign' \
                 AND actor_login = 'urzednik'"
            )
        )
        .await,
        1
    );
    // Off the workbench's unassigned list now.
    let page = app.get("/staff").await;
    assert!(!page.body.contains(&button));
    // Not a case of a unit whose cases they handle: refused, nothing written.
    let foreign = app
        .post_form(&format!("/staff/cases/{other}/take"), &[])
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert_eq!(
        id_of(
            &app,
            &format!("SELECT COALESCE(official_id, 0) FROM case_file WHERE id = {other}")
        )
        .await,
        0
    );
}

/// The values of the options in the `<optgroup>` labelled `label` (none: no such group).
fn option_group(body: &str, label: &str) -> Vec<String> {
    let Some(start) = body.find(&format!("<optgroup label=\"{label}\">")) else {
        return Vec::new();
    };
    let group = &body[start..];
    let group = &group[..group.find("</optgroup>").unwrap()];
    group
        .split("<option value=\"")
        .skip(1)
        .filter_map(|o| o.split('"').next().map(str::to_owned))
        .collect()
}

/// Registers `n` cases of `unit` in the JRWA class `class`.
async fn register_in_class(app: &TestApp, unit_symbol: &str, class: &str, n: usize) {
    let unit_id = unit(app, unit_symbol).await;
    let mut tx = app.db.begin().await.unwrap();
    for i in 0..n {
        let new = NewCase {
            unit_id,
            jrwa_symbol: class.to_owned(),
            kind: CaseKind::AdministrativeSimple,
            title: format!("Sprawa w klasie {class} nr {i}"),
            party_name: "Jan Testowy".to_owned(),
            party_address: "ul. Polna 1, 62-300 Borowiec".to_owned(),
            party_email: String::new(),
            publish_consent: false,
            received_on: app.clock().today(),
            channel: Channel::Post,
            correspondence_id: None,
            official_id: None,
        };
        store::register_case(&mut tx, &Actor::system("test"), new)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

/// Wherever an official picks a JRWA class, the classes their units register cases
/// under come first („Klasy Twojej komórki”, the most used first), then the others;
/// another unit's use does not count; an office-wide grant goes by the unit of the
/// user's post; every class is offered once.
async fn the_jrwa_choice_offers_the_units_classes_first(app: TestApp) {
    const OWN: &str = "Klasy Twojej komórki";
    const OTHER: &str = "Pozostałe klasy";
    app.login("urzednik").await;
    let before = app.get("/staff/cases/new").await;
    assert_eq!(before.status, StatusCode::OK);
    let own_before = option_group(&before.body, OWN);
    let other_before = option_group(&before.body, OTHER);
    assert!(other_before.len() >= 3, "{}", before.body);
    // Two classes SA has never used, and the most cases SA has in any one class.
    let (fresh, busier) = (other_before[0].clone(), other_before[1].clone());
    let top = id_of(
        &app,
        "SELECT COALESCE(MAX(n), 0) FROM (SELECT SUM(c.last_number) AS n FROM case_counter c \
         JOIN org_unit u ON u.id = c.unit_id WHERE u.symbol IN ('SA', 'USC') \
         GROUP BY c.jrwa_symbol) t",
    )
    .await;
    register_in_class(&app, "SA", &fresh, 1).await;
    register_in_class(&app, "USC", &busier, usize::try_from(top).unwrap() + 1).await;
    // Another unit's cases do not make a class SA's.
    let elsewhere = other_before[2].clone();
    register_in_class(&app, "GK", &elsewhere, 3).await;

    let after = app.get("/staff/cases/new").await;
    let own = option_group(&after.body, OWN);
    let other = option_group(&after.body, OTHER);
    assert_eq!(own.first(), Some(&busier), "the most used first: {own:?}");
    assert!(own.contains(&fresh) && !other.contains(&fresh));
    assert!(other.contains(&elsewhere) && !own.contains(&elsewhere));
    assert_eq!(own.len(), own_before.len() + 2);
    let mut all: Vec<&String> = own.iter().chain(&other).collect();
    let offered = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), offered, "every class once");
    assert_eq!(offered, own_before.len() + other_before.len());
    // The own group comes before the others in the select.
    assert!(after.body.find(OWN).unwrap() < after.body.find(OTHER).unwrap());
    // A class from either group registers the case (the check takes both).
    let sa = unit(&app, "SA").await.to_string();
    let today = app.clock().today().to_string();
    let created = app
        .post_form(
            "/staff/cases/new",
            &[
                ("unit_id", sa.as_str()),
                ("jrwa_symbol", elsewhere.as_str()),
                ("kind", "administrative_simple"),
                ("title", "Sprawa z klasy spoza komórki"),
                ("party_name", "Jan Testowy"),
                ("received_on", today.as_str()),
                ("channel", "post"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);

    // The card editor too; the administrator's grant is office-wide, so their post's
    // unit (IT) decides: nothing registered there, no group of their own yet.
    app.logout().await;
    app.login("admin").await;
    let editor = app.get("/staff/service-cards/new").await;
    assert_eq!(editor.status, StatusCode::OK);
    assert!(option_group(&editor.body, OWN).is_empty());
    assert!(!editor.body.contains(OWN));
    register_in_class(&app, "IT", &fresh, 2).await;
    let editor = app.get("/staff/service-cards/new").await;
    assert_eq!(option_group(&editor.body, OWN), vec![fresh.clone()]);
    assert!(option_group(&editor.body, OTHER).contains(&busier));
}
