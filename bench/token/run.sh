#!/usr/bin/env bash
# Times `agentid token verify --batch` on 100 k ES256 and 100 k RS256 tokens
# against the raw jsonwebtoken/aws-lc verify rate (bench/token/primitive.rs),
# and `agentid token decode` start-to-exit against jwt-cli, then writes
# bench/token/RESULTS.md. See README.md.
#
# Environment knobs (defaults in brackets):
#   BENCH_DATA     tokens, binaries and raw outputs                      [/tmp/bench-token]
#   COUNT          tokens per algorithm                                  [100000]
#   ALGS           algorithms to measure                                 [ES256 RS256]
#   RUNS/WARMUP    hyperfine runs and warmups of the batch verify        [5 / 1]
#   ROUNDS         rounds per (mode, threads) of the primitive bench     [3]
#   THREADS        thread counts of the primitive bench                  [1,$(nproc)]
#   DECODE_RUNS    hyperfine runs of token decode / jwt decode           [200]
#   DECODE_WARMUP  hyperfine warmups of the same                         [20]
#   DECODE_GOAL_MS decode median goal                                    [5]
#   GOAL_PCT       batch rate goal, % of the raw N-thread rate           [70]
#   PAIRS          paired rounds: one batch run, then one raw round       [7]
#   SEED           generator seed (claims)                               [42]
#   AS_OF          every token is current at this time; passed as --as-of [2026-11-01T00:00:00Z]
#   SKIP_BUILD=1   reuse target/release/agentid and the last built bench binary
#   AGENTID        binary to time            [${CARGO_TARGET_DIR:-target}/release/agentid]
#   JWT_CLI        jwt-cli binary            [$BENCH_DATA/jwt-cli/bin/jwt, installed with cargo install]
#   BASELINE       another agentid binary whose batch verify is timed in the same hyperfine
#                  run (e.g. a build of an older commit); its output must be byte-identical
#   QUIET_WAIT     seconds to wait for other cargo/rustc jobs to finish first [900]
#   RETRIES        re-measure a section this often if a compiler ran while timing it [3]
#   SECTIONS       what to measure                                       [ES256 RS256 decode]
#   RESULTS        results file                                          [bench/token/RESULTS.md]
set -euo pipefail

# Everything runs inside main(), which bash parses whole before running, so
# editing this file while a benchmark runs cannot derail that run.
main() {

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${BENCH_DATA:-/tmp/bench-token}"
COUNT="${COUNT:-100000}"
ALGS="${ALGS:-ES256 RS256}"
RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-1}"
ROUNDS="${ROUNDS:-3}"
THREADS="${THREADS:-1,$(nproc)}"
DECODE_RUNS="${DECODE_RUNS:-200}"
DECODE_WARMUP="${DECODE_WARMUP:-20}"
DECODE_GOAL_MS="${DECODE_GOAL_MS:-5}"
GOAL_PCT="${GOAL_PCT:-70}"
PAIRS="${PAIRS:-7}"
SEED="${SEED:-42}"
AS_OF="${AS_OF:-2026-11-01T00:00:00Z}"
QUIET_WAIT="${QUIET_WAIT:-900}"
RETRIES="${RETRIES:-3}"
SECTIONS="${SECTIONS:-$ALGS decode}"
RESULTS="${RESULTS:-$HERE/RESULTS.md}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="${AGENTID:-$TARGET_DIR/release/agentid}"
JWT="${JWT_CLI:-$DATA/jwt-cli/bin/jwt}"
BASE="${BASELINE:-}"
KEYS="$ROOT/tests/fixtures/keys"

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
need jq jq
need /usr/bin/time time
need python3 python3
mkdir -p "$DATA"

# The generator needs `cryptography`: the system one if python3 has it, else a venv in $DATA.
PY=python3
if ! python3 -c 'import cryptography' 2>/dev/null; then
    PY="$DATA/venv/bin/python"
    if ! "$PY" -c 'import cryptography' 2>/dev/null; then
        log "creating $DATA/venv with the cryptography package"
        python3 -m venv "$DATA/venv" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
        "$DATA/venv/bin/pip" install -q cryptography
    fi
fi

# jwt-cli, the peer for decode: built once into $DATA/jwt-cli.
if [ ! -x "$JWT" ] && [[ " $SECTIONS " == *" decode "* ]]; then
    log "cargo install jwt-cli --locked --root $DATA/jwt-cli (once)"
    cargo install jwt-cli --locked --root "$DATA/jwt-cli" --quiet
fi

