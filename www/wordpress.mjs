// The plugin's wp-admin screens (wordpress/siren-engine): the winners preview, payout simulation
// and what-if, the recipe and configuration editor, and the data importer. PHP renders
// `#siren-engine-root` with `data-screen` and `data-settings` (docs/wordpress.md); everything else
// happens here, with the shared views of the standalone editor. Records come from the plugin's REST
// routes as columns, loaded into an Engine in the worker; figures are written in the user's locale
// from the engine's exact strings, dates in the site's formats and time zone.

import init, { validateRecipe, validateDistributorConfig } from "../pkg/web/siren_engine.js";
import { __, _n, sprintf } from "./i18n.mjs";
import { money, number, phpDate, wallToIso, isoToWall } from "./format.mjs";
import { esc, errorText, leaderboardTable, allocationsList, explanationHtml, simulationHtml, wireCycles, comparisonHtml } from "./views.mjs";
import { engineWorker } from "./worker-client.mjs";
import { rest, restUrl } from "./rest.mjs";
import { jsonEditor } from "./json-editor.mjs";
import { showDiagnostics } from "./diagnostics.mjs";
import { versionsOf, typeRows, withPoints } from "./config-model.mjs";
import { configForm } from "./config-form.mjs";
import { simulationCsv, download } from "./export.mjs";

const root = document.getElementById("siren-engine-root");
const settings = JSON.parse(root.dataset.settings);
const locale = settings.locale || "en-US";
const siteZone = settings.timeZone || "UTC";

const TYPE_LABELS = {
  referredSiteVisit: __("Referred visits", "siren-engine"),
  boundCouponUsed: __("Coupon uses", "siren-engine"),
  boundPostUsed: __("Post visits", "siren-engine"),
  courseCompleted: __("Course completions", "siren-engine"),
  lessonCompleted: __("Lesson completions", "siren-engine"),
  manual: __("Manual credits", "siren-engine"),
};
const STATUS_LABELS = { distributed: __("Paid out", "siren-engine"), paused: __("Paused", "siren-engine"), noEngagement: __("No activity", "siren-engine"), noRevenue: __("No revenue", "siren-engine") };
const TIE_POLICIES = [
  ["earliestToReach", __("First to reach the top score wins", "siren-engine")],
  ["split", __("Split between the tied", "siren-engine")],
  ["lowestCollaboratorId", __("Lowest collaborator ID wins", "siren-engine")],
];

const typeLabel = (type) => TYPE_LABELS[type] ?? String(type).replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase());
const ms = (iso) => Date.parse(iso);

/** The engine's names in the explanations, in an administrator's words. */
const TERMS = {
  topScoreWins: __("the top score wins the pool", "siren-engine"),
  performanceSharedPool: __("the pool shared by score", "siren-engine"),
  sharedPool: __("the pool shared equally", "siren-engine"),
  largestRemainder: __("whole cents, leftover cents to the largest remainders", "siren-engine"),
  halfToEven: __("half to even", "siren-engine"),
  schedule: __("from the schedule", "siren-engine"),
  lastDistributionAt: __("from the last distribution", "siren-engine"),
  window: __("as given", "siren-engine"),
  earliestToReach: __("first to reach the top score", "siren-engine"),
  split: __("split between the tied", "siren-engine"),
  lowestCollaboratorId: __("lowest collaborator ID", "siren-engine"),
  outsideWindow: __("outside the cycle", "siren-engine"),
  notYetOccurred: __("after the chosen time", "siren-engine"),
  unknownCollaborator: __("by unknown collaborators", "siren-engine"),
  inactiveCollaborator: __("by inactive collaborators", "siren-engine"),
  noConfigInEffect: __("before the configuration took effect", "siren-engine"),
  ineligibleCollaborator: __("by collaborators not eligible", "siren-engine"),
  unknownType: __("of engagements that earn no points", "siren-engine"),
  notComplete: __("not completed", "siren-engine"),
  currencyMismatch: __("in another currency", "siren-engine"),
  // The configuration form's compilers and line types.
  lineItems: __("Line items", "siren-engine"),
  discounts: __("Discounts", "siren-engine"),
  fees: __("Fees", "siren-engine"),
  shipping: __("Shipping", "siren-engine"),
  taxes: __("Taxes", "siren-engine"),
  product: __("Products", "siren-engine"),
  subscription: __("Subscriptions", "siren-engine"),
  fee: __("Fees", "siren-engine"),
  discount: __("Discounts", "siren-engine"),
  tax: __("Taxes", "siren-engine"),
};

/** How the shared views write figures on these screens. */
const ctx = {
  names: new Map(),
  money: (amount, units) => money(amount, units, locale),
  amount: (amount) => money(amount, null, locale),
  num: (n) => number(n, locale),
  date: (iso) => phpDate(`${settings.dateFormat} ${settings.timeFormat}`, ms(iso), siteZone, locale),
  day: (iso) => phpDate(settings.dateFormat, ms(iso), siteZone, locale),
  typeLabel,
  statusLabel: (status) => STATUS_LABELS[status] ?? status,
  terms: TERMS,
};

const $ = (id) => document.getElementById(id);
const worker = engineWorker();

