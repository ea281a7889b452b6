//! `simulate` (ENGINE.md §5, §6, §8): every cycle of a distributor from `start` to `end`, each
//! computed exactly as `previewScores` computes one (`preview::run_cycle`), plus what only a
//! sequence of cycles has: paused triggers whose window merges into the next distribution,
//! carried-over unawarded pools, pending obligations and totals.
//!
//! Invariants: the input is read once; events and transaction instants are sorted once and each
//! window takes its slice by binary search; every collection in the output is ordered, so the
//! same input gives the same bytes. A distributed cycle's allocations sum exactly to its
//! `available` amount (its pool plus what was carried in).

use crate::amount::{format_exact, format_minor};
use crate::config::ConfigHistory;
use crate::diagnostics::{Code, EngineError, Pointer};
use crate::limits::{MAX_CYCLES, MAX_PAUSES};
use crate::model::{
    self, compare_ids, expect_array, expect_object, optional, required, Collaborator, Event, Policies, Transaction,
};
use crate::pool::{self, PoolResult};
use crate::preview::{
    self, AllocationOut, CycleExtras, Distributor, Explanation, LeaderboardEntry, PreviewRequest, TieOut, WindowOut,
    WindowSource,
};
use crate::scoring::{self, Period, Scores, Window};
use crate::time::{self, Zone};
use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The fields a simulate input may have.
pub const INPUT_FIELDS: &[&str] = &[
    "recipe",
    "distributorKey",
    "config",
    "collaborators",
    "events",
    "transactions",
    "timeZone",
    "start",
    "end",
    "pauses",
    "policies",
    "options",
    "top",
];

/// A pause interval, half-open: a trigger `t` with `from <= t < until` is skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub from: DateTime<FixedOffset>,
    pub until: DateTime<FixedOffset>,
}

/// Everything a simulation computes from, typed and validated.
#[derive(Debug, Clone)]
pub struct SimulateRequest {
    pub distributor: Distributor,
    pub config: ConfigHistory,
    pub zone: Zone,
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    pub pauses: Vec<Pause>,
    /// Sorted by (occurredAt, id, input index).
    pub events: Vec<Event>,
    pub transactions: Vec<Transaction>,
    pub collaborators: Option<Vec<Collaborator>>,
    pub policies: Policies,
    /// As a preview's `top`, for every cycle.
    pub top: Option<u64>,
}

// ---------------------------------------------------------------------------------------------
// Output

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

// ---------------------------------------------------------------------------------------------
// Reading the input

/// Reads and validates the whole input.
pub fn read_request(input: &Value) -> Result<SimulateRequest, EngineError> {
    read_request_records(input, true)
}

/// Reads a simulate input whose events and transactions are held elsewhere (a loaded
/// `dataset::Dataset`): `events` and `transactions` are refused, and left empty.
pub fn read_request_without_records(input: &Value) -> Result<SimulateRequest, EngineError> {
    read_request_records(input, false)
}

fn read_request_records(input: &Value, with_records: bool) -> Result<SimulateRequest, EngineError> {
    let root = Pointer::root();
    let object = model::expect_input_object(input, "A simulate input object")?;
    model::reject_unknown_fields(object, INPUT_FIELDS, &root, |key| match key {
        "at" | "lastDistributionAt" | "window" => {
            " (simulate takes `start` and `end`; `at`, `lastDistributionAt` and `window` belong to previewScores)"
        }
        _ => "",
    })?;
    if !with_records {
        preview::refuse_records(object)?;
    }
    let preview::Setup { distributor, config, zone } = preview::read_setup(object, None, None)?;

    let start = model::parse_instant(required(object, "start", &root)?, &root.key("start"), "`start`")?;
    let end = model::parse_instant(required(object, "end", &root)?, &root.key("end"), "`end`")?;
    if end <= start {
        return Err(EngineError::new(
            Code::SimulateInvalidRange,
            &root.key("end"),
            format!(
                "`end` ({}) must be after `start` ({}).",
                time::format_in_zone(end, zone),
                time::format_in_zone(start, zone)
            ),
        ));
    }
    let pauses = match optional(object, "pauses") {
        None => Vec::new(),
        Some(value) => read_pauses(value, &root.key("pauses"))?,
    };

    let preview::Records { collaborators, mut events, transactions, policies, top } =
        preview::read_records(object, with_records)?;
    // The same order scoring uses, so each window's slice is already in scoring order.
    events.sort_by(|a, b| {
        a.occurred_at
            .cmp(&b.occurred_at)
            .then_with(|| compare_ids(&a.label(), &b.label()))
            .then_with(|| a.index.cmp(&b.index))
    });

    Ok(SimulateRequest {
        distributor,
        config,
        zone,
        start,
        end,
        pauses,
        events,
        transactions,
        collaborators,
        policies,
        top,
    })
}

