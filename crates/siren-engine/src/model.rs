//! Input records of a cycle (ENGINE.md §8): metric events, transactions with their details and
//! refunds, collaborators, and the payout policies, read from JSON into typed values.
//!
//! Invariant: reading never panics and never guesses. Every malformed value is an `EngineError`
//! whose path points at it (`/events/12/occurredAt`). Unknown fields inside records are ignored,
//! so a host can pass Siren's REST payloads (which carry more fields) straight in.

use crate::amount::{self, MAX_SAFE_INTEGER};
use crate::config::DetailType;
use crate::diagnostics::{json_type_name, Code, EngineError, Pointer};
use crate::time;
use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// The event type whose credits carry their own points.
pub const MANUAL: &str = "manual";

/// The largest `quantity` on one detail.
pub const MAX_QUANTITY: u64 = 1_000_000_000;

/// One metric event: a collaborator earned points of `kind` at `occurred_at`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Position in the input array (for paths and as a stable tiebreaker).
    pub index: usize,
    pub id: Option<String>,
    pub collaborator_id: String,
    pub kind: String,
    pub occurred_at: DateTime<FixedOffset>,
    /// Only for `manual` credits.
    pub points: Option<i64>,
}

impl Event {
    /// How the explanation names the event: its id, else its JSON Pointer.
    pub fn label(&self) -> String {
        self.id.clone().unwrap_or_else(|| format!("/events/{}", self.index))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionStatus {
    Complete,
    Refunded,
    Cancelled,
}

/// One line of a transaction. `amount` is per unit and never negative.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub kind: DetailType,
    pub amount: Decimal,
    pub quantity: u64,
    pub sku: Option<String>,
    pub categories: Vec<String>,
    pub owner_collaborator_ids: Vec<String>,
}

/// A refund of (part of) a transaction, at its own instant. `amount: None` is a full refund.
#[derive(Debug, Clone, PartialEq)]
pub struct Refund {
    pub index: usize,
    pub occurred_at: DateTime<FixedOffset>,
    pub amount: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Transaction {
    pub index: usize,
    pub id: String,
    pub status: TransactionStatus,
    pub occurred_at: DateTime<FixedOffset>,
    pub currency: Option<String>,
    pub total: Option<Decimal>,
    /// `None` when the transaction only has a `total` (then it is one product line).
    pub details: Option<Vec<Detail>>,
    pub refunds: Vec<Refund>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CollaboratorStatus {
    Active,
    Pending,
    Inactive,
    Rejected,
    Deleted,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Collaborator {
    pub id: String,
    pub name: Option<String>,
    pub status: CollaboratorStatus,
}

/// How `topScoreWins` settles a tie for the top score (ENGINE.md §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TieBreak {
    #[default]
    EarliestToReach,
    Split,
    LowestCollaboratorId,
}

impl TieBreak {
    pub fn id(self) -> &'static str {
        match self {
            TieBreak::EarliestToReach => "earliestToReach",
            TieBreak::Split => "split",
            TieBreak::LowestCollaboratorId => "lowestCollaboratorId",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Policies {
    pub tie_break: TieBreak,
    pub carry_over_unawarded: bool,
}

/// A transaction id as a revenue pass reads it: text, or a whole number loaded as a number
/// (`transactionIds` as a typed array), which stands for its decimal text: it orders and prints
/// as that text would, without a string made for every transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdRef<'a> {
    Text(&'a str),
    Number(u64),
}

impl IdRef<'_> {
    /// `compare_ids` of the two texts (a whole number's text is numeric, so numbers compare as
    /// numbers).
    pub fn compare(&self, other: &IdRef) -> Ordering {
        match (self, other) {
            (IdRef::Number(a), IdRef::Number(b)) => a.cmp(b),
            (IdRef::Text(a), IdRef::Text(b)) => compare_ids(a, b),
            (a, b) => compare_ids(&a.to_string(), &b.to_string()),
        }
    }
}

impl std::fmt::Display for IdRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            IdRef::Text(text) => f.write_str(text),
            IdRef::Number(number) => write!(f, "{number}"),
        }
    }
}

/// Orders collaborator ids for `lowestCollaboratorId` and every final tiebreak: ids that are
/// whole numbers compare numerically ("9" < "10") and come before other ids, which compare by
/// their bytes. Total and deterministic, so output never depends on input order.
pub fn compare_ids(a: &str, b: &str) -> Ordering {
    match (numeric_key(a), numeric_key(b)) {
        (Some(x), Some(y)) => compare_numeric(x, y).then_with(|| a.cmp(b)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// (is negative, magnitude digits without leading zeros) of a whole-number id; "-0" is 0.
/// Borrowed, so comparing ids never allocates (sorting a million ids compares a lot).
/// Bytes, not `str` patterns (`strip_prefix('-')`), which cost more in wasm: revenue order
/// compares ids of transactions at equal instants.
fn numeric_key(id: &str) -> Option<(bool, &[u8])> {
    let (negative, digits) = match id.as_bytes().split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, id.as_bytes()),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let zeros = digits.iter().take_while(|b| **b == b'0').count();
    let digits = match digits.get(zeros..) {
        Some(rest) if !rest.is_empty() => rest,
        _ => b"0",
    };
    Some((negative && digits != b"0", digits))
}

/// Arbitrarily long integers: a longer magnitude is larger, equal lengths compare by digits.
fn compare_numeric((a_negative, a): (bool, &[u8]), (b_negative, b): (bool, &[u8])) -> Ordering {
    let magnitude = a.len().cmp(&b.len()).then_with(|| a.cmp(b));
    match (a_negative, b_negative) {
        (false, false) => magnitude,
        (true, true) => magnitude.reverse(),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
    }
}

// ---------------------------------------------------------------------------------------------
// Reading JSON

pub(crate) fn expect_object<'a>(
    value: &'a Value,
    path: &Pointer,
    what: &str,
) -> Result<&'a Map<String, Value>, EngineError> {
    match value {
        Value::Object(object) => Ok(object),
        other => Err(EngineError::new(
            Code::InputWrongType,
            path,
            format!("{what} must be an object, found {}.", json_type_name(other)),
        )),
    }
}

/// The whole input of an operation: an object; `null` is `input.missing`.
pub(crate) fn expect_input_object<'a>(value: &'a Value, what: &str) -> Result<&'a Map<String, Value>, EngineError> {
    match value {
        Value::Null => Err(EngineError::new(Code::InputMissing, &Pointer::root(), format!("{what} is required."))),
        other => expect_object(other, &Pointer::root(), "The input"),
    }
}

