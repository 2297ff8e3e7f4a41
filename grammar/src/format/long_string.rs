//! Re-indenting a multi-line `"""..."""` under its entity. The value of a
//! long string is its text without the common indentation and without a
//! blank first and last line (`crate::dedent`), so moving every line by the
//! same amount keeps the value; the result is checked, and the string is
//! printed verbatim if its value would change.

use crate::dedent;

use super::layout::INDENT;

/// The long string `raw` (quotes included) with its lines indented one
/// level under `indent`, and its closing quotes at `indent`.
pub(crate) fn reindent(raw: &str, indent: usize) -> String {
    let inner = raw
        .strip_prefix("\"\"\"")
        .and_then(|r| r.strip_suffix("\"\"\""))
        .filter(|inner| inner.contains(['\n', '\r']));
    let Some(inner) = inner else {
        return raw.to_string();
    };
    let value = dedent(inner);
    let pad = " ".repeat(indent + INDENT);
    let mut out = String::with_capacity(raw.len() + 16);
    out.push_str("\"\"\"\n");
    for (i, line) in value.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    out.push('\n');
    out.push_str(&" ".repeat(indent));
    out.push_str("\"\"\"");
    let new_inner = out.get(3..out.len().saturating_sub(3)).unwrap_or("");
    if dedent(new_inner) == value {
        out
    } else {
        raw.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(raw: &str) -> String {
        dedent(raw.get(3..raw.len() - 3).unwrap_or(""))
    }

    #[test]
    fn moves_lines_and_keeps_the_value() {
        let raw =
            "\"\"\"\n        Avec l'accord\n          du candidat.\n\n        Fin.\n      \"\"\"";
        let out = reindent(raw, 2);
        assert_eq!(
            out,
            "\"\"\"\n    Avec l'accord\n      du candidat.\n\n    Fin.\n  \"\"\""
        );
        assert_eq!(value(&out), value(raw));
    }

    #[test]
    fn one_line_and_odd_strings_keep_their_value() {
        assert_eq!(reindent("\"\"\"court\"\"\"", 4), "\"\"\"court\"\"\"");
        for raw in [
            "\"\"\"premier\n   second\n\"\"\"",
            "\"\"\"\r\n\ttab\r\n  \"\"\"",
            "\"\"\"\n\n\n  a\n\n\"\"\"",
            "\"\"\"\n\"\"\"",
            "\"\"\"\u{a0}x\n y\"\"\"",
        ] {
            let out = reindent(raw, 6);
            assert_eq!(value(&out), value(raw), "{raw:?} -> {out:?}");
            assert_eq!(reindent(&out, 6), out, "idempotent for {raw:?}");
        }
    }
}
