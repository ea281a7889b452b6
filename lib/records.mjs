// Turning data files — events, transactions, refunds, collaborators — from JSON or CSV text into
// the engine's input objects (ENGINE.md §8). Environment-neutral: no Node or DOM APIs, so the
// command line (cli/inputs.mjs, which reads files with a progress line) and the browser editor
// (www/) share one reader; the npm package exports it as `siren-engine/records`. No domain
// decisions here: amounts stay the exact strings written in the file, and the engine judges every
// value. What this module does is report bad files precisely (`file:line:column: message`) and
// remember where each entry came from, so that an engine error at `/events/120/occurredAt` can be
// shown as `events.csv:122:…`.
//
// An `input` is the file's text, or a function `(onText) => void` that passes the text to
// `onText` in chunks (a large file parsed while it is read).

/**
 * A file's content: its text, or a function that passes the text to `onText` in chunks.
 * @typedef {string | ((onText: (text: string) => void) => void)} Input
 */

/**
 * A 1-based position in a text file.
 * @typedef {{line: number, column: number}} Position
 */

/**
 * One CSV record: its fields, the line it starts on, each field's position, and where it ends.
 * @typedef {{fields: string[], line: number, columns: Position[], end: Position}} CsvRecord
 */

/**
 * Where the entries given to the engine came from, for `locateEnginePath`: one entry per event,
 * transaction and collaborator, in the engine's order.
 * @typedef {{events: object[], transactions: object[], collaborators: object[]}} Sources
 */

/**
 * A problem in an input file. `message` is already `file:line:column: …` (or `file: …` when no
 * position applies); `file`, `line`, `column` (1-based, 0 when unknown) and `detail` (the message
 * without its location) are kept apart too.
 *
 * `kind` says what is wrong: `"file"` when the file itself cannot be read or parsed (missing, not
 * UTF-8, malformed CSV or JSON, unknown columns), `"value"` when it was read but a value in it is
 * refused (an empty required field, a non-whole number of points, a refund of an unknown
 * transaction). The command line exits with 3 for the first and 1 for the second.
 */
export class InputError extends Error {
  /**
   * @param {string} file the file's name as the user gave it
   * @param {number} line 1-based line, or 0
   * @param {number} column 1-based column (UTF-16 code units, as editors count), or 0
   * @param {string} message what is wrong, without the location
   * @param {{kind?: "file" | "value"}} [options]
   */
  constructor(file, line, column, message, { kind = "file" } = {}) {
    super(`${file}${line ? `:${line}${column ? `:${column}` : ""}` : ""}: ${message}`);
    this.name = "InputError";
    this.file = file;
    this.line = line;
    this.column = column;
    this.detail = message;
    this.kind = kind;
  }
}

// ---------------------------------------------------------------------------------------------
// Text positions and UTF-8.

/**
 * The 1-based `{line, column}` of `text[index]`. Line breaks are LF, CRLF or a lone CR; columns
 * count UTF-16 code units, as the CSV reader and most editors do.
 *
 * @param {string} text
 * @param {number} index 0-based, up to `text.length` (the end of the text)
 * @returns {Position}
 */
export function positionAt(text, index) {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(index, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    } else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}

/**
 * The first byte of `bytes` that is not UTF-8 (the start of the invalid sequence, by the rules
 * `TextDecoder("utf-8", {fatal: true})` applies), with its 1-based line and column; null when all
 * of `bytes` is UTF-8. A leading byte-order mark takes no column.
 *
 * @param {Uint8Array} bytes
 * @returns {{index: number, byte: number, line: number, column: number} | null}
 */
export function invalidUtf8At(bytes) {
  const n = bytes.length;
  let i = n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let line = 1;
  let column = 1;
  let afterCR = false;
  const cont = (k, lo = 0x80, hi = 0xbf) => i + k < n && bytes[i + k] >= lo && bytes[i + k] <= hi;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      if (b === 0x0a) {
        if (!afterCR) line++;
        column = 1;
      } else if (b === 0x0d) {
        line++;
        column = 1;
      } else {
        column++;
      }
      afterCR = b === 0x0d;
      i++;
      continue;
    }
    afterCR = false;
    let length = 0;
    if (b >= 0xc2 && b <= 0xdf) length = cont(1) ? 2 : 0;
    else if (b === 0xe0) length = cont(1, 0xa0) && cont(2) ? 3 : 0;
    else if (b === 0xed) length = cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
    else if (b >= 0xe1 && b <= 0xef) length = cont(1) && cont(2) ? 3 : 0;
    else if (b === 0xf0) length = cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    else if (b >= 0xf1 && b <= 0xf3) length = cont(1) && cont(2) && cont(3) ? 4 : 0;
    else if (b === 0xf4) length = cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
    if (length === 0) return { index: i, byte: b, line, column };
    column += length === 4 ? 2 : 1; // a character beyond U+FFFF is two UTF-16 code units
    i += length;
  }
  return null;
}

