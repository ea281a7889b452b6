//! The `#[wasm_bindgen]` surface and nothing else: read the JS value as JSON text, call `api`,
//! hand the result back as a plain JS object, and turn `EngineError` into a JS `Error` with
//! `code` and `path` properties. No decision about the domain is taken here.
//!
//! Invariant: no JS exception crosses these wasm frames. One that did would skip their epilogues
//! (the shadow stack pointer, wasm-bindgen's borrow of the `Engine`, the call's allocations would
//! stay as they were, for good), so every export first checks that the JS stack has room for the
//! whole call (`entered`), every JS value is read by js/convert.js inside try/catch, and a typed
//! array is copied only once the JS side has checked it (`copyColumn` cannot throw). What runs
//! before that check (wasm-bindgen's glue and the first frames of its export) is exposed only at
//! the very limit of the stack, which the package's check in JS ahead of the glue covers
//! (`needStack` in npm/guards.mjs; docs/security.md).

#[cfg(target_arch = "wasm32")]
mod heap;
mod taken;

use js_sys::{Array, Error, Reflect};
use serde::Serialize;
use serde_json::Value;
use siren_engine::{
    limits, Code, Comparison, Cycle, EngineError, EventColumns, Pointer, Preview, Simulation, TransactionColumns,
    TransactionIds,
};
use std::cell::{Cell, RefCell};
use taken::Taken;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("../siren_engine.d.ts");

#[wasm_bindgen(module = "/js/convert.js")]
extern "C" {
    /// `None` when the JS stack has room for a whole call, else the `Error`
    /// (`resources.stackExhausted`) to throw; never throws once entered (see js/convert.js).
    /// (An `Option` of an imported type: the glue tests for `undefined`, so no other import is
    /// called with the stack this short.)
    #[wasm_bindgen(js_name = stackCheck)]
    fn stack_check() -> Option<Error>;
    /// `{text}` or `{problem, message, path}`; never throws.
    #[wasm_bindgen(js_name = inputText)]
    fn input_text_of(value: &JsValue) -> JsValue;
    /// `{length}` of a readable `Uint8Array`, `{detached: true}`, or `{}`; never throws.
    #[wasm_bindgen(js_name = bytesOf)]
    fn bytes_of(value: &JsValue) -> JsValue;
    /// Copies a typed array the JS side checked into `target`; false (never a throw) when it can
    /// no longer be read in full.
    #[wasm_bindgen(js_name = copyColumn)]
    fn copy_u32(target: &mut [u32], source: &JsValue) -> bool;
    #[wasm_bindgen(js_name = copyColumn)]
    fn copy_u16(target: &mut [u16], source: &JsValue) -> bool;
    #[wasm_bindgen(js_name = copyColumn)]
    fn copy_u8(target: &mut [u8], source: &JsValue) -> bool;
    #[wasm_bindgen(js_name = copyColumn)]
    fn copy_f64(target: &mut [f64], source: &JsValue) -> bool;
    /// `{columns}` of plain data and checked typed arrays, or `{problem, ...}`; never throws.
    #[wasm_bindgen(js_name = readEventColumns)]
    fn read_event_columns(value: &JsValue) -> JsValue;
    /// `{columns}` of the string tables of staged events, or `{problem, ...}`; never throws.
    #[wasm_bindgen(js_name = readEventTables)]
    fn read_event_tables(value: &JsValue) -> JsValue;
    /// `{collaboratorIndex, typeIndex, occurredAtMs, points?}`: typed arrays over `memory` at
    /// these byte offsets (points: none when negative), or undefined; never throws.
    #[wasm_bindgen(js_name = stagedViews)]
    fn staged_views(
        memory: &JsValue,
        count: u32,
        collaborators: u32,
        types: u32,
        instants: u32,
        points: f64,
    ) -> JsValue;
    /// Detaches every typed array over `memory` (a grow by 0 pages); never throws.
    #[wasm_bindgen(js_name = detachViews)]
    fn detach_views(memory: &JsValue);
    /// `{columns}` of plain data and checked typed arrays, or `{problem, ...}`; never throws.
    #[wasm_bindgen(js_name = readTransactionColumns)]
    fn read_transaction_columns(value: &JsValue) -> JsValue;
    /// `{rest, events, transactions, units}`: an input's records read into columns, or undefined
    /// (then its JSON text is read); never throws.
    #[wasm_bindgen(js_name = objectColumns)]
    fn object_columns_of(value: &JsValue, within: &JsValue) -> JsValue;
    /// `JSON.parse` of UTF-8 JSON text; throws only when the text is too long for a JS string.
    #[wasm_bindgen(js_name = parseJsonBytes, catch)]
    fn parse_json_bytes(bytes: &[u8]) -> Result<JsValue, JsValue>;
    /// Puts `Taken` lists back into `out`; throws only when `text` is too long for a JS string.
    #[wasm_bindgen(js_name = restoreLists, catch)]
    fn restore_lists(out: &JsValue, holders: &str, text: &str, lengths: &[u32], numbers: &[f64])
        -> Result<(), JsValue>;
}

/// What every export runs: `body` once the JS stack has room for the whole call, else a coded
/// `Error` (`resources.stackExhausted`), so that nothing deeper can run out of stack half way.
/// `body` runs out of line, so that its frame is taken from the shadow stack only after the
/// check: the check itself can fail only where the caller left no room even for it.
#[inline(always)]
fn entered<R>(body: impl FnOnce() -> Result<R, JsValue>) -> Result<R, JsValue> {
    match stack_check() {
        None => out_of_line(body),
        Some(error) => Err(error.into()),
    }
}

#[inline(never)]
fn out_of_line<R>(body: impl FnOnce() -> Result<R, JsValue>) -> Result<R, JsValue> {
    #[cfg(target_arch = "wasm32")]
    limits::set_memory_probe(memory_left);
    body()
}

