//! Instants and time zones at the boundary: ISO-8601 timestamps with an offset, and the site
//! time zone as WordPress stores it (an IANA name or a fixed offset).
//!
//! Also the two zone look-ups the schedule evaluator needs to behave like PHP's timelib:
//! the offset in force at an instant (with its DST flag and when it began), and turning a
//! wall-clock time back into an instant (`local_to_utc`, timelib's `do_adjust_timezone`).

use crate::diagnostics::Code;
pub use crate::tz::Tz;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Timelike};

/// A site time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Iana(Tz),
    Fixed(FixedOffset),
}

/// Longest piece of caller input quoted back in a message.
const QUOTE_LIMIT: usize = 60;

/// Quotes caller input for a message, cut to `QUOTE_LIMIT` characters so a 10 MB string is
/// never echoed back.
pub(crate) fn quote(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(QUOTE_LIMIT).collect();
    if chars.next().is_some() {
        format!("\"{head}…\"")
    } else {
        format!("\"{head}\"")
    }
}

impl Zone {
    /// `America/New_York`, `UTC`, `+02:00`, `-05:30`, `+0200`, and WordPress's manual offsets
    /// `UTC+2`, `UTC-5.5`, `UTC+5:30`.
    pub fn parse(text: &str) -> Result<Zone, (Code, String)> {
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("utc") || trimmed.eq_ignore_ascii_case("z") {
            return Ok(Zone::Iana(Tz::UTC));
        }
        if let Some(offset) = parse_fixed_offset(trimmed) {
            return Ok(Zone::Fixed(offset));
        }
        if let Some(tz) = Tz::from_name(trimmed).or_else(|| Tz::from_name_ignore_case(trimmed)) {
            return Ok(Zone::Iana(tz));
        }
        let mut message = format!(
            "Unknown time zone {}: expected an IANA name such as \"America/New_York\", \"UTC\", or a fixed offset such as \"+02:00\" or \"UTC+5:30\".",
            quote(text)
        );
        if let Some(near) = nearest_zone_name(trimmed) {
            message.push_str(&format!(" Did you mean \"{near}\"?"));
        }
        Err((Code::TimeUnknownZone, message))
    }

    pub fn name(&self) -> String {
        match self {
            Zone::Iana(tz) => tz.name().to_string(),
            Zone::Fixed(offset) => offset.to_string(),
        }
    }
}

