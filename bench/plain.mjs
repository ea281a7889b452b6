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
