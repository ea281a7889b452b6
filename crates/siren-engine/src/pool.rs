//! Revenue and the pool (`revenueSinceLastDistribution`, ENGINE.md §4): which transaction lines
//! qualify under the compilers and line-item filters, how refunds come off in the cycle they
//! happen in, and the pool = revenue × percentage, rounded once, half to even.
//!
//! Invariant: all money is `Decimal` with checked arithmetic; the only rounding of the pool is
//! the final one to the minor unit (a partial refund's qualifying share is a money amount and is
//! rounded to the minor unit once, when it is computed). Nothing here depends on input order.

use crate::amount::{exact_add, exact_mul, exact_sub, format_exact};
use crate::config::{Compiler, ConfigHistory, ConfigVersion, DetailType};
use crate::diagnostics::{Code, EngineError, Pointer};
use crate::model::{compare_ids, Detail, IdRef, Transaction, TransactionStatus};
use crate::money::Units;
use crate::scoring::{keep_first, IdList, IgnoreReason, Period, Window};
use crate::wide::Wide;
use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// How many sales and refunds the explanation lists before it says it truncated.
pub const MAX_LISTED_TRANSACTIONS: usize = 200;

/// How many counted sales are explained line by line: the output lists
/// `MAX_LISTED_TRANSACTIONS` and says whether there were more, so one more is enough.
pub const MAX_EXPLAINED_SALES: usize = MAX_LISTED_TRANSACTIONS + 1;

/// A refund counted in the window, before it is explained.
pub(crate) struct RefundApplied<'a> {
    pub transaction_id: IdRef<'a>,
    /// Its position among its transaction's refunds.
    pub refund: usize,
    pub occurred_at: DateTime<FixedOffset>,
    /// As given; `None` for a full refund.
    pub amount: Option<Decimal>,
    pub reduction: Decimal,
    pub percentage: Decimal,
    pub method: &'static str,
}

/// The one pool resolver the engine computes.
pub const REVENUE_SINCE_LAST_DISTRIBUTION: &str = "revenueSinceLastDistribution";

/// Why a transaction contributed nothing to this cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ExclusionReason {
    /// Neither the sale nor any refund falls in the window.
    OutsideWindow,
    /// In the window, but after the preview's `at`.
    NotYetOccurred,
    /// `cancelled`, or `refunded` with no refund records (so the refund's instant is unknown).
    NotComplete,
    /// `currency` differs from the distributor's units.
    CurrencyMismatch,
    /// No configuration version is in effect at the sale's instant.
    NoConfigInEffect,
}

/// How one line was treated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LineExplanation {
    /// Index into `details`; absent for a transaction that only has a `total`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<usize>,
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `amount × quantity`.
    pub line_total: String,
    /// What it adds to qualifying revenue (negative for a discount); "0" when excluded.
    pub qualifying: String,
    /// Why it was excluded: `compilerOff`, `typeFiltered`, `skuFiltered`, `categoryFiltered`,
    /// `notCollaboratorOwned`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excluded: Option<&'static str>,
}

/// A sale counted in the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SaleExplanation {
    pub transaction_id: String,
    pub occurred_at: String,
    pub lines: Vec<LineExplanation>,
    /// Σ qualifying lines, never below 0.
    pub qualifying: String,
    /// The percentage of the configuration in effect at the sale.
    pub percentage: String,
}

/// A refund applied in the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundExplanation {
    pub transaction_id: String,
    pub refund: usize,
    pub occurred_at: String,
    /// The refunded amount as given; absent for a full refund.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    /// What comes off qualifying revenue.
    pub qualifying_reduction: String,
    /// The percentage of the refunded sale (a refund takes back exactly what its sale put in).
    pub percentage: String,
    /// `full`, `proportional` (amount × qualifying / total, rounded to the minor unit) or
    /// `capped` (limited to what was left of the sale's qualifying revenue).
    pub method: &'static str,
}

