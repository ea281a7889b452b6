// JS-side conversions for the binding layer (src/lib.rs): reading untrusted JS values can run
// user code (getters, Proxy traps, toJSON) that throws, and a JS exception must never cross the
// wasm frames. Everything here runs inside try/catch and returns plain data describing the
// outcome; no decision about the domain is taken here.

const NON_FINITE = Symbol("non-finite number");

function finiteOnly(_key, value) {
  if (typeof value === "number" && !Number.isFinite(value)) throw NON_FINITE;
  return value;
}

/** RFC 6901 token. */
const token = (key) => String(key).replaceAll("~", "~0").replaceAll("/", "~1");

/** The JSON Pointer of the first NaN or ±Infinity in a value JSON.stringify can otherwise read. */
function pathOfNonFinite(root) {
  const stack = [[root, ""]];
  const seen = new Set();
  while (stack.length > 0) {
    const [value, path] = stack.pop();
    if (typeof value === "number" && !Number.isFinite(value)) return path;
    if (value === null || typeof value !== "object" || seen.has(value)) continue;
    seen.add(value);
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i][1], `${path}/${token(entries[i][0])}`]);
  }
  return "";
}

/**
 * `{text}` with the value's JSON, or `{problem, message, path}`: `nonFinite` (a NaN or Infinity
 * that JSON would silently turn into null), `tooDeep` (the JS stack ran out), `notSerializable`
 * (a cycle, a BigInt, a throwing getter or Proxy trap), `notJson` (a function, a symbol).
 */
export function stringifyInput(value) {
  try {
    const text = JSON.stringify(value, finiteOnly);
    return text === undefined ? { problem: "notJson", message: `a ${typeof value}`, path: "" } : { text };
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
    const message = e instanceof Error ? e.message : String(e);
    return { problem: e instanceof RangeError ? "tooDeep" : "notSerializable", message, path: "" };
  }
}

const TYPED = { Uint32Array, Uint16Array, Uint8Array, Float64Array };

/** What each kind of column must be, as the error says it. */
const EXPECTED = {
  strings: "an array of strings",
  nullableStrings: "an array of strings or nulls",
  nullableStringLists: "an array of arrays of strings, or nulls",
  scale: "a whole number from 0 to 28",
  ids: "an array of strings, or a Float64Array or Uint32Array of whole numbers",
};

/** A string array's copy, or undefined when an item is not a string (or null where allowed). */
function stringsOf(value, nullable) {
  if (!Array.isArray(value)) return undefined;
  const copy = Array.from(value, (item) => (nullable && (item === null || item === undefined) ? null : item));
  return copy.every((item) => typeof item === "string" || (nullable && item === null)) ? copy : undefined;
}

/** The length `packStrings` gives a null. */
const NULL_LENGTH = 0xffffffff;
/** A chunk ends after this many strings, or once its text reaches `PACK_CHARS`, so its text
 * stays far below V8's longest string (about 2^29 characters) whatever the strings' lengths. */
const PACK_CHUNK = 4096;
const PACK_CHARS = 1 << 24;

/**
 * A string table packed for one crossing per chunk instead of two per string (BENCHMARKS.md):
 * `[{text, lengths}]`, each chunk's strings
 * joined, with their lengths in UTF-16 units (`NULL_LENGTH` for null); undefined when an item is
 * not a string (or null where allowed). Lone surrogates become U+FFFD first, as copying one
 * string would make them, so no two strings join into a pair.
 */
