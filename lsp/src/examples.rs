//! The results of the examples run from their code lens, kept by the
//! server between requests: `lens` writes them when it runs an example and
//! reads them to title its lenses; handlers see them through `Context`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// What running an example gave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleRun {
    pub example: String,
    pub passed: bool,
    pub checked: usize,
    pub failures: Vec<FailureReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailureReport {
    pub id: String,
    pub expected: String,
    pub actual: String,
    pub reason: String,
}

/// The last run of each example, by file and name.
#[derive(Debug, Default)]
pub struct ExampleResults {
    runs: HashMap<(PathBuf, String), ExampleRun>,
}

impl ExampleResults {
    /// The last run of the example `name` of the file at `path`.
    pub fn get(&self, path: &Path, name: &str) -> Option<&ExampleRun> {
        self.runs.get(&(path.to_path_buf(), name.to_string()))
    }

    /// Keeps a run of an example of the file at `path`, replacing the last.
    pub fn record(&mut self, path: PathBuf, run: ExampleRun) {
        self.runs.insert((path, run.example.clone()), run);
    }
}
