// Where records come from (docs/wordpress.md, "Where records come from"), on both sites
// (tests/wordpress/sites.sh): the `siren_engine_records` filter first, then Siren through its REST API
// read with rest_do_request, else the plugin's tables. The sites' second must-use plugin
// (siren-engine-test-sources.php, written by sites.sh) supplies the other sources only to a request
// carrying X-Siren-Test-Source: `siren` registers fake `siren/v1` routes serving
// tests/wordpress/fixtures/siren/ as recorded; `filter` adds a filter returning a few records in the
// engine's object shapes; `filter-bad-*` a filter returning something malformed. Every value expected
// here is written out or computed by hand from those files, not taken from the plugin; the winners
// preview of a Siren distributor is checked against the engine (pkg/node) run here on the same records.
// Requests without the header see the tables, unchanged by this file.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { NAMESPACE, ROOT, SITES, adminUrl, launchChromium, login, pluginLogLines, restFetch, restNonce, sharedChromium } from "./site.mjs";
import { eventColumns, transactionColumns } from "../../www/rest.mjs"; // as the screens' worker loads them

const require = createRequire(import.meta.url);
const engine = require("../../pkg/node/siren_engine.js");

const FIXTURES = join(ROOT, "tests/wordpress/fixtures/siren");
const fixture = (name) => JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));
const SOURCE = "X-Siren-Test-Source";
const MIN_MS = -62135596800000; // 0001-01-01T00:00:00Z, the range GET /status asks the filter for
const MAX_MS = 253402300799999; // 9999-12-31T23:59:59.999Z
const ms = (iso) => {
  const v = Date.parse(iso);
  assert.ok(Number.isFinite(v), iso);
  return v;
};
const STATUS_NAMES = ["complete", "refunded", "cancelled"];
const LINE_TYPE_NAMES = ["product", "subscription", "fee", "discount", "shipping", "tax"];

// --- Siren: the fixtures as the mapping reads them, written out by hand ---------------------------

// Siren's distributors as GET /distributors lists them (the deleted one, 3, is left out); the recipe
// is made from the payload's name, description, resolvers, status, units and schedule, the payload
// itself is the configuration (tests/wordpress/php/SirenMappingTest.php asserts the same).
const SIREN_DISTRIBUTORS = [
  {
    id: "siren-1",
    name: "Content Creator Profit Share",
    source: "siren",
    recipe: {
      version: 1,
      name: "Content Creator Profit Share",
      description: "Splits the monthly pool among creators proportionally to their blog post visit scores.",
      distributors: {
        contentCreatorProfitShare: {
          name: "Content Creator Profit Share",
          description: "Splits the monthly pool among creators proportionally to their blog post visit scores.",
          distributionResolver: "performanceSharedPool",
          distributionPoolResolver: "revenueSinceLastDistribution",
          status: "active",
          units: "USD",
          schedule: ["first day of next month"],
        },
      },
    },
    distributorKey: "contentCreatorProfitShare",
    config: fixture("distributor-1-extended.json"),
  },
  {
    id: "siren-2",
    name: "Monthly Sales Bonus",
    source: "siren",
    recipe: {
      version: 1,
      name: "Monthly Sales Bonus",
      description: "The top seller of the month takes the whole pool.",
      distributors: {
        monthlySalesBonus: {
          name: "Monthly Sales Bonus",
          description: "The top seller of the month takes the whole pool.",
          distributionResolver: "topScoreWins",
          distributionPoolResolver: "revenueSinceLastDistribution",
          status: "inactive",
          units: "USD",
          schedule: ["first day of next month", "+14 days"],
        },
      },
    },
    distributorKey: "monthlySalesBonus",
    config: fixture("distributor-2-extended.json"),
    modified: "2026-01-01 00:00:00",
  },
];

