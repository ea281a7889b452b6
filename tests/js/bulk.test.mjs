// The bulk path (`Engine`) against the object path (`previewScores`, `simulate`) in the built
// package: the shared case files and a generated dataset give byte-identical output whether the
// events and transactions are passed as objects, loaded as JSON, or loaded as typed-array
// columns; errors carry `code` and `path`; a handle keeps working after an error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import initWeb, * as web from "../../pkg/web/siren_engine.js";
import * as esm from "../../pkg/index.mjs";
import { uniform } from "../../lib/prng.mjs";

const require = createRequire(import.meta.url);
const cjs = require("../../pkg/node/siren_engine.js");
const root = new URL("../../", import.meta.url);
await initWeb({ module_or_path: readFileSync(new URL("pkg/web/siren_engine_bg.wasm", root)) });
const cases = (file) => JSON.parse(readFileSync(new URL(`tests/data/${file}`, root), "utf8")).cases;

/** Events as columns, the way a host holding them in arrays would pass them. */
export function toColumns(events) {
  const collaboratorIds = [], typeNames = [], collaborators = new Map(), types = new Map();
  const n = events.length;
  const columns = {
    collaboratorIndex: new Uint32Array(n), typeIndex: new Uint16Array(n), occurredAtMs: new Float64Array(n),
    points: new Float64Array(n), collaboratorIds, typeNames, eventIds: new Array(n),
  };
  events.forEach((e, i) => {
    const id = String(e.collaboratorId);
    if (!collaborators.has(id)) { collaborators.set(id, collaboratorIds.length); collaboratorIds.push(id); }
    if (!types.has(e.type)) { types.set(e.type, typeNames.length); typeNames.push(e.type); }
    columns.collaboratorIndex[i] = collaborators.get(id);
    columns.typeIndex[i] = types.get(e.type);
    columns.occurredAtMs[i] = Date.parse(e.occurredAt);
    columns.points[i] = e.points == null ? NaN : Number(e.points);
    columns.eventIds[i] = e.id == null ? null : String(e.id);
  });
  return columns;
}

const LINE_TYPES = ["product", "subscription", "fee", "discount", "shipping", "tax"];
const STATUSES = ["complete", "refunded", "cancelled"];

/**
 * Transactions as columns, the way a host holding them in arrays would pass them (amounts in
 * units of the finest scale among them); null when columns cannot say them (an empty `details`,
 * an amount that is not plain decimal text, an instant finer than a millisecond).
 */
export function toTransactionColumns(transactions) {
  const amounts = [];
  for (const t of transactions) amounts.push(t.total, ...(t.details ?? []).map((d) => d.amount), ...(t.refunds ?? []).map((r) => r.amount));
  const parts = (amount) => /^(\d+)(?:\.(\d+))?$/.exec(String(amount).trim());
  let amountScale = 0;
  for (const a of amounts) {
    if (a === undefined) continue;
    const m = parts(a);
    if (!m) return null;
    amountScale = Math.max(amountScale, (m[2] ?? "").replace(/0+$/, "").length);
  }
  if (amountScale > 12) return null;
  const units = (amount) => {
    if (amount === undefined) return NaN;
    const m = parts(amount);
    const value = BigInt(m[1] + (m[2] ?? "").replace(/0+$/, "").padEnd(amountScale, "0"));
    return value <= 2n ** 53n ? Number(value) : null;
  };
  const instant = (text) => (typeof text === "string" && !/\.\d{4,}/.test(text) ? Date.parse(text) : NaN);
  const c = { transactionIds: [], occurredAtMs: [], statusIndex: [], currencies: [], total: [], amountScale, lineTransactionIndex: [], lineTypeIndex: [], lineAmount: [], lineQuantity: [], lineSkus: [], lineCategories: [], lineOwnerCollaboratorIds: [], refundTransactionIndex: [], refundOccurredAtMs: [], refundAmount: [] };
  for (const [i, t] of transactions.entries()) {
    if (Array.isArray(t.details) && t.details.length === 0) return null;
    c.transactionIds.push(String(t.id));
    c.occurredAtMs.push(instant(t.occurredAt));
    c.statusIndex.push(STATUSES.indexOf(t.status ?? "complete"));
    c.currencies.push(t.currency ?? null);
    c.total.push(units(t.total));
    for (const d of t.details ?? []) {
      c.lineTransactionIndex.push(i);
      c.lineTypeIndex.push(LINE_TYPES.indexOf(d.type));
      c.lineAmount.push(units(d.amount));
      c.lineQuantity.push(Number(d.quantity ?? 1));
      c.lineSkus.push(d.sku == null ? null : String(d.sku));
      c.lineCategories.push(d.categories ?? null);
      c.lineOwnerCollaboratorIds.push(d.ownerCollaboratorIds ?? null);
    }
    for (const r of t.refunds ?? []) {
      c.refundTransactionIndex.push(i);
      c.refundOccurredAtMs.push(instant(r.occurredAt));
      c.refundAmount.push(units(r.amount));
    }
  }
  if ([...c.occurredAtMs, ...c.refundOccurredAtMs].some(Number.isNaN) || [...c.total, ...c.lineAmount, ...c.refundAmount].includes(null)) return null;
  const typed = { occurredAtMs: Float64Array, statusIndex: Uint8Array, total: Float64Array, lineTransactionIndex: Uint32Array, lineTypeIndex: Uint8Array, lineAmount: Float64Array, lineQuantity: Uint32Array, refundTransactionIndex: Uint32Array, refundOccurredAtMs: Float64Array, refundAmount: Float64Array };
  for (const [name, Type] of Object.entries(typed)) c[name] = Type.from(c[name]);
  return c;
}

