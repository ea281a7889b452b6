//! What the bulk path's column readers share: instants as whole milliseconds in an `f64`, and
//! the check that every column of a table has one entry per row.

use crate::diagnostics::{Code, EngineError, Pointer};
use chrono::{DateTime, FixedOffset};

/// The largest absolute instant accepted in `occurredAtMs` (JS `Date`'s range, ±10^8 days; below
/// 2^53, so every accepted instant is exact in an `f64`, and wider than chrono's ±262,143 years).
pub(super) const MAX_ABS_MS: f64 = 8.64e15;

/// The earlier of two instants (ms; never NaN, checked at load). `f64::min` is NaN-aware; wasm's
/// `f64.min` is not, so this avoids a call to `fmin` in the counting pass.
#[inline(always)]
pub(super) fn earlier(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}

/// The later of two instants (see `earlier`).
#[inline(always)]
pub(super) fn later(a: f64, b: f64) -> f64 {
    if b > a {
        b
    } else {
        a
    }
}

/// Every column of `others` that is given (`Some(length)`) has as many entries as `first`, one
/// per `entry` (event, transaction, line, refund); else `input.columnLength` at the column.
pub(super) fn same_lengths(
    root: &Pointer,
    entry: &str,
    (first, n): (&str, usize),
    others: &[(&str, Option<usize>)],
) -> Result<(), EngineError> {
    for &(name, len) in others {
        if let Some(len) = len.filter(|len| *len != n) {
            return Err(EngineError::new(
                Code::InputColumnLength,
                &root.key(name),
                format!("`{name}` has {len} entries but `{first}` has {n}; every column has one entry per {entry}."),
            ));
        }
    }
    Ok(())
}

/// An instant column's value is whole and within range: the same test as `is_finite() &&
/// fract() == 0.0 && abs() <= MAX_ABS_MS` (MAX_ABS_MS < 2^63, so the cast is exact), without a
/// call to `trunc`.
#[inline]
pub(super) fn is_whole_ms(t: f64) -> bool {
    (t as i64) as f64 == t && t.abs() <= MAX_ABS_MS
}

pub(super) fn from_ms(ms: i64) -> Option<DateTime<FixedOffset>> {
    DateTime::from_timestamp_millis(ms).map(|t| t.fixed_offset())
}

/// Timestamp texts as whole milliseconds, each as `time::parse_timestamp` reads it (records given
/// as objects, their instants kept as text for this); `None` at the first that is not a timestamp
/// or has a finer fraction than a millisecond (the exact reader then says what is wrong).
pub fn instants_ms(texts: &[Option<String>]) -> Option<Vec<f64>> {
    texts
        .iter()
        .map(|text| {
            let instant = crate::time::parse_timestamp(text.as_deref()?).ok()?;
            // Exact: chrono's instants are within ±2^53 ms.
            instant.timestamp_subsec_nanos().is_multiple_of(1_000_000).then_some(instant.timestamp_millis() as f64)
        })
        .collect()
}

/// Amount texts (`None`: no amount, NaN) as whole numbers of 10^-scale major units, one scale
/// for every column: the finest the amounts need. Each is read as `amount::parse_amount` reads it
/// (a string trimmed); `None` when one is refused, or does not fit 2^53 at that scale.
pub fn scaled_amounts<const N: usize>(columns: [&[Option<String>]; N]) -> Option<([Vec<f64>; N], u32)> {
    let (invalid, range) = (Code::TransactionsInvalidAmount, Code::TransactionsAmountOutOfRange);
    let read = |text: &Option<String>| -> Option<Option<rust_decimal::Decimal>> {
        let Some(text) = text else { return Some(None) };
        crate::amount::amount_from_text(text.trim(), &Pointer::root(), "", invalid, range)
            .ok()
            .map(|a| Some(a.normalize()))
    };
    let decimals = columns.map(|column| column.iter().map(read).collect::<Option<Vec<_>>>());
    let scale = decimals.iter().flatten().flatten().flatten().map(|amount| amount.scale()).max().unwrap_or(0);
    let mut out = [(); N].map(|()| Vec::new());
    for (column, amounts) in out.iter_mut().zip(decimals) {
        for amount in amounts? {
            column.push(match amount {
                None => f64::NAN,
                Some(amount) => {
                    let whole = amount.mantissa().checked_mul(10i128.checked_pow(scale - amount.scale())?)?;
                    (0..=i128::from(crate::amount::MAX_SAFE_INTEGER)).contains(&whole).then_some(whole as f64)?
                }
            });
        }
    }
    Some((out, scale))
}
