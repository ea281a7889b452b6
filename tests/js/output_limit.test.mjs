// A result larger than a JS string can hold is refused with `output.tooLarge`, not V8's bare
// error, and the module keeps working. V8 refuses strings of more than ~512 MB, which a real
// result reaches only with gigabytes of memory, so this file (its own process under
// `node --test`) loads the package under a TextDecoder that refuses what V8 would, from 256 KB.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const LIMIT = 256 * 1024;
const Decoder = globalThis.TextDecoder;
globalThis.TextDecoder = class extends Decoder {
  decode(bytes, options) {
    if (bytes !== undefined && bytes.length > LIMIT) {
      // What Node throws past its maximum string length.
      throw Object.assign(new Error("Cannot create a string longer than 0x1fffffe8 characters"), { code: "ERR_STRING_TOO_LONG" });
    }
    return super.decode(bytes, options);
  }
};

const require = createRequire(import.meta.url);
const engine = require("../../pkg/node/siren_engine.js");
const root = new URL("../../", import.meta.url);
const cases = JSON.parse(readFileSync(new URL("tests/data/preview_cases.json", root), "utf8")).cases;
const base = cases.find((c) => c.name === "siren-top-score-wins").input;

const sharedRecipe = structuredClone(base.recipe);
sharedRecipe.distributors[base.distributorKey].distributionResolver = "sharedEngagementPool";
// Thirty years of monthly cycles: their JSON text (each cycle's window, revenue and explanation)
// passes the limit, while the lists that cross apart from it stay small.
const { at: _at, window: _window, ...simulateBase } = base;
const decades = (years) => ({ ...simulateBase, start: "2026-01-01T00:00:00Z", end: `${2026 + years}-01-01T00:00:00Z` });

function assertTooLarge(fn) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.code, "output.tooLarge");
    assert.equal(e.path, "");
    assert.match(e.message, /^The result is \d+ bytes of JSON, more than a JS string can hold; list fewer collaborators with `top`, or simulate fewer cycles/);
    return true;
  });
}

test("a result past the string limit throws output.tooLarge, and a smaller one still works", () => {
  assertTooLarge(() => engine.simulate(decades(30)));
  assert.equal(engine.simulate(decades(10)).cycles.length, 120);
});

test("the same from a loaded Engine, which keeps its records", () => {
  const { events, transactions, ...rest } = decades(30);
  const handle = new engine.Engine();
  handle.loadEvents(events);
  handle.loadTransactions(transactions);
  assertTooLarge(() => handle.simulate(rest));
  assert.equal(handle.simulate({ ...rest, end: "2036-01-01T00:00:00Z" }).cycles.length, 120);
  handle.free();
});

test("lists past the string limit throw output.tooLarge too (they cross as one string)", () => {
  // 4,000 collaborators with ids of 80 characters share 5% of $100,000 equally ($1.25 each):
  // with `top: 1` the JSON is small, and the allocations' ids alone pass the limit.
  const recipe = sharedRecipe;
  const id = (i) => `${"x".repeat(80)}${i}`;
  const events = Array.from({ length: 4000 }, (_, i) => ({ collaboratorId: id(i), type: "referredSiteVisit", occurredAt: base.at }));
  const shared = { ...base, recipe, events, top: 1 };
  assert.throws(() => engine.previewScores(shared), (e) => {
    assert.equal(e.code, "output.tooLarge");
    assert.equal(e.path, "");
    assert.match(e.message, /^The result's leaderboards, explanations and allocations are \d+ bytes of text, more than a JS string can hold; list fewer collaborators with `top`/);
    return true;
  });
  // Fewer collaborators pass, and are paid what the split says.
  const fewer = engine.previewScores({ ...shared, events: events.slice(0, 2000) });
  assert.equal(fewer.allocations.length, 2000);
  assert.deepEqual(fewer.allocations[0], { collaboratorId: id(0), amount: "2.50" });
});
