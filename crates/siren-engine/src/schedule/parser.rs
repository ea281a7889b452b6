//! Scanner + parser for one schedule string, modelled on timelib's re2c scanner
//! (`parse_date.re`): at each position the longest matching token wins, and each token's action
//! updates the `Modifier` exactly as the corresponding timelib rule updates its `timelib_time`.
//! Only the relative-format rules listed in ENGINE.md §5 are implemented; text that PHP would
//! read with another rule is `Unsupported`, text PHP rejects is `Invalid`.

use super::modifier::{DayOfMonth, Modifier, Special};
use crate::diagnostics::Code;
use crate::time::quote;

/// The unit after a number or an ordinal word (timelib's `timelib_relunit` table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Seconds,
    Minutes,
    Hours,
    /// Days with a multiplier: day = 1, week = 7, fortnight = 14.
    Days(i64),
    Months,
    Years,
    /// A day of the week, 0 = Sunday.
    DayOfWeek(i64),
    /// `weekday(s)`: business days.
    Weekdays,
    /// Milli- and microseconds: PHP accepts them, the engine works in whole seconds.
    SubSecond,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Now,
    Midnight,
    Noon,
    /// `tomorrow` / `yesterday`: sets (not adds) the relative day to ±1.
    DayShift(i64),
    DayOf(DayOfMonth),
    /// `first monday of`: ordinal amount, its behaviour, the weekday.
    WeekdayOf {
        amount: i64,
        behavior: i64,
        weekday: i64,
    },
    /// `next week`, `last week`, `this week`.
    TextWeek {
        amount: i64,
        behavior: i64,
    },
    /// `next month`, `second monday`, `last weekday`.
    Text {
        amount: i64,
        behavior: i64,
        unit: Unit,
    },
    /// `+2 days`, `-1 week`, `3 weekdays`.
    Number {
        amount: i64,
        unit: Unit,
    },
    /// A bare weekday name: `monday`, `fri`.
    DayName(i64),
    Ago,
    /// An explicit time of day.
    Time {
        hour: i64,
        minute: i64,
        second: i64,
    },
}

/// Why a string was refused.
type Refusal = (Code, String);

const DAY_NAMES: [(&str, i64); 14] = [
    ("sunday", 0),
    ("monday", 1),
    ("tuesday", 2),
    ("wednesday", 3),
    ("thursday", 4),
    ("friday", 5),
    ("saturday", 6),
    ("sun", 0),
    ("mon", 1),
    ("tue", 2),
    ("wed", 3),
    ("thu", 4),
    ("fri", 5),
    ("sat", 6),
];

/// timelib's `timelib_reltext_lookup`: (word, amount, behaviour).
const ORDINALS: [(&str, i64, i64); 17] = [
    ("first", 1, 0),
    ("next", 1, 0),
    ("second", 2, 0),
    ("third", 3, 0),
    ("fourth", 4, 0),
    ("fifth", 5, 0),
    ("sixth", 6, 0),
    ("seventh", 7, 0),
    ("eight", 8, 0),
    ("eighth", 8, 0),
    ("ninth", 9, 0),
    ("tenth", 10, 0),
    ("eleventh", 11, 0),
    ("twelfth", 12, 0),
    ("last", -1, 0),
    ("previous", -1, 0),
    ("this", 0, 1),
];

const UNITS: [(&str, Unit); 37] = [
    ("sec", Unit::Seconds),
    ("secs", Unit::Seconds),
    ("second", Unit::Seconds),
    ("seconds", Unit::Seconds),
    ("min", Unit::Minutes),
    ("mins", Unit::Minutes),
    ("minute", Unit::Minutes),
    ("minutes", Unit::Minutes),
    ("hour", Unit::Hours),
    ("hours", Unit::Hours),
    ("day", Unit::Days(1)),
    ("days", Unit::Days(1)),
    ("weeks", Unit::Days(7)),
    ("fortnight", Unit::Days(14)),
    ("fortnights", Unit::Days(14)),
    ("forthnight", Unit::Days(14)),
    ("forthnights", Unit::Days(14)),
    ("month", Unit::Months),
    ("months", Unit::Months),
    ("year", Unit::Years),
    ("years", Unit::Years),
    ("weekday", Unit::Weekdays),
    ("weekdays", Unit::Weekdays),
    ("ms", Unit::SubSecond),
    ("msec", Unit::SubSecond),
    ("msecs", Unit::SubSecond),
    ("millisecond", Unit::SubSecond),
    ("milliseconds", Unit::SubSecond),
    ("usec", Unit::SubSecond),
    ("usecs", Unit::SubSecond),
    ("microsecond", Unit::SubSecond),
    ("microseconds", Unit::SubSecond),
    ("µs", Unit::SubSecond),
    ("µsec", Unit::SubSecond),
    ("µsecs", Unit::SubSecond),
    ("µsecond", Unit::SubSecond),
    ("µseconds", Unit::SubSecond),
];

