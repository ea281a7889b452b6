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
//! (`bulk::revenue`), and they are built as `Transaction`s once, when a pass needs them.
//!
//! Invariant: for the same records, `Engine::preview` and `Engine::simulate` give exactly
//! the output of `preview::preview_scores` and `simulate::simulate` (the same cycle code runs
//! after scoring; tests compare the bytes on the shared case files). A failed load leaves the
//! previously loaded data untouched.

pub(crate) mod columns;
pub use columns::{instants_ms, scaled_amounts};
mod count;
mod events;
mod json;
pub mod revenue;
pub mod transactions;
pub(crate) mod typed;

pub use events::EventColumns;
pub use transactions::{TransactionColumns, TransactionIds};

use columns::{earlier, from_ms, later};
use count::{Counts, Rules, Scope, LISTING_AHEAD};
use events::{read_columns, table, Events};
use json::for_each_element;
pub(crate) use json::split_records;

use crate::amount::MAX_SAFE_INTEGER;
use crate::compare::{self, Comparison};
use crate::config::{Compiler, ConfigHistory, LineItemFilters};
use crate::diagnostics::{Code, EngineError, Pointer};
use crate::limits;
use crate::model::{self, Collaborator, Transaction};
use crate::money::Units;
use crate::pool::{self, PoolResult};
use crate::preview::{self, CycleExtras, Preview, PreviewRequest};
use crate::scoring::{
    self, CollaboratorScore, IdList, PerType, Period, Scores, MAX_LISTED_COLLABORATORS, MAX_LISTED_IDS,
};
use crate::simulate::{self, Simulation};
use crate::time::Zone;
use chrono::{DateTime, FixedOffset};
use serde_json::Value;
use std::cell::{OnceCell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;
use transactions::TransactionTable;
use typed::Unread;

/// A handle's loaded records. See the module documentation.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    events: Events,
    /// The last preview's counts, reused while the events and the rules stay the same.
    counts: Kept<Rules, Counts>,
    /// The last preview's revenue, reused while the transactions and what it depends on stay
    /// the same.
    revenue: Kept<RevenueKey, PoolResult>,
    /// Transactions loaded as columns, kept so: a preview's revenue is computed from them
    /// directly when it can be (`bulk::revenue`).
    table: Option<TransactionTable>,
    /// Sorted by (occurredAt, id), the order revenue is computed in: as loaded from JSON, or
    /// built from `table` the first time a pass needs them.
    transactions: OnceCell<Vec<Transaction>>,
    /// The transactions' sale and refund instants, sorted: built by the first simulation after
    /// a load and kept, so later simulations do not sort them again. Of `table`'s positions
    /// when it is loaded, else of `transactions`'.
    transaction_index: Kept<(), pool::TransactionIndex>,
    /// The bytes of the loaded events and transactions, as the handle's budget counts them
    /// (`limits::held_events_bytes`, `limits::held_transactions_bytes`).
    held: (usize, usize),
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
    // What was kept for another key is dropped first, so that the two never take memory at once.
    if let Ok(mut slot) = slot.try_borrow_mut() {
        *slot = None;
    }
    let value = compute(&key)?;
    let fresh = Rc::new((key, value));
    if let Ok(mut slot) = slot.try_borrow_mut() {
        *slot = Some(Rc::clone(&fresh));
    }
    Ok(fresh)
}

impl Engine {
    pub fn new() -> Self {
        Engine::default()
    }

    pub fn event_count(&self) -> usize {
        self.events.occurred_at_ms.len()
    }

    pub fn transaction_count(&self) -> usize {
        self.table.as_ref().map_or_else(|| self.transactions().len(), TransactionTable::len)
    }

    /// Replaces the events with `columns`. Errors locate the bad value in its column
    /// (`/events/occurredAtMs/12`); on error the loaded events are unchanged.
    pub fn load_event_columns(&mut self, columns: EventColumns) -> Result<(), EngineError> {
        let events = Pointer::root().key("events");
        let bytes = limits::held_events_bytes(columns.bytes(), 0);
        limits::check_handle(bytes.saturating_add(self.held.1), &events)?;
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
        self.held.0 = bytes;
        Ok(())
    }

