//! `acquis new NAME`: a small working project to start from — a
//! referential that checks clean and holds its examples, a grades file and
//! a README saying what to do next, in French (`--lang fr`, the default)
//! or English.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use acquis_diagnostics::{text, Code, Diagnostic, Position, Text};

use crate::common::{io_reason, report_one, DiagnosticOptions, LangChoice};
use crate::output;

#[derive(clap::Args)]
pub struct Args {
    /// The project's directory, created (it must not exist, or be empty)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The referential's title (default: the directory's name)
    #[arg(long)]
    pub title: Option<String>,
}

const REFERENTIAL_FR: &str = include_str!("new/referential.fr.acquis");
const REFERENTIAL_EN: &str = include_str!("new/referential.en.acquis");
const README_FR: &str = include_str!("new/README.fr.md");
const README_EN: &str = include_str!("new/README.en.md");
const GRADES: &str = include_str!("new/grades.csv");

/// Creates the project; its language (referential, explanations, README)
/// is `--lang`, French by default.
pub fn run(args: &Args, options: &DiagnosticOptions) -> ExitCode {
    let lang = options.lang.unwrap_or(LangChoice::Fr);
    match create(args, lang) {
        Ok(written) => {
            for path in written {
                println!("{}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(d) => {
            report_one(&d, options.format(), options.lang());
            ExitCode::FAILURE
        }
    }
}

/// The referential's id from the directory's name: letters, digits and
/// `_`, starting with a letter (`mon-titre` → `MON_TITRE`).
fn identifier(name: &str) -> String {
    let mut id: String = name
        .chars()
        .flat_map(|c| {
            if c.is_alphanumeric() {
                c.to_uppercase().collect::<Vec<char>>()
            } else {
                vec!['_']
            }
        })
        .collect();
    if !id.chars().next().is_some_and(char::is_alphabetic) {
        id.insert(0, 'R');
    }
    id
}

fn fail(path: &Path, message: Text) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::at(
            Code::ResultsUnwritable,
            message,
            Position::file(path.display().to_string()),
        )
        .with_help(text!(
            "choose a new directory name: `acquis new` never writes over files"
        )),
    )
}

fn create(args: &Args, lang: LangChoice) -> Result<Vec<PathBuf>, Box<Diagnostic>> {
    let dir = &args.dir;
    if dir.exists() {
        let empty = dir.is_dir()
            && std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none());
        if !empty {
            return Err(fail(
                dir,
                text!(
                    "the project cannot be created here: it exists and is not an empty directory"
                ),
            ));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        fail(
            dir,
            text!(
                "the directory cannot be created: {reason}",
                reason = io_reason(&e)
            ),
        )
    })?;
    let name = dir.file_name().map_or_else(
        || "referentiel".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let title = args.title.clone().unwrap_or_else(|| name.clone());
    // Titles are strings of the language: no quote or line break in them.
    let title = title.replace(['"', '\\'], "'").replace(['\n', '\r'], " ");
    let shown = dir.display().to_string();
    let fill = |template: &str| {
        template
            .replace("{{ID}}", &identifier(&name))
            .replace("{{TITLE}}", &title)
            .replace("{{DIR}}", &shown)
    };
    let (referential, readme) = match lang {
        LangChoice::Fr => (REFERENTIAL_FR, README_FR),
        LangChoice::En => (REFERENTIAL_EN, README_EN),
    };
    let files = [
        (dir.join("referential.acquis"), fill(referential)),
        (dir.join("grades.csv"), GRADES.to_string()),
        (dir.join("README.md"), fill(readme)),
    ];
    let mut written = Vec::new();
    for (path, text) in files {
        output::write(&path, text.as_bytes())
            .map_err(|e| Box::new(e.to_diagnostic(Code::ResultsUnwritable)))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::identifier;

    #[test]
    fn ids_from_directory_names() {
        assert_eq!(identifier("demo"), "DEMO");
        assert_eq!(identifier("mon-titre pro"), "MON_TITRE_PRO");
        assert_eq!(identifier("2027"), "R2027");
        assert_eq!(identifier("éducateur"), "ÉDUCATEUR");
    }
}
