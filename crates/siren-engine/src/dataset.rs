//! The bulk path: events and transactions loaded once into compact columns, then previewed
//! and simulated as often as the caller likes (new weights, another `at`, another tie policy)
//! without reading or interning them again.
//!
//! Events are held in input order, as the caller's columns (collaborator and type indexes into
//! interned tables, the instant in milliseconds, manual points): loading is one validating
//! pass over them, with no further copy and no sort, noting each block's span of instants.
//! Scoring a period counts in one pass (skipping blocks wholly outside the window) what each
//! event does under the period's `Rules` (per version, collaborator and type), then weighs the
//! counts with the points per type; the only results that depend on order (the first listed
//! event ids, which event overflows a score) are found afterwards by ordering just the events
//! they concern by (instant, label). A handle keeps the last preview's counts, listed ids and
//! revenue with what each depends on, so a preview that changes only the weights re-weighs them.
//! Transactions loaded as columns stay columns; a preview's revenue comes from them directly
//! (`column_revenue`), and they are built as `Transaction`s once, when a pass needs them.
//!
//! Invariant: for the same records, `Dataset::preview` and `Dataset::simulate` give exactly
//! the output of `preview::preview_scores` and `simulate::simulate` (the same cycle code runs
//! after scoring; tests compare the bytes on the shared case files). A failed load leaves the
//! previously loaded data untouched.

use crate::amount::{is_safe_whole, MAX_SAFE_INTEGER};
use crate::column_revenue;
use crate::compare::{self, Comparison};
use crate::config::{Compiler, ConfigHistory, LineItemFilters};
use crate::diagnostics::{Code, EngineError, Pointer};
use crate::limits;
use crate::model::{self, compare_ids, Collaborator, CollaboratorStatus, Transaction, MANUAL};
use crate::money::Units;
use crate::pool::{self, PoolResult};
use crate::preview::{self, CycleExtras, Preview, PreviewRequest};
use crate::scoring::{
    self, checked_score, keep_first, CollaboratorScore, IdList, IgnoreReason, Period, Scores, MAX_LISTED_COLLABORATORS,
    MAX_LISTED_IDS,
};
use crate::simulate::{self, Simulation};
use crate::time::Zone;
use crate::transaction_columns::{self, TransactionColumns, TransactionTable};
use chrono::{DateTime, FixedOffset};
use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde_json::Value;
use std::cell::{OnceCell, RefCell};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::rc::Rc;

/// The largest absolute instant accepted in `occurredAtMs` (JS `Date`'s range, ±10^8 days; below
/// 2^53, so every accepted instant is exact in an `f64`, and wider than chrono's ±262,143 years).
const MAX_ABS_MS: f64 = 8.64e15;

/// Events given as columns (what the JS `Engine.loadEventsColumns` passes through). Owned, so
/// the loaded events are these vectors, validated in place.
#[derive(Debug, Clone, Default)]
pub struct EventColumns {
    /// Per event: a position in `collaborator_ids`.
    pub collaborator_index: Vec<u32>,
    /// Per event: a position in `type_names`.
    pub type_index: Vec<u16>,
    /// Per event: the instant in milliseconds since 1970-01-01T00:00Z (whole numbers).
    pub occurred_at_ms: Vec<f64>,
    /// Per event: a manual credit's own points, or NaN for none (only `manual` events may
    /// carry points). `None`: no event carries points.
    pub points: Option<Vec<f64>>,
    pub collaborator_ids: Vec<String>,
    pub type_names: Vec<String>,
    /// Per event: its id, or `None` (labelled `/events/<i>`). `None`: no event has an id.
    pub event_ids: Option<Vec<Option<String>>>,
}

/// Loaded events, in input order: position `i` is the input's event `i`.
#[derive(Debug, Clone, Default)]
struct Events {
    collaborators: Vec<String>,
    types: Vec<String>,
    collaborator: Vec<u32>,
    kind: Vec<u16>,
    /// Whole milliseconds (exact in an `f64`, see `MAX_ABS_MS`; -0 compares equal to 0).
    at_ms: Vec<f64>,
    /// Manual points, NaN for none; empty when no event carries points.
    points: Vec<f64>,
    /// Ids by position; empty when no event has an id.
    ids: Vec<Option<String>>,
    /// With ids: each position's rank in label order (`compare_ids` of the labels) and the
    /// positions in that order. Empty without ids: the labels `/events/<i>` order by the
    /// decimal text of `i` (`cmp_decimal`).
    label_rank: Vec<u32>,
    by_label: Vec<u32>,
    /// The earliest and latest instant of each block of `EVENT_BLOCK` events, in order.
    block_span: Vec<(f64, f64)>,
}

/// Events per block of `Events::block_span`.
const EVENT_BLOCK: usize = 4096;

/// The span of no instant, which `widen` widens.
const EMPTY_SPAN: (f64, f64) = (f64::INFINITY, f64::NEG_INFINITY);

/// The span `(earliest, latest)` widened to include `t` (never NaN).
fn widen((earliest, latest): (f64, f64), t: f64) -> (f64, f64) {
    (earlier(earliest, t), later(latest, t))
}

