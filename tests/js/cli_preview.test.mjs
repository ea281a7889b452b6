// `siren preview`, run as a user would: fixture files in tests/fixtures/preview/ (the same data as
// CSV and as JSON), real exit codes, the exact CSV written by --csv-out, located errors, and the
// progress line on a large generated file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(root, "cli/siren.mjs");
const env = { ...process.env, NO_COLOR: "1" };
delete env.SIREN_PROGRESS;
const siren = (args, extraEnv = {}) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8", env: { ...env, ...extraEnv } });

const F = "tests/fixtures/preview";
const common = ["--recipe", `${F}/recipe.json`, "--distributor", "monthly", "--config", `${F}/config.json`, "--time-zone", "UTC", "--at", "2026-03-31T12:00:00Z", "--last-distribution", "2026-03-01T00:00:00Z"];
const csvData = ["--events", `${F}/events.csv`, "--transactions", `${F}/transactions.csv`, "--refunds", `${F}/refunds.csv`, "--collaborators", `${F}/collaborators.csv`];
const jsonData = ["--events", `${F}/events.json`, "--transactions", `${F}/transactions.json`, "--refunds", `${F}/refunds.json`, "--collaborators", `${F}/collaborators.json`];
const tmp = () => mkdtempSync(join(tmpdir(), "siren-preview-"));

test("hand-computed: 5% of 100,000.00 USD is 5,000.00 to the 850-point leader over 720 and 430", () => {
  // t1: 2 × 25,000.00 + 40,000.00; t2: 10,500.00 less a 500.00 refund → 100,000.00 of revenue.
  const r = siren(["preview", ...common, ...csvData, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "");
  const p = JSON.parse(r.stdout);
  assert.equal(p.revenue, "100000.00");
  assert.equal(p.pool, "5000.00");
  assert.equal(p.units, "USD");
  assert.deepEqual(p.window, { start: "2026-03-01T00:00:00+00:00", end: "2026-04-01T00:00:00+00:00" });
  assert.deepEqual(p.leaderboard.map((e) => [e.rank, e.collaboratorId, e.score, e.breakdown, e.behindLeader]), [
    [1, "ana", 850, { manual: 850 }, 0],
    [2, "ben", 720, { manual: 720 }, 130],
    [3, "cy", 430, { manual: 430 }, 420],
  ]);
  assert.deepEqual(p.allocations, [{ collaboratorId: "ana", amount: "5000.00" }]);
});

test("the CSV and JSON forms of the same data give identical --json output", () => {
  const fromCsv = siren(["preview", ...common, ...csvData, "--json"]);
  const fromJson = siren(["preview", ...common, ...jsonData, "--json"]);
  assert.equal(fromCsv.status, 0, fromCsv.stderr);
  assert.equal(fromJson.status, 0, fromJson.stderr);
  assert.equal(fromCsv.stdout, fromJson.stdout);
  // And they are not trivially equal: the refund and both transactions were counted.
  const p = JSON.parse(fromCsv.stdout);
  assert.equal(p.explanation.revenue.refunds, "500.00");
  assert.deepEqual(p.explanation.revenue.transactions.map((t) => t.transactionId), ["t1", "t2"]);
});

test("human-readable output: window, money, leaderboard, allocations and why", () => {
  const r = siren(["preview", ...common, ...csvData]);
  assert.equal(r.status, 0, r.stderr);
  const expected = [
    'Preview of "Monthly Top Scorer" (monthly), projected at 2026-03-31T12:00:00+00:00 (UTC)',
    "  Window   2026-03-01T00:00:00+00:00 → 2026-04-01T00:00:00+00:00 (end excluded; from lastDistributionAt)",
    "  Trigger  2026-04-01T00:00:00+00:00",
    "  Status   distributed",
    "  Revenue  100000.00 USD (sales 100500.00, refunds 500.00)",
    "  Pool     5000.00 USD",
    "",
    "Leaderboard (3 collaborators, 2000 points)",
    "  Rank  Collaborator               Score  manual  Behind",
    "     1  ana (Lopez, Ana)             850     850       0",
    "     2  ben (Ben Okafor)             720     720     130",
    '     3  cy (Cy "The Closer" Park)    430     430     420',
    "",
    "Allocations",
    "  Collaborator       Amount  Units",
    "  ana (Lopez, Ana)  5000.00  USD",
    "",
    "Why",
    "  Pool (revenueSinceLastDistribution): 5% of 100000.00 = 5000.00, rounded halfToEven to 2 decimal(s): 5000.00 USD",
    "  Allocation (topScoreWins): method largestRemainder, tie-break earliestToReach, carry over unawarded: no",
    "  (--json shows every event, transaction line and refund behind these figures)",
    "",
  ].join("\n");
  assert.equal(r.stdout, expected);
});

test("--csv-out writes the allocations; a split tie is shown with its notes", () => {
  const dir = tmp();
  const events = join(dir, "events.csv");
  writeFileSync(events, "id,collaboratorId,type,occurredAt,points\ne1,ana,manual,2026-03-03T10:00:00Z,500\ne2,ben,manual,2026-03-04T10:00:00Z,500\ne3,cy,manual,2026-03-05T10:00:00Z,100\n");
  const out = join(dir, "allocations.csv");
  const r = siren(["preview", ...common, "--events", events, "--transactions", `${F}/transactions.csv`, "--tie-break", "split", "--csv-out", out]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(out, "utf8"), "collaboratorId,amount,units\nana,2512.50,USD\nben,2512.50,USD\n");
  assert.match(r.stdout, /\nTie\n  ana, ben at 500 points; policy split, decided by split; winner\(s\): ana, ben\n/);
  assert.match(r.stdout, /\nNotes\n  - ana, ben tie for the top score of 500 points; settled by split: ana, ben share the pool\.\n/);
  // 100,500.00 × 5% = 5,025.00 without the refund file, split in two.
  assert.match(r.stdout, /  Pool     5025\.00 USD\n/);
  assert.doesNotMatch(readFileSync(out, "utf8"), /5025/);
});

test("--csv-out with --json: stdout is the engine's JSON, the file has the same allocations", () => {
  const out = join(tmp(), "a.csv");
  const r = siren(["preview", ...common, ...csvData, "--json", "--csv-out", out]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).allocations, [{ collaboratorId: "ana", amount: "5000.00" }]);
  assert.equal(readFileSync(out, "utf8"), "collaboratorId,amount,units\nana,5000.00,USD\n");
});

