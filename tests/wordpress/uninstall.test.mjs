// Deleting the plugin, on both sites (tests/wordpress/sites.sh), as WordPress deletes it: with records
// imported and a distributor saved (through the REST API, as an administrator), WordPress's own
// deactivate_plugins() and then, in a fresh PHP process where the plugin is no longer loaded,
// uninstall_plugin() (which runs the plugin's uninstall.php). Afterwards its five tables and its two
// options are gone, no other table or option was touched, and the plugin's files (a symlink on these
// sites) are still there. Then activate_plugin() brings the tables back, empty, and the REST API answers
// again, so the sites are left usable. This file runs last (node --test sorts the files by name): it
// empties the data the other files use.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { NAMESPACE, PLUGIN_DIR, ROOT, SITES, TARGET, file, login, pluginLogLines, restFetch, restNonce, sharedChromium } from "./site.mjs";

const PLUGIN_FILE = "siren-engine/siren-engine.php";
const KINDS = ["events", "transactions", "lines", "refunds", "collaborators"];
const OPTIONS = ["siren_engine_distributors", "siren_engine_db_version"];
/** Options WordPress itself writes when it deactivates, uninstalls or activates a plugin, or on load. */
const WORDPRESS_OPTIONS = new Set(["active_plugins", "recently_activated", "uninstall_plugins", "cron"]);
const isTransient = (name) => /^_(site_)?transient_/.test(name);

const DISTRIBUTOR = {
  name: "Uninstall test distributor",
  recipe: JSON.parse(readFileSync(join(ROOT, "samples/recipes/bi-weekly-commission.json"), "utf8")),
  distributorKey: "uninstall-test",
  config: JSON.parse(readFileSync(join(ROOT, "samples/year/config.json"), "utf8")),
  timeZone: "America/New_York",
};

// A few records of every kind, imported when a site has none (this file run on its own).
const SMALL = {
  collaborators: "id,name,status\nana,Ana,active\nben,Ben,active\n",
  events: "id,collaboratorId,type,occurredAt,points\ne1,ana,manual,2026-03-03T10:00:00Z,500\ne2,ben,referredSiteVisit,2026-03-10T10:00:00Z,\n",
  transactions:
    "transactionId,status,occurredAt,currency,lineType,amount,quantity,sku,categories,ownerCollaboratorIds\n" +
    "t1,complete,2026-03-04T10:00:00Z,USD,product,19.99,1,EBOOK,books,\n" +
    "t1,complete,2026-03-04T10:00:00Z,USD,product,99.00,1,COURSE,courses,ana\n",
  refunds: "transactionId,occurredAt,amount\nt1,2026-03-06T10:00:00Z,19.99\n",
};

// One PHP CLI run per step, WordPress loaded at top level as sites.sh's scripts load it (and no
// variable called $plugin: wp-load.php unsets it). Each run prints the database as it finds it before
// and after its step, read with SQL (no object cache): every table's rows and checksum, and every
// option's value hash and autoload.
const SCRIPT = join(TARGET, "wp-plugin-lifecycle.php");
writeFileSync(
  SCRIPT,
  `<?php
// Written by tests/wordpress/uninstall.test.mjs.
// php wp-plugin-lifecycle.php SITE_DIR HOST deactivate|uninstall|activate PLUGIN_FILE
[, $site_dir, $host, $step, $plugin_file] = $argv;
$_SERVER['HTTP_HOST'] = $host;
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
require $site_dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once ABSPATH . 'wp-admin/includes/file.php';

function lifecycle_test_snapshot() {
    global $wpdb;
    $tables = array();
    foreach ($wpdb->get_col('SHOW TABLES') as $table) {
        $checksum = $wpdb->get_row("CHECKSUM TABLE \`$table\`", ARRAY_N);
        $tables[$table] = array(
            'rows' => (int) $wpdb->get_var("SELECT COUNT(*) FROM \`$table\`"),
            'checksum' => (string) ($checksum[1] ?? ''),
        );
    }
    $options = array();
    foreach ($wpdb->get_results("SELECT option_name, option_value, autoload FROM {$wpdb->options}", ARRAY_N) as $row) {
        $options[$row[0]] = md5($row[1]) . ' ' . $row[2];
    }
    return array(
        'tables' => $tables,
        'options' => $options,
        'distributors' => $wpdb->get_var($wpdb->prepare("SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", 'siren_engine_distributors')),
        'dbVersion' => $wpdb->get_var($wpdb->prepare("SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", 'siren_engine_db_version')),
        'active' => is_plugin_active($GLOBALS['lifecycle_test_plugin_file']),
    );
}
$GLOBALS['lifecycle_test_plugin_file'] = $plugin_file;

$out = array(
    'prefix' => $wpdb->prefix,
    'loaded' => class_exists('Siren_Engine_Store', false),
    'before' => lifecycle_test_snapshot(),
);
switch ($step) {
    case 'deactivate':
        deactivate_plugins($plugin_file);
        break;
    case 'uninstall':
        $out['uninstallable'] = is_uninstallable_plugin($plugin_file);
        $out['result'] = uninstall_plugin($plugin_file);
        $out['constant'] = defined('WP_UNINSTALL_PLUGIN') ? WP_UNINSTALL_PLUGIN : null;
        break;
    case 'activate':
        $result = activate_plugin($plugin_file);
        $out['result'] = is_wp_error($result) ? $result->get_error_code() . ': ' . $result->get_error_message() : $result;
        break;
    default:
        fwrite(STDERR, "unknown step $step\\n");
        exit(2);
}
$out['after'] = lifecycle_test_snapshot();
echo wp_json_encode($out);
`,
);

