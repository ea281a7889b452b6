#!/usr/bin/env node
// The benchmark: `node bench/run.mjs` (or `npm run bench`) after `scripts/build.sh`.
// Times previewing 100k, 1M and 10M events, and 1M transaction lines, through
//   (a) the wasm bulk path (Engine + loadEventsColumns + loadTransactionsColumns), (b) the wasm object path
//   (previewScores with event objects), (c) plain JS (bench/plain.mjs), (d) native Rust
//   (xtask/src/bench.rs, release build), and (a) and (d) again with `top: 50` (the leaderboard, its
//   explanation and shares list the top 50; allocations stay complete), each measurement in a fresh process (so peak RSS is
//   that measurement's), with one warm-up and several repetitions. The transaction line run gives
//   the ids as numbers (order numbers), and once more as strings. Prints a Markdown table and
//   writes bench/results.json. `--quick` runs 10k and 100k only.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import os from "node:os";
import { eventColumns, eventObjects, transactions, transactionColumns, previewInput } from "./data.mjs";
import { plainPreview } from "./plain.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const require = createRequire(import.meta.url);
const WASM = `${root}pkg/web/siren_engine_bg.wasm`;
const REWEIGHTS = [[2, 5, 10, 2, 3], [1, 7, 10, 2, 3], [1, 5, 12, 2, 3]];
const OBJECT_PATH_CAP = 1_000_000; // JSON.stringify of 10M event objects exceeds V8's string limit
const TOP = 50; // the listed paths' `top`

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN; };
const time = (fn) => { const t = performance.now(); const r = fn(); return [performance.now() - t, r]; };
const summary = (out) => ({ pool: out.pool, leader: out.leaderboard[0]?.collaboratorId, leaderScore: out.leaderboard[0]?.score });

function child(path, n, tx, reps) {
  const txs = transactions(tx);
  const cold = [], warm = [], loadEvents = [], loadTransactions = [];
  let check;
  if (path === "bulk" || path === "bulkTop" || path === "bulkTopText") {
    const top = path === "bulk" ? undefined : TOP;
    const { Engine } = require(`${root}pkg/node/siren_engine.js`);
    const columns = eventColumns(n);
    const txColumns = transactionColumns(tx, 2, { textIds: path === "bulkTopText" });
    for (let rep = 0; rep <= reps; rep++) {
      const t0 = performance.now();
      const engine = new Engine();
      engine.loadEventsColumns(columns);
      const t1 = performance.now();
      engine.loadTransactionsColumns(txColumns);
      const t2 = performance.now();
      const out = engine.preview(previewInput(undefined, top));
      const t3 = performance.now();
      const w = REWEIGHTS.map((weights) => time(() => engine.preview(previewInput(weights, top)))[0]);
      engine.free();
      if (rep > 0) { cold.push(t3 - t0); loadEvents.push(t1 - t0); loadTransactions.push(t2 - t1); warm.push(...w); }
      check = summary(out);
    }
  } else if (path === "object") {
    const { previewScores } = require(`${root}pkg/node/siren_engine.js`);
    const input = { ...previewInput(), events: eventObjects(n), transactions: txs };
    for (let rep = 0; rep <= reps; rep++) {
      const [ms, out] = time(() => previewScores(input));
      if (rep > 0) cold.push(ms);
      check = summary(out);
    }
  } else if (path === "plain") {
    const events = eventObjects(n);
    for (let rep = 0; rep <= reps; rep++) {
      const [ms, out] = time(() => plainPreview(previewInput(), events, txs));
      if (rep > 0) cold.push(ms);
      check = summary(out);
    }
  }
  console.log(JSON.stringify({ path, events: n, transactions: tx, cold, warm, loadEvents, loadTransactions, peakRss: process.resourceUsage().maxRSS * 1024, check }));
}

async function instantiate() {
  const bytes = readFileSync(WASM);
  const [compile] = [await (async () => { const t = performance.now(); await WebAssembly.compile(bytes); return performance.now() - t; })()];
  const web = await import(`${root}pkg/web/siren_engine.js`);
  const t = performance.now();
  web.initSync({ module: bytes });
  const full = performance.now() - t;
  const t2 = performance.now();
  require(`${root}pkg/node/siren_engine.js`);
  const node = performance.now() - t2;
  console.log(JSON.stringify({ compile, full, node }));
}

function spawn(args, options = {}) {
  const r = spawnSync(args[0], args.slice(1), { encoding: "utf8", maxBuffer: 1 << 26, ...options });
  const line = r.stdout.trim().split("\n").pop();
  try {
    return JSON.parse(line);
  } catch {
    return { error: (r.stderr || r.stdout || `exit ${r.status}`).trim().split("\n").slice(-3).join(" ") };
  }
}

