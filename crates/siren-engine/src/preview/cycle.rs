//! Computing one cycle from a `PreviewRequest`: scores, revenue and pool, the resolver's
//! allocations and the explanation. Never reads JSON.

use super::output::{
    AllocationExplanation, AllocationOut, CollaboratorExplanation, CycleAmounts, Explanation, LeaderboardEntry, Listed,
    PercentageShare, PoolExplanation, Preview, ReasonedIds, RevenueExplanation, ScoringExplanation, ShareOut, TieOut,
    WindowExplanation, WindowOut,
};
use super::request::{listed_count, PreviewRequest, WindowSource};
use crate::amount::{format_exact, format_minor};
use crate::diagnostics::{Code, EngineError, Pointer};
use crate::model::Transaction;
use crate::pool::{self, ExclusionReason, PoolResult, REVENUE_SINCE_LAST_DISTRIBUTION};
use crate::resolvers::{self, Contender};
use crate::scoring::{self, competition_ranks, IgnoreReason, Period};
use crate::time::{self};
use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use std::sync::Arc;

/// What a multi-cycle caller (simulate) adds to one cycle's computation. The default is the
/// preview's: nothing carried in, the standard notes.
#[derive(Debug, Clone, Default)]
pub struct CycleExtras {
    /// Unawarded pool carried in from earlier cycles (minor units), allocated with this one's.
    pub carried_in_minor: i128,
    /// Replaces the preview's "the distributor is inactive" note on a paused cycle.
    pub paused_note: Option<String>,
    /// The cycle is computed at its trigger (simulate): no "the distribution is due" note.
    pub settled: bool,
}

/// Computes the projected cycle.
pub fn run(request: &PreviewRequest) -> Result<Preview, EngineError> {
    run_cycle(request, &CycleExtras::default())
}

/// Computes one cycle: the preview's computation, plus what simulate carries between cycles.
pub fn run_cycle(request: &PreviewRequest, extras: &CycleExtras) -> Result<Preview, EngineError> {
    let scores = scoring::score(
        &request.events,
        &request.period(),
        &request.config,
        request.collaborators.as_deref(),
        &Pointer::root().key("events"),
    )?;
    let mut transactions: Vec<&Transaction> = request.transactions.iter().collect();
    pool::sort_for_revenue(&mut transactions);
    let revenue = cycle_revenue(request, transactions)?;
    run_cycle_scored(request, scores, &revenue, extras)
}

/// The cycle's revenue and pool (`revenueSinceLastDistribution`) from `transactions`, in
/// revenue order (`pool::sort_for_revenue`).
pub fn cycle_revenue(request: &PreviewRequest, transactions: Vec<&Transaction>) -> Result<PoolResult, EngineError> {
    let zone = request.zone;
    pool::revenue_since_last_distribution(
        transactions,
        &request.period(),
        &request.config,
        &request.distributor.units,
        &Pointer::root().key("transactions"),
        &|instant| time::format_in_zone(instant, zone),
    )
}

impl PreviewRequest {
    /// What the cycle counts: its window, as of `at`.
    pub fn period(&self) -> Period {
        Period { window: self.window, cutoff: self.at }
    }
}

