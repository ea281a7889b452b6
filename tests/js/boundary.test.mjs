// The JS boundary of the built package (issue 19), in Node: typed arrays the caller tampered
// with (detached, overridden `length`, subclasses, Proxies, 2^32 − 1 entries) are Errors with a
// code and a path, never a JS exception through the wasm frames; long loops of failing loads
// leave wasm memory flat and every function answering; calls made with little JS stack left give
// their result or `resources.stackExhausted`; and a seeded fuzzer of hostile JS values over every
// exported function and Engine method.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { runInNewContext } from "node:vm";
import v8 from "node:v8";
import initWeb, * as web from "../../pkg/web/siren_engine.js";
import { validRecipe, validConfig, validSimulate, validPreview, judge } from "./hostile_cases.mjs";

const require = createRequire(import.meta.url);
const root = new URL("../../", import.meta.url);
/** wasm-bindgen's Node build as it is, and the package's entry (its guards around it). */
const raw = require("../../pkg/node/siren_engine.js");
const entry = require("../../pkg/node/index.cjs");
/** The web build's instance: its exports include the `WebAssembly.Memory`. */
const webWasm = await initWeb({ module_or_path: readFileSync(new URL("pkg/web/siren_engine_bg.wasm", root)) });
v8.setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");

/** Every code docs/diagnostics.md documents. */
const CODES = new Set([...readFileSync(new URL("docs/diagnostics.md", root), "utf8").matchAll(/^\| `([a-zA-Z]+\.[A-Za-z]+)` \|/gm)].map((m) => m[1]));

/** xorshift32: the same sequence everywhere, so a failure names a reproducible seed. */
function rng(seed) {
  let s = seed >>> 0 || 1;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
  return { next, int: (n) => next() % n, pick: (a) => a[next() % a.length], chance: (p) => next() / 2 ** 32 < p };
}

const detached = (array) => (structuredClone(array.buffer, { transfer: [array.buffer] }), array);
const day = Date.UTC(2026, 0, 5);
/** One valid event, and one sale of 19.99, as columns, with `over` replacing some. */
const eventColumns = (over = {}) => ({ collaboratorIndex: new Uint32Array([0]), typeIndex: new Uint16Array([0]), occurredAtMs: new Float64Array([day]), collaboratorIds: ["ana"], typeNames: ["referredSiteVisit"], ...over });
const transactionColumns = (over = {}) => ({ transactionIds: ["t1"], occurredAtMs: new Float64Array([day]), amountScale: 2, lineTransactionIndex: new Uint32Array([0]), lineTypeIndex: new Uint8Array([0]), lineAmount: new Float64Array([1999]), ...over });
/** The simulate input of an Engine with loaded records. */
const { events: _events, transactions: _transactions, ...loadedInput } = validSimulate;
const { events: _previewEvents, transactions: _previewTransactions, ...previewInput } = validPreview;
const expectedRecipeReport = JSON.stringify(raw.validateRecipe(validRecipe));

/** Asserts `call` throws an Error with `code` and `path`. */
function throwsCoded(call, code, path, what) {
  assert.throws(call, (e) => {
    assert.ok(e instanceof Error, `${what}: threw a non-Error ${String(e)}`);
    assert.equal(e.code, code, `${what}: ${e.message}`);
    assert.equal(e.path, path, `${what}: ${e.message}`);
    return true;
  }, what);
}

/** The module still answers: validation, the object path, and a fresh Engine's load, preview,
 * simulate and compare. */
