// What a competent plugin developer who already holds typed-array columns writes without the
// engine (issue 23's baseline): the same preview as bench/plain.mjs — scores per collaborator and
// type in the window, reachedAt, revenue of the lines with full refunds in the window, pool =
// revenue × percentage, proportional shares by largest remainder in cents — in one pass over the
// event columns with a weight table per type, sums in Float64Arrays, a sort for the ranking, and a
// revenue pass over the line columns. Like plain.mjs it skips what the engine adds (explanations,
// config history, rosters, exact decimals beyond cents, validation).

export function typedPreview(input, events, tx) {
  const start = Date.parse(input.lastDistributionAt);
  const s = new Date(start);
  const end = Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + 1, 1, s.getUTCHours(), s.getUTCMinutes(), s.getUTCSeconds());
  const at = Date.parse(input.at);
  const last = Math.min(end - 1, at); // the window's last counted instant
  const types = events.typeNames;
  const T = types.length;
  const weight = new Float64Array(T).fill(NaN);
  for (let k = 0; k < T; k++) {
    const w = input.config.engagementTypes[types[k]];
    if (w !== undefined) weight[k] = Number(w);
  }
  const manual = types.indexOf("manual");
  const C = events.collaboratorIds.length;
  const score = new Float64Array(C);
  const breakdown = new Float64Array(C * T);
  const first = new Float64Array(C).fill(Infinity);
  const reached = new Float64Array(C).fill(-Infinity);
  const seen = new Uint8Array(C);
  const { collaboratorIndex: who, typeIndex: kind, occurredAtMs: when, points } = events;
  for (let i = 0, n = who.length; i < n; i++) {
    const t = when[i];
    if (t < start || t > last) continue;
    const k = kind[i];
    let p = weight[k];
    if (p !== p) continue; // a type without points
    if (k === manual && points && points[i] === points[i]) p = points[i];
    const c = who[i];
    seen[c] = 1;
    score[c] += p;
    breakdown[c * T + k] += p;
    if (t < first[c]) first[c] = t;
    if (p !== 0 && t > reached[c]) reached[c] = t;
  }
  // Revenue in cents (amountScale 2): each transaction's lines, then its sale and refunds in the window.
  const qualifying = new Float64Array(tx.occurredAtMs.length);
  const { lineTransactionIndex: lineOf, lineAmount: amount, lineQuantity: quantity } = tx;
  for (let j = 0, m = lineOf.length; j < m; j++) qualifying[lineOf[j]] += amount[j] * (quantity ? quantity[j] : 1);
  let revenue = 0;
  for (let i = 0, m = qualifying.length; i < m; i++) {
    const t = tx.occurredAtMs[i];
    if (t >= start && t <= last) revenue += qualifying[i];
  }
  if (tx.refundTransactionIndex) {
    for (let k = 0, m = tx.refundTransactionIndex.length; k < m; k++) {
      const t = tx.refundOccurredAtMs[k];
      if (t >= start && t <= last) revenue -= qualifying[tx.refundTransactionIndex[k]];
    }
  }
  revenue = Math.max(0, revenue);
  // The pool in whole cents, rounded half to even as the engine's default policy does.
  const pct100 = Math.round(Number(input.config.revenuePercentage) * 100); // hundredths of a percent
  const whole = Math.floor((revenue * pct100) / 10_000);
  const rest = revenue * pct100 - whole * 10_000;
  const pool = 2 * rest > 10_000 || (2 * rest === 10_000 && whole % 2 === 1) ? whole + 1 : whole;
  const ids = events.collaboratorIds;
  const ranked = [];
  for (let c = 0; c < C; c++) if (seen[c]) ranked.push(c);
  const reachedAt = (c) => (reached[c] === -Infinity ? first[c] : reached[c]);
  ranked.sort((a, b) => score[b] - score[a] || reachedAt(a) - reachedAt(b) || (ids[a] < ids[b] ? -1 : 1));
  let total = 0;
  for (const c of ranked) if (score[c] > 0) total += score[c];
  const shares = [];
  let given = 0;
  for (const c of ranked) {
    if (score[c] <= 0) continue;
    const exact = (pool * score[c]) / total;
    const whole = Math.floor(exact);
    given += whole;
    shares.push({ c, cents: whole, remainder: exact - whole });
  }
  let left = pool - given;
  for (const share of [...shares].sort((a, b) => b.remainder - a.remainder)) {
    if (left-- <= 0) break;
    share.cents += 1;
  }
  const leaderboard = ranked.map((c) => ({ collaboratorId: ids[c], score: score[c] }));
  return { pool: (pool / 100).toFixed(2), leaderboard, allocations: shares.map((x) => ({ collaboratorId: ids[x.c], amount: (x.cents / 100).toFixed(2) })) };
}
