//! The engine compiled to wasm32 and run under Node by wasm-bindgen-test-runner: the same
//! behaviour as the native tests (shared data tables), plus the binding layer's conversions of
//! hostile JS values into diagnostics or JS errors with `code` and `path`.
#![cfg(target_arch = "wasm32")]

#[path = "../../siren-engine/tests/engine/support/schedule_oracle.rs"]
mod schedule_oracle;

use js_sys::{Array, Error, Object, Reflect, JSON};
use serde_json::json;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn js(value: serde_json::Value) -> JsValue {
    JSON::parse(&value.to_string()).unwrap()
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

fn first_error_code(report: &JsValue) -> String {
    let errors: Array = get(report, "errors").dyn_into().unwrap();
    get(&errors.get(0), "code").as_string().unwrap()
}

/// Asserts the call threw a JS `Error` carrying `code` and `path`.
fn assert_thrown(result: Result<JsValue, JsValue>, code: &str, path: &str) {
    let thrown = result.expect_err("expected a thrown error");
    assert!(thrown.is_instance_of::<Error>(), "thrown value is not an Error");
    assert_eq!(get(&thrown, "code").as_string().as_deref(), Some(code));
    assert_eq!(get(&thrown, "path").as_string().as_deref(), Some(path));
}

fn seed_recipe() -> serde_json::Value {
    serde_json::from_str(include_str!("../../../samples/recipes/milestone-rewards.json")).unwrap()
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(siren_wasm::version().unwrap().as_string().as_deref(), Some(env!("CARGO_PKG_VERSION")));
}

#[wasm_bindgen_test]
fn seed_recipe_is_valid_from_an_object_and_from_text() {
    for input in [js(seed_recipe()), JsValue::from_str(&seed_recipe().to_string())] {
        let report = siren_wasm::validate_recipe(input, JsValue::UNDEFINED).unwrap();
        assert_eq!(get(&report, "valid"), JsValue::TRUE);
        assert_eq!(Array::from(&get(&report, "errors")).length(), 0);
        assert_eq!(Array::from(&get(&report, "warnings")).length(), 0);
    }
}

#[wasm_bindgen_test]
fn wasm_and_native_reports_are_identical() {
    let recipe = json!({"version": 2, "name": "", "distributors": {"x": {"distributionResolver": "topScoreWin"}}});
    let native = serde_json::to_string(&siren_engine::validate_recipe(&recipe, None).unwrap()).unwrap();
    let from_js = siren_wasm::validate_recipe(js(recipe), JsValue::UNDEFINED).unwrap();
    assert_eq!(JSON::stringify(&from_js).unwrap().as_string().unwrap(), native);
}

#[wasm_bindgen_test]
fn hostile_values_become_diagnostics_and_the_instance_keeps_working() {
    let cyclic = Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let cases: Vec<(JsValue, &str)> = vec![
        (JsValue::UNDEFINED, "input.missing"),
        (JsValue::NULL, "input.missing"),
        (JsValue::from_str("{not json"), "input.notJson"),
        (cyclic.into(), "input.notSerializable"),
        (js_sys::BigInt::from(5u32).into(), "input.notSerializable"),
        (JsValue::from_str(&deep), "input.tooDeep"),
        (JsValue::from_f64(42.0), "input.wrongType"),
    ];
    for (input, code) in cases {
        let report = siren_wasm::validate_recipe(input, JsValue::UNDEFINED).unwrap();
        assert_eq!(get(&report, "valid"), JsValue::FALSE);
        assert_eq!(first_error_code(&report), code);
        // Still answering after every hostile call.
        let ok = siren_wasm::validate_recipe(js(seed_recipe()), JsValue::UNDEFINED).unwrap();
        assert_eq!(get(&ok, "valid"), JsValue::TRUE);
    }
}

#[wasm_bindgen_test]
fn bad_options_throw_with_code_and_path() {
    assert_thrown(
        siren_wasm::validate_recipe(js(seed_recipe()), js(json!({"strict": "yes"}))),
        "input.invalidOption",
        "/strict",
    );
    assert_thrown(
        siren_wasm::validate_recipe(js(seed_recipe()), js(json!({"bogus": 1}))),
        "input.invalidOption",
        "/bogus",
    );
}

#[wasm_bindgen_test]
fn next_runs_matches_php_for_the_seed_schedule() {
    let runs = siren_wasm::next_runs(js(json!({
        "schedule": ["first day of next month"],
        "from": "2026-01-31T15:30:00-05:00",
        "timeZone": "America/New_York",
        "count": 3
    })))
    .unwrap();
    let runs: Vec<String> = Array::from(&runs).iter().map(|v| v.as_string().unwrap()).collect();
    // PHP 8.2: (new DateTime('2026-01-31 15:30', new DateTimeZone('America/New_York')))->modify('first day of next month')
    assert_eq!(runs, ["2026-02-01T15:30:00-05:00", "2026-03-01T15:30:00-05:00", "2026-04-01T15:30:00-04:00"]);
}

#[wasm_bindgen_test]
fn next_runs_errors_are_located() {
    assert_thrown(siren_wasm::next_runs(JsValue::UNDEFINED), "input.missing", "");
    assert_thrown(
        siren_wasm::next_runs(js(json!({"schedule": ["first day of next month"]}))),
        "input.required",
        "/from",
    );
    assert_thrown(
        siren_wasm::next_runs(js(json!({"schedule": ["first day of next month"], "from": "2026-01-01T00:00:00"}))),
        "time.missingOffset",
        "/from",
    );
    assert_thrown(
        siren_wasm::next_runs(js(
            json!({"schedule": ["first day of next month"], "from": "2026-01-01T00:00:00Z", "count": 5000}),
        )),
        "schedule.countTooLarge",
        "/count",
    );
    assert_thrown(
        siren_wasm::next_runs(js(
            json!({"schedule": ["first day of next month"], "from": "2026-01-01T00:00:00Z", "timeZone": "Mars/Olympus"}),
        )),
        "time.unknownZone",
        "/timeZone",
    );
}

#[wasm_bindgen_test]
fn schedules_match_php_on_every_oracle_case_inside_wasm() {
    let summary = schedule_oracle::run();
    assert!(summary.compared >= 2500, "only {} oracle cases", summary.compared);
    assert!(
        summary.mismatches.is_empty(),
        "{} mismatches:\n{}",
        summary.mismatches.len(),
        summary.mismatches.join("\n")
    );
}

#[path = "../../siren-engine/tests/engine/support/cases.rs"]
mod cases;

/// Runs a case file through a binding: the same fragments as natively, byte-identical output to
/// the native computation, and malformed input thrown as an `Error` with the same code and path.
fn check_cases(
    file: &str,
    binding: fn(JsValue) -> Result<JsValue, JsValue>,
    native: fn(&serde_json::Value) -> Result<String, siren_engine::EngineError>,
) {
    let document: serde_json::Value = serde_json::from_str(file).unwrap();
    let cases = document["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        match (binding(js(case["input"].clone())), case.get("error")) {
            (Ok(output), None) => {
                let text = JSON::stringify(&output).unwrap().as_string().unwrap();
                let actual: serde_json::Value = serde_json::from_str(&text).unwrap();
                cases::assert_fragment(&actual, &case["expected"], name);
                assert_eq!(text, native(&case["input"]).unwrap(), "{name}: wasm and native output differ");
            }
            (Err(thrown), Some(expected)) => {
                assert_eq!(get(&thrown, "code").as_string().as_deref(), expected["code"].as_str(), "{name}");
                assert_eq!(get(&thrown, "path").as_string().as_deref(), expected["path"].as_str(), "{name}");
            }
            (Ok(_), Some(expected)) => panic!("{name}: expected error {expected}"),
            (Err(thrown), None) => panic!("{name}: unexpected error {:?}", get(&thrown, "message").as_string()),
        }
    }
}

