//! Scope entries as an owner registers them, the targets a request mentions, and how one covers the other.
//!
//! Both sides are compared in canonical form only: domains as lower-case ASCII (IDN labels as punycode) without
//! a trailing dot, addresses and ranges as parsed values, with IPv4-mapped (`::ffff:a.b.c.d`) and NAT64
//! (`64:ff9b::a.b.c.d`) IPv6 addresses turned into the IPv4 address they reach.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use serde::{Deserialize, Serialize};

use super::host;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngagementError {
    #[error(
        "'{0}' is not a valid engagement target (expected a host name, *.domain, a dotted-decimal IPv4 or an IPv6 \
         address, a CIDR range or a repository URL)"
    )]
    InvalidTarget(String),
    #[error("'{target}' is too broad for an engagement scope: {reason}")]
    TooBroad { target: String, reason: String },
    #[error(
        "'{target}' lies in {range} ({what}), which names no particular organisation's system and cannot be an \
         engagement target"
    )]
    SpecialRange {
        target: String,
        range: String,
        what: String,
    },
    #[error("an engagement needs at least one target")]
    NoTargets,
    #[error("the engagement's validity window is empty (valid_until must be after valid_from)")]
    EmptyWindow,
}

/// How broad a registered scope entry may be. `Engagement::validate` uses the defaults; a deployment that needs
/// other limits calls [`super::Engagement::validate_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScopeLimits {
    /// The shortest IPv4 prefix accepted (default 16: a /16 is 65,536 addresses, a large campus).
    pub min_ipv4_prefix: u8,
    /// The shortest IPv6 prefix accepted (default 48: one site's allocation).
    pub min_ipv6_prefix: u8,
}

impl Default for ScopeLimits {
    fn default() -> Self {
        ScopeLimits {
            min_ipv4_prefix: 16,
            min_ipv6_prefix: 48,
        }
    }
}

/// Hosts whose URL paths name source repositories.
pub(crate) const REPO_HOSTS: &[&str] = &[
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "codeberg.org",
    "git.sr.ht",
];

/// One entry of an engagement's registered scope. Serialised as the string the owner registered, in canonical
/// form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ScopeTarget {
    /// An exact host name (`app.example.com`), canonical ASCII.
    Domain(String),
    /// `*.example.com`: every subdomain of `example.com`, at any depth, but not `example.com` itself (register the
    /// apex separately if it is in scope, so that a wildcard never silently widens to the parent).
    WildcardDomain(String),
    /// An address or a CIDR range (a single address is a /32 or /128).
    Network(IpNet),
    /// `host/owner/name`; `name` may be `*` for every repository of the owner.
    Repository {
        host: String,
        owner: String,
        name: String,
    },
}

