//! Distributor configuration (ENGINE.md §3): what the admin sets after applying a recipe.
//! Validation reports every problem; parsing yields the typed history the engine computes with.
//!
//! The accepted shape mirrors Siren's REST extended distributor
//! (`GET /distributors/{id}?include=extended`), so a plugin can pass that payload straight in;
//! the record's informational fields (`id`, `collaboratorCount`, …) are known and ignored.
//! Decisions are written down in docs/decisions.md, "Validation".

use crate::diagnostics::{Code, Diagnostic, Pointer};
use crate::json_read::{present, quote, quoted_list, Reader};
use crate::money::{parse_decimal, DecimalProblem};
use crate::registry::{self, KnownIds, ValidationOptions, KNOWN_EVENT_TYPES, TRANSACTION_COMPILERS};
use crate::time;
use chrono::{DateTime, FixedOffset};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Which parts of a transaction count toward revenue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Compiler {
    LineItems,
    Discounts,
    Fees,
    Shipping,
    Taxes,
}

impl Compiler {
    /// The id used in configurations (`lineItems`).
    pub fn id(self) -> &'static str {
        match self {
            Compiler::LineItems => "lineItems",
            Compiler::Discounts => "discounts",
            Compiler::Fees => "fees",
            Compiler::Shipping => "shipping",
            Compiler::Taxes => "taxes",
        }
    }

    pub fn from_id(id: &str) -> Option<Compiler> {
        [Compiler::LineItems, Compiler::Discounts, Compiler::Fees, Compiler::Shipping, Compiler::Taxes]
            .into_iter()
            .find(|compiler| compiler.id() == id)
    }
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

impl DetailType {
    /// The singular name used in transactions (`product`).
    pub fn name(self) -> &'static str {
        match self {
            DetailType::Product => "product",
            DetailType::Subscription => "subscription",
            DetailType::Fee => "fee",
            DetailType::Discount => "discount",
            DetailType::Shipping => "shipping",
            DetailType::Tax => "tax",
        }
    }

    /// Singular or plural (`product`, `products`: Siren's REST shows `withTypes: ["products"]`).
    pub fn from_name(name: &str) -> Option<DetailType> {
        Some(match name {
            "product" | "products" => DetailType::Product,
            "subscription" | "subscriptions" => DetailType::Subscription,
            "fee" | "fees" => DetailType::Fee,
            "discount" | "discounts" => DetailType::Discount,
            "shipping" | "shippings" => DetailType::Shipping,
            "tax" | "taxes" => DetailType::Tax,
            _ => return None,
        })
    }
}

const DETAIL_TYPE_NAMES: &[&str] = &["product", "subscription", "fee", "discount", "shipping", "tax"];

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

impl LineItemFilters {
    /// Whether any filter actually restricts something.
    pub fn restricts(&self) -> bool {
        !self.with_types.is_empty()
            || !self.with_skus.is_empty()
            || !self.in_categories.is_empty()
            || self.collaborator_owned
    }
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
        self.versions.get(self.position_at(instant)?)
    }

    /// The position in `versions` of the version in effect at `instant`. Inlined: the column
    /// revenue pass asks per transaction (see `pool::line_exclusion`).
    #[inline]
    pub fn position_at(&self, instant: DateTime<FixedOffset>) -> Option<usize> {
        self.versions.iter().rposition(|v| v.effective_from.is_none_or(|from| from <= instant))
    }
}

/// The most points one event may be worth. Scores are sums of points in an `i64`; with this cap
/// a billion events still cannot overflow, and no real configuration comes near it.
pub const MAX_POINTS: i64 = 1_000_000_000;

/// The event type whose credits carry their own points (`POST /distributors/credit-metric`).
pub const MANUAL: &str = "manual";

const VERSION_FIELDS: &[&str] = &[
    "effectiveFrom",
    "engagementTypes",
    "revenuePercentage",
    "transactionCompilers",
    "lineItemFilters",
    "eligibleCollaborators",
    // Informational fields of Siren's REST extended distributor: known, not used here.
    "id",
    "name",
    "description",
    "status",
    "units",
    "schedule",
    "distributionResolver",
    "distributionPoolResolver",
    "collaboratorCount",
    "currentDistribution",
    "dateCreated",
    "dateModified",
];

