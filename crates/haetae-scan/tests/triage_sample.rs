//! `haetae triage sample`: YARA rules over file samples. Every sample and rule is written here, in a temporary
//! directory, by the test: harmless text and bytes carrying a made-up marker (`HAETAE-TEST-MARKER`), never real
//! malware or code that does anything. The engine tests need the `yara` feature
//! (`cargo test -p haetae-scan --features yara`); without it, the command must refuse and name the feature.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod schema;

use std::path::{Path, PathBuf};

use haetae_scan::triage::{TriageCommand, run};

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    p
}

fn sample_cmd(path: PathBuf, yara: Vec<PathBuf>, out: PathBuf) -> TriageCommand {
    TriageCommand::Sample {
        path,
        yara,
        out,
        max_size: 64 << 20,
        timeout: 10,
    }
}

#[cfg(not(feature = "yara"))]
#[test]
fn without_the_feature_the_command_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let sample = write(dir.path(), "s.txt", b"HAETAE-TEST-MARKER\n");
    let rule = write(
        dir.path(),
        "r.yar",
        b"rule r { strings: $m = \"HAETAE-TEST-MARKER\" condition: $m }\n",
    );
    let err = run(sample_cmd(sample, vec![rule], dir.path().join("out")))
        .unwrap_err()
        .to_string();
    assert!(err.contains("`yara` feature"), "{err}");
    assert!(err.contains("--features yara"), "{err}");
    assert!(
        !dir.path().join("out").exists(),
        "nothing is written on refusal"
    );
}

/// The arguments as `haetae triage sample` takes them (the binary mounts `TriageCommand` as `triage`).
#[test]
fn the_sample_arguments_parse_with_defaults_and_sizes() {
    use clap::Parser;
    #[derive(Parser)]
    struct Cli {
        #[command(subcommand)]
        cmd: TriageCommand,
    }
    let parse = |args: &[&str]| Cli::try_parse_from(args).map(|c| c.cmd);
    match parse(&[
        "triage", "sample", "s.bin", "--yara", "a.yar", "--yara", "rules/",
    ])
    .unwrap()
    {
        TriageCommand::Sample {
            path,
            yara,
            out,
            max_size,
            timeout,
        } => {
            assert_eq!(path, PathBuf::from("s.bin"));
            assert_eq!(yara.len(), 2);
            assert_eq!(out, PathBuf::from("haetae-triage-out"));
            assert_eq!(max_size, haetae_scan::sample::DEFAULT_MAX_SIZE);
            assert_eq!(timeout, haetae_scan::sample::DEFAULT_TIMEOUT_SECS);
        }
        other => panic!("{other:?}"),
    }
    match parse(&[
        "triage",
        "sample",
        "d/",
        "--yara",
        "r",
        "--max-size",
        "512K",
        "--timeout",
        "5",
    ])
    .unwrap()
    {
        TriageCommand::Sample {
            max_size, timeout, ..
        } => assert_eq!((max_size, timeout), (512 * 1024, 5)),
        other => panic!("{other:?}"),
    }
    assert!(
        parse(&["triage", "sample", "d/"]).is_err(),
        "--yara is required"
    );
    assert!(
        parse(&[
            "triage",
            "sample",
            "d/",
            "--yara",
            "r",
            "--max-size",
            "5 parsecs"
        ])
        .is_err()
    );
}

/// Sigma findings and reports keep their JSON shape: the YARA fields are absent, not null.
#[test]
fn sigma_output_has_no_yara_fields() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/triage");
    let report =
        haetae_scan::triage::run_log(&fixtures.join("host.log"), &[fixtures.join("rules")])
            .unwrap();
    let v = serde_json::to_value(&report).unwrap();
    assert!(v.get("samples").is_none());
    let f = &v["findings"][0];
    let mut keys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "engine",
            "id",
            "level",
            "line",
            "matched",
            "rule_id",
            "rule_title",
            "source",
            "tags",
            "triage"
        ]
    );
    // And an older triage.json (no YARA fields) still reads.
    let back: haetae_scan::triage::TriageReport = serde_json::from_value(v).unwrap();
    assert_eq!(back.findings, report.findings);
    let sarif = serde_json::to_value(haetae_scan::triage::sarif(&report)).unwrap();
    assert!(sarif["runs"][0].get("artifacts").is_none());
    assert!(schema::validate_sarif(&sarif).is_empty());
}

