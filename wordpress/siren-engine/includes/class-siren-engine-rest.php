<?php
/**
 * The REST routes of `siren-engine/v1` (docs/wordpress.md, "REST routes"). Every route checks
 * the capability: a logged-out caller gets WordPress's 401 `rest_forbidden`, a logged-in one
 * without the capability its 403.
 *
 * @package Siren_Engine
 */

defined( 'ABSPATH' ) || exit;

// phpcs:disable WordPress.Security.EscapeOutput.ExceptionNotEscaped -- exception messages become WP_Error messages in REST JSON (or are caught here), never HTML.

/**
 * REST routes.
 */
final class Siren_Engine_Rest {

	const NAMESPACE_V1  = 'siren-engine/v1';
	const OPTION        = 'siren_engine_distributors';
	const MAX_JSON      = 1048576;
	const MAX_NAME      = 200;
	const DEFAULT_LIMIT = 33554432;

	/**
	 * Registers the routes.
	 */
	public static function register_routes(): void {
		$permission = array( __CLASS__, 'permission' );
		$ms_arg     = array(
			'required'          => true,
			'type'              => 'integer',
			'validate_callback' => array( __CLASS__, 'validate_ms' ),
			'sanitize_callback' => array( __CLASS__, 'sanitize_ms' ),
		);
		register_rest_route(
			self::NAMESPACE_V1,
			'/status',
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => array( __CLASS__, 'get_status' ),
				'permission_callback' => $permission,
			)
		);
		register_rest_route(
			self::NAMESPACE_V1,
			'/records',
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => array( __CLASS__, 'get_records' ),
				'permission_callback' => $permission,
				'args'                => array(
					'from' => $ms_arg,
					'to'   => $ms_arg,
				),
			)
		);
		register_rest_route(
			self::NAMESPACE_V1,
			'/import',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => array( __CLASS__, 'import' ),
				'permission_callback' => $permission,
			)
		);
		$entry_args = array(
			'name'           => array(
				'type'              => 'string',
				'validate_callback' => array( __CLASS__, 'validate_name' ),
				'sanitize_callback' => array( __CLASS__, 'sanitize_text' ),
			),
			'distributorKey' => array(
				'type'              => 'string',
				'validate_callback' => array( __CLASS__, 'validate_name' ),
				'sanitize_callback' => array( __CLASS__, 'sanitize_text' ),
			),
			'recipe'         => array(
				'validate_callback' => array( __CLASS__, 'validate_json_value' ),
			),
			'config'         => array(
				'validate_callback' => array( __CLASS__, 'validate_json_value' ),
			),
			'policies'       => array(
				'validate_callback' => array( __CLASS__, 'validate_json_value' ),
			),
			'timeZone'       => array(
				'type'              => 'string',
				'validate_callback' => array( __CLASS__, 'validate_time_zone' ),
				'sanitize_callback' => array( __CLASS__, 'sanitize_text' ),
			),
		);
		register_rest_route(
			self::NAMESPACE_V1,
			'/distributors',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( __CLASS__, 'get_distributors' ),
					'permission_callback' => $permission,
				),
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( __CLASS__, 'create_distributor' ),
					'permission_callback' => $permission,
					'args'                => $entry_args,
				),
			)
		);
		register_rest_route(
			self::NAMESPACE_V1,
			'/distributors/(?P<id>[A-Za-z0-9_-]{1,64})',
			array(
				'args' => array(
					'id' => array(
						'type'              => 'string',
						'validate_callback' => array( __CLASS__, 'validate_id' ),
						'sanitize_callback' => array( __CLASS__, 'sanitize_text' ),
					),
				),
				array(
					'methods'             => 'PUT',
					'callback'            => array( __CLASS__, 'update_distributor' ),
					'permission_callback' => $permission,
					'args'                => $entry_args,
				),
				array(
					'methods'             => WP_REST_Server::DELETABLE,
					'callback'            => array( __CLASS__, 'delete_distributor' ),
					'permission_callback' => $permission,
				),
			)
		);
	}

	/**
	 * The capability every screen and route checks.
	 *
	 * @return string
	 */
	public static function capability(): string {
		/**
		 * The capability needed for the plugin's screens and REST routes.
		 *
		 * @param string $capability Default `manage_options`.
		 */
		return (string) apply_filters( 'siren_engine_capability', 'manage_options' );
	}

	/**
	 * Permission callback: false → 401 for logged-out callers, 403 for the others (WordPress).
	 *
	 * @return bool
	 */
	public static function permission(): bool {
		return current_user_can( self::capability() );
	}

	/**
	 * Validates whole milliseconds since 1970 (a number or its digits).
	 *
	 * @param mixed $value Value.
	 * @return true|WP_Error
	 */
	public static function validate_ms( $value ) {
		if ( is_int( $value ) || ( is_string( $value ) && preg_match( '/^-?\d{1,16}$/D', $value ) ) ) {
			$ms = (int) $value;
			if ( $ms >= Siren_Engine_Sources::MIN_MS && $ms <= Siren_Engine_Sources::MAX_MS ) {
				return true;
			}
		}
		return new WP_Error( 'rest_invalid_param', __( 'Expected whole milliseconds since 1970 (years 1 to 9999).', 'siren-engine' ), array( 'status' => 400 ) );
	}

	/**
	 * Sanitizes milliseconds.
	 *
	 * @param mixed $value Validated value.
	 * @return int
	 */
	public static function sanitize_ms( $value ): int {
		return (int) $value;
	}

	/**
	 * Sanitizes a one-line text.
	 *
	 * @param mixed $value Value.
	 * @return string
	 */
	public static function sanitize_text( $value ): string {
		return sanitize_text_field( (string) $value );
	}

	/**
	 * Validates a name or distributor key: a non-empty string of at most 200 characters.
	 *
	 * @param mixed $value Value.
	 * @return true|WP_Error
	 */
	public static function validate_name( $value ) {
		if ( is_string( $value ) && '' !== trim( $value ) && self::length( $value ) <= self::MAX_NAME ) {
			return true;
		}
		/* translators: %d: the most characters allowed. */
		return new WP_Error( 'rest_invalid_param', sprintf( __( 'Expected a non-empty text of at most %d characters.', 'siren-engine' ), self::MAX_NAME ), array( 'status' => 400 ) );
	}

	/**
	 * Characters in a UTF-8 string.
	 *
	 * @param string $value Text.
	 * @return int
	 */
	private static function length( string $value ): int {
		return function_exists( 'mb_strlen' ) ? mb_strlen( $value, 'UTF-8' ) : (int) preg_match_all( '/./us', $value );
	}

	/**
	 * Validates a JSON value (object or array) of at most 1 MB.
	 *
	 * @param mixed $value Value.
	 * @return true|WP_Error
	 */
	public static function validate_json_value( $value ) {
		if ( is_array( $value ) && strlen( (string) wp_json_encode( $value ) ) <= self::MAX_JSON ) {
			return true;
		}
		return new WP_Error( 'rest_invalid_param', __( 'Expected a JSON object or array of at most 1 MB.', 'siren-engine' ), array( 'status' => 400 ) );
	}

	/**
	 * Validates a time zone: one that WordPress offers (an IANA name or a `+05:30` offset).
	 *
	 * @param mixed $value Value.
	 * @return true|WP_Error
	 */
	public static function validate_time_zone( $value ) {
		if ( is_string( $value ) && in_array( $value, Siren_Engine_Admin::zones(), true ) ) {
			return true;
		}
		return new WP_Error( 'rest_invalid_param', __( 'Expected a time zone WordPress offers, such as Europe/Berlin or +05:30.', 'siren-engine' ), array( 'status' => 400 ) );
	}

	/**
	 * Validates an entry id.
	 *
	 * @param mixed $value Value.
	 * @return bool
	 */
	public static function validate_id( $value ): bool {
		return is_string( $value ) && (bool) preg_match( '/^[A-Za-z0-9_-]{1,64}$/D', $value );
	}

	/**
	 * `GET /status`.
	 *
	 * @return WP_REST_Response|WP_Error
	 */
	public static function get_status() {
		$status = Siren_Engine_Sources::status();
		return is_wp_error( $status ) ? $status : rest_ensure_response( $status );
	}

	/**
	 * `GET /records?from=MS&to=MS`.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function get_records( WP_REST_Request $request ) {
		$from = (int) $request->get_param( 'from' );
		$to   = (int) $request->get_param( 'to' );
		if ( $from > $to ) {
			return new WP_Error(
				'rest_invalid_param',
				__( 'from must not be after to.', 'siren-engine' ),
				array(
					'status' => 400,
					'params' => array( 'from' => __( 'from must not be after to.', 'siren-engine' ) ),
				)
			);
		}
		$records = Siren_Engine_Sources::records( $from, $to );
		return is_wp_error( $records ) ? $records : rest_ensure_response( $records );
	}

	/**
	 * The upload size limit per file.
	 *
	 * @return int Bytes.
	 */
	public static function max_upload_bytes(): int {
		/**
		 * The largest data file the importer reads, in bytes.
		 *
		 * @param int $bytes Default 32 MB.
		 */
		return (int) apply_filters( 'siren_engine_max_upload_bytes', self::DEFAULT_LIMIT );
	}

	/**
	 * An import error as a WP_Error.
	 *
	 * @param Siren_Engine_Import_Error $e Error.
	 * @return WP_Error
	 */
	private static function import_error( Siren_Engine_Import_Error $e ): WP_Error {
		$codes = array(
			413 => 'siren_engine_too_large',
			415 => 'siren_engine_bad_type',
		);
		return new WP_Error(
			$codes[ $e->status ] ?? 'siren_engine_bad_file',
			$e->getMessage(),
			array(
				'status' => $e->status,
				'field'  => $e->field,
				'file'   => $e->file,
				'line'   => $e->line,
				'column' => $e->column,
			)
		);
	}

	/**
	 * `POST /import` (multipart; file fields events, transactions, refunds, collaborators).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function import( WP_REST_Request $request ) {
		$uploads = $request->get_file_params();
		$limit   = self::max_upload_bytes();
		$files   = array();
		try {
			foreach ( Siren_Engine_Importer::KINDS as $kind ) {
				if ( ! isset( $uploads[ $kind ] ) || ! is_array( $uploads[ $kind ] ) ) {
					continue;
				}
				$upload = $uploads[ $kind ];
				if ( is_array( $upload['name'] ?? null ) ) {
					throw new Siren_Engine_Import_Error( $kind, $kind, 0, 0, 'one file per field' );
				}
				$name  = sanitize_file_name( wp_basename( (string) ( $upload['name'] ?? $kind ) ) );
				$error = (int) ( $upload['error'] ?? UPLOAD_ERR_NO_FILE );
				if ( UPLOAD_ERR_NO_FILE === $error ) {
					continue;
				}
				if ( UPLOAD_ERR_INI_SIZE === $error || UPLOAD_ERR_FORM_SIZE === $error || (int) ( $upload['size'] ?? 0 ) > $limit ) {
					/* translators: %s: the largest size allowed, e.g. 32 MB. */
					throw new Siren_Engine_Import_Error( $kind, $name, 0, 0, sprintf( __( 'the file is larger than %s', 'siren-engine' ), size_format( min( $limit, wp_max_upload_size() ) ) ), 413 );
				}
				$tmp = (string) ( $upload['tmp_name'] ?? '' );
				if ( UPLOAD_ERR_OK !== $error || '' === $tmp || ! is_uploaded_file( $tmp ) ) {
					throw new Siren_Engine_Import_Error( $kind, $name, 0, 0, __( 'the upload failed; try again', 'siren-engine' ) );
				}
				$size = (int) filesize( $tmp );
				if ( $size > $limit ) {
					/* translators: %s: the largest size allowed, e.g. 32 MB. */
					throw new Siren_Engine_Import_Error( $kind, $name, 0, 0, sprintf( __( 'the file is larger than %s', 'siren-engine' ), size_format( $limit ) ), 413 );
				}
				if ( 0 === $size ) {
					throw new Siren_Engine_Import_Error( $kind, $name, 0, 0, __( 'the file is empty', 'siren-engine' ) );
				}
				$text = file_get_contents( $tmp ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- reading an uploaded temporary file.
				if ( false === $text ) {
					throw new Siren_Engine_Import_Error( $kind, $name, 0, 0, __( 'the upload failed; try again', 'siren-engine' ) );
				}
				$files[ $kind ] = array(
					'name' => $name,
					'text' => $text,
				);
			}
		} catch ( Siren_Engine_Import_Error $e ) {
			return self::import_error( $e );
		}
		if ( ! $files ) {
			$length = isset( $_SERVER['CONTENT_LENGTH'] ) ? absint( wp_unslash( $_SERVER['CONTENT_LENGTH'] ) ) : 0;
			if ( $length > wp_convert_hr_to_bytes( (string) ini_get( 'post_max_size' ) ) ) {
				return new WP_Error( 'siren_engine_too_large', __( 'The upload is larger than the server accepts (post_max_size).', 'siren-engine' ), array( 'status' => 413 ) );
			}
			return new WP_Error( 'siren_engine_no_files', __( 'Send at least one file: events, transactions, refunds or collaborators.', 'siren-engine' ), array( 'status' => 400 ) );
		}
		wp_raise_memory_limit( 'admin' );
		$importer = new Siren_Engine_Importer( array( 'Siren_Engine_Store', 'stored_transactions' ) );
		try {
			$data = $importer->read( $files );
		} catch ( Siren_Engine_Import_Error $e ) {
			return self::import_error( $e );
		}
		unset( $files );
		$imported = Siren_Engine_Store::replace( $data );
		if ( is_wp_error( $imported ) ) {
			return $imported;
		}
		return rest_ensure_response( array( 'imported' => $imported ) );
	}

	/**
	 * The saved entries (option), as stored.
	 *
	 * @return array<string,array>
	 */
	private static function saved(): array {
		$saved = get_option( self::OPTION, array() );
		return is_array( $saved ) ? $saved : array();
	}

	/**
	 * A stored entry as the API shows it (JSON values decoded, objects kept as objects).
	 *
	 * @param array $stored Stored entry.
	 * @return array
	 */
	private static function present( array $stored ): array {
		$entry = array(
			'id'             => (string) $stored['id'],
			'name'           => (string) $stored['name'],
			'source'         => 'saved',
			'recipe'         => json_decode( (string) $stored['recipe'] ),
			'distributorKey' => (string) $stored['distributorKey'],
			'config'         => json_decode( (string) $stored['config'] ),
		);
		if ( isset( $stored['timeZone'] ) ) {
			$entry['timeZone'] = (string) $stored['timeZone'];
		}
		if ( isset( $stored['policies'] ) ) {
			$entry['policies'] = json_decode( (string) $stored['policies'] );
		}
		if ( isset( $stored['modified'] ) ) {
			$entry['modified'] = (string) $stored['modified'];
		}
		return $entry;
	}

	/**
	 * `GET /distributors`: the saved ones, then Siren's.
	 *
	 * @return WP_REST_Response
	 */
	public static function get_distributors() {
		$entries = array();
		foreach ( self::saved() as $stored ) {
			if ( is_array( $stored ) && isset( $stored['id'], $stored['name'], $stored['recipe'], $stored['distributorKey'], $stored['config'] ) ) {
				$entries[] = self::present( $stored );
			}
		}
		foreach ( Siren_Engine_Sources::siren_distributors() as $entry ) {
			$entries[] = $entry;
		}
		return rest_ensure_response( $entries );
	}

	/**
	 * Reads and checks an entry from the request body: JSON values keep objects as objects.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return array|WP_Error The entry to store (without id).
	 */
	private static function entry_from( WP_REST_Request $request ) {
		$body = json_decode( $request->get_body() );
		if ( ! $body instanceof stdClass ) {
			return new WP_Error( 'rest_invalid_json', __( 'Send the entry as a JSON object.', 'siren-engine' ), array( 'status' => 400 ) );
		}
		$problems = array();
		foreach ( array( 'name', 'distributorKey' ) as $field ) {
			if ( ! isset( $body->$field ) || true !== self::validate_name( $body->$field ) ) {
				/* translators: %d: the most characters allowed. */
				$problems[ $field ] = sprintf( __( 'Expected a non-empty text of at most %d characters.', 'siren-engine' ), self::MAX_NAME );
			}
		}
		$json = array();
		foreach ( array(
			'recipe'   => true,
			'config'   => true,
			'policies' => false,
		) as $field => $required ) {
			if ( ! isset( $body->$field ) ) {
				if ( $required ) {
					$problems[ $field ] = __( 'Required.', 'siren-engine' );
				}
				continue;
			}
			$value = $body->$field;
			$ok    = 'config' === $field ? ( $value instanceof stdClass || is_array( $value ) ) : $value instanceof stdClass;
			$text  = (string) wp_json_encode( $value );
			if ( ! $ok || strlen( $text ) > self::MAX_JSON ) {
				$problems[ $field ] = 'config' === $field ? __( 'Expected a JSON object or array of at most 1 MB.', 'siren-engine' ) : __( 'Expected a JSON object of at most 1 MB.', 'siren-engine' );
				continue;
			}
			$json[ $field ] = $text;
		}
		if ( isset( $body->timeZone ) && true !== self::validate_time_zone( $body->timeZone ) ) {
			$problems['timeZone'] = __( 'Expected a time zone WordPress offers, such as Europe/Berlin or +05:30.', 'siren-engine' );
		}
		if ( $problems ) {
			return new WP_Error(
				'rest_invalid_param',
				/* translators: %s: the names of the invalid fields. */
				sprintf( __( 'Invalid parameter(s): %s', 'siren-engine' ), implode( ', ', array_keys( $problems ) ) ),
				array(
					'status' => 400,
					'params' => $problems,
				)
			);
		}
		$entry = array(
			'name'           => sanitize_text_field( $body->name ),
			'recipe'         => $json['recipe'],
			'distributorKey' => sanitize_text_field( $body->distributorKey ),
			'config'         => $json['config'],
			'modified'       => gmdate( 'Y-m-d\TH:i:s\Z' ),
		);
		if ( isset( $body->timeZone ) ) {
			$entry['timeZone'] = (string) $body->timeZone;
		}
		if ( isset( $json['policies'] ) ) {
			$entry['policies'] = $json['policies'];
		}
		return $entry;
	}

	/**
	 * `POST /distributors`.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function create_distributor( WP_REST_Request $request ) {
		$entry = self::entry_from( $request );
		if ( is_wp_error( $entry ) ) {
			return $entry;
		}
		$saved = self::saved();
		do {
			$id = 'd' . substr( str_replace( '-', '', wp_generate_uuid4() ), 0, 12 );
		} while ( isset( $saved[ $id ] ) );
		$entry         = array( 'id' => $id ) + $entry;
		$saved[ $id ]  = $entry;
		update_option( self::OPTION, $saved, false );
		$response = rest_ensure_response( self::present( $entry ) );
		$response->set_status( 201 );
		return $response;
	}

	/**
	 * The error for an id that is not a saved entry.
	 *
	 * @param string $id Id.
	 * @return WP_Error
	 */
	private static function not_saved( string $id ): WP_Error {
		if ( str_starts_with( $id, 'siren-' ) ) {
			return new WP_Error( 'siren_engine_read_only', __( 'Distributors from Siren are changed in Siren; save a copy to edit it here.', 'siren-engine' ), array( 'status' => 409 ) );
		}
		return new WP_Error( 'siren_engine_not_found', __( 'No saved distributor has this id.', 'siren-engine' ), array( 'status' => 404 ) );
	}

	/**
	 * `PUT /distributors/<id>`: replaces a saved entry.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function update_distributor( WP_REST_Request $request ) {
		$id    = (string) $request->get_param( 'id' );
		$saved = self::saved();
		if ( ! isset( $saved[ $id ] ) ) {
			return self::not_saved( $id );
		}
		$entry = self::entry_from( $request );
		if ( is_wp_error( $entry ) ) {
			return $entry;
		}
		$entry        = array( 'id' => $id ) + $entry;
		$saved[ $id ] = $entry;
		update_option( self::OPTION, $saved, false );
		return rest_ensure_response( self::present( $entry ) );
	}

	/**
	 * `DELETE /distributors/<id>`.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function delete_distributor( WP_REST_Request $request ) {
		$id    = (string) $request->get_param( 'id' );
		$saved = self::saved();
		if ( ! isset( $saved[ $id ] ) ) {
			return self::not_saved( $id );
		}
		$previous = self::present( $saved[ $id ] );
		unset( $saved[ $id ] );
		update_option( self::OPTION, $saved, false );
		return rest_ensure_response(
			array(
				'deleted'  => true,
				'previous' => $previous,
			)
		);
	}
}
