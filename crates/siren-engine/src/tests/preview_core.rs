//! Preview behaviour tested with typed configurations built in Rust (independent of the config
//! parser): line-item filters, eligible collaborators, the explanation's traceability, and the
//! handling of contracts that cannot deliver (a config that does not parse).

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
        "recipe": super::support::cases::recipe(resolver, "USD", "first day of next month"),
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
    assert_eq!(&*out.allocations[0].collaborator_id, "a");
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

/// A window with more refunds than the explanation lists: the first 200 in (occurredAt,
/// transaction id, refund) order are listed, with `refundsTruncated`, whatever order the sales
/// come in. The expected list is computed here from the input alone.
#[test]
fn refunds_listed_are_the_first_two_hundred_in_order() {
    let mut state = 7u64;
    let mut next = move |m: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % m
    };
    let mut expected: Vec<(String, String, usize)> = Vec::new(); // (refund instant, id, refund)
    let transactions: Vec<Value> = (0..700)
        .map(|i| {
            let id = if i % 3 == 0 { format!("{}", 1000 - i) } else { format!("t{i}") };
            let refunds: Vec<Value> = (0..1 + next(2) as usize)
                .map(|r| {
                    // Whole hours, so refunds share instants and the id and index decide.
                    let at = format!("2026-03-{:02}T{:02}:00:00Z", 10 + next(15), next(3));
                    expected.push((at.clone(), id.clone(), r));
                    json!({"occurredAt": at, "amount": "1.00"})
                })
                .collect();
            json!({"id": id, "occurredAt": "2026-03-02T00:00:00Z", "details": [{"type": "product", "amount": "50.00"}], "refunds": refunds})
        })
        .collect();
    let out =
        super::support::cases::run(&input("topScoreWins", json!([manual("e", "a", 1)]), json!(transactions))).unwrap();
    let revenue = &out.explanation.revenue;
    expected
        .sort_by(|a, b| a.0.cmp(&b.0).then_with(|| siren_engine::model::compare_ids(&a.1, &b.1)).then(a.2.cmp(&b.2)));
    let listed: Vec<(String, usize)> =
        revenue.refunds_applied.iter().map(|r| (r.transaction_id.clone(), r.refund)).collect();
    let first: Vec<(String, usize)> = expected.iter().take(200).map(|(_, id, r)| (id.clone(), *r)).collect();
    assert!(expected.len() > 900, "{}", expected.len());
    assert_eq!(listed, first);
    assert!(revenue.refunds_truncated);
    assert_eq!(revenue.refunds_applied[0].occurred_at, expected[0].0.replace('Z', "+00:00"));
    assert_eq!(revenue.refunds, format!("{}.00", expected.len()));
}

/// More excluded transactions than are listed: the first 50 ids in `compare_ids` order (whole
/// numbers numerically, first; then the rest bytewise), with the count, computed here from the
/// input alone.
#[test]
fn excluded_transactions_list_the_first_fifty_ids_in_order() {
    let ids: Vec<String> = (0..400)
        .map(|i| match i % 4 {
            0 => format!("{}", (i * 7919) % 1000),
            1 => format!("order-{}", (i * 104729) % 997),
            2 => format!("{}", 100_000 - i),
            _ => format!("Z{i}"),
        })
        .collect();
    // Sales at different instants, so the revenue pass (in time order) meets the ids out of order.
    let transactions: Vec<Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let at = format!("2026-02-{:02}T{:02}:00:00Z", 1 + (i * 37) % 28, (i * 11) % 24);
            json!({"id": id, "occurredAt": at, "details": [{"type": "product", "amount": "5.00"}]})
        })
        .collect();
    let out =
        super::support::cases::run(&input("topScoreWins", json!([manual("e", "a", 1)]), json!(transactions))).unwrap();
    let outside = out
        .explanation
        .revenue
        .excluded
        .iter()
        .find(|e| serde_json::to_value(e.reason).unwrap() == json!("outsideWindow"));
    let outside = &outside.expect("an outsideWindow list").ids;
    let mut expected: Vec<(bool, u64, String)> = ids
        .iter()
        .map(|id| match id.parse::<u64>() {
            Ok(n) => (false, n, id.clone()),
            Err(_) => (true, 0, id.clone()),
        })
        .collect();
    expected.sort();
    let first: Vec<String> = expected.iter().take(50).map(|e| e.2.clone()).collect();
    assert_eq!((outside.count, outside.truncated), (400, true));
    assert_eq!(outside.ids, first);
}
