#!/usr/bin/env bash
# Cold builds of the benchmark corpus by Hugo and by midad, in one run, alternating.
#
#   bench/hugo.sh HUGO MIDAD                  # 10,000 articles, 5 rounds of each
#   ARTICLES=100000 RUNS=3 bench/hugo.sh "$(command -v hugo)" target/release/midad
#   RELATED=1 bench/hugo.sh HUGO MIDAD        # Hugo's articles list related articles too
#
# Hugo builds the corpus's own content/ and static/ (nothing copied) with the theme in
# bench/hugo/: the pages midad's theme makes that Hugo makes too. Home (the 20 newest), section
# pages and tag and author pages paginated by 20, the index of each taxonomy, every article with
# its section, byline, date, reading time, lead image and tags, an RSS feed for the site, each
# section and each term, the sitemap, and Hugo's syntax highlighting of code blocks (on by
# default). With RELATED=1, each article also lists four related articles
# (`.Site.RegularPages.Related` on tags and date), which midad's always do; it is off by default
# because it takes most of Hugo's time. midad makes more (related articles, Atom feeds beside
# RSS, archives by year and month, JSON-LD, the news sitemap, the search index, Arabic dates and
# digits): its share is not made smaller for it.
#
# Each round: a cold build by each (no output; for Hugo no resources/ and no cache, for midad no
# manifest or build cache), timed with /usr/bin/time. Reported: medians of wall and CPU time,
# peak memory, midad's ratio to Hugo, and each output's files and size. Hugo from Debian:
# `apt-get install -y hugo` (0.111). Everything is written under $BENCH_DIR.
set -euo pipefail

cd "$(dirname "$0")/.."
default_runs=5
# shellcheck source=bench/two-binaries.sh
source bench/two-binaries.sh
hugo=$old
midad=$new

corpus "$n"
src=$work/$n
site=$work/hugo-site-$n
rm -rf "$site"
mkdir -p "$site"
cp -r bench/hugo/layouts "$site/layouts"
sections=$(find "$src/content" -mindepth 1 -maxdepth 1 -type d -printf '"%f", ' | sed 's/, $//')
title=$(sed -n 's/^title = //p' "$src/config.toml")
cat >"$site/config.toml" <<EOF
baseURL = "https://bench.midad.example/"
languageCode = "ar"
defaultContentLanguage = "ar"
title = $title
contentDir = "$src/content"
staticDir = "$src/static"
paginate = 20
summaryLength = 40
timeZone = "Africa/Cairo"
enableRobotsTXT = true

[params]
related = ${RELATED:-0}
mainSections = [$sections]
description = "موقع إخباري مولد آليًا لقياس الأداء"

[taxonomies]
tag = "tags"
author = "author"

[related]
threshold = 80
includeNewer = true
toLower = false
[[related.indices]]
name = "tags"
weight = 100
[[related.indices]]
name = "date"
weight = 10
EOF

times=$(mktemp)
trap 'rm -f "$times"' EXIT
timed() {
    local label=$1
    shift
    /usr/bin/time -a -o "$times" -f "$label %e %U %S %M" "$@" >/dev/null
}

log "$n articles: $runs rounds of each, alternating; Hugo $("$hugo" version | cut -d' ' -f2), RELATED=${RELATED:-0}"
for _ in $(seq "$runs"); do
    rm -rf "$site/public" "$site/resources" "$work/hugo-cache"
    timed hugo "$hugo" --source "$site" --destination "$site/public" --cacheDir "$work/hugo-cache" --quiet
    rm -rf "$work/hugo-midad-out" "$work/.hugo-midad-out.midad-"*
    timed midad env SOURCE_DATE_EPOCH="$epoch" "$midad" build --root "$src" --output "$work/hugo-midad-out"
done

size() { printf '%s files, %s MB' "$(find "$1" -type f | wc -l)" "$(du -sm "$1" | cut -f1)"; }
awk -v n="$n" -v runs="$runs" "$median"'
    { k = ++count[$1]; wall[$1, k] = $2; cpu[$1, k] = $3 + $4; if ($5 > rss[$1]) rss[$1] = $5 }
    END {
        printf "%d articles, %d cold builds of each, alternating (medians):\n", n, runs
        for (w = 1; w <= 2; w++) {
            which = w == 1 ? "hugo" : "midad"
            for (i = 1; i <= count[which]; i++) { a[i] = wall[which, i]; b[i] = cpu[which, i] }
            mw[which] = median(a, count[which]); mc[which] = median(b, count[which])
            printf "  %-5s wall %.2f s, CPU %.2f s, peak RSS %.0f MB\n", which, mw[which], mc[which], rss[which] / 1024
        }
        printf "  midad / Hugo: wall %.2f, CPU %.2f, peak RSS %.2f\n", mw["midad"] / mw["hugo"], mc["midad"] / mc["hugo"], rss["midad"] / rss["hugo"]
    }' "$times"
echo "  outputs: Hugo $(size "$site/public"); midad $(size "$work/hugo-midad-out")"
rm -rf "$site/public" "$site/resources" "$work/hugo-cache" "$work/hugo-midad-out" "$work/.hugo-midad-out.midad-"*
