// The Siren distribution editor: recipe and configuration editing with validation on every
// keystroke (on the main thread: the engine validates a recipe in well under a millisecond), and
// previews, simulations and comparisons in engine-worker.js (they take a second or two on the
// sample year). Amounts are the engine's decimal strings, shown as given (digit grouping only).

import init, { validateRecipe, validateDistributorConfig, nextRuns, version } from "../pkg/web/siren_engine.js";
import { scanJson, locatePointer } from "./json-locate.mjs";
import { jsonEditor } from "./json-editor.mjs";
import { COMPILERS, LINE_TYPES, versionsOf, formValues, applyForm, replaceVersion, typeRows } from "./config-model.mjs";
import { poolChart, payoutChart } from "./charts.mjs";
import { groupDigits, money, simulationCsv, label } from "./export.mjs";

const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

// ---------------------------------------------------------------------------------------------
// The worker.

const worker = new Worker(new URL("./engine-worker.js", import.meta.url), { type: "module" });
const pending = new Map();
let nextId = 1;
worker.onmessage = ({ data }) => {
  const p = pending.get(data.id);
  if (!p) return;
  pending.delete(data.id);
  if (data.ok) p.resolve({ result: data.result, ms: data.ms });
  else p.reject(Object.assign(new Error(data.error.message), data.error));
};
worker.onerror = (e) => {
  for (const p of pending.values()) p.reject(new Error(`The engine worker failed: ${e.message ?? "unknown error"}`));
  pending.clear();
};
function call(op, args) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, op, args });
  });
}

// ---------------------------------------------------------------------------------------------
// State.

const state = {
  recipe: null, // the parsed recipe when it is valid JSON
  recipeValid: false,
  config: null,
  configValid: false,
  versionIndex: 0,
  names: new Map(),
  data: null,
  simulation: null,
  lastSimInput: null,
};

/** Whether an engine amount ("0.00", "-0") is zero: by its text, never by a float. */
const isZero = (amount) => /^-?[0.]*$/.test(String(amount ?? ""));

const errorText = (e) => `${e.where ? `${e.where}: ` : ""}${e.message}${e.code ? ` (${e.code}${e.path !== undefined && e.path !== "" ? ` at ${e.path}` : ""})` : ""}`;

// ---------------------------------------------------------------------------------------------
// Diagnostics in an editor.

/** Validates the editor's text with `validate`, lists the diagnostics and marks them. */
function showDiagnostics(editor, list, status, report, what) {
  const text = editor.textarea.value;
  const scan = scanJson(text);
  const all = [...report.errors, ...report.warnings];
  const marks = [];
  list.innerHTML = "";
  for (const d of all) {
    const at = locatePointer(text, d.path, scan);
    marks.push({ start: at.start, end: at.end, severity: d.severity });
    const li = document.createElement("li");
    li.className = d.severity;
    li.dataset.code = d.code;
    li.dataset.path = d.path;
    li.dataset.line = at.line;
    li.dataset.column = at.column;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "locate";
    button.textContent = `${at.line}:${at.column}`;
    button.setAttribute("aria-label", `Go to line ${at.line}, column ${at.column}`);
    button.addEventListener("click", () => editor.select(at.start, at.end));
    li.append(button);
    li.insertAdjacentHTML(
      "beforeend",
      ` <span class="severity">${d.severity}</span> <code class="code">${esc(d.code)}</code> <code class="path">${esc(d.path || "(document)")}</code><span class="message">${esc(d.message)}</span>` +
        (!scan.ok && d.code === "input.notJson" ? `<span class="message">At line ${at.line}, column ${at.column}: ${esc(scan.error.message)}.</span>` : ""),
    );
    list.append(li);
  }
  editor.setMarks(marks);
  const e = report.errors.length;
  const w = report.warnings.length;
  status.className = `validation ${e ? "invalid" : "valid"}`;
  status.textContent = `${what} ${e ? "has problems" : "is valid"}: ${e} error${e === 1 ? "" : "s"}, ${w} warning${w === 1 ? "" : "s"}.`;
}