fn json_text<T: serde::Serialize>(
    value: Result<T, siren_engine::EngineError>,
) -> Result<String, siren_engine::EngineError> {
    value.map(|v| serde_json::to_string(&v).unwrap())
}

#[wasm_bindgen_test]
fn preview_cases_through_the_binding() {
    check_cases(include_str!("../../../tests/data/preview_cases.json"), siren_wasm::preview_scores, |input| {
        json_text(siren_engine::preview_scores(input))
    });
}

#[wasm_bindgen_test]
fn simulate_cases_through_the_binding() {
    check_cases(include_str!("../../../tests/data/simulate_cases.json"), siren_wasm::simulate, |input| {
        json_text(siren_engine::simulate(input))
    });
}

#[wasm_bindgen_test]
fn compare_cases_through_the_binding() {
    check_cases(include_str!("../../../tests/data/compare_cases.json"), siren_wasm::compare, |input| {
        json_text(siren_engine::compare(input))
    });
}

/// The bulk handle as a one-shot binding: loads the input's events and transactions into an
/// `Engine` (as JS objects) and calls `method` with the rest.
/// Inputs without both arrays (the cases about malformed input as a whole) go to `fallback`.
fn through_engine(
    input: JsValue,
    method: fn(&siren_wasm::Engine, JsValue) -> Result<JsValue, JsValue>,
    fallback: fn(JsValue) -> Result<JsValue, JsValue>,
) -> Result<JsValue, JsValue> {
    let has = |key: &str| input.is_object() && !Array::is_array(&input) && Array::is_array(&get(&input, key));
    if !has("events") || !has("transactions") {
        return fallback(input);
    }
    let rest = Object::assign(&Object::new(), input.unchecked_ref());
    let events = get(&rest, "events");
    let transactions = get(&rest, "transactions");
    Reflect::delete_property(&rest, &"events".into())?;
    Reflect::delete_property(&rest, &"transactions".into())?;
    let engine = siren_wasm::Engine::new()?;
    engine.load_events(events)?;
    engine.load_transactions(transactions)?;
    method(&engine, rest.into())
}

