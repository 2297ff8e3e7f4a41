use crate::ast::*;
use crate::parse;

const SAMPLE: &str = r#"
/// The header.
referential EDL "Expert en développement logiciel" {
  level 7
  version "2025.1"
  lang fr
  meta rncp "RNCP39583"
  accommodation """
    Avec l'accord du candidat,
      un tiers temps.
  """
}

use std::scales::acquisition
use std::rules::*
import "other.acquis"

scale note "Note" {
  range 0 .. 20 step 0.5
  pass 10
}

defaults {
  criterion scale acquisition
  competency validated when all criteria acquired
  block validated when all competencies validated
  assessment accommodation extra_time 1/3 for oral "tiers temps"
}

rule compensation(avg, floor) = average(criteria) >= avg and min(criteria) >= floor

block A1 "Analyser" {
  summary """
    Texte.
  """
  mission "Une mission."
  situation "Analyse" {
    activity "Recueil."
    note "Nota."
  }
  competency C1.1 "Analyser les besoins"
  competency C1.3 "Analyser un système" {
    criterion CE1 "Choix" {
      indicator "La méthodologie d’audit."
      weight 2
      pass en_cours
    }
    validated when 4 of 5 criteria acquired and CE5 acquired
      or (not C1.1 validated and CE3 >= en_cours)
  }
  assessment E1 "Projet" {
    covers C1.1, C1.3
    task "Analyser."
    deliverable "Document."
    duration 1 h 30 min
    accommodation extra_time 1/3 for oral
    jointly C1.1, C1.3 {
      criterion CE1 "Partagé" { indicator "x" }
    }
  }
  validated when at least 2 of competencies except C1.1 validated
    and weighted average(criteria) + 1 >= 10 and count({CE1, CE2} acquired) >= 1
}

certification validated when all blocks validated

example "four of five" {
  grades { C1.3/CE1 acquis, C1.3/CE2 12.5 }
  expect C1.3 validated, A1 pending
}
"#;

#[test]
fn parses_every_construct_without_error() {
    let file = parse(SAMPLE);
    assert_eq!(file.errors, vec![], "{:#?}", file.errors);
    assert_eq!(file.items.len(), 10);
    let Some(Item::Referential(r)) = file.items.first() else {
        unreachable!("first item is the header")
    };
    assert_eq!(r.docs, vec!["The header."]);
    assert_eq!(r.level.map(|l| l.0), Some(7));
    assert_eq!(
        r.accommodation.as_ref().map(|t| t.value.as_str()),
        Some("Avec l'accord du candidat,\n  un tiers temps.")
    );
    let block = file.items.iter().find_map(|i| match i {
        Item::Block(b) => Some(b),
        _ => None,
    });
    let Some(block) = block else {
        unreachable!("a block was parsed")
    };
    assert_eq!(block.competencies.len(), 2);
    assert_eq!(block.assessments[0].jointly[0].criteria.len(), 1);
    assert!(matches!(
        block.assessments[0].duration,
        Some(Duration::Minutes(m, _)) if m == 90.0
    ));
    assert!(block.rule.is_some());
    let rule = &block.competencies[1].rule;
    assert!(matches!(
        rule,
        Some(RuleDecl {
            expr: Expr {
                kind: ExprKind::Or(_),
                ..
            },
            ..
        })
    ));
}

#[test]
fn spans_are_byte_offsets() {
    let src = "block Aé \"é\" { competency C1 \"ü\" }";
    let file = parse(src);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let Some(Item::Block(b)) = file.items.first() else {
        unreachable!()
    };
    assert_eq!(&src[b.id.span.start..b.id.span.end], "Aé");
    assert_eq!(
        &src[b.competencies[0].id.span.start..b.competencies[0].id.span.end],
        "C1"
    );
}

#[test]
fn one_bad_competency_does_not_hide_the_others() {
    let src = r#"
block A1 "Un" {
  competency C1 "ok"
  competency C2 oops {
    criterion CE1 "x"
  }
  competency C3 "ok" {
    criterion CE1 "x" { indicatr "typo" }
  }
}
block A2 "Deux" {
  competency C4 "ok" { validated when all criteria acquird and }
}
"#;
    let file = parse(src);
    let messages: Vec<_> = file.errors.iter().map(|e| e.message.english()).collect();
    assert_eq!(file.errors.len(), 3, "{messages:#?}");
    assert_eq!(
        &src[file.errors[0].span.start..file.errors[0].span.end],
        "oops"
    );
    assert!(messages[0].contains("expected a string"), "{messages:?}");
    assert_eq!(
        &src[file.errors[1].span.start..file.errors[1].span.end],
        "indicatr"
    );
    let blocks = file
        .items
        .iter()
        .filter(|i| matches!(i, Item::Block(_)))
        .count();
    assert_eq!(blocks, 2);
}

