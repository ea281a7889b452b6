//! Transactions given as columns (the bulk path's `Engine.loadTransactionsColumns`): typed
//! arrays with one entry per transaction, per line and per refund, and amounts as whole numbers
//! of 10^-`amountScale` major units (cents with `amountScale: 2`). They are read into the same
//! `Transaction`s the JSON reader makes, so one revenue pass (`pool`) serves every path.
//!
//! Invariant: columns that describe the same transactions as a JSON array give the same
//! previews and simulations (tests/bulk.rs compares the bytes). A line is its transaction's
//! detail number k when it is the k-th line of that transaction in the columns (refunds alike);
//! a transaction without lines is the JSON `{total}` form. Errors locate the value in its column
//! (`/transactions/lineAmount/7`); positions in `transactionIds` stand for the transaction in
//! the paths of errors found later (`/transactions/12/details/0`).

use crate::amount::{MAX_AMOUNT, MAX_AMOUNT_DECIMALS, MAX_SAFE_INTEGER};
use crate::config::DetailType;
use crate::dataset::{from_ms, is_whole_ms, same_lengths};
use crate::diagnostics::{Code, EngineError, Pointer};
use crate::limits::{self, MAX_BULK_LINES, MAX_DETAILS_PER_TRANSACTION, MAX_REFUNDS_PER_TRANSACTION};
use crate::model::{self, compare_ids, Detail, Refund, Transaction, TransactionStatus, MAX_QUANTITY};
use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::HashSet;

