// The browser editor's pure modules under Node: the JSON Pointer → text locator (www/json-locate.mjs),
// the configuration form's model, the CSV export, and lib/records.mjs reading text (as the page does).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { scanJson, locatePointer, lineColumn, pointerTokens } from "../../www/json-locate.mjs";
import { formValues, applyForm, replaceVersion } from "../../www/config-model.mjs";
import { groupDigits, simulationCsv } from "../../www/export.mjs";
import { parseEvents, parseTransactions, attachRefunds, parseJson, InputError } from "../../lib/records.mjs";

const at = (text, pointer) => {
  const r = locatePointer(text, pointer);
  return { marked: text.slice(r.start, r.end), line: r.line, column: r.column, exact: r.exact };
};

test("locator: members, array elements and containers in the user's own formatting", () => {
  const text = '{"a": {"b c": [1, {"d/e": "x"},\n\n     [true]]},\r\n  "f~g" :   null  }';
  assert.deepEqual(at(text, "/a/b c/0"), { marked: "1", line: 1, column: 16, exact: true });
  assert.deepEqual(at(text, "/a/b c/1/d~1e"), { marked: '"d/e": "x"', line: 1, column: 20, exact: true });
  assert.deepEqual(at(text, "/a/b c/2"), { marked: "[", line: 3, column: 6, exact: true });
  assert.deepEqual(at(text, "/a/b c/2/0"), { marked: "true", line: 3, column: 7, exact: true });
  assert.deepEqual(at(text, "/a"), { marked: '"a"', line: 1, column: 2, exact: true });
  assert.deepEqual(at(text, "/f~0g"), { marked: '"f~g" :   null', line: 4, column: 3, exact: true });
  assert.deepEqual(at(text, ""), { marked: "{", line: 1, column: 1, exact: true });
  assert.deepEqual(pointerTokens("/a~1b/~0/"), ["a/b", "~", ""]);
});

test("locator: a missing member points at its nearest ancestor, not exactly", () => {
  const text = '{\n  "distributors": {\n    "weekly": {"name": "W"}\n  }\n}';
  assert.deepEqual(at(text, "/distributors/weekly/units"), { marked: '"weekly"', line: 3, column: 5, exact: false });
  assert.deepEqual(at(text, "/nothing/here"), { marked: "{", line: 1, column: 1, exact: false });
});

test("locator: escapes in keys and strings, and the last of duplicate keys", () => {
  const text = '{"k\\u0041": "a\\"b", "k": 1, "k": 22}';
  assert.deepEqual(at(text, "/kA"), { marked: '"k\\u0041": "a\\"b"', line: 1, column: 2, exact: true });
  assert.deepEqual(at(text, "/k"), { marked: '"k": 22', line: 1, column: 29, exact: true });
});

test("locator: syntax errors are located, and what was read before them still is", () => {
  const cases = [
    ['{\n  "version": 1,\n  "name" "x"\n}', 3, 10, "expected `:` after the key, found `\"`"],
    ['{"a": [1, 2,]}', 1, 13, "expected a value, found `]`"],
    ['{"a": "open\n}', 1, 12, "a string is not closed before the end of the line"],
    ['{"a": 1} x', 1, 10, "unexpected `x` after the end of the document"],
    ["", 1, 1, "expected a value, found the end of the text"],
    ['{"a": 01}', 1, 8, "expected `,` or `}` after a member, found `1`"],
  ];
  for (const [text, line, column, message] of cases) {
    const scan = scanJson(text);
    assert.equal(scan.ok, false, text);
    assert.equal(scan.error.message, message, text);
    assert.deepEqual(lineColumn(text, scan.error.offset), { line, column }, text);
    const r = locatePointer(text, "", scan);
    assert.deepEqual([r.line, r.column], [line, column], text);
  }
  const partial = '{\n "version": 1,\n "distributors": {"x": {"units": "usd"} oops';
  assert.deepEqual(at(partial, "/distributors/x/units"), { marked: '"units": "usd"', line: 3, column: 25, exact: true });
});

test("locator: the sample with many mistakes, against the engine's own paths", () => {
  const text = readFileSync(new URL("../../samples/invalid/many-mistakes.json", import.meta.url), "utf8");
  assert.deepEqual(at(text, "/distributors/monthly_bonus/status"), { marked: '"status": "enabled"', line: 11, column: 7, exact: true });
  assert.deepEqual(at(text, "/distributors/weekly/distributionPoolResolver"), { marked: '"weekly"', line: 16, column: 5, exact: false });
});

