// Hostile JS values for every exported engine function and every argument position, usable in
// Node and in a browser page (no Node imports): `checkEngine(engine)` calls each function with
// each value and returns the list of problems (empty = pass). An acceptable answer is a result
// (validators report unreadable input as a diagnostic) or a thrown JS `Error` whose `code` is a
// stable code and whose `path` is a JSON Pointer; anything else — a trap, a non-Error throw, an
// error without code/path, a hang — is a problem, and so is an instance that stops answering.
//
//   import * as engine from "../../pkg/index.mjs";
//   import { checkEngine } from "./hostile_cases.mjs";
//   assert.deepEqual(checkEngine(engine), []);

const CODE = /^[a-z]+\.[A-Za-z]+$/;

/** A minimal valid recipe, configuration and simulate input, for sanity calls and positions. */
export const validRecipe = {
  version: 1, name: "Hostile", description: "Hostile-input checks",
  distributors: { monthly: {
    name: "Monthly", description: "Monthly pool", distributionResolver: "topScoreWins",
    distributionPoolResolver: "revenueSinceLastDistribution", status: "active", units: "USD",
    schedule: ["first day of next month"],
  } },
};
export const validConfig = { engagementTypes: { referredSiteVisit: 1 }, revenuePercentage: 5, transactionCompilers: ["lineItems"] };
export const validSimulate = {
  recipe: validRecipe, distributorKey: "monthly", config: validConfig, timeZone: "UTC",
  start: "2026-01-01T00:00:00Z", end: "2026-03-01T00:00:00Z",
  events: [{ id: "e1", collaboratorId: "ana", type: "referredSiteVisit", occurredAt: "2026-01-05T00:00:00Z" }],
  transactions: [{ id: "t1", occurredAt: "2026-01-06T00:00:00Z", total: "100.00" }],
};
export const validPreview = (() => {
  const { start, end, ...rest } = validSimulate;
  return { ...rest, at: "2026-01-20T00:00:00Z", lastDistributionAt: "2026-01-01T00:00:00Z" };
})();

/** `array` after its buffer was transferred (as posting it to a Worker does). */
function detached(array) {
  structuredClone(array.buffer, { transfer: [array.buffer] });
  return array;
}

/** A Uint32Array out of bounds of its resizable buffer (or a detached one where buffers do not
 * resize). */
function shrunkView() {
  if (typeof ArrayBuffer.prototype.resize !== "function") return detached(new Uint32Array(2));
  const buffer = new ArrayBuffer(16, { maxByteLength: 16 });
  const view = new Uint32Array(buffer, 8, 2);
  buffer.resize(4);
  return view;
}

