//! The revenue pass over transactions kept as columns (`transactions::TransactionTable`):
//! `pool`'s rules, in whole units of one scale, without building a `Transaction` except for the
//! sales it explains and the sales whose partial refunds need a division.
//!
//! Invariant: it returns what `pool::revenue_since_last_distribution` returns over the same
//! transactions (the unit tests' `column_revenue` module compares them), or `None`, and the
//! caller runs that pass instead. `None` when an amount does not fit its integers, when the pool's decimals could
//! fail to hold a sum, and on any error (the pool reports the first in revenue order). It reads
//! the columns in their order: its sums do not depend on order, and what it lists is selected
//! in revenue order.

use super::transactions::{Row, TransactionTable};
use crate::amount::small_mul;
use crate::config::{ConfigHistory, ConfigVersion, DetailType};
use crate::diagnostics::Pointer;
use crate::model::IdRef;
use crate::money::Units;
use crate::pool::{self, ExclusionReason, PoolResult, RefundApplied, Sums, MAX_EXPLAINED_SALES};
use crate::preview::PreviewRequest;
use crate::scoring::Period;
use crate::time;
use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The finest scale of an amount times a percentage here: the pool's `weighted ÷ 100` then
/// stays within `Decimal`'s 28 places.
const MAX_WEIGHTED_SCALE: u32 = 26;

/// `preview::cycle_revenue` over the transactions at `positions` in `table`, or `None` (see
/// the module documentation).
pub fn cycle_revenue(request: &PreviewRequest, table: &TransactionTable, positions: &[usize]) -> Option<PoolResult> {
    let zone = request.zone;
    revenue(
        table,
        positions,
        &request.period(),
        &request.config,
        &request.distributor.units,
        &Pointer::root().key("transactions"),
        &|instant| time::format_in_zone(instant, zone),
    )
}

/// What one version's counted sales and refunds add up to, in units of the pass's scale.
#[derive(Debug, Clone, Copy, Default)]
struct VersionSums {
    sales: i64,
    refunds: i64,
    /// Σ |each sale and refund|: bounds every partial sum the pool's decimals would hold.
    magnitude: i64,
    /// A sale or refund was counted at this version (the pool lists its percentage then).
    counted: bool,
}

impl VersionSums {
    fn add(&mut self, sale: i64, refund: i64) -> Option<()> {
        self.sales = self.sales.checked_add(sale)?;
        self.refunds = self.refunds.checked_add(refund)?;
        self.magnitude = self.magnitude.checked_add(sale)?.checked_add(refund)?;
        self.counted = true;
        Some(())
    }
}