/// Time-zone abbreviations PHP knows (`DateTimeZone::listAbbreviations()`, at most six letters,
/// which is all timelib's `tz` rule reads) plus the military single letters: PHP accepts them
/// in a modify string, so they are unsupported rather than invalid.
const ZONE_ABBREVIATIONS: &str = "acdt acst addt adt aedt aest ahdt ahst akdt akst amt apt ast awdt awst awt bdst bdt bmt bst \
cast cat cddt cdt cemt cest cet cmt cpt cst cwt chst dmt eat eddt edt eest eet emt ept est ewt ffmt fmt gdt gmt gst hdt \
hkst hkt hmt hpt hst hwt iddt idt imt ist jdt jmt jst kdt kmt kst lst mddt mdst mdt mest met mmt mpt msd msk mst mwt nddt \
ndt npt nst nwt nzdt nzmt nzst pddt pdt pkst pkt plmt pmt ppmt ppt pst pwt qmt rmt sast sdmt sjmt smt sst tbmt tmt uct \
utc wast wat wemt west wet wib wita wit wmt yddt ydt ypt yst ywt a b c d e f g h i k l m n o p q r s t u v w x y z";

/// Words PHP reads as dates (month names) or other formats the engine does not implement.
const OTHER_PHP_WORDS: &str = "january february march april may june july august september october november december \
jan feb mar apr jun jul aug sep sept oct nov dec back front weekday weekdays";

/// The longest literal from `options` at the start of `s`.
fn longest<T: Copy>(s: &[u8], options: &[(&str, T)]) -> Option<(usize, T)> {
    options
        .iter()
        .filter(|(word, _)| s.starts_with(word.as_bytes()))
        .max_by_key(|(word, _)| word.len())
        .map(|(word, value)| (word.len(), *value))
}

fn ordinal(s: &[u8]) -> Option<(usize, i64, i64)> {
    ORDINALS
        .iter()
        .filter(|(word, _, _)| s.starts_with(word.as_bytes()))
        .max_by_key(|(word, _, _)| word.len())
        .map(|(word, amount, behavior)| (word.len(), *amount, *behavior))
}

fn day_name(s: &[u8]) -> Option<(usize, i64)> {
    longest(s, &DAY_NAMES)
}

/// timelib's `reltextunit`: the unit table plus day names (and, for numbers, `week`).
fn unit(s: &[u8], allow_week: bool) -> Option<(usize, Unit)> {
    let mut best = longest(s, &UNITS);
    if let Some((len, weekday)) = day_name(s) {
        if best.is_none_or(|(best_len, _)| len > best_len) {
            best = Some((len, Unit::DayOfWeek(weekday)));
        }
    }
    if allow_week && s.starts_with(b"week") && best.is_none_or(|(best_len, _)| best_len < 4) {
        best = Some((4, Unit::Days(7)));
    }
    best
}

/// timelib's `space`: blanks and tabs.
fn blanks(s: &[u8]) -> usize {
    s.iter().take_while(|b| matches!(b, b' ' | b'\t')).count()
}

fn digits(s: &[u8]) -> usize {
    s.iter().take_while(|b| b.is_ascii_digit()).count()
}

fn number(s: &[u8]) -> i64 {
    s.iter().fold(0i64, |n, b| n.saturating_mul(10).saturating_add(i64::from(b - b'0')))
}

/// `relnumber space? (reltextunit | 'week')`, relnumber being `[+-]*[ \t]*[0-9]{1,13}`.
fn relative_number(s: &[u8]) -> Option<(usize, Token)> {
    let signs = s.iter().take_while(|b| **b == b'+' || **b == b'-').count();
    let negative = s.iter().take(signs).filter(|b| **b == b'-').count() % 2 == 1;
    let mut at = signs + blanks(s.get(signs..)?);
    let count = digits(s.get(at..)?);
    if count == 0 || count > 13 {
        return None;
    }
    let value = number(s.get(at..at + count)?);
    at += count;
    at += blanks(s.get(at..)?);
    let (len, unit) = unit(s.get(at..)?, true)?;
    let amount = if negative { -value } else { value };
    Some((at + len, Token::Number { amount, unit }))
}