const REQUIRED_VERSION_FIELDS: &[&str] = &["engagementTypes", "revenuePercentage", "transactionCompilers"];

const ENGAGEMENT_ENTRY_FIELDS: &[&str] = &["type", "value", "id"];

const LINE_ITEM_FILTER_FIELDS: &[&str] = &["withTypes", "withSkus", "inCategories", "collaboratorOwned"];

/// Every problem in a distributor configuration (one version or a history), in document order.
pub fn validate(config: &Value, options: &ValidationOptions) -> Vec<Diagnostic> {
    parse(config, options).1
}

/// The typed history (when there are no errors) and every diagnostic.
pub fn parse(config: &Value, options: &ValidationOptions) -> (Option<ConfigHistory>, Vec<Diagnostic>) {
    let mut reader = Reader::new(options);
    let root = Pointer::root();
    let mut history = HistoryCheck::default();
    let mut versions = Vec::new();
    match config {
        Value::Object(_) => versions.extend(read_version(&mut reader, config, &root, 0, &mut history)),
        Value::Array(items) if items.is_empty() => reader.error(
            Code::ConfigEmptyHistory,
            &root,
            "The configuration is an empty list; give one version, or a list of versions with `effectiveFrom`.",
        ),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                versions.extend(read_version(&mut reader, item, &root.index(index), index, &mut history));
            }
        }
        Value::Null => reader.error(Code::InputMissing, &root, "A distributor configuration is required."),
        other => reader.wrong_type(&root, "The configuration", "an object or a list of versions", other),
    }
    if reader.error_count() > 0 {
        return (None, reader.finish());
    }
    // Versions may come in any order (a plugin reads them from its database); the one without
    // `effectiveFrom` is the base and sorts first.
    crate::sorting::stable_sort_by(&mut versions, |a, b| a.effective_from.cmp(&b.effective_from));
    (Some(ConfigHistory { versions }), reader.finish())
}

/// What the versions seen so far say about `effectiveFrom`.
#[derive(Default)]
struct HistoryCheck {
    base_version: Option<usize>,
    seen: HashMap<DateTime<FixedOffset>, usize>,
}

/// One version, or `None` when it has errors (which are reported).
fn read_version(
    reader: &mut Reader,
    value: &Value,
    path: &Pointer,
    index: usize,
    history: &mut HistoryCheck,
) -> Option<ConfigVersion> {
    let errors_before = reader.error_count();
    let object = reader.object(value, path, "A configuration version")?;

    let mut effective_from = None;
    let mut engagement_types = None;
    let mut revenue_percentage = None;
    let mut transaction_compilers = None;
    let mut line_item_filters = None;
    let mut eligible_collaborators = None;
    for (field, value) in present(object, VERSION_FIELDS) {
        let Some(field_path) =
            reader.known_field_path(path, field, "a distributor configuration", VERSION_FIELDS, None)
        else {
            continue;
        };
        match field.as_str() {
            "effectiveFrom" => effective_from = read_effective_from(reader, value, &field_path, index, history),
            "engagementTypes" => {
                engagement_types = read_engagement_types(reader, value, &field_path);
                if engagement_types.as_ref().is_some_and(BTreeMap::is_empty) {
                    reader.warning(
                        Code::ConfigNoEngagementTypes,
                        &field_path,
                        "No event type is configured, so nobody can score and nothing will ever be distributed.",
                    );
                }
            }
            "revenuePercentage" => revenue_percentage = read_percentage(reader, value, &field_path),
            "transactionCompilers" => {
                transaction_compilers = read_compilers(reader, value, &field_path);
                if transaction_compilers.as_ref().is_some_and(Vec::is_empty) {
                    reader.warning(
                        Code::ConfigNoCompilers,
                        &field_path,
                        "No transaction compiler is enabled, so no revenue counts and the pool will always be 0; enable at least `lineItems`.",
                    );
                }
            }
            "lineItemFilters" => line_item_filters = read_line_item_filters(reader, value, &field_path),
            "eligibleCollaborators" => eligible_collaborators = read_eligible_collaborators(reader, value, &field_path),
            // Informational fields of the REST payload (unknown ones are reported by
            // `known_field_path`).
            _ => {}
        }
    }
    reader.require_fields(object, path, "A distributor configuration", REQUIRED_VERSION_FIELDS);

    if object.get("effectiveFrom").is_none_or(Value::is_null) {
        match history.base_version {
            None => history.base_version = Some(index),
            Some(base) => reader.error(
                Code::ConfigMissingEffectiveFrom,
                &path.key("effectiveFrom"),
                format!(
                    "Version {base} already applies from the beginning; this version needs an `effectiveFrom` date."
                ),
            ),
        }
    }
    if let (Some(filters), Some(compilers)) = (&line_item_filters, &transaction_compilers) {
        let filters: &LineItemFilters = filters;
        if filters.restricts() && !compilers.is_empty() && !compilers.contains(&Compiler::LineItems) {
            reader.warning(
                Code::ConfigFiltersWithoutLineItems,
                &path.key("lineItemFilters"),
                "These line-item filters have no effect because the `lineItems` compiler is not enabled.",
            );
        }
    }

    if reader.error_count() > errors_before {
        return None;
    }
    Some(ConfigVersion {
        effective_from,
        engagement_types: engagement_types?,
        revenue_percentage: revenue_percentage?,
        transaction_compilers: transaction_compilers?,
        line_item_filters: line_item_filters.unwrap_or_default(),
        eligible_collaborators,
    })
}

