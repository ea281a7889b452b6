// The shipped .d.ts against what the engine really returns: every case of the shared case files,
// the samples, nextRuns, version() and the bulk `Engine` run through pkg/node, and each output
// (and each input the engine accepts) is written into a TypeScript file as
// `<literal> satisfies <Type>`. tsc refuses a field the engine returns and the .d.ts lacks, a
// required field the engine leaves out, and a value of another type (an optional field that no
// output has is not checked). Run by tests/js/types.test.mjs; by hand:
// `node tests/ts/check-outputs.mjs [pkgDir] [--keep]`.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const require = createRequire(import.meta.url);
const readJson = (file) => JSON.parse(readFileSync(join(root, file), "utf8"));

/**
 * `{ok, report, file, checked, sameTypes}`: `report` says, per tsc error, which output or input
 * and where; the generated `file` is removed when it type-checks, unless `keep`.
 */
export function checkOutputs({ pkg = join(root, "pkg"), keep = false } = {}) {
  const engine = require(join(pkg, "node/siren_engine.js"));
  const entries = collect(engine);
  const dir = mkdtempSync(join(tmpdir(), "siren-types-"));
  const file = join(dir, "outputs.ts");
  const { text, where } = render(entries, relative(dir, join(pkg, "node/siren_engine.js")).replaceAll("\\", "/"));
  writeFileSync(file, text);
  // Flags as strict as a careful host's; exactOptionalPropertyTypes so `x?: T` must not be undefined.
  const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "--noEmit", "--strict", "--exactOptionalPropertyTypes",
    "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--skipLibCheck", "false", "--pretty", "false", file], { encoding: "utf8" });
  const ok = tsc.status === 0;
  const report = ok ? "" : explain(tsc.stdout + tsc.stderr, file, where);
  if (ok && !keep) rmSync(dir, { recursive: true, force: true });
  return { ok, report, file, checked: entries.length, sameTypes: sameTypes(pkg) };
}

/**
 * Whether pkg/node and pkg/web declare the types of crates/siren-wasm/siren_engine.d.ts: wasm-bindgen embeds
 * that file line for line (re-indented), so a .d.ts without it is from another source or a stale
 * build.
 */
export function sameTypes(pkg = join(root, "pkg")) {
  const lines = (file) => readFileSync(file, "utf8").split(/\r?\n/).map((line) => line.trim()).filter(Boolean).join("\n");
  const source = lines(join(root, "crates/siren-wasm/siren_engine.d.ts"));
  return Object.fromEntries(["node", "web"].map((target) => [target, lines(join(pkg, target, "siren_engine.d.ts")).includes(source)]));
}

