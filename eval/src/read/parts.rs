//! Reading a grades file on every core.
//!
//! One thread cuts the bytes into parts of about [`PART`] bytes, where the
//! readers of [`super`] would start afresh anyway; the parts are read on
//! every core by those same readers, then put back in order. The items are
//! those [`super::read`] gives, in the same order, with the same lines and
//! columns (the tests compare both readers on random files cut into parts
//! of a few bytes).
//!
//! Where a file may be cut:
//!
//! - **JSON Lines**: after any line break.
//! - **CSV**: only between two records, which a quote-aware scan finds (a
//!   line break inside a quoted field is not a record's end), with the
//!   rules of the `csv` crate: a `"` opens a quoted field only at the start
//!   of a field, `""` inside it is a quote, `\r`, `\n` and `\r\n` end a
//!   record. The header and the blank records before it are a part of
//!   their own, read first (its layout is the other parts').
//! - **long CSV**: besides, only between two rows of different candidates,
//!   each a whole record on a single line (a field quoted on its line, as
//!   in `"Dupont, Jean"`, is fine; a quoted field that goes on to the next
//!   line is not), with as many fields as the header and a candidate id
//!   read as the readers read it: so that every candidate's rows are read
//!   in one part, and every row of a part is read as it would be in the
//!   whole file. A row cut short by a read error is no place to cut.
//!
//! Cutting costs one pass of `memchr` over the bytes. Where a CSV file
//! offers no place to cut for [`STUCK`] parts' worth of bytes (every row
//! with a line break in a quoted field, a single candidate, a quote left
//! open), the rest is read on one
//! core by the sequential reader, from the last cut, with the ids seen so
//! far: memory stays bounded as the sequential reader's is.
//!
//! A candidate met in two places is noticed when the parts are put back in
//! order, against the ids of the whole file: the error is the one the
//! sequential reader gives, first among the candidate's errors.

use std::borrow::Cow;
use std::io::{self, BufRead, Read};

use super::{
    delimiter, empty_file, error, repeated, BomSkip, Code, CsvState, InputError, InputFormat,
    Interner, Item, JsonState, Layout, Peeked, Repeat, Seen, Sink,
};

/// About how many bytes a part holds.
pub const PART: usize = 256 * 1024;

/// How many parts are cut before they are read together: two per core,
/// at least eight. Two such batches are in memory at a time (the one
/// evaluated, the next one read), whatever the size of the file.
fn parts() -> usize {
    (2 * rayon::current_num_threads()).clamp(8, 64)
}

/// Bytes asked of the input at a time.
const BLOCK: usize = 256 * 1024;

/// Reads a grades file in parts on every core: [`PartReader::next_items`]
/// gives the items of [`super::read`], in order, a few megabytes at a time.
pub struct PartReader {
    format: Format,
    cutter: Cutter,
    /// Ids seen so far in the whole file.
    seen: Seen,
    /// A non-blank line was met (JSON Lines: an empty file is an error).
    content: bool,
    /// Part size, [`PART`] but in tests.
    part: usize,
    done: bool,
}

/// What each part is read with.
enum Format {
    /// The header is still to be read.
    CsvHeader {
        wide: bool,
    },
    Csv(CsvTemplate),
    Json,
    /// A workbook that cannot be read: its one error.
    Failed(Option<InputError>),
    /// A CSV file whose header shares its line with other records (a lone
    /// `\r` between them): read on one core, as [`super::read`] does.
    Sequential(Box<CsvState<Rest>>),
}

/// The bytes read so far, then the rest of the input.
type Rest = io::Chain<io::Chain<io::Cursor<Vec<u8>>, Failing>, Box<dyn Read + Send>>;

/// How many items a sequential reading gives at a time.
const ITEMS: usize = 4096;

/// What a CSV part needs from the header.
#[derive(Clone)]
struct CsvTemplate {
    delimiter: u8,
    wide: bool,
    layout: Layout,
    /// The metadata column names (long CSV).
    metadata: Vec<String>,
}

impl CsvTemplate {
    fn repeat(&self) -> Repeat {
        match &self.layout {
            Layout::Long(layout) => Repeat::Rows(layout.candidate + 1),
            Layout::Wide(_) => Repeat::Row,
        }
    }
}

/// What the cutter found.
enum Cut {
    Part(Part),
    /// The input is all handed out.
    End,
    /// No place to cut in [`STUCK`] parts' worth of bytes.
    Stuck,
}

/// How many parts' worth of bytes may wait for a place to cut before the
/// rest of a CSV file is read on one core, as [`super::read`] reads it:
/// memory stays bounded whatever the file.
const STUCK: usize = 64;

/// A part: bytes that begin at a place where the readers start afresh.
struct Part {
    bytes: Vec<u8>,
    /// The line of its first byte.
    line: usize,
    /// The read error met right after these bytes (the last part).
    error: Option<io::Error>,
}

