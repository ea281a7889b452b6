// Staged events (`Engine.stageEvents` + `loadStagedEvents`): columns handed out as typed arrays
// over the engine's memory, filled in place and loaded without a copy, give exactly what
// `loadEventsColumns` gives for the same columns, with the same located errors; misuse (nothing
// staged, memory grown in between, a bad count) is a coded error and the handle keeps working.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { eventColumns, transactionColumns, previewInput } from "../../bench/data.mjs";

const require = createRequire(import.meta.url);
const engine = require("../../pkg/node/siren_engine.js");
const root = new URL("../../", import.meta.url);
const base = JSON.parse(readFileSync(new URL("tests/data/preview_cases.json", root), "utf8")).cases.find((c) => c.name === "siren-top-score-wins").input;

const N = 20_000;
const columns = eventColumns(N);
const tx = transactionColumns(200);

/** Stages `source`'s typed columns into `handle`, as a caller filling them in place would. */
function stage(handle, source, withPoints = true) {
  const views = handle.stageEvents(source.occurredAtMs.length, withPoints);
  views.collaboratorIndex.set(source.collaboratorIndex);
  views.typeIndex.set(source.typeIndex);
  views.occurredAtMs.set(source.occurredAtMs);
  if (withPoints) views.points.set(source.points);
  return views;
}

function assertThrowsCode(fn, code, path) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, String(e));
    assert.equal(e.code, code, e.message);
    assert.equal(e.path, path, e.message);
    return true;
  });
}

test("staged columns preview exactly as the same columns loaded by copy", () => {
  const copied = new engine.Engine();
  copied.loadEventsColumns(columns);
  copied.loadTransactionsColumns(tx);
  const staged = new engine.Engine();
  const views = staged.stageEvents(N, true);
  assert.deepEqual([views.collaboratorIndex.constructor, views.typeIndex.constructor, views.occurredAtMs.constructor, views.points.constructor], [Uint32Array, Uint16Array, Float64Array, Float64Array]);
  assert.equal(views.occurredAtMs.length, N);
  // Zeroed, points NaN: what a caller does not write is no event's points.
  assert.equal(views.collaboratorIndex.reduce((a, b) => a + b, 0), 0);
  assert.ok(views.points.every(Number.isNaN));
  stage(staged, columns);
  staged.loadStagedEvents({ collaboratorIds: columns.collaboratorIds, typeNames: columns.typeNames });
  staged.loadTransactionsColumns(tx);
  assert.equal(staged.eventCount, N);
  for (const top of [undefined, 5]) {
    assert.equal(JSON.stringify(staged.preview(previewInput(undefined, top))), JSON.stringify(copied.preview(previewInput(undefined, top))));
  }
  // Without points, and with event ids.
  const eventIds = Array.from({ length: N }, (_, i) => (i % 3 ? `e${i}` : null));
  const points = columns.points;
  const noManual = { ...columns, typeIndex: columns.typeIndex.map((k) => (k === 4 ? 0 : k)), points: undefined, eventIds };
  copied.loadEventsColumns(noManual);
  stage(staged, noManual, false);
  staged.loadStagedEvents({ collaboratorIds: columns.collaboratorIds, typeNames: columns.typeNames, eventIds });
  assert.equal(JSON.stringify(staged.preview(previewInput())), JSON.stringify(copied.preview(previewInput())));
  assert.ok(points.some((p) => !Number.isNaN(p)));
  copied.free();
  staged.free();
});

test("staged columns are refused where the copied ones are, at the same entry", () => {
  const handle = new engine.Engine();
  handle.loadEventsColumns(columns);
  const tables = { collaboratorIds: columns.collaboratorIds, typeNames: columns.typeNames };
  const cases = [
    ["typeIndex", 7, 9, "events.indexOutOfRange", "/events/typeIndex/7"],
    ["collaboratorIndex", 12, 5000, "events.indexOutOfRange", "/events/collaboratorIndex/12"],
    ["occurredAtMs", 3, 0.5, "time.invalidTimestamp", "/events/occurredAtMs/3"],
    ["points", 0, 5, "events.unexpectedPoints", "/events/points/0"],
  ];
  for (const [name, at, value, code, path] of cases) {
    const bad = { ...columns, [name]: columns[name].slice() };
    bad[name][at] = value;
    if (name === "points") bad.typeIndex = columns.typeIndex.map((k, i) => (i === 0 ? 0 : k));
    assertThrowsCode(() => handle.loadEventsColumns(bad), code, path);
    stage(handle, bad);
    assertThrowsCode(() => handle.loadStagedEvents(tables), code, path);
    // A failed load leaves the loaded events as they were, and used the staging up.
    assert.equal(handle.eventCount, N);
    assertThrowsCode(() => handle.loadStagedEvents(tables), "engine.notStaged", "");
  }
  // Bad tables are refused before the columns are taken: the staging stays.
  stage(handle, columns);
  assertThrowsCode(() => handle.loadStagedEvents({ collaboratorIds: "c1", typeNames: columns.typeNames }), "input.wrongType", "/events/collaboratorIds");
  assertThrowsCode(() => handle.loadStagedEvents(null), "input.wrongType", "/events");
  handle.loadStagedEvents(tables);
  assert.equal(handle.eventCount, N);
  handle.free();
});

