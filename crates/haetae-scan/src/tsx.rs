//! TSX's default PoV runner: the JSX settings of the project (its `tsconfig.json`, which is JSONC and may extend
//! or reference others) and whether the JSX runtime they name is installed, so that `tsc` emits the PoV and the
//! components it imports as node can run them. Without a runtime in `node_modules` (the sandbox cannot install
//! one) there is no default, and the candidate says why.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The start of TSX's default PoV command (what [`tsx_pov`] writes before the JSX flags): as TypeScript's
/// (`crate::pipeline::TS_POV`), with the project's JSX settings.
pub const TSX_POV_PREFIX: &str = "{ tsc --module nodenext --target es2022 --esModuleInterop --skipLibCheck \
    --pretty false --jsx ";
/// The end of TSX's default PoV command.
pub const TSX_POV_SUFFIX: &str = " .haetae-pov/pov.tsx || true; } && node .haetae-pov/pov.js";

/// How many `extends`/`references` links are followed from the root `tsconfig.json`.
const MAX_CONFIG_LINKS: usize = 8;

/// How JSX becomes JavaScript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Jsx {
    /// The automatic runtime (`react-jsx`, or `react-jsxdev`): calls imported from `<import_source>/jsx-runtime`.
    Automatic { dev: bool, import_source: String },
    /// The classic transform (`react`): calls to `factory` (default `React.createElement`), which the project's
    /// files bring into scope themselves.
    Classic {
        factory: Option<String>,
        fragment: Option<String>,
    },
}

impl Jsx {
    /// The package that must be installed for the emitted code to run, when it can be told.
    fn runtime_package(&self) -> Option<&str> {
        match self {
            Jsx::Automatic { import_source, .. } => Some(import_source),
            Jsx::Classic { factory: None, .. } => Some("react"),
            // A custom factory (`h`) is imported by the project's files from wherever they say.
            Jsx::Classic { .. } => None,
        }
    }
}

/// The project's JSX settings, read from `tsconfig.json` at `root` (the first `jsx` found along its `extends` chain,
/// then in the configurations it references, as a Vite project splits them), or React's automatic runtime when
/// none says. `preserve` and `react-native` leave JSX in the output, which node cannot run: those read as the
/// automatic runtime with the same import source. Then checks that the runtime is installed. The error says why
/// there is no default.
pub fn jsx_settings(root: &Path) -> Result<Jsx, String> {
    let options = find_jsx_options(root)?;
    let get = |key: &str| -> Result<Option<String>, String> {
        match options.as_ref().and_then(|o| o.get(key)) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!(
                "tsconfig.json's compilerOptions.{key} is not a string ({other})"
            )),
        }
    };
    let mode = get("jsx")?.map(|m| m.to_ascii_lowercase());
    let jsx = match mode.as_deref() {
        Some("react") => Jsx::Classic {
            factory: checked(get("jsxFactory")?, "jsxFactory", is_factory)?,
            fragment: checked(get("jsxFragmentFactory")?, "jsxFragmentFactory", is_factory)?,
        },
        None | Some("react-jsx" | "react-jsxdev" | "preserve" | "react-native") => {
            let import_source = checked(get("jsxImportSource")?, "jsxImportSource", is_package)?
                .unwrap_or_else(|| "react".into());
            Jsx::Automatic {
                dev: mode.as_deref() == Some("react-jsxdev"),
                import_source,
            }
        }
        Some(other) => {
            return Err(format!(
                "tsconfig.json's compilerOptions.jsx is '{other}', which tsc does not know"
            ));
        }
    };
    if let Some(package) = jsx.runtime_package()
        && !root.join("node_modules").join(package).is_dir()
    {
        return Err(format!(
            "the project's JSX runtime ({package}) is not installed in node_modules, and the sandbox has no network \
             to install it"
        ));
    }
    Ok(jsx)
}

/// TSX's default PoV command for these settings.
pub fn tsx_pov(jsx: &Jsx) -> String {
    let flags = match jsx {
        Jsx::Automatic { dev, import_source } => format!(
            "{} --jsxImportSource {import_source}",
            if *dev { "react-jsxdev" } else { "react-jsx" }
        ),
        Jsx::Classic { factory, fragment } => {
            let mut f = String::from("react");
            if let Some(factory) = factory {
                f.push_str(&format!(" --jsxFactory {factory}"));
            }
            if let Some(fragment) = fragment {
                f.push_str(&format!(" --jsxFragmentFactory {fragment}"));
            }
            f
        }
    };
    format!("{TSX_POV_PREFIX}{flags}{TSX_POV_SUFFIX}")
}

