#!/usr/bin/env node
// Measures the factors of `limits` (crates/siren-engine/src/limits.rs, "Memory"): the peak of
// the bytes in use during a call (the allocator's count, read through the build's hidden
// `__memory` export) over the input size the bound is computed from, on representative and
// worst-case shapes. `node bench/memory.mjs [pkg]` prints one line per shape; each factor in
// limits.rs must be above the largest ratio of its kind (docs/decisions.md).
import { resolve } from "node:path";
import { createRequire } from "node:module";
import { eventColumns, eventObjects, transactions, transactionColumns, previewInput, TYPE_NAMES } from "./data.mjs";

const pkg = resolve(process.argv[2] ?? "pkg");
const m = createRequire(import.meta.url)(resolve(pkg, "node/siren_engine.js"));
const stats = () => m.__memory();
const rows = [];

/** Peak bytes in use during `call` above the bytes in use before it, and what stays after. */
function peak(call) {
  const [before] = stats();
  stats(); // resets the peak
  call();
  const [after, top] = stats();
  return { peak: top - before, kept: after - before };
}

function report(kind, shape, size, unit, call) {
  const { peak: p, kept } = peak(call);
  rows.push({ kind, shape, size, unit, peak: p, kept, ratio: p / size });
  console.log(`${kind.padEnd(22)} ${shape.padEnd(44)} ${String(size).padStart(11)} ${unit.padEnd(6)} peak ${String(p).padStart(11)} kept ${String(kept).padStart(11)}  peak/${unit} ${(p / size).toFixed(2)}`);
}

const tryCall = (f) => () => {
  try {
    f();
  } catch (e) {
    if (!e.code) throw e;
    console.log(`  (${e.code}: ${e.message.slice(0, 160)})`);
  }
};

// -- object path: JSON text (bound per UTF-16 unit: `JSON_BYTES_PER_UNIT`)
const big = 4_000_000;
const shapes = {
  "numbers [0,0,...]": () => `{"events":[${"0,".repeat(big / 2)}0]}`,
  "empty arrays [[],...]": () => `{"events":[${"[],".repeat(big / 3)}[]]}`,
  "empty objects [{},...]": () => `{"events":[${"{},".repeat(big / 3)}{}]}`,
  "one-key objects": () => `{"x":[${'{"a":0},'.repeat(big / 8)}{}]}`,
  "short strings": () => `{"x":[${'"a",'.repeat(big / 4)}""]}`,
  "non-ASCII strings": () => `{"x":["${"é".repeat(big)}"]}`,
  "events (bench data)": () => JSON.stringify({ ...previewInput(), events: eventObjects(40_000), transactions: transactions(5_000) }),
};
/** limits::json_call_bound without CALL_BASE_BYTES: bytes × 2 + `{` × 48 + `:` × 208 + (`,` and `[` + 1) × 64. */
function jsonBound(text) {
  const bytes = Buffer.byteLength(text);
  const count = (c) => text.split(c).length - 1;
  return bytes * 2 + count("{") * 48 + count(":") * 208 + (count(",") + count("[") + 1) * 64;
}
for (const [shape, make] of Object.entries(shapes)) {
  const text = make();
  const bound = jsonBound(text);
  report("object path", `previewScores, ${shape}`, bound, "bound", tryCall(() => m.previewScores(text)));
  report("object path", `validateRecipe, ${shape}`, bound, "bound", tryCall(() => m.validateRecipe(text)));
}
{
  const input = { ...previewInput(), events: eventObjects(40_000), transactions: transactions(5_000) };
  const text = JSON.stringify(input);
  report("object path", "simulate, events (bench data)", jsonBound(text), "bound", tryCall(() => m.simulate(text)));
}

// -- bulk JSON loads (bound per byte of text beyond the copy: `BULK_JSON_BYTES_PER_BYTE`)
for (const [shape, text] of [
  ["events (bench data)", JSON.stringify(eventObjects(300_000))],
  ["events with ids and points", JSON.stringify(eventObjects(200_000).map((e, i) => ({ ...e, id: `e${i}`, type: "manual", points: 1 })))],
  ["events, shortest", JSON.stringify(Array.from({ length: 200_000 }, (_, i) => ({ collaboratorId: `${i}`, type: "t", occurredAt: "2026-03-01T00:00:00Z", id: `${i}` })))],
  ["transactions (bench data)", JSON.stringify(transactions(100_000))],
  ["transactions, shortest", JSON.stringify(Array.from({ length: 200_000 }, (_, i) => ({ id: `${i}`, occurredAt: "2026-03-01T00:00:00Z", details: [{ type: "product", amount: "1" }], refunds: [{ occurredAt: "2026-03-02T00:00:00Z" }] })))],
]) {
  const bytes = new TextEncoder().encode(text);
  const engine = new m.Engine();
  const load = shape.startsWith("events") ? "loadEvents" : "loadTransactions";
  // The copy of the bytes is bounded apart (their length), so the ratio is of what comes beyond.
  report("bulk JSON load", shape, bytes.length, "byte", () => engine[load](bytes));
  engine.free();
}