#[wasm_bindgen_test]
fn every_preview_case_through_the_engine_handle_inside_wasm() {
    check_cases(
        include_str!("../../../tests/data/preview_cases.json"),
        |input| through_engine(input, |engine, rest| engine.preview(rest), siren_wasm::preview_scores),
        |input| json_text(siren_engine::preview_scores(input)),
    );
}

#[wasm_bindgen_test]
fn every_simulate_case_through_the_engine_handle_inside_wasm() {
    check_cases(
        include_str!("../../../tests/data/simulate_cases.json"),
        |input| through_engine(input, |engine, rest| engine.simulate(rest), siren_wasm::simulate),
        |input| json_text(siren_engine::simulate(input)),
    );
}

/// Sets `key` of the JS object `target` to `value`.
fn set(target: &JsValue, key: &str, value: &JsValue) {
    Reflect::set(target, &key.into(), value).unwrap();
}

#[wasm_bindgen_test]
fn transactions_loaded_as_columns_preview_as_objects_do_inside_wasm() {
    // Two sales (one with a partial refund, one total-only and refunded in full), 19.99 × 2 +
    // 4.99 shipping and 50.00, as objects and as columns (cents).
    let transactions = json!([
        {"id": "t1", "occurredAt": "2026-03-02T10:00:00Z", "details": [{"type": "product", "amount": "19.99", "quantity": 2, "sku": "MUG"}, {"type": "shipping", "amount": "4.99"}],
         "refunds": [{"occurredAt": "2026-03-05T00:00:00Z", "amount": "10.00"}]},
        {"id": "t2", "occurredAt": "2026-03-01T09:00:00Z", "total": "50.00", "refunds": [{"occurredAt": "2026-03-03T00:00:00Z"}]}
    ]);
    let mut input = json!({
        "recipe": seed_recipe(), "distributorKey": "milestoneRewards",
        "config": {"engagementTypes": {"manual": 1}, "revenuePercentage": 10, "transactionCompilers": ["lineItems", "shipping"]},
        "timeZone": "UTC", "lastDistributionAt": "2026-03-01T00:00:00Z", "at": "2026-03-31T23:59:59Z",
        "events": [{"id": "e", "collaboratorId": "ana", "type": "manual", "occurredAt": "2026-03-02T00:00:00Z", "points": 3}],
    });
    let rest = js(input.clone());
    input["transactions"] = transactions;
    let preview = siren_wasm::preview_scores(js(input)).unwrap();
    // Sales 44.97 + 50.00, refunds 10.00 + 50.00: revenue 34.97, pool 10 % = 3.497 → 3.50.
    assert_eq!(get(&preview, "pool").as_string().as_deref(), Some("3.50"));
    let expected = JSON::stringify(&preview).unwrap();

    let columns = js(json!({"transactionIds": ["t1", "t2"], "amountScale": 2, "lineSkus": ["MUG", null]}));
    set(&columns, "occurredAtMs", &js_sys::Float64Array::from(&[1_772_445_600_000.0, 1_772_355_600_000.0][..]));
    set(&columns, "total", &js_sys::Float64Array::from(&[f64::NAN, 5000.0][..]));
    set(&columns, "lineTransactionIndex", &js_sys::Uint32Array::from(&[0, 0][..]));
    set(&columns, "lineTypeIndex", &js_sys::Uint8Array::from(&[0, 4][..]));
    set(&columns, "lineAmount", &js_sys::Float64Array::from(&[1999.0, 499.0][..]));
    set(&columns, "lineQuantity", &js_sys::Uint32Array::from(&[2, 1][..]));
    set(&columns, "refundTransactionIndex", &js_sys::Uint32Array::from(&[0, 1][..]));
    set(&columns, "refundOccurredAtMs", &js_sys::Float64Array::from(&[1_772_668_800_000.0, 1_772_496_000_000.0][..]));
    set(&columns, "refundAmount", &js_sys::Float64Array::from(&[1000.0, f64::NAN][..]));
    let engine = siren_wasm::Engine::new().unwrap();
    let events = get(&rest, "events");
    Reflect::delete_property(rest.unchecked_ref::<Object>(), &"events".into()).unwrap();
    engine.load_events(events).unwrap();
    engine.load_transactions_columns(columns.clone()).unwrap();
    assert_eq!(JSON::stringify(&engine.preview(rest.clone()).unwrap()).unwrap(), expected);
    assert_eq!(engine.transaction_count(), 2);

    // An index of 2^32 − 1 is out of range, not an overflow of this target's 32-bit usize (a
    // debug build, as here, would panic), in a sorted column and in an unsorted one.
    for (column, index, path) in [
        ("lineTransactionIndex", [0, u32::MAX], "/transactions/lineTransactionIndex/1"),
        ("refundTransactionIndex", [u32::MAX, 0], "/transactions/refundTransactionIndex/0"),
    ] {
        let bad = Object::assign(&Object::new(), columns.unchecked_ref());
        set(&bad, column, &js_sys::Uint32Array::from(&index[..]));
        let thrown = engine.load_transactions_columns(bad.into()).map(|()| JsValue::UNDEFINED);
        assert_thrown(thrown, "transactions.indexOutOfRange", path);
    }

    // A bad column is a located error; the loaded transactions stay.
    set(&columns, "lineAmount", &js_sys::Float64Array::from(&[19.99, 499.0][..]));
    let thrown = engine.load_transactions_columns(columns).map(|()| JsValue::UNDEFINED);
    assert_thrown(thrown, "transactions.invalidAmount", "/transactions/lineAmount/0");
    assert_eq!(JSON::stringify(&engine.preview(rest).unwrap()).unwrap(), expected);
}

