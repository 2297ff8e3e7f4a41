//! A referential to write as `.acquis` source: what the imports build, and
//! the writer that prints it. Comments carry what the designer must
//! complete; every text goes through [`string`] so any input is valid source.

/// A number as the language writes it (`10`, `12.5`): the shortest
/// decimal of the double.
pub fn number(v: f64) -> String {
    acquis_ir::Decimal::from_f64(v).map_or_else(|| format!("{v}"), |d| d.to_string())
}
use std::fmt::Write as _;

#[derive(Default, Debug, Clone, PartialEq)]
pub struct Referential {
    /// `//` lines at the top of the file.
    pub comments: Vec<String>,
    pub docs: Vec<String>,
    pub id: String,
    pub title: String,
    pub level: Option<u32>,
    pub version: Option<String>,
    pub lang: String,
    pub meta: Vec<(String, String)>,
    pub accommodation: Option<String>,
    /// Scales of the standard library to `use`.
    pub std_scales: Vec<String>,
    pub scales: Vec<Scale>,
    pub default_scale: Option<String>,
    /// The default block rule, with the comments that go before `defaults`.
    pub default_block_rule: Option<Rule>,
    pub blocks: Vec<Block>,
    /// Assessments outside the blocks (an entretien final, a BTS unit).
    pub assessments: Vec<Assessment>,
    /// Candidate-record items: certifications that grant members.
    pub equivalences: Vec<Equivalence>,
    pub certification: Rule,
}

/// `equivalence ID "title" { registered "RNCP…" grants … }`.
#[derive(Default, Debug, Clone, PartialEq)]
pub struct Equivalence {
    pub comments: Vec<String>,
    pub docs: Vec<String>,
    pub id: String,
    pub title: String,
    /// The other certification's RNCP code.
    pub registered: Option<String>,
    pub grants: Vec<String>,
}

