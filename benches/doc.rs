//! `cargo bench --bench doc`: the publishing outputs as a user runs them,
//! with the release binary (`cargo build --release` first).
//!
//! - `acquis doc` of the seed, HTML and Markdown, whole process, median of
//!   31 runs (target: under 50 ms);
//! - `acquis eval --format html` of 10,000 candidates of the seed (the
//!   generator of benches/common, shared with the evaluation bench),
//!   written as a long CSV: 10,000 candidate pages and the cohort page,
//!   median of 3 runs (target: under 5 s), to the disk and to a memory
//!   file system, next to the time the file system takes to create as
//!   many empty files;
//! - `acquis eval --format pdf` of the first 260 and 1,040 of those
//!   candidates, one run each: wall time, CPU time and peak resident
//!   memory (which must not grow with the cohort as it once did).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use acquis_compiler::{compile, loader::Disk};
use acquis_eval::Plan;
use acquis_ir::ScaleKindIr;

#[path = "common/seed_candidates.rs"]
mod seed_candidates;

const CANDIDATES: usize = 10_000;

/// Cohorts whose results are typeset as PDF (about 60 ms a page on one
/// core, so far fewer than the HTML pages).
const PDF_CANDIDATES: [usize; 2] = [260, 1_040];

/// A run's CPU time (user + system) and peak resident memory in MB, as
/// `/usr/bin/time -f "%U %S %M"` prints them on its last line.
struct Usage {
    cpu: Option<f64>,
    peak_mb: Option<f64>,
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs.get(runs.len() / 2).copied().unwrap_or_default()
}

/// Median wall time of `runs` runs, and the CPU time (user + system) of
/// the last one when `/usr/bin/time` is there: on a shared machine the CPU
/// time says what the run costs whatever the other processes do.
fn time(binary: &Path, args: &[&str], runs: usize) -> Option<(Duration, Option<f64>)> {
    time_usage(binary, args, runs).map(|(t, usage)| (t, usage.cpu))
}

