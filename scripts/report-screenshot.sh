#!/usr/bin/env bash
# Regenerates docs/report.png, the README's picture of the HTML estate report:
# renders the bundled example (fixed --as-of, so the picture is reproducible)
# and photographs its first screen in headless chromium, through the same
# driver the tests use (tests/browser/report.mjs).
#
#   ./scripts/report-screenshot.sh            # writes docs/report.png
#   ./scripts/report-screenshot.sh OUT.png
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/report.png}

./scripts/setup-browser.sh
cargo build --quiet --locked
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Exit code 1 means findings at or above the registry's fail_on: the report
# is written all the same, and the picture shows that verdict.
code=0
./target/debug/agentid inventory --config examples/agentid.yaml \
    --as-of 2026-11-01T00:00:00Z --format html -o "$work/report.html" || code=$?
if [[ $code != 0 && $code != 1 ]]; then
    echo "scripts/report-screenshot.sh: agentid inventory exited $code" >&2
    exit "$code"
fi
node tests/browser/report.mjs "$work/report.html" "$work" >/dev/null
cp "$work/report.png" "$out"
echo "wrote $out"
