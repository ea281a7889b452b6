//! Recipe validation (ENGINE.md §2): samples, located diagnostics, strict mode, robustness.

use super::support::validation::{lenient, load, located, pairs, sample, strict};
use proptest::prelude::*;
use serde_json::{json, Value};
use siren_engine::api;
use siren_engine::recipe;
use siren_engine::registry::ValidationOptions;
use std::path::Path;

fn validate(recipe: &Value) -> Vec<(String, String)> {
    located(&recipe::validate(recipe, &lenient()))
}

fn seed_distributor() -> Value {
    sample("recipes/milestone-rewards.json")["distributors"]["milestoneRewards"].clone()
}

fn recipe_with_distributor(distributor: Value) -> Value {
    json!({"version": 1, "name": "R", "description": "D", "distributors": {"milestoneRewards": distributor}})
}

#[test]
fn the_seed_recipe_validates_clean() {
    let seed = sample("recipes/milestone-rewards.json");
    assert_eq!(seed["distributors"]["milestoneRewards"]["distributionResolver"], "topScoreWins");
    let report = api::validate_recipe(&seed, None).expect("options are valid");
    assert!(report.valid);
    assert_eq!(report.errors, vec![]);
    assert_eq!(report.warnings, vec![]);
}

#[test]
fn every_sample_recipe_validates_clean_even_in_strict_mode() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/recipes");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("samples/recipes exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let recipe = load(&path);
        assert_eq!(recipe::validate(&recipe, &strict()), vec![], "{}", path.display());
        count += 1;
    }
    assert!(count >= 6, "expected at least six sample recipes, found {count}");
}

#[test]
fn invalid_samples_report_exactly_the_expected_problems() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "typo-resolver.json",
            &[("distributor.unknownResolver", "/distributors/monthlySalesBonus/distributionResolver")],
        ),
        ("lowercase-currency.json", &[("units.unknown", "/distributors/instructorRevenueShare/units")]),
        ("bad-schedule-type.json", &[("input.wrongType", "/distributors/milestoneRewards/schedule")]),
        ("group-missing-program.json", &[("programGroup.unknownProgram", "/programGroups/firstTouch/programs/1")]),
        (
            "many-mistakes.json",
            &[
                ("recipe.unsupportedVersion", "/version"),
                ("recipe.emptyText", "/name"),
                ("!recipe.keyNotCamelCase", "/distributors/monthly_bonus"),
                ("distributor.unknownStatus", "/distributors/monthly_bonus/status"),
                ("!input.unknownField", "/distributors/monthly_bonus/revenuePercentage"),
                ("schedule.empty", "/distributors/monthly_bonus/schedule"),
                ("input.required", "/distributors/weekly/distributionPoolResolver"),
            ],
        ),
    ];
    for (file, expected) in cases {
        let recipe = sample(&format!("invalid/{file}"));
        assert_eq!(validate(&recipe), pairs(expected), "{file}");
    }
}

#[test]
fn invalid_sample_messages_help_the_site_owner() {
    let messages = |file: &str| -> Vec<String> {
        recipe::validate(&sample(&format!("invalid/{file}")), &lenient()).into_iter().map(|d| d.message).collect()
    };
    assert_eq!(
        messages("typo-resolver.json"),
        vec!["Unknown distribution resolver `topScoreWin` (did you mean `topScoreWins`?); the known ones are `topScoreWins`, `performanceSharedPool` and `sharedEngagementPool`."]
    );
    assert_eq!(
        messages("lowercase-currency.json"),
        vec!["Unknown units `usd` (did you mean `USD`?); use an upper-case ISO-4217 currency code such as `USD` or `EUR`, or `points`."]
    );
    assert_eq!(
        messages("bad-schedule-type.json"),
        vec!["`schedule` has the wrong type: expected a list of strings such as [\"first day of next month\"], found a string."]
    );
    assert_eq!(
        messages("group-missing-program.json"),
        vec!["This group lists program `leadGeneration` (did you mean `leadGen`?), but the recipe's `programs` has no such key."]
    );
}

#[test]
fn schedule_problems_point_at_the_step() {
    let mut distributor = seed_distributor();
    distributor["schedule"] = json!([""]);
    assert_eq!(
        validate(&recipe_with_distributor(distributor.clone())),
        pairs(&[("schedule.empty", "/distributors/milestoneRewards/schedule/0")])
    );
    distributor["schedule"] = json!(["first day of next month", 14, null]);
    assert_eq!(
        validate(&recipe_with_distributor(distributor)),
        pairs(&[
            ("input.wrongType", "/distributors/milestoneRewards/schedule/1"),
            ("input.wrongType", "/distributors/milestoneRewards/schedule/2"),
        ])
    );
}

