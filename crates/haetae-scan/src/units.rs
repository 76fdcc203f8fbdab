//! Splitting a repository into units (functions) with tree-sitter, for C and Python.
//!
//! A unit is what one candidate finding points into: a file, a line range and its text. Files with no function
//! (a Python script, a C header) become one unit for the whole file so that nothing is skipped silently.

use std::path::{Component, Path};

use serde::{Deserialize, Serialize};

use crate::{Result, ScanError};

/// Files larger than this are left out (generated code, vendored amalgamations); the report counts them.
pub const MAX_FILE_BYTES: u64 = 256 << 10;

/// A language with a grammar compiled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    C,
    Python,
}

impl Language {
    /// The language a file name's extension selects; `None` for files the scan does not read.
    pub fn from_path(path: &Path) -> Option<Language> {
        match path.extension()?.to_str()? {
            "c" | "h" => Some(Language::C),
            "py" => Some(Language::Python),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Language::C => "c",
            Language::Python => "python",
        }
    }

    fn grammar(self) -> tree_sitter::Language {
        match self {
            Language::C => tree_sitter_c::LANGUAGE.into(),
            Language::Python => tree_sitter_python::LANGUAGE.into(),
        }
    }
}

/// One unit of code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Path relative to the repository root, with `/` separators.
    pub file: String,
    pub language: Language,
    /// The function's name, or `<file>` for a whole-file unit.
    pub name: String,
    /// 1-based, inclusive.
    pub start_line: usize,
    pub end_line: usize,
    pub text: String,
}

/// What splitting a repository produced.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Split {
    pub units: Vec<Unit>,
    /// Source files read.
    pub files: usize,
    /// Files left out, with the reason (too large, not UTF-8).
    pub skipped: Vec<(String, String)>,
}

