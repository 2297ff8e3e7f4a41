//! What a CASE package says is written into `.acquis` source: every text
//! that is not a string literal (rules, ids, pass levels, accommodation
//! values) is checked here first, so that a package can never inject
//! source (a rule ending in `}` then a new block, a newline then an
//! `import`). Each error names the JSON path of the value.

use acquis_grammar::ast::Item;

use crate::error::{CaseProblem, RuleDefect};
use crate::skeleton;

/// `text` must be exactly one rule expression: it is parsed as the rule of
/// a certification, which must give one item and no error.
pub fn rule(text: &str, at: &str) -> Result<String, CaseProblem> {
    let bad = |why: RuleDefect| CaseProblem::NotOneRule {
        path: at.to_string(),
        why,
        text: text.to_string(),
    };
    if text.chars().any(char::is_control) {
        return Err(bad(RuleDefect::ControlCharacter));
    }
    if text.contains("//") {
        return Err(bad(RuleDefect::Comment));
    }
    let file = acquis_grammar::parse(&format!("certification validated when {text}\n"));
    if let Some(e) = file.errors.first() {
        return Err(bad(RuleDefect::Syntax(e.message.clone())));
    }
    match file.items.as_slice() {
        [Item::Certification(_)] => Ok(text.trim().to_string()),
        _ => Err(bad(RuleDefect::MoreThanARule)),
    }
}

/// `text` must already be an identifier (`C1.3`, `acquis`, `extra_time`).
pub fn identifier(text: &str, at: &str) -> Result<String, CaseProblem> {
    match skeleton::identifier(text) {
        Some(id) if id == text => Ok(id),
        _ => Err(CaseProblem::NotAnIdentifier {
            path: at.to_string(),
            text: text.to_string(),
        }),
    }
}

/// An id that may be qualified: `C1.3`, `E3/CT1`.
pub fn qualified(text: &str, at: &str) -> Result<String, CaseProblem> {
    for part in text.split('/') {
        identifier(part, at)?;
    }
    Ok(text.to_string())
}

/// A pass level (an identifier) or pass mark (a number).
pub fn pass(text: &str, at: &str) -> Result<String, CaseProblem> {
    if is_number(text) {
        Ok(text.to_string())
    } else {
        identifier(text, at).map_err(|_| CaseProblem::NotALevelOrNumber {
            path: at.to_string(),
            text: text.to_string(),
        })
    }
}

/// An accommodation's value: a number, a fraction (`1/3`) or a duration
/// (`30 min`, `1 h 30 min`).
pub fn accommodation_value(text: &str, at: &str) -> Result<String, CaseProblem> {
    let fraction = text
        .split_once('/')
        .is_some_and(|(a, b)| is_integer(a) && is_integer(b));
    let mut words = text.split(' ');
    let mut duration = !text.is_empty();
    while let Some(n) = words.next() {
        duration &= is_number(n) && matches!(words.next(), Some("h" | "min"));
    }
    if is_number(text) || fraction || duration {
        Ok(text.to_string())
    } else {
        Err(CaseProblem::NotAnAccommodationValue {
            path: at.to_string(),
            text: text.to_string(),
        })
    }
}

fn is_integer(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The grammar's `number`: `-`? digits (`.` digits)?.
fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    match digits.split_once('.') {
        Some((a, b)) => is_integer(a) && is_integer(b),
        None => is_integer(digits),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_exactly_one_expression() {
        assert!(rule("all blocks validated", "r").is_ok());
        assert!(rule(
            "at least 4 of {C1.3/CE1, C1.3/CE2} and C1.3/CE5 acquired",
            "r"
        )
        .is_ok());
        assert!(rule("B1 validated\nimport \"/etc/passwd\"", "r").is_err());
        assert!(rule("all blocks validated } block EVIL \"x\" { ", "r").is_err());
        assert!(rule("all blocks validated // x", "r").is_err());
        assert!(rule("", "r").is_err());
    }

    /// Issue 17: a rule too long or too deep for the toolchain is refused
    /// here (the parser's A0102), on a test thread's stack.
    #[test]
    fn rules_too_deep_are_refused_not_an_abort() {
        for text in [
            format!("count({{C1}}){} >= 1", " + 1".repeat(10_000)),
            format!("{}C1 validated", "not ".repeat(10_000)),
            format!("{}C1 validated{}", "(".repeat(10_000), ")".repeat(10_000)),
        ] {
            let refused = rule(&text, "r");
            assert!(
                matches!(&refused, Err(CaseProblem::NotOneRule {
                    why: RuleDefect::Syntax(message),
                    ..
                }) if message.english().contains("too deeply")),
                "{refused:?}"
            );
        }
    }

    #[test]
    fn values() {
        assert!(accommodation_value("1/3", "v").is_ok());
        assert!(accommodation_value("1 h 30 min", "v").is_ok());
        assert!(accommodation_value("20", "v").is_ok());
        assert!(accommodation_value("1/3 for oral", "v").is_err());
        assert!(pass("10", "p").is_ok());
        assert!(pass("acquis", "p").is_ok());
        assert!(pass("acquis }", "p").is_err());
        assert!(qualified("E3/CT1", "q").is_ok());
        assert!(qualified("E3/CT1 x", "q").is_err());
    }
}
