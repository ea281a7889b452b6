// JS-side conversions for the binding layer (src/lib.rs): reading untrusted JS values can run
// user code (getters, Proxy traps, toJSON) that throws, and a JS exception must never cross the
// wasm frames (it would skip the wasm code's epilogues: the shadow stack pointer, the borrow
// flags and the allocations of the call would stay as they were, for good). Everything here runs
// inside try/catch and returns plain data describing the outcome; no decision about the domain
// is taken here.
//
// Typed arrays are checked with intrinsics taken when this module loads, which the caller cannot
// override on the value or on its prototype chain: `ArrayBuffer.isView`, the exact prototype,
// and the `length`, `at` and `set` of %TypedArray%.prototype called with Reflect.apply (never
// `value.length`). Only then does the binding allocate the column, from that checked length, and
// `copyColumn` fill it.

const apply = Reflect.apply;
const getPrototypeOf = Object.getPrototypeOf;
const isView = ArrayBuffer.isView;
const isArray = Array.isArray;
/** `Array.from` called on `Array` itself (what `Array.from(x)` does): the same plain array, but
 * V8 copies a plain array several times faster with that receiver than with none. */
const arrayFrom = Array.from.bind(Array);
const stringify = JSON.stringify;
const parse = JSON.parse;
const keysOf = Object.keys;
const defineProperty = Object.defineProperty;
const ObjectPrototype = Object.prototype;
const U32 = Uint32Array;
const TypedArrayPrototype = getPrototypeOf(Uint8Array.prototype);
const accessor = (object, name) => Object.getOwnPropertyDescriptor(object, name).get;
const typedLength = accessor(TypedArrayPrototype, "length");
const typedName = accessor(TypedArrayPrototype, Symbol.toStringTag);
const typedAt = TypedArrayPrototype.at;
const typedSet = TypedArrayPrototype.set;

// ---------------------------------------------------------------------------------------------
// Stack

/** Stack every call needs left when it starts: the deepest input the limits allow (128 levels)
 * through the JS helpers and the engine, with a margin (see docs/security.md). */
const STACK_RESERVE_BYTES = 192 * 1024;
/** Pushed as arguments by `stackCheck`: each takes 8 bytes of stack in every engine. */
const RESERVE = new Array(STACK_RESERVE_BYTES / 8).fill(0);
const nothing = () => undefined;
const STACK_CODE = "resources.stackExhausted";
const STACK_MESSAGE = "Too little JS stack was left to run this call safely (it was made from deep recursion); nothing was read or changed. Call it again from a shallower stack.";
/** The error when even creating a new one fails for want of stack. */
const STACK_ERROR = stackError();

function stackError() {
  const error = new Error(STACK_MESSAGE);
  error.code = STACK_CODE;
  error.path = "";
  return error;
}

/**
 * `undefined` when `STACK_RESERVE_BYTES` of stack are left here, else an Error with `code`
 * `resources.stackExhausted` to throw. The binding calls it first in every exported function, so
 * that nothing deeper (the engine's own frames, the JS helpers, wasm-bindgen's glue) can run out
 * of stack with the call half done. Never throws once entered.
 */
