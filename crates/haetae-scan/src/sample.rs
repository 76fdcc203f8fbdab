//! `haetae triage sample`: YARA rules over a file sample or a directory of samples, with findings in the same
//! formats as `haetae triage log` (`triage.json`, SARIF 2.1.0).
//!
//! Rules are compiled together by yara-x (all files in its default namespace, so a rule may use another file's
//! rule, and two rules of one name are a compile error rather than a silent shadowing). yara-x is behind the
//! crate's opt-in `yara` feature (it pulls in wasmtime and cranelift); without it the command exists and refuses
//! with an error naming the feature. The walk, the size cap and the severity mapping below do not need the engine.
//!
//! A finding is one (sample file, rule) match; its id is `HT-` and 12 hex digits of SHA-256 over the sample's
//! SHA-256, the rule's namespace and its identifier. It names the content, not the path: re-running the triage
//! gives the same ids, and so does the same sample found under another name or on another host.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::triage::{SkipReason, SkippedSample};
use crate::{Result, ScanError};

/// String matches recorded per (sample, rule); the total is always counted. A rule on a short pattern can match
/// millions of times in a large file, and the report is read by people.
pub const MAX_RECORDED_MATCHES: usize = 16;

/// The per-file size cap when none is given (64 MiB).
pub const DEFAULT_MAX_SIZE: u64 = 64 * 1024 * 1024;

/// The per-file scan timeout when none is given, in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 60;

/// The level of a rule with no usable `severity` / `level` metadata: a YARA hit on a sample is worth a look, so
/// SARIF's default level (`warning`) rather than `note`.
pub const DEFAULT_LEVEL: &str = "medium";

/// The error of a build without the `yara` feature.
pub fn no_engine_error() -> ScanError {
    ScanError::Config(
        "`haetae triage sample` needs the YARA engine (yara-x), which this build leaves out: rebuild with the \
         `yara` feature, e.g. `cargo build --release -p haetae --features yara` (yara-x adds about 14 minutes to \
         a clean build)"
            .into(),
    )
}

/// Limits of one sample triage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleOptions {
    /// Files larger than this many bytes are skipped (and listed as skipped).
    pub max_size: u64,
    /// Per-file scan timeout, in seconds.
    pub timeout_secs: u64,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            max_size: DEFAULT_MAX_SIZE,
            timeout_secs: DEFAULT_TIMEOUT_SECS,
        }
    }
}

/// A size as bytes, or with a binary suffix: `4096`, `512K`, `64M`, `64MiB`, `1G` (K/M/G are 1024-based).
pub fn parse_size(text: &str) -> std::result::Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, suffix) = t.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("'{text}' is not a size (e.g. 1048576, 512K, 64M, 1G)"))?;
    let shift = match suffix.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kib" => 10,
        "m" | "mib" => 20,
        "g" | "gib" => 30,
        _ => {
            return Err(format!(
                "'{text}': unknown size suffix (use K, M or G, 1024-based)"
            ));
        }
    };
    n.checked_mul(1u64 << shift)
        .ok_or_else(|| format!("'{text}' is too large"))
}

/// The files under `root` to scan, in sorted order, and the entries passed over. `root` itself may be a file or a
/// directory (a symbolic link given as `root` is followed: the analyst named it); inside a directory, symbolic
/// links are not followed and FIFOs, sockets and devices are not read.
pub fn walk(root: &Path) -> Result<(Vec<PathBuf>, Vec<SkippedSample>)> {
    let meta = std::fs::metadata(root)
        .map_err(|e| ScanError::io(format!("reading {}", root.display()), e))?;
    let (mut files, mut skipped) = (Vec::new(), Vec::new());
    if meta.is_file() {
        files.push(root.to_owned());
    } else if meta.is_dir() {
        let entries = sorted_entries(root)
            .map_err(|e| ScanError::io(format!("reading {}", root.display()), e))?;
        walk_entries(entries, &mut files, &mut skipped);
    } else {
        return Err(ScanError::Config(format!(
            "{} is neither a regular file nor a directory",
            root.display()
        )));
    }
    Ok((files, skipped))
}

