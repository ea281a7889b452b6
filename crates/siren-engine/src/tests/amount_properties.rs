//! Properties of exact money arithmetic (proptest): the fast paths of `exact_add` and
//! `exact_mul` (same scale, 64-bit mantissas) give the same `Decimal`, bit for bit (value, scale
//! and sign), or the same refusal, as the plain definitions they shortcut, kept here as the
//! reference.

use proptest::prelude::*;
use rust_decimal::Decimal;
use siren_engine::amount::{exact_add, exact_mul};

/// `checked_add`, refused when it rounded (the definition before the same-scale shortcut).
fn reference_add(a: Decimal, b: Decimal) -> Option<Decimal> {
    let sum = a.checked_add(b)?;
    (sum.checked_sub(a)? == b && sum.checked_sub(b)? == a).then_some(sum)
}

/// The product of the normalized mantissas with trailing zeros stripped (the definition before
/// the shortcuts).
fn reference_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    let (a, b) = (a.normalize(), b.normalize());
    let mut mantissa = a.mantissa().checked_mul(b.mantissa())?;
    let mut scale = a.scale().checked_add(b.scale())?;
    while scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    if scale > 28 || mantissa.unsigned_abs() >= 1u128 << 96 {
        return None;
    }
    Decimal::try_from_i128_with_scale(mantissa, scale).ok()
}

/// Decimals of every size and scale, with trailing zeros, zeros of both signs and the extremes.
fn decimal() -> impl Strategy<Value = Decimal> {
    let mantissa = prop_oneof![
        Just(0i128),
        -1000i128..1000,
        -10_000_000_000i128..10_000_000_000,
        (0u32..96).prop_map(|bits| (1i128 << bits) - 1),
        (0u32..=28).prop_map(|digits| 10i128.pow(digits)),
        Just((1i128 << 96) - 1),
        any::<i128>().prop_map(|m| m % (1i128 << 96)),
    ];
    (mantissa, 0u32..=28, any::<bool>()).prop_map(|(m, scale, negate)| {
        let mut d = Decimal::from_i128_with_scale(m, scale);
        if negate {
            d.set_sign_negative(!d.is_sign_negative());
        }
        d
    })
}

/// The same result down to the representation (`serialize` holds flags, scale and mantissa).
fn same(a: Option<Decimal>, b: Option<Decimal>) -> bool {
    a.map(|d| d.serialize()) == b.map(|d| d.serialize())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn exact_add_is_its_definition(a in decimal(), b in decimal()) {
        prop_assert!(same(exact_add(a, b), reference_add(a, b)), "{a} + {b}: {:?} vs {:?}", exact_add(a, b), reference_add(a, b));
    }

    #[test]
    fn exact_add_at_one_scale_is_its_definition(m in any::<i128>(), n in any::<i128>(), scale in 0u32..=28) {
        let (a, b) = (Decimal::from_i128_with_scale(m % (1i128 << 96), scale), Decimal::from_i128_with_scale(n % (1i128 << 96), scale));
        prop_assert!(same(exact_add(a, b), reference_add(a, b)), "{a} + {b}");
    }

    #[test]
    fn exact_add_and_mul_of_64_bit_mantissas_are_their_definitions(m in any::<i64>(), n in any::<i64>(), s in 0u32..=28, t in 0u32..=28, shift in 0u32..64) {
        // Mantissas of every magnitude up to 2^63, where the 64-bit paths run and overflow.
        let (a, b) = (Decimal::from_i128_with_scale(i128::from(m >> shift), s), Decimal::from_i128_with_scale(i128::from(n), t));
        prop_assert!(same(exact_add(a, b), reference_add(a, b)), "{a} + {b}");
        prop_assert!(same(exact_mul(a, b), reference_mul(a, b)), "{a} × {b}");
    }

    #[test]
    fn exact_mul_is_its_definition(a in decimal(), b in decimal()) {
        prop_assert!(same(exact_mul(a, b), reference_mul(a, b)), "{a} × {b}: {:?} vs {:?}", exact_mul(a, b), reference_mul(a, b));
    }

    #[test]
    fn exact_mul_by_a_quantity_is_its_definition(a in decimal(), quantity in 0u64..=1_000_000) {
        let b = Decimal::from(quantity);
        prop_assert!(same(exact_mul(a, b), reference_mul(a, b)), "{a} × {quantity}");
    }
}
