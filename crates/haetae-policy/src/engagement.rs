//! Engagements (authorised tests of named targets) and scope checking.
//!
//! An organisation's owner registers an engagement: the hosts, domains, CIDR ranges and repositories an authorised
//! test may touch, and a validity window. Exploitation and penetration-testing help is only given inside a valid
//! engagement of the caller's own organisation whose scope covers *every* target the request mentions, so the
//! guard extracts targets from the request text and [`Engagement::assess`] compares them with the scope.

use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngagementError {
    #[error(
        "'{0}' is not a valid engagement target (expected a host, *.domain, IP, CIDR or repository URL)"
    )]
    InvalidTarget(String),
    #[error("'{0}' is too broad for an engagement scope")]
    TooBroad(String),
    #[error("an engagement needs at least one target")]
    NoTargets,
    #[error("the engagement's validity window is empty (valid_until must be after valid_from)")]
    EmptyWindow,
}

/// Hosts whose URL paths name source repositories.
const REPO_HOSTS: &[&str] = &[
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "codeberg.org",
    "git.sr.ht",
];

/// One entry of an engagement's registered scope. Serialised as the string the owner registered.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ScopeTarget {
    /// An exact host name (`app.example.com`).
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

impl FromStr for ScopeTarget {
    type Err = EngagementError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let raw = s.trim();
        let invalid = || EngagementError::InvalidTarget(s.to_string());
        if raw.is_empty() {
            return Err(invalid());
        }
        if let Ok(net) = raw.parse::<IpNet>() {
            return Ok(ScopeTarget::Network(net.trunc()));
        }
        if let Ok(ip) = raw.parse::<IpAddr>() {
            return Ok(ScopeTarget::Network(IpNet::from(ip)));
        }
        let lower = raw.to_ascii_lowercase();
        let no_scheme = lower.split_once("://").map(|(_, r)| r).unwrap_or(&lower);
        if let Some((host, path)) = no_scheme.split_once('/')
            && REPO_HOSTS.contains(&host)
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
            if name != "*" && !valid_repo_part(name) {
                return Err(invalid());
            }
            return Ok(ScopeTarget::Repository {
                host: host.into(),
                owner: owner.into(),
                name: name.into(),
            });
        }
        if let Some(rest) = lower.strip_prefix("*.") {
            // A bare TLD ("*.com") parses so that validation can reject it as too broad with a clear message.
            let bare_tld = !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphabetic());
            return if is_domain(rest) || bare_tld {
                Ok(ScopeTarget::WildcardDomain(rest.into()))
            } else {
                Err(invalid())
            };
        }
        let host = no_scheme.split(['/', ':']).next().unwrap_or_default();
        if is_domain(host) {
            Ok(ScopeTarget::Domain(host.into()))
        } else {
            Err(invalid())
        }
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

impl ScopeTarget {
    /// Whether this scope entry covers `target`.
    pub fn covers(&self, target: &Target) -> bool {
        match (self, target) {
            (ScopeTarget::Network(net), Target::Ip(ip)) => net.contains(ip),
            (ScopeTarget::Network(net), Target::Cidr(inner)) => net.contains(inner),
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

    /// Scope entries so broad that registering them would defeat the point of a scope.
    fn too_broad(&self) -> bool {
        match self {
            ScopeTarget::Network(IpNet::V4(n)) => n.prefix_len() < 8,
            ScopeTarget::Network(IpNet::V6(n)) => n.prefix_len() < 32,
            ScopeTarget::WildcardDomain(d) => !d.contains('.'),
            _ => false,
        }
    }
}

/// A target mentioned in a request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Target {
    Ip(IpAddr),
    Cidr(IpNet),
    Host(String),
    Repository {
        host: String,
        owner: String,
        name: String,
    },
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Ip(ip) => write!(f, "{ip}"),
            Target::Cidr(n) => write!(f, "{n}"),
            Target::Host(h) => f.write_str(h),
            Target::Repository { host, owner, name } => write!(f, "{host}/{owner}/{name}"),
        }
    }
}

/// A target found in text, with the byte span of the token it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtractedTarget {
    pub target: Target,
    pub start: usize,
    pub end: usize,
}

