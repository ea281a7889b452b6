// The package's thin layer over wasm-bindgen's output, shared by the browser entry (browser.mjs
// imports this file) and the Node entries (scripts/build.sh copies it as node/guards.cjs with
// CommonJS exports). It turns the misuses wasm-bindgen reports with its internals ("null pointer
// passed to rust", "reading '__wbindgen_free'") into Errors with a `code` and a `path`, like every
// error the engine throws. No data is copied: a guarded call is one flag test, then the real call.

/** An Error shaped like the engine's: `code`, and `path` "" (the problem is in no input). */
export function engineError(code, message) {
  const error = new Error(message);
  error.code = code;
  error.path = "";
  return error;
}

/** Stack every call needs left when it starts: js/convert.js `STACK_RESERVE_BYTES`. */
const RESERVE = new Array((192 * 1024) / 8).fill(0);
const nothing = () => undefined;
const STACK_MESSAGE = "Too little JS stack was left to run this call safely (it was made from deep recursion); nothing was read or changed. Call it again from a shallower stack.";
/** Thrown when even creating a new Error fails for want of stack. */
const STACK_ERROR = engineError("resources.stackExhausted", STACK_MESSAGE);

/**
 * Throws `resources.stackExhausted` unless the JS stack has room for a whole call (192 KiB,
 * pushed as arguments). The binding makes the same check inside, but wasm-bindgen's glue runs
 * before it and could run out of stack itself; checked here first, a call with too little stack
 * never reaches the glue.
 */
export function needStack() {
  try {
    Reflect.apply(nothing, undefined, RESERVE);
  } catch {
    let error = STACK_ERROR;
    try {
      error = engineError("resources.stackExhausted", STACK_MESSAGE);
    } catch {
      // No stack for a new Error either: the shared one.
    }
    throw error;
  }
}

/**
 * wasm-bindgen's `Engine` class, subclassed: after `free()` every method and getter throws
 * `engine.freed` (the raw class throws "null pointer passed to rust"), every call first checks
 * the stack (`needStack`), and `free()` again is a no-op, as `using` and a later `free()` need. `beforeNew()` runs first in the constructor (the
 * browser entry checks there that the module is loaded). `instanceof` holds for both classes.
 */
export function guardEngine(RawEngine, beforeNew) {
  const freed = (member) =>
    engineError("engine.freed", `Engine.${member}: this Engine was freed (free() released its memory); create a new Engine() to load records again`);
  class Engine extends RawEngine {
    #freed = false;
    constructor() {
      beforeNew();
      needStack();
      super();
    }
    loadEventsColumns(columns) {
      if (this.#freed) throw freed("loadEventsColumns()");
      needStack();
      return super.loadEventsColumns(columns);
    }
    stageEvents(count, withPoints) {
      if (this.#freed) throw freed("stageEvents()");
      needStack();
      return super.stageEvents(count, withPoints);
    }
    loadStagedEvents(tables) {
      if (this.#freed) throw freed("loadStagedEvents()");
      needStack();
      return super.loadStagedEvents(tables);
    }
    loadEvents(events) {
      if (this.#freed) throw freed("loadEvents()");
      needStack();
      return super.loadEvents(events);
    }
    loadTransactionsColumns(columns) {
      if (this.#freed) throw freed("loadTransactionsColumns()");
      needStack();
      return super.loadTransactionsColumns(columns);
    }
    loadTransactions(transactions) {
      if (this.#freed) throw freed("loadTransactions()");
      needStack();
      return super.loadTransactions(transactions);
    }
    get eventCount() {
      if (this.#freed) throw freed("eventCount");
      needStack();
      return super.eventCount;
    }
    get transactionCount() {
      if (this.#freed) throw freed("transactionCount");
      needStack();
      return super.transactionCount;
    }
    preview(input) {
      if (this.#freed) throw freed("preview()");
      needStack();
      return super.preview(input);
    }
    simulate(input) {
      if (this.#freed) throw freed("simulate()");
      needStack();
      return super.simulate(input);
    }
    compare(input) {
      if (this.#freed) throw freed("compare()");
      needStack();
      return super.compare(input);
    }
    free() {
      if (this.#freed) return;
      this.#freed = true;
      super.free();
    }
  }
  if (typeof Symbol.dispose === "symbol") Engine.prototype[Symbol.dispose] = Engine.prototype.free;
  return Engine;
}
