//! Shared by the preview tests: runs a JSON case through `api::preview_scores` (exactly what the
//! wasm and JS suites call) and compares the output with expected fragments.
#![allow(dead_code)]

use serde_json::Value;
use siren_engine::diagnostics::EngineError;
use siren_engine::preview::Preview;

/// Runs one preview input through the engine.
pub fn run(input: &Value) -> Result<Preview, EngineError> {
    siren_engine::api::preview_scores(input)
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
