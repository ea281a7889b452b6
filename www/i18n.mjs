// Translatable strings: in wp-admin, WordPress's `wp.i18n` (loaded as the script's dependency, with
// the plugin's translations from `wp_set_script_translations`); elsewhere (the standalone editor,
// Node tests) the English text itself. Calls keep the literal text and the text domain in place so
// WordPress's string extraction (`wp i18n make-pot`) finds them.

const wp = globalThis.wp?.i18n;

/** `__("Pool", "siren-engine")`: the text in the user's language. */
export const __ = wp ? wp.__ : (text) => text;
/** `_n("%d cycle", "%d cycles", n, "siren-engine")`: singular or plural by `n`. */
export const _n = wp ? wp._n : (single, plural, n) => (n === 1 ? single : plural);
/** `_x("Paused", "cycle status", "siren-engine")`: text with a context for translators. */
export const _x = wp ? wp._x : (text) => text;
/** `sprintf("%1$s of %2$s", a, b)`, as WordPress's: `%s`, `%d` and numbered `%1$s` placeholders. */
export const sprintf = wp
  ? wp.sprintf
  : (format, ...args) => {
      let next = 0;
      return format.replace(/%(?:(\d+)\$)?([sd%])/g, (m, position, kind) => {
        if (kind === "%") return "%";
        const value = args[position ? Number(position) - 1 : next++];
        return kind === "d" ? String(Math.trunc(Number(value))) : String(value);
      });
    };
