// The command line's bulk path (cli/columns.mjs): CSV files read in chunks into typed columns
// give exactly the output and the errors of the object path (SIREN_COLUMNS=0) — on the sample
// year, the preview fixtures and files that must fall back — and a file read in chunks of a
// few bytes (records, quoted line breaks and multi-byte characters split across chunks) gives
// the same columns as one read in a single chunk.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readEventColumns, readTransactionColumns, readCsvRecords, instantMs, Unsupported } from "../../cli/columns.mjs";
import { readEvents, readTransactions, readRefunds, emptySources } from "../../cli/inputs.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(root, "cli/siren.mjs");
const env = { ...process.env, NO_COLOR: "1" };
delete env.SIREN_PROGRESS;
delete env.SIREN_COLUMNS;
delete env.SIREN_CHUNK_BYTES;
const run = (args, extraEnv = {}) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8", env: { ...env, ...extraEnv }, maxBuffer: 1 << 28 });
const tmp = () => mkdtempSync(join(tmpdir(), "siren-columns-"));

/** Runs `args` on the column path and on the object path; both give the same stdout, stderr and status. */
function same(args, extraEnv = {}) {
  const columns = run(args, extraEnv);
  const objects = run(args, { ...extraEnv, SIREN_COLUMNS: "0" });
  assert.equal(columns.stdout, objects.stdout, `stdout of ${args.join(" ")}`);
  assert.equal(columns.stderr, objects.stderr, `stderr of ${args.join(" ")}`);
  assert.equal(columns.status, objects.status, `status of ${args.join(" ")}`);
  return columns;
}

const YEAR = ["--data", "samples/year", "--recipe", "samples/recipes/milestone-rewards.json"];
const Y = "samples/year";

/** A string table as its strings: an array as it is, the packed form `{text, lengths}` cut up. */
function stringsOf(table) {
  if (Array.isArray(table)) return table;
  let at = 0;
  return Array.from(table.lengths, (length) => (length === 0xffffffff ? null : table.text.slice(at, (at += length))));
}

test("the sample year's files are read as columns (nothing falls back)", () => {
  const events = readEventColumns(`${Y}/events.csv`);
  assert.equal(events.count, 48036);
  assert.equal(events.columns.occurredAtMs[0], Date.parse("2026-01-01T05:13:33Z"));
  // ASCII event ids cross packed, not as one string each.
  assert.equal(events.columns.eventIds.lengths.length, 48036);
  assert.deepEqual(stringsOf(events.columns.eventIds).slice(0, 2), ["e1", "e2"]);
  const transactions = readTransactionColumns(`${Y}/transactions.csv`, `${Y}/refunds.csv`);
  assert.equal(transactions.count, 11000);
  assert.equal(transactions.columns.amountScale, 2);
  assert.equal(transactions.columns.lineAmount[0], 1999); // 19.99
});

test("sample year: simulate, compare and preview print the same bytes on both paths, in every format", () => {
  const dir = tmp();
  for (const args of [
    ["simulate", ...YEAR],
    ["simulate", ...YEAR, "--json"],
    ["simulate", ...YEAR, "--csv-out", "-"],
    ["simulate", ...YEAR, "--carry-over", "--locale", "en-US"],
    ["compare", ...YEAR, "--set-points", "courseCompleted=40"],
    ["compare", ...YEAR, "--set-percentage", "7.5", "--json"],
    ["preview", "--recipe", "samples/recipes/milestone-rewards.json", "--distributor", "milestoneRewards", "--config", `${Y}/config.json`, "--events", `${Y}/events.csv`, "--transactions", `${Y}/transactions.csv`, "--refunds", `${Y}/refunds.csv`, "--collaborators", `${Y}/collaborators.csv`, "--time-zone", "America/New_York", "--at", "2026-03-20T12:00:00-04:00", "--json"],
  ]) {
    const r = same(args);
    assert.equal(r.status, 0, r.stderr);
  }
  // The golden file of the table output.
  const r = same(["simulate", ...YEAR]);
  assert.equal(r.stdout, readFileSync(join(root, "tests/golden/sample-year-simulation.txt"), "utf8"));
  // --csv-out to a file too.
  same(["simulate", ...YEAR, "--csv-out", join(dir, "o.csv")]);
});

const F = "tests/fixtures/preview";
const PREVIEW = ["preview", "--recipe", `${F}/recipe.json`, "--distributor", "monthly", "--config", `${F}/config.json`, "--time-zone", "UTC", "--at", "2026-03-31T12:00:00Z", "--last-distribution", "2026-03-01T00:00:00Z"];

