//! Distributor configuration (ENGINE.md §3): samples, exact values, history, robustness.

use super::support::validation::{lenient, load, located, pairs, sample};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use siren_engine::api;
use siren_engine::config::{self, Compiler, ConfigHistory, DetailType, LineItemFilters};
use siren_engine::diagnostics::Severity;
use siren_engine::registry::ValidationOptions;
use std::path::Path;
use std::str::FromStr;

fn validate(config: &Value) -> Vec<(String, String)> {
    located(&config::validate(config, &lenient()))
}

fn parse(config: &Value) -> ConfigHistory {
    let (history, diagnostics) = config::parse(config, &lenient());
    assert_eq!(diagnostics, vec![]);
    history.expect("a clean configuration parses")
}

fn base() -> Value {
    sample("configs/milestone-rewards.json")
}

fn with(field: &str, value: Value) -> Value {
    let mut config = base();
    config[field] = value;
    config
}

/// Expected `(code, path)` pairs of one case.
type Expected = &'static [(&'static str, &'static str)];

fn decimal(text: &str) -> Decimal {
    Decimal::from_str(text).expect("test decimal")
}

#[test]
fn every_sample_config_validates_clean() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/configs");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("samples/configs exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let strict = ValidationOptions { strict: true, ..Default::default() };
        let report =
            api::validate_distributor_config(&load(&path), Some(&json!({"strict": true}))).expect("valid options");
        assert!(report.valid && report.warnings.is_empty(), "{}: {:?}", path.display(), report);
        assert!(config::parse(&load(&path), &strict).0.is_some(), "{}", path.display());
        count += 1;
    }
    assert!(count >= 3, "expected at least three sample configs, found {count}");
}

#[test]
fn the_milestone_config_parses_to_exact_values() {
    let history = parse(&base());
    assert_eq!(history.versions.len(), 1);
    let version = &history.versions[0];
    assert_eq!(version.effective_from, None);
    assert_eq!(
        version.engagement_types.iter().map(|(k, v)| (k.as_str(), *v)).collect::<Vec<_>>(),
        vec![("boundCouponUsed", 5), ("courseCompleted", 10), ("referredSiteVisit", 1)]
    );
    assert_eq!(version.revenue_percentage, decimal("5"));
    assert_eq!(version.transaction_compilers, vec![Compiler::LineItems, Compiler::Discounts]);
    assert_eq!(version.line_item_filters, LineItemFilters::default());
    assert_eq!(version.eligible_collaborators, None);
}

#[test]
fn the_rest_extended_payload_passes_straight_in() {
    let history = parse(&sample("configs/rest-extended.json"));
    let version = &history.versions[0];
    assert_eq!(
        version.engagement_types.iter().map(|(k, v)| (k.as_str(), *v)).collect::<Vec<_>>(),
        vec![("boundPostUsed", 1), ("manual", 0)]
    );
    assert_eq!(version.revenue_percentage, decimal("20"));
    assert_eq!(
        version.line_item_filters,
        LineItemFilters {
            with_types: vec![DetailType::Product],
            with_skus: vec![],
            in_categories: vec![],
            collaborator_owned: false
        }
    );
}

#[test]
fn object_form_string_values_filters_and_collaborators() {
    let history = parse(&sample("configs/instructor-revenue-share.json"));
    let version = &history.versions[0];
    assert_eq!(
        version.engagement_types.iter().map(|(k, v)| (k.as_str(), *v)).collect::<Vec<_>>(),
        vec![("courseCompleted", 10), ("lessonCompleted", 1)]
    );
    assert_eq!(version.revenue_percentage, decimal("12.5"));
    assert_eq!(version.transaction_compilers, vec![Compiler::LineItems, Compiler::Discounts, Compiler::Fees]);
    assert_eq!(
        version.line_item_filters,
        LineItemFilters {
            with_types: vec![DetailType::Product, DetailType::Subscription],
            with_skus: vec![],
            in_categories: vec!["courses".into()],
            collaborator_owned: true
        }
    );
    assert_eq!(version.eligible_collaborators, Some(vec!["7".to_string(), "12".to_string(), "31".to_string()]));
}

#[test]
fn history_versions_apply_from_their_effective_date() {
    let history = parse(&sample("configs/mid-year-weight-change.json"));
    assert_eq!(history.versions.len(), 2);
    let at = |text: &str| chrono::DateTime::parse_from_rfc3339(text).expect("test timestamp");
    let june = history.at(at("2026-06-30T23:59:59-04:00")).expect("base version");
    let july = history.at(at("2026-07-01T04:00:00Z")).expect("second version");
    assert_eq!(june.engagement_types.get("boundCouponUsed"), Some(&5));
    assert_eq!(july.engagement_types.get("boundCouponUsed"), Some(&10));
    assert_eq!(july.engagement_types.get("lessonCompleted"), Some(&2));
    assert_eq!(july.revenue_percentage, decimal("7.5"));
}

