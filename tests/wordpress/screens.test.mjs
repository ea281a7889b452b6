// The plugin's screens in a real WordPress (6.1.9 and 6.5.5, tests/wordpress/sites.sh), driven in
// Chromium as an administrator would: import the sample year through the Data screen, save its
// recipe and configuration in the editor (and see a broken recipe's located error), then check the
// winners preview and the payout simulation against the command line's output for the same data.
// Also measured (reported, not asserted): the preview on screen after opening the page, and again
// after a change of points.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SITES, ROOT, TARGET, launchChromium, login, adminUrl, pluginLogLines } from "./site.mjs";

const YEAR = join(ROOT, "samples/year");
const RECIPE = readFileSync(join(ROOT, "samples/recipes/milestone-rewards.json"), "utf8");
const CONFIG = readFileSync(join(ROOT, "samples/year/config.json"), "utf8");
const AT = { date: "2026-03-20", time: "12:00", iso: "2026-03-20T12:00:00-04:00" };

/** The command line's JSON output for `args` (the CLI reads the same files the importer got). */
function cli(...args) {
  return JSON.parse(execFileSync(process.execPath, [join(ROOT, "cli/siren.mjs"), ...args, "--json"], { maxBuffer: 1 << 28, encoding: "utf8" }));
}
const files = ["--events", join(YEAR, "events.csv"), "--transactions", join(YEAR, "transactions.csv"), "--refunds", join(YEAR, "refunds.csv"), "--collaborators", join(YEAR, "collaborators.csv")];
const expectedPreview = (config = join(YEAR, "config.json")) =>
  cli("preview", "--recipe", join(ROOT, "samples/recipes/milestone-rewards.json"), "--distributor", "milestoneRewards", "--config", config, ...files, "--time-zone", "America/New_York", "--at", AT.iso);
const expectedSimulation = () => cli("simulate", "--data", YEAR, "--recipe", join(ROOT, "samples/recipes/milestone-rewards.json"));

/**
 * The problems that concern the plugin: page errors, console errors, and failed requests for its
 * own files and routes — not WordPress's own requests (heartbeat, emoji, images) cut short when the
 * test leaves a page.
 */
const ours = (problems) => problems.filter((p) => !p.startsWith("request failed: ") || p.includes("siren-engine"));

/**
 * The zones WordPress's General Settings offer on `site` (its own `wp_timezone_choice()`, run by
 * PHP in the site), written as the engine reads them: `UTC+5.5` → `+05:30`.
 */
