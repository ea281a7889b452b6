// The distributor configuration as a form, one version at a time, shared by the standalone editor
// and the WordPress editor screen: engagement types and their points, the revenue percentage, the
// transaction compilers and the line item filters. The form edits the configuration through
// config-model.mjs (fields it does not know are kept) and hands every change to `onChange`; the
// caller keeps the JSON and the form in step by calling `show` when the JSON changes.

import { COMPILERS, LINE_TYPES, versionsOf, formValues, applyForm, replaceVersion } from "./config-model.mjs";
import { __, sprintf } from "./i18n.mjs";
import { esc } from "./views.mjs";

/**
 * Renders the form into `root` and returns `{show(config), get versionIndex}`.
 * `onChange(config)`: the configuration after an edit. `newVersionFrom()`: the `effectiveFrom` of
 * an added version. `terms`: the engine's names (compilers, line types) in the reader's words.
 */
export function configForm(root, { onChange, newVersionFrom = () => "", terms = {} }) {
  const word = (name) => esc(terms[name] ?? name);
  root.innerHTML =
    `<div class="row">` +
    `<label for="config-version">${esc(__("Version", "siren-engine"))}</label> <select id="config-version"></select> ` +
    `<button type="button" id="add-version" class="button">${esc(__("Add version", "siren-engine"))}</button> ` +
    `<label for="effective-from">${esc(__("Effective from", "siren-engine"))}</label> <input id="effective-from" size="26" placeholder="${esc(__("optional (ISO-8601 with offset)", "siren-engine"))}">` +
    `</div>` +
    `<fieldset><legend>${esc(__("Engagement types and points", "siren-engine"))}</legend>` +
    `<table class="types"><thead><tr><th scope="col">${esc(__("Type", "siren-engine"))}</th><th scope="col">${esc(__("Points", "siren-engine"))}</th><th scope="col"><span class="sr-only">${esc(__("Remove", "siren-engine"))}</span></th></tr></thead><tbody id="type-rows"></tbody></table>` +
    `<button type="button" id="add-type" class="button">${esc(__("Add a type", "siren-engine"))}</button></fieldset>` +
    `<div class="row"><label for="revenue-percentage">${esc(__("Revenue percentage", "siren-engine"))}</label> <input id="revenue-percentage" size="7" inputmode="decimal"> %</div>` +
    `<fieldset><legend>${esc(__("Transaction compilers", "siren-engine"))}</legend><div id="compilers" class="checks">` +
    COMPILERS.map((c) => `<label><input type="checkbox" value="${c}"> ${word(c)}</label>`).join("") +
    `</div></fieldset>` +
    `<fieldset><legend>${esc(__("Line item filters", "siren-engine"))}</legend>` +
    `<div id="with-types" class="checks" role="group" aria-label="${esc(__("Only these line types", "siren-engine"))}"><span class="group-label">${esc(__("Line types", "siren-engine"))}</span>` +
    LINE_TYPES.map((t) => `<label><input type="checkbox" value="${t}"> ${word(t)}</label>`).join("") +
    `</div><div class="row">` +
    `<label for="with-skus">${esc(__("SKUs", "siren-engine"))}</label><input id="with-skus" size="18" placeholder="${esc(__("any", "siren-engine"))}"> ` +
    `<label for="in-categories">${esc(__("Categories", "siren-engine"))}</label><input id="in-categories" size="18" placeholder="${esc(__("any", "siren-engine"))}"> ` +
    `<label for="collaborator-owned"><input type="checkbox" id="collaborator-owned"> ${esc(__("Collaborator-owned only", "siren-engine"))}</label>` +
    `</div></fieldset>`;
  const $ = (id) => root.querySelector(`#${id}`);
  let config = null;
  let versionIndex = 0;

  const typeRow = (type, points) => {
    const tr = document.createElement("tr");
    const n = $("type-rows").children.length + 1;
    tr.innerHTML =
      `<td><label class="sr-only" for="type-name-${n}">${esc(sprintf(__("Type %s", "siren-engine"), n))}</label><input id="type-name-${n}" class="type-name" size="18" value="${esc(type)}"></td>` +
      `<td><label class="sr-only" for="type-points-${n}">${esc(sprintf(__("Points for type %s", "siren-engine"), n))}</label><input id="type-points-${n}" class="type-points" size="5" inputmode="numeric" value="${esc(points)}"></td>` +
      `<td><button type="button" class="remove-type button-link" aria-label="${esc(sprintf(__("Remove type %s", "siren-engine"), n))}">${esc(__("Remove", "siren-engine"))}</button></td>`;
    tr.querySelector(".remove-type").addEventListener("click", () => {
      tr.remove();
      changed();
    });
    return tr;
  };

  const fill = () => {
    const versions = versionsOf(config);
    if (versionIndex >= versions.length) versionIndex = Math.max(0, versions.length - 1);
    const from = (v) => (v?.effectiveFrom ? sprintf(__(" — from %s", "siren-engine"), String(v.effectiveFrom).slice(0, 10)) : "");
    $("config-version").innerHTML = versions.map((v, i) => `<option value="${i}">${i + 1}${esc(from(v))}</option>`).join("");
    $("config-version").value = String(versionIndex);
    const values = formValues(versions[versionIndex]);
    $("effective-from").value = values.effectiveFrom;
    $("type-rows").innerHTML = "";
    for (const t of values.types) $("type-rows").append(typeRow(t.type, t.points));
    $("revenue-percentage").value = values.revenuePercentage;
    for (const box of root.querySelectorAll("#compilers input")) box.checked = values.compilers.includes(box.value);
    for (const box of root.querySelectorAll("#with-types input")) box.checked = values.withTypes.includes(box.value);
    $("with-skus").value = values.withSkus;
    $("in-categories").value = values.inCategories;
    $("collaborator-owned").checked = values.collaboratorOwned;
  };

  const read = () => ({
    effectiveFrom: $("effective-from").value,
    types: [...$("type-rows").children].map((tr) => ({ type: tr.querySelector(".type-name").value, points: tr.querySelector(".type-points").value })),
    revenuePercentage: $("revenue-percentage").value,
    compilers: [...root.querySelectorAll("#compilers input:checked")].map((b) => b.value),
    withTypes: [...root.querySelectorAll("#with-types input:checked")].map((b) => b.value),
    withSkus: $("with-skus").value,
    inCategories: $("in-categories").value,
    collaboratorOwned: $("collaborator-owned").checked,
  });

  function changed() {
    const base = config ?? {};
    const version = versionsOf(base)[versionIndex] ?? {};
    config = replaceVersion(base, versionIndex, applyForm(version, read()));
    onChange(config);
  }

  root.addEventListener("input", (e) => {
    if (e.target.id !== "config-version") changed();
  });
  $("config-version").addEventListener("change", () => {
    versionIndex = Number($("config-version").value);
    fill();
  });
  $("add-type").addEventListener("click", () => {
    const row = typeRow("", "1");
    $("type-rows").append(row);
    row.querySelector("input").focus();
  });
  $("add-version").addEventListener("click", () => {
    const versions = versionsOf(config);
    const last = versions[versions.length - 1] ?? { engagementTypes: {}, revenuePercentage: 5, transactionCompilers: ["lineItems"] };
    const copy = { ...structuredClone(last), effectiveFrom: newVersionFrom() || last.effectiveFrom || "2026-01-01T00:00:00Z" };
    versionIndex = versions.length;
    config = [...versions, copy];
    onChange(config);
    fill();
    $("effective-from").focus();
  });

  return {
    /** Shows `config` (the JSON changed elsewhere); `version`: which version to show. */
    show(next, version = versionIndex) {
      config = next;
      versionIndex = version;
      fill();
    },
    get versionIndex() {
      return versionIndex;
    },
  };
}
