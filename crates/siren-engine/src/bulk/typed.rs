//! Records read from JSON text by serde straight into typed rows, with no `Value` tree: the
//! everyday path's speed (a tree costs an allocation per object, member and string, most of a
//! load). The rows hold each scalar as it was written (text borrowed from the input, or a
//! number's source text) and are turned into records by the same helpers the exact reader
//! (`model::parse_event`, `model::parse_transaction`) uses.
//!
//! Invariant: a row becomes a record only when the exact reader would read the same element as
//! that same record; anything else (an unknown member, a value of another type, a value over a
//! limit, any refused value) is `Unread`, and the caller reads the whole input again with the
//! exact reader, which locates the error or accepts what this one leaves to it. Never a
//! different answer, only a slower one.

use crate::amount::{self, MAX_SAFE_INTEGER};
use crate::config::DetailType;
use crate::diagnostics::{without_bom, Code, Pointer};
use crate::limits::{self, MAX_DETAILS_PER_TRANSACTION, MAX_ID_BYTES, MAX_NUMBER_CHARS, MAX_REFUNDS_PER_TRANSACTION};
use crate::model::{self, Detail, Refund, Transaction, TransactionStatus, MANUAL, MAX_QUANTITY};
use crate::time;
use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::de::{Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// The typed reader left the input to the exact one (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unread;

/// The member names records have, each a slot of a `Row`.
const NAMES: [&str; 15] = [
    "id",
    "collaboratorId",
    "type",
    "occurredAt",
    "points",
    "status",
    "currency",
    "total",
    "details",
    "refunds",
    "amount",
    "quantity",
    "sku",
    "categories",
    "ownerCollaboratorIds",
];
const ID: usize = 0;
const COLLABORATOR_ID: usize = 1;
const KIND: usize = 2;
const OCCURRED_AT: usize = 3;
const POINTS: usize = 4;
const STATUS: usize = 5;
const CURRENCY: usize = 6;
const TOTAL: usize = 7;
const DETAILS: usize = 8;
const REFUNDS: usize = 9;
const AMOUNT: usize = 10;
const QUANTITY: usize = 11;
const SKU: usize = 12;
const CATEGORIES: usize = 13;
const OWNER_COLLABORATOR_IDS: usize = 14;

/// The slots each kind of record may have; another member leaves the record to the exact reader.
const EVENT: [usize; 5] = [ID, COLLABORATOR_ID, KIND, OCCURRED_AT, POINTS];
const TRANSACTION: [usize; 7] = [ID, STATUS, OCCURRED_AT, CURRENCY, TOTAL, DETAILS, REFUNDS];
const DETAIL: [usize; 6] = [KIND, AMOUNT, QUANTITY, SKU, CATEGORIES, OWNER_COLLABORATOR_IDS];
const REFUND: [usize; 2] = [OCCURRED_AT, AMOUNT];

/// `serde_json`'s name for a number read with `arbitrary_precision`: a one-member map from it
/// to the number's source text. Were it ever to change, numbers would read as `Other` and go
/// to the exact reader: slower, never different.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// A JSON value as the typed reader keeps it: one visitor for every record (a derived
/// deserializer per record type costs several times the module size), strings borrowed from the
/// input unless they have escapes, objects as a fixed row of the known members.
pub(crate) enum Node<'a> {
    Text(Cow<'a, str>),
    /// A number's source text.
    Number(String),
    Null,
    List(Vec<Node<'a>>),
    Row(Box<Row<'a>>),
    /// Anything else: an object with another member (or one given twice), a boolean.
    Other,
}

/// An object's members by slot (`NAMES`); `None` when absent.
type Row<'a> = [Option<Node<'a>>; NAMES.len()];

/// A member name, as its slot.
enum Key {
    Slot(usize),
    Number,
    Unknown,
}

struct Keys;

impl<'de> DeserializeSeed<'de> for Keys {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Keys {
    type Value = Key;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a member name")
    }
    fn visit_str<E>(self, name: &str) -> Result<Key, E> {
        Ok(match NAMES.iter().position(|known| *known == name) {
            Some(slot) => Key::Slot(slot),
            None if name == NUMBER_TOKEN => Key::Number,
            None => Key::Unknown,
        })
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Node<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Nodes(PhantomData))
    }
}

struct Nodes<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for Nodes<'a> {
    type Value = Node<'a>;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON value")
    }
    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Node<'a>, E> {
        Ok(Node::Text(Cow::Borrowed(text)))
    }
    fn visit_str<E>(self, text: &str) -> Result<Node<'a>, E> {
        Ok(Node::Text(Cow::Owned(text.to_string())))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Node<'a>, E> {
        Ok(Node::Other)
    }
    fn visit_i64<E>(self, n: i64) -> Result<Node<'a>, E> {
        Ok(Node::Number(n.to_string()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Node<'a>, E> {
        Ok(Node::Number(n.to_string()))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Node<'a>, E> {
        Ok(Node::Other)
    }
    fn visit_unit<E>(self) -> Result<Node<'a>, E> {
        Ok(Node::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'a>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'a>, A::Error> {
        let mut row: Box<Row<'a>> = Box::new([const { None }; NAMES.len()]);
        let mut other = false;
        while let Some(key) = map.next_key_seed(Keys)? {
            match key {
                Key::Number => return Ok(Node::Number(map.next_value::<String>()?)),
                Key::Slot(slot) if !other && row[slot].is_none() => row[slot] = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    other = true;
                }
            }
        }
        Ok(if other { Node::Other } else { Node::Row(row) })
    }
}