/**
 * The InputError for bytes that are not UTF-8: `file:line:column: not UTF-8 (byte 0xE9); save the
 * file as UTF-8`, at the first bad byte.
 *
 * @param {string} file
 * @param {Uint8Array} bytes
 * @returns {InputError}
 */
export function notUtf8Error(file, bytes) {
  const at = invalidUtf8At(bytes);
  if (!at) return new InputError(file, 0, 0, "not UTF-8; save the file as UTF-8");
  const hex = at.byte.toString(16).toUpperCase().padStart(2, "0");
  return new InputError(file, at.line, at.column, `not UTF-8 (byte 0x${hex}); save the file as UTF-8`);
}

/**
 * Decodes `bytes` as UTF-8, strictly: a byte-order mark is skipped, and anything that is not UTF-8
 * (say a Latin-1 `é`, byte 0xE9) is an InputError located at its line and column, rather than a
 * silent replacement character.
 *
 * @param {Uint8Array} bytes
 * @param {string} [file] the name used in the error
 * @returns {string}
 */
export function decodeUtf8(bytes, file = "<input>") {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw notUtf8Error(file, bytes);
  }
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180): quoted fields, "" escapes, commas and newlines inside quotes, CRLF or LF, BOM.
// Incremental, so a large file is parsed chunk by chunk while it is read.