# ---------------------------------------------------------------- build
# One release build of agentid, and the primitive bench built by the same
# cargo (bench profile = release settings). The bench binary is run directly
# (what `cargo bench --bench token_primitive -- ARGS` runs), so a source edit
# by someone else mid-run cannot trigger a rebuild between measurements.
if [ "${SKIP_BUILD:-0}" != 1 ] && [ -z "${AGENTID:-}" ]; then
    log "cargo build --release"
    (cd "$ROOT" && cargo build --release --quiet)
    log "cargo bench --bench token_primitive --no-run"
    PRIM="$(cd "$ROOT" && cargo bench --bench token_primitive --no-run --message-format=json 2>/dev/null \
        | jq -r 'select(.reason == "compiler-artifact" and .target.name == "token_primitive") | .executable' | tail -1)"
else
    PRIM="$(ls -t "$TARGET_DIR"/release/deps/token_primitive-* 2>/dev/null | grep -v '\.d$' | head -1 || true)"
fi
[ -x "$BIN" ] || die "no agentid binary at $BIN"
[ -n "$PRIM" ] && [ -x "$PRIM" ] || die "no token_primitive bench binary (run without SKIP_BUILD=1)"
[ -z "$BASE" ] || [ -x "$BASE" ] || die "BASELINE=$BASE is not an executable"

# Time private copies, taken right after the build: other engineers build in
# the same target/ (and in the same work tree), and whatever they build later
# must not change what is measured.
mkdir -p "$DATA"
cp "$BIN" "$DATA/agentid.bench"
cp "$PRIM" "$DATA/token_primitive.bench"
if [ -n "$BASE" ]; then
    cp "$BASE" "$DATA/agentid-baseline.bench"
    BASE_BUILT="$BASE"
    BASE="$DATA/agentid-baseline.bench"
fi
BUILT="$BIN"
BUILT_AT="$(date -u -r "$BIN" +%Y-%m-%dT%H:%M:%SZ)"
BIN="$DATA/agentid.bench"
PRIM="$DATA/token_primitive.bench"

# ---------------------------------------------------------------- data
GEN_HASH="$(sha256sum "$HERE/generate.py" | cut -c1-16)"
declare -A PRIV=([ES256]="$KEYS/ec256.pem" [RS256]="$KEYS/rsa2048.pem")
declare -A PUB=([ES256]="$KEYS/ec256.pub.pem" [RS256]="$KEYS/rsa2048.pub.pem")
for alg in $ALGS; do
    [ -n "${PRIV[$alg]:-}" ] || die "ALGS: $alg is not one of ES256 RS256"
    out="$DATA/tokens-$alg.txt"
    stamp="count=$COUNT seed=$SEED as_of=$AS_OF gen=$GEN_HASH key=$(sha256sum "${PRIV[$alg]}" | cut -c1-16)"
    if [ -f "$out.stamp" ] && [ "$(cat "$out.stamp")" = "$stamp" ] && [ -f "$out" ]; then
        log "$alg: reusing $out"
        continue
    fi
    log "$alg: generating $COUNT tokens into $out"
    rm -f "$out.stamp"
    "$PY" "$HERE/generate.py" --alg "$alg" --key "${PRIV[$alg]}" --count "$COUNT" \
        --as-of "$AS_OF" --seed "$SEED" --out "$out.tmp"
    [ "$(wc -l <"$out.tmp")" -eq "$COUNT" ] || die "$alg: generator wrote $(wc -l <"$out.tmp") lines, not $COUNT"
    [ "$(sort -u "$out.tmp" | wc -l)" -eq "$COUNT" ] || die "$alg: duplicate tokens"
    mv "$out.tmp" "$out"
    echo "$stamp" >"$out.stamp"
done

# One token for decode: the first GitHub Actions-shaped RS256 one (the richest
# decode: ~30 claims, issuer-aware explanations).
DECODE_ALG=RS256; [[ " $ALGS " == *" RS256 "* ]] || DECODE_ALG="${ALGS%% *}"
"$PY" - "$DATA/tokens-$DECODE_ALG.txt" "$DATA/one.jwt" <<'EOF'
import base64, json, sys
for line in open(sys.argv[1]):
    p = line.split(".")[1]
    c = json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
    if c.get("iss") == "https://token.actions.githubusercontent.com":
        open(sys.argv[2], "w").write(line.strip() + "\n")
        break
EOF
[ -s "$DATA/one.jwt" ] || die "no GitHub Actions token in $DATA/tokens-$DECODE_ALG.txt"

# agentid runs in an empty directory with empty XDG dirs: no agentid.yaml is
# found, so the keys come only from --key and no registry is loaded.
mkdir -p "$DATA/cwd" "$DATA/xdg-config" "$DATA/xdg-cache"
export XDG_CONFIG_HOME="$DATA/xdg-config" XDG_CACHE_HOME="$DATA/xdg-cache"
cd "$DATA/cwd"

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