/** Every value to check: `{name, type, value}`. */
function collect(engine) {
  const entries = [];
  const add = (name, type, value) => entries.push({ name, type, value });
  const thrown = (name, fn) => {
    try {
      fn();
    } catch (e) {
      return add(`${name}: thrown error`, `Pick<EngineError, "name" | "message" | "code" | "path">`, { name: e.name, message: e.message, code: e.code, path: e.path });
    }
    throw new Error(`${name}: expected an error`);
  };

  // The shared case files. Cases expecting an error are malformed on purpose: only their error is typed.
  for (const [file, fn, inputType, outputType] of [
    ["preview_cases.json", "previewScores", "PreviewInput", "Preview"],
    ["simulate_cases.json", "simulate", "SimulateInput", "Simulation"],
    ["compare_cases.json", "compare", "CompareInput", "Comparison"],
  ]) {
    for (const c of readJson(`tests/data/${file}`).cases) {
      const name = `${file} "${c.name}"`;
      if (c.error) {
        thrown(name, () => engine[fn](c.input));
        continue;
      }
      add(`${name}: input`, inputType, c.input);
      add(`${name}: ${fn} output`, outputType, trim(engine[fn](c.input)));
    }
  }

  // Optional input fields no case uses (a REST payload's nulls, ids as numbers, every override):
  // the engine must accept these inputs, and the .d.ts must too.
  for (const [fn, inputType, outputType, input] of everyOptionalField()) {
    let output;
    try {
      output = engine[fn](input);
    } catch (e) {
      throw new Error(`${fn} refused the input with every optional field: ${e.code} at ${e.path}: ${e.message}`);
    }
    add(`${fn} with every optional field: input`, inputType, input);
    add(`${fn} with every optional field: ${fn} output`, outputType, trim(output));
  }

  // The bulk path: records loaded as objects, JSON text, UTF-8 bytes and typed-array columns.
  // Preferably a case whose transactions have lines and refunds (every column in use).
  const firstCase = (file) => {
    const usable = readJson(`tests/data/${file}`).cases.filter((c) => !c.error && Array.isArray((c.input.base ?? c.input).transactions));
    return usable.find((c) => (c.input.base ?? c.input).transactions.some((t) => t.details && t.refunds)) ?? usable[0];
  };
  const handle = new engine.Engine();
  try {
    const { events, transactions, ...previewInput } = firstCase("preview_cases.json").input;
    const eventColumns = toEventColumns(events);
    const transactionColumns = toTransactionColumns(transactions);
    add("Engine.loadEventsColumns input", "EventColumns", eventColumns);
    add("Engine.loadTransactionsColumns input", "TransactionColumns", transactionColumns);
    handle.loadEventsColumns(eventColumns);
    handle.loadTransactionsColumns(transactionColumns);
    add("Engine.preview input", "LoadedPreviewInput", previewInput);
    add("Engine.preview output (columns)", "Preview", trim(handle.preview(previewInput)));
    add("Engine.preview output (JSON text input)", "Preview", trim(handle.preview(JSON.stringify({ ...previewInput, top: 1 }))));
    handle.loadEvents(events);
    handle.loadTransactions(transactions);
    add("Engine.preview output (objects)", "Preview", trim(handle.preview(previewInput)));
    const simulation = firstCase("simulate_cases.json").input;
    handle.loadEvents(JSON.stringify(simulation.events));
    handle.loadTransactions(new TextEncoder().encode(JSON.stringify(simulation.transactions)));
    const { events: _e, transactions: _t, ...simulateInput } = simulation;
    add("Engine.simulate input", "LoadedSimulateInput", simulateInput);
    add("Engine.simulate output", "Simulation", trim(handle.simulate(simulateInput)));
    const { base: { events: baseEvents, transactions: baseTransactions, ...base }, variant } = firstCase("compare_cases.json").input;
    handle.loadEvents(baseEvents);
    handle.loadTransactions(baseTransactions);
    add("Engine.compare input", "LoadedCompareInput", { base, variant });
    add("Engine.compare output", "Comparison", trim(handle.compare({ base, variant })));
    add("Engine counts", "{ eventCount: number; transactionCount: number }", { eventCount: handle.eventCount, transactionCount: handle.transactionCount });
    thrown("Engine.preview with events", () => handle.preview({ ...previewInput, events: [] }));
  } finally {
    handle.free();
  }

  // Validation of the samples; a recipe or configuration without errors is typed as an input too.
  const samples = (dir) => readdirSync(join(root, dir)).filter((f) => f.endsWith(".json")).sort().map((f) => [`${dir}/${f}`, readJson(`${dir}/${f}`)]);
  for (const [file, recipe] of [...samples("samples/recipes"), ...samples("samples/invalid")]) {
    const report = engine.validateRecipe(recipe);
    add(`validateRecipe(${file})`, "ValidationReport", report);
    if (report.valid) add(`${file}`, "Recipe", recipe);
  }
  for (const [file, config] of [...samples("samples/configs"), ["samples/year/config.json", readJson("samples/year/config.json")]]) {
    const report = engine.validateDistributorConfig(config);
    add(`validateDistributorConfig(${file})`, "ValidationReport", report);
    if (report.valid) add(`${file}`, "DistributorConfig", config);
  }
  const recipe = readJson("samples/recipes/full-sales-funnel-program.json");
  add("validateRecipe strict, host resolver", "ValidationReport", engine.validateRecipe({ ...recipe, extra: 1 }, { strict: true, distributionResolvers: ["custom"], poolResolvers: ["custom"] }));
  add("validateRecipe(JSON text)", "ValidationReport", engine.validateRecipe(JSON.stringify(recipe)));
  add("validateRecipe(unreadable JSON text)", "ValidationReport", engine.validateRecipe("{oops"));
  add("validateRecipe(null)", "ValidationReport", engine.validateRecipe(null));
  add("validateDistributorConfig([])", "ValidationReport", engine.validateDistributorConfig([]));
  add("validateDistributorConfig(cyclic)", "ValidationReport", engine.validateDistributorConfig((() => { const o = {}; o.self = o; return o; })()));
  thrown("validateRecipe with bad options", () => engine.validateRecipe(recipe, { strict: "yes" }));

  for (const input of [
    { schedule: ["first day of next month"], from: "2026-01-31T00:00:00-05:00", timeZone: "America/New_York", count: 3 },
    { schedule: ["first day of next month", "+14 days"], from: "2026-01-10T00:00:00Z" },
    { schedule: ["next monday", "09:00"], from: "2026-03-28T12:00:00+01:00", timeZone: "+01:00", count: 2 },
  ]) {
    add(`nextRuns input ${input.schedule.join(", ")}`, "NextRunsInput", input);
    add(`nextRuns output ${input.schedule.join(", ")}`, "string[]", engine.nextRuns(input));
  }
  thrown("nextRuns without from", () => engine.nextRuns({ schedule: ["+1 day"] }));
  add("version()", "string", engine.version());
  return entries;
}

