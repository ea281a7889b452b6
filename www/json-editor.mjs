// A JSON textarea with a line-number gutter and a marking layer: the textarea stays a plain,
// accessible form control (typing, undo, selection are the browser's), and a <pre> behind it
// repeats the text with <mark> around the ranges of diagnostics. Scroll positions are kept in step.

const esc = (s) => s.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]);

export function jsonEditor(textarea) {
  const wrap = document.createElement("div");
  wrap.className = "editor";
  const gutter = document.createElement("div");
  gutter.className = "gutter";
  gutter.setAttribute("aria-hidden", "true");
  const code = document.createElement("div");
  code.className = "code";
  const layer = document.createElement("pre");
  layer.className = "marks";
  layer.setAttribute("aria-hidden", "true");
  textarea.replaceWith(wrap);
  wrap.append(gutter, code);
  code.append(layer, textarea);
  textarea.wrap = "off";
  textarea.spellcheck = false;
  textarea.autocapitalize = "off";
  textarea.setAttribute("autocomplete", "off");

  let marks = [];
  const sync = () => {
    layer.scrollTop = textarea.scrollTop;
    layer.scrollLeft = textarea.scrollLeft;
    gutter.scrollTop = textarea.scrollTop;
  };
  const render = () => {
    const text = textarea.value;
    const sorted = [...marks].filter((m) => m.start <= text.length).sort((a, b) => a.start - b.start || b.end - a.end);
    let html = "";
    let at = 0;
    const lineMarks = new Map();
    for (const m of sorted) {
      if (m.start < at) continue; // overlapping marks: the first wins
      const end = Math.max(m.end, m.start + 1);
      html += esc(text.slice(at, m.start));
      const inner = text.slice(m.start, Math.min(end, text.length));
      html += `<mark class="${m.severity}">${esc(inner === "" || inner === "\n" ? " " + inner : inner)}</mark>`;
      at = Math.min(end, text.length);
      if (at === m.start) at = m.start;
      const line = text.slice(0, m.start).split("\n").length;
      if (lineMarks.get(line) !== "error") lineMarks.set(line, m.severity);
    }
    html += esc(text.slice(at)) + "\n";
    layer.innerHTML = html;
    const lines = text.split("\n").length;
    let g = "";
    for (let n = 1; n <= lines; n++) {
      const s = lineMarks.get(n);
      g += `<div class="${s ? `line-${s}` : ""}" data-line="${n}">${n}</div>`;
    }
    gutter.innerHTML = g + "<div>&nbsp;</div>";
    sync();
  };
  textarea.addEventListener("scroll", sync);
  textarea.addEventListener("input", render);
  render();
  return {
    textarea,
    element: wrap,
    /** `[{start, end, severity: "error" | "warning"}]` */
    setMarks(next) {
      marks = next;
      render();
    },
    setText(text) {
      textarea.value = text;
      render();
    },
    /** Selects `[start, end)` and scrolls it into view. */
    select(start, end) {
      textarea.focus();
      textarea.setSelectionRange(start, end);
      const line = textarea.value.slice(0, start).split("\n").length;
      const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 18;
      const top = (line - 1) * lineHeight;
      if (top < textarea.scrollTop || top > textarea.scrollTop + textarea.clientHeight - 2 * lineHeight) {
        textarea.scrollTop = Math.max(0, top - textarea.clientHeight / 3);
      }
      sync();
    },
  };
}