/// `pool::revenue_since_last_distribution` over the transactions at `positions` in `table`
/// (ascending, for reads in sequence), or `None`.
pub fn revenue(
    table: &TransactionTable,
    positions: &[usize],
    period: &Period,
    config: &ConfigHistory,
    units: &Units,
    transactions_path: &Pointer,
    format_time: &dyn Fn(DateTime<FixedOffset>) -> String,
) -> Option<PoolResult> {
    let exponent = units.exponent;
    // Amounts and rounded refund shares are both whole numbers at this scale.
    let scale = table.amount_scale.max(exponent);
    let up = 10i64.checked_pow(scale.checked_sub(table.amount_scale)?)?;
    let decimal = |units: i64| Decimal::try_new(units, scale).ok();
    let mut versions = vec![VersionSums::default(); config.versions.len()];
    let mut counted_sales = Vec::new();
    let mut last_explained = None;
    let mut refunds_applied = Vec::new();
    let mut excluded: BTreeMap<ExclusionReason, Vec<IdRef>> = BTreeMap::new();
    let mut no_compilers = false;
    let mut refund_order = Vec::new(); // a sale's refunds in time order, the buffer reused

    for &t in positions {
        let (Some(row), Some(id)) = (table.rows.get(t), table.transaction_ids.get(t)) else { continue };
        let refunds = table.refund_groups.of(t);
        let instants = refunds.iter().filter_map(|&r| table.refunds.get(r)).map(|r| r.0);
        let currency = table.currencies.as_ref().and_then(|c| c.get(t)).and_then(Option::as_deref);
        let (sale_counts, position) =
            match pool::standing(period, config, units, row.occurred_at, row.status, currency, instants.clone()) {
                Ok(standing) => standing,
                Err(reason) => {
                    excluded.entry(reason).or_default().push(id);
                    continue;
                }
            };
        let version = config.versions.get(position)?;
        no_compilers |= version.transaction_compilers.is_empty();
        let (qualifying, paid) = line_sums(table, t, row, version, up)?;
        let sums = versions.get_mut(position)?;
        if sale_counts {
            sums.add(qualifying, 0)?;
            // Only sales that can still be among the first explained are kept: the list is cut
            // to them whenever it grows to four times that (rather than selecting among every
            // sale at the end), and a later sale after the last kept is not collected.
            let sale = (row.occurred_at, t);
            // Most sales are after the last kept: the instants say so without a call.
            let may_be_kept = |last: (DateTime<FixedOffset>, usize)| {
                sale.0 < last.0 || sale.0 == last.0 && table.revenue_cmp(&sale, &last).is_lt()
            };
            if last_explained.is_none_or(may_be_kept) {
                counted_sales.push(sale);
                if counted_sales.len() >= 4 * MAX_EXPLAINED_SALES {
                    table.keep_first_in_revenue_order(&mut counted_sales, MAX_EXPLAINED_SALES);
                    last_explained = counted_sales.last().copied();
                }
            }
        }
        if refunds.is_empty() {
            continue;
        }
        // As the pool: in time order, each taking at most what is left of the sale.
        let mut exact = None; // the sale's qualifying and paid amounts as the pool's decimals
        let mut taken = 0i64;
        pool::put_in_time_order(instants.clone(), &mut refund_order);
        for &(at, k) in &refund_order {
            let amount = table.refunds.get(*refunds.get(k)?)?.1;
            if at > period.cutoff {
                continue;
            }
            let left = (qualifying - taken).max(0);
            // A division the pool rounds uses its own decimals, on this sale built.
            let divide = |_| {
                let path = || transactions_path.index(t).key("refunds").index(k);
                let (q, p) = match exact {
                    Some(exact) => exact,
                    None => *exact.insert(exact_amounts(table, t, version, exponent, transactions_path).ok_or(())?),
                };
                let amount = amount.and_then(|a| Decimal::try_new(a, table.amount_scale).ok()).ok_or(())?;
                let share = pool::proportional_share(amount, q, p, exponent, &path).map_err(|_| ())?;
                units_at(share, scale).ok_or(())
            };
            let scaled = amount.map(|a| in_units(a, up).ok_or(())).transpose().ok()?;
            let (reduction, method) = pool::refund_reduction(scaled, qualifying, paid, left, 0, divide).ok()?;
            taken = taken.checked_add(reduction)?;
            if period.admits(at).is_err() {
                continue;
            }
            sums.add(0, reduction)?;
            refunds_applied.push(RefundApplied {
                transaction_id: id,
                refund: k,
                occurred_at: at,
                amount: amount.and_then(|a| Decimal::try_new(a, table.amount_scale).ok()),
                reduction: decimal(reduction)?,
                percentage: version.revenue_percentage,
                method,
            });
        }
    }

    // Where the pool's decimals would hold every partial sum (and so never fail), the sums by
    // version give the same values: each sum is exact.
    let counted: Vec<(&VersionSums, &ConfigVersion)> =
        versions.iter().zip(&config.versions).filter(|(sums, _)| sums.counted).collect();
    let finest = counted.iter().map(|(_, v)| v.revenue_percentage.scale()).max().unwrap_or(0);
    if scale + finest > MAX_WEIGHTED_SCALE {
        return None;
    }
    let mut weighted_bound = 0i128;
    for (sums, version) in &counted {
        let percentage = version.revenue_percentage;
        let factor = percentage.mantissa().checked_mul(10i128.checked_pow(finest - percentage.scale())?)?;
        weighted_bound = weighted_bound.checked_add(i128::from(sums.magnitude).checked_mul(factor.abs())?)?;
    }
    if weighted_bound >= 1 << 95 {
        return None;
    }
    let total = |part: fn(&VersionSums) -> i64| versions.iter().try_fold(0i64, |sum, v| sum.checked_add(part(v)));
    let mut sums = Sums {
        sales: decimal(total(|v| v.sales)?)?,
        refunds: decimal(total(|v| v.refunds)?)?,
        no_compilers,
        ..Sums::default()
    };
    for (version_sums, version) in counted {
        let net = decimal(version_sums.sales.checked_sub(version_sums.refunds)?)?;
        sums.weigh(net, version.revenue_percentage, &|| transactions_path.clone()).ok()?;
    }

    // The first counted sales in revenue order are explained, each built and explained by the
    // pool's own code.
    table.keep_first_in_revenue_order(&mut counted_sales, MAX_EXPLAINED_SALES);
    let mut sales_explained = Vec::with_capacity(counted_sales.len());
    for (_, t) in counted_sales {
        let transaction = table.transaction(t)?;
        let version = config.at(transaction.occurred_at)?;
        let path = || transactions_path.index(t);
        let (qualifying, lines) = pool::qualifying_revenue(&transaction, version, exponent, &path, true).ok()?;
        let percentage = version.revenue_percentage;
        sales_explained.push(pool::sale_explanation(
            &transaction,
            lines,
            qualifying,
            percentage,
            exponent,
            format_time,
        ));
    }
    pool::finish(sums, sales_explained, refunds_applied, excluded, exponent, transactions_path, format_time).ok()
}

