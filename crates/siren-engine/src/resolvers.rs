//! Distribution resolvers (ENGINE.md §6): who gets what share of the pool, and the
//! largest-remainder allocation that turns shares into integer minor units.
//!
//! Invariant: allocations are never negative and always sum exactly to the pool, or to 0 when
//! nobody scored (then the whole pool is `unawarded`). Leftover minor units go out in one
//! deterministic, reported order.

use crate::diagnostics::{Code, EngineError, Pointer};
use crate::model::{compare_ids, TieBreak};
use chrono::{DateTime, FixedOffset};
use std::cmp::{Ordering, Reverse};

/// The distribution resolvers the engine computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolver {
    /// The whole pool to the highest score (ties by policy).
    TopScoreWins,
    /// Shares proportional to score.
    PerformanceSharedPool,
    /// Equal shares among everyone with a non-zero score.
    SharedEngagementPool,
}

impl Resolver {
    pub const ALL: [Resolver; 3] =
        [Resolver::TopScoreWins, Resolver::PerformanceSharedPool, Resolver::SharedEngagementPool];

    pub fn from_id(id: &str) -> Option<Resolver> {
        Resolver::ALL.into_iter().find(|r| r.id() == id)
    }

    pub fn id(self) -> &'static str {
        match self {
            Resolver::TopScoreWins => "topScoreWins",
            Resolver::PerformanceSharedPool => "performanceSharedPool",
            Resolver::SharedEngagementPool => "sharedEngagementPool",
        }
    }
}

/// A collaborator as the resolver sees them (borrowed: a preview has thousands).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contender<'a> {
    pub collaborator_id: &'a str,
    pub score: i64,
    pub reached_at: Option<DateTime<FixedOffset>>,
}

/// One participant's share: `amount = base + (1 if they received a leftover unit)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share<'a> {
    pub collaborator_id: &'a str,
    /// Their place in the contenders `allocate` was given.
    pub contender: usize,
    /// Score for `performanceSharedPool`, 1 otherwise.
    pub weight: u128,
    /// ⌊pool × weight / Σweight⌋ in minor units.
    pub base_minor: i128,
    /// (pool × weight) mod Σweight: the fractional part, over Σweight.
    pub remainder: u128,
    pub leftover_unit: bool,
    pub amount_minor: i128,
}

/// A tie for the top score under `topScoreWins`, and how it was settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tie {
    pub collaborator_ids: Vec<String>,
    pub score: i64,
    pub policy: TieBreak,
    pub winners: Vec<String>,
    /// The rule that actually decided: the policy, or `lowestCollaboratorId` when
    /// `earliestToReach` found several who reached the score at the same instant.
    pub decided_by: TieBreak,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationResult<'a> {
    /// Participants in the order leftover units are considered.
    pub shares: Vec<Share<'a>>,
    /// The places in the contenders `allocate` was given of those who received one leftover
    /// minor unit, in the order handed out.
    pub remainder_order: Vec<usize>,
    pub tie: Option<Tie>,
    /// The pool when nobody scored, else 0.
    pub unawarded_minor: i128,
}

/// Allocates `pool_minor` among `contenders` (any order). Only positive scores take part.
pub fn allocate<'a>(
    resolver: Resolver,
    pool_minor: i128,
    contenders: &[Contender<'a>],
    tie_break: TieBreak,
) -> Result<AllocationResult<'a>, EngineError> {
    // With their places in `contenders` (a preview gives them in leaderboard order).
    let mut scored: Vec<Placed<'_, 'a>> = contenders.iter().enumerate().filter(|(_, c)| c.score > 0).collect();
    scored.sort_by(|a, b| contender_order(a.1, b.1));
    if scored.is_empty() || pool_minor < 0 {
        return Ok(AllocationResult {
            shares: Vec::new(),
            remainder_order: Vec::new(),
            tie: None,
            unawarded_minor: pool_minor.max(0),
        });
    }

    let mut tie = None;
    let weighted: Vec<(Placed<'_, 'a>, u128)> = match resolver {
        Resolver::PerformanceSharedPool => scored.iter().map(|c| (*c, c.1.score.unsigned_abs() as u128)).collect(),
        Resolver::SharedEngagementPool => scored.iter().map(|c| (*c, 1)).collect(),
        Resolver::TopScoreWins => {
            let top = scored.first().map_or(0, |c| c.1.score);
            let tied: Vec<Placed<'_, 'a>> = scored.iter().copied().filter(|c| c.1.score == top).collect();
            if tied.len() == 1 {
                tied.into_iter().map(|c| (c, 1)).collect()
            } else {
                let (winners, decided_by) = settle_tie(&tied, tie_break);
                tie = Some(Tie {
                    collaborator_ids: tied.iter().map(|c| c.1.collaborator_id.to_string()).collect(),
                    score: top,
                    policy: tie_break,
                    winners: winners.iter().map(|c| c.1.collaborator_id.to_string()).collect(),
                    decided_by,
                });
                winners.into_iter().map(|c| (c, 1)).collect()
            }
        }
    };
    let (shares, remainder_order) = largest_remainder(pool_minor, &weighted)?;
    Ok(AllocationResult { shares, remainder_order, tie, unawarded_minor: 0 })
}

/// Higher score first, then who reached it first, then collaborator id.
fn contender_order(a: &Contender, b: &Contender) -> Ordering {
    b.score
        .cmp(&a.score)
        .then_with(|| reached_order(a, b))
        .then_with(|| compare_ids(a.collaborator_id, b.collaborator_id))
}

