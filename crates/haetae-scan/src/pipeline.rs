//! The pipeline: find → reproduce → patch → verify, with each stage's evidence kept.
//!
//! How a project is built, tested and how a PoV runs comes from `haetae-scan.toml` at the repository root
//! ([`ProjectConfig`]), or from per-language defaults. Every command runs in a fresh copy of the repository in the
//! evaluation sandbox (`haetae_eval::sandbox`: cleared environment, rlimits, no network where the kernel allows,
//! wall-time kill); nothing the model wrote runs outside it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use haetae_eval::sandbox::{ExecResult, Sandbox, SandboxLimits};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::client::{CallRecord, CallRetry, GatewayClient, Reply, extract_json, fenced_blocks};
use crate::toolchain::{JUNIT_CONSOLE, JUNIT4_JARS, Toolchains, no_runner_reason};
use crate::units::{Language, Split, Unit, numbered, split_repository};
use crate::{Result, ScanError};

/// The file at the repository root that says how to build, test and run a PoV.
pub const CONFIG_FILE: &str = "haetae-scan.toml";
/// Where the PoV is written inside the sandbox's copy of the repository.
pub const POV_DIR: &str = ".haetae-pov";
/// What a marker-style PoV prints when it observed the vulnerable behaviour.
pub const POV_MARKER: &str = "HAETAE-POV-TRIGGERED";

/// JavaScript's default PoV command: node, from the repository root, so the PoV reaches the project's modules by
/// paths relative to `.haetae-pov/` (`require('../lib/x')`).
pub const JS_POV: &str = "node .haetae-pov/pov.js";
/// TypeScript's default PoV command: tsc emits the PoV and every project file it imports as JavaScript beside their
/// sources (in the sandbox's copy; `nodenext`: CommonJS or ES modules as the package.json says, as node will read
/// them), then node runs it. Beside the sources, so that what the code finds relative to itself (`__dirname`,
/// `import.meta.url`) is where it is in the project. Type errors do not stop the emit (without the project's type
/// packages there are always some), and only the marker triggers, so a PoV tsc cannot emit fails as a run that
/// printed nothing. The project's tsconfig.json is not read: its settings could send the output elsewhere.
pub const TS_POV: &str = "{ tsc --module nodenext --target es2022 --esModuleInterop --skipLibCheck --pretty false \
    .haetae-pov/pov.ts || true; } && node .haetae-pov/pov.js";
/// JavaScript's default test command (when [`npm_test`] finds one that can run offline). The update check would
/// only wait on the network the sandbox does not have.
pub const NPM_TEST: &str = "NPM_CONFIG_UPDATE_NOTIFIER=false npm test";
/// Java's default build: the project's non-test sources (not under a `test`/`tests` directory, not `*Test.java`,
/// `*Tests.java`, `Test<Name>.java`: tests need JUnit, which [`java_tests`] puts on their class path) compiled into
/// `.haetae-pov/classes`, packages as directories. The JVM flags (here and in [`JAVA_POV`]): a serial collector and
/// the client compiler start fewer threads (the sandbox limits processes, threads included) and start faster for
/// runs this short; no perf-data file in /tmp.
pub const JAVA_BUILD: &str = "mkdir -p .haetae-pov/classes && find . -name '*.java' -not -path './.haetae-pov/*' \
    -not -path '*/test/*' -not -path '*/tests/*' -not -name '*Test.java' -not -name '*Tests.java' \
    -not -name 'Test[A-Z]*.java' | sed 's/.*/\"&\"/' > .haetae-pov/sources.txt \
    && javac -J-XX:+UseSerialGC -J-XX:TieredStopAtLevel=1 -J-XX:-UsePerfData -encoding UTF-8 -nowarn \
    -d .haetae-pov/classes @.haetae-pov/sources.txt";
/// Java's default PoV command: `Pov.java` (the default package) compiled against the project's classes, then run.
pub const JAVA_POV: &str = "javac -J-XX:+UseSerialGC -J-XX:TieredStopAtLevel=1 -J-XX:-UsePerfData -encoding UTF-8 \
    -nowarn -cp .haetae-pov/classes -d .haetae-pov/classes .haetae-pov/Pov.java \
    && java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -cp .haetae-pov/classes Pov";

/// The `find` expression of Java's test sources: the complement of [`JAVA_BUILD`]'s.
const JAVA_TEST_SOURCES: &str = "\\( -path '*/test/*' -o -path '*/tests/*' -o -name '*Test.java' -o -name '*Tests.java' \
    -o -name 'Test[A-Z]*.java' \\)";

/// Java's test command: [`JAVA_BUILD`]'s complement (the test sources) compiled against the project's classes and
/// JUnit into `.haetae-pov/test-classes`, then JUnit's console launcher runs every test it finds there (Jupiter,
/// and JUnit 4's through the Vintage engine where `junit4.jar` is found), with Maven's resource directories on the
/// class path. Offered when the sandbox can read the launcher ([`JUNIT_CONSOLE`]) and the project has test
/// sources; otherwise why not (the patch is then verified without the project's tests, and the note says so). A
/// project whose tests need other libraries than JUnit's fails to compile them here: such a project says its test
/// command in `haetae-scan.toml`.
pub fn java_tests(root: &Path, tools: &Toolchains) -> std::result::Result<String, String> {
    if !any_file(root, &|p: &Path| is_java_test(root, p)) {
        return Err(
            "the project has no test sources (no test/ or tests/ directory, no *Test.java)".into(),
        );
    }
    let console = tools.found.get(JUNIT_CONSOLE).ok_or_else(|| {
        format!("JUnit is not in the sandbox (no {JUNIT_CONSOLE}: Debian's junit5 package)")
    })?;
    let junit4: Vec<&str> = JUNIT4_JARS
        .iter()
        .filter_map(|j| tools.found.get(*j).map(String::as_str))
        .collect();
    let libraries = std::iter::once(console.as_str())
        .chain(junit4.iter().copied())
        .collect::<Vec<_>>()
        .join(":");
    Ok(format!(
        "mkdir -p .haetae-pov/test-classes && find . -name '*.java' -not -path './.haetae-pov/*' \
         {JAVA_TEST_SOURCES} | sed 's/.*/\"&\"/' > .haetae-pov/test-sources.txt \
         && javac -J-XX:+UseSerialGC -J-XX:TieredStopAtLevel=1 -J-XX:-UsePerfData -encoding UTF-8 -nowarn \
         -cp '.haetae-pov/classes:{libraries}' -d .haetae-pov/test-classes @.haetae-pov/test-sources.txt \
         && java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -jar '{console}' --disable-banner \
         --details=tree --disable-ansi-colors --fail-if-no-tests \
         -cp '.haetae-pov/classes:.haetae-pov/test-classes:src/main/resources:src/test/resources:{libraries}' \
         --scan-class-path .haetae-pov/test-classes"
    ))
}

/// Whether `p` (under `root`) is a Java test source: the rule of [`JAVA_TEST_SOURCES`] (and the complement of
/// [`JAVA_BUILD`]'s), read here without running `find`. A test checks the three agree.
fn is_java_test(root: &Path, p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let Some(stem) = name.strip_suffix(".java") else {
        return false;
    };
    let in_test_dir = p
        .strip_prefix(root)
        .unwrap_or(p)
        .components()
        .any(|c| matches!(c.as_os_str().to_str(), Some("test" | "tests")));
    in_test_dir
        || stem.ends_with("Test")
        || stem.ends_with("Tests")
        || stem
            .strip_prefix("Test")
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// Go's default commands, each from the module root. `GOPROXY=off`: the sandbox has no network, and a module that
/// is not in the module cache or `vendor/` then fails with go's own "module lookup disabled" rather than a
/// timeout; `GOTOOLCHAIN=local`: a go.mod asking for a newer go is built with this one (go 1.21 and later would
/// try to download it); `TMPDIR` below the module root, because the sandbox's TMPDIR is its working directory, the
/// module root, and go ignores a go.mod in the system temporary directory. Vendored modules (`vendor/modules.txt`)
/// are used by go itself.
macro_rules! go_command {
    ($command:literal) => {
        concat!(
            "mkdir -p .haetae-pov/tmp && TMPDIR=\"$PWD/.haetae-pov/tmp\" GOPROXY=off GOTOOLCHAIN=local ",
            $command
        )
    };
}
/// Go's default build.
pub const GO_BUILD: &str = go_command!("go build ./...");
/// Go's default test command, where the module has `_test.go` files (see [`go_tests`]).
pub const GO_TEST: &str = go_command!("go test ./...");
/// Go's default PoV: `package main` in one file, run from the module root so that it imports the module's packages
/// by their import path. Named as a file: a directory starting with a dot is never a package of the module, but
/// files named on the command line are built as one.
pub const GO_POV: &str = go_command!("go run ./.haetae-pov/pov.go");
/// Rust's default build (offline: the sandbox has no network; see [`cargo_package`] for the crates it takes).
pub const RUST_BUILD: &str = "cargo build --offline";
/// Rust's default test command, where the crate has tests (see [`cargo_tests`]).
pub const RUST_TEST: &str = "cargo test --offline";
/// Rust's default PoV: `pov.rs` becomes a test module of the crate (`mod haetae_pov` appended to the sandbox copy's
/// crate root, the PoV reached by `#[path]`), run alone with `cargo test`. A test module, not an example or an
/// integration test: those see only the crate's public API, a module inside it also the private items at the root
/// and everything `pub(crate)`, where Rust's bugs often are. `--nocapture`, so the marker printed by a test that
/// then fails is in the output.
macro_rules! rust_pov {
    ($crate_root:literal, $target:literal) => {
        concat!(
            "printf '\\n#[cfg(test)]\\n#[path = \"../.haetae-pov/pov.rs\"]\\nmod haetae_pov;\\n' >> ",
            $crate_root,
            " && cargo test --offline --quiet ",
            $target,
            " haetae_pov:: -- --nocapture"
        )
    };
}
/// Rust's default PoV for a library crate (`src/lib.rs`).
pub const RUST_POV_LIB: &str = rust_pov!("src/lib.rs", "--lib");
/// Rust's default PoV for a binary crate (`src/main.rs` and no library).
pub const RUST_POV_BIN: &str = rust_pov!("src/main.rs", "--bins");

/// How the PoV's success is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// A sanitizer report (AddressSanitizer, UndefinedBehaviorSanitizer, MemorySanitizer) in the PoV's output.
    Sanitizer,
    /// The PoV prints [`POV_MARKER`] (languages without sanitizers).
    Marker,
}

/// How a project is built and tested, and how its PoV runs (commands run from the repository root).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectConfig {
    pub language: Language,
    #[serde(default)]
    pub build: String,
    #[serde(default)]
    pub test: String,
    /// The PoV's file name, written under [`POV_DIR`].
    pub pov_file: String,
    /// Builds (for C: with `-fsanitize=address`) and runs the PoV.
    pub pov: String,
    pub trigger: Trigger,
    /// How candidates in the repository's other languages are reproduced (`[languages.go]` …). The top-level
    /// settings are for `language` (and, C and C++ sharing headers, for the other of the two); a candidate in a
    /// language with no section gets that language's defaults, never the top-level PoV command, which would fail
    /// on it and report a real flaw as "not reproduced".
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub languages: BTreeMap<Language, LanguageSection>,
}

/// A `[languages.<name>]` table of `haetae-scan.toml`: the PoV settings for that language's candidates. Its `build`
/// and `test` default to the top level's: the repository's build and tests stay the project's whatever file a
/// patch touches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageSection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<String>,
    pub pov_file: String,
    pub pov: String,
    pub trigger: Trigger,
}

/// A PoV file name must be a plain name: it is written under [`POV_DIR`] in the sandbox's copy.
fn check_pov_file(name: &str, table: &str) -> Result<()> {
    if name.contains('/') || name.starts_with('.') || name.is_empty() {
        return Err(ScanError::Config(format!(
            "{CONFIG_FILE}: {table}pov_file must be a plain file name"
        )));
    }
    Ok(())
}

