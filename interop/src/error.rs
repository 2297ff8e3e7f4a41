//! What can go wrong in an import or an export, as values, each with its
//! diagnostic code (`A08xx`) and converted once into the toolchain's one
//! diagnostic model ([`InteropError::to_diagnostic`]): the command line
//! renders it for a terminal, a screen reader or a tool, never from its
//! text.
//!
//! `Display` gives the whole message for a library user, place included
//! (`export.xml:82:7: error: …`, `package.json: error: …`, `cannot read
//! `x.json`: …`).

use std::fmt;
use std::path::PathBuf;

use acquis_diagnostics::{text, Code, Diagnostic, Position, Text};
use serde_json::Value;

/// Why an import or an export failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum InteropError {
    /// An input file cannot be opened or read.
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    /// An input path names a directory.
    IsDirectory { path: PathBuf },
    /// An input path names a device, a FIFO or a socket (`/dev/zero`):
    /// refused from its metadata, before it is opened.
    NotAFile { path: PathBuf },
    /// An input file is larger than what is read of it (a CASE package).
    FileTooLarge { path: PathBuf, limit: u64 },
    /// A file that starts like a zip archive is not one that can be read.
    NotAZip {
        path: PathBuf,
        source: zip::result::ZipError,
    },
    /// The entry of a zip archive (`export.zip!fiches.xml`) cannot be read.
    ZipEntryUnreadable {
        entry: String,
        source: zip::result::ZipError,
    },
    /// A zip archive holds no `.xml` file to read the export from.
    NoXmlInZip { path: PathBuf },
    /// `--fiche` is neither `RNCP39583` nor `39583`.
    NotAFicheNumber { given: String },
    /// Something wrong at a place of an RNCP export (`file` as messages
    /// name it: `export.xml`, or `export.zip!fiches.xml`).
    Rncp {
        file: String,
        line: usize,
        column: usize,
        problem: RncpProblem,
    },
    /// The fiche asked for is not in the export.
    FicheNotFound {
        file: String,
        wanted: String,
        /// How many fiches the export holds.
        seen: usize,
        /// The closest fiche numbers, closest first.
        closest: Vec<String>,
    },
    /// `--list` could not write its lines.
    WriteList(std::io::Error),
    /// A CASE package is not JSON (the error knows its line and column).
    InvalidJson {
        file: String,
        source: serde_json::Error,
    },
    /// A CASE package is JSON but not one that can be imported; the
    /// problem names the place by its JSON path.
    Case { file: String, problem: CaseProblem },
    /// The CASE package could not be serialised (a bug).
    WritePackage(serde_json::Error),
    /// The skeleton an import made does not parse: a bug of the import,
    /// refused rather than written.
    SkeletonDoesNotParse(acquis_grammar::format::FormatError),
    /// An import would replace an existing referential without `--force`.
    Exists { path: PathBuf },
}

