// The long lists of an output (leaderboards, the scoring explanations' collaborators,
// allocations) cross into JS apart from its JSON text and are rebuilt there (src/taken.rs,
// `restoreLists` in js/convert.js). Rebuilt, they must be what JSON.parse of the native JSON
// gives: compared byte for byte with `cargo xtask engine`, on names JS objects treat specially
// (`__proto__`, `toString`, an array index) and on text outside ASCII (UTF-16 lengths).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const engine = require("../../pkg/node/siren_engine.js");
const root = fileURLToPath(new URL("../../", import.meta.url));
const base = JSON.parse(readFileSync(`${root}tests/data/preview_cases.json`, "utf8")).cases.find((c) => c.name === "siren-top-score-wins").input;

// `{__proto__: 3}` in a literal would set the prototype; the member is made as JSON.parse makes it.
const engagementTypes = JSON.parse('{"__proto__": 3, "toString": 2, "7": 4, "événement": 1, "manual": 0}');
const ids = ["ana", "👩‍💻 dev", "zoë", "x".repeat(300), "\u2028line"];
const types = Object.keys(engagementTypes);
const events = Array.from({ length: 60 }, (_, i) => ({
  id: `e${i}-ü`,
  collaboratorId: ids[i % ids.length],
  type: types[(i * 7) % types.length],
  occurredAt: `2026-03-${String(1 + (i % 28)).padStart(2, "0")}T10:00:00Z`,
  ...(types[(i * 7) % types.length] === "manual" ? { points: i } : {}),
}));
const input = { ...base, config: { ...base.config, engagementTypes }, events };
const shared = structuredClone(input);
shared.recipe.distributors[base.distributorKey].distributionResolver = "performanceSharedPool";

function native(operation, value) {
  const run = spawnSync("cargo", ["run", "--quiet", "--package", "xtask", "--", "engine", operation], { cwd: root, input: JSON.stringify(value), encoding: "utf8", maxBuffer: 1 << 26 });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trimEnd();
}

test("previews rebuild leaderboards, explanations and allocations as the native JSON has them", () => {
  for (const value of [input, shared]) {
    const out = engine.previewScores(value);
    assert.equal(JSON.stringify(out), native("previewScores", value));
    // `__proto__` is a member, as JSON.parse makes it, and no prototype was set.
    const entry = out.leaderboard.find((e) => Object.hasOwn(e.breakdown, "__proto__"));
    assert.ok(entry, "someone scored under __proto__");
    assert.equal(Object.getPrototypeOf(entry.breakdown), Object.prototype);
    assert.deepEqual(Object.keys(entry.breakdown), ["7", "__proto__", "manual", "toString", "événement"].filter((k) => Object.hasOwn(entry.breakdown, k)));
    assert.equal(out.explanation.scoring.collaborators.length, ids.length);
    // A loaded Engine gives the same.
    const { events: loaded, transactions, ...rest } = value;
    const handle = new engine.Engine();
    handle.loadEvents(loaded);
    handle.loadTransactions(transactions);
    assert.equal(JSON.stringify(handle.preview(rest)), JSON.stringify(out));
    assert.equal(JSON.stringify(handle.preview({ ...rest, top: 2 })), JSON.stringify(engine.previewScores({ ...value, top: 2 })));
    handle.free();
  }
});

test("simulations and comparisons rebuild every cycle's lists as the native JSON has them", () => {
  const { at, window, ...rest } = shared;
  const year = { ...rest, start: "2026-01-01T00:00:00Z", end: "2026-06-01T00:00:00Z" };
  assert.equal(JSON.stringify(engine.simulate(year)), native("simulate", year));
  const variant = { config: { ...year.config, engagementTypes: { ...engagementTypes, toString: 20 } } };
  const comparison = { base: year, variant };
  assert.equal(JSON.stringify(engine.compare(comparison)), native("compare", comparison));
});

test("a setter on Object.prototype named like a type is not called, and the type is a member", () => {
  let called = 0;
  Object.defineProperty(Object.prototype, "événement", { set() { called++; }, get() { return "inherited"; }, configurable: true });
  try {
    const out = engine.previewScores(input);
    assert.equal(called, 0);
    const entry = out.leaderboard.find((e) => Object.hasOwn(e.breakdown, "événement"));
    assert.equal(typeof entry.breakdown["événement"], "number");
  } finally {
    delete Object.prototype["événement"];
  }
  assert.equal(JSON.stringify(engine.previewScores(input)), native("previewScores", input));
});

test("numbers either side of 32 bits are rebuilt exactly (small integers kept as such, larger ones as doubles)", () => {
  // Manual credits make scores, breakdowns, counts, weights and remainders of every size up to 2^53 − 1.
  const points = [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32 + 1, 2 ** 52 + 3, 2 ** 53 - 1 - (2 ** 52 + 3) - (2 ** 32 + 1) - (2 ** 32 - 1) - 2 ** 31 - (2 ** 31 - 1) - 1];
  const big = {
    ...shared,
    events: points.map((p, i) => ({ id: `big${i}`, collaboratorId: `c${i}`, type: "manual", occurredAt: "2026-03-02T10:00:00Z", points: p })),
  };
  const out = engine.previewScores(big);
  assert.equal(JSON.stringify(out), native("previewScores", big));
  const scores = out.leaderboard.map((e) => e.score).sort((a, b) => a - b);
  assert.deepEqual(scores, [...points].sort((a, b) => a - b));
  for (const e of out.leaderboard) assert.equal(e.breakdown.manual ?? 0, e.score);
  assert.ok(out.explanation.allocation.shares.some((s) => s.weight > 2 ** 32 && Number.isSafeInteger(s.weight)));
});
