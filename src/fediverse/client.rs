//! The outgoing HTTP client of the Fediverse capability: fetches actor documents and
//! delivers activities, signed by the caller. hyper's HTTP/1.1 client half (the server
//! half is axum's) over TCP or TLS (tokio-rustls with ring and the webpki roots, as
//! the mailer uses), one connection per request, with a timeout and a bounded answer.
//!
//! Because a signed POST to the inbox names the URL we fetch (its `keyId`), the client
//! refuses, unless `allow_private` is set, plain `http://` and any address that is not
//! public (loopback, private, link-local, CGNAT, unique-local, …): the office's server
//! must not be made to reach into its own network. The address is checked after
//! resolution and the connection goes to the checked address. Tests (and a closed
//! installation) set `fediverse_allow_private`.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, Method, Request, Uri, header};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore, pki_types::ServerName};

/// The longest answer read (an actor document is a few KB).
pub const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// How long one request may take, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("not an http(s) URL: {0}")]
    Url(String),
    #[error("plain http is refused (only https)")]
    Insecure,
    #[error("the host resolves to no public address")]
    NotPublic,
    #[error("cannot resolve {0}")]
    Resolve(String),
    #[error("connection: {0}")]
    Connect(String),
    #[error("TLS: {0}")]
    Tls(String),
    #[error("HTTP: {0}")]
    Http(String),
    #[error("the answer is larger than {MAX_ANSWER_BYTES} bytes")]
    TooLarge,
    #[error("timed out")]
    Timeout,
}

/// An answer: its status and body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Bytes,
}

/// The client, as configured.
#[derive(Clone, Debug)]
pub struct Client {
    pub allow_private: bool,
}

/// A URL's parts the client needs.
#[derive(Clone, Debug)]
pub struct Target {
    pub tls: bool,
    pub host: String,
    pub port: u16,
    /// `host` or `host:port` as written in the URL: the `Host` header.
    pub authority: String,
    pub path_and_query: String,
}

impl Target {
    pub fn parse(url: &str) -> Result<Self, ClientError> {
        // The fragment (`#main-key`) is the document's business, not the request's.
        let without_fragment = url.split('#').next().unwrap_or_default();
        let uri: Uri = without_fragment
            .parse()
            .map_err(|_| ClientError::Url(url.to_owned()))?;
        let tls = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err(ClientError::Url(url.to_owned())),
        };
        let authority = uri
            .authority()
            .ok_or_else(|| ClientError::Url(url.to_owned()))?;
        if authority.as_str().contains('@') {
            return Err(ClientError::Url(url.to_owned()));
        }
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        Ok(Self {
            tls,
            port: authority.port_u16().unwrap_or(if tls { 443 } else { 80 }),
            authority: authority.as_str().to_owned(),
            host,
            path_and_query: uri
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned()),
        })
    }
}

/// Whether an address is one the public Internet routes to.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0)
                || (a == 198 && (18..20).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || (first == 0x2001 && v6.segments()[1] == 0x0db8))
        }
    }
}

/// The TLS client configuration (ring, the webpki roots), built once; `None` only if
/// ring offered no protocol version, which it always does.
fn tls_config() -> Option<Arc<ClientConfig>> {
    static CONFIG: OnceLock<Option<Arc<ClientConfig>>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let roots = RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map(|b| Arc::new(b.with_root_certificates(roots).with_no_client_auth()))
                .ok()
        })
        .clone()
}

impl Client {
    /// Sends `method` to `target` with `headers` (the caller's, signature included) and
    /// `body`; the answer whatever its status.
    pub async fn send(
        &self,
        method: Method,
        target: &Target,
        headers: &[(HeaderName, String)],
        body: Vec<u8>,
    ) -> Result<Answer, ClientError> {
        tokio::time::timeout(TIMEOUT, self.send_inner(method, target, headers, body))
            .await
            .map_err(|_| ClientError::Timeout)?
    }

