//! Scores (ENGINE.md §4): each collaborator's points in a cycle window, per event type, and the
//! instant they reached their final score (what `earliestToReach` compares).
//!
//! Invariant: the result does not depend on the order of the input events. Events are taken in
//! (occurredAt, id) order, every list in the result is sorted, and sums are checked so a score
//! can never wrap; a score above 2^53 − 1 is an error, not a number JS would misread.

use crate::amount::MAX_SAFE_INTEGER;
use crate::config::ConfigHistory;
use crate::diagnostics::{Code, EngineError, Pointer};
use crate::model::{compare_ids, Collaborator, CollaboratorStatus, Event, IdRef, MANUAL};
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// How many event ids one explanation list shows before it says "and N more".
pub const MAX_LISTED_IDS: usize = 50;

/// How many collaborators, from the top of the leaderboard, have their event ids listed in the
/// explanation; everyone keeps their counts (docs/decisions.md, "Explanation size").
pub const MAX_LISTED_COLLABORATORS: usize = 50;

/// A cycle window, half-open: `start <= t < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
}

impl Window {
    pub fn contains(&self, instant: DateTime<FixedOffset>) -> bool {
        self.start <= instant && instant < self.end
    }
}

/// What is counted: events in the window that have happened by `cutoff` (the preview's `at`).
#[derive(Debug, Clone, Copy)]
pub struct Period {
    pub window: Window,
    /// Inclusive: an event at exactly `cutoff` has happened.
    pub cutoff: DateTime<FixedOffset>,
}

impl Period {
    /// `Ok(())` when counted, else the reason it is not.
    #[inline]
    pub fn admits(&self, instant: DateTime<FixedOffset>) -> Result<(), IgnoreReason> {
        if !self.window.contains(instant) {
            Err(IgnoreReason::OutsideWindow)
        } else if instant > self.cutoff {
            Err(IgnoreReason::NotYetOccurred)
        } else {
            Ok(())
        }
    }
}

/// Why an event scored nothing. Declared in the order the checks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum IgnoreReason {
    /// Before the window start or at/after its end.
    OutsideWindow,
    /// After the preview's `at`.
    NotYetOccurred,
    /// `collaborators` was given and does not list the collaborator.
    UnknownCollaborator,
    /// The collaborator's status is not `active`.
    InactiveCollaborator,
    /// No configuration version is in effect at the event's instant.
    NoConfigInEffect,
    /// The configuration in effect restricts eligible collaborators and this one is not listed.
    IneligibleCollaborator,
    /// The event's type is not among the configured engagement types in effect.
    UnknownType,
}

/// Ids of some records, capped at `MAX_LISTED_IDS`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdList {
    pub count: usize,
    pub ids: Vec<String>,
    pub truncated: bool,
}

impl IdList {
    /// Adds the next id in final order: counted always, listed while fewer than
    /// `MAX_LISTED_IDS` are (the label is only built then).
    pub fn push_with(&mut self, id: impl FnOnce() -> String) {
        self.count += 1;
        if self.ids.len() < MAX_LISTED_IDS {
            self.ids.push(id());
        } else {
            self.truncated = true;
        }
    }

    /// The first `MAX_LISTED_IDS` of `ids` in `compare_ids` order, and how many there are.
    /// Selected before sorting or copying: a window can exclude hundreds of thousands.
    pub fn first_of(mut ids: Vec<IdRef>) -> Self {
        let count = ids.len();
        // A total order (equal only for equal text), so an unstable sort is deterministic.
        keep_first(&mut ids, MAX_LISTED_IDS, |a, b| a.compare(b));
        IdList { count, ids: ids.into_iter().map(|id| id.to_string()).collect(), truncated: count > MAX_LISTED_IDS }
    }
}

/// Event type → a number (points, or events counted), in the types' text order, serialised as
/// the map it stands for. Its keys are shared, not copied: a preview lists the same few type
/// names for thousands of collaborators, and a map of owned strings per collaborator was most
/// of a re-preview's allocations (BENCHMARKS.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerType<V>(Vec<(Arc<str>, V)>);

impl<V> Default for PerType<V> {
    fn default() -> Self {
        PerType(Vec::new())
    }
}