// ---------------------------------------------------------------------------------------------
// Recipe.

let recipeEditor;
function validateRecipeText() {
  const text = recipeEditor.textarea.value;
  const started = performance.now();
  const report = validateRecipe(text, { strict: $("strict").checked });
  const ms = performance.now() - started;
  $("recipe-status").dataset.ms = ms.toFixed(3);
  showDiagnostics(recipeEditor, $("recipe-diagnostics"), $("recipe-status"), report, "The recipe");
  state.recipeValid = report.valid;
  try {
    state.recipe = JSON.parse(text);
  } catch {
    state.recipe = null;
  }
  updateDistributors();
}

function updateDistributors() {
  const select = $("distributor");
  const keys = state.recipe && typeof state.recipe.distributors === "object" && state.recipe.distributors ? Object.keys(state.recipe.distributors) : [];
  const current = select.value;
  if (keys.join("\n") !== [...select.options].map((o) => o.value).join("\n")) {
    select.innerHTML = keys.map((k) => `<option value="${esc(k)}">${esc(k)}</option>`).join("");
    if (keys.includes(current)) select.value = current;
  }
  showNextRuns();
}

function showNextRuns() {
  const key = $("distributor").value;
  const schedule = state.recipe?.distributors?.[key]?.schedule;
  const out = $("next-runs");
  if (!state.recipeValid || !Array.isArray(schedule)) {
    out.textContent = "";
    return;
  }
  try {
    const from = $("sim-start").value || new Date().toISOString().slice(0, 19) + "Z";
    const runs = nextRuns({ schedule, from, timeZone: $("time-zone").value || "UTC", count: 3 });
    out.textContent = `Next runs from ${from}: ${runs.join(", ")}`;
  } catch (e) {
    out.textContent = `Next runs: ${errorText(e)}`;
  }
}

async function loadSampleRecipe(path) {
  const response = await fetch(`../samples/${path}`);
  recipeEditor.setText(await response.text());
  validateRecipeText();
}

// ---------------------------------------------------------------------------------------------
// Configuration: the form and the JSON, kept in step.

let configEditor;
let syncing = false;

function validateConfigText() {
  const text = configEditor.textarea.value;
  const report = validateDistributorConfig(text);
  showDiagnostics(configEditor, $("config-diagnostics"), $("config-status"), report, "The configuration");
  state.configValid = report.valid;
  try {
    state.config = JSON.parse(text);
  } catch {
    state.config = null;
  }
  if (!syncing && state.config) fillForm();
  fillWhatIfTypes();
}

function setConfig(config) {
  state.config = config;
  syncing = true;
  configEditor.setText(JSON.stringify(config, null, 2));
  validateConfigText();
  syncing = false;
}

function typeRow(type, points) {
  const tr = document.createElement("tr");
  const n = $("type-rows").children.length + 1;
  tr.innerHTML =
    `<td><label class="sr-only" for="type-name-${n}">Type ${n}</label><input id="type-name-${n}" class="type-name" size="18" value="${esc(type)}"></td>` +
    `<td><label class="sr-only" for="type-points-${n}">Points for type ${n}</label><input id="type-points-${n}" class="type-points" size="5" inputmode="numeric" value="${esc(points)}"></td>` +
    `<td><button type="button" class="remove-type" aria-label="Remove type ${n}">Remove</button></td>`;
  tr.querySelector(".remove-type").addEventListener("click", () => {
    tr.remove();
    formChanged();
  });
  return tr;
}