/// JavaScript's test command: [`NPM_TEST`] when `package.json` has a test script (not `npm init`'s placeholder,
/// which fails by design), npm is in the sandbox, and the project's dependencies are installed (`node_modules`) or
/// it has none: the sandbox has no network to install them. Otherwise why there is none; the patch is then
/// verified without the project's tests, and the verify stage's note says so.
pub fn npm_test(root: &Path, tools: &Toolchains) -> std::result::Result<String, String> {
    let text = std::fs::read_to_string(root.join("package.json"))
        .map_err(|_| "no package.json".to_owned())?;
    let package: Value =
        serde_json::from_str(&text).map_err(|e| format!("package.json is not JSON ({e})"))?;
    let script = package
        .pointer("/scripts/test")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if script.trim().is_empty() || script.contains("no test specified") {
        return Err("package.json has no test script".into());
    }
    let has_dependencies = ["dependencies", "devDependencies", "optionalDependencies"]
        .iter()
        .any(|k| {
            package
                .get(k)
                .and_then(Value::as_object)
                .is_some_and(|o| !o.is_empty())
        });
    if has_dependencies && !root.join("node_modules").is_dir() {
        return Err(
            "package.json has dependencies and no node_modules is installed (the sandbox has no network)".into(),
        );
    }
    if !tools.has("npm") {
        return Err("npm is not on the sandbox's PATH".into());
    }
    Ok(NPM_TEST.into())
}

/// The crate at a repository's root, as Rust's default runner takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RustCrate {
    /// `src/lib.rs`.
    Lib,
    /// `src/main.rs` and no library.
    Bin,
}

/// Whether Rust's default runner can build the crate at `root`: a package (not a virtual workspace) at the root
/// with `src/lib.rs` or `src/main.rs`, whose dependencies are all `path` ones, unless `.cargo/config.toml` replaces
/// a source (vendored crates): the sandbox has no network and its cargo home is empty, so anything else would fail
/// to build and read as "not reproduced". Otherwise why not.
pub fn cargo_package(root: &Path) -> std::result::Result<RustCrate, String> {
    let text = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|_| "no Cargo.toml at the repository root".to_owned())?;
    let manifest: toml::Table =
        toml::from_str(&text).map_err(|e| format!("Cargo.toml is not TOML ({e})"))?;
    if !manifest.contains_key("package") {
        return Err("Cargo.toml has no [package] (a workspace: give its members' commands in haetae-scan.toml)".into());
    }
    let vendored = [".cargo/config.toml", ".cargo/config"]
        .iter()
        .any(|f| std::fs::read_to_string(root.join(f)).is_ok_and(|t| t.contains("[source.")));
    if !vendored {
        // The dependency tables at the top and under each `[target.<cfg>]`.
        let kinds = ["dependencies", "dev-dependencies", "build-dependencies"];
        let targets = manifest
            .get("target")
            .and_then(toml::Value::as_table)
            .into_iter()
            .flat_map(|t| t.values().filter_map(toml::Value::as_table));
        for table in std::iter::once(&manifest).chain(targets) {
            for kind in kinds {
                let deps = table.get(kind).and_then(toml::Value::as_table);
                for (name, spec) in deps.into_iter().flatten() {
                    if spec.get("path").is_none() {
                        return Err(format!(
                            "the crate depends on {name}, which the offline sandbox cannot fetch (only path \
                             dependencies, or sources vendored through .cargo/config.toml)"
                        ));
                    }
                }
            }
        }
    }
    if root.join("src/lib.rs").is_file() {
        Ok(RustCrate::Lib)
    } else if root.join("src/main.rs").is_file() {
        Ok(RustCrate::Bin)
    } else {
        Err("the crate has no src/lib.rs or src/main.rs".into())
    }
}

/// Whether Go's default runner can build the module at `root`: `go.mod` at the root, and no required module unless
/// they are vendored (`vendor/modules.txt`): the sandbox cannot fetch them. Otherwise why not.
pub fn go_module(root: &Path) -> std::result::Result<(), String> {
    let text = std::fs::read_to_string(root.join("go.mod"))
        .map_err(|_| "no go.mod at the repository root".to_owned())?;
    // `require x v1` or a `require (` block; gofmt leaves no empty `require ()`, but that one requires nothing.
    let requires = text.lines().any(|l| {
        let l = l.trim();
        l.starts_with("require ") && l != "require ()"
    });
    if requires && !root.join("vendor/modules.txt").is_file() {
        return Err(
            "go.mod requires modules the offline sandbox cannot fetch (not vendored in vendor/)"
                .into(),
        );
    }
    Ok(())
}

/// Rust's test command: [`RUST_TEST`] when the crate has tests (a `tests/` directory, or `#[test]` in a source
/// file under `src/`). Otherwise why there is none.
pub fn cargo_tests(root: &Path) -> std::result::Result<String, String> {
    let has = root.join("tests").is_dir()
        || any_file(&root.join("src"), &|p| {
            p.extension().is_some_and(|e| e == "rs")
                && std::fs::read_to_string(p).is_ok_and(|t| t.contains("#[test]"))
        });
    if has {
        Ok(RUST_TEST.into())
    } else {
        Err("the crate has no tests (no tests/ directory, no #[test] under src/)".into())
    }
}

/// Go's test command: [`GO_TEST`] when the module has a `_test.go` file. Otherwise why there is none.
pub fn go_tests(root: &Path) -> std::result::Result<String, String> {
    if any_file(root, &|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with("_test.go"))
    }) {
        Ok(GO_TEST.into())
    } else {
        Err("the module has no _test.go files".into())
    }
}

/// Whether a file under `dir` satisfies `wanted`, skipping what the split skips (hidden directories, `target`,
/// `vendor`, `node_modules`) and links; bounded (depth and entries) because it runs before every scan, on any
/// repository.
fn any_file(dir: &Path, wanted: &dyn Fn(&Path) -> bool) -> bool {
    let mut stack = vec![(dir.to_path_buf(), 0)];
    let mut budget = 20_000usize;
    while let Some((d, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            budget = budget.saturating_sub(1);
            if budget == 0 {
                return false;
            }
            let Ok(kind) = e.file_type() else { continue };
            let path = e.path();
            let name = e.file_name();
            let name = name.to_string_lossy();
            if kind.is_dir() {
                let skip =
                    name.starts_with('.') || matches!(&*name, "target" | "vendor" | "node_modules");
                if !skip && depth < 16 {
                    stack.push((path, depth + 1));
                }
            } else if kind.is_file() && wanted(&path) {
                return true;
            }
        }
    }
    false
}

impl ProjectConfig {
    /// The defaults for a language when the repository has no `haetae-scan.toml`, given the toolchains the
    /// sandbox has (found when the scan starts: [`Toolchains::detect`]).
    pub fn default_for(language: Language, root: &Path, tools: &Toolchains) -> ProjectConfig {
        let make = root.join("Makefile").exists();
        match language {
            Language::C => ProjectConfig {
                language,
                build: if make { "make".into() } else { String::new() },
                test: if make { "make test".into() } else { String::new() },
                pov_file: "pov.c".into(),
                // The PoV is linked with every C file of the project except programs' and tests' `main`s.
                pov: "ASAN_OPTIONS=detect_leaks=0 cc -fsanitize=address,undefined -fno-omit-frame-pointer -g \
                      -I. -Isrc -Iinclude -o .haetae-pov/pov .haetae-pov/pov.c \
                      $(find . -name '*.c' -not -path './.haetae-pov/*' -not -name 'main.c' -not -name 'test*') \
                      && ASAN_OPTIONS=detect_leaks=0 ./.haetae-pov/pov"
                    .into(),
                trigger: Trigger::Sanitizer,
                languages: BTreeMap::new(),
            },
            // As C, with the C++ driver and the project's C++ sources.
            Language::Cpp => ProjectConfig {
                language,
                build: if make { "make".into() } else { String::new() },
                test: if make { "make test".into() } else { String::new() },
                pov_file: "pov.cc".into(),
                pov: "ASAN_OPTIONS=detect_leaks=0 c++ -fsanitize=address,undefined -fno-omit-frame-pointer -g \
                      -I. -Isrc -Iinclude -o .haetae-pov/pov .haetae-pov/pov.cc \
                      $(find . \\( -name '*.cc' -o -name '*.cpp' -o -name '*.cxx' \\) -not -path './.haetae-pov/*' \
                      -not -name 'main.*' -not -name 'test*') \
                      && ASAN_OPTIONS=detect_leaks=0 ./.haetae-pov/pov"
                    .into(),
                trigger: Trigger::Sanitizer,
                languages: BTreeMap::new(),
            },
            Language::Python => ProjectConfig {
                language,
                build: String::new(),
                test: "python3 -m unittest discover -q".into(),
                pov_file: "pov.py".into(),
                pov: "PYTHONPATH=. python3 .haetae-pov/pov.py".into(),
                trigger: Trigger::Marker,
                languages: BTreeMap::new(),
            },
            // With node in the sandbox (and tsc, for TypeScript): the PoV runs from the repository root and reaches
            // the project's modules by relative paths (TypeScript's emitted as JavaScript with what it imports
            // first); no build; `npm test` only where it can run offline.
            Language::JavaScript | Language::TypeScript if tools.missing(language).is_empty() => {
                let (pov_file, pov) = if matches!(language, Language::TypeScript) {
                    ("pov.ts", TS_POV)
                } else {
                    ("pov.js", JS_POV)
                };
                ProjectConfig {
                    language,
                    build: String::new(),
                    test: npm_test(root, tools).unwrap_or_default(),
                    pov_file: pov_file.into(),
                    pov: pov.into(),
                    trigger: Trigger::Marker,
                    languages: BTreeMap::new(),
                }
            }
            // TSX as TypeScript, with the project's JSX settings, where the JSX runtime they name is installed.
            Language::Tsx if tools.missing(language).is_empty() => match crate::tsx::jsx_settings(root) {
                Ok(jsx) => ProjectConfig {
                    language,
                    build: String::new(),
                    test: npm_test(root, tools).unwrap_or_default(),
                    pov_file: "pov.tsx".into(),
                    pov: crate::tsx::tsx_pov(&jsx),
                    trigger: Trigger::Marker,
                    languages: BTreeMap::new(),
                },
                Err(_) => ProjectConfig::no_runner(language),
            },
            // With javac and java in the sandbox: the project's non-test sources are the build, the PoV a class in
            // the default package compiled against them, its JUnit tests the test command where JUnit is there.
            Language::Java if tools.missing(language).is_empty() => ProjectConfig {
                language,
                build: JAVA_BUILD.into(),
                test: java_tests(root, tools).unwrap_or_default(),
                pov_file: "Pov.java".into(),
                pov: JAVA_POV.into(),
                trigger: Trigger::Marker,
                languages: BTreeMap::new(),
            },
            // With go in the sandbox and a module it can build offline: the module is the build, `go test` its
            // tests where it has any, the PoV a `package main` importing the module's packages.
            Language::Go if tools.missing(language).is_empty() && go_module(root).is_ok() => {
                ProjectConfig {
                    language,
                    build: GO_BUILD.into(),
                    test: go_tests(root).unwrap_or_default(),
                    pov_file: "pov.go".into(),
                    pov: GO_POV.into(),
                    trigger: Trigger::Marker,
                    languages: BTreeMap::new(),
                }
            }
            // With cargo and rustc in the sandbox and a crate it can build offline: `cargo build`, `cargo test`
            // where it has tests, the PoV a test module of the crate.
            Language::Rust if tools.missing(language).is_empty() => match cargo_package(root) {
                Ok(kind) => ProjectConfig {
                    language,
                    build: RUST_BUILD.into(),
                    test: cargo_tests(root).unwrap_or_default(),
                    pov_file: "pov.rs".into(),
                    pov: match kind {
                        RustCrate::Lib => RUST_POV_LIB,
                        RustCrate::Bin => RUST_POV_BIN,
                    }
                    .into(),
                    trigger: Trigger::Marker,
                    languages: BTreeMap::new(),
                },
                Err(_) => ProjectConfig::no_runner(language),
            },
            // No default way to run a PoV, so no guessed command that would fail as "not reproduced" (which reads
            // like a false candidate): candidates are reported as `no_pov_runner`, with
            // [`no_runner_reason`], until `haetae-scan.toml` says how. JavaScript, Java, Go and Rust land here when
            // the sandbox lacks their toolchain (TypeScript and TSX: node and a global tsc), Go and Rust also for a
            // module or crate with dependencies the offline sandbox cannot fetch, TSX for a project whose JSX
            // runtime is not installed. (cargo installed by rustup under root's home is not on the sandbox's PATH,
            // nor readable by its user: the sandbox needs a system cargo.)
            Language::JavaScript
            | Language::TypeScript
            | Language::Tsx
            | Language::Java
            | Language::Go
            | Language::Rust => ProjectConfig::no_runner(language),
        }
    }