fn sorted_entries(
    dir: &Path,
) -> std::io::Result<Vec<(PathBuf, std::io::Result<std::fs::FileType>)>> {
    let mut entries = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| (e.path(), e.file_type())))
        .collect::<std::io::Result<Vec<_>>>()?;
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

fn walk_entries(
    entries: Vec<(PathBuf, std::io::Result<std::fs::FileType>)>,
    files: &mut Vec<PathBuf>,
    skipped: &mut Vec<SkippedSample>,
) {
    let skip = |path: &Path, reason, detail: String| SkippedSample {
        path: path.display().to_string(),
        reason,
        detail,
    };
    for (path, kind) in entries {
        // `DirEntry::file_type` does not follow symbolic links.
        match kind {
            Err(e) => skipped.push(skip(&path, SkipReason::Unreadable, e.to_string())),
            Ok(t) if t.is_symlink() => skipped.push(skip(
                &path,
                SkipReason::Symlink,
                "symbolic link, not followed".into(),
            )),
            Ok(t) if t.is_dir() => match sorted_entries(&path) {
                Ok(inner) => walk_entries(inner, files, skipped),
                Err(e) => skipped.push(skip(&path, SkipReason::Unreadable, e.to_string())),
            },
            Ok(t) if t.is_file() => files.push(path),
            Ok(_) => skipped.push(skip(
                &path,
                SkipReason::NotRegular,
                "not a regular file (FIFO, socket or device)".into(),
            )),
        }
    }
}

/// The file's bytes, or `None` (with its size) when it is larger than `max_size`. The read itself is capped too:
/// a file that grows after the size check still cannot take more than the cap.
pub fn read_capped(
    path: &Path,
    max_size: u64,
) -> std::io::Result<std::result::Result<Vec<u8>, u64>> {
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > max_size {
        return Ok(Err(len));
    }
    let mut data = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(max_size.saturating_add(1))
        .read_to_end(&mut data)?;
    if data.len() as u64 > max_size {
        return Ok(Err(data.len() as u64));
    }
    Ok(Ok(data))
}

/// SHA-256 of `data`, lowercase hex.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The finding id of a (sample, rule) match.
pub fn finding_id(sample_sha256: &str, namespace: &str, rule: &str) -> String {
    let mut h = Sha256::new();
    h.update(sample_sha256.as_bytes());
    h.update([0]);
    h.update(namespace.as_bytes());
    h.update([0]);
    h.update(rule.as_bytes());
    format!("HT-{}", &hex::encode(h.finalize())[..12])
}

/// The level (Sigma's scale: `informational`, `low`, `medium`, `high`, `critical`) from a rule's `severity` or
/// `level` metadata, whichever comes first. Words are mapped case-insensitively (also `info`, and SARIF's `error`,
/// `warning`, `note`); numbers as 0-10 (the common convention), or 0-100 (scores) above 10. `None` when neither
/// key is there or the value is not understood (the raw metadata stays in the finding).
pub fn level_from_metadata(metadata: &[(String, Value)]) -> Option<String> {
    let (_, value) = metadata.iter().find(|(k, _)| {
        let k = k.to_ascii_lowercase();
        k == "severity" || k == "level"
    })?;
    let level = match value {
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "critical" | "crit" => "critical",
            "high" | "error" => "high",
            "medium" | "moderate" | "warning" | "warn" => "medium",
            "low" | "note" => "low",
            "informational" | "info" | "none" => "informational",
            _ => return None,
        },
        Value::Number(n) => {
            let n = n.as_f64()?;
            let n = if n > 10.0 { n / 10.0 } else { n };
            if n >= 9.0 {
                "critical"
            } else if n >= 7.0 {
                "high"
            } else if n >= 4.0 {
                "medium"
            } else if n > 0.0 {
                "low"
            } else {
                "informational"
            }
        }
        _ => return None,
    };
    Some(level.to_owned())
}

