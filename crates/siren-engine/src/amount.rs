//! Exact decimal amounts at the boundary: reading them from JSON numbers or strings without ever
//! going through `f64`, added and multiplied exactly, and formatting them
//! back as major-unit strings (`"5000.00"`, JPY `"5000"`, KWD `"5.000"`).
//!
//! Invariant: every function here is total. Text that is not a plain decimal, or a value outside
//! `rust_decimal`'s range, is an `Err`, never a panic or a silently rounded value.

use crate::diagnostics::{json_type_name, Code, EngineError, Pointer};
use crate::money::DecimalProblem;
use rust_decimal::Decimal;
use serde_json::Value;

/// The largest amount (in major units) one input value may carry: a quadrillion. Far above any
/// real order, and low enough that sums of millions of lines stay inside `Decimal`'s range.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

/// The largest integer a JS number holds exactly (2^53 − 1). Scores and points above it would
/// come out different in JS than natively, so they are refused instead.
pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// Whether `x` is a whole number from 0 to `MAX_SAFE_INTEGER` (a manual credit's points, an id
/// given as a number). NaN is not.
pub(crate) fn is_safe_whole(x: f64) -> bool {
    x.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER as f64).contains(&x)
}

/// The most decimal places an input amount may have. With at most 10^15 in the integer part,
/// an amount times a percentage stays inside `Decimal`'s 28 digits, so nothing rounds silently.
pub const MAX_AMOUNT_DECIMALS: u32 = 12;

/// Why a decimal text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecimalError {
    /// Not `-?digits(.digits)?([eE][+-]?digits)?`.
    Syntax,
    /// Too large, or more than 28 significant decimal places.
    OutOfRange,
}

/// Parses a decimal written as JSON writes numbers (`49.99`, `-3`, `1.5e3`, `1E+21`), exactly,
/// with the one decimal reader the engine has (`money::parse_decimal`).
pub fn parse_decimal_text(text: &str) -> Result<Decimal, DecimalError> {
    crate::money::parse_decimal(text).map_err(|problem| match problem {
        DecimalProblem::NotANumber => DecimalError::Syntax,
        DecimalProblem::TooLarge | DecimalProblem::TooPrecise => DecimalError::OutOfRange,
    })
}

/// Reads a non-negative money amount from a JSON number or string, exactly, and refuses values
/// above `MAX_AMOUNT`. `what` names the field in messages ("`amount`").
pub fn parse_amount(
    value: &Value,
    path: &Pointer,
    what: &str,
    code_invalid: Code,
    code_range: Code,
) -> Result<Decimal, EngineError> {
    let text = match value {
        Value::String(text) => text.trim().to_string(),
        // With `arbitrary_precision`, a number's Display is its source text (never an f64).
        Value::Number(number) => number.to_string(),
        other => {
            return Err(EngineError::new(
                Code::InputWrongType,
                path,
                format!(
                    "{what} must be a decimal number or a string such as \"49.99\", found {}.",
                    json_type_name(other)
                ),
            ))
        }
    };
    amount_from_text(&text, path, what, code_invalid, code_range)
}

/// `parse_amount` of the amount's text: a string's trimmed, or a number's source text.
pub fn amount_from_text(
    text: &str,
    path: &Pointer,
    what: &str,
    code_invalid: Code,
    code_range: Code,
) -> Result<Decimal, EngineError> {
    let amount = parse_decimal_text(text).map_err(|e| match e {
        DecimalError::Syntax => EngineError::new(code_invalid, path, format!("{what} \"{text}\" is not a decimal number.")),
        DecimalError::OutOfRange => EngineError::new(
            code_range,
            path,
            format!("{what} {text} is too large or too precise (at most {MAX_AMOUNT} and {MAX_AMOUNT_DECIMALS} decimal places)."),
        ),
    })?;
    if amount.normalize().scale() > MAX_AMOUNT_DECIMALS {
        return Err(EngineError::new(
            code_range,
            path,
            format!("{what} {text} has more than {MAX_AMOUNT_DECIMALS} decimal places."),
        ));
    }
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(EngineError::new(code_invalid, path, format!("{what} must not be negative; found {text}.")));
    }
    if amount > Decimal::from(MAX_AMOUNT) {
        return Err(EngineError::new(code_range, path, format!("{what} {text} exceeds the limit of {MAX_AMOUNT}.")));
    }
    Ok(amount)
}

