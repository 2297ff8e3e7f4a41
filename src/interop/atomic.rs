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

/// Writes every `(file name, bytes)` into `dir`, creating it if needed. All
/// files are first written as temporaries, then renamed, so an error while
/// writing leaves none of them.
pub fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create directory `{}`: {e}", dir.display()))?;
    let mut written: Vec<(PathBuf, PathBuf)> = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        let temp = match temporary(&path) {
            Ok(temp) => temp,
            Err(e) => return Err(clean(&written, e)),
        };
        let result = std::fs::File::create(&temp).and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        });
        written.push((temp.clone(), path.clone()));
        if let Err(e) = result {
            return Err(clean(
                &written,
                format!("cannot write `{}`: {e}", path.display()),
            ));
        }
    }
    for (temp, path) in &written {
        std::fs::rename(temp, path)
            .map_err(|e| clean(&written, format!("cannot write `{}`: {e}", path.display())))?;
    }
    Ok(())
}

/// Removes the temporaries still present and returns the error.
fn clean(written: &[(PathBuf, PathBuf)], error: String) -> String {
    for (temp, _) in written {
        let _ = std::fs::remove_file(temp);
    }
    error
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
