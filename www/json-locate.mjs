// Where a JSON Pointer (RFC 6901) points in JSON *text* as the user typed it: any whitespace,
// any key order, comments not allowed. `scanJson` parses the text once, recording the range of
// every value (and of its key, for object members); `locatePointer` maps a diagnostic's path to
// a text range and a line:column. Text that does not parse still gives the ranges read before
// the first syntax error, and that error's offset. Pure, no DOM: shared by the page and tests.

/** Escapes one reference token (`~` → `~0`, `/` → `~1`). */
export const escapeToken = (key) => String(key).replaceAll("~", "~0").replaceAll("/", "~1");

/** The tokens of a pointer: "" → [], "/a~1b/0" → ["a/b", "0"]. */
export function pointerTokens(pointer) {
  if (pointer === "" || pointer === undefined || pointer === null) return [];
  return String(pointer).slice(1).split("/").map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
}

class SyntaxProblem extends Error {
  constructor(offset, message) {
    super(message);
    this.offset = offset;
  }
}

/**
 * Parses `text`, returning `{ok, error?: {offset, message}, nodes}` where `nodes` maps each
 * pointer to `{start, end, kind, keyStart?, keyEnd?}` (offsets into `text`, end exclusive;
 * kind "object" | "array" | "string" | "number" | "literal").
 */
export function scanJson(text) {
  const nodes = new Map();
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const fail = (message) => {
    throw new SyntaxProblem(i, message);
  };
  const describe = () => (i >= text.length ? "the end of the text" : `\`${text[i]}\``);
  const string = () => {
    const start = i;
    i++; // opening quote
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return JSON.parse(text.slice(start, i));
      }
      if (c === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail("a \\u escape needs four hexadecimal digits");
          i += 5;
        } else if (text[i] !== undefined && '"\\/bfnrt'.includes(text[i])) i++;
        else fail("unknown escape in a string");
      } else if (c < " ") {
        fail(c === "\n" ? "a string is not closed before the end of the line" : "a control character inside a string");
      } else i++;
    }
    i = start;
    fail("a string is never closed");
  };
  const value = (pointer, member) => {
    ws();
    const start = i;
    const node = { start, end: start, kind: "literal", ...member };
    nodes.set(pointer, node);
    try {
      const c = text[i];
      if (c === "{") {
        node.kind = "object";
        i++;
        ws();
        if (text[i] === "}") {
          i++;
        } else {
          for (;;) {
            ws();
            if (text[i] !== '"') fail(`expected a key in double quotes, found ${describe()}`);
            const keyStart = i;
            const key = string();
            const keyEnd = i;
            ws();
            if (text[i] !== ":") fail(`expected \`:\` after the key, found ${describe()}`);
            i++;
            value(`${pointer}/${escapeToken(key)}`, { keyStart, keyEnd });
            ws();
            if (text[i] === ",") {
              i++;
              continue;
            }
            if (text[i] === "}") {
              i++;
              break;
            }
            fail(`expected \`,\` or \`}\` after a member, found ${describe()}`);
          }
        }
      } else if (c === "[") {
        node.kind = "array";
        i++;
        ws();
        if (text[i] === "]") {
          i++;
        } else {
          for (let n = 0; ; n++) {
            value(`${pointer}/${n}`, {});
            ws();
            if (text[i] === ",") {
              i++;
              continue;
            }
            if (text[i] === "]") {
              i++;
              break;
            }
            fail(`expected \`,\` or \`]\` after an element, found ${describe()}`);
          }
        }
      } else if (c === '"') {
        node.kind = "string";
        string();
      } else if (c === "-" || (c >= "0" && c <= "9")) {
        node.kind = "number";
        const m = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
        m.lastIndex = i;
        if (!m.test(text)) fail("a malformed number");
        i = m.lastIndex;
      } else {
        const m = /true|false|null/y;
        m.lastIndex = i;
        if (!m.test(text)) fail(`expected a value, found ${describe()}`);
        i = m.lastIndex;
      }
    } finally {
      node.end = i;
    }
  };
  try {
    value("", {});
    ws();
    if (i < text.length) fail(`unexpected ${describe()} after the end of the document`);
    return { ok: true, nodes };
  } catch (e) {
    if (!(e instanceof SyntaxProblem)) throw e;
    return { ok: false, error: { offset: e.offset, message: e.message }, nodes };
  }
}

/** 1-based line and column (in UTF-16 code units, as a textarea counts) of `offset` in `text`. */
export function lineColumn(text, offset) {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === "\n") {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Where `pointer` points in `text`: `{start, end, line, column, exact}`. The range is what to
 * mark: a member's key and scalar value (`"units": "usd"`), only the key when the value is an
 * object or array, an array element's value (or its opening bracket). A pointer to something
 * missing (a required field) gives its nearest existing ancestor with `exact: false`. For the
 * root pointer of text that does not parse, the syntax error's position.
 */
export function locatePointer(text, pointer, scan = scanJson(text)) {
  const tokens = pointerTokens(pointer);
  let exact = true;
  let node = null;
  for (let n = tokens.length; n >= 0; n--) {
    const p = tokens.slice(0, n).map((t) => `/${escapeToken(t)}`).join("");
    node = scan.nodes.get(p);
    if (node && (node.end > node.start || n === 0)) break;
    exact = false;
  }
  let start;
  let end;
  if (!scan.ok && (tokens.length === 0 || !node || !exact)) {
    start = scan.error.offset;
    end = Math.min(text.length, start + 1);
    exact = tokens.length === 0;
  } else if (!node) {
    start = 0;
    end = 0;
  } else {
    const container = node.kind === "object" || node.kind === "array";
    if (node.keyStart !== undefined) {
      start = node.keyStart;
      end = container || !exact ? node.keyEnd : node.end;
    } else {
      start = node.start;
      end = container || !exact ? Math.min(node.end, node.start + 1) : node.end;
    }
  }
  return { start, end, exact, ...lineColumn(text, start) };
}