#[wasm_bindgen_test]
fn linear_memory_grows_by_at_least_a_quarter_at_a_time() {
    // src/heap.rs: small allocations past the end of memory grow it geometrically (each growth
    // costs the JS engine a collection), not by the page or two they need.
    let pages = || core::arch::wasm32::memory_size(0);
    let before = pages();
    let mut held = Vec::new();
    while pages() == before {
        held.push(vec![1u8; 4096]);
    }
    let grown = pages() - before;
    assert!(grown >= (before / 4).max(16), "grew {grown} pages from {before}");
    assert!(held.iter().all(|block| block.iter().all(|b| *b == 1)));
}

// ---------------------------------------------------------------------------------------------
// The JS boundary of the bulk loads: typed arrays the caller can tamper with (detached buffers,
// overridden `length`, subclasses, Proxies) are coded errors, never a JS exception through the
// wasm frames, and the same `Engine` and the instance keep answering.

/// The value a JS function body returns (hostile values are easiest to build in JS).
fn js_value(body: &str) -> JsValue {
    js_sys::Function::new_no_args(body).call0(&JsValue::NULL).unwrap()
}

/// Valid event columns (one event), as JS source, with `over` spread over them.
fn event_columns(over: &str) -> JsValue {
    js_value(&format!(
        "const detached = (a) => (structuredClone(a.buffer, {{ transfer: [a.buffer] }}), a);
         return {{ collaboratorIndex: new Uint32Array([0]), typeIndex: new Uint16Array([0]),
           occurredAtMs: new Float64Array([Date.UTC(2026, 0, 5)]), collaboratorIds: ['ana'], typeNames: ['manual'], {over} }};"
    ))
}