/// The revenue and pool of one window, with everything needed to trace them.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolResult {
    /// Σ qualifying revenue of sales in the window.
    pub sales: Decimal,
    /// Σ qualifying reductions of refunds in the window.
    pub refunds: Decimal,
    /// max(0, sales − refunds).
    pub revenue: Decimal,
    /// How far refunds exceeded sales (0 when they did not).
    pub shortfall: Decimal,
    /// Σ item × its percentage / 100, before rounding (0 when revenue is floored), exact in
    /// as many digits as it takes.
    pub pool_exact: Wide,
    /// The pool in integer minor units, rounded once, half to even.
    pub pool_minor: i128,
    /// Percentage → qualifying revenue contributed at it (net of refunds).
    pub by_percentage: BTreeMap<Decimal, Decimal>,
    /// The first `MAX_EXPLAINED_SALES` counted sales, in (occurredAt, id) order.
    pub sales_explained: Vec<SaleExplanation>,
    /// The first `MAX_EXPLAINED_SALES` refunds counted in the window, in (occurredAt,
    /// transaction id, refund) order.
    pub refunds_explained: Vec<RefundExplanation>,
    pub excluded: BTreeMap<ExclusionReason, IdList>,
    /// True when some configuration in effect for a counted item has no compilers enabled.
    pub no_compilers: bool,
}

/// The qualifying revenue of one transaction under `version`, and how each line was treated.
/// Discounts subtract; the result is floored at 0 (a discount never makes a sale cost revenue).
/// Lines are explained (formatted) only when `explain` is set: most sales of a large window are
/// counted but not listed.
pub fn qualifying_revenue(
    transaction: &Transaction,
    version: &ConfigVersion,
    exponent: u32,
    path: &dyn Fn() -> Pointer,
    explain: bool,
) -> Result<(Decimal, Vec<LineExplanation>), EngineError> {
    let total_only;
    let (details, from_total): (&[Detail], bool) = match &transaction.details {
        Some(details) => (details, false),
        None => {
            total_only = [Detail {
                kind: DetailType::Product,
                amount: transaction.total.unwrap_or(Decimal::ZERO),
                quantity: 1,
                sku: None,
                categories: Vec::new(),
                owner_collaborator_ids: Vec::new(),
            }];
            (&total_only, true)
        }
    };
    let mut sum = Decimal::ZERO;
    let mut lines = if explain { Vec::with_capacity(details.len()) } else { Vec::new() };
    for (index, detail) in details.iter().enumerate() {
        let line_path = || if from_total { path().key("total") } else { path().key("details").index(index) };
        let line_total =
            exact_mul(detail.amount, Decimal::from(detail.quantity)).ok_or_else(|| out_of_range(&line_path()))?;
        let exclusion = line_exclusion(
            detail.kind,
            detail.sku.as_deref(),
            &detail.categories,
            &detail.owner_collaborator_ids,
            version,
        );
        let (qualifying, excluded) = match exclusion {
            Some(reason) => (Decimal::ZERO, Some(reason)),
            None if detail.kind == DetailType::Discount => (-line_total, None),
            None => (line_total, None),
        };
        sum = exact_add(sum, qualifying).ok_or_else(|| out_of_range(&line_path()))?;
        if !explain {
            continue;
        }
        lines.push(LineExplanation {
            detail: (!from_total).then_some(index),
            kind: detail.kind.name(),
            line_total: format_exact(line_total, exponent),
            qualifying: format_exact(qualifying, exponent),
            excluded,
        });
    }
    Ok((sum.max(Decimal::ZERO), lines))
}

/// `None` when a line of `kind` with this sku, these categories and owners counts; else why not.
/// Inlined, as `ConfigHistory::position_at`: the column revenue pass calls it per line.
#[inline]
pub(crate) fn line_exclusion(
    kind: DetailType,
    sku: Option<&str>,
    categories: &[String],
    owners: &[String],
    version: &ConfigVersion,
) -> Option<&'static str> {
    let compiler = match kind {
        DetailType::Product | DetailType::Subscription => Compiler::LineItems,
        DetailType::Discount => Compiler::Discounts,
        DetailType::Fee => Compiler::Fees,
        DetailType::Shipping => Compiler::Shipping,
        DetailType::Tax => Compiler::Taxes,
    };
    if !version.transaction_compilers.contains(&compiler) {
        return Some("compilerOff");
    }
    if compiler != Compiler::LineItems {
        return None;
    }
    // Line-item filters restrict product and subscription lines only; empty means no filter.
    let filters = &version.line_item_filters;
    if !filters.with_types.is_empty() && !filters.with_types.contains(&kind) {
        return Some("typeFiltered");
    }
    if !filters.with_skus.is_empty() && !sku.is_some_and(|sku| filters.with_skus.iter().any(|s| s == sku)) {
        return Some("skuFiltered");
    }
    if !filters.in_categories.is_empty() && !categories.iter().any(|c| filters.in_categories.contains(c)) {
        return Some("categoryFiltered");
    }
    if filters.collaborator_owned && owners.is_empty() {
        return Some("notCollaboratorOwned");
    }
    None
}

