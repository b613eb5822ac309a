#!/usr/bin/env bash
# The long libFuzzer campaign of issue 10: every cargo-fuzz target until it
# has run RUNS inputs or MAX_SECONDS seconds, whichever comes first, LANES targets
# at a time (one per core). Unlike scripts/fuzz.sh (short, stops at the first
# crash), a crash ends only that target's run: the others go on, and the
# summary table lists every target's figures and crash count.
#
#   scripts/fuzz-campaign.sh                       # all targets, 10 M runs or 30 min each
#   RUNS=1000000 MAX_SECONDS=600 scripts/fuzz-campaign.sh scan_engine
#
# Knobs: RUNS [10000000], MAX_SECONDS [1800], LANES [number of cores],
# SANITIZER [none: see docs/development.md#fuzzing], LOGS [/tmp/agentid-fuzz].
# Writes LOGS/<target>.log (libFuzzer's output) and LOGS/summary.md.
set -euo pipefail

main() {
cd "$(dirname "$0")/.."
RUNS=${RUNS:-10000000}
# Not SECONDS: bash keeps its own SECONDS (time since the shell started).
SECONDS_PER_TARGET=${MAX_SECONDS:-1800}
LANES=${LANES:-$(nproc)}
SANITIZER=${SANITIZER:-none}
LOGS=${LOGS:-/tmp/agentid-fuzz}
mkdir -p "$LOGS"

# shellcheck source=scripts/fuzz-prepare.sh
source scripts/fuzz-prepare.sh
fuzz_prepare scripts/fuzz-campaign.sh "$@"

# -a: debug assertions (integer overflow, slice bounds already checked) in
# the optimised build, so arithmetic bugs fail loudly.
echo "== cargo +nightly fuzz build -a --sanitizer $SANITIZER"
start=$(date +%s)
cargo +nightly fuzz build -a --sanitizer "$SANITIZER"
echo "   built in $(($(date +%s) - start)) s" | tee "$LOGS/build.txt"

# The built binaries run directly, as `cargo fuzz run` would run them: going
# through cargo again for each target would re-check (and, when anything
# changed, rebuild) the whole instrumented tree while other lanes wait on
# its lock.
BIN_DIR=fuzz/target/$(rustc +nightly -vV | sed -n 's/^host: //p')/release
run_one() { # run_one TARGET
    local t=$1 log="$LOGS/$1.log" rc=0 t0
    mkdir -p "fuzz/artifacts/$t"
    t0=$(date +%s)
    "$BIN_DIR/$t" -artifact_prefix="fuzz/artifacts/$t/" \
        -runs="$RUNS" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
        -print_final_stats=1 "fuzz/corpus/$t" >"$log" 2>&1 || rc=$?
    echo "$t $rc $(($(date +%s) - t0))" >"$LOGS/$t.rc"
}

# LANES workers take targets from the list in turn.
next=0
declare -a pids=()
while [ $next -lt ${#targets[@]} ] || [ ${#pids[@]} -gt 0 ]; do
    while [ ${#pids[@]} -lt "$LANES" ] && [ $next -lt ${#targets[@]} ]; do
        echo "== fuzz ${targets[$next]} (until $RUNS runs or ${SECONDS_PER_TARGET}s)"
        run_one "${targets[$next]}" &
        pids+=($!)
        next=$((next + 1))
    done
    wait -n "${pids[@]}" || true
    alive=()
    for p in "${pids[@]}"; do
        kill -0 "$p" 2>/dev/null && alive+=("$p")
    done
    pids=("${alive[@]+"${alive[@]}"}")
done

failed=0
for t in "${targets[@]}"; do
    read -r _ rc _ <"$LOGS/$t.rc"
    [ "$rc" -eq 0 ] || failed=1
done
{
    echo "| target | executions | per second | time | corpus | crashes |"
    echo "|---|--:|--:|--:|--:|--:|"
    for t in "${targets[@]}"; do
        read -r _ rc secs <"$LOGS/$t.rc"
        units=$(awk '/^stat::number_of_executed_units:/ {n = $2} END {print n}' "$LOGS/$t.log")
        rate=$(awk '/^stat::average_exec_per_sec:/ {n = $2} END {print n}' "$LOGS/$t.log")
        corpus=$(find "fuzz/corpus/$t" -type f | wc -l)
        crashes=0
        [ "$rc" -eq 0 ] || crashes=1
        echo "| \`$t\` | ${units:-?} | ${rate:-?} | ${secs} s | $corpus | $crashes |"
    done
} | tee "$LOGS/summary.md"
if [ "$failed" -ne 0 ]; then
    echo "scripts/fuzz-campaign.sh: a target failed; its input is under fuzz/artifacts/<target>/ and its log in $LOGS" >&2
    exit 1
fi
}

main "$@"