fn read_effective_from(
    reader: &mut Reader,
    value: &Value,
    path: &Pointer,
    index: usize,
    history: &mut HistoryCheck,
) -> Option<DateTime<FixedOffset>> {
    let text = reader.string(value, path, "`effectiveFrom`")?;
    let instant = match time::parse_timestamp(text) {
        Ok(instant) => instant,
        Err((code, detail)) => {
            reader.error(code, path, format!("`effectiveFrom` {} is not a usable timestamp: {detail}", quote(text)));
            return None;
        }
    };
    // Compared as instants: 00:00Z and 02:00+02:00 are the same moment.
    if let Some(other) = history.seen.insert(instant, index) {
        reader.error(
            Code::ConfigDuplicateEffectiveFrom,
            path,
            format!(
                "Version {other} already takes effect at {}; two versions cannot start at the same instant.",
                quote(text)
            ),
        );
    }
    Some(instant)
}

/// `[{type, value, id?}]` or `{type: value}` (a value may also be `{value}`, as on programs).
pub(crate) fn read_engagement_types(
    reader: &mut Reader,
    value: &Value,
    path: &Pointer,
) -> Option<BTreeMap<String, i64>> {
    let errors_before = reader.error_count();
    let mut points_by_type = BTreeMap::new();
    // Entries' paths are built only for a diagnostic: a recipe program's key may be 64 KiB long.
    match value {
        Value::Array(entries) => {
            for (index, entry) in entries.iter().enumerate() {
                let entry_path = || path.index(index);
                let type_path = || entry_path().key("type");
                let Value::Object(object) = entry else {
                    reader.wrong_type(&entry_path(), "An event type entry", "an object", entry);
                    continue;
                };
                for (field, _) in present(object, ENGAGEMENT_ENTRY_FIELDS) {
                    if !ENGAGEMENT_ENTRY_FIELDS.contains(&field.as_str()) {
                        reader.unknown_field(
                            || entry_path().key(field),
                            field,
                            "an event type entry",
                            ENGAGEMENT_ENTRY_FIELDS,
                            None,
                        );
                    }
                }
                let Some(event_type) = object.get("type").filter(|v| !v.is_null()) else {
                    reader.error(Code::InputRequired, &type_path(), "This event type entry needs a `type`.");
                    continue;
                };
                let Some(event_type) = read_event_type_name(reader, event_type, &type_path) else {
                    continue;
                };
                let points = read_value_field(reader, object, &entry_path, event_type);
                if points_by_type.contains_key(event_type) {
                    reader.error(
                        Code::ConfigDuplicateEngagementType,
                        &type_path(),
                        format!("Event type {} is configured twice; keep one entry.", quote(event_type)),
                    );
                } else if let Some(points) = points {
                    points_by_type.insert(event_type.to_string(), points);
                }
            }
        }
        Value::Object(entries) => {
            for (event_type, points) in entries {
                let entry_path = || path.key(event_type);
                if event_type.trim().is_empty() {
                    reader.error(Code::ConfigEmptyText, &entry_path(), "An event type name is empty.");
                    continue;
                }
                warn_if_typo(reader, event_type, &entry_path);
                let points = match points {
                    Value::Null if event_type == MANUAL => Some(0),
                    Value::Object(wrapper) => read_value_field(reader, wrapper, &entry_path, event_type),
                    other => read_points(reader, other, &entry_path, event_type),
                };
                if let Some(points) = points {
                    points_by_type.insert(event_type.clone(), points);
                }
            }
        }
        other => reader.wrong_type(
            path,
            "`engagementTypes`",
            "a list of {type, value} entries or an object of event type to points",
            other,
        ),
    }
    (reader.error_count() == errors_before && (value.is_array() || value.is_object())).then_some(points_by_type)
}

