// What a loaded Engine costs per call, beyond the main benchmark's cold preview and weight
// change: `node --max-old-space-size=8000 bench/loaded.mjs [events] [transactions] [top]` (default
// 10M events and 1,000 transactions, loaded as columns, after scripts/build.sh; with `top`, every
// preview and the simulation list that many collaborators). In one process:
// load the bench data (bench/data.mjs), then time, 3 times each,
//   - a preview with other weights (the kept counts and revenue are re-weighed),
//   - a preview at another instant (`at` moves: everything is counted again, revenue too),
//   - a simulation of 2026 (12 monthly cycles; the events all fall in March).
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { eventColumns, transactionColumns, previewInput } from "./data.mjs";

const require = createRequire(import.meta.url);
const { Engine } = require("../pkg/node/siren_engine.js");
const n = Number(process.argv[2] ?? 10_000_000);
const tx = Number(process.argv[3] ?? 1_000);
const top = process.argv[4] ? { top: Number(process.argv[4]) } : {};
const engine = new Engine();
engine.loadEventsColumns(eventColumns(n));
engine.loadTransactionsColumns(transactionColumns(tx));
engine.preview({ ...previewInput(), ...top });

const time = (fn) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const report = (name, runs) => console.log(`${name}: median ${median(runs).toFixed(1)} ms (${runs.map((r) => r.toFixed(1)).join(", ")})`);

const weights = [[2, 5, 10, 2, 3], [1, 7, 10, 2, 3], [1, 5, 12, 2, 3]];
report(`${n.toLocaleString("en")} events + ${tx.toLocaleString("en")} transactions, other weights`, weights.map((w) => time(() => engine.preview({ ...previewInput(w), ...top }))));
const instants = ["2026-03-20T00:00:00Z", "2026-03-25T00:00:00Z", "2026-03-30T00:00:00Z"];
report(`${n.toLocaleString("en")} events + ${tx.toLocaleString("en")} transactions, another at`, instants.map((at) => time(() => engine.preview({ ...previewInput(), at, ...top }))));
const { recipe, distributorKey, config, timeZone } = previewInput();
const year = { recipe, distributorKey, config, timeZone, start: "2026-01-01T00:00:00Z", end: "2027-01-01T00:00:00Z", ...top };
report(`${n.toLocaleString("en")} events + ${tx.toLocaleString("en")} transactions, simulate 12 cycles`, [0, 1, 2].map(() => time(() => engine.simulate(year))));
engine.free();