/// Valid transaction columns (one sale of 19.99), as JS source, with `over` spread over them.
fn transaction_columns(over: &str) -> JsValue {
    js_value(&format!(
        "const detached = (a) => (structuredClone(a.buffer, {{ transfer: [a.buffer] }}), a);
         return {{ transactionIds: ['t1'], occurredAtMs: new Float64Array([Date.UTC(2026, 0, 5)]), amountScale: 2,
           lineTransactionIndex: new Uint32Array([0]), lineTypeIndex: new Uint8Array([0]), lineAmount: new Float64Array([1999]), {over} }};"
    ))
}

fn unit(result: Result<(), JsValue>) -> Result<JsValue, JsValue> {
    result.map(|()| JsValue::UNDEFINED)
}

/// The instance still answers: a recipe validates, and `engine` loads valid columns and
/// previews them.
fn still_answers(engine: &siren_wasm::Engine) {
    let ok = siren_wasm::validate_recipe(js(seed_recipe()), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&ok, "valid"), JsValue::TRUE);
    engine.load_events_columns(event_columns("")).unwrap();
    engine.load_transactions_columns(transaction_columns("")).unwrap();
    assert_eq!((engine.event_count(), engine.transaction_count()), (1, 1));
    let preview = engine
        .preview(js(json!({
            "recipe": seed_recipe(), "distributorKey": "milestoneRewards",
            "config": {"engagementTypes": {"manual": 1}, "revenuePercentage": 10, "transactionCompilers": ["lineItems"]},
            "timeZone": "UTC", "lastDistributionAt": "2026-01-01T00:00:00Z", "at": "2026-01-31T00:00:00Z",
        })))
        .unwrap();
    assert_eq!(get(&preview, "pool").as_string().as_deref(), Some("2.00"));
}

#[wasm_bindgen_test]
fn tampered_typed_array_columns_are_coded_errors_and_the_engine_keeps_answering() {
    let wrong = |column: &str| ("input.wrongType", format!("/events/{column}"));
    let cases: Vec<(&str, (&str, String))> = vec![
        ("collaboratorIndex: detached(new Uint32Array([0]))", ("input.detached", "/events/collaboratorIndex".into())),
        ("points: detached(new Float64Array([1]))", ("input.detached", "/events/points".into())),
        ("collaboratorIndex: new (class extends Uint32Array { get length() { return 2 ** 32 - 1; } })([0])", wrong("collaboratorIndex")),
        ("collaboratorIndex: new (class extends Uint32Array { get length() { throw new Error('length'); } })([0])", wrong("collaboratorIndex")),
        ("typeIndex: new Proxy(new Uint16Array([0]), {})", wrong("typeIndex")),
        ("typeIndex: new Proxy(new Uint16Array([0]), { get() { throw new Error('trap'); } })", wrong("typeIndex")),
        ("occurredAtMs: new Float32Array([0])", wrong("occurredAtMs")),
        ("collaboratorIndex: new Int32Array([0])", wrong("collaboratorIndex")),
        ("collaboratorIndex: { length: 2 ** 32 - 1, 0: 0 }", wrong("collaboratorIndex")),
        // A resizable buffer shrunk below the view: out of bounds, as unreadable as detached.
        (
            "collaboratorIndex: (() => { const b = new ArrayBuffer(16, { maxByteLength: 16 }); const a = new Uint32Array(b, 8, 2); b.resize(4); return a; })()",
            ("input.detached", "/events/collaboratorIndex".into()),
        ),
        // A later column's getter transfers an earlier column's buffer: found at the copy.
        (
            "collaboratorIndex: globalThis.__early = new Uint32Array([0]), get typeIndex() { detached(globalThis.__early); return new Uint16Array([0]); }",
            ("input.detached", "/events/collaboratorIndex".into()),
        ),
        // More entries than any table may have: refused before anything is copied or allocated.
        ("collaboratorIds: Object.assign([], { length: 2 ** 32 - 1 })", ("input.tooLarge", "/events/collaboratorIds".into())),
        ("eventIds: Object.assign([], { length: 20000001 })", ("input.tooLarge", "/events/eventIds".into())),
    ];
    let engine = siren_wasm::Engine::new().unwrap();
    for (over, (code, path)) in cases {
        // A fresh handle and the same handle give the same answer, and both keep loading.
        let fresh = siren_wasm::Engine::new().unwrap();
        assert_thrown(unit(fresh.load_events_columns(event_columns(over))), code, &path);
        still_answers(&fresh);
        assert_thrown(unit(engine.load_events_columns(event_columns(over))), code, &path);
        still_answers(&engine);
    }
}

