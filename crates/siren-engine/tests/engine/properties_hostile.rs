//! Properties of the whole JSON surface (`siren_engine::*`) that the other property files do not cover
//! (issue #7). Already elsewhere: allocation sums at the resolver level and monotone shares
//! (`preview_properties.rs`), scoring's event-order independence on typed events (same file),
//! a range = its cycles one by one and sums without pauses or carry-over
//! (`simulate_properties.rs`), arbitrary JSON never panics the validators (`validate_recipe.rs`).
//!
//! Here:
//! - the preview's scores do not depend on the order of `events` in the JSON, nor on splitting
//!   the events into batches (the scores of the batches add up to the scores of the whole);
//! - adding an event never lowers its collaborator's score and never changes anyone else's;
//! - simulate conserves every minor unit with pauses, carry-over, refunds, an inactive
//!   collaborator and several currencies: no negative allocation, allocations sum to
//!   `available = pool + carriedIn`, nothing appears or vanishes between cycles, totals balance;
//! - simulate's output bytes do not depend on the order of events or transactions.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const START: i64 = 1_772_323_200; // 2026-03-01T00:00:00Z
const PEOPLE: [&str; 5] = ["ana", "ben", "7", "10", "cy"];
const TYPES: [&str; 4] = ["referredSiteVisit", "courseCompleted", "manual", "notConfigured"];

fn instant(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(START + seconds, 0).map(|t| t.to_rfc3339()).unwrap_or_default()
}

/// (who, type, minute offset within a 31-day window (some before it), manual points)
type Row = (usize, usize, i64, u32);

fn rows() -> impl Strategy<Value = Vec<Row>> {
    prop::collection::vec((0..PEOPLE.len(), 0..TYPES.len(), -2_000i64..45_000, 0u32..500), 0..50)
}

fn event(i: usize, (who, kind, minutes, points): &Row) -> Value {
    let mut e = json!({"id": format!("e{i}"), "collaboratorId": PEOPLE[*who], "type": TYPES[*kind], "occurredAt": instant(minutes * 60)});
    if TYPES[*kind] == "manual" {
        e["points"] = json!(points);
    }
    e
}

fn preview_input(events: Vec<Value>) -> Value {
    json!({
        "recipe": crate::support::cases::recipe("performanceSharedPool", "USD", "first day of next month"),
        "distributorKey": "d",
        "config": [
            {"engagementTypes": {"manual": 0, "referredSiteVisit": 1, "courseCompleted": 10}, "revenuePercentage": 10, "transactionCompilers": ["lineItems"]},
            {"effectiveFrom": instant(15 * 86_400), "engagementTypes": {"manual": 3, "referredSiteVisit": 2, "courseCompleted": 7}, "revenuePercentage": 10, "transactionCompilers": ["lineItems"]}
        ],
        "timeZone": "UTC",
        "at": instant(30 * 86_400),
        "lastDistributionAt": instant(0),
        "events": events,
        "transactions": [{"id": "t1", "occurredAt": instant(3_600), "total": "1000.00"}],
    })
}

fn scores(input: &Value) -> BTreeMap<String, i64> {
    let preview = siren_engine::preview_scores(input).expect("previews");
    preview.leaderboard.iter().map(|e| (e.collaborator_id.to_string(), e.score)).filter(|(_, s)| *s != 0).collect()
}

fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed | 1;
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        items.swap(i, (state % (i as u64 + 1)) as usize);
    }
}

fn minor(amount: &str) -> i128 {
    assert!(!amount.starts_with('-'), "negative amount {amount}");
    amount.replace('.', "").parse().expect("a decimal amount")
}

/// A sale: (seconds into the range, cents, refund as (seconds after the sale, partial cents)).
type Sale = (i64, u32, Option<(i64, Option<u32>)>);

#[derive(Debug, Clone)]
struct Scenario {
    units: &'static str,
    resolver: &'static str,
    schedule: &'static str,
    carry_over: bool,
    events: Vec<(usize, usize, i64)>,
    sales: Vec<Sale>,
    pauses: Vec<(i64, i64)>,
}