#[test]
fn history_versions_are_sorted_by_effective_date() {
    let version = |from: Option<&str>, percentage: u32| {
        let mut v = base();
        v["revenuePercentage"] = json!(percentage);
        if let Some(from) = from {
            v["effectiveFrom"] = json!(from);
        }
        v
    };
    let history = parse(&json!([
        version(Some("2026-09-01T00:00:00Z"), 3),
        version(None, 1),
        version(Some("2026-03-01T00:00:00Z"), 2),
    ]));
    let percentages: Vec<Decimal> = history.versions.iter().map(|v| v.revenue_percentage).collect();
    assert_eq!(percentages, vec![decimal("1"), decimal("2"), decimal("3")]);
    assert_eq!(history.versions[0].effective_from, None);
}

#[test]
fn history_problems() {
    let mut dated = base();
    dated["effectiveFrom"] = json!("2026-07-01T00:00:00Z");
    let mut same_instant = base();
    same_instant["effectiveFrom"] = json!("2026-07-01T02:00:00+02:00");
    let mut not_a_date = base();
    not_a_date["effectiveFrom"] = json!("July 1st");
    assert_eq!(
        validate(&json!([base(), dated, base(), same_instant, not_a_date])),
        pairs(&[
            ("config.missingEffectiveFrom", "/2/effectiveFrom"),
            ("config.duplicateEffectiveFrom", "/3/effectiveFrom"),
            ("time.invalidTimestamp", "/4/effectiveFrom"),
        ])
    );
    assert_eq!(validate(&json!([])), pairs(&[("config.emptyHistory", "")]));
    let (history, _) = config::parse(&json!([base(), 5]), &lenient());
    assert_eq!(history, None);
}

#[test]
fn revenue_percentage_bounds_and_exactness() {
    let cases: &[(Value, Option<&str>, Expected)] = &[
        (json!(0), None, &[("config.percentageOutOfRange", "/revenuePercentage")]),
        (json!(100), Some("100"), &[]),
        (api::parse_json("100.01").expect("number"), None, &[("config.percentageOutOfRange", "/revenuePercentage")]),
        (json!("12.5"), Some("12.5"), &[]),
        (api::parse_json("1e400").expect("number"), None, &[("config.percentageOutOfRange", "/revenuePercentage")]),
        (api::parse_json("0.1").expect("number"), Some("0.1"), &[]),
        (api::parse_json("2.5e1").expect("number"), Some("25"), &[]),
        (json!(-5), None, &[("config.percentageOutOfRange", "/revenuePercentage")]),
        (json!("abc"), None, &[("config.invalidPercentage", "/revenuePercentage")]),
        (api::parse_json("1e-400").expect("number"), None, &[("config.invalidPercentage", "/revenuePercentage")]),
        (json!(true), None, &[("input.wrongType", "/revenuePercentage")]),
        (json!(null), None, &[("input.required", "/revenuePercentage")]),
    ];
    for (value, parsed, expected) in cases {
        let config = with("revenuePercentage", value.clone());
        let (history, diagnostics) = config::parse(&config, &lenient());
        assert_eq!(located(&diagnostics), pairs(expected), "{value}");
        assert_eq!(history.map(|h| h.versions[0].revenue_percentage), parsed.map(decimal), "{value}");
    }
    let diagnostics = config::validate(&with("revenuePercentage", api::parse_json("100.01").expect("n")), &lenient());
    assert_eq!(diagnostics[0].message, "`revenuePercentage` is `100.01`; it must be greater than 0 and at most 100.");
}

#[test]
fn engagement_values_must_be_whole_points() {
    let cases: &[(&str, Option<i64>, Expected)] = &[
        ("\"100\"", Some(100), &[]),
        ("100", Some(100), &[]),
        ("1.0", Some(1), &[]),
        ("-1", None, &[("config.pointsOutOfRange", "/engagementTypes/0/value")]),
        ("1.5", None, &[("config.invalidPoints", "/engagementTypes/0/value")]),
        ("\"abc\"", None, &[("config.invalidPoints", "/engagementTypes/0/value")]),
        ("9223372036854775808", None, &[("config.pointsOutOfRange", "/engagementTypes/0/value")]),
        ("1000000001", None, &[("config.pointsOutOfRange", "/engagementTypes/0/value")]),
        ("1e400", None, &[("config.pointsOutOfRange", "/engagementTypes/0/value")]),
        ("0", Some(0), &[("!config.zeroPoints", "/engagementTypes/0/value")]),
        ("true", None, &[("input.wrongType", "/engagementTypes/0/value")]),
        ("null", None, &[("input.required", "/engagementTypes/0/value")]),
    ];
    for (value_text, parsed, expected) in cases {
        let value = api::parse_json(value_text).expect("test JSON");
        let config = with("engagementTypes", json!([{"type": "referredSiteVisit", "value": value}]));
        let (history, diagnostics) = config::parse(&config, &lenient());
        assert_eq!(located(&diagnostics), pairs(expected), "{value_text}");
        assert_eq!(
            history.and_then(|h| h.versions[0].engagement_types.get("referredSiteVisit").copied()),
            *parsed,
            "{value_text}"
        );
    }
}

