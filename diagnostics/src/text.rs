//! The words of diagnostics, in the language of the person reading them.
//!
//! Every message, label and help of a [`crate::Diagnostic`] is a [`Text`]:
//! an English template (`` "unknown {what} `{name}`" ``) and its arguments,
//! made with the [`text!`](crate::text!) macro where the problem is found.
//! It is rendered once, in a [`Lang`], when the diagnostic is written: in
//! English from the template itself, in French from the one message
//! catalogue (`catalogue/fr.rs`), whose key is the English template (as
//! gettext does, so the code reads as the message says). A test checks that
//! every template of the workspace has its French entry with the same
//! arguments; codes never change with the language.
//!
//! Templates are `format!` strings with named arguments only (`{{` and `}}`
//! for braces), and a few forms French needs for agreement:
//! - `{n:s}` is `s` when the count `n` asks for a plural (English: not 1;
//!   French: 2 or more), `{n:one|many}` chooses between two words;
//! - for a [`Noun`] `what`: `{what}` the noun, `{what:the}` with its definite
//!   article (« la compétence », « l'épreuve »), `{what:a}` with its
//!   indefinite one, `{what:e}` an `e` when the noun is feminine in French
//!   (« défini{what:e} »), `{what:this}` with a demonstrative (« cette
//!   compétence », « ce bloc »), `{what:pl}` its plural.
//!
//! French typography is the catalogue's: a space before `:`, `;`, `?` and
//! `!` of a French template becomes a no-break space (outside the
//! arguments, which are the user's text).

use std::fmt;

use serde::{Serialize, Serializer};

/// The language diagnostics are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    /// The language of a tag as locales and editors write it (`fr`,
    /// `fr-FR`, `fr_FR.UTF-8`, `en_US`): `None` for any other language.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of the environment's locale for messages, as POSIX
    /// orders the variables: the first set of `LC_ALL`, `LC_MESSAGES` and
    /// `LANG`; English when it names another language (or `C`, `POSIX`).
    pub fn from_environment() -> Lang {
        Lang::from_locale_variables(|name| std::env::var(name).ok())
    }

    /// [`Lang::from_environment`] over any source of variables (tests).
    pub fn from_locale_variables(var: impl Fn(&str) -> Option<String>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(|name| var(name).filter(|v| !v.is_empty()))
            .next()
            .and_then(|value| Lang::from_tag(&value))
            .unwrap_or_default()
    }

    /// The language tag (`en`, `fr`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }
}

/// French grammatical gender, for agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gender {
    Masculine,
    Feminine,
}

macro_rules! nouns {
    ($($variant:ident = $en:literal / $en_pl:literal, $fr:literal / $fr_pl:literal, $gender:ident;)*) => {
        /// The things diagnostics speak of, with what each language needs to
        /// agree with them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Noun {
            $($variant,)*
        }

        impl Noun {
            /// Every noun (tests of the catalogue).
            pub const ALL: &'static [Noun] = &[$(Noun::$variant,)*];

            fn english(self) -> (&'static str, &'static str) {
                match self {
                    $(Noun::$variant => ($en, $en_pl),)*
                }
            }

            fn french(self) -> (&'static str, &'static str, Gender) {
                match self {
                    $(Noun::$variant => ($fr, $fr_pl, Gender::$gender),)*
                }
            }
        }
    };
}

