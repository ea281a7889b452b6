//! The bulk path: events and transactions loaded once into compact, sorted columns, then
//! previewed and simulated as often as the caller likes (new weights, another `at`, another
//! tie policy) without reading, sorting or interning them again.
//!
//! Events are held as columns sorted by (instant, label): collaborator and type indexes into
//! interned tables, the instant in milliseconds, manual points, and the input position (for
//! labels `/events/<i>` and paths). Scoring a period is a binary search for the window plus
//! one pass over the events in it, against per-call tables (points per type for each
//! configuration version, roster and eligibility per collaborator).
//!
//! Invariant: for the same records, `Dataset::preview` and `Dataset::simulate` give exactly
//! the output of `preview::preview_scores` and `simulate::simulate` (the same cycle code runs
//! after scoring; tests compare the bytes on the shared case files). A failed load leaves the
//! previously loaded data untouched.

use crate::amount::MAX_SAFE_INTEGER;
use crate::config::ConfigHistory;
use crate::diagnostics::{Code, EngineError, Pointer};
use crate::limits;
use crate::model::{self, compare_ids, Collaborator, CollaboratorStatus, Transaction, MANUAL};
use crate::preview::{self, CycleExtras, Preview};
use crate::scoring::{
    self, checked_score, CollaboratorScore, IdList, IgnoreReason, Period, Scores, MAX_LISTED_COLLABORATORS,
    MAX_LISTED_IDS,
};
use crate::simulate::{self, Simulation};
use chrono::{DateTime, FixedOffset};
use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

/// The largest absolute instant accepted in `occurredAtMs` (chrono's range, about ±262,000
/// years, is far wider; this is JS `Date`'s: ±10^8 days).
const MAX_ABS_MS: f64 = 8.64e15;

/// Events given as columns (what the JS `Engine.loadEventsColumns` passes through).
#[derive(Debug, Clone, Copy)]
pub struct EventColumns<'a> {
    /// Per event: a position in `collaborator_ids`.
    pub collaborator_index: &'a [u32],
    /// Per event: a position in `type_names`.
    pub type_index: &'a [u16],
    /// Per event: the instant in milliseconds since 1970-01-01T00:00Z (whole numbers).
    pub occurred_at_ms: &'a [f64],
    /// Per event: a manual credit's own points, or NaN for none (only `manual` events may
    /// carry points). `None`: no event carries points.
    pub points: Option<&'a [f64]>,
    pub collaborator_ids: &'a [String],
    pub type_names: &'a [String],
    /// Per event: its id, or `None` (labelled `/events/<i>`). `None`: no event has an id.
    pub event_ids: Option<&'a [Option<String>]>,
}

/// Loaded events, sorted by (instant, label, input position).
#[derive(Debug, Clone, Default)]
struct Events {
    collaborators: Vec<String>,
    types: Vec<String>,
    at_ms: Vec<i64>,
    collaborator: Vec<u32>,
    kind: Vec<u16>,
    /// Manual points per sorted position, -1 for none; empty when no event carries points.
    points: Vec<i64>,
    /// Input position per sorted position.
    input: Vec<u32>,
    /// Ids by input position; empty when no event has an id.
    ids: Vec<Option<String>>,
    /// Label order (`compare_ids` of the labels) of each sorted position, and its inverse.
    label_rank: Vec<u32>,
    by_label: Vec<u32>,
}

/// A handle's loaded records. See the module documentation.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    events: Events,
    /// Sorted by (occurredAt, id), the order revenue is computed in.
    transactions: Vec<Transaction>,
}

/// Which events a period's scoring considers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Every loaded event (a preview: events outside the window are reported as ignored).
    All,
    /// Only the events in the window (a simulation cycle).
    Window,
}

impl Dataset {
    pub fn new() -> Self {
        Dataset::default()
    }

    pub fn event_count(&self) -> usize {
        self.events.at_ms.len()
    }

    pub fn transaction_count(&self) -> usize {
        self.transactions.len()
    }

    /// Replaces the events with `columns`. Errors locate the bad value in its column
    /// (`/events/occurredAtMs/12`); on error the loaded events are unchanged.
    pub fn load_event_columns(&mut self, columns: EventColumns<'_>) -> Result<(), EngineError> {
        let events = Pointer::root().key("events");
        let count = columns.collaborator_index.len();
        limits::check_count(count, limits::MAX_BULK_EVENTS, "events", &events.key("collaboratorIndex"))?;
        limits::check_ids(columns.collaborator_ids.iter().map(String::as_str), &events.key("collaboratorIds"))?;
        limits::check_ids(columns.type_names.iter().map(String::as_str), &events.key("typeNames"))?;
        if let Some(ids) = columns.event_ids {
            limits::check_ids(ids.iter().map(|id| id.as_deref().unwrap_or_default()), &events.key("eventIds"))?;
        }
        self.events = read_columns(columns)?;
        Ok(())
    }

