//! Reading untrusted JSON while collecting diagnostics: "expect an object here", "this field is
//! required", "unknown field", "unknown id, did you mean …". Shared by recipe and config
//! validation so both word their messages the same way.
//!
//! Invariant: nothing here panics on any `Value`, and every message quotes input through
//! `quote`, which truncates, so a megabyte string never ends up in a diagnostic; a message lists
//! at most `MAX_LISTED_IDS` known ids, and a report at most `MAX_LISTED_PROBLEMS` problems, so a
//! report's size is bounded whatever the document and the options.

use crate::diagnostics::{json_type_name, Code, Diagnostic, Pointer, Severity};
use crate::registry::{KnownIds, ValidationOptions};
use serde_json::{Map, Value};

/// Longest quoted excerpt of input in a message, in characters.
const QUOTE_LIMIT: usize = 60;

/// The most known ids an unknown-id message lists; the rest are counted ("and 19993 more").
pub const MAX_LISTED_IDS: usize = 10;

/// The most problems one validation report lists (docs/security.md); the rest are counted in a
/// last `input.tooLarge` diagnostic.
pub const MAX_LISTED_PROBLEMS: usize = 100_000;

/// The most bytes of messages and paths one validation report lists (paths are never cut, and a
/// member name may be 64 KiB), so its JSON stays far below what a JS string holds.
pub const MAX_LISTED_BYTES: usize = 32 * 1024 * 1024;

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

/// The known ids for a message: all of them when there are at most `MAX_LISTED_IDS`, else the
/// first `MAX_LISTED_IDS` and how many more ("`a`, `b`, … `j` and 19993 more").
pub fn listed_ids(known: &[&str]) -> String {
    match known.get(..MAX_LISTED_IDS).filter(|_| known.len() > MAX_LISTED_IDS) {
        None => quoted_list(known),
        Some(listed) => {
            let quoted: Vec<String> = listed.iter().map(|id| quote(id)).collect();
            format!("{} and {} more", quoted.join(", "), known.len() - MAX_LISTED_IDS)
        }
    }
}

/// "1 error", "2 errors".
fn count_of(number: usize, noun: &str) -> String {
    format!("{number} {noun}{}", if number == 1 { "" } else { "s" })
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

/// Collects diagnostics while validation walks a document: the first `MAX_LISTED_PROBLEMS`
/// (and `MAX_LISTED_BYTES` of messages and paths) in document order, the rest only counted.
pub struct Reader<'o> {
    options: &'o ValidationOptions,
    diagnostics: Vec<Diagnostic>,
    errors: usize,
    listed_bytes: usize,
    unlisted_errors: usize,
    unlisted_warnings: usize,
}

impl<'o> Reader<'o> {
    pub fn new(options: &'o ValidationOptions) -> Self {
        Reader {
            options,
            diagnostics: Vec::new(),
            errors: 0,
            listed_bytes: 0,
            unlisted_errors: 0,
            unlisted_warnings: 0,
        }
    }

