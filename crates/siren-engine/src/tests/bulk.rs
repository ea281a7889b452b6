//! The bulk path (bulk `Engine`) gives the object path's output, byte for byte: every case
//! of the shared preview and simulate case files, with events loaded as JSON and as columns,
//! and generated data (ties, manual credits, rosters, config history, ids and no ids).

use serde_json::{json, Value};
use siren_engine::bulk::transactions::{self as transaction_columns, TransactionColumns, TransactionIds};
use siren_engine::bulk::{Engine, EventColumns};
use siren_engine::diagnostics::{EngineError, Pointer};
use siren_engine::{api, model};

fn cases(text: &str) -> Vec<Value> {
    let document: Value = serde_json::from_str(text).expect("valid JSON");
    document["cases"].as_array().expect("cases").clone()
}

/// The input without `events` and `transactions`, and those two as JSON text.
fn split(input: &Value) -> Option<(Value, String, String)> {
    let mut rest = input.as_object()?.clone();
    let events = rest.remove("events")?;
    let transactions = rest.remove("transactions")?;
    Some((Value::Object(rest), events.to_string(), transactions.to_string()))
}

/// Owned columns built from events read by the object path.
struct Columns {
    collaborator_index: Vec<u32>,
    type_index: Vec<u16>,
    occurred_at_ms: Vec<f64>,
    points: Vec<f64>,
    collaborator_ids: Vec<String>,
    type_names: Vec<String>,
    event_ids: Vec<Option<String>>,
}

fn columns(events: &[model::Event]) -> Columns {
    let mut c = Columns {
        collaborator_index: vec![],
        type_index: vec![],
        occurred_at_ms: vec![],
        points: vec![],
        collaborator_ids: vec![],
        type_names: vec![],
        event_ids: vec![],
    };
    for e in events {
        let ci = c.collaborator_ids.iter().position(|x| *x == e.collaborator_id).unwrap_or_else(|| {
            c.collaborator_ids.push(e.collaborator_id.clone());
            c.collaborator_ids.len() - 1
        });
        let ti = c.type_names.iter().position(|x| *x == e.kind).unwrap_or_else(|| {
            c.type_names.push(e.kind.clone());
            c.type_names.len() - 1
        });
        c.collaborator_index.push(ci as u32);
        c.type_index.push(ti as u16);
        c.occurred_at_ms.push(e.occurred_at.timestamp_millis() as f64);
        c.points.push(e.points.map_or(f64::NAN, |p| p as f64));
        c.event_ids.push(e.id.clone());
    }
    c
}

fn load_columns(engine: &mut Engine, c: &Columns) -> Result<(), EngineError> {
    engine.load_event_columns(EventColumns {
        collaborator_index: c.collaborator_index.clone(),
        type_index: c.type_index.clone(),
        occurred_at_ms: c.occurred_at_ms.clone(),
        points: Some(c.points.clone()),
        collaborator_ids: c.collaborator_ids.clone(),
        type_names: c.type_names.clone(),
        event_ids: Some(c.event_ids.clone()),
    })
}

type Run = fn(&Engine, &Value) -> Result<String, EngineError>;

fn bulk_preview(d: &Engine, input: &Value) -> Result<String, EngineError> {
    d.preview(input).map(|p| serde_json::to_string(&p).unwrap())
}

fn bulk_simulate(d: &Engine, input: &Value) -> Result<String, EngineError> {
    d.simulate(input).map(|p| serde_json::to_string(&p).unwrap())
}

fn object_preview(input: &Value) -> Result<String, EngineError> {
    api::preview_scores(input).map(|p| serde_json::to_string(&p).unwrap())
}

fn object_simulate(input: &Value) -> Result<String, EngineError> {
    api::simulate(input).map(|p| serde_json::to_string(&p).unwrap())
}

/// Where two outputs part, with some context.
fn first_difference(a: &str, b: &str) -> String {
    let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
    let from = at.saturating_sub(200);
    format!("object: …{}…\nbulk:   …{}…", &a[from..(at + 100).min(a.len())], &b[from..(at + 100).min(b.len())])
}

/// The same output, or an error with the same code and the same path unless the path points
/// under `columns_path` (a load from columns locates the value in its column).
fn assert_same_outcome(
    what: &str,
    columns_path: &str,
    expected: &Result<String, EngineError>,
    actual: &Result<String, EngineError>,
) {
    match (expected, actual) {
        (Ok(e), Ok(a)) => assert!(e == a, "{what}: differs:\n{}", first_difference(e, a)),
        (Err(e), Err(a)) => {
            assert_eq!(e.code, a.code, "{what}");
            if !e.path.starts_with(columns_path) {
                assert_eq!(e.path, a.path, "{what}");
            }
        }
        _ => panic!("{what}: object {:?} but bulk {:?}", expected.as_ref().err(), actual.as_ref().err()),
    }
}

/// Runs one case through both paths; returns how many comparisons were made.
fn compare_case(name: &str, input: &Value, object: fn(&Value) -> Result<String, EngineError>, bulk: Run) -> usize {
    let expected = object(input);
    let Some((rest, events, transactions)) = split(input) else { return 0 };
    let mut compared = 0;

    // Events and transactions as JSON text: the same result, errors included (same code, path).
    let mut engine = Engine::new();
    let actual = engine
        .load_events_json(events.as_bytes())
        .and_then(|()| engine.load_transactions_json(transactions.as_bytes()))
        .and_then(|()| bulk(&engine, &rest));
    match (&expected, &actual) {
        (Ok(e), Ok(a)) => assert!(e == a, "{name}: JSON load differs:\n{}", first_difference(e, a)),
        (Err(e), Err(a)) => assert_eq!((e.code, &e.path), (a.code, &a.path), "{name}: JSON load"),
        _ => panic!("{name}: object {:?} but bulk {:?}", expected.as_ref().err(), actual.as_ref().err()),
    }
    compared += 1;

    // Events as columns (when the object path can read them): the same output; an error has
    // the same code, and the same path unless it points into the events.
    let events_value: Value = serde_json::from_str(&events).unwrap();
    if let Ok(parsed) = model::parse_events(&events_value, &Pointer::root().key("events")) {
        let c = columns(&parsed);
        let mut engine = Engine::new();
        let actual = load_columns(&mut engine, &c)
            .and_then(|()| engine.load_transactions_json(transactions.as_bytes()))
            .and_then(|()| bulk(&engine, &rest));
        assert_same_outcome(&format!("{name}: events as columns"), "/events", &expected, &actual);
        compared += 1;
    }

    // Transactions as columns (when the object path can read them and columns can say them):
    // the same output; an error has the same code, and the same path unless it points into
    // the transactions (a load error locates the value in its column).
    let transactions_value: Value = serde_json::from_str(&transactions).unwrap();
    let parsed = model::parse_transactions(&transactions_value, &Pointer::root().key("transactions"));
    if let Some(columns) = parsed.ok().as_deref().and_then(transaction_columns) {
        // Also with the ids as numbers, when each is a whole number's text.
        let numbers = as_numbers(&columns.transaction_ids)
            .map(|ids| TransactionColumns { transaction_ids: ids, ..columns.clone() });
        for (what, columns) in [("transactions as columns", Some(columns)), ("transaction ids as numbers", numbers)] {
            let Some(columns) = columns else { continue };
            let mut engine = Engine::new();
            let actual = engine
                .load_events_json(events.as_bytes())
                .and_then(|()| engine.load_transaction_columns(columns))
                .and_then(|()| bulk(&engine, &rest));
            assert_same_outcome(&format!("{name}: {what}"), "/transactions", &expected, &actual);
            compared += 1;
        }
    }
    compared
}

