#!/usr/bin/env bash
# bench/inventory-aws: agentid's aws source against moto_server next to a
# sequential boto3 script making the same calls (sequential.py), on one
# estate built by setup.py, in the same run; writes RESULTS.md.
#
# usage: bench/inventory-aws/run.sh [USERS] [ROLES]   (defaults 2000 500)
# Environment knobs (defaults in brackets):
#   ROUNDS       timed rounds of each tool per RTT, alternating   [3]
#   RTTS         round-trip times in ms to put between the tools and moto
#                with latency_proxy.py; 0 = straight to moto      ["0 20"]
#   AGENTID_BIN  binary to time                                   [target/release/agentid]
#   RESULTS      results file                                     [bench/inventory-aws/RESULTS.md]
#   NOTE         a line about the machine state, copied into RESULTS.md
# Needs: scripts/setup-moto.sh (moto_server + boto3 in .venv-test) and a
# release build (cargo build --release). Run on a quiet machine.
set -euo pipefail

# Everything runs inside main(), which bash parses whole before running, so
# editing this file while a benchmark runs cannot derail that run.
main() {
cd "$(dirname "$0")/../.."
local users=${1:-2000} roles=${2:-500}
local rounds=${ROUNDS:-3} rtts=${RTTS:-0 20}
local results=${RESULTS:-bench/inventory-aws/RESULTS.md}
local py=.venv-test/bin/python
local bin=${AGENTID_BIN:-target/release/agentid}
[[ -x $bin ]] || { echo "run: cargo build --release first (or set AGENTID_BIN)" >&2; exit 2; }
bin=$(realpath "$bin")
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT
# moto's CPU time so far (user + system, in clock ticks): while agentid runs,
# how much of the wall time moto itself was busy.
moto_cpu() { awk '{print $14 + $15}' "/proc/${pids[0]}/stat"; }
free_port() { $py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
local port
port=$(free_port)
.venv-test/bin/moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/moto-api/" >/dev/null && break; sleep 0.1; done

# Assigned on its own line so that a failing setup.py stops the run (set -e).
local made
made=$($py bench/inventory-aws/setup.py "http://127.0.0.1:$port" "$users" "$roles")
echo "setup: $made" >&2
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true

# One endpoint per RTT: moto itself for 0, else a latency proxy in front of it.
local rtt url
for rtt in $rtts; do
    if [ "$rtt" = 0 ]; then
        url="http://127.0.0.1:$port"
    else
        local pport
        pport=$(free_port)
        $py bench/inventory-aws/latency_proxy.py "$pport" "$port" "$rtt" >"$work/proxy-$rtt.log" 2>&1 &
        pids+=($!)
        for _ in $(seq 100); do grep -q ready "$work/proxy-$rtt.log" && break; sleep 0.1; done
        url="http://127.0.0.1:$pport"
    fi
    echo "$url" >"$work/url-$rtt"
    mkdir -p "$work/rtt-$rtt"
    printf 'version: 1\nsources:\n  aws:\n    - name: bench\n      endpoint: %s\n' "$url" >"$work/rtt-$rtt/agentid.yaml"
    : >"$work/rtt-$rtt/agentid.tsv"
    : >"$work/rtt-$rtt/boto3.jsonl"
done

# One untimed run of each warms moto (its credential report, caches).
url=$(cat "$work/url-0" 2>/dev/null || cat "$work/url-${rtts%% *}")
$py bench/inventory-aws/sequential.py "$url" >/dev/null
(cd "$work/rtt-${rtts%% *}" && "$bin" inventory collect -o estate.json 2>/dev/null)

for r in $(seq "$rounds"); do
    for rtt in $rtts; do
        local dir="$work/rtt-$rtt" start end calls
        url=$(cat "$work/url-$rtt")
        local moto_before moto_after
        moto_before=$(moto_cpu)
        start=$(date +%s.%N)
        (cd "$dir" && "$bin" inventory collect -o estate.json -v 2>"$dir/agentid.log")
        end=$(date +%s.%N)
        moto_after=$(moto_cpu)
        calls=$(grep -o 'source done source=bench calls=[0-9]*' "$dir/agentid.log" | grep -o '[0-9]*$')
        printf '%s\t%s\t%s\n' "$calls" "$(echo "$end - $start" | bc)" \
            "$(echo "scale=2; ($moto_after - $moto_before) / $(getconf CLK_TCK)" | bc)" >>"$dir/agentid.tsv"
        $py bench/inventory-aws/sequential.py "$url" >>"$dir/boto3.jsonl"
        echo "round $r, rtt ${rtt} ms: agentid $(tail -1 "$dir/agentid.tsv" | tr '\t' ' ') · boto3 $(tail -1 "$dir/boto3.jsonl")" >&2
        # The snapshot must hold what setup.py made: every user and role, two keys per user.
        local counts
        counts=$($py -c 'import json,sys; e=json.load(open(sys.argv[1])); print(len(e["identities"]), len(e["credentials"]))' "$dir/estate.json")
        if [ "$counts" != "$((users + roles)) $((2 * users))" ]; then
            echo "run: agentid's snapshot has (identities credentials) $counts, expected $((users + roles)) $((2 * users))" >&2
            exit 1
        fi
    done
done

$py bench/inventory-aws/report.py "$work" "$users" "$roles" "$bin" "$rtts" "${NOTE:-}" >"$results"
cat "$results"
}

main "$@"
