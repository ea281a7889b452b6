//! `top`: a preview or simulation that lists only the top of the leaderboard is the full
//! output cut by hand (here, independently of the engine's code): the first `top` leaderboard
//! entries, their explanations and shares, and `explanation.scoring.listed`; everything else,
//! allocations included, unchanged. Checked on every preview, simulate and compare case.

use serde_json::{json, Value};
use siren_engine::EngineError;

fn with_top(input: &Value, top: Value) -> Value {
    let mut input = input.clone();
    input["top"] = top;
    input
}

/// One cycle (a preview, or a cycle of a simulation) cut to its first `top` collaborators.
fn cut(cycle: &Value, top: usize) -> Value {
    let mut cycle = cycle.clone();
    let leaderboard = cycle["leaderboard"].as_array().unwrap().clone();
    let listed: Vec<Value> = leaderboard.iter().take(top).map(|e| e["collaboratorId"].clone()).collect();
    let keep = |list: &Value| -> Value {
        list.as_array().unwrap().iter().filter(|x| listed.contains(&x["collaboratorId"])).cloned().collect()
    };
    let scoring = &mut cycle["explanation"]["scoring"];
    scoring["collaborators"] = keep(&scoring["collaborators"]);
    scoring["listed"] = json!({"top": top, "of": leaderboard.len()});
    let shares = &mut cycle["explanation"]["allocation"]["shares"];
    *shares = keep(shares);
    cycle["leaderboard"] = leaderboard.into_iter().take(top).collect();
    cycle
}

fn json_of<T: serde::Serialize>(result: Result<T, EngineError>) -> Result<Value, (String, String)> {
    result.map(|x| serde_json::to_value(x).unwrap()).map_err(|e| (e.code.as_str().to_string(), e.path))
}

#[test]
fn a_listed_preview_is_the_full_preview_cut_to_the_top() {
    let mut compared = 0;
    for case in crate::support::cases::cases(include_str!("../../../../tests/data/preview_cases.json")) {
        if case["input"].get("top").is_some() {
            continue; // already listed
        }
        let Ok(full) = json_of(siren_engine::preview_scores(&case["input"])) else { continue };
        for top in [1, 2, 3, 1000] {
            let listed = json_of(siren_engine::preview_scores(&with_top(&case["input"], json!(top))));
            assert_eq!(listed, Ok(cut(&full, top)), "{} with top {top}", case["name"]);
            compared += 1;
        }
    }
    assert!(compared >= 120, "{compared}");
}

#[test]
fn a_listed_simulation_cuts_every_cycle_and_keeps_the_totals() {
    let mut compared = 0;
    for case in crate::support::cases::cases(include_str!("../../../../tests/data/simulate_cases.json")) {
        let Ok(full) = json_of(siren_engine::simulate(&case["input"])) else { continue };
        for top in [1, 2] {
            let mut expected = full.clone();
            for cycle in expected["cycles"].as_array_mut().unwrap() {
                *cycle = cut(cycle, top);
            }
            let listed = json_of(siren_engine::simulate(&with_top(&case["input"], json!(top))));
            assert_eq!(listed, Ok(expected), "{} with top {top}", case["name"]);
            compared += 1;
        }
    }
    assert!(compared >= 20, "{compared}");
}

#[test]
fn top_must_be_a_whole_number_of_at_least_one() {
    let case = crate::support::cases::cases(include_str!("../../../../tests/data/preview_cases.json"))
        .into_iter()
        .find(|c| c.get("expected").is_some())
        .unwrap();
    for bad in [json!(0), json!(-1), json!(1.5), json!("5"), json!(true), json!([1]), json!(1e300)] {
        let error = siren_engine::preview_scores(&with_top(&case["input"], bad.clone())).unwrap_err();
        assert_eq!((error.code.as_str(), error.path.as_str()), ("input.wrongType", "/top"), "{bad}");
    }
    // `null` is no `top`; more than anyone could list lists everyone.
    let full = json_of(siren_engine::preview_scores(&case["input"])).unwrap();
    assert_eq!(json_of(siren_engine::preview_scores(&with_top(&case["input"], Value::Null))), Ok(full.clone()));
    let huge = json_of(siren_engine::preview_scores(&with_top(&case["input"], json!(u64::MAX)))).unwrap();
    assert_eq!(huge["leaderboard"], full["leaderboard"]);
    assert_eq!(huge["explanation"]["scoring"]["listed"], json!({"top": u64::MAX, "of": 3}));
}

#[test]
fn a_compare_with_top_in_its_base_lists_both_simulations_and_compares_the_same() {
    let mut compared = 0;
    for case in crate::support::cases::cases(include_str!("../../../../tests/data/compare_cases.json")) {
        let Ok(full) = json_of(siren_engine::compare(&case["input"])) else { continue };
        let mut input = case["input"].clone();
        input["base"] = with_top(&input["base"], json!(1));
        let mut expected = full.clone();
        for side in ["base", "variant"] {
            for cycle in expected[side]["cycles"].as_array_mut().unwrap() {
                *cycle = cut(cycle, 1);
            }
        }
        assert_eq!(json_of(siren_engine::compare(&input)), Ok(expected), "{}", case["name"]);
        compared += 1;
    }
    assert!(compared >= 3, "{compared}");
}
