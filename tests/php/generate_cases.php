<?php
// Deterministic generator of schedule oracle cases: {from (UTC instant), timeZone, schedule}.
// Usage: php tests/php/generate_cases.php > cases.json
// Covers month ends (28/29/30/31), leap years (2000, 2024, 2028, non-leap 2100), DST
// transitions (northern and southern hemisphere), half-hour offsets, fixed offsets, times
// inside DST gaps/overlaps, every supported form, and strings PHP rejects or the engine
// does not support; DST zones in 2000-2028 and, around their transitions, in 2100-9999.

mt_srand(20260131, MT_RAND_MT19937);

$supported = [
    '+1 day', '+1 month', '-1 month', '+1 year', '-1 year', '+2 weeks', '+1 fortnight', '+1 hour', '+2 hours',
    '-1 hour', '+90 minutes', '+30 min', '+3600 seconds', '+1 sec', '+24 hours', '-24 hours', '+1 month +2 days',
    '+1 week 2 days', '1 day ago', '3 months ago', '+13 months', '-13 months', '+5 weekdays', '+1 weekday',
    '-3 weekdays', '+0 weekdays', 'next month', 'last month', 'previous month', 'this month', 'next year', 'next day',
    'next week', 'last week', 'this week', 'next hour', 'next weekday', 'first day of next month',
    'last day of next month', 'first day of last month', 'last day of previous month', 'first day of this month',
    'last day of this month', 'first day of +2 months', 'last day of +1 month', 'first day of -1 month',
    'last day of -3 months', 'first day of next month midnight', 'first day of next month 09:00',
    'last day of this month 23:59:59', 'first monday of next month', 'last friday of next month',
    'second tuesday of next month', 'first sunday of this month', 'last sunday of last month',
    'third wednesday of +2 months', 'next friday of next month', 'next monday', 'last friday', 'next sunday',
    'this friday', 'monday', 'friday', 'sun', 'monday next week', 'friday this week', 'sunday last week',
    'sunday this week', 'midnight', 'today', 'noon', 'tomorrow', 'yesterday', 'now', '09:00', '9:30:15', '23:00',
    '00:30', '02:30', '01:30', '03:00', '9am', '9:30pm', '12am', '12pm', 'tomorrow 09:00', 'tomorrow noon',
    'yesterday noon', 'next monday 10:00', 'first day of next month noon', '+1 day 02:30', '+1 month midnight',
    'midnight +1 hour', '+1 hour midnight', 'noon tomorrow', 'tomorrow 02:30', '+1 day 01:30', '+7 days',
    '+30 days', '+365 days', '+1 week', '-1 week', 'second monday', 'twelfth month', 'first day', 'last day',
    '24:00', 'Next Month', 'FIRST DAY OF NEXT MONTH', '+1 Day', 'first day of next year', '+999999999 years',
    '-9999 years', '+1 month ago +1 day', '2 weekdays ago', '+25 hours', 'first day of +40 days',
    'first day of next week', 'last day of monday', '+1 day, +2 days', 'tomorrow tomorrow', '+1 day tomorrow',
    'monday tuesday', "next\tmonth", '- 1 day', '++1 day', '+ 1day', '1day', '9 pm', '9a.m.',
    'first monday of next month +3 days', 'first day of next month +1 weekday', '+1 weekday first day of next month',
    '+1 month first day of', 'first day of', 'last day of', 'first monday of', 'this weekday', 'second weekday',
    '-1 hour -1 day', '+1 hour +1 day', '-1 day +30 minutes', '+120 minutes', '-90 minutes', '+86400 seconds',
];

$refused = [
    'foo', 'next month foo', 'noon 09:00', '9am 10am', 'todays', 'first  day  of  next  month', '13pm',
    'thirteenth day', 'next month utc', '2027-01-01', 'first monday of january', '+1.5 days', '@1700000000',
    'last day of february', '+500 ms', '1', '+1 day and 2 hours', 'tues', 'nextmonth',
    'back of 7pm', 'tomorrow est', 'friday ago', 'next', 'of', 'first week', '09:60', '25:00', 'weekday',
    'january', '10 september', '+1 day Europe/Paris', 'tomorrow z', 'now!', 'next month?', 'sat.', '9pm+1 day', '+1 dayss', 'mondays', 'weekdays', "next\tmonth\t", 'Europe/Paris',
];

$multi = [
    ['first day of next month', '+14 days'], ['first day of next month', 'midnight'], ['+1 month', 'last day of this month'],
    ['tomorrow', '09:00'], ['next monday', '+2 hours'], ['first day of next month', '+1 weekday'],
    ['last day of next month', 'noon'], ['+1 day', '02:30'], ['first day of next month', '01:30'],
    ['first day of next month', '02:30'], ['+1 week', 'monday'], ['first day of next month', '+14 days', 'noon'],
    ['midnight', '+1 day'], ['first monday of next month', '09:00'], ['+1 month', 'foo'], ['foo', 'noon 09:00'],
    ['next month', '2027-01-01'], ['last day of this month', '+1 day', '23:00'],
];

