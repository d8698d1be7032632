# Shared by the scripts that compare two midad binaries in one run (compare.sh, publish.sh,
# publish-steps.sh): source it after `cd` to the repository. It reads OLD and NEW from the
# arguments and sets $old, $new, $n (ARTICLES), $runs (RUNS, default $default_runs), $seed, $work
# (BENCH_DIR) and $epoch (SOURCE_DATE_EPOCH, then unset so it is given to midad alone); it gives
# `log`, `corpus SIZE` (generates $work/SIZE when missing), `site_copy DIR` and $median, an awk
# function.

if [ $# -ne 2 ]; then
    sed -n '2,8p' "$0" >&2
    exit 2
fi
old=$(realpath "$1")
new=$(realpath "$2")
n=${ARTICLES:-10000}
runs=${RUNS:-$default_runs}
seed=${SEED:-42}
work=${BENCH_DIR:-/dev/shm/midad-bench}
epoch=${SOURCE_DATE_EPOCH:-1795903200}
unset SOURCE_DATE_EPOCH

log() { printf '== %s\n' "$*" >&2; }

corpus() {
    local size=$1
    if [ ! -f "$work/$size/.bench-stamp" ]; then
        log "generating the $size-article corpus in $work/$size"
        cargo build --release --quiet --example gen_corpus
        "${CARGO_TARGET_DIR:-target}/release/examples/gen_corpus" --articles "$size" \
            --seed "$seed" --out "$work/$size" --force >&2
        echo "articles=$size seed=$seed inputs=compare" >"$work/$size/.bench-stamp"
    fi
}

# A fresh copy of the $n-article corpus at DIR, to publish into. Its files are as old as a
# newsroom's checkout, not seconds old: a build trusts the size and modification time of files
# saved at least 2 s before it, and reads the others.
site_copy() {
    rm -rf "$1"
    cp -r "$work/$n" "$1"
    find "$1/content" -type f -exec touch -d '1 hour ago' {} +
}

[ -x /usr/bin/time ] || { log "installing time"; apt-get install -y -qq time >&2; }

# The median of list[1..k].
median='
    function median(list, k,    sorted, i, j, t) {
        for (i = 1; i <= k; i++) sorted[i] = list[i]
        for (i = 2; i <= k; i++)
            for (j = i; j > 1 && sorted[j - 1] > sorted[j]; j--) {
                t = sorted[j]; sorted[j] = sorted[j - 1]; sorted[j - 1] = t
            }
        return k % 2 ? sorted[(k + 1) / 2] : (sorted[k / 2] + sorted[k / 2 + 1]) / 2
    }'
