// The two WordPress sites of tests/wordpress/sites.sh, as the plugin's tests see them: their
// addresses and versions, the users' credentials, and helpers to log in with Chromium (driven by
// playwright-core, launched as every browser suite launches it) and to call the REST API.
import { before, after } from "node:test";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "../browser/chromium.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const TARGET = join(ROOT, "target/wordpress");

/** `{id, version, base, debugLog}` for each site; `base` has no trailing slash. */
export const SITES = [
  { id: "wp61", version: "6.1.9", base: "http://127.0.0.1:8061" },
  { id: "wp65", version: "6.5.5", base: "http://127.0.0.1:8065" },
].map((s) => ({ ...s, debugLog: join(TARGET, "logs", `debug-${s.id}.log`) }));

const credentialsFile = join(TARGET, "credentials.json");
if (!existsSync(credentialsFile)) {
  throw new Error(`${credentialsFile} is missing: run tests/wordpress/sites.sh setup (or tests/wordpress/run.sh)`);
}
const credentials = JSON.parse(readFileSync(credentialsFile, "utf8"));
/** `{admin: {user, password}, subscriber: {user, password}}`, the same on both sites. */
export const USERS = { admin: credentials.admin, subscriber: credentials.subscriber };

export const NAMESPACE = "siren-engine/v1";
export const SCREENS = {
  "siren-engine": "preview",
  "siren-engine-simulation": "simulation",
  "siren-engine-editor": "editor",
  "siren-engine-data": "data",
};

/** The plugin's folder and zip, built by scripts/package-plugin.sh. */
export const PLUGIN_DIR = join(TARGET, "siren-engine");
export const PLUGIN_ZIP = join(TARGET, "siren-engine.zip");

/**
 * Chromium as tests/browser/chromium.mjs starts it: headless, a fresh profile, and every request
 * not to 127.0.0.1 aborted (and recorded in `problems`). `{page, context, problems, close}`.
 */
export async function launchChromium(options) {
  return launch(options);
}

/** One Chromium for a test file's tests: launched before them and closed after them; `page` is its page. */
export function sharedChromium() {
  let launched;
  before(async () => {
    launched = await launchChromium();
  });
  after(async () => {
    await launched?.close();
  });
  return {
    get page() {
      return launched.page;
    },
  };
}

/** Logs `user` ("admin" or "subscriber") in on `site` through wp-login.php's form. */
export async function login(page, site, user = "admin") {
  const { user: name, password } = USERS[user];
  // WordPress's own login form, not the plugin: tried twice, since on a loaded 2-core machine a
  // `php -S` worker has once let the form's POST hang.
  for (let attempt = 1; ; attempt++) {
    await page.goto(`${site.base}/wp-login.php`);
    await page.fill("#user_login", name);
    await page.fill("#user_pass", password);
    try {
      await Promise.all([page.waitForURL(/\/wp-admin\//, { timeout: 30_000 }), page.click("#wp-submit")]);
      return;
    } catch (e) {
      if (attempt === 2) throw e;
    }
  }
}

/** An admin page's address: `adminUrl(site, "admin.php?page=siren-engine")`. */
export function adminUrl(site, path = "") {
  return `${site.base}/wp-admin/${path}`;
}

/**
 * The address of a REST route without relying on rewrite rules (the sites use plain permalinks):
 * `restUrl(site, "/siren-engine/v1/records", {from, to})`.
 */
export function restUrl(site, route, params = {}) {
  const url = new URL(`${site.base}/`);
  url.searchParams.set("rest_route", route);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
  return url.href;
}

/** The `data-settings` JSON of `#siren-engine-root` on the plugin screen the page shows. */
export async function screenSettings(page) {
  const text = await page.locator("#siren-engine-root").getAttribute("data-settings");
  return JSON.parse(text);
}

/**
 * A `wp_rest` nonce for the user logged in on `page` at `site`: from the plugin screen's
 * `data-settings` or `wpApiSettings` when the page shows them, else from WordPress's own
 * `admin-ajax.php?action=rest-nonce` (any logged-in user, so subscribers too).
 */
export async function restNonce(page, site) {
  const fromPage = await page
    .evaluate(() => {
      const root = document.querySelector("#siren-engine-root");
      if (root?.dataset.settings) return JSON.parse(root.dataset.settings).nonce ?? null;
      return globalThis.wpApiSettings?.nonce ?? null;
    })
    .catch(() => null);
  if (fromPage && (!site || page.url().startsWith(site.base))) return fromPage;
  if (!site) throw new Error("restNonce: no nonce on the page; pass the site");
  const response = await page.request.get(`${site.base}/wp-admin/admin-ajax.php?action=rest-nonce`);
  const text = (await response.text()).trim();
  if (!response.ok() || !/^[0-9a-f]{10}$/.test(text)) throw new Error(`no REST nonce from ${site.id}: ${response.status()} ${text.slice(0, 200)}`);
  return text;
}

/**
 * Calls a REST route. With `page`, as the user logged in there (its cookies, and `nonce` in
 * X-WP-Nonce unless `nonce: null`); without, anonymously. `body` is sent as JSON, `multipart` as
 * form data (`{field: {name, mimeType, buffer}}`). Returns `{status, headers, body, text}`
 * (`body` parsed when JSON).
 */
export async function restFetch(site, route, { page = null, method = "GET", params = {}, nonce, body, multipart, headers = {} } = {}) {
  const url = restUrl(site, route, params);
  const h = { ...headers };
  if (page && nonce !== null) h["X-WP-Nonce"] = nonce ?? (await restNonce(page, site));
  let status, text, responseHeaders;
  if (page) {
    const options = { method, headers: h, failOnStatusCode: false, timeout: 300_000 };
    if (body !== undefined) {
      options.data = JSON.stringify(body);
      h["Content-Type"] = "application/json";
    }
    if (multipart) options.multipart = multipart;
    const r = await page.request.fetch(url, options);
    status = r.status();
    text = await r.text();
    responseHeaders = r.headers();
  } else {
    const init = { method, headers: h };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      h["Content-Type"] = "application/json";
    }
    if (multipart) {
      const form = new FormData();
      for (const [k, v] of Object.entries(multipart)) form.append(k, new Blob([v.buffer], { type: v.mimeType }), v.name);
      init.body = form;
    }
    const r = await fetch(url, init);
    status = r.status;
    text = await r.text();
    responseHeaders = Object.fromEntries(r.headers);
  }
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status, headers: responseHeaders, body: parsed, text };
}

/** A file for `multipart`: `csvFile("events.csv", text)`. */
export function file(name, content, mimeType = "text/csv") {
  return { name, mimeType, buffer: Buffer.isBuffer(content) ? content : Buffer.from(content) };
}

/**
 * The lines of a site's WordPress debug log that mention the plugin: its folder, its name or its
 * hooks (sites.sh empties the log at setup). The repository's own path is taken out first, in case
 * the checkout itself is called siren-engine.
 */
export function pluginLogLines(site) {
  if (!existsSync(site.debugLog)) return [];
  return readFileSync(site.debugLog, "utf8")
    .split("\n")
    .filter((line) => /siren[-_]engine/i.test(line.split(ROOT).join("<repo>")));
}
