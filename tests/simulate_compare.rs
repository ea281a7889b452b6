//! Runs every case in `tests/data/compare_cases.json` through `api::compare`.

mod preview_support;

use preview_support::assert_fragment;
use serde_json::Value;

fn cases() -> Vec<Value> {
    let text = include_str!("data/compare_cases.json");
    let document: Value = serde_json::from_str(text).expect("compare_cases.json is valid JSON");
    document["cases"].as_array().expect("cases is an array").clone()
}

fn check(case: &Value) {
    let result = siren_engine::api::compare(&case["input"]);
    match (result, case.get("error"), case.get("expected")) {
        (Ok(comparison), None, Some(expected)) => {
            let actual = serde_json::to_value(&comparison).expect("a comparison serializes");
            assert_fragment(&actual, expected, "");
        }
        (Err(error), Some(expected), None) => {
            assert_eq!(error.code.as_str(), expected["code"].as_str().unwrap_or("?"), "code ({})", error.message);
            assert_eq!(error.path, expected["path"].as_str().unwrap_or("?"), "path ({})", error.message);
            assert!(!error.message.is_empty());
        }
        (Ok(_), Some(expected), _) => panic!("expected error {expected}, got a comparison"),
        (Err(error), None, _) => panic!("unexpected error: {error}"),
        (_, Some(_), Some(_)) | (Ok(_), None, None) => panic!("a case has exactly one of `expected` or `error`"),
    }
}

#[test]
fn every_compare_case_matches() {
    let cases = cases();
    assert!(cases.len() >= 10, "the case file lost cases: {}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        if let Err(panic) = std::panic::catch_unwind(|| check(case)) {
            let message =
                panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
            failures.push(format!("{name}: {}", message.unwrap_or_default()));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// An empty variant compares a simulation with itself: nothing changes.
#[test]
fn empty_variant_changes_nothing() {
    let case = &cases()[0];
    let input = serde_json::json!({"base": case["input"]["base"], "variant": {}});
    let comparison = siren_engine::api::compare(&input).expect("compare runs");
    assert_eq!(comparison.base, comparison.variant);
    assert!(comparison.cycles.iter().all(|c| !c.changed && !c.allocations_changed));
    assert!(comparison.collaborators.iter().all(|c| c.delta == "0.00"));
}