#[derive(Default, Clone, Debug, PartialEq)]
pub struct Rule {
    pub comments: Vec<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub id: String,
    pub title: Option<String>,
    pub kind: ScaleKind,
    /// A level or a number, as source text.
    pub pass: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ScaleKind {
    Levels(Vec<String>),
    Range { min: f64, max: f64, step: f64 },
}

#[derive(Default, Debug, Clone, PartialEq)]
pub struct Block {
    pub comments: Vec<String>,
    pub docs: Vec<String>,
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub missions: Vec<String>,
    pub situations: Vec<Situation>,
    pub competencies: Vec<Competency>,
    pub assessments: Vec<Assessment>,
    pub rule: Option<Rule>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Situation {
    pub title: String,
    pub activities: Vec<String>,
    pub notes: Vec<String>,
}

#[derive(Default, Debug, Clone, PartialEq)]
pub struct Competency {
    pub comments: Vec<String>,
    pub docs: Vec<String>,
    pub id: String,
    pub title: String,
    pub criteria: Vec<Criterion>,
    pub rule: Option<Rule>,
}

#[derive(Default, Clone, Debug, PartialEq)]
pub struct Criterion {
    pub docs: Vec<String>,
    /// The id inside its owner (`CE2`).
    pub id: String,
    pub title: String,
    pub scale: Option<String>,
    pub pass: Option<String>,
    pub weight: Option<f64>,
    pub indicators: Vec<String>,
}

#[derive(Default, Debug, Clone, PartialEq)]
pub struct Assessment {
    pub comments: Vec<String>,
    pub docs: Vec<String>,
    pub id: String,
    pub title: String,
    pub covers: Vec<String>,
    pub kind: Option<String>,
    pub description: Option<String>,
    pub tasks: Vec<String>,
    pub deliverables: Vec<String>,
    pub notes: Vec<String>,
    pub duration: Option<Duration>,
    pub accommodations: Vec<Accommodation>,
    pub jointly: Vec<Jointly>,
    /// Its marked parts, in order.
    pub parts: Vec<Part>,
    /// `validated when …` over its parts.
    pub rule: Option<Rule>,
}

/// `part ecrit "Écrit" { scale … pass … coefficient 2 duration … form "…" optional }`.
#[derive(Default, Debug, Clone, PartialEq)]
pub struct Part {
    pub docs: Vec<String>,
    /// The id inside its assessment (`ecrit`).
    pub id: String,
    pub title: String,
    pub scale: Option<String>,
    pub pass: Option<String>,
    pub coefficient: Option<f64>,
    pub duration: Option<Duration>,
    pub form: Option<String>,
    pub examiners: Option<String>,
    pub optional: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Duration {
    Minutes(f64),
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Accommodation {
    pub kind: String,
    pub value: Option<String>,
    pub context: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Jointly {
    pub competencies: Vec<String>,
    pub criteria: Vec<Criterion>,
}

/// A string literal: escapes quotes, backslashes, newlines and tabs; drops
/// carriage returns and other control characters, which the grammar refuses.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn comments(out: &mut String, indent: &str, lines: &[String]) {
    for line in lines {
        // A line break would end the comment and turn the rest into source.
        let line: String = line.chars().filter(|c| !c.is_control()).collect();
        if line.is_empty() {
            let _ = writeln!(out, "{indent}//");
        } else {
            let _ = writeln!(out, "{indent}// {line}");
        }
    }
}

fn docs(out: &mut String, indent: &str, lines: &[String]) {
    for line in lines {
        let line: String = line.chars().filter(|c| !c.is_control()).collect();
        if line.is_empty() {
            let _ = writeln!(out, "{indent}///");
        } else {
            let _ = writeln!(out, "{indent}/// {line}");
        }
    }
}

impl Referential {
    pub fn to_source(&self) -> String {
        let mut out = String::new();
        comments(&mut out, "", &self.comments);
        docs(&mut out, "", &self.docs);
        let _ = writeln!(out, "referential {} {} {{", self.id, string(&self.title));
        if let Some(level) = self.level {
            let _ = writeln!(out, "  level {level}");
        }
        if let Some(version) = &self.version {
            let _ = writeln!(out, "  version {}", string(version));
        }
        let _ = writeln!(out, "  lang {}", self.lang);
        for (key, value) in &self.meta {
            let _ = writeln!(out, "  meta {key} {}", string(value));
        }
        if let Some(text) = &self.accommodation {
            let _ = writeln!(out, "  accommodation {}", string(text));
        }
        out.push_str("}\n\n");
        for scale in &self.std_scales {
            let _ = writeln!(out, "use std::scales::{scale}");
        }
        if !self.std_scales.is_empty() {
            out.push('\n');
        }
        for scale in &self.scales {
            scale.write(&mut out);
        }
        if self.default_scale.is_some() || self.default_block_rule.is_some() {
            if let Some(rule) = &self.default_block_rule {
                comments(&mut out, "", &rule.comments);
            }
            out.push_str("defaults {\n");
            if let Some(scale) = &self.default_scale {
                let _ = writeln!(out, "  criterion scale {scale}");
            }
            if let Some(rule) = &self.default_block_rule {
                let _ = writeln!(out, "  block validated when {}", rule.text);
            }
            out.push_str("}\n\n");
        }
        for block in &self.blocks {
            block.write(&mut out);
        }
        for assessment in &self.assessments {
            assessment.write(&mut out, "");
            out.push('\n');
        }
        for equivalence in &self.equivalences {
            equivalence.write(&mut out);
        }
        comments(&mut out, "", &self.certification.comments);
        let _ = writeln!(
            out,
            "certification validated when {}",
            self.certification.text
        );
        out
    }
}

impl Equivalence {
    fn write(&self, out: &mut String) {
        comments(out, "", &self.comments);
        docs(out, "", &self.docs);
        let _ = writeln!(out, "equivalence {} {} {{", self.id, string(&self.title));
        if let Some(code) = &self.registered {
            let _ = writeln!(out, "  registered {}", string(code));
        }
        let _ = writeln!(out, "  grants {}", self.grants.join(", "));
        out.push_str("}\n\n");
    }
}

impl Scale {
    fn write(&self, out: &mut String) {
        let title = self
            .title
            .as_ref()
            .map_or(String::new(), |t| format!(" {}", string(t)));
        let _ = writeln!(out, "scale {}{title} {{", self.id);
        match &self.kind {
            ScaleKind::Levels(levels) => {
                let _ = writeln!(out, "  levels {}", levels.join(" < "));
            }
            ScaleKind::Range { min, max, step } => {
                let _ = writeln!(
                    out,
                    "  range {} .. {} step {}",
                    number(*min),
                    number(*max),
                    number(*step)
                );
            }
        }
        let _ = writeln!(out, "  pass {}\n}}\n", self.pass);
    }
}

impl Block {
    fn write(&self, out: &mut String) {
        comments(out, "", &self.comments);
        docs(out, "", &self.docs);
        let _ = writeln!(out, "block {} {} {{", self.id, string(&self.title));
        if let Some(summary) = &self.summary {
            let _ = writeln!(out, "  summary {}", string(summary));
        }
        for mission in &self.missions {
            let _ = writeln!(out, "  mission {}", string(mission));
        }
        for situation in &self.situations {
            let _ = writeln!(out, "  situation {} {{", string(&situation.title));
            for a in &situation.activities {
                let _ = writeln!(out, "    activity {}", string(a));
            }
            for n in &situation.notes {
                let _ = writeln!(out, "    note {}", string(n));
            }
            out.push_str("  }\n");
        }
        let preamble =
            self.summary.is_some() || !self.missions.is_empty() || !self.situations.is_empty();
        for (i, competency) in self.competencies.iter().enumerate() {
            if i > 0 || preamble {
                out.push('\n');
            }
            competency.write(out);
        }
        for assessment in &self.assessments {
            out.push('\n');
            assessment.write(out, "  ");
        }
        if let Some(rule) = &self.rule {
            out.push('\n');
            comments(out, "  ", &rule.comments);
            let _ = writeln!(out, "  validated when {}", rule.text);
        }
        out.push_str("}\n\n");
    }
}

impl Competency {
    fn write(&self, out: &mut String) {
        comments(out, "  ", &self.comments);
        docs(out, "  ", &self.docs);
        let head = format!("  competency {} {}", self.id, string(&self.title));
        if self.criteria.is_empty() && self.rule.is_none() {
            let _ = writeln!(out, "{head}");
            return;
        }
        let _ = writeln!(out, "{head} {{");
        for criterion in &self.criteria {
            criterion.write(out, "    ");
        }
        if let Some(rule) = &self.rule {
            comments(out, "    ", &rule.comments);
            let _ = writeln!(out, "    validated when {}", rule.text);
        }
        out.push_str("  }\n");
    }
}

impl Criterion {
    fn write(&self, out: &mut String, indent: &str) {
        docs(out, indent, &self.docs);
        let _ = writeln!(
            out,
            "{indent}criterion {} {} {{",
            self.id,
            string(&self.title)
        );
        if let Some(scale) = &self.scale {
            let _ = writeln!(out, "{indent}  scale {scale}");
        }
        if let Some(pass) = &self.pass {
            let _ = writeln!(out, "{indent}  pass {pass}");
        }
        if let Some(weight) = self.weight {
            let _ = writeln!(out, "{indent}  weight {}", number(weight));
        }
        for indicator in &self.indicators {
            let _ = writeln!(out, "{indent}  indicator {}", string(indicator));
        }
        let _ = writeln!(out, "{indent}}}");
    }
}

impl Assessment {
    /// At `at`: `"  "` inside a block, `""` at the top level.
    fn write(&self, out: &mut String, at: &str) {
        let inner = format!("{at}  ");
        comments(out, at, &self.comments);
        docs(out, at, &self.docs);
        let _ = writeln!(out, "{at}assessment {} {} {{", self.id, string(&self.title));
        if !self.covers.is_empty() {
            let _ = writeln!(out, "{inner}covers {}", self.covers.join(", "));
        }
        if let Some(kind) = &self.kind {
            let _ = writeln!(out, "{inner}kind {}", string(kind));
        }
        if let Some(description) = &self.description {
            let _ = writeln!(out, "{inner}description {}", string(description));
        }
        for task in &self.tasks {
            let _ = writeln!(out, "{inner}task {}", string(task));
        }
        for deliverable in &self.deliverables {
            let _ = writeln!(out, "{inner}deliverable {}", string(deliverable));
        }
        for note in &self.notes {
            let _ = writeln!(out, "{inner}note {}", string(note));
        }
        duration(out, &inner, self.duration.as_ref());
        for a in &self.accommodations {
            let mut line = format!("{inner}accommodation {}", a.kind);
            if let Some(value) = &a.value {
                let _ = write!(line, " {value}");
            }
            if let Some(context) = &a.context {
                let _ = write!(line, " for {context}");
            }
            if let Some(description) = &a.description {
                let _ = write!(line, " {}", string(description));
            }
            let _ = writeln!(out, "{line}");
        }
        for part in &self.parts {
            part.write(out, &inner);
        }
        for j in &self.jointly {
            let _ = writeln!(out, "\n{inner}jointly {} {{", j.competencies.join(", "));
            for criterion in &j.criteria {
                criterion.write(out, &format!("{inner}  "));
            }
            let _ = writeln!(out, "{inner}}}");
        }
        if let Some(rule) = &self.rule {
            comments(out, &inner, &rule.comments);
            let _ = writeln!(out, "{inner}validated when {}", rule.text);
        }
        let _ = writeln!(out, "{at}}}");
    }
}

fn duration(out: &mut String, indent: &str, duration: Option<&Duration>) {
    match duration {
        Some(Duration::Minutes(m)) => {
            let _ = writeln!(out, "{indent}duration {} min", number(*m));
        }
        Some(Duration::Text(t)) => {
            let _ = writeln!(out, "{indent}duration {}", string(t));
        }
        None => {}
    }
}

impl Part {
    fn write(&self, out: &mut String, indent: &str) {
        docs(out, indent, &self.docs);
        let head = format!("{indent}part {} {}", self.id, string(&self.title));
        let plain = self.scale.is_none()
            && self.pass.is_none()
            && self.coefficient.is_none()
            && self.duration.is_none()
            && self.form.is_none()
            && self.examiners.is_none()
            && !self.optional;
        if plain {
            let _ = writeln!(out, "{head}");
            return;
        }
        let _ = writeln!(out, "{head} {{");
        let inner = format!("{indent}  ");
        if let Some(scale) = &self.scale {
            let _ = writeln!(out, "{inner}scale {scale}");
        }
        if let Some(pass) = &self.pass {
            let _ = writeln!(out, "{inner}pass {pass}");
        }
        if let Some(coefficient) = self.coefficient {
            let _ = writeln!(out, "{inner}coefficient {}", number(coefficient));
        }
        duration(out, &inner, self.duration.as_ref());
        if let Some(form) = &self.form {
            let _ = writeln!(out, "{inner}form {}", string(form));
        }
        if let Some(examiners) = &self.examiners {
            let _ = writeln!(out, "{inner}examiners {}", string(examiners));
        }
        if self.optional {
            let _ = writeln!(out, "{inner}optional");
        }
        let _ = writeln!(out, "{indent}}}");
    }
}

/// Makes `raw` a valid identifier (a letter or `_` first, then letters,
/// digits, `_`, and dot-separated segments: `C1.3A`), or None when nothing
/// usable is left.
pub fn identifier(raw: &str) -> Option<String> {
    prefixed(raw, "_")
}

/// Like [`identifier`], with `prefix` before a code that starts with a
/// digit: a competency coded `1.2` becomes `C1.2`.
pub fn prefixed(raw: &str, prefix: &str) -> Option<String> {
    let mut out = String::new();
    for c in raw.trim().chars() {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else if c == '.' && !out.is_empty() && !out.ends_with(['.', '_']) {
            out.push('.');
        } else if !out.is_empty() && !out.ends_with(['_', '.']) {
            out.push('_');
        }
    }
    let out = out.trim_end_matches(['_', '.']).to_string();
    match out.chars().next() {
        None => None,
        Some(c) if c.is_alphabetic() || c == '_' => Some(out),
        Some(_) => Some(format!("{prefix}{out}")),
    }
}