/// Reads a whole number from a JSON number (`100`, `1e2`) or a string (`"100"`, as Siren's REST
/// returns point values). `None` when it is not a whole number or not within ±`MAX_SAFE_INTEGER`.
pub fn parse_integer(value: &Value) -> Option<i64> {
    match value {
        Value::String(text) => integer_from_text(text.trim()),
        Value::Number(number) => integer_from_text(&number.to_string()),
        _ => None,
    }
}

/// `parse_integer` of the number's text: a string's trimmed, or a number's source text.
pub fn integer_from_text(text: &str) -> Option<i64> {
    let decimal = parse_decimal_text(text).ok()?;
    if decimal.fract() != Decimal::ZERO {
        return None;
    }
    let whole = decimal.mantissa() / 10i128.checked_pow(decimal.scale())?;
    let whole = i64::try_from(whole).ok()?;
    (whole.abs() <= MAX_SAFE_INTEGER).then_some(whole)
}

/// `a + b` exactly, or `None`. `rust_decimal`'s `checked_add` rounds a result that needs more
/// than 28 significant digits instead of failing; a sum of money must never lose a digit
/// silently, so a rounded result is refused here (and becomes an out-of-range diagnostic).
pub fn exact_add(a: Decimal, b: Decimal) -> Option<Decimal> {
    // What `checked_add` gives, without the two subtractions that check it: a zero added to a
    // non-zero amount leaves it as it is; otherwise, at the finer of the two scales, the
    // mantissas add exactly while each and the sum fit 96 bits.
    match (a.is_zero(), b.is_zero()) {
        (true, false) => return Some(b),
        (false, true) => return Some(a),
        _ => {}
    }
    let scale = a.scale().max(b.scale());
    // Most money fits 63 bits: then the same sum in 64-bit arithmetic, with no 128-bit
    // multiplication or packing (library calls in wasm, most of a revenue pass's arithmetic).
    if let (Some(x), Some(y)) = (small_mantissa(a), small_mantissa(b)) {
        let at = |m: i64, d: Decimal| small_mul(m, *POWERS_OF_TEN.get((scale - d.scale()) as usize)?);
        if let Some(sum) = at(x, a).zip(at(y, b)).and_then(|(x, y)| x.checked_add(y)).filter(|&sum| sum != 0) {
            return Decimal::try_new(sum, scale).ok();
        }
    }
    wide_add(a, b, scale)
}

/// `exact_add` beyond 63 bits, out of line: its 128-bit work kept the common case's frame large.
#[inline(never)]
fn wide_add(a: Decimal, b: Decimal, scale: u32) -> Option<Decimal> {
    let at_scale = |d: Decimal| {
        if d.scale() == scale {
            return Some(d.mantissa()); // no 128-bit multiplication (a library call in wasm)
        }
        let m = d.mantissa().checked_mul(10i128.checked_pow(scale - d.scale())?)?;
        (m.unsigned_abs() < 1u128 << 96).then_some(m)
    };
    if let (Some(x), Some(y)) = (at_scale(a), at_scale(b)) {
        let sum = x + y; // both below 2^96: no i128 overflow
        if sum != 0 && sum.unsigned_abs() < 1u128 << 96 {
            return Decimal::try_from_i128_with_scale(sum, scale).ok();
        }
    }
    let sum = a.checked_add(b)?;
    (sum.checked_sub(a)? == b && sum.checked_sub(b)? == a).then_some(sum)
}

