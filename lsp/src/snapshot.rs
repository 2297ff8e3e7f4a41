//! One analysis of the workspace: the open documents compiled by the
//! compiler, each with the referential it belongs to. Requests read the
//! latest snapshot; it is never changed once built.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use acquis_compiler::analysis::Analysis;
use acquis_compiler::loader::{normalize, Disk, Memory, ParseCaches, SourceProvider};
use acquis_compiler::{compile_with_analysis_incremental, Code, Compilation};
use acquis_diagnostics::source::{FileId, SourceFile};
use acquis_grammar::ast::Span;
use lsp_types::{Position, Range};

use crate::line_index::LineIndex;

/// One referential: a main file, what it imports, and their compilation.
pub struct Unit {
    pub root: PathBuf,
    pub compilation: Compilation,
    /// The path of each file of the compilation, by `FileId`.
    pub paths: Vec<Option<PathBuf>>,
    pub lines: Vec<LineIndex>,
    /// A file with no header that no referential imports, compiled on its
    /// own: the missing header and certification are not its problem.
    pub standalone: bool,
}

impl Unit {
    fn new(
        root: PathBuf,
        provider: &Memory<Disk>,
        caches: &mut ParseCaches,
        standalone: bool,
    ) -> Unit {
        let compilation = compile_with_analysis_incremental(&root, provider, caches);
        let paths = compilation
            .sources
            .iter()
            .map(|(_, f)| crate::paths::source_path(&f.path))
            .collect();
        let lines = compilation
            .sources
            .iter()
            .map(|(_, f)| LineIndex::new(&f.text))
            .collect();
        Unit {
            root,
            compilation,
            paths,
            lines,
            standalone,
        }
    }

    pub fn file_id(&self, path: &Path) -> Option<FileId> {
        self.paths
            .iter()
            .position(|p| p.as_deref() == Some(path))
            .map(FileId)
    }

    pub fn path(&self, id: FileId) -> Option<&Path> {
        self.paths.get(id.0).and_then(|p| p.as_deref())
    }

    pub fn source(&self, id: FileId) -> Option<&SourceFile> {
        self.compilation.sources.get(id)
    }

    pub fn analysis(&self) -> Option<&Analysis> {
        self.compilation.analysis.as_ref()
    }

    /// The LSP range of a span of one of this unit's files.
    pub fn range(&self, id: FileId, span: Span) -> Range {
        match (self.lines.get(id.0), self.source(id)) {
            (Some(lines), Some(file)) => lines.range(&file.text, span.start, span.end),
            _ => Range::default(),
        }
    }

    /// Whether a diagnostic belongs to what the user sees for this unit.
    pub fn shows(&self, code: Code) -> bool {
        !(self.standalone && matches!(code, Code::MissingHeader | Code::MissingCertification))
    }
}

/// A file of a unit, as a request sees it.
#[derive(Clone, Copy)]
pub struct FileView<'s> {
    pub unit: &'s Unit,
    pub id: FileId,
    pub text: &'s str,
    pub lines: &'s LineIndex,
}

impl<'s> FileView<'s> {
    pub fn offset(&self, position: Position) -> usize {
        self.lines.offset(self.text, position)
    }

    pub fn range(&self, span: Span) -> Range {
        self.lines.range(self.text, span.start, span.end)
    }

    pub fn analysis(&self) -> Option<&'s Analysis> {
        self.unit.analysis()
    }

    pub fn ast(&self) -> Option<&'s acquis_grammar::ast::File> {
        self.analysis()?.file(self.id).map(|f| &f.ast)
    }
}

pub struct Snapshot {
    pub generation: u64,
    pub units: Vec<Unit>,
}

impl Snapshot {
    pub fn empty() -> Snapshot {
        Snapshot {
            generation: 0,
            units: Vec::new(),
        }
    }

    /// Compiles every open document with the referential it belongs to.
    /// `caches` keeps what each file's parse read, across snapshots, so
    /// that an edit re-parses only the items it can have changed.
    pub fn build(
        generation: u64,
        texts: Vec<(PathBuf, String)>,
        caches: &mut ParseCaches,
    ) -> Snapshot {
        let mut provider = Memory::<Disk> {
            fallback: Some(Disk),
            ..Memory::default()
        };
        for (path, text) in &texts {
            provider.files.insert(normalize(path), text.clone());
        }
        let mut units: Vec<Unit> = texts
            .iter()
            .filter(|(_, text)| has_header(text))
            .map(|(path, _)| Unit::new(path.clone(), &provider, caches, false))
            .collect();
        for (path, _) in &texts {
            if units.iter().any(|u| u.file_id(path).is_some()) {
                continue;
            }
            match importer_on_disk(path, &provider, caches, &units) {
                Some(unit) => units.push(unit),
                None => units.push(Unit::new(path.clone(), &provider, caches, true)),
            }
        }
        // Closed files and files no longer imported free their cache.
        caches.forget_unused();
        Snapshot { generation, units }
    }

