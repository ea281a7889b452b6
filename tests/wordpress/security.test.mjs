// Who may use the plugin, on both sites (tests/wordpress/sites.sh): every REST route of
// docs/wordpress.md refuses anonymous callers (401), subscribers (403) and a bad nonce (403), and
// every screen refuses subscribers and shows the root element to administrators. Also: the plugin is
// active, the packaged zip holds what ships, and the debug logs have nothing of the plugin's.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  NAMESPACE,
  PLUGIN_ZIP,
  ROOT,
  SCREENS,
  SITES,
  adminUrl,
  launchChromium,
  login,
  pluginLogLines,
  restFetch,
  restNonce,
  screenSettings,
} from "./site.mjs";

const DISTRIBUTOR = {
  name: "Security test distributor",
  recipe: JSON.parse(readFileSync(join(ROOT, "samples/recipes/bi-weekly-commission.json"), "utf8")),
  distributorKey: "security-test",
  config: JSON.parse(readFileSync(join(ROOT, "samples/year/config.json"), "utf8")),
  timeZone: "America/New_York",
};
const MARCH = { from: Date.UTC(2026, 2, 1, 5), to: Date.UTC(2026, 3, 1, 4) - 1 };

/** Every route of the contract, as [method, route, options]; `id` is a saved distributor's. */
function routes(id) {
  const r = (route) => `/${NAMESPACE}${route}`;
  return [
    ["GET", r("/status"), {}],
    ["GET", r("/records"), { params: MARCH }],
    ["POST", r("/import"), {}],
    ["GET", r("/distributors"), {}],
    ["POST", r("/distributors"), { body: DISTRIBUTOR }],
    ["PUT", r(`/distributors/${id}`), { body: { ...DISTRIBUTOR, name: "Replaced" } }],
    ["DELETE", r(`/distributors/${id}`), {}],
  ];
}

let admin, subscriber;
before(async () => {
  [admin, subscriber] = await Promise.all([launchChromium(), launchChromium()]);
});
after(async () => {
  await Promise.all([admin?.close(), subscriber?.close()]);
});

test("the packaged zip holds the plugin, its screens and the engine", () => {
  const entries = new Set(execFileSync("unzip", ["-Z1", PLUGIN_ZIP], { encoding: "utf8" }).split("\n"));
  for (const path of [
    "siren-engine/siren-engine.php",
    "siren-engine/readme.txt",
    "siren-engine/uninstall.php",
    "siren-engine/www/wordpress.mjs",
    "siren-engine/pkg/web/siren_engine.js",
    "siren-engine/pkg/web/siren_engine_bg.wasm",
    "siren-engine/pkg/web/package.json",
  ]) {
    assert.ok(entries.has(path), `${path} is in ${PLUGIN_ZIP}`);
  }
  const top = new Set([...entries].filter(Boolean).map((e) => e.split("/")[0]));
  assert.deepEqual([...top], ["siren-engine"], "one top-level folder");
});

