//! Arbitrary strings → `Schedule::parse` → `apply` / `next_after` / `advances` from a few
//! instants in a few zones, and `siren_engine::next_runs`. Properties: never panics; `next_after` is
//! strictly after its base; errors carry an index inside the schedule.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use siren_engine::{parse_timestamp, Schedule, Zone};

#[derive(Arbitrary, Debug)]
struct Input {
    strings: Vec<String>,
    from: u8,
    zone: u8,
    runs: u8,
}

const FROM: &[&str] = &[
    "2026-01-31T15:30:00-05:00",
    "2024-02-29T00:00:00Z",
    "2026-03-08T02:30:00-05:00",
    "2026-11-01T01:30:00-04:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "2026-12-31T23:59:59.999999+14:00",
];
const ZONES: &[&str] = &["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu", "+14:00", "-12:00", "Pacific/Apia"];

fuzz_target!(|input: Input| {
    let strings: Vec<String> = input.strings.into_iter().take(4).collect();
    let Ok(from) = parse_timestamp(FROM[input.from as usize % FROM.len()]) else { return };
    let zone_name = ZONES[input.zone as usize % ZONES.len()];
    let Ok(zone) = Zone::parse(zone_name) else { return };
    match Schedule::parse(&strings) {
        Ok(schedule) => {
            let _ = schedule.apply(from, zone);
            let mut base = from;
            for _ in 0..(input.runs % 8) {
                match schedule.next_after(base, zone) {
                    Ok(next) => {
                        assert!(next > base, "next_after went backwards");
                        base = next;
                    }
                    Err(e) => {
                        assert!(e.index < strings.len().max(1));
                        break;
                    }
                }
            }
            if input.runs % 16 == 0 {
                let _ = schedule.advances();
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in errors {
                assert!(e.index < strings.len().max(1), "index {} of {}", e.index, strings.len());
                assert!(!e.message.is_empty());
            }
        }
    }
    // The JS surface's path to the same code, including its own limits.
    let request = serde_json::json!({"schedule": strings, "from": FROM[input.from as usize % FROM.len()], "timeZone": zone_name, "count": 1 + input.runs as u64 % 5});
    if let Err(e) = siren_engine::next_runs(&request) {
        assert!(e.path.is_empty() || e.path.starts_with('/'));
    }
});
