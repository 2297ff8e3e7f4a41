//! What an import writes where its source says nothing: criteria and rules.
//! Each place gets a comment saying what to complete, and the placeholder
//! rule of a competency is `at least 0 of criteria acquired`, always true,
//! so that `acquis check` reports exactly these places (warning A0406, one
//! per competency) and nothing else.

use super::skeleton::{Assessment, Block, Competency, Criterion, Rule};

/// The rule left in each competency until the designer writes the real one.
pub const COMPETENCY_RULE: &str = "at least 0 of criteria acquired";

/// The file's opening comments.
pub fn header(source: &str, title: &str) -> Vec<String> {
    vec![
        format!("Squelette importé de {source} : « {title} »."),
        "Les critères d'évaluation et les règles de validation ne sont pas dans la source :".into(),
        "chaque compétence porte un critère provisoire et une règle toujours vraie, marqués".into(),
        "« À COMPLÉTER ». `acquis check` les signale (avertissement A0406, un par compétence)"
            .into(),
        "tant qu'ils ne sont pas remplacés.".into(),
    ]
}

/// Gives a competency without rule a placeholder criterion (when it has
/// none) and the placeholder rule, each with its comment.
pub fn complete(c: &mut Competency) {
    if c.criteria.is_empty() {
        c.comments
            .push("À COMPLÉTER : critères d'évaluation (CE1 est provisoire, à remplacer).".into());
        c.criteria.push(Criterion {
            id: "CE1".into(),
            title: "Critère à définir".into(),
            indicators: vec!["À définir.".into()],
            ..Criterion::default()
        });
    }
    c.rule = Some(Rule {
        comments: vec![
            "À COMPLÉTER : règle de validation (celle-ci est toujours vraie : A0406).".into(),
        ],
        text: COMPETENCY_RULE.into(),
    });
}

/// One assessment covering every competency of a block that has none.
pub fn assessment(block: &Block, number: usize) -> Assessment {
    Assessment {
        comments: vec!["À COMPLÉTER : modalités d'évaluation du bloc.".into()],
        id: format!("E{number}"),
        title: format!("Évaluation du bloc {}", block.id),
        covers: block.competencies.iter().map(|c| c.id.clone()).collect(),
        ..Assessment::default()
    }
}

pub fn block_rule() -> Rule {
    Rule {
        comments: vec![
            "À VÉRIFIER : la source ne dit pas comment un bloc est validé ; par défaut,".into(),
            "quand toutes ses compétences le sont.".into(),
        ],
        text: "all competencies validated".into(),
    }
}

pub fn certification_rule() -> Rule {
    Rule {
        comments: vec![
            "À VÉRIFIER : par défaut, la certification est validée avec tous ses blocs.".into(),
        ],
        text: "all blocks validated".into(),
    }
}
