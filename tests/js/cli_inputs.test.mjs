// The command line's data readers (cli/inputs.mjs): the CSV parser's edge cases, CSV rows into
// the engine's §8 objects, and the exact `file:line:column: message` of every kind of bad row.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  parseCsv,
  readEvents,
  readTransactions,
  readRefunds,
  readCollaborators,
  emptySources,
  locateEnginePath,
  InputError,
} from "../../cli/inputs.mjs";

const dir = mkdtempSync(join(tmpdir(), "siren-inputs-"));
let n = 0;
/** Writes `text` to a fresh file named `name` in the temp dir; returns its path. */
function file(name, text) {
  const path = join(dir, `${++n}-${name}`);
  writeFileSync(path, text);
  return path;
}

const fields = (text) => parseCsv(text, "t.csv").map((r) => r.fields);

/** Asserts that `fn` throws an InputError whose message is exactly `message`. */
function throwsExactly(fn, message) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof InputError, `not an InputError: ${e}`);
    assert.equal(e.message, message);
    return true;
  });
}

test("CSV: quoted fields, doubled quotes, embedded commas and newlines", () => {
  assert.deepEqual(fields('a,b,c\n"x, y","say ""hi""","two\nlines"\n'), [
    ["a", "b", "c"],
    ["x, y", 'say "hi"', "two\nlines"],
  ]);
  assert.deepEqual(fields('""\n"",""\n'), [[""], ["", ""]], "quoted empty fields are records, not blank lines");
  assert.deepEqual(fields("a,,c\n,,\n"), [["a", "", "c"], ["", "", ""]]);
});

test("CSV: CRLF, a BOM, blank and trailing lines, no final newline", () => {
  assert.deepEqual(fields("\uFEFFid,name\r\n1,Ana\r\n\r\n2,\"Ben\r\nOkafor\"\r\n"), [["id", "name"], ["1", "Ana"], ["2", "Ben\r\nOkafor"]]);
  assert.deepEqual(fields("a,b\n1,2"), [["a", "b"], ["1", "2"]]);
  assert.deepEqual(fields("a,b\n1,2\n\n\n"), [["a", "b"], ["1", "2"]]);
  assert.deepEqual(fields("a,b\n1,"), [["a", "b"], ["1", ""]]);
  assert.deepEqual(fields(""), []);
});

test("CSV: records know the line and column of each field, across embedded newlines", () => {
  const records = parseCsv('a,b\n"x\ny",z\nlast,"q"\n', "t.csv");
  assert.deepEqual(records.map((r) => [r.line, r.columns.map((c) => `${c.line}:${c.column}`)]), [
    [1, ["1:1", "1:3"]],
    [2, ["2:1", "3:4"]],
    [4, ["4:1", "4:6"]],
  ]);
});

test("CSV: malformed quoting is located", () => {
  throwsExactly(() => parseCsv('a,b\n1,"open\n2,3\n', "t.csv"), "t.csv:2:3: unterminated quoted field (the quote opened here is never closed)");
  throwsExactly(() => parseCsv('a,b\n1,x"y\n', "t.csv"), 't.csv:2:4: a quote (") inside an unquoted field; quote the whole field and double the quote');
  throwsExactly(() => parseCsv('a,b\n"1"x,2\n', "t.csv"), 't.csv:2:4: expected "," or the end of the line after a closing quote');
});

test("events: CSV rows become §8 events; points only where written, as whole numbers", () => {
  const path = file("events.csv", "id,collaboratorId,type,occurredAt,points\ne1,ana,manual,2026-03-03T10:00:00Z,850\n,42,referredSiteVisit,2026-03-04T10:00:00-05:00,\n");
  const sources = emptySources();
  assert.deepEqual(readEvents(path, sources), [
    { id: "e1", collaboratorId: "ana", type: "manual", occurredAt: "2026-03-03T10:00:00Z", points: 850 },
    { collaboratorId: "42", type: "referredSiteVisit", occurredAt: "2026-03-04T10:00:00-05:00" },
  ]);
  assert.equal(locateEnginePath("/events/1/occurredAt", sources), `${path}:3:23`);
  assert.equal(locateEnginePath("/events/0", sources), `${path}:2`);
  assert.equal(locateEnginePath("/events/7/occurredAt", sources), null);
  assert.equal(locateEnginePath("/at", sources), null);
});