/** Inputs giving every optional field the case files leave out, in the forms hosts send them. */
function everyOptionalField() {
  const recipe = readJson("samples/recipes/content-creator-profit-share.json");
  const config = readJson("samples/configs/rest-extended.json");
  const records = {
    collaborators: [{ id: "ana", name: "Ana", status: "active" }, { id: 7, name: null, status: null }, { id: "cy", status: "pending" }],
    events: [
      { id: "e1", collaboratorId: "ana", type: "boundPostUsed", occurredAt: "2026-03-02T10:00:00Z", points: null },
      { id: 2, collaboratorId: 7, type: "manual", occurredAt: "2026-03-03T10:00:00Z", points: "5" },
      { id: null, collaboratorId: "cy", type: "boundPostUsed", occurredAt: "2026-03-04T10:00:00Z" },
    ],
    transactions: [
      { id: 1001, status: "complete", occurredAt: "2026-03-05T10:00:00Z", currency: "USD", total: null,
        details: [{ type: "product", amount: 19.99, quantity: "2", sku: 123, categories: ["books", 7], ownerCollaboratorIds: ["ana", 7] }, { type: "shipping", amount: "4.99", quantity: null, sku: null, categories: null, ownerCollaboratorIds: null }],
        refunds: [{ occurredAt: "2026-03-20T10:00:00Z", amount: "5.00" }, { occurredAt: "2026-03-21T10:00:00Z", amount: null }] },
      { id: "t2", status: null, occurredAt: "2026-03-06T10:00:00Z", currency: null, total: "100.00", details: null, refunds: null },
    ],
  };
  const setup = { recipe, distributorKey: "contentCreatorProfitShare", config, timeZone: "Europe/Paris", policies: { tieBreak: "split", carryOverUnawarded: true },
    options: { strict: true, distributionResolvers: ["custom"], poolResolvers: ["custom"] }, top: 2 };
  const simulation = { ...setup, ...records, start: "2026-01-01T00:00:00+01:00", end: "2026-06-01T00:00:00+02:00", pauses: [{ from: "2026-04-15T00:00:00+02:00", until: "2026-05-15T00:00:00+02:00" }] };
  return [
    ["previewScores", "PreviewInput", "Preview", { ...setup, ...records, at: "2026-03-25T00:00:00+01:00", lastDistributionAt: "2026-03-01T00:00:00+01:00" }],
    ["previewScores", "PreviewInput", "Preview", { ...setup, ...records, at: "2026-03-25T00:00:00+01:00", window: { start: "2026-03-01T00:00:00+01:00", end: "2026-04-01T00:00:00+02:00" } }],
    ["previewScores", "PreviewInput", "Preview", { ...setup, ...records, at: "2026-03-25T00:00:00+01:00", start: "2025-12-01T00:00:00+01:00" }],
    // More collaborators than have their event ids listed (`eventIdsListedForTop`).
    ["previewScores", "PreviewInput", "Preview", { ...setup, top: 60, events: Array.from({ length: 60 }, (_, i) => ({ collaboratorId: i, type: "boundPostUsed", occurredAt: "2026-03-02T10:00:00Z" })), transactions: [], at: "2026-03-25T00:00:00+01:00" }],
    ["simulate", "SimulateInput", "Simulation", simulation],
    ["compare", "CompareInput", "Comparison", { base: simulation, variant: { config: readJson("samples/configs/milestone-rewards.json"), policies: { tieBreak: "lowestCollaboratorId" }, distributionResolver: "topScoreWins", revenuePercentage: "7.5", engagementTypes: [{ type: "referredSiteVisit", value: 2 }, { type: "courseCompleted", value: null }] } }],
    ["compare", "CompareInput", "Comparison", { base: simulation, variant: { engagementTypes: { boundPostUsed: "3", manual: null, courseCompleted: { value: 10 } } } }],
  ];
}

