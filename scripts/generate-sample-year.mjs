#!/usr/bin/env node
// Generates samples/year/: a realistic, reproducible year of a Milestone Rewards Program site
// (collaborators, engagement events, transactions with refunds, a pause and a mid-year weight
// change), as the CSV files the CLI reads. The same seed always gives byte-identical files.
//
//   node scripts/generate-sample-year.mjs [--seed N] [--out DIR]

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { uniform } from "../lib/prng.mjs";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const SEED = Number(flag("--seed", "20260101"));
const OUT = flag("--out", new URL("../samples/year/", import.meta.url).pathname);

const random = uniform(SEED);
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const pick = (items) => items[Math.floor(random() * items.length)];
const chance = (p) => random() < p;

const YEAR_START = Date.UTC(2026, 0, 1, 5, 0, 0); // 2026-01-01T00:00 in New York (EST)
const YEAR_END = Date.UTC(2027, 0, 1, 5, 0, 0);
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const cents = (n) => (n / 100).toFixed(2);
const csvField = (value) => {
  const text = value === undefined || value === null ? "" : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const csv = (header, rows) => [header.join(","), ...rows.map((r) => header.map((h) => csvField(r[h])).join(","))].join("\n") + "\n";

// -- collaborators: affiliates, creators and instructors; some pending or inactive.
const FIRST = ["Ada", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea", "Max", "Nia", "Oto", "Pia", "Raj", "Sol", "Tea", "Uma", "Vik", "Wes", "Xia", "Yan", "Zoe"];
const LAST = ["Adler", "Brook", "Castro", "Dubois", "Eze", "Fischer", "Garcia", "Haas", "Ito", "Jensen", "Khan", "Lopez", "Moreau", "Novak", "Okafor", "Patel", "Quinn", "Rossi", "Silva", "Tanaka"];
const collaborators = [];
for (let id = 1; id <= 320; id++) {
  const status = chance(0.05) ? "inactive" : chance(0.03) ? "pending" : "active";
  collaborators.push({ id, name: `${pick(FIRST)} ${pick(LAST)}`, status, activity: random() ** 3 });
}

// -- events: each collaborator has an activity level; busier ones generate more of everything.
const EVENT_TYPES = [
  ["referredSiteVisit", 0.72],
  ["boundCouponUsed", 0.1],
  ["lessonCompleted", 0.12],
  ["courseCompleted", 0.04],
  ["boundPostUsed", 0.02],
];
function eventType() {
  let r = random();
  for (const [type, p] of EVENT_TYPES) if ((r -= p) < 0) return type;
  return EVENT_TYPES[0][0];
}
const events = [];
const totalActivity = collaborators.reduce((s, c) => s + c.activity, 0);
const TARGET_EVENTS = 48_000;
for (const c of collaborators) {
  const n = Math.round((c.activity / totalActivity) * TARGET_EVENTS);
  for (let i = 0; i < n; i++) {
    events.push({ collaboratorId: c.id, type: eventType(), occurredAt: iso(YEAR_START + Math.floor(random() * (YEAR_END - YEAR_START) / 1000) * 1000) });
  }
}
// A few manual credits from the admin, with explicit points.
for (let i = 0; i < 40; i++) {
  events.push({ collaboratorId: pick(collaborators).id, type: "manual", points: pick([5, 10, 25, 50]), occurredAt: iso(YEAR_START + Math.floor(random() * (YEAR_END - YEAR_START) / 1000) * 1000) });
}
events.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.collaboratorId - b.collaboratorId));
events.forEach((e, i) => (e.id = `e${i + 1}`));

