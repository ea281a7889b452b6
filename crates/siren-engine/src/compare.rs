//! `compare`: a what-if. The same simulation input run twice, once as given (`base`) and once
//! with `variant`'s overrides applied, and the differences cycle by cycle and collaborator by
//! collaborator.
//!
//! Overrides are applied to the JSON input before it is read, so the variant goes through
//! exactly the validation and computation the base does; an error the override causes is
//! re-located under `/variant/...`.

use crate::amount::format_minor;
use crate::diagnostics::{json_type_name, Code, EngineError, Pointer};
use crate::model::{self, compare_ids};
use crate::preview::WindowOut;
use crate::simulate::{self, Simulation};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The fields `variant` may override.
pub const VARIANT_FIELDS: &[&str] =
    &["config", "policies", "distributionResolver", "revenuePercentage", "engagementTypes"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    pub base: Simulation,
    pub variant: Simulation,
    pub cycles: Vec<CycleComparison>,
    /// |delta| desc, then collaborator id.
    pub collaborators: Vec<CollaboratorComparison>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CycleComparison {
    pub index: u64,
    pub window: WindowOut,
    /// Collaborators paid in the cycle, in allocation order.
    pub base_winners: Vec<String>,
    pub variant_winners: Vec<String>,
    /// The set of paid collaborators differs.
    pub changed: bool,
    /// Some collaborator's amount differs (a superset of `changed`).
    pub allocations_changed: bool,
    pub base_status: &'static str,
    pub variant_status: &'static str,
    pub base_pool: String,
    pub variant_pool: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CollaboratorComparison {
    pub collaborator_id: String,
    pub base_total: String,
    pub variant_total: String,
    /// variant − base.
    pub delta: String,
}

fn wrong_type(path: &Pointer, what: &str, value: &Value) -> EngineError {
    EngineError::new(Code::InputWrongType, path, format!("{what} must be an object, found {}.", json_type_name(value)))
}

/// `compare` over a JSON input `{base, variant}`.
pub fn compare(input: &Value) -> Result<Comparison, EngineError> {
    compare_with(input, &simulate::simulate)
}

/// `compare`, running both simulations through `simulate` (a loaded bulk `Engine`'s, whose
/// inputs carry no records).
pub fn compare_with(
    input: &Value,
    simulate: &dyn Fn(&Value) -> Result<Simulation, EngineError>,
) -> Result<Comparison, EngineError> {
    let root = Pointer::root();
    let object = model::expect_input_object(input, "A compare input object")?;
    model::reject_unknown_fields(object, &["base", "variant"], &root, |_| "")?;
    let base_input = match object.get("base") {
        None | Some(Value::Null) => {
            return Err(EngineError::new(
                Code::InputRequired,
                &root.key("base"),
                "`base` (a simulate input) is required.",
            ))
        }
        Some(value) => value,
    };
    let variant_path = root.key("variant");
    let variant = match object.get("variant") {
        None | Some(Value::Null) => {
            return Err(EngineError::new(
                Code::InputRequired,
                &variant_path,
                "`variant` (the overrides to compare) is required.",
            ))
        }
        Some(Value::Object(variant)) => variant,
        Some(other) => return Err(wrong_type(&variant_path, "`variant`", other)),
    };
    model::reject_unknown_fields(variant, VARIANT_FIELDS, &variant_path, |_| {
        " in `variant`, which may override only these fields"
    })?;

    let base = simulate(base_input).map_err(|e| relocate(e, "/base"))?;
    let (variant_input, engagement_keys) = apply_overrides(base_input, variant, &variant_path)?;
    let variant_simulation =
        simulate(&variant_input).map_err(|e| locate_variant_error(e, variant, &engagement_keys))?;
    Ok(build(base, variant_simulation))
}

fn relocate(mut error: EngineError, at: &str) -> EngineError {
    error.path = format!("{at}{}", error.path);
    error
}

/// The base input with the variant's overrides: `config` replaces the configuration; then
/// `revenuePercentage` is set on, and `engagementTypes` merged into (a `null` value removes the
/// type), every version; `policies` members replace the base's; `distributionResolver` replaces
/// the distributor's in the recipe. Returns the engagement types the variant set.
fn apply_overrides(
    base: &Value,
    variant: &Map<String, Value>,
    variant_path: &Pointer,
) -> Result<(Value, Vec<String>), EngineError> {
    let mut input = base.clone();
    let Some(object) = input.as_object_mut() else {
        return Err(EngineError::new(Code::InputWrongType, &Pointer::root().key("base"), "`base` must be an object."));
    };
    if let Some(config) = variant.get("config").filter(|v| !v.is_null()) {
        object.insert("config".to_string(), config.clone());
    }
    let percentage = variant.get("revenuePercentage").filter(|v| !v.is_null());
    let engagement = match variant.get("engagementTypes") {
        None | Some(Value::Null) => None,
        Some(value) => Some(engagement_overrides(value, &variant_path.key("engagementTypes"))?),
    };
    let engagement_keys: Vec<String> = engagement.iter().flat_map(|m| m.iter().map(|(k, _)| k.clone())).collect();
    if percentage.is_some() || engagement.is_some() {
        if let Some(config) = object.get_mut("config") {
            let versions: Vec<&mut Value> = match config {
                Value::Array(items) => items.iter_mut().collect(),
                other => vec![other],
            };
            for version in versions {
                let Some(version) = version.as_object_mut() else { continue };
                if let Some(percentage) = percentage {
                    version.insert("revenuePercentage".to_string(), percentage.clone());
                }
                if let Some(overrides) = &engagement {
                    let mut types = engagement_as_object(version.get("engagementTypes"));
                    for (kind, value) in overrides {
                        if value.is_null() {
                            types.shift_remove(kind);
                        } else {
                            types.insert(kind.clone(), value.clone());
                        }
                    }
                    version.insert("engagementTypes".to_string(), Value::Object(types));
                }
            }
        }
    }
    if let Some(policies) = variant.get("policies").filter(|v| !v.is_null()) {
        let overrides =
            policies.as_object().ok_or_else(|| wrong_type(&variant_path.key("policies"), "`policies`", policies))?;
        let mut merged = object.get("policies").and_then(Value::as_object).cloned().unwrap_or_default();
        for (key, value) in overrides {
            merged.insert(key.clone(), value.clone());
        }
        object.insert("policies".to_string(), Value::Object(merged));
    }
    if let Some(resolver) = variant.get("distributionResolver").filter(|v| !v.is_null()) {
        let key = object.get("distributorKey").and_then(Value::as_str).map(str::to_string);
        let entry =
            key.and_then(|key| object.get_mut("recipe")?.get_mut("distributors")?.get_mut(&key)?.as_object_mut());
        if let Some(entry) = entry {
            entry.insert("distributionResolver".to_string(), resolver.clone());
        }
    }
    Ok((input, engagement_keys))
}

/// The variant's `engagementTypes` as (type, value) pairs: `{type: value}` or `[{type, value}]`.
fn engagement_overrides(value: &Value, path: &Pointer) -> Result<Vec<(String, Value)>, EngineError> {
    match value {
        Value::Object(map) => Ok(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let kind = item.get("type").and_then(Value::as_str).ok_or_else(|| {
                    EngineError::new(
                        Code::InputWrongType,
                        &path.index(i).key("type"),
                        "An engagement type override is {type, value} with a string `type`.",
                    )
                })?;
                Ok((kind.to_string(), item.get("value").cloned().unwrap_or(Value::Null)))
            })
            .collect(),
        other => Err(EngineError::new(
            Code::InputWrongType,
            path,
            format!(
                "`engagementTypes` must be an object {{type: points}} or a list of {{type, value}}, found {}.",
                json_type_name(other)
            ),
        )),
    }
}

/// A version's engagement types in the object form `{type: value}` (the list form's ids are
/// informational and dropped).
fn engagement_as_object(value: Option<&Value>) -> Map<String, Value> {
    match value {
        Some(Value::Object(map)) => map.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| {
                Some((item.get("type")?.as_str()?.to_string(), item.get("value").cloned().unwrap_or(Value::Null)))
            })
            .collect(),
        _ => Map::new(),
    }
}