#[test]
fn engagement_types_in_object_form() {
    let config = with(
        "engagementTypes",
        json!({"referredSiteVisit": "1", "boundCouponUsed": {"value": "5"}, "manual": null, "sale": 10, "referedSiteVisit": -3}),
    );
    assert_eq!(
        validate(&config),
        pairs(&[
            ("!config.engagementTypeTypo", "/engagementTypes/referedSiteVisit"),
            ("config.pointsOutOfRange", "/engagementTypes/referedSiteVisit"),
        ])
    );
    let diagnostics = config::validate(&config, &lenient());
    assert!(diagnostics[0].message.contains("did you mean `referredSiteVisit`?"), "{}", diagnostics[0].message);
}

#[test]
fn engagement_type_entries() {
    let config = with(
        "engagementTypes",
        json!([
            {"type": "manual"},
            {"type": "manual", "value": 3},
            {"type": "", "value": 1},
            {"value": 1},
            {"type": "courseCompleted"},
            {"type": "lessonCompleted", "value": 1, "points": 2},
            "referredSiteVisit"
        ]),
    );
    assert_eq!(
        validate(&config),
        pairs(&[
            ("config.duplicateEngagementType", "/engagementTypes/1/type"),
            ("config.emptyText", "/engagementTypes/2/type"),
            ("input.required", "/engagementTypes/3/type"),
            ("input.required", "/engagementTypes/4/value"),
            ("!input.unknownField", "/engagementTypes/5/points"),
            ("input.wrongType", "/engagementTypes/6"),
        ])
    );
    assert_eq!(
        validate(&with("engagementTypes", json!([]))),
        pairs(&[("!config.noEngagementTypes", "/engagementTypes")])
    );
    assert_eq!(
        validate(&with("engagementTypes", json!({}))),
        pairs(&[("!config.noEngagementTypes", "/engagementTypes")])
    );
}

#[test]
fn manual_credits_may_carry_a_default_value() {
    let history =
        parse(&with("engagementTypes", json!([{"type": "manual", "value": "25"}, {"type": "sale", "value": "100"}])));
    assert_eq!(history.versions[0].engagement_types.get("manual"), Some(&25));
    assert_eq!(history.versions[0].engagement_types.get("sale"), Some(&100));
}

#[test]
fn transaction_compilers() {
    assert_eq!(
        validate(&with("transactionCompilers", json!([]))),
        pairs(&[("!config.noCompilers", "/transactionCompilers")])
    );
    let diagnostics = config::validate(&with("transactionCompilers", json!([])), &lenient());
    assert!(diagnostics[0].message.contains("the pool will always be 0"), "{}", diagnostics[0].message);

    let config = with("transactionCompilers", json!(["standard", "lineItem", "taxes", "taxes", 3]));
    let diagnostics = config::validate(&config, &lenient());
    assert_eq!(
        located(&diagnostics),
        pairs(&[
            ("config.unknownCompiler", "/transactionCompilers/0"),
            ("config.unknownCompiler", "/transactionCompilers/1"),
            ("!config.duplicateCompiler", "/transactionCompilers/3"),
            ("input.wrongType", "/transactionCompilers/4"),
        ])
    );
    assert!(diagnostics[0].message.contains("only as an illustration"), "{}", diagnostics[0].message);
    assert!(diagnostics[1].message.contains("did you mean `lineItems`?"), "{}", diagnostics[1].message);
}

#[test]
fn line_item_filters() {
    let config = with(
        "lineItemFilters",
        json!({"withTypes": ["products", "tax", "coupon"], "withSkus": ["SKU-1", 42, ""], "inCategories": null,
               "collaboratorOwned": "1", "owner": true}),
    );
    assert_eq!(
        validate(&config),
        pairs(&[
            ("config.unknownLineItemType", "/lineItemFilters/withTypes/2"),
            ("config.emptyText", "/lineItemFilters/withSkus/2"),
            ("!input.unknownField", "/lineItemFilters/owner"),
        ])
    );
    let mut config = with("lineItemFilters", json!({"withSkus": ["SKU-1"]}));
    config["transactionCompilers"] = json!(["discounts"]);
    assert_eq!(validate(&config), pairs(&[("!config.filtersWithoutLineItems", "/lineItemFilters")]));
    assert_eq!(
        validate(&with("lineItemFilters", json!(["products"]))),
        pairs(&[("input.wrongType", "/lineItemFilters")])
    );
}