function outcome(fn) {
  try {
    return { ok: JSON.stringify(fn()) };
  } catch (e) {
    assert.ok(e instanceof Error, "throws an Error");
    return { code: e.code, path: e.path };
  }
}

/** How many comparisons loaded transactions as columns (the suites check that they ran). */
const compared = { transactionColumns: 0, numericIds: 0 };

/** One input through the object path and the bulk path (JSON load, and columns when readable). */
function compareBoth(engine, name, input, objectFn, method) {
  const { events, transactions, ...rest } = input;
  const expected = outcome(() => engine[objectFn](input));
  const handle = new engine.Engine();
  try {
    const viaJson = outcome(() => { handle.loadEvents(events); handle.loadTransactions(transactions); return handle[method](rest); });
    assert.deepEqual(viaJson, expected, `${name}: loaded as JSON`);
    if (expected.ok && Array.isArray(events)) {
      const viaColumns = outcome(() => { handle.loadEventsColumns(toColumns(events)); return handle[method](rest); });
      assert.deepEqual(viaColumns, expected, `${name}: loaded as columns`);
    }
    const transactionColumns = expected.ok && Array.isArray(transactions) ? toTransactionColumns(transactions) : null;
    if (transactionColumns) {
      const viaColumns = outcome(() => { handle.loadEvents(events); handle.loadTransactionsColumns(transactionColumns); return handle[method](rest); });
      assert.deepEqual(viaColumns, expected, `${name}: transactions loaded as columns`);
      compared.transactionColumns++;
      // Ids that are whole numbers' texts, given as numbers.
      if (transactionColumns.transactionIds.every((id) => /^(0|[1-9]\d{0,14})$/.test(id))) {
        const numbered = { ...transactionColumns, transactionIds: Float64Array.from(transactionColumns.transactionIds, Number) };
        const viaNumbers = outcome(() => { handle.loadEvents(events); handle.loadTransactionsColumns(numbered); return handle[method](rest); });
        assert.deepEqual(viaNumbers, expected, `${name}: transaction ids loaded as numbers`);
        compared.numericIds++;
      }
    }
  } finally {
    handle.free();
  }
}

for (const [file, objectFn, method] of [["preview_cases.json", "previewScores", "preview"], ["simulate_cases.json", "simulate", "simulate"]]) {
  test(`every case of ${file}: Engine.${method} = ${objectFn}, byte for byte (Node and web builds)`, () => {
    let compared = 0;
    for (const c of cases(file)) {
      if (!c.input || !Array.isArray(c.input.events) || c.input.transactions === undefined) continue;
      for (const engine of [cjs, web]) compareBoth(engine, c.name, c.input, objectFn, method);
      compared++;
    }
    assert.ok(compared >= 10, `${compared}`);
  });
}

test("every case of compare_cases.json: Engine.compare = compare, byte for byte (Node and web builds)", () => {
  let compared = 0;
  for (const c of cases("compare_cases.json")) {
    if (!c.input?.base || !Array.isArray(c.input.base.events) || c.input.base.transactions === undefined) continue;
    const { events, transactions, ...base } = c.input.base;
    for (const engine of [cjs, web]) {
      const expected = outcome(() => engine.compare(c.input));
      const handle = new engine.Engine();
      try {
        const actual = outcome(() => { handle.loadEvents(events); handle.loadTransactions(transactions); return handle.compare({ ...c.input, base }); });
        assert.deepEqual(actual, expected, c.name);
      } finally {
        handle.free();
      }
    }
    compared++;
  }
  assert.ok(compared >= 5, `${compared}`);
});

test("the case files compared transactions loaded as columns too", () => {
  assert.ok(compared.transactionColumns >= 60, `${compared.transactionColumns}`);
});

