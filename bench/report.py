#!/usr/bin/python3
"""report.py — renders bench/RESULTS.md from the JSON lines of bench/run.sh.

Usage: /usr/bin/python3 report.py RESULTS.jsonl RESULTS.md KERNEL_SOURCE [WORKLOAD=PROFILE.txt ...]

Only the section between its two marker comments is rewritten; the other
sections of RESULTS.md (screening, passes) are kept as they are.
"""
import datetime
import json
import os
import platform
import re
import subprocess
import sys


def machine():
    model, flags = "unknown", set()
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                model = value.strip()
            elif key.strip() == "flags":
                flags = set(value.split())
    wanted = ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512vl", "avx512bw"]

    def first_line(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0]
        except (OSError, IndexError):
            return "unknown"

    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "flags": " ".join(f for f in wanted if f in flags),
        "kernel": platform.release(),
        "compiler": first_line(["cc", "--version"]),
        "node": first_line(["node", "--version"]),
        "load": " ".join("%.2f" % x for x in os.getloadavg()),
    }


def label(d):
    engine = d["engine"]
    if engine == "apsco":
        kind = "scalar reference path" if d["kernel"] == "scalar" else "batch, %s" % d["kernel"]
        return "apsco (%s), %d thread%s" % (kind, d["threads"], "" if d["threads"] == 1 else "s")
    if engine.startswith("python-sgp4"):
        return "%s, 1 thread" % engine
    return "%s, %d thread%s" % (engine, d["threads"], "" if d["threads"] == 1 else "s")