// ---------------------------------------------------------------------------------------------
// Shared pieces of the screens.

function notice(target, kind, text, extra = "") {
  target.innerHTML = text ? `<div class="notice notice-${kind} inline"${extra}><p>${esc(text)}</p></div>` : "";
}

const zoneLabel = (zone) => (/^[+-]/.test(zone) ? `UTC${zone}` : zone.replaceAll("_", " "));
function zoneSelect(id, selected) {
  const zones = settings.zones?.length ? settings.zones : [siteZone];
  const list = zones.includes(selected) ? zones : [selected, ...zones];
  return `<select id="${id}">${list.map((z) => `<option value="${esc(z)}"${z === selected ? " selected" : ""}>${esc(zoneLabel(z))}</option>`).join("")}</select>`;
}

function tieSelect(id, selected, withUnchanged = false) {
  return (
    `<select id="${id}">${withUnchanged ? `<option value="">${esc(__("Unchanged", "siren-engine"))}</option>` : ""}` +
    TIE_POLICIES.map(([v, l]) => `<option value="${v}"${v === selected ? " selected" : ""}>${esc(l)}</option>`).join("") +
    `</select>`
  );
}

/**
 * A progress line with a Cancel button; `run(task)` shows it while `task(report)` runs.
 * Cancel stops the engine's worker, or does `cancel()`.
 */
function progressArea(target, cancel = () => worker.cancel()) {
  target.className = "siren-progress";
  target.hidden = true;
  target.setAttribute("role", "status");
  target.innerHTML = `<span class="spinner is-active"></span><progress max="1"></progress> <span class="siren-progress-text"></span> <button type="button" class="button siren-cancel">${esc(__("Cancel", "siren-engine"))}</button>`;
  const bar = target.querySelector("progress");
  const text = target.querySelector(".siren-progress-text");
  target.querySelector(".siren-cancel").addEventListener("click", () => cancel());
  const report = (message, fraction) => {
    text.textContent = message;
    if (fraction === undefined) bar.removeAttribute("value");
    else bar.value = fraction;
  };
  return {
    async run(task) {
      target.hidden = false;
      try {
        return await task(report);
      } finally {
        target.hidden = true;
      }
    },
  };
}

/** A progress report from the worker's loading as words. */
const loadProgress = (report) => (p) => report(p.phase === "download" ? __("Receiving the records of this period…", "siren-engine") : __("Loading the records into the engine…", "siren-engine"));

let distributors = [];
async function loadDistributors(select) {
  distributors = await rest(settings, "distributors");
  const remembered = localStorage.getItem("siren-engine-distributor");
  select.innerHTML = distributors.map((d) => `<option value="${esc(d.id)}">${esc(d.name)}${d.source === "siren" ? ` (${esc(__("Siren", "siren-engine"))})` : ""}</option>`).join("");
  if (distributors.some((d) => String(d.id) === remembered)) select.value = remembered;
  select.addEventListener("change", () => localStorage.setItem("siren-engine-distributor", select.value));
  return distributors.length;
}

const selected = (select) => distributors.find((d) => String(d.id) === select.value);

function engineInput(d, overrides = {}) {
  return {
    recipe: d.recipe,
    distributorKey: d.distributorKey,
    config: d.config,
    timeZone: overrides.timeZone ?? d.timeZone ?? siteZone,
    policies: { ...(d.policies ?? {}), ...(overrides.policies ?? {}) },
  };
}

const editorLink = () => `${settings.adminUrl}admin.php?page=siren-engine-editor`;
const noDistributors = (target) => {
  target.innerHTML = `<div class="notice notice-warning inline"><p>${esc(__("No distributor to preview yet.", "siren-engine"))} <a href="${esc(editorLink())}">${esc(__("Add a recipe and its configuration", "siren-engine"))}</a></p></div>`;
};

let loadedRange = null; // "from-to" of the records in the worker's Engine
async function ensureRecords(from, to, report) {
  const key = `${from}-${to}`;
  if (loadedRange === key) return null;
  loadedRange = null;
  const { result } = await worker.call("loadRecords", { base: settings.restUrl, nonce: settings.nonce, from, to }, loadProgress(report));
  ctx.names = new Map(result.collaborators.filter((c) => c.name).map((c) => [c.id, c.name]));
  loadedRange = key;
  return result;
}

/** "in 28 days": from `fromMs` to `iso`, in the locale. */
function untilText(iso, fromMs) {
  const delta = ms(iso) - fromMs;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const hours = delta / 3_600_000;
  return Math.abs(hours) < 48 ? rtf.format(Math.round(hours), "hour") : rtf.format(Math.round(hours / 24), "day");
}

// ---------------------------------------------------------------------------------------------
// Winners preview.

const PREVIEW_ROWS = 20;

