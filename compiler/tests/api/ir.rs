//! Snapshot of the IR of a small referential written for the test
//! (tests/fixtures/small.acquis of the workspace): rule trees, qualified ids
//! and spans.

use acquis_diagnostics::render;

use crate::{compile_workspace, SMALL};

fn compile_small() -> acquis_compiler::Compilation {
    // Named from the workspace root, as the command line names it there, so
    // the snapshot's `files` does not depend on where the workspace is.
    compile_workspace(SMALL)
}

#[test]
fn small_referential_compiles_cleanly() {
    let c = compile_small();
    assert!(
        c.diagnostics.is_empty(),
        "{}",
        render::render(
            &c.diagnostics,
            &c.sources,
            render::Format::Narrated,
            acquis_diagnostics::Lang::En
        )
    );
}

#[test]
fn small_referential_ir_snapshot() {
    let c = compile_small();
    let ir = c.ir.expect("the main file was read");
    insta::assert_snapshot!("small_ir", ir.to_json());
}

/// Every span of the IR points at the text it describes: its line and
/// column agree with its byte offset, and it starts with the right keyword.
#[test]
fn small_referential_spans_point_at_their_items() {
    let c = compile_small();
    let ir = c.ir.expect("the main file was read");
    let json: serde_json::Value = serde_json::from_str(&ir.to_json()).unwrap();
    let files: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    let text_of = |file: usize| {
        let id = c.sources.find(files[file]).unwrap();
        c.sources.get(id).unwrap().text.as_str()
    };
    let check = |span: &serde_json::Value, keyword: &str, id: &str| {
        let file = span["file"].as_u64().unwrap() as usize;
        let text = text_of(file);
        let start = span["start"].as_u64().unwrap() as usize;
        let end = span["end"].as_u64().unwrap() as usize;
        assert!(
            start <= end && end <= text.len(),
            "{keyword} {id}: span {span} outside its file"
        );
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count()
            + 1;
        assert_eq!(
            (
                span["line"].as_u64().unwrap() as usize,
                span["column"].as_u64().unwrap() as usize
            ),
            (line, column),
            "{keyword} {id}"
        );
        // The span starts at the item's doc comments, if any, then its keyword.
        let mut item = &text[start..end];
        while item.starts_with("///") {
            item = item
                .split_once('\n')
                .map_or("", |(_, rest)| rest)
                .trim_start();
        }
        assert!(
            item.starts_with(keyword),
            "span of {keyword} {id} starts with {:?}",
            &item[..item.len().min(40)]
        );
        assert!(
            item.contains(id),
            "span of {keyword} {id} does not contain its id"
        );
    };
    check(&json["referential"]["span"], "referential", "SMALL");
    for s in json["scales"].as_array().unwrap() {
        check(&s["span"], "scale", s["id"].as_str().unwrap());
    }
    for b in json["blocks"].as_array().unwrap() {
        check(&b["span"], "block", b["id"].as_str().unwrap());
    }
    for x in json["competencies"].as_array().unwrap() {
        check(&x["span"], "competency", x["id"].as_str().unwrap());
    }
    for x in json["criteria"].as_array().unwrap() {
        check(&x["span"], "criterion", x["local_id"].as_str().unwrap());
    }
    for x in json["assessments"].as_array().unwrap() {
        check(&x["span"], "assessment", x["id"].as_str().unwrap());
    }
    check(&json["certification"]["span"], "certification", "validated");
    for x in json["examples"].as_array().unwrap() {
        check(&x["span"], "example", x["name"].as_str().unwrap());
    }
}

/// Spans end where their item ends: not over the blank lines and comments
/// that follow an item without a closing brace (a competency without a
/// body, the certification rule), or the editor underlines them too.
#[test]
fn small_referential_spans_end_at_the_end_of_their_items() {
    let c = compile_small();
    let ir = c.ir.expect("the main file was read");
    let text = c
        .sources
        .get(c.sources.find(SMALL).unwrap())
        .unwrap()
        .text
        .as_str();
    let mut spans: Vec<(String, acquis_ir::SpanIr)> = vec![
        ("referential".to_string(), ir.referential.span),
        ("certification".to_string(), ir.certification.span),
    ];
    spans.extend(ir.scales.iter().map(|x| (x.id.clone(), x.span)));
    spans.extend(ir.blocks.iter().map(|x| (x.id.clone(), x.span)));
    spans.extend(ir.competencies.iter().map(|x| (x.id.clone(), x.span)));
    spans.extend(ir.criteria.iter().map(|x| (x.id.clone(), x.span)));
    spans.extend(ir.assessments.iter().map(|x| (x.id.clone(), x.span)));
    spans.extend(ir.examples.iter().map(|x| (x.name.clone(), x.span)));
    let mut wrong = Vec::new();
    for (id, span) in spans.iter().filter(|(_, s)| s.file == 0) {
        let item = &text[span.start..span.end];
        if item.trim_end() != item {
            wrong.push(format!(
                "{id} (line {}): ends with {:?}",
                span.line,
                &item[item.trim_end().len()..]
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "spans ending past their item:\n{}",
        wrong.join("\n")
    );
}
