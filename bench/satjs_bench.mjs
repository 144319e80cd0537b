// satjs_bench.mjs — the apsco propagation benchmark run with satellite.js
// (the version pinned in package.json): every satellite of a catalog at the
// instants start + k * step, k = 0 … span/step - 1, printing the same JSON
// line as `apsco bench propagate`.
//
// Usage: node satjs_bench.mjs CATALOG START_ISO SPAN_MIN STEP_MIN MODE [THREADS] [REPEAT]
//   MODE plain: satellite.js `propagate` per satellite and instant (JavaScript);
//   MODE wasm:  the WASM BulkPropagator with an EciBaseCalculator, on the
//               single-thread runtime (THREADS 1) or the multi-thread runtime.
// checksum_km is the sum of |r| over the propagations without an SGP4 error.
// Seconds are the best of REPEAT runs of the propagation and the checksum
// (cpu_ns_per_propagation: the processor time of all threads, best run);
// parsing the TLEs and building the runtime are not timed. The BulkPropagator
// is fed blocks of instants (its output for a whole day of a 15 000-object
// catalog would need 1 GB of WASM memory), each block's dates set and run in
// the timed loop, as apsco streams its blocks.
import { readFileSync } from 'node:fs';
import {
  BulkPropagator,
  EciBaseCalculator,
  createMultiThreadRuntime,
  createSingleThreadRuntime,
  propagate,
  twoline2satrec,
} from 'satellite.js';

const [catalog, startIso, spanArg, stepArg, mode, threadsArg, repeatArg] = process.argv.slice(2);
if (!catalog || !startIso || !spanArg || !stepArg || !['plain', 'wasm'].includes(mode)) {
  console.error('usage: node satjs_bench.mjs CATALOG START_ISO SPAN_MIN STEP_MIN plain|wasm [THREADS] [REPEAT]');
  process.exit(2);
}
const threads = Number(threadsArg ?? 1);
const repeat = Number(repeatArg ?? 1);
const spanMin = Number(spanArg);
const stepMin = Number(stepArg);

// Element sets: every line-1/line-2 pair of a TLE or 3LE file.
const lines = readFileSync(catalog, 'utf8').split(/\r?\n/);
const satrecs = [];
for (let i = 0; i + 1 < lines.length; i++) {
  if (lines[i].startsWith('1 ') && lines[i + 1].startsWith('2 ')) {
    satrecs.push(twoline2satrec(lines[i], lines[i + 1]));
    i++;
  }
}
const instants = Math.floor(spanMin / stepMin + 1e-9);
const start = Date.parse(startIso);
const dates = Array.from({ length: instants }, (_, k) => new Date(start + k * stepMin * 60000));

function runPlain() {
  let sum = 0;
  for (const satrec of satrecs) {
    for (const date of dates) {
      const pv = propagate(satrec, date);
      if (pv) {
        const r = pv.position;
        sum += Math.sqrt(r.x * r.x + r.y * r.y + r.z * r.z);
      }
    }
  }
  return sum;
}

async function makeWasm() {
  const runtime = threads > 1 ? await createMultiThreadRuntime({ threadsCount: threads })
                              : await createSingleThreadRuntime();
  // Blocks of instants that keep the output near 64 MB.
  const block = Math.max(1, Math.min(instants, Math.floor(64e6 / (satrecs.length * 49))));
  const propagator = new BulkPropagator({
    runtime,
    calculators: [new EciBaseCalculator()],
    satRecsCount: satrecs.length,
    datesCount: block,
  });
  propagator.setSatRecs(satrecs);
  return { runtime, propagator, block };
}

async function runWasm({ propagator, block }) {
  let sum = 0;
  for (let first = 0; first < instants; first += block) {
    const part = dates.slice(first, first + block);
    propagator.setDates(part);
    await propagator.run();
    const { position, error } = propagator.getRawOutput().eci;
    // Raw output is satellite-major over the dates of this call.
    const n = satrecs.length * part.length;
    for (let j = 0; j < n; j++) {
      if (error[j] === 0) {
        const x = position[3 * j], y = position[3 * j + 1], z = position[3 * j + 2];
        sum += Math.sqrt(x * x + y * y + z * z);
      }
    }
  }
  return sum;
}

const wasm = mode === 'wasm' ? await makeWasm() : null;
let best = Infinity;
let bestCpu = Infinity;
let checksum = 0;
for (let r = 0; r < repeat; r++) {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  checksum = wasm ? await runWasm(wasm) : runPlain();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c1 = process.cpuUsage(c0);
  best = Math.min(best, seconds);
  bestCpu = Math.min(bestCpu, (c1.user + c1.system) / 1e6);
}
// The runtime is left to process.exit: disposing the multi-thread one exits its runtime by throwing.
wasm?.propagator.dispose();
const propagations = satrecs.length * instants;
const engine = mode === 'plain' ? 'satellite.js propagate' : `satellite.js wasm bulk`;
console.log(JSON.stringify({
  satellites: satrecs.length,
  instants,
  propagations,
  seconds: Number(best.toFixed(6)),
  ns_per_propagation: Number((best * 1e9 / propagations).toFixed(3)),
  checksum_km: Number(checksum.toFixed(6)),
  engine,
  threads: mode === 'plain' ? 1 : threads,
  cpu_ns_per_propagation: Number((bestCpu * 1e9 / propagations).toFixed(3)),
}));
process.exit(0);
