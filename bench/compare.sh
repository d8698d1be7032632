#!/usr/bin/env bash
# Compares two midad binaries on the same benchmark corpus, in one run.
#
#   bench/compare.sh OLD NEW            # 10,000 articles, 8 cold builds of each
#   ARTICLES=1000 RUNS=12 bench/compare.sh OLD NEW
#   INSTRUCTIONS=1 bench/compare.sh OLD NEW   # also count instructions with callgrind
#
# OLD and NEW are paths to binaries (build a commit with `git worktree` and `cargo build
# --release` to get one). This machine's speed moves over a day (bench/RESULTS.md), so timings of
# different hours can't be compared: here the two binaries' cold builds alternate (OLD, NEW,
# OLD, NEW, ...), and each gets the median of its wall time and of its CPU time (user + system).
# With INSTRUCTIONS=1, each binary also makes one cold build of the 1,000-article corpus under
# callgrind (installed from Debian if missing): instruction counts, which the machine's load
# does not move. The outputs of both binaries are compared (`diff -r`): a speed change must not
# change a byte.
#
# The corpora are the ones `bench/run.sh` generates ($BENCH_DIR/N); this script generates a
# missing one the same way (SEED 42).
set -euo pipefail

cd "$(dirname "$0")/.."
default_runs=8
# shellcheck source=bench/two-binaries.sh
source bench/two-binaries.sh
out=$work/compare-out

corpus "$n"
times=$(mktemp)
trap 'rm -f "$times"' EXIT
log "$n articles: $runs cold builds of each binary, alternating"
for _ in $(seq "$runs"); do
    for which in old new; do
        bin=$old
        [ "$which" = new ] && bin=$new
        rm -rf "$out-$which" "$work/.compare-out-$which.midad-"*
        /usr/bin/time -a -o "$times" -f "$which %e %U %S %M" env SOURCE_DATE_EPOCH="$epoch" \
            "$bin" build --root "$work/$n" --output "$out-$which" >/dev/null
    done
done
if diff -rq "$out-old" "$out-new" >/dev/null; then
    same="byte-identical"
else
    same="DIFFERENT (diff -r $out-old $out-new)"
fi

awk -v n="$n" -v runs="$runs" "$median"'
    { k = ++count[$1]; wall[$1, k] = $2; cpu[$1, k] = $3 + $4; if ($5 > rss[$1]) rss[$1] = $5 }
    END {
        for (w = 1; w <= 2; w++) {
            which = w == 1 ? "old" : "new"
            for (i = 1; i <= count[which]; i++) { a[i] = wall[which, i]; b[i] = cpu[which, i] }
            mw[which] = median(a, count[which]); mc[which] = median(b, count[which])
        }
        printf "%d articles, %d cold builds each, alternating (medians):\n", n, runs
        printf "  old: wall %.3f s, CPU %.2f s, peak RSS %.0f MB\n", mw["old"], mc["old"], rss["old"] / 1024
        printf "  new: wall %.3f s, CPU %.2f s, peak RSS %.0f MB\n", mw["new"], mc["new"], rss["new"] / 1024
        printf "  new/old: wall %.3f, CPU %.3f\n", mw["new"] / mw["old"], mc["new"] / mc["old"]
    }' "$times"
echo "  output: $same"

if [ -n "${INSTRUCTIONS:-}" ]; then
    command -v valgrind >/dev/null || { log "installing valgrind"; apt-get install -y -qq valgrind >&2; }
    corpus 1000
    for which in old new; do
        bin=$old
        [ "$which" = new ] && bin=$new
        rm -rf "$out-cg-$which" "$work/.compare-out-cg-$which.midad-"*
        count=$(env SOURCE_DATE_EPOCH="$epoch" valgrind --tool=callgrind \
            --callgrind-out-file=/dev/null "$bin" build --root "$work/1000" \
            --output "$out-cg-$which" 2>&1 >/dev/null | sed -n 's/.*I *refs: *//p')
        echo "  instructions, cold build of 1,000 articles, $which: $count"
    done
fi
rm -rf "$out"-*
