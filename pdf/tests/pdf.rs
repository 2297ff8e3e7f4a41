//! The PDFs read back: tags and metadata (lopdf), text and page numbers,
//! no page holding only a heading (from the structure tree), escaping, and
//! the first pages rendered to PNG (hayro) into `target/screenshots/` for
//! people to look at.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use acquis_compiler::loader::Disk;
use acquis_compiler::{compile, compile_str};
use acquis_ir::Ir;
use lopdf::{Dictionary, Document, Object, ObjectId};

fn workspace(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn ir(path: &str) -> Ir {
    let c = compile(&workspace(path), &Disk);
    assert!(!c.has_errors(), "{path}: {:?}", c.diagnostics);
    c.ir.expect("an IR")
}

fn ir_str(text: &str) -> Ir {
    let c = compile_str("r.acquis", text);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    c.ir.expect("an IR")
}

/// The seed's PDF, typeset once for every test of this binary.
fn seed() -> &'static (Vec<u8>, Document) {
    static SEED: std::sync::OnceLock<(Vec<u8>, Document)> = std::sync::OnceLock::new();
    SEED.get_or_init(|| {
        let bytes = acquis_pdf::doc::render(&ir("examples/edl/referential.acquis")).unwrap();
        let doc = Document::load_mem(&bytes).unwrap();
        (bytes, doc)
    })
}

fn resolve<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    doc.dereference(object).map(|(_, o)| o).unwrap_or(object)
}

fn dict<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Dictionary> {
    resolve(doc, object).as_dict().ok()
}

/// Collects the text a page draws, in drawing order: each glyph's Unicode
/// (from the font's `ToUnicode` map), a line break where a glyph starts a
/// new line, a space where it starts further right than the last glyph's
/// advance. (lopdf's own extraction cannot parse the ToUnicode maps typst
/// writes.)
#[derive(Default)]
struct TextDevice {
    text: String,
    /// Origin and size of the last glyph.
    last: Option<(f64, f64, f64)>,
}

impl<'a> hayro::hayro_interpret::Device<'a> for TextDevice {
    fn set_soft_mask(&mut self, _: Option<hayro::hayro_interpret::SoftMask<'a>>) {}
    fn set_blend_mode(&mut self, _: hayro::hayro_interpret::BlendMode) {}
    fn draw_path(
        &mut self,
        _: &hayro::vello_cpu::kurbo::BezPath,
        _: hayro::vello_cpu::kurbo::Affine,
        _: &hayro::hayro_interpret::Paint<'a>,
        _: &hayro::hayro_interpret::PathDrawMode,
    ) {
    }
    fn push_clip_path(&mut self, _: &hayro::hayro_interpret::ClipPath) {}
    fn push_transparency_group(
        &mut self,
        _: f32,
        _: Option<hayro::hayro_interpret::SoftMask<'a>>,
        _: hayro::hayro_interpret::BlendMode,
    ) {
    }
    fn draw_glyph(
        &mut self,
        glyph: &hayro::hayro_interpret::font::Glyph<'a>,
        transform: hayro::vello_cpu::kurbo::Affine,
        glyph_transform: hayro::vello_cpu::kurbo::Affine,
        _: &hayro::hayro_interpret::Paint<'a>,
        _: &hayro::hayro_interpret::GlyphDrawMode,
    ) {
        let [a, b, _, _, x, y] = (transform * glyph_transform).as_coeffs();
        // The glyph's size on the page (glyph space is 1000 units an em).
        let size = (a * a + b * b).sqrt() * 1000.0;
        if let Some((lx, ly, lsize)) = self.last {
            if (y - ly).abs() > lsize.max(size) * 0.5 || x < lx - 1.0 {
                self.text.push('\n');
            } else if x - lx > lsize.max(size) * 1.2 {
                self.text.push(' ');
            }
        }
        self.last = Some((x, y, size));
        match glyph.as_unicode() {
            Some(hayro::hayro_interpret::hayro_cmap::BfString::Char(c)) => self.text.push(c),
            Some(hayro::hayro_interpret::hayro_cmap::BfString::String(s)) => self.text.push_str(&s),
            None => self.text.push('\u{fffd}'),
        }
    }
    fn draw_image(
        &mut self,
        _: hayro::hayro_interpret::Image<'a, '_>,
        _: hayro::vello_cpu::kurbo::Affine,
    ) {
    }
    fn pop_clip_path(&mut self) {}
    fn pop_transparency_group(&mut self) {}
}

/// The text of each page, in order.
fn page_texts(bytes: &[u8]) -> Vec<String> {
    use hayro::hayro_interpret::{
        interpret_page, Context, InterpreterCache, InterpreterSettings, TransformExt,
    };
    use hayro::hayro_syntax::Pdf;
    let pdf = Pdf::new(bytes.to_vec()).unwrap();
    let cache = InterpreterCache::new();
    pdf.pages()
        .iter()
        .map(|page| {
            let mut device = TextDevice::default();
            let mut context = Context::new(
                page.initial_transform(false).to_kurbo(),
                hayro::vello_cpu::kurbo::Rect::new(0.0, 0.0, 1e5, 1e5),
                &cache,
                pdf.xref(),
                InterpreterSettings::default(),
            );
            interpret_page(page, &mut context, &mut device);
            device.text
        })
        .collect()
}

/// Text as extracted, with every run of white space (line ends included)
/// made one space, so a phrase split across lines still matches.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_seed_is_tagged_with_its_language_and_title() {
    let (bytes, doc) = seed();
    assert!(
        bytes.starts_with(b"%PDF-1.7"),
        "PDF/UA-1 is written as PDF 1.7"
    );
    let catalog = doc.catalog().unwrap();
    assert!(
        catalog.get(b"StructTreeRoot").is_ok(),
        "no structure tree: the PDF is not tagged"
    );
    let mark_info = dict(doc, catalog.get(b"MarkInfo").unwrap()).unwrap();
    assert!(matches!(
        mark_info.get(b"Marked").unwrap(),
        Object::Boolean(true)
    ));
    let lang = catalog.get(b"Lang").unwrap();
    assert_eq!(lang.as_str().unwrap(), b"fr-FR");
    // PDF/UA: the title is shown instead of the file name.
    let prefs = dict(doc, catalog.get(b"ViewerPreferences").unwrap()).unwrap();
    assert!(matches!(
        prefs.get(b"DisplayDocTitle").unwrap(),
        Object::Boolean(true)
    ));
    // The title is in the XMP metadata (PDF/UA identifies itself there).
    let metadata = resolve(doc, catalog.get(b"Metadata").unwrap())
        .as_stream()
        .unwrap();
    let xmp = String::from_utf8_lossy(&metadata.content);
    assert!(xmp.contains("Expert en développement logiciel"), "{xmp}");
    assert!(xmp.contains("pdfuaid:part"), "no PDF/UA identification");
}