/// `relativetext`, `relativetextweek` and `weekdayof`: an ordinal word and what follows.
fn relative_text(s: &[u8]) -> Option<(usize, Token)> {
    let (word_len, amount, behavior) = ordinal(s)?;
    let gap = blanks(s.get(word_len..)?);
    if gap == 0 {
        return None;
    }
    let at = word_len + gap;
    let rest = s.get(at..)?;
    let mut best: Option<(usize, Token)> = None;
    let mut consider = |candidate: Option<(usize, Token)>| {
        if let Some((len, token)) = candidate {
            if best.is_none_or(|(best_len, _)| len > best_len) {
                best = Some((len, token));
            }
        }
    };
    if let Some((len, unit)) = unit(rest, false) {
        consider(Some((at + len, Token::Text { amount, behavior, unit })));
    }
    let is_reltexttext =
        ["next", "last", "previous", "this"].iter().any(|w| s.starts_with(w.as_bytes()) && w.len() == word_len);
    if is_reltexttext && rest.starts_with(b"week") {
        consider(Some((at + 4, Token::TextWeek { amount, behavior })));
    }
    if let Some((day_len, weekday)) = day_name(rest) {
        let gap = blanks(rest.get(day_len..)?);
        if gap > 0 && rest.get(day_len + gap..)?.starts_with(b"of") {
            consider(Some((at + day_len + gap + 2, Token::WeekdayOf { amount, behavior, weekday })));
        }
    }
    best
}

/// `[0-5]?[0-9]`, greedy.
fn minute_digits(s: &[u8]) -> Option<(usize, i64)> {
    match (s.first().copied(), s.get(1).copied()) {
        (Some(a @ b'0'..=b'5'), Some(b)) if b.is_ascii_digit() => {
            Some((2, i64::from(a - b'0') * 10 + i64::from(b - b'0')))
        }
        (Some(a), _) if a.is_ascii_digit() => Some((1, i64::from(a - b'0'))),
        _ => None,
    }
}

/// `second = minute | "60"`.
fn second_digits(s: &[u8]) -> Option<(usize, i64)> {
    if s.starts_with(b"60") {
        return Some((2, 60));
    }
    minute_digits(s)
}

/// Hours as `[01]?[0-9] | "2"[0-4]` (24-hour) or `"0"?[1-9] | "1"[0-2]` (12-hour), greedy.
fn hour_digits(s: &[u8], twelve: bool) -> Option<(usize, i64)> {
    let first = s.first().copied().filter(u8::is_ascii_digit)?;
    if let Some(second) = s.get(1).copied().filter(u8::is_ascii_digit) {
        let two_digit_ok = if twelve {
            (first == b'0' && second != b'0') || (first == b'1' && second <= b'2')
        } else {
            first <= b'1' || (first == b'2' && second <= b'4')
        };
        if two_digit_ok {
            return Some((2, i64::from(first - b'0') * 10 + i64::from(second - b'0')));
        }
    }
    if twelve && first == b'0' {
        return None;
    }
    Some((1, i64::from(first - b'0')))
}

/// `h[:mm[:ss]]` after an hour, returning (len, minute, second, had_minutes).
fn clock_tail(s: &[u8]) -> (usize, i64, i64, bool) {
    let Some(after_colon) = s.strip_prefix(b":") else { return (0, 0, 0, false) };
    let Some((minute_len, minute)) = minute_digits(after_colon) else { return (0, 0, 0, false) };
    let mut len = 1 + minute_len;
    let mut second = 0;
    if let Some(after) = s.get(len..).and_then(|rest| rest.strip_prefix(b":")) {
        if let Some((second_len, value)) = second_digits(after) {
            len += 1 + second_len;
            second = value;
        }
    }
    (len, minute, second, true)
}