impl<V: Default> PerType<V> {
    /// The value under `kind`, added as `V::default()` when absent, under `shared` when given
    /// (the same text as `kind`) or a new copy of `kind`.
    pub fn entry(&mut self, kind: &str, shared: Option<&Arc<str>>) -> &mut V {
        // Types given in order (the bulk path's) are appended.
        let after_last = self.0.last().is_none_or(|(last, _)| **last < *kind);
        let found = if after_last { Err(self.0.len()) } else { self.0.binary_search_by(|(k, _)| (**k).cmp(kind)) };
        let at = match found {
            Ok(at) => at,
            Err(at) => {
                self.0.insert(at, (shared.cloned().unwrap_or_else(|| Arc::from(kind)), V::default()));
                at
            }
        };
        &mut self.0[at].1
    }
}

impl<V> PerType<V> {
    pub fn with_capacity(types: usize) -> Self {
        PerType(Vec::with_capacity(types))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &V)> {
        self.0.iter().map(|(k, v)| (&**k, v))
    }
}

impl<V: Serialize> Serialize for PerType<V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// Keeps the first `n` of `items` under `order`, sorted: a selection, then a sort of those
/// only (what a capped list needs from hundreds of thousands of candidates).
pub(crate) fn keep_first<T>(items: &mut Vec<T>, n: usize, order: impl Fn(&T, &T) -> std::cmp::Ordering) {
    if items.len() > n {
        items.select_nth_unstable_by(n, &order);
        items.truncate(n);
    }
    // At most `n` (a capped list's length) are left: the one merge sort serves every caller.
    crate::sorting::stable_sort_by(items, order);
}

/// One collaborator's result for the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollaboratorScore {
    /// Shared by every list of the output that names them (a clone is a count, not a copy).
    pub collaborator_id: Arc<str>,
    pub score: i64,
    /// Event type → points earned from it. (A loaded bulk `Engine` fills this and
    /// `event_counts` only for the collaborators a preview with `top` lists.)
    pub breakdown: PerType<i64>,
    /// Event type → how many events counted.
    pub event_counts: PerType<usize>,
    /// The counted events, in (occurredAt, id) order (the first `MAX_LISTED_IDS` listed).
    pub events: IdList,
    /// When the running score first equalled the final score; `None` with no counted event.
    pub reached_at: Option<DateTime<FixedOffset>>,
}

/// Every collaborator who can earn in the window, in leaderboard order, plus what was ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scores {
    pub collaborators: Vec<CollaboratorScore>,
    pub ignored: BTreeMap<IgnoreReason, IdList>,
    pub total: i64,
}

/// Orders a leaderboard up to the collaborator id, which comes last: score descending, then
/// who reached it first (nobody reached a score without events: last).
fn leaderboard_key(c: &CollaboratorScore) -> (Reverse<i64>, (i64, u32)) {
    let reached = c.reached_at.map_or((i64::MAX, u32::MAX), |t| (t.timestamp(), t.timestamp_subsec_nanos()));
    (Reverse(c.score), reached)
}

/// Competition ranks ("1224"): equal scores share a rank, and the next rank skips.
pub fn competition_ranks(sorted_scores: &[i64]) -> Vec<usize> {
    let mut ranks = Vec::with_capacity(sorted_scores.len());
    for (i, score) in sorted_scores.iter().enumerate() {
        let rank = match (i.checked_sub(1).and_then(|p| sorted_scores.get(p)), ranks.last()) {
            (Some(previous), Some(&previous_rank)) if previous == score => previous_rank,
            _ => i + 1,
        };
        ranks.push(rank);
    }
    ranks
}

