//! Whatever the documented limits admit computes, exactly: a sale of up to 10^15 with 12
//! decimals, a percentage with up to 28 decimals (what `validateDistributorConfig` accepts) and
//! partial refunds with 12-decimal amounts never end in `preview.amountOutOfRange`, and every
//! figure equals an independent big-integer computation (the oracle below, on decimal text).
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use serde_json::{json, Value};
use std::cmp::Ordering;

/// A non-negative integer in base 10^9 limbs, least significant first: the oracle.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Big(Vec<u64>);

const BASE: u64 = 1_000_000_000;

impl Big {
    fn trim(mut self) -> Big {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
        self
    }
    fn small(x: u64) -> Big {
        Big(vec![x % BASE, x / BASE]).trim()
    }
    fn mul(&self, o: &Big) -> Big {
        let mut out = vec![0u64; self.0.len() + o.0.len() + 1];
        for (i, &a) in self.0.iter().enumerate() {
            let mut carry = 0;
            for (j, &b) in o.0.iter().enumerate() {
                let t = out[i + j] + a * b + carry;
                out[i + j] = t % BASE;
                carry = t / BASE;
            }
            let mut k = i + o.0.len();
            while carry > 0 {
                let t = out[k] + carry;
                out[k] = t % BASE;
                carry = t / BASE;
                k += 1;
            }
        }
        Big(out).trim()
    }
    fn add(&self, o: &Big) -> Big {
        let mut out = Vec::new();
        let mut carry = 0;
        for i in 0..self.0.len().max(o.0.len()) + 1 {
            let t = self.0.get(i).unwrap_or(&0) + o.0.get(i).unwrap_or(&0) + carry;
            out.push(t % BASE);
            carry = t / BASE;
        }
        Big(out).trim()
    }
    /// `self − o` for `self ≥ o`.
    fn sub(&self, o: &Big) -> Big {
        let mut out = Vec::new();
        let mut borrow = 0i64;
        for i in 0..self.0.len() {
            let mut t = *self.0.get(i).unwrap_or(&0) as i64 - *o.0.get(i).unwrap_or(&0) as i64 - borrow;
            borrow = i64::from(t < 0);
            if t < 0 {
                t += BASE as i64;
            }
            out.push(t as u64);
        }
        Big(out).trim()
    }
    fn cmp(&self, o: &Big) -> Ordering {
        self.0.len().cmp(&o.0.len()).then_with(|| self.0.iter().rev().cmp(o.0.iter().rev()))
    }
    fn pow10(k: u32) -> Big {
        (0..k).fold(Big::small(1), |x, _| x.mul(&Big::small(10)))
    }
    fn digits(&self) -> String {
        let mut s = self.0.iter().rev().map(|l| format!("{l:09}")).collect::<String>();
        s = s.trim_start_matches('0').to_string();
        if s.is_empty() {
            "0".into()
        } else {
            s
        }
    }
}

/// A decimal as (integer, scale).
#[derive(Clone, Debug)]
struct Dec(Big, u32);

impl Dec {
    fn parse(text: &str) -> Dec {
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        let digits = format!("{int}{frac}");
        let mut big = Big(vec![]);
        for c in digits.chars() {
            big = big.mul(&Big::small(10)).add(&Big::small(c.to_digit(10).unwrap().into()));
        }
        Dec(big, frac.len() as u32)
    }
    fn at(&self, scale: u32) -> Big {
        self.0.mul(&Big::pow10(scale - self.1))
    }
    /// As `format_exact` shows it: no trailing fractional zeros, at least `min` decimals.
    fn text(&self, min: u32) -> String {
        let mut digits = self.0.digits();
        let mut scale = self.1 as usize;
        while scale > min as usize && digits.ends_with('0') && digits.len() > 1 {
            digits.pop();
            scale -= 1;
        }
        if digits == "0" {
            scale = min as usize;
            digits = "0".repeat(scale + 1);
        }
        while scale < min as usize {
            digits.push('0');
            scale += 1;
        }
        if digits.len() <= scale {
            digits = format!("{}{digits}", "0".repeat(scale + 1 - digits.len()));
        }
        let (int, frac) = digits.split_at(digits.len() - scale);
        if frac.is_empty() {
            int.to_string()
        } else {
            format!("{int}.{frac}")
        }
    }
}