impl InteropError {
    /// Its diagnostic code, one of [`Code::INTEROP`].
    pub fn code(&self) -> Code {
        match self {
            InteropError::Unreadable { .. }
            | InteropError::IsDirectory { .. }
            | InteropError::NotAFile { .. }
            | InteropError::NotAZip { .. }
            | InteropError::ZipEntryUnreadable { .. }
            | InteropError::NoXmlInZip { .. } => Code::ImportUnreadable,
            InteropError::FileTooLarge { .. } => Code::ImportOverLimit,
            InteropError::NotAFicheNumber { .. } => Code::NotAFicheNumber,
            InteropError::Rncp { problem, .. } => match problem {
                RncpProblem::MalformedXml(_)
                | RncpProblem::NotUtf8(_)
                | RncpProblem::Encoding { .. }
                | RncpProblem::NotFiches { .. }
                | RncpProblem::NoFiches
                | RncpProblem::NoVersion
                | RncpProblem::Version { .. }
                | RncpProblem::Truncated { .. } => Code::RncpUnreadable,
                RncpProblem::OverLimit(_) => Code::ImportOverLimit,
                RncpProblem::NoNumber
                | RncpProblem::NoBlocs { .. }
                | RncpProblem::BlocWithoutCode
                | RncpProblem::BlocCodeTwice { .. }
                | RncpProblem::CompetencyCodeTwice { .. }
                | RncpProblem::NoCompetency { .. } => Code::RncpFicheDefect,
            },
            InteropError::FicheNotFound { .. } => Code::FicheNotFound,
            InteropError::InvalidJson { .. } => Code::CaseNotJson,
            InteropError::Case { problem, .. } => match problem {
                CaseProblem::NotAPackage
                | CaseProblem::CaseVersion { .. }
                | CaseProblem::ExtensionVersion { .. } => Code::CaseNotPackage,
                CaseProblem::Unreadable { .. } => Code::InteropBug,
                CaseProblem::Missing { .. }
                | CaseProblem::WrongType { .. }
                | CaseProblem::SameIdentifier { .. }
                | CaseProblem::SameCode { .. }
                | CaseProblem::AssociationWithoutEnds { .. }
                | CaseProblem::OwnParent { .. }
                | CaseProblem::Cycle { .. }
                | CaseProblem::NotOneRule { .. }
                | CaseProblem::NotAnIdentifier { .. }
                | CaseProblem::NotALevelOrNumber { .. }
                | CaseProblem::NotAnAccommodationValue { .. }
                | CaseProblem::NoBlocks => Code::CaseDefect,
            },
            InteropError::WriteList(_) => Code::InteropUnwritable,
            InteropError::WritePackage(_) | InteropError::SkeletonDoesNotParse(_) => {
                Code::InteropBug
            }
            InteropError::Exists { .. } => Code::ImportExists,
        }
    }

    /// The one diagnostic of this error. A problem of an input is placed
    /// at its line and column (an RNCP export, a JSON syntax error) or at
    /// the file as a whole (a CASE package, whose message names the JSON
    /// path); the message never repeats the place. The terminal shows
    /// `export.xml:82:7: error: …` and `package.json: error: …` as before.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let path = |p: &std::path::Path| Position::file(p.display().to_string());
        let (position, message) = match self {
            InteropError::Unreadable { path: p, source } => (
                path(p),
                text!(
                    "cannot read the file: {reason}",
                    reason = acquis_diagnostics::text::io_reason(source)
                ),
            ),
            InteropError::IsDirectory { path: p } => {
                (path(p), text!("cannot read it: it is a directory"))
            }
            InteropError::NotAFile { path: p } => (
                path(p),
                text!("cannot read it: it is not a regular file (a device, a FIFO or a socket)"),
            ),
            InteropError::FileTooLarge { path: p, limit } => (
                path(p),
                text!(
                    "the file is larger than the {max} MiB read of it",
                    max = limit >> 20
                ),
            ),
            InteropError::NotAZip { path: p, source } => (
                path(p),
                text!("not a readable zip archive: {reason}", reason = source),
            ),
            InteropError::NoXmlInZip { path: p } => {
                (path(p), text!("the zip archive holds no .xml file"))
            }
            InteropError::ZipEntryUnreadable { entry, source } => (
                Position::file(entry.clone()),
                text!("cannot read the file: {reason}", reason = source),
            ),
            InteropError::Rncp {
                file,
                line,
                column,
                problem,
            } => (
                Position::line(file.clone(), *line, Some(*column)),
                problem.text(),
            ),
            InteropError::FicheNotFound {
                file,
                wanted,
                seen,
                closest,
            } => (
                Position::file(file.clone()),
                fiche_not_found(wanted, *seen, closest),
            ),
            InteropError::InvalidJson { file, source } => (
                Position::line(file.clone(), source.line(), Some(source.column())),
                text!("not a valid JSON document: {reason}", reason = source),
            ),
            InteropError::Case { file, problem } => (Position::file(file.clone()), problem.text()),
            InteropError::Exists { path: p } => (
                path(p),
                text!("the file exists; give --force to replace it"),
            ),
            InteropError::NotAFicheNumber { given } => (
                Position::nowhere(),
                text!(
                    "`{given}` is not a fiche number: give `RNCP39583`, `39583` or `RS5841`",
                    given = given
                ),
            ),
            InteropError::WriteList(e) => (
                Position::nowhere(),
                text!(
                    "cannot write the list: {reason}",
                    reason = acquis_diagnostics::text::io_reason(e)
                ),
            ),
            InteropError::WritePackage(e) => (
                Position::nowhere(),
                text!("cannot write the package: {reason}", reason = e),
            ),
            InteropError::SkeletonDoesNotParse(e) => (
                Position::nowhere(),
                text!(
                    "the imported referential would not parse (a bug): {reason}",
                    reason = e
                ),
            ),
        };
        let d = Diagnostic::at(self.code(), message, position);
        match self.help() {
            Some(help) => d.with_help(help),
            None => d,
        }
    }

    /// What to do about it, where there is more to say than the message.
    fn help(&self) -> Option<Text> {
        match self {
            InteropError::Unreadable { .. }
            | InteropError::IsDirectory { .. }
            | InteropError::NotAFile { .. }
            | InteropError::NotAZip { .. }
            | InteropError::ZipEntryUnreadable { .. }
            | InteropError::NoXmlInZip { .. } => Some(
                text!("an RNCP export is an .xml file or a zip of one; a CASE package is a .json file"),
            ),
            InteropError::Rncp { .. } if self.code() == Code::RncpUnreadable => Some(
                text!("give the XML export of France Compétences (FICHES, VERSION_FLUX 4.1), or the zip it comes in"),
            ),
            InteropError::FicheNotFound { .. } => {
                Some(text!("list the fiches of the export with `acquis import rncp EXPORT --list`"))
            }
            InteropError::FileTooLarge { .. }
            | InteropError::Rncp {
                problem: RncpProblem::OverLimit(_),
                ..
            } => Some(
                text!("imports read within fixed budgets (docs/interop.md, \"Limits\"): a real export or package stays far below them"),
            ),
            InteropError::Case {
                problem:
                    CaseProblem::NotAPackage
                    | CaseProblem::CaseVersion { .. }
                    | CaseProblem::ExtensionVersion { .. },
                ..
            } => Some(
                text!("give a CASE 1.1 CFPackage: the JSON of one framework, with its CFDocument, CFItems and CFAssociations"),
            ),
            InteropError::Exists { .. } => {
                Some(text!("give another directory with -o, or --force to replace the file"))
            }
            InteropError::WritePackage(_)
            | InteropError::SkeletonDoesNotParse(_)
            | InteropError::Case {
                problem: CaseProblem::Unreadable { .. },
                ..
            } => Some(text!("this is a bug of acquis: please report it with the input file")),
            InteropError::Rncp { .. }
            | InteropError::NotAFicheNumber { .. }
            | InteropError::WriteList(_)
            | InteropError::InvalidJson { .. }
            | InteropError::Case { .. } => None,
        }
    }
}

