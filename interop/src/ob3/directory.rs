//! `-o DIR` for Open Badges: the JSON lines of [`super::candidate`] become
//! `DIR/<candidate>/<entity>.json`. The whole run is built in a hidden
//! sibling of DIR and swapped in at the end, so DIR always holds the result
//! of one complete evaluation: never half a run, never a credential left
//! over from an earlier run (a candidate no longer certified loses it).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The file that marks a directory written by this writer: only such a
/// directory (or an empty one) may be replaced.
const MARKER: &str = ".acquis-ob3";

/// A name for `id` that is safe as one path component: letters, digits,
/// `-`, `_` and `.` are kept, anything else becomes `_`, and leading dots
/// become `_` (no hidden or `..` folder). When that changed the id, a short
/// hash of the id is appended, so `A/B` and `A_B` stay two names.
pub fn file_name(id: &str) -> String {
    let mut leading = true;
    let name: String = id
        .chars()
        .map(|c| {
            let keep = c.is_alphanumeric() || matches!(c, '-' | '_') || (c == '.' && !leading);
            leading &= c == '.';
            if keep {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name == id && !name.is_empty() {
        name
    } else {
        format!("{name}-{}", short_hash(id))
    }
}

/// FNV-1a, 32 bits, in hex: stable across versions and platforms (the std
/// hasher is not), short enough for a file name.
fn short_hash(text: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("{hash:08x}")
}

/// A writer that stages each credential line as a file and, on `flush` (the
/// end of an evaluation that could read its inputs), replaces DIR with the
/// staged run. Dropped before that, it removes what it staged.
pub struct Directory {
    dir: PathBuf,
    staging: PathBuf,
    pending: Vec<u8>,
    /// Staged file (relative to the staging directory) → its candidate
    /// folder, for the case-insensitive check at the end.
    folders: Vec<String>,
    done: bool,
}

impl Directory {
    pub fn new(dir: &Path) -> Self {
        // `.` or `out/..` have no name to put a sibling next to: the
        // absolute path has (when DIR exists; a new DIR is named as given).
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        Directory {
            staging: sibling(&dir, "acquis-ob3"),
            dir,
            pending: Vec::new(),
            folders: Vec::new(),
            done: false,
        }
    }

    fn stage(&mut self, line: &[u8]) -> std::io::Result<()> {
        let value: Value = serde_json::from_slice(line).map_err(|e| invalid(e.to_string()))?;
        let file = value
            .get("file")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("a credential line without `file`".into()))?;
        let (folder, _) = file
            .split_once('/')
            .ok_or_else(|| invalid(format!("`{file}` has no candidate folder")))?;
        let path = self.staging.join(file);
        if path.exists() {
            // file_name keeps distinct ids distinct: this is a bug, and
            // overwriting would hand one candidate another's credential.
            return Err(invalid(format!("two credentials for `{file}`")));
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut text = serde_json::to_string_pretty(&value["credential"])
            .map_err(|e| invalid(e.to_string()))?;
        text.push('\n');
        std::fs::write(&path, text)?;
        if !self.folders.iter().any(|f| f == folder) {
            self.folders.push(folder.to_string());
        }
        Ok(())
    }

    /// Folders whose names differ only in case would merge on a
    /// case-insensitive disk: each of them gets a hash of its name.
    fn separate_case_collisions(&self) -> std::io::Result<()> {
        let mut by_lower: HashMap<String, Vec<&String>> = HashMap::new();
        for f in &self.folders {
            by_lower.entry(f.to_lowercase()).or_default().push(f);
        }
        for group in by_lower.values().filter(|g| g.len() > 1) {
            for f in group {
                let renamed = format!("{f}-{}", short_hash(f));
                std::fs::rename(self.staging.join(f), self.staging.join(renamed))?;
            }
        }
        Ok(())
    }

    /// Replaces DIR by the staged run; DIR must be missing, empty, or an
    /// earlier run (it has the marker). Anything else is refused untouched.
    fn commit(&mut self) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.staging)?;
        self.separate_case_collisions()?;
        std::fs::write(
            self.staging.join(MARKER),
            "written by acquis eval --format ob3\n",
        )?;
        match std::fs::read_dir(&self.dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::rename(&self.staging, &self.dir)
            }
            Err(e) => Err(e),
            Ok(mut entries) => {
                if entries.next().is_none() {
                    // Empty (maybe a mount point, which cannot be renamed):
                    // move the run's entries into it.
                    for entry in std::fs::read_dir(&self.staging)? {
                        let entry = entry?;
                        std::fs::rename(entry.path(), self.dir.join(entry.file_name()))?;
                    }
                    std::fs::remove_dir(&self.staging)
                } else if self.dir.join(MARKER).is_file() {
                    let old = sibling(&self.dir, "acquis-ob3-old");
                    std::fs::rename(&self.dir, &old)?;
                    if let Err(e) = std::fs::rename(&self.staging, &self.dir) {
                        // Put the earlier run back: DIR is never left missing.
                        let _ = std::fs::rename(&old, &self.dir);
                        return Err(e);
                    }
                    std::fs::remove_dir_all(&old)
                } else {
                    Err(std::io::Error::other(format!(
                        "`{}` is not empty and was not written by `acquis eval --format ob3`; \
                         choose an empty or new directory",
                        self.dir.display()
                    )))
                }
            }
        }
    }
}

fn invalid(message: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message)
}

/// `.<name>.<what>-<pid>` next to `dir`: on the same file system, so the
/// final renames are atomic.
fn sibling(dir: &Path, what: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map_or_else(|| "ob3".into(), |n| n.to_string_lossy().into_owned());
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.{what}-{}", std::process::id()))
}

impl Write for Directory {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        while let Some(end) = self.pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            if line.iter().any(|b| !b.is_ascii_whitespace()) {
                self.stage(&line)?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.done {
            return Ok(());
        }
        let result = self.commit();
        self.done = true;
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
        result
    }
}

impl Drop for Directory {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn names_stay_distinct() {
        assert_eq!(file_name("ANNE"), "ANNE");
        assert_eq!(file_name("B1"), "B1");
        assert_ne!(file_name("A/B"), file_name("A_B"));
        assert_eq!(file_name("A/B"), "A_B-7e560f81");
        assert!(file_name("..").starts_with("__-"));
        assert!(file_name(".hidden").starts_with("_hidden-"));
        assert_eq!(file_name("a.b"), "a.b");
        assert_ne!(file_name("."), file_name(".."));
    }
}