#[test]
fn schedules_must_move_time_forward() {
    let with_schedule = |schedule: Value| {
        let mut distributor = seed_distributor();
        distributor["schedule"] = schedule;
        validate(&recipe_with_distributor(distributor))
    };
    let at = "/distributors/milestoneRewards/schedule";
    // Never forward: an error (ENGINE.md §5), whatever the instant.
    for never in [
        json!(["yesterday"]),
        json!(["-1 month"]),
        json!(["+0 days"]),
        json!(["midnight"]),
        json!(["first day of next month", "-1 month", "-1 day"]),
    ] {
        assert_eq!(with_schedule(never.clone()), pairs(&[("schedule.notAdvancing", at)]), "{never}");
    }
    // Forward from most instants but not all: a bare weekday from that weekday's midnight stays put.
    assert_eq!(with_schedule(json!(["monday"])), pairs(&[("!schedule.notAlwaysAdvancing", at)]));
    // Always forward.
    for always in [
        json!(["first day of next month"]),
        json!(["first day of next month", "+14 days"]),
        json!(["next monday"]),
        json!(["tomorrow 09:00"]),
    ] {
        assert_eq!(with_schedule(always.clone()), pairs(&[]), "{always}");
    }
}

#[test]
fn schedule_is_optional() {
    let mut distributor = seed_distributor();
    distributor.as_object_mut().map(|d| d.remove("schedule"));
    assert_eq!(validate(&recipe_with_distributor(distributor)), pairs(&[]));
}

#[test]
fn unknown_ids_suggest_the_nearest_known_one() {
    let mut distributor = seed_distributor();
    distributor["distributionResolver"] = json!("topScoreWin");
    distributor["distributionPoolResolver"] = json!("revenueSinceLastDistributon");
    distributor["status"] = json!("Active");
    let diagnostics = recipe::validate(&recipe_with_distributor(distributor), &lenient());
    let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 3);
    assert!(messages[0].contains("did you mean `topScoreWins`?"), "{}", messages[0]);
    assert!(messages[1].contains("did you mean `revenueSinceLastDistribution`?"), "{}", messages[1]);
    assert!(messages[2].contains("did you mean `active`?"), "{}", messages[2]);

    let groups = json!({"version": 1, "name": "R", "description": "D",
        "programs": {"a": {"name": "A", "description": "A"}},
        "programGroups": {"g": {"name": "G", "sorter": "oldestBindingWin", "programs": ["a"]}}});
    let diagnostics = recipe::validate(&groups, &lenient());
    assert_eq!(located(&diagnostics), pairs(&[("programGroup.unknownSorter", "/programGroups/g/sorter")]));
    assert!(diagnostics[0].message.contains("did you mean `oldestBindingWins`?"));
}

#[test]
fn host_registered_resolvers_are_accepted_and_suggested() {
    let mut distributor = seed_distributor();
    distributor["distributionResolver"] = json!("tieredBonus");
    let recipe = recipe_with_distributor(distributor);
    assert_eq!(
        validate(&recipe),
        pairs(&[("distributor.unknownResolver", "/distributors/milestoneRewards/distributionResolver")])
    );
    let options =
        siren_engine::registry::parse_validation_options(Some(&json!({"distributionResolvers": ["tieredBonus"]})))
            .expect("valid options");
    assert_eq!(recipe::validate(&recipe, &options), vec![]);
}

#[test]
fn unknown_fields_warn_in_lenient_mode_and_fail_in_strict_mode() {
    let mut distributor = seed_distributor();
    distributor["shedule"] = json!(["first day of next month"]);
    let recipe = recipe_with_distributor(distributor);

    let report = api::validate_recipe(&recipe, None).expect("valid options");
    assert!(report.valid);
    assert_eq!(located(&report.warnings), pairs(&[("!input.unknownField", "/distributors/milestoneRewards/shedule")]));
    assert!(report.warnings[0].message.contains("did you mean `schedule`?"), "{}", report.warnings[0].message);

    let report = api::validate_recipe(&recipe, Some(&json!({"strict": true}))).expect("valid options");
    assert!(!report.valid);
    assert_eq!(located(&report.errors), pairs(&[("input.unknownField", "/distributors/milestoneRewards/shedule")]));
}

#[test]
fn program_fields_from_sirens_rest_are_known() {
    let recipe = json!({"version": 1, "name": "R", "description": "D", "programs": {"affiliate": {
        "name": "Affiliate", "description": "20%", "incentiveType": "commission",
        "incentiveResolverType": "newestBindingWins", "units": "USD", "status": "active",
        "engagementTypes": {"referredSiteVisit": {"value": "100"}},
        "incentiveCalculation": {"transactionPercent": "20"}, "transactionCompilers": ["lineItems"],
        "lineItemFilters": {"withTypes": ["products"], "inCategories": null}}}});
    assert_eq!(recipe::validate(&recipe, &strict()), vec![]);
}