/// Text ids as numbers, when each is the text of a whole number from 0 to 2^53 − 1.
fn as_numbers(ids: &TransactionIds) -> Option<TransactionIds> {
    let TransactionIds::Text(ids) = ids else { return None };
    let number = |id: &String| id.parse::<u64>().ok().filter(|n| n.to_string() == *id && *n < 1 << 53);
    Some(TransactionIds::Numbers(ids.iter().map(|id| number(id).map(|n| n as f64)).collect::<Option<_>>()?))
}

/// Columns for transactions read by the object path, in input order; `None` when columns
/// cannot say them: an empty `details` array, an instant finer than a millisecond, an amount
/// that is not a whole number of units at the finest scale of all amounts, up to 2^53.
fn transaction_columns(transactions: &[model::Transaction]) -> Option<TransactionColumns> {
    use rust_decimal::Decimal;
    let amounts = || {
        transactions.iter().flat_map(|t| {
            t.total
                .into_iter()
                .chain(t.details.iter().flatten().map(|d| d.amount))
                .chain(t.refunds.iter().filter_map(|r| r.amount))
        })
    };
    let scale = amounts().map(|a| a.normalize().scale()).max().unwrap_or(0);
    let units = |a: Decimal| -> Option<f64> {
        let mut a = a.normalize();
        a.rescale(scale);
        (a.scale() == scale && a.mantissa() <= 1 << 53).then_some(a.mantissa() as f64)
    };
    let ms = |t: &chrono::DateTime<chrono::FixedOffset>| {
        t.timestamp_subsec_nanos().is_multiple_of(1_000_000).then_some(t.timestamp_millis() as f64)
    };
    let statuses = ["complete", "refunded", "cancelled"];
    let kinds = ["product", "subscription", "fee", "discount", "shipping", "tax"];
    let mut ids = Vec::new();
    let mut c = TransactionColumns {
        amount_scale: scale,
        status_index: Some(vec![]),
        status_names: Some(statuses.iter().map(|s| s.to_string()).collect()),
        currencies: Some(vec![]),
        total: Some(vec![]),
        line_type_names: Some(kinds.iter().map(|s| s.to_string()).collect()),
        line_quantity: Some(vec![]),
        line_skus: Some(vec![]),
        line_categories: Some(vec![]),
        line_owner_collaborator_ids: Some(vec![]),
        refund_amount: Some(vec![]),
        ..TransactionColumns::default()
    };
    for (i, t) in transactions.iter().enumerate() {
        if t.details.as_ref().is_some_and(Vec::is_empty) {
            return None;
        }
        ids.push(t.id.clone());
        c.occurred_at_ms.push(ms(&t.occurred_at)?);
        let status = match t.status {
            model::TransactionStatus::Complete => 0,
            model::TransactionStatus::Refunded => 1,
            model::TransactionStatus::Cancelled => 2,
        };
        c.status_index.as_mut()?.push(status);
        c.currencies.as_mut()?.push(t.currency.clone());
        c.total.as_mut()?.push(match t.total {
            Some(total) => units(total)?,
            None => f64::NAN,
        });
        for d in t.details.iter().flatten() {
            c.line_transaction_index.push(i as u32);
            c.line_type_index.push(kinds.iter().position(|k| *k == d.kind.name())? as u8);
            c.line_amount.push(units(d.amount)?);
            c.line_quantity.as_mut()?.push(u32::try_from(d.quantity).ok()?);
            c.line_skus.as_mut()?.push(d.sku.clone());
            c.line_categories.as_mut()?.push(d.categories.clone());
            c.line_owner_collaborator_ids.as_mut()?.push(d.owner_collaborator_ids.clone());
        }
        for r in &t.refunds {
            c.refund_transaction_index.push(i as u32);
            c.refund_occurred_at_ms.push(ms(&r.occurred_at)?);
            c.refund_amount.as_mut()?.push(match r.amount {
                Some(amount) => units(amount)?,
                None => f64::NAN,
            });
        }
    }
    c.transaction_ids = ids.into();
    Some(c)
}

/// `input` listing only the top `top` collaborators (tests/engine/listed_top.rs checks what that
/// lists; here both paths must list the same).
fn with_top(input: &Value, top: u64) -> Value {
    let mut input = input.clone();
    if let Some(object) = input.as_object_mut() {
        object.insert("top".into(), json!(top));
    }
    input
}

#[test]
fn every_preview_case_is_identical_through_the_bulk_path() {
    let mut compared = 0;
    for case in cases(include_str!("../../../../tests/data/preview_cases.json")) {
        for input in [case["input"].clone(), with_top(&case["input"], 2)] {
            compared += compare_case(case["name"].as_str().unwrap(), &input, object_preview, bulk_preview);
        }
    }
    assert!(compared >= 200, "{compared}");
}

#[test]
fn every_simulate_case_is_identical_through_the_bulk_path() {
    let mut compared = 0;
    for case in cases(include_str!("../../../../tests/data/simulate_cases.json")) {
        for input in [case["input"].clone(), with_top(&case["input"], 2)] {
            compared += compare_case(case["name"].as_str().unwrap(), &input, object_simulate, bulk_simulate);
        }
    }
    assert!(compared >= 60, "{compared}");
}

