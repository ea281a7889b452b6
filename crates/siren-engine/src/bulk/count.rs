//! The counting kernel: what each loaded event does in a period (`Rules`: the window, who may
//! earn, which types count under each configuration version), counted in one pass into a cell
//! per collaborator and type (`Counts`), apart from the weights that turn counts into points.

use super::columns::{earlier, later};
use super::events::{Events, EVENT_BLOCK};
use crate::config::ConfigHistory;
use crate::diagnostics::{Code, EngineError, Pointer};
use crate::limits;
use crate::model::{Collaborator, CollaboratorStatus, MANUAL};
use crate::scoring::{checked_score, keep_first, IdList, IgnoreReason, Period, MAX_LISTED_IDS};
use chrono::{DateTime, FixedOffset};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Which events a period's scoring reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    /// Every loaded event (a preview: events outside the window are reported as ignored).
    All,
    /// Only the events in the window (a simulation cycle).
    Window,
}

/// What one event does in a period.
#[derive(Debug, Clone, Copy)]
pub(super) enum Judged {
    OutsideWindow,
    NotYetOccurred,
    Ignored(IgnoreReason),
    /// Counted under configuration version `version`, in the type's column `slot`
    /// (`Rules::counted_slot`); `own`: a manual credit's own points.
    Counted {
        collaborator: usize,
        slot: usize,
        version: usize,
        own: Option<i64>,
    },
}

/// A period's rules as tables over the loaded indexes: the window in whole milliseconds, who
/// may earn, and which types count under each configuration version. Not the weights: two
/// previews that differ only in points per type have equal `Rules`, and count the same.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Rules {
    /// An event at ms t is in the window iff start <= t < end (the bounds rounded up to whole
    /// milliseconds), and has happened iff t <= cutoff (rounded down). Every bound is within
    /// chrono's range, so exact in an f64 (see `MAX_ABS_MS`).
    pub(super) start: f64,
    pub(super) end: f64,
    pub(super) cutoff: f64,
    /// Per collaborator, when a roster is given: why its events never count (unknown, inactive).
    pub(super) standing: Option<Vec<Option<IgnoreReason>>>,
    /// The types some version gives points to (loaded type indexes): counts and version
    /// tables hold a column for each of these only, and `counted_slot` maps a type to its column.
    pub(super) counted_kinds: Vec<usize>,
    pub(super) counted_slot: Vec<Option<usize>>,
    /// Sorted by `from_ms`.
    pub(super) versions: Vec<VersionRules>,
    /// The versions an event counted in this period can fall under: `segments` of them from
    /// `first_version` (usually one).
    pub(super) first_version: usize,
    pub(super) segments: usize,
    pub(super) manual: Option<usize>,
    /// When every event the window counts falls under one version with no
    /// `eligibleCollaborators`, and no roster is given (most previews): per loaded type, its
    /// counted column under that version, or `NOT_COUNTED`. Counting then judges an event
    /// with one lookup (`Events::count`).
    pub(super) one_version: Option<Vec<u32>>,
}

/// A type the version in effect gives no points (`Rules::one_version`).
pub(super) const NOT_COUNTED: u32 = u32::MAX;

/// One configuration version, as tables indexed by the loaded collaborator indexes and the
/// counted types' columns.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct VersionRules {
    pub(super) from_ms: f64,
    /// Per counted type column: whether this version gives the type points.
    pub(super) configured: Vec<bool>,
    /// Per collaborator, whether the version's `eligibleCollaborators` lists it; `None`
    /// without that list.
    pub(super) eligible: Option<Vec<bool>>,
}

impl VersionRules {
    /// A type's counted column (`Rules::counted_slot`), when this version gives the type points.
    pub(super) fn column(&self, slot: Option<usize>) -> Option<usize> {
        slot.filter(|s| self.configured.get(*s).copied().unwrap_or(false))
    }
}

