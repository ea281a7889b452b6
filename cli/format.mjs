// Plain-text tables for cycles (a preview's single cycle, or the cycles of a simulation): aligned
// columns, amounts and numbers right-aligned. Pure functions returning strings, no colours, so
// every command prints them the same way and tests can compare them exactly. Amounts are shown
// exactly as the engine wrote them: these helpers never compute with money.

/**
 * A table. `columns`: `[{header, align?: "left" | "right", value: (row) => string}]`. Columns
 * are separated by two spaces; trailing spaces are trimmed.
 */
export function formatTable(columns, rows, { indent = "" } = {}) {
  const cells = rows.map((row) => columns.map((c) => String(c.value(row) ?? "")));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i].length)));
  const line = (values) =>
    indent +
    values
      .map((v, i) => (columns[i].align === "right" ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join("\n");
}

/** `5000.00 USD`; points and units without a currency code read `120 points`. */
export function formatAmount(amount, units) {
  return units ? `${amount} ${units}` : String(amount);
}

/** The collaborator's id, with its name when `names` (id → name) knows it. */
export function collaboratorLabel(id, names) {
  const name = names?.get?.(String(id));
  return name ? `${id} (${name})` : String(id);
}

/** Breakdown types in first-seen order over the leaderboard. */
function breakdownTypes(leaderboard) {
  const types = [];
  for (const entry of leaderboard) for (const type of Object.keys(entry.breakdown ?? {})) if (!types.includes(type)) types.push(type);
  return types;
}

/**
 * A cycle's leaderboard: rank, collaborator, score, one column per engagement type, points behind
 * the leader. The first `limit` rows, then "… N more".
 */
export function formatLeaderboard(cycle, limit = 20, { names, indent = "  " } = {}) {
  const board = cycle.leaderboard ?? [];
  if (board.length === 0) return `${indent}(nobody scored)`;
  const shown = board.slice(0, limit);
  const columns = [
    { header: "Rank", align: "right", value: (e) => e.rank },
    { header: "Collaborator", value: (e) => collaboratorLabel(e.collaboratorId, names) },
    { header: "Score", align: "right", value: (e) => e.score },
    ...breakdownTypes(shown).map((type) => ({ header: type, align: "right", value: (e) => e.breakdown?.[type] ?? 0 })),
    { header: "Behind", align: "right", value: (e) => e.behindLeader ?? "" },
  ];
  let text = formatTable(columns, shown, { indent });
  if (board.length > shown.length) text += `\n${indent}… ${board.length - shown.length} more`;
  return text;
}

/** A cycle's allocations: collaborator and amount (right-aligned, with the units). */
export function formatAllocations(cycle, { names, indent = "  " } = {}) {
  const allocations = cycle.allocations ?? [];
  if (allocations.length === 0) return `${indent}(nothing allocated)`;
  return formatTable(
    [
      { header: "Collaborator", value: (a) => collaboratorLabel(a.collaboratorId, names) },
      { header: "Amount", align: "right", value: (a) => a.amount },
      { header: "Units", value: () => cycle.units ?? "" },
    ],
    allocations,
    { indent },
  );
}

/** One line per cycle: index, window, status, revenue, pool, allocated-to. For simulations. */
export function formatCycleTable(cycles, { names, indent = "" } = {}) {
  return formatTable(
    [
      { header: "#", align: "right", value: (c) => c.index },
      { header: "Start", value: (c) => c.window?.start },
      { header: "End", value: (c) => c.window?.end },
      { header: "Status", value: (c) => (c.projected ? `${c.status} (projected)` : c.status) },
      { header: "Revenue", align: "right", value: (c) => c.revenue },
      { header: "Pool", align: "right", value: (c) => c.pool },
      { header: "Units", value: (c) => c.units },
      {
        header: "Allocated to",
        value: (c) => (c.allocations ?? []).map((a) => `${collaboratorLabel(a.collaboratorId, names)} ${a.amount}`).join(", "),
      },
    ],
    cycles,
    { indent },
  );
}

/** Quotes a CSV field when it needs it (RFC 4180). */
export function csvField(value) {
  const text = value === undefined || value === null ? "" : String(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Allocations as CSV: `collaboratorId,amount,units`, one line each, LF line ends. */
export function allocationsCsv(cycle) {
  const rows = [["collaboratorId", "amount", "units"], ...(cycle.allocations ?? []).map((a) => [a.collaboratorId, a.amount, cycle.units])];
  return rows.map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

/** Every obligation of a simulation as CSV: `cycle,triggerAt,collaboratorId,amount,units`. */
export function obligationsCsv(simulation) {
  const rows = [["cycle", "triggerAt", "collaboratorId", "amount", "units"]];
  for (const cycle of simulation.cycles ?? []) {
    for (const o of cycle.obligations ?? []) rows.push([cycle.index, o.distributionTrigger, o.collaboratorId, o.amount, o.units]);
  }
  return rows.map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

/** Base and variant side by side, one line per cycle; `*` marks a cycle whose winners changed. */
export function formatComparisonCycles(comparison, { names, indent = "" } = {}) {
  const winners = (ids) => (ids.length ? ids.map((id) => collaboratorLabel(id, names)).join(", ") : "—");
  return formatTable(
    [
      { header: "#", align: "right", value: (c) => c.index },
      { header: "Start", value: (c) => c.window?.start },
      { header: "Base pool", align: "right", value: (c) => c.basePool },
      { header: "Base winners", value: (c) => (c.baseStatus === "distributed" ? winners(c.baseWinners) : c.baseStatus) },
      { header: "Variant pool", align: "right", value: (c) => c.variantPool },
      { header: "Variant winners", value: (c) => (c.variantStatus === "distributed" ? winners(c.variantWinners) : c.variantStatus) },
      { header: "", value: (c) => (c.changed ? "*" : "") },
    ],
    comparison.cycles,
    { indent },
  );
}

/** Per-collaborator totals under base and variant and the difference, largest change first. */
export function formatDeltas(comparison, limit = 20, { names, indent = "  " } = {}) {
  const rows = comparison.collaborators ?? [];
  if (rows.length === 0) return `${indent}(nobody earned in either)`;
  let text = formatTable(
    [
      { header: "Collaborator", value: (c) => collaboratorLabel(c.collaboratorId, names) },
      { header: "Base", align: "right", value: (c) => c.baseTotal },
      { header: "Variant", align: "right", value: (c) => c.variantTotal },
      { header: "Change", align: "right", value: (c) => (c.delta.startsWith("-") || /^0(\.0+)?$/.test(c.delta) ? c.delta : `+${c.delta}`) },
    ],
    rows.slice(0, limit),
    { indent },
  );
  if (rows.length > limit) text += `\n${indent}… ${rows.length - limit} more`;
  return text;
}

/** Per-collaborator comparison as CSV: `collaboratorId,baseTotal,variantTotal,delta,units`. */
export function deltasCsv(comparison) {
  const units = comparison.base?.units ?? "";
  const rows = [["collaboratorId", "baseTotal", "variantTotal", "delta", "units"], ...(comparison.collaborators ?? []).map((c) => [c.collaboratorId, c.baseTotal, c.variantTotal, c.delta, units])];
  return rows.map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}