export function stackCheck() {
  try {
    apply(nothing, undefined, RESERVE);
    return undefined;
  } catch {
    try {
      return stackError();
    } catch {
      return STACK_ERROR;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// JSON input

const NON_FINITE = Symbol("non-finite number");
/** An input's JSON text longer than this many UTF-16 units has more bytes than the engine reads
 * (`limits::MAX_INPUT_BYTES`), so it is refused before it is copied. */
const MAX_INPUT_UNITS = 256 * 1024 * 1024;
/** `limits::MAX_DEPTH`. */
const MAX_DEPTH = 128;

function finiteOnly(_key, value) {
  if (typeof value === "number" && !Number.isFinite(value)) throw NON_FINITE;
  return value;
}

/** RFC 6901 token. */
const token = (key) => String(key).replaceAll("~", "~0").replaceAll("/", "~1");

/** The most values `pathOfNonFinite` and `deeperThanLimit` visit: they read the value again,
 * and a getter may hand them something else than JSON.stringify saw. */
const MAX_VISITS = 1 << 24;

/** The JSON Pointer of the first NaN or ±Infinity in a value JSON.stringify can otherwise read
 * ("" when not found within `MAX_VISITS` values). Own keys only: an array's `length` is never
 * walked, so a sparse array of 2^32 − 1 entries costs what it holds. */
function pathOfNonFinite(root) {
  const stack = [[root, ""]];
  const seen = new Set();
  for (let visits = 0; stack.length > 0 && visits < MAX_VISITS; visits++) {
    const [value, path] = stack.pop();
    if (typeof value === "number" && !Number.isFinite(value)) return path;
    if (value === null || typeof value !== "object" || seen.has(value)) continue;
    seen.add(value);
    const keys = keysOf(value);
    for (let i = keys.length - 1; i >= 0; i--) stack.push([value[keys[i]], `${path}/${token(keys[i])}`]);
  }
  return "";
}

/**
 * Whether `root`, read as JSON.stringify reads it (`toJSON` included), nests arrays and objects
 * deeper than `MAX_DEPTH`: one iterative pass that stops at the first container past the limit
 * (or after `MAX_VISITS` values: not found deep).
 */
function deeperThanLimit(root) {
  const stack = [[root, 1]];
  const seen = new Set();
  for (let visits = 0; stack.length > 0 && visits < MAX_VISITS; visits++) {
    let [value, depth] = stack.pop();
    if (value !== null && typeof value === "object" && typeof value.toJSON === "function") value = value.toJSON();
    if (value === null || typeof value !== "object" || seen.has(value)) continue;
    if (depth > MAX_DEPTH) return true;
    seen.add(value);
    for (const key of keysOf(value)) stack.push([value[key], depth + 1]);
  }
  return false;
}

/** A lone surrogate: half of a UTF-16 pair (a name cut mid-emoji), which has no UTF-8 form. */
const LONE_SURROGATE = /\p{Cs}/u;
const wellFormedText = typeof "".isWellFormed === "function" ? (s) => s.isWellFormed() : (s) => !LONE_SURROGATE.test(s);
/** What JSON.stringify writes for a lone surrogate (`\ud800`), or JSON text may spell one with. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
/** Marks, on `loneSurrogatePath`'s stack, a member whose name holds a lone surrogate. */
const BAD_NAME = Symbol("member name with a lone surrogate");

/**
 * The JSON Pointer of the first string or member name (in document order) holding a lone
 * surrogate in the JSON `text`, or undefined when there is none. Such text would reach the engine
 * with each lone surrogate replaced by U+FFFD, so that two different ids became one: it is refused
 * instead, at the value. Costs two scans of the text unless one is found; JSON text that does not
 * parse is left to the engine, which locates its syntax error.
 */
function loneSurrogatePath(text) {
  if (wellFormedText(text) && !(text.includes("\\u") && SURROGATE_ESCAPE.test(text))) return undefined;
  let root;
  try {
    root = parse(text);
  } catch {
    return wellFormedText(text) ? undefined : "";
  }
  const stack = [[root, ""]];
  while (stack.length > 0) {
    const [value, path] = stack.pop();
    if (value === BAD_NAME) return path;
    if (typeof value === "string") {
      if (!wellFormedText(value)) return path;
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    const keys = keysOf(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      stack.push(wellFormedText(key) ? [value[key], `${path}/${token(key)}`] : [BAD_NAME, `${path}/${token(wellFormed(key))}`]);
    }
  }
  return undefined;
}

/**
 * The input as JSON text: `{text}` (a string as it is, anything else through JSON.stringify), or
 * `{problem, message, path}`: `nonFinite` (a NaN or Infinity that JSON would silently turn into
 * null), `tooDeep` (nested past the limit, found when JSON.stringify ran out of stack),
 * `tooLarge` (longer than the engine reads, or than a JS string can be), `notSerializable` (a
 * cycle, a BigInt, a throwing getter or Proxy trap), `notJson` (a function, a symbol),
 * `loneSurrogate` (a string or member name holding one, at its path).
 */
export function inputText(value) {
  try {
    // Without a replacer JSON.stringify is faster (49 against 80 ms for the sample year's
    // records). A NaN or Infinity would show as `null` in its text: text with a `null`, or a
    // value it refuses, is written again with the check, which says what is wrong as before.
    let text = value;
    if (typeof value !== "string") {
      try {
        text = stringify(value);
      } catch {
        text = null;
      }
      if (text === null || (typeof text === "string" && text.includes("null"))) text = stringify(value, finiteOnly);
    }
    if (text === undefined) return { problem: "notJson", message: `a ${typeof value}`, path: "" };
    if (text.length > MAX_INPUT_UNITS) return { problem: "tooLarge", message: `${text.length}`, path: "" };
    const lone = loneSurrogatePath(text);
    if (lone !== undefined) return { problem: "loneSurrogate", message: "", path: lone };
    return { text };
  } catch (e) {
    if (e === NON_FINITE) {
      let path = "";
      try {
        path = pathOfNonFinite(value);
      } catch {
        // The value changed under us (a getter); the root is the best location left.
      }
      return { problem: "nonFinite", message: "NaN or Infinity is not a number JSON can carry", path };
    }
    let message = "";
    try {
      message = e instanceof Error ? String(e.message) : String(e);
    } catch {
      message = "reading it threw";
    }
    if (e instanceof RangeError) {
      // JSON.stringify ran out of stack (a deep value, or a getter or toJSON that recursed) or
      // built a string longer than JS allows. Only a value nested past the limit is `tooDeep`.
      let deep = false;
      try {
        deep = deeperThanLimit(value);
      } catch {
        // A getter threw on the second read: not deep as far as can be told.
      }
      if (deep) return { problem: "tooDeep", message, path: "" };
      if (/string length/i.test(message)) return { problem: "tooLarge", message: "", path: "" };
    }
    return { problem: "notSerializable", message, path: "" };
  }
}

/**
 * `{length}` when `value` is a real `Uint8Array` (a subclass such as Node's `Buffer` too: its
 * bytes are read through the intrinsics, whatever it overrides) whose bytes can be read,
 * `{detached: true}` when its buffer was transferred, `{}` when it is not a `Uint8Array`.
 */
export function bytesOf(value) {
  try {
    if (!isView(value) || apply(typedName, value, []) !== "Uint8Array") return {};
    if (!attached(value)) return { detached: true };
    return { length: apply(typedLength, value, []) };
  } catch {
    return {};
  }
}

/** Whether a typed array's buffer still covers it: `at` validates the array first and throws
 * for a detached buffer, or a resizable one shrunk below it. */
function attached(array) {
  try {
    apply(typedAt, array, [0]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Copies the typed array `source` into `target` (a view of wasm memory the binding allocated
 * from the length this module checked): true when every element was copied, false when `source`
 * can no longer be read in full (detached, or resized since it was checked). Never throws.
 */
export function copyColumn(target, source) {
  try {
    if (apply(typedLength, source, []) !== apply(typedLength, target, [])) return false;
    apply(typedSet, target, [source]);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Columns

const TYPED = { Uint32Array, Uint16Array, Uint8Array, Float64Array };
/** The most entries a column or a string table is read with: the largest table limit (events,
 * lines and refunds: `limits::MAX_BULK_EVENTS`, `MAX_BULK_LINES`). Longer is `input.tooLarge`
 * before anything is copied. */
const MAX_ROWS = 20_000_000;

/** What each kind of column must be, as the error says it. */
const EXPECTED = {
  Uint32Array: "a Uint32Array (a subclass or a Proxy is not read)",
  Uint16Array: "a Uint16Array (a subclass or a Proxy is not read)",
  Uint8Array: "a Uint8Array (a subclass or a Proxy is not read)",
  Float64Array: "a Float64Array (a subclass or a Proxy is not read)",
  strings: "an array of strings, or {text, lengths} (the strings joined, each one's length in a Uint32Array)",
  nullableStrings: "an array of strings or nulls, or {text, lengths} (the strings joined, each one's length in a Uint32Array, 0xFFFFFFFF for a null)",
  nullableStringLists: "an array of arrays of strings, or nulls",
  scale: "a whole number from 0 to 28",
  ids: "an array of strings, {text, lengths} (the strings joined, each one's length in a Uint32Array), or a Float64Array or Uint32Array of whole numbers",
};

/** Thrown inside `readColumns` for a string holding a lone surrogate, at `at` within the column
 * (`"3"`, or `"3/1"` in a column of lists). */
class LoneSurrogate {
  constructor(at) {
    this.at = at;
  }
}

/** Thrown inside `readColumns` for an array longer than `MAX_ROWS`. */
class TooLong {
  constructor(length) {
    this.length = length;
  }
}

/** A real array's items as a plain array, after its length is checked. */
function itemsOf(value, limit) {
  const length = value.length;
  if (!(length <= limit)) throw new TooLong(length);
  return arrayFrom(value);
}

/** The length `packStrings` gives a null. */
const NULL_LENGTH = 0xffffffff;
/** A chunk ends after this many strings, or once its text reaches `PACK_CHARS`, so its text
 * stays far below V8's longest string (about 2^29 characters) whatever the strings' lengths. */
const PACK_CHUNK = 4096;
const PACK_CHARS = 1 << 24;

/**
 * Strings (or nulls), already checked, packed: `[{text, lengths, count}]`, each chunk's strings
 * joined, with their lengths in UTF-16 units (`NULL_LENGTH` for null) in a `Uint32Array` of
 * `count` entries. `items` is a plain array (reading it runs no user code).
 */
function packed(items) {
  const chunks = [];
  for (let start = 0; start < items.length; ) {
    const lengths = new U32(Math.min(PACK_CHUNK, items.length - start));
    let [count, chars] = [0, 0];
    while (count < lengths.length && chars < PACK_CHARS) {
      const item = items[start + count];
      if (item === null || item === undefined) {
        lengths[count] = NULL_LENGTH;
      } else {
        lengths[count] = item.length;
        chars += item.length;
      }
      count++;
    }
    // join writes null and undefined as nothing.
    const text = items.slice(start, start + count).join("");
    chunks.push({ text, lengths: count === lengths.length ? lengths : lengths.subarray(0, count), count });
    start += count;
  }
  return chunks;
}

/**
 * A string table packed for one crossing per chunk instead of two per string (BENCHMARKS.md):
 * the chunks of `packer`; undefined when an item is not a string (or null where allowed). A
 * string with a lone surrogate is refused (`LoneSurrogate`): copied, it would become U+FFFD, and
 * two different ids one.
 */
function packStrings(value, nullable) {
  if (!isArray(value)) return undefined;
  const items = itemsOf(value, MAX_ROWS); // a plain copy: reading it again runs no user code
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    if (nullable && (item === null || item === undefined)) continue;
    if (typeof item !== "string") return undefined;
    if (!wellFormedText(item)) throw new LoneSurrogate(String(index));
  }
  return packed(items);
}

const NOT_ASCII = /[^\x00-\x7f]/;

/**
 * A string table the caller gave packed, `{text, lengths}`: the strings joined in `text`, each
 * one's length in UTF-16 units in the `Uint32Array` `lengths` (`NULL_LENGTH` a null, where
 * allowed). Cut into `packed`'s chunks once checked: the lengths add up to the text's, and no
 * string holds a lone surrogate (`LoneSurrogate` at the first that does, as `packStrings`
 * says); `{detached: true}` when the lengths' buffer was detached; undefined when it is not that
 * shape or the lengths do not add up.
 */
function packedTable(value, nullable) {
  if (value === null || typeof value !== "object" || isArray(value)) return undefined;
  const [text, given] = [value.text, typedOf(value.lengths, "Uint32Array")];
  if (given?.detached) return given; // input.detached, as for a typed column
  if (typeof text !== "string" || given === undefined) return undefined;
  const lengths = new U32(given.array); // a copy: user code may run before it is read again
  const chunks = [];
  let at = 0;
  for (let start = 0; start < lengths.length; ) {
    let [count, from] = [0, at];
    while (count < PACK_CHUNK && start + count < lengths.length && at - from < PACK_CHARS) {
      const length = lengths[start + count];
      if (length === NULL_LENGTH ? !nullable : length > text.length - at) return undefined;
      if (length !== NULL_LENGTH) at += length;
      count++;
    }
    chunks.push({ text: text.slice(from, at), lengths: lengths.subarray(start, start + count), count });
    start += count;
  }
  if (at !== text.length) return undefined;
  if (NOT_ASCII.test(text)) {
    // Each string must be well formed on its own (the text may be, with a pair cut in two).
    at = 0;
    for (let index = 0; index < lengths.length; index++) {
      if (lengths[index] === NULL_LENGTH) continue;
      if (!wellFormedText(text.slice(at, (at += lengths[index])))) throw new LoneSurrogate(String(index));
    }
  }
  return chunks;
}

/**
 * A column of string lists packed as string tables are: `{sizes, count, strings}`, `sizes` a
 * `Uint32Array` of each of the `count` lists' lengths (a null list is empty: 0), `strings` every
 * list's strings in order, packed (`packer`, no nulls); undefined when it is not an array, or a
 * list is not an array of strings (or null). Each list is checked whole before the next: its
 * items' types, then lone surrogates (`LoneSurrogate` at `"3/1"`: list 3, string 1), and no list
 * may take the strings past `MAX_ROWS` (`TooLong`, the list's length). A list met again (the
 * same array, as readers that share equal lists give) is read once: its checked copy is reused.
 */
function packStringLists(value) {
  if (!isArray(value)) return undefined;
  const lists = itemsOf(value, MAX_ROWS);
  const sizes = new U32(lists.length);
  const all = [];
  const checked = new Map();
  let total = 0;
  for (let index = 0; index < lists.length; index++) {
    const list = lists[index];
    if (list === null || list === undefined) continue;
    let items = checked.get(list);
    if (items === undefined) {
      if (!isArray(list)) return undefined;
      items = itemsOf(list, MAX_ROWS - total); // a plain copy, as in `packStrings`
      for (let i = 0; i < items.length; i++) if (typeof items[i] !== "string") return undefined;
      for (let i = 0; i < items.length; i++) {
        if (!wellFormedText(items[i])) throw new LoneSurrogate(`${index}/${i}`);
      }
      checked.set(list, items);
    } else if (!(items.length <= MAX_ROWS - total)) {
      throw new TooLong(items.length);
    }
    for (let i = 0; i < items.length; i++) all[all.length] = items[i];
    sizes[index] = items.length;
    total += items.length;
  }
  return { sizes, count: lists.length, strings: packed(all) };
}

/** `s` with each lone surrogate replaced by U+FFFD (`toWellFormed`, where the engine has it). */
function wellFormed(s) {
  if (typeof s.toWellFormed === "function") return s.toWellFormed();
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/**
 * A typed column checked for the binding to copy: `{array, length, kind}` when `value` is a real
 * typed array of exactly `kind` (not a subclass, a Proxy or a look-alike) whose buffer covers
 * it, `{detached: true}` when it is of that kind but its buffer was transferred or shrunk,
 * undefined otherwise. Nothing here runs user code.
 */
function typedOf(value, kind) {
  if (!isView(value) || getPrototypeOf(value) !== TYPED[kind].prototype) return undefined;
  if (!attached(value)) return { detached: true };
  const length = apply(typedLength, value, []);
  if (length > MAX_ROWS) throw new TooLong(length);
  return { array: value, length, kind };
}

/** One column's plain copy (or checked typed array), or undefined when it is not of its kind. */
function columnOf(value, kind) {
  if (kind === "ids") {
    return typedOf(value, "Float64Array") ?? typedOf(value, "Uint32Array") ?? (isArray(value) ? packStrings(value, false) : packedTable(value, false));
  }
  if (kind in TYPED) return typedOf(value, kind);
  if (kind === "strings" || kind === "nullableStrings") {
    const nullable = kind === "nullableStrings";
    return isArray(value) ? packStrings(value, nullable) : packedTable(value, nullable);
  }
  if (kind === "scale") return Number.isInteger(value) && value >= 0 && value <= 28 ? value : undefined;
  return packStringLists(value); // nullableStringLists
}

/**
 * Reads columns into plain data the binding can read without running user code: `{columns}`
 * or `{problem: field, expected}`, `{problem: field, detached: true}`, `{problem: field,
 * tooLarge: length}` or `{problem: field, loneSurrogate: "3"}` (the string's place in the column). `fields` lists `[name, kind, optional]`; typed arrays are checked, not
 * copied (`typedOf`: the binding copies them with `copyColumn`), string tables are packed
 * (`packStrings`), and so are columns of string lists (`packStringLists`).
 */
function readColumns(input, fields) {
  let field = "";
  try {
    if (input === null || typeof input !== "object") return { problem: "", expected: "an object of typed arrays" };
    const columns = {};
    // What the copies will take (the binding checks it fits in memory before copying): bytes of
    // typed arrays, strings (and lists), and their UTF-16 units.
    let [bytes, strings, units] = [0, 0, 0];
    for (const [name, kind, optional] of fields) {
      field = name;
      const value = input[name];
      if (optional && (value === undefined || value === null)) continue;
      const copy = columnOf(value, kind);
      if (copy === undefined) return { problem: name, expected: EXPECTED[kind] ?? `a ${kind}` };
      if (copy.detached) return { problem: name, detached: true };
      columns[name] = copy;
      if (copy.array !== undefined) {
        bytes += copy.length * TYPED[copy.kind].BYTES_PER_ELEMENT;
      } else if (kind === "nullableStringLists") {
        // Each list is a vector (counted as a string) with a length; then its strings.
        strings += copy.count;
        bytes += copy.count * 4;
        for (const chunk of copy.strings) {
          strings += chunk.count;
          units += chunk.text.length;
          bytes += chunk.count * 4;
        }
      } else if (isArray(copy)) {
        for (const chunk of copy) {
          strings += chunk.count;
          units += chunk.text.length;
          bytes += chunk.count * 4;
        }
      }
    }
    return { columns, bytes, strings, units };
  } catch (e) {
    if (e instanceof TooLong) return { problem: field, tooLarge: String(e.length) };
    if (e instanceof LoneSurrogate) return { problem: field, loneSurrogate: e.at };
    let message = "";
    try {
      message = e instanceof Error ? String(e.message) : String(e);
    } catch {
      message = "an unreadable value";
    }
    return { problem: field, expected: `readable (reading it threw: ${message})` };
  }
}

/** The event columns of `Engine.loadEventsColumns` (see `readColumns`). */
export function readEventColumns(input) {
  return readColumns(input, [
    ["collaboratorIndex", "Uint32Array"],
    ["typeIndex", "Uint16Array"],
    ["occurredAtMs", "Float64Array"],
    ["points", "Float64Array", true],
    ["collaboratorIds", "strings"],
    ["typeNames", "strings"],
    ["eventIds", "nullableStrings", true],
  ]);
}

/** The string tables of `Engine.loadStagedEvents` (see `readColumns`). */
export function readEventTables(input) {
  return readColumns(input, [
    ["collaboratorIds", "strings"],
    ["typeNames", "strings"],
    ["eventIds", "nullableStrings", true],
  ]);
}

const memoryBuffer = accessor(WebAssembly.Memory.prototype, "buffer");
const memoryGrow = WebAssembly.Memory.prototype.grow;

/**
 * The typed arrays `Engine.stageEvents` hands out: views of the engine's memory at the byte
 * offsets of the columns it allocated (`points` none when negative); undefined, never a throw,
 * if they cannot be made.
 */
export function stagedViews(memory, count, collaborators, types, instants, points) {
  try {
    const buffer = apply(memoryBuffer, memory, []);
    const views = { collaboratorIndex: new U32(buffer, collaborators, count), typeIndex: new TYPED.Uint16Array(buffer, types, count), occurredAtMs: new TYPED.Float64Array(buffer, instants, count) };
    if (points >= 0) views.points = new TYPED.Float64Array(buffer, points, count);
    return views;
  } catch {
    return undefined;
  }
}

/**
 * Detaches every typed array over the engine's memory (growing it by nothing does: the
 * WebAssembly JS API refreshes the buffer on every grow), so that the views a staging handed
 * out write nowhere once it has ended, rather than into memory the engine uses for something
 * else. wasm-bindgen's own views are made again when found detached. Never throws.
 */
export function detachViews(memory) {
  try {
    apply(memoryGrow, memory, [0]);
  } catch {
    // Nothing to detach from.
  }
}

/** The transaction columns of `Engine.loadTransactionsColumns` (see `readColumns`). */
export function readTransactionColumns(input) {
  return readColumns(input, [
    ["transactionIds", "ids"],
    ["occurredAtMs", "Float64Array"],
    ["statusIndex", "Uint8Array", true],
    ["statusNames", "strings", true],
    ["currencies", "nullableStrings", true],
    ["total", "Float64Array", true],
    ["amountScale", "scale"],
    ["lineTransactionIndex", "Uint32Array"],
    ["lineTypeIndex", "Uint8Array"],
    ["lineTypeNames", "strings", true],
    ["lineAmount", "Float64Array"],
    ["lineQuantity", "Uint32Array", true],
    ["lineSkus", "nullableStrings", true],
    ["lineCategories", "nullableStringLists", true],
    ["lineOwnerCollaboratorIds", "nullableStringLists", true],
    ["refundTransactionIndex", "Uint32Array", true],
    ["refundOccurredAtMs", "Float64Array", true],
    ["refundAmount", "Float64Array", true],
  ]);
}

// ---------------------------------------------------------------------------------------------
// Records as columns

// An operation's event and transaction objects read into columns (`objectColumns`), so they are
// not written as JSON text and read again: ids and types interned, timestamps and amounts kept
// as their text for the engine to read. Only what JSON text of the same objects would say
// member for member is read so; anything else leaves the input to JSON.stringify.

// Each a comparison per name, most frequent first: a member name from Object.keys is
// internalized, so each comparison is one of pointers (a Set lookup was a tenth of reading events).
const EVENT_KEYS = (k) => k === "collaboratorId" || k === "type" || k === "occurredAt" || k === "id" || k === "points";
const TRANSACTION_KEYS = (k) => k === "id" || k === "occurredAt" || k === "details" || k === "status" || k === "currency" || k === "total" || k === "refunds";
const DETAIL_KEYS = (k) => k === "type" || k === "amount" || k === "quantity" || k === "sku" || k === "categories" || k === "ownerCollaboratorIds";
const REFUND_KEYS = (k) => k === "occurredAt" || k === "amount";
const ANY_KEY = () => true;
const MAX_QUANTITY = 1_000_000_000;
const isSafeInteger = Number.isSafeInteger;

/** Thrown to leave the input to JSON.stringify. */
const UNREAD = Symbol("unread");

// A status and a line's type as their indexes in `bulk::transactions::STATUS_NAMES` and
// `LINE_TYPE_NAMES`, else UNREAD (not one of them: the engine says so). Compared one by one: a
// match is well formed, and no array is searched.

function statusOf(value) {
  const status = absent(value) || value === "complete" ? 0 : value === "refunded" ? 1 : value === "cancelled" ? 2 : -1;
  if (status < 0) throw UNREAD;
  return status;
}

function lineType(value) {
  const type = value === "product" ? 0 : value === "subscription" ? 1 : value === "fee" ? 2 : value === "discount" ? 3 : value === "shipping" ? 4 : value === "tax" ? 5 : -1;
  if (type < 0) throw UNREAD;
  return type;
}

/** A plain object JSON.stringify writes member by member, with only names `known` accepts among
 * its enumerable members (others JSON would not write are allowed). */
function recordOf(value, known) {
  if (value === null || typeof value !== "object" || isArray(value)) throw UNREAD;
  const prototype = getPrototypeOf(value);
  if ((prototype !== ObjectPrototype && prototype !== null) || typeof value.toJSON === "function") throw UNREAD;
  // Object.keys: the members JSON.stringify writes (own, enumerable, string-keyed).
  const names = keysOf(value);
  for (let i = 0; i < names.length; i++) {
    if (known(names[i])) continue;
    const type = typeof value[names[i]];
    if (type !== "undefined" && type !== "function" && type !== "symbol") throw UNREAD;
  }
  return value;
}

/** Absent, null, or a member JSON would not write. */
const absent = (value) => value === null || value === undefined || typeof value === "function" || typeof value === "symbol";

/** A well-formed string, else UNREAD. */
function text(value) {
  if (typeof value !== "string" || !wellFormedText(value)) throw UNREAD;
  return value;
}

/** An id as the engine reads it (a non-empty string, or a whole number as its digits), else
 * UNREAD: other values are for the engine to refuse. */
function idOf(value) {
  if (typeof value === "number" && isSafeInteger(value)) return String(value);
  const id = text(value);
  if (id === "") throw UNREAD;
  return id;
}

/** The text JSON would give an amount (a string, or a finite number), else UNREAD. Not checked
 * to be well formed: an amount is scaled here or by the core (`scaled_amounts`) only when it is
 * plain ASCII digits, and the binding gives any other to the input's JSON text. */
function amountText(value) {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") throw UNREAD;
  return value;
}

/** The number written by `s`'s `count` ASCII digits from `at`; -1 if one is not a digit. */
function digitsAt(s, at, count) {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const digit = s.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/** The last year `instantMs` met and the days before its first (records come in runs of a year). */
const yearOf = { year: NaN, days: 0 };

/** Days before each month's first in a common year. */
const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/**
 * A timestamp's instant in whole milliseconds when it has the common shape
 * `YYYY-MM-DDTHH:MM:SS[.s to .sss](Z|±HH:MM)` with every field in range; NaN for anything else
 * (other shapes, a leap second, finer fractions), which the engine's own reader
 * (`time::parse_timestamp`) then reads or refuses. Within that shape both give the same instant
 * (proleptic Gregorian, as chrono).
 */
function instantMs(s) {
  const n = s.length;
  if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  // Separate constants: destructuring arrays here costs a third of the time.
  const century = digitsAt(s, 0, 2);
  const ofCentury = digitsAt(s, 2, 2);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  const hour = digitsAt(s, 11, 2);
  const minute = digitsAt(s, 14, 2);
  const second = digitsAt(s, 17, 2);
  if (century < 0 || ofCentury < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  const year = century * 100 + ofCentury;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (day > daysInMonth) return NaN;
  let at = 19;
  let millis = 0;
  if (s.charCodeAt(at) === 46) {
    let count = 0;
    for (let digit = s.charCodeAt(at + 1) - 48; digit >= 0 && digit <= 9; digit = s.charCodeAt(at + 1 + ++count) - 48) {
      if (count === 3) return NaN;
      millis = millis * 10 + digit;
    }
    if (count === 0) return NaN;
    millis *= count === 1 ? 100 : count === 2 ? 10 : 1;
    at += 1 + count;
  }
  let offset = 0;
  const sign = s.charCodeAt(at);
  if (sign === 43 || sign === 45) {
    const hours = digitsAt(s, at + 1, 2);
    const minutes = digitsAt(s, at + 4, 2);
    if (n !== at + 6 || s.charCodeAt(at + 3) !== 58 || hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return NaN;
    offset = (sign === 45 ? -60_000 : 60_000) * (hours * 60 + minutes);
  } else if (sign !== 90 || n !== at + 1) {
    return NaN;
  }
  if (year !== yearOf.year) {
    // Days from 1970-01-01 to the year's first: 477 leap days fall in years 1 to 1969.
    const before = year - 1;
    yearOf.days = 365 * (year - 1970) + Math.floor(before / 4) - Math.floor(before / 100) + Math.floor(before / 400) - 477;
    yearOf.year = year;
  }
  const days = yearOf.days + DAYS_BEFORE[month - 1] + (month > 2 && leap ? 1 : 0) + day - 1;
  return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis - offset;
}

/** A typed column of numbers pushed one by one (a JS array of them, converted at the end, cost
 * a tenth of reading transactions more). */
class Numbers {
  constructor(Type, capacity = 1024) {
    this.array = new Type(capacity);
    this.length = 0;
  }
  push(value) {
    if (this.length === this.array.length) {
      const bigger = new this.array.constructor(2 * this.length + 16);
      bigger.set(this.array);
      this.array = bigger;
    }
    this.array[this.length++] = value;
  }
  column() {
    return this.array.subarray(0, this.length);
  }
}

/**
 * A column of timestamp texts read as they are pushed: whole milliseconds while each has the
 * common shape (`instantMs`), sent as a `Float64Array` (`column(name)`: `{[name + "Ms"]}`); from
 * the first that has not, texts, for the engine's own reader (`{[name]}`), those before it
 * written again by `toISOString` (the same instant, in a shape the engine reads so). No array of
 * the texts is kept meanwhile: at 10M events it was a tenth of the reading.
 */
class Instants {
  constructor(capacity) {
    this.ms = new Numbers(Float64Array, capacity);
    this.texts = null;
  }
  push(value) {
    if (typeof value !== "string") throw UNREAD;
    // `instantMs` reads ASCII only: a string it reads is well formed.
    const ms = this.texts === null ? instantMs(value) : NaN;
    if (ms === ms) {
      this.ms.push(ms);
      return;
    }
    this.texts ??= Array.from(this.ms.column(), (ms) => new Date(ms).toISOString());
    this.texts.push(text(value));
  }
  column(name) {
    return this.texts === null ? { [`${name}Ms`]: this.ms.column() } : { [name]: packed(this.texts) };
  }
}

/** `amount::MAX_AMOUNT_DECIMALS`. (At most 15 digits stay below `amount::MAX_AMOUNT`, 10^15.) */
const MAX_AMOUNT_DECIMALS = 12;
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * Amount texts (null: none) as whole numbers of 10^-scale units at one scale for all the
 * columns (the finest they need), as `bulk::scaled_amounts` reads them: `{columns, scale}` when
 * every amount is plain digits (no leading zero) with an optional fraction, of at most 15 digits
 * in all, and fits 2^53 at that scale (a missing amount is NaN); else undefined, and the engine
 * reads the texts.
 */
function scaledAmounts(columns) {
  const mantissas = [];
  const scales = [];
  let scale = 0;
  for (const texts of columns) {
    const [m, e] = [new Float64Array(texts.length), new Uint8Array(texts.length)];
    for (let i = 0; i < texts.length; i++) {
      const s = texts[i];
      if (s === null) {
        m[i] = NaN;
        continue;
      }
      const dot = s.indexOf(".");
      const whole = dot < 0 ? s.length : dot;
      let end = s.length;
      if (dot >= 0) while (end > dot + 1 && s.charCodeAt(end - 1) === 48) end--;
      const decimals = dot < 0 ? 0 : end - dot - 1;
      if (whole < 1 || whole > 15 || decimals > MAX_AMOUNT_DECIMALS || whole + decimals > 15 || (dot >= 0 && dot === s.length - 1)) return undefined;
      const units = digitsAt(s, 0, whole);
      const fraction = decimals === 0 ? 0 : digitsAt(s, dot + 1, decimals);
      // A leading zero is refused by the engine's reader ("007"); so is anything else here.
      if (units < 0 || fraction < 0 || (whole > 1 && s.charCodeAt(0) === 48)) return undefined;
      m[i] = units * POWERS_OF_TEN[decimals] + fraction;
      e[i] = decimals;
      if (decimals > scale) scale = decimals;
    }
    mantissas.push(m);
    scales.push(e);
  }
  for (let c = 0; c < mantissas.length; c++) {
    const [m, e] = [mantissas[c], scales[c]];
    for (let i = 0; i < m.length; i++) {
      if (m[i] !== m[i]) continue;
      m[i] *= POWERS_OF_TEN[scale - e[i]];
      if (!isSafeInteger(m[i])) return undefined;
    }
  }
  return { columns: mantissas, scale };
}

/** Interns `key` in `map`, giving each new key the next index. */
function intern(map, key) {
  let index = map.get(key);
  if (index === undefined) {
    index = map.size;
    map.set(key, index);
  }
  return index;
}

/** Interns an id as `idOf` reads it: a string met before was checked when it was first met. */
function internId(map, value) {
  const index = typeof value === "string" ? map.get(value) : undefined;
  return index === undefined ? intern(map, idOf(value)) : index;
}

function eventColumns(events) {
  const n = events.length;
  if (!(n <= MAX_ROWS)) throw UNREAD;
  const collaboratorIndex = new Uint32Array(n);
  const typeIndex = new Uint16Array(n);
  let points = null; // made at the first event with points: most have none
  const occurredAt = new Instants(n);
  let ids = null; // made at the first event with an id
  const collaborators = new Map();
  const types = new Map();
  for (let i = 0; i < n; i++) {
    const event = recordOf(events[i], EVENT_KEYS);
    collaboratorIndex[i] = internId(collaborators, event.collaboratorId);
    const type = event.type;
    let kind = typeof type === "string" ? types.get(type) : undefined;
    if (kind === undefined) {
      if (text(type) === "" || types.size > 0xffff) throw UNREAD;
      kind = intern(types, type);
    }
    typeIndex[i] = kind;
    occurredAt.push(event.occurredAt);
    const id = event.id;
    if (!absent(id)) {
      ids ??= new Array(n).fill(null);
      ids[i] = idOf(id);
    }
    const own = event.points;
    if (absent(own)) continue;
    if (type !== "manual" || !isSafeInteger(own) || own < 0) throw UNREAD;
    points ??= new Float64Array(n).fill(NaN);
    points[i] = own;
  }
  return {
    collaboratorIndex,
    typeIndex,
    ...occurredAt.column("occurredAt"),
    points: points ?? undefined,
    collaboratorIds: packed([...collaborators.keys()]),
    typeNames: packed([...types.keys()]),
    eventIds: ids === null ? undefined : packed(ids),
  };
}

/** The ids of a detail's list member (`categories`, `ownerCollaboratorIds`), added to `items`. */
function listOf(value, items) {
  if (absent(value)) return 0;
  if (!isArray(value) || typeof value.toJSON === "function") throw UNREAD;
  const length = value.length;
  if (!(length <= MAX_ROWS)) throw UNREAD;
  for (let k = 0; k < length; k++) items.push(idOf(value[k]));
  return length;
}

/** Where ids a line does not keep go: each is checked as the engine would check it (`idOf`, and
 * short enough to be within the engine's 1,024 bytes, else the engine's reader decides), not
 * kept. */
const UNKEPT = {
  push(id) {
    if (id.length > 341) throw UNREAD; // 1,024 bytes of UTF-8 at most (3 a UTF-16 unit)
  },
};

/** The transactions as columns; a line's sku, categories and owners are kept only with
 * `lineIds` (a line filter may read them: nothing else does). */
function transactionColumns(transactions, lineIds) {
  const n = transactions.length;
  if (!(n <= MAX_ROWS)) throw UNREAD;
  const ids = new Array(n);
  const occurredAt = new Instants(n);
  const statusIndex = new Uint8Array(n);
  const currencies = new Array(n);
  const totals = new Array(n);
  const lines = 2 * n; // a guess (orders of one to three lines): fewer copies as the columns grow
  const line = { transaction: new Numbers(U32, lines), type: new Numbers(Uint8Array, lines), amount: [], quantity: new Numbers(U32, lines), sku: [], categories: [], categoryCounts: new Numbers(U32), owners: [], ownerCounts: new Numbers(U32) };
  const refund = { transaction: new Numbers(U32), occurredAt: new Instants(0), amount: [] };
  let [anyCurrency, anySku] = [false, false];
  for (let t = 0; t < n; t++) {
    const sale = recordOf(transactions[t], TRANSACTION_KEYS);
    ids[t] = idOf(sale.id);
    occurredAt.push(sale.occurredAt);
    statusIndex[t] = statusOf(sale.status);
    currencies[t] = absent(sale.currency) ? null : text(sale.currency);
    anyCurrency ||= currencies[t] !== null;
    totals[t] = absent(sale.total) ? null : amountText(sale.total);
    const details = sale.details;
    // Columns without lines stand for the `{total}` form: no `details`, and a total.
    if (absent(details)) {
      if (totals[t] === null) throw UNREAD;
    } else {
      if (!isArray(details) || typeof details.toJSON === "function" || details.length === 0) throw UNREAD;
      for (let k = 0; k < details.length; k++) {
        const detail = recordOf(details[k], DETAIL_KEYS);
        line.transaction.push(t);
        line.type.push(lineType(detail.type));
        line.amount.push(amountText(detail.amount));
        const quantity = detail.quantity;
        if (!absent(quantity) && !(isSafeInteger(quantity) && quantity >= 0 && quantity <= MAX_QUANTITY)) throw UNREAD;
        line.quantity.push(absent(quantity) ? 1 : quantity);
        const sku = detail.sku;
        if (!lineIds) {
          if (!absent(sku)) UNKEPT.push(idOf(sku));
          listOf(detail.categories, UNKEPT);
          listOf(detail.ownerCollaboratorIds, UNKEPT);
          continue;
        }
        line.sku.push(absent(sku) ? null : idOf(sku));
        anySku ||= !absent(sku);
        line.categoryCounts.push(listOf(detail.categories, line.categories));
        line.ownerCounts.push(listOf(detail.ownerCollaboratorIds, line.owners));
      }
    }
    const refunds = sale.refunds;
    if (!absent(refunds)) {
      if (!isArray(refunds) || typeof refunds.toJSON === "function") throw UNREAD;
      for (let k = 0; k < refunds.length; k++) {
        const given = recordOf(refunds[k], REFUND_KEYS);
        refund.transaction.push(t);
        refund.occurredAt.push(given.occurredAt);
        refund.amount.push(absent(given.amount) ? null : amountText(given.amount));
      }
    }
  }
  const scaled = scaledAmounts([totals, line.amount, refund.amount]);
  const amounts = scaled
    ? { total: scaled.columns[0], lineAmount: scaled.columns[1], refundAmount: scaled.columns[2], amountScale: scaled.scale }
    : { total: packed(totals), lineAmount: packed(line.amount), refundAmount: packed(refund.amount) };
  return {
    transactionIds: packed(ids),
    ...occurredAt.column("occurredAt"),
    statusIndex,
    currencies: anyCurrency ? packed(currencies) : undefined,
    ...amounts,
    lineTransactionIndex: line.transaction.column(),
    lineTypeIndex: line.type.column(),
    lineQuantity: line.quantity.column(),
    lineSkus: anySku ? packed(line.sku) : undefined,
    lineCategories: lineIds ? packedLists(line.categories, line.categoryCounts) : undefined,
    lineOwnerCollaboratorIds: lineIds ? packedLists(line.owners, line.ownerCounts) : undefined,
    refundTransactionIndex: refund.transaction.column(),
    ...refund.occurredAt.column("refundOccurredAt"),
  };
}

/** Lists' items and their lengths as `packStringLists` packs a column of lists. */
const packedLists = (items, sizes) => ({ sizes: sizes.column(), count: sizes.length, strings: packed(items) });

/** A record table's size in what the binding copies: entries and UTF-16 units. */
function unitsOf(columns) {
  let units = 0;
  for (const key of keysOf(columns)) {
    let column = columns[key];
    if (column === undefined || typeof column === "number") continue; // amountScale
    if (column.sizes !== undefined) {
      units += column.count * 8;
      column = column.strings;
    }
    if (isView(column)) units += column.length * 8;
    else for (const chunk of column) units += chunk.text.length + chunk.count * 8;
  }
  return units;
}

/** The line filters that read a line's ids (`lineItemFilters` in crates/siren-engine/src/config.rs). */
const LINE_ID_FILTERS = /"(?:withSkus|inCategories|collaboratorOwned)"/;

/**
 * An operation's input with its records (in `within`, for `compare`'s `base`) read into columns:
 * `{rest, events, transactions, units}`, `rest` the JSON text of the input without the records,
 * `units` about what the columns hold (the binding checks it fits in memory before copying);
 * undefined when the input is not as JSON text of it would say member for member (then the
 * binding takes that text). Never throws.
 */
export function objectColumns(input, within) {
  try {
    const outer = recordOf(input, ANY_KEY);
    const holder = within === undefined ? outer : recordOf(outer[within], ANY_KEY);
    const events = holder.events;
    const transactions = holder.transactions;
    if (!isArray(events) || !isArray(transactions)) return undefined;
    const withoutRecords = (object) => {
      const copy = Object.create(null);
      for (const key of keysOf(object)) if (key !== "events" && key !== "transactions") copy[key] = object[key];
      return copy;
    };
    const rest = withoutRecords(outer);
    if (within !== undefined) rest[within] = withoutRecords(holder);
    const found = inputText(rest);
    if (found.text === undefined) return undefined;
    // Lines' skus, categories and owners matter only to a line filter that names them, in any
    // configuration of the input (a comparison's variant too); JSON.stringify writes the names
    // as they are.
    const lineIds = LINE_ID_FILTERS.test(found.text);
    const columns = { events: eventColumns(events), transactions: transactionColumns(transactions, lineIds) };
    return { rest: found.text, ...columns, units: unitsOf(columns.events) + unitsOf(columns.transactions) };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Output

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The value of the JSON text the engine wrote, given as its UTF-8 bytes (a view of wasm memory,
 * decoded here so the engine writes no intermediate string). Throws only when the text is
 * larger than a JS string can be; the binding catches that.
 */
export function parseJsonBytes(bytes) {
  return parse(UTF8.decode(bytes));
}

/**
 * Puts back the long lists the binding took out of an output before serialising it (`Taken` in
 * src/taken.rs, which documents the stream): `holders` has one line per list, its kind's letter
 * (`l` leaderboard, `s` an explanation's scoring collaborators, `a` allocations, `h` an
 * explanation's allocation shares) and the JSON Pointer of the object holding it; `text` joins
 * every string, `lengths` gives the lists' and maps' sizes, the strings' lengths in UTF-16 units,
 * map keys' references and flags, `numbers` every number. The objects are built as `JSON.parse` builds them, members in the same order
 * (so `JSON.stringify` gives the same text); assigning the emptied key keeps its place.
 */
export function restoreLists(out, holders, text, lengths, numbers) {
  let at = 0;
  let k = 0;
  let n = 0;
  const ABSENT = 0xffffffff;
  const str = () => text.slice(at, (at += lengths[k++]));
  // A number as JSON.parse stores it: a whole number of 32 bits as a small integer, which V8
  // keeps in the object itself (a double is a separate heap number: a re-preview of 5,000
  // collaborators allocated 1.3 MB more, and collected it). The engine's numbers are never -0.
  const num = () => {
    const x = numbers[n++];
    return (x | 0) === x ? x | 0 : x;
  };
  // Map keys, each read once; a key that would meet a setter or `__proto__` on assignment is
  // defined instead, as JSON.parse does.
  const keys = [];
  const defined = [];
  const map = () => {
    const object = {};
    for (let size = lengths[k++]; size > 0; size--) {
      const reference = lengths[k++];
      if (reference === keys.length) {
        const key = str();
        // Indexed, not pushed: nothing here calls what a caller may have replaced.
        defined[keys.length] = key === "__proto__" || key in ObjectPrototype;
        keys[keys.length] = key;
      }
      if (defined[reference]) defineProperty(object, keys[reference], { value: num(), writable: true, enumerable: true, configurable: true });
      else object[keys[reference]] = num();
    }
    return object;
  };
  const entries = {
    l: ["leaderboard", () => {
      const collaboratorId = str();
      const score = num();
      const rank = num();
      const breakdown = map();
      const behindLeader = num();
      if (lengths[k] === ABSENT) {
        k++;
        return { collaboratorId, score, rank, breakdown, behindLeader };
      }
      return { collaboratorId, score, rank, breakdown, behindLeader, reachedAt: str() };
    }],
    s: ["collaborators", () => {
      const collaboratorId = str();
      const score = num();
      const eventCounts = map();
      const count = num();
      const ids = [];
      for (let i = lengths[k++]; i > 0; i--) ids[ids.length] = str();
      return { collaboratorId, score, eventCounts, events: { count, ids, truncated: lengths[k++] === 1 } };
    }],
    a: ["allocations", () => {
      const collaboratorId = str();
      return { collaboratorId, amount: str() };
    }],
    h: ["shares", () => {
      const collaboratorId = str();
      const weight = num();
      const base = str();
      const remainder = num();
      const leftoverUnit = lengths[k++] === 1;
      return { collaboratorId, weight, base, remainder, leftoverUnit, amount: str() };
    }],
  };
  for (const line of holders.split("\n")) {
    const [name, entry] = entries[line[0]];
    const target = line.slice(1).split("/").slice(1).reduce((object, key) => object[key], out);
    // Made at its length, not grown one entry at a time (which reallocates its backing store
    // again and again): a re-preview of 5,000 collaborators 1.5–2 ms faster. Every place is
    // filled.
    const count = lengths[k++];
    const list = new Array(count);
    for (let i = 0; i < count; i++) list[i] = entry();
    target[name] = list;
  }
}
