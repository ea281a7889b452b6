#!/usr/bin/env node
// Two builds of the package side by side: `node bench/ab.mjs PKG_A PKG_B [ROUNDS]` times the
// bulk path (bench/run.mjs's (a): new Engine + loadEventsColumns + loadTransactionsColumns +
// preview, then re-previews with other weights) and the object path ((b), previewScores) on the
// same data under both, alternating A and B in fresh processes, and prints the medians and B/A.
// For checking that a change which should not change speed did not (a refactor, a move).
// `AB_CASES=2,3` runs only those cases (indexes into CASES).
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { eventColumns, eventObjects, transactions, transactionColumns, previewInput } from "./data.mjs";

const REWEIGHTS = [[2, 5, 10, 2, 3], [1, 7, 10, 2, 3], [1, 5, 12, 2, 3]];
const CASES = [
  { name: "1M events, bulk", n: 1_000_000, tx: 1_000, path: "bulk" },
  { name: "1M events, bulk, top 50", n: 1_000_000, tx: 1_000, path: "bulk", top: 50 },
  { name: "100k events + 1M lines, bulk, top 50", n: 100_000, tx: 500_000, path: "bulk", top: 50 },
  { name: "100k events, object path", n: 100_000, tx: 1_000, path: "object" },
  { name: "100k events, bulk", n: 100_000, tx: 1_000, path: "bulk" },
  { name: "10M events, bulk", n: 10_000_000, tx: 1_000, path: "bulk" },
];
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

async function child(pkg, index) {
  const { n, tx, path, top } = CASES[index];
  const m = (await import(resolve(pkg, "node/siren_engine.js"))).default;
  const out = { cold: [], warm: [] };
  if (path === "bulk") {
    const columns = eventColumns(n);
    const txColumns = transactionColumns(tx, 2);
    for (let rep = 0; rep <= 3; rep++) {
      const t0 = performance.now();
      const e = new m.Engine();
      e.loadEventsColumns(columns);
      e.loadTransactionsColumns(txColumns);
      e.preview(previewInput(undefined, top));
      const t1 = performance.now();
      const warm = REWEIGHTS.map((w) => { const t = performance.now(); e.preview(previewInput(w, top)); return performance.now() - t; });
      e.free();
      if (rep > 0) { out.cold.push(t1 - t0); out.warm.push(...warm); }
    }
  } else {
    const input = { ...previewInput(), events: eventObjects(n), transactions: transactions(tx) };
    for (let rep = 0; rep <= 3; rep++) {
      const t0 = performance.now();
      m.previewScores(input);
      if (rep > 0) out.cold.push(performance.now() - t0);
    }
  }
  return out;
}

if (process.argv[2] === "--child") {
  const result = await child(process.argv[3], Number(process.argv[4]));
  process.stdout.write(JSON.stringify(result));
} else {
  const [a, b] = [process.argv[2], process.argv[3]].map((p) => resolve(p ?? ""));
  const rounds = Number(process.argv[4] ?? 3);
  if (!process.argv[3]) throw new Error("usage: node bench/ab.mjs PKG_A PKG_B [ROUNDS]");
  const self = fileURLToPath(import.meta.url);
  console.log(`| case | A cold (ms) | B cold (ms) | B/A | A re-preview | B re-preview | B/A |\n|---|---|---|---|---|---|---|`);
  const only = process.env.AB_CASES?.split(",").map(Number);
  for (let i = 0; i < CASES.length; i++) {
    if (only && !only.includes(i)) continue;
    const got = { [a]: { cold: [], warm: [] }, [b]: { cold: [], warm: [] } };
    for (let r = 0; r < rounds; r++) {
      for (const pkg of r % 2 ? [b, a] : [a, b]) {
        const run = spawnSync(process.execPath, [self, "--child", pkg, String(i)], { encoding: "utf8", maxBuffer: 1 << 24 });
        if (run.status !== 0) throw new Error(run.stderr);
        const r1 = JSON.parse(run.stdout);
        got[pkg].cold.push(...r1.cold);
        got[pkg].warm.push(...r1.warm);
      }
    }
    const [ca, cb, wa, wb] = [median(got[a].cold), median(got[b].cold), median(got[a].warm), median(got[b].warm)];
    const f = (x) => (Number.isNaN(x) ? "–" : x.toFixed(1));
    console.log(`| ${CASES[i].name} | ${f(ca)} | ${f(cb)} | ${(cb / ca).toFixed(2)} | ${f(wa)} | ${f(wb)} | ${Number.isNaN(wa) ? "–" : (wb / wa).toFixed(2)} |`);
  }
}
