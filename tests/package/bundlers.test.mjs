// The package in the bundlers people use, installed from its tarball into a fresh project: a tiny
// app (`import init, { … } from "siren-engine"`) bundled by esbuild, Vite, webpack 5 (what
// @wordpress/scripts runs) and Rollup, each bundle opened in Debian's Chromium over a local server,
// with the exact page text and no page error asserted; and an esbuild bundle for Node, run with
// node. The app also checks, in the page, the coded errors before init() and after free().
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, readFileSync, readdirSync, rmSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startServer } from "../../scripts/serve.mjs";
import { installedProject, writeFiles, root, pkgDir } from "./fixture.mjs";

// The bundlers are the repository's devDependencies; the app resolves "siren-engine" from its own
// node_modules, as a user's would.
const require = createRequire(join(root, "package.json"));
const node = require(join(pkgDir, "node/index.cjs"));

/** The app's body, after its imports: the same in every bundle. `initArgs` is what init() gets. */
const appBody = (initArgs) => `
const out = {};
try {
  validateRecipe({ version: 1 });
  out.beforeInit = "no error";
} catch (e) {
  out.beforeInit = { isError: e instanceof Error, code: e.code, path: e.path };
}
await init(${initArgs});
const samePromise = init() === init();
const handle = new Engine();
out.engine = { instanceOf: handle instanceof Engine, eventCount: handle.eventCount, samePromise };
handle.free();
handle.free();
try {
  handle.preview({});
  out.afterFree = "no error";
} catch (e) {
  out.afterFree = { isError: e instanceof Error, code: e.code, path: e.path };
}
out.version = version();
out.report = validateRecipe({ version: 1 });
document.body.textContent = JSON.stringify(out);
`;
const IMPORT = `import init, { validateRecipe, version, Engine } from "siren-engine";\n`;

/** What every page must show: computed with the Node build of the same package. */
const expected = JSON.stringify({
  beforeInit: { isError: true, code: "engine.notInitialized", path: "" },
  engine: { instanceOf: true, eventCount: 0, samePromise: true },
  afterFree: { isError: true, code: "engine.freed", path: "" },
  version: node.version(),
  report: node.validateRecipe({ version: 1 }),
});

const page = (script, module = true) =>
  `<!doctype html>\n<html><head><meta charset="utf-8"><title>app</title></head><body><script ${module ? 'type="module" ' : ""}src="${script}"></script></body></html>\n`;

let project, out, server, origin, context, profile;
const built = {}; // bundler -> {warnings, files} or {error}
const timings = {};

async function timed(name, fn) {
  const start = performance.now();
  try {
    built[name] = await fn();
  } catch (error) {
    built[name] = { error };
  }
  timings[name] = Math.round(performance.now() - start);
}

