//! Exact decimals wider than `rust_decimal`'s 96 bits, for the two computations whose digits
//! can pass 28 within the documented limits: the pool's Σ amount × percentage (an amount of 10^15
//! with 12 decimals times a percentage with 28 decimals has 70 digits) and a partial refund's
//! amount × qualifying ÷ paid. A sign, a 256-bit magnitude and a scale.
//!
//! Invariant: every operation is exact or returns `None`, and a `Wide` is kept without trailing
//! fractional zeros, so equal values are equal structs.

use rust_decimal::Decimal;
use std::cmp::Ordering;

/// A 256-bit unsigned integer: four 64-bit limbs, least significant first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct U256([u64; 4]);

impl U256 {
    const ZERO: U256 = U256([0; 4]);

    fn from_u128(x: u128) -> Self {
        U256([x as u64, (x >> 64) as u64, 0, 0])
    }

    fn is_zero(self) -> bool {
        self.0 == [0; 4]
    }

    fn to_u128(self) -> Option<u128> {
        let [a, b, c, d] = self.0;
        (c == 0 && d == 0).then_some(u128::from(a) | (u128::from(b) << 64))
    }

    /// The full product of two 128-bit numbers (it always fits).
    fn product(a: u128, b: u128) -> Self {
        let (a, b) = ([a as u64, (a >> 64) as u64], [b as u64, (b >> 64) as u64]);
        let mut limbs = [0u64; 4];
        for (i, &x) in a.iter().enumerate() {
            let mut carry = 0u128;
            for (j, &y) in b.iter().enumerate() {
                let slot = &mut limbs[i + j];
                let t = u128::from(x) * u128::from(y) + u128::from(*slot) + carry;
                *slot = t as u64;
                carry = t >> 64;
            }
            limbs[i + 2] = carry as u64;
        }
        U256(limbs)
    }

    fn mul_small(self, m: u64) -> Option<Self> {
        let mut out = [0u64; 4];
        let mut carry = 0u128;
        for (slot, &x) in out.iter_mut().zip(&self.0) {
            let t = u128::from(x) * u128::from(m) + carry;
            *slot = t as u64;
            carry = t >> 64;
        }
        (carry == 0).then_some(U256(out))
    }

    /// `self × 10^k`, or `None` past 256 bits.
    fn times_ten_to(self, k: u32) -> Option<Self> {
        (0..k).try_fold(self, |x, _| x.mul_small(10))
    }

    fn add(self, other: Self) -> Option<Self> {
        let mut out = [0u64; 4];
        let mut carry = false;
        for ((slot, &x), &y) in out.iter_mut().zip(&self.0).zip(&other.0) {
            let (s, c1) = x.overflowing_add(y);
            let (s, c2) = s.overflowing_add(u64::from(carry));
            *slot = s;
            carry = c1 || c2;
        }
        (!carry).then_some(U256(out))
    }

    /// `self − other`, for `self ≥ other`.
    fn sub(self, other: Self) -> Self {
        let mut out = [0u64; 4];
        let mut borrow = false;
        for ((slot, &x), &y) in out.iter_mut().zip(&self.0).zip(&other.0) {
            let (d, b1) = x.overflowing_sub(y);
            let (d, b2) = d.overflowing_sub(u64::from(borrow));
            *slot = d;
            borrow = b1 || b2;
        }
        U256(out)
    }

    fn compare(self, other: Self) -> Ordering {
        self.0.iter().rev().cmp(other.0.iter().rev())
    }

    /// `(self ÷ d, self mod d)` for a divisor of one limb.
    fn div_small(self, d: u64) -> (Self, u64) {
        let mut out = [0u64; 4];
        let mut rem = 0u128;
        for (slot, &x) in out.iter_mut().zip(&self.0).rev() {
            let t = (rem << 64) | u128::from(x);
            *slot = (t / u128::from(d)) as u64;
            rem = t % u128::from(d);
        }
        (U256(out), rem as u64)
    }

    fn bit(self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|limb| (limb >> (i % 64)) & 1 == 1)
    }

    fn shl1(self) -> Self {
        let [a, b, c, d] = self.0;
        U256([a << 1, (b << 1) | (a >> 63), (c << 1) | (b >> 63), (d << 1) | (c >> 63)])
    }

    /// `(self ÷ d, self mod d)`, `d` non-zero: one limb's division when it fits, else long
    /// division bit by bit (only for divisors past 64 bits, a partial refund of a huge order).
    fn div_rem(self, d: Self) -> (Self, Self) {
        if let Some(small) = d.to_u128().and_then(|d| u64::try_from(d).ok()) {
            let (q, r) = self.div_small(small);
            return (q, U256::from_u128(u128::from(r)));
        }
        let (mut q, mut r) = (U256::ZERO, U256::ZERO);
        for i in (0..256).rev() {
            // r < d < 2^255 here, so the shift never loses a bit.
            r = r.shl1();
            if self.bit(i) {
                r.0[0] |= 1;
            }
            if r.compare(d) != Ordering::Less {
                r = r.sub(d);
                q.0[i / 64] |= 1 << (i % 64);
            }
        }
        (q, r)
    }
}

