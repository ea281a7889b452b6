//! Runs every case in `tests/data/preview_cases.json` (the same cases the wasm and JS suites
//! run): `expected` must be a fragment of the output, `error` the thrown code and path.

mod preview_support;

use preview_support::{assert_fragment, run};
use serde_json::Value;

fn cases() -> Vec<Value> {
    let text = include_str!("data/preview_cases.json");
    let document: Value = serde_json::from_str(text).expect("preview_cases.json is valid JSON");
    document["cases"].as_array().expect("cases is an array").clone()
}

#[test]
fn every_preview_case_matches() {
    let cases = cases();
    assert!(cases.len() >= 60, "the case file lost cases: {}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let outcome = std::panic::catch_unwind(|| check(case));
        if let Err(panic) = outcome {
            let message =
                panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
            failures.push(format!("{name}: {}", message.unwrap_or_default()));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

fn check(case: &Value) {
    let result = run(&case["input"]);
    match (result, case.get("error"), case.get("expected")) {
        (Ok(preview), None, Some(expected)) => {
            let actual = serde_json::to_value(&preview).expect("a preview serializes");
            assert_fragment(&actual, expected, "");
        }
        (Err(error), Some(expected), None) => {
            assert_eq!(error.code.as_str(), expected["code"].as_str().unwrap_or("?"), "code ({})", error.message);
            assert_eq!(error.path, expected["path"].as_str().unwrap_or("?"), "path ({})", error.message);
            assert!(!error.message.is_empty());
        }
        (Ok(preview), Some(expected), _) => {
            panic!("expected error {expected}, got a preview with status {}", preview.status)
        }
        (Err(error), None, _) => panic!("unexpected error: {error}"),
        (_, Some(_), Some(_)) | (Ok(_), None, None) => panic!("a case has exactly one of `expected` or `error`"),
    }
}

/// The output is the same bytes however often it is computed (no hash-order leaks).
#[test]
fn output_is_deterministic() {
    for case in cases().iter().filter(|c| c.get("expected").is_some()) {
        let first = run(&case["input"]).map(|p| serde_json::to_string(&p).unwrap_or_default());
        let second = run(&case["input"]).map(|p| serde_json::to_string(&p).unwrap_or_default());
        assert_eq!(first, second, "{}", case["name"]);
    }
}
