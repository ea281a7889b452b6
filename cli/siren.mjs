#!/usr/bin/env node
// The `siren` command line: a thin front end over the engine of the npm package. It reads files,
// calls the engine and prints tables for people (or JSON with --json). Every decision about
// recipes, schedules and money is the engine's. Options are parsed by node:util's parseArgs, per
// command; `siren COMMAND --help` describes each. docs/cli.md is the manual.

import { existsSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  InputError,
  emptySources,
  readJsonText,
  readText,
  readEvents,
  readTransactions,
  readRefunds,
  readCollaborators,
  locateEnginePath,
  locateJsonPointer,
  withStatus,
  displayName,
} from "./inputs.mjs";
import { parseJson, isCsvName } from "../lib/records.mjs";
import { readEventColumns, readTransactionColumns, locateColumnPath, Unsupported } from "./columns.mjs";
import {
  formatLeaderboard,
  formatAllocations,
  collaboratorLabel,
  allocationsCsv,
  formatCycleTable,
  formatTable,
  obligationsCsv,
  formatComparisonCycles,
  formatDeltas,
  deltasCsv,
  moneyFormat,
} from "./format.mjs";

// ---------------------------------------------------------------------------------------------
// The engine: inside the npm package it is ../node/ (the package's layout: cli/, lib/, node/);
// in the repository, ../pkg/node/ (built by scripts/build.sh).

const here = dirname(fileURLToPath(import.meta.url));
const ENGINE_CANDIDATES = [join(here, "../node/siren_engine.js"), join(here, "../pkg/node/siren_engine.js")];

class EngineMissing extends Error {}

let loaded = null;
/** The engine module and the folder of the package it belongs to (loaded on first use). */
function engineModule() {
  if (loaded) return loaded;
  const path = ENGINE_CANDIDATES.find((p) => existsSync(p));
  if (!path) {
    throw new EngineMissing(`siren: the engine is missing: neither ${ENGINE_CANDIDATES.join(" nor ")} exists (in the repository, run scripts/build.sh)`);
  }
  loaded = { engine: createRequire(import.meta.url)(path), packageDir: dirname(dirname(path)) };
  return loaded;
}
const engine = new Proxy({}, { get: (_, name) => engineModule().engine[name] });

function versionText() {
  const { packageDir } = engineModule();
  let pkg = {};
  try {
    pkg = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
  } catch {
    // no package.json next to the engine: the package version is unknown
  }
  return `${pkg.name ?? "siren-engine"} ${pkg.version ?? "(unknown version)"} (engine ${engine.version()})`;
}

// ---------------------------------------------------------------------------------------------
// Options and commands.

/** A mistake in the command line: exit 2, with a hint to the command's help. */
class UsageError extends Error {}

/**
 * Every option, once. `arg` names the value in the help (none: a boolean flag); `stdin`: `-`
 * reads standard input; `multiple`: repeatable.
 */
const OPTIONS = {
  recipe: { arg: "FILE", stdin: true, help: "the recipe (JSON)" },
  distributor: { arg: "KEY", help: "the distributor's key in the recipe" },
  config: { arg: "FILE", stdin: true, help: "the distributor's configuration (JSON: one version or a history)" },
  events: { arg: "FILE", stdin: true, help: "engagement events (CSV or JSON)" },
  transactions: { arg: "FILE", stdin: true, help: "transactions (CSV or JSON)" },
  refunds: { arg: "FILE", stdin: true, help: "refunds, attached to their transactions (CSV or JSON)" },
  collaborators: { arg: "FILE", stdin: true, help: "collaborators: names shown next to ids, statuses (CSV or JSON)" },
  "time-zone": { arg: "TZ", help: "IANA name or fixed offset, e.g. America/New_York, +02:00 (default UTC)" },
  from: { arg: "ISO", help: "start instant with an offset, e.g. 2026-11-25T09:00:00-05:00 (default: now)" },
  runs: { arg: "N", help: "distribution dates shown per distributor (default 3)" },
  count: { arg: "N", help: "instants shown (default 12)" },
  schedule: { arg: "TEXT", multiple: true, help: 'a PHP DateTime::modify string, e.g. "first day of next month"; repeat it for several, applied in order' },
  strict: { help: "unknown fields are errors, not warnings" },
  at: { arg: "ISO", help: "the instant the cycle is projected to, with an offset" },
  "last-distribution": { arg: "ISO", help: "when the distributor last paid (the window's start)" },
  "tie-break": { arg: "POLICY", help: "earliestToReach, split or lowestCollaboratorId" },
  limit: { arg: "N", help: "leaderboard rows shown (default 20)" },
  data: { arg: "DIR", help: "a data folder like samples/year: events.csv, transactions.csv, refunds.csv, collaborators.csv, config.json, scenario.json (time zone, range, pauses, policies, distributor); explicit options win" },
  start: { arg: "ISO", help: "the first cycle's start" },
  end: { arg: "ISO", help: "the end of the range" },
  pause: { arg: "FROM/UNTIL", multiple: true, help: "a pause [FROM, UNTIL) (repeatable): its triggers are skipped and paid at the first trigger after" },
  "carry-over": { help: "carry unawarded pools into the next cycle" },
  "variant-config": { arg: "FILE", stdin: true, help: "the variant's whole configuration (JSON)" },
  "set-points": { arg: "TYPE=N", multiple: true, help: "the variant's points for an engagement type (repeatable; N = none removes it)" },
  "set-percentage": { arg: "P", help: "the variant's revenue percentage, e.g. 7.5" },
  "set-resolver": { arg: "ID", help: "the variant's distribution resolver" },
  "set-tie-break": { arg: "POLICY", help: "the variant's tie-break policy" },
  json: { help: "machine-readable output on stdout" },
  "csv-out": { arg: "FILE", help: "also write CSV to FILE (- : only the CSV, on stdout)" },
  locale: { arg: "TAG", help: "money in this locale, e.g. en-US, de-DE; C: the engine's exact strings (default: $LC_ALL, $LC_MONETARY or $LANG when stdout is a terminal, else C)" },
};

