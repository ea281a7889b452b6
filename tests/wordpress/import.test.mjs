// The importer and the records, on both sites (tests/wordpress/sites.sh): the sample year goes in
// through POST /import with exact counts, GET /status agrees, GET /records for March 2026 (a month
// of the site's time zone, America/New_York) answers columns of the lengths counted here from the
// CSV files, and bad uploads are refused with their code, line and column and change nothing.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { NAMESPACE, ROOT, SITES, file, login, pluginLogLines, restFetch, restNonce, sharedChromium } from "./site.mjs";

// --- the sample year, counted independently of the plugin and of the engine -------------------

/** RFC 4180 rows (arrays of fields), blank lines skipped. */
function parseCsv(text) {
  const rows = [];
  let row = [], field = "", quoted = false, i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field), (field = "");
      if (!(row.length === 1 && row[0] === "")) rows.push(row);
      row = [];
    } else field += c;
  }
  row.push(field);
  if (!(row.length === 1 && row[0] === "")) rows.push(row);
  return rows;
}

/** Rows as objects keyed by the header. */
function records(name) {
  const [header, ...rows] = parseCsv(readFileSync(join(ROOT, "samples/year", name), "utf8"));
  return rows.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k]])));
}

const SAMPLE = Object.fromEntries(
  ["events", "transactions", "refunds", "collaborators"].map((kind) => [kind, readFileSync(join(ROOT, "samples/year", `${kind}.csv`))]),
);
const events = records("events.csv");
const lines = records("transactions.csv");
const refunds = records("refunds.csv");
const collaborators = records("collaborators.csv");
const transactions = new Map(); // id → {ms, lines, refunds: [ms]}
for (const l of lines) {
  const t = transactions.get(l.transactionId) ?? { ms: Date.parse(l.occurredAt), lines: 0, refunds: [] };
  t.lines++;
  transactions.set(l.transactionId, t);
}
for (const r of refunds) transactions.get(r.transactionId).refunds.push(Date.parse(r.occurredAt));

const COUNTS = {
  events: events.length,
  transactions: transactions.size,
  lines: lines.length,
  refunds: refunds.length,
  collaborators: collaborators.length,
};

// March 2026 in America/New_York: from 1 March 00:00 EST (UTC−5) to the last millisecond before
// 1 April 00:00 EDT (UTC−4), both included.
const MARCH = { from: Date.UTC(2026, 2, 1, 5), to: Date.UTC(2026, 3, 1, 4) - 1 };
const inMarch = (ms) => ms >= MARCH.from && ms <= MARCH.to;
const marchEvents = events.filter((e) => inMarch(Date.parse(e.occurredAt)));
const marchTransactions = [...transactions].filter(([, t]) => inMarch(t.ms) || t.refunds.some(inMarch));

test("the sample year counted from its files", () => {
  assert.equal(COUNTS.events, 48036);
  assert.equal(COUNTS.transactions, 11000);
  const newYork = new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York", dateStyle: "short", timeStyle: "short", hourCycle: "h23" });
  assert.equal(newYork.format(MARCH.from), "2026-03-01, 00:00");
  assert.equal(newYork.format(MARCH.to + 1), "2026-04-01, 00:00");
  assert.ok(marchEvents.length > 0 && marchTransactions.length > 0);
});

// --- against each site ----------------------------------------------------------------------------

const browser = sharedChromium();

