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
/// Lines, and refunds, of the transactions loaded as columns into one `Engine` handle.
pub const MAX_BULK_LINES: usize = 20_000_000;
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
}