    /// Replaces the events with a JSON array of event objects (the object path's shape), read
    /// one element at a time. Errors have the object path's paths (`/events/12/occurredAt`).
    pub fn load_events_json(&mut self, text: &[u8]) -> Result<(), EngineError> {
        let path = Pointer::root().key("events");
        let mut raw = RawEvents::default();
        let mut collaborators: HashMap<String, u32> = HashMap::new();
        let mut types: HashMap<String, u16> = HashMap::new();
        let mut seen = HashSet::new();
        let mut any_id = false;
        for_each_element(text, &path, limits::MAX_BULK_EVENTS, |index, item| {
            let at = path.index(index);
            let event = model::parse_event(&item, index, &at)?;
            if let Some(id) = &event.id {
                if !seen.insert(id.clone()) {
                    return Err(EngineError::new(
                        Code::EventsDuplicateId,
                        &at.key("id"),
                        format!("Event id `{id}` appears more than once."),
                    ));
                }
                any_id = true;
            }
            if event.occurred_at.timestamp_subsec_nanos() % 1_000_000 != 0 {
                return Err(EngineError::new(
                    Code::TimeInvalidTimestamp,
                    &at.key("occurredAt"),
                    "The bulk path keeps event instants to the millisecond; this one has a finer fraction of a second.",
                ));
            }
            let next = collaborators.len();
            let collaborator = *collaborators.entry(event.collaborator_id).or_insert(next as u32);
            let next = types.len();
            if next > usize::from(u16::MAX) && !types.contains_key(&event.kind) {
                return Err(EngineError::new(
                    Code::InputTooLarge,
                    &at.key("type"),
                    "The bulk path holds at most 65,536 event types.",
                ));
            }
            let kind = *types.entry(event.kind).or_insert(next as u16);
            raw.collaborator.push(collaborator);
            raw.kind.push(kind);
            raw.at_ms.push(event.occurred_at.timestamp_millis());
            raw.points.push(event.points.unwrap_or(-1));
            raw.ids.push(event.id);
            Ok(())
        })?;
        raw.collaborators = table(collaborators);
        raw.types = table(types);
        if !any_id {
            raw.ids = Vec::new();
        }
        if raw.points.iter().all(|p| *p < 0) {
            raw.points = Vec::new();
        }
        // Duplicate ids were refused above, so this path is never taken.
        self.events = sort_events(raw, &|i| path.index(i).key("id"))?;
        Ok(())
    }

    /// Replaces the transactions with a JSON array of transaction objects, read one element at
    /// a time, with the object path's validation and paths (`/transactions/3/details/0/amount`).
    pub fn load_transactions_json(&mut self, text: &[u8]) -> Result<(), EngineError> {
        let path = Pointer::root().key("transactions");
        let mut transactions = Vec::new();
        let mut seen = HashSet::new();
        for_each_element(text, &path, limits::MAX_TRANSACTIONS, |index, item| {
            let at = path.index(index);
            let transaction = model::parse_transaction(&item, index, &at)?;
            if !seen.insert(transaction.id.clone()) {
                return Err(model::duplicate_transaction(&transaction.id, &at));
            }
            transactions.push(transaction);
            Ok(())
        })?;
        transactions.sort_by(|a, b| a.occurred_at.cmp(&b.occurred_at).then_with(|| compare_ids(&a.id, &b.id)));
        self.transactions = transactions;
        Ok(())
    }

    /// `previewScores` over the loaded records: `input` is a preview input without `events`
    /// and `transactions`.
    pub fn preview(&self, input: &Value) -> Result<Preview, EngineError> {
        limits::check(input)?;
        let request = preview::read_request_without_records(input)?;
        let scores = self.score(&request.period(), &request.config, request.collaborators.as_deref(), Scope::All)?;
        preview::run_cycle_scored(&request, scores, &self.transactions, &CycleExtras::default())
    }

    /// `simulate` over the loaded records: `input` is a simulate input without `events` and
    /// `transactions`.
    pub fn simulate(&self, input: &Value) -> Result<Simulation, EngineError> {
        limits::check(input)?;
        let request = simulate::read_request_without_records(input)?;
        let score =
            |period: &Period| self.score(period, &request.config, request.collaborators.as_deref(), Scope::Window);
        simulate::run_with(&request, &score, &self.transactions)
    }

