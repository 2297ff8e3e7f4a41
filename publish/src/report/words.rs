//! The words the results' pages and PDFs share (headings, column names,
//! labels), in one place so that the HTML page and the PDF of a candidate
//! say the same thing in the same words.

use acquis_ir::Lang;

macro_rules! words {
    ($($name:ident = $en:literal, $fr:literal;)*) => {
        /// A word of the results' pages.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Word {
            $($name,)*
        }

        impl Word {
            /// The word in the page's language.
            pub fn text(self, lang: Lang) -> &'static str {
                match self {
                    $(Word::$name => lang.t($en, $fr),)*
                }
            }
        }
    };
}

words! {
    AssessmentsAndAccommodations = "Assessments and accommodations", "Épreuves et aménagements";
    Because = "Because", "Motif";
    Block = "Block", "Bloc";
    Blocks = "Blocks", "Blocs";
    BlockResults = "Blocks", "Résultats par bloc";
    Candidate = "Candidate", "Candidat";
    Candidates = "Candidates", "Candidats";
    CertificationOutcomes = "Certification outcomes", "Résultats de la certification";
    Certification = "Certification", "Certification";
    CohortResults = "Cohort results", "Résultats de la cohorte";
    Column = "Column", "Colonne";
    CompetenciesOfBlock = "Competencies of block", "Compétences du bloc";
    Competencies = "Competencies", "Compétences";
    Competency = "Competency", "Compétence";
    Outcome = "Outcome", "Résultat";
    OutcomesPerBlock = "Outcomes per block", "Résultats par bloc";
    OutcomesPerCompetency = "Outcomes per competency", "Résultats par compétence";
    PersonalData = "Personal data", "Données personnelles";
    ProblemsInTheGrades = "Problems in the grades", "Erreurs dans les notes";
    Reason = "Reason", "Motif";
    ReasonAndWhatIsMissing = "Reason, and what is missing", "Motif, et ce qui manque";
    Referential = "Referential", "Référentiel";
    Value = "Value", "Valeur";
    Assesses = "assesses", "évalue";
    Error = "error", "erreur";
    Line = "line", "ligne";
    NoAccommodationStated = "no accommodation stated", "aucun aménagement prévu";
    Results = "results", "résultats";
}
