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
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(sha256sum "$WASM" crates/siren-wasm/siren_engine.d.ts npm/* crates/siren-wasm/js/* scripts/build.sh | sha256sum)" ]; then
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
  # alternating runs); the producers and target-features sections are metadata no runtime reads.
  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-reference-types --enable-multivalue --enable-mutable-globals --strip-producers \
    --strip-target-features "$f" -o "$f.opt"
  mv "$f.opt" "$f"
done
# The binding's JS helpers (crates/siren-wasm/js/*.js) are ES modules; the Node build loads them with
# require(), so its copies get CommonJS exports (the functions are unchanged).
find pkg/node/snippets -name '*.js' -print0 | xargs -0 -r node -e '
  const fs = require("fs");
  for (const file of process.argv.slice(1)) {
    const names = [];
    const body = fs.readFileSync(file, "utf8").replace(/^export function (\w+)/gm, (_, name) => (names.push(name), `function ${name}`));
    if (/^export /m.test(body)) throw new Error(`${file}: only "export function" is converted`);
    fs.writeFileSync(file, `${body}\nmodule.exports = { ${names.join(", ")} };\n`);
  }'
cp npm/package.json npm/index.mjs npm/README.md pkg/
rm -f pkg/node/.gitignore pkg/web/.gitignore
echo '{"type": "commonjs"}' > pkg/node/package.json
echo '{"type": "module"}' > pkg/web/package.json
RAW=$(stat -c %s pkg/web/siren_engine_bg.wasm)
GZ=$(gzip -9 -c pkg/web/siren_engine_bg.wasm | wc -c)
echo "siren_engine_bg.wasm: $RAW bytes raw, $GZ bytes gzipped"
sha256sum "$WASM" crates/siren-wasm/siren_engine.d.ts npm/* crates/siren-wasm/js/* scripts/build.sh | sha256sum > "$STAMP"
