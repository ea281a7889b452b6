//! Properties of `simulate` over generated data:
//! - simulating a range equals simulating each of its cycles on its own (from trigger i to
//!   trigger i + 1, no pauses, no carry-over): same windows, statuses, revenue, pools,
//!   leaderboards and allocations;
//! - in every cycle the allocations sum exactly to what is available, and the totals balance.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use serde_json::{json, Value};

const START: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const RANGE: i64 = 200 * 86_400;
const PEOPLE: [&str; 4] = ["ana", "ben", "7", "10"];
const TYPES: [&str; 3] = ["referredSiteVisit", "boundCouponUsed", "courseCompleted"];

fn instant(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(START + seconds, 0).map(|t| t.to_rfc3339()).unwrap_or_default()
}

/// (sale offset, cents, optional (refund delay, refund cents)).
type Sale = (i64, u32, Option<(i64, u32)>);

#[derive(Debug, Clone)]
struct Scenario {
    resolver: &'static str,
    schedule: &'static str,
    zone: &'static str,
    events: Vec<(usize, usize, i64)>,
    sales: Vec<Sale>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        prop::sample::select(vec!["topScoreWins", "performanceSharedPool", "sharedEngagementPool"]),
        prop::sample::select(vec!["first day of next month", "+10 days", "next monday"]),
        prop::sample::select(vec!["UTC", "America/New_York", "+05:30"]),
        prop::collection::vec((0..PEOPLE.len(), 0..TYPES.len(), 0..RANGE), 0..40),
        prop::collection::vec((0..RANGE, 1u32..100_000, prop::option::of((0..RANGE / 2, 1u32..100_000))), 0..15),
    )
        .prop_map(|(resolver, schedule, zone, events, sales)| Scenario { resolver, schedule, zone, events, sales })
}

fn input(s: &Scenario, start: &str, end: &str) -> Value {
    let events: Vec<Value> = s
        .events
        .iter()
        .enumerate()
        .map(|(i, (who, kind, at))| json!({"id": format!("e{i}"), "collaboratorId": PEOPLE[*who], "type": TYPES[*kind], "occurredAt": instant(*at)}))
        .collect();
    let transactions: Vec<Value> = s
        .sales
        .iter()
        .enumerate()
        .map(|(i, (at, cents, refund))| {
            let total = format!("{}.{:02}", cents / 100, cents % 100);
            let mut t = json!({"id": format!("t{i}"), "occurredAt": instant(*at), "total": total});
            if let Some((delay, refund_cents)) = refund {
                let amount = (*refund_cents).min(*cents);
                t["refunds"] = json!([{"occurredAt": instant(at + delay), "amount": format!("{}.{:02}", amount / 100, amount % 100)}]);
            }
            t
        })
        .collect();
    json!({
        "recipe": crate::support::cases::recipe(s.resolver, "USD", s.schedule),
        "distributorKey": "d",
        "config": [
            {"engagementTypes": {"referredSiteVisit": 1, "boundCouponUsed": 5, "courseCompleted": 10}, "revenuePercentage": "7.5", "transactionCompilers": ["lineItems"]},
            {"effectiveFrom": instant(RANGE / 3), "engagementTypes": {"referredSiteVisit": 3, "boundCouponUsed": 5, "courseCompleted": 7}, "revenuePercentage": 12, "transactionCompilers": ["lineItems"]}
        ],
        "timeZone": s.zone,
        "start": start,
        "end": end,
        "events": events,
        "transactions": transactions,
    })
}

fn cents(amount: &str) -> i128 {
    amount.replace('.', "").parse().unwrap_or(i128::MIN)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_range_is_the_concatenation_of_its_cycles(s in scenario()) {
        let whole = siren_engine::simulate(&input(&s, &instant(0), &instant(RANGE))).expect("simulates");
        prop_assert!(!whole.cycles.is_empty());
        for cycle in &whole.cycles {
            let one = siren_engine::simulate(&input(&s, &cycle.window.start, &cycle.window.end)).expect("simulates one cycle");
            prop_assert_eq!(one.cycles.len(), 1);
            let alone = &one.cycles[0];
            prop_assert_eq!(&alone.window, &cycle.window);
            prop_assert_eq!(alone.status, cycle.status);
            prop_assert_eq!(&alone.revenue, &cycle.revenue);
            prop_assert_eq!(&alone.pool, &cycle.pool);
            prop_assert_eq!(&alone.leaderboard, &cycle.leaderboard);
            prop_assert_eq!(&alone.allocations, &cycle.allocations);
            prop_assert_eq!(&alone.tie, &cycle.tie);
        }
    }

    #[test]
    fn allocations_sum_to_the_pool_and_totals_balance(s in scenario()) {
        let sim = siren_engine::simulate(&input(&s, &instant(0), &instant(RANGE))).expect("simulates");
        let mut pool = 0i128;
        let mut allocated = 0i128;
        for cycle in &sim.cycles {
            let sum: i128 = cycle.allocations.iter().map(|a| cents(&a.amount)).sum();
            if cycle.status == "distributed" {
                prop_assert_eq!(sum, cents(&cycle.pool));
            } else {
                prop_assert_eq!(sum, 0);
            }
            pool += cents(&cycle.pool);
            allocated += sum;
        }
        prop_assert_eq!(cents(&sim.totals.pool), pool);
        prop_assert_eq!(cents(&sim.totals.allocated), allocated);
        prop_assert_eq!(cents(&sim.totals.pool), cents(&sim.totals.allocated) + cents(&sim.totals.unawarded) + cents(&sim.totals.carried_over));
    }
}