/// Scores every collaborator for `period`. Each event is judged by the configuration version in
/// effect at its own instant. `collaborators: None` means "everyone who appears is active".
pub fn score(
    events: &[Event],
    period: &Period,
    config: &ConfigHistory,
    collaborators: Option<&[Collaborator]>,
    events_path: &Pointer,
) -> Result<Scores, EngineError> {
    let roster: Option<BTreeMap<&str, &Collaborator>> =
        collaborators.map(|list| list.iter().map(|c| (c.id.as_str(), c)).collect());

    // (occurredAt, id, input index) makes the pass order independent of the input order.
    let mut ordered: Vec<&Event> = events.iter().collect();
    crate::sorting::stable_sort_by(&mut ordered, |a, b| {
        a.occurred_at
            .cmp(&b.occurred_at)
            .then_with(|| compare_ids(&a.label(), &b.label()))
            .then_with(|| a.index.cmp(&b.index))
    });

    let mut ignored: BTreeMap<IgnoreReason, Vec<String>> = BTreeMap::new();
    let mut by_id: BTreeMap<String, CollaboratorScore> = BTreeMap::new();
    // (points, instant) of each counted event, per collaborator, to find `reached_at`.
    let mut timelines: BTreeMap<String, Vec<(i64, DateTime<FixedOffset>)>> = BTreeMap::new();
    let mut total: i64 = 0;

    for event in ordered {
        let points = match judge(event, period, config, roster.as_ref()) {
            Ok(points) => points,
            Err(reason) => {
                ignored.entry(reason).or_default().push(event.label());
                continue;
            }
        };
        let path = events_path.index(event.index);
        let entry = by_id
            .entry(event.collaborator_id.clone())
            .or_insert_with(|| empty_score(Arc::from(event.collaborator_id.as_str())));
        entry.score = checked_score(entry.score, points, &path, &event.collaborator_id)?;
        total = checked_score(total, points, &path, "all collaborators")?;
        let per_type = entry.breakdown.entry(&event.kind, None);
        *per_type = checked_score(*per_type, points, &path, &event.collaborator_id)?;
        *entry.event_counts.entry(&event.kind, None) += 1;
        entry.events.push_with(|| event.label());
        timelines.entry(event.collaborator_id.clone()).or_default().push((points, event.occurred_at));
    }

    for (id, timeline) in &timelines {
        if let Some(entry) = by_id.get_mut(id) {
            entry.reached_at = reached_at(timeline, entry.score);
        }
    }

    let ignored = ignored
        .iter()
        .map(|(reason, ids)| (*reason, IdList::first_of(ids.iter().map(|id| IdRef::Text(id)).collect())))
        .collect();
    Ok(assemble(by_id.into_values().collect(), ignored, total, period, config, collaborators).0)
}

/// The `Scores` of a period from the collaborators who counted events (`collaborators`, one
/// score per id, in any order): adds listed collaborators who can earn (with 0, so the
/// leaderboard shows what they need) and sorts the leaderboard (a total order). Shared by `score`
/// and the bulk path (`bulk`). Also returns, for each leaderboard place, the index in
/// `collaborators` it came from (beyond their number: a listed collaborator added with 0).
pub(crate) fn assemble(
    mut collaborators: Vec<CollaboratorScore>,
    ignored: BTreeMap<IgnoreReason, IdList>,
    total: i64,
    period: &Period,
    config: &ConfigHistory,
    roster: Option<&[Collaborator]>,
) -> (Scores, Vec<usize>) {
    if let (Some(list), Some(version)) = (roster, config.at(period.cutoff.min(period.window.end))) {
        let mut present: HashSet<&str> = collaborators.iter().map(|c| &*c.collaborator_id).collect();
        let mut idle = Vec::new();
        for collaborator in list {
            let eligible = version.eligible_collaborators.as_ref().is_none_or(|ids| ids.contains(&collaborator.id));
            if collaborator.status == CollaboratorStatus::Active && eligible && present.insert(&collaborator.id) {
                idle.push(empty_score(Arc::from(collaborator.id.as_str())));
            }
        }
        drop(present);
        collaborators.extend(idle);
    }
    // Sorted as keys, then each score moved once: sorting the scores themselves would move
    // each of these large values a dozen times.
    let mut keyed: Vec<(_, usize)> = collaborators.iter().enumerate().map(|(i, c)| (leaderboard_key(c), i)).collect();
    keyed.sort_unstable_by(|(x, a), (y, b)| {
        x.cmp(y).then_with(|| match (collaborators.get(*a), collaborators.get(*b)) {
            (Some(a), Some(b)) => compare_ids(&a.collaborator_id, &b.collaborator_id),
            _ => std::cmp::Ordering::Equal,
        })
    });
    let order: Vec<usize> = keyed.into_iter().map(|(_, i)| i).collect();
    let mut slots: Vec<Option<CollaboratorScore>> = collaborators.into_iter().map(Some).collect();
    let mut collaborators = Vec::with_capacity(order.len());
    collaborators.extend(order.iter().filter_map(|&i| slots.get_mut(i).and_then(Option::take)));
    for c in collaborators.iter_mut().skip(MAX_LISTED_COLLABORATORS) {
        if c.events.count > 0 {
            c.events.ids = Vec::new();
            c.events.truncated = true;
        }
    }
    (Scores { collaborators, ignored, total }, order)
}

