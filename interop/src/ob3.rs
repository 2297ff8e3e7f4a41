//! Open Badges 3.0 results (`acquis eval … --format ob3`): for each
//! candidate, one unsigned `OpenBadgeCredential` per validated block and one
//! for the validated certification. The achievement says what was required
//! (its rule in plain words, the criteria with their allowed values and pass
//! level, aligned to the CASE items of `acquis export case`); the subject's
//! results say what the candidate got. Nothing personal beyond the
//! candidate id unless `--include-metadata`.
//!
//! Each credential is a [`Credential`]: a JSON value and the file it goes
//! to. With `-o DIR` a [`Directory`] stages it as that file; on standard
//! output it is one JSON line `{"credential": …, "file": …}`.
//!
//! The credentials are written on the Verifiable Credentials data model 2.0
//! by default, as OB 3.0.3 and 1EdTech's current JSON Schema require, or on
//! VC 1.1 on request ([`VcVersion`]). Either way they expand in JSON-LD's
//! safe mode: every term they use is defined by the contexts they name.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use acquis_eval::record::Source;
use acquis_eval::{EvalError, Evaluated, Grades, Outcome, Outcomes, Plan, ResultSink, Summary};
use acquis_ir::describe::{sentence, Lang, Lookup, Subject};
use acquis_ir::{CriterionIr, Ir, ScaleKindIr, ValueIr};
use serde::Serialize;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::case::item_identifier;
use super::skeleton::number;
use acquis_ir::print::value_text;

mod directory;
pub use directory::{file_name, Directory};

/// One credential and the file it goes to: `<folder>/<file>`, both safe
/// file names ([`file_name`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Credential {
    /// The candidate's folder.
    pub folder: String,
    /// `<block>.json` or `certification.json`.
    pub file: String,
    /// The `OpenBadgeCredential`.
    pub credential: Value,
}

impl Credential {
    /// `ANNE/B1.json`: where it goes, relative to the directory.
    pub fn path(&self) -> String {
        format!("{}/{}", self.folder, self.file)
    }
}

/// Where the credentials of an evaluation go: a [`Directory`] that files
/// them, or any writer (standard output), which gets JSON lines.
pub trait CredentialOut {
    /// The next credentials, in order.
    fn put(&mut self, credentials: &[Credential]) -> std::io::Result<()>;
    /// After the last one: whatever completes the output.
    fn finish(&mut self) -> std::io::Result<()>;
}

/// A credential as a JSON line of standard output (`credential` first:
/// the lines were written from a sorted map).
#[derive(Serialize)]
struct Line<'a> {
    credential: &'a Value,
    file: String,
}

/// One JSON line `{"credential": …, "file": "<folder>/<file>"}` per
/// credential.
impl<W: Write> CredentialOut for W {
    fn put(&mut self, credentials: &[Credential]) -> std::io::Result<()> {
        let mut text = Vec::new();
        for c in credentials {
            let line = Line {
                credential: &c.credential,
                file: c.path(),
            };
            serde_json::to_writer(&mut text, &line)?;
            text.push(b'\n');
        }
        self.write_all(&text)
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.flush()
    }
}

/// The Verifiable Credentials data model the credentials are written on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VcVersion {
    /// VC 2.0, which OB 3.0.3 and 1EdTech's current JSON Schema require:
    /// the context `https://www.w3.org/ns/credentials/v2`, `validFrom`, and
    /// the `credentialSchema` entry naming that schema.
    #[default]
    V2_0,
    /// VC 1.1, as OB 3.0 was first published, for verifiers that know only
    /// that: the context `https://www.w3.org/2018/credentials/v1` and
    /// `issuanceDate`. No `credentialSchema`: the schema 1EdTech publishes
    /// at that address now requires VC 2.0, so a verifier that follows the
    /// entry (as OB 3.0's verification steps say to) would reject the
    /// credential.
    V1_1,
}

impl VcVersion {
    /// The `@context`: the VC context, then OB 3.0.3's, then 1EdTech's
    /// extensions context, which defines `1EdTechJsonSchemaValidator2019`
    /// (without it JSON-LD safe mode rejects the `credentialSchema` type).
    fn context(self) -> [&'static str; 3] {
        let vc = match self {
            VcVersion::V2_0 => "https://www.w3.org/ns/credentials/v2",
            VcVersion::V1_1 => "https://www.w3.org/2018/credentials/v1",
        };
        [vc, OB_CONTEXT, EXTENSIONS_CONTEXT]
    }

