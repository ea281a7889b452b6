//! Transactions given as columns (the bulk path's `Engine.loadTransactionsColumns`): typed
//! arrays with one entry per transaction, per line and per refund, and amounts as whole numbers
//! of 10^-`amountScale` major units (cents with `amountScale: 2`). They are checked and kept as
//! columns (`TransactionTable`): a preview's revenue is computed from them in whole units
//! (`bulk::revenue`), and the same `Transaction`s the JSON reader makes are built from them
//! only for the passes that need them (a simulation, or a preview the column pass leaves to
//! `pool`): building them, with their `Decimal` lines, would be most of a load.
//!
//! Invariant: columns that describe the same transactions as a JSON array give the same
//! previews and simulations (the unit tests' `bulk` module compares the bytes). A line is its
//! transaction's detail number k when it is the k-th line of that transaction in the columns
//! (refunds alike); a transaction without lines is the JSON `{total}` form. Errors locate the
//! value in its column (`/transactions/lineAmount/7`); positions in `transactionIds` stand for
//! the transaction in the paths of errors found later (`/transactions/12/details/0`).

use super::columns::{is_whole_ms, same_lengths};
use super::events::text_bytes;
use crate::amount::{is_safe_whole, MAX_AMOUNT, MAX_AMOUNT_DECIMALS, MAX_SAFE_INTEGER};
use crate::config::DetailType;
use crate::diagnostics::{Code, EngineError, Pointer};
use crate::limits::{self, MAX_BULK_LINES, MAX_DETAILS_PER_TRANSACTION, MAX_REFUNDS_PER_TRANSACTION};
use crate::model::{self, Detail, IdRef, Refund, Transaction, TransactionStatus, MAX_QUANTITY};
use crate::pool::TransactionIndex;
use crate::scoring::keep_first;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Offset, Utc};
use rust_decimal::Decimal;
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// Transactions as columns. Per transaction: `transaction_ids`, `occurred_at_ms`, and the
/// optional `status_index`, `currencies`, `total`; per line: the `line_*` columns; per refund:
/// the `refund_*` columns.
#[derive(Debug, Clone, Default)]
pub struct TransactionColumns {
    pub transaction_ids: TransactionIds,
    /// Milliseconds since 1970-01-01T00:00Z (whole numbers).
    pub occurred_at_ms: Vec<f64>,
    /// Positions in `status_names`; `None`: every transaction is `complete`.
    pub status_index: Option<Vec<u8>>,
    /// `None`: `STATUS_NAMES`.
    pub status_names: Option<Vec<String>>,
    /// `None` for a transaction without a currency (as a JSON one without `currency`).
    pub currencies: Option<Vec<Option<String>>>,
    /// What the customer paid; NaN for none.
    pub total: Option<Vec<f64>>,
    /// Every amount column holds whole numbers of 10^-`amount_scale` major units.
    pub amount_scale: u32,
    /// Per line: a position in `transaction_ids`.
    pub line_transaction_index: Vec<u32>,
    /// Per line: a position in `line_type_names`.
    pub line_type_index: Vec<u8>,
    /// `None`: `LINE_TYPE_NAMES`.
    pub line_type_names: Option<Vec<String>>,
    /// Per line: the amount of one unit.
    pub line_amount: Vec<f64>,
    /// Per line; `None`: every quantity is 1.
    pub line_quantity: Option<Vec<u32>>,
    pub line_skus: Option<Vec<Option<String>>>,
    pub line_categories: Option<Vec<Vec<String>>>,
    pub line_owner_collaborator_ids: Option<Vec<Vec<String>>>,
    /// Per refund: a position in `transaction_ids`.
    pub refund_transaction_index: Vec<u32>,
    pub refund_occurred_at_ms: Vec<f64>,
    /// Per refund: the amount refunded; NaN (or no column) for a full refund.
    pub refund_amount: Option<Vec<f64>>,
}

impl TransactionColumns {
    /// What the columns take in memory (`limits::column_bytes`): the measure of a handle's
    /// budget (`limits::MAX_HANDLE_BYTES`).
    pub fn bytes(&self) -> usize {
        let f64s = |c: &Option<Vec<f64>>| c.as_ref().map_or(0, |c| c.len() * 8);
        let mut typed = self.occurred_at_ms.len() * 8
            + self.status_index.as_ref().map_or(0, Vec::len)
            + f64s(&self.total)
            + self.line_transaction_index.len() * 4
            + self.line_type_index.len()
            + self.line_amount.len() * 8
            + self.line_quantity.as_ref().map_or(0, |c| c.len() * 4)
            + self.refund_transaction_index.len() * 4
            + self.refund_occurred_at_ms.len() * 8
            + f64s(&self.refund_amount);
        let (mut strings, mut text) = (0, 0);
        let mut add = |(count, bytes): (usize, usize)| {
            strings += count;
            text += bytes;
        };
        match &self.transaction_ids {
            TransactionIds::Numbers(ids) => typed += ids.len() * 8,
            TransactionIds::Text(ids) => add(text_bytes(ids.iter().map(String::as_str))),
        }
        let names = self.status_names.iter().chain(&self.line_type_names).flatten();
        add(text_bytes(names.map(String::as_str)));
        let nullable = self.currencies.iter().chain(&self.line_skus).flatten();
        add(text_bytes(nullable.map(|s| s.as_deref().unwrap_or_default())));
        for lists in self.line_categories.iter().chain(&self.line_owner_collaborator_ids) {
            add((lists.len(), 0));
            add(text_bytes(lists.iter().flatten().map(String::as_str)));
        }
        limits::column_bytes(typed, strings, text)
    }
}

