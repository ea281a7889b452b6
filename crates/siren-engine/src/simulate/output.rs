//! What a simulation returns: every cycle, the obligations and the totals, as serialized for JS.

use crate::preview::{AllocationOut, Explanation, LeaderboardEntry, TieOut, WindowOut};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Simulation {
    pub distributor_key: String,
    pub units: String,
    pub time_zone: String,
    pub start: String,
    pub end: String,
    pub policies: PoliciesOut,
    pub cycles: Vec<Cycle>,
    pub totals: Totals,
    /// Range-level remarks: the part after the last trigger, paused triggers at the end.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PoliciesOut {
    pub tie_break: &'static str,
    pub carry_over_unawarded: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cycle {
    /// 0 for the first trigger after `start`.
    pub index: u64,
    /// `[last distribution, trigger)`: after a paused trigger the next window starts at the last
    /// distribution (or `start`), not at the paused trigger.
    pub window: WindowOut,
    pub trigger_at: String,
    /// `distributed`, `noEngagement`, `noRevenue` or `paused`.
    pub status: &'static str,
    /// Qualifying revenue of the window.
    pub revenue: String,
    /// The window's pool (revenue × percentage, rounded once).
    pub pool: String,
    /// Unawarded pool carried in from earlier cycles (`carryOverUnawarded`).
    pub carried_in: String,
    /// pool + carriedIn: what the resolver allocates.
    pub available: String,
    /// Σ allocations.
    pub allocated: String,
    /// What this cycle dropped: available but not allocated and not carried.
    pub unawarded: String,
    /// What this cycle passes on to the next one (with `carryOverUnawarded`, or held by a pause).
    pub carried_out: String,
    pub units: String,
    pub leaderboard: Vec<LeaderboardEntry>,
    pub allocations: Vec<AllocationOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tie: Option<TieOut>,
    /// One pending obligation per allocation.
    pub obligations: Vec<Obligation>,
    pub notes: Vec<String>,
    pub explanation: Explanation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Obligation {
    pub collaborator_id: String,
    pub amount: String,
    pub units: String,
    pub distribution_trigger: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    /// Σ revenue of the distribution attempts (paused cycles are not attempts: their revenue
    /// is counted in the cycle that pays it).
    pub revenue: String,
    /// Σ pools of the attempts: pool = allocated + unawarded + carriedOver.
    pub pool: String,
    pub allocated: String,
    /// Dropped by `noEngagement` cycles (carryOverUnawarded off).
    pub unawarded: String,
    /// Still carried at the end of the range (carryOverUnawarded on).
    pub carried_over: String,
    pub cycles: usize,
    pub distributed_cycles: usize,
    pub paused_cycles: usize,
    pub no_engagement_cycles: usize,
    pub no_revenue_cycles: usize,
    /// Amount desc, then collaborator id.
    pub collaborators: Vec<CollaboratorTotal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CollaboratorTotal {
    pub collaborator_id: String,
    pub amount: String,
    /// Cycles in which they received a non-zero allocation.
    pub cycles_won: usize,
    #[serde(skip)]
    pub amount_minor: i128,
}
