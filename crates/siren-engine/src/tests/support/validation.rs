//! Shared by the validation tests (recipes and configurations): options, sample files, and
//! diagnostics as `(code, path)` pairs so expectations read as data.
#![allow(dead_code)]

use proptest::prelude::*;
use serde_json::{json, Value};
use siren_engine::api;
use siren_engine::diagnostics::{Diagnostic, Severity};
use siren_engine::registry::ValidationOptions;
use std::path::Path;

pub fn lenient() -> ValidationOptions {
    ValidationOptions::default()
}

pub fn strict() -> ValidationOptions {
    ValidationOptions { strict: true, ..Default::default() }
}

/// A JSON file, read as the engine reads input.
pub fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    api::parse_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A file under `samples/` (`recipes/milestone-rewards.json`, `configs/…`).
pub fn sample(relative: &str) -> Value {
    load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples").join(relative))
}

/// `(code, path)` pairs, with the severity folded in as a `!` prefix for warnings.
pub fn located(diagnostics: &[Diagnostic]) -> Vec<(String, String)> {
    diagnostics
        .iter()
        .map(|d| {
            let code = match d.severity {
                Severity::Error => d.code.to_string(),
                Severity::Warning => format!("!{}", d.code),
            };
            (code, d.path.clone())
        })
        .collect()
}

pub fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(c, p)| (c.to_string(), p.to_string())).collect()
}

/// Arbitrary JSON up to 5 levels deep: any scalar, exact-decimal number texts (huge exponents
/// included), and objects whose keys and strings come from the given vocabularies, so the
/// validator's own fields are hit often.
pub fn arbitrary_json(strings: &'static [&'static str], keys: &'static [&'static str]) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "-?[0-9]{1,30}(\\.[0-9]{1,30})?([eE][+-]?[0-9]{1,5})?"
            .prop_map(|text| api::parse_json(&text).unwrap_or(Value::Null)),
        ".{0,12}".prop_map(Value::String),
        prop::sample::select(strings).prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(keys), inner), 0..8)
                .prop_map(|fields| Value::Object(fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}
