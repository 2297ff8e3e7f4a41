//! Streaming readers of candidates' grade files, for `acquis eval`.
//!
//! Three formats are read, all UTF-8 (a byte order mark at the start is
//! skipped):
//!
//! - **long CSV**: a header with `candidate`, `criterion` and `grade` columns
//!   (any order; other columns are metadata), then one row per grade. The rows
//!   of a candidate must be contiguous.
//! - **wide CSV**: a header `candidate,<criterion id>,<criterion id>,…`, then
//!   one row per candidate; an empty cell is a missing grade.
//! - **JSON Lines**: one object per line,
//!   `{"candidate": "…", "grades": {"<criterion id>": "acquis" | 14.5, …}, …}`;
//!   other keys are metadata.
//!
//! The readers are pure parsing: they know nothing about the referential, so
//! criterion ids and grade values are passed on as written (trimmed), for the
//! caller to validate. They stream: memory is bounded by the longest row (or
//! line) and the number of distinct candidates, never by the size of the file.
//! They never panic and never drop a row silently: every row that holds
//! anything ends up in a [`RawCandidate`] (as a grade or as an error) or in an
//! `Err` item. Rows whose cells are all blank, and blank lines, hold nothing and
//! are skipped.
//!
//! Lines are 1-based physical lines (the line where a row starts when a quoted
//! CSV field spans several lines). Columns are 1-based field positions in CSV
//! and 1-based character positions in JSON Lines.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use acquis_diagnostics::{text, Code, Text};

mod parts;
pub use parts::{PartReader, PART};

/// One grade as written in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawGrade {
    /// The criterion id, trimmed, not checked against the referential:
    /// a place in its candidate's [`Texts`] ([`RawCandidate::text`]).
    pub criterion: Term,
    /// The grade, trimmed: a string's value, or a JSON number's text (`14.50`
    /// stays `14.50`). A place in its candidate's [`Texts`] likewise.
    pub value: Term,
    pub line: usize,
    pub column: Option<usize>,
}

/// A text of a candidate's grades (a criterion id, a grade): its place in
/// the [`Texts`] of the candidate. Reading a grade allocates no text and
/// counts no reference: the candidates read together (a part of the file)
/// share one [`Texts`], each text kept once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Term(usize);

/// The texts the [`Term`]s of a candidate's grades stand for, shared by
/// the candidates read with it.
#[derive(Clone, Default)]
pub struct Texts(Arc<[Arc<str>]>);

impl Texts {
    /// Whether `self` and `other` are the very same texts: a term then
    /// stands for the same text in both.
    pub fn same(&self, other: &Texts) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    fn get(&self, term: Term) -> Option<&str> {
        self.0.get(term.0).map(|text| &**text)
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

/// A problem in the input, located, with its diagnostic code (one of
/// [`Code::GRADE_FILES`]: the file cannot be read, is empty, has a bad
/// header, text that is not UTF-8, a malformed row or line, a candidate in
/// two places).
#[derive(Clone, Debug)]
pub struct InputError {
    pub code: Code,
    /// 1-based line.
    pub line: usize,
    /// 1-based column where meaningful (CSV field, JSON character).
    pub column: Option<usize>,
    /// What is wrong, in the words of the diagnostics' catalogue.
    pub message: Text,
}

/// Two problems are the same when they say the same words at the same
/// place (a message may be made of parts or written whole).
impl PartialEq for InputError {
    fn eq(&self, other: &Self) -> bool {
        (self.code, self.line, self.column) == (other.code, other.line, other.column)
            && self.message.english() == other.message.english()
    }
}

impl Eq for InputError {}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self.message.english();
        match self.column {
            Some(column) => write!(f, "line {}, column {}: {message}", self.line, column),
            None => write!(f, "line {}: {message}", self.line),
        }
    }
}

/// Everything the input says about one candidate.
#[derive(Clone)]
pub struct RawCandidate {
    pub id: String,
    /// Line where the candidate first appears (1-based).
    pub line: usize,
    pub grades: Vec<RawGrade>,
    /// Other columns (assessor, date, a declared disability…), name → value,
    /// in column order. Personal data: the caller decides whether to show
    /// them.
    pub metadata: Vec<(String, String)>,
    /// Problems in this candidate's rows; the candidate is still reported.
    pub errors: Vec<InputError>,
    /// What the terms of its grades stand for.
    texts: Texts,
}

impl RawCandidate {
    /// A candidate with nothing read yet.
    pub fn new(id: &str, line: usize) -> RawCandidate {
        RawCandidate {
            id: id.to_owned(),
            line,
            grades: Vec::new(),
            metadata: Vec::new(),
            errors: Vec::new(),
            texts: Texts::default(),
        }
    }

    /// The text `term` of one of its grades stands for. Only its own
    /// grades' terms mean anything here: a term of another candidate read
    /// in another part stands for another text (or, past this table's
    /// end, for none: empty).
    pub fn text(&self, term: Term) -> &str {
        self.texts.get(term).unwrap_or_default()
    }

    /// The texts its grades' terms stand for.
    pub fn texts(&self) -> &Texts {
        &self.texts
    }

    /// Its grades as texts: criterion id, grade, line, column.
    pub fn grade_texts(&self) -> impl Iterator<Item = (&str, &str, usize, Option<usize>)> + '_ {
        self.grades
            .iter()
            .map(|g| (self.text(g.criterion), self.text(g.value), g.line, g.column))
    }
}

/// Two candidates are equal when they say the same: their grades are
/// compared as texts, wherever the texts are kept.
impl PartialEq for RawCandidate {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.line == other.line
            && self.metadata == other.metadata
            && self.errors == other.errors
            && self.grades.len() == other.grades.len()
            && self.grade_texts().eq(other.grade_texts())
    }
}

impl Eq for RawCandidate {}

impl fmt::Debug for RawCandidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grades: Vec<_> = self.grade_texts().collect();
        f.debug_struct("RawCandidate")
            .field("id", &self.id)
            .field("line", &self.line)
            .field("grades", &grades)
            .field("metadata", &self.metadata)
            .field("errors", &self.errors)
            .finish()
    }
}

/// The formats of grade files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// CSV, one row per grade: `candidate`, `criterion` and `grade` columns.
    LongCsv,
    /// CSV, one row per candidate: `candidate`, then one column per criterion.
    WideCsv,
    /// One JSON object per line, per candidate.
    JsonLines,
    /// A spreadsheet (`.xlsx`): its first sheet read as a wide grid, one
    /// row per candidate (what `acquis grid` writes). Read whole: a sheet
    /// holds at most 1,048,576 rows.
    Xlsx,
}

impl InputFormat {
    /// From the file extension: `.jsonl`/`.ndjson` → JsonLines; `.csv` → None
    /// (caller must sniff: see [`sniff_csv`]); others → None.
    pub fn from_extension(path: &Path) -> Option<InputFormat> {
        let extension = path.extension()?.to_str()?;
        if extension.eq_ignore_ascii_case("jsonl") || extension.eq_ignore_ascii_case("ndjson") {
            Some(InputFormat::JsonLines)
        } else if extension.eq_ignore_ascii_case("xlsx") {
            Some(InputFormat::Xlsx)
        } else {
            None
        }
    }
}

/// Decides long vs wide from a CSV header line: long when the header's columns
/// include `candidate`, `criterion` and `grade`; wide when the first column is
/// `candidate` and it is not long. Column names are trimmed and compared
/// exactly; a leading byte order mark is ignored.
pub fn sniff_csv(header: &str) -> Option<InputFormat> {
    let header = header.strip_prefix('\u{feff}').unwrap_or(header);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(header.as_bytes()))
        .from_reader(header.as_bytes());
    let mut record = csv::StringRecord::new();
    while let Ok(true) = reader.read_record(&mut record) {
        let names: Vec<&str> = record.iter().map(str::trim).collect();
        if names.iter().all(|name| name.is_empty()) {
            continue;
        }
        return if LONG_COLUMNS.iter().all(|column| names.contains(column)) {
            Some(InputFormat::LongCsv)
        } else if names.first() == Some(&CANDIDATE) {
            Some(InputFormat::WideCsv)
        } else {
            None
        };
    }
    None
}

/// The field separator of a CSV file, from its first line: `;` when it has
/// more semicolons than commas outside quotes (a spreadsheet saved as CSV
/// in French, where the comma is the decimal separator), else `,`.
pub fn delimiter(first_line: &[u8]) -> u8 {
    let (mut quoted, mut commas, mut semicolons) = (false, 0usize, 0usize);
    // The first line that holds something (blank lines may come first).
    let start = first_line
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(first_line.len());
    let line = first_line.get(start..).unwrap_or_default();
    for &b in line.iter().take_while(|&&b| b != b'\n') {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// A reader whose first line was read ahead (to find the CSV separator):
/// that line again, then the rest; a read error met while reading ahead
/// comes after the bytes read before it.
struct Peeked<R> {
    head: io::Cursor<Vec<u8>>,
    error: Option<io::Error>,
    inner: R,
}

impl<R: Read> Peeked<R> {
    fn new(mut inner: R) -> Peeked<R> {
        let mut head = Vec::new();
        let mut chunk = [0u8; 4096];
        let mut error = None;
        // Up to the end of the first line that holds something; each chunk
        // is looked at once.
        let mut content = false;
        let mut complete = false;
        while !complete && head.len() <= MAX_LINE {
            match inner.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => {
                    let new = chunk.get(..n).unwrap_or_default();
                    for &b in new {
                        if b == b'\n' && content {
                            complete = true;
                            break;
                        }
                        content |= !b.is_ascii_whitespace();
                    }
                    head.extend_from_slice(new);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    error = Some(e);
                    break;
                }
            }
        }
        Peeked {
            head: io::Cursor::new(head),
            error,
            inner,
        }
    }

    fn first_line(&self) -> &[u8] {
        self.head.get_ref()
    }
}

impl<R: Read> Read for Peeked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.head.read(buf)?;
        if n > 0 || buf.is_empty() {
            return Ok(n);
        }
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.inner.read(buf)
    }
}

/// A streaming reader: an iterator of candidates, in input order.
///
/// File-level problems are `Err(InputError)` items: after an empty file, a bad
/// header or a read error iteration stops; after a bad line it goes on. An
/// `Err` is yielded as soon as its line is read, so it may come before the
/// candidate that was being read around it (long CSV): sort by line if order
/// matters.
///
/// To report a candidate whose rows are not contiguous (long CSV) or who
/// appears twice (wide CSV, JSON Lines), the reader remembers the ids it has
/// seen, each with its first line: that memory grows with the number of
/// candidates, not with the number of rows.
pub fn read<R: Read>(reader: R, format: InputFormat) -> Candidates<R> {
    let reader = BomSkip::new(reader);
    let state = match format {
        InputFormat::LongCsv | InputFormat::WideCsv => State::Csv(Box::new(CsvState::new(
            reader,
            format == InputFormat::WideCsv,
        ))),
        InputFormat::JsonLines => State::Json(Box::new(JsonState::new(reader))),
        InputFormat::Xlsx => match xlsx_as_wide_csv(reader) {
            Ok(csv) => State::Xlsx(Box::new(CsvState::new(
                BomSkip::new(std::io::Cursor::new(csv)),
                true,
            ))),
            Err(e) => State::Failed(Some(e)),
        },
    };
    Candidates { state }
}

/// The first sheet of a workbook as the text of a wide CSV: a row per
/// row, numbers as their shortest decimal (`12.5`, `14`), empty cells
/// empty. Line numbers of problems are then the sheet's row numbers.
fn xlsx_as_wide_csv<R: Read>(reader: R) -> Result<Vec<u8>, InputError> {
    xlsx_within(reader, XLSX_BUDGET)
}

/// What a workbook may weigh, read whole: a file of more bytes, or whose
/// parts expand to more, is refused before it is unpacked (a zip bomb
/// would otherwise fill the memory). A hundred thousand candidates of the
/// seed, 115 grades each, are about 60 MB of sheet XML.
#[derive(Debug, Clone, Copy)]
struct XlsxBudget {
    file: u64,
    unpacked: u64,
}

const XLSX_BUDGET: XlsxBudget = XlsxBudget {
    file: 256 << 20,
    unpacked: 1 << 30,
};

fn xlsx_within<R: Read>(reader: R, budget: XlsxBudget) -> Result<Vec<u8>, InputError> {
    use calamine::{Data, Reader};
    let unreadable = |why: Text| error(Code::GradesUnreadable, 1, None, why);
    let mut bytes = Vec::new();
    reader
        .take(budget.file.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(text!("the workbook cannot be read: {reason}", reason = &e)))?;
    let too_large = |what: Text| {
        error(
            Code::GradesUnreadable,
            1,
            None,
            text!(
                "{what}: save the grades as CSV, which is read as a stream whatever its size",
                what = what
            ),
        )
    };
    if bytes.len() as u64 > budget.file {
        return Err(too_large(text!(
            "the workbook is larger than {max} MB",
            max = budget.file >> 20
        )));
    }
    // The sizes its parts declare in the central directory (written there
    // even when a part streams its own), summed before anything is
    // unpacked.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice()))
        .map_err(|e| unreadable(text!("not an .xlsx workbook: {reason}", reason = &e)))?;
    let mut unpacked: u64 = 0;
    for i in 0..archive.len() {
        let part = archive
            .by_index_raw(i)
            .map_err(|e| unreadable(text!("not an .xlsx workbook: {reason}", reason = &e)))?;
        unpacked = unpacked.saturating_add(part.size());
    }
    if unpacked > budget.unpacked {
        return Err(too_large(text!(
            "the workbook's parts expand to more than {max} MB",
            max = budget.unpacked >> 20
        )));
    }
    drop(archive);
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| unreadable(text!("not an .xlsx workbook: {reason}", reason = &e)))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable(text!("the workbook has no sheet")))?
        .map_err(|e| {
            unreadable(text!(
                "its first sheet cannot be read: {reason}",
                reason = &e
            ))
        })?;
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Rows above the used range are empty lines, so line numbers are the
    // sheet's row numbers.
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let first_column = range.start().map_or(0, |(_, column)| column as usize);
    for _ in 0..first_row {
        out.write_record(std::iter::empty::<&str>())
            .map_err(|e| unreadable(text!("{reason}", reason = &e)))?;
    }
    for row in range.rows() {
        let cells = std::iter::repeat_n(String::new(), first_column).chain(row.iter().map(
            |cell| match cell {
                Data::Empty => String::new(),
                Data::String(s) => s.clone(),
                Data::Float(f) => f.to_string(),
                Data::Int(i) => i.to_string(),
                Data::Bool(b) => b.to_string(),
                Data::DateTime(d) => d.to_string(),
                Data::DateTimeIso(d) | Data::DurationIso(d) => d.clone(),
                Data::Error(e) => format!("#{e}"),
            },
        ));
        out.write_record(cells)
            .map_err(|e| unreadable(text!("{reason}", reason = &e)))?;
    }
    out.into_inner()
        .map_err(|e| unreadable(text!("{reason}", reason = &e)))
}

/// The iterator returned by [`read`].
pub struct Candidates<R> {
    state: State<R>,
}

/// A workbook's first sheet, as the text of a wide CSV.
type Workbook = Peeked<BomSkip<std::io::Cursor<Vec<u8>>>>;

enum State<R> {
    Csv(Box<CsvState<Peeked<BomSkip<R>>>>),
    Json(Box<JsonState<BufReader<BomSkip<R>>>>),
    /// A workbook, read as a wide CSV.
    Xlsx(Box<CsvState<Workbook>>),
    /// A workbook that cannot be read: its one error, then nothing.
    Failed(Option<InputError>),
}

impl<R: Read> Iterator for Candidates<R> {
    type Item = Result<RawCandidate, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.state {
            State::Csv(state) => state.next_item(),
            State::Json(state) => state.next_item(),
            State::Xlsx(state) => state.next_item(),
            State::Failed(e) => e.take().map(Err),
        }
    }
}

impl<R: Read> std::iter::FusedIterator for Candidates<R> {}

type Item = Result<RawCandidate, InputError>;

const CANDIDATE: &str = "candidate";
const LONG_COLUMNS: [&str; 3] = [CANDIDATE, "criterion", "grade"];
fn empty_file() -> Text {
    text!("the file is empty")
}

