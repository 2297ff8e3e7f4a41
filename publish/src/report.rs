//! `acquis eval --format html -o DIR`: results a jury can read and print.
//! One page per candidate (every outcome with its reason, what is still
//! missing, the accommodations of the assessments) and a cohort page
//! (counts and pass rates per block and competency, as a chart followed by
//! the same figures in a table). Pages are written batch by batch as the
//! evaluation streams, rendered on every core; only the counts and one
//! line per candidate are kept for the cohort page.
//!
//! Candidates' other columns (assessor, date, a declared disability…) are
//! personal data: they appear only with `--include-metadata`.

mod candidate;
mod chart;
pub mod cohort;
mod explanation;
pub mod files;
pub mod words;

pub use candidate::{grade_words, missing};
pub use chart::percent;
pub use cohort::Cohort;

use crate::report::words::Word;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use acquis_eval::record::Source;
use acquis_eval::{EvalError, Evaluated, Grades, Outcome, Outcomes, Plan, ResultSink, Summary};
use acquis_ir::ExprIr;

use crate::PublishError;

pub use explanation::explanation_page;

use acquis_ir::describe::{Lang, Lookup};

/// One evaluated candidate, as the evaluation loop hands it over.
pub struct Candidate<'a> {
    pub id: &'a str,
    pub metadata: &'a [(String, String)],
    pub grades: &'a Grades,
    /// `None` when the candidate's grades have problems.
    pub outcomes: Option<&'a Outcomes>,
    /// (line, message) of each problem, said in the page's language.
    pub problems: Vec<(usize, &'a acquis_diagnostics::Text)>,
}

impl<'a> From<&'a Evaluated> for Candidate<'a> {
    fn from(e: &'a Evaluated) -> Self {
        Candidate {
            id: &e.raw.id,
            metadata: &e.raw.metadata,
            grades: &e.grades,
            outcomes: e.outcomes.as_ref(),
            problems: e.problems.iter().map(|p| (p.line, &p.message)).collect(),
        }
    }
}

/// The pages as the evaluation's output: each batch as it comes, the
/// cohort page at the end.
impl<F: PageFormat> ResultSink for Pages<'_, '_, F> {
    fn batch(&mut self, _plan: &Plan<'_>, candidates: &[Evaluated]) -> Result<(), EvalError> {
        let batch: Vec<Candidate<'_>> = candidates.iter().map(Candidate::from).collect();
        self.write(&batch).map_err(|e| EvalError::Sink(Box::new(e)))
    }

    fn finish(&mut self, _plan: &Plan<'_>, summary: &Summary) -> Result<(), EvalError> {
        Pages::finish(self, summary.file_errors)
            .map(|_| ())
            .map_err(|e| EvalError::Sink(Box::new(e)))
    }
}

/// Runs `job` on every item, on as many threads as rayon has cores, each
/// thread taking the next item until none is left or a job failed; the
/// error returned is the first item's that failed.
///
/// Not rayon's `par_iter`: a page format may itself wait on rayon (typst
/// lays out and writes PDF with it), and a rayon worker that waits runs
/// other queued jobs on its own stack. Candidates' pages as rayon jobs
/// were typeset inside one another, ninety deep on one thread for 260 seed
/// candidates: memory grew with the cohort (2.3 GB) until the stack
/// overflowed and the process aborted. Plain threads never take a job
/// they did not ask for: each holds one page at a time.
fn on_every_core<T: Sync>(
    items: &[T],
    job: impl Fn(&T) -> Result<(), PublishError> + Sync,
) -> Result<(), PublishError> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Mutex;

    let threads = rayon::current_num_threads().clamp(1, items.len().max(1));
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let failed: Mutex<Option<(usize, PublishError)>> = Mutex::new(None);
    let work = || {
        while !stop.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            if let Err(e) = job(item) {
                stop.store(true, Ordering::Relaxed);
                let mut first = failed
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if first.as_ref().is_none_or(|(j, _)| i < *j) {
                    *first = Some((i, e));
                }
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            // Typesetting recurses as deep as the page's content nests.
            let spawned = std::thread::Builder::new()
                .name("acquis-pages".to_string())
                .stack_size(PAGE_THREAD_STACK)
                .spawn_scoped(scope, work);
            if spawned.is_err() {
                // No thread to be had: this one does the work alone.
                break;
            }
        }
        work();
    });
    match failed
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}

