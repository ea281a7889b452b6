// What the recipe editor's worker (www/engine-worker.js) costs on the bundled sample year:
// `node bench/sample-year.mjs` after scripts/build.sh. In one process, the same previews,
// simulations and what-if comparisons (other weights each time) through `previewScores`/
// `simulate`/`compare` (every call passes and parses every record) and through an `Engine`
// loaded once (what the worker does); then the plain-JS preview and simulation of the same
// cycles (bench/plain.mjs), checked to give the same pools and winners.
import { performance } from "node:perf_hooks";
import { createRequire } from "node:module";
import { sampleYear } from "./data.mjs";
import { plainYearPreview, plainYearSimulate } from "./plain.mjs";

const require = createRequire(import.meta.url);
const { previewScores, simulate, compare, Engine } = require("../pkg/node/siren_engine.js");
const { events, transactions, collaborators, config, scenario, recipe } = sampleYear();

// As the editor's preview: the last event's instant, the 15 rows the page shows.
const at = events.reduce((a, e) => (Date.parse(e.occurredAt) > Date.parse(a) ? e.occurredAt : a), events[0].occurredAt);
const base = { recipe, distributorKey: scenario.distributorKey, timeZone: scenario.timeZone, collaborators, policies: scenario.policies };
const weighted = (i) => config.map((v) => ({ ...v, engagementTypes: { ...v.engagementTypes, referredSiteVisit: 1 + i } }));
const previewInput = (i) => ({ ...base, config: weighted(i), at, start: scenario.start, top: 15 });
const simulateInput = (i) => ({ ...base, config: weighted(i), start: scenario.start, end: scenario.end, pauses: scenario.pauses });
// As the what-if panel: the base against a higher percentage.
const compareInput = (i) => ({ base: simulateInput(i), variant: { revenuePercentage: 10 } });

const time = (f) => { const t = performance.now(); f(); return performance.now() - t; };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = (n, f) => median(Array.from({ length: n }, (_, i) => time(() => f(i))));

const objectPreview = runs(7, (i) => previewScores({ ...previewInput(i), events, transactions }));
const objectSimulate = runs(3, (i) => simulate({ ...simulateInput(i), events, transactions }));
const objectCompare = runs(3, (i) => compare({ ...compareInput(i), base: { ...simulateInput(i), events, transactions } }));
const engine = new Engine();
const load = time(() => { engine.loadEvents(events); engine.loadTransactions(transactions); });
const enginePreview = runs(7, (i) => engine.preview(previewInput(i)));
const engineSimulate = runs(3, (i) => engine.simulate(simulateInput(i)));
const engineCompare = runs(3, (i) => engine.compare(compareInput(i)));
engine.free();
const plainPreview = runs(7, (i) => plainYearPreview(previewInput(i), events, transactions));
const plainSimulate = runs(3, (i) => plainYearSimulate(simulateInput(i), events, transactions));
// The same work: every cycle's pool and allocation, and the preview's leaders, as the engine's.
const paid = (c) => `${c.pool} ${c.allocations.map((a) => `${a.collaboratorId} ${a.amount}`).join(" ")}`;
const leaders = (p) => `${paid(p)} ${p.leaderboard.map((l) => `${l.collaboratorId}:${l.score}`).join(" ")}`;
const [enginePreviewOut, engineYear] = [previewScores({ ...previewInput(1), events, transactions }), simulate({ ...simulateInput(1), events, transactions })];
const same =
  leaders(enginePreviewOut) === leaders(plainYearPreview(previewInput(1), events, transactions)) &&
  engineYear.cycles.map(paid).join("|") === plainYearSimulate(simulateInput(1), events, transactions).cycles.map(paid).join("|");
const ms = (x) => `${x.toFixed(1)} ms`;
console.log(`sample year: ${events.length.toLocaleString("en")} events, ${transactions.length.toLocaleString("en")} transactions, ${collaborators.length} collaborators (medians, other weights each call)`);
console.log(`previewScores ${ms(objectPreview)}, simulate ${ms(objectSimulate)}, compare ${ms(objectCompare)}`);
const ratio = (a, b) => `${(a / b).toFixed(a / b >= 20 ? 0 : 1)}×`;
console.log(`plain JS (bench/plain.mjs; ${same ? "the same pools, winners and leaders" : "DIFFERENT pools, winners or leaders"}): preview ${ms(plainPreview)} (previewScores at ${ratio(plainPreview, objectPreview)} its speed), simulate ${ms(plainSimulate)} (simulate at ${ratio(plainSimulate, objectSimulate)})`);
console.log(`Engine: load ${ms(load)} once, then preview ${ms(enginePreview)} (${ratio(objectPreview, enginePreview)}), simulate ${ms(engineSimulate)} (${ratio(objectSimulate, engineSimulate)}), compare ${ms(engineCompare)} (${ratio(objectCompare, engineCompare)})`);