/// The transactions' ids: text, or whole numbers from 0 to 2^53 − 1 (WooCommerce and Siren
/// number their orders and transactions), each standing for its decimal text (`12` is the id
/// `"12"`): they load without a string made for each, and their duplicates are found among
/// numbers.
#[derive(Debug, Clone)]
pub enum TransactionIds {
    Text(Vec<String>),
    /// Checked whole numbers once in a `TransactionTable`.
    Numbers(Vec<f64>),
}

impl Default for TransactionIds {
    fn default() -> Self {
        TransactionIds::Text(Vec::new())
    }
}

impl From<Vec<String>> for TransactionIds {
    fn from(ids: Vec<String>) -> Self {
        TransactionIds::Text(ids)
    }
}

impl TransactionIds {
    pub fn len(&self) -> usize {
        match self {
            TransactionIds::Text(ids) => ids.len(),
            TransactionIds::Numbers(ids) => ids.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Id `t` (a number as loaded is exact in a `u64`: checked whole, from 0 to 2^53 − 1).
    pub(crate) fn get(&self, t: usize) -> Option<IdRef<'_>> {
        match self {
            TransactionIds::Text(ids) => ids.get(t).map(|id| IdRef::Text(id)),
            TransactionIds::Numbers(ids) => ids.get(t).map(|&id| IdRef::Number(id as u64)),
        }
    }

    fn text(&self, t: usize) -> String {
        self.get(t).map(|id| id.to_string()).unwrap_or_default()
    }

    /// The first bad id in column order: empty, or not a whole number from 0 to 2^53 − 1, or
    /// equal to an earlier one.
    fn check(&self, column: &Pointer) -> Result<(), EngineError> {
        let (bad, repeated) = match self {
            TransactionIds::Text(ids) => {
                limits::check_ids(ids.iter().map(String::as_str), column)?;
                (ids.iter().position(String::is_empty), first_repeated(ids))
            }
            TransactionIds::Numbers(ids) => {
                let bad = ids.iter().position(|&id| !is_safe_whole(id));
                // Among the ids before the first bad one: exports list orders by number, up or
                // down, and then no two are equal; otherwise their texts are checked (distinct
                // exactly when the numbers are).
                let checked = ids.get(..bad.unwrap_or(ids.len())).unwrap_or_default();
                let up = checked.windows(2).all(|w| matches!(w, [a, b] if a < b));
                let ordered = up || checked.windows(2).all(|w| matches!(w, [a, b] if a > b));
                let texts = || (0..checked.len()).map(|t| self.text(t)).collect::<Vec<_>>();
                (bad, if ordered { None } else { first_repeated(&texts()) })
            }
        };
        match (bad, repeated) {
            (Some(i), repeated) if repeated.is_none_or(|r| i <= r) => {
                let message = match self {
                    TransactionIds::Text(_) => "`id` must not be empty.",
                    TransactionIds::Numbers(_) => "An id given as a number must be a whole number from 0 to 2^53 − 1.",
                };
                Err(EngineError::new(Code::PreviewInvalidId, &column.index(i), message))
            }
            (_, Some(i)) => Err(EngineError::new(
                Code::TransactionsDuplicateId,
                &column.index(i),
                format!("Transaction id `{}` appears more than once.", self.text(i)),
            )),
            _ => Ok(()),
        }
    }
}

/// The status table when none is given: `statusIndex` 0 is complete, 1 refunded, 2 cancelled.
pub const STATUS_NAMES: [&str; 3] = ["complete", "refunded", "cancelled"];

/// The line type table when none is given (`lineTypeIndex` 0 is a product line, …).
pub const LINE_TYPE_NAMES: [&str; 6] = ["product", "subscription", "fee", "discount", "shipping", "tax"];

/// Transactions read from columns and checked, kept as columns: the revenue pass over them
/// (`bulk::revenue`) needs no `Transaction` built, and `transactions()` builds them for the
/// passes that do. Everything here is in column order.
#[derive(Debug, Clone, Default)]
pub struct TransactionTable {
    pub(crate) transaction_ids: TransactionIds,
    pub(crate) rows: Vec<Row>,
    pub(crate) currencies: Option<Vec<Option<String>>>,
    /// Every amount is a whole number of 10^-`scale` major units.
    pub(crate) amount_scale: u32,
    pub(crate) lines: Vec<LineRow>,
    /// The lines of each transaction, in column order.
    pub(crate) line_groups: Groups,
    pub(crate) line_skus: Option<Vec<Option<String>>>,
    pub(crate) line_categories: Option<Vec<Vec<String>>>,
    pub(crate) line_owner_collaborator_ids: Option<Vec<Vec<String>>>,
    /// Per refund: its instant and amount (`None`: a full refund).
    pub(crate) refunds: Vec<(DateTime<FixedOffset>, Option<i64>)>,
    pub(crate) refund_groups: Groups,
}

/// A checked transaction, without its lines and refunds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    pub occurred_at: DateTime<FixedOffset>,
    pub status: TransactionStatus,
    /// What the customer paid, in units of the table's scale.
    pub total: Option<i64>,
}

