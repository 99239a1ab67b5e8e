//! The pure part of resident accounts: what an e-mail address must look like, how long
//! a sign-in link lives, and the letter that carries it.

use crate::platform::form::FormErrors;
use crate::platform::form::parse::{self, FormReader, Pairs};
use crate::web::i18n::{Arg, Lang};

/// A sign-in link works this long after it was sent: long enough to switch to the mail
/// program, short enough that a link found later in a mailbox is useless.
pub const LINK_MINUTES: i64 = 20;

/// Letters one client address may have sent to one recipient before each further
/// request waits (1 s, 2 s, 4 s, … up to [`LINK_MAX_DELAY_SECONDS`]): enough for a
/// resident who mistypes, lost a letter or tries again the next day.
pub const LINKS_FREE_PER_PAIR: u32 = 3;
/// Letters one client address may have sent, whatever the recipients, before it is
/// slowed the same way: more than one person's worth (a library's or the office's own
/// public computer), far fewer than a script sending to a list.
pub const LINKS_FREE_PER_CLIENT: u32 = 30;
/// Letters one recipient may get, whatever the clients, before further ones wait: stops
/// the form flooding someone's mailbox from many addresses.
pub const LINKS_FREE_PER_RECIPIENT: u32 = 10;
/// The longest wait of a client (for one recipient or for all): an hour.
pub const LINK_MAX_DELAY_SECONDS: u64 = 3600;
/// The longest wait of a recipient flooded from many addresses: five minutes, so that
/// the owner of the address is slowed at worst, never shut out.
pub const RECIPIENT_MAX_DELAY_SECONDS: u64 = 300;

/// An app's bearer token works this many days after the sign-in (then the resident
/// asks for a new link); signing out in the app ends it at once.
pub const APP_TOKEN_DAYS: u32 = 30;
/// Requests one app token may make in a minute of the office's clock; beyond them 429
/// with `Retry-After` (an app polling every second stays well within it).
pub const APP_REQUESTS_PER_MINUTE: u32 = 120;
/// Failed code exchanges one client address may make before each further one waits
/// (1 s, 2 s, … up to [`LINK_MAX_DELAY_SECONDS`]): a code is 256 random bits, the delay
/// only keeps a script from hammering the table.
pub const EXCHANGES_FREE_PER_CLIENT: u32 = 10;

/// The link token in what an app was given to exchange: the token itself, or the whole
/// link from the letter (`…/my-cases/link/{token}`, the resident pasted it or the app
/// opened it), trimmed, without a query or fragment.
pub fn link_token_of(code: &str) -> &str {
    let code = code.trim();
    let code = code.split(['?', '#']).next().unwrap_or_default();
    code.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
}

/// An e-mail address as the office keys accounts and applications by: trimmed, lower
/// case (applications store it so too), at most 254 characters (RFC 5321's path limit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResidentEmail(String);

impl ResidentEmail {
    /// The address, or the Fluent id of what is wrong with it (the form kit's e-mail
    /// parser decides what an address looks like).
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        if input.trim().is_empty() {
            return Err("resident-email-missing");
        }
        parse::email(input, 254)
            .map(|email| Self(email.to_lowercase()))
            .map_err(|_| "resident-email-invalid")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The sign-in link form as posted: the raw form that `ResidentEmail::try_from` reads
/// (docs/decisions/0018-form-kit.md).
pub struct LinkForm<'a> {
    pub pairs: &'a Pairs,
}

impl TryFrom<LinkForm<'_>> for ResidentEmail {
    type Error = FormErrors;

    fn try_from(form: LinkForm<'_>) -> Result<Self, FormErrors> {
        let mut reader = FormReader::new(form.pairs);
        let email = reader.optional("email", ResidentEmail::parse);
        if email.is_none() && !reader.has_error("email") {
            reader.error("email", "resident-email-missing");
        }
        reader.finish(email)
    }
}

/// The address sign-in links point at: the configured public address, else the
/// listening address (a demo on one machine). Never the request's `Host` header: a
/// forged one would put an attacker's host into a link mailed to somebody else.
pub fn link_base(public_url: Option<&str>, listen: std::net::SocketAddr) -> String {
    match public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => format!("http://{listen}"),
    }
}

