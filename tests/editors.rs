#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]
//! The editor support in `editors/` (docs/editors.md): the VS Code
//! extension's TextMate grammar and client, the Neovim and Helix configs.
//!
//! These tests need Node.js, the npm packages of editors/vscode (installed by
//! `scripts/test`, which runs `npm ci` there) and python3. They fail, never
//! skip, when one is missing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::root;

fn vscode_dir() -> PathBuf {
    let dir = root().join("editors/vscode");
    let tool = dir.join("node_modules/.bin/vscode-tmgrammar-test");
    assert!(
        tool.exists(),
        "{} is missing: editors/vscode/node_modules is not installed. \
         Run scripts/test, which runs `npm ci` in editors/vscode, \
         or run `npm ci` there yourself.",
        tool.display()
    );
    dir
}

fn run(mut command: Command, what: &str) -> Output {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("could not run {what} ({command:?}): {e}; is it installed?"));
    assert!(
        output.status.success(),
        "{what} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// `npm test` in editors/vscode: the vscode-tmgrammar-test unit tests of every
/// construct, the snapshot test, the extension's client logic and the Neovim
/// module's syntax.
#[test]
fn npm_test_passes_in_editors_vscode() {
    let dir = vscode_dir();
    let mut npm = Command::new("npm");
    npm.args(["test", "--silent"]).current_dir(&dir);
    let output = run(npm, "`npm test` in editors/vscode");
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Each grammar test file reports itself; make sure they all ran.
    let grammar_tests = files_with_extension(&dir.join("tests/grammar"), "acquis");
    assert!(grammar_tests.len() >= 8, "{grammar_tests:?}");
    for file in &grammar_tests {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            stdout.contains(&format!("tests/grammar/{name} run successfuly")),
            "the grammar test {name} did not report success:\n{stdout}"
        );
    }
    assert!(
        stdout.contains("tests/snap/taste.acquis run successfully"),
        "{stdout}"
    );
    assert!(stdout.contains("# fail 0"), "{stdout}");
    // `npm test` bundled the extension (dist/extension.js, esbuild): what
    // `vsce package` would put in the .vsix, as vsce itself lists it, is the
    // manifest, the language configuration, the grammar, the README and the
    // bundle, not the 300 files of node_modules.
    let mut vsce = Command::new("npx");
    vsce.args(["--no-install", "vsce", "ls"]).current_dir(&dir);
    let listed = run(
        vsce,
        "`vsce ls` in editors/vscode (@vscode/vsce, a dev dependency)",
    );
    let mut files: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "README.md",
            "dist/extension.js",
            "language-configuration.json",
            "package.json",
            "syntaxes/acquis.tmLanguage.json"
        ]
    );
}

fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    files
}

/// The lowercase word literals of the pest grammar: every keyword, rule word,
/// set name, aggregate and time unit of the language.
fn pest_keywords() -> BTreeSet<String> {
    let pest = std::fs::read_to_string(root().join("grammar/src/acquis.pest")).unwrap();
    let mut words = BTreeSet::new();
    for line in pest.lines() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            if c != '"' {
                continue;
            }
            let mut literal = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        literal.push(c);
                        literal.extend(chars.next());
                    }
                    '"' => break,
                    _ => literal.push(c),
                }
            }
            if !literal.is_empty() && literal.chars().all(|c| c.is_ascii_lowercase()) {
                words.insert(literal);
            }
        }
    }
    words
}

#[derive(Debug)]
struct Token {
    file: String,
    line: u64,
    text: String,
    scopes: Vec<String>,
}

impl Token {
    fn in_code(&self) -> bool {
        !self
            .scopes
            .iter()
            .any(|s| s.starts_with("comment.") || s.starts_with("string."))
    }
    fn innermost(&self) -> &str {
        self.scopes.last().map_or("", String::as_str)
    }
}

/// Tokenises files with the extension's grammar and VS Code's engine.
fn tokenize(files: &[PathBuf]) -> Vec<Token> {
    let dir = vscode_dir();
    let mut node = Command::new("node");
    node.arg("tests/tokenize.js").args(files).current_dir(&dir);
    let output = run(node, "node tests/tokenize.js");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            Token {
                file: v["file"].as_str().unwrap().to_string(),
                line: v["line"].as_u64().unwrap(),
                text: v["text"].as_str().unwrap().to_string(),
                scopes: v["scopes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap().to_string())
                    .collect(),
            }
        })
        .collect()
}

/// The real referentials and the standard library.
fn acquis_sources() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["examples/edl", "examples/cuisine", "stdlib/std"] {
        files.extend(files_with_extension(&root().join(dir), "acquis"));
    }
    assert!(files.len() >= 5, "{files:?}");
    files
}

/// A scope that a colour theme highlights as a keyword-like word.
fn is_keyword_scope(scope: &str) -> bool {
    [
        "keyword.",
        "storage.type.",
        "support.function.",
        "variable.language.",
        "constant.language.",
    ]
    .iter()
    .any(|prefix| scope.starts_with(prefix))
}

