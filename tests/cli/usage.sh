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