test("the leaderboard shows the top N and how many more", () => {
  const dir = tmp();
  const events = join(dir, "events.csv");
  const rows = Array.from({ length: 25 }, (_, i) => `e${i},c${String(i).padStart(2, "0")},manual,2026-03-03T10:00:00Z,${1000 - i * 10}`);
  writeFileSync(events, `id,collaboratorId,type,occurredAt,points\n${rows.join("\n")}\n`);
  const r = siren(["preview", ...common, "--events", events, "--transactions", `${F}/transactions.csv`]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\n    20  c19 +810 +810 +190\n  … 5 more\n/);
  assert.doesNotMatch(r.stdout, /c20/);
  const five = siren(["preview", ...common, "--events", events, "--transactions", `${F}/transactions.csv`, "--limit", "5"]);
  assert.match(five.stdout, /\n     5  c04 +960 +960 +40\n  … 20 more\n/);
});

test("exit 1 with file:line:column for bad data, and engine errors mapped back to the row (3 for a missing file)", () => {
  const dir = tmp();
  const write = (name, text) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const cases = [
    // The reader's own checks.
    [["--events", write("e1.csv", "id,collaboratorId,type,occurredAt,points\ne1,ana,manual,2026-03-03T10:00:00Z,8.5\n"), "--transactions", `${F}/transactions.csv`], `${dir}/e1.csv:2:36: points must be a whole number, got "8.5"\n`],
    [["--events", `${F}/events.csv`, "--transactions", `${F}/transactions.csv`, "--refunds", write("r.csv", "transactionId,occurredAt,amount\nt2,2026-03-25T08:00:00Z,1.00\nt7,2026-03-25T08:00:00Z,\n")], `${dir}/r.csv:3:1: unknown transaction "t7"\n`],
    // The engine's, pointed back at the file: /events/2/occurredAt is line 4 (header, then rows).
    [["--events", write("e2.csv", "id,collaboratorId,type,occurredAt,points\ne1,ana,manual,2026-03-03T10:00:00Z,8\ne2,ana,manual,2026-03-03T10:00:00Z,8\ne3,ben,manual,2026-02-30T10:00:00Z,8\n"), "--transactions", `${F}/transactions.csv`],
      /^.*\/e2\.csv:4:15: .*"2026-02-30T10:00:00Z".* \[time\.invalidTimestamp at \/events\/2\/occurredAt\]\n$/],
    [["--events", write("e3.csv", "id,collaboratorId,type,occurredAt,points\ne1,ana,manual,2026-03-03T10:00:00Z,8\ne1,ben,manual,2026-03-03T10:00:00Z,8\n"), "--transactions", `${F}/transactions.csv`],
      /^.*\/e3\.csv:3:1: .* \[events\.duplicateId at \/events\/1\/id\]\n$/],
    [["--events", `${F}/events.csv`, "--transactions", write("t.csv", "transactionId,occurredAt,lineType,amount\nt1,2026-03-05T10:00:00Z,product,1.00\nt1,2026-03-05T10:00:00Z,product,-1.00\n")],
      /^.*\/t\.csv:3:33: .* \[transactions\.invalidAmount at \/transactions\/0\/details\/1\/amount\]\n$/],
    // In a JSON file: the line and column of the value.
    [["--events", write("e.json", '{"events": [{"collaboratorId": "ana", "type": "manual", "occurredAt": "2026-03-03T10:00:00Z", "points": -5}]}'), "--transactions", `${F}/transactions.csv`],
      /^.*\/e\.json:1:105: .* \[events\.invalidPoints at \/events\/0\/points\]\n$/],
    [["--events", `${F}/events.csv`, "--transactions", `${F}/transactions.csv`, "--tie-break", "coin"], /^siren: --tie-break: .*coin.* \[preview\.invalidPolicy at \/policies\/tieBreak\]\n$/],
    // A file that cannot be read: exit 3.
    [["--events", join(dir, "nope.csv"), "--transactions", `${F}/transactions.csv`], `${dir}/nope.csv: no such file\n`, 3],
  ];
  for (const [data, expected, status = 1] of cases) {
    const r = siren(["preview", ...common, ...data]);
    assert.equal(r.status, status, `${data.join(" ")}\n${r.stdout}${r.stderr}`);
    assert.equal(r.stdout, "");
    if (typeof expected === "string") assert.equal(r.stderr, expected);
    else assert.match(r.stderr, expected);
  }
});