fn header_needed() -> Text {
    text!("the header must have `candidate`, `criterion` and `grade` columns, or start with `candidate` for one row per candidate")
}

fn error(code: Code, line: usize, column: Option<usize>, message: Text) -> InputError {
    InputError {
        code,
        line,
        column,
        message,
    }
}

fn not_utf8(line: usize) -> Text {
    text!("line {line} is not UTF-8 text", line = line.to_string())
}

fn read_failed(line: usize, cause: &dyn fmt::Display) -> InputError {
    error(
        Code::GradesUnreadable,
        line,
        None,
        text!(
            "the file could not be read past this point: {cause}",
            cause = &cause
        ),
    )
}

/// Remembers the candidate ids already seen, with the line of their first
/// appearance. Bounded by the number of candidates.
#[derive(Default)]
struct Seen {
    first: HashMap<String, usize>,
    /// A part of a file read on its own ([`parts`]): nothing is
    /// remembered here; the whole file's ids are looked up when the parts
    /// are put back in order.
    deferred: bool,
}

impl Seen {
    fn deferred() -> Seen {
        Seen {
            first: HashMap::new(),
            deferred: true,
        }
    }

    /// Records `id` first seen at `line`, or returns the line where it was
    /// first seen.
    fn first_line(&mut self, id: &str, line: usize) -> Option<usize> {
        if self.deferred {
            return None;
        }
        match self.first.entry(id.to_owned()) {
            Entry::Occupied(entry) => Some(*entry.get()),
            Entry::Vacant(entry) => {
                entry.insert(line);
                None
            }
        }
    }
}

/// The texts of criterion ids and grades, kept once: a file repeats a few
/// hundred of them millions of times. Grades hold [`Term`]s, places in
/// the texts kept here, which go to the candidates as [`Texts`]:
///
/// - a **part** of a file ([`Interner::batch`]) keeps every text it meets
///   (a part is a few hundred kilobytes) and hands them, once, to all its
///   candidates at its end ([`Interner::seal_all`]);
/// - a file **read as a stream** hands each candidate, as it is read
///   ([`Interner::seal`]), the texts kept so far: the same [`Texts`] as the
///   candidate before when it met no new text, a copy when it did and
///   enough grades were read since the last copy, else the texts
///   themselves, the interner starting afresh. So the copies cost at most
///   [`COPY`] texts per grade read, and memory stays in proportion to the
///   grades.
///
/// Most texts are found without hashing: criterion ids come in the same
/// order candidate after candidate, so the id expected next in that order
/// is tried first ([`Interner::criterion`]); a grade is most often one of
/// the few last met ([`Interner::value`]).
struct Interner {
    set: rustc_hash::FxHashMap<Arc<str>, Term>,
    texts: Vec<Arc<str>>,
    /// Criterion ids in the order they were last met, and where the next
    /// one is expected.
    order: Vec<Term>,
    next: usize,
    /// The grades last met, the latest first.
    recent: [Option<Term>; RECENT],
    /// `None` for a part read whole: its texts are sealed at its end.
    stream: Option<Stream>,
}

/// What a stream's interner handed out last.
#[derive(Default)]
struct Stream {
    /// The texts handed out last (a copy of the first of `texts`).
    texts: Texts,
    /// Grades read since they were copied.
    grades: usize,
}

/// How many texts a stream's interner keeps at most: past that, it starts
/// afresh at the next candidate.
const INTERNED: usize = 4096;

/// How many texts a stream's interner may copy per grade read.
const COPY: usize = 4;

/// How many of the last grades are tried before hashing.
const RECENT: usize = 4;

/// The interner of a file read as a stream.
impl Default for Interner {
    fn default() -> Interner {
        Interner {
            stream: Some(Stream::default()),
            ..Interner::batch()
        }
    }
}

impl Interner {
    /// The interner of a part read whole.
    fn batch() -> Interner {
        Interner {
            set: rustc_hash::FxHashMap::default(),
            texts: Vec::new(),
            order: Vec::new(),
            next: 0,
            recent: [None; RECENT],
            stream: None,
        }
    }

    fn text(&self, term: Term) -> Option<&str> {
        self.texts.get(term.0).map(|text| &**text)
    }

    fn get(&mut self, text: &str) -> Term {
        if let Some(&term) = self.set.get(text) {
            return term;
        }
        let term = Term(self.texts.len());
        let text: Arc<str> = Arc::from(text);
        self.texts.push(Arc::clone(&text));
        self.set.insert(text, term);
        term
    }

    /// Forgets every text (they were handed out).
    fn restart_afresh(&mut self) {
        self.set.clear();
        self.texts.clear();
        self.order.clear();
        self.next = 0;
        self.recent = [None; RECENT];
    }

    /// A new candidate's grades begin: its first criterion id is expected
    /// to be the last candidate's first.
    fn restart(&mut self) {
        self.next = 0;
    }

    /// A criterion id: the one expected next, the one after it (a row
    /// left out), the first, or else from the set; the order is learnt as
    /// it goes.
    fn criterion(&mut self, text: &str) -> Term {
        for at in [self.next, self.next + 1, 0] {
            if let Some(&kept) = self.order.get(at) {
                if self.text(kept) == Some(text) {
                    self.next = at + 1;
                    return kept;
                }
            }
        }
        let kept = self.get(text);
        if let Some(slot) = self.order.get_mut(self.next) {
            *slot = kept;
        } else {
            self.order.push(kept);
        }
        self.next += 1;
        kept
    }

    /// A grade: one of the last met, or else from the set.
    fn value(&mut self, text: &str) -> Term {
        let found = self
            .recent
            .iter()
            .position(|kept| kept.and_then(|kept| self.text(kept)) == Some(text));
        // The latest goes to the front; a new one pushes out the last.
        let (end, term) =
            match found.and_then(|at| Some((at, self.recent.get(at).copied().flatten()?))) {
                Some((at, term)) => (at, term),
                None => {
                    let term = self.get(text);
                    if let Some(last) = self.recent.last_mut() {
                        *last = Some(term);
                    }
                    (RECENT - 1, term)
                }
            };
        if let Some(run) = self.recent.get_mut(..=end) {
            run.rotate_right(1);
        }
        term
    }

    /// Hands a candidate read from a stream, whole, the texts its grades'
    /// terms stand for. A part's candidates get theirs at its end
    /// ([`Interner::seal_all`]).
    fn seal(&mut self, candidate: &mut RawCandidate) {
        let Some(stream) = &mut self.stream else {
            return;
        };
        stream.grades = stream.grades.saturating_add(candidate.grades.len());
        let kept = self.texts.len();
        if stream.texts.len() != kept {
            if kept <= INTERNED && kept <= COPY.saturating_mul(stream.grades) {
                stream.texts = Texts(Arc::from(&self.texts[..]));
                stream.grades = 0;
            } else {
                candidate.texts = Texts(Arc::from(std::mem::take(&mut self.texts)));
                *stream = Stream::default();
                self.restart_afresh();
                return;
            }
        }
        candidate.texts = stream.texts.clone();
    }

    /// Hands every candidate of a part read whole the texts of the part.
    fn seal_all(&mut self, items: &mut [Item]) {
        if self.stream.is_some() {
            return;
        }
        let texts = Texts(Arc::from(std::mem::take(&mut self.texts)));
        self.restart_afresh();
        for candidate in items.iter_mut().flatten() {
            candidate.texts = texts.clone();
        }
    }
}

/// How a file says that a candidate appears twice.
#[derive(Clone, Copy)]
enum Repeat {
    /// Long CSV, the candidate id in this 1-based column.
    Rows(usize),
    /// Wide CSV.
    Row,
    /// JSON Lines.
    Line,
}

/// The error of candidate `id`, started at `line`, already met at `first`:
/// always its candidate's first error.
fn repeated(repeat: Repeat, id: &str, line: usize, first: usize) -> InputError {
    match repeat {
        Repeat::Rows(column) => error(
            Code::CandidateRepeated,
            line,
            Some(column),
            text!(
                "rows of candidate `{id}` are not contiguous: it already appeared at \
                 line {first}; sort the file by candidate",
                id = &id,
                first = &first
            ),
        ),
        Repeat::Row => error(
            Code::CandidateRepeated,
            line,
            Some(1),
            text!(
                "candidate `{id}` already appeared at line {first}; give each candidate one row",
                id = &id,
                first = &first
            ),
        ),
        Repeat::Line => error(
            Code::CandidateRepeated,
            line,
            Some(1),
            text!(
                "candidate `{id}` already appeared at line {first}; give each candidate one line",
                id = &id,
                first = &first
            ),
        ),
    }
}

// ---------------------------------------------------------------------------
// Byte order mark
// ---------------------------------------------------------------------------

const BOM: [u8; 3] = [0xef, 0xbb, 0xbf];

/// The longest line a grades file may have. Rows of a few kilobytes are
/// usual; memory is bounded by the longest row, so a file without line
/// breaks (a device such as `/dev/zero`, a binary file) is refused here
/// rather than read into memory whole.
pub const MAX_LINE: usize = 16 * 1024 * 1024;

/// Passes a reader through, without the UTF-8 byte order mark at its start,
/// and refuses a line longer than [`MAX_LINE`].
struct BomSkip<R> {
    inner: R,
    /// Bytes since the last line break.
    line_bytes: usize,
    head: [u8; 3],
    /// Bytes of `head` read so far (before the check), or to replay (after).
    head_len: usize,
    head_pos: usize,
    checked: bool,
}

impl<R> BomSkip<R> {
    fn new(inner: R) -> BomSkip<R> {
        BomSkip {
            inner,
            line_bytes: 0,
            head: [0; 3],
            head_len: 0,
            head_pos: 0,
            checked: false,
        }
    }
}

impl<R: Read> Read for BomSkip<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.read_through(buf)?;
        let read = buf.get(..n).unwrap_or_default();
        // The longest line this chunk ends or continues.
        let longest = match memchr::memchr(b'\n', read) {
            Some(first) => {
                let mut longest = self.line_bytes.saturating_add(first);
                let last = memchr::memrchr(b'\n', read).unwrap_or(first);
                // Lines between the first break and the last are shorter
                // than the chunk: only a chunk over the limit is looked at.
                if n > MAX_LINE {
                    let mut start = first + 1;
                    for i in memchr::memchr_iter(b'\n', read).skip(1) {
                        longest = longest.max(i - start);
                        start = i + 1;
                    }
                }
                self.line_bytes = n - (last + 1);
                longest.max(self.line_bytes)
            }
            None => {
                self.line_bytes = self.line_bytes.saturating_add(n);
                self.line_bytes
            }
        };
        if longest > MAX_LINE {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "a line longer than {} MiB: this is not a grades file (a device, or a binary file?)",
                    MAX_LINE / (1024 * 1024)
                ),
            ));
        }
        Ok(n)
    }
}

impl<R: Read> BomSkip<R> {
    fn read_through(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while !self.checked {
            let Some(rest) = self.head.get_mut(self.head_len..) else {
                self.checked = true;
                break;
            };
            if rest.is_empty() {
                self.checked = true;
                break;
            }
            match self.inner.read(rest) {
                Ok(0) => self.checked = true,
                Ok(n) => self.head_len += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
            if self.checked || self.head_len == BOM.len() {
                self.checked = true;
                if self.head.get(..self.head_len) == Some(&BOM[..]) {
                    self.head_len = 0;
                }
            }
        }
        if let Some(head) = self.head.get(self.head_pos..self.head_len) {
            if !head.is_empty() {
                let n = head.len().min(buf.len());
                if let (Some(to), Some(from)) = (buf.get_mut(..n), head.get(..n)) {
                    to.copy_from_slice(from);
                    self.head_pos += n;
                    return Ok(n);
                }
            }
        }
        self.inner.read(buf)
    }
}

// ---------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------

/// Notes where the line breaks (`\r`, `\n`) are in the bytes handed to the
/// CSV reader, to count lines. Only the breaks the CSV reader has not finished
/// with are kept: those of the current record and of the reader's buffer.
struct LineCounter<R> {
    inner: R,
    /// Bytes handed out so far.
    offset: u64,
    /// Offset of each `\r` or `\n` not yet counted, and whether it is `\n`.
    breaks: VecDeque<(u64, bool)>,
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let read = buf.get(..n).unwrap_or_default();
        for at in memchr::memchr2_iter(b'\n', b'\r', read) {
            let newline = read.get(at) == Some(&b'\n');
            self.breaks.push_back((self.offset + at as u64, newline));
        }
        self.offset += n as u64;
        Ok(n)
    }
}

struct CsvState<R> {
    reader: csv::Reader<LineCounter<R>>,
    /// `,` or `;`, found from the header.
    delimiter: u8,
    record: csv::ByteRecord,
    /// Bytes consumed by the CSV reader so far, and the line they end on.
    consumed: u64,
    line: usize,
    /// The last record read ended with a `\r` (its `\n` may follow).
    cr_end: bool,
    wide: bool,
    /// `None` until the header is read.
    layout: Option<Layout>,
    sink: Sink,
    done: bool,
}

#[derive(Clone)]
enum Layout {
    Long(LongLayout),
    /// Column names; the first is `candidate`, the others criterion ids.
    Wide(Vec<Arc<str>>),
}

#[derive(Clone)]
struct LongLayout {
    width: usize,
    candidate: usize,
    criterion: usize,
    grade: usize,
    /// Field index of each metadata column; names are in `Sink::metadata`.
    metadata: Vec<usize>,
}

/// Where rows end up: the candidate being read, and the items to yield.
#[derive(Default)]
struct Sink {
    current: Option<Building>,
    seen: Seen,
    interner: Interner,
    pending: VecDeque<Item>,
    /// Names of the metadata columns (long CSV).
    metadata: Vec<String>,
    /// How many grades the last candidate had: room for as many is made
    /// for the next one.
    grades: usize,
}

/// Joins the distinct values a long-CSV candidate's rows give one
/// metadata column.
pub const METADATA_SEPARATOR: &str = "; ";

/// A long-CSV candidate whose rows are still being read.
struct Building {
    candidate: RawCandidate,
    /// One slot per metadata column: every distinct value met, in the
    /// order of the rows (an assessor per criterion is common; none is
    /// dropped).
    metadata: Vec<Vec<String>>,
}

impl Sink {
    fn fail(&mut self, error: InputError) {
        self.pending.push_back(Err(error));
    }

    /// Attaches `error` to the current candidate if its id is `id`, or else
    /// yields it on its own.
    fn attach_or_fail(&mut self, id: Option<&str>, error: InputError) {
        match &mut self.current {
            Some(building) if Some(building.candidate.id.as_str()) == id => {
                building.candidate.errors.push(error);
            }
            _ => self.fail(error),
        }
    }

    /// Attaches `error` to candidate `id`: the one being read, or the last
    /// one already yielded with that id (a wide row), or else on its own.
    fn attach_to(&mut self, id: Option<&str>, error: InputError) {
        if let (Some(building), Some(id)) = (&mut self.current, id) {
            if building.candidate.id == id {
                building.candidate.errors.push(error);
                return;
            }
        }
        let yielded = self.pending.iter_mut().rev().find_map(|item| match item {
            Ok(candidate) if Some(candidate.id.as_str()) == id => Some(candidate),
            Ok(_) | Err(_) => None,
        });
        match yielded {
            Some(candidate) => candidate.errors.push(error),
            None => self.fail(error),
        }
    }

    /// The items of a part read whole, each candidate with its texts
    /// ([`Interner::seal_all`]).
    fn items(mut self) -> Vec<Item> {
        let mut items: Vec<Item> = self.pending.into_iter().collect();
        self.interner.seal_all(&mut items);
        items
    }

    fn flush(&mut self) {
        if let Some(building) = self.current.take() {
            let mut candidate = building.candidate;
            self.grades = candidate.grades.len();
            candidate.metadata = self
                .metadata
                .iter()
                .zip(building.metadata)
                .filter(|(_, values)| !values.is_empty())
                .map(|(name, values)| (name.clone(), values.join(METADATA_SEPARATOR)))
                .collect();
            self.interner.seal(&mut candidate);
            self.pending.push_back(Ok(candidate));
        }
    }