function fillForm() {
  const versions = versionsOf(state.config);
  if (state.versionIndex >= versions.length) state.versionIndex = Math.max(0, versions.length - 1);
  const select = $("config-version");
  select.innerHTML = versions.map((v, i) => `<option value="${i}">${i + 1}${v?.effectiveFrom ? ` — from ${esc(String(v.effectiveFrom).slice(0, 10))}` : ""}</option>`).join("");
  select.value = String(state.versionIndex);
  const values = formValues(versions[state.versionIndex]);
  $("effective-from").value = values.effectiveFrom;
  const rows = $("type-rows");
  rows.innerHTML = "";
  for (const t of values.types) rows.append(typeRow(t.type, t.points));
  $("revenue-percentage").value = values.revenuePercentage;
  for (const box of document.querySelectorAll("#compilers input")) box.checked = values.compilers.includes(box.value);
  for (const box of document.querySelectorAll("#with-types input")) box.checked = values.withTypes.includes(box.value);
  $("with-skus").value = values.withSkus;
  $("in-categories").value = values.inCategories;
  $("collaborator-owned").checked = values.collaboratorOwned;
}

function readForm() {
  return {
    effectiveFrom: $("effective-from").value,
    types: [...$("type-rows").children].map((tr) => ({ type: tr.querySelector(".type-name").value, points: tr.querySelector(".type-points").value })),
    revenuePercentage: $("revenue-percentage").value,
    compilers: [...document.querySelectorAll("#compilers input:checked")].map((b) => b.value),
    withTypes: [...document.querySelectorAll("#with-types input:checked")].map((b) => b.value),
    withSkus: $("with-skus").value,
    inCategories: $("in-categories").value,
    collaboratorOwned: $("collaborator-owned").checked,
  };
}

function formChanged() {
  const base = state.config ?? {};
  const version = versionsOf(base)[state.versionIndex] ?? {};
  setConfig(replaceVersion(base, state.versionIndex, applyForm(version, readForm())));
}

function buildForm() {
  $("compilers").innerHTML = COMPILERS.map((c) => `<label><input type="checkbox" value="${c}"> ${c}</label>`).join("");
  $("with-types").innerHTML = `<span class="group-label">Line types</span>` + LINE_TYPES.map((t) => `<label><input type="checkbox" value="${t}"> ${t}</label>`).join("");
  const form = $("config-form");
  form.addEventListener("input", (e) => {
    if (["time-zone", "tie-break", "carry-over", "config-version"].includes(e.target.id)) return;
    formChanged();
  });
  form.addEventListener("submit", (e) => e.preventDefault());
  $("config-version").addEventListener("change", () => {
    state.versionIndex = Number($("config-version").value);
    fillForm();
  });
  $("add-type").addEventListener("click", () => {
    const row = typeRow("", "1");
    $("type-rows").append(row);
    row.querySelector("input").focus();
  });
  $("add-version").addEventListener("click", () => {
    const versions = versionsOf(state.config);
    const last = versions[versions.length - 1] ?? { engagementTypes: {}, revenuePercentage: 5, transactionCompilers: ["lineItems"] };
    const copy = { ...structuredClone(last), effectiveFrom: $("sim-start").value || last.effectiveFrom || "2026-01-01T00:00:00Z" };
    state.versionIndex = versions.length;
    setConfig([...versions, copy]);
    fillForm();
    $("effective-from").focus();
  });
  $("time-zone").addEventListener("change", showNextRuns);
}

// ---------------------------------------------------------------------------------------------
// Data.

function dataLoaded(summary, ms) {
  state.data = summary;
  state.names = new Map(summary.collaborators.filter((c) => c.name).map((c) => [c.id, c.name]));
  const f = summary.files;
  $("data-status").textContent =
    `Loaded ${summary.events.toLocaleString("en-US")} events (${f.events}), ${summary.transactions.toLocaleString("en-US")} transactions (${f.transactions})` +
    `${f.refunds ? `, ${summary.refunds.toLocaleString("en-US")} refunds` : ""}${f.collaborators ? `, ${summary.collaborators.length} collaborators` : ""} in ${ms} ms (in the worker).`;
  $("data-status").dataset.events = summary.events;
  if (summary.lastEventAt) $("preview-at").value = summary.lastEventAt;
}

