// Memory (issue 19): running out of wasm memory is a coded error (`resources.outOfMemory`),
// refused before anything is allocated, never a trap; the instance and its other Engines keep
// answering, with the same bytes, and a refused or freed handle's memory is reused. The
// reproductions of the issue run at full size, one after the other (peak RSS about 4 GB).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const raw = require("../../pkg/node/siren_engine.js");
const { Engine, validateRecipe } = require("../../pkg/node/index.cjs");
/** [bytes in use, peak, bytes of linear memory] (the build's hidden `__memory`). */
const memory = () => raw.__memory();

const DAY = Date.UTC(2026, 2, 2);
const recipe = {
  version: 1,
  name: "Memory",
  description: "Memory",
  distributors: { d: { name: "D", description: "D", distributionResolver: "performanceSharedPool", distributionPoolResolver: "revenueSinceLastDistribution", status: "active", units: "USD", schedule: ["first day of next month"] } },
};
const previewInput = (engagementTypes, extra = {}) => ({
  recipe,
  distributorKey: "d",
  config: { engagementTypes, revenuePercentage: 10, transactionCompilers: ["lineItems"] },
  timeZone: "UTC",
  lastDistributionAt: "2026-03-01T00:00:00Z",
  at: "2026-03-31T23:59:59Z",
  top: 10,
  ...extra,
});

/** A small Engine loaded first, previewed before and after each reproduction. */
const witness = new Engine();
witness.loadEventsColumns({ collaboratorIndex: new Uint32Array([0, 1, 1]), typeIndex: new Uint16Array([0, 0, 0]), occurredAtMs: new Float64Array([DAY, DAY, DAY + 1000]), collaboratorIds: ["ana", "bo"], typeNames: ["sale"] });
witness.loadTransactionsColumns({ transactionIds: ["t1"], occurredAtMs: new Float64Array([DAY]), amountScale: 2, lineTransactionIndex: new Uint32Array([0]), lineTypeIndex: new Uint8Array([0]), lineTypeNames: ["product"], lineAmount: new Float64Array([1999]) });
const witnessInput = previewInput({ sale: 1 });
const witnessBytes = JSON.stringify(witness.preview(witnessInput));

/** `call`'s result, or its `resources.outOfMemory`; anything else (a trap above all) fails. */
function resultOrOutOfMemory(call) {
  try {
    return { result: call() };
  } catch (e) {
    assert.ok(!(e instanceof WebAssembly.RuntimeError), `a trap: ${e}`);
    assert.equal(e.code, "resources.outOfMemory", `${e.code}: ${e.message}`);
    assert.match(e.message, /may need up to [\d.]+ MiB .* and [\d.]+ MiB are left|one Engine may hold|do not fit/);
    assert.match(e.message, /free other Engines|load fewer records/i);
    return { error: e };
  }
}

/** The instance still answers, and the witness gives the same bytes. */
function stillAnswering() {
  assert.equal(validateRecipe(recipe).valid, true);
  assert.equal(JSON.stringify(witness.preview(witnessInput)), witnessBytes);
}

