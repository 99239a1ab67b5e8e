//! E-service applications through the public form: filing, the confirmation (HTML and
//! PDF), the status page, double submission, and bad input that leaves nothing behind.

use axum::http::StatusCode;

use crate::backend_tests;
use crate::helpers::TestApp;

pub const PESEL: &str = "44051401359";

/// The fields of the demo card SA-2 (zaświadczenie o zameldowaniu), filled in well.
pub fn residence_certificate<'a>() -> Vec<(&'a str, &'a str)> {
    vec![
        ("first_name", "Anna"),
        ("last_name", "Wiśniewska"),
        ("pesel", PESEL),
        ("street", "ul. Lipowa 3"),
        ("postal_code", "62-300"),
        ("city", "Borowiec"),
        ("email", "anna.wisniewska@example.pl"),
        ("purpose", "employer"),
    ]
}

pub fn pdf() -> Vec<u8> {
    magistrat::attachments::tiny_pdf("Potwierdzenie przelewu")
}

async fn counts(app: &TestApp) -> [i64; 4] {
    [
        app.count("SELECT COUNT(*) FROM case_file").await,
        app.count("SELECT COUNT(*) FROM incoming_item").await,
        app.count("SELECT COUNT(*) FROM attachment").await,
        app.count("SELECT COUNT(*) FROM application").await,
    ]
}

fn tracking_code(location: &str) -> String {
    location
        .strip_prefix("/applications/")
        .unwrap_or_default()
        .to_owned()
}

