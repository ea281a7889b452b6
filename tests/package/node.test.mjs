// The package installed from its tarball into a fresh project, used from Node as its README says:
// CommonJS and ESM entries, the exported subpaths, the `siren` bin, TypeScript under Node's and
// bundlers' module resolution (each seeing the types of the build it gets), and the coded errors
// of a freed Engine.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { installedProject, writeFiles, tsc, root } from "./fixture.mjs";

let project;
before(() => {
  project = installedProject("siren-node-");
});
after(() => project?.close());

const cargoVersion = () => readFileSync(join(root, "Cargo.toml"), "utf8").match(/^version = "(.*)"/m)[1];

/** Runs `file` (written into the project first) with node; its stdout parsed as JSON. */
function run(file, text) {
  writeFiles(project.dir, { [file]: text });
  return JSON.parse(execFileSync(process.execPath, [file], { cwd: project.dir, encoding: "utf8" }));
}

test("require(\"siren-engine\"): the Node build, ready at once, with init() for shared code", () => {
  const got = run("app.cjs", `
    const engine = require("siren-engine");
    const { validateRecipe, version, init, initSync, Engine } = engine;
    let missing;
    try { engine.nextRuns(); } catch (e) { missing = { isError: e instanceof Error, code: e.code, path: e.path }; }
    initSync();
    init().then(() => console.log(JSON.stringify({
      version: version(),
      valid: validateRecipe({ version: 1 }).valid,
      missing,
      names: Object.keys(engine).sort(),
      engine: new Engine() instanceof Engine,
      file: require.resolve("siren-engine").split("siren-engine/")[1],
    })));
  `);
  assert.deepEqual(got, {
    version: cargoVersion(),
    valid: false,
    missing: { isError: true, code: "input.missing", path: "" },
    names: ["Engine", "compare", "init", "initSync", "nextRuns", "previewScores", "simulate", "validateDistributorConfig", "validateRecipe", "version"],
    engine: true,
    file: "node/index.cjs",
  });
});

test("import from \"siren-engine\": named exports and init as the default, the same functions as require", () => {
  const got = run("app.mjs", `
    import init, * as engine from "siren-engine";
    import { createRequire } from "node:module";
    const cjs = createRequire(import.meta.url)("siren-engine");
    await init();
    console.log(JSON.stringify({
      defaultIsInit: init === engine.init,
      names: Object.keys(engine).sort(),
      sameFunctions: ["validateRecipe", "previewScores", "Engine", "init"].every((n) => engine[n] === cjs[n]),
      report: engine.validateRecipe({ version: 1 }).errors.map((d) => d.code),
      file: import.meta.resolve("siren-engine").split("siren-engine/")[1],
    }));
  `);
  assert.deepEqual(got.names, ["Engine", "compare", "default", "init", "initSync", "nextRuns", "previewScores", "simulate", "validateDistributorConfig", "validateRecipe", "version"]);
  assert.equal(got.defaultIsInit, true);
  assert.equal(got.sameFunctions, true);
  assert.ok(got.report.length > 0);
  assert.equal(got.file, "index.mjs");
});

test("exported subpaths: the .wasm, package.json, the raw web build and the records module resolve", () => {
  const got = run("subpaths.mjs", `
    import { createRequire } from "node:module";
    import { readFileSync } from "node:fs";
    import { fileURLToPath } from "node:url";
    import * as records from "siren-engine/records";
    import * as web from "siren-engine/web";
    const require = createRequire(import.meta.url);
    const wasm = readFileSync(fileURLToPath(import.meta.resolve("siren-engine/siren_engine_bg.wasm")));
    const events = records.parseEvents("events.csv", "collaboratorId,type,occurredAt\\nana,referredSiteVisit,2026-01-05T10:00:00Z\\n");
    let located;
    try { records.parseEvents("events.csv", "collaboratorId,type\\nana,x\\n"); } catch (e) { located = e instanceof records.InputError && e.message.startsWith("events.csv:1"); }
    await web.default({ module_or_path: wasm });
    console.log(JSON.stringify({
      wasm: WebAssembly.validate(wasm),
      sameAsResolved: require.resolve("siren-engine/siren_engine_bg.wasm") === fileURLToPath(import.meta.resolve("siren-engine/siren_engine_bg.wasm")),
      version: require("siren-engine/package.json").version,
      webVersion: web.version(),
      events,
      located,
    }));
  `);
  assert.equal(got.wasm, true);
  assert.equal(got.sameAsResolved, true);
  assert.equal(got.version, cargoVersion());
  assert.equal(got.webVersion, cargoVersion());
  assert.deepEqual(got.events, [{ collaboratorId: "ana", type: "referredSiteVisit", occurredAt: "2026-01-05T10:00:00Z" }]);
  assert.equal(got.located, true);
});