/// Triage of the sample file or directory `path` with the YARA rules under `rules` (`.yar`/`.yara` files, or
/// directories of them).
#[cfg(not(feature = "yara"))]
pub fn run_sample(
    _path: &Path,
    _rules: &[PathBuf],
    _opts: SampleOptions,
) -> Result<crate::triage::TriageReport> {
    Err(no_engine_error())
}

#[cfg(feature = "yara")]
pub use engine::{compile_rules, run_sample};

#[cfg(feature = "yara")]
mod engine {
    use std::path::{Path, PathBuf};
    use std::time::Duration;

    use serde_json::{Value, json};

    use super::{
        DEFAULT_LEVEL, MAX_RECORDED_MATCHES, SampleOptions, finding_id, level_from_metadata,
        read_capped, sha256_hex, walk,
    };
    use crate::pipeline::TriageState;
    use crate::triage::{
        SampleMatch, SampleSummary, SkipReason, SkippedSample, StringMatch, TriageFinding,
        TriageReport, rule_files,
    };
    use crate::{Result, ScanError};

    /// `path:line:column: title: label` of a compile error, from the first label (yara-x locates every error).
    fn describe(err: &yara_x::errors::CompileError, fallback: &Path) -> String {
        let place = err.labels().next().map(|label| {
            // `Label` keeps its line and column private but serializes them (1-based).
            let pos = serde_json::to_value(&label).unwrap_or(Value::Null);
            let origin = label
                .origin()
                .map(str::to_owned)
                .unwrap_or_else(|| fallback.display().to_string());
            let text = label.text().to_owned();
            (origin, pos["line"].as_u64(), pos["column"].as_u64(), text)
        });
        match place {
            Some((origin, Some(line), Some(col), text)) => {
                format!("{origin}:{line}:{col}: {} ({text})", err.title())
            }
            Some((origin, _, _, text)) => format!("{origin}: {} ({text})", err.title()),
            None => format!("{}: {}", fallback.display(), err.title()),
        }
    }

    /// Compiles every rule file under `paths` into one rule set. The first error is returned with its file, line
    /// and column: a triage that silently dropped a rule would report clean samples.
    pub fn compile_rules(paths: &[PathBuf]) -> Result<(yara_x::Rules, Vec<String>, usize)> {
        let files = rule_files(paths, &["yar", "yara"])?;
        if files.is_empty() {
            return Err(ScanError::Config(
                "no YARA rules (.yar/.yara) in the given paths".into(),
            ));
        }
        let mut compiler = yara_x::Compiler::new();
        for f in &files {
            let bytes = std::fs::read(f)
                .map_err(|e| ScanError::io(format!("reading {}", f.display()), e))?;
            let src =
                yara_x::SourceCode::from(bytes.as_slice()).with_origin(f.display().to_string());
            compiler.add_source(src).map_err(|e| {
                ScanError::Config(format!("YARA rule does not compile: {}", describe(&e, f)))
            })?;
        }
        // Warnings (slow patterns, ambiguous expressions) do not stop the triage; the analyst sees them in the log.
        for w in compiler.warnings() {
            let at = w
                .labels()
                .next()
                .and_then(|l| serde_json::to_value(&l).ok())
                .map(|l| {
                    format!(
                        " at {}:{}",
                        l["code_origin"].as_str().unwrap_or("?"),
                        l["line"]
                    )
                })
                .unwrap_or_default();
            tracing::warn!(target: "haetae_scan::sample", "YARA warning {}{at}: {}", w.code(), w.title());
        }
        let rules = compiler.build();
        let n = rules.iter().count();
        if n == 0 {
            return Err(ScanError::Config(
                "the YARA rule files hold no rules".into(),
            ));
        }
        let names = files.iter().map(|f| f.display().to_string()).collect();
        Ok((rules, names, n))
    }