#[test]
fn every_page_of_the_seed_has_its_number() {
    let (bytes, _) = seed();
    let texts = page_texts(bytes);
    let total = texts.len();
    // The seed printed from HTML took 67 pages; a page per block start
    // and the contents page are worth it, but not twice as many pages.
    assert!((30..=110).contains(&total), "{total} pages");
    for (i, text) in texts.iter().enumerate() {
        let number = format!("Page {} sur {total}", i + 1);
        assert!(
            squeeze(text).contains(&number),
            "page {} lacks «{number}»: {text}",
            i + 1
        );
    }
    let all = squeeze(&texts.join(" "));
    // The title page, and what the document says, in order.
    assert!(texts[0].contains("Expert en développement logiciel"));
    assert!(
        squeeze(&texts[0]).contains("Version 2025.1"),
        "{}",
        texts[0]
    );
    for words in [
        "Sommaire",
        "Structure",
        "Échelles d'évaluation",
        "non acquis, en cours, acquis",
        "Compétences, modalités et critères d'évaluation",
        "Règles de validation",
        "C1.1 est validée lorsque",
    ] {
        assert!(all.contains(words), "no «{words}»");
    }
    // « Le candidat doit : » once per assessment that introduces its
    // tasks, not twice.
    assert!(!all.contains("le candidat doit : Le candidat doit"));
}

/// Per page, the types of the structure elements whose marked content
/// (text, not artifacts) is on it; and the types of every element of the
/// structure tree.
fn tagged_pages(doc: &Document) -> (BTreeMap<u32, BTreeSet<String>>, BTreeSet<String>) {
    let pages: BTreeMap<ObjectId, u32> =
        doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
    let mut out: BTreeMap<u32, BTreeSet<String>> = BTreeMap::new();
    let mut all = BTreeSet::new();
    let catalog = doc.catalog().unwrap();
    let root = dict(doc, catalog.get(b"StructTreeRoot").unwrap()).unwrap();
    let mut seen = HashSet::new();
    let mut todo: Vec<(&Object, Option<String>, Option<ObjectId>)> =
        vec![(root.get(b"K").unwrap(), None, None)];
    while let Some((object, kind, page)) = todo.pop() {
        if let Object::Reference(id) = object {
            if !seen.insert(*id) {
                continue;
            }
        }
        match resolve(doc, object) {
            Object::Array(kids) => {
                todo.extend(kids.iter().map(|k| (k, kind.clone(), page)));
            }
            Object::Integer(_) => {
                // A marked-content id of the element, on its page.
                if let (Some(kind), Some(n)) = (&kind, page.and_then(|p| pages.get(&p))) {
                    out.entry(*n).or_default().insert(kind.clone());
                }
            }
            Object::Dictionary(d) => {
                let page = d
                    .get(b"Pg")
                    .ok()
                    .and_then(|p| p.as_reference().ok())
                    .or(page);
                let is_mcr = d
                    .get(b"Type")
                    .is_ok_and(|t| t.as_name().is_ok_and(|n| n == b"MCR"));
                if is_mcr {
                    if let (Some(kind), Some(n)) = (&kind, page.and_then(|p| pages.get(&p))) {
                        out.entry(*n).or_default().insert(kind.clone());
                    }
                    continue;
                }
                let kind = d
                    .get(b"S")
                    .ok()
                    .and_then(|s| s.as_name().ok())
                    .map(|s| String::from_utf8_lossy(s).to_string())
                    .or(kind);
                all.extend(kind.clone());
                if let Ok(k) = d.get(b"K") {
                    todo.push((k, kind, page));
                }
            }
            _ => {}
        }
    }
    (out, all)
}

