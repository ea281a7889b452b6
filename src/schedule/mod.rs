//! Schedules: PHP `DateTime::modify` strings, parsed once and applied in order.
//!
//! STUB: the signatures below are the contract other modules rely on.

use crate::diagnostics::Code;
use crate::time::Zone;
use chrono::{DateTime, FixedOffset};

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
}

impl Schedule {
    /// Parses every string, reporting every unparseable one (not just the first).
    pub fn parse(strings: &[String]) -> Result<Schedule, Vec<ScheduleError>> {
        if strings.is_empty() {
            return Err(vec![ScheduleError { code: Code::ScheduleEmpty, index: 0, message: "A schedule needs at least one string.".into() }]);
        }
        Ok(Schedule { strings: strings.to_vec() })
    }

    /// The next trigger after `base`: every modifier applied in order, in `zone`.
    pub fn next_after(&self, base: DateTime<FixedOffset>, zone: Zone) -> Result<DateTime<FixedOffset>, ScheduleError> {
        let _ = (base, zone);
        Err(ScheduleError { code: Code::ScheduleUnsupported, index: 0, message: "not implemented yet".into() })
    }
}

/// The next `count` triggers after `from` (each one the base of the next).
pub fn next_runs(schedule: &Schedule, from: DateTime<FixedOffset>, zone: Zone, count: usize) -> Result<Vec<DateTime<FixedOffset>>, ScheduleError> {
    let mut runs = Vec::with_capacity(count.min(1024));
    let mut base = from;
    for _ in 0..count {
        base = schedule.next_after(base, zone)?;
        runs.push(base);
    }
    Ok(runs)
}