function wordpressZones(site) {
  const script = join(TARGET, "timezone-choice.php");
  writeFileSync(script, `<?php\nrequire $argv[1] . '/wp-load.php';\npreg_match_all('/<option [^>]*value="([^"]*)"/', wp_timezone_choice(''), $m);\necho json_encode($m[1]);\n`);
  const values = JSON.parse(execFileSync("php", [script, join(TARGET, "sites", site.id)], { encoding: "utf8" }));
  return values
    .filter((v) => v !== "")
    .map((v) => {
      const offset = /^UTC([+-])([\d.]+)$/.exec(v);
      if (!offset) return v;
      const minutes = Math.round(Number(offset[2]) * 60);
      return `${offset[1]}${String(Math.trunc(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
    });
}

/** Replaces a JSON editor's text as typing would (the editor validates on `input`). */
async function typeInto(page, selector, text) {
  await page.fill(selector, text);
  await page.dispatchEvent(selector, "input");
}

async function openScreen(page, site, slug) {
  const response = await page.goto(adminUrl(site, `admin.php?page=${slug}`));
  await page.waitForSelector('#siren-engine-root[data-ready="true"]', { timeout: 60_000 });
  return response;
}

for (const site of SITES) {
  test(`WordPress ${site.version}: import, editor, winners preview and simulation`, async (t) => {
    const { page, problems, close } = await launchChromium({ acceptDownloads: true });
    const violations = [];
    let cancelled = null; // the request of the load cancelled on purpose
    page.on("console", (m) => /Content Security Policy/i.test(m.text()) && violations.push(m.text()));
    try {
      await login(page, site, "admin");

      // Data: the sample year through the importer.
      await openScreen(page, site, "siren-engine-data");
      for (const kind of ["events", "transactions", "refunds", "collaborators"]) await page.setInputFiles(`#siren-file-${kind}`, join(YEAR, `${kind}.csv`));
      await page.click("#siren-import");
      const imported = page.locator('#siren-import-result [data-code="imported"]');
      await imported.waitFor({ timeout: 120_000 });
      assert.match(await imported.textContent(), /^Imported 48,036 events, 11,000 transactions \([\d,]+ lines\), 435 refunds and 320 collaborators\.$/);
      assert.equal(await page.getAttribute('#siren-data-status [data-field="counts"]', "data-events"), "48036");

      // A file with a mistake is refused with its line and column, and nothing changes.
      await page.setInputFiles("#siren-file-events", { name: "events.csv", mimeType: "text/csv", buffer: Buffer.from('collaboratorId,type,occurredAt\nana,manual,2026-03-01T00:00:00Z\nb"en,manual,2026-03-01T00:00:00Z\n') });
      for (const kind of ["transactions", "refunds", "collaborators"]) await page.setInputFiles(`#siren-file-${kind}`, []);
      await page.click("#siren-import");
      const refused = page.locator("#siren-import-result .notice-error");
      await refused.waitFor({ timeout: 60_000 });
      assert.equal(await refused.getAttribute("data-line"), "3");
      assert.equal(await refused.getAttribute("data-column"), "2");
      assert.match(await refused.textContent(), /^events\.csv:3:2: .*Nothing was changed\.$/);
      assert.equal(await page.getAttribute('#siren-data-status [data-field="counts"]', "data-events"), "48036");
      // The refused upload's 400, which Chromium logs as a console error: expected, and the only problem so far.
      assert.deepEqual(ours(problems.splice(0)), ["console error: Failed to load resource: the server responded with a status of 400 (Bad Request)"]);

      // Editor: a broken recipe is located as it is typed; the sample's recipe and configuration are saved.
      // The editor runs the engine on the page itself, under the sites' policy (tests/wordpress/sites.sh):
      // WebAssembly needs 'wasm-unsafe-eval' and nothing wider ('unsafe-eval' is not there).
      const editor = await openScreen(page, site, "siren-engine-editor");
      const policy = editor.headers()["content-security-policy"] ?? "";
      assert.match(policy, /script-src [^;]*'wasm-unsafe-eval'/);
      assert.doesNotMatch(policy, /'unsafe-eval'/);
      // A new distributor starts from a template that is valid as it is.
      assert.equal(await page.textContent("#siren-recipe-status"), "The recipe is valid: 0 errors, 0 warnings.");
      assert.equal(await page.textContent("#siren-config-status"), "The configuration is valid: 0 errors, 0 warnings.");
      await typeInto(page, "#siren-recipe", RECIPE.replace('"topScoreWins"', '"topScoreWin"'));
      const problem = page.locator("#siren-recipe-diagnostics li.error").first();
      assert.equal(await problem.getAttribute("data-code"), "distributor.unknownResolver");
      assert.equal(await problem.getAttribute("data-path"), "/distributors/milestoneRewards/distributionResolver");
      assert.deepEqual([await problem.getAttribute("data-line"), await problem.getAttribute("data-column")], ["9", "1"]);
      assert.equal(await page.textContent("#siren-recipe-status"), "The recipe has problems: 1 error, 0 warnings.");
      await page.click("#siren-save");
      assert.match(await page.textContent("#siren-notice"), /Fix the problems listed above before saving\./);
      await typeInto(page, "#siren-recipe", RECIPE);
      await typeInto(page, "#siren-config", CONFIG);
      assert.equal(await page.textContent("#siren-recipe-status"), "The recipe is valid: 0 errors, 0 warnings.");
      assert.equal(await page.textContent("#siren-config-status"), "The configuration is valid: 0 errors, 0 warnings.");
      // The form (shared with the standalone editor) shows the JSON, in an administrator's words, and writes it back.
      assert.equal(await page.inputValue("#revenue-percentage"), "5");
      assert.deepEqual(await page.$$eval("#compilers label", (l) => l.map((x) => x.textContent.trim())), ["Line items", "Discounts", "Fees", "Shipping", "Taxes"]);
      await page.selectOption("#config-version", "1");
      assert.equal(await page.inputValue("#revenue-percentage"), "7.5");
      await page.fill("#revenue-percentage", "8");
      assert.equal(JSON.parse(await page.inputValue("#siren-config"))[1].revenuePercentage, 8);
      await typeInto(page, "#siren-config", CONFIG);
      assert.equal(await page.inputValue("#revenue-percentage"), "7.5");
      await page.fill("#siren-name", "Milestone Rewards Program");
      await page.selectOption("#siren-key", "milestoneRewards");
      await page.selectOption("#siren-zone", "America/New_York");
      await page.selectOption("#siren-tie", "earliestToReach");
      await page.click("#siren-save");
      await page.locator("#siren-notice .notice-success").waitFor();

      // Winners preview: opened as an administrator would (now), then as of 20 March 2026.
      const opened = Date.now();
      await openScreen(page, site, "siren-engine");
      const onScreen = await page.evaluate(() => Number(document.getElementById("siren-engine-root").dataset.previewMs));
      t.diagnostic(`${site.id}: winners preview on screen ${onScreen} ms after navigation started (${Date.now() - opened} ms wall, including the page load)`);
      await page.fill("#siren-at-date", AT.date);
      await page.fill("#siren-at-time", AT.time);
      await page.click("#siren-run");
      await page.waitForFunction(() => document.querySelector('[data-field="pool"]')?.dataset.amount && !document.querySelector(".siren-progress:not([hidden])"));
      await page.waitForFunction(() => /March 1, 2026/.test(document.querySelector("#siren-preview")?.textContent ?? ""));
      const expected = expectedPreview();
      assert.equal(expected.pool, "5968.86"); // 5% of the qualifying revenue, refunds deducted (docs/cli.md shows it without refunds)
      assert.equal(await page.getAttribute('[data-field="pool"]', "data-amount"), expected.pool);
      assert.equal(await page.textContent('[data-field="pool"]'), "$5,968.86");
      assert.equal(await page.getAttribute('[data-field="revenue"]', "data-amount"), expected.revenue);
      const shown = await page.$$eval("#siren-allocations [data-collaborator]", (s) => s.map((x) => [x.dataset.collaborator, x.dataset.amount]));
      assert.deepEqual(shown, expected.allocations.map((a) => [a.collaboratorId, a.amount]));
      assert.equal(expected.allocations[0].collaboratorId, "286");
      assert.equal(await page.textContent('[data-field="winner"]'), "Lea Castro (286)");
      const board = await page.$$eval("table.leaderboard tbody tr", (trs) => trs.slice(0, 3).map((tr) => [tr.dataset.collaborator, tr.children[2].textContent, tr.lastElementChild.textContent]));
      assert.deepEqual(board, expected.leaderboard.slice(0, 3).map((e) => [e.collaboratorId, e.score.toLocaleString("en-US"), e.behindLeader.toLocaleString("en-US")]));
      mkdirSync(join(TARGET, "screens"), { recursive: true });
      await page.screenshot({ path: join(TARGET, "screens", `winners-preview-${site.id}.png`), fullPage: false });

      // Other points: previewed again on the loaded records, as the engine gives for that configuration.
      await page.click(".siren-weights summary");
      const weight = page.locator('.siren-weight[data-type="courseCompleted"]');
      await weight.fill("40");
      await page.waitForSelector('[data-field="repreview"][data-ms]');
      const repreviewMs = await page.getAttribute('[data-field="repreview"]', "data-ms");
      t.diagnostic(`${site.id}: previewed again after a change of points in ${repreviewMs} ms`);
      const variant = JSON.parse(CONFIG).map((v) => ({ ...v, engagementTypes: { ...v.engagementTypes, courseCompleted: 40 } }));
      const variantFile = join(TARGET, "config-course40.json");
      writeFileSync(variantFile, JSON.stringify(variant));
      const expectedVariant = expectedPreview(variantFile);
      const variantShown = await page.$$eval("#siren-allocations [data-collaborator]", (s) => s.map((x) => [x.dataset.collaborator, x.dataset.amount]));
      assert.deepEqual(variantShown, expectedVariant.allocations.map((a) => [a.collaboratorId, a.amount]));

      // Payout simulation of the sample year with its pause, against `siren simulate --data samples/year`.
      await openScreen(page, site, "siren-engine-simulation");
      await page.fill("#siren-start", "2026-01-01");
      await page.fill("#siren-end", "2027-01-01");
      // Every zone WordPress's own settings offer (PHP's IANA list under its continents, UTC, the
      // manual offsets), in the plugin's settings and in the menu.
      const zones = await page.$$eval("#siren-zone option", (o) => o.map((x) => x.value));
      const settings = JSON.parse(await page.getAttribute("#siren-engine-root", "data-settings"));
      assert.deepEqual(zones, settings.zones);
      assert.deepEqual([...zones].sort(), wordpressZones(site).sort());
      for (const zone of ["America/New_York", "Asia/Kathmandu", "UTC", "+05:30", "-09:30", "+13:45", "+14:00"]) assert.ok(zones.includes(zone), zone);
      await page.selectOption("#siren-zone", "America/New_York");
      await page.click("#siren-add-pause");
      await page.fill("#siren-pause-from-1", "2026-07-20");
      await page.fill("#siren-pause-until-1", "2026-08-10");
      // A long load can be cancelled: the year's records held back on their way, Cancel, then again.
      const held = /rest_route=%2Fsiren-engine%2Fv1%2Frecords/;
      cancelled = held; // its request fails, when the worker is replaced, at a moment of the browser's choosing
      let release;
      const releaseAll = new Promise((resolve) => (release = resolve));
      await page.context().route(held, async (route) => {
        await releaseAll;
        await route.continue().catch(() => {}); // the cancelled worker's request is gone by then
      });
      await page.click("#siren-run");
      await page.waitForFunction(() => document.querySelector("#siren-progress .siren-progress-text")?.textContent === "Receiving the records of this period…");
      await page.locator("#siren-progress .siren-cancel").click();
      assert.equal(await page.textContent("#siren-notice"), "Cancelled.");
      assert.equal(await page.isHidden("#siren-progress"), true);
      release();
      await page.context().unroute(held);
      await page.click("#siren-run");
      await page.waitForSelector('#sim-totals [data-field="pool"]', { timeout: 120_000 });
      const sim = expectedSimulation();
      for (const field of ["revenue", "pool", "allocated", "unawarded"]) assert.equal(await page.getAttribute(`#sim-totals [data-field="${field}"]`, "data-amount"), sim.totals[field], field);
      assert.equal(sim.totals.pool, "132430.55");
      assert.equal(await page.$$eval("#cycles-table tbody tr[data-cycle]", (r) => r.length), sim.cycles.length);
      assert.equal(await page.$$eval("#siren-sim svg.chart", (s) => s.length), 2);
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("#siren-export")]);
      const csv = readFileSync(await download.path(), "utf8");
      assert.equal(csv.split("\n")[0], "cycle,windowStart,windowEnd,distributionTrigger,collaboratorId,name,amount,units");

      // What-if: 40 points a course completion, against `siren compare --set-points courseCompleted=40`.
      await page.selectOption("#siren-whatif-type", "courseCompleted");
      await page.fill("#siren-whatif-points", "40");
      await page.click("#siren-compare");
      await page.waitForSelector("#compare-cycles", { timeout: 120_000 });
      const cmp = cli("compare", "--data", YEAR, "--recipe", join(ROOT, "samples/recipes/milestone-rewards.json"), "--set-points", "courseCompleted=40");
      const changed = cmp.cycles.filter((c) => c.changed).length;
      assert.equal(changed, 3); // tests/golden/sample-year-compare-course40.txt: "3 of 12 cycles change winners"
      assert.equal(await page.textContent('[data-field="changed"]'), `${changed} of ${cmp.cycles.length}`);
      const winners = await page.$$eval("#compare-cycles tbody tr", (trs) => trs.map((tr) => tr.children[4].textContent));
      assert.equal(winners.length, cmp.cycles.length);
      for (const [i, c] of cmp.cycles.entries()) for (const id of c.variantWinners) assert.ok(winners[i].includes(id), `cycle ${i}: ${winners[i]} lacks ${id}`);

      assert.deepEqual(violations, []);
      assert.deepEqual(ours(problems).filter((p) => !(p.startsWith("request failed: ") && cancelled?.test(p))), []);
      assert.deepEqual(pluginLogLines(site), []);
    } finally {
      await close();
    }
  });
}
