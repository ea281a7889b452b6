//! The site time zones the engine knows: the zones WordPress offers (PHP's
//! `timezone_identifiers_list()`, canonical zones plus `UTC`), then the older IANA names PHP
//! still accepts (links, deprecated names), with their UTC offsets and DST flags from the IANA
//! database, in a compact table (`tzdata.bin`, ~199 KB raw).
//!
//! The table is generated from chrono-tz (same IANA release, same transitions up to 2099) by
//! `cargo xtask gen-tzdata`, and the unit tests' `zones` module checks it against chrono-tz for
//! every zone. Only the offset and the DST flag of each span are kept: that is all the engine
//! reads (abbreviations are never shown). Before the first transition the first offset applies.
//! chrono-tz lists transitions up to 2099 and then keeps the last offset, but PHP keeps applying
//! the zone's POSIX TZ rule: so a zone that still has DST in 2099 also carries its yearly rule
//! (month, nth or last weekday, local time, for each of its two transitions, derived from its
//! 2090–2099 transitions by the generator), applied to every instant after its last transition.
//! Other zones keep their last offset.
//!
//! Format (all integers LEB128, signed ones zig-zag encoded): zone count; per zone its name
//! (length + bytes) and the index of its data block (zones with identical history share one);
//! block count; per block the offset count, each offset (seconds east of UTC, DST flag 0/1), the
//! initial offset index, the transition count, per transition the time (the first
//! absolute, then the gap to the previous one, in seconds) and the offset index, then the rule
//! count (0 or 2) and per rule its month, week (1–4, 5: last), weekday (0: Sunday), seconds
//! after local midnight in the offset before it (signed) and the offset index it switches to.

use chrono::{DateTime, Datelike, NaiveDate};
use std::sync::OnceLock;

static DATA: &[u8] = include_bytes!("tzdata.bin");

/// A zone of the table (an index into it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tz(u16);

struct Index {
    names: Vec<&'static str>,
    block_of_zone: Vec<u16>,
    blocks: Vec<Block>,
}

struct Block {
    offsets: Vec<(i32, bool)>,
    initial: u8,
    times: Vec<i64>,
    offset_index: Vec<u8>,
    rules: Vec<Rule>,
}

/// A yearly transition of a POSIX TZ rule (`M3.5.0/1`): in `month`, the `week`th (5: last)
/// `weekday` (0: Sunday), `seconds` after that day's local midnight in the offset before it.
struct Rule {
    month: u32,
    week: u32,
    weekday: u32,
    seconds: i64,
    to: u8,
}

impl Rule {
    /// The Unix time of this transition in `year`, `before` being the offset in force until then.
    fn time(&self, year: i32, before: i32) -> Option<i64> {
        let first = NaiveDate::from_ymd_opt(year, self.month, 1)?;
        let first_weekday = first.weekday().num_days_from_sunday();
        let mut day = 1 + (self.weekday + 7 - first_weekday) % 7 + 7 * self.week.checked_sub(1)?;
        if self.week == 5 && NaiveDate::from_ymd_opt(year, self.month, day).is_none() {
            day -= 7;
        }
        let date = NaiveDate::from_ymd_opt(year, self.month, day)?;
        let midnight = date.and_hms_opt(0, 0, 0)?.and_utc().timestamp();
        Some(midnight + self.seconds - i64::from(before))
    }
}

struct Reader {
    at: usize,
}

