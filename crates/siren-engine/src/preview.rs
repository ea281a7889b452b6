//! `previewScores` (ENGINE.md §8): one cycle end to end, projected as of `at`: the window, the
//! scores and leaderboard, revenue and pool, the resolver's allocations, and an explanation that
//! lets a reader trace every figure.
//!
//! Two steps: `read_request` turns the JSON input into a typed `PreviewRequest` (every problem
//! a located `EngineError`), and `run` computes the cycle from it without touching JSON.

use crate::amount::{format_exact, format_minor};
use crate::config::{self, ConfigHistory};
use crate::diagnostics::{Code, EngineError, Pointer, Severity};
use crate::model::{
    self, expect_array, expect_object, expect_string, optional, required, Collaborator, Event, Policies, Transaction,
};
use crate::money::Units;
use crate::pool::{
    self, ExclusionReason, PoolResult, RefundExplanation, SaleExplanation, REVENUE_SINCE_LAST_DISTRIBUTION,
};
use crate::recipe;
use crate::registry::ValidationOptions;
use crate::resolvers::{self, Contender, Resolver};
use crate::schedule::{Schedule, ScheduleError};
use crate::scoring::{self, competition_ranks, IdList, IgnoreReason, Period, Window};
use crate::time::{self, Zone};
use chrono::{DateTime, Datelike, FixedOffset, TimeZone};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The fields a preview input may have; anything else is refused, since a misspelt
/// `lastDistributionAt` would silently change the window.
pub const INPUT_FIELDS: &[&str] = &[
    "recipe",
    "distributorKey",
    "config",
    "collaborators",
    "events",
    "transactions",
    "timeZone",
    "at",
    "lastDistributionAt",
    "window",
    "start",
    "policies",
    "options",
    "top",
];

/// The most schedule windows walked from the anchor to find the one containing `at` (a daily
/// schedule over 27 years).
pub const MAX_WINDOWS_WALKED: u64 = 10_000;

/// The distributor's fields the preview needs, read from the recipe.
#[derive(Debug, Clone, PartialEq)]
pub struct Distributor {
    pub key: String,
    pub resolver: Resolver,
    pub units: Units,
    pub active: bool,
    pub schedule: Option<Vec<String>>,
}

/// Where the window came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowSource {
    /// `window: {start, end}` in the input.
    Explicit,
    /// `[lastDistributionAt, the schedule's next trigger after it)`.
    LastDistribution,
    /// Walked through the schedule from `anchor` (the input's `start`, or when absent midnight
    /// on 1 January of `at`'s year in the site zone) to the window containing `at`.
    Schedule { anchor: DateTime<FixedOffset>, anchor_is_start: bool },
}

/// Everything one preview computes from, typed and validated.
#[derive(Debug, Clone)]
pub struct PreviewRequest {
    pub distributor: Distributor,
    pub config: ConfigHistory,
    pub zone: Zone,
    pub at: DateTime<FixedOffset>,
    pub window: Window,
    pub window_source: WindowSource,
    /// Windows between the anchor and this one (0 unless walked from an anchor).
    pub index: u64,
    pub events: Vec<Event>,
    pub transactions: Vec<Transaction>,
    pub collaborators: Option<Vec<Collaborator>>,
    pub policies: Policies,
    /// The input's `top`: list only this many collaborators from the top of the leaderboard.
    pub top: Option<u64>,
}

// ---------------------------------------------------------------------------------------------
// Output

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    pub index: u64,
    pub window: WindowOut,
    pub trigger_at: String,
    /// `distributed`, `noEngagement`, `noRevenue` or `paused`.
    pub status: &'static str,
    pub revenue: String,
    pub pool: String,
    pub units: String,
    pub leaderboard: Vec<LeaderboardEntry>,
    pub allocations: Vec<AllocationOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tie: Option<TieOut>,
    pub notes: Vec<String>,
    pub projected: bool,
    pub at: String,
    pub time_zone: String,
    pub explanation: Explanation,
    /// The figures above as numbers, for callers that add cycles up (simulate); not serialized.
    #[serde(skip)]
    pub amounts: CycleAmounts,
}