// -- column loads (bound per byte of copied columns: `COLUMN_BYTES_PER_BYTE`, copy included)
const STRING = 32; // limits::STRING_BYTES
const columnBytes = (c) => {
  let bytes = 0;
  let strings = 0;
  let units = 0;
  for (const v of Object.values(c)) {
    if (ArrayBuffer.isView(v)) bytes += v.byteLength;
    else if (Array.isArray(v)) {
      // Each string, null or list crosses with its length (4 bytes); a list's strings too.
      for (const item of v) {
        strings += 1;
        bytes += 4;
        if (typeof item === "string") units += item.length;
        else if (Array.isArray(item)) for (const s of item) (strings += 1), (bytes += 4), (units += s.length);
      }
    }
  }
  return bytes + strings * STRING + units * 3;
};
{
  const c = eventColumns(2_000_000);
  const engine = new m.Engine();
  report("column load", "events (bench data)", columnBytes(c), "byte", () => engine.loadEventsColumns(c));
  const ids = { ...c, eventIds: Array.from({ length: c.occurredAtMs.length }, (_, i) => `event-${i}`) };
  report("column load", "events with eventIds", columnBytes(ids), "byte", () => engine.loadEventsColumns(ids));
  const many = { ...eventColumns(500_000), collaboratorIds: Array.from({ length: 1_000_000 }, (_, i) => `c${i}`) };
  for (let i = 0; i < 500_000; i++) many.collaboratorIndex[i] = i * 2;
  report("column load", "events, 1M collaborators", columnBytes(many), "byte", () => engine.loadEventsColumns(many));
  const t = transactionColumns(1_000_000);
  report("column load", "transactions (bench data)", columnBytes(t), "byte", () => engine.loadTransactionsColumns(t));
  const tt = transactionColumns(500_000, 2, { textIds: true });
  const lines = tt.lineAmount.length;
  tt.lineSkus = Array.from({ length: lines }, (_, i) => `sku-${i}`);
  tt.lineCategories = Array.from({ length: lines }, (_, i) => [`cat-${i % 7}`, "all"]);
  tt.lineOwnerCollaboratorIds = Array.from({ length: lines }, (_, i) => [`c${i % 5000}`]);
  report("column load", "transactions with text ids, skus, lists", columnBytes(tt), "byte", () => engine.loadTransactionsColumns(tt));
  engine.free();
}

// -- a preview's dense tables (bound per cell: `TABLE_BYTES_PER_CELL`, per collaborator
// `SCORE_BYTES_PER_COLLABORATOR`)
for (const [people, kinds] of [[1_000_000, 16], [1_000_000, 1], [100_000, 160], [10_000, 1600]]) {
  const c = { collaboratorIndex: new Uint32Array(people), typeIndex: new Uint16Array(people), occurredAtMs: new Float64Array(people).fill(Date.parse("2026-03-02T00:00:00Z")), collaboratorIds: Array.from({ length: people }, (_, i) => `c${i}`), typeNames: Array.from({ length: kinds }, (_, i) => `t${i}`) };
  for (let i = 0; i < people; i++) (c.collaboratorIndex[i] = i), (c.typeIndex[i] = i % kinds);
  const engine = new m.Engine();
  engine.loadEventsColumns(c);
  const input = previewInput();
  input.top = 10;
  input.config = { ...input.config, engagementTypes: Object.fromEntries(c.typeNames.map((t) => [t, 1])) };
  // limits::tables_bound: counts × 48 + per-type cells × 24 + collaborators × 384 + listed × 1280.
  const bound = people * kinds * 48 + people * kinds * 24 + people * 384 + Math.min(10, people) * 1280;
  report("preview tables", `${people} collaborators × ${kinds} types, top 10`, bound, "bound", () => engine.preview(input));
  if (kinds === 1) report("preview tables", `${people} collaborators × ${kinds} types, all listed`, bound + people * 1280, "bound", () => engine.preview({ ...input, top: undefined }));
  const sim = { ...input, start: "2026-03-01T00:00:00Z", end: "2026-04-02T00:00:00Z" };
  delete sim.at;
  delete sim.lastDistributionAt;
  delete sim.top;
  sim.top = 10;
  report("simulate tables", `${people} collaborators × ${kinds} types, 1 cycle`, bound, "bound", tryCall(() => engine.simulate(sim)));
  engine.free();
}

// -- transactions built from columns (the column pass gives way: scale 14, a fine percentage)
{
  const t = transactionColumns(200_000, 3, { textIds: true });
  t.amountScale = 12;
  t.lineAmount = t.lineAmount.map((x) => x * 1e10);
  const lines = t.lineAmount.length;
  const refunds = t.refundTransactionIndex.length;
  const skus = { ...t, lineSkus: Array.from({ length: lines }, (_, i) => `sku-${i}`), lineCategories: Array.from({ length: lines }, () => ["a", "b"]) };
  for (const [shape, cols] of [["bench data", t], ["with skus and categories", skus]]) {
    const engine = new m.Engine();
    engine.loadEventsColumns(eventColumns(1000));
    engine.loadTransactionsColumns(cols);
    const input = previewInput(undefined, 10);
    input.config = { ...input.config, revenuePercentage: "10.123456789012345" };
    let strings = 0;
    let text = 0;
    for (let i = 0; i < cols.transactionIds.length; i++) (strings += 1), (text += String(cols.transactionIds[i]).length);
    for (const list of [cols.lineSkus ?? []]) for (const s of list) (strings += 1), (text += s.length);
    for (const list of cols.lineCategories ?? []) for (const s of list) (strings += 1), (text += s.length);
    // limits::built_bound: transactions × 160 + lines × 160 + refunds × 64 + strings × 32 + their bytes.
    const bound = cols.transactionIds.length * 160 + lines * 160 + refunds * 64 + strings * STRING + text;
    report("built transactions", `${shape}, ${cols.transactionIds.length} tx, ${lines} lines`, bound, "bound", () => engine.preview(input));
    engine.free();
  }
}

const worst = {};
for (const r of rows) worst[r.kind] = Math.max(worst[r.kind] ?? 0, r.ratio);
console.log("\nlargest peak/size by kind:", JSON.stringify(worst, (k, v) => (typeof v === "number" ? Number(v.toFixed(2)) : v)));
