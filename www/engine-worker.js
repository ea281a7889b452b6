// The engine off the main thread: a module Web Worker that loads pkg/web/siren_engine.js once,
// parses the data files (CSV or JSON, through lib/records.mjs, as the command line does) and
// keeps the data here, so each preview, simulation or comparison only sends the small
// recipe/config/settings across. The events and transactions are loaded once into an `Engine`
// (and only there), so a preview, simulation or comparison with other weights does not pass or
// parse them again (the output is the same as the functions'); the collaborators go with each call.
// Messages: `{id, op, args}` in, `{id, ok, result, ms}` or
// `{id, ok: false, error: {message, code?, path?, where?}}` out (`where`: "events.csv:3:21").

import init, { version, Engine, previewScores, simulate } from "../pkg/web/siren_engine.js";
import { restUrl, eventColumns, transactionColumns } from "./rest.mjs";
import { parseEvents, parseTransactions, attachRefunds, parseCollaborators, parseJson, InputError, emptySources, locateEnginePath } from "../lib/records.mjs";

const ready = init();
let data = null; // {collaborators, files, sources: where the collaborators came from}
let engine = null; // an Engine holding the loaded events and transactions

const SAMPLE = "../samples/year/";

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

/** Parses `{events, transactions, refunds?, collaborators?}` of `{name, text}` into the engine's objects. */
function parseData(files) {
  const sources = emptySources(); // where each record came from, to point an engine error at its line
  const events = parseEvents(files.events.name, files.events.text, sources);
  const transactions = parseTransactions(files.transactions.name, files.transactions.text, sources);
  let refunds = 0;
  if (files.refunds) {
    const before = transactions.reduce((n, t) => n + (Array.isArray(t.refunds) ? t.refunds.length : 0), 0);
    attachRefunds(files.refunds.name, files.refunds.text, transactions, sources);
    refunds = transactions.reduce((n, t) => n + (Array.isArray(t.refunds) ? t.refunds.length : 0), 0) - before;
  }
  const collaborators = files.collaborators ? parseCollaborators(files.collaborators.name, files.collaborators.text, sources) : [];
  // Invalid records are reported now, with their code and path; the data loaded before stays.
  const loaded = new Engine();
  try {
    loaded.loadEvents(events);
    loaded.loadTransactions(transactions);
  } catch (e) {
    loaded.free();
    const where = e?.path === undefined ? null : locateEnginePath(e.path, sources);
    if (where) e.where = where; // "events.csv:3:21", as the command line says
    throw e;
  }
  engine?.free();
  engine = loaded;
  const names = Object.fromEntries(Object.entries(files).map(([k, f]) => [k, f.name]));
  // Only the collaborators' origins are kept: they go with each call and are checked then.
  data = { collaborators, files: names, sources: { ...emptySources(), collaborators: sources.collaborators } };
  return summary(events, transactions, refunds);
}

function summary(events, transactions, refunds) {
  let lastEventAt = null;
  let lastMs = -Infinity;
  for (const e of events) {
    const ms = Date.parse(e.occurredAt);
    if (ms > lastMs) {
      lastMs = ms;
      lastEventAt = e.occurredAt;
    }
  }
  return {
    files: data.files,
    events: events.length,
    transactions: transactions.length,
    refunds,
    collaborators: data.collaborators.map((c) => ({ id: String(c.id), name: c.name ?? "", status: c.status ?? "active" })),
    lastEventAt,
  };
}

function roster() {
  return data.collaborators.length ? { collaborators: data.collaborators } : {};
}

/** The `Engine` holding the loaded events and transactions. */
function loadedEngine() {
  if (!data) throw new Error("Load events and transactions first (your files or the sample year).");
  return engine;
}

