//! The `#[wasm_bindgen]` surface and nothing else: read the JS value as JSON text, call `api`,
//! hand the result back as a plain JS object, and turn `EngineError` into a JS `Error` with
//! `code` and `path` properties. No decision about the domain is taken here.

#[cfg(target_arch = "wasm32")]
mod heap;

use js_sys::{Array, Error, Float64Array, Reflect, Uint16Array, Uint32Array, Uint8Array};
use serde::Serialize;
use serde_json::Value;
use siren_engine::{
    AllocationOut, Code, Comparison, Cycle, EngineError, EventColumns, Pointer, Preview, Simulation,
    TransactionColumns, TransactionIds,
};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("../siren_engine.d.ts");

#[wasm_bindgen(module = "/js/convert.js")]
extern "C" {
    /// `{text}` or `{problem, message, path}`; never throws (see js/convert.js).
    #[wasm_bindgen(js_name = stringifyInput)]
    fn stringify_input(value: &JsValue) -> JsValue;
    /// `{columns}` of plain data or `{problem, expected}`; never throws.
    #[wasm_bindgen(js_name = readEventColumns)]
    fn read_event_columns(value: &JsValue) -> JsValue;
    /// `{columns}` of plain data or `{problem, expected}`; never throws.
    #[wasm_bindgen(js_name = readTransactionColumns)]
    fn read_transaction_columns(value: &JsValue) -> JsValue;
    /// `JSON.parse` of UTF-8 JSON text; throws only when the text is too long for a JS string.
    #[wasm_bindgen(js_name = parseJsonBytes, catch)]
    fn parse_json_bytes(bytes: &[u8]) -> Result<JsValue, JsValue>;
    /// Puts `TakenAllocations` back into `out`; throws only when `text` is too long for a JS
    /// string.
    #[wasm_bindgen(js_name = restoreAllocations, catch)]
    fn restore_allocations(out: &JsValue, holders: &str, text: &str, lengths: &[u32]) -> Result<(), JsValue>;
}

