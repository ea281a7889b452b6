// The command line's bulk path: CSV data files read straight from their bytes into the typed
// columns of `Engine.loadEventsColumns` / `Engine.loadTransactionsColumns`, in chunks, so a large
// file is never one JS string nor one object per row. It reads only what the columns say exactly
// as the object path would (lib/records.mjs and the engine's JSON reader); anything else — a CSV
// or row the reader would refuse, a timestamp form or amount the columns cannot carry exactly —
// throws `Unsupported`, and the caller takes the object path, which gives today's answer or error.

import { openSync, readSync, closeSync, fstatSync } from "node:fs";
import * as buffers from "node:buffer";
import { progressLine, readTextChunks } from "./inputs.mjs";
import { CsvParser } from "../lib/records.mjs";

/** Streams `file` through the object path's CSV parser until `onRecord` returns true. */
function readCsvRecordsAt(file, onRecord) {
  const stop = {};
  const parser = new CsvParser(file, (record) => {
    if (onRecord(record)) throw stop;
  });
  try {
    readTextChunks(file, (text) => parser.feed(text));
    parser.end();
  } catch (e) {
    if (e !== stop) throw e;
  }
}

/** The file cannot be read as columns with certainty; `reason` says why (for tests). */
export class Unsupported extends Error {}

const unsupported = (reason) => {
  throw new Unsupported(reason);
};

// The engine's limits on one id, type, timestamp or amount text (limits::MAX_ID_BYTES): longer
// fields go to the object path, which says what is wrong.
const MAX_FIELD_BYTES = 1024;
const DEFAULT_CHUNK = 1 << 20;
const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

// Node 18.14 and 19.4 added the native isUtf8; before, a strict TextDecoder says it.
const STRICT = new TextDecoder("utf-8", { fatal: true });
const isUtf8 =
  buffers.isUtf8 ??
  ((bytes) => {
    try {
      STRICT.decode(bytes);
      return true;
    } catch {
      return false;
    }
  });

/**
 * Reads CSV `file` in chunks of `chunkSize` bytes and calls `onRecord(r)` for each record but
 * blank lines, with `r.count` fields: field i is `r.text(i)`, or bytes `r.buf[r.start[i]..r.end[i])`
 * when `r.quoted[i]` is null. Quoting is RFC 4180 as `CsvParser` reads it; what it would refuse
 * (a stray or unclosed quote, text after a closing quote, bytes that are not UTF-8) is
 * `Unsupported`. Records may span chunks (a quoted line break, a multi-byte character).
 */
export function readCsvRecords(file, onRecord, { chunkSize = DEFAULT_CHUNK } = {}) {
  let fd;
  try {
    fd = openSync(file, "r");
  } catch {
    unsupported("cannot open the file"); // the object path words why
  }
  const progress = progressLine(file, fstatSync(fd).size);
  try {
    let buf = Buffer.allocUnsafe(Math.max(2 * chunkSize, 64));
    const r = {
      buf,
      count: 0,
      start: new Int32Array(64),
      end: new Int32Array(64),
      quoted: new Array(64).fill(null),
      text(i) {
        return this.quoted[i] ?? this.buf.utf8Slice(this.start[i], this.end[i]);
      },
      size(i) {
        return this.quoted[i] === null ? this.end[i] - this.start[i] : Buffer.byteLength(this.quoted[i]);
      },
    };
    let limit = 0; // bytes in buf
    let done = 0;
    let first = true;
    let eof = false;
    while (!eof) {
      buf = r.buf = bytesRoom(buf, limit, limit + chunkSize);
      let n;
      try {
        n = readSync(fd, buf, limit, chunkSize, null);
      } catch {
        unsupported("cannot read the file");
      }
      eof = n === 0;
      limit += n;
      done += n;
      progress?.update(done);
      let pos = 0;
      if (first && limit >= 3) {
        first = false;
        if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
      }
      const from = pos;
      for (;;) {
        const next = parseRecord(buf, pos, limit, eof, r);
        if (next < 0) break;
        if (!(r.count === 1 && r.quoted[0] === null && r.start[0] === r.end[0])) onRecord(r);
        pos = next;
        if (pos >= limit) break;
      }
      // Whole records end at a line break (or the file's end), never inside a character.
      if (!isUtf8(buf.subarray(from, pos))) unsupported("not UTF-8");
      if (eof && pos < limit) unsupported("an unfinished record");
      buf.copy(buf, 0, pos, limit);
      limit -= pos;
    }
  } finally {
    closeSync(fd);
    progress?.end();
  }
}

