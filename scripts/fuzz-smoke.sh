#!/usr/bin/env bash
# CI's bounded fuzz step: the stable, coverage-blind mutation loop
# (tests/fuzz_inputs.rs `mutate`) over every target body of fuzz/harness.rs
# for SECONDS_PER_TARGET seconds each, reusing the test build scripts/test.sh
# already made (no instrumented rebuild). A failing input is written to
# target/fuzz-crashes/<target>/ and fails the script. The seed changes every
# run and is printed, so a failure can be replayed with FUZZ_SEED.
# libFuzzer campaigns: scripts/fuzz.sh (docs/development.md#fuzzing).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${SECONDS_PER_TARGET:-15}
seed=${FUZZ_SEED:-$(date +%s)}
targets=(token_decode token_verify jwks_parse oidc_discovery registry_load snapshot_load rules_load scan_engine)
for t in "${targets[@]}"; do
    echo "== fuzz-smoke $t for ${SECONDS_PER_TARGET}s (FUZZ_SEED=$seed)"
    log=$(mktemp)
    rc=0
    FUZZ_TARGET=$t FUZZ_SECONDS=$SECONDS_PER_TARGET FUZZ_SEED=$seed \
        cargo test --locked --test fuzz_inputs -- --ignored --nocapture --exact mutate >"$log" 2>&1 || rc=$?
    grep -E 'runs in|crash' "$log" || true
    if [ "$rc" -ne 0 ]; then
        tail -n 40 "$log" >&2
        rm -f "$log"
        echo "scripts/fuzz-smoke.sh: $t failed (FUZZ_SEED=$seed); the input is under target/fuzz-crashes/$t/" >&2
        exit 1
    fi
    rm -f "$log"
done
echo "== fuzz-smoke: ${#targets[@]} targets, ${SECONDS_PER_TARGET}s each, no crash"