function main(quick) {
  const sizes = quick ? [10_000, 100_000] : [100_000, 1_000_000, 10_000_000];
  const runs = sizes.map((n) => ({ n, tx: 1_000 })).concat([{ n: quick ? 10_000 : 100_000, tx: quick ? 50_000 : 500_000, lines: true }]);
  const build = spawnSync("cargo", ["build", "--quiet", "--release", "--package", "xtask"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) throw new Error("cargo build --release --package xtask failed");
  const results = [];
  for (const { n, tx, lines } of runs) {
    const reps = n >= 10_000_000 || tx >= 500_000 ? 3 : 5;
    const paths = ["bulk", "bulkTop", ...(lines ? ["bulkTopText"] : []), "object", "plain", "native", "nativeTop"];
    for (const path of paths) {
      let r;
      if (path === "object" && n > OBJECT_PATH_CAP) r = { skipped: `not run: JSON.stringify of ${n.toLocaleString("en")} event objects exceeds V8's maximum string length (about 512 MB)` };
      else if (path === "native") r = spawn([`${root}target/release/xtask`, "bench", String(n), String(tx), String(reps)]);
      else if (path === "nativeTop") r = spawn([`${root}target/release/xtask`, "bench", String(n), String(tx), String(reps), String(TOP)]);
      else r = spawn([process.execPath, "--max-old-space-size=16384", fileURLToPath(import.meta.url), "--child", path, String(n), String(tx), String(reps)]);
      r = { ...r, path, events: n, transactions: tx, lines: !!lines };
      results.push(r);
      process.stderr.write(`${path} ${n} events ${tx} transactions: ${r.error ?? r.skipped ?? `${median(r.cold).toFixed(1)} ms`}\n`);
    }
  }
  const inst = Array.from({ length: 5 }, () => spawn([process.execPath, fileURLToPath(import.meta.url), "--instantiate"]));
  const bytes = readFileSync(WASM);
  const machine = { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`, node: process.version, rustc: spawnSync("rustc", ["--version"], { encoding: "utf8" }).stdout.trim(), date: new Date().toISOString() };
  const size = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  writeFileSync(`${root}bench/results.json`, JSON.stringify({ machine, size, instantiation: inst, results }, null, 2) + "\n");
  console.log(report(machine, size, inst, results));
}

function report(machine, size, inst, results) {
  const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "–");
  const rate = (n, ms) => (Number.isFinite(ms) && ms > 0 ? `${((n / ms) * 1000 / 1e6).toFixed(2)} M/s` : "–");
  const out = [];
  out.push(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory}; Node ${machine.node}; ${machine.rustc}; ${machine.date}`);
  out.push(`Module: ${size.raw.toLocaleString("en")} bytes raw, ${size.gzip.toLocaleString("en")} bytes gzipped (level 9)`);
  out.push(`Instantiation (fresh process, median of ${inst.length}): compile ${fmt(median(inst.map((i) => i.compile)))} ms; compile + instantiate (web initSync) ${fmt(median(inst.map((i) => i.full)))} ms; require() of the Node build ${fmt(median(inst.map((i) => i.node)))} ms`);
  out.push("");
  out.push("| data | path | cold median (min) ms | events/s (cold) | re-preview median ms | cold / re-preview | vs plain JS (cold) | peak RSS MB | load events / transactions ms |");
  out.push("|---|---|---|---|---|---|---|---|---|");
  const groups = new Map();
  for (const r of results) { const k = `${r.events}/${r.transactions}`; if (!groups.has(k)) groups.set(k, []); groups.get(k).push(r); }
  for (const group of groups.values()) {
    const plain = group.find((r) => r.path === "plain");
    const plainMs = plain?.cold ? median(plain.cold) : NaN;
    for (const r of group) {
      const label = r.lines ? `${r.events.toLocaleString("en")} events + ${(r.transactions * 2).toLocaleString("en")} lines` : `${r.events.toLocaleString("en")} events`;
      const name = { bulk: "(a) wasm bulk", bulkTop: `(a) wasm bulk, top ${TOP}`, bulkTopText: `(a) wasm bulk, top ${TOP}, ids as strings`, object: "(b) wasm object", plain: "(c) plain JS", native: "(d) native Rust", nativeTop: `(d) native Rust, top ${TOP}` }[r.path];
      if (!r.cold) { out.push(`| ${label} | ${name} | ${r.skipped ?? r.error} | | | | | | |`); continue; }
      const cold = median(r.cold), warm = r.warm?.length ? median(r.warm) : NaN;
      out.push(`| ${label} | ${name} | ${fmt(cold)} (${fmt(Math.min(...r.cold))}) | ${rate(r.events, cold)} | ${fmt(warm)} | ${Number.isFinite(warm) ? fmt(cold / warm) + "×" : "–"} | ${fmt(plainMs / cold, 2)}× | ${fmt(r.peakRss / 2 ** 20, 0)} | ${r.loadEvents?.length ? `${fmt(median(r.loadEvents))} / ${fmt(median(r.loadTransactions))}` : "–"} |`);
    }
  }
  return out.join("\n");
}

const args = process.argv.slice(2);
if (args[0] === "--child") child(args[1], Number(args[2]), Number(args[3]), Number(args[4]));
else if (args[0] === "--instantiate") await instantiate();
else main(args.includes("--quick"));