#[test]
fn every_compare_case_is_identical_through_the_bulk_path() {
    let mut compared = 0;
    for case in cases(include_str!("../../../../tests/data/compare_cases.json")) {
        let name = case["name"].as_str().unwrap();
        let Some((base, events, transactions)) = split(&case["input"]["base"]) else { continue };
        let mut rest = case["input"].clone();
        rest["base"] = base;
        let mut engine = Engine::new();
        let loaded = engine
            .load_events_json(events.as_bytes())
            .and_then(|()| engine.load_transactions_json(transactions.as_bytes()));
        let expected = api::compare(&case["input"]).map(|c| serde_json::to_string(&c).unwrap());
        let actual = loaded.and_then(|()| engine.compare(&rest)).map(|c| serde_json::to_string(&c).unwrap());
        match (&expected, &actual) {
            (Ok(e), Ok(a)) => assert!(e == a, "{name}:\n{}", first_difference(e, a)),
            (Err(e), Err(a)) => assert_eq!((e.code, &e.path), (a.code, &a.path), "{name}"),
            _ => panic!("{name}: object {:?} but bulk {:?}", expected.as_ref().err(), actual.as_ref().err()),
        }
        compared += 1;
    }
    assert!(compared >= 5, "{compared}");

    // Records passed to a loaded handle are refused where they are, under `/base`.
    let mut with_events = cases(include_str!("../../../../tests/data/compare_cases.json"))[0]["input"].clone();
    with_events["base"]["transactions"] = json!(null);
    with_events["base"].as_object_mut().unwrap().remove("transactions");
    let error = Engine::new().compare(&with_events).unwrap_err();
    assert_eq!((error.code.as_str(), error.path.as_str()), ("input.unknownField", "/base/events"));
}

/// A deterministic generator: `n` events over 90 days with many equal instants.
fn generated(n: usize, with_ids: bool, seed: u64) -> Value {
    let mut state = seed;
    let mut next = move |m: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % m
    };
    let types = ["referredSiteVisit", "boundCouponUsed", "courseCompleted", "manual", "unconfigured"];
    let start = 1_767_225_600i64; // 2026-01-01T00:00:00Z
    let events: Vec<Value> = (0..n)
        .map(|i| {
            let kind = types[next(types.len() as u64) as usize];
            let at = chrono::DateTime::from_timestamp(start + (next(90 * 24) as i64) * 3600, 0).unwrap().to_rfc3339();
            // Seed 5 and up: more collaborators than the explanation lists event ids for (50).
            let mut e = json!({"collaboratorId": format!("c{}", next(if seed >= 5 { 90 } else { 40 })), "type": kind, "occurredAt": at});
            if with_ids && next(4) != 0 {
                e["id"] = json!(if next(2) == 0 { format!("e{i}") } else { i.to_string() });
            }
            if kind == "manual" && next(2) == 0 {
                e["points"] = json!(next(50));
            }
            e
        })
        .collect();
    let transactions: Vec<Value> = (0..n / 4)
        .map(|i| {
            let at = start + (next(90 * 24) as i64) * 3600;
            let mut t = json!({"id": format!("t{i}"), "occurredAt": chrono::DateTime::from_timestamp(at, 0).unwrap().to_rfc3339(),
                "details": [{"type": "product", "amount": format!("{}.{:02}", next(200), next(100)), "quantity": 1 + next(3)},
                            {"type": "discount", "amount": "1.50"}]});
            if next(8) == 0 {
                t["refunds"] = json!([{"occurredAt": chrono::DateTime::from_timestamp(at + 86_400 * 3, 0).unwrap().to_rfc3339(), "amount": "5.00"}]);
            }
            t
        })
        .collect();
    let collaborators: Vec<Value> = (0..if seed >= 5 { 95 } else { 45 })
        .map(|c| json!({"id": format!("c{c}"), "status": if c % 11 == 3 { "inactive" } else { "active" }}))
        .collect();
    json!({
        "recipe": super::support::cases::recipe("performanceSharedPool", "USD", "first day of next month"),
        "distributorKey": "d",
        "config": [
            {"engagementTypes": {"referredSiteVisit": 1, "boundCouponUsed": 5, "courseCompleted": 10, "manual": 3}, "revenuePercentage": 10, "transactionCompilers": ["lineItems", "discounts"]},
            {"effectiveFrom": "2026-02-10T12:00:00Z", "engagementTypes": {"referredSiteVisit": 2, "boundCouponUsed": 0, "manual": 7}, "revenuePercentage": "12.5",
             "transactionCompilers": ["lineItems"], "eligibleCollaborators": (0..30).map(|c| format!("c{c}")).collect::<Vec<_>>()}
        ],
        "collaborators": collaborators,
        "timeZone": "America/New_York",
        "events": events,
        "transactions": transactions,
    })
}

#[test]
fn generated_data_is_identical_through_the_bulk_path() {
    for (n, with_ids, seed) in [(0, false, 1), (1, true, 2), (500, false, 3), (3_000, true, 4), (3_000, false, 5)] {
        let base = generated(n, with_ids, seed);
        // Without a roster and under one version, as most previews are: the bulk path counts
        // those with a lookup per event (`Rules::one_version` in src/bulk/count.rs).
        let mut plain = base.clone();
        plain.as_object_mut().unwrap().remove("collaborators");
        plain["config"] = base["config"][0].clone();
        // The same version, but in effect only from within the window.
        let mut late = plain.clone();
        late["config"]["effectiveFrom"] = json!("2026-02-10T12:00:00Z");
        late["config"] = json!([late["config"]]);
        // The same version, listing who may earn.
        let mut listed = plain.clone();
        listed["config"]["eligibleCollaborators"] = base["config"][1]["eligibleCollaborators"].clone();
        for (variant, base) in [("", &base), (" plain", &plain), (" late", &late), (" eligible", &listed)] {
            for at in ["2026-01-20T00:00:00Z", "2026-02-15T08:00:00-05:00", "2026-03-31T23:59:59Z"] {
                let mut input = base.clone();
                input["at"] = json!(at);
                compare_case(&format!("n={n} ids={with_ids} at={at}{variant}"), &input, object_preview, bulk_preview);
                input["policies"] = json!({"tieBreak": "split"});
                input["lastDistributionAt"] = json!("2026-01-01T00:00:00Z");
                compare_case(
                    &format!("n={n} ids={with_ids} at={at} last{variant}"),
                    &input,
                    object_preview,
                    bulk_preview,
                );
            }
        }
        let mut input = base.clone();
        input["start"] = json!("2026-01-01T00:00:00-05:00");
        input["end"] = json!("2026-04-01T00:00:00-04:00");
        input["pauses"] = json!([{"from": "2026-01-15T00:00:00Z", "until": "2026-02-15T00:00:00Z"}]);
        compare_case(&format!("simulate n={n} ids={with_ids}"), &input, object_simulate, bulk_simulate);
    }
}