pub(crate) fn valid_repo_part(p: &str) -> bool {
    !p.is_empty()
        && p.len() <= 100
        && p.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

impl FromStr for ScopeTarget {
    type Err = EngagementError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let raw = s.trim();
        let invalid = || EngagementError::InvalidTarget(s.to_string());
        if raw.is_empty() || raw.len() > 2048 || raw.chars().any(char::is_whitespace) {
            return Err(invalid());
        }
        // Addresses and ranges: the strict textual forms only (dotted decimal without leading zeros, RFC 4291
        // IPv6), so that what the owner reads back is what they meant; hex, octal and shortened IPv4 are refused.
        if let Ok(net) = raw.parse::<IpNet>() {
            return Ok(ScopeTarget::Network(host::canonical_net(net.trunc())));
        }
        let unbracketed = raw
            .strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .unwrap_or(raw);
        if let Ok(ip) = unbracketed.parse::<IpAddr>() {
            return Ok(ScopeTarget::Network(IpNet::from(host::canonical_ip(ip))));
        }
        let lower = raw.to_lowercase();
        let no_scheme = lower.split_once("://").map(|(_, r)| r).unwrap_or(&lower);
        if let Some((h, path)) = no_scheme.split_once('/')
            && REPO_HOSTS.contains(&h)
        {
            let mut parts = path.trim_end_matches('/').split('/');
            let owner = parts
                .next()
                .filter(|p| valid_repo_part(p))
                .ok_or_else(invalid)?;
            let name = parts
                .next()
                .map(|n| n.trim_end_matches(".git"))
                .ok_or_else(invalid)?;
            if parts.next().is_some() || (name != "*" && !valid_repo_part(name)) {
                return Err(invalid());
            }
            return Ok(ScopeTarget::Repository {
                host: h.into(),
                owner: owner.into(),
                name: name.into(),
            });
        }
        if let Some(rest) = lower.strip_prefix("*.") {
            // One label parses ("*.com") so that validation refuses it as too broad, with the reason.
            return host::registrable_domain_text(rest, 1)
                .map(ScopeTarget::WildcardDomain)
                .ok_or_else(invalid);
        }
        // An exact host: bare, or the host of a URL (`https://app.example.com:8443/login`).
        let authority = no_scheme.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') {
            return Err(invalid());
        }
        let host_part = match authority.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
            _ => authority,
        };
        if let Ok(ip) = host_part.trim_matches(['[', ']']).parse::<IpAddr>() {
            return Ok(ScopeTarget::Network(IpNet::from(host::canonical_ip(ip))));
        }
        host::registrable_domain_text(host_part, 2)
            .map(ScopeTarget::Domain)
            .ok_or_else(invalid)
    }
}

impl TryFrom<String> for ScopeTarget {
    type Error = EngagementError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<ScopeTarget> for String {
    fn from(t: ScopeTarget) -> String {
        t.to_string()
    }
}

impl std::fmt::Display for ScopeTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScopeTarget::Domain(d) => f.write_str(d),
            ScopeTarget::WildcardDomain(d) => write!(f, "*.{d}"),
            ScopeTarget::Network(n) if n.prefix_len() == n.max_prefix_len() => {
                write!(f, "{}", n.addr())
            }
            ScopeTarget::Network(n) => write!(f, "{n}"),
            ScopeTarget::Repository { host, owner, name } => write!(f, "{host}/{owner}/{name}"),
        }
    }
}

