#!/usr/bin/env bash
# Builds the WordPress plugin as it ships: target/wordpress/siren-engine/ (wordpress/siren-engine/*,
# with the screens' part of www/ and pkg/web/ side by side as in the repository, so the screens'
# imports of ../pkg/web/siren_engine.js work unchanged) and target/wordpress/siren-engine.zip (one
# top-level folder, siren-engine/). Of www/ it ships what the screens reach (wordpress.mjs and its
# imports, its stylesheets), not the standalone editor; the few repository modules they import from
# outside www/ come along at their own paths. Needs pkg/web/ from scripts/build.sh; builds nothing.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

OUT="$ROOT/target/wordpress"
DEST="$OUT/siren-engine"
ZIP="$OUT/siren-engine.zip"

for f in pkg/web/package.json pkg/web/siren_engine.js pkg/web/siren_engine_bg.wasm; do
  [ -f "$f" ] || { echo "error: $f is missing: run scripts/build.sh first" >&2; exit 1; }
done
[ -f wordpress/siren-engine/siren-engine.php ] ||
  { echo "error: wordpress/siren-engine/siren-engine.php is missing" >&2; exit 1; }
ensure_apt zip zip

# Rebuilt in place (not removed first): the test sites link to this folder.
mkdir -p "$DEST"
find "$DEST" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
cp -a wordpress/siren-engine/. "$DEST/"
mkdir -p "$DEST/www" "$DEST/pkg"
cp -a www/wordpress.css www/components.css "$DEST/www/"
cp -a pkg/web "$DEST/pkg/web"
# www/wordpress.mjs and every module it reaches through relative imports (the worker through its
# `new URL(...)`), copied at the same paths so the imports resolve: www's shared modules,
# ../lib/records.mjs, ../cli/format.mjs.
node --input-type=module - "$ROOT" "$DEST" <<'JS'
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
const [root, dest] = process.argv.slice(2);
const shipped = (file) => !relative(join(root, "pkg/web"), file).startsWith("..");
const seen = new Set();
const queue = [join(root, "www/wordpress.mjs")];
mkdirSync(join(dest, "www"), { recursive: true });
copyFileSync(queue[0], join(dest, "www/wordpress.mjs"));
const specifier = /(?:\bfrom\s*|\bimport\s*\(?\s*|new\s+URL\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g;
while (queue.length) {
  const file = queue.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  if (!/\.m?js$/.test(file)) continue;
  for (const [, spec] of readFileSync(file, "utf8").matchAll(specifier)) {
    const target = resolve(dirname(file), spec.split(/[?#]/)[0]);
    if (!existsSync(target)) {
      console.error(`error: ${relative(root, file)} imports ${spec}, which does not exist`);
      process.exit(1);
    }
    if (!shipped(target)) {
      const rel = relative(root, target);
      if (rel.startsWith("..")) { console.error(`error: ${relative(root, file)} imports ${spec}, outside the repository`); process.exit(1); }
      mkdirSync(dirname(join(dest, rel)), { recursive: true });
      copyFileSync(target, join(dest, rel));
      if (!rel.startsWith("www/")) console.log(`  + ${rel} (imported by ${relative(root, file)})`);
    }
    queue.push(target);
  }
}
JS

rm -f "$ZIP"
(cd "$OUT" && zip -q -r -X "$ZIP" siren-engine)
echo "target/wordpress/siren-engine/ and target/wordpress/siren-engine.zip ($(du -k "$ZIP" | cut -f1) KB)"
