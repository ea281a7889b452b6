#!/usr/bin/env bash
# Sets everything up (wasm target, wasm-bindgen CLI, pkg/) and runs the main job on the bundled
# samples: validate every sample recipe and print each distributor's next distribution dates.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_apt node nodejs
scripts/build.sh
step "Validating the bundled sample recipes"
node cli/siren.mjs validate samples/recipes/*.json --runs 3 --time-zone "${SIREN_TIME_ZONE:-America/New_York}" "$@"
