// CommonJS entry for Node (`require("siren-engine")`; index.mjs re-exports it for `import`).
// wasm-bindgen's Node build loads the .wasm synchronously, so every function is ready on require;
// `init()` exists so that code shared with browsers (`await init()`) runs unchanged. The bulk
// `Engine` is wasm-bindgen's class with coded errors after `free()` (guards.cjs); every call first
// checks the JS stack (`needStack`).
"use strict";
const raw = require("./siren_engine.js");
const { guardEngine, needStack } = require("./guards.cjs");

const Engine = guardEngine(raw.Engine, () => {});
const ready = Promise.resolve();

module.exports = {
  validateRecipe: (recipe, options) => (needStack(), raw.validateRecipe(recipe, options)),
  validateDistributorConfig: (config, options) => (needStack(), raw.validateDistributorConfig(config, options)),
  nextRuns: (input) => (needStack(), raw.nextRuns(input)),
  previewScores: (input) => (needStack(), raw.previewScores(input)),
  simulate: (input) => (needStack(), raw.simulate(input)),
  compare: (input) => (needStack(), raw.compare(input)),
  version: () => (needStack(), raw.version()),
  Engine,
  /** Resolves at once: in Node the module is loaded on require. Arguments are ignored. */
  init: () => ready,
  /** Does nothing: in Node the module is loaded on require. */
  initSync: () => {},
};
