// Lone UTF-16 surrogates (issue 19: a name cut mid-emoji). Copied into wasm a lone surrogate
// becomes U+FFFD, so "ana\ud800" and "ana\udbff" would be one id taking the whole pool: every
// string of every input is checked at the boundary, and one holding a lone surrogate is refused
// with input.loneSurrogate at its JSON Pointer, whichever way the input arrives (objects, JSON
// text with the character or its escape, typed-array columns' string tables).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { validPreview, validRecipe, validSimulate } from "./hostile_cases.mjs";

const require = createRequire(import.meta.url);
const engine = require("../../pkg/node/index.cjs");

/** The `{code, path}` a call throws (fails when it returns). */
function thrown(call) {
  try {
    call();
  } catch (error) {
    return { code: error.code, path: error.path };
  }
  assert.fail("expected a throw");
}

const day = Date.UTC(2026, 0, 5);
const eventColumns = (collaboratorIds) => ({
  collaboratorIndex: new Uint32Array([0, 1]),
  typeIndex: new Uint16Array([0, 0]),
  occurredAtMs: new Float64Array([day, day]),
  collaboratorIds,
  typeNames: ["referredSiteVisit"],
});
const { events: _events, transactions: _transactions, ...loadedPreview } = validPreview;

test("two ids differing only in their lone surrogate are refused, not merged, and the Engine keeps working", () => {
  const e = new engine.Engine();
  assert.deepEqual(thrown(() => e.loadEventsColumns(eventColumns(["ana\ud800", "ana\udbff"]))), { code: "input.loneSurrogate", path: "/events/collaboratorIds/0" });
  assert.deepEqual(thrown(() => e.loadEventsColumns(eventColumns(["ana", "\udc00ben"]))), { code: "input.loneSurrogate", path: "/events/collaboratorIds/1" });
  // A pair split across two neighbouring ids is two lone surrogates, not one character.
  assert.deepEqual(thrown(() => e.loadEventsColumns(eventColumns(["ana\ud83d", "\ude00"]))), { code: "input.loneSurrogate", path: "/events/collaboratorIds/0" });
  e.loadEventsColumns(eventColumns(["ana😀", "ben"]));
  assert.equal(e.eventCount, 2);
  const leaders = e.preview(loadedPreview).leaderboard.map((row) => row.collaboratorId);
  assert.deepEqual(leaders.sort(), ["ana😀", "ben"]);
  e.free();
});

test("string lists of the transaction columns are checked to the item", () => {
  const e = new engine.Engine();
  const columns = {
    transactionIds: ["t1"], occurredAtMs: new Float64Array([day]), amountScale: 2,
    lineTransactionIndex: new Uint32Array([0, 0]), lineTypeIndex: new Uint8Array([0, 0]), lineAmount: new Float64Array([100, 200]),
    lineCategories: [["books"], ["music", "jazz\udfff"]],
  };
  assert.deepEqual(thrown(() => e.loadTransactionsColumns(columns)), { code: "input.loneSurrogate", path: "/transactions/lineCategories/1/1" });
  assert.deepEqual(thrown(() => e.loadTransactionsColumns({ ...columns, lineCategories: undefined, transactionIds: ["t\ud800"] })), { code: "input.loneSurrogate", path: "/transactions/transactionIds/0" });
  e.loadTransactionsColumns({ ...columns, lineCategories: [["books"], ["music", "jazz"]] });
  assert.equal(e.transactionCount, 1);
  e.free();
});

test("objects: the error is at the value, not a whole input refused at the root", () => {
  const events = [validSimulate.events[0], { ...validSimulate.events[0], id: "e2", collaboratorId: "ana\ud800" }];
  assert.deepEqual(thrown(() => engine.previewScores({ ...validPreview, events })), { code: "input.loneSurrogate", path: "/events/1/collaboratorId" });
  assert.deepEqual(thrown(() => engine.nextRuns({ schedule: ["+1 day", "+1 hour\udbff"], from: "2026-01-01T00:00:00Z", count: 2 })), { code: "input.loneSurrogate", path: "/schedule/1" });
  // Only in a display text: still at that value.
  const report = engine.validateRecipe({ ...validRecipe, description: "Pays \ud83d" });
  assert.equal(report.valid, false);
  assert.deepEqual(report.errors.map(({ code, path }) => ({ code, path })), [{ code: "input.loneSurrogate", path: "/description" }]);
  // A member name: the path shows it with U+FFFD (a JSON Pointer is text).
  const named = engine.validateRecipe({ ...validRecipe, distributors: { ["monthly\udc00"]: validRecipe.distributors.monthly } });
  assert.deepEqual(named.errors.map(({ code, path }) => ({ code, path })), [{ code: "input.loneSurrogate", path: "/distributors/monthly\ufffd" }]);
  const e = new engine.Engine();
  assert.deepEqual(thrown(() => e.loadEvents(events)), { code: "input.loneSurrogate", path: "/events/1/collaboratorId" });
  e.loadEvents(validSimulate.events);
  assert.equal(e.eventCount, 1);
  e.free();
});

test("JSON text: the character itself or its escape, at the value; a well-formed text is untouched", () => {
  const text = JSON.stringify({ ...validRecipe, name: "Hostile" });
  const raw = text.replace('"Hostile"', '"Host\ud800ile"');
  const escaped = text.replace('"Hostile"', '"Host\\uD800ile"');
  for (const input of [raw, escaped]) {
    const report = engine.validateRecipe(input);
    assert.deepEqual(report.errors.map(({ code, path }) => ({ code, path })), [{ code: "input.loneSurrogate", path: "/name" }], input);
  }
  // An escaped pair is one character; a backslash followed by "ud800" is text.
  for (const name of ["Host\\ud83d\\ude00ile", "Host\\\\ud800ile"]) {
    const report = engine.validateRecipe(text.replace('"Hostile"', `"${name}"`));
    assert.equal(report.valid, true, name);
  }
  assert.equal(engine.validateRecipe({ ...validRecipe, name: "Host\\ud800ile" }).valid, true);
});