#[test]
fn long_strings_are_dedented() {
    assert_eq!(crate::dedent("\n    a\n      b\n  "), "a\n  b");
    assert_eq!(crate::dedent("one line"), "one line");
}

#[test]
fn a_doc_comment_after_a_rule_is_not_a_division() {
    // `/// doc` once read as `/` then a `// doc` comment, eating the next `rule`.
    let src = "rule m() = count(criteria acquired) * 2 > size(criteria)\n/// doc\nrule x() = all criteria";
    let file = parse(src);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert_eq!(file.items.len(), 2);
}

#[test]
fn a_level_comparison_is_a_member_test() {
    let file = parse("rule r() = CE1 >= en_cours");
    let Some(Item::Rule(rule)) = file.items.first() else {
        unreachable!("{:?}", file.errors)
    };
    assert!(
        matches!(rule.body.kind, ExprKind::Member { .. }),
        "{:?}",
        rule.body.kind
    );
}

#[test]
fn spans_stop_before_trailing_blanks_and_comments() {
    let src = "block A \"a\" {\n  competency C \"c\" {\n    criterion K \"k\"\n    validated when all criteria acquired  // why\n  }\n}\ncertification validated when all blocks validated // note\n\n";
    let file = parse(src);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let Some(Item::Block(b)) = file.items.first() else {
        unreachable!()
    };
    let rule = b.competencies[0].rule.as_ref().map(|r| r.span);
    let rule = rule.map(|s| &src[s.start..s.end]);
    assert_eq!(rule, Some("validated when all criteria acquired"));
    let Some(Item::Certification(c)) = file.items.get(1) else {
        unreachable!()
    };
    assert_eq!(
        &src[c.span.start..c.span.end],
        "certification validated when all blocks validated"
    );
}

#[test]
fn big_files_parse_in_parallel_chunks_with_the_same_result() {
    let mut src = String::from("referential R \"r\" { lang fr }\n");
    let mut n = 0;
    while src.len() < 1_500_000 {
        n += 1;
        src.push_str(&format!(
            "/// Bloc {n}\nblock B{n} \"Bloc {n} « é » // pas un commentaire\" {{\n  competency C{n} \"c\" {{\n    criterion K \"k {{\" {{ indicator \"i }}\" }}\n  }}\n  summary \"\"\"\nblock X \"not an item\" {{\n\"\"\"\n}}\n"
        ));
        if n % 500 == 0 {
            src.push_str("block broken { oops\n}\n");
        }
    }
    let cuts = super::parser::chunks(&src, 4);
    assert!(cuts.len() > 2, "the file is cut: {cuts:?}");
    for cut in &cuts[1..cuts.len() - 1] {
        assert!(
            src[*cut..].starts_with("/// Bloc") || src[*cut..].starts_with("block"),
            "{}",
            &src[*cut..*cut + 20]
        );
    }
    let parallel = parse(&src);
    let mut items = Vec::new();
    let mut errors = Vec::new();
    super::parser::parse_range(
        &src,
        &super::parser::input(&src),
        0,
        src.len(),
        &mut items,
        &mut errors,
    );
    assert_eq!(parallel.items, items);
    assert_eq!(parallel.errors.len(), n / 500);
    assert_eq!(parallel.items.len(), n + 1);
}

#[test]
fn deeply_nested_rules_are_an_error_not_a_crash() {
    for depth in [100, 10_000] {
        let src = format!(
            "rule r() = {}all criteria acquired{}\nrule s() = {}CE1 acquired",
            "(".repeat(depth),
            ")".repeat(depth),
            "not ".repeat(depth)
        );
        let file = parse(&src);
        assert!(!file.errors.is_empty(), "depth {depth}");
        assert!(file.errors.iter().all(|e| e.span.end <= src.len()));
    }
    // 30 levels are fine.
    let src = format!(
        "rule r() = {}all criteria acquired{}",
        "(".repeat(30),
        ")".repeat(30)
    );
    assert!(parse(&src).errors.is_empty());
}

