#!/usr/bin/env bash
# bench/inventory-aws: agentid's aws source against moto_server next to a
# sequential boto3 script making the same calls (sequential.py), on one
# estate built by setup.py. Prints both call counts and wall times.
#
# usage: bench/inventory-aws/run.sh [USERS] [ROLES]   (defaults 2000 500)
# Needs: scripts/setup-moto.sh (moto_server + boto3 in .venv-test) and a
# release build (cargo build --release). Run on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
users=${1:-2000}
roles=${2:-500}
py=.venv-test/bin/python
bin=${AGENTID_BIN:-target/release/agentid}
[[ -x $bin ]] || { echo "run: cargo build --release first (or set AGENTID_BIN)" >&2; exit 2; }
bin=$(realpath "$bin")
work=$(mktemp -d)
port=$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
.venv-test/bin/moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null; rm -rf "$work"' EXIT
url="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$url/moto-api/" >/dev/null && break; sleep 0.1; done

echo "setup: $($py bench/inventory-aws/setup.py "$url" "$users" "$roles")"
printf 'version: 1\nsources:\n  aws:\n    - name: bench\n      endpoint: %s\n' "$url" >"$work/agentid.yaml"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true

# Warm moto's caches once (both tools then read the same state).
$py bench/inventory-aws/sequential.py "$url" >/dev/null

start=$(date +%s.%N)
(cd "$work" && "$bin" inventory collect -o estate.json -v 2>"$work/agentid.log")
end=$(date +%s.%N)
calls=$(grep -o 'source done source=bench calls=[0-9]*' "$work/agentid.log" | grep -o '[0-9]*$')
agentid_wall=$(echo "$end - $start" | bc)
echo "agentid: calls=$calls wall_s=$agentid_wall identities=$(grep -c '"kind": "user"\|"kind": "role"' "$work/estate.json")"
echo "boto3 sequential: $($py bench/inventory-aws/sequential.py "$url")"