    /// Scores `period` exactly as `scoring::score` scores the same events.
    fn score(
        &self,
        period: &Period,
        config: &ConfigHistory,
        roster: Option<&[Collaborator]>,
        scope: Scope,
    ) -> Result<Scores, EngineError> {
        let ev = &self.events;
        let n = ev.at_ms.len();
        let start = ceil_ms(period.window.start);
        let end = ceil_ms(period.window.end);
        let cutoff = period.cutoff.timestamp_millis(); // an event at ms t has happened iff t <= floor(cutoff)
        let lo = ev.at_ms.partition_point(|t| *t < start);
        let hi = ev.at_ms.partition_point(|t| *t < end).max(lo);
        let cut = ev.at_ms.partition_point(|t| *t <= cutoff).clamp(lo, hi);

        // Per-call tables: who may earn, and what each type is worth under each version.
        const OK: u8 = 0;
        const UNKNOWN: u8 = 1;
        const INACTIVE: u8 = 2;
        let standing: Vec<u8> = match roster {
            None => vec![OK; ev.collaborators.len()],
            Some(list) => {
                let by_id: HashMap<&str, CollaboratorStatus> = list.iter().map(|c| (c.id.as_str(), c.status)).collect();
                ev.collaborators
                    .iter()
                    .map(|id| match by_id.get(id.as_str()) {
                        None => UNKNOWN,
                        Some(CollaboratorStatus::Active) => OK,
                        Some(_) => INACTIVE,
                    })
                    .collect()
            }
        };
        let manual = ev.types.iter().position(|t| t == MANUAL);
        let versions: Vec<VersionTable> = config
            .versions
            .iter()
            .map(|v| VersionTable {
                from_ms: v.effective_from.map_or(i64::MIN, ceil_ms),
                points: ev.types.iter().map(|t| v.engagement_types.get(t).copied()).collect(),
                eligible: v.eligible_collaborators.as_ref().map(|ids| {
                    let ids: HashSet<&str> = ids.iter().map(String::as_str).collect();
                    ev.collaborators.iter().map(|c| ids.contains(c.as_str())).collect()
                }),
            })
            .collect();

        // Dense running results indexed by collaborator (and collaborator × type), so the loop
        // below is a few array operations per event.
        let people = ev.collaborators.len();
        let kinds = ev.types.len();
        let mut tally = Tallies {
            score: vec![0; people],
            count: vec![0; people],
            type_sum: vec![0; people * kinds],
            type_count: vec![0; people * kinds],
            first_ms: vec![0; people],
            last_scoring_ms: vec![None; people],
            listed: vec![Vec::new(); people],
        };
        let mut ignored: BTreeMap<IgnoreReason, Vec<u32>> = BTreeMap::new();
        let mut total: i64 = 0;
        let standing_reason = |c: usize| match standing.get(c).copied().unwrap_or(UNKNOWN) {
            UNKNOWN => Some(IgnoreReason::UnknownCollaborator),
            INACTIVE => Some(IgnoreReason::InactiveCollaborator),
            _ => None,
        };
        // Events between two configuration changes share one version: each run is scored with
        // that version's tables (versions are sorted by `from_ms`).
        let mut run_start = lo;
        while run_start < cut {
            let Some(&at) = ev.at_ms.get(run_start) else { break };
            let current = versions.iter().rposition(|v| v.from_ms <= at);
            let run_end = match versions.get(current.map_or(0, |v| v + 1)) {
                Some(next) => {
                    run_start + ev.at_ms.get(run_start..cut).map_or(0, |run| run.partition_point(|t| *t < next.from_ms))
                }
                None => cut,
            }
            .max(run_start + 1);
            let positions = run_start..run_end;
            run_start = run_end;
            let Some(table) = current.and_then(|v| versions.get(v)) else {
                for p in positions {
                    let c = ev.collaborator.get(p).copied().unwrap_or(0) as usize;
                    let reason = standing_reason(c).unwrap_or(IgnoreReason::NoConfigInEffect);
                    ignored.entry(reason).or_default().push(p as u32);
                }
                continue;
            };
            // Why a collaborator's events do not count under this version, if they do not.
            let verdict = |c: usize| {
                standing_reason(c).or_else(|| {
                    let eligible = table.eligible.as_ref().map_or(true, |e| e.get(c).copied().unwrap_or(false));
                    (!eligible).then_some(IgnoreReason::IneligibleCollaborator)
                })
            };
            let (Some(ats), Some(collaborators), Some(kinds_of)) =
                (ev.at_ms.get(positions.clone()), ev.collaborator.get(positions.clone()), ev.kind.get(positions.clone()))
            else {
                break;
            };
            for (offset, ((&at, &c), &k)) in ats.iter().zip(collaborators).zip(kinds_of).enumerate() {
                let p = positions.start + offset;
                let (c, k) = (c as usize, k as usize);
                if let Some(reason) = verdict(c) {
                    ignored.entry(reason).or_default().push(p as u32);
                    continue;
                }
                let points = match table.points.get(k).copied().flatten() {
                    None => {
                        ignored.entry(IgnoreReason::UnknownType).or_default().push(p as u32);
                        continue;
                    }
                    Some(configured) if Some(k) == manual => {
                        ev.points.get(p).copied().filter(|x| *x >= 0).unwrap_or(configured)
                    }
                    Some(configured) => configured,
                };
                let input = ev.input.get(p).copied().unwrap_or(0) as usize;
                let whose = || ev.collaborators.get(c).map_or("", String::as_str);
                let path = || Pointer::root().key("events").index(input);
                let (Some(score), Some(count)) = (tally.score.get_mut(c), tally.count.get_mut(c)) else { continue };
                *score = checked(*score, points, &path, whose())?;
                total = checked(total, points, &path, "all collaborators")?;
                let slot = c * kinds + k;
                if let (Some(sum), Some(events)) = (tally.type_sum.get_mut(slot), tally.type_count.get_mut(slot)) {
                    *sum = checked(*sum, points, &path, whose())?;
                    *events += 1;
                }
                if *count == 0 {
                    if let Some(first) = tally.first_ms.get_mut(c) {
                        *first = at;
                    }
                }
                *count += 1;
                if points != 0 {
                    if let Some(last) = tally.last_scoring_ms.get_mut(c) {
                        *last = Some(at);
                    }
                }
                if let Some(listed) = tally.listed.get_mut(c).filter(|l| l.len() < MAX_LISTED_IDS) {
                    listed.push(p as u32);
                }
            }
        }

        let mut by_id: BTreeMap<String, CollaboratorScore> = BTreeMap::new();
        let mut listed_by_id: HashMap<String, Vec<u32>> = HashMap::new();
        for (c, listed) in tally.listed.into_iter().enumerate() {
            let count = tally.count.get(c).copied().unwrap_or(0);
            if count == 0 {
                continue;
            }
            let id = ev.collaborators.get(c).cloned().unwrap_or_default();
            let mut score = scoring::empty_score(&id);
            score.score = tally.score.get(c).copied().unwrap_or(0);
            for (k, name) in ev.types.iter().enumerate() {
                let slot = c * kinds + k;
                let events = tally.type_count.get(slot).copied().unwrap_or(0);
                if events > 0 {
                    score.breakdown.insert(name.clone(), tally.type_sum.get(slot).copied().unwrap_or(0));
                    score.event_counts.insert(name.clone(), events);
                }
            }
            // Labels are built after ordering, for the collaborators whose ids are listed.
            score.events = IdList { count, ids: Vec::new(), truncated: count > MAX_LISTED_IDS };
            listed_by_id.insert(id.clone(), listed);
            // The running score last changed at the last event that scored points (points are
            // never negative); with none, it stood at its final 0 from the first event.
            let first = tally.first_ms.get(c).copied().unwrap_or(0);
            score.reached_at = from_ms(tally.last_scoring_ms.get(c).copied().flatten().unwrap_or(first));
            by_id.insert(id, score);
        }

        let mut lists: BTreeMap<IgnoreReason, IdList> = BTreeMap::new();
        if scope == Scope::All {
            let outside = ev.list_ranges(&[(0, lo), (hi, n)]);
            if outside.count > 0 {
                lists.insert(IgnoreReason::OutsideWindow, outside);
            }
        }
        let not_yet = ev.list_ranges(&[(cut, hi)]);
        if not_yet.count > 0 {
            lists.insert(IgnoreReason::NotYetOccurred, not_yet);
        }
        for (reason, positions) in ignored {
            lists.insert(reason, ev.list_positions(positions));
        }
        let mut scores = scoring::assemble(by_id, lists, total, period, config, roster);
        for c in scores.collaborators.iter_mut().take(MAX_LISTED_COLLABORATORS) {
            if let Some(listed) = listed_by_id.get(&c.collaborator_id) {
                c.events.ids = listed.iter().map(|p| ev.label(*p as usize)).collect();
            }
        }
        Ok(scores)
    }
}

