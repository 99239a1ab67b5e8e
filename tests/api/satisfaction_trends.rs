//! Issue 14's remaining parts, on both backends (decision 0051): the settlement notice
//! with the link to rate (through a real SMTP conversation, once, Polish or the
//! filing's English, none without an address); year-on-year and quarterly trends with
//! their intervals and a suppressed small unit on the staff page, the public page and
//! the CSVs, never per official; the PDF report with its permission; comments grouped
//! by unit and category.

use axum::http::{StatusCode, header};
use magistrat::cases::store::{self, NewCase, Step};
use magistrat::db::audit::Actor;
use magistrat::platform::channel::Channel;
use magistrat::satisfaction::report::{ReportScope, document};
use magistrat::satisfaction::store::Filter;
use magistrat::web::i18n::Lang;
use magistrat_domain::deadline::CaseKind;
use magistrat_domain::satisfaction_trend::Granularity;

use crate::applications::{pdf, residence_certificate};
use crate::backend_tests;
use crate::helpers::TestApp;
use crate::smtp_sink::SmtpSink;

backend_tests!(
    a_settled_case_mails_the_link_to_rate_once,
    trends_per_year_and_quarter_with_a_suppressed_unit,
    the_pdf_report_has_figures_only_for_published_groups,
    the_day_sums_follow_every_change_to_the_ratings,
    the_trends_api_gives_periods_with_changes_and_suppresses_small_groups,
    an_owed_notice_outlives_a_mail_server_that_is_down,
);

/// Tuesday 8 December 2026, 10:30 in Warsaw.
const MOMENT: &str = "2026-12-08T09:30:00Z";

/// A case of SA registered for `email`, assigned to `urzednik` and started.
async fn open_case(app: &TestApp, email: &str) -> (i64, String) {
    let sa = app
        .count("SELECT id FROM org_unit WHERE symbol = 'SA'")
        .await;
    let today = app.db.clock().today();
    let new = NewCase {
        unit_id: sa,
        jrwa_symbol: "5340".to_owned(),
        kind: CaseKind::AdministrativeSimple,
        title: "Zameldowanie na pobyt stały".to_owned(),
        party_name: "Jan Testowy".to_owned(),
        party_address: "ul. Polna 1, 62-300 Borowiec".to_owned(),
        party_email: email.to_owned(),
        publish_consent: false,
        received_on: today,
        channel: Channel::Eservice,
        correspondence_id: None,
        official_id: None,
    };
    let actor = Actor::system("test");
    let mut tx = app.db.begin().await.unwrap();
    let case = store::register_case(&mut tx, &actor, new).await.unwrap();
    tx.commit().await.unwrap();
    start(app, case.id).await;
    (case.id, case.tracking_code)
}