#[wasm_bindgen_test]
fn an_overridden_length_on_an_exact_typed_array_is_not_what_is_read() {
    // The length comes from %TypedArray%.prototype's getter, never from the value: an own
    // `length` that throws, lies or is 2^32 − 1 changes nothing, and nothing is allocated from it.
    for length in ["get() { throw new Error('length'); }", "get() { return 2 ** 32 - 1; }", "value: 1e6"] {
        let engine = siren_wasm::Engine::new().unwrap();
        let over = format!("collaboratorIndex: Object.defineProperty(new Uint32Array([0]), 'length', {{ {length} }})");
        engine.load_events_columns(event_columns(&over)).unwrap();
        assert_eq!(engine.event_count(), 1);
        let bytes = js_value(&format!(
            "return Object.defineProperty(new TextEncoder().encode('[]'), 'length', {{ {length} }});"
        ));
        engine.load_events(bytes).unwrap();
        assert_eq!(engine.event_count(), 0);
        still_answers(&engine);
    }
}

#[wasm_bindgen_test]
fn string_lists_loaded_as_columns_filter_lines_as_the_objects_lists_do() {
    // Four lines: categories packed into one string table with each list's length (a null list
    // is empty); the filter keeps the lines in "😀" (the first and the last), 19.99 + 7.00.
    let transactions = json!([
        {"id": "t1", "occurredAt": "2026-03-02T10:00:00Z", "details": [
            {"type": "product", "amount": "19.99", "categories": ["mugs", "😀"], "ownerCollaboratorIds": ["ana"]},
            {"type": "product", "amount": "4.99"},
            {"type": "product", "amount": "3.00", "categories": ["é", "\u{10FFFF}"], "ownerCollaboratorIds": []},
            {"type": "product", "amount": "7.00", "categories": ["😀"], "ownerCollaboratorIds": ["ana", "bé"]}]}
    ]);
    let mut input = json!({
        "recipe": seed_recipe(), "distributorKey": "milestoneRewards",
        "config": {"engagementTypes": {"manual": 1}, "revenuePercentage": 10, "transactionCompilers": ["lineItems"], "lineItemFilters": {"inCategories": ["😀"]}},
        "timeZone": "UTC", "lastDistributionAt": "2026-03-01T00:00:00Z", "at": "2026-03-31T23:59:59Z",
        "events": [{"id": "e", "collaboratorId": "ana", "type": "manual", "occurredAt": "2026-03-02T00:00:00Z", "points": 3}],
    });
    let rest = js(input.clone());
    input["transactions"] = transactions;
    let preview = siren_wasm::preview_scores(js(input)).unwrap();
    assert_eq!(get(&get(&get(&preview, "explanation"), "revenue"), "sales").as_string().as_deref(), Some("26.99"));
    let expected = JSON::stringify(&preview).unwrap();

    let columns = js(json!({
        "transactionIds": ["t1"], "amountScale": 2,
        "lineCategories": [["mugs", "😀"], null, ["é", "\u{10FFFF}"], ["😀"]],
        "lineOwnerCollaboratorIds": [["ana"], null, [], ["ana", "bé"]],
    }));
    set(&columns, "occurredAtMs", &js_sys::Float64Array::from(&[1_772_445_600_000.0][..]));
    set(&columns, "lineTransactionIndex", &js_sys::Uint32Array::from(&[0, 0, 0, 0][..]));
    set(&columns, "lineTypeIndex", &js_sys::Uint8Array::from(&[0, 0, 0, 0][..]));
    set(&columns, "lineAmount", &js_sys::Float64Array::from(&[1999.0, 499.0, 300.0, 700.0][..]));
    let engine = siren_wasm::Engine::new().unwrap();
    let events = get(&rest, "events");
    Reflect::delete_property(rest.unchecked_ref::<Object>(), &"events".into()).unwrap();
    engine.load_events(events).unwrap();
    engine.load_transactions_columns(columns.clone()).unwrap();
    assert_eq!(JSON::stringify(&engine.preview(rest.clone()).unwrap()).unwrap(), expected);

    // A lone surrogate at its list and item, a list that is not one: coded, the data kept.
    let cases = [
        ("[['mugs'], null, ['é', 'x\\uDC00'], []]", "input.loneSurrogate", "/transactions/lineCategories/2/1"),
        ("[['mugs'], 'é', [], []]", "input.wrongType", "/transactions/lineCategories"),
    ];
    for (lists, code, path) in cases {
        let bad = js_value(&format!("return {lists};"));
        let over = js_sys::Object::assign(&Object::new(), columns.unchecked_ref::<Object>());
        set(&over, "lineCategories", &bad);
        assert_thrown(unit(engine.load_transactions_columns(over.into())), code, path);
    }
    assert_eq!(JSON::stringify(&engine.preview(rest).unwrap()).unwrap(), expected);
}