test("what is not exported stays private (ERR_PACKAGE_PATH_NOT_EXPORTED)", () => {
  const got = spawnSync(process.execPath, ["-e", `require("siren-engine/node/siren_engine.js")`], { cwd: project.dir, encoding: "utf8" });
  assert.match(got.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
});

test("the siren bin: npm links it, and npx siren runs from the installed package", () => {
  const bin = spawnSync(join(project.dir, "node_modules/.bin/siren"), ["--version"], { cwd: project.dir, encoding: "utf8" });
  assert.equal(bin.status, 0, bin.stderr);
  assert.match(bin.stdout, new RegExp(`siren-engine ${cargoVersion().replaceAll(".", "\\.")}`));
  const npx = spawnSync("npx", ["--offline", "--no-install", "siren", "--help"], { cwd: project.dir, encoding: "utf8" });
  assert.equal(npx.status, 0, npx.stderr);
  for (const command of ["validate", "preview", "simulate", "compare"]) assert.match(npx.stdout, new RegExp(`\\b${command}\\b`));
});

test("Engine: calls after free() throw engine.freed, free() twice does nothing, other errors are untouched", () => {
  const got = run("freed.cjs", `
    const { Engine } = require("siren-engine");
    const coded = (fn) => { try { fn(); return "no error"; } catch (e) { return { isError: e instanceof Error, code: e.code, path: e.path, message: e.message }; } };
    const live = new Engine();
    const malformed = coded(() => live.loadEvents([{ collaboratorId: "a", type: "manual", occurredAt: "not a date" }]));
    live.free();
    const calls = {
      loadEvents: () => live.loadEvents([]), loadEventsColumns: () => live.loadEventsColumns({}),
      loadTransactions: () => live.loadTransactions([]), loadTransactionsColumns: () => live.loadTransactionsColumns({}),
      eventCount: () => live.eventCount, transactionCount: () => live.transactionCount,
      preview: () => live.preview({}), simulate: () => live.simulate({}), compare: () => live.compare({}),
      free: () => live.free(),
    };
    const disposed = new Engine();
    let dispose = "no Symbol.dispose";
    if (typeof Symbol.dispose === "symbol") { disposed[Symbol.dispose](); disposed.free(); dispose = coded(() => disposed.preview({})).code; }
    console.log(JSON.stringify({ malformed, after: Object.fromEntries(Object.entries(calls).map(([k, f]) => [k, coded(f)])), dispose }));
  `);
  assert.equal(got.malformed.code, "time.invalidTimestamp", JSON.stringify(got.malformed));
  assert.equal(got.malformed.path, "/events/0/occurredAt");
  for (const [member, outcome] of Object.entries(got.after)) {
    if (member === "free") {
      assert.equal(outcome, "no error");
      continue;
    }
    assert.equal(outcome.isError, true, member);
    assert.equal(outcome.code, "engine.freed", member);
    assert.equal(outcome.path, "", member);
    assert.match(outcome.message, /freed/, member);
  }
  if (got.dispose !== "no Symbol.dispose") assert.equal(got.dispose, "engine.freed");
});

/** tsc over `files` in the project; `{status, output, files}` with the declaration files it read. */
function typecheck(options, files) {
  const r = spawnSync(process.execPath, [tsc, "--noEmit", "--strict", "--exactOptionalPropertyTypes", "--skipLibCheck", "false", "--target", "es2022", "--listFiles", "--pretty", "false", ...options, ...files], { cwd: project.dir, encoding: "utf8" });
  const lines = r.stdout.split("\n");
  return {
    status: r.status,
    output: lines.filter((l) => !l.startsWith("/")).join("\n") + r.stderr,
    read: lines.filter((l) => l.includes("/node_modules/siren-engine/")).map((l) => l.split("/node_modules/siren-engine/")[1]).sort(),
  };
}

const TS_NODE_ESM = `
import init, { validateRecipe, Engine, version, type ValidationReport, type EngineError, type Recipe } from "siren-engine";
import * as engine from "siren-engine";
import { parseEvents, InputError } from "siren-engine/records";
await init();
const recipe: Recipe = { version: 1, name: "n", description: "d" };
const report: ValidationReport = validateRecipe(recipe);
const handle: Engine = new engine.Engine();
const count: number = handle.eventCount;
handle.free();
const text: string = version();
const events: unknown[] = parseEvents("events.csv", "collaboratorId,type,occurredAt\\n");
const isInputError = (e: unknown): e is InputError => e instanceof InputError;
const isEngineError = (e: unknown): e is EngineError => e instanceof Error && "code" in e;
export { report, count, text, events, isInputError, isEngineError };
`;
const TS_NODE_CJS = `
import engine = require("siren-engine");
const report: engine.ValidationReport = engine.validateRecipe({ version: 1 });
const ready: Promise<void> = engine.init();
engine.initSync();
const handle = new engine.Engine();
export = { report, ready, handle };
`;
const TS_BUNDLER = `
import init, { initSync, validateRecipe, Engine, type ValidationReport, type InitInput } from "siren-engine";
import * as raw from "siren-engine/web";
await init();
await init(new URL("/assets/siren_engine_bg.wasm", location.href));
await init({ module_or_path: fetch("/siren_engine_bg.wasm") });
const input: InitInput = "/siren_engine_bg.wasm";
initSync(new Uint8Array(0));
initSync({ module: new Uint8Array(0) });
const report: ValidationReport = validateRecipe({ version: 1 });
const handle = new Engine();
handle.free();
const output: Promise<raw.InitOutput> = raw.default();
export { report, input, output };
`;

test("TypeScript, moduleResolution nodenext: ESM and CommonJS files type-check against the Node types", () => {
  writeFiles(project.dir, { "esm.mts": TS_NODE_ESM, "cjs.cts": TS_NODE_CJS });
  const r = typecheck(["--module", "nodenext", "--moduleResolution", "nodenext", "--lib", "es2022"], ["esm.mts", "cjs.cts"]);
  assert.equal(r.status, 0, r.output);
  assert.deepEqual(r.read, ["index.d.mts", "lib/records.d.mts", "node/index.d.cts", "node/siren_engine.d.ts"]);
});

test("TypeScript, moduleResolution bundler: `import init` type-checks against the browser entry's types", () => {
  writeFiles(project.dir, { "app.ts": TS_BUNDLER });
  const r = typecheck(["--module", "esnext", "--moduleResolution", "bundler", "--lib", "es2022,dom"], ["app.ts"]);
  assert.equal(r.status, 0, r.output);
  assert.deepEqual(r.read, ["browser.d.mts", "web/siren_engine.d.ts"]);
});

test("browser entry: coded errors before init(), a failed init() can be retried, then one shared promise", () => {
  // Node resolves "siren-engine" to the Node build, so the browser entry is loaded by its path;
  // its .wasm is given as bytes (Node's fetch cannot read file: URLs).
  const got = run("browser-entry.mjs", `
    import { readFileSync } from "node:fs";
    import init, { validateRecipe, version, Engine } from "./node_modules/siren-engine/browser.mjs";
    const coded = (fn) => { try { fn(); return "no error"; } catch (e) { return { isError: e instanceof Error, code: e.code, path: e.path, message: e.message }; } };
    const before = { validateRecipe: coded(() => validateRecipe({})), version: coded(() => version()), Engine: coded(() => new Engine()) };
    const failed = init(Promise.reject(new Error("offline")));
    const failure = await failed.then(() => "resolved", (e) => e.message);
    const retry = init(readFileSync("node_modules/siren-engine/web/siren_engine_bg.wasm"));
    await retry;
    console.log(JSON.stringify({ before, failure, retried: retry !== failed, shared: init() === retry && init() === init(), version: version() }));
  `);
  for (const [name, outcome] of Object.entries(got.before)) {
    assert.equal(outcome.isError, true, name);
    assert.equal(outcome.code, "engine.notInitialized", name);
    assert.equal(outcome.path, "", name);
    assert.match(outcome.message, /await init\(\)/, name);
  }
  assert.equal(got.failure, "offline");
  assert.equal(got.retried, true);
  assert.equal(got.shared, true);
  assert.equal(got.version, cargoVersion());
});
