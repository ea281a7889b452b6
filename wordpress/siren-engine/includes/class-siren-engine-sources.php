<?php
/**
 * Where records come from, one source at a time: the `siren_engine_records` filter when it
 * returns records; Siren through its own REST API (read with rest_do_request, so no request leaves
 * the site) when Siren's routes are registered; else the plugin's tables.
 *
 * @package Siren_Engine
 */

defined( 'ABSPATH' ) || exit;

/**
 * Record sources.
 */
final class Siren_Engine_Sources {

	const PER_PAGE  = 100;
	const MAX_PAGES = 2000;
	const MIN_MS    = -62135596800000; // 0001-01-01T00:00:00Z.
	const MAX_MS    = 253402300799999; // 9999-12-31T23:59:59.999Z.

	/**
	 * Records from the filter, or null when no site supplies them.
	 *
	 * @param int $from Milliseconds.
	 * @param int $to   Milliseconds.
	 * @return array|null|WP_Error A WP_Error when the filter returns neither records nor null.
	 */
	public static function filtered( int $from, int $to ) {
		if ( ! has_filter( 'siren_engine_records' ) ) {
			return null;
		}
		/**
		 * Supplies the records of a window in the engine's object shapes.
		 *
		 * @param array|null $records Null: not supplied.
		 * @param array      $args    `['from' => ms, 'to' => ms]`.
		 */
		$records = apply_filters(
			'siren_engine_records',
			null,
			array(
				'from' => $from,
				'to'   => $to,
			)
		);
		if ( null === $records || is_array( $records ) ) {
			return $records;
		}
		// Not records, and not null (not supplied): the site's mistake or failure, shown as such
		// rather than silently replaced by the tables.
		$problem = 'expected an array of records or null, got ' . get_debug_type( $records );
		if ( is_wp_error( $records ) ) {
			$problem .= ': ' . $records->get_error_message();
		}
		return self::bad_records( 'filter', $problem );
	}

	/**
	 * The error for records that cannot be read.
	 *
	 * @param string $source  Where they come from: filter or siren.
	 * @param string $problem What is wrong.
	 * @return WP_Error
	 */
	private static function bad_records( string $source, string $problem ): WP_Error {
		return new WP_Error(
			'siren_engine_bad_records',
			/* translators: 1: where the records come from (filter or siren), 2: the problem. */
			sprintf( __( 'The records supplied by %1$s cannot be read: %2$s', 'siren-engine' ), $source, $problem ),
			array( 'status' => 500 )
		);
	}

