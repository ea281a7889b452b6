// Hostile input at the JS boundary (issue #7), in Node: every exported function, every argument
// position, every hostile value of hostile_cases.mjs (the same module runs in a browser page),
// in the CommonJS, ESM and web builds; the data-file readers fuzzed with a seeded generator
// (records or the reader's located InputError, nothing else); and generated simulate inputs
// giving the same bytes in wasm as natively.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";
import * as esm from "../../pkg/index.mjs";
import initWeb, * as web from "../../pkg/web/siren_engine.js";
import { checkEngine, judge, sanity, validSimulate } from "./hostile_cases.mjs";

const require = createRequire(import.meta.url);
const cjs = require("../../pkg/node/siren_engine.js");
const root = new URL("../../", import.meta.url);
await initWeb({ module_or_path: readFileSync(new URL("pkg/web/siren_engine_bg.wasm", root)) });

// The CLI's file readers (cli/inputs.mjs), which run the shared parsers of lib/records.mjs.
const readers = await import(new URL("cli/inputs.mjs", root).href);

/** xorshift32: the same sequence everywhere, so a failure names a reproducible seed. */
function rng(seed) {
  let s = seed >>> 0 || 1;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
  return { next, int: (n) => next() % n, pick: (a) => a[next() % a.length], chance: (p) => next() / 2 ** 32 < p };
}

for (const [name, engine] of [["CommonJS", cjs], ["ESM", esm], ["web", web]]) {
  test(`${name} build: every function, every argument, every hostile value: a result or an Error with code and path, and the instance keeps answering`, () => {
    assert.deepEqual(checkEngine(engine), []);
  });
}

test("the hostile checker itself flags what it must", () => {
  assert.match(judge(() => { throw "a string"; }), /non-Error/);
  assert.match(judge(() => { throw new Error("no code"); }), /without a code/);
  assert.match(judge(() => { throw Object.assign(new Error("x"), { code: "input.missing", path: "nope" }); }), /JSON Pointer/);
  assert.match(judge(() => { throw new WebAssembly.RuntimeError("unreachable"); }), /trapped/);
  assert.equal(judge(() => { throw Object.assign(new Error("x"), { code: "input.missing", path: "" }); }), null);
  assert.deepEqual(sanity({}), ["the instance no longer answers: engine.validateRecipe is not a function"]);
});

test("limits: located input.tooLarge errors and diagnostics through JS", () => {
  const long = "x".repeat(2000);
  assert.throws(() => cjs.simulate({ ...validSimulate, events: [{ ...validSimulate.events[0], collaboratorId: long }] }),
    (e) => e.code === "input.tooLarge" && e.path === "/events/0/collaboratorId");
  assert.throws(() => cjs.nextRuns({ schedule: Array(33).fill("+1 day"), from: "2026-01-01T00:00:00Z" }),
    (e) => e.code === "input.tooLarge" && e.path === "/schedule");
  const report = cjs.validateRecipe({ version: 1, name: "n".repeat(70_000), description: "d" });
  assert.deepEqual(report.errors.map((d) => [d.code, d.path]), [["input.tooLarge", "/name"]]);
  // Absurd amounts and points through JS numbers: located diagnostics, not wraps.
  assert.throws(() => cjs.simulate({ ...validSimulate, transactions: [{ id: "t", occurredAt: "2026-01-06T00:00:00Z", total: 1e30 }] }),
    (e) => e.code === "transactions.amountOutOfRange" && e.path === "/transactions/0/total");
  assert.throws(() => cjs.simulate({ ...validSimulate, config: { ...validSimulate.config, engagementTypes: { manual: 1 } },
    events: [{ id: "m", collaboratorId: "a", type: "manual", occurredAt: "2026-01-05T00:00:00Z", points: 2 ** 63 }] }),
  (e) => e.code === "events.invalidPoints" && e.path === "/events/0/points");
});

// ---------------------------------------------------------------------------------------------
// The data-file readers under random and mutated files.

