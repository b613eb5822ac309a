#!/usr/bin/env bash
# Times `agentid inventory --format json` on generated estates of 10 k, 100 k and
# 1 M credentials and writes bench/inventory-scale/RESULTS.md. See README.md.
#
# Environment knobs (defaults in brackets):
#   BENCH_DATA   where estates are generated                      [/tmp/bench-inv]
#   SIZES        "label:credentials:agents ..."   [10k:10000:1000 100k:100000:10000 1M:1000000:10000]
#   RUNS/WARMUP  hyperfine runs and warmups                       [5 / 1]
#   SEED         generator seed                                   [42]
#   SHADOW       fraction of shadow identities                    [0.05]
#   IGNORED      fraction of ignored non-agent identities         [0.5]
#   SKIP_BUILD=1 use the existing target/release/agentid
#   AGENTID      binary to time            [${CARGO_TARGET_DIR:-target}/release/agentid]
#   QUIET_WAIT   seconds to wait for other cargo/rustc jobs to finish first [900]
#   RETRIES      re-measure a size this often if a compiler ran while timing it [3]
#   RESULTS      results file                                     [bench/inventory-scale/RESULTS.md]
set -euo pipefail

# Everything runs inside main(), which bash parses whole before running, so
# editing this file while a benchmark runs cannot derail that run.
main() {

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${BENCH_DATA:-/tmp/bench-inv}"
SIZES="${SIZES:-10k:10000:1000 100k:100000:10000 1M:1000000:10000}"
RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-1}"
SEED="${SEED:-42}"
SHADOW="${SHADOW:-0.05}"
IGNORED="${IGNORED:-0.5}"
AS_OF="2026-11-01T00:00:00Z"
QUIET_WAIT="${QUIET_WAIT:-900}"
RETRIES="${RETRIES:-3}"
RESULTS="${RESULTS:-$HERE/RESULTS.md}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="${AGENTID:-$TARGET_DIR/release/agentid}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- tools
need() { # need COMMAND DEBIAN-PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    log "installing $2 (for $1)"
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq && apt-get install -y -qq "$2" >/dev/null
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq "$2" >/dev/null
    fi
    command -v "$1" >/dev/null 2>&1 || die "$1 is still missing; install the Debian package $2"
}
need hyperfine hyperfine
need /usr/bin/time time
need python3 python3

# ---------------------------------------------------------------- build
if [ "${SKIP_BUILD:-0}" != 1 ] && [ -z "${AGENTID:-}" ]; then
    log "cargo build --release"
    (cd "$ROOT" && cargo build --release --quiet)
fi
[ -x "$BIN" ] || die "no agentid binary at $BIN"

# ---------------------------------------------------------------- data
mkdir -p "$DATA"
GEN_HASH="$(cat "$HERE/generate.py" | sha256sum | cut -c1-16)"
labels=()
for spec in $SIZES; do
    IFS=: read -r label creds agents <<<"$spec"
    labels+=("$label")
    dir="$DATA/$label"
    stamp="creds=$creds agents=$agents seed=$SEED shadow=$SHADOW ignored=$IGNORED as_of=$AS_OF gen=$GEN_HASH"
    if [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$stamp" ]; then
        log "$label: reusing $dir"
        continue
    fi
    log "$label: generating $creds credentials / $agents agents into $dir"
    rm -rf "$dir" "$dir.tmp"
    python3 "$HERE/generate.py" --credentials "$creds" --agents "$agents" --seed "$SEED" \
        --shadow "$SHADOW" --ignored "$IGNORED" --as-of "$AS_OF" --out "$dir.tmp" >/dev/null
    python3 "$HERE/check.py" "$dir.tmp" >"$dir.tmp/check.txt" || { cat "$dir.tmp/check.txt"; die "$label: generated data failed check.py"; }
    echo "$stamp" >"$dir.tmp/.stamp"
    mv "$dir.tmp" "$dir"
done

# ---------------------------------------------------------------- quiet machine
# Timings on a 2-core box are meaningless while a cargo build runs next to them.
busy() {
    local p
    for p in cargo rustc clippy-driver cargo-clippy rustdoc; do
        pgrep -x "$p" >/dev/null && return 0
    done
    return 1
}
wait_quiet() {
    local waited=0
    while busy; do
        [ "$waited" -ge "$QUIET_WAIT" ] && { log "warning: cargo/rustc still running after ${QUIET_WAIT}s; timing anyway"; return; }
        [ "$waited" -eq 0 ] && log "waiting for other cargo/rustc processes to finish"
        sleep 10
        waited=$((waited + 10))
    done
}
wait_quiet

# Time a private copy: a rebuild of target/ halfway through must not change what is measured.
cp "$BIN" "$DATA/agentid.bench"
BUILT="$BIN"
BIN="$DATA/agentid.bench"

{
    echo "date:      $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cpu:       $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1) ($(nproc) cores visible to the process)"
    echo "memory:    $(free -h | awk '/^Mem:/ {print $2}')"
    echo "kernel:    $(uname -sr)"
    echo "load:      $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, before timing)"
    echo "rustc:     $(rustc --version 2>/dev/null || echo '?')"
    echo "agentid:   $("$BIN" --version 2>/dev/null || echo '?') ($BUILT, $(stat -c %s "$BIN") bytes, built $(date -u -r "$BUILT" +%H:%M:%SZ))"
    echo "git:       $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'no commit')$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -q . && echo ' + uncommitted changes')"
    echo "hyperfine: $(hyperfine --version) --warmup $WARMUP --runs $RUNS -N"
    echo "data:      seed $SEED, shadow $SHADOW, ignored $IGNORED, as-of $AS_OF"
} >"$DATA/machine.txt"

# ---------------------------------------------------------------- measure
# A sampler notes any compiler running while we time, so RESULTS.md can say so.
: >"$DATA/interference.txt"
(
    while true; do
        busy && echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1 /proc/loadavg)" >>"$DATA/interference.txt"
        sleep 2
    done
) &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT

