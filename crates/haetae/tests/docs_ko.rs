//! The Korean pages keep up with the English ones and with the CLI.
//!
//! Every `haetae …` command shown in a code block of `README.md` or `docs/*.md` must also be shown in a code block of
//! `README.ko.md` or `docs/ko/*.md`, and every command either side shows must exist in the binary's command tree.
//! The tree is read from the built binary's own help (`haetae [PATH…] --help`), so a subcommand renamed or removed in
//! the code fails here instead of leaving operators with a command that does not run.
//!
//! A command is its subcommand path (`haetae org vet`, `haetae audit verify-opening`), not its arguments: the
//! Korean pages may choose other example names and values, but not other commands.

// Helpers outside `#[test]` functions: a binary whose help cannot be read should abort the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// One node of the CLI: its subcommands, its options, and those of its options that take a value (so that
/// `--data-dir DIR org list` is read as the path `org list`, not as a subcommand named `DIR`).
#[derive(Debug, Default)]
struct Node {
    children: BTreeMap<String, Node>,
    options: BTreeSet<String>,
    value_options: BTreeSet<String>,
}

/// What an invocation names: its subcommand path, and the options it gives that its command does not have.
#[derive(Debug, PartialEq)]
struct Resolved {
    path: Vec<String>,
    unknown_options: Vec<String>,
}

/// A `haetae` command found in a page: where, and the words that followed `haetae`.
#[derive(Debug, Clone)]
struct Invocation {
    page: String,
    line: usize,
    args: Vec<String>,
}

/// Code blocks whose commands are read. Other languages (python, json, toml, yaml, rust …) hold no shell commands,
/// and a Python variable named `haetae` is not a command.
const SHELL_INFO: &[&str] = &[
    "",
    "sh",
    "bash",
    "shell",
    "console",
    "zsh",
    "text",
    "shell-session",
];

/// The lines of each fenced code block (``` or ~~~, possibly indented inside a list), with their line numbers.
fn code_blocks(markdown: &str) -> Vec<Vec<(usize, String)>> {
    let mut blocks = Vec::new();
    let mut open: Option<(char, usize, bool)> = None; // fence char, fence length, read this block
    let mut current = Vec::new();
    for (index, raw) in markdown.lines().enumerate() {
        let trimmed = raw.trim_start();
        let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let fence_len = fence_char.map_or(0, |c| trimmed.chars().take_while(|x| *x == c).count());
        match open {
            None if fence_len >= 3 => {
                let info = trimmed[fence_len..].trim();
                let lang = info.split([' ', ',', '{']).next().unwrap_or("");
                open = Some((
                    fence_char.unwrap_or('`'),
                    fence_len,
                    SHELL_INFO.contains(&lang.to_ascii_lowercase().as_str()),
                ));
                current = Vec::new();
            }
            Some((c, len, read))
                if fence_char == Some(c)
                    && fence_len >= len
                    && trimmed[fence_len..].trim().is_empty() =>
            {
                if read {
                    blocks.push(std::mem::take(&mut current));
                }
                open = None;
            }
            Some(_) => current.push((index + 1, raw.to_string())),
            None => {}
        }
    }
    blocks
}

/// A token of a shell line: a word, or a separator that starts a new command (`|`, `&&`, `;`, `$(` …).
#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    Separator,
}