/// `timetiny12 | timeshort12 | timelong12`: `9am`, `9:30 pm`, `9:30:15pm`. The meridian must be
/// followed by a blank or the end, as in timelib's `meridian` rule.
fn time12(s: &[u8]) -> Option<(usize, Token)> {
    let (hour_len, hour) = hour_digits(s, true)?;
    let (tail_len, minute, second, _) = clock_tail(s.get(hour_len..)?);
    let mut at = hour_len + tail_len;
    at += blanks(s.get(at..)?);
    let pm = match s.get(at) {
        Some(b'a') => false,
        Some(b'p') => true,
        _ => return None,
    };
    at += 1;
    if s.get(at) == Some(&b'.') {
        at += 1;
    }
    if s.get(at) != Some(&b'm') {
        return None;
    }
    at += 1;
    if s.get(at) == Some(&b'.') {
        at += 1;
    }
    if !matches!(s.get(at), None | Some(b' ' | b'\t')) {
        return None;
    }
    // timelib_meridian: 12am is 00h, 12pm stays 12h.
    let hour = match (hour, pm) {
        (12, false) => 0,
        (12, true) => 12,
        (h, true) => h + 12,
        (h, false) => h,
    };
    Some((at, Token::Time { hour, minute, second }))
}

/// `timeshort24 | timelong24`: `09:00`, `t9:30:15`, `24:00`.
fn time24(s: &[u8]) -> Option<(usize, Token)> {
    let prefix = usize::from(s.first() == Some(&b't'));
    let (hour_len, hour) = hour_digits(s.get(prefix..)?, false)?;
    let (tail_len, minute, second, had_minutes) = clock_tail(s.get(prefix + hour_len..)?);
    if !had_minutes {
        return None;
    }
    Some((prefix + hour_len + tail_len, Token::Time { hour, minute, second }))
}

fn keyword(s: &[u8]) -> Option<(usize, Token)> {
    let keywords = [
        ("now", Token::Now),
        ("today", Token::Midnight),
        ("midnight", Token::Midnight),
        ("noon", Token::Noon),
        ("tomorrow", Token::DayShift(1)),
        ("yesterday", Token::DayShift(-1)),
        ("ago", Token::Ago),
        ("first day of", Token::DayOf(DayOfMonth::First)),
        ("last day of", Token::DayOf(DayOfMonth::Last)),
    ];
    longest(s, &keywords)
}

/// The longest supported token at the start of `s`.
fn next_token(s: &[u8]) -> Option<(usize, Token)> {
    let candidates = [
        keyword(s),
        relative_text(s),
        relative_number(s),
        day_name(s).map(|(len, weekday)| (len, Token::DayName(weekday))),
        time12(s),
        time24(s),
    ];
    // Ties go to the earlier entry, mirroring rule order in parse_date.re.
    candidates.into_iter().flatten().fold(None, |best: Option<(usize, Token)>, (len, token)| match best {
        Some((best_len, _)) if best_len >= len => best,
        _ => Some((len, token)),
    })
}

/// Accumulates tokens the way timelib's scanner actions fill `timelib_time`.
struct Builder {
    modifier: Modifier,
    have_time: bool,
}

impl Builder {
    /// TIMELIB_UNHAVE_TIME: the time of day becomes 00:00:00 and may be set again.
    fn unhave_time(&mut self) {
        self.have_time = false;
        self.modifier.time = Some((0, 0, 0));
    }

    /// TIMELIB_HAVE_TIME: a second explicit time is PHP's "Double time specification" error.
    fn have_time(&mut self, text: &str) -> Result<(), Refusal> {
        if self.have_time {
            return Err((
                Code::ScheduleInvalid,
                format!(
                    "{} sets the time of day twice; PHP rejects this (\"Double time specification\").",
                    quote(text)
                ),
            ));
        }
        self.have_time = true;
        self.modifier.time = Some((0, 0, 0));
        Ok(())
    }

    fn add(field: &mut i64, amount: i64, multiplier: i64, overflowed: &mut bool) {
        match amount.checked_mul(multiplier).and_then(|delta| field.checked_add(delta)) {
            Some(value) => *field = value,
            None => *overflowed = true,
        }
    }