for label in "${labels[@]}"; do
    dir="$DATA/$label"
    local attempt=0 before after
    while true; do
    wait_quiet
    before=$(wc -l <"$DATA/interference.txt")
    cmd=("$BIN" inventory --config "$dir/agentid.yaml" --as-of "$AS_OF" --format json --fail-on never)

    # One plain run, kept: proves the tool accepts the data and counts findings.
    # (Not `-o /dev/null`: -o writes a temp file next to the target and renames it over.)
    log "$label: validation run"
    if ! "${cmd[@]}" >"$dir/report.json" 2>"$dir/stderr.txt"; then
        cat "$dir/stderr.txt" >&2
        die "$label: agentid inventory failed (see above)"
    fi

    log "$label: peak RSS (/usr/bin/time -v)"
    /usr/bin/time -v -o "$dir/time.txt" "${cmd[@]}" >/dev/null 2>/dev/null

    # Rough phase split, one run each: registry load alone, then load + snapshot +
    # matching with a single cheap rule (few findings, tiny report).
    log "$label: phase split (registry validate; inventory --only AID022)"
    /usr/bin/time -f '%e %U %S %M' -o "$dir/phase-registry.txt" \
        "$BIN" registry validate --config "$dir/agentid.yaml" >/dev/null 2>&1 || true
    /usr/bin/time -f '%e %U %S %M' -o "$dir/phase-load.txt" "${cmd[@]}" --only AID022 >/dev/null 2>&1 || true

    log "$label: hyperfine --warmup $WARMUP --runs $RUNS"
    hyperfine -N --style basic --warmup "$WARMUP" --runs "$RUNS" \
        --command-name "inventory $label" --export-json "$dir/hyperfine.json" \
        "$(printf '%q ' "${cmd[@]}")"

    after=$(wc -l <"$DATA/interference.txt")
    echo "$((after - before))" >"$dir/interference-samples"
    if [ "$after" -eq "$before" ] || [ "$attempt" -ge "$RETRIES" ]; then
        break
    fi
    attempt=$((attempt + 1))
    log "$label: a compiler ran while timing; measuring again (retry $attempt of $RETRIES)"
    done
done

kill "$sampler" 2>/dev/null || true
local noisy="" l
for l in "${labels[@]}"; do
    n=$(cat "$DATA/$l/interference-samples")
    [ "$n" -gt 0 ] && noisy="$noisy $l ($n samples)"
done
if [ -n "$noisy" ]; then
    echo "interference: cargo/rustc ran while timing the kept measurement of:$noisy; those wall times are inflated, user+sys less so" >>"$DATA/machine.txt"
else
    echo "interference: none (no cargo/rustc seen while timing the kept measurements)" >>"$DATA/machine.txt"
fi

python3 "$HERE/summarize.py" "$RESULTS" "$DATA" "${labels[@]}"
}

main "$@"
