// Types of node/index.cjs (Node, `require`): the Node build's API (its .d.ts, generated from
// crates/siren-wasm/siren_engine.d.ts), plus the `init` that code shared with browsers calls.
export * from "./siren_engine.js";

/** Resolves at once: in Node the engine is loaded when the package is required. The argument is ignored. */
export declare function init(input?: unknown): Promise<void>;
/** Does nothing in Node: the engine is loaded when the package is required. */
export declare function initSync(input?: unknown): void;
