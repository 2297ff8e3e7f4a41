//! `acquis import rncp`: a fiche of France Compétences' RNCP export as a
//! `.acquis` skeleton. The export gives the header (number, title, EQF
//! level, dates, certifiers), the blocs with their official codes, their
//! competencies and their assessment modalities, as hand-written HTML (an
//! RS fiche has no blocs: its `CAPACITES_ATTESTEES` become one); it has
//! no criteria and no rules, so the skeleton marks those places to complete
//! (see `placeholder`).

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::path::Path;

mod read;

pub use read::VERSION;

use super::html_text;
use super::placeholder;
use super::skeleton::{self, Assessment, Block, Competency, Equivalence, Referential};
use crate::error::{InteropError, RncpProblem};
use crate::warning::InteropWarning;
use read::{Bloc, Fiche, Input};

/// `RNCP34126`, `rncp34126` and `34126` name the same fiche.
pub fn normalise(number: &str) -> String {
    let upper = number.trim().to_ascii_uppercase();
    if upper.chars().all(|c| c.is_ascii_digit()) && !upper.is_empty() {
        format!("RNCP{upper}")
    } else {
        upper
    }
}

/// One line per fiche: number, EQF level, active, title; and a warning per
/// fiche number that the export gives twice.
pub fn list(
    path: &Path,
    out: &mut dyn std::io::Write,
) -> Result<Vec<InteropWarning>, InteropError> {
    list_watched(path, out, &mut |_| {})
}

/// [`list`], telling `seen` how many fiches have been read after each one
/// (a progress line for an export of hundreds of megabytes).
pub fn list_watched(
    path: &Path,
    out: &mut dyn std::io::Write,
    seen_so_far: &mut dyn FnMut(usize),
) -> Result<Vec<InteropWarning>, InteropError> {
    let input = Input::open(path)?;
    let mut count = 0usize;
    let mut write_error = None;
    // Each fiche number read, where it was first, and whether it was
    // reported: a number given again is reported once, at its second
    // place (an export of a million copies of one fiche gives one
    // warning, not a million held in memory).
    let mut seen: std::collections::HashMap<String, (u64, bool)> = std::collections::HashMap::new();
    let mut twice: Vec<(u64, u64, String)> = Vec::new();
    let result = input.with_reader(|reader| {
        read::fiches(reader, &mut |f| {
            count += 1;
            seen_so_far(count);
            let number = normalise(&f.number);
            match seen.get_mut(&number) {
                Some((first, reported)) => {
                    if !*reported {
                        *reported = true;
                        twice.push((f.offset, *first, number));
                    }
                }
                None => {
                    seen.insert(number, (f.offset, false));
                }
            }
            let level = level(&f.level).map_or("-".to_string(), |l| l.to_string());
            let active = if f.active.is_empty() {
                "-"
            } else {
                f.active.as_str()
            };
            match writeln!(out, "{}\t{level}\t{active}\t{}", f.number, plain(&f.title)) {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => {
                    write_error = Some(InteropError::WriteList(e));
                    ControlFlow::Break(())
                }
            }
        })
    })?;
    if let Some(e) = write_error {
        return Err(e);
    }
    result.map_err(|e| located(&input, e.offset, e.problem))?;
    Ok(twice
        .into_iter()
        .map(|(at, first, number)| {
            let (line, column) = input.locate(at);
            let (first_line, _) = input.locate(first);
            InteropWarning::FicheListedTwice {
                file: input.display(),
                line,
                column,
                number,
                first_line,
            }
        })
        .collect())
}

/// `RNCP39583`, `39583`, or a fiche of the Répertoire spécifique
/// (`RS5841`), which the export lists too: checked before the export is
/// read.
pub fn check_number(number: &str) -> Result<(), InteropError> {
    let n = normalise(number);
    let digits = n.strip_prefix("RNCP").or_else(|| n.strip_prefix("RS"));
    match digits {
        Some(d) if !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()) => Ok(()),
        _ => Err(InteropError::NotAFicheNumber {
            given: number.to_string(),
        }),
    }
}

/// Finds fiche `number` in the export and makes its skeleton, with the
/// warnings to show. The whole export is read when the fiche is not found;
/// when it is, reading stops there, so only an earlier fiche with the same
/// number can be seen (and is reported: the export holds it twice).
pub fn import(
    path: &Path,
    number: &str,
) -> Result<(Referential, Vec<InteropWarning>), InteropError> {
    import_watched(path, number, &mut |_| {})
}

