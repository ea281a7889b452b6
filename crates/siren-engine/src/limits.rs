//! The documented size limits of every input (docs/security.md), and the one cheap check that
//! enforces them at the `api` entry points before any other work is done.
//!
//! Invariant: `scan` is a single iterative pass over the JSON document (no recursion, so no
//! stack overflow however deep a natively built `Value` is), O(size of the input), and it never
//! allocates more than the depth of the document plus the findings it returns. Anything over a
//! limit is refused with `input.tooLarge` (or `input.tooDeep`) located by a JSON Pointer, instead
//! of being computed slowly.

use crate::diagnostics::{Code, Diagnostic, EngineError, Pointer};
use serde_json::Value;

/// Input documents larger than this (in bytes of JSON text) are refused before parsing.
pub const MAX_INPUT_BYTES: usize = 256 * 1024 * 1024;
/// Arrays and objects nested deeper than this are refused (serde_json's own parser limit).
pub const MAX_DEPTH: usize = 128;
/// Any string or object key, anywhere (names, descriptions, unknown REST fields).
pub const MAX_STRING_BYTES: usize = 64 * 1024;
/// Ids, types, statuses, currencies, timestamps, zone names and amounts written as strings.
pub const MAX_ID_BYTES: usize = 1024;
/// The source text of one JSON number (`1e30` is short; a million digits is not a number).
pub const MAX_NUMBER_CHARS: usize = 256;
/// `events` of one preview or simulate input.
pub const MAX_EVENTS: usize = 2_000_000;
/// Events loaded into one `Engine` handle (the bulk path keeps them as compact columns).
pub const MAX_BULK_EVENTS: usize = 20_000_000;
/// Lines, and refunds, of the transactions loaded as columns into one `Engine` handle: 10
/// million each, so that a handle holding them with 20 million events can be previewed within
/// `MEMORY_BUDGET` (20 million each could not: the column pass over them needs 2.6 GB).
pub const MAX_BULK_LINES: usize = 10_000_000;
/// Cells of one dense scoring table of the bulk path: collaborators × configured event types,
/// collaborators × configuration versions with `eligibleCollaborators`, versions × types.
pub const MAX_BULK_TABLE_CELLS: usize = 1 << 24;
/// `transactions` of one preview or simulate input.
pub const MAX_TRANSACTIONS: usize = 1_000_000;
/// `details` of one transaction.
pub const MAX_DETAILS_PER_TRANSACTION: usize = 1_000;
/// `refunds` of one transaction.
pub const MAX_REFUNDS_PER_TRANSACTION: usize = 1_000;
/// `collaborators`, and ids in `eligibleCollaborators`.
pub const MAX_COLLABORATORS: usize = 1_000_000;
/// Strings in one `schedule` array.
pub const MAX_SCHEDULE_STRINGS: usize = 32;
/// Bytes of one schedule string (PHP `DateTime::modify` strings are a few words).
pub const MAX_SCHEDULE_STRING_BYTES: usize = 256;
/// Versions of one distributor configuration history.
pub const MAX_CONFIG_VERSIONS: usize = 10_000;
/// `pauses` of one simulation.
pub const MAX_PAUSES: usize = 10_000;
/// Cycles (schedule triggers) of one simulation: a daily schedule over 27 years.
pub const MAX_CYCLES: usize = 10_000;
/// Runs computed by one `nextRuns` call.
pub const MAX_NEXT_RUNS: usize = 1000;
/// The most limit findings one validation report lists.
pub const MAX_FINDINGS: usize = 100;

// ---------------------------------------------------------------------------------------------
// Memory (docs/security.md, "Memory"; docs/decisions.md for the factors and how they were
// measured). Running out of wasm memory traps, and no code inside wasm can catch a trap, so a
// call is refused before it allocates: an upper bound of what it will take, computed from what
// is known before anything is allocated, must fit in what is left of the budget.

