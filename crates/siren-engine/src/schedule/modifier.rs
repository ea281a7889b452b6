//! The parsed form of one schedule string: a mirror of the parts of timelib's `timelib_time` /
//! `timelib_rel_time` that `DateTime::modify` uses. The parser fills it token by token the way
//! timelib's scanner does (later tokens overwrite or add to earlier ones), and the evaluator
//! applies it the way `timelib_update_ts` does.

/// timelib's `first_last_day_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DayOfMonth {
    First,
    Last,
}

/// timelib's `relative.special`: one slot, so a later special token replaces an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Special {
    /// `+N weekdays`: N business days (TIMELIB_SPECIAL_WEEKDAY).
    Weekdays(i64),
    /// `first|second…|next <weekday> of`: start from day 1 of the month
    /// (TIMELIB_SPECIAL_DAY_OF_WEEK_IN_MONTH).
    DayOfWeekInMonth,
    /// `last|this|previous <weekday> of`: start from day 1 of the following month
    /// (TIMELIB_SPECIAL_LAST_DAY_OF_WEEK_IN_MONTH).
    LastDayOfWeekInMonth,
}

/// Relative offsets, applied to the wall-clock fields (timelib's `timelib_rel_time`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Relative {
    pub years: i64,
    pub months: i64,
    pub days: i64,
    pub hours: i64,
    pub minutes: i64,
    pub seconds: i64,
    /// Target day of week, 0 = Sunday … 6 = Saturday (meaningful when `has_weekday`).
    pub weekday: i64,
    /// timelib's `weekday_behavior`: 0 = strictly after today, 1 = today counts,
    /// 2 = within the current Monday-based week (`… this/next/last week`).
    pub weekday_behavior: i64,
    pub has_weekday: bool,
    pub special: Option<Special>,
    pub day_of_month: Option<DayOfMonth>,
}

/// One parsed schedule string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Modifier {
    /// A wall-clock time of day to set (`09:00`, `noon`, and the 00:00 that `midnight`,
    /// `today`, `tomorrow` and weekday names imply). Setting it also clears sub-seconds.
    pub time: Option<(i64, i64, i64)>,
    pub relative: Relative,
    /// The offsets overflowed 64-bit arithmetic while parsing: certainly out of range.
    pub overflowed: bool,
}
