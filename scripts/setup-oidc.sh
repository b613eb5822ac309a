#!/usr/bin/env bash
# Installs the local OIDC provider the integration tests start (tests/oidc: npm
# oidc-provider + jose, pinned by package-lock.json). Idempotent: runs `npm ci`
# only when node_modules is missing or older than the lockfile.
set -euo pipefail
cd "$(dirname "$0")/../tests/oidc"

for tool in node npm; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "scripts/setup-oidc.sh: '$tool' is required (Node.js runs the test OIDC provider; apt-get install nodejs npm)" >&2
        exit 2
    }
done

stamp=node_modules/.package-lock.json # npm writes it on every install
if [[ -f $stamp && ! package-lock.json -nt $stamp ]]; then
    exit 0
fi
echo "scripts/setup-oidc.sh: npm ci in tests/oidc" >&2
npm ci --no-audit --no-fund --loglevel=error >&2
touch "$stamp"
