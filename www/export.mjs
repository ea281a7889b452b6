// Helpers for the pages' figures and downloads, pure and tested under Node except `download`
// (which hands a text to the browser as a file). Amounts are the engine's decimal strings; these
// functions only reformat text, they never compute with money.

import { csvField } from "../cli/format.mjs";

/** "132430.55" → "132,430.55" (digit grouping by string, not by float). */
export function groupDigits(amount) {
  const text = String(amount ?? "");
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(text);
  if (!m) return text;
  return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (m[3] ?? "");
}

/** An amount with its units: "8,249.12 USD", "120 points". */
export const money = (amount, units) => `${groupDigits(amount)}${units ? ` ${units}` : ""}`;

/**
 * A simulation's allocations as CSV, one row per pending obligation in cycle order:
 * `cycle,windowStart,windowEnd,distributionTrigger,collaboratorId,name,amount,units`, LF line ends.
 * `names` maps collaborator id → name (may be empty).
 */
export function simulationCsv(simulation, names = new Map()) {
  const rows = [["cycle", "windowStart", "windowEnd", "distributionTrigger", "collaboratorId", "name", "amount", "units"]];
  for (const cycle of simulation.cycles ?? []) {
    for (const o of cycle.obligations ?? []) {
      rows.push([cycle.index, cycle.window.start, cycle.window.end, o.distributionTrigger, o.collaboratorId, names.get(String(o.collaboratorId)) ?? "", o.amount, o.units]);
    }
  }
  return rows.map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

/** Winners of a cycle (collaborators with an allocation), as "id" or "id (name)". */
export function winnersOf(cycle, names = new Map()) {
  return (cycle.allocations ?? []).map((a) => label(a.collaboratorId, names));
}

export function label(id, names = new Map()) {
  const name = names.get(String(id));
  return name ? `${id} (${name})` : String(id);
}

/** Hands `text` to the browser as a file called `name` (a CSV export, a JSON download). */
export function download(name, text, type) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
