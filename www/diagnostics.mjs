// A validation report in a JSON editor: each diagnostic listed with its line and column (a button
// that selects the text), its code and JSON Pointer, and marked in the editor. Shared by the
// standalone editor and the WordPress screens.

import { scanJson, locatePointer } from "./json-locate.mjs";
import { __, _n, sprintf } from "./i18n.mjs";
import { esc } from "./views.mjs";

/** Lists `report`'s errors and warnings for `editor` in `list`, and sums them up in `status`. */
export function showDiagnostics(editor, list, status, report, what) {
  const text = editor.textarea.value;
  const scan = scanJson(text);
  const all = [...report.errors, ...report.warnings];
  const marks = [];
  list.innerHTML = "";
  for (const d of all) {
    const at = locatePointer(text, d.path, scan);
    marks.push({ start: at.start, end: at.end, severity: d.severity });
    const li = document.createElement("li");
    li.className = d.severity;
    li.dataset.code = d.code;
    li.dataset.path = d.path;
    li.dataset.line = at.line;
    li.dataset.column = at.column;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "locate";
    button.textContent = `${at.line}:${at.column}`;
    button.setAttribute("aria-label", sprintf(__("Go to line %1$s, column %2$s", "siren-engine"), at.line, at.column));
    button.addEventListener("click", () => editor.select(at.start, at.end));
    li.append(button);
    li.insertAdjacentHTML(
      "beforeend",
      ` <span class="severity">${esc(d.severity)}</span> <code class="code">${esc(d.code)}</code> <code class="path">${esc(d.path || "(document)")}</code><span class="message">${esc(d.message)}</span>` +
        (!scan.ok && d.code === "input.notJson" ? `<span class="message">${esc(sprintf(__("At line %1$s, column %2$s: %3$s.", "siren-engine"), at.line, at.column, scan.error.message))}</span>` : ""),
    );
    list.append(li);
  }
  editor.setMarks(marks);
  const e = report.errors.length;
  const w = report.warnings.length;
  const counts = `${sprintf(_n("%s error", "%s errors", e, "siren-engine"), e)}, ${sprintf(_n("%s warning", "%s warnings", w, "siren-engine"), w)}`;
  status.className = `validation ${e ? "invalid" : "valid"}`;
  status.textContent = sprintf(e ? __("%1$s has problems: %2$s.", "siren-engine") : __("%1$s is valid: %2$s.", "siren-engine"), what, counts);
}
