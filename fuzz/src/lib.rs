//! Fuzzing on stable Rust (issue 17, docs/fuzzing.md): a small deterministic
//! mutation engine, seed corpora read from the repository's examples and
//! fixtures, and a runner that turns a failing input into a seed and a file.
//!
//! The targets are the tests of `fuzz/tests/targets.rs`; each runs
//! `ACQUIS_FUZZ_ITERATIONS` mutated inputs (a small default, for CI). An
//! iteration's input is a pure function of its seed, so a failure printed
//! as `seed N` is reproduced by `ACQUIS_FUZZ_SEED=N ACQUIS_FUZZ_ITERATIONS=1`,
//! and its input is also written to a file (`ACQUIS_FUZZ_REPRODUCE=file`
//! runs a target on that file alone).
//!
//! Test support only: no Acquis crate depends on this one.

use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// The default first seed: CI runs the same inputs every time.
pub const DEFAULT_SEED: u64 = 0x00ac_9015_f022_0017;

/// The largest input a mutation makes: mutations that grow an input are
/// undone beyond it, so that an iteration's cost stays bounded.
pub const MAX_INPUT: usize = 64 << 10;

/// Corpus files are cut (at a line break) to this length, so that a
/// debug build runs many iterations per second.
pub const MAX_SEED: usize = 16 << 10;

/// xorshift64*: deterministic, no dependency.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // Never zero (xorshift's fixed point), and nearby seeds diverge.
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        rng.next_u64();
        rng
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// FNV-1a: the seed of a check's own randomness, from its input, so that
/// an input file alone reproduces a failure.
pub fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The repository's root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The files under each of `paths` (files or folders, relative to the
/// repository, folders read recursively) whose name ends with one of
/// `suffixes`, sorted by path, each cut to [`MAX_SEED`] bytes; then the
/// files of `fuzz/corpus/<target>/` (inputs added by hand or kept from a
/// failure), whole.
pub fn corpus(target: &str, paths: &[&str], suffixes: &[&str]) -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    for path in paths {
        collect(&repo().join(path), suffixes, &mut files);
    }
    files.sort();
    let mut seeds: Vec<Vec<u8>> = files
        .iter()
        .filter_map(|f| std::fs::read(f).ok())
        .map(|mut bytes| {
            if bytes.len() > MAX_SEED {
                let cut = bytes[..MAX_SEED]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(MAX_SEED, |i| i + 1);
                bytes.truncate(cut);
            }
            bytes
        })
        .collect();
    let mut own = Vec::new();
    collect(&repo().join("fuzz/corpus").join(target), &[""], &mut own);
    own.sort();
    seeds.extend(own.iter().filter_map(|f| std::fs::read(f).ok()));
    seeds
}

fn collect(path: &Path, suffixes: &[&str], out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        if let Ok(entries) = std::fs::read_dir(path) {
            for entry in entries.flatten() {
                collect(&entry.path(), suffixes, out);
            }
        }
    } else if path.is_file() {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if name.is_some_and(|n| !n.starts_with('.') && suffixes.iter().any(|s| n.ends_with(s))) {
            out.push(path.to_path_buf());
        }
    }
}

/// One mutated input: a corpus file, then one to eight of byte flips,
/// random bytes, deletions, insertions of dictionary tokens, splices with
/// another corpus file and duplications of a range (which stress the
/// readers' linearity).
pub fn mutate(rng: &mut Rng, corpus: &[Vec<u8>], dictionary: &[&str]) -> Vec<u8> {
    let mut data = rng.pick(corpus).cloned().unwrap_or_default();
    let rounds = 1 + rng.below(8);
    for _ in 0..rounds {
        let len = data.len();
        match rng.below(8) {
            0 if len > 0 => {
                let at = rng.below(len);
                data[at] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let at = rng.below(len);
                data[at] = rng.next_u64() as u8;
            }
            2 if len > 0 => {
                let at = rng.below(len);
                let most = if rng.below(4) == 0 { len / 4 + 1 } else { 16 };
                let n = 1 + rng.below(most);
                data.drain(at..(at + n).min(len));
            }
            3 | 4 => {
                if let Some(token) = rng.pick(dictionary) {
                    let at = rng.below(len + 1);
                    data.splice(at..at, token.bytes());
                }
            }
            5 => {
                let at = rng.below(len + 1);
                let n = 1 + rng.below(4);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
                data.splice(at..at, bytes);
            }
            6 => {
                if let Some(other) = rng.pick(corpus) {
                    let at = rng.below(len + 1);
                    let from = rng.below(other.len() + 1);
                    data.truncate(at);
                    data.extend_from_slice(&other[from..]);
                }
            }
            _ if len > 0 => {
                let start = rng.below(len);
                let end = (start + 1 + rng.below(64)).min(len);
                let copy = data[start..end].repeat(1 + rng.below(8));
                let at = rng.below(len + 1);
                data.splice(at..at, copy);
            }
            _ => {}
        }
        data.truncate(MAX_INPUT);
    }
    data
}

/// Iterations per target: `ACQUIS_FUZZ_ITERATIONS`, else `default`.
pub fn iterations(default: usize) -> usize {
    std::env::var("ACQUIS_FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.trim().replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// The first seed: `ACQUIS_FUZZ_SEED` (decimal or `0x` hexadecimal), else
/// [`DEFAULT_SEED`]. Iteration `i` uses seed `first + i`.
pub fn first_seed() -> u64 {
    std::env::var("ACQUIS_FUZZ_SEED")
        .ok()
        .and_then(|v| {
            let v = v.trim().replace('_', "");
            match v.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16).ok(),
                None => v.parse().ok(),
            }
        })
        .unwrap_or(DEFAULT_SEED)
}

