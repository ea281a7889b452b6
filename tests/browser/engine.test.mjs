// The engine inside Chromium (pkg/web, as a page loads it): every shared case file gives the same
// bytes as the Node build (which the wasm suite ties to the native build), and the sample year
// simulates to the same bytes too — the "same output in Node, in the browser and natively" promise.
// The hostile-value checks of tests/js/hostile_cases.mjs run here as they do in Node.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { launch } from "./chromium.mjs";
import { sampleYear } from "../../bench/data.mjs";

const require = createRequire(import.meta.url);
const node = require("../../pkg/node/siren_engine.js");
const read = (rel) => readFileSync(new URL(`../../${rel}`, import.meta.url), "utf8");

let browser;
before(async () => {
  browser = await launch();
  await browser.page.goto(`${browser.origin}/www/`);
  await browser.page.evaluate(async () => {
    const engine = await import("/pkg/web/siren_engine.js");
    await engine.default();
    window.__engine = engine;
  });
});
after(async () => browser?.close());

/** Runs `fn` over `inputs` in the page; each result is the output's JSON text or `{code, path}` of the error. */
function inPage(fn, inputs) {
  return browser.page.evaluate(
    ([fn, inputs]) =>
      inputs.map((input) => {
        try {
          return JSON.stringify(window.__engine[fn](input));
        } catch (e) {
          return { code: e.code, path: e.path, isError: e instanceof Error };
        }
      }),
    [fn, inputs],
  );
}

function inNode(fn, input) {
  try {
    return JSON.stringify(node[fn](input));
  } catch (e) {
    return { code: e.code, path: e.path, isError: e instanceof Error };
  }
}

for (const [file, fn] of [["preview_cases.json", "previewScores"], ["simulate_cases.json", "simulate"], ["compare_cases.json", "compare"]]) {
  test(`${file}: Chromium and Node give the same bytes and the same errors`, async () => {
    const cases = JSON.parse(read(`tests/data/${file}`)).cases;
    const fromPage = await inPage(fn, cases.map((c) => c.input));
    cases.forEach((c, i) => assert.deepEqual(fromPage[i], inNode(fn, c.input), c.name));
    assert.ok(cases.some((c) => c.error) && cases.some((c) => !c.error));
  });
}

test("hostile JS values inside Chromium: every function answers with a result or a located Error, and keeps answering", async () => {
  const problems = await browser.page.evaluate(async () => {
    const { checkEngine } = await import("/tests/js/hostile_cases.mjs");
    return checkEngine(window.__engine);
  });
  assert.deepEqual(problems, []);
});

test("the sample year: Chromium and Node simulate it to the same bytes", async () => {
  const { events, transactions, collaborators, config, scenario, recipe } = sampleYear();
  const input = {
    recipe,
    distributorKey: scenario.distributorKey,
    config,
    collaborators,
    events,
    transactions,
    timeZone: scenario.timeZone,
    start: scenario.start,
    end: scenario.end,
    pauses: scenario.pauses,
    policies: scenario.policies,
  };
  const [fromPage] = await inPage("simulate", [input]);
  assert.equal(fromPage, inNode("simulate", input));
  assert.deepEqual(browser.problems, []);
});
