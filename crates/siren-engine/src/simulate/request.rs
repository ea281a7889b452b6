//! Reading a simulate input into a typed `SimulateRequest`: a preview's fields plus the range
//! and the pauses.

use crate::config::ConfigHistory;
use crate::diagnostics::{Code, EngineError, Pointer};
use crate::limits::MAX_PAUSES;
use crate::model::{
    self, compare_ids, expect_array, expect_object, optional, required, Collaborator, Event, Policies, Transaction,
};
use crate::preview::{self, Distributor};
use crate::time::{self, Zone};
use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};

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

/// Reads and validates the whole input.
pub fn read_request(input: &Value) -> Result<SimulateRequest, EngineError> {
    read_request_records(input, true)
}

/// Reads a simulate input whose events and transactions are held elsewhere (a loaded
/// bulk `Engine`): `events` and `transactions` are refused, and left empty.
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
    crate::sorting::stable_sort_by(&mut events, |a, b| {
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
    crate::sorting::stable_sort_by(&mut pauses, |a, b| (a.from, a.until).cmp(&(b.from, b.until)));
    Ok(pauses)
}
