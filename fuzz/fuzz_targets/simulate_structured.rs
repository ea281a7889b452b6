//! A structured, mostly valid simulate input built with `arbitrary` (small recipe, a config that
//! may change mid-range, events including manual credits, transactions with lines, discounts and
//! refunds, pauses, policies, amounts up to absurd) → `siren_engine::simulate`, then `siren_engine::compare`.
//! Properties on success: in every cycle allocations are non-negative and sum exactly to
//! `available` (distributed) or are empty (other statuses); obligations mirror allocations;
//! totals balance (pool = allocated + unawarded + carriedOver; Σ per collaborator = allocated);
//! the same input gives the same bytes. On failure: a located error.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

#[derive(Arbitrary, Debug)]
struct Input {
    resolver: u8,
    schedule: u8,
    zone: u8,
    units: u8,
    percentage: u16,
    carry_over: bool,
    tie: u8,
    inactive: bool,
    change: Option<(u16, u16, u8)>,
    collaborators: Option<Vec<(u8, u8)>>,
    events: Vec<(u8, u8, u32, Option<u32>)>,
    transactions: Vec<Sale>,
    pauses: Vec<(u32, u16)>,
    range_days: u16,
    huge: bool,
}

#[derive(Arbitrary, Debug)]
struct Sale {
    at: u32,
    status: u8,
    total: Option<u64>,
    lines: Vec<(u8, u64, u16)>,
    refunds: Vec<(u32, Option<u64>)>,
}

const START: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const PEOPLE: &[&str] = &["ana", "ben", "7", "10", "9", "cy"];
const TYPES: &[&str] = &["referredSiteVisit", "boundCouponUsed", "courseCompleted", "manual", "unknownThing"];

fn instant(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(START + seconds, 0).map(|t| t.to_rfc3339()).unwrap_or_default()
}

/// Amounts: mostly cents of ordinary size; with `huge`, anything up to u64 (beyond the limit).
fn money(raw: u64, huge: bool, exponent: u32) -> String {
    let minor = if huge { raw } else { raw % 10_000_000 };
    if exponent == 0 {
        return minor.to_string();
    }
    let scale = 10u64.pow(exponent);
    format!("{}.{:0width$}", minor / scale, minor % scale, width = exponent as usize)
}

fn minor(amount: &str) -> i128 {
    assert!(!amount.starts_with('-'), "negative amount {amount}");
    amount.replace('.', "").parse().expect("amount is a decimal")
}

fn build(input: &Input) -> Value {
    let (units, exponent) = [("USD", 2), ("JPY", 0), ("KWD", 3), ("points", 0)][input.units as usize % 4];
    let range = 86_400 * (1 + i64::from(input.range_days % 400));
    let offset = |raw: u32| i64::from(raw) % (range + 86_400) - 3_600;
    let percentage = format!("{}.{:02}", 1 + input.percentage % 10_000 / 100, input.percentage % 100).replace("101.", "100.");
    let types = json!({"referredSiteVisit": 1, "boundCouponUsed": 5, "courseCompleted": 10, "manual": null});
    let mut config = vec![json!({"engagementTypes": types, "revenuePercentage": percentage, "transactionCompilers": ["lineItems", "discounts", "shipping"]})];
    if let Some((day, pct, weight)) = input.change {
        config.push(json!({
            "effectiveFrom": instant(86_400 * i64::from(day % 400)),
            "engagementTypes": {"referredSiteVisit": weight % 4, "courseCompleted": 7, "manual": 1},
            "revenuePercentage": 1 + pct % 100,
            "transactionCompilers": ["lineItems"],
            "lineItemFilters": {"withTypes": ["product"]}
        }));
    }
    let events: Vec<Value> = input
        .events
        .iter()
        .take(64)
        .enumerate()
        .map(|(i, (who, kind, at, points))| {
            let kind = TYPES[*kind as usize % TYPES.len()];
            let mut e = json!({"id": format!("e{i}"), "collaboratorId": PEOPLE[*who as usize % PEOPLE.len()], "type": kind, "occurredAt": instant(offset(*at))});
            if let (Some(p), "manual") = (points, kind) {
                e["points"] = json!(if input.huge { u64::from(*p) << 21 } else { u64::from(*p % 1000) });
            }
            e
        })
        .collect();
    let transactions: Vec<Value> = input
        .transactions
        .iter()
        .take(16)
        .enumerate()
        .map(|(i, sale)| {
            let mut t = json!({"id": format!("t{i}"), "occurredAt": instant(offset(sale.at)), "status": (["complete", "refunded", "cancelled"][sale.status as usize % 3])});
            if let Some(total) = sale.total {
                t["total"] = json!(money(total, input.huge, exponent));
            }
            if !sale.lines.is_empty() || sale.total.is_none() {
                t["details"] = sale
                    .lines
                    .iter()
                    .take(6)
                    .map(|(kind, amount, qty)| {
                        json!({"type": (["product", "subscription", "discount", "shipping", "fee", "tax"][*kind as usize % 6]), "amount": money(*amount, input.huge, exponent), "quantity": qty % 5})
                    })
                    .collect();
            }
            t["refunds"] = sale
                .refunds
                .iter()
                .take(3)
                .map(|(delay, amount)| {
                    let mut r = json!({"occurredAt": instant(offset(sale.at) + i64::from(*delay % 10_000_000))});
                    if let Some(a) = amount {
                        r["amount"] = json!(money(*a, input.huge, exponent));
                    }
                    r
                })
                .collect();
            t
        })
        .collect();
    let pauses: Vec<Value> = input
        .pauses
        .iter()
        .take(4)
        .map(|(from, len)| {
            let from = offset(*from);
            json!({"from": instant(from), "until": instant(from + 3_600 * i64::from(1 + len % 2_000))})
        })
        .collect();
    let mut doc = json!({
        "recipe": {"version": 1, "name": "R", "description": "D", "distributors": {"d": {
            "name": "D", "description": "D",
            "distributionResolver": (["topScoreWins", "performanceSharedPool", "sharedEngagementPool"][input.resolver as usize % 3]),
            "distributionPoolResolver": "revenueSinceLastDistribution",
            "status": if input.inactive { "inactive" } else { "active" },
            "units": units,
            "schedule": ([["first day of next month", ""], ["+10 days", ""], ["next monday", ""], ["+1 week", "midnight"], ["last day of next month", "23:59"]][input.schedule as usize % 5]).iter().filter(|s| !s.is_empty()).collect::<Vec<_>>()}}},
        "distributorKey": "d",
        "config": config,
        "timeZone": (["UTC", "America/New_York", "+05:30", "Australia/Lord_Howe"][input.zone as usize % 4]),
        "start": instant(0),
        "end": instant(range),
        "events": events,
        "transactions": transactions,
        "pauses": pauses,
        "policies": {"tieBreak": (["earliestToReach", "split", "lowestCollaboratorId"][input.tie as usize % 3]), "carryOverUnawarded": input.carry_over},
    });
    if let Some(list) = &input.collaborators {
        let statuses = ["active", "pending", "inactive", "rejected", "deleted"];
        let mut seen = std::collections::BTreeSet::new();
        doc["collaborators"] = list
            .iter()
            .take(8)
            .filter(|(who, _)| seen.insert(*who as usize % PEOPLE.len()))
            .map(|(who, status)| json!({"id": PEOPLE[*who as usize % PEOPLE.len()], "status": statuses[*status as usize % 5]}))
            .collect();
    }
    doc
}

