//! Behind a TLS-terminating reverse proxy: whom a request really came from.
//!
//! Every request reaching the service through a proxy has the proxy's address. The proxy says
//! whom it served in a header (`X-Forwarded-For: client, proxy1` or
//! `Forwarded: for=client, for=proxy1`), which the service believes only when the connection
//! comes from an address it was told to trust (`--trusted-proxy`). It then walks the chain
//! from the right, past the trusted proxies, and takes the first address it does not trust:
//! whatever a client writes into the header itself sits to the left of that and is ignored.
//! With no proxy trusted the headers are ignored altogether, so nobody picks their own address
//! for the audit log or the failed-attempt limits.
//!
//! A request id (`x-request-id`) is kept only from a trusted proxy, which may have logged it
//! already; from anyone else the service makes its own.
//!
//! The connection caps ([`crate::connections`]) count TCP peers before any header is read: behind
//! a proxy that is the proxy, so let it limit clients.

use crate::AppState;
use crate::connections::ClientAddress;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The header a trusted proxy names the client in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1` (nginx's `$proxy_add_x_forwarded_for`, Caddy).
    #[default]
    XForwardedFor,
    /// `Forwarded: for=client, for=proxy1` (RFC 7239).
    Forwarded,
}

impl ForwardedHeader {
    fn name(self) -> &'static str {
        match self {
            Self::XForwardedFor => "x-forwarded-for",
            Self::Forwarded => "forwarded",
        }
    }
}

/// A `--trusted-proxy` that is neither an address nor a network.
#[derive(Debug, thiserror::Error)]
#[error("{0:?} is not an address or a network (such as 10.0.0.5 or 10.0.0.0/24)")]
pub struct NotANetwork(String);

/// An address or network a reverse proxy connects from: `10.0.0.5`, `10.0.0.0/24`,
/// `::1`, `fd00::/8`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrustedProxy(IpNet);

impl std::str::FromStr for TrustedProxy {
    type Err = NotANetwork;

    fn from_str(s: &str) -> Result<Self, NotANetwork> {
        let s = s.trim();
        s.parse::<IpNet>()
            .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
            .map(Self)
            .map_err(|_| NotANetwork(s.to_owned()))
    }
}

/// The proxies whose word on the client's address is believed, and the header they use.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies {
    /// Where trusted proxies connect from; none: no forwarding header is believed.
    pub proxies: Vec<TrustedProxy>,
    /// The header they name the client in.
    pub header: ForwardedHeader,
}

impl TrustedProxies {
    /// Whether `address` is one of the trusted proxies'.
    pub fn trusts(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.proxies.iter().any(|p| p.0.contains(&address))
    }

    /// The client of a request that came over a connection from `peer` with `headers`: the
    /// rightmost address in the forwarding chain that is not a trusted proxy's.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops = hops(self.header, headers);
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop {
                Some(address) if self.trusts(*address) => client = *address,
                Some(address) => return canonical(*address),
                // A hop the proxy could not name ("unknown", an obfuscated name): the last
                // address known is as far as the chain can be followed.
                None => return client,
            }
        }
        client
    }
}

/// An IPv4 address written as IPv6 (`::ffff:10.0.0.1`, as a dual-stack socket reports it) is
/// the IPv4 address.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// The chain of addresses `header` names, the client first; `None` for a hop with no address.
fn hops(header: ForwardedHeader, headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    // Several header lines are one list, in order (RFC 9110, 5.3).
    let elements = headers
        .get_all(header.name())
        .iter()
        .flat_map(|v| v.to_str().unwrap_or("").split(','))
        .map(str::trim)
        .filter(|e| !e.is_empty());
    match header {
        ForwardedHeader::XForwardedFor => elements.map(node).collect(),
        ForwardedHeader::Forwarded => elements
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(key, _)| key.trim().eq_ignore_ascii_case("for"))
                    .and_then(|(_, value)| node(value.trim().trim_matches('"')))
            })
            .collect(),
    }
}

/// An address as a forwarding header writes a node: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`
/// or `[2001:db8::1]:4711`.
fn node(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    text.parse::<IpAddr>()
        .ok()
        .or_else(|| text.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            text.strip_prefix('[')
                .and_then(|t| t.strip_suffix(']'))
                .and_then(|t| t.parse().ok())
        })
}

/// The longest request id kept from a proxy.
const MAX_REQUEST_ID: usize = 128;