impl From<&InteropError> for Diagnostic {
    fn from(e: &InteropError) -> Self {
        e.to_diagnostic()
    }
}

/// "fiche `X` is not in the export (3 fiches); closest numbers: …", for
/// the diagnostic and for `Display` alike.
fn fiche_not_found(wanted: &str, seen: usize, closest: &[String]) -> Text {
    if closest.is_empty() {
        text!(
            "fiche `{wanted}` is not in the export ({seen} fiche{seen:s})",
            wanted = wanted,
            seen = seen
        )
    } else {
        text!(
            "fiche `{wanted}` is not in the export ({seen} fiche{seen:s}); closest numbers: {closest}",
            wanted = wanted,
            seen = seen,
            closest = &closest.join(", ")
        )
    }
}

impl fmt::Display for InteropError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InteropError::Unreadable { path, source } => {
                write!(f, "cannot read `{}`: {source}", path.display())
            }
            InteropError::IsDirectory { path } => {
                write!(f, "cannot read `{}`: it is a directory", path.display())
            }
            InteropError::NotAFile { path } => write!(
                f,
                "cannot read `{}`: it is not a regular file (a device, a FIFO or a socket)",
                path.display()
            ),
            InteropError::FileTooLarge { path, limit } => write!(
                f,
                "`{}` is larger than the {} MiB read of it",
                path.display(),
                limit >> 20
            ),
            InteropError::NotAZip { path, source } => write!(
                f,
                "`{}` is not a readable zip archive: {source}",
                path.display()
            ),
            InteropError::ZipEntryUnreadable { entry, source } => {
                write!(f, "cannot read `{entry}`: {source}")
            }
            InteropError::NoXmlInZip { path } => {
                write!(f, "`{}` holds no .xml file", path.display())
            }
            InteropError::NotAFicheNumber { given } => write!(
                f,
                "`{given}` is not a fiche number: give `RNCP39583`, `39583` or `RS5841`"
            ),
            InteropError::Rncp {
                file,
                line,
                column,
                problem,
            } => write!(f, "{file}:{line}:{column}: error: {problem}"),
            InteropError::FicheNotFound {
                file,
                wanted,
                seen,
                closest,
            } => write!(
                f,
                "{file}: error: {}",
                fiche_not_found(wanted, *seen, closest).english()
            ),
            InteropError::WriteList(e) => write!(f, "cannot write the list: {e}"),
            InteropError::InvalidJson { file, source } => write!(
                f,
                "{file}:{}:{}: error: not a valid JSON document: {source}",
                source.line(),
                source.column()
            ),
            InteropError::Case { file, problem } => write!(f, "{file}: error: {problem}"),
            InteropError::WritePackage(e) => write!(f, "cannot write the package: {e}"),
            InteropError::SkeletonDoesNotParse(e) => {
                write!(f, "the imported referential would not parse (a bug): {e}")
            }
            InteropError::Exists { path } => {
                write!(f, "`{}` exists; give --force to replace it", path.display())
            }
        }
    }
}

