// What `npm pack` of pkg/ ships: exactly the expected files (a file that appears or disappears
// fails here), metadata as well-kept wasm packages have it, every path the manifest names present,
// and the package's own layer (entries, guards) as built from npm/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { npm, pkgDir, root, manifest } from "./fixture.mjs";

const require = createRequire(import.meta.url);
const read = (file) => readFileSync(join(root, file), "utf8");

/** The packed files (wasm-bindgen's per-crate snippet folder written as `snippets/*`), sorted. */
const packed = (() => {
  const [{ files }] = JSON.parse(npm(["pack", "--dry-run", "--json"], pkgDir));
  return files.map((f) => f.path.replace(/\/snippets\/[^/]+\//, "/snippets/*/")).sort();
})();

test("npm pack ships exactly the expected files", () => {
  assert.deepEqual(packed, [
    "CHANGELOG.md",
    "LICENSE",
    "README.md",
    "browser.d.mts",
    "browser.mjs",
    "cli/columns.mjs",
    "cli/format.mjs",
    "cli/inputs.mjs",
    "cli/siren.mjs",
    "guards.mjs",
    "index.d.mts",
    "index.mjs",
    "lib/records.d.mts",
    "lib/records.mjs",
    "node/guards.cjs",
    "node/index.cjs",
    "node/index.d.cts",
    "node/package.json",
    "node/siren_engine.d.ts",
    "node/siren_engine.js",
    "node/siren_engine_bg.wasm",
    "node/snippets/*/js/convert.js",
    "package.json",
    "web/package.json",
    "web/siren_engine.d.ts",
    "web/siren_engine.js",
    "web/siren_engine_bg.wasm",
    "web/snippets/*/js/convert.js",
  ]);
});

test("metadata: name, version, licence, engines, keywords, bin; repository only when known", () => {
  const m = manifest();
  const cargoVersion = read("Cargo.toml").match(/^version = "(.*)"/m)[1];
  assert.equal(m.name, "siren-engine");
  assert.equal(m.version, cargoVersion, "package.json and Cargo.toml versions differ");
  assert.equal(require(join(pkgDir, "node/index.cjs")).version(), cargoVersion);
  assert.equal(m.license, "MIT");
  assert.match(read("pkg/LICENSE"), /^MIT License\n\nCopyright \(c\) 2026 the Siren engine authors\n/);
  assert.match(read("Cargo.toml"), /^license = "MIT"$/m, "the crates and the package declare the same licence");
  assert.ok(m.engines?.node, "engines.node");
  assert.ok(Array.isArray(m.keywords) && m.keywords.length >= 3, "keywords");
  assert.deepEqual(m.bin, { siren: "./cli/siren.mjs" });
  assert.match(read("pkg/cli/siren.mjs"), /^#!\/usr\/bin\/env node\n/);
  // No placeholder URL is published: `repository` comes from SIREN_REPOSITORY_URL at build time.
  if (process.env.SIREN_REPOSITORY_URL) assert.deepEqual(m.repository, { type: "git", url: process.env.SIREN_REPOSITORY_URL });
  else assert.equal(m.repository, undefined);
});

test("CHANGELOG: Keep a Changelog sections, the package version listed", () => {
  const log = read("pkg/CHANGELOG.md");
  assert.match(log, /^# Changelog\n/);
  assert.match(log, /^## \[Unreleased\]$/m);
  assert.match(log, new RegExp(`^## \\[${manifest().version.replaceAll(".", "\\.")}\\]`, "m"));
});

/** Every file path a manifest value names (exports targets, main, types, bin). */
function namedPaths(value, out = []) {
  if (typeof value === "string") out.push(value);
  else if (value && typeof value === "object") for (const v of Object.values(value)) namedPaths(v, out);
  return out;
}

test("every path the manifest names (main, types, exports, bin) is in the package", () => {
  const m = manifest();
  const paths = namedPaths([m.main, m.types, m.exports, m.bin]);
  assert.ok(paths.length >= 14, paths.join(", "));
  for (const path of paths) {
    assert.match(path, /^\.\//, path);
    assert.ok(packed.includes(path.slice(2)), `${path} is not packed`);
  }
});

test("exports: Node gets the Node build, every other environment the browser entry, each with its types", () => {
  const { exports } = manifest();
  assert.deepEqual(Object.keys(exports), [".", "./web", "./records", "./siren_engine_bg.wasm", "./package.json"]);
  const main = exports["."];
  // Condition order matters: "node" must come before the catch-all "default".
  assert.deepEqual(Object.keys(main), ["node", "types", "default"]);
  assert.deepEqual(main.node, {
    import: { types: "./index.d.mts", default: "./index.mjs" },
    require: { types: "./node/index.d.cts", default: "./node/index.cjs" },
  });
  assert.equal(main.types, "./browser.d.mts");
  assert.equal(main.default, "./browser.mjs");
  assert.equal(exports["./siren_engine_bg.wasm"], "./web/siren_engine_bg.wasm");
});

/** A package.json `sideEffects` glob as webpack, Rollup and esbuild read it (`**` any path, `*` one segment). */
const globToRegExp = (glob) =>
  new RegExp(`^${glob.replace(/^\.\//, "").replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("**", "\0").replaceAll("*", "[^/]*").replaceAll("\0", ".*")}$`);

test("sideEffects keeps wasm-bindgen's snippets (and the Node loader) and nothing else", () => {
  const patterns = manifest().sideEffects.map(globToRegExp);
  const kept = packed.filter((file) => file.endsWith(".js") || file.endsWith(".mjs") || file.endsWith(".cjs")).filter((file) => patterns.some((p) => p.test(file)));
  assert.deepEqual(kept, ["node/siren_engine.js", "node/snippets/*/js/convert.js", "web/snippets/*/js/convert.js"]);
});

test("pkg/ is built from npm/ (run scripts/build.sh when this fails)", () => {
  for (const [source, built] of [
    ["npm/index.mjs", "pkg/index.mjs"],
    ["npm/index.d.mts", "pkg/index.d.mts"],
    ["npm/browser.mjs", "pkg/browser.mjs"],
    ["npm/browser.d.mts", "pkg/browser.d.mts"],
    ["npm/guards.mjs", "pkg/guards.mjs"],
    ["npm/node/index.cjs", "pkg/node/index.cjs"],
    ["npm/node/index.d.cts", "pkg/node/index.d.cts"],
    ["npm/README.md", "pkg/README.md"],
    ["LICENSE", "pkg/LICENSE"],
    ["CHANGELOG.md", "pkg/CHANGELOG.md"],
    ["lib/records.mjs", "pkg/lib/records.mjs"],
    ...["siren.mjs", "inputs.mjs", "format.mjs", "columns.mjs"].map((f) => [`cli/${f}`, `pkg/cli/${f}`]),
  ]) {
    assert.equal(read(built), read(source), `${built} differs from ${source}: pkg/ is stale`);
  }
});

test("the Node build loads its snippets with plain require() calls that bundlers follow", () => {
  const glue = read("pkg/node/siren_engine.js");
  assert.doesNotMatch(glue, /require\(String\.raw/);
  assert.match(glue, /require\("\.\/snippets\/[^"]+\/js\/convert\.js"\)/);
});

test("the guarded Engine overrides every member of wasm-bindgen's class, in the Node and web builds", async () => {
  const members = (proto) => Object.getOwnPropertyNames(proto).filter((n) => n !== "constructor" && !n.startsWith("__")).sort();
  const node = require(join(pkgDir, "node/index.cjs"));
  const rawNode = require(join(pkgDir, "node/siren_engine.js"));
  const web = await import(join(pkgDir, "browser.mjs"));
  const rawWeb = await import(join(pkgDir, "web/siren_engine.js"));
  for (const [guarded, raw] of [[node.Engine, rawNode.Engine], [web.Engine, rawWeb.Engine]]) {
    assert.equal(Object.getPrototypeOf(guarded), raw, "a subclass of wasm-bindgen's class");
    const rawMembers = members(raw.prototype);
    assert.ok(rawMembers.includes("preview") && rawMembers.includes("free"), rawMembers.join(", "));
    assert.deepEqual(members(guarded.prototype), rawMembers, "a member of the raw class is not guarded");
  }
});
