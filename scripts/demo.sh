#!/bin/sh
# The main job on the bundled data: where the organization's satellites are.
#
# Usage: scripts/demo.sh [APSCO_BINARY]
# Propagates the member and signatory states' satellites of the bundled
# CelesTrak catalog (2026-03-19) and prints their positions at 12:00 UTC that
# day, then writes a day of one-minute states for all of them to demo-out/.
set -eu
apsco=${1:-build/apsco}
cd "$(dirname "$0")/.."
catalog=data/celestrak-active-2026-03-19.tle
# Satellites of member and signatory states found in the catalog by name.
sats=28786,29709,33056,33396,37779,37791,39030,39500,39522,40336,40984,41552,41603,41770,41875
sats=$sats,41944,43463,43529,43530,43587,44048,44883,46320,47306,48963,50212,53370,56178,57045
sats=$sats,58016,59065,59915,60233,65588
at=2026-03-19T12:00:00Z

mkdir -p demo-out
echo "apsco demo: the organization's satellites at $at (SGP4, bundled catalog of 2026-03-19)"
echo
"$apsco" propagate --catalog "$catalog" --sat "$sats" --start "$at" --end "$at" --step 60 \
    --frame geodetic |
    awk -F, 'NR == 1 { printf "%-7s %-26s %10s %11s %10s\n", "NORAD", "NAME", "LAT_DEG", "LON_DEG", "ALT_KM"; next }
             { printf "%-7s %-26s %10.4f %11.4f %10.1f\n", $1, $2, $4, $5, $6 }'
"$apsco" propagate --catalog "$catalog" --sat "$sats" --start 2026-03-19T00:00:00Z \
    --end 2026-03-19T23:59:00Z --step 60 -o demo-out/states-teme.csv
echo
echo "A day of one-minute TEME states for these satellites: demo-out/states-teme.csv"
