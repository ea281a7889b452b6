#!/usr/bin/env node
// The `siren` command line: a thin front end over the built package in pkg/. It reads files,
// calls the engine and prints tables for people (or JSON with --json). Every decision about
// recipes, schedules and money is the engine's.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { createRequire } from "node:module";
import { InputError, emptySources, readJson, readEvents, readTransactions, readRefunds, readCollaborators, locateEnginePath, withStatus } from "./inputs.mjs";
import { formatLeaderboard, formatAllocations, formatAmount, collaboratorLabel, allocationsCsv, formatCycleTable, formatTable, obligationsCsv, formatComparisonCycles, formatDeltas, deltasCsv } from "./format.mjs";

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
  siren preview --recipe r.json --distributor KEY --config c.json --events e.csv
                --transactions t.csv [--refunds r.csv] [--collaborators c.csv]
                --time-zone TZ --at ISO [--last-distribution ISO] [--tie-break POLICY]
                [--limit N] [--json] [--csv-out allocations.csv]
      The current cycle "if it ended at --at": window, revenue, pool, leaderboard, allocations
      and why. Data files are CSV (by the .csv extension) or JSON; see docs/data-formats.md.
  siren simulate [--data DIR] --recipe r.json --distributor KEY --config c.json --events e.csv
                 --transactions t.csv [--refunds r.csv] [--collaborators c.csv] --time-zone TZ
                 --start ISO --end ISO [--pause FROM/UNTIL]... [--tie-break P] [--carry-over]
                 [--json] [--csv-out obligations.csv]
      Every cycle from --start to --end: status, revenue, pool, winners, payouts; then totals.
  siren compare <simulate options> [--variant-config c.json] [--set-points TYPE=N]...
                [--set-percentage P] [--set-resolver ID] [--set-tie-break P] [--json]
                [--csv-out deltas.csv]
      The same data under the base and a variant configuration: who wins each cycle, and how
      each collaborator's total changes.

