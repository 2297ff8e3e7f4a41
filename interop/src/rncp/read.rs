//! Streams France Compétences' "export fiches RNCP" (XML 4.1, plain or in a
//! zip) one `FICHE` at a time: memory holds one fiche, whatever the size of
//! the export. Positions are byte offsets, turned into line and column only
//! when a message needs them (a second pass up to that offset).

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::error::{InteropError, Limit, RncpProblem};

/// The only version of the export this reader knows.
pub const VERSION: &str = "4.1";

/// A zip entry may inflate to this many times its compressed size (XML
/// compresses about ten times; a zip bomb a thousand times and more)…
pub const INFLATE_RATIO: u64 = 100;
/// …and at least to this, whatever its compressed size…
pub const INFLATE_FLOOR: u64 = 64 << 20;
/// …but never beyond this.
pub const INFLATE_MOST: u64 = 16 << 30;
/// The bytes a fiche may hold (real fiches: a few hundred kilobytes); also
/// the most read between two element ends outside a fiche, so no single
/// token is larger.
pub const FICHE_BYTES: u64 = 16 << 20;
/// The longest text of one field.
pub const TEXT_BYTES: usize = 4 << 20;
/// The deepest nesting of elements followed.
pub const DEPTH: usize = 256;

/// A budget exceeded while reading, carried by an I/O error through the
/// XML reader to be reported as [`RncpProblem::OverLimit`].
#[derive(Debug)]
struct Exceeded(Limit);

impl std::fmt::Display for Exceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Exceeded {}

fn exceeded(limit: Limit) -> std::io::Error {
    std::io::Error::other(Exceeded(limit))
}

/// The budget an I/O error reports, if it is one.
fn limit_of(e: &quick_xml::Error) -> Option<Limit> {
    match e {
        quick_xml::Error::Io(io) => io
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<Exceeded>())
            .map(|x| x.0),
        _ => None,
    }
}

/// A zip entry's bytes, counted as they inflate: past the budget, an error.
struct Inflated<R> {
    inner: R,
    read: u64,
    budget: u64,
    limit: Limit,
}

impl<R: Read> Inflated<R> {
    fn new(inner: R, compressed: u64) -> Self {
        let budget = compressed
            .saturating_mul(INFLATE_RATIO)
            .clamp(INFLATE_FLOOR, INFLATE_MOST);
        Inflated {
            inner,
            read: 0,
            budget,
            limit: Limit::Decompressed {
                compressed,
                ratio: INFLATE_RATIO,
                floor: INFLATE_FLOOR,
                most: INFLATE_MOST,
            },
        }
    }
}

impl<R: Read> Read for Inflated<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.read > self.budget {
            return Err(exceeded(self.limit));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.budget {
            return Err(exceeded(self.limit));
        }
        Ok(n)
    }
}

/// The XML as the reader consumes it, counted: more than [`FICHE_BYTES`]
/// since the mark (the start of the fiche being read, else the end of the
/// last element) is an error, before the bytes are buffered.
struct Metered<'a> {
    inner: &'a mut dyn BufRead,
    consumed: u64,
    mark: u64,
}

impl Read for Metered<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Metered<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.consumed.saturating_sub(self.mark) > FICHE_BYTES {
            return Err(exceeded(Limit::Fiche { bytes: FICHE_BYTES }));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.consumed += amount as u64;
        self.inner.consume(amount);
    }
}

/// Where the XML is: a file, or an entry of a zip archive.
pub enum Input {
    Xml(PathBuf),
    Zip {
        path: PathBuf,
        entry: usize,
        name: String,
    },
}

#[derive(Default, Debug)]
pub struct Fiche {
    pub offset: u64,
    pub number: String,
    pub title: String,
    pub state: String,
    pub active: String,
    pub level: String,
    pub date_effet: String,
    pub date_fin: String,
    pub certificateurs: Vec<String>,
    pub blocs: Vec<Bloc>,
    /// `CAPACITES_ATTESTEES`: the competencies of a fiche without blocs
    /// (the RS fiches of the 4.1 export), as HTML or plain text.
    pub capacites: String,
    /// `ELEMENT: text` for each text under `CORRESPONDANCES`.
    pub correspondances: Vec<String>,
}