/// Re-locates an error of the variant run at the override that caused it.
fn locate_variant_error(
    mut error: EngineError,
    variant: &Map<String, Value>,
    engagement_keys: &[String],
) -> EngineError {
    let path = error.path.clone();
    let tokens: Vec<&str> = path.split('/').skip(1).collect();
    let has = |key: &str| variant.get(key).is_some_and(|v| !v.is_null());
    let new_path = match tokens.as_slice() {
        ["config", rest @ ..]
            if has("config")
                && !config_override_path(rest, "revenuePercentage", has("revenuePercentage"))
                && !engagement_path(rest, engagement_keys) =>
        {
            Some(format!("/variant/config{}", join(rest)))
        }
        ["config", rest @ ..] => {
            let rest: &[&str] = match rest.first() {
                Some(first) if first.parse::<usize>().is_ok() => rest.get(1..).unwrap_or_default(),
                _ => rest,
            };
            match rest {
                ["revenuePercentage", tail @ ..] if has("revenuePercentage") => {
                    Some(format!("/variant/revenuePercentage{}", join(tail)))
                }
                ["engagementTypes", kind, tail @ ..] if engagement_keys.iter().any(|k| k == kind) => {
                    Some(variant_engagement_path(variant, kind, tail))
                }
                ["engagementTypes", ..] if has("engagementTypes") => Some("/variant/engagementTypes".to_string()),
                _ => None,
            }
        }
        ["policies", rest @ ..] if has("policies") => Some(format!("/variant/policies{}", join(rest))),
        ["recipe", "distributors", _, "distributionResolver", rest @ ..] if has("distributionResolver") => {
            Some(format!("/variant/distributionResolver{}", join(rest)))
        }
        _ => None,
    };
    error.path = new_path.unwrap_or_else(|| format!("/variant{path}"));
    error
}