test("events: columns may come in any order; JSON arrays and {events: [...]} are read as they are", () => {
  const csv = file("events.csv", "occurredAt,type,collaboratorId\n2026-03-03T10:00:00Z,referredSiteVisit,7\n");
  assert.deepEqual(readEvents(csv), [{ collaboratorId: "7", type: "referredSiteVisit", occurredAt: "2026-03-03T10:00:00Z" }]);
  const list = [{ collaboratorId: 7, type: "manual", occurredAt: "2026-03-03T10:00:00Z", points: 5 }];
  assert.deepEqual(readEvents(file("a.json", JSON.stringify(list))), list);
  const sources = emptySources();
  const wrapped = file("b.json", JSON.stringify({ events: list }));
  assert.deepEqual(readEvents(wrapped, sources), list);
  assert.equal(locateEnginePath("/events/0/points", sources), `${wrapped}:1:93`, "JSON: the value's line and column");
  assert.equal(locateEnginePath("/events/0/id", sources), `${wrapped}:1:12`, "a missing field: the object that lacks it");
  const other = file("c.json", '{"transactions": []}');
  throwsExactly(() => readEvents(other), `${other}:1:1: expected an array of events, or an object with the array under "events"`);
  const broken = file("d.json", "[1,");
  throwsExactly(() => readEvents(broken), `${broken}:1:4: not valid JSON: the file ends where a value was expected`);
});

test("events: every kind of bad row, with its exact file:line:column", () => {
  const cases = [
    ["id,collaboratorId,type,when\n", "1:24", 'unknown column "when"; expected collaboratorId,type,occurredAt,id,points'],
    ["id,collaboratorId,type\n", "1:1", 'missing required column "occurredAt"; expected collaboratorId,type,occurredAt,id,points'],
    ["id,type,type,occurredAt\n", "1:9", 'column "type" appears twice'],
    ["collaboratorId,type,occurredAt\nana,manual\n", "2:11", "expected 3 fields (collaboratorId,type,occurredAt), found 2"],
    ["collaboratorId,type,occurredAt\nana,manual,2026-03-03T10:00:00Z,9\n", "2:33", "expected 3 fields (collaboratorId,type,occurredAt), found 4"],
    ["collaboratorId,type,occurredAt\n,manual,2026-03-03T10:00:00Z\n", "2:1", "empty collaboratorId"],
    ["collaboratorId,type,occurredAt,points\r\nana,manual,2026-03-03T10:00:00Z,8\r\nben,manual,2026-03-03T10:00:00Z,1.5\r\n", "3:33", 'points must be a whole number, got "1.5"'],
    ["collaboratorId,type,occurredAt,points\nana,manual,2026-03-03T10:00:00Z,ten\n", "2:33", 'points must be a whole number, got "ten"'],
    ['collaboratorId,type,occurredAt\n"ana\n', "2:1", "unterminated quoted field (the quote opened here is never closed)"],
    ["", "1:1", "empty file; expected a header line: collaboratorId,type,occurredAt,id,points"],
  ];
  for (const [text, at, message] of cases) {
    const path = file("events.csv", text);
    throwsExactly(() => readEvents(path), `${path}:${at}: ${message}`);
  }
  throwsExactly(() => readEvents(join(dir, "missing.csv")), `${join(dir, "missing.csv")}: no such file`);
});

const TX_HEADER = "transactionId,status,occurredAt,currency,lineType,amount,quantity,sku,categories,ownerCollaboratorIds";

test("transactions: lines of one transaction are grouped, amounts stay exact strings", () => {
  const path = file(
    "transactions.csv",
    `${TX_HEADER}\n` +
      't1,complete,2026-03-05T10:00:00Z,USD,product,49.99,2,SKU-1,"courses; video",ana;ben\n' +
      "t2,,2026-03-06T10:00:00Z,,product,1000000000000000.01,,,,\n" +
      "t1,complete,2026-03-05T10:00:00Z,USD,discount,0.10,,,,\n",
  );
  const sources = emptySources();
  const transactions = readTransactions(path, sources);
  assert.deepEqual(transactions, [
    {
      id: "t1",
      status: "complete",
      occurredAt: "2026-03-05T10:00:00Z",
      currency: "USD",
      details: [
        { type: "product", amount: "49.99", quantity: 2, sku: "SKU-1", categories: ["courses", "video"], ownerCollaboratorIds: ["ana", "ben"] },
        { type: "discount", amount: "0.10" },
      ],
    },
    { id: "t2", occurredAt: "2026-03-06T10:00:00Z", details: [{ type: "product", amount: "1000000000000000.01" }] },
  ]);
  assert.equal(typeof transactions[1].details[0].amount, "string");
  assert.equal(locateEnginePath("/transactions/0/details/1/amount", sources), `${path}:4:47`);
  assert.equal(locateEnginePath("/transactions/1/details/0/type", sources), `${path}:3:27`);
  assert.equal(locateEnginePath("/transactions/0/status", sources), `${path}:2:4`);
  assert.equal(locateEnginePath("/transactions/1", sources), `${path}:3`);
});

