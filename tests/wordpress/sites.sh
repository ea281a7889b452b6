#!/usr/bin/env bash
# The two WordPress sites the plugin's tests run against, on this machine, offline:
#   6.1.9 — Debian's `wordpress` package, its core copied from /usr/share/wordpress, port 8061
#   6.5.5 — the zip inside the npm package @wp-playground/wordpress-builds, port 8065
# Both on Debian's PHP (php -S, bound to 127.0.0.1) with MariaDB, each with its own database,
# database user, wp-config.php and wp-content; the plugin is a symlink to target/wordpress/siren-engine
# (built by scripts/package-plugin.sh). Everything the sites write lives under target/wordpress/.
#
#   tests/wordpress/sites.sh setup    install what is missing, create/refresh both sites (idempotent)
#   tests/wordpress/sites.sh start    start MariaDB and both PHP servers
#   tests/wordpress/sites.sh stop     stop the PHP servers (and MariaDB if this script started it)
#   tests/wordpress/sites.sh status   what runs
#
# The admin password is in target/wordpress/credentials.json (read by tests/wordpress/site.mjs).
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

TW="$ROOT/target/wordpress"
NPM_DIR="$TW/npm"
BUILDS_VERSION="0.9.19"
BUILDS="$NPM_DIR/node_modules/@wp-playground/wordpress-builds"
SITES=(wp61 wp65)
declare -A PORT=([wp61]=8061 [wp65]=8065)
declare -A VERSION=([wp61]=6.1.9 [wp65]=6.5.5)

# --- installing what is missing -------------------------------------------------------------

# Debian packages, checked by a file each provides; one apt-get run for all that are missing.
ensure_debian_packages() {
  local missing=()
  [ -f /usr/share/wordpress/wp-includes/version.php ] || missing+=(wordpress)
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
  php -r 'exit(extension_loaded("mysqli") ? 0 : 1);' 2>/dev/null || missing+=(php-mysql)
  command -v unzip >/dev/null 2>&1 || missing+=(unzip)
  command -v zip >/dev/null 2>&1 || missing+=(zip)
  command -v phpunit >/dev/null 2>&1 || missing+=(phpunit)
  if [ "${#missing[@]}" -gt 0 ]; then
    step "Installing Debian packages: ${missing[*]}"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
  fi
}

# WordPress 6.5.5 ships inside @wp-playground/wordpress-builds, installed into its own prefix so the
# repository's package.json and node_modules stay as they are.
ensure_wordpress_builds() {
  if [ "$(node -p "try { require('$BUILDS/package.json').version } catch { '' }")" != "$BUILDS_VERSION" ]; then
    step "Installing @wp-playground/wordpress-builds@$BUILDS_VERSION (about 45 s and 380 MB, once)"
    mkdir -p "$NPM_DIR"
    [ -f "$NPM_DIR/package.json" ] || echo '{"private": true}' >"$NPM_DIR/package.json"
    npm install --prefix "$NPM_DIR" --no-audit --no-fund --no-save "@wp-playground/wordpress-builds@$BUILDS_VERSION"
  fi
}


# --- the sites ------------------------------------------------------------------------------

SITES_DIR="$TW/sites"
RUN_DIR="$TW/run"   # pid files and markers
LOG_DIR="$TW/logs"  # WordPress debug logs (debug-<site>.log) and the PHP servers' output
CREDENTIALS="$TW/credentials.json"
PLUGIN_BUILD="$TW/siren-engine"

# The PHP servers' settings: a host's usual limits, with room for the sample year's uploads
# (the plugin's own limit, siren_engine_max_upload_bytes, defaults to 32 MB).
PHP_SERVER_INI=(-d memory_limit=256M -d upload_max_filesize=64M -d post_max_size=80M -d max_input_time=120)

mariadb_running() { mariadb-admin ping --silent >/dev/null 2>&1; }

