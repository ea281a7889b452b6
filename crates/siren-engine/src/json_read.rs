//! Reading untrusted JSON while collecting diagnostics: "expect an object here", "this field is
//! required", "unknown field", "unknown id, did you mean …". Shared by recipe and config
//! validation so both word their messages the same way.
//!
//! Invariant: nothing here panics on any `Value`, and every message quotes input through
//! `quote`, which truncates, so a megabyte string never ends up in a diagnostic.

use crate::diagnostics::{json_type_name, Code, Diagnostic, Pointer};
use crate::registry::{self, ValidationOptions};
use serde_json::{Map, Value};

/// Longest quoted excerpt of input in a message, in characters.
const QUOTE_LIMIT: usize = 60;

/// `text` in backticks, cut to about 60 characters with "…", control characters escaped.
pub fn quote(text: &str) -> String {
    let mut quoted = String::from("`");
    for (count, c) in text.chars().enumerate() {
        if count == QUOTE_LIMIT {
            quoted.push('…');
            break;
        }
        if c.is_control() {
            quoted.extend(c.escape_default());
        } else {
            quoted.push(c);
        }
    }
    quoted.push('`');
    quoted
}

/// `a`, `b` and `c` (each quoted).
pub fn quoted_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| quote(item)).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {}", rest.join(", "), last),
    }
}

/// The members of an object worth looking at: a known field that is `null` means "not given"
/// everywhere (REST payloads send `"inCategories": null`), so it is skipped here and a required
/// one is reported as missing; an unknown field is kept even when `null`, so it is still reported.
pub fn present<'m>(
    object: &'m Map<String, Value>,
    known: &'m [&'m str],
) -> impl Iterator<Item = (&'m String, &'m Value)> + 'm {
    object.iter().filter(move |(field, value)| !value.is_null() || !known.contains(&field.as_str()))
}

/// Collects diagnostics while validation walks a document.
pub struct Reader<'o> {
    options: &'o ValidationOptions,
    diagnostics: Vec<Diagnostic>,
    errors: usize,
}

impl<'o> Reader<'o> {
    pub fn new(options: &'o ValidationOptions) -> Self {
        Reader { options, diagnostics: Vec::new(), errors: 0 }
    }

    pub fn finish(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// Errors reported so far (to tell whether a part parsed cleanly).
    pub fn error_count(&self) -> usize {
        self.errors
    }

    pub fn error(&mut self, code: Code, path: &Pointer, message: impl Into<String>) {
        self.errors += 1;
        self.diagnostics.push(Diagnostic::error(code, path, message));
    }

    pub fn warning(&mut self, code: Code, path: &Pointer, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::warning(code, path, message));
    }

    /// `input.wrongType`: "`label` has the wrong type: expected X, found Y."
    pub fn wrong_type(&mut self, path: &Pointer, label: &str, expected: &str, found: &Value) {
        let message = format!("{label} has the wrong type: expected {expected}, found {}.", json_type_name(found));
        self.error(Code::InputWrongType, path, message);
    }

    pub fn object<'v>(&mut self, value: &'v Value, path: &Pointer, label: &str) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(object) => Some(object),
            other => {
                self.wrong_type(path, label, "an object", other);
                None
            }
        }
    }

    pub fn array<'v>(&mut self, value: &'v Value, path: &Pointer, label: &str, expected: &str) -> Option<&'v [Value]> {
        match value {
            Value::Array(items) => Some(items),
            other => {
                self.wrong_type(path, label, expected, other);
                None
            }
        }
    }

    pub fn string<'v>(&mut self, value: &'v Value, path: &Pointer, label: &str) -> Option<&'v str> {
        match value {
            Value::String(text) => Some(text),
            other => {
                self.wrong_type(path, label, "a string", other);
                None
            }
        }
    }

    /// A string that is not blank; a blank one is reported with `empty_code`.
    pub fn text<'v>(&mut self, value: &'v Value, path: &Pointer, label: &str, empty_code: Code) -> Option<&'v str> {
        let text = self.string(value, path, label)?;
        if text.trim().is_empty() {
            self.error(empty_code, path, format!("{label} is empty; write a short text here."));
            return None;
        }
        Some(text)
    }

    pub fn boolean(&mut self, value: &Value, path: &Pointer, label: &str) -> Option<bool> {
        match value {
            Value::Bool(flag) => Some(*flag),
            other => {
                self.wrong_type(path, label, "true or false", other);
                None
            }
        }
    }

    /// `input.required` for every field in `required` that is absent or `null`.
    pub fn require_fields(&mut self, object: &Map<String, Value>, path: &Pointer, owner: &str, required: &[&str]) {
        for field in required {
            if object.get(*field).is_none_or_null() {
                self.error(Code::InputRequired, &path.key(field), format!("{owner} needs a `{field}`."));
            }
        }
    }

    /// `input.unknownField`: a warning, or an error in strict mode. `hint` replaces the generic
    /// advice (e.g. "this belongs in the distributor configuration").
    pub fn unknown_field(&mut self, path: &Pointer, field: &str, owner: &str, known: &[&str], hint: Option<&str>) {
        let mut message = format!("{} is not a field Siren documents for {owner}", quote(field));
        match (hint, registry::nearest(field, known.iter().copied())) {
            (Some(hint), _) => message.push_str(&format!("; {hint}")),
            (None, Some(suggestion)) => message.push_str(&format!("; did you mean `{suggestion}`?")),
            (None, None) => message.push_str(&format!("; known fields are {}.", quoted_list(known))),
        }
        if !message.ends_with(['.', '?']) {
            message.push('.');
        }
        if self.options.strict {
            self.error(Code::InputUnknownField, path, message);
        } else {
            self.warning(Code::InputUnknownField, path, message);
        }
    }

    /// A string that must be one of `known`; otherwise `code`, listing the known ids and
    /// suggesting the nearest. `kind` names the id in the message ("distribution resolver").
    pub fn known_id<'v>(
        &mut self,
        value: &'v Value,
        path: &Pointer,
        label: &str,
        kind: &str,
        known: &[&str],
        code: Code,
    ) -> Option<&'v str> {
        let id = self.string(value, path, label)?;
        if known.contains(&id) {
            return Some(id);
        }
        self.unknown_id(code, path, id, kind, known);
        None
    }

    /// "Unknown distribution resolver `x` (did you mean `y`?); the known ones are a, b and c."
    pub fn unknown_id(&mut self, code: Code, path: &Pointer, id: &str, kind: &str, known: &[&str]) {
        let suggestion = match registry::nearest(id, known.iter().copied()) {
            Some(nearest) => format!(" (did you mean `{nearest}`?)"),
            None => String::new(),
        };
        let message = format!("Unknown {kind} {}{suggestion}; the known ones are {}.", quote(id), quoted_list(known));
        self.error(code, path, message);
    }
}

trait NoneOrNull {
    fn is_none_or_null(&self) -> bool;
}

impl NoneOrNull for Option<&Value> {
    fn is_none_or_null(&self) -> bool {
        self.is_none_or(Value::is_null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_truncates_and_escapes() {
        assert_eq!(quote("abc"), "`abc`");
        let long = "x".repeat(10_000);
        let quoted = quote(&long);
        assert_eq!(quoted.chars().count(), 60 + 3);
        assert!(quoted.ends_with("…`"));
        assert_eq!(quote("a\nb"), "`a\\nb`");
    }

    #[test]
    fn lists_read_naturally() {
        assert_eq!(quoted_list(&["a"]), "`a`");
        assert_eq!(quoted_list(&["a", "b", "c"]), "`a`, `b` and `c`");
    }
}