impl std::error::Error for InteropError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InteropError::Unreadable { source, .. } | InteropError::WriteList(source) => {
                Some(source)
            }
            InteropError::NotAZip { source, .. }
            | InteropError::ZipEntryUnreadable { source, .. } => Some(source),
            InteropError::InvalidJson { source, .. } | InteropError::WritePackage(source) => {
                Some(source)
            }
            InteropError::SkeletonDoesNotParse(e) => Some(e),
            InteropError::Rncp { problem, .. } => problem.source(),
            InteropError::IsDirectory { .. }
            | InteropError::NotAFile { .. }
            | InteropError::FileTooLarge { .. }
            | InteropError::NoXmlInZip { .. }
            | InteropError::NotAFicheNumber { .. }
            | InteropError::FicheNotFound { .. }
            | InteropError::Case { .. }
            | InteropError::Exists { .. } => None,
        }
    }
}

/// A budget of the RNCP reader, which bounds its time and memory by the
/// size of the input whatever the input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// A zip entry inflates to more than its budget: `ratio` times its
    /// compressed size (at least `floor` bytes), at most `most` bytes.
    Decompressed {
        compressed: u64,
        ratio: u64,
        floor: u64,
        most: u64,
    },
    /// More bytes without a fiche closing (or, between fiches, without an
    /// element ending) than a fiche may hold.
    Fiche { bytes: u64 },
    /// A field's text longer than a field may be.
    Text { bytes: usize },
    /// Elements nested deeper than the reader follows.
    Depth { depth: usize },
}

impl Limit {
    /// The budget passed, in the diagnostics' words.
    pub fn text(&self) -> Text {
        match self {
            Limit::Decompressed {
                compressed,
                ratio,
                floor,
                most,
            } => text!(
                "the zip entry inflates to more than {ratio} times its {compressed} bytes (at least {floor} MiB, at most {most} MiB are read): a zip bomb, not an export",
                ratio = *ratio,
                compressed = *compressed,
                floor = floor >> 20,
                most = most >> 20
            ),
            Limit::Fiche { bytes } => text!(
                "more than {max} MiB without a fiche closing: no fiche is that large",
                max = bytes >> 20
            ),
            Limit::Text { bytes } => text!(
                "a field's text is longer than {max} MiB: no field of a fiche is that long",
                max = bytes >> 20
            ),
            Limit::Depth { depth } => text!(
                "elements are nested more than {depth} deep: no export is",
                depth = *depth
            ),
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().english())
    }
}