# Starts MariaDB unless it runs already; remembers whether it was this script that started it.
start_mariadb() {
  mkdir -p "$RUN_DIR"
  if ! mariadb_running; then
    service mariadb start >/dev/null
    touch "$RUN_DIR/mariadb.started-here"
    local i; for i in $(seq 1 50); do mariadb_running && return 0; sleep 0.2; done
    echo "MariaDB did not start" >&2; return 1
  fi
}

random_secret() { head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c "${1:-32}"; }

# target/wordpress/credentials.json: the passwords of the WordPress users and of the database users,
# made once and kept (the tests read it).
ensure_credentials() {
  mkdir -p "$TW"
  if [ ! -f "$CREDENTIALS" ]; then
    cat >"$CREDENTIALS" <<JSON
{
  "admin": {"user": "admin", "password": "$(random_secret 24)"},
  "subscriber": {"user": "subscriber", "password": "$(random_secret 24)"},
  "database": {"wp61": "$(random_secret 24)", "wp65": "$(random_secret 24)"}
}
JSON
    chmod 600 "$CREDENTIALS"
  fi
}
credential() { php -r '$c = json_decode(file_get_contents($argv[1]), true); echo $c[$argv[2]][$argv[3]];' "$CREDENTIALS" "$1" "$2"; }

# The core files of a site: Debian's 6.1 copied from /usr/share/wordpress (its own wp-config.php
# replaces Debian's host-lookup one), or 6.5 unzipped from the npm package with its static assets.
# Refreshed only when the source changed; wp-content/ is the site's own and survives.
install_core() {
  local site="$1" dir="$SITES_DIR/$1" stamp
  case "$site" in
    wp61) stamp="debian $(dpkg-query -W -f '${Version}' wordpress), dereferenced" ;;
    wp65) stamp="wordpress-builds $BUILDS_VERSION wp-6.5" ;;
  esac
  if [ "$(cat "$dir/.core" 2>/dev/null)" = "$stamp" ]; then return 0; fi
  step "Installing the core of $site (WordPress ${VERSION[$site]})"
  mkdir -p "$dir"
  find "$dir" -mindepth 1 -maxdepth 1 ! -name wp-content -exec rm -rf {} +
  case "$site" in
    wp61)
      # -L: Debian's tree links into /usr/share/javascript and /usr/share/php with relative
      # symlinks (underscore, getID3, ...), which a copy must follow.
      (cd /usr/share/wordpress && find . -mindepth 1 -maxdepth 1 ! -name wp-content ! -name wp-config.php ! -name .htaccess \
        -exec cp -R -L --preserve=mode,timestamps --target-directory="$dir" {} +)
      mkdir -p "$dir/wp-content"
      # Debian's themes and languages, as its /var/lib/wordpress/wp-content has them (symlinks).
      mkdir -p "$dir/wp-content/themes" "$dir/wp-content/plugins"
      ln -sfn /usr/share/wordpress/wp-content/languages "$dir/wp-content/languages"
      local t; for t in /usr/share/wordpress/wp-content/themes/*/; do ln -sfn "${t%/}" "$dir/wp-content/themes/$(basename "$t")"; done
      ;;
    wp65)
      local tmp="$SITES_DIR/.unzip-$site"; rm -rf "$tmp"; mkdir -p "$tmp"
      unzip -q "$BUILDS/src/wordpress/wp-6.5.zip" -d "$tmp"
      cp -a "$BUILDS/public/wp-6.5/." "$tmp/"
      rm -rf "$tmp/wp-config.php" "$tmp/wp-content/database" "$tmp/wp-content/db.php" "$tmp/wp-content/plugins/hello.php"
      mkdir -p "$dir/wp-content"
      cp -a "$tmp/wp-content/." "$dir/wp-content/"
      rm -rf "$tmp/wp-content"
      cp -a "$tmp/." "$dir/"
      rm -rf "$tmp"
      ;;
  esac
  echo "$stamp" >"$dir/.core"
}

write_config() {
  local site="$1" dir="$SITES_DIR/$1" port="${PORT[$1]}"
  local salts="$dir/.salts.php"
  if [ ! -f "$salts" ]; then
    { echo "<?php"
      local k; for k in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
        echo "define('$k', '$(random_secret 64)');"
      done; } >"$salts"
  fi
  cat >"$dir/wp-config.php" <<PHP
<?php
// Written by tests/wordpress/sites.sh: a test site, on loopback only.
define('DB_NAME', 'siren_$site');
define('DB_USER', 'siren_$site');
define('DB_PASSWORD', '$(credential database "$site")');
define('DB_HOST', 'localhost');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
require __DIR__ . '/.salts.php';
\$table_prefix = 'wp_';

define('WP_HOME', 'http://127.0.0.1:$port');
define('WP_SITEURL', 'http://127.0.0.1:$port');
define('WP_ENVIRONMENT_TYPE', 'local');
define('WP_DEBUG', true);
define('WP_DEBUG_LOG', '$LOG_DIR/debug-$site.log');
define('WP_DEBUG_DISPLAY', false);
define('WP_HTTP_BLOCK_EXTERNAL', true); // no request leaves the machine
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('FS_METHOD', 'direct');

if (!defined('ABSPATH')) {
    define('ABSPATH', __DIR__ . '/');
}
require_once ABSPATH . 'wp-settings.php';
PHP
}

# The site's must-use plugin: the Content Security Policy of the plugin's screens, and a test hook.
write_mu_plugin() {
  local dir="$SITES_DIR/$1/wp-content/mu-plugins"
  mkdir -p "$dir"
  cat >"$dir/siren-engine-test-site.php" <<'PHP'
<?php
/*
 * Plugin Name: Siren engine test site
 * Description: Written by tests/wordpress/sites.sh for the plugin's tests; not part of the plugin.
 */

