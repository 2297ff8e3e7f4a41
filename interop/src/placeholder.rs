//! What an import writes where its source says nothing: criteria and rules.
//! Each place gets a comment saying what to complete, in the referential's
//! language (French for `lang fr`, English otherwise), and the placeholder
//! rule of a competency is `at least 0 of criteria acquired`, always true,
//! so that `acquis check` reports exactly these places (warning A0406, one
//! per competency) and nothing else.

use acquis_ir::describe::Lang;

use super::skeleton::{Assessment, Block, Competency, Criterion, Rule};

/// The rule left in each competency until the designer writes the real one.
pub const COMPETENCY_RULE: &str = "at least 0 of criteria acquired";

/// The file's opening comments.
pub fn header(source: &str, title: &str, lang: Lang) -> Vec<String> {
    if lang.fr {
        vec![
            format!("Squelette importé de {source} : « {title} »."),
            "Les critères d'évaluation et les règles de validation ne sont pas dans la source :"
                .into(),
            "chaque compétence porte un critère provisoire et une règle toujours vraie, marqués"
                .into(),
            "« À COMPLÉTER ». `acquis check` les signale (avertissement A0406, un par compétence)"
                .into(),
            "tant qu'ils ne sont pas remplacés.".into(),
        ]
    } else {
        vec![
            format!("Skeleton imported from {source}: “{title}”."),
            "The evaluation criteria and the validation rules are not in the source:".into(),
            "each competency has a provisional criterion and an always-true rule, marked".into(),
            "“TO COMPLETE”. `acquis check` reports them (warning A0406, one per competency)".into(),
            "until they are replaced.".into(),
        ]
    }
}

/// Gives a competency without rule a placeholder criterion (when it has
/// none) and the placeholder rule, each with its comment.
pub fn complete(c: &mut Competency, lang: Lang) {
    if c.criteria.is_empty() {
        c.comments.push(
            lang.t(
                "TO COMPLETE: evaluation criteria (CE1 is provisional, to replace).",
                "À COMPLÉTER : critères d'évaluation (CE1 est provisoire, à remplacer).",
            )
            .into(),
        );
        c.criteria.push(Criterion {
            id: "CE1".into(),
            title: lang.t("Criterion to define", "Critère à définir").into(),
            indicators: vec![lang.t("To define.", "À définir.").into()],
            ..Criterion::default()
        });
    }
    c.rule = Some(Rule {
        comments: vec![lang
            .t(
                "TO COMPLETE: validation rule (this one is always true: A0406).",
                "À COMPLÉTER : règle de validation (celle-ci est toujours vraie : A0406).",
            )
            .into()],
        text: COMPETENCY_RULE.into(),
    });
}

/// One assessment covering every competency of a block that has none.
pub fn assessment(block: &Block, number: usize, lang: Lang) -> Assessment {
    Assessment {
        comments: vec![lang
            .t(
                "TO COMPLETE: how the block is assessed.",
                "À COMPLÉTER : modalités d'évaluation du bloc.",
            )
            .into()],
        id: format!("E{number}"),
        title: if lang.fr {
            format!("Évaluation du bloc {}", block.id)
        } else {
            format!("Assessment of block {}", block.id)
        },
        covers: block.competencies.iter().map(|c| c.id.clone()).collect(),
        ..Assessment::default()
    }
}

pub fn block_rule(lang: Lang) -> Rule {
    Rule {
        comments: if lang.fr {
            vec![
                "À VÉRIFIER : la source ne dit pas comment un bloc est validé ; par défaut,".into(),
                "quand toutes ses compétences le sont.".into(),
            ]
        } else {
            vec![
                "TO CHECK: the source does not say how a block is validated; by default,".into(),
                "when all its competencies are.".into(),
            ]
        },
        text: "all competencies validated".into(),
    }
}

pub fn certification_rule(lang: Lang) -> Rule {
    Rule {
        comments: vec![lang
            .t(
                "TO CHECK: by default, the certification is validated with all its blocks.",
                "À VÉRIFIER : par défaut, la certification est validée avec tous ses blocs.",
            )
            .into()],
        text: "all blocks validated".into(),
    }
}