/// A checked line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineRow {
    /// The amount of one unit, in units of the table's scale.
    pub amount: i64,
    pub quantity: u32,
    pub kind: DetailType,
}

/// Reads and checks `columns`. Errors locate the first bad value in its column.
pub fn read(columns: TransactionColumns) -> Result<TransactionTable, EngineError> {
    let root = Pointer::root().key("transactions");
    let TransactionColumns {
        transaction_ids,
        occurred_at_ms,
        status_index,
        status_names,
        currencies,
        total,
        amount_scale,
        line_transaction_index,
        line_type_index,
        line_type_names,
        line_amount,
        line_quantity,
        line_skus,
        line_categories,
        line_owner_collaborator_ids,
        refund_transaction_index,
        refund_occurred_at_ms,
        refund_amount,
    } = columns;
    let count = transaction_ids.len();
    limits::check_count(count, limits::MAX_TRANSACTIONS, "transactions", &root.key("transactionIds"))?;
    let lines = line_transaction_index.len();
    limits::check_count(lines, MAX_BULK_LINES, "lines", &root.key("lineTransactionIndex"))?;
    let refunds = refund_transaction_index.len();
    limits::check_count(refunds, MAX_BULK_LINES, "refunds", &root.key("refundTransactionIndex"))?;
    same_lengths(
        &root,
        "transaction",
        ("transactionIds", count),
        &[
            ("occurredAtMs", Some(occurred_at_ms.len())),
            ("statusIndex", status_index.as_ref().map(Vec::len)),
            ("currencies", currencies.as_ref().map(Vec::len)),
            ("total", total.as_ref().map(Vec::len)),
        ],
    )?;
    same_lengths(
        &root,
        "line",
        ("lineTransactionIndex", lines),
        &[
            ("lineTypeIndex", Some(line_type_index.len())),
            ("lineAmount", Some(line_amount.len())),
            ("lineQuantity", line_quantity.as_ref().map(Vec::len)),
            ("lineSkus", line_skus.as_ref().map(Vec::len)),
            ("lineCategories", line_categories.as_ref().map(Vec::len)),
            ("lineOwnerCollaboratorIds", line_owner_collaborator_ids.as_ref().map(Vec::len)),
        ],
    )?;
    same_lengths(
        &root,
        "refund",
        ("refundTransactionIndex", refunds),
        &[
            ("refundOccurredAtMs", Some(refund_occurred_at_ms.len())),
            ("refundAmount", refund_amount.as_ref().map(Vec::len)),
        ],
    )?;
    if amount_scale > MAX_AMOUNT_DECIMALS {
        return Err(EngineError::new(
            Code::TransactionsAmountOutOfRange,
            &root.key("amountScale"),
            format!("`amountScale` {amount_scale} is more than {MAX_AMOUNT_DECIMALS} decimal places."),
        ));
    }
    // Paths are built only for an error, never a pointer per value.
    let at = |column: &str, i: usize| root.key(column).index(i);
    // Above `MAX_AMOUNT` when above this many 10^-scale units (past u64, no value is above).
    let limit = 10u64.checked_pow(amount_scale).and_then(|unit| unit.checked_mul(MAX_AMOUNT.unsigned_abs()));
    let or_default = |table: Option<Vec<String>>, default: &[&str]| {
        table.unwrap_or_else(|| default.iter().map(|name| name.to_string()).collect())
    };
    let statuses = names(&or_default(status_names, &STATUS_NAMES), &root.key("statusNames"), |name, path| {
        model::parse_status(&Value::String(name.to_string()), path)
    })?;
    let kinds = names(&or_default(line_type_names, &LINE_TYPE_NAMES), &root.key("lineTypeNames"), |name, path| {
        model::parse_detail_type(&Value::String(name.to_string()), path)
    })?;

    // Transactions.
    transaction_ids.check(&root.key("transactionIds"))?;
    // Checked column by column.
    let mut dates = Dates::default();
    let mut rows = Vec::with_capacity(count);
    for (i, &t) in occurred_at_ms.iter().enumerate() {
        let occurred_at = match dates.of_ms(t) {
            Some(instant) => instant,
            None => return Err(invalid_instant(&at("occurredAtMs", i))),
        };
        rows.push(Row { occurred_at, status: TransactionStatus::Complete, total: None });
    }
    for (i, (&s, row)) in status_index.iter().flatten().zip(&mut rows).enumerate() {
        row.status = *statuses
            .get(usize::from(s))
            .ok_or_else(|| index_error(&at("statusIndex", i), s.into(), "statusNames", statuses.len()))?;
    }
    if let Some(currencies) = &currencies {
        limits::check_ids(currencies.iter().map(|c| c.as_deref().unwrap_or_default()), &root.key("currencies"))?;
    }
    for (i, (&t, row)) in total.iter().flatten().zip(&mut rows).enumerate() {
        if !t.is_nan() {
            row.total = Some(units_at(t, amount_scale, limit, &root, "total", i)?);
        }
    }

    // Lines and refunds, grouped by transaction in column order.
    let line_groups =
        grouped(&line_transaction_index, count, &root.key("lineTransactionIndex"), MAX_DETAILS_PER_TRANSACTION)?;
    let refund_groups =
        grouped(&refund_transaction_index, count, &root.key("refundTransactionIndex"), MAX_REFUNDS_PER_TRANSACTION)?;
    for (column, ids) in
        [("lineCategories", &line_categories), ("lineOwnerCollaboratorIds", &line_owner_collaborator_ids)]
    {
        for (i, list) in ids.iter().flatten().enumerate() {
            // A list's path is built only to locate a problem in it.
            if list.iter().all(|id| !id.is_empty() && id.len() <= limits::MAX_ID_BYTES) {
                continue;
            }
            limits::check_ids(list.iter().map(String::as_str), &at(column, i))?;
            if let Some(j) = list.iter().position(String::is_empty) {
                return Err(EngineError::new(
                    Code::PreviewInvalidId,
                    &root.key(column).index(i).index(j),
                    format!("`{column}` must not hold an empty id."),
                ));
            }
        }
    }
    if let Some(skus) = &line_skus {
        limits::check_ids(skus.iter().map(|s| s.as_deref().unwrap_or_default()), &root.key("lineSkus"))?;
        if let Some(i) = skus.iter().position(|s| s.as_deref() == Some("")) {
            return Err(EngineError::new(
                Code::PreviewInvalidId,
                &root.key("lineSkus").index(i),
                "`sku` must not be empty.",
            ));
        }
    }
    // Checked in column order, so the first bad value is the one reported.
    let mut line_rows = Vec::with_capacity(lines);
    for (i, (&k, &a)) in line_type_index.iter().zip(&line_amount).enumerate() {
        let kind = kinds
            .get(usize::from(k))
            .copied()
            .ok_or_else(|| index_error(&at("lineTypeIndex", i), k.into(), "lineTypeNames", kinds.len()))?;
        let quantity = line_quantity.as_ref().and_then(|q| q.get(i)).map_or(1, |&q| q);
        if u64::from(quantity) > MAX_QUANTITY {
            return Err(EngineError::new(
                Code::TransactionsInvalidQuantity,
                &at("lineQuantity", i),
                format!("`quantity` must be a whole number from 0 to {MAX_QUANTITY}."),
            ));
        }
        let amount = units_at(a, amount_scale, limit, &root, "lineAmount", i)?;
        line_rows.push(LineRow { amount, quantity, kind });
    }
    let mut refund_rows = Vec::with_capacity(refunds);
    for (i, &t) in refund_occurred_at_ms.iter().enumerate() {
        let refunded = match refund_amount.as_ref().and_then(|a| a.get(i)) {
            Some(&a) if !a.is_nan() => Some(units_at(a, amount_scale, limit, &root, "refundAmount", i)?),
            _ => None,
        };
        let refunded_at = match dates.of_ms(t) {
            Some(instant) => instant,
            None => return Err(invalid_instant(&at("refundOccurredAtMs", i))),
        };
        // The same rule as the JSON reader's, located in the column.
        let sale = refund_transaction_index.get(i).and_then(|&t| Some((t, rows.get(t as usize)?.occurred_at)));
        if let Some((t, sale_at)) = sale {
            model::refund_not_before_sale(
                &transaction_ids.text(t as usize),
                sale_at,
                refunded_at,
                &at("refundOccurredAtMs", i),
            )?;
        }
        refund_rows.push((refunded_at, refunded));
    }

    // A transaction without lines needs a `total`.
    for (i, row) in rows.iter().enumerate() {
        if row.total.is_none() && line_groups.of(i).is_empty() {
            return Err(EngineError::new(
                Code::TransactionsMissingAmount,
                &root.key("total").index(i),
                format!(
                    "Transaction `{}` has no lines and no `total` (NaN), so its value is unknown.",
                    transaction_ids.text(i)
                ),
            ));
        }
    }
    Ok(TransactionTable {
        transaction_ids,
        rows,
        currencies,
        amount_scale,
        lines: line_rows,
        line_groups,
        line_skus,
        line_categories,
        line_owner_collaborator_ids,
        refunds: refund_rows,
        refund_groups,
    })
}

