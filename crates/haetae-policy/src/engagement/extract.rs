//! Finding the targets a request names: un-hiding, re-fanging, tokenising, and resolving each token's host the way
//! a client would. The rules and their reasons are in the parent module's documentation.

use std::net::{IpAddr, Ipv4Addr};

use ipnet::IpNet;
use url::{Host, Url};

use super::ExtractedTarget;
use super::host::{self, Position};
use super::scope::{REPO_HOSTS, Target, valid_repo_part};

/// One character of the request and the byte span `[start, end)` of the original text it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PChar {
    pub c: char,
    pub start: usize,
    pub end: usize,
}

/// How deep URLs inside URLs (`?next=http://…`, `/@host`) are followed.
const MAX_DEPTH: u8 = 2;
/// Tokens longer than this are not hosts (a host is at most 253 bytes; URLs with long paths still fit).
const MAX_TOKEN: usize = 4096;

pub(crate) fn extract(chars: &[PChar]) -> Vec<ExtractedTarget> {
    let fanged = defang(&prepare(chars));
    let tokens = tokenize(&fanged);
    let mut out: Vec<ExtractedTarget> = Vec::new();
    for (i, tok) in tokens.iter().enumerate() {
        let mut found = Vec::new();
        let ctx = Ctx {
            network_word: near_network_word(&tokens, i),
        };
        classify(&tok.text, ctx, 0, &mut found);
        for t in found {
            if !out.iter().any(|x| x.target == t) {
                out.push(ExtractedTarget {
                    target: t,
                    start: tok.start,
                    end: tok.end,
                });
            }
        }
    }
    out
}

/// Targets in a plain string (a decoded URL path or query), without spans.
fn extract_str(s: &str, depth: u8, out: &mut Vec<Target>) {
    let chars: Vec<PChar> = s
        .char_indices()
        .map(|(i, c)| PChar {
            c,
            start: i,
            end: i + c.len_utf8(),
        })
        .collect();
    let fanged = defang(&prepare(&chars));
    for tok in tokenize(&fanged) {
        classify(
            &tok.text,
            Ctx {
                network_word: false,
            },
            depth,
            out,
        );
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Preparation: what a reader sees.

/// Characters a reader does not see but that split a token: zero-width spaces and joiners, soft hyphens,
/// direction marks, variation selectors, the byte-order mark.
fn invisible(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x206F | 0xFE00..=0xFE0F | 0xFEFF)
}

/// Full-width ASCII and the ideographic and other full stops IDNA maps to `.` (UTS #46), so that the tokeniser
/// sees `１９２．１６８` and `www。naver。com` as the host they are.
fn map_char(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        0x3002 | 0xFF61 | 0xFE52 | 0x2024 => '.',
        _ => c,
    }
}

