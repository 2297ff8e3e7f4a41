//! Every file the command line writes goes through here: a temporary
//! sibling, then a rename over the destination, which is atomic on one file
//! system. An interrupted or failed run leaves the old file or the new one,
//! never half of one. (Open Badges directories are staged whole by
//! `acquis_interop::ob3::Directory`, on the same principle.)

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` through a temporary file in the same directory;
/// an existing file keeps its permissions.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temp = temporary(path)?;
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&temp, meta.permissions())?;
        }
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        // The temporary file is ours: removing it leaves the directory as it was.
        let _ = std::fs::remove_file(&temp);
    }
    result
}

fn temporary(path: &Path) -> std::io::Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("`{}` is not a file name", path.display()),
        )
    })?;
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

/// [`write_atomically`] with the message the command line prints.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    write_atomically(path, bytes).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

/// Writes to a file atomically, or to standard output.
pub fn emit(output: Option<&Path>, bytes: &[u8]) -> Result<(), String> {
    match output {
        Some(path) => write(path, bytes),
        None => std::io::stdout()
            .lock()
            .write_all(bytes)
            .map_err(|e| format!("cannot write to standard output: {e}")),
    }
}
