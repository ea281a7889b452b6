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
use chrono::{DateTime, Offset, TimeZone};
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
        let position = blocks.iter().position(|b| *b == block).unwrap_or_else(|| {
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
        "{} zones, {} distinct histories, {} bytes (chrono-tz {})",
        names.len(),
        blocks.len(),
        out.len(),
        chrono_tz::IANA_TZDB_VERSION
    );
    ExitCode::SUCCESS
}
