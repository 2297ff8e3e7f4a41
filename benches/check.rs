//! `cargo bench --bench check`: times check + build of synthetic
//! referentials (10, 100 and 1,000 blocks of 10 competencies × 5 criteria
//! × 4 indicators), of one competency holding 4,000, 16,000 and 64,000
//! criteria (a hostile shape: each 4× the input must cost about 4× the
//! time, not 16×), and of the seed as a whole `acquis check` process.
//! Prints a Markdown table; docs/performance.md records the figures.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use acquis_compiler::{compile, loader::Disk};

/// A referential of `blocks` blocks, each with 10 competencies of 5
/// criteria of 4 indicators, one assessment per competency, and a mix of
/// rule forms so every stage of the compiler has work to do.
fn synthetic(blocks: usize) -> String {
    let mut s = String::with_capacity(blocks * 16_000);
    s.push_str("referential SYN \"Référentiel synthétique\" {\n  level 6\n  lang fr\n}\n\n");
    s.push_str(
        "use std::scales::acquisition\nuse std::scales::note_sur_20\nuse std::rules::n_of\n\n",
    );
    s.push_str("defaults {\n  criterion scale acquisition\n  competency validated when all criteria acquired\n  block validated when all competencies validated\n}\n\n");
    for b in 1..=blocks {
        s.push_str(&format!(
            "block B{b} \"Bloc de compétences numéro {b}\" {{\n"
        ));
        s.push_str(&format!(
            "  summary \"Activité {b} : concevoir, réaliser et évaluer.\"\n"
        ));
        for c in 1..=10 {
            s.push_str(&format!(
                "  competency C{b}.{c} \"Compétence {c} du bloc {b}, décrite en une phrase.\" {{\n"
            ));
            for k in 1..=5 {
                s.push_str(&format!(
                    "    criterion CE{k} \"Critère {k} : pertinence et qualité\" {{\n"
                ));
                if c == 10 {
                    s.push_str("      scale note_sur_20\n");
                }
                for i in 1..=4 {
                    s.push_str(&format!(
                        "      indicator \"L’indicateur {i} du critère {k} est observé et documenté.\"\n"
                    ));
                }
                s.push_str("    }\n");
            }
            match c {
                2 => s.push_str("    validated when 4 of 5 criteria acquired and CE5 acquired\n"),
                3 => s.push_str("    validated when n_of(3) and CE1 >= en_cours\n"),
                4 => s.push_str(&format!(
                    "    validated when C{b}.3 validated and all criteria acquired\n"
                )),
                10 => s.push_str(
                    "    validated when average(criteria) >= 10 and min(criteria) >= 8\n",
                ),
                _ => {}
            }
            s.push_str("  }\n");
            s.push_str(&format!(
                "  assessment E{b}.{c} \"Mise en situation {c}\" {{\n    covers C{b}.{c}\n    task \"Réaliser la tâche.\"\n  }}\n"
            ));
        }
        s.push_str("}\n\n");
    }
    s.push_str("certification validated when all blocks validated\n");
    s
}