#[cfg(feature = "yara")]
mod engine {
    use super::*;
    use haetae_scan::sample::{SampleOptions, run_sample};
    use haetae_scan::triage::{SkipReason, TriageReport, sarif};
    use serde_json::Value;

    const MARKER_RULES: &str = r#"
rule haetae_test_marker : test marker {
    meta:
        description = "The team's made-up test marker"
        severity = "HIGH"
        author = "haetae tests"
    strings:
        $m = "HAETAE-TEST-MARKER"
        $n = "second-marker" nocase
    condition:
        any of them
}
"#;

    const BYTE_RULES: &str = r#"
rule haetae_test_bytes {
    meta:
        level = 3
    strings:
        $h = { 48 54 00 FF 7F }
    condition:
        $h
}

rule haetae_test_tiny {
    condition:
        filesize < 4
}
"#;

    /// Samples: a marker text, a nested directory with bytes and a repeated marker, a tiny file, a clean file.
    fn corpus(dir: &Path) -> (PathBuf, PathBuf) {
        let samples = dir.join("samples");
        write(
            &samples,
            "a-marker.txt",
            b"hello\nthe HAETAE-TEST-MARKER is here\n",
        );
        write(
            &samples,
            "nested/deeper/blob.bin",
            &[
                0x00, 0x01, 0x48, 0x54, 0x00, 0xFF, 0x7F, 0x02, 0x48, 0x54, 0x00, 0xFF, 0x7F,
            ],
        );
        write(
            &samples,
            "nested/repeats.txt",
            "HAETAE-TEST-MARKER ".repeat(20).as_bytes(),
        );
        write(&samples, "tiny", b"ok");
        write(
            &samples,
            "z-clean.txt",
            b"nothing to see in this harmless file\n",
        );
        let rules = dir.join("rules");
        write(&rules, "marker.yar", MARKER_RULES.as_bytes());
        write(&rules, "sub/bytes.yara", BYTE_RULES.as_bytes());
        write(
            &rules,
            "README.md",
            b"not a rule: ignored by the directory walk",
        );
        (samples, rules)
    }

