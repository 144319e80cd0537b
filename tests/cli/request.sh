#!/bin/sh
# Requests kept in the store: `apsco request add` (options or a requests file,
# all or nothing), `list` in every format, `cancel` (kept in the history, id
# stays taken), refusals with their reasons, and `apsco schedule --db` serving
# the active requests when no --requests file is given (the file wins when it is).
set -eu
apsco=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export APSCO_DB="$tmp/apsco.db"
fail() { echo "FAIL: $*"; exit 1; }
expect_rc() { # expect_rc CODE PATTERN command...
    want=$1 pattern=$2
    shift 2
    set +e; "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
    [ "$rc" -eq "$want" ] || { cat "$tmp/err"; fail "'$*' exited $rc, expected $want"; }
    [ -z "$pattern" ] || grep -q -- "$pattern" "$tmp/err" || { cat "$tmp/err"; fail "'$*' does not say '$pattern'"; }
}
count() { "$apsco" request list "$@" --format csv | tail -n +2 | wc -l; }

"$apsco" db init --defaults 2>/dev/null
"$apsco" request --help | grep -q '^Usage: apsco request add' || fail "--help"
"$apsco" --help | grep -q 'request' || fail "request missing from apsco --help"

add() { "$apsco" request add --min-duration-s 300 "$@"; }
expect_rc 0 'added 1 request' add --id PK-1 --state PK --norad 43530 --priority 4 --per-day 3
expect_rc 0 "" add --id TH-1 --state th --norad 58016 --priority 3 --per-day 2 --stations TH-SRIRACHA,CN-SANYA
expect_rc 0 '' add --id CN-1 --state CN --norad 39150 --priority 5 \
    --window-start 2026-03-19T06:00:00Z --window-end 2026-03-19T18:00:00Z

# Refusals: the reason, exit 1, nothing stored.
expect_rc 1 "state 'ZZ' is not in the registry" add --id X --state ZZ --norad 43530 --priority 3 --per-day 1
expect_rc 1 'RU is an observer' add --id X --state RU --norad 43530 --priority 3 --per-day 1
expect_rc 1 'TR is a signatory' add --id X --state TR --norad 43530 --priority 3 --per-day 1
expect_rc 2 "priority: '9' is not a whole number 1-5" add --id X --state PK --norad 43530 --priority 9 --per-day 1
expect_rc 1 'per_day and a window exclude each other' add --id X --state PK --norad 43530 --priority 3 \
    --per-day 1 --window-start 2026-03-19T06:00:00Z --window-end 2026-03-19T18:00:00Z
expect_rc 1 'window_end must be after window_start' add --id X --state PK --norad 43530 --priority 3 \
    --window-start 2026-03-19T06:00:00Z --window-end 2026-03-19T05:00:00Z
expect_rc 1 'satellite 99999 is neither in the registry nor in the catalog' \
    add --id X --state PK --norad 99999 --priority 3 --per-day 1
expect_rc 1 "station 'XX-NOWHERE' is not in the store" \
    add --id X --state PK --norad 43530 --priority 3 --per-day 1 --stations XX-NOWHERE
expect_rc 1 'id is taken' add --id PK-1 --state PK --norad 43530 --priority 3 --per-day 1
expect_rc 2 'needs --per-day' add --id X --state PK --norad 43530 --priority 3
expect_rc 2 'only contact' add --id X --state PK --norad 43530 --priority 3 --per-day 1 --kind imaging
[ "$(count)" -eq 3 ] || fail "a refused request was stored"

# A requests file lands whole or not at all; errors name the file and line.
printf 'id,state,norad,priority,min_duration_s,per_day\nF1,PK,43529,2,300,1\nF2,MY,43529,2,300,1\n' >"$tmp/bad.csv"
expect_rc 1 'bad.csv: request F2 (line 3): MY is an observer' "$apsco" request add --file "$tmp/bad.csv"
[ "$(count)" -eq 3 ] || fail "part of a refused file was stored"
expect_rc 0 'added 11 requests' "$apsco" request add --file "$data/../../data/requests-week.csv"
[ "$(count)" -eq 14 ] || fail "the example file"
[ "$(count --state cn)" -eq 3 ] || fail "list --state"

