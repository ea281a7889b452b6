//! Bytes → `siren_engine::parse_json` → every operation (`validate_recipe`, `validate_distributor_config`,
//! `next_runs`, `preview_scores`, `simulate`, `compare`). Property: never panics; each either
//! returns a result that serializes or a located `EngineError`. Seeds are the shared cases.
#![no_main]
use libfuzzer_sys::fuzz_target;
use siren_engine::EngineError;

fn located(e: &EngineError) {
    assert!(e.path.is_empty() || e.path.starts_with('/'), "path {:?}", e.path);
    assert!(!e.message.is_empty());
}

fn done<T: serde::Serialize>(result: Result<T, EngineError>) {
    match result {
        Ok(value) => assert!(serde_json::to_string(&value).is_ok()),
        Err(e) => located(&e),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let value = match siren_engine::parse_json(text) {
        Ok(value) => value,
        Err(e) => return located(&e),
    };
    done(siren_engine::validate_recipe(&value, None));
    done(siren_engine::validate_distributor_config(&value, None));
    done(siren_engine::next_runs(&value));
    done(siren_engine::preview_scores(&value));
    done(siren_engine::simulate(&value));
    done(siren_engine::compare(&value));
});