test("the preview fixtures: the same output on both paths, and the same as the JSON files give", () => {
  const csv = ["--events", `${F}/events.csv`, "--transactions", `${F}/transactions.csv`, "--refunds", `${F}/refunds.csv`, "--collaborators", `${F}/collaborators.csv`];
  for (const extra of [[], ["--json"], ["--csv-out", "-"], ["--tie-break", "split", "--limit", "2"]]) same([...PREVIEW, ...csv, ...extra]);
  const json = ["--events", `${F}/events.json`, "--transactions", `${F}/transactions.json`, "--refunds", `${F}/refunds.json`, "--collaborators", `${F}/collaborators.json`];
  assert.equal(run([...PREVIEW, ...csv, "--json"]).stdout, run([...PREVIEW, ...json, "--json"]).stdout);
});

/** A copy of the preview fixtures in a temp folder with `files` replaced; the preview's args. */
function fixtures(files) {
  const dir = tmp();
  for (const name of ["recipe.json", "config.json", "events.csv", "transactions.csv", "refunds.csv", "collaborators.csv"]) copyFileSync(join(root, F, name), join(dir, name));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const at = (name) => join(dir, name);
  return [
    ...["preview", "--recipe", at("recipe.json"), "--distributor", "monthly", "--config", at("config.json"), "--time-zone", "UTC", "--at", "2026-03-31T12:00:00Z", "--last-distribution", "2026-03-01T00:00:00Z"],
    ...["--events", at("events.csv"), "--transactions", at("transactions.csv"), "--refunds", at("refunds.csv"), "--collaborators", at("collaborators.csv")],
  ];
}

const EVENTS = "id,collaboratorId,type,occurredAt,points\n";
const TRANSACTIONS = "transactionId,status,occurredAt,currency,lineType,amount,quantity,sku,categories,ownerCollaboratorIds,total\n";
const T2 = "t2,complete,2026-03-20T16:45:00Z,USD,,,,,,,10500.00\n"; // refunds.csv refunds it