/// One block, one competency of `criteria` criteria, validated when all
/// are acquired: every pass that reads a rule's members meets them all.
fn wide_competency(criteria: usize) -> String {
    let mut s = String::with_capacity(criteria * 50 + 512);
    s.push_str("referential WIDE \"Large\" {\n  lang fr\n}\n\nuse std::scales::acquisition\n\n");
    s.push_str("defaults {\n  criterion scale acquisition\n  competency validated when all criteria acquired\n  block validated when all competencies validated\n}\n\n");
    s.push_str("block B1 \"Bloc\" {\n  competency C1 \"Compétence\" {\n");
    for k in 1..=criteria {
        s.push_str(&format!("    criterion CE{k} \"Critère {k}\"\n"));
    }
    s.push_str("  }\n  assessment E1 \"Épreuve\" {\n    covers C1\n  }\n}\n\n");
    s.push_str("certification validated when all blocks validated\n");
    s
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// Peak resident memory of this process so far, in MB (Linux).
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn time_compile(path: &Path, runs: usize) -> (Duration, usize) {
    let mut samples = Vec::new();
    let mut diagnostics = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let c = compile(path, &Disk);
        // `acquis build` streams the IR to its file; so does the bench.
        let written =
            c.ir.as_ref()
                .map(|ir| ir.write_json(std::io::sink(), false));
        samples.push(start.elapsed());
        diagnostics = c.diagnostics.len() + usize::from(!matches!(written, Some(Ok(()))));
    }
    (median(samples), diagnostics)
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return;
    }
    println!(
        "| referential | size | check + build (median) | per block | peak memory | problems |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    let mut per_block = Vec::new();
    for blocks in [10usize, 100, 1000] {
        let path = dir.join(format!("synthetic-{blocks}.acquis"));
        let text = synthetic(blocks);
        if let Err(e) = std::fs::write(&path, &text) {
            eprintln!("cannot write {}: {e}", path.display());
            return;
        }
        let runs = if blocks >= 1000 { 5 } else { 11 };
        let (elapsed, problems) = time_compile(&path, runs);
        let per = elapsed / blocks as u32;
        per_block.push(per);
        println!(
            "| {blocks} blocks | {:.1} MB | {:.1} ms | {:.1} µs | {} | {problems} |",
            text.len() as f64 / 1e6,
            elapsed.as_secs_f64() * 1e3,
            per.as_secs_f64() * 1e6,
            peak_memory_mb().map_or("n/a".to_string(), |m| format!("{m:.0} MB")),
        );
    }
    if let [a, b, c] = per_block.as_slice() {
        println!(
            "\ntime for 10× the input: 10→100 blocks ×{:.1}, 100→1,000 blocks ×{:.1}",
            10.0 * b.as_secs_f64() / a.as_secs_f64(),
            10.0 * c.as_secs_f64() / b.as_secs_f64()
        );
    }

    let binary = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/acquis");
    println!("\n| one competency of | check + build (median of 3) | `acquis doc` process (median of 3) |");
    println!("| ---: | ---: | ---: |");
    let mut wide = Vec::new();
    for criteria in [4_000usize, 16_000, 64_000] {
        let path = dir.join(format!("wide-{criteria}.acquis"));
        if let Err(e) = std::fs::write(&path, wide_competency(criteria)) {
            eprintln!("cannot write {}: {e}", path.display());
            return;
        }
        let (elapsed, problems) = time_compile(&path, 3);
        if problems > 0 {
            eprintln!("{}: {problems} problems", path.display());
            return;
        }
        let doc = binary.exists().then(|| {
            let html = dir.join(format!("wide-{criteria}.html"));
            let runs = (0..3).map(|_| {
                let start = Instant::now();
                let out = Command::new(&binary)
                    .arg("doc")
                    .arg(&path)
                    .arg("-o")
                    .arg(&html)
                    .output();
                out.is_ok_and(|o| o.status.success())
                    .then(|| start.elapsed())
            });
            runs.collect::<Option<Vec<_>>>().map(median)
        });
        let doc = doc.flatten();
        println!(
            "| {criteria} criteria | {:.1} ms | {} |",
            elapsed.as_secs_f64() * 1e3,
            doc.map_or("n/a".to_string(), |d| format!(
                "{:.1} ms",
                d.as_secs_f64() * 1e3
            )),
        );
        wide.push((elapsed, doc));
    }
    if let [(a, da), (b, db), (c, dc)] = wide.as_slice() {
        let ratio = |x: &Duration, y: &Duration| y.as_secs_f64() / x.as_secs_f64();
        println!(
            "\ntime for 4× the criteria: check ×{:.1} then ×{:.1}{}",
            ratio(a, b),
            ratio(b, c),
            match (da, db, dc) {
                (Some(x), Some(y), Some(z)) =>
                    format!("; doc ×{:.1} then ×{:.1}", ratio(x, y), ratio(y, z)),
                _ => String::new(),
            }
        );
    }

    // The seed, as a user runs it: a whole `acquis check` process.
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/edl/referential.acquis");
    if binary.exists() {
        let mut samples = Vec::new();
        for _ in 0..31 {
            let start = Instant::now();
            let status = Command::new(&binary).arg("check").arg(&seed).output();
            samples.push(start.elapsed());
            if !status.is_ok_and(|o| o.status.success()) {
                eprintln!("acquis check on the seed failed");
                return;
            }
        }
        println!(
            "\n`acquis check` of the seed, whole process (median of 31): {:.1} ms",
            median(samples).as_secs_f64() * 1e3
        );
    } else {
        println!("\n(build `cargo build --release` first to time `acquis check` of the seed as a process)");
    }
}
