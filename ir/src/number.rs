//! Exact numbers for decisions: a rational `numerator / denominator` over
//! `i128`, always in lowest terms with a positive denominator. Every mark,
//! weight, threshold, sum and average a rule computes is one of these, so a
//! candidate at exactly the pass mark passes: `(0.1 × 10 + 0.2 × 10) / 0.3`
//! is exactly 10, where binary floating point gives 9.999999999999998.
//!
//! Why a rational over `i128` (not a decimal crate, not `f64`): averages
//! divide, so a decimal type would have to round (`20 / 3`), and a rule
//! compares that quotient with a threshold; a rational is exact for every
//! operation rules have (`+ - * /`, averages, weighted averages, min, max),
//! comparisons are exact (cross-multiplication), and the values of real
//! referentials (marks with a few decimals, weights, coefficients, sums of
//! thousands of marks) stay far inside `i128`. Every operation is checked:
//! an overflow is an [`Overflow`] error, never a wrong answer.

use std::cmp::Ordering;
use std::fmt;

/// An exact rational number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Exact {
    num: i128,
    den: i128,
}

/// An operation left the range of exact numbers (`i128` numerators and
/// denominators), or divided by zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

impl fmt::Display for Overflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number is too large to be computed exactly")
    }
}

impl std::error::Error for Overflow {}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    // Works on magnitudes; `i128::MIN` has none, callers avoid it.
    a = a.abs();
    b = b.abs();
    while b != 0 {
        let r = a % b;
        a = b;
        b = r;
    }
    a
}

impl Exact {
    pub const ZERO: Exact = Exact { num: 0, den: 1 };
    pub const ONE: Exact = Exact { num: 1, den: 1 };

    /// `num / den` in lowest terms.
    pub fn new(num: i128, den: i128) -> Result<Exact, Overflow> {
        if den == 0 || num == i128::MIN || den == i128::MIN {
            return Err(Overflow);
        }
        let g = gcd(num, den).max(1);
        let (mut num, mut den) = (num / g, den / g);
        if den < 0 {
            num = -num;
            den = -den;
        }
        Ok(Exact { num, den })
    }

    pub fn integer(n: i128) -> Exact {
        Exact { num: n, den: 1 }
    }

    pub fn numerator(self) -> i128 {
        self.num
    }

    pub fn denominator(self) -> i128 {
        self.den
    }

    pub fn is_integer(self) -> bool {
        self.den == 1
    }

    /// Reads a decimal as people write it: `12`, `-3.25`, `0,5` (French
    /// decimal comma), `1e3` is refused. `None` when it is not a decimal
    /// number or is too long to be exact.
    pub fn parse_decimal(text: &str) -> Option<Exact> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (whole, fraction) = match digits.split_once(['.', ',']) {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        if whole.is_empty() && fraction.is_empty() {
            return None;
        }
        if !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        // 10^38 < i128::MAX: at most 36 digits in all keeps room to spare.
        if whole.len() + fraction.len() > 36 {
            return None;
        }
        let mut num: i128 = 0;
        for b in whole.bytes().chain(fraction.bytes()) {
            num = num.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
        }
        let den = 10i128.checked_pow(u32::try_from(fraction.len()).ok()?)?;
        Exact::new(if negative { -num } else { num }, den).ok()
    }

    /// The exact value of a binary floating-point number as it was written
    /// in decimal: its shortest round-trip representation (`0.1` is read as
    /// 1/10, not as the double nearest to it). Not finite: `None`.
    pub fn from_f64_shortest(value: f64) -> Option<Exact> {
        if !value.is_finite() {
            return None;
        }
        // Rust prints the shortest representation that reads back the same
        // double, without an exponent for `{}`.
        Exact::parse_decimal(&format!("{value}"))
    }