/// The sign-in letter: (subject, body), plain text in the resident's language.
pub fn sign_in_letter(lang: Lang, office: &str, link: &str) -> (String, String) {
    let args = [
        ("office", Arg::from(office.to_owned())),
        ("link", Arg::from(link.to_owned())),
        ("minutes", Arg::from(LINK_MINUTES)),
    ];
    (
        lang.t_args("resident-mail-subject", &args),
        lang.t_args("resident-mail-body", &args),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        let cases = [
            (" Jan.Kowalski@Example.PL ", Ok("jan.kowalski@example.pl")),
            ("anna@borowiec.pl", Ok("anna@borowiec.pl")),
            ("zażółć@gęślą.pl", Ok("zażółć@gęślą.pl")),
            ("", Err("resident-email-missing")),
            ("   ", Err("resident-email-missing")),
            ("jan", Err("resident-email-invalid")),
            ("jan@", Err("resident-email-invalid")),
            ("@example.pl", Err("resident-email-invalid")),
            ("jan kowalski@example.pl", Err("resident-email-invalid")),
        ];
        for (input, expected) in cases {
            let got = ResidentEmail::parse(input);
            assert_eq!(
                got.as_ref().map(ResidentEmail::as_str).map_err(|e| *e),
                expected,
                "{input:?}"
            );
        }
    }

    #[test]
    fn the_form_gives_the_address_or_its_problem() {
        let form = |pairs: &[(&str, &str)]| {
            let pairs: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            ResidentEmail::try_from(LinkForm { pairs: &pairs })
                .map(|e| e.as_str().to_owned())
                .map_err(|e| e.get("email").map(str::to_owned))
        };
        assert_eq!(
            form(&[("email", " Anna@Borowiec.PL ")]),
            Ok("anna@borowiec.pl".to_owned())
        );
        assert_eq!(form(&[]), Err(Some("resident-email-missing".to_owned())));
        assert_eq!(
            form(&[("email", " ")]),
            Err(Some("resident-email-missing".to_owned()))
        );
        assert_eq!(
            form(&[("email", "anna")]),
            Err(Some("resident-email-invalid".to_owned()))
        );
    }

    #[test]
    fn overlong_addresses_are_refused() {
        let long = format!("{}@example.pl", "a".repeat(250));
        assert_eq!(ResidentEmail::parse(&long), Err("resident-email-invalid"));
    }

    #[test]
    fn an_app_exchanges_the_token_or_the_whole_link() {
        let token = "ab".repeat(32);
        for (given, expected) in [
            (token.clone(), token.as_str()),
            (format!("  {token}\n"), token.as_str()),
            (
                format!("https://u.pl/my-cases/link/{token}"),
                token.as_str(),
            ),
            (
                format!("https://u.pl/my-cases/link/{token}/"),
                token.as_str(),
            ),
            (
                format!("https://u.pl/my-cases/link/{token}?utm=x#y"),
                token.as_str(),
            ),
            (String::new(), ""),
            ("https://u.pl/my-cases/link/".to_owned(), "link"),
        ] {
            assert_eq!(link_token_of(&given), expected, "{given:?}");
        }
    }

    #[test]
    fn links_never_come_from_the_request() {
        let listen = std::net::SocketAddr::from(([127, 0, 0, 1], 8080));
        assert_eq!(
            link_base(Some("https://urzad.borowiec.pl/"), listen),
            "https://urzad.borowiec.pl"
        );
        assert_eq!(link_base(None, listen), "http://127.0.0.1:8080");
    }

    #[test]
    fn the_letter_carries_the_link_and_its_lifetime_in_both_languages() {
        for lang in [Lang::Pl, Lang::En] {
            let (subject, body) = sign_in_letter(
                lang,
                "Urząd Miejski w Borowcu",
                "https://u.pl/my-cases/link/abc",
            );
            assert!(subject.contains("Urząd Miejski w Borowcu"), "{subject}");
            assert!(body.contains("https://u.pl/my-cases/link/abc"), "{body}");
            assert!(body.contains(&LINK_MINUTES.to_string()), "{body}");
        }
    }
}