nouns! {
    Referential = "referential" / "referentials", "référentiel" / "référentiels", Masculine;
    Certification = "certification" / "certifications", "certification" / "certifications", Feminine;
    Block = "block" / "blocks", "bloc" / "blocs", Masculine;
    Competency = "competency" / "competencies", "compétence" / "compétences", Feminine;
    Criterion = "criterion" / "criteria", "critère" / "critères", Masculine;
    Indicator = "indicator" / "indicators", "indicateur" / "indicateurs", Masculine;
    Assessment = "assessment" / "assessments", "épreuve" / "épreuves", Feminine;
    Part = "part" / "parts", "partie" / "parties", Feminine;
    Scale = "scale" / "scales", "échelle" / "échelles", Feminine;
    Level = "level" / "levels", "niveau" / "niveaux", Masculine;
    NamedRule = "named rule" / "named rules", "règle nommée" / "règles nommées", Feminine;
    Rule = "rule" / "rules", "règle" / "règles", Feminine;
    Example = "example" / "examples", "exemple" / "exemples", Masculine;
    Equivalence = "equivalence" / "equivalences", "équivalence" / "équivalences", Feminine;
    Dispensation = "dispensation" / "dispensations", "dispense" / "dispenses", Feminine;
    Activity = "activity" / "activities", "activité" / "activités", Feminine;
    Candidate = "candidate" / "candidates", "candidat" / "candidats", Masculine;
    Grade = "grade" / "grades", "note" / "notes", Feminine;
    Mark = "mark" / "marks", "note" / "notes", Feminine;
    Value = "value" / "values", "valeur" / "valeurs", Feminine;
    File = "file" / "files", "fichier" / "fichiers", Masculine;
    Item = "item" / "items", "élément" / "éléments", Masculine;
    Module = "module" / "modules", "module" / "modules", Masculine;
    Fiche = "fiche" / "fiches", "fiche" / "fiches", Feminine;
    Outcome = "outcome" / "outcomes", "résultat" / "résultats", Masculine;
    Session = "session" / "sessions", "session" / "sessions", Feminine;
    Decision = "decision" / "decisions", "décision" / "décisions", Feminine;
    Pass = "pass mark" / "pass marks", "note de réussite" / "notes de réussite", Feminine;
    Weight = "weight" / "weights", "coefficient" / "coefficients", Masculine;
    Coefficient = "coefficient" / "coefficients", "coefficient" / "coefficients", Masculine;
    Duration = "duration" / "durations", "durée" / "durées", Feminine;
    Form = "form" / "forms", "forme" / "formes", Feminine;
    Bound = "bound" / "bounds", "borne" / "bornes", Feminine;
    Step = "step" / "steps", "pas" / "pas", Masculine;
    Absence = "absence rule" / "absence rules", "règle d'absence" / "règles d'absence", Feminine;
    Keep = "keep rule" / "keep rules", "règle de conservation" / "règles de conservation", Feminine;
    Jury = "jury rule" / "jury rules", "règle de jury" / "règles de jury", Feminine;
    Header = "header" / "headers", "en-tête" / "en-têtes", Masculine;
    Id = "id" / "ids", "identifiant" / "identifiants", Masculine;
    Entity = "entity" / "entities", "entité" / "entités", Feminine;
}

fn starts_with_vowel_sound(word: &str) -> bool {
    word.chars().next().is_some_and(|c| {
        matches!(
            c.to_lowercase().next().unwrap_or(c),
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'h' | 'é' | 'è' | 'ê' | 'à' | 'â' | 'î' | 'ô' | 'û'
        )
    })
}

/// A value given to a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Text shown as it is: an id, a path, a number, a piece of the user's
    /// input. It is never translated.
    Verbatim(String),
    /// A count, for plurals.
    Count(u64),
    /// A noun, for agreement.
    Noun(Noun),
    /// A text already made (a part of a message built elsewhere), shown in
    /// the language of the whole.
    Text(Box<Text>),
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Verbatim(value)
    }
}

/// Anything shown as it is (an id, a path, a number): verbatim. A [`Text`]
/// is not `Display` (its words depend on the language): pass it by value.
impl<T: fmt::Display + ?Sized> From<&T> for Arg {
    fn from(value: &T) -> Self {
        Arg::Verbatim(value.to_string())
    }
}

impl From<std::borrow::Cow<'_, str>> for Arg {
    fn from(value: std::borrow::Cow<'_, str>) -> Self {
        Arg::Verbatim(value.into_owned())
    }
}

macro_rules! counts {
    ($($t:ty),*) => {
        $(impl From<$t> for Arg {
            fn from(value: $t) -> Self {
                Arg::Count(u64::try_from(value).unwrap_or(u64::MAX))
            }
        })*
    };
}
counts!(usize, u64, u32, u16, u8, i64, i32);

impl From<Noun> for Arg {
    fn from(value: Noun) -> Self {
        Arg::Noun(value)
    }
}

impl From<Text> for Arg {
    fn from(value: Text) -> Self {
        Arg::Text(Box::new(value))
    }
}

/// Words for people: a template and its arguments, rendered in a [`Lang`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    template: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// A [`Text`]: `text!("unknown {what} `{name}`", what = Noun::Block, name = id)`.
/// The template is the English message and the key of the catalogue.
#[macro_export]
macro_rules! text {
    ($template:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::Text::new($template, vec![$((stringify!($name), $crate::text::Arg::from($value))),*])
    };
}