#[test]
fn no_page_of_the_seed_holds_only_a_heading() {
    let (_, doc) = seed();
    let (tagged, all) = tagged_pages(doc);
    let pages = doc.get_pages().len() as u32;
    let headings = ["H1", "H2", "H3", "H4", "H5", "H6", "H"];
    for n in 1..=pages {
        let kinds = tagged.get(&n).cloned().unwrap_or_default();
        assert!(!kinds.is_empty(), "page {n} has no tagged content");
        assert!(
            kinds.iter().any(|k| !headings.contains(&k.as_str())),
            "page {n} holds only a heading: {kinds:?}"
        );
    }
    // The structure: headings of four levels, paragraphs, lists, tables
    // with their header cells and captions.
    for kind in [
        "H1", "H2", "H3", "H4", "P", "L", "LI", "Table", "TR", "TH", "TD", "Caption",
    ] {
        assert!(all.contains(kind), "no {kind} element: {all:?}");
    }
}

#[test]
fn markup_in_the_referential_is_printed_as_written() {
    let title = r#"Titre #set text(red) *gras* $x$ [a] \ @ref <b> // pas un commentaire"#;
    let source = format!(
        "referential T {title:?} {{\n  lang fr\n}}\nuse std::scales::acquisition\ndefaults {{\n  criterion scale acquisition\n  competency validated when all criteria acquired\n  block validated when all competencies validated\n}}\nblock B1 \"Bloc #1 ]]\" {{\n  competency C1 \"Faire *ceci* ; $5\" {{\n    criterion CE1 \"Critère \\\\ [x]\" {{ indicator \"@x <y> #z\" }}\n  }}\n  assessment E1 \"Épreuve\" {{ covers C1 }}\n}}\ncertification validated when all blocks validated\n"
    );
    let ir = ir_str(&source);
    let markup = acquis_pdf::doc::markup(&ir);
    let bytes = acquis_pdf::doc::render(&ir).unwrap_or_else(|e| panic!("{e}\n{markup}"));
    let text = squeeze(&page_texts(&bytes).join(" "));
    for written in [
        "#set text(red) *gras* $x$ [a] \\ @ref <b> // pas un commentaire",
        "Bloc #1 ]]",
        "Faire *ceci*",
        "Critère \\ [x]",
        "@x <y> #z",
    ] {
        assert!(
            text.contains(written),
            "«{written}» not printed as written: {text}"
        );
    }
}

#[test]
fn an_english_referential_says_page_of() {
    let ir = ir("tests/fixtures/doc/tricky_en.acquis");
    let bytes = acquis_pdf::doc::render(&ir).unwrap();
    let doc = Document::load_mem(&bytes).unwrap();
    let texts = page_texts(&bytes);
    let total = texts.len();
    assert!(squeeze(&texts[0]).contains(&format!("Page 1 of {total}")));
    assert_eq!(
        doc.catalog()
            .unwrap()
            .get(b"Lang")
            .unwrap()
            .as_str()
            .unwrap(),
        b"en-GB"
    );
}

#[test]
fn the_cuisine_title_page_names_its_certifier() {
    let ir = ir("examples/cuisine/cuisine.acquis");
    let bytes = acquis_pdf::doc::render(&ir).unwrap();
    let first = squeeze(&page_texts(&bytes)[0]);
    assert!(
        first.contains("Organisme de formation imaginaire"),
        "{first}"
    );
}

/// The same bytes for the same referential: nothing depends on the date
/// or the machine.
#[test]
fn the_pdf_is_reproducible() {
    let ir = ir("examples/cuisine/cuisine.acquis");
    assert!(acquis_pdf::doc::render(&ir).unwrap() == acquis_pdf::doc::render(&ir).unwrap());
}