/// Where failing inputs are written: `ACQUIS_FUZZ_FAILURES`, else
/// `fuzz-failures/` in the Cargo target folder.
pub fn failures_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("ACQUIS_FUZZ_FAILURES") {
        return PathBuf::from(dir);
    }
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"))
        .join("fuzz-failures")
}

/// A target's failure: which seed, where its input was written, and the
/// panic's message.
#[derive(Debug)]
pub struct Failure {
    pub target: String,
    pub seed: Option<u64>,
    pub input: Option<PathBuf>,
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fuzz target `{}` failed", self.target)?;
        if let Some(seed) = self.seed {
            write!(f, " at seed {seed}")?;
        }
        writeln!(f, ": {}", self.message)?;
        if let Some(seed) = self.seed {
            writeln!(
                f,
                "reproduce: ACQUIS_FUZZ_SEED={seed} ACQUIS_FUZZ_ITERATIONS=1 \
                 cargo test -p acquis-fuzz --test targets {} -- --exact",
                self.target
            )?;
        }
        if let Some(input) = &self.input {
            writeln!(
                f,
                "input: {} (ACQUIS_FUZZ_REPRODUCE={} cargo test -p acquis-fuzz \
                 --test targets {} -- --exact; copy it to fuzz/corpus/{}/ to keep it)",
                input.display(),
                input.display(),
                self.target,
                self.target
            )?;
        }
        Ok(())
    }
}

/// What a run did, for the caller's report.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub inputs: usize,
    pub bytes: usize,
}

/// Runs `check` on `iterations` inputs: the files of `corpus`, then
/// mutations of them (or on the file named by
/// `ACQUIS_FUZZ_REPRODUCE` alone). `check` fails by panicking (assertions);
/// the first failure stops the run, its input is written to
/// [`failures_dir`] and its seed is in the [`Failure`].
pub fn run(
    target: &str,
    corpus: &[Vec<u8>],
    dictionary: &[&str],
    iterations: usize,
    check: impl Fn(&[u8]),
) -> Result<Report, Failure> {
    if let Some(file) = std::env::var_os("ACQUIS_FUZZ_REPRODUCE") {
        let input = std::fs::read(&file).map_err(|e| Failure {
            target: target.to_string(),
            seed: None,
            input: Some(PathBuf::from(&file)),
            message: format!("cannot read the input to reproduce: {e}"),
        })?;
        return match catch_unwind(AssertUnwindSafe(|| check(&input))) {
            Ok(()) => Ok(Report {
                inputs: 1,
                bytes: input.len(),
            }),
            Err(payload) => Err(Failure {
                target: target.to_string(),
                seed: None,
                input: Some(PathBuf::from(file)),
                message: panic_message(payload.as_ref()),
            }),
        };
    }
    let first = first_seed();
    let mut report = Report::default();
    // The corpus itself first (unless a seed is asked for): it must pass
    // unmutated. Such an input has no seed, only its file.
    let unmutated = if std::env::var_os("ACQUIS_FUZZ_SEED").is_some() {
        0
    } else {
        corpus.len().min(iterations)
    };
    for i in 0..iterations {
        let (input, seed) = match corpus.get(i).filter(|_| i < unmutated) {
            Some(seed_file) => (seed_file.clone(), None),
            None => {
                let seed = first.wrapping_add(i as u64);
                (mutate(&mut Rng::new(seed), corpus, dictionary), Some(seed))
            }
        };
        report.inputs += 1;
        report.bytes += input.len();
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| check(&input))) {
            let dir = failures_dir();
            let name = match seed {
                Some(seed) => format!("{target}-{seed}.input"),
                None => format!("{target}-corpus-{i}.input"),
            };
            let path = dir.join(name);
            let written = std::fs::create_dir_all(&dir)
                .and_then(|()| std::fs::write(&path, &input))
                .is_ok();
            return Err(Failure {
                target: target.to_string(),
                seed,
                input: written.then_some(path),
                message: panic_message(payload.as_ref()),
            });
        }
    }
    Ok(report)
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn mutations_are_a_function_of_the_seed_and_bounded() {
        let corpus = vec![b"block B \"x\" {\n}\n".to_vec(), b"abc".to_vec()];
        for seed in 0..500 {
            let a = mutate(&mut Rng::new(seed), &corpus, &["{", "}"]);
            let b = mutate(&mut Rng::new(seed), &corpus, &["{", "}"]);
            assert_eq!(a, b);
            assert!(a.len() <= MAX_INPUT);
        }
    }

    #[test]
    fn a_failure_names_its_seed_and_writes_its_input() {
        let dir = failures_dir();
        let failure = run("selftest", &[b"ok".to_vec()], &["boom"], 200, |input| {
            assert!(!input.windows(4).any(|w| w == b"boom"), "found boom");
        });
        let Err(failure) = failure else {
            panic!("no input had `boom` in 200 iterations");
        };
        let seed = failure.seed.unwrap();
        assert!(failure
            .to_string()
            .contains(&format!("ACQUIS_FUZZ_SEED={seed}")));
        let input = std::fs::read(failure.input.unwrap()).unwrap();
        assert_eq!(
            input,
            mutate(&mut Rng::new(seed), &[b"ok".to_vec()], &["boom"])
        );
        assert!(dir.exists());
    }
}