/// Computes one cycle from scores and revenue already computed for `request.period()` (by
/// `scoring::score` over `request.events` and `cycle_revenue`, or by a loaded
/// bulk `Engine`); `request.events` and `request.transactions` are not read.
pub fn run_cycle_scored(
    request: &PreviewRequest,
    mut scores: scoring::Scores,
    revenue: &PoolResult,
    extras: &CycleExtras,
) -> Result<Preview, EngineError> {
    let root = Pointer::root();
    let zone = request.zone;
    let units = &request.distributor.units;
    let exponent = units.exponent;
    let format_time = |instant: DateTime<FixedOffset>| time::format_in_zone(instant, zone);

    // With `top`, the lists below stop there, so a re-preview does not serialise, parse and
    // free the whole leaderboard, its explanation and shares.
    let listed = listed_count(request.top);
    let leaderboard = leaderboard(&mut scores, listed, &format_time);

    let event_ids_listed_for_top = scores
        .collaborators
        .iter()
        .skip(scoring::MAX_LISTED_COLLABORATORS)
        .any(|c| c.events.count > 0)
        .then_some(scoring::MAX_LISTED_COLLABORATORS);
    let explained = explain_collaborators(&mut scores, listed);

    let contenders: Vec<Contender> = scores
        .collaborators
        .iter()
        .map(|c| Contender { collaborator_id: &c.collaborator_id, score: c.score, reached_at: c.reached_at })
        .collect();
    let resolver = request.distributor.resolver;
    let available_minor = revenue.pool_minor.checked_add(extras.carried_in_minor).ok_or_else(|| {
        EngineError::new(
            Code::PreviewAmountOutOfRange,
            &root.key("transactions"),
            "The cycle's pool is too large to compute exactly.",
        )
    })?;
    let allocation = resolvers::allocate(resolver, available_minor, &contenders, request.policies.tie_break)?;
    let anyone_scored = contenders.iter().any(|c| c.score > 0);

    let status = if !request.distributor.active {
        "paused"
    } else if !anyone_scored {
        "noEngagement"
    } else if available_minor == 0 {
        "noRevenue"
    } else {
        "distributed"
    };
    let pays = status == "distributed";
    let allocated_minor: i128 = if pays { allocation.shares.iter().map(|s| s.amount_minor).sum() } else { 0 };
    let settled =
        settle(status, available_minor, allocated_minor, revenue.pool_minor, extras.carried_in_minor, request)
            .ok_or_else(|| {
                EngineError::new(
                    Code::PreviewAmountOutOfRange,
                    &root.key("transactions"),
                    "The cycle's pool is too large to compute exactly.",
                )
            })?;

    // Contenders are in leaderboard order, so a share's contender is its leaderboard place:
    // each share is put in its place, not sorted there.
    let mut by_place: Vec<Option<&resolvers::Share>> = vec![None; if pays { contenders.len() } else { 0 }];
    for share in allocation.shares.iter().filter(|s| s.amount_minor > 0) {
        if let Some(place) = by_place.get_mut(share.contender) {
            *place = Some(share);
        }
    }
    let paid_shares: Vec<&resolvers::Share> = by_place.into_iter().flatten().collect();
    let allocations: Vec<AllocationOut> = paid_shares
        .iter()
        .map(|s| AllocationOut {
            collaborator_id: id_at(&scores.collaborators, s.contender),
            amount: format_minor(s.amount_minor, exponent),
        })
        .collect();

    let tie = allocation.tie.as_ref().map(|t| TieOut {
        collaborator_ids: t.collaborator_ids.clone(),
        score: t.score,
        policy: t.policy.id(),
        decided_by: t.decided_by.id(),
        winners: t.winners.clone(),
    });

    let pool_text = format_minor(revenue.pool_minor, exponent);
    let notes = notes(
        request,
        extras,
        &scores,
        revenue,
        &allocation,
        status,
        &format_minor(available_minor, exponent),
        &format_time,
    );

    let total_weight: u128 = allocation.shares.iter().map(|s| s.weight).fold(0u128, u128::saturating_add);
    let shares = explain_shares(&allocation, &scores.collaborators, listed, exponent);
    let explanation = Explanation {
        window: explain_window(request, &format_time),
        scoring: ScoringExplanation {
            event_ids_listed_for_top,
            listed: request.top.map(|top| Listed { top, of: scores.collaborators.len() }),
            collaborators: explained,
            ignored: scores
                .ignored
                .iter()
                .map(|(reason, ids)| ReasonedIds { reason: *reason, ids: ids.clone() })
                .collect(),
            total_points: scores.total,
        },
        revenue: explain_revenue(revenue, exponent),
        pool: explain_pool(revenue, exponent, pool_text.clone()),
        allocation: AllocationExplanation {
            resolver: resolver.id(),
            method: if allocation.shares.is_empty() { "none" } else { "largestRemainder" },
            tie_break: request.policies.tie_break.id(),
            carry_over_unawarded: request.policies.carry_over_unawarded,
            total_weight: u64::try_from(total_weight).unwrap_or(u64::MAX),
            shares,
            remainder_order: allocation
                .remainder_order
                .iter()
                .map(|&place| id_at(&scores.collaborators, place))
                .collect(),
            carried_in: format_minor(extras.carried_in_minor, exponent),
            available: format_minor(available_minor, exponent),
            allocated: format_minor(allocated_minor, exponent),
            unawarded: format_minor(settled.unawarded, exponent),
            carried_out: format_minor(settled.carried_out, exponent),
            deferred: format_minor(settled.deferred, exponent),
        },
    };

    Ok(Preview {
        index: request.index,
        window: WindowOut { start: format_time(request.window.start), end: format_time(request.window.end) },
        trigger_at: format_time(request.window.end),
        status,
        revenue: format_exact(revenue.revenue, exponent),
        pool: pool_text,
        units: units.code.clone(),
        leaderboard,
        allocations,
        tie,
        notes,
        projected: true,
        at: format_time(request.at),
        time_zone: zone.name(),
        explanation,
        amounts: CycleAmounts {
            revenue: revenue.revenue,
            pool_minor: revenue.pool_minor,
            available_minor,
            allocations_minor: paid_shares.iter().map(|s| s.amount_minor).collect(),
            unawarded_minor: settled.unawarded,
            carried_out_minor: settled.carried_out,
        },
    })
}