/// Renders the first `pages` pages of a PDF to
/// `target/screenshots/<name>-<n>.png` for people to look at, checking
/// each is A4 and not blank.
fn screenshots(bytes: &[u8], name: &str, pages: usize) {
    use hayro::hayro_interpret::InterpreterSettings;
    use hayro::hayro_syntax::Pdf;
    use hayro::vello_cpu::color::palette::css::WHITE;
    use hayro::{render, RenderCache, RenderSettings};

    let pdf = Pdf::new(bytes.to_vec()).unwrap();
    let out = workspace("target/screenshots");
    std::fs::create_dir_all(&out).unwrap();
    let cache = RenderCache::new();
    let settings = RenderSettings {
        x_scale: 1.5,
        y_scale: 1.5,
        bg_color: WHITE,
        ..RenderSettings::default()
    };
    for (i, page) in pdf.pages().iter().take(pages).enumerate() {
        let (w, h) = page.render_dimensions();
        // A4: 595 × 842 points.
        assert!(
            (w - 595.3).abs() < 1.0 && (h - 841.9).abs() < 1.0,
            "{w} × {h}"
        );
        let pixmap = render(page, &cache, &InterpreterSettings::default(), &settings);
        // Not blank: some pixels are dark (text), most are white (paper).
        let pixels = pixmap.data();
        let dark = pixels
            .iter()
            .filter(|p| p.r < 128 && p.g < 128 && p.b < 128)
            .count();
        let share = dark as f64 / pixels.len() as f64;
        assert!(
            share > 0.001 && share < 0.3,
            "{name} page {}: {share} dark",
            i + 1
        );
        let png = pixmap.into_png().unwrap();
        std::fs::write(out.join(format!("{name}-{}.png", i + 1)), png).unwrap();
    }
}

/// The first pages of the seed as PNG images, up to the first page of
/// the first block's table (`target/screenshots/pdf-edl-<n>.png`).
#[test]
fn screenshots_of_the_first_pages() {
    let (bytes, _) = seed();
    screenshots(bytes, "pdf-edl", 8);
}

/// `eval --format pdf`: a candidate's results and the cohort's, through
/// `Pages` as the command line writes them; tagged, numbered, and
/// saying the candidate's outcomes. Two candidates of the seed.
#[test]
fn results_as_pdf() {
    use acquis_eval::Plan;
    use acquis_publish::report::Pages;

    let dir = std::env::temp_dir().join(format!("acquis-pdf-results-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let all = std::fs::read_to_string(workspace("examples/edl/candidates.csv")).unwrap();
    let grades: String = all
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || l.starts_with("CAND-001,") || l.starts_with("CAND-002,"))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    std::fs::write(dir.join("grades.csv"), grades).unwrap();
    let ir = ir("examples/edl/referential.acquis");
    let plan = Plan::new(&ir);
    let out = dir.join("results");
    let mut pages = Pages::with_format(acquis_pdf::report::Pdf, &plan, &out, false)
        .unwrap_or_else(|e| panic!("{e}"));
    let summary = acquis_eval::run(&plan, &dir.join("grades.csv"), None, &mut pages, &mut |d| {
        panic!("{d:?}")
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(summary.errors, 0);
    let candidate = std::fs::read(out.join("candidates/CAND-002.pdf")).unwrap();
    let doc = Document::load_mem(&candidate).unwrap();
    let catalog = doc.catalog().unwrap();
    assert!(catalog.get(b"StructTreeRoot").is_ok());
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"fr-FR");
    let texts = page_texts(&candidate);
    let total = texts.len();
    for (i, text) in texts.iter().enumerate() {
        assert!(squeeze(text).contains(&format!("Page {} sur {total}", i + 1)));
    }
    let all = squeeze(&texts.join(" "));
    for words in [
        "Candidat CAND-002",
        "Certification",
        "Motif",
        "Bloc A1",
        "Compétences du bloc A1",
    ] {
        assert!(all.contains(words), "no «{words}» in {all}");
    }
    let (tagged, _) = tagged_pages(&doc);
    for n in 1..=total as u32 {
        let kinds = tagged.get(&n).cloned().unwrap_or_default();
        assert!(
            kinds.iter().any(|k| !k.starts_with('H')),
            "page {n}: {kinds:?}"
        );
    }
    screenshots(&candidate, "pdf-candidate", 2);
    let cohort = std::fs::read(out.join("index.pdf")).unwrap();
    let text = squeeze(&page_texts(&cohort).join(" "));
    assert!(text.contains("2 candidats."), "{text}");
    assert!(text.contains("Taux de réussite"), "{text}");
    screenshots(&cohort, "pdf-cohort", 1);
    let _ = std::fs::remove_dir_all(&dir);
}
