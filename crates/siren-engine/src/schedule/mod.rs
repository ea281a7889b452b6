//! Schedules: PHP `DateTime::modify` strings, parsed once and applied in order.
//!
//! Each string goes lexer/parser (`parser`) → a timelib-like relative struct (`modifier`) →
//! evaluator (`eval`, on wall-clock fields with timelib's normalization in `calendar`) → back
//! to an instant with PHP's DST resolution (`time::local_to_utc`).

mod calendar;
mod eval;
mod modifier;
mod parser;

use crate::diagnostics::Code;
use crate::time::{self, Zone};
use calendar::Fields;
use chrono::{DateTime, FixedOffset};
use modifier::Modifier;

/// A problem with one schedule string (`index` into the schedule array).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleError {
    pub code: Code,
    pub index: usize,
    pub message: String,
}

/// A parsed schedule: the list of modifiers, applied in order to the previous trigger.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    strings: Vec<String>,
    modifiers: Vec<Modifier>,
}

/// The supported date range: the years a trigger the engine returns or prints may have (those of
/// a timestamp it reads). PHP goes further.
const MIN_YEAR: i64 = 1;
const MAX_YEAR: i64 = 9999;
/// How far a trigger is computed that is only compared, never shown: the one after a
/// simulation's `end` (chrono's last full year).
const MAX_COMPARED_YEAR: i64 = 262_142;

impl Schedule {
    /// The next `count` triggers after `from` (each one the base of the next).
    pub fn next_runs(
        &self,
        from: DateTime<FixedOffset>,
        zone: Zone,
        count: usize,
    ) -> Result<Vec<DateTime<FixedOffset>>, ScheduleError> {
        let mut runs = Vec::with_capacity(count.min(1024));
        let mut base = from;
        for _ in 0..count {
            base = self.next_after(base, zone)?;
            runs.push(base);
        }
        Ok(runs)
    }

    /// Parses every string, reporting every unparseable one (not just the first).
    pub fn parse(strings: &[String]) -> Result<Schedule, Vec<ScheduleError>> {
        if strings.is_empty() {
            return Err(vec![ScheduleError {
                code: Code::ScheduleEmpty,
                index: 0,
                message: "A schedule needs at least one string.".into(),
            }]);
        }
        let mut modifiers = Vec::with_capacity(strings.len());
        let mut errors = Vec::new();
        for (index, text) in strings.iter().enumerate() {
            if text.trim().is_empty() {
                errors.push(ScheduleError {
                    code: Code::ScheduleEmpty,
                    index,
                    message: format!("Schedule string {index} is empty."),
                });
                continue;
            }
            match parser::parse(text) {
                Ok(modifier) => modifiers.push(modifier),
                Err((code, message)) => errors.push(ScheduleError { code, index, message }),
            }
        }
        if errors.is_empty() {
            Ok(Schedule { strings: strings.to_vec(), modifiers })
        } else {
            Err(errors)
        }
    }

    /// The schedule strings as given.
    pub fn strings(&self) -> &[String] {
        &self.strings
    }

    /// Applies every modifier in order, in `zone`, exactly as a PHP 8.2 `DateTime` in that zone
    /// would after `->modify()` with each string, without checking that time advances.
    pub fn apply(&self, base: DateTime<FixedOffset>, zone: Zone) -> Result<DateTime<FixedOffset>, ScheduleError> {
        self.apply_within(base, zone, MAX_YEAR)
    }

    fn apply_within(
        &self,
        base: DateTime<FixedOffset>,
        zone: Zone,
        max_year: i64,
    ) -> Result<DateTime<FixedOffset>, ScheduleError> {
        let mut current = base;
        for (index, modifier) in self.modifiers.iter().enumerate() {
            current = apply_one(modifier, current, zone, max_year).ok_or_else(|| ScheduleError {
                code: Code::ScheduleOutOfRange,
                index,
                message: format!(
                    "Applying {} to {} leaves the supported date range (years {MIN_YEAR} to {MAX_YEAR}).",
                    time::quote(self.strings.get(index).map(String::as_str).unwrap_or_default()),
                    time::format_in_zone(current, zone)
                ),
            })?;
        }
        Ok(current)
    }