/** A seeded generator (mulberry32): events with ties, manual credits, unknown types; transactions with refunds. */
function generated(n, seed, { numericIds = false } = {}) {
  const random = uniform(seed);
  const pick = (k) => Math.floor(random() * k);
  const start = Date.parse("2026-01-01T00:00:00Z");
  const types = ["referredSiteVisit", "boundCouponUsed", "courseCompleted", "manual", "other"];
  const events = Array.from({ length: n }, () => {
    const type = types[pick(types.length)];
    const e = { collaboratorId: `c${pick(200)}`, type, occurredAt: new Date(start + pick(120 * 24) * 3600_000).toISOString() };
    if (type === "manual" && pick(2)) e.points = pick(40);
    return e;
  });
  const transactions = Array.from({ length: n / 10 }, (_, i) => {
    const at = start + pick(120 * 24) * 3600_000;
    const t = { id: numericIds ? String((i * 7919) % (n / 10)) : `t${i}`, occurredAt: new Date(at).toISOString(), details: [{ type: "product", amount: `${pick(300)}.${pick(10)}9`, quantity: 1 + pick(2) }, { type: "shipping", amount: "4.99" }] };
    if (!pick(10)) t.refunds = [{ occurredAt: new Date(at + 5 * 86_400_000).toISOString() }];
    return t;
  });
  return {
    recipe: { version: 1, name: "R", description: "D", distributors: { d: { name: "D", description: "D", distributionResolver: "performanceSharedPool", distributionPoolResolver: "revenueSinceLastDistribution", status: "active", units: "USD", schedule: ["first day of next month"] } } },
    distributorKey: "d",
    config: { engagementTypes: { referredSiteVisit: 1, boundCouponUsed: 5, courseCompleted: 10, manual: 2 }, revenuePercentage: 10, transactionCompilers: ["lineItems", "shipping"] },
    timeZone: "Europe/Paris",
    events,
    transactions,
  };
}

test("a generated dataset (20,000 events): Engine = object path for previews and a simulation", () => {
  for (const numericIds of [false, true]) {
    const base = generated(20_000, 42, { numericIds });
    const before = compared.numericIds;
    for (const at of ["2026-02-14T12:00:00Z", "2026-04-30T23:59:59+02:00"]) compareBoth(cjs, `preview at ${at}`, { ...base, at }, "previewScores", "preview");
    compareBoth(cjs, "simulate", { ...base, start: "2026-01-01T00:00:00+01:00", end: "2026-05-01T00:00:00+02:00" }, "simulate", "simulate");
    assert.equal(compared.numericIds - before, numericIds ? 3 : 0);
  }
});

test("transaction ids as numbers: a Float64Array or Uint32Array, each its decimal text; bad ones located", () => {
  const { events, transactions, ...rest } = { ...generated(1_000, 5, { numericIds: true }), at: "2026-03-10T00:00:00Z" };
  const handle = new cjs.Engine();
  handle.loadEventsColumns(toColumns(events));
  const columns = toTransactionColumns(transactions);
  handle.loadTransactionsColumns(columns);
  const asText = JSON.stringify(handle.preview(rest));
  for (const Type of [Float64Array, Uint32Array]) {
    handle.loadTransactionsColumns({ ...columns, transactionIds: Type.from(columns.transactionIds, Number) });
    assert.equal(JSON.stringify(handle.preview(rest)), asText, Type.name);
  }
  const expectError = (ids, code, path, message) =>
    assert.throws(() => handle.loadTransactionsColumns({ ...columns, transactionIds: ids }), (e) => e.code === code && e.path === path && message.test(e.message), `${code} at ${path}`);
  const numbers = Float64Array.from(columns.transactionIds, Number);
  const at = (i, value) => Float64Array.from(numbers, (id, k) => (k === i ? value : id));
  expectError(at(7, 1.5), "preview.invalidId", "/transactions/transactionIds/7", /whole number from 0 to 2\^53 − 1/);
  expectError(at(3, -1), "preview.invalidId", "/transactions/transactionIds/3", /whole number/);
  expectError(at(4, NaN), "preview.invalidId", "/transactions/transactionIds/4", /whole number/);
  expectError(at(5, 2 ** 53), "preview.invalidId", "/transactions/transactionIds/5", /whole number/);
  expectError(at(9, numbers[2]), "transactions.duplicateId", "/transactions/transactionIds/9", new RegExp(`\`${numbers[2]}\` appears more than once`));
  expectError(Int32Array.from(numbers), "input.wrongType", "/transactions/transactionIds", /Float64Array or Uint32Array of whole numbers/);
  expectError([...columns.transactionIds.slice(0, 2), 7], "input.wrongType", "/transactions/transactionIds", /an array of strings/);
  // In order, up or down, they are known distinct without their texts: equal neighbours are not.
  const ordered = Float64Array.from(numbers).sort();
  handle.loadTransactionsColumns({ ...columns, transactionIds: ordered });
  handle.loadTransactionsColumns({ ...columns, transactionIds: ordered.slice().reverse() });
  expectError(Float64Array.from(ordered, (id, k) => (k === 50 ? ordered[49] : id)), "transactions.duplicateId", "/transactions/transactionIds/50", /appears more than once/);
  assert.equal(handle.transactionCount, 100);
  handle.free();
});