/// Where a cycle's `available` money goes besides its allocations.
struct Settled {
    unawarded: i128,
    carried_out: i128,
    deferred: i128,
}

/// Splits `available` (pool + carried in) by the cycle's status, so that it equals allocated,
/// unawarded, carriedOut and deferred added up. A paused cycle pays and drops nothing: the
/// carried-in money is held as money, and its own pool is deferred (its revenue is counted
/// again by the next attempt's window, so carrying the pool as well would count it twice).
fn settle(
    status: &str,
    available: i128,
    allocated: i128,
    pool: i128,
    carried_in: i128,
    request: &PreviewRequest,
) -> Option<Settled> {
    let held = |carried_out| Settled { unawarded: 0, carried_out, deferred: 0 };
    Some(match status {
        "paused" => Settled { unawarded: 0, carried_out: carried_in, deferred: pool },
        "noEngagement" if request.policies.carry_over_unawarded => held(available),
        _ => Settled { unawarded: available.checked_sub(allocated)?, carried_out: 0, deferred: 0 },
    })
}

/// The leaderboard's first `listed` places, in scoring's order (score, then reachedAt, then id).
fn leaderboard(
    scores: &mut scoring::Scores,
    listed: usize,
    format_time: &dyn Fn(DateTime<FixedOffset>) -> String,
) -> Vec<LeaderboardEntry> {
    let leader_score = scores.collaborators.first().map_or(0, |c| c.score);
    let ranks = competition_ranks(&scores.collaborators.iter().map(|c| c.score).collect::<Vec<_>>());
    scores
        .collaborators
        .iter_mut()
        .zip(ranks)
        .take(listed)
        .map(|(c, rank)| LeaderboardEntry {
            collaborator_id: c.collaborator_id.clone(),
            score: c.score,
            rank,
            // Moved: nothing reads the breakdown after the leaderboard.
            breakdown: std::mem::take(&mut c.breakdown),
            behind_leader: leader_score.saturating_sub(c.score),
            reached_at: c.reached_at.map(format_time),
        })
        .collect()
}

/// The listed collaborators who scored or had events counted, with their event lists and counts.
fn explain_collaborators(scores: &mut scoring::Scores, listed: usize) -> Vec<CollaboratorExplanation> {
    // The event lists and counts move into the explanation, not cloned (nothing reads them
    // after).
    scores
        .collaborators
        .iter_mut()
        .take(listed)
        .filter(|c| c.score != 0 || c.events.count > 0)
        .map(|c| CollaboratorExplanation {
            collaborator_id: c.collaborator_id.clone(),
            score: c.score,
            event_counts: std::mem::take(&mut c.event_counts),
            events: std::mem::take(&mut c.events),
        })
        .collect()
}