fn prepare(chars: &[PChar]) -> Vec<PChar> {
    chars
        .iter()
        .filter(|p| !invisible(p.c))
        .map(|p| PChar {
            c: map_char(p.c),
            ..*p
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Re-fanging defanged notation.

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x3040..=0x30FF | 0x3130..=0x318F | 0x31F0..=0x31FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7FF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F
        | 0x20000..=0x2FFFF)
}

fn label_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Guard {
    /// Always replaced: the notation exists only to defang.
    Always,
    /// Replaced between two host-label characters (`www\.naver`, `www[dot]naver`).
    BetweenLabels,
    /// Replaced between two ASCII letters or digits (`192점168`, `www点naver`), so Korean prose with 점 ("point")
    /// is left alone.
    BetweenAscii,
    /// `hxxp` before `:` or a bracket.
    Scheme,
}

/// Notations that stand for `.`, `:`, `/`, `@` or a scheme. Matched case-insensitively; longer first.
const DEFANG: &[(&str, &str, Guard)] = &[
    ("[://]", "://", Guard::Always),
    ("[:]//", "://", Guard::Always),
    ("hxxps", "https", Guard::Scheme),
    ("hxxp", "http", Guard::Scheme),
    ("[dot]", ".", Guard::Always),
    ("(dot)", ".", Guard::Always),
    ("{dot}", ".", Guard::Always),
    ("<dot>", ".", Guard::Always),
    ("[ dot ]", ".", Guard::Always),
    ("( dot )", ".", Guard::Always),
    ("[점]", ".", Guard::Always),
    ("(점)", ".", Guard::Always),
    ("[.]", ".", Guard::Always),
    ("(.)", ".", Guard::BetweenLabels),
    ("{.}", ".", Guard::Always),
    ("<.>", ".", Guard::Always),
    ("[ . ]", ".", Guard::Always),
    ("[:]", ":", Guard::Always),
    ("(:)", ":", Guard::Always),
    ("[/]", "/", Guard::Always),
    ("[@]", "@", Guard::Always),
    ("(@)", "@", Guard::Always),
    ("[at]", "@", Guard::Always),
    ("\\.", ".", Guard::BetweenLabels),
    ("점", ".", Guard::BetweenAscii),
    ("点", ".", Guard::BetweenAscii),
    ("點", ".", Guard::BetweenAscii),
];

/// Spelled-out separators written with spaces around them: `www dot naver dot com`, `www [.] naver`,
/// `192 점 168`. Replaced only between two label-like words.
const SPACED: &[&str] = &["dot", "[dot]", "(dot)", "[.]", "(.)", "점", "点"];

fn matches_at(chars: &[PChar], i: usize, pat: &str) -> Option<usize> {
    let mut n = 0;
    for p in pat.chars() {
        if lower(chars.get(i + n)?.c) != p {
            return None;
        }
        n += 1;
    }
    Some(n)
}

/// The first character of a case fold, with ASCII (nearly every character scanned) answered without the Unicode
/// tables: every request's text goes through [`defang`] twice, and the general lowercase was most of its cost.
fn lower(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// Whether a defanged notation can start at `c`: the first characters of every [`DEFANG`] pattern. Most
/// characters of a request start none, and are passed over without trying the table.
fn may_start_defang(c: char) -> bool {
    matches!(
        lower(c),
        '[' | '(' | '{' | '<' | 'h' | '\\' | '점' | '点' | '點'
    )
}

fn defang(chars: &[PChar]) -> Vec<PChar> {
    let mut out: Vec<PChar> = Vec::with_capacity(chars.len());
    let mut i = 0;
    'outer: while i < chars.len() {
        let prev = out.last().map(|p| p.c);
        // Spaced forms: " dot ", " [.] ", " 점 ".
        if chars[i].c == ' ' && prev.is_some_and(|c| c.is_ascii_alphanumeric() || is_cjk(c)) {
            let mut j = i;
            while chars.get(j).is_some_and(|p| p.c == ' ') {
                j += 1;
            }
            for pat in SPACED {
                if let Some(n) = matches_at(chars, j, pat) {
                    let mut k = j + n;
                    if chars.get(k).is_none_or(|p| p.c != ' ') {
                        continue;
                    }
                    while chars.get(k).is_some_and(|p| p.c == ' ') {
                        k += 1;
                    }
                    let next_ok = chars.get(k).is_some_and(|p| p.c.is_ascii_alphanumeric());
                    let prev_ok = prev.is_some_and(|c| c.is_ascii_alphanumeric());
                    if next_ok && prev_ok {
                        out.push(PChar {
                            c: '.',
                            start: chars[i].start,
                            end: chars[k - 1].end,
                        });
                        i = k;
                        continue 'outer;
                    }
                }
            }
        }
        let candidates = if may_start_defang(chars[i].c) {
            DEFANG
        } else {
            &[]
        };
        for (pat, rep, guard) in candidates {
            let Some(n) = matches_at(chars, i, pat) else {
                continue;
            };
            let next = chars.get(i + n).map(|p| p.c);
            let ok = match guard {
                Guard::Always => true,
                Guard::BetweenLabels => {
                    prev.is_some_and(label_char) && next.is_some_and(label_char)
                }
                Guard::BetweenAscii => {
                    prev.is_some_and(|c| c.is_ascii_alphanumeric())
                        && next.is_some_and(|c| c.is_ascii_alphanumeric())
                }
                Guard::Scheme => {
                    !prev.is_some_and(|c| c.is_alphanumeric())
                        && next.is_some_and(|c| matches!(c, ':' | '[' | '('))
                }
            };
            if ok {
                let (start, end) = (chars[i].start, chars[i + n - 1].end);
                out.extend(rep.chars().map(|c| PChar { c, start, end }));
                i += n;
                continue 'outer;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

// ---------------------------------------------------------------------------------------------------------------
// Tokens.

struct Token {
    text: String,
    start: usize,
    end: usize,
}

/// Characters that can be part of a host, an address or a URL. Brackets stay (IPv6 literals, `[.]` already
/// re-fanged), backslashes stay (WHATWG reads `http:\\host` as `http://host`).
fn is_token_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_graphic()
            && !matches!(
                c,
                '"' | '\'' | '<' | '>' | '(' | ')' | '{' | '}' | ',' | ';' | '`' | '|' | '^'
            )
    } else {
        c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
    }
}

/// Korean, Chinese and Japanese glue particles and words to a host ("example.com에서", "测试www.naver.com"): a
/// change between those scripts and ASCII letters, digits or most punctuation ends a token. Dots, slashes, `@`
/// and hyphens do not, so IDN hosts (`네이버.한국`) and URL paths in those scripts stay whole.
fn splits(a: char, b: char) -> bool {
    let joiner = |c: char| matches!(c, '.' | '/' | '@' | '-');
    (is_cjk(a) && b.is_ascii() && !joiner(b)) || (a.is_ascii() && !joiner(a) && is_cjk(b))
}

fn tokenize(chars: &[PChar]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut cur = Token {
        text: String::new(),
        start: 0,
        end: 0,
    };
    let mut last: Option<char> = None;
    for p in chars {
        let keep = is_token_char(p.c);
        let split = keep && last.is_some_and(|l| splits(l, p.c));
        if (!keep || split) && !cur.text.is_empty() {
            out.push(std::mem::replace(
                &mut cur,
                Token {
                    text: String::new(),
                    start: 0,
                    end: 0,
                },
            ));
        }
        if keep {
            if cur.text.is_empty() {
                cur.start = p.start;
            }
            cur.text.push(p.c);
            cur.end = p.end.max(cur.end);
            last = Some(p.c);
        } else {
            last = None;
        }
    }
    if !cur.text.is_empty() {
        out.push(cur);
    }
    out
}

// ---------------------------------------------------------------------------------------------------------------
// Context for bare numbers.

#[derive(Clone, Copy)]
struct Ctx {
    /// A word that introduces a host (`server`, `against`, `nmap`, `서버`) stands next to the token.
    network_word: bool,
}

const NETWORK_WORDS: &[&str] = &[
    "ip",
    "ipv4",
    "ipv6",
    "host",
    "hostname",
    "server",
    "target",
    "targets",
    "victim",
    "box",
    "machine",
    "node",
    "endpoint",
    "site",
    "website",
    "domain",
    "url",
    "uri",
    "against",
    "targeting",
    "scan",
    "ping",
    "nmap",
    "masscan",
    "curl",
    "wget",
    "connect",
    "ssh",
    "telnet",
    "nc",
    "ncat",
    "netcat",
    "rdp",
    "smb",
    "ftp",
    "http",
    "https",
    "attack",
    "hack",
    "pwn",
    "breach",
    "compromise",
];
/// Prefixes, because Korean and Japanese glue particles to them (서버를, 대상은, サーバーに).
const NETWORK_STEMS: &[&str] = &[
    "서버",
    "호스트",
    "아이피",
    "대상",
    "타겟",
    "도메인",
    "사이트",
    "공격",
    "스캔",
    "접속",
    "해킹",
    "침투",
    "サーバ",
    "ホスト",
    "対象",
    "攻撃",
    "服务器",
    "主机",
    "目标",
    "攻击",
    "扫描",
];
const FILLERS: &[&str] = &[
    "the", "a", "an", "at", "on", "to", "of", "in", "is", "with", "address", "addr", "its", "this",
    "that", "ip:", "host:", "의", "에", "을", "를", "은", "는", "이", "가",
];

fn is_network_word(t: &str) -> bool {
    let w = t
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    NETWORK_WORDS.contains(&w.as_str()) || NETWORK_STEMS.iter().any(|s| w.starts_with(s))
}

/// Verbs whose direct object is a system (`exploit 0xC0A83865`); only the word right before counts, because "jump
/// to 0x41414141 to exploit it" names a memory address.
const OBJECT_VERBS: &[&str] = &[
    "exploit",
    "exploiting",
    "pentest",
    "pentesting",
    "penetrate",
    "infiltrate",
    "root",
    "own",
];

fn near_network_word(tokens: &[Token], i: usize) -> bool {
    let filler = |t: &Token| FILLERS.contains(&t.text.to_lowercase().as_str());
    let mut prev = tokens[..i].iter().rev().filter(|t| !filler(t));
    if prev.clone().next().is_some_and(|t| {
        OBJECT_VERBS.contains(
            &t.text
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
                .as_str(),
        )
    }) {
        return true;
    }
    let before = prev.by_ref().take(2).any(|t| is_network_word(&t.text));
    let after = tokens
        .get(i + 1..)
        .unwrap_or_default()
        .iter()
        .filter(|t| !filler(t))
        .take(1)
        .any(|t| is_network_word(&t.text));
    before || after
}

// ---------------------------------------------------------------------------------------------------------------
// Classifying one token.

/// Punctuation that ends a sentence or wraps a word in prose or Markdown, never the last character of a host.
fn trim_token(raw: &str) -> &str {
    let mut t = raw.trim_matches(['*', '_', '~', '!', '?', '"']);
    loop {
        let before = t.len();
        t = t.trim_end_matches(['.', ',', '!', '?', '*', '_', '~']);
        if t.ends_with(']') && t.matches('[').count() < t.matches(']').count() {
            t = &t[..t.len() - 1];
        }
        if t.starts_with('[') && t.matches('[').count() > t.matches(']').count() {
            t = &t[1..];
        }
        if t.len() == before {
            return t;
        }
    }
}

/// Standard textual IP forms and CIDR ranges, including IPv6 with a zone (`fe80::1%eth0`) and in brackets.
fn ip_literal(tok: &str) -> Option<Target> {
    if tok == "::" {
        return None;
    }
    let t = tok
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .unwrap_or(tok);
    let t = match t.split_once('%') {
        Some((a, _)) if a.contains(':') => a,
        _ => t,
    };
    if t.contains('/') {
        return t
            .parse::<IpNet>()
            .ok()
            .map(|n| Target::Cidr(host::canonical_net(n.trunc())));
    }
    t.parse::<IpAddr>()
        .ok()
        .map(|ip| Target::Ip(host::canonical_ip(ip)))
}

/// `C:\path` and `D:/path`: Windows paths, not URLs.
fn is_drive_path(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/')
}

/// A URL scheme (`https`, `ssh`, `hxxp` already re-fanged) and the rest.
fn split_scheme(t: &str) -> Option<(String, &str)> {
    let (scheme, rest) = t.split_once(':')?;
    let ok = scheme.len() >= 2
        && scheme.len() <= 32
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-".contains(&b));
    ok.then(|| (scheme.to_ascii_lowercase(), rest))
}

const SPECIAL_SCHEMES: &[&str] = &["http", "https", "ws", "wss", "ftp"];

/// Remove an IPv6 zone (`%25eth0`, `%eth0`) inside brackets: WHATWG refuses zones, clients accept them and connect
/// to the address.
fn strip_zone(u: &str) -> String {
    if let (Some(open), Some(close)) = (u.find('['), u.find(']'))
        && open < close
        && let Some(pct) = u[open..close].find('%')
    {
        return format!("{}{}", &u[..open + pct], &u[close..]);
    }
    u.to_string()
}

/// The parts of a URL string as WHATWG splits a special URL's authority: up to the first `/`, `\`, `?` or `#`,
/// user information up to the last `@`.
struct Authority<'a> {
    userinfo: Option<&'a str>,
    host: &'a str,
    port: bool,
    rest: &'a str,
}

fn authority(after_scheme: &str) -> Authority<'_> {
    let a = after_scheme.trim_start_matches(['/', '\\']);
    let end = a.find(['/', '\\', '?', '#']).unwrap_or(a.len());
    let (auth, rest) = a.split_at(end);
    let (userinfo, hostport) = match auth.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, auth),
    };
    let host_end = if hostport.starts_with('[') {
        hostport.find(']').map_or(hostport.len(), |i| i + 1)
    } else {
        hostport.find(':').unwrap_or(hostport.len())
    };
    Authority {
        userinfo,
        host: &hostport[..host_end],
        port: hostport.len() > host_end,
        rest,
    }
}