impl TransactionTable {
    pub fn len(&self) -> usize {
        self.transaction_ids.len()
    }

    /// Every transaction, built, in the order the revenue pass reads them in
    /// (`pool::sort_for_revenue`), laid out in memory in that order.
    pub fn transactions(&self) -> Vec<Transaction> {
        let mut order: Vec<(DateTime<FixedOffset>, usize)> =
            self.rows.iter().enumerate().map(|(t, row)| (row.occurred_at, t)).collect();
        // All of them: the standard sort (`keep_first`'s merge sort is for the capped lists).
        order.sort_unstable_by(|a, b| self.revenue_cmp(a, b));
        order.into_iter().filter_map(|(_, t)| self.transaction(t)).collect()
    }

    /// Keeps the first `n` of `positions` (positions in the columns, each with its instant) in
    /// the order `pool::sort_for_revenue` puts their transactions in, sorted: (occurredAt, id),
    /// ids read only at equal instants. The instants travel with the positions, so comparing
    /// them reads no row.
    pub(crate) fn keep_first_in_revenue_order(&self, positions: &mut Vec<(DateTime<FixedOffset>, usize)>, n: usize) {
        keep_first(positions, n, |a, b| self.revenue_cmp(a, b));
    }

    /// The order of `keep_first_in_revenue_order`.
    pub(crate) fn revenue_cmp(
        &self,
        a: &(DateTime<FixedOffset>, usize),
        b: &(DateTime<FixedOffset>, usize),
    ) -> Ordering {
        let id = |t: usize| self.transaction_ids.get(t).unwrap_or(IdRef::Text(""));
        a.0.cmp(&b.0).then_with(|| id(a.1).compare(&id(b.1)))
    }

