#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]

use super::*;

/// The AST as JSON without byte spans: what must not change.
fn meaning(source: &str) -> serde_json::Value {
    fn strip(value: &mut serde_json::Value) {
        if is_span(value) {
            *value = serde_json::Value::Null;
        }
        match value {
            serde_json::Value::Object(map) => {
                map.retain(|k, _| k != "span" && k != "skipped");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    fn is_span(v: &serde_json::Value) -> bool {
        v.as_object()
            .is_some_and(|m| m.len() == 2 && m.contains_key("start") && m.contains_key("end"))
    }
    let file = crate::parse(source);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let mut value = serde_json::to_value(&file).unwrap();
    strip(&mut value);
    value
}

/// Formats, and checks what every formatting must satisfy.
fn fmt(source: &str) -> String {
    let out = format(source).unwrap();
    assert_eq!(format(&out).unwrap(), out, "not idempotent:\n{out}");
    assert_eq!(meaning(&out), meaning(source), "meaning changed:\n{out}");
    out
}

#[test]
fn one_entity_per_line_and_indented_bodies() {
    let source = "referential X \"t\" { level 3 lang fr }\nblock B1 \"b\" { competency C1 \"c\" { criterion CE1 \"x\" { indicator \"a\" indicator \"b\" } validated when all criteria acquired } }\n";
    assert_eq!(
        fmt(source),
        "referential X \"t\" {\n  level 3\n  lang fr\n}\nblock B1 \"b\" {\n  competency C1 \"c\" {\n    criterion CE1 \"x\" {\n      indicator \"a\"\n      indicator \"b\"\n    }\n    validated when all criteria acquired\n  }\n}\n"
    );
}

#[test]
fn bad_indentation_tabs_and_spaces_are_normalised() {
    let source = "block B1 \"b\" {\n\t\t  competency   C1\t\"c\"\n         competency C2 \"d\"   {\n criterion CE1 \"x\"\n}\n}\n";
    assert_eq!(
        fmt(source),
        "block B1 \"b\" {\n  competency C1 \"c\"\n  competency C2 \"d\" {\n    criterion CE1 \"x\"\n  }\n}\n"
    );
}

#[test]
fn ids_of_consecutive_one_line_entities_are_aligned() {
    let source = "referential X \"t\" {\n  meta a \"1\"\n  meta longer \"2\"\n}\nblock B \"b\" {\n  competency C1.1 \"a\"\n  competency C1.10 \"b\"\n\n  competency C2 \"c\"\n}\n";
    assert_eq!(
        fmt(source),
        "referential X \"t\" {\n  meta a      \"1\"\n  meta longer \"2\"\n}\nblock B \"b\" {\n  competency C1.1  \"a\"\n  competency C1.10 \"b\"\n\n  competency C2 \"c\"\n}\n"
    );
}

#[test]
fn comments_stay_where_they_were() {
    let source = "// head\n\n\n\n/// doc of B\nblock B \"b\" { // after brace\n  // before C1\n  competency C1 \"c\" { // inside\n    criterion CE1 \"x\" // end of line\n    // last in body\n  } // after close\n  validated when C1 validated // why\n    and // between rule words\n    // own line in a rule\n    all competencies validated\n  // before the close\n}\n// end of file\n";
    assert_eq!(
        fmt(source),
        "// head\n\n/// doc of B\nblock B \"b\" {  // after brace\n  // before C1\n  competency C1 \"c\" {  // inside\n    criterion CE1 \"x\"  // end of line\n    // last in body\n  }  // after close\n  validated when C1 validated  // why\n      and                      // between rule words\n      // own line in a rule\n      all competencies validated\n  // before the close\n}\n// end of file\n"
    );
}

#[test]
fn consecutive_end_of_line_comments_are_aligned() {
    let source = "use std::scales::acquisition // one\nuse std::rules::* // two\n\nimport \"x.acquis\" // alone\n";
    assert_eq!(
        fmt(source),
        "use std::scales::acquisition  // one\nuse std::rules::*             // two\n\nimport \"x.acquis\"  // alone\n"
    );
}

#[test]
fn crlf_bom_and_unicode() {
    let source = "\u{FEFF}block B \"Été 🎓\" {\r\n  competency C1 \"très 👩‍🍳\"\r\n\r\n\r\n  validated when all competencies validated\r\n}\r\n";
    assert_eq!(
        fmt(source),
        "block B \"Été 🎓\" {\n  competency C1 \"très 👩‍🍳\"\n\n  validated when all competencies validated\n}\n"
    );
}

#[test]
fn canonical_spacing_outside_rules() {
    let source = "rule r ( n , m ) = n_of(n)\nexample \"e\" { grades {C1/CE1 1 , C1/CE2 acquis} expect C1 validated,C2 pending }\nblock B \"b\" { assessment E \"e\" { covers C1 ,C2 duration 1 h 30 min accommodation extra_time 1/3 for oral } }\n";
    assert_eq!(
        fmt(source),
        "rule r(n, m) = n_of(n)\nexample \"e\" {\n  grades { C1/CE1 1, C1/CE2 acquis }\n  expect C1 validated, C2 pending\n}\nblock B \"b\" {\n  assessment E \"e\" {\n    covers C1, C2\n    duration 1 h 30 min\n    accommodation extra_time 1/3 for oral\n  }\n}\n"
    );
}

#[test]
fn absence_rules_are_members_on_their_own_line() {
    let source = "scale s { range 0 .. 20 pass 10   absent   counts as\t0 }\ndefaults { criterion scale s absent counts  as not   acquired }\nblock B \"b\" { assessment E \"e\" { covers C absent counts as 12 } }\n";
    assert_eq!(
        fmt(source),
        "scale s {\n  range 0 .. 20\n  pass 10\n  absent counts as 0\n}\ndefaults {\n  criterion scale s\n  absent counts as not acquired\n}\nblock B \"b\" {\n  assessment E \"e\" {\n    covers C\n    absent counts as 12\n  }\n}\n"
    );
}

#[test]
fn rules_get_canonical_spacing_and_keep_their_line_breaks() {
    // The IR keeps a rule's text with the same spacing (`rule_text`), so
    // the layout may respace a rule; the designer's line breaks stay, as
    // continuation lines.
    let source = "certification validated when all blocks validated   and(count( criteria acquired )*2>size(criteria))\n   or not ( C1 = x )//why\n";
    assert_eq!(
        fmt(source),
        "certification validated when all blocks validated and (count(criteria acquired) * 2 > size(criteria))\n    or not (C1 = x)  //why\n"
    );
}

#[test]
fn rounding_and_extrema_are_spaced_like_calls() {
    let source = "certification validated when round ( weighted average( criteria ) ,2 )>=10\n  and max(0 , sum({UF1})- 10)+floor(min( sum({A}),sum({B}) ),1)>= ceil(2.5,0)\n";
    let formatted = fmt(source);
    assert_eq!(
        formatted,
        "certification validated when round(weighted average(criteria), 2) >= 10\n    and max(0, sum({UF1}) - 10) + floor(min(sum({A}), sum({B})), 1) >= ceil(2.5, 0)\n"
    );
    assert_eq!(fmt(&formatted), formatted);
    assert_eq!(
        super::rule_text("round ( average(criteria),2)>=10 or min(1 ,2)<max({A})"),
        "round(average(criteria), 2) >= 10 or min(1, 2) < max({A})"
    );
}

#[test]
fn rule_text_is_the_formatted_rule_on_one_line_without_comments() {
    assert_eq!(
        super::rule_text("all blocks validated   and(count( criteria acquired )*2>size(criteria))\n   or not ( C1 = x )//why\n"),
        "all blocks validated and (count(criteria acquired) * 2 > size(criteria)) or not (C1 = x)"
    );
    assert_eq!(
        super::rule_text("at least 4 of {CE1 ,CE2,CE3} acquired // note\n and n_of( 3)"),
        "at least 4 of {CE1, CE2, CE3} acquired and n_of(3)"
    );
}

#[test]
fn line_breaks_inside_an_entity_are_kept_and_indented() {
    let source = "example \"e\" {\ngrades {\n      C1/CE1 1,\n C1/CE2 2\n        }\n  expect C1 validated,\n            C2 pending\n}\n";
    assert_eq!(
        fmt(source),
        "example \"e\" {\n  grades {\n    C1/CE1 1,\n    C1/CE2 2\n  }\n  expect C1 validated,\n      C2 pending\n}\n"
    );
}

#[test]
fn long_strings_move_with_their_entity() {
    let source = "block B \"b\" {\nsummary \"\"\"\n              Un.\n                Deux.\n\n              Trois.\n       \"\"\"\n}\n";
    assert_eq!(
        fmt(source),
        "block B \"b\" {\n  summary \"\"\"\n    Un.\n      Deux.\n\n    Trois.\n  \"\"\"\n}\n"
    );
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("  \n\n"), "");
    assert_eq!(fmt("// only\n\n\n// comments"), "// only\n\n// comments\n");
}

#[test]
fn syntax_errors_are_returned_with_positions() {
    let error = format("block B \"b\" {\n  competency C1\n}\n").unwrap_err();
    assert_eq!(error.errors.len(), 1);
    let e = &error.errors[0];
    assert_eq!((e.line, e.column), (3, 1));
    assert!(e.message.english().contains("expected"), "{:?}", e.message);
    assert!(error.to_string().contains("3:1:"), "{error}");
    assert!(format_range("block {", 0..1).is_err());
}

#[test]
fn range_formats_only_the_items_it_touches() {
    let source = "use   std::scales::acquisition\n\n\n   block B \"b\" { competency C1 \"c\" }  // c\nblock  B2 \"b\" {}\n";
    let at = source.find("C1").unwrap();
    let edits = format_range(source, at..at).unwrap();
    assert_eq!(edits.len(), 1);
    let start = source.find("   block").unwrap();
    let end = source.find("// c").unwrap() + 4;
    assert_eq!(
        edits[0],
        Edit {
            range: start..end,
            text: "block B \"b\" {\n  competency C1 \"c\"\n}  // c".to_string(),
        }
    );
    // The whole file: every item, but blank lines between items stay.
    let all = format_range(source, 0..source.len()).unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(apply(source, &all), "use std::scales::acquisition\n\n\nblock B \"b\" {\n  competency C1 \"c\"\n}  // c\nblock B2 \"b\" {}\n");
    // Nothing to do in a formatted file.
    let formatted = format(source).unwrap();
    assert!(format_range(&formatted, 0..formatted.len())
        .unwrap()
        .is_empty());
}

#[test]
fn range_splits_items_sharing_a_line() {
    let source = "use a::b use c::d\r\n";
    let edits = format_range(source, 9..10).unwrap();
    assert_eq!(
        edits,
        [Edit {
            range: 8..17,
            text: "\r\nuse c::d".to_string()
        }]
    );
}

fn apply(source: &str, edits: &[Edit]) -> String {
    let mut out = source.to_string();
    for edit in edits.iter().rev() {
        out.replace_range(edit.range.clone(), &edit.text);
    }
    out
}

#[test]
fn doc_comments_in_odd_places_get_lines_of_their_own() {
    let source = "block B \"b\" { mission \"m\" /// doc of C1\n competency C1 \"c\" }\ncertification /// doc of the rule\nvalidated when all blocks validated\n";
    assert_eq!(
        fmt(source),
        "block B \"b\" {\n  mission \"m\"\n  /// doc of C1\n  competency C1 \"c\"\n}\ncertification\n    /// doc of the rule\n    validated when all blocks validated\n"
    );
}

#[test]
fn several_items_on_one_line_and_odd_blanks() {
    let source = "use std::scales::acquisition use std::rules::*\u{a0}import \"x.acquis\"\rscale s { levels a<b<c pass b }   \n\n\n\n";
    assert_eq!(
        fmt(source),
        "use std::scales::acquisition\nuse std::rules::*\nimport \"x.acquis\"\nscale s {\n  levels a < b < c\n  pass b\n}\n"
    );
}

#[test]
fn level_labels_are_read_and_kept() {
    let source = "scale s {levels a \"Non acquis\"<b<c  \"Acquis\" pass c}\n";
    let file = crate::parse(source);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let crate::ast::Item::Scale(scale) = &file.items[0] else {
        panic!("a scale")
    };
    let labels: Vec<Option<&str>> = scale
        .labels
        .iter()
        .map(|l| l.as_ref().map(|t| t.value.as_str()))
        .collect();
    assert_eq!(labels, [Some("Non acquis"), None, Some("Acquis")]);
    let formatted = fmt(source);
    assert_eq!(
        formatted,
        "scale s {\n  levels a \"Non acquis\" < b < c \"Acquis\"\n  pass c\n}\n"
    );
    assert_eq!(meaning(&formatted), meaning(source));
    // A scale without labels has none.
    let plain = crate::parse("scale s { levels a < b pass b }\n");
    let crate::ast::Item::Scale(scale) = &plain.items[0] else {
        panic!("a scale")
    };
    assert!(scale.labels.is_empty());
}