    /// The nearest double, for pictures and statistics only (never a
    /// decision).
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    pub fn checked_add(self, other: Exact) -> Result<Exact, Overflow> {
        if self.den == other.den {
            return Exact::new(self.num.checked_add(other.num).ok_or(Overflow)?, self.den);
        }
        let g = gcd(self.den, other.den);
        let (a, b) = (self.den / g, other.den / g);
        let num = self
            .num
            .checked_mul(b)
            .and_then(|x| other.num.checked_mul(a).and_then(|y| x.checked_add(y)))
            .ok_or(Overflow)?;
        let den = self.den.checked_mul(b).ok_or(Overflow)?;
        Exact::new(num, den)
    }

    pub fn checked_neg(self) -> Result<Exact, Overflow> {
        Ok(Exact {
            num: self.num.checked_neg().ok_or(Overflow)?,
            den: self.den,
        })
    }

    pub fn checked_sub(self, other: Exact) -> Result<Exact, Overflow> {
        self.checked_add(other.checked_neg()?)
    }

    pub fn checked_mul(self, other: Exact) -> Result<Exact, Overflow> {
        // Cross-reduce first to keep the products small.
        let g1 = gcd(self.num, other.den).max(1);
        let g2 = gcd(other.num, self.den).max(1);
        let num = (self.num / g1)
            .checked_mul(other.num / g2)
            .ok_or(Overflow)?;
        let den = (self.den / g2)
            .checked_mul(other.den / g1)
            .ok_or(Overflow)?;
        Exact::new(num, den)
    }

    /// Division; by zero is an error.
    pub fn checked_div(self, other: Exact) -> Result<Exact, Overflow> {
        if other.num == 0 {
            return Err(Overflow);
        }
        self.checked_mul(Exact {
            num: other.den,
            den: other.num,
        })
        .and_then(|x| Exact::new(x.num, x.den))
    }

    /// Exact comparison. Cross-multiplication in `i128`; when that would
    /// overflow, the integer parts and then the remainders are compared,
    /// which never overflows.
    pub fn cmp_exact(self, other: Exact) -> Ordering {
        if let (Some(l), Some(r)) = (
            self.num.checked_mul(other.den),
            other.num.checked_mul(self.den),
        ) {
            return l.cmp(&r);
        }
        let (qa, ra) = (self.num.div_euclid(self.den), self.num.rem_euclid(self.den));
        let (qb, rb) = (
            other.num.div_euclid(other.den),
            other.num.rem_euclid(other.den),
        );
        match qa.cmp(&qb) {
            Ordering::Equal => {
                // ra/da vs rb/db with 0 <= r < d: compare db/rb vs da/ra.
                match (ra == 0, rb == 0) {
                    (true, true) => Ordering::Equal,
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => {
                        let a = Exact {
                            num: other.den,
                            den: rb,
                        };
                        let b = Exact {
                            num: self.den,
                            den: ra,
                        };
                        a.cmp_exact(b)
                    }
                }
            }
            other => other,
        }
    }

    pub fn min(self, other: Exact) -> Exact {
        if self.cmp_exact(other) == Ordering::Greater {
            other
        } else {
            self
        }
    }

    pub fn max(self, other: Exact) -> Exact {
        if self.cmp_exact(other) == Ordering::Less {
            other
        } else {
            self
        }
    }

    /// Rounded to `decimals` decimals, to the nearest, a half away from
    /// zero (`round` in rules): 9.995 → 10.00, −0.005 → −0.01, 2.5 → 3 at
    /// 0 decimals.
    pub fn round(self, decimals: u32) -> Result<Exact, Overflow> {
        if self.num >= 0 {
            self.floor_scaled(decimals, true)
        } else {
            self.checked_neg()?
                .floor_scaled(decimals, true)?
                .checked_neg()
        }
    }

    /// Rounded down to `decimals` decimals, toward −∞ (`floor` in rules):
    /// 9.999 → 9.99, −2.5 → −3 at 0 decimals.
    pub fn floor(self, decimals: u32) -> Result<Exact, Overflow> {
        self.floor_scaled(decimals, false)
    }

    /// Rounded up to `decimals` decimals, toward +∞ (`ceil` in rules):
    /// 9.991 → 10.00, −2.5 → −2 at 0 decimals.
    pub fn ceil(self, decimals: u32) -> Result<Exact, Overflow> {
        self.checked_neg()?
            .floor_scaled(decimals, false)?
            .checked_neg()
    }