/** `[name, () => value]` pairs: built lazily, so each call gets a fresh value. */
export function hostileValues() {
  const cyclic = { version: 1 }; cyclic.self = cyclic;
  const cyclicArray = []; cyclicArray.push(cyclicArray);
  const throwingTraps = {};
  for (const trap of ["get", "has", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "defineProperty", "set", "deleteProperty", "apply", "construct", "isExtensible", "preventExtensions", "setPrototypeOf"]) {
    throwingTraps[trap] = () => { throw new Error(`trap ${trap}`); };
  }
  const revocable = Proxy.revocable({}, {}); revocable.revoke();
  let deep = {}; for (let i = 0; i < 10_000; i++) deep = { d: deep };
  let deepArray = []; for (let i = 0; i < 200; i++) deepArray = [deepArray];
  const manyKeys = {}; for (let i = 0; i < 100_000; i++) manyKeys[`k${i}`] = i;
  const sparse = []; sparse[5] = validRecipe; sparse.length = 10;
  return [
    ["undefined", () => undefined],
    ["null", () => null],
    ["0", () => 0],
    ["-0", () => -0],
    ["42", () => 42],
    ["NaN", () => NaN],
    ["Infinity", () => Infinity],
    ["-Infinity", () => -Infinity],
    ["true", () => true],
    ["empty string", () => ""],
    ["not JSON", () => "not json"],
    ["truncated JSON", () => '{"version": 1,'],
    ["JSON null text", () => "null"],
    ["JSON number text", () => "1e999999"],
    ["JSON huge integer text", () => `[${"9".repeat(10_000)}]`],
    ["JSON deep text", () => "[".repeat(100_000) + "]".repeat(100_000)],
    ["JSON lone surrogate", () => '"\\ud800"'],
    ["1 MB string", () => "x".repeat(1 << 20)],
    ["empty array", () => []],
    ["array of junk", () => [1, "a", null, {}, [], true]],
    ["sparse array", () => sparse],
    ["empty object", () => ({})],
    ["Object.create(null)", () => Object.assign(Object.create(null), { version: 1 })],
    ["frozen object", () => Object.freeze({ ...validRecipe })],
    ["frozen deep copy", () => Object.freeze(JSON.parse(JSON.stringify(validSimulate)))],
    ["object with 1e5 keys", () => manyKeys],
    ["getter that throws", () => ({ get version() { throw new Error("boom"); } })],
    ["toJSON that throws", () => ({ toJSON() { throw new Error("boom"); } })],
    ["toJSON returning undefined", () => ({ toJSON() { return undefined; } })],
    ["toJSON returning a cycle", () => ({ toJSON() { return cyclic; } })],
    ["Proxy whose traps throw", () => new Proxy({}, throwingTraps)],
    ["Proxy of an array whose traps throw", () => new Proxy([], throwingTraps)],
    ["revoked Proxy", () => revocable.proxy],
    ["cyclic object", () => cyclic],
    ["cyclic array", () => cyclicArray],
    ["BigInt", () => 10n],
    ["object holding a BigInt", () => ({ ...validSimulate, start: 1n })],
    ["Symbol", () => Symbol("x")],
    ["function", () => () => 1],
    ["class", () => class {}],
    ["Date", () => new Date(0)],
    ["invalid Date", () => new Date(NaN)],
    ["Map", () => new Map([["version", 1]])],
    ["Set", () => new Set([1])],
    ["RegExp", () => /x/],
    ["Uint8Array", () => new Uint8Array(16)],
    // Typed arrays the caller tampered with (issue 19): read through the intrinsics, never
    // through `length`, and a detached or shrunk buffer is `input.detached`.
    ["detached Uint32Array", () => detached(new Uint32Array(4))],
    ["detached Uint8Array of JSON", () => detached(new TextEncoder().encode("[]"))],
    ["Uint32Array subclass with length 2^32 − 1", () => new (class extends Uint32Array { get length() { return 2 ** 32 - 1; } })(1)],
    ["Uint8Array subclass whose length throws", () => new (class extends Uint8Array { get length() { throw new Error("length"); } })(new TextEncoder().encode("[]"))],
    ["Float64Array with an own length that throws", () => Object.defineProperty(new Float64Array(1), "length", { get() { throw new Error("length"); } })],
    ["Uint32Array with an own length of 2^32 − 1", () => Object.defineProperty(new Uint32Array(1), "length", { value: 2 ** 32 - 1 })],
    ["Proxy of a Uint16Array", () => new Proxy(new Uint16Array(1), {})],
    ["Proxy of a Uint8Array whose traps throw", () => new Proxy(new Uint8Array(2), throwingTraps)],
    ["Int32Array", () => new Int32Array(2)],
    ["shrunk resizable buffer view", () => shrunkView()],
    ["array-like of length 2^32 − 1", () => ({ length: 2 ** 32 - 1, 0: 0 })],
    ["array of length 2^32 − 1", () => Object.assign([], { length: 2 ** 32 - 1 })],
    ["ArrayBuffer", () => new ArrayBuffer(8)],
    ["Promise", () => Promise.resolve(1)],
    ["boxed string", () => new String("{}")],
    ["boxed number", () => new Number(1)],
    ["deep object (10k levels)", () => deep],
    ["deep array (200 levels)", () => deepArray],
    ["NaN and Infinity inside", () => ({ ...validSimulate, events: [{ ...validSimulate.events[0], points: NaN }], transactions: [{ ...validSimulate.transactions[0], total: Infinity }] })],
    ["-0 amounts inside", () => ({ ...validSimulate, transactions: [{ ...validSimulate.transactions[0], total: -0 }] })],
    ["huge numbers inside", () => ({ ...validSimulate, transactions: [{ ...validSimulate.transactions[0], total: 1e308 }] })],
    ["1 MB id inside", () => ({ ...validSimulate, events: [{ ...validSimulate.events[0], collaboratorId: "c".repeat(1 << 20) }] })],
    ["long schedule string inside", () => ({ ...validSimulate, recipe: { ...validRecipe, distributors: { monthly: { ...validRecipe.distributors.monthly, schedule: ["+1 day ".repeat(1000)] } } } })],
  ];
}