    /// The index of every sale's and refund's instant, by position in the columns.
    pub(crate) fn index(&self) -> TransactionIndex {
        let sales = self.rows.iter().enumerate().map(|(t, row)| (row.occurred_at, t));
        let refunds = (0..self.len())
            .flat_map(|t| self.refund_groups.of(t).iter().filter_map(move |&r| Some((self.refunds.get(r)?.0, t))));
        TransactionIndex::of(sales.chain(refunds).collect())
    }

    /// Transaction `t` (its position in the columns), built.
    /// The most building the transactions at `positions` (`transaction`) may allocate
    /// (`limits::built_bound`): their lines, refunds and strings counted, never built.
    pub(crate) fn built_bound(&self, positions: impl Iterator<Item = usize>) -> usize {
        let (mut transactions, mut lines, mut refunds, mut strings, mut bytes) = (0usize, 0usize, 0, 0, 0usize);
        let mut text = |s: &str| {
            strings += 1;
            bytes += s.len();
        };
        for t in positions {
            transactions += 1;
            // A number id (at most 2^53 − 1) is written with at most 16 digits.
            match self.transaction_ids.get(t) {
                Some(IdRef::Text(id)) => text(id),
                Some(IdRef::Number(_)) => text("0000000000000000"),
                None => {}
            }
            if let Some(Some(currency)) = self.currencies.as_ref().and_then(|c| c.get(t)) {
                text(currency);
            }
            refunds += self.refund_groups.of(t).len();
            for &l in self.line_groups.of(t) {
                lines += 1;
                if let Some(Some(sku)) = self.line_skus.as_ref().and_then(|c| c.get(l)) {
                    text(sku);
                }
                for column in [&self.line_categories, &self.line_owner_collaborator_ids] {
                    for item in column.as_ref().and_then(|c| c.get(l)).into_iter().flatten() {
                        text(item);
                    }
                }
            }
        }
        limits::built_bound(transactions, lines, refunds, strings, bytes)
    }

    /// The most the column pass over the transactions at `positions` may allocate
    /// (`limits::revenue_bound`).
    pub(crate) fn revenue_bound(&self, positions: &[usize]) -> usize {
        let (lines, refunds) = positions.iter().fold((0usize, 0usize), |(lines, refunds), &t| {
            (lines + self.line_groups.of(t).len(), refunds + self.refund_groups.of(t).len())
        });
        limits::revenue_bound(positions.len(), lines, refunds)
    }

    pub(crate) fn transaction(&self, t: usize) -> Option<Transaction> {
        let row = self.rows.get(t)?;
        let decimal = |units: i64| Decimal::new(units, self.amount_scale);
        let details: Vec<Detail> = self
            .line_groups
            .of(t)
            .iter()
            .filter_map(|&l| {
                let line = self.lines.get(l)?;
                let list = |column: &Option<Vec<Vec<String>>>| column.as_ref().and_then(|c| c.get(l)).cloned();
                Some(Detail {
                    kind: line.kind,
                    amount: decimal(line.amount),
                    quantity: line.quantity.into(),
                    sku: self.line_skus.as_ref().and_then(|s| s.get(l)).cloned().flatten(),
                    categories: list(&self.line_categories).unwrap_or_default(),
                    owner_collaborator_ids: list(&self.line_owner_collaborator_ids).unwrap_or_default(),
                })
            })
            .collect();
        let refunds = self.refund_groups.of(t).iter().enumerate().filter_map(|(index, &r)| {
            let &(occurred_at, amount) = self.refunds.get(r)?;
            Some(Refund { index, occurred_at, amount: amount.map(decimal) })
        });
        Some(Transaction {
            index: t,
            id: self.transaction_ids.get(t)?.to_string(),
            status: row.status,
            occurred_at: row.occurred_at,
            currency: self.currencies.as_ref().and_then(|c| c.get(t)).cloned().flatten(),
            total: row.total.map(decimal),
            details: (!details.is_empty()).then_some(details),
            refunds: refunds.collect(),
        })
    }
}

/// A name table read with the JSON reader's rules for one value (`"refunded"`, `"shipping"`).
fn names<T>(
    table: &[String],
    path: &Pointer,
    read: impl Fn(&str, &Pointer) -> Result<T, EngineError>,
) -> Result<Vec<T>, EngineError> {
    limits::check_ids(table.iter().map(String::as_str), path)?;
    table.iter().enumerate().map(|(i, name)| read(name, &path.index(i))).collect()
}

/// An instant column's value is not one (`Dates::of_ms`).
#[cold]
fn invalid_instant(path: &Pointer) -> EngineError {
    EngineError::new(
        Code::TimeInvalidTimestamp,
        path,
        "An instant column holds whole numbers of milliseconds since 1970-01-01T00:00Z (as `Date.getTime()` returns).",
    )
}

/// Instants from whole milliseconds, exactly as `columns::from_ms` makes them, with the dates of
/// the last days seen kept (a slot per day modulo `DAY_SLOTS`): transactions cluster in days,
/// and finding the date is the costly part of a conversion.
struct Dates {
    slots: [(i64, Option<NaiveDate>); DAY_SLOTS],
}

