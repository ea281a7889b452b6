//! Units: ISO-4217 currencies with their minor-unit exponents, or `points`; exact decimals read
//! from JSON number text (never through an f64).

use rust_decimal::Decimal;

/// What a distributor pays in: a currency with its minor-unit exponent (USD 2, JPY 0, KWD 3)
/// or `points` (exponent 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Units {
    /// `USD`, `JPY`, …, or `points`.
    pub code: String,
    /// Digits after the decimal point in the minor unit.
    pub exponent: u32,
}

/// The units code for reward points (not a currency).
pub const POINTS: &str = "points";

/// ISO 4217 list one, active codes with a defined minor unit, as of 2026. Codes whose minor unit
/// is "N.A." (precious metals, XDR, testing codes, XXX) are left out: a pool cannot be rounded in
/// them. Withdrawn codes (HRK, SLL, ZWL, VEF, …) are left out; ANG and BGN are kept while shops
/// still report them.
pub const CURRENCIES: &[(&str, u32)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("ANG", 2),
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AWG", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BBD", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BHD", 3),
    ("BIF", 0),
    ("BMD", 2),
    ("BND", 2),
    ("BOB", 2),
    ("BOV", 2),
    ("BRL", 2),
    ("BSD", 2),
    ("BTN", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("BZD", 2),
    ("CAD", 2),
    ("CDF", 2),
    ("CHE", 2),
    ("CHF", 2),
    ("CHW", 2),
    ("CLF", 4),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("COU", 2),
    ("CRC", 2),
    ("CUC", 2),
    ("CUP", 2),
    ("CVE", 2),
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DOP", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("ERN", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("FJD", 2),
    ("FKP", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GIP", 2),
    ("GMD", 2),
    ("GNF", 0),
    ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2),
    ("HNL", 2),
    ("HTG", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JMD", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KGS", 2),
    ("KHR", 2),
    ("KMF", 0),
    ("KPW", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LRD", 2),
    ("LSL", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MDL", 2),
    ("MGA", 2),
    ("MKD", 2),
    ("MMK", 2),
    ("MNT", 2),
    ("MOP", 2),
    ("MRU", 2),
    ("MUR", 2),
    ("MVR", 2),
    ("MWK", 2),
    ("MXN", 2),
    ("MXV", 2),
    ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2),
    ("NGN", 2),
    ("NIO", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2),
    ("PEN", 2),
    ("PGK", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SBD", 2),
    ("SCR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SHP", 2),
    ("SLE", 2),
    ("SOS", 2),
    ("SRD", 2),
    ("SSP", 2),
    ("STN", 2),
    ("SVC", 2),
    ("SYP", 2),
    ("SZL", 2),
    ("THB", 2),
    ("TJS", 2),
    ("TMT", 2),
    ("TND", 3),
    ("TOP", 2),
    ("TRY", 2),
    ("TTD", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("USN", 2),
    ("UYI", 0),
    ("UYU", 2),
    ("UYW", 4),
    ("UZS", 2),
    ("VED", 2),
    ("VES", 2),
    ("VND", 0),
    ("VUV", 0),
    ("WST", 2),
    ("XAF", 0),
    ("XCD", 2),
    ("XCG", 2),
    ("XOF", 0),
    ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2),
    ("ZMW", 2),
    ("ZWG", 2),
];

impl Units {
    /// Looks up a code in the registry (`USD`, `points`); `None` when unknown. Case matters:
    /// Siren stores upper-case ISO codes, and validation suggests the right spelling.
    pub fn lookup(code: &str) -> Option<Units> {
        if code == POINTS {
            return Some(Units { code: code.into(), exponent: 0 });
        }
        CURRENCIES
            .binary_search_by(|(known, _)| known.cmp(&code))
            .ok()
            .and_then(|index| CURRENCIES.get(index))
            .map(|(known, exponent)| Units { code: (*known).into(), exponent: *exponent })
    }

    /// Every registered code: `points` first, then the currencies.
    pub fn known_codes() -> impl Iterator<Item = &'static str> {
        std::iter::once(POINTS).chain(CURRENCIES.iter().map(|(code, _)| *code))
    }
}

/// Why a decimal text could not become a `Decimal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalProblem {
    /// Not JSON number syntax (`abc`, `1,5`, `NaN`).
    NotANumber,
    /// Beyond what `Decimal` holds (about ±7.9 × 10^28), e.g. `1e400`.
    TooLarge,
    /// More than 28 significant decimal places, e.g. `1e-400`.
    TooPrecise,
}

/// Reads JSON number syntax (`-12.50`, `1e3`, `0.125E+1`) exactly into a `Decimal`.
///
/// `rust_decimal`'s own parsers either reject exponents or round silently; here a value is
/// either represented exactly or refused with the reason, so `100.01` never becomes `100`.
pub fn parse_decimal(text: &str) -> Result<Decimal, DecimalProblem> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent_text) = match rest.find(['e', 'E']) {
        Some(at) => (&rest[..at], Some(&rest[at + 1..])),
        None => (rest, None),
    };
    let (integer_digits, fraction_digits) = match mantissa.split_once('.') {
        Some((integer, fraction)) => (integer, Some(fraction)),
        None => (mantissa, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(integer_digits) || (integer_digits.len() > 1 && integer_digits.starts_with('0')) {
        return Err(DecimalProblem::NotANumber);
    }
    if fraction_digits.is_some_and(|f| !all_digits(f)) {
        return Err(DecimalProblem::NotANumber);
    }
    let exponent = match exponent_text {
        None => 0i64,
        Some(e) => {
            let (sign, digits) = match e.as_bytes().first() {
                Some(b'-') => (-1, &e[1..]),
                Some(b'+') => (1, &e[1..]),
                _ => (1, e),
            };
            if !all_digits(digits) {
                return Err(DecimalProblem::NotANumber);
            }
            // Saturate absurd exponents; anything this far out is refused below anyway.
            sign * digits.parse::<i64>().unwrap_or(1_000_000).min(1_000_000)
        }
    };

    // value = significant × 10^(-scale), with significant's zeros trimmed on both sides.
    let fraction = fraction_digits.unwrap_or("");
    let joined: String = integer_digits.chars().chain(fraction.chars()).collect();
    let significant = joined.trim_start_matches('0');
    let trimmed = significant.trim_end_matches('0');
    if trimmed.is_empty() {
        return Ok(Decimal::ZERO);
    }
    let scale = fraction.len() as i64 - exponent - (significant.len() - trimmed.len()) as i64;
    let integer_places = trimmed.len() as i64 - scale;
    if integer_places > 29 {
        return Err(DecimalProblem::TooLarge);
    }
    if scale > 28 || trimmed.len() > 29 {
        return Err(DecimalProblem::TooPrecise);
    }
    let mut magnitude: i128 = trimmed.parse().map_err(|_| DecimalProblem::TooLarge)?;
    let mut scale = scale;
    while scale < 0 {
        magnitude = magnitude.checked_mul(10).ok_or(DecimalProblem::TooLarge)?;
        scale += 1;
    }
    let signed = if negative { -magnitude } else { magnitude };
    Decimal::try_from_i128_with_scale(signed, scale as u32).map_err(|_| DecimalProblem::TooLarge)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn currency_table_is_sorted_unique_and_uppercase() {
        for pair in CURRENCIES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        assert!(CURRENCIES.iter().all(|(c, _)| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())));
    }

    #[test]
    fn looks_up_exponents() {
        assert_eq!(Units::lookup("USD").map(|u| u.exponent), Some(2));
        assert_eq!(Units::lookup("JPY").map(|u| u.exponent), Some(0));
        assert_eq!(Units::lookup("KWD").map(|u| u.exponent), Some(3));
        assert_eq!(Units::lookup("CLF").map(|u| u.exponent), Some(4));
        assert_eq!(Units::lookup("points").map(|u| u.exponent), Some(0));
        assert_eq!(Units::lookup("usd"), None);
        assert_eq!(Units::lookup("XAU"), None);
    }

    #[test]
    fn parses_decimals_exactly() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(parse_decimal("12.5"), Ok(d("12.5")));
        assert_eq!(parse_decimal("100.01"), Ok(d("100.01")));
        assert_eq!(parse_decimal("-0.0"), Ok(Decimal::ZERO));
        assert_eq!(parse_decimal("1e2"), Ok(d("100")));
        assert_eq!(parse_decimal("1.25E-1"), Ok(d("0.125")));
        assert_eq!(parse_decimal("9223372036854775808"), Ok(d("9223372036854775808")));
        assert_eq!(parse_decimal("1e400"), Err(DecimalProblem::TooLarge));
        assert_eq!(parse_decimal("-1e400"), Err(DecimalProblem::TooLarge));
        assert_eq!(parse_decimal("1e-400"), Err(DecimalProblem::TooPrecise));
        assert_eq!(parse_decimal("1e99999999999999999999999"), Err(DecimalProblem::TooLarge));
        for bad in ["", "abc", "1.", ".5", "01", "1e", "+1", "1,5", "NaN", "--1", "1e+-2"] {
            assert_eq!(parse_decimal(bad), Err(DecimalProblem::NotANumber), "{bad}");
        }
    }
}