/// A handle's loaded records. See the module documentation.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    events: Events,
    /// The last preview's counts, reused while the events and the rules stay the same.
    counts: Kept<Rules, Counts>,
    /// The last preview's revenue, reused while the transactions and what it depends on stay
    /// the same.
    revenue: Kept<RevenueKey, PoolResult>,
    /// Transactions loaded as columns, kept so: a preview's revenue is computed from them
    /// directly when it can be (`column_revenue`).
    table: Option<TransactionTable>,
    /// Sorted by (occurredAt, id), the order revenue is computed in: as loaded from JSON, or
    /// built from `table` the first time a pass needs them.
    transactions: OnceCell<Vec<Transaction>>,
    /// The transactions' sale and refund instants, sorted: built by the first simulation after
    /// a load (sorting them was a sixth of simulating a year over 500,000 transactions). Of
    /// `table`'s positions when it is loaded, else of `transactions`'.
    transaction_index: Kept<(), pool::TransactionIndex>,
}

/// Everything a cycle's revenue depends on besides the transactions (`pool::revenue_since_last_
/// distribution`): the period, each version's boundary, percentage (its text: the scale shows in
/// the explanation), compilers and filters, the units and the zone the explanation is written in.
/// Not the points per type, the eligible collaborators or the roster.
#[derive(Debug, Clone, PartialEq)]
struct RevenueKey {
    window: (DateTime<FixedOffset>, DateTime<FixedOffset>),
    cutoff: DateTime<FixedOffset>,
    versions: Vec<VersionRevenue>,
    units: Units,
    zone: Zone,
}

/// A version's boundary, percentage text, compilers and filters.
type VersionRevenue = (Option<DateTime<FixedOffset>>, String, Vec<Compiler>, LineItemFilters);

impl RevenueKey {
    fn of(request: &PreviewRequest) -> Self {
        let period = request.period();
        RevenueKey {
            window: (period.window.start, period.window.end),
            cutoff: period.cutoff,
            versions: request
                .config
                .versions
                .iter()
                .map(|v| {
                    let percentage = v.revenue_percentage.to_string();
                    (v.effective_from, percentage, v.transaction_compilers.clone(), v.line_item_filters.clone())
                })
                .collect(),
            units: request.distributor.units.clone(),
            zone: request.zone,
        }
    }
}

/// What the last preview computed, with the key it depends on (dropped when the records are
/// replaced).
type Kept<K, V> = RefCell<Option<Rc<(K, V)>>>;

/// The value kept in `slot` when its key equals `key` (a new preview that changes only the
/// weights), else `compute(&key)`, then kept.
fn kept_or_computed<K: PartialEq, V, E>(
    slot: &Kept<K, V>,
    key: K,
    compute: impl FnOnce(&K) -> Result<V, E>,
) -> Result<Rc<(K, V)>, E> {
    let kept = slot.try_borrow().ok().and_then(|kept| kept.as_ref().filter(|kept| kept.0 == key).cloned());
    if let Some(kept) = kept {
        return Ok(kept);
    }
    let value = compute(&key)?;
    let fresh = Rc::new((key, value));
    if let Ok(mut slot) = slot.try_borrow_mut() {
        *slot = Some(Rc::clone(&fresh));
    }
    Ok(fresh)
}

/// Which events a period's scoring reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Every loaded event (a preview: events outside the window are reported as ignored).
    All,
    /// Only the events in the window (a simulation cycle).
    Window,
}

/// What one event does in a period.
#[derive(Debug, Clone, Copy)]
enum Judged {
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

impl Dataset {
    pub fn new() -> Self {
        Dataset::default()
    }

    pub fn event_count(&self) -> usize {
        self.events.at_ms.len()
    }

    pub fn transaction_count(&self) -> usize {
        self.table.as_ref().map_or_else(|| self.transactions().len(), TransactionTable::len)
    }

    /// Replaces the events with `columns`. Errors locate the bad value in its column
    /// (`/events/occurredAtMs/12`); on error the loaded events are unchanged.
    pub fn load_event_columns(&mut self, columns: EventColumns) -> Result<(), EngineError> {
        let events = Pointer::root().key("events");
        let count = columns.collaborator_index.len();
        limits::check_count(count, limits::MAX_BULK_EVENTS, "events", &events.key("collaboratorIndex"))?;
        let ids = columns.collaborator_ids.len();
        limits::check_count(ids, limits::MAX_COLLABORATORS, "collaborators", &events.key("collaboratorIds"))?;
        limits::check_ids(columns.collaborator_ids.iter().map(String::as_str), &events.key("collaboratorIds"))?;
        limits::check_ids(columns.type_names.iter().map(String::as_str), &events.key("typeNames"))?;
        if let Some(ids) = &columns.event_ids {
            limits::check_ids(ids.iter().map(|id| id.as_deref().unwrap_or_default()), &events.key("eventIds"))?;
        }
        self.events = read_columns(columns)?;
        self.counts = RefCell::default();
        Ok(())
    }

