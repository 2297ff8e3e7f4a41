//! The one typst "world" Acquis typesets in: a single in-memory source (the
//! markup `doc` and `report` write), the standard library, and the fonts
//! bundled with typst (Libertinus Serif, New Computer Modern, DejaVu Sans
//! Mono; SIL Open Font Licence, shipped inside the `typst-assets` crate).
//! Nothing is read from the disk, the network or the clock: the same
//! markup gives the same bytes on every machine.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Feature, Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::PdfError;

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// Parsed once per process: every document shares them.
static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// The standard library, with `pdf.header-cell` (the row headers of
/// tables, behind typst's `a11y-extras` feature).
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| {
    LazyHash::new(
        Library::builder()
            .with_features([Feature::A11yExtras].into_iter().collect())
            .build(),
    )
});

/// A world of one source file.
struct Single {
    main: Source,
}

impl World for Single {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// Typesets `markup` and writes it as tagged PDF conforming to PDF/UA-1.
/// `ident` identifies the document stably across runs (the PDF's `/ID`).
pub fn typeset(markup: String, ident: &str) -> Result<Vec<u8>, PdfError> {
    let world = Single {
        main: Source::detached(markup),
    };
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| PdfError::Typeset(messages(&errors)))?;
    let standards = typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::Ua_1])
        .map_err(|e| PdfError::Standard(e.message().to_string()))?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(ident.to_string()),
        creator: typst::foundations::Smart::Custom(Some("Acquis".to_string())),
        standards,
        tagged: true,
        ..typst_pdf::PdfOptions::default()
    };
    let pdf =
        typst_pdf::pdf(&document, &options).map_err(|errors| PdfError::Export(messages(&errors)));
    drop(document);
    // typst memoises layout in a process-wide cache that nothing empties:
    // typesetting a cohort's pages one after another would keep every
    // page's results (about 9 MB a candidate for the seed). An entry not
    // used by the last `CACHE_AGE` documents is dropped; what every page
    // shares (fonts, styles, the page frame) is used again and stays.
    comemo::evict(CACHE_AGE);
    pdf
}

/// How many documents an unused memoised result outlives (see `typeset`).
const CACHE_AGE: usize = 4;

fn messages(errors: &[typst::diag::SourceDiagnostic]) -> Vec<String> {
    errors
        .iter()
        .map(|e| {
            let mut text = e.message.to_string();
            for hint in &e.hints {
                text.push_str("; ");
                text.push_str(&hint.v);
            }
            text
        })
        .collect()
}