test("transactions: a total column for transactions given as one total", () => {
  const path = file("t.csv", "transactionId,occurredAt,lineType,amount,total\nt1,2026-03-05T10:00:00Z,,,100000.00\nt2,2026-03-05T11:00:00Z,fee,2.50,\n");
  const sources = emptySources();
  assert.deepEqual(readTransactions(path, sources), [
    { id: "t1", occurredAt: "2026-03-05T10:00:00Z", total: "100000.00" },
    { id: "t2", occurredAt: "2026-03-05T11:00:00Z", details: [{ type: "fee", amount: "2.50" }] },
  ]);
  assert.equal(locateEnginePath("/transactions/0/total", sources), `${path}:2:27`);
});

test("transactions: disagreeing lines, bad quantities and missing fields are located", () => {
  const cases = [
    [`${TX_HEADER}\nt1,complete,2026-03-05T10:00:00Z,USD,product,1.00,,,,\nt1,complete,2026-03-05T10:00:00Z,EUR,product,2.00,,,,\n`, "3:34", 'currency "EUR" of transaction "t1" differs from "USD" on line 2; every line of a transaction must agree'],
    [`${TX_HEADER}\nt1,complete,2026-03-05T10:00:00Z,USD,product,1.00,,,,\nt1,refunded,2026-03-05T10:00:00Z,USD,product,2.00,,,,\n`, "3:4", 'status "refunded" of transaction "t1" differs from "complete" on line 2; every line of a transaction must agree'],
    [`${TX_HEADER}\nt1,complete,2026-03-05T10:00:00Z,USD,product,1.00,1.5,,,\n`, "2:51", 'quantity must be a whole number, got "1.5"'],
    [`${TX_HEADER}\nt1,complete,2026-03-05T10:00:00Z,USD,product,,,,,\n`, "2:46", "empty amount"],
    [`${TX_HEADER}\nt1,complete,2026-03-05T10:00:00Z,USD,,1.00,,,,\n`, "2:38", "empty lineType"],
    [`${TX_HEADER}\n,complete,2026-03-05T10:00:00Z,USD,product,1.00,,,,\n`, "2:1", "empty transactionId"],
    ["transactionId,occurredAt,amount,total\nt1,2026-03-05T10:00:00Z,5.00,5.00\n", "2:25", "a row with a total describes the whole transaction; leave lineType, amount, quantity, sku, categories, ownerCollaboratorIds empty"],
    ["transactionId,occurredAt,lineType,amount,total\nt1,2026-03-05T10:00:00Z,,,5.00\nt1,2026-03-05T10:00:00Z,product,1.00,\n", "3:1", 'transaction "t1" is given by a total on line 2 and must have only one row'],
  ];
  for (const [text, at, message] of cases) {
    const path = file("transactions.csv", text);
    throwsExactly(() => readTransactions(path), `${path}:${at}: ${message}`);
  }
});

