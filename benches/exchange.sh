#!/usr/bin/env bash
# The REFI-QDA round trip docs/exchange.md quotes: a generated study of 100
# transcripts exported as a .qdpx, then imported into an empty study; wall
# time and peak memory (GNU time) of each, three runs, release build.
#
#   benches/exchange.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked
cbr="$PWD/target/release/cbr"
work="$PWD/target/bench-exchange"
rm -rf "$work"
mkdir -p "$work"
"$cbr" generate "$work/study" --transcripts 100 --lines 1000 --codes 300 --coders 4 --per-coder 50 \
    --history 500 >/dev/null 2>&1
export CBR_CODER=bench
for run in 1 2 3; do
    rm -f "$work/study.qdpx"
    /usr/bin/time -f "export qdpx, run $run: %e s, peak %M KiB" \
        "$cbr" -C "$work/study" export qdpx --unblind -o "$work/study.qdpx" >/dev/null
done
ls -l "$work/study.qdpx" | awk '{print "qdpx size: " $5 " bytes"}'
for run in 1 2 3; do
    rm -rf "$work/empty"
    "$cbr" init "$work/empty" --title "Import" >/dev/null
    /usr/bin/time -f "import qdpx, run $run: %e s, peak %M KiB" \
        "$cbr" -C "$work/empty" import "$work/study.qdpx" >/dev/null
done