test("re-previewing with new weights on loaded data equals the object path with those weights", () => {
  const { events, transactions, ...rest } = { ...generated(5_000, 7), at: "2026-03-10T00:00:00Z" };
  const handle = new esm.Engine();
  handle.loadEventsColumns(toColumns(events));
  handle.loadTransactions(new TextEncoder().encode(JSON.stringify(transactions)));
  assert.equal(handle.eventCount, 5_000);
  assert.equal(handle.transactionCount, 500);
  for (const weight of [1, 3, 50]) {
    const config = { ...rest.config, engagementTypes: { ...rest.config.engagementTypes, referredSiteVisit: weight } };
    assert.equal(JSON.stringify(handle.preview({ ...rest, config })), JSON.stringify(cjs.previewScores({ ...rest, config, events, transactions })));
  }
  handle.free();
});

test("top: the first collaborators of the leaderboard, the same on every path; allocations stay complete", () => {
  const { events, transactions, ...rest } = { ...generated(20_000, 42), at: "2026-03-10T00:00:00Z" };
  const full = cjs.previewScores({ ...rest, events, transactions });
  const handle = new cjs.Engine();
  handle.loadEventsColumns(toColumns(events));
  handle.loadTransactions(transactions);
  const listed = handle.preview({ ...rest, top: 5 });
  for (const other of [cjs.previewScores({ ...rest, events, transactions, top: 5 }), web.previewScores({ ...rest, events, transactions, top: 5 })]) {
    assert.equal(JSON.stringify(other), JSON.stringify(listed));
  }
  assert.ok(full.leaderboard.length > 100, `${full.leaderboard.length}`);
  assert.deepEqual(listed.leaderboard, full.leaderboard.slice(0, 5));
  assert.deepEqual(listed.explanation.scoring.listed, { top: 5, of: full.leaderboard.length });
  assert.equal(full.explanation.scoring.listed, undefined);
  assert.deepEqual(listed.allocations, full.allocations);
  const top = new Set(listed.leaderboard.map((e) => e.collaboratorId));
  assert.deepEqual(listed.explanation.allocation.shares, full.explanation.allocation.shares.filter((s) => top.has(s.collaboratorId)));
  const year = { ...rest, start: "2026-01-01T00:00:00Z", end: "2026-05-01T00:00:00Z", top: 3 };
  delete year.at;
  const cycles = handle.simulate(year).cycles;
  assert.ok(cycles.length >= 4 && cycles.every((c) => c.leaderboard.length <= 3 && c.explanation.scoring.listed.top === 3));
  for (const top of [0, -2, 2.5, "3", true, {}]) {
    assert.throws(() => handle.preview({ ...rest, top }), (e) => e.code === "input.wrongType" && e.path === "/top", String(top));
  }
  assert.equal(JSON.stringify(handle.preview({ ...rest, top: 5 })), JSON.stringify(listed));
  handle.free();
});

