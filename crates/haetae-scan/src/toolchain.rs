//! Which toolchains the default PoV runners can count on. They are found when a scan starts by asking the sandbox
//! itself (`command -v` under its PATH, cleared environment and user), so a default is offered only where its
//! commands will run: a language whose toolchain is missing ends `no_pov_runner`, never `not_reproduced` from a
//! command that could not start.

use std::collections::BTreeMap;
use std::path::Path;

use haetae_eval::sandbox::{Sandbox, SandboxLimits};
use serde::{Deserialize, Serialize};

use crate::Result;
use crate::units::Language;

/// The programs the default runners use (`npm` only for a JavaScript project's tests).
pub const PROGRAMS: &[&str] = &[
    "node", "npm", "tsc", "javac", "java", "go", "cargo", "rustc",
];

/// The JUnit Platform's console launcher (a standalone jar: JUnit 5's Jupiter and JUnit 4's Vintage engines with
/// the platform), where Debian's `junit5` package puts it. With it Java projects' tests run by default.
pub const JUNIT_CONSOLE: &str = "/usr/share/java/junit-platform-console-standalone.jar";
/// JUnit 4 and the Hamcrest matchers it uses (Debian's `junit4`, a dependency of `junit5`): on the class path of
/// Java tests when found, so JUnit 4 tests compile and run on the Vintage engine.
pub const JUNIT4_JARS: &[&str] = &[JUNIT4, HAMCREST_CORE];
const JUNIT4: &str = "/usr/share/java/junit4.jar";
const HAMCREST_CORE: &str = "/usr/share/java/hamcrest-core.jar";

/// Files the default runners use (not programs: nothing on PATH names them), looked up by absolute path.
pub const FILES: &[&str] = &[JUNIT_CONSOLE, JUNIT4, HAMCREST_CORE];

/// The programs and files found in the sandbox: programs by name, files by their absolute path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Toolchains {
    /// Program name (or a file's absolute path) → its path in the sandbox.
    pub found: BTreeMap<String, String>,
}

impl Toolchains {
    /// Looks up [`PROGRAMS`] and [`FILES`] in a sandbox with these limits.
    pub async fn detect(limits: SandboxLimits) -> Result<Toolchains> {
        Toolchains::probe(PROGRAMS, FILES, limits).await
    }

    /// Looks up `programs` on the sandbox's PATH and whether it can read `files` (absolute paths), in a sandbox
    /// with these limits. Names other than `[A-Za-z0-9_-]+` and paths other than `/[A-Za-z0-9_./-]+` are not
    /// looked up: they go into a shell command.
    pub async fn probe(
        programs: &[&str],
        files: &[&str],
        limits: SandboxLimits,
    ) -> Result<Toolchains> {
        let plain = |s: &str, extra: &[char]| {
            !s.is_empty()
                && s.chars().all(|c| {
                    c.is_ascii_alphanumeric() || c == '-' || c == '_' || extra.contains(&c)
                })
        };
        let names: Vec<&str> = programs.iter().copied().filter(|p| plain(p, &[])).collect();
        let paths: Vec<&str> = files
            .iter()
            .copied()
            .filter(|f| f.starts_with('/') && !f.contains("..") && plain(f, &['/', '.']))
            .collect();
        if names.is_empty() && paths.is_empty() {
            return Ok(Toolchains::default());
        }
        let sb = Sandbox::new(limits)?;
        // One `command -v` or `test -r` each: a missing one prints nothing, and its status must not hide the
        // others.
        let script: Vec<String> = names
            .iter()
            .map(|p| format!("command -v {p} || true"))
            .chain(
                paths
                    .iter()
                    .map(|f| format!("if test -r {f}; then echo {f}; fi")),
            )
            .collect();
        let run = sb.exec(&script.join("; ")).await?;
        let mut found = Toolchains::parse(&names, &run.stdout);
        for line in run.stdout.lines().map(str::trim) {
            if paths.contains(&line) {
                found.found.insert(line.to_owned(), line.to_owned());
            }
        }
        Ok(found)
    }

    /// Reads `command -v`'s output: a program counts only as an absolute path whose file name is one of
    /// `programs` (a shell builtin or alias of that name prints no path and runs no toolchain).
    pub fn parse(programs: &[&str], stdout: &str) -> Toolchains {
        let mut found = BTreeMap::new();
        for line in stdout.lines().map(str::trim) {
            if !line.starts_with('/') {
                continue;
            }
            let name = line.rsplit('/').next().unwrap_or_default();
            if programs.contains(&name) {
                found
                    .entry(name.to_owned())
                    .or_insert_with(|| line.to_owned());
            }
        }
        Toolchains { found }
    }

    /// Toolchains as if these programs (by name) and files (by absolute path) were found (for tests and for
    /// callers that know better).
    pub fn assume(programs: &[&str]) -> Toolchains {
        Toolchains {
            found: programs
                .iter()
                .map(|p| {
                    let path = if p.starts_with('/') {
                        (*p).to_owned()
                    } else {
                        format!("/usr/bin/{p}")
                    };
                    ((*p).to_owned(), path)
                })
                .collect(),
        }
    }

    pub fn has(&self, program: &str) -> bool {
        self.found.contains_key(program)
    }

    /// The programs the default runner for `language` needs that are missing (empty also for a language with no
    /// default runner at all: see [`no_runner_reason`]).
    pub fn missing(&self, language: Language) -> Vec<&'static str> {
        needs(language)
            .iter()
            .copied()
            .filter(|p| !self.has(p))
            .collect()
    }
}

