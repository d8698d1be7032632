#!/usr/bin/env bash
# Publishes one article on a benchmark site, as a newsroom's build sees it: a copy of the site's
# first article under a new name and title, and, with PHOTO, a new photo of its own (PHOTO's
# bytes with a stamp after the end of the image, so it is new to the image cache every time).
# With DATE (RFC 3339), the article is dated then, as a newsroom dates what it publishes now:
# the newest article, at the top of every listing it is in. Without, it keeps the first
# article's date. Used by bench/photos-warm.sh and bench/publish.sh;
# `bench/publish-one.sh SITE --remove` takes every one away.
#
#   [DATE=2026-11-29T12:00:30Z] bench/publish-one.sh SITE [PHOTO]
set -euo pipefail

SITE=${1:?usage: bench/publish-one.sh SITE [PHOTO | --remove]}
if [ "${2:-}" = --remove ]; then
    find "$SITE/content" -name 'published-*.md' -delete
    rm -f "$SITE"/static/images/photos/published-*.jpg
    exit 0
fi
stamp=$(date +%s%N)
first=$(find "$SITE/content" -name '*.md' ! -name '_index.md' ! -name 'published-*' | sort | sed -n 1p)
article="$(dirname "$first")/published-$stamp.md"
# The new title is the old one with the stamp before it, in TOML or YAML front matter.
sed -e "0,/^title\( =\|:\) \"/s||&$stamp |" -e '/^slug\( =\|:\) /d' "$first" >"$article"
if [ -n "${DATE:-}" ]; then
    sed -i -e "s|^date = .*|date = $DATE|" -e "s|^date: .*|date: $DATE|" "$article"
fi
if [ -n "${2:-}" ]; then
    photo="/images/photos/published-$stamp.jpg"
    { cat "$2"; echo "$stamp"; } >"$SITE/static/images/photos/published-$stamp.jpg"
    sed -i -e "s|^image = .*|image = \"$photo\"|" -e "s|^image: .*|image: \"$photo\"|" "$article"
fi
