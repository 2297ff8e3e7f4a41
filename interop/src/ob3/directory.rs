//! `-o DIR` for Open Badges: each [`Credential`] becomes
//! `DIR/<candidate>/<entity>.json`. The whole run is built in a hidden
//! sibling of DIR and swapped in at the end, so DIR always holds the result
//! of one complete evaluation: never half a run, never a credential left
//! over from an earlier run (a candidate no longer certified loses it).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Credential, CredentialOut};
pub(super) use acquis_eval::sink::short_hash;

/// The file that marks a directory written by this writer: only such a
/// directory (or an empty one) may be replaced.
const MARKER: &str = ".acquis-ob3";

/// A name for `id` that is safe as one path component: letters, digits,
/// `-`, `_` and `.` are kept, anything else becomes `_`, and leading dots
/// become `_` (no hidden or `..` folder); a name Windows reserves or
/// changes (`CON`, a final dot) gets the hash too. When that changed the id, a short
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
    // A name Windows reserves for a device (`CON`, `nul.json`…) cannot be
    // opened there whatever follows it.
    let stem = name.split('.').next().unwrap_or("");
    let reserved = RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem));
    // Windows drops a name's final dot: `trail.` and `trail` would merge.
    let dotted = name.ends_with('.');
    if name == id && !name.is_empty() && !reserved && !dotted && name.len() <= MAX_NAME {
        return name;
    }
    // Long ids are cut (on a character boundary) so that the name and its
    // hash stay within what every file system takes for one component.
    let keep = MAX_NAME - 9;
    let mut end = name.len().min(keep);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}-{}", &name[..end], short_hash(id))
}

/// The longest name in bytes (file systems take 255 for a component; the
/// entity file and the staging folder's own name leave room).
const MAX_NAME: usize = 120;

/// Device names Windows reserves, with or without an extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Stages each credential as a file and, on `finish` (the end of an
/// evaluation that could read its inputs), replaces DIR with the staged
/// run. Dropped before that, it removes what it staged.
pub struct Directory {
    dir: PathBuf,
    staging: PathBuf,
    /// The candidate folders staged, for the case-insensitive check at
    /// the end.
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
            folders: Vec::new(),
            done: false,
        }
    }

    fn stage(&mut self, credential: &Credential) -> std::io::Result<()> {
        let folder = self.staging.join(&credential.folder);
        let path = folder.join(&credential.file);
        if path.exists() {
            // file_name keeps distinct ids distinct: this is a bug, and
            // overwriting would hand one candidate another's credential.
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("two credentials for `{}`", credential.path()),
            ));
        }
        std::fs::create_dir_all(&folder)?;
        let mut text = serde_json::to_string_pretty(&credential.credential)?;
        text.push('\n');
        std::fs::write(&path, text)?;
        if !self.folders.contains(&credential.folder) {
            self.folders.push(credential.folder.clone());
        }
        Ok(())
    }

    /// Folders whose names differ only in case would merge on a
    /// case-insensitive disk: each of them gets a hash of its name.
    fn separate_case_collisions(&self) -> std::io::Result<()> {
        let mut by_lower: HashMap<String, Vec<&String>> = HashMap::new();
        for f in &self.folders {
            by_lower
                .entry(acquis_eval::sink::case_folded(f))
                .or_default()
                .push(f);
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

impl CredentialOut for Directory {
    fn put(&mut self, credentials: &[Credential]) -> std::io::Result<()> {
        credentials.iter().try_for_each(|c| self.stage(c))
    }

    fn finish(&mut self) -> std::io::Result<()> {
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
    use super::{file_name, MAX_NAME};

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
        // Names Windows reserves get a hash, with or without extension.
        assert!(file_name("CON").starts_with("CON-"), "{}", file_name("CON"));
        assert!(file_name("nul.x").starts_with("nul.x-"));
        assert_eq!(file_name("CONSEIL"), "CONSEIL");
        // A final dot, which Windows drops, gets a hash: `trail.` and
        // `trail` stay two folders there.
        assert!(file_name("trail.").starts_with("trail.-"));
        assert_eq!(file_name("trail"), "trail");
        // A 256-byte id fits in one path component, and stays distinct.
        let long = "é".repeat(128);
        let a = file_name(&long);
        assert!(a.len() <= MAX_NAME, "{}", a.len());
        assert_ne!(a, file_name(&format!("{long}x")));
        assert_eq!(a, file_name(&long), "stable");
    }
}