# Listings: columns, JSON with numbers as numbers and nulls, the table.
"$apsco" request list --format csv | head -1 | grep -qx \
    'id,state,norad,kind,priority,min_duration_s,per_day,window_start,window_end,stations,status,submitted_at,cancelled_at' \
    || fail "CSV header"
"$apsco" request list --format json >"$tmp/list.json"
/usr/bin/python3 - "$tmp/list.json" <<'PY' || fail "request list JSON"
import json, sys
rows = json.load(open(sys.argv[1]))
assert [r["id"] for r in rows[:3]] == ["PK-1", "TH-1", "CN-1"], rows[:3]
th = rows[1]
assert th["state"] == "TH" and th["norad"] == 58016 and th["priority"] == 3 and th["per_day"] == 2, th
assert th["stations"] == "TH-SRIRACHA;CN-SANYA" and th["window_start"] is None, th
cn = rows[2]
assert cn["per_day"] is None and cn["window_start"] == "2026-03-19T06:00:00Z", cn
assert all(r["status"] == "active" and r["cancelled_at"] is None for r in rows)
PY
"$apsco" request list | head -1 | grep -q '^id  *state  *norad' || fail "table"

# Cancel: gone from the schedule's list, kept in the history, id still taken.
expect_rc 0 'cancelled 1 request' "$apsco" request cancel CN-1
expect_rc 1 'already cancelled' "$apsco" request cancel CN-1
expect_rc 1 "no request 'NOPE'" "$apsco" request cancel PK-1 NOPE
[ "$(count)" -eq 13 ] || fail "cancel"
"$apsco" request list | grep -q '^PK-1 ' || fail "a failed cancel changed the store"
[ "$("$apsco" request list --all --format csv | grep '^CN-1,' | cut -d, -f11)" = cancelled ] \
    || fail "history"
expect_rc 1 'id is taken' add --id CN-1 --state CN --norad 39150 --priority 3 --per-day 1

# The schedule serves the stored requests, and every contact is one of them.
h="--start 2026-03-19T00:00:00Z --end 2026-03-21T00:00:00Z"
"$apsco" schedule $h >"$tmp/s.csv" 2>"$tmp/err" || { cat "$tmp/err"; fail "schedule --db"; }
grep -q '13 contacts\|for 13 requests' "$tmp/err" || { cat "$tmp/err"; fail "schedule did not serve the 13 active requests"; }
[ "$(tail -n +2 "$tmp/s.csv" | wc -l)" -gt 20 ] || fail "schedule from the store: too few contacts"
tail -n +2 "$tmp/s.csv" | cut -d, -f1 | sort -u >"$tmp/ids"
"$apsco" request list --format csv | tail -n +2 | cut -d, -f1 | sort >"$tmp/active"
[ -z "$(comm -23 "$tmp/ids" "$tmp/active")" ] || fail "a contact for a request not active in the store"
grep -q '^CN-1,' "$tmp/s.csv" && fail "a cancelled request was scheduled"
# A requests file wins over the store.
printf 'id,state,norad,priority,min_duration_s,per_day\nONLY,PE,41770,3,300,1\n' >"$tmp/one.csv"
"$apsco" schedule $h --requests "$tmp/one.csv" 2>/dev/null | tail -n +2 | cut -d, -f1 | sort -u >"$tmp/ids"
[ "$(cat "$tmp/ids")" = ONLY ] || fail "--requests did not replace the stored requests"
# No active requests: said so.
"$apsco" request cancel $("$apsco" request list --format csv | tail -n +2 | cut -d, -f1) 2>/dev/null
expect_rc 1 'no active requests in the store' "$apsco" schedule $h
echo ok