const UNQUOTED_RUN = /[^",\r\n]*/y;
const QUOTED_RUN = /[^"\n]*/y;

/**
 * A streaming CSV parser. `feed(text)` any number of times, then `end()`; each record is passed
 * to `onRecord({fields, line, columns})` where `line` is the 1-based line the record starts on and
 * `columns[i]` is `{line, column}` of field i's first character (1-based). Blank lines are skipped.
 * Malformed quoting throws an InputError at its line and column.
 */
export class CsvParser {
  /**
   * @param {string} file the name used in errors
   * @param {(record: CsvRecord) => void} onRecord called with each record, in order
   */
  constructor(file, onRecord) {
    this.file = file;
    this.onRecord = onRecord;
    this.line = 1;
    this.column = 1; // column of the next character
    this.state = "start"; // start | unquoted | quoted | quoteInQuoted
    this.afterCR = false;
    this.first = true;
    this.field = "";
    /** @type {string[]} */
    this.fields = [];
    /** @type {Position[]} */
    this.positions = [];
    /** @type {Position | null} */
    this.quoteAt = null;
    this.quotedBlank = false;
  }

  /** @private */
  fail(line, column, message) {
    throw new InputError(this.file, line, column, message);
  }

  /** @private */
  beginField() {
    this.positions.push({ line: this.line, column: this.column });
  }

  /** @private */
  endField() {
    this.fields.push(this.field);
    this.field = "";
  }

  /** @private */
  endRecord() {
    const fields = this.fields;
    const positions = this.positions;
    this.fields = [];
    this.positions = [];
    this.state = "start";
    const blank = fields.length === 1 && fields[0] === "" && !this.quotedBlank;
    this.quotedBlank = false;
    if (!blank) this.onRecord({ fields, line: positions[0].line, columns: positions, end: { line: this.line, column: this.column } });
  }

  /** @private */
  newline() {
    this.line++;
    this.column = 1;
  }

  /**
   * Parses the next piece of the text (any split, even inside a field or a CRLF).
   * @param {string} text
   */
  feed(text) {
    let i = 0;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    for (; i < text.length; i++) {
      const c = text[i];
      if (this.afterCR) {
        this.afterCR = false;
        if (c === "\n") continue; // the LF of a CRLF that ended a record
      }
      switch (this.state) {
        case "start":
          this.beginField();
          if (c === '"') {
            this.state = "quoted";
            this.quoteAt = { line: this.line, column: this.column };
            this.column++;
            continue;
          }
          this.state = "unquoted";
        // falls through
        case "unquoted":
          if (c === ",") {
            this.endField();
            this.state = "start";
            this.column++;
          } else if (c === "\n" || c === "\r") {
            this.endField();
            this.endRecord();
            this.newline();
            this.afterCR = c === "\r";
          } else if (c === '"') {
            this.fail(this.line, this.column, 'a quote (") inside an unquoted field; quote the whole field and double the quote');
          } else {
            // Take the run of ordinary characters up to the next special one in one slice.
            UNQUOTED_RUN.lastIndex = i;
            UNQUOTED_RUN.test(text);
            const stop = UNQUOTED_RUN.lastIndex;
            this.field += text.slice(i, stop);
            this.column += stop - i;
            i = stop - 1;
          }
          break;
        case "quoted":
          if (c === '"') {
            this.state = "quoteInQuoted";
            this.column++;
          } else if (c === "\n") {
            this.field += c;
            this.newline();
          } else {
            QUOTED_RUN.lastIndex = i;
            QUOTED_RUN.test(text);
            const stop = QUOTED_RUN.lastIndex;
            this.field += text.slice(i, stop);
            this.column += stop - i;
            i = stop - 1;
          }
          break;
        case "quoteInQuoted":
          if (c === '"') {
            this.field += '"';
            this.state = "quoted";
            this.column++;
          } else if (c === ",") {
            this.endField();
            this.state = "start";
            this.column++;
          } else if (c === "\n" || c === "\r") {
            if (this.fields.length === 0 && this.field === "") this.quotedBlank = true;
            this.endField();
            this.endRecord();
            this.newline();
            this.afterCR = c === "\r";
          } else {
            this.fail(this.line, this.column, 'expected "," or the end of the line after a closing quote');
          }
          break;
      }
    }
  }

  /** Ends the text: the last record (without a final line break) is passed on. */
  end() {
    if (this.state === "quoted") {
      this.fail(this.quoteAt.line, this.quoteAt.column, "unterminated quoted field (the quote opened here is never closed)");
    }
    if (this.state !== "start" || this.fields.length > 0) {
      if (this.state === "start") this.beginField();
      if (this.state === "quoteInQuoted" && this.fields.length === 0 && this.field === "") this.quotedBlank = true;
      this.endField();
      this.endRecord();
    }
  }
}

/**
 * Parses a whole CSV text (tests, small inputs): an array of records as `CsvParser` gives them,
 * `{fields, line, columns}`.
 *
 * @param {string} text
 * @param {string} [file] the name used in errors
 * @returns {CsvRecord[]}
 */
export function parseCsv(text, file = "<csv>") {
  const records = [];
  const parser = new CsvParser(file, (r) => records.push(r));
  parser.feed(text);
  parser.end();
  return records;
}

// ---------------------------------------------------------------------------------------------
// Inputs: whole text or a chunk source.

function feedInput(input, onText) {
  if (typeof input === "function") input(onText);
  else onText(String(input ?? ""));
}

function textOf(input) {
  let text = "";
  feedInput(input, (t) => (text += t));
  return text;
}

const withoutBom = (text) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/**
 * Whether a file name means CSV (`.csv`, any case).
 * @type {(file: string) => boolean}
 */
export const isCsvName = (file) => /\.csv$/i.test(String(file));

/**
 * Whether a file name means JSON (`.json`, any case).
 * @type {(file: string) => boolean}
 */
export const isJsonName = (file) => /\.json$/i.test(String(file));

/**
 * How a data file is read: `"csv"` for a name ending in `.csv`, `"json"` for `.json`; for any
 * other name (standard input, `events.txt`) by its content: JSON when its first character
 * (after blanks) is `[` or `{`, CSV otherwise. Returns the format and the input to parse (the
 * whole text when it had to be looked at).
 */
function formatOf(file, input) {
  if (isCsvName(file)) return { csv: true, input };
  if (isJsonName(file)) return { csv: false, input };
  const text = textOf(input);
  const first = /^[\s\uFEFF]*(.)/.exec(text)?.[1];
  return { csv: first !== "[" && first !== "{", input: text };
}

// ---------------------------------------------------------------------------------------------
// JSON: syntax errors located, JSON Pointers mapped to lines and columns.

const JSON_WS = new Set([" ", "\t", "\n", "\r"]);
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const show = (c) => (c === "'" ? `"'"` : JSON.stringify(c));

/**
 * The first syntax error of JSON `text` — `{index, message}`, the message saying what was found
 * and what JSON wants there — or null when `text` is JSON. Iterative (any nesting depth); used
 * only once `JSON.parse` has refused the text, so its speed does not matter.
 *
 * @param {string} text
 * @returns {{index: number, message: string} | null} `index`: 0-based, into `text`
 */
export function jsonSyntaxError(text) {
  const n = text.length;
  let i = 0;
  const stack = []; // "{" or "["
  let lastComma = -1;
  const ws = () => {
    while (i < n && JSON_WS.has(text[i])) i++;
  };
  const found = () => {
    if (i >= n) return "the end of the file";
    if (text.startsWith("//", i) || text.startsWith("/*", i)) return "a comment (JSON has none)";
    if (text[i] === '"') {
      const literal = /^"(?:[^"\\\n]|\\.){0,30}"?/.exec(text.slice(i, i + 80))[0];
      return `the string ${literal}${literal.length > 1 && literal.endsWith('"') ? "" : "…"}`;
    }
    const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(i, i + 40))?.[0];
    return word ? `"${word}"` : show(text[i]);
  };
  const fail = (index, message) => ({ index, message });
  // A string starting at i (a quote); returns an error or null, leaving i after the closing quote.
  const string = () => {
    const open = i;
    for (i++; i < n; i++) {
      const c = text[i];
      if (c === '"') {
        i++;
        return null;
      }
      if (c === "\\") {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail(i, "\\u must be followed by four hexadecimal digits");
          i += 5;
        } else if (e !== undefined && ESCAPES.has(e)) {
          i++;
        } else {
          return fail(i, `invalid escape \\${e ?? ""} in a string (JSON knows \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)`);
        }
      } else if (c.charCodeAt(0) < 0x20) {
        return fail(i, c === "\n" || c === "\r" ? "a line break inside a string (the string is not closed on its line, or write \\n)" : `a control character (U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}) inside a string; write it escaped`);
      }
    }
    return fail(open, "unterminated string (the quote opened here is never closed)");
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)?(\.\d*)?([eE][+-]?\d*)?/.exec(text.slice(i, i + 1000));
    const literal = m[0];
    if (m[1] === undefined) return fail(i, `${found()} is not a value`);
    if (m[1] === "0" && /\d/.test(text[i + literal.length] ?? "")) return fail(i, "a number cannot start with 0 (leading zeros are not JSON)");
    if (m[2] === ".") return fail(i + literal.length, "expected a digit after the decimal point");
    if (m[3] !== undefined && !/\d$/.test(m[3])) return fail(i + literal.length, "expected a digit in the exponent");
    i += literal.length;
    return null;
  };
  const value = () => {
    const c = text[i];
    if (c === '"') return string();
    if (c === "-" || (c >= "0" && c <= "9")) return number();
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i) && !/[\w$]/.test(text[i + word.length] ?? "")) {
        i += word.length;
        return null;
      }
    }
    if (c === "'") return fail(i, "strings take double quotes (\"), not single ones");
    if (i >= n) return fail(i, stack.length === 0 && text.trim() === "" ? "the file is empty; expected JSON" : "the file ends where a value was expected");
    if ((c === "]" || c === "}") && lastComma >= 0) return fail(lastComma, `a comma before ${c} (JSON allows no trailing comma)`);
    return fail(i, `expected a value, found ${found()}`);
  };
  // States: value, key (after "{" or ","), after (after a value).
  let state = "value";
  for (;;) {
    ws();
    if (state === "value") {
      const c = text[i];
      if (c === "{" || c === "[") {
        stack.push(c);
        i++;
        lastComma = -1;
        ws();
        const close = c === "{" ? "}" : "]";
        if (text[i] === close) {
          stack.pop();
          i++;
          state = "after";
        } else {
          state = c === "{" ? "key" : "value";
        }
        continue;
      }
      const error = value();
      if (error) return error;
      state = "after";
    } else if (state === "key") {
      if (text[i] !== '"') {
        if (text[i] === "}" && lastComma >= 0) return fail(lastComma, "a comma before } (JSON allows no trailing comma)");
        if (i >= n) return fail(i, "the file ends inside an object; expected a property name");
        return fail(i, `expected a property name in double quotes, found ${found()}`);
      }
      const error = string();
      if (error) return error;
      ws();
      if (text[i] !== ":") return fail(i, `expected ":" after the property name, found ${found()}`);
      i++;
      state = "value";
    } else {
      const top = stack.at(-1);
      if (top === undefined) return i >= n ? null : fail(i, `unexpected ${found()} after the end of the JSON value`);
      const close = top === "{" ? "}" : "]";
      const c = text[i];
      if (c === ",") {
        lastComma = i;
        i++;
        state = top === "{" ? "key" : "value";
      } else if (c === close) {
        stack.pop();
        i++;
        lastComma = -1;
      } else if (i >= n) {
        return fail(i, `the file ends inside ${top === "{" ? "an object" : "an array"}; expected "," or "${close}"`);
      } else {
        return fail(i, `expected "," or "${close}" after ${top === "{" ? "a property value" : "an array element"}, found ${found()}`);
      }
    }
  }
}

