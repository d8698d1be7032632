#!/usr/bin/env bash
# Search at scale: the index a build writes for the N-article corpora of bench/run.sh, what it
# adds to a cold build, and what a first query downloads.
#
#   bench/search.sh MIDAD_BINARY [N …]      e.g. bench/search.sh target/release/midad 1000 10000 100000
#
# Needs the corpora bench/run.sh generates ($BENCH_DIR/N; run `bench/run.sh N` once), Chromium
# (`apt-get install -y chromium`), python3 and /usr/bin/time. For each N it makes a site in
# $OUT/N from the corpus (its content, data and static linked, this repository's themes copied),
# then:
#   - builds it cold (output and build cache removed) with search on and with search off,
#     alternating, RUNS times each, and reports the median wall time of each and the difference;
#   - reports the index: articles, terms, files, bytes (raw and gzip -9);
#   - serves the output with python's http.server, opens /search/?q=QUERY in headless Chromium
#     and adds up every file the page requested (the page, stylesheets, script, manifest, term
#     and document files), raw and gzip -9: what a reader's first query transfers.
# Settings (environment): BENCH_DIR (/dev/shm/midad-bench), OUT (/dev/shm/midad-search), RUNS
# (3), QUERY (two common words of the corpus: «الحكومة الاقتصاد»), PORT (8799).
set -euo pipefail

MIDAD=$(realpath "${1:?usage: bench/search.sh MIDAD_BINARY [N …]}")
shift
sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then sizes=(1000 10000 100000); fi
REPO=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/dev/shm/midad-bench}
OUT=${OUT:-/dev/shm/midad-search}
RUNS=${RUNS:-3}
QUERY=${QUERY:-الحكومة الاقتصاد}
PORT=${PORT:-8799}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1795903200}

site_of() {
    local n=$1 site=$OUT/$1
    [ -d "$BENCH_DIR/$n/content" ] || { echo "no corpus in $BENCH_DIR/$n: run bench/run.sh $n" >&2; exit 1; }
    rm -rf "$site"
    mkdir -p "$site"
    for part in content data static; do ln -s "$BENCH_DIR/$n/$part" "$site/$part"; done
    cp -r "$REPO/themes" "$site/themes"
    cp "$BENCH_DIR/$n/config.toml" "$site/config.toml"
    cp "$BENCH_DIR/$n/config.toml" "$site/config.toml.orig"
    cp "$BENCH_DIR/$n/config.toml" "$site/config-off.toml"
    printf '\n[search]\nenabled = false\n' >>"$site/config-off.toml"
}

# Seconds of one cold build of $1 (site) with config $2, output $3.
cold() {
    local site=$1 config=$2 out=$3
    cp "$site/$config" "$site/config.toml.now"
    mv "$site/config.toml.now" "$site/config.toml"
    rm -rf "$out" "$(dirname "$out")/.$(basename "$out").midad-"*
    /usr/bin/time -f "%e" -o "$site/time" "$MIDAD" build --root "$site" --output "$out" >"$site/log" 2>&1
    cat "$site/time"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Bytes of the files listed on stdin (paths under $1), raw and gzip -9, as "raw gz".
sizes_of() {
    local root=$1 raw=0 gz=0 path
    while IFS= read -r path; do
        [ -f "$root/$path" ] || continue
        raw=$((raw + $(stat -c %s "$root/$path")))
        gz=$((gz + $(gzip -9c "$root/$path" | wc -c)))
    done
    echo "$raw $gz"
}

first_query() {
    local public=$1 log=$OUT/http.log q
    q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$QUERY")
    (cd "$public" && exec python3 -m http.server "$PORT" --bind 127.0.0.1) >"$log" 2>&1 &
    local server=$!
    sleep 1
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --no-first-run --user-data-dir="$OUT/chromium" \
        --virtual-time-budget=8000 --dump-dom "http://127.0.0.1:$PORT/search/?q=$q" \
        >"$OUT/dom.html" 2>/dev/null || true
    kill "$server"
    wait "$server" 2>/dev/null || true
    local results
    results=$(grep -o 'class="search-result"' "$OUT/dom.html" | wc -l)
    # "GET /search/index/t3.bin?v=… HTTP/1.1" 200 -: each path once, query strings dropped.
    local files
    files=$(grep -o '"GET [^ ]*' "$log" | sed 's/^"GET \///; s/?.*//; s/^$/index.html/; s/\/$/\/index.html/' |
        python3 -c 'import sys, urllib.parse; [print(urllib.parse.unquote(l.strip())) for l in sys.stdin]' | sort -u)
    echo "$results results shown; files: $(echo "$files" | tr '\n' ' ')" >&2
    echo "$files" | sizes_of "$public"
}

printf '| articles | cold build, search on | search off | search share | terms | index files | index MB | index MB gzip | first query: files | KB | KB gzip |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
for n in "${sizes[@]}"; do
    site_of "$n"
    on=()
    off=()
    for _ in $(seq 1 "$RUNS"); do
        off+=("$(cold "$OUT/$n" config-off.toml "$OUT/$n-public-off")")
        on+=("$(cold "$OUT/$n" config.toml.orig "$OUT/$n-public")")
    done
    indexed=$(grep -o 'indexed [0-9]* articles for search ([0-9]* terms, [0-9]* files' "$OUT/$n/log")
    terms=$(echo "$indexed" | sed 's/.*(\([0-9]*\) terms.*/\1/')
    nfiles=$(echo "$indexed" | sed 's/.* \([0-9]*\) files/\1/')
    read -r iraw igz < <(cd "$OUT/$n-public" && find search/index -type f | sizes_of "$OUT/$n-public")
    read -r qraw qgz < <(first_query "$OUT/$n-public")
    qfiles=$(grep -o '"GET [^ ]*' "$OUT/http.log" | sed 's/?.*//' | sort -u | wc -l)
    mon=$(printf '%s\n' "${on[@]}" | median)
    moff=$(printf '%s\n' "${off[@]}" | median)
    share=$(awk -v a="$mon" -v b="$moff" 'BEGIN { printf "%+.1f %%", (a - b) / b * 100 }')
    printf '| %s | %s s | %s s | %s | %s | %s | %.1f | %.1f | %s | %.0f | %.0f |\n' \
        "$n" "$mon" "$moff" "$share" "$terms" "$nfiles" \
        "$(echo "$iraw / 1048576" | bc -l)" "$(echo "$igz / 1048576" | bc -l)" \
        "$qfiles" "$(echo "$qraw / 1024" | bc -l)" "$(echo "$qgz / 1024" | bc -l)"
done