impl Text {
    /// A text from a template of the catalogue; use [`text!`](crate::text!).
    pub fn new(template: &'static str, args: Vec<(&'static str, Arg)>) -> Self {
        Text { template, args }
    }

    /// No text (a label with nothing to say).
    pub fn empty() -> Self {
        Text::default()
    }

    pub fn is_empty(&self) -> bool {
        self.template.is_empty()
    }

    /// The English template (the catalogue's key).
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// The text in `lang`. A template missing from the catalogue (which a
    /// test of the workspace rules out) is written in English.
    pub fn render(&self, lang: Lang) -> String {
        let template = match lang {
            Lang::En => std::borrow::Cow::Borrowed(self.template),
            Lang::Fr => match crate::catalogue::french(self.template) {
                Some(french) => std::borrow::Cow::Owned(french_typography(french)),
                None => std::borrow::Cow::Borrowed(self.template),
            },
        };
        let mut out = String::with_capacity(template.len() + 16);
        for piece in pieces(&template) {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Argument { name, form } => match self.arg(name) {
                    Some(arg) => out.push_str(&form_of(arg, form, lang)),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                },
            }
        }
        out
    }

    /// `a`, `a or b`, `a, b or c` (« a, b ou c »): the items of a choice.
    pub fn list_or(items: Vec<Text>) -> Text {
        Text::list(items, |init, last| {
            crate::text!("{init} or {last}", init = init, last = last)
        })
    }

    /// `a`, `a and b`, `a, b and c` (« a, b et c »).
    pub fn list_and(items: Vec<Text>) -> Text {
        Text::list(items, |init, last| {
            crate::text!("{init} and {last}", init = init, last = last)
        })
    }

    fn list(mut items: Vec<Text>, last_two: impl Fn(Text, Text) -> Text) -> Text {
        let Some(last) = items.pop() else {
            return Text::empty();
        };
        let mut init = items.into_iter();
        let Some(first) = init.next() else {
            return last;
        };
        let joined = init.fold(first, |acc, item| {
            crate::text!("{a}, {b}", a = acc, b = item)
        });
        last_two(joined, last)
    }

    /// The English text.
    pub fn english(&self) -> String {
        self.render(Lang::En)
    }

    fn arg(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
    }
}

/// Serialised as its English text (the IR and tools' snapshots).
impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.english())
    }
}

/// A piece of a template: literal text or an argument with its form.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece<'t> {
    Literal(&'t str),
    Argument {
        name: &'t str,
        form: Option<&'t str>,
    },
}

/// The pieces of a template (`{{`/`}}` are literal braces).
pub fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        match rest.find(['{', '}']) {
            None => {
                out.push(Piece::Literal(rest));
                break;
            }
            Some(at) => {
                if at > 0 {
                    out.push(Piece::Literal(&rest[..at]));
                }
                let tail = &rest[at..];
                if let Some(after) = tail.strip_prefix("{{") {
                    out.push(Piece::Literal("{"));
                    rest = after;
                } else if let Some(after) = tail.strip_prefix("}}") {
                    out.push(Piece::Literal("}"));
                    rest = after;
                } else if tail.starts_with('{') {
                    match tail.find('}') {
                        Some(end) => {
                            let inner = &tail[1..end];
                            let (name, form) = match inner.split_once(':') {
                                Some((name, form)) => (name, Some(form)),
                                None => (inner, None),
                            };
                            out.push(Piece::Argument { name, form });
                            rest = &tail[end + 1..];
                        }
                        None => {
                            out.push(Piece::Literal(tail));
                            break;
                        }
                    }
                } else {
                    out.push(Piece::Literal("}"));
                    rest = &tail[1..];
                }
            }
        }
    }
    out
}

fn plural(lang: Lang, n: u64) -> bool {
    match lang {
        Lang::En => n != 1,
        Lang::Fr => n >= 2,
    }
}

fn form_of(arg: &Arg, form: Option<&str>, lang: Lang) -> String {
    match (arg, form) {
        (Arg::Verbatim(text), _) => text.clone(),
        (Arg::Text(text), _) => text.render(lang),
        (Arg::Count(n), None) => n.to_string(),
        (Arg::Count(n), Some("s")) => if plural(lang, *n) { "s" } else { "" }.to_string(),
        (Arg::Count(n), Some(choice)) => {
            let (one, many) = choice.split_once('|').unwrap_or((choice, choice));
            if plural(lang, *n) { many } else { one }.to_string()
        }
        (Arg::Noun(noun), form) => noun_form(*noun, form, lang),
    }
}

fn noun_form(noun: Noun, form: Option<&str>, lang: Lang) -> String {
    match lang {
        Lang::En => {
            let (one, many) = noun.english();
            match form {
                Some("the") => format!("the {one}"),
                Some("a") if starts_with_vowel_sound(one) && !one.starts_with('h') => {
                    format!("an {one}")
                }
                Some("a") => format!("a {one}"),
                Some("pl") => many.to_string(),
                Some("e") => String::new(),
                Some("this") => format!("this {one}"),
                _ => one.to_string(),
            }
        }
        Lang::Fr => {
            let (one, many, gender) = noun.french();
            let feminine = gender == Gender::Feminine;
            match form {
                Some("the") if starts_with_vowel_sound(one) => format!("l’{one}"),
                Some("the") if feminine => format!("la {one}"),
                Some("the") => format!("le {one}"),
                Some("a") if feminine => format!("une {one}"),
                Some("a") => format!("un {one}"),
                Some("pl") => many.to_string(),
                Some("e") => if feminine { "e" } else { "" }.to_string(),
                Some("this") if feminine => format!("cette {one}"),
                Some("this") if starts_with_vowel_sound(one) => format!("cet {one}"),
                Some("this") => format!("ce {one}"),
                _ => one.to_string(),
            }
        }
    }
}