    /// timelib's `timelib_set_relative`. `keep_time` is TIMELIB_TIME_PART_KEEP: numbers keep the
    /// time of day, ordinal words reset it for weekday units.
    fn set_relative(
        &mut self,
        amount: i64,
        behavior: i64,
        unit: Unit,
        keep_time: bool,
        part: &str,
    ) -> Result<(), Refusal> {
        let overflowed = &mut self.modifier.overflowed;
        let rel = &mut self.modifier.relative;
        match unit {
            Unit::Seconds => Self::add(&mut rel.seconds, amount, 1, overflowed),
            Unit::Minutes => Self::add(&mut rel.minutes, amount, 1, overflowed),
            Unit::Hours => Self::add(&mut rel.hours, amount, 1, overflowed),
            Unit::Days(multiplier) => Self::add(&mut rel.days, amount, multiplier, overflowed),
            Unit::Months => Self::add(&mut rel.months, amount, 1, overflowed),
            Unit::Years => Self::add(&mut rel.years, amount, 1, overflowed),
            Unit::DayOfWeek(weekday) => {
                rel.has_weekday = true;
                // "second monday" is one week after "first monday": (amount - 1) weeks.
                let weeks = if amount > 0 { amount - 1 } else { amount };
                Self::add(&mut rel.days, weeks, 7, overflowed);
                rel.weekday = weekday;
                rel.weekday_behavior = behavior;
                if !keep_time {
                    self.unhave_time();
                }
            }
            Unit::Weekdays => {
                rel.special = Some(Special::Weekdays(amount));
                if !keep_time {
                    self.unhave_time();
                }
            }
            Unit::SubSecond => {
                return Err((
                    Code::ScheduleUnsupported,
                    format!(
                        "{part}: milliseconds and microseconds are not supported (the engine works in whole seconds)."
                    ),
                ))
            }
        }
        Ok(())
    }

    fn apply(&mut self, token: Token, part: &str, text: &str) -> Result<(), Refusal> {
        match token {
            Token::Now => {}
            Token::Midnight => self.unhave_time(),
            Token::Noon => {
                self.unhave_time();
                self.have_time(text)?;
                self.modifier.time = Some((12, 0, 0));
            }
            Token::DayShift(days) => {
                self.unhave_time();
                self.modifier.relative.days = days;
            }
            Token::DayOf(which) => self.modifier.relative.day_of_month = Some(which),
            Token::WeekdayOf { amount, behavior, weekday } => {
                // Ordinals count from day 1 of the month; last/this/previous from day 1 of the next.
                if amount > 0 {
                    self.modifier.relative.special = Some(Special::DayOfWeekInMonth);
                    self.set_relative(amount, 1, Unit::DayOfWeek(weekday), false, part)?;
                } else {
                    self.modifier.relative.special = Some(Special::LastDayOfWeekInMonth);
                    self.set_relative(amount, behavior, Unit::DayOfWeek(weekday), false, part)?;
                }
            }
            Token::TextWeek { amount, behavior } => {
                self.set_relative(amount, behavior, Unit::Days(7), false, part)?;
                // "next week" alone means Monday of next week (weekday 1, behaviour 2).
                let rel = &mut self.modifier.relative;
                rel.weekday_behavior = 2;
                if !rel.has_weekday {
                    rel.has_weekday = true;
                    rel.weekday = 1;
                }
            }
            Token::Text { amount, behavior, unit } => self.set_relative(amount, behavior, unit, false, part)?,
            Token::Number { amount, unit } => self.set_relative(amount, 1, unit, true, part)?,
            Token::DayName(weekday) => {
                let rel = &mut self.modifier.relative;
                rel.has_weekday = true;
                rel.weekday = weekday;
                if rel.weekday_behavior != 2 {
                    rel.weekday_behavior = 1;
                }
                self.unhave_time();
            }
            Token::Ago => {
                let rel = &mut self.modifier.relative;
                if rel.has_weekday {
                    return Err((
                        Code::ScheduleUnsupported,
                        format!("{}: `ago` after a weekday is not supported.", quote(text)),
                    ));
                }
                for field in
                    [&mut rel.years, &mut rel.months, &mut rel.days, &mut rel.hours, &mut rel.minutes, &mut rel.seconds]
                {
                    *field = -*field;
                }
                // timelib negates the weekday too (0 becomes -7); it only matters once a weekday is set.
                rel.weekday = if rel.weekday == 0 { -7 } else { -rel.weekday };
                if let Some(Special::Weekdays(count)) = rel.special {
                    rel.special = Some(Special::Weekdays(-count));
                }
            }
            Token::Time { hour, minute, second } => {
                self.have_time(text)?;
                self.modifier.time = Some((hour, minute, second));
            }
        }
        Ok(())
    }
}

