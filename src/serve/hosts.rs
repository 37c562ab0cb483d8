//! The names of this server. Only they are answered: `Host` (and the host
//! of an absolute request target) must be `localhost`, a loopback address
//! or the bound address, and the event stream also checks `Origin`, so that
//! a DNS-rebinding page cannot read the preview.

use std::net::IpAddr;

use super::urlpath::split_absolute;

/// Loopback names, and the bound address, are this server's names.
#[derive(Debug)]
pub(crate) struct Hosts {
    /// The bound address, lower case, without brackets.
    bind: String,
    /// Bound to every address (`0.0.0.0`, `::`): any IP address names us
    /// (a DNS-rebinding page always uses a host name).
    any_ip: bool,
}

impl Hosts {
    pub(crate) fn new(bind: &str) -> Hosts {
        let bind = bind
            .trim()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .trim_end_matches('.')
            .to_ascii_lowercase();
        let any_ip = bind.parse::<IpAddr>().is_ok_and(|ip| ip.is_unspecified());
        Hosts { bind, any_ip }
    }

    /// Whether a `Host` value (`name`, `name:port`, `[::1]:port`) names
    /// this server.
    pub(crate) fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host.trim()) else {
            return false;
        };
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if name == "localhost" || name == self.bind {
            return true;
        }
        match name.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || self.any_ip,
            Err(_) => false,
        }
    }

    /// Whether an `Origin` value (`http://host:port`) is one of ours.
    pub(crate) fn allows_origin(&self, origin: &str) -> bool {
        // An origin has no query or fragment: one there is refused.
        split_absolute(origin.trim()).is_some_and(|(authority, rest)| {
            !rest.starts_with(['?', '#']) && self.allows(authority)
        })
    }
}

/// Whether a client at `peer` is this computer: a loopback address, also
/// an IPv4 one seen through an IPv6 socket (`::ffff:127.0.0.1`). Unknown:
/// no. What the editor asks, whatever the bound address: `--bind 0.0.0.0`
/// shows the preview to the network, never the means to write.
pub(crate) fn is_local_peer(peer: Option<IpAddr>) -> bool {
    peer.is_some_and(|ip| ip.to_canonical().is_loopback())
}

/// Whether an `Origin` is a page of this very server reached on loopback
/// (`http://localhost:<port>`, `http://127.0.0.1:<port>`,
/// `http://[::1]:<port>`): not another machine, nor a page of another
/// local server (another port).
pub(crate) fn is_local_origin(origin: &str, port: u16) -> bool {
    let Some(rest) = origin.trim().strip_prefix("http://") else {
        return false;
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if !path.is_empty() && path != "/" {
        return false;
    }
    let Some((name, given)) = host_and_port(authority) else {
        return false;
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let loopback = name == "localhost"
        || name
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.to_canonical().is_loopback());
    loopback && given.unwrap_or(80) == port
}

/// The name in a `Host` value; `None` when it is malformed (empty name,
/// port not a number, unbracketed IPv6).
fn host_name(host: &str) -> Option<&str> {
    host_and_port(host).map(|(name, _)| name)
}

/// The name and port of a `Host` value (see [`host_name`]).
fn host_and_port(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (inside, after) = rest.split_once(']')?;
            let port = match after {
                "" => None,
                p => Some(p.strip_prefix(':')?),
            };
            (inside, port)
        }
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    let port = match port {
        Some(port) => Some(port.parse::<u16>().ok()?),
        None => None,
    };
    (!name.is_empty()).then_some((name, port))
}

/// The `host[:port]` of an absolute-form request target.
pub(crate) fn target_authority(target: &str) -> Option<&str> {
    split_absolute(target).map(|(authority, _)| authority)
}

