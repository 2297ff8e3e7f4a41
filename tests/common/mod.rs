//! Helpers shared by the integration tests in `tests/*.rs`: running the
//! real `acquis` binary, temporary directories and the paths of the
//! examples. Each test file says `mod common;` (Cargo's convention: a
//! directory module is not a test target of its own).

// Every test binary compiles this module on its own and uses only some of
// it, so what one file leaves unused is not dead code.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The seed referential (EDL), with its example grades in [`GRADES`].
pub const SEED: &str = "examples/edl/referential.acquis";
/// The cuisine example, which imports `prevention.acquis`.
pub const CUISINE: &str = "examples/cuisine/cuisine.acquis";
/// The seed's example candidates.
pub const GRADES: &str = "examples/edl/candidates.csv";
/// A small referential written for the tests.
pub const SMALL: &str = "tests/fixtures/small.acquis";

/// The package root, where cargo runs integration tests and where the
/// relative paths above start.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What one run of the binary gave.
pub struct Run {
    /// The exit code; `None` when a signal ended the process.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Standard output then standard error.
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// The exit code and both outputs, for a failure message.
    pub fn describe(&self) -> String {
        format!(
            "exit code {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    /// Fails, showing the whole run, unless the exit code is `expected`.
    #[track_caller]
    pub fn assert_code(&self, expected: i32) {
        assert_eq!(
            self.code,
            Some(expected),
            "unexpected exit code\n{}",
            self.describe()
        );
    }
}

/// The `acquis` binary as the tests run it: from the package root, without
/// colour (`NO_COLOR`), without `RUST_BACKTRACE` and in the `C` locale
/// (diagnostics in English whatever the machine's language; a test asks
/// for French with `--lang fr` or `LANG`), so outputs are stable.
/// For a process the test talks to (`acquis lsp`), spawn this directly.
pub fn command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_acquis"));
    command
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("RUST_BACKTRACE");
    command
}

/// Runs `acquis ARGS` (see [`command`]) and fails the test if it panicked.
/// [`Acquis`] adds environment variables or standard input.
#[track_caller]
pub fn acquis<S: AsRef<OsStr>>(args: &[S]) -> Run {
    Acquis::new(args).run()
}

/// One run of the binary with more than arguments: build it with
/// [`Acquis::new`], add what it needs, then [`Acquis::run`].
pub struct Acquis {
    command: Command,
    stdin: Option<String>,
}

impl Acquis {
    pub fn new<S: AsRef<OsStr>>(args: &[S]) -> Self {
        let mut command = command();
        command.args(args);
        Acquis {
            command,
            stdin: None,
        }
    }

    /// Sets an environment variable of the process.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.command.env(key, value);
        self
    }

    /// Writes `text` to the process's standard input, then closes it
    /// (without this, standard input is empty).
    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.to_string());
        self
    }

    /// Runs to the end; a panic of the binary (exit code 101) fails the test.
    #[track_caller]
    pub fn run(mut self) -> Run {
        let output = match self.stdin {
            None => self.command.output().expect("the acquis binary runs"),
            Some(text) => {
                let mut child = self
                    .command
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("the acquis binary runs");
                let mut input = child.stdin.take().expect("a piped standard input");
                input.write_all(text.as_bytes()).unwrap();
                drop(input);
                child.wait_with_output().unwrap()
            }
        };
        let run = Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        assert_ne!(
            run.code,
            Some(101),
            "the binary panicked\n{}",
            run.describe()
        );
        run
    }
}

/// A fresh, empty directory for one test, removed when it is dropped (when
/// the test ends, failed tests included). Its name holds the test binary's
/// name, the process id, a counter and `name`, so no two tests share one.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "acquis-{}-{}-{}-{name}",
            env!("CARGO_CRATE_NAME"),
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl TempDir {
    /// The path, and the directory stays after the test: for a helper that
    /// returns a path inside it to its caller.
    pub fn keep(mut self) -> PathBuf {
        std::mem::take(&mut self.0)
    }
}

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // Empty after `keep`.
        if !self.0.as_os_str().is_empty() {
            let _ = fs::remove_dir_all(&self.0);
        }
    }
}