    fn meta_json(v: &yara_x::MetaValue<'_>) -> Value {
        match v {
            yara_x::MetaValue::Integer(i) => json!(i),
            yara_x::MetaValue::Float(f) => json!(f),
            yara_x::MetaValue::Bool(b) => json!(b),
            yara_x::MetaValue::String(s) => json!(s),
            // Not UTF-8: kept readable and lossless enough for an analyst (escapes for the odd bytes).
            yara_x::MetaValue::Bytes(b) => json!(b.escape_ascii().to_string()),
        }
    }

    /// The findings of `scanner`'s rules on one sample's bytes, or why the scan failed.
    fn scan_one(
        scanner: &mut yara_x::Scanner<'_>,
        source: &str,
        data: &[u8],
    ) -> std::result::Result<Vec<TriageFinding>, yara_x::errors::ScanError> {
        let sha256 = sha256_hex(data);
        let results = scanner.scan(data)?;
        let mut findings = Vec::new();
        for rule in results.matching_rules() {
            let (namespace, identifier) = (rule.namespace(), rule.identifier());
            let metadata: Vec<(String, Value)> = rule
                .metadata()
                .map(|(k, v)| (k.to_owned(), meta_json(&v)))
                .collect();
            let (mut strings, mut total, mut matched) = (Vec::new(), 0usize, Vec::new());
            // Public patterns only: a `private` string is one the rule's author kept out of reports.
            for pattern in rule.patterns() {
                let matches = pattern.matches();
                let n = matches.len();
                if n == 0 {
                    continue;
                }
                total += n;
                matched.push((pattern.identifier().to_owned(), json!(n)));
                for m in matches.take(MAX_RECORDED_MATCHES.saturating_sub(strings.len())) {
                    let r = m.range();
                    strings.push(StringMatch {
                        identifier: pattern.identifier().to_owned(),
                        offset: r.start as u64,
                        length: r.len() as u64,
                    });
                }
            }
            strings.sort_by_key(|s| (s.offset, s.length));
            findings.push(TriageFinding {
                id: finding_id(&sha256, namespace, identifier),
                source: source.to_owned(),
                line: 0,
                engine: "yara".into(),
                rule_id: Some(identifier.to_owned()),
                rule_title: identifier.to_owned(),
                level: level_from_metadata(&metadata).unwrap_or_else(|| DEFAULT_LEVEL.to_owned()),
                tags: rule.tags().map(|t| t.identifier().to_owned()).collect(),
                matched,
                triage: TriageState::New,
                namespace: Some(namespace.to_owned()),
                metadata,
                sample: Some(SampleMatch {
                    sha256: sha256.clone(),
                    size: data.len() as u64,
                    strings,
                    strings_total: total,
                }),
            });
        }
        Ok(findings)
    }