#[test]
fn at_least_n_of_m_parses_as_the_sketch_writes_it() {
    let file = parse("rule r() = at least 4 of 5 criteria acquired and CE5 acquired");
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let Some(Item::Rule(rule)) = file.items.first() else {
        unreachable!()
    };
    let ExprKind::And(parts) = &rule.body.kind else {
        unreachable!("{:?}", rule.body.kind)
    };
    assert!(matches!(
        parts[0].kind,
        ExprKind::Counted {
            at_least: Count::Literal(4, _),
            size: Count::Literal(5, _),
            ..
        }
    ));
}

#[test]
fn expected_sets_never_name_internal_rules() {
    for source in [
        "referential R \"R\" { level 3 \n",
        "block B \"b\" {\n  competency C1 \"c\" {\n    criterion CE1 \"x\" {\n",
        "scale s \"s\" {\n",
    ] {
        let file = parse(source);
        assert!(!file.errors.is_empty(), "{source}");
        for e in &file.errors {
            assert!(!e.message.english().contains("bad_"), "{:?}", e.message);
            assert!(
                e.expected.iter().all(|x| !x.english().contains("bad_")),
                "{:?}",
                e.expected
            );
        }
    }
}

/// The comparison of a rule written alone, `rule r() = RULE`.
fn comparison(rule: &str) -> (NumExpr, NumExpr) {
    let file = parse(&format!("rule r() = {rule}"));
    assert!(file.errors.is_empty(), "{rule}: {:?}", file.errors);
    let Some(Item::Rule(rule)) = file.items.first() else {
        unreachable!()
    };
    let ExprKind::Compare { lhs, rhs, .. } = &rule.body.kind else {
        unreachable!("{:?}", rule.body.kind)
    };
    (lhs.clone(), rhs.clone())
}

#[test]
fn max_of_a_set_is_an_aggregate_and_max_of_two_numbers_an_extremum() {
    let (lhs, _) = comparison("max({CE1, CE2}) >= 15");
    assert!(matches!(
        lhs,
        NumExpr::Aggregate {
            function: AggregateFn::Max,
            ..
        }
    ));
    let (lhs, _) = comparison("min(criteria except CE1) >= 8");
    assert!(matches!(
        lhs,
        NumExpr::Aggregate {
            function: AggregateFn::Min,
            ..
        }
    ));
    let (lhs, _) = comparison("max(0, sum({UF1}) - 10) + sum({UF2}) >= 10");
    let NumExpr::Binary { lhs, .. } = lhs else {
        unreachable!("{lhs:?}")
    };
    let NumExpr::Extremum {
        function: ExtremumFn::Max,
        args,
        ..
    } = *lhs
    else {
        unreachable!("{lhs:?}")
    };
    let [zero, rhs] = args.as_slice() else {
        unreachable!("{args:?}")
    };
    assert!(matches!(zero, NumExpr::Number(n, _) if *n == 0.0));
    assert!(matches!(
        rhs,
        NumExpr::Binary {
            op: ArithOp::Sub,
            ..
        }
    ));
    let (_, rhs) = comparison("average(criteria) >= min(12, max({CE1}))");
    assert!(matches!(
        rhs,
        NumExpr::Extremum {
            function: ExtremumFn::Min,
            ..
        }
    ));
}

#[test]
fn round_floor_and_ceil_take_an_expression_and_decimals() {
    for (text, expected) in [
        ("round", RoundFn::Round),
        ("floor", RoundFn::Floor),
        ("ceil", RoundFn::Ceil),
    ] {
        let (lhs, _) = comparison(&format!("{text}(weighted average(criteria), 2) >= 10"));
        let NumExpr::Round {
            function,
            arg,
            decimals,
            span,
        } = lhs
        else {
            unreachable!("{lhs:?}")
        };
        assert_eq!(function, expected);
        assert!(matches!(*arg, NumExpr::Aggregate { .. }));
        assert!(matches!(decimals, Some(Value::Number(n, _)) if n == 2.0));
        assert_eq!(span.end - span.start, text.len() + 31);
    }
    // Decimals may be a parameter; the compiler checks them.
    let (lhs, _) = comparison("round(sum(criteria) / 3, n) >= 10");
    assert!(matches!(
        lhs,
        NumExpr::Round { decimals: Some(Value::Name(ref id)), .. } if id.name == "n"
    ));
}

