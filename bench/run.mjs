#!/usr/bin/env node
// The benchmark: `node bench/run.mjs` (or `npm run bench`) after `scripts/build.sh`.
// Times previewing 100k, 1M and 10M events, and 1M transaction lines, through
//   (a) the wasm bulk path (Engine + loadEventsColumns + loadTransactionsColumns), (b) the wasm object path
//   (previewScores with event objects), (c) plain JS (bench/plain.mjs), (d) native Rust
//   (xtask/src/bench.rs, release build), and (a) and (d) again with `top: 50` (the leaderboard, its
//   explanation and shares list the top 50; allocations stay complete), each measurement in a fresh process (so peak RSS is
//   that measurement's), with one warm-up and several repetitions. The transaction line run gives
//   the ids as numbers (order numbers), and once more as strings. Then the first call
//   (bench/first-call.mjs, 3 fresh processes) and the sample year (bench/sample-year.mjs).
//   Prints three Markdown tables (every row; the summary, each path against the baselines of
//   the same run; the targets with this run's figures and a verdict) and writes
//   bench/results.json. `--quick` runs 10k and 100k only (no first call, no sample year);
//   `--report [results.json]` prints the tables of an earlier run again.
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
      if (path === "native") r = spawn([`${root}target/release/xtask`, "bench", String(n), String(tx), String(reps)]);
      else if (path === "nativeTop") r = spawn([`${root}target/release/xtask`, "bench", String(n), String(tx), String(reps), String(TOP)]);
      else r = spawn([process.execPath, "--max-old-space-size=16384", fileURLToPath(import.meta.url), "--child", path, String(n), String(tx), String(reps)]);
      r = { ...r, path, events: n, transactions: tx, lines: !!lines };
      results.push(r);
      process.stderr.write(`${path} ${n} events ${tx} transactions: ${r.error ?? r.skipped ?? `${median(r.cold).toFixed(1)} ms`}\n`);
    }
  }
  const inst = Array.from({ length: 5 }, () => spawn([process.execPath, fileURLToPath(import.meta.url), "--instantiate"]));
  // The first call (bench/first-call.mjs, fresh processes) and the sample year
  // (bench/sample-year.mjs), for the targets; not in the quick run.
  const firstCall = quick ? [] : Array.from({ length: 3 }, () => spawn([process.execPath, `${root}bench/first-call.mjs`]));
  const sampleYear = quick ? undefined : sampleYearRun();
  const bytes = readFileSync(WASM);
  const machine = { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`, node: process.version, rustc: spawnSync("rustc", ["--version"], { encoding: "utf8" }).stdout.trim(), date: new Date().toISOString() };
  // The budget's measure is the README's, `gzip -9` (scripts/build.sh prints it); Node's zlib at
  // level 9 gives some 2.5 KB more for the same bytes, shown beside it.
  const gzip = spawnSync("gzip", ["-9", "-c", WASM], { maxBuffer: 1 << 26 }).stdout?.length;
  const size = { raw: bytes.length, gzip, zlib: gzipSync(bytes, { level: 9 }).length };
  writeFileSync(`${root}bench/results.json`, JSON.stringify({ machine, size, instantiation: inst, firstCall, sampleYear, results }, null, 2) + "\n");
  print({ machine, size, instantiation: inst, firstCall, sampleYear, results });
}

/** The three tables: every row, the summary (BENCHMARKS.md's top), the targets with verdicts. */
function print({ machine, size, instantiation, firstCall = [], sampleYear, results }) {
  console.log(report(machine, size, instantiation, results));
  console.log(overview(results));
  console.log(targets(size, instantiation, results, firstCall, sampleYear));
}

/** The short table at the top of BENCHMARKS.md: every path against the baselines of the same run. */
function overview(results) {
  const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toLocaleString("en", { minimumFractionDigits: d, maximumFractionDigits: d }) : "–");
  const cols = [[100_000, false], [1_000_000, false], [10_000_000, false], [100_000, true]].filter(([n, lines]) => results.some((r) => r.events === n && r.lines === lines));
  const find = (path, n, lines) => results.find((r) => r.path === path && r.events === n && r.lines === lines);
  const ms = (r, key = "cold") => (r?.[key]?.length ? median(r[key]) : NaN);
  const head = cols.map(([n, lines]) => (lines ? `${n.toLocaleString("en")} events + ${(2 * find("plain", n, lines)?.transactions || 0).toLocaleString("en")} lines` : `${n.toLocaleString("en")} events`));
  const out = ["", `| median ms (ratio) | ${head.join(" | ")} |`, `|---|${cols.map(() => "---|").join("")}`];
  const line = (label, cell) => out.push(`| ${label} | ${cols.map(([n, lines]) => cell(n, lines)).join(" | ")} |`);
  line("(c) plain JS: baseline", (n, l) => `${fmt(ms(find("plain", n, l)), 0)}`);
  line("(d) native Rust, cold / re-preview: baseline", (n, l) => `${fmt(ms(find("native", n, l)))} / ${fmt(ms(find("native", n, l), "warm"))}`);
  line(`(d) native Rust, top ${TOP}, cold / re-preview: baseline`, (n, l) => `${fmt(ms(find("nativeTop", n, l)))} / ${fmt(ms(find("nativeTop", n, l), "warm"))}`);
  for (const [path, native, label] of [["bulk", "native", "(a) wasm bulk"], ["bulkTop", "nativeTop", `(a) wasm bulk, top ${TOP}`]]) {
    line(`${label}, cold (× native's time; speed × plain JS)`, (n, l) => {
      const [w, d, p] = [ms(find(path, n, l)), ms(find(native, n, l)), ms(find("plain", n, l))];
      return `${fmt(w)} (**${fmt(w / d, 2)}×** native; ${fmt(p / w, 2)}× plain JS)`;
    });
    line(`${label}, re-preview (× native's time)`, (n, l) => {
      const [w, d] = [ms(find(path, n, l), "warm"), ms(find(native, n, l), "warm")];
      return `${fmt(w)} (**${fmt(w / d, 2)}×**)`;
    });
  }
  line("(b) wasm object path, `previewScores` (speed × plain JS; peak RSS × plain JS's)", (n, l) => {
    const [o, p] = [find("object", n, l), find("plain", n, l)];
    if (!o?.cold) return o?.skipped ? "cannot be passed" : "–";
    return `${fmt(ms(o), 0)} (**${fmt(ms(p) / ms(o), 2)}×**; RSS ${fmt(o.peakRss / p.peakRss, 2)}×)`;
  });
  return out.join("\n");
}

