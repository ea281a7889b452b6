//! Runs every case in `tests/data/preview_cases.json` (the same cases the wasm and JS suites
//! run): `expected` must be a fragment of the output, `error` the thrown code and path.

use crate::support::cases::{check_all_cases, run};
use serde_json::Value;

fn cases() -> Vec<Value> {
    crate::support::cases::cases(include_str!("../../../../tests/data/preview_cases.json"))
}

#[test]
fn every_preview_case_matches() {
    check_all_cases(&cases(), 60, run);
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