/// [`import`], telling `seen` how many fiches have been read after each
/// one (a progress line while a large export is scanned).
pub fn import_watched(
    path: &Path,
    number: &str,
    seen: &mut dyn FnMut(usize),
) -> Result<(Referential, Vec<InteropWarning>), InteropError> {
    check_number(number)?;
    let mut count = 0usize;
    let input = Input::open(path)?;
    let wanted = normalise(number);
    let mut found: Option<Fiche> = None;
    // Only the closest numbers are kept: memory does not grow with the export.
    let mut nearest = Nearest::new(&wanted);
    let result = input.with_reader(|reader| {
        read::fiches(reader, &mut |f| {
            count += 1;
            seen(count);
            if normalise(&f.number) == wanted {
                found = Some(f);
                ControlFlow::Break(())
            } else {
                nearest.offer(f.number);
                ControlFlow::Continue(())
            }
        })
    })?;
    result.map_err(|e| located(&input, e.offset, e.problem))?;
    let Some(fiche) = found else {
        return Err(InteropError::FicheNotFound {
            file: input.display(),
            wanted,
            seen: nearest.seen,
            closest: nearest.numbers(),
        });
    };
    let mut warnings = Vec::new();
    if let Some(later) = later_duplicate(&input, &wanted, fiche.offset)? {
        let (line, _) = input.locate(fiche.offset);
        let (later_line, column) = input.locate(later);
        warnings.push(InteropWarning::FicheTwice {
            file: input.display(),
            line: later_line,
            column,
            number: wanted.clone(),
            first_line: line,
        });
    }
    let r = skeleton_of(&fiche, &input, &mut warnings)?;
    Ok((r, warnings))
}

/// The offset of a second fiche `wanted` after `first`, if the export has
/// one: two fiches with one number are an error of the export, and which
/// one is imported must be said.
fn later_duplicate(input: &Input, wanted: &str, first: u64) -> Result<Option<u64>, InteropError> {
    let mut later = None;
    let result = input.with_reader(|reader| {
        read::fiches(reader, &mut |f| {
            if f.offset > first && normalise(&f.number) == wanted {
                later = Some(f.offset);
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
    })?;
    // A malformed rest of the export was not needed for the fiche: the
    // import goes on, as it did before looking.
    let _ = result;
    Ok(later)
}

/// The five fiche numbers closest to the one asked for, by numeric distance.
struct Nearest {
    wanted: Option<i64>,
    best: Vec<(i64, String)>,
    seen: usize,
}

impl Nearest {
    const KEEP: usize = 5;

    fn new(wanted: &str) -> Self {
        Nearest {
            wanted: digits(wanted),
            best: Vec::new(),
            seen: 0,
        }
    }

    fn offer(&mut self, number: String) {
        self.seen += 1;
        let (Some(w), Some(d)) = (self.wanted, digits(&number)) else {
            return;
        };
        let entry = ((d - w).abs(), number);
        if self.best.contains(&entry) {
            return;
        }
        let at = self.best.partition_point(|x| *x < entry);
        if at < Self::KEEP {
            self.best.insert(at, entry);
            self.best.truncate(Self::KEEP);
        }
    }

    /// The closest numbers, closest first.
    fn numbers(&self) -> Vec<String> {
        self.best.iter().map(|(_, n)| n.clone()).collect()
    }
}

fn digits(s: &str) -> Option<i64> {
    s.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()
}

fn located(input: &Input, offset: u64, problem: RncpProblem) -> InteropError {
    let (line, column) = input.locate(offset);
    InteropError::Rncp {
        file: input.display(),
        line,
        column,
        problem,
    }
}

/// `NIV7` → 7.
fn level(text: &str) -> Option<u32> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|l| (1..=8).contains(l))
}

/// `15/01/2024` → `2024-01-15`; None for anything that is not a real date
/// in that form (`31/02/2024`, `2024`), which is then kept as written.
fn iso_date(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split('/').collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    if d.len() != 2
        || m.len() != 2
        || y.len() != 4
        || !parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let (day, month, year): (u32, u32, u32) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&day).then(|| format!("{y}-{m}-{d}"))
}

/// Text that may hold markup or HTML entities (titles): one line of text.
fn plain(text: &str) -> String {
    html_text::lines(text).join(" ")
}