async fn start(app: &TestApp, case_id: i64) {
    let urzednik = app
        .count("SELECT id FROM app_user WHERE login = 'urzednik'")
        .await;
    let actor = Actor::system("test");
    for step in [
        Step::Assign {
            official_id: urzednik,
        },
        Step::Start,
    ] {
        let mut tx = app.db.begin().await.unwrap();
        store::apply_step(&mut tx, &actor, case_id, step)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
}

/// Settles the case through the case page's form, as the official does.
async fn settle(app: &TestApp, case_id: i64) -> StatusCode {
    let today = app.db.clock().today().to_string();
    app.login("urzednik").await;
    let r = app
        .post_form(
            &format!("/staff/cases/{case_id}/actions/settle"),
            &[("on", today.as_str()), ("outcome", "Wydano decyzję")],
        )
        .await;
    app.logout().await;
    r.status
}

fn settled_mails(sink: &SmtpSink, to: &str) -> usize {
    sink.messages()
        .iter()
        .filter(|m| m.to.iter().any(|t| t.contains(to)))
        .filter(|m| {
            let s = m.subject();
            s.contains("została załatwiona") || s.contains("has been settled")
        })
        .count()
}

async fn a_settled_case_mails_the_link_to_rate_once(app: TestApp) {
    let sink = SmtpSink::start().await;
    let url = sink.url.clone();
    let app = TestApp::spawn_with(app.backend, |c| {
        c.smtp_url = Some(url);
        c.public_url = Some("https://urzad.example.pl".to_owned());
        c.clock = Some(MOMENT.parse().unwrap());
    })
    .await
    .unwrap();
    let (case_id, code) = open_case(&app, "jan.settled@example.pl").await;
    assert_eq!(settle(&app, case_id).await, StatusCode::SEE_OTHER);
    let mail = sink
        .wait_for("jan.settled@example.pl", "została załatwiona")
        .await
        .expect("the settlement notice is mailed");
    let znak = app
        .scalar_text(&format!("SELECT znak FROM case_file WHERE id = {case_id}"))
        .await;
    assert!(mail.subject().contains(&znak), "{}", mail.subject());
    let link = format!("https://urzad.example.pl/case-status/{code}/rating");
    let text = mail.part("text/plain").expect("a text part").text();
    let html = mail.part("text/html").expect("an HTML part").text();
    assert!(text.contains(&link), "{text}");
    assert!(text.contains("8 grudnia 2026"), "{text}");
    assert!(html.contains(&format!("href=\"{link}\"")), "{html}");
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"pl\">"));
    // The link leads to the rating form of that case.
    let form = app.get(&format!("/case-status/{code}/rating")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(r#"name="nps""#));

    // Settled once: a second settlement is refused and closing mails nothing.
    assert_eq!(
        settle(&app, case_id).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    app.login("urzednik").await;
    let closed = app
        .post_form(&format!("/staff/cases/{case_id}/actions/close"), &[])
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
    app.logout().await;

    // A case without an address: settled, nothing mailed.
    let (silent, _) = open_case(&app, "").await;
    let before = sink.messages().len();
    assert_eq!(settle(&app, silent).await, StatusCode::SEE_OTHER);

    // A filing made in English is told in English.
    app.set_cookie("magistrat_lang", "en");
    let scan = pdf();
    let mut fields = residence_certificate();
    fields.push(("submission_key", "key-settled-notice-0001"));
    let filed = app
        .post_multipart(
            "/services/SA-2/apply",
            &fields,
            &[("fee_proof", "oplata.pdf", "application/pdf", &scan)],
        )
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    app.clear_cookies();
    let filed_case = app
        .count("SELECT case_id FROM application ORDER BY id DESC LIMIT 1")
        .await;
    start(&app, filed_case).await;
    assert_eq!(settle(&app, filed_case).await, StatusCode::SEE_OTHER);
    let english = sink
        .wait_for("anna.wisniewska@example.pl", "has been settled")
        .await
        .expect("the English notice is mailed");
    let text = english.part("text/plain").expect("a text part").text();
    assert!(
        text.contains("Rate how the office handled your case"),
        "{text}"
    );
    assert!(text.contains("8 December 2026"), "{text}");

    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        settled_mails(&sink, "jan.settled@example.pl"),
        1,
        "mailed once"
    );
    let after: Vec<String> = sink.messages()[before..]
        .iter()
        .flat_map(|m| m.to.clone())
        .collect();
    assert!(
        after.iter().all(|t| t.contains("anna.wisniewska")),
        "nothing for the case without an address: {after:?}"
    );
}

/// Ratings of two years before the demo's, inserted as the demo inserts its own:
/// SA 30 in 2023 (20 satisfied) and 40 in 2024 (36), WO-II 5 in 2024 (suppressed).
async fn two_years(app: &TestApp) {
    let unit = |symbol: &'static str| async move {
        app.count(&format!(
            "SELECT id FROM org_unit WHERE symbol = '{symbol}'"
        ))
        .await
    };
    let (sa, wo) = (unit("SA").await, unit("WO-II").await);
    let mut rows = Vec::new();
    let mut add = |unit: i64, day: &str, n: usize, satisfied: usize, comment: &str| {
        for i in 0..n {
            let score = if i < satisfied { 5 } else { 2 };
            let nps = if i < satisfied { 10 } else { 3 };
            let (text, state) = if i == 0 && !comment.is_empty() {
                (comment, "approved")
            } else {
                ("", "none")
            };
            rows.push(format!(
                "('case', 'eservice', NULL, 'administrative_simple', {unit}, NULL, '{day}', \
                 {score}, {score}, {nps}, '{text}', '{state}')"
            ));
        }
    };
    add(sa, "2023-03-15", 30, 20, "");
    add(sa, "2024-05-20", 40, 36, "Trend-komentarz-SA");
    add(wo, "2024-06-01", 5, 5, "Trend-komentarz-WO");
    app.exec(&format!(
        "INSERT INTO sat_rating (subject, channel, location_id, category, unit_id, \
         official_id, service_on, service_score, official_score, nps, comment, \
         comment_state) VALUES {}",
        rows.join(", ")
    ))
    .await;
}

const PERIOD: &str = "from=2023-01-01&to=2024-12-31";