/// Splits a shell command line into words as sh would (quotes, backslashes, `#` comments), with command
/// substitutions `$( … )` — also inside double quotes — read as commands of their own.
fn tokenize(line: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    // Quote state: None, Some('"') or Some('\''); a `$(` pushes the state it interrupts.
    let mut quote: Option<char> = None;
    let mut stack: Vec<Option<char>> = Vec::new();
    let mut chars = line.chars().peekable();
    let flush = |tokens: &mut Vec<Token>, word: &mut String, in_word: &mut bool| {
        if *in_word {
            tokens.push(Token::Word(std::mem::take(word)));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('\''), '\'') => quote = None,
            (Some('\''), _) => word.push(c),
            (_, '$') if chars.peek() == Some(&'(') => {
                chars.next();
                flush(&mut tokens, &mut word, &mut in_word);
                tokens.push(Token::Separator);
                stack.push(quote);
                quote = None;
            }
            (None, ')') if !stack.is_empty() => {
                flush(&mut tokens, &mut word, &mut in_word);
                tokens.push(Token::Separator);
                quote = stack.pop().flatten();
                in_word = quote.is_some();
            }
            (Some('"'), '"') => quote = None,
            (Some('"'), '\\') => {
                if let Some(next) = chars.next() {
                    word.push(next);
                }
            }
            (Some(_), _) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') => {
                if let Some(next) = chars.next() {
                    word.push(next);
                    in_word = true;
                }
            }
            (None, '#') if !in_word => break,
            (None, c) if c.is_whitespace() => flush(&mut tokens, &mut word, &mut in_word),
            (None, ';' | '|' | '&' | '(' | ')' | '`') => {
                flush(&mut tokens, &mut word, &mut in_word);
                tokens.push(Token::Separator);
            }
            (None, _) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    flush(&mut tokens, &mut word, &mut in_word);
    tokens
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// The arguments given to haetae by one simple command, if it runs haetae: `haetae …`, `./target/debug/haetae …`,
/// `$ haetae …`, `VAR=x haetae …`, or `cargo run [-p haetae] [--release] -- …`.
fn haetae_args(words: &[String]) -> Option<Vec<String>> {
    let mut rest = words;
    while let Some((first, tail)) = rest.split_first() {
        if first == "$"
            || first == "sudo"
            || first == "env"
            || first == "time"
            || first == "exec"
            || is_assignment(first)
        {
            rest = tail;
        } else {
            break;
        }
    }
    let (program, tail) = rest.split_first()?;
    if program == "haetae" || program.ends_with("/haetae") {
        return Some(tail.to_vec());
    }
    if program == "cargo" && tail.first().is_some_and(|w| w == "run") {
        let dashes = tail.iter().position(|w| w == "--")?;
        let cargo_args = &tail[1..dashes];
        // `cargo run -p haetae-policy --example x -- …` runs something else.
        for pair in cargo_args.windows(2) {
            if matches!(pair[0].as_str(), "-p" | "--package" | "--bin") && pair[1] != "haetae" {
                return None;
            }
            if pair[0] == "--example" {
                return None;
            }
        }
        if cargo_args.iter().any(|w| {
            (w.starts_with("--package=") && w != "--package=haetae") || w.starts_with("--example")
        }) {
            return None;
        }
        return Some(tail[dashes + 1..].to_vec());
    }
    None
}

/// Every haetae invocation in the shell code blocks of one page.
fn invocations(page: &str, markdown: &str) -> Vec<Invocation> {
    let mut found = Vec::new();
    for block in code_blocks(markdown) {
        // Join backslash continuations, remembering the line each command starts on.
        let mut logical: Vec<(usize, String)> = Vec::new();
        let mut continuing = false;
        for (number, line) in block {
            let (text, continues) = match line.trim_end().strip_suffix('\\') {
                Some(head) => (head.to_string(), true),
                None => (line.clone(), false),
            };
            match logical.last_mut() {
                Some((_, joined)) if continuing => {
                    joined.push(' ');
                    joined.push_str(&text);
                }
                _ => logical.push((number, text)),
            }
            continuing = continues;
        }
        for (line, text) in logical {
            let tokens = tokenize(&text);
            for command in tokens.split(|t| *t == Token::Separator) {
                let words: Vec<String> = command
                    .iter()
                    .filter_map(|t| match t {
                        Token::Word(w) => Some(w.clone()),
                        Token::Separator => None,
                    })
                    .collect();
                if let Some(args) = haetae_args(&words) {
                    found.push(Invocation {
                        page: page.to_string(),
                        line,
                        args,
                    });
                }
            }
        }
    }
    found
}

/// The subcommand path an invocation names (`["org", "vet"]`), walked through the command tree: options (and the
/// values of options that take one) are skipped, and the path ends at the first command without subcommands. An
/// option is checked against the command it follows, where clap looks for it.
fn command_path(tree: &Node, args: &[String]) -> Result<Resolved, String> {
    let mut node = tree;
    let mut path = Vec::new();
    let mut unknown_options = Vec::new();
    let mut help = false;
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if is_option(word) {
            let name = word.split_once('=').map_or(word.as_str(), |(name, _)| name);
            help |= matches!(name, "-h" | "--help" | "-V" | "--version");
            if !node.options.contains(name) && !help {
                unknown_options.push(name.to_string());
            }
            if !word.contains('=') && node.value_options.contains(name) {
                words.next();
            }
            continue;
        }
        if node.children.is_empty() {
            break;
        }
        match node.children.get(word.as_str()) {
            Some(child) => {
                path.push(word.clone());
                node = child;
            }
            None => {
                return Err(format!(
                    "`haetae {}` has no subcommand `{word}` (it has: {})",
                    path.join(" "),
                    node.children.keys().cloned().collect::<Vec<_>>().join(", ")
                ));
            }
        }
    }
    if !node.children.is_empty() && !help {
        return Err(format!("`haetae {}` needs a subcommand", path.join(" ")));
    }
    Ok(Resolved {
        path,
        unknown_options,
    })
}