/// A field not in `known` is an error: in an operation's input a misspelt field
/// (`lastDistributonAt`) would otherwise silently change the result. `hint` follows the name.
pub(crate) fn reject_unknown_fields(
    object: &Map<String, Value>,
    known: &[&str],
    path: &Pointer,
    hint: impl Fn(&str) -> &'static str,
) -> Result<(), EngineError> {
    match object.keys().find(|key| !known.contains(&key.as_str())) {
        Some(key) => Err(EngineError::new(
            Code::InputUnknownField,
            &path.key(key),
            format!("Unknown field `{key}`{}; expected one of: {}.", hint(key), known.join(", ")),
        )),
        None => Ok(()),
    }
}

pub(crate) fn expect_array<'a>(value: &'a Value, path: &Pointer, what: &str) -> Result<&'a Vec<Value>, EngineError> {
    match value {
        Value::Array(items) => Ok(items),
        other => Err(EngineError::new(
            Code::InputWrongType,
            path,
            format!("{what} must be an array, found {}.", json_type_name(other)),
        )),
    }
}

/// A field that must be present and not null.
pub(crate) fn required<'a>(
    object: &'a Map<String, Value>,
    key: &str,
    path: &Pointer,
) -> Result<&'a Value, EngineError> {
    match object.get(key) {
        None | Some(Value::Null) => {
            Err(EngineError::new(Code::InputRequired, &path.key(key), format!("`{key}` is required.")))
        }
        Some(value) => Ok(value),
    }
}

/// A field that may be absent; `null` counts as absent.
pub(crate) fn optional<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object.get(key).filter(|v| !v.is_null())
}

pub(crate) fn expect_string<'a>(value: &'a Value, path: &Pointer, what: &str) -> Result<&'a str, EngineError> {
    value.as_str().ok_or_else(|| {
        EngineError::new(
            Code::InputWrongType,
            path,
            format!("{what} must be a string, found {}.", json_type_name(value)),
        )
    })
}

