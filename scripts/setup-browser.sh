#!/usr/bin/env bash
# Installs what the HTML report tests (tests/report_html.rs) drive: Debian's
# chromium (apt-get, when missing and we are root) and playwright-core in
# tests/browser (npm, pinned by package-lock.json; it uses the system
# chromium and downloads no browser of its own).
# Idempotent: apt-get only when chromium is missing, `npm ci` only when
# node_modules is missing or older than the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium=${AGENTID_TEST_CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $chromium ]]; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "scripts/setup-browser.sh: apt-get install chromium" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >&2 || {
            apt-get update -q >&2
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >&2
        }
    else
        echo "scripts/setup-browser.sh: chromium is required at $chromium for the HTML report tests (apt-get install chromium, or set AGENTID_TEST_CHROMIUM)" >&2
        exit 2
    fi
fi

for tool in node npm; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "scripts/setup-browser.sh: '$tool' is required (playwright-core drives chromium; apt-get install nodejs npm)" >&2
        exit 2
    }
done
cd tests/browser
stamp=node_modules/.package-lock.json # npm writes it on every install
if [[ -f $stamp && ! package-lock.json -nt $stamp ]]; then
    exit 0
fi
echo "scripts/setup-browser.sh: npm ci in tests/browser" >&2
npm ci --no-audit --no-fund --loglevel=error >&2
touch "$stamp"
