//! Validation work and report size grow linearly with the document (issue 19): the "did you
//! mean" search compares a bounded number of ids (counted through `registry::comparisons`, not
//! timed), unknown-id messages list a bounded number of ids, and a report lists a bounded number
//! of problems.

use super::support::validation::{lenient, located, pairs};
use serde_json::{json, Map, Value};
use siren_engine::diagnostics::Severity;
use siren_engine::json_read::{MAX_LISTED_BYTES, MAX_LISTED_PROBLEMS};
use siren_engine::registry::{comparisons, MAX_COMPARED_IDS};
use siren_engine::{api, recipe};

/// `count` programs keyed `program0`, `program1`, … and one group per unknown member.
fn recipe_with_groups(count: usize, unknown_members: &[String]) -> Value {
    let programs: Map<String, Value> =
        (0..count).map(|i| (format!("program{i}"), json!({"name": "P", "description": "D"}))).collect();
    let groups: Map<String, Value> = unknown_members
        .iter()
        .enumerate()
        .map(|(j, member)| {
            (format!("group{j}"), json!({"name": "G", "sorter": "oldestBindingWins", "programs": [member]}))
        })
        .collect();
    json!({"version": 1, "name": "R", "description": "D", "programs": programs, "programGroups": groups})
}

/// Edit-distance comparisons (on this thread) and the diagnostics of validating `recipe`.
fn compared(recipe: &Value, options: &siren_engine::registry::ValidationOptions) -> (usize, usize) {
    let before = comparisons();
    let diagnostics = recipe::validate(recipe, options);
    (comparisons() - before, diagnostics.len())
}

#[test]
fn unknown_group_members_cost_a_bounded_search_each() {
    // Unknown names of the keys' length, so every key is a candidate for the edit distance.
    let unknown = |count: usize| -> Vec<String> { (0..count).map(|j| format!("xrogram{}", 90_000 + j)).collect() };
    let (small, problems) = compared(&recipe_with_groups(1_000, &unknown(50)), &lenient());
    assert_eq!(problems, 50);
    assert_eq!(small, 50 * MAX_COMPARED_IDS);
    // Ten and a hundred times the programs: the same work, since each search stops at the budget.
    assert_eq!(compared(&recipe_with_groups(10_000, &unknown(50)), &lenient()).0, small);
    assert_eq!(compared(&recipe_with_groups(100_000, &unknown(50)), &lenient()).0, small);
    // Twice the unknown names: twice the work.
    assert_eq!(compared(&recipe_with_groups(10_000, &unknown(100)), &lenient()).0, 2 * small);
    // A recipe with fewer keys than the budget compares each once per unknown name.
    let (few, _) = compared(&recipe_with_groups(100, &unknown(50)), &lenient());
    assert!(few <= 50 * 100, "{few}");
}

#[test]
fn group_member_suggestions_take_the_first_key_in_document_order() {
    // `milestone28` and `milestone26` are both two edits from `milestoneZq`: the first key
    // written wins (the keys were once searched in hash order, so the answer could change from
    // one run to the next).
    for keys in [["milestone28", "milestone26"], ["milestone26", "milestone28"]] {
        let programs: Map<String, Value> =
            keys.iter().map(|key| (key.to_string(), json!({"name": "P", "description": "D"}))).collect();
        let recipe = json!({"version": 1, "name": "R", "description": "D", "programs": programs,
            "programGroups": {"g": {"name": "G", "sorter": "oldestBindingWins", "programs": ["milestoneZq"]}}});
        let diagnostics = recipe::validate(&recipe, &lenient());
        assert_eq!(
            diagnostics.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(),
            vec![format!(
                "This group lists program `milestoneZq` (did you mean `{}`?), but the recipe's `programs` has no such key.",
                keys[0]
            )]
        );
    }
}

fn recipe_with_resolver(resolver: &str) -> Value {
    json!({"version": 1, "name": "R", "description": "D", "distributors": {"d": {
        "name": "D", "description": "D", "distributionResolver": resolver,
        "distributionPoolResolver": "revenueSinceLastDistribution", "status": "active", "units": "USD"}}})
}

fn resolver_message(resolver: &str, registered: &[String]) -> String {
    let report =
        api::validate_recipe(&recipe_with_resolver(resolver), Some(&json!({"distributionResolvers": registered})))
            .expect("valid options");
    assert_eq!(
        located(&report.errors),
        pairs(&[("distributor.unknownResolver", "/distributors/d/distributionResolver")])
    );
    report.errors[0].message.clone()
}