    /// A configuration for `language` with no PoV command (see [`ProjectConfig::can_run_pov`]).
    fn no_runner(language: Language) -> ProjectConfig {
        ProjectConfig {
            language,
            build: String::new(),
            test: String::new(),
            pov_file: match language {
                Language::Java => "Pov.java",
                Language::Go => "pov.go",
                Language::Rust => "pov.rs",
                Language::TypeScript => "pov.ts",
                Language::Tsx => "pov.tsx",
                _ => "pov.js",
            }
            .into(),
            pov: String::new(),
            trigger: Trigger::Marker,
            languages: BTreeMap::new(),
        }
    }

    /// The settings for a candidate in `language`: these (C and C++ count as one, since they share headers), the
    /// file's `[languages.<name>]` section over the top level's build and tests, or that language's defaults.
    pub fn for_language(
        &self,
        language: Language,
        root: &Path,
        tools: &Toolchains,
    ) -> ProjectConfig {
        if self.serves_itself(language) {
            return self.clone();
        }
        match self.languages.get(&language) {
            Some(s) => ProjectConfig {
                language,
                build: s.build.clone().unwrap_or_else(|| self.build.clone()),
                test: s.test.clone().unwrap_or_else(|| self.test.clone()),
                pov_file: s.pov_file.clone(),
                pov: s.pov.clone(),
                trigger: s.trigger,
                languages: BTreeMap::new(),
            },
            None => ProjectConfig::default_for(language, root, tools),
        }
    }

    /// Whether the top level serves `language`'s candidates (C and C++ count as one).
    fn serves_itself(&self, language: Language) -> bool {
        let c_family = |l: Language| matches!(l, Language::C | Language::Cpp);
        language == self.language || (c_family(language) && c_family(self.language))
    }

    /// Whether the configuration, read from `haetae-scan.toml`, gives `language`'s candidates their settings (the
    /// top level or a section), rather than leaving them to the defaults.
    pub fn configures(&self, language: Language) -> bool {
        self.serves_itself(language) || self.languages.contains_key(&language)
    }

    /// Whether a PoV can be run at all: a configuration with an empty `pov` command has no runner.
    pub fn can_run_pov(&self) -> bool {
        !self.pov.trim().is_empty()
    }

    /// Reads `haetae-scan.toml`, or picks the defaults of the language with the most units.
    pub fn load(root: &Path, split: &Split, tools: &Toolchains) -> Result<ProjectConfig> {
        let path = root.join(CONFIG_FILE);
        if path.exists() {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| ScanError::io(format!("reading {}", path.display()), e))?;
            let config: ProjectConfig = toml::from_str(&text)
                .map_err(|e| ScanError::Config(format!("{CONFIG_FILE}: {e}")))?;
            check_pov_file(&config.pov_file, "")?;
            for (language, section) in &config.languages {
                check_pov_file(
                    &section.pov_file,
                    &format!("[languages.{}] ", language.name()),
                )?;
            }
            return Ok(config);
        }
        let mut counts: BTreeMap<&str, (usize, Language)> = BTreeMap::new();
        for u in &split.units {
            counts.entry(u.language.name()).or_insert((0, u.language)).0 += 1;
        }
        let language = counts
            .values()
            .max_by_key(|(n, _)| *n)
            .map(|(_, l)| *l)
            .ok_or_else(|| {
                ScanError::Config(
                    "no source file in a language the scan reads in the repository".into(),
                )
            })?;
        Ok(ProjectConfig::default_for(language, root, tools))
    }

    /// Whether a PoV run shows the vulnerability.
    pub fn triggered(&self, r: &ExecResult) -> bool {
        let out = format!("{}\n{}", r.stdout, r.stderr);
        match self.trigger {
            // `ERROR: AddressSanitizer: <kind>` — not `ERROR: AddressSanitizer failed to allocate`, which is the
            // sanitizer failing to start (an address-space limit), not a bug.
            Trigger::Sanitizer => {
                out.contains("ERROR: AddressSanitizer: ")
                    || out.contains("SUMMARY: AddressSanitizer: ")
                    || out.contains("SUMMARY: UndefinedBehaviorSanitizer: ")
                    || out.contains("runtime error: ")
                    || out.contains("WARNING: MemorySanitizer: ")
            }
            Trigger::Marker => out.contains(POV_MARKER),
        }
    }
}

/// Limits of the scan's sandbox. The address-space limit is lifted: AddressSanitizer reserves terabytes of
/// virtual shadow memory and cannot start under one (CPU time, processes, file size and wall time still apply).
pub fn scan_limits() -> SandboxLimits {
    SandboxLimits {
        cpu_seconds: 20,
        memory_bytes: u64::MAX,
        file_size_bytes: 64 << 20,
        max_processes: 128,
        wall_seconds: 120.0,
        output_bytes: 64 << 10,
        require_no_network: false,
    }
}

/// Scan options.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// At most this many candidates go through reproduction (after de-duplication), in the order found.
    pub max_candidates: usize,
    /// Units are sent to the model in batches of at most this many characters of code.
    pub batch_chars: usize,
    pub limits: SandboxLimits,
    /// PoVs asked for per candidate: a PoV that does not trigger (or does not compile or run) is asked for again,
    /// with why, until one triggers or this many were tried. 1 asks once.
    pub pov_attempts: u32,
    /// Patches asked for per reproduced candidate: one that does not apply, breaks the build or the tests, or
    /// leaves the PoV triggering is asked for again, with why. 1 asks once.
    pub patch_attempts: u32,
    /// How a PoV or patch call the gateway does not answer (a 5xx, a dropped connection) is made again, before
    /// the candidate ends `model_error`. Not an attempt: the model never answered.
    pub gateway_retry: CallRetry,
}

/// The attempts per stage when not given: a second try with the failure in front of the model is where most of
/// the gain is (each attempt is one more model call and one more round of sandbox runs).
pub const DEFAULT_ATTEMPTS: u32 = 2;

/// At most this many characters of a failed command's output go back to the model in a retry's prompt: the end,
/// where compilers, sanitizers and test runners say what went wrong.
pub const FEEDBACK_CHARS: usize = 2_000;

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            max_candidates: 25,
            batch_chars: 12_000,
            limits: scan_limits(),
            pov_attempts: DEFAULT_ATTEMPTS,
            patch_attempts: DEFAULT_ATTEMPTS,
            gateway_retry: CallRetry::default(),
        }
    }
}

/// A candidate finding as the model proposed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// `HS-` + 12 hex digits of SHA-256(file, start line, CWE): the de-duplication key, stable across runs.
    pub id: String,
    pub file: String,
    pub start_line: usize,
    pub end_line: usize,
    /// `CWE-<n>`.
    pub cwe: String,
    pub title: String,
    pub reasoning: String,
    /// The unit the range falls in.
    pub unit: String,
}

/// What happened to a candidate. Only [`Status::Verified`] makes a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Verified,
    /// The candidate names no file or lines of the repository, or no CWE.
    Invalid,
    /// The model's answer could not be used (gateway refusal, no PoV or diff in the reply).
    ModelError,
    /// The project did not build unpatched, or none of the PoVs (one an attempt) triggered on the unpatched code.
    NotReproduced,
    PatchNotApplied,
    PatchBuildFailed,
    PatchTestsFailed,
    /// The PoV still triggers on the patched code, or does not run to a clean exit there.
    PatchDidNotFix,
    /// A fresh unpatched copy did not trigger again (a flaky PoV proves nothing).
    ControlDidNotTrigger,
    /// No way to run a PoV for the candidate's language is configured (no default for it, and no
    /// `haetae-scan.toml`, or one with an empty `pov`): the candidate stays unverified, and no model call is made
    /// for a PoV nothing could run.
    NoPovRunner,
}

/// One command and its outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub name: String,
    pub command: String,
    pub result: ExecResult,
}

/// The evidence of one stage, for one attempt: a stage tried again has one entry per attempt, in order, each with
/// what the model produced, the commands run and why it failed (its note).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageEvidence {
    /// `reproduce`, `patch`, `verify`.
    pub stage: String,
    /// Which attempt this is, from 1 (`verify` shares its `patch`'s number). Reports from before retries have
    /// none: one attempt.
    #[serde(default = "first_attempt")]
    pub attempt: u32,
    pub call: Option<CallRecord>,
    /// The calls of this attempt the gateway did not answer (a 5xx, a dropped connection), each made again after
    /// a wait ([`ScanOptions::gateway_retry`]): their errors, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gateway_retries: Vec<String>,
    /// What the model produced for this stage: the PoV source or the diff.
    pub artefact: Option<String>,
    pub runs: Vec<Run>,
    pub passed: bool,
    pub note: String,
}

fn first_attempt() -> u32 {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateReport {
    pub candidate: Candidate,
    pub status: Status,
    /// The find call that proposed the candidate and the model's reply to it, as evidence of why it was flagged
    /// (absent in reports from before it was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub find: Option<FindEvidence>,
    pub stages: Vec<StageEvidence>,
}

/// At most this many characters of a find call's reply are kept with each of its candidates: a reply within the
/// default `--max-tokens` (2,048) fits whole, and a runaway one does not multiply into every candidate's evidence.
pub const FIND_REPLY_CHARS: usize = 8_000;

/// A find call's reply, as kept with each candidate it proposed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindEvidence {
    /// The find call (its ledger index and tokens).
    pub call: CallRecord,
    /// The model's reply as it came, unparsed: its first [`FIND_REPLY_CHARS`] characters at most.
    pub reply: String,
    /// The whole reply's length, in characters.
    pub reply_chars: usize,
    /// Whether `reply` is only the beginning of it (`reply_chars` over [`FIND_REPLY_CHARS`]).
    pub reply_truncated: bool,
}

impl FindEvidence {
    pub fn new(reply: &Reply) -> FindEvidence {
        let reply_chars = reply.text.chars().count();
        FindEvidence {
            call: reply.record.clone(),
            reply: reply.text.chars().take(FIND_REPLY_CHARS).collect(),
            reply_chars,
            reply_truncated: reply_chars > FIND_REPLY_CHARS,
        }
    }
}

/// A find call that got no answer: which units it carried and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindFailure {
    /// `file:name` of each unit in the batch.
    pub units: Vec<String>,
    pub error: String,
}

/// A maintainer's (or triager's) view of a verified finding. New findings start as `new`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriageState {
    #[default]
    New,
    Confirmed,
    Reported,
    Fixed,
    Disclosed,
    WontFix,
    FalsePositive,
}

/// A verified finding: reproduced, patched, verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub id: String,
    pub file: String,
    pub start_line: usize,
    pub end_line: usize,
    pub cwe: String,
    pub title: String,
    pub reasoning: String,
    pub unit: String,
    pub pov_file: String,
    pub pov: String,
    /// The verified patch, a unified diff against the scanned revision.
    pub patch: String,
    /// The first lines of the PoV's report on the unpatched code.
    pub pov_report: String,
    pub triage: TriageState,
}

/// Where the scanned code came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoInfo {
    /// The local path or git URL as given.
    pub source: String,
    /// `git rev-parse HEAD`, when the repository is a git checkout.
    pub commit: Option<String>,
}

/// Everything a scan produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanReport {
    pub repository: RepoInfo,
    pub config: ProjectConfig,
    /// The programs found in the sandbox when the scan started, which decided the default PoV runners.
    #[serde(default)]
    pub toolchains: Toolchains,
    pub model: String,
    pub use_case: String,
    pub engagement: Option<String>,
    pub files: usize,
    pub units: usize,
    pub skipped: Vec<(String, String)>,
    /// The find stage's calls (the later stages' calls are in each candidate's evidence).
    pub find_calls: Vec<CallRecord>,
    /// Find calls the gateway or its backend did not answer (a 5xx, a 429, a timeout): the units of that batch
    /// were not looked at, and the report says so rather than losing the rest of the scan. A refusal still stops
    /// the scan.
    #[serde(default)]
    pub find_failures: Vec<FindFailure>,
    /// Candidates dropped as duplicates of an earlier one (same location and CWE), by id.
    pub duplicates: Vec<String>,
    /// Candidates over the budget ([`ScanOptions::max_candidates`]), not processed.
    pub over_budget: Vec<Candidate>,
    pub candidates: Vec<CandidateReport>,
    pub findings: Vec<Finding>,
}

const SYSTEM: &str = "You are a security engineer working for the maintainers of the code shown, under a \
coordinated-disclosure engagement: you find vulnerabilities, prove them with a minimal test, and fix them. \
Answer only in the format asked for.";

