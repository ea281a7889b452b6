//! Instants and time zones at the boundary: ISO-8601 timestamps with an offset, and the site
//! time zone as WordPress stores it (an IANA name or a fixed offset).
//!
//! STUB: owned by the schedule work; the signatures below are the contract.

use crate::diagnostics::Code;
use chrono::{DateTime, FixedOffset};

/// A site time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Iana(chrono_tz::Tz),
    Fixed(FixedOffset),
}

impl Zone {
    /// `America/New_York`, `UTC`, `+02:00`, `-05:30`, `UTC+2`.
    pub fn parse(text: &str) -> Result<Zone, (Code, String)> {
        let _ = text;
        Err((Code::TimeUnknownZone, "not implemented yet".into()))
    }

    pub fn name(&self) -> String {
        match self {
            Zone::Iana(tz) => tz.name().to_string(),
            Zone::Fixed(offset) => offset.to_string(),
        }
    }
}

/// Parses an ISO-8601 timestamp that carries an offset or `Z`.
pub fn parse_timestamp(text: &str) -> Result<DateTime<FixedOffset>, (Code, String)> {
    DateTime::parse_from_rfc3339(text).map_err(|e| (Code::TimeInvalidTimestamp, e.to_string()))
}

/// Formats an instant as ISO-8601 in `zone`, e.g. `2026-12-01T00:00:00-05:00`.
pub fn format_in_zone(instant: DateTime<FixedOffset>, zone: Zone) -> String {
    let _ = zone;
    instant.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}