/// `a − b` exactly, or `None` (see `exact_add`).
pub fn exact_sub(a: Decimal, b: Decimal) -> Option<Decimal> {
    exact_add(a, -b)
}

/// `a × b` exactly, or `None`: the product of the mantissas must fit `Decimal`'s 96 bits at a
/// scale of at most 28 (where `checked_mul` would round).
pub fn exact_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    // In 64 bits when the mantissas and their product fit (as `exact_add`).
    if let Some(product) = small_mantissa(a).zip(small_mantissa(b)).and_then(|(x, y)| small_mul(x, y)) {
        let (mantissa, scale) = small_without_trailing_zeros(product, a.scale() + b.scale());
        return Decimal::try_new(mantissa, scale).ok(); // refused above a scale of 28
    }
    wide_mul(a, b)
}

/// `exact_mul` beyond 63 bits, out of line (see `wide_add`).
#[inline(never)]
fn wide_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    // The product of the mantissas as given, else of the normalized ones (fewer digits); both
    // strip to the same canonical result.
    let product = |a: Decimal, b: Decimal| Some((a.mantissa().checked_mul(b.mantissa())?, a.scale() + b.scale()));
    let (mantissa, scale) = match product(a, b) {
        Some(raw) => raw,
        None => product(a.normalize(), b.normalize())?,
    };
    let (mantissa, scale) = without_trailing_zeros(mantissa, scale);
    if scale > 28 || mantissa.unsigned_abs() >= 1u128 << 96 {
        return None;
    }
    Decimal::try_from_i128_with_scale(mantissa, scale).ok()
}

/// `mantissa × 10^-scale` with the trailing zeros of the fraction removed (in 64 bits when
/// it fits: 128-bit division is a library call in wasm and natively).
fn without_trailing_zeros(mantissa: i128, scale: u32) -> (i128, u32) {
    if let Ok(small) = i64::try_from(mantissa) {
        let (small, scale) = small_without_trailing_zeros(small, scale);
        return (i128::from(small), scale);
    }
    let mut scale = scale;
    let mut mantissa = mantissa;
    while scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    (mantissa, scale)
}

/// `without_trailing_zeros` of a mantissa that fits an `i64`.
fn small_without_trailing_zeros(mut mantissa: i64, mut scale: u32) -> (i64, u32) {
    while scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    (mantissa, scale)
}

/// `x × y` when it fits an `i64`. Factors whose magnitudes have 65 leading zero bits between
/// them multiply without the overflow check, which wasm computes with a 128-bit library call.
pub(crate) fn small_mul(x: i64, y: i64) -> Option<i64> {
    if x.unsigned_abs().leading_zeros() + y.unsigned_abs().leading_zeros() >= 65 {
        return Some(x * y); // |x × y| < 2^63
    }
    x.checked_mul(y)
}

/// 10^0 through 10^18, the powers of ten an `i64` holds.
const POWERS_OF_TEN: [i64; 19] = {
    let mut powers = [1i64; 19];
    let mut i = 1;
    while i < 19 {
        powers[i] = powers[i - 1] * 10;
        i += 1;
    }
    powers
};

/// The signed mantissa when its magnitude fits 63 bits, read from the parts (`mantissa()`
/// builds an `i128`, slower in wasm).
fn small_mantissa(d: Decimal) -> Option<i64> {
    let [_, _, _, _, l0, l1, l2, l3, m0, m1, m2, m3, h0, h1, h2, h3] = d.serialize();
    if u32::from_le_bytes([h0, h1, h2, h3]) != 0 {
        return None;
    }
    let magnitude = i64::try_from(u64::from_le_bytes([l0, l1, l2, l3, m0, m1, m2, m3])).ok()?;
    Some(if d.is_sign_negative() { -magnitude } else { magnitude })
}