    /// ⌊self × 10^decimals (+ ½ when `half`)⌋ / 10^decimals, computed from
    /// the integer part and the remainder so that only a result (or a
    /// denominator) near the limits of `i128` overflows.
    fn floor_scaled(self, decimals: u32, half: bool) -> Result<Exact, Overflow> {
        let scale = 10i128.checked_pow(decimals).ok_or(Overflow)?;
        let whole = self.num.div_euclid(self.den);
        // 0 <= rest < den
        let rest = self.num.rem_euclid(self.den);
        let scaled = rest.checked_mul(scale).ok_or(Overflow)?;
        let fraction = if half {
            // ⌊scaled / den + ½⌋ = ⌊(2 × scaled + den) / (2 × den)⌋
            let top = scaled
                .checked_mul(2)
                .and_then(|x| x.checked_add(self.den))
                .ok_or(Overflow)?;
            top / self.den.checked_mul(2).ok_or(Overflow)?
        } else {
            scaled / self.den
        };
        let num = whole
            .checked_mul(scale)
            .and_then(|w| w.checked_add(fraction))
            .ok_or(Overflow)?;
        Exact::new(num, scale)
    }

    /// The value with exactly `decimals` digits after the decimal point,
    /// rounded half away from zero (for display: « 10,00 »).
    pub fn to_decimal_string(self, decimals: u32, separator: char) -> String {
        let scale = 10i128.checked_pow(decimals).unwrap_or(1);
        let negative = self.num < 0;
        let magnitude = self.num.unsigned_abs();
        let den = self.den.unsigned_abs();
        // scaled = round(|num| * scale / den), half away from zero.
        let scaled = magnitude
            .checked_mul(scale.unsigned_abs())
            .map(|m| (m + den / 2) / den)
            .unwrap_or(magnitude / den);
        let scale = scale.unsigned_abs();
        let whole = scaled / scale;
        let fraction = scaled % scale;
        let sign = if negative && scaled != 0 { "-" } else { "" };
        if decimals == 0 {
            format!("{sign}{whole}")
        } else {
            format!(
                "{sign}{whole}{separator}{fraction:0width$}",
                width = decimals as usize
            )
        }
    }
}

/// A number of the IR as it was written: a finite decimal (`0.5`, `-3.25`,
/// `12`), exact. Serialised as a JSON **string** (`"0.5"`), so that no
/// reader of the IR, in any language, goes through binary floating point
/// to get it; displayed as written, without trailing zeros (`10`, `0.5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Decimal(Exact);

impl Decimal {
    pub const ZERO: Decimal = Decimal(Exact::ZERO);
    pub const ONE: Decimal = Decimal(Exact::ONE);

    /// A decimal as written (`0.5`; see [`Exact::parse_decimal`]).
    pub fn parse(text: &str) -> Option<Decimal> {
        Exact::parse_decimal(text).map(Decimal)
    }

    /// The decimal a binary number was written as: its shortest round-trip
    /// representation (`0.1`, not the double nearest to it).
    pub fn from_f64(value: f64) -> Option<Decimal> {
        Exact::from_f64_shortest(value).map(Decimal)
    }

    /// An exact number that is a finite decimal (its denominator divides a
    /// power of ten that fits); `None` for `1/3`.
    pub fn from_exact(x: Exact) -> Option<Decimal> {
        decimal_digits(x).map(|_| Decimal(x))
    }

    pub fn integer(n: i128) -> Decimal {
        Decimal(Exact::integer(n))
    }

    /// The exact value, for decisions.
    pub fn exact(self) -> Exact {
        self.0
    }

    /// The nearest double: positions on a scale, pictures, never a
    /// decision.
    pub fn to_f64(self) -> f64 {
        self.0.to_f64()
    }

    pub fn is_positive(self) -> bool {
        self.0 > Exact::ZERO
    }
}

