<?php
// Runs generated cases through PHP's DateTime::modify and prints the golden file.
// Usage: php tests/php/generate_cases.php | php tests/php/oracle.php > tests/data/schedule_oracle.json
// Per case: $d = new DateTime('@unix'); $d->setTimezone(zone); $d->modify(each string);
// "expected" is $d->format('Y-m-d\TH:i:sP'), or "phpRejects": index of the first string
// for which modify() returned false. "refused": the string is in the generator's refused list.

$input = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
$refused = array_flip($input['refused']);
$lines = [];
foreach ($input['cases'] as $case) {
    $d = new DateTime('@' . (new DateTime($case['from']))->getTimestamp());
    $d->setTimezone(new DateTimeZone($case['timeZone']));
    $out = ['from' => $case['from'], 'timeZone' => $case['timeZone'], 'schedule' => $case['schedule']];
    foreach ($case['schedule'] as $i => $m) {
        if (isset($refused[$m])) $out['refused'] = true;
        if (@$d->modify($m) === false) {
            $out['phpRejects'] = $i;
            break;
        }
    }
    if (!isset($out['phpRejects'])) $out['expected'] = $d->format('Y-m-d\TH:i:sP');
    $lines[] = json_encode($out, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
}
$meta = [
    'comment' => 'Golden results of PHP DateTime::modify for the schedule engine. Regenerate and check with tests/php/check_oracle.sh. '
        . 'DST zones are tested in 2000-2028 and around their transitions in 2100-9999: chrono-tz 0.10 lists transitions only up to 2099 and then keeps the last offset, while PHP (system tzdata, timezone_version_get() = 0.system) extends the POSIX TZ rule, as the engine\'s zone table does with the yearly rules it derives (src/tz).',
    'phpVersion' => PHP_VERSION,
    'timezoneVersion' => timezone_version_get(),
];
echo "{\n";
foreach ($meta as $k => $v) echo json_encode($k), ': ', json_encode($v, JSON_UNESCAPED_SLASHES), ",\n";
echo "\"cases\": [\n", implode(",\n", $lines), "\n]}\n";
