//! JSON arrays read one element at a time, so loading a large array of records never holds it
//! as one document.

use crate::diagnostics::{json_syntax_error, without_bom, Code, EngineError, Pointer};
use crate::limits;
use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde_json::Value;
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
