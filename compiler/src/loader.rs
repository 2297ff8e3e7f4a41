//! Reads the root file, follows `import`s and `use std::...`, and parses
//! everything. Files come through a [`SourceProvider`] so the language
//! server can serve unsaved buffers before the disk.

use acquis_diagnostics::text;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use acquis_grammar::ast::{self, Item, Span};
use acquis_grammar::ParseCache;

use acquis_diagnostics::codes::Code;
use acquis_diagnostics::diagnostic::{did_you_mean, Diagnostic};
use acquis_diagnostics::source::{FileId, SourceFile, SourceMap};

/// Files above this size are refused: a referential of 1,000 blocks is
/// about 16 MB, and a bigger file is almost surely not a referential.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    NotFound,
    IsDirectory,
    /// Bytes that are not UTF-8, starting at this byte offset, on this
    /// 1-based line and column (in characters).
    NotUtf8 {
        offset: usize,
        line: usize,
        column: usize,
    },
    TooLarge {
        bytes: u64,
    },
    /// A device, a pipe or a socket: never opened (reading `/dev/zero`
    /// never ends, opening a pipe may block forever).
    NotAFile,
    Other(String),
}

/// Where source text comes from.
pub trait SourceProvider {
    fn read(&self, path: &Path) -> Result<String, LoadError>;
}

/// Reads files from the file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct Disk;

impl SourceProvider for Disk {
    fn read(&self, path: &Path) -> Result<String, LoadError> {
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => LoadError::NotFound,
            _ => LoadError::Other(e.to_string()),
        })?;
        if meta.is_dir() {
            return Err(LoadError::IsDirectory);
        }
        if !meta.is_file() {
            return Err(LoadError::NotAFile);
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(LoadError::TooLarge { bytes: meta.len() });
        }
        // The size is counted while reading too: some files say 0 and are
        // not (`/proc`), and a file may grow after it was measured.
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| LoadError::Other(e.to_string()))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(LoadError::TooLarge {
                bytes: bytes.len() as u64,
            });
        }
        String::from_utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let valid =
                std::str::from_utf8(e.as_bytes().get(..offset).unwrap_or(&[])).unwrap_or("");
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            LoadError::NotUtf8 {
                offset,
                line,
                column,
            }
        })
    }
}

/// In-memory files, for tests and for the language server's open buffers
/// (falling back to another provider).
#[derive(Debug, Default, Clone)]
pub struct Memory<P = Disk> {
    pub files: HashMap<PathBuf, String>,
    pub fallback: Option<P>,
}

impl<P: SourceProvider> SourceProvider for Memory<P> {
    fn read(&self, path: &Path) -> Result<String, LoadError> {
        match self.files.get(&normalize(path)) {
            Some(text) => Ok(text.clone()),
            None => match &self.fallback {
                Some(p) => p.read(path),
                None => Err(LoadError::NotFound),
            },
        }
    }
}

/// One parsed file of the compilation.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub id: FileId,
    pub ast: ast::File,
    /// `Some(name)` for the standard library module `std::name`.
    pub std_module: Option<&'static str>,
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: SourceMap,
    pub files: Vec<ParsedFile>,
    pub root: Option<FileId>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads `root` and everything it imports.
pub fn load(root: &Path, provider: &dyn SourceProvider) -> Loaded {
    load_with(root, provider, None)
}

/// Loads like [`load`], parsing each file incrementally against what
/// `caches` kept of its previous version: for a caller that compiles the
/// same files after each edit (the language server). Same result.
pub fn load_incremental(
    root: &Path,
    provider: &dyn SourceProvider,
    caches: &mut ParseCaches,
) -> Loaded {
    load_with(root, provider, Some(caches))
}

fn load_with(
    root: &Path,
    provider: &dyn SourceProvider,
    caches: Option<&mut ParseCaches>,
) -> Loaded {
    let mut loader = Loader {
        provider,
        caches,
        loaded: Loaded::default(),
        by_path: HashMap::new(),
        stack: Vec::new(),
        project: normalize(root.parent().unwrap_or(Path::new(""))),
    };
    let root_id = loader.load_file(root, None);
    loader.loaded.root = root_id;
    loader.load_std_modules();
    loader.loaded
}

