//! Incremental parsing at item granularity: after an edit, only the items
//! that could read the edited text are parsed again.
//!
//! The parser reads a file one `next_item` step at a time, and a step at
//! `offset` is a deterministic function of `source[offset..]` and of where
//! its chunk ends (`parser::parse_step`): pest only reads forward, and so
//! do the re-parse of error nodes and the `found` of messages. So a step
//! of the previous parse whose text *to the end of the file* is unchanged
//! (it lies in the common suffix of the old and new texts), and whose
//! chunk ends as far after it, returns exactly what it returned then,
//! moved by the length difference. That holds whatever the step read
//! ahead (an unclosed `"""` or `{` may read to the end of the file), with
//! no assumption about the grammar: the result equals [`crate::parse`] by
//! construction, which the property tests check.
//!
//! The price of that certainty: the steps before an edit are parsed
//! again, since their look-ahead is not bounded; the steps after it, the
//! rest of the file, are reused. Reading stays in the same chunks as
//! [`crate::parse`], in parallel for big files.

mod shift;
#[cfg(test)]
mod tests;

use crate::ast::{File, Item, SyntaxError};
use crate::parser::{chunks, input, lost_chunk, merge_adjacent, parallelism, parse_step, Input};
use shift::Shift;

/// What the last parse of one file read, kept to parse its next version.
#[derive(Debug, Default, Clone)]
pub struct ParseCache {
    /// The text of the last parse.
    source: String,
    /// What pest read of it, when openers nested too deeply were masked
    /// (parser/nesting.rs): a step depends on that text too.
    masked: Option<String>,
    /// Its steps in file order.
    steps: Vec<CachedStep>,
    reused: usize,
}

impl ParseCache {
    /// How many steps (items or error nodes) the last parse reused, and
    /// how many it read in all.
    pub fn reuse(&self) -> (usize, usize) {
        (self.reused, self.steps.len())
    }
}

/// One step, with spans relative to its start so that reusing it at
/// another offset needs no change to the cached copy.
#[derive(Debug, Clone)]
struct CachedStep {
    start: usize,
    /// Where its chunk ended, from `start`: pest's input was that long.
    window: usize,
    items: Vec<Item>,
    errors: Vec<SyntaxError>,
    consumed: Option<usize>,
}

/// Parses `source` as [`crate::parse`] does, reusing what `cache` kept of
/// the previous version of the same file, and updates `cache`.
pub fn parse_incremental(source: &str, cache: &mut ParseCache) -> File {
    incremental_in_chunks(source, cache, parallelism(source.len()))
}

/// [`parse_incremental`] with about `parts` chunks, as `parse_in_chunks`.
pub(crate) fn incremental_in_chunks(source: &str, cache: &mut ParseCache, parts: usize) -> File {
    let old = std::mem::take(cache);
    let input = input(source);
    let input = &input;
    // A step reads the source and the masked text: both must be unchanged.
    let old_read = old.masked.as_deref().unwrap_or(&old.source);
    let common = common_suffix(&old.source, source).min(common_suffix(old_read, &input.text));
    // Old steps reusable at all: their text to the end of the file is
    // unchanged. They keep their order, and each maps to one new offset.
    let first_kept = old.source.len() - common;
    let reusable = old
        .steps
        .into_iter()
        .filter(|step| step.start >= first_kept)
        .map(|mut step| {
            // Its start in the new text.
            step.start = step.start - first_kept + (source.len() - common);
            step
        });
    let cuts = chunks(source, parts);
    let ranges: Vec<(usize, usize)> = cuts
        .windows(2)
        .filter_map(|w| match w {
            [start, end] => Some((*start, *end)),
            _ => None,
        })
        .collect();
    // Hand each chunk the old steps that start inside it.
    let mut per_chunk: Vec<Vec<CachedStep>> = ranges.iter().map(|_| Vec::new()).collect();
    let mut chunk = 0;
    for step in reusable {
        while ranges.get(chunk).is_some_and(|(_, end)| step.start >= *end) {
            chunk += 1;
        }
        match per_chunk.get_mut(chunk) {
            Some(list) => list.push(step),
            None => break,
        }
    }
    let results: Vec<ChunkResult> = if ranges.len() <= 1 {
        ranges
            .iter()
            .zip(per_chunk)
            .map(|(&(start, end), old)| read_chunk(source, input, start, end, old))
            .collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = ranges
                .iter()
                .zip(per_chunk)
                .map(|(&(start, end), old)| {
                    let handle = scope.spawn(move || read_chunk(source, input, start, end, old));
                    (start, end, handle)
                })
                .collect();
            handles
                .into_iter()
                .map(|(start, end, handle)| {
                    handle.join().unwrap_or_else(|_| ChunkResult {
                        items: Vec::new(),
                        errors: vec![lost_chunk(start, end)],
                        steps: Vec::new(),
                        reused: 0,
                    })
                })
                .collect()
        })
    };
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        items.extend(result.items);
        errors.extend(result.errors);
        cache.steps.extend(result.steps);
        cache.reused += result.reused;
    }
    cache.source = source.to_string();
    cache.masked = (!input.masked.is_empty()).then(|| input.text.to_string());
    let errors = merge_adjacent(errors, source);
    File { items, errors }
}

struct ChunkResult {
    items: Vec<Item>,
    errors: Vec<SyntaxError>,
    steps: Vec<CachedStep>,
    reused: usize,
}

/// `parser::parse_range` over `source[start..end]`, taking a step from
/// `old` (sorted, starts already moved to the new text) when one starts at
/// the same offset with the same window.
fn read_chunk(
    source: &str,
    input: &Input<'_>,
    start: usize,
    end: usize,
    old: Vec<CachedStep>,
) -> ChunkResult {
    let mut old = old.into_iter().peekable();
    let mut result = ChunkResult {
        items: Vec::new(),
        errors: Vec::new(),
        steps: Vec::new(),
        reused: 0,
    };
    let mut offset = start;
    while offset < end {
        while old.peek().is_some_and(|step| step.start < offset) {
            old.next();
        }
        let window = end - offset;
        let cached = match old.peek() {
            Some(step) if step.start == offset && step.window == window => old.next(),
            _ => None,
        };
        let step = match cached {
            Some(step) => {
                result.reused += 1;
                let mut items = step.items.clone();
                let mut errors = step.errors.clone();
                items.shift(signed(offset));
                errors.shift(signed(offset));
                result.items.extend(items);
                result.errors.extend(errors);
                step
            }
            None => {
                let fresh = parse_step(source, input, offset, end);
                let mut step = CachedStep {
                    start: offset,
                    window,
                    items: fresh.items.clone(),
                    errors: fresh.errors.clone(),
                    consumed: fresh.consumed,
                };
                step.items.shift(-signed(offset));
                step.errors.shift(-signed(offset));
                result.items.extend(fresh.items);
                result.errors.extend(fresh.errors);
                step
            }
        };
        let consumed = step.consumed;
        result.steps.push(step);
        match consumed {
            Some(consumed) => offset += consumed,
            None => break,
        }
    }
    result
}

fn signed(n: usize) -> isize {
    isize::try_from(n).unwrap_or(isize::MAX)
}

/// Length in bytes of the longest common suffix of `a` and `b`, cut back
/// to a character boundary of both.
fn common_suffix(a: &str, b: &str) -> usize {
    let n = a
        .as_bytes()
        .iter()
        .rev()
        .zip(b.as_bytes().iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let mut n = n;
    while n > 0 && !(a.is_char_boundary(a.len() - n) && b.is_char_boundary(b.len() - n)) {
        n -= 1;
    }
    n
}
