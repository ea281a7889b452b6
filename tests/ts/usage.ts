// Compiled with `tsc --noEmit --strict --exactOptionalPropertyTypes` by tests/js/types.test.mjs:
// the shipped .d.ts must describe the API as hosts use it (a wrong field name here is a type error).
import { validateRecipe, validateDistributorConfig, nextRuns, previewScores, version } from "../../pkg/node/siren_engine";
import type { Diagnostic, Distributor, DistributorConfig, DistributorConfigVersion, EngineError, Preview, Recipe, ValidationReport } from "../../pkg/node/siren_engine";

// A recipe as a plugin ships it, and the configuration its admin screen saves.
const monthly: Distributor = {
  name: "Milestone Rewards Program",
  description: "The monthly pool to the top scorer.",
  distributionResolver: "topScoreWins",
  distributionPoolResolver: "revenueSinceLastDistribution",
  status: "active",
  units: "USD",
  schedule: ["first day of next month"],
};
const recipe: Recipe = {
  version: 1,
  name: "Milestone Rewards",
  description: "Monthly contest with a first-touch sales funnel.",
  programs: {
    affiliate: { name: "Affiliate", description: "20% on sales.", incentiveType: "commission", status: "active", units: "USD", engagementTypes: { referredSiteVisit: { value: "100" } }, incentiveCalculation: { transactionPercent: "20" }, transactionCompilers: ["lineItems"] },
    leadGen: { name: "Leads", description: "$15 per lead.", status: "draft", engagementTypes: [{ type: "referredSiteVisit", value: 1 }] },
  },
  programGroups: { funnel: { name: "Funnel", sorter: "oldestBindingWins", programs: ["affiliate", "leadGen"] } },
  distributors: { milestoneRewards: monthly },
};
// A distributor paid by a resolver the host computes itself.
const pluginRecipe: Recipe = { ...recipe, distributors: { ...recipe.distributors, hostResolved: { ...monthly, distributionResolver: "myPluginResolver" } } };
const config: DistributorConfigVersion = {
  engagementTypes: [{ type: "referredSiteVisit", value: 1 }, { type: "boundCouponUsed", value: "5" }, { type: "manual" }],
  revenuePercentage: "12.5",
  transactionCompilers: ["lineItems", "discounts"],
  lineItemFilters: { withTypes: ["products"], inCategories: null, collaboratorOwned: "1" },
  eligibleCollaborators: [7, "12"],
};
// The weights change on 1 July: a history of versions.
const history: DistributorConfig = [config, { ...config, effectiveFrom: "2026-07-01T00:00:00-04:00", engagementTypes: { referredSiteVisit: 2, boundCouponUsed: 10, manual: null } }];
// What Siren's REST extended distributor returns passes straight in.
const rest: DistributorConfig = { id: 1, name: "Bonus", status: "active", units: "USD", collaboratorCount: "12", currentDistribution: null, ...config };
const savedVersions: DistributorConfigVersion[] = Array.isArray(history) ? history : [history];
// Typed documents catch what validation would report only at run time.
// @ts-expect-error a misspelt field
const misspelt: Distributor = { ...monthly, distributionResolvr: "topScoreWins" };
// @ts-expect-error a compiler that does not exist
const noCompiler: DistributorConfig = { ...config, transactionCompilers: ["standard"] };

const report: ValidationReport = validateRecipe(pluginRecipe, { strict: true, distributionResolvers: ["myPluginResolver"] });
// Validation reports on anything, such as a document being edited or parsed from a file.
const draft: unknown = JSON.parse('{"version": 1}');
const draftReport: ValidationReport = validateRecipe(draft);
const first: Diagnostic | undefined = report.errors[0] ?? draftReport.errors[0];
const paths: string[] = report.warnings.map((d) => `${d.severity} ${d.code} ${d.path} ${d.message}`);
const configValid: boolean = validateDistributorConfig("{}").valid && validateDistributorConfig(history).valid && validateDistributorConfig(rest).valid;
const runs: string[] = nextRuns({ schedule: ["first day of next month"], from: "2026-01-31T00:00:00Z", timeZone: "UTC", count: 3 });
const preview: Preview = previewScores({
  recipe,
  distributorKey: "milestoneRewards",
  config: history,
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
export { first, paths, configValid, runs, winner, behind, pool, v, savedVersions, misspelt, noCompiler };

import { simulate, compare } from "../../pkg/node/siren_engine";
const year = simulate({ recipe, distributorKey: "milestoneRewards", config, events: [], transactions: [], timeZone: "UTC", start: "2026-01-01T00:00:00Z", end: "2027-01-01T00:00:00Z", pauses: [{ from: "2026-07-01T00:00:00Z", until: "2026-08-01T00:00:00Z" }] });
const paidTo: string[] = year.cycles.flatMap((c) => c.obligations.map((o) => `${o.collaboratorId} ${o.amount} ${o.distributionTrigger}`));
const totalAllocated: string = year.totals.allocated;
const diff = compare({ base: { recipe, distributorKey: "milestoneRewards", config, events: [], transactions: [], timeZone: "UTC", start: "2026-01-01T00:00:00Z", end: "2027-01-01T00:00:00Z" }, variant: { engagementTypes: { courseCompleted: 20 } } });
// What if the weights had changed in July, under an equal split?
const whatIf = compare({ base: { recipe, distributorKey: "milestoneRewards", config, events: [], transactions: [], timeZone: "UTC", start: "2026-01-01T00:00:00Z", end: "2027-01-01T00:00:00Z" }, variant: { config: history, distributionResolver: "sharedEngagementPool" } });
const changedCycles: number = whatIf.cycles.filter((c) => c.changed).length;
const deltas: string[] = diff.collaborators.map((c) => c.delta);
export { paidTo, totalAllocated, deltas, changedCycles };

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
const loadedInput: LoadedPreviewInput = { recipe, distributorKey: "milestoneRewards", config, timeZone: "UTC", at: "2026-01-15T00:00:00Z" };
const leader: string | undefined = handle.preview(loadedInput).leaderboard[0]?.collaboratorId;
const listedOf: number | undefined = handle.preview({ ...loadedInput, top: 10 }).explanation.scoring.listed?.of;
const sim: Simulation = handle.simulate({ recipe, distributorKey: "milestoneRewards", config, timeZone: "UTC", start: "2026-01-01T00:00:00Z", end: "2026-03-01T00:00:00Z" });
const handleDiff: number = handle.compare({ base: { recipe, distributorKey: "milestoneRewards", config, timeZone: "UTC", start: "2026-01-01T00:00:00Z", end: "2026-03-01T00:00:00Z", top: 5 }, variant: { revenuePercentage: 10 } }).cycles.length;
const loaded: number = handle.eventCount + handle.transactionCount;
handle.free();
