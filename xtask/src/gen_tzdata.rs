//! Regenerates `crates/siren-engine/src/tz/tzdata.bin` from chrono-tz for the zones in `tests/data/php_zones.txt`
//! (PHP's `timezone_identifiers_list()`), then every other IANA name chrono-tz knows (links and
//! deprecated names such as `US/Eastern` or `Europe/Kiev`, which PHP still accepts and older
//! WordPress sites may have stored). Listed zones come first, so suggestions prefer them; a link
//! shares its target's history block, so it costs only its name:
//!
//!     php -r 'echo implode("\n", timezone_identifiers_list()),"\n";' > tests/data/php_zones.txt
//!     cargo xtask gen-tzdata
//!
//! Transitions are found by stepping every 3 hours from 1800 to 2110 (chrono-tz's last one is
//! in 2099) and bisecting to the second; the zone tests check the result against chrono-tz.
//!
//! chrono-tz lists transitions only up to 2099, where PHP keeps applying the zone's POSIX rule.
//! So a zone that still changes offset twice a year in 2090–2099 also gets that yearly rule,
//! derived from those transitions (`yearly_rule`) and checked to reproduce every one of them.
use chrono::{DateTime, Datelike, NaiveDate, Offset, TimeZone};
use chrono_tz::{OffsetComponents, Tz};
use std::process::ExitCode;

fn state(tz: Tz, utc: i64) -> (i32, bool) {
    let instant = DateTime::from_timestamp(utc, 0).unwrap().naive_utc();
    let offset = tz.offset_from_utc_datetime(&instant);
    (offset.fix().local_minus_utc(), offset.dst_offset().num_seconds() != 0)
}

fn unsigned(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn signed(out: &mut Vec<u8>, value: i64) {
    unsigned(out, ((value << 1) ^ (value >> 63)) as u64);
}

/// Start of the years the yearly rule is derived from and must reproduce: 2090–2099 (before
/// 2087 Morocco's and Palestine's transitions follow Ramadan, not a yearly rule).
const RULE_FROM: i64 = 3_786_912_000; // 2090-01-01
const RULE_UNTIL: i64 = 4_102_444_800; // 2100-01-01

/// One yearly transition as a POSIX TZ rule says it: in `month`, the `week`th (5: last)
/// `weekday` (0: Sunday), at `seconds` after that day's local midnight in the offset before
/// the transition (may be negative or past 24 h), to the offset `to`.
#[derive(Clone, Copy, PartialEq, Debug)]
struct Rule {
    month: u32,
    week: u32,
    weekday: u32,
    seconds: i64,
    to: u8,
}

/// The transition `rule` gives in `year`, with `before` the offset in force before it.
fn rule_time(rule: Rule, year: i32, before: i32) -> Option<i64> {
    let first = NaiveDate::from_ymd_opt(year, rule.month, 1)?;
    let mut day = 1 + (rule.weekday + 7 - first.weekday().num_days_from_sunday()) % 7 + 7 * (rule.week - 1);
    if rule.week == 5 && NaiveDate::from_ymd_opt(year, rule.month, day).is_none() {
        day -= 7;
    }
    let date = NaiveDate::from_ymd_opt(year, rule.month, day)?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp() + rule.seconds - i64::from(before))
}

/// The two yearly rules reproducing every transition of 2090–2099, or none when the zone does
/// not change offset exactly twice a year then (no DST, or irregular transitions).
fn yearly_rule(offsets: &[(i32, bool)], transitions: &[(i64, u8)]) -> Vec<Rule> {
    let recent: Vec<(i64, u8, u8)> = transitions
        .windows(2)
        .filter(|w| (RULE_FROM..RULE_UNTIL).contains(&w[1].0))
        .map(|w| (w[1].0, w[0].1, w[1].1))
        .collect();
    if recent.len() != 20 || transitions.last().is_some_and(|t| t.0 >= RULE_UNTIL) {
        return Vec::new();
    }
    let mut rules = Vec::new();
    for kind in 0..2 {
        let (_, from, to) = recent[kind];
        let same: Vec<i64> = recent.iter().filter(|r| r.1 == from && r.2 == to).map(|r| r.0).collect();
        if same.len() != 10 {
            return Vec::new();
        }
        let before = offsets[usize::from(from)].0;
        let local = DateTime::from_timestamp(same[0] + i64::from(before), 0).unwrap().naive_utc();
        let midnight = local.date().and_hms_opt(0, 0, 0).unwrap();
        let seconds = (local - midnight).num_seconds();
        // The rule's day may be the local day of the transition or the one either side of it
        // (`M3.5.0/-1`, `M3.4.4/26`); nth and last weekday are both tried.
        let candidates = [-1i64, 0, 1].into_iter().flat_map(|shift| {
            let date = local.date() + chrono::Duration::days(shift);
            let nth = (date.day() - 1) / 7 + 1;
            [nth, 5].map(|week| Rule {
                month: date.month(),
                week,
                weekday: date.weekday().num_days_from_sunday(),
                seconds: seconds - shift * 86_400,
                to,
            })
        });
        let fits = |rule: &Rule| {
            same.iter().all(|t| {
                let year = DateTime::from_timestamp(*t, 0).unwrap().year();
                [year - 1, year, year + 1].iter().any(|y| rule_time(*rule, *y, before) == Some(*t))
            })
        };
        match candidates.into_iter().find(fits) {
            Some(rule) => rules.push(rule),
            None => panic!("no yearly rule reproduces the transitions {same:?}"),
        }
    }
    rules
}