/// One [`ParseCache`] per file, by normalized path.
#[derive(Debug, Default)]
pub struct ParseCaches {
    by_path: HashMap<PathBuf, ParseCache>,
    /// Files parsed since the last [`ParseCaches::forget_unused`].
    used: HashSet<PathBuf>,
}

impl ParseCaches {
    fn parse(&mut self, key: &Path, text: &str) -> ast::File {
        self.used.insert(key.to_path_buf());
        let cache = self.by_path.entry(key.to_path_buf()).or_default();
        acquis_grammar::parse_incremental(text, cache)
    }

    /// Drops the caches of the files not parsed since the last call (a
    /// cache holds a copy of its file's text and syntax tree).
    pub fn forget_unused(&mut self) {
        let used = std::mem::take(&mut self.used);
        self.by_path.retain(|path, _| used.contains(path));
    }

    /// Reused and total steps of the last parse of each file (tests).
    pub fn reuse(&self, path: &Path) -> Option<(usize, usize)> {
        self.by_path.get(path).map(ParseCache::reuse)
    }
}

struct Loader<'p> {
    provider: &'p dyn SourceProvider,
    caches: Option<&'p mut ParseCaches>,
    loaded: Loaded,
    by_path: HashMap<PathBuf, FileId>,
    /// Files being loaded, with the import that led to the next one.
    stack: Vec<(PathBuf, FileId, Option<Span>)>,
    /// The folder of the main file: imports stay in it or below.
    project: PathBuf,
}

/// The import that asked for a file: which file, and where.
type ImportSite = (FileId, Span);