fn skeleton_of(
    f: &Fiche,
    input: &Input,
    warnings: &mut Vec<InteropWarning>,
) -> Result<Referential, InteropError> {
    let at = |offset: u64, problem: RncpProblem| located(input, offset, problem);
    let title = plain(&f.title);
    let id = skeleton::identifier(&normalise(&f.number))
        .ok_or_else(|| at(f.offset, RncpProblem::NoNumber))?;
    let mut r = Referential {
        comments: placeholder::header(&format!("l'export RNCP ({})", f.number), &title, FRENCH),
        id: id.clone(),
        title,
        level: level(&f.level),
        lang: "fr".into(),
        std_scales: vec!["acquisition".into()],
        default_scale: Some("acquisition".into()),
        default_block_rule: Some(placeholder::block_rule(FRENCH)),
        certification: placeholder::certification_rule(FRENCH),
        ..Referential::default()
    };
    for line in &f.correspondances {
        r.comments.push(format!("Correspondance : {line}"));
    }
    r.meta.push(("rncp".into(), normalise(&f.number)));
    let mut date = |key: &'static str, text: &str| match iso_date(text) {
        Some(iso) => iso,
        None => {
            if !text.is_empty() {
                warnings.push(InteropWarning::NotADate {
                    file: input.display(),
                    key,
                    text: text.to_string(),
                });
            }
            text.to_string()
        }
    };
    let date_effet = date("DATE_EFFET", &f.date_effet);
    let date_fin = date("DATE_FIN_ENREGISTREMENT", &f.date_fin);
    for (key, value) in [
        ("etat", f.state.clone()),
        ("actif", f.active.clone()),
        ("niveau", f.level.clone()),
        ("date_effet", date_effet),
        ("date_fin_enregistrement", date_fin),
        ("certificateur", f.certificateurs.join(" ; ")),
    ] {
        if !value.is_empty() {
            r.meta.push((key.into(), value));
        }
    }
    // A fiche without blocs (the RS fiches of the 4.1 export) lists its
    // competencies in `CAPACITES_ATTESTEES`: one block, named as the fiche.
    let alone;
    let (blocs, numbers): (&[Bloc], Vec<usize>) = if f.blocs.is_empty() {
        if html_text::lines(&f.capacites).is_empty() {
            return Err(at(
                f.offset,
                RncpProblem::NoBlocs {
                    fiche: f.number.clone(),
                },
            ));
        }
        alone = [Bloc {
            offset: f.offset,
            code: normalise(&f.number),
            label: f.title.clone(),
            competences: f.capacites.clone(),
            modalites: String::new(),
        }];
        r.comments.push(
            "La fiche n'a pas de blocs de compétences : ses capacités attestées forment un bloc."
                .into(),
        );
        // The fiche's one block: `C1.1`, `E1`, not the fiche's number.
        (&alone, vec![1])
    } else {
        (&f.blocs, bloc_numbers(&f.blocs))
    };
    // Every id of the file, to keep competency codes unique across blocs.
    let mut taken: BTreeMap<String, u64> = BTreeMap::new();
    let mut codes: BTreeMap<String, u64> = BTreeMap::new();
    for (bloc, number) in blocs.iter().zip(numbers) {
        let code = skeleton::identifier(&bloc.code)
            .ok_or_else(|| at(bloc.offset, RncpProblem::BlocWithoutCode))?;
        if let Some(first) = codes.insert(code.clone(), bloc.offset) {
            let (first_line, _) = input.locate(first);
            return Err(at(
                bloc.offset,
                RncpProblem::BlocCodeTwice { code, first_line },
            ));
        }
        taken.insert(code.clone(), bloc.offset);
        let (b, equivalence) = block(bloc, &code, number, &mut taken, input)?;
        r.blocks.push(b);
        if let Some(e) = equivalence {
            add_equivalence(&mut r.equivalences, e);
        }
    }
    Ok(r)
}

/// The number of each bloc's competencies and assessment: its code's
/// (`RNCP34826BC04` → 4), not its place, since real fiches list blocs out
/// of code order. A code without a number, or a number given twice, falls
/// back to the bloc's place, or to the next number free.
fn bloc_numbers(blocs: &[Bloc]) -> Vec<usize> {
    let mut numbers: Vec<usize> = Vec::new();
    for (index, bloc) in blocs.iter().enumerate() {
        let mut number = bloc_number(&bloc.code)
            .filter(|n| !numbers.contains(n))
            .unwrap_or(index + 1);
        while numbers.contains(&number) {
            number += 1;
        }
        numbers.push(number);
    }
    numbers
}

/// One item per other certification: a second bloc it grants joins the
/// first bloc's item (each bloc's modalities then named by its code).
fn add_equivalence(all: &mut Vec<Equivalence>, mut e: Equivalence) {
    let same = all
        .iter_mut()
        .find(|x| x.title.to_lowercase() == e.title.to_lowercase() && x.registered == e.registered);
    match same {
        Some(x) if x.registered.is_some() || !x.title.starts_with(UNNAMED) => {
            if x.grants.len() == 1 {
                let first = x.grants[0].clone();
                x.docs = x.docs.iter().map(|d| format!("{first} : {d}")).collect();
            }
            let code = e.grants.first().cloned().unwrap_or_default();
            x.docs
                .extend(e.docs.iter().map(|d| format!("{code} : {d}")));
            x.grants.append(&mut e.grants);
        }
        _ => all.push(e),
    }
}

/// The title of an equivalence whose text does not name the other
/// certification.
const UNNAMED: &str = "Certification donnant le bloc";