async fn trends_per_year_and_quarter_with_a_suppressed_unit(app: TestApp) {
    two_years(&app).await;
    app.login("jakosc").await;
    let page = app.get(&format!("/staff/satisfaction?{PERIOD}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    for words in [
        "sat-th-office",
        "sat-th-unit",
        "sat-th-location",
        "sat-th-channel",
    ] {
        assert!(body.contains(words), "{words}");
    }
    // The office in 2023 and 2024: 20/30 and 41/45 satisfied; the change is clear.
    assert!(body.contains("67 %") && body.contains("91 %"), "{body}");
    assert!(body.contains("wyraźna"), "{body}");
    assert!(body.contains("sat-trend-csat-office") && body.contains("sat-trend-nps-office"));
    // Comments grouped by unit and kind of case, the small unit's left out.
    assert!(body.contains("sat-unit-comments"));
    assert!(body.contains("Trend-komentarz-SA"));
    assert!(
        !body.contains("Trend-komentarz-WO"),
        "WO-II is under the threshold"
    );
    assert!(body.contains("Sprawa wymagająca postępowania wyjaśniającego"));

    let csv = app
        .get(&format!("/staff/satisfaction/trends.csv?by=unit&{PERIOD}"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.body.lines().collect();
    let row = |group: &str, period: &str| {
        lines
            .iter()
            .map(|l| l.split(';').collect::<Vec<_>>())
            .find(|c| c[0].starts_with(group) && c[1] == period)
            .unwrap_or_else(|| panic!("{group} {period} in {lines:?}"))
    };
    let sa23 = row("SA ", "2023");
    assert_eq!((sa23[2], sa23[3]), ("30", "0,667"));
    let sa24 = row("SA ", "2024");
    assert_eq!((sa24[2], sa24[3]), ("40", "0,900"));
    assert_eq!(sa24[13], "0,233", "the change from 2023");
    let wo24 = row("WO-II ", "2024");
    assert_eq!(wo24[2], "5");
    assert!(wo24[3..12].iter().all(|c| c.is_empty()), "{wo24:?}");
    assert_eq!(wo24[12], "1");
    // WO-II had no ratings in 2023: the row is there, counted 0, without figures.
    assert_eq!(row("WO-II ", "2023")[2], "0");

    // Quarters: every quarter from the first to the last, gaps included.
    let quarters = app
        .get(&format!(
            "/staff/satisfaction/trends.csv?by=office&per=quarter&{PERIOD}"
        ))
        .await;
    let periods: Vec<String> = quarters
        .body
        .lines()
        .skip(1)
        .map(|l| l.split(';').nth(1).unwrap().to_owned())
        .collect();
    assert_eq!(periods.first().map(String::as_str), Some("2023-Q1"));
    assert_eq!(periods.last().map(String::as_str), Some("2024-Q2"));
    assert_eq!(periods.len(), 6);
    // Never per official, whatever is asked.
    let official = app
        .get(&format!(
            "/staff/satisfaction/trends.csv?by=official&{PERIOD}"
        ))
        .await;
    assert!(official.body.contains("Wszystkie oceny"));
    assert!(!official.body.contains("Kowalski"));
    app.logout().await;

    // An official without the unit view: no trends, no CSV, no report.
    app.login("urzednik").await;
    assert!(
        !app.get("/staff/satisfaction")
            .await
            .body
            .contains("sat-th-unit")
    );
    for path in [
        "/staff/satisfaction/trends.csv",
        "/staff/satisfaction/report.pdf",
    ] {
        assert_eq!(app.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    app.logout().await;

    // The public page: per unit and place, the same figures, nobody named.
    let public = app.get(&format!("/satisfaction?{PERIOD}")).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("sat-th-unit") && public.body.contains("sat-th-location"));
    assert!(!public.body.contains("sat-th-official"));
    assert!(public.body.contains("67 %") && public.body.contains("<svg"));
    let public_csv = app
        .get(&format!("/satisfaction/trends.csv?by=unit&{PERIOD}"))
        .await;
    assert_eq!(public_csv.status, StatusCode::OK);
    assert!(public_csv.body.contains("0,667"));
    // English quarters on the public page.
    app.set_cookie("magistrat_lang", "en");
    let en = app
        .get(&format!("/satisfaction?per=quarter&{PERIOD}"))
        .await;
    assert!(en.body.contains("Q1 2023"), "{}", en.body);
}

async fn the_pdf_report_has_figures_only_for_published_groups(app: TestApp) {
    two_years(&app).await;
    app.login("jakosc").await;
    let r = app
        .get(&format!("/staff/satisfaction/report.pdf?{PERIOD}"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/pdf"
    );
    assert!(r.body.starts_with("%PDF-"));
    app.logout().await;

    let scope = ReportScope {
        filter: Filter {
            from: Some("2023-01-01".into()),
            to: Some("2024-12-31".into()),
            official_id: None,
            units: None,
        },
        per: Granularity::Year,
        campaigns: true,
    };
    let created = app.clock().now_in_warsaw();
    let doc = document(&app.db, Lang::Pl, &scope, created).await.unwrap();
    let rows: Vec<(String, String)> = doc
        .sections
        .iter()
        .flat_map(|s| {
            s.rows.iter().map(|(k, v)| {
                (
                    format!("{} / {k}", s.heading.clone().unwrap_or_default()),
                    v.clone(),
                )
            })
        })
        .collect();
    // (section / label) → value; a trend row's label is "<group> — <period>".
    let find = |section: &str, label: &str, period: &str| {
        rows.iter()
            .find(|(k, _)| k.starts_with(section) && k.contains(label) && k.ends_with(period))
            .unwrap_or_else(|| panic!("{section} {label} {period} in {rows:?}"))
            .1
            .clone()
    };
    let total = find("Razem / ", "Wszystkie oceny", "");
    assert!(total.starts_with("n = 75 · zadowoleni 81 %"), "{total}");
    let units = "Według komórek organizacyjnych / ";
    let sa = find(units, "/ SA ", "");
    assert!(sa.contains("n = 70") && sa.contains("NPS"), "{sa}");
    let wo = find(units, "/ WO-II ", "");
    assert_eq!(wo, "n = 5 · Za mało ocen do publikacji");
    let trend = find("Zmiany w czasie — Cały urząd / ", "", "2024");
    assert!(trend.contains("zmiana: +24 p.p."), "{trend}");
    let small_year = find("Zmiany w czasie — Według komórek", "/ WO-II ", "2024");
    assert!(
        small_year.starts_with("n = 5 · ") && !small_year.contains("zadowoleni"),
        "{small_year}"
    );
    // The demo's campaigns, their blocks with figures or suppressed.
    assert!(
        rows.iter().any(|(k, _)| k.starts_with("Badanie: ")),
        "{rows:?}"
    );
    assert!(!rows.iter().any(|(_, v)| v.contains("Kowalski")));
}

/// Every rating's day, unit, location and channel with its sums, as text: from the day
/// sums (migration 0050) or added up from the ratings themselves.
async fn sums_by_day(app: &TestApp, from_ratings: bool) -> Vec<String> {
    let sql = if from_ratings {
        "SELECT service_on || '|' || CAST(COALESCE(unit_id, 0) AS TEXT) || '|' || \
         CAST(COALESCE(location_id, 0) AS TEXT) || '|' || channel || '|' || \
         CAST(COUNT(*) AS TEXT) || '|' || CAST(SUM(service_score) AS TEXT) || '|' || \
         CAST(SUM(CASE WHEN service_score >= 4 THEN 1 ELSE 0 END) AS TEXT) || '|' || \
         CAST(SUM(official_score) AS TEXT) || '|' || \
         CAST(SUM(CASE WHEN official_score >= 4 THEN 1 ELSE 0 END) AS TEXT) || '|' || \
         CAST(SUM(CASE WHEN nps >= 9 THEN 1 ELSE 0 END) AS TEXT) || '|' || \
         CAST(SUM(CASE WHEN nps <= 6 THEN 1 ELSE 0 END) AS TEXT) \
         FROM sat_rating GROUP BY service_on, COALESCE(unit_id, 0), \
         COALESCE(location_id, 0), channel ORDER BY 1"
    } else {
        "SELECT service_on || '|' || CAST(unit_id AS TEXT) || '|' || \
         CAST(location_id AS TEXT) || '|' || channel || '|' || CAST(n AS TEXT) || '|' || \
         CAST(service_sum AS TEXT) || '|' || CAST(service_satisfied AS TEXT) || '|' || \
         CAST(official_sum AS TEXT) || '|' || CAST(official_satisfied AS TEXT) || '|' || \
         CAST(promoters AS TEXT) || '|' || CAST(detractors AS TEXT) \
         FROM sat_day_sums ORDER BY 1"
    };
    app.texts(sql).await
}

/// The results are read from the day sums (decision 0054): they must equal the ratings
/// after inserts (the demo's, a bulk insert, one through the resident's page), a
/// moderation, a re-scoring and a deletion, however they were made.
async fn the_day_sums_follow_every_change_to_the_ratings(app: TestApp) {
    let demo = sums_by_day(&app, false).await;
    assert!(!demo.is_empty(), "the demo's ratings are summed");
    assert_eq!(demo, sums_by_day(&app, true).await);

    two_years(&app).await;
    assert_eq!(
        sums_by_day(&app, false).await,
        sums_by_day(&app, true).await
    );

    // A moderation changes no sum; a re-scoring and a deletion by hand do.
    app.exec("UPDATE sat_rating SET comment_state = 'rejected', comment = '' WHERE comment <> ''")
        .await;
    app.exec(
        "UPDATE sat_rating SET service_score = 1, nps = 0, unit_id = NULL \
         WHERE service_on = '2023-03-15' AND service_score = 5",
    )
    .await;
    app.exec("DELETE FROM sat_rating WHERE service_on = '2024-06-01'")
        .await;
    let after = sums_by_day(&app, false).await;
    assert_eq!(after, sums_by_day(&app, true).await);
    assert!(
        !after.iter().any(|row| row.starts_with("2024-06-01|")),
        "a day with no rating left has no row: {after:?}"
    );
    assert!(
        after.iter().any(|row| row.starts_with("2023-03-15|0|")),
        "ratings without a unit are summed under 0: {after:?}"
    );

    // The published figures come from the sums: the office's 2023 after the re-scoring
    // (the 20 satisfied ones now score 1, so none of the 30 is satisfied).
    let year_2023 = Filter {
        from: Some("2023-01-01".into()),
        to: Some("2023-12-31".into()),
        official_id: None,
        units: None,
    };
    let (n, summary) = magistrat::satisfaction::service::summary(&app.db, &year_2023, 10)
        .await
        .unwrap();
    assert_eq!(n, 30);
    let summary = summary.expect("30 ratings are published");
    assert!(summary.service_csat.value.abs() < 1e-9, "{summary:?}");
    let page = app.get("/satisfaction?from=2023-01-01&to=2023-12-31").await;
    assert_eq!(page.status, StatusCode::OK);
}

async fn the_trends_api_gives_periods_with_changes_and_suppresses_small_groups(app: TestApp) {
    two_years(&app).await;
    let office = app
        .get(&format!("/api/v1/satisfaction/trends?{PERIOD}"))
        .await;
    assert_eq!(office.status, StatusCode::OK, "{}", office.body);
    let office = office.json();
    assert_eq!(office["by"], "office");
    assert_eq!(office["per"], "year");
    let groups = office["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["key"], "office");
    let periods = groups[0]["periods"].as_array().unwrap();
    let years: Vec<&str> = periods
        .iter()
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    assert_eq!(years, ["2023", "2024"]);
    // 20 of 30 satisfied, then 41 of 45: +24 points, a change the samples support.
    assert_eq!(periods[0]["n"], 30);
    assert_eq!(periods[0]["csat"], 0.6667);
    assert!(periods[0].get("csat_change").is_none());
    let change = &periods[1]["csat_change"];
    assert_eq!(change["from"], "2023");
    assert_eq!(change["difference"], 0.2444);
    assert_eq!(change["clear"], true);
    let ci = change["ci"].as_array().unwrap();
    assert!(ci[0].as_f64().unwrap() > 0.0 && ci[1].as_f64().unwrap() < 0.5);

    // Per unit and quarter: WO-II's five ratings have no figures.
    let units = app
        .get(&format!(
            "/api/v1/satisfaction/trends?by=unit&per=quarter&{PERIOD}"
        ))
        .await
        .json();
    let wo = units["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["label"].as_str().unwrap().starts_with("WO-II"))
        .expect("WO-II has a trend");
    let q2 = wo["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["period"] == "2024-Q2")
        .unwrap();
    assert_eq!(q2["n"], 5);
    assert_eq!(q2["suppressed"], true);
    assert!(q2.get("csat").is_none() && q2.get("nps").is_none());

    for bad in [
        "by=official",
        "per=month",
        "from=2026-13-01",
        "to=yesterday",
    ] {
        let r = app.get(&format!("/api/v1/satisfaction/trends?{bad}")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(r.json()["error"]["code"], "invalid-parameters");
    }
}

/// The notice's row in the mail outbox: state, attempts, last error.
async fn owed_notice(app: &TestApp, case_id: i64) -> (String, i64, String) {
    let row = app
        .texts(&format!(
            "SELECT state || '|' || CAST(attempts AS TEXT) || '|' || last_error \
             FROM mail_outbox WHERE purpose = 'settlement_notice' AND subject_id = {case_id}"
        ))
        .await;
    assert_eq!(row.len(), 1, "one row per settled case: {row:?}");
    let mut parts = row[0].splitn(3, '|');
    let state = parts.next().unwrap_or_default().to_owned();
    let attempts = parts.next().unwrap_or_default().parse().unwrap_or(-1);
    (state, attempts, parts.next().unwrap_or_default().to_owned())
}

/// Decision 0057: the settlement owes the notice in its own transaction; a mail server
/// that refuses leaves it pending, retried at growing intervals by the outbox's job, given
/// up after the last attempt; a row left behind by a crash is sent by the next run, once.
async fn an_owed_notice_outlives_a_mail_server_that_is_down(app: TestApp) {
    use magistrat::platform::outbox::{MAX_ATTEMPTS, Run};
    // Nothing listens on port 9 of this machine: every send is refused.
    let down = TestApp::spawn_with(app.backend, |c| {
        c.smtp_url = Some("smtp://127.0.0.1:9".to_owned());
        c.clock = Some(MOMENT.parse().unwrap());
    })
    .await
    .unwrap();
    let (case_id, _) = open_case(&down, "jan.outbox@example.pl").await;
    assert_eq!(settle(&down, case_id).await, StatusCode::SEE_OTHER);
    let outbox = &down.state.outbox;
    // The kick after the commit tried once and failed; the row waits a minute.
    let mut tried = (String::new(), 0, String::new());
    for _ in 0..50 {
        tried = owed_notice(&down, case_id).await;
        if tried.1 == 1 && !tried.2.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!((tried.0.as_str(), tried.1), ("pending", 1), "{tried:?}");
    assert!(!tried.2.is_empty(), "the refusal is kept");
    assert_eq!(
        outbox.send_due().await.unwrap(),
        Run::default(),
        "not due yet"
    );
    down.clock().advance(jiff::SignedDuration::from_secs(61));
    let run = outbox.send_due().await.unwrap();
    assert_eq!(run.retried, 1, "{run:?}");
    assert_eq!(owed_notice(&down, case_id).await.1, 2);
    // The last attempt fails for good.
    down.exec(&format!(
        "UPDATE mail_outbox SET attempts = {} WHERE subject_id = {case_id}",
        MAX_ATTEMPTS - 1
    ))
    .await;
    down.clock().advance(jiff::SignedDuration::from_hours(13));
    assert_eq!(outbox.send_due().await.unwrap().failed, 1);
    assert_eq!(owed_notice(&down, case_id).await.0, "failed");

    // A notice owed by a committed settlement whose server died before sending it: the
    // outbox of a server with a working mail server sends it, once.
    let sink = SmtpSink::start().await;
    let url = sink.url.clone();
    let up = TestApp::spawn_with(app.backend, |c| {
        c.smtp_url = Some(url);
        c.clock = Some(MOMENT.parse().unwrap());
    })
    .await
    .unwrap();
    let (orphan, _) = open_case(&up, "ewa.outbox@example.pl").await;
    let mut tx = up.db.begin().await.unwrap();
    let settle_step = Step::Settle {
        on: up.db.clock().today(),
        outcome: "Wydano decyzję".to_owned(),
    };
    store::apply_step(&mut tx, &Actor::system("test"), orphan, settle_step)
        .await
        .unwrap();
    magistrat::cases::settlement_mail::owe(&mut tx, orphan)
        .await
        .unwrap();
    // Owing it twice is one debt.
    magistrat::cases::settlement_mail::owe(&mut tx, orphan)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(up.state.outbox.send_due().await.unwrap().sent, 1);
    assert_eq!(owed_notice(&up, orphan).await.0, "sent");
    sink.wait_for("ewa.outbox@example.pl", "została załatwiona")
        .await
        .expect("the notice left behind is mailed");
    assert_eq!(up.state.outbox.send_due().await.unwrap(), Run::default());
    assert_eq!(settled_mails(&sink, "ewa.outbox@example.pl"), 1, "once");

    // A settled case without an address owes a notice that ends as nothing to send.
    let (silent, _) = open_case(&up, "").await;
    assert_eq!(settle(&up, silent).await, StatusCode::SEE_OTHER);
    let mut ended = String::new();
    for _ in 0..50 {
        ended = owed_notice(&up, silent).await.0;
        if ended != "pending" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(ended, "nothing");
}