test("config form model: both engagement type forms, strings kept, unknown fields kept", () => {
  const version = { engagementTypes: [{ type: "a", value: 1 }], revenuePercentage: "12.5", transactionCompilers: ["lineItems"], eligibleCollaborators: [7], lineItemFilters: { withSkus: ["X"] } };
  const values = formValues(version);
  assert.deepEqual(values.types, [{ type: "a", points: "1" }]);
  assert.equal(values.withSkus, "X");
  const next = applyForm(version, { ...values, types: [...values.types, { type: "b", points: "5" }], revenuePercentage: "15", withSkus: "", withTypes: ["subscription", "product"], compilers: ["fees", "lineItems"] });
  assert.deepEqual(next, {
    engagementTypes: [{ type: "a", value: 1 }, { type: "b", value: 5 }],
    revenuePercentage: "15",
    transactionCompilers: ["lineItems", "fees"],
    eligibleCollaborators: [7],
    lineItemFilters: { withTypes: ["product", "subscription"] },
  });
  const map = applyForm({ engagementTypes: { a: 1 }, revenuePercentage: 5 }, { ...formValues({}), types: [{ type: "a", points: "2" }, { type: " ", points: "9" }], revenuePercentage: "7.25" });
  assert.deepEqual(map, { engagementTypes: { a: 2 }, revenuePercentage: 7.25, transactionCompilers: [] });
  assert.deepEqual(replaceVersion([{ a: 1 }, { b: 2 }], 1, { c: 3 }), [{ a: 1 }, { c: 3 }]);
  assert.deepEqual(replaceVersion({ a: 1 }, 0, { c: 3 }), { c: 3 });
});

test("export: digit grouping by text, and the allocations CSV", () => {
  assert.equal(groupDigits("2076849.89"), "2,076,849.89");
  assert.equal(groupDigits("-1000"), "-1,000");
  assert.equal(groupDigits("999.999999"), "999.999999");
  assert.equal(groupDigits("12345678901234567890.01"), "12,345,678,901,234,567,890.01");
  const sim = {
    cycles: [
      { index: 0, window: { start: "S0", end: "E0" }, obligations: [{ collaboratorId: "7", amount: "10.00", units: "USD", distributionTrigger: "E0" }] },
      { index: 1, window: { start: "S1", end: "E1" }, obligations: [] },
      { index: 2, window: { start: "S2", end: "E2" }, obligations: [{ collaboratorId: "8", amount: "0.01", units: "USD", distributionTrigger: "E2" }] },
    ],
  };
  assert.equal(
    simulationCsv(sim, new Map([["7", 'Cy "The Closer", Park']])),
    'cycle,windowStart,windowEnd,distributionTrigger,collaboratorId,name,amount,units\n0,S0,E0,E0,7,"Cy ""The Closer"", Park",10.00,USD\n2,S2,E2,E2,8,,0.01,USD\n',
  );
});

test("lib/records.mjs reads text as the page gives it: CSV, JSON, and chunked", () => {
  const csv = "id,collaboratorId,type,occurredAt,points\ne1,ana,manual,2026-03-03T10:00:00Z,500\n";
  const expected = [{ id: "e1", collaboratorId: "ana", type: "manual", occurredAt: "2026-03-03T10:00:00Z", points: 500 }];
  assert.deepEqual(parseEvents("events.CSV", csv), expected);
  assert.deepEqual(parseEvents("events.csv", (onText) => [...csv].forEach((c) => onText(c))), expected, "one character at a time");
  assert.deepEqual(parseEvents("events.json", JSON.stringify({ events: expected })), expected);
  const transactions = parseTransactions("t.csv", "transactionId,occurredAt,total\nt1,2026-03-05T10:00:00Z,10.50\n");
  attachRefunds("r.csv", "transactionId,occurredAt,amount\nt1,2026-03-06T10:00:00Z,\n", transactions);
  assert.deepEqual(transactions, [{ id: "t1", occurredAt: "2026-03-05T10:00:00Z", total: "10.50", refunds: [{ occurredAt: "2026-03-06T10:00:00Z" }] }]);
  assert.throws(() => parseJson('{"amount": 1000000000000000.01}', "x.json"), (e) => e instanceof InputError && e.message === 'x.json:1:12: the number 1000000000000000.01 cannot be read exactly; write it as a string ("1000000000000000.01")');
  assert.throws(() => parseEvents("e.csv", "id,who\n"), (e) => e.message === 'e.csv:1:4: unknown column "who"; expected collaboratorId,type,occurredAt,id,points');
});