test("files the columns cannot say exactly fall back: the same output or the same located error", () => {
  const cases = [
    // An amount finer than the columns' 12 decimals (the engine refuses it); 3 decimals are columns (amountScale 3).
    [{ "transactions.csv": `${TRANSACTIONS}t1,complete,2026-03-05T10:00:00Z,USD,product,25000.1234567890123,1,,,,\n${T2}` }, 1, /:2:46: `amount` 25000\.1234567890123 has more than 12 decimal places\. \[transactions\.amountOutOfRange at \/transactions\/0\/details\/0\/amount\]\n$/],
    [{ "transactions.csv": `${TRANSACTIONS}t1,complete,2026-03-05T10:00:00Z,USD,product,25000.125,3,,,,\n${T2}` }, 0, null],
    // A bad timestamp on line 4: the engine's message at the CSV's line and column.
    [{ "events.csv": `${EVENTS}e1,ana,manual,2026-03-03T10:00:00Z,500\ne2,ben,manual,2026-03-10T10:00:00Z,720\ne3,ana,manual,2026-13-12T09:30:00Z,350\n` }, 1, /:4:15: The timestamp "2026-13-12T09:30:00Z" has month 13; .* \[time\.invalidTimestamp at \/events\/2\/occurredAt\]\n$/],
    // Forms the column reader leaves to the engine: no offset, a fraction finer than a millisecond, lowercase, blanks.
    [{ "events.csv": `${EVENTS}e1,ana,manual,2026-03-03T10:00:00,500\n` }, 1, /:2:15: .*\[time\.missingOffset at \/events\/0\/occurredAt\]\n$/],
    [{ "events.csv": `${EVENTS}e1,ana,manual,2026-03-03T10:00:00.0000001Z,500\ne2,ben,manual,2026-03-10t10:00:00z,720\ne3,cy,manual, 2026-03-12T09:30:00+0100 ,350\n` }, 0, null],
    // A duplicate id (refused by the column loader too, with its own path): the object path's error.
    [{ "events.csv": `${EVENTS}e1,ana,manual,2026-03-03T10:00:00Z,500\ne1,ben,manual,2026-03-10T10:00:00Z,720\n` }, 1, /:3:1: Event id `e1` appears more than once\. \[events\.duplicateId at \/events\/1\/id\]\n$/],
    // Points on an event that is not manual; points that are not a whole number (the reader's error).
    [{ "events.csv": `${EVENTS}e1,ana,referredSiteVisit,2026-03-03T10:00:00Z,5\n` }, 1, /:2:47: .*\[events\.unexpectedPoints at \/events\/0\/points\]\n$/],
    [{ "events.csv": `${EVENTS}e1,ana,manual,2026-03-03T10:00:00Z,1.5\n` }, 1, /:2:36: points must be a whole number, got "1\.5"\n$/],
    // The reader's own errors: a stray quote, a missing field, rows of a transaction that disagree, an unknown refund.
    [{ "events.csv": `${EVENTS}e1,a"na,manual,2026-03-03T10:00:00Z,500\n` }, 3, /:2:5: a quote \(".*\n$/],
    [{ "events.csv": `${EVENTS}e1,ana,manual,2026-03-03T10:00:00Z\n` }, 3, /:2:35: expected 5 fields .*found 4\n$/],
    [{ "transactions.csv": `${TRANSACTIONS}t1,complete,2026-03-05T10:00:00Z,USD,product,10.00,1,,,,\nt1,complete,2026-03-05T10:00:00Z,EUR,product,10.00,1,,,,\n${T2}` }, 1, /:3:34: currency "EUR" of transaction "t1" differs from "USD" on line 2; .*\n$/],
    [{ "refunds.csv": "transactionId,occurredAt,amount\nt9,2026-03-25T08:00:00Z,500.00\n" }, 1, /:2:1: unknown transaction "t9"\n$/],
    // An engine error in the transactions loaded as columns: a refund before its sale.
    [{ "refunds.csv": "transactionId,occurredAt,amount\nt2,2026-03-01T08:00:00Z,500.00\n" }, 1, /:2:4: .*\[transactions\.refundBeforeSale at \/transactions\/1\/refunds\/0\/occurredAt\]\n$/],
    // A negative amount, a status the engine does not know.
    [{ "transactions.csv": `${TRANSACTIONS}t1,complete,2026-03-05T10:00:00Z,USD,product,-10.00,1,,,,\nt2,complete,2026-03-20T16:45:00Z,USD,,,,,,,10500.00\n` }, 1, /\[.* at \/transactions\/0\/details\/0\/amount\]\n$/],
    [{ "transactions.csv": `${TRANSACTIONS}t1,paid,2026-03-05T10:00:00Z,USD,product,10.00,1,,,,\nt2,complete,2026-03-20T16:45:00Z,USD,,,,,,,10500.00\n` }, 1, /\[transactions\.invalidStatus at \/transactions\/0\/status\]\n$/],
  ];
  for (const [files, status, stderr] of cases) {
    const r = same(fixtures(files));
    assert.equal(r.status, status, `${JSON.stringify(files)}: ${r.stderr}`);
    if (stderr) assert.match(r.stderr, stderr);
    else assert.equal(r.stderr, "");
  }
});

test("a row the column reader leaves to the object path is Unsupported, never a guess", () => {
  const dir = tmp();
  const file = (name, text) => (writeFileSync(join(dir, name), text), join(dir, name));
  assert.throws(() => readEventColumns(file("a.csv", `${EVENTS}e1,ana,manual,2026-02-30T10:00:00Z,\n`)), Unsupported);
  assert.throws(() => readEventColumns(file("b.csv", `${EVENTS}e1,ana,manual,2026-03-03T10:00:00Z,+5\n`)), Unsupported);
  assert.throws(() => readEventColumns(file("c.csv", "collaboratorId,type,when\n")), Unsupported);
  assert.throws(() => readEventColumns(file("d.csv", Buffer.from([...Buffer.from(`${EVENTS}e1,Jos`), 0xe9, ...Buffer.from(",manual,2026-03-03T10:00:00Z,\n")]))), Unsupported);
  assert.throws(() => readTransactionColumns(file("e.csv", `${TRANSACTIONS}t1,complete,2026-03-05T10:00:00Z,USD,product,1e3,1,,,,\n`)), Unsupported);
  assert.throws(() => readEventColumns(join(dir, "missing.csv")), Unsupported);
});

test("instants: the forms read as the engine reads them, in whole milliseconds", () => {
  const ms = (text) => instantMs(Buffer.from(text), 0, Buffer.byteLength(text));
  assert.equal(ms("2026-03-10T10:00:00-05:00"), Date.parse("2026-03-10T15:00:00Z"));
  assert.equal(ms("2026-03-10T10:00-05:30"), Date.parse("2026-03-10T15:30:00Z"));
  assert.equal(ms("2026-03-10T10:00:00.5Z"), Date.parse("2026-03-10T10:00:00.500Z"));
  assert.equal(ms("2026-03-10T10:00:00.123000Z"), Date.parse("2026-03-10T10:00:00.123Z"));
  assert.equal(ms("2024-02-29T23:59:59+14:00"), Date.parse("2024-02-29T09:59:59Z"));
  assert.equal(ms("0001-01-01T00:00:00Z"), -62135596800000);
  assert.equal(ms("1969-12-31T23:59:59.999Z"), -1);
  assert.equal(ms("9999-12-31T23:59:59Z"), 253402300799000);
  for (const text of ["2026-03-10T10:00:00", "2026-03-10", "2026-03-10 10:00:00Z", "2026-03-10T10:00:60Z", "2026-03-10T24:00:00Z", "2025-02-29T10:00:00Z", "2026-03-10T10:00:00+0100", "2026-03-10T10:00:00.1234Z", "2026-03-10T10:00:00.Z", "2026-03-10T10:00:00+24:00", "+2026-03-10T10:00:00Z"]) {
    assert.ok(Number.isNaN(ms(text)), text);
  }
});

test("read in chunks of a few bytes: records, quoted line breaks and multi-byte characters across chunks read the same", () => {
  const dir = tmp();
  const events = join(dir, "events.csv");
  const transactions = join(dir, "transactions.csv");
  const refunds = join(dir, "refunds.csv");
  writeFileSync(
    events,
    "\uFEFFid,collaboratorId,type,occurredAt,points\r\n" +
      'e1,José,manual,2026-03-03T10:00:00Z,500\r\n"e,2","日本 ""ü""",manual,2026-03-10T10:00:00.25+01:00,720\r\n\r\n' +
      'e3,"a\nb😀",referredSiteVisit,2026-03-12T09:30:00Z,\ne4,José,manual,2026-03-15T10:00:00Z,430\ne5,"",x,2026-03-15T10:00:00Z,' +
      "\n" +
      "e6,Zoë,manual,2026-03-16T10:00:00Z,1",
  );
  writeFileSync(
    transactions,
    TRANSACTIONS + 't1,complete,2026-03-05T10:00:00Z,USD,product,25000.00,2,"SKU ""é""","courses; vidéo",ana,\nt1,complete,2026-03-05T10:00:00Z,USD,product,40000.5,1,"BUNDLE,\nXL",bundles,,\nt2,,2026-03-20T16:45:00Z,,,,,,,,10500\n',
  );
  writeFileSync(refunds, "transactionId,occurredAt,amount\nt2,2026-03-25T08:00:00Z,500.001\nt1,2026-03-28T08:00:00Z,\n");
  // e5 has an empty collaboratorId: the reader refuses it, so the columns do too.
  assert.throws(() => readEventColumns(events), Unsupported);
  writeFileSync(events, readFileSync(events, "utf8").replace('e5,"",x', "e5,ß,x"));
  const whole = readEventColumns(events, { chunkSize: 1 << 20 });
  const tx = readTransactionColumns(transactions, refunds, { chunkSize: 1 << 20 });
  assert.deepEqual(whole.columns.collaboratorIds, ["José", '日本 "ü"', "a\nb😀", "ß", "Zoë"]);
  assert.deepEqual(whole.columns.eventIds, { text: "e1e,2e3e4e5e6", lengths: Uint32Array.of(2, 3, 2, 2, 2, 2) });
  // One id that is not ASCII: the ids cross as strings (a byte is then not a UTF-16 unit), and a
  // row without an id as null.
  writeFileSync(join(dir, "ids.csv"), 'id,collaboratorId,type,occurredAt\n"é,1",a,x,2026-03-03T10:00:00Z\n,a,x,2026-03-03T10:00:00Z\ne😀,b,x,2026-03-03T10:00:00Z\n');
  assert.deepEqual(readEventColumns(join(dir, "ids.csv")).columns.eventIds, ["é,1", null, "e😀"]);
  writeFileSync(join(dir, "ids.csv"), 'id,collaboratorId,type,occurredAt\ne1,a,x,2026-03-03T10:00:00Z\n,a,x,2026-03-03T10:00:00Z\n"e""3",b,x,2026-03-03T10:00:00Z\n');
  assert.deepEqual(readEventColumns(join(dir, "ids.csv")).columns.eventIds, { text: 'e1e"3', lengths: Uint32Array.of(2, 0xffffffff, 3) });
  assert.deepEqual([...whole.columns.occurredAtMs], ["2026-03-03T10:00:00Z", "2026-03-10T09:00:00.250Z", "2026-03-12T09:30:00Z", "2026-03-15T10:00:00Z", "2026-03-15T10:00:00Z", "2026-03-16T10:00:00Z"].map(Date.parse));
  assert.deepEqual([...whole.columns.points], [500, 720, NaN, 430, NaN, 1]);
  assert.equal(tx.columns.amountScale, 3);
  assert.deepEqual([...tx.columns.lineAmount], [25000000, 40000500]);
  assert.deepEqual([...tx.columns.total], [NaN, 10500000]);
  assert.deepEqual([...tx.columns.refundAmount], [500001, NaN]);
  assert.deepEqual(tx.columns.lineSkus, ['SKU "é"', "BUNDLE,\nXL"]);
  assert.deepEqual(tx.columns.lineCategories, [["courses", "vidéo"], ["bundles"]]);
  for (const chunkSize of [1, 2, 3, 5, 7, 11, 64]) {
    assert.deepEqual(readEventColumns(events, { chunkSize }), whole, `events in chunks of ${chunkSize}`);
    assert.deepEqual(readTransactionColumns(transactions, refunds, { chunkSize }), tx, `transactions in chunks of ${chunkSize}`);
    // The records themselves, as the object path's reader gives them.
    const fields = [];
    readCsvRecords(events, (r) => fields.push(Array.from({ length: r.count }, (_, i) => r.text(i))), { chunkSize });
    assert.equal(fields.length, 7);
  }
  // The same events as the object path reads them.
  const objects = readEvents(events, emptySources());
  assert.deepEqual(objects.map((e) => e.collaboratorId), ["José", '日本 "ü"', "a\nb😀", "José", "ß", "Zoë"]);
  const objectTransactions = readTransactions(transactions, emptySources());
  readRefunds(refunds, objectTransactions, emptySources());
  assert.equal(objectTransactions.length, tx.count);
  // And through the command line in chunks of 3 bytes: the object path's bytes.
  const config = join(dir, "config.json");
  writeFileSync(config, JSON.stringify({ engagementTypes: { manual: 0, referredSiteVisit: 3, x: 1 }, revenuePercentage: 5, transactionCompilers: ["lineItems"] }));
  const args = ["preview", "--recipe", `${F}/recipe.json`, "--distributor", "monthly", "--config", config, "--events", events, "--transactions", transactions, "--refunds", refunds, "--time-zone", "UTC", "--at", "2026-03-31T12:00:00Z", "--last-distribution", "2026-03-01T00:00:00Z", "--json"];
  const r = same(args, { SIREN_CHUNK_BYTES: "3" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, run(args).stdout);
});

test("files beyond what the object path reads: an engine error in the columns at the CSV row, with the same message", () => {
  // SIREN_FALLBACK_MAX_BYTES=0 treats the fixtures as files too large for the object path.
  const big = { SIREN_FALLBACK_MAX_BYTES: "0" };
  const cases = [
    [{ "events.csv": `${EVENTS}e1,ana,manual,2026-03-03T10:00:00Z,500\ne1,ben,manual,2026-03-10T10:00:00Z,720\n` }, "/events/1/id", "/events/eventIds/1"],
    [{ "refunds.csv": "transactionId,occurredAt,amount\nt2,2026-03-01T08:00:00Z,500.00\n" }, "/transactions/1/refunds/0/occurredAt", "/transactions/refundOccurredAtMs/0"],
  ];
  for (const [files, objectPath, columnPath] of cases) {
    const args = fixtures(files);
    const objects = run(args, { SIREN_COLUMNS: "0" });
    const columns = run(args, big);
    assert.equal(columns.status, 1);
    assert.equal(columns.stdout, "");
    assert.ok(objects.stderr.endsWith(` at ${objectPath}]\n`), objects.stderr);
    assert.equal(columns.stderr, objects.stderr.replace(` at ${objectPath}]`, ` at ${columnPath}]`));
  }
  // Errors in the options, the recipe or the configuration are the object path's, word for word.
  const args = [...fixtures({}), "--tie-break", "coin"];
  const objects = run(args, { SIREN_COLUMNS: "0" });
  assert.equal(objects.stderr, "siren: --tie-break: Tie policy `coin` is not one of earliestToReach, split, lowestCollaboratorId. [preview.invalidPolicy at /policies/tieBreak]\n");
  assert.equal(run(args, big).stderr, objects.stderr);
});
