// The facts the README and the docs state, checked against the repository and the built package,
// so they cannot go stale: the module's size, the paths and links they name, the functions they
// list, the number of time zones.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const require = createRequire(import.meta.url);
const read = (file) => readFileSync(join(root, file), "utf8");
const DOCS = ["README.md", "ARCHITECTURE.md", "BENCHMARKS.md", "CHANGELOG.md", "npm/README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)].filter((f) => existsSync(join(root, f)));
const TOP = ["crates", "scripts", "tests", "docs", "samples", "bench", "cli", "lib", "www", "npm", "xtask", "fuzz", "wordpress"];
const grouped = (n) => n.toLocaleString("en-US");

test("the README states the module's size as the build gives it", () => {
  const wasm = join(root, "pkg/web/siren_engine_bg.wasm");
  const raw = statSync(wasm).size;
  const gzip = spawnSync("gzip", ["-9", "-c", wasm], { maxBuffer: 1 << 24 });
  assert.equal(gzip.status, 0);
  const stated = read("README.md").match(/\*\*([\d,]+) bytes raw, ([\d,]+) bytes gzipped\*\*/);
  assert.ok(stated, "README.md: no '**N bytes raw, M bytes gzipped**' line");
  assert.deepEqual([stated[1], stated[2]], [grouped(raw), grouped(gzip.stdout.length)], "README.md's module size is stale: update it to what scripts/build.sh printed");
});

test("every relative link in the docs leads to a file", () => {
  const broken = [];
  for (const doc of DOCS) {
    for (const [, target] of read(doc).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^(https?:|mailto:|#)/.test(target)) continue;
      const path = join(root, dirname(doc), decodeURIComponent(target.split("#")[0]));
      if (!existsSync(path)) broken.push(`${doc}: ${target}`);
    }
  }
  assert.deepEqual(broken, []);
});

test("every repository path the docs name in backticks exists", () => {
  const missing = [];
  // BENCHMARKS.md is a history: its rounds keep the names of their day (it maps them to today's).
  for (const doc of DOCS.filter((d) => d !== "BENCHMARKS.md")) {
    for (const [, path] of read(doc).matchAll(/`((?:[\w.-]+\/)+[\w.*-]*)(?::\d+)?`/g)) {
      if (!TOP.includes(path.split("/")[0]) || path.includes("*") || path.includes("<")) continue;
      if (!existsSync(join(root, path))) missing.push(`${doc}: ${path}`);
    }
  }
  assert.deepEqual(missing, []);
});

test("the functions the README lists are the package's exports", () => {
  const engine = require(join(root, "pkg/node/siren_engine.js"));
  const listed = [...read("README.md").matchAll(/^- `(\w+)\(/gm)].map((m) => m[1]);
  assert.ok(listed.length >= 6, `${listed}`);
  for (const name of listed) assert.equal(typeof engine[name], "function", `README lists ${name}(), which pkg/ does not export`);
});

test("the README's count of WordPress time zones is PHP's", () => {
  const zones = read("tests/data/php_zones.txt").split("\n").filter((l) => l.trim()).length;
  assert.match(read("README.md"), new RegExp(`the ${zones} that WordPress offers`));
});
