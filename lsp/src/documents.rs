//! The open documents: their text as the editor has it (unsaved edits
//! included), their version, and the incremental edits that change them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use crate::line_index::LineIndex;

#[derive(Debug, Clone)]
pub struct Document {
    pub uri: Uri,
    pub path: PathBuf,
    pub version: i32,
    pub text: String,
}

/// Open documents by path (the compiler reads files by path).
#[derive(Debug, Default)]
pub struct Documents {
    docs: BTreeMap<PathBuf, Document>,
}

impl Documents {
    pub fn open(&mut self, uri: Uri, path: PathBuf, version: i32, text: String) {
        self.docs.insert(
            path.clone(),
            Document {
                uri,
                path,
                version,
                text,
            },
        );
    }

    pub fn close(&mut self, path: &PathBuf) -> Option<Document> {
        self.docs.remove(path)
    }

    /// Applies the edits in order; a range is read against the text as
    /// the previous edit left it, as the protocol says.
    pub fn change(
        &mut self,
        path: &PathBuf,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> bool {
        let Some(doc) = self.docs.get_mut(path) else {
            return false;
        };
        for change in changes {
            match change.range {
                Some(range) => {
                    let index = LineIndex::new(&doc.text);
                    let start = index.offset(&doc.text, range.start);
                    let end = index.offset(&doc.text, range.end).max(start);
                    doc.text.replace_range(start..end, &change.text);
                }
                None => doc.text = change.text,
            }
        }
        doc.version = version;
        true
    }

    pub fn get(&self, path: &PathBuf) -> Option<&Document> {
        self.docs.get(path)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Document> {
        self.docs.values()
    }

    /// The texts the compiler should read instead of the disk.
    pub fn texts(&self) -> Vec<(PathBuf, String)> {
        self.docs
            .values()
            .map(|d| (d.path.clone(), d.text.clone()))
            .collect()
    }
}