impl PartReader {
    /// A reader of `reader`, a file in `format`.
    pub fn new<R: Read + Send + 'static>(reader: R, format: InputFormat) -> PartReader {
        PartReader::with_part_size(reader, format, PART)
    }

    /// [`PartReader::new`], cutting parts of about `part` bytes (tests cut
    /// tiny parts).
    pub fn with_part_size<R: Read + Send + 'static>(
        reader: R,
        format: InputFormat,
        part: usize,
    ) -> PartReader {
        let reader = BomSkip::new(reader);
        let (format, source, delimiter): (Format, Box<dyn Read + Send>, u8) = match format {
            InputFormat::LongCsv | InputFormat::WideCsv => {
                let peeked = Peeked::new(reader);
                let delimiter = delimiter(peeked.first_line());
                let wide = format == InputFormat::WideCsv;
                (Format::CsvHeader { wide }, Box::new(peeked), delimiter)
            }
            InputFormat::JsonLines => (Format::Json, Box::new(reader), b','),
            InputFormat::Xlsx => match super::xlsx_as_wide_csv(reader) {
                Ok(csv) => {
                    let peeked = Peeked::new(BomSkip::new(io::Cursor::new(csv)));
                    let delimiter = delimiter(peeked.first_line());
                    (
                        Format::CsvHeader { wide: true },
                        Box::new(peeked),
                        delimiter,
                    )
                }
                Err(e) => (Format::Failed(Some(e)), Box::new(io::empty()), b','),
            },
        };
        PartReader {
            format,
            cutter: Cutter::new(source, delimiter),
            seen: Seen::default(),
            content: false,
            part: part.max(1),
            done: false,
        }
    }

    /// The next items, in input order: those of a few megabytes of input,
    /// read on every core. Empty once the file is read.
    pub fn next_items(&mut self) -> Vec<Item> {
        // Parts of blank lines give nothing: read on until something or
        // the end.
        loop {
            let items = self.next_batch();
            if !items.is_empty() || self.done {
                return items;
            }
        }
    }

    fn next_batch(&mut self) -> Vec<Item> {
        let mut items = Vec::new();
        if self.done {
            return items;
        }
        if let Format::Failed(e) = &mut self.format {
            self.done = true;
            items.extend(e.take().map(Err));
            return items;
        }
        if let Format::CsvHeader { wide } = self.format {
            self.header(wide, &mut items);
            if self.done {
                return items;
            }
        }
        if let Format::Sequential(state) = &mut self.format {
            while items.len() < ITEMS {
                match state.next_item() {
                    Some(item) => items.push(item),
                    None => {
                        self.done = true;
                        break;
                    }
                }
            }
            return items;
        }
        let wanted = parts();
        let mut stuck = false;
        let mut failed = false;
        let template = match &self.format {
            Format::Csv(template) => Some(template),
            _ => None,
        };
        // Each part is read on a free core as soon as it is cut, while the
        // next is cut: reading the input and cutting it overlap with
        // reading the parts.
        let (sender, receiver) = std::sync::mpsc::channel();
        let cutter = &mut self.cutter;
        let (size, format) = (self.part, &self.format);
        let mut cut = 0;
        rayon::in_place_scope(|scope| {
            while cut < wanted {
                match cutter.next_part(size, format) {
                    Cut::Part(part) => {
                        failed = part.error.is_some();
                        let sender = sender.clone();
                        let at = cut;
                        scope.spawn(move |_| {
                            // The receiver outlives the scope: never fails.
                            let _ = sender.send((at, read_part(part, template)));
                        });
                        cut += 1;
                    }
                    Cut::End => {
                        self.done = true;
                        break;
                    }
                    Cut::Stuck => {
                        stuck = true;
                        break;
                    }
                }
            }
        });
        drop(sender);
        let mut read: Vec<(usize, (Vec<Item>, bool))> = receiver.into_iter().collect();
        read.sort_unstable_by_key(|(at, _)| *at);
        let read = read.into_iter().map(|(_, part)| part);
        let repeat = match &self.format {
            Format::Csv(template) => template.repeat(),
            _ => Repeat::Line,
        };
        for (part, content) in read {
            self.content |= content;
            self.merge(part, repeat, &mut items);
        }
        if stuck {
            self.sequential();
        }
        if failed {
            self.done = true;
        } else if self.done && matches!(self.format, Format::Json) && !self.content {
            items.push(Err(error(Code::GradesEmpty, 1, None, empty_file())));
        }
        items
    }

    /// Reads the header (and the blank records before it) as a part of its
    /// own: its layout is the other parts'. Without one (an empty file, a
    /// bad header, a read error), the file is read.
    fn header(&mut self, wide: bool, items: &mut Vec<Item>) {
        let delimiter = self.cutter.delimiter;
        let Some(part) = self.cutter.header_part(delimiter) else {
            let cutter = &mut self.cutter;
            let read = io::Cursor::new(std::mem::take(&mut cutter.buffer));
            let source = std::mem::replace(&mut cutter.source, Box::new(io::empty()));
            let rest = read.chain(Failing(cutter.error.take())).chain(source);
            let state = CsvState::with(rest, delimiter, wide, 1, Sink::default());
            self.format = Format::Sequential(Box::new(state));
            return;
        };
        let failed = part.error.is_some();
        let sink = Sink {
            seen: Seen::deferred(),
            ..Sink::default()
        };
        let source = io::Cursor::new(part.bytes).chain(Failing(part.error));
        let mut state = CsvState::with(source, delimiter, wide, part.line, sink);
        let mut read = Vec::new();
        while let Some(item) = state.next_item() {
            read.push(item);
        }
        match state.layout.take() {
            Some(layout) => {
                let template = CsvTemplate {
                    delimiter,
                    wide,
                    layout,
                    metadata: std::mem::take(&mut state.sink.metadata),
                };
                let repeat = template.repeat();
                self.format = Format::Csv(template);
                self.merge(read, repeat, items);
                self.done = failed;
            }
            // An empty file, a bad header or a read error: nothing more is
            // read.
            None => {
                self.merge(read, Repeat::Row, items);
                self.done = true;
            }
        }
    }

    /// Reads the rest of a CSV file on one core, from the start of the
    /// bytes not yet handed out (a place where a reader starts afresh),
    /// with the ids seen so far.
    fn sequential(&mut self) {
        let Format::Csv(template) = &self.format else {
            return;
        };
        let template = template.clone();
        let cutter = &mut self.cutter;
        let read = io::Cursor::new(std::mem::take(&mut cutter.buffer));
        let source = std::mem::replace(&mut cutter.source, Box::new(io::empty()));
        let rest = read.chain(Failing(cutter.error.take())).chain(source);
        let sink = Sink {
            seen: std::mem::take(&mut self.seen),
            metadata: template.metadata,
            ..Sink::default()
        };
        let mut state = CsvState::with(rest, template.delimiter, template.wide, cutter.line, sink);
        state.layout = Some(template.layout);
        self.format = Format::Sequential(Box::new(state));
    }

    /// Puts a part's items after the others, noticing candidates met
    /// before (in this part or an earlier one).
    fn merge(&mut self, part: Vec<Item>, repeat: Repeat, items: &mut Vec<Item>) {
        items.reserve(part.len());
        for mut item in part {
            if let Ok(candidate) = &mut item {
                if let Some(first) = self.seen.first_line(&candidate.id, candidate.line) {
                    let e = repeated(repeat, &candidate.id, candidate.line, first);
                    candidate.errors.insert(0, e);
                }
            }
            items.push(item);
        }
    }
}