pub(crate) fn empty_score(id: Arc<str>) -> CollaboratorScore {
    CollaboratorScore {
        collaborator_id: id,
        score: 0,
        breakdown: PerType::default(),
        event_counts: PerType::default(),
        events: IdList::default(),
        reached_at: None,
    }
}

/// The points an event earns, or why it earns none.
fn judge(
    event: &Event,
    period: &Period,
    config: &ConfigHistory,
    roster: Option<&BTreeMap<&str, &Collaborator>>,
) -> Result<i64, IgnoreReason> {
    period.admits(event.occurred_at)?;
    if let Some(roster) = roster {
        let collaborator = roster.get(event.collaborator_id.as_str()).ok_or(IgnoreReason::UnknownCollaborator)?;
        if collaborator.status != CollaboratorStatus::Active {
            return Err(IgnoreReason::InactiveCollaborator);
        }
    }
    let version = config.at(event.occurred_at).ok_or(IgnoreReason::NoConfigInEffect)?;
    if let Some(eligible) = &version.eligible_collaborators {
        if !eligible.contains(&event.collaborator_id) {
            return Err(IgnoreReason::IneligibleCollaborator);
        }
    }
    let configured = version.engagement_types.get(&event.kind).copied().ok_or(IgnoreReason::UnknownType)?;
    // A manual credit carries its own points; without them it is worth the configured value.
    if event.kind == MANUAL {
        Ok(event.points.unwrap_or(configured))
    } else {
        Ok(configured)
    }
}

pub(crate) fn checked_score(current: i64, points: i64, path: &Pointer, whose: &str) -> Result<i64, EngineError> {
    current
        .checked_add(points)
        .filter(|sum| (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(sum))
        .ok_or_else(|| {
            EngineError::new(
                Code::EventsScoreOverflow,
                path,
                format!("Counting this event takes the score of {whose} past {MAX_SAFE_INTEGER}, the largest whole number JS represents exactly."),
            )
        })
}

/// The first instant at which the running score equals the final score and stays there. With
/// negative configured points the running score can dip, so "stays" is checked from the end.
fn reached_at(timeline: &[(i64, DateTime<FixedOffset>)], final_score: i64) -> Option<DateTime<FixedOffset>> {
    let mut running: i64 = 0;
    let mut prefix = Vec::with_capacity(timeline.len());
    for (points, instant) in timeline {
        running = running.saturating_add(*points);
        prefix.push((running, *instant));
    }
    // Walk back over the tail that already sits at the final score; the last event before that
    // tail is where it was reached. Events at the same instant are indistinguishable, so the
    // answer is an instant, not an event.
    let mut answer = prefix.last().map(|(_, instant)| *instant);
    for (sum, instant) in prefix.iter().rev() {
        if *sum == final_score {
            answer = Some(*instant);
        } else {
            break;
        }
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn competition_ranking_skips_after_ties() {
        assert_eq!(competition_ranks(&[9, 7, 7, 3, 3, 3, 1]), vec![1, 2, 2, 4, 4, 4, 7]);
        assert_eq!(competition_ranks(&[]), Vec::<usize>::new());
    }

    /// A per-type map serialises as the map it stands for, in the types' text order however
    /// they were added (out of order, in order, repeated), and keeps a given shared key.
    #[test]
    fn per_type_is_a_map_in_text_order() {
        let mut points: PerType<i64> = PerType::default();
        for (kind, add) in [("visit", 1), ("coupon", 5), ("Visit", 2), ("visit", 1), ("zz", 3), ("course", 10)] {
            *points.entry(kind, None) += add;
        }
        let text = serde_json::to_string(&points).expect("serialises");
        assert_eq!(text, r#"{"Visit":2,"coupon":5,"course":10,"visit":2,"zz":3}"#);
        let shared: Arc<str> = Arc::from("coupon");
        let mut counts: PerType<usize> = PerType::with_capacity(1);
        *counts.entry("coupon", Some(&shared)) = 4;
        assert_eq!(Arc::strong_count(&shared), 2);
        assert_eq!(counts.iter().collect::<Vec<_>>(), vec![("coupon", &4)]);
    }
}
