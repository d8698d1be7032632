#!/usr/bin/env bash
# The steps of a publish build, for two midad binaries in one run: where `bench/publish.sh`
# reports the wall time of the whole loop, this reports the median time of each step of
# `midad build -v` (and the build's wall, user and system time), to judge a change to one step.
#
#   bench/publish-steps.sh OLD NEW             # 100,000 articles, 8 rounds
#   ARTICLES=10000 RUNS=5 bench/publish-steps.sh OLD NEW
#
# Each binary builds into an output of its own, cold first, then once more after one article
# is published (which brings its spare output up to date). Then each round publishes one
# article, dated a minute after the last one (bench/publish-one.sh), and both binaries build,
# the one that goes first alternating. The corpora are bench/run.sh's; everything is written
# under $BENCH_DIR (default /dev/shm/midad-bench): two outputs of 4.4 GB at 100,000 articles.
set -euo pipefail

cd "$(dirname "$0")/.."
default_runs=8
ARTICLES=${ARTICLES:-100000}
# shellcheck source=bench/two-binaries.sh
source bench/two-binaries.sh

corpus "$n"
site=$work/steps-site
site_copy "$site"
results=$(mktemp)
trap 'rm -f "$results"; rm -rf "$site" "$work"/steps-out-* "$work"/.steps-out-*' EXIT

published=0
publish() {
    published=$((published + 1))
    DATE=$(date -u -d "@$((epoch + 60 * published - 30))" +%Y-%m-%dT%H:%M:%SZ) \
        bench/publish-one.sh "$site"
}

# `midad build -v` of the site by binary $1 into output $2 at the minute of the last article;
# prints `label step ms` lines under label $3.
build() {
    SOURCE_DATE_EPOCH=$((epoch + 60 * published)) /usr/bin/time -f "wall %e %U %S" \
        "$1" build -v --root "$site" --output "$2" 2>&1 | awk -v label="$3" '
        $2 ~ /^[0-9.]+$/ && $3 == "ms" { n = ++times[$1]; print label, (n > 1 ? $1 "-" n : $1), $2 }
        $1 == "wall" { print label, "wall", $2 * 1000; print label, "user", $3 * 1000
                       print label, "system", $4 * 1000 }'
}

log "$n articles: cold and first publish builds of each binary"
build "$old" "$work/steps-out-old" cold >/dev/null
build "$new" "$work/steps-out-new" cold >/dev/null
publish
build "$old" "$work/steps-out-old" warm >/dev/null
build "$new" "$work/steps-out-new" warm >/dev/null
log "$runs rounds: one article published, both binaries build"
for round in $(seq "$runs"); do
    publish
    if [ $((round % 2)) = 1 ]; then
        build "$old" "$work/steps-out-old" old >>"$results"
        build "$new" "$work/steps-out-new" new >>"$results"
    else
        build "$new" "$work/steps-out-new" new >>"$results"
        build "$old" "$work/steps-out-old" old >>"$results"
    fi
done

awk -v runs="$runs" "$median"'
    { key = $2; if (!(key in seen)) { seen[key] = 1; order[++steps] = key }
      k = ++count[$1 " " key]; value[$1 " " key, k] = $3 }
    END {
        printf "%-10s %10s %10s   (ms, medians of %d publish builds)\n", "step", "OLD", "NEW", runs
        for (s = 1; s <= steps; s++) {
            key = order[s]
            for (which = 1; which <= 2; which++) {
                label = which == 1 ? "old" : "new"
                k = count[label " " key]
                for (i = 1; i <= k; i++) list[i] = value[label " " key, i]
                m[which] = median(list, k)
            }
            printf "%-10s %10.0f %10.0f\n", key, m[1], m[2]
        }
    }' "$results"
