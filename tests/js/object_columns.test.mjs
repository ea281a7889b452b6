// previewScores, simulate and compare read event and transaction objects straight into columns
// (crates/siren-wasm/js/convert.js `objectColumns`) instead of JSON text. That must never change
// an answer: each output and each error (code, path, message) is compared with the same input
// sent through its JSON text (an input whose prototype is not Object.prototype takes that path),
// on the sample year and on a small input with every record member replaced by hostile values.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { sampleYear } from "../../bench/data.mjs";

const require = createRequire(import.meta.url);
const engine = require("../../pkg/node/siren_engine.js");
const root = new URL("../../", import.meta.url);
const read = (path) => readFileSync(new URL(path, root), "utf8");
const snippets = new URL("pkg/node/snippets/", root);
const { objectColumns } = require(new URL(`${readdirSync(snippets)[0]}/js/convert.js`, snippets).pathname);

/** The same members, read by JSON.stringify: the path every input took before. */
function asText(input) {
  return Object.assign(Object.create(Object.create(Object.prototype)), input);
}

function outcome(run) {
  try {
    return { output: JSON.stringify(run()) };
  } catch (e) {
    return { code: e.code, path: e.path, message: e.message };
  }
}

function same(name, operation, input) {
  const direct = outcome(() => engine[operation](input));
  const text = outcome(() => engine[operation](asText(input)));
  assert.deepEqual(direct, text, `${name} (${operation})`);
  return direct;
}

const recipe = JSON.parse(read("samples/recipes/milestone-rewards.json"));
const config = JSON.parse(read("samples/year/config.json"));
const scenario = JSON.parse(read("samples/year/scenario.json"));

test("the sample year gives the same preview, simulation and comparison from objects as from JSON text", () => {
  const { events, transactions, collaborators } = sampleYear();
  const base = { recipe, distributorKey: scenario.distributorKey, timeZone: scenario.timeZone, collaborators, config, policies: scenario.policies, events, transactions };
  assert.notEqual(objectColumns(base), undefined, "the sample year is read into columns");
  const preview = same("sample year", "previewScores", { ...base, at: "2026-12-20T00:00:00Z", top: 15 });
  assert.ok(preview.output.includes('"allocations"'));
  const simulation = { ...base, start: scenario.start, end: scenario.end, pauses: scenario.pauses };
  assert.ok(same("sample year", "simulate", simulation).output.includes('"cycles"'));
  const compared = { base: simulation, variant: { revenuePercentage: 10 } };
  assert.notEqual(objectColumns(compared, "base"), undefined);
  assert.ok(same("sample year", "compare", compared).output.includes('"collaborators"'));
});

/** A small input with every member records can have, offsets and amounts of several scales. */
function base() {
  return {
    recipe,
    config,
    distributorKey: scenario.distributorKey,
    timeZone: "Europe/Paris",
    policies: { tieBreak: "split" },
    at: "2026-01-31T12:00:00Z",
    events: [
      { id: "e1", collaboratorId: "7", type: "referredSiteVisit", occurredAt: "2026-01-05T10:00:00Z" },
      { id: 2, collaboratorId: 8, type: "boundCouponUsed", occurredAt: "2026-01-06T10:00:00.250+02:00" },
      { collaboratorId: "7", type: "manual", occurredAt: "2026-01-07T10:00:00Z", points: 12 },
      { id: "e4", collaboratorId: "9", type: "courseCompleted", occurredAt: "2026-01-09T23:30:00-05:00" },
    ],
    transactions: [
      {
        id: "t1", status: "complete", occurredAt: "2026-01-08T05:16:34+01:00", currency: "USD",
        details: [
          { type: "product", amount: "19.99", quantity: 2, sku: "EBOOK", categories: ["books", 5] },
          { type: "product", amount: 99, quantity: 1, ownerCollaboratorIds: ["7", 8] },
          { type: "discount", amount: "3.8" },
          { type: "shipping", amount: 4.999, quantity: 1 },
        ],
        refunds: [{ occurredAt: "2026-01-09T00:00:00Z", amount: "5.00" }],
      },
      { id: 2, occurredAt: "2026-01-10T00:00:00Z", total: "50" },
      { id: "t3", status: "refunded", occurredAt: "2026-01-11T00:00:00Z", total: 20.5, refunds: [{ occurredAt: "2026-01-20T00:00:00.5Z" }] },
    ],
  };
}

