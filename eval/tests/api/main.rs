//! `acquis_eval` through its API, on IR compiled by `acquis_compiler`. One
//! test binary for the crate's API (fewer binaries to link), one module per
//! subject:
//!
//! - [`absent`]: absent candidates (`ABS`) under the referential's
//!   absence rules;
//! - [`batch`]: batch evaluation (64 candidates a word) against the plan
//!   and brute force, on random referentials and cohorts;
//! - [`properties`]: three-valued evaluation against brute force;
//! - [`grade_problems`]: bad grade files give typed problems (code, line,
//!   column, candidate) and one diagnostic each;
//! - [`exact`]: exact decisions against brute force over every completion;
//! - [`parts`]: assessments with marked parts and a rule of their own;
//! - [`records`]: candidate records (history files, equivalences,
//!   dispensations, jury decisions) and their properties;
//! - [`rounding`]: `round`, `floor`, `ceil` and two-number `max`/`min`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]

mod absent;
mod batch;
mod exact;
mod grade_problems;
mod parts;
mod properties;
mod records;
mod rounding;

/// A small deterministic generator (xorshift) for tests that draw many
/// cases without proptest's shrinking.
pub struct XorShift(pub u64);

impl XorShift {
    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}