/// An id: a non-empty string or a whole JSON number, normalised to its decimal text.
pub fn parse_id(value: &Value, path: &Pointer, what: &str) -> Result<String, EngineError> {
    match value {
        Value::String(text) => id_from_text(text, path, what).map(str::to_string),
        Value::Number(number) => id_from_number(number.to_string(), path, what),
        other => Err(EngineError::new(
            Code::InputWrongType,
            path,
            format!("{what} must be a string or a whole number, found {}.", json_type_name(other)),
        )),
    }
}

/// `parse_id` of a string: itself, unless empty.
pub(crate) fn id_from_text<'a>(text: &'a str, path: &Pointer, what: &str) -> Result<&'a str, EngineError> {
    if text.is_empty() {
        return Err(EngineError::new(Code::PreviewInvalidId, path, format!("{what} must not be empty.")));
    }
    Ok(text)
}

/// `parse_id` of a number, given its source text: that text, when it is a whole number.
pub(crate) fn id_from_number(text: String, path: &Pointer, what: &str) -> Result<String, EngineError> {
    let digits = text.strip_prefix('-').unwrap_or(&text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(text);
    }
    Err(EngineError::new(
        Code::PreviewInvalidId,
        path,
        format!("{what} {text} is not a whole number; use a string for other ids."),
    ))
}

/// An instant: an ISO-8601 string with an offset or `Z`.
pub fn parse_instant(value: &Value, path: &Pointer, what: &str) -> Result<DateTime<FixedOffset>, EngineError> {
    let text = value.as_str().ok_or_else(|| {
        EngineError::new(
            Code::InputWrongType,
            path,
            format!(
                "{what} must be an ISO-8601 timestamp string such as \"2026-01-31T23:59:59Z\", found {}.",
                json_type_name(value)
            ),
        )
    })?;
    time::parse_timestamp(text).map_err(|(code, message)| EngineError::new(code, path, message))
}

fn string_list(value: Option<&Value>, path: &Pointer, what: &str) -> Result<Vec<String>, EngineError> {
    let Some(value) = value else { return Ok(Vec::new()) };
    let items = expect_array(value, path, what)?;
    items.iter().enumerate().map(|(i, item)| parse_id(item, &path.index(i), what)).collect()
}

/// Reads `events`. Ids, when given, must be unique.
pub fn parse_events(value: &Value, path: &Pointer) -> Result<Vec<Event>, EngineError> {
    let items = expect_array(value, path, "`events`")?;
    let mut seen = BTreeSet::new();
    let mut events = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let event = parse_event(item, index, &path.index(index))?;
        if let Some(id) = &event.id {
            if !seen.insert(id.clone()) {
                return Err(EngineError::new(
                    Code::EventsDuplicateId,
                    &path.index(index).key("id"),
                    format!("Event id `{id}` appears more than once."),
                ));
            }
        }
        events.push(event);
    }
    Ok(events)
}

/// Reads one event, at input position `index` and path `at` (duplicate ids are the caller's).
pub fn parse_event(item: &Value, index: usize, at: &Pointer) -> Result<Event, EngineError> {
    let at = at.clone();
    {
        let object = expect_object(item, &at, "An event")?;
        let id = optional(object, "id").map(|v| parse_id(v, &at.key("id"), "`id`")).transpose()?;
        let collaborator_id =
            parse_id(required(object, "collaboratorId", &at)?, &at.key("collaboratorId"), "`collaboratorId`")?;
        let kind = expect_string(required(object, "type", &at)?, &at.key("type"), "`type`")?.to_string();
        if kind.is_empty() {
            return Err(EngineError::new(Code::InputWrongType, &at.key("type"), "`type` must not be empty."));
        }
        let occurred_at = parse_instant(required(object, "occurredAt", &at)?, &at.key("occurredAt"), "`occurredAt`")?;
        let points = match optional(object, "points") {
            None => None,
            Some(_) if kind != MANUAL => {
                return Err(EngineError::new(
                    Code::EventsUnexpectedPoints,
                    &at.key("points"),
                    format!(
                        "Only `manual` credits carry `points`; a `{kind}` event is worth what the configuration says."
                    ),
                ))
            }
            Some(value) => match amount::parse_integer(value).filter(|p| (0..=MAX_SAFE_INTEGER).contains(p)) {
                Some(points) => Some(points),
                None => {
                    return Err(EngineError::new(
                        Code::EventsInvalidPoints,
                        &at.key("points"),
                        format!("`points` must be a whole number from 0 to {MAX_SAFE_INTEGER}."),
                    ))
                }
            },
        };
        Ok(Event { index, id, collaborator_id, kind, occurred_at, points })
    }
}