/// What the customer paid: `total` when given, else Σ lines with discounts subtracted. The
/// denominator of a partial refund's qualifying share.
pub(crate) fn paid_total(transaction: &Transaction, path: &dyn Fn() -> Pointer) -> Result<Decimal, EngineError> {
    if let Some(total) = transaction.total {
        return Ok(total);
    }
    let mut sum = Decimal::ZERO;
    for detail in transaction.details.iter().flatten() {
        let line = exact_mul(detail.amount, Decimal::from(detail.quantity)).ok_or_else(|| out_of_range(&path()))?;
        sum = if detail.kind == DetailType::Discount { exact_sub(sum, line) } else { exact_add(sum, line) }
            .ok_or_else(|| out_of_range(&path()))?;
    }
    Ok(sum.max(Decimal::ZERO))
}

fn out_of_range(path: &Pointer) -> EngineError {
    EngineError::new(Code::TransactionsAmountOutOfRange, path, "This amount is too large to compute exactly.")
}

fn total_out_of_range(path: &Pointer) -> EngineError {
    EngineError::new(
        Code::PreviewAmountOutOfRange,
        path,
        "The cycle's revenue or pool is too large to compute exactly.",
    )
}

/// Revenue and pool for `period` (`revenueSinceLastDistribution`), over references so a
/// simulation passes each window's transactions without copying them. `ordered` is in revenue
/// order (`sort_for_revenue`): the order sales are explained in and the first error is found in.
/// Callers hold them that way (a loaded bulk `Engine` stores them so), so no pass sorts them
/// again.
pub fn revenue_since_last_distribution(
    ordered: Vec<&Transaction>,
    period: &Period,
    config: &ConfigHistory,
    units: &Units,
    transactions_path: &Pointer,
    format_time: &dyn Fn(DateTime<FixedOffset>) -> String,
) -> Result<PoolResult, EngineError> {
    debug_assert!(
        ordered.windows(2).all(|w| !matches!(w, [a, b] if revenue_order(a, b).is_gt())),
        "transactions out of revenue order"
    );
    let exponent = units.exponent;
    let mut sums = Sums::default();
    let mut sales_explained = Vec::new();
    let mut refunds_applied = Vec::new();
    let mut excluded: BTreeMap<ExclusionReason, Vec<IdRef>> = BTreeMap::new();

    for transaction in ordered {
        // Built only for an error, not a pointer per transaction.
        let path = || transactions_path.index(transaction.index);
        let instants = transaction.refunds.iter().map(|r| r.occurred_at);
        let currency = transaction.currency.as_deref();
        let (sale_counts, version) =
            match standing(period, config, units, transaction.occurred_at, transaction.status, currency, instants) {
                Ok((sale_counts, position)) => (sale_counts, config.versions.get(position)),
                Err(reason) => {
                    excluded.entry(reason).or_default().push(IdRef::Text(&transaction.id));
                    continue;
                }
            };
        let Some(version) = version else { continue };
        if version.transaction_compilers.is_empty() {
            sums.no_compilers = true;
        }
        let percentage = version.revenue_percentage;
        let explain = sale_counts && sales_explained.len() < MAX_EXPLAINED_SALES;
        let (qualifying, lines) = qualifying_revenue(transaction, version, exponent, &path, explain)?;

        if sale_counts {
            sums.sales = exact_add(sums.sales, qualifying).ok_or_else(|| total_out_of_range(&path()))?;
            sums.weigh(qualifying, percentage, &path)?;
        }
        if explain {
            sales_explained.push(sale_explanation(transaction, lines, qualifying, percentage, exponent, format_time));
        }

        // Refunds in time order; each one takes at most what is left of the sale's qualifying
        // revenue, counting refunds before the window (already taken then) but not after `at`.
        if transaction.refunds.is_empty() {
            continue; // what the customer paid only measures refunds
        }
        let paid = paid_total(transaction, &path)?;
        let mut taken = Decimal::ZERO;
        for (_, i) in in_time_order(transaction.refunds.iter().map(|r| r.occurred_at)) {
            let Some(refund) = transaction.refunds.get(i) else { continue };
            if refund.occurred_at > period.cutoff {
                continue;
            }
            let refund_path = || path().key("refunds").index(i);
            let left = (qualifying - taken).max(Decimal::ZERO);
            let divide = |amount| proportional_share(amount, qualifying, paid, exponent, &refund_path);
            let (reduction, method) = refund_reduction(refund.amount, qualifying, paid, left, Decimal::ZERO, divide)?;
            taken = exact_add(taken, reduction).ok_or_else(|| out_of_range(&refund_path()))?;
            if period.admits(refund.occurred_at).is_err() {
                continue;
            }
            sums.refunds = exact_add(sums.refunds, reduction).ok_or_else(|| total_out_of_range(&refund_path()))?;
            sums.weigh(-reduction, percentage, &refund_path)?;
            refunds_applied.push(RefundApplied {
                transaction_id: IdRef::Text(&transaction.id),
                refund: i,
                occurred_at: refund.occurred_at,
                amount: refund.amount,
                reduction,
                percentage,
                method,
            });
        }
    }
    finish(sums, sales_explained, refunds_applied, excluded, exponent, transactions_path, format_time)
}

