<?php
/**
 * Uninstall: drops the plugin's tables and deletes its options, on every site of a network (each
 * site creates its own tables when the plugin first runs there).
 *
 * @package Siren_Engine
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

global $wpdb;
$siren_engine_sites = is_multisite() ? get_sites(
	array(
		'fields' => 'ids',
		'number' => 0,
	)
) : array( 0 );
foreach ( $siren_engine_sites as $siren_engine_site ) {
	if ( $siren_engine_site ) {
		switch_to_blog( (int) $siren_engine_site );
	}
	foreach ( array( 'events', 'transactions', 'lines', 'refunds', 'collaborators' ) as $siren_engine_table ) {
		$siren_engine_table = $wpdb->prefix . 'siren_engine_' . $siren_engine_table;
		$wpdb->query( "DROP TABLE IF EXISTS {$siren_engine_table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.DirectDatabaseQuery,WordPress.DB.DirectDatabaseQuery.SchemaChange -- the plugin's own tables.
	}
	delete_option( 'siren_engine_distributors' );
	delete_option( 'siren_engine_db_version' );
	if ( $siren_engine_site ) {
		restore_current_blog();
	}
}
