//! Bad grade files give typed problems: the right code (the `A07xx` range),
//! line, column and candidate, converted once into a [`Diagnostic`] located
//! by line and column, whose terminal form is the one line
//! `path:line:column: error: message (candidate `ID`)`.
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use acquis_compiler::loader::Disk;
use acquis_compiler::{compile, Code, Diagnostic};
use acquis_diagnostics::render::{self, Format};
use acquis_diagnostics::source::SourceMap;
use acquis_diagnostics::{Location, Position};
use acquis_eval::batch::Evaluated;
use acquis_eval::explain::explain;
use acquis_eval::sink::JsonLines;
use acquis_eval::{EvalError, Plan, ResultSink, Summary};

/// The small test referential of the workspace: `E1/CE1` and `E1/CE2` are
/// graded in levels (`non_acquis < en_cours < acquis`), `C2.1/CE1` and
/// `C2.1/CE2` are marks out of 20 by half points.
fn plan() -> Plan<'static> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/small.acquis");
    let compilation = Box::leak(Box::new(compile(&path, &Disk)));
    assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
    Plan::new(compilation.ir.as_ref().unwrap())
}

/// A file of its own under the temporary directory, removed on drop.
struct Grades(PathBuf);

impl Grades {
    fn new(name: &str, bytes: &[u8]) -> Grades {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "acquis-eval-grade-problems-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        Grades(path)
    }
}