/// `x ÷ 10^k` rounded half to even, checked only by multiplication: the candidate `r`
/// satisfies 2·|r·d − x| ≤ d, with equality only for an even `r`.
fn is_rounding_of(r: &Big, x: &Big, d: &Big) -> bool {
    let rd = r.mul(d);
    let diff = if rd.cmp(x) == Ordering::Less { x.sub(&rd) } else { rd.sub(x) };
    match diff.add(&diff).cmp(d) {
        Ordering::Less => true,
        Ordering::Equal => r.0.first().unwrap_or(&0).is_multiple_of(2),
        Ordering::Greater => false,
    }
}

/// Up to 10^15 with up to 12 decimals, as text.
fn amount() -> impl Strategy<Value = String> {
    (0u32..=12).prop_flat_map(|scale| (0u128..=10u128.pow(15 + scale)).prop_map(move |m| Dec(big128(m), scale).text(0)))
}

/// (0, 100] with up to 28 decimals, within `Decimal` (what validation accepts).
fn percentage() -> impl Strategy<Value = String> {
    (0u32..=28).prop_flat_map(|scale| {
        let top = (100u128 * 10u128.pow(scale)).min(79_228_162_514_264_337_593_543_950_335);
        (1u128..=top).prop_map(move |m| Dec(big128(m), scale).text(0))
    })
}

fn big128(m: u128) -> Big {
    Big(vec![
        (m % 1_000_000_000) as u64,
        (m / 1_000_000_000 % 1_000_000_000) as u64,
        (m / 1_000_000_000_000_000_000 % 1_000_000_000) as u64,
        (m / 1_000_000_000_000_000_000_000_000_000) as u64,
    ])
    .trim()
}

