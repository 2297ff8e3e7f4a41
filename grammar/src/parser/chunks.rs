//! Cutting a big file into chunks that threads parse independently.

/// Threads worth using for a file of `len` bytes: one below 1 MB, where a
/// thread costs more than it saves.
pub(crate) fn parallelism(len: usize) -> usize {
    if len < 1_000_000 {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// Cut points `[0, .., len]` splitting `source` into about `parts` chunks,
/// each cut at the start of a line that begins (in column 1, outside any
/// brace, string or comment) with a top-level keyword. Unbalanced braces
/// simply mean fewer cuts.
pub(crate) fn chunks(source: &str, parts: usize) -> Vec<usize> {
    let mut cuts = vec![0];
    if parts > 1 {
        let target = source.len() / parts;
        let mut next_goal = target;
        for at in item_starts(source) {
            if at >= next_goal && cuts.len() < parts {
                cuts.push(at);
                next_goal = at + target;
            }
        }
    }
    cuts.push(source.len());
    cuts
}

/// Byte offsets of lines that start a top-level item.
fn item_starts(source: &str) -> Vec<usize> {
    const KEYWORDS: [&str; 9] = [
        "block ",
        "scale ",
        "rule ",
        "use ",
        "import ",
        "defaults",
        "example ",
        "certification ",
        "///",
    ];
    let bytes = source.as_bytes();
    let mut starts = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let mut line_start = true;
    while let Some(&b) = bytes.get(i) {
        if line_start && depth == 0 {
            let rest = bytes.get(i..).unwrap_or(&[]);
            if KEYWORDS.iter().any(|k| rest.starts_with(k.as_bytes())) {
                starts.push(i);
            }
        }
        line_start = false;
        match b {
            b'\n' => line_start = true,
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                // A comment: skip to the end of the line.
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
                continue;
            }
            b'"' if bytes.get(i..i + 3) == Some(b"\"\"\"") => {
                i += 3;
                while bytes.get(i).is_some() && bytes.get(i..i + 3) != Some(b"\"\"\"") {
                    i += 1;
                }
                i += 3;
                continue;
            }
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 2,
                        b'"' | b'\n' => break,
                        _ => i += 1,
                    }
                }
                if bytes.get(i) == Some(&b'\n') {
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    starts
}