/// The host text as the host parser sees it before reading numbers: percent-decoded, compatibility-folded (full-
/// width and mathematical digits), lower-case, without one trailing dot.
fn host_text(raw: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
    let folded: String = decoded.nfkc().collect::<String>().to_lowercase();
    folded.strip_suffix('.').unwrap_or(&folded).to_string()
}

/// Whether a host text parses to an address, or to a domain under a suffix the Public Suffix List knows.
fn resolves_to_known(text: &str) -> bool {
    match Host::parse(text) {
        Ok(Host::Domain(d)) => host::suffix_info(d.strip_suffix('.').unwrap_or(&d)).1,
        Ok(_) => true,
        Err(_) => false,
    }
}

fn classify(raw: &str, ctx: Ctx, depth: u8, out: &mut Vec<Target>) {
    let tok = trim_token(raw);
    if tok.is_empty() || tok.len() > MAX_TOKEN {
        return;
    }
    // A fragment or query does not change the host a client resolves: `169082880#top` is 10.20.0.0.
    let head = tok.split(['#', '?']).next().unwrap_or(tok);
    let numeric = (!head.is_empty() && head.bytes().all(|b| b.is_ascii_digit()))
        || head.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("0x"));
    if !numeric && !tok.contains(['.', ':', '@', '/', '\\']) {
        return;
    }
    if let Some(t) = ip_literal(tok) {
        out.push(t);
        return;
    }
    let tok = tok.trim_end_matches(':');
    if tok.is_empty() || is_drive_path(tok) {
        return;
    }
    // An absolute path (`/login.php?id=1`, `/@host`): its first segment is a directory, not a host; hosts
    // written inside it are still found.
    if tok.starts_with('/') && !tok.starts_with("//") {
        if depth < MAX_DEPTH {
            extract_str(&path_words(tok), depth + 1, out);
        }
        return;
    }
    // Build the URL a client would be given.
    let (url_text, written_as_url) = match split_scheme(tok) {
        // Every scheme's authority is read as a special scheme's: an `ssh://` or `smb://` client resolves
        // `0xC0A83865` as an address too, though WHATWG leaves non-special hosts opaque.
        Some((scheme, rest))
            if rest.starts_with(['/', '\\']) || SPECIAL_SCHEMES.contains(&scheme.as_str()) =>
        {
            (format!("http:{rest}"), true)
        }
        // `mailto:admin@host`, `user:pass@host`, `localhost:8080`: the whole token is an authority.
        Some(_) => (format!("http://{tok}"), false),
        None if tok.starts_with("//") || tok.starts_with("\\\\") => (format!("http:{tok}"), true),
        None => (
            format!("http://{}", tok.trim_start_matches(['.', ':'])),
            false,
        ),
    };
    let url_text = strip_zone(&url_text);
    let Some(after) = url_text.strip_prefix("http:") else {
        return;
    };
    let auth = authority(after);
    let ht = host_text(auth.host);
    if ht.is_empty() || host::is_placeholder(auth.host) {
        return;
    }
    // `user@` puts a number in host position (`root@3232249957`), but a name after a bare `@` is read by the
    // prose rules: `@app.route` is a decorator, `@alice` a mention, `admin@naver.com` still a host.
    let strong = written_as_url || auth.userinfo.is_some();
    let pos = if written_as_url {
        Position::Url
    } else if !auth.rest.is_empty() {
        Position::BeforePath
    } else {
        Position::Bare
    };
    // A particle glued to an IDN host ("네이버.한국에서"): drop trailing Korean, Chinese or Japanese characters
    // until the host is an address or ends in a known public suffix.
    if auth.rest.is_empty()
        && !auth.port
        && ht.chars().last().is_some_and(is_cjk)
        && !resolves_to_known(&ht)
    {
        let run = tok.chars().rev().take_while(|c| is_cjk(*c)).count();
        for k in 1..=run.min(6) {
            let cut = tok.char_indices().rev().nth(k - 1).map_or(0, |(i, _)| i);
            let cand = tok[..cut].trim_end_matches('.');
            if !cand.is_empty() && resolves_to_known(&host_text(authority(cand).host)) {
                classify(cand, ctx, depth, out);
                return;
            }
        }
    }
    let parsed = Url::parse(&url_text);
    match parsed.as_ref().ok().and_then(|u| u.host()) {
        Some(Host::Ipv4(v4)) => {
            if numeric_host_counts(&ht, strong, ctx) {
                push_v4(out, v4, &ht);
            }
        }
        Some(Host::Ipv6(v6)) => out.push(Target::Ip(host::canonical_ip(IpAddr::V6(v6)))),
        Some(Host::Domain(d)) => {
            let d = d.strip_suffix('.').unwrap_or(d);
            if !d.is_empty() && host::names_a_host(d, pos) {
                match parsed.as_ref().ok().and_then(|u| repository(d, u)) {
                    Some(repo) if REPO_HOSTS.contains(&d) => out.push(repo),
                    _ => out.push(Target::Host(d.to_string())),
                }
            }
        }
        None => {
            // The parser refused it. A dotted-decimal address with a leading zero that is not valid octal
            // (`08.1.1.1`) still reads as an address to a person; a URL whose host does not parse, or a dotted
            // name under a real top-level domain, plausibly names a host: fail closed.
            if let Some(d) = host::decimal_reading(&ht) {
                out.push(Target::Ip(IpAddr::V4(d)));
            } else if written_as_url || plausible_domain(&ht) {
                out.push(Target::Unparsed(tok.to_string()));
            }
        }
    }
    // Hosts written inside the URL (`/@host`, `?next=http://host`, `user@` tricks) are targets too: a model may
    // read any of them as the one meant.
    if depth < MAX_DEPTH && (auth.userinfo.is_some() || !auth.rest.is_empty()) {
        let mut nested = String::new();
        if let Some(u) = auth.userinfo {
            nested.push_str(u);
            nested.push(' ');
        }
        nested.push_str(auth.rest);
        extract_str(&path_words(&nested), depth + 1, out);
    }
}