impl Rules {
    pub(super) fn new(
        events: &Events,
        period: &Period,
        config: &ConfigHistory,
        roster: Option<&[Collaborator]>,
    ) -> Result<Self, EngineError> {
        let counted_kinds: Vec<usize> = (0..events.type_names.len())
            .filter(|k| {
                let name = events.type_names.get(*k).map_or("", String::as_str);
                config.versions.iter().any(|v| v.engagement_types.contains_key(name))
            })
            .collect();
        let mut counted_slot = vec![None; events.type_names.len()];
        for (slot, k) in counted_kinds.iter().enumerate() {
            if let Some(s) = counted_slot.get_mut(*k) {
                *s = Some(slot);
            }
        }
        let (start, end, cutoff) = (
            ceil_ms(period.window.start) as f64,
            ceil_ms(period.window.end) as f64,
            period.cutoff.timestamp_millis() as f64,
        );
        let from_ms: Vec<f64> =
            config.versions.iter().map(|v| v.effective_from.map_or(f64::NEG_INFINITY, |t| ceil_ms(t) as f64)).collect();
        // A counted event is at some t with start <= t <= min(end − 1 ms, cutoff).
        let first_version = from_ms.iter().rposition(|from| *from <= start).unwrap_or(0);
        let last_version = from_ms.iter().rposition(|from| *from <= cutoff.min(end - 1.0)).unwrap_or(0);
        let segments = last_version.saturating_sub(first_version) + 1;

        // Every table is dense; refuse the sizes no real program has instead of exhausting memory.
        let people = events.collaborator_ids.len();
        let restricted = config.versions.iter().filter(|v| v.eligible_collaborators.is_some()).count();
        let tables = [
            (
                "collaborators × configured event types × versions in the window",
                people.saturating_mul(counted_kinds.len()).saturating_mul(segments),
            ),
            ("collaborators × configuration versions with eligibleCollaborators", people.saturating_mul(restricted)),
            (
                "configuration versions × configured event types",
                config.versions.len().saturating_mul(counted_kinds.len()),
            ),
        ];
        if let Some((what, size)) = tables.iter().find(|(_, size)| *size > limits::MAX_BULK_TABLE_CELLS) {
            return Err(EngineError::new(
                Code::InputTooLarge,
                &Pointer::root().key("config"),
                format!(
                    "The bulk path scores with dense tables; {what} is {size}, over its limit of {}.",
                    limits::MAX_BULK_TABLE_CELLS
                ),
            ));
        }
        let standing: Option<Vec<Option<IgnoreReason>>> = roster.map(|list| {
            let by_id: HashMap<&str, CollaboratorStatus> = list.iter().map(|c| (c.id.as_str(), c.status)).collect();
            events
                .collaborator_ids
                .iter()
                .map(|id| match by_id.get(&**id) {
                    None => Some(IgnoreReason::UnknownCollaborator),
                    Some(CollaboratorStatus::Active) => None,
                    Some(_) => Some(IgnoreReason::InactiveCollaborator),
                })
                .collect()
        });
        let versions: Vec<VersionRules> = config
            .versions
            .iter()
            .zip(from_ms)
            .map(|(v, from_ms)| VersionRules {
                from_ms,
                configured: counted_kinds
                    .iter()
                    .map(|k| events.type_names.get(*k).is_some_and(|t| v.engagement_types.contains_key(t)))
                    .collect(),
                eligible: v.eligible_collaborators.as_ref().map(|ids| {
                    let ids: HashSet<&str> = ids.iter().map(String::as_str).collect();
                    events.collaborator_ids.iter().map(|c| ids.contains(&**c)).collect()
                }),
            })
            .collect();
        let simple = segments == 1 && standing.is_none();
        let one_version = versions
            .get(first_version)
            .filter(|v| simple && v.from_ms <= start && v.eligible.is_none())
            .map(|v| counted_slot.iter().map(|slot| v.column(*slot).map_or(NOT_COUNTED, |s| s as u32)).collect());
        Ok(Rules {
            start,
            end,
            cutoff,
            standing,
            counted_kinds,
            counted_slot,
            versions,
            first_version,
            segments,
            manual: events.type_names.iter().position(|t| t == MANUAL),
            one_version,
        })
    }

    pub(super) fn in_window(&self, t: f64) -> bool {
        self.start <= t && t < self.end
    }

