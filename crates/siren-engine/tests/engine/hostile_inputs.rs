//! Hostile values through the JSON surface (issue #7): absurd amounts and points are located
//! diagnostics, never a wrap, a panic or a silently rounded cent; sums over many large values
//! are exact or refused; the documented limits are enforced with located errors; regressions
//! found by the fuzz and property tests.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use siren_engine::{limits, Code};

fn base() -> Value {
    json!({
        "recipe": crate::support::cases::recipe("performanceSharedPool", "USD", "first day of next month"),
        "distributorKey": "d",
        "config": {"engagementTypes": {"manual": 1, "referredSiteVisit": 1}, "revenuePercentage": 10, "transactionCompilers": ["lineItems"]},
        "timeZone": "UTC",
        "at": "2026-03-31T00:00:00Z",
        "lastDistributionAt": "2026-03-01T00:00:00Z",
        "events": [{"id": "e1", "collaboratorId": "a", "type": "referredSiteVisit", "occurredAt": "2026-03-05T00:00:00Z"}],
        "transactions": [{"id": "t1", "occurredAt": "2026-03-05T00:00:00Z", "total": "100.00"}],
    })
}

fn with(path: &str, value: Value) -> Value {
    let mut input = base();
    *input.pointer_mut(path).expect("path exists") = value;
    input
}

fn number(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON number")
}

fn error(input: &Value) -> (Code, String) {
    let e = siren_engine::preview_scores(input).expect_err("an error");
    (e.code, e.path)
}

#[test]
fn absurd_amounts_are_located_diagnostics() {
    let total = "/transactions/0/total";
    for (value, code) in [
        (number("1e30"), Code::TransactionsAmountOutOfRange),
        (number("1000000000000000000000000000000"), Code::TransactionsAmountOutOfRange),
        (json!("1e30"), Code::TransactionsAmountOutOfRange),
        (number("1e308"), Code::TransactionsAmountOutOfRange),
        (number("1e309"), Code::TransactionsAmountOutOfRange),
        (number("1e-30"), Code::TransactionsAmountOutOfRange),
        (number("1000000000000000.01"), Code::TransactionsAmountOutOfRange),
        (number("-0.01"), Code::TransactionsInvalidAmount),
        (json!("NaN"), Code::TransactionsInvalidAmount),
        (json!("Infinity"), Code::TransactionsInvalidAmount),
        (json!("0x10"), Code::TransactionsInvalidAmount),
        (json!(true), Code::InputWrongType),
    ] {
        assert_eq!(error(&with(total, value.clone())), (code, total.to_string()), "{value}");
    }
    // -0 is zero, whichever way it is written; the largest amount is exact.
    for zero in [number("-0"), number("-0.0"), json!("-0"), number("0e-999")] {
        let preview = siren_engine::preview_scores(&with(total, zero)).expect("zero is an amount");
        assert_eq!((preview.revenue.as_str(), preview.pool.as_str()), ("0.00", "0.00"));
    }
    let preview = siren_engine::preview_scores(&with(total, number("1e15"))).expect("the limit itself is accepted");
    assert_eq!(preview.pool, "100000000000000.00");
    let preview =
        siren_engine::preview_scores(&with(total, json!("999999999999999.999999999999"))).expect("12 decimals");
    assert_eq!(preview.pool, "100000000000000.00");
}

#[test]
fn absurd_points_are_located_diagnostics() {
    let mut input = base();
    input["events"][0] =
        json!({"id": "m", "collaboratorId": "a", "type": "manual", "occurredAt": "2026-03-05T00:00:00Z"});
    for text in ["9223372036854775808", "9223372036854775807", "9007199254740992", "1e308", "-1", "1.5", "\"2^63\""] {
        let mut hostile = input.clone();
        hostile["events"][0]["points"] = number(text);
        assert_eq!(error(&hostile), (Code::EventsInvalidPoints, "/events/0/points".into()), "{text}");
    }
    // Each credit within range, the sum over it: a diagnostic at the event that overflowed.
    let mut many = input.clone();
    many["events"] = (0..3)
        .map(|i| json!({"id": format!("m{i}"), "collaboratorId": "a", "type": "manual", "occurredAt": "2026-03-05T00:00:00Z", "points": 9_007_199_254_740_991u64 / 2}))
        .collect();
    let (code, path) = error(&many);
    assert_eq!(code, Code::EventsScoreOverflow);
    assert!(path.starts_with("/events/"), "{path}");
    // Configured points: 2^63 per event is a config diagnostic, reported by validation too.
    let config = json!({"engagementTypes": {"referredSiteVisit": number("9223372036854775808")}, "revenuePercentage": 10, "transactionCompilers": ["lineItems"]});
    let report = siren_engine::validate_distributor_config(&config, None).unwrap();
    assert_eq!(report.errors[0].code, Code::ConfigPointsOutOfRange);
    assert_eq!(report.errors[0].path, "/engagementTypes/referredSiteVisit");
    let (code, path) = error(&with("/config", config));
    assert_eq!(code, Code::ConfigPointsOutOfRange);
    assert_eq!(path, "/config/engagementTypes/referredSiteVisit");
    for (pct, code) in [
        ("1e400", Code::ConfigPercentageOutOfRange),
        ("1e-400", Code::ConfigInvalidPercentage),
        ("-0", Code::ConfigPercentageOutOfRange),
    ] {
        let report = siren_engine::validate_distributor_config(
            &json!({"engagementTypes": {"manual": 1}, "revenuePercentage": number(pct), "transactionCompilers": []}),
            None,
        )
        .unwrap();
        assert_eq!((report.errors[0].code, report.errors[0].path.as_str()), (code, "/revenuePercentage"), "{pct}");
    }
}

