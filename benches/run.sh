#!/usr/bin/env bash
# Runs every benchmark of docs/performance.md with one command:
#
#   benches/run.sh                  # all of them, on the large study (1×)
#   benches/run.sh --regenerate     # first rebuild the generated study
#   benches/run.sh --scale 4        # all of them on 4× the large study
#   benches/run.sh --scaling        # whole-process figures at 1×, 2× and 4×,
#                                   # and the scaling table (time, memory)
#
# The study of scale N is generated once with `cbr generate --scale N` into
# target/bench-study (N = 1) or target/bench-study-Nx, or $CBR_BENCH_STUDY
# (a single scale only); results go to target/bench-results (N = 1) or
# target/bench-results-Nx, the scaling table to target/bench-results-scaling.
set -euo pipefail
cd "$(dirname "$0")/.."

regenerate=no
scale=1
scaling=no
while [ $# -gt 0 ]; do
    case "$1" in
        --regenerate) regenerate=yes ;;
        --scale) scale="${2:?--scale needs a number}"; shift ;;
        --scale=*) scale="${1#--scale=}" ;;
        --scaling) scaling=yes ;;
        *) echo "usage: benches/run.sh [--regenerate] [--scale N | --scaling]" >&2; exit 2 ;;
    esac
    shift
done
case "$scale" in
    '' | *[!0-9]* | 0) echo "--scale takes a whole number from 1" >&2; exit 2 ;;
esac

suffix() { if [ "$1" = 1 ]; then echo ""; else echo "-${1}x"; fi; }

# Generates the study of scale $1 into $2 unless it is there; the time and
# peak memory of the generation are kept beside the results ($3).
ensure_study() {
    local n="$1" dir="$2" results="$3"
    if [ "$regenerate" = yes ]; then
        rm -rf "$dir"
    fi
    if [ ! -f "$dir/study.toml" ]; then
        echo "== generating ${n}× the large study in $dir"
        rm -rf "$dir"
        if [ -x /usr/bin/time ]; then
            /usr/bin/time -f "generated in %e s (user %U s), peak %M KiB" \
                target/release/cbr generate "$dir" --scale "$n" 2>&1 | tee "$results/generate.txt"
        else
            target/release/cbr generate "$dir" --scale "$n" 2>&1 | tee "$results/generate.txt"
        fi
    fi
}

machine() {
    {
        echo "cores: $(nproc)"
        grep -m1 'model name' /proc/cpuinfo | sed 's/.*: /cpu: /'
        grep -m1 'cpu MHz' /proc/cpuinfo | sed 's/.*: /MHz: /'
        free -h | awk '/^Mem:/ {print "memory: " $2}'
        echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
        rustc --version
    } | tee "$1/machine.txt"
}

cargo build --release --locked

if [ "$scaling" = yes ]; then
    if ! command -v python3 >/dev/null; then
        echo "python3 not found: the scaling table needs benches/process.py" >&2
        exit 1
    fi
    table=target/bench-results-scaling
    mkdir -p "$table"
    machine "$table"
    figures=()
    for n in 1 2 4; do
        out="target/bench-results$(suffix "$n")"
        study="target/bench-study$(suffix "$n")"
        mkdir -p "$out"
        ensure_study "$n" "$study" "$out"
        echo "== whole process at ${n}×"
        python3 benches/process.py --cbr target/release/cbr --study "$study" --sessions 1 \
            --json "$out/process.json" | tee "$out/process.md"
        figures+=("${n}=$out")
    done
    echo "== scaling table"
    python3 benches/process.py --scaling "${figures[@]}" | tee "$table/scaling.md"
    echo "== results in $table"
    exit 0
fi

out="target/bench-results$(suffix "$scale")"
if [ -n "${CBR_BENCH_STUDY:-}" ]; then
    study="$CBR_BENCH_STUDY"
else
    study="target/bench-study$(suffix "$scale")"
fi
mkdir -p "$out"
ensure_study "$scale" "$study" "$out"
export CBR_BENCH_STUDY="$(cd "$study" && pwd)"
export CBR_BENCH_SCALE="$scale"
machine "$out"

echo "== in-process benchmarks (divan; medians)"
cargo bench --locked --bench study --bench commands --bench tui | tee "$out/divan.txt"

echo "== bytes written to the terminal per keystroke"
cargo bench --locked --bench terminal_bytes | tee "$out/terminal-bytes.md"

echo "== whole process: the real binary, and the TUI in a pseudo-terminal"
if command -v python3 >/dev/null; then
    python3 benches/process.py --cbr target/release/cbr --study "$study" \
        --json "$out/process.json" | tee "$out/process.md"
else
    echo "python3 not found: skipping the whole-process figures (benches/process.py)"
fi

echo "== agreement beside the reference implementation (PyPI krippendorff)"
if [ "$scale" != 1 ]; then
    echo "only at 1× (the reference package needs the whole study's data in memory)"
elif command -v python3 >/dev/null; then
    demo="$out/demo-study"
    rm -rf "$demo"
    CBR_CODER=bench target/release/cbr demo "$demo" --no-tui >/dev/null
    { python3 benches/reference_agreement.py --cbr target/release/cbr --study "$demo"
      echo
      python3 benches/reference_agreement.py --cbr target/release/cbr --study "$study" \
          --codes 3 --pooled-transcripts 10
    } | tee "$out/reference-agreement.md"
else
    echo "python3 not found: skipping the reference comparison (benches/reference_agreement.py)"
fi
echo "== results in $out"