/// Splits every C and Python file under `root` (skipping hidden directories such as `.git`, and `target`,
/// `node_modules`, `__pycache__`). Files are visited in sorted order so that runs are reproducible.
pub fn split_repository(root: &Path) -> Result<Split> {
    let mut files = Vec::new();
    collect(root, root, &mut files)?;
    files.sort();
    let mut split = Split::default();
    for rel in files {
        let Some(language) = Language::from_path(Path::new(&rel)) else {
            continue;
        };
        let path = root.join(&rel);
        let len = std::fs::metadata(&path)
            .map_err(|e| ScanError::io(format!("reading {}", path.display()), e))?
            .len();
        if len > MAX_FILE_BYTES {
            split
                .skipped
                .push((rel, format!("{len} bytes, over the limit")));
            continue;
        }
        let bytes = std::fs::read(&path)
            .map_err(|e| ScanError::io(format!("reading {}", path.display()), e))?;
        let Ok(text) = String::from_utf8(bytes) else {
            split.skipped.push((rel, "not UTF-8".into()));
            continue;
        };
        split.files += 1;
        split.units.extend(split_source(&rel, language, &text)?);
    }
    Ok(split)
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    let rd = std::fs::read_dir(dir)
        .map_err(|e| ScanError::io(format!("reading {}", dir.display()), e))?;
    for entry in rd {
        let entry = entry.map_err(|e| ScanError::io(format!("reading {}", dir.display()), e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ty = entry
            .file_type()
            .map_err(|e| ScanError::io(format!("reading {}", dir.display()), e))?;
        if ty.is_dir() {
            if name.starts_with('.') || matches!(&*name, "target" | "node_modules" | "__pycache__")
            {
                continue;
            }
            collect(root, &entry.path(), out)?;
        } else if ty.is_file() {
            // Symbolic links are not followed: a repository must not point the scan at the host's files.
            if let Ok(rel) = entry.path().strip_prefix(root) {
                out.push(rel_string(rel));
            }
        }
    }
    Ok(())
}

fn rel_string(rel: &Path) -> String {
    rel.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Splits one source text into function units (a whole-file unit when it has none).
pub fn split_source(file: &str, language: Language, text: &str) -> Result<Vec<Unit>> {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&language.grammar())
        .map_err(|e| ScanError::Parse(e.to_string()))?;
    let tree = parser
        .parse(text, None)
        .ok_or_else(|| ScanError::Parse(format!("{file}: the parser gave no tree")))?;
    let mut units = Vec::new();
    functions(tree.root_node(), file, language, text, &mut units);
    if units.is_empty() && !text.trim().is_empty() {
        units.push(Unit {
            file: file.to_owned(),
            language,
            name: "<file>".into(),
            start_line: 1,
            end_line: text.lines().count().max(1),
            text: text.to_owned(),
        });
    }
    Ok(units)
}

/// Collects function definitions, outermost first; a function nested in another stays part of its parent.
fn functions(
    node: tree_sitter::Node<'_>,
    file: &str,
    language: Language,
    text: &str,
    out: &mut Vec<Unit>,
) {
    if node.kind() == "function_definition" {
        let name = match language {
            Language::Python => node
                .child_by_field_name("name")
                .and_then(|n| n.utf8_text(text.as_bytes()).ok())
                .map(str::to_owned),
            Language::C => node
                .child_by_field_name("declarator")
                .and_then(|d| first_identifier(d, text)),
        }
        .unwrap_or_else(|| "<anonymous>".into());
        let body = text.get(node.byte_range()).unwrap_or_default();
        out.push(Unit {
            file: file.to_owned(),
            language,
            name,
            start_line: node.start_position().row + 1,
            end_line: node.end_position().row + 1,
            text: body.to_owned(),
        });
        return;
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        functions(child, file, language, text, out);
    }
}

/// The declared name inside a C declarator (`int *f(int)` → `f`), skipping parameter lists.
fn first_identifier(node: tree_sitter::Node<'_>, text: &str) -> Option<String> {
    if node.kind() == "identifier" {
        return node.utf8_text(text.as_bytes()).ok().map(str::to_owned);
    }
    if node.kind() == "parameter_list" {
        return None;
    }
    let mut cursor = node.walk();
    let children: Vec<_> = node.children(&mut cursor).collect();
    children.into_iter().find_map(|c| first_identifier(c, text))
}

/// The unit text with its line numbers, as the model sees it (so that it can name a line range).
pub fn numbered(unit: &Unit) -> String {
    unit.text
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{:>5} | {l}\n", unit.start_line + i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_functions_become_units_with_names_and_lines() {
        let src = "#include <string.h>\n\nstatic int *find(int *v, int n) {\n  return v;\n}\n\nint main(void) {\n  return 0;\n}\n";
        let units = split_source("src/a.c", Language::C, src).unwrap();
        let got: Vec<_> = units
            .iter()
            .map(|u| (u.name.as_str(), u.start_line, u.end_line))
            .collect();
        assert_eq!(got, vec![("find", 3, 5), ("main", 7, 9)]);
        assert!(units[0].text.starts_with("static int *find"));
    }

    #[test]
    fn python_functions_and_methods_become_units() {
        let src = "import os\n\ndef load(p):\n    return open(p).read()\n\nclass Store:\n    def get(self, k):\n        def inner():\n            return k\n        return inner()\n";
        let units = split_source("pkg/store.py", Language::Python, src).unwrap();
        let got: Vec<_> = units
            .iter()
            .map(|u| (u.name.as_str(), u.start_line, u.end_line))
            .collect();
        // `inner` stays inside `get`.
        assert_eq!(got, vec![("load", 3, 4), ("get", 7, 10)]);
    }

    #[test]
    fn a_file_without_functions_is_one_unit() {
        let units = split_source("conf.h", Language::C, "#define N 4\nextern int x;\n").unwrap();
        assert_eq!(units.len(), 1);
        assert_eq!((units[0].name.as_str(), units[0].end_line), ("<file>", 2));
    }

    #[test]
    fn repository_walk_skips_hidden_dirs_and_unknown_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join(".git/x.c"), "int f(void){return 0;}\n").unwrap();
        std::fs::write(dir.path().join("src/y.c"), "int g(void){return 1;}\n").unwrap();
        std::fs::write(dir.path().join("README"), "text\n").unwrap();
        std::fs::write(dir.path().join("z.py"), "def h():\n    pass\n").unwrap();
        let split = split_repository(dir.path()).unwrap();
        let names: Vec<_> = split
            .units
            .iter()
            .map(|u| (u.file.as_str(), u.name.as_str()))
            .collect();
        assert_eq!(names, vec![("src/y.c", "g"), ("z.py", "h")]);
        assert_eq!(split.files, 2);
    }

    #[test]
    fn numbered_lines_start_at_the_unit() {
        let u = Unit {
            file: "a.c".into(),
            language: Language::C,
            name: "f".into(),
            start_line: 10,
            end_line: 11,
            text: "a\nb".into(),
        };
        assert_eq!(numbered(&u), "   10 | a\n   11 | b\n");
    }
}