/// Transactions with every feature columns carry: statuses, currencies, totals without lines,
/// every line type, quantities, SKUs, categories, owners, full, partial and several refunds
/// (some before the window), under versions with every compiler and line-item filter.
fn generated_transactions(n: usize, seed: u64) -> Value {
    let mut state = seed;
    let mut next = move |m: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % m
    };
    let start = 1_767_225_600i64; // 2026-01-01T00:00:00Z
    let iso = |s: i64| chrono::DateTime::from_timestamp(s, 0).unwrap().to_rfc3339();
    let kinds = ["product", "subscription", "fee", "discount", "shipping", "tax"];
    let transactions: Vec<Value> = (0..n)
        .map(|i| {
            let at = start + (next(90 * 24) as i64) * 3600;
            // Seeds 5 and up: every id a number (as the columns can then give them), out of order.
            let id = match (seed, next(3)) {
                (5.., _) => json!((i * 7919) % n),
                (_, 0) => json!(i),
                _ => json!(format!("t{}", n - i)),
            };
            let mut t = json!({"id": id, "occurredAt": iso(at)});
            if next(2) == 0 {
                let lines: Vec<Value> = (0..1 + next(4))
                    .map(|_| {
                        let mut line = json!({"type": kinds[next(6) as usize], "amount": format!("{}.{:02}", next(300), next(100))});
                        if next(2) == 0 {
                            line["quantity"] = json!(next(4));
                        }
                        if next(2) == 0 {
                            line["sku"] = json!(["MUG", "BOOK", "CLUB"][next(3) as usize]);
                        }
                        if next(2) == 0 {
                            line["categories"] = [json!(["books"]), json!(["mugs", "gifts"]), json!([])][next(3) as usize].clone();
                        }
                        if next(3) == 0 {
                            line["ownerCollaboratorIds"] = json!(["c1"]);
                        }
                        line
                    })
                    .collect();
                t["details"] = json!(lines);
                if next(3) == 0 {
                    t["total"] = json!(format!("{}.5", next(500)));
                }
            } else {
                t["total"] = json!(format!("{}.{:03}", next(400), next(1000)));
            }
            match next(8) {
                0 => t["status"] = json!("cancelled"),
                1 => t["status"] = json!("refunded"),
                2 => t["currency"] = json!("EUR"),
                3 => t["currency"] = json!("usd"),
                _ => {}
            }
            let refunds: Vec<Value> = (0..next(4).saturating_sub(1))
                .map(|_| {
                    let mut r = json!({"occurredAt": iso(at + (next(40 * 24) as i64) * 3600)});
                    if next(3) != 0 {
                        r["amount"] = json!(format!("{}.{:02}", next(60), next(100)));
                    }
                    r
                })
                .collect();
            if !refunds.is_empty() {
                t["refunds"] = json!(refunds);
            }
            t
        })
        .collect();
    json!({
        "recipe": super::support::cases::recipe("performanceSharedPool", "USD", "first day of next month"),
        "distributorKey": "d",
        "config": [
            {"engagementTypes": {"manual": 1}, "revenuePercentage": 10, "transactionCompilers": ["lineItems", "discounts", "fees", "shipping", "taxes"]},
            {"effectiveFrom": "2026-01-20T00:00:00Z", "engagementTypes": {"manual": 1}, "revenuePercentage": "12.5",
             "transactionCompilers": ["lineItems", "discounts"], "lineItemFilters": {"withSkus": ["MUG", "CLUB"], "collaboratorOwned": true}},
            {"effectiveFrom": "2026-02-05T00:00:00Z", "engagementTypes": {"manual": 1}, "revenuePercentage": 7,
             "transactionCompilers": ["lineItems", "shipping"], "lineItemFilters": {"inCategories": ["books"], "withTypes": ["subscription"]}},
            {"effectiveFrom": "2026-02-25T00:00:00Z", "engagementTypes": {"manual": 1}, "revenuePercentage": 20, "transactionCompilers": ["lineItems", "fees", "taxes"]}
        ],
        "timeZone": "Europe/Paris",
        "events": [{"collaboratorId": "c1", "type": "manual", "occurredAt": "2026-01-02T00:00:00Z", "points": 5}],
        "transactions": transactions,
    })
}

#[test]
fn generated_transactions_are_identical_as_columns() {
    for (n, seed) in [(0, 1), (1, 2), (300, 3), (2_000, 4), (2_000, 5)] {
        let base = generated_transactions(n, seed);
        // Columns, and columns with numbers for ids when every id is one (from seed 5).
        let numbers = base["transactions"].as_array().unwrap().iter().all(|t| t["id"].is_number());
        assert!(numbers || seed < 5);
        let comparisons = if numbers { 4 } else { 3 };
        for (last, at) in [
            ("2026-01-01T00:00:00Z", "2026-01-31T23:59:59Z"),
            ("2026-02-01T00:00:00Z", "2026-02-20T12:00:00+01:00"),
            ("2026-03-01T00:00:00Z", "2026-03-31T23:59:59Z"),
        ] {
            let mut input = base.clone();
            input["lastDistributionAt"] = json!(last);
            input["at"] = json!(at);
            assert_eq!(compare_case(&format!("n={n} at={at}"), &input, object_preview, bulk_preview), comparisons);
        }
        let mut input = base.clone();
        input["start"] = json!("2026-01-01T00:00:00Z");
        input["end"] = json!("2026-04-01T00:00:00Z");
        assert_eq!(compare_case(&format!("simulate n={n}"), &input, object_simulate, bulk_simulate), comparisons);
    }
}

#[test]
fn a_handle_simulates_the_transactions_loaded_last() {
    // The handle keeps the sorted sale and refund instants between simulations; a new load,
    // of fewer transactions in another order, must not be simulated through the old ones.
    let simulate_input = |n: usize, seed: u64| {
        let mut input = generated_transactions(n, seed);
        input["start"] = json!("2026-01-01T00:00:00Z");
        input["end"] = json!("2026-04-01T00:00:00Z");
        input
    };
    let (first, second) = (simulate_input(2_000, 4), simulate_input(300, 3));
    let (rest, events, transactions) = split(&first).unwrap();
    let mut engine = Engine::new();
    engine.load_events_json(events.as_bytes()).unwrap();
    engine.load_transactions_json(transactions.as_bytes()).unwrap();
    assert_eq!(bulk_simulate(&engine, &rest).unwrap(), object_simulate(&first).unwrap());
    let (_, events, transactions) = split(&second).unwrap();
    engine.load_events_json(events.as_bytes()).unwrap();
    // A failed load changes nothing, the kept instants included.
    assert!(engine.load_transactions_json(b"[{\"id\": 1}]").is_err());
    let mut new_events_old_transactions = second.clone();
    new_events_old_transactions["transactions"] = first["transactions"].clone();
    assert_eq!(bulk_simulate(&engine, &rest).unwrap(), object_simulate(&new_events_old_transactions).unwrap());
    engine.load_transactions_json(transactions.as_bytes()).unwrap();
    assert_eq!(bulk_simulate(&engine, &rest).unwrap(), object_simulate(&second).unwrap());
    let columns = transaction_columns(
        &model::parse_transactions(&first["transactions"], &Pointer::root().key("transactions")).unwrap(),
    )
    .unwrap();
    engine.load_events_json(split(&first).unwrap().1.as_bytes()).unwrap();
    engine.load_transaction_columns(columns).unwrap();
    assert_eq!(bulk_simulate(&engine, &rest).unwrap(), object_simulate(&first).unwrap());
}

