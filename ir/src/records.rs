//! Candidate records in the IR: what a record may hold besides this
//! session's grades (docs/language.md, "Candidate records"), and the
//! session dates facts are dated with.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::types::{CmpOp, OutcomeIr, SpanIr, ValueIr};

/// What a referential says of candidate records: equivalences,
/// dispensations, how long earlier results stay usable, and what a jury
/// may decide. Empty (and left out of the IR) for most referentials.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RecordsIr {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equivalences: Vec<EquivalenceIr>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dispensations: Vec<DispensationIr>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keep: Vec<KeepIr>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jury: Vec<JuryIr>,
}

impl RecordsIr {
    pub fn is_empty(&self) -> bool {
        self.equivalences.is_empty()
            && self.dispensations.is_empty()
            && self.keep.is_empty()
            && self.jury.is_empty()
    }

    /// The `keep` statement that applies to an entity (the last one that
    /// names it), if any.
    pub fn keep_of(&self, id: &str) -> Option<&KeepIr> {
        self.keep
            .iter()
            .rev()
            .find(|k| k.members.iter().any(|m| m == id))
    }

    /// The `jury` statement that names an entity (`must` wins over `may`).
    pub fn jury_of(&self, id: &str) -> Option<&JuryIr> {
        let mut found: Option<&JuryIr> = None;
        for j in &self.jury {
            if j.members.iter().any(|m| m == id) && found.is_none_or(|f| !f.required) {
                found = Some(j);
            }
        }
        found
    }
}

/// A held certification that grants members: they are validated for a
/// candidate who holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EquivalenceIr {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rncp: Option<String>,
    /// Blocks, competencies or assessments with a rule.
    pub grants: Vec<String>,
    pub docs: Vec<String>,
    pub span: SpanIr,
}

/// What a dispensation does to the members it dispenses from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DispensationEffect {
    /// Left out of every set and average (an average is then taken over
    /// the remaining coefficients); a rule naming it alone is satisfied.
    Excluded,
    /// Counted as validated (acquired).
    Validated,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DispensationIr {
    pub id: String,
    pub title: String,
    /// The members dispensed from; for an assessment, its parts too.
    pub dispenses: Vec<String>,
    pub effect: DispensationEffect,
    pub docs: Vec<String>,
    pub span: SpanIr,
}

/// `keep … for 5 years when mark >= 10`: how long a mark or an outcome
/// obtained in an earlier session stays usable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeepIr {
    /// Every entity it applies to (sets such as `blocks` expanded).
    pub members: Vec<String>,
    /// How many months after the session it was obtained in; `None`:
    /// forever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<u32>,
    /// For marks: the condition a mark must meet to be kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<KeepCondition>,
    pub span: SpanIr,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeepCondition {
    pub cmp: CmpOp,
    pub value: ValueIr,
}

/// `jury may decide …` / `jury must decide …`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JuryIr {
    pub members: Vec<String>,
    /// `must`: without a decision, the member stays pending.
    pub required: bool,
    pub span: SpanIr,
}

/// A result of an earlier session in an example's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarlierIr {
    pub id: String,
    #[serde(flatten)]
    pub value: EarlierValue,
    pub session: Session,
}

/// A mark (or level) of a criterion, or an outcome of another entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EarlierValue {
    Mark(ValueIr),
    Outcome(OutcomeIr),
}

/// A jury decision in an example's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionIr {
    pub id: String,
    pub outcome: OutcomeIr,
    pub author: String,
    pub date: Session,
    pub justification: String,
}

/// A session or a date: `2026-06` or `2026-06-15`. Ordered by time; a
/// month without a day is its first day for comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Session {
    pub year: u16,
    pub month: u8,
    /// 0 when only the month is given.
    pub day: u8,
}

/// Why a text is not a session date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadSession(pub String);

impl fmt::Display for BadSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a date: write the year and the month (`2026-06`) or the whole date (`2026-06-15`)",
            self.0
        )
    }
}

impl std::error::Error for BadSession {}