/// Bytes a wasm instance may have in use (counted by the binding's allocator) at any time: the
/// 4 GiB of the wasm32 address space less a margin for dlmalloc's fragmentation and the memory
/// grown but not yet handed out.
pub const MEMORY_BUDGET: usize = 3584 * 1024 * 1024;
/// Bytes of records one `Engine` handle may keep loaded (`held_events_bytes` +
/// `held_transactions_bytes`; besides, the counts its last preview keeps), so that a handle
/// within its budget can be previewed at the dense-table limit (`MAX_BULK_TABLE_CELLS`) with
/// up to 10,000 collaborators listed: 2 GiB + `tables_bound(2^24, 2^24, 10^6, 10^4)` fits in
/// `MEMORY_BUDGET`.
pub const MAX_HANDLE_BYTES: usize = 2048 * 1024 * 1024;
/// What loaded transaction columns keep per byte of the columns, in tenths: checked, they
/// become a table with its rows, groups and instants (measured up to 2.1×).
pub const HELD_TENTHS_PER_TRANSACTION_COLUMN_BYTE: usize = 25;
/// What transactions loaded as JSON keep per byte of their text, in tenths (measured up to 1.4×).
pub const HELD_TENTHS_PER_TRANSACTION_JSON_BYTE: usize = 15;

/// What a handle's events take for its budget: their columns' bytes (`column_bytes`, kept as
/// they are), or their JSON text's length (kept as columns, measured at most 0.74× the text).
pub fn held_events_bytes(columns: usize, json: usize) -> usize {
    columns.saturating_add(json)
}

/// What a handle's transactions take for its budget, from their columns' bytes or their JSON
/// text's length (`HELD_TENTHS_*`).
pub fn held_transactions_bytes(columns: usize, json: usize) -> usize {
    // In 128 bits: `usize` is 32 in wasm, and the products must not wrap natively either.
    let tenths = columns as u128 * HELD_TENTHS_PER_TRANSACTION_COLUMN_BYTE as u128
        + json as u128 * HELD_TENTHS_PER_TRANSACTION_JSON_BYTE as u128;
    usize::try_from(tenths / 10).unwrap_or(usize::MAX)
}

/// Bytes a call reading JSON text may take per `{` of the text (an object), per `:` (a member of
/// an object: a map entry, or the first of a map's allocations) and per `,` or `[` (a value of
/// an array, with the array's growth), besides twice the text's bytes (its copy, and the strings
/// read from it), in the worst shape measured: counted anywhere in the text, inside strings too,
/// so an upper bound (`json_call_bound`).
pub const JSON_BYTES_PER_OBJECT: usize = 48;
pub const JSON_BYTES_PER_MEMBER: usize = 208;
pub const JSON_BYTES_PER_VALUE: usize = 64;
/// Bytes a bulk JSON load (`loadEvents`, `loadTransactions`) may take per byte of its text,
/// beyond the text itself.
pub const BULK_JSON_BYTES_PER_BYTE: usize = 6;
/// Bytes a column load may take per byte of its copied columns (their typed arrays, and their
/// strings as UTF-8 with a vector each), beyond the copy itself.
pub const COLUMN_BYTES_PER_BYTE: usize = 3;
/// Bytes every call may take whatever its input (the output of a small preview, buffers).
pub const CALL_BASE_BYTES: usize = 4 * 1024 * 1024;
/// Bytes a string of a column costs besides its UTF-8: its `String` and the allocator's
/// rounding and header.
pub const STRING_BYTES: usize = 32;
/// Bytes per cell of a preview's counts (40 bytes a cell), and per cell of its scores' per-type
/// table (16 bytes a collaborator and counted type).
pub const COUNT_BYTES_PER_CELL: usize = 48;
pub const PER_TYPE_BYTES_PER_CELL: usize = 24;
/// Bytes per loaded collaborator of a preview's or a simulated cycle's scores.
pub const SCORE_BYTES_PER_COLLABORATOR: usize = 384;
/// Bytes per collaborator listed in a preview's or a simulated cycle's output (all of them
/// without `top`): the leaderboard entry, its share and explanation, and their JSON text.
pub const OUTPUT_BYTES_PER_LISTED: usize = 1280;
/// Bytes per transaction, per line and per refund of loaded columns when they are built as
/// `Transaction`s (a preview or simulation whose revenue the column pass cannot compute), with
/// their strings counted apart.
pub const BUILT_BYTES_PER_TRANSACTION: usize = 160;
pub const BUILT_BYTES_PER_LINE: usize = 160;
pub const BUILT_BYTES_PER_REFUND: usize = 64;

