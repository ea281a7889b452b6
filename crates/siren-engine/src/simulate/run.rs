//! Computing a simulation from a `SimulateRequest`: the triggers, each cycle through
//! `preview::run_cycle_scored`, pauses, carry-over, obligations and totals. Never reads JSON.

use super::output::{CollaboratorTotal, Cycle, Obligation, PoliciesOut, Simulation, Totals};
use super::request::{Pause, SimulateRequest};
use crate::amount::{format_exact, format_minor};
use crate::diagnostics::{Code, EngineError, Pointer};
use crate::limits::MAX_CYCLES;
use crate::model::{compare_ids, Event};
use crate::pool::{self, PoolResult};
use crate::preview::{self, CycleExtras, PreviewRequest, WindowSource};
use crate::scoring::{self, Period, Scores, Window};
use crate::time::{self};
use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

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
    while let Some(next) =
        schedule.next_until(base, request.zone, request.end).map_err(|e| preview::schedule_error(e, distributor))?
    {
        if next <= base {
            return Err(EngineError::new(
                Code::ScheduleNotAdvancing,
                &preview::schedule_path(distributor).index(0),
                "The schedule does not move time forward.",
            ));
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
        let cycle_request = cycle_request(request, i, window, pause.is_none());
        let paused_note = pause.map(|p| paused_note(p, last_distribution, &format_time));
        // A paused cycle is computed with the carried money too: its explanation then shares
        // out what the trigger would have paid, as the next attempt will.
        let carried_in = carried;
        let extras = CycleExtras { carried_in_minor: carried_in, paused_note, settled: true };
        let scores = score(&cycle_request.period())?;
        let revenue = revenue(&cycle_request)?;
        let preview = preview::run_cycle_scored(&cycle_request, scores, &revenue, &extras)?;
        let amounts = &preview.amounts;

        let mut notes = preview.notes;
        let allocated: i128 = amounts.allocations_minor.iter().sum();
        // The cycle's split of `available` is the explanation's (`preview::run_cycle_scored`).
        let (unawarded, carried_out) = (amounts.unawarded_minor, amounts.carried_out_minor);
        if preview.status == "paused" && carried > 0 {
            notes.push(format!(
                "{} {} carried over from earlier cycles stays pending.",
                format_minor(carried, exponent),
                units.code
            ));
        }
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
                    let entry = by_collaborator.entry(allocation.collaborator_id.to_string()).or_insert((0, 0));
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
                collaborator_id: a.collaborator_id.to_string(),
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
            carried_in: format_minor(carried_in, exponent),
            available: format_minor(amounts.available_minor, exponent),
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

    let notes = range_notes(request, &triggers, last_distribution, &format_time);

    let collaborators = collaborator_totals(by_collaborator, exponent);

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

/// The cycle ending at `window.end`, as a preview computes it: revenue and scores come from the
/// simulation's own passes, so the request carries no records.
fn cycle_request(request: &SimulateRequest, index: usize, window: Window, active: bool) -> PreviewRequest {
    let mut distributor = request.distributor.clone();
    distributor.active = active;
    PreviewRequest {
        distributor,
        config: request.config.clone(),
        zone: request.zone,
        at: window.end,
        window,
        window_source: WindowSource::Schedule { anchor: request.start, anchor_is_start: true },
        index: index as u64,
        events: Vec::new(),
        transactions: Vec::new(), // not read: revenue comes from `revenue`
        collaborators: request.collaborators.clone(),
        policies: request.policies,
        top: request.top,
    }
}

/// Why a paused trigger pays nothing (`None`: the distributor is inactive).
fn paused_note(
    pause: Option<Pause>,
    last_distribution: DateTime<FixedOffset>,
    format_time: &dyn Fn(DateTime<FixedOffset>) -> String,
) -> String {
    match pause {
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
    }
}

/// What the range leaves out: no trigger at all, activity after the last trigger, or paused
/// last triggers.
fn range_notes(
    request: &SimulateRequest,
    triggers: &[DateTime<FixedOffset>],
    last_distribution: DateTime<FixedOffset>,
    format_time: &dyn Fn(DateTime<FixedOffset>) -> String,
) -> Vec<String> {
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
    notes
}

/// Each collaborator's total and cycles won, most paid first (ties by id).
fn collaborator_totals(by_collaborator: BTreeMap<String, (i128, usize)>, exponent: u32) -> Vec<CollaboratorTotal> {
    let mut collaborators: Vec<CollaboratorTotal> = by_collaborator
        .into_iter()
        .map(|(id, (amount, won))| CollaboratorTotal {
            amount: format_minor(amount, exponent),
            collaborator_id: id,
            cycles_won: won,
            amount_minor: amount,
        })
        .collect();
    crate::sorting::stable_sort_by(&mut collaborators, |a, b| {
        b.amount_minor.cmp(&a.amount_minor).then_with(|| compare_ids(&a.collaborator_id, &b.collaborator_id))
    });
    collaborators
}