/// [`time`], with the peak memory of the last run too.
fn time_usage(binary: &Path, args: &[&str], runs: usize) -> Option<(Duration, Usage)> {
    let mut times = Vec::with_capacity(runs);
    let mut usage = Usage {
        cpu: None,
        peak_mb: None,
    };
    for _ in 0..runs {
        let mut command = if Path::new("/usr/bin/time").exists() {
            let mut c = Command::new("/usr/bin/time");
            c.args(["-f", "%U %S %M"]).arg(binary);
            c
        } else {
            Command::new(binary)
        };
        let start = Instant::now();
        let output = command.args(args).output().ok()?;
        let elapsed = start.elapsed();
        if !output.status.success() {
            eprintln!(
                "acquis {args:?} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            return None;
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last: Vec<Option<f64>> = stderr
            .lines()
            .last()
            .map(|l| {
                l.split_whitespace()
                    .map(|p| p.parse::<f64>().ok())
                    .collect()
            })
            .unwrap_or_default();
        usage = match last.as_slice() {
            [Some(user), Some(system), Some(kb)] => Usage {
                cpu: Some(user + system),
                peak_mb: Some(kb / 1024.0),
            },
            _ => Usage {
                cpu: None,
                peak_mb: None,
            },
        };
        times.push(elapsed);
    }
    Some((median(times), usage))
}

fn cpu_text(cpu: Option<f64>) -> String {
    cpu.map_or(String::new(), |c| format!(", CPU {c:.2} s"))
}

fn directory_size(dir: &Path) -> (usize, u64) {
    let mut files = 0;
    let mut bytes = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            match e.metadata() {
                Ok(m) if m.is_dir() => stack.push(e.path()),
                Ok(m) => {
                    files += 1;
                    bytes += m.len();
                }
                Err(_) => {}
            }
        }
    }
    (files, bytes)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let binary = root.join("target/release/acquis");
    if !binary.exists() {
        println!("build `cargo build --release` first: this bench times the release binary");
        return;
    }
    let seed = root.join("examples/edl/referential.acquis");
    let seed_arg = seed.to_string_lossy().into_owned();
    let work: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-doc");
    let _ = std::fs::remove_dir_all(&work);
    if std::fs::create_dir_all(&work).is_err() {
        eprintln!("cannot create {}", work.display());
        return;
    }

    println!("| measure | target | measured (median) |");
    println!("| --- | ---: | ---: |");
    for (format, file) in [("html", "edl.html"), ("md", "edl.md")] {
        let out = work.join(file).to_string_lossy().into_owned();
        let Some((t, _)) = time(
            &binary,
            &["doc", &seed_arg, "--format", format, "-o", &out],
            31,
        ) else {
            return;
        };
        let size = std::fs::metadata(&out).map_or(0, |m| m.len());
        println!(
            "| `acquis doc` of the seed, {format} ({:.0} kB), whole process | < 50 ms | {:.1} ms |",
            size as f64 / 1e3,
            t.as_secs_f64() * 1e3
        );
    }

    // 10,000 candidates, written as a long CSV from the shared generator.
    let compiled = compile(&seed, &Disk);
    let Some(ir) = compiled.ir.as_ref().filter(|_| !compiled.has_errors()) else {
        eprintln!("the seed does not compile");
        return;
    };
    let plan = Plan::new(ir);
    let grades = seed_candidates::candidates(&plan, ir.criteria.len(), CANDIDATES);
    let csv = work.join("candidates-10k.csv");
    if write_csv(&csv, ir, &grades).is_err() {
        return;
    }
    let csv_arg = csv.to_string_lossy().into_owned();
    // Creating files is the floor of this measure, and on the development
    // machine's disk it costs about half a millisecond per file whatever
    // its size; the pages are therefore also written to a memory file
    // system, which measures Acquis rather than the disk.
    let mut places = vec![("disk, target/tmp", work.join("pages"))];
    if Path::new("/dev/shm").is_dir() {
        places.push((
            "memory, /dev/shm",
            PathBuf::from(format!("/dev/shm/acquis-bench-doc-{}", std::process::id())),
        ));
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for (place, pages) in places {
        let pages_arg = pages.to_string_lossy().into_owned();
        let mut runs = Vec::new();
        let mut cpu = None;
        for _ in 0..3 {
            let _ = std::fs::remove_dir_all(&pages);
            let Some((t, c)) = time(
                &binary,
                &[
                    "eval", &seed_arg, "--grades", &csv_arg, "--format", "html", "-o", &pages_arg,
                ],
                1,
            ) else {
                return;
            };
            runs.push(t);
            cpu = c;
        }
        let (files, bytes) = directory_size(&pages);
        let _ = std::fs::remove_dir_all(&pages);
        // The same number of empty files, created on every core as the
        // pages are: what the file system alone costs.
        let empty = pages.with_extension("empty");
        let _ = std::fs::create_dir_all(&empty);
        let start = Instant::now();
        {
            use rayon::prelude::*;
            (0..files).into_par_iter().for_each(|i| {
                let _ = std::fs::write(empty.join(format!("{i}.html")), b"");
            });
        }
        let floor = start.elapsed();
        let _ = std::fs::remove_dir_all(&empty);
        println!(
            "| `acquis eval --format html`, {CANDIDATES} candidates ({files} pages, {:.0} MB) to {place}, {cores} cores | < 5 s | {:.2} s{} (creating {files} empty files there: {:.2} s) |",
            bytes as f64 / 1e6,
            median(runs).as_secs_f64(),
            cpu_text(cpu),
            floor.as_secs_f64()
        );
    }

    // PDF results: the first candidates of the same cohort.
    for n in PDF_CANDIDATES {
        let csv = work.join(format!("candidates-{n}.csv"));
        let pages = work.join(format!("pdf-{n}"));
        let Some(cohort) = grades.get(..n) else {
            continue;
        };
        if write_csv(&csv, ir, cohort).is_err() {
            return;
        }
        let (csv_arg, pages_arg) = (
            csv.to_string_lossy().into_owned(),
            pages.to_string_lossy().into_owned(),
        );
        let args = [
            "eval", &seed_arg, "--grades", &csv_arg, "--format", "pdf", "-o", &pages_arg,
        ];
        let Some((t, usage)) = time_usage(&binary, &args, 1) else {
            return;
        };
        let (files, bytes) = directory_size(&pages);
        let _ = std::fs::remove_dir_all(&pages);
        println!(
            "| `acquis eval --format pdf`, {n} candidates ({files} files, {:.0} MB), {cores} cores | — | {:.2} s{}, peak {} |",
            bytes as f64 / 1e6,
            t.as_secs_f64(),
            cpu_text(usage.cpu),
            usage
                .peak_mb
                .map_or("n/a".to_string(), |mb| format!("{mb:.0} MB"))
        );
    }
    let _ = std::fs::remove_dir_all(&work);
}

/// The grades of `candidates` as a long CSV (`CAND-00000`, …).
fn write_csv(
    path: &Path,
    ir: &acquis_ir::Ir,
    candidates: &[acquis_eval::Grades],
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "candidate,criterion,grade")?;
    for (n, g) in candidates.iter().enumerate() {
        for (i, c) in ir.criteria.iter().enumerate() {
            let Some(position) = g.position(i) else {
                continue;
            };
            let level = ir
                .scales
                .iter()
                .find(|s| s.id == c.scale)
                .and_then(|s| match &s.kind {
                    ScaleKindIr::Levels { levels } => levels.get(position as usize).cloned(),
                    ScaleKindIr::Range { .. } => Some(position.to_string()),
                })
                .unwrap_or_default();
            writeln!(out, "CAND-{n:05},{},{level}", c.id)?;
        }
    }
    out.flush()
}