/// `-o`, `--out`, `--out=x`; not `-` (standard input) or a negative number.
fn is_option(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next() == Some('-')
        && chars
            .next()
            .is_some_and(|c| c == '-' || c.is_ascii_alphabetic())
}

/// The subcommand paths a set of pages shows, each with the first place it is shown; and every invocation the
/// command tree does not know (with `check_options`, also those giving an option their command lacks).
fn commands(
    tree: &Node,
    pages: &[(String, String)],
    check_options: bool,
) -> (BTreeMap<String, String>, Vec<String>) {
    let mut shown = BTreeMap::new();
    let mut unknown = Vec::new();
    for (page, markdown) in pages {
        for inv in invocations(page, markdown) {
            match command_path(tree, &inv.args) {
                Ok(Resolved {
                    path,
                    unknown_options,
                }) => {
                    let name = std::iter::once("haetae")
                        .chain(path.iter().map(String::as_str))
                        .collect::<Vec<_>>()
                        .join(" ");
                    if check_options && !unknown_options.is_empty() {
                        unknown.push(format!(
                            "{}:{}: `{name}` has no option {}",
                            inv.page,
                            inv.line,
                            unknown_options.join(", ")
                        ));
                    }
                    shown
                        .entry(name)
                        .or_insert_with(|| format!("{}:{}", inv.page, inv.line));
                }
                Err(why) => unknown.push(format!(
                    "{}:{}: `haetae {}`: {why}",
                    inv.page,
                    inv.line,
                    inv.args.join(" ")
                )),
            }
        }
    }
    (shown, unknown)
}

/// What is wrong with the Korean pages against the English ones: commands the Korean pages lack, commands either
/// side shows that the CLI lacks, and options the Korean pages give that their command lacks (the English pages'
/// options are their authors' to keep). Empty when they agree.
fn problems(tree: &Node, english: &[(String, String)], korean: &[(String, String)]) -> Vec<String> {
    let (en, en_unknown) = commands(tree, english, false);
    let (ko, ko_unknown) = commands(tree, korean, true);
    let mut problems: Vec<String> = en
        .iter()
        .filter(|(command, _)| !ko.contains_key(*command))
        .map(|(command, place)| {
            format!("`{command}` (shown at {place}) is in no Korean page's code block")
        })
        .collect();
    problems.extend(
        en_unknown
            .into_iter()
            .map(|p| format!("English page, unknown to the CLI: {p}")),
    );
    problems.extend(
        ko_unknown
            .into_iter()
            .map(|p| format!("Korean page, unknown to the CLI: {p}")),
    );
    problems
}

