// Plain-text tables for cycles (a preview's single cycle, or the cycles of a simulation): aligned
// columns, amounts and numbers right-aligned. Pure functions returning strings, no colours, so
// every command prints them the same way and tests can compare them exactly. These helpers never
// compute with money: amounts are shown exactly as the engine wrote them, or, with a locale,
// formatted by Intl.NumberFormat from the exact decimal string (every digit kept).

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

const DECIMAL = /^[+-]?\d+(?:\.(\d+))?$/;
const zero = (text) => /^[+-]?0+(\.0+)?$/.test(text);

/** `+12.00`, `-3.00`, `0.00`: a change with its sign. */
export const signed = (text) => (String(text).startsWith("-") || zero(String(text)) ? String(text) : `+${text}`);

/**
 * How money is shown in tables and lines: `cell(amount, units, {sign})` for a table cell (the
 * units are in their own column or the heading), `text(amount, units)` for prose (`5000.00 USD`).
 * The default keeps the engine's exact strings.
 */
export const exactMoney = {
  cell: (amount, units, { sign = false } = {}) => (sign ? signed(amount) : String(amount ?? "")),
  text: (amount, units) => formatAmount(amount, units),
};

/**
 * Whether Intl.NumberFormat formats a decimal string exactly (Intl.NumberFormat v3: Node 19 and
 * later). Before, a string is read as a double: exact only up to 15 significant digits.
 */
const exactStrings = (() => {
  try {
    return new Intl.NumberFormat("en-US", { maximumFractionDigits: 2, useGrouping: false }).format("12345678901234567.89") === "12345678901234567.89";
  } catch {
    return false;
  }
})();

let currencies = null;
/** Whether `units` is an ISO 4217 currency code Intl knows (`USD`, `EUR`), not `points`. */
export function isCurrency(units) {
  if (typeof units !== "string" || !/^[A-Z]{3}$/.test(units)) return false;
  currencies ??= new Set(Intl.supportedValuesOf("currency"));
  return currencies.has(units);
}

/**
 * Money in `locale` (a BCP 47 tag, e.g. `de-DE`) through Intl.NumberFormat: with the currency
 * when the units are an ISO code (`1.234,56 $`), grouped digits otherwise (`1.234` and the units).
 * The exact decimal string is formatted as a string, so every digit stays (no rounding, no
 * binary floating point); the number of decimals is the engine's. `null` gives `exactMoney`.
 */
export function moneyFormat(locale) {
  if (!locale) return exactMoney;
  const formats = new Map();
  const formatter = (units, decimals, sign) => {
    const key = `${units}|${decimals}|${sign}`;
    let nf = formats.get(key);
    if (!nf) {
      const currency = isCurrency(units) ? { style: "currency", currency: units } : { style: "decimal" };
      nf = new Intl.NumberFormat(locale, { ...currency, minimumFractionDigits: decimals, maximumFractionDigits: decimals, signDisplay: sign ? "exceptZero" : "auto" });
      formats.set(key, nf);
    }
    return nf;
  };
  /** The formatted amount, or null when Intl cannot show it exactly (then the engine's string is). */
  const format = (amount, units, sign) => {
    const text = String(amount ?? "");
    const m = DECIMAL.exec(text);
    const decimals = m?.[1]?.length ?? 0;
    const digits = text.replace(/[^0-9]/g, "").replace(/^0+/, "").length;
    if (!m || decimals > 20 || (!exactStrings && digits > 15)) return null;
    return formatter(units, decimals, sign).format(text);
  };
  return {
    locale,
    cell: (amount, units, { sign = false } = {}) => format(amount, units, sign) ?? exactMoney.cell(amount, units, { sign }),
    text: (amount, units) => {
      const formatted = format(amount, units, false);
      if (formatted === null) return exactMoney.text(amount, units);
      return units && !isCurrency(units) ? `${formatted} ${units}` : formatted;
    },
  };
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
export function formatAllocations(cycle, { names, indent = "  ", money = exactMoney } = {}) {
  const allocations = cycle.allocations ?? [];
  if (allocations.length === 0) return `${indent}(nothing allocated)`;
  return formatTable(
    [
      { header: "Collaborator", value: (a) => collaboratorLabel(a.collaboratorId, names) },
      { header: "Amount", align: "right", value: (a) => money.cell(a.amount, cycle.units) },
      { header: "Units", value: () => cycle.units ?? "" },
    ],
    allocations,
    { indent },
  );
}

/** One line per cycle: index, window, status, revenue, pool, allocated-to. For simulations. */
export function formatCycleTable(cycles, { names, indent = "", money = exactMoney } = {}) {
  return formatTable(
    [
      { header: "#", align: "right", value: (c) => c.index },
      { header: "Start", value: (c) => c.window?.start },
      { header: "End", value: (c) => c.window?.end },
      { header: "Status", value: (c) => (c.projected ? `${c.status} (projected)` : c.status) },
      { header: "Revenue", align: "right", value: (c) => money.cell(c.revenue, c.units) },
      { header: "Pool", align: "right", value: (c) => money.cell(c.pool, c.units) },
      { header: "Units", value: (c) => c.units },
      {
        header: "Allocated to",
        value: (c) => (c.allocations ?? []).map((a) => `${collaboratorLabel(a.collaboratorId, names)} ${money.cell(a.amount, c.units)}`).join(", "),
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
export function formatComparisonCycles(comparison, { names, indent = "", money = exactMoney } = {}) {
  const units = comparison.base?.units;
  const winners = (ids) => (ids.length ? ids.map((id) => collaboratorLabel(id, names)).join(", ") : "—");
  return formatTable(
    [
      { header: "#", align: "right", value: (c) => c.index },
      { header: "Start", value: (c) => c.window?.start },
      { header: "Base pool", align: "right", value: (c) => money.cell(c.basePool, units) },
      { header: "Base winners", value: (c) => (c.baseStatus === "distributed" ? winners(c.baseWinners) : c.baseStatus) },
      { header: "Variant pool", align: "right", value: (c) => money.cell(c.variantPool, units) },
      { header: "Variant winners", value: (c) => (c.variantStatus === "distributed" ? winners(c.variantWinners) : c.variantStatus) },
      { header: "", value: (c) => (c.changed ? "*" : "") },
    ],
    comparison.cycles,
    { indent },
  );
}

/** Per-collaborator totals under base and variant and the difference, largest change first. */
export function formatDeltas(comparison, limit = 20, { names, indent = "  ", money = exactMoney } = {}) {
  const rows = comparison.collaborators ?? [];
  const units = comparison.base?.units;
  if (rows.length === 0) return `${indent}(nobody earned in either)`;
  let text = formatTable(
    [
      { header: "Collaborator", value: (c) => collaboratorLabel(c.collaboratorId, names) },
      { header: "Base", align: "right", value: (c) => money.cell(c.baseTotal, units) },
      { header: "Variant", align: "right", value: (c) => money.cell(c.variantTotal, units) },
      { header: "Change", align: "right", value: (c) => money.cell(c.delta, units, { sign: true }) },
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