/// Transactions as columns. Per transaction: `transaction_ids`, `occurred_at_ms`, and the
/// optional `status_index`, `currencies`, `total`; per line: the `line_*` columns; per refund:
/// the `refund_*` columns.
#[derive(Debug, Clone, Default)]
pub struct TransactionColumns {
    pub transaction_ids: Vec<String>,
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

/// The status table when none is given: `statusIndex` 0 is complete, 1 refunded, 2 cancelled.
pub const STATUS_NAMES: [&str; 3] = ["complete", "refunded", "cancelled"];

/// The line type table when none is given (`lineTypeIndex` 0 is a product line, …).
pub const LINE_TYPE_NAMES: [&str; 6] = ["product", "subscription", "fee", "discount", "shipping", "tax"];

/// Reads `columns` into transactions in the order the revenue pass reads them in
/// (`pool::sort_for_revenue`), built in that order.
pub fn read(columns: TransactionColumns) -> Result<Vec<Transaction>, EngineError> {
    let root = Pointer::root().key("transactions");
    let TransactionColumns {
        mut transaction_ids,
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
        mut line_skus,
        mut line_categories,
        mut line_owner_collaborator_ids,
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
    // Paths are built only for an error: a pointer per value was most of a load.
    let at = |column: &str, i: usize| root.key(column).index(i);
    let amount = |value: f64, column: &str, i: usize| read_amount(value, amount_scale, &|| at(column, i));
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
    limits::check_ids(transaction_ids.iter().map(String::as_str), &root.key("transactionIds"))?;
    let mut seen = HashSet::with_capacity(count);
    for (i, id) in transaction_ids.iter().enumerate() {
        if id.is_empty() {
            return Err(EngineError::new(Code::PreviewInvalidId, &at("transactionIds", i), "`id` must not be empty."));
        }
        if !seen.insert(id.as_str()) {
            return Err(EngineError::new(
                Code::TransactionsDuplicateId,
                &at("transactionIds", i),
                format!("Transaction id `{id}` appears more than once."),
            ));
        }
    }
    drop(seen);
    // Per transaction: (instant, status, total), checked column by column.
    let mut rows = Vec::with_capacity(count);
    for (i, &t) in occurred_at_ms.iter().enumerate() {
        rows.push((instant(t, &|| at("occurredAtMs", i))?, TransactionStatus::Complete, None));
    }
    for (i, (&s, row)) in status_index.iter().flatten().zip(&mut rows).enumerate() {
        row.1 = *statuses
            .get(usize::from(s))
            .ok_or_else(|| index_error(&at("statusIndex", i), s.into(), "statusNames", statuses.len()))?;
    }
    if let Some(currencies) = &currencies {
        limits::check_ids(currencies.iter().map(|c| c.as_deref().unwrap_or_default()), &root.key("currencies"))?;
    }
    for (i, (&t, row)) in total.iter().flatten().zip(&mut rows).enumerate() {
        if !t.is_nan() {
            row.2 = Some(amount(t, "total", i)?);
        }
    }

    // Lines and refunds, grouped by transaction in column order (lines are put in order below).
    let line_start =
        group_starts(&line_transaction_index, count, &root.key("lineTransactionIndex"), MAX_DETAILS_PER_TRANSACTION)?;
    let refund_order =
        grouped(&refund_transaction_index, count, &root.key("refundTransactionIndex"), MAX_REFUNDS_PER_TRANSACTION)?;
    for (column, ids) in
        [("lineCategories", &line_categories), ("lineOwnerCollaboratorIds", &line_owner_collaborator_ids)]
    {
        for (i, list) in ids.iter().flatten().enumerate().filter(|(_, list)| !list.is_empty()) {
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
        line_rows.push(LineRow { amount: amount(a, "lineAmount", i)?, quantity, kind });
    }
    let mut refund_rows = Vec::with_capacity(refunds);
    for (i, &t) in refund_occurred_at_ms.iter().enumerate() {
        let refunded = match refund_amount.as_ref().and_then(|a| a.get(i)) {
            Some(&a) if !a.is_nan() => Some(amount(a, "refundAmount", i)?),
            _ => None,
        };
        refund_rows.push((instant(t, &|| at("refundOccurredAtMs", i))?, refunded));
    }

    // A transaction without lines needs a `total`: checked in column order, before building.
    for (i, row) in rows.iter().enumerate() {
        if row.2.is_none() && group_size(&line_start, i) == 0 {
            return Err(EngineError::new(
                Code::TransactionsMissingAmount,
                &root.key("total").index(i),
                format!(
                    "Transaction `{}` has no lines and no `total` (NaN), so its value is unknown.",
                    transaction_ids.get(i).map_or("", String::as_str)
                ),
            ));
        }
    }

    // Built in revenue order, so they are laid out in memory in the order the revenue pass
    // reads them (copying them into it afterwards was two thirds of a load). What each
    // transaction is built from is gathered into that order first, in loops that only read and
    // write (scattered reads overlap there, and not between allocations), so the loop that
    // builds reads in sequence.
    let order: Vec<usize> = revenue_order(&occurred_at_ms, &transaction_ids).collect();
    let mut details = Vec::with_capacity(lines);
    for (row, l) in lines_in_revenue_order(&line_rows, &line_transaction_index, &order) {
        let l = l as usize;
        let take = |column: &mut Option<Vec<Vec<String>>>| {
            column.as_mut().and_then(|c| c.get_mut(l)).map(std::mem::take).unwrap_or_default()
        };
        details.push(Detail {
            kind: row.kind,
            amount: row.amount,
            quantity: row.quantity.into(),
            sku: line_skus.as_mut().and_then(|s| s.get_mut(l)).and_then(Option::take),
            categories: take(&mut line_categories),
            owner_collaborator_ids: take(&mut line_owner_collaborator_ids),
        });
    }
    drop(line_rows);
    let mut heads = Vec::with_capacity(count);
    for i in order {
        let (Some(&row), Some(id)) = (rows.get(i), transaction_ids.get_mut(i)) else { continue };
        let id = std::mem::take(id);
        heads.push(Head {
            index: i,
            row,
            id,
            lines: group_size(&line_start, i),
            refunds: group_size(&refund_order.start, i),
        });
    }
    let mut details = details.into_iter();
    let mut transactions = Vec::with_capacity(count);
    for Head { index: i, row: (occurred_at, status, total), id, lines, refunds } in heads {
        let lines: Vec<Detail> = details.by_ref().take(lines).collect();
        let refunds = match refunds {
            0 => Vec::new(),
            _ => refund_order
                .of(i)
                .enumerate()
                .filter_map(|(index, r)| {
                    refund_rows.get(r).map(|&(occurred_at, amount)| Refund { index, occurred_at, amount })
                })
                .collect(),
        };
        transactions.push(Transaction {
            index: i,
            id,
            status,
            occurred_at,
            currency: currencies.as_ref().and_then(|c| c.get(i)).cloned().flatten(),
            total,
            details: (!lines.is_empty()).then_some(lines),
            refunds,
        });
    }
    Ok(transactions)
}

/// Positions in the order the revenue pass reads transactions in (`pool::sort_for_revenue`:
/// occurredAt, then id), from checked whole-millisecond instants and unique ids. Sorted by
/// value, so the sort reads the ids only for transactions at the same instant.
fn revenue_order(occurred_at_ms: &[f64], ids: &[String]) -> impl Iterator<Item = usize> {
    let mut order: Vec<(i64, u32)> = occurred_at_ms.iter().enumerate().map(|(i, &t)| (t as i64, i as u32)).collect();
    let id = |i: u32| ids.get(i as usize).map_or("", String::as_str);
    order.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| compare_ids(id(a.1), id(b.1))));
    order.into_iter().map(|(_, i)| i as usize)
}

/// What one transaction is built from, gathered into revenue order.
struct Head {
    index: usize,
    row: (DateTime<FixedOffset>, TransactionStatus, Option<Decimal>),
    id: String,
    /// How many lines and refunds it has.
    lines: usize,
    refunds: usize,
}

/// The lines in the revenue order of their transactions (`order`), each transaction's in column
/// order, with their positions in the columns. A counting sort that reads the rows in sequence
/// and scatters them: reading them scattered instead, transaction by transaction, was a fifth
/// of a load of 1M lines.
fn lines_in_revenue_order(rows: &[LineRow], transaction_index: &[u32], order: &[usize]) -> Vec<(LineRow, u32)> {
    let mut rank = vec![0usize; order.len()];
    for (k, &i) in order.iter().enumerate() {
        if let Some(r) = rank.get_mut(i) {
            *r = k;
        }
    }
    let ranked: Vec<usize> = transaction_index.iter().map(|&t| rank.get(t as usize).copied().unwrap_or(0)).collect();
    drop(rank);
    // Where each rank's lines start, then the next free place in it.
    let mut next = vec![0usize; order.len() + 1];
    for &r in &ranked {
        if let Some(n) = next.get_mut(r + 1) {
            *n += 1;
        }
    }
    for r in 1..next.len() {
        let before = next.get(r - 1).copied().unwrap_or(0);
        if let Some(n) = next.get_mut(r) {
            *n += before;
        }
    }
    let empty = LineRow { amount: Decimal::ZERO, quantity: 0, kind: DetailType::Product };
    let mut ordered = vec![(empty, 0u32); rows.len()];
    for (l, (row, r)) in rows.iter().zip(ranked).enumerate() {
        let Some(place) = next.get_mut(r) else { continue };
        if let Some(slot) = ordered.get_mut(*place) {
            *slot = (*row, l as u32);
        }
        *place += 1;
    }
    ordered
}

/// A checked line, before it becomes its transaction's `Detail`.
#[derive(Clone, Copy)]
struct LineRow {
    amount: Decimal,
    quantity: u32,
    kind: DetailType,
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

/// An instant column's value, or the error at `path`.
fn instant(t: f64, path: &dyn Fn() -> Pointer) -> Result<DateTime<FixedOffset>, EngineError> {
    let invalid = || {
        EngineError::new(
            Code::TimeInvalidTimestamp,
            &path(),
            "An instant column holds whole numbers of milliseconds since 1970-01-01T00:00Z (as `Date.getTime()` returns).",
        )
    };
    if !is_whole_ms(t) {
        return Err(invalid());
    }
    from_ms(t as i64).ok_or_else(invalid)
}

/// `value` × 10^-`scale`, with the JSON reader's limits (not negative, at most `MAX_AMOUNT`).
fn read_amount(value: f64, scale: u32, path: &dyn Fn() -> Pointer) -> Result<Decimal, EngineError> {
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
    // Above `MAX_AMOUNT` when above that many 10^-scale units: whole numbers compared (a
    // `Decimal` comparison per line was a fiftieth of a load). Past u64, no value is above.
    let limit = 10u64.checked_pow(scale).and_then(|unit| unit.checked_mul(MAX_AMOUNT.unsigned_abs()));
    let amount = Decimal::new(value as i64, scale);
    if limit.is_some_and(|limit| value as u64 > limit) {
        return Err(EngineError::new(
            Code::TransactionsAmountOutOfRange,
            &path(),
            format!("The amount {amount} exceeds the limit of {MAX_AMOUNT}."),
        ));
    }
    Ok(amount)
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
struct Groups {
    /// Row numbers, grouped.
    rows: Vec<usize>,
    /// Group `t` is `rows[start[t]..start[t + 1]]`.
    start: Vec<usize>,
}

impl Groups {
    fn of(&self, transaction: usize) -> impl Iterator<Item = usize> + '_ {
        let from = self.start.get(transaction).copied().unwrap_or(0);
        let to = self.start.get(transaction + 1).copied().unwrap_or(from);
        self.rows.get(from..to).unwrap_or_default().iter().copied()
    }
}

/// Groups the rows of `transaction_index` (positions in a table of `count` transactions) by
/// transaction, refusing a position outside it and a group larger than `max`.
fn grouped(transaction_index: &[u32], count: usize, path: &Pointer, max: usize) -> Result<Groups, EngineError> {
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

/// How many rows belong to transaction `t`, from `group_starts`.
fn group_size(start: &[usize], t: usize) -> usize {
    let from = start.get(t).copied().unwrap_or(0);
    start.get(t + 1).map_or(0, |&to| to.saturating_sub(from))
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
        let Some(slot) = start.get_mut(t as usize + 1).filter(|_| (t as usize) < count) else {
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
