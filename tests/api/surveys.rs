//! Survey campaigns end to end, on both backends: the quality officer builds a
//! questionnaire (refused questions say why), residents answer by the link (skip logic
//! honoured, a browser counted once), by an e-mail invitation's one-time token (a
//! tampered or used token refused, no address kept), staff key in paper forms, and the
//! results carry n and intervals with a small unit suppressed; a flood is refused.

use crate::backend_tests;
use crate::helpers::{Backend, TestApp};
use crate::smtp_sink::SmtpSink;

/// Tuesday 8 December 2026, 10:30 in Warsaw: this year's demo survey is running.
async fn tuesday_morning(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with_clock(backend, "2026-12-08T09:30:00Z").await
}

backend_tests!(
    spawn = super::tuesday_morning;
    a_campaign_is_built_and_answered_by_link,
    invitations_are_one_time_and_keep_no_address,
    paper_forms_are_keyed_in_by_staff,
    results_have_intervals_and_small_units_no_figures,
    a_flood_of_responses_is_refused,
);

async fn responses(app: &TestApp, campaign: i64) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM sv_response WHERE campaign_id = {campaign}"
    ))
    .await
}

async fn slug(app: &TestApp, campaign: i64) -> String {
    app.scalar_text(&format!(
        "SELECT slug FROM sv_campaign WHERE id = {campaign}"
    ))
    .await
}

/// Creates a campaign in December 2026 with `channels`, from the `template`; its id.
async fn create(app: &TestApp, channels: &[&str], template: &str) -> i64 {
    let mut form = vec![
        ("title_pl", "Ankieta testowa"),
        ("title_en", "Test survey"),
        ("starts_on", "2026-12-01"),
        ("ends_on", "2026-12-31"),
        ("template", template),
    ];
    for c in channels {
        form.push(("channel", c));
    }
    let r = app.post_form("/staff/surveys", &form).await;
    assert_eq!(r.status, 303, "{}", r.body);
    r.location()
        .trim_start_matches("/staff/surveys/")
        .parse()
        .unwrap()
}

/// This year's demo campaign (running) and last year's (closed).
async fn demo_campaigns(app: &TestApp) -> (i64, i64) {
    let open = app
        .count("SELECT id FROM sv_campaign WHERE ends_on >= '2026-12-08' ORDER BY id LIMIT 1")
        .await;
    let closed = app
        .count("SELECT id FROM sv_campaign WHERE ends_on < '2026-01-01' ORDER BY id LIMIT 1")
        .await;
    (open, closed)
}