fn read_pauses(value: &Value, path: &Pointer) -> Result<Vec<Pause>, EngineError> {
    let items = expect_array(value, path, "`pauses`")?;
    if items.len() > MAX_PAUSES {
        return Err(EngineError::new(
            Code::InputTooLarge,
            path,
            format!("At most {MAX_PAUSES} pauses are accepted; found {}.", items.len()),
        ));
    }
    let mut pauses = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let item_path = path.index(i);
        let object: &Map<String, Value> = expect_object(item, &item_path, "A pause")?;
        model::reject_unknown_fields(object, &["from", "until"], &item_path, |_| " in a pause")?;
        let from = model::parse_instant(required(object, "from", &item_path)?, &item_path.key("from"), "`from`")?;
        let until = model::parse_instant(required(object, "until", &item_path)?, &item_path.key("until"), "`until`")?;
        if until <= from {
            return Err(EngineError::new(
                Code::SimulateInvalidPause,
                &item_path.key("until"),
                "A pause's `until` must be after its `from` (a pause is the half-open interval [from, until)).",
            ));
        }
        pauses.push(Pause { from, until });
    }
    // Overlapping pauses: the note names the earliest, whatever the input order.
    pauses.sort_by_key(|p| (p.from, p.until));
    Ok(pauses)
}

// ---------------------------------------------------------------------------------------------
// Computing

/// The triggers in `(start, end]`: the schedule applied to `start`, then to each trigger.
pub fn triggers(request: &SimulateRequest) -> Result<Vec<DateTime<FixedOffset>>, EngineError> {
    let distributor = &request.distributor;
    if distributor.schedule.is_none() {
        return Err(EngineError::new(
            Code::InputRequired,
            &preview::schedule_path(distributor),
            format!(
                "The distributor `{}` has no `schedule`, so there are no triggers to simulate; add one to the recipe.",
                distributor.key
            ),
        ));
    }
    let schedule = preview::parsed_schedule(distributor)?;
    let mut triggers = Vec::new();
    let mut base = request.start;
    loop {
        let next = schedule.next_after(base, request.zone).map_err(|e| preview::schedule_error(e, distributor))?;
        if next <= base {
            return Err(EngineError::new(
                Code::ScheduleNotAdvancing,
                &preview::schedule_path(distributor).index(0),
                "The schedule does not move time forward.",
            ));
        }
        if next > request.end {
            break;
        }
        if triggers.len() >= MAX_CYCLES {
            return Err(EngineError::new(
                Code::SimulateTooManyCycles,
                &Pointer::root().key("end"),
                format!("The range holds more than {MAX_CYCLES} triggers of this schedule; simulate a shorter range."),
            ));
        }
        triggers.push(next);
        base = next;
    }
    Ok(triggers)
}

fn events_in<'a>(events: &'a [Event], window: &Window) -> &'a [Event] {
    let from = events.partition_point(|e| e.occurred_at < window.start);
    let to = events.partition_point(|e| e.occurred_at < window.end);
    events.get(from..to).unwrap_or_default()
}

fn pause_at(request: &SimulateRequest, trigger: DateTime<FixedOffset>) -> Option<Option<Pause>> {
    if !request.distributor.active {
        return Some(None);
    }
    request.pauses.iter().find(|p| p.from <= trigger && trigger < p.until).map(|p| Some(*p))
}

/// Runs the simulation over the request's own events and transactions.
pub fn run(request: &SimulateRequest) -> Result<Simulation, EngineError> {
    let events_path = Pointer::root().key("events");
    let score = |period: &Period| {
        scoring::score(
            events_in(&request.events, &period.window),
            period,
            &request.config,
            request.collaborators.as_deref(),
            &events_path,
        )
    };
    let transactions = pool::in_revenue_order(&request.transactions);
    let index = pool::TransactionIndex::new(&transactions);
    let revenue = |cycle: &PreviewRequest| preview::cycle_revenue(cycle, index.in_window(&transactions, &cycle.window));
    run_with(request, &score, &revenue)
}

