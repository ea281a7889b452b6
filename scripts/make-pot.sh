#!/usr/bin/env bash
# Regenerates the plugin's translation template, wordpress/siren-engine/languages/siren-engine.pot,
# from its PHP and from the screens' JavaScript in www/ (every module importing i18n.mjs: the strings of `__`, `_n`, `_x` with the
# `siren-engine` text domain). tests/js/translations.test.mjs checks the template is current.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_apt xgettext gettext
cd "$ROOT"
POT=wordpress/siren-engine/languages/siren-engine.pot
KEYWORDS=(--keyword=__:1 --keyword=_e:1 --keyword=_n:1,2 --keyword=_x:1,2c --keyword=esc_html__:1 --keyword=esc_attr__:1 --keyword=esc_html_e:1 --keyword=esc_attr_e:1)
php_pot="$(mktemp)"; js_pot="$(mktemp)"
trap 'rm -f "$php_pot" "$js_pot"' EXIT
(cd wordpress/siren-engine && xgettext --language=PHP --from-code=UTF-8 "${KEYWORDS[@]}" --add-comments=translators \
  --package-name="Siren Engine" --package-version=0.1.0 -o "$php_pot" siren-engine.php includes/*.php)
xgettext --language=JavaScript --from-code=UTF-8 "${KEYWORDS[@]}" --add-comments=translators --package-name="Siren Engine" -o "$js_pot" $(grep -l 'from "./i18n.mjs"' www/*.mjs)
sed -i "s/charset=CHARSET/charset=UTF-8/" "$php_pot" "$js_pot"
msgcat --use-first -o "$POT" "$php_pot" "$js_pot"
sed -i '/^"POT-Creation-Date:/d' "$POT" # no date: the file changes only when the strings do
echo "$POT: $(grep -c '^msgid "' "$POT") strings"
