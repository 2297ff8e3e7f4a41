//! `describe` on compiled referentials: every rule form, in both languages.

mod grouping;

use acquis_compiler::compile_str;
use acquis_ir::describe::*;
use acquis_ir::ExprIr;

/// The sentence of competency C's rule, for a referential in `lang`.
pub fn competency_rule(lang: &str, rule: &str) -> String {
    let source = format!(
        r#"
referential R "r" {{ lang {lang} }}
use std::scales::acquisition
use std::scales::note_sur_20
defaults {{ criterion scale acquisition }}
block B "b" {{
  competency C "c" {{
criterion CE1 "1"
criterion CE2 "2"
criterion CE3 "3"
criterion CE4 "4"
criterion CE5 "5"
validated when {rule}
  }}
  competency D "d" {{
criterion CE1 "1" {{ scale note_sur_20 }}
criterion CE2 "2" {{ scale note_sur_20 }}
validated when all criteria acquired
  }}
  assessment E "e" {{ covers C, D }}
  validated when all competencies validated
}}
certification validated when all blocks validated
"#
    );
    let compiled = compile_str("t.acquis", &source);
    assert!(
        !compiled.has_errors(),
        "{rule}: {:#?}",
        compiled.diagnostics
    );
    let Some(ir) = compiled.ir.as_ref() else {
        unreachable!("an IR")
    };
    let lookup = Lookup::new(ir);
    let Some(c) = ir.competencies.first() else {
        unreachable!("competency C")
    };
    sentence(
        &lookup,
        Lang::of(ir),
        Subject::Competency(&c.id),
        &c.rule.expr,
    )
}

#[test]
fn the_brief_s_example_in_french() {
    assert_eq!(
        competency_rule("fr", "4 of 5 criteria acquired and CE5 acquired"),
        "C est validée lorsqu'au moins 4 des 5 critères sont acquis, dont CE5."
    );
}

#[test]
fn every_form_in_english() {
    let cases = [
        ("all criteria acquired", "C is validated when all 5 criteria are acquired."),
        (
            "at least 4 of criteria acquired and CE5 acquired",
            "C is validated when at least 4 of the 5 criteria are acquired, including CE5.",
        ),
        (
            "all criteria except CE5 acquired",
            "C is validated when all 4 criteria other than CE5 are acquired.",
        ),
        (
            "all {CE1, CE2} acquired and CE3 >= en_cours and (CE3 acquired or CE4 acquired)",
            "C is validated when all of the following hold: (a) CE1 and CE2 are acquired; (b) CE3 is graded at least “en_cours”; (c) either CE3 is acquired or CE4 is acquired.",
        ),
        (
            "none criteria = non_acquis and at most 1 of criteria = en_cours",
            "C is validated when none of the 5 criteria is graded “non_acquis” and at most one of the 5 criteria is graded “en_cours”.",
        ),
        (
            "any {CE1, CE2} acquired",
            "C is validated when at least one of CE1 and CE2 is acquired.",
        ),
        (
            "not (CE2 = non_acquis)",
            "C is validated when CE2 is not graded “non_acquis”.",
        ),
        (
            "D validated and average({D/CE1, D/CE2}) >= 10",
            "C is validated when D is validated and the average mark of D/CE1 and D/CE2 is at least 10.",
        ),
        (
            "count(criteria acquired) * 2 > size(criteria)",
            "C is validated when the number of the 5 criteria that are acquired times 2 is more than 5.",
        ),
    ];
    for (rule, expected) in cases {
        assert_eq!(competency_rule("en", rule), expected, "{rule}");
    }
}

#[test]
fn french_agreement_and_elision() {
    let cases = [
        (
            "all criteria acquired",
            "C est validée lorsque les 5 critères sont tous acquis.",
        ),
        (
            "none criteria = non_acquis",
            "C est validée lorsqu'aucun des 5 critères n'est noté «\u{202f}non_acquis\u{202f}».",
        ),
        (
            "at least 2 of {CE1, CE2, CE3} acquired",
            "C est validée lorsqu'au moins 2 critères parmi CE1, CE2 et CE3 sont acquis.",
        ),
        (
            "CE1 acquired or (CE2 acquired and CE3 acquired)",
            "C est validée lorsqu'au moins une des conditions suivantes est remplie\u{202f}: (a) CE1 est acquis\u{202f}; (b) CE2 est acquis et CE3 est acquis.",
        ),
        (
            "D validated and max({D/CE1, D/CE2}) >= 10.5",
            "C est validée lorsque D est validée et la meilleure note parmi D/CE1 et D/CE2 atteint au moins 10,5.",
        ),
    ];
    for (rule, expected) in cases {
        assert_eq!(competency_rule("fr", rule), expected, "{rule}");
    }
    // Levels are quoted names: no elision is due before them.
    assert_eq!(
        competency_rule("fr", "CE1 < en_cours and CE2 != acquis"),
        "C est validée lorsque CE1 est noté en dessous de «\u{202f}en_cours\u{202f}» et CE2 est noté autrement que «\u{202f}acquis\u{202f}»."
    );
    assert_eq!(
        competency_rule("en", "CE1 < en_cours and CE2 != acquis"),
        "C is validated when CE1 is graded below “en_cours” and CE2 is graded other than “acquis”."
    );
}