/// How `period` sees a transaction: `Ok((whether its sale counts, the position of the version
/// in effect at the sale))` when its sale or one of its refunds is in the window and it can
/// count; else why it contributes nothing. The same rules for every revenue pass.
pub(crate) fn standing(
    period: &Period,
    config: &ConfigHistory,
    units: &Units,
    occurred_at: DateTime<FixedOffset>,
    status: TransactionStatus,
    currency: Option<&str>,
    refund_instants: impl Iterator<Item = DateTime<FixedOffset>> + Clone,
) -> Result<(bool, usize), ExclusionReason> {
    let sale_counts = period.admits(occurred_at).is_ok();
    if !sale_counts && !refund_instants.clone().any(|t| period.admits(t).is_ok()) {
        let mut instants = std::iter::once(occurred_at).chain(refund_instants);
        return Err(if instants.any(|t| period.admits(t) == Err(IgnoreReason::NotYetOccurred)) {
            ExclusionReason::NotYetOccurred
        } else {
            ExclusionReason::OutsideWindow
        });
    }
    // `refunded` with refund records is a sale that was refunded later: the records say when.
    let complete = match status {
        TransactionStatus::Complete => true,
        TransactionStatus::Refunded => refund_instants.clone().next().is_some(),
        TransactionStatus::Cancelled => false,
    };
    if !complete {
        return Err(ExclusionReason::NotComplete);
    }
    if currency.is_some_and(|currency| !currency.eq_ignore_ascii_case(&units.code)) {
        return Err(ExclusionReason::CurrencyMismatch);
    }
    // The sale is counted, and its refunds measured, by the version in effect at the sale.
    config.position_at(occurred_at).map(|position| (sale_counts, position)).ok_or(ExclusionReason::NoConfigInEffect)
}

/// What one refund takes off its sale: `(reduction, method)`, in whatever numbers the revenue
/// pass keeps. `left` is what earlier refunds left of the sale's `qualifying` revenue, `paid`
/// what the customer paid, and `divide` the share of a partial refund of part of a sale
/// (`proportional_share`). The same rules for every revenue pass.
pub(crate) fn refund_reduction<N: Copy + Ord, E>(
    amount: Option<N>,
    qualifying: N,
    paid: N,
    left: N,
    zero: N,
    divide: impl FnOnce(N) -> Result<N, E>,
) -> Result<(N, &'static str), E> {
    let (share, method) = match amount {
        None => (left, "full"),
        Some(amount) if qualifying == paid => (amount, "proportional"),
        Some(amount) if paid == zero => (amount.min(left), "capped"),
        Some(amount) => (divide(amount)?, "proportional"),
    };
    Ok(if share > left { (left, "capped") } else { (share, method) })
}

/// The positions of a sale's refunds (given by their instants) in the order they are applied:
/// by instant, then position.
pub(crate) fn in_time_order(
    instants: impl Iterator<Item = DateTime<FixedOffset>>,
) -> Vec<(DateTime<FixedOffset>, usize)> {
    let mut order = Vec::new();
    put_in_time_order(instants, &mut order);
    order
}