/// File extensions that look like top-level domains in "dropper.exe" or "config.php"; such tokens are file names.
const NOT_TLDS: &[&str] = &[
    "exe", "dll", "py", "js", "ts", "txt", "sh", "ps1", "psm1", "bat", "cmd", "php", "html", "htm",
    "json", "yaml", "yml", "xml", "rs", "c", "h", "cpp", "hpp", "go", "java", "class", "jar",
    "zip", "rar", "gz", "tgz", "7z", "doc", "docx", "pdf", "xls", "xlsx", "xlsm", "ppt", "pptx",
    "log", "md", "cfg", "conf", "ini", "bin", "elf", "so", "sys", "tmp", "dat", "db", "sql", "csv",
    "png", "jpg", "jpeg", "gif", "svg", "vbs", "hta", "lnk", "iso", "img", "msi", "apk", "ipa",
    "dmg", "rb", "pl", "lua", "wasm", "evtx", "pcap", "pcapng", "yar", "rules", "lock", "toml",
    "env", "bak", "old", "key", "pem", "crt", "cer", "der", "p12", "pfx", "jsp", "asp", "aspx",
    "cs", "vb", "kt", "swift", "scala", "hwp", "hwpx", "eml", "msg", "docm", "dotm", "one", "chm",
    "scr", "cpl", "tar", "xz", "bz2", "ko", "service", "plist", "dylib", "sln", "csproj", "ipynb",
    "mjs", "cjs", "jsx", "tsx", "vue", "css", "scss", "map", "mp4", "mp3", "wav", "ico",
];

/// Tokens that look like domains but are product names.
const NOT_HOSTS: &[&str] = &[
    "asp.net", "vb.net", "ado.net", "node.js", "vue.js", "next.js", "e.g", "i.e",
];