fn checked(current: i64, points: i64, path: &dyn Fn() -> Pointer, whose: &str) -> Result<i64, EngineError> {
    match current.checked_add(points) {
        Some(sum) if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&sum) => Ok(sum),
        _ => checked_score(current, points, &path(), whose),
    }
}

/// One configuration version, as tables indexed by the loaded type and collaborator indexes.
struct VersionTable {
    from_ms: i64,
    points: Vec<Option<i64>>,
    eligible: Option<Vec<bool>>,
}

/// Every collaborator's running result in a period, as dense columns (`type_*` are indexed by
/// collaborator × number of types + type).
struct Tallies {
    score: Vec<i64>,
    count: Vec<usize>,
    type_sum: Vec<i64>,
    type_count: Vec<usize>,
    first_ms: Vec<i64>,
    last_scoring_ms: Vec<Option<i64>>,
    /// The first `MAX_LISTED_IDS` counted events (sorted positions) of each collaborator.
    listed: Vec<Vec<u32>>,
}

impl Events {
    fn label(&self, position: usize) -> String {
        let input = self.input.get(position).copied().unwrap_or(0) as usize;
        match self.ids.get(input) {
            Some(Some(id)) => id.clone(),
            _ => format!("/events/{input}"),
        }
    }

    /// The ids of the events at these sorted positions, in label order, capped.
    fn list_positions(&self, mut positions: Vec<u32>) -> IdList {
        let count = positions.len();
        let rank = |p: &u32| self.label_rank.get(*p as usize).copied().unwrap_or(u32::MAX);
        if count > MAX_LISTED_IDS {
            positions.select_nth_unstable_by_key(MAX_LISTED_IDS, rank);
            positions.truncate(MAX_LISTED_IDS);
        }
        positions.sort_unstable_by_key(rank);
        IdList {
            count,
            ids: positions.iter().map(|p| self.label(*p as usize)).collect(),
            truncated: count > MAX_LISTED_IDS,
        }
    }

    /// The ids of the events in these ranges of sorted positions, in label order, capped. A
    /// large set is read by walking the label order until enough are found.
    fn list_ranges(&self, ranges: &[(usize, usize)]) -> IdList {
        let count: usize = ranges.iter().map(|(a, b)| b.saturating_sub(*a)).sum();
        if count.saturating_mul(16) < self.at_ms.len() {
            return self.list_positions(ranges.iter().flat_map(|(a, b)| (*a..*b).map(|p| p as u32)).collect());
        }
        let mut ids = Vec::with_capacity(MAX_LISTED_IDS);
        for p in &self.by_label {
            let p = *p as usize;
            if ranges.iter().any(|(a, b)| (*a..*b).contains(&p)) {
                ids.push(self.label(p));
                if ids.len() == MAX_LISTED_IDS {
                    break;
                }
            }
        }
        IdList { count, ids, truncated: count > MAX_LISTED_IDS }
    }
}

/// Events before sorting, by input position.
#[derive(Debug, Default)]
struct RawEvents {
    collaborators: Vec<String>,
    types: Vec<String>,
    collaborator: Vec<u32>,
    kind: Vec<u16>,
    at_ms: Vec<i64>,
    /// -1 for none; empty when none carries points.
    points: Vec<i64>,
    /// Empty when none has an id.
    ids: Vec<Option<String>>,
}