    /// Triage of the sample file or directory `path` with the YARA rules under `rules` (`.yar`/`.yara` files, or
    /// directories of them).
    pub fn run_sample(path: &Path, rules: &[PathBuf], opts: SampleOptions) -> Result<TriageReport> {
        let (compiled, rule_files, n_rules) = compile_rules(rules)?;
        let (files, mut skipped) = walk(path)?;
        let mut scanner = yara_x::Scanner::new(&compiled);
        // One pathological rule or sample must not stall the triage of a whole directory.
        scanner.set_timeout(Duration::from_secs(opts.timeout_secs.max(1)));
        let mut findings = Vec::new();
        let (mut scanned, mut bytes) = (0usize, 0u64);
        for file in files {
            let source = file.display().to_string();
            let mut skip = |reason, detail: String| {
                tracing::warn!(target: "haetae_scan::sample", "skipped {source}: {detail}");
                skipped.push(SkippedSample {
                    path: source.clone(),
                    reason,
                    detail,
                });
            };
            let data = match read_capped(&file, opts.max_size) {
                Ok(Ok(data)) => data,
                Ok(Err(size)) => {
                    skip(
                        SkipReason::TooLarge,
                        format!(
                            "{size} bytes, over the {} byte cap (raise it with --max-size)",
                            opts.max_size
                        ),
                    );
                    continue;
                }
                Err(e) => {
                    skip(SkipReason::Unreadable, e.to_string());
                    continue;
                }
            };
            match scan_one(&mut scanner, &source, &data) {
                Ok(found) => {
                    scanned += 1;
                    bytes += data.len() as u64;
                    findings.extend(found);
                }
                Err(yara_x::errors::ScanError::Timeout) => skip(
                    SkipReason::Timeout,
                    format!(
                        "scan timed out after {} s (raise it with --timeout)",
                        opts.timeout_secs.max(1)
                    ),
                ),
                Err(e) => skip(SkipReason::ScanError, e.to_string()),
            }
        }
        Ok(TriageReport {
            source: path.display().to_string(),
            engine: "yara (yara-x 1.22.1)".into(),
            rule_files,
            rules: n_rules,
            events: scanned,
            plain_lines: 0,
            findings,
            samples: Some(SampleSummary {
                scanned,
                bytes_scanned: bytes,
                max_size: opts.max_size,
                timeout_secs: opts.timeout_secs.max(1),
                skipped,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sizes_parse_with_binary_suffixes() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("512K"), Ok(512 * 1024));
        assert_eq!(parse_size("64MiB"), Ok(DEFAULT_MAX_SIZE));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert!(parse_size("64 parsecs").is_err());
        assert!(parse_size("M").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }

    #[test]
    fn severity_metadata_maps_to_levels() {
        let meta =
            |k: &str, v: Value| vec![("author".to_owned(), json!("cert")), (k.to_owned(), v)];
        assert_eq!(
            level_from_metadata(&meta("severity", json!("HIGH"))).as_deref(),
            Some("high")
        );
        assert_eq!(
            level_from_metadata(&meta("level", json!("info"))).as_deref(),
            Some("informational")
        );
        assert_eq!(
            level_from_metadata(&meta("Severity", json!(9))).as_deref(),
            Some("critical")
        );
        assert_eq!(
            level_from_metadata(&meta("severity", json!(75))).as_deref(),
            Some("high")
        );
        assert_eq!(
            level_from_metadata(&meta("severity", json!(2))).as_deref(),
            Some("low")
        );
        assert_eq!(level_from_metadata(&meta("severity", json!("weird"))), None);
        assert_eq!(level_from_metadata(&meta("score", json!(90))), None);
    }

    #[test]
    fn ids_name_the_content_and_the_rule() {
        let a = finding_id(&sha256_hex(b"x"), "default", "r1");
        assert_eq!(a, finding_id(&sha256_hex(b"x"), "default", "r1"));
        assert_ne!(a, finding_id(&sha256_hex(b"y"), "default", "r1"));
        assert_ne!(a, finding_id(&sha256_hex(b"x"), "other", "r1"));
        assert_ne!(a, finding_id(&sha256_hex(b"x"), "default", "r2"));
        assert!(a.starts_with("HT-") && a.len() == 15);
    }

    #[test]
    fn the_walk_is_sorted_skips_links_and_reads_capped() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let write = |rel: &str, bytes: &[u8]| {
            let p = d.join(rel);
            std::fs::create_dir_all(p.parent().unwrap_or(d)).unwrap();
            std::fs::write(p, bytes).unwrap();
        };
        write("b.txt", b"bb");
        write("a/z.bin", b"zzzz");
        write("a/c.txt", b"c");
        #[cfg(unix)]
        std::os::unix::fs::symlink(d.join("b.txt"), d.join("link")).unwrap();
        let (files, skipped) = walk(d).unwrap();
        let rel: Vec<String> = files
            .iter()
            .map(|f| {
                f.strip_prefix(d)
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(rel, ["a/c.txt", "a/z.bin", "b.txt"]);
        #[cfg(unix)]
        assert_eq!(
            skipped.iter().map(|s| s.reason).collect::<Vec<_>>(),
            [SkipReason::Symlink]
        );
        assert_eq!(
            read_capped(&d.join("a/z.bin"), 4).ok(),
            Some(Ok(b"zzzz".to_vec()))
        );
        assert_eq!(read_capped(&d.join("a/z.bin"), 3).ok(), Some(Err(4)));
        assert!(walk(&d.join("missing")).is_err());
    }
}