const DAY_SLOTS: usize = 64;

impl Default for Dates {
    fn default() -> Self {
        Dates { slots: [(i64::MIN, None); DAY_SLOTS] } // no instant is on day i64::MIN
    }
}

impl Dates {
    /// An instant column's value, when it is a whole number of milliseconds in chrono's range.
    /// Returns no error: the caller builds it, so no path is captured on the hot path.
    #[inline(always)]
    fn of_ms(&mut self, t: f64) -> Option<DateTime<FixedOffset>> {
        if is_whole_ms(t) {
            self.instant(t as i64)
        } else {
            None
        }
    }

    /// As chrono's `DateTime::from_timestamp_millis`, in UTC.
    fn instant(&mut self, ms: i64) -> Option<DateTime<FixedOffset>> {
        // One 64-bit division, not two (in wasm each is a division instruction); the
        // millisecond of the day, below 2^27, is split with 32-bit ones, which are cheaper.
        const DAY_MS: i64 = 86_400_000;
        let day = ms.div_euclid(DAY_MS);
        let in_day = ms.wrapping_sub(day.wrapping_mul(DAY_MS)) as u32; // exact: 0 <= it < DAY_MS
        let (second, millis) = (in_day / 1000, in_day % 1000);
        let slot = self.slots.get_mut(day.rem_euclid(DAY_SLOTS as i64) as usize)?;
        if slot.0 != day {
            let days_from_ce = i32::try_from(day).ok().and_then(|d| d.checked_add(719_163));
            *slot = (day, days_from_ce.and_then(NaiveDate::from_num_days_from_ce_opt));
        }
        let time = NaiveTime::from_num_seconds_from_midnight_opt(second, millis * 1_000_000)?;
        // What `and_utc().fixed_offset()` makes, without its calls.
        Some(DateTime::from_naive_utc_and_offset(slot.1?.and_time(time), Utc.fix()))
    }
}

/// `read_amount` of the value at `root/column/i`, its check inlined and the error's path built
/// only for a bad value: a closure for the path per value is not inlined at this `opt-level`.
#[inline(always)]
fn units_at(
    value: f64,
    scale: u32,
    limit: Option<u64>,
    root: &Pointer,
    column: &str,
    i: usize,
) -> Result<i64, EngineError> {
    let units = value as i64;
    if is_safe_whole(value) && limit.is_none_or(|limit| units as u64 <= limit) {
        Ok(units)
    } else {
        read_amount(value, scale, limit, &|| root.key(column).index(i))
    }
}

/// `value` (whole 10^-`scale` units), with the JSON reader's limits (not negative, at most
/// `MAX_AMOUNT`, which is `limit` units), or the error for the first it breaks.
#[cold]
fn read_amount(value: f64, scale: u32, limit: Option<u64>, path: &dyn Fn() -> Pointer) -> Result<i64, EngineError> {
    if !(value.fract() == 0.0 && value >= 0.0) {
        return Err(EngineError::new(
            Code::TransactionsInvalidAmount,
            &path(),
            format!("An amount column holds whole, non-negative numbers of 10^-amountScale units; found {value}."),
        ));
    }
    if value > MAX_SAFE_INTEGER as f64 {
        return Err(EngineError::new(
            Code::TransactionsAmountOutOfRange,
            &path(),
            format!("{value} is above {MAX_SAFE_INTEGER}, the largest whole number a JS number holds exactly."),
        ));
    }
    // Whole numbers compared, not a `Decimal` per line.
    if limit.is_some_and(|limit| value as u64 > limit) {
        return Err(EngineError::new(
            Code::TransactionsAmountOutOfRange,
            &path(),
            format!("The amount {} exceeds the limit of {MAX_AMOUNT}.", Decimal::new(value as i64, scale)),
        ));
    }
    Ok(value as i64)
}

/// The position of the first id, in column order, equal to an earlier one. Ids are bucketed by
/// the top bits of a hash and only ids with equal hashes are compared as text. Not a hash set,
/// whose SipHash and cache miss per insert cost more. Not keyed either, so ids can be crafted
/// to share a bucket; a bucket larger than `SMALL_BUCKET` goes through an ordered set instead,
/// so crafted ids cost O(n log n), never a quadratic search.
fn first_repeated(ids: &[String]) -> Option<usize> {
    first_repeated_by(ids, id_hash)
}

/// Buckets up to this size compare every pair of hashes.
const SMALL_BUCKET: usize = 32;

