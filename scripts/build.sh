#!/usr/bin/env bash
# Builds pkg/: the npm package for Node (CommonJS + ESM) and the web (ES module), from one
# release .wasm of crates/siren-wasm. Skips the work when the module and the package files are
# unchanged since the last build.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_wasm_target
ensure_wasm_bindgen_cli
ensure_npm_packages

cd "$ROOT"
step "Building the wasm module (release)"
cargo build --release --target wasm32-unknown-unknown --package siren-wasm
WASM="target/wasm32-unknown-unknown/release/siren_wasm.wasm"
STAMP="pkg/.built-from"
# Everything pkg/ is made from: a change to any of these (the CLI and the records module included)
# rebuilds it.
inputs() {
  sha256sum "$WASM" crates/siren-wasm/siren_engine.d.ts crates/siren-wasm/js/* scripts/build.sh LICENSE CHANGELOG.md \
    cli/*.mjs lib/records.mjs $(find npm -type f | LC_ALL=C sort)
  echo "repository: ${SIREN_REPOSITORY_URL:-}"
}
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(inputs | sha256sum)" ]; then
  echo "pkg/ is up to date"
  exit 0
fi

rm -rf pkg && mkdir -p pkg
wasm-bindgen "$WASM" --target nodejs --out-dir pkg/node --out-name siren_engine
wasm-bindgen "$WASM" --target web --out-dir pkg/web --out-name siren_engine
# Shrink with wasm-opt from npm's binaryen package (Debian's binaryen 108 predates the
# reference-types table wasm-bindgen now emits and breaks the module).
step "Optimising with wasm-opt (binaryen $(node -p 'require("binaryen/package.json").version'))"
for f in pkg/node/siren_engine_bg.wasm pkg/web/siren_engine_bg.wasm; do
  # -Oz rather than -Os: ~1 KB less gzipped and no slower in bench/run.mjs (measured in
  # alternating runs); --converge repeats the passes while they shrink the module (~1 KB less
  # gzipped again, a few seconds more); the producers and target-features sections are metadata
  # no runtime reads.
  node_modules/.bin/wasm-opt -Oz --converge --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-reference-types --enable-multivalue --enable-mutable-globals --strip-producers \
    --strip-target-features "$f" -o "$f.opt"
  mv "$f.opt" "$f"
done
# The binding's JS helpers (crates/siren-wasm/js/*.js) are ES modules; the Node build loads them with
# require(), so its copies get CommonJS exports (the functions are unchanged). The package's guards
# (npm/guards.mjs) are shared by the browser entry and the Node entry the same way.
cp npm/guards.mjs pkg/node/guards.cjs
{ find pkg/node/snippets -name '*.js' -print0; printf '%s\0' pkg/node/guards.cjs; } | xargs -0 -r node -e '
  const fs = require("fs");
  for (const file of process.argv.slice(1)) {
    const names = [];
    const body = fs.readFileSync(file, "utf8").replace(/^export function (\w+)/gm, (_, name) => (names.push(name), `function ${name}`));
    if (/^export /m.test(body)) throw new Error(`${file}: only "export function" is converted`);
    fs.writeFileSync(file, `"use strict";\n${body}\nmodule.exports = { ${names.join(", ")} };\n`);
  }'
# wasm-bindgen's Node build loads its snippets with require(String.raw`./snippets/…`), which bundlers
# (esbuild, webpack) do not follow, leaving a require that fails at run time: plain string literals.
sed -i -E 's/require\(String\.raw`([^`"\\]*)`\)/require("\1")/g' pkg/node/siren_engine.js
if grep -q 'require(String.raw' pkg/node/siren_engine.js; then
  echo "pkg/node/siren_engine.js still has a require(String.raw...) bundlers cannot follow" >&2
  exit 1
fi

step "Assembling the package"
# wasm-bindgen's .wasm.d.ts files type the raw wasm exports, which no entry exposes.
rm -f pkg/node/.gitignore pkg/web/.gitignore pkg/node/siren_engine_bg.wasm.d.ts pkg/web/siren_engine_bg.wasm.d.ts
echo '{"type": "commonjs"}' > pkg/node/package.json
echo '{"type": "module"}' > pkg/web/package.json
# The entries (Node: index.mjs, node/index.cjs; browsers and bundlers: browser.mjs), their types
# (which re-export the generated .d.ts files: one source), the docs and the licence.
cp npm/index.mjs npm/index.d.mts npm/browser.mjs npm/browser.d.mts npm/guards.mjs npm/README.md LICENSE CHANGELOG.md pkg/
cp npm/node/index.cjs npm/node/index.d.cts pkg/node/
# The CLI (bin "siren", which loads ../node/siren_engine.js) and the CSV/JSON readers it shares
# with the browser editor, exported as "siren-engine/records" with types generated from its JSDoc.
mkdir -p pkg/cli pkg/lib
cp cli/*.mjs pkg/cli/
chmod +x pkg/cli/siren.mjs
cp lib/records.mjs pkg/lib/
node node_modules/typescript/bin/tsc --allowJs --declaration --emitDeclarationOnly --skipLibCheck --target es2022 \
  --lib es2022,dom --module nodenext --moduleResolution nodenext --outDir pkg/lib lib/records.mjs
# package.json: npm/package.json, plus `repository` when SIREN_REPOSITORY_URL gives it (no
# placeholder URL is ever published).
node -e '
  const fs = require("fs");
  const manifest = JSON.parse(fs.readFileSync("npm/package.json", "utf8"));
  const url = process.env.SIREN_REPOSITORY_URL;
  const out = {};
  for (const [key, value] of Object.entries(manifest)) {
    out[key] = value;
    if (key === "license" && url) out.repository = { type: "git", url };
  }
  fs.writeFileSync("pkg/package.json", JSON.stringify(out, null, 2) + "\n");'
RAW=$(stat -c %s pkg/web/siren_engine_bg.wasm)
GZ=$(gzip -9 -c pkg/web/siren_engine_bg.wasm | wc -c)
echo "siren_engine_bg.wasm: $RAW bytes raw, $GZ bytes gzipped"
inputs | sha256sum > "$STAMP"