/// Runs the simulation with each window's scores from `score` (which sees only the events in
/// the window, as `run` does) and each cycle's revenue from `revenue` (`preview::cycle_revenue`
/// over the transactions sold or refunded in the cycle's window, as `run` computes it);
/// `request.events` and `request.transactions` are not read.
pub fn run_with(
    request: &SimulateRequest,
    score: &dyn Fn(&Period) -> Result<Scores, EngineError>,
    revenue: &dyn Fn(&PreviewRequest) -> Result<PoolResult, EngineError>,
) -> Result<Simulation, EngineError> {
    let zone = request.zone;
    let units = &request.distributor.units;
    let exponent = units.exponent;
    let format_time = |instant: DateTime<FixedOffset>| time::format_in_zone(instant, zone);
    let out_of_range = || {
        EngineError::new(
            Code::PreviewAmountOutOfRange,
            &Pointer::root().key("transactions"),
            "The simulation's totals are too large to compute exactly.",
        )
    };

    let triggers = triggers(request)?;

    let mut cycles = Vec::with_capacity(triggers.len());
    let mut last_distribution = request.start;
    let mut carried: i128 = 0;
    let mut total_revenue = Decimal::ZERO;
    let mut total_pool: i128 = 0;
    let mut total_allocated: i128 = 0;
    let mut total_unawarded: i128 = 0;
    let mut by_collaborator: BTreeMap<String, (i128, usize)> = BTreeMap::new();
    let mut counts = [0usize; 4]; // distributed, paused, noEngagement, noRevenue

    for (i, trigger) in triggers.iter().copied().enumerate() {
        let window = Window { start: last_distribution, end: trigger };
        let pause = pause_at(request, trigger);
        let mut distributor = request.distributor.clone();
        distributor.active = pause.is_none();
        let cycle_request = PreviewRequest {
            distributor,
            config: request.config.clone(),
            zone,
            at: trigger,
            window,
            window_source: WindowSource::Schedule { anchor: request.start, anchor_is_start: true },
            index: i as u64,
            events: Vec::new(),
            transactions: Vec::new(), // not read: revenue comes from `revenue`
            collaborators: request.collaborators.clone(),
            policies: request.policies,
            top: request.top,
        };
        let paused_note = pause.map(|p| match p {
            None => format!(
                "The distributor is inactive, so this trigger is skipped; scores and revenue since {} keep accumulating.",
                format_time(last_distribution)
            ),
            Some(p) => format!(
                "This trigger falls in the pause [{}, {}), so it is skipped; scores and revenue since {} keep accumulating and are paid at the first trigger after the pause.",
                format_time(p.from),
                format_time(p.until),
                format_time(last_distribution)
            ),
        });
        let carried_in = if pause.is_some() { 0 } else { carried };
        let extras = CycleExtras { carried_in_minor: carried_in, paused_note, settled: true };
        let scores = score(&cycle_request.period())?;
        let revenue = revenue(&cycle_request)?;
        let preview = preview::run_cycle_scored(&cycle_request, scores, &revenue, &extras)?;
        let amounts = &preview.amounts;

        let mut notes = preview.notes;
        let allocated: i128 = amounts.allocations_minor.iter().sum();
        let (unawarded, carried_out, shown_carried_in, shown_available) = match preview.status {
            "paused" => {
                if carried > 0 {
                    notes.push(format!(
                        "{} {} carried over from earlier cycles stays pending.",
                        format_minor(carried, exponent),
                        units.code
                    ));
                }
                (0, carried, carried, amounts.pool_minor.checked_add(carried).ok_or_else(out_of_range)?)
            }
            "noEngagement" if request.policies.carry_over_unawarded => {
                (0, amounts.available_minor, carried_in, amounts.available_minor)
            }
            _ => {
                let left = amounts.available_minor.checked_sub(allocated).ok_or_else(out_of_range)?;
                (left, 0, carried_in, amounts.available_minor)
            }
        };
        match preview.status {
            "paused" => counts[1] += 1,
            status => {
                // A distribution attempt: metrics and revenue reset, whatever the outcome.
                last_distribution = trigger;
                carried = carried_out;
                total_revenue = crate::amount::exact_add(total_revenue, amounts.revenue).ok_or_else(out_of_range)?;
                total_pool = total_pool.checked_add(amounts.pool_minor).ok_or_else(out_of_range)?;
                total_allocated = total_allocated.checked_add(allocated).ok_or_else(out_of_range)?;
                total_unawarded = total_unawarded.checked_add(unawarded).ok_or_else(out_of_range)?;
                match status {
                    "distributed" => counts[0] += 1,
                    "noEngagement" => counts[2] += 1,
                    _ => counts[3] += 1,
                }
                for (allocation, amount) in preview.allocations.iter().zip(&amounts.allocations_minor) {
                    let entry = by_collaborator.entry(allocation.collaborator_id.clone()).or_insert((0, 0));
                    entry.0 = entry.0.checked_add(*amount).ok_or_else(out_of_range)?;
                    entry.1 += 1;
                }
            }
        }
        if carried_in > 0 && preview.status != "paused" {
            notes.push(format!(
                "{} {} unawarded in earlier cycles was carried in and allocated with this cycle's pool.",
                format_minor(carried_in, exponent),
                units.code
            ));
        }
        let trigger_text = format_time(trigger);
        let obligations = preview
            .allocations
            .iter()
            .map(|a| Obligation {
                collaborator_id: a.collaborator_id.clone(),
                amount: a.amount.clone(),
                units: units.code.clone(),
                distribution_trigger: trigger_text.clone(),
            })
            .collect();
        cycles.push(Cycle {
            index: i as u64,
            window: preview.window,
            trigger_at: trigger_text,
            status: preview.status,
            revenue: preview.revenue,
            pool: preview.pool,
            carried_in: format_minor(shown_carried_in, exponent),
            available: format_minor(shown_available, exponent),
            allocated: format_minor(allocated, exponent),
            unawarded: format_minor(unawarded, exponent),
            carried_out: format_minor(carried_out, exponent),
            units: units.code.clone(),
            leaderboard: preview.leaderboard,
            allocations: preview.allocations,
            tie: preview.tie,
            obligations,
            notes,
            explanation: preview.explanation,
        });
    }

    let mut notes = Vec::new();
    let last_trigger = triggers.last().copied();
    match last_trigger {
        None => notes.push(format!(
            "No trigger of the schedule falls between {} and {}, so there is no cycle to simulate.",
            format_time(request.start),
            format_time(request.end)
        )),
        Some(last) if last < request.end => notes.push(format!(
            "Activity from {} to {} belongs to a cycle whose trigger is after `end`; it is not simulated.",
            format_time(last),
            format_time(request.end)
        )),
        Some(_) => {}
    }
    if let Some(last) = last_trigger {
        if last_distribution < last {
            notes.push(format!(
                "The last trigger(s) were paused: scores and revenue since {} were not distributed within the range.",
                format_time(last_distribution)
            ));
        }
    }

    let mut collaborators: Vec<CollaboratorTotal> = by_collaborator
        .into_iter()
        .map(|(id, (amount, won))| CollaboratorTotal {
            amount: format_minor(amount, exponent),
            collaborator_id: id,
            cycles_won: won,
            amount_minor: amount,
        })
        .collect();
    collaborators.sort_by(|a, b| {
        b.amount_minor.cmp(&a.amount_minor).then_with(|| compare_ids(&a.collaborator_id, &b.collaborator_id))
    });

    let [distributed_cycles, paused_cycles, no_engagement_cycles, no_revenue_cycles] = counts;
    Ok(Simulation {
        distributor_key: request.distributor.key.clone(),
        units: units.code.clone(),
        time_zone: zone.name(),
        start: format_time(request.start),
        end: format_time(request.end),
        policies: PoliciesOut {
            tie_break: request.policies.tie_break.id(),
            carry_over_unawarded: request.policies.carry_over_unawarded,
        },
        totals: Totals {
            revenue: format_exact(total_revenue, exponent),
            pool: format_minor(total_pool, exponent),
            allocated: format_minor(total_allocated, exponent),
            unawarded: format_minor(total_unawarded, exponent),
            carried_over: format_minor(carried, exponent),
            cycles: cycles.len(),
            distributed_cycles,
            paused_cycles,
            no_engagement_cycles,
            no_revenue_cycles,
            collaborators,
        },
        cycles,
        notes,
    })
}

/// `simulate` over a JSON input.
pub fn simulate(input: &Value) -> Result<Simulation, EngineError> {
    run(&read_request(input)?)
}