fuzz_target!(|input: Input| {
    let doc = build(&input);
    let simulation = match siren_engine::simulate(&doc) {
        Ok(simulation) => simulation,
        Err(e) => {
            assert!(e.path.starts_with('/') || e.path.is_empty());
            return;
        }
    };
    let mut allocated_total = 0i128;
    for cycle in &simulation.cycles {
        let sum: i128 = cycle.allocations.iter().map(|a| minor(&a.amount)).sum();
        assert!(cycle.allocations.iter().all(|a| minor(&a.amount) > 0), "zero or negative allocation");
        assert_eq!(sum, minor(&cycle.allocated));
        minor(&cycle.pool);
        match cycle.status {
            "distributed" => assert_eq!(sum, minor(&cycle.available), "allocations must sum to available"),
            _ => assert_eq!(sum, 0),
        }
        if cycle.status == "paused" {
            assert_eq!(minor(&cycle.carried_in), minor(&cycle.carried_out), "a pause holds what was carried");
        } else {
            // Every available unit is allocated, dropped or carried: none appears or vanishes.
            assert_eq!(minor(&cycle.available), sum + minor(&cycle.unawarded) + minor(&cycle.carried_out));
            assert_eq!(minor(&cycle.available), minor(&cycle.pool) + minor(&cycle.carried_in));
        }
        assert_eq!(cycle.obligations.len(), cycle.allocations.len());
        if cycle.status != "paused" {
            allocated_total += sum;
        }
    }
    let totals = &simulation.totals;
    assert_eq!(minor(&totals.allocated), allocated_total);
    assert_eq!(minor(&totals.pool), minor(&totals.allocated) + minor(&totals.unawarded) + minor(&totals.carried_over));
    let per_collaborator: i128 = totals.collaborators.iter().map(|c| minor(&c.amount)).sum();
    assert_eq!(per_collaborator, allocated_total);
    // Deterministic: the same input gives the same bytes.
    let again = siren_engine::simulate(&doc).expect("second run");
    assert_eq!(serde_json::to_string(&simulation).ok(), serde_json::to_string(&again).ok());
    // And compare runs on the same data with a variant.
    if input.percentage % 7 == 0 {
        let comparison = siren_engine::compare(&json!({"base": doc, "variant": {"revenuePercentage": "50", "engagementTypes": {"courseCompleted": 40}}}));
        if let Err(e) = comparison {
            assert!(e.path.starts_with("/variant") || e.path.starts_with("/base"), "{e:?}");
        }
    }
});
