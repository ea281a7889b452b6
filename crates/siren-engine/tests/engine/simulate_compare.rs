//! Runs every case in `tests/data/compare_cases.json` through `siren_engine::compare`.

use crate::support::cases::check_all_cases;
use serde_json::Value;

fn cases() -> Vec<Value> {
    crate::support::cases::cases(include_str!("../../../../tests/data/compare_cases.json"))
}

#[test]
fn every_compare_case_matches() {
    check_all_cases(&cases(), 10, siren_engine::compare);
}

/// An empty variant compares a simulation with itself: nothing changes.
#[test]
fn empty_variant_changes_nothing() {
    let case = &cases()[0];
    let input = serde_json::json!({"base": case["input"]["base"], "variant": {}});
    let comparison = siren_engine::compare(&input).expect("compare runs");
    assert_eq!(comparison.base, comparison.variant);
    assert!(comparison.cycles.iter().all(|c| !c.changed && !c.allocations_changed));
    assert!(comparison.collaborators.iter().all(|c| c.delta == "0.00"));
}