// -- transactions: one row per line; products with SKUs and categories, some owned by a
// collaborator (course royalties), shipping, tax, coupons, fees; a few in EUR (not counted).
const PRODUCTS = [
  ["COURSE-PHOTO", "courses", 149.0],
  ["COURSE-COOK", "courses", 99.0],
  ["EBOOK-GARDEN", "books", 19.99],
  ["EBOOK-CODE", "books", 24.5],
  ["KIT-CAMERA", "hardware", 349.0],
  ["MUG-LOGO", "merch", 12.0],
  ["TEE-LOGO", "merch", 22.0],
];
const transactions = [];
const refunds = [];
for (let t = 1; t <= 11_000; t++) {
  const occurredAtMs = YEAR_START + Math.floor(random() * (YEAR_END - YEAR_START) / 1000) * 1000;
  const id = `t${t}`;
  const currency = chance(0.02) ? "EUR" : "USD";
  const status = chance(0.015) ? "cancelled" : "complete";
  const base = { transactionId: id, status, occurredAt: iso(occurredAtMs), currency };
  let subtotal = 0;
  for (let l = int(1, 3); l > 0; l--) {
    const [sku, category, price] = pick(PRODUCTS);
    const quantity = category === "merch" ? int(1, 4) : 1;
    const owner = category === "courses" ? pick(collaborators).id : "";
    transactions.push({ ...base, lineType: chance(0.06) ? "subscription" : "product", amount: price.toFixed(2), quantity, sku, categories: category, ownerCollaboratorIds: owner });
    subtotal += Math.round(price * 100) * quantity;
  }
  if (chance(0.25)) {
    const discount = Math.round(subtotal * pick([0.1, 0.15, 0.2]));
    transactions.push({ ...base, lineType: "discount", amount: cents(discount), quantity: 1 });
    subtotal -= discount;
  }
  if (chance(0.4)) transactions.push({ ...base, lineType: "shipping", amount: pick(["4.99", "9.99", "14.50"]), quantity: 1 });
  if (chance(0.05)) transactions.push({ ...base, lineType: "fee", amount: "2.50", quantity: 1 });
  transactions.push({ ...base, lineType: "tax", amount: cents(Math.round(subtotal * 0.0725)), quantity: 1 });
  // Refunds: mostly within two weeks (often in the next cycle), full or partial.
  if (status === "complete" && chance(0.04)) {
    const refundAt = Math.min(occurredAtMs + int(1, 21) * 86_400_000, YEAR_END - 1000);
    refunds.push({ transactionId: id, occurredAt: iso(refundAt), amount: chance(0.5) ? "" : cents(Math.round(subtotal * 0.5)) });
  }
}
refunds.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : 1));

// -- configuration: the admin's settings, with a mid-year weight change on June 15th.
const config = [
  {
    effectiveFrom: "2026-01-01T00:00:00-05:00",
    engagementTypes: { referredSiteVisit: 1, boundCouponUsed: 5, courseCompleted: 10, lessonCompleted: 1, manual: 0 },
    revenuePercentage: 5,
    transactionCompilers: ["lineItems", "discounts"],
    lineItemFilters: { withTypes: ["product", "subscription"] },
  },
  {
    effectiveFrom: "2026-06-15T00:00:00-04:00",
    engagementTypes: { referredSiteVisit: 1, boundCouponUsed: 5, courseCompleted: 20, lessonCompleted: 2, manual: 0 },
    revenuePercentage: 7.5,
    transactionCompilers: ["lineItems", "discounts"],
    lineItemFilters: { withTypes: ["product", "subscription"] },
  },
];
const scenario = {
  description: "A year of the Milestone Rewards Program on a course and merchandise site (generated by scripts/generate-sample-year.mjs).",
  seed: SEED,
  distributorKey: "milestoneRewards",
  timeZone: "America/New_York",
  start: "2026-01-01T00:00:00-05:00",
  end: "2027-01-01T00:00:00-05:00",
  pauses: [{ from: "2026-07-20T00:00:00-04:00", until: "2026-08-10T00:00:00-04:00" }],
  policies: { tieBreak: "earliestToReach", carryOverUnawarded: false },
};

mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, "collaborators.csv"), csv(["id", "name", "status"], collaborators));
writeFileSync(join(OUT, "events.csv"), csv(["id", "collaboratorId", "type", "occurredAt", "points"], events));
writeFileSync(join(OUT, "transactions.csv"), csv(["transactionId", "status", "occurredAt", "currency", "lineType", "amount", "quantity", "sku", "categories", "ownerCollaboratorIds"], transactions));
writeFileSync(join(OUT, "refunds.csv"), csv(["transactionId", "occurredAt", "amount"], refunds));
writeFileSync(join(OUT, "config.json"), JSON.stringify(config, null, 2) + "\n");
writeFileSync(join(OUT, "scenario.json"), JSON.stringify(scenario, null, 2) + "\n");
console.log(`samples/year: ${collaborators.length} collaborators, ${events.length} events, ${new Set(transactions.map((t) => t.transactionId)).size} transactions (${transactions.length} lines), ${refunds.length} refunds`);
