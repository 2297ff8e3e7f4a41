//! The language's keywords, in one table: one line of help each (for
//! hover; semantic tokens and rename read which words are keywords), and
//! where completion offers them: the keywords that may start a line in
//! each item, and the forms a rule may start with. Completion offers
//! keywords only from here, so a keyword it offers always has its help;
//! the tests (keywords/tests.rs) check the table against the grammar,
//! grammar/src/acquis.pest.

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Keyword {
    pub word: &'static str,
    pub help: &'static str,
}

/// Defines one constant per keyword and [`KEYWORDS`] with all of them, so
/// that a keyword named anywhere below has its help.
macro_rules! keywords {
    ($($name:ident $word:literal $help:literal,)*) => {
        $(pub const $name: Keyword = Keyword { word: $word, help: $help };)*

        /// Every keyword of the grammar.
        pub const KEYWORDS: &[Keyword] = &[$($name),*];
    };
}

keywords! {
    REFERENTIAL "referential" "The header of the main file: `referential ID \"title\" { level, version, lang, meta, accommodation }`.",
    LEVEL "level" "The EQF level of the certification: `level 7`.",
    VERSION "version" "The version of the referential: `version \"2025.1\"`.",
    LANG "lang" "The language of the referential's texts and explanations: `lang fr` or `lang en`.",
    META "meta" "Free metadata, repeatable: `meta rncp \"RNCP39583\"`.",
    ACCOMMODATION "accommodation" "An adapted condition for candidates with a disability: `accommodation extra_time 1/3 for oral`.",
    USE "use" "Brings items of the standard library: `use std::scales::acquisition`, `use std::rules::*`.",
    IMPORT "import" "Includes another file of the same referential, relative to this one: `import \"bloc4.acquis\"`.",
    SCALE "scale" "A grading scale (`scale ID \"title\" { levels … pass … }`), or a criterion's own scale.",
    LEVELS "levels" "The ordered levels of a scale, lowest first: `levels non_acquis < en_cours < acquis`.",
    RANGE "range" "A numeric scale: `range 0 .. 20 step 0.5`.",
    STEP "step" "The step of a numeric scale (default 1).",
    PASS "pass" "The lowest passing level or mark of a scale, or a criterion's own.",
    DEFAULTS "defaults" "Default scale of criteria, default rules of competencies and blocks, default accommodations.",
    RULE "rule" "A named rule, expanded where it is used: `rule n_of(n) = at least n of criteria acquired`.",
    BLOCK "block" "A block of activities: `block ID \"title\" { competencies, assessments, rule }`.",
    SUMMARY "summary" "The summary of a block (once).",
    MISSION "mission" "A mission of a block (repeatable).",
    SITUATION "situation" "A work situation of a block, with `activity` and `note` lines.",
    ACTIVITY "activity" "An activity of a work situation.",
    NOTE "note" "A note of a work situation or an assessment.",
    COMPETENCY "competency" "A competency of a block, with its criteria and its rule.",
    ASSESSMENT "assessment" "An assessment (épreuve) of a block, or of the whole certification outside the blocks: `covers`, tasks, deliverables, duration, shared criteria, marked `part`s and a rule over them.",
    COVERS "covers" "The competencies an assessment evaluates: `covers C1.1, C1.2`.",
    KIND "kind" "The kind of an assessment: `kind \"écrit\"`.",
    DESCRIPTION "description" "The description of an assessment.",
    TASK "task" "A task of an assessment (repeatable).",
    DELIVERABLE "deliverable" "A deliverable of an assessment (repeatable).",
    DURATION "duration" "The duration of an assessment: `1 h 30 min`, or a string.",
    JOINTLY "jointly" "Criteria shared by several covered competencies: `jointly C1.1, C1.2 { criterion … }`.",
    CRITERION "criterion" "An evaluation criterion with its indicators; `criterion scale NAME` in `defaults`.",
    INDICATOR "indicator" "An observable indicator of a criterion.",
    WEIGHT "weight" "A criterion's weight in `weighted average` (default 1).",
    PART "part" "A marked part of an assessment (written, oral), graded as `E2/ecrit`: `part ecrit \"Écrit\" { scale note_sur_20 coefficient 2 duration 3 h form \"écrit ponctuel\" }`.",
    COEFFICIENT "coefficient" "A part's coefficient: its weight in `weighted average(parts)` (default 1).",
    OPTIONAL "optional" "An optional part (épreuve facultative): a missing mark counts as the lowest of its scale and never leaves anything pending; count its points above 10 with `max(0, sum({E5/facultative}) - 10)`.",
    FORM "form" "How a part is taken, as the règlement says: `form \"ponctuelle orale\"`, `form \"CCF\"`.",
    EXAMINERS "examiners" "Who marks a part, as the règlement says: `examiners \"un enseignant et un professionnel\"`.",
    CERTIFICATION "certification" "The certification rule over blocks: `certification validated when all blocks validated`.",
    EXAMPLE "example" "A worked example: grades and expected outcomes, run by `acquis test`.",
    GRADES "grades" "The grades of an example: `grades { C1.3/CE1 acquis, … }`.",
    EXPECT "expect" "The outcomes an example expects: `expect C1.3 validated, certification pending`.",
    VALIDATED "validated" "`validated when RULE` states when an entity is validated; as a predicate, a competency or block is validated.",
    WHEN "when" "`validated when RULE`.",
    ALL "all" "Every member of the set satisfies the predicate: `all criteria acquired`.",
    ANY "any" "At least one member of the set satisfies the predicate.",
    NONE "none" "No member of the set satisfies the predicate.",
    AT "at" "`at least N of S` or `at most N of S`.",
    LEAST "least" "`at least N of S`: N or more members satisfy the predicate.",
    MOST "most" "`at most N of S`: N or fewer members satisfy the predicate.",
    OF "of" "`N of M S`: at least N of the set, which must have exactly M members.",
    EXCEPT "except" "A set minus members: `criteria except CE5`.",
    CRITERIA "criteria" "The criteria of the competency (of the block's competencies, of all in the certification rule).",
    COMPETENCIES "competencies" "The competencies of the block (all of them in the certification rule).",
    BLOCKS "blocks" "The blocks of the referential (certification rule only).",
    PARTS "parts" "The parts of the assessment (its rule only): `validated when weighted average(parts) >= 10`.",
    ACQUIRED "acquired" "A criterion is acquired when its grade reaches its pass level.",
    AND "and" "Both conditions hold.",
    OR "or" "At least one condition holds.",
    NOT "not" "The condition does not hold.",
    AVERAGE "average" "`average(S)`: the mean grade of the members, on a numeric scale.",
    WEIGHTED "weighted" "`weighted average(S)`: the mean weighted by each criterion's `weight`.",
    MIN "min" "`min(S)`: the lowest grade of the members; `min(x, y)`: the lesser of two numbers.",
    MAX "max" "`max(S)`: the highest grade of the members; `max(x, y)`: the greater of two numbers, `max(0, sum({UF1}) - 10)` the points above 10.",
    ROUND "round" "`round(x, n)`: x rounded to n decimals (0 to 6), a half away from zero: `round(weighted average(criteria), 2) >= 10`.",
    FLOOR "floor" "`floor(x, n)`: x rounded down to n decimals (0 to 6), toward −∞.",
    CEIL "ceil" "`ceil(x, n)`: x rounded up to n decimals (0 to 6), toward +∞.",
    SUM "sum" "`sum(S)`: the sum of the members' grades.",
    COUNT "count" "`count(S P)`: how many members satisfy P (their own outcome without P).",
    SIZE "size" "`size(S)`: the number of members of the set.",
    FOR "for" "The context of an accommodation: `for oral`.",
    ABSENT "absent" "What an absent candidate's grade (`ABS` in grade files) counts as, in a scale, an assessment (for the criteria it evaluates; it overrides the scale) or `defaults`: `absent counts as 0`, `absent counts as non_acquis`, `absent counts as not acquired`. A missing grade stays pending.",
    COUNTS "counts" "`absent counts as …`: what an absent candidate's grade counts as.",
    AS "as" "`absent counts as 0`, `absent counts as LEVEL`, `absent counts as not acquired`.",
    EQUIVALENCE "equivalence" "A held certification that grants members: `equivalence DEASS \"…\" { registered \"RNCP…\" grants DC3, DC4 }`.",
    REGISTERED "registered" "The RNCP code of a held certification: `registered \"RNCP35385\"`.",
    GRANTS "grants" "What an equivalence grants: blocks, competencies, assessments with a rule.",
    DISPENSATION "dispensation" "A named condition that dispenses from members: `dispensation niveau5 \"…\" { dispenses U1 effect excluded }`.",
    DISPENSES "dispenses" "The members a dispensation dispenses from.",
    EFFECT "effect" "What a dispensation does: `effect excluded` (left out of sets and averages) or `effect validated`.",
    EXCLUDED "excluded" "`effect excluded`: left out of every set and average, which is then taken over the remaining coefficients.",
    KEEP "keep" "How long earlier results stay usable: `keep U1/note for 5 years when mark >= 10`, `keep blocks forever`.",
    YEARS "years" "`for 5 years`: a validity period.",
    MONTHS "months" "`for 18 months`: a validity period.",
    FOREVER "forever" "`keep blocks forever`: no time limit.",
    MARK "mark" "`when mark >= 10`: the condition an earlier mark must meet to be kept.",
    JURY "jury" "What a jury decision may or must set: `jury may decide blocks`, `jury must decide certification`.",
    MAY "may" "`jury may decide …`: a decision may set these outcomes.",
    MUST "must" "`jury must decide …`: pending until the jury decides (unless the rules refuse).",
    DECIDE "decide" "`jury may decide …`, `jury must decide …`.",
    SESSION "session" "The session of an example: `session \"2026-06\"`.",
    EARLIER "earlier" "Results of earlier sessions in an example: `earlier { U4/note 14 \"2024-06\", CCP1 validated \"2025-03\" }`.",
    HOLDS "holds" "Equivalences an example's candidate holds: `holds DEASS`.",
    DISPENSED "dispensed" "Dispensations granted to an example's candidate: `dispensed niveau5`.",
    DECISION "decision" "A jury decision in an example: `decision certification validated by \"…\" on \"2026-07-01\" because \"…\"`.",
    BY "by" "The author of a jury decision.",
    ON "on" "The date of a jury decision.",
    BECAUSE "because" "The justification of a jury decision.",
}