impl Loader<'_> {
    fn load_file(&mut self, path: &Path, site: Option<ImportSite>) -> Option<FileId> {
        let key = normalize(path);
        if let Some(position) = self.stack.iter().position(|(p, _, _)| *p == key) {
            self.report_cycle(position, site);
            return None;
        }
        if let Some(id) = self.by_path.get(&key) {
            return Some(*id);
        }
        let display = path.to_string_lossy().into_owned();
        if let Some((file, span)) = site {
            if !inside(&self.project, &key) || leads_outside(&self.project, path) {
                // Never read, so never quoted: a referential cannot make
                // the toolchain print another file's lines.
                self.loaded.diagnostics.push(
                    Diagnostic::new(
                        Code::FileUnreadable,
                        text!("`{display}` is outside the referential's folder: it is not read", display = &display),
                        file,
                        span,
                    )
                    .with_help(text!("keep the files of a referential in the folder of its main file or below it, and import them by a relative path")),
                );
                return None;
            }
        }
        let text = match self.provider.read(path) {
            Ok(text) => text,
            Err(error) => {
                self.report_unreadable(&display, error, site);
                return None;
            }
        };
        // A byte-order mark is not text: editors do not count it as a column.
        let text = match text.strip_prefix('\u{FEFF}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        let is_empty = text.trim().is_empty();
        let parsed = match self.caches.as_deref_mut() {
            Some(caches) => caches.parse(&key, &text),
            None => acquis_grammar::parse(&text),
        };
        let id = self
            .loaded
            .sources
            .add(SourceFile::new(display.clone(), text));
        self.by_path.insert(key.clone(), id);
        if is_empty {
            let help = if site.is_some() {
                text!("an imported file holds blocks, scales or rules; fill it, or remove the `import`")
            } else {
                text!("a referential starts with `referential ID \"title\" {{ ... }}`; see docs/language.md")
            };
            self.loaded.diagnostics.push(
                Diagnostic::new(
                    Code::FileEmpty,
                    text!("`{display}` is empty", display = &display),
                    id,
                    Span::default(),
                )
                .with_help(help),
            );
        }
        let imports: Vec<(String, Span)> = parsed
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Import(i) => Some((i.path.value.clone(), i.span)),
                _ => None,
            })
            .collect();
        self.loaded.files.push(ParsedFile {
            id,
            ast: parsed,
            std_module: None,
        });
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for (relative, span) in imports {
            self.stack.push((key.clone(), id, Some(span)));
            self.load_file(&base.join(&relative), Some((id, span)));
            self.stack.pop();
        }
        Some(id)
    }

    fn report_cycle(&mut self, position: usize, site: Option<ImportSite>) {
        let Some((file, span)) = site else { return };
        let chain: Vec<String> = self.stack[position..]
            .iter()
            .map(|(_, id, _)| self.loaded.sources.path(*id).to_string())
            .collect();
        let first = chain.first().cloned().unwrap_or_default();
        let mut diagnostic = Diagnostic::new(
            Code::ImportCycle,
            text!(
                "import cycle: {join} → {first}",
                join = chain.join(" → "),
                first = &first
            ),
            file,
            span,
        )
        .with_primary_message(text!("this import closes the cycle"));
        for (_, id, import) in self.stack.iter().skip(position) {
            if let Some(import) = import {
                if (*id, *import) != (file, span) {
                    diagnostic = diagnostic.with_label(
                        *id,
                        *import,
                        text!("imports the next file of the cycle"),
                    );
                }
            }
        }
        self.loaded.diagnostics.push(
            diagnostic.with_help(text!("files of one referential must import each other without a loop; move shared items to a file that imports nothing back")),
        );
    }

    fn report_unreadable(&mut self, display: &str, error: LoadError, site: Option<ImportSite>) {
        let (code, message, help) = match error {
            LoadError::NotFound => (
                Code::FileUnreadable,
                text!("cannot read `{display}`: no such file", display = &display),
                if site.is_some() {
                    text!("check the path; import paths are relative to the importing file")
                } else {
                    text!("check the path, relative to the current directory")
                },
            ),
            LoadError::IsDirectory => (
                Code::FileUnreadable,
                text!("cannot read `{display}`: it is a directory", display = &display),
                text!("give the path of a `.acquis` file"),
            ),
            LoadError::NotAFile => (
                Code::FileUnreadable,
                text!("cannot read `{display}`: it is not a regular file (a device, a pipe or a socket)", display = &display),
                text!("give the path of a `.acquis` file"),
            ),
            LoadError::NotUtf8 { offset, line, column } => (
                Code::FileNotUtf8,
                text!("`{display}` is not UTF-8 text: invalid byte at line {line}, column {column} (byte {offset})", display = &display, line = &line, column = &column, offset = &offset),
                text!("save the file as UTF-8; most editors offer it in their encoding menu"),
            ),
            LoadError::TooLarge { bytes } => (
                Code::FileTooLarge,
                text!("`{display}` is {bytes} MiB, more than the {max} MiB limit", display = &display, bytes = bytes / (1024 * 1024), max = MAX_FILE_BYTES / (1024 * 1024)),
                text!("split the referential over several files with `import`"),
            ),
            LoadError::Other(reason) => (
                Code::FileUnreadable,
                text!("cannot read `{display}`: {reason}", display = &display, reason = &reason),
                text!("check that the file exists and can be read"),
            ),
        };
        let (file, span) = match site {
            Some(site) => site,
            // No import points at the root file: give it an empty entry so
            // the diagnostic still names it.
            None => (
                self.loaded.sources.add(SourceFile::new(display, "")),
                Span::default(),
            ),
        };
        self.loaded
            .diagnostics
            .push(Diagnostic::new(code, message, file, span).with_help(help));
    }

    /// Parses each `std::` module named by a `use`, once.
    fn load_std_modules(&mut self) {
        let mut wanted: Vec<(String, FileId, Span)> = Vec::new();
        for file in &self.loaded.files {
            for item in &file.ast.items {
                if let Item::Use(u) = item {
                    let module = u.path.get(1).map(|m| (m.name.clone(), m.span));
                    match (u.path.first(), module) {
                        (Some(root), Some((name, span))) if root.name == "std" => {
                            wanted.push((name, file.id, span))
                        }
                        (Some(root), None) if root.name == "std" => self.loaded.diagnostics.push(
                            Diagnostic::new(
                                Code::UnknownStdItem,
                                text!("`use std` names no module"),
                                file.id,
                                u.span,
                            )
                            .with_help(text!("write `use std::scales::NAME` or `use std::rules::NAME` (`*` for all)")),
                        ),
                        (Some(root), _) => self.loaded.diagnostics.push(
                            Diagnostic::new(
                                Code::UnknownStdItem,
                                text!("`use` paths start with `std::`, found `{root}`", root = &root.name),
                                file.id,
                                root.span,
                            )
                            .with_help(text!("other files of the referential are included with `import \"file.acquis\"`")),
                        ),
                        (None, _) => {}
                    }
                }
            }
        }
        for (name, file, span) in wanted {
            let display = acquis_stdlib::display_path(&name);
            if self.loaded.sources.find(&display).is_some() {
                continue;
            }
            match acquis_stdlib::module(&name) {
                Some(module) => {
                    let id = self
                        .loaded
                        .sources
                        .add(SourceFile::new(display, module.source));
                    self.loaded.files.push(ParsedFile {
                        id,
                        ast: acquis_grammar::parse(module.source),
                        std_module: Some(module.name),
                    });
                }
                None => {
                    let names = acquis_stdlib::MODULES.iter().map(|m| m.name);
                    let mut d = Diagnostic::new(
                        Code::UnknownStdItem,
                        text!("the standard library has no module `{name}`", name = &name),
                        file,
                        span,
                    );
                    d = match did_you_mean(&name, names) {
                        Some(close) => d.with_correction(file, span, close),
                        None => {
                            d.with_help(text!("the modules are `std::scales` and `std::rules`"))
                        }
                    };
                    self.loaded.diagnostics.push(d);
                }
            }
        }
    }
}