/** Skips the (valid) JSON value at text[i]; returns the index after it. */
function skipJsonValue(text, i) {
  const c = text[i];
  if (c === '"') {
    for (i++; text[i] !== '"'; i++) if (text[i] === "\\") i++;
    return i + 1;
  }
  if (c === "{" || c === "[") {
    let depth = 0;
    for (; i < text.length; i++) {
      const d = text[i];
      if (d === '"') {
        for (i++; text[i] !== '"'; i++) if (text[i] === "\\") i++;
      } else if (d === "{" || d === "[") {
        depth++;
      } else if (d === "}" || d === "]") {
        if (--depth === 0) return i + 1;
      }
    }
    return i;
  }
  while (i < text.length && !JSON_WS.has(text[i]) && text[i] !== "," && text[i] !== "}" && text[i] !== "]") i++;
  return i;
}

/**
 * Where a JSON Pointer (`/distributors/monthly/schedule/0`) points in JSON `text`: the 1-based
 * `{line, column}` of that value, or of its deepest ancestor present in the text (a missing
 * property is located at the object that lacks it); null when `text` does not start with a JSON
 * value. `text` must be valid JSON; a duplicated key resolves to its last occurrence, as
 * `JSON.parse` does.
 *
 * @param {string} text
 * @param {string} pointer RFC 6901
 * @returns {Position | null}
 */
