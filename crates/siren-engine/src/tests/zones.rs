//! The compact zone table (src/tz) against chrono-tz, and the zone names WordPress offers.
#![cfg(not(target_arch = "wasm32"))]

use chrono::{DateTime, Offset, TimeZone};
use chrono_tz::OffsetComponents;
use siren_engine::time::{Tz, Zone};

fn php_zones() -> Vec<String> {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/php_zones.txt"))
        .expect("tests/data/php_zones.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn chrono_state(tz: chrono_tz::Tz, utc: i64) -> (i32, bool) {
    let offset = tz.offset_from_utc_datetime(&DateTime::from_timestamp(utc, 0).unwrap().naive_utc());
    (offset.fix().local_minus_utc(), offset.dst_offset().num_seconds() != 0)
}

#[test]
fn every_php_zone_name_parses() {
    let names = php_zones();
    assert!(names.len() > 400, "tests/data/php_zones.txt holds {} names", names.len());
    for name in &names {
        let zone = Zone::parse(name).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(zone.name(), *name);
        assert_eq!(Zone::parse(&name.to_ascii_lowercase()).unwrap().name(), *name);
    }
    // PHP's listed zones come first in the table (suggestions prefer them), then the other IANA
    // names (links and deprecated names).
    assert_eq!(&Tz::names()[..names.len()], names.iter().map(String::as_str).collect::<Vec<_>>().as_slice());
}

#[test]
fn deprecated_and_link_names_older_sites_store_still_parse() {
    // PHP accepts these although timezone_identifiers_list() no longer lists them.
    for (name, same_as) in [
        ("US/Eastern", "America/New_York"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Etc/GMT+5", "America/Panama"),
    ] {
        let Zone::Iana(alias) = Zone::parse(name).unwrap() else { panic!("{name} parsed as a fixed offset") };
        let Zone::Iana(target) = Zone::parse(same_as).unwrap() else { panic!("{same_as}") };
        assert_eq!(alias.name(), name);
        for t in [0, 1_700_000_000, 1_720_000_000, 2_000_000_000] {
            assert_eq!(alias.offset_at(t), target.offset_at(t), "{name} vs {same_as} at {t}");
        }
    }
}

#[test]
fn unknown_zones_suggest_the_nearest_name() {
    let (_, message) = Zone::parse("America/New_Yrok").unwrap_err();
    assert!(message.contains("Did you mean \"America/New_York\"?"), "{message}");
    let (_, message) = Zone::parse("Europe/Londn").unwrap_err();
    assert!(message.contains("Did you mean \"Europe/London\"?"), "{message}");
}

/// Every day from 1850 to 2099, and one second either side of every chrono-tz transition
/// found that way (bisected to the second), for every zone.
#[test]
fn offsets_match_chrono_tz() {
    const DAY: i64 = 86_400;
    for name in Tz::names() {
        let Zone::Iana(ours) = Zone::parse(name).unwrap() else { panic!("{name} parsed as a fixed offset") };
        let theirs: chrono_tz::Tz = name.parse().unwrap();
        let mut t = -3_786_825_600i64; // 1850
        let mut previous = chrono_state(theirs, t);
        while t < 4_102_444_800 {
            // 2100: chrono-tz keeps the last offset from then on, PHP (and the table) the rule
            let now = chrono_state(theirs, t);
            assert_eq!(ours.offset_at(t), now, "{name} at {t}");
            if now != previous {
                let (mut before, mut at) = (t - DAY, t);
                while at - before > 1 {
                    let middle = before + (at - before) / 2;
                    if chrono_state(theirs, middle) == previous {
                        before = middle;
                    } else {
                        at = middle;
                    }
                }
                for probe in [at - 1, at, at + 1] {
                    assert_eq!(ours.offset_at(probe), chrono_state(theirs, probe), "{name} at {probe}");
                }
            }
            previous = now;
            t += DAY;
        }
    }
}

/// Midnight on 1 January (what the preview's year window starts from) resolves like chrono-tz.
#[test]
fn earliest_local_times_match_chrono_tz() {
    for name in php_zones() {
        let Zone::Iana(ours) = Zone::parse(&name).unwrap() else { panic!("{name}") };
        let theirs: chrono_tz::Tz = name.parse().unwrap();
        for year in (1900..2100).step_by(3) {
            for (month, day, hour) in [(1, 1, 0), (3, 29, 2), (10, 25, 2), (11, 1, 1)] {
                let expected = theirs.with_ymd_and_hms(year, month, day, hour, 30, 0).earliest().map(|t| t.timestamp());
                let local = chrono::NaiveDate::from_ymd_opt(year, month, day)
                    .unwrap()
                    .and_hms_opt(hour, 30, 0)
                    .unwrap()
                    .and_utc()
                    .timestamp();
                assert_eq!(ours.earliest_utc(local), expected, "{name} {year}-{month}-{day} {hour}:30");
            }
        }
    }
}

/// After 2099 every zone follows PHP 8.2 (`tests/data/php_transitions.txt`, from
/// `tests/php/transitions.php`): a zone with DST changes offset at PHP's instants in 2100, 2101,
/// 2150, 2500 and 9999, either side of each second, and every day of those years; the others
/// keep their 2099 offset.
#[test]
fn offsets_after_2099_match_php() {
    let golden = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/php_transitions.txt"))
        .expect("tests/data/php_transitions.txt");
    // Per zone: (Unix time, (offset, DST)) of each transition.
    type Transitions = Vec<(i64, (i32, bool))>;
    let mut by_zone: std::collections::BTreeMap<&str, Transitions> = Default::default();
    for line in golden.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        let [zone, time, offset, dst] = fields[..] else { panic!("{line}") };
        by_zone.entry(zone).or_default().push((time.parse().unwrap(), (offset.parse().unwrap(), dst == "1")));
    }
    assert!(by_zone.len() > 100, "{} zones with DST", by_zone.len());
    for zone in ["Europe/London", "America/New_York", "Australia/Sydney", "America/Santiago", "Asia/Jerusalem"] {
        assert_eq!(by_zone.get(zone).map(Vec::len), Some(10), "{zone}");
    }
    assert!(!by_zone.contains_key("Asia/Tokyo") && !by_zone.contains_key("Africa/Casablanca"));
    for name in php_zones() {
        let Zone::Iana(ours) = Zone::parse(&name).unwrap() else { panic!("{name}") };
        let transitions = by_zone.get(name.as_str()).cloned().unwrap_or_default();
        let end_of_2099 = ours.offset_at(4_102_444_799);
        for year in [2100, 2101, 2150, 2500, 9999] {
            let start = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
            let start = start.and_utc().timestamp();
            let within: Vec<_> =
                transitions.iter().filter(|(t, _)| (start..start + 366 * 86_400).contains(t)).collect();
            // Two transitions a year: the state on 1 January is the one the year ends in.
            let mut state = within.last().map_or(end_of_2099, |(_, state)| *state);
            for (t, after) in &within {
                assert_eq!(ours.offset_at(*t - 1), state, "{name} before {t}");
                assert_eq!(ours.offset_at(*t), *after, "{name} at {t}");
                state = *after;
            }
            for day in 0..365 {
                let t = start + day * 86_400 + 43_200;
                let expected = transitions.iter().rev().find(|(at, _)| *at <= t).map_or(end_of_2099, |(_, s)| *s);
                let expected = if within.first().is_some_and(|(at, _)| t < *at) {
                    within.last().map_or(end_of_2099, |(_, s)| *s)
                } else {
                    expected
                };
                assert_eq!(ours.offset_at(t), expected, "{name} on day {day} of {year}");
            }
        }
    }
}

/// The yearly rules answer at any instant without overflowing: past chrono's years the last
/// listed offset is kept.
#[test]
fn yearly_rules_are_total() {
    let Zone::Iana(london) = Zone::parse("Europe/London").unwrap() else { panic!("London") };
    for t in [i64::MIN, i64::MIN + 1, -10_000_000_000_001] {
        assert_eq!(london.offset_at(t), (-75, false), "{t}: London's local mean time");
    }
    for t in [10_000_000_000_001, i64::MAX - 1, i64::MAX] {
        assert_eq!(london.offset_at(t), (0, false), "{t}: the last listed offset");
    }
    // 262142-07-01, chrono's last full year: summer time still.
    assert_eq!(london.offset_at(8_210_250_979_200), (3600, true));
}