	/**
	 * Whether Siren's REST routes are registered.
	 *
	 * @return bool
	 */
	public static function siren_available(): bool {
		$server = rest_get_server();
		foreach ( array_keys( $server->get_routes() ) as $route ) {
			if ( str_starts_with( (string) $route, '/siren/v1/' ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a Siren route (e.g. `/siren/v1/transactions`) is registered.
	 *
	 * @param string $route Route.
	 * @return bool
	 */
	private static function has_route( string $route ): bool {
		return array_key_exists( $route, rest_get_server()->get_routes() );
	}

	/**
	 * One internal GET: [data, headers], or a WP_Error.
	 *
	 * @param string $route  Route.
	 * @param array  $params Query parameters.
	 * @return array|WP_Error
	 */
	public static function siren_get( string $route, array $params = array() ) {
		$request = new WP_REST_Request( 'GET', $route );
		$request->set_query_params( $params );
		$response = rest_do_request( $request );
		if ( $response->is_error() ) {
			return $response->as_error();
		}
		return array( $response->get_data(), $response->get_headers() );
	}

	/**
	 * Every record of a paged Siren collection: perPage 100, until a short page or the
	 * `x-siren-estimated-count` is reached.
	 *
	 * @param string $route  Route.
	 * @param array  $params Extra query parameters.
	 * @return array|WP_Error
	 */
	public static function siren_all( string $route, array $params = array() ) {
		if ( ! self::has_route( $route ) ) {
			return array();
		}
		$all = array();
		for ( $page = 1; $page <= self::MAX_PAGES; $page++ ) {
			$result = self::siren_get(
				$route,
				$params + array(
					'page'    => $page,
					'perPage' => self::PER_PAGE,
				)
			);
			if ( is_wp_error( $result ) ) {
				return $result;
			}
			list( $data, $headers ) = $result;
			$data                   = json_decode( (string) wp_json_encode( $data ), true );
			if ( ! is_array( $data ) ) {
				break;
			}
			$rows = array_is_list( $data ) ? $data : array();
			foreach ( $rows as $row ) {
				$all[] = $row;
			}
			$estimate = null;
			foreach ( (array) $headers as $name => $value ) {
				if ( 'x-siren-estimated-count' === strtolower( (string) $name ) && is_numeric( $value ) ) {
					$estimate = (int) $value;
				}
			}
			if ( count( $rows ) < self::PER_PAGE || ( null !== $estimate && count( $all ) >= $estimate ) ) {
				break;
			}
		}
		return $all;
	}

	/**
	 * Siren's records mapped to the engine's object shapes.
	 *
	 * @return array|WP_Error
	 */
	public static function siren_records() {
		$lists = array();
		foreach ( array(
			'transactions'  => '/siren/v1/transactions',
			'engagements'   => '/siren/v1/engagements',
			'collaborators' => '/siren/v1/collaborators',
		) as $name => $route ) {
			$list = self::siren_all( $route );
			if ( is_wp_error( $list ) ) {
				return $list;
			}
			$lists[ $name ] = $list;
		}
		return Siren_Engine_Siren_Mapping::records( $lists['transactions'], $lists['engagements'], $lists['collaborators'] );
	}

	/**
	 * Records supplied from outside the tables, by the filter first, else by Siren.
	 *
	 * @param int $from Milliseconds.
	 * @param int $to   Milliseconds.
	 * @return array|WP_Error `[records or null, source]`; null: the tables are the source.
	 */
	private static function supplied( int $from, int $to ) {
		$records = self::filtered( $from, $to );
		if ( is_wp_error( $records ) ) {
			return $records;
		}
		if ( null !== $records ) {
			return array( $records, 'filter' );
		}
		if ( ! self::siren_available() ) {
			return array( null, 'tables' );
		}
		$records = self::siren_records();
		return is_wp_error( $records ) ? $records : array( $records, 'siren' );
	}

	/**
	 * The records of a window for `GET /records`.
	 *
	 * @param int $from Milliseconds.
	 * @param int $to   Milliseconds.
	 * @return array|WP_Error `{source, events, transactions, collaborators}`.
	 */
	public static function records( int $from, int $to ) {
		$supplied = self::supplied( $from, $to );
		if ( is_wp_error( $supplied ) ) {
			return $supplied;
		}
		list( $records, $source ) = $supplied;
		if ( null !== $records ) {
			try {
				$window = Siren_Engine_Columns::from_records( $records, $from, $to );
			} catch ( InvalidArgumentException $e ) {
				return self::bad_records( $source, $e->getMessage() );
			}
			return array( 'source' => $source ) + $window;
		}
		$rows          = Siren_Engine_Store::window_rows( $from, $to );
		$collaborators = array();
		foreach ( Siren_Engine_Store::collaborator_rows() as $row ) {
			$collaborators[] = Siren_Engine_Columns::collaborator( $row );
		}
		return array(
			'source'        => 'tables',
			'events'        => Siren_Engine_Columns::events( $rows['events'] ),
			'transactions'  => Siren_Engine_Columns::transactions( $rows['transactions'], $rows['lines'], $rows['refunds'] ),
			'collaborators' => $collaborators,
		);
	}

	/**
	 * `GET /status`: the source, its counts and its first and last instants.
	 *
	 * @return array|WP_Error
	 */
	public static function status() {
		$supplied = self::supplied( self::MIN_MS, self::MAX_MS );
		if ( is_wp_error( $supplied ) ) {
			return $supplied;
		}
		list( $records, $source ) = $supplied;
		if ( null === $records ) {
			list( $first, $last ) = Siren_Engine_Store::range();
			return array(
				'source'  => 'tables',
				'counts'  => Siren_Engine_Store::counts(),
				'firstMs' => $first,
				'lastMs'  => $last,
			);
		}
		try {
			$rows = Siren_Engine_Columns::rows_of_records( $records );
		} catch ( InvalidArgumentException $e ) {
			return self::bad_records( $source, $e->getMessage() );
		}
		$instants = array_merge( array_column( $rows['events'], 2 ), array_column( $rows['transactions'], 3 ), array_column( $rows['refunds'], 1 ) );
		return array(
			'source'  => $source,
			'counts'  => array(
				'events'        => count( $rows['events'] ),
				'transactions'  => count( $rows['transactions'] ),
				'lines'         => count( $rows['lines'] ),
				'refunds'       => count( $rows['refunds'] ),
				'collaborators' => count( $rows['collaborators'] ),
			),
			'firstMs' => $instants ? min( $instants ) : null,
			'lastMs'  => $instants ? max( $instants ) : null,
		);
	}

	/**
	 * Siren's distributors as entries (`GET /siren/v1/distributors` + each `?include=extended`).
	 *
	 * @return array
	 */
	public static function siren_distributors(): array {
		if ( ! self::has_route( '/siren/v1/distributors' ) ) {
			return array();
		}
		$list = self::siren_all( '/siren/v1/distributors' );
		if ( is_wp_error( $list ) ) {
			return array();
		}
		$entries = array();
		foreach ( $list as $distributor ) {
			if ( ! is_array( $distributor ) || ! isset( $distributor['id'] ) || ! is_scalar( $distributor['id'] ) ) {
				continue;
			}
			$result = self::siren_get( '/siren/v1/distributors/' . rawurlencode( (string) $distributor['id'] ), array( 'include' => 'extended' ) );
			if ( is_wp_error( $result ) ) {
				continue;
			}
			$json     = (string) wp_json_encode( $result[0] );
			$extended = json_decode( $json, true );
			$entry    = is_array( $extended ) ? Siren_Engine_Siren_Mapping::distributor( $extended ) : null;
			if ( null !== $entry ) {
				// The payload as JSON values (objects stay objects), the configuration the engine reads.
				$entry['config'] = json_decode( $json );
				$entries[] = $entry;
			}
		}
		return $entries;
	}
}
