//! Recipe validation (ENGINE.md §2). STUB: owned by the validation work.

use crate::diagnostics::Diagnostic;
use crate::registry::ValidationOptions;
use serde_json::Value;

/// Every problem in a recipe, in document order.
pub fn validate(recipe: &Value, options: &ValidationOptions) -> Vec<Diagnostic> {
    let _ = (recipe, options);
    Vec::new()
}