const hostile = () => [
  undefined, null, "", " ", "7", "e1", "t1", "\u00e9t\u00e9", "a\"b\\c", 0, -3, 12, 1.5, 1e21, -0, NaN, Infinity,
  9007199254740993, true, [], ["books"], [null], {}, { a: 1 }, new Date(0), () => 1, Symbol("s"), 10n, "\uD800",
  "12", " 12 ", "1e2", "4.999", "0.0000000000001", "2026-01-05T10:00:00Z", "2026-01-05T10:00:00.0001Z",
  "2026-01-05T10:00:00+05:30", "2026-02-30T10:00:00Z", "2026-12-31T23:59:60Z", "2025-12-31T23:00:00Z", "manual",
  "product", "tax", "cancelled", "x".repeat(1025),
];

/** `input` with `value` at `path` (keys and indexes), or the member deleted (`remove`). */
function withValue(input, path, value, remove = false) {
  const copy = structuredClone(input);
  const holder = path.slice(0, -1).reduce((object, key) => object[key], copy);
  if (remove) delete holder[path.at(-1)];
  else holder[path.at(-1)] = value;
  return copy;
}

test("every record member replaced by a hostile value gives the same answer as its JSON text", () => {
  const members = [
    ["events", 0, "id"], ["events", 1, "collaboratorId"], ["events", 0, "type"], ["events", 0, "occurredAt"],
    ["events", 2, "points"], ["events", 0, "points"], ["events", 0, "unknown"], ["events", 1],
    // Later events too, once the ids, types and year met before are interned.
    ["events", 2, "collaboratorId"], ["events", 2, "type"], ["events", 2, "occurredAt"],
    ["transactions", 0, "id"], ["transactions", 0, "status"], ["transactions", 0, "occurredAt"],
    ["transactions", 0, "currency"], ["transactions", 1, "total"], ["transactions", 0, "total"],
    ["transactions", 0, "details"], ["transactions", 1, "details"], ["transactions", 0, "details", 0], ["transactions", 0, "details", 0, "type"],
    ["transactions", 0, "details", 0, "amount"], ["transactions", 0, "details", 0, "quantity"],
    ["transactions", 0, "details", 0, "sku"], ["transactions", 0, "details", 0, "categories"],
    ["transactions", 0, "details", 0, "categories", 0], ["transactions", 0, "details", 1, "ownerCollaboratorIds", 1],
    ["transactions", 0, "details", 0, "extra"], ["transactions", 0, "refunds"], ["transactions", 0, "refunds", 0, "occurredAt"],
    ["transactions", 0, "refunds", 0, "amount"], ["transactions", 2, "refunds", 0], ["transactions", 2, "customer"],
    ["events"], ["transactions"],
  ];
  const input = base();
  assert.notEqual(objectColumns(input), undefined, "the base input is read into columns");
  assert.ok(same("base", "previewScores", input).output.includes('"allocations"'));
  let [compared, columns] = [0, 0];
  for (const path of members) {
    same(`${path.join("/")} removed`, "previewScores", withValue(input, path, undefined, true));
    for (const value of hostile()) {
      const changed = withValue(input, path, value);
      const name = `${path.join("/")} = ${typeof value === "symbol" || typeof value === "bigint" ? String(value) : JSON.stringify(value)}`;
      same(name, "previewScores", changed);
      compared += 1;
      if (objectColumns(changed) !== undefined) columns += 1;
    }
  }
  // Most values are left to JSON text (or refused there), but many are read into columns.
  assert.ok(compared > 1_300, `${compared}`);
  assert.ok(columns >= 100, `${columns}`);
});