const VALID = {
  events: "id,collaboratorId,type,occurredAt,points\ne1,ana,manual,2026-03-03T10:00:00Z,500\ne2,\"ben, jr\",referredSiteVisit,2026-03-10T10:00:00Z,\n",
  transactions: "transactionId,status,occurredAt,currency,lineType,amount,quantity,sku,categories,ownerCollaboratorIds,total\nt1,complete,2026-03-05T10:00:00Z,USD,product,25000.00,2,COURSE-A,\"courses;video\",ana,\nt1,complete,2026-03-05T10:00:00Z,USD,discount,10.00,1,,,,\nt2,complete,2026-03-06T10:00:00Z,USD,,,,,,,99.99\n",
  refunds: "transactionId,occurredAt,amount\nt1,2026-03-25T08:00:00Z,500.00\nt2,2026-03-26T08:00:00Z,\n",
  collaborators: "id,name,status\nana,\"Lopez, Ana\",active\nben,Ben \"\"B\"\" Okafor,inactive\n",
};
const NASTY = ['"', ",", "\n", "\r", "\r\n", "\uFEFF", "\u0000", "\uD800", "é", "😀", '""', "\t", " ", "-", "0", "1e400", "NaN", "9".repeat(400), "[", "{", "}", "null"];

function mutate(text, r) {
  let out = text;
  for (let k = 1 + r.int(6); k > 0; k--) {
    const at = r.int(out.length + 1);
    switch (r.int(5)) {
      case 0: out = out.slice(0, at) + r.pick(NASTY) + out.slice(at); break; // insert
      case 1: out = out.slice(0, at) + out.slice(at + 1 + r.int(8)); break; // delete
      case 2: out = out.slice(0, at) + out.slice(r.int(out.length + 1)); break; // splice
      case 3: { const line = out.split("\n"); line.splice(r.int(line.length + 1), 0, r.pick(line)); out = line.join("\n"); break; } // duplicate a line (incl. the header)
      default: out = out.slice(0, at) + String.fromCharCode(r.int(0x3000)) + out.slice(at);
    }
  }
  return out;
}

function randomText(r) {
  const length = r.int(200);
  let s = "";
  for (let i = 0; i < length; i++) s += r.chance(0.5) ? r.pick(NASTY) : String.fromCharCode(32 + r.int(95));
  return s;
}