const DATA_FILES = ["events.csv", "transactions.csv", "refunds.csv", "collaborators.csv", "config.json", "scenario.json"];

const SIMULATE_OPTIONS = [
  ["data"],
  ["recipe"],
  ["distributor"],
  ["config"],
  ["events"],
  ["transactions"],
  ["refunds"],
  ["collaborators"],
  ["time-zone", "IANA name or fixed offset (default: scenario.json's)"],
  ["start"],
  ["end"],
  ["pause"],
  ["tie-break"],
  ["carry-over"],
];

const YEAR = "--data samples/year --recipe samples/recipes/milestone-rewards.json";

/**
 * The commands: `synopsis` lines, `summary` (the global help), `description`, `options` as
 * `[name, help override?]`, `positionals` (a name, or none), `examples`, and `run(args)`.
 */
const COMMANDS = {
  validate: {
    summary: "check recipes; show each distributor's next distribution dates",
    synopsis: ["siren validate RECIPE.json... [--strict] [--runs N] [--from ISO] [--time-zone TZ] [--json]"],
    description: "Validates recipes (- reads one from standard input); for each valid distributor prints its next --runs distribution dates from --from.",
    positionals: "RECIPE.json",
    options: [["strict"], ["runs"], ["from"], ["time-zone"], ["json"]],
    examples: ["siren validate samples/recipes/*.json --runs 2 --from 2026-01-31T15:30:00-05:00 --time-zone America/New_York"],
    run: commandValidate,
  },
  "validate-config": {
    summary: "check distributor configurations (one version or a history)",
    synopsis: ["siren validate-config CONFIG.json... [--strict] [--json]"],
    description: "Validates distributor configurations: one version, or a list of versions with effectiveFrom.",
    positionals: "CONFIG.json",
    options: [["strict"], ["json"]],
    examples: ["siren validate-config samples/configs/*.json"],
    run: commandValidateConfig,
  },
  "next-runs": {
    summary: "the next trigger instants of a schedule",
    synopsis: ['siren next-runs --schedule TEXT [--schedule TEXT]... [--from ISO] [--time-zone TZ] [--count N] [--json]'],
    description: "Prints the next trigger instants of a schedule: PHP DateTime::modify strings applied in order.",
    options: [["schedule"], ["from"], ["time-zone"], ["count"], ["json"]],
    examples: ['siren next-runs --schedule "first day of next month" --from 2026-01-10T00:00:00Z --count 3'],
    run: commandNextRuns,
  },
  preview: {
    summary: "the current cycle as if it ended at a given instant",
    synopsis: [
      "siren preview --recipe r.json --distributor KEY --config c.json --events e.csv",
      "              --transactions t.csv --time-zone TZ --at ISO [options]",
    ],
    description:
      'The current cycle "if it ended at --at": window, revenue, pool, leaderboard, allocations and why. Data files are CSV (by the .csv extension) or JSON; see docs/data-formats.md.',
    options: [
      ["recipe"],
      ["distributor"],
      ["config"],
      ["events"],
      ["transactions"],
      ["refunds"],
      ["collaborators"],
      ["time-zone", "IANA name or fixed offset, e.g. America/New_York, +02:00"],
      ["at"],
      ["last-distribution"],
      ["tie-break"],
      ["limit"],
      ["json", "the engine's output verbatim, on stdout"],
      ["csv-out", "also write the allocations (collaboratorId,amount,units) to FILE; - : only them, on stdout"],
      ["locale"],
    ],
    required: ["recipe", "distributor", "config", "events", "transactions", "time-zone", "at"],
    examples: [
      "siren preview --recipe samples/recipes/milestone-rewards.json --distributor milestoneRewards \\",
      "  --config samples/year/config.json --events samples/year/events.csv \\",
      "  --transactions samples/year/transactions.csv --collaborators samples/year/collaborators.csv \\",
      "  --time-zone America/New_York --at 2026-03-20T12:00:00-04:00",
    ],
    run: commandPreview,
  },
  simulate: {
    summary: "every cycle over a date range: winners, payouts, totals",
    synopsis: [
      "siren simulate [--data DIR] --recipe r.json --distributor KEY --config c.json --events e.csv",
      "               --transactions t.csv --time-zone TZ --start ISO --end ISO [options]",
    ],
    description: "Every cycle from --start to --end: status, revenue, pool, winners, payouts; then the totals and each collaborator's earnings.",
    options: [...SIMULATE_OPTIONS, ["json"], ["csv-out", "also write every obligation (cycle,triggerAt,collaboratorId,amount,units) to FILE; - : only them, on stdout"], ["locale"]],
    required: ["recipe", "distributor", "config", "events", "transactions", "time-zone", "start", "end"],
    requiredNote: "(all but --recipe may come from --data)",
    examples: [`siren simulate ${YEAR}`, `siren simulate ${YEAR} --carry-over --csv-out - > obligations.csv`],
    run: commandSimulate,
  },
  compare: {
    summary: "the same data under a base and a variant configuration",
    synopsis: [
      "siren compare <simulate options> [--variant-config c.json] [--set-points TYPE=N]...",
      "              [--set-percentage P] [--set-resolver ID] [--set-tie-break P] [options]",
    ],
    description: "Simulates the same data under the base and a variant configuration: who wins each cycle (* where the winners change), and how each collaborator's total changes. Give the variant as a whole configuration or as overrides of the base.",
    options: [
      ...SIMULATE_OPTIONS,
      ["variant-config"],
      ["set-points"],
      ["set-percentage"],
      ["set-resolver"],
      ["set-tie-break"],
      ["json"],
      ["csv-out", "also write the change per collaborator (collaboratorId,baseTotal,variantTotal,delta,units) to FILE; - : only that, on stdout"],
      ["locale"],
    ],
    required: ["recipe", "distributor", "config", "events", "transactions", "time-zone", "start", "end"],
    requiredNote: "(all but --recipe may come from --data), and a variant",
    examples: [`siren compare ${YEAR} --set-points courseCompleted=40`],
    run: commandCompare,
  },
};

