//! The stable diagnostic codes. A code never changes meaning once
//! released; docs/diagnostics.md explains each, with a failing example and
//! its fix (a test checks that every code is documented there).

use serde::{Serialize, Serializer};

use crate::diagnostic::Severity;

macro_rules! codes {
    (
        referential { $($variant:ident = $code:literal, $severity:ident, $title:literal;)* }
        grade_files { $($gvariant:ident = $gcode:literal, $gseverity:ident, $gtitle:literal;)* }
        interop { $($ivariant:ident = $icode:literal, $iseverity:ident, $ititle:literal;)* }
    ) => {
        /// A diagnostic code such as `A0201`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($variant,)*
            $($gvariant,)*
            $($ivariant,)*
        }

        impl Code {
            /// The codes of a referential's diagnostics (files, syntax,
            /// names, scales, rules, structure, examples): what the
            /// compiler reports. Each has a failing referential in
            /// `compiler/tests/diagnostics/`.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The codes of problems in grade files and of evaluation runs
            /// (`acquis eval`, `acquis explain`), the `A07xx` range: no
            /// referential can fail with them, so they are not in
            /// [`Code::ALL`]; `eval/tests/api/grade_problems.rs` has their failing inputs.
            pub const GRADE_FILES: &'static [Code] = &[$(Code::$gvariant,)*];

            /// The codes of imports and exports (`acquis import`, `acquis
            /// export`), the `A08xx` range: problems of an RNCP export or a
            /// CASE package, of the files written, and what an export leaves
            /// out; `interop/tests/api/diagnostics.rs` has their failing inputs.
            pub const INTEROP: &'static [Code] = &[$(Code::$ivariant,)*];

            /// Every code: [`Code::ALL`], [`Code::GRADE_FILES`], then
            /// [`Code::INTEROP`].
            pub fn every() -> impl Iterator<Item = Code> {
                Code::ALL
                    .iter()
                    .chain(Code::GRADE_FILES)
                    .chain(Code::INTEROP)
                    .copied()
            }

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                    $(Code::$gvariant => $gcode,)*
                    $(Code::$ivariant => $icode,)*
                }
            }

            /// A few words naming the problem, used as the docs heading.
            pub fn title(self) -> &'static str {
                match self {
                    $(Code::$variant => $title,)*
                    $(Code::$gvariant => $gtitle,)*
                    $(Code::$ivariant => $ititle,)*
                }
            }

            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                    $(Code::$gvariant => Severity::$gseverity,)*
                    $(Code::$ivariant => Severity::$iseverity,)*
                }
            }
        }
    };
}