/**
 * Long arrays cut to the elements of distinct shape, so tsc stays fast while every shape an
 * output has (a tie, an optional field, a status) is still checked.
 */
function trim(value) {
  if (Array.isArray(value)) {
    const items = value.map(trim);
    if (items.length <= 4) return items;
    const seen = new Set();
    return items.filter((item) => {
      const key = shape(item);
      return !seen.has(key) && seen.add(key);
    });
  }
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trim(v)]));
  return value;
}

/** A value's shape: keys and types, plus the text of enum-like strings (statuses, reasons). */
function shape(value) {
  if (Array.isArray(value)) return `[${[...new Set(value.map(shape))].sort().join("|")}]`;
  if (value !== null && typeof value === "object") return `{${Object.keys(value).map((k) => `${k}:${shape(value[k])}`).join(",")}}`;
  if (typeof value === "string" && /^[a-z][A-Za-z]+$/.test(value)) return JSON.stringify(value);
  return value === null ? "null" : typeof value;
}

/** Columns for `Engine.loadEventsColumns`, as a host holding events in arrays would build them. */
function toEventColumns(events) {
  const collaboratorIds = [...new Set(events.map((e) => String(e.collaboratorId)))];
  const typeNames = [...new Set(events.map((e) => e.type))];
  return {
    collaboratorIndex: Uint32Array.from(events, (e) => collaboratorIds.indexOf(String(e.collaboratorId))),
    typeIndex: Uint16Array.from(events, (e) => typeNames.indexOf(e.type)),
    occurredAtMs: Float64Array.from(events, (e) => Date.parse(e.occurredAt)),
    points: Float64Array.from(events, (e) => (e.points == null ? NaN : Number(e.points))),
    collaboratorIds,
    typeNames,
    eventIds: events.map((e) => (e.id == null ? null : String(e.id))),
  };
}

/** Columns for `Engine.loadTransactionsColumns` (amounts in cents). */
function toTransactionColumns(transactions) {
  const lineTypes = ["product", "subscription", "fee", "discount", "shipping", "tax"];
  const cents = (amount) => (amount === undefined ? NaN : Math.round(Number(amount) * 100));
  const lines = transactions.flatMap((t, i) => (t.details ?? []).map((d) => ({ ...d, i })));
  const refunds = transactions.flatMap((t, i) => (t.refunds ?? []).map((r) => ({ ...r, i })));
  return {
    transactionIds: transactions.map((t) => String(t.id)),
    occurredAtMs: Float64Array.from(transactions, (t) => Date.parse(t.occurredAt)),
    statusIndex: Uint8Array.from(transactions, (t) => ["complete", "refunded", "cancelled"].indexOf(t.status ?? "complete")),
    currencies: transactions.map((t) => t.currency ?? null),
    total: Float64Array.from(transactions, (t) => cents(t.total)),
    amountScale: 2,
    lineTransactionIndex: Uint32Array.from(lines, (d) => d.i),
    lineTypeIndex: Uint8Array.from(lines, (d) => lineTypes.indexOf(d.type)),
    lineAmount: Float64Array.from(lines, (d) => cents(d.amount)),
    lineQuantity: Uint32Array.from(lines, (d) => d.quantity ?? 1),
    lineSkus: lines.map((d) => (d.sku == null ? null : String(d.sku))),
    lineCategories: lines.map((d) => d.categories ?? null),
    lineOwnerCollaboratorIds: lines.map((d) => d.ownerCollaboratorIds?.map(String) ?? null),
    refundTransactionIndex: Uint32Array.from(refunds, (r) => r.i),
    refundOccurredAtMs: Float64Array.from(refunds, (r) => Date.parse(r.occurredAt)),
    refundAmount: Float64Array.from(refunds, (r) => cents(r.amount)),
  };
}

/**
 * The TypeScript file, one `export const` per entry, one property per line; `where[line]` is
 * the entry and JSON Pointer each line starts, so a tsc error can say which value is wrong.
 */