/// One cycle's money as exact numbers (the output carries them as strings).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CycleAmounts {
    pub revenue: Decimal,
    pub pool_minor: i128,
    /// pool + carried in: what the resolver allocated.
    pub available_minor: i128,
    /// The paid allocations' amounts, in the order of `Preview::allocations`.
    pub allocations_minor: Vec<i128>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowOut {
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeaderboardEntry {
    pub collaborator_id: String,
    pub score: i64,
    pub rank: usize,
    pub breakdown: BTreeMap<String, i64>,
    /// Points to the leader's score: what it takes to draw level (one more point wins outright,
    /// subject to the tie policy).
    pub behind_leader: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reached_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AllocationOut {
    pub collaborator_id: String,
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TieOut {
    pub collaborator_ids: Vec<String>,
    pub score: i64,
    pub policy: &'static str,
    pub decided_by: &'static str,
    pub winners: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub window: WindowExplanation,
    pub scoring: ScoringExplanation,
    pub revenue: RevenueExplanation,
    pub pool: PoolExplanation,
    pub allocation: AllocationExplanation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WindowExplanation {
    /// `window`, `lastDistributionAt` or `schedule`.
    pub source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
    /// `start` (the input's) or `startOfYear` (derived).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor_source: Option<&'static str>,
    /// Events, sales and refunds after this instant have not happened yet.
    pub counted_until: String,
    pub half_open: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoringExplanation {
    pub collaborators: Vec<CollaboratorExplanation>,
    /// Present when some collaborator's event ids are not listed: ids are listed for this many
    /// collaborators from the top of the leaderboard (everyone keeps `eventCounts` and
    /// `events.count`; an unlisted list has `truncated: true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_ids_listed_for_top: Option<usize>,
    /// Present when the input gave `top`: the leaderboard, `collaborators` here and
    /// `allocation.shares` list the first `top` collaborators of the leaderboard's `of`
    /// (allocations stay complete).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listed: Option<Listed>,
    pub ignored: Vec<ReasonedIds<IgnoreReason>>,
    pub total_points: i64,
}

/// How much of the leaderboard a preview with `top` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Listed {
    /// As given (the same on every platform, however large).
    pub top: u64,
    pub of: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CollaboratorExplanation {
    pub collaborator_id: String,
    pub score: i64,
    /// Event type → number of events counted.
    pub event_counts: BTreeMap<String, usize>,
    /// The counted events in time order (capped).
    pub events: IdList,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReasonedIds<R: Serialize> {
    pub reason: R,
    #[serde(flatten)]
    pub ids: IdList,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RevenueExplanation {
    pub sales: String,
    pub refunds: String,
    /// sales − refunds, before flooring at 0.
    pub net: String,
    pub revenue: String,
    pub shortfall: String,
    pub transactions: Vec<SaleExplanation>,
    pub transactions_truncated: bool,
    pub refunds_applied: Vec<RefundExplanation>,
    pub refunds_truncated: bool,
    pub excluded: Vec<ReasonedIds<ExclusionReason>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolExplanation {
    pub resolver: &'static str,
    /// Revenue (net of refunds) at each percentage in effect.
    pub percentages: Vec<PercentageShare>,
    /// Σ revenue × percentage / 100, exactly, before the one rounding.
    pub exact: String,
    pub rounding: &'static str,
    pub decimals: u32,
    pub pool: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PercentageShare {
    pub percentage: String,
    pub revenue: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AllocationExplanation {
    pub resolver: &'static str,
    /// `largestRemainder`, or `none` when nothing was allocated.
    pub method: &'static str,
    pub tie_break: &'static str,
    pub carry_over_unawarded: bool,
    pub total_weight: u64,
    pub shares: Vec<ShareOut>,
    /// Who received one leftover minor unit, in order: largest remainder, then higher score,
    /// then earlier reachedAt, then lower collaborator id.
    pub remainder_order: Vec<String>,
    pub unawarded: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareOut {
    pub collaborator_id: String,
    pub weight: u64,
    /// ⌊pool × weight / totalWeight⌋.
    pub base: String,
    /// The fraction of a minor unit cut off, as `remainder/totalWeight`.
    pub remainder: u64,
    pub leftover_unit: bool,
    pub amount: String,
}

// ---------------------------------------------------------------------------------------------
// Reading the input

/// Reads and validates the whole input. `config` and `zone`, when given, are used instead of
/// parsing `config` and `timeZone` (for callers that already hold them typed).
pub fn read_request(
    input: &Value,
    config: Option<ConfigHistory>,
    zone: Option<Zone>,
) -> Result<PreviewRequest, EngineError> {
    read_request_records(input, config, zone, true)
}

/// Reads a preview input whose events and transactions are held elsewhere (a loaded
/// `dataset::Dataset`): `events` and `transactions` are refused, and left empty.
pub fn read_request_without_records(input: &Value) -> Result<PreviewRequest, EngineError> {
    read_request_records(input, None, None, false)
}

/// `events` or `transactions` passed where the records are already loaded.
pub(crate) fn refuse_records(object: &Map<String, Value>) -> Result<(), EngineError> {
    match ["events", "transactions"].into_iter().find(|key| object.contains_key(*key)) {
        Some(key) => Err(EngineError::new(
            Code::InputUnknownField,
            &Pointer::root().key(key),
            format!("The engine handle holds the loaded {key}; load new ones into it instead of passing `{key}`."),
        )),
        None => Ok(()),
    }
}

fn read_request_records(
    input: &Value,
    config: Option<ConfigHistory>,
    zone: Option<Zone>,
    with_records: bool,
) -> Result<PreviewRequest, EngineError> {
    let root = Pointer::root();
    let object = model::expect_input_object(input, "A preview input object")?;
    model::reject_unknown_fields(object, INPUT_FIELDS, &root, |_| "")?;
    if !with_records {
        refuse_records(object)?;
    }
    let Setup { distributor, config, zone } = read_setup(object, config, zone)?;
    let at = model::parse_instant(required(object, "at", &root)?, &root.key("at"), "`at`")?;
    let (window, window_source, index) = read_window(object, &distributor, zone, at)?;

    let Records { collaborators, events, transactions, policies, top } = read_records(object, with_records)?;

    Ok(PreviewRequest {
        distributor,
        config,
        zone,
        at,
        window,
        window_source,
        index,
        events,
        transactions,
        collaborators,
        policies,
        top,
    })
}

/// What a preview and a simulation read the same way before their own fields.
pub(crate) struct Setup {
    pub distributor: Distributor,
    pub config: ConfigHistory,
    pub zone: Zone,
}

/// `options`, the distributor from `recipe` + `distributorKey`, `config` and `timeZone`, in that
/// order (the first problem is the one reported). `config` and `zone`, when given, are used
/// instead of parsing theirs.
pub(crate) fn read_setup(
    object: &Map<String, Value>,
    config: Option<ConfigHistory>,
    zone: Option<Zone>,
) -> Result<Setup, EngineError> {
    let root = Pointer::root();
    let options =
        crate::registry::parse_validation_options(optional(object, "options")).map_err(|e| prefix(e, "/options"))?;
    let distributor = read_distributor(object, &options)?;
    let config = match config {
        Some(config) => config,
        None => read_config(required(object, "config", &root)?, &options)?,
    };
    let zone = match zone {
        Some(zone) => zone,
        None => {
            let path = root.key("timeZone");
            let name = expect_string(required(object, "timeZone", &root)?, &path, "`timeZone`")?;
            Zone::parse(name).map_err(|(code, message)| EngineError::new(code, &path, message))?
        }
    };
    Ok(Setup { distributor, config, zone })
}

/// The records and policies a preview and a simulation read the same way.
pub(crate) struct Records {
    pub collaborators: Option<Vec<Collaborator>>,
    pub events: Vec<Event>,
    pub transactions: Vec<Transaction>,
    pub policies: Policies,
    pub top: Option<u64>,
}

/// `collaborators`, `events` and `transactions` (left empty when the records are held by a
/// loaded `dataset::Dataset`), `policies` and `top`.
pub(crate) fn read_records(object: &Map<String, Value>, with_records: bool) -> Result<Records, EngineError> {
    let root = Pointer::root();
    let collaborators = optional(object, "collaborators")
        .map(|v| model::parse_collaborators(v, &root.key("collaborators")))
        .transpose()?;
    let (events, transactions) = if with_records {
        (
            model::parse_events(required(object, "events", &root)?, &root.key("events"))?,
            model::parse_transactions(required(object, "transactions", &root)?, &root.key("transactions"))?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let policies = optional(object, "policies")
        .map(|v| model::parse_policies(v, &root.key("policies")))
        .transpose()?
        .unwrap_or_default();
    let top = match optional(object, "top") {
        None => None,
        Some(value) => Some(value.as_u64().filter(|n| *n >= 1).ok_or_else(|| {
            EngineError::new(Code::InputWrongType, &root.key("top"), "`top` must be a whole number of at least 1.")
        })?),
    };
    Ok(Records { collaborators, events, transactions, policies, top })
}

/// How many collaborators an input's `top` lists: all without it, or when it is beyond this
/// machine's `usize`.
pub(crate) fn listed_count(top: Option<u64>) -> usize {
    top.map_or(usize::MAX, |top| usize::try_from(top).unwrap_or(usize::MAX))
}

/// Re-roots an error found inside a sub-document (`/recipe`, `/config`).
pub(crate) fn prefix(mut error: EngineError, at: &str) -> EngineError {
    error.path = format!("{at}{}", error.path);
    error
}

pub(crate) fn read_distributor(
    object: &Map<String, Value>,
    options: &ValidationOptions,
) -> Result<Distributor, EngineError> {
    let root = Pointer::root();
    let recipe_value = required(object, "recipe", &root)?;
    let recipe_object = expect_object(recipe_value, &root.key("recipe"), "`recipe`")?;
    let key =
        expect_string(required(object, "distributorKey", &root)?, &root.key("distributorKey"), "`distributorKey`")?
            .to_string();

    // The recipe validator's first error is the one the host sees, with its own code.
    if let Some(first) = recipe::validate(recipe_value, options).into_iter().find(|d| d.severity == Severity::Error) {
        return Err(prefix(EngineError::from(first), "/recipe"));
    }

    let recipe_path = root.key("recipe");
    let distributors = expect_object(
        required(recipe_object, "distributors", &recipe_path)?,
        &recipe_path.key("distributors"),
        "`distributors`",
    )?;
    let Some(entry) = distributors.get(&key) else {
        let known: Vec<&str> = distributors.keys().map(String::as_str).collect();
        return Err(EngineError::new(
            Code::PreviewUnknownDistributor,
            &root.key("distributorKey"),
            format!(
                "The recipe has no distributor `{key}`; it has: {}.",
                if known.is_empty() { "none".to_string() } else { known.join(", ") }
            ),
        ));
    };
    let path = recipe_path.key("distributors").key(&key);
    let entry = expect_object(entry, &path, "A distributor")?;

    let resolver_id = expect_string(
        required(entry, "distributionResolver", &path)?,
        &path.key("distributionResolver"),
        "`distributionResolver`",
    )?;
    let resolver = Resolver::from_id(resolver_id).ok_or_else(|| {
        let known: Vec<&str> = Resolver::ALL.iter().map(|r| r.id()).collect();
        EngineError::new(
            Code::PreviewUnsupportedResolver,
            &path.key("distributionResolver"),
            format!(
                "The engine cannot compute the distribution resolver `{resolver_id}`; it computes {}. A host-registered resolver is computed by the host.",
                known.join(", ")
            ),
        )
    })?;
    let pool_id = expect_string(
        required(entry, "distributionPoolResolver", &path)?,
        &path.key("distributionPoolResolver"),
        "`distributionPoolResolver`",
    )?;
    if pool_id != REVENUE_SINCE_LAST_DISTRIBUTION {
        return Err(EngineError::new(
            Code::PreviewUnsupportedResolver,
            &path.key("distributionPoolResolver"),
            format!("The engine cannot compute the pool resolver `{pool_id}`; it computes {REVENUE_SINCE_LAST_DISTRIBUTION}."),
        ));
    }
    let units_path = path.key("units");
    let units_code = expect_string(required(entry, "units", &path)?, &units_path, "`units`")?;
    let units = Units::lookup(units_code).ok_or_else(|| {
        EngineError::new(
            Code::PreviewUnknownUnits,
            &units_path,
            format!("`{units_code}` is neither a known ISO-4217 currency code nor `points`."),
        )
    })?;
    let active = match optional(entry, "status") {
        None => true,
        Some(value) => match expect_string(value, &path.key("status"), "`status`")? {
            "active" => true,
            "inactive" => false,
            other => {
                return Err(EngineError::new(
                    Code::InputWrongType,
                    &path.key("status"),
                    format!("A distributor's status is active or inactive, found `{other}`."),
                ))
            }
        },
    };
    let schedule = match optional(entry, "schedule") {
        None => None,
        Some(value) => {
            let schedule_path = path.key("schedule");
            let items = expect_array(value, &schedule_path, "`schedule`")?;
            Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, s)| expect_string(s, &schedule_path.index(i), "A schedule entry").map(str::to_string))
                    .collect::<Result<Vec<_>, _>>()?,
            )
        }
    };
    Ok(Distributor { key, resolver, units, active, schedule })
}

pub(crate) fn read_config(value: &Value, options: &ValidationOptions) -> Result<ConfigHistory, EngineError> {
    let (history, diagnostics) = config::parse(value, options);
    if let Some(first) = diagnostics.into_iter().find(|d| d.severity == Severity::Error) {
        return Err(prefix(EngineError::from(first), "/config"));
    }
    match history {
        Some(history) if !history.versions.is_empty() => Ok(history),
        _ => Err(EngineError::new(
            Code::PreviewInvalidConfig,
            &Pointer::root().key("config"),
            "The distributor configuration could not be read.",
        )),
    }
}

fn read_window(
    object: &Map<String, Value>,
    distributor: &Distributor,
    zone: Zone,
    at: DateTime<FixedOffset>,
) -> Result<(Window, WindowSource, u64), EngineError> {
    let root = Pointer::root();
    let last = optional(object, "lastDistributionAt")
        .map(|v| model::parse_instant(v, &root.key("lastDistributionAt"), "`lastDistributionAt`"))
        .transpose()?;
    let (window, source, index) = if let Some(value) = optional(object, "window") {
        let path = root.key("window");
        let explicit = expect_object(value, &path, "`window`")?;
        let start = model::parse_instant(required(explicit, "start", &path)?, &path.key("start"), "`start`")?;
        let end = model::parse_instant(required(explicit, "end", &path)?, &path.key("end"), "`end`")?;
        if end <= start {
            return Err(EngineError::new(
                Code::PreviewInvalidWindow,
                &path.key("end"),
                "The window's `end` must be after its `start`.",
            ));
        }
        if last.is_some_and(|last| last != start) {
            return Err(EngineError::new(
                Code::PreviewInvalidWindow,
                &root.key("lastDistributionAt"),
                "`lastDistributionAt` and `window.start` disagree; give one of them.",
            ));
        }
        (Window { start, end }, WindowSource::Explicit, 0)
    } else if let Some(start) = last {
        let schedule = parsed_schedule(distributor)?;
        let end = schedule.next_after(start, zone).map_err(|e| schedule_error(e, distributor))?;
        if end <= start {
            return Err(EngineError::new(
                Code::ScheduleNotAdvancing,
                &schedule_path(distributor),
                "The schedule does not move time forward.",
            ));
        }
        (Window { start, end }, WindowSource::LastDistribution, 0)
    } else {
        let (anchor, anchor_is_start) = match optional(object, "start") {
            Some(value) => (model::parse_instant(value, &root.key("start"), "`start`")?, true),
            None => (
                start_of_year(at, zone).ok_or_else(|| {
                    EngineError::new(
                        Code::PreviewWindowNotFound,
                        &root.key("at"),
                        "The start of `at`'s year cannot be represented in the site time zone.",
                    )
                })?,
                false,
            ),
        };
        if at < anchor {
            return Err(EngineError::new(
                Code::PreviewInvalidWindow,
                &root.key("at"),
                "`at` is before the distributor's `start`.",
            ));
        }
        let schedule = parsed_schedule(distributor)?;
        let mut base = anchor;
        let mut found = None;
        for index in 0..MAX_WINDOWS_WALKED {
            let next = schedule.next_after(base, zone).map_err(|e| schedule_error(e, distributor))?;
            if next <= base {
                return Err(EngineError::new(
                    Code::ScheduleNotAdvancing,
                    &schedule_path(distributor),
                    "The schedule does not move time forward.",
                ));
            }
            if at < next {
                found = Some((Window { start: base, end: next }, index));
                break;
            }
            base = next;
        }
        let (window, index) = found.ok_or_else(|| {
            EngineError::new(
                Code::PreviewWindowNotFound,
                &root.key("at"),
                format!("No schedule window contains `at` within {MAX_WINDOWS_WALKED} windows of the anchor; pass `lastDistributionAt`."),
            )
        })?;
        (window, WindowSource::Schedule { anchor, anchor_is_start }, index)
    };
    if at < window.start {
        return Err(EngineError::new(
            Code::PreviewInvalidWindow,
            &root.key("at"),
            "`at` is before the start of the cycle window.",
        ));
    }
    Ok((window, source, index))
}

pub(crate) fn schedule_path(distributor: &Distributor) -> Pointer {
    Pointer::root().key("recipe").key("distributors").key(&distributor.key).key("schedule")
}

pub(crate) fn parsed_schedule(distributor: &Distributor) -> Result<Schedule, EngineError> {
    let strings = distributor.schedule.as_ref().ok_or_else(|| {
        EngineError::new(
            Code::InputRequired,
            &schedule_path(distributor),
            "The distributor has no `schedule`, so the cycle window is unknown; pass `window` or a schedule.",
        )
    })?;
    Schedule::parse(strings).map_err(|errors| match errors.into_iter().next() {
        Some(first) => schedule_error(first, distributor),
        None => EngineError::new(Code::ScheduleInvalid, &schedule_path(distributor), "The schedule is not valid."),
    })
}

pub(crate) fn schedule_error(error: ScheduleError, distributor: &Distributor) -> EngineError {
    EngineError::new(error.code, &schedule_path(distributor).index(error.index), error.message)
}

/// Midnight on 1 January of `at`'s year, in the site zone.
fn start_of_year(at: DateTime<FixedOffset>, zone: Zone) -> Option<DateTime<FixedOffset>> {
    match zone {
        Zone::Iana(tz) => {
            let (offset, _) = tz.offset_at(at.timestamp());
            let year = at.with_timezone(&FixedOffset::east_opt(offset)?).year();
            let local = chrono::NaiveDate::from_ymd_opt(year, 1, 1)?.and_hms_opt(0, 0, 0)?.and_utc().timestamp();
            let utc = tz.earliest_utc(local)?;
            let offset = FixedOffset::east_opt(tz.offset_at(utc).0)?;
            Some(DateTime::from_timestamp(utc, 0)?.with_timezone(&offset))
        }
        Zone::Fixed(offset) => {
            let year = at.with_timezone(&offset).year();
            offset.with_ymd_and_hms(year, 1, 1, 0, 0, 0).single()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Computing the cycle

/// What a multi-cycle caller (simulate) adds to one cycle's computation. The default is the
/// preview's: nothing carried in, the standard notes.
#[derive(Debug, Clone, Default)]
pub struct CycleExtras {
    /// Unawarded pool carried in from earlier cycles (minor units), allocated with this one's.
    pub carried_in_minor: i128,
    /// Replaces the preview's "the distributor is inactive" note on a paused cycle.
    pub paused_note: Option<String>,
    /// The cycle is computed at its trigger (simulate): no "the distribution is due" note.
    pub settled: bool,
}

/// Computes the projected cycle.
pub fn run(request: &PreviewRequest) -> Result<Preview, EngineError> {
    run_cycle(request, &CycleExtras::default())
}

/// Computes one cycle: the preview's computation, plus what simulate carries between cycles.
pub fn run_cycle(request: &PreviewRequest, extras: &CycleExtras) -> Result<Preview, EngineError> {
    let scores = scoring::score(
        &request.events,
        &request.period(),
        &request.config,
        request.collaborators.as_deref(),
        &Pointer::root().key("events"),
    )?;
    let mut transactions: Vec<&Transaction> = request.transactions.iter().collect();
    pool::sort_for_revenue(&mut transactions);
    let revenue = cycle_revenue(request, transactions)?;
    run_cycle_scored(request, scores, &revenue, extras)
}

/// The cycle's revenue and pool (`revenueSinceLastDistribution`) from `transactions`, in
/// revenue order (`pool::sort_for_revenue`).
pub fn cycle_revenue(request: &PreviewRequest, transactions: Vec<&Transaction>) -> Result<PoolResult, EngineError> {
    let zone = request.zone;
    pool::revenue_since_last_distribution(
        transactions,
        &request.period(),
        &request.config,
        &request.distributor.units,
        &Pointer::root().key("transactions"),
        &|instant| time::format_in_zone(instant, zone),
    )
}

impl PreviewRequest {
    /// What the cycle counts: its window, as of `at`.
    pub fn period(&self) -> Period {
        Period { window: self.window, cutoff: self.at }
    }
}

/// Computes one cycle from scores and revenue already computed for `request.period()` (by
/// `scoring::score` over `request.events` and `cycle_revenue`, or by a loaded
/// `dataset::Dataset`); `request.events` and `request.transactions` are not read.
pub fn run_cycle_scored(
    request: &PreviewRequest,
    mut scores: scoring::Scores,
    revenue: &PoolResult,
    extras: &CycleExtras,
) -> Result<Preview, EngineError> {
    let root = Pointer::root();
    let zone = request.zone;
    let units = &request.distributor.units;
    let exponent = units.exponent;
    let format_time = |instant: DateTime<FixedOffset>| time::format_in_zone(instant, zone);

    // Leaderboard, in scoring's order (score, then reachedAt, then id).
    let leader_score = scores.collaborators.first().map_or(0, |c| c.score);
    let ranks = competition_ranks(&scores.collaborators.iter().map(|c| c.score).collect::<Vec<_>>());
    // With `top`, the lists below stop there: serialising, parsing and freeing the whole
    // leaderboard, its explanation and shares was most of a re-preview of 5,000 collaborators.
    let listed = listed_count(request.top);
    let leaderboard: Vec<LeaderboardEntry> = scores
        .collaborators
        .iter_mut()
        .zip(ranks)
        .take(listed)
        .map(|(c, rank)| LeaderboardEntry {
            collaborator_id: c.collaborator_id.clone(),
            score: c.score,
            rank,
            // Moved: nothing reads the breakdown after the leaderboard.
            breakdown: std::mem::take(&mut c.breakdown),
            behind_leader: leader_score.saturating_sub(c.score),
            reached_at: c.reached_at.map(format_time),
        })
        .collect();

    let event_ids_listed_for_top = scores
        .collaborators
        .iter()
        .skip(scoring::MAX_LISTED_COLLABORATORS)
        .any(|c| c.events.count > 0)
        .then_some(scoring::MAX_LISTED_COLLABORATORS);
    // The event lists and counts move into the explanation (nothing reads them after;
    // cloning 250k labels was a tenth of a 1M-event preview).
    let explained: Vec<CollaboratorExplanation> = scores
        .collaborators
        .iter_mut()
        .take(listed)
        .filter(|c| c.score != 0 || c.events.count > 0)
        .map(|c| CollaboratorExplanation {
            collaborator_id: c.collaborator_id.clone(),
            score: c.score,
            event_counts: std::mem::take(&mut c.event_counts),
            events: std::mem::take(&mut c.events),
        })
        .collect();

    let contenders: Vec<Contender> = scores
        .collaborators
        .iter()
        .map(|c| Contender { collaborator_id: &c.collaborator_id, score: c.score, reached_at: c.reached_at })
        .collect();
    let resolver = request.distributor.resolver;
    let available_minor = revenue.pool_minor.checked_add(extras.carried_in_minor).ok_or_else(|| {
        EngineError::new(
            Code::PreviewAmountOutOfRange,
            &root.key("transactions"),
            "The cycle's pool is too large to compute exactly.",
        )
    })?;
    let allocation = resolvers::allocate(resolver, available_minor, &contenders, request.policies.tie_break)?;
    let anyone_scored = contenders.iter().any(|c| c.score > 0);

    let status = if !request.distributor.active {
        "paused"
    } else if !anyone_scored {
        "noEngagement"
    } else if available_minor == 0 {
        "noRevenue"
    } else {
        "distributed"
    };
    let pays = status == "distributed";

    // Contenders are in leaderboard order, so a share's contender is its leaderboard place:
    // each share is put in its place, not sorted there.
    let mut by_place: Vec<Option<&resolvers::Share>> = vec![None; if pays { contenders.len() } else { 0 }];
    for share in allocation.shares.iter().filter(|s| s.amount_minor > 0) {
        if let Some(place) = by_place.get_mut(share.contender) {
            *place = Some(share);
        }
    }
    let paid_shares: Vec<&resolvers::Share> = by_place.into_iter().flatten().collect();
    let allocations: Vec<AllocationOut> = paid_shares
        .iter()
        .map(|s| AllocationOut {
            collaborator_id: s.collaborator_id.to_string(),
            amount: format_minor(s.amount_minor, exponent),
        })
        .collect();

    let tie = allocation.tie.as_ref().map(|t| TieOut {
        collaborator_ids: t.collaborator_ids.clone(),
        score: t.score,
        policy: t.policy.id(),
        decided_by: t.decided_by.id(),
        winners: t.winners.clone(),
    });

    let pool_text = format_minor(revenue.pool_minor, exponent);
    let notes = notes(
        request,
        extras,
        &scores,
        revenue,
        &allocation,
        status,
        &format_minor(available_minor, exponent),
        &format_time,
    );

    let mut sales = revenue.sales_explained.clone();
    let transactions_truncated = sales.len() > pool::MAX_LISTED_TRANSACTIONS;
    sales.truncate(pool::MAX_LISTED_TRANSACTIONS);
    // Only the listed refunds are copied (a window can hold tens of thousands).
    let refunds_applied: Vec<_> = revenue.refunds_explained.iter().take(pool::MAX_LISTED_TRANSACTIONS).cloned().collect();
    let refunds_truncated = revenue.refunds_explained.len() > pool::MAX_LISTED_TRANSACTIONS;

    let total_weight: u128 = allocation.shares.iter().map(|s| s.weight).fold(0u128, u128::saturating_add);
    // With `top`, the shares of the listed collaborators: those placed before `listed`.
    let shares: Vec<ShareOut> = allocation
        .shares
        .iter()
        .filter(|s| s.contender < listed)
        .map(|s| ShareOut {
            collaborator_id: s.collaborator_id.to_string(),
            weight: u64::try_from(s.weight).unwrap_or(u64::MAX),
            base: format_minor(s.base_minor, exponent),
            remainder: u64::try_from(s.remainder).unwrap_or(u64::MAX),
            leftover_unit: s.leftover_unit,
            amount: format_minor(s.amount_minor, exponent),
        })
        .collect();
    let explanation = Explanation {
        window: WindowExplanation {
            source: match request.window_source {
                WindowSource::Explicit => "window",
                WindowSource::LastDistribution => "lastDistributionAt",
                WindowSource::Schedule { .. } => "schedule",
            },
            anchor: match request.window_source {
                WindowSource::Schedule { anchor, .. } => Some(format_time(anchor)),
                _ => None,
            },
            anchor_source: match request.window_source {
                WindowSource::Schedule { anchor_is_start: true, .. } => Some("start"),
                WindowSource::Schedule { anchor_is_start: false, .. } => Some("startOfYear"),
                _ => None,
            },
            counted_until: format_time(request.at.min(request.window.end)),
            half_open: true,
        },
        scoring: ScoringExplanation {
            event_ids_listed_for_top,
            listed: request.top.map(|top| Listed { top, of: scores.collaborators.len() }),
            collaborators: explained,
            ignored: scores
                .ignored
                .iter()
                .map(|(reason, ids)| ReasonedIds { reason: *reason, ids: ids.clone() })
                .collect(),
            total_points: scores.total,
        },
        revenue: RevenueExplanation {
            sales: format_exact(revenue.sales, exponent),
            refunds: format_exact(revenue.refunds, exponent),
            net: format_exact(revenue.sales.checked_sub(revenue.refunds).unwrap_or(Decimal::ZERO), exponent),
            revenue: format_exact(revenue.revenue, exponent),
            shortfall: format_exact(revenue.shortfall, exponent),
            transactions: sales,
            transactions_truncated,
            refunds_applied,
            refunds_truncated,
            excluded: revenue
                .excluded
                .iter()
                .map(|(reason, ids)| ReasonedIds { reason: *reason, ids: ids.clone() })
                .collect(),
        },
        pool: PoolExplanation {
            resolver: REVENUE_SINCE_LAST_DISTRIBUTION,
            percentages: revenue
                .by_percentage
                .iter()
                .map(|(percentage, amount)| PercentageShare {
                    percentage: percentage.to_string(),
                    revenue: format_exact(*amount, exponent),
                })
                .collect(),
            exact: format_exact(revenue.pool_exact, exponent),
            rounding: "halfToEven",
            decimals: exponent,
            pool: pool_text.clone(),
        },
        allocation: AllocationExplanation {
            resolver: resolver.id(),
            method: if allocation.shares.is_empty() { "none" } else { "largestRemainder" },
            tie_break: request.policies.tie_break.id(),
            carry_over_unawarded: request.policies.carry_over_unawarded,
            total_weight: u64::try_from(total_weight).unwrap_or(u64::MAX),
            shares,
            remainder_order: allocation.remainder_order.iter().map(|id| id.to_string()).collect(),
            unawarded: format_minor(if pays { allocation.unawarded_minor } else { available_minor }, exponent),
        },
    };

    Ok(Preview {
        index: request.index,
        window: WindowOut { start: format_time(request.window.start), end: format_time(request.window.end) },
        trigger_at: format_time(request.window.end),
        status,
        revenue: format_exact(revenue.revenue, exponent),
        pool: pool_text,
        units: units.code.clone(),
        leaderboard,
        allocations,
        tie,
        notes,
        projected: true,
        at: format_time(request.at),
        time_zone: zone.name(),
        explanation,
        amounts: CycleAmounts {
            revenue: revenue.revenue,
            pool_minor: revenue.pool_minor,
            available_minor,
            allocations_minor: paid_shares.iter().map(|s| s.amount_minor).collect(),
        },
    })
}

/// Plain sentences for a site owner: why nothing was paid, what was left out, how ties went.
#[allow(clippy::too_many_arguments)]
fn notes(
    request: &PreviewRequest,
    extras: &CycleExtras,
    scores: &scoring::Scores,
    revenue: &PoolResult,
    allocation: &resolvers::AllocationResult,
    status: &str,
    pool_text: &str,
    format_time: &dyn Fn(DateTime<FixedOffset>) -> String,
) -> Vec<String> {
    let units = &request.distributor.units.code;
    let mut notes = Vec::new();
    if let WindowSource::Schedule { anchor, anchor_is_start: false } = request.window_source {
        notes.push(format!(
            "The window was found by applying the schedule from {}, the start of the year; pass `lastDistributionAt` (or `start`) for the exact cycle.",
            format_time(anchor)
        ));
    }
    if request.at >= request.window.end && !extras.settled {
        notes.push(format!(
            "`at` is past the window's end ({}): this distribution is due; activity after the end belongs to the next cycle.",
            format_time(request.window.end)
        ));
    }
    match status {
        "paused" => notes.push(extras.paused_note.clone().unwrap_or_else(|| {
            "The distributor is inactive, so this trigger would be skipped; scores and revenue keep accumulating and are paid at the first trigger after it is active again."
                .to_string()
        })),
        "noEngagement" => notes.push(format!(
            "Nobody scored in this window, so the pool of {pool_text} {units} is not allocated; {}.",
            if request.policies.carry_over_unawarded {
                "carryOverUnawarded is on, so it carries over to the next cycle"
            } else {
                "carryOverUnawarded is off, so it is not carried over"
            }
        )),
        "noRevenue" => notes.push("There is no qualifying revenue in this window, so the pool is 0 and nothing is allocated.".to_string()),
        _ => {}
    }
    if revenue.no_compilers {
        notes.push(
            "No transaction compilers are enabled, so no transaction counts toward revenue and the pool is 0."
                .to_string(),
        );
    }
    if !revenue.shortfall.is_zero() {
        notes.push(format!(
            "Refunds in this window exceed its revenue by {} {units}; revenue is floored at 0 and the shortfall is not carried.",
            format_exact(revenue.shortfall, request.distributor.units.exponent)
        ));
    }
    if let Some(tie) = &allocation.tie {
        notes.push(format!(
            "{} tie for the top score of {} points; settled by {}: {} {}.",
            tie.collaborator_ids.join(", "),
            tie.score,
            tie.decided_by.id(),
            tie.winners.join(", "),
            if tie.winners.len() == 1 { "wins" } else { "share the pool" }
        ));
        if tie.decided_by != tie.policy {
            notes.push(format!(
                "They reached the score at the same instant, so {} could not separate them.",
                tie.policy.id()
            ));
        }
    }
    if status == "distributed" {
        let zero = allocation.shares.iter().filter(|s| s.amount_minor == 0).count();
        if zero > 0 {
            notes.push(format!(
                "{zero} collaborator(s) with a score have a share that rounds to 0 and receive nothing."
            ));
        }
    }
    for (reason, ids) in &revenue.excluded {
        let sentence = match reason {
            ExclusionReason::CurrencyMismatch => {
                format!("transaction(s) in a currency other than {units} were not counted")
            }
            ExclusionReason::NotComplete => {
                "transaction(s) not complete (cancelled, or refunded without refund records) were not counted"
                    .to_string()
            }
            ExclusionReason::NoConfigInEffect => {
                "transaction(s) before the first configuration version were not counted".to_string()
            }
            ExclusionReason::NotYetOccurred => "transaction(s) after `at` were not counted yet".to_string(),
            ExclusionReason::OutsideWindow => continue,
        };
        notes.push(format!("{} {sentence}.", ids.count));
    }
    let ignored: usize =
        scores.ignored.iter().filter(|(r, _)| **r != IgnoreReason::OutsideWindow).map(|(_, ids)| ids.count).sum();
    if ignored > 0 {
        notes.push(format!(
            "{ignored} event(s) in the window scored nothing; explanation.scoring.ignored lists them by reason."
        ));
    }
    notes
}

/// `previewScores` over a JSON input.
pub fn preview_scores(input: &Value) -> Result<Preview, EngineError> {
    run(&read_request(input, None, None)?)
}
