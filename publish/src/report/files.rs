//! The candidates' file names, and the cleaning of a previous run's pages.
//!
//! Names keep the id's letters and digits (accented ones included, so
//! `Élodie` stays readable), replace anything else by `_`, and avoid the
//! names Windows reserves for devices (`CON`, `NUL`, `COM1`…), which it
//! cannot open whatever the extension.
//!
//! Re-running into the same `-o DIR` must not leave the previous run's
//! candidate pages behind: a candidate removed from the grades file would
//! keep a page, with personal data if `--include-metadata` was given. So
//! the pages acquis would write (`candidates/<safe name>.html`) are removed
//! first; nothing else in the directory is touched.

use std::path::Path;

use crate::PublishError;

/// Longest stem kept, in characters.
const MAX_STEM: usize = 80;

/// Device names Windows reserves, with or without an extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

fn safe_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// A file stem from a candidate id, safe on every file system.
pub fn stem(id: &str) -> String {
    let mut stem: String = id
        .chars()
        .map(|c| if safe_char(c) { c } else { '_' })
        .take(MAX_STEM)
        .collect();
    if stem.is_empty() {
        stem.push_str("candidate");
    }
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(&stem)) {
        stem.push('_');
    }
    stem
}

/// Whether `name` is a page acquis writes in `candidates/`.
fn is_candidate_page(name: &str) -> bool {
    name.strip_suffix(".html")
        .is_some_and(|s| !s.is_empty() && s.chars().all(safe_char))
}

/// Removes the candidate pages a previous run wrote in `dir/candidates`.
pub fn clean_previous(dir: &Path) -> Result<(), PublishError> {
    let candidates = dir.join("candidates");
    let Ok(entries) = std::fs::read_dir(&candidates) else {
        // No previous run.
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && is_candidate_page(name) {
            let path = entry.path();
            std::fs::remove_file(&path)
                .map_err(|source| PublishError::RemoveOldPage { path, source })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_keep_letters_and_avoid_reserved_names() {
        assert_eq!(stem("Élodie Dupré"), "Élodie_Dupré");
        assert_eq!(stem("../../etc"), "______etc");
        assert_eq!(stem("CON"), "CON_");
        assert_eq!(stem("nul"), "nul_");
        assert_eq!(stem("COM10"), "COM10");
        assert_eq!(stem(""), "candidate");
        assert!(is_candidate_page("CAND-001.html"));
        assert!(is_candidate_page("Élodie-2.html"));
        assert!(!is_candidate_page("notes.txt"));
        assert!(!is_candidate_page("my page.html"));
    }
}
