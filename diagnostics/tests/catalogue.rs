//! The message catalogue is complete: every `text!` template of the
//! workspace's sources has its French, with the same arguments, and the
//! catalogue holds no entry that no source uses. Templates are found as
//! xgettext finds them: by reading the sources.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use acquis_diagnostics::catalogue::french;
use acquis_diagnostics::text::{argument_names, pieces, Piece};

/// The crates whose sources hold diagnostics (the workspace root's `src`
/// is the command line).
const SOURCES: &[&str] = &[
    "diagnostics/src",
    "grammar/src",
    "compiler/src",
    "ir/src",
    "stdlib/src",
    "eval/src",
    "publish/src",
    "pdf/src",
    "interop/src",
    "lsp/src",
    "src",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A Rust string literal starting at `text` (after its opening quote),
/// unescaped, and the length read.
fn literal(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                '\\' => out.push('\\'),
                '"' => out.push('"'),
                '\'' => out.push('\''),
                '0' => out.push('\0'),
                'u' => {
                    let code: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                    out.push(char::from_u32(u32::from_str_radix(&code, 16).ok()?)?);
                }
                '\n' => {
                    // A line continuation: the next line's leading blanks go too.
                    let rest: String = chars.clone().collect();
                    let skipped = rest.len() - rest.trim_start().len();
                    for _ in 0..rest[..skipped].chars().count() {
                        chars.next();
                    }
                }
                other => panic!("unexpected escape \\{other}"),
            },
            c => out.push(c),
        }
    }
    None
}

/// Every template used by `text!` in the sources (outside `#[cfg(test)]`
/// modules, which end each file), with where it is.
fn templates() -> BTreeMap<String, String> {
    let root = root();
    let mut files = Vec::new();
    for dir in SOURCES {
        rust_files(&root.join(dir), &mut files);
    }
    let mut found = BTreeMap::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        let source = match source.find("#[cfg(test)]") {
            Some(at) => &source[..at],
            None => &source[..],
        };
        let mut rest = source;
        while let Some(at) = rest.find("text!(") {
            let offset = source.len() - rest.len() + at;
            let after = rest[at + "text!(".len()..].trim_start();
            rest = &rest[at + "text!(".len()..];
            // The macro's own definition and its documentation.
            let Some(after) = after.strip_prefix('"') else {
                continue;
            };
            let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
            if source[line_start..offset].trim_start().starts_with("//") {
                continue;
            }
            let template = literal(after).unwrap();
            let line = source[..offset].lines().count();
            let place = format!(
                "{}:{line}",
                file.strip_prefix(&root).unwrap_or(&file).display()
            );
            found.entry(template).or_insert(place);
        }
    }
    found
}

/// The English keys of the catalogue, read back from its source.
fn catalogue_keys() -> Vec<String> {
    let source = std::fs::read_to_string(root().join("diagnostics/src/catalogue.rs")).unwrap();
    let mut keys = Vec::new();
    let mut rest = source.as_str();
    // An entry: `"english" => "french",`, possibly over several lines.
    while let Some(at) = rest.find("\" =>") {
        let before = &rest[..at];
        // The key's opening quote: the last unescaped quote before `at`
        // that starts a line's first token.
        let line_start = before.rfind("\n").map_or(0, |i| i + 1);
        let mut start = line_start;
        while start < before.len() && before.as_bytes()[start].is_ascii_whitespace() {
            start += 1;
        }
        if before.as_bytes().get(start) == Some(&b'"') {
            if let Some(key) = literal(&rest[start + 1..]) {
                keys.push(key);
            }
        }
        rest = &rest[at + 4..];
    }
    keys
}

#[test]
fn every_template_has_its_french_with_the_same_arguments() {
    let templates = templates();
    assert!(templates.len() > 20, "templates found: {}", templates.len());
    let mut missing = Vec::new();
    let mut wrong = Vec::new();
    for (template, place) in &templates {
        match french(template) {
            None => missing.push(format!("{place}: {template:?}")),
            Some(fr) => {
                // Outside its arguments, a French template says no English
                // word (codes and keywords in backticks aside).
                let words: String = pieces(fr)
                    .into_iter()
                    .map(|p| match p {
                        Piece::Literal(text) => text,
                        Piece::Argument { .. } => " ",
                    })
                    .collect();
                let english = acquis_diagnostics::catalogue::english_words(&words);
                // `null` and a few code words stay as they are.
                if !english.is_empty() && fr != template {
                    wrong.push(format!("{place}: English {english:?} in {fr:?}"));
                }
                if argument_names(template) != argument_names(fr) {
                    wrong.push(format!("{place}: {template:?} vs {fr:?}"));
                }
                for piece in pieces(fr).into_iter().chain(pieces(template)) {
                    if let Piece::Argument {
                        form: Some(form),
                        name,
                    } = piece
                    {
                        let known = ["s", "the", "a", "e", "pl", "this"].contains(&form)
                            || form.contains('|');
                        if !known {
                            wrong.push(format!("{place}: unknown form {{{name}:{form}}}"));
                        }
                    }
                }
            }
        }
    }
    assert!(
        missing.is_empty() && wrong.is_empty(),
        "{} templates have no French:\n{}\n\n{} differ in their arguments:\n{}",
        missing.len(),
        missing.join("\n"),
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_catalogue_holds_only_templates_in_use() {
    let templates = templates();
    let keys = catalogue_keys();
    assert!(!keys.is_empty());
    let unused: Vec<&String> = keys
        .iter()
        .filter(|k| !templates.contains_key(*k))
        .collect();
    assert!(unused.is_empty(), "unused entries: {unused:#?}");
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), keys.len(), "an entry is written twice");
}
