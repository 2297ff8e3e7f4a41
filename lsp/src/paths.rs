//! `file://` URIs ↔ paths, and the files the server writes for the client
//! to open: the standard library modules (a definition in `std::` must be
//! a file the editor can show) and the diagnostics reference.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::Uri;

/// The path of a `file://` URI, percent-decoded.
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text.strip_prefix("file://")?;
    // `file:///home/x` and `file://localhost/home/x`.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let decoded = percent_decode(rest)?;
    // Windows: `/C:/x` is `C:/x`.
    let bytes = decoded.as_bytes();
    if bytes.len() > 2 && bytes[0] == b'/' && bytes[2] == b':' {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(acquis_compiler::loader::normalize(Path::new(&decoded)))
}

/// The `file://` URI of an absolute path, percent-encoded.
pub fn to_uri(path: &Path) -> Option<Uri> {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    // A Windows drive's colon (`C:/`) stays as it is; any other is encoded.
    let drive = text.as_bytes().get(1) == Some(&b':');
    for (i, byte) in text.bytes().enumerate() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            b':' if drive && i == 1 => out.push(':'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    Uri::from_str(&out).ok()
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The folder where the server writes read-only copies of embedded files.
fn support_dir() -> PathBuf {
    std::env::temp_dir().join(format!("acquis-lsp-{}", env!("CARGO_PKG_VERSION")))
}

/// Writes `text` to `name` in the support folder unless it is there
/// already, and gives its path.
fn materialise(name: &str, text: &str) -> Option<PathBuf> {
    let path = support_dir().join(name);
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
        std::fs::create_dir_all(support_dir()).ok()?;
        std::fs::write(&path, text).ok()?;
    }
    Some(path)
}

/// The on-disk path of a compilation's file: its own path, or for a
/// `<std>/NAME.acquis` module, a copy written for the editor.
pub fn source_path(display: &str) -> Option<PathBuf> {
    if let Some(name) = display
        .strip_prefix("<std>/")
        .and_then(|n| n.strip_suffix(".acquis"))
    {
        let module = acquis_stdlib::module(name)?;
        return materialise(&format!("std-{name}.acquis"), module.source);
    }
    let path = acquis_compiler::loader::normalize(Path::new(display));
    if path.is_absolute() {
        Some(path)
    } else {
        std::env::current_dir().ok().map(|dir| dir.join(path))
    }
}

/// The diagnostics reference: docs/diagnostics.md, embedded so that every
/// code's link opens the reference of this very version of the server.
pub const DIAGNOSTICS_DOC: &str = include_str!("../../docs/diagnostics.md");

/// The URI of the diagnostics reference written for the client.
pub fn diagnostics_doc_uri() -> Option<Uri> {
    to_uri(&materialise("diagnostics.md", DIAGNOSTICS_DOC)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_round_trip_with_spaces_and_accents() {
        let path = Path::new("/tmp/réf érentiel/a b.acquis");
        let uri = to_uri(path);
        assert!(uri.is_some());
        let back = uri.as_ref().and_then(to_path);
        assert_eq!(back.as_deref(), Some(path));
    }
}
