// The engine's outputs as HTML, shared by the standalone editor (app.js) and the WordPress screens
// (wordpress.mjs). Pure string functions, no DOM. How figures, dates and engagement types are
// written is the caller's: `ctx` = {names (id → name), money(amount, units), amount(amount),
// num(n), date(iso), day(iso), typeLabel(type), statusLabel(status), terms?: the engine's names
// (resolvers, policies, reasons) in the reader's words; without, the engine's own}.

import { __, _n, sprintf } from "./i18n.mjs";
import { poolChart, payoutChart } from "./charts.mjs";
import { label } from "./export.mjs";

export const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

/** Whether an engine amount ("0.00", "-0") is zero: by its text, never by a float. */
export const isZero = (amount) => /^-?[0.]*$/.test(String(amount ?? ""));

/** An engine error as one line: where, message, code and JSON Pointer. */
export const errorText = (e) =>
  `${e.where ? `${e.where}: ` : ""}${e.message}${e.code ? ` (${e.code}${e.path !== undefined && e.path !== "" ? ` at ${e.path}` : ""})` : ""}`;

const who = (ctx, id) => esc(label(id, ctx.names));
const term = (ctx, name) => esc(ctx.terms?.[name] ?? name);

/** The leaderboard, `limit` rows: rank, collaborator, score, points per type, behind the leader. */
export function leaderboardTable(ctx, cycle, limit) {
  const board = cycle.leaderboard ?? [];
  if (!board.length) return `<p>${esc(__("Nobody scored in this cycle.", "siren-engine"))}</p>`;
  const count = cycle.explanation?.scoring?.listed?.of ?? board.length;
  const types = [];
  for (const e of board) for (const t of Object.keys(e.breakdown ?? {})) if (!types.includes(t)) types.push(t);
  const rows = board
    .slice(0, limit)
    .map(
      (e) =>
        `<tr data-collaborator="${esc(e.collaboratorId)}"><td class="num">${e.rank}</td><th scope="row">${who(ctx, e.collaboratorId)}</th><td class="num">${ctx.num(e.score)}</td>` +
        types.map((t) => `<td class="num">${ctx.num(e.breakdown?.[t] ?? 0)}</td>`).join("") +
        `<td class="num">${ctx.num(e.behindLeader)}</td></tr>`,
    )
    .join("");
  const caption =
    count > limit
      ? sprintf(_n("Leaderboard (%1$s collaborator, top %2$s shown)", "Leaderboard (%1$s collaborators, top %2$s shown)", count, "siren-engine"), count, limit)
      : sprintf(_n("Leaderboard (%s collaborator)", "Leaderboard (%s collaborators)", count, "siren-engine"), count);
  return (
    `<table class="leaderboard widefat striped"><caption>${esc(caption)}</caption>` +
    `<thead><tr><th scope="col" class="num">${esc(__("Rank", "siren-engine"))}</th><th scope="col">${esc(__("Collaborator", "siren-engine"))}</th><th scope="col" class="num">${esc(__("Score", "siren-engine"))}</th>` +
    `${types.map((t) => `<th scope="col" class="num">${esc(ctx.typeLabel(t))}</th>`).join("")}<th scope="col" class="num">${esc(__("Behind leader", "siren-engine"))}</th></tr></thead>` +
    `<tbody>${rows}</tbody></table>`
  );
}

/** "ana (Ana Lopez): 12,321.57 USD, …", each with `data-collaborator` and the exact `data-amount`. */
export function allocationsList(ctx, cycle) {
  const a = cycle.allocations ?? [];
  if (!a.length) return esc(__("nothing allocated", "siren-engine"));
  return a
    .map((x) => `<span class="allocation" data-collaborator="${esc(x.collaboratorId)}" data-amount="${esc(x.amount)}">${who(ctx, x.collaboratorId)}: <strong>${esc(ctx.money(x.amount, cycle.units))}</strong></span>`)
    .join(", ");
}

