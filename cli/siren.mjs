#!/usr/bin/env node
// The `siren` command line: a thin front end over the built package in pkg/. It reads files,
// calls the engine and prints tables for people (or JSON with --json). Every decision about
// recipes, schedules and money is the engine's.

import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const engine = require("../pkg/node/siren_engine.js");

const USAGE = `siren ${engine.version()} — the Siren distribution engine

Usage:
  siren validate <recipe.json>... [--strict] [--runs N] [--from ISO] [--time-zone TZ] [--json]
      Validate recipes; for each valid distributor print its next N distribution dates.
  siren validate-config <config.json>... [--json]
      Validate distributor configurations (one version or a history).
  siren next-runs --schedule "first day of next month" [--schedule ...] [--from ISO]
                  [--time-zone TZ] [--count N] [--json]
      Print the next trigger instants of a schedule (PHP DateTime::modify strings, in order).

Options:
  --from ISO        start instant with an offset, e.g. 2026-11-25T09:00:00-05:00 (default: now)
  --time-zone TZ    IANA name or fixed offset, e.g. America/New_York, +02:00 (default: UTC)
  --json            machine-readable output
Exit codes: 0 valid, 1 invalid input or engine error, 2 usage error.`;

class UsageError extends Error {}

function parseArgs(argv) {
  const args = { files: [], schedule: [], flags: {} };
  const valued = new Set(["--runs", "--from", "--time-zone", "--count", "--schedule"]);
  const booleans = new Set(["--strict", "--json", "--help"]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (valued.has(arg)) {
      if (i + 1 >= argv.length) throw new UsageError(`${arg} needs a value`);
      const value = argv[++i];
      if (arg === "--schedule") args.schedule.push(value);
      else args.flags[arg.slice(2)] = value;
    } else if (booleans.has(arg)) {
      args.flags[arg.slice(2)] = true;
    } else if (arg.startsWith("--")) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      args.files.push(arg);
    }
  }
  return args;
}

function positiveInt(text, name, fallback) {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number of at least 1`);
  return n;
}

/** The current instant, to the second, in UTC. */
function nowIso() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

function readJsonFile(file) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    return { error: `cannot read ${file}: ${e.code === "ENOENT" ? "no such file" : e.message}` };
  }
  return { text };
}

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const red = (t) => paint("31", t);
const yellow = (t) => paint("33", t);
const green = (t) => paint("32", t);
const bold = (t) => paint("1", t);

function printDiagnostics(file, report) {
  for (const d of [...report.errors, ...report.warnings]) {
    const tag = d.severity === "error" ? red("error  ") : yellow("warning");
    console.log(`  ${tag} ${d.path || "/"}  ${d.message}  [${d.code}]`);
  }
}

/** Next runs of every distributor in a valid recipe, keyed by distributor key. */
function distributorRuns(recipe, { from, timeZone, count }) {
  const runs = {};
  for (const [key, distributor] of Object.entries(recipe.distributors ?? {})) {
    if (!Array.isArray(distributor.schedule)) {
      runs[key] = { name: distributor.name, schedule: null, runs: [] };
      continue;
    }
    runs[key] = {
      name: distributor.name,
      status: distributor.status,
      schedule: distributor.schedule,
      runs: engine.nextRuns({ schedule: distributor.schedule, from, timeZone, count }),
    };
  }
  return runs;
}

function commandValidate(args) {
  if (args.files.length === 0) throw new UsageError("validate needs at least one recipe file");
  const options = { strict: Boolean(args.flags.strict) };
  const from = args.flags.from ?? nowIso();
  const timeZone = args.flags["time-zone"] ?? "UTC";
  const count = positiveInt(args.flags.runs, "--runs", 3);
  const results = [];
  let allValid = true;
  for (const file of args.files) {
    const { text, error } = readJsonFile(file);
    if (error) {
      allValid = false;
      results.push({ file, valid: false, errors: [{ severity: "error", code: "file.unreadable", path: "", message: error }], warnings: [] });
      continue;
    }
    const report = engine.validateRecipe(text, options);
    const result = { file, ...report };
    if (report.valid) {
      result.distributors = distributorRuns(JSON.parse(text), { from, timeZone, count });
    } else {
      allValid = false;
    }
    results.push(result);
  }
  if (args.flags.json) {
    console.log(JSON.stringify({ from, timeZone, results }, null, 2));
  } else {
    console.log(bold(`Validating ${results.length} recipe(s); next runs from ${from} in ${timeZone}`));
    for (const r of results) {
      const verdict = r.valid ? green("valid") : red("INVALID");
      const counts = `${r.errors.length} error(s), ${r.warnings.length} warning(s)`;
      console.log(`\n${bold(basename(r.file))}: ${verdict} (${counts})`);
      printDiagnostics(r.file, r);
      for (const [key, d] of Object.entries(r.distributors ?? {})) {
        if (!d.schedule) {
          console.log(`  distributor ${bold(key)} "${d.name}": no schedule`);
          continue;
        }
        const paused = d.status === "inactive" ? yellow(" (inactive: runs are skipped while paused)") : "";
        console.log(`  distributor ${bold(key)} "${d.name}" — schedule ${JSON.stringify(d.schedule)}${paused}`);
        d.runs.forEach((run, i) => console.log(`    run ${i + 1}: ${run}`));
      }
    }
    const invalid = results.filter((r) => !r.valid).length;
    console.log(`\n${results.length - invalid} valid, ${invalid} invalid`);
  }
  return allValid ? 0 : 1;
}

function commandValidateConfig(args) {
  if (args.files.length === 0) throw new UsageError("validate-config needs at least one config file");
  let allValid = true;
  const results = [];
  for (const file of args.files) {
    const { text, error } = readJsonFile(file);
    const report = error
      ? { valid: false, errors: [{ severity: "error", code: "file.unreadable", path: "", message: error }], warnings: [] }
      : engine.validateDistributorConfig(text, { strict: Boolean(args.flags.strict) });
    allValid &&= report.valid;
    results.push({ file, ...report });
  }
  if (args.flags.json) {
    console.log(JSON.stringify({ results }, null, 2));
  } else {
    for (const r of results) {
      console.log(`${bold(basename(r.file))}: ${r.valid ? green("valid") : red("INVALID")} (${r.errors.length} error(s), ${r.warnings.length} warning(s))`);
      printDiagnostics(r.file, r);
    }
  }
  return allValid ? 0 : 1;
}

function commandNextRuns(args) {
  if (args.schedule.length === 0) throw new UsageError('next-runs needs --schedule "..." (repeat it for several strings)');
  const input = {
    schedule: args.schedule,
    from: args.flags.from ?? nowIso(),
    timeZone: args.flags["time-zone"] ?? "UTC",
    count: positiveInt(args.flags.count, "--count", 12),
  };
  const runs = engine.nextRuns(input);
  if (args.flags.json) console.log(JSON.stringify({ ...input, runs }, null, 2));
  else runs.forEach((run, i) => console.log(`${String(i + 1).padStart(3)}  ${run}`));
  return 0;
}

const COMMANDS = { validate: commandValidate, "validate-config": commandValidateConfig, "next-runs": commandNextRuns };

function main(argv) {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "help") {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw new UsageError(`unknown command "${command}"`);
    return run(parseArgs(rest));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`siren: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e && typeof e.code === "string" && "path" in e) {
      console.error(`siren: ${e.message} [${e.code}${e.path ? ` at ${e.path}` : ""}]`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));