    async fn send_inner(
        &self,
        method: Method,
        target: &Target,
        headers: &[(HeaderName, String)],
        body: Vec<u8>,
    ) -> Result<Answer, ClientError> {
        if !target.tls && !self.allow_private {
            return Err(ClientError::Insecure);
        }
        let address = self.resolve(target).await?;
        let stream = tokio::net::TcpStream::connect(address)
            .await
            .map_err(|e| ClientError::Connect(e.to_string()))?;
        let mut builder = Request::builder()
            .method(method)
            .uri(target.path_and_query.as_str())
            .header(header::HOST, target.authority.as_str())
            .header(
                header::USER_AGENT,
                concat!("Magistrat/", env!("CARGO_PKG_VERSION")),
            );
        for (name, value) in headers {
            let value =
                HeaderValue::from_str(value).map_err(|e| ClientError::Http(e.to_string()))?;
            builder = builder.header(name, value);
        }
        let request = builder
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| ClientError::Http(e.to_string()))?;
        if target.tls {
            let name = ServerName::try_from(target.host.clone())
                .map_err(|e| ClientError::Tls(e.to_string()))?;
            let config =
                tls_config().ok_or_else(|| ClientError::Tls("no TLS configuration".into()))?;
            let tls = TlsConnector::from(config)
                .connect(name, stream)
                .await
                .map_err(|e| ClientError::Tls(e.to_string()))?;
            exchange(tls, request).await
        } else {
            exchange(stream, request).await
        }
    }

    async fn resolve(&self, target: &Target) -> Result<SocketAddr, ClientError> {
        let addresses: Vec<SocketAddr> =
            tokio::net::lookup_host((target.host.as_str(), target.port))
                .await
                .map_err(|_| ClientError::Resolve(target.host.clone()))?
                .collect();
        if addresses.is_empty() {
            return Err(ClientError::Resolve(target.host.clone()));
        }
        addresses
            .into_iter()
            .find(|a| self.allow_private || is_public(a.ip()))
            .ok_or(ClientError::NotPublic)
    }
}

async fn exchange<S>(io: S, request: Request<Full<Bytes>>) -> Result<Answer, ClientError>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|e| ClientError::Http(e.to_string()))?;
    let driver = tokio::spawn(async move {
        let _ = connection.await;
    });
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| ClientError::Http(e.to_string()));
    let response = match response {
        Ok(r) => r,
        Err(e) => {
            driver.abort();
            return Err(e);
        }
    };
    let status = response.status().as_u16();
    let body = Limited::new(response.into_body(), MAX_ANSWER_BYTES)
        .collect()
        .await
        .map(|b| b.to_bytes())
        .map_err(|_| ClientError::TooLarge);
    driver.abort();
    Ok(Answer {
        status,
        body: body?,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_not_public() {
        for (ip, public) in [
            ("127.0.0.1", false),
            ("10.1.2.3", false),
            ("172.16.0.1", false),
            ("192.168.1.1", false),
            ("169.254.169.254", false),
            ("100.64.0.1", false),
            ("0.0.0.0", false),
            ("::1", false),
            ("fd00::1", false),
            ("fe80::1", false),
            ("::ffff:127.0.0.1", false),
            ("193.0.6.139", true),
            ("2a00:1450:4001::1", true),
        ] {
            assert_eq!(is_public(ip.parse().unwrap()), public, "{ip}");
        }
    }

    #[test]
    fn targets() {
        let t = Target::parse("https://mastodon.example/users/ala?x=1#main-key").unwrap();
        assert!(t.tls);
        assert_eq!((t.host.as_str(), t.port), ("mastodon.example", 443));
        assert_eq!(t.path_and_query, "/users/ala?x=1");
        let t = Target::parse("http://127.0.0.1:8123/inbox").unwrap();
        assert_eq!(t.authority, "127.0.0.1:8123");
        assert!(Target::parse("ftp://x/").is_err());
        assert!(Target::parse("https://user@host/").is_err());
        assert!(Target::parse("/relative").is_err());
    }
}