test("1,000,000 transactions with 10M lines and 10M refunds (the limits) load and preview; 20M are refused; building them is refused, never a trap", () => {
  const t = 1_000_000;
  const lines = 10_000_000;
  const columns = {
    transactionIds: Float64Array.from({ length: t }, (_, i) => i + 1),
    occurredAtMs: new Float64Array(t).fill(DAY),
    amountScale: 2,
    lineTransactionIndex: Uint32Array.from({ length: lines }, (_, i) => Math.floor(i / 10)),
    lineTypeIndex: new Uint8Array(lines),
    lineTypeNames: ["product"],
    lineAmount: new Float64Array(lines).fill(100),
    refundTransactionIndex: Uint32Array.from({ length: lines }, (_, i) => Math.floor(i / 10)),
    refundOccurredAtMs: new Float64Array(lines).fill(DAY + 86_400_000),
    refundAmount: new Float64Array(lines).fill(1),
  };
  const engine = new Engine();
  engine.loadEventsColumns({ collaboratorIndex: new Uint32Array([0]), typeIndex: new Uint16Array([0]), occurredAtMs: new Float64Array([DAY]), collaboratorIds: ["ana"], typeNames: ["sale"] });
  // The 20M lines and refunds: over the (lowered) limit.
  const twice = { ...columns, lineTransactionIndex: new Uint32Array(2 * lines), lineTypeIndex: new Uint8Array(2 * lines), lineAmount: new Float64Array(2 * lines) };
  assert.throws(() => engine.loadTransactionsColumns(twice), { code: "input.tooLarge", path: "/transactions/lineTransactionIndex" });
  engine.loadTransactionsColumns(columns);
  assert.equal(engine.transactionCount, t);
  stillAnswering();
  // The column pass: answers.
  const { result } = resultOrOutOfMemory(() => engine.preview(previewInput({ sale: 1 })));
  assert.ok(result, "the column pass previews");
  stillAnswering();
  // A percentage the column pass gives way on: the transactions are built (about 2.2 GB
  // bounded), then the pool's decimals refuse the sum: coded errors either way, never a trap.
  const fine = { engagementTypes: { sale: 1 }, revenuePercentage: "10.1234567890123456789012345", transactionCompilers: ["lineItems"] };
  try {
    engine.preview(previewInput({ sale: 1 }, { config: fine }));
  } catch (e) {
    assert.ok(!(e instanceof WebAssembly.RuntimeError), `a trap: ${e}`);
    assert.ok(["resources.outOfMemory", "preview.amountOutOfRange"].includes(e.code), `${e.code}: ${e.message}`);
  }
  stillAnswering();
  engine.free();
});

test("six handles at the dense-table limit: each previews or is refused, none traps; freed, their memory is reused", () => {
  const people = 65_536; // × 256 types = limits::MAX_BULK_TABLE_CELLS
  const types = Array.from({ length: 256 }, (_, i) => `t${i}`);
  const collaboratorIds = Array.from({ length: people }, (_, i) => `c${i}`);
  const columns = { collaboratorIndex: Uint32Array.from({ length: 256 }, (_, i) => i), typeIndex: Uint16Array.from({ length: 256 }, (_, i) => i), occurredAtMs: new Float64Array(256).fill(DAY), collaboratorIds, typeNames: types };
  const input = previewInput(Object.fromEntries(types.map((t) => [t, 1])));
  const engines = [];
  const outcomes = [];
  for (let i = 0; i < 6; i++) {
    const engine = new Engine();
    engines.push(engine);
    const load = resultOrOutOfMemory(() => engine.loadEventsColumns(columns));
    const preview = load.error ? load : resultOrOutOfMemory(() => engine.preview(input));
    outcomes.push(preview.error ? "refused" : "previewed");
    if (preview.result) assert.equal(preview.result.leaderboard.length, 10);
    stillAnswering();
  }
  assert.ok(outcomes.includes("refused"), `six handles at the limit fit in memory: ${outcomes}`);
  assert.equal(outcomes[0], "previewed");
  // Refusals do not grow memory: 200 more refused previews and loads on the last handle.
  const last = engines.at(-1);
  const big = { ...columns, collaboratorIndex: new Uint32Array(20_000_000), typeIndex: new Uint16Array(20_000_000), occurredAtMs: new Float64Array(20_000_000).fill(DAY) };
  const [inUse, , grown] = memory();
  for (let i = 0; i < 100; i++) {
    resultOrOutOfMemory(() => last.preview(input));
    assert.throws(() => last.loadEventsColumns(big), { code: "resources.outOfMemory", path: "/events" });
  }
  const [inUseAfter, , grownAfter] = memory();
  assert.ok(inUseAfter <= inUse, `bytes in use went from ${inUse} to ${inUseAfter}`);
  assert.equal(grownAfter, grown);
  for (const engine of engines) engine.free();
  stillAnswering();
  // Freed, the memory is reused: the same six again grow nothing for the first handles.
  const again = new Engine();
  again.loadEventsColumns(columns);
  assert.equal(again.preview(input).leaderboard.length, 10);
  assert.equal(memory()[2], grown, "a freed handle's memory is reused");
  again.free();
  stillAnswering();
});

test("text too large for what is left is refused before it is copied", () => {
  // A 200 MB JSON text of one-member objects would take about 4.6 GB parsed.
  const text = `[${'{"a":0},'.repeat(25_000_000)}{}]`;
  const { error } = resultOrOutOfMemory(() => validateRecipe(text));
  assert.ok(error, "refused");
  assert.equal(error.path, "");
  stillAnswering();
});