/// The host to show in addresses for a bind address: `[::1]` for IPv6,
/// `127.0.0.1` for "every address".
pub(crate) fn display_host(bind: &str) -> String {
    match bind.parse::<IpAddr>() {
        Ok(ip) if ip.is_unspecified() => "127.0.0.1".to_string(),
        Ok(IpAddr::V6(ip)) => format!("[{ip}]"),
        _ => bind.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_computers_names_are_answered() {
        let local = Hosts::new("127.0.0.1");
        for host in [
            "localhost",
            "LOCALHOST:1111",
            "localhost.",
            "127.0.0.1",
            "127.0.0.1:1",
            "127.1.2.3:8080",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(local.allows(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "10.0.0.1",
            "::1",
            "localhost:abc",
            "localhost:99999",
            "",
            ":1111",
            "[::1",
            "[::1]x",
        ] {
            assert!(!local.allows(host), "{host}");
        }
        // The bound address is a name of ours; "every address" accepts any
        // IP address, never a host name.
        assert!(Hosts::new("mybox.local").allows("MyBox.local:1111"));
        assert!(Hosts::new("[::1]").allows("[::1]:80"));
        let every = Hosts::new("0.0.0.0");
        assert!(every.allows("192.168.1.5:1111") && every.allows("[fe80::1]"));
        assert!(!every.allows("evil.example"));
    }

    #[test]
    fn origins_are_checked_by_their_host() {
        let local = Hosts::new("127.0.0.1");
        assert!(local.allows_origin("http://localhost:1111"));
        assert!(local.allows_origin("http://127.0.0.1:1111/"));
        assert!(local.allows_origin("https://[::1]:1111"));
        for origin in ["null", "http://evil.example", "file://", "localhost:1111"] {
            assert!(!local.allows_origin(origin), "{origin}");
        }
    }

    #[test]
    fn only_loopback_peers_are_local() {
        for peer in ["127.0.0.1", "127.8.9.1", "::1", "::ffff:127.0.0.1"] {
            assert!(is_local_peer(peer.parse().ok()), "{peer}");
        }
        for peer in [
            "192.0.2.2",
            "10.0.0.1",
            "fd00::2",
            "::ffff:192.0.2.2",
            "0.0.0.0",
            "::",
        ] {
            assert!(!is_local_peer(peer.parse().ok()), "{peer}");
        }
        assert!(!is_local_peer(None), "an unknown peer is not ours");
    }

    #[test]
    fn the_editors_origin_is_this_servers_on_loopback() {
        for origin in [
            "http://127.0.0.1:1111",
            "http://localhost:1111",
            "http://LOCALHOST:1111/",
            "http://[::1]:1111",
            "http://127.0.0.2:1111",
        ] {
            assert!(is_local_origin(origin, 1111), "{origin}");
        }
        assert!(is_local_origin("http://localhost", 80));
        for origin in [
            // Another local server, another port.
            "http://127.0.0.1:1112",
            "http://localhost:8080",
            "http://localhost",
            // Another machine, even with our port.
            "http://192.0.2.2:1111",
            "http://[fd00::2]:1111",
            "http://evil.example:1111",
            "http://localhost.evil.example:1111",
            "https://127.0.0.1:1111",
            "http://127.0.0.1:1111/x",
            "http://127.0.0.1:1111?x",
            "http://127.0.0.1:x",
            "null",
            "",
        ] {
            assert!(!is_local_origin(origin, 1111), "{origin}");
        }
    }

    #[test]
    fn authorities_and_displayed_hosts() {
        assert_eq!(target_authority("http://h:1/a?b"), Some("h:1"));
        assert_eq!(target_authority("https://h?b"), Some("h"));
        assert_eq!(target_authority("/a"), None);
        assert_eq!(display_host("0.0.0.0"), "127.0.0.1");
        assert_eq!(display_host("::"), "127.0.0.1");
        assert_eq!(display_host("::1"), "[::1]");
        assert_eq!(display_host("127.0.0.1"), "127.0.0.1");
        assert_eq!(display_host("localhost"), "localhost");
    }
}
