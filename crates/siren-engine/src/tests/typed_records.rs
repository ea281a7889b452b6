//! The typed reader (`bulk::typed`) behind the text operations (`api::preview_scores_text`, …)
//! and `Engine::load_*_json` gives exactly what the exact reader gives: the same output byte for
//! byte, or the same error (code, path and message), on every shared case and on records with
//! every member replaced by hostile values, one at a time.

use serde_json::{json, Value};
use siren_engine::api;
use siren_engine::bulk::typed;
use siren_engine::diagnostics::EngineError;

fn cases(text: &str) -> Vec<Value> {
    let document: Value = serde_json::from_str(text).expect("valid JSON");
    document["cases"].as_array().expect("cases").clone()
}

fn outcome<T: serde::Serialize>(result: Result<T, EngineError>) -> Result<String, (String, String, String)> {
    result
        .map(|output| serde_json::to_string(&output).unwrap())
        .map_err(|e| (e.code.as_str().to_string(), e.path.clone(), e.message.clone()))
}

/// Whether the typed reader reads both record arrays of `input` (else the exact one does).
fn typed_reads(input: &Value) -> bool {
    let text = |key: &str| input.get(key).map(Value::to_string).unwrap_or_default();
    typed::for_each_event(text("events").as_bytes(), |_, _| Ok(())).is_ok()
        && typed::for_each_transaction(text("transactions").as_bytes(), |_, _| Ok(())).is_ok()
}

/// Both readers on `input` (its JSON text for the typed one): identical outcomes.
fn same(name: &str, input: &Value) {
    let text = input.to_string();
    let mut simulated = input.clone();
    if let Some(object) = simulated.as_object_mut().filter(|o| o.contains_key("at") && !o.contains_key("end")) {
        object.shift_remove("at");
        object.insert("end".into(), json!("2026-03-01T00:00:00Z"));
    }
    let simulated_text = simulated.to_string();
    let pairs = [
        (outcome(api::preview_scores(input)), outcome(api::preview_scores_text(&text))),
        (outcome(api::simulate(&simulated)), outcome(api::simulate_text(&simulated_text))),
    ];
    for (exact, typed) in pairs {
        assert!(exact == typed, "{name}:\nexact {exact:?}\ntyped {typed:?}");
    }
}

#[test]
fn every_shared_case_reads_the_same_from_text() {
    let mut compared = 0;
    for file in [
        include_str!("../../../../tests/data/preview_cases.json"),
        include_str!("../../../../tests/data/simulate_cases.json"),
    ] {
        for case in cases(file) {
            same(case["name"].as_str().unwrap(), &case["input"]);
            compared += 1;
        }
    }
    for case in cases(include_str!("../../../../tests/data/compare_cases.json")) {
        let input = &case["input"];
        let exact = outcome(api::compare(input));
        let typed = outcome(api::compare_text(&input.to_string()));
        assert!(exact == typed, "{}:\nexact {exact:?}\ntyped {typed:?}", case["name"]);
        compared += 1;
    }
    assert!(compared >= 100, "{compared}");
}

/// A small preview and simulation input with every member records can have.
fn base() -> Value {
    let recipe: Value =
        serde_json::from_str(include_str!("../../../../samples/recipes/milestone-rewards.json")).unwrap();
    let config: Value = serde_json::from_str(include_str!("../../../../samples/year/config.json")).unwrap();
    json!({
        "recipe": recipe,
        "config": config,
        "policies": {"tieBreak": "split"},
        "distributorKey": "milestoneRewards",
        "at": "2026-01-31T12:00:00Z",
        "start": "2026-01-01T00:00:00Z",
        "timeZone": "UTC",
        "events": [
            {"id": "e1", "collaboratorId": "7", "type": "referredSiteVisit", "occurredAt": "2026-01-05T10:00:00Z"},
            {"id": "e2", "collaboratorId": 8, "type": "boundCouponUsed", "occurredAt": "2026-01-06T10:00:00.250+02:00"},
            {"collaboratorId": "7", "type": "manual", "occurredAt": "2026-01-07T10:00:00Z", "points": 12},
            {"id": "e4", "collaboratorId": "9", "type": "boundCouponUsed", "occurredAt": "2026-02-07T10:00:00Z"}
        ],
        "transactions": [
            {"id": "t1", "status": "complete", "occurredAt": "2026-01-08T05:16:34Z", "currency": "USD",
             "details": [
                {"type": "product", "amount": "19.99", "quantity": 2, "sku": "EBOOK", "categories": ["books"]},
                {"type": "product", "amount": 99, "quantity": 1, "ownerCollaboratorIds": ["7", 8]},
                {"type": "discount", "amount": "3.80"},
                {"type": "shipping", "amount": "4.99", "quantity": 1}
             ],
             "refunds": [{"occurredAt": "2026-01-09T00:00:00Z", "amount": "5.00"}]},
            {"id": 2, "occurredAt": "2026-01-10T00:00:00Z", "total": "50.00"},
            {"id": "t3", "status": "refunded", "occurredAt": "2026-01-11T00:00:00Z", "total": 20.5,
             "refunds": [{"occurredAt": "2026-02-11T00:00:00Z"}]}
        ]
    })
}