    /// What event `p` does: the checks of `scoring::judge`, in its order, on the tables.
    #[inline(always)]
    pub(super) fn judge(&self, ev: &Events, p: usize) -> Judged {
        // The instant first: most events a cycle of a long history judges are outside it.
        let Some(&at) = ev.occurred_at_ms.get(p).filter(|at| self.in_window(**at)) else {
            return Judged::OutsideWindow;
        };
        if at > self.cutoff {
            return Judged::NotYetOccurred;
        }
        let (Some(&c), Some(&k)) = (ev.collaborator_index.get(p), ev.type_index.get(p)) else {
            return Judged::OutsideWindow;
        };
        let (c, k) = (c as usize, k as usize);
        if let Some(reason) = self.standing.as_ref().and_then(|s| s.get(c).copied().flatten()) {
            return Judged::Ignored(reason);
        }
        let Some(version) = self.versions.iter().rposition(|v| v.from_ms <= at) else {
            return Judged::Ignored(IgnoreReason::NoConfigInEffect);
        };
        let Some(rules) = self.versions.get(version) else { return Judged::Ignored(IgnoreReason::NoConfigInEffect) };
        if rules.eligible.as_ref().is_some_and(|e| !e.get(c).copied().unwrap_or(false)) {
            return Judged::Ignored(IgnoreReason::IneligibleCollaborator);
        }
        let slot = self.counted_slot.get(k).copied().flatten();
        let Some(slot) = rules.column(slot) else {
            return Judged::Ignored(IgnoreReason::UnknownType);
        };
        Judged::Counted { collaborator: c, slot, version, own: self.own_points(ev, p, k) }
    }

    /// A manual credit carries its own points; without them it is worth the configured value.
    /// (The points column is read for manual credits only.)
    #[inline(always)]
    pub(super) fn own_points(&self, ev: &Events, p: usize, k: usize) -> Option<i64> {
        let own = if Some(k) == self.manual { ev.points.get(p).copied().unwrap_or(f64::NAN) } else { f64::NAN };
        (own >= 0.0).then_some(own as i64)
    }
}

/// What the events of a period do under some `Rules`, whatever the weights: a cell per
/// (version in the window, collaborator, counted type), indexed by (segment × collaborators +
/// collaborator) × counted types + column, and the lists of what was not counted.
#[derive(Debug)]
pub(super) struct Counts {
    pub(super) cells: Vec<CountCell>,
    pub(super) lists: BTreeMap<IgnoreReason, IdList>,
    /// Event ids listed so far, by collaborator index (`listed_ids`).
    pub(super) listed: RefCell<HashMap<usize, Vec<String>>>,
}

/// How many times `MAX_LISTED_COLLABORATORS` collaborators, from the top of the leaderboard,
/// have their event ids listed by one pass over the events (see `Counts::listed_ids`).
pub(super) const LISTING_AHEAD: usize = 2;

impl Counts {
    /// The ids each collaborator of `wanted` has listed: its first `MAX_LISTED_IDS` counted
    /// events in (instant, label) order. They do not depend on the weights, so they are kept
    /// with the counts; one pass over the events lists every collaborator of `wanted` not
    /// listed yet, and those of `also` (likely wanted after a small change of weights).
    pub(super) fn listed_ids(&self, ev: &Events, rules: &Rules, wanted: &[usize], also: &[usize]) -> Vec<Vec<String>> {
        let mut fresh = HashMap::new();
        let mut kept = self.listed.try_borrow_mut();
        let listed = match kept.as_deref_mut() {
            Ok(kept) => kept,
            Err(_) => &mut fresh,
        };
        if wanted.iter().any(|c| !listed.contains_key(c)) {
            const UNLISTED: usize = usize::MAX;
            let mut slot_of = vec![UNLISTED; ev.collaborator_ids.len()];
            let mut slots: Vec<usize> = Vec::new();
            for c in wanted.iter().chain(also) {
                if let Some(slot) = slot_of.get_mut(*c).filter(|s| **s == UNLISTED && !listed.contains_key(c)) {
                    *slot = slots.len();
                    slots.push(*c);
                }
            }
            let mut positions: Vec<Vec<usize>> = vec![Vec::new(); slots.len()];
            for (b, block) in ev.collaborator_index.chunks(EVENT_BLOCK).enumerate() {
                if ev.outside_block(b, rules) {
                    continue;
                }
                for (offset, c) in block.iter().enumerate() {
                    let p = b * EVENT_BLOCK + offset;
                    let Some(list) = slot_of.get(*c as usize).and_then(|s| positions.get_mut(*s)) else { continue };
                    if matches!(rules.judge(ev, p), Judged::Counted { .. }) {
                        list.push(p);
                    }
                }
            }
            for (c, mut list) in slots.into_iter().zip(positions) {
                keep_first(&mut list, MAX_LISTED_IDS, |a, b| ev.cmp_instants_then_labels(*a, *b));
                listed.insert(c, list.into_iter().map(|p| ev.label(p)).collect());
            }
        }
        wanted.iter().map(|c| listed.get(c).cloned().unwrap_or_default()).collect()
    }
}