/// Reads a transaction's `status`.
pub fn parse_status(value: &Value, path: &Pointer) -> Result<TransactionStatus, EngineError> {
    status_from_text(expect_string(value, path, "`status`")?, path)
}

/// `parse_status` of a string.
pub(crate) fn status_from_text(text: &str, path: &Pointer) -> Result<TransactionStatus, EngineError> {
    Ok(match text {
        "complete" => TransactionStatus::Complete,
        "refunded" => TransactionStatus::Refunded,
        "cancelled" => TransactionStatus::Cancelled,
        other => {
            return Err(EngineError::new(
                Code::TransactionsInvalidStatus,
                path,
                format!("Transaction status `{other}` is not one of complete, refunded, cancelled."),
            ))
        }
    })
}

/// Reads a detail's `type`.
pub fn parse_detail_type(value: &Value, path: &Pointer) -> Result<DetailType, EngineError> {
    detail_type_from_text(expect_string(value, path, "`type`")?, path)
}

/// `parse_detail_type` of a string.
pub(crate) fn detail_type_from_text(text: &str, path: &Pointer) -> Result<DetailType, EngineError> {
    Ok(match text {
        "product" => DetailType::Product,
        "subscription" => DetailType::Subscription,
        "fee" => DetailType::Fee,
        "discount" => DetailType::Discount,
        "shipping" => DetailType::Shipping,
        "tax" => DetailType::Tax,
        other => {
            return Err(EngineError::new(
                Code::TransactionsInvalidDetailType,
                path,
                format!("Detail type `{other}` is not one of product, subscription, fee, discount, shipping, tax."),
            ))
        }
    })
}

fn money(value: &Value, path: &Pointer, what: &str) -> Result<Decimal, EngineError> {
    amount::parse_amount(value, path, what, Code::TransactionsInvalidAmount, Code::TransactionsAmountOutOfRange)
}

fn parse_detail(value: &Value, path: &Pointer) -> Result<Detail, EngineError> {
    let object = expect_object(value, path, "A transaction detail")?;
    let kind = parse_detail_type(required(object, "type", path)?, &path.key("type"))?;
    let amount = money(required(object, "amount", path)?, &path.key("amount"), "`amount`")?;
    let quantity = match optional(object, "quantity") {
        None => 1,
        Some(value) => {
            match amount::parse_integer(value).and_then(|q| u64::try_from(q).ok()).filter(|q| *q <= MAX_QUANTITY) {
                Some(quantity) => quantity,
                None => {
                    return Err(EngineError::new(
                        Code::TransactionsInvalidQuantity,
                        &path.key("quantity"),
                        format!("`quantity` must be a whole number from 0 to {MAX_QUANTITY}."),
                    ))
                }
            }
        }
    };
    let sku = optional(object, "sku").map(|v| parse_id(v, &path.key("sku"), "`sku`")).transpose()?;
    let categories = string_list(optional(object, "categories"), &path.key("categories"), "`categories`")?;
    let owner_collaborator_ids = string_list(
        optional(object, "ownerCollaboratorIds"),
        &path.key("ownerCollaboratorIds"),
        "`ownerCollaboratorIds`",
    )?;
    Ok(Detail { kind, amount, quantity, sku, categories, owner_collaborator_ids })
}

/// Reads `transactions`. Ids are required and unique (refunds are matched to their sale by it).
pub fn parse_transactions(value: &Value, path: &Pointer) -> Result<Vec<Transaction>, EngineError> {
    let items = expect_array(value, path, "`transactions`")?;
    let mut seen = BTreeSet::new();
    let mut transactions = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let transaction = parse_transaction(item, index, &path.index(index))?;
        if !seen.insert(transaction.id.clone()) {
            return Err(duplicate_transaction(&transaction.id, &path.index(index)));
        }
        transactions.push(transaction);
    }
    Ok(transactions)
}