function assertAnswers(engine, label) {
  assert.equal(JSON.stringify(engine.validateRecipe(validRecipe)), expectedRecipeReport, `${label}: validateRecipe`);
  assert.equal(engine.validateDistributorConfig(validConfig).valid, true, `${label}: validateDistributorConfig`);
  assert.equal(engine.nextRuns({ schedule: ["+1 day"], from: "2026-01-01T00:00:00Z", count: 2 }).length, 2, `${label}: nextRuns`);
  assert.equal(engine.simulate(validSimulate).totals.allocated, "5.00", `${label}: simulate`);
  assert.ok(engine.previewScores(validPreview).pool, `${label}: previewScores`);
  assert.equal(typeof engine.version(), "string", `${label}: version`);
  const handle = new engine.Engine();
  handle.loadEventsColumns(eventColumns());
  handle.loadTransactionsColumns(transactionColumns());
  assert.equal(handle.simulate(loadedInput).totals.allocated, "1.00", `${label}: Engine.simulate`);
  handle.loadEvents(validSimulate.events);
  handle.loadTransactions(validSimulate.transactions);
  assert.equal(handle.simulate(loadedInput).totals.allocated, "5.00", `${label}: Engine.simulate`);
  assert.equal(handle.preview(previewInput).pool, "5.00", `${label}: Engine.preview`);
  assert.equal(handle.compare({ base: loadedInput, variant: { revenuePercentage: 10 } }).variant.totals.allocated, "10.00", `${label}: Engine.compare`);
  handle.free();
}

// ---------------------------------------------------------------------------------------------
// The reproductions of issue 19, each through the raw build, the package entry and the web build.

/** `[what, load(engine), code, path]`: each failed before with an uncoded JS error, a trap, or an
 * Engine that answered "recursive use of an object detected" for good. */
const TAMPERED = [
  ["a column whose buffer was transferred", (e) => e.loadEventsColumns(eventColumns({ collaboratorIndex: detached(new Uint32Array([0])) })), "input.detached", "/events/collaboratorIndex"],
  ["points whose buffer was transferred", (e) => e.loadEventsColumns(eventColumns({ points: detached(new Float64Array([1])) })), "input.detached", "/events/points"],
  ["a transaction column whose buffer was transferred", (e) => e.loadTransactionsColumns(transactionColumns({ lineAmount: detached(new Float64Array([1])) })), "input.detached", "/transactions/lineAmount"],
  ["transaction ids whose buffer was transferred", (e) => e.loadTransactionsColumns(transactionColumns({ transactionIds: detached(new Float64Array([1])) })), "input.detached", "/transactions/transactionIds"],
  ["JSON bytes whose buffer was transferred (loadEvents)", (e) => e.loadEvents(detached(new TextEncoder().encode("[]"))), "input.detached", "/events"],
  ["JSON bytes whose buffer was transferred (loadTransactions)", (e) => e.loadTransactions(detached(new TextEncoder().encode("[]"))), "input.detached", "/transactions"],
  ["a column posted to a port", (e) => { const a = new Uint32Array([0]); const { port1, port2 } = new MessageChannel(); port1.postMessage(a, [a.buffer]); port1.close(); port2.close(); e.loadEventsColumns(eventColumns({ collaboratorIndex: a })); }, "input.detached", "/events/collaboratorIndex"],
  ["a Uint32Array subclass whose length is 2^32 − 1", (e) => e.loadEventsColumns(eventColumns({ collaboratorIndex: new (class extends Uint32Array { get length() { return 2 ** 32 - 1; } })(1) })), "input.wrongType", "/events/collaboratorIndex"],
  ["a Uint32Array subclass whose length throws", (e) => e.loadEventsColumns(eventColumns({ collaboratorIndex: new (class extends Uint32Array { get length() { throw new Error("length"); } })(1) })), "input.wrongType", "/events/collaboratorIndex"],
  ["a Proxy of a Uint16Array", (e) => e.loadEventsColumns(eventColumns({ typeIndex: new Proxy(new Uint16Array(1), {}) })), "input.wrongType", "/events/typeIndex"],
  ["a typed array of the wrong kind", (e) => e.loadTransactionsColumns(transactionColumns({ lineTypeIndex: new Int8Array(1) })), "input.wrongType", "/transactions/lineTypeIndex"],
  ["a view out of bounds of its shrunk buffer", (e) => { const b = new ArrayBuffer(16, { maxByteLength: 16 }); const a = new Uint32Array(b, 8, 2); b.resize(4); e.loadEventsColumns(eventColumns({ collaboratorIndex: a })); }, "input.detached", "/events/collaboratorIndex"],
  ["packed ids whose lengths' buffer was transferred", (e) => e.loadEventsColumns(eventColumns({ collaboratorIds: { text: "a", lengths: detached(Uint32Array.of(1)) } })), "input.detached", "/events/collaboratorIds"],
  ["packed ids whose text getter throws", (e) => e.loadEventsColumns(eventColumns({ collaboratorIds: { get text() { throw new Error("text"); }, lengths: Uint32Array.of(1) } })), "input.wrongType", "/events/collaboratorIds"],
  ["packed ids whose lengths pass the text's end", (e) => e.loadEventsColumns(eventColumns({ collaboratorIds: { text: "a", lengths: Uint32Array.of(0xfffffffe) } })), "input.wrongType", "/events/collaboratorIds"],
  ["packed ids of 2^32 − 1 lengths", (e) => e.loadEventsColumns(eventColumns({ collaboratorIds: { text: "", lengths: new (class extends Uint32Array { get length() { return 2 ** 32 - 1; } })(1) } })), "input.wrongType", "/events/collaboratorIds"],
  ["a string column of 2^32 − 1 entries", (e) => e.loadEventsColumns(eventColumns({ collaboratorIds: Object.assign([], { length: 2 ** 32 - 1 }) })), "input.tooLarge", "/events/collaboratorIds"],
  ["JSON text longer than the limit", (e) => e.loadEvents(" ".repeat(2 ** 28 + 1)), "input.tooLarge", "/events"],
];