    /// The candidate `id`, started at `line` unless it is the current one,
    /// and the interner, told when a candidate starts.
    fn switch_to(
        &mut self,
        id: &str,
        line: usize,
        column: usize,
    ) -> (&mut Building, &mut Interner) {
        if self
            .current
            .as_ref()
            .is_some_and(|building| building.candidate.id != id)
        {
            self.flush();
        }
        if self.current.is_none() {
            self.interner.restart();
        }
        let seen = &mut self.seen;
        let slots = self.metadata.len();
        let grades = self.grades;
        let building = self.current.get_or_insert_with(|| {
            let mut candidate = RawCandidate::new(id, line);
            candidate.grades.reserve_exact(grades);
            if let Some(first) = seen.first_line(id, line) {
                candidate
                    .errors
                    .push(repeated(Repeat::Rows(column), id, line, first));
            }
            Building {
                candidate,
                metadata: vec![Vec::new(); slots],
            }
        });
        (building, &mut self.interner)
    }
}

impl<R: Read> CsvState<Peeked<BomSkip<R>>> {
    /// A whole file: the delimiter is found from its first line.
    fn new(reader: BomSkip<R>, wide: bool) -> CsvState<Peeked<BomSkip<R>>> {
        let peeked = Peeked::new(reader);
        let delimiter = delimiter(peeked.first_line());
        CsvState::with(peeked, delimiter, wide, 1, Sink::default())
    }
}

impl<R: Read> CsvState<R> {
    /// Reads `inner`, whose first byte is on `line`, with `delimiter`.
    fn with(inner: R, delimiter: u8, wide: bool, line: usize, sink: Sink) -> CsvState<R> {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(LineCounter {
                inner,
                offset: 0,
                breaks: VecDeque::new(),
            });
        CsvState {
            reader,
            delimiter,
            record: csv::ByteRecord::new(),
            consumed: 0,
            line,
            cr_end: false,
            wide,
            layout: None,
            sink,
            done: false,
        }
    }

    fn next_item(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.sink.pending.pop_front() {
                return Some(item);
            }
            if self.done {
                return None;
            }
            let mut record = std::mem::take(&mut self.record);
            match self.reader.read_byte_record(&mut record) {
                Ok(true) => {
                    let line = self.record_line();
                    let mut small = [None; FIELDS];
                    let mut large = Vec::new();
                    let fields = fields_of(&record, &mut small, &mut large);
                    if !self.stray_quote(line, fields) {
                        self.row(line, fields);
                    }
                }
                Ok(false) => {
                    self.done = true;
                    if self.layout.is_none() {
                        self.sink
                            .fail(error(Code::GradesEmpty, 1, None, empty_file()));
                    }
                    self.sink.flush();
                }
                Err(cause) => {
                    self.done = true;
                    // The line after the last record read: the `\n` of a
                    // record's `\r\n` is counted though the CSV reader has
                    // not taken it yet.
                    let crlf = self.cr_end
                        && self.reader.get_ref().breaks.front() == Some(&(self.consumed, true));
                    let line = self.line + usize::from(crlf);
                    if let Some(building) = &mut self.sink.current {
                        building.candidate.errors.push(error(Code::GradesUnreadable,
                            line,
                            None,
                            text!("this candidate's rows may be incomplete: the file could not be read further"),
                        ));
                    }
                    self.sink.fail(read_failed(line, &cause));
                    self.sink.flush();
                }
            }
            self.record = record;
        }
    }

    /// The line where the record just read starts.
    ///
    /// `csv::Position::line()` cannot be used: it is the line where the
    /// reader stood before skipping blank lines, so it is wrong after a blank
    /// line, and on every row of a file with CRLF line endings (the `\n` of
    /// a row's `\r\n` is skipped as a blank line before the next row).
    /// Instead, the bytes the CSV reader consumed for this record (from the end
    /// of the previous one to its own terminator) are looked at: the line
    /// breaks it skipped before the record, then all of them.
    fn record_line(&mut self) -> usize {
        let end = self.reader.position().byte();
        let mut leading = self.consumed;
        self.consumed = end;
        let mut start = self.line;
        let breaks = &mut self.reader.get_mut().breaks;
        self.cr_end = false;
        while let Some(&(offset, newline)) = breaks.front() {
            if offset >= end {
                break;
            }
            breaks.pop_front();
            self.cr_end = offset + 1 == end && !newline;
            if offset == leading {
                // A break before the record: the record starts after it.
                leading += 1;
                start += usize::from(newline);
            }
            self.line += usize::from(newline);
        }
        start
    }

    /// A quoted field that holds whole rows: a stray `"` (`"Sophie` in a
    /// metadata cell) opened a quoted text that swallowed the rows after
    /// it, up to the next `"` or the end of the file. Those rows are read
    /// back as rows, never lost, and every candidate involved gets an
    /// error (A0705) so that the jury checks them: the row that opened the
    /// quote, and each row found inside it. `false` (nothing done) for an
    /// ordinary record, or a quoted text over several lines that holds no
    /// row (a comment with line breaks).
    fn stray_quote(&mut self, line: usize, fields: &[Option<&str>]) -> bool {
        let Some(width) = self.width() else {
            return false;
        };
        let Some(k) = fields
            .iter()
            .position(|f| f.is_some_and(|f| f.contains('\n')))
        else {
            return false;
        };
        let Some(Some(text)) = fields.get(k) else {
            return false;
        };
        let mut segments: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
        // The last line inside the quote goes on after it: the fields that
        // follow the quoted one are the rest of that line.
        let rest: Vec<&str> = fields.iter().skip(k + 1).map(|f| f.unwrap_or("")).collect();
        let separator = char::from(self.delimiter).to_string();
        let last = match segments.pop() {
            Some(last) if rest.is_empty() => last.to_string(),
            Some(last) => format!("{last}{separator}{}", rest.join(&separator)),
            None => return false,
        };
        let first = segments.first().copied().unwrap_or("");
        let inside: Vec<String> = segments
            .iter()
            .skip(1)
            .map(|l| l.to_string())
            .chain(std::iter::once(last))
            .collect();
        let rows: Vec<Vec<String>> = inside
            .iter()
            .map(|l| split_row(l, self.delimiter))
            .collect();
        if !rows.iter().any(|r| r.len() == width) {
            return false;
        }
        let end = line + rows.len();
        let candidate = self.candidate_field();
        // The row that opened the quote, as far as it went.
        let mut opening: Vec<Option<&str>> = fields.iter().take(k).copied().collect();
        opening.push(Some(first.trim()));
        self.row(line, &opening);
        let id = opening
            .get(candidate)
            .copied()
            .flatten()
            .map(str::to_string);
        self.sink.attach_to(
            id.as_deref(),
            error(
                Code::MalformedRow,
                line,
                Some(k + 1),
                text!("a `\"` in field {k} opens a quoted text that runs to line {end} and holds {len} rows: \
                     they were read as rows, check them; a quote inside a field is written `\"\"`", k = k + 1, end = &end, len = &rows.len()),
            ),
        );
        for (i, row) in rows.iter().enumerate() {
            let at = line + 1 + i;
            let cells: Vec<Option<&str>> = row.iter().map(|c| Some(c.trim())).collect();
            self.row(at, &cells);
            let id = cells.get(candidate).copied().flatten().map(str::to_string);
            self.sink.attach_to(
                id.as_deref(),
                error(
                    Code::MalformedRow,
                    at,
                    None,
                    text!("this row was inside the quoted text opened at line {line} (a stray `\"`?): \
                         read as a row, check it", line = &line),
                ),
            );
        }
        true
    }

    /// The number of fields a row has, once the header is read.
    fn width(&self) -> Option<usize> {
        match &self.layout {
            Some(Layout::Long(layout)) => Some(layout.width),
            Some(Layout::Wide(names)) => Some(names.len()),
            None => None,
        }
    }

    /// The field that holds the candidate id.
    fn candidate_field(&self) -> usize {
        match &self.layout {
            Some(Layout::Long(layout)) => layout.candidate,
            Some(Layout::Wide(_)) | None => 0,
        }
    }

    /// One record; `None` fields are not UTF-8, the others are trimmed.
    fn row(&mut self, line: usize, fields: &[Option<&str>]) {
        if fields.iter().all(|field| *field == Some("")) {
            return; // A blank row holds nothing.
        }
        match &self.layout {
            None => match header(line, fields, self.wide) {
                Ok((layout, metadata)) => {
                    self.layout = Some(layout);
                    self.sink.metadata = metadata;
                }
                Err(e) => {
                    self.sink.fail(e);
                    self.done = true;
                }
            },
            Some(Layout::Long(layout)) => long_row(layout, &mut self.sink, line, fields),
            Some(Layout::Wide(names)) => wide_row(names, &mut self.sink, line, fields),
        }
    }
}

/// Rows of up to this many fields are split without allocating.
const FIELDS: usize = 16;

impl CsvState<io::Cursor<Vec<u8>>> {
    /// Reads `bytes` (a part of a file, cut between records, whose first
    /// byte is on `line`) when the CSV reader's work is not needed: valid
    /// UTF-8 with no `\r`, each line a whole record (a quoted field is
    /// closed on its line). The rows are split with `memchr` (a part with
    /// quotes by [`CsvState::read_quoted`]) and handed to the same
    /// [`CsvState::row`]: the items are those [`CsvState::next_item`]
    /// gives, with the same lines and columns. `None` (nothing read) for
    /// any other part.
    fn read_plain(
        bytes: &[u8],
        line: usize,
        delimiter: u8,
        wide: bool,
        layout: Layout,
        sink: Sink,
    ) -> Option<Vec<Item>> {
        if memchr::memchr(b'\r', bytes).is_some() {
            return None;
        }
        let text = std::str::from_utf8(bytes).ok()?;
        let mut state = CsvState::with(io::Cursor::new(Vec::new()), delimiter, wide, line, sink);
        state.layout = Some(layout);
        // The fields of the current row, reused row after row.
        let mut fields: Vec<Option<&str>> = Vec::with_capacity(FIELDS);
        let mut line = line;
        if memchr::memchr(b'"', bytes).is_some() {
            return Self::read_quoted(state, text, line, delimiter);
        }
        // Where the current field starts.
        let mut start = 0;
        for end in memchr::memchr2_iter(delimiter, b'\n', bytes) {
            fields.push(text.get(start..end).map(trim));
            start = end + 1;
            if bytes.get(end) == Some(&b'\n') {
                // An empty line is no record for the CSV reader; here it is
                // one empty field, which `row` skips as a blank row.
                state.row(line, &fields);
                fields.clear();
                line += 1;
            }
        }
        // A last row without a line break (`a,b,` too).
        if start < bytes.len() || !fields.is_empty() {
            fields.push(text.get(start..).map(trim));
            state.row(line, &fields);
        }
        state.sink.flush();
        Some(state.sink.items())
    }

    /// [`CsvState::read_plain`] of a part with quotes, each line a whole
    /// record: one pass over its delimiters and line breaks
    /// (`memchr2_iter`), as for a part without quotes, and a search for
    /// the closing quote of each field that starts with one. A quoted
    /// field is the text between its quotes, borrowed; a row with a `""`
    /// or text after a closing quote is split by [`line_fields`]. `None`
    /// when a quoted field goes on past its line (the CSV reader reads
    /// such a part).
    fn read_quoted(
        mut state: CsvState<io::Cursor<Vec<u8>>>,
        text: &str,
        mut line: usize,
        delimiter: u8,
    ) -> Option<Vec<Item>> {
        let bytes = text.as_bytes();
        let mut fields: Vec<Option<&str>> = Vec::with_capacity(FIELDS);
        let mut quoted = Vec::with_capacity(FIELDS);
        // Where the current field and row start.
        let (mut start, mut row) = (0, 0);
        // The row has a field only `line_fields` splits.
        let mut odd = false;
        // The text of the current field when it is quoted; delimiters and
        // line breaks before `inside` are in it.
        let mut closed = Self::quoted_field(bytes, start, &mut odd)?;
        let mut inside = closed.map_or(0, |(_, end)| end + 1);
        /// The current field, from `start` to `at`.
        fn field<'t>(
            text: &'t str,
            closed: Option<(usize, usize)>,
            odd: &mut bool,
            start: usize,
            at: usize,
        ) -> Option<&'t str> {
            let field = match closed {
                // Nothing after its closing quote.
                Some((a, b)) if b + 1 == at => text.get(a..b),
                Some(_) => {
                    *odd = true;
                    None
                }
                None => text.get(start..at),
            };
            field.map(trim)
        }
        for at in memchr::memchr2_iter(delimiter, b'\n', bytes) {
            if at < inside {
                if bytes.get(at) == Some(&b'\n') {
                    return None;
                }
                continue;
            }
            fields.push(field(text, closed, &mut odd, start, at));
            if bytes.get(at) == Some(&b'\n') {
                Self::quoted_row(
                    &mut state,
                    text.get(row..at)?,
                    line,
                    delimiter,
                    &fields,
                    odd,
                    &mut quoted,
                )?;
                fields.clear();
                odd = false;
                line += 1;
                row = at + 1;
            }
            start = at + 1;
            closed = Self::quoted_field(bytes, start, &mut odd)?;
            inside = closed.map_or(0, |(_, end)| end + 1);
        }
        // A last row without a line break (`a,b,` too).
        if row < bytes.len() {
            fields.push(field(text, closed, &mut odd, start, bytes.len()));
            Self::quoted_row(
                &mut state,
                text.get(row..)?,
                line,
                delimiter,
                &fields,
                odd,
                &mut quoted,
            )?;
        }
        state.sink.flush();
        Some(state.sink.items())
    }

    /// The field at `start` when it opens with a quote: the place of its
    /// text (after the opening quote, up to the closing one), `odd` set
    /// when it holds a `""`. `Some(None)` for a field without an opening
    /// quote; `None` when no quote closes it in `bytes`.
    fn quoted_field(bytes: &[u8], start: usize, odd: &mut bool) -> Option<Option<(usize, usize)>> {
        if bytes.get(start) != Some(&b'"') {
            return Some(None);
        }
        let mut from = start + 1;
        loop {
            let quote = from + memchr::memchr(b'"', bytes.get(from..)?)?;
            if bytes.get(quote + 1) == Some(&b'"') {
                *odd = true;
                from = quote + 2;
            } else {
                return Some(Some((start + 1, quote)));
            }
        }
    }

    /// One row of [`CsvState::read_quoted`]: its fields, or its text split
    /// by [`line_fields`] when it is `odd`.
    fn quoted_row<'t>(
        state: &mut CsvState<io::Cursor<Vec<u8>>>,
        row: &'t str,
        line: usize,
        delimiter: u8,
        fields: &[Option<&str>],
        odd: bool,
        quoted: &mut Vec<Cow<'t, str>>,
    ) -> Option<()> {
        if odd {
            line_fields(row, delimiter, quoted)?;
            let owned: Vec<Option<&str>> = quoted.iter().map(|f| Some(trim(f))).collect();
            state.row(line, &owned);
        } else {
            state.row(line, fields);
        }
        Some(())
    }
}

/// The fields of a line that holds a whole CSV record, by the csv crate's
/// rules: a `"` opens a quoted field at the start of a field only, `""`
/// inside it is a quote, what follows its closing quote belongs to the
/// field, and a `"` elsewhere is a character. `None` when a quoted field
/// is still open at the end of the line (the record goes on to the next).
/// Not the csv crate itself: building its reader for a line costs more
/// than reading the line.
pub(crate) fn line_fields<'t>(
    line: &'t str,
    delimiter: u8,
    fields: &mut Vec<Cow<'t, str>>,
) -> Option<()> {
    fields.clear();
    let bytes = line.as_bytes();
    let mut at = 0;
    loop {
        // A quoted field's text: borrowed from the line unless it holds a
        // `""` or text after its closing quote.
        let mut unquoted: Option<Cow<'t, str>> = None;
        if bytes.get(at) == Some(&b'"') {
            at += 1;
            let start = at;
            loop {
                let quote = at + position(bytes.get(at..)?, b'"')?;
                let piece = line.get(at..quote)?;
                at = quote + 1;
                let doubled = bytes.get(at) == Some(&b'"');
                unquoted = Some(match unquoted {
                    None if !doubled => Cow::Borrowed(line.get(start..quote)?),
                    None => Cow::Owned(piece.to_owned()),
                    Some(text) => {
                        let mut text = text.into_owned();
                        text.push_str(piece);
                        Cow::Owned(text)
                    }
                });
                if !doubled {
                    break;
                }
                if let Some(Cow::Owned(text)) = &mut unquoted {
                    text.push('"');
                }
                at += 1;
            }
        }
        let rest = bytes.get(at..).unwrap_or_default();
        let end = at + position(rest, delimiter).unwrap_or(rest.len());
        let tail = line.get(at..end)?;
        fields.push(match unquoted {
            Some(text) if tail.is_empty() => text,
            Some(text) => {
                let mut text = text.into_owned();
                text.push_str(tail);
                Cow::Owned(text)
            }
            None => Cow::Borrowed(tail),
        });
        if end >= bytes.len() {
            return Some(());
        }
        at = end + 1;
    }
}