#[test]
fn a_handle_reweights_without_reloading_and_survives_errors() {
    let mut input = generated(2_000, false, 9);
    input["at"] = json!("2026-03-15T00:00:00Z");
    let (rest, events, transactions) = split(&input).unwrap();
    let mut engine = Engine::new();
    engine.load_events_json(events.as_bytes()).unwrap();
    engine.load_transactions_json(transactions.as_bytes()).unwrap();
    let first = bulk_preview(&engine, &rest).unwrap();

    // Bad loads and a bad preview leave the loaded data as it was.
    let bad = engine.load_event_columns(EventColumns {
        collaborator_index: vec![0, 5],
        type_index: vec![0, 0],
        occurred_at_ms: vec![0.0, 1.0],
        points: None,
        collaborator_ids: vec!["a".to_string()],
        type_names: vec!["x".to_string()],
        event_ids: None,
    });
    let error = bad.unwrap_err();
    assert_eq!((error.code.as_str(), error.path.as_str()), ("events.indexOutOfRange", "/events/collaboratorIndex/1"));
    let error = engine.load_transactions_json(b"[{\"id\": 1}]").unwrap_err();
    assert_eq!((error.code.as_str(), error.path.as_str()), ("input.required", "/transactions/0/occurredAt"));
    let error = engine.load_events_json(b"{").unwrap_err();
    assert_eq!(error.code.as_str(), "input.notJson");
    let mut with_events = rest.clone();
    with_events["events"] = json!([]);
    assert_eq!(engine.preview(&with_events).unwrap_err().path, "/events");
    assert_eq!(bulk_preview(&engine, &rest).unwrap(), first);

    // New weights on the loaded data: the same as the object path with those weights.
    let mut reweighted = input.clone();
    reweighted["config"][1]["engagementTypes"]["referredSiteVisit"] = json!(40);
    let mut rest2 = rest.clone();
    rest2["config"] = reweighted["config"].clone();
    assert_eq!(bulk_preview(&engine, &rest2).unwrap(), object_preview(&reweighted).unwrap());
    assert!(bulk_preview(&engine, &rest2).unwrap() != first, "the weights changed the scores");
}

#[test]
fn column_errors_point_into_the_columns() {
    let ids = ["a".to_string()];
    let types = ["referredSiteVisit".to_string(), "manual".to_string()];
    let load = |at: &[f64], points: Option<&[f64]>, event_ids: Option<&[Option<String>]>| {
        let n = at.len();
        let mut d = Engine::new();
        d.load_event_columns(EventColumns {
            collaborator_index: vec![0; n],
            type_index: (0..n).map(|i| (i % 2) as u16).collect(),
            occurred_at_ms: at.to_vec(),
            points: points.map(<[f64]>::to_vec),
            collaborator_ids: ids.to_vec(),
            type_names: types.to_vec(),
            event_ids: event_ids.map(<[Option<String>]>::to_vec),
        })
        .map_err(|e| (e.code.as_str(), e.path))
    };
    assert_eq!(load(&[0.0, 1.5], None, None), Err(("time.invalidTimestamp", "/events/occurredAtMs/1".into())));
    assert_eq!(load(&[0.0, f64::NAN], None, None), Err(("time.invalidTimestamp", "/events/occurredAtMs/1".into())));
    assert_eq!(
        load(&[0.0, 1.0], Some(&[3.0, f64::NAN]), None),
        Err(("events.unexpectedPoints", "/events/points/0".into()))
    );
    assert_eq!(
        load(&[0.0, 1.0], Some(&[f64::NAN, -1.0]), None),
        Err(("events.invalidPoints", "/events/points/1".into()))
    );
    assert_eq!(load(&[0.0, 1.0], Some(&[f64::NAN]), None), Err(("input.columnLength", "/events/points".into())));
    let dup = [Some("x".to_string()), None, Some("x".to_string())];
    assert_eq!(load(&[0.0, 1.0, 2.0], None, Some(&dup)), Err(("events.duplicateId", "/events/eventIds/2".into())));
    assert_eq!(load(&[0.0, 1.0, 2.0], None, Some(&[None, None, None])), Ok(()));
}