/// What is wrong at a place of an RNCP export.
#[derive(Debug)]
#[non_exhaustive]
pub enum RncpProblem {
    /// The XML itself: mismatched or unclosed tags, a bad entity…
    MalformedXml(quick_xml::Error),
    /// Text that is not UTF-8.
    NotUtf8(quick_xml::encoding::EncodingError),
    /// The export declares another encoding than UTF-8.
    Encoding { declared: String },
    /// The root element is not `<FICHES>`.
    NotFiches { root: String },
    /// The document has no `<FICHES>` element at all.
    NoFiches,
    /// A `<FICHE>` before any `<VERSION_FLUX>`.
    NoVersion,
    /// `<VERSION_FLUX>` is not the version this reader knows.
    Version { found: String },
    /// The file ends inside `<open>`.
    Truncated { open: String },
    /// A budget of the reader is exceeded: the input is not read further.
    OverLimit(Limit),
    /// A fiche without `NUMERO_FICHE`.
    NoNumber,
    /// A fiche without `BLOC_COMPETENCES` nor `CAPACITES_ATTESTEES`.
    NoBlocs { fiche: String },
    /// A bloc without `CODE`.
    BlocWithoutCode,
    /// Two blocs of the fiche have one code.
    BlocCodeTwice { code: String, first_line: usize },
    /// A competency code given twice in one bloc.
    CompetencyCodeTwice { bloc: String, code: String },
    /// A bloc that lists no competency (and is no equivalence).
    NoCompetency { bloc: String },
}

impl RncpProblem {
    /// The problem, in the diagnostics' words.
    pub fn text(&self) -> Text {
        use crate::rncp::VERSION;
        match self {
            RncpProblem::MalformedXml(e) => text!("malformed XML: {reason}", reason = e),
            RncpProblem::NotUtf8(e) => text!("text is not UTF-8: {reason}", reason = e),
            RncpProblem::Encoding { declared } => text!(
                "the export is declared in {declared}; only UTF-8 exports are read: convert it first (iconv -f {declared} -t UTF-8)",
                declared = declared
            ),
            RncpProblem::NotFiches { root } => text!(
                "not an RNCP export: the root element is <{root}>, not <FICHES>",
                root = root
            ),
            RncpProblem::NoFiches => text!("not an RNCP export: no <FICHES> element"),
            RncpProblem::NoVersion => text!(
                "no <VERSION_FLUX> before the first <FICHE>: version {version} expected",
                version = VERSION
            ),
            RncpProblem::Version { found } => text!(
                "export version {found} is not supported: this reader knows version {version} (FICHES/VERSION_FLUX)",
                found = &format!("{found:?}"),
                version = VERSION
            ),
            RncpProblem::Truncated { open } => text!(
                "the file ends before <{open}> is closed: the export is truncated",
                open = open
            ),
            RncpProblem::OverLimit(limit) => limit.text(),
            RncpProblem::NoNumber => text!("the fiche has no NUMERO_FICHE"),
            RncpProblem::NoBlocs { fiche } => {
                text!(
                "fiche `{fiche}` has neither BLOC_COMPETENCES nor CAPACITES_ATTESTEES",
                fiche = fiche
            )
            }
            RncpProblem::BlocWithoutCode => text!("this BLOC_COMPETENCES has no CODE"),
            RncpProblem::BlocCodeTwice { code, first_line } => text!(
                "bloc code `{code}` is used twice (first at line {first})",
                code = code,
                first = first_line
            ),
            RncpProblem::CompetencyCodeTwice { bloc, code } => text!(
                "bloc `{bloc}`: competency code `{code}` appears twice in LISTE_COMPETENCES",
                bloc = bloc,
                code = code
            ),
            RncpProblem::NoCompetency { bloc } => text!(
                "bloc `{bloc}` lists no competency (LISTE_COMPETENCES is empty)",
                bloc = bloc
            ),
        }
    }
}

impl fmt::Display for RncpProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().english())
    }
}

impl std::error::Error for RncpProblem {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RncpProblem::MalformedXml(e) => Some(e),
            RncpProblem::NotUtf8(e) => Some(e),
            _ => None,
        }
    }
}

