//! The engine's JSON operations natively, for cross-checks and scripts: reads one input document
//! on stdin and prints the result as the wasm build's JS surface would (the same JSON text).
//!
//!   cargo xtask engine simulate < input.json > simulation.json
//!
//! Operations: validateRecipe, validateDistributorConfig, nextRuns, previewScores, simulate,
//! compare. A thrown error prints `{"error": {code, path, message}}` and exits 1.

use std::io::Read;
use std::process::ExitCode;

pub fn run(args: &[String]) -> ExitCode {
    let operation = args.first().cloned().unwrap_or_default();
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("cannot read stdin: {e}");
        return ExitCode::from(2);
    }
    let result = match operation.as_str() {
        // As the wasm build reads them: the records of JSON text through the typed reader.
        "previewScores" => to_text(siren_engine::preview_scores_text(&text)),
        "simulate" => to_text(siren_engine::simulate_text(&text)),
        "compare" => to_text(siren_engine::compare_text(&text)),
        _ => siren_engine::parse_json(&text).and_then(|input| match operation.as_str() {
            "validateRecipe" => to_text(siren_engine::validate_recipe(&input, None)),
            "validateDistributorConfig" => to_text(siren_engine::validate_distributor_config(&input, None)),
            "nextRuns" => to_text(siren_engine::next_runs(&input)),
            other => {
                eprintln!("unknown operation {other:?}; expected validateRecipe, validateDistributorConfig, nextRuns, previewScores, simulate or compare");
                std::process::exit(2);
            }
        }),
    };
    match result {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            println!(
                "{}",
                serde_json::json!({"error": {"code": error.code.as_str(), "path": error.path, "message": error.message}})
            );
            ExitCode::from(1)
        }
    }
}

fn to_text<T: serde::Serialize>(
    result: Result<T, siren_engine::EngineError>,
) -> Result<String, siren_engine::EngineError> {
    result.map(|value| serde_json::to_string(&value).unwrap_or_default())
}
