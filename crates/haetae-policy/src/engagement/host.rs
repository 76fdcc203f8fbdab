//! Canonical hosts: addresses, domains, the Public Suffix List, and the rule that tells a host from a file name.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

use super::scope::{low_v4, v4net, v6net};

/// IPv4-mapped (`::ffff:a.b.c.d`) and NAT64 well-known-prefix (`64:ff9b::a.b.c.d`, RFC 6052) IPv6 addresses reach
/// an IPv4 host, so they are compared as that IPv4 address.
pub(crate) fn canonical_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return IpAddr::V4(v4);
            }
            let s = v6.segments();
            if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
                return IpAddr::V4(low_v4(&v6));
            }
            IpAddr::V6(v6)
        }
        v4 => v4,
    }
}

/// The range counterpart of [`canonical_ip`]: a range inside `::ffff:0:0/96` or `64:ff9b::/96` becomes the IPv4
/// range it covers.
pub(crate) fn canonical_net(net: IpNet) -> IpNet {
    let IpNet::V6(n) = net else {
        return net;
    };
    if n.prefix_len() < 96 {
        return net;
    }
    let mapped = v6net(Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0, 0), 96);
    let nat64 = v6net(Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0), 96);
    if mapped.is_some_and(|m| m.contains(&n)) || nat64.is_some_and(|m| m.contains(&n)) {
        return v4net(low_v4(&n.addr()), n.prefix_len() - 96).unwrap_or(net);
    }
    net
}

/// `(labels in the public suffix, whether the Public Suffix List knows it)` for a canonical ASCII domain. An
/// unknown top-level domain counts as a one-label suffix, as the list's default rule says.
pub(crate) fn suffix_info(domain: &str) -> (usize, bool) {
    match psl::suffix(domain.as_bytes()) {
        Some(s) => {
            let labels = s.trim().as_bytes().split(|b| *b == b'.').count();
            (labels, s.is_known())
        }
        None => (1, false),
    }
}

/// Whether `domain` (canonical ASCII) is itself a public suffix: `co.kr`, `com`, `github.io`.
pub(crate) fn is_public_suffix(domain: &str) -> bool {
    let (labels, known) = suffix_info(domain);
    known && labels == domain.split('.').count()
}

