//! Outgoing mail: deadline reminders to officials and sign-in links to residents.
//! SMTP through lettre when `smtp_url` is set; otherwise each message is written to the
//! log (a demo or a test machine has no mail server, and a lost reminder must not be
//! silent).

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Config;

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
    },
    Log {
        from: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the address `{0}` is not valid")]
    Address(String),
    #[error("the message could not be built: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("the mail server refused or could not be reached: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
}

/// One message to one person, plain text (readable in every mail program and by
/// screen readers; no tracking images).
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Mailer, MailError> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|_| MailError::Address(config.mail_from.clone()))?;
        match &config.smtp_url {
            Some(url) => Ok(Mailer::Smtp {
                transport: Box::new(Self::from_url(url)?),
                from,
            }),
            None => Ok(Mailer::Log {
                from: from.to_string(),
            }),
        }
    }

    /// The transport for an `smtp://` or `smtps://` URL (lettre's URL syntax:
    /// credentials, port, `?tls=required|opportunistic`).
    pub fn from_url(url: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailError> {
        Ok(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build())
    }

    pub async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|_| MailError::Address(mail.to.clone()))?;
        match self {
            Mailer::Smtp { transport, from } => {
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(mail.subject.as_str())
                    .header(ContentType::TEXT_PLAIN)
                    .body(mail.body.clone())?;
                transport.send(message).await?;
                Ok(())
            }
            Mailer::Log { from } => {
                // Debug formatting escapes control characters: whatever a resident
                // typed cannot add lines of its own to the log.
                tracing::info!(
                    from = %from,
                    to = ?to.to_string(),
                    subject = ?mail.subject,
                    body = ?mail.body,
                    "mail not sent: no smtp_url configured"
                );
                Ok(())
            }
        }
    }
}