#[derive(Default, Debug)]
pub struct Bloc {
    pub offset: u64,
    pub code: String,
    pub label: String,
    pub competences: String,
    pub modalites: String,
}

/// A problem at a byte offset of the XML.
pub struct XmlError {
    pub offset: u64,
    pub problem: RncpProblem,
}

/// An `.xml` entry that may be the export: not macOS's resource forks
/// (`__MACOSX/…`, `._name.xml`).
fn is_candidate(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    name.to_ascii_lowercase().ends_with(".xml")
        && !name.starts_with("__MACOSX/")
        && !file.starts_with("._")
}

/// Whether the entry's root element is `<FICHES>`: read from its first
/// few kilobytes, past the declaration, comments and doctype.
fn root_is_fiches(archive: &mut zip::ZipArchive<File>, name: &str) -> bool {
    let Ok(entry) = archive.by_name(name) else {
        return false;
    };
    let mut xml = Reader::from_reader(BufReader::new(entry.take(1 << 16)));
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => return e.name().as_ref() == b"FICHES",
            Ok(Event::Eof) | Err(_) => return false,
            Ok(_) => {}
        }
    }
}

impl Input {
    /// Opens `path`, recognising a zip archive by its signature.
    pub fn open(path: &Path) -> Result<Input, InteropError> {
        // From the metadata, before opening: opening a FIFO blocks, and a
        // device (`/dev/zero`) never ends.
        let meta = std::fs::metadata(path).map_err(|source| InteropError::Unreadable {
            path: path.to_path_buf(),
            source,
        })?;
        if meta.is_dir() {
            return Err(InteropError::IsDirectory {
                path: path.to_path_buf(),
            });
        }
        if !meta.is_file() {
            return Err(InteropError::NotAFile {
                path: path.to_path_buf(),
            });
        }
        let mut file = File::open(path).map_err(|source| InteropError::Unreadable {
            path: path.to_path_buf(),
            source,
        })?;
        let mut magic = [0u8; 4];
        let n = file.read(&mut magic).unwrap_or(0);
        if n == 4 && magic == *b"PK\x03\x04" {
            let mut archive =
                zip::ZipArchive::new(file).map_err(|source| InteropError::NotAZip {
                    path: path.to_path_buf(),
                    source,
                })?;
            let mut names: Vec<String> = archive
                .file_names()
                .filter(|name| is_candidate(name))
                .map(str::to_string)
                .collect();
            names.sort();
            // The entry that is an RNCP export (root <FICHES>), else the
            // first by name, whose root element the reader then reports.
            let found = names
                .iter()
                .find(|name| root_is_fiches(&mut archive, name))
                .or_else(|| names.first())
                .cloned();
            let no_xml = || InteropError::NoXmlInZip {
                path: path.to_path_buf(),
            };
            let name = found.ok_or_else(no_xml)?;
            let entry = archive.index_for_name(&name).ok_or_else(no_xml)?;
            return Ok(Input::Zip {
                path: path.to_path_buf(),
                entry,
                name,
            });
        }
        Ok(Input::Xml(path.to_path_buf()))
    }

    /// How messages name it: `export.xml`, or `export.zip!fiches.xml`.
    pub fn display(&self) -> String {
        match self {
            Input::Xml(path) => path.display().to_string(),
            Input::Zip { path, name, .. } => format!("{}!{name}", path.display()),
        }
    }

    /// Runs `f` on a buffered reader of the XML text.
    pub fn with_reader<T>(&self, f: impl FnOnce(&mut dyn BufRead) -> T) -> Result<T, InteropError> {
        let open = |path: &Path| {
            File::open(path).map_err(|source| InteropError::Unreadable {
                path: path.to_path_buf(),
                source,
            })
        };
        match self {
            Input::Xml(path) => Ok(f(&mut BufReader::with_capacity(1 << 16, open(path)?))),
            Input::Zip { path, entry, .. } => {
                let mut archive =
                    zip::ZipArchive::new(open(path)?).map_err(|source| InteropError::NotAZip {
                        path: path.clone(),
                        source,
                    })?;
                let result = match archive.by_index(*entry) {
                    Ok(entry) => {
                        let compressed = entry.compressed_size();
                        let mut inflated = Inflated::new(entry, compressed);
                        Ok(f(&mut BufReader::with_capacity(1 << 16, &mut inflated)))
                    }
                    Err(source) => Err(InteropError::ZipEntryUnreadable {
                        entry: self.display(),
                        source,
                    }),
                };
                result
            }
        }
    }

