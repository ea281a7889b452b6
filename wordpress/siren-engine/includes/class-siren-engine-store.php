<?php
/**
 * The plugin's tables (`{$wpdb->prefix}siren_engine_…`): creating, dropping, replacing their
 * contents in one database transaction, and reading a window of records as rows.
 *
 * @package Siren_Engine
 */

defined( 'ABSPATH' ) || exit;

// phpcs:disable WordPress.Security.EscapeOutput.ExceptionNotEscaped -- exception messages become WP_Error messages in REST JSON (or are caught here), never HTML.

/**
 * Storage.
 */
final class Siren_Engine_Store {

	const TABLES     = array( 'events', 'transactions', 'lines', 'refunds', 'collaborators' );
	const DB_VERSION = '1';
	const BATCH      = 1000;

	/**
	 * A table's full name.
	 *
	 * @param string $name One of TABLES.
	 * @return string
	 */
	public static function table( string $name ): string {
		global $wpdb;
		return $wpdb->prefix . 'siren_engine_' . $name;
	}

	/**
	 * Creates or updates the tables (dbDelta) and records the schema version.
	 */
	public static function install(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$collate = $wpdb->get_charset_collate() . ' ENGINE=InnoDB';
		$e       = self::table( 'events' );
		$t       = self::table( 'transactions' );
		$l       = self::table( 'lines' );
		$r       = self::table( 'refunds' );
		$c       = self::table( 'collaborators' );
		dbDelta(
			array(
				"CREATE TABLE {$e} (
  row_id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  event_id varchar(191) DEFAULT NULL,
  collaborator_id varchar(191) NOT NULL,
  type varchar(191) NOT NULL,
  occurred_ms bigint(20) NOT NULL,
  points bigint(20) DEFAULT NULL,
  PRIMARY KEY  (row_id),
  KEY occurred_ms (occurred_ms)
) {$collate};",
				"CREATE TABLE {$t} (
  row_id bigint(20) unsigned NOT NULL,
  transaction_id varchar(191) NOT NULL,
  status varchar(20) DEFAULT NULL,
  occurred_ms bigint(20) NOT NULL,
  currency varchar(191) DEFAULT NULL,
  total varchar(64) DEFAULT NULL,
  PRIMARY KEY  (row_id),
  KEY occurred_ms (occurred_ms)
) {$collate};",
				"CREATE TABLE {$l} (
  row_id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  transaction_row bigint(20) unsigned NOT NULL,
  position int(10) unsigned NOT NULL,
  line_type varchar(20) NOT NULL,
  amount varchar(64) NOT NULL,
  quantity bigint(20) DEFAULT NULL,
  sku varchar(191) DEFAULT NULL,
  categories text,
  owners text,
  PRIMARY KEY  (row_id),
  KEY transaction_row (transaction_row)
) {$collate};",
				"CREATE TABLE {$r} (
  row_id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  transaction_row bigint(20) unsigned NOT NULL,
  occurred_ms bigint(20) NOT NULL,
  amount varchar(64) DEFAULT NULL,
  PRIMARY KEY  (row_id),
  KEY transaction_row (transaction_row),
  KEY occurred_ms (occurred_ms)
) {$collate};",
				"CREATE TABLE {$c} (
  row_id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  collaborator_id varchar(191) NOT NULL,
  name text,
  status varchar(20) DEFAULT NULL,
  PRIMARY KEY  (row_id)
) {$collate};",
			)
		);
		// Autoloaded: maybe_upgrade() reads it on every request.
		update_option( 'siren_engine_db_version', self::DB_VERSION, true );
		add_option( 'siren_engine_distributors', array(), '', false );
	}

	/**
	 * Creates the tables when the stored schema version differs (after an update).
	 */
	public static function maybe_upgrade(): void {
		if ( get_option( 'siren_engine_db_version' ) !== self::DB_VERSION ) {
			self::install();
		}
	}

	/**
	 * Drops the tables.
	 */
	public static function drop(): void {
		global $wpdb;
		foreach ( self::TABLES as $name ) {
			$table = self::table( $name );
			$wpdb->query( "DROP TABLE IF EXISTS {$table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.DirectDatabaseQuery -- the plugin's own table name.
		}
	}

	/**
	 * Rows per table.
	 *
	 * @return array{events:int,transactions:int,lines:int,refunds:int,collaborators:int}
	 */
	public static function counts(): array {
		global $wpdb;
		$counts = array();
		foreach ( self::TABLES as $name ) {
			$table           = self::table( $name );
			$counts[ $name ] = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.DirectDatabaseQuery -- the plugin's own table name, no input.
		}
		return $counts;
	}

	/**
	 * The first and last instants of the stored events, transactions and refunds (null when empty).
	 *
	 * @return array{0:int|null,1:int|null}
	 */
	public static function range(): array {
		global $wpdb;
		$first = null;
		$last  = null;
		foreach ( array( 'events', 'transactions', 'refunds' ) as $name ) {
			$table = self::table( $name );
			$row   = $wpdb->get_row( "SELECT MIN(occurred_ms), MAX(occurred_ms) FROM {$table}", ARRAY_N ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.DirectDatabaseQuery -- the plugin's own table name, no input.
			if ( is_array( $row ) && null !== $row[0] ) {
				$first = null === $first ? (int) $row[0] : min( $first, (int) $row[0] );
				$last  = null === $last ? (int) $row[1] : max( $last, (int) $row[1] );
			}
		}
		return array( $first, $last );
	}

	/**
	 * The stored transactions for a refunds file: `id => [row id, occurred ms]`.
	 *
	 * @return array<string,array{0:int,1:int}>
	 */
	public static function stored_transactions(): array {
		global $wpdb;
		$table = self::table( 'transactions' );
		$rows  = $wpdb->get_results( "SELECT row_id, transaction_id, occurred_ms FROM {$table}", ARRAY_N ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.DirectDatabaseQuery -- the plugin's own table name, no input.
		$map   = array();
		foreach ( (array) $rows as $row ) {
			$map[ (string) $row[1] ] = array( (int) $row[0], (int) $row[2] );
		}
		return $map;
	}

	/**
	 * Runs a query; throws on failure (inside the import transaction).
	 *
	 * @param string $sql Prepared SQL.
	 * @throws RuntimeException On a database error.
	 */
	private static function run( string $sql ): void {
		global $wpdb;
		if ( false === $wpdb->query( $sql ) ) { // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.DirectDatabaseQuery -- prepared by the callers.
			throw new RuntimeException( (string) $wpdb->last_error );
		}
	}

	/**
	 * Inserts rows in multi-row INSERTs of BATCH rows, each value prepared (`%s`/`%d`, NULL as such).
	 *
	 * @param string   $name    Table.
	 * @param string[] $columns Column names.
	 * @param string[] $formats `%s` or `%d` per column.
	 * @param int      $count   Number of rows.
	 * @param callable $row     Returns the values of row i.
	 */
	private static function insert( string $name, array $columns, array $formats, int $count, callable $row ): void {
		global $wpdb;
		$table = self::table( $name );
		$head  = "INSERT INTO {$table} (" . implode( ', ', $columns ) . ') VALUES ';
		for ( $start = 0; $start < $count; $start += self::BATCH ) {
			$tuples = array();
			$args   = array();
			$end    = min( $count, $start + self::BATCH );
			for ( $i = $start; $i < $end; $i++ ) {
				$values = $row( $i );
				$marks  = array();
				foreach ( $values as $j => $value ) {
					if ( null === $value ) {
						$marks[] = 'NULL';
					} else {
						$marks[] = $formats[ $j ];
						$args[]  = $value;
					}
				}
				$tuples[] = '(' . implode( ',', $marks ) . ')';
			}
			$sql = $head . implode( ',', $tuples );
			// phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders built above, one per non-null value.
			self::run( $args ? $wpdb->prepare( $sql, $args ) : $sql );
		}
	}

	/**
	 * Replaces the stored records of every kind read by the importer, in one transaction.
	 *
	 * @param array $data The importer's result.
	 * @return array|WP_Error `{events, transactions, lines, refunds, collaborators}` written.
	 */
	public static function replace( array $data ) {
		global $wpdb;
		$imported = array(
			'events'        => 0,
			'transactions'  => 0,
			'lines'         => 0,
			'refunds'       => 0,
			'collaborators' => 0,
		);
		$wpdb->query( 'START TRANSACTION' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		try {
			if ( isset( $data['collaborators'] ) ) {
				$d = $data['collaborators'];
				self::run( 'DELETE FROM ' . self::table( 'collaborators' ) );
				self::insert(
					'collaborators',
					array( 'collaborator_id', 'name', 'status' ),
					array( '%s', '%s', '%s' ),
					count( $d['id'] ),
					function ( $i ) use ( $d ) {
						return array( $d['id'][ $i ], $d['name'][ $i ], $d['status'][ $i ] );
					}
				);
				$imported['collaborators'] = count( $d['id'] );
			}
			if ( isset( $data['events'] ) ) {
				$d = $data['events'];
				self::run( 'DELETE FROM ' . self::table( 'events' ) );
				self::insert(
					'events',
					array( 'event_id', 'collaborator_id', 'type', 'occurred_ms', 'points' ),
					array( '%s', '%s', '%s', '%d', '%d' ),
					count( $d['ms'] ),
					function ( $i ) use ( $d ) {
						return array( $d['id'][ $i ], $d['collaborator'][ $i ], $d['type'][ $i ], $d['ms'][ $i ], $d['points'][ $i ] );
					}
				);
				$imported['events'] = count( $d['ms'] );
			}
			if ( isset( $data['transactions'] ) ) {
				$t = $data['transactions'];
				$l = $data['lines'];
				foreach ( array( 'transactions', 'lines', 'refunds' ) as $name ) {
					self::run( 'DELETE FROM ' . self::table( $name ) );
				}
				self::insert(
					'transactions',
					array( 'row_id', 'transaction_id', 'status', 'occurred_ms', 'currency', 'total' ),
					array( '%d', '%s', '%s', '%d', '%s', '%s' ),
					count( $t['ms'] ),
					function ( $i ) use ( $t ) {
						return array( $i + 1, $t['id'][ $i ], $t['status'][ $i ], $t['ms'][ $i ], $t['currency'][ $i ], $t['total'][ $i ] );
					}
				);
				$position = array();
				self::insert(
					'lines',
					array( 'transaction_row', 'position', 'line_type', 'amount', 'quantity', 'sku', 'categories', 'owners' ),
					array( '%d', '%d', '%s', '%s', '%d', '%s', '%s', '%s' ),
					count( $l['t'] ),
					function ( $i ) use ( $l, &$position ) {
						$k              = $l['t'][ $i ];
						$position[ $k ] = ( $position[ $k ] ?? -1 ) + 1;
						return array(
							$k + 1,
							$position[ $k ],
							$l['type'][ $i ],
							$l['amount'][ $i ],
							$l['quantity'][ $i ],
							$l['sku'][ $i ],
							null === $l['categories'][ $i ] ? null : wp_json_encode( $l['categories'][ $i ] ),
							null === $l['owners'][ $i ] ? null : wp_json_encode( $l['owners'][ $i ] ),
						);
					}
				);
				$imported['transactions'] = count( $t['ms'] );
				$imported['lines']        = count( $l['t'] );
			} elseif ( isset( $data['refunds'] ) ) {
				self::run( 'DELETE FROM ' . self::table( 'refunds' ) );
			}
			if ( isset( $data['refunds'] ) ) {
				$r      = $data['refunds'];
				$offset = empty( $data['refunds_stored'] ) ? 1 : 0;
				self::insert(
					'refunds',
					array( 'transaction_row', 'occurred_ms', 'amount' ),
					array( '%d', '%d', '%s' ),
					count( $r['t'] ),
					function ( $i ) use ( $r, $offset ) {
						return array( $r['t'][ $i ] + $offset, $r['ms'][ $i ], $r['amount'][ $i ] );
					}
				);
				$imported['refunds'] = count( $r['t'] );
			}
			$wpdb->query( 'COMMIT' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		} catch ( RuntimeException $e ) {
			$wpdb->query( 'ROLLBACK' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			return new WP_Error( 'siren_engine_db_error', __( 'The records could not be stored; nothing was changed.', 'siren-engine' ), array( 'status' => 500 ) );
		}
		return $imported;
	}

	/**
	 * The rows of a window: events that occurred in [from, to]; transactions that occurred in it
	 * or have a refund in it, with all their lines and refunds (rows as Siren_Engine_Columns reads them).
	 *
	 * @param int $from Milliseconds.
	 * @param int $to   Milliseconds.
	 * @return array{events:array,transactions:array,lines:array,refunds:array}
	 */
	public static function window_rows( int $from, int $to ): array {
		global $wpdb;
		$e = self::table( 'events' );
		$t = self::table( 'transactions' );
		$l = self::table( 'lines' );
		$r = self::table( 'refunds' );
		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.DirectDatabaseQuery -- the plugin's own table names; values prepared.
		$events       = $wpdb->get_results( $wpdb->prepare( "SELECT collaborator_id, type, occurred_ms, points, event_id FROM {$e} WHERE occurred_ms BETWEEN %d AND %d ORDER BY row_id", $from, $to ), ARRAY_N );
		$transactions = $wpdb->get_results( $wpdb->prepare( "SELECT row_id, transaction_id, status, occurred_ms, currency, total FROM {$t} WHERE occurred_ms BETWEEN %d AND %d OR row_id IN (SELECT transaction_row FROM {$r} WHERE occurred_ms BETWEEN %d AND %d) ORDER BY row_id", $from, $to, $from, $to ), ARRAY_N );
		$lines        = array();
		$refunds      = array();
		$ids          = array_map(
			function ( $row ) {
				return (int) $row[0];
			},
			(array) $transactions
		);
		foreach ( array_chunk( $ids, self::BATCH ) as $chunk ) {
			$in      = implode( ',', array_fill( 0, count( $chunk ), '%d' ) );
			$lines   = array_merge( $lines, (array) $wpdb->get_results( $wpdb->prepare( "SELECT transaction_row, line_type, amount, quantity, sku, categories, owners FROM {$l} WHERE transaction_row IN ({$in}) ORDER BY transaction_row, position", $chunk ), ARRAY_N ) );
			$refunds = array_merge( $refunds, (array) $wpdb->get_results( $wpdb->prepare( "SELECT transaction_row, occurred_ms, amount FROM {$r} WHERE transaction_row IN ({$in}) ORDER BY transaction_row, row_id", $chunk ), ARRAY_N ) );
		}
		// phpcs:enable WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.DirectDatabaseQuery
		return array(
			'events'       => (array) $events,
			'transactions' => (array) $transactions,
			'lines'        => $lines,
			'refunds'      => $refunds,
		);
	}

	/**
	 * The stored collaborators as rows `[id, name|null, status|null]`.
	 *
	 * @return array
	 */
	public static function collaborator_rows(): array {
		global $wpdb;
		$c = self::table( 'collaborators' );
		return (array) $wpdb->get_results( "SELECT collaborator_id, name, status FROM {$c} ORDER BY row_id", ARRAY_N ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.DirectDatabaseQuery -- the plugin's own table name, no input.
	}
}
