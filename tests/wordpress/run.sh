#!/usr/bin/env bash
# The WordPress plugin's tests: packages the plugin (scripts/package-plugin.sh), sets up and starts the
# two sites (tests/wordpress/sites.sh: WordPress 6.1.9 and 6.5.5 on PHP 8.2 and MariaDB), runs the
# PHPUnit tests (tests/wordpress/php/) and the browser tests (tests/wordpress/*.test.mjs, Chromium),
# stops the sites, and fails if anything failed or the debug logs mention the plugin.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$ROOT"

ensure_apt php php-cli
ensure_apt node nodejs
ensure_apt chromium chromium
ensure_npm_packages

SITES=tests/wordpress/sites.sh
step "Packaging the plugin"
scripts/package-plugin.sh
# Whatever happens, the PHP servers (and MariaDB, when this run started it) are stopped at the end.
trap 'bash "$SITES" stop' EXIT
step "Setting up the sites"
bash "$SITES" setup
bash "$SITES" start

status=0
if [ -f tests/wordpress/php/phpunit.xml ]; then
  step "PHPUnit (tests/wordpress/php)"
  phpunit --configuration tests/wordpress/php/phpunit.xml || status=1
fi
step "Browser and REST tests (node --test tests/wordpress/)"
# One file at a time: the files share the sites' data.
node --test --test-concurrency=1 --test-reporter=spec tests/wordpress/ || status=1

step "Debug logs"
if grep -H -n -i 'siren[-_]engine' target/wordpress/logs/debug-*.log | sed "s#$ROOT#<repo>#g" | grep -i 'siren[-_]engine'; then
  echo "the lines above mention the plugin"; status=1
else
  echo "no line about the plugin in target/wordpress/logs/debug-*.log"
fi
exit "$status"
