//! Runs every case in `tests/data/simulate_cases.json` through `api::simulate` (the same cases
//! the wasm and JS suites can run): `expected` must be a fragment of the output, `error` the
//! thrown code and path.

mod preview_support;

use preview_support::assert_fragment;
use serde_json::Value;

fn cases() -> Vec<Value> {
    let text = include_str!("data/simulate_cases.json");
    let document: Value = serde_json::from_str(text).expect("simulate_cases.json is valid JSON");
    document["cases"].as_array().expect("cases is an array").clone()
}

fn check(case: &Value) {
    let result = siren_engine::api::simulate(&case["input"]);
    match (result, case.get("error"), case.get("expected")) {
        (Ok(simulation), None, Some(expected)) => {
            let actual = serde_json::to_value(&simulation).expect("a simulation serializes");
            assert_fragment(&actual, expected, "");
        }
        (Err(error), Some(expected), None) => {
            assert_eq!(error.code.as_str(), expected["code"].as_str().unwrap_or("?"), "code ({})", error.message);
            assert_eq!(error.path, expected["path"].as_str().unwrap_or("?"), "path ({})", error.message);
            assert!(!error.message.is_empty());
        }
        (Ok(simulation), Some(expected), _) => {
            panic!("expected error {expected}, got {} cycles", simulation.cycles.len())
        }
        (Err(error), None, _) => panic!("unexpected error: {error}"),
        (_, Some(_), Some(_)) | (Ok(_), None, None) => panic!("a case has exactly one of `expected` or `error`"),
    }
}

#[test]
fn every_simulate_case_matches() {
    let cases = cases();
    assert!(cases.len() >= 20, "the case file lost cases: {}", cases.len());
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

/// Same input, same bytes.
#[test]
fn output_is_deterministic() {
    for case in cases().iter().filter(|c| c.get("expected").is_some()) {
        let first = siren_engine::api::simulate(&case["input"]).map(|s| serde_json::to_string(&s).unwrap_or_default());
        let second = siren_engine::api::simulate(&case["input"]).map(|s| serde_json::to_string(&s).unwrap_or_default());
        assert_eq!(first, second, "{}", case["name"]);
    }
}

/// Every distributed cycle allocates exactly what it has available, and the totals balance:
/// pool = allocated + unawarded + carriedOver.
#[test]
fn money_balances_in_every_case() {
    for case in cases().iter().filter(|c| c.get("expected").is_some()) {
        let simulation = siren_engine::api::simulate(&case["input"]).expect("case runs");
        let cents = |s: &str| -> i128 { s.replace('.', "").parse().expect("amount") };
        for cycle in &simulation.cycles {
            let sum: i128 = cycle.allocations.iter().map(|a| cents(&a.amount)).sum();
            assert_eq!(sum, cents(&cycle.allocated), "{} cycle {}", case["name"], cycle.index);
            if cycle.status == "distributed" {
                assert_eq!(sum, cents(&cycle.available), "{} cycle {}", case["name"], cycle.index);
            }
            assert_eq!(cycle.obligations.len(), cycle.allocations.len());
        }
        let t = &simulation.totals;
        assert_eq!(
            cents(&t.pool),
            cents(&t.allocated) + cents(&t.unawarded) + cents(&t.carried_over),
            "{}",
            case["name"]
        );
        let by_collaborator: i128 = t.collaborators.iter().map(|c| cents(&c.amount)).sum();
        assert_eq!(by_collaborator, cents(&t.allocated), "{}", case["name"]);
    }
}