/// Bytes per transaction, line and refund of a cycle's revenue, computed from loaded columns
/// (`bulk::revenue`: its per-line and per-refund amounts, and the explanation's listing) or from
/// built transactions (measured 77 and 48 with the 256-bit refund shares).
pub const REVENUE_BYTES_PER_ROW: usize = 96;

/// The bound of a cycle's revenue from the columns of `transactions` with `lines` lines and
/// `refunds` refunds.
pub fn revenue_bound(transactions: usize, lines: usize, refunds: usize) -> usize {
    transactions.saturating_add(lines).saturating_add(refunds).saturating_mul(REVENUE_BYTES_PER_ROW)
}

/// Bytes per transaction and per refund of a simulation's index of sale and refund instants
/// (kept with the handle).
pub const INDEX_BYTES_PER_ENTRY: usize = 32;

/// The bound of a simulation's index of `transactions` sales and `refunds` refunds.
pub fn index_bound(transactions: usize, refunds: usize) -> usize {
    transactions.saturating_add(refunds).saturating_mul(INDEX_BYTES_PER_ENTRY)
}

/// What is left of `MEMORY_BUDGET`: set once by the binding (its allocator counts the bytes in
/// use); natively, unlimited.
static MEMORY_LEFT: std::sync::OnceLock<fn() -> usize> = std::sync::OnceLock::new();

/// The binding's count of what is left of `MEMORY_BUDGET` (the first call wins).
pub fn set_memory_probe(left: fn() -> usize) {
    let _ = MEMORY_LEFT.set(left);
}

/// Bytes left of the budget (`usize::MAX` when no probe is set).
pub fn memory_left() -> usize {
    MEMORY_LEFT.get().map_or(usize::MAX, |left| left())
}

/// `resources.outOfMemory` at `path` when `needed` bytes do not fit in what is left.
pub fn check_memory(needed: usize, path: &Pointer) -> Result<(), EngineError> {
    let left = memory_left();
    if needed <= left {
        return Ok(());
    }
    Err(EngineError::new(
        Code::ResourcesOutOfMemory,
        path,
        format!(
            "This call may need up to {} of wasm memory and {} are left of the instance's {}; nothing was changed. Free other Engines (engine.free()), or load fewer records.",
            mebibytes(needed),
            mebibytes(left),
            mebibytes(MEMORY_BUDGET)
        ),
    ))
}

/// `resources.outOfMemory` at `path` when a handle would hold more than `MAX_HANDLE_BYTES`.
pub fn check_handle(bytes: usize, path: &Pointer) -> Result<(), EngineError> {
    if bytes <= MAX_HANDLE_BYTES {
        return Ok(());
    }
    Err(EngineError::new(
        Code::ResourcesOutOfMemory,
        path,
        format!(
            "These records would take {} in the Engine, more than the {} one Engine may hold; load fewer records, or split them over several Engines.",
            mebibytes(bytes),
            mebibytes(MAX_HANDLE_BYTES)
        ),
    ))
}

/// `bytes` in MiB, one decimal.
fn mebibytes(bytes: usize) -> String {
    let tenths = (bytes as u64 * 10).div_ceil(1024 * 1024);
    format!("{}.{} MiB", tenths / 10, tenths % 10)
}

/// The bound of the copy of `units` UTF-16 units of text into wasm memory (3 bytes of UTF-8 per
/// unit at most): what is checked before it is copied.
pub fn text_copy_bound(units: usize) -> usize {
    units.saturating_mul(3).saturating_add(CALL_BASE_BYTES)
}

/// The bound of a call that reads `text` as a JSON document (its text already in memory): the
/// document, what is read from it and the call's own work (`JSON_BYTES_PER_*`).
pub fn json_call_bound(text: &str) -> usize {
    let (mut objects, mut members, mut values) = (0usize, 0usize, 0usize);
    for byte in text.bytes() {
        objects += usize::from(byte == b'{');
        members += usize::from(byte == b':');
        values += usize::from(byte == b',' || byte == b'[');
    }
    text.len()
        .saturating_mul(2)
        .saturating_add(objects.saturating_mul(JSON_BYTES_PER_OBJECT))
        .saturating_add(members.saturating_mul(JSON_BYTES_PER_MEMBER))
        .saturating_add(values.saturating_add(1).saturating_mul(JSON_BYTES_PER_VALUE))
        .saturating_add(CALL_BASE_BYTES)
}

