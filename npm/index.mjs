// ES module entry for Node (`import … from "siren-engine"`): the CommonJS entry's functions, ready
// to call (wasm-bindgen's Node build loads the .wasm synchronously). The default export is
// `init`, which resolves at once here, so `import init, { … } from "siren-engine"; await init();`
// runs unchanged in Node and in browsers.
import engine from "./node/index.cjs";

export const { validateRecipe, validateDistributorConfig, nextRuns, previewScores, simulate, compare, version, Engine, init, initSync } = engine;
export default init;
