#!/usr/bin/env bash
# Warm rebuilds with photos: the N-article corpus of bench/run.sh as it is (half its articles
# lead with one of a few SVG drawings) against the same corpus with a photo of its own on every
# article (N generated 1200×800 JPEGs: 17 variant files each), built by one binary in one run.
#
#   bench/photos-warm.sh MIDAD_BINARY [N]      e.g. bench/photos-warm.sh target/release/midad 10000
#
# Needs the corpus bench/run.sh generates ($BENCH_DIR/N; run `bench/run.sh N` once), hyperfine,
# /usr/bin/time and python3 with Pillow and numpy (bench/images.sh makes a venv when needed).
# The photo corpus, its photos and its image cache are kept in $PHOTO_DIR (default
# /dev/shm/midad-photos-N) between runs; the first run processes every photo (minutes).
# It measures with hyperfine, on both sites, a no-change rebuild, a rebuild after one article's
# text changed and one after an article was published (on the photo site with a new photo of its
# own, bench/publish-one.sh), and prints a table.
set -euo pipefail

MIDAD=$(realpath "${1:?usage: bench/photos-warm.sh MIDAD_BINARY [N]}")
N=${2:-10000}
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH_DIR=${BENCH_DIR:-/dev/shm/midad-bench}
PHOTO_DIR=${PHOTO_DIR:-/dev/shm/midad-photos-$N}
RUNS=${RUNS:-10}
PLAIN=$BENCH_DIR/$N
PHOTOS=$PHOTO_DIR/site
# The build clock of bench/run.sh, so both sites build the same pages every run.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1795903200}

[ -d "$PLAIN/content" ] || { echo "no corpus in $PLAIN: run bench/run.sh $N first" >&2; exit 1; }

python_with_pillow() {
    if python3 -c 'import PIL, numpy' 2>/dev/null; then echo python3; return; fi
    local venv=/dev/shm/midad-images/venv
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv" >&2
        "$venv/bin/pip" install --quiet pillow numpy >&2
    fi
    echo "$venv/bin/python"
}

# The corpus copied, each article's `image` replaced by (or given) a photo of its own.
photo_site() {
    if [ -f "$PHOTOS/.complete" ]; then return; fi
    echo "making the photo corpus in $PHOTOS" >&2
    rm -rf "$PHOTOS"
    mkdir -p "$PHOTO_DIR"
    cp -a "$PLAIN" "$PHOTOS"
    rm -rf "$PHOTOS/public" "$PHOTOS/.midad-cache"
    NOISE_SIGMA=0 "$(python_with_pillow)" "$HERE/images/gen.py" "$PHOTO_DIR/photos" "$N" 1200 800 >/dev/null
    mkdir -p "$PHOTOS/static/images/photos"
    local k=0 file
    while IFS= read -r file; do
        k=$((k + 1))
        ln -f "$PHOTO_DIR/photos/photo-$k.jpg" "$PHOTOS/static/images/photos/photo-$k.jpg"
        # TOML or YAML front matter: drop the drawing, put the photo after the title.
        sed -i -e '/^image = /d' -e "0,/^title = /s||image = \"/images/photos/photo-$k.jpg\"\ntitle = |" \
            -e '/^image: /d' -e "0,/^title: /s||image: \"/images/photos/photo-$k.jpg\"\ntitle: |" "$file"
    done < <(find "$PHOTOS/content" -name '*.md' ! -name '_index.md' | sort)
    echo "$k articles with a photo" >&2
    echo "cold build with photos (processes every photo)" >&2
    /usr/bin/time -v -o "$PHOTO_DIR/cold.time" "$MIDAD" build --root "$PHOTOS" >"$PHOTO_DIR/cold.log" 2>&1
    touch "$PHOTOS/.complete"
}

# The first article of a site, edited by appending a sentence (and put back afterwards).
first_article() { find "$1/content" -name '*.md' ! -name '_index.md' | sort | sed -n 1p; }

main() {
    photo_site
    "$MIDAD" build --root "$PLAIN" >/dev/null 2>&1
    "$MIDAD" build --root "$PHOTOS" >/dev/null 2>&1
    local plain_article photos_article
    plain_article=$(first_article "$PLAIN")
    photos_article=$(first_article "$PHOTOS")
    cp "$plain_article" "$PHOTO_DIR/plain-article.bak"
    cp "$photos_article" "$PHOTO_DIR/photos-article.bak"
    # Each edit is new text (a clock reading), so every edited build has a page to render.
    local edit="echo \"جملة \$(date +%s%N).\" >>"
    hyperfine --warmup 1 --runs "$RUNS" --export-markdown "$PHOTO_DIR/warm.md" \
        -n "no change, without photos" --prepare true "$MIDAD build --root $PLAIN" \
        -n "no change, a photo per article" --prepare true "$MIDAD build --root $PHOTOS" \
        -n "one article edited, without photos" \
        --prepare "cp $PHOTO_DIR/plain-article.bak $plain_article; $edit $plain_article" \
        "$MIDAD build --root $PLAIN" \
        -n "one article edited, a photo per article" \
        --prepare "cp $PHOTO_DIR/photos-article.bak $photos_article; $edit $photos_article" \
        "$MIDAD build --root $PHOTOS" \
        -n "one article published, without photos" \
        --prepare "$HERE/publish-one.sh $PLAIN" "$MIDAD build --root $PLAIN" \
        -n "one article published with a new photo" \
        --prepare "$HERE/publish-one.sh $PHOTOS $PHOTO_DIR/photos/photo-1.jpg" \
        "$MIDAD build --root $PHOTOS" >&2
    cp "$PHOTO_DIR/plain-article.bak" "$plain_article"
    cp "$PHOTO_DIR/photos-article.bak" "$photos_article"
    "$HERE/publish-one.sh" "$PLAIN" --remove
    "$HERE/publish-one.sh" "$PHOTOS" --remove
    "$MIDAD" build --root "$PLAIN" >/dev/null 2>&1
    "$MIDAD" build --root "$PHOTOS" >/dev/null 2>&1
    echo "$N articles; photo site: $(find "$PHOTOS/public" -type f | wc -l) output files, $(find "$PHOTOS/.midad-cache/images" -type f | wc -l) cached variants"
    [ -f "$PHOTO_DIR/cold.time" ] && grep -E "Elapsed|Maximum resident" "$PHOTO_DIR/cold.time" | sed 's/^\s*/cold with photos: /'
    cat "$PHOTO_DIR/warm.md"
}

main