for (const [name, module] of [["raw Node build", raw], ["package entry", entry], ["web build", web]]) {
  test(`${name}: every reproduction of issue 19 is a coded Error, on a fresh Engine and on one used before, which keep loading`, () => {
    const shared = new module.Engine();
    for (const [what, load, code, path] of TAMPERED) {
      const fresh = new module.Engine();
      throwsCoded(() => load(fresh), code, path, `${what} (fresh)`);
      fresh.loadEventsColumns(eventColumns());
      assert.equal(fresh.eventCount, 1, what);
      fresh.free();
      throwsCoded(() => load(shared), code, path, `${what} (shared)`);
      shared.loadEventsColumns(eventColumns());
      assert.equal(shared.simulate(loadedInput).cycles.length, 2, what);
    }
    // An own `length` on an exact typed array is not what is read: the real one is.
    for (const length of [{ get() { throw new Error("length"); } }, { value: 2 ** 32 - 1 }]) {
      shared.loadEventsColumns(eventColumns({ collaboratorIndex: Object.defineProperty(new Uint32Array([0]), "length", length) }));
      assert.equal(shared.eventCount, 1);
      shared.loadEvents(Object.defineProperty(new TextEncoder().encode(JSON.stringify(validSimulate.events)), "length", length));
      assert.equal(shared.eventCount, 1);
    }
    // A Uint8Array subclass (Node's Buffer is one) is read for its bytes.
    shared.loadTransactions(Buffer.from(JSON.stringify(validSimulate.transactions)));
    assert.equal(shared.transactionCount, 1);
    shared.free();
    assertAnswers(module, name);
  });
}

// ---------------------------------------------------------------------------------------------
// Long loops of failing loads: linear memory stays flat and every function answers.

/** Loads that fail, each a different way (a coded Error every time). */
const FAILING = [
  (e) => e.loadEventsColumns(eventColumns({ collaboratorIndex: detached(new Uint32Array([0])) })),
  (e) => e.loadEvents(detached(new TextEncoder().encode("[]"))),
  (e) => e.loadEventsColumns(eventColumns({ occurredAtMs: new Float32Array([day]) })),
  (e) => e.loadEventsColumns({ ...eventColumns(), get typeNames() { throw new Error("getter"); } }),
  (e) => e.loadEventsColumns(eventColumns({ occurredAtMs: new Float64Array([NaN]) })),
  (e) => e.loadEventsColumns(eventColumns({ collaboratorIds: Object.assign([], { length: 2 ** 32 - 1 }) })),
  (e) => e.loadTransactionsColumns(transactionColumns({ lineTransactionIndex: new Uint32Array([9]) })),
  (e) => e.loadTransactions('[{"id": "t", "occurredAt": "2026-01-05T00:00:00Z", "total": "1e30"}]'),
  (e) => e.loadEvents([{ id: "e", collaboratorId: "ana", type: "x", occurredAt: "2026-01-05" }]),
];