/** Runs one step on a site's WordPress; its output, parsed. */
function lifecycle(site, step) {
  const dir = join(TARGET, "sites", site.id);
  const host = new URL(site.base).host;
  const text = execFileSync("php", [SCRIPT, dir, host, step, PLUGIN_FILE], { encoding: "utf8", maxBuffer: 64 << 20 });
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${step} on ${site.id} printed: ${text.slice(0, 1000)}`);
  }
}

/** The site database's tables, as MariaDB lists them (the sites.sh database siren_<site>). */
function mariadbTables(site) {
  return execFileSync("mariadb", ["-uroot", "-N", "-B", "-e", "SHOW TABLES", `siren_${site.id}`], { encoding: "utf8" }).split("\n").filter(Boolean).sort();
}

const ours = (prefix) => KINDS.map((k) => `${prefix}siren_engine_${k}`);

const browser = sharedChromium();

for (const site of SITES) {
  describe(`WordPress ${site.version} (${site.base})`, () => {
    let nonce, deactivated, uninstalled, activated;
    const call = (route, options = {}) => restFetch(site, `/${NAMESPACE}${route}`, { page: browser.page, nonce, ...options });

    before(async () => {
      await login(browser.page, site, "admin");
      nonce = await restNonce(browser.page, site);
    });

    test("records of every kind are stored and a distributor is saved (REST, as an administrator)", { timeout: 300_000 }, async () => {
      let status = await call("/status");
      assert.equal(status.status, 200, status.text.slice(0, 300));
      if (KINDS.some((k) => !(status.body.counts[k] > 0))) {
        const r = await call("/import", { method: "POST", multipart: Object.fromEntries(Object.entries(SMALL).map(([k, v]) => [k, file(`${k}.csv`, v)])) });
        assert.equal(r.status, 200, r.text.slice(0, 500));
        status = await call("/status");
      }
      assert.equal(status.body.source, "tables");
      for (const k of KINDS) assert.ok(status.body.counts[k] > 0, `${k}: ${JSON.stringify(status.body.counts)}`);
      const created = await call("/distributors", { method: "POST", body: DISTRIBUTOR });
      assert.equal(created.status, 201, created.text.slice(0, 300));
      const list = await call("/distributors");
      assert.ok(list.body.some((d) => d.id === created.body.id && d.source === "saved"), list.text.slice(0, 300));
    });

    test("deactivate_plugins(), then uninstall_plugin() in a process where the plugin is not loaded", () => {
      deactivated = lifecycle(site, "deactivate");
      const { before: b, after: a } = deactivated;
      assert.equal(deactivated.loaded, true, "the active plugin is loaded");
      assert.equal(b.active, true);
      assert.equal(a.active, false, "deactivated");
      for (const table of ours(deactivated.prefix)) assert.ok(b.tables[table]?.rows > 0, `${table} has rows before: ${JSON.stringify(b.tables[table])}`);
      assert.equal(b.dbVersion, "1");
      assert.match(b.distributors ?? "", /Uninstall test distributor/);
      // Deactivating keeps the data.
      const withoutOptions = (tables) => Object.fromEntries(Object.entries(tables).filter(([t]) => t !== `${deactivated.prefix}options`));
      assert.deepEqual(withoutOptions(a.tables), withoutOptions(b.tables), "deactivation changes no table but wp_options");
      assert.ok(OPTIONS.every((o) => o in a.options), "deactivation keeps the options");

      uninstalled = lifecycle(site, "uninstall");
      assert.equal(uninstalled.loaded, false, "the inactive plugin is not loaded: uninstall.php stands on its own");
      assert.equal(uninstalled.uninstallable, true, "uninstall.php is found");
      assert.equal(uninstalled.result, true, "uninstall_plugin() ran uninstall.php");
      assert.equal(uninstalled.constant, PLUGIN_FILE, "WP_UNINSTALL_PLUGIN");
    });

    test("its five tables and its two options are gone, and nothing else of the plugin's is left", () => {
      const { prefix, after: a } = uninstalled;
      for (const table of ours(prefix)) assert.ok(!(table in a.tables), `${table} is dropped`);
      for (const option of OPTIONS) assert.ok(!(option in a.options), `${option} is deleted`);
      assert.equal(a.distributors, null);
      assert.equal(a.dbVersion, null);
      assert.deepEqual(Object.keys(a.tables).filter((t) => /siren_engine/i.test(t)), [], "no table of the plugin's");
      assert.deepEqual(Object.keys(a.options).filter((o) => /siren_engine/i.test(o)), [], "no option of the plugin's");
      // MariaDB agrees.
      const listed = mariadbTables(site);
      assert.deepEqual(listed.filter((t) => /siren_engine/i.test(t)), []);
      assert.deepEqual(listed, Object.keys(a.tables).sort());
    });

    test("no other table or option was touched", () => {
      const b = deactivated.before;
      const a = uninstalled.after;
      const mine = new Set(ours(deactivated.prefix));
      const otherTables = Object.keys(b.tables).filter((t) => !mine.has(t)).sort();
      assert.deepEqual(Object.keys(a.tables).sort(), otherTables, "the same tables but ours");
      for (const table of otherTables) {
        if (table === `${deactivated.prefix}options`) continue; // compared option by option below
        assert.deepEqual(a.tables[table], b.tables[table], `${table}: rows and checksum`);
      }
      const names = new Set([...Object.keys(b.options), ...Object.keys(a.options)]);
      const changed = [...names].filter((n) => !OPTIONS.includes(n) && b.options[n] !== a.options[n]);
      const unexpected = changed.filter((n) => !WORDPRESS_OPTIONS.has(n) && !isTransient(n));
      assert.deepEqual(unexpected, [], `options changed besides WordPress's own (${[...WORDPRESS_OPTIONS].join(", ")}, transients)`);
      assert.ok(changed.includes("active_plugins"), "active_plugins lost the plugin");
    });

    test("the plugin's files are still there (the plugin folder is a symlink on these sites)", () => {
      const link = join(TARGET, "sites", site.id, "wp-content/plugins/siren-engine");
      assert.ok(lstatSync(link).isSymbolicLink(), `${link} is a symlink`);
      assert.equal(readlinkSync(link), PLUGIN_DIR);
      for (const f of ["siren-engine.php", "uninstall.php", "readme.txt", "www/wordpress.mjs", "pkg/web/siren_engine_bg.wasm"]) {
        assert.ok(existsSync(join(link, f)), `${f} remains`);
      }
    });

    test("activate_plugin() again: the tables are back and empty, the options back, and the REST API answers", async () => {
      activated = lifecycle(site, "activate");
      const { prefix, before: b, after: a } = activated;
      assert.equal(activated.loaded, false);
      for (const table of ours(prefix)) assert.ok(!(table in b.tables), `${table}: a fresh load with the plugin inactive creates nothing`);
      assert.equal(activated.result, null, `activate_plugin: ${activated.result}`);
      assert.equal(a.active, true);
      for (const table of ours(prefix)) assert.deepEqual(a.tables[table]?.rows, 0, `${table} exists and is empty`);
      assert.equal(a.dbVersion, "1");
      assert.equal(a.distributors, "a:0:{}");
      const other = Object.keys(a.tables).filter((t) => !ours(prefix).includes(t)).sort();
      assert.deepEqual(other, Object.keys(b.tables).sort(), "activation adds only its tables");

      const status = await call("/status");
      assert.equal(status.status, 200, status.text.slice(0, 300));
      assert.equal(status.body.source, "tables");
      assert.deepEqual(status.body.counts, { events: 0, transactions: 0, lines: 0, refunds: 0, collaborators: 0 });
      assert.equal(status.body.firstMs, null);
      assert.equal(status.body.lastMs, null);
      const list = await call("/distributors");
      assert.equal(list.status, 200, list.text.slice(0, 300));
      assert.deepEqual(list.body, []);
      const plugins = await restFetch(site, "/wp/v2/plugins", { page: browser.page, nonce });
      assert.equal(plugins.body.find((p) => p.plugin === "siren-engine/siren-engine")?.status, "active");
    });

    test("the debug log has no line about the plugin", () => {
      assert.deepEqual(pluginLogLines(site), []);
    });
  });
}