fn config_override_path(rest: &[&str], field: &str, overridden: bool) -> bool {
    overridden && (rest.first() == Some(&field) || rest.get(1) == Some(&field))
}

fn engagement_path(rest: &[&str], keys: &[String]) -> bool {
    let tail = match rest.first() {
        Some(first) if first.parse::<usize>().is_ok() => rest.get(1..).unwrap_or_default(),
        _ => rest,
    };
    matches!(tail, ["engagementTypes", kind, ..] if keys.iter().any(|k| k == kind))
}

/// Where an engagement type sits in the variant: `/variant/engagementTypes/<type>` in the
/// object form, `/variant/engagementTypes/<index>/value` in the list form.
fn variant_engagement_path(variant: &Map<String, Value>, kind: &str, tail: &[&str]) -> String {
    let escaped = kind.replace('~', "~0").replace('/', "~1");
    match variant.get("engagementTypes") {
        Some(Value::Array(items)) => {
            match items.iter().position(|item| item.get("type").and_then(Value::as_str) == Some(kind)) {
                Some(i) => format!("/variant/engagementTypes/{i}/value"),
                None => "/variant/engagementTypes".to_string(),
            }
        }
        _ => format!("/variant/engagementTypes/{escaped}{}", join(tail)),
    }
}

fn join(tokens: &[&str]) -> String {
    tokens.iter().map(|t| format!("/{t}")).collect()
}

fn build(base: Simulation, variant: Simulation) -> Comparison {
    let exponent = units_exponent(&base);
    let cycles = base
        .cycles
        .iter()
        .zip(&variant.cycles)
        .map(|(b, v)| {
            let base_winners: Vec<String> = b.allocations.iter().map(|a| a.collaborator_id.to_string()).collect();
            let variant_winners: Vec<String> = v.allocations.iter().map(|a| a.collaborator_id.to_string()).collect();
            let mut base_set = base_winners.clone();
            crate::sorting::stable_sort_by(&mut base_set, Ord::cmp);
            let mut variant_set = variant_winners.clone();
            crate::sorting::stable_sort_by(&mut variant_set, Ord::cmp);
            CycleComparison {
                index: b.index,
                window: b.window.clone(),
                changed: base_set != variant_set,
                allocations_changed: sorted_allocations(&b.allocations) != sorted_allocations(&v.allocations),
                base_winners,
                variant_winners,
                base_status: b.status,
                variant_status: v.status,
                base_pool: b.pool.clone(),
                variant_pool: v.pool.clone(),
            }
        })
        .collect();
    let mut totals: BTreeMap<String, (i128, i128)> = BTreeMap::new();
    for c in &base.totals.collaborators {
        totals.entry(c.collaborator_id.clone()).or_default().0 = c.amount_minor;
    }
    for c in &variant.totals.collaborators {
        totals.entry(c.collaborator_id.clone()).or_default().1 = c.amount_minor;
    }
    let mut rows: Vec<(String, i128, i128, i128)> =
        totals.into_iter().map(|(id, (b, v))| (id, b, v, v.saturating_sub(b))).collect();
    crate::sorting::stable_sort_by(&mut rows, |a, b| {
        b.3.unsigned_abs().cmp(&a.3.unsigned_abs()).then_with(|| compare_ids(&a.0, &b.0))
    });
    let collaborators = rows
        .into_iter()
        .map(|(id, b, v, d)| CollaboratorComparison {
            collaborator_id: id,
            base_total: format_minor(b, exponent),
            variant_total: format_minor(v, exponent),
            delta: format_minor(d, exponent),
        })
        .collect();
    Comparison { base, variant, cycles, collaborators }
}

fn sorted_allocations(allocations: &[crate::preview::AllocationOut]) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> =
        allocations.iter().map(|a| (a.collaborator_id.to_string(), a.amount.clone())).collect();
    crate::sorting::stable_sort_by(&mut list, Ord::cmp);
    list
}

fn units_exponent(simulation: &Simulation) -> u32 {
    crate::money::Units::lookup(&simulation.units).map_or(0, |u| u.exponent)
}
