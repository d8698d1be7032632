#!/usr/bin/env bash
# The publishing loop of a newsroom, for two midad binaries in one run: a build of the site,
# then one article published and the site built again a minute later, twice (the build time
# moves, as the real clock does, but stays on the same day).
#
#   bench/publish.sh OLD NEW                 # 10,000 articles, 5 rounds of each
#   ARTICLES=100000 RUNS=3 bench/publish.sh OLD NEW
#
# Each round of a binary: a cold build (no output, manifest or cache) at T; a new article dated
# T + 30 s, the newest of the site (bench/publish-one.sh), and a build at T + 60 s (the first
# publish: the output before it is not kept yet); another dated T + 90 s and a build at T + 120 s
# (publish: the loop as it runs all day, bringing the spare output up to date); then the
# articles are taken away again. The rounds of the two binaries alternate. Reported: medians of
# the cold, first-publish and publish builds (wall and CPU), the publish build's share of the
# cold one, and how many pages it kept unchanged. The last publish build of NEW is compared
# (`diff -r`) with a clean build of the same files at the same instant: an incremental build
# must equal it byte for byte.
#
# The corpora are the ones `bench/run.sh` generates ($BENCH_DIR/N, SEED 42); a missing one is
# generated. Everything is written under $BENCH_DIR (default /dev/shm/midad-bench).
set -euo pipefail

cd "$(dirname "$0")/.."
default_runs=5
# shellcheck source=bench/two-binaries.sh
source bench/two-binaries.sh

corpus "$n"

site=$work/publish-site
site_copy "$site"
times=$(mktemp)
trap 'rm -f "$times"; [ ! -d "$site" ] || bench/publish-one.sh "$site" --remove' EXIT

# `midad build` of $site into $2 at instant $3 by binary $1, timed under label $4.
build() {
    /usr/bin/time -a -o "$times" -f "$4 %e %U %S %M" env SOURCE_DATE_EPOCH="$3" \
        "$1" build --root "$site" --output "$2" >"$work/publish-last.txt"
}

log "$n articles: $runs rounds of each binary, alternating"
for _ in $(seq "$runs"); do
    for which in old new; do
        bin=$old
        [ "$which" = new ] && bin=$new
        out=$work/publish-out-$which
        rm -rf "$out" "$work/.publish-out-$which.midad-"*
        build "$bin" "$out" "$epoch" "$which-cold"
        DATE=$(date -u -d "@$((epoch + 30))" +%Y-%m-%dT%H:%M:%SZ) bench/publish-one.sh "$site"
        build "$bin" "$out" "$((epoch + 60))" "$which-first"
        later=$((epoch + 120))
        DATE=$(date -u -d "@$((epoch + 90))" +%Y-%m-%dT%H:%M:%SZ) bench/publish-one.sh "$site"
        build "$bin" "$out" "$later" "$which-publish"
        kept=$(sed -n 's/.*, \([0-9]*\) unchanged pages kept.*/\1/p' "$work/publish-last.txt")
        total=$(sed -n 's/^built \([0-9]*\) pages.*/\1/p' "$work/publish-last.txt")
        echo "$which-kept ${kept:-0} $total" >>"$times"
        if [ "$which" = new ]; then
            rm -rf "$work/publish-clean" "$work/.publish-clean.midad-"*
            env SOURCE_DATE_EPOCH="$later" "$new" build --root "$site" \
                --output "$work/publish-clean" >/dev/null
            if diff -rq "$out" "$work/publish-clean" >/dev/null; then
                same="equals a clean build"
            else
                same="DIFFERS from a clean build (diff -r $out $work/publish-clean)"
            fi
        fi
        bench/publish-one.sh "$site" --remove
        # At 100,000 articles an output is 4.4 GB: two of them and a clean build beside the
        # spare outputs do not fit in a 24 GB machine's tmpfs.
        rm -rf "$out" "$work/.publish-out-$which.midad-"* "$work/publish-clean" \
            "$work/.publish-clean.midad-"*
    done
done

awk -v n="$n" -v runs="$runs" "$median"'
    $1 ~ /-kept$/ { kept[$1] = $2; pages[$1] = $3; next }
    { k = ++count[$1]; wall[$1, k] = $2; cpu[$1, k] = $3 + $4; if ($5 > rss[$1]) rss[$1] = $5 }
    END {
        printf "%d articles, %d rounds of each binary, alternating (medians):\n", n, runs
        for (w = 1; w <= 2; w++) {
            which = w == 1 ? "old" : "new"
            for (s = 1; s <= 3; s++) {
                step = which (s == 1 ? "-cold" : s == 2 ? "-first" : "-publish")
                for (i = 1; i <= count[step]; i++) { a[i] = wall[step, i]; b[i] = cpu[step, i] }
                mw[step] = median(a, count[step]); mc[step] = median(b, count[step])
            }
            printf "  %s: cold %.2f s (CPU %.2f s), first publish %.2f s, publish one %.2f s (CPU %.2f s) = %.0f%% of cold; kept %d of %d pages; peak RSS cold %.0f MB, publish %.0f MB\n",
                which, mw[which "-cold"], mc[which "-cold"], mw[which "-first"], mw[which "-publish"],
                mc[which "-publish"], 100 * mw[which "-publish"] / mw[which "-cold"],
                kept[which "-kept"], pages[which "-kept"], rss[which "-cold"] / 1024,
                rss[which "-publish"] / 1024
        }
    }' "$times"
echo "  new, publish build: $same"
rm -rf "$work/publish-out-"* "$work/publish-clean" "$site"