// Siren's records in the engine's object shapes. Engagements: 504 has no collaborator and is skipped;
// a `score` is points only for a manual credit; dates without an offset are UTC. Transactions: a
// detail's `value` is minor units (2 decimals for USD, none for JPY), `amount` major units as written;
// "products" is the line type `product`.
const SIREN_RECORDS = {
  events: [
    { id: "501", collaboratorId: "7", type: "referredSiteVisit", occurredAt: "2026-03-03T10:00:00Z" },
    { id: "502", collaboratorId: "8", type: "manual", occurredAt: "2026-03-04T11:30:00Z", points: 850 },
    { id: "503", collaboratorId: "9", type: "boundCouponUsed", occurredAt: "2026-03-10T10:00:00-05:00" },
  ],
  transactions: [
    {
      id: "101",
      occurredAt: "2026-03-05T10:00:00Z",
      status: "complete",
      currency: "USD",
      details: [
        { type: "product", amount: "25000.00", quantity: 2, sku: "COURSE-A", categories: ["courses", "video"], ownerCollaboratorIds: ["7"] },
        { type: "discount", amount: "5.00", quantity: 1 },
      ],
    },
    { id: "102", occurredAt: "2026-03-20T16:45:00+09:00", status: "refunded", currency: "JPY", total: "10500", refunds: [{ occurredAt: "2026-03-25T08:00:00Z", amount: "500" }] },
    { id: "103", occurredAt: "2026-03-21T12:00:00Z", status: "complete", currency: "USD", details: [{ type: "product", amount: "19.99" }] },
  ],
  collaborators: [{ id: "7", name: "Ana Lopez", status: "active" }, { id: "8", name: "Ben Okafor", status: "pending" }, { id: "9" }],
};

// The fixtures' records are all in March 2026 (UTC).
const MARCH = { from: Date.UTC(2026, 2, 1), to: Date.UTC(2026, 3, 1) - 1 };

// GET /records for March: every record, amounts as whole hundredths (19.99 has the most decimals).
const SIREN_MARCH = {
  source: "siren",
  events: {
    collaboratorIndex: [0, 1, 2],
    typeIndex: [0, 1, 2],
    occurredAtMs: [Date.UTC(2026, 2, 3, 10), Date.UTC(2026, 2, 4, 11, 30), Date.UTC(2026, 2, 10, 15)],
    collaboratorIds: ["7", "8", "9"],
    typeNames: ["referredSiteVisit", "manual", "boundCouponUsed"],
    points: [null, 850, null],
    eventIds: ["501", "502", "503"],
  },
  transactions: {
    transactionIds: ["101", "102", "103"],
    occurredAtMs: [Date.UTC(2026, 2, 5, 10), Date.UTC(2026, 2, 20, 7, 45), Date.UTC(2026, 2, 21, 12)],
    statusIndex: [0, 1, 0],
    statusNames: STATUS_NAMES,
    currencies: ["USD", "JPY", "USD"],
    total: [null, 1050000, null],
    amountScale: 2,
    lineTransactionIndex: [0, 0, 2],
    lineTypeIndex: [0, 3, 0],
    lineTypeNames: LINE_TYPE_NAMES,
    lineAmount: [2500000, 500, 1999],
    lineQuantity: [2, 1, 1],
    lineSkus: ["COURSE-A", null, null],
    lineCategories: [["courses", "video"], null, null],
    lineOwnerCollaboratorIds: [["7"], null, null],
    refundTransactionIndex: [1],
    refundOccurredAtMs: [Date.UTC(2026, 2, 25, 8)],
    refundAmount: [50000],
  },
  collaborators: SIREN_RECORDS.collaborators,
};

// GET /records for the last ten days of March: no event, and only 102, kept for its refund on the 25th.
const LATE_MARCH = { from: Date.UTC(2026, 2, 22), to: MARCH.to };
const SIREN_LATE_MARCH = {
  source: "siren",
  events: { collaboratorIndex: [], typeIndex: [], occurredAtMs: [], collaboratorIds: [], typeNames: [] },
  transactions: {
    transactionIds: ["102"],
    occurredAtMs: [Date.UTC(2026, 2, 20, 7, 45)],
    statusIndex: [1],
    statusNames: STATUS_NAMES,
    currencies: ["JPY"],
    total: [10500],
    amountScale: 0,
    lineTransactionIndex: [],
    lineTypeIndex: [],
    lineTypeNames: LINE_TYPE_NAMES,
    lineAmount: [],
    refundTransactionIndex: [0],
    refundOccurredAtMs: [Date.UTC(2026, 2, 25, 8)],
    refundAmount: [500],
  },
  collaborators: SIREN_RECORDS.collaborators,
};