async function loadSampleYear() {
  $("data-status").textContent = "Loading the sample year…";
  try {
    const { result, ms } = await call("loadSample");
    const s = result.scenario;
    await loadSampleRecipe("recipes/milestone-rewards.json");
    $("sample-recipe").value = "recipes/milestone-rewards.json";
    $("distributor").value = s.distributorKey;
    state.versionIndex = 0;
    setConfig(JSON.parse(result.configText));
    fillForm();
    $("time-zone").value = s.timeZone;
    $("tie-break").value = s.policies?.tieBreak ?? "earliestToReach";
    $("carry-over").checked = Boolean(s.policies?.carryOverUnawarded);
    $("sim-start").value = s.start;
    $("sim-end").value = s.end;
    $("sim-pauses").value = (s.pauses ?? []).map((p) => `${p.from} ${p.until}`).join("\n");
    dataLoaded(result, ms);
    showNextRuns();
    await runPreview();
  } catch (e) {
    $("data-status").textContent = `Could not load the sample year: ${errorText(e)}`;
  }
}

async function loadFiles() {
  const files = {};
  for (const kind of ["events", "transactions", "refunds", "collaborators"]) files[kind] = $(`file-${kind}`).files[0] ?? null;
  $("data-status").textContent = "Reading the files…";
  try {
    const { result, ms } = await call("loadFiles", { files });
    dataLoaded(result, ms);
  } catch (e) {
    $("data-status").textContent = `Could not read the data: ${errorText(e)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs for the engine.

function policies() {
  return { tieBreak: $("tie-break").value, carryOverUnawarded: $("carry-over").checked };
}

function commonInput() {
  if (!state.recipe || !state.recipeValid) throw new Error("Fix the recipe first: it has errors.");
  if (!state.config || !state.configValid) throw new Error("Fix the configuration first: it has errors.");
  if (!state.data) throw new Error("Load events and transactions first (your files or the sample year).");
  return {
    recipe: state.recipe,
    distributorKey: $("distributor").value,
    config: state.config,
    timeZone: $("time-zone").value.trim() || "UTC",
    policies: policies(),
    options: { strict: $("strict").checked },
  };
}

function pauses() {
  return $("sim-pauses").value
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [from, until] = l.split(/[\s,]+/);
      return { from, until };
    });
}

function simulateInput() {
  return { ...commonInput(), start: $("sim-start").value.trim(), end: $("sim-end").value.trim(), pauses: pauses() };
}

// ---------------------------------------------------------------------------------------------
// Preview.

// The preview lists this many collaborators (`top`): the engine then skips the rest of the
// leaderboard, its explanation and shares, which are most of a large program's output.
const LEADERBOARD_ROWS = 15;

function leaderboardTable(cycle, limit = LEADERBOARD_ROWS) {
  const board = cycle.leaderboard ?? [];
  if (!board.length) return `<p>Nobody scored in this cycle.</p>`;
  const count = cycle.explanation?.scoring?.listed?.of ?? board.length;
  const types = [];
  for (const e of board) for (const t of Object.keys(e.breakdown ?? {})) if (!types.includes(t)) types.push(t);
  const rows = board
    .slice(0, limit)
    .map(
      (e) =>
        `<tr><td class="num">${e.rank}</td><th scope="row">${esc(label(e.collaboratorId, state.names))}</th><td class="num">${e.score.toLocaleString("en-US")}</td>` +
        types.map((t) => `<td class="num">${(e.breakdown?.[t] ?? 0).toLocaleString("en-US")}</td>`).join("") +
        `<td class="num">${e.behindLeader.toLocaleString("en-US")}</td></tr>`,
    )
    .join("");
  return (
    `<table class="leaderboard"><caption>Leaderboard (${count} collaborator${count === 1 ? "" : "s"}${count > limit ? `, top ${limit} shown` : ""})</caption>` +
    `<thead><tr><th scope="col" class="num">Rank</th><th scope="col">Collaborator</th><th scope="col" class="num">Score</th>${types.map((t) => `<th scope="col" class="num">${esc(t)}</th>`).join("")}<th scope="col" class="num">Behind leader</th></tr></thead>` +
    `<tbody>${rows}</tbody></table>`
  );
}

function allocationsList(cycle) {
  const a = cycle.allocations ?? [];
  if (!a.length) return "nothing allocated";
  return a.map((x) => `${esc(label(x.collaboratorId, state.names))}: <strong>${esc(money(x.amount, cycle.units))}</strong>`).join(", ");
}

async function runPreview() {
  const out = $("preview-out");
  try {
    const input = { ...commonInput(), at: $("preview-at").value.trim(), start: $("sim-start").value.trim() || undefined, top: LEADERBOARD_ROWS };
    out.innerHTML = `<p class="status-line">Computing the preview…</p>`;
    const { result: p, ms } = await call("preview", input);
    out.innerHTML =
      `<dl class="figures" id="preview-figures">` +
      `<div><dt>Window</dt><dd>${esc(p.window.start)} → ${esc(p.window.end)}</dd></div>` +
      `<div><dt>Qualifying revenue</dt><dd data-field="revenue">${esc(money(p.revenue, p.units))}</dd></div>` +
      `<div><dt>Projected pool</dt><dd data-field="pool">${esc(money(p.pool, p.units))}</dd></div>` +
      `<div><dt>Projected payouts</dt><dd data-field="allocations">${allocationsList(p)}</dd></div>` +
      `</dl>` +
      (p.tie ? `<p>Tie between ${p.tie.collaboratorIds.map(esc).join(", ")} at ${p.tie.score} points, decided by ${esc(p.tie.policy)}.</p>` : "") +
      leaderboardTable(p) +
      (p.notes?.length ? `<ul class="notes">${p.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : "") +
      `<p class="hint">Projected at ${esc(p.at)} in ${ms} ms.</p>`;
  } catch (e) {
    out.innerHTML = `<p class="error-text" role="alert">${esc(errorText(e))}</p>`;
  }
}