/// What is left of the instance's memory budget (`limits::MEMORY_BUDGET`), by the allocator's
/// count of the bytes in use.
#[cfg(target_arch = "wasm32")]
fn memory_left() -> usize {
    limits::MEMORY_BUDGET.saturating_sub(heap::in_use())
}

/// `[bytes in use, their peak since the last call, bytes of linear memory]`: for measuring the
/// factors of `limits` (bench/memory.mjs, docs/decisions.md) and for tests; not part of the API.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen(js_name = "__memory", skip_typescript)]
pub fn memory_stats() -> Vec<f64> {
    let pages = core::arch::wasm32::memory_size(0) as f64;
    vec![heap::in_use() as f64, heap::take_peak() as f64, pages * 65536.0]
}

/// `resources.outOfMemory` (at `path`) unless `bound` bytes fit in what is left of the budget.
fn fits(bound: usize, path: &Pointer) -> Result<(), JsValue> {
    limits::check_memory(bound, path).map_err(throwable)
}

/// A property of a plain object the JS helpers built (no user code runs on reading it).
fn own(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// A JS value as JSON text: a string is taken as JSON text; anything else goes through
/// `JSON.stringify` inside the JS helper, which refuses cycles, `BigInt`s, throwing getters and
/// Proxy traps, nesting deeper than the limit, and NaN/Infinity anywhere (JSON would turn them
/// into `null`, hiding what the caller passed), each as a located error. Text longer than the
/// engine reads is refused before it is copied.
fn input_text(value: &JsValue, bound: fn(usize) -> usize) -> Result<String, EngineError> {
    if value.is_undefined() || value.is_null() {
        return Err(EngineError::new(
            Code::InputMissing,
            &Pointer::root(),
            "An input is required; got undefined or null.",
        ));
    }
    let outcome = input_text_of(value);
    let text = own(&outcome, "text");
    if let Some(units) = text.dyn_ref::<js_sys::JsString>().map(js_sys::JsString::length) {
        // Checked before the text is copied into wasm memory.
        limits::check_memory(bound(units as usize), &Pointer::root())?;
    }
    if let Some(text) = text.as_string() {
        return Ok(text);
    }
    let message = own(&outcome, "message").as_string().unwrap_or_default();
    let path = own(&outcome, "path").as_string().unwrap_or_default();
    let (code, message) = match own(&outcome, "problem").as_string().as_deref() {
        Some("nonFinite") => {
            (Code::InputWrongType, "This value is NaN or Infinity, which is not a number JSON can carry.".to_string())
        }
        Some("tooDeep") => (
            Code::InputTooDeep,
            format!("The input nests arrays and objects deeper than {} levels.", limits::MAX_DEPTH),
        ),
        Some("tooLarge") => (
            Code::InputTooLarge,
            format!(
                "The input's JSON text is longer than the limit of {} bytes (or than a JS string can hold).",
                limits::MAX_INPUT_BYTES
            ),
        ),
        Some("notJson") => {
            (Code::InputWrongType, format!("The input must be an object or a JSON string, found {message}."))
        }
        Some("loneSurrogate") => (Code::InputLoneSurrogate, LONE_SURROGATE.to_string()),
        _ => (Code::InputNotSerializable, format!("The input cannot be read as JSON: {message}.")),
    };
    Err(EngineError { code, path, message })
}

/// A JS argument as JSON text (see `input_text`) that fits in memory to be read.
fn input_json(value: &JsValue) -> Result<String, EngineError> {
    let text = input_text(value, limits::text_copy_bound)?;
    limits::check_json_call(&text, &Pointer::root())?;
    Ok(text)
}

/// Reads a JS argument as a JSON document (see `input_text`).
fn read_input(value: &JsValue) -> Result<Value, EngineError> {
    siren_engine::parse_json(&input_json(value)?)
}

/// A report of the validators, unless the input did not fit in memory: then thrown, as every
/// other call's.
fn unreadable_report(unreadable: EngineError) -> Result<JsValue, JsValue> {
    if unreadable.code == Code::ResourcesOutOfMemory {
        return Err(throwable(unreadable));
    }
    to_js(&siren_engine::unreadable_input_report(unreadable))
}

/// Optional argument: absent (`undefined`/`null`) is `None`.
fn read_optional(value: &JsValue) -> Result<Option<Value>, EngineError> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        read_input(value).map(Some)
    }
}