/// `check_memory` of `json_call_bound(text)`, without its scan of the text when even the most a
/// byte can add (`JSON_BYTES_PER_MEMBER`, the largest, and its 2 bytes of text) fits: the
/// everyday input is far from the budget, and the scan costs a pass over the whole text.
pub fn check_json_call(text: &str, path: &Pointer) -> Result<(), EngineError> {
    const _: () =
        assert!(JSON_BYTES_PER_MEMBER >= JSON_BYTES_PER_OBJECT && JSON_BYTES_PER_MEMBER >= JSON_BYTES_PER_VALUE);
    let most =
        text.len().saturating_mul(2 + JSON_BYTES_PER_MEMBER).saturating_add(JSON_BYTES_PER_VALUE + CALL_BASE_BYTES);
    if most <= memory_left() {
        return Ok(());
    }
    check_memory(json_call_bound(text), path)
}

/// The bound of a bulk JSON load of `bytes` bytes of text already in wasm memory.
pub fn bulk_json_bound(bytes: usize) -> usize {
    bytes.saturating_mul(BULK_JSON_BYTES_PER_BYTE).saturating_add(CALL_BASE_BYTES)
}

/// What copied columns take: `typed` bytes of typed arrays and `strings` strings of
/// `string_bytes` bytes of UTF-8 in all.
pub fn column_bytes(typed: usize, strings: usize, string_bytes: usize) -> usize {
    typed.saturating_add(strings.saturating_mul(STRING_BYTES)).saturating_add(string_bytes)
}

/// The bound of a column load whose copied columns take `bytes` (`column_bytes`): the copy,
/// and what reading it takes beyond (`COLUMN_BYTES_PER_BYTE`).
pub fn column_load_bound(bytes: usize) -> usize {
    bytes.saturating_mul(1 + COLUMN_BYTES_PER_BYTE).saturating_add(CALL_BASE_BYTES)
}

/// The bound of a preview's or a simulated cycle's scoring of `people` collaborators with
/// `counts` cells of counts to compute and `per_type` cells of the per-type table, `listed` of
/// them in its output.
pub fn tables_bound(counts: usize, per_type: usize, people: usize, listed: usize) -> usize {
    counts
        .saturating_mul(COUNT_BYTES_PER_CELL)
        .saturating_add(per_type.saturating_mul(PER_TYPE_BYTES_PER_CELL))
        .saturating_add(people.saturating_mul(SCORE_BYTES_PER_COLLABORATOR))
        .saturating_add(listed.saturating_mul(OUTPUT_BYTES_PER_LISTED))
}

/// The bound of building `transactions` with `lines` lines and `refunds` refunds, whose strings
/// are `strings` strings of `string_bytes` bytes in all.
pub fn built_bound(transactions: usize, lines: usize, refunds: usize, strings: usize, string_bytes: usize) -> usize {
    transactions
        .saturating_mul(BUILT_BYTES_PER_TRANSACTION)
        .saturating_add(lines.saturating_mul(BUILT_BYTES_PER_LINE))
        .saturating_add(refunds.saturating_mul(BUILT_BYTES_PER_REFUND))
        .saturating_add(strings.saturating_mul(STRING_BYTES))
        .saturating_add(string_bytes)
}

/// Keys whose string value is an id-like token limited to `MAX_ID_BYTES`.
const ID_KEYS: &[&str] = &[
    "id",
    "collaboratorId",
    "type",
    "status",
    "currency",
    "sku",
    "occurredAt",
    "effectiveFrom",
    "distributorKey",
    "timeZone",
    "start",
    "end",
    "at",
    "lastDistributionAt",
    "from",
    "until",
    "total",
    "amount",
    "quantity",
    "points",
    "value",
    "revenuePercentage",
    "units",
    "distributionResolver",
    "distributionPoolResolver",
    "tieBreak",
];