test("a line's sku, categories and owners cross only when a line filter names them, and answer the same either way", () => {
  const lineIds = (input, within) => {
    const { transactions } = objectColumns(input, within);
    return [transactions.lineSkus, transactions.lineCategories, transactions.lineOwnerCollaboratorIds].map((c) => c !== undefined);
  };
  // The sample year's configuration filters by type only: they are checked, not kept.
  assert.deepEqual(lineIds(base()), [false, false, false]);
  const filters = [{ withSkus: ["EBOOK"] }, { inCategories: ["5"] }, { collaboratorOwned: true }];
  for (const filter of filters) {
    const input = base();
    input.config = config.map((v) => ({ ...v, lineItemFilters: { ...v.lineItemFilters, ...filter } }));
    assert.deepEqual(lineIds(input), [true, true, true], JSON.stringify(filter));
    const name = JSON.stringify(filter);
    const out = same(name, "previewScores", input);
    // The filter changes the revenue: the lines' ids were read.
    assert.notEqual(JSON.parse(out.output).revenue, JSON.parse(same("no filter", "previewScores", base()).output).revenue, name);
    for (const path of [["transactions", 0, "details", 0, "sku"], ["transactions", 0, "details", 0, "categories", 0], ["transactions", 0, "details", 1, "ownerCollaboratorIds", 1]]) {
      for (const value of hostile()) same(`${name} ${path.join("/")}`, "previewScores", withValue(input, path, value));
    }
  }
  // A comparison whose variant adds a filter reads them for both.
  const simulation = { ...base(), start: "2026-01-01T00:00:00Z", end: "2026-04-01T00:00:00Z" };
  delete simulation.at;
  const filtered = config.map((v) => ({ ...v, lineItemFilters: { ...v.lineItemFilters, inCategories: ["books"] } }));
  const compared = { base: simulation, variant: { config: filtered } };
  assert.deepEqual(lineIds(compared, "base"), [true, true, true]);
  const comparison = JSON.parse(same("variant filter", "compare", compared).output);
  assert.notEqual(comparison.variant.totals.revenue, comparison.base.totals.revenue, "the variant's filter changes its revenue");
});

test("an input whose records are read into columns can still be simulated and compared the same way", () => {
  const input = base();
  delete input.at;
  const simulation = { ...input, start: "2026-01-01T00:00:00Z", end: "2026-04-01T00:00:00Z" };
  same("base", "simulate", simulation);
  same("base", "compare", { base: simulation, variant: { engagementTypes: { manual: 3 } } });
  // Records with a getter, a class instance, or a toJSON go through JSON text; the same answers.
  const withGetter = base();
  Object.defineProperty(withGetter.events[0], "type", { get: () => "courseCompleted", enumerable: true });
  same("getter", "previewScores", withGetter);
  const withToJson = base();
  withToJson.transactions[1].toJSON = () => ({ id: "x", occurredAt: "2026-01-10T00:00:00Z", total: 1 });
  same("toJSON", "previewScores", withToJson);
});

/** Timestamps and amounts the JS reads itself (the common shapes) cross as numbers; the rest
 * cross as text for the engine's readers. Either way the answer is the JSON text's. */