fn valid_repo_part(p: &str) -> bool {
    !p.is_empty()
        && p.len() <= 100
        && p.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

fn is_domain(h: &str) -> bool {
    if h.len() > 253 || NOT_HOSTS.contains(&h) {
        return false;
    }
    let labels: Vec<&str> = h.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let Some(tld) = labels.last() else {
        return false;
    };
    if tld.len() < 2
        || tld.len() > 24
        || !tld.bytes().all(|b| b.is_ascii_alphabetic())
        || NOT_TLDS.contains(tld)
    {
        return false;
    }
    labels.iter().all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// Characters that end a token: anything outside printable ASCII (so a Korean particle glued to a host,
/// "example.com에", ends it) and ASCII punctuation that cannot appear in hosts, addresses or URL paths we use.
fn is_token_char(c: char) -> bool {
    c.is_ascii_graphic()
        && !matches!(
            c,
            '"' | '\''
                | '<'
                | '>'
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | ','
                | ';'
                | '`'
                | '|'
                | '\\'
        )
}

fn classify_token(token: &str) -> Option<Target> {
    let tok = token
        .trim_end_matches(['.', ':', '!', '?'])
        .trim_start_matches(['.', ':']);
    if tok.len() < 3 {
        return None;
    }
    if let Ok(net) = tok.parse::<IpNet>() {
        return Some(Target::Cidr(net.trunc()));
    }
    if let Ok(ip) = tok.parse::<IpAddr>() {
        return Some(Target::Ip(ip));
    }
    let lower = tok.to_ascii_lowercase();
    let (has_scheme, rest) = match lower.split_once("://") {
        Some((_, r)) => (true, r),
        None => (false, lower.as_str()),
    };
    let rest = rest.rsplit_once('@').map(|(_, h)| h).unwrap_or(rest);
    let (hostport, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = match hostport.rsplit_once(':') {
        // host:port (an IPv4 address or a name); bare IPv6 was handled by the parse above.
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => hostport,
    };
    if REPO_HOSTS.contains(&host) {
        let mut parts = path.split(['/', '?', '#']).filter(|p| !p.is_empty());
        if let (Some(owner), Some(name)) = (parts.next(), parts.next()) {
            let name = name.trim_end_matches(".git");
            if valid_repo_part(owner) && valid_repo_part(name) {
                return Some(Target::Repository {
                    host: host.into(),
                    owner: owner.into(),
                    name: name.into(),
                });
            }
        }
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Some(Target::Ip(ip));
    }
    // Without a scheme, a dotted token with a path could be a file path ("src/main.rs"); only the host part counts.
    if is_domain(host) && (has_scheme || !host.is_empty()) {
        return Some(Target::Host(host.to_string()));
    }
    None
}

/// Find the hosts, domains, addresses, ranges and repositories a request mentions.
pub fn extract_targets(text: &str) -> Vec<ExtractedTarget> {
    targets_in_folded(&crate::normalize::fold(text))
}

/// [`extract_targets`] on text the guard has already folded.
pub(crate) fn targets_in_folded(folded: &[crate::normalize::FChar]) -> Vec<ExtractedTarget> {
    // Tokens are read from the folded text, as the guard's rules are: zero-width characters and soft hyphens
    // vanish and compatibility forms (full-width digits and dots) become ASCII, so "10.0\u{200B}.0.5" — which a
    // model reads as 10.0.0.5 — is a target here too. Spans still point into the original text.
    let mut out: Vec<ExtractedTarget> = Vec::new();
    let mut token = String::new();
    let mut span: Option<(usize, usize)> = None;
    let flush =
        |token: &mut String, span: &mut Option<(usize, usize)>, out: &mut Vec<ExtractedTarget>| {
            if let Some((start, end)) = span.take()
                && let Some(t) = classify_token(token)
                && !out.iter().any(|x| x.target == t)
            {
                out.push(ExtractedTarget {
                    target: t,
                    start,
                    end,
                });
            }
            token.clear();
        };
    for f in folded {
        if is_token_char(f.c) {
            token.push(f.c);
            span = Some((span.map_or(f.start, |(s, _)| s), f.end));
        } else {
            flush(&mut token, &mut span, &mut out);
        }
    }
    flush(&mut token, &mut span, &mut out);
    out
}

/// An authorised test of named targets, registered by an organisation's owner. The gateway persists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Engagement {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub targets: Vec<ScopeTarget>,
    /// Unix seconds; the engagement is valid for `valid_from <= now < valid_until`.
    pub valid_from: i64,
    pub valid_until: i64,
    /// The member (owner) who registered it.
    pub created_by: String,
}

/// What the policy needs to know about the request's engagement.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct EngagementStatus {
    /// An engagement was named (`X-Haetae-Engagement`) and found.
    pub present: bool,
    pub id: Option<String>,
    /// It belongs to the caller's organisation.
    pub own_org: bool,
    /// Now is inside its validity window.
    pub valid: bool,
    /// Every target the request mentions is covered by its scope (vacuously true when none is mentioned).
    pub in_scope: bool,
    /// Targets mentioned in the request.
    pub targets: Vec<String>,
    /// Mentioned targets the scope does not cover.
    pub out_of_scope: Vec<String>,
}

impl EngagementStatus {
    /// No engagement named. `in_scope` is false: with no scope, nothing is in scope.
    pub fn none(targets: &[Target]) -> Self {
        EngagementStatus {
            targets: targets.iter().map(ToString::to_string).collect(),
            out_of_scope: targets.iter().map(ToString::to_string).collect(),
            ..Default::default()
        }
    }

    /// Present, own organisation, valid and in scope.
    pub fn ok(&self) -> bool {
        self.present && self.own_org && self.valid && self.in_scope
    }
}

impl Engagement {
    /// Check the registration: at least one target, none absurdly broad, a non-empty window.
    pub fn validate(&self) -> Result<(), EngagementError> {
        if self.targets.is_empty() {
            return Err(EngagementError::NoTargets);
        }
        if self.valid_until <= self.valid_from {
            return Err(EngagementError::EmptyWindow);
        }
        if let Some(t) = self.targets.iter().find(|t| t.too_broad()) {
            return Err(EngagementError::TooBroad(t.to_string()));
        }
        Ok(())
    }

    pub fn is_valid_at(&self, now: i64) -> bool {
        self.valid_from <= now && now < self.valid_until
    }

    pub fn covers(&self, target: &Target) -> bool {
        self.targets.iter().any(|s| s.covers(target))
    }

    /// Assess this engagement for a request by `caller_org_id` at `now` that mentions `targets`.
    pub fn assess(&self, caller_org_id: &str, now: i64, targets: &[Target]) -> EngagementStatus {
        let out_of_scope: Vec<String> = targets
            .iter()
            .filter(|t| !self.covers(t))
            .map(ToString::to_string)
            .collect();
        EngagementStatus {
            present: true,
            id: Some(self.id.clone()),
            own_org: self.org_id == caller_org_id,
            valid: self.is_valid_at(now),
            in_scope: out_of_scope.is_empty(),
            targets: targets.iter().map(ToString::to_string).collect(),
            out_of_scope,
        }
    }
}

/// Convenience for the gateway: extract the request's targets and assess the (optional) engagement.
pub fn check_scope(
    engagement: Option<&Engagement>,
    caller_org_id: &str,
    now: i64,
    text: &str,
) -> EngagementStatus {
    let targets: Vec<Target> = extract_targets(text)
        .into_iter()
        .map(|t| t.target)
        .collect();
    match engagement {
        Some(e) => e.assess(caller_org_id, now, &targets),
        None => EngagementStatus::none(&targets),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eng(targets: &[&str]) -> Engagement {
        Engagement {
            id: "e1".into(),
            org_id: "org-a".into(),
            name: "annual test".into(),
            targets: targets
                .iter()
                .map(|t| t.parse().expect("valid test target"))
                .collect(),
            valid_from: 100,
            valid_until: 200,
            created_by: "owner".into(),
        }
    }

    fn targets(text: &str) -> Vec<String> {
        extract_targets(text)
            .into_iter()
            .map(|t| t.target.to_string())
            .collect()
    }

    #[test]
    fn extracts_hosts_ips_ranges_and_repos() {
        assert_eq!(
            targets(
                "scan 10.0.0.5 and 192.168.1.0/24, then https://app.example.com/login?x=1 and github.com/acme/api.git"
            ),
            vec![
                "10.0.0.5",
                "192.168.1.0/24",
                "app.example.com",
                "github.com/acme/api"
            ]
        );
        assert_eq!(
            targets("shop.example.co.kr에 SQL 인젝션 테스트"),
            vec!["shop.example.co.kr"]
        );
        assert_eq!(
            targets("admin@corp.example.org 계정"),
            vec!["corp.example.org"]
        );
        assert_eq!(targets("10.1.2.3:8080 서버"), vec!["10.1.2.3"]);
        assert!(
            targets("dropper.exe wrote config.php and main.rs with node.js, version 1.2.3")
                .is_empty()
        );
        assert_eq!(
            targets("fe80::1 and 2001:db8::/32"),
            vec!["fe80::1", "2001:db8::/32"]
        );
    }

    /// Regression (found by fuzz/fuzz_targets/policy_guard.rs): zero-width characters or soft hyphens inside a
    /// host or address hid it from the scope check and the guard, though a model reads it unchanged.
    #[test]
    fn invisible_characters_and_full_width_forms_do_not_hide_targets() {
        let text = "Scan 10.0\u{200B}.0.0/24 and app.exa\u{AD}mple.com, then exploit git\u{200B}hub.com/acme/portal";
        assert_eq!(
            targets(text),
            vec!["10.0.0.0/24", "app.example.com", "github.com/acme/portal"]
        );
        let t = &extract_targets(text)[1];
        assert_eq!(&text[t.start..t.end], "app.exa\u{AD}mple.com");
        assert_eq!(targets("１０．０．０．５에 포트 스캔"), vec!["10.0.0.5"]);
        assert_eq!(
            crate::classify(text).labels(),
            crate::classify(&text.replace(['\u{200B}', '\u{AD}'], "")).labels()
        );
    }

    #[test]
    fn scope_covers_exact_wildcard_cidr_and_repos() {
        let e = eng(&[
            "*.example.com",
            "shop.test.kr",
            "10.0.0.0/16",
            "github.com/acme/*",
            "203.0.113.7",
        ]);
        assert!(e.validate().is_ok());
        let covered = |t: &str| e.covers(&extract_targets(t)[0].target);
        assert!(covered("a.b.example.com"));
        assert!(
            !covered("example.com"),
            "wildcard does not include the apex"
        );
        assert!(!covered("badexample.com"));
        assert!(covered("shop.test.kr"));
        assert!(!covered("www.shop.test.kr"));
        assert!(covered("10.0.3.4"));
        assert!(covered("10.0.8.0/24"));
        assert!(!covered("10.0.0.0/8"));
        assert!(covered("https://github.com/acme/web"));
        assert!(!covered("https://github.com/evil/web"));
        assert!(covered("203.0.113.7"));
        assert!(!covered("203.0.113.8"));
    }

    #[test]
    fn assess_requires_every_target_and_own_org_and_window() {
        let e = eng(&["*.example.com"]);
        let ts: Vec<Target> = extract_targets("a.example.com and b.other.net")
            .into_iter()
            .map(|t| t.target)
            .collect();
        let s = e.assess("org-a", 150, &ts);
        assert!(s.present && s.own_org && s.valid && !s.in_scope);
        assert_eq!(s.out_of_scope, vec!["b.other.net"]);
        assert!(!e.assess("org-b", 150, &ts[..1]).ok());
        assert!(!e.assess("org-a", 200, &ts[..1]).ok());
        assert!(e.assess("org-a", 100, &ts[..1]).ok());
        assert!(
            e.assess("org-a", 150, &[]).ok(),
            "no targets mentioned is vacuously in scope"
        );
        assert!(!EngagementStatus::none(&[]).ok());
    }

    #[test]
    fn registration_rejects_broad_or_bad_scopes() {
        assert_eq!(
            eng(&["0.0.0.0/0"]).validate(),
            Err(EngagementError::TooBroad("0.0.0.0/0".into()))
        );
        assert!(matches!(
            eng(&["*.com"]).validate(),
            Err(EngagementError::TooBroad(_))
        ));
        assert!("not a host".parse::<ScopeTarget>().is_err());
        assert!("github.com/acme".parse::<ScopeTarget>().is_err());
        let json =
            serde_json::to_string(&eng(&["*.example.com", "10.0.0.0/8"])).unwrap_or_default();
        assert!(json.contains("\"*.example.com\"") && json.contains("\"10.0.0.0/8\""));
        let back: Engagement = serde_json::from_str(&json).expect("round trip");
        assert_eq!(back, eng(&["*.example.com", "10.0.0.0/8"]));
    }
}
