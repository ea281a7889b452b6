// The first-call effect: times the 1st, 2nd and 5th previewScores on the same ~50k-event input in
// one fresh process. Run under different V8 flags (see BENCHMARKS.md):
//   node bench/first-call.mjs; node --no-liftoff bench/first-call.mjs; node --no-wasm-dynamic-tiering bench/first-call.mjs
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { eventObjects, transactions, previewInput } from "./data.mjs";

const require = createRequire(import.meta.url);
const input = { ...previewInput(), events: eventObjects(50_000), transactions: transactions(20_000) };
const t0 = performance.now();
const { previewScores, Engine } = require("../pkg/node/siren_engine.js");
const loaded = performance.now() - t0;
const times = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  previewScores(input);
  times.push(performance.now() - t);
}
const s = performance.now();
JSON.stringify(input);
const stringify = performance.now() - s;
console.log(JSON.stringify({ flags: process.execArgv.join(" ") || "(default)", requireMs: +loaded.toFixed(1), callsMs: times.map((x) => +x.toFixed(1)), stringifyMs: +stringify.toFixed(1) }));