fn read_columns(columns: EventColumns<'_>) -> Result<Events, EngineError> {
    let root = Pointer::root().key("events");
    let n = columns.occurred_at_ms.len();
    let mut lengths =
        vec![("collaboratorIndex", columns.collaborator_index.len()), ("typeIndex", columns.type_index.len())];
    if let Some(points) = columns.points {
        lengths.push(("points", points.len()));
    }
    if let Some(ids) = columns.event_ids {
        lengths.push(("eventIds", ids.len()));
    }
    if let Some((name, len)) = lengths.into_iter().find(|(_, len)| *len != n) {
        return Err(EngineError::new(
            Code::InputColumnLength,
            &root.key(name),
            format!("`{name}` has {len} entries but `occurredAtMs` has {n}; every column has one entry per event."),
        ));
    }
    if n > u32::MAX as usize - 1 {
        return Err(EngineError::new(
            Code::InputTooLarge,
            &root.key("occurredAtMs"),
            "The bulk path holds fewer than 2^32 events.",
        ));
    }

    // Tables: the same id twice is one collaborator (one type), under its first index.
    let mut collaborators: HashMap<String, u32> = HashMap::new();
    let mut collaborator_map = Vec::with_capacity(columns.collaborator_ids.len());
    for (i, id) in columns.collaborator_ids.iter().enumerate() {
        if id.is_empty() {
            return Err(EngineError::new(
                Code::PreviewInvalidId,
                &root.key("collaboratorIds").index(i),
                "A collaborator id must not be empty.",
            ));
        }
        let next = collaborators.len() as u32;
        collaborator_map.push(*collaborators.entry(id.clone()).or_insert(next));
    }
    let mut types: HashMap<String, u16> = HashMap::new();
    let mut type_map = Vec::with_capacity(columns.type_names.len());
    for (i, name) in columns.type_names.iter().enumerate() {
        if name.is_empty() {
            return Err(EngineError::new(
                Code::InputWrongType,
                &root.key("typeNames").index(i),
                "`type` must not be empty.",
            ));
        }
        if i > usize::from(u16::MAX) {
            return Err(EngineError::new(
                Code::InputTooLarge,
                &root.key("typeNames"),
                "The bulk path holds at most 65,536 event types.",
            ));
        }
        let next = types.len() as u16;
        type_map.push(*types.entry(name.clone()).or_insert(next));
    }
    let manual = types.get(MANUAL).copied();

    let mut raw = RawEvents { collaborators: table(collaborators), types: table(types), ..RawEvents::default() };
    raw.collaborator = Vec::with_capacity(n);
    raw.kind = Vec::with_capacity(n);
    raw.at_ms = Vec::with_capacity(n);
    // One pass, in sequence (the lengths are equal, checked above); an error is built only
    // when a value is bad.
    let columns_iter = columns.collaborator_index.iter().zip(columns.type_index).zip(columns.occurred_at_ms);
    for (i, ((&c, &k), &t)) in columns_iter.enumerate() {
        let (Some(&c), Some(&k)) = (collaborator_map.get(c as usize), type_map.get(k as usize)) else {
            return Err(index_error(&root, i, c, k, collaborator_map.len(), type_map.len()));
        };
        // Whole and within range: the same test as `is_finite() && fract() == 0.0 && abs() <=
        // MAX_ABS_MS` (MAX_ABS_MS < 2^63, so the cast is exact), without a call to `trunc`.
        let whole = t as i64;
        if !(whole as f64 == t && t.abs() <= MAX_ABS_MS) {
            return Err(EngineError::new(
                Code::TimeInvalidTimestamp,
                &root.key("occurredAtMs").index(i),
                "`occurredAtMs` must be a whole number of milliseconds since 1970-01-01T00:00Z (as `Date.getTime()` returns).",
            ));
        }
        raw.collaborator.push(c);
        raw.kind.push(k);
        raw.at_ms.push(whole);
    }
    if let Some(points) = columns.points {
        raw.points = Vec::with_capacity(n);
        for (i, (&p, &k)) in points.iter().zip(&raw.kind).enumerate() {
            if p.is_nan() {
                raw.points.push(-1);
                continue;
            }
            let at = root.key("points").index(i);
            if Some(k) != manual {
                let kind = raw.types.get(k as usize).map_or("", String::as_str);
                return Err(EngineError::new(
                    Code::EventsUnexpectedPoints,
                    &at,
                    format!("Only `manual` credits carry `points`; a `{kind}` event is worth what the configuration says (use NaN for no points)."),
                ));
            }
            if !(p.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER as f64).contains(&p)) {
                return Err(EngineError::new(
                    Code::EventsInvalidPoints,
                    &at,
                    format!("`points` must be a whole number from 0 to {MAX_SAFE_INTEGER}."),
                ));
            }
            raw.points.push(p as i64);
        }
    }
    if let Some(ids) = columns.event_ids {
        if let Some(i) = ids.iter().position(|id| id.as_deref() == Some("")) {
            return Err(EngineError::new(
                Code::PreviewInvalidId,
                &root.key("eventIds").index(i),
                "`id` must not be empty.",
            ));
        }
        if ids.iter().any(Option::is_some) {
            raw.ids = ids.to_vec();
        }
    }
    sort_events(raw, &|i| root.key("eventIds").index(i))
}

/// The error for an out-of-range collaborator or type index at event `i` (the collaborator's
/// first, as the columns are read in that order).
#[cold]
fn index_error(root: &Pointer, i: usize, c: u32, k: u16, collaborators: usize, types: usize) -> EngineError {
    if c as usize >= collaborators {
        EngineError::new(
            Code::EventsIndexOutOfRange,
            &root.key("collaboratorIndex").index(i),
            format!("Collaborator index {c} is not a position in `collaboratorIds` ({collaborators} ids)."),
        )
    } else {
        EngineError::new(
            Code::EventsIndexOutOfRange,
            &root.key("typeIndex").index(i),
            format!("Type index {k} is not a position in `typeNames` ({types} names)."),
        )
    }
}

