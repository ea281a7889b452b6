// Two builds of the Node package side by side, alternating in one process (a change's effect on
// a noisy machine): new Engine + loadEventsColumns + loadTransactionsColumns, a cold preview,
// a re-preview with other weights, and one with `top: 50`; minimum of 5 rounds after a warm-up.
//   node --max-old-space-size=12000 bench/ab.mjs EVENTS DIR_A DIR_B   (DIR: a pkg/node folder)
// e.g. a worktree of the commit before a change, built there with scripts/build.sh.
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { eventColumns, transactionColumns, previewInput } from "./data.mjs";

const require = createRequire(import.meta.url);
const [n, ...dirs] = process.argv.slice(2);
const builds = dirs.map((dir) => [dir, require(resolve(dir, "siren_engine.js")).Engine]);
const events = eventColumns(Number(n));
const tx = transactionColumns(1000);
const times = Object.fromEntries(dirs.map((dir) => [dir, { load: [], cold: [], again: [], top: [] }]));
for (let round = 0; round <= 5; round++) {
  for (const [dir, Engine] of builds) {
    const t0 = performance.now();
    const engine = new Engine();
    engine.loadEventsColumns(events);
    engine.loadTransactionsColumns(tx);
    const t1 = performance.now();
    engine.preview(previewInput());
    const t2 = performance.now();
    engine.preview(previewInput([2, 5, 10, 2, 3]));
    const t3 = performance.now();
    engine.preview(previewInput([1, 5, 10, 2, 3], 50));
    const t4 = performance.now();
    engine.free();
    if (round === 0) continue;
    const t = times[dir];
    t.load.push(t1 - t0), t.cold.push(t2 - t1), t.again.push(t3 - t2), t.top.push(t4 - t3);
  }
}
const min = (xs) => Math.min(...xs).toFixed(1);
console.log(`| ${Number(n).toLocaleString("en")} events | load | cold preview | re-preview | re-preview, top 50 |`);
console.log("|---|---|---|---|---|");
for (const [dir, t] of Object.entries(times)) console.log(`| ${dir} | ${min(t.load)} | ${min(t.cold)} | ${min(t.again)} | ${min(t.top)} |`);