// ---------------------------------------------------------------------------------------------
// www/format.mjs: the WordPress screens' dates and amounts. Expected dates are PHP 8.2's
// `DateTime::format` / `new DateTime("$date $time", zone)` for the same inputs (the oracle for
// WordPress's date_format); amounts are checked digit for digit against the input strings.

import { phpDate, wallToIso, isoToWall, money, number } from "../../www/format.mjs";

test("format: WordPress date formats in the site's zone, as PHP writes them", () => {
  const cases = [
    ["F j, Y g:i a", "2026-03-01T05:00:00Z", "America/New_York", "March 1, 2026 12:00 am"],
    ["Y-m-d H:i:s P", "2026-03-08T07:30:00Z", "America/New_York", "2026-03-08 03:30:00 -04:00"],
    ["D, d M y \\a\\t G:i O", "2026-07-01T22:15:09Z", "Europe/Berlin", "Thu, 02 Jul 26 at 0:15 +0200"],
    ["l jS \\of F Y h:i:s A", "2026-12-31T23:59:59Z", "Asia/Kolkata", "Friday 1st of January 2027 05:29:59 AM"],
    ["N w n t L U", "2026-02-28T12:00:00Z", "UTC", "6 6 2 28 0 1772280000"],
    ["j F Y H:i T", "2026-01-15T10:00:00Z", "+05:30", "15 January 2026 15:30 GMT+0530"],
  ];
  for (const [format, iso, zone, php] of cases) assert.equal(phpDate(format, Date.parse(iso), zone, "en-US"), php, `${format} at ${iso} in ${zone}`);
  assert.equal(phpDate("j. F Y", Date.parse("2026-03-01T05:00:00Z"), "Europe/Berlin", "de-DE"), "1. März 2026");
});

test("format: a date control's wall time in a zone is the instant PHP's DateTime gives", () => {
  const cases = [
    ["2026-03-08", "02:30", "America/New_York", "2026-03-08T03:30:00-04:00"], // skipped hour: moved forward
    ["2026-11-01", "01:30", "America/New_York", "2026-11-01T01:30:00-04:00"], // repeated hour: the first
    ["2026-01-01", "00:00", "+05:30", "2026-01-01T00:00:00+05:30"],
    ["2026-03-29", "02:30", "Europe/Berlin", "2026-03-29T03:30:00+02:00"],
    ["2026-01-01", "00:00", "Pacific/Chatham", "2026-01-01T00:00:00+13:45"],
    ["2026-06-15", "00:00", "America/New_York", "2026-06-15T00:00:00-04:00"],
  ];
  for (const [date, time, zone, php] of cases) assert.equal(wallToIso(date, time, zone), php, `${date} ${time} ${zone}`);
  assert.deepEqual(isoToWall("2026-03-01T00:00:00-05:00", "America/New_York"), { date: "2026-03-01", time: "00:00" });
  assert.deepEqual(isoToWall("2026-03-01T05:00:00Z", "Asia/Tokyo"), { date: "2026-03-01", time: "14:00" });
});

test("format: amounts in the locale keep every digit of the engine's string", () => {
  assert.equal(money("1234567.50", "USD", "en-US"), "$1,234,567.50");
  assert.equal(money("-1234567.50", "USD", "de-DE"), "-1.234.567,50\u00a0$");
  assert.equal(money("12345678901234567890.123", "EUR", "fr-FR"), "12\u202f345\u202f678\u202f901\u202f234\u202f567\u202f890,123\u00a0€");
  assert.equal(money("0.10", "JPY", "ja-JP"), "￥0.10");
  assert.equal(money("120", "points", "en-US"), "120 points");
  assert.equal(money("1234.5", null, "en-IN"), "1,234.5");
  assert.equal(money("12345678.5", null, "en-IN"), "1,23,45,678.5");
  assert.equal(money("not a number", "USD", "en-US"), "not a number");
  assert.equal(number(48036, "de-DE"), "48.036");
});