/// What is wrong in a CASE package; `path` is a JSON path
/// (`CFItems[12].extensions.acquis.rule`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CaseProblem {
    /// No `CFDocument` object.
    NotAPackage,
    /// `CFDocument.caseVersion` is missing (None) or not `"1.1"`.
    CaseVersion { found: Value },
    /// `extensions.acquis.version` is missing (None) or not the one read.
    ExtensionVersion { found: Option<Value> },
    /// A field that must be there is not.
    Missing { path: String },
    /// A field of the wrong type (`found` when the message shows it).
    WrongType {
        path: String,
        expected: Expected,
        found: Option<Value>,
    },
    /// Two items with one identifier.
    SameIdentifier {
        first: usize,
        second: usize,
        identifier: String,
    },
    /// Two blocks or competencies with one code.
    SameCode {
        first: usize,
        second: usize,
        code: String,
    },
    /// An `isChildOf` association without origin or destination identifier.
    AssociationWithoutEnds { index: usize },
    /// An `isChildOf` association from an item to itself.
    OwnParent { index: usize, identifier: String },
    /// `isChildOf` associations that loop: each item the child of the
    /// next, the first again at the end.
    Cycle { items: Vec<ItemRef> },
    /// A rule of `extensions.acquis` that is not one rule expression.
    NotOneRule {
        path: String,
        why: RuleDefect,
        text: String,
    },
    /// An id written as source that is not an identifier.
    NotAnIdentifier { path: String, text: String },
    /// A pass that is neither a level nor a number.
    NotALevelOrNumber { path: String, text: String },
    /// An accommodation value that is not a number, fraction or duration.
    NotAnAccommodationValue { path: String, text: String },
    /// Nothing to make blocks of.
    NoBlocks,
    /// The package passed every check but could not be read as one (a bug).
    Unreadable { reason: String },
}

/// The type a field of a CASE package must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    String,
    Number,
    List,
    ListOfScales,
}

impl Expected {
    pub fn text(self) -> Text {
        match self {
            Expected::String => text!("a string"),
            Expected::Number => text!("a number"),
            Expected::List => text!("a list"),
            Expected::ListOfScales => text!("a list of scales"),
        }
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().english())
    }
}

/// Why a text is not one rule expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleDefect {
    /// A line break or another control character.
    ControlCharacter,
    /// `//`: the rest would be a comment.
    Comment,
    /// The parser's message.
    Syntax(Text),
    /// More than a rule (a rule, then other items).
    MoreThanARule,
}

impl RuleDefect {
    pub fn text(&self) -> Text {
        match self {
            RuleDefect::ControlCharacter => {
                text!("it holds a line break or a control character")
            }
            RuleDefect::Comment => text!("it holds a comment"),
            RuleDefect::Syntax(message) => message.clone(),
            RuleDefect::MoreThanARule => text!("it is more than a rule"),
        }
    }
}

impl fmt::Display for RuleDefect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().english())
    }
}

/// An item of a package as messages name it: `` `CFItems[3]` (C1.2 "Title") ``.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRef {
    pub index: usize,
    pub code: Option<String>,
    pub statement: String,
}

impl fmt::Display for ItemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (index, statement) = (self.index, &self.statement);
        match &self.code {
            Some(code) => write!(f, "`CFItems[{index}]` ({code} {statement:?})"),
            None => write!(f, "`CFItems[{index}]` ({statement:?})"),
        }
    }
}