async function previewScreen() {
  const now = isoToWall(new Date().toISOString(), siteZone);
  root.innerHTML =
    `<p class="description">${esc(__("Who would win and how much if the current cycle ended now, computed in your browser from the site's records.", "siren-engine"))}</p>` +
    `<div class="siren-toolbar">` +
    `<label for="siren-distributor">${esc(__("Distributor", "siren-engine"))}</label> <select id="siren-distributor"></select> ` +
    `<label for="siren-at-date">${esc(__("As of", "siren-engine"))}</label> <input type="date" id="siren-at-date" value="${now.date}"> ` +
    `<label class="screen-reader-text" for="siren-at-time">${esc(__("Time", "siren-engine"))}</label><input type="time" id="siren-at-time" value="${now.time}"> ` +
    `<button type="button" class="button button-primary" id="siren-run">${esc(__("Preview", "siren-engine"))}</button></div>` +
    `<div id="siren-progress"></div><div id="siren-notice" aria-live="polite"></div><div id="siren-preview"></div>`;
  const progress = progressArea($("siren-progress"));
  const select = $("siren-distributor");
  if (!(await loadDistributors(select))) return noDistributors($("siren-preview"));
  let current = null; // {input, preview}
  const atIso = () => wallToIso($("siren-at-date").value, $("siren-at-time").value || "00:00", siteZone);

  const show = (p, input, took) => {
    const u = p.units;
    const leader = p.allocations?.length ? p.allocations.map((a) => esc(ctx.names.has(a.collaboratorId) ? `${ctx.names.get(a.collaboratorId)} (${a.collaboratorId})` : a.collaboratorId)).join(", ") : esc(__("Nobody yet", "siren-engine"));
    // The points of the latest version, which the inputs change in every version.
    const latest = new Map();
    for (const v of versionsOf(input.config)) for (const [t, points] of typeRows(v)) latest.set(t, points);
    const types = [...latest];
    $("siren-preview").innerHTML =
      `<div class="siren-cards">` +
      `<div class="card"><h2>${esc(_n("Projected winner", "Projected winners", p.allocations?.length || 1, "siren-engine"))}</h2><p class="siren-big" data-field="winner">${leader}</p></div>` +
      `<div class="card"><h2>${esc(__("Pool", "siren-engine"))}</h2><p class="siren-big" data-field="pool" data-amount="${esc(p.pool)}">${esc(ctx.money(p.pool, u))}</p>` +
      `<p>${esc(__("Qualifying revenue", "siren-engine"))}: <span data-field="revenue" data-amount="${esc(p.revenue)}">${esc(ctx.money(p.revenue, u))}</span></p></div>` +
      // From now when the preview is as of now; from the chosen time when it looks at another one.
      (Math.abs(ms(p.at) - Date.now()) < 3_600_000
        ? `<div class="card"><h2>${esc(__("Next distribution", "siren-engine"))}</h2><p class="siren-big" data-field="next">${esc(untilText(p.triggerAt, Date.now()))}</p><p>${esc(ctx.date(p.triggerAt))}</p></div>`
        : `<div class="card"><h2>${esc(__("Distribution of this cycle", "siren-engine"))}</h2><p class="siren-big" data-field="next">${esc(ctx.date(p.triggerAt))}</p><p>${esc(sprintf(__("%s, counted from the chosen time", "siren-engine"), untilText(p.triggerAt, ms(p.at))))}</p></div>`) +
      `</div>` +
      `<p>${esc(sprintf(__("Cycle from %1$s to %2$s (%3$s).", "siren-engine"), ctx.date(p.window.start), ctx.date(p.window.end), input.timeZone))}</p>` +
      `<h2>${esc(__("Projected payouts", "siren-engine"))}</h2><p id="siren-allocations">${allocationsList(ctx, p)}</p>` +
      (p.tie ? `<p>${esc(sprintf(__("Tie between %1$s at %2$s points, decided by: %3$s.", "siren-engine"), p.tie.collaboratorIds.join(", "), ctx.num(p.tie.score), TIE_POLICIES.find(([v]) => v === p.tie.policy)?.[1] ?? p.tie.policy))}</p>` : "") +
      `<details class="siren-weights"><summary>${esc(__("Try other points per engagement", "siren-engine"))}</summary><p class="description">${esc(__("The preview is computed again as you change a value; nothing is saved.", "siren-engine"))}</p>` +
      `<table class="form-table" role="presentation"><tbody>${types.map(([t, points], i) => `<tr><th scope="row"><label for="siren-weight-${i}">${esc(typeLabel(t))}</label></th><td><input type="number" min="0" step="1" class="small-text siren-weight" id="siren-weight-${i}" data-type="${esc(t)}" value="${esc(points)}"></td></tr>`).join("")}</tbody></table>` +
      `<p class="description" data-field="repreview"></p></details>` +
      leaderboardTable(ctx, p, PREVIEW_ROWS) +
      `<details class="siren-why"><summary>${esc(__("How these figures were computed", "siren-engine"))}</summary>${explanationHtml(ctx, p)}</details>` +
      (p.notes?.length ? `<ul class="notes">${p.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : "") +
      `<p class="description">${esc(sprintf(__("Computed in %s ms.", "siren-engine"), took))}</p>`;
    for (const input of document.querySelectorAll(".siren-weight")) input.addEventListener("input", reweigh);
  };

  let reweighing = false;
  let again = false;
  async function reweigh() {
    if (reweighing) return void (again = true);
    reweighing = true;
    try {
      do {
        again = false;
        const points = {};
        for (const input of document.querySelectorAll(".siren-weight")) if (input.value !== "") points[input.dataset.type] = Number(input.value);
        const input = { ...current.input, config: withPoints(current.input.config, points) };
        const started = performance.now();
        const { result } = await worker.call("preview", input);
        const took = Math.round(performance.now() - started);
        const open = document.querySelector(".siren-weights").open;
        const values = [...document.querySelectorAll(".siren-weight")].map((i) => i.value);
        const focused = document.activeElement?.id;
        show(result, current.input, took);
        document.querySelector(".siren-weights").open = open;
        document.querySelectorAll(".siren-weight").forEach((i, k) => (i.value = values[k]));
        if (focused) $(focused)?.focus();
        const line = document.querySelector('[data-field="repreview"]');
        line.textContent = sprintf(__("Previewed again in %s ms.", "siren-engine"), took);
        line.dataset.ms = took;
      } while (again);
    } catch (e) {
      notice($("siren-notice"), "error", errorText(e));
    } finally {
      reweighing = false;
    }
  }

  async function run() {
    const d = selected(select);
    notice($("siren-notice"), "", "");
    const started = performance.now();
    try {
      const at = atIso();
      const input = { ...engineInput(d), at, top: PREVIEW_ROWS };
      await progress.run(async (report) => {
        report(__("Working out the current cycle…", "siren-engine"));
        const { result: w } = await worker.call("windows", { kind: "preview", input });
        await ensureRecords(ms(w.start), ms(w.end), report);
        report(__("Computing the preview…", "siren-engine"));
        const { result } = await worker.call("preview", input);
        current = { input, preview: result };
        show(result, input, Math.round(performance.now() - started));
      });
      root.dataset.previewMs = Math.round(performance.now());
    } catch (e) {
      if (e.code === "cancelled") notice($("siren-notice"), "warning", __("Cancelled.", "siren-engine"));
      else notice($("siren-notice"), "error", errorText(e));
      if (e.code === "cancelled") loadedRange = null;
    }
  }
  $("siren-run").addEventListener("click", run);
  select.addEventListener("change", run);
  await run();
}

// ---------------------------------------------------------------------------------------------
// Payout simulation and what-if.

async function simulationScreen() {
  const year = isoToWall(new Date().toISOString(), siteZone).date.slice(0, 4);
  root.innerHTML =
    `<p class="description">${esc(__("Every cycle over a period, as the distributor would have paid it, with pauses; then the same period with other points or percentages side by side.", "siren-engine"))}</p>` +
    `<table class="form-table" role="presentation"><tbody>` +
    `<tr><th scope="row"><label for="siren-distributor">${esc(__("Distributor", "siren-engine"))}</label></th><td><select id="siren-distributor"></select></td></tr>` +
    `<tr><th scope="row">${esc(__("Period", "siren-engine"))}</th><td><label for="siren-start">${esc(__("From", "siren-engine"))}</label> <input type="date" id="siren-start" value="${year}-01-01"> <label for="siren-end">${esc(__("until", "siren-engine"))}</label> <input type="date" id="siren-end" value="${Number(year) + 1}-01-01"></td></tr>` +
    `<tr><th scope="row"><label for="siren-zone">${esc(__("Time zone", "siren-engine"))}</label></th><td><span id="siren-zone-box"></span></td></tr>` +
    `<tr><th scope="row"><label for="siren-tie">${esc(__("When collaborators tie", "siren-engine"))}</label></th><td>${tieSelect("siren-tie", "earliestToReach")} <label><input type="checkbox" id="siren-carry"> ${esc(__("Carry unawarded amounts to the next cycle", "siren-engine"))}</label></td></tr>` +
    `<tr><th scope="row">${esc(__("Pauses", "siren-engine"))}</th><td><div id="siren-pauses"></div><button type="button" class="button" id="siren-add-pause">${esc(__("Add a pause", "siren-engine"))}</button></td></tr>` +
    `</tbody></table>` +
    `<p><button type="button" class="button button-primary" id="siren-run">${esc(__("Run the simulation", "siren-engine"))}</button> <button type="button" class="button" id="siren-export" disabled>${esc(__("Download payouts (CSV)", "siren-engine"))}</button></p>` +
    `<div id="siren-progress"></div><div id="siren-notice" aria-live="polite"></div><div id="siren-sim"></div>` +
    `<h2>${esc(__("What if…", "siren-engine"))}</h2>` +
    `<p><label for="siren-whatif-type">${esc(__("Engagement", "siren-engine"))}</label> <select id="siren-whatif-type"></select> <label for="siren-whatif-points">${esc(__("Points", "siren-engine"))}</label> <input type="number" min="0" step="1" class="small-text" id="siren-whatif-points"> ` +
    `<label for="siren-whatif-percentage">${esc(__("Share of revenue (%)", "siren-engine"))}</label> <input type="number" min="0" max="100" step="any" class="small-text" id="siren-whatif-percentage"> ` +
    `<label for="siren-whatif-tie">${esc(__("Ties", "siren-engine"))}</label> ${tieSelect("siren-whatif-tie", "", true)} <button type="button" class="button" id="siren-compare">${esc(__("Compare", "siren-engine"))}</button></p>` +
    `<div id="siren-whatif-notice" aria-live="polite"></div><div id="siren-whatif"></div>`;
  const progress = progressArea($("siren-progress"));
  const select = $("siren-distributor");
  if (!(await loadDistributors(select))) return noDistributors($("siren-sim"));
  const pauseRow = (from = "", until = "") => {
    const row = document.createElement("p");
    const n = $("siren-pauses").children.length + 1;
    row.className = "siren-pause";
    row.innerHTML =
      `<label for="siren-pause-from-${n}">${esc(__("Paused from", "siren-engine"))}</label> <input type="date" class="siren-pause-from" id="siren-pause-from-${n}" value="${esc(from)}"> ` +
      `<label for="siren-pause-until-${n}">${esc(__("until", "siren-engine"))}</label> <input type="date" class="siren-pause-until" id="siren-pause-until-${n}" value="${esc(until)}"> ` +
      `<button type="button" class="button-link siren-remove">${esc(__("Remove", "siren-engine"))}</button>`;
    row.querySelector(".siren-remove").addEventListener("click", () => row.remove());
    $("siren-pauses").append(row);
  };
  $("siren-add-pause").addEventListener("click", () => pauseRow());
  const fillFromDistributor = () => {
    const d = selected(select);
    $("siren-zone-box").innerHTML = zoneSelect("siren-zone", d.timeZone ?? siteZone);
    $("siren-tie").value = d.policies?.tieBreak ?? "earliestToReach";
    $("siren-carry").checked = Boolean(d.policies?.carryOverUnawarded);
    const types = [];
    for (const v of versionsOf(d.config)) for (const [t] of typeRows(v)) if (!types.includes(t)) types.push(t);
    $("siren-whatif-type").innerHTML = `<option value="">${esc(__("None", "siren-engine"))}</option>` + types.map((t) => `<option value="${esc(t)}">${esc(typeLabel(t))}</option>`).join("");
  };
  fillFromDistributor();
  select.addEventListener("change", fillFromDistributor);

  let simulation = null;
  const input = () => {
    const zone = $("siren-zone").value;
    const day = (v) => wallToIso(v, "00:00", zone);
    const d = selected(select);
    return {
      ...engineInput(d, { timeZone: zone, policies: { tieBreak: $("siren-tie").value, carryOverUnawarded: $("siren-carry").checked } }),
      start: day($("siren-start").value),
      end: day($("siren-end").value),
      pauses: [...document.querySelectorAll(".siren-pause")].filter((r) => r.querySelector(".siren-pause-from").value && r.querySelector(".siren-pause-until").value).map((r) => ({ from: day(r.querySelector(".siren-pause-from").value), until: day(r.querySelector(".siren-pause-until").value) })),
    };
  };
  const load = async (base, report) => {
    report(__("Working out the cycles…", "siren-engine"));
    const { result: w } = await worker.call("windows", { kind: "simulate", input: base });
    await ensureRecords(ms(w.start), ms(w.end), report);
  };
  $("siren-run").addEventListener("click", async () => {
    notice($("siren-notice"), "", "");
    try {
      const base = input();
      await progress.run(async (report) => {
        await load(base, report);
        report(__("Simulating…", "siren-engine"));
        const { result, ms: took } = await worker.call("simulate", base);
        simulation = result;
        $("siren-sim").innerHTML = simulationHtml(ctx, result) + `<p class="description">${esc(sprintf(__("Simulated in %s ms.", "siren-engine"), took))}</p>`;
        wireCycles(ctx, $("siren-sim"), result);
        $("siren-export").disabled = false;
      });
    } catch (e) {
      if (e.code === "cancelled") loadedRange = null;
      notice($("siren-notice"), e.code === "cancelled" ? "warning" : "error", e.code === "cancelled" ? __("Cancelled.", "siren-engine") : errorText(e));
    }
  });
  $("siren-export").addEventListener("click", () => {
    if (!simulation) return;
    download(`payouts-${simulation.distributorKey}.csv`, simulationCsv(simulation, ctx.names), "text/csv");
  });
  $("siren-compare").addEventListener("click", async () => {
    notice($("siren-whatif-notice"), "", "");
    try {
      const base = input();
      const variant = {};
      const type = $("siren-whatif-type").value;
      const points = $("siren-whatif-points").value.trim();
      if (type && points !== "") variant.engagementTypes = { [type]: Number(points) };
      const pct = $("siren-whatif-percentage").value.trim();
      if (pct !== "") variant.revenuePercentage = pct;
      if ($("siren-whatif-tie").value) variant.policies = { ...base.policies, tieBreak: $("siren-whatif-tie").value };
      if (!Object.keys(variant).length) throw new Error(__("Choose a change: an engagement and its points, a share of revenue or a tie rule.", "siren-engine"));
      const changes = [
        variant.engagementTypes ? sprintf(__("%1$s = %2$s points", "siren-engine"), typeLabel(type), points) : "",
        variant.revenuePercentage ? sprintf(__("%s%% of revenue", "siren-engine"), pct) : "",
        variant.policies ? TIE_POLICIES.find(([v]) => v === variant.policies.tieBreak)[1] : "",
      ].filter(Boolean).join(", ");
      await progress.run(async (report) => {
        await load(base, report);
        report(__("Comparing…", "siren-engine"));
        const { result } = await worker.call("compare", { base, variant });
        $("siren-whatif").innerHTML = comparisonHtml(ctx, result, changes);
      });
    } catch (e) {
      if (e.code === "cancelled") loadedRange = null;
      notice($("siren-whatif-notice"), "error", errorText(e));
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Recipes and configurations.

const NEW_RECIPE = {
  version: 1,
  name: "Milestone Rewards Program",
  description: "Monthly reward: the collaborator with the highest engagement score wins the revenue pool.",
  distributors: {
    milestoneRewards: { name: "Milestone Rewards Program", description: "The whole monthly pool to the top score.", distributionResolver: "topScoreWins", distributionPoolResolver: "revenueSinceLastDistribution", status: "active", units: "USD", schedule: ["first day of next month"] },
  },
};
const NEW_CONFIG = { engagementTypes: { referredSiteVisit: 1, boundCouponUsed: 5, courseCompleted: 10 }, revenuePercentage: 5, transactionCompilers: ["lineItems"] };

async function editorScreen() {
  root.innerHTML =
    `<p class="description">${esc(__("A recipe names the distributor, how it pays and when; its configuration sets the points and the share of revenue. Both are checked as you type; save them to preview and simulate.", "siren-engine"))}</p>` +
    `<table class="form-table" role="presentation"><tbody>` +
    `<tr><th scope="row"><label for="siren-saved">${esc(__("Saved distributors", "siren-engine"))}</label></th><td><select id="siren-saved"></select></td></tr>` +
    `<tr><th scope="row"><label for="siren-name">${esc(__("Name", "siren-engine"))}</label></th><td><input id="siren-name" class="regular-text" maxlength="200"></td></tr>` +
    `<tr><th scope="row"><label for="siren-key">${esc(__("Distributor in the recipe", "siren-engine"))}</label></th><td><select id="siren-key"></select></td></tr>` +
    `<tr><th scope="row"><label for="siren-zone">${esc(__("Time zone", "siren-engine"))}</label></th><td>${zoneSelect("siren-zone", siteZone)}</td></tr>` +
    `<tr><th scope="row"><label for="siren-tie">${esc(__("When collaborators tie", "siren-engine"))}</label></th><td>${tieSelect("siren-tie", "earliestToReach")}</td></tr>` +
    `</tbody></table>` +
    `<div class="siren-editors"><div><h2><label for="siren-recipe">${esc(__("Recipe", "siren-engine"))}</label></h2><textarea id="siren-recipe" rows="18"></textarea>` +
    `<p id="siren-recipe-status" class="validation" role="status" aria-live="polite"></p><ul id="siren-recipe-diagnostics" class="diagnostics"></ul></div>` +
    `<div><h2>${esc(__("Configuration", "siren-engine"))}</h2><div class="config-fields" id="siren-config-fields"></div>` +
    `<h3><label for="siren-config">${esc(__("As JSON", "siren-engine"))}</label></h3><textarea id="siren-config" rows="14"></textarea>` +
    `<p id="siren-config-status" class="validation" role="status" aria-live="polite"></p><ul id="siren-config-diagnostics" class="diagnostics"></ul></div></div>` +
    `<p><button type="button" class="button button-primary" id="siren-save">${esc(__("Save", "siren-engine"))}</button> ` +
    `<button type="button" class="button" id="siren-download-recipe">${esc(__("Download the recipe", "siren-engine"))}</button> ` +
    `<button type="button" class="button" id="siren-download-config">${esc(__("Download the configuration", "siren-engine"))}</button> ` +
    `<button type="button" class="button button-link-delete" id="siren-delete">${esc(__("Delete", "siren-engine"))}</button></p>` +
    `<div id="siren-notice" aria-live="polite"></div>`;
  await init();
  const recipeEditor = jsonEditor($("siren-recipe"));
  const configEditor = jsonEditor($("siren-config"));
  const valid = { recipe: false, config: false };
  let syncing = false; // the form wrote the JSON: do not show it back into the form
  const fields = configForm($("siren-config-fields"), {
    terms: TERMS,
    onChange: (config) => {
      syncing = true;
      configEditor.setText(JSON.stringify(config, null, 2));
      checkConfig();
      syncing = false;
    },
  });
  const checkRecipe = () => {
    const recipe = validateRecipe(recipeEditor.textarea.value);
    showDiagnostics(recipeEditor, $("siren-recipe-diagnostics"), $("siren-recipe-status"), recipe, __("The recipe", "siren-engine"));
    valid.recipe = recipe.valid;
    let keys = [];
    try {
      keys = Object.keys(JSON.parse(recipeEditor.textarea.value).distributors ?? {});
    } catch {
      // the recipe's own diagnostics say why
    }
    const key = $("siren-key").value;
    if (keys.join("\n") !== [...$("siren-key").options].map((o) => o.value).join("\n")) {
      $("siren-key").innerHTML = keys.map((k) => `<option value="${esc(k)}">${esc(k)}</option>`).join("");
      if (keys.includes(key)) $("siren-key").value = key;
    }
  };
  const checkConfig = () => {
    const config = validateDistributorConfig(configEditor.textarea.value);
    showDiagnostics(configEditor, $("siren-config-diagnostics"), $("siren-config-status"), config, __("The configuration", "siren-engine"));
    valid.config = config.valid;
    if (!syncing) {
      try {
        fields.show(JSON.parse(configEditor.textarea.value));
      } catch {
        // not JSON yet: the form keeps what it showed, the diagnostics say why
      }
    }
  };
  recipeEditor.textarea.addEventListener("input", checkRecipe);
  configEditor.textarea.addEventListener("input", checkConfig);

  let saved = [];
  const fill = (d) => {
    $("siren-name").value = d?.name ?? __("New distributor", "siren-engine");
    recipeEditor.setText(JSON.stringify(d?.recipe ?? NEW_RECIPE, null, 2));
    configEditor.setText(JSON.stringify(d?.config ?? NEW_CONFIG, null, 2));
    checkRecipe();
    checkConfig();
    fields.show(d?.config ?? NEW_CONFIG, 0); // a newly chosen distributor from its first version
    if (d?.distributorKey) $("siren-key").value = d.distributorKey;
    $("siren-zone").value = d?.timeZone ?? siteZone;
    $("siren-tie").value = d?.policies?.tieBreak ?? "earliestToReach";
    $("siren-delete").disabled = !d || d.source !== "saved";
  };
  const refresh = async (id) => {
    saved = await rest(settings, "distributors");
    $("siren-saved").innerHTML = `<option value="">${esc(__("New distributor…", "siren-engine"))}</option>` + saved.map((d) => `<option value="${esc(d.id)}">${esc(d.name)}${d.source === "siren" ? ` (${esc(__("Siren, read only", "siren-engine"))})` : ""}</option>`).join("");
    $("siren-saved").value = id ?? "";
    fill(saved.find((d) => String(d.id) === String(id)));
  };
  $("siren-saved").addEventListener("change", () => fill(saved.find((d) => String(d.id) === $("siren-saved").value)));
  $("siren-save").addEventListener("click", async () => {
    if (!valid.recipe || !valid.config) return notice($("siren-notice"), "error", __("Fix the problems listed above before saving.", "siren-engine"));
    const current = saved.find((d) => String(d.id) === $("siren-saved").value);
    const body = {
      name: $("siren-name").value.trim() || __("New distributor", "siren-engine"),
      recipe: JSON.parse(recipeEditor.textarea.value),
      distributorKey: $("siren-key").value,
      config: JSON.parse(configEditor.textarea.value),
      timeZone: $("siren-zone").value,
      policies: { tieBreak: $("siren-tie").value },
    };
    try {
      const result = current?.source === "saved" ? await rest(settings, `distributors/${current.id}`, { method: "PUT", body }) : await rest(settings, "distributors", { method: "POST", body });
      await refresh(result.id);
      notice($("siren-notice"), "success", sprintf(__("Saved “%s”.", "siren-engine"), result.name));
    } catch (e) {
      notice($("siren-notice"), "error", errorText(e));
    }
  });
  $("siren-delete").addEventListener("click", async () => {
    const current = saved.find((d) => String(d.id) === $("siren-saved").value);
    if (!current || !confirm(sprintf(__("Delete “%s”?", "siren-engine"), current.name))) return;
    try {
      await rest(settings, `distributors/${current.id}`, { method: "DELETE" });
      await refresh();
      notice($("siren-notice"), "success", sprintf(__("Deleted “%s”.", "siren-engine"), current.name));
    } catch (e) {
      notice($("siren-notice"), "error", errorText(e));
    }
  });
  const slug = () => ($("siren-name").value.trim() || "distributor").toLowerCase().replace(/[^a-z0-9]+/g, "-");
  $("siren-download-recipe").addEventListener("click", () => download(`${slug()}-recipe.json`, recipeEditor.textarea.value, "application/json"));
  $("siren-download-config").addEventListener("click", () => download(`${slug()}-configuration.json`, configEditor.textarea.value, "application/json"));
  await refresh();
}

// ---------------------------------------------------------------------------------------------
// Data.

const KINDS = [
  ["events", __("Engagement events", "siren-engine")],
  ["transactions", __("Transactions", "siren-engine")],
  ["refunds", __("Refunds", "siren-engine")],
  ["collaborators", __("Collaborators", "siren-engine")],
];

async function dataScreen() {
  root.innerHTML =
    `<div id="siren-data-status" class="card"></div>` +
    `<h2>${esc(__("Import records", "siren-engine"))}</h2>` +
    `<p class="description">${esc(__("CSV or JSON files as the command line reads them. Each file you choose replaces that kind of record; a file with a mistake is refused with its line and column, and nothing changes.", "siren-engine"))}</p>` +
    `<form id="siren-import-form"><table class="form-table" role="presentation"><tbody>` +
    KINDS.map(([k, l]) => `<tr><th scope="row"><label for="siren-file-${k}">${esc(l)}</label></th><td><input type="file" id="siren-file-${k}" name="${k}" accept=".csv,.json,text/csv,application/json"></td></tr>`).join("") +
    `</tbody></table><p><button type="submit" class="button button-primary" id="siren-import">${esc(__("Import", "siren-engine"))}</button></p></form>` +
    `<div id="siren-upload"></div>` +
    `<div id="siren-import-result" aria-live="polite"></div>`;
  const showStatus = async () => {
    const s = await rest(settings, "status");
    const c = s.counts;
    const source = { tables: __("this site's imported records", "siren-engine"), siren: __("Siren", "siren-engine"), filter: __("a site filter", "siren-engine") }[s.source] ?? s.source;
    $("siren-data-status").innerHTML =
      `<h2>${esc(__("Records", "siren-engine"))}</h2><p data-field="source">${esc(sprintf(__("Read from %s.", "siren-engine"), source))}</p>` +
      `<p data-field="counts" data-events="${c.events}" data-transactions="${c.transactions}">${esc(sprintf(__("%1$s events, %2$s transactions (%3$s lines), %4$s refunds, %5$s collaborators.", "siren-engine"), ctx.num(c.events), ctx.num(c.transactions), ctx.num(c.lines), ctx.num(c.refunds), ctx.num(c.collaborators)))}</p>` +
      (s.firstMs !== null && s.firstMs !== undefined ? `<p>${esc(sprintf(__("From %1$s to %2$s.", "siren-engine"), ctx.date(new Date(s.firstMs).toISOString()), ctx.date(new Date(s.lastMs).toISOString())))}</p>` : "");
  };
  await showStatus();
  let xhr = null;
  const upload = progressArea($("siren-upload"), () => xhr?.abort());
  /** Sends the files; resolves with how the request ended: `{ended: "load"|"error"|"abort", status, text}`. */
  const send = (form) =>
    upload.run(
      (report) =>
        new Promise((resolve) => {
          xhr = new XMLHttpRequest();
          xhr.open("POST", restUrl(settings.restUrl, "import"));
          xhr.setRequestHeader("X-WP-Nonce", settings.nonce);
          xhr.upload.onprogress = (e) => {
            const uploading = e.lengthComputable && e.loaded < e.total;
            report(uploading ? sprintf(__("Uploading: %s%%", "siren-engine"), Math.round((100 * e.loaded) / e.total)) : __("Checking and storing the records…", "siren-engine"), uploading ? e.loaded / e.total : undefined);
          };
          const end = (ended) => () => resolve({ ended, status: xhr.status, text: xhr.responseText });
          xhr.onload = end("load");
          xhr.onerror = end("error");
          xhr.onabort = end("abort");
          xhr.send(form);
        }),
    );
  $("siren-import-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData();
    for (const [k] of KINDS) {
      const file = $(`siren-file-${k}`).files[0];
      if (file) form.append(k, file, file.name);
    }
    if (![...form.keys()].length) return notice($("siren-import-result"), "error", __("Choose at least one file.", "siren-engine"));
    notice($("siren-import-result"), "", "");
    $("siren-import").disabled = true;
    const { ended, status, text } = await send(form);
    xhr = null;
    $("siren-import").disabled = false;
    loadedRange = null;
    await showStatus().catch(() => {}); // the counts first, so the result below is the last thing to appear
    if (ended === "error") return notice($("siren-import-result"), "error", __("The upload failed; nothing was changed.", "siren-engine"));
    if (ended === "abort") return notice($("siren-import-result"), "warning", __("Import cancelled; nothing was changed.", "siren-engine"));
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      // reported below with the status
    }
    if (status >= 200 && status < 300 && body?.imported) {
      const i = body.imported;
      notice($("siren-import-result"), "success", sprintf(__("Imported %1$s events, %2$s transactions (%3$s lines), %4$s refunds and %5$s collaborators.", "siren-engine"), ctx.num(i.events ?? 0), ctx.num(i.transactions ?? 0), ctx.num(i.lines ?? 0), ctx.num(i.refunds ?? 0), ctx.num(i.collaborators ?? 0)), ` data-code="imported"`);
    } else {
      const d = body?.data ?? {};
      const where = d.file ? `${d.file}${d.line ? `:${d.line}` : ""}${d.column ? `:${d.column}` : ""}: ` : "";
      const message = `${where}${body?.message ?? sprintf(__("The import failed (HTTP %s).", "siren-engine"), status)} ${__("Nothing was changed.", "siren-engine")}`;
      notice($("siren-import-result"), "error", message, ` data-code="${esc(body?.code ?? "http")}" data-line="${esc(d.line ?? "")}" data-column="${esc(d.column ?? "")}"`);
    }
  });
}

// ---------------------------------------------------------------------------------------------

const SCREENS = { preview: previewScreen, simulation: simulationScreen, editor: editorScreen, data: dataScreen };

(SCREENS[root.dataset.screen] ?? previewScreen)()
  .then(() => (root.dataset.ready = "true"))
  .catch((e) => {
    notice(root, "error", sprintf(__("This screen could not start: %s", "siren-engine"), errorText(e)));
    root.dataset.ready = "error";
  });