/// Reads one part of a CSV file (read with `template`) or of JSON Lines
/// (`None`): its items, and whether it held a non-blank line.
fn read_part(part: Part, template: Option<&CsvTemplate>) -> (Vec<Item>, bool) {
    let mut items = Vec::new();
    match template {
        Some(template) => {
            let sink = Sink {
                seen: Seen::deferred(),
                metadata: template.metadata.clone(),
                interner: Interner::batch(),
                ..Sink::default()
            };
            if part.error.is_none() {
                if let Some(items) = CsvState::read_plain(
                    &part.bytes,
                    part.line,
                    template.delimiter,
                    template.wide,
                    template.layout.clone(),
                    sink,
                ) {
                    keep_part_buffer(part.bytes);
                    return (items, false);
                }
            }
            let source = io::Cursor::new(part.bytes.as_slice()).chain(Failing(part.error));
            let sink = Sink {
                seen: Seen::deferred(),
                metadata: template.metadata.clone(),
                interner: Interner::batch(),
                ..Sink::default()
            };
            let mut state =
                CsvState::with(source, template.delimiter, template.wide, part.line, sink);
            state.layout = Some(template.layout.clone());
            while let Some(item) = state.next_item() {
                items.push(item);
            }
            state.sink.interner.seal_all(&mut items);
            drop(state);
            keep_part_buffer(part.bytes);
            (items, false)
        }
        None => {
            let source = io::Cursor::new(part.bytes.as_slice()).chain(Failing(part.error));
            let mut state = JsonState::with(source, part.line, Seen::deferred());
            state.part = true;
            state.interner = Interner::batch();
            while let Some(item) = state.next_item() {
                items.push(item);
            }
            state.interner.seal_all(&mut items);
            let content = state.content;
            drop(state);
            keep_part_buffer(part.bytes);
            (items, content)
        }
    }
}

/// Part buffers given back once their part is read, for the cutter to fill
/// again: a fresh buffer's pages are faulted in by the system as they are
/// first written, which cost a long CSV run more time than reading the
/// file. At most [`KEPT_PARTS`], of at most [`KEPT_PART_BYTES`] each.
static PART_BUFFERS: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());

/// Parts read at once on every core, and then some: enough that the
/// cutter seldom starts a fresh buffer.
const KEPT_PARTS: usize = 16;
const KEPT_PART_BYTES: usize = 4 << 20;

/// An empty buffer, one given back by a part read before when there is.
fn kept_part_buffer() -> Vec<u8> {
    PART_BUFFERS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .pop()
        .unwrap_or_default()
}

/// Gives back a part's buffer once read (dropped when the buffers kept
/// are enough, or it is too large to keep).
fn keep_part_buffer(mut buffer: Vec<u8>) {
    if buffer.capacity() > KEPT_PART_BYTES {
        return;
    }
    buffer.clear();
    let mut kept = PART_BUFFERS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if kept.len() < KEPT_PARTS {
        kept.push(buffer);
    }
}

/// A reader that fails once with the error it holds, then ends: what
/// followed the last bytes of a file that could not be read further.
struct Failing(Option<io::Error>);

impl Read for Failing {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

impl BufRead for Failing {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(&[]),
        }
    }

    fn consume(&mut self, _: usize) {}
}

/// Reads the input and cuts it into parts.
struct Cutter {
    source: Box<dyn Read + Send>,
    delimiter: u8,
    /// Bytes read and not yet handed out; `buffer[0]` starts a part.
    buffer: Vec<u8>,
    /// What the input is read into.
    block: Vec<u8>,
    /// The line of `buffer[0]`.
    line: usize,
    /// CSV: bytes of `buffer` scanned, and whether that position is inside
    /// a quoted field.
    scanned: usize,
    quoted: bool,
    /// CSV: where the record being scanned starts in `buffer`.
    record: usize,
    eof: bool,
    error: Option<io::Error>,
}

impl Cutter {
    fn new(source: Box<dyn Read + Send>, delimiter: u8) -> Cutter {
        Cutter {
            source,
            delimiter,
            buffer: Vec::new(),
            block: Vec::new(),
            line: 1,
            scanned: 0,
            quoted: false,
            record: 0,
            eof: false,
            error: None,
        }
    }