impl CaseProblem {
    /// The problem, in the diagnostics' words.
    pub fn text(&self) -> Text {
        let quoted = |text: &str| format!("{text:?}");
        match self {
            CaseProblem::NotAPackage => {
                text!("`CFDocument` is missing: this is not a CASE CFPackage")
            }
            CaseProblem::CaseVersion { found } => text!(
                "`CFDocument.caseVersion` is {found}; CASE 1.1 and 1.0 packages are read",
                found = found
            ),
            CaseProblem::ExtensionVersion { found: Some(v) } => text!(
                "`extensions.acquis.version` is {found}; this acquis reads version {version}",
                found = v,
                version = crate::case::EXTENSION_VERSION
            ),
            CaseProblem::ExtensionVersion { found: None } => text!(
                "`extensions.acquis.version` is missing; this acquis reads version {version}",
                version = crate::case::EXTENSION_VERSION
            ),
            CaseProblem::Missing { path } => text!("`{path}` is missing", path = path),
            CaseProblem::WrongType {
                path,
                expected,
                found: Some(v),
            } => text!(
                "`{path}` must be {expected}, not {found}",
                path = path,
                expected = expected.text(),
                found = v
            ),
            CaseProblem::WrongType {
                path,
                expected,
                found: None,
            } => text!(
                "`{path}` must be {expected}",
                path = path,
                expected = expected.text()
            ),
            CaseProblem::SameIdentifier {
                first,
                second,
                identifier,
            } => text!(
                "`CFItems[{first}]` and `CFItems[{second}]` have the same identifier `{identifier}`",
                first = first,
                second = second,
                identifier = identifier
            ),
            CaseProblem::SameCode {
                first,
                second,
                code,
            } => text!(
                "`CFItems[{first}]` and `CFItems[{second}]` have the same code `{code}`",
                first = first,
                second = second,
                code = code
            ),
            CaseProblem::AssociationWithoutEnds { index } => text!(
                "`CFAssociations[{index}]` has no origin or destination identifier",
                index = index
            ),
            CaseProblem::OwnParent { index, identifier } => text!(
                "`CFAssociations[{index}]`: `{identifier}` is its own parent (isChildOf)",
                index = index,
                identifier = identifier
            ),
            CaseProblem::Cycle { items } => text!(
                "the isChildOf associations form a cycle (each item the child of the next): {items}",
                items = &items
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" → ")
            ),
            CaseProblem::NotOneRule { path, why, text } => text!(
                "`{path}` is not one rule expression ({why}): {text}",
                path = path,
                why = why.text(),
                text = &quoted(text)
            ),
            CaseProblem::NotAnIdentifier { path, text } => text!(
                "`{path}` is not an identifier: {text}",
                path = path,
                text = &quoted(text)
            ),
            CaseProblem::NotALevelOrNumber { path, text } => text!(
                "`{path}` is not a level or a number: {text}",
                path = path,
                text = &quoted(text)
            ),
            CaseProblem::NotAnAccommodationValue { path, text } => text!(
                "`{path}` is not a number, a fraction or a duration: {text}",
                path = path,
                text = &quoted(text)
            ),
            CaseProblem::NoBlocks => text!("the package has no CFItems to make blocks of"),
            CaseProblem::Unreadable { reason } => text!(
                "the package cannot be read (a bug): {reason}",
                reason = reason
            ),
        }
    }
}

impl fmt::Display for CaseProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().english())
    }
}

impl std::error::Error for CaseProblem {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Errors can cross threads and be boxed as `dyn Error + Send + Sync`.
    #[test]
    fn errors_are_send_and_sync() {
        fn check<T: std::error::Error + Send + Sync + 'static>() {}
        check::<InteropError>();
        check::<RncpProblem>();
        check::<CaseProblem>();
    }

    #[test]
    fn messages_name_json_paths_and_items() {
        let problem = CaseProblem::WrongType {
            path: "CFItems[0].fullStatement".into(),
            expected: Expected::String,
            found: Some(Value::from(5)),
        };
        assert_eq!(
            problem.to_string(),
            "`CFItems[0].fullStatement` must be a string, not 5"
        );
        let cycle = CaseProblem::Cycle {
            items: vec![
                ItemRef {
                    index: 0,
                    code: Some("1".into()),
                    statement: "Bloc 1".into(),
                },
                ItemRef {
                    index: 2,
                    code: None,
                    statement: "x".into(),
                },
            ],
        };
        assert_eq!(
            cycle.to_string(),
            "the isChildOf associations form a cycle (each item the child of the next): \
             `CFItems[0]` (1 \"Bloc 1\") → `CFItems[2]` (\"x\")"
        );
        let error = InteropError::Case {
            file: "p.json".into(),
            problem: CaseProblem::ExtensionVersion { found: None },
        };
        assert_eq!(error.code(), Code::CaseNotPackage);
        assert_eq!(
            error.to_string(),
            "p.json: error: `extensions.acquis.version` is missing; this acquis reads version 1"
        );
        let error = InteropError::FicheNotFound {
            file: "e.xml".into(),
            wanted: "RNCP2".into(),
            seen: 1,
            closest: Vec::new(),
        };
        assert_eq!(
            error.to_string(),
            "e.xml: error: fiche `RNCP2` is not in the export (1 fiche)"
        );
    }
}