/// Sorts raw events into `Events`. `duplicate_path` locates a repeated id by input position.
fn sort_events(raw: RawEvents, duplicate_path: &dyn Fn(usize) -> Pointer) -> Result<Events, EngineError> {
    let n = raw.at_ms.len();
    // Input positions in label order (labels are the ids, or `/events/<i>`).
    let by_label_input: Vec<u32> = if raw.ids.is_empty() {
        decimal_order(n)
    } else {
        let labels: Vec<String> =
            (0..n).map(|i| raw.ids.get(i).cloned().flatten().unwrap_or_else(|| format!("/events/{i}"))).collect();
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by(|a, b| compare_ids(&labels[*a as usize], &labels[*b as usize]).then_with(|| a.cmp(b)));
        // Equal ids sort next to each other; the first repeat in input order is the error.
        let repeat = order
            .windows(2)
            .filter(|w| {
                raw.ids[w[0] as usize].is_some()
                    && raw.ids[w[1] as usize].is_some()
                    && labels[w[0] as usize] == labels[w[1] as usize]
            })
            .map(|w| w[1] as usize)
            .min();
        if let Some(i) = repeat {
            return Err(EngineError::new(
                Code::EventsDuplicateId,
                &duplicate_path(i),
                format!("Event id `{}` appears more than once.", labels[i]),
            ));
        }
        order
    };
    let mut events = Events {
        collaborators: raw.collaborators,
        types: raw.types,
        at_ms: vec![0; n],
        collaborator: vec![0; n],
        kind: vec![0; n],
        points: if raw.points.is_empty() { Vec::new() } else { vec![-1; n] },
        input: vec![0; n],
        ids: raw.ids,
        label_rank: vec![0; n],
        by_label: vec![0; n],
    };
    let raw_columns = (raw.at_ms, raw.collaborator, raw.kind, raw.points);
    let (at_ms, collaborator, kind, points) = (&raw_columns.0, &raw_columns.1, &raw_columns.2, &raw_columns.3);
    // Writes the event at input position `input`, label rank `rank`, to sorted `position`.
    let place = |events: &mut Events, position: usize, input: usize, rank: u32| {
        if let (Some(a), Some(c), Some(k), Some(i), Some(l), Some(b)) = (
            events.at_ms.get_mut(position),
            events.collaborator.get_mut(position),
            events.kind.get_mut(position),
            events.input.get_mut(position),
            events.label_rank.get_mut(position),
            events.by_label.get_mut(rank as usize),
        ) {
            *a = at_ms.get(input).copied().unwrap_or(0);
            *c = collaborator.get(input).copied().unwrap_or(0);
            *k = kind.get(input).copied().unwrap_or(0);
            *i = input as u32;
            *l = rank;
            *b = position as u32;
        }
        if let Some(p) = events.points.get_mut(position) {
            *p = points.get(input).copied().unwrap_or(-1);
        }
    };

    // The order is (instant, label rank). Three ways to it, cheapest first; all give the same
    // order (tests/bulk.rs compares them with the object path).
    let min = at_ms.iter().copied().min().unwrap_or(0);
    let max = at_ms.iter().copied().max().unwrap_or(0);
    let in_time_order = at_ms.windows(2).all(|w| w[0] <= w[1]);
    // Whole seconds (what exports hold) count in seconds, so a month is 2.7M buckets.
    let unit: i64 = if at_ms.iter().all(|t| t % 1000 == 0) { 1000 } else { 1 };
    let buckets = ((max as i128 - min as i128) / i128::from(unit) + 1) as u128;
    if in_time_order {
        // Already in time order (a real export): only runs of equal instants need ordering by
        // label, and everything is read in sequence.
        let rank_of_input = inverse(&by_label_input);
        let mut run: Vec<(u32, u32)> = Vec::new();
        let mut start = 0;
        while start < n {
            let t = at_ms.get(start).copied().unwrap_or(0);
            let mut end = start + 1;
            while end < n && at_ms.get(end) == Some(&t) {
                end += 1;
            }
            if end - start == 1 {
                place(&mut events, start, start, rank_of_input.get(start).copied().unwrap_or(0));
            } else {
                run.clear();
                run.extend((start..end).map(|i| (rank_of_input.get(i).copied().unwrap_or(0), i as u32)));
                run.sort_unstable();
                for (offset, (rank, input)) in run.iter().enumerate() {
                    place(&mut events, start + offset, *input as usize, *rank);
                }
            }
            start = end;
        }
    } else if buckets <= (4 * n as u128).max(1 << 16) {
        // A counting sort on the instant: visiting the events in label order and placing each
        // at the next free slot of its instant gives (instant, label) order in two passes.
        let bucket = |t: i64| ((t - min) / unit) as usize;
        let mut next = vec![0u32; buckets as usize + 1];
        for t in at_ms {
            if let Some(c) = next.get_mut(bucket(*t) + 1) {
                *c += 1;
            }
        }
        for b in 1..next.len() {
            let before = next.get(b - 1).copied().unwrap_or(0);
            if let Some(c) = next.get_mut(b) {
                *c += before;
            }
        }
        // One packed record per event is scattered (one random write each), then unpacked
        // in sequence: far fewer cache misses than scattering every column.
        #[derive(Clone, Copy, Default)]
        struct Placed {
            points: i64,
            rank: u32,
            input: u32,
            collaborator: u32,
            kind: u16,
        }
        let mut placed = vec![Placed::default(); n];
        for (rank, input) in by_label_input.iter().enumerate() {
            let i = *input as usize;
            let t = at_ms.get(i).copied().unwrap_or(0);
            if let Some(slot) = next.get_mut(bucket(t)) {
                if let Some(record) = placed.get_mut(*slot as usize) {
                    *record = Placed {
                        points: points.get(i).copied().unwrap_or(-1),
                        rank: rank as u32,
                        input: *input,
                        collaborator: collaborator.get(i).copied().unwrap_or(0),
                        kind: kind.get(i).copied().unwrap_or(0),
                    };
                }
                *slot += 1;
            }
        }
        // The instants in sorted order are the buckets' (count them out again).
        let mut position = 0usize;
        let mut previous_end = 0u32;
        for (b, end) in next.iter().enumerate().take(buckets as usize) {
            let t = min + b as i64 * unit;
            for _ in previous_end..*end {
                if let Some(slot) = events.at_ms.get_mut(position) {
                    *slot = t;
                }
                position += 1;
            }
            previous_end = *end;
        }
        for (position, record) in placed.iter().enumerate() {
            if let (Some(c), Some(k), Some(i), Some(l), Some(b)) = (
                events.collaborator.get_mut(position),
                events.kind.get_mut(position),
                events.input.get_mut(position),
                events.label_rank.get_mut(position),
                events.by_label.get_mut(record.rank as usize),
            ) {
                *c = record.collaborator;
                *k = record.kind;
                *i = record.input;
                *l = record.rank;
                *b = position as u32;
            }
            if let Some(p) = events.points.get_mut(position) {
                *p = record.points;
            }
        }
    } else {
        // Sort by (instant, label rank): one u64 key when both fit, which a radix sort orders
        // in a few linear passes; else a comparison sort on u128 keys.
        let rank_of_input = inverse(&by_label_input);
        let rank_bits = 64 - (n.max(1) as u64 - 1).leading_zeros();
        let span = (max as i128 - min as i128) as u128;
        let sorted_ranks: Vec<u32> = if rank_bits < 64 && span < (1u128 << (64 - rank_bits)) {
            let mut keys: Vec<u64> = at_ms
                .iter()
                .zip(&rank_of_input)
                .map(|(t, r)| (((*t - min) as u64) << rank_bits) | u64::from(*r))
                .collect();
            radix_sort(&mut keys);
            let mask = if rank_bits == 0 { 0 } else { (1u64 << rank_bits) - 1 };
            keys.iter().map(|k| (k & mask) as u32).collect()
        } else {
            let mut keys: Vec<(i64, u32)> = at_ms.iter().copied().zip(rank_of_input.iter().copied()).collect();
            keys.sort_unstable();
            keys.into_iter().map(|(_, rank)| rank).collect()
        };
        for (position, rank) in sorted_ranks.into_iter().enumerate() {
            let input = by_label_input.get(rank as usize).copied().unwrap_or(0);
            place(&mut events, position, input as usize, rank);
        }
    }
    Ok(events)
}