/**
 * Parses the record at buf[pos..limit) into `r`; returns where the next one starts, or -1 when
 * the record does not end before `limit` and more bytes may come.
 */
function parseRecord(buf, pos, limit, eof, r) {
  let p = pos;
  let count = 0;
  for (;;) {
    if (count === r.start.length) grow(r);
    if (p < limit && buf[p] === QUOTE) {
      let text = "";
      let segment = ++p;
      for (;;) {
        const q = buf.indexOf(QUOTE, p);
        if (q < 0 || q >= limit) return eof ? unsupported("an unterminated quoted field") : -1;
        if (q + 1 >= limit && !eof) return -1;
        if (buf[q + 1] === QUOTE) {
          text += buf.utf8Slice(segment, q + 1);
          p = segment = q + 2;
          continue;
        }
        text += buf.utf8Slice(segment, q);
        p = q + 1;
        break;
      }
      r.quoted[count] = text;
      if (p < limit && buf[p] !== COMMA && buf[p] !== LF && buf[p] !== CR) unsupported("text after a closing quote");
    } else {
      r.start[count] = p;
      let b = 0;
      // Every byte the loop stops at is at most a comma (, " CR LF): one comparison for the rest.
      while (p < limit && ((b = buf[p]) > COMMA || (b !== COMMA && b !== LF && b !== CR && b !== QUOTE))) p++;
      if (p < limit && b === QUOTE) unsupported("a quote inside an unquoted field");
      r.end[count] = p;
      r.quoted[count] = null;
    }
    count++;
    if (p >= limit) {
      if (!eof) return -1;
      r.count = count;
      return limit;
    }
    const b = buf[p];
    if (b === COMMA) {
      p++;
      continue;
    }
    r.count = count;
    if (b === LF) return p + 1;
    // A CR ends the record; a LF right after it belongs to it.
    if (p + 1 >= limit) return eof ? limit : -1;
    return buf[p + 1] === LF ? p + 2 : p + 1;
  }
}

function grow(r) {
  const n = r.start.length * 2;
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  start.set(r.start);
  end.set(r.end);
  r.start = start;
  r.end = end;
  r.quoted.length = n;
  r.quoted.fill(null, n / 2);
}

// ---------------------------------------------------------------------------------------------
// Field values.

/** The header's columns by name, as readCsvTable accepts them; anything else is Unsupported. */
function headerOf(r, { required, optional }) {
  const known = [...required, ...optional];
  const columns = new Map();
  for (let i = 0; i < r.count; i++) {
    const name = r.text(i).trim();
    if (!known.includes(name) || columns.has(name)) unsupported(`header column "${name}"`);
    columns.set(name, i);
  }
  for (const name of required) if (!columns.has(name)) unsupported(`no column "${name}"`);
  return { width: r.count, at: (name) => (columns.has(name) ? columns.get(name) : -1) };
}

/** Whether field i is empty. */
const empty = (r, i) => i < 0 || (r.quoted[i] === null ? r.start[i] === r.end[i] : r.quoted[i] === "");

/** Field i as text, checked against the engine's id limit; empty is Unsupported (the reader refuses it). */
function needed(r, i, what) {
  if (empty(r, i)) unsupported(`empty ${what}`);
  if (r.size(i) > MAX_FIELD_BYTES) unsupported(`a long ${what}`);
  return r.text(i);
}

/** Field i is a name the object path takes as it is: not empty, within the id limit. */
function checkName(r, i, what) {
  if (empty(r, i)) unsupported(`empty ${what}`);
  if (r.size(i) > MAX_FIELD_BYTES) unsupported(`a long ${what}`);
}