impl Drop for Grades {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Keeps the candidates' ids and whether they were evaluated.
#[derive(Default)]
struct Collect(Vec<(String, bool)>);

impl ResultSink for Collect {
    fn batch(&mut self, _plan: &Plan<'_>, candidates: &[Evaluated]) -> Result<(), EvalError> {
        self.0.extend(
            candidates
                .iter()
                .map(|e| (e.raw.id.clone(), e.outcomes.is_some())),
        );
        Ok(())
    }
    fn finish(&mut self, _plan: &Plan<'_>, _summary: &Summary) -> Result<(), EvalError> {
        Ok(())
    }
}

/// (code, line, column, candidate) of a grade problem.
type Found = (Code, Option<usize>, Option<usize>, Option<String>);

fn found(d: &Diagnostic) -> Found {
    let Location::Position(p) = d.primary.location() else {
        panic!("a grade problem located by a span: {d:?}")
    };
    let candidate = d
        .primary
        .message
        .english()
        .strip_prefix("candidate `")
        .and_then(|rest| rest.strip_suffix('`'))
        .map(str::to_owned);
    (d.code, p.line, p.column, candidate)
}

/// Evaluates `bytes` saved as `name`: the problems, in the order reported,
/// the candidates and the summary.
fn run(name: &str, bytes: &[u8]) -> (Vec<Diagnostic>, Vec<(String, bool)>, Summary) {
    let plan = plan();
    let grades = Grades::new(name, bytes);
    let mut problems = Vec::new();
    let mut sink = Collect::default();
    let summary =
        acquis_eval::run(&plan, &grades.0, None, &mut sink, &mut |d| problems.push(d)).unwrap();
    for d in &problems {
        let Location::Position(p) = d.primary.location() else {
            panic!("{d:?}")
        };
        assert_eq!(
            p.path.as_deref(),
            Some(grades.0.display().to_string().as_str())
        );
        assert!(d.is_error());
    }
    (problems, sink.0, summary)
}

fn codes(problems: &[Diagnostic]) -> Vec<Found> {
    problems.iter().map(found).collect()
}

fn at(code: Code, line: usize, column: Option<usize>, candidate: Option<&str>) -> Found {
    (code, Some(line), column, candidate.map(str::to_owned))
}

#[test]
fn long_csv_problems_have_their_codes_lines_and_columns() {
    let input = "candidate,criterion,grade\n\
                 alice,E1/CE1,acquis\n\
                 alice,E1/CE9,acquis\n\
                 alice,E1/CE2,bof\n\
                 alice,E1/CE1,non_acquis\n\
                 alice,E1/CE1,acquis\n\
                 bob,C2.1/CE1,25\n\
                 bob,C2.1/CE2\n\
                 \"\",E1/CE1,acquis\n\
                 carol,E1/CE1,acquis\n\
                 bob,E1/CE2,acquis\n\
                 dan,E1/CE1,\n";
    let (problems, candidates, summary) = run("grades.csv", input.as_bytes());
    assert_eq!(
        codes(&problems),
        [
            at(Code::UnknownCriterion, 3, Some(3), Some("alice")),
            at(Code::GradeNotOnScale, 4, Some(3), Some("alice")),
            // Line 6 gives the same grade again: accepted.
            at(Code::ConflictingGrades, 5, Some(3), Some("alice")),
            // The row without a candidate is yielded as soon as it is read,
            // before bob, who was still being read; a candidate's rows that
            // cannot be read come before its grades that are checked.
            at(Code::MalformedRow, 9, Some(1), None),
            at(Code::MalformedRow, 8, None, Some("bob")),
            at(Code::GradeNotOnScale, 7, Some(3), Some("bob")),
            at(Code::CandidateRepeated, 11, Some(1), Some("bob")),
            at(Code::MalformedRow, 12, Some(3), Some("dan")),
        ]
    );
    assert_eq!(
        problems[1].message.english(),
        "grade of `E1/CE2`: `bof` is not a level of the scale: non_acquis, en_cours, acquis"
    );
    assert_eq!(
        candidates,
        [
            ("alice".to_owned(), false),
            ("bob".to_owned(), false),
            ("carol".to_owned(), true),
            ("bob".to_owned(), false),
            ("dan".to_owned(), false),
        ]
    );
    assert_eq!((summary.errors, summary.file_errors), (4, 1));
}

#[test]
fn wide_csv_and_json_lines_problems() {
    let wide = "candidate,E1/CE1,E1/CE2,E1/CE7\nalice,acquis,,x\nbob,acquis\nalice,acquis,,\n";
    let (problems, _, _) = run("wide.csv", wide.as_bytes());
    assert_eq!(
        codes(&problems),
        [
            // The column of the criterion.
            at(Code::UnknownCriterion, 2, Some(4), Some("alice")),
            at(Code::MalformedRow, 3, None, Some("bob")),
            at(Code::CandidateRepeated, 4, Some(1), Some("alice")),
        ]
    );
    let jsonl = concat!(
        "{\"candidate\": \"alice\", \"grades\": {\"E1/CE1\": \"acquis\", \"C2.1/CE1\": 10.25}}\n",
        "{\"candidate\": \"bob\", \"grades\": {\"E1/CE1\": \n",
        "\n",
        "{\"candidate\": \"carol\", \"grades\": {\"E1/CE1\": true}}\n",
        "{\"grades\": {}}\n",
    );
    let (problems, candidates, _) = run("grades.jsonl", jsonl.as_bytes());
    assert_eq!(
        codes(&problems),
        [
            // JSON columns are characters: the key of a grade, where JSON
            // stops making sense, the value of the wrong type.
            at(Code::GradeNotOnScale, 1, Some(55), Some("alice")),
            at(Code::MalformedRow, 2, Some(42), None),
            at(Code::MalformedRow, 4, Some(45), Some("carol")),
            at(Code::MalformedRow, 5, Some(1), None),
        ]
    );
    assert_eq!(candidates.len(), 2);
}

#[test]
fn absent_without_an_absence_rule_is_an_error_in_every_format() {
    // small.acquis says nothing of absence: `ABS` is refused, never read
    // as missing or as 0, and the message says where to say it.
    let long =
        "candidate,criterion,grade\nalice,C2.1/CE1,ABS\nalice,E1/CE1,absent\nbob,C2.1/CE1,12\n";
    let (problems, candidates, _) = run("grades.csv", long.as_bytes());
    assert_eq!(
        codes(&problems),
        [
            at(Code::AbsentWithoutRule, 2, Some(3), Some("alice")),
            at(Code::AbsentWithoutRule, 3, Some(3), Some("alice")),
        ]
    );
    assert_eq!(
        problems[0].message.english(),
        "grade of `C2.1/CE1`: `ABS` means absent, but the referential does not say what \
         absence counts as for this criterion: add `absent counts as 0` (or `absent counts as \
         <grade>`) to scale `note`, assessment `E2` or `defaults`"
    );
    // On a scale of the standard library, which cannot be edited.
    assert!(
        problems[1].message.english().ends_with(
            "add `absent counts as not acquired` (or `absent counts as <grade>`) to assessment \
             `E1` or `defaults`"
        ),
        "{:?}",
        problems[1].message
    );
    assert!(problems[0].help.is_some());
    assert_eq!(
        candidates,
        [("alice".to_owned(), false), ("bob".to_owned(), true)]
    );
    let wide = "candidate,E1/CE1,C2.1/CE2\nalice,acquis,abs\n";
    let (problems, _, _) = run("wide.csv", wide.as_bytes());
    assert_eq!(
        codes(&problems),
        [at(Code::AbsentWithoutRule, 2, Some(3), Some("alice"))]
    );
    let jsonl = "{\"candidate\": \"alice\", \"grades\": {\"E1/CE1\": \"Abs\"}}\n";
    let (problems, _, _) = run("grades.jsonl", jsonl.as_bytes());
    assert_eq!(
        codes(&problems),
        [at(Code::AbsentWithoutRule, 1, Some(35), Some("alice"))]
    );
}

#[test]
fn file_level_problems() {
    let cases: [(&str, &[u8], Found); 6] = [
        ("empty.csv", b"", at(Code::GradesEmpty, 1, None, None)),
        (
            "blank.jsonl",
            b"\n  \n",
            at(Code::GradesEmpty, 1, None, None),
        ),
        (
            "noheader.csv",
            b"alice,E1/CE1,acquis\n",
            at(Code::GradesHeader, 1, None, None),
        ),
        (
            "twice.csv",
            b"candidate,E1/CE1,E1/CE1\nalice,acquis,acquis\n",
            at(Code::GradesHeader, 1, Some(3), None),
        ),
        (
            "latin1-header.csv",
            b"candidate,E1/CE1,cat\xe9gorie\nalice,acquis,x\n",
            at(Code::GradesNotUtf8, 1, Some(3), None),
        ),
        (
            "latin1.csv",
            b"candidate,criterion,grade\nalice,E1/CE1,acquis\xe9\n",
            at(Code::GradesNotUtf8, 2, Some(3), Some("alice")),
        ),
    ];
    for (name, bytes, expected) in cases {
        let (problems, _, _) = run(name, bytes);
        assert_eq!(codes(&problems), [expected], "{name}");
    }
}

#[test]
fn the_terminal_form_is_the_one_line_of_before() {
    let problem = acquis_eval::Problem {
        code: Code::UnknownCriterion,
        line: 127,
        column: Some(3),
        candidate: Some("CAND-102".into()),
        message: acquis_diagnostics::text!(
            "unknown criterion `C1.3/CE6` (did you mean `C1.3/CE1`?)"
        ),
        file: None,
    };
    let d = problem.to_diagnostic("grades.csv");
    let sources = SourceMap::default();
    assert_eq!(
        render::stream(
            &d,
            &sources,
            Format::Terminal { color: true },
            acquis_diagnostics::Lang::En
        ),
        "grades.csv:127:3: error: unknown criterion `C1.3/CE6` (did you mean `C1.3/CE1`?) \
         (candidate `CAND-102`)\n"
    );
    let narrated = render::stream(&d, &sources, Format::Narrated, acquis_diagnostics::Lang::En);
    assert!(
        narrated.starts_with(
            "Error A0707: unknown criterion `C1.3/CE6` (did you mean `C1.3/CE1`?), in grades.csv \
             at line 127, column 3: candidate `CAND-102`.\n  Help: "
        ),
        "{narrated}"
    );
    let json: serde_json::Value = serde_json::from_str(&render::stream(
        &d,
        &sources,
        Format::Json,
        acquis_diagnostics::Lang::En,
    ))
    .unwrap();
    assert_eq!(json["code"], "A0707");
    assert_eq!(json["location"]["line"], 127);
    assert_eq!(json["location"]["column"], 3);
    assert!(json["location"]["start"].is_null());
    // A row of no candidate, without a column.
    let row = acquis_eval::Problem {
        code: Code::MalformedRow,
        line: 631,
        column: None,
        candidate: None,
        message: acquis_diagnostics::text!("this row has 2 fields but the header has 5"),
        file: None,
    };
    assert_eq!(
        render::terminal(
            &row.to_diagnostic("g.csv"),
            &sources,
            false,
            acquis_diagnostics::Lang::En
        ),
        "g.csv:631: error: this row has 2 fields but the header has 5\n"
    );
}

#[test]
fn whole_run_errors_are_diagnostics_too() {
    let plan = plan();
    let missing = Path::new("no/such/grades.csv");
    let Err(e) = acquis_eval::run(&plan, missing, None, &mut Collect::default(), &mut |_| {})
    else {
        panic!("a missing file is read")
    };
    let d = Diagnostic::from(&e);
    assert_eq!(d.code, Code::GradesUnreadable);
    assert_eq!(
        d.primary.location(),
        Location::Position(&Position::file("no/such/grades.csv"))
    );
    // The terminal puts the path first; the message does not repeat it.
    assert_eq!(
        render::terminal(
            &d,
            &SourceMap::default(),
            false,
            acquis_diagnostics::Lang::En
        ),
        "no/such/grades.csv: error: cannot read the file: no such file or directory\n"
    );

    let grades = Grades::new("g.csv", b"candidate,E1/CE1\nALICE,acquis\n");
    let Err(e) = explain(&plan, &grades.0, None, "ALICE2") else {
        panic!("ALICE2 explained")
    };
    let d = e.to_diagnostic();
    assert_eq!(d.code, Code::UnknownCandidate);
    assert!(
        d.message.english().ends_with("(did you mean `ALICE`?)"),
        "{:?}",
        d.message
    );

    let e = EvalError::Write(std::io::Error::other("broken pipe"));
    let d = e.to_diagnostic();
    assert_eq!(d.code, Code::ResultsUnwritable);
    assert_eq!(
        d.primary.location(),
        Location::Position(&Position::nowhere())
    );
}

/// docs/diagnostics.md documents every grade-file code, after the
/// referential's, in order (compiler/tests/api/diagnostics.rs checks the others).
#[test]
fn every_grade_file_code_is_documented() {
    let docs = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/diagnostics.md"),
    )
    .unwrap();
    let headings: Vec<&str> = docs.lines().filter(|l| l.starts_with("## A07")).collect();
    let expected: Vec<String> = Code::GRADE_FILES
        .iter()
        .map(|c| format!("## {c}: {}", c.title()))
        .collect();
    assert_eq!(headings, expected);
}