/// The ASCII decimal digits of `value`, least significant first, and how many there are (at
/// least one; the rest are `0`): on the stack, with no intermediate strings (a preview formats
/// an amount and an instant per collaborator), and u128 divisions only past 64 bits.
pub(crate) fn decimal_digits(value: u128) -> ([u8; 40], usize) {
    let mut digits = [b'0'; 40];
    let (mut count, mut rest) = (0, value);
    while let Some(slot) = digits.get_mut(count) {
        let (next, digit) = match u64::try_from(rest) {
            Ok(small) => (u128::from(small / 10), (small % 10) as u8),
            Err(_) => (rest / 10, (rest % 10) as u8),
        };
        *slot = b'0' + digit;
        count += 1;
        rest = next;
        if rest == 0 {
            break;
        }
    }
    (digits, count)
}

/// Formats integer minor units as a major-unit string with exactly `exponent` decimals:
/// (500000, 2) → "5000.00"; (5000, 0) → "5000"; (5000, 3) → "5.000"; (-150, 2) → "-1.50".
pub fn format_minor(minor: i128, exponent: u32) -> String {
    let (digits, count) = decimal_digits(minor.unsigned_abs());
    let exponent = exponent as usize;
    let shown = count.max(exponent + 1);
    let mut out = String::with_capacity(shown + 2);
    if minor < 0 {
        out.push('-');
    }
    for place in (0..shown).rev() {
        out.push(char::from(digits.get(place).copied().unwrap_or(b'0')));
        if place == exponent && exponent > 0 {
            out.push('.');
        }
    }
    out
}