codes! {
    referential {
        // Files and imports
        FileUnreadable = "A0001", Error, "file cannot be read";
        FileNotUtf8 = "A0002", Error, "file is not UTF-8";
        FileEmpty = "A0003", Error, "file is empty";
        FileTooLarge = "A0004", Error, "file is too large";
        ImportCycle = "A0005", Error, "import cycle";
        UnknownStdItem = "A0006", Error, "unknown standard library item";
        // Syntax
        Syntax = "A0101", Error, "syntax error";
        TooDeep = "A0102", Error, "rule nested too deeply";
        // Names
        DuplicateId = "A0201", Error, "duplicate id";
        UnknownReference = "A0202", Error, "unknown reference";
        UnknownScale = "A0203", Error, "unknown scale";
        UnknownRule = "A0204", Error, "unknown named rule";
        WrongArgumentCount = "A0205", Error, "wrong number of arguments";
        RecursiveRule = "A0206", Error, "named rule calls itself";
        MissingHeader = "A0207", Error, "missing or repeated referential header";
        MissingCertification = "A0208", Error, "missing or repeated certification rule";
        MisplacedItem = "A0209", Error, "item in the wrong file";
        // Scales and values
        UnknownLevel = "A0301", Error, "level not in the scale";
        OutOfRange = "A0302", Error, "number outside the scale's range";
        ValueKindMismatch = "A0303", Error, "level where a number is needed, or the reverse";
        MixedScales = "A0304", Error, "aggregate over mixed scales";
        NonNumericAggregate = "A0305", Error, "numeric aggregate over a level scale";
        InvalidScale = "A0306", Error, "invalid scale";
        InvalidWeight = "A0307", Error, "weight not positive";
        ConflictingAbsence = "A0308", Error, "assessments say different things of absence";
        AbsenceNotFailing = "A0309", Error, "absence cannot count as not acquired";
        AmbiguousLabel = "A0310", Error, "level label that reads as another level";
        // Rules
        CountTooLarge = "A0401", Error, "count larger than the set";
        WrongSetSize = "A0402", Error, "set of the wrong size";
        EmptySet = "A0403", Error, "empty set";
        RuleCycle = "A0404", Error, "cycle between rules";
        NoRule = "A0405", Error, "entity with no rule and no default";
        ConstantRule = "A0406", Warning, "rule always true or always false";
        WrongPredicate = "A0407", Error, "predicate does not apply to the member";
        SetNotInScope = "A0408", Error, "set not available in this rule";
        NotAMember = "A0409", Error, "`except` names a member not in the set";
        NoOutcome = "A0410", Error, "entity without an outcome used in a rule";
        CostlyExactness = "A0411", Warning, "pending cannot always be decided exactly";
        BadDecimals = "A0412", Error, "rounding to a number of decimals other than 0 to 6";
        NumberTooLarge = "A0413", Error, "number too large to be computed exactly";
        DivisorCanBeZero = "A0414", Warning, "divisor can be 0";
        // Structure
        UncoveredCompetency = "A0501", Warning, "competency not covered by any assessment";
        UnreadCriterion = "A0502", Warning, "criterion read by no rule";
        NoInfluence = "A0503", Warning, "entity cannot influence the certification";
        JointlyNotCovered = "A0504", Error, "shared criteria for a competency the assessment does not cover";
        NoCriteria = "A0505", Error, "competency without criteria";
        CoverOutsideBlock = "A0506", Error, "assessment covers a competency of another block";
        PartsWithoutRule = "A0507", Warning, "assessment with parts that nothing reads";
        // Examples
        BadOutcome = "A0601", Error, "outcome word does not fit the entity";
        DuplicateGrade = "A0602", Error, "criterion graded twice in an example";
        ExampleAbsentWithoutRule = "A0603", Error, "absent in an example, but no absence rule";
        // Candidate records
        OverlappingGrants = "A0901", Warning, "a grant repeats what it already grants";
        DispensationWithoutEffect = "A0902", Error, "dispensation without an effect";
        ValidatedMark = "A0903", Error, "a mark cannot be counted as validated";
        ImpossibleDispensation = "A0904", Error, "dispensation makes a rule impossible";
        KeepConditionWithoutMark = "A0905", Error, "condition on a mark for an entity without one";
        BadDate = "A0906", Error, "not a date";
        DecisionNotAllowed = "A0907", Error, "jury decision the referential does not allow";
    }
    grade_files {
        // Grade files and evaluation runs
        GradesUnreadable = "A0701", Error, "grades file cannot be read";
        GradesEmpty = "A0702", Error, "grades file is empty";
        GradesHeader = "A0703", Error, "header of the grades file not understood";
        GradesNotUtf8 = "A0704", Error, "grades file is not UTF-8";
        MalformedRow = "A0705", Error, "malformed row or line";
        CandidateRepeated = "A0706", Error, "candidate appears in two places";
        UnknownCriterion = "A0707", Error, "unknown criterion in the grades";
        GradeNotOnScale = "A0708", Error, "grade not on the criterion's scale";
        ConflictingGrades = "A0709", Error, "two different grades for one criterion";
        UnknownCandidate = "A0710", Error, "candidate not in the grades file";
        ResultsUnwritable = "A0711", Error, "results cannot be written";
        AbsentWithoutRule = "A0712", Error, "absent grade, but the referential says nothing of absence";
        // Candidate records (`--history`)
        UnknownRecordEntry = "A0713", Error, "unknown entity, equivalence or dispensation in a record";
        RecordBadDate = "A0714", Error, "malformed date in a record";
        FactNotAllowed = "A0715", Error, "fact the referential does not allow";
        ConflictingFacts = "A0716", Error, "conflicting decisions or results";
        FactNotUsable = "A0717", Warning, "earlier result not usable";
        SessionNeeded = "A0718", Error, "history without a session";
    }
    interop {
        // Imports and exports: errors
        ImportUnreadable = "A0801", Error, "file to import cannot be read";
        NotAFicheNumber = "A0802", Error, "not an RNCP fiche number";
        RncpUnreadable = "A0803", Error, "not an RNCP export this reader knows";
        RncpFicheDefect = "A0804", Error, "RNCP fiche cannot be imported";
        FicheNotFound = "A0805", Error, "fiche not in the RNCP export";
        CaseNotJson = "A0806", Error, "CASE package is not JSON";
        CaseNotPackage = "A0807", Error, "not a CASE 1.1 package this reader knows";
        CaseDefect = "A0808", Error, "CASE package cannot be imported";
        ImportExists = "A0809", Error, "import would replace a referential";
        InteropUnwritable = "A0810", Error, "import or export cannot be written";
        InteropBug = "A0811", Error, "import or export failed (a bug)";
        ImportOverLimit = "A0812", Error, "input to import over a reader's budget";
        // Imports and exports: warnings
        FicheTwice = "A0851", Warning, "fiche number twice in the RNCP export";
        RncpNotADate = "A0852", Warning, "RNCP date not written dd/mm/yyyy";
        AssociationIgnored = "A0853", Warning, "CASE association ignored";
        LastChangeNotADate = "A0854", Warning, "`meta last_change` is not a date";
        ScaleTooLargeForMoodle = "A0855", Warning, "scale too large for Moodle";
        RuleNotForMoodle = "A0856", Warning, "rule Moodle cannot express";
        ShortNameCutForMoodle = "A0857", Warning, "title too long for a Moodle short name";
        CaseExtensionsLeftOut = "A0858", Warning, "CASE 1.0 package without acquis's extensions";
        CaseLanguage = "A0859", Warning, "CASE package neither in French nor in English";
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::every() {
            let s = code.as_str();
            assert!(seen.insert(s), "{s} used twice");
            assert_eq!(s.len(), 5);
            assert!(s.starts_with('A') && s[1..].chars().all(|c| c.is_ascii_digit()));
        }
        // Grade-file codes are the A07xx range and only them; interop
        // codes the A08xx range, errors before warnings (A085x).
        for code in Code::every() {
            assert_eq!(
                code.as_str().starts_with("A07"),
                Code::GRADE_FILES.contains(&code),
                "{code}"
            );
            assert_eq!(
                code.as_str().starts_with("A08"),
                Code::INTEROP.contains(&code),
                "{code}"
            );
            if Code::INTEROP.contains(&code) {
                assert_eq!(
                    code.as_str().starts_with("A085"),
                    code.severity() == Severity::Warning,
                    "{code}"
                );
            }
        }
    }
}
