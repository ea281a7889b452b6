<?php
/**
 * Uninstall: drops the plugin's tables and deletes its options.
 *
 * @package Siren_Engine
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

global $wpdb;
foreach ( array( 'events', 'transactions', 'lines', 'refunds', 'collaborators' ) as $siren_engine_table ) {
	$siren_engine_table = $wpdb->prefix . 'siren_engine_' . $siren_engine_table;
	$wpdb->query( "DROP TABLE IF EXISTS {$siren_engine_table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.DirectDatabaseQuery,WordPress.DB.DirectDatabaseQuery.SchemaChange -- the plugin's own tables.
}
delete_option( 'siren_engine_distributors' );
delete_option( 'siren_engine_db_version' );