/// Reads one help page: its subcommands (the `Commands:` section, names indented by two spaces), its options and
/// those that take a value (`--name <VALUE>`, `-o, --out <OUT>`). Option specs are indented by two to six spaces;
/// deeper lines are descriptions (and clap's `Possible values:` lists, whose lines also start with `-`).
fn parse_help(help: &str) -> Node {
    let mut node = Node::default();
    let mut commands = Vec::new();
    let mut section = "";
    for line in help.lines() {
        if !line.starts_with(' ') && line.ends_with(':') {
            section = line;
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        if section == "Commands:" {
            if indent == 2 {
                let name = trimmed.split_whitespace().next().unwrap_or("");
                if name != "help" && !name.is_empty() {
                    commands.push(name.to_string());
                }
            }
        } else if (2..=6).contains(&indent) && is_option(trimmed) {
            let spec = trimmed.split("  ").next().unwrap_or("");
            let takes_value = spec.contains('<');
            for flag in spec.split([',', ' ', '=']).filter(|w| is_option(w)) {
                node.options.insert(flag.to_string());
                if takes_value {
                    node.value_options.insert(flag.to_string());
                }
            }
        }
    }
    node.children = commands.into_iter().map(|c| (c, Node::default())).collect();
    node
}

fn help_of(path: &[String]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_haetae"))
        .args(path)
        .arg("--help")
        .env_remove("HAETAE_CONFIG")
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("run haetae --help");
    assert!(
        out.status.success(),
        "haetae {} --help failed: {out:?}",
        path.join(" ")
    );
    String::from_utf8(out.stdout).expect("help is UTF-8")
}

/// The binary's command tree, read from `haetae [PATH…] --help` recursively.
fn cli_tree(path: &mut Vec<String>) -> Node {
    let mut node = parse_help(&help_of(path));
    let names: Vec<String> = node.children.keys().cloned().collect();
    for name in names {
        path.push(name.clone());
        node.children.insert(name, cli_tree(path));
        path.pop();
    }
    node
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `first` (if it exists) and the `*.md` files directly in `dir`, as (path relative to the repository, text).
fn pages(first: &str, dir: &str) -> Vec<(String, String)> {
    let root = repo_root();
    let mut names = vec![first.to_string()];
    let mut in_dir: Vec<String> = std::fs::read_dir(root.join(dir))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "md"))
                .filter_map(|p| {
                    p.file_name()
                        .map(|n| format!("{dir}/{}", n.to_string_lossy()))
                })
                .collect()
        })
        .unwrap_or_default();
    in_dir.sort();
    names.extend(in_dir);
    names
        .into_iter()
        .filter_map(|name| {
            std::fs::read_to_string(root.join(&name))
                .ok()
                .map(|text| (name, text))
        })
        .collect()
}

#[test]
fn korean_pages_show_every_command_the_english_pages_show() {
    let tree = cli_tree(&mut Vec::new());
    assert!(
        tree.children.contains_key("audit")
            && tree.children["audit"].children.contains_key("verify"),
        "the help parser read no command tree from the binary: {tree:?}"
    );
    let english = pages("README.md", "docs");
    let korean = pages("README.ko.md", "docs/ko");
    assert!(
        english.iter().any(|(p, _)| p == "README.md"),
        "README.md not found"
    );
    assert!(
        korean.iter().any(|(p, _)| p == "README.ko.md"),
        "README.ko.md not found"
    );
    let (en, _) = commands(&tree, &english, false);
    assert!(
        en.len() >= 20,
        "only {} commands read from the English pages: {en:?}",
        en.len()
    );
    let problems = problems(&tree, &english, &korean);
    assert!(
        problems.is_empty(),
        "the Korean pages (README.ko.md, docs/ko/) have fallen behind:\n  {}",
        problems.join("\n  ")
    );
}

