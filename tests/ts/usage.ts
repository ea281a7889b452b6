// Compiled with `tsc --noEmit --strict` by tests/js/types.test.mjs: the shipped .d.ts must
// describe the API as hosts use it (a wrong field name here is a type error).
import { validateRecipe, validateDistributorConfig, nextRuns, previewScores, version } from "../../pkg/node/siren_engine";
import type { Diagnostic, EngineError, Preview, ValidationReport } from "../../pkg/node/siren_engine";

const report: ValidationReport = validateRecipe({ version: 1 }, { strict: true, distributionResolvers: ["custom"] });
const first: Diagnostic | undefined = report.errors[0];
const paths: string[] = report.warnings.map((d) => `${d.severity} ${d.code} ${d.path} ${d.message}`);
const configValid: boolean = validateDistributorConfig("{}").valid;
const runs: string[] = nextRuns({ schedule: ["first day of next month"], from: "2026-01-31T00:00:00Z", timeZone: "UTC", count: 3 });
const preview: Preview = previewScores({
  recipe: {},
  distributorKey: "milestoneRewards",
  config: {},
  events: [{ collaboratorId: 7, type: "manual", occurredAt: "2026-01-02T00:00:00Z", points: 5 }],
  transactions: [{ id: "t1", occurredAt: "2026-01-02T00:00:00Z", total: "10.00", refunds: [{ occurredAt: "2026-01-03T00:00:00Z" }] }],
  timeZone: "UTC",
  at: "2026-01-15T00:00:00Z",
  policies: { tieBreak: "split" },
});
const winner: string | undefined = preview.allocations[0]?.collaboratorId;
const behind: number[] = preview.leaderboard.map((row) => row.behindLeader);
const pool: string = preview.explanation.pool.rounding;
try {
  nextRuns({ schedule: [], from: "" });
} catch (e) {
  const err = e as EngineError;
  const where: string = `${err.code} ${err.path}`;
}
const v: string = version();
export { first, paths, configValid, runs, winner, behind, pool, v };

import { simulate, compare } from "../../pkg/node/siren_engine";
const year = simulate({ recipe: {}, distributorKey: "m", config: {}, events: [], transactions: [], timeZone: "UTC", start: "2026-01-01T00:00:00Z", end: "2027-01-01T00:00:00Z", pauses: [{ from: "2026-07-01T00:00:00Z", until: "2026-08-01T00:00:00Z" }] });
const paidTo: string[] = year.cycles.flatMap((c) => c.obligations.map((o) => `${o.collaboratorId} ${o.amount} ${o.distributionTrigger}`));
const totalAllocated: string = year.totals.allocated;
const diff = compare({ base: { recipe: {}, distributorKey: "m", config: {}, events: [], transactions: [], timeZone: "UTC", start: "2026-01-01T00:00:00Z", end: "2027-01-01T00:00:00Z" }, variant: { engagementTypes: { courseCompleted: 20 } } });
const deltas: string[] = diff.collaborators.map((c) => c.delta);
export { paidTo, totalAllocated, deltas };

// The bulk path.
import { Engine } from "../../pkg/node/siren_engine";
import type { EventColumns, LoadedPreviewInput, Simulation, TransactionColumns } from "../../pkg/node/siren_engine";
const columns: EventColumns = {
  collaboratorIndex: new Uint32Array([0, 1]),
  typeIndex: new Uint16Array([0, 0]),
  occurredAtMs: new Float64Array([Date.parse("2026-01-02T00:00:00Z"), Date.parse("2026-01-03T00:00:00Z")]),
  collaboratorIds: ["7", "8"],
  typeNames: ["referredSiteVisit"],
};
const handle = new Engine();
handle.loadEventsColumns(columns);
handle.loadTransactions(new TextEncoder().encode("[]"));
const sales: TransactionColumns = {
  transactionIds: ["1001"],
  occurredAtMs: new Float64Array([Date.parse("2026-01-05T10:00:00Z")]),
  amountScale: 2,
  lineTransactionIndex: new Uint32Array([0, 0]),
  lineTypeIndex: new Uint8Array([0, 4]),
  lineAmount: new Float64Array([1999, 499]),
  lineCategories: [["books"], null],
};
handle.loadTransactionsColumns(sales);
handle.loadTransactionsColumns({ ...sales, transactionIds: Uint32Array.of(1001) });
const loadedInput: LoadedPreviewInput = { recipe: {}, distributorKey: "d", config: {}, timeZone: "UTC", at: "2026-01-15T00:00:00Z" };
const leader: string | undefined = handle.preview(loadedInput).leaderboard[0]?.collaboratorId;
const listedOf: number | undefined = handle.preview({ ...loadedInput, top: 10 }).explanation.scoring.listed?.of;
const sim: Simulation = handle.simulate({ recipe: {}, distributorKey: "d", config: {}, timeZone: "UTC", start: "2026-01-01T00:00:00Z", end: "2026-03-01T00:00:00Z" });
const handleDiff: number = handle.compare({ base: { recipe: {}, distributorKey: "d", config: {}, timeZone: "UTC", start: "2026-01-01T00:00:00Z", end: "2026-03-01T00:00:00Z", top: 5 }, variant: { revenuePercentage: 10 } }).cycles.length;
const loaded: number = handle.eventCount + handle.transactionCount;
handle.free();