export function locateJsonPointer(text, pointer) {
  const skipWs = (i) => {
    while (i < text.length && JSON_WS.has(text[i])) i++;
    return i;
  };
  let i = skipWs(text.charCodeAt(0) === 0xfeff ? 1 : 0);
  if (i >= text.length) return null;
  const segments = String(pointer ?? "").split("/").slice(1).map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  for (const segment of segments) {
    let target = -1;
    if (text[i] === "{") {
      let j = skipWs(i + 1);
      while (text[j] === '"') {
        const end = skipJsonValue(text, j);
        const key = JSON.parse(text.slice(j, end));
        j = skipWs(skipWs(end) + 1); // past the colon
        if (key === segment) target = j;
        j = skipWs(skipJsonValue(text, j));
        if (text[j] !== ",") break;
        j = skipWs(j + 1);
      }
    } else if (text[i] === "[" && /^(0|[1-9]\d*)$/.test(segment)) {
      let j = skipWs(i + 1);
      for (let k = 0; text[j] !== "]" && j < text.length; k++) {
        if (k === Number(segment)) {
          target = j;
          break;
        }
        j = skipWs(skipJsonValue(text, j));
        if (text[j] !== ",") break;
        j = skipWs(j + 1);
      }
    }
    if (target < 0) break;
    i = target;
  }
  return positionAt(text, i);
}

/**
 * Refuses a JSON number that a JS number cannot hold exactly (say 1000000000000000.01): the value
 * would silently change on the way to the engine. Amounts with many digits belong in strings.
 */
function checkJsonNumbers(text, file) {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!m) continue;
      const literal = m[0];
      const digits = literal.replace(/[eE].*$/, "").replace(/[-.]/g, "").replace(/^0+/, "").replace(/0+$/, "");
      if (digits.length > 15 && !/[eE]/.test(literal) && String(Number(literal)) !== literal) {
        const { line, column } = positionAt(text, i);
        throw new InputError(file, line, column, `the number ${literal} cannot be read exactly; write it as a string ("${literal}")`);
      }
      i += literal.length - 1;
    }
  }
}

/**
 * Parses JSON (a byte-order mark is ignored). A syntax error is an InputError at its line and
 * column (`recipe.json:4:3: not valid JSON: expected "," or "}" after a property value, found the
 * string "units"`). Unless `exactNumbers` is false, a number that a JS number cannot hold exactly
 * is refused too (write such amounts as strings).
 *
 * @param {Input} input the text, or a chunk source
 * @param {string} [file] the name used in errors
 * @param {{exactNumbers?: boolean}} [options]
 * @returns {unknown}
 */
export function parseJson(input, file = "<json>", { exactNumbers = true } = {}) {
  const text = withoutBom(textOf(input));
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const error = jsonSyntaxError(text);
    const index = error?.index ?? Number(/at position (\d+)/.exec(e.message)?.[1] ?? NaN);
    const { line, column } = Number.isFinite(index) ? positionAt(text, index) : { line: 0, column: 0 };
    throw new InputError(file, line, column, `not valid JSON: ${error?.message ?? e.message}`);
  }
  if (exactNumbers) checkJsonNumbers(text, file);
  return value;
}

/**
 * A JSON file's text, kept where entries can find it when an engine error points into them:
 * the chunk source is read again only then (so a large file is not held in memory meanwhile).
 */
function jsonDocument(input, text) {
  let cached = typeof input === "function" ? null : text;
  return {
    text: () => (cached ??= withoutBom(textOf(input))),
  };
}

function jsonList(file, input, kind) {
  const text = withoutBom(textOf(input));
  const value = parseJson(text, file);
  const doc = jsonDocument(input, text);
  if (Array.isArray(value)) return { items: value, pointer: "", doc };
  if (value && typeof value === "object" && Array.isArray(value[kind])) return { items: value[kind], pointer: `/${kind}`, doc };
  const at = locateJsonPointer(text, value && typeof value === "object" && kind in value ? `/${kind}` : "") ?? { line: 0, column: 0 };
  throw new InputError(file, at.line, at.column, `expected an array of ${kind}, or an object with the array under "${kind}"`);
}

// ---------------------------------------------------------------------------------------------
// CSV files as tables: a header on line 1 naming known columns, then one row per line.

/**
 * Reads CSV text with a header. `required` columns must be present; `optional` ones may be.
 * Calls `onRow(row)` with `row.get(name)` (the field or ""), `row.line`, `row.col(name)` (column
 * of that field) and `row.fail(name, message)`.
 */