for (const site of SITES) {
  describe(`WordPress ${site.version} (${site.base})`, () => {
    let nonce;
    const call = (route, options = {}) => restFetch(site, `/${NAMESPACE}${route}`, { page: browser.page, nonce, ...options });
    const upload = (files, headers = {}) => call("/import", { method: "POST", multipart: files, headers });
    const counts = async () => {
      const r = await call("/status");
      assert.equal(r.status, 200, r.text.slice(0, 300));
      return r.body.counts;
    };
    /** Asserts a refused upload: its status, code and (for bad files) where. */
    const refused = (r, status, code, where = {}) => {
      assert.equal(r.status, status, r.text.slice(0, 500));
      assert.equal(r.body?.code, code, r.text.slice(0, 500));
      assert.equal(r.body?.data?.status, status);
      for (const [k, v] of Object.entries(where)) assert.equal(r.body.data[k], v, `data.${k}: ${r.text.slice(0, 500)}`);
    };

    before(async () => {
      await login(browser.page, site, "admin");
      nonce = await restNonce(browser.page, site);
    });

    test("POST /import of the sample year: exact counts, and GET /status agrees", { timeout: 300_000 }, async () => {
      const r = await upload({
        events: file("events.csv", SAMPLE.events),
        transactions: file("transactions.csv", SAMPLE.transactions),
        refunds: file("refunds.csv", SAMPLE.refunds),
        collaborators: file("collaborators.csv", SAMPLE.collaborators),
      });
      assert.equal(r.status, 200, r.text.slice(0, 500));
      assert.deepEqual(r.body.imported, COUNTS);
      const status = await call("/status");
      assert.equal(status.status, 200, status.text.slice(0, 300));
      assert.equal(status.body.source, "tables");
      assert.deepEqual(status.body.counts, COUNTS);
      const eventMs = events.map((e) => Date.parse(e.occurredAt));
      assert.ok(status.body.firstMs <= Math.min(...eventMs), `firstMs ${status.body.firstMs}`);
      assert.ok(status.body.lastMs >= Math.max(...eventMs), `lastMs ${status.body.lastMs}`);
      assert.ok(status.body.firstMs >= Date.UTC(2025, 11, 31) && status.body.lastMs < Date.UTC(2027, 0, 2), "within the sample year");
    });

    test("GET /records for March 2026 (America/New_York): columns of the lengths counted from the files", { timeout: 120_000 }, async () => {
      const r = await call("/records", { params: MARCH });
      assert.equal(r.status, 200, r.text.slice(0, 500));
      const { events: ev, transactions: tx, collaborators: co } = r.body;
      assert.equal(r.body.source, "tables");

      // Events: those that occurred in the month, the same instants.
      assert.equal(ev.occurredAtMs.length, marchEvents.length);
      assert.equal(ev.collaboratorIndex.length, marchEvents.length);
      assert.equal(ev.typeIndex.length, marchEvents.length);
      assert.deepEqual([...ev.occurredAtMs].sort((a, b) => a - b), marchEvents.map((e) => Date.parse(e.occurredAt)).sort((a, b) => a - b));
      const eventCollaborators = marchEvents.map((e) => `${e.collaboratorId} ${Date.parse(e.occurredAt)}`).sort();
      assert.deepEqual(ev.collaboratorIndex.map((k, i) => `${ev.collaboratorIds[k]} ${ev.occurredAtMs[i]}`).sort(), eventCollaborators);

      // Transactions: those of the month or with a refund in it, each with all its lines and refunds.
      assert.ok(!Array.isArray(tx), "the sample's amounts fit the columns");
      assert.equal(tx.transactionIds.length, marchTransactions.length);
      assert.equal(tx.occurredAtMs.length, marchTransactions.length);
      assert.deepEqual([...tx.transactionIds].map(String).sort(), marchTransactions.map(([id]) => id).sort());
      const wantLines = marchTransactions.reduce((n, [, t]) => n + t.lines, 0);
      const wantRefunds = marchTransactions.reduce((n, [, t]) => n + t.refunds.length, 0);
      for (const c of ["lineTransactionIndex", "lineTypeIndex", "lineAmount"]) assert.equal(tx[c].length, wantLines, c);
      for (const c of ["lineQuantity", "lineSkus", "lineCategories", "lineOwnerCollaboratorIds"]) if (tx[c]) assert.equal(tx[c].length, wantLines, c);
      assert.equal((tx.refundTransactionIndex ?? []).length, wantRefunds, "refundTransactionIndex");
      assert.equal((tx.refundOccurredAtMs ?? []).length, wantRefunds, "refundOccurredAtMs");
      if (tx.refundAmount) assert.equal(tx.refundAmount.length, wantRefunds, "refundAmount");
      for (const c of ["statusIndex", "currencies", "total"]) if (tx[c]) assert.equal(tx[c].length, marchTransactions.length, c);
      assert.ok(Number.isInteger(tx.amountScale) && tx.amountScale >= 0 && tx.amountScale <= 12);

      // Collaborators: known ones, covering every collaborator the events name.
      const known = new Set(collaborators.map((c) => c.id));
      assert.ok(Array.isArray(co));
      for (const c of co) assert.ok(known.has(String(c.id)), `collaborator ${c.id}`);
      const given = new Set(co.map((c) => String(c.id)));
      for (const id of new Set(marchEvents.map((e) => e.collaboratorId))) if (known.has(id)) assert.ok(given.has(id), `collaborator ${id} of the events`);
    });

    test("a CSV with an unterminated quote → 400 siren_engine_bad_file at its line and column, nothing changed", async () => {
      const before = await counts();
      // Line 4 opens a quote at column 4 that is never closed.
      const bad = 'id,collaboratorId,type,occurredAt,points\ne1,ana,manual,2026-03-03T10:00:00Z,500\ne2,ben,referredSiteVisit,2026-03-10T10:00:00-05:00,\ne3,"cy,manual,2026-03-11T10:00:00Z,\n';
      refused(await upload({ events: file("bad-quote.csv", bad) }), 400, "siren_engine_bad_file", { field: "events", file: "bad-quote.csv", line: 4, column: 4 });
      assert.deepEqual(await counts(), before);
    });

    test("an unknown column → 400 at line 1 and the column's first character, nothing changed", async () => {
      const before = await counts();
      const header = "collaboratorId,type,occurredAt,when";
      const bad = `${header}\nana,manual,2026-03-03T10:00:00Z,x\n`;
      refused(await upload({ collaborators: file("collaborators.csv", SAMPLE.collaborators), events: file("events.csv", bad) }), 400, "siren_engine_bad_file", {
        field: "events",
        line: 1,
        column: header.indexOf("when") + 1,
      });
      assert.deepEqual(await counts(), before);
    });

    test("a good file with a bad one: nothing is written (one transaction)", async () => {
      const before = await counts();
      const goodEvents = "collaboratorId,type,occurredAt\nana,manual,2026-03-03T10:00:00Z\n";
      const badLine = 't1,2026-03-05T10:00:00Z,product,"12.00';
      const badTransactions = `transactionId,occurredAt,lineType,amount\nt2,2026-03-04T10:00:00Z,product,5.00\n${badLine}\n`;
      refused(await upload({ events: file("events.csv", goodEvents), transactions: file("transactions.csv", badTransactions) }), 400, "siren_engine_bad_file", {
        field: "transactions",
        line: 3,
        column: badLine.indexOf('"') + 1,
      });
      assert.deepEqual(await counts(), before);
    });

    test("PNG bytes named .csv → 415 siren_engine_bad_type, nothing changed", async () => {
      const before = await counts();
      const png = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5e0e6d30000000049454e44ae426082", "hex");
      refused(await upload({ events: file("events.csv", png, "text/csv") }), 415, "siren_engine_bad_type");
      assert.deepEqual(await counts(), before);
    });

    test("a file over siren_engine_max_upload_bytes → 413 siren_engine_too_large, nothing changed", async () => {
      const before = await counts();
      // The test site's mu-plugin lowers the filter to this header's value (sites.sh).
      const r = await upload({ events: file("events.csv", SAMPLE.events) }, { "X-Siren-Test-Max-Upload-Bytes": "100000" });
      refused(r, 413, "siren_engine_too_large");
      assert.deepEqual(await counts(), before);
    });

    test("an upload without files → 400, nothing changed", async () => {
      const before = await counts();
      const r = await call("/import", { method: "POST", multipart: { note: "no files" } });
      assert.equal(r.status, 400, r.text.slice(0, 300));
      assert.deepEqual(await counts(), before);
    });

    test("one kind replaces only that kind: collaborators as JSON, then the CSV again", async () => {
      const r = await upload({ collaborators: file("collaborators.json", JSON.stringify([{ id: "ana", name: "Lopez, Ana" }, { id: "ben" }]), "application/json") });
      assert.equal(r.status, 200, r.text.slice(0, 300));
      assert.equal(r.body.imported.collaborators, 2);
      assert.deepEqual(await counts(), { ...COUNTS, collaborators: 2 });
      const back = await upload({ collaborators: file("collaborators.csv", SAMPLE.collaborators) });
      assert.equal(back.status, 200, back.text.slice(0, 300));
      assert.deepEqual(await counts(), COUNTS);
    });

    test("the debug log has no line about the plugin", () => {
      assert.deepEqual(pluginLogLines(site), []);
    });
  });
}
