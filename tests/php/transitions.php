<?php
// PHP's zone transitions past chrono-tz's last listed year (2099), where PHP applies each zone's
// POSIX TZ rule: for every zone of tests/data/php_zones.txt and each year below, one line per
// transition, "zone unix-time offset isdst". The unit tests' `zones` module checks the engine's
// table against it. Usage: php tests/php/transitions.php > tests/data/php_transitions.txt
$years = [2100, 2101, 2150, 2500, 9999];
foreach (file(__DIR__ . '/../data/php_zones.txt', FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $zone) {
    $zone = trim($zone);
    $tz = new DateTimeZone($zone);
    foreach ($years as $y) {
        // The first entry getTransitions returns is the state at $from, not a transition.
        foreach (array_slice($tz->getTransitions(gmmktime(0, 0, 0, 1, 1, $y), gmmktime(0, 0, 0, 1, 1, $y + 1)), 1) as $t) {
            echo $zone, ' ', $t['ts'], ' ', $t['offset'], ' ', $t['isdst'] ? 1 : 0, "\n";
        }
    }
}
