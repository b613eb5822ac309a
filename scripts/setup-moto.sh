#!/usr/bin/env bash
# Installs moto_server (PyPI moto[server], pinned), the local AWS the
# inventory (IAM) and rotate-keys (S3, KMS) tests start (see tests/common/moto.rs), into .venv-test/.
# Idempotent: installs only when .venv-test/bin/moto_server is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -x .venv-test/bin/moto_server ]]; then
    exit 0
fi
command -v python3 >/dev/null 2>&1 || {
    echo "scripts/setup-moto.sh: 'python3' is required (moto_server is the local AWS for the tests)" >&2
    exit 2
}
echo "scripts/setup-moto.sh: installing moto[server]==5.2.5 into .venv-test" >&2
python3 -m venv .venv-test
.venv-test/bin/pip install --quiet 'moto[server]==5.2.5' >&2
