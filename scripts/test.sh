#!/usr/bin/env bash
# Runs every test: native Rust, the wasm build under Node, JS against pkg/, the CLI, the browser
# editor in headless Chromium, the WordPress plugin on two real sites (WordPress 6.1 and 6.5 with
# MariaDB, driven by Chromium; tests/wordpress/run.sh), and the schedule table against real PHP 8.2.
# Installs what is missing first (fast when present).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_wasm_target
ensure_wasm_bindgen_cli
ensure_apt php php-cli
ensure_apt node nodejs
ensure_apt chromium chromium
ensure_npm_packages

PASSED=0; FAILED=0; FAILURES=()
lint() {
  cargo clippy --workspace --all-targets --quiet -- -D warnings &&
    cargo clippy --package siren-wasm --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings
}
suite() { # suite NAME COMMAND...
  step "$1"
  local name="$1"; shift
  if "$@"; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); FAILURES+=("$name"); fi
}

suite "Formatting (cargo fmt --check)" cargo fmt --all --check
suite "Lints (cargo clippy, warnings are errors; the binding also as wasm32)" lint
suite "Native tests (cargo test)" cargo test --workspace --quiet
suite "Fuzz targets, 5 s each (scripts/fuzz.sh: cargo fuzz on stable)" scripts/fuzz.sh 5
suite "Build pkg/" scripts/build.sh
suite "Wasm tests under Node (wasm-bindgen-test)" \
  env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --package siren-wasm --target wasm32-unknown-unknown --test wasm
suite "JS tests against pkg/ and the CLI (node --test)" node --test --test-reporter=spec tests/js/
suite "Package and bundlers (npm pack, esbuild, Vite, webpack, Rollup)" node --test --test-reporter=spec tests/package/
suite "Browser tests (Playwright + Chromium)" node --test --test-reporter=spec tests/browser/
suite "WordPress plugin (6.1 and 6.5, MariaDB, Chromium)" bash tests/wordpress/run.sh
suite "Schedules against PHP $(php -r 'echo PHP_VERSION;')" bash tests/php/check_oracle.sh

step "Summary"
for f in "${FAILURES[@]}"; do echo "FAILED: $f"; done
echo "suites: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