    /// The name of the date from which the credential holds.
    fn date_key(self) -> &'static str {
        match self {
            VcVersion::V2_0 => "validFrom",
            VcVersion::V1_1 => "issuanceDate",
        }
    }

    /// The `credentialSchema` entry, on VC 2.0 only.
    fn schema(self) -> Option<Value> {
        match self {
            VcVersion::V2_0 => {
                Some(json!([{ "id": SCHEMA, "type": "1EdTechJsonSchemaValidator2019" }]))
            }
            VcVersion::V1_1 => None,
        }
    }
}

/// What a credential says beyond the results: the candidate's other
/// columns (personal data, only on request) and the data model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// `--include-metadata`: the other columns of the grades file.
    pub include_metadata: bool,
    /// `--vc`: the Verifiable Credentials data model.
    pub vc: VcVersion,
}

/// The result sink of `--format ob3`: the credentials of each candidate
/// to `out`.
pub struct Credentials<O: CredentialOut> {
    pub out: O,
    pub options: Options,
    /// The candidates' folder names, unique whatever the case.
    pub names: FolderNames,
}

/// Candidate folder names that stay distinct on a disk that ignores case:
/// the first candidate keeps its name; a later one whose name is taken,
/// whatever the case (`ANNE` after `anne`; an id written as another id's
/// hashed name: `CON-3367e86b`, the folder of `CON`), gets a short hash of
/// its name, and a number if that is taken too. Decided once per
/// candidate, as candidates come, so standard output and `-o DIR` give
/// every credential the same name.
#[derive(Debug, Default)]
pub struct FolderNames(acquis_eval::sink::UniqueNames);

impl FolderNames {
    /// The folder of the candidate whose safe name is `name`.
    pub fn folder(&mut self, name: &str) -> String {
        self.0.give(name.to_string(), || {
            format!("{name}-{}", directory::short_hash(name))
        })
    }
}

impl<O: CredentialOut> ResultSink for Credentials<O> {
    fn batch(&mut self, plan: &Plan<'_>, candidates: &[Evaluated]) -> Result<(), EvalError> {
        let mut all = Vec::new();
        for e in candidates {
            let mut these = credentials(
                plan,
                &e.raw.id,
                &e.raw.metadata,
                &e.grades,
                e.outcomes.as_ref(),
                &self.options,
                &issuance_date(),
            );
            // One folder per candidate, whatever its credentials.
            if let Some(first) = these.first() {
                let folder = self.names.folder(&first.folder);
                for c in &mut these {
                    c.folder.clone_from(&folder);
                }
            }
            all.extend(these);
        }
        self.out.put(&all).map_err(EvalError::Write)
    }

    fn finish(&mut self, _plan: &Plan<'_>, _summary: &Summary) -> Result<(), EvalError> {
        self.out.finish().map_err(EvalError::Write)
    }
}

/// OB 3.0.3's context (tests/schemas/contexts has the copy the tests load).
const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// 1EdTech's extensions context: `1EdTechJsonSchemaValidator2019` and the
/// other 1EdTech types a credential may name.
const EXTENSIONS_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";
/// The IRI of `credentialSubject.metadata` (`--include-metadata`).
const METADATA_TERM: &str = "urn:acquis:metadata";
const SCHEMA: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