/// Where `byte` first is in `bytes`: a plain loop, quicker than `memchr`
/// on the few bytes of a CSV field.
fn position(bytes: &[u8], byte: u8) -> Option<usize> {
    bytes.iter().position(|&b| b == byte)
}

/// A record's fields, trimmed; `None` for a field that is not UTF-8. In
/// `small` when they fit, else in `large`.
fn fields_of<'r>(
    record: &'r csv::ByteRecord,
    small: &'r mut [Option<&'r str>; FIELDS],
    large: &'r mut Vec<Option<&'r str>>,
) -> &'r [Option<&'r str>] {
    // The whole record checked at once: each field is then text unless it
    // starts or ends inside a character.
    let whole = std::str::from_utf8(record.as_slice()).ok();
    let field = |i: usize| -> Option<&'r str> {
        let text = match whole {
            Some(whole) => whole.get(record.range(i)?)?,
            None => std::str::from_utf8(record.get(i)?).ok()?,
        };
        Some(trim(text))
    };
    if record.len() <= FIELDS {
        for (i, slot) in small.iter_mut().enumerate().take(record.len()) {
            *slot = field(i);
        }
        small.get(..record.len()).unwrap_or_default()
    } else {
        large.extend((0..record.len()).map(field));
        large
    }
}

/// `str::trim`, without its work when the text starts and ends with
/// printable ASCII (never white space).
fn trim(text: &str) -> &str {
    let printable = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x7f);
    let bytes = text.as_bytes();
    if printable(bytes.first()) && printable(bytes.last()) {
        text
    } else {
        text.trim()
    }
}

/// Reads the header: the layout and, for long CSV, the metadata column names.
fn header(
    line: usize,
    fields: &[Option<&str>],
    wide: bool,
) -> Result<(Layout, Vec<String>), InputError> {
    let Some(names) = fields.iter().copied().collect::<Option<Vec<&str>>>() else {
        let column = fields.iter().position(Option::is_none).map(|i| i + 1);
        return Err(error(Code::GradesNotUtf8, line, column, not_utf8(line)));
    };
    let needed = |detail: Text| {
        let tabs = matches!(names.as_slice(), [only] if only.contains('\t'));
        let message = if tabs {
            text!(
                "{needed}; {detail} (columns must be separated by commas or semicolons, and this header seems to use tabs)",
                needed = header_needed(),
                detail = detail
            )
        } else {
            text!(
                "{needed}; {detail}",
                needed = header_needed(),
                detail = detail
            )
        };
        error(Code::GradesHeader, line, None, message)
    };
    let position = |name: &str| names.iter().position(|n| *n == name);
    let layout = if wide {
        match names.first() {
            Some(&CANDIDATE) => {}
            first => {
                return Err(needed(text!(
                    "this header starts with `{first}`",
                    first = first.copied().unwrap_or_default()
                )))
            }
        }
        Layout::Wide(names.iter().map(|name| Arc::from(*name)).collect())
    } else {
        let found: Vec<Option<usize>> = LONG_COLUMNS.iter().map(|name| position(name)).collect();
        let (Some(&Some(candidate)), Some(&Some(criterion)), Some(&Some(grade))) =
            (found.first(), found.get(1), found.get(2))
        else {
            let missing: Vec<Text> = LONG_COLUMNS
                .iter()
                .zip(&found)
                .filter(|(_, at)| at.is_none())
                .map(|(name, _)| text!("`{keyword}`", keyword = name))
                .collect();
            let list = Text::list_or(missing);
            return Err(needed(text!(
                "this header has no {list} column",
                list = list
            )));
        };
        Layout::Long(LongLayout {
            width: names.len(),
            candidate,
            criterion,
            grade,
            metadata: (0..names.len())
                .filter(|i| ![candidate, criterion, grade].contains(i))
                .collect(),
        })
    };
    let mut columns: HashMap<&str, usize> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            return Err(error(
                Code::GradesHeader,
                line,
                Some(i + 1),
                text!("column {i} of the header has no name", i = i + 1),
            ));
        }
        if let Some(first) = columns.insert(name, i + 1) {
            return Err(error(
                Code::GradesHeader,
                line,
                Some(i + 1),
                text!(
                    "column `{name}` appears twice in the header (columns {first} and {i})",
                    name = &name,
                    first = &first,
                    i = i + 1
                ),
            ));
        }
    }
    let metadata = match &layout {
        Layout::Long(long) => long
            .metadata
            .iter()
            .filter_map(|&i| names.get(i).map(|name| (*name).to_owned()))
            .collect(),
        Layout::Wide(_) => Vec::new(),
    };
    Ok((layout, metadata))
}

/// One line of CSV text (no line break) as its fields, quotes handled.
pub(crate) fn split_row(line: &str, delimiter: u8) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(line.as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(str::to_string).collect(),
        Ok(false) | Err(_) => vec![line.to_string()],
    }
}

fn long_row(layout: &LongLayout, sink: &mut Sink, line: usize, fields: &[Option<&str>]) {
    let field = |i: usize| fields.get(i).copied().flatten();
    let id = field(layout.candidate);
    if fields.len() != layout.width {
        let message = text!(
            "this row has {fields} fields but the header has {width}",
            fields = fields.len(),
            width = layout.width
        );
        sink.attach_or_fail(id, error(Code::MalformedRow, line, None, message));
        return;
    }
    let id = match id {
        Some("") => {
            let message = text!("the candidate id is empty");
            sink.fail(error(
                Code::MalformedRow,
                line,
                Some(layout.candidate + 1),
                message,
            ));
            return;
        }
        Some(id) => id,
        None => {
            sink.fail(error(
                Code::GradesNotUtf8,
                line,
                Some(layout.candidate + 1),
                not_utf8(line),
            ));
            return;
        }
    };
    let (building, interner) = sink.switch_to(id, line, layout.candidate + 1);
    let grade = match (field(layout.criterion), field(layout.grade)) {
        (Some(criterion), Some(value)) if !criterion.is_empty() && !value.is_empty() => {
            Some((interner.criterion(criterion), interner.value(value)))
        }
        _ => None,
    };
    for (slot, &i) in building.metadata.iter_mut().zip(&layout.metadata) {
        match field(i) {
            // An empty cell adds nothing once the column has a value.
            Some("") if !slot.is_empty() => {}
            Some(value) if !slot.iter().any(|v| v == value) => {
                if slot.first().is_some_and(String::is_empty) {
                    slot.clear();
                }
                slot.push(value.to_owned());
            }
            _ => {}
        }
    }
    let errors = &mut building.candidate.errors;
    if let Some(i) = fields.iter().position(Option::is_none) {
        errors.push(error(
            Code::GradesNotUtf8,
            line,
            Some(i + 1),
            not_utf8(line),
        ));
    }
    match (field(layout.criterion), field(layout.grade)) {
        (Some(""), _) => errors.push(error(
            Code::MalformedRow,
            line,
            Some(layout.criterion + 1),
            text!("the criterion is empty"),
        )),
        (Some(criterion), Some("")) => errors.push(error(
            Code::MalformedRow,
            line,
            Some(layout.grade + 1),
            text!(
                "empty grade for `{criterion}`: write the grade, or remove the row",
                criterion = &criterion
            ),
        )),
        (Some(_), Some(_)) => {
            if let Some((criterion, value)) = grade {
                building.candidate.grades.push(RawGrade {
                    criterion,
                    value,
                    line,
                    column: Some(layout.grade + 1),
                });
            }
        }
        _ => {} // A cell that is not UTF-8: reported above.
    }
}

fn wide_row(names: &[Arc<str>], sink: &mut Sink, line: usize, fields: &[Option<&str>]) {
    let id = match fields.first().copied().flatten() {
        Some("") => {
            return sink.fail(error(
                Code::MalformedRow,
                line,
                Some(1),
                text!("the candidate id is empty"),
            ))
        }
        Some(id) => id,
        None => return sink.fail(error(Code::GradesNotUtf8, line, Some(1), not_utf8(line))),
    };
    let mut candidate = RawCandidate::new(id, line);
    if let Some(first) = sink.seen.first_line(id, line) {
        candidate
            .errors
            .push(repeated(Repeat::Row, id, line, first));
    }
    sink.interner.restart();
    if fields.len() == names.len() {
        let mut utf8_reported = false;
        for (i, (name, field)) in names.iter().zip(fields).enumerate().skip(1) {
            match field {
                None if !utf8_reported => {
                    utf8_reported = true;
                    candidate.errors.push(error(
                        Code::GradesNotUtf8,
                        line,
                        Some(i + 1),
                        not_utf8(line),
                    ));
                }
                None | Some("") => {}
                Some(value) => candidate.grades.push(RawGrade {
                    criterion: sink.interner.criterion(name),
                    value: sink.interner.value(value),
                    line,
                    column: Some(i + 1),
                }),
            }
        }
    } else {
        candidate.errors.push(error(
            Code::MalformedRow,
            line,
            None,
            text!(
                "this row has {len} fields but the header has {len2}",
                len = &fields.len(),
                len2 = &names.len()
            ),
        ));
    }
    sink.interner.seal(&mut candidate);
    sink.pending.push_back(Ok(candidate));
}

// ---------------------------------------------------------------------------
// JSON Lines
// ---------------------------------------------------------------------------

struct JsonState<B> {
    reader: B,
    buffer: Vec<u8>,
    line: usize,
    seen: Seen,
    interner: Interner,
    /// Whether a non-blank line was met.
    content: bool,
    /// A part of a file ([`parts`]): its end is not the file's, and says
    /// nothing of an empty file.
    part: bool,
    done: bool,
}

impl<R: Read> JsonState<BufReader<BomSkip<R>>> {
    fn new(reader: BomSkip<R>) -> JsonState<BufReader<BomSkip<R>>> {
        JsonState::with(BufReader::new(reader), 1, Seen::default())
    }
}

impl<B: BufRead> JsonState<B> {
    /// Reads `reader`, whose first byte is on `line`.
    fn with(reader: B, line: usize, seen: Seen) -> JsonState<B> {
        JsonState {
            reader,
            buffer: Vec::new(),
            line: line.saturating_sub(1),
            seen,
            interner: Interner::default(),
            content: false,
            part: false,
            done: false,
        }
    }

    fn next_item(&mut self) -> Option<Item> {
        while !self.done {
            self.buffer.clear();
            match self.reader.read_until(b'\n', &mut self.buffer) {
                Ok(0) => {
                    self.done = true;
                    if !self.content && !self.part {
                        return Some(Err(error(Code::GradesEmpty, 1, None, empty_file())));
                    }
                }
                Ok(_) => {
                    self.line += 1;
                    let bytes = self.buffer.strip_suffix(b"\n").unwrap_or(&self.buffer);
                    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
                    match std::str::from_utf8(bytes) {
                        Ok(text) if text.trim().is_empty() => {}
                        Ok(text) => {
                            self.content = true;
                            return Some(json_line(
                                text,
                                self.line,
                                &mut self.seen,
                                &mut self.interner,
                            ));
                        }
                        Err(e) => {
                            self.content = true;
                            let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
                            let column = char_column(valid, valid.len());
                            let e = error(
                                Code::GradesNotUtf8,
                                self.line,
                                Some(column),
                                not_utf8(self.line),
                            );
                            return Some(json_not_utf8(bytes, e, &mut self.seen));
                        }
                    }
                }
                Err(cause) => {
                    self.done = true;
                    return Some(Err(read_failed(self.line + 1, &cause)));
                }
            }
        }
        None
    }
}

/// 1-based character column of byte offset `at` in `text`.
fn char_column(text: &[u8], at: usize) -> usize {
    let before = text.get(..at).unwrap_or(text);
    before.iter().filter(|&&b| b & 0xc0 != 0x80).count() + 1
}

fn json_line(text: &str, line: usize, seen: &mut Seen, interner: &mut Interner) -> Item {
    interner.restart();
    // One pass for the lines it vouches for (nearly all); the others are
    // checked by serde_json first, for its errors at its places.
    let read = match Strict::new(text).line() {
        Some(read) => read,
        None => {
            if let Err(e) = serde_json::from_str::<Valid>(text) {
                let full = e.to_string();
                let suffix = format!(" at line {} column {}", e.line(), e.column());
                let message = full.strip_suffix(&suffix).unwrap_or(&full);
                let column = char_column(text.as_bytes(), e.column().saturating_sub(1));
                return Err(error(
                    Code::MalformedRow,
                    line,
                    Some(column),
                    text!("this line is not valid JSON: {message}", message = &message),
                ));
            }
            let Some(members) = Scanner::new(text).object() else {
                return Err(error(
                    Code::MalformedRow,
                    line,
                    Some(1),
                    text!(
                        "each line must be a JSON object like {{\"candidate\": \"…\", \"grades\": {{…}}}}"
                    ),
                ));
            };
            Line {
                members,
                grades: None,
            }
        }
    };
    match json_candidate(text, line, seen, interner, read) {
        Some(Ok(mut candidate)) => {
            interner.seal(&mut candidate);
            Ok(candidate)
        }
        Some(item) => item,
        // Not reached: the scanner reads any text that serde_json accepts.
        None => Err(error(
            Code::MalformedRow,
            line,
            None,
            text!("this line could not be read"),
        )),
    }
}

/// Valid JSON, checked without building its value: what reading a
/// `serde_json::Value` checks (numbers in range, strings and their
/// escapes, nesting depth), with the same errors at the same places.
struct Valid;

impl<'de> serde::Deserialize<'de> for Valid {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Valid, D::Error> {
        deserializer.deserialize_any(Valid)
    }
}