/** Field i as an ASCII byte string (for the number readers): a view, or the quoted text's bytes. */
function bytesOf(r, i) {
  if (r.quoted[i] === null) return { b: r.buf, s: r.start[i], e: r.end[i] };
  const b = Buffer.from(r.quoted[i]);
  return { b, s: 0, e: b.length };
}

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const isLeap = (y) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y, m) => (m === 2 ? (isLeap(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]);

/** Days from 1970-01-01 to year-01-01 (proleptic Gregorian). */
function daysToYear(y) {
  const p = y - 1;
  return 365 * (y - 1970) + (Math.floor(p / 4) - Math.floor(p / 100) + Math.floor(p / 400)) - 477;
}

/**
 * The instant of a timestamp field in whole milliseconds, for the forms `time::parse_timestamp`
 * reads with the same meaning: `YYYY-MM-DDTHH:MM[:SS[.fff]]` then `Z` or `±HH:MM`, every field in
 * range, at most millisecond precision. NaN for anything else (trimmed, lowercase, a leap second,
 * an offset without a colon, month 13): the object path then says what the engine makes of it.
 */
export function instantMs(b, s, e) {
  const n = e - s;
  if (n < 17 || n > 40) return NaN;
  const d = (k) => {
    const c = b[s + k] - 48;
    return c >= 0 && c <= 9 ? c : NaN;
  };
  if (b[s + 4] !== 45 || b[s + 7] !== 45 || b[s + 10] !== 84 || b[s + 13] !== 58) return NaN;
  const year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
  const month = d(5) * 10 + d(6);
  const day = d(8) * 10 + d(9);
  const hour = d(11) * 10 + d(12);
  const minute = d(14) * 10 + d(15);
  let second = 0;
  let ms = 0;
  let at = 16;
  if (b[s + 16] === 58) {
    second = d(17) * 10 + d(18);
    at = 19;
    if (b[s + 19] === 46) {
      let digits = 0;
      for (at = 20; at < n && b[s + at] >= 48 && b[s + at] <= 57; at++) {
        const c = b[s + at] - 48;
        if (digits < 3) ms = ms * 10 + c;
        else if (c !== 0) return NaN; // finer than a millisecond
        digits++;
      }
      if (digits === 0) return NaN;
      for (let k = digits; k < 3; k++) ms *= 10;
    }
  }
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour <= 23 && minute <= 59 && second <= 59)) return NaN;
  let offset = 0;
  if (at === n - 1 && b[s + at] === 90) {
    offset = 0;
  } else if (at === n - 6 && (b[s + at] === 43 || b[s + at] === 45) && b[s + at + 3] === 58) {
    const hours = d(at + 1) * 10 + d(at + 2);
    const minutes = d(at + 4) * 10 + d(at + 5);
    if (!(hours <= 23 && minutes <= 59)) return NaN;
    offset = (hours * 60 + minutes) * (b[s + at] === 45 ? -1 : 1);
  } else {
    return NaN;
  }
  const days = daysToYear(year) + DAYS_BEFORE_MONTH[month - 1] + (month > 2 && isLeap(year) ? 1 : 0) + day - 1;
  return ((days * 24 + hour) * 60 + minute - offset) * 60_000 + second * 1000 + ms;
}

/** A timestamp field in ms; Unsupported when `instantMs` does not read it. */
function instantOf(r, i, what) {
  if (empty(r, i)) unsupported(`empty ${what}`);
  const t = r.quoted[i] === null ? instantMs(r.buf, r.start[i], r.end[i]) : instantMs(Buffer.from(r.quoted[i]), 0, Buffer.byteLength(r.quoted[i]));
  if (Number.isNaN(t)) unsupported(`the timestamp ${r.text(i)}`);
  return t;
}

/** Field i as a whole number of at most `max` written as plain digits; Unsupported otherwise. */
function digitsOf(r, i, max, what) {
  const { b, s, e } = bytesOf(r, i);
  if (e - s > 16) unsupported(`${what} ${r.text(i)}`);
  let v = 0;
  for (let k = s; k < e; k++) {
    const c = b[k] - 48;
    if (c < 0 || c > 9) unsupported(`${what} ${r.text(i)}`);
    v = v * 10 + c;
  }
  if (v > max) unsupported(`${what} ${r.text(i)}`);
  return v;
}

/**
 * A plain decimal amount (`49.99`, `100`) as `{units, digits}`: the digits without the decimal
 * point and trailing fraction zeros, and how many fraction digits remain; Unsupported for any
 * other form (a sign, blanks, an exponent) or beyond 2^53.
 */
function decimalOf(r, i, what) {
  const { b, s, e } = bytesOf(r, i);
  let units = 0;
  let digits = -1; // -1: no point yet
  let zeros = 0; // fraction zeros not yet counted
  if (e - s > 40 || e === s) unsupported(`${what} ${r.text(i)}`);
  for (let k = s; k < e; k++) {
    const c = b[k];
    if (c === 46 && digits < 0 && k > s && k < e - 1) {
      digits = 0;
      continue;
    }
    if (c < 48 || c > 57) unsupported(`${what} ${r.text(i)}`);
    if (digits >= 0 && c === 48) {
      zeros++;
      continue;
    }
    for (; zeros > 0; zeros--) {
      units *= 10;
      digits++;
    }
    units = units * 10 + (c - 48);
    if (digits >= 0) digits++;
  }
  if (!Number.isSafeInteger(units)) unsupported(`${what} ${r.text(i)}`);
  return { units, digits: Math.max(digits, 0) };
}