#[test]
fn eligible_collaborators() {
    let config = with("eligibleCollaborators", json!([7, "7", 1.5, -2, "", {"id": 3}, "alice"]));
    assert_eq!(
        validate(&config),
        pairs(&[
            ("!config.duplicateCollaborator", "/eligibleCollaborators/1"),
            ("config.invalidCollaboratorId", "/eligibleCollaborators/2"),
            ("config.invalidCollaboratorId", "/eligibleCollaborators/3"),
            ("config.emptyText", "/eligibleCollaborators/4"),
            ("input.wrongType", "/eligibleCollaborators/5"),
        ])
    );
    assert_eq!(
        validate(&with("eligibleCollaborators", json!([]))),
        pairs(&[("!config.noEligibleCollaborators", "/eligibleCollaborators")])
    );
    assert_eq!(parse(&with("eligibleCollaborators", json!(null))).versions[0].eligible_collaborators, None);
}

#[test]
fn unknown_fields_and_wrong_types() {
    let config = with("revenuePercent", json!(5));
    let lenient_report = config::validate(&config, &lenient());
    assert_eq!(located(&lenient_report), pairs(&[("!input.unknownField", "/revenuePercent")]));
    assert!(lenient_report[0].message.contains("did you mean `revenuePercentage`?"));
    let strict = ValidationOptions { strict: true, ..Default::default() };
    assert_eq!(located(&config::validate(&config, &strict)), pairs(&[("input.unknownField", "/revenuePercent")]));
    // A known field that is null is "not given"; an unknown one is still reported.
    assert_eq!(validate(&with("lineItemFilters", json!(null))), pairs(&[]));
    assert_eq!(validate(&with("legacyField", json!(null))), pairs(&[("!input.unknownField", "/legacyField")]));

    for (value, code) in
        [(json!(null), "input.missing"), (json!(5), "input.wrongType"), (json!("{}"), "input.wrongType")]
    {
        assert_eq!(validate(&value), pairs(&[(code, "")]), "{value}");
    }
    assert_eq!(
        validate(&json!({})),
        pairs(&[
            ("input.required", "/engagementTypes"),
            ("input.required", "/revenuePercentage"),
            ("input.required", "/transactionCompilers"),
        ])
    );
    assert_eq!(
        validate(
            &json!({"engagementTypes": "referredSiteVisit", "revenuePercentage": [5], "transactionCompilers": "lineItems"})
        ),
        pairs(&[
            ("input.wrongType", "/engagementTypes"),
            ("input.wrongType", "/revenuePercentage"),
            ("input.wrongType", "/transactionCompilers"),
        ])
    );
    assert_eq!(validate(&json!([null, []])), pairs(&[("input.wrongType", "/0"), ("input.wrongType", "/1")]));
}

/// Strings and keys the config validator knows, so arbitrary documents hit its fields.
const CONFIG_STRINGS: &[&str] = &[
    "manual",
    "referredSiteVisit",
    "100",
    "-1",
    "1.5",
    "1e400",
    "lineItems",
    "products",
    "2026-07-01T00:00:00Z",
    "2026-07-01",
    "",
];
const CONFIG_KEYS: &[&str] = &[
    "effectiveFrom",
    "engagementTypes",
    "revenuePercentage",
    "transactionCompilers",
    "lineItemFilters",
    "eligibleCollaborators",
    "type",
    "value",
    "withTypes",
    "withSkus",
    "inCategories",
    "collaboratorOwned",
    "manual",
    "x",
];

fn arbitrary_json() -> impl Strategy<Value = Value> {
    super::support::validation::arbitrary_json(CONFIG_STRINGS, CONFIG_KEYS)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics(value in arbitrary_json()) {
        let (history, diagnostics) = config::parse(&value, &lenient());
        let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
        prop_assert_eq!(history.is_some(), !has_errors);
    }

    #[test]
    fn arbitrary_field_values_never_panic(value in arbitrary_json(), field in prop::sample::select(vec![
        "effectiveFrom", "engagementTypes", "revenuePercentage", "transactionCompilers", "lineItemFilters",
        "eligibleCollaborators",
    ])) {
        let config = with(field, value);
        let (history, diagnostics) = config::parse(&config, &lenient());
        let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
        prop_assert_eq!(history.is_some(), !has_errors);
    }
}
