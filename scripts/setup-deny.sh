#!/usr/bin/env bash
# Installs cargo-deny (pinned) for .ci/run's supply-chain check, unless that
# version is already on PATH. From crates.io with its own Cargo.lock
# (--locked). From scratch this took 441 s of CPU (~4 min on an idle 2-core
# machine, 43 min wall on a shared one): cache ~/.cargo/bin in CI.
set -euo pipefail

version=0.20.2
if command -v cargo-deny >/dev/null 2>&1 && [[ $(cargo-deny --version) == "cargo-deny $version" ]]; then
    exit 0
fi
echo "scripts/setup-deny.sh: cargo install cargo-deny --version $version --locked" >&2
cargo install cargo-deny --version "$version" --locked >&2