    /// The first unit that has this file, and the file in it.
    pub fn file(&self, path: &Path) -> Option<FileView<'_>> {
        self.units.iter().find_map(|unit| {
            let id = unit.file_id(path)?;
            Some(FileView {
                unit,
                id,
                text: &unit.source(id)?.text,
                lines: unit.lines.get(id.0)?,
            })
        })
    }
}

/// A main file has the `referential` header (a line starting with it).
fn has_header(text: &str) -> bool {
    text.lines().any(|line| {
        line.trim_start()
            .strip_prefix("referential")
            .is_some_and(|rest| rest.starts_with(char::is_whitespace))
    })
}

/// A main file in the same folder that imports `path`, compiled.
fn importer_on_disk(
    path: &Path,
    provider: &Memory<Disk>,
    caches: &mut ParseCaches,
    units: &[Unit],
) -> Option<Unit> {
    let folder = path.parent()?;
    let known: BTreeSet<&Path> = units.iter().map(|u| u.root.as_path()).collect();
    let entries = std::fs::read_dir(folder).ok()?;
    let mut candidates: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "acquis") && p != path)
        .filter(|p| !known.contains(p.as_path()))
        .collect();
    candidates.sort();
    for candidate in candidates.into_iter().take(64) {
        // Read as the compiler reads: a pipe, a device or a file over the
        // size limit is skipped unopened, an open buffer read as edited.
        let text = provider.read(&candidate).unwrap_or_default();
        if has_header(&text) && text.contains("import") {
            let unit = Unit::new(normalize(&candidate), provider, caches, false);
            if unit.file_id(path).is_some() {
                return Some(unit);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the user sees of a snapshot: each unit's diagnostics and parsed files.
    fn seen(snapshot: &Snapshot) -> String {
        snapshot
            .units
            .iter()
            .map(|u| {
                let files: Vec<_> = u
                    .analysis()
                    .map(|a| {
                        (0..u.paths.len())
                            .filter_map(|i| a.file(FileId(i)).map(|f| format!("{:?}", f.ast)))
                            .collect()
                    })
                    .unwrap_or_default();
                format!("{:?}{:?}", u.compilation.diagnostics, files)
            })
            .collect()
    }

    #[test]
    fn an_analysis_with_the_caches_of_the_previous_ones_sees_the_same() {
        let path = std::env::temp_dir().join("acquis-snapshot-incremental/main.acquis");
        let text = "referential R \"Titre\" {\n  lang fr\n}\nuse std::scales::acquisition\n\nblock B1 \"Un\" {\n  competency C1 \"C\" {\n    criterion K1 \"K\" { indicator \"i\" }\n  }\n}\n\nblock B2 \"Deux\" {\n  competency C2 \"C\" {\n    criterion K2 \"K\" { indicator \"i\" }\n  }\n}\ncertification validated when all blocks validated\n";
        let versions = [
            text.to_string(),
            text.replace("Titre", "Title"),
            text.replace("  }\n}\n\nblock B2", "  }\n\nblock B2"),
            text.replace("criterion K2", "criterion K1"),
            text.to_string(),
        ];
        let mut caches = ParseCaches::default();
        for (generation, version) in versions.iter().enumerate() {
            let texts = vec![(path.clone(), version.clone())];
            let incremental = Snapshot::build(generation as u64, texts.clone(), &mut caches);
            let fresh = Snapshot::build(generation as u64, texts, &mut ParseCaches::default());
            assert!(seen(&fresh).contains("K2") || seen(&fresh).contains("K1"));
            assert_eq!(seen(&incremental), seen(&fresh));
        }
    }

    /// A module opened alone looks for the referential that imports it
    /// among the files of its folder: a pipe or a device named like one is
    /// skipped, never opened (opening a pipe waits for a writer).
    #[test]
    fn a_pipe_among_the_folder_files_is_not_waited_on() {
        let dir = std::env::temp_dir().join(format!("acquis-snapshot-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok();
        let made = std::process::Command::new("mkfifo")
            .arg(dir.join("a-pipe.acquis"))
            .status();
        if made.is_ok_and(|s| s.success()) {
            std::fs::write(
                dir.join("main.acquis"),
                "referential R \"R\" { lang fr }\nimport \"module.acquis\"\ncertification validated when all blocks validated\n",
            )
            .ok();
            let module = dir.join("module.acquis");
            let text = "block B \"B\" {\n  competency C \"C\" {\n    criterion K \"K\" { indicator \"i\" }\n  }\n}\n";
            std::fs::write(&module, text).ok();
            let (sender, receiver) = std::sync::mpsc::channel();
            let opened = module.clone();
            // A thread, so that a regression hangs it, not the test run.
            std::thread::spawn(move || {
                let snapshot = Snapshot::build(
                    1,
                    vec![(opened.clone(), text.to_string())],
                    &mut ParseCaches::default(),
                );
                let _ = sender.send(snapshot.file(&opened).is_some());
            });
            let found = receiver.recv_timeout(std::time::Duration::from_secs(60));
            assert_eq!(found, Ok(true), "the pipe was opened and waited on");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
