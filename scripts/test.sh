#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need, then runs them.
#
# Today the tests need only cargo and the system tools every machine here has
# (git, bash, util-linux `script`). Later issues slot their servers in below:
# each one gets a `scripts/setup-<name>.sh` that installs into the repository
# (.venv-test/ for moto, node_modules/ for the OIDC provider) and exports what
# the tests read (e.g. AGENTID_TEST_MOTO_URL), and is called from here.
set -euo pipefail
cd "$(dirname "$0")/.."

need() {
    command -v "$1" >/dev/null 2>&1 || { echo "scripts/test.sh: '$1' is required ($2)" >&2; exit 2; }
}
need cargo "the Rust toolchain"
need git "the version string names the commit"
need script "util-linux; colour tests run agentid under a pseudo-terminal"

# Snapshot tests never write new snapshots here: a missing or changed one fails.
export INSTA_UPDATE=no
cargo test --locked --all-targets "$@"