test("string tables cross whole: astral characters, nulls, across chunks of 4,096; a lone surrogate refused at its index", () => {
  // Special ids at the ends of the JS helper's chunks: a wrong cut shows as wrong ids.
  const specials = { 0: "😀é", 4094: "a😀", 4095: "😀b", 4096: "é", 8191: "\u{10FFFF}x", 8192: "z", 9998: "末", 9999: "末尾" };
  const ids = Array.from({ length: 10_000 }, (_, i) => specials[i] ?? `c${i}`);
  const n = ids.length;
  const columns = {
    collaboratorIndex: Uint32Array.from(ids, (_, i) => i), typeIndex: new Uint16Array(n),
    occurredAtMs: new Float64Array(n).fill(Date.parse("2026-03-05T00:00:00Z")), collaboratorIds: ids, typeNames: ["referredSiteVisit"],
    eventIds: ids.map((id, i) => (i % 3 === 0 ? null : `e-${id}`)),
  };
  const { recipe, distributorKey, config, timeZone } = generated(10, 1);
  const input = { recipe, distributorKey, config, timeZone, lastDistributionAt: "2026-03-01T00:00:00Z", at: "2026-03-31T00:00:00Z" };
  for (const engine of [cjs, web]) {
    const handle = new engine.Engine();
    handle.loadEventsColumns(columns);
    handle.loadTransactionsColumns({ transactionIds: ["t😀", "x", "y"], occurredAtMs: Float64Array.from([1, 2, 3], (d) => Date.parse(`2026-03-0${d}T00:00:00Z`)), amountScale: 2, lineTransactionIndex: Uint32Array.of(0, 1, 2), lineTypeIndex: new Uint8Array(3), lineAmount: Float64Array.of(100, 200, 300) });
    const preview = handle.preview(input);
    assert.deepEqual(preview.leaderboard.map((e) => e.collaboratorId).sort(), [...ids].sort());
    assert.deepEqual(preview.explanation.revenue.transactions.map((t) => t.transactionId), ["t😀", "x", "y"]);
    // A pair split over two ids at a chunk's end would join into one character when packed:
    // each half is a lone surrogate, refused at its own index.
    const split = ids.map((id, i) => (i === 4095 ? "a\uD83D" : i === 4096 ? "\uDE00b" : id));
    assert.throws(() => handle.loadEventsColumns({ ...columns, collaboratorIds: split }), (e) => e.code === "input.loneSurrogate" && e.path === "/events/collaboratorIds/4095");
    const late = ids.map((id, i) => (i === 9999 ? "\uDFFF末尾" : id));
    assert.throws(() => handle.loadEventsColumns({ ...columns, eventIds: late }), (e) => e.code === "input.loneSurrogate" && e.path === "/events/eventIds/9999");
    // A refused id in a later chunk is located at its own index.
    const long = ids.map((id, i) => (i === 5000 ? "x".repeat(2000) : id));
    assert.throws(() => handle.loadEventsColumns({ ...columns, collaboratorIds: long }), (e) => e.code === "input.tooLarge" && e.path === "/events/collaboratorIds/5000");
    assert.equal(handle.preview(input).leaderboard.length, n, "the handle keeps its records");
    handle.free();
  }
});

/** A string table in the packed form `{text, lengths}` (0xFFFFFFFF for a null). */
const packedTable = (strings) => ({ text: strings.map((s) => s ?? "").join(""), lengths: Uint32Array.from(strings, (s) => (s === null ? 0xffffffff : s.length)) });

test("string tables given packed ({text, lengths}) load as the same strings in arrays; wrong ones are refused", () => {
  const specials = { 0: "😀é", 4095: "😀b", 4096: "é", 9999: "末尾" };
  const ids = Array.from({ length: 10_000 }, (_, i) => specials[i] ?? `c${i}`);
  const n = ids.length;
  const eventIds = ids.map((id, i) => (i % 3 === 0 ? null : `e-${id}`));
  const columns = {
    collaboratorIndex: Uint32Array.from(ids, (_, i) => i), typeIndex: new Uint16Array(n),
    occurredAtMs: new Float64Array(n).fill(Date.parse("2026-03-05T00:00:00Z")), collaboratorIds: ids, typeNames: ["referredSiteVisit"], eventIds,
  };
  const { recipe, distributorKey, config, timeZone } = generated(10, 1);
  const input = { recipe, distributorKey, config, timeZone, lastDistributionAt: "2026-03-01T00:00:00Z", at: "2026-03-31T00:00:00Z" };
  const transactions = { transactionIds: packedTable(["t😀", "x", "y"]), occurredAtMs: Float64Array.from([1, 2, 3], (d) => Date.parse(`2026-03-0${d}T00:00:00Z`)), amountScale: 2, lineTransactionIndex: Uint32Array.of(0, 1, 2), lineTypeIndex: new Uint8Array(3), lineAmount: Float64Array.of(100, 200, 300) };
  for (const engine of [cjs, web]) {
    const [arrays, packed] = [new engine.Engine(), new engine.Engine()];
    arrays.loadEventsColumns(columns);
    arrays.loadTransactionsColumns({ ...transactions, transactionIds: ["t😀", "x", "y"] });
    packed.loadEventsColumns({ ...columns, collaboratorIds: packedTable(ids), typeNames: packedTable(columns.typeNames), eventIds: packedTable(eventIds) });
    packed.loadTransactionsColumns(transactions);
    const output = JSON.stringify(arrays.preview(input));
    assert.ok(output.includes('"😀b"') && output.includes('"e-c1"') && output.includes('"t😀"'));
    assert.equal(JSON.stringify(packed.preview(input)), output);
    const refused = (change) => {
      try {
        packed.loadEventsColumns({ ...columns, ...change });
      } catch (e) {
        return `${e.code} ${e.path}`;
      }
      return "loaded";
    };
    // Lengths that do not add up to the text, a null where none may be, other shapes.
    const short = packedTable(ids);
    short.lengths[9999] -= 1;
    assert.equal(refused({ collaboratorIds: short }), "input.wrongType /events/collaboratorIds");
    const long = packedTable(ids);
    long.lengths[0] += 1;
    assert.equal(refused({ collaboratorIds: long }), "input.wrongType /events/collaboratorIds");
    assert.equal(refused({ collaboratorIds: packedTable([...ids.slice(0, -1), null]) }), "input.wrongType /events/collaboratorIds");
    assert.equal(refused({ eventIds: { text: "abc", lengths: [1, 2] } }), "input.wrongType /events/eventIds");
    assert.equal(refused({ eventIds: { text: ["abc"], lengths: Uint32Array.of(3) } }), "input.wrongType /events/eventIds");
    // A surrogate pair cut between two strings, and a lone one inside a string, at their index.
    const cut = packedTable(ids.map((id, i) => (i === 4095 ? "a\uD83D" : i === 4096 ? "\uDE00b" : id)));
    assert.equal(refused({ collaboratorIds: cut }), "input.loneSurrogate /events/collaboratorIds/4095");
    assert.equal(refused({ eventIds: packedTable(eventIds.map((id, i) => (i === 9998 ? "\uDFFF末" : id))) }), "input.loneSurrogate /events/eventIds/9998");
    // Each string is checked as in an array: an empty collaborator id is refused at its index.
    assert.equal(refused({ collaboratorIds: packedTable(ids.map((id, i) => (i === 5000 ? "" : id))) }), "preview.invalidId /events/collaboratorIds/5000");
    assert.equal(JSON.stringify(packed.preview(input)), output, "the handle keeps its records");
    arrays.free();
    packed.free();
  }
});