$dstZones = ['America/New_York', 'Europe/London', 'Europe/Berlin', 'Australia/Sydney', 'Pacific/Auckland', 'America/Sao_Paulo'];
$flatZones = ['UTC', 'Asia/Kolkata', '+02:00', '-03:30'];

function utc_of(string $local, string $zone): int {
    return (new DateTime($local, new DateTimeZone($zone)))->getTimestamp();
}

$bases = []; // [zone, unix]
$monthEnds = ['01-28', '01-29', '01-30', '01-31', '02-28', '02-29', '03-31', '04-30', '05-31', '08-31', '10-31', '12-31', '03-01', '06-15'];
foreach (array_merge($dstZones, $flatZones) as $zone) {
    $years = in_array($zone, $flatZones, true) ? [2000, 2024, 2026, 2028, 2100] : [2000, 2024, 2026, 2028];
    foreach ($years as $year) {
        foreach ($monthEnds as $md) {
            if ($md === '02-29' && !checkdate(2, 29, $year)) continue;
            if (mt_rand(0, 2) !== 0) continue; // a third of them, still hundreds in total
            $time = ['00:00:00', '09:15:00', '15:30:00', '23:59:59', '12:00:00'][mt_rand(0, 4)];
            $bases[] = [$zone, utc_of("$year-$md $time", $zone)];
        }
    }
}
// Around every DST transition of 2026 and 2027, including instants inside the overlap.
foreach ($dstZones as $zone) {
    $tz = new DateTimeZone($zone);
    foreach ($tz->getTransitions(utc_of('2026-01-01', 'UTC'), utc_of('2027-12-31', 'UTC')) as $i => $t) {
        if ($i === 0) continue; // the first entry is the range start, not a transition
        foreach ([-86400 - 1800, -5400, -3600, -1800, 0, 1800, 3600, 86400 + 1800] as $delta) {
            $bases[] = [$zone, $t['ts'] + $delta];
        }
    }
}

$cases = [];
foreach ($bases as [$zone, $unix]) {
    $from = gmdate('Y-m-d\TH:i:s\Z', $unix);
    $picks = 6;
    for ($k = 0; $k < $picks; $k++) {
        $cases[] = ['from' => $from, 'timeZone' => $zone, 'schedule' => [$supported[mt_rand(0, count($supported) - 1)]]];
    }
    if (mt_rand(0, 1) === 0) {
        $cases[] = ['from' => $from, 'timeZone' => $zone, 'schedule' => $multi[mt_rand(0, count($multi) - 1)]];
    }
    if (mt_rand(0, 3) === 0) {
        $cases[] = ['from' => $from, 'timeZone' => $zone, 'schedule' => [$refused[mt_rand(0, count($refused) - 1)]]];
    }
}
// Every form at least once from one fixed base per zone family, so none is left to chance.
foreach ([['America/New_York', '2026-01-31T20:30:00Z'], ['Europe/Berlin', '2026-03-28T23:45:00Z'], ['UTC', '2024-02-29T10:15:20Z']] as [$zone, $from]) {
    foreach ($supported as $s) $cases[] = ['from' => $from, 'timeZone' => $zone, 'schedule' => [$s]];
    foreach ($refused as $s) $cases[] = ['from' => $from, 'timeZone' => $zone, 'schedule' => [$s]];
    foreach ($multi as $m) $cases[] = ['from' => $from, 'timeZone' => $zone, 'schedule' => $m];
}
// DST zones past 2099, where PHP applies the zone's POSIX TZ rule (src/tz's yearly rules): around
// each transition of 2100, 2150, 2500 and 9999, in zones of both hemispheres and odd rules.
$farZones = ['Europe/London', 'America/New_York', 'Australia/Sydney', 'America/Santiago', 'Asia/Jerusalem', 'Australia/Lord_Howe', 'Asia/Tokyo'];
$farSchedules = [['+1 day'], ['+1 hour'], ['+1 month'], ['tomorrow 02:30'], ['first day of next month midnight'], ['-1 hour'], ['+1 day', '01:30']];
foreach ($farZones as $zone) {
    $tz = new DateTimeZone($zone);
    foreach ([2100, 2150, 2500, 9999] as $year) {
        $transitions = array_slice($tz->getTransitions(gmmktime(0, 0, 0, 1, 1, $year), gmmktime(0, 0, 0, 1, 1, $year + 1)), 1);
        $instants = $transitions ? array_column($transitions, 'ts') : [gmmktime(12, 0, 0, 7, 10, $year)];
        foreach ($instants as $ts) {
            foreach ([-5400, -1800, 0, 1800, 86400 + 1800] as $delta) {
                foreach ($farSchedules as $schedule) {
                    $cases[] = ['from' => gmdate('Y-m-d\TH:i:s\Z', $ts + $delta), 'timeZone' => $zone, 'schedule' => $schedule];
                }
            }
        }
    }
}
$cases[] = ['from' => '2100-07-10T12:00:00Z', 'timeZone' => 'Europe/London', 'schedule' => ['+1 day']];
$cases[] = ['from' => '9999-12-31T12:00:00Z', 'timeZone' => 'America/New_York', 'schedule' => ['+1 day']];
echo json_encode(['supported' => $supported, 'refused' => $refused, 'cases' => $cases], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