impl Reader {
    fn unsigned(&mut self) -> u64 {
        let mut value = 0u64;
        let mut shift = 0;
        while let Some(&byte) = DATA.get(self.at) {
            self.at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        value
    }

    fn signed(&mut self) -> i64 {
        let raw = self.unsigned();
        ((raw >> 1) as i64) ^ -((raw & 1) as i64)
    }

    fn bytes(&mut self, len: usize) -> &'static [u8] {
        let start = self.at.min(DATA.len());
        let end = (start + len).min(DATA.len());
        self.at = end;
        DATA.get(start..end).unwrap_or_default()
    }
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut reader = Reader { at: 0 };
        let zones = reader.unsigned() as usize;
        let mut names = Vec::with_capacity(zones);
        let mut block_of_zone = Vec::with_capacity(zones);
        for _ in 0..zones {
            let len = reader.unsigned() as usize;
            names.push(std::str::from_utf8(reader.bytes(len)).unwrap_or_default());
            block_of_zone.push(reader.unsigned() as u16);
        }
        let count = reader.unsigned() as usize;
        let mut blocks = Vec::with_capacity(count);
        for _ in 0..count {
            let offset_count = reader.unsigned() as usize;
            let offsets = (0..offset_count).map(|_| (reader.signed() as i32, reader.unsigned() != 0)).collect();
            let initial = reader.unsigned() as u8;
            let transitions = reader.unsigned() as usize;
            let mut times = Vec::with_capacity(transitions);
            let mut offset_index = Vec::with_capacity(transitions);
            let mut time = 0i64;
            for i in 0..transitions {
                let value = reader.signed();
                time = if i == 0 { value } else { time + value };
                times.push(time);
                offset_index.push(reader.unsigned() as u8);
            }
            let rules = (0..reader.unsigned())
                .map(|_| Rule {
                    month: reader.unsigned() as u32,
                    week: reader.unsigned() as u32,
                    weekday: reader.unsigned() as u32,
                    seconds: reader.signed(),
                    to: reader.unsigned() as u8,
                })
                .collect();
            blocks.push(Block { offsets, initial, times, offset_index, rules });
        }
        Index { names, block_of_zone, blocks }
    })
}

impl Block {
    /// The offset index the yearly rules give at `utc`, past the listed transitions: the one
    /// switched to by the latest rule transition at or before it (a rule's transition can fall in
    /// the UTC year before or after its own).
    fn by_rule(&self, utc: i64) -> Option<u8> {
        let [first, second] = self.rules.as_slice() else { return None };
        let before = |rule: &Rule| self.offsets.get(usize::from(rule.to)).map(|o| o.0);
        let year = DateTime::from_timestamp(utc, 0)?.year();
        [year - 1, year, year + 1]
            .into_iter()
            .flat_map(|y| [(first, y, before(second)), (second, y, before(first))])
            .filter_map(|(rule, y, before)| Some((rule.time(y, before?)?, rule.to)))
            .filter(|(time, _)| *time <= utc)
            .max_by_key(|(time, _)| *time)
            .map(|(_, to)| to)
    }
}

impl Tz {
    pub const UTC: Tz = Tz(u16::MAX);

    /// The zone with exactly this name.
    pub fn from_name(name: &str) -> Option<Tz> {
        if name == "UTC" {
            return Some(Tz::UTC);
        }
        index().names.iter().position(|n| *n == name).map(Tz::at)
    }

    fn at(position: usize) -> Tz {
        let tz = Tz(position as u16);
        if tz.name() == "UTC" {
            Tz::UTC
        } else {
            tz
        }
    }

    /// The zone whose name matches ignoring ASCII case.
    pub fn from_name_ignore_case(name: &str) -> Option<Tz> {
        index().names.iter().position(|n| n.eq_ignore_ascii_case(name)).map(Tz::at)
    }

    pub fn name(self) -> &'static str {
        index().names.get(usize::from(self.0)).copied().unwrap_or("UTC")
    }

    /// Every zone name in the table.
    pub fn names() -> &'static [&'static str] {
        &index().names
    }

    /// Seconds east of UTC and the DST flag in force at the Unix time `utc` (seconds).
    pub fn offset_at(self, utc: i64) -> (i32, bool) {
        let index = index();
        let Some(block) = index.block_of_zone.get(usize::from(self.0)).and_then(|b| index.blocks.get(usize::from(*b)))
        else {
            return (0, false);
        };
        let position = block.times.partition_point(|t| *t <= utc);
        let which = match position.checked_sub(1) {
            None => block.initial,
            Some(i) => {
                let listed = block.offset_index.get(i).copied().unwrap_or(block.initial);
                if i + 1 == block.times.len() {
                    block.by_rule(utc).unwrap_or(listed)
                } else {
                    listed
                }
            }
        };
        block.offsets.get(usize::from(which)).copied().unwrap_or((0, false))
    }

    /// The Unix time of the wall-clock time `local` (seconds since 1970-01-01T00:00 of the wall
    /// clock), the earliest one when it is ambiguous, `None` in a gap (chrono's `earliest()`).
    pub fn earliest_utc(self, local: i64) -> Option<i64> {
        let candidates =
            [self.offset_at(local.saturating_sub(86_400)).0, self.offset_at(local.saturating_add(86_400)).0];
        candidates
            .iter()
            .filter_map(|offset| {
                let utc = local.checked_sub(i64::from(*offset))?;
                (self.offset_at(utc).0 == *offset).then_some(utc)
            })
            .min()
    }
}