before(async () => {
  project = installedProject("siren-bundlers-");
  out = join(project.dir, "out");
  writeFiles(project.dir, {
    "main.js": IMPORT + appBody(""),
    // esbuild does not turn `new URL(…, import.meta.url)` into an asset: its `file` loader does,
    // for the .wasm the package exports as a subpath.
    "main-esbuild.js": IMPORT + `import wasmUrl from "siren-engine/siren_engine_bg.wasm";\n` + appBody("wasmUrl"),
    "index.html": page("./main.js"),
    "node-app.js": `import init, { validateRecipe, version, Engine } from "siren-engine";
init().then(() => {
  const handle = new Engine();
  handle.free();
  let afterFree;
  try { handle.preview({}); } catch (e) { afterFree = e.code; }
  console.log(JSON.stringify({ version: version(), report: validateRecipe({ version: 1 }), afterFree }));
});
`,
  });

  await timed("esbuild", async () => {
    const esbuild = require("esbuild");
    const result = await esbuild.build({
      absWorkingDir: project.dir, entryPoints: ["main-esbuild.js"], bundle: true, format: "esm", platform: "browser",
      outfile: join(out, "esbuild/main.js"), loader: { ".wasm": "file" }, logLevel: "silent",
    });
    writeFiles(join(out, "esbuild"), { "index.html": page("./main.js") });
    return { warnings: result.warnings.map((w) => w.text) };
  });
  await timed("Vite", async () => {
    const vite = await import(require.resolve("vite"));
    const warnings = [];
    const logger = vite.createLogger("warn");
    logger.warn = (msg) => warnings.push(msg);
    logger.warnOnce = (msg) => warnings.push(msg);
    // base "./": the page is served from /vite/, not from the server's root.
    await vite.build({ root: project.dir, base: "./", configFile: false, logLevel: "warn", customLogger: logger, build: { outDir: join(out, "vite"), emptyOutDir: true } });
    return { warnings };
  });
  await timed("webpack", async () => {
    const webpack = require("webpack");
    const stats = await new Promise((resolve, reject) =>
      webpack({
        mode: "production", context: project.dir, entry: "./main.js", target: "web",
        output: { path: join(out, "webpack"), filename: "main.js" },
        // The .wasm is ~1 MB: the size hint is not what this test is about.
        performance: { hints: false },
      }, (error, stats) => (error ? reject(error) : resolve(stats))));
    const info = stats.toJson({ all: false, errors: true, warnings: true });
    if (info.errors.length) throw new Error(info.errors.map((e) => e.message).join("\n"));
    // A classic script, as @wordpress/scripts emits them.
    writeFiles(join(out, "webpack"), { "index.html": page("./main.js", false) });
    return { warnings: info.warnings.map((w) => w.message) };
  });
  await timed("Rollup", async () => {
    const { rollup } = await import(require.resolve("rollup"));
    const { nodeResolve } = await import(require.resolve("@rollup/plugin-node-resolve"));
    const { importMetaAssets } = await import(require.resolve("@web/rollup-plugin-import-meta-assets"));
    const warnings = [];
    const bundle = await rollup({
      input: join(project.dir, "main.js"),
      plugins: [nodeResolve({ browser: true }), importMetaAssets()],
      onwarn: (warning) => warnings.push(String(warning.message)),
    });
    await bundle.write({ dir: join(out, "rollup"), format: "es" });
    await bundle.close();
    writeFiles(join(out, "rollup"), { "index.html": page("./main.js") });
    return { warnings };
  });
  await timed("esbuild for Node", async () => {
    const esbuild = require("esbuild");
    const result = await esbuild.build({
      absWorkingDir: project.dir, entryPoints: ["node-app.js"], bundle: true, platform: "node", format: "cjs",
      outfile: join(out, "node/app.cjs"), logLevel: "silent",
    });
    // The Node build reads siren_engine_bg.wasm next to its code (__dirname): next to the bundle.
    copyFileSync(join(project.dir, "node_modules/siren-engine/node/siren_engine_bg.wasm"), join(out, "node/siren_engine_bg.wasm"));
    return { warnings: result.warnings.map((w) => w.text) };
  });

  timings.chromium = -performance.now();
  ({ server } = await startServer({ port: 0, root: out }));
  origin = `http://127.0.0.1:${server.address().port}`;
  // As tests/browser/chromium.mjs launches it: headless, fresh profile, offline.
  profile = mkdtempSync(join(tmpdir(), "siren-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  timings.chromium = Math.round(timings.chromium + performance.now());
});

after(async () => {
  await context?.close();
  server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  project?.close();
  console.log(`# timings (ms): ${JSON.stringify(timings)}`);
});

/** Opens `path` in a fresh page; `{text, problems}` once the app has written its result. */
async function openApp(path) {
  const page = await context.newPage();
  const problems = [];
  const requested = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => ["error", "warning"].includes(m.type()) && problems.push(`console ${m.type()}: ${m.text()}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  page.on("response", (r) => {
    requested.push(r.url());
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => {
    problems.push(`outside request: ${route.request().url()}`);
    return route.abort();
  });
  try {
    await page.goto(`${origin}${path}`);
    await page.waitForFunction(() => document.body?.textContent?.startsWith("{"), null, { timeout: 15_000 }).catch(() => {});
    return { text: await page.evaluate(() => document.body.textContent), problems, requested };
  } finally {
    await page.close();
  }
}

for (const [bundler, dir] of [["esbuild", "esbuild"], ["Vite", "vite"], ["webpack", "webpack"], ["Rollup", "rollup"]]) {
  test(`${bundler}: the bundled app loads the engine in Chromium and gets coded errors before init() and after free()`, async () => {
    const result = built[bundler];
    assert.ifError(result.error);
    assert.deepEqual(result.warnings, [], `${bundler} warned`);
    const files = readdirSync(join(out, dir), { recursive: true }).map(String);
    const wasm = files.filter((f) => f.endsWith(".wasm"));
    assert.equal(wasm.length, 1, `one .wasm emitted: ${files.join(", ")}`);
    // Nothing of the Node build (fs, the synchronous loader) reached the browser bundle.
    for (const js of files.filter((f) => f.endsWith(".js"))) {
      assert.doesNotMatch(readFileSync(join(out, dir, js), "utf8"), /readFileSync|siren_engine_bg\.wasm`|__dirname/, js);
    }
    const { text, problems, requested } = await openApp(`/${dir}/`);
    assert.deepEqual(problems, []);
    assert.equal(text, expected);
    assert.ok(requested.some((url) => url.endsWith(wasm[0].split("/").pop())), `the page fetched ${wasm[0]}: ${requested.join(", ")}`);
  });
}

test("esbuild --platform=node: the bundle runs with node, given the .wasm copied next to it", () => {
  const result = built["esbuild for Node"];
  assert.ifError(result.error);
  assert.deepEqual(result.warnings, []);
  // Run from another folder, without node_modules in reach: the bundle is self-contained.
  const elsewhere = mkdtempSync(join(tmpdir(), "siren-node-bundle-"));
  try {
    const copy = join(elsewhere, "app.cjs");
    copyFileSync(join(out, "node/app.cjs"), copy);
    copyFileSync(join(out, "node/siren_engine_bg.wasm"), join(elsewhere, "siren_engine_bg.wasm"));
    const stdout = execFileSync(process.execPath, [copy], { cwd: tmpdir(), encoding: "utf8" });
    assert.equal(stdout.trim(), JSON.stringify({ version: node.version(), report: node.validateRecipe({ version: 1 }), afterFree: "engine.freed" }));
    // Without the .wasm next to it, the failure names the file it looked for.
    rmSync(join(elsewhere, "siren_engine_bg.wasm"));
    assert.throws(() => execFileSync(process.execPath, [copy], { cwd: tmpdir(), encoding: "utf8", stdio: "pipe" }), (e) => /siren_engine_bg\.wasm/.test(e.stderr));
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});