function readCsvTable(file, input, { required, optional }, onRow) {
  const known = [...required, ...optional];
  let header = null;
  const parser = new CsvParser(file, (record) => {
    if (!header) {
      header = new Map();
      if (record.fields.length === 1) {
        // A header without a comma that does hold semicolons or tabs: a spreadsheet's export in
        // another convention, which would otherwise read as one unknown column.
        const semicolons = record.fields[0].split(";").length - 1;
        const tabs = record.fields[0].split("\t").length - 1;
        if (semicolons > 0 || tabs > 0) {
          const used = semicolons >= tabs ? '";"' : "tabs";
          throw new InputError(file, 1, 1, `this file seems to use ${used} as its delimiter; the engine's CSV files use commas (docs/data-formats.md)`);
        }
      }
      record.fields.forEach((raw, i) => {
        const name = raw.trim();
        const at = record.columns[i];
        if (!known.includes(name)) {
          throw new InputError(file, at.line, at.column, `unknown column "${name}"; expected ${known.join(",")}`);
        }
        if (header.has(name)) throw new InputError(file, at.line, at.column, `column "${name}" appears twice`);
        header.set(name, i);
      });
      for (const name of required) {
        if (!header.has(name)) throw new InputError(file, 1, 1, `missing required column "${name}"; expected ${known.join(",")}`);
      }
      return;
    }
    const width = header.size;
    const { fields, columns, line } = record;
    if (fields.length !== width) {
      const at = fields.length > width ? columns[width] : record.end;
      throw new InputError(file, at.line, at.column, `expected ${width} fields (${[...header.keys()].join(",")}), found ${fields.length}`);
    }
    const row = {
      line,
      has: (name) => header.has(name),
      get: (name) => (header.has(name) ? fields[header.get(name)] : ""),
      at: (name) => (header.has(name) ? columns[header.get(name)] : { line, column: 1 }),
      col: (name) => row.at(name).column,
      fail: (name, message) => {
        const at = row.at(name);
        throw new InputError(file, at.line, at.column, message, { kind: "value" });
      },
      need: (name) => {
        const value = fields[header.get(name)];
        if (value === "") row.fail(name, `empty ${name}`);
        return value;
      },
      columns: Object.fromEntries([...header.keys()].map((name) => [name, columns[header.get(name)]])),
    };
    onRow(row);
  });
  feedInput(input, (text) => parser.feed(text));
  parser.end();
  if (!header) throw new InputError(file, 1, 1, `empty file; expected a header line: ${known.join(",")}`);
}

function wholeNumber(row, name) {
  const text = row.get(name).trim();
  if (!/^[+-]?\d+$/.test(text)) row.fail(name, `${name} must be a whole number, got "${row.get(name)}"`);
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text; // beyond 2^53 the engine gets the digits and says why it refuses
}

const list = (text) => text.split(";").map((s) => s.trim()).filter((s) => s !== "");

/**
 * A new, empty record of where entries came from, for `locateEnginePath`: pass the same object to
 * every `parse…` call of one engine input. `sources.events[i]` is `{file, line, columns}` for a
 * CSV row or `{file, pointer, doc}` for a JSON entry; transactions also carry `details[d]` and
 * `refunds[r]` the same way.
 *
 * @returns {Sources}
 */
export function emptySources() {
  return { events: [], transactions: [], collaborators: [] };
}

// ---------------------------------------------------------------------------------------------
// The four kinds of files.

const EVENT_COLUMNS = { required: ["collaboratorId", "type", "occurredAt"], optional: ["id", "points"] };

/**
 * Events (§8) from a CSV or JSON file: `[{id?, collaboratorId, type, occurredAt, points?}]`. CSV
 * fields stay strings (ids included) except `points`, a whole number; JSON entries are returned
 * as written. The format is the name's (`.csv`, `.json`), else the content's (JSON when it starts
 * with `[` or `{`).
 *
 * @param {string} file the file's name, for the format and for errors
 * @param {Input} input the text, or a chunk source
 * @param {Sources} [sources] filled with where each event came from
 * @returns {object[]}
 * @throws {InputError} `file:line:column: …` for a file that cannot be read as events
 */
export function parseEvents(file, input, sources = emptySources()) {
  const events = [];
  const format = formatOf(file, input);
  input = format.input;
  if (!format.csv) {
    const { items, pointer, doc } = jsonList(file, input, "events");
    items.forEach((item, i) => sources.events.push({ file, pointer: `${pointer}/${i}`, doc }));
    return items;
  }
  readCsvTable(file, input, EVENT_COLUMNS, (row) => {
    const event = {};
    if (row.get("id") !== "") event.id = row.get("id");
    event.collaboratorId = row.need("collaboratorId");
    event.type = row.need("type");
    event.occurredAt = row.need("occurredAt");
    if (row.get("points").trim() !== "") event.points = wholeNumber(row, "points");
    events.push(event);
    sources.events.push({ file, line: row.line, columns: row.columns, fields: { id: "id", collaboratorId: "collaboratorId", type: "type", occurredAt: "occurredAt", points: "points" } });
  });
  return events;
}

