//! Bytes → `siren_engine::parse_json` → `validate_recipe` (lenient and strict, with host resolvers) and
//! `validate_distributor_config`. Property: never panics; a report is `valid` exactly when it
//! has no errors, and every diagnostic has a code, a JSON Pointer path and a message.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::json;
use siren_engine::ValidationReport;

fn check(report: &ValidationReport) {
    assert_eq!(report.valid, report.errors.is_empty());
    for d in report.errors.iter().chain(&report.warnings) {
        assert!(d.path.is_empty() || d.path.starts_with('/'), "path {:?}", d.path);
        assert!(!d.message.is_empty());
        // Messages quote at most 60 characters of input; paths may be long, messages not.
        assert!(d.message.len() < 2_000 + d.path.len() * 2, "message too long: {}", d.message.len());
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(value) = siren_engine::parse_json(text) else { return };
    let options = [None, Some(json!({"strict": true, "distributionResolvers": ["hostResolver"], "poolResolvers": ["hostPool"]}))];
    for option in &options {
        if let Ok(report) = siren_engine::validate_recipe(&value, option.as_ref()) {
            check(&report);
        }
        if let Ok(report) = siren_engine::validate_distributor_config(&value, option.as_ref()) {
            check(&report);
        }
    }
    // The same document as an options argument: an error or a report, never a panic.
    let _ = siren_engine::validate_recipe(&json!({}), Some(&value));
});