    /// Replaces the events with a JSON array of event objects (the object path's shape), read
    /// one element at a time. Errors have the object path's paths (`/events/12/occurredAt`).
    pub fn load_events_json(&mut self, text: &[u8]) -> Result<(), EngineError> {
        let path = Pointer::root().key("events");
        let bytes = limits::held_events_bytes(0, text.len());
        limits::check_handle(bytes.saturating_add(self.held.1), &path)?;
        let events = match read_events_typed(text) {
            Ok(events) => events,
            Err(Unread) => read_events_exact(text, &path)?,
        };
        self.events = events;
        self.counts = RefCell::default();
        self.held.0 = bytes;
        Ok(())
    }

    /// Replaces the transactions with a JSON array of transaction objects, read one element at
    /// a time, with the object path's validation and paths (`/transactions/3/details/0/amount`).
    pub fn load_transactions_json(&mut self, text: &[u8]) -> Result<(), EngineError> {
        let path = Pointer::root().key("transactions");
        let bytes = limits::held_transactions_bytes(0, text.len());
        limits::check_handle(bytes.saturating_add(self.held.0), &path)?;
        let transactions = match read_transactions_typed(text) {
            Ok(transactions) => transactions,
            Err(Unread) => read_transactions_exact(text, &path)?,
        };
        self.table = None;
        self.transactions = OnceCell::from(pool::into_revenue_order(transactions));
        self.revenue = RefCell::default();
        self.transaction_index = RefCell::default();
        self.held.1 = bytes;
        Ok(())
    }

    /// Replaces the transactions with `columns` (see `transactions`); on error the
    /// loaded transactions are unchanged.
    pub fn load_transaction_columns(&mut self, columns: TransactionColumns) -> Result<(), EngineError> {
        let bytes = limits::held_transactions_bytes(columns.bytes(), 0);
        limits::check_handle(bytes.saturating_add(self.held.0), &Pointer::root().key("transactions"))?;
        self.table = Some(transactions::read(columns)?);
        self.transactions = OnceCell::new();
        self.revenue = RefCell::default();
        self.transaction_index = RefCell::default();
        self.held.1 = bytes;
        Ok(())
    }

