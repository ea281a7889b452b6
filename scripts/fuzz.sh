#!/usr/bin/env bash
# Runs the cargo-fuzz (libFuzzer) targets in fuzz/ for a while each, starting from the committed
# seed corpora. Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default 5 s, all five)
#   scripts/fuzz.sh 5                      # what scripts/test.sh runs
#   scripts/fuzz.sh 3600 simulate_structured  # a longer run of one target (docs/security.md)
# cargo-fuzz wants nightly flags (-Z); on the stable toolchain RUSTC_BOOTSTRAP=1 lets it pass
# them. The engine has no `unsafe`, so it runs without a sanitizer (libFuzzer's coverage, crash
# and leak/timeout/RSS detection are unaffected). New corpus entries go to a scratch folder;
# a crash leaves its input in fuzz/artifacts/<target>/ and fails the run.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT/fuzz"

SECONDS_PER_TARGET="${1:-5}"; shift || true
TARGETS=("$@"); [ "${#TARGETS[@]}" -gt 0 ] || TARGETS=(recipe schedule json_input simulate_structured transaction_columns)

if ! cargo fuzz --version >/dev/null 2>&1; then
  step "Installing cargo-fuzz (about a minute, once)"
  cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1
FLAGS=(--sanitizer none -O)
cargo fuzz build "${FLAGS[@]}"

SCRATCH="$(mktemp -d)"; trap 'rm -rf "$SCRATCH"' EXIT
status=0
for target in "${TARGETS[@]}"; do
  mkdir -p "$SCRATCH/$target" "corpus/$target"
  # The structured targets decode their bytes with `arbitrary`: let inputs be long from the start
  # (libFuzzer otherwise grows them slowly), so runs see many events, sales and refunds.
  EXTRA=(); [ "$target" = simulate_structured ] || [ "$target" = transaction_columns ] && EXTRA=(-len_control=0 -max_len=4096)
  step "fuzz $target for ${SECONDS_PER_TARGET}s"
  # -rss_limit_mb: unbounded memory is a failure; -timeout: one input taking 5 s is a hang.
  if ! cargo fuzz run "${FLAGS[@]}" "$target" "$SCRATCH/$target" "corpus/$target" -- \
      -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -timeout=5 -max_len=65536 \
      -print_final_stats=1 "${EXTRA[@]}" 2>"$SCRATCH/$target.log"; then
    status=1
    tail -60 "$SCRATCH/$target.log"
    echo "FAILED: fuzz target $target (input saved under fuzz/artifacts/$target/)"
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE" "$SCRATCH/$target.log" | sed "s/^/  $target: /" || true
done
exit "$status"