/// The keywords that may start a line, by the item the line is in (the
/// keyword of its innermost open brace; `None`: the top level), in the
/// order completion offers them.
pub const LINE_STARTS: &[(Option<Keyword>, &[Keyword])] = &[
    (
        None,
        &[
            REFERENTIAL,
            USE,
            IMPORT,
            SCALE,
            RULE,
            DEFAULTS,
            BLOCK,
            ASSESSMENT,
            CERTIFICATION,
            EXAMPLE,
            EQUIVALENCE,
            DISPENSATION,
            KEEP,
            JURY,
        ],
    ),
    (
        Some(REFERENTIAL),
        &[LEVEL, VERSION, LANG, META, ACCOMMODATION],
    ),
    (Some(SCALE), &[LEVELS, RANGE, PASS, ABSENT]),
    (
        Some(DEFAULTS),
        &[CRITERION, COMPETENCY, BLOCK, ASSESSMENT, ABSENT],
    ),
    (
        Some(BLOCK),
        &[
            SUMMARY, MISSION, SITUATION, COMPETENCY, ASSESSMENT, VALIDATED,
        ],
    ),
    (Some(SITUATION), &[ACTIVITY, NOTE]),
    (Some(COMPETENCY), &[CRITERION, VALIDATED]),
    (Some(CRITERION), &[INDICATOR, SCALE, PASS, WEIGHT]),
    (
        Some(ASSESSMENT),
        &[
            COVERS,
            KIND,
            DESCRIPTION,
            TASK,
            DELIVERABLE,
            NOTE,
            DURATION,
            ACCOMMODATION,
            JOINTLY,
            ABSENT,
            PART,
            VALIDATED,
        ],
    ),
    (
        Some(PART),
        &[
            SCALE,
            PASS,
            COEFFICIENT,
            DURATION,
            FORM,
            EXAMINERS,
            OPTIONAL,
        ],
    ),
    (Some(JOINTLY), &[CRITERION]),
    (
        Some(EXAMPLE),
        &[GRADES, EXPECT, SESSION, EARLIER, HOLDS, DISPENSED, DECISION],
    ),
    (Some(EQUIVALENCE), &[REGISTERED, GRANTS]),
    (Some(DISPENSATION), &[DISPENSES, EFFECT]),
];