function render(entries, moduleSpecifier) {
  const types = ["CompareInput", "Comparison", "DistributorConfig", "EngineError", "EventColumns", "LoadedCompareInput", "LoadedPreviewInput", "LoadedSimulateInput",
    "NextRunsInput", "Preview", "PreviewInput", "Recipe", "Simulation", "SimulateInput", "TransactionColumns", "ValidationReport"];
  const lines = [`import type { ${types.join(", ")} } from ${JSON.stringify(moduleSpecifier)};`, ""];
  const where = [null, null];
  entries.forEach((entry, i) => {
    const push = (text, path) => { lines.push(text); where.push({ entry, path }); };
    push(`// ${entry.name.replaceAll("\n", " ")}`, "");
    const body = [];
    literal(entry.value, "", "", body);
    body[0].text = `export const value${i} = ${body[0].text}`;
    body.at(-1).text += ` satisfies ${entry.type};`;
    for (const { text, path } of body) push(text, path);
  });
  return { text: lines.join("\n") + "\n", where };
}

/** Appends `{text, path}` lines for `value` (typed arrays as constructor calls, NaN as NaN). */
function literal(value, indent, path, out, prefix = "") {
  const inner = indent + "  ";
  if (ArrayBuffer.isView(value)) {
    out.push({ text: `${indent}${prefix}${value.constructor.name}.of(${Array.from(value, (n) => (Number.isNaN(n) ? "NaN" : String(n))).join(", ")})`, path });
  } else if (Array.isArray(value) || (value !== null && typeof value === "object")) {
    const pairs = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
    if (pairs.length === 0) return out.push({ text: `${indent}${prefix}${open}${close}`, path });
    out.push({ text: `${indent}${prefix}${open}`, path });
    for (const [key, v] of pairs) {
      // Bare keys where possible, so tsc names them as the .d.ts does ('tie', not '"tie"').
      const childPrefix = Array.isArray(value) ? "" : `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: `;
      literal(v, inner, `${path}/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`, out, childPrefix);
      out.at(-1).text += ",";
    }
    out.push({ text: `${indent}${close}`, path });
  } else {
    const text = typeof value === "number" && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
    out.push({ text: `${indent}${prefix}${text}`, path });
  }
}

/**
 * tsc's errors, each once with the first values it is found at ("<which value> (<type>) at
 * <JSON Pointer>"): one wrong field in the .d.ts fails every output that has it.
 */
function explain(output, file, where) {
  const found = new Map();
  let last = null; // the error whose detail lines follow, when seen for the first time
  for (const line of output.split("\n")) {
    const m = /^(.*)\((\d+),(\d+)\): error (TS\d+: .*)$/.exec(line);
    if (m) {
      const at = resolve(m[1]) === resolve(file) ? where[Number(m[2]) - 1] : null;
      const place = at ? `${at.entry.name} (${at.entry.type}) at ${at.path || "/"}` : `${m[1]} line ${m[2]}`;
      const error = found.get(m[4]) ?? { message: m[4].length > 300 ? `${m[4].slice(0, 300)}…` : m[4], places: [] };
      last = found.has(m[4]) ? null : error;
      found.set(m[4], error);
      error.places.push(place);
    } else if (line.trim() && last) {
      // tsc spells out whole object types: the start says which.
      last.message += `\n    ${line.trim().length > 300 ? `${line.trim().slice(0, 300)}…` : line.trim()}`;
    }
  }
  if (found.size === 0) return output;
  return [...found.values()].map(({ message, places }) =>
    [message, ...places.slice(0, 3).map((p) => `  at ${p}`), ...(places.length > 3 ? [`  … and ${places.length - 3} more`] : [])].join("\n")).join("\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const args = process.argv.slice(2);
  const pkg = args.find((a) => !a.startsWith("--"));
  const { ok, report, file, checked, sameTypes } = checkOutputs({ ...(pkg && { pkg: resolve(pkg) }), keep: args.includes("--keep") });
  console.log(`${checked} values checked in ${Date.now() - started} ms; crates/siren-wasm/siren_engine.d.ts in pkg/node: ${sameTypes.node}, pkg/web: ${sameTypes.web}`);
  if (!ok) console.log(report);
  if (!ok || args.includes("--keep")) console.log(`generated file: ${file}`);
  process.exitCode = ok && sameTypes.node && sameTypes.web ? 0 : 1;
}