/// Event ids are listed for the top 50 of the leaderboard; everyone else keeps counts, has an
/// empty, truncated list, and the explanation says the lists are limited.
#[test]
fn transaction_column_errors_point_into_the_columns() {
    let base = || TransactionColumns {
        transaction_ids: vec!["t1".to_string(), "t2".to_string()].into(),
        occurred_at_ms: vec![1_772_323_200_000.0, 1_772_409_600_000.0],
        status_index: Some(vec![0, 1]),
        status_names: Some(vec!["complete".into(), "refunded".into()]),
        total: Some(vec![f64::NAN, 1000.0]),
        amount_scale: 2,
        line_transaction_index: vec![0, 0],
        line_type_index: vec![0, 1],
        line_type_names: Some(vec!["product".into(), "shipping".into()]),
        line_amount: vec![1999.0, 499.0],
        line_quantity: Some(vec![2, 1]),
        line_skus: Some(vec![Some("MUG".into()), None]),
        refund_transaction_index: vec![1],
        refund_occurred_at_ms: vec![1_772_496_000_000.0],
        refund_amount: Some(vec![f64::NAN]),
        ..TransactionColumns::default()
    };
    let load = |change: &dyn Fn(&mut TransactionColumns)| {
        let mut columns = base();
        change(&mut columns);
        let mut d = Engine::new();
        d.load_transaction_columns(columns).map_err(|e| (e.code.as_str(), e.path))
    };
    let refused = |code: &'static str, path: &str| Err((code, path.to_string()));
    assert_eq!(load(&|_| {}), Ok(()));
    assert_eq!(load(&|c| (c.status_names, c.line_type_names) = (None, None)), Ok(()));
    assert_eq!(load(&|c| c.occurred_at_ms[1] = 0.5), refused("time.invalidTimestamp", "/transactions/occurredAtMs/1"));
    assert_eq!(
        load(&|c| c.refund_occurred_at_ms[0] = f64::INFINITY),
        refused("time.invalidTimestamp", "/transactions/refundOccurredAtMs/0")
    );
    assert_eq!(
        load(&|c| c.transaction_ids = vec!["t1".to_string(), "t1".to_string()].into()),
        refused("transactions.duplicateId", "/transactions/transactionIds/1")
    );
    assert_eq!(
        load(&|c| c.transaction_ids = vec![String::new(), "t2".to_string()].into()),
        refused("preview.invalidId", "/transactions/transactionIds/0")
    );
    // Ids as numbers: whole, from 0 to 2^53 − 1, distinct in any order.
    let numbers = |ids: &[f64]| {
        let ids = TransactionIds::Numbers(ids.to_vec());
        load(&|c| {
            c.transaction_ids = ids.clone();
            c.occurred_at_ms.resize(ids.len(), 1_772_323_200_000.0);
            c.total.as_mut().unwrap().resize(ids.len(), 100.0);
            c.status_index.as_mut().unwrap().resize(ids.len(), 0);
        })
    };
    assert_eq!(numbers(&[2.0, 1.0]), Ok(()));
    assert_eq!(numbers(&[0.0, 9_007_199_254_740_991.0, 5.0]), Ok(()));
    for (ids, code, at) in [
        (&[1.0, 1.5][..], "preview.invalidId", 1),
        (&[-1.0, 1.0], "preview.invalidId", 0),
        (&[1.0, f64::NAN], "preview.invalidId", 1),
        (&[9_007_199_254_740_992.0, 1.0], "preview.invalidId", 0),
        (&[1.0, 2.0, 2.0, 3.0], "transactions.duplicateId", 2),
        (&[3.0, 1.0, 2.0, 1.0, 3.0], "transactions.duplicateId", 3),
        (&[3.0, 1.0, 2.0, 1.0, 0.5], "transactions.duplicateId", 3),
        (&[3.0, 1.0, 3.0, 0.5], "transactions.duplicateId", 2),
        (&[3.0, 0.5, 3.0], "preview.invalidId", 1),
    ] {
        assert_eq!(numbers(ids), refused(code, &format!("/transactions/transactionIds/{at}")), "{ids:?}");
    }
    assert_eq!(load(&|c| c.line_amount[1] = 4.99), refused("transactions.invalidAmount", "/transactions/lineAmount/1"));
    assert_eq!(load(&|c| c.line_amount[0] = -1.0), refused("transactions.invalidAmount", "/transactions/lineAmount/0"));
    assert_eq!(
        load(&|c| c.line_amount[0] = f64::NAN),
        refused("transactions.invalidAmount", "/transactions/lineAmount/0")
    );
    assert_eq!(
        load(&|c| c.total = Some(vec![f64::NAN, 1e17 + 1.0])),
        refused("transactions.amountOutOfRange", "/transactions/total/1")
    );
    assert_eq!(load(&|c| c.amount_scale = 0), Ok(()));
    assert_eq!(
        load(&|c| {
            c.amount_scale = 0;
            c.line_amount[0] = 2e15;
        }),
        refused("transactions.amountOutOfRange", "/transactions/lineAmount/0")
    );
    // The limit itself is allowed, one unit above it is not.
    let whole = |amount: f64| {
        move |c: &mut TransactionColumns| {
            c.amount_scale = 0;
            c.line_amount[0] = amount;
        }
    };
    assert_eq!(load(&whole(1e15)), Ok(()));
    assert_eq!(load(&whole(1e15 + 1.0)), refused("transactions.amountOutOfRange", "/transactions/lineAmount/0"));
    assert_eq!(load(&|c| c.amount_scale = 13), refused("transactions.amountOutOfRange", "/transactions/amountScale"));
    assert_eq!(
        load(&|c| c.refund_amount = Some(vec![0.25])),
        refused("transactions.invalidAmount", "/transactions/refundAmount/0")
    );
    assert_eq!(
        load(&|c| c.line_quantity = Some(vec![1, 1_000_000_001])),
        refused("transactions.invalidQuantity", "/transactions/lineQuantity/1")
    );
    assert_eq!(
        load(&|c| c.line_transaction_index[1] = 2),
        refused("transactions.indexOutOfRange", "/transactions/lineTransactionIndex/1")
    );
    assert_eq!(
        load(&|c| c.refund_transaction_index[0] = u32::MAX),
        refused("transactions.indexOutOfRange", "/transactions/refundTransactionIndex/0")
    );
    assert_eq!(
        load(&|c| c.line_type_index[0] = 2),
        refused("transactions.indexOutOfRange", "/transactions/lineTypeIndex/0")
    );
    assert_eq!(
        load(&|c| c.status_index = Some(vec![0, 7])),
        refused("transactions.indexOutOfRange", "/transactions/statusIndex/1")
    );
    assert_eq!(
        load(&|c| c.line_type_names.as_mut().unwrap()[1] = "shipment".into()),
        refused("transactions.invalidDetailType", "/transactions/lineTypeNames/1")
    );
    assert_eq!(
        load(&|c| c.status_names.as_mut().unwrap()[0] = "paid".into()),
        refused("transactions.invalidStatus", "/transactions/statusNames/0")
    );
    assert_eq!(
        load(&|c| c.total = Some(vec![f64::NAN, f64::NAN])),
        refused("transactions.missingAmount", "/transactions/total/1")
    );
    assert_eq!(load(&|c| c.total = None), refused("transactions.missingAmount", "/transactions/total/1"));
    assert_eq!(
        load(&|c| c.line_amount.pop().map(drop).unwrap_or(())),
        refused("input.columnLength", "/transactions/lineAmount")
    );
    assert_eq!(load(&|c| c.occurred_at_ms.push(0.0)), refused("input.columnLength", "/transactions/occurredAtMs"));
    assert_eq!(load(&|c| c.refund_amount = Some(vec![])), refused("input.columnLength", "/transactions/refundAmount"));
    assert_eq!(
        load(&|c| c.line_skus = Some(vec![None, Some(String::new())])),
        refused("preview.invalidId", "/transactions/lineSkus/1")
    );
    assert_eq!(
        load(&|c| c.line_categories = Some(vec![vec![], vec!["x".repeat(2000)]])),
        refused("input.tooLarge", "/transactions/lineCategories/1/0")
    );
    // A list's ids are checked for length before emptiness, as one list after another.
    let lists = |lists: &[&[&str]]| Some(lists.iter().map(|l| l.iter().map(|s| s.to_string()).collect()).collect());
    let long = "x".repeat(2000);
    assert_eq!(
        load(&|c| c.line_owner_collaborator_ids = lists(&[&["7"], &["8", "", &long]])),
        refused("input.tooLarge", "/transactions/lineOwnerCollaboratorIds/1/2")
    );
    assert_eq!(
        load(&|c| c.line_categories = lists(&[&["a", ""], &[&long]])),
        refused("preview.invalidId", "/transactions/lineCategories/0/1")
    );
    assert_eq!(
        load(&|c| {
            c.line_transaction_index = vec![0; 1001];
            c.line_type_index = vec![0; 1001];
            c.line_amount = vec![1.0; 1001];
            c.line_quantity = None;
            c.line_skus = None;
        }),
        refused("input.tooLarge", "/transactions/lineTransactionIndex/1000")
    );

    // A failed load leaves the loaded transactions as they were.
    let mut d = Engine::new();
    d.load_transaction_columns(base()).unwrap();
    let mut bad = base();
    bad.line_amount[0] = -5.0;
    assert!(d.load_transaction_columns(bad).is_err());
    assert_eq!(d.transaction_count(), 2);
}