/// The keywords that may start a line in the item whose keyword is
/// `innermost` (`None`: the top level).
pub fn line_starts(innermost: Option<&str>) -> &'static [Keyword] {
    LINE_STARTS
        .iter()
        .find(|(item, _)| item.map(|k| k.word) == innermost)
        .map_or(&[], |(_, keywords)| keywords)
}

/// What a rule may start with, as completion offers it, each with the
/// keyword it starts with (whose help it shows).
pub const RULE_FORMS: &[(&str, Keyword)] = &[
    ("all", ALL),
    ("any", ANY),
    ("none", NONE),
    ("at least", AT),
    ("at most", AT),
    ("not", NOT),
    ("criteria", CRITERIA),
    ("competencies", COMPETENCIES),
    ("blocks", BLOCKS),
    ("parts", PARTS),
    ("average", AVERAGE),
    ("weighted average", WEIGHTED),
    ("min", MIN),
    ("max", MAX),
    ("sum", SUM),
    ("count", COUNT),
    ("size", SIZE),
    ("round", ROUND),
    ("floor", FLOOR),
    ("ceil", CEIL),
];

pub fn find(word: &str) -> Option<&'static Keyword> {
    KEYWORDS.iter().find(|k| k.word == word)
}

#[cfg(test)]
mod tests;