{
    echo "date:      $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cpu:       $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1) ($(nproc) cores visible to the process)"
    echo "memory:    $(free -h | awk '/^Mem:/ {print $2}')"
    echo "kernel:    $(uname -sr)"
    echo "load:      $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, before timing)"
    echo "rustc:     $(rustc --version 2>/dev/null || echo '?')"
    echo "agentid:   $("$BIN" --version 2>/dev/null || echo '?') ($BUILT, $(stat -c %s "$BIN") bytes, built $BUILT_AT)"
    echo "git:       $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'no commit')$(git -C "$ROOT" status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null | grep -q . && echo ' + uncommitted changes under src/ or Cargo.*')"
    echo "crypto:    jsonwebtoken $(sed -n '/^name = "jsonwebtoken"/{n;s/version = "\(.*\)"/\1/p}' "$ROOT/Cargo.lock" | head -1), aws-lc-rs $(sed -n '/^name = "aws-lc-rs"/{n;s/version = "\(.*\)"/\1/p}' "$ROOT/Cargo.lock" | head -1)"
    [ -z "$BASE" ] || echo "baseline:  $("$BASE" --version 2>/dev/null || echo '?') ($BASE_BUILT, built $(date -u -r "$BASE_BUILT" +%Y-%m-%dT%H:%M:%SZ))"
    echo "jwt-cli:   $("$JWT" --version 2>/dev/null || echo 'not installed')"
    echo "hyperfine: $(hyperfine --version); batch --warmup $WARMUP --runs $RUNS -N; decode --warmup $DECODE_WARMUP --runs $DECODE_RUNS -N"
    echo "data:      $COUNT tokens per alg, seed $SEED, as-of $AS_OF"
} >"$DATA/machine.txt"

# ---------------------------------------------------------------- measure
# A sampler notes any compiler running while we time, so RESULTS.md can say so.
: >"$DATA/interference.txt"
(
    while true; do
        busy && echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1 /proc/loadavg) $(pgrep -x 'cargo|rustc|clippy-driver|rustdoc' | head -3 | tr '\n' ' ')" >>"$DATA/interference.txt"
        sleep 2
    done
) &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT

measure_alg() { # measure_alg ALG DIR
    local alg="$1" dir="$2" tokens="$DATA/tokens-$1.txt"
    local cmd=("$BIN" token verify --batch "$tokens" --key "${PUB[$alg]}" --as-of "$AS_OF")

    # One plain run, kept: every token must come out valid, or the benchmark
    # would be timing failures.
    log "$alg: validation run"
    local rc=0
    "${cmd[@]}" >"$dir/results.jsonl" 2>"$dir/stderr.txt" || rc=$?
    cat "$dir/stderr.txt" >&2
    [ "$rc" -eq 0 ] || die "$alg: token verify --batch exited $rc"
    local lines valid
    lines=$(wc -l <"$dir/results.jsonl")
    valid=$(jq -r 'select(.valid == true) | .line' "$dir/results.jsonl" | wc -l)
    echo "$lines $valid" >"$dir/validity"
    [ "$lines" -eq "$COUNT" ] && [ "$valid" -eq "$COUNT" ] \
        || die "$alg: $valid of $lines results valid, expected $COUNT of $COUNT (see $dir/results.jsonl)"
    sha256sum <"$dir/results.jsonl" | cut -c1-16 >"$dir/results.sha"

    log "$alg: peak RSS and CPU of one run (/usr/bin/time)"
    /usr/bin/time -f '%e %U %S %M' -o "$dir/time.txt" "${cmd[@]}" >/dev/null 2>&1

    local extra=()
    rm -f "$dir/baseline-identical"
    if [ -n "$BASE" ]; then
        local bcmd=("$BASE" "${cmd[@]:1}")
        log "$alg: baseline run (output must be byte-identical)"
        "${bcmd[@]}" >"$dir/results-baseline.jsonl" 2>/dev/null || true
        if cmp -s "$dir/results.jsonl" "$dir/results-baseline.jsonl"; then
            echo yes >"$dir/baseline-identical"
        else
            echo no >"$dir/baseline-identical"
            log "$alg: warning: the baseline's output differs"
        fi
        rm -f "$dir/results-baseline.jsonl"
        extra=(--command-name "baseline ($alg)" "$(printf '%q ' "${bcmd[@]}")")
    fi

    log "$alg: hyperfine --warmup $WARMUP --runs $RUNS (token verify --batch)"
    hyperfine -N --style basic --warmup "$WARMUP" --runs "$RUNS" \
        --command-name "token verify --batch ($alg)" --export-json "$dir/hyperfine.json" \
        "$(printf '%q ' "${cmd[@]}")" "${extra[@]}"

    log "$alg: primitive (threads $THREADS, $ROUNDS rounds)"
    rm -f "$dir/primitive.jsonl"
    "$PRIM" --tokens "$tokens" --key "${PUB[$alg]}" --alg "$alg" --threads "$THREADS" \
        --rounds "$ROUNDS" --json "$dir/primitive.jsonl"

    # Paired rounds. This machine's speed drifts by 10-20 % over minutes
    # (other tenants of the host), so a batch median and a raw rate measured
    # a minute apart can disagree by more than the distance to the goal.
    # Each round times one batch run and, straight after it, one round of
    # the raw rate (lc-parsed) at the same thread count; the ratio of each
    # pair sees the same machine.
    local tmax i
    tmax=$(tr ',' '\n' <<<"$THREADS" | sort -n | tail -1)
    log "$alg: $PAIRS paired rounds (one batch run, then one lc-parsed round at $tmax threads)"
    : >"$dir/paired.txt"
    for i in $(seq "$PAIRS"); do
        /usr/bin/time -f '%e' -o "$dir/pair-wall.txt" "${cmd[@]}" >/dev/null 2>&1
        rm -f "$dir/pair-raw.jsonl"
        "$PRIM" --tokens "$tokens" --key "${PUB[$alg]}" --alg "$alg" --threads "$tmax" \
            --rounds 1 --modes lc-parsed --json "$dir/pair-raw.jsonl" >/dev/null 2>&1
        echo "$(tail -1 "$dir/pair-wall.txt") $(jq -r .median "$dir/pair-raw.jsonl")" >>"$dir/paired.txt"
    done
}