/// The stack of a thread writing pages (the main thread's is 8 MB).
const PAGE_THREAD_STACK: usize = 16 * 1024 * 1024;

/// Counts of one entity over the cohort.
#[derive(Clone, Copy, Default)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub pending: usize,
    /// Outcomes that come from candidates' records, by source: an
    /// earlier session, an equivalence, a dispensation, a jury decision
    /// (`acquis_eval::record::Source`).
    pub sources: [usize; 4],
}

impl Tally {
    fn add(&mut self, outcome: Option<Outcome>) {
        match outcome {
            Some(Outcome::Passed) => self.passed += 1,
            Some(Outcome::Failed) => self.failed += 1,
            _ => self.pending += 1,
        }
    }

    /// Counts an outcome and where it comes from.
    fn add_sourced(&mut self, plan: &Plan<'_>, outcomes: &Outcomes, id: &str) {
        self.add(outcomes.get(plan, id));
        let index = match outcomes.source(plan, id) {
            None => return,
            Some(Source::Earlier { .. }) => 0,
            Some(Source::Equivalence { .. }) => 1,
            Some(Source::Dispensation { .. }) => 2,
            Some(Source::Jury { .. } | Source::AwaitingJury { .. }) => 3,
        };
        if let Some(n) = self.sources.get_mut(index) {
            *n += 1;
        }
    }

    pub fn evaluated(&self) -> usize {
        self.passed + self.failed + self.pending
    }

    /// Validated among the candidates evaluated, in percent.
    pub fn rate(&self) -> f64 {
        match self.evaluated() {
            0 => 0.0,
            n => 100.0 * self.passed as f64 / n as f64,
        }
    }
}

/// A line of the cohort page's list of candidates.
pub struct Listed {
    pub id: String,
    /// The candidate's page, relative to the cohort page.
    pub file: String,
    /// Certification then each block; `None` for a candidate with errors.
    pub outcomes: Option<Vec<Outcome>>,
}

/// How the pages of an evaluation are written: [`Html`] here, PDF in
/// `acquis-pdf`. [`Pages`] does the rest once for every format: the
/// counts, the file names, the cleaning of a previous run's pages, the
/// manifest, writing on every core.
pub trait PageFormat: Sync {
    /// The extension of the files written (`html`, `pdf`).
    fn extension(&self) -> &'static str;
    /// One candidate's page.
    fn candidate(&self, cx: &Context<'_, '_>, c: &Candidate<'_>) -> Result<Vec<u8>, PublishError>;
    /// The cohort's page.
    fn cohort(&self, c: &Cohort<'_, '_, '_>) -> Result<Vec<u8>, PublishError>;
}

/// The accessible HTML pages.
pub struct Html;

impl PageFormat for Html {
    fn extension(&self) -> &'static str {
        "html"
    }

    fn candidate(&self, cx: &Context<'_, '_>, c: &Candidate<'_>) -> Result<Vec<u8>, PublishError> {
        Ok(candidate::render(cx, c).into_bytes())
    }

    fn cohort(&self, c: &Cohort<'_, '_, '_>) -> Result<Vec<u8>, PublishError> {
        Ok(cohort::render(c).into_bytes())
    }
}

/// What every page needs about the referential, computed once.
pub struct Context<'p, 'ir> {
    pub plan: &'p Plan<'ir>,
    pub lookup: Lookup<'ir>,
    pub lang: Lang,
    /// The rule of each competency, block and the certification: what a
    /// pending outcome still waits for is found by walking them.
    rules: HashMap<&'ir str, &'ir ExprIr>,
    pub include_metadata: bool,
}

impl<'p, 'ir> Context<'p, 'ir> {
    /// Opens a results page: the frame every page shares, a banner naming
    /// the referential's results, then the page's one `<h1>`.
    fn open_page(&self, out: &mut String, title: &str, heading: &str, nav: &[(String, String)]) {
        let lang = self.lang;
        let ir = self.plan.ir();
        let banner = format!(
            "{} {} — {}",
            Word::Referential.text(lang),
            ir.referential.id,
            Word::Results.text(lang)
        );
        crate::doc::page::open(out, lang, title, &banner, nav);
        out.push_str("<h1>");
        crate::doc::text::push_html(out, heading);
        out.push_str("</h1>\n");
    }