/// Whether `command` is TSX's default PoV command (for the PoV prompt).
pub fn is_tsx_pov(command: &str) -> bool {
    command.starts_with(TSX_POV_PREFIX) && command.ends_with(TSX_POV_SUFFIX)
}

/// A value that goes into the PoV's shell command: only the characters of its kind.
fn checked(
    value: Option<String>,
    key: &str,
    valid: fn(&str) -> bool,
) -> Result<Option<String>, String> {
    match value {
        Some(v) if !valid(&v) => Err(format!(
            "tsconfig.json's compilerOptions.{key} ('{v}') is not a name the scan can pass to tsc"
        )),
        v => Ok(v),
    }
}

/// An npm package name (scoped or not).
fn is_package(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && !s.contains("..")
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '/' | '.' | '_' | '-'))
}

/// A JSX factory: an identifier or a dotted path of them (`h`, `React.createElement`).
fn is_factory(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|part| {
            part.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        })
}

/// The `compilerOptions` of the first configuration that sets `jsx`: `root/tsconfig.json`, its `extends` chain,
/// then (breadth first) the configurations it references. `None` when no configuration exists or none sets it.
fn find_jsx_options(root: &Path) -> Result<Option<serde_json::Map<String, Value>>, String> {
    let first = root.join("tsconfig.json");
    if !first.is_file() {
        return Ok(None);
    }
    let mut queue = vec![first];
    let mut seen = Vec::new();
    while !queue.is_empty() && seen.len() < MAX_CONFIG_LINKS {
        let path = queue.remove(0);
        if seen.contains(&path) {
            continue;
        }
        seen.push(path.clone());
        let config = read_config(&path)?;
        let options = config
            .get("compilerOptions")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if options.contains_key("jsx") {
            return Ok(Some(options));
        }
        let dir = path.parent().unwrap_or(root);
        // `extends` first (a string or, since TypeScript 5, a list), then `references`.
        let extends = match config.get("extends") {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        let references = config
            .get("references")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|r| r.get("path").and_then(Value::as_str).map(str::to_owned));
        for link in extends.into_iter().chain(references) {
            if let Some(next) = resolve_link(root, dir, &link) {
                queue.push(next);
            }
        }
    }
    Ok(None)
}

/// A configuration file named by `extends` or `references` from a configuration in `dir`: a relative path (to a
/// file, with or without `.json`, or to a directory holding `tsconfig.json`) or a package's file under the root's
/// `node_modules`. Only files inside `root` are read.
fn resolve_link(root: &Path, dir: &Path, link: &str) -> Option<PathBuf> {
    let base = if link.starts_with("./") || link.starts_with("../") {
        dir.join(link)
    } else if is_package(link) {
        root.join("node_modules").join(link)
    } else {
        return None;
    };
    let candidates = [
        base.clone(),
        base.with_extension("json"),
        PathBuf::from(format!("{}.json", base.display())),
        base.join("tsconfig.json"),
    ];
    let root = root.canonicalize().ok()?;
    candidates
        .into_iter()
        .filter(|c| c.is_file())
        .filter_map(|c| c.canonicalize().ok())
        .find(|c| c.starts_with(&root))
}