/// Keeps each candidate's id and every outcome (`None` when its grades
/// have errors).
#[derive(Default)]
struct Outcomes(Vec<(String, Option<Vec<Option<acquis_eval::Outcome>>>)>);

impl ResultSink for Outcomes {
    fn batch(&mut self, plan: &Plan<'_>, candidates: &[Evaluated]) -> Result<(), EvalError> {
        self.0.extend(candidates.iter().map(|e| {
            let outcomes = e
                .outcomes
                .as_ref()
                .map(|o| plan.ids().iter().map(|id| o.get(plan, id)).collect());
            (e.raw.id.clone(), outcomes)
        }));
        Ok(())
    }
    fn finish(&mut self, _plan: &Plan<'_>, _summary: &Summary) -> Result<(), EvalError> {
        Ok(())
    }
}

/// The outcomes and the problems (with their words) of a file.
type Checked = (
    Vec<(String, Option<Vec<Option<acquis_eval::Outcome>>>)>,
    Vec<(Found, String)>,
);

fn checked(plan: &Plan<'_>, bytes: &[u8]) -> Checked {
    let grades = Grades::new("grades.csv", bytes);
    let mut problems = Vec::new();
    let mut sink = Outcomes::default();
    acquis_eval::run(plan, &grades.0, None, &mut sink, &mut |d| problems.push(d)).unwrap();
    let problems = problems
        .iter()
        .map(|d| (found(d), d.message.english().to_string()))
        .collect();
    (sink.0, problems)
}

