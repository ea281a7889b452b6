//! Runs every case in `tests/data/simulate_cases.json` through `siren_engine::simulate` (the same cases
//! the wasm and JS suites can run): `expected` must be a fragment of the output, `error` the
//! thrown code and path.

use crate::support::cases::check_all_cases;
use serde_json::Value;

fn cases() -> Vec<Value> {
    crate::support::cases::cases(include_str!("../../../../tests/data/simulate_cases.json"))
}

#[test]
fn every_simulate_case_matches() {
    check_all_cases(&cases(), 20, siren_engine::simulate);
}

/// Same input, same bytes.
#[test]
fn output_is_deterministic() {
    for case in cases().iter().filter(|c| c.get("expected").is_some()) {
        let first = siren_engine::simulate(&case["input"]).map(|s| serde_json::to_string(&s).unwrap_or_default());
        let second = siren_engine::simulate(&case["input"]).map(|s| serde_json::to_string(&s).unwrap_or_default());
        assert_eq!(first, second, "{}", case["name"]);
    }
}

/// Every distributed cycle allocates exactly what it has available, and the totals balance:
/// pool = allocated + unawarded + carriedOver.
#[test]
fn money_balances_in_every_case() {
    for case in cases().iter().filter(|c| c.get("expected").is_some()) {
        let simulation = siren_engine::simulate(&case["input"]).expect("case runs");
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
