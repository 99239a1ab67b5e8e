//! The correspondence register through the real router: registering incoming and
//! outgoing items with files, field-level errors with nothing written, refused files,
//! download headers, unit scopes, register numbers under concurrency, the audit trail.

use axum::http::{StatusCode, header};
use magistrat::attachments;
use magistrat::correspondence::{self, Channel, ChannelIds, NewIncoming, Sender};
use magistrat::db::audit::Actor;
use magistrat::platform::Clock;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    front_desk_registers_an_incoming_item_with_files,
    invalid_fields_answer_422_and_write_nothing,
    refused_files_write_nothing,
    unit_scope_limits_lists_items_and_files,
    register_numbers_have_no_gaps_under_concurrency,
    outgoing_items_and_proof_of_delivery,
    lists_filter_and_page,
    other_capabilities_register_and_link_cases,
    pages_render_in_english,
    registers_sort_page_and_export_in_the_order_shown,
    the_outgoing_register_sorts_by_recipient_and_delivery,
);

/// The limits come from the configuration: a small office may set lower ones.
mod configured_limits {
    use super::*;
    use crate::helpers::Backend;

    #[tokio::test]
    async fn sqlite() {
        run(Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn postgres() {
        run(Backend::Postgres).await;
    }

    async fn run(backend: Backend) {
        let Some(app) = TestApp::spawn_with(backend, |c| {
            c.attachment_max_file_bytes = 1000;
            c.attachment_max_item_bytes = 1500;
        })
        .await
        else {
            return;
        };
        app.login("obsluga").await;
        let form = app.get("/staff/correspondence/new").await;
        assert!(
            form.body.contains("Do 1000 B na plik i 1,5 kB razem."),
            "{}",
            form.body
        );
        let sa = unit_id(&app, "SA").await;
        let fields = incoming_form(&sa);
        let before = rows(&app).await;
        let text = vec![b'a'; 900];
        let too_many_bytes = app
            .post_multipart(
                "/staff/correspondence/new",
                &pairs(&fields),
                &[
                    ("attachments", "a.txt", "text/plain", &text),
                    ("proof", "b.txt", "text/plain", &text),
                ],
            )
            .await;
        assert_eq!(too_many_bytes.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            too_many_bytes
                .body
                .contains("id=\"f-attachments-error\">Pliki razem są za duże.")
        );
        let big = vec![b'a'; 1001];
        let too_big = app
            .post_multipart(
                "/staff/correspondence/new",
                &pairs(&fields),
                &[("attachments", "c.txt", "text/plain", &big)],
            )
            .await;
        assert!(
            too_big
                .body
                .contains("id=\"f-attachments-error\">Plik jest za duży.")
        );
        assert_eq!(rows(&app).await, before);
        let ok = app
            .post_multipart(
                "/staff/correspondence/new",
                &pairs(&fields),
                &[("attachments", "a.txt", "text/plain", &text)],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
    }
}

fn year() -> i32 {
    i32::from(Clock::system().now().in_warsaw().year())
}

fn today() -> String {
    Clock::system().now().in_warsaw().date().to_string()
}

async fn unit_id(app: &TestApp, symbol: &str) -> String {
    app.count(&format!(
        "SELECT id FROM org_unit WHERE symbol = '{symbol}'"
    ))
    .await
    .to_string()
}

/// A valid incoming form for `unit`, received today at 00:00.
fn incoming_form(unit: &str) -> Vec<(&'static str, String)> {
    vec![
        ("channel", "post".into()),
        ("received_on", today()),
        ("received_time", "00:00".into()),
        ("org_unit_id", unit.to_owned()),
        ("sender_name", "Zofia Adamska".into()),
        ("sender_address", "ul. Klonowa 7\n62-300 Borowiec".into()),
        ("sender_reference", "ZA/1/2026".into()),
        (
            "subject",
            "Wniosek o wydanie zaświadczenia o niezaleganiu".into(),
        ),
        ("pages", "2".into()),
    ]
}

fn pairs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn rows(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("SELECT COUNT(*) FROM incoming_item").await,
        app.count("SELECT COUNT(*) FROM attachment").await,
        app.count("SELECT COUNT(*) FROM audit_event").await,
    )
}

async fn front_desk_registers_an_incoming_item_with_files(app: TestApp) {
    app.login("obsluga").await;
    let page = app.get("/staff/correspondence/new").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    assert!(page.body.contains("type=\"file\""));
    let (items_before, files_before, _) = rows(&app).await;

    let pdf = attachments::tiny_pdf("Wniosek");
    let upp = b"<?xml version=\"1.0\"?><UPP/>".to_vec();
    let fin = unit_id(&app, "FN-I").await;
    let form = incoming_form(&fin);
    let response = app
        .post_multipart(
            "/staff/correspondence/new",
            &pairs(&form),
            &[
                (
                    "attachments",
                    "/home/jan/Skany/wniosek.pdf",
                    "application/pdf",
                    &pdf,
                ),
                (
                    "attachments",
                    "załącznik.txt",
                    "text/plain",
                    "Oświadczenie".as_bytes(),
                ),
                ("proof", "upp.xml", "application/xml", &upp),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let id = items_before + 1;
    assert_eq!(response.location(), format!("/staff/correspondence/{id}"));
    let number = format!("{}/{:06}", year(), items_before + 1);

    let detail = app.get(response.location()).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.body.contains("Zarejestrowano pismo przychodzące."));
    assert!(detail.body.contains(&number), "{}", detail.body);
    assert!(detail.body.contains("Zofia Adamska"));
    assert!(
        detail.body.contains(", Anna Nowak</dd>"),
        "registered by the front desk"
    );
    assert!(
        detail.body.contains(">wniosek.pdf</a>"),
        "path dropped from the name"
    );
    assert!(detail.body.contains(">załącznik.txt</a>"));
    assert!(detail.body.contains("Potwierdzenie"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attachment").await,
        files_before + 3
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM incoming_attachment WHERE item_id = {id} AND role = 'proof'"
        ))
        .await,
        1
    );

    // The download: the bytes, the proven type, always an attachment, sandboxed.
    let file_id = app
        .count(&format!(
            "SELECT a.id FROM attachment a JOIN incoming_attachment l ON l.attachment_id = a.id \
             WHERE l.item_id = {id} AND a.file_name = 'wniosek.pdf'"
        ))
        .await;
    let download = app
        .get(&format!("/staff/correspondence/{id}/attachments/{file_id}"))
        .await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.body.as_bytes(), pdf.as_slice());
    let h = |name: header::HeaderName| {
        download
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(h(header::CONTENT_TYPE), "application/pdf");
    assert_eq!(
        h(header::CONTENT_DISPOSITION),
        "attachment; filename=\"wniosek.pdf\"; filename*=UTF-8''wniosek.pdf"
    );
    assert_eq!(h(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert!(h(header::CONTENT_SECURITY_POLICY).starts_with("sandbox"));
    // A file of another item is not served under this one.
    let other = app
        .get(&format!(
            "/staff/correspondence/{}/attachments/{file_id}",
            id - 1
        ))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);

    // The audit trail: the item with its files' hashes and sizes, never their bytes.
    let hash = attachments::sha256_hex(&pdf);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'incoming_item.create' \
             AND entity_id = '{id}' AND actor_login = 'obsluga' AND after_json LIKE '%{number}%' \
             AND after_json LIKE '%{hash}%'"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'attachment.create' \
             AND after_json LIKE '%{hash}%' AND after_json LIKE '%\"size_bytes\":{}%'",
            pdf.len()
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE after_json LIKE '%PDF-1.4%'")
            .await,
        0,
        "no file bytes in the trail"
    );
    // The list shows it.
    let list = app.get("/staff/correspondence").await;
    assert!(list.body.contains(&number));
}

async fn invalid_fields_answer_422_and_write_nothing(app: TestApp) {
    app.login("obsluga").await;
    let before = rows(&app).await;
    let sa = unit_id(&app, "SA").await;
    let mut form = incoming_form(&sa);
    for (k, v) in form.iter_mut() {
        match *k {
            "channel" => *v = "edoreczenia".into(),
            "subject" => *v = "  ".into(),
            "received_time" => *v = "25:61".into(),
            "pages" => *v = "-3".into(),
            _ => {}
        }
    }
    form.push(("sender_ade", "AE:PL-123".into()));
    let pdf = attachments::tiny_pdf("x");
    let response = app
        .post_multipart(
            "/staff/correspondence/new",
            &pairs(&form),
            &[("attachments", "skan.pdf", "application/pdf", &pdf)],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = &response.body;
    assert!(body.contains("Formularz zawiera błędy"), "{body}");
    for (field, message) in [
        ("subject", "To pole jest wymagane."),
        ("received_time", "Podaj godzinę w postaci GG:MM"),
        ("pages", "Podaj liczbę całkowitą, zero lub większą."),
        (
            "sender_ade",
            "Podaj adres do e-Doręczeń w postaci AE:PL-XXXXX-XXXXX-XXXXX-XX.",
        ),
    ] {
        assert!(body.contains(&format!("href=\"#f-{field}\"")), "{field}");
        assert!(
            body.contains(&format!("id=\"f-{field}-error\">{message}")),
            "{field}: {body}"
        );
    }
    // What was typed stays; nothing was written, not even the valid file.
    assert!(body.contains("value=\"Zofia Adamska\""));
    assert_eq!(rows(&app).await, before);

    // A manager may not register for a unit outside their scope.
    app.logout().await;
    app.login("kierownik").await;
    let fn_unit = unit_id(&app, "FN").await;
    let response = app
        .post_multipart(
            "/staff/correspondence/new",
            &pairs(&incoming_form(&fn_unit)),
            &[],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .body
            .contains("Nie możesz rejestrować pism tej komórki.")
    );
    let after = rows(&app).await;
    assert_eq!((after.0, after.1), (before.0, before.1));
}

async fn refused_files_write_nothing(app: TestApp) {
    app.login("obsluga").await;
    let sa = unit_id(&app, "SA").await;
    let form = incoming_form(&sa);
    let before = rows(&app).await;
    let pdf = attachments::tiny_pdf("ok");
    let big = vec![b'a'; 10 * 1024 * 1024 + 1];
    let cases: Vec<(&str, &str, Vec<u8>, &str)> = vec![
        (
            "program.exe",
            "application/octet-stream",
            b"MZ\x90\0".to_vec(),
            "Ten rodzaj pliku nie jest przyjmowany.",
        ),
        (
            "faktura.pdf",
            "application/pdf",
            b"MZ\x90\0\x03\0\0\0".to_vec(),
            "Zawartość pliku nie odpowiada jego rozszerzeniu",
        ),
        (
            "strona.xml",
            "text/html",
            b"<html><script>alert(1)</script></html>".to_vec(),
            "Ten rodzaj pliku nie jest przyjmowany.",
        ),
        ("duzy.txt", "text/plain", big, "Plik jest za duży."),
    ];
    for (name, declared, bytes, message) in cases {
        // Each bad file goes with a good one: neither may be stored.
        let response = app
            .post_multipart(
                "/staff/correspondence/new",
                &pairs(&form),
                &[
                    ("attachments", "dobry.pdf", "application/pdf", &pdf),
                    ("attachments", name, declared, &bytes),
                ],
            )
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(
            response
                .body
                .contains(&format!("id=\"f-attachments-error\">{message}")),
            "{name}: {}",
            &response.body[..response.body.len().min(3000)]
        );
        assert_eq!(rows(&app).await, before, "{name}");
    }
    // Two files under the per-file limit but over the per-item limit together.
    let nine = {
        let mut b = b"%PDF-1.4\n".to_vec();
        b.resize(6 * 1024 * 1024 - 6, b' ');
        b.extend_from_slice(b"%%EOF\n");
        b
    };
    let response = app
        .post_multipart(
            "/staff/correspondence/new",
            &pairs(&form),
            &[
                ("attachments", "a.pdf", "application/pdf", &nine),
                ("attachments", "b.pdf", "application/pdf", &nine),
            ],
        )
        .await;
    // 12 MiB of files is over the request body limit: refused before the form.
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(rows(&app).await, before);
}

async fn unit_scope_limits_lists_items_and_files(app: TestApp) {
    let fn_item = app
        .count("SELECT i.id FROM incoming_item i JOIN org_unit u ON u.id = i.org_unit_id WHERE u.symbol = 'FN'")
        .await;
    let fn_file = app
        .count(&format!(
            "SELECT attachment_id FROM incoming_attachment WHERE item_id = {fn_item}"
        ))
        .await;
    let usc_item = app
        .count("SELECT i.id FROM incoming_item i JOIN org_unit u ON u.id = i.org_unit_id WHERE u.symbol = 'USC' ORDER BY i.id LIMIT 1")
        .await;
    let gk_outgoing = app
        .count("SELECT i.id FROM outgoing_item i JOIN org_unit u ON u.id = i.org_unit_id WHERE u.symbol = 'GK'")
        .await;
    for login in ["kierownik", "urzednik"] {
        app.clear_cookies();
        app.login(login).await;
        let list = app.get("/staff/correspondence").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(
            list.body
                .contains("Widzisz pisma skierowane do Twoich komórek")
        );
        // SA and USC below it, nothing of FN.
        assert!(
            list.body
                .contains("Wniosek o wydanie odpisu aktu urodzenia")
        );
        assert!(list.body.contains("zaświadczenia o zameldowaniu"));
        assert!(!list.body.contains("opinii o projekcie budżetu"), "{login}");
        assert_eq!(
            app.get(&format!("/staff/correspondence/{usc_item}"))
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            app.get(&format!("/staff/correspondence/{fn_item}"))
                .await
                .status,
            StatusCode::FORBIDDEN,
            "{login}"
        );
        assert_eq!(
            app.get(&format!(
                "/staff/correspondence/{fn_item}/attachments/{fn_file}"
            ))
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.get(&format!("/staff/correspondence/outgoing/{gk_outgoing}"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let outgoing = app.get("/staff/correspondence/outgoing").await;
        assert!(!outgoing.body.contains("akcji sprzątania"));
    }
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'access.denied' \
             AND actor_login = 'kierownik'"
        )
        .await,
        3
    );
    // The front desk sees the whole office; an unknown item is 404.
    app.clear_cookies();
    app.login("obsluga").await;
    let list = app.get("/staff/correspondence").await;
    assert!(list.body.contains("opinii o projekcie budżetu"));
    assert_eq!(
        app.get(&format!("/staff/correspondence/{fn_item}"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/staff/correspondence/999999").await.status,
        StatusCode::NOT_FOUND
    );
    // Roles without the register do not see it in the menu.
    app.clear_cookies();
    app.login("kadry").await;
    assert!(
        !app.get("/staff")
            .await
            .body
            .contains("/staff/correspondence")
    );
}

async fn register_numbers_have_no_gaps_under_concurrency(app: TestApp) {
    let before = app.count("SELECT COUNT(*) FROM incoming_item").await;
    let unit = unit_id(&app, "SA").await.parse::<i64>().unwrap();
    let mut tasks = Vec::new();
    for i in 0..12 {
        let db = app.db.clone();
        tasks.push(tokio::spawn(async move {
            let actor = Actor::system("test");
            let mut tx = db.begin().await.unwrap();
            let registered =
                correspondence::register_incoming(&mut tx, &actor, &item(unit, i)).await;
            let registered = registered.unwrap();
            // Every third one fails after taking its number: the number goes back.
            if i % 3 == 0 {
                drop(tx);
                None
            } else {
                tx.commit().await.unwrap();
                Some(registered.register_number)
            }
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.extend(t.await.unwrap());
    }
    numbers.sort();
    let expected: Vec<String> = (1..=8)
        .map(|n| format!("{}/{:06}", year(), before + n))
        .collect();
    assert_eq!(numbers, expected);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM incoming_item").await,
        before + 8
    );
}

fn item(unit: i64, i: usize) -> NewIncoming {
    NewIncoming {
        channel: Channel::Eservice,
        received_at: Clock::system().now(),
        sender: Sender {
            name: format!("Mieszkaniec {i}"),
            ..Sender::default()
        },
        sender_reference: String::new(),
        sender_dated_on: None,
        posted_on: None,
        subject: "Wniosek złożony przez e-usługę".into(),
        channel_ids: ChannelIds::default(),
        pages: None,
        paper_attachments: None,
        org_unit_id: unit,
        case_id: None,
        notes: String::new(),
        attachments: Vec::new(),
        proofs: Vec::new(),
    }
}

async fn outgoing_items_and_proof_of_delivery(app: TestApp) {
    app.login("kierownik").await;
    let sa = unit_id(&app, "SA").await;
    let before = app.count("SELECT COUNT(*) FROM outgoing_item").await;
    let mut form = vec![
        ("channel", "post".to_owned()),
        ("sent_on", today()),
        ("org_unit_id", sa.clone()),
        ("recipient_name", "Zofia Adamska".into()),
        ("recipient_address", "ul. Klonowa 7, 62-300 Borowiec".into()),
        ("subject", "Zaświadczenie o niezaleganiu".into()),
    ];
    let missing_type = app
        .post_multipart("/staff/correspondence/outgoing/new", &pairs(&form), &[])
        .await;
    assert_eq!(missing_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing_type
            .body
            .contains("Dla przesyłki pocztowej wybierz rodzaj przesyłki.")
    );
    form.push(("letter_type", "registered_receipt".into()));
    let pdf = attachments::tiny_pdf("Zaswiadczenie");
    let created = app
        .post_multipart(
            "/staff/correspondence/outgoing/new",
            &pairs(&form),
            &[("attachments", "zaswiadczenie.pdf", "application/pdf", &pdf)],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id = before + 1;
    let detail = app.get(created.location()).await;
    let number = format!("{}/{:06}", year(), before + 1);
    assert!(detail.body.contains(&number));
    assert!(
        detail
            .body
            .contains("Polecony za zwrotnym potwierdzeniem odbioru (ZPO)")
    );
    assert!(detail.body.contains("Nie odnotowano doręczenia."));
    assert!(
        detail
            .body
            .contains(&format!("/staff/correspondence/outgoing/{id}/delivery"))
    );

    // Delivered before it was sent: refused at the field.
    let wrong = app
        .post_multipart(
            &format!("/staff/correspondence/outgoing/{id}/delivery"),
            &[("delivered_on", "2020-01-01")],
            &[],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .body
            .contains("Data doręczenia nie może być wcześniejsza niż data wysłania.")
    );
    let scan = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let today = today();
    let delivered = app
        .post_multipart(
            &format!("/staff/correspondence/outgoing/{id}/delivery"),
            &[
                ("delivered_on", today.as_str()),
                ("delivery_note", "Odebrała osobiście"),
            ],
            &[("proof", "zpo.png", "image/png", &scan)],
        )
        .await;
    assert_eq!(
        delivered.status,
        StatusCode::SEE_OTHER,
        "{}",
        delivered.body
    );
    let detail = app.get(delivered.location()).await;
    assert!(detail.body.contains("Zapisano potwierdzenie doręczenia."));
    assert!(detail.body.contains("Odebrała osobiście"));
    assert!(detail.body.contains(">zpo.png</a>"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'outgoing_item.delivery' \
             AND entity_id = '{id}' AND before_json LIKE '%\"delivered_on\":null%' \
             AND after_json LIKE '%{today}%' AND after_json LIKE '%{}%'",
            attachments::sha256_hex(&scan)
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'outgoing_item.create' AND entity_id = '{id}'"
        ))
        .await,
        1
    );
    // The SA manager may not record a delivery of another unit's item.
    let gk = app
        .count("SELECT i.id FROM outgoing_item i JOIN org_unit u ON u.id = i.org_unit_id WHERE u.symbol = 'GK'")
        .await;
    let refused = app
        .post_multipart(
            &format!("/staff/correspondence/outgoing/{gk}/delivery"),
            &[("delivered_on", today.as_str())],
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

async fn lists_filter_and_page(app: TestApp) {
    app.login("obsluga").await;
    let epuap = app.get("/staff/correspondence?channel=epuap").await;
    assert_eq!(epuap.status, StatusCode::OK);
    assert!(epuap.body.contains("Maria Wiśniewska"));
    assert!(!epuap.body.contains("Jan Nowak"));
    let text = app.get("/staff/correspondence?q=ZAMELDOW").await;
    assert!(text.body.contains("Jan Nowak"), "case-insensitive search");
    assert!(!text.body.contains("Maria Wiśniewska"));
    let sa = unit_id(&app, "SA").await;
    let unit = app.get(&format!("/staff/correspondence?unit={sa}")).await;
    assert!(unit.body.contains("Sąd Rejonowy w Borowcu"));
    assert!(!unit.body.contains("Fundacja Zielony Borowiec"));
    let year = app
        .get(&format!("/staff/correspondence?year={}", year() - 1))
        .await;
    assert!(year.body.contains("Brak pism spełniających warunki."));
    let bad = app.get("/staff/correspondence?year=20x6&channel=fax").await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.body.contains("Podaj rok w postaci RRRR."));
    assert!(bad.body.contains("Wybierz sposób z listy."));
    // Paging: items below an id, newest first.
    let older = app.get("/staff/correspondence?before=3").await;
    assert!(older.body.contains("/staff/correspondence/2\""));
    assert!(older.body.contains("/staff/correspondence/1\""));
    assert!(!older.body.contains("/staff/correspondence/3\""));
    // More than a page: a link to the next one.
    let unit = sa.parse::<i64>().unwrap();
    let mut tx = app.db.begin().await.unwrap();
    for i in 0..25 {
        correspondence::register_incoming(&mut tx, &Actor::system("test"), &item(unit, i))
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let first = app.get("/staff/correspondence").await;
    assert!(first.body.contains("Starsze pisma"));
    assert!(first.body.contains("before="));
    let outgoing = app
        .get("/staff/correspondence/outgoing?channel=in_person")
        .await;
    assert!(outgoing.body.contains("Elżbieta Lewandowska"));
    assert!(!outgoing.body.contains("Jan Nowak"));
}

async fn other_capabilities_register_and_link_cases(app: TestApp) {
    let unit = unit_id(&app, "GK").await.parse::<i64>().unwrap();
    let actor = Actor::system("eservice");
    let pdf = attachments::tiny_pdf("Deklaracja");
    let mut tx = app.db.begin().await.unwrap();
    let file = attachments::check(
        "deklaracja.pdf",
        Some("application/pdf"),
        &pdf,
        &attachments::Limits::default(),
    )
    .unwrap();
    let stored = attachments::store(&mut tx, &actor, &file).await.unwrap();
    let mut new = item(unit, 1);
    new.attachments.push(stored.0);
    let registered = correspondence::register_incoming(&mut tx, &actor, &new)
        .await
        .unwrap();
    // A case that does not exist is refused (a foreign key on PostgreSQL, a check on
    // both); the demo's case 7 exists.
    assert!(matches!(
        correspondence::link_case(&mut tx, &actor, registered.id, 999_999).await,
        Err(correspondence::CorrespondenceStoreError::NotFound)
    ));
    correspondence::link_case(&mut tx, &actor, registered.id, 7)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        app.count(&format!(
            "SELECT case_id FROM incoming_item WHERE id = {}",
            registered.id
        ))
        .await,
        7
    );
    let loaded = attachments::load(&app.db, stored.0).await.unwrap().unwrap();
    assert_eq!(loaded.content, pdf);
    assert_eq!(loaded.sha256, attachments::sha256_hex(&pdf));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'incoming_item.update' \
             AND after_json LIKE '%\"case_id\":7%' AND actor_login = 'system:eservice'"
        )
        .await,
        1
    );
    // A rolled-back submission leaves neither the item nor its file.
    let (items, files, _) = rows(&app).await;
    let mut tx = app.db.begin().await.unwrap();
    let stored = attachments::store(&mut tx, &actor, &file).await.unwrap();
    let mut new = item(unit, 2);
    new.attachments.push(stored.0);
    correspondence::register_incoming(&mut tx, &actor, &new)
        .await
        .unwrap();
    drop(tx);
    assert_eq!(rows(&app).await.0, items);
    assert_eq!(rows(&app).await.1, files);
    // Invalid data from a caller is refused, and linking an unknown item is 404.
    let mut tx = app.db.begin().await.unwrap();
    let mut bad = item(unit, 3);
    bad.subject = String::new();
    assert!(matches!(
        correspondence::register_incoming(&mut tx, &actor, &bad).await,
        Err(correspondence::CorrespondenceStoreError::Refused(
            "bad-request"
        ))
    ));
    assert!(matches!(
        correspondence::link_case(&mut tx, &actor, 999_999, 1).await,
        Err(correspondence::CorrespondenceStoreError::NotFound)
    ));
}

async fn pages_render_in_english(app: TestApp) {
    app.login("obsluga").await;
    app.get("/lang/en?next=/staff").await;
    let list = app.get("/staff/correspondence").await;
    assert!(
        list.body.contains("Incoming correspondence"),
        "{}",
        list.body
    );
    let form = app.get("/staff/correspondence/new").await;
    assert!(
        form.body
            .contains("Up to 10 MB per file and 25 MB in total.")
    );
    let out = app.get("/staff/correspondence/outgoing/1").await;
    assert!(out.body.contains("Proof of delivery"));
}

/// The row texts among `wanted` in the order they appear on a page or in a file.
fn order_of(body: &str, wanted: &[String]) -> Vec<String> {
    let mut found: Vec<(usize, &String)> = wanted
        .iter()
        .filter_map(|w| body.find(w.as_str()).map(|at| (at, w)))
        .collect();
    found.sort();
    found.into_iter().map(|(_, w)| w.clone()).collect()
}

/// Registers `n` items in `unit` with subjects „Pismo do sortowania NN” and senders in the
/// opposite order („Sortowany nadawca (n-1-NN)”).
async fn sortable_items(app: &TestApp, unit: i64, n: usize, tag: &str) {
    let mut tx = app.db.begin().await.unwrap();
    for i in 0..n {
        let mut new = item(unit, i);
        new.subject = format!("Pismo do sortowania {tag}{i:02}");
        new.sender.name = format!("Sortowany nadawca {tag}{:02}", n - 1 - i);
        correspondence::register_incoming(&mut tx, &Actor::system("test"), &new)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

/// A register sorted by a column: every header links to its order with the filters
/// kept, the sorted one says so with aria-sort; paging by page number across the sort
/// (no row twice, none missed); the CSV follows the filters and the order; an official
/// sees and exports only the items of their units, however sorted.
async fn registers_sort_page_and_export_in_the_order_shown(app: TestApp) {
    let sa = unit_id(&app, "SA").await.parse::<i64>().unwrap();
    let fn_unit = unit_id(&app, "FN").await.parse::<i64>().unwrap();
    sortable_items(&app, sa, 60, "").await;
    sortable_items(&app, fn_unit, 5, "FN").await;
    let subjects: Vec<String> = (0..60)
        .map(|i| format!("Pismo do sortowania {i:02}"))
        .collect();
    let fn_subjects: Vec<String> = (0..5)
        .map(|i| format!("Pismo do sortowania FN{i:02}"))
        .collect();
    app.login("obsluga").await;

    // By subject, ascending: two pages of 50 and 10, in order, nothing twice.
    let tagged = |body: &str| order_of(body, &subjects);
    let p1 = app
        .get("/staff/correspondence?q=pismo+do+sortowania&sort=subject&dir=asc")
        .await;
    assert_eq!(p1.status, StatusCode::OK);
    let p1_rows = tagged(&p1.body);
    assert_eq!(p1_rows, subjects[..50].to_vec());
    // The sorted header says so and links to the other direction, the filters kept.
    assert!(
        p1.body.contains(
            "aria-sort=\"ascending\"><a href=\"/staff/correspondence?year=&#38;channel=&#38;\
             unit=&#38;q=pismo+do+sortowania&#38;sort=subject&#38;dir=desc\">"
        ),
        "{}",
        p1.body
    );
    assert!(p1.body.contains("sort=sender&#38;dir=asc\">Nadawca"));
    assert!(p1.body.contains("page=2"), "a next page");
    assert!(!p1.body.contains("rel=\"prev\""));
    assert!(p1.body.contains("Następna strona"));
    let p2 = app
        .get("/staff/correspondence?q=pismo+do+sortowania&sort=subject&dir=asc&page=2")
        .await;
    let mut rows = p1_rows.clone();
    let p2_rows = order_of(&p2.body, &subjects);
    // FN's five come after the 60 of SA by subject („FN00” > „59”): page 2 has 10 + 5.
    assert_eq!(p2_rows, subjects[50..].to_vec());
    assert_eq!(
        order_of(&p2.body, &fn_subjects),
        fn_subjects,
        "the front desk sees FN"
    );
    rows.extend(p2_rows);
    assert_eq!(rows, subjects, "no row twice, none missed");
    assert!(p2.body.contains("rel=\"prev\""));
    assert!(!p2.body.contains("rel=\"next\""));

    // Descending, and by the sender (whose order is the subjects' reversed).
    let desc = app
        .get("/staff/correspondence?q=pismo+do+sortowania+0&sort=subject&dir=desc")
        .await;
    assert!(desc.body.contains("aria-sort=\"descending\""));
    let mut expected: Vec<String> = subjects[..10].to_vec();
    expected.reverse();
    assert_eq!(order_of(&desc.body, &subjects), expected);
    let by_sender = app
        .get(&format!(
            "/staff/correspondence?unit={sa}&q=sortowany+nadawca&sort=sender&dir=asc"
        ))
        .await;
    let mut reversed = subjects[10..].to_vec();
    reversed.reverse();
    assert_eq!(order_of(&by_sender.body, &subjects), reversed);
    // The filter form keeps the order.
    assert!(by_sender.body.contains("name=\"sort\" value=\"sender\""));

    // The register's own order, newest first, still pages by id.
    let newest = app.get("/staff/correspondence?q=pismo+do+sortowania").await;
    assert!(newest.body.contains("before="), "keyset paging by default");
    assert!(newest.body.contains("Starsze pisma"));
    let newest_rows = order_of(&newest.body, &subjects);
    assert_eq!(
        newest_rows.first().map(String::as_str),
        Some("Pismo do sortowania 59")
    );

    // The CSV: the filters and the order shown, all pages, a link that says so.
    assert!(
        by_sender
            .body
            .contains("/staff/correspondence/export?year=")
    );
    assert!(
        by_sender
            .body
            .contains("q=sortowany+nadawca&#38;sort=sender&#38;dir=asc\" download")
    );
    let csv = app
        .get(&format!(
            "/staff/correspondence/export?unit={sa}&q=pismo+do+sortowania&sort=sender&dir=asc&page=2"
        ))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'));
    let mut all_reversed = subjects.clone();
    all_reversed.reverse();
    assert_eq!(
        order_of(&csv.body, &subjects),
        all_reversed,
        "every row, in the order of the sort, whatever page was shown"
    );
    assert_eq!(csv.body.trim_end().split("\r\n").count(), 61);
    assert!(
        csv.body
            .contains(";Sortowany nadawca 00;Pismo do sortowania 59;SA")
    );
    // An unknown column is the register's own order, not an error.
    let unknown = app
        .get("/staff/correspondence?q=pismo+do+sortowania&sort=1%3BDROP&dir=asc")
        .await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert!(unknown.body.contains("before="));

    // An official of SA: only SA's items, sorted and exported.
    app.logout().await;
    app.login("urzednik").await;
    for path in [
        "/staff/correspondence?q=pismo+do+sortowania&sort=subject&dir=desc",
        "/staff/correspondence?q=pismo+do+sortowania&sort=subject&dir=desc&page=2",
        "/staff/correspondence/export?q=pismo+do+sortowania&sort=subject&dir=desc",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(order_of(&page.body, &fn_subjects).is_empty(), "{path}");
    }
    let scoped = app
        .get("/staff/correspondence/export?q=pismo+do+sortowania&sort=subject&dir=desc")
        .await;
    assert_eq!(order_of(&scoped.body, &subjects), all_reversed);
    let scoped_p1 = app
        .get("/staff/correspondence?q=pismo+do+sortowania&sort=subject&dir=desc")
        .await;
    assert_eq!(
        order_of(&scoped_p1.body, &subjects),
        all_reversed[..50].to_vec()
    );
}

/// The outgoing register sorts by recipient and by the day of delivery (items not
/// delivered last in both directions, on both backends), and its channel column and
/// filter say „Sposób wysyłki”.
async fn the_outgoing_register_sorts_by_recipient_and_delivery(app: TestApp) {
    use magistrat::correspondence::store::{self, record_delivery};
    use magistrat::correspondence::{Delivery, NewOutgoing, OutChannel};
    let sa = unit_id(&app, "SA").await.parse::<i64>().unwrap();
    let today = Clock::system().now().in_warsaw().date();
    let mut tx = app.db.begin().await.unwrap();
    let mut ids = Vec::new();
    for (i, name) in [
        "Celina Sortowalska",
        "Adam Sortowalski",
        "Barbara Sortowalska",
    ]
    .iter()
    .enumerate()
    {
        let new = NewOutgoing {
            channel: OutChannel::InPerson,
            letter_type: None,
            tracking_number: String::new(),
            recipient_name: (*name).to_owned(),
            recipient_address: String::new(),
            electronic_address: String::new(),
            subject: format!("Odpowiedź sortowana {i}"),
            sent_on: today.checked_sub(jiff::Span::new().days(10)).unwrap(),
            org_unit_id: sa,
            case_id: None,
            notes: String::new(),
            attachments: Vec::new(),
        };
        ids.push(
            store::register_outgoing(&mut tx, &Actor::system("test"), &new)
                .await
                .unwrap()
                .id,
        );
    }
    tx.commit().await.unwrap();
    let mut tx = app.db.begin().await.unwrap();
    // Celina's delivered 2 days ago, Adam's yesterday, Barbara's not yet.
    for (id, days) in [(ids[0], 2), (ids[1], 1)] {
        let item = store::outgoing(&app.db, id).await.unwrap().unwrap();
        let delivery = Delivery {
            delivered_on: today.checked_sub(jiff::Span::new().days(days)).unwrap(),
            note: String::new(),
        };
        record_delivery(&mut tx, &Actor::system("test"), &item, &delivery, None)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let names: Vec<String> = [
        "Adam Sortowalski",
        "Barbara Sortowalska",
        "Celina Sortowalska",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    app.login("kierownik").await;
    let base = "/staff/correspondence/outgoing?q=sortowan";
    let by_name = app.get(&format!("{base}&sort=recipient&dir=asc")).await;
    assert_eq!(by_name.status, StatusCode::OK);
    assert_eq!(order_of(&by_name.body, &names), names);
    assert!(by_name.body.contains("Sposób wysyłki"));
    assert!(!by_name.body.contains("Sposób wpływu"));
    assert!(
        by_name
            .body
            .contains("Widzisz pisma wysłane przez Twoje komórki")
    );
    assert!(by_name.body.contains("brak potwierdzenia"));
    let delivered = |dir: &str| format!("{base}&sort=delivered&dir={dir}");
    let asc = app.get(&delivered("asc")).await;
    assert_eq!(
        order_of(&asc.body, &names),
        [
            "Celina Sortowalska",
            "Adam Sortowalski",
            "Barbara Sortowalska"
        ]
    );
    let desc = app.get(&delivered("desc")).await;
    assert_eq!(
        order_of(&desc.body, &names),
        [
            "Adam Sortowalski",
            "Celina Sortowalska",
            "Barbara Sortowalska"
        ],
        "not delivered last either way"
    );
    let csv = app
        .get("/staff/correspondence/outgoing/export?q=sortowan&sort=delivered&dir=desc")
        .await;
    assert_eq!(
        order_of(&csv.body, &names),
        [
            "Adam Sortowalski",
            "Celina Sortowalska",
            "Barbara Sortowalska"
        ]
    );
}