/// A label a host name can have once IDNA has run: letters, digits, hyphens (and the underscore DNS allows).
fn ldh_label(l: &str) -> bool {
    !l.is_empty()
        && l.len() <= 63
        && l.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Canonical ASCII form of a domain as an owner registers it: the WHATWG host parser (IDNA/punycode, case
/// folding), at least two labels, each a valid host label, no trailing dot; `None` for addresses and anything
/// else.
pub(crate) fn registrable_domain_text(text: &str, min_labels: usize) -> Option<String> {
    let text = text.strip_suffix('.').unwrap_or(text);
    if text.is_empty() {
        return None;
    }
    match url::Host::parse(text).ok()? {
        url::Host::Domain(d) => {
            let d = d.strip_suffix('.').unwrap_or(&d).to_string();
            let labels: Vec<&str> = d.split('.').collect();
            let ok = d.len() <= 253
                && labels.len() >= min_labels
                && labels.iter().all(|l| ldh_label(l))
                && labels
                    .last()
                    .is_some_and(|t| !t.bytes().all(|b| b.is_ascii_digit()));
            ok.then_some(d)
        }
        _ => None,
    }
}

/// File extensions. Only the ones that are also top-level domains matter (`rs`, `pl`, `sh`, `md`, `py`, `zip`,
/// `mov`, `app`, `so`, `ps`, `cc`, `ml`, `tf`, `mk`, `am`, `ac`, `do`, `key`, `pub`, `one`, `pm`), because a
/// name under an unknown top-level domain is not a host anyway; the rest are listed so the rule does not change
/// when a registry adds one of them as a new TLD.
const FILE_EXTENSIONS: &[&str] = &[
    "rs", "pl", "pm", "sh", "md", "py", "zip", "mov", "app", "so", "ps", "cc", "ml", "tf", "mk",
    "am", "ac", "do", "key", "pub", "one", "exe", "dll", "js", "ts", "txt", "ps1", "psm1", "bat",
    "cmd", "php", "html", "htm", "json", "yaml", "yml", "xml", "c", "h", "cpp", "hpp", "go",
    "java", "class", "jar", "rar", "gz", "tgz", "7z", "doc", "docx", "pdf", "xls", "xlsx", "xlsm",
    "ppt", "pptx", "log", "cfg", "conf", "ini", "bin", "elf", "sys", "tmp", "dat", "db", "sql",
    "csv", "png", "jpg", "jpeg", "gif", "svg", "vbs", "hta", "lnk", "iso", "img", "msi", "apk",
    "ipa", "dmg", "rb", "lua", "wasm", "evtx", "pcap", "pcapng", "yar", "rules", "lock", "toml",
    "env", "bak", "old", "pem", "crt", "cer", "der", "p12", "pfx", "jsp", "asp", "aspx", "cs",
    "vb", "kt", "swift", "scala", "hwp", "hwpx", "eml", "msg", "docm", "dotm", "chm", "scr", "cpl",
    "tar", "xz", "bz2", "ko", "service", "plist", "dylib", "sln", "csproj", "ipynb", "mjs", "cjs",
    "jsx", "tsx", "vue", "css", "scss", "map", "mp4", "mp3", "wav", "ico", "sol", "tsv", "gradle",
    "cmake",
];

/// Names that are spelled like domains but, written bare in prose, name products.
const PRODUCT_NAMES: &[&str] = &[
    "asp.net",
    "vb.net",
    "ado.net",
    "node.js",
    "vue.js",
    "next.js",
    "nuxt.js",
    "react.js",
    "express.js",
    "d3.js",
    "three.js",
    "chart.js",
    "socket.io",
];

/// Top-level names reserved for private and special use (RFC 2606, RFC 6761, RFC 6762, RFC 8375,
/// ICANN's `.internal`) and the de-facto internal ones that engagements target: not in the Public Suffix List,
/// yet names under them are hosts.
const INTERNAL_TLDS: &[&str] = &[
    "local",
    "localhost",
    "internal",
    "intranet",
    "corp",
    "lan",
    "home",
    "private",
    "localdomain",
    "test",
    "example",
    "invalid",
    "onion",
    "arpa",
];

/// Where a name stood in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Position {
    /// After a scheme, `//` or `\\`: a client connects to it.
    Url,
    /// Followed by a path (`docs.rs/serde`): file names are leaves of paths, never their first segment, so the
    /// `name.ext` exception does not apply; the suffix must still be known or reserved for internal use.
    BeforePath,
    /// A bare token in prose.
    Bare,
}

/// Does `domain` (canonical ASCII, from the WHATWG host parser) name a host, given where it stood? This is the
/// host-versus-file-name rule; see the module documentation for the reasons.
pub(crate) fn names_a_host(domain: &str, pos: Position) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let Some(tld) = labels.last().copied() else {
        return false;
    };
    if labels.len() < 2 {
        // A single label in URL position is resolved through search domains (`http://intranet/`).
        return (pos == Position::Url && ldh_label(domain)) || domain == "localhost";
    }
    if !labels.iter().all(|l| ldh_label(l)) || tld.bytes().all(|b| b.is_ascii_digit()) {
        // WHATWG accepts more characters in a host than DNS does; in URL position what the browser would send is
        // the host whatever it contains.
        return pos == Position::Url;
    }
    if pos == Position::Url {
        return true;
    }
    if pos == Position::Bare && PRODUCT_NAMES.contains(&domain) {
        return false;
    }
    let (suffix_labels, known) = suffix_info(domain);
    if !known {
        return INTERNAL_TLDS.contains(&tld);
    }
    // Before a path the name is the path's root, which a file name never is (`docs.rs/serde`).
    if pos == Position::BeforePath || suffix_labels >= 2 || !FILE_EXTENSIONS.contains(&tld) {
        return true;
    }
    // `name.ext` with an extension that is also a TLD (`main.rs`, `setup.py`, `payload.zip`) is a file; a longer
    // name under such a TLD (`www.example.sh`) is a host unless it has an underscore, which host names do not.
    labels.len() >= 3 && !domain.contains('_')
}

