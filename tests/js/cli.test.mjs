// The `siren` command line, run as a user would: real files, real exit codes, real output.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(root, "cli/siren.mjs");
const siren = (...args) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

test("validate: every bundled sample recipe is valid, with next runs", () => {
  const files = readdirSync(join(root, "samples/recipes")).map((f) => join("samples/recipes", f));
  assert.ok(files.length >= 5, "at least five sample recipes");
  const r = siren("validate", ...files, "--from", "2026-01-31T15:30:00-05:00", "--time-zone", "America/New_York", "--runs", "2");
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`${files.length} valid, 0 invalid`));
  assert.match(r.stdout, /distributor milestoneRewards "Milestone Rewards Program" — schedule \["first day of next month"\]\n    run 1: 2026-02-01T15:30:00-05:00\n    run 2: 2026-03-01T15:30:00-05:00/);
});

test("validate --json: machine-readable results", () => {
  const r = siren("validate", "samples/recipes/milestone-rewards.json", "--json", "--from", "2026-03-08T01:00:00-05:00", "--time-zone", "America/New_York", "--runs", "1");
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.results[0].valid, true);
  assert.deepEqual(out.results[0].distributors.milestoneRewards.runs, ["2026-04-01T01:00:00-04:00"]);
});

test("validate: an invalid recipe exits 1 and locates each problem", () => {
  const dir = mkdtempSync(join(tmpdir(), "siren-cli-"));
  const file = join(dir, "broken.json");
  writeFileSync(file, JSON.stringify({ version: 1, name: "Broken", description: "d", distributors: { x: { name: "X", description: "d", distributionResolver: "topScoreWin", distributionPoolResolver: "revenueSinceLastDistribution", status: "active", units: "USD" } } }));
  const r = siren("validate", file);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /broken\.json: INVALID \(1 error\(s\), 0 warning\(s\)\)/);
  assert.match(r.stdout, /error   \/distributors\/x\/distributionResolver .*did you mean `topScoreWins`\?/);
});

test("validate: unreadable and non-JSON files are errors, not crashes (exit 3), located", () => {
  const dir = mkdtempSync(join(tmpdir(), "siren-cli-"));
  const notJson = join(dir, "notjson.json");
  writeFileSync(notJson, "{ this is not json");
  const r = siren("validate", notJson, join(dir, "missing.json"));
  assert.equal(r.status, 3);
  assert.match(r.stdout, /input\.notJson/);
  assert.match(r.stdout, /no such file/);
  assert.ok(r.stdout.includes(`\nnotjson.json: UNREADABLE (1 error(s), 0 warning(s))\n  error   ${notJson}:1:3: not valid JSON: expected a property name in double quotes, found "this"  [input.notJson]\n`), r.stdout);
  assert.ok(r.stdout.includes(`\nmissing.json: UNREADABLE (1 error(s), 0 warning(s))\n  error   ${join(dir, "missing.json")}: no such file  [file.unreadable]\n`), r.stdout);
});

test("next-runs prints numbered instants; usage errors exit 2; engine errors exit 1", () => {
  const ok = siren("next-runs", "--schedule", "first day of next month", "--schedule", "+14 days", "--from", "2026-01-10T00:00:00Z", "--count", "2");
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout, "  1  2026-02-15T00:00:00+00:00\n  2  2026-03-15T00:00:00+00:00\n");
  assert.equal(siren("next-runs").status, 2);
  assert.equal(siren("frobnicate").status, 2);
  const bad = siren("next-runs", "--schedule", "every full moon", "--from", "2026-01-10T00:00:00Z");
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /\[schedule\.invalid at \/schedule\/0\]/);
});