impl<'de> serde::de::Visitor<'de> for Valid {
    type Value = Valid;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Valid, E> {
        Ok(Valid)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Valid, E> {
        Ok(Valid)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Valid, E> {
        Ok(Valid)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Valid, E> {
        Ok(Valid)
    }

    fn visit_str<E>(self, _: &str) -> Result<Valid, E> {
        Ok(Valid)
    }

    fn visit_unit<E>(self) -> Result<Valid, E> {
        Ok(Valid)
    }

    fn visit_none<E>(self) -> Result<Valid, E> {
        Ok(Valid)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Valid, D::Error> {
        serde::Deserialize::deserialize(d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Valid, A::Error> {
        while seq.next_element::<Valid>()?.is_some() {}
        Ok(Valid)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Valid, A::Error> {
        while map.next_entry::<Valid, Valid>()?.is_some() {}
        Ok(Valid)
    }
}

/// A line that is not UTF-8: attached to its candidate when the id can be read.
fn json_not_utf8(bytes: &[u8], e: InputError, seen: &mut Seen) -> Item {
    let text = String::from_utf8_lossy(bytes);
    let id = Scanner::new(&text)
        .object()
        .and_then(|members| {
            let member = members.iter().find(|m| m.key.trim() == CANDIDATE)?;
            match member.value.kind(&text)? {
                Kind::String => member.value.string(&text).map(Cow::into_owned),
                Kind::Number => member.value.text(&text).map(str::to_owned),
                _ => None,
            }
        })
        .filter(|id| !id.contains('\u{fffd}') && !id.trim().is_empty());
    match id {
        Some(id) => {
            let line = e.line;
            let mut candidate = RawCandidate::new(id.trim(), line);
            if let Some(error) = duplicate_line(seen, &candidate.id, line) {
                candidate.errors.push(error);
            }
            candidate.errors.push(e);
            Ok(candidate)
        }
        None => Err(e),
    }
}

fn duplicate_line(seen: &mut Seen, id: &str, line: usize) -> Option<InputError> {
    let first = seen.first_line(id, line)?;
    Some(repeated(Repeat::Line, id, line, first))
}

/// Reads one valid JSON line; `None` only if the scanner disagrees with
/// serde_json.
fn json_candidate(
    text: &str,
    line: usize,
    seen: &mut Seen,
    interner: &mut Interner,
    read: Line<'_>,
) -> Option<Item> {
    // Columns are counted on from the last one asked for (positions mostly
    // grow along the line): a line of many grades stays linear, where
    // counting each from the start of the line was quadratic.
    let last = std::cell::Cell::new((0usize, 1usize));
    // In ASCII (most lines), a character is a byte.
    let ascii = text.is_ascii();
    let column = |at: usize| {
        let at = at.min(text.len());
        if ascii {
            return Some(at + 1);
        }
        let (pos, col) = last.get();
        let (from, base) = if at >= pos { (pos, col) } else { (0, 1) };
        let between = text.as_bytes().get(from..at).unwrap_or_default();
        let col = base + between.iter().filter(|&&b| b & 0xc0 != 0x80).count();
        last.set((at, col));
        Some(col)
    };
    let Line {
        members,
        grades: grade_members,
    } = read;
    let mut id: Option<Result<String, InputError>> = None;
    let mut grades: Option<&Member<'_>> = None;
    let mut metadata = Vec::new();
    let mut errors = Vec::new();
    for member in &members {
        let key = member.key.trim();
        let twice = || {
            error(
                Code::MalformedRow,
                line,
                column(member.key_at),
                text!("key `{key}` appears twice; the first is kept", key = &key),
            )
        };
        match key {
            CANDIDATE if id.is_some() => errors.push(twice()),
            CANDIDATE => {
                let at = column(member.value.start);
                id = Some(match member.value.kind(text)? {
                    Kind::String => {
                        let value = member.value.string(text)?;
                        match value.trim() {
                            "" => Err(error(
                                Code::MalformedRow,
                                line,
                                at,
                                text!("the candidate id is empty"),
                            )),
                            value => Ok(value.to_owned()),
                        }
                    }
                    Kind::Number => Ok(member.value.text(text)?.to_owned()),
                    kind => Err(error(
                        Code::MalformedRow,
                        line,
                        at,
                        text!(
                            "`candidate` must be a string, not {kind}",
                            kind = kind.name()
                        ),
                    )),
                });
            }
            "grades" if grades.is_some() => errors.push(twice()),
            "grades" => grades = Some(member),
            _ => {
                let value = match member.value.kind(text)? {
                    Kind::String => member.value.string(text)?.trim().to_owned(),
                    _ => member.value.text(text)?.to_owned(),
                };
                metadata.push((key.to_owned(), value));
            }
        }
    }
    let id = match id {
        Some(Ok(id)) => id,
        Some(Err(e)) => return Some(Err(e)),
        None => {
            return Some(Err(error(
                Code::MalformedRow,
                line,
                Some(1),
                text!("this line has no `candidate` key"),
            )))
        }
    };
    let mut candidate = RawCandidate::new(&id, line);
    candidate.metadata = metadata;
    if let Some(e) = duplicate_line(seen, &id, line) {
        candidate.errors.push(e);
    }
    candidate.errors.append(&mut errors);
    let Some(grades) = grades else {
        candidate.errors.push(error(
            Code::MalformedRow,
            line,
            None,
            text!("this line has no `grades` key"),
        ));
        return Some(Ok(candidate));
    };
    let kind = grades.value.kind(text)?;
    if kind != Kind::Object {
        candidate.errors.push(error(
            Code::MalformedRow,
            line,
            column(grades.value.start),
            text!(
                "`grades` must be an object like {{\"C1\": \"acquis\"}}, not {kind}",
                kind = kind.name()
            ),
        ));
        return Some(Ok(candidate));
    }
    let grade_members = match grade_members {
        Some(members) => members,
        None => {
            let mut scanner = Scanner::new(text);
            scanner.pos = grades.value.start;
            scanner.object()?
        }
    };
    candidate.grades.reserve(grade_members.len());
    for member in grade_members {
        let criterion = trim(&member.key);
        // The key before its value: positions asked for in order.
        let key_column = column(member.key_at);
        // The value's, for its errors only.
        let at = || column(member.value.start);
        if criterion.is_empty() {
            candidate.errors.push(error(
                Code::MalformedRow,
                line,
                key_column,
                text!("the criterion is empty"),
            ));
            continue;
        }
        let string;
        let value: &str = match member.value.kind(text)? {
            Kind::String => {
                string = member.value.string(text)?;
                trim(&string)
            }
            Kind::Number => member.value.text(text)?,
            kind => {
                candidate.errors.push(error(
                    Code::MalformedRow,
                    line,
                    at(),
                    text!(
                        "the grade for `{criterion}` must be a string or a number, not {kind}",
                        criterion = &criterion,
                        kind = kind.name()
                    ),
                ));
                continue;
            }
        };
        if value.is_empty() {
            candidate.errors.push(error(
                Code::MalformedRow,
                line,
                at(),
                text!(
                    "empty grade for `{criterion}`: write the grade, or remove it",
                    criterion = &criterion
                ),
            ));
            continue;
        }
        candidate.grades.push(RawGrade {
            criterion: interner.criterion(criterion),
            value: interner.value(value),
            line,
            column: key_column,
        });
    }
    Some(Ok(candidate))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    String,
    Number,
    Bool,
    Null,
    Array,
    Object,
}

impl Kind {
    fn name(self) -> Text {
        match self {
            Kind::String => text!("a string"),
            Kind::Number => text!("a number"),
            Kind::Bool => text!("a boolean"),
            Kind::Null => text!("null"),
            Kind::Array => text!("an array"),
            Kind::Object => text!("an object"),
        }
    }
}

/// A value's bytes in the line.
#[derive(Clone, Copy, Debug)]
struct Span {
    start: usize,
    end: usize,
}

impl Span {
    fn text(self, text: &str) -> Option<&str> {
        text.get(self.start..self.end)
    }

    fn kind(self, text: &str) -> Option<Kind> {
        Some(match text.as_bytes().get(self.start)? {
            b'"' => Kind::String,
            b'{' => Kind::Object,
            b'[' => Kind::Array,
            b't' | b'f' => Kind::Bool,
            b'n' => Kind::Null,
            _ => Kind::Number,
        })
    }

    /// A string value, unescaped.
    fn string(self, text: &str) -> Option<Cow<'_, str>> {
        unescaped(self.text(text)?)
    }
}

/// A JSON string (its quotes included) that serde_json accepted,
/// unescaped: borrowed when it holds no escape (JSON text holds no
/// control character, so it is then its own value), as serde_json reads it
/// otherwise.
fn unescaped(literal: &str) -> Option<Cow<'_, str>> {
    match literal.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
        Some(inner) if !inner.contains('\\') => Some(Cow::Borrowed(inner)),
        _ => serde_json::from_str::<String>(literal).ok().map(Cow::Owned),
    }
}

/// The members of a JSON Lines line: the object's, and those of the
/// value of its first `grades` key when [`Strict`] read them on its way.
struct Line<'a> {
    members: Vec<Member<'a>>,
    grades: Option<Vec<Member<'a>>>,
}

/// What [`Strict`] keeps of an object.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Nothing: it is only checked.
    Nothing,
    /// Its members.
    Members,
    /// Its members, and those of its first `grades` key's object.
    Grades,
}

/// Reads a line in one pass, checking it as serde_json would, and keeps
/// the members [`json_candidate`] reads: the object's, and those of its
/// first `grades` object. It vouches only for what it checks completely
/// (an object; strings with no `\u` escape; numbers with no exponent and
/// at most [`Strict::DIGITS`] characters, so never out of range; nesting
/// under [`Strict::DEPTH`]): anything else, valid or not, gives `None`,
/// and the line is then checked by serde_json and read by [`Scanner`].
struct Strict<'a> {
    /// Where it is in the line: the scanner's cursor and its steps.
    scan: Scanner<'a>,
}

impl<'a> Strict<'a> {
    /// serde_json refuses nesting past 128.
    const DEPTH: usize = 100;
    /// f64 reaches 1.8e308: numbers of at most 300 characters, without
    /// exponent, are always in range.
    const DIGITS: usize = 300;

    fn new(text: &'a str) -> Strict<'a> {
        Strict {
            scan: Scanner::new(text),
        }
    }

    /// The whole line: one object, then only whitespace.
    fn line(mut self) -> Option<Line<'a>> {
        self.scan.skip_whitespace();
        let (members, grades) = self.object(0, Keep::Grades)?;
        self.scan.skip_whitespace();
        (self.scan.pos == self.scan.text.len()).then_some(Line { members, grades })
    }

    /// The object at the current position, and what `keep` says of it.
    #[allow(clippy::type_complexity, reason = "private, read once")]
    fn object(
        &mut self,
        depth: usize,
        keep: Keep,
    ) -> Option<(Vec<Member<'a>>, Option<Vec<Member<'a>>>)> {
        if depth >= Self::DEPTH {
            return None;
        }
        self.scan.eat(b'{')?;
        let mut members = Vec::new();
        let mut grades = None;
        let mut seen_grades = false;
        self.scan.skip_whitespace();
        if self.scan.eat(b'}').is_some() {
            return Some((members, grades));
        }
        loop {
            self.scan.skip_whitespace();
            let key_at = self.scan.pos;
            let escaped = self.string()?;
            let key_end = self.scan.pos;
            self.scan.skip_whitespace();
            self.scan.eat(b':')?;
            self.scan.skip_whitespace();
            let start = self.scan.pos;
            if keep != Keep::Nothing {
                let key = if escaped {
                    unescaped(self.scan.text.get(key_at..key_end)?)?
                } else {
                    Cow::Borrowed(self.scan.text.get(key_at + 1..key_end - 1)?)
                };
                // The first `grades` key is the one read.
                let first = keep == Keep::Grades && !seen_grades && key.trim() == "grades";
                seen_grades |= first;
                if first && self.scan.peek() == Some(b'{') {
                    grades = Some(self.object(depth + 1, Keep::Members)?.0);
                } else {
                    self.value(depth + 1)?;
                }
                members.push(Member {
                    key,
                    key_at,
                    value: Span {
                        start,
                        end: self.scan.pos,
                    },
                });
            } else {
                self.value(depth + 1)?;
            }
            self.scan.skip_whitespace();
            if self.scan.eat(b',').is_none() {
                self.scan.eat(b'}')?;
                return Some((members, grades));
            }
        }
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        match self.scan.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' => self.object(depth, Keep::Nothing).map(|_| ()),
            b'[' => self.array(depth),
            b't' => self.literal("true"),
            b'f' => self.literal("false"),
            b'n' => self.literal("null"),
            _ => self.number(),
        }
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if depth >= Self::DEPTH {
            return None;
        }
        self.scan.eat(b'[')?;
        self.scan.skip_whitespace();
        if self.scan.eat(b']').is_some() {
            return Some(());
        }
        loop {
            self.scan.skip_whitespace();
            self.value(depth + 1)?;
            self.scan.skip_whitespace();
            if self.scan.eat(b',').is_none() {
                return self.scan.eat(b']');
            }
        }
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        let rest = self.scan.text.get(self.scan.pos..)?;
        rest.starts_with(word).then(|| self.scan.pos += word.len())
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, at most [`Strict::DIGITS`] long.
    fn number(&mut self) -> Option<()> {
        let start = self.scan.pos;
        let digits = |s: &mut Strict<'_>| {
            let from = s.scan.pos;
            while s.scan.peek().is_some_and(|b| b.is_ascii_digit()) {
                s.scan.pos += 1;
            }
            s.scan.pos > from
        };
        let _ = self.scan.eat(b'-');
        if self.scan.eat(b'0').is_none() && !digits(self) {
            return None;
        }
        if self.scan.eat(b'.').is_some() && !digits(self) {
            return None;
        }
        // An exponent, or digits after a leading zero: left to serde_json.
        if matches!(self.scan.peek(), Some(b'e' | b'E' | b'0'..=b'9')) {
            return None;
        }
        (self.scan.pos - start <= Self::DIGITS).then_some(())
    }

    /// A string: no control character, escapes among `\" \\ \/ \b \f
    /// \n \r \t`. Whether it holds one.
    fn string(&mut self) -> Option<bool> {
        self.scan.eat(b'"')?;
        let mut escaped = false;
        loop {
            match self.scan.peek()? {
                b'"' => {
                    self.scan.pos += 1;
                    return Some(escaped);
                }
                b'\\' => {
                    let next = self.scan.text.as_bytes().get(self.scan.pos + 1)?;
                    if !matches!(next, b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') {
                        return None;
                    }
                    escaped = true;
                    self.scan.pos += 2;
                }
                0..=0x1f => return None,
                _ => self.scan.pos += 1,
            }
        }
    }
}

struct Member<'a> {
    key: Cow<'a, str>,
    /// Byte offset of the key's opening quote.
    key_at: usize,
    value: Span,
}

