//! The confirmation of filing (issue 15): option labels, not values, in the page, the
//! PDF's source and the hashed document; the time as people write it; what happens
//! next; the register number and hashes for the record; the e-mail (text and HTML, the
//! PDF attached) through a real SMTP conversation. Filings made before keep verifying.

use axum::http::StatusCode;
use sha2::Digest;

use crate::applications::{pdf, residence_certificate};
use crate::backend_tests;
use crate::helpers::TestApp;
use crate::smtp_sink::SmtpSink;

backend_tests!(
    a_filing_is_confirmed_in_plain_words_and_by_mail,
    a_filing_made_before_labels_still_verifies,
    the_status_page_is_a_timeline_that_hides_identifiers,
);

/// 3 December 2026, 19:05 in Warsaw.
const MOMENT: &str = "2026-12-03T18:05:00Z";

async fn file(app: &TestApp, key: &str) -> String {
    let scan = pdf();
    let mut fields = residence_certificate();
    fields.push(("submission_key", key));
    let filed = app
        .post_multipart(
            "/services/SA-2/apply",
            &fields,
            &[("fee_proof", "oplata.pdf", "application/pdf", &scan)],
        )
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    filed.location().to_owned()
}

async fn a_filing_is_confirmed_in_plain_words_and_by_mail(app: TestApp) {
    let sink = SmtpSink::start().await;
    let url = sink.url.clone();
    let app = TestApp::spawn_with(app.backend, |c| {
        c.smtp_url = Some(url);
        c.clock = Some(MOMENT.parse().unwrap());
    })
    .await
    .unwrap();
    let location = file(&app, "key-confirmation-000001").await;
    let page = app.get(&location).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    // The option as the resident chose it, not its value.
    assert!(body.contains("<dd>dla pracodawcy</dd>"), "{body}");
    assert!(!body.contains("<dd>employer</dd>"));
    // The time as people write it.
    assert!(body.contains("3 grudnia 2026 r., godz. 19:05"), "{body}");
    assert!(!body.contains("2026-12-03 19:05:00"));
    // What happens next: who, by when, how, what if not.
    for words in [
        "Co dalej",
        "Sprawę prowadzi SA — Wydział Spraw Obywatelskich",
        "Urząd powinien załatwić sprawę do",
        "Stan sprawy sprawdzisz w każdej chwili",
        "skontaktuj się z urzędem: +48 61 555 01 00, urzad@borowiec.example.pl",
        "ponaglenie (KPA art. 37)",
    ] {
        assert!(body.contains(words), "{words}: {body}");
    }
    // For the record, after the filed content: the register number and the hashes.
    let record = body.find("Do dokumentacji").expect("for the record");
    assert!(record > body.find("Treść wniosku").unwrap());
    let sha = app
        .scalar_text("SELECT document_sha256 FROM application ORDER BY id DESC LIMIT 1")
        .await;
    assert!(body[record..].contains(&sha));
    assert!(body[record..].contains("Numer w rejestrze przesyłek wpływających"));
    // The label is in the hashed document, and the stored document hashes to its hash.
    let document = app
        .scalar_text("SELECT document FROM application ORDER BY id DESC LIMIT 1")
        .await;
    assert!(
        document.contains(r#""value":"employer","shown":"dla pracodawcy""#),
        "{document}"
    );
    assert_eq!(hex::encode(sha2::Sha256::digest(document.as_bytes())), sha);

    // The e-mail: to the address in the form, text and HTML alike, the PDF attached.
    let znak = app
        .scalar_text("SELECT c.znak FROM application a JOIN case_file c ON c.id = a.case_id ORDER BY a.id DESC LIMIT 1")
        .await;
    let mail = sink
        .wait_for(
            "anna.wisniewska@example.pl",
            "Potwierdzenie złożenia wniosku",
        )
        .await
        .expect("the confirmation is mailed");
    assert!(mail.subject().contains(&znak), "{}", mail.subject());
    let text = mail.part("text/plain").expect("a text part").text();
    let html = mail.part("text/html").expect("an HTML part").text();
    for content in [&text, &html] {
        for words in [
            "3 grudnia 2026 r., godz. 19:05",
            "dla pracodawcy",
            "Co dalej",
            "Do dokumentacji",
            sha.as_str(),
            znak.as_str(),
        ] {
            assert!(content.contains(words), "{words}: {content}");
        }
    }
    assert!(
        html.starts_with("<!DOCTYPE html><html lang=\"pl\">"),
        "{html}"
    );
    let attachment = mail.part("application/pdf").expect("the PDF attached");
    assert!(
        attachment.headers.contains("potwierdzenie-"),
        "{}",
        attachment.headers
    );
    assert!(attachment.content.starts_with(b"%PDF-"));

    // The same filing sent again (a double click) is not mailed twice.
    let again = file(&app, "key-confirmation-000001").await;
    assert_eq!(again, location);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let confirmations = sink
        .messages()
        .iter()
        .filter(|m| m.subject().contains("Potwierdzenie złożenia wniosku"))
        .count();
    assert_eq!(confirmations, 1);
}

async fn a_filing_made_before_labels_still_verifies(app: TestApp) {
    let location = file(&app, "key-confirmation-000002").await;
    // As a filing made before issue 15 was stored: no `shown`, hashed as it was.
    let id = app.count("SELECT MAX(id) FROM application").await;
    let stored = app
        .scalar_text(&format!("SELECT document FROM application WHERE id = {id}"))
        .await;
    let old = stored.replace(r#","shown":"dla pracodawcy""#, "");
    assert_ne!(old, stored);
    let old_sha = hex::encode(sha2::Sha256::digest(old.as_bytes()));
    app.exec(&format!(
        "UPDATE application SET document = '{}', document_sha256 = '{old_sha}' WHERE id = {id}",
        old.replace('\'', "''")
    ))
    .await;
    let page = app.get(&location).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&old_sha));
    // Read back and written out again, it is what was hashed.
    let document: magistrat::applications::filing::FiledDocument =
        serde_json::from_str(&old).unwrap();
    assert_eq!(document.sha256(), old_sha);
    assert_eq!(document.canonical_json(), old);
    let pdf = app.get(&format!("{location}/confirmation.pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
}

async fn the_status_page_is_a_timeline_that_hides_identifiers(app: TestApp) {
    let location = file(&app, "key-confirmation-000003").await;
    let code = location.trim_start_matches("/applications/").to_owned();
    // An official wrote identifiers into the title.
    app.exec(&format!(
        "UPDATE case_file SET title = 'Zaświadczenie dla 44051401359, anna.nowak@example.pl' \
         WHERE tracking_code = '{code}'"
    ))
    .await;
    let page = app.get(&format!("/case-status?code={code}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(!body.contains("44051401359"), "{body}");
    assert!(!body.contains("anna.nowak@"), "{body}");
    assert!(
        body.contains("Zaświadczenie dla •••••••••59, a•••••••••@example.pl"),
        "{body}"
    );
    // The public steps, each with what it means, dates written out.
    assert!(body.contains("<ol class=\"timeline\""), "{body}");
    assert!(
        body.contains("Urząd przyjął sprawę i nadał jej znak."),
        "{body}"
    );
    assert!(!body.contains("case-status-registered-means"));
    let year = app.clock().now_in_warsaw().year();
    assert!(body.contains(&format!(" {year}</span>")), "{body}");
    // The code field is a text field like every other.
    assert!(
        body.contains("id=\"f-code\" name=\"code\" type=\"text\""),
        "{body}"
    );
    // The API gives the holder of the code the same masked title.
    let api = app.get(&format!("/api/v1/cases/{code}")).await;
    assert!(!api.body.contains("44051401359"), "{}", api.body);
}