/** Why a cycle's figures are what they are: window, scores, revenue, pool and allocation. */
export function explanationHtml(ctx, c) {
  const x = c.explanation;
  const r = x.revenue;
  const pool = x.pool;
  const al = x.allocation;
  const sc = x.scoring;
  const u = c.units;
  const m = (amount) => esc(ctx.money(amount, u));
  const shares = al.shares
    .map((s) => `<tr><th scope="row">${who(ctx, s.collaboratorId)}</th><td class="num">${s.weight}</td><td class="num">${esc(ctx.amount(s.base))}</td><td class="num">${s.remainder}</td><td>${s.leftoverUnit ? esc(__("yes", "siren-engine")) : ""}</td><td class="num">${esc(ctx.amount(s.amount))}</td></tr>`)
    .join("");
  const ignored = sc.ignored.filter((i) => i.count).map((i) => `${i.count} ${term(ctx, i.reason)}`).join(", ");
  const excluded = r.excluded.filter((i) => i.count).map((i) => `${i.count} ${term(ctx, i.reason)}`).join(", ");
  // Each sentence is one translatable format; its arguments are escaped already.
  const say = (format, ...args) => sprintf(esc(format), ...args);
  const windowText =
    say(__("%1$s → %2$s (half-open; %3$s", "siren-engine"), esc(ctx.date(c.window.start)), esc(ctx.date(c.window.end)), term(ctx, x.window.source)) +
    (x.window.anchor ? say(__(", anchored at %s", "siren-engine"), esc(ctx.date(x.window.anchor))) : "") +
    say(__("), triggered at %s.", "siren-engine"), esc(ctx.date(c.triggerAt)));
  const scoresText =
    say(__("%1$s points from %2$s collaborators", "siren-engine"), ctx.num(sc.totalPoints), sc.collaborators.length) +
    (ignored ? say(__("; ignored events: %s", "siren-engine"), ignored) : "") +
    ".";
  const revenueText =
    say(__("Sales %1$s − refunds %2$s = net %3$s; qualifying revenue %4$s", "siren-engine"), m(r.sales), m(r.refunds), m(r.net), m(r.revenue)) +
    (!isZero(r.shortfall) ? say(__(" (shortfall %s)", "siren-engine"), m(r.shortfall)) : "") +
    say(__("; %1$s transactions, %2$s refunds applied", "siren-engine"), `${r.transactions.length}${r.transactionsTruncated ? "+" : ""}`, r.refundsApplied.length) +
    (excluded ? say(__("; excluded: %s", "siren-engine"), excluded) : "") +
    ".";
  const poolText =
    pool.percentages.map((p) => say(__("%1$s%% of %2$s", "siren-engine"), esc(p.percentage), m(p.revenue))).join(" + ") +
    say(__(" = %1$s, rounded %2$s to %3$s decimals: %4$s", "siren-engine"), esc(pool.exact), term(ctx, pool.rounding), pool.decimals, `<strong>${m(pool.pool)}</strong>`) +
    (!isZero(c.carriedIn) ? say(__("; plus %s carried in", "siren-engine"), m(c.carriedIn)) : "") +
    ".";
  const allocationText =
    say(__("%1$s by %2$s, tie policy %3$s", "siren-engine"), term(ctx, al.resolver), term(ctx, al.method), term(ctx, al.tieBreak)) +
    (c.tie ? say(__(" (tie between %1$s decided by %2$s)", "siren-engine"), c.tie.collaboratorIds.map(esc).join(", "), term(ctx, c.tie.decidedBy)) : "") +
    say(__("; unawarded %s", "siren-engine"), m(al.unawarded)) +
    (al.carriedOut && !isZero(al.carriedOut) ? say(__("; carried out %s", "siren-engine"), m(al.carriedOut)) : "") +
    (al.deferred && !isZero(al.deferred) ? say(__("; deferred while paused %s", "siren-engine"), m(al.deferred)) : "") +
    ".";
  return (
    `<div class="explanation">` +
    `<h4>${esc(__("Window", "siren-engine"))}</h4><p>${windowText}</p>` +
    `<h4>${esc(__("Scores", "siren-engine"))}</h4><p>${scoresText}</p>` +
    `<h4>${esc(__("Revenue", "siren-engine"))}</h4><p>${revenueText}</p>` +
    `<h4>${esc(__("Pool", "siren-engine"))}</h4><p>${poolText}</p>` +
    `<h4>${esc(__("Allocation", "siren-engine"))}</h4><p>${allocationText}</p>` +
    (shares
      ? `<table class="shares widefat"><thead><tr><th scope="col">${esc(__("Collaborator", "siren-engine"))}</th><th scope="col" class="num">${esc(__("Weight", "siren-engine"))}</th><th scope="col" class="num">${esc(__("Base", "siren-engine"))}</th><th scope="col" class="num">${esc(__("Remainder", "siren-engine"))}</th><th scope="col">${esc(__("Leftover unit", "siren-engine"))}</th><th scope="col" class="num">${esc(__("Amount", "siren-engine"))}</th></tr></thead><tbody>${shares}</tbody></table>`
      : "") +
    (c.notes?.length ? `<ul class="notes">${c.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : "") +
    `</div>`
  );
}

/** One row per cycle, each expandable (see `wireCycles`) into its explanation. */
export function cyclesTable(ctx, sim) {
  const rows = sim.cycles
    .map((c) => {
      const id = `cycle-${c.index}-explanation`;
      return (
        `<tr data-cycle="${c.index}"><td><button type="button" class="expand button-link" aria-expanded="false" aria-controls="${id}" data-index="${c.index}"><span aria-hidden="true">▸</span> ${c.index}</button></td>` +
        `<td>${esc(ctx.day(c.window.start))} → ${esc(ctx.day(c.window.end))}</td><td><span class="status-${esc(c.status)}">${esc(ctx.statusLabel(c.status))}</span></td>` +
        `<td class="num">${esc(ctx.amount(c.revenue))}</td><td class="num">${esc(ctx.amount(c.pool))}</td><td class="num">${esc(ctx.amount(c.allocated))}</td>` +
        `<td class="winners">${(c.allocations ?? []).map((a) => `${who(ctx, a.collaboratorId)} <span class="amount">${esc(ctx.amount(a.amount))}</span>`).join(", ") || "—"}</td></tr>` +
        `<tr class="explanation-row" id="${id}" hidden><td colspan="7"></td></tr>`
      );
    })
    .join("");
  return (
    `<table class="cycles widefat" id="cycles-table"><caption>${esc(sprintf(__("Cycles (%s) — expand a cycle for the explanation of each figure", "siren-engine"), sim.units))}</caption>` +
    `<thead><tr><th scope="col">${esc(__("Cycle", "siren-engine"))}</th><th scope="col">${esc(__("Window", "siren-engine"))}</th><th scope="col">${esc(__("Status", "siren-engine"))}</th><th scope="col" class="num">${esc(__("Revenue", "siren-engine"))}</th><th scope="col" class="num">${esc(__("Pool", "siren-engine"))}</th><th scope="col" class="num">${esc(__("Allocated", "siren-engine"))}</th><th scope="col">${esc(__("Winners and payouts", "siren-engine"))}</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

/** Opens and closes the explanation rows of a `cyclesTable` inside `root`. */
export function wireCycles(ctx, root, sim) {
  for (const button of root.querySelectorAll("#cycles-table .expand")) {
    button.addEventListener("click", () => {
      const row = root.querySelector(`#${button.getAttribute("aria-controls")}`);
      const open = button.getAttribute("aria-expanded") === "true";
      if (!open && !row.firstElementChild.innerHTML) row.firstElementChild.innerHTML = explanationHtml(ctx, sim.cycles[Number(button.dataset.index)]);
      row.hidden = open;
      button.setAttribute("aria-expanded", String(!open));
      button.firstElementChild.textContent = open ? "▸" : "▾";
    });
  }
}

/** A simulation: totals, the two charts, the cycles and the engine's notes. */
export function simulationHtml(ctx, sim) {
  const t = sim.totals;
  const u = sim.units;
  const top = t.collaborators[0];
  const m = (amount) => esc(ctx.money(amount, u));
  const empty = t.noEngagementCycles + t.noRevenueCycles;
  return (
    `<dl class="figures" id="sim-totals">` +
    `<div><dt>${esc(__("Cycles", "siren-engine"))}</dt><dd data-field="cycles">${esc(sprintf(__("%1$s (%2$s distributed, %3$s paused, %4$s empty)", "siren-engine"), t.cycles, t.distributedCycles, t.pausedCycles, empty))}</dd></div>` +
    `<div><dt>${esc(__("Revenue", "siren-engine"))}</dt><dd data-field="revenue" data-amount="${esc(t.revenue)}">${m(t.revenue)}</dd></div>` +
    `<div><dt>${esc(__("Pools", "siren-engine"))}</dt><dd data-field="pool" data-amount="${esc(t.pool)}">${m(t.pool)}</dd></div>` +
    `<div><dt>${esc(__("Allocated", "siren-engine"))}</dt><dd data-field="allocated" data-amount="${esc(t.allocated)}">${m(t.allocated)}</dd></div>` +
    `<div><dt>${esc(__("Unawarded", "siren-engine"))}</dt><dd data-field="unawarded" data-amount="${esc(t.unawarded)}">${m(t.unawarded)}</dd></div>` +
    (top
      ? `<div><dt>${esc(__("Top earner", "siren-engine"))}</dt><dd data-field="top">${esc(sprintf(_n("%1$s: %2$s (%3$s cycle won)", "%1$s: %2$s (%3$s cycles won)", top.cyclesWon, "siren-engine"), label(top.collaboratorId, ctx.names), ctx.money(top.amount, u), top.cyclesWon))}</dd></div>`
      : "") +
    `</dl>` +
    `<div class="charts"><figure><figcaption>${esc(sprintf(__("Pool per cycle (%s)", "siren-engine"), u))}</figcaption>${poolChart(sim.cycles, u)}</figure>` +
    `<figure><figcaption>${esc(sprintf(__("Payouts per collaborator (%s, cycles won)", "siren-engine"), u))}</figcaption>${payoutChart(t.collaborators, u, ctx.names)}</figure></div>` +
    cyclesTable(ctx, sim) +
    (sim.notes?.length ? `<ul class="notes">${sim.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : "")
  );
}

/** A comparison: pools side by side, winners per cycle and payouts per collaborator. */
export function comparisonHtml(ctx, cmp, changes) {
  const u = cmp.base.units;
  const names = (ids) => ids.map((id) => who(ctx, id)).join(", ") || "—";
  const cycleRows = cmp.cycles
    .map(
      (c) =>
        `<tr class="${c.changed || c.allocationsChanged ? "changed" : ""}"><td>${c.index}</td><td>${esc(ctx.day(c.window.start))}</td>` +
        `<td>${names(c.baseWinners)}</td><td class="num">${esc(ctx.amount(c.basePool))}</td>` +
        `<td>${names(c.variantWinners)}</td><td class="num">${esc(ctx.amount(c.variantPool))}</td>` +
        `<td>${c.changed ? esc(__("winners changed", "siren-engine")) : c.allocationsChanged ? esc(__("amounts changed", "siren-engine")) : ""}</td></tr>`,
    )
    .join("");
  const people = cmp.collaborators
    .slice(0, 20)
    .map(
      (p) =>
        `<tr><th scope="row">${who(ctx, p.collaboratorId)}</th><td class="num">${esc(ctx.amount(p.baseTotal))}</td><td class="num">${esc(ctx.amount(p.variantTotal))}</td>` +
        `<td class="num ${isZero(p.delta) ? "" : p.delta.startsWith("-") ? "neg" : "pos"}">${isZero(p.delta) || p.delta.startsWith("-") ? "" : "+"}${esc(ctx.amount(p.delta))}</td></tr>`,
    )
    .join("");
  const changedCycles = cmp.cycles.filter((c) => c.changed).length;
  return (
    `<div class="side-by-side">` +
    `<dl class="figures"><div><dt>${esc(__("Base pools", "siren-engine"))}</dt><dd data-field="base-pool">${esc(ctx.money(cmp.base.totals.pool, u))}</dd></div><div><dt>${esc(__("Variant pools", "siren-engine"))}</dt><dd data-field="variant-pool">${esc(ctx.money(cmp.variant.totals.pool, u))}</dd></div>` +
    `<div><dt>${esc(__("Cycles with other winners", "siren-engine"))}</dt><dd data-field="changed">${esc(sprintf(__("%1$s of %2$s", "siren-engine"), changedCycles, cmp.cycles.length))}</dd></div></dl>` +
    `<table class="compare widefat" id="compare-cycles"><caption>${esc(sprintf(__("Winners per cycle: base vs. %s", "siren-engine"), changes))}</caption><thead><tr><th scope="col">${esc(__("Cycle", "siren-engine"))}</th><th scope="col">${esc(__("Start", "siren-engine"))}</th><th scope="col">${esc(__("Base winners", "siren-engine"))}</th><th scope="col" class="num">${esc(__("Base pool", "siren-engine"))}</th><th scope="col">${esc(__("Variant winners", "siren-engine"))}</th><th scope="col" class="num">${esc(__("Variant pool", "siren-engine"))}</th><th scope="col">${esc(__("Change", "siren-engine"))}</th></tr></thead><tbody>${cycleRows}</tbody></table>` +
    `<table class="compare widefat" id="compare-people"><caption>${esc(sprintf(__("Payouts per collaborator (%s)", "siren-engine"), u))}${cmp.collaborators.length > 20 ? esc(__(", first 20", "siren-engine")) : ""}</caption><thead><tr><th scope="col">${esc(__("Collaborator", "siren-engine"))}</th><th scope="col" class="num">${esc(__("Base", "siren-engine"))}</th><th scope="col" class="num">${esc(__("Variant", "siren-engine"))}</th><th scope="col" class="num">${esc(__("Change", "siren-engine"))}</th></tr></thead><tbody>${people}</tbody></table>` +
    `</div>`
  );
}