for (const site of SITES) {
  describe(`WordPress ${site.version} (${site.base})`, () => {
    let adminNonce, subscriberNonce, created, id;

    before(async () => {
      await login(admin.page, site, "admin");
      await login(subscriber.page, site, "subscriber");
      adminNonce = await restNonce(admin.page, site);
      subscriberNonce = await restNonce(subscriber.page, site);
      // A saved distributor, so PUT and DELETE address one that exists (else a made-up id).
      created = await restFetch(site, `/${NAMESPACE}/distributors`, { page: admin.page, nonce: adminNonce, method: "POST", body: DISTRIBUTOR });
      id = created.body?.id ?? 1;
    });

    after(async () => {
      if (created.body?.id !== undefined) await restFetch(site, `/${NAMESPACE}/distributors/${id}`, { page: admin.page, nonce: adminNonce, method: "DELETE" });
    });

    test("an administrator saves a distributor (POST /distributors), used by the tests below", () => {
      assert.ok(created.status >= 200 && created.status < 300, `${created.status} ${created.text.slice(0, 300)}`);
      assert.ok(created.body.id !== undefined && created.body.id !== null && created.body.id !== "", `an id: ${created.text.slice(0, 300)}`);
      assert.equal(created.body.name, DISTRIBUTOR.name);
      assert.equal(created.body.source, "saved");
    });

    test("the plugin is active (GET /wp/v2/plugins as admin)", async () => {
      const r = await restFetch(site, "/wp/v2/plugins", { page: admin.page, nonce: adminNonce });
      assert.equal(r.status, 200, r.text.slice(0, 300));
      const entry = r.body.find((p) => p.plugin === "siren-engine/siren-engine");
      assert.ok(entry, `siren-engine/siren-engine among ${r.body.map((p) => p.plugin).join(", ")}`);
      assert.equal(entry.status, "active");
      assert.equal(entry.requires_wp, "6.1");
      assert.equal(entry.requires_php, "8.2");
      assert.equal(entry.textdomain, "siren-engine");
    });

    test("an administrator with the nonce gets 200 from GET /status", async () => {
      const r = await restFetch(site, `/${NAMESPACE}/status`, { page: admin.page, nonce: adminNonce });
      assert.equal(r.status, 200, r.text.slice(0, 300));
      assert.ok(["filter", "siren", "tables"].includes(r.body.source), r.text.slice(0, 300));
    });

    test("every route: anonymous → 401", async () => {
      for (const [method, route, options] of routes(id)) {
        const r = await restFetch(site, route, { method, ...options });
        assert.equal(r.status, 401, `${method} ${route}: ${r.text.slice(0, 300)}`);
        assert.equal(typeof r.body?.code, "string", `${method} ${route} answers a WP_Error`);
      }
    });

    test("every route: administrator's cookie without a nonce → 401 (cookies alone authenticate no one)", async () => {
      for (const [method, route, options] of routes(id)) {
        const r = await restFetch(site, route, { page: admin.page, nonce: null, method, ...options });
        assert.equal(r.status, 401, `${method} ${route}: ${r.text.slice(0, 300)}`);
      }
    });

    test("every route: subscriber (cookie and a valid nonce) → 403", async () => {
      for (const [method, route, options] of routes(id)) {
        const r = await restFetch(site, route, { page: subscriber.page, nonce: subscriberNonce, method, ...options });
        assert.equal(r.status, 403, `${method} ${route}: ${r.text.slice(0, 300)}`);
        assert.notEqual(r.body?.code, "rest_cookie_invalid_nonce", `${method} ${route}: the nonce was valid`);
      }
    });

    test("every route: administrator with a bad nonce → 403 rest_cookie_invalid_nonce", async () => {
      for (const [method, route, options] of routes(id)) {
        const r = await restFetch(site, route, { page: admin.page, nonce: "0123456789", method, ...options });
        assert.equal(r.status, 403, `${method} ${route}: ${r.text.slice(0, 300)}`);
        assert.equal(r.body?.code, "rest_cookie_invalid_nonce", `${method} ${route}`);
      }
    });

    test("every screen: subscriber is refused", async () => {
      for (const slug of Object.keys(SCREENS)) {
        const response = await subscriber.page.goto(adminUrl(site, `admin.php?page=${slug}`), { waitUntil: "domcontentloaded" });
        assert.equal(response.status(), 403, `${slug} as subscriber`);
        assert.match(await subscriber.page.content(), /Sorry, you are not allowed to access this page\./, slug);
        assert.equal(await subscriber.page.locator("#siren-engine-root").count(), 0, slug);
      }
    });

    test("every screen: administrator gets 200 and #siren-engine-root with its settings", async () => {
      for (const [slug, screen] of Object.entries(SCREENS)) {
        const response = await admin.page.goto(adminUrl(site, `admin.php?page=${slug}`), { waitUntil: "domcontentloaded" });
        assert.equal(response.status(), 200, `${slug} as admin`);
        // The test site's mu-plugin sends the policy the screens must live with (sites.sh).
        assert.match(response.headers()["content-security-policy"] ?? "", /'wasm-unsafe-eval'/, `${slug}: the test site's CSP`);
        const root = admin.page.locator("#siren-engine-root");
        assert.equal(await root.count(), 1, slug);
        assert.equal(await root.getAttribute("data-screen"), screen, slug);
        const settings = await screenSettings(admin.page);
        for (const key of ["restUrl", "nonce", "timeZone", "dateFormat", "timeFormat", "startOfWeek", "locale", "zones", "adminUrl", "version"]) {
          assert.ok(key in settings, `${slug}: data-settings.${key}`);
        }
        assert.equal(settings.timeZone, "America/New_York", slug);
        assert.ok(!settings.restUrl.includes("/wp-json/"), `${slug}: restUrl from rest_url() (${settings.restUrl}), the site has no rewrite rules`);
        // The screen's nonce works for the REST API.
        const r = await restFetch(site, `/${NAMESPACE}/status`, { page: admin.page, nonce: settings.nonce });
        assert.equal(r.status, 200, `${slug}: the nonce of data-settings`);
        // The module script is the plugin's, loaded as a module.
        const moduleSrc = await admin.page.locator('script[type="module"][src*="siren-engine"]').getAttribute("src");
        assert.match(moduleSrc, /\/www\/wordpress\.mjs/, slug);
      }
    });
  });
}

test("the WordPress debug logs have no line about the plugin", () => {
  for (const site of SITES) {
    assert.deepEqual(pluginLogLines(site), [], site.debugLog);
  }
});
