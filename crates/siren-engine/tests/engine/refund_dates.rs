//! A refund dated before its sale is refused alike on every record path: the object path
//! (`preview_scores`, `simulate` with records as JSON), a JSON array loaded into an `Engine`,
//! and transaction columns, each at the refund's own instant.

use serde_json::{json, Value};
use siren_engine::{preview_scores, simulate, Engine, TransactionColumns};

/// Sold at 12:00 in Paris (11:00 UTC) for 100.00; refunded in full at `refund_at`.
fn transactions(refund_at: &str) -> Value {
    json!([
        {"id": "t0", "occurredAt": "2026-03-02T09:00:00Z", "total": "40.00"},
        {"id": "t1", "occurredAt": "2026-03-10T12:00:00+01:00", "total": "100.00", "refunds": [
            {"occurredAt": "2026-03-12T00:00:00Z", "amount": "10.00"},
            {"occurredAt": refund_at}
        ]}
    ])
}

fn input(refund_at: &str) -> Value {
    json!({
        "recipe": super::support::cases::recipe("topScoreWins", "USD", "first day of next month"),
        "distributorKey": "d",
        "config": {"engagementTypes": {"manual": 1}, "revenuePercentage": 10, "transactionCompilers": ["lineItems"]},
        "timeZone": "UTC",
        "at": "2026-03-20T00:00:00Z",
        "lastDistributionAt": "2026-03-01T00:00:00Z",
        "events": [],
        "transactions": transactions(refund_at),
    })
}

const MESSAGE: &str = "This refund of transaction `t1` is dated 2026-03-10T10:59:59Z, before its sale (2026-03-10T11:00:00Z); a refund cannot precede the sale it refunds. Correct the order's or the refund's date.";

#[test]
fn the_object_path_refuses_a_refund_before_its_sale() {
    let e = preview_scores(&input("2026-03-10T10:59:59Z")).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.path.as_str(), e.message.as_str()),
        ("transactions.refundBeforeSale", "/transactions/1/refunds/1/occurredAt", MESSAGE)
    );
    let mut sim = input("2026-03-10T10:59:59Z");
    let object = sim.as_object_mut().unwrap();
    object.remove("at");
    object.remove("lastDistributionAt");
    object.insert("start".into(), json!("2026-03-01T00:00:00Z"));
    object.insert("end".into(), json!("2026-04-01T00:00:00Z"));
    let e = simulate(&sim).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.path.as_str()),
        ("transactions.refundBeforeSale", "/transactions/1/refunds/1/occurredAt")
    );
}

/// At the sale's very instant (written with another offset) a refund is accepted and counts:
/// sales 40.00 + 100.00, refunds 10.00 + what is left of t1 (90.00), revenue 40.00, pool 4.00.
#[test]
fn a_refund_at_the_sales_instant_counts() {
    let preview = preview_scores(&input("2026-03-10T11:00:00Z")).unwrap();
    let revenue = serde_json::to_value(&preview.explanation.revenue).unwrap();
    assert_eq!((revenue["sales"].as_str(), revenue["refunds"].as_str()), (Some("140.00"), Some("100.00")));
    assert_eq!((preview.revenue.as_str(), preview.pool.as_str()), ("40.00", "4.00"));
}

#[test]
fn the_bulk_path_refuses_it_alike() {
    let text = serde_json::to_vec(&transactions("2026-03-10T10:59:59Z")).unwrap();
    let mut engine = Engine::new();
    let e = engine.load_transactions_json(&text).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.path.as_str(), e.message.as_str()),
        ("transactions.refundBeforeSale", "/transactions/1/refunds/1/occurredAt", MESSAGE)
    );
    // Columns: the same records, the refund located in its column.
    let columns = |refund_ms: f64| TransactionColumns {
        transaction_ids: vec!["t0".to_string(), "t1".to_string()].into(),
        occurred_at_ms: vec![1_772_442_000_000.0, 1_773_140_400_000.0], // 2026-03-02T09:00Z, 2026-03-10T11:00Z
        total: Some(vec![4000.0, 10000.0]),
        amount_scale: 2,
        refund_transaction_index: vec![1, 1],
        refund_occurred_at_ms: vec![1_773_273_600_000.0, refund_ms], // 2026-03-12T00:00Z
        refund_amount: Some(vec![1000.0, f64::NAN]),
        ..TransactionColumns::default()
    };
    let e = engine.load_transaction_columns(columns(1_773_140_399_000.0)).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.path.as_str(), e.message.as_str()),
        ("transactions.refundBeforeSale", "/transactions/refundOccurredAtMs/1", MESSAGE)
    );
    // At the sale's instant: loaded, and the same preview as the object path's.
    engine.load_transaction_columns(columns(1_773_140_400_000.0)).unwrap();
    let mut rest = input("2026-03-10T11:00:00Z");
    rest.as_object_mut().unwrap().remove("transactions");
    rest.as_object_mut().unwrap().remove("events");
    let preview = engine.preview(&rest).unwrap();
    assert_eq!((preview.revenue.as_str(), preview.pool.as_str()), ("40.00", "4.00"));
}
