#!/bin/sh
# The tool's own usage: --help on stdout with exit 0, unknown commands exit 2.
set -eu
apsco=$1
"$apsco" --help | grep -q 'Usage: apsco COMMAND'
"$apsco" --version | grep -q '^apsco '
set +e
"$apsco" no-such-command 2>/dev/null; rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "unknown command exited $rc, expected 2"; exit 1; }

# Every command names an option it does not know, or one left without its value, exiting 2.
named() { # named EXPECTED ARGS...: exit 2 and EXPECTED on stderr
    want=$1
    shift
    set +e
    err=$("$apsco" "$@" 2>&1 >/dev/null)
    rc=$?
    set -e
    [ "$rc" -eq 2 ] || { echo "apsco $*: exit $rc, expected 2"; exit 1; }
    case $err in *"$want"*) ;; *) echo "apsco $*: expected '$want' in: $err"; exit 1 ;; esac
}
for cmd in "db init" "import catalog" "catalog list" "stations" "satellites" "sat show"; do
    # shellcheck disable=SC2086 # the command's words
    named "unknown option '--bogus'" $cmd --bogus
done
named "option '--db' needs a value" db init --db
named "option '-f' needs a value" catalog export -f
