// The browser editor (www/) in real Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core): type a broken recipe and see the located error, fix it, load the sample year,
// preview, simulate, expand a cycle with the keyboard, export the allocations as CSV and compare
// a what-if. Every figure the page shows is checked against pkg/node run in this process on the
// same input, and a few against literal, hand-checked values. Screenshots of the main states go
// to test-results/screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { launch } from "./chromium.mjs";
import { sampleYear } from "../../bench/data.mjs";

const require = createRequire(import.meta.url);
const engine = require("../../pkg/node/siren_engine.js");
const root = new URL("../../", import.meta.url);
const SHOTS = new URL("test-results/screenshots/", root);
mkdirSync(SHOTS, { recursive: true });

let context;
let page;
let problems;
let close;

const shot = (name) => page.screenshot({ path: new URL(name, SHOTS).pathname });
const text = (selector) => page.locator(selector).first().textContent();
/** "132430.55" → "132,430.55 USD", as the page shows amounts (grouping only). */
const group = (amount) => amount.replace(/^(-?\d+)/, (d) => d.replace(/\B(?=(\d{3})+(?!\d))/g, ","));
const shown = (amount, units = "USD") => `${group(amount)} ${units}`;

// The sample year, read in this process for the expected values.
const sample = (() => {
  const { events, transactions, collaborators, config, scenario, recipe } = sampleYear();
  return {
    scenario,
    names: new Map(collaborators.map((c) => [String(c.id), c.name])),
    input: {
      recipe,
      distributorKey: scenario.distributorKey,
      config,
      collaborators,
      events,
      transactions,
      timeZone: scenario.timeZone,
      policies: scenario.policies,
      options: { strict: false },
    },
  };
})();