    /// Whether the schedule moves time forward from a spread of probe instants (UTC, every
    /// month of a common and a leap year: the 1st, 15th, 28th to 31st and the first seven
    /// days, at 00:00, 12:00 and 23:59:59). A recipe carries no time zone, so this is a check
    /// of the schedule's shape; `next_after` still checks every real run.
    pub fn advances(&self) -> Advance {
        let mut stuck = Vec::new();
        let mut probes = 0usize;
        for year in [2026, 2028] {
            for month in 1..=12 {
                for day in [1, 2, 3, 4, 5, 6, 7, 15, 28, 29, 30, 31] {
                    for (hour, minute, second) in [(0, 0, 0), (12, 0, 0), (23, 59, 59)] {
                        let Some(base) = chrono::NaiveDate::from_ymd_opt(year, month, day)
                            .and_then(|date| date.and_hms_opt(hour, minute, second))
                            .map(|naive| naive.and_utc().fixed_offset())
                        else {
                            continue;
                        };
                        probes += 1;
                        if !self.apply(base, Zone::Fixed(*base.offset())).is_ok_and(|next| next > base) {
                            stuck.push(base);
                        }
                    }
                }
            }
        }
        match stuck.first() {
            None => Advance::Always,
            Some(&example) if stuck.len() == probes => Advance::Never { example },
            Some(&example) => Advance::Sometimes { example },
        }
    }

    /// The next trigger after `base`: every modifier applied in order, in `zone`.
    pub fn next_after(&self, base: DateTime<FixedOffset>, zone: Zone) -> Result<DateTime<FixedOffset>, ScheduleError> {
        let next = self.apply(base, zone)?;
        if next <= base {
            return Err(ScheduleError {
                code: Code::ScheduleNotAdvancing,
                index: 0,
                message: format!(
                    "The schedule does not move time forward: from {} it gives {}, so it would never produce a next run.",
                    time::format_in_zone(base, zone),
                    time::format_in_zone(next, zone)
                ),
            });
        }
        Ok(next)
    }

    /// The next trigger after `base` if it is at or before `end`, `None` if it is after `end`.
    /// A trigger after `end` is only compared, so it may lie past year 9999 (PHP computes it
    /// too): a range ending in 9999 is not refused for the trigger that follows it.
    pub fn next_until(
        &self,
        base: DateTime<FixedOffset>,
        zone: Zone,
        end: DateTime<FixedOffset>,
    ) -> Result<Option<DateTime<FixedOffset>>, ScheduleError> {
        match self.next_after(base, zone) {
            Ok(next) => Ok((next <= end).then_some(next)),
            Err(error) if error.code == Code::ScheduleOutOfRange => {
                match self.apply_within(base, zone, MAX_COMPARED_YEAR) {
                    Ok(next) if next > end && next > base => Ok(None),
                    _ => Err(error),
                }
            }
            Err(error) => Err(error),
        }
    }
}

/// One `DateTime::modify` call. `None` when the result leaves years `MIN_YEAR` to `max_year`.
fn apply_one(
    modifier: &Modifier,
    instant: DateTime<FixedOffset>,
    zone: Zone,
    max_year: i64,
) -> Option<DateTime<FixedOffset>> {
    if modifier.overflowed {
        return None;
    }
    let utc = instant.timestamp();
    let info = time::offset_info(zone, utc)?;
    let start = Fields::from_local_seconds(utc.checked_add(info.offset)?);
    let fields = eval::apply(modifier, start)?;
    if !(MIN_YEAR..=max_year).contains(&fields.year) {
        return None;
    }
    // An ambiguous wall time keeps the DST state the DateTime had before (timelib's tz->dst).
    let result = time::local_to_utc(zone, fields.to_local_seconds(), info.is_dst)?;
    // Setting a time of day also zeroes the microseconds, as PHP does.
    let nanos = if modifier.time.is_some() { 0 } else { instant.timestamp_subsec_nanos() };
    let utc_result = DateTime::from_timestamp(result, nanos)?;
    Some(time::to_zone(utc_result.fixed_offset(), zone))
}

/// The outcome of `Schedule::advances`; `example` is a probe instant the schedule does not move
/// forward from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advance {
    Always,
    Sometimes { example: DateTime<FixedOffset> },
    Never { example: DateTime<FixedOffset> },
}
