// previewScores from JS against the built package: every case of tests/data/preview_cases.json
// (shared with the native and wasm suites) in the Node and web builds, plus JS-only hostile values.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import initWeb, * as web from "../../pkg/web/siren_engine.js";

const require = createRequire(import.meta.url);
const cjs = require("../../pkg/node/siren_engine.js");
const root = new URL("../../", import.meta.url);
await initWeb({ module_or_path: readFileSync(new URL("pkg/web/siren_engine_bg.wasm", root)) });
const { cases } = JSON.parse(readFileSync(new URL("tests/data/preview_cases.json", root), "utf8"));

/** `expected` is a fragment of `actual`: objects by key, arrays element by element and same length. */
function assertFragment(actual, expected, path = "") {
  if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    assert.equal(typeof actual, "object", `${path} is not an object`);
    for (const [key, value] of Object.entries(expected)) {
      if (value === null && !(key in actual)) continue;
      assert.ok(key in actual, `missing ${path}/${key}`);
      assertFragment(actual[key], value, `${path}/${key}`);
    }
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path} is not an array`);
    assert.equal(actual.length, expected.length, `length of ${path}`);
    expected.forEach((e, i) => assertFragment(actual[i], e, `${path}/${i}`));
  } else {
    assert.deepEqual(actual, expected, `at ${path}`);
  }
}

/** Every case of a shared case file through `fn` in the Node and web builds, byte-identical. */
function checkCases(cases, fn) {
  for (const c of cases) {
    for (const engine of [cjs, web]) {
      if (c.error) {
        assert.throws(() => engine[fn](c.input), (e) => {
          assert.ok(e instanceof Error, c.name);
          assert.equal(e.code, c.error.code, `${c.name}: ${e.message}`);
          assert.equal(e.path, c.error.path, `${c.name}: ${e.message}`);
          return true;
        });
      } else {
        assertFragment(engine[fn](c.input), c.expected, c.name);
      }
    }
    if (!c.error) assert.equal(JSON.stringify(cjs[fn](c.input)), JSON.stringify(web[fn](JSON.stringify(c.input))), c.name);
  }
}

test(`all ${cases.length} preview cases, Node and web builds, byte-identical`, () => {
  assert.ok(cases.length >= 60);
  checkCases(cases, "previewScores");
});

for (const [file, fn] of [["simulate_cases.json", "simulate"], ["compare_cases.json", "compare"]]) {
  const shared = JSON.parse(readFileSync(new URL(`tests/data/${file}`, root), "utf8")).cases;
  test(`all ${shared.length} ${fn} cases, Node and web builds, byte-identical`, () => {
    assert.ok(shared.length >= 10);
    checkCases(shared, fn);
  });
}

test("Siren's documented examples, read as a host would", () => {
  const byName = Object.fromEntries(cases.map((c) => [c.name, c]));
  const top = cjs.previewScores(byName["siren-top-score-wins"].input);
  assert.equal(top.pool, "5000.00");
  assert.deepEqual(top.allocations, [{ collaboratorId: "ana", amount: "5000.00" }]);
  assert.deepEqual(top.leaderboard.map((r) => [r.collaboratorId, r.score, r.rank, r.behindLeader]), [["ana", 850, 1, 0], ["ben", 720, 2, 130], ["cy", 430, 3, 420]]);
});

test("malformed preview input throws with code and path; the instance keeps answering", () => {
  const good = cases.find((c) => !c.error).input;
  const cyclic = { ...good };
  cyclic.self = cyclic;
  for (const [input, code] of [[undefined, "input.missing"], [null, "input.missing"], [cyclic, "input.notSerializable"], [7n, "input.notSerializable"], ["{", "input.notJson"], [[], "input.wrongType"]]) {
    assert.throws(() => cjs.previewScores(input), (e) => e instanceof Error && e.code === code && typeof e.path === "string");
    assert.equal(cjs.previewScores(good).projected, true);
  }
});
