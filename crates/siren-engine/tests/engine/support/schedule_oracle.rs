//! The PHP oracle: replays every case of `tests/data/schedule_oracle.json` (PHP 8.2's
//! `DateTime::modify` results) through the engine's public API. Uses `include_str!` only, so
//! the wasm test suite can reuse it.

use serde_json::Value;
use siren_engine::{format_in_zone, parse_timestamp, Code, Schedule, Zone};

const GOLDEN: &str = include_str!("../../../../../tests/data/schedule_oracle.json");

/// Outcome counts of one oracle run.
#[derive(Debug, Default)]
pub struct Summary {
    pub compared: usize,
    pub values_matched: usize,
    pub rejections_matched: usize,
    pub unsupported: usize,
    /// Of `unsupported`: strings PHP rejects that the engine calls unsupported (not invalid).
    pub rejected_as_unsupported: usize,
    pub mismatches: Vec<String>,
}

fn year_of(iso: &str) -> Option<i64> {
    let (sign, rest) = match iso.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, iso),
    };
    rest.split('-').next()?.parse::<i64>().ok().map(|y| sign * y)
}

/// Runs every case; see `Summary`.
pub fn run() -> Summary {
    let golden: Value = serde_json::from_str(GOLDEN).expect("golden file is JSON");
    let cases = golden["cases"].as_array().expect("cases array");
    let mut summary = Summary::default();
    for case in cases {
        summary.compared += 1;
        let from_text = case["from"].as_str().unwrap_or_default();
        let zone_text = case["timeZone"].as_str().unwrap_or_default();
        let strings: Vec<String> = case["schedule"]
            .as_array()
            .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        let refused = case["refused"].as_bool().unwrap_or(false);
        let label = format!("{from_text} {zone_text} {strings:?}");
        let (Ok(from), Ok(zone)) = (parse_timestamp(from_text), Zone::parse(zone_text)) else {
            summary.mismatches.push(format!("{label}: bad from/timeZone in golden file"));
            continue;
        };
        let outcome = Schedule::parse(&strings)
            .map_err(|errors| errors.into_iter().next())
            .and_then(|s| s.apply(from, zone).map_err(Some));
        if let Some(index) = case["phpRejects"].as_u64() {
            match outcome {
                Err(Some(e)) if e.code == Code::ScheduleInvalid && e.index as u64 == index => {
                    summary.rejections_matched += 1
                }
                Err(Some(e)) if e.code == Code::ScheduleUnsupported && refused && (e.index as u64) <= index => {
                    summary.unsupported += 1;
                    summary.rejected_as_unsupported += 1;
                }
                other => {
                    summary.mismatches.push(format!("{label}: PHP rejects string {index}, engine gives {other:?}"))
                }
            }
            continue;
        }
        let expected = case["expected"].as_str().unwrap_or_default();
        let in_range = year_of(expected).is_some_and(|y| (1..=9999).contains(&y));
        match outcome {
            Ok(result) if in_range && format_in_zone(result, zone) == expected => summary.values_matched += 1,
            Err(Some(e)) if !in_range && e.code == Code::ScheduleOutOfRange => summary.values_matched += 1,
            Err(Some(e)) if e.code == Code::ScheduleUnsupported && refused => summary.unsupported += 1,
            Ok(result) => {
                summary.mismatches.push(format!("{label}: PHP {expected}, engine {}", format_in_zone(result, zone)))
            }
            Err(e) => summary.mismatches.push(format!("{label}: PHP {expected}, engine error {e:?}")),
        }
    }
    summary
}

/// A description of every case where the engine disagrees with PHP.
#[allow(dead_code)] // the wasm suite calls this entry point
pub fn mismatches() -> Vec<String> {
    run().mismatches
}
