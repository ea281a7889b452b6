//! Shared by the case-file tests (preview, simulate, compare): runs a JSON case through the
//! `api` function the wasm and JS suites also call, and compares the output with expected
//! fragments, or the thrown error with the expected code and path.
#![allow(dead_code)]

use serde::Serialize;
use serde_json::Value;
use siren_engine::{EngineError, Preview};

/// A recipe with one monthly-or-other distributor `d`, for inputs built in tests.
pub fn recipe(resolver: &str, units: &str, schedule: &str) -> Value {
    serde_json::json!({"version": 1, "name": "R", "description": "D", "distributors": {"d": {
        "name": "D", "description": "D", "distributionResolver": resolver,
        "distributionPoolResolver": "revenueSinceLastDistribution", "status": "active",
        "units": units, "schedule": [schedule]}}})
}

/// The `cases` of a case file (`tests/data/*_cases.json`).
pub fn cases(text: &str) -> Vec<Value> {
    let document: Value = serde_json::from_str(text).expect("a case file is valid JSON");
    document["cases"].as_array().expect("cases is an array").clone()
}

/// Checks one case: with `expected`, the output must hold that fragment; with `error`, the call
/// must fail with that code and path.
pub fn check_case<T: Serialize>(case: &Value, run: impl Fn(&Value) -> Result<T, EngineError>) {
    match (run(&case["input"]), case.get("error"), case.get("expected")) {
        (Ok(output), None, Some(expected)) => {
            let actual = serde_json::to_value(&output).expect("the output serializes");
            assert_fragment(&actual, expected, "");
        }
        (Err(error), Some(expected), None) => {
            assert_eq!(error.code.as_str(), expected["code"].as_str().unwrap_or("?"), "code ({})", error.message);
            assert_eq!(error.path, expected["path"].as_str().unwrap_or("?"), "path ({})", error.message);
            assert!(!error.message.is_empty());
        }
        (Ok(_), Some(expected), _) => panic!("expected error {expected}, got a result"),
        (Err(error), None, _) => panic!("unexpected error: {error}"),
        (_, Some(_), Some(_)) | (Ok(_), None, None) => panic!("a case has exactly one of `expected` or `error`"),
    }
}

/// Runs every case (at least `min`), collecting every failure before failing, so one run shows
/// all the cases a change broke.
pub fn check_all_cases<T: Serialize>(cases: &[Value], min: usize, run: impl Fn(&Value) -> Result<T, EngineError>) {
    assert!(cases.len() >= min, "the case file lost cases: {}", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        if let Err(panic) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_case(case, &run))) {
            let message =
                panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
            failures.push(format!("{name}: {}", message.unwrap_or_default()));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// Runs one preview input through the engine.
pub fn run(input: &Value) -> Result<Preview, EngineError> {
    siren_engine::preview_scores(input)
}

/// `expected` is a fragment of `actual`: every key of an expected object is present and
/// matches; arrays match element by element and have the same length; scalars are equal.
pub fn assert_fragment(actual: &Value, expected: &Value, path: &str) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (key, value) in e {
                let child = format!("{path}/{key}");
                match a.get(key) {
                    Some(actual) => assert_fragment(actual, value, &child),
                    None if value.is_null() => {}
                    None => panic!("missing {child}; actual object: {}", Value::Object(a.clone())),
                }
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            assert_eq!(a.len(), e.len(), "length of {path}: actual {}", Value::Array(a.clone()));
            for (i, (actual, expected)) in a.iter().zip(e).enumerate() {
                assert_fragment(actual, expected, &format!("{path}/{i}"));
            }
        }
        _ => assert_eq!(actual, expected, "at {path}"),
    }
}