test("usage errors exit 2", () => {
  for (const args of [
    ["preview"],
    ["preview", ...common, "--events", `${F}/events.csv`], // no --transactions
    ["preview", ...common, ...csvData, "--limit", "0"],
    ["preview", ...common, ...csvData, "stray.csv"],
    ["preview", ...common, ...csvData, "--frobnicate"],
  ]) {
    const r = siren(args);
    assert.equal(r.status, 2, args.join(" "));
    assert.match(r.stderr, /^siren: .*\nRun `siren preview --help` for its options\.\n$/);
    assert.equal(r.stdout, "");
  }
  const help = siren(["preview", "--help"]);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: siren preview --recipe r\.json --distributor KEY --config c\.json --events e\.csv/);
});

test("a progress line on stderr for files over 1 MB: forced by SIREN_PROGRESS=1, never on stdout", () => {
  const dir = tmp();
  const events = join(dir, "big-events.csv");
  const rows = ["id,collaboratorId,type,occurredAt,points"];
  for (let i = 0; i < 24000; i++) rows.push(`event-${i},collab-${i % 40},referredSiteVisit,2026-03-${String(2 + (i % 27)).padStart(2, "0")}T10:00:00Z,`);
  writeFileSync(events, rows.join("\n") + "\n");
  assert.ok(statSync(events).size > 1024 * 1024, "the generated file is over 1 MB");
  const args = ["preview", ...common, "--events", events, "--transactions", `${F}/transactions.csv`, "--json"];

  const quiet = siren(args); // stderr is a pipe, not a terminal: no progress
  assert.equal(quiet.status, 0, quiet.stderr);
  assert.equal(quiet.stderr, "");

  const shown = siren(args, { SIREN_PROGRESS: "1" });
  assert.equal(shown.status, 0, shown.stderr);
  assert.equal(shown.stdout, quiet.stdout, "stdout is the same JSON with or without progress");
  assert.equal(JSON.parse(shown.stdout).leaderboard.length, 40);
  const size = (statSync(events).size / (1024 * 1024)).toFixed(1);
  assert.match(shown.stderr, new RegExp(`^\\rreading ${events.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: \\d\\.\\d MB / ${size} MB \\(\\d+%\\)`));
  assert.ok(shown.stderr.includes(`: ${size} MB / ${size} MB (100%)`), shown.stderr);
  assert.ok(shown.stderr.endsWith("(100%)\r\x1b[K\rcomputing the preview…\r\x1b[K"), "each line is cleared; the engine's wait is shown too");
  // Small files never get one, even when forced.
  const small = siren(["preview", ...common, ...csvData, "--json"], { SIREN_PROGRESS: "1" });
  assert.equal(small.stderr, "");
  // SIREN_PROGRESS=0 turns it off.
  assert.equal(siren(args, { SIREN_PROGRESS: "0" }).stderr, "");
});

test("a paused distributor's explanation says its pool is deferred, not unawarded", () => {
  const dir = tmp();
  const recipe = JSON.parse(readFileSync(join(root, F, "recipe.json"), "utf8"));
  recipe.distributors.monthly.status = "inactive";
  writeFileSync(join(dir, "recipe.json"), JSON.stringify(recipe));
  const args = common.map((arg) => (arg === `${F}/recipe.json` ? join(dir, "recipe.json") : arg));
  const r = siren(["preview", ...args, ...csvData]);
  assert.equal(r.status, 0, r.stderr);
  const line = r.stdout.split("\n").find((l) => l.includes("Allocation ("));
  assert.equal(line, "  Allocation (topScoreWins): method largestRemainder, tie-break earliestToReach, carry over unawarded: no; deferred (paused) 5000.00 USD");
});