    fn new(plan: &'p Plan<'ir>, include_metadata: bool) -> Self {
        let ir = plan.ir();
        let lookup = Lookup::new(ir);
        let mut rules: HashMap<&'ir str, &'ir ExprIr> = HashMap::new();
        for c in &ir.competencies {
            rules.insert(&c.id, &c.rule.expr);
        }
        for b in &ir.blocks {
            rules.insert(&b.id, &b.rule.expr);
        }
        rules.insert("certification", &ir.certification.rule.expr);
        Context {
            plan,
            lookup,
            lang: plan.lang(),
            rules,
            include_metadata,
        }
    }

    /// The ungraded criteria a pending entity still waits for, in IR
    /// order. Only reads that are still pending are followed: a
    /// competency already validated (or not) cannot change the outcome
    /// any more, so its ungraded criteria are not missing.
    pub fn missing(&self, id: &str, grades: &Grades, outcomes: &Outcomes) -> Vec<&'ir str> {
        let ir = self.plan.ir();
        let mut found: Vec<usize> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut todo: Vec<&str> = vec![id];
        while let Some(id) = todo.pop() {
            if !seen.insert(id) {
                continue;
            }
            let Some(expr) = self.rules.get(id) else {
                continue;
            };
            for member in expr.members() {
                if let Some(i) = self.plan.criterion_index(member) {
                    if grades.position(i).is_none() {
                        found.push(i);
                    }
                } else if outcomes.get(self.plan, member).unwrap_or(Outcome::Pending)
                    == Outcome::Pending
                {
                    todo.push(member);
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
            .iter()
            .filter_map(|&i| ir.criteria.get(i).map(|c| c.id.as_str()))
            .collect()
    }

    /// The outcome in words, agreeing in French with the entity's gender:
    /// "validée" for a competency or the certification.
    pub fn word(&self, id: &str, outcome: Outcome) -> String {
        self.plan.outcome_agreeing(id, outcome)
    }
}

/// The CSS class of an outcome, next to its words (never colour alone).
/// One letter: a page of the seed has 150 of them, 10,000 pages at once.
pub fn class(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "p",
        Outcome::Failed => "f",
        Outcome::Pending => "w",
    }
}

/// The pages of one evaluation, written into `dir` as candidates arrive.
pub struct Pages<'p, 'ir, F: PageFormat = Html> {
    format: F,
    context: Context<'p, 'ir>,
    dir: PathBuf,
    names: acquis_eval::sink::UniqueNames,
    listed: Vec<Listed>,
    certification: Tally,
    blocks: Vec<Tally>,
    competencies: Vec<Tally>,
    errors: usize,
}

impl<'p, 'ir> Pages<'p, 'ir, Html> {
    /// The HTML pages.
    pub fn create(
        plan: &'p Plan<'ir>,
        dir: &Path,
        include_metadata: bool,
    ) -> Result<Self, PublishError> {
        Pages::with_format(Html, plan, dir, include_metadata)
    }
}

impl<'p, 'ir, F: PageFormat> Pages<'p, 'ir, F> {
    /// The pages in `format`.
    pub fn with_format(
        format: F,
        plan: &'p Plan<'ir>,
        dir: &Path,
        include_metadata: bool,
    ) -> Result<Self, PublishError> {
        files::clean_previous(dir)?;
        std::fs::create_dir_all(dir.join("candidates")).map_err(|source| {
            PublishError::CreateDir {
                path: dir.to_path_buf(),
                source,
            }
        })?;
        // Created just now or already there: never a link out of `dir`.
        files::no_link(&dir.join("candidates"))?;
        let ir = plan.ir();
        Ok(Pages {
            format,
            context: Context::new(plan, include_metadata),
            dir: dir.to_path_buf(),
            names: acquis_eval::sink::UniqueNames::default(),
            listed: Vec::new(),
            certification: Tally::default(),
            blocks: vec![Tally::default(); ir.blocks.len()],
            competencies: vec![Tally::default(); ir.competencies.len()],
            errors: 0,
        })
    }

