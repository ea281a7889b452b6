// Turning data files — events, transactions, refunds, collaborators — from JSON or CSV text into
// the engine's input objects (ENGINE.md §8). Environment-neutral: no Node or DOM APIs, so the
// command line (cli/inputs.mjs, which reads files with a progress line) and the browser editor
// (www/) share one reader. No domain decisions here: amounts stay the exact strings written in the
// file, and the engine judges every value. What this module does is report bad files precisely
// (`file:line:column: message`) and remember where each entry came from, so that an engine error
// at `/events/120/occurredAt` can be shown as `events.csv:122:…`.
//
// An `input` is the file's text, or a function `(onText) => void` that passes the text to
// `onText` in chunks (a large file parsed while it is read).

/** A problem in an input file. `message` is already `file:line:column: …` (or `file: …`). */
export class InputError extends Error {
  constructor(file, line, column, message) {
    super(`${file}${line ? `:${line}${column ? `:${column}` : ""}` : ""}: ${message}`);
    this.file = file;
    this.line = line;
    this.column = column;
    this.detail = message;
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
 */
export class CsvParser {
  constructor(file, onRecord) {
    this.file = file;
    this.onRecord = onRecord;
    this.line = 1;
    this.column = 1; // column of the next character
    this.state = "start"; // start | unquoted | quoted | quoteInQuoted
    this.afterCR = false;
    this.first = true;
    this.field = "";
    this.fields = [];
    this.positions = [];
    this.quoteAt = null;
  }

  fail(line, column, message) {
    throw new InputError(this.file, line, column, message);
  }

  beginField() {
    this.positions.push({ line: this.line, column: this.column });
  }

  endField() {
    this.fields.push(this.field);
    this.field = "";
  }

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

  newline() {
    this.line++;
    this.column = 1;
  }

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

/** Parses a whole CSV text (tests, small inputs): an array of records as `CsvParser` gives them. */
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

/** Whether a file name means CSV (`.csv`, any case); anything else is read as JSON. */
export const isCsvName = (file) => /\.csv$/i.test(String(file));

// ---------------------------------------------------------------------------------------------
// JSON files: an array, or an object holding the array under its kind's key.

/**
 * Refuses a JSON number that a JS number cannot hold exactly (say 1000000000000000.01): the value
 * would silently change on the way to the engine. Amounts with many digits belong in strings.
 */
function checkJsonNumbers(text, file) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") {
      line++;
      lineStart = i + 1;
    } else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!m) continue;
      const literal = m[0];
      const digits = literal.replace(/[eE].*$/, "").replace(/[-.]/g, "").replace(/^0+/, "").replace(/0+$/, "");
      if (digits.length > 15 && !/[eE]/.test(literal) && String(Number(literal)) !== literal) {
        throw new InputError(file, line, i - lineStart + 1, `the number ${literal} cannot be read exactly; write it as a string ("${literal}")`);
      }
      i += literal.length - 1;
    }
  }
}

/** Parses JSON text (a BOM is ignored), refusing numbers a JS number cannot hold exactly. */
export function parseJson(input, file = "<json>") {
  const text = textOf(input);
  let value;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new InputError(file, 0, 0, `not valid JSON: ${e.message}`);
  }
  checkJsonNumbers(text, file);
  return value;
}

function jsonList(file, input, kind) {
  const value = parseJson(input, file);
  if (Array.isArray(value)) return { items: value, pointer: "" };
  if (value && typeof value === "object" && Array.isArray(value[kind])) return { items: value[kind], pointer: `/${kind}` };
  throw new InputError(file, 0, 0, `expected an array of ${kind}, or an object with the array under "${kind}"`);
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
        throw new InputError(file, at.line, at.column, message);
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

const isCsv = isCsvName;

/**
 * Where entries came from, to map engine errors back: `sources.events[i]` is
 * `{file, line, columns}` for a CSV row or `{file, pointer}` for a JSON entry; transactions also
 * carry `details[d]` and `refunds[r]` the same way.
 */
export function emptySources() {
  return { events: [], transactions: [], collaborators: [] };
}

// ---------------------------------------------------------------------------------------------
// The four kinds of files.

const EVENT_COLUMNS = { required: ["collaboratorId", "type", "occurredAt"], optional: ["id", "points"] };

export function parseEvents(file, input, sources = emptySources()) {
  const events = [];
  if (!isCsv(file)) {
    const { items, pointer } = jsonList(file, input, "events");
    items.forEach((item, i) => sources.events.push({ file, pointer: `${pointer}/${i}` }));
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

export function parseTransactions(file, input, sources = emptySources()) {
  if (!isCsv(file)) {
    const { items, pointer } = jsonList(file, input, "transactions");
    items.forEach((item, i) => {
      const refunds = Array.isArray(item?.refunds) ? item.refunds.map((_, r) => ({ file, pointer: `${pointer}/${i}/refunds/${r}` })) : [];
      sources.transactions.push({ file, pointer: `${pointer}/${i}`, refunds });
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

/** Attaches the refunds of `file` to their transactions (in file order); unknown ids are errors. */
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
  if (!isCsv(file)) {
    const { items, pointer } = jsonList(file, input, "refunds");
    items.forEach((item, r) => {
      if (!item || typeof item !== "object" || item.transactionId === undefined) {
        throw new InputError(file, 0, 0, `${pointer}/${r}: a refund needs a transactionId`);
      }
      const { transactionId, ...refund } = item;
      attach(transactionId, refund, { file, pointer: `${pointer}/${r}` }, (message) => {
        throw new InputError(file, 0, 0, `${pointer}/${r}/transactionId: ${message}`);
      });
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

export function parseCollaborators(file, input, sources = emptySources()) {
  if (!isCsv(file)) {
    const { items, pointer } = jsonList(file, input, "collaborators");
    items.forEach((item, i) => sources.collaborators.push({ file, pointer: `${pointer}/${i}` }));
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
  if (source.pointer !== undefined) return `${source.file}: at ${source.pointer}${rest.length ? `/${rest.join("/")}` : ""}`;
  const column = rest.length ? source.columns?.[source.fields?.[rest[0]]] : null;
  return column ? `${source.file}:${column.line}:${column.column}` : `${source.file}:${source.line}`;
}

/**
 * Where an engine error's JSON Pointer (`/events/120/occurredAt`, `/transactions/3/details/1/amount`,
 * `/transactions/3/refunds/0/occurredAt`) points in the user's files: `events.csv:122:27`, or
 * `events.json: at /events/120/occurredAt`; null when the path is not into a file read here.
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
