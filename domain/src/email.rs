//! E-mail addresses as the office accepts them: an RFC 5322 `addr-spec` (parsed by the
//! `email_address` crate) narrowed to what a municipal office can actually write to and
//! keep in a register without surprises — no display name (`Anna <a@b.pl>`), no domain
//! literal (`a@[192.0.2.1]`), no quoted local part, a domain with at least one dot, and
//! nothing but visible characters: a CR, LF or tab would split a log line or a mail
//! header (issue 16).

use email_address::{EmailAddress, Options};

/// RFC 5321 § 4.5.3.1.3: a path is at most 256 octets including the angle brackets.
pub const MAX_LENGTH: usize = 254;

/// Whether `s` (already trimmed by the caller) is an address the office accepts.
pub fn is_email_address(s: &str) -> bool {
    let visible = s.chars().all(|c| !c.is_whitespace() && !c.is_control());
    let options = Options::default()
        .with_minimum_sub_domains(2)
        .without_domain_literal()
        .without_display_text();
    visible
        && s.len() <= MAX_LENGTH
        && !s.contains('"')
        && EmailAddress::parse_with_options(s, options).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_people_use_are_accepted() {
        for good in [
            "sekretariat@urzad.example.pl",
            "anna.wisniewska@example.pl",
            "a+b@sub.domain.example",
            "x_y-z@a1.pl",
            "ANNA@EXAMPLE.PL",
        ] {
            assert!(is_email_address(good), "{good}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        let too_long = format!("{}@example.pl", "a".repeat(250));
        for bad in [
            "",
            "sekretariat",
            "a@b",
            "a b@c.pl",
            "@example.pl",
            "anna@",
            "anna@.pl",
            "anna@example..pl",
            "anna@@example.pl",
            "a@b.pl\r\nBcc: x@evil.example",
            "a@b.pl\nX: y",
            "a\t@b.pl",
            "a@b.pl\t",
            "a\u{0}@b.pl",
            "a@b.pl\u{85}",
            "\"a b\"@example.pl",
            "Anna <anna@example.pl>",
            "anna@[192.0.2.1]",
            "anna@example.pl\u{2028}",
            too_long.as_str(),
        ] {
            assert!(!is_email_address(bad), "{bad:?}");
        }
    }
}