// The plugin's screens must work under a Content Security Policy that allows only the site's own
// scripts and WebAssembly compilation. 'unsafe-inline' is there for wp-admin itself (its pages carry
// inline scripts), not for the plugin: the plugin passes its settings in data-settings, not inline.
add_action('admin_init', function () {
    if (($GLOBALS['pagenow'] ?? '') === 'admin.php' && str_starts_with((string) ($_GET['page'] ?? ''), 'siren-engine')) {
        header("Content-Security-Policy: script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; worker-src 'self' blob:; object-src 'none'");
    }
});

// Test hook: a request carrying X-Siren-Test-Max-Upload-Bytes lowers the plugin's upload limit, so the
// tests can check the 413 answer without sending 32 MB.
add_filter('siren_engine_max_upload_bytes', function ($bytes) {
    $max = $_SERVER['HTTP_X_SIREN_TEST_MAX_UPLOAD_BYTES'] ?? '';
    return ctype_digit($max) ? (int) $max : $bytes;
});
PHP
}

# The second must-use plugin: other record sources, for tests/wordpress/sources.test.mjs. Only a request
# carrying X-Siren-Test-Source sees them (every other request, and every other test, is unaffected):
#   siren          fake `siren/v1` routes serving tests/wordpress/fixtures/siren/ as recorded (paged with
#                  `page`/`perPage` ≤ 100, the total in `x-siren-estimated-count`), as Siren registers them
#   filter         a `siren_engine_records` filter returning a few records in the engine's object shapes
#   filter-bad-*   the filter returning something malformed (see the cases below)
# Several values may be given, separated by commas ("siren,filter": both sources at once).
write_sources_mu_plugin() {
  local dir="$SITES_DIR/$1/wp-content/mu-plugins"
  mkdir -p "$dir"
  {
    cat <<'PHP'
<?php
/*
 * Plugin Name: Siren engine test sources
 * Description: Written by tests/wordpress/sites.sh for tests/wordpress/sources.test.mjs; not part of the plugin.
 */
PHP
    printf "define( 'SIREN_ENGINE_TEST_FIXTURES', %s );\n" "$(php -r 'var_export($argv[1]);' "$ROOT/tests/wordpress/fixtures/siren")"
    cat <<'PHP'

/** The values of X-Siren-Test-Source. */
function siren_engine_test_sources(): array {
    return array_filter( array_map( 'trim', explode( ',', (string) ( $_SERVER['HTTP_X_SIREN_TEST_SOURCE'] ?? '' ) ) ) );
}

/** A fixture as recorded (JSON objects stay objects). */
function siren_engine_test_fixture( string $name ) {
    return json_decode( (string) file_get_contents( SIREN_ENGINE_TEST_FIXTURES . '/' . $name ) );
}

/** A page of a list, as Siren answers it: a bare array, the total in x-siren-estimated-count. */
function siren_engine_test_page( string $name, WP_REST_Request $request ): WP_REST_Response {
    $all      = siren_engine_test_fixture( $name );
    $per_page = (int) $request['perPage'];
    $response = new WP_REST_Response( array_slice( $all, ( (int) $request['page'] - 1 ) * $per_page, $per_page ) );
    $response->header( 'X-Siren-Estimated-Count', (string) count( $all ) );
    return $response;
}

$siren_engine_test_sources = siren_engine_test_sources();

if ( in_array( 'siren', $siren_engine_test_sources, true ) ) {
    add_action( 'rest_api_init', function () {
        $permission = function () {
            return current_user_can( 'manage_options' );
        };
        $paging = array(
            'page'    => array( 'type' => 'integer', 'minimum' => 1, 'default' => 1 ),
            'perPage' => array( 'type' => 'integer', 'minimum' => 1, 'maximum' => 100, 'default' => 10 ),
        );
        foreach ( array( 'distributors', 'transactions', 'engagements', 'collaborators' ) as $kind ) {
            register_rest_route( 'siren/v1', '/' . $kind, array(
                'methods'             => 'GET',
                'permission_callback' => $permission,
                'args'                => $paging,
                'callback'            => function ( WP_REST_Request $request ) use ( $kind ) {
                    return siren_engine_test_page( $kind . '.json', $request );
                },
            ) );
        }
        register_rest_route( 'siren/v1', '/distributors/(?P<id>\d+)', array(
            'methods'             => 'GET',
            'permission_callback' => $permission,
            'args'                => array( 'include' => array( 'type' => 'string', 'enum' => array( 'extended' ) ) ),
            'callback'            => function ( WP_REST_Request $request ) {
                $id       = (int) $request['id'];
                $extended = SIREN_ENGINE_TEST_FIXTURES . "/distributor-$id-extended.json";
                if ( 'extended' === $request['include'] && is_file( $extended ) ) {
                    return siren_engine_test_fixture( basename( $extended ) );
                }
                // No extended payload recorded (the soft-deleted distributor): its list entry.
                foreach ( siren_engine_test_fixture( 'distributors.json' ) as $distributor ) {
                    if ( $distributor->id === $id ) {
                        return $distributor;
                    }
                }
                return new WP_Error( 'rest_not_found', 'No distributor has this id.', array( 'status' => 404 ) );
            },
        ) );
    } );
}

/** Records in the engine's object shapes (ENGINE.md §8); the test computes their columns by hand. */
function siren_engine_test_filter_records(): array {
    return array(
        'events'        => array(
            array( 'id' => 'fe1', 'collaboratorId' => 'ana', 'type' => 'manual', 'occurredAt' => '2026-03-02T09:00:00Z', 'points' => 300 ),
            array( 'collaboratorId' => 'ben', 'type' => 'referredSiteVisit', 'occurredAt' => '2026-03-03T12:00:00-05:00' ),
            array( 'id' => 'fe3', 'collaboratorId' => 'ana', 'type' => 'referredSiteVisit', 'occurredAt' => '2026-02-27T10:00:00Z' ),
        ),
        'transactions'  => array(
            array(
                'id'         => 'ft1',
                'status'     => 'complete',
                'occurredAt' => '2026-03-04T10:00:00Z',
                'currency'   => 'USD',
                'details'    => array(
                    array( 'type' => 'product', 'amount' => '49.99', 'quantity' => 2, 'sku' => 'EBOOK', 'categories' => array( 'books' ), 'ownerCollaboratorIds' => array( 'ana' ) ),
                    array( 'type' => 'shipping', 'amount' => 4.5 ),
                ),
            ),
            array(
                'id'         => 'ft2',
                'status'     => 'refunded',
                'occurredAt' => '2026-02-20T10:00:00Z',
                'currency'   => 'USD',
                'details'    => array( array( 'type' => 'product', 'amount' => '120.000' ) ),
                'refunds'    => array( array( 'occurredAt' => '2026-03-06T10:00:00Z', 'amount' => '120' ) ),
            ),
            array( 'id' => 'ft3', 'occurredAt' => '2026-01-15T10:00:00Z', 'total' => '10.125' ),
            array(
                'id'         => 'ft4',
                'status'     => 'complete',
                'occurredAt' => '2026-03-10T10:00:00Z',
                'currency'   => 'EUR',
                'total'      => '15',
                'refunds'    => array( array( 'occurredAt' => '2026-03-11T10:00:00Z' ) ),
            ),
        ),
        'collaborators' => array(
            array( 'id' => 'ana', 'name' => 'Ana', 'status' => 'active' ),
            array( 'id' => 'ben' ),
        ),
    );
}

/** What a filter might return by mistake, by the X-Siren-Test-Source value that asks for it. */
function siren_engine_test_bad_records( string $which ) {
    $good = siren_engine_test_filter_records();
    switch ( $which ) {
        case 'filter-bad-amount': // a decimal comma
            $good['transactions'][0]['details'][0]['amount'] = '49,99';
            return $good;
        case 'filter-bad-negative':
            $good['transactions'][0]['details'][1]['amount'] = -4.5;
            return $good;
        case 'filter-bad-date': // no UTC offset
            $good['events'][0]['occurredAt'] = '2026-03-02 09:00:00';
            return $good;
        case 'filter-bad-status':
            $good['transactions'][0]['status'] = 'paid';
            return $good;
        case 'filter-bad-line-type':
            $good['transactions'][0]['details'][0]['type'] = 'products';
            return $good;
        case 'filter-bad-points':
            $good['events'][0]['points'] = 2.5;
            return $good;
        case 'filter-bad-quantity':
            $good['transactions'][0]['details'][0]['quantity'] = array( 2 );
            return $good;
        case 'filter-bad-nested': // arrays where text is expected
            $good['events'][0]['collaboratorId'] = array( 'ana' );
            return $good;
        case 'filter-bad-refund':
            $good['transactions'][1]['refunds'][0]['amount'] = array( '120' );
            return $good;
        case 'filter-bad-collaborator':
            $good['collaborators'][0]['name'] = array( 'first' => 'Ana' );
            return $good;
        case 'filter-bad-shape': // a text where the list of transactions goes
            $good['transactions'] = 'ft1,ft2';
            return $good;
        case 'filter-bad-type': // not an array of records at all
            return 'events.csv';
        case 'filter-bad-error': // the site's own failure
            return new WP_Error( 'records_unavailable', 'The records service is down.' );
    }
    return null;
}

$siren_engine_test_filter = null;
foreach ( $siren_engine_test_sources as $siren_engine_test_source ) {
    if ( 'filter' === $siren_engine_test_source || str_starts_with( $siren_engine_test_source, 'filter-bad-' ) ) {
        $siren_engine_test_filter = $siren_engine_test_source;
    }
}
if ( null !== $siren_engine_test_filter ) {
    // The filter's calls (`[from, to]` each), sent back in X-Siren-Test-Filter-Calls.
    $GLOBALS['siren_engine_test_filter_calls'] = array();
    add_filter( 'siren_engine_records', function ( $records, $args ) use ( $siren_engine_test_filter ) {
        $GLOBALS['siren_engine_test_filter_calls'][] = array( $args['from'], $args['to'] );
        return 'filter' === $siren_engine_test_filter ? siren_engine_test_filter_records() : siren_engine_test_bad_records( $siren_engine_test_filter );
    }, 10, 2 );
    add_filter( 'rest_post_dispatch', function ( $response ) {
        if ( $response instanceof WP_REST_Response ) {
            $response->header( 'X-Siren-Test-Filter-Calls', wp_json_encode( $GLOBALS['siren_engine_test_filter_calls'] ) );
        }
        return $response;
    } );
}
PHP
  } >"$dir/siren-engine-test-sources.php"
}