/// Explains text at which no supported token starts.
fn refuse(original: &str, at: usize, lower: &[u8]) -> Refusal {
    let rest = lower.get(at..).unwrap_or_default();
    let word_len = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let shown = quote(original.get(at..).unwrap_or(original));
    if word_len > 0 {
        let word = String::from_utf8_lossy(rest.get(..word_len).unwrap_or_default()).into_owned();
        let zone_word =
            rest.get(..word_len.min(6)).map(|w| String::from_utf8_lossy(w).into_owned()).unwrap_or_default();
        // timelib's `tz` rule also reads IANA identifiers such as "Europe/Paris".
        let identifier = matches!(rest.get(word_len), Some(b'/' | b'_'));
        if identifier || ZONE_ABBREVIATIONS.split(' ').any(|z| z == zone_word) {
            return (
                Code::ScheduleUnsupported,
                format!(
                    "In {}, PHP reads {} as a time-zone name; time zones inside a schedule string are not supported.",
                    quote(original),
                    quote(&word)
                ),
            );
        }
        if OTHER_PHP_WORDS.split(' ').any(|w| w == word) {
            return (
                Code::ScheduleUnsupported,
                format!("In {}, the part starting at {shown} is a PHP date form the engine does not support (absolute dates and month names).", quote(original)),
            );
        }
        return (
            Code::ScheduleInvalid,
            format!("In {}, {} is not a word PHP's DateTime::modify understands.", quote(original), quote(&word)),
        );
    }
    (
        Code::ScheduleUnsupported,
        format!(
            "In {}, the part starting at {shown} is not a supported schedule form (supported: relative offsets such as \"+1 month\", \"first day of next month\", \"next monday\", \"midnight\", \"09:00\").",
            quote(original)
        ),
    )
}

/// Parses one schedule string into a modifier.
pub(crate) fn parse(text: &str) -> Result<Modifier, Refusal> {
    // Keywords are case-insensitive in PHP; only ASCII letters change, so byte offsets stay put.
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut builder = Builder { modifier: Modifier::default(), have_time: false };
    let mut at = 0;
    while let Some(rest) = bytes.get(at..).filter(|rest| !rest.is_empty()) {
        // Blanks, commas and dots between tokens are skipped, as timelib's `[ .,\t]` rule does.
        if matches!(rest.first(), Some(b' ' | b'\t' | b',' | b'.')) {
            at += 1;
            continue;
        }
        let letters = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count().min(6);
        match next_token(rest) {
            // timelib's `tz` rule reads up to six letters; when that is longer than our token, PHP
            // takes the letters as a time-zone name instead.
            Some((len, token)) if len >= letters => {
                let part = original_part(text, at, len);
                builder.apply(token, &part, text)?;
                at += len;
            }
            _ => return Err(refuse(text, at, bytes)),
        }
    }
    Ok(builder.modifier)
}

fn original_part(text: &str, at: usize, len: usize) -> String {
    quote(text.get(at..at + len).unwrap_or(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert_eq!(next_token(b"first day of next month"), Some((12, Token::DayOf(DayOfMonth::First))));
        assert_eq!(next_token(b"next month"), Some((10, Token::Text { amount: 1, behavior: 0, unit: Unit::Months })));
        assert_eq!(next_token(b"+14 days"), Some((8, Token::Number { amount: 14, unit: Unit::Days(1) })));
        assert_eq!(next_token(b"- 1 day"), Some((7, Token::Number { amount: -1, unit: Unit::Days(1) })));
        assert_eq!(next_token(b"9:30pm"), Some((6, Token::Time { hour: 21, minute: 30, second: 0 })));
        assert_eq!(next_token(b"12am"), Some((4, Token::Time { hour: 0, minute: 0, second: 0 })));
        assert_eq!(next_token(b"24:00"), Some((5, Token::Time { hour: 24, minute: 0, second: 0 })));
        assert_eq!(next_token(b"next week"), Some((9, Token::TextWeek { amount: 1, behavior: 0 })));
        assert_eq!(next_token(b"last friday of"), Some((14, Token::WeekdayOf { amount: -1, behavior: 0, weekday: 5 })));
        assert_eq!(next_token(b"9pm+1 day"), None);
        assert_eq!(next_token(b"+12345678901234 days"), None);
    }

    #[test]
    fn refusals() {
        assert_eq!(parse("noon 09:00").unwrap_err().0, Code::ScheduleInvalid);
        assert_eq!(parse("foo").unwrap_err().0, Code::ScheduleInvalid);
        assert_eq!(parse("todays").unwrap_err().0, Code::ScheduleInvalid);
        assert_eq!(parse("next month utc").unwrap_err().0, Code::ScheduleUnsupported);
        assert_eq!(parse("2027-01-01").unwrap_err().0, Code::ScheduleUnsupported);
        assert_eq!(parse("first monday of january").unwrap_err().0, Code::ScheduleUnsupported);
        assert_eq!(parse("+500 ms").unwrap_err().0, Code::ScheduleUnsupported);
    }
}