/** bench/sample-year.mjs's medians, read from its printed lines (undefined fields when it failed). */
function sampleYearRun() {
  const r = spawnSync(process.execPath, [`${root}bench/sample-year.mjs`], { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 });
  const number = (re) => { const m = re.exec(r.stdout ?? ""); return m ? Number(m[1]) : undefined; };
  return {
    previewScores: number(/previewScores ([\d.]+) ms/), simulate: number(/simulate ([\d.]+) ms, compare/),
    plainPreview: number(/plain JS[^\n]*?preview ([\d.]+) ms/), plainSimulate: number(/plain JS[^\n]*?simulate ([\d.]+) ms/),
    output: (r.stdout || r.stderr || "").trim(),
  };
}

/** The targets (BENCHMARKS.md, "Targets"), each with the figure measured in this run and a verdict. */
function targets(size, inst, results, firstCall, sampleYear) {
  const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "–");
  const row = (path, n, lines = false) => results.find((r) => r.path === path && r.events === n && r.lines === lines && r.cold);
  const verdict = (ok) => (ok === undefined ? "not measured" : ok ? "**met**" : "**not met**");
  const out = ["", "| target | measured (this run) | verdict |", "|---|---|---|"];
  for (const n of [1_000_000, 10_000_000]) {
    for (const [wasm, native, label] of [["bulk", "native", ""], ["bulkTop", "nativeTop", `, top ${TOP}`]]) {
      const [w, d] = [row(wasm, n), row(native, n)];
      if (!w && !d) continue; // a size this run did not measure (--quick)
      for (const [what, key] of [["cold", "cold"], ["re-preview", "warm"]]) {
        const ratio = w && d ? median(w[key]) / median(d[key]) : NaN;
        out.push(`| wasm bulk ≤ 1.5× native Rust, ${n.toLocaleString("en")} events${label}, ${what} | ${fmt(w ? median(w[key]) : NaN)} ms vs ${fmt(d ? median(d[key]) : NaN)} ms: **${fmt(ratio, 2)}×** | ${verdict(Number.isFinite(ratio) ? ratio <= 1.5 : undefined)} |`);
      }
    }
  }
  const instMs = Math.max(median(inst.map((i) => i.compile)), median(inst.map((i) => i.full)), median(inst.map((i) => i.node)));
  out.push(`| instantiation < 50 ms | ${fmt(instMs)} ms (the largest of compile, compile + instantiate, require(); medians of ${inst.length} processes) | ${verdict(Number.isFinite(instMs) ? instMs < 50 : undefined)} |`);
  const firsts = firstCall.filter((f) => f.callsMs).map((f) => f.callsMs[0]);
  const later = firstCall.filter((f) => f.callsMs).flatMap((f) => f.callsMs.slice(1));
  const first = firsts.length ? median(firsts) : NaN;
  out.push(`| first call < 100 ms (bench/first-call.mjs: the 1st previewScores of 50k events and 20k transactions as objects, fresh process) | ${fmt(first)} ms (median of ${firsts.length} processes; 2nd–5th calls ${fmt(later.length ? median(later) : NaN)} ms) | ${verdict(Number.isFinite(first) ? first < 100 : undefined)} |`);
  const sy = sampleYear ?? {};
  const plainNote = (ms, plain) => (Number.isFinite(plain) ? `, ${fmt(plain / ms, 2)}× plain JS (${fmt(plain)} ms)` : "");
  out.push(`| sample year previewScores from objects ≤ 60 ms | ${fmt(sy.previewScores)} ms${plainNote(sy.previewScores, sy.plainPreview)} | ${verdict(Number.isFinite(sy.previewScores) ? sy.previewScores <= 60 : undefined)} |`);
  out.push(`| sample year simulate ≤ 200 ms | ${fmt(sy.simulate)} ms${plainNote(sy.simulate, sy.plainSimulate)} | ${verdict(Number.isFinite(sy.simulate) ? sy.simulate <= 200 : undefined)} |`);
  for (const n of [100_000, 1_000_000, 10_000_000]) {
    const [o, p] = [row("object", n), row("plain", n)];
    const speed = o && p ? median(p.cold) / median(o.cold) : NaN;
    const memory = o && p ? o.peakRss / p.peakRss : NaN;
    const skipped = results.find((r) => r.path === "object" && r.events === n && !r.lines && r.skipped);
    if (!(o && p) && !skipped) continue; // a size this run did not measure (--quick)
    const measured = o && p ? `${fmt(speed, 2)}× plain JS (${fmt(median(o.cold))} vs ${fmt(median(p.cold))} ms), peak RSS ${fmt(memory, 2)}× (${fmt(o.peakRss / 2 ** 20, 0)} vs ${fmt(p.peakRss / 2 ** 20, 0)} MB)` : "cannot be passed as objects (see the table)";
    out.push(`| object path ≥ 1× plain JS, peak memory ≤ 2×, ${n.toLocaleString("en")} events | ${measured} | ${verdict(o && p ? speed >= 1 && memory <= 2 : false)} |`);
  }
  out.push(`| module < 350,000 bytes gzipped (\`gzip -9\`, as README states it) | ${size.gzip?.toLocaleString("en")} bytes (Node's zlib, level 9: ${size.zlib?.toLocaleString("en")}) | ${verdict(size.gzip < 350_000)} |`);
  return out.join("\n");
}

function report(machine, size, inst, results) {
  const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "–");
  const rate = (n, ms) => (Number.isFinite(ms) && ms > 0 ? `${((n / ms) * 1000 / 1e6).toFixed(2)} M/s` : "–");
  const out = [];
  out.push(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory}; Node ${machine.node}; ${machine.rustc}; ${machine.date}`);
  out.push(`Module: ${size.raw.toLocaleString("en")} bytes raw, ${size.gzip?.toLocaleString("en")} bytes gzipped (\`gzip -9\`; ${size.zlib?.toLocaleString("en")} by Node's zlib, level 9)`);
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
else if (args[0] === "--report") print(JSON.parse(readFileSync(args[1] ?? `${root}bench/results.json`, "utf8")));
else main(args.includes("--quick"));