create_database() {
  local site="$1" pass; pass="$(credential database "$site")"
  mariadb -uroot <<SQL
CREATE DATABASE IF NOT EXISTS siren_$site CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'siren_$site'@'localhost' IDENTIFIED BY '$pass';
ALTER USER 'siren_$site'@'localhost' IDENTIFIED BY '$pass';
GRANT ALL PRIVILEGES ON siren_$site.* TO 'siren_$site'@'localhost';
SQL
}

# wp_install() on a fresh database (WP_INSTALLING); nothing when the site is installed.
write_php_scripts() {
  cat >"$TW/wp-install.php" <<'PHP'
<?php
// php wp-install.php SITE_DIR HOST TITLE ADMIN_PASSWORD
[, $site_dir, $host, $title, $admin_password] = $argv;
$_SERVER['HTTP_HOST'] = $host;
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
define('WP_INSTALLING', true);
require $site_dir . '/wp-load.php';
function wp_new_blog_notification() {} // no mail from this machine
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
if (!is_blog_installed()) {
    $result = wp_install($title, 'admin', 'admin@example.com', false, '', wp_slash($admin_password));
    if (is_wp_error($result)) { fwrite(STDERR, $result->get_error_message() . "\n"); exit(1); }
    echo "installed\n";
} else {
    echo "already installed\n";
}
PHP
  # Runs with WordPress fully loaded: options, users, the plugin (re)activated. Not `$plugin`: wp-load.php unsets it.
  cat >"$TW/wp-configure.php" <<'PHP'
<?php
// php wp-configure.php SITE_DIR HOST ADMIN_PASSWORD SUBSCRIBER_PASSWORD
[, $site_dir, $host, $admin_password, $subscriber_password] = $argv;
$_SERVER['HTTP_HOST'] = $host;
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
require $site_dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once ABSPATH . 'wp-admin/includes/user.php';

update_option('show_avatars', 0);
update_option('timezone_string', 'America/New_York');
update_option('gmt_offset', '');
update_option('blog_public', 0);

$admin = get_user_by('login', 'admin');
wp_set_password($admin_password, $admin->ID);
$subscriber = get_user_by('login', 'subscriber');
if (!$subscriber) {
    $id = wp_insert_user(['user_login' => 'subscriber', 'user_pass' => $subscriber_password,
        'user_email' => 'subscriber@example.com', 'role' => 'subscriber']);
    if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message() . "\n"); exit(1); }
} else {
    wp_set_password($subscriber_password, $subscriber->ID);
    $subscriber->set_role('subscriber');
}