    fn hits(r: &TriageReport) -> Vec<(String, String, String)> {
        r.findings
            .iter()
            .map(|f| {
                let rel = Path::new(&f.source)
                    .strip_prefix(&r.source)
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|_| f.source.clone());
                (rel, f.rule_title.clone(), f.level.clone())
            })
            .collect()
    }

    #[test]
    fn rules_flag_the_matching_samples_of_a_directory_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let (samples, rules) = corpus(dir.path());
        let report = run_sample(
            &samples,
            std::slice::from_ref(&rules),
            SampleOptions::default(),
        )
        .unwrap();
        assert_eq!(report.rules, 3, "both files, the nested directory too");
        assert_eq!(report.rule_files.len(), 2);
        assert_eq!(report.events, 5);
        let summary = report.samples.as_ref().unwrap();
        assert_eq!(summary.scanned, 5);
        assert!(summary.skipped.is_empty());
        let s = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
        assert_eq!(
            hits(&report),
            vec![
                s("a-marker.txt", "haetae_test_marker", "high"),
                s("nested/deeper/blob.bin", "haetae_test_bytes", "low"),
                s("nested/repeats.txt", "haetae_test_marker", "high"),
                s("tiny", "haetae_test_tiny", "medium"),
            ]
        );

        let marker = &report.findings[0];
        assert_eq!(marker.engine, "yara");
        assert_eq!(marker.namespace.as_deref(), Some("default"));
        assert_eq!(marker.tags, ["test", "marker"]);
        assert_eq!(marker.line, 0);
        assert!(
            marker
                .metadata
                .iter()
                .any(|(k, v)| k == "author" && v == "haetae tests")
        );
        let sample = marker.sample.as_ref().unwrap();
        let text = b"hello\nthe HAETAE-TEST-MARKER is here\n";
        assert_eq!(sample.size, text.len() as u64);
        assert_eq!(sample.sha256, haetae_scan::sample::sha256_hex(text));
        assert_eq!(sample.strings.len(), 1);
        assert_eq!(
            (
                sample.strings[0].identifier.as_str(),
                sample.strings[0].offset,
                sample.strings[0].length
            ),
            ("$m", 10, 18)
        );
        assert_eq!(marker.matched, [("$m".to_owned(), serde_json::json!(1))]);

        let bytes = report.findings[1].sample.as_ref().unwrap();
        let offsets: Vec<u64> = bytes.strings.iter().map(|m| m.offset).collect();
        assert_eq!(offsets, [2, 8]);

        // Twenty matches: sixteen recorded, all counted.
        let repeats = report.findings[2].sample.as_ref().unwrap();
        assert_eq!(
            repeats.strings.len(),
            haetae_scan::sample::MAX_RECORDED_MATCHES
        );
        assert_eq!(repeats.strings_total, 20);

        // A rule on its condition alone records no strings.
        let tiny = report.findings[3].sample.as_ref().unwrap();
        assert!(tiny.strings.is_empty() && tiny.strings_total == 0);

        // The same samples and rules give the same ids; ids differ by sample and by rule.
        let again = run_sample(&samples, &[rules], SampleOptions::default()).unwrap();
        let ids = |r: &TriageReport| r.findings.iter().map(|f| f.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&report), ids(&again));
        let mut unique = ids(&report);
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 4);
        assert!(
            ids(&report)
                .iter()
                .all(|id| id.starts_with("HT-") && id.len() == 15)
        );

        // SARIF: valid against the schema, levels mapped from the metadata, byte regions at the matches.
        let log = serde_json::to_value(sarif(&report)).unwrap();
        let errors = schema::validate_sarif(&log);
        assert!(errors.is_empty(), "{errors:#?}");
        let run = &log["runs"][0];
        let results = run["results"].as_array().unwrap();
        let levels: Vec<&str> = results
            .iter()
            .map(|r| r["level"].as_str().unwrap())
            .collect();
        assert_eq!(levels, ["error", "note", "error", "warning"]);
        let region = &results[1]["locations"][1]["physicalLocation"]["region"];
        assert_eq!(
            (region["byteOffset"].as_u64(), region["byteLength"].as_u64()),
            (Some(8), Some(5))
        );
        assert_eq!(
            results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            report.findings[1].source.as_str()
        );
        assert_eq!(results[2]["locations"].as_array().unwrap().len(), 16);
        assert!(
            results[3]["locations"][0]["physicalLocation"]
                .get("region")
                .is_none()
        );
        assert_eq!(results[0]["properties"]["sha256"], sample.sha256.as_str());
        assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 3);
        assert_eq!(run["artifacts"].as_array().unwrap().len(), 4);
        assert_eq!(
            run["artifacts"][0]["hashes"]["sha-256"],
            sample.sha256.as_str()
        );
    }

    #[test]
    fn a_single_file_with_no_match_is_scanned_and_clean() {
        let dir = tempfile::tempdir().unwrap();
        let (samples, rules) = corpus(dir.path());
        let report = run_sample(
            &samples.join("z-clean.txt"),
            &[rules.join("marker.yar")],
            SampleOptions::default(),
        )
        .unwrap();
        assert_eq!((report.events, report.findings.len()), (1, 0));
        let log = serde_json::to_value(sarif(&report)).unwrap();
        assert!(schema::validate_sarif(&log).is_empty());
    }

    #[test]
    fn a_rule_that_does_not_compile_is_an_error_with_its_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let (samples, rules) = corpus(dir.path());
        let bad = write(
            dir.path(),
            "bad/broken.yar",
            b"rule broken {\n    strings:\n        $a = \"x\"\n    condition:\n        $a and $b\n}\n",
        );
        let err = run_sample(&samples, &[rules, bad], SampleOptions::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("broken.yar:5:"), "{err}");
        let syntax = write(
            dir.path(),
            "bad/syntax.yara",
            b"rule {\n condition: true\n}\n",
        );
        let err = run_sample(&samples, &[syntax], SampleOptions::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("syntax.yara:1:"), "{err}");
        // No rule files at all is an error too, not a clean triage.
        let empty = tempfile::tempdir().unwrap();
        assert!(
            run_sample(
                &samples,
                &[empty.path().to_owned()],
                SampleOptions::default()
            )
            .is_err()
        );
        // Neither is a missing sample path.
        assert!(
            run_sample(
                &dir.path().join("missing"),
                &[dir.path().join("rules")],
                SampleOptions::default()
            )
            .is_err()
        );
    }

    #[test]
    fn an_oversize_file_is_skipped_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        let (samples, rules) = corpus(dir.path());
        let opts = SampleOptions {
            max_size: 64,
            ..SampleOptions::default()
        };
        let report = run_sample(&samples, &[rules], opts).unwrap();
        let summary = report.samples.as_ref().unwrap();
        assert_eq!(summary.scanned, 4);
        assert_eq!(summary.skipped.len(), 1);
        let skipped = &summary.skipped[0];
        assert_eq!(skipped.reason, SkipReason::TooLarge);
        assert!(skipped.path.ends_with("repeats.txt"), "{skipped:?}");
        assert!(skipped.detail.contains("--max-size"), "{skipped:?}");
        assert_eq!(report.findings.len(), 3);
    }

    #[test]
    fn a_scan_past_the_timeout_is_skipped_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        let samples = dir.path().join("samples");
        write(&samples, "a-zeros.bin", &[0u8; 200_000]);
        write(&samples, "marker.txt", b"HAETAE-TEST-MARKER");
        // 4e10 iterations on the zeros (YARA ranges include their end, hence `- 1`): far past a second, nothing
        // more than arithmetic.
        let rules = write(
            dir.path(),
            "slow.yar",
            b"rule haetae_test_slow {\n    condition:\n        for all i in (0..filesize - 1) : (\n            \
              for all j in (0..filesize - 1) : (uint8(i) + uint8(j) < 2)\n        )\n}\n\n\
              rule haetae_test_marker { strings: $m = \"HAETAE-TEST-MARKER\" condition: $m }\n",
        );
        let opts = SampleOptions {
            timeout_secs: 1,
            ..SampleOptions::default()
        };
        let started = std::time::Instant::now();
        let report = run_sample(&samples, &[rules], opts).unwrap();
        assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
        let summary = report.samples.as_ref().unwrap();
        assert_eq!(summary.skipped.len(), 1, "{summary:?}");
        assert_eq!(summary.skipped[0].reason, SkipReason::Timeout);
        assert!(summary.skipped[0].path.ends_with("a-zeros.bin"));
        // The scanner is still usable after a timeout: the next file is scanned.
        assert_eq!(summary.scanned, 1);
        assert_eq!(report.findings.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_in_the_walk_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let (samples, rules) = corpus(dir.path());
        let outside = write(dir.path(), "outside/secret.txt", b"HAETAE-TEST-MARKER");
        std::os::unix::fs::symlink(&outside, samples.join("link.txt")).unwrap();
        let report = run_sample(&samples, &[rules], SampleOptions::default()).unwrap();
        assert_eq!(report.findings.len(), 4);
        let skipped = &report.samples.as_ref().unwrap().skipped;
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].reason, SkipReason::Symlink);
    }

    #[test]
    fn the_command_writes_the_report_and_sarif() {
        let dir = tempfile::tempdir().unwrap();
        let (samples, rules) = corpus(dir.path());
        let out = dir.path().join("out");
        run(sample_cmd(
            samples.join("a-marker.txt"),
            vec![rules],
            out.clone(),
        ))
        .unwrap();
        let report: Value =
            serde_json::from_slice(&std::fs::read(out.join("triage.json")).unwrap()).unwrap();
        let findings = report["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0]["engine"], "yara");
        assert!(findings[0].get("line").is_none());
        assert_eq!(findings[0]["sample"]["strings"][0]["offset"], 10);
        assert_eq!(report["samples"]["scanned"], 1);
        let log: Value =
            serde_json::from_slice(&std::fs::read(out.join("results.sarif")).unwrap()).unwrap();
        assert!(schema::validate_sarif(&log).is_empty());
    }

    /// The headers of an x86-64 Linux executable and nothing else: an ELF64 file header with no program or section
    /// headers (it loads nothing and runs nothing).
    fn elf_header() -> Vec<u8> {
        let mut b = vec![0u8; 64];
        b[..4].copy_from_slice(b"\x7fELF");
        b[4] = 2; // 64-bit
        b[5] = 1; // little-endian
        b[6] = 1; // ELF version 1
        b[16..18].copy_from_slice(&2u16.to_le_bytes()); // ET_EXEC
        b[18..20].copy_from_slice(&0x3Eu16.to_le_bytes()); // EM_X86_64
        b[20..24].copy_from_slice(&1u32.to_le_bytes());
        b[52..54].copy_from_slice(&64u16.to_le_bytes()); // e_ehsize
        b[54..56].copy_from_slice(&56u16.to_le_bytes()); // e_phentsize
        b[58..60].copy_from_slice(&64u16.to_le_bytes()); // e_shentsize
        b
    }

    /// The headers of an x86-64 Windows console program and nothing else: a DOS header pointing at a PE32+ header
    /// with no sections (no code: Windows would refuse to load it).
    fn pe_header() -> Vec<u8> {
        let mut b = vec![0u8; 0x200];
        b[..2].copy_from_slice(b"MZ");
        b[0x3C..0x40].copy_from_slice(&0x40u32.to_le_bytes()); // e_lfanew
        b[0x40..0x44].copy_from_slice(b"PE\0\0");
        let coff = 0x44;
        b[coff..coff + 2].copy_from_slice(&0x8664u16.to_le_bytes()); // IMAGE_FILE_MACHINE_AMD64
        b[coff + 4..coff + 8].copy_from_slice(&1_600_000_000u32.to_le_bytes()); // TimeDateStamp
        b[coff + 16..coff + 18].copy_from_slice(&0xF0u16.to_le_bytes()); // SizeOfOptionalHeader
        b[coff + 18..coff + 20].copy_from_slice(&0x22u16.to_le_bytes()); // executable, large-address aware
        let opt = coff + 20;
        b[opt..opt + 2].copy_from_slice(&0x20Bu16.to_le_bytes()); // PE32+
        b[opt + 16..opt + 20].copy_from_slice(&0x1000u32.to_le_bytes()); // AddressOfEntryPoint
        b[opt + 24..opt + 32].copy_from_slice(&0x1_4000_0000u64.to_le_bytes()); // ImageBase
        b[opt + 32..opt + 36].copy_from_slice(&0x1000u32.to_le_bytes()); // SectionAlignment
        b[opt + 36..opt + 40].copy_from_slice(&0x200u32.to_le_bytes()); // FileAlignment
        b[opt + 40..opt + 42].copy_from_slice(&6u16.to_le_bytes()); // MajorOperatingSystemVersion
        b[opt + 48..opt + 50].copy_from_slice(&6u16.to_le_bytes()); // MajorSubsystemVersion
        b[opt + 56..opt + 60].copy_from_slice(&0x1000u32.to_le_bytes()); // SizeOfImage
        b[opt + 60..opt + 64].copy_from_slice(&0x200u32.to_le_bytes()); // SizeOfHeaders
        b[opt + 68..opt + 70].copy_from_slice(&3u16.to_le_bytes()); // IMAGE_SUBSYSTEM_WINDOWS_CUI
        b[opt + 108..opt + 112].copy_from_slice(&16u32.to_le_bytes()); // NumberOfRvaAndSizes
        b
    }

    /// Rules on the binary-format modules (`pe`, `elf`, `macho`, `dotnet`) compile and read the headers of the
    /// samples: each rule flags its format's sample and nothing else.
    #[test]
    fn rules_on_the_binary_format_modules_read_their_samples() {
        let dir = tempfile::tempdir().unwrap();
        let samples = dir.path().join("samples");
        write(&samples, "program.elf", &elf_header());
        write(&samples, "program.exe", &pe_header());
        write(&samples, "notes.txt", b"MZ and ELF are only letters here\n");
        let rules = write(
            dir.path(),
            "formats.yar",
            br#"
import "pe"
import "elf"
import "macho"
import "dotnet"

rule haetae_test_pe_console_amd64 {
    condition:
        pe.is_pe and pe.is_64bit() and pe.machine == pe.MACHINE_AMD64
        and pe.subsystem == pe.SUBSYSTEM_WINDOWS_CUI and pe.timestamp == 1600000000
        and pe.number_of_sections == 0 and not dotnet.is_dotnet
}

rule haetae_test_elf_amd64_executable {
    condition:
        elf.type == elf.ET_EXEC and elf.machine == elf.EM_X86_64
}

rule haetae_test_macho {
    condition:
        macho.magic == macho.MH_MAGIC_64 or macho.magic == macho.MH_MAGIC
}
"#,
        );
        let report = run_sample(&samples, &[rules], SampleOptions::default()).unwrap();
        assert_eq!(report.rules, 3);
        assert_eq!(report.samples.as_ref().unwrap().scanned, 3);
        let found: Vec<(String, String)> = hits(&report)
            .into_iter()
            .map(|(file, rule, _)| (file, rule))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "program.elf".to_owned(),
                    "haetae_test_elf_amd64_executable".to_owned()
                ),
                (
                    "program.exe".to_owned(),
                    "haetae_test_pe_console_amd64".to_owned()
                ),
            ]
        );
    }
}