/// A tree like the binary's, small enough to read.
fn sample_tree() -> Node {
    let names =
        |list: &[&str]| -> BTreeSet<String> { list.iter().map(|o| o.to_string()).collect() };
    let leaf = || Node {
        children: BTreeMap::new(),
        options: names(&[
            "--url",
            "--key",
            "--org",
            "-o",
            "--name",
            "--member",
            "--decision",
            "--checked",
            "--full",
            "--data-dir",
            "--help",
            "-h",
        ]),
        value_options: names(&[
            "--url",
            "--key",
            "--org",
            "-o",
            "--name",
            "--member",
            "--decision",
            "--checked",
            "--data-dir",
        ]),
    };
    let group = |list: &[&str]| Node {
        children: list.iter().map(|n| (n.to_string(), leaf())).collect(),
        options: names(&["--data-dir", "--help", "-h"]),
        value_options: names(&["--data-dir"]),
    };
    Node {
        children: [
            ("org".to_string(), group(&["create", "vet"])),
            ("key".to_string(), group(&["issue", "revoke"])),
            ("audit".to_string(), group(&["verify", "verify-opening"])),
            ("up".to_string(), leaf()),
        ]
        .into(),
        options: names(&["--data-dir", "--config", "--help", "-h", "--version", "-V"]),
        value_options: names(&["--data-dir", "--config"]),
    }
}

fn page(name: &str, text: &str) -> Vec<(String, String)> {
    vec![(name.to_string(), text.to_string())]
}

#[test]
fn a_command_missing_from_the_korean_pages_is_reported() {
    let english = page(
        "README.md",
        "Vet:\n\n```sh\nhaetae org vet \"Busan CERT\" --decision verified \\\n    --checked x\nhaetae key issue --member m\n```\n",
    );
    let korean = page(
        "README.ko.md",
        "심사:\n\n```sh\nhaetae org vet \"부산 CERT\" --decision verified\n```\n",
    );
    let found = problems(&sample_tree(), &english, &korean);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("`haetae key issue` (shown at README.md:6)"),
        "{found:?}"
    );

    // Shown in prose only is not shown: the Korean page must carry it in a code block.
    let korean = page(
        "README.ko.md",
        "`haetae key issue`\n\n```sh\nhaetae org vet x\n```\n",
    );
    assert_eq!(problems_len(&english, &korean), 1);

    let korean = page(
        "README.ko.md",
        "```sh\nhaetae org vet x\nhaetae key issue --member m\n```\n",
    );
    assert_eq!(problems_len(&english, &korean), 0);
}

fn problems_len(english: &[(String, String)], korean: &[(String, String)]) -> usize {
    problems(&sample_tree(), english, korean).len()
}

#[test]
fn a_command_the_cli_lacks_is_reported_on_either_side() {
    let english = page("README.md", "```sh\nhaetae org vet x\n```\n");
    let korean = page(
        "docs/ko/guide.md",
        "```sh\nhaetae org vet x\nhaetae org approve x   # 없는 명령\n```\n",
    );
    let found = problems(&sample_tree(), &english, &korean);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("Korean page, unknown to the CLI: docs/ko/guide.md:3"),
        "{found:?}"
    );
    assert!(found[0].contains("no subcommand `approve`"), "{found:?}");

    // A group without its subcommand is not a command either.
    let korean = page("README.ko.md", "```sh\nhaetae org vet x\nhaetae key\n```\n");
    let found = problems(&sample_tree(), &english, &korean);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("`haetae key` needs a subcommand"),
        "{found:?}"
    );

    // The English pages are held to the CLI too.
    let english = page(
        "README.md",
        "```sh\nhaetae org vet x\nhaetae org approve x\n```\n",
    );
    let korean = page("README.ko.md", "```sh\nhaetae org vet x\n```\n");
    let found = problems(&sample_tree(), &english, &korean);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("English page, unknown to the CLI: README.md:3"),
        "{found:?}"
    );
}