    /// Replaces the events with a JSON array of event objects (the object path's shape), read
    /// one element at a time. Errors have the object path's paths (`/events/12/occurredAt`).
    pub fn load_events_json(&mut self, text: &[u8]) -> Result<(), EngineError> {
        let path = Pointer::root().key("events");
        let mut events = Events::default();
        let mut collaborators: HashMap<String, u32> = HashMap::new();
        let mut types: HashMap<String, u16> = HashMap::new();
        let mut seen = HashSet::new();
        let mut any_id = false;
        let mut any_points = false;
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
            events.collaborator.push(collaborator);
            events.kind.push(kind);
            // Exact: chrono's instants are within ±2^53 ms.
            events.at_ms.push(event.occurred_at.timestamp_millis() as f64);
            any_points |= event.points.is_some();
            events.points.push(event.points.map_or(f64::NAN, |p| p as f64));
            events.ids.push(event.id);
            Ok(())
        })?;
        events.collaborators = table(collaborators);
        events.types = table(types);
        if !any_id {
            events.ids = Vec::new();
        }
        if !any_points {
            events.points = Vec::new();
        }
        // Duplicate ids were refused above, so this error is never returned.
        events.index(&|i| path.index(i).key("id"))?;
        self.events = events;
        self.counts = RefCell::default();
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
        self.table = None;
        self.transactions = OnceCell::from(pool::in_revenue_order(&transactions));
        self.revenue = RefCell::default();
        self.transaction_index = RefCell::default();
        Ok(())
    }

    /// Replaces the transactions with `columns` (see `transaction_columns`); on error the
    /// loaded transactions are unchanged.
    pub fn load_transaction_columns(&mut self, columns: TransactionColumns) -> Result<(), EngineError> {
        self.table = Some(transaction_columns::read(columns)?);
        self.transactions = OnceCell::new();
        self.revenue = RefCell::default();
        self.transaction_index = RefCell::default();
        Ok(())
    }

    /// The loaded transactions in revenue order, built from the columns if they were loaded so.
    fn transactions(&self) -> &[Transaction] {
        self.transactions.get_or_init(|| self.table.as_ref().map(TransactionTable::transactions).unwrap_or_default())
    }

    /// `previewScores` over the loaded records: `input` is a preview input without `events`
    /// and `transactions`.
    pub fn preview(&self, input: &Value) -> Result<Preview, EngineError> {
        limits::check(input)?;
        let request = preview::read_request_without_records(input)?;
        let scores =
            self.score(&request.period(), &request.config, request.collaborators.as_deref(), Scope::All, request.top)?;
        let revenue = kept_or_computed(&self.revenue, RevenueKey::of(&request), |_| {
            let from_columns = self.table.as_ref().and_then(|table| {
                column_revenue::cycle_revenue(&request, table, &(0..table.len()).collect::<Vec<_>>())
            });
            from_columns.map_or_else(|| preview::cycle_revenue(&request, self.transactions().iter().collect()), Ok)
        })?;
        preview::run_cycle_scored(&request, scores, &revenue.1, &CycleExtras::default())
    }

    /// `simulate` over the loaded records: `input` is a simulate input without `events` and
    /// `transactions`.
    pub fn simulate(&self, input: &Value) -> Result<Simulation, EngineError> {
        limits::check(input)?;
        let request = simulate::read_request_without_records(input)?;
        let score = |period: &Period| {
            self.score(period, &request.config, request.collaborators.as_deref(), Scope::Window, request.top)
        };
        let index = kept_or_computed(&self.transaction_index, (), |_| {
            Ok::<_, EngineError>(match &self.table {
                Some(table) => table.index(),
                None => pool::TransactionIndex::new(self.transactions()),
            })
        })?;
        let revenue = |cycle: &PreviewRequest| {
            let Some(table) = &self.table else {
                return preview::cycle_revenue(cycle, index.1.in_window(self.transactions(), &cycle.window));
            };
            let positions = index.1.positions_in(&cycle.window);
            match column_revenue::cycle_revenue(cycle, table, &positions) {
                Some(revenue) => Ok(revenue),
                None => {
                    // The same transactions, built and in revenue order.
                    let built: Vec<Transaction> = positions.iter().filter_map(|&t| table.transaction(t)).collect();
                    let mut ordered: Vec<&Transaction> = built.iter().collect();
                    pool::sort_for_revenue(&mut ordered);
                    preview::cycle_revenue(cycle, ordered)
                }
            }
        };
        simulate::run_with(&request, &score, &revenue)
    }

    /// `compare` over the loaded records: `input` is `{base, variant}` with a simulate input
    /// without `events` and `transactions` as `base`.
    pub fn compare(&self, input: &Value) -> Result<Comparison, EngineError> {
        limits::check(input)?;
        compare::compare_with(input, &|simulate_input| self.simulate(simulate_input))
    }

    /// Scores `period` exactly as `scoring::score` scores the same events: first what each
    /// event does, which the weights do not change (`Counts`; a preview keeps them for the next
    /// preview under the same rules), then the points under this configuration's weights.
    /// With `top`, only the first `top` collaborators in leaderboard order get their per-type
    /// `breakdown` and `eventCounts` (all that a listed preview shows).
    fn score(
        &self,
        period: &Period,
        config: &ConfigHistory,
        roster: Option<&[Collaborator]>,
        scope: Scope,
        top: Option<u64>,
    ) -> Result<Scores, EngineError> {
        let ev = &self.events;
        let rules = Rules::new(ev, period, config, roster)?;
        let kept = match scope {
            Scope::All => kept_or_computed(&self.counts, rules, |rules| Ok::<_, EngineError>(ev.count(rules, scope)))?,
            Scope::Window => {
                let counts = ev.count(&rules, scope);
                Rc::new((rules, counts))
            }
        };
        let (rules, counts) = (&kept.0, &kept.1);
        // Points per version (`Rules::versions`) and counted type column.
        let weights: Vec<Vec<i64>> = config
            .versions
            .iter()
            .map(|v| {
                let name = |k: &usize| ev.types.get(*k).map_or("", String::as_str);
                rules.counted_kinds.iter().map(|k| v.engagement_types.get(name(k)).copied().unwrap_or(0)).collect()
            })
            .collect();

        let people = ev.collaborators.len();
        let kinds = rules.counted_kinds.len();
        let mut total: i64 = 0;
        let mut overflow = false;
        let mut scored: Vec<CollaboratorScore> = Vec::new();
        // Who each of `scored` is (the position of their id in the loaded columns).
        let mut scored_index: Vec<usize> = Vec::new();
        // Per collaborator and counted type: (events, points). The per-type maps are filled
        // from it once the order is known, for the listed collaborators only: a map per
        // collaborator was most of a re-preview's allocations.
        let mut per_type = vec![(0usize, 0i64); people * kinds];
        for (c, id) in ev.collaborators.iter().enumerate() {
            let mut score = scoring::empty_score(id);
            let (mut count, mut first_ms, mut last_scoring_ms) = (0, f64::INFINITY, f64::NEG_INFINITY);
            for slot in 0..kinds {
                let (mut events, mut points) = (0usize, 0i64);
                for segment in 0..rules.segments {
                    let Some(cell) = counts.cells.get((segment * people + c) * kinds + slot).filter(|x| x.events > 0)
                    else {
                        continue;
                    };
                    let version = rules.first_version + segment;
                    let weight = weights.get(version).and_then(|w| w.get(slot)).copied().unwrap_or(0);
                    // Sums of points never negative: none can pass 2^53 − 1 unless the total does.
                    let configured = weight.checked_mul((cell.events - cell.own_events) as i64);
                    match configured.and_then(|x| x.checked_add(cell.own_points)).and_then(|x| x.checked_add(points)) {
                        Some(sum) => points = sum,
                        None => overflow = true,
                    }
                    events += cell.events;
                    first_ms = earlier(first_ms, cell.first_ms);
                    last_scoring_ms = later(last_scoring_ms, cell.last_own_scoring_ms);
                    if weight != 0 {
                        last_scoring_ms = later(last_scoring_ms, cell.last_configured_ms);
                    }
                }
                if events > 0 {
                    score.score = score.score.saturating_add(points);
                    if let Some(entry) = per_type.get_mut(c * kinds + slot) {
                        *entry = (events, points);
                    }
                    count += events;
                }
            }
            if count == 0 {
                continue;
            }
            total = total.saturating_add(score.score);
            // Ids are listed below, for the top of the leaderboard.
            score.events = IdList { count, ids: Vec::new(), truncated: count > MAX_LISTED_IDS };
            // The running score last changed at the last event that scored points (points are
            // never negative); with none, it stood at its final 0 from the first event.
            let reached = if last_scoring_ms.is_finite() { last_scoring_ms } else { first_ms };
            score.reached_at = from_ms(reached as i64);
            scored_index.push(c);
            scored.push(score);
        }
        if overflow || total > MAX_SAFE_INTEGER {
            return Err(ev.overflow_error(rules, &weights));
        }
        let (mut scores, came_from) = scoring::assemble(scored, counts.lists.clone(), total, period, config, roster);
        // A leaderboard place's collaborator, when they counted events.
        let index_at = |place: usize| came_from.get(place).and_then(|&i| scored_index.get(i)).copied();
        for (place, score) in scores.collaborators.iter_mut().enumerate().take(preview::listed_count(top)) {
            let Some(c) = index_at(place) else { continue };
            let row = per_type.get(c * kinds..(c + 1) * kinds).unwrap_or_default();
            for (&(events, points), k) in row.iter().zip(&rules.counted_kinds).filter(|((events, _), _)| *events > 0) {
                let name = ev.types.get(*k).cloned().unwrap_or_default();
                score.breakdown.insert(name.clone(), points);
                score.event_counts.insert(name, events);
            }
        }

        // Event ids for the collaborators at the top; the next ones down are listed in the
        // same pass, as other weights may lift them to the top.
        let leaders: Vec<usize> = scores
            .collaborators
            .iter()
            .enumerate()
            .take(LISTING_AHEAD * MAX_LISTED_COLLABORATORS)
            .filter(|(_, c)| c.events.count > 0)
            .filter_map(|(place, _)| index_at(place))
            .collect();
        let (top, next) = leaders.split_at(leaders.len().min(MAX_LISTED_COLLABORATORS));
        let lists = counts.listed_ids(ev, rules, top, next);
        let top = scores.collaborators.iter_mut().take(MAX_LISTED_COLLABORATORS).filter(|c| c.events.count > 0);
        for (c, ids) in top.zip(lists) {
            c.events.ids = ids;
        }
        Ok(scores)
    }
}