/** Lets the FinalizationRegistry free what the collector found unreachable. */
async function settle() {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test("20,000 failing loads, on fresh handles freed, on fresh handles left to the FinalizationRegistry, and on one handle: wasm memory flat, every function answers", async () => {
  const memory = () => webWasm.memory.buffer.byteLength;
  const sizes = {};
  for (const mode of ["freed", "finalized", "one handle"]) {
    const shared = new web.Engine();
    let failures = 0;
    const round = (n) => {
      for (let i = 0; i < n; i++) {
        const engine = mode === "one handle" ? shared : new web.Engine();
        try {
          FAILING[i % FAILING.length](engine);
        } catch (e) {
          assert.ok(CODES.has(e.code) && typeof e.path === "string", `${mode}: ${e.code}: ${e.message}`);
          failures++;
        }
        if (mode === "freed") engine.free();
      }
    };
    const before = memory();
    round(5_000);
    await settle();
    const afterFirst = memory();
    for (let r = 0; r < 3; r++) {
      round(5_000);
      await settle();
    }
    const after = memory();
    sizes[mode] = { before, afterFirst, after };
    assert.equal(failures, 20_000, mode);
    // It may grow once (the first round, as the allocator grows by at least a quarter), never
    // with the number of failed loads.
    assert.equal(after, afterFirst, `${mode}: memory grew from ${afterFirst} to ${after} bytes over 15,000 more failed loads`);
    assert.equal(shared.simulate(loadedInput).cycles.length, 2, `${mode}: the shared handle`);
    shared.free();
    assertAnswers(web, mode);
  }
  // The raw Node build and the package entry too (their memory is not exported): they answer.
  for (const [name, module] of [["raw Node build", raw], ["package entry", entry]]) {
    const shared = new module.Engine();
    for (let i = 0; i < 5_000; i++) {
      assert.throws(() => FAILING[i % FAILING.length](shared), (e) => CODES.has(e.code));
      assert.throws(() => FAILING[i % FAILING.length](new module.Engine()), (e) => CODES.has(e.code));
    }
    assertAnswers(module, name);
  }
  test.diagnostic?.(JSON.stringify(sizes));
});

// ---------------------------------------------------------------------------------------------
// Little JS stack left: the correct result or `resources.stackExhausted`.

const NOTHING = () => undefined;
const KIB = new Array(128).fill(0); // 1 KiB of arguments
/** Whether `kib` KiB of stack are left here. */
function stackLeft(kib) {
  try {
    for (let i = 0; i < kib; i += 8) Reflect.apply(NOTHING, undefined, i + 8 <= kib ? EIGHT_KIB : KIB);
    return true;
  } catch {
    return false;
  }
}
const EIGHT_KIB = new Array(1024).fill(0);

/**
 * Where a RangeError that escaped a call was thrown, from its stack: `before` the call (the
 * caller's own frame could not make it), `at the call` (in the package's JS, before it entered
 * wasm: harmless, like a RangeError from any JS function called with no stack left), or `inside`:
 * through wasm frames, which a JS exception must never cross.
 */
function whereThrown(error) {
  const frames = [];
  for (const line of String(error.stack).split("\n").slice(1)) {
    if (line.includes("boundary.test.mjs")) break;
    frames.push(line.trim());
  }
  if (frames.length === 0) return "before";
  return frames.some((frame) => frame.includes("wasm://")) ? "inside" : "at the call";
}

/** Every function and Engine method with an input it answers; results compared as JSON. */
function stackCalls(module) {
  const engine = new module.Engine();
  engine.loadEvents(validSimulate.events);
  engine.loadTransactions(validSimulate.transactions);
  const deepRecipe = { ...validRecipe, extra: JSON.parse("[".repeat(126) + "]".repeat(126)) };
  const tooDeep = { ...validRecipe, extra: JSON.parse("[".repeat(130) + "]".repeat(130)) };
  const recipeText = JSON.stringify(validRecipe);
  return [
    ["validateRecipe", () => module.validateRecipe(validRecipe)],
    ["validateRecipe(text)", () => module.validateRecipe(recipeText)],
    ["validateRecipe(127 levels)", () => module.validateRecipe(deepRecipe)],
    ["validateRecipe(131 levels)", () => module.validateRecipe(tooDeep)],
    ["validateDistributorConfig", () => module.validateDistributorConfig(validConfig)],
    ["nextRuns", () => module.nextRuns({ schedule: ["+1 day"], from: "2026-01-01T00:00:00Z", count: 3 })],
    ["previewScores", () => module.previewScores(validPreview)],
    ["simulate", () => module.simulate(validSimulate)],
    ["compare", () => module.compare({ base: validSimulate, variant: { revenuePercentage: 10 } })],
    ["version", () => module.version()],
    ["new Engine", () => typeof new module.Engine()],
    ["Engine.loadEvents", () => engine.loadEvents(validSimulate.events)],
    ["Engine.loadEventsColumns", () => engine.loadEventsColumns(eventColumns())],
    ["Engine.loadTransactions", () => engine.loadTransactions(validSimulate.transactions)],
    ["Engine.loadTransactionsColumns", () => engine.loadTransactionsColumns(transactionColumns())],
    ["Engine.eventCount", () => engine.eventCount],
    ["Engine.simulate", () => { engine.loadEvents(validSimulate.events); return engine.simulate(loadedInput); }],
    ["Engine.compare", () => engine.compare({ base: loadedInput, variant: { revenuePercentage: 10 } })],
  ];
}

/**
 * Calls each of `calls` from the JS stack limit up, with at least `minimumKib` KiB left: at every
 * level of the first 150 (four frame sizes, so that every few bytes of stack are tried), then at
 * every 16th level to 3,000 (well past the 192 KiB every call checks it has). Returns the
 * outcomes: `result` (the same as with the whole stack), an error code, or a RangeError's place.
 * Near the limit nothing but storing what happened is done (even a RangeError's classification
 * could run out of stack and go unseen); the outcomes are read once back at the top.
 */
function sweep(calls, minimumKib) {
  const outcomes = {};
  for (const [label, call] of calls) {
    let expected;
    try { expected = JSON.stringify(call()); } catch (e) { expected = `throws ${e.code}`; }
    const seen = [];
    const attempt = () => {
      try {
        return { result: call() };
      } catch (error) {
        return { error };
      }
    };
    for (const pad of [0, 1, 2, 3]) {
      const dive = (a, b, c) => {
        let depth;
        try { depth = pad === 0 ? dive() : pad === 1 ? dive(a) : pad === 2 ? dive(a, b) : dive(a, b, c); } catch { depth = 0; }
        if (depth < 150 || (pad === 0 && depth % 16 === 0 && depth < 3000)) {
          try {
            if (minimumKib === 0 || stackLeft(minimumKib)) seen.push(attempt());
          } catch (error) {
            seen.push({ error, before: minimumKib === 0 });
          }
        }
        return depth + 1;
      };
      dive();
    }
    for (const { result, error, before } of seen) {
      let outcome;
      if (error === undefined) outcome = JSON.stringify(result) === expected ? "result" : `wrong result: ${JSON.stringify(result).slice(0, 200)}`;
      else if (before) outcome = "RangeError before";
      else if (typeof error?.code === "string") outcome = `throws ${error.code}` === expected ? "result" : error.code;
      else outcome = error instanceof RangeError ? `RangeError ${whereThrown(error)}` : `threw ${error}`;
      const key = outcome === "result" || outcome.startsWith("RangeError") ? outcome : `${outcome} (${label})`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
  }
  return outcomes;
}

/** The outcomes other than `allowed`, and whether both a result and a refusal were seen. */
function unexpected(outcomes, allowed) {
  const refused = Object.entries(outcomes).filter(([key]) => key.startsWith("resources.stackExhausted")).reduce((n, [, c]) => n + c, 0);
  const bad = Object.keys(outcomes).filter((key) => key !== "result" && !key.startsWith("resources.stackExhausted (") && !allowed.includes(key));
  return { bad, sawBoth: outcomes.result > 500 && refused > 500 };
}

for (const [name, module] of [["raw Node build", raw], ["package entry", entry]]) {
  test(`${name}: with little JS stack left (8 KiB or more) every call gives its result or resources.stackExhausted, and the instance keeps answering`, () => {
    const outcomes = sweep(stackCalls(module), 8);
    // "before": the sweep's own frames (its check of the stack left) ran out, not a call.
    const { bad, sawBoth } = unexpected(outcomes, ["RangeError before"]);
    assert.deepEqual(bad, [], JSON.stringify(outcomes));
    assert.ok(sawBoth, JSON.stringify(outcomes));
    assertAnswers(module, `${name} after the stack sweep`);
  });
}

// ---------------------------------------------------------------------------------------------
// A seeded fuzzer of hostile JS values over every exported function and Engine method.

const TYPED_KINDS = [Uint8Array, Uint16Array, Uint32Array, Int32Array, Float32Array, Float64Array, Uint8ClampedArray, BigUint64Array];
const NUMBERS = [0, -0, 1, -1, 0.5, NaN, Infinity, -Infinity, 2 ** 32 - 1, 2 ** 32, 2 ** 53, 1e308, 5e-324, day];
const TEXTS = ["", "[]", "{}", "[{", '{"version": 1}', "null", "1e999999", '"\\ud800"', "\uD800", "é😀", "[".repeat(200) + "]".repeat(200),
  JSON.stringify(validSimulate.events), JSON.stringify(validSimulate.transactions), JSON.stringify(validRecipe), "x".repeat(70_000)];
/** Field names the inputs use, so that generated objects hit real fields. */
const FIELDS = ["collaboratorIndex", "typeIndex", "occurredAtMs", "points", "collaboratorIds", "typeNames", "eventIds", "transactionIds",
  "statusIndex", "statusNames", "currencies", "total", "amountScale", "lineTransactionIndex", "lineTypeIndex", "lineTypeNames", "lineAmount",
  "lineQuantity", "lineSkus", "lineCategories", "lineOwnerCollaboratorIds", "refundTransactionIndex", "refundOccurredAtMs", "refundAmount",
  "recipe", "distributorKey", "config", "timeZone", "start", "end", "at", "lastDistributionAt", "events", "transactions", "schedule", "from",
  "count", "version", "name", "description", "distributors", "base", "variant", "strict", "id", "collaboratorId", "type"];

/** A typed array in one of the states a caller can leave one in. */
function typedArray(r) {
  const Kind = r.pick(TYPED_KINDS);
  const values = Array.from({ length: r.int(4) }, () => (Kind === BigUint64Array ? BigInt(r.int(1000)) : r.pick(NUMBERS)));
  switch (r.int(11)) {
    case 0: return detached(new Kind(values));
    case 1: { const huge = r.pick([2 ** 32 - 1, -1, NaN, 1e9]); return new (class extends Kind { get length() { return huge; } })(values); }
    case 2: return new (class extends Kind { get length() { throw new Error("length"); } })(values);
    case 3: return Object.defineProperty(new Kind(values), "length", r.chance(0.5) ? { value: 2 ** 32 - 1 } : { get() { throw new Error("own length"); } });
    case 4: return new Proxy(new Kind(values), r.chance(0.5) ? {} : { get() { throw new Error("trap"); } });
    case 5: { const b = new ArrayBuffer(32, { maxByteLength: 32 }); const a = new Kind(b, 8, 1); b.resize(r.int(8)); return a; }
    case 6: { const b = new ArrayBuffer(8, { maxByteLength: 64 }); const a = new Kind(b); b.resize(16); return a; }
    case 7: { const a = new Kind(new SharedArrayBuffer(8 * values.length)); a.set(values); return a; }
    case 8: return new Kind(8).subarray(r.int(4), 4 + r.int(4));
    case 9: return r.chance(0.5) ? new DataView(new ArrayBuffer(4)) : new ArrayBuffer(4);
    default: return new Kind(values);
  }
}

/** A valid input of some entry point, with one place replaced by a hostile value. */
function mutated(r, depth) {
  const templates = [eventColumns, transactionColumns, () => structuredClone(validSimulate), () => structuredClone(validPreview),
    () => structuredClone(validRecipe), () => ({ schedule: ["+1 day"], from: "2026-01-01T00:00:00Z", count: 2 }),
    () => ({ base: structuredClone(validSimulate), variant: { revenuePercentage: 10 } }), () => structuredClone(validSimulate.events)];
  const root = r.pick(templates)();
  if (ArrayBuffer.isView(root.occurredAtMs) && r.chance(0.5)) {
    // Columns: a typed column, or JSON bytes, in one of the states a caller can leave it in.
    const typed = Object.keys(root).filter((key) => ArrayBuffer.isView(root[key]));
    root[r.pick(typed)] = typedArray(r);
    return root;
  }
  let holder = root;
  for (let steps = r.int(3); steps > 0; steps--) {
    const keys = Object.keys(holder).filter((k) => holder[k] !== null && typeof holder[k] === "object" && !ArrayBuffer.isView(holder[k]));
    if (keys.length === 0) break;
    holder = holder[r.pick(keys)];
  }
  const keys = Object.keys(holder);
  const key = keys.length > 0 && r.chance(0.8) ? r.pick(keys) : r.pick(FIELDS);
  if (r.chance(0.15)) delete holder[key];
  else holder[key] = hostile(r, depth + 1);
  return root;
}

/** A getter, Proxy or toJSON that misbehaves: throws, changes, detaches, or calls the engine. */
function trap(r, depth, context) {
  const value = hostile(r, depth + 1, context);
  switch (r.int(7)) {
    case 0: return { ...eventColumns(), get [r.pick(FIELDS)]() { throw new Error("getter"); } };
    case 1: { let reads = 0; return { ...mutated(r, depth), get [r.pick(FIELDS)]() { return reads++ === 0 ? value : hostile(r, depth + 1, context); } }; }
    case 2: { const early = new Uint32Array([0]); return { ...eventColumns({ collaboratorIndex: early }), get typeNames() { detached(early); return ["referredSiteVisit"]; } }; }
    case 3: return { ...mutated(r, depth), get [r.pick(FIELDS)]() { context.module.validateRecipe(validRecipe); context.engine.loadEvents(validSimulate.events); return value; } };
    case 4: return new Proxy(mutated(r, depth), { get(target, key) { if (r.chance(0.3)) throw new Error("trap"); return Reflect.get(target, key); } });
    case 5: return { toJSON() { if (r.chance(0.5)) throw new Error("toJSON"); return value; } };
    default: { const cyclic = mutated(r, depth); cyclic.self = cyclic; return cyclic; }
  }
}

/** A hostile JS value: primitives, odd objects, tampered typed arrays, deep, cyclic, and valid
 * inputs with a hostile part. */
function hostile(r, depth = 0, context) {
  switch (depth > 3 ? r.int(4) : r.int(10)) {
    case 0: return r.pick([undefined, null, true, false, 10n, Symbol("s"), () => 1, class {}, ...NUMBERS]);
    case 1: return typedArray(r);
    case 2: return r.pick(TEXTS);
    case 3: return r.pick([new Date(0), new Date(NaN), new Map([[1, 2]]), new Set([1]), /x/, Promise.resolve(1), new Error("e"), new String("{}"), new Number(1), Object.create(null)]);
    case 4: return Array.from({ length: r.int(4) }, () => hostile(r, depth + 1, context));
    case 5: return r.pick([Object.assign([], { length: 2 ** 32 - 1 }), Object.assign([], { length: 1 + r.int(5) }), { length: 2 ** 32 - 1 }]);
    case 6: { let deep = hostile(r, 4, context); for (let i = 100 + r.int(200); i > 0; i--) deep = r.chance(0.5) ? [deep] : { d: deep }; return deep; }
    case 7: return Object.fromEntries(Array.from({ length: 1 + r.int(4) }, () => [r.pick(FIELDS), hostile(r, depth + 1, context)]));
    case 8: return trap(r, depth, context);
    default: return mutated(r, depth);
  }
}

/** Every exported function and Engine method, at each argument position. */
function fuzzTargets(module, context) {
  const fresh = () => new module.Engine();
  return [
    ["validateRecipe(v)", (v) => module.validateRecipe(v)],
    ["validateRecipe(recipe, v)", (v) => module.validateRecipe(validRecipe, v)],
    ["validateDistributorConfig(v)", (v) => module.validateDistributorConfig(v)],
    ["validateDistributorConfig(config, v)", (v) => module.validateDistributorConfig(validConfig, v)],
    ["nextRuns(v)", (v) => module.nextRuns(v)],
    ["previewScores(v)", (v) => module.previewScores(v)],
    ["simulate(v)", (v) => module.simulate(v)],
    ["compare(v)", (v) => module.compare(v)],
    ["version(v)", (v) => module.version(v)],
    ["new Engine(v)", (v) => new module.Engine(v).eventCount],
    ["Engine.loadEvents(v)", (v) => { const e = fresh(); e.loadEvents(v); return e.eventCount; }],
    ["Engine.loadTransactions(v)", (v) => { const e = fresh(); e.loadTransactions(v); return e.transactionCount; }],
    ["Engine.loadEventsColumns(v)", (v) => { const e = fresh(); e.loadEventsColumns(v); return e.eventCount; }],
    ["Engine.loadTransactionsColumns(v)", (v) => { const e = fresh(); e.loadTransactionsColumns(v); return e.transactionCount; }],
    ["the loaded Engine's loadEvents(v)", (v) => context.engine.loadEvents(v)],
    ["the loaded Engine's loadEventsColumns(v)", (v) => context.engine.loadEventsColumns(v)],
    ["the loaded Engine's loadTransactionsColumns(v)", (v) => context.engine.loadTransactionsColumns(v)],
    ["the loaded Engine's preview(v)", (v) => context.engine.preview(v)],
    ["the loaded Engine's simulate(v)", (v) => context.engine.simulate(v)],
    ["the loaded Engine's compare(v)", (v) => context.engine.compare(v)],
  ];
}

for (const [name, module] of [["raw Node build", raw], ["package entry", entry]]) {
  test(`${name}: 5,000 seeded hostile values over every function and Engine method: a result or an Error with a documented code and a path, and validateRecipe still answers after each`, () => {
    const context = { module, engine: new module.Engine() };
    const targets = fuzzTargets(module, context);
    const started = Date.now();
    const problems = [];
    for (let seed = 1; seed <= 5_000 && problems.length < 10; seed++) {
      const r = rng(seed * 2654435761);
      const [position, call] = r.pick(targets);
      let value;
      try { value = hostile(r, 0, context); } catch (e) { problems.push(`seed ${seed}: the generator threw ${e}`); continue; }
      let outcome;
      try { outcome = { result: call(value) }; } catch (error) { outcome = { error }; }
      // `judge` (hostile_cases.mjs): an Error with a code and a JSON Pointer path, or a result.
      const problem = judge(() => {
        if ("error" in outcome) throw outcome.error;
        return outcome.result !== null && typeof outcome.result === "object" ? outcome.result : {};
      });
      if (problem) problems.push(`seed ${seed} ${position}: ${problem}`);
      else if ("error" in outcome && !CODES.has(outcome.error.code)) problems.push(`seed ${seed} ${position}: undocumented code ${outcome.error.code}`);
      const report = JSON.stringify(module.validateRecipe(validRecipe));
      if (report !== expectedRecipeReport) problems.push(`seed ${seed} ${position}: validateRecipe now answers ${report.slice(0, 200)}`);
      // The loaded Engine is reloaded whenever a call replaced its records.
      context.engine.loadEvents(validSimulate.events);
      context.engine.loadTransactions(validSimulate.transactions);
    }
    assert.deepEqual(problems, []);
    assertAnswers(module, `${name} after the fuzzer`);
    assert.equal(context.engine.simulate(loadedInput).totals.allocated, "5.00");
    assert.ok(Date.now() - started < 20_000, `the fuzzer took ${Date.now() - started} ms`);
  });
}

// ---------------------------------------------------------------------------------------------
// Last, as it can leave the instance it shares with the tests above unusable until it passes.
// Down to no stack at all, a RangeError can only be the caller's: thrown before the call or as
// the package function called is entered, never from deeper (wasm-bindgen's glue calls into wasm
// before any check of the binding can run, so only a JS check in the package's entry, ahead of
// the glue, closes that last gap: `needStack` in npm/guards.mjs).
test("package entry: down to the very limit of the JS stack, no RangeError from inside the package", () => {
  const outcomes = sweep(stackCalls(entry), 0);
  const { bad, sawBoth } = unexpected(outcomes, ["RangeError before", "RangeError at the call"]);
  assert.deepEqual(bad, [], JSON.stringify(outcomes));
  assert.ok(sawBoth, JSON.stringify(outcomes));
  assertAnswers(entry, "package entry after the stack sweep");
});