    /// Reads one more block; at the end or on an error, `eof` is set.
    fn fill(&mut self) {
        if self.eof {
            return;
        }
        if self.block.is_empty() {
            self.block = vec![0; BLOCK];
        }
        loop {
            match self.source.read(&mut self.block) {
                Ok(0) => {
                    self.eof = true;
                    return;
                }
                Ok(n) => {
                    self.buffer
                        .extend_from_slice(self.block.get(..n).unwrap_or_default());
                    return;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.eof = true;
                    self.error = Some(e);
                    return;
                }
            }
        }
    }

    /// Hands out `buffer[..at]`; what follows goes on in a part buffer
    /// read before ([`kept_part_buffer`]).
    fn take(&mut self, at: usize) -> Part {
        let at = at.min(self.buffer.len());
        let mut rest = kept_part_buffer();
        rest.extend_from_slice(self.buffer.get(at..).unwrap_or_default());
        self.buffer.truncate(at);
        let bytes = std::mem::replace(&mut self.buffer, rest);
        let line = self.line;
        self.line += memchr::memchr_iter(b'\n', &bytes).count();
        self.scanned = self.scanned.saturating_sub(bytes.len());
        self.record = self.record.saturating_sub(bytes.len());
        Part {
            bytes,
            line,
            error: None,
        }
    }

    /// Hands out all that is left, with the read error that ended it.
    fn take_rest(&mut self) -> Part {
        let mut part = self.take(self.buffer.len());
        part.error = self.error.take();
        self.scanned = 0;
        self.quoted = false;
        self.record = 0;
        part
    }

    /// The next part, `None` at the end.
    fn next_part(&mut self, size: usize, format: &Format) -> Cut {
        loop {
            let cut = match format {
                Format::Json => self.json_cut(size),
                Format::Csv(template) => self.csv_cut(size, template),
                Format::CsvHeader { .. } | Format::Failed(_) | Format::Sequential(_) => None,
            };
            if let Some(at) = cut {
                return Cut::Part(self.take(at));
            }
            if self.eof {
                if self.buffer.is_empty() && self.error.is_none() {
                    return Cut::End;
                }
                return Cut::Part(self.take_rest());
            }
            // A CSV file with no place to cut (rows with quotes, a single
            // candidate): read on one core rather than held whole.
            if matches!(format, Format::Csv(_)) && self.buffer.len() >= STUCK * size {
                return Cut::Stuck;
            }
            self.fill();
        }
    }

    /// JSON Lines: after the first line break at or past `size`.
    fn json_cut(&self, size: usize) -> Option<usize> {
        let from = size.saturating_sub(1);
        let rest = self.buffer.get(from..)?;
        memchr::memchr(b'\n', rest).map(|i| from + i + 1)
    }

    /// The next record boundary (the position after a line break outside
    /// quotes) after `scanned`; `None` when more bytes are needed.
    fn next_boundary(&mut self) -> Option<usize> {
        self.boundary_past(0).map(|(at, _)| at)
    }

    /// The first record boundary (the position after a line break outside
    /// quotes) after `scanned` and at or past `size`, and where its record
    /// starts; `None` when more bytes are needed. One pass over the quotes
    /// and line breaks (`memchr2_iter`), not a call per record: the cutter
    /// reads the whole file on one core.
    fn boundary_past(&mut self, size: usize) -> Option<(usize, usize)> {
        let delimiter = self.delimiter;
        let rest = self.buffer.get(self.scanned..)?;
        let base = self.scanned;
        // The second quote of a `""` inside a quoted field.
        let mut skip = None;
        for i in memchr::memchr2_iter(b'"', b'\n', rest) {
            let at = base + i;
            if skip == Some(at) {
                continue;
            }
            let byte = self.buffer.get(at).copied();
            if self.quoted {
                if byte != Some(b'"') {
                    continue; // A line break inside the field.
                }
                match self.buffer.get(at + 1) {
                    Some(b'"') => skip = Some(at + 1),
                    Some(_) => self.quoted = false,
                    // The byte after the quote decides: not read yet.
                    None if !self.eof => {
                        self.scanned = at;
                        return None;
                    }
                    None => self.quoted = false,
                }
            } else if byte == Some(b'\n') {
                let start = self.record;
                self.record = at + 1;
                if at + 1 >= size {
                    self.scanned = at + 1;
                    return Some((at + 1, start));
                }
            } else {
                // A quote opens a quoted field at the start of a field only.
                let field_start = at == 0
                    || matches!(self.buffer.get(at - 1), Some(&b) if b == delimiter || b == b'\r' || b == b'\n');
                if field_start {
                    self.quoted = true;
                }
            }
        }
        self.scanned = self.buffer.len();
        None
    }

    /// CSV: the first boundary at or past `size` where a part may start.
    fn csv_cut(&mut self, size: usize, template: &CsvTemplate) -> Option<usize> {
        loop {
            let before = (self.scanned, self.quoted, self.record);
            let (at, record) = self.boundary_past(size)?;
            // The line before the cut: a record's last line, its break the
            // record's own (so that lines are counted alike in both readers).
            let start = memchr::memrchr(b'\n', self.buffer.get(..at - 1)?).map_or(0, |i| i + 1);
            let previous = self.buffer.get(start..at - 1)?;
            let previous = previous.strip_suffix(b"\r").unwrap_or(previous);
            // And the record's only line (not the end of a quoted field
            // over several lines).
            if previous.is_empty() || memchr::memchr(b'\r', previous).is_some() || record != start {
                continue;
            }
            match &template.layout {
                Layout::Wide(_) => return Some(at),
                Layout::Long(layout) => {
                    let rest = self.buffer.get(at..).unwrap_or_default();
                    let end = match memchr::memchr(b'\n', rest) {
                        Some(i) => at + i,
                        // The last row; not one cut short by a read error
                        // (the reader then reports the candidate before
                        // it incomplete).
                        None if self.eof && self.error.is_none() => self.buffer.len(),
                        None if self.eof => return None,
                        None => {
                            // The next row is not all read: look again
                            // once it is.
                            (self.scanned, self.quoted, self.record) = before;
                            return None;
                        }
                    };
                    let next = self.buffer.get(at..end)?;
                    let (delimiter, width) = (self.delimiter, layout.width);
                    let a = row_id(previous, delimiter, width, layout.candidate);
                    let b = row_id(next, delimiter, width, layout.candidate);
                    if let (Some(a), Some(b)) = (a, b) {
                        if a != b {
                            return Some(at);
                        }
                    }
                }
            }
        }
    }