test("string lists cross whole: nulls, empty lists, astral characters, shared lists, across chunks of 4,096", () => {
  // 6,000 lines, one per transaction, with some 7,700 category strings: the packed lists span
  // two chunks, and a list straddles each cut. A string moved to a neighbouring list, or cut
  // wrong, changes which lines a category filter counts.
  const shared = ["shared", "😀"];
  const categoriesOf = (i) => [null, [], ["a", "a"], ["😀", `c${i % 5}`], ["é", "vidéo", "末尾"], [`\u{10FFFF}${i % 3}`], shared][i % 7];
  const ownersOf = (i) => (i % 3 === 0 ? null : i % 3 === 1 ? [`c${i % 200}`, "😀"] : []);
  const start = Date.parse("2026-03-01T00:00:00Z");
  const transactions = Array.from({ length: 6_000 }, (_, i) => {
    const line = { type: "product", amount: `${1 + (i % 97)}.${String(i % 100).padStart(2, "0")}` };
    if (categoriesOf(i) !== null) line.categories = categoriesOf(i);
    if (ownersOf(i) !== null) line.ownerCollaboratorIds = ownersOf(i);
    return { id: `t${i}`, occurredAt: new Date(start + i * 60_000).toISOString(), details: [line] };
  });
  const columns = toTransactionColumns(transactions);
  const strings = columns.lineCategories.reduce((n, list) => n + (list?.length ?? 0), 0);
  assert.ok(strings > 4_096 && columns.lineCategories[0] === null && columns.lineCategories[6] === shared, `${strings}`);
  const { events, ...generatedRest } = generated(1_000, 11);
  delete generatedRest.transactions;
  const rest = { ...generatedRest, lastDistributionAt: "2026-03-01T00:00:00Z", at: "2026-03-31T00:00:00Z" };
  const filters = [["😀"], ["a"], ["é"], ["末尾"], ["\u{10FFFF}1"], ["c3"], ["shared"], ["vidéo", "c0"], ["absent"]];
  for (const engine of [cjs, web]) {
    const handle = new engine.Engine();
    handle.loadEventsColumns(toColumns(events));
    handle.loadTransactionsColumns(columns);
    assert.equal(handle.transactionCount, 6_000);
    const configs = [...filters.map((inCategories) => ({ ...rest.config, lineItemFilters: { inCategories } })), { ...rest.config, lineItemFilters: { collaboratorOwned: true } }];
    for (const config of configs) {
      const input = { ...rest, config };
      const preview = handle.preview(input);
      assert.equal(JSON.stringify(preview), JSON.stringify(cjs.previewScores({ ...input, events, transactions })), JSON.stringify(config.lineItemFilters));
      // The lines counted, as the lists say.
      const { inCategories = [], collaboratorOwned = false } = config.lineItemFilters;
      const counted = transactions.filter((_, i) => (inCategories.length === 0 || (categoriesOf(i) ?? []).some((c) => inCategories.includes(c))) && (!collaboratorOwned || (ownersOf(i) ?? []).length > 0));
      const sum = counted.reduce((cents, t) => cents + Math.round(Number(t.details[0].amount) * 100), 0);
      assert.equal(preview.explanation.revenue.sales, (sum / 100).toFixed(2), JSON.stringify(config.lineItemFilters));
    }
    handle.free();
  }
});

