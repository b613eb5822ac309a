#!/usr/bin/env bash
# Seeds the fuzz corpora (fuzz/corpus/<target>/) from the test fixtures,
# the examples, the built-in rules catalogue, the malformed inputs under
# tests/fixtures/malformed and every past crasher under
# tests/fixtures/fuzz-crashers. The corpora are not committed (fuzz/.gitignore):
# run this before fuzzing; it is idempotent and only adds files.
#   fuzz/seed.sh            # all targets
set -euo pipefail
cd "$(dirname "$0")/.."
F=tests/fixtures
C=fuzz/corpus

seed() { # seed TARGET FILE...
    local target=$1
    shift
    mkdir -p "$C/$target"
    for f in "$@"; do
        [ -f "$f" ] || continue
        # Named by content, so reseeding never duplicates a file.
        cp "$f" "$C/$target/seed-$(sha1sum <"$f" | cut -c1-16)"
    done
}
malformed() { find "$F/malformed/$1" -type f 2>/dev/null || true; }
crashers() { find "$F/fuzz-crashers/$1" -type f 2>/dev/null || true; }

# shellcheck disable=SC2046 # word splitting of file lists is intended: no spaces in fixture names
{
    seed token_decode $F/tokens/*.jwt $F/verify/*.jwt $(malformed token) $(crashers token_decode)
    seed token_verify $F/tokens/*.jwt $F/verify/*.jwt $(malformed token) $(crashers token_verify)
    seed jwks_parse $F/keys/*.json $F/keys/*.pem $F/keys/*.crt $F/tokens/jwks.json $F/tokens/*.pem \
        $F/verify/*.pem $F/verify/*.crt $(malformed jwks) $(crashers jwks_parse)
    seed oidc_discovery $(malformed discovery) $(crashers oidc_discovery)
    seed registry_load examples/agentid.yaml $(malformed registry) $(crashers registry_load)
    seed snapshot_load examples/estate.json $(malformed snapshot) $(crashers snapshot_load)
    seed rules_load src/scan/catalogue.yaml $(malformed rules) $(crashers rules_load)
    seed scan_engine src/scan/catalogue.yaml examples/agentid.yaml examples/estate.json \
        $F/tokens/*.jwt $F/keys/*.pem $F/keys/*.json $(malformed scan) $(crashers scan_engine)
}

# Each built-in rule's examples, one file each: the scan engine's best seeds.
if command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null; then
    python3 - "$C/scan_engine" <<'PY'
import hashlib, os, sys, yaml
out = sys.argv[1]
with open("src/scan/catalogue.yaml") as f:
    cat = yaml.safe_load(f)
for rule in cat.get("rules", []):
    ex = rule.get("examples") or {}
    for text in (ex.get("positive") or []) + (ex.get("negative") or []):
        data = text.encode()
        name = "example-" + hashlib.sha1(data).hexdigest()[:16]
        with open(os.path.join(out, name), "wb") as g:
            g.write(data)
PY
fi

for d in "$C"/*/; do
    printf '%-16s %4d seeds\n' "$(basename "$d")" "$(find "$d" -type f | wc -l)"
done