function packStrings(value, nullable) {
  if (!Array.isArray(value)) return undefined;
  const items = Array.from(value); // a plain copy: reading it again runs no user code
  const chunks = [];
  let parts = [];
  let lengths = [];
  let chars = 0;
  for (let item of items) {
    if (nullable && (item === null || item === undefined)) {
      parts.push("");
      lengths.push(NULL_LENGTH);
    } else {
      if (typeof item !== "string") return undefined;
      if (item.isWellFormed?.() !== true) item = wellFormed(item);
      parts.push(item);
      lengths.push(item.length);
      chars += item.length;
    }
    if (parts.length === PACK_CHUNK || chars >= PACK_CHARS) {
      chunks.push({ text: parts.join(""), lengths: Uint32Array.from(lengths) });
      [parts, lengths, chars] = [[], [], 0];
    }
  }
  if (parts.length > 0) chunks.push({ text: parts.join(""), lengths: Uint32Array.from(lengths) });
  return chunks;
}

/** `s` with each lone surrogate replaced by U+FFFD (`toWellFormed`, where the engine has it). */
function wellFormed(s) {
  if (typeof s.toWellFormed === "function") return s.toWellFormed();
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** One column's plain copy, or undefined when it is not of its kind. */
function columnOf(value, kind) {
  if (kind === "ids") return columnOf(value, "Float64Array") ?? columnOf(value, "Uint32Array") ?? packStrings(value, false);
  if (kind in TYPED) return ArrayBuffer.isView(value) && Object.getPrototypeOf(value) === TYPED[kind].prototype ? value : undefined;
  if (kind === "strings" || kind === "nullableStrings") return packStrings(value, kind === "nullableStrings");
  if (kind === "scale") return Number.isInteger(value) && value >= 0 && value <= 28 ? value : undefined;
  if (!Array.isArray(value)) return undefined; // nullableStringLists
  const copy = [];
  for (const item of Array.from(value)) {
    const list = item === null || item === undefined ? [] : stringsOf(item, false);
    if (list === undefined) return undefined;
    copy.push(list);
  }
  return copy;
}

/**
 * Copies columns into plain data the binding can read without running user code: `{columns}`
 * or `{problem: field, expected}`. `fields` lists `[name, kind, optional]`; typed arrays must be
 * real ones (not Proxies or look-alikes), string tables are packed (`packStrings`), lists of
 * string lists become plain arrays.
 */
function readColumns(input, fields) {
  let field = "";
  try {
    if (input === null || typeof input !== "object") return { problem: "", expected: "an object of typed arrays" };
    const columns = {};
    for (const [name, kind, optional] of fields) {
      field = name;
      const value = input[name];
      if (optional && (value === undefined || value === null)) continue;
      const copy = columnOf(value, kind);
      if (copy === undefined) return { problem: name, expected: EXPECTED[kind] ?? `a ${kind}` };
      columns[name] = copy;
    }
    return { columns };
  } catch (e) {
    return { problem: field, expected: `readable (reading it threw: ${e instanceof Error ? e.message : String(e)})` };
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

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The value of the JSON text the engine wrote, given as its UTF-8 bytes (a view of wasm memory,
 * decoded here so the engine writes no intermediate string). Throws only when the text is
 * larger than a JS string can be; the binding catches that.
 */
export function parseJsonBytes(bytes) {
  return JSON.parse(UTF8.decode(bytes));
}

/**
 * Puts back the allocation lists the binding emptied before serialising an output
 * (`TakenAllocations` in src/lib.rs): `holders` are the JSON Pointers of the objects whose
 * `allocations` were emptied, one per line; `text` joins every allocation's collaborator id and
 * amount; `lengths` gives, per list, its number of allocations, then each id's and amount's
 * length in UTF-16 units. Assigning the emptied key keeps its place in the object.
 */
export function restoreAllocations(out, holders, text, lengths) {
  let at = 0;
  let k = 0;
  for (const holder of holders.split("\n")) {
    const target = holder.split("/").slice(1).reduce((object, key) => object[key], out);
    const count = lengths[k++];
    const list = [];
    for (let i = 0; i < count; i++) {
      const collaboratorId = text.slice(at, (at += lengths[k++]));
      const amount = text.slice(at, (at += lengths[k++]));
      list.push({ collaboratorId, amount });
    }
    target.allocations = list;
  }
}
