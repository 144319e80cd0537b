#!/bin/sh
# The store from the command line: a fresh database with the bundled dataset,
# listings in every format, selection errors, idempotent imports, strict mode
# that imports nothing, stations, sat show, export and synthetic catalogs.
set -eu
apsco=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export APSCO_DB="$tmp/store/apsco.db"
fail() { echo "FAIL: $*"; exit 1; }
expect_rc() { # expect_rc CODE command...
    want=$1; shift
    set +e; "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
    [ "$rc" -eq "$want" ] || { cat "$tmp/err"; fail "'$*' exited $rc, expected $want"; }
}

# A missing database is explained, not created.
expect_rc 1 "$apsco" states
grep -q "db init" "$tmp/err" || fail "no hint to create the database"
[ ! -e "$APSCO_DB" ] || fail "a listing created the database"

"$apsco" db init --defaults 2>/dev/null
[ -f "$APSCO_DB" ] || fail "db init did not create $APSCO_DB"

# Listings: JSON arrays keyed by column name; CSV with a header.
"$apsco" states --format json >"$tmp/states.json"
/usr/bin/python3 - "$tmp/states.json" <<'PY' || fail "states JSON"
import json, sys
rows = json.load(open(sys.argv[1]))
assert len(rows) == 14, len(rows)
assert set(rows[0]) == {"code", "name", "status", "joined"}, rows[0]
members = sorted(r["code"] for r in rows if r["status"] == "member")
assert members == ["BD", "CN", "IR", "MN", "PE", "PK", "TH"], members
PY
[ "$("$apsco" states --status signatory --format csv | tail -n +2 | cut -d, -f1 | tr '\n' ' ')" = "ID TR " ] \
    || fail "signatories"
[ "$("$apsco" satellites --state PK --format csv | tail -n +2 | wc -l)" -eq 4 ] || fail "PK satellites"
[ "$("$apsco" satellites --project SMMS --format csv | tail -n +2 | cut -d, -f1)" = 33320 ] \
    || fail "SMMS satellite"
"$apsco" agencies | grep -q SUPARCO || fail "agencies"
"$apsco" projects --format json | grep -q '"illustrative": 1' || fail "illustrative projects"

# Wrong names are data errors, inapplicable filters usage errors.
expect_rc 1 "$apsco" satellites --state XX
grep -q "no state 'XX'" "$tmp/err" || fail "unknown state message"
expect_rc 2 "$apsco" states --class telecom
expect_rc 2 "$apsco" stations --format yaml

# The stations listing in CSV is a station file.
"$apsco" stations --status member --format csv >"$tmp/pool.csv"
[ "$(tail -n +2 "$tmp/pool.csv" | wc -l)" -ge 10 ] || fail "pooled network"
"$apsco" import stations "$tmp/pool.csv" 2>"$tmp/err"
grep -q "0 new, 0 updated" "$tmp/err" || fail "re-importing the network changed it"
printf 'id,name,state,lat_deg,lon_deg,alt_m,min_el_deg,mask\nPK-TEST,Test,PK,30,70,100,5,0:3;180:8\nBAD,x,PK,95,0,0,5,\n' >"$tmp/bad.csv"
expect_rc 1 "$apsco" import stations "$tmp/bad.csv"
grep -q "bad.csv:3: latitude" "$tmp/err" || fail "station error location"
"$apsco" stations --format csv | grep -q PK-TEST && fail "a bad station file was half imported"

# Catalog imports: idempotent, history kept, strict mode all or nothing.
sats() { "$apsco" catalog list --format csv | tail -n +2 | wc -l; }
before=$(sats)
"$apsco" import catalog "$data/tle/SGP4-VER.TLE" 2>"$tmp/err1"
"$apsco" import catalog "$data/tle/SGP4-VER.TLE" 2>"$tmp/err2"
grep -q " 0 new, 0 updated" "$tmp/err2" || fail "second import changed something"
after=$(sats)
[ "$after" -gt "$before" ] || fail "import added nothing"
cp "$data/tle/SGP4-VER.TLE" "$tmp/broken.tle"
printf '1 99999U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753\n2 garbage\n' >>"$tmp/broken.tle"
expect_rc 1 "$apsco" import catalog --strict "$tmp/broken.tle"
[ "$(sats)" -eq "$after" ] || fail "strict failure imported something"
imports=$("$apsco" catalog imports --format csv | tail -n +2 | wc -l)
[ "$imports" -eq 2 ] || fail "import log has $imports entries, expected 2"

# sat show: registry record, latest TLE, history.
"$apsco" sat show 43530 >"$tmp/show"
grep -q "SUPARCO" "$tmp/show" && grep -q "^1 43530U" "$tmp/show" || fail "sat show"
"$apsco" sat show 43530 --format json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["registry"][0]["agency"] == "SUPARCO"
assert d["latest"]["tle_line1"].startswith("1 43530U")
assert len(d["history"]) == 1' || fail "sat show JSON"
expect_rc 1 "$apsco" sat show 1

# Export of a selection reads back as the same element sets.
"$apsco" catalog export --state TH -o "$tmp/th.tle"
[ "$(grep -c '^1 ' "$tmp/th.tle")" -eq 7 ] || fail "Thai satellites exported"
grep -q "^THEOS$" "$tmp/th.tle" || fail "THEOS missing from the export"

# Synthetic catalogs: reproducible, Alpha-5, importable.
"$apsco" catalog synth --count 2000 --first-norad 99000 --seed 7 -o "$tmp/s1.tle"
"$apsco" catalog synth --count 2000 --first-norad 99000 --seed 7 -o "$tmp/s2.tle"
cmp -s "$tmp/s1.tle" "$tmp/s2.tle" || fail "synth is not reproducible"
grep -q "^1 A0000U" "$tmp/s1.tle" || fail "no Alpha-5 numbers"
"$apsco" import catalog --strict "$tmp/s1.tle" 2>"$tmp/err"
grep -q "2000 new" "$tmp/err" || fail "synthetic catalog import"
"$apsco" sat show A0000 | grep -q "^1 A0000U" || fail "sat show with an Alpha-5 number"
echo ok
