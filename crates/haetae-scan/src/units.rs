//! Splitting a repository into units (functions) with tree-sitter, for C, C++, Python, JavaScript, TypeScript
//! (and TSX), Java, Go and Rust.
//!
//! A unit is what one candidate finding points into: a file, a line range and its text. Files with no function
//! (a Python script, a C header) become one unit for the whole file so that nothing is skipped silently.

use std::path::{Component, Path};

use serde::{Deserialize, Serialize};

use crate::{Result, ScanError};

/// Files larger than this are left out (generated code, vendored amalgamations); the report counts them.
pub const MAX_FILE_BYTES: u64 = 256 << 10;

/// Directories never descended into: build output, third-party code the project does not maintain (a bug there
/// is reported upstream, and vendored trees would spend the scan's budget on someone else's code), caches.
/// Hidden directories (`.git`, `.venv`) are skipped too. A vendored tree can still be scanned on its own: the
/// root given to the scan is never filtered.
const SKIPPED_DIRS: &[&str] = &["target", "node_modules", "__pycache__", "vendor"];

/// A language with a grammar compiled in. The serde names are what `haetae-scan.toml` and the report use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    C,
    Python,
    Cpp,
    #[serde(rename = "javascript")]
    JavaScript,
    #[serde(rename = "typescript")]
    TypeScript,
    /// TypeScript with JSX (`.tsx`): its own grammar, since `<T>x` means a cast in one and an element in the other.
    Tsx,
    Java,
    Go,
    Rust,
}

impl Language {
    pub const ALL: [Language; 9] = [
        Language::C,
        Language::Python,
        Language::Cpp,
        Language::JavaScript,
        Language::TypeScript,
        Language::Tsx,
        Language::Java,
        Language::Go,
        Language::Rust,
    ];

    /// The language a file name's extension selects; `None` for files the scan does not read. `.h` is C here;
    /// [`split_repository`] reads it as C++ in a repository with C++ sources and no C source.
    pub fn from_path(path: &Path) -> Option<Language> {
        match path.extension()?.to_str()? {
            "c" | "h" => Some(Language::C),
            "cc" | "cpp" | "cxx" | "c++" | "hpp" | "hh" | "hxx" | "h++" => Some(Language::Cpp),
            "py" => Some(Language::Python),
            // The JavaScript grammar parses JSX as well.
            "js" | "mjs" | "cjs" | "jsx" => Some(Language::JavaScript),
            "ts" | "mts" | "cts" => Some(Language::TypeScript),
            "tsx" => Some(Language::Tsx),
            "java" => Some(Language::Java),
            "go" => Some(Language::Go),
            "rs" => Some(Language::Rust),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Language::C => "c",
            Language::Python => "python",
            Language::Cpp => "cpp",
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Tsx => "tsx",
            Language::Java => "java",
            Language::Go => "go",
            Language::Rust => "rust",
        }
    }

    fn grammar(self) -> tree_sitter::Language {
        match self {
            Language::C => tree_sitter_c::LANGUAGE.into(),
            Language::Python => tree_sitter_python::LANGUAGE.into(),
            Language::Cpp => tree_sitter_cpp::LANGUAGE.into(),
            Language::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Language::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Language::Java => tree_sitter_java::LANGUAGE.into(),
            Language::Go => tree_sitter_go::LANGUAGE.into(),
            Language::Rust => tree_sitter_rust::LANGUAGE.into(),
        }
    }

    /// What joins a scope (class, namespace, module) to a member's name.
    fn separator(self) -> &'static str {
        match self {
            Language::Cpp | Language::Rust => "::",
            _ => ".",
        }
    }
}

/// One unit of code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Path relative to the repository root, with `/` separators.
    pub file: String,
    pub language: Language,
    /// The function's name, qualified by its class, namespace, module or impl where the language has them
    /// (`Store.get` in Java, `ns::Foo::bar` in C++, `<Store as Display>::fmt` in Rust, `(*Store).Get` in Go);
    /// `<anonymous>` for an unnamed function, `<file>` for a whole-file unit.
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