/// A period's rules as tables over the loaded indexes: the window in whole milliseconds, who
/// may earn, and which types count under each configuration version. Not the weights: two
/// previews that differ only in points per type have equal `Rules`, and count the same.
#[derive(Debug, Clone, PartialEq)]
struct Rules {
    /// An event at ms t is in the window iff start <= t < end (the bounds rounded up to whole
    /// milliseconds), and has happened iff t <= cutoff (rounded down). Every bound is within
    /// chrono's range, so exact in an f64 (see `MAX_ABS_MS`).
    start: f64,
    end: f64,
    cutoff: f64,
    /// Per collaborator, when a roster is given: why its events never count (unknown, inactive).
    standing: Option<Vec<Option<IgnoreReason>>>,
    /// The types some version gives points to (loaded type indexes): counts and version
    /// tables hold a column for each of these only, and `counted_slot` maps a type to its column.
    counted_kinds: Vec<usize>,
    counted_slot: Vec<Option<usize>>,
    /// Sorted by `from_ms`.
    versions: Vec<VersionRules>,
    /// The versions an event counted in this period can fall under: `segments` of them from
    /// `first_version` (usually one).
    first_version: usize,
    segments: usize,
    manual: Option<usize>,
    /// When every event the window counts falls under one version with no
    /// `eligibleCollaborators`, and no roster is given (most previews): per loaded type, its
    /// counted column under that version, or `NOT_COUNTED`. Counting then judges an event
    /// with one lookup (`Events::count`).
    one_version: Option<Vec<u32>>,
}

