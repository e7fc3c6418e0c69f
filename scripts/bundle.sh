#!/usr/bin/env bash
# Writes dist/cbr-<version>-<commit>.tar.gz: cbr's source at HEAD with every
# dependency vendored, for a server that cannot reach the crates registry.
# On the server: tar xzf …; cd cbr-…; cargo build --release --offline --frozen
# (INSTALL inside the bundle and docs/install.md say the rest).
set -euo pipefail
cd "$(dirname "$0")/.."
out_dir=$(realpath -m "${1:-dist}")

commit=$(git rev-parse --short=12 HEAD)
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
name="cbr-$version-$commit"
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
    echo "bundle.sh: the working tree has uncommitted changes; the bundle holds HEAD ($commit) without them" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git archive --format=tar --prefix="$name/" HEAD | tar -x -C "$work"
cd "$work/$name"

# Every crate in Cargo.lock, dev-dependencies included so `cargo test`
# also works offline; cargo prints the source replacement to use.
mkdir -p .cargo
cargo vendor --locked --versioned-dirs vendor > .cargo/config.toml
cat >> .cargo/config.toml <<'TOML'

[net]
offline = true
TOML
echo "$commit" > BUILD_COMMIT
sed -e "s/@NAME@/$name/g" -e "s/@VERSION@/$version/g" -e "s/@COMMIT@/$commit/g" \
    scripts/INSTALL.in > INSTALL
rm scripts/INSTALL.in

mkdir -p "$out_dir"
tar -czf "$out_dir/$name.tar.gz" -C "$work" "$name"
cd "$out_dir"
sha256sum "$name.tar.gz" > "$name.tar.gz.sha256"
echo "$out_dir/$name.tar.gz"