    /// Line and column (in characters, 1-based) of a byte offset.
    pub fn locate(&self, offset: u64) -> (usize, usize) {
        self.with_reader(|reader| {
            let (mut line, mut column, mut seen) = (1usize, 1usize, 0u64);
            let mut buf = [0u8; 1 << 16];
            while seen < offset {
                let Ok(n) = reader.read(&mut buf) else { break };
                if n == 0 {
                    break;
                }
                let take = usize::try_from((offset - seen).min(n as u64)).unwrap_or(n);
                for &b in buf.iter().take(take) {
                    if b == b'\n' {
                        line += 1;
                        column = 1;
                    } else if b & 0xC0 != 0x80 {
                        column += 1;
                    }
                }
                seen += take as u64;
            }
            (line, column)
        })
        .unwrap_or((0, 0))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Version,
    Number,
    Title,
    State,
    Active,
    Level,
    DateEffet,
    DateFin,
    Certificateur,
    Code,
    Label,
    Competences,
    Modalites,
    Capacites,
    Correspondance,
}

impl Field {
    /// Fields whose content is HTML: child elements are kept as markup.
    fn is_html(self) -> bool {
        matches!(
            self,
            Field::Competences | Field::Modalites | Field::Capacites
        )
    }
}

fn field(stack: &[Vec<u8>]) -> Option<Field> {
    let last = |n: usize| {
        stack
            .len()
            .checked_sub(n)
            .and_then(|i| stack.get(i))
            .map(Vec::as_slice)
    };
    let (parent, name) = (last(2)?, last(1)?);
    // Everything under `CORRESPONDANCES` is a correspondance, the
    // `BLOC_COMPETENCES` it names included (the 4.1 export names blocs of
    // this fiche and of another there: they are not this fiche's blocs).
    if stack.iter().any(|s| s.as_slice() == b"CORRESPONDANCES") {
        return (name != b"CORRESPONDANCES").then_some(Field::Correspondance);
    }
    Some(match (parent, name) {
        (b"FICHES", b"VERSION_FLUX") => Field::Version,
        (b"FICHE", b"NUMERO_FICHE") => Field::Number,
        (b"FICHE", b"INTITULE") => Field::Title,
        (b"FICHE", b"ETAT_FICHE") => Field::State,
        (b"FICHE", b"ACTIF") => Field::Active,
        (b"NOMENCLATURE_EUROPE", b"NIVEAU") => Field::Level,
        (b"FICHE", b"DATE_EFFET") => Field::DateEffet,
        (b"FICHE", b"DATE_FIN_ENREGISTREMENT") => Field::DateFin,
        (b"FICHE", b"CAPACITES_ATTESTEES") => Field::Capacites,
        (b"CERTIFICATEUR", b"NOM_CERTIFICATEUR") => Field::Certificateur,
        (b"BLOC_COMPETENCES", b"CODE") => Field::Code,
        (b"BLOC_COMPETENCES", b"LIBELLE") => Field::Label,
        (b"BLOC_COMPETENCES", b"LISTE_COMPETENCES") => Field::Competences,
        (b"BLOC_COMPETENCES", b"MODALITES_EVALUATION") => Field::Modalites,
        _ => return None,
    })
}

/// Reads every fiche, giving each to `visit` as soon as it is closed;
/// `visit` stops the reading by returning `Break`.
pub fn fiches(
    reader: &mut dyn BufRead,
    visit: &mut dyn FnMut(Fiche) -> ControlFlow<()>,
) -> Result<(), XmlError> {
    let mut xml = Reader::from_reader(Metered {
        inner: reader,
        consumed: 0,
        mark: 0,
    });
    xml.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut fiche: Option<Fiche> = None;
    let mut bloc: Option<Bloc> = None;
    // The field being read: which, the depth of its element, its text.
    let mut capture: Option<(Field, usize, String)> = None;
    let mut version: Option<String> = None;
    let error = |xml: &Reader<Metered<'_>>, problem: RncpProblem| XmlError {
        offset: xml
            .error_position()
            .max(xml.buffer_position().saturating_sub(1)),
        problem,
    };
    loop {
        crate::work::step();
        let before = xml.buffer_position();
        // Outside a fiche, the budget counts from here.
        if fiche.is_none() {
            xml.get_mut().mark = before;
        }
        buf.clear();
        let event = match xml.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(e) => {
                let problem = match limit_of(&e) {
                    Some(limit) => RncpProblem::OverLimit(limit),
                    None => RncpProblem::MalformedXml(e),
                };
                return Err(XmlError {
                    offset: xml.error_position().max(before),
                    problem,
                });
            }
        };
        if let Some((_, _, text)) = &capture {
            if text.len() > TEXT_BYTES {
                return Err(XmlError {
                    offset: before,
                    problem: RncpProblem::OverLimit(Limit::Text { bytes: TEXT_BYTES }),
                });
            }
        }
        match event {
            Event::Start(e) => {
                if stack.len() >= DEPTH {
                    return Err(XmlError {
                        offset: before,
                        problem: RncpProblem::OverLimit(Limit::Depth { depth: DEPTH }),
                    });
                }
                let name = e.name().as_ref().to_vec();
                if let Some((f, depth, text)) = &mut capture {
                    if f.is_html() && stack.len() >= *depth {
                        text.push('<');
                        text.push_str(&String::from_utf8_lossy(&name));
                        text.push('>');
                        stack.push(name);
                        continue;
                    }
                }
                if stack.is_empty() && name != b"FICHES" {
                    return Err(XmlError {
                        offset: before,
                        problem: RncpProblem::NotFiches {
                            root: String::from_utf8_lossy(&name).into_owned(),
                        },
                    });
                }
                match name.as_slice() {
                    b"FICHE" if stack.len() == 1 => {
                        if version.is_none() {
                            return Err(XmlError {
                                offset: before,
                                problem: RncpProblem::NoVersion,
                            });
                        }
                        fiche = Some(Fiche {
                            offset: before,
                            ..Fiche::default()
                        });
                        xml.get_mut().mark = before;
                    }
                    // A bloc of the fiche: under `BLOCS_COMPETENCES`, not
                    // one a correspondance names.
                    b"BLOC_COMPETENCES"
                        if stack
                            .last()
                            .is_some_and(|p| p.as_slice() == b"BLOCS_COMPETENCES") =>
                    {
                        bloc = Some(Bloc {
                            offset: before,
                            ..Bloc::default()
                        })
                    }
                    _ => {}
                }
                stack.push(name);
                if let Some(f) = field(&stack) {
                    capture = Some((f, stack.len(), String::new()));
                }
            }
            Event::Empty(e) => {
                if let Some((f, _, text)) = &mut capture {
                    if f.is_html() {
                        text.push('<');
                        text.push_str(&String::from_utf8_lossy(e.name().as_ref()));
                        text.push_str("/>");
                    }
                }
            }
            Event::Text(t) => {
                if let Some((_, _, text)) = &mut capture {
                    match t.decode() {
                        Ok(s) => text.push_str(&s),
                        Err(e) => return Err(error(&xml, RncpProblem::NotUtf8(e))),
                    }
                }
            }
            Event::CData(t) => {
                if let Some((_, _, text)) = &mut capture {
                    text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, _, text)) = &mut capture {
                    let name = String::from_utf8_lossy(&r).into_owned();
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => match name.as_str() {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        },
                    };
                    match resolved {
                        Some(c) => text.push(c),
                        // An HTML entity (`&eacute;`): html_text decodes it.
                        None => {
                            text.push('&');
                            text.push_str(&name);
                            text.push(';');
                        }
                    }
                }
            }
            Event::End(e) => {
                let depth = stack.len();
                stack.pop();
                if let Some((f, field_depth, _)) = &mut capture {
                    if f.is_html() && depth > *field_depth {
                        if let Some((_, _, text)) = &mut capture {
                            text.push_str("</");
                            text.push_str(&String::from_utf8_lossy(e.name().as_ref()));
                            text.push('>');
                        }
                        continue;
                    }
                }
                if let Some((f, field_depth, text)) = capture.take() {
                    if field_depth == depth {
                        let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                        store(f, &name, text, &mut version, fiche.as_mut(), bloc.as_mut())
                            .map_err(|problem| XmlError {
                                offset: before,
                                problem,
                            })?;
                    } else {
                        capture = Some((f, field_depth, text));
                    }
                }
                match e.name().as_ref() {
                    b"BLOC_COMPETENCES"
                        if stack
                            .last()
                            .is_some_and(|p| p.as_slice() == b"BLOCS_COMPETENCES") =>
                    {
                        if let (Some(b), Some(f)) = (bloc.take(), fiche.as_mut()) {
                            f.blocs.push(b);
                        }
                    }
                    b"FICHE" if stack.len() == 1 => {
                        if let Some(f) = fiche.take() {
                            if visit(f).is_break() {
                                return Ok(());
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Decl(d) => {
                // Only UTF-8 is decoded (no encoding tables are built in):
                // another declared encoding would give garbled accents.
                if let Some(Ok(encoding)) = d.encoding() {
                    let name = String::from_utf8_lossy(&encoding).to_ascii_lowercase();
                    if name != "utf-8" && name != "utf8" {
                        return Err(XmlError {
                            offset: before,
                            problem: RncpProblem::Encoding {
                                declared: String::from_utf8_lossy(&encoding).into_owned(),
                            },
                        });
                    }
                }
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(XmlError {
                        offset: xml.buffer_position(),
                        problem: RncpProblem::Truncated {
                            open: String::from_utf8_lossy(open).into_owned(),
                        },
                    });
                }
                if version.is_none() {
                    return Err(XmlError {
                        offset: 0,
                        problem: RncpProblem::NoFiches,
                    });
                }
                return Ok(());
            }
            _ => {}
        }
    }
}

fn store(
    field: Field,
    element: &str,
    text: String,
    version: &mut Option<String>,
    fiche: Option<&mut Fiche>,
    bloc: Option<&mut Bloc>,
) -> Result<(), RncpProblem> {
    let trimmed = text.trim().to_string();
    if field == Field::Version {
        if trimmed != VERSION {
            return Err(RncpProblem::Version { found: trimmed });
        }
        *version = Some(trimmed);
        return Ok(());
    }
    if let Some(b) = bloc {
        match field {
            Field::Code => b.code = trimmed,
            Field::Label => b.label = trimmed,
            Field::Competences => b.competences = text,
            Field::Modalites => b.modalites = text,
            _ => {}
        }
        return Ok(());
    }
    let Some(f) = fiche else {
        return Ok(());
    };
    match field {
        Field::Number => f.number = trimmed,
        Field::Title => f.title = trimmed,
        Field::State => f.state = trimmed,
        Field::Active => f.active = trimmed,
        Field::Level => f.level = trimmed,
        Field::DateEffet => f.date_effet = trimmed,
        Field::DateFin => f.date_fin = trimmed,
        Field::Capacites => f.capacites = text,
        Field::Certificateur if !trimmed.is_empty() => f.certificateurs.push(trimmed),
        Field::Correspondance if !trimmed.is_empty() => {
            f.correspondances.push(format!("{element} : {trimmed}"))
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip entry is read up to its budget: a hundred times its
    /// compressed size, at least 64 MiB; past it, an error that says so.
    #[test]
    fn inflating_past_the_budget_is_an_error() {
        let inflated = Inflated::new(std::io::empty(), 1 << 20);
        assert_eq!(inflated.budget, 100 << 20);
        assert_eq!(Inflated::new(std::io::empty(), 10).budget, INFLATE_FLOOR);
        assert_eq!(
            Inflated::new(std::io::empty(), u64::MAX).budget,
            INFLATE_MOST
        );
        let mut small = Inflated::new(std::io::repeat(b'a').take(5000), 10);
        small.budget = 1000;
        let mut out = Vec::new();
        let error = small.read_to_end(&mut out).err();
        let limit = error
            .as_ref()
            .and_then(|e| e.get_ref())
            .and_then(|e| e.downcast_ref::<Exceeded>())
            .map(|x| x.0);
        assert!(matches!(
            limit,
            Some(Limit::Decompressed { compressed: 10, .. })
        ));
        assert!(out.len() <= 1000 + 8192);
        // Within the budget, everything is read.
        let mut fits = Inflated::new(std::io::repeat(b'a').take(5000), 10);
        assert_eq!(fits.read_to_end(&mut Vec::new()).ok(), Some(5000));
    }
}