#[wasm_bindgen_test]
fn tampered_transaction_columns_are_coded_errors() {
    let cases = [
        ("lineAmount: detached(new Float64Array([1999]))", "input.detached", "/transactions/lineAmount"),
        ("lineTypeIndex: detached(new Uint8Array([0]))", "input.detached", "/transactions/lineTypeIndex"),
        ("transactionIds: detached(new Float64Array([1]))", "input.detached", "/transactions/transactionIds"),
        ("transactionIds: new (class extends Uint32Array {})([1])", "input.wrongType", "/transactions/transactionIds"),
        ("lineQuantity: new Proxy(new Uint32Array([1]), {})", "input.wrongType", "/transactions/lineQuantity"),
        (
            "lineCategories: [Object.assign([], { length: 2 ** 32 - 1 })]",
            "input.tooLarge",
            "/transactions/lineCategories",
        ),
    ];
    let engine = siren_wasm::Engine::new().unwrap();
    for (over, code, path) in cases {
        assert_thrown(unit(engine.load_transactions_columns(transaction_columns(over))), code, path);
        still_answers(&engine);
    }
    // Ids as numbers, from a Uint32Array or a Float64Array, still load.
    for ids in ["new Uint32Array([7])", "new Float64Array([7])"] {
        engine.load_transactions_columns(transaction_columns(&format!("transactionIds: {ids}"))).unwrap();
        assert_eq!(engine.transaction_count(), 1);
    }
}

#[wasm_bindgen_test]
fn json_bytes_are_read_through_the_intrinsics_and_a_detached_buffer_is_coded() {
    let engine = siren_wasm::Engine::new().unwrap();
    let detached =
        "const a = new TextEncoder().encode('[]'); structuredClone(a.buffer, { transfer: [a.buffer] }); return a;";
    assert_thrown(unit(engine.load_events(js_value(detached))), "input.detached", "/events");
    assert_thrown(unit(engine.load_transactions(js_value(detached))), "input.detached", "/transactions");
    still_answers(&engine);
    // A subclass (Node's `Buffer` is one) is read for its bytes, whatever it overrides.
    let event = r#"[{"id": "e", "collaboratorId": "ana", "type": "manual", "occurredAt": "2026-01-05T00:00:00Z"}]"#;
    let subclass = format!(
        "class Bytes extends Uint8Array {{ get length() {{ throw new Error('length'); }} get buffer() {{ throw new Error('buffer'); }} }}
         return new Bytes(new TextEncoder().encode({event:?}));"
    );
    engine.load_events(js_value(&subclass)).unwrap();
    assert_eq!(engine.event_count(), 1);
    // Other views are read as JSON values, as before.
    assert_thrown(
        unit(engine.load_events(js_value("return new DataView(new ArrayBuffer(2));"))),
        "input.wrongType",
        "/events",
    );
    still_answers(&engine);
}

