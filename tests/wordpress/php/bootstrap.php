<?php
/**
 * PHPUnit bootstrap: the plugin's pure classes, without WordPress.
 *
 * @package Siren_Engine
 */

error_reporting( E_ALL );
define( 'ABSPATH', __DIR__ . '/' );
define( 'SIREN_ENGINE_TEST_ROOT', dirname( __DIR__, 3 ) );

foreach ( array( 'import-error', 'json', 'importer', 'columns', 'siren-mapping' ) as $siren_engine_class ) {
	require_once SIREN_ENGINE_TEST_ROOT . '/wordpress/siren-engine/includes/class-siren-engine-' . $siren_engine_class . '.php';
}