test("refunds: attached to their transactions in file order; unknown ids are errors", () => {
  const tx = file("t.csv", "transactionId,occurredAt,total\nt1,2026-03-05T10:00:00Z,100.00\nt2,2026-03-06T10:00:00Z,49.99\n");
  const sources = emptySources();
  const transactions = readTransactions(tx, sources);
  const refunds = file("r.csv", "transactionId,occurredAt,amount\nt2,2026-03-07T10:00:00Z,9.99\nt1,2026-03-08T10:00:00Z,\nt2,2026-03-09T10:00:00Z,40.00\n");
  readRefunds(refunds, transactions, sources);
  assert.deepEqual(transactions[0].refunds, [{ occurredAt: "2026-03-08T10:00:00Z" }]);
  assert.deepEqual(transactions[1].refunds, [
    { occurredAt: "2026-03-07T10:00:00Z", amount: "9.99" },
    { occurredAt: "2026-03-09T10:00:00Z", amount: "40.00" },
  ]);
  assert.equal(locateEnginePath("/transactions/1/refunds/1/occurredAt", sources), `${refunds}:4:4`);
  assert.equal(locateEnginePath("/transactions/0/refunds/0/amount", sources), `${refunds}:3:25`);

  const bad = file("r.csv", "transactionId,occurredAt,amount\nt1,2026-03-08T10:00:00Z,\nt9,2026-03-08T10:00:00Z,1.00\n");
  throwsExactly(() => readRefunds(bad, transactions), `${bad}:3:1: unknown transaction "t9"`);
  const json = file("r.json", JSON.stringify({ refunds: [{ transactionId: "t1", occurredAt: "2026-03-10T10:00:00Z", amount: "1.00" }] }));
  readRefunds(json, transactions);
  assert.deepEqual(transactions[0].refunds.at(-1), { occurredAt: "2026-03-10T10:00:00Z", amount: "1.00" });
});

test("collaborators: id, name (quoted, with commas and quotes) and status", () => {
  const path = file("c.csv", 'id,name,status\nana,"Lopez, Ana",active\ncy,"Cy ""The Closer"" Park",\n');
  assert.deepEqual(readCollaborators(path), [
    { id: "ana", name: "Lopez, Ana", status: "active" },
    { id: "cy", name: 'Cy "The Closer" Park' },
  ]);
});

test("JSON: numbers a JS number cannot hold exactly are refused, located, not rounded", () => {
  const path = file("t.json", '[\n  {"id": "t1", "occurredAt": "2026-03-05T10:00:00Z",\n   "total": 1000000000000000.01}\n]\n');
  throwsExactly(() => readTransactions(path), `${path}:3:13: the number 1000000000000000.01 cannot be read exactly; write it as a string ("1000000000000000.01")`);
  const ok = file("t.json", '[{"id": 12345678901234567, "occurredAt": "2026-03-05T10:00:00Z", "total": "1000000000000000.01", "x": 49.99, "y": 1e21}]');
  assert.throws(() => readTransactions(ok), /the number 12345678901234567 cannot be read exactly/);
  const fine = file("t.json", '[{"id": "1", "note": "1000000000000000.01 \\" 99999999999999999", "total": 49.99}]');
  assert.equal(readTransactions(fine)[0].total, 49.99);
});

test("JSON syntax errors: line, column and cause", async () => {
  const { parseJson, jsonSyntaxError } = await import("../../lib/records.mjs");
  const cases = [
    ["{ this is not json", "1:3", 'expected a property name in double quotes, found "this"'],
    ["[1,", "1:4", "the file ends where a value was expected"],
    ["", "1:1", "the file is empty; expected JSON"],
    ["[1, 2,]", "1:6", "a comma before ] (JSON allows no trailing comma)"],
    ['{\n  "a": 1,\n}', "2:9", "a comma before } (JSON allows no trailing comma)"],
    ['{"a" 1}', "1:6", 'expected ":" after the property name, found "1"'],
    ['{"a": 1 "b": 2}', "1:9", 'expected "," or "}" after a property value, found the string "b"'],
    ["[1 2]", "1:4", 'expected "," or "]" after an array element, found "2"'],
    ['{"a": "x', "1:7", "unterminated string (the quote opened here is never closed)"],
    ['{"a": "two\nlines"}', "1:11", "a line break inside a string (the string is not closed on its line, or write \\n)"],
    ['{"a": "\\q"}', "1:8", "invalid escape \\q in a string (JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"],
    ['{"a": 01}', "1:7", "a number cannot start with 0 (leading zeros are not JSON)"],
    ['{"a": 1.}', "1:9", "expected a digit after the decimal point"],
    ["{'a': 1}", "1:2", "expected a property name in double quotes, found \"'\""],
    ["['a']", "1:2", "strings take double quotes (\"), not single ones"],
    ["[NaN]", "1:2", 'expected a value, found "NaN"'],
    ["// note\n{}", "1:1", "expected a value, found a comment (JSON has none)"],
    ["{}\n{}", "2:1", 'unexpected "{" after the end of the JSON value'],
    ["[\r\n  1,\r\n  2\r\n", "4:1", 'the file ends inside an array; expected "," or "]"'],
    ["\uFEFF[1,]", "1:3", "a comma before ] (JSON allows no trailing comma)"],
  ];
  for (const [text, at, message] of cases) {
    throwsExactly(() => parseJson(text, "x.json"), `x.json:${at}: not valid JSON: ${message}`);
  }
  // Every text JSON.parse accepts, the checker accepts; deep nesting is no problem.
  for (const text of ['{"a": [1, -2.5e+3, true, false, null, "\\u00e9\\n"], "b": {}}', "[]", " 0 ", "[".repeat(100000) + "]".repeat(100000)]) {
    JSON.parse(text);
    assert.equal(jsonSyntaxError(text), null, text.slice(0, 40));
  }
  assert.deepEqual(jsonSyntaxError("[".repeat(100000)), { index: 100000, message: "the file ends where a value was expected" });
});

