#!/usr/bin/env bash
# Photo processing, Hugo against midad: N camera-like 4000×3000 JPEGs, each made into the 19
# variants midad makes (natural ratio and 16:9 at widths 400/800/1200/1600 in WebP and JPEG, and
# 1200×630, 1200×900, 1200×1200 JPEGs), built cold (no image cache) and then warm (second run).
#
#   bench/images.sh MIDAD_BINARY [N]     e.g. bench/images.sh target/release/midad 100
#   bench/images.sh none [N]             Hugo only
#
# Needs /usr/bin/time, python3 with Pillow and numpy (else a venv is made under the bench folder
# with pip), and Hugo extended for WebP (Debian: `apt-get install -y hugo`).
# Everything is written under BENCH_DIR (default /dev/shm/midad-images): photos/, hugo/, midad/,
# the time logs and results.md, which is also printed. The photos are made once and kept.
# Knobs (environment): HUGO (binary), HUGO_FILTER (resample filter, default Box, Hugo's own),
# HUGO_ANCHOR (crop anchor, default Center: midad crops around the focal point, not by Smart).
set -euo pipefail

MIDAD=${1:?usage: bench/images.sh MIDAD_BINARY|none [N]}
N=${2:-100}
BENCH_DIR=${BENCH_DIR:-/dev/shm/midad-images}
HUGO=${HUGO:-hugo}
HUGO_FILTER=${HUGO_FILTER:-Box}
HUGO_ANCHOR=${HUGO_ANCHOR:-Center}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
[ "$MIDAD" = none ] || MIDAD=$(realpath "$MIDAD")

# A Python that has Pillow and numpy: the machine's, or a venv made here.
python_with_pillow() {
    if python3 -c 'import PIL, numpy' 2>/dev/null; then
        echo python3
        return
    fi
    if [ ! -x "$BENCH_DIR/venv/bin/python" ]; then
        python3 -m venv "$BENCH_DIR/venv" >&2
        "$BENCH_DIR/venv/bin/pip" install --quiet pillow numpy >&2
    fi
    echo "$BENCH_DIR/venv/bin/python"
}

make_photos() {
    echo "making $N photos in $BENCH_DIR/photos (kept between runs)" >&2
    "$(python_with_pillow)" "$HERE/images/gen.py" "$BENCH_DIR/photos" "$N" >/dev/null
}

# One bundle per photo under $1/content/photos/, the photo hard-linked in; $2 writes index.md.
bundles() {
    local content=$1/content/photos k dir
    rm -rf "$content"
    mkdir -p "$content"
    for k in $(seq 1 "$N"); do
        dir=$content/photo-$k
        mkdir -p "$dir"
        ln "$BENCH_DIR/photos/photo-$k.jpg" "$dir/photo-$k.jpg"
        "$2" "$k" >"$dir/index.md"
    done
}

hugo_page() {
    printf -- '---\ntitle: "Photo %s"\ndate: 2026-11-01T10:00:00+02:00\n---\nText.\n' "$1"
}

midad_page() {
    printf '+++\ntitle = "صورة %s"\ndate = 2026-11-01T10:00:00+02:00\nimage = "photo-%s.jpg"\nimage_alt = "صورة اختبار %s"\n+++\nنص.\n' "$1" "$1" "$1"
}

hugo_site() {
    local site=$BENCH_DIR/hugo
    mkdir -p "$site/layouts/_default"
    cat >"$site/config.toml" <<EOF
baseURL = "https://bench.example/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
resourceDir = "resources"
cacheDir = "$site/cache"
[imaging]
quality = 80
resampleFilter = "$HUGO_FILTER"
anchor = "$HUGO_ANCHOR"
EOF
    echo '<ul>{{ range .Pages }}<li>{{ .Title }}</li>{{ end }}</ul>' >"$site/layouts/_default/list.html"
    echo '<ul>{{ range .Site.RegularPages }}<li>{{ .Title }}</li>{{ end }}</ul>' >"$site/layouts/index.html"
    cp "$HERE/images/single.html" "$site/layouts/_default/single.html"
    bundles "$site" hugo_page
}

