//! `cargo bench --bench fmt`: times `acquis_grammar::format` on the seed,
//! on the seed repeated 10 and 50 times (one file, to see how the formatter
//! scales; the copies' duplicate ids do not matter to it), and on a
//! messy copy of the seed (every entity's indentation removed), then a whole
//! `acquis fmt --check` process on the seed. Prints a Markdown table;
//! docs/performance.md records the figures.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use acquis_grammar::format::format;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// Median time of parsing alone (`format` parses first): the rest is the
/// formatter's own work.
fn time_parse(text: &str, runs: usize) -> Duration {
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let file = acquis_grammar::parse(text);
        samples.push(start.elapsed());
        drop(file);
    }
    median(samples)
}

/// Median time of `format(text)`, and whether it succeeded every time.
fn time_format(text: &str, runs: usize) -> (Duration, bool) {
    let mut samples = Vec::with_capacity(runs);
    let mut ok = true;
    for _ in 0..runs {
        let start = Instant::now();
        let out = format(text);
        samples.push(start.elapsed());
        ok &= out.is_ok();
    }
    (median(samples), ok)
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let seed_path = root.join("examples/edl/referential.acquis");
    let seed = match std::fs::read_to_string(&seed_path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("cannot read {}: {e}", seed_path.display());
            return;
        }
    };
    let messy: String = seed
        .lines()
        .map(|l| format!("{}\n", l.trim_start()))
        .collect();
    let inputs = [
        ("seed", seed.clone(), 31),
        ("seed, indentation removed", messy, 31),
        ("seed × 10", seed.repeat(10), 11),
        ("seed × 50", seed.repeat(50), 5),
    ];
    println!("| input | size | format (median) | throughput | parse alone |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (name, text, runs) in &inputs {
        let (elapsed, ok) = time_format(text, *runs);
        if !ok {
            eprintln!("formatting {name} failed");
            return;
        }
        let parse = time_parse(text, *runs);
        println!(
            "| {name} | {:.2} MB | {:.1} ms | {:.1} MB/s | {:.1} ms |",
            text.len() as f64 / 1e6,
            elapsed.as_secs_f64() * 1e3,
            text.len() as f64 / 1e6 / elapsed.as_secs_f64(),
            parse.as_secs_f64() * 1e3
        );
    }

    let binary = root.join("target/release/acquis");
    if binary.exists() {
        let mut samples = Vec::new();
        for _ in 0..31 {
            let start = Instant::now();
            let out = Command::new(&binary)
                .args(["fmt", "--check"])
                .arg(&seed_path)
                .output();
            samples.push(start.elapsed());
            if !out.is_ok_and(|o| o.status.success()) {
                eprintln!("acquis fmt --check on the seed failed (is the seed formatted?)");
                return;
            }
        }
        println!(
            "\n`acquis fmt --check` of the seed, whole process (median of 31): {:.1} ms",
            median(samples).as_secs_f64() * 1e3
        );
    } else {
        println!(
            "\n(build `cargo build --release` first to time `acquis fmt --check` as a process)"
        );
    }
    bad_lines();
}

/// Parsing files of lines that are not Acquis (`%%% nonsense`, an unclosed
/// `block B "x" {` per line): linear in their size (docs/performance.md,
/// "Files of bad lines"). Median of 3.
fn bad_lines() {
    println!("\n| bad lines | `%%% nonsense` | `block B \"x\" {{` |");
    println!("| ---: | ---: | ---: |");
    for n in [5_000usize, 20_000, 80_000] {
        let file = |line: &str| {
            let mut text = String::from("referential R \"r\" { lang fr }\n");
            for _ in 0..n {
                text.push_str(line);
                text.push('\n');
            }
            text
        };
        let nonsense = time_parse(&file("%%% nonsense"), 3);
        let blocks = time_parse(&file("block B \"x\" {"), 3);
        println!(
            "| {n} | {:.2} s | {:.2} s |",
            nonsense.as_secs_f64(),
            blocks.as_secs_f64()
        );
    }
}