#[test]
fn program_statuses_and_units_are_checked() {
    let recipe = json!({"version": 1, "name": "R", "description": "D", "programs": {
        "a": {"name": "A", "description": "A", "status": "draft", "units": "points"},
        "b": {"name": "B", "description": "B", "status": "deleted", "units": "EURO"}}});
    assert_eq!(
        validate(&recipe),
        pairs(&[
            ("!program.draftStatus", "/programs/a/status"),
            ("program.unknownStatus", "/programs/b/status"),
            ("units.unknown", "/programs/b/units"),
        ])
    );
}

#[test]
fn group_membership_rules() {
    let recipe = json!({"version": 1, "name": "R", "description": "D",
        "programGroups": {
            "first": {"name": "First", "sorter": "oldestBindingWins", "programs": ["a", "b", "a"]},
            "second": {"name": "Second", "sorter": "newestBindingWins", "programs": ["b", "c", "zzz"]},
            "empty": {"name": "Empty", "sorter": "newestBindingWins", "programs": []}
        },
        "programs": {"a": {"name": "A", "description": "A"}, "b": {"name": "B", "description": "B"},
                     "c": {"name": "C", "description": "C"}}});
    let diagnostics = recipe::validate(&recipe, &lenient());
    assert_eq!(
        located(&diagnostics),
        pairs(&[
            ("!programGroup.duplicateProgram", "/programGroups/first/programs/2"),
            ("programGroup.programInTwoGroups", "/programGroups/second/programs/0"),
            ("programGroup.unknownProgram", "/programGroups/second/programs/2"),
            ("!programGroup.empty", "/programGroups/empty/programs"),
        ])
    );
    assert_eq!(
        diagnostics[1].message,
        "Program `b` is already in group `first`; a program can belong to only one group."
    );
}

#[test]
fn keys_must_be_identifiers_and_should_be_camel_case() {
    let entry = json!({"name": "A", "description": "A"});
    let recipe = json!({"version": 1, "name": "R", "description": "D", "programs": {
        "good": entry, "Good": entry, "snake_case": entry, "9lives": entry, "with space": entry, "": entry, "a/b": entry}});
    assert_eq!(
        validate(&recipe),
        pairs(&[
            ("!recipe.keyNotCamelCase", "/programs/Good"),
            ("!recipe.keyNotCamelCase", "/programs/snake_case"),
            ("recipe.invalidKey", "/programs/9lives"),
            ("recipe.invalidKey", "/programs/with space"),
            ("recipe.invalidKey", "/programs/"),
            ("recipe.invalidKey", "/programs/a~1b"),
        ])
    );
}

#[test]
fn reports_every_problem_at_once_in_document_order() {
    let recipe = json!({
        "version": 1,
        "name": "Five problems",
        "description": 42,
        "distributors": {
            "bonus": {
                "name": "Bonus",
                "description": "Top scorer wins.",
                "distributionResolver": "topScoreWin",
                "distributionPoolResolver": "revenueSinceLastDistribution",
                "status": "paused",
                "units": "usd",
                "schedule": [""]
            }
        }
    });
    assert_eq!(
        validate(&recipe),
        pairs(&[
            ("input.wrongType", "/description"),
            ("distributor.unknownResolver", "/distributors/bonus/distributionResolver"),
            ("distributor.unknownStatus", "/distributors/bonus/status"),
            ("units.unknown", "/distributors/bonus/units"),
            ("schedule.empty", "/distributors/bonus/schedule/0"),
        ])
    );
}

#[test]
fn wrong_types_at_every_level() {
    for (root, code) in [
        (json!(null), "input.missing"),
        (json!(1), "input.wrongType"),
        (json!([]), "input.wrongType"),
        (json!("{}"), "input.wrongType"),
    ] {
        assert_eq!(validate(&root), pairs(&[(code, "")]), "{root}");
    }
    assert_eq!(
        validate(&json!({})),
        pairs(&[
            ("input.required", "/version"),
            ("input.required", "/name"),
            ("input.required", "/description"),
            ("!recipe.nothingToCreate", "")
        ])
    );
    assert_eq!(
        validate(
            &json!({"version": "1", "name": ["R"], "description": null, "programs": [], "programGroups": 3, "distributors": "x"})
        ),
        pairs(&[
            ("input.wrongType", "/version"),
            ("input.wrongType", "/name"),
            ("input.wrongType", "/programs"),
            ("input.wrongType", "/programGroups"),
            ("input.wrongType", "/distributors"),
            ("input.required", "/description"),
        ])
    );
    assert_eq!(
        validate(&json!({"version": 1, "name": "R", "description": "D",
            "programs": {"p": null, "q": []}, "programGroups": {"g": 1},
            "distributors": {"d": "topScoreWins"}})),
        pairs(&[
            ("input.wrongType", "/programs/p"),
            ("input.wrongType", "/programs/q"),
            ("input.wrongType", "/programGroups/g"),
            ("input.wrongType", "/distributors/d"),
        ])
    );
    let distributor = json!({"name": 1, "description": true, "distributionResolver": [], "distributionPoolResolver": {},
        "status": 0, "units": 840, "schedule": {"0": "first day of next month"}});
    assert_eq!(
        validate(&recipe_with_distributor(distributor)),
        ["name", "description", "distributionResolver", "distributionPoolResolver", "status", "units", "schedule"]
            .iter()
            .map(|field| ("input.wrongType".to_string(), format!("/distributors/milestoneRewards/{field}")))
            .collect::<Vec<_>>()
    );
    let group = json!({"version": 1, "name": "R", "description": "D", "programs": {},
        "programGroups": {"g": {"name": "G", "sorter": "oldestBindingWins", "programs": "a"}}});
    assert_eq!(validate(&group), pairs(&[("input.wrongType", "/programGroups/g/programs")]));
}

