#!/usr/bin/env bash
# midad's Tera fork against the published Tera 1.20.1 (see MIDAD.md).
#
#   vendor/tera/upstream.sh diff [GIT-DIFF-ARGS]  # midad's diff to the published crate (e.g. --stat)
#   vendor/tera/upstream.sh check                 # patches/, applied in order, give this folder
#   vendor/tera/upstream.sh test                  # Tera's own tests, on this folder
#   vendor/tera/upstream.sh export                # patches/ and this folder from the work tree
#
# The published crate is downloaded once from static.crates.io (or taken from Cargo's download
# cache) into target/tera-upstream/ and checked against the SHA-256 that the crates.io index
# records for it; without it, `diff` and `check` say so and fail. `check` applies the patches
# with `git am` to the published crate, one commit each, in target/tera-upstream/tree, and
# compares the result with this folder byte for byte, so the patch files and the code Cargo
# builds cannot drift apart. To change the series, commit to that work tree (the published crate
# is its tag `published`), then `export` writes patches/ and this folder from its commits.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${CARGO_TARGET_DIR:-$root/target}/tera-upstream
crate=tera-1.20.1.crate
url=https://static.crates.io/crates/tera/$crate
# The `cksum` of tera 1.20.1 in the crates.io index (https://index.crates.io/te/ra/tera).
sha256=e8004bca281f2d32df3bacd59bc67b312cb4c70cea46cbd79dbe8ac5ed206722
# What of the published crate is kept here (not its README.md, CHANGELOG.md, Cargo.toml.orig).
vendored=(Cargo.toml Cargo.lock LICENSE src)
# What here is midad's and not Tera's.
own=(MIDAD.md UPSTREAM.md upstream.sh patches)

die() {
    printf 'upstream.sh: %s\n' "$*" >&2
    exit 1
}

verified() {
    [ -f "$1" ] && echo "$sha256  $1" | sha256sum --check --status
}

# The published crate, verified, in $cache/$crate.
published() {
    mkdir -p "$cache"
    verified "$cache/$crate" && return
    local cached
    for cached in "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"$crate"; do
        if verified "$cached"; then
            cp "$cached" "$cache/$crate"
            return
        fi
    done
    if ! curl -fsSL --retry 2 -o "$cache/$crate.part" "$url"; then
        rm -f "$cache/$crate.part"
        die "cannot download $url (offline?): the published Tera is what this folder is compared with"
    fi
    verified "$cache/$crate.part" \
        || die "$url does not have the SHA-256 the crates.io index records ($sha256)"
    mv "$cache/$crate.part" "$cache/$crate"
}

tree_git() {
    git -C "$cache/tree" -c user.name=midad -c user.email=midad@invalid \
        -c commit.gpgsign=false -c core.autocrlf=false "$@"
}

# A git work tree in $cache/tree whose one commit, tagged `published`, is the published crate
# (the part of it kept here).
fresh_tree() {
    published
    rm -rf "$cache/tree"
    mkdir -p "$cache/tree"
    tar -xzf "$cache/$crate" -C "$cache/tree" --strip-components=1 \
        "${vendored[@]/#/tera-1.20.1/}"
    tree_git init -q
    tree_git add -A
    tree_git commit -q -m "Tera 1.20.1 as published on crates.io"
    tree_git tag published
}

# Copies the vendored paths from directory $1 to directory $2.
copy_vendored() {
    local path
    for path in "${vendored[@]}"; do
        rm -rf "${2:?}/$path"
        cp -R "$1/$path" "$2/$path"
    done
}

cmd_diff() {
    fresh_tree
    copy_vendored "$here" "$cache/tree"
    tree_git add -A
    tree_git --no-pager diff --cached published "$@"
}

cmd_check() {
    fresh_tree
    local patches=("$here"/patches/*.patch)
    [ -f "${patches[0]}" ] || die "no patches in $here/patches"
    local patch
    for patch in "${patches[@]}"; do
        tree_git am -q "$patch" \
            || die "$(basename "$patch") does not apply after the ones before it (see $cache/tree)"
    done
    local bad=0 path entry
    for path in "${vendored[@]}"; do
        diff -r "$cache/tree/$path" "$here/$path" >&2 || bad=1
    done
    for entry in "$here"/* "$here"/.[!.]*; do
        [ -e "$entry" ] || continue
        entry=$(basename "$entry")
        case " ${vendored[*]} ${own[*]} target " in
        *" $entry "*) ;;
        *)
            echo "vendor/tera/$entry is neither Tera's nor one of midad's files" >&2
            bad=1
            ;;
        esac
    done
    [ "$bad" = 0 ] || die "vendor/tera is not the published Tera 1.20.1 with patches/ applied"
    echo "vendor/tera is Tera 1.20.1 with ${#patches[@]} patches:"
    tree_git --no-pager log --reverse --format='  %s' published..HEAD
}

# Tera's own tests, as its CI runs them (`cargo test`, default features), with the lockfile the
# crate was published with (and the patches' additions). Six of them read templates from the
# repository's examples/ folder, which the published crate does not include; they load templates
# from files, which no patch touches, and are skipped. So is the doctest of `add_template_files`,
# which is only compiled (`no_run`): rustdoc splits a filter at spaces, so no filter tells it
# from that of `add_template_file`.
cmd_test() {
    cargo test --locked --manifest-path "$here/Cargo.toml" --target-dir "$cache/target" -- \
        --skip tera::tests::can_load_from_glob \
        --skip tera::tests::full_reload_with_glob \
        --skip tera::tests::test_can_only_parse_templates \
        --skip tera::Tera::add_template_file
}

cmd_export() {
    [ -d "$cache/tree/.git" ] || die "no work tree in $cache/tree: run \`check\`, then commit to it"
    [ -z "$(tree_git status --porcelain)" ] || die "$cache/tree has changes not committed"
    rm -f "$here"/patches/*.patch
    tree_git format-patch -q --zero-commit --no-signature -o "$here/patches" published
    copy_vendored "$cache/tree" "$here"
    cmd_check
}

case "${1:-}" in
diff) shift && cmd_diff "$@" ;;
check) cmd_check ;;
test) cmd_test ;;
export) cmd_export ;;
*)
    sed -n '2,7p' "$0" >&2
    exit 2
    ;;
esac