/** Grows a typed array to hold at least `n` entries. */
function room(array, n) {
  if (n <= array.length) return array;
  const bigger = new array.constructor(Math.max(n, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** `buffer`, or a new one of at least `needed` bytes (twice as large, or more) with its first
 * `used` bytes. */
function bytesRoom(buffer, used, needed) {
  if (needed <= buffer.length) return buffer;
  const bigger = Buffer.allocUnsafe(Math.max(2 * buffer.length, needed));
  buffer.copy(bigger, 0, 0, used);
  return bigger;
}

/**
 * Names (collaborator ids, types) interned by their bytes: `index(r, i)` is field i's position in
 * `names`, found without making a string for a name seen before (most rows repeat one).
 */
class Interner {
  constructor() {
    this.names = [];
    this.slots = new Int32Array(1 << 12); // position + 1, 0 for empty
    this.offsets = [0];
    this.arena = Buffer.allocUnsafe(1 << 14);
    this.used = 0;
  }
  index(r, i) {
    if (r.quoted[i] !== null) {
      const b = Buffer.from(r.quoted[i]);
      return this.find(b, 0, b.length);
    }
    return this.find(r.buf, r.start[i], r.end[i]);
  }
  find(b, s, e) {
    let h = 0x811c9dc5;
    for (let k = s; k < e; k++) h = Math.imul(h ^ b[k], 0x01000193);
    const mask = this.slots.length - 1;
    const arena = this.arena;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const at = this.slots[slot];
      if (at === 0) return this.add(slot, b, s, e);
      let from = this.offsets[at - 1];
      if (this.offsets[at] - from !== e - s) continue;
      let k = s;
      while (k < e && arena[from] === b[k]) {
        from++;
        k++;
      }
      if (k === e) return at - 1;
    }
  }
  add(slot, b, s, e) {
    const position = this.names.length;
    this.names.push(b.utf8Slice(s, e));
    this.arena = bytesRoom(this.arena, this.used, this.used + (e - s));
    b.copy(this.arena, this.used, s, e);
    this.used += e - s;
    this.offsets.push(this.used);
    this.slots[slot] = position + 1;
    if (2 * this.names.length > this.slots.length) this.rehash();
    return position;
  }
  rehash() {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let p = 0; p < this.names.length; p++) {
      let h = 0x811c9dc5;
      for (let k = this.offsets[p]; k < this.offsets[p + 1]; k++) h = Math.imul(h ^ this.arena[k], 0x01000193);
      let slot = h & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = p + 1;
    }
    this.slots = slots;
  }
}

/** The length `Engine.loadEventsColumns` reads as a null in a packed string table. */
const NULL_LENGTH = 0xffffffff;
/** The longest text handed over packed: below V8's longest string (about 2^29 UTF-16 units). */
const MAX_PACKED_BYTES = 1 << 28;

/**
 * Strings (event ids: one per row) kept as their bytes, not one JS string each, which was most
 * of a large file's reading time (BENCHMARKS.md, the CLI): `table()` gives them as the engine's
 * packed form `{text, lengths}` when all are ASCII (a byte is then a UTF-16 unit) and their text
 * fits one string, else as an array of strings and nulls.
 */
class ByteStrings {
  constructor() {
    this.bytes = Buffer.allocUnsafe(1 << 16);
    this.used = 0;
    this.sizes = new Uint32Array(1 << 12); // bytes, or NULL_LENGTH
    this.n = 0;
    this.ascii = true;
  }
  pushNull() {
    this.sizes = room(this.sizes, this.n + 1);
    this.sizes[this.n++] = NULL_LENGTH;
  }
  push(r, i) {
    const quoted = r.quoted[i];
    // Not destructured from an array: this runs once a row.
    const b = quoted === null ? r.buf : Buffer.from(quoted);
    const s = quoted === null ? r.start[i] : 0;
    const e = quoted === null ? r.end[i] : b.length;
    this.bytes = bytesRoom(this.bytes, this.used, this.used + (e - s));
    for (let k = s; k < e; k++) {
      const byte = b[k];
      this.ascii &&= byte < 0x80;
      this.bytes[this.used++] = byte;
    }
    this.sizes = room(this.sizes, this.n + 1);
    this.sizes[this.n++] = e - s;
  }
  table() {
    const sizes = this.sizes.subarray(0, this.n);
    if (this.ascii && this.used <= MAX_PACKED_BYTES) return { text: this.bytes.latin1Slice(0, this.used), lengths: sizes };
    const strings = new Array(this.n);
    for (let k = 0, at = 0; k < this.n; k++) {
      strings[k] = sizes[k] === NULL_LENGTH ? null : this.bytes.utf8Slice(at, (at += sizes[k]));
    }
    return strings;
  }
}

// ---------------------------------------------------------------------------------------------
// Events.

const EVENT_COLUMNS = { required: ["collaboratorId", "type", "occurredAt"], optional: ["id", "points"] };
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Events CSV as `EventColumns`, with `count`. Unsupported for what only the object path says
 * exactly (see the module comment).
 */
export function readEventColumns(file, options) {
  let header = null;
  let n = 0;
  let collaboratorIndex = new Uint32Array(1 << 16);
  let typeIndex = new Uint16Array(1 << 16);
  let occurredAtMs = new Float64Array(1 << 16);
  let points = null;
  const collaborators = new Interner();
  const types = new Interner();
  let eventIds = null;
  let manual = -1;
  let cId, cCollaborator, cType, cAt, cPoints;
  readCsvRecords(
    file,
    (r) => {
      if (!header) {
        header = headerOf(r, EVENT_COLUMNS);
        [cId, cCollaborator, cType, cAt, cPoints] = ["id", "collaboratorId", "type", "occurredAt", "points"].map(header.at);
        if (cId >= 0) eventIds = new ByteStrings();
        return;
      }
      if (r.count !== header.width) unsupported("a row with another number of fields");
      if (n === occurredAtMs.length) {
        collaboratorIndex = room(collaboratorIndex, n + 1);
        typeIndex = room(typeIndex, n + 1);
        occurredAtMs = room(occurredAtMs, n + 1);
        if (points) points = room(points, n + 1);
      }
      checkName(r, cCollaborator, "collaboratorId");
      checkName(r, cType, "type");
      const c = collaborators.index(r, cCollaborator);
      const k = types.index(r, cType);
      if (k > 0xffff) unsupported("too many types");
      collaboratorIndex[n] = c;
      typeIndex[n] = k;
      occurredAtMs[n] = instantOf(r, cAt, "occurredAt");
      if (eventIds && empty(r, cId)) {
        eventIds.pushNull();
      } else if (eventIds) {
        checkName(r, cId, "id");
        eventIds.push(r, cId);
      }
      if (!empty(r, cPoints)) {
        // Only a manual credit's whole points; the object path words every other case.
        if (manual < 0) manual = types.names.indexOf("manual");
        if (k !== manual) unsupported("points on an event that is not manual");
        if (!points) points = new Float64Array(occurredAtMs.length).fill(NaN);
        points[n] = digitsOf(r, cPoints, MAX_SAFE, "points");
      } else if (points) {
        points[n] = NaN;
      }
      n++;
    },
    options,
  );
  if (!header) unsupported("an empty file");
  const columns = {
    collaboratorIndex: collaboratorIndex.subarray(0, n),
    typeIndex: typeIndex.subarray(0, n),
    occurredAtMs: occurredAtMs.subarray(0, n),
    collaboratorIds: collaborators.names,
    typeNames: types.names,
  };
  if (points) columns.points = points.subarray(0, n);
  if (eventIds) columns.eventIds = eventIds.table();
  return { columns, count: n, rows: { file } };
}

// ---------------------------------------------------------------------------------------------
// Transactions and refunds.

const TRANSACTION_COLUMNS = {
  required: ["transactionId", "occurredAt"],
  optional: ["status", "currency", "lineType", "amount", "quantity", "sku", "categories", "ownerCollaboratorIds", "total"],
};
const REFUND_COLUMNS = { required: ["transactionId", "occurredAt"], optional: ["amount"] };
const STATUS_NAMES = ["complete", "refunded", "cancelled"];
const LINE_TYPE_NAMES = ["product", "subscription", "fee", "discount", "shipping", "tax"];
const LINE_FIELDS = ["lineType", "amount", "quantity", "sku", "categories", "ownerCollaboratorIds"];
const list = (text) => text.split(";").map((s) => s.trim()).filter((s) => s !== "");

/** `list` of each distinct text made once: most lines repeat a few category and owner lists. */
function lists() {
  const seen = new Map();
  return (text) => {
    let value = seen.get(text);
    if (value === undefined) seen.set(text, (value = list(text)));
    return value;
  };
}

/** A column whose entries are all null is left out: the engine reads its absence the same way. */
const unlessAllNull = (column) => (column.every((entry) => entry === null) ? undefined : column);

/** Amounts as read (`{units, digits}` per entry), scaled to one `amountScale` at the end. */
class Amounts {
  constructor() {
    this.units = new Float64Array(1 << 12);
    this.digits = new Uint8Array(1 << 12);
    this.n = 0;
  }
  push(amount) {
    this.units = room(this.units, this.n + 1);
    this.digits = room(this.digits, this.n + 1);
    this.units[this.n] = amount ? amount.units : NaN;
    this.digits[this.n++] = amount ? amount.digits : 0;
  }
  scaled(scale) {
    const out = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const v = this.units[i] * 10 ** (scale - this.digits[i]);
      if (!Number.isNaN(v) && !Number.isSafeInteger(v)) unsupported("an amount beyond 2^53 units");
      out[i] = v;
    }
    return out;
  }
  scale() {
    let scale = 0;
    for (let i = 0; i < this.n; i++) if (this.digits[i] > scale) scale = this.digits[i];
    return scale;
  }
}

