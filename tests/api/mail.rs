//! Outgoing mail through a real SMTP conversation with a local sink.

use magistrat::mailer::{Mail, Mailer};

use crate::smtp_sink::SmtpSink;

#[tokio::test]
async fn mail_goes_out_over_smtp() {
    let sink = SmtpSink::start().await;
    let config = magistrat::config::Config {
        smtp_url: Some(sink.url.clone()),
        mail_from: "Urząd Miejski w Borowcu <urzad@borowiec.example.pl>".to_owned(),
        ..Default::default()
    };
    config.validate().unwrap();
    let mailer = Mailer::from_config(&config).unwrap();
    mailer
        .send(&Mail {
            to: "jan.kowalski@example.pl".to_owned(),
            subject: "Przypomnienie: termin sprawy SA.1431.7.2026".to_owned(),
            body: "Zażółć gęślą jaźń.\n.kropka na początku wiersza".to_owned(),
        })
        .await
        .unwrap();
    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert_eq!(message.from, "<urzad@borowiec.example.pl>");
    assert_eq!(message.to, vec!["<jan.kowalski@example.pl>".to_owned()]);
    assert!(
        message.data.contains("To: jan.kowalski@example.pl"),
        "{}",
        message.data
    );
    assert!(
        message.data.contains("Content-Type: text/plain"),
        "{}",
        message.data
    );
}

#[tokio::test]
async fn bad_addresses_and_unreachable_servers_are_errors_not_panics() {
    let config = magistrat::config::Config {
        // Nothing listens on port 1.
        smtp_url: Some("smtp://127.0.0.1:1".to_owned()),
        ..Default::default()
    };
    let mailer = Mailer::from_config(&config).unwrap();
    let mail = |to: &str| Mail {
        to: to.to_owned(),
        subject: "x".to_owned(),
        body: "x".to_owned(),
    };
    assert!(mailer.send(&mail("not an address")).await.is_err());
    assert!(mailer.send(&mail("a@example.pl")).await.is_err());
    let wrong = magistrat::config::Config {
        smtp_url: Some("ftp://example.pl".to_owned()),
        mail_from: "nobody".to_owned(),
        ..Default::default()
    };
    let problems = wrong.validate().unwrap_err().to_string();
    assert!(problems.contains("smtp_url"), "{problems}");
    assert!(problems.contains("mail_from"), "{problems}");
}