test("locateJsonPointer: the value's line and column, or its nearest ancestor's", async () => {
  const { locateJsonPointer } = await import("../../lib/records.mjs");
  const text = '{\n  "a": [1, {"b": "x"}],\n  "c~/d": {"e": null},\n  "a": [9, 10]\n}';
  const at = (pointer) => {
    const p = locateJsonPointer(text, pointer);
    return p && `${p.line}:${p.column}`;
  };
  assert.equal(at(""), "1:1");
  assert.equal(at("/a"), "4:8", "a duplicated key is its last occurrence, as JSON.parse reads it");
  assert.equal(at("/a/1"), "4:12");
  assert.equal(at("/a/2"), "4:8", "no such element: the array");
  assert.equal(at("/c~0~1d/e"), "3:17");
  assert.equal(at("/c~0~1d/missing"), "3:11");
  assert.equal(at("/nope/deeper"), "1:1");
  assert.equal(locateJsonPointer("  ", "/a"), null);
});

test("invalidUtf8At agrees with TextDecoder({fatal: true}) and locates the first bad byte", async () => {
  const { invalidUtf8At, decodeUtf8 } = await import("../../lib/records.mjs");
  const fatal = new TextDecoder("utf-8", { fatal: true });
  const decodes = (bytes) => {
    try {
      fatal.decode(bytes);
      return true;
    } catch {
      return false;
    }
  };
  // Random byte strings, biased to the interesting ranges.
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  const pool = [0x0a, 0x0d, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff];
  for (let n = 0; n < 20000; n++) {
    const bytes = Uint8Array.from({ length: 1 + (next() % 8) }, () => pool[next() % pool.length]);
    const at = invalidUtf8At(bytes);
    assert.equal(at === null, decodes(bytes), Buffer.from(bytes).toString("hex"));
    if (at) assert.ok(decodes(bytes.subarray(0, at.index)), `the bytes before ${at.index} are UTF-8: ${Buffer.from(bytes).toString("hex")}`);
  }
  // Lines (LF, CRLF, CR) and columns (UTF-16 code units; a BOM takes none).
  const bytes = Buffer.concat([Buffer.from("\uFEFFa\r\nb\rc\n😀é"), Buffer.from([0xc3, 0x28])]);
  assert.deepEqual(invalidUtf8At(bytes), { index: bytes.length - 2, byte: 0xc3, line: 4, column: 4 });
  throwsExactly(() => decodeUtf8(bytes, "f.csv"), "f.csv:4:4: not UTF-8 (byte 0xC3); save the file as UTF-8");
  assert.equal(decodeUtf8(Buffer.from("\uFEFFid\n")), "id\n", "the BOM is dropped");
});