/// With `top`, the shares of the listed collaborators: those placed before `listed`.
fn explain_shares(
    allocation: &resolvers::AllocationResult,
    contenders: &[scoring::CollaboratorScore],
    listed: usize,
    exponent: u32,
) -> Vec<ShareOut> {
    allocation
        .shares
        .iter()
        .filter(|s| s.contender < listed)
        .map(|s| ShareOut {
            collaborator_id: id_at(contenders, s.contender),
            weight: u64::try_from(s.weight).unwrap_or(u64::MAX),
            base: format_minor(s.base_minor, exponent),
            remainder: u64::try_from(s.remainder).unwrap_or(u64::MAX),
            leftover_unit: s.leftover_unit,
            amount: format_minor(s.amount_minor, exponent),
        })
        .collect()
}

/// The collaborator at `place` of the contenders (the scores in leaderboard order), shared.
fn id_at(contenders: &[scoring::CollaboratorScore], place: usize) -> Arc<str> {
    contenders.get(place).map(|c| c.collaborator_id.clone()).unwrap_or_default()
}

/// Where the window came from and how far it is counted.
fn explain_window(
    request: &PreviewRequest,
    format_time: &dyn Fn(DateTime<FixedOffset>) -> String,
) -> WindowExplanation {
    WindowExplanation {
        source: match request.window_source {
            WindowSource::Explicit => "window",
            WindowSource::LastDistribution => "lastDistributionAt",
            WindowSource::Schedule { .. } => "schedule",
        },
        anchor: match request.window_source {
            WindowSource::Schedule { anchor, .. } => Some(format_time(anchor)),
            _ => None,
        },
        anchor_source: match request.window_source {
            WindowSource::Schedule { anchor_is_start: true, .. } => Some("start"),
            WindowSource::Schedule { anchor_is_start: false, .. } => Some("startOfYear"),
            _ => None,
        },
        counted_until: format_time(request.at.min(request.window.end)),
        half_open: true,
    }
}

/// The revenue's figures, the sales and refunds it counted (the first
/// `pool::MAX_LISTED_TRANSACTIONS` of each) and what it left out, by reason.
fn explain_revenue(revenue: &PoolResult, exponent: u32) -> RevenueExplanation {
    let mut sales = revenue.sales_explained.clone();
    let transactions_truncated = sales.len() > pool::MAX_LISTED_TRANSACTIONS;
    sales.truncate(pool::MAX_LISTED_TRANSACTIONS);
    // Only the listed refunds are copied (a window can hold tens of thousands).
    let refunds_applied: Vec<_> =
        revenue.refunds_explained.iter().take(pool::MAX_LISTED_TRANSACTIONS).cloned().collect();
    let refunds_truncated = revenue.refunds_explained.len() > pool::MAX_LISTED_TRANSACTIONS;
    RevenueExplanation {
        sales: format_exact(revenue.sales, exponent),
        refunds: format_exact(revenue.refunds, exponent),
        net: format_exact(revenue.sales.checked_sub(revenue.refunds).unwrap_or(Decimal::ZERO), exponent),
        revenue: format_exact(revenue.revenue, exponent),
        shortfall: format_exact(revenue.shortfall, exponent),
        transactions: sales,
        transactions_truncated,
        refunds_applied,
        refunds_truncated,
        excluded: revenue
            .excluded
            .iter()
            .map(|(reason, ids)| ReasonedIds { reason: *reason, ids: ids.clone() })
            .collect(),
    }
}

/// The pool: the revenue at each percentage, the exact product and its rounding.
fn explain_pool(revenue: &PoolResult, exponent: u32, pool: String) -> PoolExplanation {
    PoolExplanation {
        resolver: REVENUE_SINCE_LAST_DISTRIBUTION,
        percentages: revenue
            .by_percentage
            .iter()
            .map(|(percentage, amount)| PercentageShare {
                percentage: percentage.to_string(),
                revenue: format_exact(*amount, exponent),
            })
            .collect(),
        exact: revenue.pool_exact.format_exact(exponent),
        rounding: "halfToEven",
        decimals: exponent,
        pool,
    }
}

