// The sample year's plain-JS baseline (bench/plain.mjs, `plainYearPreview`/`plainYearSimulate`)
// must do the same work as the engine it is measured against in bench/sample-year.mjs: the same
// pool, allocation and leaders for the preview, the same pool and allocation in every simulated
// cycle (a pause included), under two sets of weights.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { sampleYear } from "../../bench/data.mjs";
import { plainYearPreview, plainYearSimulate } from "../../bench/plain.mjs";

const require = createRequire(import.meta.url);
const { previewScores, simulate } = require("../../pkg/node/siren_engine.js");
const { events, transactions, collaborators, config, scenario, recipe } = sampleYear();
const at = "2026-12-31T23:00:00Z";
const base = { recipe, distributorKey: scenario.distributorKey, timeZone: scenario.timeZone, collaborators, policies: scenario.policies };

const paid = (c) => ({ pool: c.pool, allocations: c.allocations.map(({ collaboratorId, amount }) => ({ collaboratorId, amount })) });

for (const visit of [1, 4]) {
  const weighted = config.map((v) => ({ ...v, engagementTypes: { ...v.engagementTypes, referredSiteVisit: visit } }));

  test(`the plain-JS preview of the sample year's last cycle is the engine's (a visit worth ${visit})`, () => {
    const input = { ...base, config: weighted, at, start: scenario.start, top: 15 };
    const engine = previewScores({ ...input, events, transactions });
    const plain = plainYearPreview(input, events, transactions);
    assert.deepEqual(paid(plain), paid(engine));
    assert.ok(engine.allocations.length === 1 && Number(engine.pool) > 0, "a winner is paid");
    const leaders = (p) => p.leaderboard.map((l) => [l.collaboratorId, l.score, l.breakdown]);
    assert.deepEqual(leaders(plain), leaders(engine));
  });

  test(`the plain-JS simulation of the sample year is the engine's, cycle by cycle (a visit worth ${visit})`, () => {
    const input = { ...base, config: weighted, start: scenario.start, end: scenario.end, pauses: scenario.pauses };
    const engine = simulate({ ...input, events, transactions }).cycles;
    const plain = plainYearSimulate(input, events, transactions).cycles;
    assert.equal(engine.length, 12);
    assert.deepEqual(plain.map((c) => c.status), engine.map((c) => c.status));
    assert.ok(engine.some((c) => c.status === "paused"), "the scenario's pause is met");
    assert.deepEqual(plain.map(paid), engine.map(paid));
  });
}
