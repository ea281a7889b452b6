// Every string the WordPress screens translate is in the plugin's template
// (wordpress/siren-engine/languages/siren-engine.pot, made by scripts/make-pot.sh), with the
// plugin's text domain written out at each call, as WordPress's string extraction needs it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";

const root = new URL("../../", import.meta.url);
const read = (path) => readFileSync(new URL(path, root), "utf8");
const pot = read("wordpress/siren-engine/languages/siren-engine.pot");
const unquote = (s) => JSON.parse(s);
// A msgid may go on over several quoted lines.
const msgids = new Set([...pot.matchAll(/^msgid ((?:".*"\n)+)/gm)].map((m) => m[1].trim().split("\n").map(unquote).join("")));

// Every module of www/ that translates (imports i18n.mjs), as scripts/make-pot.sh reads them.
const translating = readdirSync(new URL("www/", root)).filter((f) => f.endsWith(".mjs") && read(`www/${f}`).includes('from "./i18n.mjs"')).map((f) => `www/${f}`);
test("the modules that translate are the screens' and their shared views", () => assert.deepEqual(translating.sort(), ["www/config-form.mjs", "www/diagnostics.mjs", "www/views.mjs", "www/wordpress.mjs"]));

for (const file of translating) {
  test(`${file}: its translated strings are in the template, each with the text domain`, () => {
    const text = read(file);
    const calls = [...text.matchAll(/\b(__|_n|_x)\(\s*("(?:[^"\\]|\\.)*")/g)];
    assert.ok(calls.length > 5, "no translated strings found");
    for (const [, , literal] of calls) assert.ok(msgids.has(unquote(literal)), `${literal} is not in siren-engine.pot: run scripts/make-pot.sh`);
    // The domain: the argument after the string literal(s) (and, for `_n`, the count).
    const str = `"(?:[^"\\\\]|\\\\.)*"`;
    const forms = [new RegExp(`\\b__\\(\\s*${str}\\s*,\\s*([^)]*)\\)`, "g"), new RegExp(`\\b_x\\(\\s*${str}\\s*,\\s*${str}\\s*,\\s*([^)]*)\\)`, "g"), new RegExp(`\\b_n\\(\\s*${str}\\s*,\\s*${str}\\s*,\\s*[^,]+,\\s*([^)]*)\\)`, "g")];
    let seen = 0;
    for (const form of forms) {
      for (const [call, domain] of text.matchAll(form)) {
        seen++;
        assert.equal(domain.trim(), '"siren-engine"', `${call.slice(0, 80)}: the text domain is not written out`);
      }
    }
    assert.equal(seen, calls.length, "a translation call the checks do not read");
  });
}

test("the PHP screens' strings are in the template too", () => {
  const php = read("wordpress/siren-engine/includes/class-siren-engine-admin.php");
  for (const [, literal] of php.matchAll(/\b(?:__|esc_html__|esc_attr__)\(\s*'((?:[^'\\]|\\.)*)'\s*,\s*'siren-engine'/g)) assert.ok(msgids.has(literal.replace(/\\'/g, "'")), `'${literal}' is not in siren-engine.pot`);
});