/// One configuration file, as JSONC (comments and trailing commas, as tsc reads it).
fn read_config(path: &Path) -> Result<serde_json::Map<String, Value>, String> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let text = std::fs::read_to_string(path).map_err(|e| format!("reading {name}: {e}"))?;
    let value: Value = jsonc_parser::parse_to_serde_value(&text, &Default::default())
        .map_err(|e| format!("{name} is not JSON with comments ({e})"))?;
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(serde_json::Map::new()),
        _ => Err(format!("{name} is not an object")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    const REACT: (&str, &str) = ("node_modules/react/package.json", "{}");

    #[test]
    fn no_tsconfig_means_reacts_automatic_runtime_which_must_be_installed() {
        let bare = project(&[]);
        let why = jsx_settings(bare.path()).unwrap_err();
        assert!(why.contains("(react) is not installed"), "{why}");
        let with_react = project(&[REACT]);
        let jsx = jsx_settings(with_react.path()).unwrap();
        assert_eq!(
            jsx,
            Jsx::Automatic {
                dev: false,
                import_source: "react".into()
            }
        );
        let pov = tsx_pov(&jsx);
        assert!(is_tsx_pov(&pov), "{pov}");
        assert!(pov.contains("--jsx react-jsx --jsxImportSource react .haetae-pov/pov.tsx"));
        assert!(!is_tsx_pov(crate::pipeline::TS_POV));
    }

    #[test]
    fn settings_come_from_jsonc_through_extends_and_references() {
        // Comments and trailing commas, a custom import source.
        let p = project(&[
            (
                "tsconfig.json",
                "{\n  // the project's own runtime\n  \"compilerOptions\": {\"jsx\": \"react-jsx\", \
                 \"jsxImportSource\": \"@acme/jsx\",},\n}\n",
            ),
            ("node_modules/@acme/jsx/package.json", "{}"),
        ]);
        assert_eq!(
            jsx_settings(p.path()).unwrap(),
            Jsx::Automatic {
                dev: false,
                import_source: "@acme/jsx".into()
            }
        );
        // Vite's layout: the root references tsconfig.app.json, which extends a package's base.
        let p = project(&[
            (
                "tsconfig.json",
                r#"{"files": [], "references": [{"path": "./tsconfig.node.json"}, {"path": "./tsconfig.app.json"}]}"#,
            ),
            (
                "tsconfig.node.json",
                r#"{"compilerOptions": {"module": "esnext"}}"#,
            ),
            (
                "tsconfig.app.json",
                r#"{"extends": "@acme/tsconfig/react.json"}"#,
            ),
            (
                "node_modules/@acme/tsconfig/react.json",
                r#"{"compilerOptions": {"jsx": "react", "jsxFactory": "h", "jsxFragmentFactory": "Fragment"}}"#,
            ),
        ]);
        let jsx = jsx_settings(p.path()).unwrap();
        assert_eq!(
            jsx,
            Jsx::Classic {
                factory: Some("h".into()),
                fragment: Some("Fragment".into())
            }
        );
        assert!(
            tsx_pov(&jsx)
                .contains("--jsx react --jsxFactory h --jsxFragmentFactory Fragment .haetae")
        );
        // `preserve` would leave JSX node cannot run: the automatic runtime instead.
        let p = project(&[
            (
                "tsconfig.json",
                r#"{"compilerOptions": {"jsx": "preserve"}}"#,
            ),
            REACT,
        ]);
        assert!(tsx_pov(&jsx_settings(p.path()).unwrap()).contains("--jsx react-jsx "));
    }

    #[test]
    fn values_that_could_not_go_into_a_command_and_links_outside_the_root_are_refused() {
        for bad in ["react; touch x", "../evil", "$(id)", ""] {
            let config = format!(
                r#"{{"compilerOptions": {{"jsx": "react-jsx", "jsxImportSource": {bad:?}}}}}"#
            );
            let p = project(&[("tsconfig.json", &config)]);
            let why = jsx_settings(p.path()).unwrap_err();
            assert!(why.contains("jsxImportSource"), "{bad}: {why}");
        }
        let p = project(&[(
            "tsconfig.json",
            r#"{"compilerOptions": {"jsx": "react", "jsxFactory": "h()"}}"#,
        )]);
        assert!(jsx_settings(p.path()).unwrap_err().contains("jsxFactory"));
        let p = project(&[("tsconfig.json", r#"{"compilerOptions": {"jsx": "vue"}}"#)]);
        assert!(jsx_settings(p.path()).unwrap_err().contains("'vue'"));
        let p = project(&[("tsconfig.json", "{ not json")]);
        assert!(jsx_settings(p.path()).unwrap_err().contains("not JSON"));
        // An `extends` out of the repository is not read (the default runtime applies).
        let outside = project(&[(
            "base.json",
            r#"{"compilerOptions": {"jsx": "react", "jsxFactory": "h"}}"#,
        )]);
        let link = format!(
            "../{}/base.json",
            outside.path().file_name().unwrap().to_string_lossy()
        );
        let p = project(&[
            ("tsconfig.json", &format!(r#"{{"extends": {link:?}}}"#)),
            REACT,
        ]);
        assert!(matches!(
            jsx_settings(p.path()).unwrap(),
            Jsx::Automatic { .. }
        ));
        // A cycle of links ends.
        let p = project(&[
            ("tsconfig.json", r#"{"extends": "./a.json"}"#),
            ("a.json", r#"{"extends": "./tsconfig.json"}"#),
            REACT,
        ]);
        assert!(jsx_settings(p.path()).is_ok());
    }
}