/// An exact signed decimal: `magnitude × 10^-scale`, negative when `negative` (never −0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Wide {
    negative: bool,
    magnitude: U256,
    scale: u32,
}

impl Wide {
    pub const ZERO: Wide = Wide { negative: false, magnitude: U256::ZERO, scale: 0 };

    fn new(negative: bool, magnitude: U256, scale: u32) -> Self {
        let (mut magnitude, mut scale) = (magnitude, scale);
        while scale > 0 {
            let (q, r) = magnitude.div_small(10);
            if r != 0 {
                break;
            }
            (magnitude, scale) = (q, scale - 1);
        }
        Wide { negative: negative && !magnitude.is_zero(), magnitude, scale }
    }

    /// `a × b`, exactly (two `Decimal` mantissas multiply within 192 bits).
    pub fn product(a: Decimal, b: Decimal) -> Self {
        let magnitude = U256::product(a.mantissa().unsigned_abs(), b.mantissa().unsigned_abs());
        Wide::new(a.is_sign_negative() != b.is_sign_negative(), magnitude, a.scale() + b.scale())
    }

    /// `self + other`, or `None` past 256 bits at the finer scale.
    pub fn add(self, other: Wide) -> Option<Wide> {
        let scale = self.scale.max(other.scale);
        let x = self.magnitude.times_ten_to(scale - self.scale)?;
        let y = other.magnitude.times_ten_to(scale - other.scale)?;
        Some(if self.negative == other.negative {
            Wide::new(self.negative, x.add(y)?, scale)
        } else if x.compare(y) == Ordering::Less {
            Wide::new(other.negative, y.sub(x), scale)
        } else {
            Wide::new(self.negative, x.sub(y), scale)
        })
    }

    /// `self ÷ 100`: a percentage applied.
    pub fn hundredth(self) -> Wide {
        Wide::new(self.negative, self.magnitude, self.scale + 2)
    }

    pub fn is_negative(self) -> bool {
        self.negative
    }

    /// The value in integer minor units after one half-to-even rounding, or `None` past `i128`.
    pub fn to_minor_units(self, exponent: u32) -> Option<i128> {
        let units = if self.scale <= exponent {
            self.magnitude.times_ten_to(exponent - self.scale)?
        } else {
            let divisor = U256::from_u128(1).times_ten_to(self.scale - exponent)?;
            let (q, r) = self.magnitude.div_rem(divisor);
            round_half_even(q, r, divisor)?
        };
        let units = i128::try_from(units.to_u128()?).ok()?;
        Some(if self.negative { -units } else { units })
    }

    /// `amount × qualifying ÷ paid`, rounded once to `exponent` decimals, half to even: a
    /// partial refund's share of qualifying revenue. `None` when `paid` is not positive or the
    /// result is past `Decimal`.
    pub fn share(amount: Decimal, qualifying: Decimal, paid: Decimal, exponent: u32) -> Option<Decimal> {
        if paid <= Decimal::ZERO || amount < Decimal::ZERO || qualifying < Decimal::ZERO {
            return None;
        }
        let product = U256::product(amount.mantissa().unsigned_abs(), qualifying.mantissa().unsigned_abs());
        let paid_mantissa = U256::from_u128(paid.mantissa().unsigned_abs());
        // share × 10^exponent = product × 10^(paid scale + exponent − product scale) ÷ paid mantissa.
        let up = i64::from(paid.scale()) + i64::from(exponent) - i64::from(amount.scale() + qualifying.scale());
        let (numerator, divisor) = if up >= 0 {
            (product.times_ten_to(u32::try_from(up).ok()?)?, paid_mantissa)
        } else {
            (product, paid_mantissa.times_ten_to(u32::try_from(-up).ok()?)?)
        };
        let (q, r) = numerator.div_rem(divisor);
        let units = round_half_even(q, r, divisor)?.to_u128()?;
        Decimal::try_from_i128_with_scale(i128::try_from(units).ok()?, exponent).ok()
    }

