// Hand-written SVG charts, as strings (pure; no DOM). Bar lengths need numbers, so amounts are
// read with Number() for geometry only; every label shows the engine's exact string.

import { groupDigits } from "./export.mjs";

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

const STATUS_CLASS = { distributed: "bar-distributed", paused: "bar-paused", noEngagement: "bar-empty", noRevenue: "bar-empty" };

/** Pools per cycle: one vertical bar per cycle, coloured by status, labelled with its month. */
export function poolChart(cycles, units, { width = 640, height = 220 } = {}) {
  const pad = { top: 22, right: 8, bottom: 38, left: 8 };
  const max = Math.max(1, ...cycles.map((c) => Number(c.pool) || 0));
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const slot = innerW / Math.max(1, cycles.length);
  const barW = Math.max(4, slot * 0.7);
  const bars = cycles
    .map((c, i) => {
      const h = Math.max(1, ((Number(c.pool) || 0) / max) * innerH);
      const x = pad.left + i * slot + (slot - barW) / 2;
      const y = pad.top + innerH - h;
      const month = c.window.start.slice(0, 7);
      const title = `Cycle ${c.index} (${c.window.start.slice(0, 10)} to ${c.window.end.slice(0, 10)}): ${c.status}, pool ${groupDigits(c.pool)} ${units}`;
      return `<g><title>${esc(title)}</title><rect class="${STATUS_CLASS[c.status] ?? "bar-empty"}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}"/>` +
        `<text class="bar-value" x="${(x + barW / 2).toFixed(1)}" y="${(y - 5).toFixed(1)}" text-anchor="middle">${esc(shortAmount(c.pool))}</text>` +
        `<text class="axis-label" x="${(x + barW / 2).toFixed(1)}" y="${height - pad.bottom + 15}" text-anchor="middle">${esc(month)}</text>` +
        (c.status !== "distributed" ? `<text class="axis-label" x="${(x + barW / 2).toFixed(1)}" y="${height - pad.bottom + 29}" text-anchor="middle">${esc(c.status)}</text>` : "") +
        `</g>`;
    })
    .join("");
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Pool per cycle in ${esc(units)}">` +
    `<line class="axis" x1="${pad.left}" y1="${pad.top + innerH}" x2="${width - pad.right}" y2="${pad.top + innerH}"/>${bars}</svg>`;
}

/** Payouts per collaborator: horizontal bars, largest first, with the number of cycles won. */
export function payoutChart(collaborators, units, names = new Map(), { width = 520, rowHeight = 24, limit = 12 } = {}) {
  const rows = collaborators.slice(0, limit);
  const labelW = 170;
  const valueW = 150;
  const height = rows.length * rowHeight + 8;
  const max = Math.max(1, ...rows.map((c) => Number(c.amount) || 0));
  const innerW = width - labelW - valueW;
  const bars = rows
    .map((c, i) => {
      const y = 4 + i * rowHeight;
      const w = Math.max(1, ((Number(c.amount) || 0) / max) * innerW);
      const name = names.get(String(c.collaboratorId));
      const label = name ? `${c.collaboratorId} · ${name}` : c.collaboratorId;
      return `<g><title>${esc(`${label}: ${groupDigits(c.amount)} ${units}, ${c.cyclesWon} cycle(s) won`)}</title>` +
        `<text class="axis-label" x="${labelW - 6}" y="${y + rowHeight / 2 + 4}" text-anchor="end">${esc(label.length > 24 ? label.slice(0, 23) + "…" : label)}</text>` +
        `<rect class="bar-payout" x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 6}"/>` +
        `<text class="bar-value" x="${(labelW + w + 6).toFixed(1)}" y="${y + rowHeight / 2 + 4}">${esc(`${groupDigits(c.amount)} (${c.cyclesWon}×)`)}</text></g>`;
    })
    .join("");
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Payouts per collaborator in ${esc(units)}">${bars}</svg>`;
}

/** 8249.12 → "8.2k", for bar tops where space is short (the exact figure is in the title and table). */
function shortAmount(amount) {
  const n = Number(amount) || 0;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return groupDigits(amount);
}
