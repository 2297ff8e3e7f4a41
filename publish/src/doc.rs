//! `acquis doc`: the referential as a document for people, in the layout
//! of the official référentiel, as one self-contained HTML page or as
//! Markdown. The compiled IR is arranged once into a [`model::Document`]
//! and worded once (`content`, `table`: every text, label and cell as
//! plain strings); each renderer only escapes and lays that out.

pub mod content;
pub mod html;
pub mod markdown;
pub mod model;
pub mod page;
mod regions;
pub mod svg;
pub mod table;
pub mod text;

use acquis_ir::Ir;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum DocFormat {
    /// One self-contained HTML page (no script, font or link to fetch)
    Html,
    /// Markdown with GitHub tables and a Mermaid diagram
    Md,
}

impl DocFormat {
    /// The format named by an output file's extension, if any.
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(DocFormat::Md),
            "html" | "htm" => Some(DocFormat::Html),
            _ => None,
        }
    }
}

pub fn render(ir: &Ir, format: DocFormat) -> String {
    let doc = model::Document::new(ir);
    match format {
        DocFormat::Html => html::render(&doc),
        DocFormat::Md => markdown::render(&doc),
    }
}
