// Deterministic benchmark data, generated in-process (mulberry32, the same generator as
// xtask/src/bench.rs, so Node and native runs see identical events and transactions).
export const MONTH_START_MS = Date.parse("2026-03-01T00:00:00Z");
export const MONTH_MS = 31 * 86_400_000;
export const COLLABORATORS = 5_000;
export const TYPE_NAMES = ["referredSiteVisit", "boundCouponUsed", "courseCompleted", "lessonCompleted", "manual"];

import { readFileSync } from "node:fs";
import { mulberry32 as rng } from "../lib/prng.mjs";
import { parseEvents, parseTransactions, attachRefunds, parseCollaborators } from "../lib/records.mjs";

export { rng };

/** n events in March 2026 (random order), as typed-array columns. */
export function eventColumns(n, seed = 1) {
  const next = rng(seed);
  const c = { collaboratorIndex: new Uint32Array(n), typeIndex: new Uint16Array(n), occurredAtMs: new Float64Array(n), points: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    c.collaboratorIndex[i] = next() % COLLABORATORS;
    const type = next() % TYPE_NAMES.length;
    c.typeIndex[i] = type;
    c.occurredAtMs[i] = MONTH_START_MS + (next() % (MONTH_MS / 1000)) * 1000;
    c.points[i] = type === 4 ? next() % 50 : NaN;
  }
  c.collaboratorIds = Array.from({ length: COLLABORATORS }, (_, i) => `c${i}`);
  c.typeNames = TYPE_NAMES;
  return c;
}

/** The same events as objects, the shape previewScores takes (and a host holds from REST). */
export function eventObjects(n, seed = 1) {
  const c = eventColumns(n, seed);
  const events = new Array(n);
  for (let i = 0; i < n; i++) {
    const e = { collaboratorId: c.collaboratorIds[c.collaboratorIndex[i]], type: TYPE_NAMES[c.typeIndex[i]], occurredAt: new Date(c.occurredAtMs[i]).toISOString() };
    if (!Number.isNaN(c.points[i])) e.points = c.points[i];
    events[i] = e;
  }
  return events;
}

/** t transactions of two lines (a product and shipping) in March, one in ten refunded in full;
 * ids "1", "2", … */
export function transactions(t, seed = 2) {
  const next = rng(seed);
  const out = new Array(t);
  for (let i = 0; i < t; i++) {
    const at = MONTH_START_MS + (next() % (MONTH_MS / 1000)) * 1000;
    const cents = 500 + (next() % 20_000);
    const tx = { id: String(i + 1), occurredAt: new Date(at).toISOString(), details: [{ type: "product", amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`, quantity: 1 + (next() % 3) }, { type: "shipping", amount: "4.99" }] };
    if (next() % 10 === 0) tx.refunds = [{ occurredAt: new Date(at + 3 * 86_400_000).toISOString() }];
    out[i] = tx;
  }
  return out;
}

/** The same transactions as `transactions(t, seed)`, as `Engine.loadTransactionsColumns` takes them
 * (cents; ids as numbers, as WooCommerce numbers its orders, or with `textIds` as strings). */
export function transactionColumns(t, seed = 2, { textIds = false } = {}) {
  const next = rng(seed);
  const c = { transactionIds: textIds ? new Array(t) : new Uint32Array(t), occurredAtMs: new Float64Array(t), amountScale: 2, lineTransactionIndex: new Uint32Array(2 * t), lineTypeIndex: new Uint8Array(2 * t), lineTypeNames: ["product", "shipping"], lineAmount: new Float64Array(2 * t), lineQuantity: new Uint32Array(2 * t) };
  const refundOf = [], refundAt = [];
  for (let i = 0; i < t; i++) {
    const at = MONTH_START_MS + (next() % (MONTH_MS / 1000)) * 1000;
    const cents = 500 + (next() % 20_000);
    c.transactionIds[i] = textIds ? String(i + 1) : i + 1;
    c.occurredAtMs[i] = at;
    c.lineTransactionIndex.set([i, i], 2 * i);
    c.lineTypeIndex.set([0, 1], 2 * i);
    c.lineAmount.set([cents, 499], 2 * i);
    c.lineQuantity.set([1 + (next() % 3), 1], 2 * i);
    if (next() % 10 === 0) refundOf.push(i), refundAt.push(at + 3 * 86_400_000);
  }
  c.refundTransactionIndex = Uint32Array.from(refundOf);
  c.refundOccurredAtMs = Float64Array.from(refundAt);
  return c;
}

export function config(weights = [1, 5, 10, 2, 3]) {
  return {
    engagementTypes: Object.fromEntries(TYPE_NAMES.map((t, i) => [t, weights[i]])),
    revenuePercentage: 10,
    transactionCompilers: ["lineItems", "shipping"],
  };
}

/** The preview input without records: March's window, as of its last second; with `top`, the
 * leaderboard, its explanation and shares list only that many collaborators. */
export function previewInput(weights, top) {
  return {
    ...(top ? { top } : {}),
    recipe: { version: 1, name: "Bench", description: "Benchmark", distributors: { d: { name: "D", description: "D", distributionResolver: "performanceSharedPool", distributionPoolResolver: "revenueSinceLastDistribution", status: "active", units: "USD", schedule: ["first day of next month"] } } },
    distributorKey: "d",
    config: config(weights),
    timeZone: "UTC",
    lastDistributionAt: "2026-03-01T00:00:00Z",
    at: "2026-03-31T23:59:59Z",
  };
}

/** The bundled sample year (samples/year, its recipe samples/recipes/milestone-rewards.json) as
 * objects, read as the command line reads them (lib/records.mjs). */
export function sampleYear() {
  const read = (path) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
  const transactions = parseTransactions("transactions.csv", read("samples/year/transactions.csv"));
  attachRefunds("refunds.csv", read("samples/year/refunds.csv"), transactions);
  return {
    events: parseEvents("events.csv", read("samples/year/events.csv")),
    transactions,
    collaborators: parseCollaborators("collaborators.csv", read("samples/year/collaborators.csv")),
    config: JSON.parse(read("samples/year/config.json")),
    scenario: JSON.parse(read("samples/year/scenario.json")),
    recipe: JSON.parse(read("samples/recipes/milestone-rewards.json")),
  };
}