test("string lists are refused as before: wrong types, lone surrogates and empty strings at list and item, too many strings", () => {
  const base = {
    transactionIds: Array.from({ length: 6_000 }, (_, i) => `t${i}`), occurredAtMs: new Float64Array(6_000).fill(Date.parse("2026-03-02T00:00:00Z")), amountScale: 2,
    lineTransactionIndex: Uint32Array.from({ length: 6_000 }, (_, i) => i), lineTypeIndex: new Uint8Array(6_000), lineAmount: new Float64Array(6_000).fill(100),
  };
  const lists = Array.from({ length: 6_000 }, (_, i) => (i % 2 ? ["a", "😀", "b"] : null));
  const at = (i, list) => lists.map((l, k) => (k === i ? list : l));
  const handle = new cjs.Engine();
  const expectError = (over, code, path) =>
    assert.throws(() => handle.loadTransactionsColumns({ ...base, ...over }), (e) => e.code === code && e.path === path && e.message.length > 0, `${code} at ${path}`);
  for (const name of ["lineCategories", "lineOwnerCollaboratorIds"]) {
    // A lone surrogate in the second chunk of strings, at its list and item; the first one wins.
    expectError({ [name]: at(5_001, ["a", "b", "c\uD800"]) }, "input.loneSurrogate", `/transactions/${name}/5001/2`);
    const twice = at(5_001, ["\uDC00"]).map((l, k) => (k === 3 ? ["x", "\uD83D"] : l));
    expectError({ [name]: twice }, "input.loneSurrogate", `/transactions/${name}/3/1`);
    // A shared list is checked where it first appears.
    const bad = ["ok", "\uDFFF"];
    expectError({ [name]: lists.map((l, k) => (k > 10 && k % 2 ? bad : l)) }, "input.loneSurrogate", `/transactions/${name}/11/1`);
    // An empty string is not an id: the engine refuses it at its list and item.
    expectError({ [name]: at(5_001, ["a", ""]) }, "preview.invalidId", `/transactions/${name}/5001/1`);
    expectError({ [name]: at(4_095, ["", "", ""]) }, "preview.invalidId", `/transactions/${name}/4095/0`);
    // Wrong types: the column, a list, an item (a wrong type in the same list comes first).
    for (const value of [new Uint32Array(6_000), "a", {}, at(7, "a"), at(7, ["a", 7]), at(7, ["a", null]), at(7, ["\uD800", 7]), at(7, [["a"]]), at(7, new Proxy([], { get() { throw new Error("trap"); } }))]) {
      expectError({ [name]: value }, "input.wrongType", `/transactions/${name}`);
    }
    expectError({ [name]: at(7, Object.assign([], { length: 2 ** 32 - 1 })) }, "input.tooLarge", `/transactions/${name}`);
    // More strings in all than a table may have (20,000,000), through a list met twice.
    const big = new Array(10_000_001).fill("a");
    expectError({ [name]: [big, null, big] }, "input.tooLarge", `/transactions/${name}`);
    handle.loadTransactionsColumns({ ...base, [name]: lists });
    assert.equal(handle.transactionCount, 6_000);
  }
  handle.free();
});

