//! The `#[wasm_bindgen]` surface and nothing else: read the JS value as JSON text, call `api`,
//! hand the result back as a plain JS object, and turn `EngineError` into a JS `Error` with
//! `code` and `path` properties. No decision about the domain is taken here.

use crate::api;
use crate::dataset::{Dataset, EventColumns};
use crate::diagnostics::{Code, EngineError, Pointer};
use js_sys::{Array, Error, Float64Array, Reflect, Uint16Array, Uint32Array, Uint8Array, JSON};
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

// ---------------------------------------------------------------------------------------------
// The bulk path: an `Engine` handle holding loaded events and transactions in wasm memory.
// Conversions only; `dataset::Dataset` does the work.

/// A stateful handle: load events (as typed-array columns or JSON) and transactions once, then
/// preview and simulate as often as needed without passing them again.
#[wasm_bindgen(js_name = Engine, skip_typescript)]
pub struct Engine {
    dataset: Dataset,
}

fn column_error(field: &str, what: &str) -> EngineError {
    EngineError::new(
        Code::InputWrongType,
        &Pointer::root().key("events").key(field),
        format!("`{field}` must be {what}."),
    )
}

fn field(object: &JsValue, name: &str) -> Result<JsValue, EngineError> {
    Reflect::get(object, &name.into()).map_err(|_| column_error(name, "readable"))
}

fn absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

fn strings(value: JsValue, name: &str) -> Result<Vec<String>, EngineError> {
    let array = value.dyn_into::<Array>().map_err(|_| column_error(name, "an array of strings"))?;
    array.iter().map(|item| item.as_string().ok_or_else(|| column_error(name, "an array of strings"))).collect()
}

/// Bytes of JSON: a `Uint8Array` as is, a string as its UTF-8, anything else through
/// `JSON.stringify` (as every other function reads its input).
fn json_bytes(value: &JsValue) -> Result<Vec<u8>, EngineError> {
    if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        return Ok(bytes.to_vec());
    }
    if let Some(text) = value.as_string() {
        return Ok(text.into_bytes());
    }
    if absent(value) {
        return Err(EngineError::new(
            Code::InputMissing,
            &Pointer::root(),
            "An input is required; got undefined or null.",
        ));
    }
    let text = JSON::stringify(value).ok().and_then(|t| t.as_string()).ok_or_else(|| {
        EngineError::new(Code::InputNotSerializable, &Pointer::root(), "The input cannot be read as JSON.")
    })?;
    Ok(text.into_bytes())
}

#[wasm_bindgen(js_class = Engine)]
impl Engine {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Engine {
        Engine { dataset: Dataset::new() }
    }

    /// `{collaboratorIndex: Uint32Array, typeIndex: Uint16Array, occurredAtMs: Float64Array,
    /// points?: Float64Array, collaboratorIds: string[], typeNames: string[],
    /// eventIds?: (string | null)[]}`
    #[wasm_bindgen(js_name = loadEventsColumns)]
    pub fn load_events_columns(&mut self, columns: JsValue) -> Result<(), JsValue> {
        let mut read = || -> Result<(), EngineError> {
            if !columns.is_object() {
                return Err(EngineError::new(
                    Code::InputWrongType,
                    &Pointer::root().key("events"),
                    "The columns must be an object of typed arrays.",
                ));
            }
            let collaborator_index = field(&columns, "collaboratorIndex")?
                .dyn_into::<Uint32Array>()
                .map_err(|_| column_error("collaboratorIndex", "a Uint32Array"))?
                .to_vec();
            let type_index = field(&columns, "typeIndex")?
                .dyn_into::<Uint16Array>()
                .map_err(|_| column_error("typeIndex", "a Uint16Array"))?
                .to_vec();
            let occurred_at_ms = field(&columns, "occurredAtMs")?
                .dyn_into::<Float64Array>()
                .map_err(|_| column_error("occurredAtMs", "a Float64Array"))?
                .to_vec();
            let points = field(&columns, "points")?;
            let points = if absent(&points) {
                None
            } else {
                Some(points.dyn_into::<Float64Array>().map_err(|_| column_error("points", "a Float64Array"))?.to_vec())
            };
            let collaborator_ids = strings(field(&columns, "collaboratorIds")?, "collaboratorIds")?;
            let type_names = strings(field(&columns, "typeNames")?, "typeNames")?;
            let event_ids = field(&columns, "eventIds")?;
            let event_ids = if absent(&event_ids) {
                None
            } else {
                let array = event_ids
                    .dyn_into::<Array>()
                    .map_err(|_| column_error("eventIds", "an array of strings or nulls"))?;
                Some(
                    array
                        .iter()
                        .map(|id| match id.as_string() {
                            Some(id) => Ok(Some(id)),
                            None if absent(&id) => Ok(None),
                            None => Err(column_error("eventIds", "an array of strings or nulls")),
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                )
            };
            self.dataset.load_event_columns(EventColumns {
                collaborator_index: &collaborator_index,
                type_index: &type_index,
                occurred_at_ms: &occurred_at_ms,
                points: points.as_deref(),
                collaborator_ids: &collaborator_ids,
                type_names: &type_names,
                event_ids: event_ids.as_deref(),
            })
        };
        read().map_err(throwable)
    }

    /// Events as the object path takes them: an array of event objects, its JSON text, or
    /// that text as UTF-8 bytes (`Uint8Array`).
    #[wasm_bindgen(js_name = loadEvents)]
    pub fn load_events(&mut self, events: JsValue) -> Result<(), JsValue> {
        let bytes = json_bytes(&events).map_err(throwable)?;
        self.dataset.load_events_json(&bytes).map_err(throwable)
    }

    /// Transactions as the object path takes them: an array, its JSON text, or UTF-8 bytes.
    #[wasm_bindgen(js_name = loadTransactions)]
    pub fn load_transactions(&mut self, transactions: JsValue) -> Result<(), JsValue> {
        let bytes = json_bytes(&transactions).map_err(throwable)?;
        self.dataset.load_transactions_json(&bytes).map_err(throwable)
    }

    #[wasm_bindgen(getter, js_name = eventCount)]
    pub fn event_count(&self) -> usize {
        self.dataset.event_count()
    }

    #[wasm_bindgen(getter, js_name = transactionCount)]
    pub fn transaction_count(&self) -> usize {
        self.dataset.transaction_count()
    }

    /// `previewScores` over the loaded records (the input has no `events`/`transactions`).
    pub fn preview(&self, input: JsValue) -> Result<JsValue, JsValue> {
        let input = read_input(&input).map_err(throwable)?;
        to_js(&self.dataset.preview(&input).map_err(throwable)?)
    }

    /// `simulate` over the loaded records (the input has no `events`/`transactions`).
    pub fn simulate(&self, input: JsValue) -> Result<JsValue, JsValue> {
        let input = read_input(&input).map_err(throwable)?;
        to_js(&self.dataset.simulate(&input).map_err(throwable)?)
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}
