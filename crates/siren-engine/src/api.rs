//! The engine's public operations over JSON documents: the same functions the JS surface
//! exposes, callable natively. The wasm layer only converts `JsValue` to and from JSON text and
//! calls these; anything that decides something lives here or below.

use crate::diagnostics::{
    json_syntax_error, json_type_name, without_bom, Code, Diagnostic, EngineError, Pointer, ValidationReport,
};
use crate::model::{expect_input_object, reject_unknown_fields, required};
use crate::registry::parse_validation_options;
use crate::schedule::{self, Schedule};
use crate::time::{self, Zone};
use serde_json::Value;

/// The most runs one `nextRuns` call computes (about 83 years of monthly runs).
pub const MAX_NEXT_RUNS: usize = crate::limits::MAX_NEXT_RUNS;

/// Input documents larger than this (in bytes of JSON text) are refused with `input.tooLarge`.
pub const MAX_INPUT_BYTES: usize = crate::limits::MAX_INPUT_BYTES;

/// Parses JSON text, mapping every failure to a located `EngineError`.
pub fn parse_json(text: &str) -> Result<Value, EngineError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(EngineError::new(
            Code::InputTooLarge,
            &Pointer::root(),
            format!("The input is {} bytes; the limit is {} bytes.", text.len(), MAX_INPUT_BYTES),
        ));
    }
    let text = without_bom(text.as_bytes());
    // serde_json refuses nesting deeper than 128 levels with an error instead of recursing on.
    serde_json::from_slice(text).map_err(|e| {
        let at = json_syntax_error(text, &e);
        if e.to_string().starts_with("recursion limit exceeded") {
            return EngineError::new(
                Code::InputTooDeep,
                &Pointer::root(),
                format!("The input nests arrays and objects deeper than 128 levels: {at}."),
            );
        }
        EngineError::new(Code::InputNotJson, &Pointer::root(), format!("The input is not valid JSON: {at}."))
    })
}

/// `validateRecipe`: never fails on bad recipe data (that is reported); fails only on bad options.
pub fn validate_recipe(recipe: &Value, options: Option<&Value>) -> Result<ValidationReport, EngineError> {
    let options = parse_validation_options(checked_options(options)?)?;
    if let Some(report) = over_limits(recipe) {
        return Ok(report);
    }
    Ok(ValidationReport::from_diagnostics(crate::recipe::validate(recipe, &options)))
}

/// `validateDistributorConfig`: as `validate_recipe`, for a distributor configuration.
pub fn validate_distributor_config(config: &Value, options: Option<&Value>) -> Result<ValidationReport, EngineError> {
    let options = parse_validation_options(checked_options(options)?)?;
    if let Some(report) = over_limits(config) {
        return Ok(report);
    }
    Ok(ValidationReport::from_diagnostics(crate::config::validate(config, &options)))
}

/// Options within the limits (docs/security.md), or the located error.
fn checked_options(options: Option<&Value>) -> Result<Option<&Value>, EngineError> {
    options.map(crate::limits::check).transpose()?;
    Ok(options)
}

/// A document over the limits is reported by its limit findings alone (validating it further
/// would be the slowdown the limits exist to prevent).
fn over_limits(document: &Value) -> Option<ValidationReport> {
    let findings = crate::limits::scan(document, crate::limits::MAX_FINDINGS);
    (!findings.is_empty()).then(|| ValidationReport::from_diagnostics(findings))
}

/// The report for input that could not be read as JSON at all.
pub fn unreadable_input_report(error: EngineError) -> ValidationReport {
    ValidationReport::from_diagnostics(vec![Diagnostic {
        severity: crate::diagnostics::Severity::Error,
        code: error.code,
        path: error.path,
        message: error.message,
    }])
}

/// `nextRuns({schedule, from, timeZone, count})`: the next `count` trigger instants as ISO-8601
/// strings in the time zone.
pub fn next_runs(input: &Value) -> Result<Vec<String>, EngineError> {
    crate::limits::check(input)?;
    let root = Pointer::root();
    let object = expect_input_object(input, "An input object")?;
    reject_unknown_fields(object, &["schedule", "from", "timeZone", "count"], &root, |_| "")?;

    let schedule_path = root.key("schedule");
    let strings = required(object, "schedule", &root)?
        .as_array()
        .filter(|items| items.iter().all(Value::is_string))
        .ok_or_else(|| {
            EngineError::new(Code::InputWrongType, &schedule_path, "`schedule` must be an array of strings.")
        })?
        .iter()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect::<Vec<_>>();
    let schedule = Schedule::parse(&strings).map_err(|errors| match errors.into_iter().next() {
        Some(first) => schedule_error(first, &schedule_path),
        None => EngineError::new(Code::ScheduleInvalid, &schedule_path, "The schedule is not valid."),
    })?;

    let from_path = root.key("from");
    let from_text = required(object, "from", &root)?.as_str().ok_or_else(|| {
        EngineError::new(Code::InputWrongType, &from_path, "`from` must be an ISO-8601 timestamp string.")
    })?;
    let from =
        time::parse_timestamp(from_text).map_err(|(code, message)| EngineError::new(code, &from_path, message))?;

    let zone_path = root.key("timeZone");
    let zone = match object.get("timeZone") {
        None | Some(Value::Null) => {
            Zone::parse("UTC").map_err(|(code, message)| EngineError::new(code, &zone_path, message))?
        }
        Some(Value::String(name)) => {
            Zone::parse(name).map_err(|(code, message)| EngineError::new(code, &zone_path, message))?
        }
        Some(other) => {
            return Err(EngineError::new(
                Code::InputWrongType,
                &zone_path,
                format!(
                    "`timeZone` must be a string such as \"America/New_York\" or \"+02:00\", found {}.",
                    json_type_name(other)
                ),
            ))
        }
    };

    let count_path = root.key("count");
    let count = match object.get("count") {
        None | Some(Value::Null) => 12,
        Some(value) => {
            let count = value.as_u64().filter(|n| *n >= 1).ok_or_else(|| {
                EngineError::new(Code::InputWrongType, &count_path, "`count` must be a whole number of at least 1.")
            })?;
            if count > MAX_NEXT_RUNS as u64 {
                return Err(EngineError::new(
                    Code::ScheduleCountTooLarge,
                    &count_path,
                    format!("`count` is {count}; at most {MAX_NEXT_RUNS} runs can be computed in one call."),
                ));
            }
            count as usize
        }
    };

    let runs = schedule.next_runs(from, zone, count).map_err(|e| schedule_error(e, &schedule_path))?;
    Ok(runs.into_iter().map(|instant| time::format_in_zone(instant, zone)).collect())
}