/// An input's records read into columns by `objectColumns` (in `within`: `compare`'s `base`)
/// and loaded, with the rest of the input; `None` when they were left to the input's JSON text,
/// would not fit in memory, or do not load (that text's path then says why).
fn with_record_columns(input: &JsValue, within: Option<&str>) -> Option<(siren_engine::Engine, Value)> {
    let read = object_columns_of(input, &within.map_or(JsValue::UNDEFINED, JsValue::from_str));
    if read.is_undefined() {
        return None;
    }
    let units = own(&read, "units").as_f64()? as usize;
    limits::check_memory(limits::text_copy_bound(units), &Pointer::root()).ok()?;
    let (ev, tx) = (own(&read, "events"), own(&read, "transactions"));
    let strings = |columns: &JsValue, name: &str| string_table(columns, "records", name).ok();
    let names = |columns: &JsValue, name: &str| names_table(columns, "records", name).ok();
    let optional = |columns: &JsValue, name: &str| match given(columns, name) {
        Some(_) => strings(columns, name).map(Some),
        None => Some(None),
    };
    let u32s = |columns: &JsValue, name: &str| own(columns, name).unchecked_into::<js_sys::Uint32Array>().to_vec();
    let u8s = |columns: &JsValue, name: &str| own(columns, name).unchecked_into::<js_sys::Uint8Array>().to_vec();
    let floats = |column: JsValue| column.unchecked_into::<js_sys::Float64Array>().to_vec();
    let f64s = |columns: &JsValue, name: &str| floats(own(columns, name));
    // Instants the JS read as milliseconds (`name` + "Ms"), else their texts for the core's reader.
    let instants = |columns: &JsValue, name: &str| match given(columns, &format!("{name}Ms")) {
        Some(ms) => Some(floats(ms)),
        None => siren_engine::instants_ms(&strings(columns, name)?),
    };
    let events = EventColumns {
        collaborator_index: u32s(&ev, "collaboratorIndex"),
        type_index: own(&ev, "typeIndex").unchecked_into::<js_sys::Uint16Array>().to_vec(),
        occurred_at_ms: instants(&ev, "occurredAt")?,
        points: given(&ev, "points").map(floats),
        collaborator_ids: names(&ev, "collaboratorIds")?,
        type_names: names(&ev, "typeNames")?,
        event_ids: optional(&ev, "eventIds")?,
    };
    // Amounts the JS scaled (with their `amountScale`), else their texts for the core's reader.
    let ([total, line_amount, refund_amount], amount_scale) = match own(&tx, "amountScale").as_f64() {
        Some(scale) => (["total", "lineAmount", "refundAmount"].map(|name| f64s(&tx, name)), scale as u32),
        None => {
            let (total, lines, refunds) =
                (strings(&tx, "total")?, strings(&tx, "lineAmount")?, strings(&tx, "refundAmount")?);
            siren_engine::scaled_amounts([&total, &lines, &refunds])?
        }
    };
    let transactions = TransactionColumns {
        transaction_ids: TransactionIds::Text(names(&tx, "transactionIds")?),
        occurred_at_ms: instants(&tx, "occurredAt")?,
        status_index: Some(u8s(&tx, "statusIndex")),
        status_names: None,
        currencies: optional(&tx, "currencies")?,
        total: Some(total),
        amount_scale,
        line_transaction_index: u32s(&tx, "lineTransactionIndex"),
        line_type_index: u8s(&tx, "lineTypeIndex"),
        line_type_names: None,
        line_amount,
        line_quantity: Some(u32s(&tx, "lineQuantity")),
        line_skus: optional(&tx, "lineSkus")?,
        line_categories: string_lists(&tx, "records", "lineCategories").ok()?,
        line_owner_collaborator_ids: string_lists(&tx, "records", "lineOwnerCollaboratorIds").ok()?,
        refund_transaction_index: u32s(&tx, "refundTransactionIndex"),
        refund_occurred_at_ms: instants(&tx, "refundOccurredAt")?,
        refund_amount: Some(refund_amount),
    };
    siren_engine::with_record_columns(&own(&read, "rest").as_string()?, events, transactions)
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    // Through JSON text so the JS side gets plain objects and arrays, the same bytes as natively.
    let mut text = JsonText(Vec::new());
    serde_json::to_writer(&mut text, value).map_err(|e| {
        let code = if e.is_io() { Code::ResourcesOutOfMemory } else { Code::InputWrongType };
        throwable(EngineError::new(code, &Pointer::root(), e.to_string()))
    })?;
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

/// A preview, simulation or comparison as a JS object: `to_js` of it without its long lists,
/// which cross as `Taken` (taken.rs).
fn output_to_js<T: Serialize>(
    mut output: T,
    take: fn(&mut T, &mut Taken) -> Result<(), EngineError>,
) -> Result<JsValue, JsValue> {
    let mut taken = Taken::default();
    take(&mut output, &mut taken).map_err(throwable)?;
    let out = to_js(&output)?;
    if !taken.is_empty() {
        // The same JSON as natively once they are back: each emptied list kept its key's place.
        restore_lists(&out, &taken.holders, &taken.text, &taken.lengths, &taken.numbers).map_err(|_| {
            too_large(format!(
                "The result's leaderboards, explanations and allocations are {} bytes of text, more than a JS string can hold; list fewer collaborators with `top`, or simulate fewer cycles.",
                taken.text.len()
            ))
        })?;
    }
    Ok(out)
}

fn take_from_preview(preview: &mut Preview, taken: &mut Taken) -> Result<(), EngineError> {
    taken.leaderboard("", &mut preview.leaderboard)?;
    taken.allocations("", &mut preview.allocations)?;
    taken.scoring("/explanation/scoring", &mut preview.explanation.scoring.collaborators)?;
    taken.shares("/explanation/allocation", &mut preview.explanation.allocation.shares)
}

fn take_from_cycles(prefix: &str, cycles: &mut [Cycle], taken: &mut Taken) -> Result<(), EngineError> {
    for (i, cycle) in cycles.iter_mut().enumerate() {
        let holder = format!("{prefix}/cycles/{i}");
        taken.leaderboard(&holder, &mut cycle.leaderboard)?;
        taken.allocations(&holder, &mut cycle.allocations)?;
        taken.scoring(&format!("{holder}/explanation/scoring"), &mut cycle.explanation.scoring.collaborators)?;
        taken.shares(&format!("{holder}/explanation/allocation"), &mut cycle.explanation.allocation.shares)?;
    }
    Ok(())
}

fn take_from_simulation(simulation: &mut Simulation, taken: &mut Taken) -> Result<(), EngineError> {
    take_from_cycles("", &mut simulation.cycles, taken)
}

fn take_from_comparison(comparison: &mut Comparison, taken: &mut Taken) -> Result<(), EngineError> {
    take_from_cycles("/base", &mut comparison.base.cycles, taken)?;
    take_from_cycles("/variant", &mut comparison.variant.cycles, taken)
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
        if self.0.capacity() - self.0.len() < bytes.len() {
            // Growing (doubling at most): refused, not trapped on, when memory is short.
            let more = self.0.capacity().max(bytes.len()).max(64);
            if limits::check_memory(more, &Pointer::root()).is_err() || self.0.try_reserve(more).is_err() {
                return Err(std::io::Error::other(format!(
                    "The result's JSON text has reached {} bytes and does not fit in what is left of the wasm memory; list fewer collaborators with `top`, simulate fewer cycles, or free other Engines (engine.free()).",
                    self.0.len()
                )));
            }
        }
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
    entered(move || {
        let options = read_optional(&options).map_err(throwable)?;
        let report = match read_input(&recipe) {
            Ok(recipe) => siren_engine::validate_recipe(&recipe, options.as_ref()).map_err(throwable)?,
            Err(unreadable) => return unreadable_report(unreadable),
        };
        to_js(&report)
    })
}

#[wasm_bindgen(js_name = validateDistributorConfig, skip_typescript)]
pub fn validate_distributor_config(config: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    entered(move || {
        let options = read_optional(&options).map_err(throwable)?;
        let report = match read_input(&config) {
            Ok(config) => siren_engine::validate_distributor_config(&config, options.as_ref()).map_err(throwable)?,
            Err(unreadable) => return unreadable_report(unreadable),
        };
        to_js(&report)
    })
}

#[wasm_bindgen(js_name = nextRuns, skip_typescript)]
pub fn next_runs(input: JsValue) -> Result<JsValue, JsValue> {
    entered(move || {
        let input = read_input(&input).map_err(throwable)?;
        to_js(&siren_engine::next_runs(&input).map_err(throwable)?)
    })
}

/// The engine's version, as a JS string.
#[wasm_bindgen(skip_typescript)]
pub fn version() -> Result<JsValue, JsValue> {
    entered(move || Ok(JsValue::from_str(siren_engine::VERSION)))
}

#[wasm_bindgen(js_name = previewScores, skip_typescript)]
pub fn preview_scores(input: JsValue) -> Result<JsValue, JsValue> {
    entered(move || {
        if let Some(output) = with_record_columns(&input, None).and_then(|(engine, rest)| engine.preview(&rest).ok()) {
            return output_to_js(output, take_from_preview);
        }
        let text = input_json(&input).map_err(throwable)?;
        output_to_js(siren_engine::preview_scores_text(&text).map_err(throwable)?, take_from_preview)
    })
}

#[wasm_bindgen(skip_typescript)]
pub fn simulate(input: JsValue) -> Result<JsValue, JsValue> {
    entered(move || {
        if let Some(output) = with_record_columns(&input, None).and_then(|(engine, rest)| engine.simulate(&rest).ok()) {
            return output_to_js(output, take_from_simulation);
        }
        let text = input_json(&input).map_err(throwable)?;
        output_to_js(siren_engine::simulate_text(&text).map_err(throwable)?, take_from_simulation)
    })
}

#[wasm_bindgen(skip_typescript)]
pub fn compare(input: JsValue) -> Result<JsValue, JsValue> {
    entered(move || {
        if let Some(output) =
            with_record_columns(&input, Some("base")).and_then(|(engine, rest)| engine.compare(&rest).ok())
        {
            return output_to_js(output, take_from_comparison);
        }
        let text = input_json(&input).map_err(throwable)?;
        output_to_js(siren_engine::compare_text(&text).map_err(throwable)?, take_from_comparison)
    })
}

// ---------------------------------------------------------------------------------------------
// The bulk path: an `Engine` handle holding loaded events and transactions in wasm memory.
// Conversions only; `bulk::Engine` does the work.

/// A stateful handle: load events (as typed-array columns or JSON) and transactions once, then
/// preview and simulate as often as needed without passing them again.
///
/// Every method takes `&self` (wasm-bindgen's shared borrow), and `bulk` is borrowed only while
/// no JS runs: a getter or Proxy trap of an input may call this `Engine` again (the inner call
/// runs before the outer one touches `bulk`), and nothing is left borrowed by a failed call.
#[wasm_bindgen(js_name = Engine, skip_typescript)]
pub struct Engine {
    /// Boxed, so that an `Engine` is a few words (the constructor's return slot is taken from
    /// the shadow stack before its stack check).
    bulk: RefCell<Box<siren_engine::Engine>>,
    /// The loaded events and transactions, for the getters, which then call nothing.
    counts: Cell<(usize, usize)>,
    /// Event columns handed out by `stageEvents`, until `loadStagedEvents` loads them.
    staged: RefCell<Option<StagedEvents>>,
}

/// Event columns the caller fills in place, through typed arrays over wasm memory: loaded then
/// without a copy (what `loadEventsColumns` makes of its arrays). All bit patterns are valid for
/// these element types, and nothing in Rust holds a reference to them while JS writes.
struct StagedEvents {
    collaborator_index: Vec<u32>,
    type_index: Vec<u16>,
    occurred_at_ms: Vec<f64>,
    points: Option<Vec<f64>>,
    /// When they were handed out: linear memory's size and `DETACHED` views. Had either changed
    /// since, the caller's views were detached, and what was written to them after lost.
    memory_pages: usize,
    detached: u32,
}

/// How many times every view of wasm memory was detached by the engine (`detach_all_views`).
static DETACHED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// Detaches every typed array over wasm memory, counted (`StagedEvents::detached`).
fn detach_all_views() {
    DETACHED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    detach_views(&wasm_bindgen::memory());
}

fn detached_count() -> u32 {
    DETACHED.load(std::sync::atomic::Ordering::Relaxed)
}

/// Linear memory's size in pages (what detaches views over it when it changes).
fn memory_pages() -> usize {
    #[cfg(target_arch = "wasm32")]
    return core::arch::wasm32::memory_size(0);
    #[cfg(not(target_arch = "wasm32"))]
    0
}

/// The most entries a column is read with (js/convert.js `MAX_ROWS`): the largest table limit.
const MAX_ROWS: usize =
    if limits::MAX_BULK_EVENTS > limits::MAX_BULK_LINES { limits::MAX_BULK_EVENTS } else { limits::MAX_BULK_LINES };

/// The most strings in one packed chunk (js/convert.js `PACK_CHUNK`).
const PACK_CHUNK: usize = 4096;

/// A string table the JS helper packed (`packStrings`: chunks of joined strings and their
/// lengths), as strings and nulls.
fn string_table(columns: &JsValue, what: &str, name: &str) -> Result<Vec<Option<String>>, JsValue> {
    let mut strings = Vec::new();
    unpack(&own(columns, name), what, name, &mut strings)?;
    Ok(strings)
}

/// Appends the strings (and nulls) of the chunks `packer` (js/convert.js) made to `out`.
fn unpack(chunks: &JsValue, what: &str, name: &str, out: &mut Vec<Option<String>>) -> Result<(), JsValue> {
    for chunk in Array::from(chunks).iter() {
        let text = own(&chunk, "text").as_string().unwrap_or_default();
        let count = own(&chunk, "count").as_f64().unwrap_or_default() as usize;
        let mut lengths = vec![0; count.min(PACK_CHUNK)];
        // The helper's own Uint32Array of `count` entries: the copy cannot fail, but a table it
        // did not copy in full is refused rather than read short.
        if !copy_u32(&mut lengths, &own(&chunk, "lengths")) {
            return Err(unpacked(what, name));
        }
        split_utf16(&text, &lengths, out);
    }
    Ok(())
}

/// A packed column the binding could not read back as the JS helper packed it (not possible
/// with the helper's own values; refused rather than read short).
fn unpacked(what: &str, name: &str) -> JsValue {
    throwable(EngineError::new(
        Code::InputWrongType,
        &Pointer::root().key(what).key(name),
        format!("`{name}` could not be read back once packed."),
    ))
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

/// The columns a JS column reader checked and packed (`{columns}`), or its problem as a JS
/// `Error` at `/<what>/<column>`: the wrong kind of value (`input.wrongType`), a typed array
/// whose buffer was transferred (`input.detached`), or more entries than any table may have
/// (`input.tooLarge`).
fn copied_columns(read: JsValue, what: &str) -> Result<JsValue, JsValue> {
    let Some(field) = own(&read, "problem").as_string() else {
        // What the copies will take, checked before anything is copied: a string's UTF-8 has
        // at most 3 bytes per UTF-16 unit.
        let count = |name: &str| own(&read, name).as_f64().unwrap_or(f64::INFINITY).min(usize::MAX as f64) as usize;
        let bytes = limits::column_bytes(count("bytes"), count("strings"), count("units").saturating_mul(3));
        fits(limits::column_load_bound(bytes), &Pointer::root().key(what))?;
        return Ok(own(&read, "columns"));
    };
    let path = if field.is_empty() { Pointer::root().key(what) } else { Pointer::root().key(what).key(&field) };
    if own(&read, "detached").is_truthy() {
        return Err(throwable(detached(&path, &field)));
    }
    if let Some(at) = own(&read, "loneSurrogate").as_string() {
        let path = at.split('/').fold(path, |path, part| path.key(part));
        return Err(throwable(EngineError::new(Code::InputLoneSurrogate, &path, LONE_SURROGATE)));
    }
    if let Some(length) = own(&read, "tooLarge").as_string() {
        return Err(throwable(EngineError::new(
            Code::InputTooLarge,
            &path,
            format!("`{field}` has {length} entries, more than the limit of {MAX_ROWS}."),
        )));
    }
    let expected = own(&read, "expected").as_string().unwrap_or_default();
    let subject = if field.is_empty() { "The columns".to_string() } else { format!("`{field}`") };
    Err(throwable(EngineError::new(Code::InputWrongType, &path, format!("{subject} must be {expected}."))))
}

/// The message of `input.loneSurrogate`, wherever the JS helpers found one.
const LONE_SURROGATE: &str = "This text holds a lone UTF-16 surrogate (half of a character, e.g. text cut in the middle of an emoji), which has no UTF-8 form: it is refused rather than replaced, since replacing it could make two different ids one.";

/// A typed array that can no longer be read at `path`.
fn detached(path: &Pointer, name: &str) -> EngineError {
    let subject = if name.is_empty() { "The bytes".to_string() } else { format!("`{name}`") };
    EngineError::new(
        Code::InputDetached,
        path,
        format!("{subject} cannot be read: its buffer was transferred (detached), e.g. posted to a Worker, or resized while it was read."),
    )
}

/// A typed array's element, copied by js/convert.js `copyColumn`.
trait Element: Copy + Default {
    fn copy(target: &mut [Self], source: &JsValue) -> bool;
}

impl Element for u32 {
    fn copy(target: &mut [u32], source: &JsValue) -> bool {
        copy_u32(target, source)
    }
}

impl Element for u16 {
    fn copy(target: &mut [u16], source: &JsValue) -> bool {
        copy_u16(target, source)
    }
}

impl Element for u8 {
    fn copy(target: &mut [u8], source: &JsValue) -> bool {
        copy_u8(target, source)
    }
}

impl Element for f64 {
    fn copy(target: &mut [f64], source: &JsValue) -> bool {
        copy_f64(target, source)
    }
}

/// `length` elements of the typed array `source` (checked by the JS helper) in a new vector,
/// allocated only once the length is within `max` and only as far as memory allows: an
/// error at `path` otherwise, or when `source` can no longer be read.
fn copy_typed<T: Element>(
    source: &JsValue,
    length: f64,
    max: usize,
    path: &Pointer,
    name: &str,
) -> Result<Vec<T>, EngineError> {
    // NaN, negative and fractional lengths cannot come from the JS helper; refused all the same.
    if !(0.0..=max as f64).contains(&length) || length.fract() != 0.0 {
        return Err(EngineError::new(
            Code::InputTooLarge,
            path,
            format!("`{name}` has {length} entries, more than the limit of {max}."),
        ));
    }
    let length = length as usize;
    let mut copy = filled(length, T::default(), path, || {
        format!("`{name}`'s {length} entries do not fit in the engine's memory; free other Engines (engine.free()), or load fewer records.")
    })?;
    if T::copy(&mut copy, source) {
        Ok(copy)
    } else {
        Err(detached(path, name))
    }
}

/// A typed column the JS helper checked (`{array, length}`), copied; `None` when not given.
fn typed<T: Element>(columns: &JsValue, what: &str, name: &str) -> Result<Option<Vec<T>>, JsValue> {
    let Some(column) = given(columns, name) else { return Ok(None) };
    let length = own(&column, "length").as_f64().unwrap_or(f64::NAN);
    let path = Pointer::root().key(what).key(name);
    copy_typed(&own(&column, "array"), length, MAX_ROWS, &path, name).map(Some).map_err(throwable)
}

/// `count` copies of `value`; `resources.outOfMemory` at `path` with `message()`, not a trap, when
/// they do not fit.
fn filled<T: Copy>(
    count: usize,
    value: T,
    path: &Pointer,
    message: impl FnOnce() -> String,
) -> Result<Vec<T>, EngineError> {
    let mut column = Vec::new();
    if column.try_reserve_exact(count).is_err() {
        return Err(EngineError::new(Code::ResourcesOutOfMemory, path, message()));
    }
    column.resize(count, value);
    Ok(column)
}

/// A column the JS helper read, when it was given.
fn given(columns: &JsValue, name: &str) -> Option<JsValue> {
    Some(own(columns, name)).filter(|value| !value.is_undefined())
}

/// A string table the JS helper packed, as plain strings.
fn names_table(columns: &JsValue, what: &str, name: &str) -> Result<Vec<String>, JsValue> {
    Ok(string_table(columns, what, name)?.into_iter().map(Option::unwrap_or_default).collect())
}

/// `transactionIds` as the JS helper read it: a checked typed array of numbers, else packed.
fn transaction_ids(columns: &JsValue) -> Result<TransactionIds, JsValue> {
    let ids = own(columns, "transactionIds");
    Ok(match own(&ids, "kind").as_string().as_deref() {
        Some("Float64Array") => {
            TransactionIds::Numbers(typed(columns, "transactions", "transactionIds")?.unwrap_or_default())
        }
        Some("Uint32Array") => {
            let numbers: Vec<u32> = typed(columns, "transactions", "transactionIds")?.unwrap_or_default();
            TransactionIds::Numbers(numbers.into_iter().map(f64::from).collect())
        }
        _ => TransactionIds::Text(names_table(columns, "transactions", "transactionIds")?),
    })
}

/// A column of string lists the JS helper packed (`packStringLists`: each list's length, and
/// every list's strings packed as a string table), as lists; a null list is empty.
fn string_lists(columns: &JsValue, what: &str, name: &str) -> Result<Option<Vec<Vec<String>>>, JsValue> {
    let Some(column) = given(columns, name) else { return Ok(None) };
    let count = own(&column, "count").as_f64().unwrap_or(f64::NAN);
    let path = Pointer::root().key(what).key(name);
    let sizes: Vec<u32> = copy_typed(&own(&column, "sizes"), count, MAX_ROWS, &path, name).map_err(throwable)?;
    let mut strings = Vec::new();
    unpack(&own(&column, "strings"), what, name, &mut strings)?;
    if sizes.iter().try_fold(0usize, |sum, &size| sum.checked_add(size as usize)) != Some(strings.len()) {
        return Err(unpacked(what, name));
    }
    let mut strings = strings.into_iter().map(Option::unwrap_or_default);
    Ok(Some(sizes.into_iter().map(|size| strings.by_ref().take(size as usize).collect()).collect()))
}

/// Bytes of JSON for `/<what>`: a `Uint8Array` (a subclass such as `Buffer` too) copied once
/// its length is within the input limit, anything else as `read_input` reads it.
fn json_bytes(value: &JsValue, what: &str) -> Result<Vec<u8>, EngineError> {
    let bytes = bytes_of(value);
    let path = Pointer::root().key(what);
    if own(&bytes, "detached").is_truthy() {
        return Err(detached(&path, ""));
    }
    match own(&bytes, "length").as_f64() {
        Some(length) => {
            if length > limits::MAX_INPUT_BYTES as f64 {
                return Err(EngineError::new(
                    Code::InputTooLarge,
                    &path,
                    format!("{length} bytes is more than the limit of {} bytes.", limits::MAX_INPUT_BYTES),
                ));
            }
            limits::check_memory(bulk_text_bound(length as usize), &path)?;
            copy_typed(value, length, limits::MAX_INPUT_BYTES, &path, "")
        }
        // Located in the records as the engine's own errors are (`/events/3/occurredAt`).
        None => input_text(value, |units| bulk_text_bound(units.saturating_mul(3))).map(String::into_bytes).map_err(
            |mut error| {
                error.path = format!("{}{}", path, error.path);
                error
            },
        ),
    }
}

/// The bound of a bulk JSON load of `bytes` bytes of text: the copy, and the load.
fn bulk_text_bound(bytes: usize) -> usize {
    bytes.saturating_add(limits::bulk_json_bound(bytes))
}

/// The `Engine` was called while one of its own calls held its records: not possible through
/// its methods (none runs JS while it holds them), reported rather than trapped on.
fn busy() -> JsValue {
    throwable(EngineError::new(
        Code::EngineBusy,
        &Pointer::root(),
        "This Engine was called again while one of its calls was using its records; call it once that call has returned.",
    ))
}

#[wasm_bindgen(js_class = Engine)]
impl Engine {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<Engine, JsValue> {
        entered(move || Ok(Engine::default()))
    }

    /// `{collaboratorIndex: Uint32Array, typeIndex: Uint16Array, occurredAtMs: Float64Array,
    /// points?: Float64Array, collaboratorIds: string[], typeNames: string[],
    /// eventIds?: (string | null)[]}`
    #[wasm_bindgen(js_name = loadEventsColumns)]
    pub fn load_events_columns(&self, columns: JsValue) -> Result<(), JsValue> {
        entered(move || {
            let columns = copied_columns(read_event_columns(&columns), "events")?;
            let names = |name: &str| names_table(&columns, "events", name);
            // One copy of each typed array into wasm memory: the bulk engine keeps these vectors.
            let events = EventColumns {
                collaborator_index: typed(&columns, "events", "collaboratorIndex")?.unwrap_or_default(),
                type_index: typed(&columns, "events", "typeIndex")?.unwrap_or_default(),
                occurred_at_ms: typed(&columns, "events", "occurredAtMs")?.unwrap_or_default(),
                points: typed(&columns, "events", "points")?,
                collaborator_ids: names("collaboratorIds")?,
                type_names: names("typeNames")?,
                event_ids: given(&columns, "eventIds")
                    .map(|_| string_table(&columns, "events", "eventIds"))
                    .transpose()?,
            };
            self.with_bulk(|bulk| bulk.load_event_columns(events))
        })
    }

    /// Hands out `count` events' columns as typed arrays over the engine's own memory, zeroed
    /// (points NaN), for the caller to fill and then load with `loadStagedEvents`: the columns
    /// are never copied. Any other call to the engine in between may grow its memory, which
    /// detaches these arrays; `loadStagedEvents` then refuses them (`input.detached`).
    #[wasm_bindgen(js_name = stageEvents)]
    pub fn stage_events(&self, count: JsValue, with_points: JsValue) -> Result<JsValue, JsValue> {
        entered(move || {
            let path = Pointer::root().key("count");
            let count = match count.as_f64() {
                Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= MAX_ROWS as f64 => n as usize,
                Some(n) if n > MAX_ROWS as f64 && n.is_finite() => {
                    return Err(throwable(EngineError::new(
                        Code::InputTooLarge,
                        &path,
                        format!("`count` is more than the limit of {MAX_ROWS} events."),
                    )))
                }
                _ => {
                    return Err(throwable(EngineError::new(
                        Code::InputWrongType,
                        &path,
                        "`count` must be a whole number of events.",
                    )))
                }
            };
            // The columns staged before are dropped first (their memory serves these), and their
            // views with them.
            self.end_staging();
            let points = with_points.is_truthy();
            let typed = count.saturating_mul(if points { 22 } else { 14 });
            fits(limits::column_load_bound(typed), &Pointer::root().key("events"))?;
            let out_of_memory = || {
                format!("{count} events' columns do not fit in the engine's memory; free other Engines (engine.free()), or stage fewer events.")
            };
            let staged = StagedEvents {
                collaborator_index: filled(count, 0, &path, out_of_memory).map_err(throwable)?,
                type_index: filled(count, 0, &path, out_of_memory).map_err(throwable)?,
                occurred_at_ms: filled(count, 0.0, &path, out_of_memory).map_err(throwable)?,
                points: points.then(|| filled(count, f64::NAN, &path, out_of_memory)).transpose().map_err(throwable)?,
                memory_pages: 0,
                detached: 0,
            };
            let views = staged_views(
                &wasm_bindgen::memory(),
                count as u32,
                staged.collaborator_index.as_ptr() as u32,
                staged.type_index.as_ptr() as u32,
                staged.occurred_at_ms.as_ptr() as u32,
                staged.points.as_ref().map_or(-1.0, |p| f64::from(p.as_ptr() as u32)),
            );
            if views.is_undefined() {
                return Err(throwable(EngineError::new(
                    Code::ResourcesOutOfMemory,
                    &Pointer::root().key("events"),
                    "The staged columns could not be handed out as typed arrays.",
                )));
            }
            *self.staged.borrow_mut() =
                Some(StagedEvents { memory_pages: memory_pages(), detached: detached_count(), ..staged });
            Ok(views)
        })
    }

    /// Loads the columns `stageEvents` handed out, as the caller filled them, with their string
    /// tables: `{collaboratorIds: string[], typeNames: string[], eventIds?: (string | null)[]}`.
    /// Checked as `loadEventsColumns` checks its columns, and loaded once (staged again after).
    #[wasm_bindgen(js_name = loadStagedEvents)]
    pub fn load_staged_events(&self, tables: JsValue) -> Result<(), JsValue> {
        entered(move || {
            let not_staged = || {
                throwable(EngineError::new(
                    Code::EngineNotStaged,
                    &Pointer::root(),
                    "No event columns are staged: call stageEvents(count), fill the typed arrays it returns, then loadStagedEvents (each staging loads once).",
                ))
            };
            // Whether the views were detached after staging is judged now: reading the tables
            // may grow the memory, which then loses nothing (the caller writes no more).
            let (intact, staging) = match self.staged.borrow().as_ref() {
                None => return Err(not_staged()),
                Some(s) => (s.memory_pages == memory_pages() && s.detached == detached_count(), s.detached),
            };
            let tables = copied_columns(read_event_tables(&tables), "events")?;
            let names = |name: &str| names_table(&tables, "events", name);
            let (collaborator_ids, type_names) = (names("collaboratorIds")?, names("typeNames")?);
            let event_ids =
                given(&tables, "eventIds").map(|_| string_table(&tables, "events", "eventIds")).transpose()?;
            // Taken even when refused: a staging loads once. (A getter of `tables` may have
            // loaded them, or staged others, meanwhile: those were not judged.)
            let Some(staged) = self.staged.take() else { return Err(not_staged()) };
            let intact = intact && staged.detached == staging;
            // From here the columns are the engine's: the caller's views must write nowhere.
            detach_all_views();
            if !intact {
                return Err(throwable(EngineError::new(
                    Code::InputDetached,
                    &Pointer::root().key("events"),
                    "The staged columns' typed arrays were detached after stageEvents (another call to an engine came in between: the memory grew, or another staging ended), so what was written to them since is lost. Stage again, fill, then loadStagedEvents with no call in between.",
                )));
            }
            let events = EventColumns {
                collaborator_index: staged.collaborator_index,
                type_index: staged.type_index,
                occurred_at_ms: staged.occurred_at_ms,
                points: staged.points,
                collaborator_ids,
                type_names,
                event_ids,
            };
            self.with_bulk(|bulk| bulk.load_event_columns(events))
        })
    }

    /// Events as the object path takes them: an array of event objects, its JSON text, or
    /// that text as UTF-8 bytes (`Uint8Array`).
    #[wasm_bindgen(js_name = loadEvents)]
    pub fn load_events(&self, events: JsValue) -> Result<(), JsValue> {
        entered(move || {
            let bytes = json_bytes(&events, "events").map_err(throwable)?;
            self.with_bulk(|bulk| bulk.load_events_json(&bytes))
        })
    }

    /// Transactions as typed-array columns (see `TransactionColumns` in the d.ts).
    #[wasm_bindgen(js_name = loadTransactionsColumns)]
    pub fn load_transactions_columns(&self, columns: JsValue) -> Result<(), JsValue> {
        entered(move || {
            let columns = copied_columns(read_transaction_columns(&columns), "transactions")?;
            let f64s = |name: &str| typed::<f64>(&columns, "transactions", name);
            let u32s = |name: &str| typed::<u32>(&columns, "transactions", name);
            let u8s = |name: &str| typed::<u8>(&columns, "transactions", name);
            let strings =
                |name: &str| given(&columns, name).map(|_| string_table(&columns, "transactions", name)).transpose();
            let names =
                |name: &str| given(&columns, name).map(|_| names_table(&columns, "transactions", name)).transpose();
            let transactions = TransactionColumns {
                transaction_ids: transaction_ids(&columns)?,
                occurred_at_ms: f64s("occurredAtMs")?.unwrap_or_default(),
                status_index: u8s("statusIndex")?,
                status_names: names("statusNames")?,
                currencies: strings("currencies")?,
                total: f64s("total")?,
                amount_scale: own(&columns, "amountScale").as_f64().unwrap_or_default() as u32,
                line_transaction_index: u32s("lineTransactionIndex")?.unwrap_or_default(),
                line_type_index: u8s("lineTypeIndex")?.unwrap_or_default(),
                line_type_names: names("lineTypeNames")?,
                line_amount: f64s("lineAmount")?.unwrap_or_default(),
                line_quantity: u32s("lineQuantity")?,
                line_skus: strings("lineSkus")?,
                line_categories: string_lists(&columns, "transactions", "lineCategories")?,
                line_owner_collaborator_ids: string_lists(&columns, "transactions", "lineOwnerCollaboratorIds")?,
                refund_transaction_index: u32s("refundTransactionIndex")?.unwrap_or_default(),
                refund_occurred_at_ms: f64s("refundOccurredAtMs")?.unwrap_or_default(),
                refund_amount: f64s("refundAmount")?,
            };
            self.with_bulk(|bulk| bulk.load_transaction_columns(transactions))
        })
    }

    /// Transactions as the object path takes them: an array, its JSON text, or UTF-8 bytes.
    #[wasm_bindgen(js_name = loadTransactions)]
    pub fn load_transactions(&self, transactions: JsValue) -> Result<(), JsValue> {
        entered(move || {
            let bytes = json_bytes(&transactions, "transactions").map_err(throwable)?;
            self.with_bulk(|bulk| bulk.load_transactions_json(&bytes))
        })
    }

    #[wasm_bindgen(getter, js_name = eventCount)]
    pub fn event_count(&self) -> usize {
        self.counts.get().0
    }

    #[wasm_bindgen(getter, js_name = transactionCount)]
    pub fn transaction_count(&self) -> usize {
        self.counts.get().1
    }

    /// `previewScores` over the loaded records (the input has no `events`/`transactions`).
    pub fn preview(&self, input: JsValue) -> Result<JsValue, JsValue> {
        entered(move || {
            let input = read_input(&input).map_err(throwable)?;
            let preview = self.bulk.try_borrow().map_err(|_| busy())?.preview(&input);
            output_to_js(preview.map_err(throwable)?, take_from_preview)
        })
    }

    /// `simulate` over the loaded records (the input has no `events`/`transactions`).
    pub fn simulate(&self, input: JsValue) -> Result<JsValue, JsValue> {
        entered(move || {
            let input = read_input(&input).map_err(throwable)?;
            let simulation = self.bulk.try_borrow().map_err(|_| busy())?.simulate(&input);
            output_to_js(simulation.map_err(throwable)?, take_from_simulation)
        })
    }

    /// `compare` over the loaded records (`base` has no `events`/`transactions`).
    pub fn compare(&self, input: JsValue) -> Result<JsValue, JsValue> {
        entered(move || {
            let input = read_input(&input).map_err(throwable)?;
            let comparison = self.bulk.try_borrow().map_err(|_| busy())?.compare(&input);
            output_to_js(comparison.map_err(throwable)?, take_from_comparison)
        })
    }
}

impl Engine {
    /// Drops the staged columns, if any, and detaches the views handed out over them: their
    /// memory may next hold anything of the engine's, which a write through a stale view would
    /// corrupt.
    fn end_staging(&self) {
        if self.staged.take().is_some() {
            detach_all_views();
        }
    }

    /// Runs a load on the records (no JS runs meanwhile), then updates the counts; its error
    /// becomes a JS `Error` once the records are released.
    fn with_bulk(
        &self,
        load: impl FnOnce(&mut siren_engine::Engine) -> Result<(), EngineError>,
    ) -> Result<(), JsValue> {
        let outcome = match self.bulk.try_borrow_mut() {
            Ok(mut bulk) => load(&mut bulk).map(|()| (bulk.event_count(), bulk.transaction_count())),
            Err(_) => return Err(busy()),
        };
        self.counts.set(outcome.map_err(throwable)?);
        Ok(())
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.end_staging();
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine {
            bulk: RefCell::new(Box::new(siren_engine::Engine::new())),
            counts: Cell::new((0, 0)),
            staged: RefCell::new(None),
        }
    }
}