$siren_plugin_file = 'siren-engine/siren-engine.php';
if (!file_exists(WP_PLUGIN_DIR . '/' . $siren_plugin_file)) {
    fwrite(STDERR, "warning: the plugin is not built (scripts/package-plugin.sh); the site runs without it\n");
    exit(0);
}
if (is_plugin_active($siren_plugin_file)) {
    deactivate_plugins($siren_plugin_file, true);
}
$result = activate_plugin($siren_plugin_file);
if (is_wp_error($result)) {
    fwrite(STDERR, 'activate_plugin: ' . $result->get_error_code() . ': ' . $result->get_error_message() . "\n");
    exit(1);
}
echo "plugin active\n";
PHP
}

setup_site() {
  local site="$1" dir="$SITES_DIR/$1" host="127.0.0.1:${PORT[$1]}"
  install_core "$site"
  write_config "$site"
  write_mu_plugin "$site"
  write_sources_mu_plugin "$site"
  ln -sfn "$PLUGIN_BUILD" "$dir/wp-content/plugins/siren-engine"
  mkdir -p "$dir/wp-content/uploads"
  create_database "$site"
  printf '%s (WordPress %s): ' "$site" "${VERSION[$site]}"
  php "$TW/wp-install.php" "$dir" "$host" "Siren engine test site ($site)" "$(credential admin password)"
  printf '%s: ' "$site"
  php "$TW/wp-configure.php" "$dir" "$host" "$(credential admin password)" "$(credential subscriber password)"
}

