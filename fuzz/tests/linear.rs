//! Resource use is linear in the input (issue 17), measured by counting,
//! never by timing: bytes and `read` calls drawn from the source, items
//! produced, and pest's rule calls (its call limit). Inputs are the seed
//! corpora and their mutations, repeated 1, 2 and 4 times.
//!
//! pest's call limit is global to the process: this binary's one parsing
//! test sets it, and no other test here parses.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test: a failed assertion is how it reports"
)]

use std::io::Read;
use std::num::NonZeroUsize;

use acquis_eval::read::{read, InputFormat};
use acquis_fuzz::{corpus, iterations, mutate, Rng};

/// A source that counts what the reader draws from it.
struct Counting<'a> {
    bytes: &'a [u8],
    at: usize,
    calls: usize,
}

impl Read for Counting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.calls += 1;
        let n = buf.len().min(self.bytes.len() - self.at);
        buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// What reading `input` costs: bytes drawn, `read` calls, items produced.
fn cost(input: &[u8], format: InputFormat) -> (usize, usize, usize) {
    let mut source = Counting {
        bytes: input,
        at: 0,
        calls: 0,
    };
    let items = read(&mut source, format).count();
    (source.at, source.calls, items)
}

/// `header` then `body` `k` times.
fn repeated(header: &[u8], body: &[u8], k: usize) -> Vec<u8> {
    let mut out = header.to_vec();
    for _ in 0..k {
        out.extend_from_slice(body);
    }
    out
}

/// A seed is drawn whole, nothing more is drawn than the input, and `read`
/// calls and items grow at most in proportion to the input.
#[test]
fn grade_readers_draw_at_most_their_input_and_work_in_proportion() {
    let cases = [
        (
            InputFormat::LongCsv,
            "tests/fixtures/cuisine-grades-long.csv",
        ),
        (
            InputFormat::WideCsv,
            "tests/fixtures/cuisine-grades-wide.csv",
        ),
        (
            InputFormat::JsonLines,
            "tests/fixtures/cuisine-grades.jsonl",
        ),
        (InputFormat::WideCsv, "examples/dees/candidats.csv"),
    ];
    let mut rng = Rng::new(acquis_fuzz::first_seed());
    for (format, file) in cases {
        let seeds = corpus("linear", &[file], &[""]);
        for round in 0..iterations(40) {
            let seed = if round == 0 {
                seeds[0].clone()
            } else {
                mutate(&mut rng, &seeds, &["\n", ",", ";", "\"", "{", "}", "é"])
            };
            // The header stays; the rest is repeated.
            let split = seed.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1);
            let (header, body) = seed.split_at(split);
            let unit = 200;
            let mut costs = Vec::new();
            for k in [unit, 2 * unit, 4 * unit] {
                let input = repeated(header, body, k);
                let (drawn, calls, items) = cost(&input, format);
                // All of it for a seed (a bad header stops the reading).
                assert!(
                    drawn <= input.len() && (round > 0 || drawn == input.len()),
                    "{format:?}: {drawn} bytes drawn of {}: {:?}",
                    input.len(),
                    String::from_utf8_lossy(&seed)
                );
                let lines = input.iter().filter(|&&b| b == b'\n').count();
                costs.push((input.len(), calls, lines, items));
            }
            for &(len, calls, lines, items) in &costs {
                // Buffers are at least 1 KiB; at most one item per line.
                assert!(
                    calls <= len / 1024 + 4,
                    "{format:?}: {calls} reads of {len} bytes"
                );
                assert!(
                    items <= lines + 2,
                    "{format:?}: {items} items for {lines} lines"
                );
            }
        }
    }
}

const CALLS_PER_BYTE: usize = 200;

/// Mutated referentials, repeated, parse within a budget of pest rule
/// calls per byte (as grammar/tests/hostile.rs holds hand-made hostile
/// shapes): parsing work is linear in the input whatever it holds.
#[test]
fn parsing_mutated_sources_stays_within_calls_per_byte() {
    let seeds = corpus(
        "parse_target",
        &["examples", "tests/fixtures"],
        &[".acquis"],
    );
    let mut rng = Rng::new(acquis_fuzz::first_seed() ^ 1);
    for _ in 0..iterations(40) {
        let unit = mutate(
            &mut rng,
            &seeds,
            &["{", "(", "\"", "\"\"\"", "block B \"x\" {\n"],
        );
        let unit = String::from_utf8_lossy(&unit[..unit.len().min(2048)]).into_owned();
        for k in [1, 4] {
            let text = unit.repeat(k);
            pest::set_call_limit(NonZeroUsize::new(
                CALLS_PER_BYTE * (text.len() + 8) + 10_000,
            ));
            let file = acquis_grammar::parse(&text);
            pest::set_call_limit(None);
            for e in &file.errors {
                assert!(
                    !e.message.english().contains("call limit"),
                    "more than {CALLS_PER_BYTE} pest calls per byte: {:?}",
                    text.get(..200).unwrap_or(&text)
                );
            }
        }
    }
}