const SIREN_STATUS = {
  source: "siren",
  counts: { events: 3, transactions: 3, lines: 3, refunds: 1, collaborators: 3 },
  firstMs: Date.UTC(2026, 2, 3, 10), // engagement 501
  lastMs: Date.UTC(2026, 2, 25, 8), // the refund of 102
};

// --- the filter's records (sites.sh's siren_engine_test_filter_records), by hand -------------------

// In March 2026 (UTC): the events fe1 and ben's (fe3 is in February), the transactions ft1, ft2 (of
// February, kept for its refund in March) and ft4; ft3 (January, total 10.125) is left out, so its
// three decimals do not count: the scale is that of 49.99.
const FILTER_MARCH = {
  source: "filter",
  events: {
    collaboratorIndex: [0, 1],
    typeIndex: [0, 1],
    occurredAtMs: [Date.UTC(2026, 2, 2, 9), Date.UTC(2026, 2, 3, 17)],
    collaboratorIds: ["ana", "ben"],
    typeNames: ["manual", "referredSiteVisit"],
    points: [300, null],
    eventIds: ["fe1", null],
  },
  transactions: {
    transactionIds: ["ft1", "ft2", "ft4"],
    occurredAtMs: [Date.UTC(2026, 2, 4, 10), Date.UTC(2026, 1, 20, 10), Date.UTC(2026, 2, 10, 10)],
    statusIndex: [0, 1, 0],
    statusNames: STATUS_NAMES,
    currencies: ["USD", "USD", "EUR"],
    total: [null, null, 1500],
    amountScale: 2,
    lineTransactionIndex: [0, 0, 1],
    lineTypeIndex: [0, 4, 0],
    lineTypeNames: LINE_TYPE_NAMES,
    lineAmount: [4999, 450, 12000],
    lineQuantity: [2, 1, 1],
    lineSkus: ["EBOOK", null, null],
    lineCategories: [["books"], null, null],
    lineOwnerCollaboratorIds: [["ana"], null, null],
    refundTransactionIndex: [1, 2],
    refundOccurredAtMs: [Date.UTC(2026, 2, 6, 10), Date.UTC(2026, 2, 11, 10)],
    refundAmount: [12000, null], // ft4's refund has no amount: a full refund
  },
  collaborators: [{ id: "ana", name: "Ana", status: "active" }, { id: "ben" }],
};

const FILTER_STATUS = {
  source: "filter",
  counts: { events: 3, transactions: 4, lines: 3, refunds: 2, collaborators: 2 },
  firstMs: Date.UTC(2026, 0, 15, 10), // ft3
  lastMs: Date.UTC(2026, 2, 11, 10), // ft4's refund
};

// What the filter returns by mistake (sites.sh's siren_engine_test_bad_records) → the path the
// message names.
const BAD_FILTERS = {
  "filter-bad-amount": "/transactions/0/details/0/amount",
  "filter-bad-negative": "/transactions/0/details/1/amount",
  "filter-bad-date": "/events/0/occurredAt",
  "filter-bad-status": "/transactions/0/status",
  "filter-bad-line-type": "/transactions/0/details/0/type",
  "filter-bad-points": "/events/0/points",
  "filter-bad-quantity": "/transactions/0/details/0/quantity",
  "filter-bad-nested": "/events/0/collaboratorId",
  "filter-bad-refund": "/transactions/1/refunds/0/amount",
  "filter-bad-collaborator": "/collaborators/0/name",
  "filter-bad-shape": "/transactions/0/id",
  "filter-bad-type": null, // a text instead of records
  "filter-bad-error": null, // a WP_Error instead of records
};

