//! Validation rules in plain words, in the referential's language:
//! "C1.3 est validée lorsqu'au moins 4 des 5 critères sont acquis, dont CE5".
//!
//! The one place the toolchain words a rule: `acquis doc` and the language
//! server's hover call it, so a rule reads the same in the printed
//! referential and in the editor (the evaluation pages share its
//! [`Lookup`] and [`Lang`]). Sentences are built from the
//! IR's expression trees (named rules already expanded, defaults applied),
//! so they say exactly what the evaluator decides. Sets are named the way a
//! jury reads them: "the 5 criteria" when a set is all of the entity's own
//! criteria (or competencies, or blocks), "the 4 criteria other than CE5"
//! when it is all but one or two, else a list.
//!
//! Build a [`Lookup`] once per IR and pick the [`Lang`] once, then ask for
//! as many sentences as needed:
//!
//! ```
//! use acquis_ir::describe::{sentence, Lang, Lookup, Subject};
//! # let source = "referential R \"r\" { lang en }\n\
//! #   use std::scales::acquisition\n\
//! #   defaults { criterion scale acquisition }\n\
//! #   block B \"b\" { competency C \"c\" { criterion CE1 \"1\" criterion CE2 \"2\"\n\
//! #   validated when all criteria acquired }\n\
//! #   assessment E \"e\" { covers C } validated when all competencies validated }\n\
//! #   certification validated when all blocks validated\n";
//! # let compiled = acquis_compiler::compile_str("r.acquis", source);
//! # let Some(ir) = compiled.ir.as_ref() else { return };
//! let lookup = Lookup::new(ir);
//! let lang = Lang::of(ir);
//! let c = &ir.competencies[0];
//! assert_eq!(
//!     sentence(&lookup, lang, Subject::Competency(&c.id), &c.rule.expr),
//!     "C is validated when both criteria are acquired."
//! );
//! ```

mod lang;
mod lookup;
mod phrases;

pub use lang::Lang;
pub use lookup::{Kind, Lookup};

use crate::ExprIr;
use phrases::Describer;

/// The entity whose rule is described: its own criteria, competencies or
/// blocks are the sets named as a whole ("the 5 criteria").
#[derive(Clone, Copy, Debug)]
pub enum Subject<'a> {
    /// A competency, by id.
    Competency(&'a str),
    /// A block, by id.
    Block(&'a str),
    /// The certification.
    Certification,
}

/// The rule as a sentence with its subject: "C1.3 est validée lorsqu'au
/// moins 4 des 5 critères sont acquis, dont CE5." / "B1 is validated when
/// all 3 competencies are validated."
pub fn sentence(lookup: &Lookup<'_>, lang: Lang, subject: Subject<'_>, expr: &ExprIr) -> String {
    let condition = condition(lookup, lang, subject, expr);
    let (who, validated) = match subject {
        Subject::Competency(id) => (id.to_string(), lang.t("is validated", "est validée")),
        Subject::Block(id) => (id.to_string(), lang.t("is validated", "est validé")),
        Subject::Certification => (
            lang.t("The certification", "La certification").to_string(),
            lang.t("is validated", "est validée"),
        ),
    };
    let when = if !lang.fr {
        "when "
    } else if starts_with_vowel(&condition) {
        // French elision: "lorsqu'au moins", "lorsqu'aucun".
        "lorsqu'"
    } else {
        "lorsque "
    };
    format!("{who} {validated} {when}{condition}.")
}

/// The rule's condition alone, without the subject nor the final period:
/// "au moins 4 des 5 critères sont acquis, dont CE5". The subject is still
/// needed: it decides which sets are named as a whole and which criteria
/// go by their local id.
pub fn condition(lookup: &Lookup<'_>, lang: Lang, subject: Subject<'_>, expr: &ExprIr) -> String {
    Describer::new(lookup, lang, subject).expr(expr)
}

fn starts_with_vowel(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| "aeiouyéèêàâîôû".contains(c))
}

/// An assessment's duration as people write it: "1 h 30 min".
pub fn duration(lang: Lang, d: &crate::DurationIr) -> String {
    use crate::DurationIr;
    match d {
        DurationIr::Text { text } => text.clone(),
        DurationIr::Minutes { minutes } => {
            let total = minutes.to_f64().round() as i64;
            let (days, rest) = (total / (24 * 60), total % (24 * 60));
            let (hours, mins) = (rest / 60, rest % 60);
            let mut parts = Vec::new();
            if days > 0 {
                parts.push(format!("{days} {}", lang.t("d", "j")));
            }
            if hours > 0 {
                parts.push(format!("{hours} h"));
            }
            if mins > 0 || parts.is_empty() {
                parts.push(format!("{mins} min"));
            }
            parts.join(" ")
        }
    }
}