/// Plain sentences for a site owner: why nothing was paid, what was left out, how ties went.
#[allow(clippy::too_many_arguments)]
fn notes(
    request: &PreviewRequest,
    extras: &CycleExtras,
    scores: &scoring::Scores,
    revenue: &PoolResult,
    allocation: &resolvers::AllocationResult,
    status: &str,
    pool_text: &str,
    format_time: &dyn Fn(DateTime<FixedOffset>) -> String,
) -> Vec<String> {
    let units = &request.distributor.units.code;
    let mut notes = Vec::new();
    if let WindowSource::Schedule { anchor, anchor_is_start: false } = request.window_source {
        notes.push(format!(
            "The window was found by applying the schedule from {}, the start of the year; pass `lastDistributionAt` (or `start`) for the exact cycle.",
            format_time(anchor)
        ));
    }
    if request.at >= request.window.end && !extras.settled {
        notes.push(format!(
            "`at` is past the window's end ({}): this distribution is due; activity after the end belongs to the next cycle.",
            format_time(request.window.end)
        ));
    }
    match status {
        "paused" => notes.push(extras.paused_note.clone().unwrap_or_else(|| {
            "The distributor is inactive, so this trigger would be skipped; scores and revenue keep accumulating and are paid at the first trigger after it is active again."
                .to_string()
        })),
        "noEngagement" => notes.push(format!(
            "Nobody scored in this window, so the pool of {pool_text} {units} is not allocated; {}.",
            if request.policies.carry_over_unawarded {
                "carryOverUnawarded is on, so it carries over to the next cycle"
            } else {
                "carryOverUnawarded is off, so it is not carried over"
            }
        )),
        "noRevenue" => notes.push("There is no qualifying revenue in this window, so the pool is 0 and nothing is allocated.".to_string()),
        _ => {}
    }
    if revenue.no_compilers {
        notes.push(
            "No transaction compilers are enabled, so no transaction counts toward revenue and the pool is 0."
                .to_string(),
        );
    }
    if !revenue.shortfall.is_zero() {
        notes.push(format!(
            "Refunds in this window exceed its revenue by {} {units}; revenue is floored at 0 and the shortfall is not carried.",
            format_exact(revenue.shortfall, request.distributor.units.exponent)
        ));
    }
    if let Some(tie) = &allocation.tie {
        notes.push(format!(
            "{} tie for the top score of {} points; settled by {}: {} {}.",
            tie.collaborator_ids.join(", "),
            tie.score,
            tie.decided_by.id(),
            tie.winners.join(", "),
            if tie.winners.len() == 1 { "wins" } else { "share the pool" }
        ));
        if tie.decided_by != tie.policy {
            notes.push(format!(
                "They reached the score at the same instant, so {} could not separate them.",
                tie.policy.id()
            ));
        }
    }
    if status == "distributed" {
        let zero = allocation.shares.iter().filter(|s| s.amount_minor == 0).count();
        if zero > 0 {
            notes.push(format!(
                "{zero} collaborator(s) with a score have a share that rounds to 0 and receive nothing."
            ));
        }
    }
    for (reason, ids) in &revenue.excluded {
        let sentence = match reason {
            ExclusionReason::CurrencyMismatch => {
                format!("transaction(s) in a currency other than {units} were not counted")
            }
            ExclusionReason::NotComplete => {
                "transaction(s) not complete (cancelled, or refunded without refund records) were not counted"
                    .to_string()
            }
            ExclusionReason::NoConfigInEffect => {
                "transaction(s) before the first configuration version were not counted".to_string()
            }
            ExclusionReason::NotYetOccurred => "transaction(s) after `at` were not counted yet".to_string(),
            ExclusionReason::OutsideWindow => continue,
        };
        notes.push(format!("{} {sentence}.", ids.count));
    }
    let ignored: usize =
        scores.ignored.iter().filter(|(r, _)| **r != IgnoreReason::OutsideWindow).map(|(_, ids)| ids.count).sum();
    if ignored > 0 {
        notes.push(format!(
            "{ignored} event(s) in the window scored nothing; explanation.scoring.ignored lists them by reason."
        ));
    }
    notes
}