const RANGE: i64 = 150 * 86_400;

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        prop::sample::select(vec!["USD", "JPY", "KWD"]),
        prop::sample::select(vec!["topScoreWins", "performanceSharedPool", "sharedEngagementPool"]),
        prop::sample::select(vec!["first day of next month", "+9 days", "next friday"]),
        any::<bool>(),
        // Sparse events, so some cycles have nobody scoring (noEngagement, carry-over).
        prop::collection::vec((0..PEOPLE.len(), 0..2usize, 0..RANGE), 0..12),
        prop::collection::vec(
            (0..RANGE, 1u32..5_000_000, prop::option::of((0..RANGE / 2, prop::option::of(1u32..5_000_000)))),
            0..12,
        ),
        prop::collection::vec((0..RANGE, 3_600i64..40 * 86_400), 0..3),
    )
        .prop_map(|(units, resolver, schedule, carry_over, events, sales, pauses)| Scenario {
            units,
            resolver,
            schedule,
            carry_over,
            events,
            sales,
            pauses,
        })
}

fn simulate_input(s: &Scenario) -> Value {
    let exponent = match s.units {
        "JPY" => 0,
        "KWD" => 3,
        _ => 2,
    };
    let money = |minor: u32| {
        if exponent == 0 {
            return minor.to_string();
        }
        let scale = 10u32.pow(exponent);
        format!("{}.{:0width$}", minor / scale, minor % scale, width = exponent as usize)
    };
    json!({
        "recipe": crate::support::cases::recipe(s.resolver, s.units, s.schedule),
        "distributorKey": "d",
        "config": {"engagementTypes": {"referredSiteVisit": 1, "courseCompleted": 10}, "revenuePercentage": "7.5", "transactionCompilers": ["lineItems"]},
        "timeZone": "America/New_York",
        "start": instant(0),
        "end": instant(RANGE),
        "collaborators": [{"id": "ana"}, {"id": "ben"}, {"id": "7"}, {"id": "10", "status": "inactive"}, {"id": "cy"}],
        "events": s.events.iter().enumerate().map(|(i, (who, kind, at))| json!({"id": format!("e{i}"), "collaboratorId": PEOPLE[*who], "type": TYPES[*kind], "occurredAt": instant(*at)})).collect::<Vec<_>>(),
        "transactions": s.sales.iter().enumerate().map(|(i, (at, amount, refund))| {
            let mut t = json!({"id": format!("t{i}"), "occurredAt": instant(*at), "total": money(*amount)});
            if let Some((delay, refund_amount)) = refund {
                let mut r = json!({"occurredAt": instant(at + delay)});
                if let Some(a) = refund_amount { r["amount"] = json!(money(*a)); }
                t["refunds"] = json!([r]);
            }
            t
        }).collect::<Vec<_>>(),
        "pauses": s.pauses.iter().map(|(from, len)| json!({"from": instant(*from), "until": instant(from + len)})).collect::<Vec<_>>(),
        "policies": {"carryOverUnawarded": s.carry_over, "tieBreak": "split"},
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn preview_scores_do_not_depend_on_event_order(rows in rows(), seed in any::<u64>()) {
        let mut events: Vec<Value> = rows.iter().enumerate().map(|(i, r)| event(i, r)).collect();
        let forward = siren_engine::preview_scores(&preview_input(events.clone())).expect("previews");
        shuffle(&mut events, seed);
        let shuffled = siren_engine::preview_scores(&preview_input(events)).expect("previews");
        // Byte for byte: leaderboard, reachedAt, allocations, explanation.
        prop_assert_eq!(serde_json::to_string(&forward).unwrap(), serde_json::to_string(&shuffled).unwrap());
    }

    #[test]
    fn preview_scores_add_up_over_batches(rows in rows(), batches in 1usize..5, seed in any::<u64>()) {
        let events: Vec<Value> = rows.iter().enumerate().map(|(i, r)| event(i, r)).collect();
        let whole = scores(&preview_input(events.clone()));
        let mut parts: Vec<Vec<Value>> = vec![Vec::new(); batches];
        let mut state = seed | 1;
        for e in events {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            parts[(state % batches as u64) as usize].push(e);
        }
        let mut summed: BTreeMap<String, i64> = BTreeMap::new();
        for part in parts {
            for (id, score) in scores(&preview_input(part)) {
                *summed.entry(id).or_default() += score;
            }
        }
        prop_assert_eq!(whole, summed);
    }

    #[test]
    fn adding_an_event_never_lowers_its_collaborators_score(rows in rows(), extra in (0..PEOPLE.len(), 0..TYPES.len(), -2_000i64..45_000, 0u32..500)) {
        let mut events: Vec<Value> = rows.iter().enumerate().map(|(i, r)| event(i, r)).collect();
        let before = scores(&preview_input(events.clone()));
        events.push(event(rows.len(), &extra));
        let after = scores(&preview_input(events));
        let who = PEOPLE[extra.0];
        prop_assert!(after.get(who).copied().unwrap_or(0) >= before.get(who).copied().unwrap_or(0));
        for (id, score) in &before {
            if id != who {
                prop_assert_eq!(after.get(id), Some(score), "someone else's score changed");
            }
        }
    }

    #[test]
    fn simulate_conserves_every_minor_unit(s in scenario()) {
        let sim = siren_engine::simulate(&simulate_input(&s)).expect("simulates");
        let mut carried = 0i128;
        let mut allocated_total = 0i128;
        for cycle in &sim.cycles {
            let allocations: Vec<i128> = cycle.allocations.iter().map(|a| minor(&a.amount)).collect();
            prop_assert!(allocations.iter().all(|a| *a > 0), "a zero or negative allocation");
            let sum: i128 = allocations.iter().sum();
            prop_assert_eq!(sum, minor(&cycle.allocated));
            prop_assert_eq!(minor(&cycle.carried_in), carried, "carried in != carried out of the previous cycle");
            if cycle.status == "paused" {
                prop_assert_eq!(sum, 0);
                prop_assert_eq!(minor(&cycle.carried_out), carried);
            } else {
                prop_assert_eq!(minor(&cycle.available), minor(&cycle.pool) + minor(&cycle.carried_in));
                prop_assert_eq!(minor(&cycle.available), sum + minor(&cycle.unawarded) + minor(&cycle.carried_out));
                if cycle.status == "distributed" { prop_assert_eq!(sum, minor(&cycle.available)); }
                if !s.carry_over { prop_assert_eq!(minor(&cycle.carried_out), 0); }
                allocated_total += sum;
            }
            // The explanation accounts for the same money as the cycle, paused or not, and
            // its split sums exactly: available = allocated + unawarded + carriedOut + deferred.
            let a = &cycle.explanation.allocation;
            prop_assert_eq!((&a.carried_in, &a.available, &a.allocated), (&cycle.carried_in, &cycle.available, &cycle.allocated));
            prop_assert_eq!((&a.unawarded, &a.carried_out), (&cycle.unawarded, &cycle.carried_out));
            prop_assert_eq!(minor(&a.available), minor(&cycle.pool) + minor(&a.carried_in));
            prop_assert_eq!(minor(&a.available), sum + minor(&a.unawarded) + minor(&a.carried_out) + minor(&a.deferred));
            prop_assert_eq!(minor(&a.deferred), if cycle.status == "paused" { minor(&cycle.pool) } else { 0 });
            prop_assert!(cycle.allocations.iter().all(|a| &*a.collaborator_id != "10"), "an inactive collaborator was paid");
            carried = minor(&cycle.carried_out);
        }
        prop_assert_eq!(minor(&sim.totals.allocated), allocated_total);
        prop_assert_eq!(minor(&sim.totals.carried_over), carried);
        prop_assert_eq!(minor(&sim.totals.pool), minor(&sim.totals.allocated) + minor(&sim.totals.unawarded) + minor(&sim.totals.carried_over));
        let per_collaborator: i128 = sim.totals.collaborators.iter().map(|c| minor(&c.amount)).sum();
        prop_assert_eq!(per_collaborator, allocated_total);
    }

    #[test]
    fn simulate_does_not_depend_on_input_order(s in scenario(), seed in any::<u64>()) {
        let input = simulate_input(&s);
        let mut shuffled = input.clone();
        for key in ["events", "transactions", "pauses", "collaborators"] {
            if let Some(Value::Array(items)) = shuffled.get_mut(key) {
                shuffle(items, seed);
            }
        }
        let a = serde_json::to_string(&siren_engine::simulate(&input).expect("simulates")).unwrap();
        let b = serde_json::to_string(&siren_engine::simulate(&shuffled).expect("simulates")).unwrap();
        prop_assert_eq!(a, b);
    }
}
