#!/usr/bin/env bash
# Proves the offline bundle builds with no network: makes it, unpacks it in
# a temporary folder, and builds it with an empty CARGO_HOME (no registry
# cache to fall back on) and cargo told it is offline. Prints the time taken.
# Slow (a full release build), so it is not part of `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bundle=$(scripts/bundle.sh "$work/dist" | tail -n 1)
tar -xzf "$bundle" -C "$work"
dir="$work/$(basename "$bundle" .tar.gz)"

export CARGO_HOME="$work/empty-cargo-home" CARGO_NET_OFFLINE=true
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
mkdir -p "$CARGO_HOME"
(cd "$dir" && cargo build --release --offline --frozen)
version=$("$dir/target/release/cbr" --version)
echo "built: $version"
case "$version" in
    *"($(git rev-parse --short=12 HEAD))"*) ;;
    *) echo "check-bundle.sh: --version does not name the bundled commit" >&2; exit 1 ;;
esac
echo "bundle: $(du -h "$bundle" | cut -f1), whole check: $(( $(date +%s) - start )) s"