fn read_event_type_name<'v>(reader: &mut Reader, value: &'v Value, path: &dyn Fn() -> Pointer) -> Option<&'v str> {
    let name = match value {
        Value::String(name) if !name.trim().is_empty() => name,
        other => {
            let _ = reader.text(other, &path(), "The event `type`", Code::ConfigEmptyText);
            return None;
        }
    };
    warn_if_typo(reader, name, path);
    Some(name)
}

/// Event types are an open set (extensions add triggers), so an unknown one is fine unless it is
/// a near miss of a documented one, which is almost certainly a typo.
fn warn_if_typo(reader: &mut Reader, event_type: &str, path: &dyn Fn() -> Pointer) {
    if KNOWN_EVENT_TYPES.contains(&event_type) {
        return;
    }
    if let Some(known) = registry::nearest(event_type, KNOWN_EVENT_TYPES.iter().copied()) {
        reader.warning(
            Code::ConfigEngagementTypeTypo,
            &path(),
            format!(
                "Event type {} is not one Siren documents; did you mean {}? Events are matched by exact name.",
                quote(event_type),
                quote(known)
            ),
        );
    }
}

/// The points in an entry's `value` field (`{type, value}` or `{type: {value}}`); `manual`
/// may omit it (its credits carry their own points), every other type needs it.
fn read_value_field(
    reader: &mut Reader,
    entry: &serde_json::Map<String, Value>,
    entry_path: &dyn Fn() -> Pointer,
    event_type: &str,
) -> Option<i64> {
    match entry.get("value").filter(|v| !v.is_null()) {
        Some(points) => read_points(reader, points, &|| entry_path().key("value"), event_type),
        None if event_type == MANUAL => Some(0),
        None => {
            reader.error(
                Code::InputRequired,
                &entry_path().key("value"),
                format!("Event type {} needs a `value`: the points each event is worth.", quote(event_type)),
            );
            None
        }
    }
}

/// Points per event: a whole number, given as a number or a numeric string (`"100"`).
fn read_points(reader: &mut Reader, value: &Value, path: &dyn Fn() -> Pointer, event_type: &str) -> Option<i64> {
    let text = match value {
        Value::Number(number) => number.to_string(),
        Value::String(text) => text.trim().to_string(),
        other => {
            reader.wrong_type(
                &path(),
                &format!("The points for {}", quote(event_type)),
                "a whole number or a numeric string",
                other,
            );
            return None;
        }
    };
    let points = match parse_decimal(&text) {
        Ok(points) => points,
        Err(DecimalProblem::TooLarge) => {
            reader.error(Code::ConfigPointsOutOfRange, &path(), points_out_of_range(&text, event_type));
            return None;
        }
        Err(DecimalProblem::NotANumber | DecimalProblem::TooPrecise) => {
            reader.error(
                Code::ConfigInvalidPoints,
                &path(),
                format!("The points for {} must be a whole number, not {}.", quote(event_type), quote(&text)),
            );
            return None;
        }
    };
    if !points.fract().is_zero() {
        reader.error(
            Code::ConfigInvalidPoints,
            &path(),
            format!(
                "The points for {} must be a whole number, not {}; points are integers.",
                quote(event_type),
                quote(&text)
            ),
        );
        return None;
    }
    let Some(points) = points.to_i64().filter(|p| (0..=MAX_POINTS).contains(p)) else {
        reader.error(Code::ConfigPointsOutOfRange, &path(), points_out_of_range(&text, event_type));
        return None;
    };
    if points == 0 && event_type != MANUAL {
        reader.warning(
            Code::ConfigZeroPoints,
            &path(),
            format!("Event type {} is worth 0 points, so its events never add to a score.", quote(event_type)),
        );
    }
    Some(points)
}

