// The built package, from JS: the CommonJS and ESM entry points for Node, the web build
// (initialised with the .wasm bytes, as a page would), and hostile JS values at the boundary.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as esm from "../../pkg/index.mjs";
import initWeb, * as web from "../../pkg/web/siren_engine.js";

const require = createRequire(import.meta.url);
const cjs = require("../../pkg/node/siren_engine.js");
const root = new URL("../../", import.meta.url);
const readJson = (rel) => JSON.parse(readFileSync(new URL(rel, root), "utf8"));
const seed = readJson("samples/recipes/milestone-rewards.json");
const cargoVersion = readFileSync(new URL("Cargo.toml", root), "utf8").match(/^version = "(.*)"/m)[1];

await initWeb({ module_or_path: readFileSync(new URL("pkg/web/siren_engine_bg.wasm", root)) });

/** Asserts `fn` throws a JS Error with the given code and path. */
function assertEngineError(fn, code, path) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, "not an Error");
    assert.equal(e.code, code);
    assert.equal(e.path, path);
    assert.equal(typeof e.message, "string");
    return true;
  });
}

test("every entry point exports the same functions and version", () => {
  for (const m of [cjs, esm, web]) {
    for (const name of ["validateRecipe", "validateDistributorConfig", "nextRuns", "previewScores", "simulate", "compare", "version"]) {
      assert.equal(typeof m[name], "function", name);
    }
    assert.equal(m.version(), cargoVersion);
  }
});

test("the seed recipe is valid, as an object and as JSON text, in Node and web builds", () => {
  for (const m of [cjs, esm, web]) {
    for (const input of [seed, JSON.stringify(seed)]) {
      assert.deepEqual(m.validateRecipe(input), { valid: true, errors: [], warnings: [] });
    }
  }
});

test("Node and web builds give byte-identical reports", () => {
  const broken = { version: 2, distributors: { milestoneRewards: { ...seed.distributors.milestoneRewards, units: "usd", schedule: [] } } };
  assert.equal(JSON.stringify(cjs.validateRecipe(broken)), JSON.stringify(web.validateRecipe(broken)));
  assert.ok(cjs.validateRecipe(broken).errors.length >= 3);
});

test("diagnostics carry severity, code, JSON Pointer path and a message", () => {
  const recipe = structuredClone(seed);
  recipe.distributors.milestoneRewards.schedule = [42];
  const report = cjs.validateRecipe(recipe);
  assert.equal(report.valid, false);
  const d = report.errors.find((e) => e.path === "/distributors/milestoneRewards/schedule/0");
  assert.ok(d, JSON.stringify(report.errors));
  assert.equal(d.severity, "error");
  assert.equal(d.code, "input.wrongType");
  assert.match(d.message, /string/);
});

test("nextRuns: the seed schedule from the end of January in New York (PHP 8.2 values)", () => {
  const input = { schedule: ["first day of next month"], from: "2026-01-31T15:30:00-05:00", timeZone: "America/New_York", count: 3 };
  const expected = ["2026-02-01T15:30:00-05:00", "2026-03-01T15:30:00-05:00", "2026-04-01T15:30:00-04:00"];
  for (const m of [cjs, esm, web]) assert.deepEqual(m.nextRuns(input), expected);
  assert.deepEqual(cjs.nextRuns(JSON.stringify(input)), expected);
});

test("nextRuns: two strings applied in order (Siren's bi-weekly REST example)", () => {
  const runs = cjs.nextRuns({ schedule: ["first day of next month", "+14 days"], from: "2026-01-10T00:00:00Z", timeZone: "UTC", count: 2 });
  // Jan 10 -> first day of next month = Feb 1 -> +14 days = Feb 15; then Mar 1 -> Mar 15.
  assert.deepEqual(runs, ["2026-02-15T00:00:00+00:00", "2026-03-15T00:00:00+00:00"]);
});

test("nextRuns: malformed input throws an Error with code and path", () => {
  assertEngineError(() => cjs.nextRuns(), "input.missing", "");
  assertEngineError(() => cjs.nextRuns(null), "input.missing", "");
  assertEngineError(() => cjs.nextRuns("{oops"), "input.notJson", "");
  assertEngineError(() => cjs.nextRuns({ schedule: "first day of next month", from: "2026-01-01T00:00:00Z" }), "input.wrongType", "/schedule");
  assertEngineError(() => cjs.nextRuns({ schedule: ["first day of next month"] }), "input.required", "/from");
  assertEngineError(() => cjs.nextRuns({ schedule: ["first day of next month"], from: "2026-13-01T00:00:00Z" }), "time.invalidTimestamp", "/from");
  assertEngineError(() => cjs.nextRuns({ schedule: ["first day of next month"], from: "2026-01-01 00:00:00" }), "time.missingOffset", "/from");
  assertEngineError(() => cjs.nextRuns({ schedule: ["first day of next month"], from: "2026-01-01T00:00:00Z", count: 0 }), "input.wrongType", "/count");
  assertEngineError(() => cjs.nextRuns({ schedule: ["first day of next month"], from: "2026-01-01T00:00:00Z", extra: 1 }), "input.unknownField", "/extra");
  assertEngineError(() => cjs.nextRuns({ schedule: ["first day of next month", "every full moon"], from: "2026-01-01T00:00:00Z" }), "schedule.invalid", "/schedule/1");
  assertEngineError(() => cjs.nextRuns({ schedule: ["yesterday"], from: "2026-01-01T00:00:00Z" }), "schedule.notAdvancing", "/schedule/0");
  assertEngineError(() => cjs.nextRuns({ schedule: ["+9999999999 years"], from: "2026-01-01T00:00:00Z" }), "schedule.outOfRange", "/schedule/0");
});