fn first_repeated_by(ids: &[String], hash: impl Fn(&str) -> u64) -> Option<usize> {
    // About four ids per bucket.
    let bits = (usize::BITS - ids.len().leading_zeros()).saturating_sub(2).clamp(1, 20);
    let bucket_of = |h: u64| (h >> (64 - bits)) as usize;
    let hashes: Vec<u64> = ids.iter().map(|id| hash(id)).collect();
    let mut start = vec![0usize; (1 << bits) + 1];
    for &h in &hashes {
        if let Some(count) = start.get_mut(bucket_of(h) + 1) {
            *count += 1;
        }
    }
    for b in 1..start.len() {
        let before = start.get(b - 1).copied().unwrap_or(0);
        if let Some(s) = start.get_mut(b) {
            *s += before;
        }
    }
    // Per bucket, in column order: the hash's low 32 bits (ids whose hashes differ there
    // differ) and the position.
    let mut next = start.clone();
    let mut bucketed = vec![(0u32, 0u32); hashes.len()];
    for (i, &h) in hashes.iter().enumerate() {
        let Some(place) = next.get_mut(bucket_of(h)) else { continue };
        if let Some(slot) = bucketed.get_mut(*place) {
            *slot = (h as u32, i as u32);
        }
        *place += 1;
    }
    drop(hashes);
    let text = |i: u32| ids.get(i as usize).map_or("", String::as_str);
    let mut first: Option<usize> = None;
    let mut found = |later: u32| first = Some(first.map_or(later as usize, |f| f.min(later as usize)));
    for bounds in start.windows(2) {
        let &[from, to] = bounds else { continue };
        let bucket = bucketed.get(from..to).unwrap_or_default();
        if bucket.len() <= SMALL_BUCKET {
            for (k, &(h, i)) in bucket.iter().enumerate() {
                for &(g, j) in bucket.get(k + 1..).unwrap_or_default() {
                    if g == h && text(i) == text(j) {
                        found(i.max(j));
                    }
                }
            }
        } else {
            // A bucket this large holds crafted ids: a set ordered by text, never quadratic.
            // Its ids are in column order, so the first one seen before is its first repeat.
            let mut seen = BTreeSet::new();
            if let Some(&(_, i)) = bucket.iter().find(|&&(_, i)| !seen.insert(text(i).to_string())) {
                found(i);
            }
        }
    }
    first
}

/// A 64-bit hash of an id, 8 bytes at a time (its top bits pick the bucket).
fn id_hash(id: &str) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mix = |h: u64, word: u64| {
        let h = (h ^ word).wrapping_mul(K);
        h ^ (h >> 32)
    };
    let bytes = id.as_bytes();
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        h = mix(h, u64::from_le_bytes(word.try_into().unwrap_or_default()));
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        for (w, &b) in word.iter_mut().zip(rest) {
            *w = b;
        }
        h = mix(h, u64::from_le_bytes(word));
    }
    h
}

#[cold]
fn index_error(path: &Pointer, index: usize, table: &str, len: usize) -> EngineError {
    EngineError::new(
        Code::TransactionsIndexOutOfRange,
        path,
        format!("Index {index} is not a position in `{table}` ({len} entries)."),
    )
}

/// Rows grouped by the transaction they belong to, each group in column order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Groups {
    /// Row numbers, grouped.
    rows: Vec<usize>,
    /// Group `t` is `rows[start[t]..start[t + 1]]`.
    start: Vec<usize>,
}

impl Groups {
    /// The rows of transaction `t`, in column order.
    #[inline]
    pub(crate) fn of(&self, t: usize) -> &[usize] {
        let from = self.start.get(t).copied().unwrap_or(0);
        let to = self.start.get(t + 1).copied().unwrap_or(from);
        self.rows.get(from..to).unwrap_or_default()
    }
}

/// Groups the rows of `transaction_index` (positions in a table of `count` transactions) by
/// transaction, refusing a position outside it and a group larger than `max`.
fn grouped(transaction_index: &[u32], count: usize, path: &Pointer, max: usize) -> Result<Groups, EngineError> {
    if let Some(start) = sorted_group_starts(transaction_index, count, max) {
        // Already grouped (as columns usually are): no scattered writes.
        return Ok(Groups { rows: (0..transaction_index.len()).collect(), start });
    }
    let start = group_starts(transaction_index, count, path, max)?;
    let mut next = start.clone();
    let mut rows = vec![0usize; transaction_index.len()];
    for (i, &t) in transaction_index.iter().enumerate() {
        if let Some(position) = next.get_mut(t as usize) {
            if let Some(row) = rows.get_mut(*position) {
                *row = i;
            }
            *position += 1;
        }
    }
    Ok(Groups { rows, start })
}

/// `group_starts` of an index in ascending order, in one pass that writes once per group (not
/// a counting pass and a check of the order); `None` when the index is not in order, or breaks
/// a check (`group_starts` then says which).
fn sorted_group_starts(transaction_index: &[u32], count: usize, max: usize) -> Option<Vec<usize>> {
    let mut start: Vec<usize> = Vec::with_capacity(count + 1);
    let mut run_begin = 0;
    for (i, &t) in transaction_index.iter().enumerate() {
        let t = t as usize;
        if start.len().checked_sub(1) == Some(t) {
            // The group of the row before goes on.
            if i - run_begin >= max {
                return None;
            }
        } else if t >= start.len() && t < count {
            // A new group: it, and any empty ones before it, start here.
            start.resize(t + 1, i);
            run_begin = i;
        } else {
            return None;
        }
    }
    start.resize(count + 1, transaction_index.len());
    Some(start)
}