#[test]
fn an_option_the_command_lacks_is_reported_on_the_korean_pages() {
    let english = page(
        "README.md",
        "```sh\nhaetae audit verify --url u --ful\n```\n",
    );
    let korean = page(
        "docs/ko/ledger.md",
        "```sh\nhaetae audit verify --url=u --key k --full --help\nhaetae audit verify --url u --ful --key k\n```\n",
    );
    let found = problems(&sample_tree(), &english, &korean);
    assert_eq!(
        found,
        [
            "Korean page, unknown to the CLI: docs/ko/ledger.md:3: `haetae audit verify` has no option --ful"
        ]
    );
    // An option before the subcommand belongs to the group: `--full` is `verify`'s, not `audit`'s.
    let korean = page(
        "README.ko.md",
        "```sh\nhaetae audit --full verify --url u\n```\n",
    );
    let found = problems(&sample_tree(), &english, &korean);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("`haetae audit verify` has no option --full"),
        "{found:?}"
    );
}

#[test]
fn commands_are_read_as_the_shell_would_run_them() {
    let text = r#"
Prose mentioning haetae key revoke is not read.

```sh
# haetae key revoke in a comment is not read
$ haetae --data-dir ./data org create --name "Busan CERT"   # global option with its value
HAETAE_API_KEY=hk_x haetae key issue --member m
KEY=$(haetae key revoke k1) && echo "$KEY"
echo "$(./target/debug/haetae audit verify --url u --key "k")"
cargo run --release -- up
cargo run -p haetae -- org vet x
cargo run -p haetae-policy --example train -- org approve
haetae-data/policies is a path, not a command
```

```python
haetae = "not a command"
```

1. In a list:

   ~~~console
   haetae audit verify-opening opening.json \
       --url u
   ~~~
"#;
    let found: Vec<String> = invocations("p.md", text)
        .iter()
        .map(|inv| {
            let resolved =
                command_path(&sample_tree(), &inv.args).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(resolved.unknown_options, Vec::<String>::new(), "{inv:?}");
            format!("{}: {}", inv.line, resolved.path.join(" "))
        })
        .collect();
    assert_eq!(
        found,
        [
            "6: org create",
            "7: key issue",
            "8: key revoke",
            "9: audit verify",
            "10: up",
            "11: org vet",
            "23: audit verify-opening",
        ]
    );
}

#[test]
fn help_pages_are_read_for_subcommands_and_options_with_values() {
    let help = "\
Usage: haetae org [OPTIONS] <COMMAND>

Commands:
  create  Register an organisation (it starts as `applied`)
  vet     Record a vetting review and move the organisation to its decision
          and a wrapped line
  help    Print this message or the help of the given subcommand(s)

Options:
      --config <CONFIG>
          Configuration file (default: ./haetae.toml if present)
      --full  Recompute the tree
  -o, --out <OUT>  Where
      --state <STATE>
          Possible values:
          - open:    not yet claimed
          - claimed: taken by a reviewer (see --reviewer)
  -h, --help  Print help
";
    let node = parse_help(help);
    assert_eq!(node.children.keys().collect::<Vec<_>>(), ["create", "vet"]);
    let names =
        |list: &[&str]| -> BTreeSet<String> { list.iter().map(|o| o.to_string()).collect() };
    assert_eq!(
        node.value_options,
        names(&["--config", "--out", "-o", "--state"])
    );
    assert_eq!(
        node.options,
        names(&[
            "--config", "--full", "--out", "-o", "--state", "-h", "--help"
        ])
    );
}
