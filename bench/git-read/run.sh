#!/usr/bin/env bash
# gix vs git cat-file on one or more histories: best-of-N wall time and
# CPU (user+sys, child processes included), runs interleaved so that load
# from other work on the machine hits both readers alike.
#
#   bash bench/git-read/run.sh [N] REPO...
#   N defaults to 8; REPO is a work tree or a bare repository.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=8
if [[ ${1:-} =~ ^[0-9]+$ ]]; then n=$1; shift; fi
[[ $# -gt 0 ]] || { echo "usage: $0 [N] REPO..." >&2; exit 2; }
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/git-read-target}
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin=$CARGO_TARGET_DIR/release/git-read-bench
threads=${THREADS:-2}
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
echo "git $(git --version | cut -d' ' -f3), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $threads reader threads, best of $n"
for repo in "$@"; do
  echo "== $repo"
  "$bin" gix "$repo" "$threads"
  "$bin" catfile "$repo" "$threads"
  declare -A wall=() cpu=()
  for ((i = 0; i < n; i++)); do
    for how in gix catfile; do
      /usr/bin/time -o "$tmp" -f '%e %U %S' "$bin" $how "$repo" "$threads" >/dev/null 2>&1
      read -r w u s <"$tmp"
      wall[$how]+="$w "
      cpu[$how]+="$(echo "$u + $s" | bc) "
    done
  done
  for how in gix catfile; do
    bw=$(tr ' ' '\n' <<<"${wall[$how]}" | grep . | sort -g | head -1)
    bc_=$(tr ' ' '\n' <<<"${cpu[$how]}" | grep . | sort -g | head -1)
    mc=$(tr ' ' '\n' <<<"${cpu[$how]}" | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf '%-8s wall best %6.2f s   cpu best %6.2f s  median %6.2f s\n' "$how" "$bw" "$bc_" "$mc"
  done
  unset wall cpu
done