test("hostile JS values: diagnostics, never a trap, and the instance keeps answering", () => {
  const cyclic = { version: 1 };
  cyclic.self = cyclic;
  const throwingGetter = { get version() { throw new Error("boom"); } };
  let deep = {};
  for (let i = 0; i < 200; i++) deep = { d: deep };
  let deeper = [];
  for (let i = 0; i < 100_000; i++) deeper = [deeper];
  const cases = [
    [undefined, "input.missing"],
    [null, "input.missing"],
    [42, "input.wrongType"],
    [NaN, "input.wrongType"],
    [Infinity, "input.wrongType"],
    ["", "input.notJson"],
    ["not json", "input.notJson"],
    [[], "input.wrongType", "config.emptyHistory"],
    [10n, "input.notSerializable"],
    [cyclic, "input.notSerializable"],
    [throwingGetter, "input.notSerializable"],
    [deep, "input.tooDeep"],
    [deeper, "input.tooDeep"],
    [Symbol("x"), "input.wrongType"],
    [() => 1, "input.wrongType"],
  ];
  for (const [input, code, configCode = code] of cases) {
    for (const [fn, expected] of [[cjs.validateRecipe, code], [cjs.validateDistributorConfig, configCode]]) {
      const report = fn(input);
      assert.equal(report.valid, false, String(expected));
      assert.equal(report.errors[0].code, expected, `${typeof input}: ${JSON.stringify(report.errors[0])}`);
    }
    assert.equal(cjs.validateRecipe(seed).valid, true);
  }
});

test("a 10 MB string field and 100k distributors are reported, not fatal", () => {
  const huge = structuredClone(seed);
  huge.distributors.milestoneRewards.name = "x".repeat(10 * 1024 * 1024);
  huge.distributors.milestoneRewards.units = "x".repeat(10 * 1024 * 1024);
  const report = cjs.validateRecipe(huge);
  assert.equal(report.valid, false);
  assert.ok(report.errors.every((e) => e.message.length < 1000), "messages must not echo huge input");

  const many = { version: 1, name: "Many", description: "100k distributors", distributors: {} };
  for (let i = 0; i < 100_000; i++) {
    many.distributors[`d${i}`] = { ...seed.distributors.milestoneRewards, status: i % 2 ? "active" : "paused" };
  }
  const manyReport = cjs.validateRecipe(many);
  assert.equal(manyReport.errors.length, 50_000);
  assert.ok(manyReport.errors.every((e) => e.path.endsWith("/status")));
});

test("unknown fields: warnings in lenient mode, errors in strict mode", () => {
  const recipe = structuredClone(seed);
  recipe.distributors.milestoneRewards.color = "blue";
  const lenient = cjs.validateRecipe(recipe);
  assert.equal(lenient.valid, true);
  assert.deepEqual(lenient.warnings.map((w) => [w.code, w.path]), [["input.unknownField", "/distributors/milestoneRewards/color"]]);
  const strict = cjs.validateRecipe(recipe, { strict: true });
  assert.equal(strict.valid, false);
  assert.deepEqual(strict.errors.map((w) => [w.code, w.path]), [["input.unknownField", "/distributors/milestoneRewards/color"]]);
});

test("bad options throw; valid options are honoured", () => {
  assertEngineError(() => cjs.validateRecipe(seed, { strict: "yes" }), "input.invalidOption", "/strict");
  assertEngineError(() => cjs.validateRecipe(seed, 7), "input.invalidOption", "");
  const custom = structuredClone(seed);
  custom.distributors.milestoneRewards.distributionResolver = "myHostResolver";
  assert.equal(cjs.validateRecipe(custom).valid, false);
  assert.equal(cjs.validateRecipe(custom, { distributionResolvers: ["myHostResolver"] }).valid, true);
});

test("NaN and Infinity anywhere in an object are located errors, not a silent null", () => {
  const input = { schedule: ["first day of next month"], from: "2026-01-01T00:00:00Z", count: NaN };
  assertEngineError(() => cjs.nextRuns(input), "input.wrongType", "/count");
  assertEngineError(() => web.nextRuns({ ...input, count: -Infinity }), "input.wrongType", "/count");
  const config = { engagementTypes: { "a/b": Infinity }, revenuePercentage: 5, transactionCompilers: ["lineItems"] };
  const report = cjs.validateDistributorConfig(config);
  assert.deepEqual(report.errors.map((e) => [e.code, e.path]), [["input.wrongType", "/engagementTypes/a~1b"]]);
  assert.equal(cjs.validateDistributorConfig({ ...config, engagementTypes: { a: 1 } }).valid, true);
});