/// Transaction `t`'s (qualifying, paid) amounts under `version`, in units of the pass's scale
/// (`up` units per unit of the table's), as `pool::qualifying_revenue` and `pool::paid_total`.
fn line_sums(table: &TransactionTable, t: usize, row: &Row, version: &ConfigVersion, up: i64) -> Option<(i64, i64)> {
    let lines = table.line_groups.of(t);
    if lines.is_empty() {
        // Its `total` is one product line.
        let total = in_units(row.total?, up)?;
        let counts = pool::line_exclusion(DetailType::Product, None, &[], &[], version).is_none();
        return Some((if counts { total } else { 0 }, total));
    }
    let (mut qualifying, mut all, mut magnitude) = (0i64, 0i64, 0i64);
    for &l in lines {
        let line = table.lines.get(l)?;
        let total = in_units(small_mul(line.amount, line.quantity.into())?, up)?;
        // Bounds every partial sum below, and the pool's (in 96 bits) alike.
        magnitude = magnitude.checked_add(total)?;
        let signed = if line.kind == DetailType::Discount { -total } else { total };
        all += signed;
        let sku = table.line_skus.as_ref().and_then(|s| s.get(l)).and_then(Option::as_deref);
        let (categories, owners) = (list_at(&table.line_categories, l), list_at(&table.line_owner_collaborator_ids, l));
        if pool::line_exclusion(line.kind, sku, categories, owners, version).is_none() {
            qualifying += signed;
        }
    }
    let paid = match row.total {
        Some(total) => in_units(total, up)?,
        None => all.max(0),
    };
    Some((qualifying.max(0), paid))
}

/// `units` of the table's scale in units of the pass's (`up` of them each). With no change of
/// scale (amounts in cents, a currency of cents), no multiplication: checking one is a 128-bit
/// library call in wasm.
fn in_units(units: i64, up: i64) -> Option<i64> {
    if up == 1 {
        Some(units)
    } else {
        units.checked_mul(up)
    }
}

/// Line `l`'s list in an optional list column (empty without the column).
fn list_at(column: &Option<Vec<Vec<String>>>, l: usize) -> &[String] {
    column.as_ref().and_then(|c| c.get(l)).map_or(&[], Vec::as_slice)
}

/// Transaction `t`'s qualifying and paid amounts as the pool computes them, from it built.
fn exact_amounts(
    table: &TransactionTable,
    t: usize,
    version: &ConfigVersion,
    exponent: u32,
    transactions_path: &Pointer,
) -> Option<(Decimal, Decimal)> {
    let transaction = table.transaction(t)?;
    let path = || transactions_path.index(t);
    let (qualifying, _) = pool::qualifying_revenue(&transaction, version, exponent, &path, false).ok()?;
    Some((qualifying, pool::paid_total(&transaction, &path).ok()?))
}

/// `amount` as a whole number of 10^-`scale` units, when it is one and fits.
fn units_at(amount: Decimal, scale: u32) -> Option<i64> {
    let amount = amount.normalize();
    let shift = 10i64.checked_pow(scale.checked_sub(amount.scale())?)?;
    i64::try_from(amount.mantissa()).ok()?.checked_mul(shift)
}
