// The plugin's REST routes from the page and the worker: URLs that work with and without pretty
// permalinks (`rest_url()` gives `…/wp-json/siren-engine/v1/` or `…/?rest_route=/siren-engine/v1/`),
// the `wp_rest` nonce on every call, and WordPress's error bodies turned into Errors with `code`.

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
