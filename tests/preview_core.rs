//! Preview behaviour tested with typed configurations built in Rust (independent of the config
//! parser): line-item filters, eligible collaborators, the explanation's traceability, and the
//! handling of contracts that cannot deliver (a config that does not parse).

mod preview_support;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use siren_engine::config::{Compiler, ConfigHistory, ConfigVersion, DetailType, LineItemFilters};
use siren_engine::preview::{self, Preview};
use siren_engine::time::Zone;
use std::collections::BTreeMap;

fn utc() -> Zone {
    Zone::Fixed(FixedOffset::east_opt(0).unwrap())
}

fn instant(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn version(percentage: i64, compilers: &[Compiler]) -> ConfigVersion {
    ConfigVersion {
        effective_from: None,
        engagement_types: BTreeMap::from([("manual".to_string(), 0), ("referredSiteVisit".to_string(), 1)]),
        revenue_percentage: Decimal::from(percentage),
        transaction_compilers: compilers.to_vec(),
        line_item_filters: LineItemFilters::default(),
        eligible_collaborators: None,
    }
}

fn input(resolver: &str, events: Value, transactions: Value) -> Value {
    json!({
        "recipe": preview_support::recipe(resolver, "USD", "first day of next month"),
        "distributorKey": "d",
        "config": {"engagementTypes": {"manual": 0}, "revenuePercentage": 10, "transactionCompilers": ["lineItems"]},
        "timeZone": "UTC",
        "at": "2026-03-31T00:00:00Z",
        "window": {"start": "2026-03-01T00:00:00Z", "end": "2026-04-01T00:00:00Z"},
        "events": events,
        "transactions": transactions,
    })
}

fn preview_with(config: ConfigHistory, input: &Value) -> Preview {
    let request = preview::read_request(input, Some(config), Some(utc())).expect("valid input");
    preview::run(&request).expect("computes")
}

fn manual(id: &str, who: &str, points: i64) -> Value {
    json!({"id": id, "collaboratorId": who, "type": "manual", "occurredAt": "2026-03-05T00:00:00Z", "points": points})
}

fn filtered_transaction() -> Value {
    json!([{"id": "t", "occurredAt": "2026-03-05T00:00:00Z", "details": [
        {"type": "product", "amount": "100", "sku": "BOOK", "categories": ["books"], "ownerCollaboratorIds": [1]},
        {"type": "product", "amount": "40", "quantity": 2, "sku": "MUG", "categories": ["merch"]},
        {"type": "subscription", "amount": "25", "sku": "CLUB", "categories": ["books"]}
    ]}])
}

fn revenue_with_filters(filters: LineItemFilters) -> String {
    let mut v = version(100, &[Compiler::LineItems]);
    v.line_item_filters = filters;
    preview_with(
        ConfigHistory { versions: vec![v] },
        &input("topScoreWins", json!([manual("e", "a", 1)]), filtered_transaction()),
    )
    .revenue
}

#[test]
fn line_item_filters_restrict_product_and_subscription_lines() {
    assert_eq!(revenue_with_filters(LineItemFilters::default()), "205.00");
    assert_eq!(
        revenue_with_filters(LineItemFilters { with_types: vec![DetailType::Subscription], ..Default::default() }),
        "25.00"
    );
    assert_eq!(revenue_with_filters(LineItemFilters { with_skus: vec!["MUG".into()], ..Default::default() }), "80.00");
    assert_eq!(
        revenue_with_filters(LineItemFilters { in_categories: vec!["books".into()], ..Default::default() }),
        "125.00"
    );
    assert_eq!(revenue_with_filters(LineItemFilters { collaborator_owned: true, ..Default::default() }), "100.00");
}

#[test]
fn explanation_traces_each_line() {
    let mut v = version(100, &[Compiler::LineItems]);
    v.line_item_filters.with_skus = vec!["BOOK".into()];
    let out = preview_with(
        ConfigHistory { versions: vec![v] },
        &input("topScoreWins", json!([manual("e", "a", 1)]), filtered_transaction()),
    );
    let lines = serde_json::to_value(&out.explanation.revenue.transactions[0].lines).unwrap();
    assert_eq!(
        lines,
        json!([
            {"detail": 0, "type": "product", "lineTotal": "100.00", "qualifying": "100.00"},
            {"detail": 1, "type": "product", "lineTotal": "80.00", "qualifying": "0.00", "excluded": "skuFiltered"},
            {"detail": 2, "type": "subscription", "lineTotal": "25.00", "qualifying": "0.00", "excluded": "skuFiltered"}
        ])
    );
    assert_eq!(out.explanation.scoring.collaborators[0].events.ids, vec!["e".to_string()]);
}

#[test]
fn eligible_collaborators_restrict_who_earns() {
    let mut v = version(10, &[Compiler::LineItems]);
    v.eligible_collaborators = Some(vec!["a".into()]);
    let events = json!([manual("e1", "a", 3), manual("e2", "b", 9)]);
    let out = preview_with(
        ConfigHistory { versions: vec![v] },
        &input("topScoreWins", events, json!([{"id": "t", "occurredAt": "2026-03-02T00:00:00Z", "total": 100}])),
    );
    assert_eq!(out.leaderboard.len(), 1);
    assert_eq!(out.allocations[0].collaborator_id, "a");
    assert_eq!(out.allocations[0].amount, "10.00");
    let ignored = serde_json::to_value(&out.explanation.scoring.ignored).unwrap();
    assert_eq!(ignored, json!([{"reason": "ineligibleCollaborator", "count": 1, "ids": ["e2"], "truncated": false}]));
}

#[test]
fn events_before_the_first_version_have_no_config() {
    let mut v = version(10, &[Compiler::LineItems]);
    v.effective_from = Some(instant("2026-03-10T00:00:00Z"));
    let events = json!([manual("early", "a", 3), {"id": "late", "collaboratorId": "a", "type": "referredSiteVisit", "occurredAt": "2026-03-12T00:00:00Z"}]);
    let out = preview_with(ConfigHistory { versions: vec![v] }, &input("topScoreWins", events, json!([])));
    assert_eq!(out.leaderboard[0].score, 1);
    assert_eq!(out.explanation.scoring.ignored[0].ids.ids, vec!["early".to_string()]);
}

#[test]
fn ignored_id_lists_are_capped() {
    let events: Vec<Value> = (0..120)
        .map(|i| json!({"id": i, "collaboratorId": "a", "type": "unknownThing", "occurredAt": "2026-03-05T00:00:00Z"}))
        .collect();
    let out = preview_with(
        ConfigHistory { versions: vec![version(10, &[])] },
        &input("topScoreWins", Value::Array(events), json!([])),
    );
    let ignored = &out.explanation.scoring.ignored[0];
    assert_eq!((ignored.ids.count, ignored.ids.ids.len(), ignored.ids.truncated), (120, 50, true));
    // Numeric ids are listed in numeric order.
    assert_eq!(ignored.ids.ids[..3], ["0".to_string(), "1".to_string(), "2".to_string()]);
}

#[test]
fn a_config_that_does_not_parse_is_an_error_not_a_panic() {
    // Through the public entry: on this branch `config::parse` may still be a stub returning
    // None; either way a bad config must come back as a located EngineError.
    let mut bad = input("topScoreWins", json!([]), json!([]));
    bad["config"] = json!({"engagementTypes": "lots", "revenuePercentage": -3});
    let error = siren_engine::api::preview_scores(&bad).expect_err("a bad config is refused");
    assert!(error.path.starts_with("/config") || error.path == "/timeZone", "{error:?}");
}

#[test]
fn window_from_last_distribution_uses_the_schedule() {
    // Needs the real schedule (`first day of next month`); the stub on this branch errors.
    let mut value = input("topScoreWins", json!([manual("e", "a", 1)]), json!([]));
    let object = value.as_object_mut().unwrap();
    object.remove("window");
    object.insert("lastDistributionAt".into(), json!("2026-03-01T00:00:00Z"));
    let request = preview::read_request(&value, Some(ConfigHistory { versions: vec![version(10, &[])] }), Some(utc()));
    match request {
        Ok(request) => {
            assert_eq!(request.window.start, instant("2026-03-01T00:00:00Z"));
            assert_eq!(request.window.end, instant("2026-04-01T00:00:00Z"));
        }
        // The stub schedule reports `schedule.unsupported`, located in the recipe: not a panic.
        Err(error) => assert_eq!(error.path, "/recipe/distributors/d/schedule/0", "{error:?}"),
    }
}

#[test]
fn window_without_last_distribution_is_the_schedule_window_containing_at() {
    let mut value = input("topScoreWins", json!([manual("e", "a", 1)]), json!([]));
    let object = value.as_object_mut().unwrap();
    object.remove("window");
    object.insert("timeZone".into(), json!("America/New_York"));
    object.insert("at".into(), json!("2026-03-15T12:00:00-04:00"));
    let out = siren_engine::api::preview_scores(&value).expect("computes");
    assert_eq!(out.window.start, "2026-03-01T00:00:00-05:00");
    assert_eq!(out.window.end, "2026-04-01T00:00:00-04:00");
    assert_eq!(out.index, 2);
}