/// Arrays whose items are id-like strings, and arrays with their own length limit.
fn array_limit(key: &str) -> Option<(usize, &'static str)> {
    Some(match key {
        "events" => (MAX_EVENTS, "events"),
        "transactions" => (MAX_TRANSACTIONS, "transactions"),
        "details" => (MAX_DETAILS_PER_TRANSACTION, "details in one transaction"),
        "refunds" => (MAX_REFUNDS_PER_TRANSACTION, "refunds of one transaction"),
        "collaborators" | "eligibleCollaborators" => (MAX_COLLABORATORS, "collaborators"),
        "schedule" => (MAX_SCHEDULE_STRINGS, "schedule strings"),
        "pauses" => (MAX_PAUSES, "pauses"),
        "config" => (MAX_CONFIG_VERSIONS, "configuration versions"),
        _ => return None,
    })
}

const ID_LIST_KEYS: &[&str] = &[
    "categories",
    "ownerCollaboratorIds",
    "eligibleCollaborators",
    "withSkus",
    "inCategories",
    "withTypes",
    "transactionCompilers",
];

/// One step of a path while walking.
#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// A bulk list (column, or elements of a JSON array) longer than `max` is refused at `path`.
pub fn check_count(count: usize, max: usize, what: &str, path: &Pointer) -> Result<(), EngineError> {
    if count > max {
        return Err(EngineError::new(
            Code::InputTooLarge,
            path,
            format!("{count} {what} is more than the limit of {max} {what}."),
        ));
    }
    Ok(())
}

/// Names in a bulk id table (collaborator ids, type names, event ids) longer than
/// `MAX_ID_BYTES` are refused at `path/<index>`.
pub fn check_ids<'a>(ids: impl IntoIterator<Item = &'a str>, path: &Pointer) -> Result<(), EngineError> {
    for (index, id) in ids.into_iter().enumerate() {
        if id.len() > MAX_ID_BYTES {
            return Err(EngineError::new(
                Code::InputTooLarge,
                &path.index(index),
                format!("This id is {} bytes long; ids may have at most {MAX_ID_BYTES} bytes.", id.len()),
            ));
        }
    }
    Ok(())
}

/// Returns the first limit the document exceeds, as a located error.
pub fn check(value: &Value) -> Result<(), EngineError> {
    match scan(value, 1).into_iter().next() {
        Some(d) => Err(d.into()),
        None => Ok(()),
    }
}

