//! Every file the command line writes goes through here: a temporary
//! sibling, then a rename over the destination, which is atomic on one file
//! system. An interrupted or failed run leaves the old file or the new one,
//! never half of one. (Open Badges directories are staged whole by
//! `acquis_interop::ob3::Directory`, on the same principle.)

use std::io::Write;
use std::path::{Path, PathBuf};

use acquis_diagnostics::{text, Code, Diagnostic, Position};

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

/// An output that could not be written: the file (none for standard
/// output) and why.
#[derive(Debug)]
pub struct WriteError {
    pub path: Option<PathBuf>,
    pub source: std::io::Error,
}

impl WriteError {
    /// As a diagnostic of `code`: at the file as a whole (the message does
    /// not repeat its path), or nowhere for standard output.
    pub fn to_diagnostic(&self, code: Code) -> Diagnostic {
        match &self.path {
            Some(path) => Diagnostic::at(
                code,
                text!(
                    "cannot write the file: {reason}",
                    reason = crate::common::io_reason(&self.source)
                ),
                Position::file(path.display().to_string()),
            ),
            None => Diagnostic::at(
                code,
                text!(
                    "cannot write to standard output: {reason}",
                    reason = crate::common::io_reason(&self.source)
                ),
                Position::nowhere(),
            ),
        }
    }
}

/// [`write_atomically`], the error saying which file.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write_atomically(path, bytes).map_err(|source| WriteError {
        path: Some(path.to_path_buf()),
        source,
    })
}

/// Writes to a file atomically, or to standard output.
pub fn emit(output: Option<&Path>, bytes: &[u8]) -> Result<(), WriteError> {
    match output {
        Some(path) => write(path, bytes),
        None => std::io::stdout()
            .lock()
            .write_all(bytes)
            .map_err(|source| WriteError { path: None, source }),
    }
}