const EXIT_CODES = [
  ["0", "success"],
  ["1", "the input was refused: an invalid recipe or configuration, an error the engine found in the data (a bad timestamp, a negative amount), or a value the reader refused (points that are not a whole number)"],
  ["2", "usage error: an unknown command or option, a missing or malformed option"],
  ["3", "a file cannot be read, parsed or written: no such file or folder, not UTF-8, malformed CSV or JSON"],
];

const WIDTH = 100;

/** `text` wrapped to `width` columns, continuation lines indented by `indent` spaces. */
function wrap(text, indent, width = WIDTH) {
  const lines = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.join(`\n${" ".repeat(indent)}`);
}

/** Two-column lines: `  left  text`, the text wrapped and aligned. */
function twoColumns(rows, left = 2) {
  const width = Math.max(...rows.map(([a]) => a.length)) + 2;
  return rows.map(([a, b]) => `${" ".repeat(left)}${a.padEnd(width)}${wrap(b, left + width)}`).join("\n");
}

function globalHelp() {
  const commands = Object.entries(COMMANDS).map(([name, c]) => [name, c.summary]);
  commands.push(["help COMMAND", "a command's options and an example (as siren COMMAND --help)"]);
  return [
    "Usage: siren COMMAND [options]",
    "",
    wrap("The Siren distribution engine on the command line: validate recipes, preview a cycle, simulate and compare payouts.", 0),
    "",
    "Commands:",
    twoColumns(commands),
    "",
    "Options:",
    twoColumns([
      ["-h, --help", "show help (siren COMMAND --help: that command's options)"],
      ["--version", "show the package's and the engine's versions"],
    ]),
    "",
    wrap("Files: - reads standard input (for one option at most). Data files are CSV or JSON (docs/data-formats.md). Problems in a file are reported as file:line:column: message.", 0),
    "",
    "Exit codes:",
    twoColumns(EXIT_CODES),
    "",
    "Example:",
    `  siren simulate ${YEAR}`,
    "",
    "Run `siren COMMAND --help` for a command's options.",
  ].join("\n");
}

function commandHelp(name) {
  const c = COMMANDS[name];
  const row = ([option, help]) => {
    const o = OPTIONS[option];
    return [`--${option}${o.arg ? ` ${o.arg}` : ""}`, `${help ?? o.help}${o.stdin ? "; - reads standard input" : ""}`];
  };
  const required = c.options.filter(([option]) => c.required?.includes(option)).map(row);
  const optional = c.options.filter(([option]) => !c.required?.includes(option)).map(row);
  optional.push(["-h, --help", "show this help"]);
  // One width for both lists, so their descriptions line up.
  const width = Math.max(...[...required, ...optional].map(([a]) => a.length));
  const pad = (rows) => rows.map(([a, b]) => [a.padEnd(width), b]);
  return [
    `Usage: ${c.synopsis[0]}`,
    ...c.synopsis.slice(1).map((line) => `       ${line}`),
    "",
    wrap(c.description, 0),
    "",
    ...(required.length > 0 ? [`Required${c.requiredNote ? ` ${c.requiredNote}` : ""}:`, twoColumns(pad(required)), ""] : []),
    "Options:",
    twoColumns(pad(optional)),
    "",
    c.examples.length > 1 && !c.examples[0].endsWith("\\") ? "Examples:" : "Example:",
    ...c.examples.map((e) => `  ${e}`),
    "",
    "Exit codes: 0 success, 1 input refused (invalid recipe, engine error), 2 usage error,",
    "3 a file cannot be read or parsed (siren --help).",
  ].join("\n");
}

/** Edit distance, for "did you mean". */
function distance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}

function didYouMean(word, candidates, prefix = "") {
  const best = candidates.map((c) => [c, distance(word, c)]).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= Math.max(1, Math.floor(word.length / 3)) ? `; did you mean ${prefix}${best[0]}?` : "";
}

/**
 * `argv` (after the command) parsed by node:util's parseArgs against the command's options:
 * `--opt value`, `--opt=value`, `-h`, `--` and repeatable options. Returns
 * `{help, version, files, flags, schedule}`; unknown options and missing values are UsageErrors.
 */
function parseCommandArgs(command, argv) {
  const options = { help: { type: "boolean", short: "h" }, version: { type: "boolean" } };
  for (const [option] of command.options) options[option] = { type: OPTIONS[option].arg ? "string" : "boolean", multiple: Boolean(OPTIONS[option].multiple) };
  // Not `strict`: the tokens are checked here, to word the errors and to accept values that
  // start with a dash where they mean something (`--time-zone -05:00`, `--recipe -`).
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((t) => t.kind === "option" && t.name === "help")) return { help: true };
  const flags = {};
  const files = [];
  for (const t of tokens) {
    if (t.kind === "positional") files.push(t.value);
    if (t.kind !== "option") continue;
    const spec = options[t.name];
    if (!spec) {
      const known = Object.keys(options).map((o) => `--${o}`);
      throw new UsageError(`unknown option ${t.rawName}${t.rawName.startsWith("--") ? didYouMean(t.rawName, known) : ""}`);
    }
    if (spec.type === "boolean") {
      if (t.value !== undefined) throw new UsageError(`${t.rawName} takes no value (got ${t.rawName}=${t.value})`);
      flags[t.name] = true;
      continue;
    }
    if (t.value === undefined) throw new UsageError(`${t.rawName} needs a value`);
    if (!t.inlineValue && t.value.length > 1 && t.value.startsWith("-") && !/^-\d/.test(t.value)) {
      throw new UsageError(`${t.rawName} needs a value (got the option ${t.value}; if that is the value, write ${t.rawName}=${t.value})`);
    }
    if (spec.multiple) (flags[t.name] ??= []).push(t.value);
    else flags[t.name] = t.value;
  }
  if (flags.version) return { version: true };
  // Standard input can be read once.
  const fromStdin = [
    ...command.options.filter(([o]) => OPTIONS[o].stdin && flags[o] === "-").map(([o]) => `--${o} -`),
    ...(command.positionals ? files.filter((f) => f === "-").map(() => "-") : []),
  ];
  if (fromStdin.length > 1) throw new UsageError(`only one input can be standard input (-); got ${fromStdin.join(", ")}`);
  return { files, flags, schedule: flags.schedule ?? [] };
}