/// The row of a record whose members are all among `slots`.
fn row<'n, 'a>(node: &'n Node<'a>, slots: &[usize]) -> Result<&'n Row<'a>, Unread> {
    match node {
        Node::Row(row) if row.iter().enumerate().all(|(slot, m)| m.is_none() || slots.contains(&slot)) => Ok(row),
        _ => Err(Unread),
    }
}

/// A member's value, `None` when absent or null (`model::optional`).
fn member<'n, 'a>(row: &'n Row<'a>, slot: usize) -> Option<&'n Node<'a>> {
    row[slot].as_ref().filter(|node| !matches!(node, Node::Null))
}

/// A member that must be present and not null (`model::required`).
fn required<'n, 'a>(row: &'n Row<'a>, slot: usize) -> Result<&'n Node<'a>, Unread> {
    member(row, slot).ok_or(Unread)
}

/// A list's items (`model::expect_array`).
fn list<'n, 'a>(node: &'n Node<'a>) -> Result<&'n [Node<'a>], Unread> {
    match node {
        Node::List(items) => Ok(items),
        _ => Err(Unread),
    }
}

/// What `limits::scan` allows a record's scalar: every record member is an id-like key
/// (`MAX_ID_BYTES`), and a number has at most `MAX_NUMBER_CHARS` characters.
fn within_limits(node: &Node) -> Result<(), Unread> {
    match node {
        Node::Text(text) if text.len() <= MAX_ID_BYTES => Ok(()),
        Node::Number(text) if text.len() <= MAX_NUMBER_CHARS => Ok(()),
        _ => Err(Unread),
    }
}

/// `model::parse_id` of a value.
fn id(node: &Node) -> Result<String, Unread> {
    within_limits(node)?;
    let at = Pointer::root();
    match node {
        Node::Text(text) => model::id_from_text(text, &at, "").map(str::to_string).map_err(|_| Unread),
        Node::Number(text) => model::id_from_number(text.clone(), &at, "").map_err(|_| Unread),
        _ => Err(Unread),
    }
}

/// A string (`model::expect_string`).
fn text<'n>(node: &'n Node) -> Result<&'n str, Unread> {
    within_limits(node)?;
    match node {
        Node::Text(text) => Ok(text),
        _ => Err(Unread),
    }
}