const ops = {
  version: () => version(),
  /** The cycle windows a preview or simulation would cover, computed without records. */
  windows({ kind, input }) {
    if (kind === "preview") {
      const p = previewScores({ ...input, events: [], transactions: [], top: 1 });
      return { start: p.window.start, end: p.window.end, triggerAt: p.triggerAt };
    }
    const s = simulate({ ...input, events: [], transactions: [] });
    return { start: s.cycles[0]?.window.start ?? input.start, end: s.cycles.at(-1)?.window.end ?? input.end, cycles: s.cycles.length };
  },
  /** Loads the records of `[from, to]` (ms) from the plugin's REST route into a fresh Engine. */
  async loadRecords({ base, nonce, from, to }, progress) {
    progress({ phase: "download" });
    const response = await fetch(restUrl(base, "records", { from, to }), { headers: { "X-WP-Nonce": nonce }, credentials: "same-origin" });
    // Read whole: a body read through a stream reader is reported as aborted by Chromium here
    // (seen with `php -S`'s close-delimited responses), although all of it arrives.
    const text = await response.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      throw Object.assign(new Error(`The site answered ${response.status} without JSON.`), { code: "http" });
    }
    if (!response.ok) throw Object.assign(new Error(body?.message ?? `HTTP ${response.status}`), { code: body?.code ?? "http" });
    progress({ phase: "load" });
    const loaded = new Engine();
    try {
      loaded.loadEventsColumns(eventColumns(body.events));
      if (Array.isArray(body.transactions)) loaded.loadTransactions(body.transactions);
      else loaded.loadTransactionsColumns(transactionColumns(body.transactions));
    } catch (e) {
      loaded.free();
      throw e;
    }
    engine?.free();
    engine = loaded;
    const collaborators = body.collaborators ?? [];
    data = { collaborators, files: {}, sources: emptySources() };
    return {
      source: body.source,
      events: loaded.eventCount,
      transactions: loaded.transactionCount,
      collaborators: collaborators.map((c) => ({ id: String(c.id), name: c.name ?? "", status: c.status ?? "active" })),
      bytes: text.length,
    };
  },
  async loadSample() {
    const names = ["events.csv", "transactions.csv", "refunds.csv", "collaborators.csv", "config.json", "scenario.json"];
    const texts = await Promise.all(names.map((n) => fetchText(SAMPLE + n)));
    const [events, transactions, refunds, collaborators, config, scenario] = texts;
    const result = parseData({
      events: { name: "events.csv", text: events },
      transactions: { name: "transactions.csv", text: transactions },
      refunds: { name: "refunds.csv", text: refunds },
      collaborators: { name: "collaborators.csv", text: collaborators },
    });
    return { ...result, configText: config, scenario: parseJson(scenario, "scenario.json") };
  },
  /** `files`: `{kind: File}` for kinds events, transactions, refunds?, collaborators?. */
  async loadFiles({ files }) {
    const read = {};
    for (const [kind, file] of Object.entries(files)) if (file) read[kind] = { name: file.name, text: await file.text() };
    if (!read.events || !read.transactions) throw new Error("Choose at least an events file and a transactions file.");
    return parseData(read);
  },
  preview: (input) => loadedEngine().preview({ ...input, ...roster() }),
  simulate: (input) => loadedEngine().simulate({ ...input, ...roster() }),
  compare: ({ base, variant }) => loadedEngine().compare({ base: { ...base, ...roster() }, variant }),
};

self.onmessage = async ({ data: message }) => {
  const { id, op, args } = message;
  try {
    await ready;
    const started = performance.now();
    const result = await ops[op](args ?? {}, (progress) => self.postMessage({ id, progress }));
    self.postMessage({ id, ok: true, result, ms: Math.round(performance.now() - started) });
  } catch (e) {
    const error = { message: e instanceof InputError ? e.message : String(e?.message ?? e) };
    if (e?.code) error.code = e.code;
    if (e?.path !== undefined) error.path = e.path;
    const where = e?.where ?? (data && e?.path !== undefined ? locateEnginePath(e.path, data.sources) : null);
    if (where) error.where = where;
    self.postMessage({ id, ok: false, error });
  }
};