async fn a_campaign_is_built_and_answered_by_link(app: TestApp) {
    app.login("jakosc").await;
    // Nothing filled in: 422 with the error summary, nothing created.
    let before = app.count("SELECT COUNT(*) FROM sv_campaign").await;
    let r = app.post_form("/staff/surveys", &[("title_pl", "")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("error-summary"));
    assert_eq!(app.count("SELECT COUNT(*) FROM sv_campaign").await, before);

    let id = create(&app, &["link", "paper"], "empty").await;
    let slug = slug(&app, id).await;
    // An empty questionnaire cannot be answered yet.
    app.logout().await;
    let r = app.get(&format!("/surveys/{slug}")).await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("sv-closed"));
    app.login("jakosc").await;

    let add = |fields: Vec<(&'static str, &'static str)>| {
        let app = &app;
        async move {
            app.post_form(&format!("/staff/surveys/{id}/questions"), &fields)
                .await
        }
    };
    for fields in [
        vec![
            ("key", "wait"),
            ("block", "timeliness"),
            ("kind", "scale"),
            ("text_pl", "Jak oceniasz czas oczekiwania?"),
            ("text_en", "How do you rate the waiting time?"),
            ("required", "on"),
        ],
        vec![
            ("key", "again"),
            ("block", "general"),
            ("kind", "single"),
            ("text_pl", "Czy musiałeś przyjść drugi raz?"),
            ("text_en", "Did you have to come twice?"),
            ("options", "Tak | Yes\nNie | No"),
        ],
        vec![
            ("key", "why"),
            ("block", "general"),
            ("kind", "open"),
            ("text_pl", "Dlaczego?"),
            ("text_en", "Why?"),
            ("show_if", "again"),
            ("show_value", "Tak"),
        ],
        vec![
            ("key", "recommend"),
            ("block", "general"),
            ("kind", "nps"),
            ("text_pl", "Czy polecisz urząd?"),
            ("text_en", "Would you recommend the office?"),
        ],
    ] {
        let r = add(fields).await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    // Refused questions: a key used twice, one option, a missing translation, a
    // condition on an answer the question cannot have.
    for (fields, message) in [
        (
            vec![
                ("key", "why"),
                ("block", "general"),
                ("kind", "open"),
                ("text_pl", "A"),
                ("text_en", "A"),
            ],
            "Pytanie o takim kluczu już jest.",
        ),
        (
            vec![
                ("key", "one"),
                ("block", "profile"),
                ("kind", "single"),
                ("text_pl", "A"),
                ("text_en", "A"),
                ("options", "Tak | Yes"),
            ],
            "co najmniej dwóch różnych odpowiedzi",
        ),
        (
            vec![
                ("key", "nopl"),
                ("block", "image"),
                ("kind", "scale"),
                ("text_pl", ""),
                ("text_en", "A"),
            ],
            "To pole jest wymagane.",
        ),
        (
            vec![
                ("key", "cond"),
                ("block", "image"),
                ("kind", "scale"),
                ("text_pl", "A"),
                ("text_en", "A"),
                ("show_if", "wait"),
                ("show_value", "7"),
            ],
            "Na to pytanie nie można tak odpowiedzieć.",
        ),
    ] {
        let r = add(fields).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains(message), "{message}");
    }
    let page = app.get(&format!("/staff/surveys/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("<code>again = o1</code>"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<code>cond</code>"));
    app.logout().await;

    // The public page: scales in fieldsets with legends, the follow-up says when.
    let r = app.get(&format!("/surveys/{slug}")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<legend>Jak oceniasz czas oczekiwania?"));
    assert!(r.body.contains("Odpowiedz tylko, jeśli na pytanie „Czy musiałeś przyjść drugi raz?” odpowiedziałeś(-aś) „Tak”."));

    // Out of the scale and a required question unanswered: 422, nothing stored.
    let r = app
        .post_form(
            &format!("/surveys/{slug}"),
            &[("q-wait", "9"), ("q-recommend", "11")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#q-wait\""));
    assert!(r.body.contains("href=\"#q-recommend\""));
    let r = app
        .post_form(&format!("/surveys/{slug}"), &[("q-again", "o2")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Odpowiedz na to pytanie."));
    assert_eq!(responses(&app, id).await, 0);

    // Answered "no": the follow-up's text is dropped, not stored.
    let r = app
        .post_form(
            &format!("/surveys/{slug}"),
            &[
                ("q-wait", "4"),
                ("q-again", "o2"),
                ("q-why", "ukryte"),
                ("q-recommend", "10"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(responses(&app, id).await, 1);
    let stored = |q: &'static str| {
        let app = &app;
        async move {
            app.count(&format!(
                "SELECT COUNT(*) FROM sv_answer WHERE campaign_id = {id} AND question = '{q}'"
            ))
            .await
        }
    };
    assert_eq!(stored("why").await, 0);
    assert_eq!(stored("wait").await, 1);
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT channel FROM sv_response WHERE campaign_id = {id}"
        ))
        .await,
        "link"
    );
    // The browser is marked: the page thanks, a second post is refused.
    assert!(app.cookie(&format!("sv_{slug}")).is_some());
    let r = app.get(&format!("/surveys/{slug}?done=1")).await;
    assert!(r.body.contains("sv-thanks"));
    let r = app
        .post_form(&format!("/surveys/{slug}"), &[("q-wait", "1")])
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(responses(&app, id).await, 1);

    // Another browser, answered "yes": the follow-up is kept.
    app.clear_cookies();
    let r = app
        .post_form(
            &format!("/surveys/{slug}"),
            &[
                ("q-wait", "2"),
                ("q-again", "o1"),
                ("q-why", "Brakowało dokumentu"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(stored("why").await, 1);
    // The response names nobody: the audit says resident, no address.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'sv_response' \
             AND (actor_login <> 'resident' OR ip IS NOT NULL)"
        )
        .await,
        0
    );

    // With responses the questionnaire is fixed.
    app.login("jakosc").await;
    let r = app
        .post_form(
            &format!("/staff/surveys/{id}/questions/recommend/delete"),
            &[],
        )
        .await;
    assert_eq!(r.status, 409);
    let r = add(vec![
        ("key", "late"),
        ("block", "image"),
        ("kind", "scale"),
        ("text_pl", "A"),
        ("text_en", "A"),
    ])
    .await;
    assert_eq!(r.status, 409);
}

/// The one-time link in an invitation.
fn token_in(body: &str, slug: &str) -> String {
    let marker = format!("/surveys/{slug}?t=");
    let start = body.find(&marker).unwrap() + marker.len();
    body[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

async fn invitations_are_one_time_and_keep_no_address(app: TestApp) {
    let sink = SmtpSink::start().await;
    let url = sink.url.clone();
    let app = TestApp::spawn_with(app.backend, |c| {
        c.smtp_url = Some(url);
        c.clock = Some("2026-12-08T09:30:00Z".parse().unwrap());
        c.public_url = Some("https://urzad.example.pl".to_owned());
    })
    .await
    .unwrap();
    app.login("jakosc").await;
    let id = create(&app, &["email"], "blocks").await;
    let slug = slug(&app, id).await;
    // A bad address: 422, nothing issued.
    let r = app
        .post_form(
            &format!("/staff/surveys/{id}/invitations"),
            &[("to", "anna@example.pl, nie-adres")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sv_invitation WHERE campaign_id > 2")
            .await,
        0
    );
    let r = app
        .post_form(
            &format!("/staff/surveys/{id}/invitations"),
            &[("to", "anna@example.pl\njan@example.pl; anna@example.pl")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mails = sink.messages();
    assert_eq!(mails.len(), 2);
    let token = token_in(&mails[0].body(), &slug);
    assert_eq!(token.len(), 64);
    // Only hashes: neither the address nor the token is in the database.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sv_invitation WHERE campaign_id = {id} AND used = 0"
        ))
        .await,
        2
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sv_invitation WHERE token_hash = '{token}' \
             OR token_hash LIKE '%@%'"
        ))
        .await,
        0
    );
    app.logout().await;

    // Without a token: this campaign is by invitation only.
    assert_eq!(app.get(&format!("/surveys/{slug}")).await.status, 403);
    // A tampered token: 404, nothing stored.
    let mut tampered = token.clone();
    tampered.replace_range(0..1, if token.starts_with('a') { "b" } else { "a" });
    assert_eq!(
        app.get(&format!("/surveys/{slug}?t={tampered}"))
            .await
            .status,
        404
    );
    let r = app
        .post_form(
            &format!("/surveys/{slug}"),
            &[("t", &tampered), ("q-recommend", "9")],
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(responses(&app, id).await, 0);
    // The real one: once.
    let page = app.get(&format!("/surveys/{slug}?t={token}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!("name=\"t\" value=\"{token}\"")));
    let r = app
        .post_form(
            &format!("/surveys/{slug}"),
            &[("t", &token), ("q-recommend", "9")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(responses(&app, id).await, 1);
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT channel FROM sv_response WHERE campaign_id = {id}"
        ))
        .await,
        "email"
    );
    // Used: refused in a fresh browser too, nothing counted twice.
    app.clear_cookies();
    let r = app
        .post_form(
            &format!("/surveys/{slug}"),
            &[("t", &token), ("q-recommend", "2")],
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("został już wykorzystany"));
    assert_eq!(responses(&app, id).await, 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sv_invitation WHERE campaign_id = {id} AND used = 1"
        ))
        .await,
        1
    );
}

async fn paper_forms_are_keyed_in_by_staff(app: TestApp) {
    let (open, closed) = demo_campaigns(&app).await;
    app.login("jakosc").await;
    let page = app.get(&format!("/staff/surveys/{open}/paper")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<legend>"));
    let before = responses(&app, open).await;
    let r = app
        .post_form(
            &format!("/staff/surveys/{open}/paper"),
            &[("q-image_premises", "7")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(responses(&app, open).await, before);
    let location = app.count("SELECT MIN(id) FROM location").await.to_string();
    let r = app
        .post_form(
            &format!("/staff/surveys/{open}/paper"),
            &[
                ("location", location.as_str()),
                ("q-image_premises", "5"),
                ("q-recommend", "8"),
                ("q-visits", "no"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(responses(&app, open).await, before + 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sv_response WHERE campaign_id = {open} AND channel = 'paper' \
             AND location_id = {location}"
        ))
        .await,
        1
    );
    // Keyed in by whom is audited (the form itself names nobody).
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'sv_response' \
             AND actor_login = 'jakosc'"
        )
        .await,
        1
    );
    // Last year's survey is closed.
    let r = app
        .post_form(
            &format!("/staff/surveys/{closed}/paper"),
            &[("q-image_premises", "5")],
        )
        .await;
    assert_eq!(r.status, 409);
}

async fn results_have_intervals_and_small_units_no_figures(app: TestApp) {
    let (_, closed) = demo_campaigns(&app).await;
    assert!(responses(&app, closed).await >= 300);
    app.login("jakosc").await;
    let r = app.get(&format!("/staff/surveys/{closed}/results")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    for text in [
        "Wizerunek urzędu",
        "Rzetelność",
        "NPS według kanałów",
        "plakat z kodem QR",
        "ankieta papierowa",
        "Za mało ocen do publikacji",
        "Odpowiedzi otwarte",
    ] {
        assert!(r.body.contains(text), "{text}");
    }
    // Every published CSAT has an interval „a %–b %”.
    assert!(r.body.contains(" %–"));
    // The CSV for a spreadsheet.
    let csv = app
        .get(&format!("/staff/surveys/{closed}/results.csv"))
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(csv.body.contains("blok;Wizerunek urzędu;"));
    // The poster: a PDF.
    let pdf = app
        .get(&format!("/staff/surveys/{closed}/poster.pdf"))
        .await;
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.starts_with("%PDF"));
    // Heads of unit do not run surveys.
    app.login("kierownik").await;
    assert_eq!(
        app.get(&format!("/staff/surveys/{closed}/results"))
            .await
            .status,
        403
    );
}

async fn a_flood_of_responses_is_refused(app: TestApp) {
    let (open, _) = demo_campaigns(&app).await;
    let slug = slug(&app, open).await;
    let before = responses(&app, open).await;
    for _ in 0..magistrat::surveys::RESPONSES_PER_MINUTE {
        app.clear_cookies();
        let r = app
            .post_form(&format!("/surveys/{slug}"), &[("q-recommend", "10")])
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    app.clear_cookies();
    let r = app
        .post_form(&format!("/surveys/{slug}"), &[("q-recommend", "10")])
        .await;
    assert_eq!(r.status, 429);
    assert_eq!(
        responses(&app, open).await,
        before + i64::from(magistrat::surveys::RESPONSES_PER_MINUTE)
    );
}