/// `model::parse_instant` of a value.
fn instant(node: &Node) -> Result<DateTime<FixedOffset>, Unread> {
    time::parse_timestamp(text(node)?).map_err(|_| Unread)
}

/// The text `amount::parse_amount` and `amount::parse_integer` read: a string's trimmed, or a
/// number's source text.
fn number_text<'n>(node: &'n Node) -> Result<&'n str, Unread> {
    within_limits(node)?;
    match node {
        Node::Text(text) => Ok(text.trim()),
        Node::Number(text) => Ok(text),
        _ => Err(Unread),
    }
}

/// `model`'s money: `amount::parse_amount` of a value.
fn money(node: &Node) -> Result<Decimal, Unread> {
    let (invalid, range) = (Code::TransactionsInvalidAmount, Code::TransactionsAmountOutOfRange);
    amount::amount_from_text(number_text(node)?, &Pointer::root(), "", invalid, range).map_err(|_| Unread)
}

/// An event as `model::parse_event` reads it, its strings borrowed where they can be.
pub(crate) struct EventRecord<'r> {
    pub(crate) id: Option<String>,
    pub(crate) collaborator_id: Cow<'r, str>,
    pub(crate) kind: &'r str,
    pub(crate) occurred_at: DateTime<FixedOffset>,
    pub(crate) points: Option<i64>,
}

/// `model::parse_event` of an event object.
fn event<'n>(node: &'n Node) -> Result<EventRecord<'n>, Unread> {
    let row = row(node, &EVENT)?;
    let id = member(row, ID).map(id).transpose()?;
    let kind = text(required(row, KIND)?)?;
    if kind.is_empty() {
        return Err(Unread);
    }
    let collaborator = required(row, COLLABORATOR_ID)?;
    within_limits(collaborator)?;
    let collaborator_id = match collaborator {
        Node::Text(text) if !text.is_empty() => Cow::Borrowed(&**text),
        other => Cow::Owned(self::id(other)?),
    };
    let occurred_at = instant(required(row, OCCURRED_AT)?)?;
    let points = match member(row, POINTS) {
        None => None,
        Some(_) if kind != MANUAL => return Err(Unread),
        Some(points) => Some(
            amount::integer_from_text(number_text(points)?)
                .filter(|p| (0..=MAX_SAFE_INTEGER).contains(p))
                .ok_or(Unread)?,
        ),
    };
    Ok(EventRecord { id, collaborator_id, kind, occurred_at, points })
}