/**
 * Transactions CSV, and the refunds CSV when given, as `TransactionColumns`, with `count`
 * (transactions). Unsupported for what only the object path says exactly.
 */
export function readTransactionColumns(file, refundsFile, options) {
  let header = null;
  const ids = [];
  const byId = new Map();
  // Per transaction: its first row's status and occurredAt text.
  const firstStatus = [];
  const firstAt = [];
  let lineColumns;
  const occurred = [];
  const statusIndex = [];
  const currencies = [];
  const totals = new Amounts();
  const lineTransaction = [];
  const lineType = [];
  const lineAmounts = new Amounts();
  const lineQuantity = [];
  const skus = [];
  const categories = [];
  const owners = [];
  const categoryList = lists();
  const ownerList = lists();
  // Data rows (0-based, after the header) of each transaction's first row and of each line.
  const transactionRow = [];
  const lineRow = [];
  let row = -1;
  let col;
  readCsvRecords(
    file,
    (r) => {
      if (!header) {
        header = headerOf(r, TRANSACTION_COLUMNS);
        col = Object.fromEntries([...TRANSACTION_COLUMNS.required, ...TRANSACTION_COLUMNS.optional].map((name) => [name, header.at(name)]));
        lineColumns = LINE_FIELDS.map((name) => col[name]).filter((i) => i >= 0);
        return;
      }
      if (r.count !== header.width) unsupported("a row with another number of fields");
      row++;
      const id = needed(r, col.transactionId, "transactionId");
      if (empty(r, col.occurredAt)) unsupported("empty occurredAt");
      const hasTotal = !empty(r, col.total);
      let lineGiven = false;
      for (const i of lineColumns) if (!empty(r, i)) lineGiven = true;
      if (hasTotal && lineGiven) unsupported("a total with line fields");
      const status = empty(r, col.status) ? "" : r.text(col.status);
      const at = r.text(col.occurredAt);
      const currency = empty(r, col.currency) ? "" : r.text(col.currency);
      let t = byId.get(id);
      if (t === undefined) {
        t = ids.length;
        byId.set(id, t);
        ids.push(id);
        transactionRow.push(row);
        firstStatus.push(status);
        firstAt.push(at);
        if (Buffer.byteLength(status) > MAX_FIELD_BYTES || Buffer.byteLength(currency) > MAX_FIELD_BYTES) unsupported("a long field");
        const s = status === "" ? 0 : STATUS_NAMES.indexOf(status);
        if (s < 0) unsupported(`the status ${status}`);
        statusIndex.push(s);
        occurred.push(instantOf(r, col.occurredAt, "occurredAt"));
        currencies.push(currency === "" ? null : currency);
        totals.push(hasTotal ? decimalOf(r, col.total, "total") : null);
        if (hasTotal) return;
      } else {
        // The reader compares the text of every row with the first one's.
        if (firstStatus[t] !== status || firstAt[t] !== at || (currencies[t] ?? "") !== currency) unsupported("rows of a transaction that disagree");
        if (hasTotal || !Number.isNaN(totals.units[t])) unsupported("a transaction given by a total with more rows");
      }
      const type = LINE_TYPE_NAMES.indexOf(needed(r, col.lineType, "lineType"));
      if (type < 0) unsupported(`the line type ${r.text(col.lineType)}`);
      if (empty(r, col.amount)) unsupported("empty amount");
      lineTransaction.push(t);
      lineRow.push(row);
      lineType.push(type);
      lineAmounts.push(decimalOf(r, col.amount, "amount"));
      lineQuantity.push(empty(r, col.quantity) ? 1 : digitsOf(r, col.quantity, 0xffffffff, "quantity"));
      skus.push(empty(r, col.sku) ? null : needed(r, col.sku, "sku"));
      categories.push(empty(r, col.categories) ? null : categoryList(needed(r, col.categories, "categories")));
      owners.push(empty(r, col.ownerCollaboratorIds) ? null : ownerList(needed(r, col.ownerCollaboratorIds, "ownerCollaboratorIds")));
    },
    options,
  );
  if (!header) unsupported("an empty file");

  const refundTransaction = [];
  const refundOccurred = [];
  const refundAmounts = new Amounts();
  if (refundsFile !== undefined) {
    let refundHeader = null;
    let cId, cAt, cAmount;
    readCsvRecords(
      refundsFile,
      (r) => {
        if (!refundHeader) {
          refundHeader = headerOf(r, REFUND_COLUMNS);
          [cId, cAt, cAmount] = ["transactionId", "occurredAt", "amount"].map(refundHeader.at);
          return;
        }
        if (r.count !== refundHeader.width) unsupported("a row with another number of fields");
        const t = byId.get(needed(r, cId, "transactionId"));
        if (t === undefined) unsupported("a refund of an unknown transaction");
        refundTransaction.push(t);
        refundOccurred.push(instantOf(r, cAt, "occurredAt"));
        refundAmounts.push(empty(r, cAmount) ? null : decimalOf(r, cAmount, "amount"));
      },
      options,
    );
    if (!refundHeader) unsupported("an empty refunds file");
  }

  const amountScale = Math.max(totals.scale(), lineAmounts.scale(), refundAmounts.scale());
  if (amountScale > 12) unsupported("an amount with more than 12 decimals");
  // Ids that are whole numbers' decimal texts load as numbers, without a string each.
  const numeric = ids.every((id) => /^(0|[1-9]\d{0,14})$/.test(id));
  const columns = {
    transactionIds: numeric ? Float64Array.from(ids, Number) : ids,
    occurredAtMs: Float64Array.from(occurred),
    statusIndex: Uint8Array.from(statusIndex),
    statusNames: STATUS_NAMES,
    currencies: unlessAllNull(currencies),
    total: totals.scaled(amountScale),
    amountScale,
    lineTransactionIndex: Uint32Array.from(lineTransaction),
    lineTypeIndex: Uint8Array.from(lineType),
    lineTypeNames: LINE_TYPE_NAMES,
    lineAmount: lineAmounts.scaled(amountScale),
    lineQuantity: Uint32Array.from(lineQuantity),
    lineSkus: unlessAllNull(skus),
    lineCategories: unlessAllNull(categories),
    lineOwnerCollaboratorIds: unlessAllNull(owners),
  };
  for (const [name, value] of Object.entries(columns)) if (value === undefined) delete columns[name];
  if (refundsFile !== undefined) {
    columns.refundTransactionIndex = Uint32Array.from(refundTransaction);
    columns.refundOccurredAtMs = Float64Array.from(refundOccurred);
    columns.refundAmount = refundAmounts.scaled(amountScale);
  }
  const rows = { file, refundsFile, transactionRow, lineRow, lineTransaction, refundTransaction };
  return { columns, count: ids.length, rows };
}

