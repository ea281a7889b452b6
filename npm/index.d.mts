// Types of index.mjs (Node, `import`): the CommonJS entry's, with `init` as the default export.
export * from "./node/index.cjs";
import { init } from "./node/index.cjs";
export default init;
