#!/bin/sh
# `apsco propagate` from the store: the selection gives the same rows, bit for
# bit, as the catalog file exported from the same selection.
set -eu
apsco=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/apsco.db"
"$apsco" db init --db "$db" --defaults 2>/dev/null
"$apsco" catalog export --db "$db" --state TH -o "$tmp/th.tle"
"$apsco" propagate --db "$db" --state TH --tsince 0:120:7 --frame geodetic >"$tmp/store.csv"
"$apsco" propagate -c "$tmp/th.tle" --tsince 0:120:7 --frame geodetic >"$tmp/file.csv"
cmp "$tmp/store.csv" "$tmp/file.csv" || { echo "FAIL: store and file differ"; exit 1; }
[ "$(cut -d, -f1 "$tmp/store.csv" | tail -n +2 | sort -u | wc -l)" -eq 7 ] || { echo "FAIL: not 7 satellites"; exit 1; }
"$apsco" propagate --db "$db" --project SMMS --sat 33320 --tsince 0:10:5 | grep -q '^33320,' \
    || { echo "FAIL: --project with --sat"; exit 1; }
set +e
"$apsco" propagate --db "$db" --state XX --tsince 0:10:5 2>"$tmp/err"; rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q "no state 'XX'" "$tmp/err" || { echo "FAIL: unknown state exit $rc"; exit 1; }
set +e
"$apsco" propagate --db "$db" --state TH -c "$tmp/th.tle" --tsince 0:10:5 2>/dev/null; rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "FAIL: --catalog with a selection exit $rc"; exit 1; }
echo ok