fn points_out_of_range(text: &str, event_type: &str) -> String {
    format!(
        "The points for {} are {}; they must be between 0 and 1,000,000,000 per event.",
        quote(event_type),
        quote(text)
    )
}

/// `revenuePercentage`: an exact decimal in (0, 100], as a number or a string.
fn read_percentage(reader: &mut Reader, value: &Value, path: &Pointer) -> Option<Decimal> {
    let text = match value {
        Value::Number(number) => number.to_string(),
        Value::String(text) => text.trim().to_string(),
        other => {
            reader.wrong_type(path, "`revenuePercentage`", "a number or a numeric string", other);
            return None;
        }
    };
    let out_of_range =
        |text: &str| format!("`revenuePercentage` is {}; it must be greater than 0 and at most 100.", quote(text));
    match parse_decimal(&text) {
        Ok(percentage) if percentage > Decimal::ZERO && percentage <= Decimal::ONE_HUNDRED => Some(percentage),
        Ok(_) | Err(DecimalProblem::TooLarge) => {
            reader.error(Code::ConfigPercentageOutOfRange, path, out_of_range(&text));
            None
        }
        Err(DecimalProblem::TooPrecise) => {
            reader.error(
                Code::ConfigInvalidPercentage,
                path,
                format!("`revenuePercentage` {} has more than 28 decimal places.", quote(&text)),
            );
            None
        }
        Err(DecimalProblem::NotANumber) => {
            reader.error(
                Code::ConfigInvalidPercentage,
                path,
                format!(
                    "`revenuePercentage` {} is not a number; write a percentage such as 5 or \"12.5\".",
                    quote(&text)
                ),
            );
            None
        }
    }
}

/// `transactionCompilers`: a list of compiler ids, duplicates dropped (with a warning).
pub(crate) fn read_compilers(reader: &mut Reader, value: &Value, path: &Pointer) -> Option<Vec<Compiler>> {
    let items = reader.array(value, path, "`transactionCompilers`", "a list of compiler ids")?;
    let errors_before = reader.error_count();
    let mut compilers = Vec::new();
    for (index, item) in items.iter().enumerate() {
        // An item's path is built only for a diagnostic (the recipe program's key may be long).
        let item_path = || path.index(index);
        let Value::String(id) = item else {
            reader.wrong_type(&item_path(), "A transaction compiler", "a string", item);
            continue;
        };
        match Compiler::from_id(id) {
            Some(compiler) if compilers.contains(&compiler) => reader.warning(
                Code::ConfigDuplicateCompiler,
                &item_path(),
                format!("The {} compiler is listed twice; once is enough.", quote(id)),
            ),
            Some(compiler) => compilers.push(compiler),
            None if id == "standard" => reader.error(
                Code::ConfigUnknownCompiler,
                &item_path(),
                format!(
                    "`standard` is not a transaction compiler (Siren's REST reference uses it only as an illustration); list the parts that count: {}.",
                    quoted_list(TRANSACTION_COMPILERS)
                ),
            ),
            None => reader.unknown_id(
                Code::ConfigUnknownCompiler,
                &item_path(),
                id,
                "transaction compiler",
                &KnownIds::new(TRANSACTION_COMPILERS.iter().copied()),
            ),
        }
    }
    (reader.error_count() == errors_before).then_some(compilers)
}

/// `lineItemFilters`: `{withTypes, withSkus, inCategories, collaboratorOwned}`; `null` or an
/// empty list means no restriction.
pub(crate) fn read_line_item_filters(reader: &mut Reader, value: &Value, path: &Pointer) -> Option<LineItemFilters> {
    let object = reader.object(value, path, "`lineItemFilters`")?;
    let errors_before = reader.error_count();
    let mut filters = LineItemFilters::default();
    for (field, value) in present(object, LINE_ITEM_FILTER_FIELDS) {
        let Some(field_path) = reader.known_field_path(path, field, "line-item filters", LINE_ITEM_FILTER_FIELDS, None)
        else {
            continue;
        };
        match field.as_str() {
            "withTypes" => filters.with_types = read_detail_types(reader, value, &field_path),
            "withSkus" => filters.with_skus = read_id_list(reader, value, &field_path, "`withSkus`", "SKU"),
            "inCategories" => {
                filters.in_categories = read_id_list(reader, value, &field_path, "`inCategories`", "category")
            }
            "collaboratorOwned" => filters.collaborator_owned = read_flag(reader, value, &field_path).unwrap_or(false),
            _ => {} // unknown: reported by `known_field_path`
        }
    }
    (reader.error_count() == errors_before).then_some(filters)
}

