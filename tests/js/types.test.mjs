// The TypeScript definitions shipped in pkg/ type-check a realistic use of the API, and describe
// what the engine really returns (tests/ts/check-outputs.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { checkOutputs, sameTypes } from "../ts/check-outputs.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));

test("pkg/ .d.ts files describe the API (tsc --strict)", () => {
  const tsc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "--noEmit", "--strict", "--exactOptionalPropertyTypes", "--module", "nodenext", "--moduleResolution", "nodenext", "--skipLibCheck", "false", "tests/ts/usage.ts"], { cwd: root, encoding: "utf8" });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
});

test("pkg/node and pkg/web declare the types of crates/siren-wasm/siren_engine.d.ts", () => {
  const declared = sameTypes();
  for (const target of ["node", "web"]) {
    assert.ok(declared[target], `pkg/${target}/siren_engine.d.ts does not contain crates/siren-wasm/siren_engine.d.ts: pkg/ is stale (run scripts/build.sh)`);
  }
});

test("the .d.ts admits every real output and accepted input (shared cases, samples, Engine)", () => {
  const { ok, report, file, checked } = checkOutputs();
  assert.ok(checked >= 200, `${checked} values`);
  assert.ok(ok, `the .d.ts and the engine disagree (the engine's output is the truth; generated file: ${file}):\n${report}`);
});