/// Splits every source file of a known language under `root` (skipping hidden directories such as `.git`, and
/// `target`, `node_modules`, `__pycache__`, `vendor`). Files are visited in sorted order so that runs are
/// reproducible.
///
/// `.h` is ambiguous: it is read as C unless the repository has C++ sources and no C source, where its headers
/// are C++ (classes, templates, inline methods the C grammar would mangle). A mixed repository keeps C, whose
/// grammar still finds the plain functions of a C++ header.
pub fn split_repository(root: &Path) -> Result<Split> {
    let mut files = Vec::new();
    collect(root, root, &mut files)?;
    files.sort();
    let has = |language: Language| {
        files
            .iter()
            .any(|f| !f.ends_with(".h") && Language::from_path(Path::new(f)) == Some(language))
    };
    let headers = if has(Language::Cpp) && !has(Language::C) {
        Language::Cpp
    } else {
        Language::C
    };
    let mut split = Split::default();
    for rel in files {
        let Some(mut language) = Language::from_path(Path::new(&rel)) else {
            continue;
        };
        if rel.ends_with(".h") {
            language = headers;
        }
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
            if name.starts_with('.') || SKIPPED_DIRS.contains(&&*name) {
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

/// The stack of the thread a file is parsed on. tree-sitter's C runtime releases its parse stack recursively, so
/// deeply nested input (a file of 20 000 `(`) overflows a default 2 MiB thread stack, and a stack overflow aborts
/// the whole scan rather than failing one file. [`MAX_FILE_BYTES`] bounds the nesting: a file of that size nested
/// all the way parses in every grammar with 32 MiB (the test below); this is twice that. Only the pages touched
/// are committed.
const PARSE_STACK_BYTES: usize = 64 << 20;

/// Splits one source text into function units (a whole-file unit when it has none), on a thread with a stack
/// deep enough for the parser.
pub fn split_source(file: &str, language: Language, text: &str) -> Result<Vec<Unit>> {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("haetae-scan-parse".into())
            .stack_size(PARSE_STACK_BYTES)
            .spawn_scoped(s, || split_here(file, language, text))
            .map_err(|e| ScanError::io("starting the parser's thread", e))?
            .join()
            .map_err(|_| ScanError::Parse(format!("{file}: the parser's thread failed")))?
    })
}

/// How much work one file's parse may take, in tree-sitter's progress checks (one per 100 parser operations): a
/// fixed allowance plus a share per byte. Ordinary code of every grammar needs well under a tenth of it (the test
/// `ordinary_code_parses_well_within_the_budget`), but garbled input can send error recovery into a search whose
/// cost grows far faster than the text (a 2 KiB file of syntax fragments once took minutes). A file that would
/// take longer is split into windows of lines instead, so that a repository cannot stall the scan.
fn parse_budget(text: &str) -> u64 {
    2_000 + text.len() as u64 / 2
}

/// Lines per unit when a file cannot be parsed within its budget.
const WINDOW_LINES: usize = 200;

/// What a parse within a budget came to.
enum Parsed {
    Tree(tree_sitter::Tree),
    OverBudget,
}

fn parse(language: Language, text: &str, budget: u64) -> Result<(Parsed, u64)> {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&language.grammar())
        .map_err(|e| ScanError::Parse(e.to_string()))?;
    let mut checks = 0u64;
    // Returning true halts the parse; tree-sitter then hands back no tree.
    let mut over_budget = |_: &tree_sitter::ParseState| {
        checks += 1;
        checks > budget
    };
    let bytes = text.as_bytes();
    let tree = parser.parse_with_options(
        &mut |offset, _| bytes.get(offset..).unwrap_or_default(),
        None,
        Some(tree_sitter::ParseOptions::new().progress_callback(&mut over_budget)),
    );
    Ok(match tree {
        Some(tree) => (Parsed::Tree(tree), checks),
        None => (Parsed::OverBudget, checks),
    })
}

/// Units of [`WINDOW_LINES`] lines each, named by their range, for a file the parser could not finish.
fn line_windows(file: &str, language: Language, text: &str) -> Vec<Unit> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    lines
        .chunks(WINDOW_LINES)
        .enumerate()
        .map(|(i, chunk)| {
            let start_line = i * WINDOW_LINES + 1;
            let end_line = start_line + chunk.len() - 1;
            Unit {
                file: file.to_owned(),
                language,
                name: format!("<lines {start_line}-{end_line}>"),
                start_line,
                end_line,
                text: chunk.concat(),
            }
        })
        .filter(|u| !u.text.trim().is_empty())
        .collect()
}

