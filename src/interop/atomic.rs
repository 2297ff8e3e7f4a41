//! Writing outputs so that a failure never leaves half a file: each file is
//! written to a temporary sibling and renamed over its destination, which is
//! atomic on one file system.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` through a temporary file in the same directory.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let temp = temporary(path)?;
    let result = std::fs::File::create(&temp)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temp, path));
    result.map_err(|e| {
        // The temporary file is ours: removing it leaves the directory as it was.
        let _ = std::fs::remove_file(&temp);
        format!("cannot write `{}`: {e}", path.display())
    })
}

fn temporary(path: &Path) -> Result<PathBuf, String> {
    let name = path
        .file_name()
        .ok_or_else(|| format!("`{}` is not a file name", path.display()))?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok(dir.join(format!(
        ".{}.acquis-tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    )))
}
