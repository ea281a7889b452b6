// Entry for browsers and bundlers (every environment but Node): wasm-bindgen's web build, which
// must fetch and compile the .wasm before the first call. `await init()` once (import init from
// "siren-engine"); a call before that throws an Error with code "engine.notInitialized" (the raw
// build fails on an internal: "Cannot read properties of undefined (reading '__wbindgen_free')").
// init() names the .wasm with `new URL("./web/siren_engine_bg.wasm", import.meta.url)`, which
// Vite, webpack and Rollup (with an import-meta-assets plugin) turn into an emitted asset.
import initWeb, * as web from "./web/siren_engine.js";
import { engineError, guardEngine, needStack } from "./guards.mjs";

let loaded = false;
let loading;

/** Throws engine.notInitialized unless the module is instantiated (by init() here, or by the
 * web build's own init from "siren-engine/web", which shares this instance). */
function needLoaded(what) {
  try {
    web.version();
    loaded = true;
  } catch {
    throw engineError("engine.notInitialized",
      `${what} was called before the engine was loaded: call \`await init()\` first (import init from "siren-engine"); it fetches and compiles the .wasm once`);
  }
}

/** wasm-bindgen's init takes `{module_or_path}` (a bare value is deprecated and warns): both are accepted here. */
const plain = (value) => value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype;

/**
 * Loads the engine: fetches and compiles the .wasm, once. Every call returns the same promise (a
 * failed load is retried by the next call). `input` is what wasm-bindgen's init takes: a URL or
 * path of the .wasm, a Response, its bytes, a WebAssembly.Module, a promise of one of these, or
 * `{module_or_path}`; by default the .wasm shipped next to the web build.
 */
export default function init(input) {
  if (loading === undefined) {
    const options = input === undefined
      ? { module_or_path: new URL("./web/siren_engine_bg.wasm", import.meta.url) }
      : plain(input) ? input : { module_or_path: input };
    loading = initWeb(options).then(() => {
      loaded = true;
    });
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}
export { init };

/** Loads the engine synchronously from the .wasm's bytes or a compiled WebAssembly.Module (or `{module}`). */
export function initSync(module) {
  web.initSync(plain(module) ? module : { module });
  loaded = true;
}

export function validateRecipe(recipe, options) {
  if (!loaded) needLoaded("validateRecipe()");
  needStack();
  return web.validateRecipe(recipe, options);
}
export function validateDistributorConfig(config, options) {
  if (!loaded) needLoaded("validateDistributorConfig()");
  needStack();
  return web.validateDistributorConfig(config, options);
}
export function nextRuns(input) {
  if (!loaded) needLoaded("nextRuns()");
  needStack();
  return web.nextRuns(input);
}
export function previewScores(input) {
  if (!loaded) needLoaded("previewScores()");
  needStack();
  return web.previewScores(input);
}
export function simulate(input) {
  if (!loaded) needLoaded("simulate()");
  needStack();
  return web.simulate(input);
}
export function compare(input) {
  if (!loaded) needLoaded("compare()");
  needStack();
  return web.compare(input);
}
export function version() {
  if (!loaded) needLoaded("version()");
  needStack();
  return web.version();
}
export const Engine = guardEngine(web.Engine, () => {
  if (!loaded) needLoaded("new Engine()");
});