/// Whether `text` is written as a placeholder rather than a host: `x.x.x.x`, `10.10.10.x`, `TARGET`, `$HOST`.
pub(crate) fn is_placeholder(host_text_original_case: &str) -> bool {
    let t = host_text_original_case;
    if t.bytes().any(|b| matches!(b, b'$' | b'{' | b'}')) {
        return true;
    }
    let labels: Vec<&str> = t.split('.').collect();
    let all_x_or_digits = labels.iter().all(|l| {
        !l.is_empty()
            && (l.bytes().all(|b| b.is_ascii_digit()) || l.bytes().all(|b| b == b'x' || b == b'X'))
    });
    if labels.len() >= 2
        && all_x_or_digits
        && labels
            .iter()
            .any(|l| l.bytes().all(|b| b == b'x' || b == b'X'))
    {
        return true;
    }
    // A single upper-case word (`http://TARGET:8080/`) is the convention for "fill in your host".
    labels.len() == 1
        && t.bytes().any(|b| b.is_ascii_uppercase())
        && t.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// The IPv4 readings of a dotted-decimal host with leading zeros (`192.168.056.101`): WHATWG and `inet_aton` read
/// `056` as octal (46), a person or a model reads it as decimal (56). Both must be in scope, so the decimal reading
/// is returned when it is valid; the parser supplies the other.
pub(crate) fn decimal_reading(host_text: &str) -> Option<Ipv4Addr> {
    let parts: Vec<&str> = host_text.split('.').collect();
    if parts.len() != 4
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
        || !parts.iter().any(|p| p.len() > 1 && p.starts_with('0'))
    {
        return None;
    }
    let mut o = [0u8; 4];
    for (i, p) in parts.iter().enumerate() {
        o[i] = p.parse::<u8>().ok()?;
    }
    Some(Ipv4Addr::from(o))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_suffix_list_is_consulted_on_ascii_and_punycode() {
        assert_eq!(suffix_info("www.gov.pl"), (2, true));
        assert_eq!(suffix_info("shop.example.co.kr"), (2, true));
        assert_eq!(suffix_info("main.rs"), (1, true));
        assert_eq!(suffix_info("app.corp.example"), (1, false));
        assert!(suffix_info("xn--950bt9s8xi.xn--3e0b707e").1, "네이버.한국");
        assert!(is_public_suffix("co.kr") && is_public_suffix("github.io"));
        assert!(!is_public_suffix("example.co.kr") && !is_public_suffix("corp.example"));
    }

    #[test]
    fn host_or_file_name() {
        use Position::*;
        let cases: &[(&str, Position, bool)] = &[
            ("main.rs", Bare, false),
            ("setup.py", Bare, false),
            ("run.sh", Bare, false),
            ("readme.md", Bare, false),
            ("payload.zip", Bare, false),
            ("script.pl", Bare, false),
            ("www.gov.pl", Bare, true),
            ("www.example.sh", Bare, true),
            ("test_utils.spec.py", Bare, false),
            ("docs.rs", BeforePath, true),
            ("login.php", BeforePath, false),
            ("google.zip", Url, true),
            ("naver.com", Bare, true),
            ("config.yaml", Bare, false),
            ("jquery.min.js", Bare, false),
            ("app.corp.example", Bare, true),
            ("dc01.acme.local", Bare, true),
            ("asp.net", Bare, false),
            ("asp.net", Url, true),
            ("intranet", Url, true),
            ("intranet", Bare, false),
            ("xn--950bt9s8xi.xn--3e0b707e", Bare, true),
        ];
        for (d, pos, want) in cases {
            assert_eq!(names_a_host(d, *pos), *want, "{d} at {pos:?}");
        }
    }

    #[test]
    fn mapped_and_nat64_addresses_are_ipv4() {
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        assert_eq!(
            canonical_ip(ip("::ffff:192.168.56.101")),
            ip("192.168.56.101")
        );
        assert_eq!(canonical_ip(ip("64:ff9b::c0a8:3865")), ip("192.168.56.101"));
        assert_eq!(canonical_ip(ip("2001:db8::1")), ip("2001:db8::1"));
        let net = |s: &str| s.parse::<IpNet>().expect("net");
        assert_eq!(canonical_net(net("::ffff:10.0.0.0/104")), net("10.0.0.0/8"));
        assert_eq!(canonical_net(net("::/32")), net("::/32"));
    }
}