setup() {
  ensure_debian_packages
  ensure_wordpress_builds
  mkdir -p "$SITES_DIR" "$RUN_DIR" "$LOG_DIR"
  ensure_credentials
  write_php_scripts
  start_mariadb
  [ -d "$PLUGIN_BUILD" ] || echo "warning: $PLUGIN_BUILD is missing (scripts/package-plugin.sh builds it)" >&2
  # Each run starts with empty debug logs, so the tests see only what this run wrote.
  local site; for site in "${SITES[@]}"; do : >"$LOG_DIR/debug-$site.log"; done
  for site in "${SITES[@]}"; do setup_site "$site"; done
}

# --- the servers ----------------------------------------------------------------------------

server_pid() { # the pid (and process group) of a site's PHP server, if it runs
  local f="$RUN_DIR/php-$1.pid"
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  start_mariadb
  local site
  for site in "${SITES[@]}"; do
    local dir="$SITES_DIR/$site" port="${PORT[$site]}"
    [ -f "$dir/wp-config.php" ] || { echo "$site is not set up: run $0 setup" >&2; return 1; }
    if server_pid "$site" >/dev/null; then continue; fi
    if port_open "$port"; then echo "port $port is taken by another program" >&2; return 1; fi
    # setsid: a session (and process group) of its own, so stop ends the workers with it.
    PHP_CLI_SERVER_WORKERS=4 setsid bash -c 'echo $$ >"$0"; exec "$@"' "$RUN_DIR/php-$site.pid" \
      php "${PHP_SERVER_INI[@]}" -S "127.0.0.1:$port" -t "$dir" \
      </dev/null >>"$LOG_DIR/php-$site.log" 2>&1 &
  done
  for site in "${SITES[@]}"; do
    local i; for i in $(seq 1 100); do port_open "${PORT[$site]}" && break; sleep 0.1; done
    port_open "${PORT[$site]}" || { echo "the PHP server of $site did not start (see $LOG_DIR/php-$site.log)" >&2; return 1; }
    echo "$site: http://127.0.0.1:${PORT[$site]}/ (WordPress ${VERSION[$site]})"
  done
}

stop() {
  local site pid
  for site in "${SITES[@]}"; do
    if pid="$(server_pid "$site")"; then
      kill -TERM -- "-$pid" 2>/dev/null || true
      local i; for i in $(seq 1 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$RUN_DIR/php-$site.pid"
  done
  if [ -f "$RUN_DIR/mariadb.started-here" ]; then
    service mariadb stop >/dev/null || true
    rm -f "$RUN_DIR/mariadb.started-here"
  fi
}

status() {
  local site rc=0
  if mariadb_running; then echo "MariaDB: running"; else echo "MariaDB: stopped"; rc=1; fi
  for site in "${SITES[@]}"; do
    if server_pid "$site" >/dev/null; then
      echo "$site: running, http://127.0.0.1:${PORT[$site]}/ (WordPress ${VERSION[$site]}, pid $(server_pid "$site"))"
    else
      echo "$site: stopped"; rc=1
    fi
  done
  return "$rc"
}

case "${1:-}" in
  setup) setup ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 setup|start|stop|status" >&2; exit 2 ;;
esac