#[wasm_bindgen_test]
fn an_input_getter_may_call_the_same_engine_again() {
    // The inner call runs while the outer one reads its input, before it uses the records.
    let engine = std::rc::Rc::new(siren_wasm::Engine::new().unwrap());
    let inner = engine.clone();
    let load = wasm_bindgen::closure::Closure::<dyn FnMut() -> JsValue>::new(move || {
        inner.load_events_columns(event_columns("collaboratorIds: ['inner']")).unwrap();
        JsValue::from(inner.event_count())
    });
    let columns = event_columns("");
    let getter = js_sys::Function::new_with_args("load", "return { get() { load(); return ['manual']; } };");
    let descriptor = getter.call1(&JsValue::NULL, load.as_ref()).unwrap();
    Object::define_property(
        columns.unchecked_ref::<Object>(),
        &"typeNames".into(),
        descriptor.unchecked_ref::<Object>(),
    );
    engine.load_events_columns(columns).unwrap();
    assert_eq!(engine.event_count(), 1);
    still_answers(&engine);
}

#[wasm_bindgen_test]
fn failed_loads_leave_linear_memory_flat() {
    // A load that fails on a fresh handle (dropped) or on one handle frees everything it took:
    // after a first round (which may grow memory once), more rounds never grow it.
    let failing: Vec<JsValue> = [
        "collaboratorIndex: detached(new Uint32Array([0]))",
        "collaboratorIndex: new Int32Array([0])",
        "occurredAtMs: new Float64Array([NaN])",
        "get typeNames() { throw new Error('getter'); }",
        "collaboratorIds: Object.assign([], { length: 2 ** 32 - 1 })",
    ]
    .iter()
    .map(|over| event_columns(over))
    .collect();
    let shared = siren_wasm::Engine::new().unwrap();
    let round = || {
        for _ in 0..200 {
            for columns in &failing {
                let fresh = siren_wasm::Engine::new().unwrap();
                assert!(fresh.load_events_columns(columns.clone()).is_err());
                assert!(shared.load_events_columns(columns.clone()).is_err());
                assert!(fresh.load_events(JsValue::from_str("[{\"id\": 1}]")).is_err());
            }
        }
    };
    round();
    let pages = core::arch::wasm32::memory_size(0);
    for _ in 0..3 {
        round();
    }
    assert_eq!(core::arch::wasm32::memory_size(0), pages);
    still_answers(&shared);
}

#[wasm_bindgen_test]
fn js_values_the_json_reader_cannot_take_are_coded_by_what_they_are() {
    // JSON.stringify runs out of stack on a 10,000-level object: `input.tooDeep`. A getter that
    // recurses for ever is not a deep input: `input.notSerializable`, with what it threw.
    let deep = js_value("let d = {}; for (let i = 0; i < 10000; i++) d = { d }; return d;");
    let report = siren_wasm::validate_recipe(deep, JsValue::UNDEFINED).unwrap();
    assert_eq!(first_error_code(&report), "input.tooDeep");
    let recursing = js_value("return { get version() { const f = () => f(); return f(); } };");
    let report = siren_wasm::validate_recipe(recursing, JsValue::UNDEFINED).unwrap();
    assert_eq!(first_error_code(&report), "input.notSerializable");
    // A string longer than the engine reads is refused before it is copied into wasm memory.
    let long = js_value("return ' '.repeat(2 ** 28 + 1);");
    assert_thrown(siren_wasm::next_runs(long), "input.tooLarge", "");
    let ok = siren_wasm::validate_recipe(js(seed_recipe()), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&ok, "valid"), JsValue::TRUE);
}

#[wasm_bindgen_test]
fn the_binding_codes_are_in_the_table() {
    for code in ["input.detached", "resources.stackExhausted", "engine.busy", "engine.notStaged"] {
        assert!(siren_engine::Code::lookup(code).is_some(), "{code}");
    }
}
