//! Engagements (authorised tests of named targets) and exact scope checking.
//!
//! An organisation's owner registers an engagement: the hosts, domains, address ranges and repositories an
//! authorised test may touch, and a validity window. Exploitation and penetration-testing help is only given inside
//! a valid engagement of the caller's own organisation whose scope covers *every* target the request names, so
//! [`extract_targets`] finds the targets in the request text and [`Engagement::assess`] compares them with the
//! scope. Both sides are compared as parsed, canonical values ([`scope`]), never as strings.
//!
//! # Reading a target the way a client resolves it
//!
//! 1. **What a reader sees.** Zero-width characters, soft hyphens and direction marks are dropped; full-width
//!    ASCII (`１９２．１６８`) and the full stops IDNA maps to `.` (`。` `．` `｡`) become ASCII.
//! 2. **Re-fanging.** Defanged notation is undone before anything else: `[.]` `(.)` `{.}` `[dot]` `(dot)`
//!    `[점]`, `hxxp`/`hxxps`, `[:]` `[://]` `[/]` `[@]` `[at]`, `\.` between labels; ` dot `, ` [.] `, ` 점 `
//!    with spaces between two words; and `점` / `点` between two ASCII letters or digits (`192점168`,
//!    `www점naver`), so Korean prose where 점 means "point" is left alone.
//! 3. **Tokens.** A token is a run of characters that can occur in a URL. A change between Korean, Chinese or
//!    Japanese script and ASCII ends a token (particles glue to hosts: `example.com에서`), except at `.` `/` `@`
//!    `-`, so IDN hosts (`네이버.한국`) and non-ASCII paths stay whole. A particle glued to an IDN host
//!    (`네이버.한국에서`) is dropped when the shorter name ends in a known public suffix.
//! 4. **The host.** Each token becomes the URL a client would be handed (`http://` + token for a bare one; every
//!    scheme's authority is read as `http`'s, because `ssh` and `smb` clients resolve `0xC0A83865` too) and goes
//!    through the WHATWG URL parser (the `url` crate): backslashes as slashes, user information up to the last
//!    `@` of the authority, percent-decoding, IDNA/punycode (UTS #46), and IPv4 in decimal, hex, octal and
//!    shortened forms. So `http://www.naver.com#@app.corp.example` and `www.naver.com/@app.corp.example` name
//!    `www.naver.com`, and `http://3232249957/` names 192.168.56.101. IPv6 zones are dropped (clients connect
//!    to the address); IPv4-mapped and NAT64 IPv6 addresses are compared as the IPv4 address they reach.
//! 5. **Two readings.** `192.168.056.101` is 192.168.46.101 to a browser and to `inet_aton` (octal) but
//!    192.168.56.101 to a person or a model: every reading must be in scope.
//! 6. **Nested hosts.** Hosts written in a URL's user information, path, query or fragment are targets too (a
//!    model may take any of them for the one meant), two levels deep.
//! 7. **Encoded targets.** The guard's decoded views (base64, hex, percent, `\u` escapes, HTML entities, ROT13,
//!    reversed text) are read the same way: `aHR0cDovL3d3dy5uYXZlci5jb20v` names `www.naver.com`.
//! 8. **Fail closed.** A URL whose host does not parse (`http://999.1.1.1/`, broken punycode), or a dotted name
//!    under a real top-level domain that does not parse, is an [`Target::Unparsed`] target, which no scope covers.
//!
//! # Host or file name?
//!
//! Many top-level domains are also file extensions (`.rs .pl .sh .md .py .zip .mov .app .so .ps .cc .ml .tf`), so
//! a bare dotted token is a host when:
//!
//! * it stands in **URL position** — after a scheme, `//` or `\\` — or is **followed by a path**
//!   (`docs.rs/serde`): file names are the leaves of paths, never their first segment; or
//! * its public suffix (Public Suffix List, the `psl` crate) is **known** and the token is not a plain
//!   **`name.ext` file reference**: two labels whose last is a common file extension (`main.rs`, `setup.py`,
//!   `README.md`, `payload.zip`). Three or more labels (`www.example.sh`) or a multi-label public suffix
//!   (`www.gov.pl`, whose suffix is `gov.pl`) make it a host, unless a label has an underscore, which host names
//!   do not (`test_utils.spec.py`). The reason: in requests, `name.ext` overwhelmingly names a file, and the
//!   domains of that shape (`google.zip`) are named in URL position when they are meant; longer names under those
//!   suffixes are registry structures or host names; or
//! * its top-level domain is unknown to the list but **reserved for private or special use** (`.local`,
//!   `.internal`, `.corp`, `.lan`, `.home`, `.example`, `.test`, `.localhost`, …), which is where internal
//!   engagement targets live (`dc01.acme.local`). Other unknown suffixes (`config.yaml`, `jquery.min.js`) are not
//!   hosts.
//!
//! Product names spelled like domains (`asp.net`, `node.js`, `socket.io`) are not hosts when bare. A bare single
//! number (`0xC0A83865`, `3232249957`) is an address only next to a word that introduces a host (`against`,
//! `server`, `nmap`, `서버`, `대상`) or right after a verb whose object is a system (`exploit`); otherwise it is a
//! number (`0x41414141` in an exploit, a timestamp). Bare dotted numbers are an address with four parts or with
//! `0x` parts, never `1.2.3` (a version) or `10.0.19041.1234` (a build). Placeholders (`x.x.x.x`,
//! `http://TARGET/`, `$HOST`) are not targets.
//!
//! # Registration
//!
//! [`Engagement::validate`] refuses, with the entry and the reason: wildcards over a top-level domain or a public
//! suffix (`*.com`, `*.co.kr`, `*.github.io`); IPv4 ranges shorter than /16 and IPv6 ranges shorter than /48
//! ([`ScopeLimits`]); and ranges overlapping addresses that name no particular organisation's system:
//! unspecified/"this network" 0.0.0.0/8 and `::`, loopback 127.0.0.0/8 and `::1`, link-local 169.254.0.0/16
//! (with the cloud metadata service) and fe80::/10, multicast 224.0.0.0/4 and ff00::/8, reserved and broadcast
//! 240.0.0.0/4, the documentation ranges 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32 and
//! 3fff::/20, and the discard prefix 100::/64. Private ranges (10/8, 172.16/12, 192.168/16, fc00::/7) are allowed:
//! internal networks are what engagements test.