/// The candidate's credentials, valid from `issued` (RFC 3339): one per
/// validated block, then the certification's when it is validated; none
/// for a candidate whose grades have errors (no `outcomes`).
pub fn credentials(
    plan: &Plan<'_>,
    id: &str,
    metadata: &[(String, String)],
    grades: &Grades,
    outcomes: Option<&Outcomes>,
    options: &Options,
    issued: &str,
) -> Vec<Credential> {
    let mut out = Vec::new();
    let Some(outcomes) = outcomes else {
        return out;
    };
    let ir = plan.ir();
    // The rules in the same words as `acquis doc` and the editor's hover.
    let lookup = Lookup::new(ir);
    let lang = Lang::of(ir);
    let mut emit = |entity: &str, mut achievement: Value, results: Vec<Value>| {
        let evidence = evidence(plan, lang, entity, grades, outcomes);
        // The language of the achievement's texts, where OB 3.0.3 defines it
        // (`inLanguage`, schema.org's): a bare `@language` key in a node is
        // ignored by JSON-LD and tags no string.
        if let (Value::Object(a), Some(lang)) =
            (&mut achievement, language_code(&ir.referential.lang))
        {
            a.insert("inLanguage".into(), json!(lang));
        }
        let credential_id = uuid(ir, &format!("Credential:{id}:{entity}"));
        let mut subject = Map::new();
        subject.insert(
            "id".into(),
            json!(format!("urn:acquis:candidate:{}", encode(id))),
        );
        subject.insert("type".into(), json!(["AchievementSubject"]));
        subject.insert("achievement".into(), achievement);
        subject.insert("result".into(), Value::Array(results));
        let vc = options.vc;
        let mut context: Vec<Value> = vc.context().iter().map(|c| json!(c)).collect();
        if options.include_metadata && !metadata.is_empty() {
            let m: Map<String, Value> = metadata
                .iter()
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect();
            subject.insert("metadata".into(), Value::Object(m));
            // No context defines `metadata`: this one does, as a JSON
            // literal (the columns as they are), so the credential still
            // expands in JSON-LD safe mode.
            context.push(json!({ "metadata": { "@id": METADATA_TERM, "@type": "@json" } }));
        }
        let mut credential = Map::new();
        credential.insert("@context".into(), Value::Array(context));
        credential.insert("id".into(), json!(format!("urn:uuid:{credential_id}")));
        credential.insert(
            "type".into(),
            json!(["VerifiableCredential", "OpenBadgeCredential"]),
        );
        credential.insert(
            "name".into(),
            json!(format!(
                "{} — {}",
                ir.referential.title,
                title_of(ir, entity)
            )),
        );
        credential.insert("issuer".into(), issuer(ir));
        credential.insert(vc.date_key().into(), json!(issued));
        credential.insert("credentialSubject".into(), Value::Object(subject));
        // An outcome that comes from the candidate's record (an
        // equivalence, a jury decision, an earlier session, a
        // dispensation) says so, with its reason.
        if let Some(evidence) = evidence {
            credential.insert("evidence".into(), json!([evidence]));
        }
        if let Some(schema) = vc.schema() {
            credential.insert("credentialSchema".into(), schema);
        }
        let credential = Value::Object(credential);
        out.push(Credential {
            folder: file_name(id),
            file: format!("{}.json", file_name(entity)),
            credential,
        });
    };
    for block in &ir.blocks {
        if outcomes.get(plan, &block.id) != Some(Outcome::Passed) {
            continue;
        }
        let criteria = block_criteria(ir, block);
        let mut alignment = vec![align(ir, "Block", &block.id, &block.title)];
        for cid in &block.competencies {
            if let Some(c) = ir.competencies.iter().find(|c| &c.id == cid) {
                alignment.push(align(ir, "Competency", &c.id, &c.title));
            }
        }
        let achievement = json!({
            "id": format!("urn:uuid:{}", uuid(ir, &format!("Achievement:{}", block.id))),
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": block.title,
            "description": block.summary.clone().unwrap_or_else(|| block.title.clone()),
            "humanCode": block.id,
            "criteria": { "narrative": sentence(&lookup, lang, Subject::Block(&block.id), &block.rule.expr) },
            "alignment": alignment,
            "resultDescription": criteria.iter().map(|k| result_description(ir, k)).collect::<Vec<_>>(),
        });
        let results = criteria
            .iter()
            .map(|k| criterion_result(plan, ir, k, grades, outcomes))
            .collect();
        emit(&block.id, achievement, results);
    }
    if outcomes.get(plan, "certification") == Some(Outcome::Passed) {
        let achievement = json!({
            "id": format!("urn:uuid:{}", uuid(ir, "Achievement:certification")),
            "type": ["Achievement"],
            "achievementType": "Certification",
            "name": ir.referential.title,
            "description": first_paragraph(&ir.referential.docs).unwrap_or_else(|| ir.referential.title.clone()),
            "humanCode": ir.referential.id,
            "criteria": { "narrative": sentence(&lookup, lang, Subject::Certification, &ir.certification.rule.expr) },
            "alignment": ir.blocks.iter().map(|b| align(ir, "Block", &b.id, &b.title)).collect::<Vec<_>>(),
            "resultDescription": ir.blocks.iter().map(|b| json!({
                "id": format!("urn:uuid:{}", uuid(ir, &format!("ResultDescription:{}", b.id))),
                "type": ["ResultDescription"],
                "name": format!("{} {}", b.id, b.title),
                "resultType": "Status",
            })).collect::<Vec<_>>(),
        });
        let results = ir
            .blocks
            .iter()
            .map(|b| {
                json!({
                    "type": ["Result"],
                    "resultDescription": format!("urn:uuid:{}", uuid(ir, &format!("ResultDescription:{}", b.id))),
                    "status": status(outcomes.get(plan, &b.id)),
                })
            })
            .collect();
        emit("certification", achievement, results);
    }
    out
}