fn input(sale: &str, fee: &str, percentage: &str, refunds: &[Option<String>]) -> Value {
    let refunds: Vec<Value> = refunds
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut r = json!({"occurredAt": format!("2026-01-{:02}T00:00:00Z", 11 + i)});
            if let Some(a) = a {
                r["amount"] = json!(a);
            }
            r
        })
        .collect();
    json!({
        "recipe": {"version": 1, "name": "R", "description": "R", "distributors": {"d": {"name": "D", "description": "D",
            "distributionResolver": "topScoreWins", "distributionPoolResolver": "revenueSinceLastDistribution",
            "status": "active", "units": "USD", "schedule": ["first day of next month"]}}},
        "distributorKey": "d",
        // Fees do not qualify, so a partial refund's share is amount × sale ÷ (sale + fee).
        "config": {"engagementTypes": {"manual": 1}, "revenuePercentage": percentage, "transactionCompilers": ["lineItems"]},
        "timeZone": "UTC",
        "lastDistributionAt": "2026-01-01T00:00:00Z",
        "at": "2026-01-31T00:00:00Z",
        "events": [{"collaboratorId": "a", "type": "manual", "occurredAt": "2026-01-05T00:00:00Z", "points": 1}],
        "transactions": [{"id": "t1", "occurredAt": "2026-01-10T00:00:00Z", "details": [
            {"type": "product", "amount": sale}, {"type": "fee", "amount": fee}], "refunds": refunds}],
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn within_the_limits_everything_computes_exactly(
        sale in amount(),
        fee in prop_oneof![Just("0".to_string()), amount()],
        percentage in percentage(),
        refunds in prop::collection::vec(prop::option::weighted(0.85, amount()), 0..4),
    ) {
        let config = json!({"engagementTypes": {"manual": 1}, "revenuePercentage": percentage, "transactionCompilers": ["lineItems"]});
        prop_assert!(siren_engine::validate_distributor_config(&config, None).unwrap().valid, "{percentage} does not validate");
        let preview = siren_engine::preview_scores(&input(&sale, &fee, &percentage, &refunds));
        let preview = match preview {
            Ok(p) => serde_json::to_value(p).unwrap(),
            Err(e) => return Err(TestCaseError::fail(format!("{e:?}"))),
        };
        // Each refund, by the oracle: a share of amount × sale ÷ paid in cents, at most what is left.
        let (q, paid) = (Dec::parse(&sale), Dec::parse(&sale).at(12).add(&Dec::parse(&fee).at(12)));
        let mut left = q.at(12);
        let applied = preview["explanation"]["revenue"]["refundsApplied"].as_array().unwrap().clone();
        prop_assert_eq!(applied.len(), refunds.len());
        for (refund, shown) in refunds.iter().zip(&applied) {
            let reduction = Dec::parse(shown["qualifyingReduction"].as_str().unwrap());
            let r = reduction.at(12);
            match refund {
                None => prop_assert_eq!(&r, &left),
                Some(a) => {
                    let a = Dec::parse(a);
                    if shown["method"] == "capped" {
                        prop_assert_eq!(&r, &left);
                    } else if fee == "0" {
                        prop_assert_eq!(&r, &a.at(12));
                    } else {
                        // cents = round(a × q × 100 ÷ paid): a and q at 12 decimals, paid at 12.
                        let cents = reduction.at(2);
                        let x = a.at(12).mul(&q.at(12)).mul(&Big::small(100));
                        prop_assert!(is_rounding_of(&cents, &x, &paid.mul(&Big::pow10(12))), "{:?} of {:?}", shown, refund);
                    }
                }
            }
            prop_assert!(r.cmp(&left) != Ordering::Greater);
            left = left.sub(&r);
        }
        // Revenue, the exact pool and its one rounding.
        prop_assert_eq!(preview["revenue"].as_str().unwrap(), Dec(left.clone(), 12).text(2));
        let p = Dec::parse(&percentage);
        let exact = Dec(left.mul(&p.0), 12 + p.1 + 2);
        prop_assert_eq!(preview["explanation"]["pool"]["exact"].as_str().unwrap(), exact.text(2));
        let pool = Dec::parse(preview["pool"].as_str().unwrap()).at(2);
        prop_assert!(is_rounding_of(&pool, &exact.0, &Big::pow10(exact.1 - 2)));
    }
}

/// The cases the issue names, by hand.
#[test]
fn the_reported_inputs_compute() {
    // 0.0000000000000000000000000001 % of 100.00 with a refund of 10.00: 90.00 × 10^-28 ÷ 100.
    let preview =
        siren_engine::preview_scores(&input("100.00", "0", "0.0000000000000000000000000001", &[Some("10.00".into())]))
            .unwrap();
    let preview = serde_json::to_value(preview).unwrap();
    assert_eq!(preview["explanation"]["pool"]["exact"], "0.00000000000000000000000000009");
    assert_eq!((preview["revenue"].as_str(), preview["pool"].as_str()), (Some("90.00"), Some("0.00")));
    // 999999999999999.99 at 33.333333333333 %: 333333333333329.9966666666666667 (rounded 333333333333330.00).
    let preview = siren_engine::preview_scores(&input("999999999999999.99", "0", "33.333333333333", &[])).unwrap();
    let preview = serde_json::to_value(preview).unwrap();
    assert_eq!(preview["explanation"]["pool"]["exact"], "333333333333329.9966666666666667");
    assert_eq!(preview["pool"], "333333333333330.00");
    // Partial refunds of 12 decimals of a sale with a fee: 0.000000000001 × 500 ÷ 1000 = 5e-13
    // (0.00), and 123.456789012345 × 500 ÷ 1000 = 61.7283945061725 → 61.73.
    let preview = siren_engine::preview_scores(&input(
        "500.000000000000",
        "500",
        "10",
        &[Some("0.000000000001".into()), Some("123.456789012345".into())],
    ))
    .unwrap();
    let preview = serde_json::to_value(preview).unwrap();
    let reductions: Vec<&str> = preview["explanation"]["revenue"]["refundsApplied"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["qualifyingReduction"].as_str().unwrap())
        .collect();
    assert_eq!(reductions, ["0.00", "61.73"]);
    assert_eq!((preview["revenue"].as_str(), preview["pool"].as_str()), (Some("438.27"), Some("43.83")));
}
