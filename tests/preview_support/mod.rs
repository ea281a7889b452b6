//! Shared by the preview tests: runs a JSON case through the engine and compares the output
//! with expected fragments.
//!
//! While `config::parse`, `Zone::parse` and the currency table are still stubs on this branch,
//! `run` fills in for each stubbed contract with a minimal test-only reader, piece by piece:
//! once a contract is real, it is used and this fallback is dead code. When all three are real,
//! cases go through `api::preview_scores` unchanged (exactly what wasm and JS will call).
#![allow(dead_code)]

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use siren_engine::config::{self, Compiler, ConfigHistory, ConfigVersion, DetailType, LineItemFilters};
use siren_engine::diagnostics::EngineError;
use siren_engine::money::Units;
use siren_engine::preview::{self, Preview};
use siren_engine::registry::ValidationOptions;
use siren_engine::time::Zone;
use std::collections::BTreeMap;
use std::str::FromStr;

pub fn config_parse_is_live() -> bool {
    let sample = json!({"engagementTypes": {"referredSiteVisit": 1}, "revenuePercentage": 10, "transactionCompilers": ["lineItems"]});
    config::parse(&sample, &ValidationOptions::default()).0.is_some()
}

pub fn zones_are_live() -> bool {
    Zone::parse("UTC").is_ok()
}

pub fn currencies_are_live() -> bool {
    Units::lookup("JPY").is_some() && Units::lookup("KWD").is_some()
}

pub fn all_contracts_live() -> bool {
    config_parse_is_live() && zones_are_live() && currencies_are_live()
}

/// Runs one preview input through the engine.
pub fn run(input: &Value) -> Result<Preview, EngineError> {
    if all_contracts_live() {
        return siren_engine::api::preview_scores(input);
    }
    let mut input = input.clone();
    let config = if config_parse_is_live() { None } else { input.get("config").and_then(fallback_config) };
    let zone = if zones_are_live() { None } else { input.get("timeZone").and_then(Value::as_str).and_then(fallback_zone) };
    // Units: read the distributor as USD, then put the real units back.
    let mut units = None;
    if let (Some(key), Some(recipe)) = (input.get("distributorKey").and_then(Value::as_str).map(str::to_string), input.get_mut("recipe")) {
        if let Some(code) = recipe.pointer(&format!("/distributors/{key}/units")).and_then(Value::as_str).map(str::to_string) {
            if Units::lookup(&code).is_none() {
                units = fallback_units(&code);
                if units.is_some() {
                    if let Some(slot) = recipe.pointer_mut(&format!("/distributors/{key}/units")) {
                        *slot = json!("USD");
                    }
                }
            }
        }
    }
    let mut request = preview::read_request(&input, config, zone)?;
    if let Some(units) = units {
        request.distributor.units = units;
    }
    preview::run(&request)
}

fn fallback_units(code: &str) -> Option<Units> {
    let exponent = match code {
        "EUR" | "USD" | "GBP" => 2,
        "JPY" => 0,
        "KWD" | "BHD" => 3,
        _ => return None,
    };
    Some(Units { code: code.into(), exponent })
}

fn fallback_zone(name: &str) -> Option<Zone> {
    if name == "UTC" || name == "Z" {
        return FixedOffset::east_opt(0).map(Zone::Fixed);
    }
    name.parse::<chrono_tz::Tz>().ok().map(Zone::Iana)
}

/// ENGINE.md §8 configuration: one object or a list of versions.
fn fallback_config(value: &Value) -> Option<ConfigHistory> {
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut versions = Vec::new();
    for item in items {
        let effective_from = match item.get("effectiveFrom").and_then(Value::as_str) {
            Some(text) => Some(DateTime::parse_from_rfc3339(text).ok()?),
            None => None,
        };
        let mut engagement_types = BTreeMap::new();
        match item.get("engagementTypes")? {
            Value::Object(map) => {
                for (k, v) in map {
                    engagement_types.insert(k.clone(), integer(v)?);
                }
            }
            Value::Array(list) => {
                for entry in list {
                    engagement_types.insert(entry.get("type")?.as_str()?.to_string(), integer(entry.get("value")?)?);
                }
            }
            _ => return None,
        }
        let revenue_percentage = Decimal::from_str(&number_text(item.get("revenuePercentage")?)?).ok()?;
        let mut transaction_compilers = Vec::new();
        for c in item.get("transactionCompilers").and_then(Value::as_array).into_iter().flatten() {
            transaction_compilers.push(match c.as_str()? {
                "lineItems" => Compiler::LineItems,
                "discounts" => Compiler::Discounts,
                "fees" => Compiler::Fees,
                "shipping" => Compiler::Shipping,
                "taxes" => Compiler::Taxes,
                _ => return None,
            });
        }
        let mut line_item_filters = LineItemFilters::default();
        if let Some(filters) = item.get("lineItemFilters") {
            for t in filters.get("withTypes").and_then(Value::as_array).into_iter().flatten() {
                line_item_filters.with_types.push(match t.as_str()? {
                    "product" | "products" => DetailType::Product,
                    "subscription" | "subscriptions" => DetailType::Subscription,
                    _ => return None,
                });
            }
            line_item_filters.with_skus = strings(filters.get("withSkus"));
            line_item_filters.in_categories = strings(filters.get("inCategories"));
            line_item_filters.collaborator_owned = filters.get("collaboratorOwned").and_then(Value::as_bool).unwrap_or(false);
        }
        let eligible_collaborators = item.get("eligibleCollaborators").filter(|v| !v.is_null()).map(|v| strings(Some(v)));
        versions.push(ConfigVersion { effective_from, engagement_types, revenue_percentage, transaction_compilers, line_item_filters, eligible_collaborators });
    }
    Some(ConfigHistory { versions })
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value.and_then(Value::as_array).into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)).collect()
}

fn number_text(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn integer(value: &Value) -> Option<i64> {
    number_text(value)?.parse().ok()
}

/// `expected` is a fragment of `actual`: every key of an expected object is present and
/// matches; arrays match element by element and have the same length; scalars are equal.
pub fn assert_fragment(actual: &Value, expected: &Value, path: &str) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (key, value) in e {
                let child = format!("{path}/{key}");
                match a.get(key) {
                    Some(actual) => assert_fragment(actual, value, &child),
                    None if value.is_null() => {}
                    None => panic!("missing {child}; actual object: {}", Value::Object(a.clone())),
                }
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            assert_eq!(a.len(), e.len(), "length of {path}: actual {}", Value::Array(a.clone()));
            for (i, (actual, expected)) in a.iter().zip(e).enumerate() {
                assert_fragment(actual, expected, &format!("{path}/{i}"));
            }
        }
        _ => assert_eq!(actual, expected, "at {path}"),
    }
}