#[test]
fn sums_of_many_large_amounts_are_exact_or_refused() {
    // 10^5 sales of 10^15: 10^20 of revenue, exact to the cent.
    let mut input = base();
    input["transactions"] = (0..100_000)
        .map(|i| json!({"id": i, "occurredAt": "2026-03-05T00:00:00Z", "total": "1000000000000000"}))
        .collect();
    let preview = siren_engine::preview_scores(&input).expect("exact");
    assert_eq!(preview.revenue, "100000000000000000000.00");
    assert_eq!(preview.pool, "10000000000000000000.00");
    assert_eq!(preview.allocations[0].amount, "10000000000000000000.00");

    // The same with 12 decimal places each: the exact sum needs more digits than `Decimal`
    // holds. The engine must not round it silently: exact, or `preview.amountOutOfRange`.
    input["transactions"] = (0..1_000)
        .map(|i| json!({"id": i, "occurredAt": "2026-03-05T00:00:00Z", "total": "999999999999999.999999999999"}))
        .collect();
    match siren_engine::preview_scores(&input) {
        Ok(preview) => assert_eq!(preview.revenue, "999999999999999999.999999999", "revenue {}", preview.revenue),
        Err(e) => assert_eq!(e.code, Code::PreviewAmountOutOfRange),
    }
}

#[test]
fn limits_are_located_errors_at_every_entry_point() {
    let long_id = "x".repeat(limits::MAX_ID_BYTES + 1);
    let mut input = base();
    input["events"][0]["collaboratorId"] = json!(long_id);
    let e = siren_engine::preview_scores(&input).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (Code::InputTooLarge, "/events/0/collaboratorId"));

    let mut input = base();
    input["recipe"]["distributors"]["d"]["schedule"] = json!(["first day of next month", "+1 day ".repeat(40)]);
    let e = siren_engine::preview_scores(&input).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (Code::InputTooLarge, "/recipe/distributors/d/schedule/1"));

    let e = siren_engine::next_runs(
        &json!({"schedule": vec!["+1 day"; limits::MAX_SCHEDULE_STRINGS + 1], "from": "2026-01-01T00:00:00Z"}),
    )
    .unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (Code::InputTooLarge, "/schedule"));

    let mut input = base();
    input["transactions"][0]["refunds"] =
        json!(vec![json!({"occurredAt": "2026-03-06T00:00:00Z"}); limits::MAX_REFUNDS_PER_TRANSACTION + 1]);
    let e = siren_engine::preview_scores(&input).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (Code::InputTooLarge, "/transactions/0/refunds"));

    // compare: the path is under /base.
    let e = siren_engine::compare(&json!({"base": {"events": [{"type": long_id}]}, "variant": {}})).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (Code::InputTooLarge, "/base/events/0/type"));

    // Validation reports limits as diagnostics, every one up to MAX_FINDINGS, and does not throw.
    let mut recipe: Value =
        serde_json::from_str(include_str!("../../../../samples/recipes/milestone-rewards.json")).unwrap();
    recipe["name"] = json!("n".repeat(limits::MAX_STRING_BYTES + 1));
    recipe["distributors"]["milestoneRewards"]["units"] = json!(long_id);
    let report = siren_engine::validate_recipe(&recipe, None).unwrap();
    let found: Vec<(Code, &str)> = report.errors.iter().map(|d| (d.code, d.path.as_str())).collect();
    assert_eq!(
        found,
        vec![(Code::InputTooLarge, "/name"), (Code::InputTooLarge, "/distributors/milestoneRewards/units")]
    );
    assert!(report.errors.iter().all(|d| d.message.len() < 200));
    let many = json!({"versions": (0..500).map(|_| json!({"type": long_id})).collect::<Vec<_>>()});
    assert_eq!(siren_engine::validate_distributor_config(&many, None).unwrap().errors.len(), limits::MAX_FINDINGS);
    // Options are checked too.
    let e = siren_engine::validate_recipe(
        &recipe,
        Some(&json!({"distributionResolvers": ["r".repeat(limits::MAX_STRING_BYTES + 1)]})),
    )
    .unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (Code::InputTooLarge, "/distributionResolvers/0"));

    // A document deeper than the parser allows is input.tooDeep, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(siren_engine::parse_json(&deep).unwrap_err().code, Code::InputTooDeep);
}

#[test]
fn overlapping_pauses_are_reported_the_same_whatever_their_order() {
    // Found by the `properties_hostile` tests: the paused note named whichever overlapping pause
    // came first in the input, so reordering `pauses` changed the output.
    let input = |pauses: Value| {
        json!({
            "recipe": base()["recipe"], "distributorKey": "d", "config": base()["config"], "timeZone": "UTC",
            "start": "2026-01-01T00:00:00Z", "end": "2026-03-01T00:00:00Z", "events": [], "transactions": [],
            "pauses": pauses,
        })
    };
    let a = json!({"from": "2026-01-15T00:00:00Z", "until": "2026-02-15T00:00:00Z"});
    let b = json!({"from": "2026-01-20T00:00:00Z", "until": "2026-02-20T00:00:00Z"});
    let one = siren_engine::simulate(&input(json!([a, b]))).unwrap();
    let two = siren_engine::simulate(&input(json!([b, a]))).unwrap();
    assert_eq!(serde_json::to_string(&one).unwrap(), serde_json::to_string(&two).unwrap());
    assert!(
        one.cycles[0].notes.iter().any(|n| n.contains("[2026-01-15T00:00:00+00:00, 2026-02-15T00:00:00+00:00)")),
        "{:?}",
        one.cycles[0].notes
    );
}
