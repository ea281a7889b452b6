// What a plugin developer would write without the engine: the same preview (scores per
// collaborator and type in the window, reachedAt, revenue of product + shipping lines with full
// refunds in the window, pool = revenue × percentage, proportional shares by largest remainder
// in cents), straightforwardly over the event and transaction objects. It skips what the engine
// adds (explanations, config history, rosters, exact decimals, validation).
const cents = (amount) => Math.round(parseFloat(amount) * 100);

export function plainPreview(input, events, transactions) {
  const start = Date.parse(input.lastDistributionAt);
  const s = new Date(start);
  const end = Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + 1, 1, s.getUTCHours(), s.getUTCMinutes(), s.getUTCSeconds());
  const at = Date.parse(input.at);
  const weights = input.config.engagementTypes;
  const scores = new Map();
  for (const e of events) {
    const t = Date.parse(e.occurredAt);
    if (t < start || t >= end || t > at) continue;
    const configured = weights[e.type];
    if (configured === undefined) continue;
    const points = e.type === "manual" && e.points != null ? e.points : configured;
    let row = scores.get(e.collaboratorId);
    if (!row) scores.set(e.collaboratorId, (row = { collaboratorId: e.collaboratorId, score: 0, breakdown: {}, first: t, reachedAt: null }));
    row.score += points;
    row.breakdown[e.type] = (row.breakdown[e.type] || 0) + points;
    if (t < row.first) row.first = t;
    if (points !== 0 && (row.reachedAt === null || t > row.reachedAt)) row.reachedAt = t;
  }
  let revenue = 0;
  for (const tx of transactions) {
    let qualifying = 0;
    for (const line of tx.details) qualifying += cents(line.amount) * (line.quantity ?? 1);
    const sold = Date.parse(tx.occurredAt);
    if (sold >= start && sold < end && sold <= at) revenue += qualifying;
    for (const refund of tx.refunds ?? []) {
      const r = Date.parse(refund.occurredAt);
      if (r >= start && r < end && r <= at) revenue -= qualifying;
    }
  }
  revenue = Math.max(0, revenue);
  const pool = Math.round((revenue * input.config.revenuePercentage) / 100);
  const leaderboard = [...scores.values()].map((r) => ({ ...r, reachedAt: r.reachedAt ?? r.first }));
  leaderboard.sort((a, b) => b.score - a.score || a.reachedAt - b.reachedAt || (a.collaboratorId < b.collaboratorId ? -1 : 1));
  const total = leaderboard.reduce((sum, r) => sum + Math.max(0, r.score), 0);
  const shares = leaderboard.filter((r) => r.score > 0).map((r) => {
    const exact = (pool * r.score) / total;
    return { collaboratorId: r.collaboratorId, cents: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let left = pool - shares.reduce((sum, x) => sum + x.cents, 0);
  for (const share of [...shares].sort((a, b) => b.remainder - a.remainder)) {
    if (left-- <= 0) break;
    share.cents += 1;
  }
  return { pool: (pool / 100).toFixed(2), leaderboard, allocations: shares.map((x) => ({ collaboratorId: x.collaboratorId, amount: (x.cents / 100).toFixed(2) })) };
}

// The sample year's preview and simulation (bench/sample-year.mjs) as a plugin developer would
// write them for its recipe: monthly cycles at local midnight of the first (`first day of next
// month` in the input's time zone), the configuration version in force at each event and sale,
// the roster's active collaborators, the recipe's compilers and line filters, full and partial
// refunds in cents, the pool in cents, `topScoreWins` with `earliestToReach`. It skips the
// explanations, exact decimals, validation and every rule the sample year does not use.
const offsetFormats = new Map();

/** The UTC offset of `timeZone` at instant `ms`, in ms (Intl's `longOffset` name). */
function zoneOffset(timeZone, ms) {
  let format = offsetFormats.get(timeZone);
  if (!format) offsetFormats.set(timeZone, (format = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })));
  const name = format.formatToParts(ms).find((p) => p.type === "timeZoneName").value;
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(name);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
}

/** Local midnight of the first of the month `add` months after the one holding `ms`. */
function monthStart(timeZone, ms, add) {
  const local = new Date(ms + zoneOffset(timeZone, ms));
  const wall = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + add, 1);
  return wall - zoneOffset(timeZone, wall - zoneOffset(timeZone, wall));
}

/** The input's configuration versions, oldest first, with their start as ms. */
const versionsOf = (config) => (Array.isArray(config) ? config : [config])
  .map((v) => ({ ...v, from: v.effectiveFrom ? Date.parse(v.effectiveFrom) : -Infinity }))
  .sort((a, b) => a.from - b.from);
const versionAt = (versions, t) => { let found; for (const v of versions) if (v.from <= t) found = v; return found; };
const COMPILER = { product: "lineItems", subscription: "lineItems", discount: "discounts", fee: "fees", shipping: "shipping", tax: "taxes" };