fn read_detail_types(reader: &mut Reader, value: &Value, path: &Pointer) -> Vec<DetailType> {
    let mut types = Vec::new();
    let Some(items) = reader.array(value, path, "`withTypes`", "a list of line item types") else {
        return types;
    };
    for (index, item) in items.iter().enumerate() {
        let Value::String(name) = item else {
            reader.wrong_type(&path.index(index), "A line item type", "a string", item);
            continue;
        };
        match DetailType::from_name(name) {
            Some(detail_type) if !types.contains(&detail_type) => types.push(detail_type),
            Some(_) => {}
            None => reader.unknown_id(
                Code::ConfigUnknownLineItemType,
                &path.index(index),
                name,
                "line item type",
                &KnownIds::new(DETAIL_TYPE_NAMES.iter().copied()),
            ),
        }
    }
    types
}

/// A list of SKUs or categories: strings, or numbers taken as their text (`123`).
fn read_id_list(reader: &mut Reader, value: &Value, path: &Pointer, label: &str, item_kind: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let Some(items) = reader.array(value, path, label, &format!("a list of {item_kind}s")) else {
        return ids;
    };
    for (index, item) in items.iter().enumerate() {
        let item_path = || path.index(index);
        match item {
            Value::String(text) if text.trim().is_empty() => {
                reader.error(Code::ConfigEmptyText, &item_path(), format!("A {item_kind} in {label} is empty."))
            }
            Value::String(text) => ids.push(text.clone()),
            Value::Number(number) => ids.push(number.to_string()),
            other => reader.wrong_type(&item_path(), &format!("A {item_kind} in {label}"), "a string", other),
        }
    }
    ids
}

/// A boolean, also accepting WordPress's `"1"`/`"0"` and `"true"`/`"false"` strings.
fn read_flag(reader: &mut Reader, value: &Value, path: &Pointer) -> Option<bool> {
    match value {
        Value::String(text) if matches!(text.as_str(), "1" | "true") => Some(true),
        Value::String(text) if matches!(text.as_str(), "0" | "false" | "") => Some(false),
        other => reader.boolean(other, path, "`collaboratorOwned`"),
    }
}

/// Collaborator ids as strings or whole numbers, normalized to strings (`7` and `"7"` match).
fn read_eligible_collaborators(reader: &mut Reader, value: &Value, path: &Pointer) -> Option<Vec<String>> {
    let items = reader.array(value, path, "`eligibleCollaborators`", "a list of collaborator ids")?;
    let errors_before = reader.error_count();
    let mut ids = Vec::with_capacity(items.len());
    let mut seen = HashSet::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let item_path = || path.index(index);
        let id = match item {
            Value::String(text) if text.trim().is_empty() => {
                reader.error(Code::ConfigEmptyText, &item_path(), "A collaborator id is empty.");
                continue;
            }
            Value::String(text) => text.clone(),
            Value::Number(number) => {
                let text = number.to_string();
                match parse_decimal(&text) {
                    Ok(id) if id.fract().is_zero() && !id.is_sign_negative() => id.normalize().to_string(),
                    _ => {
                        reader.error(
                            Code::ConfigInvalidCollaboratorId,
                            &item_path(),
                            format!("Collaborator id {} is not a whole number of at least 0.", quote(&text)),
                        );
                        continue;
                    }
                }
            }
            other => {
                reader.wrong_type(&item_path(), "A collaborator id", "a string or a whole number", other);
                continue;
            }
        };
        if seen.insert(id.clone()) {
            ids.push(id);
        } else {
            reader.warning(
                Code::ConfigDuplicateCollaborator,
                &item_path(),
                format!("Collaborator {} is listed twice.", quote(&id)),
            );
        }
    }
    if items.is_empty() {
        reader.warning(
            Code::ConfigNoEligibleCollaborators,
            path,
            "`eligibleCollaborators` is an empty list, so nobody can earn; omit it (or use null) to let every active collaborator earn.",
        );
    }
    (reader.error_count() == errors_before).then_some(ids)
}
