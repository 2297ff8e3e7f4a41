//! The candidates' file names, and the cleaning of a previous run's pages.
//!
//! Names keep the id's letters and digits (accented ones included, so
//! `Élodie` stays readable), replace anything else by `_`, and avoid the
//! names Windows reserves for devices (`CON`, `NUL`, `COM1`…), which it
//! cannot open whatever the extension. A name that had to be changed or cut
//! ends with a stable hash of the id ([`page_stem`]): a candidate's page
//! has the same name whatever the other candidates and their order.
//!
//! Re-running into the same `-o DIR` must not leave the previous run's
//! candidate pages behind: a candidate removed from the grades file would
//! keep a page, with personal data if `--include-metadata` was given. So
//! the pages acquis would write (`candidates/<safe name>.html` or `.pdf`) are removed
//! first; nothing else in the directory is touched.

use std::path::Path;

use crate::PublishError;

/// Longest stem kept, in characters, and in bytes: with the hash suffix
/// and the extension, a name stays well under the 255 bytes file systems
/// allow, whatever the letters (up to four bytes each).
const MAX_STEM: usize = 80;
const MAX_STEM_BYTES: usize = 160;

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
    let mut stem = String::new();
    for c in id
        .chars()
        .map(|c| if safe_char(c) { c } else { '_' })
        .take(MAX_STEM)
    {
        if stem.len() + c.len_utf8() > MAX_STEM_BYTES {
            break;
        }
        stem.push(c);
    }
    if stem.is_empty() {
        stem.push_str("candidate");
    }
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(&stem)) {
        stem.push('_');
    }
    stem
}

/// The stem of `id`'s page: the id itself when it is a safe name already,
/// else its [`stem`] and a hash of the whole id (`______etc_passwd-…`), so
/// that two ids reduced or cut to the same stem keep two names.
pub fn page_stem(id: &str) -> String {
    let stem = stem(id);
    if stem == id {
        stem
    } else {
        with_hash(stem, id)
    }
}

/// `id`'s [`stem`] followed by its hash: also the name of a page whose id
/// differs from another only in case (the two would be one file on a
/// case-insensitive disk).
pub fn hashed(id: &str) -> String {
    with_hash(stem(id), id)
}

fn with_hash(stem: String, id: &str) -> String {
    format!("{stem}-{}", acquis_eval::sink::short_hash(id))
}

/// Whether `name` is a page acquis writes in `candidates/`, HTML or PDF:
/// a run in one format removes the other's pages too.
fn is_candidate_page(name: &str) -> bool {
    name.strip_suffix(".html")
        .or_else(|| name.strip_suffix(".pdf"))
        .is_some_and(|s| !s.is_empty() && s.chars().all(safe_char))
}

/// The list of the pages a run wrote, in `dir/candidates`: the next run
/// removes these and nothing else.
pub const MANIFEST: &str = ".acquis-pages";

/// Refuses a symbolic link at `path` (a link could lead outside the output
/// directory); nothing there is fine.
pub fn no_link(path: &Path) -> Result<(), PublishError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(PublishError::Link {
            path: path.to_path_buf(),
        }),
        Ok(_) | Err(_) => Ok(()),
    }
}

/// Writes a page without following a link: an existing page is removed
/// first (a link planted at its place is removed, not followed), then the
/// file is created new, which fails rather than follow a link planted in
/// between.
pub fn write_page(path: &Path, page: &[u8]) -> Result<(), PublishError> {
    use std::io::Write;
    let write = |source| PublishError::Write {
        path: path.to_path_buf(),
        source,
    };
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => {
            return Err(write(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "a directory has this name",
            )))
        }
        Ok(_) => std::fs::remove_file(path).map_err(write)?,
        Err(_) => {}
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(write)?;
    file.write_all(page).map_err(write)
}

/// Removes the candidate pages a previous run wrote in `dir/candidates`:
/// those its manifest lists, or, for a directory written before manifests,
/// every file named as a page. Only regular files are removed; links and
/// anything else are left alone, and `dir/candidates` must not be a link.
pub fn clean_previous(dir: &Path) -> Result<(), PublishError> {
    let candidates = dir.join("candidates");
    no_link(&candidates)?;
    let names: Vec<String> = match std::fs::read_to_string(candidates.join(MANIFEST)) {
        Ok(text) => text
            .lines()
            .filter(|name| is_candidate_page(name))
            .map(str::to_string)
            .collect(),
        Err(_) => {
            let Ok(entries) = std::fs::read_dir(&candidates) else {
                // No previous run.
                return Ok(());
            };
            entries
                .flatten()
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter(|name| is_candidate_page(name))
                .collect()
        }
    };
    for name in names {
        let path = candidates.join(&name);
        let is_file = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file());
        if is_file {
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
        // 80 characters, or 160 bytes of letters of four bytes.
        assert_eq!(stem(&"a".repeat(100)), "a".repeat(80));
        assert_eq!(stem(&"é".repeat(100)), "é".repeat(80));
        assert_eq!(stem(&"𝒜".repeat(100)), "𝒜".repeat(40));
        // Unchanged ids are their own page names; any other gets the hash
        // of the whole id, so cut ids stay apart.
        assert_eq!(page_stem("CAND-001"), "CAND-001");
        assert_eq!(page_stem("Élodie"), "Élodie");
        assert_eq!(page_stem("CON"), "CON_-3367e86b");
        assert_eq!(page_stem("a/b"), "a_b-3a8e75c1");
        assert_ne!(page_stem(&"a".repeat(100)), page_stem(&"a".repeat(101)));
        assert!(page_stem(&"𝒜".repeat(100)).len() <= MAX_STEM_BYTES + 9);
        assert!(is_candidate_page(&format!("{}.html", page_stem("../x"))));
        assert!(is_candidate_page("CAND-001.html"));
        assert!(is_candidate_page("Élodie-2.html"));
        assert!(is_candidate_page("CAND-001.pdf"));
        assert!(!is_candidate_page("notes.txt"));
        assert!(!is_candidate_page("my page.html"));
    }
}