fn split_here(file: &str, language: Language, text: &str) -> Result<Vec<Unit>> {
    split_within(file, language, text, parse_budget(text))
}

fn split_within(file: &str, language: Language, text: &str, budget: u64) -> Result<Vec<Unit>> {
    let tree = match parse(language, text, budget)? {
        (Parsed::Tree(tree), _) => tree,
        (Parsed::OverBudget, _) => {
            tracing::warn!(
                file,
                language = language.name(),
                "the parser did not finish within its budget; the file is split into windows of {WINDOW_LINES} lines"
            );
            return Ok(line_windows(file, language, text));
        }
    };
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

/// Collects function units, outermost first; a function nested in another stays part of its parent. Names are
/// qualified by the scopes (classes, namespaces, modules, impls) around them.
///
/// The walk is iterative (a tree cursor and an explicit scope stack): a file of deeply nested garbage makes a
/// deep tree, and recursion would overflow the stack on input a repository controls.
fn functions(
    root: tree_sitter::Node<'_>,
    file: &str,
    language: Language,
    text: &str,
    out: &mut Vec<Unit>,
) {
    let mut cursor = root.walk();
    // Scope names with the depth of the node that opened them.
    let mut scopes: Vec<(usize, String)> = Vec::new();
    let mut depth = 0usize;
    loop {
        let node = cursor.node();
        let mut descend = true;
        if let Some((name, start)) = unit_of(node, language, text) {
            descend = false;
            let name = name.unwrap_or_else(|| "<anonymous>".into());
            let name = if scopes.is_empty() {
                name
            } else {
                let mut q: Vec<&str> = scopes.iter().map(|(_, s)| s.as_str()).collect();
                q.push(&name);
                q.join(language.separator())
            };
            let end = node.end_position();
            // A node that ends with its line's newline ends on the line before.
            let end_row = if end.column == 0 && end.row > start.start_position().row {
                end.row - 1
            } else {
                end.row
            };
            out.push(Unit {
                file: file.to_owned(),
                language,
                name,
                start_line: start.start_position().row + 1,
                end_line: end_row + 1,
                text: text
                    .get(start.start_byte()..node.end_byte())
                    .unwrap_or_default()
                    .to_owned(),
            });
        } else if let Some(scope) = scope_of(node, language, text) {
            scopes.push((depth, scope));
        }
        if descend && cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        // Leave the node: close the scope it opened, then move to its next sibling or back up.
        loop {
            while scopes.last().is_some_and(|(d, _)| *d == depth) {
                scopes.pop();
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            depth = depth.saturating_sub(1);
        }
    }
}

/// A node's text with runs of whitespace made one space (a qualified name written over two lines).
fn text_of(node: tree_sitter::Node<'_>, text: &str) -> Option<String> {
    let s = node.utf8_text(text.as_bytes()).ok()?;
    Some(s.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn field_text(node: tree_sitter::Node<'_>, field: &str, text: &str) -> Option<String> {
    text_of(node.child_by_field_name(field)?, text)
}

/// Whether `node` is a unit: its name (when it has one) and the node its text starts at (a C++ template's
/// `template <…>` line belongs to the function it introduces).
fn unit_of<'t>(
    node: tree_sitter::Node<'t>,
    language: Language,
    text: &str,
) -> Option<(Option<String>, tree_sitter::Node<'t>)> {
    // Keywords share their node's kind (`function`, `class`): only named nodes are syntax.
    if !node.is_named() {
        return None;
    }
    let kind = node.kind();
    let name = match language {
        Language::C if kind == "function_definition" => node
            .child_by_field_name("declarator")
            .and_then(|d| declared_name(d, &["identifier"], text)),
        Language::Python if kind == "function_definition" => {
            // A decorator belongs to the function it wraps (`@app.route(…)` says how the function is reached).
            let start = node
                .parent()
                .filter(|p| p.kind() == "decorated_definition")
                .unwrap_or(node);
            return Some((field_text(node, "name", text), start));
        }
        Language::Cpp if kind == "function_definition" => {
            let mut start = node;
            while let Some(p) = start
                .parent()
                .filter(|p| p.kind() == "template_declaration")
            {
                start = p;
            }
            let name = node
                .child_by_field_name("declarator")
                .and_then(|d| declared_name(d, CPP_NAMES, text));
            return Some((name, start));
        }
        Language::JavaScript | Language::TypeScript | Language::Tsx
            if matches!(
                kind,
                "function_declaration"
                    | "generator_function_declaration"
                    | "method_definition"
                    | "function_expression"
                    | "function"
                    | "arrow_function"
                    | "generator_function"
            ) =>
        {
            field_text(node, "name", text).or_else(|| js_binding(node, text))
        }
        Language::Java
            if matches!(
                kind,
                "method_declaration"
                    | "constructor_declaration"
                    | "compact_constructor_declaration"
            ) =>
        {
            // An abstract or interface method has no body: there is no code to look at.
            node.child_by_field_name("body")?;
            field_text(node, "name", text)
        }
        Language::Java if kind == "static_initializer" => Some("<clinit>".into()),
        Language::Go if kind == "function_declaration" => field_text(node, "name", text),
        Language::Go if kind == "method_declaration" => {
            let name = field_text(node, "name", text);
            let receiver = node
                .child_by_field_name("receiver")
                .and_then(|r| r.named_child(0))
                .and_then(|p| field_text(p, "type", text));
            match (receiver, name) {
                // Go's method-expression spelling: `(*Store).Get` for a pointer receiver, `Store.Get` otherwise.
                (Some(r), Some(n)) if r.starts_with('*') => Some(format!("({r}).{n}")),
                (Some(r), Some(n)) => Some(format!("{r}.{n}")),
                (_, n) => n,
            }
        }
        Language::Go if kind == "func_literal" => node
            .parent()
            .filter(|p| p.kind() == "expression_list")
            .and_then(|p| p.parent())
            .filter(|g| g.kind() == "var_spec")
            .and_then(|g| field_text(g, "name", text)),
        Language::Rust if kind == "function_item" => field_text(node, "name", text),
        _ => return None,
    };
    Some((name, node))
}

/// The C++ nodes that name what a declarator declares (`f`, `Foo::bar`, `~Foo`, `operator==`, `f<int>`).
const CPP_NAMES: &[&str] = &[
    "identifier",
    "field_identifier",
    "qualified_identifier",
    "destructor_name",
    "operator_name",
    "operator_cast",
    "template_function",
];

/// The name a function expression or arrow function is bound to: `const f = () => …`, `foo: function () {}`,
/// `module.exports.f = function () {}`, a class field `handler = () => {}`.
fn js_binding(node: tree_sitter::Node<'_>, text: &str) -> Option<String> {
    let parent = node.parent()?;
    match parent.kind() {
        "variable_declarator" => field_text(parent, "name", text),
        "pair" => field_text(parent, "key", text),
        "assignment_expression" => field_text(parent, "left", text),
        "public_field_definition" => field_text(parent, "name", text),
        "field_definition" => field_text(parent, "property", text),
        _ => None,
    }
}

/// Whether `node` opens a scope that qualifies the names of the functions inside it.
fn scope_of(node: tree_sitter::Node<'_>, language: Language, text: &str) -> Option<String> {
    if !node.is_named() {
        return None;
    }
    let kind = node.kind();
    match language {
        Language::Cpp
            if matches!(
                kind,
                "namespace_definition" | "class_specifier" | "struct_specifier" | "union_specifier"
            ) =>
        {
            // Only a definition with a body is a scope (`struct S *p` names a type, it opens nothing).
            node.child_by_field_name("body")?;
            field_text(node, "name", text)
        }
        Language::JavaScript | Language::TypeScript | Language::Tsx
            if matches!(
                kind,
                "class_declaration" | "class" | "abstract_class_declaration"
            ) =>
        {
            field_text(node, "name", text)
        }
        // A method is named with its class (`Store.get`), as a traceback or a SARIF consumer names it.
        Language::Python if kind == "class_definition" => field_text(node, "name", text),
        Language::Java
            if matches!(
                kind,
                "class_declaration"
                    | "interface_declaration"
                    | "enum_declaration"
                    | "record_declaration"
                    | "annotation_type_declaration"
            ) =>
        {
            field_text(node, "name", text)
        }
        Language::Rust if kind == "impl_item" => {
            let ty = field_text(node, "type", text)?;
            Some(match field_text(node, "trait", text) {
                Some(tr) => format!("<{ty} as {tr}>"),
                None => ty,
            })
        }
        Language::Rust if matches!(kind, "trait_item" | "mod_item") => {
            field_text(node, "name", text)
        }
        _ => None,
    }
}

/// The declared name inside a declarator (`int *f(int)` → `f`, `int Foo::bar() const` → `Foo::bar`): the first
/// node of one of `kinds`, depth first, outside parameter lists. Iterative for the same reason as [`functions`].
fn declared_name(node: tree_sitter::Node<'_>, kinds: &[&str], text: &str) -> Option<String> {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if kinds.contains(&n.kind()) {
            return text_of(n, text);
        }
        if n.kind() == "parameter_list" {
            continue;
        }
        let mut cursor = n.walk();
        let children: Vec<_> = n.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    None
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
        let src = "import os\n\ndef load(p):\n    return open(p).read()\n\nclass Store:\n    def get(self, k):\n        def inner():\n            return k\n        return inner()\n\n    class Meta:\n        @staticmethod\n        @cached\n        def table():\n            return 't'\n\n@app.route('/x')\ndef view():\n    return Store().get('x')\n";
        let units = split_source("pkg/store.py", Language::Python, src).unwrap();
        let got: Vec<_> = units
            .iter()
            .map(|u| (u.name.as_str(), u.start_line, u.end_line))
            .collect();
        // `inner` stays inside `get`; methods carry their (nested) class; decorators belong to their function.
        assert_eq!(
            got,
            vec![
                ("load", 3, 4),
                ("Store.get", 7, 10),
                ("Store.Meta.table", 13, 16),
                ("view", 18, 20)
            ]
        );
        assert!(units[2].text.starts_with("@staticmethod"));
        assert!(units[3].text.starts_with("@app.route"));
    }

    /// (language, file, source, expected (name, start line, end line)); each has a nested function that must stay
    /// inside its parent.
    /// A language, a file name, its source, and the units expected: (name, start line, end line).
    type Case = (
        Language,
        &'static str,
        &'static str,
        Vec<(&'static str, usize, usize)>,
    );

    fn cases() -> Vec<Case> {
        vec![
            (
                Language::Cpp,
                "net/conn.cc",
                "#include <string>\n\
                 namespace net {\n\
                 class Conn {\n \
                 public:\n  \
                 int read(char *buf, int n) {\n    \
                 auto f = [&](int i) { return buf[i]; };\n    \
                 return f(n);\n  \
                 }\n\
                 };\n\
                 int *Conn::write(const char *p) {\n  \
                 return nullptr;\n\
                 }\n\
                 }\n\
                 template <typename T>\n\
                 T max_of(T a, T b) {\n  \
                 return a > b ? a : b;\n\
                 }\n\
                 Conn::~Conn() {}\n",
                vec![
                    ("net::Conn::read", 5, 8),
                    ("net::Conn::write", 10, 12),
                    ("max_of", 14, 17),
                    ("Conn::~Conn", 18, 18),
                ],
            ),
            (
                Language::JavaScript,
                "web/app.js",
                "function load(path) {\n  \
                 function inner() { return path; }\n  \
                 return inner();\n\
                 }\n\
                 const handler = (req, res) => {\n  \
                 res.send(req.query.q);\n\
                 };\n\
                 const api = {\n  \
                 get: function (id) {\n    \
                 return id;\n  \
                 },\n\
                 };\n\
                 class Store {\n  \
                 put(k, v) {\n    \
                 this.m[k] = v;\n  \
                 }\n\
                 }\n\
                 app.get('/x', (req) => req.params);\n\
                 module.exports.render = function () { return <div/>; };\n",
                vec![
                    ("load", 1, 4),
                    ("handler", 5, 7),
                    ("get", 9, 11),
                    ("Store.put", 14, 16),
                    // An unbound callback is still code to read: a route handler is where the bugs are.
                    ("<anonymous>", 18, 18),
                    ("module.exports.render", 19, 19),
                ],
            ),
            (
                Language::TypeScript,
                "src/repo.ts",
                "export function parse(s: string): number {\n  \
                 return Number(s);\n\
                 }\n\
                 export class Repo<T> {\n  \
                 private items: T[] = [];\n  \
                 find = (id: number): T | undefined => this.items[id];\n  \
                 add(item: T): void {\n    \
                 const check = (x: T) => x != null;\n    \
                 if (check(item)) this.items.push(item);\n  \
                 }\n\
                 }\n\
                 interface I { f(): void; }\n\
                 const n = <number>parse(\"1\");\n",
                vec![("parse", 1, 3), ("Repo.find", 6, 6), ("Repo.add", 7, 10)],
            ),
            (
                Language::Tsx,
                "src/App.tsx",
                "export const App = (): JSX.Element => {\n  \
                 return <div onClick={() => go()}>hi</div>;\n\
                 };\n\
                 function go(): void {}\n",
                vec![("App", 1, 3), ("go", 4, 4)],
            ),
            (
                Language::Java,
                "src/p/Store.java",
                "package p;\n\
                 public class Store {\n  \
                 private final Map<String, String> m = new HashMap<>();\n  \
                 public Store() {\n    \
                 m.put(\"a\", \"b\");\n  \
                 }\n  \
                 public String get(String k) {\n    \
                 Runnable r = () -> { System.out.println(k); };\n    \
                 return m.get(k);\n  \
                 }\n  \
                 abstract static class Inner {\n    \
                 abstract void f();\n    \
                 void g() {}\n  \
                 }\n  \
                 static { init(); }\n\
                 }\n",
                vec![
                    ("Store.Store", 4, 6),
                    ("Store.get", 7, 10),
                    ("Store.Inner.g", 13, 13),
                    ("Store.<clinit>", 15, 15),
                ],
            ),
            (
                Language::Go,
                "store/store.go",
                "package store\n\
                 \n\
                 func Open(path string) (*Store, error) {\n\
                 \tf := func() error { return nil }\n\
                 \treturn nil, f()\n\
                 }\n\
                 \n\
                 func (s *Store) Get(k string) string {\n\
                 \treturn s.m[k]\n\
                 }\n\
                 \n\
                 func (s Store) Len() int { return len(s.m) }\n\
                 \n\
                 var hook = func() {}\n",
                vec![
                    ("Open", 3, 6),
                    ("(*Store).Get", 8, 10),
                    ("Store.Len", 12, 12),
                    ("hook", 14, 14),
                ],
            ),
            (
                Language::Rust,
                "src/lib.rs",
                "pub fn parse(s: &str) -> u32 {\n    \
                 fn helper(c: char) -> u32 { c as u32 }\n    \
                 s.chars().map(helper).sum()\n\
                 }\n\
                 impl Store {\n    \
                 pub fn get(&self, k: &str) -> Option<&str> {\n        \
                 None\n    \
                 }\n\
                 }\n\
                 impl fmt::Display for Store {\n    \
                 fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { Ok(()) }\n\
                 }\n\
                 trait Check {\n    \
                 fn ok(&self) -> bool { true }\n    \
                 fn required(&self);\n\
                 }\n",
                vec![
                    ("parse", 1, 4),
                    ("Store::get", 6, 8),
                    ("<Store as fmt::Display>::fmt", 11, 11),
                    ("Check::ok", 14, 14),
                ],
            ),
        ]
    }

    #[test]
    fn every_language_splits_into_named_units_with_line_ranges() {
        for (language, file, src, want) in cases() {
            let units = split_source(file, language, src).unwrap();
            let got: Vec<_> = units
                .iter()
                .map(|u| (u.name.as_str(), u.start_line, u.end_line))
                .collect();
            assert_eq!(got, want, "{}", language.name());
            for u in &units {
                assert_eq!(u.language, language);
                // The text is exactly the unit's lines.
                let lines: Vec<_> = src.lines().collect();
                assert!(lines[u.start_line - 1].contains(u.text.lines().next().unwrap()));
                assert_eq!(
                    u.text.lines().count(),
                    u.end_line - u.start_line + 1,
                    "{}",
                    u.name
                );
            }
        }
    }

    #[test]
    fn extensions_select_languages() {
        for (file, want) in [
            ("a.c", Some(Language::C)),
            ("a.h", Some(Language::C)),
            ("a.cc", Some(Language::Cpp)),
            ("a.cpp", Some(Language::Cpp)),
            ("a.cxx", Some(Language::Cpp)),
            ("a.hpp", Some(Language::Cpp)),
            ("a.hh", Some(Language::Cpp)),
            ("a.hxx", Some(Language::Cpp)),
            ("a.py", Some(Language::Python)),
            ("a.js", Some(Language::JavaScript)),
            ("a.mjs", Some(Language::JavaScript)),
            ("a.cjs", Some(Language::JavaScript)),
            ("a.jsx", Some(Language::JavaScript)),
            ("a.ts", Some(Language::TypeScript)),
            ("a.mts", Some(Language::TypeScript)),
            ("a.cts", Some(Language::TypeScript)),
            ("a.tsx", Some(Language::Tsx)),
            ("A.java", Some(Language::Java)),
            ("a.go", Some(Language::Go)),
            ("a.rs", Some(Language::Rust)),
            ("a.txt", None),
            ("Makefile", None),
        ] {
            assert_eq!(Language::from_path(Path::new(file)), want, "{file}");
        }
    }

    #[test]
    fn serde_names_are_stable() {
        for l in Language::ALL {
            assert_eq!(serde_json::to_value(l).unwrap(), l.name());
            let back: Language = serde_json::from_value(l.name().into()).unwrap();
            assert_eq!(back, l);
        }
        assert_eq!(Language::C.name(), "c");
        assert_eq!(Language::Python.name(), "python");
    }

    #[test]
    fn every_grammar_loads() {
        for l in Language::ALL {
            let mut parser = tree_sitter::Parser::new();
            parser.set_language(&l.grammar()).unwrap();
        }
    }

    #[test]
    fn a_file_without_functions_is_one_unit_in_every_language() {
        for (l, src) in [
            (Language::Cpp, "#pragma once\nstruct S { int x; };\n"),
            (
                Language::JavaScript,
                "export const N = 4;\nimport x from 'y';\n",
            ),
            (Language::TypeScript, "export type T = { a: number };\n\n"),
            (Language::Tsx, "export const el = <div/>;\nexport {};\n"),
            (Language::Java, "interface I { void f(); }\nclass C {}\n"),
            (Language::Go, "package p\nconst N = 4\n"),
            (Language::Rust, "pub struct S;\npub const N: u32 = 4;\n"),
        ] {
            let units = split_source("f", l, src).unwrap();
            let got: Vec<_> = units
                .iter()
                .map(|u| (u.name.as_str(), u.start_line, u.end_line))
                .collect();
            assert_eq!(got, vec![("<file>", 1, 2)], "{}", l.name());
        }
    }

    #[test]
    fn deeply_nested_input_does_not_overflow_the_stack() {
        // The largest file the scan reads, nested all the way (this overflowed tree-sitter's recursive release of
        // its parse stack on a 2 MiB thread at 20 000 levels).
        let n = usize::try_from(MAX_FILE_BYTES).unwrap();
        for l in Language::ALL {
            for deep in ["(".repeat(n), "{[".repeat(n / 2), "[".repeat(n)] {
                split_source("deep", l, &deep).unwrap();
            }
        }
    }

    #[test]
    fn ordinary_code_parses_well_within_the_budget() {
        // Every language's sample, repeated to a file of ~64 KiB, and this file itself: real code must never be
        // near the budget, or a large ordinary file would lose its function units to the line-window fallback.
        let mut texts: Vec<(Language, String)> = cases()
            .into_iter()
            .map(|(l, _, src, _)| (l, src.repeat((64 << 10) / src.len() + 1)))
            .collect();
        texts.push((Language::Rust, include_str!("units.rs").to_owned()));
        for (l, text) in texts {
            let budget = parse_budget(&text);
            let (parsed, checks) = parse(l, &text, budget).unwrap();
            assert!(matches!(parsed, Parsed::Tree(_)), "{}", l.name());
            assert!(
                checks * 10 < budget,
                "{}: {checks} checks of {budget}",
                l.name()
            );
        }
    }

    #[test]
    fn a_file_over_its_parse_budget_is_split_into_line_windows() {
        let src: String = (1..=450)
            .map(|i| format!("int f{i}(void) {{ return {i}; }}\n"))
            .collect();
        // Within the budget: one unit per function.
        assert_eq!(split_source("big.c", Language::C, &src).unwrap().len(), 450);
        // Out of budget (none at all): windows of lines that cover the file, in order, and lose nothing.
        let units = split_within("big.c", Language::C, &src, 0).unwrap();
        let ranges: Vec<_> = units
            .iter()
            .map(|u| (u.name.as_str(), u.start_line, u.end_line))
            .collect();
        assert_eq!(
            ranges,
            vec![
                ("<lines 1-200>", 1, 200),
                ("<lines 201-400>", 201, 400),
                ("<lines 401-450>", 401, 450)
            ]
        );
        assert_eq!(
            units.iter().map(|u| u.text.as_str()).collect::<String>(),
            src
        );
        assert!(units[1].text.starts_with("int f201(void)"));
        // A blank file has nothing to scan either way.
        assert!(
            split_within("e.c", Language::C, "\n\n", 0)
                .unwrap()
                .is_empty()
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Splitting garbled code (fragments of every language's syntax in any order) or arbitrary text never
        /// panics, and every unit's lines are in the file.
        #[test]
        fn splitting_never_panics(
            tokens in proptest::collection::vec(proptest::sample::select(vec![
                "{", "}", "(", ")", "[", "]", "<", ">", ";", ":", "::", ",", ".", "=", "=>", "->", "*", "&", "\"",
                "'", "`", "/*", "*/", "//", "#", "\n", " ", "\t", "fn", "def", "func", "function", "class",
                "struct", "impl", "trait", "mod", "namespace", "template", "typename", "public", "static", "void",
                "int", "const", "let", "var", "return", "x", "Foo", "operator", "~", "@", "\\", "é", "\u{0}",
            ]), 0..300),
            noise in "\\PC{0,200}",
        ) {
            let garbled = tokens.concat();
            for l in Language::ALL {
                for src in [garbled.as_str(), noise.as_str()] {
                    let units = split_source("g", l, src).unwrap();
                    let lines = src.lines().count().max(1);
                    for u in &units {
                        proptest::prop_assert!(1 <= u.start_line && u.start_line <= u.end_line);
                        proptest::prop_assert!(u.end_line <= lines, "{} {}..{} of {lines}", l.name(), u.start_line, u.end_line);
                        let _ = numbered(u);
                    }
                }
            }
        }
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
    fn repository_walk_splits_mixed_languages_and_skips_vendored_code() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            ("src/a.c", "int f(void) { return 0; }\n"),
            ("src/b.cc", "int g() { return 1; }\n"),
            ("src/b.h", "static inline int h(void) { return 2; }\n"),
            ("web/app.ts", "export function t(): void {}\n"),
            ("web/ui.tsx", "export const U = () => <p/>;\n"),
            ("web/old.js", "function j() {}\n"),
            ("Main.java", "class Main { void m() {} }\n"),
            ("cmd/main.go", "package main\nfunc main() {}\n"),
            ("src/lib.rs", "fn r() {}\n"),
            ("tools/x.py", "def p():\n    pass\n"),
            ("vendor/dep/dep.go", "package dep\nfunc D() {}\n"),
            ("node_modules/m/i.js", "function n() {}\n"),
            ("notes.md", "# no\n"),
        ];
        for (f, src) in files {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, src).unwrap();
        }
        let split = split_repository(dir.path()).unwrap();
        let got: Vec<_> = split
            .units
            .iter()
            .map(|u| (u.file.as_str(), u.language, u.name.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Main.java", Language::Java, "Main.m"),
                ("cmd/main.go", Language::Go, "main"),
                ("src/a.c", Language::C, "f"),
                ("src/b.cc", Language::Cpp, "g"),
                // A C file is in the repository: `.h` stays C.
                ("src/b.h", Language::C, "h"),
                ("src/lib.rs", Language::Rust, "r"),
                ("tools/x.py", Language::Python, "p"),
                ("web/app.ts", Language::TypeScript, "t"),
                ("web/old.js", Language::JavaScript, "j"),
                ("web/ui.tsx", Language::Tsx, "U"),
            ]
        );
        assert_eq!(split.files, 10);

        // Without C sources, headers are C++.
        std::fs::remove_file(dir.path().join("src/a.c")).unwrap();
        std::fs::write(
            dir.path().join("src/b.h"),
            "class K { int k() { return 3; } };\n",
        )
        .unwrap();
        let split = split_repository(dir.path()).unwrap();
        let h: Vec<_> = split
            .units
            .iter()
            .filter(|u| u.file == "src/b.h")
            .map(|u| (u.language, u.name.as_str()))
            .collect();
        assert_eq!(h, vec![(Language::Cpp, "K::k")]);
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
