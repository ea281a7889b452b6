//! Units: ISO-4217 currencies with their minor-unit exponents, or `points`; exact amounts.
//!
//! STUB: the currency table is owned by the validation work; `Units` is the contract.

/// What a distributor pays in: a currency with its minor-unit exponent (USD 2, JPY 0, KWD 3)
/// or `points` (exponent 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Units {
    /// `USD`, `JPY`, …, or `points`.
    pub code: String,
    /// Digits after the decimal point in the minor unit.
    pub exponent: u32,
}

impl Units {
    /// Looks up a code in the registry (`USD`, `points`); `None` when unknown.
    pub fn lookup(code: &str) -> Option<Units> {
        match code {
            "USD" => Some(Units { code: code.into(), exponent: 2 }),
            "points" => Some(Units { code: code.into(), exponent: 0 }),
            _ => None,
        }
    }
}