/// Calls `f` with each event of the JSON array `text`, in order, as `model::parse_event` would
/// read it; `Unread` as soon as one is not read so (or `f` refuses it).
pub(crate) fn for_each_event(
    text: &[u8],
    mut f: impl FnMut(usize, EventRecord<'_>) -> Result<(), Unread>,
) -> Result<(), Unread> {
    elements(text, &mut |index, node| f(index, event(&node)?))
}

/// A list of ids (`model`'s `string_list`).
fn ids(row: &Row, slot: usize) -> Result<Vec<String>, Unread> {
    member(row, slot).map_or(Ok(Vec::new()), |items| list(items)?.iter().map(id).collect())
}

/// `model`'s `parse_detail` of a detail object.
fn detail(node: &Node) -> Result<Detail, Unread> {
    let row = row(node, &DETAIL)?;
    let at = Pointer::root();
    let kind: DetailType = model::detail_type_from_text(text(required(row, KIND)?)?, &at).map_err(|_| Unread)?;
    let amount = money(required(row, AMOUNT)?)?;
    let quantity = match member(row, QUANTITY) {
        None => 1,
        Some(quantity) => amount::integer_from_text(number_text(quantity)?)
            .and_then(|q| u64::try_from(q).ok())
            .filter(|q| *q <= MAX_QUANTITY)
            .ok_or(Unread)?,
    };
    let sku = member(row, SKU).map(id).transpose()?;
    let categories = ids(row, CATEGORIES)?;
    let owner_collaborator_ids = ids(row, OWNER_COLLABORATOR_IDS)?;
    Ok(Detail { kind, amount, quantity, sku, categories, owner_collaborator_ids })
}

/// `model::parse_transaction` of a transaction object at input position `index`.
fn transaction(node: &Node, index: usize) -> Result<Transaction, Unread> {
    let row = row(node, &TRANSACTION)?;
    let at = Pointer::root();
    let id = id(required(row, ID)?)?;
    let status = match member(row, STATUS) {
        None => TransactionStatus::Complete,
        Some(status) => model::status_from_text(text(status)?, &at).map_err(|_| Unread)?,
    };
    let occurred_at = instant(required(row, OCCURRED_AT)?)?;
    let currency = member(row, CURRENCY).map(|c| text(c).map(str::to_string)).transpose()?;
    let total = member(row, TOTAL).map(money).transpose()?;
    let details = match member(row, DETAILS).map(list).transpose()? {
        Some(rows) if rows.len() > MAX_DETAILS_PER_TRANSACTION => return Err(Unread),
        Some(rows) => Some(rows.iter().map(detail).collect::<Result<Vec<_>, _>>()?),
        None => None,
    };
    if details.is_none() && total.is_none() {
        return Err(Unread);
    }
    let refunds = match member(row, REFUNDS).map(list).transpose()? {
        Some(rows) if rows.len() > MAX_REFUNDS_PER_TRANSACTION => return Err(Unread),
        Some(rows) => rows
            .iter()
            .enumerate()
            .map(|(i, node)| {
                let row = self::row(node, &REFUND)?;
                let refund_at = instant(required(row, OCCURRED_AT)?)?;
                let amount = member(row, AMOUNT).map(money).transpose()?;
                model::refund_not_before_sale(&id, occurred_at, refund_at, &at).map_err(|_| Unread)?;
                Ok(Refund { index: i, occurred_at: refund_at, amount })
            })
            .collect::<Result<Vec<_>, _>>()?,
        None => Vec::new(),
    };
    Ok(Transaction { index, id, status, occurred_at, currency, total, details, refunds })
}

/// Calls `f` with each transaction of the JSON array `text`, in order, as
/// `model::parse_transaction` would read it; `Unread` as soon as one is not read so.
pub(crate) fn for_each_transaction(
    text: &[u8],
    mut f: impl FnMut(usize, Transaction) -> Result<(), Unread>,
) -> Result<(), Unread> {
    elements(text, &mut |index, node| f(index, transaction(&node, index)?))
}

/// Calls `f` with each element of the JSON array `text` read as a `Node`, one at a
/// time; `Unread` when the text is not such an array or `f` refuses an element. The exact
/// reader (`for_each_element`) then reads it again and says why. (`f` is a trait object: one
/// copy of the reader for every kind of record, for the module's size.)
fn elements<'de>(text: &'de [u8], f: &mut dyn FnMut(usize, Node<'de>) -> Result<(), Unread>) -> Result<(), Unread> {
    struct Rows<'f, 'de>(&'f mut dyn FnMut(usize, Node<'de>) -> Result<(), Unread>);
    impl<'de> Visitor<'de> for Rows<'_, 'de> {
        type Value = ();
        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("a JSON array")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut index = 0;
            while let Some(node) = seq.next_element()? {
                (self.0)(index, node).map_err(|Unread| serde::de::Error::custom("unread"))?;
                index += 1;
            }
            Ok(())
        }
    }
    if text.len() > limits::MAX_INPUT_BYTES {
        return Err(Unread);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(without_bom(text));
    deserializer.deserialize_seq(Rows(f)).and_then(|()| deserializer.end()).map_err(|_| Unread)
}