/** One cycle, `[start, end)` counted up to `at`: the leaderboard and the winner's allocation. */
function plainCycle(input, events, transactions, start, end, at) {
  const versions = versionsOf(input.config);
  const active = new Set(input.collaborators.filter((c) => c.status === "active").map((c) => c.id));
  const scores = new Map();
  for (const e of events) {
    const t = Date.parse(e.occurredAt);
    if (t < start || t >= end || t > at || !active.has(e.collaboratorId)) continue;
    const configured = versionAt(versions, t)?.engagementTypes[e.type];
    if (configured === undefined) continue;
    // plainPreview's loop, repeated on purpose: the baseline's own loop stays as every round
    // measured it (through a shared function it ran 1–4 % slower).
    const points = e.type === "manual" && e.points != null ? e.points : configured;
    let row = scores.get(e.collaboratorId);
    if (!row) scores.set(e.collaboratorId, (row = { collaboratorId: e.collaboratorId, score: 0, breakdown: {}, first: t, last: null }));
    row.score += points;
    row.breakdown[e.type] = (row.breakdown[e.type] || 0) + points;
    if (t < row.first) row.first = t;
    if (points > 0 && (row.last === null || t > row.last)) row.last = t;
  }
  let weighted = 0; // cents × percentage
  const counts = (t) => t >= start && t < end && t <= at;
  for (const tx of transactions) {
    const sold = Date.parse(tx.occurredAt);
    const refunds = (tx.refunds ?? []).map((r) => ({ t: Date.parse(r.occurredAt), amount: r.amount == null ? null : cents(r.amount) }));
    if (!counts(sold) && !refunds.some((r) => counts(r.t))) continue;
    if (!(tx.status === "complete" || tx.status == null || (tx.status === "refunded" && refunds.length))) continue;
    if (tx.currency && tx.currency.toUpperCase() !== "USD") continue;
    const version = versionAt(versions, sold);
    if (!version) continue;
    const withTypes = version.lineItemFilters?.withTypes ?? [];
    let qualifying = 0;
    let paid = 0;
    for (const line of tx.details ?? [{ type: "product", amount: tx.total }]) {
      const total = cents(line.amount) * (line.quantity ?? 1);
      paid += line.type === "discount" ? -total : total;
      const compiler = COMPILER[line.type];
      if (!version.transactionCompilers.includes(compiler)) continue;
      if (compiler === "lineItems" && withTypes.length && !withTypes.includes(line.type)) continue;
      qualifying += line.type === "discount" ? -total : total;
    }
    qualifying = Math.max(0, qualifying);
    paid = tx.total != null ? cents(tx.total) : Math.max(0, paid);
    const percentage = version.revenuePercentage;
    if (counts(sold)) weighted += qualifying * percentage;
    let taken = 0;
    for (const r of refunds.sort((a, b) => a.t - b.t)) {
      if (r.t > at) continue;
      const left = Math.max(0, qualifying - taken);
      const share = r.amount === null ? left : qualifying === paid ? r.amount : paid === 0 ? r.amount : Math.round((r.amount * qualifying) / paid);
      const reduction = Math.min(share, left);
      taken += reduction;
      if (counts(r.t)) weighted -= reduction * percentage;
    }
  }
  const pool = Math.max(0, Math.round(weighted / 100));
  const leaderboard = [...scores.values()].map((r) => ({ collaboratorId: r.collaboratorId, score: r.score, breakdown: r.breakdown, reachedAt: r.last ?? r.first }));
  leaderboard.sort((a, b) => b.score - a.score || a.reachedAt - b.reachedAt || (a.collaboratorId < b.collaboratorId ? -1 : 1));
  const winner = leaderboard[0]?.score > 0 ? leaderboard[0] : undefined;
  return {
    pool: (pool / 100).toFixed(2),
    leaderboard: leaderboard.slice(0, input.top ?? leaderboard.length),
    allocations: winner && pool > 0 ? [{ collaboratorId: winner.collaboratorId, amount: (pool / 100).toFixed(2) }] : [],
  };
}

/** `previewScores` of the sample year's input: the cycle holding `at`, from `start` at the earliest. */
export function plainYearPreview(input, events, transactions) {
  const at = Date.parse(input.at);
  const start = Math.max(Date.parse(input.start), monthStart(input.timeZone, at, 0));
  return plainCycle(input, events, transactions, start, monthStart(input.timeZone, at, 1), at);
}

/** `simulate` of the sample year's input: a cycle per month from `start` to `end`; a cycle whose
 * end falls in a pause shows its pool but pays nothing, and its window runs on into the next. */
export function plainYearSimulate(input, events, transactions) {
  const [end, pauses] = [Date.parse(input.end), (input.pauses ?? []).map((p) => [Date.parse(p.from), Date.parse(p.until)])];
  const cycles = [];
  for (let from = Date.parse(input.start), trigger = monthStart(input.timeZone, from, 1); trigger <= end; trigger = monthStart(input.timeZone, trigger, 1)) {
    const cycle = plainCycle(input, events, transactions, from, trigger, trigger);
    if (pauses.some(([a, b]) => trigger >= a && trigger < b)) {
      cycles.push({ status: "paused", pool: cycle.pool, leaderboard: cycle.leaderboard, allocations: [] });
      continue;
    }
    cycles.push({ status: "distributed", ...cycle });
    from = trigger;
  }
  return { cycles };
}
