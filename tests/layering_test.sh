#!/bin/sh
# layering_test.sh: the layers include only downwards. Include paths already
# stop most mistakes at compile time; this catches the rest (a header found
# through a relative path, or a layer given a wider include path by
# accident). TAP output; prints the offending lines on failure.
#
#   src/util  includes nothing of src/conf, src/api, src/rpc, daemon/ or
#             any src/driver-*
#   src/conf  includes nothing of src/api, src/rpc, daemon/ or src/driver-*
#   src/api   includes no header of src/driver-*

srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}

# The basenames of the headers that live in the given directories, one per
# line; .x protocol files count as the .h that rpcgen makes of them.
headers_of() {
    for dir in "$@"; do
        [ -d "$srcdir/$dir" ] || continue
        for f in "$srcdir/$dir"/*.h "$srcdir/$dir"/*.x; do
            [ -e "$f" ] || continue
            name=$(basename "$f")
            case $name in
            *.x) echo "${name%.x}.h" ;;
            *) echo "$name" ;;
            esac
        done
    done | sort -u
}

driver_dirs() {
    for d in "$srcdir"/src/driver-*; do
        [ -d "$d" ] && echo "src/${d##*/}"
    done
}

# Lines of the C files in directory $1 that include one of the headers
# listed in file $2, as "file:line: text".
bad_includes() {
    dir=$1
    list=$2
    [ -s "$list" ] || return 0
    for f in "$srcdir/$dir"/*.c "$srcdir/$dir"/*.h; do
        [ -e "$f" ] || continue
        grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]' "$f" |
        while IFS= read -r line; do
            inc=$(printf '%s\n' "$line" |
                  sed -E 's/.*#[[:space:]]*include[[:space:]]*["<]([^">]*)[">].*/\1/')
            if grep -qxF "$(basename "$inc")" "$list"; then
                echo "${f#"$srcdir"/}:$line"
            fi
        done
    done
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

check() {
    desc=$1
    dir=$2
    shift 2
    n=$((n + 1))
    headers_of "$@" >"$tmp/forbidden"
    bad_includes "$dir" "$tmp/forbidden" >"$tmp/bad"
    if [ -s "$tmp/bad" ]; then
        echo "not ok $n - $desc"
        sed 's/^/#   /' "$tmp/bad"
        failed=1
    else
        echo "ok $n - $desc"
    fi
}

echo "1..3"
# shellcheck disable=SC2046
check "src/util includes nothing from higher layers" src/util \
    src/conf src/api src/rpc daemon $(driver_dirs)
# shellcheck disable=SC2046
check "src/conf includes nothing from api, rpc, daemon or drivers" src/conf \
    src/api src/rpc daemon $(driver_dirs)
# shellcheck disable=SC2046
check "src/api includes no driver header" src/api $(driver_dirs)
exit $failed