/// A local repository, or a git URL cloned into a temporary directory (kept alive by the returned guard).
pub async fn prepare_repository(source: &str) -> Result<(PathBuf, Option<tempfile::TempDir>)> {
    let is_url = source.contains("://") || source.starts_with("git@");
    if !is_url {
        let path = PathBuf::from(source);
        if !path.is_dir() {
            return Err(ScanError::Config(format!("{source} is not a directory")));
        }
        return Ok((path, None));
    }
    if source.starts_with('-') {
        return Err(ScanError::Config(format!(
            "{source} is not a repository URL"
        )));
    }
    let dir = tempfile::Builder::new()
        .prefix("haetae-scan-")
        .tempdir()
        .map_err(|e| ScanError::io("creating a clone directory", e))?;
    let dest = dir.path().join("repo");
    let out = tokio::process::Command::new("git")
        .args(["clone", "--quiet", "--depth", "1", "--"])
        .arg(source)
        .arg(&dest)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .await
        .map_err(|e| ScanError::io("running git clone", e))?;
    if !out.status.success() {
        return Err(ScanError::Git(format!(
            "git clone {source}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok((dest, Some(dir)))
}

async fn head_commit(root: &Path) -> Option<String> {
    if !root.join(".git").exists() {
        return None;
    }
    let out = tokio::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD"])
        .output()
        .await
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Normalises `CWE-787`, `cwe 787`, `787` or a number to `CWE-787`.
pub fn normalise_cwe(v: &Value) -> Option<String> {
    let n: u32 = match v {
        Value::Number(n) => u32::try_from(n.as_u64()?).ok()?,
        Value::String(s) => {
            let digits: String = s.chars().filter(char::is_ascii_digit).collect();
            digits.parse().ok()?
        }
        _ => return None,
    };
    (n > 0).then(|| format!("CWE-{n}"))
}

pub fn candidate_id(file: &str, start_line: usize, cwe: &str) -> String {
    let h = Sha256::digest(format!("{file}\0{start_line}\0{cwe}").as_bytes());
    format!("HS-{}", &hex::encode(h)[..12])
}

/// The scanner: one repository, one gateway client.
pub struct Scanner<'a> {
    pub client: &'a GatewayClient,
    pub options: ScanOptions,
}

impl Scanner<'_> {
    /// Scans `root` (`source` is what the report names).
    pub async fn scan(&self, root: &Path, source: &str) -> Result<ScanReport> {
        let split = split_repository(root)?;
        // Decided now, in the sandbox the commands will run in: which default runners have their toolchain.
        let tools = Toolchains::detect(self.options.limits.clone()).await?;
        let config = ProjectConfig::load(root, &split, &tools)?;
        let from_file = root.join(CONFIG_FILE).exists();
        let gw = self.client.config();
        let mut report = ScanReport {
            repository: RepoInfo {
                source: source.to_owned(),
                commit: head_commit(root).await,
            },
            config: config.clone(),
            toolchains: tools.clone(),
            model: gw.model.clone(),
            use_case: gw.use_case.clone(),
            engagement: gw.engagement.clone(),
            files: split.files,
            units: split.units.len(),
            skipped: split.skipped.clone(),
            find_calls: Vec::new(),
            find_failures: Vec::new(),
            duplicates: Vec::new(),
            over_budget: Vec::new(),
            candidates: Vec::new(),
            findings: Vec::new(),
        };
        let mut seen = BTreeSet::new();
        let mut queue = Vec::new();
        for batch in batches(&split.units, self.options.batch_chars) {
            let reply = match self.client.ask("find", SYSTEM, &find_prompt(&batch)).await {
                Ok(reply) => reply,
                Err(ScanError::Unavailable(error) | ScanError::RateLimited(error)) => {
                    tracing::warn!(%error, units = batch.len(), "a find call got no answer; going on");
                    report.find_failures.push(FindFailure {
                        units: batch
                            .iter()
                            .map(|u| format!("{}:{}", u.file, u.name))
                            .collect(),
                        error,
                    });
                    continue;
                }
                Err(e) => return Err(e),
            };
            let evidence = FindEvidence::new(&reply);
            report.find_calls.push(reply.record);
            for raw in parse_candidates(&reply.text) {
                match validate(&raw, &split.units) {
                    (c, None) => {
                        if !seen.insert(c.id.clone()) {
                            report.duplicates.push(c.id);
                        } else if queue.len() >= self.options.max_candidates {
                            report.over_budget.push(c);
                        } else {
                            queue.push((c, evidence.clone()));
                        }
                    }
                    (c, Some(note)) => report.candidates.push(CandidateReport {
                        candidate: c,
                        status: Status::Invalid,
                        find: Some(evidence.clone()),
                        stages: vec![StageEvidence {
                            note,
                            ..stage("find", 1)
                        }],
                    }),
                }
            }
        }
        // A candidate in another language than the configured or main one gets its own language's settings (a
        // Python script's candidate in a C project gets a Python PoV, not a C one).
        for (c, evidence) in queue {
            let unit = split.units.iter().find(|u| {
                u.file == c.file && u.start_line <= c.start_line && c.end_line <= u.end_line
            });
            let own;
            let cfg = match unit {
                Some(u) if u.language != config.language => {
                    own = config.for_language(u.language, root, &tools);
                    &own
                }
                _ => &config,
            };
            let origin = Origin {
                from_file: from_file && config.configures(cfg.language),
                tools: &tools,
            };
            let (mut cr, finding) = self.process(root, cfg, &origin, c, unit).await?;
            cr.find = Some(evidence);
            report.candidates.push(cr);
            report.findings.extend(finding);
        }
        Ok(report)
    }

    /// Reproduce, patch and verify one candidate.
    async fn process(
        &self,
        root: &Path,
        config: &ProjectConfig,
        origin: &Origin<'_>,
        c: Candidate,
        unit: Option<&Unit>,
    ) -> Result<(CandidateReport, Option<Finding>)> {
        let mut stages = Vec::new();
        let done = |c: Candidate, status, stages| {
            Ok((
                CandidateReport {
                    candidate: c,
                    status,
                    find: None,
                    stages,
                },
                None,
            ))
        };

        if !config.can_run_pov() {
            let lang = config.language.name();
            let why = if origin.from_file {
                format!("{CONFIG_FILE} gives it an empty pov command")
            } else {
                no_runner_reason(config.language, root, origin.tools)
            };
            let mut st = stage("reproduce", 1);
            st.note = format!(
                "no way to run a proof of vulnerability for {lang}: {why}; give its build, test, pov_file, pov and \
                 trigger in {CONFIG_FILE} (a [languages.{lang}] section when the repository's main language is \
                 another)"
            );
            stages.push(st);
            return done(c, Status::NoPovRunner, stages);
        }
        let base = pov_prompt(&c, unit, config);
        let mut tries = Retries::new(self.options.pov_attempts, &base);
        let reproduced = loop {
            let outcome = self
                .reproduce(root, config, &tries.prompt, tries.attempt, &mut stages)
                .await?;
            if let Some(end) = tries.after(outcome) {
                break end;
            }
        };
        let (pov, pov_report) = match reproduced {
            Ok(r) => r,
            Err(status) => return done(c, status, stages),
        };

        let source = std::fs::read_to_string(root.join(&c.file))
            .map_err(|e| ScanError::io(format!("reading {}", c.file), e))?;
        let base = patch_prompt(&c, &source, &pov, &pov_report);
        let mut tries = Retries::new(self.options.patch_attempts, &base);
        let fixed = loop {
            let outcome = self
                .fix(
                    root,
                    config,
                    origin,
                    &pov,
                    &tries.prompt,
                    tries.attempt,
                    &mut stages,
                )
                .await?;
            if let Some(end) = tries.after(outcome) {
                break end;
            }
        };
        let diff = match fixed {
            Ok(d) => d,
            Err(status) => return done(c, status, stages),
        };
        let finding = Finding {
            id: c.id.clone(),
            file: c.file.clone(),
            start_line: c.start_line,
            end_line: c.end_line,
            cwe: c.cwe.clone(),
            title: c.title.clone(),
            reasoning: c.reasoning.clone(),
            unit: c.unit.clone(),
            pov_file: config.pov_file.clone(),
            pov,
            patch: diff,
            pov_report,
            triage: TriageState::New,
        };
        Ok((
            CandidateReport {
                candidate: c,
                status: Status::Verified,
                find: None,
                stages,
            },
            Some(finding),
        ))
    }

    /// One PoV attempt: ask, build the unpatched copy, run the PoV; it must trigger.
    async fn reproduce(
        &self,
        root: &Path,
        config: &ProjectConfig,
        prompt: &str,
        attempt: u32,
        stages: &mut Vec<StageEvidence>,
    ) -> Result<Attempt<(String, String)>> {
        let mut st = stage("reproduce", attempt);
        let pov = match self.ask("pov", prompt, &mut st).await {
            Some(r) => code_block(&r.text),
            // A refusal, an exhausted budget or a call still unanswered: not something the model can correct.
            None => return Ok(failed(stages, st, Status::ModelError, false, None)),
        };
        let Some(pov) = pov else {
            st.note = "the reply holds no PoV program".into();
            return Ok(failed(stages, st, Status::ModelError, true, None));
        };
        st.artefact = Some(pov.clone());
        let unpatched = self.sandbox(root)?;
        if !self.build(&unpatched, config, &mut st).await? {
            // The project itself, before any PoV: another PoV cannot change it.
            st.note = "the unpatched project does not build".into();
            return Ok(failed(stages, st, Status::NotReproduced, false, None));
        }
        let (triggered, pov_report) = self
            .run_pov(&unpatched, config, &pov, "pov (unpatched)", &mut st)
            .await?;
        if !triggered {
            st.note = "the PoV did not trigger on the unpatched code".into();
            return Ok(failed(stages, st, Status::NotReproduced, true, None));
        }
        st.passed = true;
        stages.push(st);
        Ok(Attempt::Done((pov, pov_report)))
    }

    /// One patch attempt: ask for a diff, apply it to a fresh copy and verify it there (build, tests, the PoV clean),
    /// then on a fresh unpatched copy (the PoV triggers again).
    #[allow(clippy::too_many_arguments)]
    async fn fix(
        &self,
        root: &Path,
        config: &ProjectConfig,
        origin: &Origin<'_>,
        pov: &str,
        prompt: &str,
        attempt: u32,
        stages: &mut Vec<StageEvidence>,
    ) -> Result<Attempt<String>> {
        let mut st = stage("patch", attempt);
        let diff = match self.ask("patch", prompt, &mut st).await {
            Some(r) => diff_block(&r.text),
            None => return Ok(failed(stages, st, Status::ModelError, false, None)),
        };
        let Some(diff) = diff else {
            st.note = "the reply holds no unified diff".into();
            return Ok(failed(stages, st, Status::ModelError, true, None));
        };
        st.artefact = Some(diff.clone());
        let protected = protected_paths(&diff);
        if !protected.is_empty() {
            st.note = format!(
                "the diff changes the project's tests or the scan's configuration ({}); a patch must pass the \
                 tests as they are",
                protected.join(", ")
            );
            return Ok(failed(stages, st, Status::PatchNotApplied, true, None));
        }
        let patched = self.sandbox(root)?;
        patched.write_file(Path::new(".haetae-patch/fix.diff"), diff.as_bytes())?;
        // The ceiling keeps git from finding a repository above the sandbox directory and applying there.
        let apply = "GIT_CEILING_DIRECTORIES=\"$(dirname \"$PWD\")\" git apply --verbose .haetae-patch/fix.diff";
        if !self.exec(&patched, "git apply", apply, &mut st).await? {
            st.note = "git apply refused the diff".into();
            return Ok(failed(stages, st, Status::PatchNotApplied, true, None));
        }
        st.passed = true;
        stages.push(st);

        // Verify: build and tests on the patched copy, the PoV clean there, and triggering again on a fresh
        // unpatched copy. A failure here is the diff's (the next attempt sees the diff beside the command that judged
        // it), except the control's, which is the PoV's.
        let mut st = stage("verify", attempt);
        if !self.build(&patched, config, &mut st).await? {
            st.note = "the patched project does not build".into();
            return Ok(failed(
                stages,
                st,
                Status::PatchBuildFailed,
                true,
                Some(&diff),
            ));
        }
        if !config.test.trim().is_empty()
            && !self.exec(&patched, "tests", &config.test, &mut st).await?
        {
            st.note = "the project's tests fail on the patched code".into();
            return Ok(failed(
                stages,
                st,
                Status::PatchTestsFailed,
                true,
                Some(&diff),
            ));
        }
        let (still, _) = self
            .run_pov(&patched, config, pov, "pov (patched)", &mut st)
            .await?;
        let clean = st.runs.last().is_some_and(|r| r.result.success());
        if still || !clean {
            st.note = if still {
                "the PoV still triggers on the patched code".into()
            } else {
                "the PoV does not run to a clean exit on the patched code".into()
            };
            return Ok(failed(
                stages,
                st,
                Status::PatchDidNotFix,
                true,
                Some(&diff),
            ));
        }
        let control = self.sandbox(root)?;
        let control_ok = self.build(&control, config, &mut st).await?
            && self
                .run_pov(&control, config, pov, "pov (unpatched control)", &mut st)
                .await?
                .0;
        if !control_ok {
            // A PoV that does not trigger again proves nothing, whatever the patch: no other diff helps.
            st.note = "the PoV did not trigger again on a fresh unpatched copy".into();
            return Ok(failed(
                stages,
                st,
                Status::ControlDidNotTrigger,
                false,
                None,
            ));
        }
        st.passed = true;
        st.note = if config.test.trim().is_empty() {
            // Verified without the project's tests: said, not passed over as if they had passed.
            format!(
                "patched: builds, PoV clean, the project's tests NOT run ({}); unpatched: PoV triggers",
                no_tests_reason(config, root, origin)
            )
        } else {
            "patched: builds, tests pass, PoV clean; unpatched: PoV triggers".into()
        };
        stages.push(st);
        Ok(Attempt::Done(diff))
    }

    /// A PoV or patch call, made again while the gateway does not answer ([`ScanOptions::gateway_retry`]): the
    /// reply, its call and the retried calls' errors recorded in `st`; or `None` with the note saying why there
    /// is no reply and whether it was retried.
    async fn ask(&self, name: &str, prompt: &str, st: &mut StageEvidence) -> Option<Reply> {
        let retry = &self.options.gateway_retry;
        match self
            .client
            .ask_retrying(name, SYSTEM, prompt, retry, &mut st.gateway_retries)
            .await
        {
            Ok(r) => {
                st.call = Some(r.record.clone());
                Some(r)
            }
            Err(e) => {
                st.note = call_failure_note(&e, st.gateway_retries.len() + 1);
                None
            }
        }
    }

    fn sandbox(&self, root: &Path) -> Result<Sandbox> {
        let sb = Sandbox::new(self.options.limits.clone())?;
        sb.copy_in(root, &[".git", POV_DIR, ".haetae-patch"])?;
        Ok(sb)
    }

    async fn exec(
        &self,
        sb: &Sandbox,
        name: &str,
        command: &str,
        st: &mut StageEvidence,
    ) -> Result<bool> {
        let result = sb.exec(command).await?;
        let ok = result.success();
        st.runs.push(Run {
            name: name.into(),
            command: command.into(),
            result,
        });
        Ok(ok)
    }

    async fn build(
        &self,
        sb: &Sandbox,
        config: &ProjectConfig,
        st: &mut StageEvidence,
    ) -> Result<bool> {
        if config.build.trim().is_empty() {
            return Ok(true);
        }
        self.exec(sb, "build", &config.build, st).await
    }

    /// Writes and runs the PoV; returns whether it triggered and the first lines of its report.
    async fn run_pov(
        &self,
        sb: &Sandbox,
        config: &ProjectConfig,
        pov: &str,
        name: &str,
        st: &mut StageEvidence,
    ) -> Result<(bool, String)> {
        sb.write_file(&Path::new(POV_DIR).join(&config.pov_file), pov.as_bytes())?;
        self.exec(sb, name, &config.pov, st).await?;
        let Some(run) = st.runs.last() else {
            return Ok((false, String::new()));
        };
        let triggered = config.triggered(&run.result);
        let report = run
            .result
            .stderr
            .lines()
            .chain(run.result.stdout.lines())
            .filter(|l| !l.trim().is_empty())
            .take(12)
            .collect::<Vec<_>>()
            .join("\n");
        Ok((triggered, report))
    }
}

/// Where a candidate's settings came from, for the notes that say why a PoV or the tests did not run.
struct Origin<'t> {
    /// `haetae-scan.toml` gives this language's settings (its top level or a section), not the defaults.
    from_file: bool,
    tools: &'t Toolchains,
}

/// Why a configuration has no test command.
fn no_tests_reason(config: &ProjectConfig, root: &Path, origin: &Origin<'_>) -> String {
    if origin.from_file {
        return format!("{CONFIG_FILE} gives no test command");
    }
    match config.language {
        Language::C | Language::Cpp => "no Makefile".into(),
        Language::JavaScript => npm_test(root, origin.tools)
            .err()
            .unwrap_or_else(|| "no test command".into()),
        Language::Java => java_tests(root, origin.tools)
            .err()
            .unwrap_or_else(|| "no test command".into()),
        Language::Go => go_tests(root)
            .err()
            .unwrap_or_else(|| "no test command".into()),
        Language::Rust => cargo_tests(root)
            .err()
            .unwrap_or_else(|| "no test command".into()),
        l => format!("the defaults for {} have no test command", l.name()),
    }
}

/// Why a stage has no reply from the model, for its note: whether the call went unanswered after `calls` calls,
/// or was refused (a 4xx, a 429, the scan's budget) and so not made again.
fn call_failure_note(e: &ScanError, calls: usize) -> String {
    match e {
        ScanError::Unavailable(_) => {
            format!("no answer from the gateway after {calls} calls (retried with backoff): {e}")
        }
        ScanError::RateLimited(_) => {
            format!("refused by the gateway's rate limit or quota, not retried: {e}")
        }
        ScanError::Budget(_) => format!("the scan's token budget is spent, not retried: {e}"),
        // A refusal (403 with the policy's reason) or another 4xx, or an answer that is no chat completion.
        _ => format!("refused or unusable, not retried: {e}"),
    }
}

fn stage(name: &str, attempt: u32) -> StageEvidence {
    StageEvidence {
        stage: name.into(),
        attempt,
        call: None,
        gateway_retries: Vec::new(),
        artefact: None,
        runs: Vec::new(),
        passed: false,
        note: String::new(),
    }
}

/// A stage's attempts, at most `max` (at least one): the first is asked with `base`, each after it with `base` and
/// what the last one produced and why it failed. The stage ends at the first success, at a failure no retry can
/// mend, or after the last attempt.
struct Retries<'b> {
    base: &'b str,
    max: u32,
    /// The attempt to make now, from 1, and its prompt.
    attempt: u32,
    prompt: String,
}

impl<'b> Retries<'b> {
    fn new(max: u32, base: &'b str) -> Self {
        Retries {
            base,
            max: max.max(1),
            attempt: 1,
            prompt: base.to_owned(),
        }
    }

    /// After an attempt: how the stage ended, or `None` with the next attempt's prompt ready.
    fn after<T>(&mut self, outcome: Attempt<T>) -> Option<std::result::Result<T, Status>> {
        match outcome {
            Attempt::Done(t) => Some(Ok(t)),
            Attempt::Failed {
                retry: Some(feedback),
                ..
            } if self.attempt < self.max => {
                self.attempt += 1;
                self.prompt = format!(
                    "{}\n\nATTEMPT: {} of {}\n{feedback}Answer again, corrected, in the same format.",
                    self.base, self.attempt, self.max
                );
                None
            }
            Attempt::Failed { status, .. } => Some(Err(status)),
        }
    }
}

/// How one attempt at a stage ended.
enum Attempt<T> {
    Done(T),
    /// `retry`: what the next attempt is told, or `None` when no other answer could mend the failure.
    Failed {
        status: Status,
        retry: Option<String>,
    },
}

/// Ends a failed attempt: its evidence is kept and, with `retry`, the next attempt is told what the model answered
/// (`answer`, else the stage's artefact), why it failed, and how the last command ended.
fn failed<T>(
    stages: &mut Vec<StageEvidence>,
    st: StageEvidence,
    status: Status,
    retry: bool,
    answer: Option<&str>,
) -> Attempt<T> {
    let retry = retry.then(|| feedback(&st, answer.or(st.artefact.as_deref())));
    stages.push(st);
    Attempt::Failed { status, retry }
}

/// The part of a retry's prompt that says what went wrong: the previous answer, the failure, and the last command's
/// exit status and the end of its output (at most [`FEEDBACK_CHARS`]).
fn feedback(st: &StageEvidence, answer: Option<&str>) -> String {
    let mut s = format!(
        "Your previous answer (attempt {}) failed: {}.\n",
        st.attempt, st.note
    );
    if let Some(answer) = answer {
        s.push_str(&format!("It was:\n```\n{answer}"));
        if !answer.ends_with('\n') {
            s.push('\n');
        }
        s.push_str("```\n");
    }
    if let Some(run) = st.runs.last() {
        let r = &run.result;
        let mut output = String::new();
        for (name, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
            if !text.trim().is_empty() {
                output.push_str(&format!("[{name}]\n{}\n", text.trim_end()));
            }
        }
        let tail = haetae_eval::sandbox::tail(&output, FEEDBACK_CHARS);
        let cut = tail.len() < output.len();
        s.push_str(&format!(
            "The command `{}` ({}) ended: {}. {}:\n```\n{}{tail}```\n",
            run.command,
            run.name,
            r.ending(),
            if cut {
                "The end of its output"
            } else {
                "Its output"
            },
            if cut { "…\n" } else { "" },
        ));
    }
    s
}

/// Groups units into batches of at most `max_chars` of code (a larger unit goes alone).
fn batches(units: &[Unit], max_chars: usize) -> Vec<Vec<&Unit>> {
    let mut out: Vec<Vec<&Unit>> = Vec::new();
    let mut size = 0;
    for u in units {
        if out.is_empty() || size + u.text.len() > max_chars {
            out.push(Vec::new());
            size = 0;
        }
        size += u.text.len();
        if let Some(last) = out.last_mut() {
            last.push(u);
        }
    }
    out
}

fn find_prompt(batch: &[&Unit]) -> String {
    let mut s = String::from(
        "STAGE: find\nBelow are functions from one repository, each with its file and line numbers. Report the \
         security vulnerabilities you are confident about (memory safety, injection, path traversal, integer \
         overflow, …). Answer with JSON only:\n{\"findings\": [{\"file\": \"path\", \"start_line\": 1, \
         \"end_line\": 2, \"cwe\": \"CWE-787\", \"title\": \"short title\", \"reasoning\": \"why it is \
         exploitable\"}]}\nAnswer {\"findings\": []} when there is none.\n",
    );
    for u in batch {
        s.push_str(&format!(
            "\n### file {} ({}), {} (lines {}-{})\n{}",
            u.file,
            u.language.name(),
            u.name,
            u.start_line,
            u.end_line,
            numbered(u)
        ));
    }
    s
}

fn pov_prompt(c: &Candidate, unit: Option<&Unit>, config: &ProjectConfig) -> String {
    let how = match config.trigger {
        Trigger::Sanitizer => "It is compiled with AddressSanitizer and UndefinedBehaviorSanitizer. On the \
            vulnerable code it must make a sanitizer report the bug; once the bug is fixed it must run to the end \
            and exit 0."
            .to_owned(),
        Trigger::Marker => format!(
            "When it observes the vulnerable behaviour it prints {POV_MARKER} and exits 1; once the bug is fixed \
             it exits 0 without printing it."
        ),
    };
    let code = unit.map(numbered).unwrap_or_default();
    format!(
        "STAGE: pov\nCANDIDATE: {id}\nCandidate: {title} ({cwe}) in {file} lines {a}-{b}.\nReasoning: {why}\n\n\
         {code}\nWrite a proof of vulnerability: one complete {lang} program, saved as {pov_dir}/{pov_file} and run \
         from the repository root by:\n    {cmd}\n{imports}{how}\nAnswer with the program in one fenced code block.",
        imports = pov_imports(config),
        id = c.id,
        title = c.title,
        cwe = c.cwe,
        file = c.file,
        a = c.start_line,
        b = c.end_line,
        why = c.reasoning,
        lang = config.language.name(),
        pov_dir = POV_DIR,
        pov_file = config.pov_file,
        cmd = config.pov,
    )
}

/// How a default runner's PoV reaches the project's code, for the PoV prompt (nothing for a configured command,
/// which the prompt shows as it is).
fn pov_imports(config: &ProjectConfig) -> &'static str {
    if config.pov == RUST_POV_LIB || config.pov == RUST_POV_BIN {
        "It is compiled as a test module of the crate (`mod haetae_pov;` at the end of the crate root, src/lib.rs \
         or, for a binary crate, src/main.rs) and run with cargo test: write `use super::*;` (or `use \
         crate::module::item;`) and a #[test] function, with no `mod` around it; the crate root's private items \
         and everything pub(crate) are in reach. Print the marker with println! (the test runs with --nocapture) \
         and then fail (std::process::exit(1) or a panic); std::panic::catch_unwind turns a panic of the code under \
         test into something the PoV can observe.\n"
    } else if config.pov == GO_POV {
        "It is `package main` with a `main` function, run with go run from the module root: import the module's \
         packages by their import path (go.mod's module path, then the package's directory); only their exported \
         identifiers are in reach. A deferred recover() turns a panic of the code under test into something the \
         PoV can observe.\n"
    } else if config.pov == JS_POV {
        "Node loads it as it loads the project's .js files (an ES module when package.json says \"type\": \
         \"module\", else CommonJS): reach the project's code by paths relative to .haetae-pov/, e.g. \
         require('../lib/x') or import { f } from '../lib/x.js'.\n"
    } else if config.pov == TS_POV {
        "tsc emits it, with the project files it imports, as JavaScript beside them (CommonJS, or ES modules when \
         package.json says \"type\": \"module\"), and node runs .haetae-pov/pov.js: reach the project's code by \
         import paths relative to .haetae-pov/, e.g. import { f } from '../src/x' (in an ES-module package \
         '../src/x.js'); type errors do not stop it.\n"
    } else if crate::tsx::is_tsx_pov(&config.pov) {
        "tsc emits it (JSX with the project's JSX settings, shown in the command), with the project files it \
         imports, as JavaScript beside them, and node runs .haetae-pov/pov.js: reach the project's components by \
         import paths relative to .haetae-pov/, e.g. import { Note } from '../src/Note', render them as the \
         project does (its JSX runtime is installed in node_modules) and inspect the result; type errors do not \
         stop it.\n"
    } else if config.pov == JAVA_POV {
        "The project's non-test sources are compiled into .haetae-pov/classes first; write `public class Pov` in \
         the default package, with a main method, importing the project's classes by their package (import \
         com.example.Store;).\n"
    } else {
        ""
    }
}