pub fn run() -> ExitCode {
    let names: Vec<String> = std::fs::read_to_string("tests/data/php_zones.txt")
        .expect("tests/data/php_zones.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    let mut names = names;
    for tz in chrono_tz::TZ_VARIANTS {
        if !names.iter().any(|n| n == tz.name()) {
            names.push(tz.name().to_string());
        }
    }
    const START: i64 = -5_364_662_400; // 1800-01-01
    const END: i64 = 4_417_977_600; // 2110-01-01
    const STEP: i64 = 3 * 3600;
    let mut blocks: Vec<Vec<u8>> = Vec::new();
    let mut zone_block = Vec::new();
    let mut ruled = 0;
    for name in &names {
        let tz: Tz = name.parse().unwrap_or_else(|_| panic!("chrono-tz does not know {name}"));
        let initial = state(tz, START);
        let mut offsets = vec![initial];
        let mut transitions: Vec<(i64, u8)> = Vec::new();
        let mut previous = initial;
        let mut t = START;
        while t < END {
            let next = t + STEP;
            let now = state(tz, next);
            if now != previous {
                let (mut before, mut at) = (t, next);
                while at - before > 1 {
                    let middle = before + (at - before) / 2;
                    if state(tz, middle) == previous {
                        before = middle;
                    } else {
                        at = middle;
                    }
                }
                let found = state(tz, at);
                let index = offsets.iter().position(|o| *o == found).unwrap_or_else(|| {
                    offsets.push(found);
                    offsets.len() - 1
                });
                transitions.push((at, index as u8));
                previous = found;
                // A second change inside the same step is caught on the next iteration.
                t = at;
                continue;
            }
            t = next;
        }
        let mut block = Vec::new();
        unsigned(&mut block, offsets.len() as u64);
        for (offset, dst) in &offsets {
            signed(&mut block, i64::from(*offset));
            unsigned(&mut block, u64::from(*dst));
        }
        unsigned(&mut block, 0);
        unsigned(&mut block, transitions.len() as u64);
        let mut last = 0;
        for (i, (time, index)) in transitions.iter().enumerate() {
            signed(&mut block, if i == 0 { *time } else { time - last });
            unsigned(&mut block, u64::from(*index));
            last = *time;
        }
        let rules = yearly_rule(&offsets, &transitions);
        unsigned(&mut block, rules.len() as u64);
        for rule in &rules {
            for value in [rule.month, rule.week, rule.weekday] {
                unsigned(&mut block, u64::from(value));
            }
            signed(&mut block, rule.seconds);
            unsigned(&mut block, u64::from(rule.to));
        }
        let position = blocks.iter().position(|b| *b == block).unwrap_or_else(|| {
            ruled += usize::from(!rules.is_empty());
            blocks.push(block);
            blocks.len() - 1
        });
        zone_block.push(position);
    }
    let mut out = Vec::new();
    unsigned(&mut out, names.len() as u64);
    for (name, block) in names.iter().zip(&zone_block) {
        unsigned(&mut out, name.len() as u64);
        out.extend_from_slice(name.as_bytes());
        unsigned(&mut out, *block as u64);
    }
    unsigned(&mut out, blocks.len() as u64);
    for block in &blocks {
        out.extend_from_slice(block);
    }
    std::fs::write("crates/siren-engine/src/tz/tzdata.bin", &out).expect("write crates/siren-engine/src/tz/tzdata.bin");
    println!(
        "{} zones, {} distinct histories ({} with a yearly rule), {} bytes (chrono-tz {})",
        names.len(),
        blocks.len(),
        ruled,
        out.len(),
        chrono_tz::IANA_TZDB_VERSION
    );
    ExitCode::SUCCESS
}