fn schedule_error(error: schedule::ScheduleError, schedule_path: &Pointer) -> EngineError {
    EngineError::new(error.code, &schedule_path.index(error.index), error.message)
}

/// `previewScores(input)`: the current cycle, projected as of `at` (ENGINE.md §8). Malformed
/// input is an `EngineError` locating the problem; see `preview` for the computation.
pub fn preview_scores(input: &Value) -> Result<crate::preview::Preview, EngineError> {
    crate::limits::check(input)?;
    crate::preview::preview_scores(input)
}

/// `simulate(input)`: every cycle from `start` to `end` (ENGINE.md §8), with totals. Malformed
/// input is an `EngineError` locating the problem; see `simulate` for the computation.
pub fn simulate(input: &Value) -> Result<crate::simulate::Simulation, EngineError> {
    crate::limits::check(input)?;
    crate::simulate::simulate(input)
}

/// `compare(input)`: the same simulation under a base and a variant configuration, cycle by
/// cycle and collaborator by collaborator; see `compare`.
pub fn compare(input: &Value) -> Result<crate::compare::Comparison, EngineError> {
    crate::limits::check(input)?;
    crate::compare::compare(input)
}

/// `preview_scores` of JSON text. The records are read by the bulk path's typed reader into
/// a `bulk::Engine` and previewed there (the same output byte for byte, without a `Value` tree
/// of every record); any problem sends the whole input to `preview_scores`, which locates it.
pub fn preview_scores_text(text: &str) -> Result<crate::preview::Preview, EngineError> {
    match loaded(text, None).and_then(|(engine, rest)| engine.preview(&rest).ok()) {
        Some(preview) => Ok(preview),
        None => preview_scores(&parse_json(text)?),
    }
}

/// `simulate` of JSON text, as `preview_scores_text`.
pub fn simulate_text(text: &str) -> Result<crate::simulate::Simulation, EngineError> {
    match loaded(text, None).and_then(|(engine, rest)| engine.simulate(&rest).ok()) {
        Some(simulation) => Ok(simulation),
        None => simulate(&parse_json(text)?),
    }
}

/// `compare` of JSON text (its records in `base`), as `preview_scores_text`.
pub fn compare_text(text: &str) -> Result<crate::compare::Comparison, EngineError> {
    match loaded(text, Some("base")).and_then(|(engine, rest)| engine.compare(&rest).ok()) {
        Some(comparison) => Ok(comparison),
        None => compare(&parse_json(text)?),
    }
}

/// A `bulk::Engine` with the input's records loaded, and the input without them; `None` when
/// the input is not an object with both records or they do not load (the exact path says why).
fn loaded(text: &str, within: Option<&str>) -> Option<(crate::bulk::Engine, Value)> {
    let split = crate::bulk::split_records(text, within)?;
    let mut engine = crate::bulk::Engine::new();
    engine.load_events_json(split.events.get().as_bytes()).ok()?;
    engine.load_transactions_json(split.transactions.get().as_bytes()).ok()?;
    Some((engine, split.rest))
}

/// An operation's input given as JSON text without its records (`rest`: in `compare`, without
/// those of its `base`) and the records as columns (JS objects read so by the binding): a
/// `bulk::Engine` with them loaded, and the rest read. `None` on any problem: the caller then
/// passes the whole input's JSON text to the `_text` operation, which computes or locates it.
pub fn with_record_columns(
    rest: &str,
    events: crate::bulk::EventColumns,
    transactions: crate::bulk::TransactionColumns,
) -> Option<(crate::bulk::Engine, Value)> {
    let rest = serde_json::from_slice(without_bom(rest.as_bytes())).ok()?;
    let mut engine = crate::bulk::Engine::new();
    engine.load_event_columns(events).ok()?;
    engine.load_transaction_columns(transactions).ok()?;
    Some((engine, rest))
}