/// What the default PoV runner for `language` needs on the sandbox's PATH (nothing for C, C++ and Python, whose
/// compilers and interpreter the scan's sandbox is built around, nor for languages without a default runner).
/// Rust needs `rustc` beside `cargo`: cargo only drives it, and a rustup proxy without its toolchain is no compiler.
pub fn needs(language: Language) -> &'static [&'static str] {
    match language {
        Language::JavaScript => &["node"],
        // tsc (the TypeScript compiler, a global install) emits the PoV and what it imports as JavaScript.
        Language::TypeScript | Language::Tsx => &["node", "tsc"],
        Language::Java => &["javac", "java"],
        Language::Go => &["go"],
        Language::Rust => &["cargo", "rustc"],
        _ => &[],
    }
}

/// Why the defaults give `language`'s candidates in the repository at `root` no way to run a PoV, for the
/// candidate's `no_pov_runner` note.
pub fn no_runner_reason(language: Language, root: &Path, tools: &Toolchains) -> String {
    let lang = language.name();
    let missing = tools.missing(language);
    if !missing.is_empty() {
        return format!(
            "the default runner for {lang} needs {}, which the sandbox does not have (not on its PATH)",
            missing.join(" and ")
        );
    }
    match language {
        Language::Tsx => match crate::tsx::jsx_settings(root) {
            Err(why) => format!(
                "the default runner for {lang} cannot run here: {why}; install the project's dependencies in the \
                 repository or say how to run a PoV in haetae-scan.toml"
            ),
            Ok(_) => format!("the scan's default for {lang} gives no PoV command"),
        },
        // Their toolchains are there (checked above): what stops them is the repository's shape.
        Language::Go => match crate::pipeline::go_module(root) {
            Err(why) => format!("the default runner for go cannot run here: {why}"),
            Ok(()) => "the scan's default for go gives no PoV command".into(),
        },
        Language::Rust => match crate::pipeline::cargo_package(root) {
            Err(why) => format!("the default runner for rust cannot run here: {why}"),
            Ok(_) => "the scan's default for rust gives no PoV command".into(),
        },
        _ => format!("the scan's default for {lang} gives no PoV command"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absolute_paths_of_the_programs_asked_for_count() {
        let out = "/usr/bin/node\necho\nalias java='x'\n/usr/local/bin/javac\n/usr/bin/other\n/opt/a/node\n";
        let t = Toolchains::parse(&["node", "javac", "java", "echo"], out);
        assert_eq!(
            t.found.into_iter().collect::<Vec<_>>(),
            vec![
                ("javac".to_owned(), "/usr/local/bin/javac".to_owned()),
                // The first one found, as the shell would run it.
                ("node".to_owned(), "/usr/bin/node".to_owned()),
            ]
        );
    }

    #[tokio::test]
    async fn the_probe_asks_the_sandbox() {
        let t = Toolchains::probe(
            &["sh", "haetae-no-such-program", "sh; touch x"],
            &[
                "/bin/sh",
                "/haetae/no/such/file",
                "/bin/sh; touch x",
                "/bin/../bin/sh",
            ],
            crate::pipeline::scan_limits(),
        )
        .await
        .unwrap();
        assert!(t.has("sh"), "{t:?}");
        assert!(t.found["sh"].starts_with('/'));
        assert!(!t.has("haetae-no-such-program"));
        assert!(t.has("/bin/sh"), "{t:?}");
        assert!(!t.has("/haetae/no/such/file"));
        assert_eq!(t.found.len(), 2, "{t:?}");
        assert_eq!(
            Toolchains::probe(&[], &[], crate::pipeline::scan_limits())
                .await
                .unwrap(),
            Toolchains::default()
        );
    }

    #[test]
    fn a_missing_toolchain_is_named_in_the_reason() {
        let none = Toolchains::default();
        assert_eq!(none.missing(Language::Java), vec!["javac", "java"]);
        let root = Path::new("/nonexistent");
        assert!(no_runner_reason(Language::JavaScript, root, &none).contains("needs node"));
        // A JRE without a compiler is not enough.
        let jre = Toolchains::assume(&["java"]);
        assert_eq!(jre.missing(Language::Java), vec!["javac"]);
        assert!(no_runner_reason(Language::Java, root, &jre).contains("needs javac,"));
        let all = Toolchains::assume(PROGRAMS);
        assert!(all.missing(Language::Java).is_empty());
        // TypeScript needs tsc beside node; TSX too, and the project's JSX runtime installed.
        assert!(
            no_runner_reason(Language::TypeScript, root, &Toolchains::assume(&["node"]))
                .contains("needs tsc,")
        );
        assert!(no_runner_reason(Language::Tsx, root, &all).contains("JSX"));
        // Go and Rust: the toolchain first, then the repository's shape.
        assert!(no_runner_reason(Language::Go, root, &none).contains("needs go,"));
        assert!(no_runner_reason(Language::Go, root, &all).contains("no go.mod"));
        assert!(no_runner_reason(Language::Rust, root, &none).contains("needs cargo and rustc"));
        // A rustup proxy named cargo without the compiler beside it is not a toolchain.
        assert!(
            no_runner_reason(Language::Rust, root, &Toolchains::assume(&["cargo"]))
                .contains("needs rustc,")
        );
        assert!(no_runner_reason(Language::Rust, root, &all).contains("no Cargo.toml"));
    }
}
