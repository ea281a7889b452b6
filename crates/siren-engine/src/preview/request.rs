//! Reading a preview input into a typed `PreviewRequest`: the distributor from the recipe, the
//! configuration, the records, the zone and the window; every problem a located `EngineError`.

use crate::config::{self, ConfigHistory};
use crate::diagnostics::{Code, EngineError, Pointer, Severity};
use crate::model::{
    self, expect_array, expect_object, expect_string, optional, required, Collaborator, Event, Policies, Transaction,
};
use crate::money::Units;
use crate::pool::REVENUE_SINCE_LAST_DISTRIBUTION;
use crate::recipe;
use crate::registry::ValidationOptions;
use crate::resolvers::Resolver;
use crate::schedule::{Schedule, ScheduleError};
use crate::scoring::Window;
use crate::time::Zone;
use chrono::{DateTime, Datelike, FixedOffset, TimeZone};
use serde_json::{Map, Value};

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
/// bulk `Engine`): `events` and `transactions` are refused, and left empty.
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
/// loaded bulk `Engine`), `policies` and `top`.
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