/// The error for a transaction id seen before, at the transaction's path `at`.
pub fn duplicate_transaction(id: &str, at: &Pointer) -> EngineError {
    EngineError::new(
        Code::TransactionsDuplicateId,
        &at.key("id"),
        format!("Transaction id `{id}` appears more than once."),
    )
}

/// Reads one transaction, at input position `index` and path `at` (duplicate ids are the
/// caller's).
pub fn parse_transaction(item: &Value, index: usize, at: &Pointer) -> Result<Transaction, EngineError> {
    let at = at.clone();
    {
        let object = expect_object(item, &at, "A transaction")?;
        let id = parse_id(required(object, "id", &at)?, &at.key("id"), "`id`")?;
        let status = match optional(object, "status") {
            None => TransactionStatus::Complete,
            Some(value) => parse_status(value, &at.key("status"))?,
        };
        let occurred_at = parse_instant(required(object, "occurredAt", &at)?, &at.key("occurredAt"), "`occurredAt`")?;
        let currency = optional(object, "currency")
            .map(|v| expect_string(v, &at.key("currency"), "`currency`").map(str::to_string))
            .transpose()?;
        let total = optional(object, "total").map(|v| money(v, &at.key("total"), "`total`")).transpose()?;
        let details = match optional(object, "details") {
            None => None,
            Some(value) => {
                let lines = expect_array(value, &at.key("details"), "`details`")?;
                Some(
                    lines
                        .iter()
                        .enumerate()
                        .map(|(i, line)| parse_detail(line, &at.key("details").index(i)))
                        .collect::<Result<Vec<_>, _>>()?,
                )
            }
        };
        if details.is_none() && total.is_none() {
            return Err(EngineError::new(
                Code::TransactionsMissingAmount,
                &at,
                format!("Transaction `{id}` needs `details` or a `total`, or its value is unknown."),
            ));
        }
        let refunds = match optional(object, "refunds") {
            None => Vec::new(),
            Some(value) => {
                let refund_path = at.key("refunds");
                let list = expect_array(value, &refund_path, "`refunds`")?;
                let mut refunds = Vec::with_capacity(list.len());
                for (i, refund) in list.iter().enumerate() {
                    let rp = refund_path.index(i);
                    let object = expect_object(refund, &rp, "A refund")?;
                    let refund_at =
                        parse_instant(required(object, "occurredAt", &rp)?, &rp.key("occurredAt"), "`occurredAt`")?;
                    let amount =
                        optional(object, "amount").map(|v| money(v, &rp.key("amount"), "`amount`")).transpose()?;
                    refund_not_before_sale(&id, occurred_at, refund_at, &rp.key("occurredAt"))?;
                    refunds.push(Refund { index: i, occurred_at: refund_at, amount });
                }
                refunds
            }
        };
        Ok(Transaction { index, id, status, occurred_at, currency, total, details, refunds })
    }
}

/// A refund dated before its sale is refused, at the refund's `occurredAt` (`path`): the engine
/// cannot tell which of the two dates is wrong (WooCommerce lets an order's date be edited after
/// it was refunded), and counting it anywhere would move money between windows unseen. Both
/// record paths (JSON and columns) check it.
pub fn refund_not_before_sale(
    id: &str,
    sale: DateTime<FixedOffset>,
    refund: DateTime<FixedOffset>,
    path: &Pointer,
) -> Result<(), EngineError> {
    if refund >= sale {
        return Ok(());
    }
    Err(EngineError::new(
        Code::TransactionsRefundBeforeSale,
        path,
        format!(
            "This refund of transaction `{id}` is dated {}, before its sale ({}); a refund cannot precede the sale it refunds. Correct the order's or the refund's date.",
            crate::time::format_local(refund.to_utc().fixed_offset(), b'T') + "Z",
            crate::time::format_local(sale.to_utc().fixed_offset(), b'T') + "Z"
        ),
    ))
}