/// Candidates read and checked together give what each gives alone.
/// Together, the grades checked before are remembered (a file gives its
/// criteria in the same order candidate after candidate) and their texts
/// shared; here the order changes from candidate to candidate, criteria
/// are left out, repeated with the same or another grade, unknown, and
/// grades are off the scale. Alone, each candidate is in a file of its
/// own, its rows on the same lines (blank lines are skipped).
#[test]
fn a_candidate_is_checked_as_it_would_be_alone() {
    let plan = plan();
    let criteria = [
        "E1/CE1", "E1/CE2", "C2.1/CE1", "C2.1/CE2", "C2.2/CE1", "C2.2/CE2", "C2.2/CE3",
    ];
    let values = [
        "acquis",
        "acquis",
        "en_cours",
        "non_acquis",
        "12",
        "8.5",
        "20",
        "21",
        "ABS",
        "zz",
    ];
    let mut rng = crate::XorShift(0x853c_49e6_748f_ea9b_u64);
    let mut below = |n: usize| rng.below(n);
    let header = "candidate,criterion,grade\n";
    let mut whole = String::from(header);
    let mut alone = Vec::new();
    let mut line = 2;
    for c in 0..300 {
        let mut own = String::from(header);
        own.push_str(&"\n".repeat(line - 2));
        // Mostly the same order, as files are written.
        let mut order: Vec<&str> = criteria.to_vec();
        if below(4) == 0 {
            let (i, j) = (below(criteria.len()), below(criteria.len()));
            order.swap(i, j);
        }
        let mut rows = Vec::new();
        for criterion in order {
            match below(20) {
                0 => continue,
                1 => rows.push(format!("K{c},E1/CE9,acquis\n")),
                _ => {}
            }
            let value = if below(3) == 0 {
                values[below(values.len())]
            } else if criterion.starts_with("C2.1") {
                "12"
            } else {
                "acquis"
            };
            rows.push(format!("K{c},{criterion},{value}\n"));
            if below(15) == 0 {
                rows.push(format!(
                    "K{c},{criterion},{}\n",
                    values[below(values.len())]
                ));
            }
        }
        for row in rows {
            whole.push_str(&row);
            own.push_str(&row);
            line += 1;
        }
        alone.push(own);
    }
    let (together, problems) = checked(&plan, whole.as_bytes());
    assert_eq!(together.len(), alone.len());
    for ((id, outcomes), own) in together.iter().zip(&alone) {
        let (one, own_problems) = checked(&plan, own.as_bytes());
        assert_eq!(one, vec![(id.clone(), outcomes.clone())], "{own}");
        let mine: Vec<&(Found, String)> = problems
            .iter()
            .filter(|((_, _, _, candidate), _)| candidate.as_deref() == Some(id.as_str()))
            .collect();
        assert_eq!(mine, own_problems.iter().collect::<Vec<_>>(), "{own}");
    }
    // The file has every kind of problem, and candidates without any.
    assert!(together.iter().any(|(_, o)| o.is_some()));
    let codes: std::collections::BTreeSet<Code> = problems.iter().map(|p| p.0 .0).collect();
    for code in [
        Code::UnknownCriterion,
        Code::GradeNotOnScale,
        Code::ConflictingGrades,
    ] {
        assert!(codes.contains(&code), "{codes:?}");
    }
}