    /// The listed diagnostics, then, when some were not listed, one `input.tooLarge` at the root
    /// counting them: an error when one of them is, else a warning.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        let unlisted = self.unlisted_errors + self.unlisted_warnings;
        if unlisted > 0 {
            let severity = if self.unlisted_errors > 0 { Severity::Error } else { Severity::Warning };
            let message = format!(
                "This report lists the first {} and leaves out {} more ({} and {}): a report lists at most {} problems and {} MiB of their messages and paths.",
                count_of(self.diagnostics.len(), "problem"),
                unlisted,
                count_of(self.unlisted_errors, "error"),
                count_of(self.unlisted_warnings, "warning"),
                MAX_LISTED_PROBLEMS,
                MAX_LISTED_BYTES >> 20,
            );
            self.diagnostics.push(Diagnostic { severity, code: Code::InputTooLarge, path: String::new(), message });
        }
        self.diagnostics
    }

    /// Errors reported so far, listed or not (to tell whether a part parsed cleanly).
    pub fn error_count(&self) -> usize {
        self.errors
    }

    /// Whether a diagnostic reported now would still be listed: past the cap, callers may skip
    /// work that only shapes a message (the "did you mean" search).
    pub fn is_listing(&self) -> bool {
        self.unlisted_errors + self.unlisted_warnings == 0 && self.diagnostics.len() < MAX_LISTED_PROBLEMS
    }

    pub fn error(&mut self, code: Code, path: &Pointer, message: impl Into<String>) {
        self.errors += 1;
        self.report(Severity::Error, code, path, message.into());
    }

    pub fn warning(&mut self, code: Code, path: &Pointer, message: impl Into<String>) {
        self.report(Severity::Warning, code, path, message.into());
    }

    /// Lists the diagnostic, or counts it once the report is full: the listed ones are always
    /// the first ones, in document order.
    fn report(&mut self, severity: Severity, code: Code, path: &Pointer, message: String) {
        if self.is_listing() {
            let path = path.to_string();
            let bytes = path.len() + message.len();
            if bytes <= MAX_LISTED_BYTES - self.listed_bytes {
                self.listed_bytes += bytes;
                self.diagnostics.push(Diagnostic { severity, code, path, message });
                return;
            }
        }
        match severity {
            Severity::Error => self.unlisted_errors += 1,
            Severity::Warning => self.unlisted_warnings += 1,
        }
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
            if !object.get(*field).is_none_or_null() {
                continue;
            }
            if self.is_listing() {
                self.error(Code::InputRequired, &path.key(field), format!("{owner} needs a `{field}`."));
            } else {
                self.report_unlisted(Severity::Error);
            }
        }
    }

    /// The path of `field` when it is one of `known`; an unknown field is reported (with
    /// `unknown_field`) and gives `None`, so its path is built only if the report lists it.
    pub fn known_field_path(
        &mut self,
        object_path: &Pointer,
        field: &str,
        owner: &str,
        known: &[&str],
        hint: Option<&str>,
    ) -> Option<Pointer> {
        if known.contains(&field) {
            return Some(object_path.key(field));
        }
        self.unknown_field(|| object_path.key(field), field, owner, known, hint);
        None
    }

    /// `input.unknownField`: a warning, or an error in strict mode. `hint` replaces the generic
    /// advice (e.g. "this belongs in the distributor configuration").
    ///
    /// `path` builds the field's path, called only when the diagnostic is listed: its parent's
    /// may be 64 KiB long, and a document may have a million unknown fields.
    pub fn unknown_field(
        &mut self,
        path: impl FnOnce() -> Pointer,
        field: &str,
        owner: &str,
        known: &[&str],
        hint: Option<&str>,
    ) {
        if self.is_listing() {
            self.unknown_field_at(&path(), field, owner, known, hint);
        } else {
            self.report_unlisted(if self.options.strict { Severity::Error } else { Severity::Warning });
        }
    }

    fn unknown_field_at(&mut self, path: &Pointer, field: &str, owner: &str, known: &[&str], hint: Option<&str>) {
        let mut message = format!("{} is not a field Siren documents for {owner}", quote(field));
        match hint {
            Some(hint) => message.push_str(&format!("; {hint}")),
            None => match KnownIds::new(known.iter().copied()).nearest(field) {
                Some(suggestion) => message.push_str(&format!("; did you mean {}?", quote(suggestion))),
                None => message.push_str(&format!("; known fields are {}.", quoted_list(known))),
            },
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

    /// A string that must be one of `known` (a small built-in set); otherwise `code`, listing
    /// the known ids and suggesting the nearest. `kind` names the id in the message
    /// ("program status").
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
        self.unknown_id(code, path, id, kind, &KnownIds::new(known.iter().copied()));
        None
    }

    /// As `known_id`, for a set that may be large (resolvers with the host's ids): looked up,
    /// never scanned.
    pub fn registered_id<'v>(
        &mut self,
        value: &'v Value,
        path: &Pointer,
        label: &str,
        kind: &str,
        known: &KnownIds,
        code: Code,
    ) -> Option<&'v str> {
        let id = self.string(value, path, label)?;
        if known.contains(id) {
            return Some(id);
        }
        self.unknown_id(code, path, id, kind, known);
        None
    }

    /// "Unknown distribution resolver `x` (did you mean `y`?); the known ones are `a`, `b` and
    /// `c`." At most `MAX_LISTED_IDS` known ids are listed ("… and 19993 more").
    pub fn unknown_id(&mut self, code: Code, path: &Pointer, id: &str, kind: &str, known: &KnownIds) {
        if !self.is_listing() {
            return self.report_unlisted(Severity::Error);
        }
        let suggestion = match known.nearest(id) {
            Some(nearest) => format!(" (did you mean {}?)", quote(nearest)),
            None => String::new(),
        };
        let message =
            format!("Unknown {kind} {}{suggestion}; the known ones are {}.", quote(id), listed_ids(known.ids()));
        self.error(code, path, message);
    }

    /// Counts a diagnostic the report has no room for (`is_listing` is false), without building
    /// its message or its path.
    fn report_unlisted(&mut self, severity: Severity) {
        match severity {
            Severity::Error => {
                self.errors += 1;
                self.unlisted_errors += 1;
            }
            Severity::Warning => self.unlisted_warnings += 1,
        }
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

    #[test]
    fn long_lists_of_ids_are_cut() {
        let ids: Vec<String> = (0..12).map(|i| format!("id{i}")).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        assert_eq!(listed_ids(&ids[..10]), "`id0`, `id1`, `id2`, `id3`, `id4`, `id5`, `id6`, `id7`, `id8` and `id9`");
        assert_eq!(
            listed_ids(&ids[..11]),
            "`id0`, `id1`, `id2`, `id3`, `id4`, `id5`, `id6`, `id7`, `id8`, `id9` and 1 more"
        );
        assert_eq!(listed_ids(&[]), "");
    }

    #[test]
    fn counts_name_their_noun() {
        assert_eq!(count_of(1, "error"), "1 error");
        assert_eq!(count_of(0, "warning"), "0 warnings");
        assert_eq!(count_of(19_993, "problem"), "19993 problems");
    }
}
