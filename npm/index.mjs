// ES module entry for Node: the CommonJS build loads the .wasm synchronously, so `import`
// users get the same ready-to-call functions.
import engine from "./node/siren_engine.js";

export const { validateRecipe, validateDistributorConfig, nextRuns, previewScores, simulate, compare, version, Engine } = engine;
export default engine;
