#!/usr/bin/env bash
# Sets everything up (wasm target, wasm-bindgen CLI, npm packages, pkg/) and runs the main job on
# the bundled data: validate the sample recipes, then simulate the Milestone Rewards Program over
# the sample year (samples/year: 320 collaborators, 48k events, 11k transactions with refunds, a
# pause and a mid-year weight change) and print every cycle, its winner and the year's totals.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_apt node nodejs
scripts/build.sh
step "Validating the bundled sample recipes"
node cli/siren.mjs validate samples/recipes/*.json --runs 2 --from 2026-11-25T12:00:00-05:00 --time-zone America/New_York
step "Simulating the Milestone Rewards Program over the sample year"
node cli/siren.mjs simulate --data samples/year --recipe samples/recipes/milestone-rewards.json "$@"
