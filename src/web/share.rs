//! Plain share links for a public page (issue 13, "Social"): an e-mail (`mailto:`,
//! RFC 6068) and, where the office names its Mastodon server
//! (`share_mastodon_instance`), that server's share intent (`https://HOST/share?text=…`).
//! Only hrefs: no third-party script, nothing fetched, nothing counted.

/// The share links of one page.
#[derive(Clone, Debug)]
pub struct Share {
    pub mailto: String,
    /// The Mastodon share intent, when a server is configured.
    pub mastodon: Option<String>,
    /// The Mastodon server's host, named in the link's accessible name.
    pub mastodon_host: Option<String>,
}

impl Share {
    /// The links sharing `title` at the absolute `url`.
    #[must_use]
    pub fn of(title: &str, url: &str, mastodon_instance: Option<&str>) -> Self {
        let text = format!("{title}\n{url}");
        let mastodon_host = mastodon_instance
            .filter(|h| valid_host(h))
            .map(str::to_owned);
        Self {
            mailto: format!(
                "mailto:?subject={}&body={}",
                percent_encode(title),
                percent_encode(url)
            ),
            mastodon: mastodon_host
                .as_ref()
                .map(|host| format!("https://{host}/share?text={}", percent_encode(&text))),
            mastodon_host,
        }
    }
}

/// A host name as a share link may point at: DNS labels of letters, digits and `-`,
/// dot-separated, at least two of them (no scheme, port, path or user part).
#[must_use]
pub fn valid_host(host: &str) -> bool {
    host.len() <= 253
        && host.split('.').count() >= 2
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Every byte but RFC 3986's unreserved characters as `%XX`: the same for a `mailto:`
/// header field (RFC 6068 § 2) and a query value, with a space as `%20` (a `+` is a
/// plus sign in a `mailto:`).
#[must_use]
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_encode_the_title_and_the_address() {
        let share = Share::of(
            "Zarządzenie nr 1 & <b>\"x\"</b>",
            "https://urzad.example/bip/publikacje/7",
            Some("mastodon.example"),
        );
        assert_eq!(
            share.mailto,
            "mailto:?subject=Zarz%C4%85dzenie%20nr%201%20%26%20%3Cb%3E%22x%22%3C%2Fb%3E\
             &body=https%3A%2F%2Furzad.example%2Fbip%2Fpublikacje%2F7"
        );
        assert_eq!(
            share.mastodon.as_deref(),
            Some(
                "https://mastodon.example/share?text=Zarz%C4%85dzenie%20nr%201%20%26%20\
                 %3Cb%3E%22x%22%3C%2Fb%3E%0Ahttps%3A%2F%2Furzad.example%2Fbip%2Fpublikacje%2F7"
            )
        );
    }

    #[test]
    fn only_a_host_name_makes_a_mastodon_link() {
        for bad in [
            "",
            "localhost",
            "https://m.example",
            "m.example/x",
            "m.example:443",
            "a..b",
            "-a.b",
        ] {
            assert!(!valid_host(bad), "{bad}");
            assert!(Share::of("t", "u", Some(bad)).mastodon.is_none(), "{bad}");
        }
        assert!(valid_host("social.borowiec.pl"));
        assert!(Share::of("t", "u", None).mastodon.is_none());
    }
}
