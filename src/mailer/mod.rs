//! Outgoing mail: deadline reminders to officials, sign-in links and confirmations of
//! filing (HTML and text, the PDF attached) to residents.
//! SMTP through lettre when `smtp_url` is set; otherwise each message is written to the
//! log (a demo or a test machine has no mail server, and a lost reminder must not be
//! silent).

use lettre::message::{Attachment as Part, Mailbox, MultiPart, SinglePart, header::ContentType};
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
    #[error("the attachment's type `{0}` is not valid")]
    ContentType(String),
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

/// A file sent with a message (the confirmation of filing as PDF).
pub struct Attachment {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A message with an HTML version of its text and files attached (the confirmation of
/// filing, issue 15). The plain text stays the first, complete version: a mail program
/// without HTML, or a screen reader, reads the same content.
pub struct RichMail {
    pub mail: Mail,
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
}

impl Mail {
    /// This message with an HTML version of the same content.
    pub fn with_html(self, html: String) -> RichMail {
        RichMail {
            mail: self,
            html: Some(html),
            attachments: Vec::new(),
        }
    }
}

impl RichMail {
    /// This message with one more file attached.
    pub fn with_attachment(mut self, attachment: Attachment) -> RichMail {
        self.attachments.push(attachment);
        self
    }
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
        self.deliver(mail, None, &[]).await
    }

    /// Sends a message with its HTML version and attachments.
    pub async fn send_rich(&self, mail: &RichMail) -> Result<(), MailError> {
        self.deliver(&mail.mail, mail.html.as_deref(), &mail.attachments)
            .await
    }

    async fn deliver(
        &self,
        mail: &Mail,
        html: Option<&str>,
        attachments: &[Attachment],
    ) -> Result<(), MailError> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|_| MailError::Address(mail.to.clone()))?;
        match self {
            Mailer::Smtp { transport, from } => {
                let builder = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(mail.subject.as_str());
                let message = if html.is_none() && attachments.is_empty() {
                    builder
                        .header(ContentType::TEXT_PLAIN)
                        .body(mail.body.clone())?
                } else {
                    let text = match html {
                        Some(html) => {
                            MultiPart::alternative_plain_html(mail.body.clone(), html.to_owned())
                        }
                        None => MultiPart::mixed().singlepart(SinglePart::plain(mail.body.clone())),
                    };
                    let mut parts = MultiPart::mixed().multipart(text);
                    for a in attachments {
                        let kind = ContentType::parse(&a.content_type)
                            .map_err(|_| MailError::ContentType(a.content_type.clone()))?;
                        parts = parts
                            .singlepart(Part::new(a.file_name.clone()).body(a.bytes.clone(), kind));
                    }
                    builder.multipart(parts)?
                };
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
                    html_bytes = html.map_or(0, str::len),
                    attachments = ?attachments
                        .iter()
                        .map(|a| format!("{} ({}, {} B)", a.file_name, a.content_type, a.bytes.len()))
                        .collect::<Vec<_>>(),
                    "mail not sent: no smtp_url configured"
                );
                Ok(())
            }
        }
    }
}