/// Where each transaction's group starts in the rows grouped by transaction (and the end), with
/// `grouped`'s checks.
fn group_starts(
    transaction_index: &[u32],
    count: usize,
    path: &Pointer,
    max: usize,
) -> Result<Vec<usize>, EngineError> {
    let mut start = vec![0usize; count + 1];
    for (i, &t) in transaction_index.iter().enumerate() {
        // Checked against `count` first: `t + 1` would overflow a 32-bit usize at u32::MAX.
        let Some(slot) = Some(t as usize).filter(|&t| t < count).and_then(|t| start.get_mut(t + 1)) else {
            return Err(index_error(&path.index(i), t as usize, "transactionIds", count));
        };
        *slot += 1;
        if *slot > max {
            return Err(EngineError::new(
                Code::InputTooLarge,
                &path.index(i),
                format!("Transaction {t} has more than {max} entries here; one transaction may have at most {max}."),
            ));
        }
    }
    for t in 0..count {
        let before = start.get(t).copied().unwrap_or(0);
        if let Some(slot) = start.get_mut(t + 1) {
            *slot += before;
        }
    }
    Ok(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::columns::from_ms;
    use std::collections::HashSet;

    /// Pseudo-random numbers below `m`, from `seed` (a linear congruential generator).
    fn numbers(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut state = seed;
        move |m| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) % m
        }
    }

    /// What `first_repeated` must return: the first id a set has already seen.
    fn by_set(ids: &[String]) -> Option<usize> {
        let mut seen = HashSet::new();
        ids.iter().position(|id| !seen.insert(id.as_str()))
    }

    #[test]
    fn instants_are_chronos_whatever_days_came_before() {
        let mut next = numbers(11);
        let mut dates = Dates::default();
        let limit = 8_640_000_000_000_000i64; // MAX_ABS_MS, beyond chrono's range
        let (first, last) = (DateTime::<chrono::Utc>::MIN_UTC, DateTime::<chrono::Utc>::MAX_UTC);
        let (first, last) = (first.timestamp_millis(), last.timestamp_millis());
        let mut cases = vec![0, -1, 1, 999, -1000, -86_400_000, 86_399_999, limit, -limit];
        cases.extend([first, first - 1, first + 86_400_000, last, last + 1, last - 86_400_000]);
        // Days that share a slot (64 apart), the same day again, and instants anywhere.
        for _ in 0..20_000 {
            let base = 1_767_225_600_000i64 + (next(200) as i64 - 100) * 64 * 86_400_000;
            cases.push(base + next(3 * 86_400_000) as i64);
            let wide = ((next(1 << 31) << 31) | next(1 << 31)) as i64 % limit;
            cases.push(if next(2) == 0 { wide } else { -wide });
        }
        for ms in cases {
            // Equal instants, and equal offsets (`==` on instants ignores them).
            let with_offset = |d: DateTime<FixedOffset>| (d, *d.offset());
            assert_eq!(dates.instant(ms).map(with_offset), from_ms(ms).map(with_offset), "{ms}");
        }
    }

    #[test]
    fn sorted_group_starts_are_group_starts_or_leave_it_to_them() {
        let mut next = numbers(5);
        let path = Pointer::root();
        let (mut taken, mut left) = (0, 0);
        for _ in 0..20_000 {
            // Small tables, indexes now and then past the end, groups around `max`.
            let (count, n, max) = (1 + next(6), next(14) as usize, 1 + next(6) as usize);
            let index_at = |r: u64, past: bool| if past { count + r % 2 } else { r % count };
            let mut index: Vec<u32> = (0..n).map(|_| index_at(next(1 << 20), next(30) == 0) as u32).collect();
            let count = count as usize;
            if next(3) > 0 {
                index.sort_unstable();
            }
            let general = group_starts(&index, count, &path, max).ok();
            match sorted_group_starts(&index, count, max) {
                Some(start) => {
                    taken += 1;
                    assert!(index.is_sorted(), "{index:?}");
                    assert_eq!(Some(start), general, "{index:?} of {count}, at most {max}");
                }
                None => {
                    left += 1;
                    assert!(!index.is_sorted() || general.is_none(), "{index:?} of {count}, at most {max}");
                }
            }
        }
        assert!(taken > 3_000 && left > 3_000, "{taken} taken, {left} left");
    }

    #[test]
    fn the_first_repeated_id_is_found_however_the_hash_collides() {
        let mut next = numbers(7);
        // Every id in one bucket with one hash (crafted collisions), hashes by length only
        // (equal hashes, different text), and the real hash.
        let hashes: [fn(&str) -> u64; 3] = [|_| 0, |id| (id.len() as u64) << 58, id_hash];
        let mut repeated = 0;
        for n in [0, 1, 2, 5, 31, 32, 33, 200, 3_000] {
            for _ in 0..20 {
                // Short ids from a few letters repeat; long ones span several 8-byte words.
                let ids: Vec<String> = (0..n)
                    .map(|_| {
                        let len = if next(4) == 0 { 9 + next(12) } else { next(4) };
                        (0..len).map(|_| ['a', 'b', 'c', 'é'][next(4) as usize]).collect()
                    })
                    .collect();
                let expected = by_set(&ids);
                repeated += usize::from(expected.is_some());
                for hash in hashes {
                    assert_eq!(first_repeated_by(&ids, hash), expected, "{ids:?}");
                }
                let unique: Vec<String> = (0..n).map(|i| format!("t{i}")).collect();
                for hash in hashes {
                    assert_eq!(first_repeated_by(&unique, hash), None);
                }
            }
        }
        assert!(repeated > 100, "{repeated}");
        // 100,000 ids with one hash: a sort, not a quadratic search.
        let mut many: Vec<String> = (0..100_000).map(|i| format!("id{i}")).collect();
        many.push("id77".into());
        assert_eq!(first_repeated_by(&many, |_| 0), Some(100_000));
    }
}