/// The digits after the point of a finite decimal: the least `k` with
/// `den | 10^k`.
fn decimal_digits(x: Exact) -> Option<u32> {
    let mut scale: i128 = 1;
    for k in 0..=36u32 {
        if scale % x.den == 0 {
            return Some(k);
        }
        scale = scale.checked_mul(10)?;
    }
    None
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Exact { num, den } = self.0;
        // num/den = scaled/10^k exactly, as den divides 10^k.
        let written = decimal_digits(self.0).and_then(|k| {
            let factor = 10i128.checked_pow(k)? / den;
            Some((num.unsigned_abs().checked_mul(factor.unsigned_abs())?, k))
        });
        let Some((scaled, k)) = written else {
            // Not reachable through the constructors; shown as a fraction.
            return write!(f, "{num}/{den}");
        };
        let sign = if num < 0 { "-" } else { "" };
        if k == 0 {
            return write!(f, "{sign}{scaled}");
        }
        let unit = 10u128.pow(k);
        write!(
            f,
            "{sign}{}.{:0width$}",
            scaled / unit,
            scaled % unit,
            width = k as usize
        )
    }
}

impl serde::Serialize for Decimal {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Decimal {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let text = String::deserialize(d)?;
        if text.contains(',') {
            return Err(serde::de::Error::custom(format!(
                "{text:?} is not a decimal number: the IR writes a point (\"0.5\")"
            )));
        }
        Decimal::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{text:?} is not a decimal number (\"12\", \"-0.25\", at most 36 digits)"
            ))
        })
    }
}