#[test]
fn transaction_columns_load_in_revenue_order_and_report_errors_in_column_order() {
    // Instants (ms) and ids chosen so that column order, id order and revenue order all differ:
    // at equal instants whole-number ids come first, numerically ("9" < "10"), then the others.
    let columns = || TransactionColumns {
        transaction_ids: ["b", "10", "a", "9", "x"].map(String::from).to_vec().into(),
        occurred_at_ms: vec![2000.0, 1000.0, 1000.0, 1000.0, 0.0],
        total: Some(vec![f64::NAN, 100.0, f64::NAN, 300.0, 400.0]),
        line_transaction_index: vec![2, 0, 2],
        line_type_index: vec![0, 0, 4],
        line_amount: vec![1.0, 2.0, 3.0],
        refund_transaction_index: vec![1],
        refund_occurred_at_ms: vec![3000.0],
        ..TransactionColumns::default()
    };
    let loaded = transaction_columns::read(columns()).unwrap().transactions();
    let summary: Vec<(&str, usize, Vec<String>, usize)> = loaded
        .iter()
        .map(|t| {
            let lines = t.details.iter().flatten().map(|d| d.amount.to_string()).collect();
            (t.id.as_str(), t.index, lines, t.refunds.len())
        })
        .collect();
    let lines = |amounts: &[&str]| amounts.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    assert_eq!(
        summary,
        vec![
            ("x", 4, lines(&[]), 0),
            ("9", 3, lines(&[]), 0),
            ("10", 1, lines(&[]), 1),
            ("a", 2, lines(&["1", "3"]), 0),
            ("b", 0, lines(&["2"]), 0),
        ]
    );

    // Two transactions without a value: the one first in the columns is reported, although
    // it comes later in revenue order.
    let mut missing = columns();
    missing.total = Some(vec![f64::NAN, 100.0, f64::NAN, f64::NAN, f64::NAN]);
    missing.line_transaction_index = vec![0, 0, 0];
    let error = transaction_columns::read(missing).unwrap_err();
    assert_eq!((error.code.as_str(), error.path.as_str()), ("transactions.missingAmount", "/transactions/total/2"));
}

#[test]
fn event_ids_are_listed_for_the_top_fifty() {
    let mut input = generated(3_000, false, 5);
    input["at"] = json!("2026-02-09T23:00:00Z"); // before eligibleCollaborators narrows to 30
    let preview: Value = serde_json::from_str(&object_preview(&input).unwrap()).unwrap();
    let scoring = &preview["explanation"]["scoring"];
    assert_eq!(scoring["eventIdsListedForTop"], json!(50));
    let collaborators = scoring["collaborators"].as_array().unwrap();
    assert!(collaborators.len() > 50, "{} collaborators", collaborators.len());
    let leaderboard: Vec<&Value> =
        preview["leaderboard"].as_array().unwrap().iter().map(|l| &l["collaboratorId"]).collect();
    for c in collaborators {
        let events = &c["events"];
        let count = events["count"].as_u64().unwrap();
        let listed = events["ids"].as_array().unwrap().len() as u64;
        let rank = leaderboard.iter().position(|id| **id == c["collaboratorId"]).unwrap();
        let counted: u64 = c["eventCounts"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
        assert_eq!(counted, count);
        if rank < 50 {
            assert_eq!(listed, count.min(50), "{c}");
        } else {
            assert_eq!(listed, 0, "{c}");
            assert_eq!(events["truncated"], json!(count > 0), "{c}");
        }
    }
    // Below the limit, no flag.
    let mut input = generated(500, false, 3);
    input["at"] = json!("2026-03-31T23:59:59Z");
    let preview: Value = serde_json::from_str(&object_preview(&input).unwrap()).unwrap();
    assert!(preview["explanation"]["scoring"].get("eventIdsListedForTop").is_none());
}

/// The bulk path adds up events in input order; an overflow must still name the event the
/// object path names (the first past 2^53 − 1 in (instant, id) order), here the third in time
/// order (input 3), while input order reaches the limit at input 2.
#[test]
fn a_score_overflow_names_the_same_event_in_any_input_order() {
    let mut input = generated(0, false, 1);
    let events: Vec<Value> = (0..6)
        .map(|i| {
            let day = 20 - i; // input order is reverse time order
            json!({"collaboratorId": "c1", "type": "manual", "occurredAt": format!("2026-01-{day:02}T00:00:00Z"), "points": 3_002_399_751_580_331i64})
        })
        .collect();
    input["events"] = json!(events);
    input["at"] = json!("2026-01-31T00:00:00Z");
    let error = api::preview_scores(&input).unwrap_err();
    assert_eq!((error.code.as_str(), error.path.as_str()), ("events.scoreOverflow", "/events/3"));
    assert!(compare_case("overflow", &input, object_preview, bulk_preview) > 0);
}

/// The bulk path's scoring tables are dense: sizes no real program has (here 5,000
/// collaborators × 4,000 configured types) are refused with a located error instead of
/// exhausting memory, and the handle keeps working.
#[test]
fn oversized_scoring_tables_are_refused_not_allocated() {
    let types: Vec<String> = (0..4_000).map(|i| format!("t{i}")).collect();
    let mut engine = Engine::new();
    engine
        .load_event_columns(EventColumns {
            collaborator_index: vec![0, 4_999],
            type_index: vec![0, 3_999],
            occurred_at_ms: vec![1_768_000_000_000.0; 2], // 2026-01-09T23:06:40Z
            points: None,
            collaborator_ids: (0..5_000).map(|i| format!("c{i}")).collect(),
            type_names: types.clone(),
            event_ids: None,
        })
        .unwrap();
    let (mut rest, _, _) = split(&generated(0, false, 1)).unwrap();
    rest.as_object_mut().unwrap().remove("collaborators");
    rest["at"] = json!("2026-01-20T00:00:00Z");
    let all: serde_json::Map<String, Value> = types.iter().map(|t| (t.clone(), json!(1))).collect();
    rest["config"] = json!({"engagementTypes": all, "revenuePercentage": 10, "transactionCompilers": ["lineItems"]});
    let error = engine.preview(&rest).unwrap_err();
    assert_eq!((error.code.as_str(), error.path.as_str()), ("input.tooLarge", "/config"), "{}", error.message);

    let too_many = EventColumns { collaborator_ids: vec!["c".to_string(); 1_000_001], ..EventColumns::default() };
    let error = engine.load_event_columns(too_many).unwrap_err();
    assert_eq!((error.code.as_str(), error.path.as_str()), ("input.tooLarge", "/events/collaboratorIds"));

    rest["config"]["engagementTypes"] = json!({"t0": 1, "t3999": 2});
    let preview: Value = serde_json::from_str(&bulk_preview(&engine, &rest).unwrap()).unwrap();
    let leaders: Vec<(&str, i64)> = preview["leaderboard"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["collaboratorId"].as_str().unwrap(), l["score"].as_i64().unwrap()))
        .collect();
    assert_eq!(leaders, [("c4999", 2), ("c0", 1)]);
}

