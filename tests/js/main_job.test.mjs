// The main job: the Milestone Rewards Program simulated over the bundled sample year, by the CLI
// (wasm in Node) and natively (`cargo xtask engine`), byte for byte, against golden output.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { readEvents, readTransactions, readRefunds, readCollaborators } from "../../cli/inputs.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const require = createRequire(import.meta.url);
const engine = require("../../pkg/node/siren_engine.js");
const cli = join(root, "cli/siren.mjs");
const siren = (...args) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 1 << 28 });
const year = join(root, "samples/year");
const recipe = join(root, "samples/recipes/milestone-rewards.json");
const golden = (name) => readFileSync(join(root, "tests/golden", name), "utf8");

/** The simulate input exactly as `siren simulate --data samples/year` builds it. */
function sampleYearInput() {
  const transactions = readTransactions(join(year, "transactions.csv"));
  readRefunds(join(year, "refunds.csv"), transactions);
  const scenario = JSON.parse(readFileSync(join(year, "scenario.json"), "utf8"));
  return {
    recipe: JSON.parse(readFileSync(recipe, "utf8")),
    distributorKey: scenario.distributorKey,
    config: JSON.parse(readFileSync(join(year, "config.json"), "utf8")),
    events: readEvents(join(year, "events.csv")),
    transactions,
    timeZone: scenario.timeZone,
    start: scenario.start,
    end: scenario.end,
    collaborators: readCollaborators(join(year, "collaborators.csv")),
    pauses: scenario.pauses,
    policies: scenario.policies,
  };
}

test("the sample year simulates identically in wasm and natively (byte for byte)", () => {
  const input = sampleYearInput();
  const fromWasm = JSON.stringify(engine.simulate(input));
  const native = spawnSync("cargo", ["run", "--quiet", "--package", "xtask", "--", "engine", "simulate"], { cwd: root, input: JSON.stringify(input), encoding: "utf8", maxBuffer: 1 << 28 });
  assert.equal(native.status, 0, native.stderr);
  assert.equal(fromWasm, native.stdout.trimEnd());

  const out = JSON.parse(fromWasm);
  assert.equal(out.cycles.length, 12);
  assert.deepEqual(out.cycles.map((c) => c.status), ["distributed", "distributed", "distributed", "distributed", "distributed", "distributed", "paused", "distributed", "distributed", "distributed", "distributed", "distributed"]);
  // The pause (Jul 20 – Aug 10) skips the Aug 1 trigger: July and August are paid together on Sep 1.
  assert.deepEqual(out.cycles[7].window, { start: "2026-07-01T00:00:00-04:00", end: "2026-09-01T00:00:00-04:00" });
  // Every cycle pays exactly its pool; the totals add up.
  for (const c of out.cycles.filter((c) => c.status === "distributed")) {
    const cents = c.allocations.reduce((sum, a) => sum + BigInt(a.amount.replace(".", "")), 0n);
    assert.equal(cents, BigInt(c.pool.replace(".", "")), `cycle ${c.index}`);
  }
  assert.equal(out.totals.allocated, out.totals.pool);
  // The June 15 weight and percentage change (5% → 7.5%) shows in the June cycle's pool split.
  assert.deepEqual(out.cycles[5].explanation.pool.percentages.map((p) => p.percentage), ["5", "7.5"]);
});

test("siren simulate --data samples/year prints the golden year", () => {
  const r = siren("simulate", "--data", year, "--recipe", recipe);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, golden("sample-year-simulation.txt"));
});

test("siren compare: course completions worth 40 instead of 10 (golden)", () => {
  const r = siren("compare", "--data", year, "--recipe", recipe, "--set-points", "courseCompleted=40");
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, golden("sample-year-compare-course40.txt"));
});

test("simulate --json and --csv-out: obligations as CSV, one row per allocation", () => {
  const dir = mkdtempSync(join(tmpdir(), "siren-sim-"));
  const csv = join(dir, "obligations.csv");
  const r = siren("simulate", "--data", year, "--recipe", recipe, "--json", "--csv-out", csv);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const lines = readFileSync(csv, "utf8").trimEnd().split("\n");
  assert.equal(lines[0], "cycle,triggerAt,collaboratorId,amount,units");
  const obligations = out.cycles.flatMap((c) => c.obligations.map((o) => [c.index, o.distributionTrigger, o.collaboratorId, o.amount, o.units].join(",")));
  assert.deepEqual(lines.slice(1), obligations);
  assert.equal(lines[1], `0,2026-02-01T00:00:00-05:00,${out.cycles[0].allocations[0].collaboratorId},${out.cycles[0].pool},USD`);
});

test("simulate and compare: usage errors exit 2, engine errors exit 1 naming the option", () => {
  assert.equal(siren("simulate", "--recipe", recipe).status, 2);
  const badPause = siren("simulate", "--data", year, "--recipe", recipe, "--pause", "2026-07-01T00:00:00Z");
  assert.equal(badPause.status, 2);
  assert.match(badPause.stderr, /--pause takes FROM\/UNTIL/);
  const inverted = siren("simulate", "--data", year, "--recipe", recipe, "--end", "2025-01-01T00:00:00Z");
  assert.equal(inverted.status, 1);
  assert.match(inverted.stderr, /siren: --end: .*\[simulate\.invalidRange at \/end\]/);
  const noVariant = siren("compare", "--data", year, "--recipe", recipe);
  assert.equal(noVariant.status, 2);
  assert.match(noVariant.stderr, /compare needs a variant/);
});