fn patch_prompt(c: &Candidate, source: &str, pov: &str, pov_report: &str) -> String {
    format!(
        "STAGE: patch\nCANDIDATE: {id}\nThe vulnerability {title} ({cwe}) in {file} lines {a}-{b} is confirmed: \
         this PoV\n```\n{pov}```\nmade the program report:\n```\n{pov_report}\n```\nThe current {file}:\n```\n\
         {source}```\nWrite the smallest fix that keeps the behaviour the project's tests expect, as a unified diff \
         against {file} (headers `--- a/{file}` and `+++ b/{file}`), in one ```diff fenced block.",
        id = c.id,
        title = c.title,
        cwe = c.cwe,
        file = c.file,
        a = c.start_line,
        b = c.end_line,
    )
}

/// The PoV: the first fenced block, or the whole reply when it has none.
fn code_block(reply: &str) -> Option<String> {
    let block = fenced_blocks(reply).first().map(|b| (*b).to_owned());
    let code = block.unwrap_or_else(|| reply.to_owned());
    (!code.trim().is_empty()).then_some(code)
}

/// The diff: the first fenced block that looks like one, or the reply itself.
fn diff_block(reply: &str) -> Option<String> {
    let looks = |t: &str| t.contains("--- ") && t.contains("+++ ") && t.contains("@@");
    let d = fenced_blocks(reply)
        .into_iter()
        .find(|b| looks(b))
        .map(str::to_owned)
        .or_else(|| looks(reply).then(|| reply.to_owned()))?;
    Some(if d.ends_with('\n') {
        d
    } else {
        format!("{d}\n")
    })
}