/// The inverse of a permutation of 0..n.
fn inverse(permutation: &[u32]) -> Vec<u32> {
    let mut inverse = vec![0u32; permutation.len()];
    for (i, p) in permutation.iter().enumerate() {
        if let Some(slot) = inverse.get_mut(*p as usize) {
            *slot = i as u32;
        }
    }
    inverse
}

/// 0..n in the order of their decimal texts ("0", "1", "10", "100", "11", …, "2", …): the
/// order of the labels `/events/<i>` under `compare_ids` (they are not numbers, so bytewise).
fn decimal_order(n: usize) -> Vec<u32> {
    let mut order = Vec::with_capacity(n);
    if n == 0 {
        return order;
    }
    order.push(0);
    let max = (n - 1) as u64;
    let mut current: u64 = 1;
    while order.len() < n {
        order.push(current as u32);
        if current * 10 <= max {
            current *= 10;
        } else {
            while current % 10 == 9 || current + 1 > max {
                current /= 10;
            }
            current += 1;
        }
    }
    order
}

/// LSD radix sort, 11 bits a pass, skipping passes where every key has the same digit; an
/// input already in order is left as is.
fn radix_sort(keys: &mut Vec<u64>) {
    if keys.windows(2).all(|w| w[0] <= w[1]) {
        return;
    }
    const BITS: u32 = 11;
    const BUCKETS: usize = 1 << BITS;
    let top = keys.iter().copied().max().unwrap_or(0);
    let mut scratch = vec![0u64; keys.len()];
    let mut shift = 0;
    while shift < 64 && (top >> shift) != 0 {
        let mut counts = vec![0usize; BUCKETS];
        for k in keys.iter() {
            counts[((k >> shift) as usize) & (BUCKETS - 1)] += 1;
        }
        if !counts.contains(&keys.len()) {
            let mut offset = 0;
            for c in counts.iter_mut() {
                let here = *c;
                *c = offset;
                offset += here;
            }
            for k in keys.iter() {
                let bucket = ((k >> shift) as usize) & (BUCKETS - 1);
                scratch[counts[bucket]] = *k;
                counts[bucket] += 1;
            }
            std::mem::swap(keys, &mut scratch);
        }
        shift += BITS;
    }
}

/// Names by interned index.
fn table<I: Copy + Into<u64>>(map: HashMap<String, I>) -> Vec<String> {
    let mut entries: Vec<(u64, String)> = map.into_iter().map(|(name, i)| (i.into(), name)).collect();
    entries.sort_unstable();
    entries.into_iter().map(|(_, name)| name).collect()
}

/// The first whole millisecond at or after `instant`.
fn ceil_ms(instant: DateTime<FixedOffset>) -> i64 {
    let floor = instant.timestamp_millis();
    if instant.timestamp_subsec_nanos() % 1_000_000 == 0 {
        floor
    } else {
        floor.saturating_add(1)
    }
}

fn from_ms(ms: i64) -> Option<DateTime<FixedOffset>> {
    DateTime::from_timestamp_millis(ms).map(|t| t.fixed_offset())
}

