// Types of browser.mjs (browsers and bundlers): the web build's API (its .d.ts, generated from
// crates/siren-wasm/siren_engine.d.ts), with this entry's init.
export * from "./web/siren_engine.js";
import type { InitInput, SyncInitInput } from "./web/siren_engine.js";
export type { InitInput, SyncInitInput };

/**
 * Loads the engine: fetches and compiles the .wasm, once; call and await it before any other
 * function or `new Engine()` (which otherwise throw an EngineError with code
 * "engine.notInitialized"). Every call returns the same promise. `input`: where the .wasm is (a
 * URL or path), a Response, its bytes, a WebAssembly.Module, a promise of one of these, or
 * `{module_or_path}`; by default the .wasm shipped in the package (bundlers emit it as an asset).
 */
declare function init(input?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<void>;
export default init;
export { init };
/** Loads the engine synchronously from the .wasm's bytes or a compiled module (or `{module}`). */
export declare function initSync(module: { module: SyncInitInput } | SyncInitInput): void;
