// The first-call effect, in one fresh process:
//   node bench/first-call.mjs           the 1st to 5th previewScores on the same ~50k-event input;
//   node bench/first-call.mjs columns   the 1st to 3rd Engine.loadTransactionsColumns of 500k
//                                       transactions (1M lines), each into a new handle.
// Run under different V8 flags (see BENCHMARKS.md):
//   node bench/first-call.mjs; node --no-liftoff bench/first-call.mjs; node --no-wasm-dynamic-tiering bench/first-call.mjs
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { eventObjects, transactions, transactionColumns, previewInput } from "./data.mjs";

const require = createRequire(import.meta.url);
const columns = process.argv[2] === "columns";
const input = columns ? transactionColumns(500_000) : { ...previewInput(), events: eventObjects(50_000), transactions: transactions(20_000) };
const t0 = performance.now();
const { previewScores, Engine } = require("../pkg/node/siren_engine.js");
const loaded = performance.now() - t0;
const times = [];
for (let i = 0; i < (columns ? 3 : 5); i++) {
  const t = performance.now();
  if (columns) {
    const engine = new Engine();
    engine.loadTransactionsColumns(input);
    engine.free();
  } else {
    previewScores(input);
  }
  times.push(performance.now() - t);
}
const s = performance.now();
if (!columns) JSON.stringify(input);
const stringify = performance.now() - s;
console.log(JSON.stringify({ flags: process.execArgv.join(" ") || "(default)", what: columns ? "loadTransactionsColumns(500k)" : "previewScores(50k events)", requireMs: +loaded.toFixed(1), callsMs: times.map((x) => +x.toFixed(1)), stringifyMs: +stringify.toFixed(1) }));