/** Every exported function with each argument position it takes; `args(v)` places the value. */
/** One loaded `Engine` handle per engine module, shared by the bulk entry points and `sanity`. */
const handles = new WeakMap();
function handleOf(engine) {
  if (!engine.Engine) return null;
  if (!handles.has(engine)) {
    const handle = new engine.Engine();
    handle.loadEvents(validSimulate.events);
    handle.loadTransactions(validSimulate.transactions);
    handles.set(engine, handle);
  }
  return handles.get(engine);
}

/** `undefined` from a load counts as an answer. */
const loaded = (call) => (v) => (call(v), {});

/** A simulate input without its records, for the handle. */
const { events: _events, transactions: _transactions, ...handleInput } = validSimulate;

export function entryPoints(engine) {
  const handle = handleOf(engine);
  const bulk = handle
    ? [
        ["Engine.loadEvents(v)", loaded((v) => new engine.Engine().loadEvents(v))],
        ["Engine.loadTransactions(v)", loaded((v) => new engine.Engine().loadTransactions(v))],
        ["Engine.loadEventsColumns(v)", loaded((v) => new engine.Engine().loadEventsColumns(v))],
        ["Engine.loadEventsColumns({typeNames: v})", loaded((v) => new engine.Engine().loadEventsColumns({ collaboratorIndex: new Uint32Array([0]), typeIndex: new Uint16Array([0]), occurredAtMs: new Float64Array([Date.UTC(2026, 0, 5)]), collaboratorIds: ["ana"], typeNames: v }))],
        ["Engine.loadEventsColumns({collaboratorIndex: v})", loaded((v) => new engine.Engine().loadEventsColumns({ collaboratorIndex: v, typeIndex: new Uint16Array([0]), occurredAtMs: new Float64Array([Date.UTC(2026, 0, 5)]), collaboratorIds: ["ana"], typeNames: ["manual"] }))],
        ["Engine.loadEventsColumns({points: v})", loaded((v) => new engine.Engine().loadEventsColumns({ collaboratorIndex: new Uint32Array([0]), typeIndex: new Uint16Array([0]), occurredAtMs: new Float64Array([Date.UTC(2026, 0, 5)]), points: v, collaboratorIds: ["ana"], typeNames: ["manual"] }))],
        ["Engine.loadTransactionsColumns(v)", loaded((v) => new engine.Engine().loadTransactionsColumns(v))],
        ["Engine.loadTransactionsColumns({transactionIds: v})", loaded((v) => new engine.Engine().loadTransactionsColumns({ transactionIds: v, occurredAtMs: new Float64Array([Date.UTC(2026, 0, 5)]), amountScale: 2, lineTransactionIndex: new Uint32Array([0]), lineTypeIndex: new Uint8Array([0]), lineAmount: new Float64Array([1999]) }))],
        ["Engine.loadTransactionsColumns({lineAmount: v})", loaded((v) => new engine.Engine().loadTransactionsColumns({ transactionIds: ["t1"], occurredAtMs: new Float64Array([Date.UTC(2026, 0, 5)]), amountScale: 2, lineTransactionIndex: new Uint32Array([0]), lineTypeIndex: new Uint8Array([0]), lineAmount: v }))],
        ["Engine.loadTransactionsColumns({lineCategories: v})", loaded((v) => new engine.Engine().loadTransactionsColumns({ transactionIds: ["t1"], occurredAtMs: new Float64Array([Date.UTC(2026, 0, 5)]), amountScale: 2, lineTransactionIndex: new Uint32Array([0]), lineTypeIndex: new Uint8Array([0]), lineAmount: new Float64Array([1999]), lineCategories: v }))],
        ["the shared Engine's loadEvents(v)", loaded((v) => { try { handle.loadEvents(v); } finally { handle.loadEvents(validSimulate.events); } })],
        ["the shared Engine's loadEventsColumns({collaboratorIndex: v})", loaded((v) => { try { handle.loadEventsColumns({ collaboratorIndex: v, typeIndex: new Uint16Array([0]), occurredAtMs: new Float64Array([Date.UTC(2026, 0, 5)]), collaboratorIds: ["ana"], typeNames: ["referredSiteVisit"] }); } finally { handle.loadEvents(validSimulate.events); } })],
        ["Engine.preview(v)", (v) => handle.preview(v)],
        ["Engine.simulate(v)", (v) => handle.simulate(v)],
        ["Engine.simulate({...input, start: v})", (v) => handle.simulate({ ...handleInput, start: v })],
        ["Engine.compare(v)", (v) => handle.compare(v)],
        ["Engine.compare({base, variant: v})", (v) => handle.compare({ base: handleInput, variant: v })],
      ]
    : [];
  return [
    ...bulk,
    ["validateRecipe(v)", (v) => engine.validateRecipe(v)],
    ["validateRecipe(recipe, v)", (v) => engine.validateRecipe(validRecipe, v)],
    ["validateDistributorConfig(v)", (v) => engine.validateDistributorConfig(v)],
    ["validateDistributorConfig(config, v)", (v) => engine.validateDistributorConfig(validConfig, v)],
    ["nextRuns(v)", (v) => engine.nextRuns(v)],
    ["nextRuns({schedule: v})", (v) => engine.nextRuns({ schedule: v, from: "2026-01-01T00:00:00Z" })],
    ["nextRuns({from: v})", (v) => engine.nextRuns({ schedule: ["+1 day"], from: v })],
    ["previewScores(v)", (v) => engine.previewScores(v)],
    ["previewScores({events: v})", (v) => engine.previewScores({ ...validPreview, events: v })],
    ["simulate(v)", (v) => engine.simulate(v)],
    ["simulate({transactions: v})", (v) => engine.simulate({ ...validSimulate, transactions: v })],
    ["compare(v)", (v) => engine.compare(v)],
    ["compare({base, variant: v})", (v) => engine.compare({ base: validSimulate, variant: v })],
  ];
}