/// Candidates of different parts of a file are checked as they would be
/// alone. Each part of a long file is read on its own core and keeps its
/// own texts: a criterion's term in one part may be another criterion's
/// in the next. Here the criteria come in an order of their own in each
/// stretch of the file, so that the terms of neighbouring parts differ,
/// and the candidates checked together across a part's end must not take
/// one part's terms for the other's. Each candidate has one of a few sets
/// of grades, whose outcomes are those of that set alone in a file.
#[test]
fn candidates_of_different_parts_are_checked_as_they_would_be_alone() {
    let plan = plan();
    let criteria = [
        "E1/CE1", "E1/CE2", "C2.1/CE1", "C2.1/CE2", "C2.2/CE1", "C2.2/CE2", "C2.2/CE3",
    ];
    let levels = ["acquis", "en_cours", "non_acquis"];
    let marks = ["12", "8.5", "20", "0", "10"];
    let mut rng = crate::XorShift(0x2545_f491_4f6c_dd1d_u64);
    // A few sets of grades, criterion by criterion.
    let sets: Vec<Vec<&str>> = (0..6)
        .map(|_| {
            criteria
                .iter()
                .map(|c| {
                    if c.starts_with("C2.1") {
                        marks[rng.below(marks.len())]
                    } else {
                        levels[rng.below(levels.len())]
                    }
                })
                .collect()
        })
        .collect();
    let header = "candidate,criterion,grade\n";
    let alone: Vec<_> = sets
        .iter()
        .map(|set| {
            let mut own = String::from(header);
            for (criterion, value) in criteria.iter().zip(set) {
                own.push_str(&format!("K,{criterion},{value}\n"));
            }
            let (outcomes, problems) = checked(&plan, own.as_bytes());
            assert!(problems.is_empty(), "{problems:?}");
            outcomes.into_iter().next().unwrap().1
        })
        .collect();
    // Several parts' worth (a part is about 256 KB), the order of the
    // criteria shuffled every 500 candidates.
    let mut whole = String::from(header);
    let mut expected = Vec::new();
    let mut order: Vec<usize> = (0..criteria.len()).collect();
    for c in 0..8_000 {
        if c % 500 == 0 {
            for i in (1..order.len()).rev() {
                order.swap(i, rng.below(i + 1));
            }
        }
        let set = rng.below(sets.len());
        for &k in &order {
            whole.push_str(&format!("K{c},{},{}\n", criteria[k], sets[set][k]));
        }
        expected.push((format!("K{c}"), alone[set].clone()));
    }
    assert!(whole.len() > 4 * acquis_eval::read::PART);
    let (together, problems) = checked(&plan, whole.as_bytes());
    assert!(
        problems.is_empty(),
        "{:?}",
        &problems[..problems.len().min(3)]
    );
    assert!(together == expected);
}

