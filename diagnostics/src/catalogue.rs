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
        "the line is not drawn: it is longer than {n} bytes" =>
            "la ligne n'est pas reproduite : elle dépasse {n} octets",
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
        "every id must be unique in the referential; rename one of them" =>
            "chaque identifiant doit être unique dans le référentiel ; renommez l'un des deux",
        "the referential header is written twice" => "l'en-tête du référentiel est écrit deux fois",
        "first header here" => "premier en-tête ici",
        "keep one `referential` item, in the main file" =>
            "gardez un seul élément `referential`, dans le fichier principal",
        "the certification rule is written twice" => "la règle de certification est écrite deux fois",
        "first rule here" => "première règle ici",
        "join the conditions with `and` in one `certification validated when ...`" =>
            "réunissez les conditions avec `and` dans un seul `certification validated when ...`",
        "scale `{id}` has neither `levels` nor `range`" =>
            "l'échelle `{id}` n'a ni `levels` ni `range`",
        "write `levels low < middle < high` or `range 0 .. 20 step 0.5`" =>
            "écrivez `levels bas < moyen < haut` ou `range 0 .. 20 step 0.5`",
        "level `{level}` appears twice in scale `{id}`" =>
            "le niveau `{level}` apparaît deux fois dans l'échelle `{id}`",
        "each level of a scale must be distinct" => "chaque niveau d'une échelle doit être distinct",
        "scale `{id}` needs at least two levels" =>
            "l'échelle `{id}` doit avoir au moins deux niveaux",
        "a scale orders levels from lowest to highest: `levels non_acquis < acquis`" =>
            "une échelle ordonne ses niveaux du plus bas au plus haut : `levels non_acquis < acquis`",
        "scale `{id}` has its minimum {min} not below its maximum {max}" =>
            "le minimum {min} de l'échelle `{id}` n'est pas inférieur à son maximum {max}",
        "write the range lowest first: `range 0 .. 20`" =>
            "écrivez l'intervalle en commençant par le plus bas : `range 0 .. 20`",
        "scale `{id}` has a step of {step_value}; it must be positive" =>
            "l'échelle `{id}` a un pas de {step_value} ; il doit être positif",
        "use a positive step such as `step 0.5`" => "utilisez un pas positif, comme `step 0.5`",
        "the step {step_value} of scale `{id}` does not divide its range {min} .. {max}" =>
            "le pas {step_value} de l'échelle `{id}` ne divise pas son intervalle {min} .. {max}",
        "choose a step that reaches the maximum from the minimum" =>
            "choisissez un pas qui mène du minimum au maximum",
        "scale `{id}` has no pass level" => "l'échelle `{id}` n'a pas de niveau de réussite",
        "add `pass LEVEL` (or `pass NUMBER` for a range): the lowest passing grade" =>
            "ajoutez `pass NIVEAU` (ou `pass NOMBRE` pour un intervalle) : la note la plus basse qui réussit",
        "the pass level" => "le niveau de réussite",
        "the default {what} is set twice" => "{what} par défaut est fixée deux fois",
        "keep one; a competency or block can still state its own rule" =>
            "gardez-en une ; une compétence ou un bloc peut toujours énoncer sa propre règle",
        "first set here" => "fixée une première fois ici",
        "criterion scale" => "l'échelle des critères",
        "competency rule" => "la règle des compétences",
        "block rule" => "la règle des blocs",
        "the default absence rule is set twice" => "la règle d'absence par défaut est fixée deux fois",
        "keep one `absent counts as` in `defaults`; a scale or an assessment can still state its own" =>
            "gardez un seul `absent counts as` dans `defaults` ; une échelle ou une épreuve peut toujours énoncer le sien",
        "`use std::{module}` names a module, not an item" =>
            "`use std::{module}` désigne un module, pas un élément",
        "write `use std::{module}::NAME`, or `use std::{module}::*` for all its items" =>
            "écrivez `use std::{module}::NOM`, ou `use std::{module}::*` pour tous ses éléments",
        "`use` brings `{name}`, which the referential already defines" =>
            "`use` importe `{name}`, que le référentiel définit déjà",
        "defined here" => "défini ici",
        "remove the `use`, or rename the referential's own item" =>
            "retirez le `use`, ou renommez l'élément du référentiel",
        "`std::{module}` has no item `{name}`" => "`std::{module}` n'a pas d'élément `{name}`",
        "its items are: {join}" => "ses éléments sont : {join}",
        "the referential has no header" => "le référentiel n'a pas d'en-tête",
        "start the main file with `referential ID \"title\" {{ level 7 lang fr }}`" =>
            "commencez le fichier principal par `referential ID \"titre\" {{ level 7 lang fr }}`",
        "the referential header is in an imported file" =>
            "l'en-tête du référentiel est dans un fichier importé",
        "move the `referential` item to the main file, the one given on the command line" =>
            "déplacez l'élément `referential` dans le fichier principal, celui donné sur la ligne de commande",
        "the referential has no certification rule" =>
            "le référentiel n'a pas de règle de certification",
        "add `certification validated when all blocks validated` to the main file" =>
            "ajoutez `certification validated when all blocks validated` au fichier principal",
        "the certification rule is in an imported file" =>
            "la règle de certification est dans un fichier importé",
        "move the `certification` item to the main file" =>
            "déplacez l'élément `certification` dans le fichier principal",
        "criterion `{qualified}` has weight {weight}; a weight must be more than 0" =>
            "le critère `{qualified}` a le poids {weight} ; un poids doit être supérieur à 0",
        "weights are relative importances in `weighted average`: use 1, 2, 0.5…; remove `weight` for 1" =>
            "les poids sont des importances relatives dans `weighted average` : utilisez 1, 2, 0.5… ; retirez `weight` pour 1",
        "criterion `{qualified}` has no scale" => "le critère `{qualified}` n'a pas d'échelle",
        "give it `scale NAME`, or set `criterion scale NAME` in `defaults`" =>
            "donnez-lui `scale NOM`, ou fixez `criterion scale NOM` dans `defaults`",
        "the pass override" => "le niveau de réussite propre au critère",
        "unknown scale `{id}`" => "échelle inconnue : `{id}`",
        "the standard library has it: add `use std::scales::{id}`" =>
            "la bibliothèque standard l'a : ajoutez `use std::scales::{id}`",
        "declare it with `scale NAME {{ ... }}` or import one with `use std::scales::NAME`" =>
            "déclarez-la avec `scale NOM {{ ... }}` ou importez-en une avec `use std::scales::NOM`",
        "assessment `{id}` covers `{id2}`, a competency of block `{owner}`" =>
            "l'épreuve `{id}` couvre `{id2}`, une compétence du bloc `{owner}`",
        "an assessment evaluates competencies of its own block; move it, or cover a competency of this block" =>
            "une épreuve évalue des compétences de son propre bloc ; déplacez-la, ou couvrez une compétence de ce bloc",
        "`jointly` names `{id}`, which assessment `{id2}` does not cover" =>
            "`jointly` nomme `{id}`, que l'épreuve `{id2}` ne couvre pas",
        "add `{id}` to the assessment's `covers`" => "ajoutez `{id}` au `covers` de l'épreuve",
        "competency `{name}` has no criteria" => "la compétence `{name}` n'a pas de critère",
        "declare criteria in its body, or share some with `jointly` in the assessment that covers it" =>
            "déclarez des critères dans son corps, ou partagez-en avec `jointly` dans l'épreuve qui la couvre",
        "`{qualified}` is graded on scale `{id}`" => "`{qualified}` est noté sur l'échelle `{id}`",
        "`{id}` is a {kind}, not a competency" => "`{id}` est {kind:a}, pas une compétence",
        "assessments cover competencies" => "les épreuves couvrent des compétences",
        "the absence value" => "la valeur d'une absence",
        "not acquired" => "non acquis",
        "{value}" => "{value}",
        "absence cannot count as not acquired for `{qualified}`: its pass level {pass} is the lowest grade of scale `{id}`, so every grade acquires it" =>
            "une absence ne peut pas compter comme non acquis pour `{qualified}` : son niveau de réussite {pass} est la note la plus basse de l'échelle `{id}`, donc toute note l'acquiert",
        "say which grade absence counts as (`absent counts as {lowest}`), or give the criterion a pass level above {lowest2}" =>
            "dites quelle note vaut une absence (`absent counts as {lowest}`), ou donnez au critère un niveau de réussite au-dessus de {lowest2}",
        "assessments count the absence of `{qualified}` differently" =>
            "les épreuves ne comptent pas l'absence à `{qualified}` de la même façon",
        "assessments `{first_id}` and `{id}` both evaluate `{qualified}`, but count absence as {kept} and as {other}" =>
            "les épreuves `{first_id}` et `{id}` évaluent toutes deux `{qualified}`, mais comptent une absence comme {kept} et comme {other}",
        "`{id}` counts it as {other}" => "`{id}` la compte comme {other}",
        "`{first_id}` counts it as {kept}" => "`{first_id}` la compte comme {kept}",
        "the criterion both evaluate" => "le critère qu'elles évaluent toutes deux",
        "write the same `absent counts as` in both assessments, or state it once in the criterion's scale" =>
            "écrivez le même `absent counts as` dans les deux épreuves, ou énoncez-le une fois dans l'échelle du critère",
        "unknown {kind} `{name}`" => "{kind} inconnu{kind:e} : `{name}`",
        "no {kind} of the referential has this id" =>
            "aucun{kind:e} {kind} du référentiel n'a cet identifiant",
        "`{level}` is not a level of scale `{id}`" =>
            "`{level}` n'est pas un niveau de l'échelle `{id}`",
        "the scale is declared here" => "l'échelle est déclarée ici",
        "did you mean `{close}`? the levels are {join}" =>
            "vouliez-vous dire `{close}` ? les niveaux sont {join}",
        "the levels are {join}" => "les niveaux sont {join}",
        "{what} {n} is outside the range {min} .. {max} of scale `{id}`" =>
            "{what} {n} est hors de l'intervalle {min} .. {max} de l'échelle `{id}`",
        "use a number between {min} and {max}" => "utilisez un nombre entre {min} et {max}",
        "{what} {n} is not on a step of {step} of scale `{id}`" =>
            "{what} {n} ne tombe pas sur un pas de {step} de l'échelle `{id}`",
        "grades of this scale go by steps of {step} from {min}" =>
            "les notes de cette échelle vont par pas de {step} à partir de {min}",
        "{what} is the number {n}, but scale `{id}` has levels" =>
            "{what} est le nombre {n}, mais l'échelle `{id}` a des niveaux",
        "use one of its levels: {join}" => "utilisez l'un de ses niveaux : {join}",
        "{what} is the level `{level}`, but scale `{id}` is numeric" =>
            "{what} est le niveau `{level}`, mais l'échelle `{id}` est numérique",
        "this part was skipped" => "cette partie a été ignorée",
        "split the rule into named rules (`rule part_a() = ...`), or use an aggregate such as `sum({{...}})` instead of a long chain of operators; docs/language.md gives the limits" =>
            "découpez la règle en règles nommées (`rule part_a() = ...`), ou utilisez un agrégat comme `sum({{...}})` au lieu d'une longue chaîne d'opérateurs ; docs/language.md donne les limites",
        "see docs/language.md for the syntax of each item" =>
            "voyez docs/language.md pour la syntaxe de chaque élément",
        "write {expected} here; the rest of the item was skipped, the other items were still checked" =>
            "écrivez ici {expected} ; le reste de l'élément a été ignoré, les autres éléments ont bien été vérifiés",
        "the rest of the item was skipped, the other items were still checked; docs/language.md gives the syntax of each item" =>
            "le reste de l'élément a été ignoré, les autres éléments ont bien été vérifiés ; docs/language.md donne la syntaxe de chaque élément",
        "the default rule applied to {name:this}" => "la règle par défaut appliquée à {name:this}",
        "the default rule applies to {name:this}" => "la règle par défaut s'applique à {name:this}",
        "`{id}` reads {join} in both directions: deciding it exactly while they are missing would take more than {max_cases} evaluations" =>
            "`{id}` lit {join} dans les deux sens : le décider exactement tant qu'elles manquent demanderait plus de {max_cases} évaluations",
        "while those grades are missing, eval may say pending where every value of them gives one outcome; read each of them once, or in one direction (raising it only helps, or only hurts)" =>
            "tant que ces notes manquent, eval peut répondre en attente là où chacune de leurs valeurs donne un même résultat ; lisez chacune une seule fois, ou dans un seul sens (l'augmenter ne fait qu'aider, ou que nuire)",
        "{kind} `{id}` has no rule and there is no default" =>
            "{kind:the} `{id}` n'a pas de règle et il n'y en a pas par défaut",
        "give it `validated when ...`, or add `{default}` to `defaults`" =>
            "donnez-lui `validated when ...`, ou ajoutez `{default}` à `defaults`",
        "the rule of `{owner}` divides by `{divisor}`, which can be 0" =>
            "la règle de `{owner}` divise par `{divisor}`, qui peut valoir 0",
        "the divisor can be 0" => "le diviseur peut valoir 0",
        "a quotient by 0 has no value: a candidate whose divisor is 0 stays pending, even fully graded; divide by a number that cannot be 0 (`max(x, 1)`, the size of a set), or compare without dividing (`sum({{CE1}}) >= sum({{CE2}})` for `sum({{CE1}}) / sum({{CE2}}) >= 1`)" =>
            "un quotient par 0 n'a pas de valeur : un candidat dont le diviseur vaut 0 reste en attente, même entièrement noté ; divisez par un nombre qui ne peut pas valoir 0 (`max(x, 1)`, la taille d'un ensemble), ou comparez sans diviser (`sum({{CE1}}) >= sum({{CE2}})` pour `sum({{CE1}}) / sum({{CE2}}) >= 1`)",
        "the rule of `{owner}` computes `{part}`, which can be too large to be computed exactly" =>
            "la règle de `{owner}` calcule `{part}`, qui peut être trop grand pour être calculé exactement",
        "too large for exact arithmetic" => "trop grand pour un calcul exact",
        "marks, weights and coefficients of real règlements stay far inside the range; look for a product or a power of ten written by mistake" =>
            "les notes, poids et coefficients des règlements réels restent loin de cette limite ; cherchez un produit ou une puissance de dix écrits par erreur",
        "the rule of `{owner}` is always true, whatever the grades" =>
            "la règle de `{owner}` est toujours vraie, quelles que soient les notes",
        "always true" => "toujours vraie",
        "a rule that holds without any grade validates every candidate; raise the threshold or the count" =>
            "une règle vraie sans aucune note valide tous les candidats ; relevez le seuil ou le nombre demandé",
        "the rule of `{owner}` is always false, whatever the grades" =>
            "la règle de `{owner}` est toujours fausse, quelles que soient les notes",
        "always false" => "toujours fausse",
        "a rule that can never hold validates no candidate; lower the threshold or the count" =>
            "une règle qui ne peut jamais être vraie ne valide aucun candidat ; abaissez le seuil ou le nombre demandé",
        "no assessment covers competency `{id}`" => "aucune épreuve ne couvre la compétence `{id}`",
        "add it to the `covers` of the assessment that evaluates it" =>
            "ajoutez-la au `covers` de l'épreuve qui l'évalue",
        "assessment `{id}` has parts, but no rule decides it and no rule reads them" =>
            "l'épreuve `{id}` a des parties, mais aucune règle ne la décide et aucune règle ne les lit",
        "give it `validated when weighted average(parts) >= 10`, or read its parts in a rule (`sum({{E1/ecrit}})`)" =>
            "donnez-lui `validated when weighted average(parts) >= 10`, ou lisez ses parties dans une règle (`sum({{E1/ecrit}})`)",
        "no rule reads criterion `{qualified}`" => "aucune règle ne lit le critère `{qualified}`",
        "its grade decides nothing; use it in its competency's rule, or remove it" =>
            "sa note ne décide de rien ; utilisez-le dans la règle de sa compétence, ou retirez-le",
        "{entity} `{entity2}` cannot influence the certification" =>
            "{entity:the} `{entity2}` ne peut pas influer sur la certification",
        "no chain of rules leads from the certification to it; read it in a rule, or remove it" =>
            "aucune chaîne de règles n'y mène depuis la certification ; lisez-le dans une règle, ou retirez-le",
        "`{id}` is absent (`{word}`) in this example, but the referential does not say what absence counts as for it" =>
            "`{id}` est absent (`{word}`) dans cet exemple, mais le référentiel ne dit pas ce que vaut une absence pour lui",
        "add `{line}` (or `absent counts as <grade>`) to {places}" =>
            "ajoutez `{line}` (ou `absent counts as <note>`) à {places}",
        "the criterion" => "le critère",
        "`{criterion}` is graded twice in this example" =>
            "`{criterion}` est noté deux fois dans cet exemple",
        "first grade here" => "première note ici",
        "keep one grade per criterion" => "gardez une seule note par critère",
        "the grade" => "la note",
        "`{target}` is an assessment; it has no outcome to expect" =>
            "`{target}` est une épreuve ; elle n'a pas de résultat à attendre",
        "expect outcomes of criteria, competencies, blocks or `certification`" =>
            "attendez des résultats de critères, de compétences, de blocs ou de `certification`",
        "`{outcome}` is not an outcome of {kind:a}" =>
            "`{outcome}` n'est pas un résultat possible pour {kind:a}",
        "did you mean `{close}`? {kind:a} is {join}" =>
            "vouliez-vous dire `{close}` ? les résultats d'{kind:a} sont {join}",
        "{kind:a} is {join}" => "les résultats d'{kind:a} sont {join}",
        "rules depend on each other in a cycle: {join} → {first_name}" =>
            "des règles dépendent les unes des autres en boucle : {join} → {first_name}",
        "`{from}` is decided by `{to}` here" => "`{from}` est décidé par `{to}` ici",
        "an outcome cannot depend on itself; remove one of these prerequisites" =>
            "un résultat ne peut pas dépendre de lui-même ; retirez l'un de ces prérequis",
        "`{display}` is outside the referential's folder: it is not read" =>
            "`{display}` est hors du dossier du référentiel : il n'est pas lu",
        "keep the files of a referential in the folder of its main file or below it, and import them by a relative path" =>
            "gardez les fichiers d'un référentiel dans le dossier de son fichier principal ou en dessous, et importez-les par un chemin relatif",
        "an imported file holds blocks, scales or rules; fill it, or remove the `import`" =>
            "un fichier importé contient des blocs, des échelles ou des règles ; remplissez-le, ou retirez l'`import`",
        "a referential starts with `referential ID \"title\" {{ ... }}`; see docs/language.md" =>
            "un référentiel commence par `referential ID \"titre\" {{ ... }}` ; voyez docs/language.md",
        "`{display}` is empty" => "`{display}` est vide",
        "import cycle: {join} → {first}" => "importations en boucle : {join} → {first}",
        "this import closes the cycle" => "cet import ferme la boucle",
        "imports the next file of the cycle" => "importe le fichier suivant de la boucle",
        "files of one referential must import each other without a loop; move shared items to a file that imports nothing back" =>
            "les fichiers d'un référentiel doivent s'importer sans boucle ; déplacez les éléments partagés dans un fichier qui n'importe rien en retour",
        "cannot read `{display}`: no such file" =>
            "impossible de lire `{display}` : ce fichier n'existe pas",
        "check the path; import paths are relative to the importing file" =>
            "vérifiez le chemin ; les chemins d'import sont relatifs au fichier qui importe",
        "check the path, relative to the current directory" =>
            "vérifiez le chemin, relatif au dossier courant",
        "cannot read `{display}`: it is a directory" =>
            "impossible de lire `{display}` : c'est un dossier",
        "give the path of a `.acquis` file" => "donnez le chemin d'un fichier `.acquis`",
        "cannot read `{display}`: it is not a regular file (a device, a pipe or a socket)" =>
            "impossible de lire `{display}` : ce n'est pas un fichier ordinaire (un périphérique, un tube ou une socket)",
        "`{display}` is not UTF-8 text: invalid byte at line {line}, column {column} (byte {offset})" =>
            "`{display}` n'est pas du texte UTF-8 : octet invalide à la ligne {line}, colonne {column} (octet {offset})",
        "save the file as UTF-8; most editors offer it in their encoding menu" =>
            "enregistrez le fichier en UTF-8 ; la plupart des éditeurs le proposent dans leur menu d'encodage",
        "`{display}` is {bytes} MiB, more than the {max} MiB limit" =>
            "`{display}` fait {bytes} Mio, plus que la limite de {max} Mio",
        "split the referential over several files with `import`" =>
            "répartissez le référentiel sur plusieurs fichiers avec `import`",
        "cannot read `{display}`: {reason}" => "impossible de lire `{display}` : {reason}",
        "check that the file exists and can be read" =>
            "vérifiez que le fichier existe et peut être lu",
        "`use std` names no module" => "`use std` ne nomme aucun module",
        "write `use std::scales::NAME` or `use std::rules::NAME` (`*` for all)" =>
            "écrivez `use std::scales::NOM` ou `use std::rules::NOM` (`*` pour tous)",
        "`use` paths start with `std::`, found `{root}`" =>
            "les chemins de `use` commencent par `std::`, trouvé `{root}`",
        "other files of the referential are included with `import \"file.acquis\"`" =>
            "les autres fichiers du référentiel s'incluent avec `import \"fichier.acquis\"`",
        "the standard library has no module `{name}`" =>
            "la bibliothèque standard n'a pas de module `{name}`",
        "did you mean `{close}`?" => "vouliez-vous dire `{close}` ?",
        "replace with `{close}`" => "remplacer par `{close}`",
        "the modules are `std::scales` and `std::rules`" =>
            "les modules sont `std::scales` et `std::rules`",
        "in this use of `{name}`" => "dans cet emploi de `{name}`",
        "this rule is nested too deeply once its named rules are expanded: more than {max_rule_depth} levels" =>
            "cette règle est imbriquée trop profondément une fois ses règles nommées développées : plus de {max_rule_depth} niveaux",
        "this rule is too large once its named rules are expanded: more than {most} operators and values (each use of a named rule copies its body)" =>
            "cette règle est trop grande une fois ses règles nommées développées : plus de {most} opérateurs et valeurs (chaque emploi d'une règle nommée en recopie le corps)",
        "the rule asks for {n} members of a set of {len}" =>
            "la règle demande {n} membres d'un ensemble de {len}",
        "this set has {len} members" => "cet ensemble a {len} membres",
        "use a count between 0 and {len}" => "utilisez un nombre entre 0 et {len}",
        "`{n} of {m}` is written, but the set has {len} members" =>
            "`{n} of {m}` est écrit, mais l'ensemble a {len} membres",
        "the members are {listed}" => "les membres sont {listed}",
        "write `{n} of {len}`, or change the set" => "écrivez `{n} of {len}`, ou changez l'ensemble",
        "the set has only {len} members; change the count or the set" =>
            "l'ensemble n'a que {len} membres ; changez le nombre ou l'ensemble",
        "`{n} of {m}` asks for more members than there are" =>
            "`{n} of {m}` demande plus de membres qu'il n'y en a",
        "in this rule" => "dans cette règle",
        "use a count between 0 and {m}" => "utilisez un nombre entre 0 et {m}",
        "`{id}` is used as a count, but its argument is {n}" =>
            "`{id}` sert de nombre, mais son argument est {n}",
        "a count is a whole number, 0 or more" => "un nombre demandé est un entier, 0 ou plus",
        "`{id}` is used as a count, but its argument is the name `{level}`" =>
            "`{id}` sert de nombre, mais son argument est le nom `{level}`",
        "pass a whole number" => "passez un nombre entier",
        "unknown name `{id}`" => "nom inconnu : `{id}`",
        "did you mean the parameter `{close}`?" => "vouliez-vous dire le paramètre `{close}` ?",
        "a count or threshold is a number, or a parameter of the named rule" =>
            "un nombre demandé ou un seuil est un nombre, ou un paramètre de la règle nommée",
        "`criteria` means nothing in an assessment's rule" =>
            "`criteria` n'a pas de sens dans la règle d'une épreuve",
        "an assessment's rule reads its `parts`: `weighted average(parts) >= 10`" =>
            "la règle d'une épreuve lit ses `parts` : `weighted average(parts) >= 10`",
        "`parts` can only be used in an assessment's rule" =>
            "`parts` ne s'emploie que dans la règle d'une épreuve",
        "name a part by its qualified id elsewhere: `E2/ecrit >= 10`" =>
            "ailleurs, nommez une partie par son identifiant qualifié : `E2/ecrit >= 10`",
        "`competencies` means nothing in an assessment's rule" =>
            "`competencies` n'a pas de sens dans la règle d'une épreuve",
        "an assessment's rule reads its `parts`; name a competency by its id for a prerequisite" =>
            "la règle d'une épreuve lit ses `parts` ; nommez une compétence par son identifiant pour un prérequis",
        "`competencies` means nothing in a competency's rule" =>
            "`competencies` n'a pas de sens dans la règle d'une compétence",
        "a competency's rule reads its `criteria`; name another competency by its id for a prerequisite" =>
            "la règle d'une compétence lit ses `criteria` ; nommez une autre compétence par son identifiant pour un prérequis",
        "`blocks` can only be used in the certification rule" =>
            "`blocks` ne s'emploie que dans la règle de certification",
        "name a block by its id for a prerequisite: `A1 validated`" =>
            "nommez un bloc par son identifiant pour un prérequis : `A1 validated`",
        "`{id}` is not in the set it is taken out of" =>
            "`{id}` n'est pas dans l'ensemble dont on le retire",
        "this set" => "cet ensemble",
        "remove it from `except`" => "retirez-le de `except`",
        "this set has no members" => "cet ensemble n'a aucun membre",
        "a rule over an empty set decides nothing; name at least one member" =>
            "une règle sur un ensemble vide ne décide de rien ; nommez au moins un membre",
        "`{id}` is an assessment; it has no outcome a rule can read" =>
            "`{id}` est une épreuve ; elle n'a pas de résultat qu'une règle puisse lire",
        "rules read criteria, competencies, blocks and the assessments that have a rule (`validated when weighted average(parts) >= 10`)" =>
            "les règles lisent des critères, des compétences, des blocs et les épreuves qui ont une règle (`validated when weighted average(parts) >= 10`)",
        "unknown id `{id}`" => "identifiant inconnu : `{id}`",
        "outside its competency a criterion is named by its qualified id, such as `{q}`" =>
            "hors de sa compétence, un critère se nomme par son identifiant qualifié, comme `{q}`",
        "replace with `{q}`" => "remplacer par `{q}`",
        "`{id}` is a {member} and has no grade to compare" =>
            "`{id}` est {member:a} et n'a pas de note à comparer",
        "comparisons apply to criteria; use `validated` for competencies and blocks" =>
            "les comparaisons s'appliquent aux critères ; utilisez `validated` pour les compétences et les blocs",
        "the threshold" => "le seuil",
        "`{id}` is {kind:a}: it is {right}, not {written}" =>
            "`{id}` est {kind:a} : on écrit `{right}`, pas `{written}`",
        "criteria are `acquired`; competencies and blocks are `validated`; write `{right}`" =>
            "les critères sont `acquired` ; les compétences et les blocs sont `validated` ; écrivez `{right}`",
        "replace with `{right}`" => "remplacer par `{right}`",
        "unknown rule `{name}`" => "règle inconnue : `{name}`",
        "the standard library has it: add `use std::rules::{name}`" =>
            "la bibliothèque standard l'a : ajoutez `use std::rules::{name}`",
        "declare it with `rule NAME(params) = ...` or import one with `use std::rules::NAME`" =>
            "déclarez-la avec `rule NOM(paramètres) = ...` ou importez-en une avec `use std::rules::NOM`",
        "rule `{name}` calls itself: {join}" => "la règle `{name}` s'appelle elle-même : {join}",
        "the rule is defined here" => "la règle est définie ici",
        "rules are expanded where they are used, so they cannot call themselves; write the condition out" =>
            "les règles sont développées là où elles servent, elles ne peuvent donc pas s'appeler elles-mêmes ; écrivez la condition en entier",
        "rule `{name}` takes {len} argument{len:s}, {given} given" =>
            "la règle `{name}` prend {len} argument{len:s}, {given} donné{given:s}",
        "defined as `{name}({expected})`" => "définie comme `{name}({expected})`",
        "write `{name}({expected})` with a value for each parameter" =>
            "écrivez `{name}({expected})` avec une valeur pour chaque paramètre",
        "`{id}` is compared as a number, but its argument is the name `{level}`" =>
            "`{id}` est comparé comme un nombre, mais son argument est le nom `{level}`",
        "aggregates compare with numbers" => "les agrégats se comparent à des nombres",
        "`size` counts every member whatever its outcome" =>
            "`size` compte tous les membres, quel que soit leur résultat",
        "use `count(S P)` to count the members that satisfy P" =>
            "utilisez `count(S P)` pour compter les membres qui satisfont P",
        "`{function}` takes a set, not a predicate" =>
            "`{function}` prend un ensemble, pas un prédicat",
        "filter the set instead: `average({{CE1, CE2}})`" =>
            "filtrez plutôt l'ensemble : `average({{CE1, CE2}})`",
        "`{name}` takes a number and its number of decimals, 1 argument given" =>
            "`{name}` prend un nombre et son nombre de décimales, 1 argument donné",
        "say to how many decimals: `{name}(average(criteria), 2)` keeps 2 (the hundredth), 0 a whole number" =>
            "dites à combien de décimales : `{name}(average(criteria), 2)` en garde 2 (le centième), 0 un nombre entier",
        "over a set, write it in braces: `{name}({{{id}}})`; of two numbers: `{name}(0, sum({{UF1}}) - 10)`" =>
            "sur un ensemble, écrivez-le entre accolades : `{name}({{{id}}})` ; sur deux nombres : `{name}(0, sum({{UF1}}) - 10)`",
        "`{name}` takes a set (`{name}({{CE1, CE2}})`) or two numbers (`{name}(0, sum({{UF1}}) - 10)`); nest it for more: `{name}(a, {name}(b, c))`" =>
            "`{name}` prend un ensemble (`{name}({{CE1, CE2}})`) ou deux nombres (`{name}(0, sum({{UF1}}) - 10)`) ; imbriquez-le pour davantage : `{name}(a, {name}(b, c))`",
        "`{name}` takes a set or two numbers, {n} number{n:s} given" =>
            "`{name}` prend un ensemble ou deux nombres, {n} nombre{n:s} donné{n:s}",
        "`{function}` rounds to a number of decimals, but its argument is the name `{id}`" =>
            "`{function}` arrondit à un nombre de décimales, mais son argument est le nom `{id}`",
        "give a whole number of decimals from 0 to 6" =>
            "donnez un nombre entier de décimales, de 0 à 6",
        "`{function}` keeps a whole number of decimals from 0 to {max_decimals}, not {written}" =>
            "`{function}` garde un nombre entier de décimales de 0 à {max_decimals}, pas {written}",
        "2 rounds to the hundredth (`round(average(criteria), 2)`), 0 to a whole number" =>
            "2 arrondit au centième (`round(average(criteria), 2)`), 0 à l'entier",
        "`{function}` needs graded criteria, but `{id}` is a {member}" =>
            "`{function}` demande des critères notés, mais `{id}` est {member:a}",
        "numeric aggregates read the marks of criteria; count competencies with `count(S validated)`" =>
            "les agrégats numériques lisent les notes des critères ; comptez les compétences avec `count(S validated)`",
        "`{function}` needs numeric marks, but `{id}` is graded on the level scale `{id2}`" =>
            "`{function}` demande des notes chiffrées, mais `{id}` est noté sur l'échelle de niveaux `{id2}`",
        "a scale of levels" => "une échelle de niveaux",
        "give these criteria a numeric scale (`range 0 .. 20`), or count levels with `count(S >= level)`" =>
            "donnez à ces critères une échelle numérique (`range 0 .. 20`), ou comptez des niveaux avec `count(S >= niveau)`",
        "`{function}` mixes scales: `{first_id}` is on `{other}`, `{id}` on `{id2}`" =>
            "`{function}` mélange des échelles : `{first_id}` est sur `{other}`, `{id}` sur `{id2}`",
        "aggregate criteria of one scale, or split the rule per scale" =>
            "agrégez des critères d'une même échelle, ou découpez la règle par échelle",
        "`{function}` of these members lies in {low} .. {high}; the threshold {value} is outside" =>
            "`{function}` de ces membres est compris entre {low} et {high} ; le seuil {value} est en dehors",
        "use a threshold between {low} and {high}" => "utilisez un seuil entre {low} et {high}",
        "{what} names blocks, competencies or assessments that have a rule" =>
            "{what} nomme des blocs, des compétences ou des épreuves qui ont une règle",
        "`{id}` is listed twice" => "`{id}` figure deux fois",
        "`{other}` and `{id}` overlap: one is part of the other" =>
            "`{other}` et `{id}` se recouvrent : l'un fait partie de l'autre",
        "already listed here" => "déjà cité ici",
        "list each member once, and not both a member and what contains it" =>
            "citez chaque membre une fois, et pas à la fois un membre et ce qui le contient",
        "an equivalence" => "une équivalence",
        "an equivalence grants members of the referential, not the certification" =>
            "une équivalence accorde des membres du référentiel, pas la certification",
        "`{id}` has no outcome an equivalence could grant" =>
            "`{id}` n'a pas de résultat qu'une équivalence puisse accorder",
        "`{mark}` is read as a mark: an equivalence cannot grant it" =>
            "`{mark}` se lit comme une note : une équivalence ne peut pas l'accorder",
        "write a `dispensation` with `effect excluded` for it: the mark is then left out of the averages, which are taken over the remaining coefficients" =>
            "écrivez pour elle une `dispensation` avec `effect excluded` : la note est alors laissée hors des moyennes, prises sur les coefficients restants",
        "a dispensation" => "une dispense",
        "a dispensation dispenses from members of the referential, not the certification" =>
            "une dispense dispense de membres du référentiel, pas de la certification",
        "dispensation `{id}` does not say its effect" => "la dispense `{id}` ne dit pas son effet",
        "add `effect excluded` (left out of sets and averages, which are then taken over the remaining coefficients) or `effect validated` (counted as validated)" =>
            "ajoutez `effect excluded` (laissé hors des ensembles et des moyennes, alors prises sur les coefficients restants) ou `effect validated` (compté comme validé)",
        "`{mark}` is read as a mark: it cannot be counted as validated" =>
            "`{mark}` se lit comme une note : elle ne peut pas être comptée comme validée",
        "write `effect excluded`: the mark is then left out of the averages, which are taken over the remaining coefficients" =>
            "écrivez `effect excluded` : la note est alors laissée hors des moyennes, prises sur les coefficients restants",
        "dispensation `{id}` makes the rule of `{id2}` impossible: {why}" =>
            "la dispense `{id}` rend la règle de `{id2}` impossible : {why}",
        "dispense from fewer members, or say in the rule what a dispensed candidate needs" =>
            "dispensez de moins de membres, ou dites dans la règle ce qu'il faut à un candidat dispensé",
        "the certification is decided in each session: it cannot be kept" =>
            "la certification se décide à chaque session : elle ne peut pas être conservée",
        "keep the blocks, competencies, assessments or marks it is decided on" =>
            "conservez les blocs, compétences, épreuves ou notes sur lesquels elle se décide",
        "`{t}` has an outcome, not a mark: `when mark …` cannot apply to it" =>
            "`{t}` a un résultat, pas une note : `when mark …` ne peut pas s'y appliquer",
        "keep marks (criteria and parts) with a condition, and outcomes in a `keep` of their own: an outcome is kept when it is validated" =>
            "conservez les notes (critères et parties) avec une condition, et les résultats dans un `keep` à part : un résultat est conservé lorsqu'il est validé",
        "the condition" => "la condition",
        "`{t}` has no outcome a jury could decide" =>
            "`{t}` n'a pas de résultat qu'un jury puisse décider",
        "a jury decides the certification, blocks, competencies or assessments that have a rule" =>
            "un jury décide la certification, les blocs, les compétences ou les épreuves qui ont une règle",
        "`{date}` is not a date: write the year and the month (`2026-06`) or the whole date (`2026-06-15`)" =>
            "`{date}` n'est pas une date : écrivez l'année et le mois (`2026-06`) ou la date entière (`2026-06-15`)",
        "dates are written `2026-06` (a session) or `2026-06-15` (a day)" =>
            "les dates s'écrivent `2026-06` (une session) ou `2026-06-15` (un jour)",
        "an example with earlier results must say its session" =>
            "un exemple avec des résultats antérieurs doit dire sa session",
        "add `session \"2026-06\"`: validity periods count from the earlier session to this one" =>
            "ajoutez `session \"2026-06\"` : les durées de validité se comptent de la session antérieure à celle-ci",
        "the earlier mark" => "la note antérieure",
        "`{word}` is not an earlier outcome" => "`{word}` n'est pas un résultat antérieur",
        "an earlier outcome is `validated` or `not_validated`" =>
            "un résultat antérieur est `validated` ou `not_validated`",
        "`{t}` has an outcome, not a mark" => "`{t}` a un résultat, pas une note",
        "write `validated` or `not_validated` for an entity, a mark for a criterion or a part" =>
            "écrivez `validated` ou `not_validated` pour une entité, une note pour un critère ou une partie",
        "the referential does not let a jury decide `{id}`" =>
            "le référentiel ne permet pas à un jury de décider `{id}`",
        "add `jury may decide {id}` to the referential, if its règlement allows it" =>
            "ajoutez `jury may decide {id}` au référentiel, si son règlement le permet",
        "`{outcome}` is not a decision" => "`{outcome}` n'est pas une décision",
        "a jury decides `validated` or `not_validated`" =>
            "un jury décide `validated` ou `not_validated`",
        "{what} `{id}` is defined twice" => "{what:the} `{id}` est défini{what:e} deux fois",
        "defined again here" => "défini de nouveau ici",
        "first defined here" => "défini une première fois ici",
        "rename one of them, or merge them" => "renommez l'un des deux, ou fusionnez-les",
        "`at least {n} of` a set left with {left} member{left:s}" =>
            "`at least {n} of` d'un ensemble réduit à {left} membre{left:s}",
        "`{function}` of a set left empty" => "`{function}` d'un ensemble devenu vide",
        "the label \"{label}\" of level `{this}` reads as level `{that}` of scale `{id}`" =>
            "le libellé « {label} » du niveau `{this}` se lit comme le niveau `{that}` de l'échelle `{id}`",
        "level `{that}` reads the same" => "le niveau `{that}` se lit de même",
        "grade files may write a level's id or its label, in any case and with or without accents: give each level a label no other level reads as" =>
            "les fichiers de notes peuvent écrire l'identifiant d'un niveau ou son libellé, en majuscules ou minuscules, avec ou sans accents : donnez à chaque niveau un libellé qu'aucun autre niveau ne lit de même",
        // end of compiler

        // eval: grade files, histories and runs (eval/src).
        "candidate `{candidate}`" => "candidat `{candidate}`",
        "check the path (relative to the current directory) and that the file can be read to its end" =>
            "vérifiez le chemin (relatif au dossier courant) et que le fichier peut être lu jusqu'au bout",
        "check that the path names the grades file and that its rows were saved" =>
            "vérifiez que le chemin désigne le fichier de notes et que ses lignes ont été enregistrées",
        "the first row names the columns, separated by commas: `candidate,criterion,grade` for one row per grade, or `candidate,<criterion id>,…` for one row per candidate" =>
            "la première ligne nomme les colonnes, séparées par des virgules : `candidate,criterion,grade` pour une ligne par note, ou `candidate,<id du critère>,…` pour une ligne par candidat",
        "save the file as UTF-8 (spreadsheets call it \"CSV UTF-8\"); a file saved as Latin-1 or Windows-1252 stores `é` as one byte that is not UTF-8" =>
            "enregistrez le fichier en UTF-8 (les tableurs l'appellent « CSV UTF-8 ») ; un fichier enregistré en Latin-1 ou Windows-1252 stocke `é` sur un octet qui n'est pas de l'UTF-8",
        "write the qualified id of a criterion of the referential, such as `C1.3/CE2` (or `E1/CE4` for a criterion an assessment shares)" =>
            "écrivez l'identifiant qualifié d'un critère du référentiel, comme `C1.3/CE2` (ou `E1/CE4` pour un critère partagé par une épreuve)",
        "keep one grade per candidate and criterion (the same grade twice is accepted)" =>
            "gardez une seule note par candidat et par critère (la même note deux fois est acceptée)",
        "say in the referential what an absent candidate's grade counts as: `absent counts as 0`, `absent counts as <level>` or `absent counts as not acquired`, in the criterion's scale, in an assessment that evaluates it, or in `defaults`; leave the grade empty if it is only not given yet (it is then pending)" =>
            "dites dans le référentiel ce que vaut la note d'un candidat absent : `absent counts as 0`, `absent counts as <niveau>` ou `absent counts as not acquired`, dans l'échelle du critère, dans une épreuve qui l'évalue, ou dans `defaults` ; laissez la note vide si elle n'est simplement pas encore donnée (elle est alors en attente)",
        "write the id as in the `candidate` column or key of the file" =>
            "écrivez l'identifiant comme dans la colonne ou la clé `candidate` du fichier",
        "check that the output path can be written" =>
            "vérifiez que le chemin de sortie peut être écrit",
        "unknown criterion `{criterion}` (did you mean `{close}`?)" =>
            "critère inconnu : `{criterion}` (vouliez-vous dire `{close}` ?)",
        "grade of `{criterion}`: {why}" => "note de `{criterion}` : {why}",
        "unknown criterion `{criterion}`" => "critère inconnu : `{criterion}`",
        "two different grades for `{criterion}`: `{text}` (line {line}) and `{trim}`" =>
            "deux notes différentes pour `{criterion}` : `{text}` (ligne {line}) et `{trim}`",
        "it is not a regular file" => "ce n'est pas un fichier ordinaire",
        "not a JSON object: {reason}" => "ce n'est pas un objet JSON : {reason}",
        "a history line needs `\"candidate\"`: the candidate's id" =>
            "une ligne d'historique doit avoir `\"candidate\"` : l'identifiant du candidat",
        "the header cannot be read: {reason}" => "l'en-tête ne peut pas être lu : {reason}",
        "a history CSV needs the columns `candidate`, `kind` and `entity` (and `value`, `date`, `author`, `justification` as the facts need them)" =>
            "un historique CSV doit avoir les colonnes `candidate`, `kind` et `entity` (et `value`, `date`, `author`, `justification` selon les faits)",
        "malformed row: {reason}" => "ligne mal formée : {reason}",
        "the row names no candidate" => "la ligne ne nomme aucun candidat",
        "`{kind}` is not a kind of fact: write `result`, `holds`, `dispensed` or `decision`" =>
            "`{kind}` n'est pas un type de fait : écrivez `result`, `holds`, `dispensed` ou `decision`",
        "cannot read `{path}`: {reason}" => "impossible de lire `{path}` : {reason}",
        "candidate `{candidate}` is not in `{path}` (did you mean `{close}`?)" =>
            "le candidat `{candidate}` n'est pas dans `{path}` (vouliez-vous dire `{close}` ?)",
        "candidate `{candidate}` is not in `{path}`" =>
            "le candidat `{candidate}` n'est pas dans `{path}`",
        "cannot write the results: {reason}" => "impossible d'écrire les résultats : {reason}",
        "cannot write `{path}`: {reason}" => "impossible d'écrire `{path}` : {reason}",
        "--format {format} writes a directory of pages: name it with -o DIR" =>
            "--format {format} écrit un dossier de pages : nommez-le avec -o DOSSIER",
        "candidate `{candidate}` is not in the grades file (did you mean `{close}`?)" =>
            "le candidat `{candidate}` n'est pas dans le fichier de notes (vouliez-vous dire `{close}` ?)",
        "candidate `{candidate}` is not in the grades file" =>
            "le candidat `{candidate}` n'est pas dans le fichier de notes",
        "the workbook cannot be read: {reason}" => "le classeur ne peut pas être lu : {reason}",
        "{what}: save the grades as CSV, which is read as a stream whatever its size" =>
            "{what} : enregistrez les notes en CSV, lu au fil de l'eau quelle que soit sa taille",
        "the workbook is larger than {max} MB" => "le classeur dépasse {max} Mo",
        "not an .xlsx workbook: {reason}" => "ce n'est pas un classeur .xlsx : {reason}",
        "the workbook's parts expand to more than {max} MB" =>
            "les parties du classeur se décompressent en plus de {max} Mo",
        "the workbook has no sheet" => "le classeur n'a aucune feuille",
        "its first sheet cannot be read: {reason}" =>
            "sa première feuille ne peut pas être lue : {reason}",
        "the file is empty" => "le fichier est vide",
        "the header must have `candidate`, `criterion` and `grade` columns, or start with `candidate` for one row per candidate" =>
            "l'en-tête doit avoir les colonnes `candidate`, `criterion` et `grade`, ou commencer par `candidate` pour une ligne par candidat",
        "line {line} is not UTF-8 text" => "la ligne {line} n'est pas du texte UTF-8",
        "the file could not be read past this point: {cause}" =>
            "le fichier n'a pas pu être lu au-delà de ce point : {cause}",
        "rows of candidate `{id}` are not contiguous: it already appeared at line {first}; sort the file by candidate" =>
            "les lignes du candidat `{id}` ne se suivent pas : il apparaissait déjà à la ligne {first} ; triez le fichier par candidat",
        "this candidate's rows may be incomplete: the file could not be read further" =>
            "les lignes de ce candidat sont peut-être incomplètes : le fichier n'a pas pu être lu plus loin",
        "a `\"` in field {k} opens a quoted text that runs to line {end} and holds {len} rows: they were read as rows, check them; a quote inside a field is written `\"\"`" =>
            "un `\"` dans le champ {k} ouvre un texte entre guillemets qui va jusqu'à la ligne {end} et contient {len} lignes : elles ont été lues comme des lignes, vérifiez-les ; un guillemet dans un champ s'écrit `\"\"`",
        "this row was inside the quoted text opened at line {line} (a stray `\"`?): read as a row, check it" =>
            "cette ligne était dans le texte entre guillemets ouvert à la ligne {line} (un `\"` égaré ?) : lue comme une ligne, vérifiez-la",
        "{needed}; {detail} (columns must be separated by commas or semicolons, and this header seems to use tabs)" =>
            "{needed} ; {detail} (les colonnes doivent être séparées par des virgules ou des points-virgules, et cet en-tête semble utiliser des tabulations)",
        "{needed}; {detail}" => "{needed} ; {detail}",
        "this header starts with `{first}`" => "cet en-tête commence par `{first}`",
        "this header has no {list} column" => "cet en-tête n'a pas de colonne {list}",
        "column {i} of the header has no name" => "la colonne {i} de l'en-tête n'a pas de nom",
        "column `{name}` appears twice in the header (columns {first} and {i})" =>
            "la colonne `{name}` apparaît deux fois dans l'en-tête (colonnes {first} et {i})",
        "this row has {fields} fields but the header has {width}" =>
            "cette ligne a {fields} champs mais l'en-tête en a {width}",
        "the candidate id is empty" => "l'identifiant du candidat est vide",
        "the criterion is empty" => "le critère est vide",
        "empty grade for `{criterion}`: write the grade, or remove the row" =>
            "note vide pour `{criterion}` : écrivez la note, ou retirez la ligne",
        "candidate `{id}` already appeared at line {first}; give each candidate one row" =>
            "le candidat `{id}` apparaissait déjà à la ligne {first} ; donnez une seule ligne à chaque candidat",
        "this row has {len} fields but the header has {len2}" =>
            "cette ligne a {len} champs mais l'en-tête en a {len2}",
        "this line is not valid JSON: {message}" => "cette ligne n'est pas du JSON valide : {message}",
        "this line could not be read" => "cette ligne n'a pas pu être lue",
        "candidate `{id}` already appeared at line {first}; give each candidate one line" =>
            "le candidat `{id}` apparaissait déjà à la ligne {first} ; donnez une seule ligne à chaque candidat",
        "each line must be a JSON object like {{\"candidate\": \"…\", \"grades\": {{…}}}}" =>
            "chaque ligne doit être un objet JSON comme `{{\"candidate\": \"…\", \"grades\": {{…}}}}`",
        "key `{key}` appears twice; the first is kept" =>
            "la clé `{key}` apparaît deux fois ; la première est gardée",
        "`candidate` must be a string, not {kind}" => "`candidate` doit être une chaîne, pas {kind}",
        "this line has no `candidate` key" => "cette ligne n'a pas de clé `candidate`",
        "this line has no `grades` key" => "cette ligne n'a pas de clé `grades`",
        "`grades` must be an object like {{\"C1\": \"acquis\"}}, not {kind}" =>
            "`grades` doit être un objet comme {{\"C1\": \"acquis\"}}, pas {kind}",
        "the grade for `{criterion}` must be a string or a number, not {kind}" =>
            "la note de `{criterion}` doit être une chaîne ou un nombre, pas {kind}",
        "empty grade for `{criterion}`: write the grade, or remove it" =>
            "note vide pour `{criterion}` : écrivez la note, ou retirez-la",
        "a number" => "un nombre",
        "a boolean" => "un booléen",
        "null" => "null",
        "an array" => "un tableau",
        "an object" => "un objet",
        "session of the result of `{entity}`: {why}" => "session du résultat de `{entity}` : {why}",
        "the result of `{entity}` ({got}) cannot be used without the session being evaluated: give `--session`" =>
            "le résultat de `{entity}` ({got}) ne peut pas servir sans la session évaluée : donnez `--session`",
        "the result of `{entity}` is dated {got}, not before this session ({now})" =>
            "le résultat de `{entity}` est daté de {got}, pas d'avant cette session ({now})",
        "the referential does not keep results of `{entity}` from one session to the next (no `keep` names it)" =>
            "le référentiel ne conserve pas les résultats de `{entity}` d'une session à l'autre (aucun `keep` ne le nomme)",
        "the result of `{entity}` obtained in {got} expired in {until}: it is not used" =>
            "le résultat de `{entity}` obtenu en {got} a expiré en {until} : il n'est pas utilisé",
        "earlier mark of `{entity}`: {why}" => "note antérieure de `{entity}` : {why}",
        "the mark {position} of `{entity}` ({got}) does not meet the condition to be kept (mark {symbol} {value}): it is not used" =>
            "la note {position} de `{entity}` ({got}) ne remplit pas la condition pour être conservée (note {symbol} {value}) : elle n'est pas utilisée",
        "`{trim}` is not an outcome of `{entity}`: write `validated` or `not_validated`" =>
            "`{trim}` n'est pas un résultat de `{entity}` : écrivez `validated` ou `not_validated`",
        "the referential does not let a jury decide `{entity}` (no `jury may decide` names it)" =>
            "le référentiel ne permet pas à un jury de décider `{entity}` (aucun `jury may decide` ne le nomme)",
        "`{trim}` is not a decision: a jury decides `validated` or `not_validated`" =>
            "`{trim}` n'est pas une décision : un jury décide `validated` ou `not_validated`",
        "an author" => "un auteur",
        "a date" => "une date",
        "a justification" => "une justification",
        "the jury decision on `{entity}` needs {join}" =>
            "la décision du jury sur `{entity}` demande {join}",
        "date of the decision on `{entity}`: {why}" => "date de la décision sur `{entity}` : {why}",
        "two different jury decisions on `{entity}`: {first} ({author}, {date}) and {second}" =>
            "deux décisions de jury différentes sur `{entity}` : {first} ({author}, {date}) et {second}",
        "unknown criterion" => "critère inconnu",
        "unknown {what} `{name}` (did you mean `{close}`?)" =>
            "{what} inconnu{what:e} : `{name}` (vouliez-vous dire `{close}` ?)",
        "unknown {what} `{name}`" => "{what} inconnu{what:e} : `{name}`",
        "`{grade}` means absent, but the referential does not say what absence counts as for this criterion: add `{line}` (or `absent counts as <grade>`) to {places}" =>
            "`{grade}` signifie absent, mais le référentiel ne dit pas ce que vaut une absence pour ce critère : ajoutez `{line}` (ou `absent counts as <note>`) à {places}",
        "`{grade}` is not a level of the scale (did you mean `{close}`?): {levels}" =>
            "`{grade}` n'est pas un niveau de l'échelle (vouliez-vous dire `{close}` ?) : {levels}",
        "`{grade}` is not a level of the scale: {levels}" =>
            "`{grade}` n'est pas un niveau de l'échelle : {levels}",
        "`{grade}` is not a number; the scale goes from {min} to {max}" =>
            "`{grade}` n'est pas un nombre ; l'échelle va de {min} à {max}",
        "{grade} is outside the scale's range {min} .. {max}" =>
            "{grade} est hors de l'intervalle {min} .. {max} de l'échelle",
        "{grade} is not on a step of {step} from {min}" =>
            "{grade} ne tombe pas sur un pas de {step} à partir de {min}",
        // end of eval

        // interop: imports and exports (interop/src).
        "cannot read it: it is a directory" => "impossible de le lire : c'est un dossier",
        "cannot read it: it is not a regular file (a device, a FIFO or a socket)" =>
            "impossible de le lire : ce n'est pas un fichier ordinaire (un périphérique, un tube ou une socket)",
        "the file is larger than the {max} MiB read of it" =>
            "le fichier dépasse les {max} Mio qui en sont lus",
        "not a readable zip archive: {reason}" => "ce n'est pas une archive zip lisible : {reason}",
        "the zip archive holds no .xml file" => "l'archive zip ne contient aucun fichier .xml",
        "not a valid JSON document: {reason}" => "ce n'est pas un document JSON valide : {reason}",
        "the file exists; give --force to replace it" =>
            "le fichier existe ; donnez --force pour le remplacer",
        "`{given}` is not a fiche number: give `RNCP39583`, `39583` or `RS5841`" =>
            "`{given}` n'est pas un numéro de fiche : donnez `RNCP39583`, `39583` ou `RS5841`",
        "cannot write the list: {reason}" => "impossible d'écrire la liste : {reason}",
        "cannot write the package: {reason}" => "impossible d'écrire le paquet : {reason}",
        "the imported referential would not parse (a bug): {reason}" =>
            "le référentiel importé ne serait pas lisible (une anomalie) : {reason}",
        "an RNCP export is an .xml file or a zip of one; a CASE package is a .json file" =>
            "un export RNCP est un fichier .xml ou un zip qui en contient un ; un paquet CASE est un fichier .json",
        "give the XML export of France Compétences (FICHES, VERSION_FLUX 4.1), or the zip it comes in" =>
            "donnez l'export XML de France Compétences (FICHES, VERSION_FLUX 4.1), ou le zip qui le contient",
        "list the fiches of the export with `acquis import rncp EXPORT --list`" =>
            "listez les fiches de l'export avec `acquis import rncp EXPORT --list`",
        "imports read within fixed budgets (docs/interop.md, \"Limits\"): a real export or package stays far below them" =>
            "les imports lisent dans des limites fixes (docs/interop.md, « Limits ») : un export ou un paquet réel reste bien en deçà",
        "give a CASE 1.1 CFPackage: the JSON of one framework, with its CFDocument, CFItems and CFAssociations" =>
            "donnez un CFPackage CASE 1.1 : le JSON d'un référentiel, avec son CFDocument, ses CFItems et ses CFAssociations",
        "give another directory with -o, or --force to replace the file" =>
            "donnez un autre dossier avec -o, ou --force pour remplacer le fichier",
        "this is a bug of acquis: please report it with the input file" =>
            "c'est une anomalie d'acquis : signalez-la avec le fichier d'entrée",
        "fiche `{wanted}` is not in the export ({seen} fiche{seen:s})" =>
            "la fiche `{wanted}` n'est pas dans l'export ({seen} fiche{seen:s})",
        "fiche `{wanted}` is not in the export ({seen} fiche{seen:s}); closest numbers: {closest}" =>
            "la fiche `{wanted}` n'est pas dans l'export ({seen} fiche{seen:s}) ; numéros les plus proches : {closest}",
        "the zip entry inflates to more than {ratio} times its {compressed} bytes (at least {floor} MiB, at most {most} MiB are read): a zip bomb, not an export" =>
            "l'entrée du zip se décompresse en plus de {ratio} fois ses {compressed} octets (au moins {floor} Mio, au plus {most} Mio sont lus) : une bombe de décompression, pas un export",
        "more than {max} MiB without a fiche closing: no fiche is that large" =>
            "plus de {max} Mio sans qu'une fiche se ferme : aucune fiche n'est si grande",
        "a field's text is longer than {max} MiB: no field of a fiche is that long" =>
            "le texte d'un champ dépasse {max} Mio : aucun champ d'une fiche n'est si long",
        "elements are nested more than {depth} deep: no export is" =>
            "des éléments sont imbriqués sur plus de {depth} niveaux : aucun export ne l'est",
        "malformed XML: {reason}" => "XML mal formé : {reason}",
        "text is not UTF-8: {reason}" => "le texte n'est pas de l'UTF-8 : {reason}",
        "the export is declared in {declared}; only UTF-8 exports are read: convert it first (iconv -f {declared} -t UTF-8)" =>
            "l'export est déclaré en {declared} ; seuls les exports UTF-8 sont lus : convertissez-le d'abord (iconv -f {declared} -t UTF-8)",
        "not an RNCP export: the root element is <{root}>, not <FICHES>" =>
            "ce n'est pas un export RNCP : l'élément racine est <{root}>, pas <FICHES>",
        "not an RNCP export: no <FICHES> element" =>
            "ce n'est pas un export RNCP : aucun élément <FICHES>",
        "no <VERSION_FLUX> before the first <FICHE>: version {version} expected" =>
            "aucun <VERSION_FLUX> avant la première <FICHE> : version {version} attendue",
        "export version {found} is not supported: this reader knows version {version} (FICHES/VERSION_FLUX)" =>
            "la version d'export {found} n'est pas prise en charge : ce lecteur connaît la version {version} (FICHES/VERSION_FLUX)",
        "the file ends before <{open}> is closed: the export is truncated" =>
            "le fichier se termine avant la fermeture de <{open}> : l'export est tronqué",
        "the fiche has no NUMERO_FICHE" => "la fiche n'a pas de NUMERO_FICHE",
        "fiche `{fiche}` has neither BLOC_COMPETENCES nor CAPACITES_ATTESTEES" => "la fiche `{fiche}` n'a ni BLOC_COMPETENCES ni CAPACITES_ATTESTEES",
        "this BLOC_COMPETENCES has no CODE" => "ce BLOC_COMPETENCES n'a pas de CODE",
        "bloc code `{code}` is used twice (first at line {first})" =>
            "le code de bloc `{code}` est employé deux fois (d'abord à la ligne {first})",
        "bloc `{bloc}`: competency code `{code}` appears twice in LISTE_COMPETENCES" =>
            "bloc `{bloc}` : le code de compétence `{code}` apparaît deux fois dans LISTE_COMPETENCES",
        "bloc `{bloc}` lists no competency (LISTE_COMPETENCES is empty)" =>
            "le bloc `{bloc}` ne liste aucune compétence (LISTE_COMPETENCES est vide)",
        "a list" => "une liste",
        "a list of scales" => "une liste d'échelles",
        "it holds a line break or a control character" =>
            "elle contient un saut de ligne ou un caractère de contrôle",
        "it holds a comment" => "elle contient un commentaire",
        "it is more than a rule" => "c'est plus qu'une règle",
        "`CFDocument` is missing: this is not a CASE CFPackage" =>
            "`CFDocument` manque : ce n'est pas un CFPackage CASE",
        "`CFDocument.caseVersion` is {found}; CASE 1.1 and 1.0 packages are read" =>
            "`CFDocument.caseVersion` vaut {found} ; les paquets CASE 1.1 et 1.0 sont lus",
        "`extensions.acquis.version` is {found}; this acquis reads version {version}" =>
            "`extensions.acquis.version` vaut {found} ; cet acquis lit la version {version}",
        "`extensions.acquis.version` is missing; this acquis reads version {version}" =>
            "`extensions.acquis.version` manque ; cet acquis lit la version {version}",
        "`{path}` is missing" => "`{path}` manque",
        "`{path}` must be {expected}, not {found}" => "`{path}` doit être {expected}, pas {found}",
        "`{path}` must be {expected}" => "`{path}` doit être {expected}",
        "`CFItems[{first}]` and `CFItems[{second}]` have the same identifier `{identifier}`" =>
            "`CFItems[{first}]` et `CFItems[{second}]` ont le même identifiant `{identifier}`",
        "`CFItems[{first}]` and `CFItems[{second}]` have the same code `{code}`" =>
            "`CFItems[{first}]` et `CFItems[{second}]` ont le même code `{code}`",
        "`CFAssociations[{index}]` has no origin or destination identifier" =>
            "`CFAssociations[{index}]` n'a pas d'identifiant d'origine ou de destination",
        "`CFAssociations[{index}]`: `{identifier}` is its own parent (isChildOf)" =>
            "`CFAssociations[{index}]` : `{identifier}` est son propre parent (isChildOf)",
        "the isChildOf associations form a cycle (each item the child of the next): {items}" =>
            "les associations isChildOf forment une boucle (chaque élément enfant du suivant) : {items}",
        "`{path}` is not one rule expression ({why}): {text}" =>
            "`{path}` n'est pas une expression de règle unique ({why}) : {text}",
        "`{path}` is not an identifier: {text}" => "`{path}` n'est pas un identifiant : {text}",
        "`{path}` is not a level or a number: {text}" =>
            "`{path}` n'est ni un niveau ni un nombre : {text}",
        "`{path}` is not a number, a fraction or a duration: {text}" =>
            "`{path}` n'est ni un nombre, ni une fraction, ni une durée : {text}",
        "the package has no CFItems to make blocks of" =>
            "le paquet n'a pas de CFItems dont faire des blocs",
        "the package cannot be read (a bug): {reason}" =>
            "le paquet ne peut pas être lu (une anomalie) : {reason}",
        "it compares grades; Moodle reads only whether a child is proficient" =>
            "elle compare des notes ; Moodle ne lit que si un enfant est maîtrisé",
        "it computes with marks (an average, a sum, a comparison); Moodle rules cannot" =>
            "elle calcule avec des notes (une moyenne, une somme, une comparaison) ; les règles de Moodle ne le peuvent pas",
        "it counts in two sets; a Moodle points rule counts one" =>
            "elle compte dans deux ensembles ; une règle à points de Moodle en compte un",
        "it compares a count with {value}, which is not a whole number of children" =>
            "elle compare un décompte à {value}, qui n'est pas un nombre entier d'enfants",
        "it bounds a count with `{symbol}`; a Moodle points rule only sets a minimum" =>
            "elle borne un décompte avec `{symbol}` ; une règle à points de Moodle ne fixe qu'un minimum",
        "Moodle rules have no `{keyword}`" => "les règles de Moodle n'ont pas de `{keyword}`",
        "it is a constant; Moodle rules read children" =>
            "c'est une constante ; les règles de Moodle lisent des enfants",
        "it reads `{id}`, which is not a child of it in Moodle's tree" =>
            "elle lit `{id}`, qui n'est pas un de ses enfants dans l'arbre de Moodle",
        "Moodle needs at least one point to complete a competency" =>
            "Moodle demande au moins un point pour achever une compétence",
        "it asks for {points} children of {children}; Moodle refuses a points rule that cannot be met" =>
            "elle demande {points} enfants sur {children} ; Moodle refuse une règle à points impossible à remplir",
        "a nested conjunction (a bug)" => "une conjonction imbriquée (une anomalie)",
        "`{id}` has no row (a bug)" => "`{id}` n'a pas de ligne (une anomalie)",
        "fiche `{number}` appears twice in the export (first at line {first})" =>
            "la fiche `{number}` apparaît deux fois dans l'export (d'abord à la ligne {first})",
        "fiche `{number}` appears twice in the export; the first one (line {first}) is imported" =>
            "la fiche `{number}` apparaît deux fois dans l'export ; la première (ligne {first}) est importée",
        "`{text}` ({key}) is not a date dd/mm/yyyy: kept as written" =>
            "`{text}` ({key}) n'est pas une date jj/mm/aaaa : gardée telle qu'écrite",
        "its origin `{id}` is not an item of the package" =>
            "son origine `{id}` n'est pas un élément du paquet",
        "its destination `{id}` is not an item of the package" =>
            "sa destination `{id}` n'est pas un élément du paquet",
        "{item} already has a parent" => "{item} a déjà un parent",
        "`CFAssociations[{index}]` is ignored: {why}" =>
            "`CFAssociations[{index}]` est ignorée : {why}",
        "`meta last_change \"{text}\"` is not a date (YYYY-MM-DD) or an RFC 3339 date-time: lastChangeDateTime is {epoch}" =>
            "`meta last_change \"{text}\"` n'est ni une date (AAAA-MM-JJ) ni une date-heure RFC 3339 : lastChangeDateTime vaut {epoch}",
        "the scale `{scale}` has {values} values, more than the {most} a Moodle scale is listed with: it is exported as two values, `{below}` and `{from}`" =>
            "l'échelle `{scale}` a {values} valeurs, plus que les {most} avec lesquelles une échelle Moodle est listée : elle est exportée en deux valeurs, `{below}` et `{from}`",
        "the rule of `{entity}` (`{rule}`) is not exported: {why}" =>
            "la règle de `{entity}` (`{rule}`) n'est pas exportée : {why}",
        "the title of `{entity}` has {length} characters, more than the {most} of a Moodle short name: the short name is cut at a word and ends with `…`, and the whole title opens the description" =>
            "le titre de `{entity}` a {length} caractères, plus que les {most} d'un nom abrégé Moodle : le nom abrégé est coupé à un mot et se termine par `…`, et le titre entier ouvre la description",
        "CASE 1.0 has no `extensions`: the rules, scales, assessments and block texts are not in the package, and importing it gives a skeleton to complete" =>
            "CASE 1.0 n'a pas d'`extensions` : les règles, échelles, épreuves et textes des blocs ne sont pas dans le paquet, et l'importer donne un squelette à compléter",
        "the package's language is `{language}`, neither French nor English: the referential is written `lang fr` (its placeholders and documents in French), its texts as the package gives them, and `acquis export case` gives the package and its items `{language}` again" =>
            "la langue du paquet est `{language}`, ni le français ni l'anglais : le référentiel est écrit `lang fr` (ses textes provisoires et ses documents en français), ses textes tels que le paquet les donne, et `acquis export case` redonne `{language}` au paquet et à ses éléments",
        "the package gives no language, on the document nor on its items: the referential is written `lang fr`; write `lang en` if its texts are English" =>
            "le paquet ne donne de langue ni sur le document ni sur ses éléments : le référentiel est écrit `lang fr` ; écrivez `lang en` si ses textes sont en anglais",
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
        "{n} fiche{n:s} read…" => "{n} fiche{n:s} lue{n:s}…",
        "compiled {path} ({files} file{files:s}) in {ms} ms: {summary}" =>
            "{path} compilé ({files} fichier{files:s}) en {ms} ms : {summary}",
        "checked {path} ({files} file{files:s}) in {ms} ms" => "{path} vérifié ({files} fichier{files:s}) en {ms} ms",
        "evaluated {n} candidate{n:s} from {path} in {seconds} s" =>
            "{n} candidat{n:s} de {path} évalué{n:s} en {seconds} s",
        "laying out the PDF…" => "mise en page du PDF…",
        // end of command line
        _ => return None,
    })
}