test("timestamps of the common shape are read in JS to the instant V8's ISO reader gives", () => {
  // A seeded walk over years 0000–9999, every month's last days, offsets and fractions.
  let seed = 7;
  const next = (n) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const pad = (n, width) => String(n).padStart(width, "0");
  const texts = ["2024-02-29T23:59:59.999Z", "2000-02-29T00:00:00Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.9-00:01", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59+23:59"];
  for (let i = 0; i < 5_000; i++) {
    const [year, month] = [next(10_000), 1 + next(12)];
    const day = 1 + next(new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 ? 1 : 0));
    const fraction = ["", ".5", ".25", ".125"][next(4)];
    const offset = ["Z", `+${pad(next(24), 2)}:${pad(next(60), 2)}`, `-${pad(next(24), 2)}:${pad(next(60), 2)}`][next(3)];
    texts.push(`${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(next(24), 2)}:${pad(next(60), 2)}:${pad(next(60), 2)}${fraction}${offset}`);
  }
  const events = texts.map((occurredAt) => ({ collaboratorId: "7", type: "referredSiteVisit", occurredAt }));
  const read = objectColumns({ events, transactions: [] });
  assert.equal(read.events.occurredAt, undefined, "every text was read in JS");
  assert.deepEqual([...read.events.occurredAtMs], texts.map((text) => new Date(text).getTime()));
  // Outside the common shape, the column crosses as text: each of these alone sends it so.
  for (const other of ["2026-12-31T23:59:60Z", "2026-01-05T10:00:00.1234Z", "2026-01-05T10:00:00z", "2026-01-05t10:00:00Z", "2026-01-05 10:00:00Z", "2026-01-05T10:00:00+0530", "2026-01-05T10:00Z", "2026-01-05T10:00:00", "2026-01-05", " 2026-01-05T10:00:00Z", "2100-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-05T24:00:00Z", "2026-01-05T10:00:00+24:00", "2026-01-05T10:00:00.Z", "+02026-01-05T10:00:00Z"]) {
    const withOther = objectColumns({ events: [...events.slice(0, 3), { ...events[0], occurredAt: other }], transactions: [] });
    assert.equal(withOther.events.occurredAtMs, undefined, other);
    assert.equal(withOther.events.occurredAt.length, 1, other);
  }
});

test("instants read in JS and by the engine place events in the same cycles", () => {
  // Events a millisecond either side of cycle starts (Paris midnight), written with offsets
  // and fractions; with one in a shape the JS leaves to the engine, the whole column is text.
  const instants = ["2026-01-31T23:00:00Z", "2026-01-31T22:59:59.999Z", "2026-02-01T00:00:00.000+01:00", "2026-01-31T23:59:59.999+01:00", "2026-02-28T18:00:00-05:00", "2026-02-28T17:59:59.99-05:00", "2026-03-01T05:29:59.9+06:30"];
  for (const extra of [[], ["2026-02-15T12:00:00+0100"]]) {
    const input = base();
    delete input.at;
    input.events = [...instants, ...extra].map((occurredAt, i) => ({ id: `e${i}`, collaboratorId: String(7 + (i % 3)), type: "courseCompleted", occurredAt }));
    const read = objectColumns(input);
    assert.equal(read.events.occurredAtMs === undefined, extra.length > 0);
    same(`instants ${extra}`, "simulate", { ...input, start: "2026-01-01T00:00:00Z", end: "2026-04-01T00:00:00Z" });
  }
});

test("amounts of the common shape are scaled in JS as the engine scales them", () => {
  const input = base();
  const read = objectColumns(input);
  // 19.99, 99, 3.8, 4.999 | totals 50, 20.5 | refund 5.00: the finest is 3 places.
  assert.equal(read.transactions.amountScale, 3);
  assert.deepEqual([...read.transactions.lineAmount], [19990, 99000, 3800, 4999]);
  assert.deepEqual([...read.transactions.total], [NaN, 50000, 20500]);
  assert.deepEqual([...read.transactions.refundAmount], [5000, NaN]);
  // Anything else crosses as text (and is read, or refused, by the engine as from JSON).
  for (const amount of ["007", "1e2", " 12", "12 ", "1.", ".5", "-0", "-1", "+1", "1234567890123456", "0.1234567890123", "9007199254.7409921", "1,5", "", 1e21, 0.1 + 0.2]) {
    const changed = withValue(input, ["transactions", 0, "details", 0, "amount"], amount);
    const columns = objectColumns(changed);
    assert.equal(columns?.transactions.amountScale, undefined, JSON.stringify(amount));
    same(`amount ${JSON.stringify(amount)}`, "previewScores", changed);
  }
  // Plain amounts at a scale whose largest no longer fits 2^53: text, the same answer.
  const fine = withValue(input, ["transactions", 1, "total"], "999999999999.999");
  assert.equal(objectColumns(fine).transactions.amountScale, 3);
  const finer = withValue(fine, ["transactions", 0, "details", 3, "amount"], "0.00001");
  assert.equal(objectColumns(finer).transactions.amountScale, undefined);
  same("amount past 2^53 at the finest scale", "previewScores", finer);
});