/// The counted events of one collaborator and type under one version: everything the counting
/// pass touches for an event is in this one place.
#[derive(Debug, Clone, Copy)]
pub(super) struct CountCell {
    pub(super) events: usize,
    /// Earliest counted instant; +∞ for none.
    pub(super) first_ms: f64,
    /// Latest instant of an event worth the configured points; -∞ for none.
    pub(super) last_configured_ms: f64,
    /// Manual credits with their own points: how many, their sum (saturating: past 2^53 − 1 it
    /// is an overflow anyway), and the latest instant of one worth more than 0.
    pub(super) own_events: usize,
    pub(super) own_points: i64,
    pub(super) last_own_scoring_ms: f64,
}

impl CountCell {
    /// Counts an event at `at`, with a manual credit's own points if it has them.
    #[inline(always)]
    pub(super) fn add(&mut self, at: f64, own: Option<i64>) {
        self.events += 1;
        self.first_ms = earlier(self.first_ms, at);
        match own {
            None => self.last_configured_ms = later(self.last_configured_ms, at),
            Some(points) => {
                self.own_events += 1;
                self.own_points = self.own_points.saturating_add(points);
                if points > 0 {
                    self.last_own_scoring_ms = later(self.last_own_scoring_ms, at);
                }
            }
        }
    }
}

impl Events {
    /// Judges every event, in input order, into `Counts`.
    pub(super) fn count(&self, rules: &Rules, scope: Scope) -> Counts {
        let (people, kinds) = (self.collaborator_ids.len(), rules.counted_kinds.len());
        let empty = CountCell {
            events: 0,
            first_ms: f64::INFINITY,
            last_configured_ms: f64::NEG_INFINITY,
            own_events: 0,
            own_points: 0,
            last_own_scoring_ms: f64::NEG_INFINITY,
        };
        let mut cells = vec![empty; rules.segments * people * kinds];
        let (mut outside, mut not_yet) = (0usize, 0usize);
        let mut ignored: BTreeMap<IgnoreReason, Vec<u32>> = BTreeMap::new();
        // Blocks whose instants all fall outside the window are counted without a look at their
        // events (in a time-ordered export, most blocks for a cycle of a long history).
        for (b, block) in self.occurred_at_ms.chunks(EVENT_BLOCK).enumerate() {
            if self.outside_block(b, rules) {
                outside += block.len();
                continue;
            }
            let first = b * EVENT_BLOCK;
            if let Some(columns) = &rules.one_version {
                // `judge`'s checks in its order, when one version decides every event: a type
                // lookup instead of judging each event in general (roster, version, eligibility).
                let cs = self.collaborator_index.get(first..).unwrap_or_default();
                let ks = self.type_index.get(first..).unwrap_or_default();
                for (offset, ((&at, &c), &k)) in block.iter().zip(cs).zip(ks).enumerate() {
                    if !rules.in_window(at) {
                        outside += 1;
                    } else if at > rules.cutoff {
                        not_yet += 1;
                    } else {
                        let (p, k) = (first + offset, usize::from(k));
                        let slot = columns.get(k).copied().unwrap_or(NOT_COUNTED);
                        let cell = (slot != NOT_COUNTED).then(|| cells.get_mut(c as usize * kinds + slot as usize));
                        match cell.flatten() {
                            Some(cell) => cell.add(at, rules.own_points(self, p, k)),
                            None => ignored.entry(IgnoreReason::UnknownType).or_default().push(p as u32),
                        }
                    }
                }
                continue;
            }
            for (offset, &at) in block.iter().enumerate() {
                let p = first + offset;
                match rules.judge(self, p) {
                    Judged::Counted { collaborator, slot, version, own } => {
                        let segment = version.wrapping_sub(rules.first_version);
                        if let Some(cell) = cells.get_mut((segment * people + collaborator) * kinds + slot) {
                            cell.add(at, own);
                        }
                    }
                    Judged::OutsideWindow => outside += 1,
                    Judged::NotYetOccurred => not_yet += 1,
                    Judged::Ignored(reason) => ignored.entry(reason).or_default().push(p as u32),
                }
            }
        }
        let mut lists: BTreeMap<IgnoreReason, IdList> = BTreeMap::new();
        if scope == Scope::All && outside > 0 {
            lists.insert(IgnoreReason::OutsideWindow, self.list_where(outside, |t| !rules.in_window(t)));
        }
        if not_yet > 0 {
            let happened_later = |t: f64| rules.in_window(t) && t > rules.cutoff;
            lists.insert(IgnoreReason::NotYetOccurred, self.list_where(not_yet, happened_later));
        }
        for (reason, positions) in ignored {
            lists.insert(reason, self.list_positions(positions));
        }
        Counts { cells, lists, listed: RefCell::default() }
    }