/// Whether `path` (normalised) lies in `folder` (normalised) or below it,
/// lexically: not absolute elsewhere, no `..` climbing out.
fn inside(folder: &Path, path: &Path) -> bool {
    path.strip_prefix(folder)
        .is_ok_and(|rest| rest.components().all(|c| matches!(c, Component::Normal(_))))
}

/// Whether `path`, a file on disk, resolves through symbolic links to a
/// place outside `folder` as it resolves: a link inside the folder that
/// leads out of it. `false` for what is not on disk (open buffers, tests'
/// files in memory), which no link can lead anywhere.
fn leads_outside(folder: &Path, path: &Path) -> bool {
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    match (std::fs::canonicalize(folder), std::fs::canonicalize(path)) {
        (Ok(folder), Ok(file)) => !file.starts_with(folder),
        _ => false,
    }
}

/// Lexical normalisation (no file system access): drops `.` and folds `..`.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory(files: &[(&str, &str)]) -> Memory<Disk> {
        let mut memory = Memory::<Disk>::default();
        for (path, text) in files {
            memory
                .files
                .insert(normalize(Path::new(path)), (*text).to_string());
        }
        memory
    }

    fn same(a: &Loaded, b: &Loaded) -> bool {
        a.files.len() == b.files.len()
            && a.files.iter().zip(&b.files).all(|(x, y)| x.ast == y.ast)
            && format!("{:?}", a.diagnostics) == format!("{:?}", b.diagnostics)
    }

    #[test]
    fn incremental_loading_loads_the_same_and_reuses_items() {
        let main = "referential R \"Titre\" {\n  lang fr\n}\nimport \"b.acquis\"\nuse std::scales::acquisition\n\nblock B1 \"Un\" {\n  competency C1 \"C\" {\n    criterion K1 \"K\" { indicator \"i\" }\n  }\n}\n\nblock B2 \"Deux\" {\n  competency C2 \"C\" {\n    criterion K2 \"K\" { indicator \"i\" }\n  }\n}\n";
        let other = "block B3 \"Trois\" {\n}\n";
        let mut caches = ParseCaches::default();
        for version in [
            main.to_string(),
            main.replace("Titre", "Title"),
            main.replace("block B2", "block"),
        ] {
            let provider = memory(&[("main.acquis", &version), ("b.acquis", other)]);
            let full = load(Path::new("main.acquis"), &provider);
            let incremental = load_incremental(Path::new("main.acquis"), &provider, &mut caches);
            assert!(same(&full, &incremental));
            caches.forget_unused();
        }
        // The title edit re-read the header only; `b.acquis` was unchanged.
        let provider = memory(&[("main.acquis", main), ("b.acquis", other)]);
        let _ = load_incremental(Path::new("main.acquis"), &provider, &mut caches);
        let edited = main.replace("Titre", "Titres");
        let provider = memory(&[("main.acquis", &edited), ("b.acquis", other)]);
        let _ = load_incremental(Path::new("main.acquis"), &provider, &mut caches);
        assert_eq!(
            caches.reuse(&normalize(Path::new("main.acquis"))),
            Some((5, 6))
        );
        assert_eq!(
            caches.reuse(&normalize(Path::new("b.acquis"))),
            Some((2, 2))
        );
        caches.forget_unused();
        let provider = memory(&[("main.acquis", main)]);
        let _ = load_incremental(Path::new("main.acquis"), &provider, &mut caches);
        caches.forget_unused();
        assert_eq!(caches.reuse(&normalize(Path::new("b.acquis"))), None);
    }

    /// A symbolic link inside the folder that leads out of it is refused
    /// like a path that does, unread; one that stays inside is read.
    #[cfg(unix)]
    #[test]
    fn an_import_through_a_link_that_leads_outside_is_refused() -> std::io::Result<()> {
        let base = std::env::temp_dir().join(format!("acquis-link-import-{}", std::process::id()));
        let project = base.join("p");
        std::fs::create_dir_all(project.join("sub"))?;
        std::fs::write(base.join("secret.acquis"), "block S \"secret\" {\n}\n")?;
        std::fs::write(project.join("sub/b.acquis"), "block B \"b\" {\n}\n")?;
        std::os::unix::fs::symlink(base.join("secret.acquis"), project.join("out.acquis"))?;
        std::os::unix::fs::symlink(project.join("sub/b.acquis"), project.join("in.acquis"))?;
        std::fs::write(
            project.join("main.acquis"),
            "referential R \"T\" { lang fr }\nimport \"out.acquis\"\nimport \"in.acquis\"\n",
        )?;
        let loaded = load(&project.join("main.acquis"), &Disk);
        let _ = std::fs::remove_dir_all(&base);
        let refused: Vec<String> = loaded
            .diagnostics
            .iter()
            .map(|d| d.message.english())
            .collect();
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert!(
            refused[0].ends_with("out.acquis` is outside the referential's folder: it is not read"),
            "{refused:?}"
        );
        assert_eq!(loaded.files.len(), 2, "the main file and the link inside");
        assert!(loaded
            .sources
            .iter()
            .all(|(_, f)| !f.text.contains("secret")));
        Ok(())
    }

    #[test]
    fn imports_stay_in_the_folder_of_the_main_file() {
        let header = "referential R \"T\" { lang fr }\n";
        let provider = memory(&[
            ("p/main.acquis", ""),
            ("p/sub/b.acquis", "block B \"b\" {\n}\n"),
            ("p/c.acquis", "block C \"c\" {\n}\n"),
            ("outside.acquis", "block O \"o\" {\n}\n"),
        ]);
        let mut provider = provider;
        provider.files.insert(
            normalize(Path::new("p/main.acquis")),
            format!(
                "{header}import \"sub/b.acquis\"\nimport \"./sub/../c.acquis\"\nimport \"../outside.acquis\"\nimport \"/etc/passwd\"\n"
            ),
        );
        let loaded = load(Path::new("p/main.acquis"), &provider);
        // The two inside are read; the two outside are refused unread.
        assert_eq!(loaded.files.len(), 3, "{:?}", loaded.diagnostics);
        let refused: Vec<String> = loaded
            .diagnostics
            .iter()
            .map(|d| d.message.english())
            .collect();
        assert_eq!(
            refused,
            [
                "`p/../outside.acquis` is outside the referential's folder: it is not read",
                "`/etc/passwd` is outside the referential's folder: it is not read",
            ]
        );
        assert!(loaded
            .diagnostics
            .iter()
            .all(|d| d.code == Code::FileUnreadable));
        // No text of a refused file is held, so none can be quoted.
        assert!(loaded
            .sources
            .iter()
            .all(|(_, f)| !f.text.contains("block O")));
        assert!(inside(Path::new(""), Path::new("a/b.acquis")));
        assert!(!inside(Path::new(""), Path::new("../b.acquis")));
        assert!(!inside(Path::new("/p"), Path::new("/q/b.acquis")));
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_pipes_are_refused_unopened() {
        // Reading /dev/zero would never end.
        assert_eq!(Disk.read(Path::new("/dev/zero")), Err(LoadError::NotAFile));
        // Opening a pipe nobody writes to would block forever.
        let dir = std::env::temp_dir().join(format!("acquis-fifo-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let fifo = dir.join("pipe.acquis");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert_eq!(Disk.read(&fifo), Err(LoadError::NotAFile));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
