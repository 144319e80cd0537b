#!/bin/sh
# others.sh — the pass, screening and scheduling benchmarks of `make bench`
# (after the propagation benchmark of run.sh): runs bench/passes.sh,
# bench/screen.sh and bench/plan.sh one after the other, keeps each one's
# output in bench/out/, and writes them, with the machine's load before and
# after each, into the "last run" section of bench/RESULTS.md. The sections
# above it discuss the figures; this one is what the last run printed.
#
# Usage: bench/others.sh [BUILD_DIR]   (from the repository root, Release build)
# It takes about 10 minutes on two cores (the 7-day all-on-all screenings and the scheduler's
# exact LP proof are the long parts).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:-build} # relative to the repository root, or absolute
cd "$root"
out=bench/out
mkdir -p "$out"

run() { # run NAME COMMAND...: output to bench/out/NAME.txt and the terminal; stops on failure
    name=$1
    shift
    rm -f "$out/$name.failed"
    {
        echo "\$ $*"
        echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
        start=$(date +%s)
        "$@" 2>&1 || echo $? >"$out/$name.failed"
        echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(($(date +%s) - start)) s"
    } | tee "$out/$name.txt"
    # The pipe hides the command's status: a failed run must not reach RESULTS.md.
    if [ -e "$out/$name.failed" ]; then
        echo "bench/others.sh: '$*' failed (exit $(cat "$out/$name.failed")); RESULTS.md left as it was" >&2
        exit 1
    fi
}

run passes sh bench/passes.sh "$build"
run screen sh bench/screen.sh "$build/apsco" "$out/screen"
run plan sh bench/plan.sh "$build"

APSCO_COMMIT=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || true) \
    /usr/bin/python3 - bench/RESULTS.md "$out/passes.txt" "$out/screen.txt" "$out/plan.txt" <<'PY'
import datetime, os, platform, sys

results, logs = sys.argv[1], sys.argv[2:]
begin = "<!-- begin: last run of the pass, screening and scheduling benchmarks (bench/others.sh) -->\n"
end = "<!-- end: last run -->\n"
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
commit = os.environ.get("APSCO_COMMIT", "")
parts = [begin, "# Last run of the pass, screening and scheduling benchmarks\n\n",
         f"Written by `make bench` (bench/others.sh) on {when}{' at commit ' + commit if commit else ''}: "
         f"{cpu}, {os.cpu_count()} cores, "
         f"Linux {platform.release()}. The output of each script as it was printed.\n"]
titles = {"passes": "Passes (bench/passes.sh)", "screen": "Screening (bench/screen.sh)",
          "plan": "Scheduling (bench/plan.sh)"}
for log in logs:
    name = os.path.splitext(os.path.basename(log))[0]
    parts.append(f"\n## {titles.get(name, name)}\n\n```\n{open(log).read().rstrip()}\n```\n")
parts.append(end)
text = open(results).read() if os.path.exists(results) else ""
if begin in text and end in text:
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
else:
    head, tail = text.rstrip("\n") + "\n\n", ""
open(results + ".tmp", "w").write(head + "".join(parts) + tail)
os.replace(results + ".tmp", results)
PY
echo "bench: wrote the last-run section of bench/RESULTS.md" >&2
