//! Applies a parsed modifier to wall-clock fields in the order PHP 8.2 does:
//! `php_date_modify` copies the time of day, then timelib's `timelib_update_ts` runs
//! `do_adjust_special_early`, `do_adjust_relative`, `do_adjust_special`, each followed by
//! `timelib_do_normalize`. Keeping the steps and their order is what reproduces PHP's quirks.

use super::calendar::{day_of_week, normalize, Fields};
use super::modifier::{DayOfMonth, Modifier, Relative, Special};

/// The wall-clock fields after `modifier`; `None` if the arithmetic overflows.
pub(crate) fn apply(modifier: &Modifier, start: Fields) -> Option<Fields> {
    let mut f = start;
    // php_date_modify: an explicit (or implied 00:00) time of day replaces the current one
    // before any relative arithmetic, so "+1 hour midnight" is 01:00.
    if let Some((hour, minute, second)) = modifier.time {
        f.hour = hour;
        f.minute = minute;
        f.second = second;
    }
    let mut rel = modifier.relative;
    adjust_special_early(&mut f, &mut rel)?;
    adjust_relative(&mut f, &rel)?;
    adjust_special(&mut f, &rel)?;
    Some(f)
}

/// timelib's `do_adjust_special_early`: "<ordinal> <weekday> of" starts from day 1 of the
/// target month (consuming the month offset), and "first/last day of" pins the day.
fn adjust_special_early(f: &mut Fields, rel: &mut Relative) -> Option<()> {
    match rel.special {
        Some(Special::DayOfWeekInMonth) => {
            f.day = 1;
            f.month = f.month.checked_add(rel.months)?;
            rel.months = 0;
        }
        Some(Special::LastDayOfWeekInMonth) => {
            f.day = 1;
            f.month = f.month.checked_add(rel.months)?.checked_add(1)?;
            rel.months = 0;
        }
        _ => {}
    }
    pin_day_of_month(f, rel.day_of_month)?;
    normalize(f)
}

/// "first day of" is day 1; "last day of" is day 0 of the following month. Applied without
/// normalizing first, so it overrides any relative days (timelib quirk: "first day of +40 days"
/// stays in the current month).
fn pin_day_of_month(f: &mut Fields, which: Option<DayOfMonth>) -> Option<()> {
    match which {
        Some(DayOfMonth::First) => f.day = 1,
        Some(DayOfMonth::Last) => {
            f.day = 0;
            f.month = f.month.checked_add(1)?;
        }
        None => {}
    }
    Some(())
}

/// timelib's `do_adjust_relative`: weekday first, then the offsets, then "first/last day of".
fn adjust_relative(f: &mut Fields, rel: &Relative) -> Option<()> {
    if rel.has_weekday {
        adjust_for_weekday(f, rel)?;
    }
    normalize(f)?;
    f.second = f.second.checked_add(rel.seconds)?;
    f.minute = f.minute.checked_add(rel.minutes)?;
    f.hour = f.hour.checked_add(rel.hours)?;
    f.day = f.day.checked_add(rel.days)?;
    f.month = f.month.checked_add(rel.months)?;
    f.year = f.year.checked_add(rel.years)?;
    pin_day_of_month(f, rel.day_of_month)?;
    normalize(f)
}

/// timelib's `do_adjust_for_weekday`.
fn adjust_for_weekday(f: &mut Fields, rel: &Relative) -> Option<()> {
    let current = day_of_week(f.year, f.month, f.day);
    if rel.weekday_behavior == 2 {
        // "<weekday> this/next/last week": the weekday within the current Monday-based week.
        let mut weekday = rel.weekday;
        if current == 0 && weekday != 0 {
            weekday -= 7;
        }
        if weekday == 0 && current != 0 {
            weekday = 7;
        }
        f.day = f.day.checked_sub(current)?.checked_add(weekday)?;
        return Some(());
    }
    let mut difference = rel.weekday - current;
    // Behaviour 0 ("next monday") never stays on today; behaviour 1 ("monday") may.
    if (rel.days < 0 && difference < 0) || (rel.days >= 0 && difference <= -rel.weekday_behavior) {
        difference += 7;
    }
    if rel.weekday >= 0 {
        f.day = f.day.checked_add(difference)?;
    } else {
        f.day = f.day.checked_sub(7 - (rel.weekday.checked_abs()? - current))?;
    }
    Some(())
}

/// timelib's `do_adjust_special`: business days.
fn adjust_special(f: &mut Fields, rel: &Relative) -> Option<()> {
    if let Some(Special::Weekdays(count)) = rel.special {
        adjust_weekdays(f, count)?;
    }
    normalize(f)
}

/// timelib's `do_adjust_special_weekday`: whole weeks of five business days, then the rest,
/// skipping weekends (and stepping off a weekend start first).
fn adjust_weekdays(f: &mut Fields, count: i64) -> Option<()> {
    let dow = day_of_week(f.year, f.month, f.day);
    f.day = f.day.checked_add((count / 5).checked_mul(7)?)?;
    let rem = count % 5;
    if count > 0 {
        if rem == 0 {
            if dow == 0 {
                f.day -= 2;
            } else if dow == 6 {
                f.day -= 1;
            }
        } else if dow == 6 {
            f.day += 1;
        } else if dow + rem > 5 {
            f.day += 2;
        }
    } else if rem == 0 {
        if dow == 6 {
            f.day += 2;
        } else if dow == 0 {
            f.day += 1;
        }
    } else if dow == 0 {
        f.day -= 1;
    } else if dow + rem < 1 {
        f.day -= 2;
    }
    f.day = f.day.checked_add(rem)?;
    Some(())
}