Options:
  --from ISO        start instant with an offset, e.g. 2026-11-25T09:00:00-05:00 (default: now)
  --time-zone TZ    IANA name or fixed offset, e.g. America/New_York, +02:00 (default: UTC;
                    preview needs it given)
  --json            machine-readable output (preview: the engine's output verbatim)
  --tie-break P     earliestToReach, split or lowestCollaboratorId
  --csv-out FILE    preview: also write the allocations as CSV (collaboratorId,amount,units)
  --limit N         preview: leaderboard rows shown (default 20)
  --data DIR        simulate/compare: read DIR/events.csv, transactions.csv, refunds.csv,
                    collaborators.csv, config.json and scenario.json (time zone, range, pauses,
                    policies, distributor) when present; explicit options win
  --pause FROM/UNTIL  simulate/compare: a pause [FROM, UNTIL) (repeatable); triggers inside it
                    are skipped and paid at the first trigger after
  --carry-over      simulate/compare: carry unawarded pools into the next cycle
Bad data is reported as file:line:column: message (exit 1).
Exit codes: 0 valid, 1 invalid input or engine error, 2 usage error.`;

class UsageError extends Error {}

function parseArgs(argv) {
  const args = { files: [], schedule: [], flags: {} };
  const valued = new Set([
    "--runs", "--from", "--time-zone", "--count", "--schedule",
    // preview
    "--recipe", "--distributor", "--config", "--events", "--transactions", "--refunds", "--collaborators",
    "--at", "--last-distribution", "--tie-break", "--csv-out", "--limit",
    // simulate and compare
    "--data", "--start", "--end", "--pause", "--variant-config", "--set-points", "--set-percentage",
    "--set-resolver", "--set-tie-break",
  ]);
  const repeated = new Set(["--pause", "--set-points"]);
  const booleans = new Set(["--strict", "--json", "--help", "--carry-over"]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (valued.has(arg)) {
      if (i + 1 >= argv.length) throw new UsageError(`${arg} needs a value`);
      const value = argv[++i];
      if (arg === "--schedule") args.schedule.push(value);
      else if (repeated.has(arg)) (args.flags[arg.slice(2)] ??= []).push(value);
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

/** Preview input fields that come from an option, to name the option in engine errors. */
const OPTION_OF_PATH = {
  "/at": "--at",
  "/timeZone": "--time-zone",
  "/lastDistributionAt": "--last-distribution",
  "/policies/tieBreak": "--tie-break",
  "/distributorKey": "--distributor",
  "/start": "--start",
  "/end": "--end",
  "/policies": "--tie-break / --carry-over",
};

/** An engine error, pointed back at the file, line and column (or option) it came from. */
class LocatedError extends Error {}

function locateEngineError(e, { sources, files }) {
  const where = locateEnginePath(e.path, sources);
  const tag = `[${e.code}${e.path ? ` at ${e.path}` : ""}]`;
  if (where) return new LocatedError(`${where}: ${e.message} ${tag}`);
  for (const [key, file] of Object.entries(files)) {
    if (e.path === `/${key}` || e.path.startsWith(`/${key}/`)) return new LocatedError(`${file}: at ${e.path.slice(key.length + 1) || "/"}: ${e.message} ${tag}`);
  }
  const option = OPTION_OF_PATH[e.path];
  if (option) return new LocatedError(`siren: ${option}: ${e.message} ${tag}`);
  return new LocatedError(`siren: ${e.message} ${tag}`);
}

function commandPreview(args) {
  const f = args.flags;
  if (args.files.length > 0) throw new UsageError(`preview takes no positional arguments (got ${args.files[0]}); use --events, --transactions, ...`);
  for (const name of ["recipe", "distributor", "config", "events", "transactions", "time-zone", "at"]) {
    if (f[name] === undefined) throw new UsageError(`preview needs --${name}`);
  }
  const limit = positiveInt(f.limit, "--limit", 20);
  const sources = emptySources();
  const recipe = readJson(f.recipe);
  const config = readJson(f.config);
  const events = readEvents(f.events, sources);
  const transactions = readTransactions(f.transactions, sources);
  if (f.refunds !== undefined) readRefunds(f.refunds, transactions, sources);
  const input = { recipe, distributorKey: f.distributor, config, events, transactions, timeZone: f["time-zone"], at: f.at };
  let collaborators;
  if (f.collaborators !== undefined) input.collaborators = collaborators = readCollaborators(f.collaborators, sources);
  if (f["last-distribution"] !== undefined) input.lastDistributionAt = f["last-distribution"];
  if (f["tie-break"] !== undefined) input.policies = { tieBreak: f["tie-break"] };

  let preview;
  try {
    preview = withStatus("computing the preview…", () => engine.previewScores(input));
  } catch (e) {
    if (e && typeof e.code === "string" && typeof e.path === "string") throw locateEngineError(e, { sources, files: { recipe: f.recipe, config: f.config } });
    throw e;
  }
  if (f["csv-out"] !== undefined) {
    try {
      writeFileSync(f["csv-out"], allocationsCsv(preview));
    } catch (e) {
      throw new InputError(f["csv-out"], 0, 0, `cannot write: ${e.message}`);
    }
  }
  if (f.json) {
    console.log(JSON.stringify(preview, null, 2));
    return 0;
  }
  const names = new Map((collaborators ?? []).filter((c) => c?.name).map((c) => [String(c.id), c.name]));
  console.log(printPreview(preview, { recipe, key: f.distributor, names, limit }));
  return 0;
}

/** The human-readable preview: window, money, leaderboard, allocations, tie and notes, and why. */
function printPreview(p, { recipe, key, names, limit }) {
  const x = p.explanation ?? {};
  const name = recipe?.distributors?.[key]?.name;
  const units = p.units;
  const out = [];
  out.push(bold(`Preview of ${name ? `"${name}" (${key})` : key}, projected at ${p.at} (${p.timeZone})`));
  const win = x.window ?? {};
  out.push(`  Window   ${p.window.start} → ${p.window.end} (${win.halfOpen === false ? "closed" : "end excluded"}; from ${win.source ?? "?"}${win.anchorSource ? `, anchored at ${win.anchor} (${win.anchorSource})` : ""})`);
  out.push(`  Trigger  ${p.triggerAt}`);
  out.push(`  Status   ${p.status}`);
  const rev = x.revenue;
  const refunds = rev && rev.refunds !== undefined && !/^0(\.0+)?$/.test(rev.refunds) ? ` (sales ${rev.sales}, refunds ${rev.refunds})` : "";
  out.push(`  Revenue  ${formatAmount(p.revenue, units)}${refunds}`);
  out.push(`  Pool     ${formatAmount(p.pool, units)}`);
  out.push("");
  out.push(bold(`Leaderboard (${p.leaderboard.length} collaborator${p.leaderboard.length === 1 ? "" : "s"}${x.scoring ? `, ${x.scoring.totalPoints} points` : ""})`));
  out.push(formatLeaderboard(p, limit, { names }));
  out.push("");
  out.push(bold("Allocations"));
  out.push(formatAllocations(p, { names }));
  if (p.tie) {
    out.push("");
    out.push(bold("Tie"));
    out.push(`  ${p.tie.collaboratorIds.map((id) => collaboratorLabel(id, names)).join(", ")} at ${p.tie.score} points; policy ${p.tie.policy}, decided by ${p.tie.decidedBy}; winner(s): ${p.tie.winners.join(", ")}`);
  }
  if (p.notes.length > 0) {
    out.push("");
    out.push(bold("Notes"));
    for (const note of p.notes) out.push(`  - ${note}`);
  }
  const why = [];
  if (x.pool) {
    const parts = x.pool.percentages.map((q) => `${q.percentage}% of ${q.revenue}`).join(" + ");
    why.push(`Pool (${x.pool.resolver}): ${parts || "no revenue"} = ${x.pool.exact}, rounded ${x.pool.rounding} to ${x.pool.decimals} decimal(s): ${formatAmount(x.pool.pool, units)}`);
  }
  if (x.allocation) {
    const a = x.allocation;
    why.push(`Allocation (${a.resolver}): method ${a.method}, tie-break ${a.tieBreak}, carry over unawarded: ${a.carryOverUnawarded ? "yes" : "no"}${a.unawarded && !/^0(\.0+)?$/.test(a.unawarded) ? `; unawarded ${formatAmount(a.unawarded, units)}` : ""}`);
  }
  if (why.length > 0) {
    out.push("");
    out.push(bold("Why"));
    for (const line of why) out.push(`  ${line}`);
    out.push("  (--json shows every event, transaction line and refund behind these figures)");
  }
  return out.join("\n");
}

/**
 * The simulate input from options and, with --data DIR, the files of a data folder (the bundled
 * sample year's layout). Explicit options win over the folder's scenario.json.
 */
function simulateInput(args, command) {
  const f = args.flags;
  if (args.files.length > 0) throw new UsageError(`${command} takes no positional arguments (got ${args.files[0]}); use --data, --events, ...`);
  const dir = f.data;
  const inDir = (name) => (dir !== undefined && existsSync(join(dir, name)) ? join(dir, name) : undefined);
  const scenarioFile = inDir("scenario.json");
  const scenario = scenarioFile ? readJson(scenarioFile) : {};
  const pick = (flag, file) => f[flag] ?? inDir(file);
  const files = {
    recipe: f.recipe,
    config: pick("config", "config.json"),
    events: pick("events", "events.csv"),
    transactions: pick("transactions", "transactions.csv"),
    refunds: pick("refunds", "refunds.csv"),
    collaborators: pick("collaborators", "collaborators.csv"),
  };
  const settings = {
    distributor: f.distributor ?? scenario.distributorKey,
    "time-zone": f["time-zone"] ?? scenario.timeZone,
    start: f.start ?? scenario.start,
    end: f.end ?? scenario.end,
  };
  for (const [name, value] of Object.entries({ ...files, ...settings })) {
    if (value === undefined && name !== "refunds" && name !== "collaborators") throw new UsageError(`${command} needs --${name}${dir === undefined ? "" : ` (not found in ${dir} either)`}`);
  }
  const sources = emptySources();
  const transactions = readTransactions(files.transactions, sources);
  if (files.refunds !== undefined) readRefunds(files.refunds, transactions, sources);
  const input = {
    recipe: readJson(files.recipe),
    distributorKey: settings.distributor,
    config: readJson(files.config),
    events: readEvents(files.events, sources),
    transactions,
    timeZone: settings["time-zone"],
    start: settings.start,
    end: settings.end,
  };
  if (files.collaborators !== undefined) input.collaborators = readCollaborators(files.collaborators, sources);
  const pauses = f.pause?.map((text) => {
    const [from, until, extra] = text.split("/");
    if (!from || !until || extra !== undefined) throw new UsageError(`--pause takes FROM/UNTIL, e.g. 2026-07-01T00:00:00Z/2026-08-01T00:00:00Z (got ${text})`);
    return { from, until };
  });
  if (pauses ?? scenario.pauses) input.pauses = pauses ?? scenario.pauses;
  const policies = { ...(scenario.policies ?? {}) };
  if (f["tie-break"] !== undefined) policies.tieBreak = f["tie-break"];
  if (f["carry-over"]) policies.carryOverUnawarded = true;
  if (Object.keys(policies).length > 0) input.policies = policies;
  const names = new Map((input.collaborators ?? []).filter((c) => c?.name).map((c) => [String(c.id), c.name]));
  return { input, sources, files, names };
}

/** Runs the engine, mapping an error's path back to the file and line it came from. */
function runEngine(label, work, { sources, files }, prefix = "") {
  try {
    return withStatus(label, work);
  } catch (e) {
    if (e && typeof e.code === "string" && typeof e.path === "string") {
      const path = prefix && e.path.startsWith(prefix) ? e.path.slice(prefix.length) : e.path;
      throw locateEngineError({ ...e, message: e.message, code: e.code, path }, { sources, files: { recipe: files.recipe, config: files.config } });
    }
    throw e;
  }
}

function writeOutputFile(file, text) {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new InputError(file, 0, 0, `cannot write: ${e.message}`);
  }
}

function commandSimulate(args) {
  const { input, sources, files, names } = simulateInput(args, "simulate");
  const simulation = runEngine("simulating…", () => engine.simulate(input), { sources, files });
  if (args.flags["csv-out"] !== undefined) writeOutputFile(args.flags["csv-out"], obligationsCsv(simulation));
  if (args.flags.json) {
    console.log(JSON.stringify(simulation, null, 2));
    return 0;
  }
  const t = simulation.totals;
  const out = [
    bold(`Simulation of ${input.distributorKey} from ${simulation.start} to ${simulation.end} (${simulation.timeZone})`),
    `  policies: tie-break ${simulation.policies.tieBreak}, carry over unawarded ${simulation.policies.carryOverUnawarded ? "on" : "off"}; ${input.events.length} events, ${input.transactions.length} transactions`,
    "",
    formatCycleTable(simulation.cycles, { names }),
    "",
    bold("Totals"),
    `  revenue ${formatAmount(t.revenue, simulation.units)}, pool ${formatAmount(t.pool, simulation.units)}, allocated ${formatAmount(t.allocated, simulation.units)}, unawarded ${t.unawarded}, carried over ${t.carriedOver}`,
    `  ${t.cycles} cycles: ${t.distributedCycles} distributed, ${t.pausedCycles} paused, ${t.noEngagementCycles} without engagement, ${t.noRevenueCycles} without revenue`,
    "",
    bold("Earnings by collaborator"),
    formatTable(
      [
        { header: "Collaborator", value: (c) => collaboratorLabel(c.collaboratorId, names) },
        { header: "Cycles won", align: "right", value: (c) => c.cyclesWon },
        { header: "Amount", align: "right", value: (c) => c.amount },
      ],
      t.collaborators.slice(0, 20),
      { indent: "  " },
    ) + (t.collaborators.length > 20 ? `\n  … ${t.collaborators.length - 20} more` : ""),
  ];
  for (const note of simulation.notes ?? []) out.push(`  note: ${note}`);
  console.log(out.join("\n"));
  return 0;
}

/** The variant of `compare` from its options: a whole config, or overrides of the base. */
function compareVariant(f) {
  const variant = {};
  if (f["variant-config"] !== undefined) variant.config = readJson(f["variant-config"]);
  if (f["set-points"] !== undefined) {
    variant.engagementTypes = {};
    for (const pair of f["set-points"]) {
      const match = /^([^=]+)=(.*)$/.exec(pair);
      if (!match) throw new UsageError(`--set-points takes TYPE=POINTS, e.g. courseCompleted=20 (got ${pair})`);
      variant.engagementTypes[match[1]] = match[2] === "" || match[2] === "none" ? null : match[2];
    }
  }
  if (f["set-percentage"] !== undefined) variant.revenuePercentage = f["set-percentage"];
  if (f["set-resolver"] !== undefined) variant.distributionResolver = f["set-resolver"];
  if (f["set-tie-break"] !== undefined) variant.policies = { tieBreak: f["set-tie-break"] };
  if (Object.keys(variant).length === 0) throw new UsageError("compare needs a variant: --variant-config, --set-points, --set-percentage, --set-resolver or --set-tie-break");
  return variant;
}

function commandCompare(args) {
  const { input, sources, files, names } = simulateInput(args, "compare");
  const variant = compareVariant(args.flags);
  const comparison = runEngine("comparing…", () => engine.compare({ base: input, variant }), { sources, files }, "/base");
  if (args.flags["csv-out"] !== undefined) writeOutputFile(args.flags["csv-out"], deltasCsv(comparison));
  if (args.flags.json) {
    console.log(JSON.stringify(comparison, null, 2));
    return 0;
  }
  const units = comparison.base.units;
  const changed = comparison.cycles.filter((c) => c.changed).length;
  const out = [
    bold(`Comparison of ${input.distributorKey}: base vs variant ${JSON.stringify(variant.config ? { config: "(file)", ...variant, config: undefined } : variant)}`),
    `  ${changed} of ${comparison.cycles.length} cycles change winners; allocated ${formatAmount(comparison.base.totals.allocated, units)} → ${formatAmount(comparison.variant.totals.allocated, units)}`,
    "",
    formatComparisonCycles(comparison, { names }),
    "",
    bold("Change in total earnings (largest first)"),
    formatDeltas(comparison, 20, { names }),
  ];
  console.log(out.join("\n"));
  return 0;
}

const COMMANDS = {
  validate: commandValidate,
  "validate-config": commandValidateConfig,
  "next-runs": commandNextRuns,
  preview: commandPreview,
  simulate: commandSimulate,
  compare: commandCompare,
};

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
    if (e instanceof InputError || e instanceof LocatedError) {
      console.error(e.message);
      return 1;
    }
    if (e && typeof e.code === "string" && "path" in e) {
      console.error(`siren: ${e.message} [${e.code}${e.path ? ` at ${e.path}` : ""}]`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));