#[test]
fn rounding_and_extrema_in_both_languages() {
    let cases = [
        (
            "D validated and ceil(weighted average({D/CE1, D/CE2}), 2) >= 10",
            "C est validée lorsque D est validée et la moyenne pondérée des notes de D/CE1 et D/CE2 arrondie au centième supérieur atteint au moins 10.",
            "C is validated when D is validated and the weighted average mark of D/CE1 and D/CE2 rounded up to the hundredth is at least 10.",
        ),
        (
            "D validated and floor(average({D/CE1, D/CE2}), 0) >= 10",
            "C est validée lorsque D est validée et la moyenne des notes de D/CE1 et D/CE2 arrondie à l'unité inférieure atteint au moins 10.",
            "C is validated when D is validated and the average mark of D/CE1 and D/CE2 rounded down to a whole number is at least 10.",
        ),
        (
            "D validated and round(count(criteria acquired), 1) >= 2",
            "C est validée lorsque D est validée et le nombre des 5 critères qui sont acquis arrondi au dixième atteint au moins 2.",
            "C is validated when D is validated and the number of the 5 criteria that are acquired rounded to the nearest tenth is at least 2.",
        ),
        (
            "D validated and round(sum({D/CE1}) - 10, 3) > 0",
            "C est validée lorsque D est validée et (la somme des notes de D/CE1 moins 10) arrondie au millième dépasse 0.",
            "C is validated when D is validated and (the sum of the marks of D/CE1 minus 10) rounded to the nearest thousandth is more than 0.",
        ),
        (
            "D validated and max(0, sum({D/CE1}) - 10) + sum({D/CE2}) >= 10",
            "C est validée lorsque D est validée et (la plus grande valeur entre 0 et (la somme des notes de D/CE1 moins 10)) plus la somme des notes de D/CE2 atteint au moins 10.",
            "C is validated when D is validated and (the greater of 0 and (the sum of the marks of D/CE1 minus 10)) plus the sum of the marks of D/CE2 is at least 10.",
        ),
        (
            "D validated and min(sum({D/CE1}), 15) * 2 >= 20",
            "C est validée lorsque D est validée et (la plus petite valeur entre la somme des notes de D/CE1 et 15) multipliée par 2 atteint au moins 20.",
            "C is validated when D is validated and (the lesser of the sum of the marks of D/CE1 and 15) times 2 is at least 20.",
        ),
    ];
    for (rule, fr, en) in cases {
        assert_eq!(competency_rule("fr", rule), fr, "{rule}");
        assert_eq!(competency_rule("en", rule), en, "{rule}");
    }
}

/// The IR leaves a constant where a rule could not be compiled; an
/// editor hovers over such referentials, so the words say why.
#[test]
fn constants_in_both_languages() {
    let compiled = compile_str(
        "t.acquis",
        "referential R \"r\" { lang en }\nuse std::scales::acquisition\n\
         defaults { criterion scale acquisition }\n\
         block B \"b\" { competency C \"c\" { criterion CE1 \"1\"\n\
         validated when all criteria acquired }\n\
         assessment E \"e\" { covers C } validated when all competencies validated }\n\
         certification validated when all blocks validated\n",
    );
    let Some(ir) = compiled.ir.as_ref() else {
        unreachable!("an IR: {:#?}", compiled.diagnostics)
    };
    let lookup = Lookup::new(ir);
    let subject = Subject::Block("B");
    let never = ExprIr::Const { value: false };
    let always = ExprIr::Const { value: true };
    let en = Lang { fr: false };
    let fr = Lang { fr: true };
    assert_eq!(
        sentence(&lookup, en, subject, &never),
        "B is validated when never (the rule could not be compiled)."
    );
    assert_eq!(
        sentence(&lookup, fr, subject, &never),
        "B est validé lorsque jamais (la règle n'a pas pu être compilée)."
    );
    assert_eq!(condition(&lookup, en, subject, &always), "always");
    assert_eq!(condition(&lookup, fr, subject, &always), "toujours");
    // A one-criterion set is its single member, named by its local id.
    let Some(c) = ir.competencies.first() else {
        unreachable!("competency C")
    };
    assert_eq!(
        condition(&lookup, fr, Subject::Competency(&c.id), &c.rule.expr),
        "CE1 est acquis"
    );
}
