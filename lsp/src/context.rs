//! What a request handler reads: the latest snapshot and the documents.

use std::path::Path;

use acquis_diagnostics::source::FileId;
use acquis_grammar::ast::Span;
use lsp_types::{Location, Uri};

use crate::documents::Documents;
use crate::examples::ExampleResults;
use crate::snapshot::{FileView, Snapshot, Unit};

pub struct Context<'a> {
    pub snapshot: &'a Snapshot,
    /// The latest snapshot in which no file had a syntax error.
    pub clean: &'a Snapshot,
    pub documents: &'a Documents,
    pub examples: &'a ExampleResults,
    /// The language of diagnostics and messages: the client's `locale`,
    /// else the environment's.
    pub lang: acquis_diagnostics::Lang,
}

impl<'a> Context<'a> {
    /// The analysed file behind a URI, if any referential has it.
    pub fn file(&self, uri: &Uri) -> Option<FileView<'a>> {
        let path = crate::paths::to_path(uri)?;
        self.snapshot.file(&path)
    }

    /// The text of an open document, as the editor has it.
    pub fn text(&self, uri: &Uri) -> Option<&'a str> {
        let path = crate::paths::to_path(uri)?;
        self.documents.get(&path).map(|d| d.text.as_str())
    }

    /// The URI to give the client for a file: the one it opened the
    /// document with, or one made from the path.
    pub fn uri(&self, unit: &Unit, id: FileId) -> Option<Uri> {
        let path = unit.path(id)?;
        self.uri_of_path(path)
    }

    pub fn uri_of_path(&self, path: &Path) -> Option<Uri> {
        match self.documents.get(&path.to_path_buf()) {
            Some(doc) => Some(doc.uri.clone()),
            None => crate::paths::to_uri(path),
        }
    }

    pub fn location(&self, unit: &Unit, id: FileId, span: Span) -> Option<Location> {
        Some(Location::new(self.uri(unit, id)?, unit.range(id, span)))
    }
}