test("the expected values agree with the fixture files", () => {
  // Siren's records: the same ids, and the instants and amounts the fixtures give.
  const transactions = fixture("transactions.json");
  assert.deepEqual(SIREN_RECORDS.transactions.map((t) => t.id), transactions.map((t) => String(t.id)));
  assert.deepEqual(SIREN_MARCH.transactions.occurredAtMs, transactions.map((t) => ms(/[+-]\d\d:\d\d$/.test(t.dateCreated) ? t.dateCreated : `${t.dateCreated.replace(" ", "T")}Z`)));
  assert.deepEqual(SIREN_MARCH.transactions.lineAmount, [transactions[0].details[0].value, transactions[0].details[1].value, 1999]);
  assert.equal(SIREN_MARCH.transactions.total[1], Number(transactions[1].total) * 100);
  assert.equal(SIREN_MARCH.transactions.refundAmount[0], transactions[1].refunds[0].value * 100); // JPY: the value is in yen
  const engagements = fixture("engagements.json").filter((e) => e.collaboratorId !== undefined);
  assert.deepEqual(SIREN_MARCH.events.eventIds, engagements.map((e) => String(e.id)));
  assert.deepEqual(SIREN_MARCH.events.occurredAtMs, SIREN_RECORDS.events.map((e) => ms(e.occurredAt)));
  assert.deepEqual(SIREN_RECORDS.collaborators.map((c) => c.id), fixture("collaborators.json").map((c) => String(c.id)));
  // The distributors: the list holds three, one deleted.
  assert.deepEqual(fixture("distributors.json").map((d) => `${d.id}:${d.status}`), ["1:active", "2:inactive", "3:deleted"]);
  // The filter's instants.
  assert.equal(FILTER_MARCH.events.occurredAtMs[1], ms("2026-03-03T12:00:00-05:00"));
});

// --- against each site -----------------------------------------------------------------------------

const browser = sharedChromium();

/** The problems that concern the plugin (as screens.test.mjs counts them). */
const ours = (problems) => problems.filter((p) => !p.startsWith("request failed: ") || p.includes("siren-engine"));