/// One handle keeps the last preview's counts and revenue and reuses them while only the
/// weights change; any other change (the instant, the roster, eligibility, which types count,
/// percentages, compilers, the zone, new events or transactions) must compute them again. Each
/// preview in this sequence equals the object path's.
#[test]
fn kept_counts_are_reused_only_under_the_same_rules() {
    let base = generated(3_000, true, 6);
    let (_, events, transactions) = split(&base).unwrap();
    let mut engine = Engine::new();
    engine.load_events_json(events.as_bytes()).unwrap();
    engine.load_transactions_json(transactions.as_bytes()).unwrap();
    let mut steps: Vec<(&str, Value)> = Vec::new();
    let mut input = base.clone();
    // February's window, across the second version (from February 10).
    input["at"] = json!("2026-02-20T00:00:00Z");
    steps.push(("first", input.clone()));
    input["config"][0]["engagementTypes"]["referredSiteVisit"] = json!(9);
    input["config"][1]["engagementTypes"]["manual"] = json!(0);
    steps.push(("weights", input.clone()));
    input["at"] = json!("2026-02-12T00:00:00Z");
    steps.push(("at", input.clone()));
    input["collaborators"][1]["status"] = json!("inactive");
    steps.push(("roster", input.clone()));
    input["config"][1]["eligibleCollaborators"] = json!(["c1", "c2", "c3"]);
    steps.push(("eligibility", input.clone()));
    input["config"][1]["engagementTypes"]["courseCompleted"] = json!(4);
    steps.push(("types", input.clone()));
    input["config"][1]["effectiveFrom"] = json!("2026-02-05T00:00:00Z");
    steps.push(("version boundary", input.clone()));
    input["config"][1]["revenuePercentage"] = json!("12.50");
    steps.push(("percentage's scale", input.clone()));
    input["config"][1]["revenuePercentage"] = json!("20");
    steps.push(("percentage", input.clone()));
    input["config"][1]["transactionCompilers"] = json!(["lineItems", "discounts"]);
    steps.push(("compilers", input.clone()));
    input["timeZone"] = json!("Europe/Paris");
    steps.push(("zone", input.clone()));
    input["config"][0]["engagementTypes"]["boundCouponUsed"] = json!(1);
    steps.push(("weights again", input.clone()));
    for (name, input) in &steps {
        let (rest, _, _) = split(input).unwrap();
        let expected = object_preview(input).unwrap();
        assert!(bulk_preview(&engine, &rest).unwrap() == expected, "{name}");
    }
    // New events on the same handle (the same ids and types, so the same rules: only the
    // reload can tell the kept counts are stale), previewed under the last rules.
    let (last_name, last) = steps.last().unwrap();
    let mut reloaded = last.clone();
    for event in reloaded["events"].as_array_mut().unwrap().iter_mut().skip(1).step_by(2) {
        event["occurredAt"] = json!("2025-06-01T00:00:00Z");
    }
    let (_, other_events, _) = split(&reloaded).unwrap();
    engine.load_events_json(other_events.as_bytes()).unwrap();
    // Transactions too: the second half refunded in full the day after the sale.
    for t in reloaded["transactions"].as_array_mut().unwrap().iter_mut().skip(1).step_by(2) {
        let sale = chrono::DateTime::parse_from_rfc3339(t["occurredAt"].as_str().unwrap()).unwrap();
        t["refunds"] = json!([{"occurredAt": (sale + chrono::Duration::days(1)).to_rfc3339()}]);
    }
    let (_, _, other_transactions) = split(&reloaded).unwrap();
    engine.load_transactions_json(other_transactions.as_bytes()).unwrap();
    let (rest_last, _, _) = split(&reloaded).unwrap();
    assert!(
        bulk_preview(&engine, &rest_last).unwrap() == object_preview(&reloaded).unwrap(),
        "reloaded after {last_name}"
    );
}

/// Events in time order (as an export lists them) span several blocks of 4,096 with narrow time
/// spans, so scoring skips the blocks outside a window: previews and a simulation still equal
/// the object path's.
#[test]
fn time_ordered_events_skip_blocks_outside_the_window_with_the_same_result() {
    let mut input = generated(20_000, true, 8);
    input["events"].as_array_mut().unwrap().sort_by_key(|e| e["occurredAt"].as_str().unwrap().to_string());
    for at in ["2026-01-10T00:00:00Z", "2026-02-15T08:00:00-05:00", "2026-03-31T23:59:59Z"] {
        input["at"] = json!(at);
        assert!(compare_case(&format!("time-ordered at={at}"), &input, object_preview, bulk_preview) > 0);
    }
    input["start"] = json!("2026-01-01T00:00:00-05:00");
    input["end"] = json!("2026-04-01T00:00:00-04:00");
    assert!(compare_case("time-ordered simulate", &input, object_simulate, bulk_simulate) > 0);
}
