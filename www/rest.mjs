// The plugin's REST routes from the page and the worker: URLs that work with and without pretty
// permalinks (`rest_url()` gives `…/wp-json/siren-engine/v1/` or `…/?rest_route=/siren-engine/v1/`),
// the `wp_rest` nonce on every call, WordPress's error bodies turned into Errors with `code`, and
// the records route's JSON columns turned into the typed arrays an Engine loads.

/** A route's URL under `base`, with query parameters. */
export function restUrl(base, path, params = {}) {
  const url = new URL(base, globalThis.location?.href);
  if (url.searchParams.has("rest_route")) url.searchParams.set("rest_route", url.searchParams.get("rest_route") + path);
  else url.pathname += path;
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
  return url.href;
}

/** Calls a route; resolves with its JSON, rejects with `{message, code, data}` from WordPress. */
export async function rest(settings, path, { method = "GET", body, params } = {}) {
  const headers = { "X-WP-Nonce": settings.nonce };
  if (body !== undefined && !(body instanceof FormData)) headers["Content-Type"] = "application/json";
  const response = await fetch(restUrl(settings.restUrl, path, params), {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // an HTML error page (a PHP fatal error, a proxy): reported below with the status
  }
  if (!response.ok) throw Object.assign(new Error(json?.message ?? `HTTP ${response.status}`), { code: json?.code ?? "http", data: json?.data, status: response.status });
  if (json === null && text) throw Object.assign(new Error(`The site answered without JSON (HTTP ${response.status}).`), { code: "http" });
  return json;
}

/** A JSON array with `null` for NaN as a Float64Array. */
function f64(values) {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] === null ? NaN : values[i];
  return out;
}

/** The records route's event columns (plain JSON arrays) as the Engine's typed columns. */
export function eventColumns(c) {
  const columns = {
    collaboratorIndex: Uint32Array.from(c.collaboratorIndex),
    typeIndex: Uint16Array.from(c.typeIndex),
    occurredAtMs: f64(c.occurredAtMs),
    collaboratorIds: c.collaboratorIds,
    typeNames: c.typeNames,
  };
  if (c.points) columns.points = f64(c.points);
  if (c.eventIds) columns.eventIds = c.eventIds;
  return columns;
}

const TRANSACTION_TYPED = {
  occurredAtMs: f64, total: f64, lineAmount: f64, refundOccurredAtMs: f64, refundAmount: f64,
  statusIndex: (a) => Uint8Array.from(a), lineTypeIndex: (a) => Uint8Array.from(a),
  lineTransactionIndex: (a) => Uint32Array.from(a), lineQuantity: (a) => Uint32Array.from(a), refundTransactionIndex: (a) => Uint32Array.from(a),
};

/** The records route's transaction columns as the Engine's typed columns (other members as they are). */
export function transactionColumns(c) {
  const columns = {};
  for (const [k, v] of Object.entries(c)) columns[k] = TRANSACTION_TYPED[k] && Array.isArray(v) ? TRANSACTION_TYPED[k](v) : v;
  return columns;
}
