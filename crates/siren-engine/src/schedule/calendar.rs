//! Proleptic Gregorian calendar arithmetic on unnormalized fields, as timelib does it
//! (`tm2unixtime.c`): fields may overflow (`d = 33`, `m = 0`, `h = 30`) and normalization
//! carries them the same way timelib does, which is what produces PHP's month-end quirks
//! (Jan 31 + 1 month = Feb 31 = Mar 3).

/// Wall-clock fields (timelib's y/m/d/h/i/s), possibly out of their usual ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fields {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
}

const DAYS_PER_ERA: i64 = 146_097;
const YEARS_PER_ERA: i64 = 400;

pub(crate) fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1..=12) of `year`.
pub(crate) fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// timelib's `do_range_limit`: brings `value` into `[start, end)` by carrying into `carry`.
fn range_limit(start: i64, end: i64, adjust: i64, value: &mut i64, carry: &mut i64) -> Option<()> {
    if *value < start {
        let steps = (start - *value - 1) / adjust + 1;
        *carry = carry.checked_sub(steps)?;
        *value = value.checked_add(adjust.checked_mul(steps)?)?;
    }
    if *value >= end {
        let steps = *value / adjust;
        *carry = carry.checked_add(steps)?;
        *value -= adjust * steps;
    }
    Some(())
}

/// timelib's `do_range_limit_days`: moves at most one month; returns whether it moved.
fn range_limit_days(year: &mut i64, month: &mut i64, day: &mut i64) -> Option<bool> {
    // Whole 400-year eras first, so huge day counts do not loop month by month.
    if *day >= DAYS_PER_ERA || *day <= -DAYS_PER_ERA {
        *year = year.checked_add(YEARS_PER_ERA.checked_mul(*day / DAYS_PER_ERA)?)?;
        *day -= DAYS_PER_ERA * (*day / DAYS_PER_ERA);
    }
    range_limit(1, 13, 12, month, year)?;
    let (last_year, last_month) = if *month == 1 { (year.checked_sub(1)?, 12) } else { (*year, *month - 1) };
    if *day <= 0 {
        *day += days_in_month(last_year, last_month);
        *month -= 1;
        return Some(true);
    }
    let this_month = days_in_month(*year, *month);
    if *day > this_month {
        *day -= this_month;
        *month += 1;
        return Some(true);
    }
    Some(false)
}

/// timelib's `timelib_do_normalize`. `None` on arithmetic overflow.
pub(crate) fn normalize(f: &mut Fields) -> Option<()> {
    range_limit(0, 60, 60, &mut f.second, &mut f.minute)?;
    range_limit(0, 60, 60, &mut f.minute, &mut f.hour)?;
    range_limit(0, 24, 24, &mut f.hour, &mut f.day)?;
    range_limit(1, 13, 12, &mut f.month, &mut f.year)?;
    while range_limit_days(&mut f.year, &mut f.month, &mut f.day)? {}
    range_limit(1, 13, 12, &mut f.month, &mut f.year)?;
    Some(())
}

/// Days since 1970-01-01 of a valid date (Howard Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * DAYS_PER_ERA + day_of_era - 719_468
}

/// The date `days` after 1970-01-01 (Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(DAYS_PER_ERA);
    let day_of_era = z - era * DAYS_PER_ERA;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = era * 400 + year_of_era + i64::from(month <= 2);
    (year, month, day)
}

/// 0 = Sunday … 6 = Saturday, for a valid date.
pub(crate) fn day_of_week(year: i64, month: i64, day: i64) -> i64 {
    // 1970-01-01 was a Thursday.
    (days_from_civil(year, month, day) + 4).rem_euclid(7)
}

impl Fields {
    /// Wall-clock fields of `local` seconds since 1970-01-01T00:00 (wall clock).
    pub(crate) fn from_local_seconds(local: i64) -> Fields {
        let (year, month, day) = civil_from_days(local.div_euclid(86_400));
        let seconds = local.rem_euclid(86_400);
        Fields { year, month, day, hour: seconds / 3600, minute: seconds / 60 % 60, second: seconds % 60 }
    }

    /// Seconds since 1970-01-01T00:00 of the wall clock, for normalized fields.
    pub(crate) fn to_local_seconds(self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * 86_400 + self.hour * 3600 + self.minute * 60 + self.second
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(year: i64, month: i64, day: i64) -> Fields {
        Fields { year, month, day, hour: 0, minute: 0, second: 0 }
    }

    #[test]
    fn normalization_carries_like_timelib() {
        let mut f = fields(2026, 2, 31);
        normalize(&mut f).unwrap();
        assert_eq!((f.year, f.month, f.day), (2026, 3, 3));
        let mut f = fields(2024, 2, 31);
        normalize(&mut f).unwrap();
        assert_eq!((f.year, f.month, f.day), (2024, 3, 2));
        let mut f = fields(2026, 13, 0);
        normalize(&mut f).unwrap();
        assert_eq!((f.year, f.month, f.day), (2026, 12, 31));
        let mut f = Fields { year: 2026, month: 1, day: 1, hour: -1, minute: 0, second: 0 };
        normalize(&mut f).unwrap();
        assert_eq!((f.year, f.month, f.day, f.hour), (2025, 12, 31, 23));
    }

    #[test]
    fn civil_round_trip() {
        for days in [-719_162, -1, 0, 1, 10_957, 20_454, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(day_of_week(2026, 1, 31), 6);
        assert!(!is_leap(2100) && is_leap(2000) && is_leap(2028));
    }
}