/// A sink that fails on its first batch.
#[derive(Default)]
struct Failing {
    batches: usize,
}

impl ResultSink for Failing {
    fn batch(&mut self, _plan: &Plan<'_>, _candidates: &[Evaluated]) -> Result<(), EvalError> {
        self.batches += 1;
        Err(EvalError::Write(std::io::Error::other("the disk is full")))
    }
    fn finish(&mut self, _plan: &Plan<'_>, _summary: &Summary) -> Result<(), EvalError> {
        Ok(())
    }
}

/// Results that cannot be written stop the run with that error, while
/// the next batches are read and evaluated meanwhile: nothing is written
/// after the failure and the run does not say it succeeded.
#[test]
fn a_sink_that_cannot_write_stops_the_run_with_its_error() {
    let plan = plan();
    // About 6 MB: several batches.
    let mut text = String::from("candidate,criterion,grade\n");
    for c in 0..60_000 {
        for criterion in ["E1/CE1", "E1/CE2", "C2.1/CE1"] {
            let grade = if criterion.starts_with("C2") {
                "12"
            } else {
                "acquis"
            };
            text.push_str(&format!("CANDIDATE-{c:06},{criterion},{grade}\n"));
        }
    }
    let grades = Grades::new("many.csv", text.as_bytes());
    let mut sink = Failing::default();
    let result = acquis_eval::run(&plan, &grades.0, None, &mut sink, &mut |_| {});
    let Err(EvalError::Write(e)) = result else {
        panic!("the run went on: {:?}", result.map(|s| s.candidates))
    };
    assert_eq!(e.to_string(), "the disk is full");
    assert_eq!(sink.batches, 1);
}

/// Hands each batch whole to one sink and a candidate at a time to the
/// other.
struct Split<'s> {
    whole: &'s mut dyn ResultSink,
    alone: &'s mut dyn ResultSink,
}

impl ResultSink for Split<'_> {
    fn start(&mut self, plan: &Plan<'_>) -> Result<(), EvalError> {
        self.whole.start(plan)?;
        self.alone.start(plan)
    }
    fn batch(&mut self, plan: &Plan<'_>, candidates: &[Evaluated]) -> Result<(), EvalError> {
        self.whole.batch(plan, candidates)?;
        for e in candidates {
            self.alone.batch(plan, std::slice::from_ref(e))?;
        }
        Ok(())
    }
    fn finish(&mut self, plan: &Plan<'_>, summary: &Summary) -> Result<(), EvalError> {
        self.whole.finish(plan, summary)?;
        self.alone.finish(plan, summary)
    }
}

