#!/usr/bin/env node
// The command line on large CSV files (issue 20): `node bench/cli.mjs [--mb 200] [--old] [--keep | --dir DIR]`.
// Generates an events CSV of about --mb MB (mulberry32, deterministic) and a small transactions
// CSV into a temp folder, runs `siren preview` and `siren simulate` on them as child processes,
// and reports each run's wall time, MB/s of events CSV, CPU time (user + system) and peak RSS
// (GNU time's %U %S %M: /usr/bin/time must be installed), plus the sample year's `simulate` wall time. `--old` also runs
// every command on the object path (SIREN_COLUMNS=0) for the same data, side by side; on large
// files that path runs out of memory or limits, which the table shows. Needs pkg/ (scripts/build.sh).
import { mkdtempSync, openSync, writeSync, closeSync, statSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { mulberry32 } from "../lib/prng.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "cli/siren.mjs");
const { values } = parseArgs({ options: { mb: { type: "string", default: "200" }, old: { type: "boolean", default: false }, keep: { type: "boolean", default: false }, dir: { type: "string" } } });
const targetBytes = Number(values.mb) * 1024 * 1024;

const TYPES = ["referredSiteVisit", "boundCouponUsed", "courseCompleted", "lessonCompleted", "manual"];
const YEAR_MS = Date.parse("2026-01-01T05:00:00Z");
const COLLABORATORS = 2_000;

/** Events over 2026, with ids and a few manual credits with points, until `bytes` are written. */
function writeEvents(path, bytes) {
  const next = mulberry32(20);
  const fd = openSync(path, "w");
  let written = writeSync(fd, "id,collaboratorId,type,occurredAt,points\n");
  let i = 0;
  while (written < bytes) {
    const rows = [];
    for (let k = 0; k < 50_000; k++, i++) {
      const type = next() % 50 === 0 ? 4 : next() % 4;
      const at = new Date(YEAR_MS + (next() % (365 * 86_400)) * 1000).toISOString().replace(".000Z", "Z");
      rows.push(`e${i},${next() % COLLABORATORS},${TYPES[type]},${at},${type === 4 ? next() % 100 : ""}\n`);
    }
    written += writeSync(fd, rows.join(""));
  }
  closeSync(fd);
  return i;
}

/** `n` transactions of one or two lines over 2026. */
function writeTransactions(path, n) {
  const next = mulberry32(21);
  const rows = ["transactionId,status,occurredAt,currency,lineType,amount,quantity,sku,categories,ownerCollaboratorIds"];
  for (let t = 1; t <= n; t++) {
    const at = new Date(YEAR_MS + (next() % (365 * 86_400)) * 1000).toISOString().replace(".000Z", "Z");
    const cents = 500 + (next() % 20_000);
    rows.push(`${t},complete,${at},USD,product,${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")},${1 + (next() % 3)},SKU-${next() % 50},courses,`);
    if (next() % 3 === 0) rows.push(`${t},complete,${at},USD,shipping,4.99,1,,,`);
  }
  writeFileSync(path, rows.join("\n") + "\n");
}

/** Runs `node cli/siren.mjs …args` under GNU time for its peak RSS (`%M`, KB); the wall is timed here. */
function run(args, env = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%U %S %M", process.execPath, cli, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const lines = r.stderr.trim().split("\n");
  const [user, sys, rss] = lines.at(-1).split(" ").map(Number);
  return { ms, cpu: user + sys, status: r.status, rssMb: rss / 1024, stderr: lines.slice(0, -1).join("\n") };
}

// --dir DIR reuses the files a run with --keep left there.
const dir = values.dir ?? mkdtempSync(join(tmpdir(), "siren-bench-cli-"));
const events = join(dir, "events.csv");
const transactions = join(dir, "transactions.csv");
if (values.dir === undefined) {
  const t0 = performance.now();
  const rows = writeEvents(events, targetBytes);
  writeTransactions(transactions, 50_000);
  console.log(`generated ${rows.toLocaleString("en-US")} events and 50,000 transactions in ${((performance.now() - t0) / 1000).toFixed(1)} s into ${dir}`);
}
const mb = statSync(events).size / (1024 * 1024);

const common = ["--recipe", "samples/recipes/milestone-rewards.json", "--distributor", "milestoneRewards", "--config", "samples/year/config.json", "--events", events, "--transactions", transactions, "--time-zone", "America/New_York"];
const commands = [
  ["preview", [...common, "--at", "2026-03-20T12:00:00-04:00"]],
  ["simulate", [...common, "--start", "2026-01-01T00:00:00-05:00", "--end", "2027-01-01T00:00:00-05:00"]],
];
const year = ["simulate", ["--data", "samples/year", "--recipe", "samples/recipes/milestone-rewards.json"]];
const paths = [["columns", {}], ...(values.old ? [["objects", { SIREN_COLUMNS: "0" }]] : [])];

console.log(`\n${"command".padEnd(22)} ${"path".padEnd(8)} ${"wall s".padStart(7)} ${"MB/s".padStart(6)} ${"CPU s".padStart(6)} ${"peak RSS MB".padStart(12)}  result`);
const line = (name, path, r, size) =>
  console.log(
    `${name.padEnd(22)} ${path.padEnd(8)} ${(r.ms / 1000).toFixed(2).padStart(7)} ${size ? (size / (r.ms / 1000)).toFixed(1).padStart(6) : "".padStart(6)} ${r.cpu.toFixed(2).padStart(6)} ${r.rssMb.toFixed(0).padStart(12)}  ${r.status === 0 ? "ok" : `exit ${r.status ?? r.signal}: ${r.stderr.trim().split("\n")[0]}`}`,
  );
for (const [command, args] of commands) {
  for (const [path, env] of paths) line(`${command} (${mb.toFixed(0)} MB)`, path, run([command, ...args], env), mb);
}
for (const [path, env] of paths) line("simulate (sample year)", path, run([year[0], ...year[1]], env));
if (!values.keep && values.dir === undefined) rmSync(dir, { recursive: true, force: true });