/// Words of English sentences that no French sentence of ours holds: the
/// maintained list the tests look for in every French template and in
/// every French run of the command line (`tests/cli/french.rs`).
pub const ENGLISH_WORDS: &[&str] = &[
    "the",
    "is",
    "are",
    "not",
    "with",
    "cannot",
    "error",
    "errors",
    "warning",
    "warnings",
    "help",
    "unknown",
    "expected",
    "found",
    "checked",
    "wrote",
    "file",
    "files",
    "line",
    "column",
    "candidates",
    "candidate",
    "validated",
    "pending",
    "failed",
    "because",
    "should",
    "must",
    "write",
    "give",
    "missing",
    "defined",
    "twice",
    "here",
    "also",
    "and",
    "or",
    "of",
    "no",
    "one",
    "which",
    "this",
    "that",
    "has",
    "have",
    "but",
    "reformatted",
    "passed",
    "example",
    "examples",
    "average",
    "least",
    "all",
    "none",
    "rule",
    "scale",
    "level",
    "criterion",
    "competency",
    "block",
    "assessment",
    "set",
    "members",
    "use",
    "add",
    "remove",
    "every",
    "each",
    "read",
    "cannot",
];

/// The words of [`ENGLISH_WORDS`] in `text` outside `` `code` `` (ids,
/// keywords and paths are the user's and the language's), lower case, in
/// order.
pub fn english_words(text: &str) -> Vec<String> {
    let mut prose = String::new();
    let mut in_code = false;
    for c in text.chars() {
        if c == '`' {
            in_code = !in_code;
            prose.push(' ');
        } else if !in_code {
            prose.push(c);
        }
    }
    prose
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .map(str::to_lowercase)
        .filter(|w| ENGLISH_WORDS.contains(&w.as_str()))
        .collect()
}
