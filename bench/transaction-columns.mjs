#!/usr/bin/env node
// `Engine.loadTransactionsColumns` on the sample year's transactions (samples/year, read into
// columns by cli/columns.mjs as `siren simulate --data samples/year` reads them), under two
// builds of the package: `node bench/transaction-columns.mjs PKG_A PKG_B [ROUNDS]` alternates A
// and B in fresh processes (as bench/ab.mjs), each timing 16 loads, each into a new Engine, and
// prints the medians of the first load of a process and of the 15 others, and B/A.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { readTransactionColumns } from "../cli/columns.mjs";

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

if (process.argv[2] === "--child") {
  const m = (await import(resolve(process.argv[3], "node/siren_engine.js"))).default;
  const year = fileURLToPath(new URL("../samples/year/", import.meta.url));
  const { columns } = readTransactionColumns(`${year}transactions.csv`, `${year}refunds.csv`);
  const times = [];
  for (let rep = 0; rep < 16; rep++) {
    const engine = new m.Engine();
    const t = performance.now();
    engine.loadTransactionsColumns(columns);
    times.push(performance.now() - t);
    engine.free();
  }
  process.stdout.write(JSON.stringify({ first: times[0], warm: times.slice(1) }));
} else {
  if (!process.argv[3]) throw new Error("usage: node bench/transaction-columns.mjs PKG_A PKG_B [ROUNDS]");
  const [a, b] = [process.argv[2], process.argv[3]].map((p) => resolve(p));
  const rounds = Number(process.argv[4] ?? 5);
  const self = fileURLToPath(import.meta.url);
  const runs = { a: { first: [], warm: [] }, b: { first: [], warm: [] } };
  for (let round = 0; round < rounds; round++) {
    for (const [key, pkg] of round % 2 ? [["b", b], ["a", a]] : [["a", a], ["b", b]]) {
      const child = spawnSync(process.execPath, [self, "--child", pkg], { encoding: "utf8" });
      if (child.status !== 0) throw new Error(child.stderr);
      const out = JSON.parse(child.stdout);
      runs[key].first.push(out.first);
      runs[key].warm.push(...out.warm);
    }
  }
  const ms = (x) => x.toFixed(1);
  console.log(`loadTransactionsColumns, sample year (${rounds} rounds; medians in ms)\n| | A | B | B/A |\n|---|---|---|---|`);
  for (const kind of ["first", "warm"]) {
    const [ma, mb] = [median(runs.a[kind]), median(runs.b[kind])];
    console.log(`| ${kind === "first" ? "first load of a process" : "later loads"} | ${ms(ma)} | ${ms(mb)} | ${(mb / ma).toFixed(2)} |`);
  }
}