    /// Writes the pages of a batch of candidates (rendered and written on
    /// every core) and counts them for the cohort page.
    pub fn write(&mut self, batch: &[Candidate<'_>]) -> Result<(), PublishError> {
        let plan = self.context.plan;
        let ir = plan.ir();
        let files: Vec<String> = batch.iter().map(|c| self.file_name(c.id)).collect();
        for (c, file) in batch.iter().zip(&files) {
            match c.outcomes {
                None => {
                    self.errors += 1;
                    self.listed.push(Listed {
                        id: c.id.to_string(),
                        file: file.clone(),
                        outcomes: None,
                    });
                }
                Some(o) => {
                    self.certification.add_sourced(plan, o, "certification");
                    for (t, b) in self.blocks.iter_mut().zip(&ir.blocks) {
                        t.add_sourced(plan, o, &b.id);
                    }
                    for (t, k) in self.competencies.iter_mut().zip(&ir.competencies) {
                        t.add_sourced(plan, o, &k.id);
                    }
                    let mut outcomes =
                        vec![o.get(plan, "certification").unwrap_or(Outcome::Pending)];
                    outcomes.extend(
                        ir.blocks
                            .iter()
                            .map(|b| o.get(plan, &b.id).unwrap_or(Outcome::Pending)),
                    );
                    self.listed.push(Listed {
                        id: c.id.to_string(),
                        file: file.clone(),
                        outcomes: Some(outcomes),
                    });
                }
            }
        }
        let context = &self.context;
        let dir = &self.dir;
        let format = &self.format;
        let jobs: Vec<(&Candidate<'_>, &String)> = batch.iter().zip(&files).collect();
        on_every_core(&jobs, |(c, file)| {
            let page = format.candidate(context, c)?;
            files::write_page(&dir.join(file), &page)
        })
    }

    /// Writes the cohort page, `index.html` (`index.pdf`…); `unreadable`
    /// lines of the grades file could not be attached to any candidate.
    pub fn finish(&mut self, unreadable: usize) -> Result<PathBuf, PublishError> {
        let page = self.format.cohort(&cohort::Cohort {
            context: &self.context,
            listed: &self.listed,
            certification: self.certification,
            blocks: &self.blocks,
            competencies: &self.competencies,
            errors: self.errors,
            unreadable,
        })?;
        // The pages written, for the next run to remove them and nothing
        // else.
        let mut manifest: String = self
            .listed
            .iter()
            .filter_map(|l| l.file.strip_prefix("candidates/"))
            .map(|name| format!("{name}\n"))
            .collect();
        if manifest.is_empty() {
            manifest.push('\n');
        }
        files::write_page(
            &self.dir.join("candidates").join(files::MANIFEST),
            manifest.as_bytes(),
        )?;
        let path = self.dir.join(format!("index.{}", self.format.extension()));
        files::write_page(&path, &page)?;
        Ok(path)
    }

    /// A file name from the candidate id, safe on every file system and
    /// unique in the directory: `candidates/CAND-001.html` (`.pdf`…).
    /// The name depends on the id alone ([`files::page_stem`]), except
    /// for ids that differ only in case (as a case-insensitive disk
    /// compares names): the later one gets the hash too. A numbered name
    /// is left for what is still taken: an id written as another id's
    /// hashed name (`a_b-3a8e75c1`, the name of `a/b`), or a clash of
    /// hashes.
    fn file_name(&mut self, id: &str) -> String {
        let name = self.names.give(files::page_stem(id), || files::hashed(id));
        format!("candidates/{name}.{}", self.format.extension())
    }
}
