//! What a preview returns: the projected cycle and its explanation, as serialized for JS.

use crate::pool::{ExclusionReason, RefundExplanation, SaleExplanation};
use crate::scoring::{IdList, IgnoreReason, PerType};
use rust_decimal::Decimal;
use serde::Serialize;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    pub index: u64,
    pub window: WindowOut,
    pub trigger_at: String,
    /// `distributed`, `noEngagement`, `noRevenue` or `paused`.
    pub status: &'static str,
    pub revenue: String,
    pub pool: String,
    pub units: String,
    pub leaderboard: Vec<LeaderboardEntry>,
    pub allocations: Vec<AllocationOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tie: Option<TieOut>,
    pub notes: Vec<String>,
    pub projected: bool,
    pub at: String,
    pub time_zone: String,
    pub explanation: Explanation,
    /// The figures above as numbers, for callers that add cycles up (simulate); not serialized.
    #[serde(skip)]
    pub amounts: CycleAmounts,
}

/// One cycle's money as exact numbers (the output carries them as strings).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CycleAmounts {
    pub revenue: Decimal,
    pub pool_minor: i128,
    /// pool + carried in: what the resolver allocated.
    pub available_minor: i128,
    /// The paid allocations' amounts, in the order of `Preview::allocations`.
    pub allocations_minor: Vec<i128>,
    /// What the cycle drops, and what it holds as money for the next attempt.
    pub unawarded_minor: i128,
    pub carried_out_minor: i128,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowOut {
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeaderboardEntry {
    pub collaborator_id: Arc<str>,
    pub score: i64,
    pub rank: usize,
    pub breakdown: PerType<i64>,
    /// Points to the leader's score: what it takes to draw level (one more point wins outright,
    /// subject to the tie policy).
    pub behind_leader: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reached_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AllocationOut {
    pub collaborator_id: Arc<str>,
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TieOut {
    pub collaborator_ids: Vec<String>,
    pub score: i64,
    pub policy: &'static str,
    pub decided_by: &'static str,
    pub winners: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub window: WindowExplanation,
    pub scoring: ScoringExplanation,
    pub revenue: RevenueExplanation,
    pub pool: PoolExplanation,
    pub allocation: AllocationExplanation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WindowExplanation {
    /// `window`, `lastDistributionAt` or `schedule`.
    pub source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
    /// `start` (the input's) or `startOfYear` (derived).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor_source: Option<&'static str>,
    /// Events, sales and refunds after this instant have not happened yet.
    pub counted_until: String,
    pub half_open: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoringExplanation {
    pub collaborators: Vec<CollaboratorExplanation>,
    /// Present when some collaborator's event ids are not listed: ids are listed for this many
    /// collaborators from the top of the leaderboard (everyone keeps `eventCounts` and
    /// `events.count`; an unlisted list has `truncated: true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_ids_listed_for_top: Option<usize>,
    /// Present when the input gave `top`: the leaderboard, `collaborators` here and
    /// `allocation.shares` list the first `top` collaborators of the leaderboard's `of`
    /// (allocations stay complete).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listed: Option<Listed>,
    pub ignored: Vec<ReasonedIds<IgnoreReason>>,
    pub total_points: i64,
}

/// How much of the leaderboard a preview with `top` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Listed {
    /// As given (the same on every platform, however large).
    pub top: u64,
    pub of: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CollaboratorExplanation {
    pub collaborator_id: Arc<str>,
    pub score: i64,
    /// Event type → number of events counted.
    pub event_counts: PerType<usize>,
    /// The counted events in time order (capped).
    pub events: IdList,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReasonedIds<R: Serialize> {
    pub reason: R,
    #[serde(flatten)]
    pub ids: IdList,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RevenueExplanation {
    pub sales: String,
    pub refunds: String,
    /// sales − refunds, before flooring at 0.
    pub net: String,
    pub revenue: String,
    pub shortfall: String,
    pub transactions: Vec<SaleExplanation>,
    pub transactions_truncated: bool,
    pub refunds_applied: Vec<RefundExplanation>,
    pub refunds_truncated: bool,
    pub excluded: Vec<ReasonedIds<ExclusionReason>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolExplanation {
    pub resolver: &'static str,
    /// Revenue (net of refunds) at each percentage in effect.
    pub percentages: Vec<PercentageShare>,
    /// Σ revenue × percentage / 100, exactly, before the one rounding.
    pub exact: String,
    pub rounding: &'static str,
    pub decimals: u32,
    pub pool: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PercentageShare {
    pub percentage: String,
    pub revenue: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AllocationExplanation {
    pub resolver: &'static str,
    /// `largestRemainder`, or `none` when nothing was allocated.
    pub method: &'static str,
    pub tie_break: &'static str,
    pub carry_over_unawarded: bool,
    pub total_weight: u64,
    pub shares: Vec<ShareOut>,
    /// Who received one leftover minor unit, in order: largest remainder, then higher score,
    /// then earlier reachedAt, then lower collaborator id.
    pub remainder_order: Vec<Arc<str>>,
    /// Unawarded money carried in from earlier cycles (simulate; "0" in a preview).
    pub carried_in: String,
    /// pool + carriedIn: what the shares divide (for a paused cycle, what they would have).
    pub available: String,
    /// Σ allocations: 0 unless the cycle is `distributed`.
    pub allocated: String,
    /// What this cycle drops. available = allocated + unawarded + carriedOut + deferred.
    pub unawarded: String,
    /// Money held as such for the next distribution attempt (`carryOverUnawarded`, or a
    /// paused cycle's carried-in money).
    pub carried_out: String,
    /// A paused cycle's own pool: not paid and not carried as money, because its revenue stays
    /// in the window that the next attempt counts again.
    pub deferred: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareOut {
    pub collaborator_id: Arc<str>,
    pub weight: u64,
    /// ⌊pool × weight / totalWeight⌋.
    pub base: String,
    /// The fraction of a minor unit cut off, as `remainder/totalWeight`.
    pub remainder: u64,
    pub leftover_unit: bool,
    pub amount: String,
}
