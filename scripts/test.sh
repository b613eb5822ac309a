#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need, then runs them.
#
# The tests need cargo, the system tools every machine here has (git, bash,
# util-linux `script`) and Node.js for the local OIDC provider. Each test server
# gets a `scripts/setup-<name>.sh` that installs into the repository
# (.venv-test/ for moto, tests/oidc/node_modules/ for the OIDC provider) and
# exports what the tests read (e.g. AGENTID_TEST_MOTO_URL), and is called from here.
# scripts/setup-browser.sh installs Debian's chromium and tests/browser's
# playwright-core for the HTML report tests (tests/report_html.rs).
set -euo pipefail
cd "$(dirname "$0")/.."

need() {
    command -v "$1" >/dev/null 2>&1 || { echo "scripts/test.sh: '$1' is required ($2)" >&2; exit 2; }
}
need cargo "the Rust toolchain"
need git "the version string names the commit"
need script "util-linux; colour tests run agentid under a pseudo-terminal"
need node "Node.js runs the test OIDC provider (tests/oidc)"
need npm "installs the test OIDC provider (tests/oidc)"

need python3 "moto_server, the local AWS for the inventory (IAM) and rotate-keys (S3, KMS) tests (scripts/setup-moto.sh)"

./scripts/setup-oidc.sh
./scripts/setup-moto.sh
./scripts/setup-browser.sh

# Snapshot tests never write new snapshots here: a missing or changed one fails.
export INSTA_UPDATE=no
cargo test --locked --all-targets "$@"
