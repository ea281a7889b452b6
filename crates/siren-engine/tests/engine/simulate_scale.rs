//! A year of data: 50,000 events and 40,000 transaction lines over 12 monthly cycles. Each
//! window takes its slice of the sorted input, so this stays well under a second in release.

use serde_json::{json, Value};
use std::time::Instant;

const START: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const YEAR: i64 = 365 * 86_400;

fn instant(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(START + seconds, 0).map(|t| t.to_rfc3339()).unwrap_or_default()
}

fn year_input() -> Value {
    let types = ["referredSiteVisit", "boundCouponUsed", "courseCompleted"];
    let events: Vec<Value> = (0..50_000i64)
        .map(|i| {
            json!({"id": format!("e{i}"), "collaboratorId": format!("c{}", (i * 7919) % 300), "type": types[(i % 3) as usize],
                   "occurredAt": instant((i * 104_729) % YEAR)})
        })
        .collect();
    let transactions: Vec<Value> = (0..20_000i64)
        .map(|i| {
            let mut t = json!({"id": format!("t{i}"), "occurredAt": instant((i * 15_485_863) % YEAR), "details": [
                {"type": "product", "amount": format!("{}.{:02}", 10 + i % 90, i % 100), "quantity": 1 + i % 3},
                {"type": "shipping", "amount": "4.99"}
            ]});
            if i % 10 == 0 {
                t["refunds"] = json!([{"occurredAt": instant((i * 15_485_863) % YEAR + 20 * 86_400)}]);
            }
            t
        })
        .collect();
    json!({
        "recipe": crate::support::cases::recipe("performanceSharedPool", "USD", "first day of next month"),
        "distributorKey": "d",
        "config": {"engagementTypes": {"referredSiteVisit": 1, "boundCouponUsed": 5, "courseCompleted": 10}, "revenuePercentage": 10, "transactionCompilers": ["lineItems", "shipping"]},
        "timeZone": "America/New_York",
        "start": "2026-01-01T00:00:00-05:00",
        "end": "2027-01-01T00:00:00-05:00",
        "events": events,
        "transactions": transactions,
    })
}

#[test]
fn a_year_of_data_simulates_and_balances() {
    let input = year_input();
    let began = Instant::now();
    let simulation = siren_engine::simulate(&input).expect("simulates");
    eprintln!("simulated 12 cycles of 50k events / 40k lines in {:?}", began.elapsed());
    assert_eq!(simulation.cycles.len(), 12);
    assert_eq!(simulation.totals.distributed_cycles, 12);
    let cents = |s: &str| -> i128 { s.replace('.', "").parse().expect("amount") };
    let counted: usize = simulation
        .cycles
        .iter()
        .map(|c| c.explanation.scoring.collaborators.iter().map(|x| x.events.count).sum::<usize>())
        .sum();
    // Every event from the start (05:00Z, midnight in New York) on is in exactly one window.
    let expected = (0..50_000i64).filter(|i| (i * 104_729) % YEAR >= 5 * 3600).count();
    assert_eq!(counted, expected);
    for cycle in &simulation.cycles {
        let sum: i128 = cycle.allocations.iter().map(|a| cents(&a.amount)).sum();
        assert_eq!(sum, cents(&cycle.pool));
    }
    assert_eq!(cents(&simulation.totals.pool), cents(&simulation.totals.allocated));
}