/// A type the version in effect gives no points (`Rules::one_version`).
const NOT_COUNTED: u32 = u32::MAX;

/// One configuration version, as tables indexed by the loaded collaborator indexes and the
/// counted types' columns.
#[derive(Debug, Clone, PartialEq)]
struct VersionRules {
    from_ms: f64,
    /// Per counted type column: whether this version gives the type points.
    configured: Vec<bool>,
    /// Per collaborator, whether the version's `eligibleCollaborators` lists it; `None`
    /// without that list.
    eligible: Option<Vec<bool>>,
}

impl VersionRules {
    /// A type's counted column (`Rules::counted_slot`), when this version gives the type points.
    fn column(&self, slot: Option<usize>) -> Option<usize> {
        slot.filter(|s| self.configured.get(*s).copied().unwrap_or(false))
    }
}

impl Rules {
    fn new(
        events: &Events,
        period: &Period,
        config: &ConfigHistory,
        roster: Option<&[Collaborator]>,
    ) -> Result<Self, EngineError> {
        let counted_kinds: Vec<usize> = (0..events.types.len())
            .filter(|k| {
                let name = events.types.get(*k).map_or("", String::as_str);
                config.versions.iter().any(|v| v.engagement_types.contains_key(name))
            })
            .collect();
        let mut counted_slot = vec![None; events.types.len()];
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
        let people = events.collaborators.len();
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
                .collaborators
                .iter()
                .map(|id| match by_id.get(id.as_str()) {
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
                    .map(|k| events.types.get(*k).is_some_and(|t| v.engagement_types.contains_key(t)))
                    .collect(),
                eligible: v.eligible_collaborators.as_ref().map(|ids| {
                    let ids: HashSet<&str> = ids.iter().map(String::as_str).collect();
                    events.collaborators.iter().map(|c| ids.contains(c.as_str())).collect()
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
            manual: events.types.iter().position(|t| t == MANUAL),
            one_version,
        })
    }

    fn in_window(&self, t: f64) -> bool {
        self.start <= t && t < self.end
    }

    /// What event `p` does: the checks of `scoring::judge`, in its order, on the tables.
    #[inline(always)]
    fn judge(&self, ev: &Events, p: usize) -> Judged {
        // The instant first: most events a cycle of a long history judges are outside it.
        let Some(&at) = ev.at_ms.get(p).filter(|at| self.in_window(**at)) else { return Judged::OutsideWindow };
        if at > self.cutoff {
            return Judged::NotYetOccurred;
        }
        let (Some(&c), Some(&k)) = (ev.collaborator.get(p), ev.kind.get(p)) else { return Judged::OutsideWindow };
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
    fn own_points(&self, ev: &Events, p: usize, k: usize) -> Option<i64> {
        let own = if Some(k) == self.manual { ev.points.get(p).copied().unwrap_or(f64::NAN) } else { f64::NAN };
        (own >= 0.0).then_some(own as i64)
    }
}

/// What the events of a period do under some `Rules`, whatever the weights: a cell per
/// (version in the window, collaborator, counted type), indexed by (segment × collaborators +
/// collaborator) × counted types + column, and the lists of what was not counted.
#[derive(Debug)]
struct Counts {
    cells: Vec<CountCell>,
    lists: BTreeMap<IgnoreReason, IdList>,
    /// Event ids listed so far, by collaborator index (`listed_ids`).
    listed: RefCell<HashMap<usize, Vec<String>>>,
}

/// How many times `MAX_LISTED_COLLABORATORS` collaborators, from the top of the leaderboard,
/// have their event ids listed by one pass over the events (see `Counts::listed_ids`).
const LISTING_AHEAD: usize = 2;

impl Counts {
    /// The ids each collaborator of `wanted` has listed: its first `MAX_LISTED_IDS` counted
    /// events in (instant, label) order. They do not depend on the weights, so they are kept
    /// with the counts; one pass over the events lists every collaborator of `wanted` not
    /// listed yet, and those of `also` (likely wanted after a small change of weights).
    fn listed_ids(&self, ev: &Events, rules: &Rules, wanted: &[usize], also: &[usize]) -> Vec<Vec<String>> {
        let mut fresh = HashMap::new();
        let mut kept = self.listed.try_borrow_mut();
        let listed = match kept.as_deref_mut() {
            Ok(kept) => kept,
            Err(_) => &mut fresh,
        };
        if wanted.iter().any(|c| !listed.contains_key(c)) {
            const UNLISTED: usize = usize::MAX;
            let mut slot_of = vec![UNLISTED; ev.collaborators.len()];
            let mut slots: Vec<usize> = Vec::new();
            for c in wanted.iter().chain(also) {
                if let Some(slot) = slot_of.get_mut(*c).filter(|s| **s == UNLISTED && !listed.contains_key(c)) {
                    *slot = slots.len();
                    slots.push(*c);
                }
            }
            let mut positions: Vec<Vec<usize>> = vec![Vec::new(); slots.len()];
            for (b, block) in ev.collaborator.chunks(EVENT_BLOCK).enumerate() {
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

/// The earlier of two instants (ms; never NaN, checked at load). `f64::min` is NaN-aware, which
/// wasm's `f64.min` is not, so in wasm it is a call to `fmin` (a fifteenth of a counting pass).
#[inline(always)]
fn earlier(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}

/// The later of two instants (see `earlier`).
#[inline(always)]
fn later(a: f64, b: f64) -> f64 {
    if b > a {
        b
    } else {
        a
    }
}

/// The counted events of one collaborator and type under one version: everything the counting
/// pass touches for an event is in this one place.
#[derive(Debug, Clone, Copy)]
struct CountCell {
    events: usize,
    /// Earliest counted instant; +∞ for none.
    first_ms: f64,
    /// Latest instant of an event worth the configured points; -∞ for none.
    last_configured_ms: f64,
    /// Manual credits with their own points: how many, their sum (saturating: past 2^53 − 1 it
    /// is an overflow anyway), and the latest instant of one worth more than 0.
    own_events: usize,
    own_points: i64,
    last_own_scoring_ms: f64,
}

impl CountCell {
    /// Counts an event at `at`, with a manual credit's own points if it has them.
    #[inline(always)]
    fn add(&mut self, at: f64, own: Option<i64>) {
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
    fn count(&self, rules: &Rules, scope: Scope) -> Counts {
        let (people, kinds) = (self.collaborators.len(), rules.counted_kinds.len());
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
        for (b, block) in self.at_ms.chunks(EVENT_BLOCK).enumerate() {
            if self.outside_block(b, rules) {
                outside += block.len();
                continue;
            }
            let first = b * EVENT_BLOCK;
            if let Some(columns) = &rules.one_version {
                // `judge`'s checks in its order, when one version decides every event: a
                // quarter of the pass faster than judging each event in general.
                let cs = self.collaborator.get(first..).unwrap_or_default();
                let ks = self.kind.get(first..).unwrap_or_default();
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
    fn overflow_error(&self, rules: &Rules, weights: &[Vec<i64>]) -> EngineError {
        let mut counted: Vec<(usize, usize, i64)> = (0..self.at_ms.len())
            .filter_map(|p| match rules.judge(self, p) {
                Judged::Counted { collaborator, slot, version, own } => {
                    let configured = weights.get(version).and_then(|w| w.get(slot)).copied().unwrap_or(0);
                    Some((p, collaborator, own.unwrap_or(configured)))
                }
                _ => None,
            })
            .collect();
        counted.sort_by(|a, b| self.cmp_instants_then_labels(a.0, b.0));
        let mut scores = vec![0i64; self.collaborators.len()];
        let mut total = 0i64;
        for (p, c, points) in counted {
            let path = Pointer::root().key("events").index(p);
            let whose = self.collaborators.get(c).map_or("", String::as_str);
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
    fn outside_block(&self, b: usize, rules: &Rules) -> bool {
        self.block_span.get(b).is_some_and(|(min, max)| *max < rules.start || *min >= rules.end)
    }

    fn label(&self, position: usize) -> String {
        match self.ids.get(position) {
            Some(Some(id)) => id.clone(),
            _ => format!("/events/{position}"),
        }
    }

    /// Label order (`compare_ids` of the labels) of two positions.
    fn cmp_labels(&self, a: usize, b: usize) -> Ordering {
        match (self.label_rank.get(a), self.label_rank.get(b)) {
            (Some(x), Some(y)) => x.cmp(y),
            _ => cmp_decimal(a as u64, b as u64),
        }
    }

    /// The order events are taken in: (instant, label).
    fn cmp_instants_then_labels(&self, a: usize, b: usize) -> Ordering {
        let at = |p: usize| self.at_ms.get(p).copied().unwrap_or(0.0);
        at(a).partial_cmp(&at(b)).unwrap_or(Ordering::Equal).then_with(|| self.cmp_labels(a, b))
    }

    /// Positions in label order.
    fn in_label_order(&self) -> Box<dyn Iterator<Item = usize> + '_> {
        if self.by_label.is_empty() {
            Box::new(DecimalOrder::new(self.at_ms.len()))
        } else {
            Box::new(self.by_label.iter().map(|p| *p as usize))
        }
    }

    /// The ids of the events at these positions, in label order, capped.
    fn list_positions(&self, mut positions: Vec<u32>) -> IdList {
        let count = positions.len();
        keep_first(&mut positions, MAX_LISTED_IDS, |a, b| self.cmp_labels(*a as usize, *b as usize));
        IdList {
            count,
            ids: positions.iter().map(|p| self.label(*p as usize)).collect(),
            truncated: count > MAX_LISTED_IDS,
        }
    }

    /// The ids of the `count` events whose instant `matches`, in label order, capped. A large
    /// set is read by walking the label order until enough are found.
    fn list_where(&self, count: usize, matches: impl Fn(f64) -> bool) -> IdList {
        let hit = |p: usize| self.at_ms.get(p).is_some_and(|t| matches(*t));
        if count.saturating_mul(16) < self.at_ms.len() {
            return self.list_positions((0..self.at_ms.len()).filter(|p| hit(*p)).map(|p| p as u32).collect());
        }
        let ids = self.in_label_order().filter(|p| hit(*p)).take(MAX_LISTED_IDS).map(|p| self.label(p)).collect();
        IdList { count, ids, truncated: count > MAX_LISTED_IDS }
    }

    /// Computes the label order when events have ids (refusing a repeated id, located by
    /// `duplicate_path` from its position); without ids there is nothing to compute.
    /// Completes loaded events: the label order (refusing a repeated id, located by
    /// `duplicate_path` from its position) and the span of each block.
    fn index(&mut self, duplicate_path: &dyn Fn(usize) -> Pointer) -> Result<(), EngineError> {
        if self.block_span.len() != self.at_ms.len().div_ceil(EVENT_BLOCK) {
            self.block_span = self
                .at_ms
                .chunks(EVENT_BLOCK)
                .map(|block| block.iter().fold(EMPTY_SPAN, |s, t| widen(s, *t)))
                .collect();
        }
        self.order_labels(duplicate_path)
    }

    fn order_labels(&mut self, duplicate_path: &dyn Fn(usize) -> Pointer) -> Result<(), EngineError> {
        if self.ids.is_empty() {
            self.label_rank = Vec::new();
            self.by_label = Vec::new();
            return Ok(());
        }
        let n = self.at_ms.len();
        let labels: Vec<String> = (0..n).map(|i| self.label(i)).collect();
        let label = |i: u32| labels.get(i as usize).map_or("", String::as_str);
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by(|a, b| compare_ids(label(*a), label(*b)).then_with(|| a.cmp(b)));
        // Equal ids sort next to each other; the first repeat in input order is the error.
        let has_id = |i: u32| matches!(self.ids.get(i as usize), Some(Some(_)));
        let repeat = order
            .windows(2)
            .filter_map(|w| match w {
                [a, b] if has_id(*a) && has_id(*b) && label(*a) == label(*b) => Some(*b as usize),
                _ => None,
            })
            .min();
        if let Some(i) = repeat {
            return Err(EngineError::new(
                Code::EventsDuplicateId,
                &duplicate_path(i),
                format!("Event id `{}` appears more than once.", self.label(i)),
            ));
        }
        self.label_rank = inverse(&order);
        self.by_label = order;
        Ok(())
    }
}

fn read_columns(columns: EventColumns) -> Result<Events, EngineError> {
    let root = Pointer::root().key("events");
    let EventColumns {
        mut collaborator_index,
        mut type_index,
        occurred_at_ms,
        points,
        collaborator_ids,
        type_names,
        event_ids,
    } = columns;
    let n = occurred_at_ms.len();
    same_lengths(
        &root,
        "event",
        ("occurredAtMs", n),
        &[
            ("collaboratorIndex", Some(collaborator_index.len())),
            ("typeIndex", Some(type_index.len())),
            ("points", points.as_ref().map(Vec::len)),
            ("eventIds", event_ids.as_ref().map(Vec::len)),
        ],
    )?;
    if n > u32::MAX as usize - 1 {
        return Err(EngineError::new(
            Code::InputTooLarge,
            &root.key("occurredAtMs"),
            "The bulk path holds fewer than 2^32 events.",
        ));
    }

    // Tables: the same id twice is one collaborator (one type), under its first index.
    let mut collaborators: HashMap<String, u32> = HashMap::new();
    let mut collaborator_map = Vec::with_capacity(collaborator_ids.len());
    for (i, id) in collaborator_ids.into_iter().enumerate() {
        if id.is_empty() {
            return Err(EngineError::new(
                Code::PreviewInvalidId,
                &root.key("collaboratorIds").index(i),
                "A collaborator id must not be empty.",
            ));
        }
        let next = collaborators.len() as u32;
        collaborator_map.push(*collaborators.entry(id).or_insert(next));
    }
    let mut types: HashMap<String, u16> = HashMap::new();
    let mut type_map = Vec::with_capacity(type_names.len());
    for (i, name) in type_names.into_iter().enumerate() {
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
        type_map.push(*types.entry(name).or_insert(next));
    }
    let manual = types.get(MANUAL).copied();

    // One pass, in sequence, mapping the indexes to interned ones in place (the lengths are
    // equal, checked above); an error is built only when a value is bad.
    // Block by block, so each block's span is read from cache right after its checks (a
    // second pass over the instants cost a tenth of a 10M-event load in wasm).
    let mut block_span = Vec::with_capacity(n.div_ceil(EVENT_BLOCK));
    let blocks = collaborator_index
        .chunks_mut(EVENT_BLOCK)
        .zip(type_index.chunks_mut(EVENT_BLOCK))
        .zip(occurred_at_ms.chunks(EVENT_BLOCK));
    for (b, ((cs, ks), ts)) in blocks.enumerate() {
        for (offset, ((c, k), &t)) in cs.iter_mut().zip(ks.iter_mut()).zip(ts).enumerate() {
            let i = b * EVENT_BLOCK + offset;
            let (Some(&interned_c), Some(&interned_k)) = (collaborator_map.get(*c as usize), type_map.get(*k as usize))
            else {
                return Err(index_error(&root, i, *c, *k, collaborator_map.len(), type_map.len()));
            };
            if !is_whole_ms(t) {
                return Err(EngineError::new(
                    Code::TimeInvalidTimestamp,
                    &root.key("occurredAtMs").index(i),
                    "`occurredAtMs` must be a whole number of milliseconds since 1970-01-01T00:00Z (as `Date.getTime()` returns).",
                ));
            }
            *c = interned_c;
            *k = interned_k;
        }
        block_span.push(ts.iter().fold(EMPTY_SPAN, |span, t| widen(span, *t)));
    }
    let mut events = Events {
        collaborators: table(collaborators),
        types: table(types),
        collaborator: collaborator_index,
        kind: type_index,
        block_span,
        at_ms: occurred_at_ms,
        ..Events::default()
    };
    if let Some(points) = points {
        for (i, (&p, &k)) in points.iter().zip(&events.kind).enumerate() {
            if p.is_nan() {
                continue;
            }
            let at = || root.key("points").index(i);
            if Some(k) != manual {
                let kind = events.types.get(k as usize).map_or("", String::as_str);
                return Err(EngineError::new(
                    Code::EventsUnexpectedPoints,
                    &at(),
                    format!("Only `manual` credits carry `points`; a `{kind}` event is worth what the configuration says (use NaN for no points)."),
                ));
            }
            if !is_safe_whole(p) {
                return Err(EngineError::new(
                    Code::EventsInvalidPoints,
                    &at(),
                    format!("`points` must be a whole number from 0 to {MAX_SAFE_INTEGER}."),
                ));
            }
        }
        events.points = points;
    }
    if let Some(ids) = event_ids {
        if let Some(i) = ids.iter().position(|id| id.as_deref() == Some("")) {
            return Err(EngineError::new(
                Code::PreviewInvalidId,
                &root.key("eventIds").index(i),
                "`id` must not be empty.",
            ));
        }
        if ids.iter().any(Option::is_some) {
            events.ids = ids;
        }
    }
    events.index(&|i| root.key("eventIds").index(i))?;
    Ok(events)
}

/// Which index of event `i` is out of range (the collaborator's is reported first, as the
/// columns are read in that order).
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

/// Orders whole numbers as their decimal texts ("10" < "9"): the order of the labels
/// `/events/<i>` under `compare_ids` (they are not numbers, so bytewise). The longer text is cut
/// to the shorter's length; equal prefixes leave the shorter first.
fn cmp_decimal(a: u64, b: u64) -> Ordering {
    let digits = |x: u64| x.checked_ilog10().map_or(1, |l| l + 1);
    let (da, db) = (digits(a), digits(b));
    let cut = |x: u64, by: u32| x / 10u64.pow(by);
    cut(a, da.saturating_sub(db)).cmp(&cut(b, db.saturating_sub(da))).then(da.cmp(&db))
}

/// 0..n in the order of their decimal texts ("0", "1", "10", "100", "11", …, "2", …), one at
/// a time (a preorder walk of the decimal digit tree).
struct DecimalOrder {
    next: Option<u64>,
    max: u64,
}

impl DecimalOrder {
    fn new(n: usize) -> Self {
        DecimalOrder { next: (n > 0).then_some(0), max: (n as u64).saturating_sub(1) }
    }
}

impl Iterator for DecimalOrder {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        let current = self.next?;
        self.next = if current == 0 {
            (self.max >= 1).then_some(1)
        } else if current.saturating_mul(10) <= self.max {
            Some(current * 10)
        } else {
            let mut up = current;
            while up % 10 == 9 || up + 1 > self.max {
                up /= 10;
                if up == 0 {
                    break;
                }
            }
            (up != 0).then_some(up + 1)
        };
        Some(current as usize)
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

/// Every column of `others` that is given (`Some(length)`) has as many entries as `first`, one
/// per `entry` (event, transaction, line, refund); else `input.columnLength` at the column.
pub(crate) fn same_lengths(
    root: &Pointer,
    entry: &str,
    (first, n): (&str, usize),
    others: &[(&str, Option<usize>)],
) -> Result<(), EngineError> {
    for &(name, len) in others {
        if let Some(len) = len.filter(|len| *len != n) {
            return Err(EngineError::new(
                Code::InputColumnLength,
                &root.key(name),
                format!("`{name}` has {len} entries but `{first}` has {n}; every column has one entry per {entry}."),
            ));
        }
    }
    Ok(())
}

/// An instant column's value is whole and within range: the same test as `is_finite() &&
/// fract() == 0.0 && abs() <= MAX_ABS_MS` (MAX_ABS_MS < 2^63, so the cast is exact), without a
/// call to `trunc`.
#[inline]
pub(crate) fn is_whole_ms(t: f64) -> bool {
    (t as i64) as f64 == t && t.abs() <= MAX_ABS_MS
}

pub(crate) fn from_ms(ms: i64) -> Option<DateTime<FixedOffset>> {
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

    /// A block is skipped only when every instant in it is outside `[start, end)`: one ending
    /// exactly at `start` or beginning one millisecond before `end` is judged event by event.
    #[test]
    fn blocks_are_outside_only_when_wholly_outside() {
        let mut events = Events { at_ms: (0..3 * EVENT_BLOCK).map(|i| i as f64).collect(), ..Events::default() };
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

    #[test]
    fn decimal_order_is_label_order() {
        for n in [0usize, 1, 2, 9, 10, 11, 99, 100, 101, 1234] {
            let mut expected: Vec<usize> = (0..n).collect();
            expected.sort_by(|a, b| compare_ids(&format!("/events/{a}"), &format!("/events/{b}")));
            assert_eq!(DecimalOrder::new(n).collect::<Vec<_>>(), expected, "n = {n}");
            let mut by_cmp: Vec<usize> = (0..n).collect();
            by_cmp.sort_by(|a, b| cmp_decimal(*a as u64, *b as u64));
            assert_eq!(by_cmp, expected, "n = {n}");
        }
        assert_eq!(cmp_decimal(u64::MAX, 9), Ordering::Less);
        assert_eq!(cmp_decimal(0, 0), Ordering::Equal);
        assert_eq!(cmp_decimal(1, 10), Ordering::Less);
    }
}