/// Every limit the document exceeds (at most `max` findings), as error diagnostics in document
/// order. Empty when the document is within every limit.
pub fn scan(value: &Value, max: usize) -> Vec<Diagnostic> {
    enum Frame<'a> {
        Enter(&'a Value, Option<Seg<'a>>),
        Exit,
    }
    let mut findings = Vec::new();
    let mut path: Vec<Seg> = Vec::new();
    let mut depth = 0usize;
    let mut stack = vec![Frame::Enter(value, None)];
    let pointer = |path: &[Seg]| {
        path.iter().fold(Pointer::root(), |p, s| match s {
            Seg::Key(k) => p.key(k),
            Seg::Index(i) => p.index(*i),
        })
    };
    while let Some(frame) = stack.pop() {
        if findings.len() >= max {
            break;
        }
        let (value, seg) = match frame {
            Frame::Exit => {
                path.pop();
                depth -= 1;
                continue;
            }
            Frame::Enter(value, seg) => (value, seg),
        };
        if let Some(seg) = seg {
            path.push(seg);
        }
        let own_key = match path.last() {
            Some(Seg::Key(k)) => Some(*k),
            _ => None,
        };
        let in_list_of = match (path.last(), path.len().checked_sub(2).and_then(|i| path.get(i))) {
            (Some(Seg::Index(_)), Some(Seg::Key(k))) => Some(*k),
            _ => None,
        };
        let mut push = |code: Code, message: String| findings.push(Diagnostic::error(code, &pointer(&path), message));
        match value {
            Value::String(text) => {
                let (limit, what) = if in_list_of == Some("schedule") {
                    (MAX_SCHEDULE_STRING_BYTES, "A schedule string")
                } else if own_key.is_some_and(|k| ID_KEYS.contains(&k))
                    || in_list_of.is_some_and(|k| ID_LIST_KEYS.contains(&k))
                {
                    (MAX_ID_BYTES, "An id, type, timestamp or amount")
                } else {
                    (MAX_STRING_BYTES, "A string")
                };
                if text.len() > limit {
                    push(
                        Code::InputTooLarge,
                        format!("{what} is {} bytes long; the limit is {limit} bytes.", text.len()),
                    );
                }
            }
            Value::Number(number) => {
                let len = number.as_str().len();
                if len > MAX_NUMBER_CHARS {
                    push(
                        Code::InputTooLarge,
                        format!("A number is written with {len} characters; the limit is {MAX_NUMBER_CHARS}."),
                    );
                }
            }
            Value::Array(_) | Value::Object(_) if depth >= MAX_DEPTH => {
                push(Code::InputTooDeep, format!("The input nests arrays and objects deeper than {MAX_DEPTH} levels."));
            }
            Value::Array(items) => {
                if let Some((limit, what)) = own_key.and_then(array_limit) {
                    if items.len() > limit {
                        push(Code::InputTooLarge, format!("{} {what} were given; the limit is {limit}.", items.len()));
                        // Do not walk what is refused anyway.
                        if seg.is_some() {
                            path.pop();
                        }
                        continue;
                    }
                }
                depth += 1;
                stack.push(Frame::Exit);
                stack.extend(items.iter().enumerate().rev().map(|(i, item)| Frame::Enter(item, Some(Seg::Index(i)))));
                continue;
            }
            Value::Object(members) => {
                for key in members.keys() {
                    if key.len() > MAX_STRING_BYTES {
                        push(
                            Code::InputTooLarge,
                            format!(
                                "A member name is {} bytes long; the limit is {MAX_STRING_BYTES} bytes.",
                                key.len()
                            ),
                        );
                        break;
                    }
                }
                depth += 1;
                stack.push(Frame::Exit);
                let children: Vec<Frame> = members.iter().map(|(k, v)| Frame::Enter(v, Some(Seg::Key(k)))).collect();
                stack.extend(children.into_iter().rev());
                continue;
            }
            Value::Null | Value::Bool(_) => {}
        }
        if seg.is_some() {
            path.pop();
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_document_within_the_limits_passes() {
        let doc =
            json!({"events": [{"id": "e1", "type": "x"}], "recipe": {"distributors": {"d": {"schedule": ["+1 day"]}}}});
        assert!(check(&doc).is_ok());
    }

    #[test]
    fn each_limit_is_located() {
        let long_id = "x".repeat(MAX_ID_BYTES + 1);
        let e = check(&json!({"events": [{"id": "e1"}, {"collaboratorId": long_id}]})).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (Code::InputTooLarge, "/events/1/collaboratorId"));
        let e =
            check(&json!({"recipe": {"distributors": {"d": {"schedule": ["+1 day", "x".repeat(300)]}}}})).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (Code::InputTooLarge, "/recipe/distributors/d/schedule/1"));
        let e = check(&json!({"schedule": vec!["+1 day"; MAX_SCHEDULE_STRINGS + 1]})).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (Code::InputTooLarge, "/schedule"));
        let e = check(&json!({"transactions": [{"details": vec![json!({}); MAX_DETAILS_PER_TRANSACTION + 1]}]}))
            .unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (Code::InputTooLarge, "/transactions/0/details"));
        let e = check(&json!({"name": "n".repeat(MAX_STRING_BYTES + 1)})).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (Code::InputTooLarge, "/name"));
        let number: Value = serde_json::from_str(&"9".repeat(MAX_NUMBER_CHARS + 1)).unwrap();
        let e = check(&json!({"a": [number]})).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (Code::InputTooLarge, "/a/0"));
        // A key with `~` and `/` is escaped in the pointer.
        let e = check(&json!({"a/b~": {"id": long_id}})).unwrap_err();
        assert_eq!(e.path, "/a~1b~0/id");
    }

    #[test]
    fn depth_is_checked_without_recursion() {
        // Deeper than serde_json would ever parse, built natively.
        let mut deep = Value::Null;
        for _ in 0..100_000 {
            deep = Value::Array(vec![deep]);
        }
        let e = check(&deep).unwrap_err();
        assert_eq!(e.code, Code::InputTooDeep);
        assert_eq!(e.path.matches('/').count(), MAX_DEPTH);
        // Dropping a value this deep recurses in serde_json; unwind it by hand.
        let mut current = deep;
        while let Value::Array(mut items) = current {
            current = items.pop().unwrap_or(Value::Null);
        }
        let mut ok = Value::Null;
        for _ in 0..MAX_DEPTH {
            ok = Value::Array(vec![ok]);
        }
        assert!(check(&ok).is_ok());
    }

    #[test]
    fn scan_reports_several_findings_in_document_order() {
        let long = "x".repeat(MAX_ID_BYTES + 1);
        let found = scan(&json!({"a": {"id": long}, "b": [{"type": long}], "c": {"status": long}}), 2);
        let paths: Vec<&str> = found.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, vec!["/a/id", "/b/0/type"]);
    }

    #[test]
    fn memory_bounds_have_their_documented_values() {
        const MIB: usize = 1024 * 1024;
        assert_eq!(text_copy_bound(1000), 3000 + 4 * MIB);
        // 2 × 10 bytes + 1 `{` × 48 + 1 `:` × 208 + (1 `,` + 1 `[` + 1) × 64.
        assert_eq!(json_call_bound(r#"[{"a":0},1]"#), 11 * 2 + 48 + 208 + 3 * 64 + 4 * MIB);
        assert_eq!(json_call_bound(""), 64 + 4 * MIB);
        // The scan-free bound of `check_json_call` is never below the scanned one.
        for text in [r#"[{"a":0},1]"#, "{}", ":::", "[,,]", "", "x"] {
            assert!(
                text.len() * (2 + JSON_BYTES_PER_MEMBER) + JSON_BYTES_PER_VALUE + CALL_BASE_BYTES
                    >= json_call_bound(text)
            );
        }
        assert_eq!(bulk_json_bound(1000), 6000 + 4 * MIB);
        assert_eq!(column_bytes(100, 2, 7), 100 + 64 + 7);
        assert_eq!(column_load_bound(1000), 4000 + 4 * MIB);
        assert_eq!(tables_bound(1 << 24, 1 << 24, 1_000_000, 10_000), (1 << 24) * 72 + 384_000_000 + 12_800_000);
        assert_eq!(built_bound(1, 2, 3, 4, 5), 160 + 320 + 192 + 128 + 5);
        assert_eq!(revenue_bound(1_000_000, 10_000_000, 10_000_000), 21_000_000 * 96);
        assert_eq!(index_bound(10, 5), 15 * 32);
        assert_eq!(held_events_bytes(10, 0), 10);
        assert_eq!(held_transactions_bytes(1000, 100), 2500 + 150);
        // In 64 bits, then at most `usize::MAX`.
        assert_eq!(held_transactions_bytes(usize::MAX, 0), usize::MAX);
        // Saturating, never wrapping.
        assert_eq!(tables_bound(usize::MAX, 1, 1, 1), usize::MAX);
    }

    #[test]
    fn the_limits_fit_the_budget_together() {
        // A handle at its budget, previewed at the dense-table limit with 10,000 listed.
        let preview = tables_bound(MAX_BULK_TABLE_CELLS, MAX_BULK_TABLE_CELLS, MAX_COLLABORATORS, 10_000);
        assert!(MAX_HANDLE_BYTES as u64 + preview as u64 + CALL_BASE_BYTES as u64 <= MEMORY_BUDGET as u64);
        // 20 million events, 1 million transactions with 10 million lines and refunds, as
        // columns without strings, fit one handle's budget, and their revenue pass the rest.
        let events = held_events_bytes(MAX_BULK_EVENTS * (4 + 2 + 8 + 8), 0);
        let transactions =
            held_transactions_bytes(MAX_TRANSACTIONS * 16 + MAX_BULK_LINES * (4 + 1 + 8 + 4) + MAX_BULK_LINES * 20, 0);
        assert!(events + transactions <= MAX_HANDLE_BYTES);
        let revenue = revenue_bound(MAX_TRANSACTIONS, MAX_BULK_LINES, MAX_BULK_LINES);
        assert!(events as u64 + transactions as u64 + revenue as u64 <= MEMORY_BUDGET as u64);
    }

    #[test]
    fn memory_is_checked_against_the_probe() {
        // Natively no probe is set: everything fits.
        assert!(check_memory(usize::MAX, &Pointer::root()).is_ok());
        let e = check_handle(MAX_HANDLE_BYTES + 1, &Pointer::root().key("events")).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (Code::ResourcesOutOfMemory, "/events"));
        assert!(e.message.contains("2048.0 MiB"), "{}", e.message);
        assert_eq!(mebibytes(1024 * 1024 + 1), "1.1 MiB");
    }
}
