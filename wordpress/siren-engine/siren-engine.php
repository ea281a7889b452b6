<?php
/**
 * Plugin Name:       Siren Engine
 * Description:       Winners preview, payout simulation and what-if comparison for Siren distributors, a recipe and configuration editor, and a data importer. The Siren distribution engine runs in your browser; your data stays on your site.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      8.2
 * Author:            Siren Engine contributors
 * License:           MIT
 * License URI:       https://opensource.org/licenses/MIT
 * Text Domain:       siren-engine
 * Domain Path:       /languages
 *
 * @package Siren_Engine
 */

defined( 'ABSPATH' ) || exit;

define( 'SIREN_ENGINE_VERSION', '0.1.0' );
define( 'SIREN_ENGINE_FILE', __FILE__ );

require_once __DIR__ . '/includes/class-siren-engine-import-error.php';
require_once __DIR__ . '/includes/class-siren-engine-json.php';
require_once __DIR__ . '/includes/class-siren-engine-importer.php';
require_once __DIR__ . '/includes/class-siren-engine-columns.php';
require_once __DIR__ . '/includes/class-siren-engine-siren-mapping.php';
require_once __DIR__ . '/includes/class-siren-engine-store.php';
require_once __DIR__ . '/includes/class-siren-engine-sources.php';
require_once __DIR__ . '/includes/class-siren-engine-rest.php';
require_once __DIR__ . '/includes/class-siren-engine-admin.php';

register_activation_hook( __FILE__, array( 'Siren_Engine_Store', 'install' ) );

add_action( 'plugins_loaded', array( 'Siren_Engine_Store', 'maybe_upgrade' ) );
add_action(
	'init',
	function () {
		load_plugin_textdomain( 'siren-engine', false, dirname( plugin_basename( SIREN_ENGINE_FILE ) ) . '/languages' );
	}
);
add_action( 'rest_api_init', array( 'Siren_Engine_Rest', 'register_routes' ) );
Siren_Engine_Admin::init();