/// Address ranges that name no particular system, so registering them as a target makes no sense: the same
/// address means a different machine for every caller (loopback, link-local — including the cloud metadata
/// service at 169.254.169.254 —, "this network"), or no machine at all (multicast, broadcast, reserved, the
/// documentation ranges of RFC 5737 / RFC 3849 / RFC 9637, discard-only).
const SPECIAL_V4: &[(&str, &str)] = &[
    ("0.0.0.0/8", "unspecified / \"this network\""),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("192.0.2.0/24", "documentation (TEST-NET-1)"),
    ("198.51.100.0/24", "documentation (TEST-NET-2)"),
    ("203.0.113.0/24", "documentation (TEST-NET-3)"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved and broadcast"),
];
const SPECIAL_V6: &[(&str, &str)] = &[
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("100::/64", "discard-only"),
    ("2001:db8::/32", "documentation"),
    ("3fff::/20", "documentation"),
    ("fe80::/10", "link-local"),
    ("ff00::/8", "multicast"),
];

fn overlaps(a: &IpNet, b: &IpNet) -> bool {
    a.contains(b) || b.contains(a)
}

impl ScopeTarget {
    /// Whether this scope entry covers `target`.
    pub fn covers(&self, target: &Target) -> bool {
        match (self, target) {
            (ScopeTarget::Network(net), Target::Ip(ip)) => net.contains(&host::canonical_ip(*ip)),
            (ScopeTarget::Network(net), Target::Cidr(inner)) => {
                net.contains(&host::canonical_net(*inner))
            }
            (ScopeTarget::Domain(d), Target::Host(h)) => d == h,
            (ScopeTarget::WildcardDomain(d), Target::Host(h)) => {
                h.len() > d.len() + 1
                    && h.ends_with(d.as_str())
                    && h.as_bytes()[h.len() - d.len() - 1] == b'.'
            }
            (
                ScopeTarget::Repository { host, owner, name },
                Target::Repository {
                    host: th,
                    owner: to,
                    name: tn,
                },
            ) => host == th && owner == to && (name == "*" || name == tn),
            _ => false,
        }
    }

    /// Refuse entries so broad that registering them would defeat the point of a scope, and entries that name no
    /// particular system.
    pub fn check_breadth(&self, limits: &ScopeLimits) -> Result<(), EngagementError> {
        let too_broad = |reason: String| EngagementError::TooBroad {
            target: self.to_string(),
            reason,
        };
        match self {
            ScopeTarget::WildcardDomain(d) => {
                if !d.contains('.') {
                    return Err(too_broad(format!(
                        "'{d}' is a top-level domain; a wildcard over it covers unrelated registrants"
                    )));
                }
                if host::is_public_suffix(d) {
                    return Err(too_broad(format!(
                        "'{d}' is a public suffix (Public Suffix List): its subdomains belong to unrelated \
                         registrants; register your own domain under it"
                    )));
                }
                Ok(())
            }
            ScopeTarget::Domain(d) if d == "localhost" || d.ends_with(".localhost") => {
                Err(EngagementError::SpecialRange {
                    target: self.to_string(),
                    range: "localhost".into(),
                    what: "loopback name".into(),
                })
            }
            ScopeTarget::Network(net) => {
                let (min, special) = match net {
                    IpNet::V4(_) => (limits.min_ipv4_prefix, SPECIAL_V4),
                    IpNet::V6(_) => (limits.min_ipv6_prefix, SPECIAL_V6),
                };
                if net.prefix_len() < min {
                    return Err(too_broad(format!(
                        "the prefix /{} is shorter than the shortest allowed, /{min}",
                        net.prefix_len()
                    )));
                }
                for (range, what) in special {
                    if let Ok(r) = range.parse::<IpNet>()
                        && overlaps(net, &r)
                    {
                        return Err(EngagementError::SpecialRange {
                            target: self.to_string(),
                            range: (*range).into(),
                            what: (*what).into(),
                        });
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// A target mentioned in a request, in canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Target {
    /// An address; IPv4-mapped and NAT64 IPv6 addresses are stored as the IPv4 address they reach.
    Ip(IpAddr),
    Cidr(IpNet),
    /// A host name: lower-case ASCII, IDN labels as punycode, no trailing dot.
    Host(String),
    Repository {
        host: String,
        owner: String,
        name: String,
    },
    /// Something that plausibly names a host but does not parse exactly (an invalid address in a URL, broken
    /// punycode): no scope covers it, so a request naming it is out of scope.
    Unparsed(String),
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Ip(ip) => write!(f, "{ip}"),
            Target::Cidr(n) => write!(f, "{n}"),
            Target::Host(h) => f.write_str(h),
            Target::Repository { host, owner, name } => write!(f, "{host}/{owner}/{name}"),
            Target::Unparsed(raw) => write!(f, "{raw} (unparseable host)"),
        }
    }
}

/// `a.b.c.d` from the last 32 bits of an IPv6 address.
pub(crate) fn low_v4(v6: &Ipv6Addr) -> Ipv4Addr {
    let o = v6.octets();
    Ipv4Addr::new(o[12], o[13], o[14], o[15])
}

pub(crate) fn v4net(addr: Ipv4Addr, prefix: u8) -> Option<IpNet> {
    Ipv4Net::new(addr, prefix)
        .ok()
        .map(|n| IpNet::V4(n.trunc()))
}

pub(crate) fn v6net(addr: Ipv6Addr, prefix: u8) -> Option<Ipv6Net> {
    Ipv6Net::new(addr, prefix).ok()
}