#[test]
fn round_floor_and_ceil_stay_names_elsewhere() {
    // The standard library's `compensation(avg, floor)` before rounding existed.
    let (_, rhs) = comparison("min(criteria) >= floor");
    assert!(matches!(rhs, NumExpr::Param(ref id) if id.name == "floor"));
    let file = parse("rule r() = round >= 10 and ceil(2) and floor acquired");
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let Some(Item::Rule(rule)) = file.items.first() else {
        unreachable!()
    };
    let ExprKind::And(parts) = &rule.body.kind else {
        unreachable!("{:?}", rule.body.kind)
    };
    assert!(matches!(parts[0].kind, ExprKind::Member { .. }));
    assert!(matches!(parts[1].kind, ExprKind::Call { .. }));
    assert!(matches!(parts[2].kind, ExprKind::Member { .. }));
}

#[test]
fn a_malformed_rounding_is_reported_where_it_goes_wrong() {
    for (rule, at) in [
        (
            "floor(average(criteria), ) >= 10",
            "floor(average(criteria), ".len(),
        ),
        ("max(1, ) >= 1", "max(1, ".len()),
    ] {
        let prefix = "rule r() = ";
        let file = parse(&format!("{prefix}{rule}"));
        let Some(error) = file.errors.first() else {
            unreachable!("{rule} parsed")
        };
        assert_eq!(error.span.start, prefix.len() + at, "{rule}: {error:?}");
    }
    // The number of arguments is the compiler's to check, so that it can
    // say what is missing: `round(x)`, `max(CE1)` for `max({CE1})`.
    let (lhs, _) = comparison("round(average(criteria)) >= 10");
    assert!(matches!(lhs, NumExpr::Round { decimals: None, .. }));
    let (lhs, _) = comparison("max(CE1) >= 10");
    assert!(matches!(lhs, NumExpr::Extremum { ref args, .. } if args.len() == 1));
    let (lhs, _) = comparison("min(1, 2, 3) >= 1");
    assert!(matches!(lhs, NumExpr::Extremum { ref args, .. } if args.len() == 3));
}

#[test]
fn absence_rules_in_scales_assessments_and_defaults() {
    let source = "scale note \"n\" { range 0 .. 20 pass 10 absent counts as 0 }\n\
                  scale niveaux { levels non < oui pass oui absent counts as non }\n\
                  defaults { absent counts as not acquired }\n\
                  block B \"b\" { assessment E \"e\" { covers C absent counts as 12.5 } }\n";
    let file = parse(source);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let counts_as = |rule: &Option<AbsentRule>| rule.as_ref().map(|r| r.counts_as.clone());
    let Item::Scale(note) = &file.items[0] else {
        unreachable!("{:?}", file.items[0])
    };
    assert!(matches!(
        counts_as(&note.absent),
        Some(AbsentValue::Value(Value::Number(n, _))) if n == 0.0
    ));
    let Some(rule) = note.absent.as_ref() else {
        unreachable!("{note:?}")
    };
    assert_eq!(
        &source[rule.span.start..rule.span.end],
        "absent counts as 0"
    );
    let Item::Scale(niveaux) = &file.items[1] else {
        unreachable!()
    };
    assert!(matches!(
        counts_as(&niveaux.absent),
        Some(AbsentValue::Value(Value::Name(level))) if level.name == "non"
    ));
    let Item::Defaults(defaults) = &file.items[2] else {
        unreachable!()
    };
    let Some(AbsentValue::NotAcquired(span)) =
        defaults.absent.as_ref().map(|r| r.counts_as.clone())
    else {
        unreachable!("{:?}", defaults.absent)
    };
    assert_eq!(&source[span.start..span.end], "not acquired");
    let Item::Block(block) = &file.items[3] else {
        unreachable!()
    };
    assert!(matches!(
        counts_as(&block.assessments[0].absent),
        Some(AbsentValue::Value(Value::Number(n, _))) if n == 12.5
    ));
}

#[test]
fn an_absence_rule_is_said_once_and_completely() {
    let twice = parse("scale s { range 0 .. 1 pass 1 absent counts as 0 absent counts as 1 }\n");
    assert_eq!(twice.errors.len(), 1, "{:?}", twice.errors);
    assert_eq!(
        twice.errors[0].message.english(),
        "scale `s` already says what absence counts as; keep one `absent counts as`"
    );
    // A word left out: what was expected there.
    let short = parse("scale s { range 0 .. 1 pass 1 absent as 0 }\n");
    assert_eq!(short.errors.len(), 1, "{:?}", short.errors);
    let english =
        |e: &[acquis_diagnostics::Text]| e.iter().map(|t| t.english()).collect::<Vec<_>>();
    assert_eq!(english(&short.errors[0].expected), ["`counts`"]);
    let nothing = parse("defaults { absent counts as }\n");
    assert_eq!(nothing.errors.len(), 1, "{:?}", nothing.errors);
    assert_eq!(
        english(&nothing.errors[0].expected),
        ["`not acquired`", "a number or a level", "an identifier"]
    );
}

