# Sourced by scripts/fuzz.sh and scripts/fuzz-campaign.sh: checks for the
# nightly toolchain, installs cargo-fuzz when absent, fills `targets` from
# the arguments (default: every cargo-fuzz target) and seeds the corpora.
# shellcheck shell=bash
fuzz_prepare() { # fuzz_prepare SCRIPT-NAME [TARGET...]
    local name=$1
    shift
    rustup run nightly rustc --version >/dev/null 2>&1 || {
        echo "$name: the nightly toolchain is required (rustup toolchain install nightly)" >&2
        exit 2
    }
    if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
        echo "== cargo install cargo-fuzz"
        cargo +nightly install cargo-fuzz --locked
    fi
    targets=("$@")
    if [ ${#targets[@]} -eq 0 ]; then
        mapfile -t targets < <(cargo +nightly fuzz list)
    fi
    fuzz/seed.sh
}