#[test]
fn version_must_be_one() {
    for (version, expected) in [
        (json!(1), vec![]),
        (json!(1.0), vec![]),
        (json!(2), vec![("recipe.unsupportedVersion", "/version")]),
        (json!(0), vec![("recipe.unsupportedVersion", "/version")]),
    ] {
        let recipe =
            json!({"version": version, "name": "R", "description": "D", "distributors": {"d": seed_distributor()}});
        assert_eq!(validate(&recipe), pairs(&expected), "{version}");
    }
}

#[test]
fn messages_never_echo_huge_strings() {
    let huge = "x".repeat(1_000_000);
    let mut distributor = seed_distributor();
    distributor["distributionResolver"] = json!(huge);
    distributor["units"] = json!(huge);
    let diagnostics = recipe::validate(&recipe_with_distributor(distributor), &lenient());
    assert_eq!(diagnostics.len(), 2);
    for diagnostic in diagnostics {
        assert!(diagnostic.message.chars().count() < 300, "{}", diagnostic.message.len());
        assert!(diagnostic.message.contains("…"));
    }
}

#[test]
fn one_hundred_thousand_distributors_validate_in_one_pass() {
    let mut distributors = serde_json::Map::new();
    for i in 0..100_000 {
        let mut distributor = seed_distributor();
        if i % 10 == 0 {
            distributor["units"] = json!("usd");
        }
        distributors.insert(format!("distributor{i}"), distributor);
    }
    let recipe = json!({"version": 1, "name": "Big", "description": "Many distributors", "distributors": distributors});
    let report = api::validate_recipe(&recipe, None).expect("valid options");
    assert_eq!(report.errors.len(), 10_000);
    assert!(report.errors.iter().all(|d| d.code.as_str() == "units.unknown"));
    assert_eq!(report.errors[1].path, "/distributors/distributor10/units");
    assert_eq!(report.warnings.len(), 0);
}

/// Strings and keys the recipe validator knows, so arbitrary documents hit its fields.
const RECIPE_STRINGS: &[&str] = &[
    "topScoreWins",
    "USD",
    "usd",
    "points",
    "active",
    "draft",
    "oldestBindingWins",
    "first day of next month",
    "",
    "a",
    "version",
    "programs",
    "lineItems",
    "manual",
];
const RECIPE_KEYS: &[&str] = &[
    "version",
    "name",
    "description",
    "programs",
    "programGroups",
    "distributors",
    "sorter",
    "status",
    "units",
    "schedule",
    "distributionResolver",
    "distributionPoolResolver",
    "engagementTypes",
    "lineItemFilters",
    "transactionCompilers",
    "a",
    "b",
    "9x",
];

fn arbitrary_json() -> impl Strategy<Value = Value> {
    super::support::validation::arbitrary_json(RECIPE_STRINGS, RECIPE_KEYS)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics(value in arbitrary_json(), strict_mode in any::<bool>()) {
        let options = ValidationOptions { strict: strict_mode, ..Default::default() };
        let diagnostics = recipe::validate(&value, &options);
        for diagnostic in &diagnostics {
            prop_assert!(diagnostic.path.is_empty() || diagnostic.path.starts_with('/'));
            prop_assert!(!diagnostic.message.is_empty());
        }
    }

    #[test]
    fn arbitrary_distributor_fields_never_panic(value in arbitrary_json(), field in prop::sample::select(vec![
        "name", "description", "distributionResolver", "distributionPoolResolver", "status", "units", "schedule",
    ])) {
        let mut distributor = seed_distributor();
        distributor[field] = value;
        let recipe = recipe_with_distributor(distributor);
        let _ = recipe::validate(&recipe, &lenient());
    }
}
