#!/bin/sh
# Regenerates the schedule oracle with the installed PHP and diffs it against the committed
# golden file. Exit 0 when identical (or when php is missing, with a notice), 1 on a difference.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
golden="$here/../data/schedule_oracle.json"
if ! command -v php >/dev/null 2>&1; then
    echo "check_oracle.sh: php not found; skipping the PHP comparison" >&2
    exit 0
fi
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
php "$here/generate_cases.php" | php "$here/oracle.php" > "$tmp"
# The PHP patch version may differ between machines; compare everything else.
grep -v '"phpVersion"' "$golden" > "$tmp.committed"
grep -v '"phpVersion"' "$tmp" > "$tmp.regenerated"
trap 'rm -f "$tmp" "$tmp.committed" "$tmp.regenerated"' EXIT
if ! diff -u "$tmp.committed" "$tmp.regenerated" > "$tmp.diff"; then
    echo "check_oracle.sh: PHP disagrees with $golden:" >&2
    head -40 "$tmp.diff" >&2
    rm -f "$tmp.diff"
    exit 1
fi
rm -f "$tmp.diff"
# The zone transitions after 2099 (the yearly rules of src/tz), also checked by the unit tests.
transitions="$here/../data/php_transitions.txt"
if ! php "$here/transitions.php" | diff -u "$transitions" - > "$tmp.diff"; then
    echo "check_oracle.sh: PHP disagrees with $transitions:" >&2
    head -40 "$tmp.diff" >&2
    rm -f "$tmp.diff"
    exit 1
fi
rm -f "$tmp.diff"
echo "check_oracle.sh: $(grep -c '"from"' "$golden") cases and $(grep -c '' "$transitions") zone transitions after 2099 match PHP $(php -r 'echo PHP_VERSION;')"