// ---------------------------------------------------------------------------------------------
// Errors in loaded columns back to the rows they came from.

// Engine column → CSV column, per table.
const EVENT_FIELDS = { occurredAtMs: "occurredAt", collaboratorIndex: "collaboratorId", typeIndex: "type", points: "points", eventIds: "id" };
const EVENT_OBJECT_FIELDS = { id: "id", collaboratorId: "collaboratorId", type: "type", occurredAt: "occurredAt", points: "points" };
const TRANSACTION_FIELDS = { transactionIds: "transactionId", occurredAtMs: "occurredAt", statusIndex: "status", currencies: "currency", total: "total" };
const TRANSACTION_OBJECT_FIELDS = { id: "transactionId", status: "status", occurredAt: "occurredAt", currency: "currency", total: "total" };
const LINE_FIELDS_OF = { lineTransactionIndex: "transactionId", lineTypeIndex: "lineType", lineAmount: "amount", lineQuantity: "quantity", lineSkus: "sku", lineCategories: "categories", lineOwnerCollaboratorIds: "ownerCollaboratorIds" };
const DETAIL_FIELDS = { type: "lineType", amount: "amount", quantity: "quantity", sku: "sku", categories: "categories", ownerCollaboratorIds: "ownerCollaboratorIds" };
const REFUND_FIELDS = { refundTransactionIndex: "transactionId", refundOccurredAtMs: "occurredAt", refundAmount: "amount" };
const REFUND_OBJECT_FIELDS = { occurredAt: "occurredAt", amount: "amount" };