/// `in_time_order` into `order`, which a pass over many sales reuses.
pub(crate) fn put_in_time_order(
    instants: impl Iterator<Item = DateTime<FixedOffset>>,
    order: &mut Vec<(DateTime<FixedOffset>, usize)>,
) {
    order.clear();
    order.extend(instants.zip(0..));
    order.sort_unstable(); // (instant, position) is unique
}

/// A partial refund's share of qualifying revenue when some of what was paid does not
/// qualify: amount × qualifying ÷ paid, rounded to the minor unit, half to even.
pub(crate) fn proportional_share(
    amount: Decimal,
    qualifying: Decimal,
    paid: Decimal,
    exponent: u32,
    path: &dyn Fn() -> Pointer,
) -> Result<Decimal, EngineError> {
    // Exact in 256 bits: amount × qualifying alone can pass `Decimal`'s 28 digits.
    Wide::share(amount, qualifying, paid, exponent).ok_or_else(|| out_of_range(&path()))
}

/// A counted sale, explained line by line.
pub(crate) fn sale_explanation(
    transaction: &Transaction,
    lines: Vec<LineExplanation>,
    qualifying: Decimal,
    percentage: Decimal,
    exponent: u32,
    format_time: &dyn Fn(DateTime<FixedOffset>) -> String,
) -> SaleExplanation {
    SaleExplanation {
        transaction_id: transaction.id.clone(),
        occurred_at: format_time(transaction.occurred_at),
        lines,
        qualifying: format_exact(qualifying, exponent),
        percentage: percentage.normalize().to_string(),
    }
}

/// What a revenue pass adds up over the window.
#[derive(Default)]
pub(crate) struct Sums {
    /// Σ qualifying revenue of counted sales.
    pub sales: Decimal,
    /// Σ reductions of refunds in the window.
    pub refunds: Decimal,
    /// Σ ± qualifying × percentage, exact (a product can pass `Decimal`'s 28 digits).
    pub weighted: Wide,
    /// Percentage → qualifying revenue at it, net of refunds.
    pub by_percentage: BTreeMap<Decimal, Decimal>,
    /// Some configuration in effect for a counted item has no compilers enabled.
    pub no_compilers: bool,
}

impl Sums {
    /// Adds `amount` (negative for a refund) at `percentage` to the weighted sum and its
    /// percentage's total.
    pub(crate) fn weigh(
        &mut self,
        amount: Decimal,
        percentage: Decimal,
        path: &dyn Fn() -> Pointer,
    ) -> Result<(), EngineError> {
        self.weighted =
            self.weighted.add(Wide::product(amount, percentage)).ok_or_else(|| total_out_of_range(&path()))?;
        let entry = self.by_percentage.entry(percentage.normalize()).or_insert(Decimal::ZERO);
        *entry = exact_add(*entry, amount).ok_or_else(|| total_out_of_range(&path()))?;
        Ok(())
    }
}

/// The pool from a pass's sums, with the first refunds and the excluded ids explained.
pub(crate) fn finish(
    sums: Sums,
    sales_explained: Vec<SaleExplanation>,
    mut refunds_applied: Vec<RefundApplied>,
    excluded: BTreeMap<ExclusionReason, Vec<IdRef>>,
    exponent: u32,
    transactions_path: &Pointer,
    format_time: &dyn Fn(DateTime<FixedOffset>) -> String,
) -> Result<PoolResult, EngineError> {
    let Sums { sales, refunds, weighted, by_percentage, no_compilers } = sums;
    let net = exact_sub(sales, refunds).ok_or_else(|| total_out_of_range(transactions_path))?;
    let (revenue, shortfall) =
        if net.is_sign_negative() && !net.is_zero() { (Decimal::ZERO, -net) } else { (net, Decimal::ZERO) };
    // A refund takes back its sale's percentage; if refunded sales carried a higher percentage
    // than the sales left, the weighted sum can dip below 0 while revenue does not: floor it too.
    let pool_exact = match weighted.hundredth() {
        _ if revenue.is_zero() => Wide::ZERO,
        pool if pool.is_negative() => Wide::ZERO,
        pool => pool,
    };
    let pool_minor = pool_exact.to_minor_units(exponent).ok_or_else(|| total_out_of_range(transactions_path))?;
    // The first refunds in (occurredAt, transaction id, refund) order are explained: ordered
    // before any is formatted (a month can hold tens of thousands).
    let order = |a: &RefundApplied, b: &RefundApplied| {
        a.occurred_at
            .cmp(&b.occurred_at)
            .then_with(|| a.transaction_id.compare(&b.transaction_id))
            .then_with(|| a.refund.cmp(&b.refund))
    };
    keep_first(&mut refunds_applied, MAX_EXPLAINED_SALES, order); // (instant, id, index) is unique
    let refunds_explained = refunds_applied
        .into_iter()
        .map(|r| RefundExplanation {
            transaction_id: r.transaction_id.to_string(),
            refund: r.refund,
            occurred_at: format_time(r.occurred_at),
            amount: r.amount.map(|a| format_exact(a, exponent)),
            qualifying_reduction: format_exact(r.reduction, exponent),
            percentage: r.percentage.normalize().to_string(),
            method: r.method,
        })
        .collect();
    let excluded = excluded.into_iter().map(|(reason, ids)| (reason, IdList::first_of(ids))).collect();
    Ok(PoolResult {
        sales,
        refunds,
        revenue,
        shortfall,
        pool_exact,
        pool_minor,
        by_percentage,
        sales_explained,
        refunds_explained,
        excluded,
        no_compilers,
    })
}