/// Every word literal of grammar/src/acquis.pest occurs in code in the grammar
/// tests or the examples, and every such occurrence is scoped as a keyword.
/// Adding a keyword to the pest grammar fails this test until the TextMate
/// grammar highlights it and a grammar test uses it.
#[test]
fn every_keyword_of_the_pest_grammar_is_highlighted() {
    let keywords = pest_keywords();
    for expected in [
        "referential",
        "competency",
        "validated",
        "when",
        "least",
        "weighted",
        "min",
        "h",
    ] {
        assert!(
            keywords.contains(expected),
            "{expected} not read from the pest file: {keywords:?}"
        );
    }
    let mut files = files_with_extension(&vscode_dir().join("tests/grammar"), "acquis");
    files.extend(acquis_sources());
    let tokens = tokenize(&files);

    let mut seen: BTreeMap<&str, usize> = keywords.iter().map(|k| (k.as_str(), 0)).collect();
    let mut wrong = Vec::new();
    for token in tokens.iter().filter(|t| t.in_code()) {
        for word in token.text.split_whitespace() {
            if let Some(count) = seen.get_mut(word) {
                *count += 1;
                if !is_keyword_scope(token.innermost()) {
                    wrong.push(format!(
                        "{}:{} {word:?} {:?}",
                        token.file, token.line, token.scopes
                    ));
                }
            }
        }
    }
    let unseen: Vec<_> = seen
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(k, _)| *k)
        .collect();
    assert!(
        unseen.is_empty(),
        "keywords of acquis.pest never used in code by editors/vscode/tests/grammar/*.acquis \
         or the examples (add them to a grammar test and to the TextMate grammar): {unseen:?}"
    );
    assert!(
        wrong.is_empty(),
        "keywords not scoped as keywords by the TextMate grammar:\n{}",
        wrong.join("\n")
    );
}

/// Every word, number and operator of the seed referential, the cuisine
/// example and the standard library gets a scope of its own: the grammar
/// leaves nothing of real files unhighlighted.
#[test]
fn every_token_of_the_examples_is_scoped() {
    let tokens = tokenize(&acquis_sources());
    assert!(tokens.len() > 5_000, "only {} tokens", tokens.len());
    let bare: Vec<String> = tokens
        .iter()
        .filter(|t| !t.text.trim().is_empty())
        .filter(|t| {
            t.scopes
                .iter()
                .all(|s| s == "source.acquis" || s.starts_with("meta."))
        })
        .map(|t| format!("{}:{} {:?} {:?}", t.file, t.line, t.text, t.scopes))
        .collect();
    assert!(
        bare.is_empty(),
        "tokens without a scope:\n{}",
        bare.join("\n")
    );
    // Entity ids keep their dots: `C1.3` is one token.
    assert!(tokens
        .iter()
        .any(|t| t.text == "C1.3" && t.innermost() == "variable.other.entity.acquis"));
    assert!(tokens
        .iter()
        .any(|t| t.text == "C1.3" && t.innermost() == "entity.name.type.competency.acquis"));
}