/**
 * Where an engine error's path into loaded columns (`/events/occurredAtMs/12`,
 * `/transactions/lineAmount/7`) or into the records built from them (`/events/12/occurredAt`,
 * `/transactions/3/details/1/amount`, `/transactions/3/refunds/0/occurredAt`) is in the CSV files:
 * `file:line:column` (the row's line without a column when the path names no field); null when
 * the path is not into them. `rows` are what `readEventColumns` and `readTransactionColumns`
 * returned. The file is read again, up to that row (an error is rare; the rows are not kept).
 */
export function locateColumnPath(path, { events, transactions }) {
  const [kind, first, second, third, fourth] = String(path).split("/").slice(1);
  const number = (text) => (/^\d+$/.test(text ?? "") ? Number(text) : null);
  let target = null; // [file, data row, CSV column]
  if (kind === "events" && events) {
    if (first in EVENT_FIELDS && number(second) !== null) target = [events.file, number(second), EVENT_FIELDS[first]];
    else if (number(first) !== null) target = [events.file, number(first), EVENT_OBJECT_FIELDS[second]];
  } else if (kind === "transactions" && transactions) {
    const t = number(first);
    const at = number(second);
    if (first in TRANSACTION_FIELDS && at !== null) target = [transactions.file, transactions.transactionRow[at], TRANSACTION_FIELDS[first]];
    else if (first in LINE_FIELDS_OF && at !== null) target = [transactions.file, transactions.lineRow[at], LINE_FIELDS_OF[first]];
    else if (first in REFUND_FIELDS && at !== null && transactions.refundsFile !== undefined) target = [transactions.refundsFile, at, REFUND_FIELDS[first]];
    else if (t !== null && second === "details" && number(third) !== null) {
      // The d-th line of transaction t, in column order.
      let d = number(third);
      const l = transactions.lineTransaction.findIndex((owner) => owner === t && d-- === 0);
      target = l < 0 ? [transactions.file, transactions.transactionRow[t], null] : [transactions.file, transactions.lineRow[l], DETAIL_FIELDS[fourth]];
    } else if (t !== null && second === "refunds" && number(third) !== null && transactions.refundsFile !== undefined) {
      target = refundTarget(transactions, t, number(third), REFUND_OBJECT_FIELDS[fourth]);
    } else if (t !== null) {
      target = [transactions.file, transactions.transactionRow[t], TRANSACTION_OBJECT_FIELDS[second]];
    }
  }
  if (!target || target[1] === undefined) return null;
  const [file, row, column] = target;
  let found = null;
  let header = null;
  let data = -1;
  try {
    readCsvRecordsAt(file, (record) => {
      if (!header) {
        header = record;
        return false;
      }
      if (++data < row) return false;
      const i = column ? header.fields.findIndex((name) => name.trim() === column) : -1;
      const at = i >= 0 ? record.columns[i] : null;
      found = at ? `${file}:${at.line}:${at.column}` : `${file}:${record.line}`;
      return true;
    });
  } catch {
    return null;
  }
  return found;
}

/** The refunds-file row of refund r of transaction t (refunds are in file order per transaction). */
function refundTarget(transactions, t, r, column) {
  const order = transactions.refundTransaction;
  if (!order) return null;
  let k = -1;
  for (let i = 0, seen = 0; i < order.length; i++) {
    if (order[i] === t && seen++ === r) {
      k = i;
      break;
    }
  }
  return k < 0 ? null : [transactions.refundsFile, k, column];
}