/// Values a member may be replaced with: each type, the edges of each rule, escapes, limits.
fn hostile() -> Vec<Value> {
    let long = "9".repeat(1025);
    vec![
        json!(null),
        json!(""),
        json!(" "),
        json!("7"),
        json!("e1"),
        json!("t1"),
        json!("\u{e9}t\u{e9}"),
        json!("a\"b\\c\u{1}"),
        json!(0),
        json!(-3),
        json!(12),
        json!(1.5),
        json!(1e2),
        json!(9007199254740993u64),
        json!(-0.0),
        json!(true),
        json!([]),
        json!(["books"]),
        json!({}),
        json!({"a": 1}),
        json!("12"),
        json!(" 12 "),
        json!("1e2"),
        json!("-0"),
        json!("4.999"),
        json!("0.0000000001"),
        json!("1000000000000"),
        json!("99999999999999999999"),
        json!("2026-01-05T10:00:00Z"),
        json!("2026-01-05T10:00:00.0001Z"),
        json!("2026-01-05 10:00:00+01:00"),
        json!("2026-01-05T10:00:00"),
        json!("2026-02-30T10:00:00Z"),
        json!("2026-12-31T23:59:60Z"),
        json!("2025-12-31T23:00:00Z"),
        json!("manual"),
        json!("product"),
        json!("tax"),
        json!("cancelled"),
        json!("complete"),
        json!("USD"),
        json!(long),
        serde_json::from_str::<Value>(&format!("\"{}\"", "x".repeat(70_000))).unwrap(),
        serde_json::from_str::<Value>(&"1".repeat(300)).unwrap(),
    ]
}

/// `input` with the value at `path` (object keys and array indexes) replaced, or removed.
fn with(input: &Value, path: &[&str], value: Option<&Value>) -> Value {
    let mut input = input.clone();
    let (last, parents) = path.split_last().unwrap();
    let mut at = &mut input;
    for key in parents {
        at = match key.parse::<usize>() {
            Ok(i) => &mut at[i],
            Err(_) => &mut at[*key],
        };
    }
    match (at, value) {
        (Value::Object(object), Some(value)) => {
            object.insert(last.to_string(), value.clone());
        }
        (Value::Object(object), None) => {
            object.shift_remove(*last);
        }
        (Value::Array(items), Some(value)) => items[last.parse::<usize>().unwrap()] = value.clone(),
        (Value::Array(items), None) => {
            items.remove(last.parse::<usize>().unwrap());
        }
        _ => unreachable!(),
    }
    input
}

#[test]
fn every_member_replaced_by_hostile_values_reads_the_same() {
    let base = base();
    same("base", &base);
    assert!(typed_reads(&base));
    let preview = outcome(api::preview_scores(&base)).expect("the base input previews");
    assert!(preview.contains("\"allocations\""), "{preview}");
    let simulated = with(&with(&base, &["at"], None), &["end"], Some(&json!("2026-03-01T00:00:00Z")));
    let simulation = outcome(api::simulate(&simulated)).expect("the base input simulates");
    assert!(simulation.contains("\"cycles\""), "{simulation}");
    let members: &[&[&str]] = &[
        &["events", "0", "id"],
        &["events", "1", "collaboratorId"],
        &["events", "0", "type"],
        &["events", "0", "occurredAt"],
        &["events", "2", "points"],
        &["events", "0", "points"],
        &["events", "0", "unknown"],
        &["events", "1"],
        &["transactions", "0", "id"],
        &["transactions", "0", "status"],
        &["transactions", "0", "occurredAt"],
        &["transactions", "0", "currency"],
        &["transactions", "1", "total"],
        &["transactions", "0", "total"],
        &["transactions", "0", "details"],
        &["transactions", "0", "details", "0"],
        &["transactions", "0", "details", "0", "type"],
        &["transactions", "0", "details", "0", "amount"],
        &["transactions", "0", "details", "0", "quantity"],
        &["transactions", "0", "details", "0", "sku"],
        &["transactions", "0", "details", "0", "categories"],
        &["transactions", "0", "details", "0", "categories", "0"],
        &["transactions", "0", "details", "1", "ownerCollaboratorIds", "1"],
        &["transactions", "0", "details", "0", "extra"],
        &["transactions", "0", "refunds"],
        &["transactions", "0", "refunds", "0", "occurredAt"],
        &["transactions", "0", "refunds", "0", "amount"],
        &["transactions", "2", "refunds", "0"],
        &["transactions", "2", "customer"],
        &["events"],
        &["transactions"],
    ];
    let (mut compared, mut typed) = (1, 0);
    for path in members {
        let removed = with(&base, path, None);
        same(&format!("{path:?} removed"), &removed);
        for value in hostile() {
            let input = with(&base, path, Some(&value));
            same(&format!("{path:?} = {value}"), &input);
            compared += 1;
            typed += usize::from(typed_reads(&input));
        }
    }
    // Most values are refused or left to the exact reader, but enough are read by the typed one.
    assert!(typed >= 150, "{typed}");
    // Texts that are not one object with both arrays once.
    for text in [
        "",
        "[]",
        "null",
        "{\"events\": [], \"events\": []}",
        "\u{feff}{}",
        "{\"events\": [] , \"transactions\": [], \"at\": 1, \"at\": 2}",
    ] {
        let exact = api::parse_json(text).and_then(|input| api::preview_scores(&input));
        let typed = api::preview_scores_text(text);
        assert!(outcome(exact) == outcome(typed), "{text:?}");
    }
    assert!(compared > 1_000, "{compared}");
}