function positiveInt(text, name, fallback) {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number of at least 1 (got ${text})`);
  return n;
}

/** The current instant, to the second, in UTC. */
function nowIso() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

// ---------------------------------------------------------------------------------------------
// Output helpers.

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const red = (t) => paint("31", t);
const yellow = (t) => paint("33", t);
const green = (t) => paint("32", t);
const bold = (t) => paint("1", t);

/** A POSIX locale name (`de_DE.UTF-8@euro`) or BCP 47 tag as a tag Intl knows; null for C/POSIX. */
function localeTag(text) {
  if (!text) return null;
  const base = String(text).split(/[.@]/)[0].replaceAll("_", "-");
  if (!base || /^(c|posix)$/i.test(base)) return null;
  try {
    const [tag] = Intl.getCanonicalLocales(base);
    return Intl.NumberFormat.supportedLocalesOf(tag).length > 0 ? tag : null;
  } catch {
    return null;
  }
}

/**
 * How money is shown in tables: `--locale` (C, POSIX or none: the engine's exact strings); by
 * default the environment's locale ($LC_ALL, $LC_MONETARY, $LANG) when stdout is a terminal, and
 * the exact strings when it is a file or a pipe, so that scripts and diffs see stable text.
 */
function money(flags) {
  const option = flags.locale;
  if (option !== undefined) {
    if (/^(c|posix|none)$/i.test(option)) return moneyFormat(null);
    const tag = localeTag(option);
    if (!tag) throw new UsageError(`--locale ${option}: not a locale this Node knows (e.g. en-US, de-DE, fr-CH; C for the engine's exact strings)`);
    return moneyFormat(tag);
  }
  if (!process.stdout.isTTY) return moneyFormat(null);
  const env = process.env;
  return moneyFormat(localeTag(env.LC_ALL || env.LC_MONETARY || env.LANG));
}

function writeOutputFile(file, text) {
  if (file === "-") {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new InputError(file, 0, 0, `cannot write: ${e.code === "ENOENT" ? "no such folder" : e.message}`);
  }
}

function checkCsvOut(flags) {
  if (flags["csv-out"] === "-" && flags.json) throw new UsageError("--csv-out - and --json both write to stdout; choose one");
}

// ---------------------------------------------------------------------------------------------
// validate, validate-config, next-runs.

/**
 * A JSON file for a validation report: `{text}`, or `{failure}` — a diagnostic for a file that
 * cannot be read (`file.unreadable`) or is not JSON (`input.notJson`), located at its line and
 * column.
 */
function reportFile(file) {
  let text;
  try {
    text = readText(file);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { failure: located({ severity: "error", code: "file.unreadable", path: "", message: e.detail }, e) };
  }
  try {
    parseJson(text, displayName(file), { exactNumbers: false });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { failure: located({ severity: "error", code: "input.notJson", path: "", message: e.detail }, e) };
  }
  return { text };
}

const located = (diagnostic, at) => (at?.line ? { ...diagnostic, line: at.line, column: at.column } : diagnostic);

/** Each diagnostic with the line and column its path points to in `text`. */
function locateDiagnostics(report, text) {
  const place = (d) => located(d, d.path ? locateJsonPointer(text, d.path) : null);
  return { ...report, errors: report.errors.map(place), warnings: report.warnings.map(place) };
}

function printDiagnostics(file, report) {
  const name = displayName(file);
  for (const d of [...report.errors, ...report.warnings]) {
    const tag = d.severity === "error" ? red("error  ") : yellow("warning");
    const at = d.line ? `${name}:${d.line}:${d.column}` : name;
    if (d.path) console.log(`  ${tag} ${d.path} (${at})  ${d.message}  [${d.code}]`);
    else console.log(`  ${tag} ${at}: ${d.message}  [${d.code}]`);
  }
}