/// The table, CSV and JSON Lines of a batch, formatted on every core a
/// run of candidates at a time, are the text of its candidates formatted
/// one by one, in input order: 3,000 candidates, graded, pending, with
/// problems, with metadata.
#[test]
fn results_formatted_on_every_core_are_written_in_input_order() {
    use acquis_eval::sink::{Csv, Table};
    let plan = plan();
    let mut text = String::from("candidate,criterion,grade,assessor\n");
    let levels = ["acquis", "en_cours", "non_acquis"];
    for c in 0..3_000usize {
        let id = format!("C-{c:05}");
        text.push_str(&format!("{id},E1/CE1,{},Jury {}\n", levels[c % 3], c % 5));
        if c % 7 != 0 {
            text.push_str(&format!("{id},E1/CE2,{},\n", levels[(c / 3) % 3]));
        }
        text.push_str(&format!("{id},C2.1/CE1,{}.5,\n", c % 20));
        match c % 11 {
            0 => text.push_str(&format!("{id},NOPE,acquis,\n")),
            1 => text.push_str(&format!("{id},C2.1/CE2,21,\n")),
            _ => text.push_str(&format!("{id},C2.1/CE2,{},\n", (c * 7) % 21)),
        }
    }
    let grades = Grades::new("many.csv", text.as_bytes());
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for kind in 0..3 {
        a.clear();
        b.clear();
        let (mut whole, mut alone): (Box<dyn ResultSink>, Box<dyn ResultSink>) = match kind {
            0 => (Box::new(Table(&mut a)), Box::new(Table(&mut b))),
            1 => (Box::new(Csv::new(&mut a)), Box::new(Csv::new(&mut b))),
            _ => (
                Box::new(JsonLines::new(&mut a, true)),
                Box::new(JsonLines::new(&mut b, true)),
            ),
        };
        let mut split = Split {
            whole: whole.as_mut(),
            alone: alone.as_mut(),
        };
        let summary = acquis_eval::run(&plan, &grades.0, None, &mut split, &mut |_| {});
        assert_eq!(summary.map(|s| s.candidates).ok(), Some(3_000));
        drop((whole, alone));
        assert!(a.len() > 3_000 * 20, "{kind}: {}", a.len());
        assert!(a == b, "{kind}");
        let text = String::from_utf8_lossy(&a);
        let ids: Vec<&str> = text
            .lines()
            .filter_map(|l| {
                l.split(|c: char| !(c.is_alphanumeric() || c == '-'))
                    .find(|w| w.starts_with("C-"))
            })
            .collect();
        let expected: Vec<String> = (0..3_000).map(|c| format!("C-{c:05}")).collect();
        assert_eq!(ids, expected, "{kind}");
    }
}

/// A writer that takes `room` bytes, then fails.
struct Full {
    room: usize,
}

impl std::io::Write for Full {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.room == 0 {
            return Err(std::io::Error::other("the disk is full"));
        }
        let n = buf.len().min(self.room);
        self.room -= n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The table, CSV and JSON Lines sinks, formatted on every core, stop
/// the run with the error of an output that fails (at the header, in
/// the first lines, past the first batch): never a run said to succeed.
#[test]
fn text_sinks_whose_output_fails_stop_the_run_with_its_error() {
    use acquis_eval::sink::{Csv, Table};
    let plan = plan();
    let mut text = String::from("candidate,criterion,grade\n");
    for c in 0..20_000 {
        text.push_str(&format!("C-{c:05},E1/CE1,acquis\nC-{c:05},C2.1/CE1,12\n"));
    }
    let grades = Grades::new("many.csv", text.as_bytes());
    for room in [0, 10, 5_000, 400_000] {
        for kind in 0..3 {
            let out = Full { room };
            let mut sink: Box<dyn ResultSink> = match kind {
                0 => Box::new(Table(out)),
                1 => Box::new(Csv::new(out)),
                _ => Box::new(JsonLines::new(out, false)),
            };
            let result = acquis_eval::run(&plan, &grades.0, None, sink.as_mut(), &mut |_| {});
            let Err(EvalError::Write(e)) = result else {
                panic!("{room}, {kind}: {:?}", result.map(|s| s.candidates))
            };
            assert_eq!(e.to_string(), "the disk is full", "{room}, {kind}");
        }
    }
}

/// A JSON Lines sink used for a second run, with another referential,
/// writes that referential's reasons: what it kept of the first run's is
/// forgotten, though the second referential may sit where the first was
/// freed (the sink knew them by its address).
#[test]
fn a_json_sink_used_again_forgets_the_reasons_of_the_run_before() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/small.acquis");
    let source = std::fs::read_to_string(&path).unwrap();
    let grades = Grades::new(
        "grades.csv",
        b"candidate,criterion,grade\nK1,E1/CE1,acquis\nK1,E1/CE2,en_cours\nK2,E1/CE1,acquis\n\
          K3,E1/CE1,acquis\nK3,E1/CE2,acquis\n",
    );
    let run = |source: &str, sink: &mut JsonLines<&mut Vec<u8>>| {
        let compiled = acquis_compiler::compile_str("small.acquis", source);
        assert!(!compiled.has_errors(), "{:?}", compiled.diagnostics);
        let ir = compiled.ir.unwrap();
        let plan = Plan::new(&ir);
        acquis_eval::run(&plan, &grades.0, None, sink, &mut |_| {}).unwrap();
    };
    // The second referential reads the same grades with other words.
    let other = source.replace(
        "validated when all criteria acquired",
        "validated when at least 1 of criteria acquired",
    );
    assert_ne!(other, source);
    for _ in 0..20 {
        let (mut first, mut second) = (Vec::new(), Vec::new());
        let mut sink = JsonLines::new(&mut first, false);
        run(&source, &mut sink);
        sink.out = &mut second;
        run(&other, &mut sink);
        drop(sink);
        let mut fresh = Vec::new();
        run(&other, &mut JsonLines::new(&mut fresh, false));
        assert_eq!(
            String::from_utf8_lossy(&second),
            String::from_utf8_lossy(&fresh)
        );
    }
}