/// Reads `collaborators`; `status` defaults to `active`.
pub fn parse_collaborators(value: &Value, path: &Pointer) -> Result<Vec<Collaborator>, EngineError> {
    let items = expect_array(value, path, "`collaborators`")?;
    let mut seen = BTreeSet::new();
    let mut collaborators = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let at = path.index(index);
        let object = expect_object(item, &at, "A collaborator")?;
        let id = parse_id(required(object, "id", &at)?, &at.key("id"), "`id`")?;
        if !seen.insert(id.clone()) {
            return Err(EngineError::new(
                Code::PreviewDuplicateCollaborator,
                &at.key("id"),
                format!("Collaborator id `{id}` appears more than once."),
            ));
        }
        let name = optional(object, "name")
            .map(|v| expect_string(v, &at.key("name"), "`name`").map(str::to_string))
            .transpose()?;
        let status = match optional(object, "status") {
            None => CollaboratorStatus::Active,
            Some(value) => match expect_string(value, &at.key("status"), "`status`")? {
                "active" => CollaboratorStatus::Active,
                "pending" => CollaboratorStatus::Pending,
                "inactive" => CollaboratorStatus::Inactive,
                "rejected" => CollaboratorStatus::Rejected,
                "deleted" => CollaboratorStatus::Deleted,
                other => {
                    return Err(EngineError::new(
                        Code::PreviewInvalidCollaboratorStatus,
                        &at.key("status"),
                        format!(
                            "Collaborator status `{other}` is not one of active, pending, inactive, rejected, deleted."
                        ),
                    ))
                }
            },
        };
        collaborators.push(Collaborator { id, name, status });
    }
    Ok(collaborators)
}

/// Reads `policies: {tieBreak?, carryOverUnawarded?}`.
pub fn parse_policies(value: &Value, path: &Pointer) -> Result<Policies, EngineError> {
    let object = expect_object(value, path, "`policies`")?;
    let mut policies = Policies::default();
    for (key, value) in object {
        let at = path.key(key);
        match key.as_str() {
            "tieBreak" => {
                if value.is_null() {
                    continue;
                }
                policies.tie_break = match expect_string(value, &at, "`tieBreak`")? {
                    "earliestToReach" => TieBreak::EarliestToReach,
                    "split" => TieBreak::Split,
                    "lowestCollaboratorId" => TieBreak::LowestCollaboratorId,
                    other => {
                        return Err(EngineError::new(
                            Code::PreviewInvalidPolicy,
                            &at,
                            format!("Tie policy `{other}` is not one of earliestToReach, split, lowestCollaboratorId."),
                        ))
                    }
                }
            }
            "carryOverUnawarded" => match value {
                Value::Null => {}
                Value::Bool(on) => policies.carry_over_unawarded = *on,
                other => {
                    return Err(EngineError::new(
                        Code::PreviewInvalidPolicy,
                        &at,
                        format!("`carryOverUnawarded` must be true or false, found {}.", json_type_name(other)),
                    ))
                }
            },
            other => {
                return Err(EngineError::new(
                    Code::InputUnknownField,
                    &at,
                    format!("Unknown policy `{other}`; known policies are tieBreak and carryOverUnawarded."),
                ))
            }
        }
    }
    Ok(policies)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_compare_numerically_then_bytewise() {
        let mut ids = vec!["b", "10", "9", "a", "-3", "007", "-20"];
        ids.sort_by(|a, b| compare_ids(a, b));
        assert_eq!(ids, vec!["-20", "-3", "007", "9", "10", "a", "b"]);
        assert_eq!(compare_ids("99999999999999999999999", "100000000000000000000000"), Ordering::Less);
        // Equal numbers ("-0" is 0, leading zeros do not count) fall back to their bytes.
        assert_eq!(compare_ids("0", "-0"), Ordering::Greater);
        assert_eq!(compare_ids("00", "0"), Ordering::Greater);
        assert_eq!(compare_ids("-007", "-7"), Ordering::Less);
        assert_eq!(compare_ids("-1", "-0"), Ordering::Less);
        // A lone minus sign, or nothing, is not a number.
        assert_eq!(compare_ids("-", "5"), Ordering::Greater);
        assert_eq!(compare_ids("", "5"), Ordering::Greater);
        assert_eq!(compare_ids("", "-"), Ordering::Less);
    }
}