/** 3 when a file could not be read or parsed, else 1 when one is invalid, else 0. */
const reportExit = (results) => (results.some((r) => r.unreadable) ? 3 : results.some((r) => !r.valid) ? 1 : 0);

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
  for (const file of args.files) {
    const { text, failure } = reportFile(file);
    if (failure) {
      results.push({ file, valid: false, unreadable: true, errors: [failure], warnings: [] });
      continue;
    }
    const report = locateDiagnostics(engine.validateRecipe(text, options), text);
    const result = { file, ...report };
    if (report.valid) result.distributors = distributorRuns(JSON.parse(text), { from, timeZone, count });
    results.push(result);
  }
  if (args.flags.json) {
    console.log(JSON.stringify({ from, timeZone, results: results.map(({ unreadable, ...r }) => r) }, null, 2));
  } else {
    console.log(bold(`Validating ${results.length} recipe(s); next runs from ${from} in ${timeZone}`));
    for (const r of results) {
      const verdict = r.unreadable ? red("UNREADABLE") : r.valid ? green("valid") : red("INVALID");
      const counts = `${r.errors.length} error(s), ${r.warnings.length} warning(s)`;
      console.log(`\n${bold(basename(displayName(r.file)))}: ${verdict} (${counts})`);
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
  return reportExit(results);
}

function commandValidateConfig(args) {
  if (args.files.length === 0) throw new UsageError("validate-config needs at least one config file");
  const results = [];
  for (const file of args.files) {
    const { text, failure } = reportFile(file);
    if (failure) {
      results.push({ file, valid: false, unreadable: true, errors: [failure], warnings: [] });
      continue;
    }
    results.push({ file, ...locateDiagnostics(engine.validateDistributorConfig(text, { strict: Boolean(args.flags.strict) }), text) });
  }
  if (args.flags.json) {
    console.log(JSON.stringify({ results: results.map(({ unreadable, ...r }) => r) }, null, 2));
  } else {
    for (const r of results) {
      const verdict = r.unreadable ? red("UNREADABLE") : r.valid ? green("valid") : red("INVALID");
      console.log(`${bold(basename(displayName(r.file)))}: ${verdict} (${r.errors.length} error(s), ${r.warnings.length} warning(s))`);
      printDiagnostics(r.file, r);
    }
  }
  return reportExit(results);
}

function commandNextRuns(args) {
  if (args.files.length > 0) throw new UsageError(`next-runs takes no positional arguments (got ${args.files[0]}); use --schedule "..."`);
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

// ---------------------------------------------------------------------------------------------
// Engine errors back to where their values came from.

/** Input fields that come from an option, to name the option in engine errors. */
const OPTION_OF_PATH = {
  "/at": "--at",
  "/timeZone": "--time-zone",
  "/lastDistributionAt": "--last-distribution",
  "/policies/tieBreak": "--tie-break",
  "/distributorKey": "--distributor",
  "/start": "--start",
  "/end": "--end",
  "/policies": "--tie-break / --carry-over",
  "/pauses": "--pause",
  "/variant/revenuePercentage": "--set-percentage",
  "/variant/engagementTypes": "--set-points",
  "/variant/distributionResolver": "--set-resolver",
  "/variant/policies/tieBreak": "--set-tie-break",
  "/variant/policies": "--set-tie-break",
};

/** An engine error, pointed back at the file, line and column (or option) it came from. */
class LocatedError extends Error {}

/**
 * `documents`: `{prefix: {name, text, pointer?}}` — JSON files whose values sit under an engine
 * path prefix (`/recipe` → recipe.json; `/start` → scenario.json's `/start` with --data).
 */
function locateEngineError(e, { sources, documents = {} }) {
  const tag = `[${e.code}${e.originalPath ?? e.path ? ` at ${e.originalPath ?? e.path}` : ""}]`;
  const where = locateEnginePath(e.path, sources);
  if (where) return new LocatedError(`${where}: ${e.message} ${tag}`);
  const prefixes = Object.keys(documents).sort((a, b) => b.length - a.length);
  for (const prefix of prefixes) {
    if (e.path === prefix || e.path.startsWith(`${prefix}/`)) {
      const doc = documents[prefix];
      const pointer = `${doc.pointer ?? ""}${e.path.slice(prefix.length)}`;
      const at = locateJsonPointer(doc.text, pointer);
      return new LocatedError(`${at ? `${doc.name}:${at.line}:${at.column}` : `${doc.name}: at ${pointer || "/"}`}: ${e.message} ${tag}`);
    }
  }
  const option = Object.keys(OPTION_OF_PATH)
    .sort((a, b) => b.length - a.length)
    .find((p) => e.path === p || e.path.startsWith(`${p}/`));
  if (option) return new LocatedError(`siren: ${OPTION_OF_PATH[option]}: ${e.message} ${tag}`);
  return new LocatedError(`siren: ${e.message} ${tag}`);
}

/** Runs the engine, mapping an error's path back to the file and line it came from. */
function runEngine(label, work, where, prefix = "") {
  try {
    return withStatus(label, work);
  } catch (e) {
    if (e && typeof e.code === "string" && typeof e.path === "string") {
      const path = prefix && e.path.startsWith(`${prefix}/`) ? e.path.slice(prefix.length) : e.path;
      throw locateEngineError({ message: e.message, code: e.code, path, originalPath: e.path }, where);
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// The records: as columns when they can be, else as objects.

/** Whether `e` is an engine error (a JS Error with `code` and `path`). */
const isEngineError = (e) => e !== null && typeof e === "object" && typeof e.code === "string" && typeof e.path === "string";

/**
 * Events and transactions (with refunds) as the object path reads them: `{events, transactions,
 * eventCount, transactionCount}`, read in the command's order (`eventsFirst`).
 */
function readObjects(files, sources) {
  let events;
  if (files.eventsFirst) events = readEvents(files.events, sources);
  const transactions = readTransactions(files.transactions, sources);
  if (files.refunds !== undefined) readRefunds(files.refunds, transactions, sources);
  if (!files.eventsFirst) events = readEvents(files.events, sources);
  return { files, events, transactions, eventCount: events.length, transactionCount: transactions.length };
}

/**
 * The records of a command. CSV files are read in chunks into typed columns and loaded into an
 * `Engine` (`{handle, eventCount, transactionCount}`): no JS object per row and no JSON text of
 * them, so large files fit in memory. Whatever the columns cannot say exactly as the object path
 * would (cli/columns.mjs), and any other file (JSON, standard input), is read as objects.
 * SIREN_COLUMNS=0 always reads objects (tests and benchmarks compare the two);
 * SIREN_CHUNK_BYTES sets the chunk size (tests split records across chunks).
 */
function readRecords(files, sources) {
  const csv = [files.events, files.transactions, files.refunds].every((file) => file === undefined || (file !== "-" && isCsvName(file)));
  if (!csv || process.env.SIREN_COLUMNS === "0") return readObjects(files, sources);
  const chunkSize = Number(process.env.SIREN_CHUNK_BYTES) || undefined;
  let events;
  let transactions;
  try {
    if (files.eventsFirst) events = readEventColumns(files.events, { chunkSize });
    transactions = readTransactionColumns(files.transactions, files.refunds, { chunkSize });
    if (!files.eventsFirst) events = readEventColumns(files.events, { chunkSize });
  } catch (e) {
    if (e instanceof Unsupported) return readObjects(files, sources);
    throw e;
  }
  const records = { files, eventCount: events.count, transactionCount: transactions.count, rows: { events: events.rows, transactions: transactions.rows } };
  const handle = new engine.Engine();
  try {
    handle.loadEventsColumns(events.columns);
    handle.loadTransactionsColumns(transactions.columns);
  } catch (e) {
    handle.free();
    if (!isEngineError(e)) throw e;
    if (objectPathFits(files)) return readObjects(files, sources); // the object path says where
    return { ...records, loadError: e };
  }
  return { ...records, handle };
}

/**
 * Whether the object path reads these files well within its limits and in modest memory (about
 * 20 times a file's size), so that it can answer for an error the engine finds in loaded columns.
 * Beyond, it would refuse the files with `input.tooLarge` (or run out of memory) instead, and
 * the error found in the columns is located in the CSV rows by `locateColumnPath`.
 * SIREN_FALLBACK_MAX_BYTES sets the size (tests).
 */
function objectPathFits(files) {
  const limit = Number(process.env.SIREN_FALLBACK_MAX_BYTES || 32 * 1024 * 1024);
  const size = [files.events, files.transactions, files.refunds].reduce((sum, file) => sum + (file === undefined ? 0 : statSync(file).size), 0);
  return size <= limit;
}

/**
 * Runs `call(handle)` on loaded records, or `call(null)` on `input` with its records as objects.
 * An engine error on loaded records is answered by the object path (the records read as objects
 * into `records` and `input`), so errors keep the object path's words and file:line:column; for
 * files the object path cannot read, it is located in the CSV rows here.
 */
function compute(records, input, label, call, where, prefix = "") {
  if (records.loadError) throw locateColumnsError(records.loadError, records, where, prefix);
  if (records.handle) {
    const handle = records.handle;
    let error;
    try {
      return withStatus(label, () => call(handle));
    } catch (e) {
      if (!isEngineError(e)) throw e;
      error = e;
    } finally {
      handle.free();
      delete records.handle;
    }
    if (!objectPathFits(records.files)) throw locateColumnsError(error, records, where, prefix);
    Object.assign(records, readObjects(records.files, where.sources));
    input.events = records.events;
    input.transactions = records.transactions;
  }
  return runEngine(label, () => call(null), where, prefix);
}

/** An engine error on loaded columns, at the CSV row it came from, else as `runEngine` locates it. */
function locateColumnsError(e, records, where, prefix) {
  const path = prefix && e.path.startsWith(`${prefix}/`) ? e.path.slice(prefix.length) : e.path;
  const at = locateColumnPath(path, records.rows);
  if (at) return new LocatedError(`${at}: ${e.message} [${e.code}${e.path ? ` at ${e.path}` : ""}]`);
  return locateEngineError({ message: e.message, code: e.code, path, originalPath: e.path }, where);
}

// ---------------------------------------------------------------------------------------------
// preview.

function commandPreview(args) {
  const f = args.flags;
  if (args.files.length > 0) throw new UsageError(`preview takes no positional arguments (got ${args.files[0]}); use --events, --transactions, ...`);
  for (const name of COMMANDS.preview.required) {
    if (f[name] === undefined) throw new UsageError(`preview needs --${name}`);
  }
  const limit = positiveInt(f.limit, "--limit", 20);
  checkCsvOut(f);
  const format = money(f);
  const sources = emptySources();
  const recipe = readJsonText(f.recipe);
  const config = readJsonText(f.config);
  const files = { events: f.events, transactions: f.transactions, refunds: f.refunds, eventsFirst: true };
  const records = readRecords(files, sources);
  const input = { recipe: recipe.value, distributorKey: f.distributor, config: config.value, events: records.events, transactions: records.transactions, timeZone: f["time-zone"], at: f.at };
  let collaborators;
  if (f.collaborators !== undefined) input.collaborators = collaborators = readCollaborators(f.collaborators, sources);
  if (f["last-distribution"] !== undefined) input.lastDistributionAt = f["last-distribution"];
  if (f["tie-break"] !== undefined) input.policies = { tieBreak: f["tie-break"] };

  const documents = { "/recipe": { name: displayName(f.recipe), text: recipe.text }, "/config": { name: displayName(f.config), text: config.text } };
  const preview = compute(records, input, "computing the preview…", (handle) => (handle ? handle.preview(input) : engine.previewScores(input)), { sources, documents });
  if (f["csv-out"] !== undefined) {
    writeOutputFile(f["csv-out"], allocationsCsv(preview));
    if (f["csv-out"] === "-") return 0;
  }
  if (f.json) {
    console.log(JSON.stringify(preview, null, 2));
    return 0;
  }
  const names = new Map((collaborators ?? []).filter((c) => c?.name).map((c) => [String(c.id), c.name]));
  console.log(printPreview(preview, { recipe: recipe.value, key: f.distributor, names, limit, money: format }));
  return 0;
}

const isZero = (text) => /^0(\.0+)?$/.test(String(text));

/** The human-readable preview: window, money, leaderboard, allocations, tie and notes, and why. */
function printPreview(p, { recipe, key, names, limit, money }) {
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
  const refunds = rev && rev.refunds !== undefined && !isZero(rev.refunds) ? ` (sales ${money.cell(rev.sales, units)}, refunds ${money.cell(rev.refunds, units)})` : "";
  out.push(`  Revenue  ${money.text(p.revenue, units)}${refunds}`);
  out.push(`  Pool     ${money.text(p.pool, units)}`);
  out.push("");
  out.push(bold(`Leaderboard (${p.leaderboard.length} collaborator${p.leaderboard.length === 1 ? "" : "s"}${x.scoring ? `, ${x.scoring.totalPoints} points` : ""})`));
  out.push(formatLeaderboard(p, limit, { names }));
  out.push("");
  out.push(bold("Allocations"));
  out.push(formatAllocations(p, { names, money }));
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
    const parts = x.pool.percentages.map((q) => `${q.percentage}% of ${money.cell(q.revenue, units)}`).join(" + ");
    why.push(`Pool (${x.pool.resolver}): ${parts || "no revenue"} = ${money.cell(x.pool.exact, units)}, rounded ${x.pool.rounding} to ${x.pool.decimals} decimal(s): ${money.text(x.pool.pool, units)}`);
  }
  if (x.allocation) {
    const a = x.allocation;
    // The money figures that are not zero (available = allocated + unawarded + carriedOut + deferred).
    const figures = [["carried in", a.carriedIn], ["unawarded", a.unawarded], ["carried out", a.carriedOut], ["deferred (paused)", a.deferred]]
      .filter(([, amount]) => amount && !isZero(amount))
      .map(([label, amount]) => `; ${label} ${money.text(amount, units)}`)
      .join("");
    why.push(`Allocation (${a.resolver}): method ${a.method}, tie-break ${a.tieBreak}, carry over unawarded: ${a.carryOverUnawarded ? "yes" : "no"}${figures}`);
  }
  if (why.length > 0) {
    out.push("");
    out.push(bold("Why"));
    for (const line of why) out.push(`  ${line}`);
    out.push("  (--json shows every event, transaction line and refund behind these figures)");
  }
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------
// simulate and compare.

/** The --data folder, checked: it must exist, be a folder and hold at least one data file. */
function dataFolder(dir) {
  if (dir === undefined) return undefined;
  if (dir === "-") throw new UsageError("--data takes a folder, not standard input");
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    throw new InputError(`--data ${dir}`, 0, 0, "no such folder");
  }
  if (!stat.isDirectory()) throw new InputError(`--data ${dir}`, 0, 0, "not a folder");
  if (!DATA_FILES.some((name) => existsSync(join(dir, name)))) {
    throw new InputError(`--data ${dir}`, 0, 0, `none of the data files is in this folder (${DATA_FILES.join(", ")})`);
  }
  return dir;
}

/**
 * The simulate input from options and, with --data DIR, the files of a data folder (the bundled
 * sample year's layout). Explicit options win over the folder's scenario.json.
 */
function simulateInput(args, command) {
  const f = args.flags;
  if (args.files.length > 0) throw new UsageError(`${command} takes no positional arguments (got ${args.files[0]}); use --data, --events, ...`);
  checkCsvOut(f);
  const dir = dataFolder(f.data);
  const inDir = (name) => (dir !== undefined && existsSync(join(dir, name)) ? join(dir, name) : undefined);
  const scenarioFile = inDir("scenario.json");
  const scenarioDoc = scenarioFile ? readJsonText(scenarioFile) : { text: "{}", value: {} };
  const scenario = scenarioDoc.value && typeof scenarioDoc.value === "object" ? scenarioDoc.value : {};
  const pick = (flag, file) => f[flag] ?? inDir(file);
  const files = {
    recipe: f.recipe,
    config: pick("config", "config.json"),
    events: pick("events", "events.csv"),
    transactions: pick("transactions", "transactions.csv"),
    refunds: pick("refunds", "refunds.csv"),
    collaborators: pick("collaborators", "collaborators.csv"),
  };
  const fromScenario = { distributor: "distributorKey", "time-zone": "timeZone", start: "start", end: "end" };
  const settings = {};
  const documents = {};
  const scenarioAt = (enginePath, pointer) => (documents[enginePath] = { name: scenarioFile, text: scenarioDoc.text, pointer });
  for (const [option, key] of Object.entries(fromScenario)) {
    settings[option] = f[option] ?? scenario[key];
    if (f[option] === undefined && scenario[key] !== undefined) scenarioAt(`/${key}`, `/${key}`);
  }
  for (const [name, value] of Object.entries({ ...files, ...settings })) {
    if (value === undefined && name !== "refunds" && name !== "collaborators") throw new UsageError(`${command} needs --${name}${dir === undefined ? "" : ` (not found in ${dir} either)`}`);
  }
  const sources = emptySources();
  const recipe = readJsonText(files.recipe);
  const config = readJsonText(files.config);
  const records = readRecords({ ...files, eventsFirst: false }, sources);
  const input = {
    recipe: recipe.value,
    distributorKey: settings.distributor,
    config: config.value,
    events: records.events,
    transactions: records.transactions,
    timeZone: settings["time-zone"],
    start: settings.start,
    end: settings.end,
  };
  documents["/recipe"] = { name: displayName(files.recipe), text: recipe.text };
  documents["/config"] = { name: displayName(files.config), text: config.text };
  if (files.collaborators !== undefined) input.collaborators = readCollaborators(files.collaborators, sources);
  const pauses = f.pause?.map((text) => {
    const [from, until, extra] = text.split("/");
    if (!from || !until || extra !== undefined) throw new UsageError(`--pause takes FROM/UNTIL, e.g. 2026-07-01T00:00:00Z/2026-08-01T00:00:00Z (got ${text})`);
    return { from, until };
  });
  if (pauses ?? scenario.pauses) input.pauses = pauses ?? scenario.pauses;
  if (!pauses && scenario.pauses !== undefined) scenarioAt("/pauses", "/pauses");
  const policies = { ...(scenario.policies ?? {}) };
  for (const key of Object.keys(policies)) scenarioAt(`/policies/${key}`, `/policies/${key}`);
  if (f["tie-break"] !== undefined) {
    policies.tieBreak = f["tie-break"];
    delete documents["/policies/tieBreak"];
  }
  if (f["carry-over"]) {
    policies.carryOverUnawarded = true;
    delete documents["/policies/carryOverUnawarded"];
  }
  if (Object.keys(policies).length > 0) input.policies = policies;
  const names = new Map((input.collaborators ?? []).filter((c) => c?.name).map((c) => [String(c.id), c.name]));
  return { input, records, sources, documents, names };
}

function commandSimulate(args) {
  const format = money(args.flags);
  const { input, records, sources, documents, names } = simulateInput(args, "simulate");
  const simulation = compute(records, input, "simulating…", (handle) => (handle ? handle.simulate(input) : engine.simulate(input)), { sources, documents });
  if (args.flags["csv-out"] !== undefined) {
    writeOutputFile(args.flags["csv-out"], obligationsCsv(simulation));
    if (args.flags["csv-out"] === "-") return 0;
  }
  if (args.flags.json) {
    console.log(JSON.stringify(simulation, null, 2));
    return 0;
  }
  const t = simulation.totals;
  const units = simulation.units;
  const out = [
    bold(`Simulation of ${input.distributorKey} from ${simulation.start} to ${simulation.end} (${simulation.timeZone})`),
    `  policies: tie-break ${simulation.policies.tieBreak}, carry over unawarded ${simulation.policies.carryOverUnawarded ? "on" : "off"}; ${records.eventCount} events, ${records.transactionCount} transactions`,
    "",
    formatCycleTable(simulation.cycles, { names, money: format }),
    "",
    bold("Totals"),
    `  revenue ${format.text(t.revenue, units)}, pool ${format.text(t.pool, units)}, allocated ${format.text(t.allocated, units)}, unawarded ${format.cell(t.unawarded, units)}, carried over ${format.cell(t.carriedOver, units)}`,
    `  ${t.cycles} cycles: ${t.distributedCycles} distributed, ${t.pausedCycles} paused, ${t.noEngagementCycles} without engagement, ${t.noRevenueCycles} without revenue`,
    "",
    bold("Earnings by collaborator"),
    formatTable(
      [
        { header: "Collaborator", value: (c) => collaboratorLabel(c.collaboratorId, names) },
        { header: "Cycles won", align: "right", value: (c) => c.cyclesWon },
        { header: "Amount", align: "right", value: (c) => format.cell(c.amount, units) },
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
function compareVariant(f, documents) {
  const variant = {};
  if (f["variant-config"] !== undefined) {
    const doc = readJsonText(f["variant-config"]);
    variant.config = doc.value;
    documents["/variant/config"] = { name: displayName(f["variant-config"]), text: doc.text };
  }
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
  const format = money(args.flags);
  const { input, records, sources, documents, names } = simulateInput(args, "compare");
  const variant = compareVariant(args.flags, documents);
  const both = { base: input, variant };
  const comparison = compute(records, input, "comparing…", (handle) => (handle ? handle.compare(both) : engine.compare(both)), { sources, documents }, "/base");
  if (args.flags["csv-out"] !== undefined) {
    writeOutputFile(args.flags["csv-out"], deltasCsv(comparison));
    if (args.flags["csv-out"] === "-") return 0;
  }
  if (args.flags.json) {
    console.log(JSON.stringify(comparison, null, 2));
    return 0;
  }
  const units = comparison.base.units;
  const changed = comparison.cycles.filter((c) => c.changed).length;
  const out = [
    bold(`Comparison of ${input.distributorKey}: base vs variant ${JSON.stringify(variant.config ? { config: "(file)", ...variant, config: undefined } : variant)}`),
    `  ${changed} of ${comparison.cycles.length} cycles change winners; allocated ${format.text(comparison.base.totals.allocated, units)} → ${format.text(comparison.variant.totals.allocated, units)}`,
    "",
    formatComparisonCycles(comparison, { names, money: format }),
    "",
    bold("Change in total earnings (largest first)"),
    formatDeltas(comparison, 20, { names, money: format }),
  ];
  console.log(out.join("\n"));
  return 0;
}

// ---------------------------------------------------------------------------------------------
// main.

/** Runs `argv`; returns the exit code. Help goes to stdout; errors to stderr. */
function run(argv) {
  const [first, ...rest] = argv;
  if (first === undefined) {
    process.stderr.write(`${globalHelp()}\n`);
    return 2;
  }
  if (first === "help") {
    if (rest[0] === undefined) console.log(globalHelp());
    else if (COMMANDS[rest[0]]) console.log(commandHelp(rest[0]));
    else throw new UsageError(`unknown command "${rest[0]}"${didYouMean(rest[0], Object.keys(COMMANDS))}`);
    return 0;
  }
  if (first.startsWith("-")) {
    // Only -h, --help and --version come before a command.
    const { tokens } = parseArgs({ args: argv, options: { help: { type: "boolean", short: "h" }, version: { type: "boolean" } }, strict: false, allowPositionals: true, tokens: true });
    const command = tokens.find((t) => t.kind === "positional")?.value;
    if (tokens.some((t) => t.kind === "option" && t.name === "help")) {
      console.log(COMMANDS[command] ? commandHelp(command) : globalHelp());
      return 0;
    }
    if (tokens.some((t) => t.kind === "option" && t.name === "version")) {
      console.log(versionText());
      return 0;
    }
    const option = tokens.find((t) => t.kind === "option");
    if (COMMANDS[command]) throw new UsageError(`options go after the command: siren ${command} ${option.rawName} …`);
    throw new UsageError(`unknown option ${option?.rawName ?? first}${didYouMean(first, ["--help", "--version"])}`);
  }
  const command = COMMANDS[first];
  if (!command) throw new UsageError(`unknown command "${first}"${didYouMean(first, Object.keys(COMMANDS))}`);
  const args = parseCommandArgs(command, rest);
  if (args.help) {
    console.log(commandHelp(first));
    return 0;
  }
  if (args.version) {
    console.log(versionText());
    return 0;
  }
  return command.run(args);
}

function main(argv) {
  const command = COMMANDS[argv[0]] ? argv[0] : null;
  try {
    return run(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      const hint = command ? `Run \`siren ${command} --help\` for its options.` : "Run `siren --help` for the list of commands.";
      process.stderr.write(`siren: ${e.message}\n${hint}\n`);
      return 2;
    }
    if (e instanceof InputError) {
      process.stderr.write(`${e.message}\n`);
      return e.kind === "value" ? 1 : 3;
    }
    if (e instanceof LocatedError || e instanceof EngineMissing) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    if (e && typeof e.code === "string" && "path" in e) {
      process.stderr.write(`siren: ${e.message} [${e.code}${e.path ? ` at ${e.path}` : ""}]\n`);
      return 1;
    }
    throw e;
  }
}

// A reader that stops early (`siren simulate … | head`) is not an error.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = main(process.argv.slice(2));
