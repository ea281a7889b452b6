//! Shared by the validation tests (recipes and configurations): options, sample files, and
//! diagnostics as `(code, path)` pairs so expectations read as data.
#![allow(dead_code)]

use serde_json::Value;
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
    load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("samples").join(relative))
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