#[test]
fn unknown_resolver_messages_list_ten_ids_and_count_the_rest() {
    let registered: Vec<String> = (0..20_000).map(|i| format!("customResolver{i}")).collect();
    assert_eq!(
        resolver_message("unknownResolver", &registered),
        "Unknown distribution resolver `unknownResolver`; the known ones are `topScoreWins`, `performanceSharedPool`, \
         `sharedEngagementPool`, `customResolver0`, `customResolver1`, `customResolver2`, `customResolver3`, \
         `customResolver4`, `customResolver5`, `customResolver6` and 19993 more."
    );
    // A typo of a registered id is still found among the first ids of its length.
    assert_eq!(
        resolver_message("customResolvr5", &registered),
        "Unknown distribution resolver `customResolvr5` (did you mean `customResolver5`?); the known ones are \
         `topScoreWins`, `performanceSharedPool`, `sharedEngagementPool`, `customResolver0`, `customResolver1`, \
         `customResolver2`, `customResolver3`, `customResolver4`, `customResolver5`, `customResolver6` and 19993 more."
    );
    // Up to ten ids, all are listed as before.
    let seven: Vec<String> = registered[..7].to_vec();
    assert_eq!(
        resolver_message("unknownResolver", &seven),
        "Unknown distribution resolver `unknownResolver`; the known ones are `topScoreWins`, `performanceSharedPool`, \
         `sharedEngagementPool`, `customResolver0`, `customResolver1`, `customResolver2`, `customResolver3`, \
         `customResolver4`, `customResolver5` and `customResolver6`."
    );
}

#[test]
fn registered_ids_are_listed_once_in_the_order_first_given() {
    let registered: Vec<String> = ["b", "topScoreWins", "a", "b", "c", "a"].map(String::from).to_vec();
    assert_eq!(
        resolver_message("zzzz", &registered),
        "Unknown distribution resolver `zzzz`; the known ones are `topScoreWins`, `performanceSharedPool`, \
         `sharedEngagementPool`, `b`, `a` and `c`."
    );
}

#[test]
fn listed_and_suggested_ids_are_cut_to_sixty_characters() {
    let long = format!("tieredBonus{}", "X".repeat(100));
    let cut = format!("`tieredBonus{}…`", "X".repeat(49));
    assert_eq!(
        resolver_message("tieredBonus", std::slice::from_ref(&long)),
        format!(
            "Unknown distribution resolver `tieredBonus` (did you mean {cut}?); the known ones are `topScoreWins`, \
             `performanceSharedPool`, `sharedEngagementPool` and {cut}."
        )
    );
}

#[test]
fn the_report_grows_with_the_problems_not_with_the_registered_ids() {
    let recipe = {
        let distributors: Map<String, Value> = (0..200)
            .map(|k| {
                let mut distributor = recipe_with_resolver(&format!("unknownResolver{k}"))["distributors"]["d"].clone();
                distributor["status"] = json!("actve");
                (format!("d{k}"), distributor)
            })
            .collect();
        json!({"version": 1, "name": "R", "description": "D", "distributors": distributors})
    };
    let report_bytes = |registered: usize| {
        let ids: Vec<String> = (0..registered).map(|i| format!("customResolver{i:06}")).collect();
        let report =
            api::validate_recipe(&recipe, Some(&json!({"distributionResolvers": ids}))).expect("valid options");
        assert_eq!(report.errors.len(), 400);
        serde_json::to_string(&report).expect("serializes").len()
    };
    let (few, many) = (report_bytes(20), report_bytes(200_000));
    // 200 messages whose count grows from "and 13 more" to "and 199993 more": 4 bytes each.
    assert_eq!(many, few + 200 * 4);
    assert!(many < 400 * 1_000, "{many}");
}

/// A group listing `count` copies of `member`.
fn recipe_with_long_group(group_key: &str, member: &str, count: usize) -> Value {
    json!({"version": 1, "name": "R", "description": "D", "programs": {"a": {"name": "A", "description": "A"}},
        "programGroups": {group_key: {"name": "G", "sorter": "oldestBindingWins", "programs": vec![member; count]}}})
}

#[test]
fn a_report_lists_at_most_one_hundred_thousand_problems() {
    let report =
        api::validate_recipe(&recipe_with_long_group("g", "zz", MAX_LISTED_PROBLEMS + 5), None).expect("valid options");
    assert!(!report.valid);
    assert_eq!(report.errors.len(), MAX_LISTED_PROBLEMS + 1);
    assert_eq!(report.errors[MAX_LISTED_PROBLEMS - 1].path, "/programGroups/g/programs/99999");
    let last = &report.errors[MAX_LISTED_PROBLEMS];
    assert_eq!((last.code.as_str(), last.path.as_str()), ("input.tooLarge", ""));
    assert_eq!(
        last.message,
        "This report lists the first 100000 problems and leaves out 5 more (5 errors and 0 warnings): a report lists \
         at most 100000 problems and 32 MiB of their messages and paths."
    );

    // Only warnings left out: the last diagnostic is a warning, and the recipe stays valid.
    let report =
        api::validate_recipe(&recipe_with_long_group("g", "a", MAX_LISTED_PROBLEMS + 2), None).expect("valid options");
    assert!(report.valid);
    assert_eq!(report.warnings.len(), MAX_LISTED_PROBLEMS + 1);
    assert_eq!(report.warnings[0].message, "Program `a` is listed twice in this group.");
    assert_eq!(
        report.warnings[MAX_LISTED_PROBLEMS].message,
        "This report lists the first 100000 problems and leaves out 1 more (0 errors and 1 warning): a report lists \
         at most 100000 problems and 32 MiB of their messages and paths."
    );
    assert_eq!(report.warnings[MAX_LISTED_PROBLEMS].severity, Severity::Warning);
}