test("CSV and JSON readers: records or a located InputError, never anything else (seeded fuzz)", () => {
  const dir = mkdtempSync(join(tmpdir(), "siren-hostile-"));
  const ITERATIONS = 400;
  let records = 0, located = 0;
  try {
    for (let seed = 1; seed <= ITERATIONS; seed++) {
      const r = rng(seed * 2654435761);
      const kind = r.pick(Object.keys(VALID));
      const csv = r.chance(0.85) ? mutate(VALID[kind], r) : randomText(r);
      const asJson = r.chance(0.2);
      const file = join(dir, `${kind}-${seed}.${asJson ? "json" : "csv"}`);
      writeFileSync(file, asJson ? mutate(JSON.stringify({ [kind]: [{ id: "x", collaboratorId: "a", transactionId: "t1", occurredAt: "2026-01-01T00:00:00Z", total: 1 }] }), r) : csv);
      const read = () => {
        switch (kind) {
          case "events": return readers.readEvents(file);
          case "transactions": return readers.readTransactions(file);
          case "refunds": { // attaches refunds to the transactions it is given
            const transactions = [{ id: "t1", occurredAt: "2026-03-05T10:00:00Z", total: "1" }, { id: "t2", occurredAt: "2026-03-06T10:00:00Z", total: "1" }];
            readers.readRefunds(file, transactions);
            return transactions;
          }
          default: return readers.readCollaborators(file);
        }
      };
      try {
        const out = read();
        assert.ok(Array.isArray(out), `seed ${seed}: not an array`);
        records++;
      } catch (e) {
        if (!(e instanceof readers.InputError)) {
          assert.fail(`seed ${seed} (${kind}${asJson ? ", JSON" : ""}): ${e && e.constructor && e.constructor.name}: ${e && e.message}\n${JSON.stringify(readFileSync(file, "utf8"))}`);
        }
        assert.ok(e.message.startsWith(file), `seed ${seed}: message not located: ${e.message}`);
        assert.ok(e.message.length < 2000, `seed ${seed}: message of ${e.message.length} characters`);
        located++;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Both outcomes were exercised.
  assert.ok(records > 20 && located > 20, `records ${records}, errors ${located}`);
});

test("CSV parser: the same records however the text is split into chunks (seeded)", () => {
  for (let seed = 1; seed <= 300; seed++) {
    const r = rng(seed * 40503);
    const text = mutate(r.pick(Object.values(VALID)), r);
    let whole;
    try { whole = readers.parseCsv(text, "f.csv"); } catch (e) {
      assert.ok(e instanceof readers.InputError, `seed ${seed}: ${e}`);
      whole = e.message;
    }
    let chunked = [];
    try {
      const parser = new readers.CsvParser("f.csv", (rec) => chunked.push(rec));
      for (let i = 0; i < text.length;) { const n = 1 + r.int(7); parser.feed(text.slice(i, i + n)); i += n; }
      parser.end();
    } catch (e) {
      assert.ok(e instanceof readers.InputError, `seed ${seed}: ${e}`);
      chunked = e.message;
    }
    assert.deepEqual(chunked, whole, `seed ${seed}: ${JSON.stringify(text)}`);
  }
});

// ---------------------------------------------------------------------------------------------
// Native and wasm agree on generated inputs (not only on the hand-written cases).

function generatedSimulate(r) {
  const people = ["ana", "ben", "7", "10"];
  const at = (days) => new Date(Date.UTC(2026, 0, 1) + days * 3_600_000).toISOString();
  return {
    ...validSimulate,
    recipe: { ...validSimulate.recipe, distributors: { monthly: { ...validSimulate.recipe.distributors.monthly,
      distributionResolver: r.pick(["topScoreWins", "performanceSharedPool", "sharedEngagementPool"]),
      units: r.pick(["USD", "JPY", "KWD"]), schedule: [r.pick(["first day of next month", "+9 days", "next friday"])] } } },
    config: { engagementTypes: { referredSiteVisit: 1 + r.int(5), courseCompleted: 10 }, revenuePercentage: r.pick([5, "7.5", "12.345"]), transactionCompilers: ["lineItems", "discounts"] },
    timeZone: r.pick(["UTC", "America/New_York", "Australia/Lord_Howe"]),
    end: "2026-06-01T00:00:00Z",
    events: Array.from({ length: r.int(30) }, (_, i) => ({ id: `e${i}`, collaboratorId: r.pick(people), type: r.pick(["referredSiteVisit", "courseCompleted"]), occurredAt: at(r.int(3600)) })),
    transactions: Array.from({ length: r.int(10) }, (_, i) => ({ id: `t${i}`, occurredAt: at(r.int(3600)),
      details: [{ type: "product", amount: `${r.int(100000)}.${r.int(1000)}`, quantity: 1 + r.int(3) }, { type: "discount", amount: `${r.int(50)}.5` }],
      refunds: r.chance(0.3) ? [{ occurredAt: at(r.int(3600)), amount: `${r.int(500)}.01` }] : [] })),
    pauses: r.chance(0.3) ? [{ from: at(r.int(3000)), until: at(3000 + r.int(600)) }] : [],
    policies: { carryOverUnawarded: r.chance(0.5), tieBreak: r.pick(["earliestToReach", "split", "lowestCollaboratorId"]) },
  };
}

test("generated simulate inputs: wasm output equals native output byte for byte", () => {
  const build = spawnSync("cargo", ["build", "--quiet", "--package", "xtask"], { cwd: root, encoding: "utf8" });
  assert.equal(build.status, 0, build.stderr);
  const native = new URL("target/debug/xtask", root).pathname;
  for (let seed = 1; seed <= 25; seed++) {
    const input = generatedSimulate(rng(seed * 97));
    const out = spawnSync(native, ["engine", "simulate"], { input: JSON.stringify(input), encoding: "utf8", maxBuffer: 1 << 26 });
    let wasm;
    try { wasm = JSON.stringify(cjs.simulate(input)); } catch (e) { wasm = JSON.stringify({ error: { code: e.code, path: e.path, message: e.message } }); }
    assert.equal(wasm, out.stdout.trim(), `seed ${seed}`);
  }
});