fn reached_order(a: &Contender, b: &Contender) -> Ordering {
    match (a.reached_at, b.reached_at) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// A contender with their place in the slice `allocate` was given.
type Placed<'c, 'a> = (usize, &'c Contender<'a>);

fn settle_tie<'c, 'a>(tied: &[Placed<'c, 'a>], policy: TieBreak) -> (Vec<Placed<'c, 'a>>, TieBreak) {
    let lowest_id = |among: &[Placed<'c, 'a>]| {
        among.iter().copied().min_by(|a, b| compare_ids(a.1.collaborator_id, b.1.collaborator_id))
    };
    match policy {
        TieBreak::Split => (tied.to_vec(), TieBreak::Split),
        TieBreak::LowestCollaboratorId => (lowest_id(tied).into_iter().collect(), TieBreak::LowestCollaboratorId),
        TieBreak::EarliestToReach => {
            let earliest = tied.iter().map(|c| c.1.reached_at).min().flatten();
            let first: Vec<Placed<'c, 'a>> = tied.iter().copied().filter(|c| c.1.reached_at == earliest).collect();
            if first.len() == 1 {
                (first, TieBreak::EarliestToReach)
            } else {
                // Reached at the same instant: nothing in the data separates them but the id.
                (lowest_id(&first).into_iter().collect(), TieBreak::LowestCollaboratorId)
            }
        }
    }
}

/// Hamilton's method in integer minor units: everyone gets ⌊pool × w / W⌋, then the units left
/// over go one each by largest remainder, then higher score, earlier reach, lower id (the order
/// of `weighted`).
fn largest_remainder<'a>(
    pool_minor: i128,
    weighted: &[(Placed<'_, 'a>, u128)],
) -> Result<(Vec<Share<'a>>, Vec<usize>), EngineError> {
    let overflow = || {
        EngineError::new(
            Code::PreviewAmountOutOfRange,
            &Pointer::root(),
            "The allocation is too large to compute exactly.",
        )
    };
    let pool = u128::try_from(pool_minor).map_err(|_| overflow())?;
    let total: u128 = weighted.iter().try_fold(0u128, |sum, (_, w)| sum.checked_add(*w)).ok_or_else(overflow)?;
    if total == 0 {
        return Ok((Vec::new(), Vec::new()));
    }
    // pool × w / W without forming pool × w: pool = q·W + r, so pool·w/W = q·w + r·w/W.
    let (q, r) = (pool / total, pool % total);
    let mut shares = Vec::with_capacity(weighted.len());
    let mut handed: u128 = 0;
    for ((place, contender), weight) in weighted {
        let rw = r.checked_mul(*weight).ok_or_else(overflow)?;
        let base = q.checked_mul(*weight).and_then(|x| x.checked_add(rw / total)).ok_or_else(overflow)?;
        handed = handed.checked_add(base).ok_or_else(overflow)?;
        let base_minor = i128::try_from(base).map_err(|_| overflow())?;
        shares.push(Some(Share {
            collaborator_id: contender.collaborator_id,
            contender: *place,
            weight: *weight,
            base_minor,
            remainder: rw % total,
            leftover_unit: false,
            amount_minor: base_minor,
        }));
    }
    // Fewer leftover units than participants, since each remainder is below one unit.
    let leftover = pool.checked_sub(handed).ok_or_else(overflow)?;
    // `weighted` is in contender order (`allocate` sorts it so), so equal remainders keep it
    // with the index in `weighted` as the second key. Sorted as keys, then each share moved
    // once: sorting the shares themselves moved each a dozen times.
    let mut order: Vec<(Reverse<u128>, usize)> =
        shares.iter().enumerate().map(|(i, s)| (Reverse(s.as_ref().map_or(0, |s| s.remainder)), i)).collect();
    // The keys are unique, so the crate's one stable sort orders them as any sort would.
    crate::sorting::stable_sort_by(&mut order, |a, b| a.cmp(b));
    let mut sorted = Vec::with_capacity(order.len());
    sorted.extend(order.iter().filter_map(|&(_, i)| shares.get_mut(i).and_then(Option::take)));
    let mut handed_out = Vec::new();
    for share in sorted.iter_mut().take(usize::try_from(leftover).unwrap_or(usize::MAX)) {
        share.leftover_unit = true;
        share.amount_minor = share.amount_minor.checked_add(1).ok_or_else(overflow)?;
        handed_out.push(share.contender);
    }
    Ok((sorted, handed_out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: &str, score: i64) -> Contender<'_> {
        Contender { collaborator_id: id, score, reached_at: None }
    }

    fn amounts(result: &AllocationResult) -> Vec<(String, i128)> {
        let mut v: Vec<_> = result.shares.iter().map(|s| (s.collaborator_id.to_string(), s.amount_minor)).collect();
        v.sort();
        v
    }

    #[test]
    fn hundred_dollars_three_ways() {
        let r =
            allocate(Resolver::SharedEngagementPool, 10_000, &[c("a", 1), c("b", 1), c("c", 1)], TieBreak::default())
                .unwrap();
        assert_eq!(amounts(&r), vec![("a".into(), 3334), ("b".into(), 3333), ("c".into(), 3333)]);
        assert_eq!(r.remainder_order, vec![0]);
    }

    #[test]
    fn nobody_scored_leaves_the_pool_unawarded() {
        let r = allocate(Resolver::TopScoreWins, 500, &[c("a", 0)], TieBreak::default()).unwrap();
        assert!(r.shares.is_empty());
        assert_eq!(r.unawarded_minor, 500);
    }
}