mod extract;
mod host;
pub mod scope;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use scope::{EngagementError, ScopeLimits, ScopeTarget, Target};

/// A target found in text, with the byte span of the token it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtractedTarget {
    pub target: Target,
    pub start: usize,
    pub end: usize,
}

fn chars_of(text: &str) -> Vec<extract::PChar> {
    text.char_indices()
        .map(|(start, c)| extract::PChar {
            c,
            start,
            end: start + c.len_utf8(),
        })
        .collect()
}

/// Find the hosts, domains, addresses, ranges and repositories a request names, as a client would resolve them.
/// Targets written in an encoding a model reads (base64, hex, percent, `\u` escapes, HTML entities, ROT13,
/// reversed text: the guard's decoded views) count too, with the span of the encoded token.
pub fn extract_targets(text: &str) -> Vec<ExtractedTarget> {
    let mut out = extract::extract(&chars_of(text));
    for view in crate::decode::decoded_views(text) {
        let (start, end) = (view.span.start, view.span.end);
        if start >= end
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        for t in extract::extract(&chars_of(&view.text)) {
            if !out.iter().any(|x| x.target == t.target) {
                out.push(ExtractedTarget {
                    target: t.target,
                    start,
                    end,
                });
            }
        }
    }
    out
}

/// [`extract_targets`] on text the guard has already folded (its rule hits; the scope check reads the original).
pub(crate) fn targets_in_folded(folded: &[crate::normalize::FChar]) -> Vec<ExtractedTarget> {
    let chars: Vec<extract::PChar> = folded
        .iter()
        .map(|f| extract::PChar {
            c: f.c,
            start: f.start,
            end: f.end,
        })
        .collect();
    extract::extract(&chars)
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
    /// Check the registration with the default [`ScopeLimits`]: at least one target, none over-broad or naming
    /// no particular system, a non-empty window.
    pub fn validate(&self) -> Result<(), EngagementError> {
        self.validate_with(&ScopeLimits::default())
    }

    /// [`Engagement::validate`] with explicit limits.
    pub fn validate_with(&self, limits: &ScopeLimits) -> Result<(), EngagementError> {
        if self.targets.is_empty() {
            return Err(EngagementError::NoTargets);
        }
        if self.valid_until <= self.valid_from {
            return Err(EngagementError::EmptyWindow);
        }
        for t in &self.targets {
            t.check_breadth(limits)?;
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