/// Sets each request's [`ClientAddress`] to its client as the trusted proxies name it, and
/// drops a request id sent by anyone but a trusted proxy (the service then makes its own).
pub async fn resolve_client(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let trusted = &state.trusted_proxies;
    let peer = request.extensions().get::<ClientAddress>().copied();
    match peer {
        Some(ClientAddress(peer)) if trusted.trusts(peer) => {
            let client = trusted.client(peer, request.headers());
            request.extensions_mut().insert(ClientAddress(client));
            // Even a trusted proxy's id goes into every log line: keep it short and plain.
            let plain = request
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .is_none_or(|id| {
                    id.len() <= MAX_REQUEST_ID && id.bytes().all(|b| b.is_ascii_graphic())
                });
            if !plain {
                request.headers_mut().remove("x-request-id");
            }
        }
        _ => {
            request.headers_mut().remove("x-request-id");
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn proxies(header: ForwardedHeader, nets: &[&str]) -> TrustedProxies {
        TrustedProxies {
            proxies: nets.iter().map(|n| n.parse().unwrap()).collect(),
            header,
        }
    }

    fn headers(name: &str, values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append(
                axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn with_no_proxy_trusted_the_peer_is_the_client_whatever_the_headers_say() {
        let none = TrustedProxies::default();
        let h = headers("x-forwarded-for", &["203.0.113.9"]);
        assert_eq!(none.client(ip("198.51.100.4"), &h), ip("198.51.100.4"));
        let other = proxies(ForwardedHeader::XForwardedFor, &["10.0.0.0/8"]);
        assert_eq!(
            other.client(ip("198.51.100.4"), &h),
            ip("198.51.100.4"),
            "a connection from outside the trusted networks names no one"
        );
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client_and_what_a_client_wrote_is_ignored() {
        let trusted = proxies(ForwardedHeader::XForwardedFor, &["10.0.0.0/24", "::1"]);
        // The client wrote "1.2.3.4" itself; the edge proxy appended the real peer; an inner
        // proxy appended the edge proxy.
        let h = headers("x-forwarded-for", &["1.2.3.4, 203.0.113.9", "10.0.0.7"]);
        assert_eq!(trusted.client(ip("10.0.0.5"), &h), ip("203.0.113.9"));
        assert_eq!(trusted.client(ip("::1"), &h), ip("203.0.113.9"));
        assert_eq!(
            trusted.client(ip("::ffff:10.0.0.5"), &h),
            ip("203.0.113.9"),
            "an IPv4 proxy seen on a dual-stack socket"
        );
    }

    #[test]
    fn a_chain_of_only_proxies_or_an_unknown_hop_stops_at_the_last_address_known() {
        let trusted = proxies(ForwardedHeader::XForwardedFor, &["10.0.0.0/24"]);
        let only_proxies = headers("x-forwarded-for", &["10.0.0.9"]);
        assert_eq!(
            trusted.client(ip("10.0.0.5"), &only_proxies),
            ip("10.0.0.9")
        );
        let unknown = headers("x-forwarded-for", &["203.0.113.9, unknown, 10.0.0.8"]);
        assert_eq!(trusted.client(ip("10.0.0.5"), &unknown), ip("10.0.0.8"));
        assert_eq!(
            trusted.client(ip("10.0.0.5"), &HeaderMap::new()),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn forwarded_names_nodes_with_ports_quotes_and_brackets() {
        let trusted = proxies(ForwardedHeader::Forwarded, &["10.0.0.0/24"]);
        let h = headers(
            "forwarded",
            &["for=192.0.2.60;proto=https, For=\"[2001:db8:cafe::17]:4711\";by=10.0.0.5"],
        );
        assert_eq!(trusted.client(ip("10.0.0.5"), &h), ip("2001:db8:cafe::17"));
        let v4_port = headers("forwarded", &["for=\"192.0.2.60:4711\""]);
        assert_eq!(trusted.client(ip("10.0.0.5"), &v4_port), ip("192.0.2.60"));
        // The other header is not read at all.
        let xff = headers("x-forwarded-for", &["203.0.113.9"]);
        assert_eq!(trusted.client(ip("10.0.0.5"), &xff), ip("10.0.0.5"));
    }

    #[test]
    fn trusted_proxies_parse_as_networks_or_single_addresses() {
        assert!("10.0.0.0/8".parse::<TrustedProxy>().is_ok());
        assert!(" 127.0.0.1 ".parse::<TrustedProxy>().is_ok());
        assert!("fd00::/8".parse::<TrustedProxy>().is_ok());
        assert!("proxy.local".parse::<TrustedProxy>().is_err());
        assert!("10.0.0.0/33".parse::<TrustedProxy>().is_err());
    }
}