/// A French template with no-break spaces before `:`, `;`, `?` and `!`,
/// and `'` written as the typographic apostrophe, outside its arguments
/// and outside `` `code` ``, which is the user's text.
fn french_typography(template: &str) -> String {
    let mut out = String::with_capacity(template.len() + 8);
    let mut in_argument = false;
    let mut in_code = false;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                out.push_str("{{");
                chars.next();
                continue;
            }
            '{' if !in_code => in_argument = true,
            '}' if in_argument => in_argument = false,
            '`' if !in_argument => in_code = !in_code,
            ' ' if !in_argument
                && !in_code
                && matches!(chars.peek(), Some(':' | ';' | '?' | '!')) =>
            {
                out.push('\u{a0}');
                continue;
            }
            '\'' if !in_argument && !in_code => {
                out.push('’');
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// The argument names of a template (tests of the catalogue).
pub fn argument_names(template: &str) -> Vec<&str> {
    let mut names: Vec<&str> = pieces(template)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Argument { name, .. } => Some(name),
            Piece::Literal(_) => None,
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Why a file could not be read or written, in words of the catalogue for
/// the common causes (the system's own words otherwise).
pub fn io_reason(e: &std::io::Error) -> Text {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => crate::text!("no such file or directory"),
        ErrorKind::PermissionDenied => crate::text!("permission denied"),
        ErrorKind::IsADirectory => crate::text!("it is a directory"),
        ErrorKind::NotADirectory => crate::text!("a part of the path is not a directory"),
        ErrorKind::AlreadyExists => crate::text!("it already exists"),
        ErrorKind::StorageFull => crate::text!("no space left on the device"),
        ErrorKind::ReadOnlyFilesystem => crate::text!("the file system is read-only"),
        ErrorKind::BrokenPipe => crate::text!("the reader closed the pipe"),
        _ => crate::text!("{reason}", reason = e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_choose_the_language() {
        assert_eq!(Lang::from_tag("fr_FR.UTF-8"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("fr-CA"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("en_GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("de_DE"), None);
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            Lang::from_locale_variables(env(&[("LANG", "fr_FR.UTF-8")])),
            Lang::Fr
        );
        // LC_ALL wins over LANG; an empty variable counts as unset.
        assert_eq!(
            Lang::from_locale_variables(env(&[("LC_ALL", "C"), ("LANG", "fr_FR.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            Lang::from_locale_variables(env(&[("LC_ALL", ""), ("LC_MESSAGES", "fr_BE")])),
            Lang::Fr
        );
        assert_eq!(Lang::from_locale_variables(env(&[])), Lang::En);
    }

    #[test]
    fn nouns_agree() {
        let t = crate::text!(
            "{what:the} `{id}` is defined twice",
            what = Noun::Competency,
            id = "C1"
        );
        assert_eq!(t.english(), "the competency `C1` is defined twice");
        let a = crate::text!("{what:a}", what = Noun::Assessment);
        assert_eq!(a.english(), "an assessment");
        assert_eq!(
            noun_form(Noun::Assessment, Some("the"), Lang::Fr),
            "l’épreuve"
        );
        assert_eq!(noun_form(Noun::Block, Some("the"), Lang::Fr), "le bloc");
        assert_eq!(
            noun_form(Noun::Competency, Some("a"), Lang::Fr),
            "une compétence"
        );
        assert_eq!(noun_form(Noun::Competency, Some("e"), Lang::Fr), "e");
        assert_eq!(noun_form(Noun::Criterion, Some("pl"), Lang::En), "criteria");
    }

    #[test]
    fn counts_choose_plurals_by_language() {
        let t = crate::text!("{n} error{n:s}", n = 0usize);
        assert_eq!(t.english(), "0 errors");
        assert_eq!(form_of(&Arg::Count(0), Some("s"), Lang::Fr), "");
        assert_eq!(form_of(&Arg::Count(2), Some("s"), Lang::Fr), "s");
        assert_eq!(
            form_of(&Arg::Count(1), Some("critère|critères"), Lang::Fr),
            "critère"
        );
    }

    #[test]
    fn braces_and_typography() {
        let t = crate::text!("unclosed `{{` in {file}", file = "a : b");
        assert_eq!(t.english(), "unclosed `{` in a : b");
        assert_eq!(
            french_typography("voulez-vous dire `{close}` ? `a : b` l'id : {x}"),
            "voulez-vous dire `{close}`\u{a0}? `a : b` l’id\u{a0}: {x}"
        );
        assert_eq!(argument_names("{b} {a:the} {b:s}"), vec!["a", "b"]);
    }
}