def kernel_functions(kernel_source):
    """Maps each line of fleet_kernel.h to the function it belongs to."""
    owner, current = {}, "?"
    with open(kernel_source, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            m = re.match(r"(static inline [\w ]+? |void )\**(\w+)\(", line)
            if m:
                current = m.group(2)
            owner[number] = current
    return owner


def profile(w, workload, path, kernel_source):
    """One perf profile of run.sh: by function, then the kernel's time by stage."""
    text = open(path, encoding="utf-8").read()
    by_symbol, _, by_line = text.partition("--\n")
    w("### %s\n" % workload)
    w("By function (the kernel's stages are inlined into `k_propagate`):\n")
    w("```")
    w(by_symbol.rstrip())
    w("```\n")
    owner = kernel_functions(kernel_source)
    stages = {}
    for line in by_line.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        pct = float(parts[0].rstrip("%"))
        where = parts[1]
        name, _, number = where.rpartition(":")
        if name == "fleet_kernel.h" and number.isdigit():
            key = "fleet_kernel.h: " + owner.get(int(number), "?")
        elif name.endswith("intrin.h"):
            key = "vector intrinsics (loads, compares, blends, fused multiply-adds)"
        else:
            key = name or where
        stages[key] = stages.get(key, 0.0) + pct
    w("By source line, grouped by kernel function (samples blur across neighbouring")
    w("lines, so read these as shares, not exact costs):\n")
    w("| share | where |\n|---:|---|")
    for key, pct in sorted(stages.items(), key=lambda kv: -kv[1])[:16]:
        w("| %.1f%% | %s |" % (pct, key))
    w("")


KIND_NAMES = {"near": "near-Earth (SGP4)", "deep": "deep space without resonance (SDP4)",
              "one-day": "deep space, one-day resonance", "half-day": "deep space, half-day resonance"}


def kinds(w, rows):
    """apsco's one-thread cost for each kind of orbit of a workload (bench --only)."""
    best = {}
    for r in rows:
        if r["orbits"] not in best or r["ns_per_propagation"] < best[r["orbits"]]["ns_per_propagation"]:
            best[r["orbits"]] = r
    total = sum(r["ns_per_propagation"] * r["satellites"] for r in best.values())
    catalog = sum(r["satellites"] for r in best.values())
    w("apsco by kind of orbit (`--only`, one thread, best of 3): each kind's own cost, and")
    w("its part of the catalog's (satellites × ns over the catalog's satellites):\n")
    w("| orbits | satellites | ns/propagation | part of the catalog's ns/propagation |")
    w("|---|---:|---:|---:|")
    for kind in KIND_NAMES:
        if kind in best:
            r = best[kind]
            w("| %s | %d | %.1f | %.1f (%.0f%%) |"
              % (KIND_NAMES[kind], r["satellites"], r["ns_per_propagation"],
                 r["ns_per_propagation"] * r["satellites"] / catalog,
                 100.0 * r["ns_per_propagation"] * r["satellites"] / total))
    w("")


def main():
    every = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    rows = [r for r in every if r.get("orbits", "all") == "all"]
    kind_rows = [r for r in every if r.get("orbits", "all") != "all"]
    m = machine()
    out = []
    w = out.append
    w("# Propagation benchmark: apsco and its peers\n")
    w("Generated by `make bench` (bench/run.sh, bench/report.py) on %s UTC.\n"
      % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"))
    w("## Machine\n")
    w("| | |\n|---|---|")
    w("| CPU | %s |" % m["cpu"])
    w("| cores | %d |" % m["cores"])
    w("| flags | %s |" % m["flags"])
    w("| kernel | Linux %s |" % m["kernel"])
    w("| compiler | %s |" % m["compiler"])
    w("| node | %s |" % m["node"])
    w("| load average after the run | %s |\n" % m["load"])
    w("The machine is shared: other work running at the same time slows the engines down,")
    w("the multi-threaded ones most. Each fast engine ran in three separate processes with")
    w("three repetitions each; *best* is the fastest repetition, *spread* the fastest and")
    w("slowest of the three processes' bests. *Processor ns/propagation* is the processor")
    w("time of all the engine's threads per propagation (best repetition): other work on the")
    w("machine inflates it much less than the wall-clock time, and for one thread it is the")
    w("engine's own cost.\n")
    w("## Workload\n")
    w("Every satellite of the catalog at the instants start + k min, k = 0 … 1439, into a")
    w("reused buffer; `checksum_km` is the sum of |r| over the propagations without an SGP4")
    w("error, so that the work is provably done and comparable between engines. python-sgp4")
    w("(Debian's pure-Python build) runs on every `instant_stride`-th instant only; its")
    w("checksum is compared with apsco's on the same subset. satellite.js's BulkPropagator is")
    w("fed the instants in blocks of about 64 MB of output.\n")
    for workload in dict.fromkeys(r["workload"] for r in rows):
        wr = [r for r in rows if r["workload"] == workload]
        w("## %s: %d satellites × %d instants\n" % (workload, wr[0]["satellites"], 1440))
        groups = {}
        for r in wr:
            if r["engine"] == "apsco" and r["instants"] != 1440:
                continue
            groups.setdefault(label(r), []).append(r)
        apsco_all = min((r for r in wr if r["engine"] == "apsco" and r["kernel"] != "scalar"
                         and r["instants"] == 1440), key=lambda r: (-r["threads"], r["ns_per_propagation"]))
        best_all = min(r["ns_per_propagation"] for r in wr if r["engine"] == "apsco"
                       and r["kernel"] != "scalar" and r["threads"] == apsco_all["threads"]
                       and r["instants"] == 1440)
        w("| engine | best ns/propagation | spread | × apsco (%d threads) "
          "| processor ns/propagation | checksum_km |" % apsco_all["threads"])
        w("|---|---:|---:|---:|---:|---:|")
        for name, rs in groups.items():
            best = min(r["ns_per_propagation"] for r in rs)
            lo, hi = best, max(r["ns_per_propagation"] for r in rs)
            spread = "%.1f–%.1f" % (lo, hi) if len(rs) > 1 else "one run"
            checksum = "%.3f" % rs[0]["checksum_km"]
            if "instant_stride" in rs[0]:
                same = [r for r in wr if r["engine"] == "apsco" and r["instants"] == rs[0]["instants"]]
                checksum += " (%d instants; apsco on them: %.3f)" % (
                    rs[0]["instants"], same[0]["checksum_km"]) if same else ""
            cpu = min(r.get("cpu_ns_per_propagation", float("nan")) for r in rs)
            w("| %s | %.1f | %s | %.1f | %.1f | %s |"
              % (name, best, spread, best / best_all, cpu, checksum))
        w("")
        wasm_all = [r["ns_per_propagation"] for r in wr if r["engine"].startswith("satellite.js wasm")
                    and r["threads"] == apsco_all["threads"]]
        one = [r["ns_per_propagation"] for r in wr if r["engine"] == "apsco" and r["kernel"] != "scalar"
               and r["threads"] == 1 and r["instants"] == 1440]
        if wasm_all:
            w("apsco with %d threads: best %.1f ns/propagation, %.1f× faster than satellite.js WASM "
              "bulk with %d threads (best %.1f); one thread: best %.1f ns.\n"
              % (apsco_all["threads"], best_all, min(wasm_all) / best_all, apsco_all["threads"],
                 min(wasm_all), min(one) if one else float("nan")))
        wk = [r for r in kind_rows if r["workload"] == workload]
        if wk:
            kinds(w, wk)
    profiles = [arg.partition("=") for arg in sys.argv[4:]]
    profiles = [(name, path) for name, _, path in profiles if os.path.getsize(path) > 0]
    if profiles:
        w("## Where apsco's time goes\n")
        w("`perf record` of `apsco bench propagate` on each workload, one thread.\n")
        for name, path in profiles:
            profile(w, name, path, sys.argv[3])
    w("## Commands\n")
    w("```")
    for r in every:
        w(r["command"].replace(os.getcwd() + "/", ""))
    w("```")
    write_section(sys.argv[2], "\n".join(out) + "\n")


BEGIN = "<!-- begin: propagation benchmark, written by make bench (bench/report.py) -->\n"
END = "<!-- end: propagation benchmark -->\n"


def write_section(path, section):
    """Replaces this benchmark's section of RESULTS.md, keeping the other sections."""
    try:
        text = open(path, encoding="utf-8").read()
    except FileNotFoundError:
        text = ""
    block = BEGIN + section + END
    if BEGIN in text and END in text:
        head, _, rest = text.partition(BEGIN)
        _, _, tail = rest.partition(END)
        text = head + block + tail
    else:
        text = block + ("\n" + text if text else "")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


main()