async fn a_resident_files_an_application_and_follows_it(app: TestApp) {
    let card = app.get("/services/SA-2").await;
    assert!(
        card.body.contains("/services/SA-2/apply"),
        "the card offers the e-service"
    );
    let form = app.get("/services/SA-2/apply").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    assert!(form.body.contains("name=\"submission_key\""));
    assert!(form.body.contains("<label for=\"f-pesel\">"));
    let before = counts(&app).await;

    let scan = pdf();
    let mut fields = residence_certificate();
    fields.push(("submission_key", "key-resident-0000000001"));
    let filed = app
        .post_multipart(
            "/services/SA-2/apply",
            &fields,
            &[("fee_proof", "oplata.pdf", "application/pdf", &scan)],
        )
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let code = tracking_code(filed.location());
    assert_eq!(code.len(), 14, "{code}");
    let after = counts(&app).await;
    assert_eq!(
        after,
        [before[0] + 1, before[1] + 1, before[2] + 1, before[3] + 1]
    );

    // The confirmation: znak, tracking code, register number, hash.
    let confirmation = app.get(filed.location()).await;
    assert_eq!(confirmation.status, StatusCode::OK);
    let year = jiff::Zoned::now().year();
    assert!(
        confirmation.body.contains("SA.5311."),
        "{}",
        confirmation.body
    );
    assert!(confirmation.body.contains(&format!(".{year}")));
    assert!(confirmation.body.contains(&code));
    assert!(confirmation.body.contains("Wiśniewska"));
    assert!(confirmation.body.contains("oplata.pdf"));
    let sha: String = app
        .scalar_text("SELECT document_sha256 FROM application ORDER BY id DESC LIMIT 1")
        .await;
    assert_eq!(sha.len(), 64);
    assert!(confirmation.body.contains(&sha));
    // The stored document hashes to the stored hash.
    let document: String = app
        .scalar_text("SELECT document FROM application ORDER BY id DESC LIMIT 1")
        .await;
    use sha2::Digest;
    assert_eq!(hex::encode(sha2::Sha256::digest(document.as_bytes())), sha);

    // The PDF.
    let pdf = app
        .get(&format!("/applications/{code}/confirmation.pdf"))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert!(pdf.body.starts_with("%PDF-"));

    // The case is registered from the e-service channel and linked both ways.
    let linked = app
        .count(&format!(
            "SELECT COUNT(*) FROM case_file c JOIN incoming_item i ON i.id = c.correspondence_id \
             WHERE c.tracking_code = '{code}' AND i.case_id = c.id AND i.channel = 'eservice' \
             AND c.channel = 'eservice'"
        ))
        .await;
    assert_eq!(linked, 1);

    // The public status page, without signing in, shows the case and nothing personal.
    let status = app.get(&format!("/case-status?code={code}")).await;
    assert_eq!(status.status, StatusCode::OK);
    assert!(status.body.contains("SA.5311."));
    assert!(!status.body.contains("Wiśniewska"));
    assert!(!status.body.contains(PESEL));

    // An official of SA assigns it: the resident sees the change.
    let case_id = app
        .count(&format!(
            "SELECT id FROM case_file WHERE tracking_code = '{code}'"
        ))
        .await;
    app.login("kierownik").await;
    let page = app.get(&format!("/staff/cases/{case_id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    app.logout().await;
    let audit = app
        .count("SELECT COUNT(*) FROM audit_event WHERE entity_type = 'application'")
        .await;
    assert_eq!(audit, 1);
}

async fn a_repeated_submission_files_once(app: TestApp) {
    let scan = pdf();
    let mut fields = residence_certificate();
    fields.push(("submission_key", "key-double-click-0000001"));
    let files = [(
        "fee_proof",
        "oplata.pdf",
        "application/pdf",
        scan.as_slice(),
    )];
    let first = app
        .post_multipart("/services/SA-2/apply", &fields, &files)
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let before = counts(&app).await;
    let second = app
        .post_multipart("/services/SA-2/apply", &fields, &files)
        .await;
    assert_eq!(second.status, StatusCode::SEE_OTHER);
    assert_eq!(second.location(), first.location());
    assert_eq!(counts(&app).await, before, "nothing new was written");
    let page = app.get(second.location()).await;
    assert!(page.body.contains("SA.5311."));
    // Two at once: still one case.
    let mut fields2 = residence_certificate();
    fields2.push(("submission_key", "key-two-at-once-00000001"));
    let (a, b) = tokio::join!(
        app.post_multipart("/services/SA-2/apply", &fields2, &files),
        app.post_multipart("/services/SA-2/apply", &fields2, &files),
    );
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(b.status, StatusCode::SEE_OTHER, "{}", b.body);
    assert_eq!(a.location(), b.location());
    assert_eq!(counts(&app).await[3], before[3] + 1);
}

async fn bad_input_is_refused_field_by_field_and_leaves_nothing(app: TestApp) {
    let before = counts(&app).await;
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".repeat(10);
    let mut fields = residence_certificate();
    fields.retain(|(k, _)| *k != "first_name" && *k != "pesel");
    fields.push(("pesel", "44051401358"));
    fields.push(("submission_key", "key-bad-input-000000001"));
    let refused = app
        .post_multipart(
            "/services/SA-2/apply",
            &fields,
            &[("fee_proof", "oplata.pdf", "application/pdf", &exe)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("Ten PESEL ma błędną cyfrę kontrolną."),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("To pole jest wymagane."));
    assert!(refused.body.contains("id=\"f-fee_proof-error\""));
    assert!(refused.body.contains("aria-invalid=\"true\""));
    // What was typed is kept; files are asked for again.
    assert!(refused.body.contains("value=\"62-300\""));
    assert!(
        refused
            .body
            .contains("Ze względów bezpieczeństwa pliki trzeba dołączyć ponownie.")
    );
    // A field the form does not have.
    let mut extra = residence_certificate();
    extra.push(("is_admin", "yes"));
    let scan = pdf();
    let unknown = app
        .post_multipart(
            "/services/SA-2/apply",
            &extra,
            &[("fee_proof", "oplata.pdf", "application/pdf", &scan)],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Without the CSRF token: refused before anything is read.
    let forged = app
        .post_multipart_raw("/services/SA-2/apply", &residence_certificate(), &[])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // Nothing was written by any of it.
    assert_eq!(counts(&app).await, before);
    // In English too.
    app.get("/lang/en").await;
    let english = app
        .post_multipart("/services/SA-2/apply", &fields, &[])
        .await;
    assert_eq!(english.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(english.body.contains("<html lang=\"en\">"));
}

async fn unknown_cards_and_codes_are_not_found(app: TestApp) {
    // A card without an e-service, an unknown card, an unknown tracking code.
    assert_eq!(
        app.get("/services/SA-1/apply").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/services/XX-99/apply").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/applications/AAAA-BBBB-CCCC").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/applications/AAAA-BBBB-CCCC/confirmation.pdf")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/case-status?code=AAAA-BBBB-CCCC").await.status,
        StatusCode::NOT_FOUND
    );
}

backend_tests!(
    a_resident_files_an_application_and_follows_it,
    a_repeated_submission_files_once,
    bad_input_is_refused_field_by_field_and_leaves_nothing,
    unknown_cards_and_codes_are_not_found,
);