fn json_file(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// editors/helix/languages.toml parses (python3's tomllib) and declares the
/// language and the `acquis lsp` server the way VS Code and Neovim do.
#[test]
fn helix_languages_toml_declares_acquis_and_its_server() {
    let mut python = Command::new("python3");
    python.args([
        "-c",
        "import json, sys, tomllib\n\
         with open(sys.argv[1], 'rb') as f:\n    print(json.dumps(tomllib.load(f)))",
    ]);
    python.arg(root().join("editors/helix/languages.toml"));
    let output = run(python, "python3 (tomllib) on editors/helix/languages.toml");
    let toml: Value = serde_json::from_slice(&output.stdout).unwrap();

    let languages = toml["language"].as_array().expect("[[language]]");
    assert_eq!(languages.len(), 1, "{toml}");
    let language = &languages[0];
    // Helix refuses unknown keys (serde `deny_unknown_fields`): these are
    // the keys of its `[[language]]` table.
    let known = [
        "name",
        "language-id",
        "scope",
        "file-types",
        "shebangs",
        "roots",
        "comment-token",
        "comment-tokens",
        "block-comment-tokens",
        "text-width",
        "soft-wrap",
        "auto-format",
        "formatter",
        "path-completion",
        "word-completion",
        "diagnostic-severity",
        "grammar",
        "injection-regex",
        "language-servers",
        "indent",
        "debugger",
        "auto-pairs",
        "rulers",
        "workspace-lsp-roots",
        "persistent-diagnostic-sources",
        "rainbow-brackets",
    ];
    for key in language.as_object().unwrap().keys() {
        assert!(
            known.contains(&key.as_str()),
            "Helix has no [[language]] key {key:?}"
        );
    }
    assert_eq!(language["name"], "acquis");
    assert_eq!(language["file-types"], serde_json::json!(["acquis"]));
    assert_eq!(language["language-servers"], serde_json::json!(["acquis"]));

    let server = &toml["language-server"]["acquis"];
    assert_eq!(server["command"], "acquis");
    assert_eq!(server["args"], serde_json::json!(["lsp"]));

    // The same comment token and scope as the VS Code extension.
    let configuration = json_file("editors/vscode/language-configuration.json");
    assert_eq!(
        language["comment-token"],
        configuration["comments"]["lineComment"]
    );
    let grammar = json_file("editors/vscode/syntaxes/acquis.tmLanguage.json");
    assert_eq!(language["scope"], grammar["scopeName"]);
}

/// docs/editors.md documents every setting and command of the extension.
#[test]
fn docs_describe_every_setting_of_the_extension() {
    let docs = std::fs::read_to_string(root().join("docs/editors.md")).unwrap();
    let manifest = json_file("editors/vscode/package.json");
    let contributes = &manifest["contributes"];
    let settings = contributes["configuration"]["properties"]
        .as_object()
        .unwrap();
    let commands = contributes["commands"].as_array().unwrap();
    assert!(settings.len() >= 2 && !commands.is_empty());
    for name in settings
        .keys()
        .map(String::as_str)
        .chain(commands.iter().map(|c| c["command"].as_str().unwrap()))
    {
        assert!(
            docs.contains(&format!("`{name}`")),
            "docs/editors.md does not mention `{name}`"
        );
    }
    for needle in [
        "acquis lsp",
        "vscode-tmgrammar-test",
        "editors/neovim/acquis.lua",
        "editors/helix/languages.toml",
    ] {
        assert!(
            docs.contains(needle),
            "docs/editors.md does not mention {needle}"
        );
    }
}

/// editors/neovim/acquis.lua in a real Neovim: the version Debian 12 ships
/// (0.7), or whichever `nvim` scripts/test installed. Opening a `.acquis`
/// file sets the filetype and its options, and starts `acquis lsp`, which
/// initializes, rooted at the folder holding `.git`. (Neovim 0.7 needs the
/// autocommand for the filetype and `vim.lsp.start_client`, which the
/// module used to miss: it asked for nvim-lspconfig and set no filetype.)
#[test]
fn the_neovim_module_works_in_a_real_neovim() {
    let dir = std::env::temp_dir().join(format!("acquis-nvim-{}", std::process::id()));
    let project = dir.join("proj");
    std::fs::create_dir_all(project.join(".git")).unwrap();
    let file = project.join("r.acquis");
    std::fs::copy(root().join("tests/fixtures/small.acquis"), &file).unwrap();
    let init = dir.join("init.lua");
    std::fs::write(
        &init,
        format!(
            "package.path = {:?} .. package.path\nrequire('acquis').setup({{ cmd = {{ {:?}, 'lsp' }} }})\n",
            format!("{}/?.lua;", root().join("editors/neovim").display()),
            env!("CARGO_BIN_EXE_acquis"),
        ),
    )
    .unwrap();
    let check = dir.join("check.lua");
    std::fs::write(
        &check,
        r#"local ok = vim.wait(20000, function()
  for _, c in pairs(vim.lsp.buf_get_clients(0)) do
    if c.initialized then return true end
  end
  return false
end, 50)
local n, root = 0, ""
for _, c in pairs(vim.lsp.buf_get_clients(0)) do n = n + 1; root = c.config.root_dir or "" end
io.stdout:write(("filetype=%s commentstring=%s clients=%d initialized=%s root=%s\n"):format(
  vim.bo.filetype, vim.bo.commentstring, n, tostring(ok), root))
"#,
    )
    .unwrap();
    let mut command = Command::new("nvim");
    command
        .args(["--headless", "-i", "NONE", "-u"])
        .arg(&init)
        .arg("-c")
        .arg(format!("edit {}", file.display()))
        .arg("-c")
        .arg(format!("luafile {}", check.display()))
        .args(["-c", "qa!"]);
    let output = run(command, "nvim (scripts/test installs Debian's neovim)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        stdout.contains(&format!(
            "filetype=acquis commentstring=// %s clients=1 initialized=true root={}",
            project.display()
        )),
        "stdout: {stdout}\nstderr: {stderr}"
    );
}

/// editors/neovim/acquis.lua against a fake `vim` on each setup path the
/// docs name: Neovim 0.11+ (`vim.lsp.config`, `vim.lsp.enable`), 0.8 to
/// 0.10 (`vim.lsp.start` for each buffer) and 0.7 (`vim.lsp.start_client`,
/// one client per root attached to each buffer), with Debian's Lua 5.4,
/// which scripts/test installs. The real Neovim above covers 0.7 end to
/// end; this covers the versions this machine does not have.
#[test]
fn the_neovim_module_takes_the_path_of_each_version() {
    let mut command = Command::new("lua5.4");
    command
        .current_dir(root())
        .arg("editors/neovim/tests/fake_vim.lua");
    let output = run(command, "lua5.4 (scripts/test installs Debian's lua5.4)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("fake-vim checks ok: 0.11+, 0.7 and 0.8-0.10 paths"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
