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
    /// Plain day arithmetic, total on any year the table is asked about.
    fn time(&self, year: i64, before: i32) -> i64 {
        let month = i64::from(self.month);
        let first = days_from_civil(year, month, 1);
        // 1970-01-01 was a Thursday (weekday 4).
        let first_weekday = (first + 4).rem_euclid(7);
        let mut day = first + (i64::from(self.weekday) - first_weekday).rem_euclid(7) + 7 * (i64::from(self.week) - 1);
        if day >= days_from_civil(year, month + 1, 1) {
            day -= 7; // the fifth week is the last one
        }
        day * 86_400 + self.seconds - i64::from(before)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (`month` 13 is January of `year + 1`);
/// Howard Hinnant's `days_from_civil`.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let (year, month) = if month > 12 { (year + 1, month - 12) } else { (year, month) };
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
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
    /// switched to by the latest rule transition at or before it. Never inlined: `offset_at` is
    /// inlined into several callers, and a copy of this in each cost a kilobyte gzipped.
    #[inline(never)]
    fn by_rule(&self, utc: i64) -> Option<u8> {
        let [first, second] = self.rules.as_slice() else { return None };
        // Beyond about 300,000 years the day arithmetic could overflow; chrono stops before.
        if utc.unsigned_abs() > 10_000_000_000_000 {
            return None;
        }
        // The UTC year of `utc` within one (an average Gregorian year of seconds); a rule's
        // transition may also fall in the UTC year before or after its own, so two years either
        // side are tried.
        let year = 1970 + utc.div_euclid(31_556_952);
        let mut latest: Option<(i64, u8)> = None;
        for y in year - 2..=year + 2 {
            for (rule, other) in [(first, second), (second, first)] {
                let time = rule.time(y, self.offsets.get(usize::from(other.to))?.0);
                if time <= utc && latest.is_none_or(|(at, _)| time > at) {
                    latest = Some((time, rule.to));
                }
            }
        }
        latest.map(|(_, to)| to)
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