for (const site of SITES) {
  describe(`WordPress ${site.version} (${site.base})`, () => {
    let nonce;
    let tablesBefore;
    let savedBefore;
    const call = (route, source, options = {}) =>
      restFetch(site, `/${NAMESPACE}${route}`, { page: browser.page, nonce, ...options, headers: { ...(source ? { [SOURCE]: source } : {}), ...(options.headers ?? {}) } });
    const ok = (r) => {
      assert.equal(r.status, 200, r.text.slice(0, 500));
      return r.body;
    };

    before(async () => {
      await login(browser.page, site, "admin");
      nonce = await restNonce(browser.page, site);
      tablesBefore = ok(await call("/status"));
      savedBefore = ok(await call("/distributors"));
    });

    test("without the header: the tables, and no distributor from Siren", () => {
      assert.equal(tablesBefore.source, "tables");
      assert.deepEqual(Object.keys(tablesBefore.counts).sort(), ["collaborators", "events", "lines", "refunds", "transactions"]);
      assert.ok(savedBefore.every((d) => d.source === "saved"), JSON.stringify(savedBefore.map((d) => d.id)));
    });

    // --- Siren -------------------------------------------------------------------------------------

    test("Siren: GET /status has the source siren and the counts of the fixtures", async () => {
      assert.deepEqual(ok(await call("/status", "siren")), SIREN_STATUS);
    });

    test("Siren: GET /distributors lists the saved distributors, then Siren's (the deleted one left out)", async () => {
      const list = ok(await call("/distributors", "siren"));
      assert.deepEqual(list.filter((d) => d.source === "saved"), savedBefore);
      assert.deepEqual(list.slice(savedBefore.length), SIREN_DISTRIBUTORS);
    });

    test("Siren: GET /records for March 2026 is every record, in columns computed by hand", async () => {
      assert.deepEqual(ok(await call("/records", "siren", { params: MARCH })), SIREN_MARCH);
    });

    test("Siren: GET /records for 22–31 March keeps only the transaction refunded in it", async () => {
      assert.deepEqual(ok(await call("/records", "siren", { params: LATE_MARCH })), SIREN_LATE_MARCH);
    });

    test("Siren: the columns load into the engine as the mapped records do", async () => {
      const body = ok(await call("/records", "siren", { params: MARCH }));
      const loaded = new engine.Engine();
      try {
        loaded.loadEventsColumns(eventColumns(body.events));
        loaded.loadTransactionsColumns(transactionColumns(body.transactions));
        for (const d of SIREN_DISTRIBUTORS) {
          const input = previewInput(d);
          assert.deepEqual(loaded.preview({ ...input, collaborators: body.collaborators }), engine.previewScores({ ...input, ...SIREN_RECORDS }), d.id);
        }
      } finally {
        loaded.free();
      }
    });

    test("Siren: PUT and DELETE of a Siren distributor → 409 siren_engine_read_only, nothing changed", async () => {
      const [entry] = SIREN_DISTRIBUTORS;
      const body = { name: entry.name, recipe: entry.recipe, distributorKey: entry.distributorKey, config: entry.config };
      for (const [method, options] of [["PUT", { body }], ["DELETE", {}]]) {
        const r = await call(`/distributors/${entry.id}`, "siren", { method, ...options });
        assert.equal(r.status, 409, `${method}: ${r.text.slice(0, 300)}`);
        assert.equal(r.body.code, "siren_engine_read_only", method);
        assert.equal(r.body.data?.status, 409, method);
      }
      const list = ok(await call("/distributors", "siren"));
      assert.deepEqual(list.slice(savedBefore.length), SIREN_DISTRIBUTORS);
      assert.deepEqual(ok(await call("/distributors")), savedBefore);
    });

    // --- the filter ------------------------------------------------------------------------------

    test("filter: GET /status has the source filter and its counts; the filter was asked for every instant", async () => {
      const r = await call("/status", "filter");
      assert.deepEqual(ok(r), FILTER_STATUS);
      assert.deepEqual(JSON.parse(r.headers["x-siren-test-filter-calls"]), [[MIN_MS, MAX_MS]]);
    });

    test("filter: GET /records for March 2026: columns computed by hand, what is outside trimmed", async () => {
      const r = await call("/records", "filter", { params: MARCH });
      assert.deepEqual(ok(r), FILTER_MARCH);
      assert.deepEqual(JSON.parse(r.headers["x-siren-test-filter-calls"]), [[MARCH.from, MARCH.to]]);
    });

    test("filter first: with both the filter and Siren, the filter's records", async () => {
      assert.deepEqual(ok(await call("/status", "siren,filter")), FILTER_STATUS);
      assert.deepEqual(ok(await call("/records", "siren,filter", { params: MARCH })), FILTER_MARCH);
      // Siren's distributors are still listed: the filter supplies records, not distributors.
      assert.deepEqual(ok(await call("/distributors", "siren,filter")).slice(savedBefore.length), SIREN_DISTRIBUTORS);
    });

    test("filter: malformed records → 500 siren_engine_bad_records naming where, without a PHP warning", async () => {
      for (const [which, path] of Object.entries(BAD_FILTERS)) {
        for (const [route, params] of [["/status", {}], ["/records", MARCH]]) {
          const r = await call(route, which, { params });
          assert.equal(r.status, 500, `${which} ${route}: ${r.text.slice(0, 300)}`);
          assert.equal(r.body?.code, "siren_engine_bad_records", `${which} ${route}: ${r.text.slice(0, 300)}`);
          assert.equal(r.body.data?.status, 500);
          assert.match(r.body.message, /^The records supplied by filter cannot be read: /, `${which} ${route}`);
          if (path) assert.ok(r.body.message.includes(`${path}: `), `${which} ${route}: ${r.body.message}`);
        }
      }
      assert.deepEqual(pluginLogLines(site), []);
    });

    // --- the tables again ---------------------------------------------------------------------------

    test("without the header again: the tables, unchanged", async () => {
      assert.deepEqual(ok(await call("/status")), tablesBefore);
      assert.deepEqual(ok(await call("/distributors")), savedBefore);
    });

    // --- the winners preview of a Siren distributor -------------------------------------------------

    test("the winners preview of a Siren distributor, with the header on every request of the page", { timeout: 180_000 }, async (t) => {
      const { page, context, problems, close } = await launchChromium();
      try {
        await login(page, site, "admin");
        await context.setExtraHTTPHeaders({ [SOURCE]: "siren" });
        await page.goto(adminUrl(site, "admin.php?page=siren-engine"));
        await page.waitForSelector('#siren-engine-root[data-ready="true"]', { timeout: 60_000 });
        const options = await page.$$eval("#siren-distributor option", (o) => o.map((x) => [x.value, x.textContent]));
        assert.deepEqual(options.slice(savedBefore.length), [["siren-1", "Content Creator Profit Share (Siren)"], ["siren-2", "Monthly Sales Bonus (Siren)"]]);
        // As of 31 March 2026, noon in the site's time zone (America/New_York): the March cycle.
        await page.fill("#siren-at-date", "2026-03-31");
        await page.fill("#siren-at-time", "12:00");
        await page.selectOption("#siren-distributor", "siren-1");
        await page.click("#siren-run");
        await page.waitForFunction(() => document.querySelector('[data-field="pool"]')?.dataset.amount && !document.querySelector(".siren-progress:not([hidden])"), null, { timeout: 60_000 });
        await page.waitForFunction(() => /March 1, 2026/.test(document.querySelector("#siren-preview")?.textContent ?? ""), null, { timeout: 60_000 });

        const [d] = SIREN_DISTRIBUTORS;
        const expected = engine.previewScores({ ...previewInput(d, "2026-03-31T12:00:00-04:00"), top: 20, ...SIREN_RECORDS });
        assert.equal(expected.window.start, "2026-03-01T00:00:00-05:00");
        assert.equal(await page.getAttribute('[data-field="pool"]', "data-amount"), expected.pool);
        assert.equal(await page.getAttribute('[data-field="revenue"]', "data-amount"), expected.revenue);
        const shown = await page.$$eval("#siren-allocations [data-collaborator]", (s) => s.map((x) => [x.dataset.collaborator, x.dataset.amount]));
        assert.deepEqual(shown, expected.allocations.map((a) => [a.collaboratorId, a.amount]));
        // 20% of the USD revenue of products less discounts: 2 × 25,000.00 − 5.00 + 19.99 (the JPY
        // transaction is in other units). The only one who scored, Ben Okafor (8, a manual credit of
        // 850), is pending, so nobody is paid yet; 7 and 9 are on the board with nothing.
        assert.equal(expected.revenue, "50014.99");
        assert.equal(expected.pool, "10003.00");
        assert.deepEqual(expected.allocations, []);
        assert.equal(await page.textContent('[data-field="winner"]'), "Nobody yet");
        const board = await page.$$eval("table.leaderboard tbody tr", (trs) => trs.map((tr) => tr.dataset.collaborator));
        assert.deepEqual(board, expected.leaderboard.map((e) => e.collaboratorId));
        assert.deepEqual(board, ["7", "9"]);
        t.diagnostic(`${site.id}: Siren distributor ${d.id}: pool ${expected.pool} of revenue ${expected.revenue}, allocations ${JSON.stringify(expected.allocations)}`);
        // The notice area holds no error.
        assert.equal(await page.locator("#siren-notice .notice-error").count(), 0);
        assert.deepEqual(ours(problems), []);
      } finally {
        await close();
      }
      assert.deepEqual(pluginLogLines(site), []);
    });

    test("the debug log has no line about the plugin", () => {
      assert.deepEqual(pluginLogLines(site), []);
    });
  });
}

/** The engine's input for a distributor entry's preview (as www/wordpress.mjs makes it). */
function previewInput(d, at = "2026-03-31T12:00:00-04:00") {
  return { recipe: d.recipe, distributorKey: d.distributorKey, config: d.config, timeZone: "America/New_York", policies: {}, at };
}