/// `+02:00`, `-0530`, `+2`, `UTC+2`, `UTC-5.5`, `UTC+5:30`, `UTC+5.75`.
fn parse_fixed_offset(text: &str) -> Option<FixedOffset> {
    let (body, wordpress) = match text.get(..3) {
        Some(prefix) if prefix.eq_ignore_ascii_case("utc") => (text.get(3..)?, true),
        _ => (text, false),
    };
    let sign = match body.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = body.get(1..)?;
    let all_digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    let (hours, minutes): (i32, i32) = if let Some((h, m)) = rest.split_once(':') {
        if !all_digits(h) || m.len() != 2 || !all_digits(m) {
            return None;
        }
        (h.parse().ok()?, m.parse().ok()?)
    } else if let Some((h, fraction)) = rest.split_once('.') {
        // WordPress stores half and three-quarter hour offsets as decimals: UTC+5.5, UTC+5.75.
        if !wordpress || !all_digits(h) {
            return None;
        }
        let minutes = match fraction {
            "0" | "00" => 0,
            "25" => 15,
            "5" | "50" => 30,
            "75" => 45,
            _ => return None,
        };
        (h.parse().ok()?, minutes)
    } else if rest.len() == 4 && rest.bytes().all(|b| b.is_ascii_digit()) {
        (rest.get(..2)?.parse().ok()?, rest.get(2..)?.parse().ok()?)
    } else if all_digits(rest) {
        (rest.parse().ok()?, 0)
    } else {
        return None;
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// The IANA name closest to `text` by edit distance, if reasonably close.
fn nearest_zone_name(text: &str) -> Option<&'static str> {
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    let wanted = text.to_ascii_lowercase();
    Tz::names()
        .iter()
        .map(|name| (edit_distance(&wanted, &name.to_ascii_lowercase()), *name))
        .filter(|(distance, _)| *distance <= 3.max(wanted.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let delete = previous.get(j + 1).copied().unwrap_or(0) + 1;
            let insert = current.get(j).copied().unwrap_or(0) + 1;
            current.push(substitute.min(delete).min(insert));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

/// Parses an ISO-8601 timestamp that carries an offset or `Z`:
/// `YYYY-MM-DD`, `T` (or `t` or a space), `HH:MM`, optionally `:SS` and a fraction of any length
/// (read to the nanosecond), then `Z`, `z` or `±HH:MM` / `±HHMM` (up to ±23:59). A leap second
/// (`23:59:60`) is the next second, as PHP reads it.
pub fn parse_timestamp(text: &str) -> Result<DateTime<FixedOffset>, (Code, String)> {
    let trimmed = text.trim();
    let read = read_timestamp(trimmed);
    if let Some((Some(local), Some(offset))) = read {
        return Ok(DateTime::from_naive_utc_and_offset(local - offset, offset));
    }
    if let Some(problem) = out_of_range_field(trimmed) {
        return Err((Code::TimeInvalidTimestamp, format!("The timestamp {} {problem}.", quote(text))));
    }
    if matches!(read, Some((Some(_), None))) {
        return Err((
            Code::TimeMissingOffset,
            format!(
                "The timestamp {} has no UTC offset, so the instant is ambiguous; add `Z` or an offset such as `+02:00` (e.g. \"2026-01-31T23:59:59Z\").",
                quote(text)
            ),
        ));
    }
    Err((
        Code::TimeInvalidTimestamp,
        format!("The timestamp {} is not ISO-8601 with an offset, e.g. \"2026-01-31T23:59:59Z\" or \"2026-01-31T18:59:59-05:00\".", quote(text)),
    ))
}

/// The shape `parse_timestamp` reads, by hand: chrono's format-string parser would add 16 KB to
/// the module. `None` when the text is not that shape; else the local date and time (`None`
/// when they do not exist) and the offset (`None` when there is none: a date alone, or a date and
/// time without one).
fn read_timestamp(text: &str) -> Option<(Option<NaiveDateTime>, Option<FixedOffset>)> {
    let bytes = text.as_bytes();
    let number = |from: usize, len: usize| -> Option<u32> {
        let digits = bytes.get(from..from + len)?;
        digits.iter().try_fold(0, |n, b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
    };
    let literal = |at: usize, expected: &[u8]| bytes.get(at).is_some_and(|b| expected.contains(b));
    let (year, month, day) = (number(0, 4)?, number(5, 2)?, number(8, 2)?);
    if !literal(4, b"-") || !literal(7, b"-") {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year as i32, month, day);
    if bytes.len() == 10 {
        return Some((date.and_then(|date| date.and_hms_opt(0, 0, 0)), None));
    }
    let (hour, minute) = (number(11, 2)?, number(14, 2)?);
    if !literal(10, b"Tt ") || !literal(13, b":") {
        return None;
    }
    let (mut second, mut nanos, mut at) = (0, 0, 16);
    if literal(16, b":") {
        second = number(17, 2)?;
        at = 19;
        if literal(19, b".") {
            let digits = bytes[20..].iter().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            // The first nine digits, as nanoseconds; further ones are below what an instant holds.
            nanos = bytes[20..20 + digits.min(9)].iter().fold(0, |n, b| n * 10 + u32::from(b - b'0'));
            nanos *= 10u32.pow(9 - digits.min(9) as u32);
            at = 20 + digits;
        }
    }
    let leap = second == 60;
    let local = date
        .and_then(|date| date.and_hms_nano_opt(hour, minute, if leap { 59 } else { second }, nanos))
        .map(|local| if leap { local + chrono::Duration::seconds(1) } else { local });
    let offset = match bytes.get(at..)? {
        [] => None,
        [b'Z' | b'z'] => Some(FixedOffset::east_opt(0)?),
        [sign @ (b'+' | b'-'), ..] => {
            let colon = usize::from(literal(at + 3, b":"));
            if bytes.len() != at + 5 + colon {
                return None;
            }
            let (hours, minutes) = (number(at + 1, 2)?, number(at + 3 + colon, 2)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = (hours * 3600 + minutes * 60) as i32;
            Some(FixedOffset::east_opt(if *sign == b'-' { -seconds } else { seconds })?)
        }
        _ => return None,
    };
    Some((local, offset))
}

/// For text shaped like `YYYY-MM-DD[THH:MM[:SS]]…` whose date or time does not exist, what is
/// wrong with it (`has month 13; a month is 1 to 12`), so the message names the real cause
/// rather than the shape.
fn out_of_range_field(text: &str) -> Option<String> {
    let digits = |from: usize, len: usize| -> Option<u32> {
        let part = text.get(from..from + len)?;
        part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
    };
    let (year, month, day) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
    if text.get(4..5) != Some("-") || text.get(7..8) != Some("-") {
        return None;
    }
    if !(1..=12).contains(&month) {
        return Some(format!("has month {month}; a month is 1 to 12"));
    }
    let days = NaiveDate::from_ymd_opt(year as i32, month, 1)
        .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
        .and_then(|next| next.pred_opt())
        .map_or(31, |last| last.day());
    if !(1..=days).contains(&day) {
        // Named from a table: chrono's `format` would add its whole formatter to the module.
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let name = MONTHS.get(month as usize - 1).copied().unwrap_or_default();
        return Some(format!("has day {day}; {name} {year} has days 1 to {days}"));
    }
    if !matches!(text.get(10..11), Some("T" | "t" | " ")) {
        return None;
    }
    let (hour, minute) = (digits(11, 2)?, digits(14, 2)?);
    if hour > 23 {
        return Some(format!("has hour {hour}; an hour is 0 to 23"));
    }
    if minute > 59 {
        return Some(format!("has minute {minute}; a minute is 0 to 59"));
    }
    match (text.get(16..17), digits(17, 2)) {
        (Some(":"), Some(second)) if second > 60 => {
            Some(format!("has second {second}; a second is 0 to 59 (60 for a leap second)"))
        }
        _ => None,
    }
}

/// Formats an instant as ISO-8601 in `zone`, e.g. `2026-12-01T00:00:00-05:00`.
pub fn format_in_zone(instant: DateTime<FixedOffset>, zone: Zone) -> String {
    let local = to_zone(instant, zone);
    let offset = local.offset().local_minus_utc();
    // `%:z`: hours and minutes; the seconds of an old local mean time round to the nearest
    // minute, and a negative offset keeps its sign (`-00:00`).
    let (sign, minutes) = if offset < 0 { (b'-', (30 - offset) / 60) } else { (b'+', (offset + 30) / 60) };
    let mut out = local_digits(local, b'T');
    out.push(sign);
    push_two(&mut out, minutes.unsigned_abs() / 60);
    out.push(b':');
    push_two(&mut out, minutes.unsigned_abs() % 60);
    String::from_utf8(out).unwrap_or_default()
}

/// The local date and time of `local`, as chrono's `%Y-%m-%d{separator}%H:%M:%S%.f` writes them:
/// years outside 0–9999 signed (`+10000`, `-0001`), a leap second as `:60`, and a fraction of a
/// second only when there is one, in as many digits as it needs of 3, 6 or 9 (`.300`,
/// `.300250`), so two instants that differ print differently and whole seconds print as they
/// always did.
pub fn format_local(local: DateTime<FixedOffset>, separator: u8) -> String {
    // ASCII throughout (a separator that is not is written as `T`).
    let separator = if separator.is_ascii() { separator } else { b'T' };
    String::from_utf8(local_digits(local, separator)).unwrap_or_default()
}

/// `format_local`'s text as bytes. Written digit by digit:
/// chrono's formatting machinery was 12 KB of the gzipped module, and `format!` a third of a
/// leaderboard's formatting time (one instant per collaborator).
fn local_digits(local: DateTime<FixedOffset>, separator: u8) -> Vec<u8> {
    let (date, time) = (local.date_naive(), local.time());
    let mut out = Vec::with_capacity(36);
    match date.year() {
        year @ 0..=9999 => push_padded(&mut out, year.unsigned_abs(), 4),
        year if year < 0 => {
            out.push(b'-');
            push_padded(&mut out, year.unsigned_abs(), 4);
        }
        year => {
            out.push(b'+');
            push_padded(&mut out, year.unsigned_abs(), 1);
        }
    }
    // chrono keeps a leap second as nanoseconds past 1e9.
    let leap = time.nanosecond() >= 1_000_000_000;
    let fields = [(b'-', date.month()), (b'-', date.day()), (separator, time.hour()), (b':', time.minute())];
    for (before, value) in fields.into_iter().chain([(b':', time.second() + u32::from(leap))]) {
        out.push(before);
        push_two(&mut out, value);
    }
    let (fraction, width) = match time.nanosecond() % 1_000_000_000 {
        0 => return out,
        nanos if nanos % 1_000_000 == 0 => (nanos / 1_000_000, 3),
        nanos if nanos % 1_000 == 0 => (nanos / 1_000, 6),
        nanos => (nanos, 9),
    };
    out.push(b'.');
    push_padded(&mut out, fraction, width);
    out
}

/// `value`, below 100, in two digits: most fields of an instant (in wasm, `push_padded`'s
/// general loop made formatting a leaderboard's instants an eighth of a re-preview).
fn push_two(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&[b'0' + (value / 10 % 10) as u8, b'0' + (value % 10) as u8]);
}

/// `value` in decimal, zero-padded to at least `width` digits (`{value:0width$}`).
fn push_padded(out: &mut Vec<u8>, value: u32, width: usize) {
    let (digits, count) = crate::amount::decimal_digits(u128::from(value));
    out.extend((0..count.max(width)).rev().map(|place| digits.get(place).copied().unwrap_or(b'0')));
}

/// The same instant, carrying the offset `zone` has at that instant.
pub(crate) fn to_zone(instant: DateTime<FixedOffset>, zone: Zone) -> DateTime<FixedOffset> {
    let offset = match zone {
        Zone::Fixed(offset) => offset,
        Zone::Iana(tz) => FixedOffset::east_opt(tz.offset_at(instant.timestamp()).0).unwrap_or(*instant.offset()),
    };
    instant.with_timezone(&offset)
}

/// The UTC offset in force at one instant, as timelib's `timelib_get_time_zone_offset_info`
/// reports it: offset, DST flag, and the instant the current offset took effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OffsetInfo {
    pub offset: i64,
    pub is_dst: bool,
    pub transition: i64,
}

/// How far back `offset_info` looks for the transition that started the current offset. Only
/// transitions within a few hours of the instant change timelib's decisions, so any older one
/// can be reported as this far back.
const TRANSITION_LOOKBACK: i64 = 30 * 86_400;

/// Offset info for the Unix time `utc` (seconds). `None` outside chrono's date range.
pub(crate) fn offset_info(zone: Zone, utc: i64) -> Option<OffsetInfo> {
    match zone {
        Zone::Fixed(offset) => {
            Some(OffsetInfo { offset: i64::from(offset.local_minus_utc()), is_dst: false, transition: i64::MIN })
        }
        Zone::Iana(tz) => {
            let here = tz_offset(tz, utc)?;
            let start = utc.checked_sub(TRANSITION_LOOKBACK)?;
            let transition = if tz_offset(tz, start)? == here {
                start
            } else {
                // Binary search for the first second at which `here` is in force.
                let (mut before, mut at) = (start, utc);
                while at - before > 1 {
                    let middle = before + (at - before) / 2;
                    if tz_offset(tz, middle)? == here {
                        at = middle;
                    } else {
                        before = middle;
                    }
                }
                at
            };
            Some(OffsetInfo { offset: here.0, is_dst: here.1, transition })
        }
    }
}

fn tz_offset(tz: Tz, utc: i64) -> Option<(i64, bool)> {
    // chrono's date range, as before the zone table was our own.
    DateTime::from_timestamp(utc, 0)?;
    let (offset, dst) = tz.offset_at(utc);
    Some((i64::from(offset), dst))
}

/// Turns a wall-clock time (`local`: seconds since 1970-01-01T00:00 of the wall clock) into a
/// Unix time, exactly as PHP 8.2's timelib `do_adjust_timezone` does for a zone ID:
/// a time in a spring-forward gap moves forward by the gap, and an ambiguous fall-back time
/// keeps the DST state the DateTime had before the modification (`base_is_dst`).
pub(crate) fn local_to_utc(zone: Zone, local: i64, base_is_dst: bool) -> Option<i64> {
    let tz = match zone {
        Zone::Fixed(offset) => return local.checked_sub(i64::from(offset.local_minus_utc())),
        Zone::Iana(tz) => Zone::Iana(tz),
    };
    // The wall time read as if it were UTC gives a first guess of the offset...
    let current = offset_info(tz, local)?;
    // ...and the offset at the instant that guess implies.
    let after = offset_info(tz, local.checked_sub(current.offset)?)?;
    let mut actual = after;
    if current.offset == after.offset {
        // Looking a bit further in the direction of the DateTime's previous DST state catches
        // a transition that the first guess stepped over (the fall-back overlap).
        if current.offset >= 0 && base_is_dst && !current.is_dst {
            let earlier = offset_info(tz, local.checked_sub(current.offset)?.checked_sub(7200)?)?;
            if earlier.offset != after.offset && local - earlier.offset < after.transition {
                actual = earlier;
            }
        } else if current.offset <= 0 && current.is_dst && !base_is_dst {
            let later = offset_info(tz, local.checked_sub(current.offset)?.checked_add(7200)?)?;
            if later.offset != after.offset && local - later.offset >= later.transition {
                actual = later;
            }
        }
    }
    let candidate = local.checked_sub(actual.offset)?;
    let in_transition = actual.transition != i64::MIN
        && candidate >= actual.transition.saturating_add(current.offset - actual.offset)
        && candidate < actual.transition;
    let adjustment = if current.offset != actual.offset && !in_transition { actual.offset } else { current.offset };
    local.checked_sub(adjustment)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The direct formatting is chrono's `%Y-%m-%dT%H:%M:%S%.f%:z`, across years, zones with
    /// DST and odd offsets, and the fallbacks (years past 9999, offsets with seconds).
    #[test]
    fn format_in_zone_is_chronos_format() {
        let zones =
            ["UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham", "+05:45", "-00:30"];
        let mut checked = 0;
        for name in zones {
            let zone = Zone::parse(name).expect("zone");
            let mut t: i64 = -62_167_219_200 - 86_400 * 400; // before year 0
            while t < 253_402_300_800 + 86_400 * 400 {
                let instant = DateTime::from_timestamp(t, 0).expect("in range").fixed_offset();
                let expected = to_zone(instant, zone).format("%Y-%m-%dT%H:%M:%S%.f%:z").to_string();
                assert_eq!(format_in_zone(instant, zone), expected);
                t += 7_777_777; // about 90 days, drifting through every time of day
                checked += 1;
            }
        }
        // Offsets with seconds (old local mean times), either side of every rounding.
        let odd = DateTime::parse_from_rfc3339("2026-03-01T10:00:00+00:00").expect("parses");
        for seconds in (-86_399..=86_399).step_by(29).chain([-3_661, -89, -31, -30, -29, -1, 1, 29, 30, 31, 89, 1_172])
        {
            let offset = FixedOffset::east_opt(seconds).expect("offset");
            assert_eq!(
                format_in_zone(odd, Zone::Fixed(offset)),
                odd.with_timezone(&offset).format("%Y-%m-%dT%H:%M:%S%.f%:z").to_string(),
                "{seconds}"
            );
        }
        // chrono's whole range of years, and leap seconds.
        for year in [-262_143, -10_000, -1_000, -1, 0, 1, 999, 9_999, 10_000, 262_142] {
            let instant = NaiveDate::from_ymd_opt(year, 12, 31)
                .and_then(|d| d.and_hms_opt(23, 59, 59))
                .expect("in range")
                .and_utc()
                .fixed_offset();
            let utc = Zone::Fixed(FixedOffset::east_opt(0).expect("offset"));
            assert_eq!(format_in_zone(instant, utc), instant.format("%Y-%m-%dT%H:%M:%S%.f%:z").to_string(), "{year}");
            assert_eq!(format_local(instant, b' '), instant.format("%Y-%m-%d %H:%M:%S%.f").to_string(), "{year}");
        }
        for leap in ["2016-12-31T23:59:60Z", "2016-12-31T23:59:60.999+01:00", "1999-06-30T23:59:60-05:30"] {
            let instant = DateTime::parse_from_rfc3339(leap).expect("parses");
            assert_eq!(format_local(instant, b'T'), instant.format("%Y-%m-%dT%H:%M:%S%.f").to_string(), "{leap}");
            let zone = Zone::Fixed(*instant.offset());
            assert_eq!(format_in_zone(instant, zone), instant.format("%Y-%m-%dT%H:%M:%S%.f%:z").to_string(), "{leap}");
        }
        assert!(checked > 2_000, "{checked}");
    }

    /// A fraction of a second is printed when there is one, in 3, 6 or 9 digits; an instant
    /// without one prints exactly as before.
    #[test]
    fn fractions_of_a_second_are_printed() {
        let zone = Zone::parse("America/New_York").expect("zone");
        let printed = |text: &str| format_in_zone(parse_timestamp(text).expect("parses"), zone);
        assert_eq!(printed("2026-01-31T15:00:00Z"), "2026-01-31T10:00:00-05:00");
        assert_eq!(printed("2026-01-31T15:00:00.000Z"), "2026-01-31T10:00:00-05:00");
        assert_eq!(printed("2026-01-31T15:00:00.3Z"), "2026-01-31T10:00:00.300-05:00");
        assert_eq!(printed("2026-01-31T15:00:00.007Z"), "2026-01-31T10:00:00.007-05:00");
        assert_eq!(printed("2026-01-31T15:00:00.00025Z"), "2026-01-31T10:00:00.000250-05:00");
        assert_eq!(printed("2026-01-31T15:00:00.300000001Z"), "2026-01-31T10:00:00.300000001-05:00");
        assert_eq!(printed("2026-01-31T15:00:00.1234567899Z"), "2026-01-31T10:00:00.123456789-05:00");
        assert_eq!(printed("2016-12-31T23:59:60.5Z"), "2016-12-31T19:00:00.500-05:00");
        let instant = parse_timestamp("2026-01-31T15:00:00.25Z").expect("parses");
        assert_eq!(format_local(instant, b' '), "2026-01-31 15:00:00.250");
    }

    #[test]
    fn zones_parse() {
        assert_eq!(Zone::parse("America/New_York").unwrap().name(), "America/New_York");
        assert_eq!(Zone::parse("america/new_york").unwrap().name(), "America/New_York");
        assert_eq!(Zone::parse("UTC").unwrap().name(), "UTC");
        assert_eq!(Zone::parse("+02:00").unwrap(), Zone::Fixed(FixedOffset::east_opt(7200).unwrap()));
        assert_eq!(Zone::parse("-05:30").unwrap(), Zone::Fixed(FixedOffset::west_opt(19800).unwrap()));
        assert_eq!(Zone::parse("+0200").unwrap(), Zone::Fixed(FixedOffset::east_opt(7200).unwrap()));
        assert_eq!(Zone::parse("UTC+2").unwrap(), Zone::Fixed(FixedOffset::east_opt(7200).unwrap()));
        assert_eq!(Zone::parse("UTC-5.5").unwrap(), Zone::Fixed(FixedOffset::west_opt(19800).unwrap()));
        assert_eq!(Zone::parse("UTC+5:30").unwrap(), Zone::Fixed(FixedOffset::east_opt(19800).unwrap()));
        assert_eq!(Zone::parse("UTC+5.75").unwrap(), Zone::Fixed(FixedOffset::east_opt(20700).unwrap()));
        let (code, message) = Zone::parse("America/New_Yrok").unwrap_err();
        assert_eq!(code, Code::TimeUnknownZone);
        assert!(message.contains("America/New_York"), "{message}");
        assert_eq!(Zone::parse("Mars/Olympus").unwrap_err().0, Code::TimeUnknownZone);
        assert_eq!(Zone::parse("+25:00").unwrap_err().0, Code::TimeUnknownZone);
        assert_eq!(Zone::parse("").unwrap_err().0, Code::TimeUnknownZone);
    }

    #[test]
    fn timestamps_parse() {
        let t = parse_timestamp("2026-01-31T23:59:59Z").unwrap();
        assert_eq!(t.timestamp(), 1_769_903_999);
        let t = parse_timestamp("2026-01-31T18:59:59.250-05:00").unwrap();
        assert_eq!(t.timestamp(), 1_769_903_999);
        assert_eq!(t.timestamp_subsec_millis(), 250);
        assert!(parse_timestamp("2026-01-31T18:59:59+0200").is_ok());
        assert_eq!(parse_timestamp("2026-01-31T23:59:59").unwrap_err().0, Code::TimeMissingOffset);
        assert_eq!(parse_timestamp("2026-01-31").unwrap_err().0, Code::TimeMissingOffset);
        assert_eq!(parse_timestamp("yesterday").unwrap_err().0, Code::TimeInvalidTimestamp);
        assert_eq!(parse_timestamp("2026-02-30T00:00:00Z").unwrap_err().0, Code::TimeInvalidTimestamp);
        let (_, message) = parse_timestamp(&"x".repeat(10_000)).unwrap_err();
        assert!(message.len() < 300);
    }

    /// `parse_timestamp` as it was with chrono's parsers, the reference for the hand-written one.
    fn parse_with_chrono(text: &str) -> Result<DateTime<FixedOffset>, Code> {
        let trimmed = text.trim();
        if let Ok(instant) = DateTime::parse_from_rfc3339(trimmed) {
            return Ok(instant);
        }
        for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%:z", "%Y-%m-%dT%H:%M%z"] {
            if let Ok(instant) = DateTime::parse_from_str(trimmed, format) {
                return Ok(instant);
            }
        }
        if let Some(instant) =
            trimmed.strip_suffix(['Z', 'z']).and_then(|t| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M").ok())
        {
            return Ok(instant.and_utc().fixed_offset());
        }
        if out_of_range_field(trimmed).is_some() {
            return Err(Code::TimeInvalidTimestamp);
        }
        let without_offset = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
            .iter()
            .any(|format| NaiveDateTime::parse_from_str(trimmed, format).is_ok())
            || NaiveDate::parse_from_str(trimmed, "%Y-%m-%d").is_ok();
        Err(if without_offset { Code::TimeMissingOffset } else { Code::TimeInvalidTimestamp })
    }

    /// Within the two-digit ISO shapes both read, the hand-written reader gives chrono's answer:
    /// the same instant and offset, or the same error code, on every combination below.
    #[test]
    fn timestamps_read_as_chrono_read_them() {
        let dates = ["2026-01-31", "2024-02-29", "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "0000-01-01"];
        let dates = [&dates[..], &["9999-12-31", "1970-01-01", "2026-1-05", "2026/01/31", "20260131"]].concat();
        let times =
            ["", "T10:30", "T23:59:59", "T00:00:00.5", "T12:00:00.123456789", "T12:00:00.1234567891", "T24:00:00"];
        let times =
            [&times[..], &["T10:60", "T10:30:61", "T1:30", "T10:30:", "T10:30:00.", "t10:30:00", " 10:30:00"]].concat();
        let offsets =
            ["", "Z", "z", "+02:00", "-05:30", "+0200", "-0530", "+23:59", "+24:00", "+02:60", "+02", "+2:00"];
        let offsets = [&offsets[..], &["Zx", " Z", "+02:00:00"]].concat();
        let mut compared = 0;
        for date in &dates {
            for time in &times {
                for offset in &offsets {
                    // Shapes chrono's format strings read and ours do not, or the reverse, by
                    // design: one-digit fields, a lower-case `t` or a space before a basic offset.
                    let spaced =
                        time.starts_with(['t', ' ']) && !offset.contains(':') && !offset.eq_ignore_ascii_case("z");
                    if *date == "2026-1-05" || *time == "T1:30" || *offset == "+2:00" || *offset == "+02" || spaced {
                        continue;
                    }
                    for pad in ["", " ", "\n"] {
                        let text = format!("{pad}{date}{time}{offset}{pad}");
                        assert_eq!(
                            parse_timestamp(&text).map_err(|(code, _)| code),
                            parse_with_chrono(&text),
                            "{text:?}"
                        );
                        compared += 1;
                    }
                }
            }
        }
        assert_eq!(compared, 3 * 11 * (11 * 13 + 2 * 8));
    }

    #[test]
    fn timestamp_shapes_read_by_one_rule() {
        let utc = |text: &str| parse_timestamp(text).map(|t| t.timestamp_millis()).map_err(|(code, _)| code);
        // A leap second is the next second, as in PHP.
        assert_eq!(utc("2016-12-31T23:59:60Z"), utc("2017-01-01T00:00:00Z"));
        assert_eq!(utc("2016-12-31T23:59:60.250Z"), Ok(1_483_228_800_250));
        assert_eq!(utc("2026-06-30T23:58:60+02:00"), utc("2026-06-30T23:59:00+02:00"));
        assert_eq!(utc("2026-06-30T23:59:61Z"), Err(Code::TimeInvalidTimestamp));
        // A space or a lower-case `t` wherever `T` is accepted.
        assert_eq!(utc("2026-01-31 10:30Z"), utc("2026-01-31T10:30:00Z"));
        assert_eq!(utc("2026-01-31t10:30+0200"), utc("2026-01-31T08:30:00Z"));
        // Two digits a field: chrono's format strings also read `2026-1-5T…+0200`.
        assert_eq!(utc("2026-1-05T10:30:00+0200"), Err(Code::TimeInvalidTimestamp));
        assert_eq!(utc("2026-01-31T10:30:00+2:00"), Err(Code::TimeInvalidTimestamp));
        // Fractions beyond the nanosecond are read and dropped; a huge one costs one pass.
        let long = format!("2026-01-31T10:30:00.{}Z", "9".repeat(1_000_000));
        assert_eq!(utc(&long), Ok(1_769_855_400_999));
        assert_eq!(utc("0000-01-01T00:00:00+01:00"), Ok(-62_167_222_800_000));
        assert_eq!(utc("9999-12-31T23:59:60Z"), Ok(253_402_300_800_000));
    }

    #[test]
    fn formats_in_zone() {
        let t = parse_timestamp("2026-12-01T05:00:00Z").unwrap();
        assert_eq!(format_in_zone(t, Zone::parse("America/New_York").unwrap()), "2026-12-01T00:00:00-05:00");
        assert_eq!(format_in_zone(t, Zone::parse("UTC").unwrap()), "2026-12-01T05:00:00+00:00");
        assert_eq!(format_in_zone(t, Zone::parse("+05:30").unwrap()), "2026-12-01T10:30:00+05:30");
    }

    #[test]
    fn wall_clock_resolution_follows_php() {
        let ny = Zone::parse("America/New_York").unwrap();
        // 2026-03-08 02:30 does not exist in New York: PHP moves it to 03:30 EDT (07:30Z).
        let gap = 1_772_937_000; // 2026-03-08T02:30:00 as if UTC
        assert_eq!(local_to_utc(ny, gap, false), Some(gap + 5 * 3600));
        // 2026-11-01 01:30 happens twice: PHP keeps the DST state of the DateTime.
        let overlap = 1_793_496_600; // 2026-11-01T01:30:00 as if UTC
        assert_eq!(local_to_utc(ny, overlap, true), Some(overlap + 4 * 3600));
        assert_eq!(local_to_utc(ny, overlap, false), Some(overlap + 5 * 3600));
    }
}