/// The files a diff touches that a fix must leave alone: the tests that judge it (a path component named `test`,
/// `tests`, `testing`, or a file named `test*` / `*_test.*`) and `haetae-scan.toml`, which says how it is judged.
pub fn protected_paths(diff: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in diff.lines() {
        let Some(path) = line
            .strip_prefix("--- ")
            .or_else(|| line.strip_prefix("+++ "))
            .or_else(|| line.strip_prefix("diff --git "))
        else {
            continue;
        };
        for p in path.split_whitespace() {
            let p = p.trim_start_matches("a/").trim_start_matches("b/");
            if p == "/dev/null" || p.is_empty() {
                continue;
            }
            let parts: Vec<&str> = p.split('/').collect();
            let file = parts.last().copied().unwrap_or_default();
            let stem = file.split('.').next().unwrap_or_default();
            let protected = p == CONFIG_FILE
                || parts[..parts.len().saturating_sub(1)]
                    .iter()
                    .any(|d| matches!(*d, "test" | "tests" | "testing"))
                || file.starts_with("test")
                || stem.ends_with("_test");
            if protected && !out.iter().any(|o| o == p) {
                out.push(p.to_owned());
            }
        }
    }
    out
}

fn parse_candidates(reply: &str) -> Vec<Value> {
    let Some(v) = extract_json(reply) else {
        return Vec::new();
    };
    match v {
        Value::Array(a) => a,
        Value::Object(ref o) => o
            .get("findings")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Checks a raw candidate against the repository: a known file, a line range inside one of its units, a CWE.
/// Returns the candidate and, when it is invalid, why.
fn validate(raw: &Value, units: &[Unit]) -> (Candidate, Option<String>) {
    let s = |k: &str| {
        raw.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let n = |k: &str| raw.get(k).and_then(Value::as_u64).unwrap_or(0) as usize;
    let file = s("file").trim_start_matches("./").to_owned();
    let start_line = n("start_line");
    let end_line = n("end_line").max(start_line);
    let cwe = raw.get("cwe").and_then(normalise_cwe);
    let mut c = Candidate {
        id: String::new(),
        file,
        start_line,
        end_line,
        cwe: cwe.clone().unwrap_or_default(),
        title: s("title"),
        reasoning: s("reasoning"),
        unit: String::new(),
    };
    c.id = candidate_id(&c.file, c.start_line, &c.cwe);
    if cwe.is_none() {
        return (c, Some("the candidate has no CWE".into()));
    }
    let Some(unit) = units
        .iter()
        .find(|u| u.file == c.file && u.start_line <= c.start_line && c.start_line <= u.end_line)
    else {
        return (
            c,
            Some(
                "the candidate's file and start line are not in any unit of the repository".into(),
            ),
        );
    };
    c.end_line = c.end_line.min(unit.end_line);
    c.unit = unit.name.clone();
    (c, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn unit() -> Unit {
        Unit {
            file: "src/a.c".into(),
            language: Language::C,
            name: "f".into(),
            start_line: 3,
            end_line: 9,
            text: "int f(void) {\n}\n".into(),
        }
    }

    #[test]
    fn cwe_forms_normalise() {
        assert_eq!(normalise_cwe(&json!("CWE-787")).as_deref(), Some("CWE-787"));
        assert_eq!(normalise_cwe(&json!("cwe 121")).as_deref(), Some("CWE-121"));
        assert_eq!(normalise_cwe(&json!(190)).as_deref(), Some("CWE-190"));
        assert_eq!(normalise_cwe(&json!("none")), None);
        assert_eq!(normalise_cwe(&json!(0)), None);
    }

    #[test]
    fn candidates_are_checked_against_the_units() {
        let units = vec![unit()];
        let (ok, why) = validate(
            &json!({"file": "./src/a.c", "start_line": 4, "end_line": 40, "cwe": "CWE-787", "title": "t"}),
            &units,
        );
        assert_eq!(why, None);
        assert_eq!(
            (ok.file.as_str(), ok.end_line, ok.unit.as_str()),
            ("src/a.c", 9, "f")
        );
        assert_eq!(ok.id, candidate_id("src/a.c", 4, "CWE-787"));
        let (_, why) = validate(
            &json!({"file": "src/b.c", "start_line": 4, "cwe": 787}),
            &units,
        );
        assert!(why.unwrap().contains("not in any unit"));
        let (_, why) = validate(&json!({"file": "src/a.c", "start_line": 4}), &units);
        assert!(why.unwrap().contains("no CWE"));
    }

    #[test]
    fn the_same_location_and_cwe_share_an_id_and_others_do_not() {
        assert_eq!(
            candidate_id("a.c", 3, "CWE-787"),
            candidate_id("a.c", 3, "CWE-787")
        );
        assert_ne!(
            candidate_id("a.c", 3, "CWE-787"),
            candidate_id("a.c", 3, "CWE-190")
        );
        assert_ne!(
            candidate_id("a.c", 3, "CWE-787"),
            candidate_id("a.c", 4, "CWE-787")
        );
    }

    #[test]
    fn without_node_or_a_jdk_defaults_run_povs_for_c_cpp_and_python_only() {
        let root = Path::new("/nonexistent");
        let none = Toolchains::default();
        for l in Language::ALL {
            let config = ProjectConfig::default_for(l, root, &none);
            assert_eq!(config.language, l);
            let runs = matches!(l, Language::C | Language::Cpp | Language::Python);
            assert_eq!(config.can_run_pov(), runs, "{}", l.name());
        }
        let cpp = ProjectConfig::default_for(Language::Cpp, root, &none);
        assert_eq!(cpp.trigger, Trigger::Sanitizer);
        assert!(
            cpp.pov.contains("c++ -fsanitize=address,undefined") && cpp.pov.contains("'*.cpp'")
        );
        // A configuration names any language and can give it a runner.
        let go: ProjectConfig = toml::from_str(
            "language = \"go\"\npov_file = \"pov.go\"\npov = \"go run ./.haetae-pov\"\ntrigger = \"marker\"\n",
        )
        .unwrap();
        assert_eq!((go.language, go.can_run_pov()), (Language::Go, true));
    }

    #[test]
    fn other_languages_get_their_section_or_their_defaults() {
        let root = Path::new("/nonexistent");
        let none = Toolchains::default();
        let config: ProjectConfig = toml::from_str(
            "language = \"c\"\nbuild = \"make\"\ntest = \"make test\"\npov_file = \"pov.c\"\n\
             pov = \"cc pov.c\"\ntrigger = \"sanitizer\"\n\
             [languages.go]\npov_file = \"pov.go\"\npov = \"go run ./.haetae-pov\"\ntrigger = \"marker\"\n\
             [languages.python]\ntest = \"pytest -q\"\npov_file = \"pov.py\"\npov = \"python3 .haetae-pov/pov.py\"\n\
             trigger = \"marker\"\n",
        )
        .unwrap();
        // C++ shares C's headers: the top level serves both.
        assert_eq!(config.for_language(Language::Cpp, root, &none), config);
        assert_eq!(config.for_language(Language::C, root, &none), config);
        // A section: its PoV, the project's build and tests unless it names its own.
        let go = config.for_language(Language::Go, root, &none);
        assert_eq!(
            (
                go.language,
                go.pov.as_str(),
                go.build.as_str(),
                go.test.as_str()
            ),
            (Language::Go, "go run ./.haetae-pov", "make", "make test")
        );
        assert_eq!(go.trigger, Trigger::Marker);
        assert_eq!(
            config.for_language(Language::Python, root, &none).test,
            "pytest -q"
        );
        // No section: the language's defaults, never the C PoV command (a Java candidate has no runner).
        assert_eq!(
            config.for_language(Language::Java, root, &none),
            ProjectConfig::default_for(Language::Java, root, &none)
        );
        assert!(
            !config
                .for_language(Language::Java, root, &none)
                .can_run_pov()
        );
        // Without the file, the main language's defaults reach other languages' defaults the same way.
        let py = ProjectConfig::default_for(Language::C, root, &none).for_language(
            Language::Python,
            root,
            &none,
        );
        assert_eq!(
            py,
            ProjectConfig::default_for(Language::Python, root, &none)
        );
        // A report shows no empty `languages` table.
        let json =
            serde_json::to_value(ProjectConfig::default_for(Language::C, root, &none)).unwrap();
        assert!(json.get("languages").is_none());
        // Sections are checked like the top level.
        for bad in [
            "[languages.go]\npov_file = \"../x.go\"\npov = \"go run .\"\ntrigger = \"marker\"\n",
            "[languages.go]\npov_file = \"pov.go\"\npov = \"go run .\"\ntrigger = \"marker\"\nlanguage = \"go\"\n",
            "[languages.cobol]\npov_file = \"pov.cob\"\npov = \"x\"\ntrigger = \"marker\"\n",
        ] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(
                dir.path().join(CONFIG_FILE),
                format!(
                    "language = \"c\"\npov_file = \"pov.c\"\npov = \"cc\"\ntrigger = \"sanitizer\"\n{bad}"
                ),
            )
            .unwrap();
            let err = ProjectConfig::load(dir.path(), &Split::default(), &Toolchains::default())
                .unwrap_err();
            assert!(err.to_string().contains(CONFIG_FILE), "{err}");
        }
    }

    #[test]
    fn node_and_a_jdk_in_the_sandbox_give_javascript_and_java_default_runners() {
        let root = Path::new("/nonexistent");
        let all = Toolchains::assume(crate::toolchain::PROGRAMS);
        for l in Language::ALL {
            let runs = !matches!(l, Language::Tsx | Language::Go | Language::Rust);
            assert_eq!(
                ProjectConfig::default_for(l, root, &all).can_run_pov(),
                runs,
                "{}",
                l.name()
            );
        }
        let js = ProjectConfig::default_for(Language::JavaScript, root, &all);
        assert_eq!(
            (
                js.pov_file.as_str(),
                js.pov.as_str(),
                js.trigger,
                js.build.as_str()
            ),
            ("pov.js", JS_POV, Trigger::Marker, "")
        );
        // No package.json: no test command.
        assert_eq!(js.test, "");
        let java = ProjectConfig::default_for(Language::Java, root, &all);
        assert_eq!(
            (
                java.pov_file.as_str(),
                java.pov.as_str(),
                java.build.as_str()
            ),
            ("Pov.java", JAVA_POV, JAVA_BUILD)
        );
        assert!(java.pov.ends_with("java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -cp .haetae-pov/classes Pov"));
        assert!(
            java.build
                .contains("-not -name 'Test[A-Z]*.java' | sed 's/.*/\"&\"/' >")
        );
        // Each needs its whole toolchain: node alone gives Java nothing, a JRE without javac neither.
        let node = Toolchains::assume(&["node"]);
        assert!(ProjectConfig::default_for(Language::JavaScript, root, &node).can_run_pov());
        assert!(!ProjectConfig::default_for(Language::Java, root, &node).can_run_pov());
        // TypeScript: node and a global tsc, the PoV emitted beside the sources and run by node.
        assert!(!ProjectConfig::default_for(Language::TypeScript, root, &node).can_run_pov());
        let ts = ProjectConfig::default_for(Language::TypeScript, root, &all);
        assert_eq!((ts.pov_file.as_str(), ts.pov.as_str()), ("pov.ts", TS_POV));
        let jre = Toolchains::assume(&["node", "java"]);
        assert!(!ProjectConfig::default_for(Language::Java, root, &jre).can_run_pov());
        // A configuration for C leaves a JavaScript candidate to the defaults, so it gets node's runner.
        let c: ProjectConfig = toml::from_str(
            "language = \"c\"\npov_file = \"pov.c\"\npov = \"cc pov.c\"\ntrigger = \"sanitizer\"\n",
        )
        .unwrap();
        assert!(c.configures(Language::Cpp) && !c.configures(Language::JavaScript));
        assert_eq!(c.for_language(Language::JavaScript, root, &all).pov, JS_POV);
        // The PoV prompt says how the PoV reaches the project's code.
        let cand = Candidate {
            id: "HS-1".into(),
            file: "lib/a.js".into(),
            start_line: 1,
            end_line: 2,
            cwe: "CWE-22".into(),
            title: "t".into(),
            reasoning: "r".into(),
            unit: "f".into(),
        };
        assert!(pov_prompt(&cand, None, &js).contains("require('../lib/x')"));
        assert!(pov_prompt(&cand, None, &java).contains("import com.example.Store;"));
        assert!(!pov_prompt(&cand, None, &c).contains(".haetae-pov/classes"));
    }

    #[test]
    fn go_and_rust_get_default_runners_for_a_module_or_crate_the_offline_sandbox_can_build() {
        let all = Toolchains::assume(crate::toolchain::PROGRAMS);
        let write = |files: &[(&str, &str)]| crate::scripted::write_repo(files).unwrap();
        let commands =
            |c: &ProjectConfig| [&c.build, &c.test, &c.pov, &c.pov_file].map(|s| s.clone());
        let reason = |l: Language, root: &Path| crate::toolchain::no_runner_reason(l, root, &all);

        // Go: a module without requirements, its tests where it has _test.go files.
        let go = write(&[
            ("go.mod", "module example.com/m\n\ngo 1.19\n"),
            ("a/a.go", "package a\n"),
        ]);
        let config = ProjectConfig::default_for(Language::Go, go.path(), &all);
        assert_eq!(commands(&config), [GO_BUILD, "", GO_POV, "pov.go"]);
        assert_eq!(
            no_tests_reason(
                &config,
                go.path(),
                &Origin {
                    from_file: false,
                    tools: &all
                }
            ),
            "the module has no _test.go files"
        );
        std::fs::write(go.path().join("a/a_test.go"), "package a\n").unwrap();
        assert_eq!(
            ProjectConfig::default_for(Language::Go, go.path(), &all).test,
            GO_TEST
        );
        // Without go in the sandbox: no runner, and the note says go is missing.
        assert!(
            !ProjectConfig::default_for(Language::Go, go.path(), &Toolchains::default())
                .can_run_pov()
        );
        // Requirements the sandbox cannot fetch, unless vendored.
        let req = write(&[(
            "go.mod",
            "module m\n\nrequire (\n\tgolang.org/x/text v0.3.0\n)\n",
        )]);
        assert!(!ProjectConfig::default_for(Language::Go, req.path(), &all).can_run_pov());
        assert!(
            reason(Language::Go, req.path()).contains("cannot fetch"),
            "{}",
            reason(Language::Go, req.path())
        );
        let one = write(&[
            ("go.mod", "module m\nrequire golang.org/x/text v0.3.0\n"),
            ("vendor/modules.txt", ""),
        ]);
        assert!(ProjectConfig::default_for(Language::Go, one.path(), &all).can_run_pov());
        assert_eq!(
            go_module(Path::new("/nonexistent")),
            Err("no go.mod at the repository root".into())
        );

        // Rust: a package with path dependencies only; a library's PoV is a test module of src/lib.rs.
        let manifest = "[package]\nname = \"m\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";
        let lib = write(&[
            (
                "Cargo.toml",
                &format!("{manifest}[dependencies]\nlocal = {{ path = \"local\" }}\n"),
            ),
            ("src/lib.rs", "pub fn f() {}\n"),
        ]);
        let config = ProjectConfig::default_for(Language::Rust, lib.path(), &all);
        assert_eq!(commands(&config), [RUST_BUILD, "", RUST_POV_LIB, "pov.rs"]);
        assert!(RUST_POV_LIB.starts_with(
            "printf '\\n#[cfg(test)]\\n#[path = \"../.haetae-pov/pov.rs\"]\\nmod haetae_pov;\\n' >> src/lib.rs && \
             cargo test --offline --quiet --lib haetae_pov:: -- --nocapture"
        ));
        assert!(
            no_tests_reason(
                &config,
                lib.path(),
                &Origin {
                    from_file: false,
                    tools: &all
                }
            )
            .contains("no tests")
        );
        std::fs::write(
            lib.path().join("src/lib.rs"),
            "#[cfg(test)]\nmod t {\n    #[test]\n    fn a() {}\n}\n",
        )
        .unwrap();
        assert_eq!(
            ProjectConfig::default_for(Language::Rust, lib.path(), &all).test,
            RUST_TEST
        );
        let bin = write(&[
            ("Cargo.toml", manifest),
            ("src/main.rs", "fn main() {}\n"),
            ("tests/t.rs", ""),
        ]);
        let config = ProjectConfig::default_for(Language::Rust, bin.path(), &all);
        assert_eq!(
            (config.pov.as_str(), config.test.as_str()),
            (RUST_POV_BIN, RUST_TEST)
        );
        assert!(
            RUST_POV_BIN
                .contains(">> src/main.rs && cargo test --offline --quiet --bins haetae_pov::")
        );
        // What the offline sandbox cannot build has no runner, and the note says why.
        for (files, why) in [
            (
                vec![(
                    "Cargo.toml",
                    format!("{manifest}[dev-dependencies]\nproptest = \"1\"\n"),
                )],
                "depends on proptest",
            ),
            (
                vec![(
                    "Cargo.toml",
                    format!("{manifest}[target.'cfg(unix)'.dependencies]\nlibc = \"0.2\"\n"),
                )],
                "depends on libc",
            ),
            (
                vec![("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n".to_owned())],
                "no [package]",
            ),
            (
                vec![("Cargo.toml", manifest.to_owned())],
                "no src/lib.rs or src/main.rs",
            ),
            (vec![("Cargo.toml", "[package".to_owned())], "not TOML"),
        ] {
            let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
            let dir = write(&files);
            assert!(
                !ProjectConfig::default_for(Language::Rust, dir.path(), &all).can_run_pov(),
                "{why}"
            );
            assert!(
                reason(Language::Rust, dir.path()).contains(why),
                "{}",
                reason(Language::Rust, dir.path())
            );
        }
        // Vendored through .cargo/config.toml: built as it is.
        let vendored = write(&[
            (
                "Cargo.toml",
                &format!("{manifest}[dependencies]\nlibc = \"0.2\"\n"),
            ),
            ("src/lib.rs", ""),
            (
                ".cargo/config.toml",
                "[source.crates-io]\nreplace-with = \"vendored-sources\"\n",
            ),
        ]);
        assert!(ProjectConfig::default_for(Language::Rust, vendored.path(), &all).can_run_pov());
        // cargo alone (a rustup proxy) is not a toolchain.
        assert!(
            !ProjectConfig::default_for(
                Language::Rust,
                lib.path(),
                &Toolchains::assume(&["cargo"])
            )
            .can_run_pov()
        );

        // The PoV prompt says how the PoV reaches the project's code.
        let cand = Candidate {
            id: "HS-1".into(),
            file: "src/lib.rs".into(),
            start_line: 1,
            end_line: 2,
            cwe: "CWE-129".into(),
            title: "t".into(),
            reasoning: "r".into(),
            unit: "f".into(),
        };
        let rust = ProjectConfig::default_for(Language::Rust, lib.path(), &all);
        assert!(pov_prompt(&cand, None, &rust).contains("use super::*;"));
        let go = ProjectConfig::default_for(Language::Go, go.path(), &all);
        assert!(pov_prompt(&cand, None, &go).contains("go.mod's module path"));
    }

    #[test]
    fn a_find_reply_is_kept_whole_or_its_beginning_with_its_length() {
        let reply = |text: String| Reply {
            text,
            record: CallRecord {
                stage: "find".into(),
                ledger_index: Some(7),
                ..CallRecord::default()
            },
        };
        let short = FindEvidence::new(&reply("Flagged: strcpy.\n{\"findings\": []}".into()));
        assert_eq!(
            (
                short.reply.as_str(),
                short.reply_chars,
                short.reply_truncated,
                short.call.ledger_index
            ),
            ("Flagged: strcpy.\n{\"findings\": []}", 33, false, Some(7))
        );
        // Characters, not bytes: a long Korean reply is cut at a character boundary.
        let long = FindEvidence::new(&reply("취약".repeat(FIND_REPLY_CHARS)));
        assert_eq!(
            (
                long.reply.chars().count(),
                long.reply_chars,
                long.reply_truncated
            ),
            (FIND_REPLY_CHARS, 2 * FIND_REPLY_CHARS, true)
        );
        assert!(long.reply.starts_with("취약"));
        let exact = FindEvidence::new(&reply("x".repeat(FIND_REPLY_CHARS)));
        assert!(!exact.reply_truncated);
        // Older reports, without it, still read.
        let mut v = serde_json::to_value(CandidateReport {
            candidate: Candidate {
                id: "HS-1".into(),
                file: "a.c".into(),
                start_line: 1,
                end_line: 1,
                cwe: "CWE-1".into(),
                title: "t".into(),
                reasoning: "r".into(),
                unit: "f".into(),
            },
            status: Status::Invalid,
            find: Some(short),
            stages: vec![stage("find", 1)],
        })
        .unwrap();
        assert_eq!(v["find"]["reply_chars"], 33);
        assert!(v["stages"][0].get("gateway_retries").is_none());
        v.as_object_mut().unwrap().remove("find");
        let old: CandidateReport = serde_json::from_value(v).unwrap();
        assert_eq!(old.find, None);
    }

    #[test]
    fn a_call_without_a_reply_says_whether_it_was_retried() {
        let note = |e: ScanError| call_failure_note(&e, 3);
        assert!(
            note(ScanError::Unavailable("pov: HTTP 503".into()))
                .starts_with("no answer from the gateway after 3 calls")
        );
        assert!(
            note(ScanError::RateLimited("pov: HTTP 429".into()))
                .contains("quota, not retried: gateway rate limit: pov: HTTP 429")
        );
        assert!(
            note(ScanError::Gateway("pov: HTTP 403 Forbidden: denied".into()))
                .starts_with("refused or unusable, not retried: gateway: pov: HTTP 403")
        );
        assert!(
            note(ScanError::Budget("pov: over".into())).contains("budget is spent, not retried")
        );
    }

    /// The Java test-source rule is written three times — `find` expressions for the build and the tests, and
    /// [`is_java_test`] — and they must split a tree the same way.
    #[test]
    fn the_three_forms_of_the_java_test_rule_agree() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let paths = [
            "src/main/java/p/Shelf.java",
            "src/main/java/p/Testimony.java",
            "src/main/java/p/Tester.java",
            "src/main/java/p/LatestTest.java",
            "src/main/java/p/ShelfTests.java",
            "src/main/java/p/TestShelf.java",
            "src/main/java/p/Test.java",
            "src/main/java/p/test.java",
            "src/test/java/p/Helper.java",
            "tests/Helper.java",
            "contest/Helper.java",
            "testing/Helper.java",
            "lib/testdata/Helper.java",
            "Main.java",
        ];
        for rel in paths {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "class X {}\n").unwrap();
        }
        let found = |expression: &str| -> std::collections::BTreeSet<String> {
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("find . -name '*.java' {expression}"))
                .current_dir(root)
                .output()
                .unwrap();
            assert!(out.status.success(), "{out:?}");
            String::from_utf8(out.stdout)
                .unwrap()
                .lines()
                .map(|l| l.trim_start_matches("./").to_string())
                .collect()
        };
        let tests = found(JAVA_TEST_SOURCES);
        // The build's own `find`, up to the list it writes.
        let build_find = JAVA_BUILD
            .split_once("find . -name '*.java'")
            .and_then(|(_, rest)| rest.split_once('|'))
            .map(|(expression, _)| expression.replace("-not -path './.haetae-pov/*'", ""))
            .unwrap();
        let sources = found(&build_find);
        for rel in paths {
            let is_test = is_java_test(root, &root.join(rel));
            assert_eq!(tests.contains(rel), is_test, "{rel}: JAVA_TEST_SOURCES");
            assert_eq!(sources.contains(rel), !is_test, "{rel}: JAVA_BUILD");
        }
        assert!(tests.contains("src/test/java/p/Helper.java") && sources.contains("Main.java"));
    }

    #[test]
    fn java_tests_need_test_sources_and_junit_and_put_junit4_on_the_path_where_found() {
        use crate::toolchain::FILES;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let junit = Toolchains::assume(&[JUNIT_CONSOLE]);
        let write = |rel: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "class X {}\n").unwrap();
        };
        write("src/main/java/p/Shelf.java");
        // A name that only looks like a test's (`Testing…` is not `Test` + a capital) is not one.
        write("src/main/java/p/Testimony.java");
        assert!(
            java_tests(root, &junit)
                .unwrap_err()
                .contains("no test sources")
        );
        for (rel, is_test) in [
            ("src/test/java/p/Helper.java", true),
            ("lib/ShelfTest.java", true),
            ("lib/ShelfTests.java", true),
            ("lib/TestShelf.java", true),
        ] {
            write(rel);
            assert_eq!(java_tests(root, &junit).is_ok(), is_test, "{rel}");
            std::fs::remove_file(root.join(rel)).unwrap();
        }
        write("src/test/java/p/ShelfTest.java");
        let without = java_tests(root, &Toolchains::default()).unwrap_err();
        assert!(without.contains("JUnit is not in the sandbox"), "{without}");
        let command = java_tests(root, &junit).unwrap();
        assert!(
            command.contains(&format!("-jar '{JUNIT_CONSOLE}'")),
            "{command}"
        );
        assert!(
            command.contains("--fail-if-no-tests")
                && command.contains("--scan-class-path .haetae-pov/test-classes")
        );
        assert!(!command.contains("junit4.jar"), "{command}");
        // With JUnit 4 found too, it is on both class paths (compile and run).
        let all = Toolchains::assume(FILES);
        let command = java_tests(root, &all).unwrap();
        assert_eq!(command.matches(JUNIT4_JARS[0]).count(), 2, "{command}");
        // The default takes it, and the reason for none names what is missing.
        let tools = Toolchains::assume(&["javac", "java", JUNIT_CONSOLE]);
        assert_eq!(
            ProjectConfig::default_for(Language::Java, root, &tools).test,
            java_tests(root, &tools).unwrap()
        );
        assert_eq!(
            ProjectConfig::default_for(
                Language::Java,
                root,
                &Toolchains::assume(&["javac", "java"])
            )
            .test,
            ""
        );
    }

    #[test]
    fn npm_test_runs_only_a_real_test_script_that_can_run_offline() {
        let all = Toolchains::assume(crate::toolchain::PROGRAMS);
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let with = |json: &str| {
            std::fs::write(root.join("package.json"), json).unwrap();
            npm_test(root, &all)
        };
        assert_eq!(npm_test(root, &all), Err("no package.json".into()));
        assert!(with("{").unwrap_err().contains("not JSON"));
        assert!(
            with(r#"{"name": "x"}"#)
                .unwrap_err()
                .contains("no test script")
        );
        // npm init's placeholder fails on purpose.
        let placeholder = r#"{"scripts": {"test": "echo \"Error: no test specified\" && exit 1"}}"#;
        assert!(with(placeholder).unwrap_err().contains("no test script"));
        assert_eq!(
            with(r#"{"scripts": {"test": "node --test"}}"#).as_deref(),
            Ok(NPM_TEST)
        );
        let deps = r#"{"scripts": {"test": "mocha"}, "devDependencies": {"mocha": "^10"}}"#;
        assert!(with(deps).unwrap_err().contains("no node_modules"));
        std::fs::create_dir(root.join("node_modules")).unwrap();
        assert_eq!(with(deps).as_deref(), Ok(NPM_TEST));
        assert!(
            npm_test(root, &Toolchains::assume(&["node"]))
                .unwrap_err()
                .contains("npm is not")
        );
        // The default configuration takes it, or none.
        assert_eq!(
            ProjectConfig::default_for(Language::JavaScript, root, &all).test,
            NPM_TEST
        );
        assert_eq!(
            ProjectConfig::default_for(Language::JavaScript, root, &Toolchains::assume(&["node"]))
                .test,
            ""
        );
    }

    #[test]
    fn the_main_language_picks_the_defaults() {
        let mut split = Split::default();
        for (i, l) in [Language::Go, Language::Go, Language::C]
            .into_iter()
            .enumerate()
        {
            split.units.push(Unit {
                language: l,
                name: format!("f{i}"),
                ..unit()
            });
        }
        let config =
            ProjectConfig::load(Path::new("/nonexistent"), &split, &Toolchains::default()).unwrap();
        assert_eq!(config.language, Language::Go);
        assert!(!config.can_run_pov());
        assert!(
            ProjectConfig::load(
                Path::new("/nonexistent"),
                &Split::default(),
                &Toolchains::default()
            )
            .is_err()
        );
    }

    #[test]
    fn sanitizer_trigger_needs_a_report_not_a_startup_failure() {
        let config = ProjectConfig::default_for(
            Language::C,
            Path::new("/nonexistent"),
            &Toolchains::default(),
        );
        let run = |stderr: &str| ExecResult {
            exit_code: Some(1),
            signal: None,
            timed_out: false,
            stdout: String::new(),
            stderr: stderr.into(),
            duration_ms: 1,
            isolation: haetae_eval::sandbox::Isolation::RlimitsOnly,
        };
        assert!(config.triggered(&run(
            "==1==ERROR: AddressSanitizer: stack-buffer-overflow on address"
        )));
        assert!(!config.triggered(&run(
            "==1==ERROR: AddressSanitizer failed to allocate 0x10 bytes"
        )));
        assert!(!config.triggered(&run("segmentation fault")));
    }

    #[test]
    fn a_retry_is_told_the_answer_the_failure_and_the_end_of_the_output() {
        let mut st = stage("reproduce", 1);
        st.note = "the PoV did not trigger on the unpatched code".into();
        st.artefact = Some("int main(void) { return 0; }".into());
        let result = |stdout: String, stderr: String| ExecResult {
            exit_code: Some(1),
            signal: None,
            timed_out: false,
            stdout,
            stderr,
            duration_ms: 1,
            isolation: haetae_eval::sandbox::Isolation::RlimitsOnly,
        };
        st.runs.push(Run {
            name: "pov (unpatched)".into(),
            command: "cc pov.c && ./pov".into(),
            result: result(
                "x".repeat(5_000),
                format!("{}\nlast line\n", "é".repeat(3_000)),
            ),
        });
        let f = feedback(&st, st.artefact.as_deref());
        assert!(f.starts_with(
            "Your previous answer (attempt 1) failed: the PoV did not trigger on the unpatched code.\nIt was:\n```\n\
             int main(void) { return 0; }\n```\n"
        ));
        assert!(f.contains(
            "The command `cc pov.c && ./pov` (pov (unpatched)) ended: exit 1. The end of its output:\n```\n…\n"
        ));
        // The end of the output, bounded (characters, not bytes: the cut falls inside multi-byte text).
        assert!(f.ends_with("é\nlast line\n```\n"), "{f}");
        assert!(!f.contains("[stdout]") && f.chars().count() < FEEDBACK_CHARS + 300);
        // Short output goes whole; a kill is said as such.
        st.runs[0].result = ExecResult {
            timed_out: true,
            exit_code: None,
            ..result("out".into(), "err".into())
        };
        let f = feedback(&st, None);
        assert!(!f.contains("It was"));
        assert!(
            f.ends_with("ended: killed at the wall-time limit. Its output:\n```\n[stdout]\nout\n[stderr]\nerr\n```\n"),
            "{f}"
        );
    }

    #[test]
    fn retries_stop_at_success_at_a_failure_no_retry_mends_and_at_the_last_attempt() {
        let failed = |retry: Option<&str>| Attempt::<()>::Failed {
            status: Status::NotReproduced,
            retry: retry.map(str::to_owned),
        };
        let mut r = Retries::new(3, "BASE");
        assert_eq!((r.attempt, r.prompt.as_str()), (1, "BASE"));
        assert_eq!(r.after(failed(Some("why 1\n"))), None);
        assert_eq!(r.attempt, 2);
        assert_eq!(
            r.prompt,
            "BASE\n\nATTEMPT: 2 of 3\nwhy 1\nAnswer again, corrected, in the same format."
        );
        assert_eq!(r.after(failed(Some("why 2\n"))), None);
        assert!(r.prompt.contains("ATTEMPT: 3 of 3\nwhy 2\n") && !r.prompt.contains("why 1"));
        assert_eq!(
            r.after(failed(Some("why 3\n"))),
            Some(Err(Status::NotReproduced))
        );
        let mut r = Retries::new(3, "BASE");
        assert_eq!(r.after(failed(None)), Some(Err(Status::NotReproduced)));
        let mut r = Retries::new(0, "BASE");
        assert_eq!(r.after(Attempt::Done(())), Some(Ok(())));
        let mut r = Retries::new(0, "BASE");
        assert_eq!(
            r.after(failed(Some("why"))),
            Some(Err(Status::NotReproduced))
        );
    }

    #[test]
    fn diffs_and_programs_are_taken_from_fences() {
        let r = "Fix:\n```diff\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n```\n";
        assert_eq!(
            diff_block(r).as_deref(),
            Some("--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n")
        );
        assert_eq!(diff_block("no diff here"), None);
        assert_eq!(
            code_block("```c\nint main(){}\n```").as_deref(),
            Some("int main(){}\n")
        );
    }

    #[test]
    fn diffs_that_touch_tests_or_the_scan_configuration_are_flagged() {
        let fix = "--- a/src/greet.c\n+++ b/src/greet.c\n@@ -1 +1 @@\n-a\n+b\n";
        assert!(protected_paths(fix).is_empty());
        let cheat = "diff --git a/test_greet.c b/test_greet.c\n--- a/test_greet.c\n+++ b/test_greet.c\n@@ -1 +1 @@\n\
                     -a\n+b\n--- a/tests/unit/x.py\n+++ b/tests/unit/x.py\n--- a/haetae-scan.toml\n\
                     +++ b/haetae-scan.toml\n--- a/pkg/store_test.go\n+++ /dev/null\n";
        assert_eq!(
            protected_paths(cheat),
            vec![
                "test_greet.c",
                "tests/unit/x.py",
                "haetae-scan.toml",
                "pkg/store_test.go"
            ]
        );
    }

    #[test]
    fn batches_respect_the_size() {
        let mut a = unit();
        a.text = "x".repeat(60);
        let units = vec![a.clone(), a.clone(), a];
        let b = batches(&units, 130);
        assert_eq!(b.iter().map(Vec::len).collect::<Vec<_>>(), vec![2, 1]);
    }
}