const TRANSACTION_COLUMNS = {
  required: ["transactionId", "occurredAt"],
  optional: ["status", "currency", "lineType", "amount", "quantity", "sku", "categories", "ownerCollaboratorIds", "total"],
};
const TRANSACTION_LEVEL = ["status", "occurredAt", "currency"];
const LINE_COLUMNS = ["lineType", "amount", "quantity", "sku", "categories", "ownerCollaboratorIds"];
// Engine field → CSV column, for mapping engine errors back.
const TRANSACTION_FIELDS = { id: "transactionId", status: "status", occurredAt: "occurredAt", currency: "currency", total: "total" };
const DETAIL_FIELDS = { type: "lineType", amount: "amount", quantity: "quantity", sku: "sku", categories: "categories", ownerCollaboratorIds: "ownerCollaboratorIds" };

/**
 * Transactions (§8) from a CSV or JSON file. CSV has one row per transaction line; rows sharing a
 * `transactionId` form one transaction (`details`, in file order), or one row gives a `total`.
 * Amounts stay the exact strings of the file. The format is chosen as for `parseEvents`.
 *
 * @param {string} file
 * @param {Input} input
 * @param {Sources} [sources]
 * @returns {object[]}
 * @throws {InputError}
 */
export function parseTransactions(file, input, sources = emptySources()) {
  const format = formatOf(file, input);
  input = format.input;
  if (!format.csv) {
    const { items, pointer, doc } = jsonList(file, input, "transactions");
    items.forEach((item, i) => {
      const refunds = Array.isArray(item?.refunds) ? item.refunds.map((_, r) => ({ file, pointer: `${pointer}/${i}/refunds/${r}`, doc })) : [];
      sources.transactions.push({ file, pointer: `${pointer}/${i}`, doc, refunds });
    });
    return items;
  }
  const transactions = [];
  const byId = new Map();
  readCsvTable(file, input, TRANSACTION_COLUMNS, (row) => {
    const id = row.need("transactionId");
    row.need("occurredAt");
    const total = row.get("total");
    const lineGiven = LINE_COLUMNS.some((c) => row.get(c) !== "");
    if (total !== "" && lineGiven) {
      row.fail(LINE_COLUMNS.find((c) => row.get(c) !== ""), `a row with a total describes the whole transaction; leave ${LINE_COLUMNS.join(", ")} empty`);
    }
    let entry = byId.get(id);
    if (!entry) {
      const transaction = { id };
      for (const name of TRANSACTION_LEVEL) if (row.get(name) !== "") transaction[name] = row.get(name);
      if (total !== "") transaction.total = total;
      entry = { transaction, first: row, source: { file, line: row.line, columns: row.columns, fields: TRANSACTION_FIELDS, details: [], refunds: [] } };
      byId.set(id, entry);
      transactions.push(transaction);
      sources.transactions.push(entry.source);
    } else {
      for (const name of TRANSACTION_LEVEL) {
        if (row.get(name) !== entry.first.get(name)) {
          row.fail(name, `${name} "${row.get(name)}" of transaction "${id}" differs from "${entry.first.get(name)}" on line ${entry.first.line}; every line of a transaction must agree`);
        }
      }
      if (total !== "" || entry.transaction.total !== undefined) {
        row.fail(total !== "" ? "total" : "transactionId", `transaction "${id}" is given by a total on line ${entry.first.line}${total !== "" ? "" : ""} and must have only one row`);
      }
    }
    if (total !== "") return;
    const detail = { type: row.need("lineType"), amount: row.need("amount") };
    if (row.get("quantity").trim() !== "") detail.quantity = wholeNumber(row, "quantity");
    if (row.get("sku") !== "") detail.sku = row.get("sku");
    if (row.get("categories") !== "") detail.categories = list(row.get("categories"));
    if (row.get("ownerCollaboratorIds") !== "") detail.ownerCollaboratorIds = list(row.get("ownerCollaboratorIds"));
    (entry.transaction.details ??= []).push(detail);
    entry.source.details.push({ file, line: row.line, columns: row.columns, fields: DETAIL_FIELDS });
  });
  return transactions;
}

const REFUND_COLUMNS = { required: ["transactionId", "occurredAt"], optional: ["amount"] };

/**
 * Attaches the refunds of a CSV or JSON file (`transactionId, occurredAt, amount?`; an empty
 * amount is a full refund) to their transactions' `refunds`, in file order. A refund of a
 * transaction not in `transactions` is an error.
 *
 * @param {string} file
 * @param {Input} input
 * @param {object[]} transactions as `parseTransactions` returned them (changed in place)
 * @param {Sources} [sources] the same object given to `parseTransactions`
 * @throws {InputError}
 */
