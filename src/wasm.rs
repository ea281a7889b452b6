//! The `#[wasm_bindgen]` surface and nothing else: read the JS value as JSON text, call `api`,
//! hand the result back as a plain JS object, and turn `EngineError` into a JS `Error` with
//! `code` and `path` properties. No decision about the domain is taken here.

use crate::api;
use crate::diagnostics::{Code, EngineError, Pointer};
use js_sys::{Error, Reflect, JSON};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("../types/siren_engine.d.ts");

/// Reads a JS argument as JSON. A string is JSON text; anything else goes through
/// `JSON.stringify`, which refuses cycles, `BigInt`s and throwing getters with an exception we
/// catch here (so no JS value can make the core recurse without bound).
fn read_input(value: &JsValue) -> Result<Value, EngineError> {
    if value.is_undefined() || value.is_null() {
        return Err(EngineError::new(
            Code::InputMissing,
            &Pointer::root(),
            "An input is required; got undefined or null.",
        ));
    }
    if let Some(text) = value.as_string() {
        return api::parse_json(&text);
    }
    // JSON.stringify would turn NaN and Infinity into `null`, hiding what the caller passed.
    if value.as_f64().is_some_and(|n| !n.is_finite()) {
        return Err(EngineError::new(
            Code::InputWrongType,
            &Pointer::root(),
            "The input must be an object or a JSON string, found a non-finite number.",
        ));
    }
    let text = JSON::stringify(value).map_err(|e| {
        // A RangeError is the JS stack running out on a deeply nested value.
        if e.is_instance_of::<js_sys::RangeError>() {
            return EngineError::new(
                Code::InputTooDeep,
                &Pointer::root(),
                "The input nests objects or arrays too deeply to read.",
            );
        }
        let reason = e.dyn_ref::<Error>().map(|e| String::from(e.message())).unwrap_or_else(|| "unknown reason".into());
        EngineError::new(
            Code::InputNotSerializable,
            &Pointer::root(),
            format!("The input cannot be read as JSON: {reason}."),
        )
    })?;
    match text.as_string() {
        Some(text) => api::parse_json(&text),
        // JSON.stringify returns undefined for functions and symbols.
        None => Err(EngineError::new(
            Code::InputWrongType,
            &Pointer::root(),
            "The input must be an object or a JSON string.",
        )),
    }
}

/// Optional argument: absent (`undefined`/`null`) is `None`.
fn read_optional(value: &JsValue) -> Result<Option<Value>, EngineError> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        read_input(value).map(Some)
    }
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    // Through JSON text so the JS side gets plain objects and arrays, the same bytes as natively.
    let text = serde_json::to_string(value)
        .map_err(|e| throwable(EngineError::new(Code::InputWrongType, &Pointer::root(), e.to_string())))?;
    JSON::parse(&text)
}

/// The one place an engine error becomes a JS exception.
fn throwable(error: EngineError) -> JsValue {
    let js_error = Error::new(&error.message);
    let _ = Reflect::set(&js_error, &"code".into(), &error.code.as_str().into());
    let _ = Reflect::set(&js_error, &"path".into(), &error.path.as_str().into());
    js_error.into()
}

#[wasm_bindgen(js_name = validateRecipe, skip_typescript)]
pub fn validate_recipe(recipe: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let options = read_optional(&options).map_err(throwable)?;
    let report = match read_input(&recipe) {
        Ok(recipe) => api::validate_recipe(&recipe, options.as_ref()).map_err(throwable)?,
        Err(unreadable) => api::unreadable_input_report(unreadable),
    };
    to_js(&report)
}

#[wasm_bindgen(js_name = validateDistributorConfig, skip_typescript)]
pub fn validate_distributor_config(config: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let options = read_optional(&options).map_err(throwable)?;
    let report = match read_input(&config) {
        Ok(config) => api::validate_distributor_config(&config, options.as_ref()).map_err(throwable)?,
        Err(unreadable) => api::unreadable_input_report(unreadable),
    };
    to_js(&report)
}

#[wasm_bindgen(js_name = nextRuns, skip_typescript)]
pub fn next_runs(input: JsValue) -> Result<JsValue, JsValue> {
    let input = read_input(&input).map_err(throwable)?;
    to_js(&api::next_runs(&input).map_err(throwable)?)
}

#[wasm_bindgen(skip_typescript)]
pub fn version() -> String {
    crate::VERSION.to_string()
}

#[wasm_bindgen(js_name = previewScores, skip_typescript)]
pub fn preview_scores(input: JsValue) -> Result<JsValue, JsValue> {
    let input = read_input(&input).map_err(throwable)?;
    to_js(&api::preview_scores(&input).map_err(throwable)?)
}

#[wasm_bindgen(skip_typescript)]
pub fn simulate(input: JsValue) -> Result<JsValue, JsValue> {
    let input = read_input(&input).map_err(throwable)?;
    to_js(&api::simulate(&input).map_err(throwable)?)
}

#[wasm_bindgen(skip_typescript)]
pub fn compare(input: JsValue) -> Result<JsValue, JsValue> {
    let input = read_input(&input).map_err(throwable)?;
    to_js(&api::compare(&input).map_err(throwable)?)
}