/// A number keeps at most 15 significant digits, so the compiler recovers
/// the decimal written from its double exactly; more is an error on the
/// number, not a silent rounding.
#[test]
fn numbers_have_at_most_fifteen_significant_digits() {
    let ok = "scale s { range 0 .. 20 step 0.000000000000005 pass 10.50000000000000000 }\n\
              scale t { range 0 .. 123456789012345 pass 0.00123456789012345 }\n";
    let file = parse(ok);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let long = "scale s { range 0 .. 20 pass 0.1234567890123456 }\n";
    let file = parse(long);
    let messages: Vec<String> = file.errors.iter().map(|e| e.message.english()).collect();
    assert_eq!(
        messages,
        ["`0.1234567890123456` has more than 15 significant digits: a number of a referential is kept exactly, up to 15 digits"]
    );
    let error = &file.errors[0];
    assert_eq!(
        &long[error.span.start..error.span.end],
        "0.1234567890123456"
    );
}

#[test]
fn assessment_parts_and_rule() {
    let source = "block B \"b\" {\n  assessment E2 \"e\" {\n    covers C\n    part ecrit \"Écrit\" { scale note pass 8 coefficient 2 duration 3 h form \"ponctuelle écrite\" }\n    part oral \"Oral\"\n    validated when weighted average(parts) >= 10\n  }\n}\n";
    let file = parse(source);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let Item::Block(block) = &file.items[0] else {
        unreachable!("{:?}", file.items[0])
    };
    let e2 = &block.assessments[0];
    assert_eq!(e2.parts.len(), 2);
    let ecrit = &e2.parts[0];
    assert_eq!(ecrit.criterion.id.name, "ecrit");
    assert_eq!(ecrit.criterion.weight.map(|w| w.0), Some(2.0));
    assert!(matches!(ecrit.duration, Some(Duration::Minutes(m, _)) if m == 180.0));
    assert_eq!(
        ecrit.form.as_ref().map(|t| t.value.as_str()),
        Some("ponctuelle écrite")
    );
    assert!(e2.parts[1].criterion.weight.is_none());
    let Some(rule) = &e2.rule else {
        unreachable!("{e2:?}")
    };
    assert!(matches!(rule.expr.kind, ExprKind::Compare { .. }));
    // A part member out of place says what a part may hold.
    let bad = parse("block B \"b\" { assessment E \"e\" { part p \"p\" { weight 2 } } }\n");
    assert_eq!(bad.errors.len(), 1, "{:?}", bad.errors);
    assert!(
        bad.errors[0]
            .expected
            .iter()
            .any(|e| e.english() == "`coefficient`"),
        "{:?}",
        bad.errors[0].expected
    );
    // The formatter puts each member of a part on its line.
    let formatted = crate::format::format(source).unwrap_or_default();
    assert_eq!(
        formatted,
        "block B \"b\" {\n  assessment E2 \"e\" {\n    covers C\n    part ecrit \"Écrit\" {\n      scale note\n      pass 8\n      coefficient 2\n      duration 3 h\n      form \"ponctuelle écrite\"\n    }\n    part oral \"Oral\"\n    validated when weighted average(parts) >= 10\n  }\n}\n"
    );
    assert_eq!(
        crate::format::format(&formatted).unwrap_or_default(),
        formatted
    );
}

#[test]
fn an_assessment_may_stand_outside_the_blocks() {
    let source = "/// L'entretien final.\nassessment EF \"Entretien final\" {\n  covers C1, C2\n  part entretien \"Entretien\" { duration 20 min optional }\n  validated when weighted average(parts) >= 8\n}\n";
    let file = parse(source);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let Item::Assessment(ef) = &file.items[0] else {
        unreachable!("{:?}", file.items[0])
    };
    assert_eq!(ef.docs, ["L'entretien final."]);
    assert_eq!(ef.covers.len(), 2);
    assert_eq!(ef.parts.len(), 1);
    assert!(ef.parts[0].optional.is_some());
    assert!(ef.rule.is_some());
    let formatted = crate::format::format(source).unwrap_or_default();
    assert_eq!(
        formatted,
        "/// L'entretien final.\nassessment EF \"Entretien final\" {\n  covers C1, C2\n  part entretien \"Entretien\" {\n    duration 20 min\n    optional\n  }\n  validated when weighted average(parts) >= 8\n}\n"
    );
}