/// Walks JSON that serde_json has accepted, to keep what `serde_json::Value`
/// loses: duplicate keys, key order, positions and numbers as written.
struct Scanner<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Scanner<'a> {
        Scanner { text, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    fn string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        loop {
            let rest = self.text.as_bytes().get(self.pos..)?;
            let at = memchr::memchr2(b'"', b'\\', rest)?;
            self.pos += at;
            match rest.get(at)? {
                b'\\' => self.pos += 2,
                _ => {
                    self.pos += 1;
                    return Some(());
                }
            }
        }
    }

    fn value(&mut self) -> Option<Span> {
        let start = self.pos;
        match self.peek()? {
            b'"' => self.string()?,
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.checked_sub(1)?;
                            if depth == 0 {
                                self.pos += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
            }
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                ) {
                    self.pos += 1;
                }
            }
        }
        Some(Span {
            start,
            end: self.pos,
        })
    }

    /// The members of the object at the current position, in order.
    fn object(&mut self) -> Option<Vec<Member<'a>>> {
        self.skip_whitespace();
        self.eat(b'{')?;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.eat(b'}').is_some() {
            return Some(members);
        }
        loop {
            self.skip_whitespace();
            let key_at = self.pos;
            self.string()?;
            let key = unescaped(self.text.get(key_at..self.pos)?)?;
            self.skip_whitespace();
            self.eat(b':')?;
            self.skip_whitespace();
            let value = self.value()?;
            members.push(Member { key, key_at, value });
            self.skip_whitespace();
            if self.eat(b',').is_none() {
                self.eat(b'}')?;
                return Some(members);
            }
        }
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]
mod tests {
    /// A workbook over the budget is refused before it is unpacked, with
    /// what to do instead; within it, it is read.
    #[test]
    fn workbooks_over_the_budget_are_refused() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for row in 0..200u32 {
            for column in 0..20u16 {
                let _ = sheet.write_string(row, column, "acquis");
            }
        }
        let bytes = book.save_to_buffer().unwrap_or_default();
        let small = |file: u64, unpacked: u64| {
            super::xlsx_within(bytes.as_slice(), super::XlsxBudget { file, unpacked })
        };
        assert!(small(1 << 20, 1 << 24).is_ok());
        let e = small(100, 1 << 24)
            .err()
            .map(|e| e.message.english())
            .unwrap_or_default();
        assert!(
            e.starts_with("the workbook is larger than 0 MB: save the grades as CSV"),
            "{e}"
        );
        let e = small(1 << 20, 1000)
            .err()
            .map(|e| e.message.english())
            .unwrap_or_default();
        assert!(
            e.starts_with("the workbook's parts expand to more than 0 MB"),
            "{e}"
        );
    }

    /// A part whose central directory declares fewer bytes than it
    /// inflates to (a zip bomb hiding from the budget) is cut at its
    /// declared size by the zip reader of calamine, which refuses the rest:
    /// the budget on declared sizes bounds what is inflated.
    #[test]
    fn a_part_that_under_declares_its_size_is_refused() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for row in 0..2_000u32 {
            for column in 0..20u16 {
                let _ = sheet.write_string(row, column, "acquis");
            }
        }
        let mut bytes = book.save_to_buffer().unwrap_or_default();
        let name = b"xl/worksheets/sheet1.xml";
        let mut patched = 0;
        // Local file headers (size at 22, name at 30) and central directory
        // entries (size at 24, name at 46): the sheet declares 64 bytes.
        for at in 0..bytes.len().saturating_sub(46) {
            let (size_at, name_len_at, name_at) = match bytes[at..at + 4] {
                [0x50, 0x4b, 0x03, 0x04] => (at + 22, at + 26, at + 30),
                [0x50, 0x4b, 0x01, 0x02] => (at + 24, at + 28, at + 46),
                _ => continue,
            };
            let len = u16::from_le_bytes([bytes[name_len_at], bytes[name_len_at + 1]]) as usize;
            if bytes.get(name_at..name_at + len) == Some(name.as_slice()) {
                bytes[size_at..size_at + 4].copy_from_slice(&64u32.to_le_bytes());
                patched += 1;
            }
        }
        assert_eq!(patched, 2, "the sheet's two headers");
        let Err(e) = super::xlsx_within(bytes.as_slice(), super::XLSX_BUDGET) else {
            panic!("a part larger than it declares was read")
        };
        let message = e.message.english();
        assert_eq!(e.code, Code::GradesUnreadable, "{message}");
        assert!(message.contains("declared"), "{message}");
    }

    use super::*;
    use std::collections::HashSet;
    use std::time::{Duration, Instant};

    fn items(input: &[u8], format: InputFormat) -> Vec<Item> {
        let items: Vec<Item> = read(input, format).take(1_000_000).collect();
        assert!(items.len() < 1_000_000, "the reader does not stop");
        items
    }

    fn candidates(input: &str, format: InputFormat) -> Vec<RawCandidate> {
        items(input.as_bytes(), format)
            .into_iter()
            .map(|item| item.unwrap_or_else(|e| panic!("unexpected error: {e}")))
            .collect()
    }

    fn grades_of(candidate: &RawCandidate) -> Vec<(String, String)> {
        grades(candidate)
            .into_iter()
            .map(|(c, v)| (c.to_owned(), v.to_owned()))
            .collect()
    }

    fn grades(candidate: &RawCandidate) -> Vec<(&str, &str)> {
        candidate
            .grade_texts()
            .map(|(criterion, value, _, _)| (criterion, value))
            .collect()
    }

    fn messages(candidate: &RawCandidate) -> Vec<String> {
        candidate
            .errors
            .iter()
            .map(|e| e.message.english())
            .collect()
    }

    fn only_error(items: &[Item]) -> &InputError {
        match items {
            [Err(e)] => e,
            other => panic!("expected a single error, got {other:?}"),
        }
    }

    #[test]
    fn extension_and_sniffing() {
        assert_eq!(
            InputFormat::from_extension(Path::new("a/b.jsonl")),
            Some(InputFormat::JsonLines)
        );
        assert_eq!(
            InputFormat::from_extension(Path::new("b.NDJSON")),
            Some(InputFormat::JsonLines)
        );
        assert_eq!(InputFormat::from_extension(Path::new("b.csv")), None);
        assert_eq!(InputFormat::from_extension(Path::new("b")), None);
        assert_eq!(
            sniff_csv("candidate,criterion,grade"),
            Some(InputFormat::LongCsv)
        );
        assert_eq!(
            sniff_csv("\u{feff}date, grade ,candidate,criterion\r\n"),
            Some(InputFormat::LongCsv)
        );
        assert_eq!(sniff_csv("candidate,C1,C2"), Some(InputFormat::WideCsv));
        assert_eq!(sniff_csv("candidate"), Some(InputFormat::WideCsv));
        assert_eq!(sniff_csv("\n\ncandidate,C1"), Some(InputFormat::WideCsv));
        assert_eq!(sniff_csv("id,criterion,grade"), None);
        assert_eq!(
            sniff_csv("candidate;criterion;grade"),
            Some(InputFormat::LongCsv)
        );
        assert_eq!(sniff_csv(""), None);
    }

    #[test]
    fn long_csv() {
        let input = "candidate,criterion,grade\n\
                     alice,C1,acquis\n\
                     alice, C2 , 14.5 \n\
                     bob,C1,non acquis\n\
                     carol,C1,\"en cours, à revoir\"\n";
        let found = candidates(input, InputFormat::LongCsv);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].id, "alice");
        assert_eq!(found[0].line, 2);
        assert_eq!(grades(&found[0]), [("C1", "acquis"), ("C2", "14.5")]);
        assert_eq!(found[0].grades[1].line, 3);
        assert_eq!(found[0].grades[1].column, Some(3));
        assert_eq!((found[1].id.as_str(), found[1].line), ("bob", 4));
        assert_eq!(grades(&found[2]), [("C1", "en cours, à revoir")]);
        assert!(found
            .iter()
            .all(|c| c.errors.is_empty() && c.metadata.is_empty()));
    }

    #[test]
    fn long_csv_metadata_keeps_every_distinct_value() {
        let input = "assessor,candidate,date,grade,criterion\n\
                     Dupont,alice,2025-06-01,acquis,C1\n\
                     Martin,alice,2025-06-02,acquis,C2\n\
                     ,bob,2025-06-01,acquis,C1\n";
        let found = candidates(input, InputFormat::LongCsv);
        assert_eq!(found.len(), 2);
        let pairs = |c: &RawCandidate| -> Vec<(String, String)> { c.metadata.clone() };
        assert_eq!(
            pairs(&found[0]),
            [
                ("assessor".into(), "Dupont; Martin".into()),
                ("date".into(), "2025-06-01; 2025-06-02".into())
            ]
        );
        assert_eq!(grades(&found[0]), [("C1", "acquis"), ("C2", "acquis")]);
        assert!(found[0].errors.is_empty());
        assert_eq!(
            pairs(&found[1]),
            [
                ("assessor".into(), String::new()),
                ("date".into(), "2025-06-01".into())
            ]
        );
        assert_eq!(found[0].grades[0].column, Some(4));
    }

    #[test]
    fn long_csv_non_contiguous_rows() {
        let input =
            "candidate,criterion,grade\nalice,C1,a\nbob,C1,a\nalice,C2,b\nalice,C3,c\nbob,C2,a\n";
        let found = candidates(input, InputFormat::LongCsv);
        let ids: Vec<&str> = found.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["alice", "bob", "alice", "bob"]);
        assert!(found[0].errors.is_empty() && found[1].errors.is_empty());
        assert_eq!(found[2].line, 4);
        assert_eq!(grades(&found[2]), [("C2", "b"), ("C3", "c")]);
        assert_eq!(
            messages(&found[2]),
            ["rows of candidate `alice` are not contiguous: it already appeared at line 2; sort the file by candidate"]
        );
        assert_eq!(found[2].errors[0].line, 4);
        assert_eq!(
            messages(&found[3]),
            ["rows of candidate `bob` are not contiguous: it already appeared at line 3; sort the file by candidate"]
        );
    }

    #[test]
    fn empty_files() {
        for format in [
            InputFormat::LongCsv,
            InputFormat::WideCsv,
            InputFormat::JsonLines,
        ] {
            for input in [
                "",
                "   ",
                "\n\n",
                " \r\n\t\n  ",
                "\u{feff}",
                "\u{feff}\n ",
                ",,\n , \n",
            ] {
                if format == InputFormat::JsonLines && input.contains(',') {
                    continue;
                }
                let found = items(input.as_bytes(), format);
                assert_eq!(
                    only_error(&found),
                    &error(Code::GradesEmpty, 1, None, text!("the file is empty")),
                    "{format:?} {input:?}"
                );
            }
        }
    }

    #[test]
    fn missing_or_bad_header_stops() {
        let found = items(b"alice,C1,acquis\nbob,C1,acquis\n", InputFormat::LongCsv);
        let e = only_error(&found);
        assert_eq!(e.line, 1);
        assert_eq!(e.message.english(),
            "the header must have `candidate`, `criterion` and `grade` columns, or start with \
             `candidate` for one row per candidate; this header has no `candidate`, `criterion` or `grade` column"
        );
        let found = items(
            b"\ncandidate,criterion,note\nalice,C1,a\n",
            InputFormat::LongCsv,
        );
        let e = only_error(&found);
        assert_eq!(e.line, 2);
        assert!(
            e.message
                .english()
                .ends_with("this header has no `grade` column"),
            "{:?}",
            e.message
        );
        let found = items(
            b"candidate\tcriterion\tgrade\nalice\tC1\ta\n",
            InputFormat::LongCsv,
        );
        assert!(only_error(&found)
            .message
            .english()
            .ends_with("seems to use tabs)"));
        let found = items(b"id,C1\nalice,a\n", InputFormat::WideCsv);
        assert!(only_error(&found)
            .message
            .english()
            .ends_with("this header starts with `id`"));
        let found = items(
            b"candidate,criterion,grade,\nalice,C1,a,\n",
            InputFormat::LongCsv,
        );
        assert_eq!(
            only_error(&found),
            &error(
                Code::GradesHeader,
                1,
                Some(4),
                text!("column 4 of the header has no name")
            )
        );
    }

    #[test]
    fn long_csv_wrong_field_count() {
        let input = "candidate,criterion,grade\n\
                     alice,C1,a\n\
                     alice,C2\n\
                     bob,C1,a,extra\n\
                     alice,C3,a\n\
                     \"\",C1,a\n\
                     carol,,a\n";
        let found = items(input.as_bytes(), InputFormat::LongCsv);
        // alice's short row is hers; bob's long row cannot be trusted, and
        // alice is still being read.
        assert_eq!(found.len(), 4, "{found:#?}");
        let e = found[0].as_ref().unwrap_err();
        assert_eq!(
            e,
            &error(
                Code::MalformedRow,
                4,
                None,
                text!("this row has 4 fields but the header has 3")
            )
        );
        let e = found[1].as_ref().unwrap_err();
        assert_eq!(
            e,
            &error(
                Code::MalformedRow,
                6,
                Some(1),
                text!("the candidate id is empty")
            )
        );
        let alice = found[2].as_ref().unwrap();
        assert_eq!(grades(alice), [("C1", "a"), ("C3", "a")]);
        assert_eq!(
            alice.errors,
            [error(
                Code::MalformedRow,
                3,
                None,
                text!("this row has 2 fields but the header has 3")
            )]
        );
        let carol = found[3].as_ref().unwrap();
        assert_eq!(
            carol.errors,
            [error(
                Code::MalformedRow,
                7,
                Some(2),
                text!("the criterion is empty")
            )]
        );
    }

    #[test]
    fn a_stray_quote_loses_no_row_and_says_so() {
        // `"Sophie` opens a quoted text that the next `"` (or the end of
        // the file) closes: the rows in between are read back as rows,
        // and every candidate involved gets an error to check.
        let input = "candidate,criterion,grade,assessor\n\
                     alice,C1,a,\"Sophie\n\
                     bob,C1,a,Marc\n\
                     carol,C1,b,Paul\"\n\
                     dan,C1,a,Lea\n";
        let found = candidates(input, InputFormat::LongCsv);
        let ids: Vec<&str> = found.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["alice", "bob", "carol", "dan"]);
        assert_eq!(grades(&found[1]), [("C1", "a")]);
        assert_eq!(grades(&found[2]), [("C1", "b")]);
        assert_eq!(found[0].errors.len(), 1, "{:?}", found[0].errors);
        assert_eq!(found[0].errors[0].line, 2);
        assert!(
            messages(&found[0])[0].starts_with(
                "a `\"` in field 4 opens a quoted text that runs to line 4 and holds 2 rows"
            ),
            "{:?}",
            messages(&found[0])
        );
        for (candidate, line) in [(&found[1], 3), (&found[2], 4)] {
            assert_eq!(candidate.errors.len(), 1, "{:?}", candidate.errors);
            assert_eq!(candidate.errors[0].line, line);
        }
        assert!(found[3].errors.is_empty());
        // Never closed: the quote runs to the end of the file.
        let input = "candidate,criterion,grade,assessor\n\
                     alice,C1,a,\"Sophie\n\
                     bob,C1,a,Marc\n\
                     carol,C1,b,Paul\n";
        let found = candidates(input, InputFormat::LongCsv);
        let ids: Vec<&str> = found.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["alice", "bob", "carol"]);
        assert!(found.iter().all(|c| !c.errors.is_empty()));
        // Wide CSV alike.
        let input = "candidate,C1,C2\n\
                     alice,a,\"b\n\
                     bob,a,b\n";
        let found = candidates(input, InputFormat::WideCsv);
        let ids: Vec<&str> = found.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["alice", "bob"]);
        assert!(found.iter().all(|c| !c.errors.is_empty()), "{found:#?}");
        // A comment with a line break holds no row: read as it is.
        let input = "candidate,criterion,grade,note\n\
                     alice,C1,a,\"Bon travail\nà revoir\"\n\
                     bob,C1,a,ok\n";
        let found = candidates(input, InputFormat::LongCsv);
        assert!(found.iter().all(|c| c.errors.is_empty()), "{found:#?}");
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn a_file_without_line_breaks_is_refused_not_read_whole() {
        // Like /dev/zero as a grades file: bytes without a line break.
        for format in [InputFormat::LongCsv, InputFormat::JsonLines] {
            let found: Vec<Item> = read(zeros_of(MAX_LINE + 1024), format).take(10).collect();
            let refused = found.iter().any(|item| match item {
                Err(e) => {
                    e.code == Code::GradesUnreadable
                        && e.message.english().contains("a line longer than 16 MiB")
                }
                Ok(_) => false,
            });
            assert!(refused, "{format:?}: {found:?}");
        }
    }

    fn zeros_of(n: usize) -> impl Read {
        std::io::repeat(b'x').take(n as u64)
    }

    #[test]
    fn semicolon_csv_as_spreadsheets_write_it_in_french() {
        // Excel in French writes `;` between fields (the comma is the
        // decimal separator): read as is, long and wide, and sniffed.
        let input = "candidate;criterion;grade;assessor\n\
                     alice;C1;12,5;\"Dupont, Jean\"\n\
                     alice;C2;acquis;Martin\n";
        let found = candidates(input, InputFormat::LongCsv);
        assert_eq!(found.len(), 1);
        assert_eq!(grades(&found[0]), [("C1", "12,5"), ("C2", "acquis")]);
        assert_eq!(
            found[0].metadata,
            [("assessor".to_string(), "Dupont, Jean; Martin".to_string())]
        );
        let wide = "candidate;C1;C2\nalice;12,5;acquis\n";
        let found = candidates(wide, InputFormat::WideCsv);
        assert_eq!(grades(&found[0]), [("C1", "12,5"), ("C2", "acquis")]);
        assert_eq!(
            sniff_csv("candidate;criterion;grade"),
            Some(InputFormat::LongCsv)
        );
        assert_eq!(sniff_csv("candidate;C1;C2"), Some(InputFormat::WideCsv));
        // A comma file with a `;` inside a quoted header stays a comma file.
        assert_eq!(delimiter(b"candidate,\"a;b;c\",grade\n"), b',');
    }

    #[test]
    fn long_csv_empty_grade() {
        let found = candidates(
            "candidate,criterion,grade\nalice,C1,\nalice,C2,a\n",
            InputFormat::LongCsv,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(grades(&found[0]), [("C2", "a")]);
        assert_eq!(
            found[0].errors,
            [error(
                Code::MalformedRow,
                2,
                Some(3),
                text!("empty grade for `C1`: write the grade, or remove the row")
            )]
        );
    }

    #[test]
    fn wide_csv() {
        let input = "candidate,C1,C2,C3\nalice,acquis,,14\n bob ,,,\n\ncarol,a,b,c\n,,,\n";
        let found = candidates(input, InputFormat::WideCsv);
        assert_eq!(found.len(), 3);
        assert_eq!(grades(&found[0]), [("C1", "acquis"), ("C3", "14")]);
        assert_eq!(found[0].grades[1].column, Some(4));
        assert_eq!((found[1].id.as_str(), found[1].line), ("bob", 3));
        assert!(found[1].grades.is_empty());
        assert_eq!(found[2].line, 5);
        assert_eq!(grades(&found[2]), [("C1", "a"), ("C2", "b"), ("C3", "c")]);
        assert!(found.iter().all(|c| c.errors.is_empty()));
    }

    #[test]
    fn wide_csv_bad_rows() {
        let input = "candidate,C1\nalice,a\nbob\n,a\nalice,b\n";
        let found = items(input.as_bytes(), InputFormat::WideCsv);
        assert_eq!(found.len(), 4);
        assert!(found[0].as_ref().unwrap().errors.is_empty());
        let bob = found[1].as_ref().unwrap();
        assert!(bob.grades.is_empty());
        assert_eq!(
            bob.errors,
            [error(
                Code::MalformedRow,
                3,
                None,
                text!("this row has 1 fields but the header has 2")
            )]
        );
        assert_eq!(
            found[2],
            Err(error(
                Code::MalformedRow,
                4,
                Some(1),
                text!("the candidate id is empty")
            ))
        );
        let alice = found[3].as_ref().unwrap();
        assert_eq!(grades(alice), [("C1", "b")]);
        assert_eq!(
            messages(alice),
            ["candidate `alice` already appeared at line 2; give each candidate one row"]
        );
    }

    #[test]
    fn wide_csv_duplicate_header() {
        let found = items(b"candidate,C1,C2,C1\nalice,a,b,c\n", InputFormat::WideCsv);
        assert_eq!(
            only_error(&found),
            &error(
                Code::GradesHeader,
                1,
                Some(4),
                text!("column `C1` appears twice in the header (columns 2 and 4)")
            )
        );
    }

    #[test]
    fn json_lines() {
        let input = r#"{"candidate": "alice", "grades": {"C1": "acquis", "C2": 14.50, "C3": 1e2}, "assessor": "Dupont", "extra": {"a": [1, 2]}, "ok": true}

{"grades": {"C1": " non acquis "}, "candidate": " bob "}
{"candidate": 42, "grades": {}, "note": null}
"#;
        let found = candidates(input, InputFormat::JsonLines);
        assert_eq!(found.len(), 3);
        assert_eq!(
            grades(&found[0]),
            [("C1", "acquis"), ("C2", "14.50"), ("C3", "1e2")]
        );
        assert_eq!(found[0].grades[1].column, Some(51));
        assert_eq!(
            found[0].metadata,
            [
                ("assessor".into(), "Dupont".into()),
                ("extra".into(), r#"{"a": [1, 2]}"#.into()),
                ("ok".into(), "true".into())
            ]
        );
        assert_eq!((found[1].id.as_str(), found[1].line), ("bob", 3));
        assert_eq!(grades(&found[1]), [("C1", "non acquis")]);
        assert_eq!(found[2].id, "42");
        assert_eq!(found[2].metadata, [("note".into(), "null".into())]);
        assert!(found.iter().all(|c| c.errors.is_empty()));
    }

    #[test]
    fn json_lines_duplicate_grades_are_kept() {
        let found = candidates(
            r#"{"candidate": "a\u00e9", "grades": {"C1": "x", "C1": "y"}}"#,
            InputFormat::JsonLines,
        );
        assert_eq!(found[0].id, "aé");
        assert_eq!(grades(&found[0]), [("C1", "x"), ("C1", "y")]);
    }

    #[test]
    fn json_lines_escaped_texts_are_read_unescaped() {
        // Escapes in keys and values, a quote and a backslash kept, and
        // the same texts written plainly: the same grades.
        let found = candidates(
            concat!(
                r#"{"candidate": "a", "grades": {"C\u0031": "acqu\u0069s", "C2": "a\"b\\c", "C3": " x "}, "n\u00e9": "\u00e9t\u00e9"}"#,
                "\n",
                r#"{"candidate": "b", "grades": {"C1": "acquis", "C2": "a\"b\\c", "C3": " x "}, "né": "été"}"#,
            ),
            InputFormat::JsonLines,
        );
        assert_eq!(
            grades(&found[0]),
            [("C1", "acquis"), ("C2", "a\"b\\c"), ("C3", "x")]
        );
        assert_eq!(grades(&found[0]), grades(&found[1]));
        assert_eq!(found[0].metadata, [("né".into(), "été".into())]);
        assert_eq!(found[0].metadata, found[1].metadata);
    }

    #[test]
    fn json_lines_malformed_then_good() {
        let input = "{\"candidate\": \"été\", \"grades\": {\"C1\" \"a\"}}\n{\"candidate\": \"bob\", \"grades\": {\"C1\": \"a\"}}\n";
        let found = items(input.as_bytes(), InputFormat::JsonLines);
        assert_eq!(found.len(), 2);
        let e = found[0].as_ref().unwrap_err();
        // Character 38 is the `"` after "C1", although it is byte 40.
        assert_eq!((e.line, e.column), (1, Some(38)), "{e}");
        assert_eq!(
            e.message.english(),
            "this line is not valid JSON: expected `:`"
        );
        assert_eq!(found[1].as_ref().unwrap().id, "bob");
    }

    #[test]
    fn json_lines_incomplete_objects() {
        let input = r#"{"grades": {}}
{"candidate": "alice"}
{"candidate": "bob", "grades": {"C1": null, "C2": "", "C3": "a", "": "b"}}
{"candidate": ["x"], "grades": {}}
[1, 2]
{"candidate": "carol", "grades": [], "candidate": "dan"}
{"candidate": "alice", "grades": {}}
"#;
        let found = items(input.as_bytes(), InputFormat::JsonLines);
        assert_eq!(found.len(), 7);
        assert_eq!(
            found[0],
            Err(error(
                Code::MalformedRow,
                1,
                Some(1),
                text!("this line has no `candidate` key")
            ))
        );
        let alice = found[1].as_ref().unwrap();
        assert_eq!(
            alice.errors,
            [error(
                Code::MalformedRow,
                2,
                None,
                text!("this line has no `grades` key")
            )]
        );
        let bob = found[2].as_ref().unwrap();
        assert_eq!(grades(bob), [("C3", "a")]);
        assert_eq!(
            messages(bob),
            [
                "the grade for `C1` must be a string or a number, not null",
                "empty grade for `C2`: write the grade, or remove it",
                "the criterion is empty"
            ]
        );
        assert_eq!(bob.errors[0].column, Some(39));
        assert_eq!(
            found[3],
            Err(error(
                Code::MalformedRow,
                4,
                Some(15),
                text!("`candidate` must be a string, not an array")
            ))
        );
        assert_eq!(found[4].as_ref().unwrap_err().line, 5);
        let carol = found[5].as_ref().unwrap();
        assert_eq!(carol.id, "carol");
        assert_eq!(
            messages(carol),
            [
                "key `candidate` appears twice; the first is kept",
                "`grades` must be an object like {\"C1\": \"acquis\"}, not an array"
            ]
        );
        assert_eq!(
            messages(found[6].as_ref().unwrap()),
            ["candidate `alice` already appeared at line 2; give each candidate one line"]
        );
    }

    #[test]
    fn not_utf8() {
        let long = b"candidate,criterion,grade,assessor\nalice,C1,a,Dupont\nalice,C2,b,Mart\xefn\n\xff,C1,a,x\nbob,C1,a,\xe9\n";
        let found = items(long, InputFormat::LongCsv);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert_eq!(
            found[0],
            Err(error(
                Code::GradesNotUtf8,
                4,
                Some(1),
                text!("line 4 is not UTF-8 text")
            ))
        );
        let alice = found[1].as_ref().unwrap();
        assert_eq!(grades(alice), [("C1", "a"), ("C2", "b")]);
        assert_eq!(
            alice.errors,
            [error(
                Code::GradesNotUtf8,
                3,
                Some(4),
                text!("line 3 is not UTF-8 text")
            )]
        );
        let bob = found[2].as_ref().unwrap();
        assert_eq!(bob.metadata, []);
        assert_eq!(
            bob.errors,
            [error(
                Code::GradesNotUtf8,
                5,
                Some(4),
                text!("line 5 is not UTF-8 text")
            )]
        );

        let wide = b"candidate,C1,C2\nalice,\xe9,b\n\xe9,a,b\nbob,a,b\n";
        let found = items(wide, InputFormat::WideCsv);
        assert_eq!(found.len(), 3);
        let alice = found[0].as_ref().unwrap();
        assert_eq!(grades(alice), [("C2", "b")]);
        assert_eq!(
            alice.errors,
            [error(
                Code::GradesNotUtf8,
                2,
                Some(2),
                text!("line 2 is not UTF-8 text")
            )]
        );
        assert_eq!(
            found[1],
            Err(error(
                Code::GradesNotUtf8,
                3,
                Some(1),
                text!("line 3 is not UTF-8 text")
            ))
        );
        assert!(found[2].is_ok());

        let header = b"candidate,C\xe91\nalice,a\n";
        let found = items(header, InputFormat::WideCsv);
        assert_eq!(
            only_error(&found),
            &error(
                Code::GradesNotUtf8,
                1,
                Some(2),
                text!("line 1 is not UTF-8 text")
            )
        );

        let json = b"{\"candidate\": \"alice\", \"grades\": {\"C1\": \"\xe9\"}}\n{\"candidate\": \"\xe9\"}\n{\"candidate\": \"bob\", \"grades\": {}}\n";
        let found = items(json, InputFormat::JsonLines);
        assert_eq!(found.len(), 3);
        let alice = found[0].as_ref().unwrap();
        assert!(alice.grades.is_empty());
        assert_eq!(
            alice.errors,
            [error(
                Code::GradesNotUtf8,
                1,
                Some(42),
                text!("line 1 is not UTF-8 text")
            )]
        );
        assert_eq!(
            found[1],
            Err(error(
                Code::GradesNotUtf8,
                2,
                Some(16),
                text!("line 2 is not UTF-8 text")
            ))
        );
        assert_eq!(found[2].as_ref().unwrap().id, "bob");
    }

    /// Gives its input one byte at a time, to test the byte order mark.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((first, rest)), Some(to)) => {
                    *to = *first;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn byte_order_mark() {
        let cases: [(&str, InputFormat); 3] = [
            (
                "\u{feff}candidate,criterion,grade\nalice,C1,a\n",
                InputFormat::LongCsv,
            ),
            ("\u{feff}candidate,C1\nalice,a\n", InputFormat::WideCsv),
            (
                "\u{feff}{\"candidate\": \"alice\", \"grades\": {\"C1\": \"a\"}}\n",
                InputFormat::JsonLines,
            ),
        ];
        for (input, format) in cases {
            for trickle in [false, true] {
                let found: Vec<Item> = if trickle {
                    read(Trickle(input.as_bytes()), format).collect()
                } else {
                    read(input.as_bytes(), format).collect()
                };
                let [Ok(alice)] = found.as_slice() else {
                    panic!("{format:?}: {found:?}")
                };
                assert_eq!(
                    (alice.id.as_str(), alice.line),
                    (
                        "alice",
                        if format == InputFormat::JsonLines {
                            1
                        } else {
                            2
                        }
                    )
                );
                assert_eq!(grades(alice), [("C1", "a")]);
            }
        }
        // Short inputs that start like a byte order mark, or are shorter than one.
        let found = items(b"\xef\xbb", InputFormat::JsonLines);
        assert_eq!(
            only_error(&found).message.english(),
            "line 1 is not UTF-8 text"
        );
        let found: Vec<Item> = read(Trickle(b"{}"), InputFormat::JsonLines).collect();
        assert_eq!(
            only_error(&found).message.english(),
            "this line has no `candidate` key"
        );
    }

    #[test]
    fn crlf_line_endings() {
        let long = "candidate,criterion,grade\r\nalice,C1,a\r\nalice,C2,b\r\nbob,C1,\"x\r\ny\"\r\ncarol,C1,c\r\n";
        let found = candidates(long, InputFormat::LongCsv);
        assert_eq!(grades(&found[0]), [("C1", "a"), ("C2", "b")]);
        assert_eq!(grades(&found[1]), [("C1", "x\r\ny")]);
        assert_eq!((found[2].id.as_str(), found[2].line), ("carol", 6));
        let wide = candidates("candidate,C1\r\nalice,a\r\nbob,b\r\n", InputFormat::WideCsv);
        assert_eq!(grades(&wide[1]), [("C1", "b")]);
        assert_eq!(wide[1].line, 3);
        let json = candidates(
            "{\"candidate\": \"alice\", \"grades\": {\"C1\": \"a\"}}\r\n\r\n{\"candidate\": \"bob\", \"grades\": {}}\r\n",
            InputFormat::JsonLines,
        );
        assert_eq!((json[1].id.as_str(), json[1].line), ("bob", 3));
    }

    /// A reader that fails after some bytes.
    struct Failing<'a>(&'a [u8]);

    impl Read for Failing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Err(io::Error::other("disk on fire"));
            }
            let n = self.0.len().min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn read_errors_stop() {
        let found: Vec<Item> = read(
            Failing(b"candidate,criterion,grade\nalice,C1,a\n"),
            InputFormat::LongCsv,
        )
        .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0]
            .as_ref()
            .unwrap_err()
            .message
            .english()
            .contains("disk on fire"));
        assert_eq!(found[1].as_ref().unwrap().errors.len(), 1);
        let found: Vec<Item> = read(Failing(b"{}\n"), InputFormat::JsonLines).collect();
        assert_eq!(found.len(), 2);
        assert!(found[1]
            .as_ref()
            .unwrap_err()
            .message
            .english()
            .contains("disk on fire"));
    }

    // ---- property-style tests ----

    /// A small deterministic generator, shared with the tests of
    /// [`super::parts`].
    pub(super) struct XorShift(pub(super) u64);

    impl XorShift {
        pub(super) fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }

        pub(super) fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        pub(super) fn pick<'a>(&mut self, choices: &[&'a str]) -> &'a str {
            choices
                .get(self.below(choices.len()))
                .copied()
                .unwrap_or("")
        }
    }

    const TOKENS: &[&str] = &[
        "candidate",
        "criterion",
        "grade",
        "grades",
        ",",
        ",",
        ",",
        "\"",
        "\n",
        "\n",
        "\r\n",
        "\r",
        " ",
        "{",
        "}",
        "[",
        "]",
        ":",
        "\"candidate\"",
        "\"grades\"",
        "\"C1\"",
        "C1",
        "12.5",
        "acquis",
        "é",
        "\u{feff}",
        ";",
        "\t",
        "null",
        "\\",
        "\"\"",
        "{\"candidate\": \"a\", \"grades\": {",
        "\"C1\": \"x\"}}",
        "1e999",
        "\\u00e9",
        "\\ud800",
    ];

    fn random_input(rng: &mut XorShift, format: InputFormat) -> Vec<u8> {
        let mut out = Vec::new();
        if rng.below(2) == 0 {
            out.extend_from_slice(match format {
                InputFormat::LongCsv => b"candidate,criterion,grade,assessor\n".as_slice(),
                InputFormat::WideCsv => b"candidate,C1,C2\n".as_slice(),
                InputFormat::JsonLines => b"{\"candidate\": \"z\", \"grades\": {}}\n".as_slice(),
                // Random bytes are never a workbook: one error, no panic.
                InputFormat::Xlsx => b"PK\x03\x04".as_slice(),
            });
        }
        let length = rng.below(60);
        for _ in 0..length {
            match rng.below(4) {
                0 => out.push(rng.next() as u8),
                _ => out.extend_from_slice(TOKENS[rng.below(TOKENS.len())].as_bytes()),
            }
        }
        out
    }

    /// Lines that hold something: where CSV records that are not blank start,
    /// by the csv crate's own reading (counting lines in the input, as its
    /// positions' lines are wrong after blank lines); non-blank physical lines
    /// in JSON Lines.
    fn lines_with_content(input: &[u8], format: InputFormat) -> Vec<usize> {
        let input = input.strip_prefix(&BOM).unwrap_or(input);
        if format == InputFormat::JsonLines {
            return input
                .split(|&b| b == b'\n')
                .enumerate()
                .filter(|(_, line)| !std::str::from_utf8(line).is_ok_and(|s| s.trim().is_empty()))
                .map(|(i, _)| i + 1)
                .collect();
        }
        // Rows split by the separator the file's first line uses.
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter(input))
            .from_reader(input);
        let mut lines = Vec::new();
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record).unwrap() {
            let blank = record
                .iter()
                .all(|f| std::str::from_utf8(f).is_ok_and(|s| s.trim().is_empty()));
            if !blank {
                let mut start = record.position().unwrap().byte() as usize;
                while matches!(input.get(start), Some(b'\r' | b'\n')) {
                    start += 1;
                }
                lines.push(1 + input[..start].iter().filter(|&&b| b == b'\n').count());
            }
        }
        lines
    }

    fn check_accounted(input: &[u8], format: InputFormat) {
        let found = items(input, format);
        let expected = lines_with_content(input, format);
        let context = || {
            format!(
                "{format:?} {:?}\n{found:#?}",
                String::from_utf8_lossy(input)
            )
        };
        if expected.is_empty() {
            assert_eq!(
                only_error(&found).message.english(),
                "the file is empty",
                "{}",
                context()
            );
            return;
        }
        let mut reported = HashSet::new();
        for item in &found {
            match item {
                Ok(c) => {
                    assert!(!c.id.is_empty() && c.id.trim() == c.id, "{}", context());
                    reported.insert(c.line);
                    reported.extend(c.grades.iter().map(|g| g.line));
                    reported.extend(c.errors.iter().map(|e| e.line));
                }
                Err(e) => {
                    reported.insert(e.line);
                }
            }
        }
        let mut lines = expected.iter();
        if format != InputFormat::JsonLines {
            let header = lines.next().copied().unwrap_or(0);
            if let [Err(e)] = found.as_slice() {
                if e.line == header {
                    return; // A bad header stops the reading.
                }
            }
        }
        for line in lines {
            assert!(
                reported.contains(line),
                "line {line} is lost: {}",
                context()
            );
        }
    }

    #[test]
    fn json_is_checked_as_serde_json_reads_a_value() {
        let check = |text: &str| {
            let value = serde_json::from_str::<serde_json::Value>(text).map(|_| ());
            let valid = serde_json::from_str::<Valid>(text).map(|_| ());
            assert_eq!(
                value.map_err(|e| e.to_string()),
                valid.map_err(|e| e.to_string()),
                "{text:?}"
            );
        };
        for text in [
            "{}",
            "{\"candidate\": \"a\", \"grades\": {\"C1\": 12.5}}",
            "1e400",
            "-1e400",
            "{\"a\": 1e999}",
            "18446744073709551616",
            "-9223372036854775809",
            "\"\\ud800\"",
            "\"\\x\"",
            "\"tab\there\"",
            "[1, 2,]",
            "{\"a\": 1,}",
            "{1: 2}",
            "nul",
            "{} {}",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        ] {
            check(text);
        }
        let mut rng = XorShift(0x1234_5678_9abc_def1);
        for _ in 0..3000 {
            let input = random_input(&mut rng, InputFormat::JsonLines);
            if let Ok(text) = std::str::from_utf8(&input) {
                for line in text.lines() {
                    check(line);
                }
            }
        }
    }

    /// The one pass vouches only for lines serde_json accepts, and reads
    /// them as the scanner reads them after serde_json: the same members
    /// at the same places, and the same members of the first `grades`
    /// object. Checked on crafted lines and on random lines, whole and
    /// with one character changed.
    #[test]
    fn one_pass_reads_what_serde_json_then_the_scanner_read() {
        type Found = Vec<(String, usize, usize, usize)>;
        let listed = |members: &[Member<'_>]| -> Found {
            members
                .iter()
                .map(|m| (m.key.to_string(), m.key_at, m.value.start, m.value.end))
                .collect()
        };
        let check = |text: &str| -> bool {
            let Some(read) = Strict::new(text).line() else {
                return false;
            };
            assert!(serde_json::from_str::<Valid>(text).is_ok(), "{text:?}");
            let members = Scanner::new(text).object().unwrap_or_default();
            assert_eq!(listed(&read.members), listed(&members), "{text:?}");
            let grades = members
                .iter()
                .find(|m| m.key.trim() == "grades")
                .filter(|m| m.value.kind(text) == Some(Kind::Object))
                .and_then(|m| {
                    let mut scanner = Scanner::new(text);
                    scanner.pos = m.value.start;
                    scanner.object()
                });
            assert_eq!(
                read.grades.as_deref().map(listed),
                grades.as_deref().map(listed),
                "{text:?}"
            );
            true
        };
        let deep = |n: usize| format!("{{\"a\": {}1{}}}", "[".repeat(n), "]".repeat(n));
        for text in [
            "{}",
            " { } ",
            "{\"candidate\": \"a\", \"grades\": {\"C1\": 12.5, \"C2\": \"acquis\"}}",
            "{\"grades\": {\"C1\": -0.5}, \"candidate\": 12, \"x\": [true, false, null, {}]}",
            "{\"a\\\"b\": \"c\\/d\\n\", \"grades\": {\"C\\t1\": \"x\"}}",
            "{\" grades \": {\"C1\": 1}, \"grades\": {\"C2\": 2}}",
            "{\"grades\": 5, \"grades\": {\"C2\": 2}}",
            "{\"meta\": {\"grades\": {\"C1\": 1}}}",
            "{\"a\": \"\u{e9}t\u{e9}\", \"grades\": {\"\u{e9}\": 0}}",
        ] {
            assert!(check(text), "not vouched for: {text:?}");
        }
        for text in [
            "{\"a\": 1e3}",
            "{\"a\": 01}",
            "{\"a\": -}",
            "{\"a\": 1.}",
            "{\"a\": .5}",
            "{\"a\": \"\\u00e9\"}",
            "{\"gr\\u0061des\": {\"C1\": 1}}",
            "{\"a\": \"\\x\"}",
            "{\"a\": \"tab\there\"}",
            "{\"a\": 1,}",
            "{\"a\": [1,]}",
            "{\"a\": tru}",
            "{} {}",
            "[]",
            "5",
        ] {
            assert!(!check(text), "vouched for: {text:?}");
        }
        assert!(check(&deep(Strict::DEPTH - 2)));
        assert!(!check(&deep(Strict::DEPTH)));
        assert!(!check(&deep(200)));
        let long = format!("{{\"a\": {}}}", "9".repeat(Strict::DIGITS + 1));
        assert!(!check(&long));
        let mut rng = XorShift(0x0bad_5eed_1234_5679);
        let changes = [
            "\"", "\\", "{", "}", "[", "]", ",", ":", "0", "e", "-", ".", " ", "\t", "\u{1}",
            "\u{e9}", "a", "n", "t",
        ];
        let mut vouched = 0usize;
        for round in 0..6000 {
            let text = if round % 2 == 0 {
                let input = random_input(&mut rng, InputFormat::JsonLines);
                let Ok(text) = String::from_utf8(input) else {
                    continue;
                };
                text
            } else {
                random_json_object(&mut rng, 0)
            };
            for line in text.lines() {
                vouched += usize::from(check(line));
                let chars: Vec<char> = line.chars().collect();
                if chars.is_empty() {
                    continue;
                }
                let at = rng.below(chars.len());
                let change = changes[rng.below(changes.len())];
                let changed: String = chars.iter().take(at).collect::<String>()
                    + change
                    + &chars.iter().skip(at + 1).collect::<String>();
                check(&changed);
            }
        }
        assert!(vouched > 2000, "{vouched}");
    }

    /// A random JSON object of keys a grades line may hold, with strings
    /// (escaped or not), numbers as written, literals and nested values.
    fn random_json_object(rng: &mut XorShift, depth: usize) -> String {
        let keys = [
            "candidate",
            "grades",
            " grades",
            "C1",
            "E1/CE2",
            "a\\\"b",
            "\u{e9}",
        ];
        let members: Vec<String> = (0..rng.below(5))
            .map(|_| {
                let key = keys[rng.below(keys.len())];
                format!("\"{key}\": {}", random_json_value(rng, depth + 1))
            })
            .collect();
        format!(
            "{{{}}}",
            members.join(if rng.below(2) == 0 { ", " } else { "," })
        )
    }

    fn random_json_value(rng: &mut XorShift, depth: usize) -> String {
        let texts = [
            "acquis",
            "",
            " en cours ",
            "a\\nb",
            "\\u00e9",
            "\u{e9}t\u{e9}",
            "\\\\",
        ];
        let numbers = [
            "0",
            "-0",
            "12.5",
            "-3",
            "1e2",
            "14.50",
            "123456789012345678901234567890",
        ];
        match rng.below(if depth > 3 { 3 } else { 5 }) {
            0 => format!("\"{}\"", texts[rng.below(texts.len())]),
            1 => numbers[rng.below(numbers.len())].to_string(),
            2 => ["true", "false", "null"][rng.below(3)].to_string(),
            3 => format!(
                "[{}]",
                (0..rng.below(3))
                    .map(|_| random_json_value(rng, depth + 1))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            _ => random_json_object(rng, depth),
        }
    }

    #[test]
    fn random_inputs_never_panic_nor_lose_lines() {
        let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
        for _ in 0..1000 {
            for format in [
                InputFormat::LongCsv,
                InputFormat::WideCsv,
                InputFormat::JsonLines,
            ] {
                let input = random_input(&mut rng, format);
                check_accounted(&input, format);
            }
        }
        for _ in 0..200 {
            let length = rng.below(200);
            let input: Vec<u8> = (0..length).map(|_| rng.next() as u8).collect();
            for format in [
                InputFormat::LongCsv,
                InputFormat::WideCsv,
                InputFormat::JsonLines,
            ] {
                check_accounted(&input, format);
            }
        }
    }

    #[test]
    fn random_bytes_as_a_workbook_give_one_error_and_no_panic() {
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..300 {
            let input = random_input(&mut rng, InputFormat::Xlsx);
            let found: Vec<_> = read(input.as_slice(), InputFormat::Xlsx).collect();
            assert_eq!(found.len(), 1, "{input:?}");
            assert!(found.first().is_some_and(|f| f.is_err()));
        }
    }

    /// Makes rows on demand, so that the input is never in memory whole.
    struct Generated<F> {
        row: usize,
        rows: usize,
        make: F,
        buffer: Vec<u8>,
        at: usize,
    }

    impl<F: FnMut(usize, &mut Vec<u8>)> Read for Generated<F> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.at == self.buffer.len() {
                if self.row > self.rows {
                    return Ok(0);
                }
                self.buffer.clear();
                self.at = 0;
                (self.make)(self.row, &mut self.buffer);
                self.row += 1;
            }
            let n = (self.buffer.len() - self.at).min(buf.len());
            buf[..n].copy_from_slice(&self.buffer[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    fn generated<F: FnMut(usize, &mut Vec<u8>)>(rows: usize, make: F) -> Generated<F> {
        Generated {
            row: 0,
            rows,
            make,
            buffer: Vec::new(),
            at: 0,
        }
    }

    /// A stream's candidates share their texts while they meet no new
    /// one; a candidate that meets one gets a copy, the candidates after
    /// it share that copy, and every grade reads as written.
    #[test]
    fn a_stream_shares_its_texts_until_a_new_one_is_met() {
        let input = "candidate,criterion,grade\n\
            a,C1,acquis\na,C2,12\n\
            b,C1,acquis\nb,C2,12\n\
            c,C1,en_cours\nc,C2,12\n\
            d,C2,12\nd,C1,en_cours\n";
        let json = "{\"candidate\":\"a\",\"grades\":{\"C1\":\"acquis\",\"C2\":12}}\n\
            {\"candidate\":\"b\",\"grades\":{\"C1\":\"acquis\",\"C2\":12}}\n\
            {\"candidate\":\"c\",\"grades\":{\"C1\":\"acquis\",\"C3\":12}}\n";
        let wide = "candidate,C1,C2\na,acquis,12\nb,acquis,12\nc,acquis,13\n";
        // Each file: its third candidate meets a new text.
        for (input, format, third) in [
            (
                input,
                InputFormat::LongCsv,
                [("C1", "en_cours"), ("C2", "12")],
            ),
            (
                json,
                InputFormat::JsonLines,
                [("C1", "acquis"), ("C3", "12")],
            ),
            (wide, InputFormat::WideCsv, [("C1", "acquis"), ("C2", "13")]),
        ] {
            let read = candidates(input, format);
            let [a, b, c, ..] = &read[..] else {
                panic!("{read:?}")
            };
            assert!(a.texts().same(b.texts()), "{format:?}");
            assert!(!b.texts().same(c.texts()), "{format:?}");
            assert_eq!(grades(c), third);
            // The candidate after it meets none: the same texts.
            if let Some(d) = read.get(3) {
                assert!(c.texts().same(d.texts()));
                assert_eq!(grades(d), [("C2", "12"), ("C1", "en_cours")]);
            }
        }
    }

    /// A stream in which every grade is new (free text, fine marks) is
    /// not copied whole at each candidate: what its candidates hold stays
    /// in proportion to their grades ([`COPY`] texts a grade at most, on
    /// top of their own), and the interner starts afresh instead of
    /// growing past [`INTERNED`].
    #[test]
    fn a_stream_of_new_texts_holds_texts_in_proportion_to_its_grades() {
        use std::io::Write as _;
        for grades in [1, 3, 50] {
            let mut input = b"candidate,criterion,grade\n".to_vec();
            for c in 0..20_000 {
                for g in 0..grades {
                    let _ = writeln!(input, "k{c},C{g},note {c}.{g}");
                }
            }
            let mut distinct: Vec<Texts> = Vec::new();
            let mut count = 0;
            for item in read(input.as_slice(), InputFormat::LongCsv) {
                let candidate = item.unwrap_or_else(|e| panic!("{e}"));
                let c = count;
                let expected: Vec<(String, String)> = (0..grades)
                    .map(|g| (format!("C{g}"), format!("note {c}.{g}")))
                    .collect();
                let got: Vec<(String, String)> = grades_of(&candidate);
                assert_eq!(got, expected);
                assert!(candidate.texts().len() <= INTERNED.max(2 * grades));
                if !distinct.last().is_some_and(|t| t.same(candidate.texts())) {
                    distinct.push(candidate.texts().clone());
                }
                count += 1;
            }
            assert_eq!(count, 20_000);
            let held: usize = distinct.iter().map(Texts::len).sum();
            assert!(
                held <= (COPY + 2) * grades * count,
                "{held} texts held for {count} candidates of {grades} grades"
            );
        }
    }

    #[test]
    fn streams_many_candidates() {
        use std::io::Write as _;
        const ROWS: usize = 200_000;
        let start = Instant::now();
        let wide = generated(ROWS, |row, out| {
            if row == 0 {
                out.extend_from_slice(b"candidate,C1,C2\n");
            } else {
                let _ = writeln!(out, "c{row},acquis,12");
            }
        });
        let mut count = 0;
        for item in read(wide, InputFormat::WideCsv) {
            let candidate = item.unwrap();
            assert_eq!(candidate.grades.len(), 2);
            count += 1;
        }
        assert_eq!(count, ROWS);
        // Fewer candidates in the slower formats, to keep the test quick in
        // debug builds. Two rows per candidate.
        const FEWER: usize = ROWS / 4;
        let long = generated(2 * FEWER, |row, out| {
            if row == 0 {
                out.extend_from_slice(b"candidate,criterion,grade\n");
            } else {
                let _ = writeln!(out, "c{},C{},acquis", row.div_ceil(2), row % 2);
            }
        });
        assert_eq!(
            read(long, InputFormat::LongCsv)
                .filter(Result::is_ok)
                .count(),
            FEWER
        );
        let json = generated(FEWER / 2, |row, out| {
            let _ = writeln!(
                out,
                "{{\"candidate\": \"c{row}\", \"grades\": {{\"C1\": \"acquis\"}}}}"
            );
        });
        assert_eq!(
            read(json, InputFormat::JsonLines)
                .filter(Result::is_ok)
                .count(),
            FEWER / 2 + 1
        );
        let elapsed = start.elapsed();
        assert!(elapsed < Duration::from_secs(30), "too slow: {elapsed:?}");
    }
}
