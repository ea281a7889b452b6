// JS-side conversions for the binding layer (src/wasm.rs): reading untrusted JS values can run
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

const TYPED = { Uint32Array, Uint16Array, Float64Array };

/**
 * Copies the event columns into plain data the binding can read without running user code:
 * `{columns}` or `{problem: field, expected}`. Typed arrays must be real ones (not Proxies or
 * look-alikes); string tables become plain arrays of strings (`eventIds` may hold nulls).
 */
export function readEventColumns(input) {
  let field = "";
  try {
    if (input === null || typeof input !== "object") return { problem: "", expected: "an object of typed arrays" };
    const columns = {};
    for (const [name, kind, optional] of [["collaboratorIndex", "Uint32Array"], ["typeIndex", "Uint16Array"], ["occurredAtMs", "Float64Array"], ["points", "Float64Array", true]]) {
      field = name;
      const value = input[name];
      if (optional && (value === undefined || value === null)) continue;
      if (!ArrayBuffer.isView(value) || Object.getPrototypeOf(value) !== TYPED[kind].prototype) return { problem: name, expected: `a ${kind}` };
      columns[name] = value;
    }
    for (const [name, nullable, optional] of [["collaboratorIds"], ["typeNames"], ["eventIds", true, true]]) {
      field = name;
      const value = input[name];
      if (optional && (value === undefined || value === null)) continue;
      const expected = nullable ? "an array of strings or nulls" : "an array of strings";
      if (!Array.isArray(value)) return { problem: name, expected };
      const copy = Array.from(value, (item) => (nullable && (item === null || item === undefined) ? null : item));
      if (!copy.every((item) => typeof item === "string" || (nullable && item === null))) return { problem: name, expected };
      columns[name] = copy;
    }
    return { columns };
  } catch (e) {
    return { problem: field, expected: `readable (reading it threw: ${e instanceof Error ? e.message : String(e)})` };
  }
}