/// The evidence of an outcome that does not come from this session's
/// grades alone: what it rests on, in the referential's language.
fn evidence(
    plan: &Plan<'_>,
    lang: Lang,
    entity: &str,
    grades: &Grades,
    outcomes: &Outcomes,
) -> Option<Value> {
    let name = match outcomes.source(plan, entity)? {
        Source::Earlier { .. } => lang.t(
            "Obtained in an earlier session",
            "Acquis lors d'une session antérieure",
        ),
        Source::Equivalence { .. } => lang.t("Granted by equivalence", "Acquis par équivalence"),
        Source::Dispensation { .. } => lang.t("Dispensation", "Dispense"),
        Source::Jury { .. } | Source::AwaitingJury { .. } => {
            lang.t("Jury decision", "Décision du jury")
        }
    };
    Some(json!({
        "type": ["Evidence"],
        "name": name,
        "narrative": plan.reason(entity, grades, outcomes),
    }))
}

/// `lang` when it is a language code as OB 3.0's schema allows
/// (`^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$`: `fr`, `fr-FR`,
/// `sr-Latn-RS`), with `_` read as `-` (`fr_FR`); else none, and the
/// credential says no language rather than a wrong one.
fn language_code(lang: &str) -> Option<String> {
    let code = lang.replace('_', "-");
    let mut parts = code.split('-');
    let language = parts.next()?;
    if !(2..=4).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let mut rest: Vec<&str> = parts.collect();
    // An optional script (`Latn`), then an optional region (`FR`, `419`).
    if let Some(script) = rest.first() {
        let b = script.as_bytes();
        if b.len() == 4 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_lowercase) {
            rest.remove(0);
        }
    }
    match rest.as_slice() {
        [] => Some(code),
        [region]
            if (region.len() == 2 && region.bytes().all(|b| b.is_ascii_uppercase()))
                || (region.len() == 3 && region.bytes().all(|b| b.is_ascii_digit())) =>
        {
            Some(code)
        }
        _ => None,
    }
}

/// The doc comment's first paragraph as one line: its first line alone
/// would often stop mid-sentence, since doc comments wrap at 80 columns.
fn first_paragraph(docs: &[String]) -> Option<String> {
    let lines: Vec<&str> = docs
        .iter()
        .map(|l| l.trim())
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty())
        .collect();
    (!lines.is_empty()).then(|| lines.join(" "))
}

fn uuid(ir: &Ir, name: &str) -> String {
    let namespace = Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        format!("urn:acquis:referential:{}", ir.referential.id).as_bytes(),
    );
    Uuid::new_v5(&namespace, name.as_bytes()).to_string()
}

fn title_of<'a>(ir: &'a Ir, entity: &str) -> &'a str {
    ir.blocks
        .iter()
        .find(|b| b.id == entity)
        .map_or("certification", |b| b.title.as_str())
}

fn issuer(ir: &Ir) -> Value {
    let meta = &ir.referential.meta;
    let name = meta
        .get("certificateur")
        .or_else(|| meta.get("creator"))
        .cloned()
        .unwrap_or_else(|| ir.referential.title.clone());
    json!({
        "id": format!("urn:uuid:{}", uuid(ir, "Issuer")),
        "type": ["Profile"],
        "name": name,
    })
}

fn align(ir: &Ir, kind: &str, id: &str, title: &str) -> Value {
    json!({
        "type": ["Alignment"],
        "targetName": title,
        "targetUrl": format!("urn:uuid:{}", item_identifier(&ir.referential.id, kind, id)),
        "targetCode": id,
        "targetFramework": ir.referential.title,
        "targetType": "CFItem",
    })
}

/// The criteria of the competencies, each once, in order.
/// What a block's credential reports results for: the criteria of its
/// competencies, then the marked parts of its épreuves (an épreuve with
/// parts decides competencies that have no criteria of their own).
fn block_criteria<'a>(ir: &'a Ir, block: &acquis_ir::BlockIr) -> Vec<&'a CriterionIr> {
    let mut out: Vec<&CriterionIr> = Vec::new();
    let push = |k: &String, out: &mut Vec<&'a CriterionIr>| {
        if let Some(k) = ir.criteria.iter().find(|x| &x.id == k) {
            if !out.iter().any(|x| x.id == k.id) {
                out.push(k);
            }
        }
    };
    for cid in &block.competencies {
        let Some(c) = ir.competencies.iter().find(|c| &c.id == cid) else {
            continue;
        };
        for k in &c.criteria {
            push(k, &mut out);
        }
    }
    for a in ir
        .assessments
        .iter()
        .filter(|a| block.assessments.contains(&a.id))
    {
        for part in &a.parts {
            push(&part.id, &mut out);
        }
    }
    out
}