    /// The header part: up to the first boundary after a record that is
    /// not blank (the readers skip records whose cells are all empty), or
    /// the whole input. `None` when the header's line holds other records
    /// (a lone `\r` between them).
    fn header_part(&mut self, delimiter: u8) -> Option<Part> {
        let mut from = 0;
        loop {
            match self.next_boundary() {
                Some(at) => {
                    let records = self.buffer.get(from..at).unwrap_or_default();
                    if !all_blank(records, delimiter) {
                        let line = records.strip_suffix(b"\n").unwrap_or(records);
                        let line = line.strip_suffix(b"\r").unwrap_or(line);
                        if memchr::memchr(b'\r', line).is_some() {
                            return None;
                        }
                        return Some(self.take(at));
                    }
                    from = at;
                }
                None if self.eof => return Some(self.take_rest()),
                None => self.fill(),
            }
        }
    }
}

/// Whether every record of `bytes` has only empty cells (once trimmed),
/// as the readers decide.
fn all_blank(bytes: &[u8], delimiter: u8) -> bool {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                let blank = record
                    .iter()
                    .all(|field| std::str::from_utf8(field).is_ok_and(|f| f.trim().is_empty()));
                if !blank {
                    return false;
                }
            }
            Ok(false) => return true,
            Err(_) => return false,
        }
    }
}

/// The candidate id of a long-CSV row that is one line holding a whole
/// record (its quotes, if any, closed on the line), with `width` fields
/// and a non-empty id in field `candidate`, as the readers read it (the
/// csv crate's rules, trimmed); `None` for any other line.
fn row_id(row: &[u8], delimiter: u8, width: usize, candidate: usize) -> Option<Cow<'_, str>> {
    let row = row.strip_suffix(b"\r").unwrap_or(row);
    if memchr::memchr(b'\r', row).is_some() {
        return None;
    }
    if memchr::memchr(b'"', row).is_some() {
        return quoted_row_id(row, delimiter, width, candidate).map(Cow::Owned);
    }
    let mut fields = 0;
    let mut id = None;
    for field in row.split(|&b| b == delimiter) {
        if fields == candidate {
            id = Some(field);
        }
        fields += 1;
    }
    if fields != width {
        return None;
    }
    let id = std::str::from_utf8(id?).ok()?.trim();
    (!id.is_empty()).then_some(Cow::Borrowed(id))
}