/// Formats an exact amount with at least `exponent` decimals and no rounding: used where the
/// explanation shows intermediate values ("12.3456" stays "12.3456"; "5" in USD is "5.00").
pub fn format_exact(amount: Decimal, exponent: u32) -> String {
    let mut shown = amount.normalize();
    if shown.scale() < exponent {
        shown.rescale(exponent);
    }
    if shown.is_zero() {
        // Avoid "-0.00".
        shown.set_sign_positive(true);
    }
    shown.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn parses_json_number_text_exactly() {
        assert_eq!(parse_decimal_text("49.99"), Ok(d("49.99")));
        assert_eq!(parse_decimal_text("1.5e3"), Ok(d("1500")));
        assert_eq!(parse_decimal_text("1E+21"), Ok(d("1000000000000000000000")));
        assert_eq!(parse_decimal_text("25e-3"), Ok(d("0.025")));
        assert_eq!(parse_decimal_text("-0.10"), Ok(d("-0.1")));
        assert_eq!(parse_decimal_text("0e-999"), Ok(Decimal::ZERO));
        assert_eq!(parse_decimal_text("1e30"), Err(DecimalError::OutOfRange));
        assert_eq!(parse_decimal_text("1e-40"), Err(DecimalError::OutOfRange));
        assert_eq!(parse_decimal_text("1e99999999999"), Err(DecimalError::OutOfRange));
        for bad in ["", "-", ".5", "5.", "1e", "1e+", "abc", "1.2.3", "0x10", "NaN", "1 "] {
            assert_eq!(parse_decimal_text(bad), Err(DecimalError::Syntax), "{bad:?}");
        }
    }

    #[test]
    fn amounts_are_bounded_in_size_and_precision() {
        let p = Pointer::root();
        let read = |text: &str| {
            parse_amount(
                &serde_json::from_str(text).unwrap(),
                &p,
                "`amount`",
                Code::TransactionsInvalidAmount,
                Code::TransactionsAmountOutOfRange,
            )
        };
        assert_eq!(read("49.99").unwrap(), d("49.99"));
        assert_eq!(read("\"0.000000000001\"").unwrap(), d("0.000000000001"));
        assert_eq!(read("0.0000000000001").unwrap_err().code, Code::TransactionsAmountOutOfRange);
        assert_eq!(read("1e30").unwrap_err().code, Code::TransactionsAmountOutOfRange);
        assert_eq!(read("1e15").unwrap(), d("1000000000000000"));
        assert_eq!(read("-1").unwrap_err().code, Code::TransactionsInvalidAmount);
        assert_eq!(read("\"-0\"").unwrap(), Decimal::ZERO);
    }

    #[test]
    fn exact_arithmetic_refuses_instead_of_rounding() {
        let big = d("999999999999999.999999999999");
        assert_eq!(exact_add(big, big), Some(d("1999999999999999.999999999998")));
        // 10^20 − 10^-7 needs 28 digits after 21 before: checked_add would round it to 10^20.
        let mut sum = Decimal::ZERO;
        let mut refused = false;
        for _ in 0..100 {
            match exact_add(sum, big) {
                Some(next) => sum = next,
                None => refused = true,
            }
        }
        assert!(refused);
        assert_eq!(exact_sub(d("1"), d("0.000000000000000000000000001")), Some(d("0.999999999999999999999999999")));
        assert_eq!(exact_mul(d("49.99"), d("7.5")), Some(d("374.925")));
        assert_eq!(exact_mul(big, d("0.0000000000000001")), Some(d("0.0999999999999999999999999999")));
        assert_eq!(exact_mul(big, d("0.00000000000000001")), None);
        assert_eq!(exact_mul(Decimal::MAX, d("2")), None);
    }

    #[test]
    fn formats_with_the_currency_exponent() {
        assert_eq!(format_minor(500000, 2), "5000.00");
        assert_eq!(format_minor(5000, 0), "5000");
        assert_eq!(format_minor(5000, 3), "5.000");
        assert_eq!(format_minor(5, 3), "0.005");
        assert_eq!(format_minor(-150, 2), "-1.50");
        assert_eq!(format_minor(0, 2), "0.00");
        assert_eq!(format_minor(-7, 0), "-7");
        assert_eq!(format_minor(i128::MIN, 4), "-17014118346046923173168730371588410.5728");
        // Against decimal text built with strings, across 64 bits and every exponent used.
        let by_strings = |minor: i128, exponent: usize| {
            let padded = format!("{:0>width$}", minor.unsigned_abs(), width = exponent + 1);
            let (whole, fraction) = padded.split_at(padded.len() - exponent);
            let sign = if minor < 0 { "-" } else { "" };
            if exponent == 0 {
                format!("{sign}{whole}")
            } else {
                format!("{sign}{whole}.{fraction}")
            }
        };
        let mut x: u128 = 0x2545_F491_4F6C_DD1D;
        for i in 0..20_000 {
            x = x.wrapping_mul(0x5851_F42D_4C95_7F2D_1405_7B7E_F767_814F).wrapping_add(1);
            let minor = match i % 4 {
                0 => (x >> 100) as i128,
                1 => (x >> 64) as i128 - (1 << 63),
                2 => x as i128,
                _ => 10i128.pow(i % 39) - (i % 3) as i128,
            };
            for exponent in 0..=4 {
                assert_eq!(format_minor(minor, exponent as u32), by_strings(minor, exponent), "{minor} {exponent}");
            }
        }
        assert_eq!(format_exact(d("12.3456"), 2), "12.3456");
        assert_eq!(format_exact(d("5"), 2), "5.00");
        assert_eq!(format_exact(d("-0"), 2), "0.00");
    }

    #[test]
    fn integers_accept_rest_strings_and_refuse_fractions() {
        assert_eq!(parse_integer(&Value::String("100".into())), Some(100));
        assert_eq!(parse_integer(&serde_json::from_str("1e2").unwrap()), Some(100));
        assert_eq!(parse_integer(&serde_json::from_str("1.5").unwrap()), None);
        assert_eq!(parse_integer(&serde_json::from_str("9007199254740992").unwrap()), None);
        assert_eq!(parse_integer(&serde_json::from_str("true").unwrap()), None);
    }
}