#[test]
fn a_report_lists_at_most_32_mib_of_messages_and_paths() {
    // Paths are never cut, so a 60,000-character group key makes each diagnostic 60 KB long.
    let key = format!("g{}", "x".repeat(59_999));
    let count = 1_000;
    let report = api::validate_recipe(&recipe_with_long_group(&key, "zz", count), None).expect("valid options");
    // Each diagnostic is listed while the total stays within the budget (indexes add digits).
    let message_bytes = report.errors[0].message.len();
    let mut listed = 0;
    let mut total = 0;
    for index in 0..count {
        let bytes = format!("/programGroups/{key}/programs/{index}").len() + message_bytes;
        if total + bytes > MAX_LISTED_BYTES {
            break;
        }
        total += bytes;
        listed += 1;
    }
    assert_eq!(listed, 558);
    assert_eq!(report.errors.len(), listed + 1);
    assert_eq!(
        report.errors[listed].message,
        "This report lists the first 558 problems and leaves out 442 more (442 errors and 0 warnings): a report lists \
         at most 100000 problems and 32 MiB of their messages and paths."
    );
    let listed_bytes: usize = report.errors.iter().map(|d| d.path.len() + d.message.len()).sum();
    assert!(listed_bytes <= MAX_LISTED_BYTES + 300, "{listed_bytes}");
}

#[test]
fn configurations_share_the_cap() {
    let ids: Vec<Value> = vec![json!(""); MAX_LISTED_PROBLEMS + 3];
    let config = json!({"engagementTypes": {"manual": null}, "revenuePercentage": 5, "transactionCompilers": ["lineItems"],
        "eligibleCollaborators": ids});
    let report = api::validate_distributor_config(&config, None).expect("valid options");
    assert!(!report.valid);
    assert_eq!(report.errors.len(), MAX_LISTED_PROBLEMS + 1);
    assert_eq!(report.errors[0].message, "A collaborator id is empty.");
    assert_eq!(
        report.errors[MAX_LISTED_PROBLEMS].message,
        "This report lists the first 100000 problems and leaves out 3 more (3 errors and 0 warnings): a report lists \
         at most 100000 problems and 32 MiB of their messages and paths."
    );
}

#[test]
fn every_built_in_set_is_searched_whole() {
    use siren_engine::money::Units;
    use siren_engine::registry::{DISTRIBUTION_RESOLVERS, KNOWN_EVENT_TYPES, TRANSACTION_COMPILERS};
    assert_eq!(Units::known_codes().count(), 168);
    assert!(Units::known_codes().count() <= MAX_COMPARED_IDS);
    for set in [DISTRIBUTION_RESOLVERS, KNOWN_EVENT_TYPES, TRANSACTION_COMPILERS] {
        assert!(set.len() <= MAX_COMPARED_IDS);
    }
}

#[test]
fn missing_fields_past_the_cap_are_counted() {
    // 20,000 empty distributors: six missing fields each, 120,000 errors.
    let distributors: Map<String, Value> = (0..20_000).map(|k| (format!("d{k}"), json!({}))).collect();
    let recipe = json!({"version": 1, "name": "R", "description": "D", "distributors": distributors});
    let report = api::validate_recipe(&recipe, None).expect("valid options");
    assert!(!report.valid);
    assert_eq!(report.errors.len(), MAX_LISTED_PROBLEMS + 1);
    assert_eq!(
        (report.errors[MAX_LISTED_PROBLEMS - 1].path.as_str(), report.errors[MAX_LISTED_PROBLEMS - 1].message.as_str()),
        ("/distributors/d16666/distributionPoolResolver", "A distributor needs a `distributionPoolResolver`.")
    );
    assert_eq!(
        report.errors[MAX_LISTED_PROBLEMS].message,
        "This report lists the first 100000 problems and leaves out 20000 more (20000 errors and 0 warnings): a \
         report lists at most 100000 problems and 32 MiB of their messages and paths."
    );
}
