// The distributor configuration form's model (pure, no DOM): a configuration is one version or a
// list of versions with `effectiveFrom` (ENGINE.md §3); the form edits one version at a time and
// writes it back, keeping the fields it does not know untouched.

export const COMPILERS = ["lineItems", "discounts", "fees", "shipping", "taxes"];
export const LINE_TYPES = ["product", "subscription", "fee", "discount", "shipping", "tax"];

/** The versions of a configuration: `[config]` for a single object. */
export const versionsOf = (config) => (Array.isArray(config) ? config : config && typeof config === "object" ? [config] : []);

/** Engagement types as `[[type, points]]`, from the `{type: value}` or `[{type, value}]` form. */
export function typeRows(version) {
  const types = version?.engagementTypes;
  if (Array.isArray(types)) return types.map((t) => [String(t?.type ?? ""), t?.value ?? ""]);
  if (types && typeof types === "object") return Object.entries(types);
  return [];
}

/** The form's values for a version. Lists are shown comma-separated. */
export function formValues(version) {
  const filters = version?.lineItemFilters ?? {};
  return {
    effectiveFrom: version?.effectiveFrom ?? "",
    types: typeRows(version).map(([type, points]) => ({ type, points: String(points) })),
    revenuePercentage: version?.revenuePercentage === undefined ? "" : String(version.revenuePercentage),
    compilers: Array.isArray(version?.transactionCompilers) ? version.transactionCompilers.map(String) : [],
    withTypes: Array.isArray(filters.withTypes) ? filters.withTypes.map(String) : [],
    withSkus: Array.isArray(filters.withSkus) ? filters.withSkus.join(", ") : "",
    inCategories: Array.isArray(filters.inCategories) ? filters.inCategories.join(", ") : "",
    collaboratorOwned: filters.collaboratorOwned === true,
  };
}

/** "12.5" → 12.5 when the number reads back as the same text; otherwise the text (the engine judges it). */
export function numberOrText(text) {
  const t = String(text).trim();
  return /^-?\d+(\.\d+)?$/.test(t) && String(Number(t)) === t ? Number(t) : t;
}

const list = (text) => String(text).split(",").map((s) => s.trim()).filter(Boolean);

/** A version updated from the form's values; unknown fields of `version` are kept. */
export function applyForm(version, values) {
  const next = { ...(version ?? {}) };
  if (values.effectiveFrom.trim() !== "") next.effectiveFrom = values.effectiveFrom.trim();
  else delete next.effectiveFrom;
  const rows = values.types.filter((r) => r.type.trim() !== "");
  if (Array.isArray(version?.engagementTypes)) {
    next.engagementTypes = rows.map((r) => ({ type: r.type.trim(), value: numberOrText(r.points) }));
  } else {
    next.engagementTypes = Object.fromEntries(rows.map((r) => [r.type.trim(), numberOrText(r.points)]));
  }
  if (values.revenuePercentage.trim() !== "") {
    // Keep a string a string (Siren's REST sends "12.5"); a number stays a number.
    next.revenuePercentage = typeof version?.revenuePercentage === "string" ? values.revenuePercentage.trim() : numberOrText(values.revenuePercentage);
  } else delete next.revenuePercentage;
  next.transactionCompilers = COMPILERS.filter((c) => values.compilers.includes(c)).concat(values.compilers.filter((c) => !COMPILERS.includes(c)));
  const filters = { ...(version?.lineItemFilters ?? {}) };
  const set = (key, value, keep) => (keep ? (filters[key] = value) : delete filters[key]);
  set("withTypes", LINE_TYPES.filter((t) => values.withTypes.includes(t)), values.withTypes.length > 0);
  set("withSkus", list(values.withSkus), list(values.withSkus).length > 0);
  set("inCategories", list(values.inCategories), list(values.inCategories).length > 0);
  set("collaboratorOwned", true, values.collaboratorOwned);
  if (Object.keys(filters).length) next.lineItemFilters = filters;
  else delete next.lineItemFilters;
  return next;
}

/** The configuration with version `index` replaced. */
export function replaceVersion(config, index, version) {
  if (!Array.isArray(config)) return version;
  return config.map((v, i) => (i === index ? version : v));
}

/** The configuration with other points for some engagement types (`{type: points}`) in every version. */
export function withPoints(config, points) {
  const change = (version) => {
    const types = version?.engagementTypes;
    if (Array.isArray(types)) return { ...version, engagementTypes: types.map((t) => (t && Object.hasOwn(points, t.type) ? { ...t, value: points[t.type] } : t)) };
    if (types && typeof types === "object") return { ...version, engagementTypes: { ...types, ...Object.fromEntries(Object.entries(points).filter(([t]) => Object.hasOwn(types, t))) } };
    return version;
  };
  return Array.isArray(config) ? config.map(change) : change(config);
}