/// The JSON Lines sink keeps texts from candidate to candidate (each
/// entity's reason, and whole runs of criteria by their values): a
/// cohort's lines are those of each candidate written alone, by a fresh
/// sink that has kept nothing. On the small referential (criteria in
/// levels, marks by half points), the DEES (épreuves with parts, whose
/// reasons depend on the épreuve), the referential of absences (`ABS`
/// counted as 0 or as not acquired) and the BTS SIO (optional units),
/// with few values so that most candidates meet texts kept before and
/// some do not.
#[test]
fn json_lines_of_a_cohort_are_the_lines_of_each_candidate_alone() {
    use acquis_ir::ScaleKindIr;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for file in [
        "tests/fixtures/small.acquis",
        "examples/dees/dees.acquis",
        "tests/fixtures/absent/referential.acquis",
        "examples/bts-sio/bts-sio.acquis",
    ] {
        let compilation = compile(&root.join(file), &Disk);
        assert!(
            !compilation.has_errors(),
            "{file}: {:?}",
            compilation.diagnostics
        );
        let ir = compilation.ir.as_ref().unwrap();
        let plan = Plan::new(ir);
        // A grade for each criterion and candidate: mostly the highest
        // level or a whole mark, sometimes another, a half mark, ABS
        // where it is allowed, or none.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let mut candidates = Vec::new();
        for c in 0..300 {
            let mut rows = String::new();
            for criterion in &ir.criteria {
                let scale = ir.scales.iter().find(|s| s.id == criterion.scale).unwrap();
                let roll = next(20);
                let grade = match (&scale.kind, roll) {
                    (_, 0) => continue,
                    (_, 1 | 2) if criterion.absent.is_some() => "ABS".to_string(),
                    (ScaleKindIr::Levels { levels }, r) => {
                        let at = if r < 15 {
                            levels.len() - 1
                        } else {
                            next(levels.len() as u64) as usize
                        };
                        levels[at].clone()
                    }
                    (ScaleKindIr::Range { max, .. }, r) => {
                        let max = max.to_f64() as u64;
                        let mark = if r < 12 { max / 2 + 2 } else { next(max + 1) };
                        if r == 19 {
                            format!("{mark}.5").replace(&format!("{max}.5"), "0.5")
                        } else {
                            mark.to_string()
                        }
                    }
                };
                rows.push_str(&format!("K{c},{},{grade}\n", criterion.id));
            }
            candidates.push(rows);
        }
        let header = "candidate,criterion,grade\n";
        let lines = |rows: &str| -> String {
            let grades = Grades::new("cohort.csv", format!("{header}{rows}").as_bytes());
            let mut out = Vec::new();
            acquis_eval::run(
                &plan,
                &grades.0,
                None,
                &mut JsonLines::new(&mut out, false),
                &mut |_| {},
            )
            .unwrap();
            String::from_utf8(out).unwrap()
        };
        let cohort = lines(&candidates.concat());
        let alone: String = candidates.iter().map(|rows| lines(rows)).collect();
        assert_eq!(cohort.lines().count(), 300, "{file}");
        for (k, (a, b)) in cohort.lines().zip(alone.lines()).enumerate() {
            assert_eq!(a, b, "{file}: candidate K{k}");
        }
    }
}