/// [`row_id`] of a line with quotes, split by [`super::line_fields`]:
/// `None` when a quoted field is still open at the end of the line (the
/// record goes on to the next line).
fn quoted_row_id(row: &[u8], delimiter: u8, width: usize, candidate: usize) -> Option<String> {
    let mut fields = Vec::new();
    super::line_fields(std::str::from_utf8(row).ok()?, delimiter, &mut fields)?;
    let id = fields.get(candidate)?.trim();
    (fields.len() == width && !id.is_empty()).then(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::tests::XorShift;
    use crate::read::{read, RawCandidate};

    /// Hands out its bytes a few at a time, then fails at `fail` (if any).
    struct Trickle {
        bytes: Vec<u8>,
        at: usize,
        step: usize,
        fail: Option<usize>,
    }

    impl Trickle {
        fn new(input: &[u8], step: usize, fail: Option<usize>) -> Trickle {
            Trickle {
                bytes: input.to_vec(),
                at: 0,
                step,
                fail,
            }
        }
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let end = self.fail.unwrap_or(self.bytes.len()).min(self.bytes.len());
            if self.at >= end {
                return match self.fail {
                    Some(_) => Err(io::Error::other("the disk went away")),
                    None => Ok(0),
                };
            }
            let n = buf.len().min(self.step).min(end - self.at);
            buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    /// A file that looks like a grades file, with every kind of fault the
    /// readers know: quotes (closed, doubled, left open, over several
    /// lines), blank lines and blank records, CRLF and lone CR, rows of
    /// the wrong width, empty and padded ids, candidates in two places,
    /// bytes that are not UTF-8, bad JSON.
    fn grades_file(rng: &mut XorShift, format: InputFormat) -> Vec<u8> {
        let mut out = String::new();
        let semicolon = rng.below(4) == 0;
        let sep = if semicolon { ";" } else { "," };
        if rng.below(6) == 0 {
            out.push('\u{feff}');
        }
        for _ in 0..rng.below(3) {
            out.push_str(rng.pick(&["\n", "\r\n", " \n", ",,\n"]));
        }
        match format {
            InputFormat::LongCsv => {
                out.push_str(&["candidate", "criterion", "grade", "assessor"].join(sep))
            }
            InputFormat::WideCsv => out.push_str(&["candidate", "C1", "C2"].join(sep)),
            _ => {}
        }
        if format != InputFormat::JsonLines {
            out.push_str(rng.pick(&["\n", "\r\n"]));
        }
        let ids = ["a", "b", "c", "d", "e", " a", "b ", "\"c\"", ""];
        let mut id = "a";
        let rows = rng.below(60);
        for _ in 0..rows {
            if rng.below(3) == 0 {
                id = ids[rng.below(ids.len())];
            }
            let end = rng.pick(&["\n", "\n", "\n", "\r\n", "\r", "\n\n"]);
            let fault = rng.below(12);
            let row = match format {
                InputFormat::LongCsv => {
                    let assessor = rng.pick(&[
                        "Dupont",
                        "",
                        "\"Dupont, Jean\"",
                        "\"deux\nlignes\"",
                        "\"dit \"\"Jo\"\"\"",
                        "\"dit \"\"Jo\"\"\nsuite\"",
                        // Lines inside a quoted field that look like rows.
                        "\"x \"\"y\"\"\nb,C1,acquis,Dupont\nc,C1,acquis,Jo\"",
                        "\"Sophie",
                        "Jo\"",
                    ]);
                    let grade = rng.pick(&["acquis", "12.5", "", " en_cours "]);
                    let criterion = rng.pick(&["C1", "C2", "C3", ""]);
                    let mut cells = vec![id, criterion, grade, assessor];
                    if fault == 0 {
                        cells.pop();
                    } else if fault == 1 {
                        cells.push("extra");
                    }
                    cells.join(sep)
                }
                InputFormat::WideCsv => {
                    let mut cells = vec![
                        id,
                        rng.pick(&["acquis", "", "14", "\"a,b\""]),
                        rng.pick(&["acquis", "", "\"x\ny\"", "\"open"]),
                    ];
                    if fault == 0 {
                        cells.pop();
                    }
                    cells.join(sep)
                }
                _ => {
                    let id = id.replace('"', "");
                    match fault {
                        0 => format!("{{\"candidate\": \"{id}\", \"grades\": {{\"C1\""),
                        1 => "   ".to_string(),
                        2 => format!("{{\"grades\": {{}}, \"candidate\": {}}}", rng.below(5)),
                        _ => format!(
                            "{{\"candidate\": \"{id}\", \"grades\": {{\"C1\": \"acquis\", \"C2\": 12.5}}, \"x\": 1}}"
                        ),
                    }
                }
            };
            out.push_str(&row);
            out.push_str(end);
        }
        let mut bytes = out.into_bytes();
        // A few bytes that are not UTF-8, or random tokens.
        for _ in 0..rng.below(3) {
            if !bytes.is_empty() {
                let at = rng.below(bytes.len());
                let byte = [0xff, 0xc3, b'"', b'\n', b'\r', b',', 0xef][rng.below(7)];
                bytes.insert(at, byte);
            }
        }
        if rng.below(3) != 0 && bytes.last() != Some(&b'\n') {
            bytes.push(b'\n');
        }
        bytes
    }

    fn sequential(
        input: &[u8],
        format: InputFormat,
        step: usize,
        fail: Option<usize>,
    ) -> Vec<Item> {
        let reader = Trickle::new(input, step, fail);
        read(reader, format).collect()
    }

    fn in_parts(
        input: &[u8],
        format: InputFormat,
        part: usize,
        step: usize,
        fail: Option<usize>,
    ) -> Vec<Item> {
        let reader = Trickle::new(input, step, fail);
        let mut reader = PartReader::with_part_size(reader, format, part);
        let mut all = Vec::new();
        loop {
            let items = reader.next_items();
            if items.is_empty() {
                break;
            }
            all.extend(items);
        }
        all
    }

    fn compare(input: &[u8], format: InputFormat, part: usize, step: usize, fail: Option<usize>) {
        let expected = sequential(input, format, step, fail);
        let found = in_parts(input, format, part, step, fail);
        assert!(
            expected == found,
            "{format:?}, parts of {part} bytes, reads of {step}, failing at {fail:?}:\n{:?}\n\
             sequential: {expected:#?}\nin parts: {found:#?}",
            String::from_utf8_lossy(input)
        );
    }

    #[test]
    fn parts_give_what_the_whole_file_gives() {
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..1500 {
            for format in [
                InputFormat::LongCsv,
                InputFormat::WideCsv,
                InputFormat::JsonLines,
            ] {
                let input = grades_file(&mut rng, format);
                let part = [1, 2, 3, 5, 8, 13, 40, 200][rng.below(8)];
                let step = [1, 3, 64, 4096][rng.below(4)];
                let fail = (rng.below(4) == 0).then(|| rng.below(input.len() + 1));
                compare(&input, format, part, step, fail);
            }
        }
    }

    /// A CSV grades file with no `\r`, only UTF-8 and its quotes closed
    /// on their lines (quoted cells, `""` in them, a `"` inside a cell),
    /// so that its parts are split without the CSV reader
    /// ([`CsvState::read_plain`]), with every other fault: rows of the
    /// wrong width (more than 16 fields too), empty, blank and padded
    /// cells, blank lines and lines of delimiters, trailing delimiters,
    /// candidates in two places, non-ASCII text, no final line break.
    fn plain_file(rng: &mut XorShift, format: InputFormat) -> String {
        let sep = if rng.below(4) == 0 { ";" } else { "," };
        let mut out = match format {
            InputFormat::LongCsv => ["candidate", "criterion", "grade", "assessor"].join(sep),
            _ => ["candidate", "C1", "C2"].join(sep),
        };
        out.push('\n');
        let ids = ["a", "b", "c", " a", "b ", "", "é", "\"a\"", "\" b\""];
        let mut id = "a";
        for _ in 0..rng.below(80) {
            if rng.below(3) == 0 {
                id = ids[rng.below(ids.len())];
            }
            let mut cells: Vec<String> = match format {
                InputFormat::LongCsv => vec![
                    id.to_string(),
                    rng.pick(&["C1", "C2", "C3", "", " C1 "]).to_string(),
                    rng.pick(&["acquis", "12.5", "", " en_cours ", "Non acquis"])
                        .to_string(),
                    rng.pick(&[
                        "Dupont",
                        "",
                        "Jury é",
                        "  ",
                        "\"Dupont, Jean\"",
                        "\" Le \"\"Grand\"\" \"",
                        "\"\"",
                        "Jo\"",
                        "\"x\"y",
                    ])
                    .to_string(),
                ],
                _ => vec![
                    id.to_string(),
                    rng.pick(&["acquis", "", "14"]).to_string(),
                    rng.pick(&["acquis", " ", "ABS"]).to_string(),
                ],
            };
            match rng.below(10) {
                0 => {
                    cells.pop();
                }
                1 => cells.push("extra".to_string()),
                2 => cells.extend((0..20).map(|k| format!("x{k}"))),
                3 => cells = vec![String::new(); rng.below(5)],
                4 => cells = vec!["   ".to_string()],
                _ => {}
            }
            out.push_str(&cells.join(sep));
            out.push_str(rng.pick(&["\n", "\n", "\n", "\n\n"]));
        }
        if rng.below(3) == 0 {
            out.pop();
        }
        out
    }

    #[test]
    fn plain_parts_give_what_the_csv_reader_gives() {
        let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
        for _ in 0..600 {
            for format in [InputFormat::LongCsv, InputFormat::WideCsv] {
                let input = plain_file(&mut rng, format);
                // The whole body is read without the CSV reader.
                let (header, body) = input.split_once('\n').unwrap_or((&input, ""));
                let delimiter = delimiter(header.as_bytes());
                let mut state = CsvState::with(
                    io::Cursor::new(header.as_bytes().to_vec()),
                    delimiter,
                    format == InputFormat::WideCsv,
                    1,
                    Sink::default(),
                );
                while state.next_item().is_some() {}
                let layout = state.layout.take();
                assert!(layout.is_some(), "no layout: {input:?}");
                let Some(layout) = layout else { return };
                let plain = CsvState::read_plain(
                    body.as_bytes(),
                    2,
                    delimiter,
                    format == InputFormat::WideCsv,
                    layout,
                    Sink {
                        seen: Seen::deferred(),
                        metadata: std::mem::take(&mut state.sink.metadata),
                        ..Sink::default()
                    },
                );
                assert!(plain.is_some(), "{input:?}");
                let part = [1, 2, 7, 40, 200, 4096][rng.below(6)];
                compare(input.as_bytes(), format, part, 4096, None);
            }
        }
    }

    #[test]
    fn long_csv_parts_cut_between_candidates_only() {
        // Every candidate's rows are contiguous, so no candidate may be
        // reported twice, whatever the part size.
        let mut input = String::from("candidate,criterion,grade\n");
        for c in 0..200 {
            for k in 0..5 {
                input.push_str(&format!("K{c},C{k},acquis\n"));
            }
        }
        for part in [1, 7, 100, 1000] {
            let items = in_parts(input.as_bytes(), InputFormat::LongCsv, part, 4096, None);
            let candidates: Vec<&RawCandidate> = items.iter().flatten().collect();
            assert_eq!(candidates.len(), 200);
            assert!(candidates
                .iter()
                .all(|c| c.errors.is_empty() && c.grades.len() == 5));
            compare(input.as_bytes(), InputFormat::LongCsv, part, 4096, None);
        }
    }

    #[test]
    fn a_file_with_no_place_to_cut_is_read_on_one_core_not_held_whole() {
        // Every row's comment runs over two lines: long CSV cannot be
        // cut, so past STUCK parts' worth of bytes the rest is read as one
        // stream.
        let mut input = String::from("candidate,criterion,grade,assessor\n");
        for c in 0..300 {
            for k in 0..3 {
                input.push_str(&format!("K{c},C{k},acquis,\"Dupont,\nJean\"\n"));
            }
        }
        input.push_str("K7,C9,acquis,x\n");
        let reader = Trickle::new(input.as_bytes(), 4096, None);
        let mut reader = PartReader::with_part_size(reader, InputFormat::LongCsv, 16);
        let first = reader.next_items();
        assert!(matches!(reader.format, Format::Sequential(_)));
        assert!(reader.cutter.buffer.len() <= STUCK * 16 + 4096);
        assert!(!first.is_empty() || reader.done);
        for part in [1, 16, 64] {
            compare(input.as_bytes(), InputFormat::LongCsv, part, 4096, None);
        }
        // The candidate met again at the end is reported against its first line.
        let items = in_parts(input.as_bytes(), InputFormat::LongCsv, 16, 4096, None);
        let last = items.iter().flatten().last();
        assert_eq!(
            last.and_then(|c| c.errors.first()).map(|e| e.code),
            Some(Code::CandidateRepeated)
        );
    }

    /// Lines with quotes split as the csv crate splits them: random lines
    /// of quotes, delimiters, spaces and letters.
    #[test]
    fn quoted_lines_are_split_as_the_csv_crate_splits_them() {
        let mut rng = XorShift(0x5eed_0fc0_ffee);
        let alphabet = ["\"", "\"", ",", ",", " ", "a", "b", "K", "\u{e9}"];
        let mut split = 0;
        for _ in 0..20_000 {
            let mut fields = Vec::new();
            let len = rng.below(14);
            let row: String = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(row.as_bytes());
            let mut record = csv::StringRecord::new();
            let read = reader.read_record(&mut record).unwrap_or(false);
            if crate::read::line_fields(&row, b',', &mut fields).is_none() {
                continue;
            }
            split += 1;
            if row.is_empty() {
                // No record for the csv crate; one empty field, a blank
                // row, here.
                assert!(!read);
                assert_eq!(fields, [""]);
                continue;
            }
            assert!(read, "{row:?}");
            let expected: Vec<&str> = record.iter().collect();
            assert_eq!(fields, expected, "{row:?}");
        }
        assert!(split > 5_000, "{split}");
        for (row, id) in [
            ("K1,C1,acquis,\"Dupont, Jean\"", Some("K1")),
            ("\" K1 \",C1,acquis,x", Some("K1")),
            ("\"K\"\"1\",C1,acquis,x", Some("K\"1")),
            ("K1,C1,acquis,Jo\"", Some("K1")),
            ("K1,C1,acquis,\"Dupont", None),
            ("K1,C1,\"a,b\",x,y", None),
            ("\"\",C1,acquis,x", None),
        ] {
            assert_eq!(row_id(row.as_bytes(), b',', 4, 0).as_deref(), id, "{row}");
        }
    }

    /// Rows that quote a field on their line (an assessor "Dupont, Jean",
    /// a quote written `""`, a quoted id) are cut between candidates like
    /// plain rows, on every core, and read as the whole file reads them;
    /// a row whose quoted field goes on to the next line is not a place to
    /// cut.
    #[test]
    fn long_csv_rows_with_quotes_are_cut_between_candidates() {
        let mut input = String::from("candidate,criterion,grade,assessor\n");
        for c in 0..300 {
            for k in 0..3 {
                let row = match (c + k) % 5 {
                    0 => format!("K{c},C{k},acquis,\"Dupont, Jean\"\n"),
                    1 => format!("\" K{c}\",C{k},acquis,\"Le \"\"Grand\"\"\"\n"),
                    2 => format!("K{c},C{k},\"acquis\",Jo\"\n"),
                    3 => format!("K{c},C{k},acquis,\"Dupont,\nJean\"\n"),
                    _ => format!("K{c},C{k},acquis,\"\"\n"),
                };
                input.push_str(&row);
            }
        }
        let reader = Trickle::new(input.as_bytes(), 4096, None);
        let mut reader = PartReader::with_part_size(reader, InputFormat::LongCsv, 64);
        let mut items = Vec::new();
        while !reader.done {
            items.extend(reader.next_items());
            assert!(!matches!(reader.format, Format::Sequential(_)));
        }
        assert_eq!(items.len(), 300);
        assert!(items
            .iter()
            .all(|c| c.as_ref().is_ok_and(|c| c.errors.is_empty())));
        for part in [1, 16, 64, 4096] {
            compare(input.as_bytes(), InputFormat::LongCsv, part, 4096, None);
            compare(input.as_bytes(), InputFormat::LongCsv, part, 7, Some(9_000));
        }
    }

    #[test]
    fn parts_that_hold_only_blank_lines_do_not_end_the_reading() {
        let blank = "\n".repeat(500);
        let json = format!("{blank}{{\"candidate\": \"a\", \"grades\": {{}}}}\n");
        let csv = format!("candidate,criterion,grade\na,C1,acquis\n{blank}b,C1,acquis\n");
        for (input, format) in [(json, InputFormat::JsonLines), (csv, InputFormat::LongCsv)] {
            let reader = Trickle::new(input.as_bytes(), 4096, None);
            let mut reader = PartReader::with_part_size(reader, format, 1);
            let mut ids = Vec::new();
            loop {
                let items = reader.next_items();
                if items.is_empty() {
                    break;
                }
                ids.extend(items.into_iter().flatten().map(|c| c.id));
            }
            assert_eq!(
                ids.last().map(String::as_str),
                Some(if format == InputFormat::JsonLines {
                    "a"
                } else {
                    "b"
                })
            );
            compare(input.as_bytes(), format, 1, 4096, None);
        }
    }

    #[test]
    fn a_header_sharing_its_line_with_rows_is_read_on_one_core() {
        // A lone `\r` ends the header: its line holds a row too.
        let input = "candidate,criterion,grade\ra,C1,acquis\na,C2,acquis\nb,C1,acquis\n";
        let mut reader = PartReader::with_part_size(
            Trickle::new(input.as_bytes(), 4096, None),
            InputFormat::LongCsv,
            1,
        );
        let items = reader.next_items();
        assert!(matches!(reader.format, Format::Sequential(_)));
        let ids: Vec<&str> = items.iter().flatten().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        compare(input.as_bytes(), InputFormat::LongCsv, 1, 4096, None);
    }

    #[test]
    fn a_candidate_met_in_an_earlier_part_is_reported_as_the_whole_file_reports_it() {
        let input = "candidate,criterion,grade\na,C1,acquis\nb,C1,acquis\na,C2,acquis\n";
        let items = in_parts(input.as_bytes(), InputFormat::LongCsv, 1, 4096, None);
        let a = items.iter().flatten().filter(|c| c.id == "a").nth(1);
        assert_eq!(
            a.and_then(|c| c.errors.first())
                .map(|e| (e.line, e.message.english())),
            Some((
                4,
                "rows of candidate `a` are not contiguous: it already appeared at line 2; \
                 sort the file by candidate"
                    .to_string()
            ))
        );
        compare(input.as_bytes(), InputFormat::LongCsv, 1, 4096, None);
    }
}