/// The words of a URL's user information, path, query and fragment, percent-decoded: separators become spaces,
/// and so do slashes, except inside a nested URL (`?next=http://host/`).
fn path_words(s: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(s).decode_utf8_lossy();
    decoded
        .split(['?', '&', '=', '#', ' '])
        .map(|w| {
            if w.contains("://") || w.contains(":\\\\") {
                w.to_string()
            } else {
                w.replace(['/', '\\'], " ")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A host text that failed to parse but reads as a domain under a real top-level domain.
fn plausible_domain(ht: &str) -> bool {
    let Some((_, tld)) = ht.rsplit_once('.') else {
        return false;
    };
    !tld.is_empty() && tld.bytes().all(|b| b.is_ascii_lowercase()) && host::suffix_info(tld).1
}

/// When a host the WHATWG parser reads as IPv4 is one. In a URL (or with a port) always; bare, a dotted quad, or
/// anything written with `0x` parts, is; a bare single number only next to a word that introduces a host
/// (`against 0xC0A83865`, `3232249957 서버`), because bare numbers are mostly numbers (`0x41414141` in an exploit,
/// a timestamp); bare `1.2.3` or `10.0.19041.1234` are versions and build numbers.
fn numeric_host_counts(ht: &str, strong: bool, ctx: Ctx) -> bool {
    if strong {
        return true;
    }
    let parts: Vec<&str> = ht.split('.').collect();
    let hexish = parts.iter().any(|p| p.starts_with("0x"));
    match parts.len() {
        1 => {
            let value = parse_number(parts[0]);
            ctx.network_word && value.is_some_and(|v| v >= 1 << 24)
        }
        4 => true,
        _ => hexish,
    }
}

fn parse_number(p: &str) -> Option<u64> {
    if let Some(h) = p.strip_prefix("0x") {
        u64::from_str_radix(h, 16).ok()
    } else if p.len() > 1 && p.starts_with('0') {
        u64::from_str_radix(&p[1..], 8).ok()
    } else {
        p.parse().ok()
    }
}

fn push_v4(out: &mut Vec<Target>, v4: Ipv4Addr, ht: &str) {
    out.push(Target::Ip(IpAddr::V4(v4)));
    if let Some(d) = host::decimal_reading(ht)
        && d != v4
    {
        out.push(Target::Ip(IpAddr::V4(d)));
    }
}

fn repository(host: &str, u: &Url) -> Option<Target> {
    let mut segs = u.path_segments()?.filter(|s| !s.is_empty());
    let owner = segs.next()?.to_ascii_lowercase();
    let name = segs.next()?.to_ascii_lowercase();
    let name = name.trim_end_matches(".git");
    (valid_repo_part(&owner) && valid_repo_part(name)).then(|| Target::Repository {
        host: host.to_string(),
        owner,
        name: name.to_string(),
    })
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    /// The pre-check in `defang` must admit every pattern's first character, in either case, or a notation would
    /// silently stop being re-fanged.
    #[test]
    fn every_defang_pattern_can_start() {
        for (pat, _, _) in DEFANG {
            let Some(first) = pat.chars().next() else {
                panic!("empty defang pattern");
            };
            assert!(may_start_defang(first), "{pat}");
            for upper in first.to_uppercase() {
                assert!(may_start_defang(upper), "{pat} upper-cased");
            }
        }
    }
}