/// A property of a plain object the JS helpers built (no user code runs on reading it).
fn own(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// A JS value as JSON text: a string is taken as JSON text; anything else goes through
/// `JSON.stringify` inside the JS helper, which refuses cycles, `BigInt`s, throwing getters and
/// Proxy traps, nesting deeper than the JS stack, and NaN/Infinity anywhere (JSON would turn them
/// into `null`, hiding what the caller passed), each as a located error.
fn input_text(value: &JsValue) -> Result<String, EngineError> {
    if value.is_undefined() || value.is_null() {
        return Err(EngineError::new(
            Code::InputMissing,
            &Pointer::root(),
            "An input is required; got undefined or null.",
        ));
    }
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    let outcome = stringify_input(value);
    if let Some(text) = own(&outcome, "text").as_string() {
        return Ok(text);
    }
    let message = own(&outcome, "message").as_string().unwrap_or_default();
    let path = own(&outcome, "path").as_string().unwrap_or_default();
    let (code, message) = match own(&outcome, "problem").as_string().as_deref() {
        Some("nonFinite") => {
            (Code::InputWrongType, "This value is NaN or Infinity, which is not a number JSON can carry.".to_string())
        }
        Some("tooDeep") => (Code::InputTooDeep, "The input nests objects or arrays too deeply to read.".to_string()),
        Some("notJson") => {
            (Code::InputWrongType, format!("The input must be an object or a JSON string, found {message}."))
        }
        _ => (Code::InputNotSerializable, format!("The input cannot be read as JSON: {message}.")),
    };
    Err(EngineError { code, path, message })
}

/// Reads a JS argument as a JSON document (see `input_text`).
fn read_input(value: &JsValue) -> Result<Value, EngineError> {
    siren_engine::parse_json(&input_text(value)?)
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
    let mut text = JsonText(Vec::new());
    serde_json::to_writer(&mut text, value)
        .map_err(|e| throwable(EngineError::new(Code::InputWrongType, &Pointer::root(), e.to_string())))?;
    // The text is valid JSON, so only its size can make JS refuse it.
    parse_json_bytes(&text.0).map_err(|_| {
        let bytes = text.0.len();
        too_large(format!(
            "The result is {bytes} bytes of JSON, more than a JS string can hold; list fewer collaborators with `top`, or simulate fewer cycles."
        ))
    })
}

/// JS refused a string of the result (V8's longest is about 512 MB).
fn too_large(message: String) -> JsValue {
    throwable(EngineError::new(Code::OutputTooLarge, &Pointer::root(), message))
}

/// A preview, simulation or comparison as a JS object: `to_js` of it without its allocation
/// lists, which cross as `TakenAllocations`.
fn output_to_js<T: Serialize>(mut output: T, take: fn(&mut T, &mut TakenAllocations)) -> Result<JsValue, JsValue> {
    let mut taken = TakenAllocations::default();
    take(&mut output, &mut taken);
    let out = to_js(&output)?;
    if !taken.lengths.is_empty() {
        // The same JSON as natively once they are back: each emptied list kept its key's place.
        restore_allocations(&out, &taken.holders, &taken.text, &taken.lengths).map_err(|_| {
            let (count, bytes) = (taken.count, taken.text.len());
            too_large(format!(
                "The result's {count} allocations are {bytes} bytes of collaborator ids and amounts, more than a JS string can hold; simulate fewer cycles."
            ))
        })?;
    }
    Ok(out)
}

fn take_from_preview(preview: &mut Preview, taken: &mut TakenAllocations) {
    taken.take("", &mut preview.allocations);
}

fn take_from_cycles(prefix: &str, cycles: &mut [Cycle], taken: &mut TakenAllocations) {
    for (i, cycle) in cycles.iter_mut().enumerate() {
        taken.take(&format!("{prefix}/cycles/{i}"), &mut cycle.allocations);
    }
}

fn take_from_simulation(simulation: &mut Simulation, taken: &mut TakenAllocations) {
    take_from_cycles("", &mut simulation.cycles, taken);
}

fn take_from_comparison(comparison: &mut Comparison, taken: &mut TakenAllocations) {
    take_from_cycles("/base", &mut comparison.base.cycles, taken);
    take_from_cycles("/variant", &mut comparison.variant.cycles, taken);
}

/// An output's allocation lists, emptied before it is serialised and rebuilt in JS by
/// `restoreAllocations` (js/convert.js) from one string: cheaper than writing thousands of
/// `{collaboratorId, amount}` objects as JSON and parsing them.
#[derive(Default)]
struct TakenAllocations {
    /// Each list's holder in the output, as a JSON Pointer; one per line.
    holders: String,
    /// Every allocation's collaborator id, then its amount.
    text: String,
    /// Per list: how many allocations it has, then each id's and amount's length in UTF-16
    /// units (what JS slices by).
    lengths: Vec<u32>,
    /// Allocations taken, in all lists.
    count: usize,
}

impl TakenAllocations {
    fn take(&mut self, holder: &str, list: &mut Vec<AllocationOut>) {
        if !self.lengths.is_empty() {
            self.holders.push('\n');
        }
        self.holders.push_str(holder);
        self.lengths.push(list.len() as u32);
        self.count += list.len();
        for allocation in list.drain(..) {
            for part in [allocation.collaborator_id, allocation.amount] {
                self.text.push_str(&part);
                let units = if part.is_ascii() { part.len() } else { part.encode_utf16().count() };
                self.lengths.push(units as u32);
            }
        }
    }
}

/// JSON text as serde_json writes it: one byte at a time for most writes (punctuation), which
/// are pushed, not copied (a `memory.copy` per write cost V8 more than the bytes).
struct JsonText(Vec<u8>);

impl std::io::Write for JsonText {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.write_all(bytes)?;
        Ok(bytes.len())
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match bytes {
            [byte] => self.0.push(*byte),
            _ => self.0.extend_from_slice(bytes),
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
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
        Ok(recipe) => siren_engine::validate_recipe(&recipe, options.as_ref()).map_err(throwable)?,
        Err(unreadable) => siren_engine::unreadable_input_report(unreadable),
    };
    to_js(&report)
}

#[wasm_bindgen(js_name = validateDistributorConfig, skip_typescript)]
pub fn validate_distributor_config(config: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let options = read_optional(&options).map_err(throwable)?;
    let report = match read_input(&config) {
        Ok(config) => siren_engine::validate_distributor_config(&config, options.as_ref()).map_err(throwable)?,
        Err(unreadable) => siren_engine::unreadable_input_report(unreadable),
    };
    to_js(&report)
}

#[wasm_bindgen(js_name = nextRuns, skip_typescript)]
pub fn next_runs(input: JsValue) -> Result<JsValue, JsValue> {
    let input = read_input(&input).map_err(throwable)?;
    to_js(&siren_engine::next_runs(&input).map_err(throwable)?)
}

#[wasm_bindgen(skip_typescript)]
pub fn version() -> String {
    siren_engine::VERSION.to_string()
}

#[wasm_bindgen(js_name = previewScores, skip_typescript)]
pub fn preview_scores(input: JsValue) -> Result<JsValue, JsValue> {
    let input = read_input(&input).map_err(throwable)?;
    output_to_js(siren_engine::preview_scores(&input).map_err(throwable)?, take_from_preview)
}

#[wasm_bindgen(skip_typescript)]
pub fn simulate(input: JsValue) -> Result<JsValue, JsValue> {
    let input = read_input(&input).map_err(throwable)?;
    output_to_js(siren_engine::simulate(&input).map_err(throwable)?, take_from_simulation)
}

#[wasm_bindgen(skip_typescript)]
pub fn compare(input: JsValue) -> Result<JsValue, JsValue> {
    let input = read_input(&input).map_err(throwable)?;
    output_to_js(siren_engine::compare(&input).map_err(throwable)?, take_from_comparison)
}

// ---------------------------------------------------------------------------------------------
// The bulk path: an `Engine` handle holding loaded events and transactions in wasm memory.
// Conversions only; `bulk::Engine` does the work.

/// A stateful handle: load events (as typed-array columns or JSON) and transactions once, then
/// preview and simulate as often as needed without passing them again.
#[wasm_bindgen(js_name = Engine, skip_typescript)]
pub struct Engine {
    bulk: siren_engine::Engine,
}

/// A string table the JS helper packed (`packStrings`: chunks of joined strings and their
/// lengths), as strings and nulls.
fn string_table(columns: &JsValue, name: &str) -> Vec<Option<String>> {
    let mut strings = Vec::new();
    for chunk in Array::from(&own(columns, name)).iter() {
        let text = own(&chunk, "text").as_string().unwrap_or_default();
        split_utf16(&text, &Uint32Array::from(own(&chunk, "lengths")).to_vec(), &mut strings);
    }
    strings
}

/// The length `packStrings` (js/convert.js) gives a null.
const NULL_LENGTH: u32 = u32::MAX;

/// Cuts `text` into strings of `lengths` UTF-16 units each (a JS string's `length`), appended to
/// `out`; `NULL_LENGTH` is a null. Lengths past the text's end give what is left (nothing).
fn split_utf16(text: &str, lengths: &[u32], out: &mut Vec<Option<String>>) {
    let ascii = text.is_ascii(); // then a unit is a byte
    out.reserve(lengths.len());
    let mut rest = text;
    for &units in lengths {
        if units == NULL_LENGTH {
            out.push(None);
            continue;
        }
        let end = if ascii {
            (units as usize).min(rest.len())
        } else {
            let (mut left, mut end) = (units as usize, 0);
            for c in rest.chars() {
                if left == 0 {
                    break;
                }
                left = left.saturating_sub(c.len_utf16());
                end += c.len_utf8();
            }
            end
        };
        let (item, tail) = rest.split_at_checked(end).unwrap_or((rest, ""));
        out.push(Some(item.to_string()));
        rest = tail;
    }
}

/// The plain copy a JS column reader made (`{columns}`), or its `{problem, expected}` as a JS
/// `Error` at `/<what>/<column>`.
fn copied_columns(read: JsValue, what: &str) -> Result<JsValue, JsValue> {
    let Some(field) = own(&read, "problem").as_string() else { return Ok(own(&read, "columns")) };
    let expected = own(&read, "expected").as_string().unwrap_or_default();
    let path = if field.is_empty() { Pointer::root().key(what) } else { Pointer::root().key(what).key(&field) };
    let subject = if field.is_empty() { "The columns".to_string() } else { format!("`{field}`") };
    Err(throwable(EngineError::new(Code::InputWrongType, &path, format!("{subject} must be {expected}."))))
}

/// A column the JS helper copied, when it was given.
fn given(columns: &JsValue, name: &str) -> Option<JsValue> {
    Some(own(columns, name)).filter(|value| !value.is_undefined())
}

/// A string table the JS helper packed, as plain strings.
fn names_table(columns: &JsValue, name: &str) -> Vec<String> {
    string_table(columns, name).into_iter().map(Option::unwrap_or_default).collect()
}

/// `transactionIds` as the JS helper copied it: a typed array of numbers as is, else packed.
fn transaction_ids(columns: &JsValue) -> TransactionIds {
    let ids = own(columns, "transactionIds");
    match (ids.dyn_ref::<Float64Array>(), ids.dyn_ref::<Uint32Array>()) {
        (Some(numbers), _) => TransactionIds::Numbers(numbers.to_vec()),
        (None, Some(numbers)) => TransactionIds::Numbers(numbers.to_vec().into_iter().map(f64::from).collect()),
        (None, None) => TransactionIds::Text(names_table(columns, "transactionIds")),
    }
}

/// A list-of-lists column the JS helper copied (arrays of strings; nulls became empty lists).
fn string_lists(columns: &JsValue, name: &str) -> Option<Vec<Vec<String>>> {
    given(columns, name).map(|lists| {
        Array::from(&lists)
            .iter()
            .map(|list| Array::from(&list).iter().filter_map(|item| item.as_string()).collect())
            .collect()
    })
}

/// Bytes of JSON: a `Uint8Array` as is, anything else as `read_input` reads it.
fn json_bytes(value: &JsValue) -> Result<Vec<u8>, EngineError> {
    // `isView` is false for a Proxy, whose traps could throw inside the copy.
    match value.dyn_ref::<Uint8Array>().filter(|_| js_sys::ArrayBuffer::is_view(value)) {
        Some(bytes) => Ok(bytes.to_vec()),
        None => input_text(value).map(String::into_bytes),
    }
}

#[wasm_bindgen(js_class = Engine)]
impl Engine {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Engine {
        Engine { bulk: siren_engine::Engine::new() }
    }

    /// `{collaboratorIndex: Uint32Array, typeIndex: Uint16Array, occurredAtMs: Float64Array,
    /// points?: Float64Array, collaboratorIds: string[], typeNames: string[],
    /// eventIds?: (string | null)[]}`
    #[wasm_bindgen(js_name = loadEventsColumns)]
    pub fn load_events_columns(&mut self, columns: JsValue) -> Result<(), JsValue> {
        let columns = copied_columns(read_event_columns(&columns), "events")?;
        let typed = |name: &str| own(&columns, name);
        let points = given(&columns, "points").map(|points| Float64Array::from(points).to_vec());
        let event_ids = given(&columns, "eventIds").map(|_| string_table(&columns, "eventIds"));
        let names = |name: &str| names_table(&columns, name);
        // One copy of each typed array into wasm memory: the bulk engine keeps these vectors.
        self.bulk
            .load_event_columns(EventColumns {
                collaborator_index: Uint32Array::from(typed("collaboratorIndex")).to_vec(),
                type_index: Uint16Array::from(typed("typeIndex")).to_vec(),
                occurred_at_ms: Float64Array::from(typed("occurredAtMs")).to_vec(),
                points,
                collaborator_ids: names("collaboratorIds"),
                type_names: names("typeNames"),
                event_ids,
            })
            .map_err(throwable)
    }

    /// Events as the object path takes them: an array of event objects, its JSON text, or
    /// that text as UTF-8 bytes (`Uint8Array`).
    #[wasm_bindgen(js_name = loadEvents)]
    pub fn load_events(&mut self, events: JsValue) -> Result<(), JsValue> {
        let bytes = json_bytes(&events).map_err(throwable)?;
        self.bulk.load_events_json(&bytes).map_err(throwable)
    }

    /// Transactions as typed-array columns (see `TransactionColumns` in the d.ts).
    #[wasm_bindgen(js_name = loadTransactionsColumns)]
    pub fn load_transactions_columns(&mut self, columns: JsValue) -> Result<(), JsValue> {
        let columns = copied_columns(read_transaction_columns(&columns), "transactions")?;
        let f64s = |name: &str| given(&columns, name).map(|v| Float64Array::from(v).to_vec());
        let u32s = |name: &str| given(&columns, name).map(|v| Uint32Array::from(v).to_vec());
        let u8s = |name: &str| given(&columns, name).map(|v| Uint8Array::from(v).to_vec());
        let strings = |name: &str| given(&columns, name).map(|_| string_table(&columns, name));
        let names = |name: &str| given(&columns, name).map(|_| names_table(&columns, name));
        self.bulk
            .load_transaction_columns(TransactionColumns {
                transaction_ids: transaction_ids(&columns),
                occurred_at_ms: f64s("occurredAtMs").unwrap_or_default(),
                status_index: u8s("statusIndex"),
                status_names: names("statusNames"),
                currencies: strings("currencies"),
                total: f64s("total"),
                amount_scale: own(&columns, "amountScale").as_f64().unwrap_or_default() as u32,
                line_transaction_index: u32s("lineTransactionIndex").unwrap_or_default(),
                line_type_index: u8s("lineTypeIndex").unwrap_or_default(),
                line_type_names: names("lineTypeNames"),
                line_amount: f64s("lineAmount").unwrap_or_default(),
                line_quantity: u32s("lineQuantity"),
                line_skus: strings("lineSkus"),
                line_categories: string_lists(&columns, "lineCategories"),
                line_owner_collaborator_ids: string_lists(&columns, "lineOwnerCollaboratorIds"),
                refund_transaction_index: u32s("refundTransactionIndex").unwrap_or_default(),
                refund_occurred_at_ms: f64s("refundOccurredAtMs").unwrap_or_default(),
                refund_amount: f64s("refundAmount"),
            })
            .map_err(throwable)
    }

    /// Transactions as the object path takes them: an array, its JSON text, or UTF-8 bytes.
    #[wasm_bindgen(js_name = loadTransactions)]
    pub fn load_transactions(&mut self, transactions: JsValue) -> Result<(), JsValue> {
        let bytes = json_bytes(&transactions).map_err(throwable)?;
        self.bulk.load_transactions_json(&bytes).map_err(throwable)
    }

    #[wasm_bindgen(getter, js_name = eventCount)]
    pub fn event_count(&self) -> usize {
        self.bulk.event_count()
    }

    #[wasm_bindgen(getter, js_name = transactionCount)]
    pub fn transaction_count(&self) -> usize {
        self.bulk.transaction_count()
    }

    /// `previewScores` over the loaded records (the input has no `events`/`transactions`).
    pub fn preview(&self, input: JsValue) -> Result<JsValue, JsValue> {
        let input = read_input(&input).map_err(throwable)?;
        output_to_js(self.bulk.preview(&input).map_err(throwable)?, take_from_preview)
    }

    /// `simulate` over the loaded records (the input has no `events`/`transactions`).
    pub fn simulate(&self, input: JsValue) -> Result<JsValue, JsValue> {
        let input = read_input(&input).map_err(throwable)?;
        output_to_js(self.bulk.simulate(&input).map_err(throwable)?, take_from_simulation)
    }

    /// `compare` over the loaded records (`base` has no `events`/`transactions`).
    pub fn compare(&self, input: JsValue) -> Result<JsValue, JsValue> {
        let input = read_input(&input).map_err(throwable)?;
        output_to_js(self.bulk.compare(&input).map_err(throwable)?, take_from_comparison)
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}