export function attachRefunds(file, input, transactions, sources = emptySources()) {
  const index = new Map();
  transactions.forEach((t, i) => {
    if (t && t.id !== undefined && !index.has(String(t.id))) index.set(String(t.id), i);
  });
  const attach = (id, refund, source, fail) => {
    const i = index.get(String(id));
    if (i === undefined) fail(`unknown transaction "${id}"`);
    const t = transactions[i];
    if (!Array.isArray(t.refunds)) t.refunds = [];
    t.refunds.push(refund);
    if (sources.transactions[i]) (sources.transactions[i].refunds ??= [])[t.refunds.length - 1] = source;
  };
  const format = formatOf(file, input);
  input = format.input;
  if (!format.csv) {
    const { items, pointer, doc } = jsonList(file, input, "refunds");
    const fail = (at, message) => {
      const { line, column } = locateJsonPointer(doc.text(), at) ?? { line: 0, column: 0 };
      throw new InputError(file, line, column, message, { kind: "value" });
    };
    items.forEach((item, r) => {
      if (!item || typeof item !== "object" || item.transactionId === undefined) fail(`${pointer}/${r}`, "a refund needs a transactionId");
      const { transactionId, ...refund } = item;
      attach(transactionId, refund, { file, pointer: `${pointer}/${r}`, doc }, (message) => fail(`${pointer}/${r}/transactionId`, message));
    });
    return;
  }
  readCsvTable(file, input, REFUND_COLUMNS, (row) => {
    const id = row.need("transactionId");
    const refund = { occurredAt: row.need("occurredAt") };
    if (row.get("amount").trim() !== "") refund.amount = row.get("amount");
    attach(id, refund, { file, line: row.line, columns: row.columns, fields: { occurredAt: "occurredAt", amount: "amount" } }, (message) =>
      row.fail("transactionId", message),
    );
  });
}

const COLLABORATOR_COLUMNS = { required: ["id"], optional: ["name", "status"] };

/**
 * Collaborators from a CSV or JSON file: `[{id, name?, status?}]` (names are shown next to ids;
 * the engine reads the statuses).
 *
 * @param {string} file
 * @param {Input} input
 * @param {Sources} [sources]
 * @returns {object[]}
 * @throws {InputError}
 */
export function parseCollaborators(file, input, sources = emptySources()) {
  const format = formatOf(file, input);
  input = format.input;
  if (!format.csv) {
    const { items, pointer, doc } = jsonList(file, input, "collaborators");
    items.forEach((item, i) => sources.collaborators.push({ file, pointer: `${pointer}/${i}`, doc }));
    return items;
  }
  const collaborators = [];
  readCsvTable(file, input, COLLABORATOR_COLUMNS, (row) => {
    const c = { id: row.need("id") };
    if (row.get("name") !== "") c.name = row.get("name");
    if (row.get("status") !== "") c.status = row.get("status");
    collaborators.push(c);
    sources.collaborators.push({ file, line: row.line, columns: row.columns, fields: { id: "id", name: "name", status: "status" } });
  });
  return collaborators;
}

// ---------------------------------------------------------------------------------------------
// Engine errors back to files.

function locate(source, rest) {
  if (!source) return null;
  if (source.pointer !== undefined) {
    const pointer = `${source.pointer}${rest.length ? `/${rest.join("/")}` : ""}`;
    const at = source.doc ? locateJsonPointer(source.doc.text(), pointer) : null;
    return at ? `${source.file}:${at.line}:${at.column}` : `${source.file}: at ${pointer}`;
  }
  const column = rest.length ? source.columns?.[source.fields?.[rest[0]]] : null;
  return column ? `${source.file}:${column.line}:${column.column}` : `${source.file}:${source.line}`;
}

/**
 * Where an engine error's JSON Pointer (`/events/120/occurredAt`, `/transactions/3/details/1/amount`,
 * `/transactions/3/refunds/0/occurredAt`) points in the user's files: `events.csv:122:27` (the
 * field's line and column; the line alone when the path names no column), `events.json:3:15` (the
 * value in a JSON file, or the nearest enclosing one present); null when the path is not into a
 * file read with these `sources`.
 *
 * @param {string} path the engine error's `path`
 * @param {Sources} sources
 * @returns {string | null}
 */
export function locateEnginePath(path, sources) {
  const parts = String(path ?? "").split("/").slice(1);
  const [kind, index, ...rest] = parts;
  if (!sources[kind] || !/^\d+$/.test(index ?? "")) return null;
  const source = sources[kind][Number(index)];
  if (!source) return null;
  if (kind === "transactions" && (rest[0] === "details" || rest[0] === "refunds") && /^\d+$/.test(rest[1] ?? "")) {
    if (source.pointer !== undefined && rest[0] === "details") return locate(source, rest);
    const inner = source[rest[0]]?.[Number(rest[1])];
    return inner ? locate(inner, rest.slice(2)) : locate(source, []);
  }
  return locate(source, rest);
}
