//! Human names for grammar rules, for "expected ..." messages.

use acquis_diagnostics::text;
use acquis_diagnostics::Text as Words;

use super::Rule;

/// Turns pest's list of expected rules into short, deduplicated phrases.
/// Internal rules (the error productions) are left out: they accept
/// anything, so naming them tells the reader nothing.
pub fn describe_expected(rules: &[Rule]) -> Vec<Words> {
    let mut out: Vec<Words> = Vec::new();
    for rule in rules.iter().filter(|r| !is_internal(**r)) {
        let name = describe(*rule);
        if !out.iter().any(|n| n == &name) {
            out.push(name);
        }
    }
    out.sort_by_cached_key(Words::english);
    out
}

/// The error productions (`bad_item`, `bad_member`) that skip what could not
/// be read, so that one error does not hide the rest of the file.
fn is_internal(rule: Rule) -> bool {
    matches!(rule, Rule::bad_item | Rule::bad_member)
}

fn describe(rule: Rule) -> Words {
    let keyword = |k: &str| text!("`{keyword}`", keyword = k);
    match rule {
        Rule::ident | Rule::word | Rule::name => text!("an identifier"),
        Rule::ref_id | Rule::qualified => text!("an id"),
        Rule::string | Rule::long_string => text!("a string"),
        Rule::number | Rule::integer | Rule::value => text!("a number or a level"),
        Rule::fraction => text!("a fraction such as `1/3`"),
        Rule::doc => text!("a doc comment"),
        Rule::EOI => text!("the end of the file"),
        Rule::expr
        | Rule::or_expr
        | Rule::and_expr
        | Rule::not_expr
        | Rule::quantified
        | Rule::quantifier
        | Rule::counted
        | Rule::member_test
        | Rule::call
        | Rule::comparison => text!("a rule"),
        Rule::predicate | Rule::p_acquired | Rule::p_validated => {
            text!("`acquired`, `validated` or a comparison")
        }
        Rule::cmp_op => text!("a comparison (`>=`, `>`, `<=`, `<`, `=`, `!=`)"),
        Rule::set | Rule::s_criteria | Rule::s_competencies | Rule::s_blocks | Rule::s_parts => {
            text!("a set (`criteria`, `competencies`, `blocks` or `{{...}}`)")
        }
        Rule::explicit_set => text!("`{{`"),
        Rule::num_expr
        | Rule::num_term
        | Rule::aggregate
        | Rule::agg_fn
        | Rule::param_ref
        | Rule::rounding
        | Rule::round_fn
        | Rule::r_round
        | Rule::r_floor
        | Rule::r_ceil
        | Rule::extremum
        | Rule::extremum_fn => text!("a number or an aggregate"),
        Rule::decimals => text!("a number of decimals (0 to 6)"),
        Rule::time_unit => text!("a unit (`h`, `min`, `d`)"),
        Rule::duration_part => text!("a duration such as `45 min`"),
        Rule::use_path => text!("a path such as `std::scales::acquisition`"),
        Rule::k_and => keyword("and"),
        Rule::k_or => keyword("or"),
        Rule::k_not => keyword("not"),
        Rule::k_at | Rule::q_at_least | Rule::q_at_most => keyword("at"),
        Rule::k_least => keyword("least"),
        Rule::k_most => keyword("most"),
        Rule::k_of => keyword("of"),
        Rule::k_except => keyword("except"),
        Rule::q_all => keyword("all"),
        Rule::q_any => keyword("any"),
        Rule::q_none => keyword("none"),
        other => {
            // Keyword tokens are named `k_<keyword>`; item rules by their keyword.
            let name = format!("{other:?}");
            let bare = name.strip_prefix("k_").unwrap_or(&name);
            match bare {
                "ref_level" => keyword("level"),
                "ref_version" => keyword("version"),
                "ref_lang" => keyword("lang"),
                "ref_meta" => keyword("meta"),
                "ref_accommodation" | "default_accommodation" => keyword("accommodation"),
                "use_decl" => keyword("use"),
                "import_decl" => keyword("import"),
                "named_rule" => keyword("rule"),
                "validated_when" | "default_rule" => keyword("validated when"),
                "scale_levels" => keyword("levels"),
                "absent_rule" => keyword("absent counts as"),
                "absent_not_acquired" => keyword("not acquired"),
                "scale_range" => keyword("range"),
                "scale_pass" | "criterion_pass" => keyword("pass"),
                "criterion_scale" | "default_scale" => keyword("scale"),
                "criterion_weight" => keyword("weight"),
                "situation_activity" => keyword("activity"),
                "situation_note" => keyword("note"),
                "example_grades" => keyword("grades"),
                "example_expect" => keyword("expect"),
                "entity_kind" => text!("`competency` or `block`"),
                "grade" => text!("a grade (`ID level`)"),
                "expectation" => text!("an expectation (`ID outcome`)"),
                _ => keyword(bare),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_productions_are_never_named() {
        let described = describe_expected(&[Rule::bad_member, Rule::ref_lang, Rule::bad_item]);
        let english: Vec<String> = described.iter().map(Words::english).collect();
        assert_eq!(english, ["`lang`"]);
    }
}