test("bulk errors carry code and path; the handle keeps its data and keeps working", () => {
  const { events, transactions, ...rest } = { ...generated(1_000, 3), at: "2026-03-10T00:00:00Z" };
  const handle = new cjs.Engine();
  handle.loadEventsColumns(toColumns(events));
  handle.loadTransactions(transactions);
  const good = JSON.stringify(handle.preview(rest));
  const columns = toColumns(events);
  const expectError = (fn, code, path) =>
    assert.throws(fn, (e) => e instanceof Error && e.code === code && e.path === path && e.message.length > 0, `${code} at ${path}`);

  expectError(() => handle.loadEventsColumns({ ...columns, occurredAtMs: Float64Array.from(columns.occurredAtMs, (t, i) => (i === 12 ? NaN : t)) }), "time.invalidTimestamp", "/events/occurredAtMs/12");
  expectError(() => handle.loadEventsColumns({ ...columns, typeIndex: columns.typeIndex.subarray(1) }), "input.columnLength", "/events/typeIndex");
  expectError(() => handle.loadEventsColumns({ ...columns, collaboratorIndex: Uint32Array.from(columns.collaboratorIndex, (c, i) => (i === 3 ? 9999 : c)) }), "events.indexOutOfRange", "/events/collaboratorIndex/3");
  expectError(() => handle.loadEventsColumns({ ...columns, collaboratorIndex: Array.from(columns.collaboratorIndex) }), "input.wrongType", "/events/collaboratorIndex");
  expectError(() => handle.loadEvents([{ collaboratorId: "a", type: "x", occurredAt: "2026-01-01T00:00:00" }]), "time.missingOffset", "/events/0/occurredAt");
  expectError(() => handle.loadTransactions("[{"), "input.notJson", "/transactions");
  const txColumns = toTransactionColumns(transactions);
  expectError(() => handle.loadTransactionsColumns({ ...txColumns, amountScale: undefined }), "input.wrongType", "/transactions/amountScale");
  expectError(() => handle.loadTransactionsColumns({ ...txColumns, lineAmount: Array.from(txColumns.lineAmount) }), "input.wrongType", "/transactions/lineAmount");
  expectError(() => handle.loadTransactionsColumns({ ...txColumns, lineCategories: [["a"], [7]] }), "input.wrongType", "/transactions/lineCategories");
  expectError(() => handle.loadTransactionsColumns({ ...txColumns, lineTransactionIndex: Uint32Array.from(txColumns.lineTransactionIndex, (t, i) => (i === 5 ? 1e6 : t)) }), "transactions.indexOutOfRange", "/transactions/lineTransactionIndex/5");
  expectError(() => handle.loadTransactionsColumns({ ...txColumns, lineAmount: Float64Array.from(txColumns.lineAmount, (a, i) => (i === 7 ? 12.5 : a)) }), "transactions.invalidAmount", "/transactions/lineAmount/7");
  expectError(() => handle.loadTransactionsColumns({ ...txColumns, refundOccurredAtMs: txColumns.refundOccurredAtMs.subarray(1) }), "input.columnLength", "/transactions/refundOccurredAtMs");
  expectError(() => handle.loadTransactionsColumns(new Proxy(txColumns, { get: () => { throw new Error("trap"); } })), "input.wrongType", "/transactions/transactionIds");
  expectError(() => handle.preview({ ...rest, events: [] }), "input.unknownField", "/events");
  expectError(() => handle.preview({ ...rest, at: "yesterday" }), "time.invalidTimestamp", "/at");
  assert.equal(JSON.stringify(handle.preview(rest)), good);
  assert.equal(handle.eventCount, 1_000);
  assert.equal(handle.transactionCount, 100);
  handle.free();
});

test("a refund dated before its sale is refused alike on the object path, as JSON and as columns", () => {
  const { recipe, distributorKey, config, timeZone } = generated(10, 1);
  const input = { recipe, distributorKey, config, timeZone, lastDistributionAt: "2026-03-01T00:00:00Z", at: "2026-03-20T00:00:00Z", events: [] };
  // Sold at 12:00 in Paris (11:00 UTC); the second refund is a second earlier.
  const transactions = (refundAt) => [
    { id: "t0", occurredAt: "2026-03-02T09:00:00Z", total: "40.00" },
    { id: "t1", occurredAt: "2026-03-10T12:00:00+01:00", total: "100.00", refunds: [{ occurredAt: "2026-03-12T00:00:00Z", amount: "10.00" }, { occurredAt: refundAt }] },
  ];
  const message = "This refund of transaction `t1` is dated 2026-03-10T10:59:59Z, before its sale (2026-03-10T11:00:00Z); a refund cannot precede the sale it refunds. Correct the order's or the refund's date.";
  const refused = (fn, path) =>
    assert.throws(fn, (e) => e.code === "transactions.refundBeforeSale" && e.path === path && e.message === message, path);
  const early = transactions("2026-03-10T10:59:59Z");
  for (const engine of [cjs, web, esm]) {
    refused(() => engine.previewScores({ ...input, transactions: early }), "/transactions/1/refunds/1/occurredAt");
    const { at, lastDistributionAt, ...range } = input;
    refused(() => engine.simulate({ ...range, transactions: early, start: "2026-03-01T00:00:00Z", end: "2026-04-01T00:00:00Z" }), "/transactions/1/refunds/1/occurredAt");
    const handle = new engine.Engine();
    refused(() => handle.loadTransactions(early), "/transactions/1/refunds/1/occurredAt");
    refused(() => handle.loadTransactionsColumns(toTransactionColumns(early)), "/transactions/refundOccurredAtMs/1");
    // At the sale's instant: counted (sales 140.00, refunds 10.00 + the 90.00 left = 100.00,
    // revenue 40.00), the same on every path.
    const same = transactions("2026-03-10T11:00:00Z");
    const objects = engine.previewScores({ ...input, transactions: same });
    assert.deepEqual([objects.explanation.revenue.sales, objects.explanation.revenue.refunds, objects.revenue], ["140.00", "100.00", "40.00"]);
    handle.loadEvents([]);
    handle.loadTransactionsColumns(toTransactionColumns(same));
    const { events, ...rest } = input;
    assert.equal(JSON.stringify(handle.preview(rest)), JSON.stringify(objects));
    handle.free();
  }
});
