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

/// The name in a `Host` value; `None` when it is malformed (empty name,
/// port not a number, unbracketed IPv6).
fn host_name(host: &str) -> Option<&str> {
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
    if let Some(port) = port {
        port.parse::<u16>().ok()?;
    }
    (!name.is_empty()).then_some(name)
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