    /// The error the object path reports when sums pass 2^53 − 1 (points are never negative,
    /// so they pass it in any order): replaying the counted events in (instant, label) order,
    /// the first that takes a collaborator's score, then the total, past it.
    #[cold]
    pub(super) fn overflow_error(&self, rules: &Rules, weights: &[Vec<i64>]) -> EngineError {
        let mut counted: Vec<(usize, usize, i64)> = (0..self.occurred_at_ms.len())
            .filter_map(|p| match rules.judge(self, p) {
                Judged::Counted { collaborator, slot, version, own } => {
                    let configured = weights.get(version).and_then(|w| w.get(slot)).copied().unwrap_or(0);
                    Some((p, collaborator, own.unwrap_or(configured)))
                }
                _ => None,
            })
            .collect();
        crate::sorting::stable_sort_by(&mut counted, |a, b| self.cmp_instants_then_labels(a.0, b.0));
        let mut scores = vec![0i64; self.collaborator_ids.len()];
        let mut total = 0i64;
        for (p, c, points) in counted {
            let path = Pointer::root().key("events").index(p);
            let whose = self.collaborator_ids.get(c).map_or("", |id| &**id);
            let Some(score) = scores.get_mut(c) else { continue };
            let step = checked_score(*score, points, &path, whose)
                .and_then(|s| Ok((s, checked_score(total, points, &path, "all collaborators")?)));
            match step {
                Ok((s, t)) => (*score, total) = (s, t),
                Err(error) => return error,
            }
        }
        EngineError::new(Code::EventsScoreOverflow, &Pointer::root().key("events"), "A score passes 2^53 − 1.")
    }

    /// Whether every event of block `b` is outside the window of `rules`.
    pub(super) fn outside_block(&self, b: usize, rules: &Rules) -> bool {
        self.block_span.get(b).is_some_and(|(min, max)| *max < rules.start || *min >= rules.end)
    }
}

/// The first whole millisecond at or after `instant`.
pub(super) fn ceil_ms(instant: DateTime<FixedOffset>) -> i64 {
    let floor = instant.timestamp_millis();
    if instant.timestamp_subsec_nanos().is_multiple_of(1_000_000) {
        floor
    } else {
        floor.saturating_add(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A block is skipped only when every instant in it is outside `[start, end)`: one ending
    /// exactly at `start` or beginning one millisecond before `end` is judged event by event.
    #[test]
    fn blocks_are_outside_only_when_wholly_outside() {
        let mut events =
            Events { occurred_at_ms: (0..3 * EVENT_BLOCK).map(|i| i as f64).collect(), ..Events::default() };
        events.index(&|i| Pointer::root().index(i)).expect("no ids");
        let block = EVENT_BLOCK as f64;
        let rules = |start: f64, end: f64| Rules {
            start,
            end,
            cutoff: end,
            standing: None,
            counted_kinds: Vec::new(),
            counted_slot: Vec::new(),
            versions: Vec::new(),
            first_version: 0,
            segments: 1,
            manual: None,
            one_version: None,
        };
        let outside = |r: &Rules| (0..3).map(|b| events.outside_block(b, r)).collect::<Vec<_>>();
        assert_eq!(outside(&rules(block - 1.0, 2.0 * block)), [false, false, true]);
        assert_eq!(outside(&rules(block, 2.0 * block - 1.0)), [true, false, true]);
        assert_eq!(outside(&rules(block, 2.0 * block + 1.0)), [true, false, false]);
        assert_eq!(outside(&rules(3.0 * block, 4.0 * block)), [true, true, true]);
    }
}
