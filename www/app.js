// The Siren distribution editor: recipe and configuration editing with validation on every
// keystroke (on the main thread: the engine validates a recipe in well under a millisecond), and
// previews, simulations and comparisons in engine-worker.js (they take a second or two on the
// sample year). Amounts are the engine's decimal strings, shown as given (digit grouping only).

import init, { validateRecipe, validateDistributorConfig, nextRuns, version } from "../pkg/web/siren_engine.js";
import { jsonEditor } from "./json-editor.mjs";
import { showDiagnostics } from "./diagnostics.mjs";
import { engineWorker } from "./worker-client.mjs";
import { versionsOf, typeRows } from "./config-model.mjs";
import { configForm } from "./config-form.mjs";
import { groupDigits, money, simulationCsv, download } from "./export.mjs";
import { esc, errorText, leaderboardTable, allocationsList, simulationHtml, wireCycles, comparisonHtml } from "./views.mjs";

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// The worker.

const { call } = engineWorker();

// ---------------------------------------------------------------------------------------------
// State.

const state = {
  recipe: null, // the parsed recipe when it is valid JSON
  recipeValid: false,
  config: null,
  configValid: false,
  names: new Map(),
  data: null,
  simulation: null,
  lastSimInput: null,
};

// How the shared views (views.mjs) write figures here: as the engine gives them, digits grouped.
const ctx = {
  get names() {
    return state.names;
  },
  money,
  amount: groupDigits,
  num: (n) => n.toLocaleString("en-US"),
  date: (iso) => iso,
  day: (iso) => iso.slice(0, 10),
  typeLabel: (type) => type,
  statusLabel: (status) => status,
};

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
let configFields; // the form (config-form.mjs)
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
  if (!syncing && state.config) configFields.show(state.config);
  fillWhatIfTypes();
}

function setConfig(config) {
  state.config = config;
  syncing = true;
  configEditor.setText(JSON.stringify(config, null, 2));
  validateConfigText();
  syncing = false;
}

function buildForm() {
  configFields = configForm($("config-fields"), { onChange: setConfig, newVersionFrom: () => $("sim-start").value });
  $("config-form").addEventListener("submit", (e) => e.preventDefault());
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
    setConfig(JSON.parse(result.configText));
    configFields.show(state.config, 0);
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
      `<div><dt>Projected payouts</dt><dd data-field="allocations">${allocationsList(ctx, p)}</dd></div>` +
      `</dl>` +
      (p.tie ? `<p>Tie between ${p.tie.collaboratorIds.map(esc).join(", ")} at ${p.tie.score} points, decided by ${esc(p.tie.policy)}.</p>` : "") +
      leaderboardTable(ctx, p, LEADERBOARD_ROWS) +
      (p.notes?.length ? `<ul class="notes">${p.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : "") +
      `<p class="hint">Projected at ${esc(p.at)} in ${ms} ms.</p>`;
  } catch (e) {
    out.innerHTML = `<p class="error-text" role="alert">${esc(errorText(e))}</p>`;
  }
}

// ---------------------------------------------------------------------------------------------
// Simulation.

function renderSimulation(sim, ms) {
  const t = sim.totals;
  $("sim-out").innerHTML = simulationHtml(ctx, sim);
  $("sim-status").textContent = `Simulated ${t.cycles} cycles from ${sim.start} to ${sim.end} in ${ms} ms (in the worker).`;
  wireCycles(ctx, $("sim-out"), sim);
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
  download(`allocations-${state.simulation.distributorKey}.csv`, simulationCsv(state.simulation, state.names), "text/csv");
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
    const changes = [
      variant.engagementTypes ? `${type} = ${points} point${points === "1" ? "" : "s"}` : "",
      variant.revenuePercentage ? `${pct}% of revenue` : "",
      variant.policies ? `tie policy ${variant.policies.tieBreak}` : "",
    ].filter(Boolean).join(", ");
    out.innerHTML = comparisonHtml(ctx, cmp, changes);
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
  configFields.show(state.config, 0);
  const { result: workerVersion } = await call("version");
  $("engine-status").textContent = `Engine ${version()} ready (worker ${workerVersion}).`;
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  $("engine-status").textContent = `The engine could not start: ${e.message}`;
});
