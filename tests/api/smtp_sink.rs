//! A real SMTP server on a local port that keeps what it receives: the mail tests talk
//! to it over TCP exactly as to the office's mail server.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent: headers and body.
    pub data: String,
}

impl Received {
    /// The subject header, decoded (lettre writes non-ASCII subjects as RFC 2047 words).
    pub fn subject(&self) -> String {
        let message = self;
        let mut lines = message
            .data
            .lines()
            .skip_while(|l| !l.starts_with("Subject:"));
        let mut raw = lines
            .next()
            .unwrap_or_default()
            .trim_start_matches("Subject:")
            .to_owned();
        for line in lines.take_while(|l| l.starts_with(' ') || l.starts_with('\t')) {
            raw.push(' ');
            raw.push_str(line.trim());
        }
        decode_words(&raw)
    }

    /// The plain-text body, decoded from the transfer encoding lettre chose.
    pub fn body(&self) -> String {
        let message = self;
        let (headers, body) = message.data.split_once("\n\n").unwrap();
        let bytes = if headers.contains("Content-Transfer-Encoding: base64") {
            base64(body)
        } else if headers.contains("Content-Transfer-Encoding: quoted-printable") {
            quoted_printable(body)
        } else {
            body.as_bytes().to_vec()
        };
        String::from_utf8(bytes).unwrap().replace("\r\n", "\n")
    }
}

/// One leaf part of a MIME message: its headers and its decoded content.
#[derive(Clone, Debug)]
pub struct Part {
    pub headers: String,
    pub content: Vec<u8>,
}

impl Part {
    /// The content as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.content).replace("\r\n", "\n")
    }
}

impl Received {
    /// The leaf parts of a multipart message (text, HTML, attachments), decoded; a
    /// single-part message is one part.
    pub fn parts(&self) -> Vec<Part> {
        let data = self.data.replace("\r\n", "\n");
        let boundaries: Vec<String> = data
            .match_indices("boundary=")
            .map(|(i, m)| {
                data[i + m.len()..]
                    .trim_start_matches('"')
                    .chars()
                    .take_while(|c| *c != '"' && *c != ';' && !c.is_whitespace())
                    .collect()
            })
            .collect();
        let is_boundary = |line: &str| {
            boundaries
                .iter()
                .any(|b| line == format!("--{b}") || line == format!("--{b}--"))
        };
        let mut chunks: Vec<Vec<&str>> = vec![Vec::new()];
        for line in data.lines() {
            if is_boundary(line) {
                chunks.push(Vec::new());
            } else {
                chunks.last_mut().unwrap().push(line);
            }
        }
        let chunks = if boundaries.is_empty() {
            chunks
        } else {
            chunks.split_off(1)
        };
        chunks
            .into_iter()
            .filter_map(|lines| {
                let text = lines.join("\n");
                let (headers, body) = text.split_once("\n\n")?;
                let lower = headers.to_ascii_lowercase();
                if lower.contains("content-type: multipart/") || headers.trim().is_empty() {
                    return None;
                }
                let content = if lower.contains("content-transfer-encoding: base64") {
                    base64(body)
                } else if lower.contains("content-transfer-encoding: quoted-printable") {
                    quoted_printable(body)
                } else {
                    body.as_bytes().to_vec()
                };
                Some(Part {
                    headers: headers.to_owned(),
                    content,
                })
            })
            .collect()
    }

    /// The first part whose Content-Type starts with `kind` (`text/plain`, …).
    pub fn part(&self, kind: &str) -> Option<Part> {
        self.parts().into_iter().find(|p| {
            p.headers
                .to_ascii_lowercase()
                .contains(&format!("content-type: {kind}"))
        })
    }
}

/// Decodes `=?utf-8?b?…?=` words; the space between two encoded words is dropped.
fn decode_words(raw: &str) -> String {
    let mut bytes = Vec::new();
    let mut last_encoded = false;
    for (i, word) in raw.split_whitespace().enumerate() {
        let lower = word.to_ascii_lowercase();
        let encoded = lower.starts_with("=?utf-8?b?") && word.ends_with("?=");
        if i > 0 && !(encoded && last_encoded) {
            bytes.push(b' ');
        }
        if encoded {
            bytes.extend(base64(&word[10..word.len() - 2]));
        } else {
            bytes.extend(word.as_bytes());
        }
        last_encoded = encoded;
    }
    String::from_utf8(bytes).unwrap()
}

fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let value = ALPHABET.iter().position(|a| *a == c).unwrap() as u32;
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

fn quoted_printable(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for line in text.lines() {
        let (line, soft) = match line.strip_suffix('=') {
            Some(l) => (l, true),
            None => (line, false),
        };
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            match (b[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
                (b'=', Some(byte)) => {
                    out.push(byte);
                    i += 3;
                }
                (c, _) => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        if !soft {
            out.push(b'\n');
        }
    }
    out
}

pub struct SmtpSink {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let _ = session(socket, store).await;
                });
            }
        });
        SmtpSink {
            url: format!("smtp://127.0.0.1:{port}"),
            received,
        }
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// The first message to `to` whose subject contains `subject`, waiting up to five
    /// seconds for it (some mail is sent after the answer, on its own time).
    pub async fn wait_for(&self, to: &str, subject: &str) -> Option<Received> {
        for _ in 0..100 {
            if let Some(m) = self
                .messages()
                .into_iter()
                .find(|m| m.to.iter().any(|t| t.contains(to)) && m.subject().contains(subject))
            {
                return Some(m);
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        None
    }
}

async fn session(
    socket: tokio::net::TcpStream,
    store: Arc<Mutex<Vec<Received>>>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 sink ESMTP\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    while let Some(line) = lines.next_line().await? {
        let upper = line.to_ascii_uppercase();
        if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            write.write_all(b"250-sink\r\n250 8BITMIME\r\n").await?;
        } else if upper.starts_with("MAIL FROM:") {
            from = line[10..].trim().to_owned();
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("RCPT TO:") {
            to.push(line[8..].trim().to_owned());
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "DATA" {
            write.write_all(b"354 go ahead\r\n").await?;
            let mut data = String::new();
            while let Some(line) = lines.next_line().await? {
                if line == "." {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
                data.push('\n');
            }
            store.lock().unwrap().push(Received {
                from: std::mem::take(&mut from),
                to: std::mem::take(&mut to),
                data,
            });
            write.write_all(b"250 queued\r\n").await?;
        } else if upper == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else if upper == "RSET" || upper == "NOOP" {
            write.write_all(b"250 OK\r\n").await?;
        } else {
            write.write_all(b"502 not implemented\r\n").await?;
        }
    }
    Ok(())
}