test("views of a staging that ended write nowhere: loaded, staged again, freed, or another's ended", () => {
  const tables = { collaboratorIds: columns.collaboratorIds, typeNames: columns.typeNames };
  const handle = new engine.Engine();
  handle.loadTransactionsColumns(tx);
  const views = stage(handle, columns);
  handle.loadStagedEvents(tables);
  const before = JSON.stringify(handle.preview(previewInput()));
  // Loaded: the views are detached, so writing through them changes nothing the engine holds.
  assert.equal(views.collaboratorIndex.length, 0);
  for (let i = 0; i < 100; i++) {
    views.collaboratorIndex[i] = 4999;
    views.occurredAtMs[i] = NaN;
  }
  assert.equal(views.collaboratorIndex[0], undefined);
  assert.equal(JSON.stringify(handle.preview(previewInput([2, 5, 10, 2, 3]))), JSON.stringify(handle.preview(previewInput([2, 5, 10, 2, 3]))));
  assert.equal(JSON.stringify(handle.preview(previewInput())), before);
  // Memory the load itself takes (a large table of ids) loses nothing: the columns were filled.
  const many = Array.from({ length: 400_000 }, (_, i) => `collaborator-${i}`);
  const small = stage(handle, columns);
  const memoryBefore = engine.__memory()[2];
  handle.loadStagedEvents({ collaboratorIds: [...columns.collaboratorIds, ...many], typeNames: columns.typeNames });
  assert.ok(engine.__memory()[2] > memoryBefore, "the load grew the memory");
  assert.equal(small.occurredAtMs.length, 0);
  assert.equal(handle.eventCount, N);
  // Staged again: the earlier views die with the columns they showed.
  const first = handle.stageEvents(10);
  const second = handle.stageEvents(10);
  assert.equal(first.occurredAtMs.length, 0);
  assert.equal(second.occurredAtMs.length, 10);
  // Another engine's staging ending detaches these views too: the load refuses them rather than
  // load what was written to nowhere.
  const other = new engine.Engine();
  other.stageEvents(5);
  other.free();
  assert.equal(second.occurredAtMs.length, 0);
  assertThrowsCode(() => handle.loadStagedEvents({ collaboratorIds: ["a"], typeNames: ["manual"] }), "input.detached", "/events");
  // Freed with a staging: its views are detached.
  const last = handle.stageEvents(10);
  handle.free();
  assert.equal(last.occurredAtMs.length, 0);
});

test("misuse is a coded error, and the handle keeps working", () => {
  const handle = new engine.Engine();
  const tables = { collaboratorIds: ["a"], typeNames: ["manual"] };
  assertThrowsCode(() => handle.loadStagedEvents(tables), "engine.notStaged", "");
  for (const count of [-1, 1.5, NaN, Infinity, "10", null, undefined, {}, 10n]) {
    assertThrowsCode(() => handle.stageEvents(count), "input.wrongType", "/count");
  }
  assertThrowsCode(() => handle.stageEvents(20_000_001), "input.tooLarge", "/count");
  // Memory grown after staging detached the arrays: refused, not loaded half written.
  const views = handle.stageEvents(1000);
  const other = new engine.Engine();
  other.stageEvents(5_000_000, true);
  assert.equal(views.occurredAtMs.length, 0, "the views were detached");
  assertThrowsCode(() => handle.loadStagedEvents(tables), "input.detached", "/events");
  assertThrowsCode(() => handle.loadStagedEvents(tables), "engine.notStaged", "");
  other.free();
  // Staging again replaces the staged columns; nothing staged loads nothing.
  handle.stageEvents(3);
  const empty = handle.stageEvents(0);
  assert.equal(empty.occurredAtMs.length, 0);
  assert.equal(empty.points, undefined);
  handle.loadStagedEvents(tables);
  assert.equal(handle.eventCount, 0);
  // One event, filled by hand.
  const one = handle.stageEvents(1, true);
  one.occurredAtMs[0] = Date.parse(base.at);
  one.points[0] = 7;
  handle.loadStagedEvents(tables);
  handle.loadTransactions(base.transactions);
  const { events, transactions, ...rest } = base;
  const preview = handle.preview(rest);
  assert.deepEqual(preview.leaderboard.map((e) => [e.collaboratorId, e.score]), [["a", 7]]);
  handle.free();
});