/** Problems with an instance's answers to the valid inputs (empty when it still answers). */
export function sanity(engine) {
  const problems = [];
  try {
    if (engine.validateRecipe(validRecipe).valid !== true) problems.push("validateRecipe(validRecipe) is not valid");
    const runs = engine.nextRuns({ schedule: ["first day of next month"], from: "2026-01-31T15:30:00Z", count: 2 });
    if (JSON.stringify(runs) !== '["2026-02-01T15:30:00+00:00","2026-03-01T15:30:00+00:00"]') problems.push(`nextRuns gave ${JSON.stringify(runs)}`);
    const sim = engine.simulate(validSimulate);
    if (sim.totals.allocated !== "5.00") problems.push(`simulate allocated ${sim.totals.allocated}`);
    const handle = handleOf(engine);
    if (handle && handle.simulate(handleInput).totals.allocated !== "5.00") problems.push("the Engine handle no longer simulates its loaded records");
  } catch (e) {
    problems.push(`the instance no longer answers: ${e && e.message}`);
  }
  return problems;
}

/** What a call gave, or why it is not acceptable (null when acceptable). */
export function judge(call) {
  let result;
  try {
    result = call();
  } catch (e) {
    if (!(e instanceof Error)) return `threw a non-Error: ${String(e)}`;
    if (e.constructor && e.constructor.name === "RuntimeError") return `trapped: ${e.message}`;
    if (typeof e.code !== "string" || !CODE.test(e.code)) return `Error without a code: ${e.message}`;
    if (typeof e.path !== "string" || !(e.path === "" || e.path.startsWith("/"))) return `Error without a JSON Pointer path: ${e.code} ${e.path}`;
    if (typeof e.message !== "string" || e.message.length > 10_000) return `Error message missing or too long (${e.code})`;
    return null;
  }
  if (result === null || typeof result !== "object") return `returned ${typeof result}`;
  if ("valid" in result) {
    if (result.valid !== (result.errors.length === 0)) return "a report whose valid flag disagrees with its errors";
    for (const d of [...result.errors, ...result.warnings]) {
      if (!CODE.test(d.code) || typeof d.path !== "string" || typeof d.message !== "string") return `a malformed diagnostic ${JSON.stringify(d).slice(0, 200)}`;
      if (d.message.length > 10_000) return `a diagnostic message of ${d.message.length} characters`;
    }
  }
  return null;
}

/** Calls every entry point with every hostile value; returns the problems found. */
export function checkEngine(engine) {
  const problems = [];
  const values = hostileValues();
  for (const [position, call] of entryPoints(engine)) {
    for (const [name, make] of values) {
      const problem = judge(() => call(make()));
      if (problem) problems.push(`${position} with ${name}: ${problem}`);
      const broken = sanity(engine);
      if (broken.length) {
        problems.push(`${position} with ${name} broke the instance: ${broken.join("; ")}`);
        return problems;
      }
    }
  }
  // Missing and extra arguments.
  for (const name of ["validateRecipe", "validateDistributorConfig", "nextRuns", "previewScores", "simulate", "compare"]) {
    const problem = judge(() => engine[name]()) ?? judge(() => engine[name](validRecipe, undefined, 1, 2, 3));
    if (problem) problems.push(`${name} with missing/extra arguments: ${problem}`);
  }
  return problems.concat(sanity(engine));
}