// ---------------------------------------------------------------------------------------------
// Simulation.

function explanationHtml(c) {
  const x = c.explanation;
  const r = x.revenue;
  const pool = x.pool;
  const al = x.allocation;
  const sc = x.scoring;
  const u = c.units;
  const shares = al.shares
    .map((s) => `<tr><th scope="row">${esc(label(s.collaboratorId, state.names))}</th><td class="num">${s.weight}</td><td class="num">${esc(groupDigits(s.base))}</td><td class="num">${s.remainder}</td><td>${s.leftoverUnit ? "yes" : ""}</td><td class="num">${esc(groupDigits(s.amount))}</td></tr>`)
    .join("");
  const ignored = sc.ignored.filter((i) => i.count).map((i) => `${i.count} ${esc(i.reason)}`).join(", ");
  const excluded = r.excluded.filter((i) => i.count).map((i) => `${i.count} ${esc(i.reason)}`).join(", ");
  return (
    `<div class="explanation">` +
    `<h4>Window</h4><p>${esc(c.window.start)} → ${esc(c.window.end)} (half-open; ${esc(x.window.source)}${x.window.anchor ? `, anchored at ${esc(x.window.anchor)}` : ""}), triggered at ${esc(c.triggerAt)}.</p>` +
    `<h4>Scores</h4><p>${sc.totalPoints.toLocaleString("en-US")} points from ${sc.collaborators.length} collaborators${ignored ? `; ignored events: ${ignored}` : ""}.</p>` +
    `<h4>Revenue</h4><p>Sales ${esc(money(r.sales, u))} − refunds ${esc(money(r.refunds, u))} = net ${esc(money(r.net, u))}; qualifying revenue ${esc(money(r.revenue, u))}` +
    `${!isZero(r.shortfall) ? ` (shortfall ${esc(money(r.shortfall, u))})` : ""}; ${r.transactions.length}${r.transactionsTruncated ? "+" : ""} transactions, ${r.refundsApplied.length} refunds applied${excluded ? `; excluded: ${excluded}` : ""}.</p>` +
    `<h4>Pool</h4><p>${pool.percentages.map((p) => `${esc(p.percentage)}% of ${esc(money(p.revenue, u))}`).join(" + ")} = ${esc(pool.exact)}, rounded ${esc(pool.rounding)} to ${pool.decimals} decimals: <strong>${esc(money(pool.pool, u))}</strong>` +
    `${!isZero(c.carriedIn) ? `; plus ${esc(money(c.carriedIn, u))} carried in` : ""}.</p>` +
    `<h4>Allocation</h4><p>${esc(al.resolver)} by ${esc(al.method)}, tie policy ${esc(al.tieBreak)}${c.tie ? ` (tie between ${c.tie.collaboratorIds.map(esc).join(", ")} decided by ${esc(c.tie.decidedBy)})` : ""}; unawarded ${esc(money(al.unawarded, u))}` +
    `${al.carriedOut && !isZero(al.carriedOut) ? `; carried out ${esc(money(al.carriedOut, u))}` : ""}${al.deferred && !isZero(al.deferred) ? `; deferred while paused ${esc(money(al.deferred, u))}` : ""}.</p>` +
    (shares ? `<table class="shares"><thead><tr><th scope="col">Collaborator</th><th scope="col" class="num">Weight</th><th scope="col" class="num">Base</th><th scope="col" class="num">Remainder</th><th scope="col">Leftover unit</th><th scope="col" class="num">Amount</th></tr></thead><tbody>${shares}</tbody></table>` : "") +
    (c.notes?.length ? `<ul class="notes">${c.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : "") +
    `</div>`
  );
}

function cyclesTable(sim) {
  const rows = sim.cycles
    .map((c) => {
      const id = `cycle-${c.index}-explanation`;
      return (
        `<tr data-cycle="${c.index}"><td><button type="button" class="expand" aria-expanded="false" aria-controls="${id}" data-index="${c.index}"><span aria-hidden="true">▸</span> ${c.index}</button></td>` +
        `<td>${esc(c.window.start.slice(0, 10))} → ${esc(c.window.end.slice(0, 10))}</td><td><span class="status-${esc(c.status)}">${esc(c.status)}</span></td>` +
        `<td class="num">${esc(groupDigits(c.revenue))}</td><td class="num">${esc(groupDigits(c.pool))}</td><td class="num">${esc(groupDigits(c.allocated))}</td>` +
        `<td class="winners">${(c.allocations ?? []).map((a) => `${esc(label(a.collaboratorId, state.names))} <span class="amount">${esc(groupDigits(a.amount))}</span>`).join(", ") || "—"}</td></tr>` +
        `<tr class="explanation-row" id="${id}" hidden><td colspan="7"></td></tr>`
      );
    })
    .join("");
  return (
    `<table class="cycles" id="cycles-table"><caption>Cycles (${esc(sim.units)}) — expand a cycle for the explanation of each figure</caption>` +
    `<thead><tr><th scope="col">Cycle</th><th scope="col">Window</th><th scope="col">Status</th><th scope="col" class="num">Revenue</th><th scope="col" class="num">Pool</th><th scope="col" class="num">Allocated</th><th scope="col">Winners and payouts</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

function renderSimulation(sim, ms) {
  const t = sim.totals;
  const u = sim.units;
  const top = t.collaborators[0];
  $("sim-out").innerHTML =
    `<dl class="figures" id="sim-totals">` +
    `<div><dt>Cycles</dt><dd data-field="cycles">${t.cycles} (${t.distributedCycles} distributed, ${t.pausedCycles} paused, ${t.noEngagementCycles + t.noRevenueCycles} empty)</dd></div>` +
    `<div><dt>Revenue</dt><dd data-field="revenue">${esc(money(t.revenue, u))}</dd></div>` +
    `<div><dt>Pools</dt><dd data-field="pool">${esc(money(t.pool, u))}</dd></div>` +
    `<div><dt>Allocated</dt><dd data-field="allocated">${esc(money(t.allocated, u))}</dd></div>` +
    `<div><dt>Unawarded</dt><dd data-field="unawarded">${esc(money(t.unawarded, u))}</dd></div>` +
    (top ? `<div><dt>Top earner</dt><dd data-field="top">${esc(label(top.collaboratorId, state.names))}: ${esc(money(top.amount, u))} (${top.cyclesWon} cycle${top.cyclesWon === 1 ? "" : "s"} won)</dd></div>` : "") +
    `</dl>` +
    `<div class="charts"><figure><figcaption>Pool per cycle (${esc(u)})</figcaption>${poolChart(sim.cycles, u)}</figure>` +
    `<figure><figcaption>Payouts per collaborator (${esc(u)}, cycles won)</figcaption>${payoutChart(t.collaborators, u, state.names)}</figure></div>` +
    cyclesTable(sim) +
    (sim.notes?.length ? `<ul class="notes">${sim.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : "");
  $("sim-status").textContent = `Simulated ${t.cycles} cycles from ${sim.start} to ${sim.end} in ${ms} ms (in the worker).`;
  for (const button of document.querySelectorAll("#cycles-table .expand")) {
    button.addEventListener("click", () => {
      const row = $(button.getAttribute("aria-controls"));
      const open = button.getAttribute("aria-expanded") === "true";
      if (!open && !row.firstElementChild.innerHTML) row.firstElementChild.innerHTML = explanationHtml(sim.cycles[Number(button.dataset.index)]);
      row.hidden = open;
      button.setAttribute("aria-expanded", String(!open));
      button.firstElementChild.textContent = open ? "▸" : "▾";
    });
  }
}

async function runSimulation() {
  try {
    const input = simulateInput();
    $("sim-status").textContent = "Simulating…";
    $("run-simulation").disabled = true;
    const { result, ms } = await call("simulate", input);
    state.simulation = result;
    state.lastSimInput = input;
    renderSimulation(result, ms);
    $("export-csv").disabled = false;
  } catch (e) {
    $("sim-status").textContent = `Simulation failed: ${errorText(e)}`;
  } finally {
    $("run-simulation").disabled = false;
  }
}

function exportCsv() {
  if (!state.simulation) return;
  const blob = new Blob([simulationCsv(state.simulation, state.names)], { type: "text/csv" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `allocations-${state.simulation.distributorKey}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

// ---------------------------------------------------------------------------------------------
// What-if.

function fillWhatIfTypes() {
  const select = $("whatif-type");
  const types = [];
  for (const v of versionsOf(state.config)) for (const [t] of typeRows(v)) if (!types.includes(t)) types.push(t);
  const current = select.value;
  select.innerHTML = `<option value="">none</option>` + types.map((t) => `<option value="${esc(t)}">${esc(t)}</option>`).join("");
  if (types.includes(current)) select.value = current;
}

async function runWhatIf() {
  const out = $("whatif-out");
  try {
    const base = simulateInput();
    const variant = {};
    const type = $("whatif-type").value;
    const points = $("whatif-points").value.trim();
    if (type && points !== "") variant.engagementTypes = { [type]: points };
    const pct = $("whatif-percentage").value.trim();
    if (pct !== "") variant.revenuePercentage = pct;
    if ($("whatif-tie").value) variant.policies = { ...base.policies, tieBreak: $("whatif-tie").value };
    if (!Object.keys(variant).length) throw new Error("Choose a change: a type and its points, a percentage or a tie policy.");
    $("whatif-status").textContent = "Comparing…";
    const { result: cmp, ms } = await call("compare", { base, variant });
    const u = cmp.base.units;
    const changes = [
      variant.engagementTypes ? `${type} = ${points} point${points === "1" ? "" : "s"}` : "",
      variant.revenuePercentage ? `${pct}% of revenue` : "",
      variant.policies ? `tie policy ${variant.policies.tieBreak}` : "",
    ].filter(Boolean).join(", ");
    const who = (ids) => ids.map((id) => esc(label(id, state.names))).join(", ") || "—";
    const cycleRows = cmp.cycles
      .map(
        (c) =>
          `<tr class="${c.changed || c.allocationsChanged ? "changed" : ""}"><td>${c.index}</td><td>${esc(c.window.start.slice(0, 10))}</td>` +
          `<td>${who(c.baseWinners)}</td><td class="num">${esc(groupDigits(c.basePool))}</td>` +
          `<td>${who(c.variantWinners)}</td><td class="num">${esc(groupDigits(c.variantPool))}</td>` +
          `<td>${c.changed ? "winners changed" : c.allocationsChanged ? "amounts changed" : ""}</td></tr>`,
      )
      .join("");
    const people = cmp.collaborators
      .slice(0, 20)
      .map((p) => `<tr><th scope="row">${esc(label(p.collaboratorId, state.names))}</th><td class="num">${esc(groupDigits(p.baseTotal))}</td><td class="num">${esc(groupDigits(p.variantTotal))}</td><td class="num ${isZero(p.delta) ? "" : p.delta.startsWith("-") ? "neg" : "pos"}">${isZero(p.delta) || p.delta.startsWith("-") ? "" : "+"}${esc(groupDigits(p.delta))}</td></tr>`)
      .join("");
    out.innerHTML =
      `<div class="side-by-side">` +
      `<dl class="figures"><div><dt>Base pools</dt><dd data-field="base-pool">${esc(money(cmp.base.totals.pool, u))}</dd></div><div><dt>Variant pools</dt><dd data-field="variant-pool">${esc(money(cmp.variant.totals.pool, u))}</dd></div>` +
      `<div><dt>Cycles with other winners</dt><dd data-field="changed">${cmp.cycles.filter((c) => c.changed).length} of ${cmp.cycles.length}</dd></div></dl>` +
      `<table class="compare" id="compare-cycles"><caption>Winners per cycle: base vs. ${esc(changes)}</caption><thead><tr><th scope="col">Cycle</th><th scope="col">Start</th><th scope="col">Base winners</th><th scope="col" class="num">Base pool</th><th scope="col">Variant winners</th><th scope="col" class="num">Variant pool</th><th scope="col">Change</th></tr></thead><tbody>${cycleRows}</tbody></table>` +
      `<table class="compare" id="compare-people"><caption>Payouts per collaborator (${esc(u)})${cmp.collaborators.length > 20 ? ", first 20" : ""}</caption><thead><tr><th scope="col">Collaborator</th><th scope="col" class="num">Base</th><th scope="col" class="num">Variant</th><th scope="col" class="num">Change</th></tr></thead><tbody>${people}</tbody></table>` +
      `</div>`;
    $("whatif-status").textContent = `Compared in ${ms} ms (in the worker): ${changes}.`;
  } catch (e) {
    $("whatif-status").textContent = `Comparison failed: ${errorText(e)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Start.

async function main() {
  recipeEditor = jsonEditor($("recipe-text"));
  configEditor = jsonEditor($("config-text"));
  buildForm();
  await init();
  recipeEditor.textarea.addEventListener("input", validateRecipeText);
  configEditor.textarea.addEventListener("input", validateConfigText);
  $("strict").addEventListener("change", validateRecipeText);
  $("distributor").addEventListener("change", showNextRuns);
  $("load-recipe").addEventListener("click", () => loadSampleRecipe($("sample-recipe").value));
  $("load-sample").addEventListener("click", loadSampleYear);
  $("load-files").addEventListener("click", loadFiles);
  $("run-preview").addEventListener("click", runPreview);
  $("run-simulation").addEventListener("click", runSimulation);
  $("export-csv").addEventListener("click", exportCsv);
  $("run-whatif").addEventListener("click", runWhatIf);
  await loadSampleRecipe("recipes/milestone-rewards.json");
  const configResponse = await fetch("../samples/configs/milestone-rewards.json");
  setConfig(JSON.parse(await configResponse.text()));
  fillForm();
  const { result: workerVersion } = await call("version");
  $("engine-status").textContent = `Engine ${version()} ready (worker ${workerVersion}).`;
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  $("engine-status").textContent = `The engine could not start: ${e.message}`;
});
