#!/usr/bin/env bash
# Benchmark of `midad build` on generated Arabic news corpora; bench/RESULTS.md keeps the history.
#
#   bench/run.sh                 # 1,000, 10,000 and 100,000 articles
#   bench/run.sh 1000 10000      # the sizes given
#
# For each size N it generates the corpus once into $BENCH_DIR/N (kept between runs: it is
# regenerated only when N, the seed, the generator or the theme changed), then measures with
# hyperfine a cold full build (the output folder removed before each run) and a no-change
# rebuild (the output already there), the peak memory of one cold build with /usr/bin/time -v,
# and the files and bytes of the output. It prints a Markdown table for README.md, with the
# machine, the date and the commit, and keeps it in $BENCH_DIR/results.md; the time of each build
# step (`midad build -v`) of the measured cold build is in $BENCH_DIR/steps-N.txt.
#
# Settings (environment): SEED (42), BENCH_DIR (/dev/shm/midad-bench, a RAM disk so the disk
# does not blur the figures), RUNS (5; 3 from 100,000 articles), SOURCE_DATE_EPOCH (the build
# clock, fixed at the corpus end date so every run builds the same pages), MEM_LIMIT_GB (unset;
# caps the address space of each build with prlimit, so that a build that needs more memory fails
# alone instead of pushing a shared machine out of memory).
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then sizes=(1000 10000 100000); fi
seed=${SEED:-42}
work=${BENCH_DIR:-/dev/shm/midad-bench}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}
# The build clock: 2026-11-29T00:00:00+02:00, the end of the corpus' dates. It is set for midad
# only: build scripts of dependencies (psm, ring) rebuild when it changes.
epoch=${SOURCE_DATE_EPOCH:-1795903200}
unset SOURCE_DATE_EPOCH

log() { printf '\n== %s\n' "$*" >&2; }

install_missing() {
    local missing=()
    command -v hyperfine >/dev/null || missing+=(hyperfine)
    [ -x /usr/bin/time ] || missing+=(time)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        local sudo=
        [ "$(id -u)" -eq 0 ] || sudo=sudo
        $sudo apt-get update -qq
        $sudo apt-get install -y -qq "${missing[@]}" >&2
    fi
}

install_missing
log "building midad and gen_corpus (release)"
# Two invocations: building the example with the binary would unify the dev-dependencies'
# features into the binary's dependencies, and measure a different midad than `cargo build`.
cargo build --release --quiet --bin midad
cargo build --release --quiet --example gen_corpus
midad=$CARGO_TARGET_DIR/release/midad
gen=$CARGO_TARGET_DIR/release/examples/gen_corpus
mkdir -p "$work"

# What the corpus depends on besides N and the seed: the generator and the theme it copies.
inputs_hash=$(find examples/gen_corpus themes/akhbar -type f -print0 | sort -z | xargs -0 sha1sum \
    | sha1sum | cut -c1-12)

# The "median" of a hyperfine JSON export, in seconds.
median() { sed -n 's/^ *"median": *\([0-9.e+-]*\),*$/\1/p' "$1" | head -n1; }

rows=()
for n in "${sizes[@]}"; do
    site=$work/$n
    out=$work/out-$n
    stamp="articles=$n seed=$seed inputs=$inputs_hash"
    if [ "$(cat "$site/.bench-stamp" 2>/dev/null)" = "$stamp" ]; then
        log "$n articles: corpus already in $site"
    else
        log "$n articles: generating the corpus in $site"
        "$gen" --articles "$n" --seed "$seed" --out "$site" --force >&2
        echo "$stamp" >"$site/.bench-stamp"
    fi

    runs=${RUNS:-5}
    if [ -z "${RUNS:-}" ] && [ "$n" -ge 100000 ]; then runs=3; fi
    build="env SOURCE_DATE_EPOCH=$epoch $midad build --root $site --output $out"
    if [ -n "${MEM_LIMIT_GB:-}" ]; then
        build="prlimit --as=$((MEM_LIMIT_GB * 1024 * 1024 * 1024)) -- $build"
    fi

    # A cold build: no output, and none of what a build keeps beside it for the next (the
    # manifest of the output and the body cache, `.out-N.midad-*`).
    clean="rm -rf $out $work/.out-$n.midad-*"
    log "$n articles: cold build ($runs runs)"
    hyperfine --warmup 1 --runs "$runs" --prepare "$clean" \
        --export-json "$work/cold-$n.json" "$build" >&2

    log "$n articles: no-change rebuild ($runs runs)"
    hyperfine --warmup 1 --runs "$runs" --export-json "$work/warm-$n.json" "$build" >&2

    log "$n articles: peak memory of a cold build"
    $clean
    /usr/bin/time -v -o "$work/time-$n.txt" $build -v >"$work/steps-$n.txt" 2>&1
    rss_kb=$(sed -n 's/^.*Maximum resident set size (kbytes): *//p' "$work/time-$n.txt")
    n_files=$(find "$out" -type f | wc -l)
    n_bytes=$(du -sb "$out" | cut -f1)

    cold=$(median "$work/cold-$n.json")
    warm=$(median "$work/warm-$n.json")
    rows+=("$(awk -v n="$n" -v cold="$cold" -v warm="$warm" -v rss="$rss_kb" \
        -v files="$n_files" -v bytes="$n_bytes" 'BEGIN {
            printf "| %d | %.2f | %.3f | %.2f | %.0f | %d | %.0f |", n, cold, cold * 1000 / n,
                warm, rss * 1024 / 1e6, files, bytes / 1e6 }')")
done

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git diff --quiet HEAD -- src themes examples Cargo.toml Cargo.lock 2>/dev/null; then
    commit="$commit (with uncommitted changes)"
fi
load=$(cut -d' ' -f1-3 /proc/loadavg)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
{
    echo "Machine: $(nproc) cores, $cpu, $(awk '/MemTotal/ { printf "%.0f GB RAM", $2 / 1048576 }' /proc/meminfo), output on $(df --output=fstype "$work" | tail -n1), load average at the end $load"
    echo "Date: $(date -u +%Y-%m-%d), commit $commit, seed $seed"
    echo "Command: \`bench/run.sh ${sizes[*]}\`"
    echo
    echo "| articles | cold build median (s) | per article (ms) | no-change rebuild (s) | peak RSS (MB) | output files | output MB |"
    echo "|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
} | tee "$work/results.md"

for n in "${sizes[@]}"; do
    log "$n articles: time per step of the measured cold build (midad build -v)"
    cat "$work/steps-$n.txt" >&2
done
