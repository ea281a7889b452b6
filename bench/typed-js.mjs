// Issue 23's comparison: the bulk path against the best hand-written JavaScript over the same
// typed-array columns (bench/typed.mjs), side by side in one process, every run checked equal
// (pool, every allocation, every leaderboard score). Minimum and median of the repetitions.
//   node --max-old-space-size=8000 bench/typed-js.mjs [--quick]
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { eventColumns, transactionColumns, previewInput } from "./data.mjs";
import { typedPreview } from "./typed.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const { Engine } = createRequire(import.meta.url)(`${root}pkg/node/siren_engine.js`);
const TOP = 50;
const quick = process.argv.includes("--quick");
const CASES = [[100_000, 1_000], [1_000_000, 1_000], ...(quick ? [] : [[10_000_000, 1_000]]), [100_000, 500_000]];

const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
const min = (xs) => Math.min(...xs);
const byId = (allocations) => allocations.map((a) => [a.collaboratorId, a.amount]).sort((a, b) => (a[0] < b[0] ? -1 : 1));

/** The engine cold: new Engine, load, preview. `staged`: the events are staged
 * (`stageEvents`, filled in place, `loadStagedEvents`) instead of copied; the filling is not
 * timed, as producing the columns is not for the typed-array JS. */
function engineRun(events, tx, top, staged = false) {
  let t0 = performance.now();
  const engine = new Engine();
  if (staged) {
    const views = engine.stageEvents(events.occurredAtMs.length, true);
    const f = performance.now();
    views.collaboratorIndex.set(events.collaboratorIndex);
    views.typeIndex.set(events.typeIndex);
    views.occurredAtMs.set(events.occurredAtMs);
    views.points.set(events.points);
    t0 += performance.now() - f;
    engine.loadStagedEvents({ collaboratorIds: events.collaboratorIds, typeNames: events.typeNames });
  } else {
    engine.loadEventsColumns(events);
  }
  const t1 = performance.now();
  engine.loadTransactionsColumns(tx);
  const t2 = performance.now();
  const out = engine.preview(previewInput(undefined, top));
  const t3 = performance.now();
  engine.free();
  return { total: t3 - t0, loadEvents: t1 - t0, loadTransactions: t2 - t1, preview: t3 - t2, out };
}

const rows = [];
for (const [n, t] of CASES) {
  const events = eventColumns(n);
  const tx = transactionColumns(t);
  const reps = n >= 10_000_000 ? 3 : 5;
  const typed = [], full = [], top = [], staged = [];
  for (let rep = 0; rep <= reps; rep++) {
    const s = performance.now();
    const mine = typedPreview(previewInput(), events, tx);
    const typedMs = performance.now() - s;
    const e = engineRun(events, tx);
    const k = engineRun(events, tx, TOP);
    const z = engineRun(events, tx, undefined, true);
    // Kept honest: the same answer, every run.
    assert.equal(e.out.pool, mine.pool, "pool");
    assert.deepEqual(byId(e.out.allocations), byId(mine.allocations), "allocations");
    assert.deepEqual(e.out.leaderboard.map((x) => [x.collaboratorId, x.score]), mine.leaderboard.map((x) => [x.collaboratorId, x.score]), "leaderboard");
    assert.equal(k.out.pool, mine.pool, "pool (top)");
    assert.equal(JSON.stringify(z.out), JSON.stringify(e.out), "staged");
    if (rep === 0) continue; // warm-up
    typed.push(typedMs);
    full.push(e);
    top.push(k);
    staged.push(z);
  }
  const f = (xs) => `${min(xs).toFixed(1)} (median ${median(xs).toFixed(1)})`;
  rows.push({
    data: t > 1000 ? `${n.toLocaleString("en")} events + ${(2 * t).toLocaleString("en")} lines` : `${n.toLocaleString("en")} events`,
    typed: f(typed),
    engine: `${f(full.map((x) => x.total))}: load ${min(full.map((x) => x.loadEvents)).toFixed(1)} + ${min(full.map((x) => x.loadTransactions)).toFixed(1)}, preview ${min(full.map((x) => x.preview)).toFixed(1)}`,
    ratio: (min(typed) / min(full.map((x) => x.total))).toFixed(2),
    top: f(top.map((x) => x.total)),
    topRatio: (min(typed) / min(top.map((x) => x.total))).toFixed(2),
    staged: `${f(staged.map((x) => x.total))}: load ${min(staged.map((x) => x.loadEvents)).toFixed(1)}`,
    stagedRatio: (min(typed) / min(staged.map((x) => x.total))).toFixed(2),
  });
  console.error(`${rows.at(-1).data}: done`);
}
console.log("| data | typed-array JS, cold ms | engine: new Engine + load + preview, ms | speed × typed JS | engine, top 50, ms | speed × typed JS | engine, events staged, ms | speed × typed JS |");
console.log("|---|---|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.data} | ${r.typed} | ${r.engine} | ${r.ratio}× | ${r.top} | ${r.topRatio}× | ${r.staged} | ${r.stagedRatio}× |`);