measure_decode() { # measure_decode DIR
    local dir="$1"
    local a=("$BIN" token decode "$DATA/one.jwt") j=("$JWT" decode "$(cat "$DATA/one.jwt")")
    "${a[@]}" >"$dir/agentid-decode.txt" 2>&1 || die "agentid token decode failed: $(cat "$dir/agentid-decode.txt")"
    "${j[@]}" >"$dir/jwt-decode.txt" 2>&1 || die "jwt decode failed: $(cat "$dir/jwt-decode.txt")"
    log "decode: hyperfine --warmup $DECODE_WARMUP --runs $DECODE_RUNS (agentid token decode vs jwt decode)"
    hyperfine -N --style basic --warmup "$DECODE_WARMUP" --runs "$DECODE_RUNS" \
        --export-json "$dir/hyperfine.json" \
        --command-name "agentid token decode FILE" "$(printf '%q ' "${a[@]}")" \
        --command-name "jwt decode TOKEN" "$(printf '%q ' "${j[@]}")"
    # Where agentid's start-up goes: the same binary doing nothing useful.
    hyperfine -N --style basic --warmup "$DECODE_WARMUP" --runs "$DECODE_RUNS" \
        --export-json "$dir/hyperfine-floor.json" \
        --command-name "agentid --version" "$(printf '%q ' "$BIN" --version)" \
        --command-name "jwt --version" "$(printf '%q ' "$JWT" --version)"
}

for section in $SECTIONS; do
    dir="$DATA/$section"
    mkdir -p "$dir"
    local attempt=0 before after
    while true; do
        wait_quiet
        before=$(wc -l <"$DATA/interference.txt")
        if [ "$section" = decode ]; then
            measure_decode "$dir"
        else
            measure_alg "$section" "$dir"
        fi
        after=$(wc -l <"$DATA/interference.txt")
        echo "$((after - before))" >"$dir/interference-samples"
        sed -n "$((before + 1)),${after}p" "$DATA/interference.txt" >"$dir/interference.txt"
        if [ "$after" -eq "$before" ] || [ "$attempt" -ge "$RETRIES" ]; then
            break
        fi
        attempt=$((attempt + 1))
        log "$section: a compiler ran while timing; measuring again (retry $attempt of $RETRIES)"
    done
done

kill "$sampler" 2>/dev/null || true
local noisy="" s n
for s in $SECTIONS; do
    n=$(cat "$DATA/$s/interference-samples")
    [ "$n" -gt 0 ] && noisy="$noisy $s ($n samples)"
done
if [ -n "$noisy" ]; then
    echo "interference: cargo/rustc ran while timing the kept measurement of:$noisy; those figures are marked ⚠" >>"$DATA/machine.txt"
else
    echo "interference: none (no cargo/rustc seen while timing the kept measurements)" >>"$DATA/machine.txt"
fi

python3 "$HERE/summarize.py" "$RESULTS" "$DATA" --goal-pct "$GOAL_PCT" --decode-goal-ms "$DECODE_GOAL_MS" \
    --threads "$THREADS" --sections $SECTIONS
}

main "$@"
