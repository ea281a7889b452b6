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
  assert.equal(locateEnginePath("/events/0/points", sources), `${wrapped}: at /events/0/points`);
  const other = file("c.json", '{"transactions": []}');
  throwsExactly(() => readEvents(other), `${other}: expected an array of events, or an object with the array under "events"`);
  const broken = file("d.json", "[1,");
  assert.throws(() => readEvents(broken), (e) => e instanceof InputError && e.message.startsWith(`${broken}: not valid JSON: `));
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