before(async () => {
  let origin;
  ({ page, context, problems, origin, close } = await launch({ acceptDownloads: true }));
  await page.goto(`${origin}/www/`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
});

after(async () => {
  await close?.();
});

const BROKEN = `{
"version": 1,
"name": "Milestone Rewards Program",
"description": "Monthly competitive reward.",
"distributors": {
"milestoneRewards": {
"name": "Milestone Rewards Program",
"description": "The whole monthly pool to the top score.",
"distributionResolver": "topScoreWin",
"distributionPoolResolver": "revenueSinceLastDistribution",
"status": "active",
"units": "USD",
"schedule": ["first day of next month"]
}
}
}`;

async function typeRecipe(recipeText) {
  await page.click("#recipe-text");
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.type(recipeText);
}

const diagnostics = () =>
  page.$$eval("#recipe-diagnostics li", (items) =>
    items.map((li) => ({ severity: li.className, code: li.dataset.code, path: li.dataset.path, line: Number(li.dataset.line), column: Number(li.dataset.column), text: li.textContent })),
  );

test("the engine starts in the page and its worker", async () => {
  assert.equal(await text("#engine-status"), `Engine ${engine.version()} ready (worker ${engine.version()}).`);
  assert.equal(await text("#recipe-status"), "The recipe is valid: 0 errors, 0 warnings.");
});

test("a JSON syntax error typed in the editor is located", async () => {
  await typeRecipe('{\n  "version": 1,\n  "name" "x"\n}');
  const list = await diagnostics();
  assert.equal(list.length, 1);
  assert.equal(list[0].code, "input.notJson");
  assert.equal(list[0].path, "");
  assert.deepEqual([list[0].line, list[0].column], [3, 10]);
  assert.match(list[0].text, /At line 3, column 10: expected `:` after the key, found `"`\./);
  assert.equal(await text("#recipe-status"), "The recipe has problems: 1 error, 0 warnings.");
});

test("a broken recipe typed key by key shows its located error; selecting it and typing the fix makes it valid", async () => {
  await typeRecipe(BROKEN);
  const list = await diagnostics();
  assert.deepEqual(
    list.map(({ severity, code, path, line, column }) => ({ severity, code, path, line, column })),
    [{ severity: "error", code: "distributor.unknownResolver", path: "/distributors/milestoneRewards/distributionResolver", line: 9, column: 1 }],
  );
  assert.match(list[0].text, /^9:1 error distributor\.unknownResolver \/distributors\/milestoneRewards\/distributionResolverUnknown distribution resolver `topScoreWin` \(did you mean `topScoreWins`\?\)/);
  assert.equal(await text("#recipe-status"), "The recipe has problems: 1 error, 0 warnings.");
  assert.equal(await page.getAttribute("#recipe-status", "aria-live"), "polite");
  // Marked in the text layer and in the gutter.
  assert.deepEqual(await page.$$eval("#recipe-panel .marks mark.error", (m) => m.map((x) => x.textContent)), ['"distributionResolver": "topScoreWin"']);
  assert.deepEqual(await page.$$eval("#recipe-panel .gutter .line-error", (g) => g.map((x) => x.dataset.line)), ["9"]);
  const validationMs = Number(await page.getAttribute("#recipe-status", "data-ms"));
  console.log(`# validateRecipe on the main thread, last keystroke: ${validationMs} ms`);
  assert.ok(validationMs < 50, `validation took ${validationMs} ms`);
  await shot("1-broken-recipe.png");

  // The location button selects the marked range; typing replaces it.
  await page.click("#recipe-diagnostics li button.locate");
  const selected = await page.$eval("#recipe-text", (t) => t.value.slice(t.selectionStart, t.selectionEnd));
  assert.equal(selected, '"distributionResolver": "topScoreWin"');
  await page.keyboard.type('"distributionResolver": "topScoreWins"');
  assert.equal(await text("#recipe-status"), "The recipe is valid: 0 errors, 0 warnings.");
  assert.deepEqual(await diagnostics(), []);
  assert.equal(await page.$$eval("#recipe-panel .marks mark", (m) => m.length), 0);
  assert.equal(await page.inputValue("#distributor"), "milestoneRewards");
});

test("the configuration form and its JSON stay in step", async () => {
  await page.fill("#revenue-percentage", "6.5");
  const config = JSON.parse(await page.inputValue("#config-text"));
  assert.equal(config.revenuePercentage, 6.5);
  await page.check('#compilers input[value="fees"]');
  assert.deepEqual(JSON.parse(await page.inputValue("#config-text")).transactionCompilers, ["lineItems", "discounts", "fees"]);
  // And back: JSON typed in the editor fills the form.
  const edited = (await page.inputValue("#config-text")).replace('"revenuePercentage": 6.5', '"revenuePercentage": 7');
  await page.fill("#config-text", edited);
  assert.equal(await page.inputValue("#revenue-percentage"), "7");
  assert.equal(await text("#config-status"), "The configuration is valid: 0 errors, 0 warnings.");
});

test("the sample year loads in the worker and the current cycle is previewed", async () => {
  await page.click("#load-sample");
  await page.waitForSelector("#preview-figures", { timeout: 60_000 });
  assert.match(await text("#data-status"), /^Loaded 48,036 events \(events\.csv\), 11,000 transactions \(transactions\.csv\), 435 refunds, 320 collaborators in \d+ ms \(in the worker\)\.$/);
  const at = sample.input.events.reduce((a, e) => (Date.parse(e.occurredAt) > Date.parse(a) ? e.occurredAt : a), sample.input.events[0].occurredAt);
  assert.equal(await page.inputValue("#preview-at"), at);
  const expected = engine.previewScores({ ...sample.input, at, start: sample.scenario.start });
  assert.equal(await text('#preview-figures [data-field="pool"]'), shown(expected.pool));
  assert.equal(await text('#preview-figures [data-field="revenue"]'), shown(expected.revenue));
  // Hand-checked: December 2026's projected pool is 7.5% of 164,287.58 = 12,321.5685 → 12,321.57, all to 269.
  assert.equal(expected.pool, "12321.57");
  assert.equal(await text('#preview-figures [data-field="allocations"]'), "269 (Kai Adler): 12,321.57 USD");
  const rows = await page.$$eval("table.leaderboard tbody tr", (trs) => trs.slice(0, 3).map((tr) => [...tr.children].map((td) => td.textContent)));
  const types = [];
  for (const e of expected.leaderboard.slice(0, 15)) for (const t of Object.keys(e.breakdown)) if (!types.includes(t)) types.push(t);
  const headers = await page.$$eval("table.leaderboard thead th", (ths) => ths.map((th) => th.textContent));
  // The page asks for the top 15 only, and still counts everyone.
  assert.ok(expected.leaderboard.length > 15);
  assert.equal(await text("table.leaderboard caption"), `Leaderboard (${expected.leaderboard.length} collaborators, top 15 shown)`);
  assert.deepEqual(headers, ["Rank", "Collaborator", "Score", ...types, "Behind leader"]);
  assert.deepEqual(
    rows,
    expected.leaderboard.slice(0, 3).map((e) => [String(e.rank), `${e.collaboratorId} (${sample.names.get(e.collaboratorId)})`, String(e.score), ...types.map((t) => String(e.breakdown[t] ?? 0)), String(e.behindLeader)]),
  );
  assert.deepEqual(rows[1].slice(0, 3).concat(rows[1].at(-1)), ["2", "310 (Nia Eze)", "134", "4"]);
  await page.locator("#data-panel").evaluate((el) => el.scrollIntoView());
  await shot("2-sample-preview.png");
});

let expectedSim;
test("a simulation of the sample year shows the engine's totals, winners and pools", async () => {
  // A 10 ms ticker on the main thread: its longest gap is how long the page froze meanwhile.
  await page.evaluate(() => {
    window.__longest = 0;
    let last = performance.now();
    window.__ticker = setInterval(() => {
      const now = performance.now();
      window.__longest = Math.max(window.__longest, now - last);
      last = now;
    }, 10);
  });
  await page.click("#run-simulation");
  await page.waitForSelector("#sim-totals", { timeout: 60_000 });
  console.log(`# ${await text("#sim-status")} Longest main-thread gap meanwhile: ${Math.round(await page.evaluate(() => (clearInterval(window.__ticker), window.__longest)))} ms`);
  const s = sample.scenario;
  expectedSim = engine.simulate({ ...sample.input, start: s.start, end: s.end, pauses: s.pauses });
  const t = expectedSim.totals;
  assert.equal(await text('#sim-totals [data-field="pool"]'), shown(t.pool));
  assert.equal(await text('#sim-totals [data-field="revenue"]'), shown(t.revenue));
  assert.equal(await text('#sim-totals [data-field="allocated"]'), shown(t.allocated));
  assert.equal(await text('#sim-totals [data-field="cycles"]'), `${t.cycles} (${t.distributedCycles} distributed, ${t.pausedCycles} paused, 0 empty)`);
  // Literal values: the year's pools and the top earner (286 won April and the July–August cycle after the pause).
  assert.equal(await text('#sim-totals [data-field="pool"]'), "132,430.55 USD");
  assert.equal(await text('#sim-totals [data-field="revenue"]'), "2,076,849.89 USD");
  assert.equal(await text('#sim-totals [data-field="top"]'), "286 (Lea Castro): 35,047.88 USD (2 cycles won)");
  const rows = await page.$$eval("#cycles-table tbody tr[data-cycle]", (trs) => trs.map((tr) => [...tr.children].slice(2).map((td) => td.textContent)));
  assert.deepEqual(
    rows,
    expectedSim.cycles.map((c) => [c.status, group(c.revenue), group(c.pool), group(c.allocated), c.allocations.map((a) => `${a.collaboratorId} (${sample.names.get(a.collaboratorId)}) ${group(a.amount)}`).join(", ") || "—"]),
  );
  // Hand-checked: January's pool is 5% of 164,982.48 = 8,249.124 → 8,249.12, all to 291; July is paused.
  assert.deepEqual(rows[0], ["distributed", "164,982.48", "8,249.12", "8,249.12", "291 (Cleo Patel) 8,249.12"]);
  assert.deepEqual(rows[6].slice(0, 4), ["paused", "167,344.04", "12,550.80", "0.00"]);
  assert.equal(await page.$$eval("#sim-out svg.chart", (s) => s.length), 2);
  assert.equal(await page.$$eval("#sim-out svg.chart rect.bar-paused", (s) => s.length), 1);
  await page.locator("#simulate-panel").evaluate((el) => el.scrollIntoView());
  await shot("3-simulation.png");
});

test("a cycle expands into its explanation from the keyboard", async () => {
  const button = page.locator('#cycles-table button.expand[data-index="0"]');
  await button.focus();
  await page.keyboard.press("Enter");
  assert.equal(await button.getAttribute("aria-expanded"), "true");
  const explanation = page.locator("#cycle-0-explanation");
  assert.equal(await explanation.isVisible(), true);
  const body = await explanation.textContent();
  assert.match(body, /5% of 164,982\.48 USD = 8249\.124, rounded halfToEven to 2 decimals: 8,249\.12 USD\./);
  assert.match(body, /Sales 167,920\.27 USD − refunds 2,937\.79 USD = net 164,982\.48 USD/);
  assert.match(body, /topScoreWins by largestRemainder, tie policy earliestToReach/);
  await explanation.evaluate((el) => el.previousElementSibling.scrollIntoView());
  await shot("4-cycle-explanation.png");
  await page.keyboard.press("Space");
  assert.equal(await button.getAttribute("aria-expanded"), "false");
  assert.equal(await explanation.isVisible(), false);
});

test("the allocations export as CSV, exactly the simulation's obligations", async () => {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-csv")]);
  assert.equal(download.suggestedFilename(), "allocations-milestoneRewards.csv");
  const csv = readFileSync(await download.path(), "utf8");
  const quote = (v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const expected = ["cycle,windowStart,windowEnd,distributionTrigger,collaboratorId,name,amount,units"];
  for (const c of expectedSim.cycles) {
    for (const o of c.obligations) expected.push([String(c.index), c.window.start, c.window.end, o.distributionTrigger, o.collaboratorId, sample.names.get(o.collaboratorId) ?? "", o.amount, o.units].map(quote).join(","));
  }
  assert.equal(csv, expected.join("\n") + "\n");
  const lines = csv.trimEnd().split("\n");
  assert.equal(lines.length, 12);
  assert.equal(lines[1], "0,2026-01-01T00:00:00-05:00,2026-02-01T00:00:00-05:00,2026-02-01T00:00:00-05:00,291,Cleo Patel,8249.12,USD");
  assert.equal(lines[7], "7,2026-07-01T00:00:00-04:00,2026-09-01T00:00:00-04:00,2026-09-01T00:00:00-04:00,286,Lea Castro,26129.56,USD");
});

test("what-if: a higher percentage and a weight change, side by side", async () => {
  await page.fill("#whatif-percentage", "10");
  await page.click("#run-whatif");
  await page.waitForSelector("#compare-cycles", { timeout: 60_000 });
  const s = sample.scenario;
  const base = { ...sample.input, start: s.start, end: s.end, pauses: s.pauses };
  const expected = engine.compare({ base, variant: { revenuePercentage: "10" } });
  assert.equal(await text('[data-field="base-pool"]'), shown(expected.base.totals.pool));
  assert.equal(await text('[data-field="variant-pool"]'), shown(expected.variant.totals.pool));
  assert.equal(await text('[data-field="variant-pool"]'), "207,684.98 USD");
  assert.equal(await text('[data-field="changed"]'), "0 of 12");

  // A weight: courseCompleted worth 1 point instead of 10/20 changes who wins.
  await page.fill("#whatif-percentage", "");
  await page.selectOption("#whatif-type", "courseCompleted");
  await page.fill("#whatif-points", "1");
  await page.click("#run-whatif");
  await page.waitForFunction(() => document.querySelector("#whatif-status").textContent.includes("courseCompleted = 1 point."), null, { timeout: 60_000 });
  const weighted = engine.compare({ base, variant: { engagementTypes: { courseCompleted: "1" } } });
  const changed = weighted.cycles.filter((c) => c.changed).length;
  assert.ok(changed > 0);
  assert.equal(await text('[data-field="changed"]'), `${changed} of 12`);
  const rows = await page.$$eval("#compare-cycles tbody tr", (trs) => trs.map((tr) => [tr.children[2].textContent, tr.children[4].textContent]));
  const who = (ids) => ids.map((id) => `${id} (${sample.names.get(id)})`).join(", ") || "—";
  assert.deepEqual(rows, weighted.cycles.map((c) => [who(c.baseWinners), who(c.variantWinners)]));
  await page.locator("#whatif-panel").evaluate((el) => el.scrollIntoView());
  await shot("5-what-if.png");
});

test("a data file the engine refuses is reported with its code and path, and the loaded data stays", async () => {
  const csv = (name, text) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text) });
  await page.setInputFiles("#file-events", csv("events.csv", "collaboratorId,type,occurredAt\n1,referredSiteVisit,2026-03-01T10:00:00Z\n2,referredSiteVisit,2026-03-02 10:00\n"));
  await page.setInputFiles("#file-transactions", csv("transactions.csv", "transactionId,occurredAt,total\nt1,2026-03-01T10:00:00Z,10\n"));
  await page.click("#load-files");
  await page.waitForFunction(() => document.querySelector("#data-status").textContent.startsWith("Could not read the data"), null, { timeout: 30_000 });
  // Pointed at the file, line and column, as the command line does.
  assert.match(await text("#data-status"), /^Could not read the data: events\.csv:3:21: .+ \(time\.\w+ at \/events\/1\/occurredAt\)$/);
  // The sample year is still the loaded data: the same preview as before.
  await page.evaluate(() => (document.querySelector("#preview-out").innerHTML = ""));
  await page.click("#run-preview");
  await page.waitForFunction(() => /in \d+ ms\.$/.test(document.querySelector("#preview-out .hint")?.textContent ?? ""), null, { timeout: 30_000 });
  assert.equal(await text('#preview-figures [data-field="pool"]'), "12,321.57 USD");
});

test("a collaborator the engine refuses is pointed at its line in the collaborators file", async () => {
  const csv = (name, text) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text) });
  await page.setInputFiles("#file-events", csv("events.csv", "collaboratorId,type,occurredAt\nc1,referredSiteVisit,2026-12-01T10:00:00Z\n"));
  await page.setInputFiles("#file-transactions", csv("transactions.csv", "transactionId,occurredAt,total\nt1,2026-12-01T10:00:00Z,10\n"));
  await page.setInputFiles("#file-collaborators", csv("collaborators.csv", "id,name,status\nc1,Ana,active\nc2,Bo,paused\n"));
  await page.click("#load-files");
  await page.waitForFunction(() => document.querySelector("#data-status").textContent.startsWith("Loaded 1 events"), null, { timeout: 30_000 });
  await page.click("#run-preview");
  await page.waitForSelector("#preview-out .error-text", { timeout: 30_000 });
  assert.match(await text("#preview-out .error-text"), /^collaborators\.csv:3:7: .+ \(preview\.\w+ at \/collaborators\/1\/status\)$/);
});

test("no errors in the console, no failed or outside requests", () => {
  assert.deepEqual(problems, []);
});