test("reading files: strict UTF-8 across chunks, delimiter hints, formats by content, error kinds", () => {
  // A bad byte far into a large file (several read chunks) is still located exactly.
  const rows = ["collaboratorId,type,occurredAt"];
  for (let i = 0; i < 30000; i++) rows.push(`c${i},manual,2026-03-03T10:00:00Z`);
  const big = file("big.csv", Buffer.concat([Buffer.from(rows.join("\n") + "\ncaf"), Buffer.from([0xe9]), Buffer.from(",manual,2026-03-03T10:00:00Z\n")]));
  throwsExactly(() => readEvents(big), `${big}:30002:4: not UTF-8 (byte 0xE9); save the file as UTF-8`);
  // A multi-byte character split between two chunks is fine.
  const split = file("split.csv", "id,name\n" + "x".repeat(256 * 1024 - 9) + ",é\n");
  assert.equal(readCollaborators(split)[0].name, "é");
  const semi = file("e.csv", "collaboratorId;type;occurredAt\n");
  throwsExactly(() => readEvents(semi), `${semi}:1:1: this file seems to use ";" as its delimiter; the engine's CSV files use commas (docs/data-formats.md)`);
  const tabs = file("e.csv", "collaboratorId\ttype\toccurredAt\n");
  throwsExactly(() => readEvents(tabs), `${tabs}:1:1: this file seems to use tabs as its delimiter; the engine's CSV files use commas (docs/data-formats.md)`);
  // Neither .csv nor .json: the content decides.
  assert.deepEqual(readEvents(file("events.txt", "collaboratorId,type,occurredAt\n7,manual,2026-03-03T10:00:00Z\n")), [{ collaboratorId: "7", type: "manual", occurredAt: "2026-03-03T10:00:00Z" }]);
  assert.deepEqual(readEvents(file("events", ' \n[{"collaboratorId": "7"}]')), [{ collaboratorId: "7" }]);
  // What is wrong: the file (exit 3) or a value in it (exit 1).
  const kind = (fn) => {
    try {
      fn();
    } catch (e) {
      return e.kind;
    }
  };
  assert.equal(kind(() => readEvents(join(dir, "missing.csv"))), "file");
  assert.equal(kind(() => readEvents(file("e.csv", "who\n"))), "file");
  assert.equal(kind(() => readEvents(file("e.json", "[1,"))), "file");
  assert.equal(kind(() => readEvents(file("e.csv", "collaboratorId,type,occurredAt,points\na,manual,2026-03-03T10:00:00Z,1.5\n"))), "value");
  const tx = readTransactions(file("t.csv", "transactionId,occurredAt,total\nt1,2026-03-05T10:00:00Z,1.00\n"));
  const refunds = file("r.json", '{"refunds": [\n  {"transactionId": "t9", "occurredAt": "2026-03-06T10:00:00Z"}\n]}');
  throwsExactly(() => readRefunds(refunds, tx), `${refunds}:2:21: unknown transaction "t9"`);
  assert.equal(kind(() => readRefunds(refunds, tx)), "value");
});

test("jsonSyntaxError agrees with JSON.parse on mutated JSON; locateJsonPointer never throws (seeded)", async () => {
  const { jsonSyntaxError, locateJsonPointer, parseJson } = await import("../../lib/records.mjs");
  const base = JSON.stringify({ version: 1, name: "A \"q\" \\ é 😀", list: [1, -2.5, 3e2, true, false, null, { a: [] }], nested: { "x/y": { "~": "z" } } }, null, 1);
  const pieces = ["{", "}", "[", "]", ",", ":", '"', "\\", "0", "-", ".", "e", "t", "n", " ", "\n", "\u0001", "'", "/", "*"];
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  let failures = 0;
  for (let n = 0; n < 5000; n++) {
    let text = base;
    for (let k = 1 + (next() % 3); k > 0; k--) {
      const at = next() % (text.length + 1);
      const op = next() % 3;
      const piece = pieces[next() % pieces.length];
      text = op === 0 ? text.slice(0, at) + piece + text.slice(at) : op === 1 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + piece + text.slice(at + 1);
    }
    let ok = true;
    try {
      JSON.parse(text);
    } catch {
      ok = false;
    }
    const error = jsonSyntaxError(text);
    assert.equal(error === null, ok, JSON.stringify(text));
    if (error) {
      failures++;
      assert.ok(error.index >= 0 && error.index <= text.length, JSON.stringify(text));
      assert.throws(() => parseJson(text, "m.json"), (e) => /^m\.json:\d+:\d+: not valid JSON: ./.test(e.message));
    } else {
      for (const pointer of ["", "/list/6/a", "/nested/x~1y/~0", "/name", "/missing/0", "/list/99"]) locateJsonPointer(text, pointer);
    }
  }
  assert.ok(failures > 1000, `${failures} invalid texts`);
});