    /// `resources.outOfMemory` unless building the loaded columns as `Transaction`s (kept
    /// with the handle) and then computing a cycle's revenue from them fits in memory; only the
    /// revenue once they are built.
    fn check_built_memory(&self) -> Result<(), EngineError> {
        let Some(table) = &self.table else { return Ok(()) };
        let revenue = limits::revenue_bound(table.len(), table.lines.len(), table.refunds.len());
        let built = if self.transactions.get().is_some() { 0 } else { table.built_bound(0..table.len()) };
        limits::check_memory(built.saturating_add(revenue), &Pointer::root())
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
            if let Some(table) = &self.table {
                let bound = limits::revenue_bound(table.len(), table.lines.len(), table.refunds.len());
                limits::check_memory(bound, &Pointer::root())?;
            }
            let from_columns = self
                .table
                .as_ref()
                .and_then(|table| revenue::cycle_revenue(&request, table, &(0..table.len()).collect::<Vec<_>>()));
            match from_columns {
                Some(revenue) => Ok(revenue),
                None => {
                    self.check_built_memory()?;
                    preview::cycle_revenue(&request, self.transactions().iter().collect())
                }
            }
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
            let transactions = self.table.as_ref().map_or_else(|| self.transactions().len(), TransactionTable::len);
            let refunds = self.table.as_ref().map_or(0, |table| table.refunds.len());
            limits::check_memory(limits::index_bound(transactions, refunds), &Pointer::root())?;
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
            limits::check_memory(table.revenue_bound(&positions), &Pointer::root())?;
            match revenue::cycle_revenue(cycle, table, &positions) {
                Some(revenue) => Ok(revenue),
                None => {
                    // The same transactions, built and in revenue order.
                    let bound =
                        table.built_bound(positions.iter().copied()).saturating_add(table.revenue_bound(&positions));
                    limits::check_memory(bound, &Pointer::root())?;
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
        // What scoring allocates must fit in what memory is left: the per-type table, the
        // scores and the listed output, and the counts when they are computed.
        let (people, kinds) = (ev.collaborator_ids.len(), rules.counted_kinds.len());
        let listed = preview::listed_count(top).min(people);
        limits::check_memory(limits::tables_bound(0, people.saturating_mul(kinds), people, listed), &Pointer::root())?;
        let count = |rules: &Rules| {
            let cells = rules.segments.saturating_mul(people).saturating_mul(kinds);
            // Then the rest is taken once the counts are: both must fit.
            let bound = limits::tables_bound(cells, people.saturating_mul(kinds), people, listed);
            limits::check_memory(bound, &Pointer::root())?;
            Ok::<_, EngineError>(ev.count(rules, scope))
        };
        let kept = match scope {
            Scope::All => kept_or_computed(&self.counts, rules, count)?,
            Scope::Window => {
                let counts = count(&rules)?;
                Rc::new((rules, counts))
            }
        };
        let (rules, counts) = (&kept.0, &kept.1);
        // Points per version (`Rules::versions`) and counted type column.
        let weights: Vec<Vec<i64>> = config
            .versions
            .iter()
            .map(|v| {
                let name = |k: &usize| ev.type_names.get(*k).map_or("", String::as_str);
                rules.counted_kinds.iter().map(|k| v.engagement_types.get(name(k)).copied().unwrap_or(0)).collect()
            })
            .collect();

        let mut total: i64 = 0;
        let mut overflow = false;
        let mut scored: Vec<CollaboratorScore> = Vec::new();
        // Who each of `scored` is (the position of their id in the loaded columns).
        let mut scored_index: Vec<usize> = Vec::new();
        // Per collaborator and counted type: (events, points). The per-type maps are filled
        // from it once the order is known, for the listed collaborators only, not a map per
        // collaborator (allocations a re-preview would pay for each).
        let mut per_type = vec![(0usize, 0i64); people * kinds];
        for (c, id) in ev.collaborator_ids.iter().enumerate() {
            let mut score = scoring::empty_score(id.clone());
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
        // The counted types' names, shared by every listed collaborator's maps, in the maps'
        // order, with their slots.
        let mut names: Vec<(Arc<str>, usize)> = (rules.counted_kinds.iter().enumerate())
            .map(|(slot, k)| (Arc::from(ev.type_names.get(*k).map_or("", String::as_str)), slot))
            .collect();
        crate::sorting::stable_sort_by(&mut names, |a, b| a.0.cmp(&b.0));
        for (place, score) in scores.collaborators.iter_mut().enumerate().take(preview::listed_count(top)) {
            let Some(c) = index_at(place) else { continue };
            let row = per_type.get(c * kinds..(c + 1) * kinds).unwrap_or_default();
            score.breakdown = PerType::with_capacity(kinds);
            score.event_counts = PerType::with_capacity(kinds);
            for (name, slot) in &names {
                let Some(&(events, points)) = row.get(*slot).filter(|(events, _)| *events > 0) else { continue };
                *score.breakdown.entry(name, Some(name)) = points;
                *score.event_counts.entry(name, Some(name)) = events;
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

/// Events read from JSON one at a time into columns, collaborator ids and types interned.
#[derive(Default)]
struct EventsFromJson {
    /// Whether a repeated id is refused as it is read, before the events after it (the exact
    /// reader's order of errors); else `finish` refuses it (`Events::index`).
    exact: bool,
    events: Events,
    collaborators: HashMap<String, u32>,
    types: HashMap<String, u16>,
    seen: HashSet<String>,
    any_id: bool,
    any_points: bool,
}

impl EventsFromJson {
    /// Adds the next event; errors at the event's path `at()`.
    fn push(
        &mut self,
        at: impl Fn() -> Pointer,
        id: Option<String>,
        collaborator: &str,
        kind: &str,
        occurred_at: DateTime<FixedOffset>,
        points: Option<i64>,
    ) -> Result<(), EngineError> {
        if let Some(id) = id.as_ref().filter(|_| self.exact) {
            if !self.seen.insert(id.clone()) {
                return Err(EngineError::new(
                    Code::EventsDuplicateId,
                    &at().key("id"),
                    format!("Event id `{id}` appears more than once."),
                ));
            }
        }
        self.any_id |= id.is_some();
        if !occurred_at.timestamp_subsec_nanos().is_multiple_of(1_000_000) {
            return Err(EngineError::new(
                Code::TimeInvalidTimestamp,
                &at().key("occurredAt"),
                "The bulk path keeps event instants to the millisecond; this one has a finer fraction of a second.",
            ));
        }
        let collaborator = match self.collaborators.get(collaborator) {
            Some(&index) => index,
            None => {
                let next = self.collaborators.len() as u32;
                self.collaborators.insert(collaborator.to_string(), next);
                next
            }
        };
        let kind = match self.types.get(kind) {
            Some(&index) => index,
            None if self.types.len() > usize::from(u16::MAX) => {
                return Err(EngineError::new(
                    Code::InputTooLarge,
                    &at().key("type"),
                    "The bulk path holds at most 65,536 event types.",
                ))
            }
            None => {
                let next = self.types.len() as u16;
                self.types.insert(kind.to_string(), next);
                next
            }
        };
        let events = &mut self.events;
        events.collaborator_index.push(collaborator);
        events.type_index.push(kind);
        // Exact: chrono's instants are within ±2^53 ms.
        events.occurred_at_ms.push(occurred_at.timestamp_millis() as f64);
        self.any_points |= points.is_some();
        events.points.push(points.map_or(f64::NAN, |p| p as f64));
        events.event_ids.push(id);
        Ok(())
    }

    /// The columns, with the tables and the label order; only the columns some event uses.
    fn finish(self, path: &Pointer) -> Result<Events, EngineError> {
        let mut events = self.events;
        events.collaborator_ids = table(self.collaborators);
        events.type_names = table(self.types);
        if !self.any_id {
            events.event_ids = Vec::new();
        }
        if !self.any_points {
            events.points = Vec::new();
        }
        events.index(&|i| path.index(i).key("id"))?;
        Ok(events)
    }
}

/// A JSON array of events read by `typed` (no `Value` tree), or `Unread`.
fn read_events_typed(text: &[u8]) -> Result<Events, Unread> {
    let path = Pointer::root().key("events");
    let mut read = EventsFromJson::default();
    typed::for_each_event(text, |index, event| {
        limits::check_count(index + 1, limits::MAX_BULK_EVENTS, "records", &path).map_err(|_| Unread)?;
        let at = || path.index(index);
        let (collaborator, kind) = (&event.collaborator_id, event.kind);
        read.push(at, event.id, collaborator, kind, event.occurred_at, event.points).map_err(|_| Unread)
    })?;
    read.finish(&path).map_err(|_| Unread)
}

/// A JSON array of events read by the exact reader (`model::parse_event`), every problem
/// located (`/events/12/occurredAt`).
fn read_events_exact(text: &[u8], path: &Pointer) -> Result<Events, EngineError> {
    let mut read = EventsFromJson { exact: true, ..EventsFromJson::default() };
    for_each_element(text, path, limits::MAX_BULK_EVENTS, |index, item| {
        let at = path.index(index);
        let event = model::parse_event(&item, index, &at)?;
        read.push(|| at.clone(), event.id, &event.collaborator_id, &event.kind, event.occurred_at, event.points)
    })?;
    read.finish(path)
}

/// A JSON array of transactions read by `typed`, ids unique, or `Unread`.
fn read_transactions_typed(text: &[u8]) -> Result<Vec<Transaction>, Unread> {
    let mut transactions = Vec::new();
    let mut seen = HashSet::new();
    typed::for_each_transaction(text, |index, transaction| {
        if index >= limits::MAX_TRANSACTIONS || !seen.insert(transaction.id.clone()) {
            return Err(Unread);
        }
        transactions.push(transaction);
        Ok(())
    })?;
    Ok(transactions)
}

/// A JSON array of transactions read by the exact reader (`model::parse_transaction`).
fn read_transactions_exact(text: &[u8], path: &Pointer) -> Result<Vec<Transaction>, EngineError> {
    let mut transactions = Vec::new();
    let mut seen = HashSet::new();
    for_each_element(text, path, limits::MAX_TRANSACTIONS, |index, item| {
        let at = path.index(index);
        let transaction = model::parse_transaction(&item, index, &at)?;
        if !seen.insert(transaction.id.clone()) {
            return Err(model::duplicate_transaction(&transaction.id, &at));
        }
        transactions.push(transaction);
        Ok(())
    })?;
    Ok(transactions)
}
