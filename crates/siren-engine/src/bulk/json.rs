//! JSON arrays read one element at a time, so loading a large array of records never holds it
//! as one document.

use crate::diagnostics::{json_syntax_error, without_bom, Code, EngineError, Pointer};
use crate::limits;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::fmt;

/// Calls `f` with each element of the JSON array `text`, one at a time, so a large array is
/// never held as one document. Errors other than `f`'s are `input.notJson` at `path`.
pub(super) fn for_each_element(
    text: &[u8],
    path: &Pointer,
    max: usize,
    mut f: impl FnMut(usize, Value) -> Result<(), EngineError>,
) -> Result<(), EngineError> {
    limits::check_count(text.len(), limits::MAX_INPUT_BYTES, "bytes", path)?;
    let text = without_bom(text);
    // Every element within the documented limits (strings, numbers, nesting), and no more
    // elements than the limit, before it is read.
    let f = move |index: usize, item: Value| -> Result<(), EngineError> {
        limits::check_count(index + 1, max, "records", path)?;
        limits::check(&item).map_err(|mut e| {
            e.path = format!("{}{}", path.index(index), e.path);
            e
        })?;
        f(index, item)
    };
    struct Elements<F> {
        f: F,
        failed: Option<EngineError>,
    }
    impl<'de, F: FnMut(usize, Value) -> Result<(), EngineError>> Visitor<'de> for &mut Elements<F> {
        type Value = ();
        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("a JSON array")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut index = 0;
            while let Some(item) = seq.next_element::<Value>()? {
                if let Err(error) = (self.f)(index, item) {
                    self.failed = Some(error);
                    return Err(serde::de::Error::custom("stopped"));
                }
                index += 1;
            }
            Ok(())
        }
    }
    impl<'de, F: FnMut(usize, Value) -> Result<(), EngineError>> DeserializeSeed<'de> for &mut Elements<F> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_seq(self)
        }
    }
    if text.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'[') {
        if let Ok(other) = serde_json::from_slice::<Value>(text) {
            let name = path.to_string();
            let name = name.rsplit('/').next().unwrap_or("");
            return Err(EngineError::new(
                Code::InputWrongType,
                path,
                format!("`{name}` must be an array, found {}.", crate::diagnostics::json_type_name(&other)),
            ));
        }
    }
    let mut elements = Elements { f, failed: None };
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let result = (&mut elements).deserialize(&mut deserializer).and_then(|()| deserializer.end());
    if let Some(error) = elements.failed {
        return Err(error);
    }
    result.map_err(|e| {
        EngineError::new(
            Code::InputNotJson,
            path,
            format!("The data is not a JSON array of objects: {}.", json_syntax_error(text, &e)),
        )
    })
}

/// An operation's input with its records set apart: its other members as a JSON object (in
/// their order), and the text of its `events` and `transactions` arrays.
pub(crate) struct Split<'a> {
    pub(crate) rest: Value,
    pub(crate) events: &'a RawValue,
    pub(crate) transactions: &'a RawValue,
}

/// `text` split so (`compare`'s records are in its `base`: `within` names that member), or
/// `None` when it is not an object holding both records once, with every other member once.
pub(crate) fn split_records<'a>(text: &'a str, within: Option<&str>) -> Option<Split<'a>> {
    if text.len() > limits::MAX_INPUT_BYTES {
        return None;
    }
    let (mut rest, mut events, mut transactions) = (Map::new(), None, None);
    for (key, value) in members(text)? {
        if rest.contains_key(&key) {
            return None;
        }
        match (key.as_str(), within) {
            ("events", None) if events.is_none() => events = Some(value),
            ("transactions", None) if transactions.is_none() => transactions = Some(value),
            ("events" | "transactions", None) => return None,
            (name, Some(within)) if name == within => {
                let inner = split_records(value.get(), None)?;
                (events, transactions) = (Some(inner.events), Some(inner.transactions));
                rest.insert(key, inner.rest);
            }
            // Read as `parse_json` reads (the same copy of the reader).
            _ => {
                rest.insert(key, serde_json::from_slice(value.get().as_bytes()).ok()?);
            }
        }
    }
    Some(Split { rest: Value::Object(rest), events: events?, transactions: transactions? })
}

/// A JSON object's members in order, each value as its text; `None` for anything else.
fn members(text: &str) -> Option<Vec<(String, &RawValue)>> {
    struct Members;
    impl<'de> Visitor<'de> for Members {
        type Value = Vec<(String, &'de RawValue)>;
        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut members = Vec::new();
            while let Some(key) = map.next_key::<String>()? {
                members.push((key, map.next_value()?));
            }
            Ok(members)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(without_bom(text.as_bytes()));
    let members = deserializer.deserialize_map(Members).ok()?;
    deserializer.end().ok()?;
    Some(members)
}
