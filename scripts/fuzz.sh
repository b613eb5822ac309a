#!/usr/bin/env bash
# Short, bounded fuzzing: every cargo-fuzz target (fuzz/fuzz_targets/) runs
# for SECONDS_PER_TARGET seconds over its seed corpus, one after another on
# one core. A crash, a failed assertion (e.g. the scan engine's prefilter
# disagreeing with the exhaustive scan), a timeout or an out-of-memory fails
# the script; libFuzzer writes the input to fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh                           # all targets, 25 s each
#   SECONDS_PER_TARGET=600 scripts/fuzz.sh scan_engine
#
# Needs the nightly toolchain (`rustup toolchain install nightly`);
# cargo-fuzz is installed when absent. Long campaigns and their figures:
# docs/development.md#fuzzing.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET=${SECONDS_PER_TARGET:-25}

# shellcheck source=scripts/fuzz-prepare.sh
source scripts/fuzz-prepare.sh
fuzz_prepare scripts/fuzz.sh "$@"

echo "== cargo fuzz build (all targets)"
start=$(date +%s)
cargo +nightly fuzz build
echo "   built in $(($(date +%s) - start)) s"

for t in "${targets[@]}"; do
    echo "== fuzz $t for ${SECONDS_PER_TARGET}s"
    # -timeout: one input taking 10 s is a bug (a regex blow-up, a loop).
    log=$(mktemp)
    rc=0
    cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -print_final_stats=1 \
        >"$log" 2>&1 || rc=$?
    grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|Done )' "$log" || true
    if [ "$rc" -ne 0 ]; then
        tail -n 60 "$log" >&2
        rm -f "$log"
        echo "scripts/fuzz.sh: $t failed (exit $rc); the input is under fuzz/artifacts/$t/" >&2
        exit 1
    fi
    rm -f "$log"
done
echo "== fuzz: ${#targets[@]} targets, ${SECONDS_PER_TARGET}s each, no crash"
