// The shared table helpers of the command line (cli/format.mjs): exact text, so `preview`,
// `simulate` and `compare` print cycles the same way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatTable, formatLeaderboard, formatAllocations, formatCycleTable, allocationsCsv, csvField } from "../../cli/format.mjs";

const cycle = (over) => ({
  index: 3,
  window: { start: "2026-03-01T00:00:00+00:00", end: "2026-04-01T00:00:00+00:00" },
  status: "distributed",
  revenue: "100000.00",
  pool: "5000.00",
  units: "USD",
  leaderboard: [
    { collaboratorId: "ana", score: 850, rank: 1, breakdown: { manual: 800, referredSiteVisit: 50 }, behindLeader: 0 },
    { collaboratorId: "7", score: 12, rank: 2, breakdown: { referredSiteVisit: 12 }, behindLeader: 838 },
  ],
  allocations: [
    { collaboratorId: "ana", amount: "4999.99" },
    { collaboratorId: "7", amount: "0.01" },
  ],
  notes: [],
  ...over,
});

test("formatTable aligns columns; right-aligned ones pad on the left; no trailing spaces", () => {
  const text = formatTable(
    [
      { header: "Who", value: (r) => r[0] },
      { header: "Amount", align: "right", value: (r) => r[1] },
      { header: "Note", value: (r) => r[2] },
    ],
    [["a", "1.00", ""], ["longer name", "12345.67", "x"]],
  );
  assert.equal(text, "Who            Amount  Note\na                1.00\nlonger name  12345.67  x");
});

test("formatLeaderboard: a column per engagement type, zeros where none, names, and '… N more'", () => {
  const names = new Map([["ana", "Ana Lopez"]]);
  assert.equal(
    formatLeaderboard(cycle(), 20, { names }),
    [
      "  Rank  Collaborator     Score  manual  referredSiteVisit  Behind",
      "     1  ana (Ana Lopez)    850     800                 50       0",
      "     2  7                   12       0                 12     838",
    ].join("\n"),
  );
  assert.equal(
    formatLeaderboard(cycle(), 1),
    ["  Rank  Collaborator  Score  manual  referredSiteVisit  Behind", "     1  ana             850     800                 50       0", "  … 1 more"].join("\n"),
  );
  assert.equal(formatLeaderboard(cycle({ leaderboard: [] })), "  (nobody scored)");
});

test("formatAllocations and formatCycleTable", () => {
  assert.equal(formatAllocations(cycle()), "  Collaborator   Amount  Units\n  ana           4999.99  USD\n  7                0.01  USD");
  assert.equal(formatAllocations(cycle({ allocations: [] })), "  (nothing allocated)");
  const cycles = [
    cycle({ index: 0, status: "noEngagement", revenue: "12.00", pool: "0.60", allocations: [], window: { start: "2026-01-01T00:00:00+00:00", end: "2026-02-01T00:00:00+00:00" } }),
    cycle(),
  ];
  assert.equal(
    formatCycleTable(cycles),
    [
      "#  Start                      End                        Status          Revenue     Pool  Units  Allocated to",
      "0  2026-01-01T00:00:00+00:00  2026-02-01T00:00:00+00:00  noEngagement      12.00     0.60  USD",
      "3  2026-03-01T00:00:00+00:00  2026-04-01T00:00:00+00:00  distributed   100000.00  5000.00  USD    ana 4999.99, 7 0.01",
    ].join("\n"),
  );
});

test("allocationsCsv quotes what needs quoting", () => {
  assert.equal(allocationsCsv(cycle()), "collaboratorId,amount,units\nana,4999.99,USD\n7,0.01,USD\n");
  assert.equal(allocationsCsv(cycle({ allocations: [{ collaboratorId: 'a,"b"', amount: "1.00" }] })), 'collaboratorId,amount,units\n"a,""b""",1.00,USD\n');
  assert.equal(allocationsCsv(cycle({ allocations: [] })), "collaboratorId,amount,units\n");
  assert.equal(csvField("two\nlines"), '"two\nlines"');
});

test("moneyFormat: Intl.NumberFormat on the exact decimal string, every digit kept", async () => {
  const { moneyFormat, exactMoney, isCurrency } = await import("../../cli/format.mjs");
  // Node formats a decimal string exactly (no trip through a binary double).
  const big = "12345678901234567.89";
  assert.notEqual(String(Number(big)), big, "a double cannot hold it");
  const intl = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(big);
  assert.equal(intl, "$12,345,678,901,234,567.89");
  const en = moneyFormat("en-US");
  assert.equal(en.cell(big, "USD"), intl);
  assert.equal(moneyFormat("de-DE").cell(big, "USD"), "12.345.678.901.234.567,89\u00a0$");
  // The engine's decimals, whatever the currency's usual ones; signs for changes; units that are
  // not a currency keep their name.
  assert.equal(en.cell("0.125", "USD"), "$0.125");
  assert.equal(en.cell("100", "JPY"), "¥100");
  assert.equal(en.cell("-12.50", "EUR", { sign: true }), "-€12.50");
  assert.equal(en.cell("12.50", "EUR", { sign: true }), "+€12.50");
  assert.equal(en.cell("0.00", "EUR", { sign: true }), "€0.00");
  assert.equal(en.text("1234", "points"), "1,234 points");
  assert.equal(en.cell("1234", "points"), "1,234");
  assert.equal(en.text("5000.00", "USD"), "$5,000.00");
  assert.equal(en.cell("n/a", "USD"), "n/a", "anything but a decimal is shown as it is");
  assert.equal(isCurrency("usd"), false);
  assert.equal(isCurrency("points"), false);
  // Without a locale: the engine's strings.
  assert.equal(moneyFormat(null), exactMoney);
  assert.equal(exactMoney.text("5000.00", "USD"), "5000.00 USD");
  assert.equal(exactMoney.cell("12.00", "USD", { sign: true }), "+12.00");
  assert.equal(formatAllocations(cycle(), { money: moneyFormat("de-DE") }), "  Collaborator      Amount  Units\n  ana           4.999,99\u00a0$  USD\n  7                 0,01\u00a0$  USD");
});
