//! The three validation inputs of issue 19 that took from seconds to minutes, at full size, with
//! their exact reports. Timings are not asserted (in release each runs in well under a second);
//! the work bounds themselves are unit tests that count comparisons
//! (`src/tests/validate_scaling.rs`).

use serde_json::{json, Map, Value};
use siren_engine::validate_recipe;

fn distributor(resolver: &str) -> Value {
    json!({"name": "D", "description": "D", "distributionResolver": resolver,
        "distributionPoolResolver": "revenueSinceLastDistribution", "status": "active", "units": "USD"})
}

fn registered(count: usize) -> Value {
    json!({"distributionResolvers": (0..count).map(|i| format!("customResolver{i}")).collect::<Vec<_>>()})
}

#[test]
fn a_thousand_unknown_members_among_a_hundred_thousand_programs() {
    let programs: Map<String, Value> =
        (0..100_000).map(|i| (format!("program{i}"), json!({"name": "P", "description": "D"}))).collect();
    let groups: Map<String, Value> = (0..1_000)
        .map(|j| {
            let members = json!([format!("missingProgram{j}"), format!("program{j}")]);
            (format!("group{j}"), json!({"name": "G", "sorter": "oldestBindingWins", "programs": members}))
        })
        .collect();
    let recipe = json!({"version": 1, "name": "R", "description": "D", "programs": programs, "programGroups": groups});
    let report = validate_recipe(&recipe, None).expect("no options");
    assert_eq!(report.errors.len(), 1_000);
    assert_eq!(report.warnings.len(), 0);
    assert_eq!(report.errors[999].path, "/programGroups/group999/programs/0");
    assert_eq!(
        report.errors[999].message,
        "This group lists program `missingProgram999`, but the recipe's `programs` has no such key."
    );
}

#[test]
fn two_hundred_thousand_registered_resolvers() {
    let recipe = json!({"version": 1, "name": "R", "description": "D",
        "distributors": {"d": distributor("customResolver199999")}});
    let report = validate_recipe(&recipe, Some(&registered(200_000))).expect("valid options");
    assert!(report.valid);
    assert_eq!((report.errors.len(), report.warnings.len()), (0, 0));
}

#[test]
fn two_thousand_unknown_resolvers_among_twenty_thousand_registered() {
    let distributors: Map<String, Value> =
        (0..2_000).map(|k| (format!("d{k}"), distributor(&format!("unknownResolver{k}")))).collect();
    let recipe = json!({"version": 1, "name": "R", "description": "D", "distributors": distributors});
    let report = validate_recipe(&recipe, Some(&registered(20_000))).expect("valid options");
    assert_eq!(report.errors.len(), 2_000);
    assert_eq!(report.errors[1_999].path, "/distributors/d1999/distributionResolver");
    assert_eq!(
        report.errors[1_999].message,
        "Unknown distribution resolver `unknownResolver1999`; the known ones are `topScoreWins`, \
         `performanceSharedPool`, `sharedEngagementPool`, `customResolver0`, `customResolver1`, `customResolver2`, \
         `customResolver3`, `customResolver4`, `customResolver5`, `customResolver6` and 19993 more."
    );
    // 898 MB before (every message listed all 20,003 ids); now about 400 bytes a problem.
    let bytes = serde_json::to_string(&report).expect("serializes").len();
    assert!(bytes < 2_000 * 500, "{bytes}");
}