/// Calls `f` with each element of the JSON array `text`, one at a time, so a large array is
/// never held as one document. Errors other than `f`'s are `input.notJson` at `path`.
fn for_each_element(
    text: &[u8],
    path: &Pointer,
    max: usize,
    mut f: impl FnMut(usize, Value) -> Result<(), EngineError>,
) -> Result<(), EngineError> {
    limits::check_count(text.len(), limits::MAX_INPUT_BYTES, "bytes", path)?;
    // Every element within the documented limits (strings, numbers, nesting), and no more
    // elements than the limit, before it is read.
    let f = move |index: usize, item: Value| -> Result<(), EngineError> {
        limits::check_count(index + 1, max, "records", path)?;
        limits::check(&item).map_err(|mut e| {
            e.path = format!("{}{}", path.index(index), e.path);
            e
        })?;
        f(index, item)
    };
    struct Elements<F> {
        f: F,
        failed: Option<EngineError>,
    }
    impl<'de, F: FnMut(usize, Value) -> Result<(), EngineError>> Visitor<'de> for &mut Elements<F> {
        type Value = ();
        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("a JSON array")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut index = 0;
            while let Some(item) = seq.next_element::<Value>()? {
                if let Err(error) = (self.f)(index, item) {
                    self.failed = Some(error);
                    return Err(serde::de::Error::custom("stopped"));
                }
                index += 1;
            }
            Ok(())
        }
    }
    impl<'de, F: FnMut(usize, Value) -> Result<(), EngineError>> DeserializeSeed<'de> for &mut Elements<F> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_seq(self)
        }
    }
    if text.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'[') {
        if let Ok(other) = serde_json::from_slice::<Value>(text) {
            let name = path.to_string();
            let name = name.rsplit('/').next().unwrap_or("");
            return Err(EngineError::new(
                Code::InputWrongType,
                path,
                format!("`{name}` must be an array, found {}.", crate::diagnostics::json_type_name(&other)),
            ));
        }
    }
    let mut elements = Elements { f, failed: None };
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let result = (&mut elements).deserialize(&mut deserializer).and_then(|()| deserializer.end());
    if let Some(error) = elements.failed {
        return Err(error);
    }
    result.map_err(|e| {
        EngineError::new(
            Code::InputNotJson,
            path,
            format!("The data is not a JSON array of objects: {e} (line {}, column {}).", e.line(), e.column()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_order_is_label_order() {
        for n in [0usize, 1, 2, 9, 10, 11, 99, 100, 101, 1234] {
            let mut expected: Vec<u32> = (0..n as u32).collect();
            expected.sort_by(|a, b| compare_ids(&format!("/events/{a}"), &format!("/events/{b}")));
            assert_eq!(decimal_order(n), expected, "n = {n}");
        }
    }

    #[test]
    fn radix_sort_sorts() {
        let mut state = 12345u64;
        let mut keys: Vec<u64> = (0..10_000)
            .map(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                state >> (state % 40)
            })
            .collect();
        let mut expected = keys.clone();
        expected.sort_unstable();
        radix_sort(&mut keys);
        assert_eq!(keys, expected);
    }

    /// The three orderings (already in time order, counting sort, radix sort) all give
    /// (instant, label, input) order, with and without ids and points.
    #[test]
    fn every_ordering_is_instant_then_label() {
        let mut state = 99u64;
        let mut next = |m: u64| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        // (events, instant step in ms, distinct instants, sorted input, with ids)
        let cases = [
            (2_000, 1000, 300, false, false),        // counting sort, whole seconds
            (2_000, 1, 300, false, true),            // counting sort, milliseconds, ids
            (2_000, 1000, 10_000_000, false, false), // radix sort
            (2_000, 7, 1 << 40, false, true),        // radix sort, ids
            (2_000, 1000, 300, true, false),         // in time order
            (2_000, 1, 300, true, true),             // in time order, ids
            (1, 1, 1, false, false),
            (0, 1, 1, false, false),
        ];
        for (case, (n, step, distinct, sorted, with_ids)) in cases.into_iter().enumerate() {
            let mut at: Vec<i64> = (0..n).map(|_| 1_700_000_000_000 + (next(distinct) as i64) * step).collect();
            if sorted {
                at.sort_unstable();
            }
            let ids: Vec<Option<String>> = if with_ids {
                (0..n)
                    .map(
                        |i| if next(3) == 0 { None } else { Some(format!("e{}", next(1_000_000) * 10_000 + i as u64)) },
                    )
                    .collect()
            } else {
                Vec::new()
            };
            let raw = RawEvents {
                collaborators: vec!["c".into(); 7],
                types: vec!["manual".into(), "t".into()],
                collaborator: (0..n).map(|i| (i % 7) as u32).collect(),
                kind: (0..n).map(|i| (i % 2) as u16).collect(),
                at_ms: at.clone(),
                points: (0..n).map(|i| if i % 2 == 0 { i as i64 } else { -1 }).collect(),
                ids: ids.clone(),
            };
            let events = sort_events(raw, &|i| Pointer::root().index(i)).expect("sorts");
            let label = |i: usize| ids.get(i).cloned().flatten().unwrap_or_else(|| format!("/events/{i}"));
            let mut expected: Vec<usize> = (0..n).collect();
            expected
                .sort_by(|a, b| at[*a].cmp(&at[*b]).then_with(|| compare_ids(&label(*a), &label(*b))).then(a.cmp(b)));
            let input: Vec<usize> = events.input.iter().map(|i| *i as usize).collect();
            assert_eq!(input, expected, "case {case}");
            for (position, i) in expected.iter().enumerate() {
                assert_eq!(events.at_ms[position], at[*i], "case {case}");
                assert_eq!(events.collaborator[position], (*i % 7) as u32, "case {case}");
                assert_eq!(events.kind[position], (*i % 2) as u16, "case {case}");
                assert_eq!(events.points[position], if i % 2 == 0 { *i as i64 } else { -1 }, "case {case}");
                let rank = events.label_rank[position];
                assert_eq!(events.by_label[rank as usize] as usize, position, "case {case}");
            }
            let mut ranks = events.label_rank.clone();
            ranks.sort_unstable();
            assert!(ranks.iter().enumerate().all(|(r, x)| r as u32 == *x), "case {case}");
        }
    }
}