fn level_id(ir: &Ir, criterion: &str, level: &str) -> String {
    format!(
        "urn:uuid:{}",
        uuid(ir, &format!("Level:{criterion}:{level}"))
    )
}

fn result_description(ir: &Ir, k: &CriterionIr) -> Value {
    let mut rd = Map::new();
    rd.insert(
        "id".into(),
        json!(format!(
            "urn:uuid:{}",
            uuid(ir, &format!("ResultDescription:{}", k.id))
        )),
    );
    rd.insert("type".into(), json!(["ResultDescription"]));
    rd.insert("name".into(), json!(format!("{} {}", k.id, k.title)));
    rd.insert("requiredValue".into(), json!(value_text(&k.pass)));
    let scale = ir.scales.iter().find(|s| s.id == k.scale);
    match scale.map(|s| &s.kind) {
        Some(ScaleKindIr::Levels { levels }) => {
            rd.insert("resultType".into(), json!("RubricCriterionLevel"));
            rd.insert("allowedValue".into(), json!(levels));
            rd.insert(
                "rubricCriterionLevel".into(),
                Value::Array(
                    levels
                        .iter()
                        .map(|l| {
                            json!({
                                "id": level_id(ir, &k.id, l),
                                "type": ["RubricCriterionLevel"],
                                "name": l,
                            })
                        })
                        .collect(),
                ),
            );
            if let ValueIr::Level(pass) = &k.pass {
                rd.insert("requiredLevel".into(), json!(level_id(ir, &k.id, pass)));
            }
        }
        Some(ScaleKindIr::Range { min, max, .. }) => {
            rd.insert("resultType".into(), json!("RawScore"));
            rd.insert("valueMin".into(), json!(min.to_string()));
            rd.insert("valueMax".into(), json!(max.to_string()));
        }
        None => {
            rd.insert("resultType".into(), json!("Result"));
        }
    }
    rd.insert(
        "alignment".into(),
        json!([align(ir, "Criterion", &k.id, &k.title)]),
    );
    Value::Object(rd)
}

fn status(outcome: Option<Outcome>) -> &'static str {
    match outcome {
        Some(Outcome::Passed) => "Completed",
        Some(Outcome::Failed) => "Failed",
        _ => "InProgress",
    }
}

fn criterion_result(
    plan: &Plan<'_>,
    ir: &Ir,
    k: &CriterionIr,
    grades: &Grades,
    outcomes: &Outcomes,
) -> Value {
    let mut r = Map::new();
    r.insert("type".into(), json!(["Result"]));
    r.insert(
        "resultDescription".into(),
        json!(format!(
            "urn:uuid:{}",
            uuid(ir, &format!("ResultDescription:{}", k.id))
        )),
    );
    let position = plan.criterion_index(&k.id).and_then(|i| grades.position(i));
    if let Some(position) = position {
        let scale = ir.scales.iter().find(|s| s.id == k.scale);
        match scale.map(|s| &s.kind) {
            Some(ScaleKindIr::Levels { levels }) => {
                if let Some(level) = levels.get(position as usize) {
                    r.insert("value".into(), json!(level));
                    r.insert("achievedLevel".into(), json!(level_id(ir, &k.id, level)));
                }
            }
            _ => {
                r.insert("value".into(), json!(number(position)));
            }
        }
    }
    // A part of an épreuve decided on its marks is a mark, not a pass or a
    // failure: compensated inside the épreuve, it has no status of its own.
    let part_of_decided = ir
        .assessments
        .iter()
        .any(|a| a.rule.is_some() && a.parts.iter().any(|p| p.id == k.id));
    if !part_of_decided {
        r.insert("status".into(), json!(status(outcomes.get(plan, &k.id))));
    }
    Value::Object(r)
}

/// `SOURCE_DATE_EPOCH` (reproducible outputs) or now, as RFC 3339 UTC.
pub fn issuance_date() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        });
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Percent-encodes what a URN may not hold.
fn encode(id: &str) -> String {
    let mut out = String::new();
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