impl PartialOrd for Exact {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Exact {
    fn cmp(&self, other: &Self) -> Ordering {
        self.cmp_exact(*other)
    }
}

/// The shortest exact decimal when there is one (`12.5`, `-3`), else
/// `num/den`.
impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A terminating decimal when the denominator is 2^a × 5^b; it then
        // needs max(a, b) decimals.
        let mut den = self.den;
        let (mut twos, mut fives) = (0u32, 0u32);
        while den % 2 == 0 {
            den /= 2;
            twos += 1;
        }
        while den % 5 == 0 {
            den /= 5;
            fives += 1;
        }
        if den == 1 {
            f.write_str(&self.to_decimal_string(twos.max(fives), '.'))
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimals_are_written_as_written() {
        for text in [
            "0",
            "10",
            "0.5",
            "-3.25",
            "0.05",
            "12.345",
            "-0.001",
            "123456789012345",
        ] {
            let d = Decimal::parse(text);
            assert_eq!(d.map(|d| d.to_string()).as_deref(), Some(text));
            assert_eq!(text.parse().ok().and_then(Decimal::from_f64), d);
        }
        // Trailing zeros are not kept: `1.50` is the number 1.5.
        assert_eq!(
            Decimal::parse("1.50").map(|d| d.to_string()).as_deref(),
            Some("1.5")
        );
        // A third is no decimal.
        assert_eq!(Exact::new(1, 3).ok().and_then(Decimal::from_exact), None);
        let tenth = Decimal::parse("0.1");
        assert_eq!(
            tenth
                .and_then(|d| serde_json::to_string(&d).ok())
                .as_deref(),
            Some("\"0.1\"")
        );
        let read = serde_json::from_str::<Decimal>("\"-2.5\"").ok();
        assert_eq!(read, Decimal::parse("-2.5"));
        assert!(serde_json::from_str::<Decimal>("2.5").is_err());
        assert!(serde_json::from_str::<Decimal>("\"2,5\"").is_err());
    }

    use super::*;

    fn d(text: &str) -> Exact {
        Exact::parse_decimal(text).unwrap_or(Exact::ZERO)
    }

    #[test]
    fn weighted_average_at_the_pass_mark_is_exact() {
        // (0.1 × 10 + 0.2 × 10) / (0.1 + 0.2) = 10 exactly.
        let (w1, w2, ten) = (d("0.1"), d("0.2"), d("10"));
        let sum = w1
            .checked_mul(ten)
            .and_then(|a| w2.checked_mul(ten).and_then(|b| a.checked_add(b)));
        let total = w1.checked_add(w2);
        let average = sum.and_then(|s| total.and_then(|t| s.checked_div(t)));
        assert_eq!(average, Ok(ten));
        assert_eq!(average.map(|a| a >= ten), Ok(true));
    }

    #[test]
    fn decimals_parse_with_a_point_or_a_comma() {
        assert_eq!(Exact::parse_decimal("12,5"), Exact::new(25, 2).ok());
        assert_eq!(Exact::parse_decimal("-0.25"), Exact::new(-1, 4).ok());
        assert_eq!(Exact::parse_decimal(" 7 "), Some(Exact::integer(7)));
        assert_eq!(Exact::parse_decimal(".5"), Exact::new(1, 2).ok());
        for bad in ["", "-", "1e3", "1.2.3", "abc", "NaN", "inf", "1 000"] {
            assert_eq!(Exact::parse_decimal(bad), None, "{bad}");
        }
        assert_eq!(Exact::from_f64_shortest(0.1), Exact::new(1, 10).ok());
        assert_eq!(Exact::from_f64_shortest(f64::NAN), None);
    }

    #[test]
    fn display_and_fixed_decimals() {
        assert_eq!(d("12.5").to_string(), "12.5");
        assert_eq!(d("-3").to_string(), "-3");
        assert_eq!(d("0.125").to_string(), "0.125");
        assert_eq!(Exact::new(1, 3).map(|x| x.to_string()), Ok("1/3".into()));
        assert_eq!(d("10").to_decimal_string(2, ','), "10,00");
        assert_eq!(
            Exact::new(2, 3).map(|x| x.to_decimal_string(2, '.')),
            Ok("0.67".into())
        );
        assert_eq!(d("-0.005").to_decimal_string(2, '.'), "-0.01");
        assert_eq!(d("-0.004").to_decimal_string(2, '.'), "0.00");
    }

    #[test]
    fn overflow_is_an_error_not_a_wrong_answer() {
        let big = Exact::integer(i128::MAX / 2 + 1);
        assert_eq!(big.checked_add(big), Err(Overflow));
        assert_eq!(big.checked_mul(Exact::integer(3)), Err(Overflow));
        assert_eq!(Exact::ONE.checked_div(Exact::ZERO), Err(Overflow));
        // Comparison never overflows.
        let a = Exact::new(i128::MAX - 1, i128::MAX - 2);
        let b = Exact::new(i128::MAX - 2, i128::MAX - 3);
        if let (Ok(a), Ok(b)) = (a, b) {
            assert_eq!(a.cmp(&b), Ordering::Less);
        }
    }

    #[test]
    fn rounding_at_decimals() {
        let at = |x: Exact, n: u32| (x.round(n), x.floor(n), x.ceil(n));
        // The average: 9.995 rounds to 10.00, floors to 9.99.
        assert_eq!(at(d("9.995"), 2), (Ok(d("10")), Ok(d("9.99")), Ok(d("10"))));
        // Halves go away from zero; floor toward −∞, ceil toward +∞.
        assert_eq!(at(d("2.5"), 0), (Ok(d("3")), Ok(d("2")), Ok(d("3"))));
        assert_eq!(at(d("-2.5"), 0), (Ok(d("-3")), Ok(d("-3")), Ok(d("-2"))));
        assert_eq!(
            at(d("-0.005"), 2),
            (Ok(d("-0.01")), Ok(d("-0.01")), Ok(d("0")))
        );
        assert_eq!(at(d("-0.004"), 2), (Ok(d("0")), Ok(d("-0.01")), Ok(d("0"))));
        // Fractions without a decimal form.
        let third = Exact::new(1, 3).unwrap_or(Exact::ZERO);
        let two_thirds = Exact::new(2, 3).unwrap_or(Exact::ZERO);
        assert_eq!(at(third, 2), (Ok(d("0.33")), Ok(d("0.33")), Ok(d("0.34"))));
        assert_eq!(
            at(two_thirds, 2),
            (Ok(d("0.67")), Ok(d("0.66")), Ok(d("0.67")))
        );
        assert_eq!(third.round(6), Ok(d("0.333333")));
        let minus_third = third.checked_neg().unwrap_or(Exact::ZERO);
        assert_eq!(
            at(minus_third, 1),
            (Ok(d("-0.3")), Ok(d("-0.4")), Ok(d("-0.3")))
        );
        // A number already at its decimals is unchanged.
        for x in ["12.5", "-7", "0", "20"] {
            assert_eq!(at(d(x), 1), (Ok(d(x)), Ok(d(x)), Ok(d(x))), "{x}");
        }
        assert_eq!(at(d("12.5"), 0), (Ok(d("13")), Ok(d("12")), Ok(d("13"))));
        // Too large to be exact: an error, never a wrong answer.
        let big = Exact::integer(i128::MAX / 10);
        assert_eq!(big.floor(2), Err(Overflow));
        assert_eq!(Exact::ONE.round(40), Err(Overflow));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn small() -> impl Strategy<Value = Exact> {
            (-10_000i128..10_000, 1i128..1_000)
                .prop_map(|(n, d)| Exact::new(n, d).unwrap_or(Exact::ZERO))
        }

        proptest! {
            #[test]
            fn arithmetic_agrees_with_cross_multiplication(a in small(), b in small()) {
                // a + b - b = a, a * b / b = a, comparisons agree with integers.
                let back = a.checked_add(b).and_then(|s| s.checked_sub(b));
                prop_assert_eq!(back, Ok(a));
                if b != Exact::ZERO {
                    prop_assert_eq!(a.checked_mul(b).and_then(|p| p.checked_div(b)), Ok(a));
                }
                let expected = (a.numerator() * b.denominator()).cmp(&(b.numerator() * a.denominator()));
                prop_assert_eq!(a.cmp(&b), expected);
                prop_assert!(a.denominator() > 0);
                prop_assert_eq!(gcd(a.numerator(), a.denominator()).max(1), 1);
            }

            #[test]
            fn rounding_brackets_the_number_and_is_monotone(a in small(), b in small(), n in 0u32..7) {
                let step = Exact::new(1, 10i128.pow(n)).unwrap_or(Exact::ONE);
                let (Ok(r), Ok(f), Ok(c)) = (a.round(n), a.floor(n), a.ceil(n)) else {
                    return Err(TestCaseError::fail("small numbers round exactly"));
                };
                // floor <= a <= ceil, one step apart at most, each with n decimals.
                prop_assert!(f <= a && a <= c);
                prop_assert!(c == f || c.checked_sub(f) == Ok(step));
                for x in [r, f, c] {
                    let scaled = x.checked_mul(Exact::integer(10i128.pow(n)));
                    prop_assert!(scaled.is_ok_and(Exact::is_integer), "{x}");
                }
                // round is the nearer of floor and ceil; a tie goes away from zero.
                let below = a.checked_sub(f).unwrap_or(Exact::ZERO);
                let above = c.checked_sub(a).unwrap_or(Exact::ZERO);
                let expected = match below.cmp(&above) {
                    Ordering::Less => f,
                    Ordering::Greater => c,
                    Ordering::Equal if a >= Exact::ZERO => c,
                    Ordering::Equal => f,
                };
                prop_assert_eq!(r, expected);
                // Non-decreasing: a <= b gives f(a) <= f(b).
                let (lo, hi) = (a.min(b), a.max(b));
                prop_assert!(lo.round(n).ok() <= hi.round(n).ok());
                prop_assert!(lo.floor(n).ok() <= hi.floor(n).ok());
                prop_assert!(lo.ceil(n).ok() <= hi.ceil(n).ok());
            }

            #[test]
            fn decimal_text_round_trips(n in -1_000_000i128..1_000_000, places in 0u32..6) {
                let x = Exact::new(n, 10i128.pow(places)).unwrap_or(Exact::ZERO);
                prop_assert_eq!(Exact::parse_decimal(&x.to_string()), Some(x));
            }
        }
    }
}
