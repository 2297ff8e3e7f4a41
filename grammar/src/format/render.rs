//! Lines to text: aligns ids and end-of-line comments over runs of
//! consecutive lines, then prints each line.

use super::layout::Line;

/// Spaces before an end-of-line comment that is not aligned with others.
const COMMENT_GAP: usize = 2;

/// Aligns, then prints every line (without line breaks between them).
pub(crate) fn render(mut lines: Vec<Line>) -> Vec<(Option<usize>, String)> {
    align_ids(&mut lines);
    let pads = comment_pads(&lines);
    lines
        .iter()
        .zip(pads)
        .map(|(line, pad)| (line.item, print(line, pad)))
        .collect()
}

fn width(line: &Line) -> usize {
    line.indent + line.code.chars().count()
}

/// In a run of consecutive one-line entities with the same keyword
/// (`meta`, `competency`, `criterion`) at the same indentation, pads the
/// ids so that what follows them starts in one column.
fn align_ids(lines: &mut [Line]) {
    let mut start = 0;
    while start < lines.len() {
        let key = |l: &Line| {
            l.align
                .as_ref()
                .filter(|_| !l.code.contains('\n'))
                .map(|(k, _)| (k.clone(), l.indent))
        };
        let Some(run_key) = lines.get(start).and_then(key) else {
            start += 1;
            continue;
        };
        let end = (start..lines.len())
            .find(|&i| lines.get(i).and_then(key).as_ref() != Some(&run_key))
            .unwrap_or(lines.len());
        let column = |l: &Line| {
            l.align
                .as_ref()
                .and_then(|(_, at)| l.code.get(..*at))
                .map_or(0, |head| head.chars().count())
        };
        let target = lines
            .get(start..end)
            .into_iter()
            .flatten()
            .map(column)
            .max()
            .unwrap_or(0);
        for line in lines.get_mut(start..end).into_iter().flatten() {
            let missing = target.saturating_sub(column(line));
            if let Some((_, at)) = &line.align {
                if missing > 0 && line.code.is_char_boundary(*at) {
                    line.code.insert_str(*at, &" ".repeat(missing));
                }
            }
        }
        start = end;
    }
}

/// Spaces before each line's end-of-line comment: in a run of consecutive
/// lines that all have one, the comments start in one column.
fn comment_pads(lines: &[Line]) -> Vec<usize> {
    // A closing brace ends a body: its comment is not part of the run of
    // the next lines.
    let alignable = |l: &Line| {
        l.comment.is_some() && !l.comment_glued && !l.code.contains('\n') && l.code != "}"
    };
    let mut pads: Vec<usize> = lines
        .iter()
        .map(|l| if l.comment_glued { 0 } else { COMMENT_GAP })
        .collect();
    let mut start = 0;
    while start < lines.len() {
        if !lines.get(start).is_some_and(alignable) {
            start += 1;
            continue;
        }
        let end = (start..lines.len())
            .find(|&i| !lines.get(i).is_some_and(alignable))
            .unwrap_or(lines.len());
        let run = lines.get(start..end).unwrap_or(&[]);
        let column = run.iter().map(width).max().unwrap_or(0) + COMMENT_GAP;
        for (pad, line) in pads.get_mut(start..end).into_iter().flatten().zip(run) {
            *pad = column - width(line);
        }
        start = end;
    }
    pads
}

fn print(line: &Line, comment_pad: usize) -> String {
    if line.blank {
        return String::new();
    }
    let mut out = " ".repeat(line.indent);
    out.push_str(&line.code);
    if let Some(comment) = &line.comment {
        out.push_str(&" ".repeat(comment_pad));
        out.push_str(comment);
    }
    out
}