    /// At least `exponent` decimals and no rounding, as `amount::format_exact` writes a
    /// `Decimal` ("12.3456" stays, "5" in USD is "5.00", never "-0.00").
    pub fn format_exact(self, exponent: u32) -> String {
        let mut digits = Vec::new();
        let mut rest = self.magnitude;
        while !rest.is_zero() {
            let (q, r) = rest.div_small(10);
            digits.push(b'0' + r as u8);
            rest = q;
        }
        let decimals = self.scale.max(exponent) as usize;
        // Pad the fraction's zeros the scale does not hold, then the integer part's "0".
        let mut padded: Vec<u8> = std::iter::repeat_n(b'0', decimals - self.scale as usize).collect();
        padded.extend(digits);
        while padded.len() <= decimals {
            padded.push(b'0');
        }
        let mut out = String::with_capacity(padded.len() + 2);
        if self.negative {
            out.push('-');
        }
        for (place, digit) in padded.iter().enumerate().rev() {
            out.push(char::from(*digit));
            if place == decimals && decimals > 0 {
                out.push('.');
            }
        }
        out
    }
}

/// `q`, or `q + 1` when the remainder `r` of a division by `d` is above half, or exactly half
/// and `q` is odd (half to even).
fn round_half_even(q: U256, r: U256, d: U256) -> Option<U256> {
    let twice = r.add(r)?;
    let up = match twice.compare(d) {
        Ordering::Greater => true,
        Ordering::Equal => q.0[0] & 1 == 1,
        Ordering::Less => false,
    };
    if up {
        q.add(U256::from_u128(1))
    } else {
        Some(q)
    }
}

impl std::fmt::Display for Wide {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.format_exact(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn wide(text: &str) -> Wide {
        Wide::product(d(text), Decimal::ONE)
    }

    #[test]
    fn rounds_half_to_even_once() {
        let minor = |text: &str, exponent| wide(text).to_minor_units(exponent);
        assert_eq!(minor("0.125", 2), Some(12));
        assert_eq!(minor("0.135", 2), Some(14));
        assert_eq!(minor("0.1250000000000000000000000001", 2), Some(13));
        assert_eq!(minor("2.5", 0), Some(2));
        assert_eq!(minor("3.5", 0), Some(4));
        assert_eq!(minor("5000", 2), Some(500000));
        assert_eq!(minor("-2.5", 0), Some(-2));
    }

    #[test]
    fn products_and_sums_keep_every_digit() {
        // 999999999999999.999999999999 × 99.99999999999999999999999999 has 55 digits.
        let p = Wide::product(d("999999999999999.999999999999"), d("99.99999999999999999999999999"));
        assert_eq!(p.to_string(), "99999999999999999.99999999989000000000000000000000000001");
        let sum = p.add(Wide::product(d("-999999999999999.999999999999"), d("99.99999999999999999999999999"))).unwrap();
        assert_eq!(sum, Wide::ZERO);
        assert_eq!(wide("12.5").hundredth().to_string(), "0.125");
        assert_eq!(wide("-0.10").add(wide("0.1")).unwrap().format_exact(2), "0.00");
        assert_eq!(wide("-1.5").format_exact(2), "-1.50");
        assert_eq!(wide("5").format_exact(2), "5.00");
        assert_eq!(wide("12.3456").format_exact(2), "12.3456");
        assert_eq!(wide("0.0001").format_exact(0), "0.0001");
        assert_eq!(wide("100").format_exact(0), "100");
    }

    #[test]
    fn a_share_is_divided_exactly_and_rounded_once() {
        let share = |a, q, p, e| Wide::share(d(a), d(q), d(p), e);
        // 100 × 800 ÷ 1000 = 80 exactly.
        assert_eq!(share("100", "800", "1000", 2), Some(d("80.00")));
        // 10 × 80 ÷ 30 = 26.666… → 26.67; 1 × 1 ÷ 8 = 0.125 → 0.12 (half to even).
        assert_eq!(share("10", "80", "30", 2), Some(d("26.67")));
        assert_eq!(share("1", "1", "8", 2), Some(d("0.12")));
        assert_eq!(share("3", "1", "8", 2), Some(d("0.38")));
        // 12-decimal amounts of a 10^15 order: the product has 55 digits.
        assert_eq!(
            share("123456789012345.123456789012", "999999999999999.999999999999", "999999999999999.999999999999", 2),
            Some(d("123456789012345.12"))
        );
        // 10^14 × (10^15 − 10^-12) ÷ 10^15 = 99999999999999.9999999999999 → 100000000000000.00.
        assert_eq!(
            share("100000000000000", "999999999999999.999999999999", "1000000000000000", 2),
            Some(d("100000000000000.00"))
        );
        assert_eq!(share("1", "1", "0", 2), None);
    }
}
