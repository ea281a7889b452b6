//! Distributor configuration (ENGINE.md §3): what the admin sets after applying a recipe.
//! Validation reports every problem; parsing yields the typed history the engine computes with.
//!
//! STUB: the types are the contract; validation/parsing is owned by the validation work.

use crate::diagnostics::Diagnostic;
use crate::registry::ValidationOptions;
use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;

/// Which parts of a transaction count toward revenue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Compiler {
    LineItems,
    Discounts,
    Fees,
    Shipping,
    Taxes,
}

/// A transaction detail's type (ENGINE.md §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DetailType {
    Product,
    Subscription,
    Fee,
    Discount,
    Shipping,
    Tax,
}

/// Restrictions on which line items (product and subscription details) count.
/// An empty or absent list means "no restriction" for that filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineItemFilters {
    pub with_types: Vec<DetailType>,
    pub with_skus: Vec<String>,
    pub in_categories: Vec<String>,
    /// Only line items owned by at least one collaborator count.
    pub collaborator_owned: bool,
}

/// One version of the configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigVersion {
    /// `None` for the first version: in effect since the beginning of time.
    pub effective_from: Option<DateTime<FixedOffset>>,
    /// Event type → points per event (integers). `manual` credits carry their own points.
    pub engagement_types: BTreeMap<String, i64>,
    /// The pool percentage, in (0, 100].
    pub revenue_percentage: Decimal,
    pub transaction_compilers: Vec<Compiler>,
    pub line_item_filters: LineItemFilters,
    /// Collaborator ids allowed to earn; `None` means every active collaborator.
    pub eligible_collaborators: Option<Vec<String>>,
}

/// The configuration over time, sorted by `effective_from` (first version has `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigHistory {
    pub versions: Vec<ConfigVersion>,
}

impl ConfigHistory {
    /// The version in effect at `instant`.
    pub fn at(&self, instant: DateTime<FixedOffset>) -> Option<&ConfigVersion> {
        self.versions.iter().rev().find(|v| v.effective_from.map_or(true, |from| from <= instant))
    }
}

/// Every problem in a distributor configuration (one version or a history), in document order.
pub fn validate(config: &Value, options: &ValidationOptions) -> Vec<Diagnostic> {
    parse(config, options).1
}

/// The typed history (when there are no errors) and every diagnostic.
pub fn parse(config: &Value, options: &ValidationOptions) -> (Option<ConfigHistory>, Vec<Diagnostic>) {
    let _ = (config, options);
    (None, Vec::new())
}