/// Sorts into the order transactions are counted and explained in: (occurredAt, id).
pub fn sort_for_revenue(transactions: &mut [&Transaction]) {
    transactions.sort_by(|a, b| revenue_order(a, b));
}

/// The order transactions are counted and explained in: (occurredAt, id).
fn revenue_order(a: &Transaction, b: &Transaction) -> std::cmp::Ordering {
    a.occurred_at.cmp(&b.occurred_at).then_with(|| compare_ids(&a.id, &b.id))
}

/// The transactions of a JSON array in revenue order, moved rather than copied: read in input
/// order, which is usually by date, their strings already lie about as the pass reads them, and
/// a copy would cost more than it saves (a tenth of reading the sample year).
pub fn into_revenue_order(mut transactions: Vec<Transaction>) -> Vec<Transaction> {
    crate::sorting::stable_sort_by(&mut transactions, revenue_order);
    transactions
}

/// The transactions in the order the revenue pass reads them in, (occurredAt, id), and laid
/// out in that order in memory: copied, in order, while the input-order ones are still held.
/// Left where input order put them, they are scattered across the heap, and the pass would take
/// a cache miss per transaction.
pub fn in_revenue_order(transactions: &[Transaction]) -> Vec<Transaction> {
    let mut ordered: Vec<&Transaction> = transactions.iter().collect();
    sort_for_revenue(&mut ordered);
    ordered.into_iter().cloned().collect()
}

/// Transactions touching a window: sold or refunded in it. Built once from every sale and refund
/// instant, sorted, so each window finds its transactions by binary search (a loaded
/// bulk `Engine` keeps it between simulations).
#[derive(Debug)]
pub struct TransactionIndex {
    /// (instant, position in `transactions`), sorted.
    instants: Vec<(DateTime<FixedOffset>, usize)>,
}

impl TransactionIndex {
    pub fn new(transactions: &[Transaction]) -> Self {
        let mut instants: Vec<(DateTime<FixedOffset>, usize)> = Vec::new();
        for (position, transaction) in transactions.iter().enumerate() {
            instants.push((transaction.occurred_at, position));
            instants.extend(transaction.refunds.iter().map(|r| (r.occurred_at, position)));
        }
        TransactionIndex::of(instants)
    }

    /// The index of (instant, position) pairs: every sale's and refund's.
    pub fn of(mut instants: Vec<(DateTime<FixedOffset>, usize)>) -> Self {
        instants.sort_unstable();
        TransactionIndex { instants }
    }

    /// The positions of the transactions sold or refunded in `window`, ascending.
    pub fn positions_in(&self, window: &Window) -> Vec<usize> {
        let from = self.instants.partition_point(|(t, _)| *t < window.start);
        let to = self.instants.partition_point(|(t, _)| *t < window.end);
        let mut positions: Vec<usize> =
            self.instants.get(from..to).unwrap_or_default().iter().map(|(_, p)| *p).collect();
        positions.sort_unstable();
        positions.dedup();
        positions
    }

    /// The transactions sold or refunded in `window`, in the order of `transactions`.
    pub fn in_window<'a>(&self, transactions: &'a [Transaction], window: &Window) -> Vec<&'a Transaction> {
        self.positions_in(window).into_iter().filter_map(|p| transactions.get(p)).collect()
    }
}
