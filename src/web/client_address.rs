//! Who is asking: the client's address, through the office's reverse proxies.
//!
//! The socket's peer is the client unless it is one of `trusted_proxies`. Only then do
//! the forwarding headers count: `Forwarded` (RFC 7239, its `for=` parameters) when
//! present, else `X-Forwarded-For`. Each proxy appends the address it received from,
//! so the list is read from the right: trusted proxies are stepped over, and the first
//! address that is not one is the client. Anything left of it was written by the
//! client and proves nothing. A header from an untrusted peer is ignored outright
//! (anyone can send `X-Forwarded-For: 127.0.0.1`).

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The client's address as this request shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress {
    /// `None` when the request came through no socket (never in `serve`).
    pub ip: Option<IpAddr>,
    /// The request carried forwarding headers that were not believed (the peer is not
    /// a trusted proxy): it probably came through a proxy the configuration does not
    /// name, so the peer's own address says little about the client.
    pub forwarding_ignored: bool,
}

/// Whether `ip` lies in one of `nets`.
pub fn in_any(nets: &[IpNet], ip: IpAddr) -> bool {
    let ip = canonical(ip);
    nets.iter().any(|n| n.contains(&ip))
}

/// An IPv4 address mapped into IPv6 (`::ffff:a.b.c.d`) is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// The client's address, from the socket's `peer` and, when the peer is one of
/// `trusted`, the forwarding headers.
pub fn client_address(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted: &[IpNet],
) -> ClientAddress {
    let forwarded = forwarded_chain(headers);
    let Some(peer) = peer.map(canonical) else {
        return ClientAddress {
            ip: None,
            forwarding_ignored: forwarded.is_some(),
        };
    };
    let Some(chain) = forwarded else {
        return ClientAddress {
            ip: Some(peer),
            forwarding_ignored: false,
        };
    };
    if !in_any(trusted, peer) {
        return ClientAddress {
            ip: Some(peer),
            forwarding_ignored: true,
        };
    }
    // Right to left: the nearest hop first. An entry that is not an address (`unknown`,
    // an obfuscated name, garbage) stops the walk: the last address believed is as far
    // as the chain can be trusted.
    let mut client = peer;
    for entry in chain.iter().rev() {
        match entry {
            Some(ip) => {
                client = canonical(*ip);
                if !in_any(trusted, client) {
                    break;
                }
            }
            None => break,
        }
    }
    ClientAddress {
        ip: Some(client),
        forwarding_ignored: false,
    }
}

/// The addresses a request was forwarded for, left (farthest) to right (nearest);
/// `None` for an entry that is not an address. `None` when no header names any.
fn forwarded_chain(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let forwarded: Vec<&str> = headers
        .get_all("forwarded")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if !forwarded.is_empty() {
        let chain = forwarded
            .iter()
            .flat_map(|v| v.split(','))
            .filter_map(forwarded_for)
            .map(|node| parse_node(&node))
            .collect::<Vec<_>>();
        if !chain.is_empty() {
            return Some(chain);
        }
    }
    let xff: Vec<Option<IpAddr>> = headers
        .get_all("x-forwarded-for")
        .iter()
        .map(|v| v.to_str().unwrap_or(""))
        .flat_map(|v| v.split(','))
        .map(|entry| parse_node(entry.trim()))
        .collect();
    (!xff.is_empty()).then_some(xff)
}

/// The `for=` value of one `Forwarded` element (`for=192.0.2.1;proto=https`), unquoted.
fn forwarded_for(element: &str) -> Option<String> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("for")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]`,
/// `[2001:db8::1]:4711` or a bare `2001:db8::1`.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    let (host, port) = node.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(*name, value.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn the_client_address_by_hand() {
        let proxies = nets(&["10.0.0.0/8", "2001:db8:ff::/48"]);
        // (peer, headers, expected client, forwarding ignored), worked out by hand.
        type Case<'a> = (&'a str, Vec<(&'static str, &'a str)>, &'a str, bool);
        let table: Vec<Case> = vec![
            ("203.0.113.5", vec![], "203.0.113.5", false),
            // An untrusted peer's header is ignored.
            (
                "203.0.113.5",
                vec![("x-forwarded-for", "127.0.0.1")],
                "203.0.113.5",
                true,
            ),
            // The proxy appended the client's address.
            (
                "10.0.0.2",
                vec![("x-forwarded-for", "198.51.100.7")],
                "198.51.100.7",
                false,
            ),
            // A client-written entry to the left of the real one proves nothing.
            (
                "10.0.0.2",
                vec![("x-forwarded-for", "1.2.3.4, 198.51.100.7")],
                "198.51.100.7",
                false,
            ),
            // Two trusted proxies in a row are stepped over.
            (
                "10.0.0.2",
                vec![("x-forwarded-for", "198.51.100.7, 10.0.0.9")],
                "198.51.100.7",
                false,
            ),
            // Several headers are one list, in order.
            (
                "10.0.0.2",
                vec![
                    ("x-forwarded-for", "198.51.100.7"),
                    ("x-forwarded-for", "10.0.0.9"),
                ],
                "198.51.100.7",
                false,
            ),
            // Garbage stops the walk at the last believed hop.
            (
                "10.0.0.2",
                vec![("x-forwarded-for", "198.51.100.7, garbage")],
                "10.0.0.2",
                false,
            ),
            // Forwarded wins over X-Forwarded-For; ports and brackets are read.
            (
                "10.0.0.2",
                vec![
                    (
                        "forwarded",
                        "for=192.0.2.60;proto=https, for=\"[2001:db8:ff::1]:4711\"",
                    ),
                    ("x-forwarded-for", "6.6.6.6"),
                ],
                "192.0.2.60",
                false,
            ),
            (
                "10.0.0.2",
                vec![("forwarded", "For=\"192.0.2.43:47011\"")],
                "192.0.2.43",
                false,
            ),
            (
                "10.0.0.2",
                vec![("forwarded", "for=\"[2001:db8:cafe::17]\"")],
                "2001:db8:cafe::17",
                false,
            ),
            // Only trusted addresses: the farthest one.
            (
                "10.0.0.2",
                vec![("x-forwarded-for", "10.1.1.1")],
                "10.1.1.1",
                false,
            ),
            // An IPv4-mapped peer is its IPv4 address.
            (
                "::ffff:10.0.0.2",
                vec![("x-forwarded-for", "198.51.100.7")],
                "198.51.100.7",
                false,
            ),
        ];
        for (peer, pairs, expected, ignored) in table {
            let got = client_address(ip(peer), &headers(&pairs), &proxies);
            assert_eq!(got.ip, ip(expected), "{peer} {pairs:?}");
            assert_eq!(got.forwarding_ignored, ignored, "{peer} {pairs:?}");
        }
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client() {
        let got = client_address(
            ip("127.0.0.1"),
            &headers(&[("x-forwarded-for", "198.51.100.7")]),
            &[],
        );
        assert_eq!(got.ip, ip("127.0.0.1"));
        assert!(got.forwarding_ignored);
    }
}