impl Session {
    /// Reads `YYYY-MM` or `YYYY-MM-DD` (surrounding blanks ignored).
    pub fn parse(text: &str) -> Result<Session, BadSession> {
        let bad = || BadSession(text.trim().to_string());
        let t = text.trim();
        let mut parts = t.split('-');
        let year = parts.next().ok_or_else(bad)?;
        let month = parts.next().ok_or_else(bad)?;
        let day = parts.next();
        if parts.next().is_some()
            || year.len() != 4
            || month.len() != 2
            || day.is_some_and(|d| d.len() != 2)
            || !t.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        {
            return Err(bad());
        }
        let year: u16 = year.parse().map_err(|_| bad())?;
        let month: u8 = month.parse().map_err(|_| bad())?;
        let day: u8 = match day {
            Some(d) => d.parse().map_err(|_| bad())?,
            None => 0,
        };
        if !(1..=12).contains(&month) || year == 0 {
            return Err(bad());
        }
        if (day != 0 && day > days_in(year, month)) || (t.len() == 10 && day == 0) {
            return Err(bad());
        }
        Ok(Session { year, month, day })
    }

    /// The months since year 0, for validity periods.
    fn months(self) -> u32 {
        u32::from(self.year) * 12 + u32::from(self.month) - 1
    }

    /// Whether a result obtained in `self` is still usable in `session`,
    /// kept `months` months (`None`: forever): usable up to the same month
    /// (and day, when both have one) `months` months later, included.
    pub fn usable_in(self, session: Session, months: Option<u32>) -> bool {
        let Some(months) = months else { return true };
        let end = self.months().saturating_add(months);
        let now = session.months();
        now < end || (now == end && (self.day == 0 || session.day == 0 || session.day <= self.day))
    }

    /// The last session a result obtained in `self` can be used in, kept
    /// `months` months: `None` when it never expires.
    pub fn expires(self, months: Option<u32>) -> Option<Session> {
        let m = self.months().checked_add(months?)?;
        let year = u16::try_from(m / 12).ok()?;
        let month = u8::try_from(m % 12 + 1).ok()?;
        Some(Session {
            year,
            month,
            day: self.day.min(days_in(year, month)),
        })
    }
}

fn days_in(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.day == 0 {
            write!(f, "{:04}-{:02}", self.year, self.month)
        } else {
            write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
        }
    }
}

impl Serialize for Session {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Session {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Session::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests may panic")]
mod tests {
    use super::*;

    fn s(t: &str) -> Session {
        Session::parse(t).unwrap()
    }

    #[test]
    fn parses_months_and_days() {
        assert_eq!(s("2026-06").to_string(), "2026-06");
        assert_eq!(s(" 2026-06-15 ").to_string(), "2026-06-15");
        for bad in [
            "2026",
            "2026-13",
            "2026-00",
            "26-06",
            "2026-6",
            "2026-02-30",
            "2026-06-00",
            "x",
            "",
            "2026-06-15-1",
            "+026-06",
        ] {
            assert!(Session::parse(bad).is_err(), "{bad}");
        }
        assert!(Session::parse("2024-02-29").is_ok());
        assert!(Session::parse("2023-02-29").is_err());
    }

    #[test]
    fn validity_is_inclusive_of_the_last_month() {
        let got = s("2021-06");
        assert!(got.usable_in(s("2026-06"), Some(60)));
        assert!(!got.usable_in(s("2026-07"), Some(60)));
        assert!(got.usable_in(s("2099-01"), None));
        assert_eq!(got.expires(Some(60)), Some(s("2026-06")));
        let day = s("2021-07-05");
        assert!(day.usable_in(s("2026-07-05"), Some(60)));
        assert!(!day.usable_in(s("2026-07-06"), Some(60)));
        assert!(s("2020-01").usable_in(s("2020-01"), Some(0)));
        assert_eq!(s("2024-01-31").expires(Some(1)), Some(s("2024-02-29")));
    }

    #[test]
    fn orders_by_time() {
        assert!(s("2024-06") < s("2024-06-01"));
        assert!(s("2024-06-30") < s("2024-07"));
    }
}