/// The other certification a line of modalities names, as real fiches
/// word it: « bloc de compétences validé en brevet de technicien supérieur
/// « … » », « pour les titulaires du diplôme d'ingénieur », « équivalence
/// avec le BTS … »; with its first letter in capitals.
fn other_certification(line: &str) -> Option<String> {
    let lower = line.to_lowercase().replace('’', "'");
    let markers = [
        "validé en ",
        "validée en ",
        "validés en ",
        "validées en ",
        "obtenu en ",
        "acquis en ",
        "titulaires du ",
        "titulaires de la ",
        "titulaires de l'",
        "titulaires d'un ",
        "titulaires d'une ",
        "titulaires des ",
        "équivalence avec le ",
        "équivalence avec la ",
        "équivalence avec l'",
        "équivalence avec un ",
        "équivalence avec une ",
    ];
    let (at, marker) = markers
        .iter()
        .filter_map(|m| lower.find(m).map(|at| (at, *m)))
        .min_by_key(|(at, _)| *at)?;
    // `lower` has the same byte offsets as `line` only where lowercasing
    // and the apostrophe left lengths alone: cut the original by chars.
    let skip = lower[..at + marker.len()].chars().count();
    let rest: String = line.chars().skip(skip).collect();
    // Up to the end of the sentence, keeping what « … » quotes whole.
    let mut name = String::new();
    let mut depth = 0usize;
    for c in rest.chars() {
        match c {
            '«' => depth += 1,
            '»' => depth = depth.saturating_sub(1),
            ',' | ';' | '.' | '(' if depth == 0 => break,
            _ => {}
        }
        name.push(c);
    }
    let name = name.trim().trim_end_matches(':').trim();
    let mut chars = name.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

/// The first RNCP code a text gives (`RNCP 35340`, `RNCP35340`).
fn rncp_code(line: &str) -> Option<String> {
    let upper = line.to_uppercase();
    upper.match_indices("RNCP").find_map(|(at, m)| {
        let digits: String = upper[at + m.len()..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        (digits.len() >= 3).then(|| format!("RNCP{digits}"))
    })
}

/// The number of a bloc's code: `RNCP34826BC04` → 4 (the digits after its
/// last `BC`, else its last digits).
fn bloc_number(code: &str) -> Option<usize> {
    let upper = code.to_ascii_uppercase();
    let tail = upper.rsplit_once("BC").map_or(upper.as_str(), |(_, t)| t);
    let digits: String = tail
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok().filter(|n| *n > 0)
}

/// Whether the modalities (as lines of text) say explicitly that the bloc
/// is validated or obtained through another certification or diploma. A
/// mere mention ("une note ≥ 10/20 pour l'obtention", "dispense partielle
/// d'épreuve", "Aucune équivalence n'est prévue") is not that.
fn is_equivalence(lines: &[String]) -> bool {
    lines.iter().any(|line| says_equivalence(line))
}

fn says_equivalence(line: &str) -> bool {
    let t = line.to_lowercase().replace(['’', '`'], "'");
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    let negated = has(&[
        "aucun",
        "pas d",
        "pas de",
        "n'est pas",
        "ne sont pas",
        "n'est prévu",
        "non prévu",
    ]);
    if negated {
        return false;
    }
    let other = has(&[
        "diplôme",
        "diplome",
        "certification",
        "titre",
        "certificat",
        "bts",
        "cqp",
        "licence",
        "baccalauréat",
        "brevet",
        "titulaire",
    ]);
    let stated = has(&[
        "par équivalence",
        "par equivalence",
        "en équivalence",
        "équivalence avec",
        "equivalence avec",
        "équivalence de droit",
    ]);
    let dispensed = has(&[
        "dispensé",
        "dispense du bloc",
        "dispense de ce bloc",
        "dispense de bloc",
    ]) && other;
    let obtained = has(&["validé", "obtenu", "acquis"])
        && has(&[
            "titulaire",
            "obtention du",
            "obtention d'un",
            "obtention de la",
            "possession d",
        ])
        && other;
    // "bloc de compétences validé en brevet de technicien supérieur « … »"
    let validated_in = has(&[
        "validé en ",
        "validée en ",
        "validés en ",
        "validées en ",
        "obtenu en ",
        "acquis en ",
    ]) && other;
    stated || dispensed || obtained || validated_in
}

/// The code a competency line opens with, as the fiche writes it, and the
/// rest of the line: `C2.4`, `C2.B1`, `C1.3A`, `C.1.`, `A1C1.`,
/// `A5.C1.`, `1.1`, `3.1.2.`. A code is made of segments (one to three
/// capitals, an optional `.`, digits, and one capital glued at the end:
/// `C1`, `C.1`, `B1`, `3A`), joined by `.` or glued (`A1C1`); a code
/// that opens with digits has two segments at least (`1.1`, not `1` nor a
/// year). A final `.` belongs to the code as written, not to its
/// identifier. Returns `None` when the line does not open with a code: the
/// code runs into a word (`C1Analyser`), or there is none.
fn code_prefix(line: &str) -> Option<(String, String)> {
    let mut s = line.trim();
    for prefix in ["Compétence ", "compétence ", "Competence ", "competence "] {
        if let Some(rest) = s.strip_prefix(prefix) {
            if rest.starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit()) {
                s = rest;
            }
        }
    }
    let b: Vec<char> = s.chars().collect();
    let at = |i: usize| b.get(i).copied();
    let upper = |i: usize| at(i).is_some_and(|c| c.is_ascii_uppercase());
    let digit = |i: usize| at(i).is_some_and(|c| c.is_ascii_digit());
    // One segment from `i`: its end, or `None`.
    let segment = |mut i: usize| -> Option<usize> {
        let letters = (i..).take_while(|&k| upper(k)).count();
        if letters > 3 {
            return None;
        }
        i += letters;
        if letters > 0 && at(i) == Some('.') && digit(i + 1) {
            i += 1;
        }
        if !digit(i) {
            return None;
        }
        while digit(i) {
            i += 1;
        }
        // One capital glued to the digits (`C1.3A`), not the start of a
        // word nor of a segment (`A1C1`).
        if upper(i) && !at(i + 1).is_some_and(char::is_alphanumeric) {
            i += 1;
        }
        Some(i)
    };
    let mut end = segment(0)?;
    let mut segments = 1;
    loop {
        let next = if at(end) == Some('.') { end + 1 } else { end };
        if next == end && !upper(end) {
            break;
        }
        match segment(next) {
            Some(e) => {
                end = e;
                segments += 1;
            }
            None => break,
        }
    }
    if digit(0) && segments < 2 {
        return None;
    }
    let mut code: String = b[..end].iter().collect();
    if at(end) == Some('.') {
        code.push('.');
        end += 1;
    }
    // A code glued to its text only after its final `.` (`A1C2.Apprécier`).
    if at(end).is_some_and(char::is_alphanumeric)
        && !(code.ends_with('.') && upper(end) && at(end + 1).is_some_and(char::is_lowercase))
    {
        return None;
    }
    let rest: String = b[end..].iter().collect();
    let rest = rest
        .trim_start()
        .trim_start_matches([':', '-', '–', '—', '.', ')'])
        .trim_start();
    Some((code, rest.to_string()))
}

/// `C2.4 Analyser…` → (`C2.4`, `Analyser…`), the code without its final
/// `.` (`A1C1. Évaluer…` → `A1C1`); a line that is only a code, or has
/// none, is kept whole.
fn split_code(line: &str) -> (Option<String>, String) {
    match code_prefix(line) {
        Some((code, rest)) if !rest.is_empty() => {
            (Some(code.trim_end_matches('.').to_string()), rest)
        }
        _ => (None, line.trim().to_string()),
    }
}

/// Whether a line is a code alone (`3.1`), its text on the next line.
fn code_alone(line: &str) -> bool {
    code_prefix(line).is_some_and(|(_, rest)| rest.is_empty())
}

/// How headings of a competency list start ("Compétences attestées",
/// "Savoir-faire", "Le titulaire est capable de"), lower case.
const HEADINGS: [&str; 14] = [
    "compétences",
    "competences",
    "les compétences",
    "capacités",
    "savoir-faire",
    "savoirs",
    "savoir-être",
    "savoir être",
    "connaissances",
    "aptitudes",
    "activités",
    "le titulaire",
    "le candidat",
    "liste des",
];

/// What a line introducing a competency list says ("Le secouriste possède
/// les compétences pour … :"), lower case.
const INTRODUCING: [&str; 6] = [
    "capable",
    "en mesure",
    "possède les compétences",
    "compétences attestées",
    "compétences suivantes",
    "capacités suivantes",
];

/// Whether a line of a competency list is a heading, not a competency: never
/// a line with a code; a line ending in `:` that opens like a heading, is
/// short (four words at most) or says what the holder "is capable of" or
/// "possesses the competencies" to do; a
/// line without `:` that opens like a heading, in fifteen words at most
/// ("Compétences validées en brevet de technicien supérieur « … »").
fn is_heading(line: &str) -> bool {
    if split_code(line).0.is_some() {
        return false;
    }
    let t = line.trim_end_matches([':', ' ']).to_lowercase();
    let words = t.split_whitespace().count();
    let opens = HEADINGS.iter().any(|h| t.starts_with(h));
    if line.ends_with(':') {
        opens || words <= 4 || INTRODUCING.iter().any(|p| t.contains(p))
    } else {
        opens && words <= 15
    }
}

/// The competencies of a list's lines, and its headings. A competency
/// whose line ends with `:` goes on over the lines that follow it in lower
/// case, coded or not (its items: "Analyser la demande en tenant compte
/// de :", "ses contraintes", "ses délais"; "Réaliser les gestes face à une
/// personne :", "4.1 victime d'une obstruction"), joined with ` ; `. Any
/// other competency whose line does not end a sentence (`.`, `;`, `!`,
/// `?`) goes on over a line in lower case without a code: the export cut
/// its sentence ("Conduire une analyse … prenant en compte les enjeux,",
/// "les problématiques …"), joined with a space. The list's first line,
/// without a code, ending with `:` before a line that does not go on in
/// lower case introduces the list (« En mobilisant … : », then `A5.C1.
/// Réaliser …`): a heading. A code alone on its line (`3.1`) opens the
/// line that follows it.
fn competency_lines(lines: Vec<String>) -> (Vec<String>, Vec<String>) {
    let mut competencies: Vec<String> = Vec::new();
    let mut headings = Vec::new();
    // The last competency ends with `:`: its items follow.
    let mut open = false;
    // The line before was a competency's, not a heading.
    let mut after_competency = false;
    let mut lines = lines.into_iter().peekable();
    // A line whose text, after its code if any, starts in lower case.
    let goes_on = |line: &str| {
        let text = match code_prefix(line) {
            Some((_, rest)) => rest,
            None => line.to_string(),
        };
        text.chars().next().is_some_and(char::is_lowercase)
    };
    while let Some(mut line) = lines.next() {
        if code_alone(&line) {
            if let Some(next) = lines.next_if(|next| code_prefix(next).is_none()) {
                line = format!("{} {next}", line.trim());
            }
        }
        if let Some(last) = competencies.last_mut().filter(|_| after_competency) {
            let lower = line.chars().next().is_some_and(char::is_lowercase);
            let separator = if open && goes_on(&line) {
                Some(if last.ends_with([':', ';']) {
                    " "
                } else {
                    " ; "
                })
            } else if lower && !last.ends_with(['.', ';', '!', '?']) && code_prefix(&line).is_none()
            {
                Some(" ")
            } else {
                None
            };
            if let Some(separator) = separator {
                last.push_str(separator);
                last.push_str(&line);
                open = open || last.ends_with(':');
                continue;
            }
        }
        let introduces = competencies.is_empty()
            && line.ends_with(':')
            && split_code(&line).0.is_none()
            && lines.peek().is_some_and(|next| !goes_on(next));
        if introduces || is_heading(&line) {
            headings.push(line);
            open = false;
            after_competency = false;
            continue;
        }
        open = line.ends_with(':');
        competencies.push(line);
        after_competency = true;
    }
    (competencies, headings)
}

/// RNCP fiches are French: so are the placeholders of their skeletons.
const FRENCH: acquis_ir::describe::Lang = acquis_ir::describe::Lang { fr: true };

fn block(
    bloc: &Bloc,
    code: &str,
    number: usize,
    taken: &mut BTreeMap<String, u64>,
    input: &Input,
) -> Result<(Block, Option<Equivalence>), InteropError> {
    let at = |problem: RncpProblem| located(input, bloc.offset, problem);
    let (mut lines, headings) = competency_lines(html_text::lines(&bloc.competences));
    let modalities = html_text::lines(&bloc.modalites);
    let equivalence = is_equivalence(&modalities);
    let label = plain(&bloc.label);
    let mut b = Block {
        id: code.to_string(),
        title: if label.is_empty() {
            code.to_string()
        } else {
            label
        },
        ..Block::default()
    };
    for heading in headings {
        b.comments.push(format!(
            "Intertitre de la liste des compétences : {heading}"
        ));
    }
    if lines.is_empty() {
        if !equivalence {
            return Err(at(RncpProblem::NoCompetency {
                bloc: code.to_string(),
            }));
        }
        lines.push(b.title.clone());
    }
    // Explicit codes first: numbering must not take a code that a later
    // line of the bloc gives explicitly.
    let split: Vec<(Option<String>, String)> = lines
        .iter()
        .map(|line| {
            let (found, title) = split_code(line);
            (found.and_then(|c| skeleton::prefixed(&c, "C")), title)
        })
        .collect();
    let mut own: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut ids: Vec<Option<String>> = Vec::new();
    for (found, _) in &split {
        ids.push(match found {
            Some(c) => {
                if !own.insert(c.clone()) {
                    return Err(at(RncpProblem::CompetencyCodeTwice {
                        bloc: code.to_string(),
                        code: c.clone(),
                    }));
                }
                // A code another bloc already uses is qualified by this bloc.
                let id = if taken.contains_key(c) {
                    format!("{code}.{c}")
                } else {
                    c.clone()
                };
                taken.insert(id.clone(), bloc.offset);
                Some(id)
            }
            None => None,
        });
    }
    let mut n = 0;
    for ((_, title), id) in split.into_iter().zip(ids) {
        let id = match id {
            Some(id) => id,
            None => {
                n += 1;
                while taken.contains_key(&format!("C{number}.{n}")) {
                    n += 1;
                }
                let id = format!("C{number}.{n}");
                taken.insert(id.clone(), bloc.offset);
                id
            }
        };
        let mut competency = Competency {
            id,
            title,
            ..Competency::default()
        };
        placeholder::complete(&mut competency, FRENCH);
        b.competencies.push(competency);
    }
    let mut assessment = Assessment {
        id: format!("E{number}"),
        title: format!("Modalités d'évaluation du bloc {code}"),
        covers: b.competencies.iter().map(|c| c.id.clone()).collect(),
        ..Assessment::default()
    };
    let mut granted = None;
    if equivalence {
        // The bloc is granted by another certification: a candidate-record
        // item, with the fiche's text as its doc comment. Candidates
        // without it are assessed, how the fiche does not say.
        assessment.comments.push(format!(
            "À COMPLÉTER : la fiche ne donne que l'équivalence EQ{number} ; \
             modalités d'évaluation des candidats qui ne l'ont pas."
        ));
        let said = modalities.iter().find(|l| says_equivalence(l));
        let title = said.and_then(|l| other_certification(l));
        let mut e = Equivalence {
            id: format!("EQ{number}"),
            title: title
                .clone()
                .unwrap_or_else(|| format!("{UNNAMED} {code} par équivalence")),
            registered: modalities.iter().find_map(|l| rncp_code(l)),
            grants: vec![code.to_string()],
            docs: modalities,
            ..Equivalence::default()
        };
        if title.is_none() {
            e.comments
                .push("À COMPLÉTER : la certification qui donne ce bloc.".into());
        }
        granted = Some(e);
    } else if modalities.is_empty() {
        assessment.comments.push(
            "À COMPLÉTER : l'export ne donne pas les modalités d'évaluation de ce bloc.".into(),
        );
    } else {
        assessment.tasks = modalities;
    }
    b.assessments.push(assessment);
    Ok((b, granted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_kept_when_present() {
        assert_eq!(
            split_code("C2.4 Analyser"),
            (Some("C2.4".into()), "Analyser".into())
        );
        assert_eq!(
            split_code("C1.3A - Auditer"),
            (Some("C1.3A".into()), "Auditer".into())
        );
        assert_eq!(
            split_code("Compétence C3 : Coder"),
            (Some("C3".into()), "Coder".into())
        );
        assert_eq!(
            split_code("C2.B1 Analyser les besoins"),
            (Some("C2.B1".into()), "Analyser les besoins".into())
        );
        assert_eq!(
            split_code("C2.A3 - Impulser"),
            (Some("C2.A3".into()), "Impulser".into())
        );
        assert_eq!(split_code("Concevoir C2"), (None, "Concevoir C2".into()));
        assert_eq!(split_code("C1Analyser"), (None, "C1Analyser".into()));
        // The ways the 4.1 export writes codes (tests/fixtures/real/rncp-v4.1).
        for (line, code, rest) in [
            ("C.1. Organiser et conduire", "C.1", "Organiser et conduire"),
            ("C.14. Concevoir", "C.14", "Concevoir"),
            ("A1C1. Evaluer, depuis", "A1C1", "Evaluer, depuis"),
            ("A1C2.Apprécier, depuis", "A1C2", "Apprécier, depuis"),
            ("A2C10. Communiquer", "A2C10", "Communiquer"),
            ("A5.C1. Réaliser", "A5.C1", "Réaliser"),
            ("1.1 Recueillir", "1.1", "Recueillir"),
            ("1.1.1 Auditer", "1.1.1", "Auditer"),
            ("3.1.2. Configurer", "3.1.2", "Configurer"),
        ] {
            assert_eq!(split_code(line), (Some(code.into()), rest.into()), "{line}");
        }
        for line in [
            "1. Recueillir",
            "2024 : réforme",
            "ISO 9001 : appliquer",
            "RNCP34762 Évaluer",
            "Analyser C2.4",
            "A1C2Apprécier",
            "3.1",
        ] {
            assert_eq!(split_code(line), (None, line.into()), "{line}");
        }
        assert!(code_alone("3.1"));
        assert!(code_alone(" C2.4 "));
        assert!(!code_alone("3.1 Organiser"));
        assert!(!code_alone("Organiser"));
    }

    #[test]
    fn introductions_and_codes_alone() {
        let lines = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let (competencies, headings) = competency_lines(lines(&[
            "En mobilisant une analyse du contexte organisationnel et humain :",
            "A5.C1. Réaliser un diagnostic",
            "3.1",
            "Organiser le déploiement",
            "3.1.1 Concevoir un plan",
            "Réaliser les gestes de premiers secours face à une personne :",
            "4.1 victime d'une obstruction des voies aériennes ;",
            "4.2 ayant perdu connaissance ;",
            "Assister des équipiers secouristes",
        ]));
        assert_eq!(
            headings,
            ["En mobilisant une analyse du contexte organisationnel et humain :"]
        );
        assert_eq!(
            competencies,
            [
                "A5.C1. Réaliser un diagnostic",
                "3.1 Organiser le déploiement",
                "3.1.1 Concevoir un plan",
                "Réaliser les gestes de premiers secours face à une personne : \
                 4.1 victime d'une obstruction des voies aériennes ; \
                 4.2 ayant perdu connaissance ;",
                "Assister des équipiers secouristes",
            ]
        );
        // A sentence the export cut goes on; a line after a full stop, or
        // after a heading, does not.
        let (competencies, headings) = competency_lines(lines(&[
            "Compétences attestées :",
            "évoluer dans le cadre juridique",
            "Conduire une analyse prenant en compte les enjeux,",
            "les problématiques d’une demande afin de",
            "proposer des solutions",
            "Valider une solution",
            "technique",
            "Réaliser un bilan.",
            "assurer sa transmission",
        ]));
        assert_eq!(headings, ["Compétences attestées :"]);
        assert_eq!(
            competencies,
            [
                "évoluer dans le cadre juridique",
                "Conduire une analyse prenant en compte les enjeux, \
                 les problématiques d’une demande afin de proposer des solutions",
                "Valider une solution technique",
                "Réaliser un bilan.",
                "assurer sa transmission",
            ]
        );
        // Without a coded line after it, such a line is a competency whose
        // items follow.
        let (competencies, headings) = competency_lines(lines(&[
            "Construire le budget prévisionnel en tenant compte :",
            "des coûts fixes",
        ]));
        assert!(headings.is_empty());
        assert_eq!(
            competencies,
            ["Construire le budget prévisionnel en tenant compte : des coûts fixes"]
        );
    }

    #[test]
    fn dates_and_levels() {
        assert_eq!(iso_date("15/01/2024").as_deref(), Some("2024-01-15"));
        assert_eq!(iso_date("29/02/2024").as_deref(), Some("2024-02-29"));
        assert_eq!(iso_date("31/02/2024"), None);
        assert_eq!(iso_date("29/02/2023"), None);
        assert_eq!(iso_date("2024"), None);
        assert_eq!(level("NIV7"), Some(7));
        assert_eq!(level("SANS"), None);
    }

    #[test]
    fn the_other_certification_is_named_as_the_fiche_words_it() {
        let named = |l: &str| other_certification(l);
        assert_eq!(
            named("bloc de compétences validé en brevet de technicien supérieur « économie sociale familiale »").as_deref(),
            Some("Brevet de technicien supérieur « économie sociale familiale »")
        );
        assert_eq!(
            named("Ce bloc est validé par équivalence pour les titulaires du diplôme d'ingénieur, par l'obtention du diplôme.").as_deref(),
            Some("Diplôme d'ingénieur")
        );
        assert_eq!(
            named("Validé par équivalence avec le BTS SIO (RNCP 35340).").as_deref(),
            Some("BTS SIO")
        );
        assert_eq!(named("Validé par équivalence."), None);
        assert_eq!(
            rncp_code("avec le BTS SIO (RNCP 35340).").as_deref(),
            Some("RNCP35340")
        );
        assert_eq!(rncp_code("RNCP"), None);
    }

    #[test]
    fn equivalence_only_when_stated() {
        for yes in [
            "Ce bloc est validé par équivalence pour les titulaires du diplôme d'ingénieur.",
            "Validé par équivalence avec le BTS.",
            "Les titulaires du BTS MCO sont dispensés de ce bloc.",
            "Le bloc est acquis par les titulaires du titre professionnel.",
            "bloc de compétences validé en brevet de technicien supérieur « économie sociale familiale »",
        ] {
            assert!(says_equivalence(yes), "{yes}");
        }
        for no in [
            "Le bloc est validé par l'obtention d'une note ≥ 10/20",
            "Le bloc est validé par l’obtention d’une note supérieure ou égale à 10/20.",
            "Une dispense partielle d'épreuve est possible.",
            "Aucune équivalence n'est prévue.",
            "Il n'y a pas d'équivalence avec le BTS.",
            "Le bloc est validé en contrôle continu.",
        ] {
            assert!(!says_equivalence(no), "{no}");
        }
    }

    #[test]
    fn bloc_numbers_and_headings() {
        assert_eq!(bloc_number("RNCP34826BC04"), Some(4));
        assert_eq!(bloc_number("RS5841BC12"), Some(12));
        assert_eq!(bloc_number("BLOC"), None);
        assert!(is_heading("Compétences attestées :"));
        assert!(is_heading(
            "Compétences validées en brevet de technicien supérieur « ESF"
        ));
        assert!(is_heading("Le titulaire est capable de :"));
        assert!(is_heading(
            "Le secouriste possède les compétences pour assurer sa propre sécurité et celle des autres :"
        ));
        assert!(!is_heading(
            "C1.2 Analyser la demande en tenant compte de :"
        ));
        assert!(!is_heading(
            "Construire le budget prévisionnel de l'événement en tenant compte :"
        ));
        assert!(!is_heading("Analyser la demande du client"));
    }

    #[test]
    fn closest_numbers_by_distance() {
        let mut nearest = Nearest::new("RNCP200");
        for n in [
            "RNCP100", "RNCP205", "RNCP199", "RNCP5000", "RNCP201", "RNCP3", "RNCP201",
        ] {
            nearest.offer(n.to_string());
        }
        assert_eq!(
            nearest.numbers(),
            ["RNCP199", "RNCP201", "RNCP205", "RNCP100", "RNCP3"]
        );
        assert_eq!(nearest.seen, 7);
    }
}