midad_site() {
    local site=$BENCH_DIR/midad
    mkdir -p "$site"
    cat >"$site/config.toml" <<'EOF'
title = "midad image bench"
base_url = "https://bench.example/"
language = "ar"
theme = "akhbar"
EOF
    rm -rf "$site/themes"
    cp -r "$REPO/themes" "$site/themes"
    bundles "$site" midad_page
}

# Runs "$@" under /usr/bin/time -v into $BENCH_DIR/$1.time, its output into $1.log.
timed() {
    local name=$1
    shift
    /usr/bin/time -v -o "$BENCH_DIR/$name.time" "$@" >"$BENCH_DIR/$name.log" 2>&1 || {
        echo "$name failed; see $BENCH_DIR/$name.log" >&2
        return 1
    }
}

run_hugo() {
    local site=$BENCH_DIR/hugo
    rm -rf "$site/resources/_gen" "$site/cache" "$site/public"
    timed hugo-cold "$HUGO" --source "$site" --destination "$site/public"
    timed hugo-warm "$HUGO" --source "$site" --destination "$site/public"
}

run_midad() {
    local site=$BENCH_DIR/midad
    rm -rf "$site/.midad-cache" "$site/public"
    timed midad-cold "$MIDAD" build --root "$site"
    timed midad-warm "$MIDAD" build --root "$site"
}

# Variant files in a built site: WebP and JPEG files other than the N originals.
variants() {
    local all
    all=$(find "$1/public" -type f \( -name '*.webp' -o -name '*.jpg' \) | wc -l)
    echo $((all - N))
}

# One table row from $BENCH_DIR/$1.time: wall, user, sys, CPU, CPU per photo, max RSS.
row() {
    awk -v name="$1" -v n="$N" -v files="$2" -F': ' '
        /Elapsed \(wall clock\)/ { k = split($2, t, ":"); wall = 0; for (i = 1; i <= k; i++) wall = wall * 60 + t[i] }
        /User time/ { user = $2 }
        /System time/ { sys = $2 }
        /Maximum resident set size/ { rss = $2 / 1024 }
        END { printf "| %s | %.1f | %.1f | %.1f | %.1f | %.2f | %.0f | %s |\n",
              name, wall, user, sys, user + sys, (user + sys) / n, rss, files }
    ' "$BENCH_DIR/$1.time"
}

report() {
    local name tool files
    echo "$N photos of 4000×3000 ($(du -sh "$BENCH_DIR/photos" | cut -f1)), $(nproc) cores, load before: $LOAD"
    echo "Hugo: $("$HUGO" version 2>/dev/null | cut -d' ' -f2) (filter $HUGO_FILTER, anchor $HUGO_ANCHOR, quality 80)"
    [ "$MIDAD" = none ] || echo "midad: $MIDAD ($("$MIDAD" --version))"
    echo
    echo "| run | wall s | user s | sys s | CPU s | CPU s per photo | max RSS MB | variant files |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    for name in hugo-cold hugo-warm midad-cold midad-warm; do
        [ -f "$BENCH_DIR/$name.time" ] || continue
        tool=${name%-*}
        files=$(variants "$BENCH_DIR/$tool")
        row "$name" "$files"
    done
}

main() {
    mkdir -p "$BENCH_DIR"
    rm -f "$BENCH_DIR"/*.time
    command -v "$HUGO" >/dev/null || { echo "no $HUGO: apt-get install -y hugo" >&2; exit 1; }
    make_photos
    LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
    hugo_site
    run_hugo
    if [ "$MIDAD" != none ]; then
        midad_site
        run_midad
    fi
    report | tee "$BENCH_DIR/results.md"
}

main
