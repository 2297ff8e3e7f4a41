//! The one message catalogue: the French of every template of the
//! toolchain's diagnostics, keyed by the English template (see
//! [`crate::text`]). Write French as a person would say it, with the same
//! arguments as the English (their forms may differ: `{what:the}`,
//! `{n:s}`, `{what:e}`); plain spaces before `:`, `;`, `?`, `!` (they
//! become no-break spaces when rendered) and plain apostrophes (they
//! become typographic ones outside `` `code` ``).
//!
//! A test (`diagnostics/tests/catalogue.rs`) reads every `text!` of the
//! workspace's sources and checks its entry here.

/// The French of an English template.
pub fn french(english: &str) -> Option<&'static str> {
    Some(match english {
        // The renderers' own words (diagnostics/src/render.rs).
        "error" => "erreur",
        "warning" => "avertissement",
        "Error" => "Erreur",
        "Warning" => "Avertissement",
        "help: {help}" => "aide : {help}",
        "Help: {help}" => "Aide : {help}",
        "Also {place}" => "Également {place}",
        "Marked {place}" => "Signalé {place}",
        "Line {line} reads: {text}" => "Texte de la ligne {line} : {text}",
        "at line {line}" => "à la ligne {line}",
        "at line {line}, column {column}" => "à la ligne {line}, colonne {column}",
        "at line {line}, columns {start} to {last}" => "à la ligne {line}, colonnes {start} à {last}",
        "from line {line}, column {start} to line {end_line}, before column {end}" =>
            "de la ligne {line}, colonne {start}, à la ligne {end_line}, avant la colonne {end}",
        "in {path}" => "dans {path}",
        "in {path} {at}" => "dans {path} {at}",
        "in {path} at line {line}, column {column}" => "dans {path} à la ligne {line}, colonne {column}",
        "no errors and no warnings" => "aucune erreur et aucun avertissement",
        "{e} error{e:s}" => "{e} erreur{e:s}",
        "{w} warning{w:s}" => "{w} avertissement{w:s}",
        "{e} error{e:s} and {w} warning{w:s}" => "{e} erreur{e:s} et {w} avertissement{w:s}",
        // Lists (diagnostics/src/text.rs).
        "{init} or {last}" => "{init} ou {last}",
        "{init} and {last}" => "{init} et {last}",
        "{a}, {b}" => "{a}, {b}",

        // grammar: syntax errors (grammar/src/parser).
        "`{keyword}`" => "`{keyword}`",
        "`{found}`" => "`{found}`",
        "`{{`" => "`{{`",
        "`competency` or `block`" => "`competency` ou `block`",
        "a grade (`ID level`)" => "une note (`ID niveau`)",
        "an expectation (`ID outcome`)" => "un résultat attendu (`ID résultat`)",
        "an identifier" => "un identifiant",
        "an id" => "un id",
        "a string" => "une chaîne entre guillemets",
        "a number or a level" => "un nombre ou un niveau",
        "a fraction such as `1/3`" => "une fraction comme `1/3`",
        "a doc comment" => "un commentaire de documentation",
        "the end of the file" => "la fin du fichier",
        "a rule" => "une règle",
        "`acquired`, `validated` or a comparison" => "`acquired`, `validated` ou une comparaison",
        "a comparison (`>=`, `>`, `<=`, `<`, `=`, `!=`)" => "une comparaison (`>=`, `>`, `<=`, `<`, `=`, `!=`)",
        "a set (`criteria`, `competencies`, `blocks` or `{{...}}`)" =>
            "un ensemble (`criteria`, `competencies`, `blocks` ou `{{...}}`)",
        "a number or an aggregate" => "un nombre ou un agrégat",
        "a number of decimals (0 to 6)" => "un nombre de décimales (de 0 à 6)",
        "a unit (`h`, `min`, `d`)" => "une unité (`h`, `min`, `d`)",
        "a duration such as `45 min`" => "une durée comme `45 min`",
        "a path such as `std::scales::acquisition`" => "un chemin comme `std::scales::acquisition`",
        "scale `{id}`" => "l'échelle `{id}`",
        "assessment `{id}`" => "l'épreuve `{id}`",
        "`defaults`" => "`defaults`",
        "{owner} already says what absence counts as; keep one `absent counts as`" =>
            "{owner} dit déjà ce que vaut une absence ; gardez un seul `absent counts as`",
        "scale `{id}` has both `levels` and `range`, or one twice" =>
            "l'échelle `{id}` a à la fois `levels` et `range`, ou l'un des deux deux fois",
        "block `{id}` has two summaries" => "le bloc `{id}` a deux résumés",
        "`{owner}` already has a `validated when` rule; join them with `and`" =>
            "`{owner}` a déjà une règle `validated when` ; réunissez-les avec `and`",
        "a fraction cannot have a zero denominator" => "une fraction ne peut pas avoir un dénominateur nul",
        "this `{{` is never closed: a `}}` is missing after what it opens" =>
            "cette `{{` n'est jamais fermée : il manque une `}}` après ce qu'elle ouvre",
        "this is nested too deeply: more than {max} parentheses or braces open at once" =>
            "imbrication trop profonde : plus de {max} parenthèses ou accolades ouvertes à la fois",
        "`{number}` has more than {max} significant digits: a number of a referential is kept exactly, up to {max} digits" =>
            "`{number}` a plus de {max} chiffres significatifs : un nombre d'un référentiel est gardé exactement, jusqu'à {max} chiffres",
        "`{number}` is not a usable number" => "`{number}` n'est pas un nombre utilisable",
        "`{count}` is too large a count" => "`{count}` est un nombre trop grand",
        "unexpected {found}" => "élément inattendu : {found}",
        "expected {expected}, found {found}" => "on attend {expected}, on trouve {found}",
        "internal error: this part of the file could not be parsed" =>
            "erreur interne : cette partie du fichier n'a pas pu être analysée",
        "this cannot be read here" => "ceci ne peut pas être lu ici",
        "{message}, at {found}" => "{message}, à {found}",
        "this rule is nested too deeply: more than {max} levels, counting each operator of a chain such as `a + b + c` or `not not x` as one" =>
            "cette règle est imbriquée trop profondément : plus de {max} niveaux, en comptant chaque opérateur d'une chaîne comme `a + b + c` ou `not not x` pour un niveau",
        "unknown escape `\\{escape}`; write `\\\\` for a backslash" =>
            "séquence d'échappement inconnue `\\{escape}` ; écrivez `\\\\` pour une barre oblique inverse",
        // end of grammar

        // compiler: the referential's checks (compiler/src).
        // end of compiler

        // eval: grade files, histories and runs (eval/src).
        // end of eval

        // interop: imports and exports (interop/src).
        // end of interop

        // language server (lsp/src).
        // end of lsp

        // command line (src).
        "unknown assessment `{id}` (did you mean `{close}`?)" =>
            "l'épreuve `{id}` n'existe pas (vouliez-vous dire `{close}` ?)",
        "unknown assessment `{id}`" => "l'épreuve `{id}` n'existe pas",
        "assessment `{id}` evaluates no criterion and has no part: its grid would be empty" =>
            "l'épreuve `{id}` n'évalue aucun critère et n'a pas de partie : sa grille serait vide",
        "the workbook cannot be made: {reason}" => "le classeur ne peut pas être créé : {reason}",
        "checked {n} file{n:s}: {summary}" => "{n} fichier{n:s} vérifié{n:s} : {summary}",
        "warning:" => "avertissement :",
        "error:" => "erreur :",
        "cannot read the directory `{path}`: {reason}" => "impossible de lire le dossier `{path}` : {reason}",
        "no `.acquis` file of `{path}` holds a `referential` header: give the main file, or the directory that holds it" =>
            "aucun fichier `.acquis` de `{path}` n'a d'en-tête `referential` : donnez le fichier principal, ou le dossier qui le contient",
        "several `.acquis` files of `{path}` hold a `referential` header ({files}): give the main file" =>
            "plusieurs fichiers `.acquis` de `{path}` ont un en-tête `referential` ({files}) : donnez le fichier principal",
        "permission denied" => "permission refusée",
        "a part of the path is not a directory" => "une partie du chemin n'est pas un dossier",
        "it already exists" => "il existe déjà",
        "no space left on the device" => "plus de place sur le disque",
        "the file system is read-only" => "le système de fichiers est en lecture seule",
        "the reader closed the pipe" => "le programme qui lit a fermé le tube",
        "`--format` here names the diagnostics' format, now `--diagnostics` on every verb (`--format` is the output's format): give `--diagnostics`" =>
            "`--format` désigne ici le format des diagnostics, désormais `--diagnostics` pour toutes les commandes (`--format` est le format de la sortie) : donnez `--diagnostics`",
        "acquis doc writes HTML (.html), Markdown (.md) or PDF (.pdf), not .{ext}: name the file .html, .md or .pdf, or give --format html|md|pdf" =>
            "acquis doc écrit du HTML (.html), du Markdown (.md) ou du PDF (.pdf), pas du .{ext} : nommez le fichier .html, .md ou .pdf, ou donnez --format html|md|pdf",
        "a PDF is not for a terminal: give -o FILE.pdf, or redirect standard output" =>
            "un PDF ne s'affiche pas dans un terminal : donnez -o FICHIER.pdf, ou redirigez la sortie standard",
        "the PDF cannot be made: {reason}" => "le PDF ne peut pas être créé : {reason}",
        "cannot read standard input: {reason}" => "impossible de lire l'entrée standard : {reason}",
        "standard input holds more than the {max} MiB a referential's file may have" =>
            "l'entrée standard dépasse les {max} Mio permis pour un fichier de référentiel",
        "no such file or directory" => "aucun fichier ou dossier de ce nom",
        "it is a directory" => "c'est un dossier",
        "not a regular file (a device, a pipe or a socket)" =>
            "ce n'est pas un fichier ordinaire (un périphérique, un tube ou une socket)",
        "not UTF-8 text (line {line}, column {column})" => "ce n'est pas du texte UTF-8 (ligne {line}, colonne {column})",
        "{size} MiB, more than the {max} MiB a referential's file may have" =>
            "{size} Mio, plus que les {max} Mio permis pour un fichier de référentiel",
        "{reason}" => "{reason}",
        "{name}: not formatted: {summary}" => "{name} : non formaté : {summary}",
        "cannot read the file: {reason}" => "impossible de lire le fichier : {reason}",
        "`-` (or --stdin) cannot be mixed with file names" => "`-` (ou --stdin) ne peut pas être mêlé à des noms de fichiers",
        "{n} file{n:s} checked, {changed} would be reformatted" =>
            "{n} fichier{n:s} vérifié{n:s}, {changed} à reformater",
        "{n} file{n:s} checked, {changed} reformatted" =>
            "{n} fichier{n:s} vérifié{n:s}, {changed} reformaté{changed:s}",
        "a grid is written as `.xlsx` or `.csv`: name the output with one of these extensions" =>
            "une grille s'écrit en `.xlsx` ou en `.csv` : donnez à la sortie l'une de ces extensions",
        "give --fiche NUMBER -o DIR, or --list" => "donnez --fiche NUMÉRO -o DOSSIER, ou --list",
        "wrote {path}" => "{path} écrit",
        "cannot create the directory: {reason}" => "impossible de créer le dossier : {reason}",
        "the referential was written but does not check ({errors} error{errors:s} above): correct it before using it" =>
            "le référentiel a été écrit mais ne passe pas la vérification ({errors} erreur{errors:s} ci-dessus) : corrigez-le avant de l'utiliser",
        "the importer should never write what `acquis check` rejects: report the input that gave it" =>
            "l'import ne devrait jamais écrire ce que `acquis check` refuse : signalez l'entrée qui l'a produit",
        "choose a new directory name: `acquis new` never writes over files" =>
            "choisissez un nouveau nom de dossier : `acquis new` n'écrit jamais par-dessus des fichiers",
        "the project cannot be created here: it exists and is not an empty directory" =>
            "le projet ne peut pas être créé ici : ce chemin existe et n'est pas un dossier vide",
        "the directory cannot be created: {reason}" => "le dossier ne peut pas être créé : {reason}",
        "cannot write the file: {reason}" => "impossible d'écrire le fichier : {reason}",
        "cannot write to standard output: {reason}" => "impossible d'écrire sur la sortie standard : {reason}",
        // end of command line
        _ => return None,
    })
}

