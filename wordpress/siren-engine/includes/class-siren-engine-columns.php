<?php
/**
 * Records → the engine's column JSON (`EventColumns`, `TransactionColumns` of pkg/*.d.ts) as plain
 * arrays, built directly from database rows (no per-row objects). `null` in a numeric column
 * stands for NaN. Amounts are scaled exactly with string arithmetic; when one would not fit
 * 2^53 − 1, the transactions come back as objects with decimal-string amounts instead.
 *
 * Pure PHP: no WordPress function is used.
 *
 * @package Siren_Engine
 */

defined( 'ABSPATH' ) || exit;

// phpcs:disable WordPress.Security.EscapeOutput.ExceptionNotEscaped -- exception messages become WP_Error messages in REST JSON (or are caught here), never HTML.

/**
 * Column building.
 */
final class Siren_Engine_Columns {

	const MAX_SAFE_TEXT = '9007199254740991';
	const MAX_SCALE     = 12;
	const MAX_U32       = 4294967295;

	/**
	 * Event columns from rows `[collaborator_id, type, occurred_ms, points|null, event_id|null]`.
	 *
	 * @param array $rows Rows (numerically indexed).
	 * @return array
	 */
	public static function events( array $rows ): array {
		$collaborator_index = array();
		$type_index         = array();
		$collaborator_ids   = array();
		$type_names         = array();
		$collaborators      = array();
		$types              = array();
		$ms                 = array();
		$points             = array();
		$ids                = array();
		$any_points         = false;
		$any_id             = false;
		foreach ( $rows as $row ) {
			$c = (string) $row[0];
			if ( ! isset( $collaborator_index[ $c ] ) ) {
				$collaborator_index[ $c ] = count( $collaborator_ids );
				$collaborator_ids[]       = $c;
			}
			$t = (string) $row[1];
			if ( ! isset( $type_index[ $t ] ) ) {
				$type_index[ $t ] = count( $type_names );
				$type_names[]     = $t;
			}
			$collaborators[] = $collaborator_index[ $c ];
			$types[]         = $type_index[ $t ];
			$ms[]            = (int) $row[2];
			if ( null === $row[3] ) {
				$points[] = null;
			} else {
				$points[]   = (int) $row[3];
				$any_points = true;
			}
			$id = $row[4] ?? null;
			if ( null === $id ) {
				$ids[] = null;
			} else {
				$ids[]  = (string) $id;
				$any_id = true;
			}
		}
		$columns = array(
			'collaboratorIndex' => $collaborators,
			'typeIndex'         => $types,
			'occurredAtMs'      => $ms,
			'collaboratorIds'   => $collaborator_ids,
			'typeNames'         => $type_names,
		);
		if ( $any_points ) {
			$columns['points'] = $points;
		}
		if ( $any_id ) {
			$columns['eventIds'] = $ids;
		}
		return $columns;
	}

	/**
	 * The decimals of an amount's text once trailing fraction zeros are dropped.
	 *
	 * @param string $amount Plain decimal text.
	 * @return int
	 */
	private static function decimals( string $amount ): int {
		$dot = strpos( $amount, '.' );
		return false === $dot ? 0 : strlen( rtrim( substr( $amount, $dot + 1 ), '0' ) );
	}

	/**
	 * An amount as a whole number of 10^-scale units, or null when it does not fit 2^53 − 1.
	 *
	 * @param string $amount Plain decimal text with at most `$scale` significant decimals.
	 * @param int    $scale  Scale.
	 * @return int|null
	 */
	public static function scaled( string $amount, int $scale ): ?int {
		$dot = strpos( $amount, '.' );
		if ( false === $dot ) {
			$digits = $amount . str_repeat( '0', $scale );
		} else {
			$fraction = rtrim( substr( $amount, $dot + 1 ), '0' );
			if ( strlen( $fraction ) > $scale ) {
				return null;
			}
			$digits = substr( $amount, 0, $dot ) . str_pad( $fraction, $scale, '0' );
		}
		$digits = ltrim( $digits, '0' );
		if ( '' === $digits ) {
			return 0;
		}
		$length = strlen( $digits );
		if ( $length > 16 || ( 16 === $length && strcmp( $digits, self::MAX_SAFE_TEXT ) > 0 ) || ! ctype_digit( $digits ) ) {
			return null;
		}
		return (int) $digits;
	}

	/**
	 * Scales amounts in place; false when one does not fit 2^53 − 1.
	 *
	 * @param array $amounts Decimal texts or nulls.
	 * @param int   $scale   Scale.
	 * @return bool
	 */
	private static function scale_all( array &$amounts, int $scale ): bool {
		foreach ( $amounts as $i => $amount ) {
			if ( null !== $amount ) {
				$v = self::scaled( (string) $amount, $scale );
				if ( null === $v ) {
					return false;
				}
				$amounts[ $i ] = $v;
			}
		}
		return true;
	}

	/**
	 * Decodes a stored list (JSON text) with a cache.
	 *
	 * @param string|null $text  JSON array text.
	 * @param array       $cache Cache.
	 * @return array|null
	 */
	private static function list_of( ?string $text, array &$cache ): ?array {
		if ( null === $text || '' === $text ) {
			return null;
		}
		if ( ! isset( $cache[ $text ] ) ) {
			$value          = json_decode( $text, true );
			$cache[ $text ] = is_array( $value ) ? array_map( 'strval', $value ) : array();
		}
		return $cache[ $text ];
	}

	/**
	 * Transaction columns from rows, or transaction objects when an amount does not fit.
	 *
	 * @param array $transactions Rows `[row_id, transaction_id, status|null, occurred_ms, currency|null, total|null]`, in order.
	 * @param array $lines        Rows `[transaction_row, line_type, amount, quantity|null, sku|null, categories json|null, owners json|null]`, by transaction then position.
	 * @param array $refunds      Rows `[transaction_row, occurred_ms, amount|null]`, by transaction then order.
	 * @return array Columns (an associative array), or a list of transaction objects.
	 */
	public static function transactions( array $transactions, array $lines, array $refunds ): array {
		$status_names = Siren_Engine_Importer::STATUSES;
		$line_names   = Siren_Engine_Importer::LINE_TYPES;
		$status_pos   = array_flip( $status_names );
		$line_pos     = array_flip( $line_names );
		$index        = array();
		$ids          = array();
		$ms           = array();
		$status       = array();
		$currencies   = array();
		$totals       = array();
		$scale        = 0;
		$any_status   = false;
		$any_currency = false;
		$any_total    = false;
		foreach ( $transactions as $k => $row ) {
			$index[ (string) $row[0] ] = $k;
			$ids[]                     = (string) $row[1];
			$ms[]                      = (int) $row[3];
			$s                         = null === $row[2] ? 0 : ( $status_pos[ $row[2] ] ?? 0 );
			$status[]                  = $s;
			$any_status                = $any_status || 0 !== $s;
			$currencies[]              = $row[4];
			$any_currency              = $any_currency || null !== $row[4];
			$totals[]                  = $row[5];
			if ( null !== $row[5] ) {
				$any_total = true;
				$scale     = max( $scale, self::decimals( (string) $row[5] ) );
			}
		}
		$line_t       = array();
		$line_type    = array();
		$line_amount  = array();
		$line_qty     = array();
		$skus         = array();
		$categories   = array();
		$owners       = array();
		$cache        = array();
		$any_qty      = false;
		$any_sku      = false;
		$any_category = false;
		$any_owner    = false;
		$fits         = true;
		foreach ( $lines as $row ) {
			$k = $index[ (string) $row[0] ] ?? null;
			if ( null === $k ) {
				continue;
			}
			$line_t[]      = $k;
			$line_type[]   = $line_pos[ $row[1] ] ?? 0;
			$line_amount[] = (string) $row[2];
			$scale         = max( $scale, self::decimals( (string) $row[2] ) );
			if ( null === $row[3] ) {
				$line_qty[] = 1;
			} else {
				$q          = (int) $row[3];
				$line_qty[] = $q;
				$any_qty    = true;
				$fits       = $fits && $q <= self::MAX_U32;
			}
			$skus[]       = null === $row[4] ? null : (string) $row[4];
			$any_sku      = $any_sku || null !== $row[4];
			$c            = self::list_of( $row[5], $cache );
			$categories[] = $c;
			$any_category = $any_category || null !== $c;
			$o            = self::list_of( $row[6], $cache );
			$owners[]     = $o;
			$any_owner    = $any_owner || null !== $o;
		}
		$refund_t      = array();
		$refund_ms     = array();
		$refund_amount = array();
		foreach ( $refunds as $row ) {
			$k = $index[ (string) $row[0] ] ?? null;
			if ( null === $k ) {
				continue;
			}
			$refund_t[]      = $k;
			$refund_ms[]     = (int) $row[1];
			$refund_amount[] = $row[2];
			if ( null !== $row[2] ) {
				$scale = max( $scale, self::decimals( (string) $row[2] ) );
			}
		}
		$fits = $fits && $scale <= self::MAX_SCALE;
		$fits = $fits && self::scale_all( $totals, $scale ) && self::scale_all( $line_amount, $scale ) && self::scale_all( $refund_amount, $scale );
		if ( ! $fits ) {
			return self::transaction_objects( $transactions, $lines, $refunds );
		}
		$columns = array(
			'transactionIds' => $ids,
			'occurredAtMs'   => $ms,
		);
		if ( $any_status ) {
			$columns['statusIndex'] = $status;
			$columns['statusNames'] = $status_names;
		}
		if ( $any_currency ) {
			$columns['currencies'] = $currencies;
		}
		if ( $any_total ) {
			$columns['total'] = $totals;
		}
		$columns['amountScale']          = $scale;
		$columns['lineTransactionIndex'] = $line_t;
		$columns['lineTypeIndex']        = $line_type;
		$columns['lineTypeNames']        = $line_names;
		$columns['lineAmount']           = $line_amount;
		if ( $any_qty ) {
			$columns['lineQuantity'] = $line_qty;
		}
		if ( $any_sku ) {
			$columns['lineSkus'] = $skus;
		}
		if ( $any_category ) {
			$columns['lineCategories'] = $categories;
		}
		if ( $any_owner ) {
			$columns['lineOwnerCollaboratorIds'] = $owners;
		}
		if ( $refund_t ) {
			$columns['refundTransactionIndex'] = $refund_t;
			$columns['refundOccurredAtMs']     = $refund_ms;
			$columns['refundAmount']           = $refund_amount;
		}
		return $columns;
	}

	/**
	 * The same rows as transaction objects (ENGINE.md §8), amounts as decimal strings.
	 *
	 * @param array $transactions Rows as for transactions().
	 * @param array $lines        Rows as for transactions().
	 * @param array $refunds      Rows as for transactions().
	 * @return array
	 */
	public static function transaction_objects( array $transactions, array $lines, array $refunds ): array {
		$objects = array();
		$index   = array();
		foreach ( $transactions as $k => $row ) {
			$index[ (string) $row[0] ] = $k;
			$t                         = array( 'id' => (string) $row[1] );
			if ( null !== $row[2] ) {
				$t['status'] = $row[2];
			}
			$t['occurredAt'] = Siren_Engine_Importer::iso_of_ms( (int) $row[3] );
			if ( null !== $row[4] ) {
				$t['currency'] = $row[4];
			}
			if ( null !== $row[5] ) {
				$t['total'] = (string) $row[5];
			}
			$objects[] = $t;
		}
		$cache = array();
		foreach ( $lines as $row ) {
			$k = $index[ (string) $row[0] ] ?? null;
			if ( null === $k ) {
				continue;
			}
			$detail = array(
				'type'   => $row[1],
				'amount' => (string) $row[2],
			);
			if ( null !== $row[3] ) {
				$detail['quantity'] = (int) $row[3];
			}
			if ( null !== $row[4] ) {
				$detail['sku'] = (string) $row[4];
			}
			$c = self::list_of( $row[5], $cache );
			if ( null !== $c ) {
				$detail['categories'] = $c;
			}
			$o = self::list_of( $row[6], $cache );
			if ( null !== $o ) {
				$detail['ownerCollaboratorIds'] = $o;
			}
			$objects[ $k ]['details'][] = $detail;
		}
		foreach ( $refunds as $row ) {
			$k = $index[ (string) $row[0] ] ?? null;
			if ( null === $k ) {
				continue;
			}
			$refund = array( 'occurredAt' => Siren_Engine_Importer::iso_of_ms( (int) $row[1] ) );
			if ( null !== $row[2] ) {
				$refund['amount'] = (string) $row[2];
			}
			$objects[ $k ]['refunds'][] = $refund;
		}
		return $objects;
	}

	/**
	 * Records in the engine's object shapes (from the `siren_engine_records` filter or from
	 * Siren) → `{events: EventColumns, transactions: TransactionColumns|objects, collaborators}`,
	 * keeping the events that occurred in [from, to] and the transactions that occurred in it or
	 * have a refund in it.
	 *
	 * @param array $records `['events' => [...], 'transactions' => [...], 'collaborators' => [...]]`.
	 * @param int   $from    Milliseconds.
	 * @param int   $to      Milliseconds.
	 * @return array
	 * @throws InvalidArgumentException When a record cannot be read (the message names its path).
	 */
	public static function from_records( array $records, int $from, int $to ): array {
		$rows = self::rows_of_records( $records );
		return self::window( $rows, $from, $to );
	}

	/**
	 * Rows of the records (as the tables give them), checked.
	 *
	 * @param array $records Records in object shapes.
	 * @return array{events:array,transactions:array,lines:array,refunds:array,collaborators:array}
	 * @throws InvalidArgumentException On a bad record.
	 */
	public static function rows_of_records( array $records ): array {
		$out = array(
			'events'        => array(),
			'transactions'  => array(),
			'lines'         => array(),
			'refunds'       => array(),
			'collaborators' => array(),
		);
		foreach ( array_values( (array) ( $records['events'] ?? array() ) ) as $i => $event ) {
			$event = (array) $event;
			$c     = Siren_Engine_Importer::json_text( $event['collaboratorId'] ?? null );
			$type  = $event['type'] ?? null;
			if ( null === $c || '' === $c ) {
				throw new InvalidArgumentException( "/events/{$i}/collaboratorId: an event needs a collaboratorId" );
			}
			if ( ! is_string( $type ) || '' === $type ) {
				throw new InvalidArgumentException( "/events/{$i}/type: an event needs a type" );
			}
			$ms = Siren_Engine_Importer::timestamp_ms( self::scalar_text( $event['occurredAt'] ?? '' ), $problem );
			if ( null === $ms ) {
				throw new InvalidArgumentException( "/events/{$i}/occurredAt: {$problem}" );
			}
			$points = null;
			if ( isset( $event['points'] ) && '' !== $event['points'] ) {
				$p = is_string( $event['points'] ) ? trim( $event['points'] ) : $event['points'];
				if ( ! ( is_int( $p ) || ( is_string( $p ) && preg_match( '/^\d{1,16}$/D', $p ) ) || ( is_float( $p ) && floor( $p ) === $p ) ) ) {
					throw new InvalidArgumentException( "/events/{$i}/points: points must be a whole number" );
				}
				$points = (int) $p;
			}
			$id                = isset( $event['id'] ) ? Siren_Engine_Importer::json_text( $event['id'] ) : null;
			$out['events'][]   = array( $c, $type, $ms, $points, $id );
		}
		foreach ( array_values( (array) ( $records['transactions'] ?? array() ) ) as $k => $t ) {
			$t  = (array) $t;
			$id = Siren_Engine_Importer::json_text( $t['id'] ?? null );
			if ( null === $id || '' === $id ) {
				throw new InvalidArgumentException( "/transactions/{$k}/id: a transaction needs an id" );
			}
			$ms = Siren_Engine_Importer::timestamp_ms( self::scalar_text( $t['occurredAt'] ?? '' ), $problem );
			if ( null === $ms ) {
				throw new InvalidArgumentException( "/transactions/{$k}/occurredAt: {$problem}" );
			}
			$status = $t['status'] ?? null;
			if ( null !== $status && ! in_array( $status, Siren_Engine_Importer::STATUSES, true ) ) {
				throw new InvalidArgumentException( "/transactions/{$k}/status: status is not one of complete, refunded, cancelled" );
			}
			if ( isset( $t['currency'] ) && ! is_scalar( $t['currency'] ) ) {
				throw new InvalidArgumentException( "/transactions/{$k}/currency: currency must be text" );
			}
			$total = isset( $t['total'] ) ? self::amount( $t['total'], "/transactions/{$k}/total" ) : null;
			$out['transactions'][] = array( $k, $id, $status, $ms, isset( $t['currency'] ) ? (string) $t['currency'] : null, $total );
			foreach ( array_values( (array) ( $t['details'] ?? array() ) ) as $d => $detail ) {
				$detail = (array) $detail;
				$type   = $detail['type'] ?? null;
				if ( ! in_array( $type, Siren_Engine_Importer::LINE_TYPES, true ) ) {
					throw new InvalidArgumentException( "/transactions/{$k}/details/{$d}/type: type is not one of " . implode( ', ', Siren_Engine_Importer::LINE_TYPES ) );
				}
				$quantity = null;
				if ( isset( $detail['quantity'] ) ) {
					$q = $detail['quantity'];
					if ( ! ( is_int( $q ) || ( is_string( $q ) && preg_match( '/^\d{1,16}$/D', trim( $q ) ) ) || ( is_float( $q ) && floor( $q ) === $q ) ) || (int) $q < 0 ) {
						throw new InvalidArgumentException( "/transactions/{$k}/details/{$d}/quantity: quantity must be a whole number" );
					}
					$quantity = (int) ( is_string( $q ) ? trim( $q ) : $q );
				}
				$out['lines'][] = array(
					$k,
					$type,
					self::amount( $detail['amount'] ?? null, "/transactions/{$k}/details/{$d}/amount" ),
					$quantity,
					isset( $detail['sku'] ) ? Siren_Engine_Importer::json_text( $detail['sku'] ) : null,
					isset( $detail['categories'] ) ? self::list_text( $detail['categories'] ) : null,
					isset( $detail['ownerCollaboratorIds'] ) ? self::list_text( $detail['ownerCollaboratorIds'] ) : null,
				);
			}
			foreach ( array_values( (array) ( $t['refunds'] ?? array() ) ) as $r => $refund ) {
				$refund    = (array) $refund;
				$refund_ms = Siren_Engine_Importer::timestamp_ms( self::scalar_text( $refund['occurredAt'] ?? '' ), $problem );
				if ( null === $refund_ms ) {
					throw new InvalidArgumentException( "/transactions/{$k}/refunds/{$r}/occurredAt: {$problem}" );
				}
				$out['refunds'][] = array(
					$k,
					$refund_ms,
					isset( $refund['amount'] ) && '' !== $refund['amount'] ? self::amount( $refund['amount'], "/transactions/{$k}/refunds/{$r}/amount" ) : null,
				);
			}
		}
		foreach ( array_values( (array) ( $records['collaborators'] ?? array() ) ) as $i => $c ) {
			$c  = (array) $c;
			$id = Siren_Engine_Importer::json_text( $c['id'] ?? null );
			if ( null === $id || '' === $id ) {
				throw new InvalidArgumentException( "/collaborators/{$i}/id: a collaborator needs an id" );
			}
			foreach ( array( 'name', 'status' ) as $field ) {
				if ( isset( $c[ $field ] ) && ! is_scalar( $c[ $field ] ) ) {
					throw new InvalidArgumentException( "/collaborators/{$i}/{$field}: {$field} must be text" );
				}
			}
			$out['collaborators'][] = array( $id, isset( $c['name'] ) ? (string) $c['name'] : null, isset( $c['status'] ) ? (string) $c['status'] : null );
		}
		return $out;
	}

	/**
	 * A scalar as text, '' for an array, an object or null (no "Array to string conversion").
	 *
	 * @param mixed $value Value.
	 * @return string
	 */
	private static function scalar_text( $value ): string {
		return is_scalar( $value ) ? (string) $value : '';
	}

	/**
	 * A list as stored (JSON text).
	 *
	 * @param mixed $list List.
	 * @return string
	 */
	private static function list_text( $list ): string {
		$values = array();
		foreach ( (array) $list as $value ) {
			$values[] = (string) Siren_Engine_Importer::json_text( $value );
		}
		// phpcs:ignore WordPress.WP.AlternativeFunctions.json_encode_json_encode -- pure class, tested without WordPress.
		return (string) json_encode( $values, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
	}

	/**
	 * A checked amount's text.
	 *
	 * @param mixed  $value Amount (string or number).
	 * @param string $path  Its path, for the message.
	 * @return string
	 * @throws InvalidArgumentException On a bad amount.
	 */
	private static function amount( $value, string $path ): string {
		$text    = Siren_Engine_Importer::json_amount( $value );
		$problem = null === $text ? 'not a decimal number' : self::amount_problem_unlimited( $text );
		if ( null !== $problem ) {
			throw new InvalidArgumentException( "{$path}: {$problem}" );
		}
		return $text;
	}

	/**
	 * What is wrong with an amount for columns or objects (a plain non-negative decimal).
	 *
	 * @param string $text Amount text.
	 * @return string|null
	 */
	private static function amount_problem_unlimited( string $text ): ?string {
		return preg_match( '/^\d+(?:\.\d+)?$/D', $text ) ? null : "amount \"{$text}\" is not a plain non-negative decimal number";
	}

	/**
	 * The window's records from rows: events that occurred in [from, to]; transactions that
	 * occurred in it or have a refund in it, with all their lines and refunds.
	 *
	 * @param array $rows From rows_of_records().
	 * @param int   $from Milliseconds.
	 * @param int   $to   Milliseconds.
	 * @return array{events:array,transactions:array,collaborators:array}
	 */
	public static function window( array $rows, int $from, int $to ): array {
		$events = array();
		foreach ( $rows['events'] as $row ) {
			if ( $row[2] >= $from && $row[2] <= $to ) {
				$events[] = $row;
			}
		}
		$keep = array();
		foreach ( $rows['transactions'] as $row ) {
			if ( $row[3] >= $from && $row[3] <= $to ) {
				$keep[ $row[0] ] = true;
			}
		}
		foreach ( $rows['refunds'] as $row ) {
			if ( $row[1] >= $from && $row[1] <= $to ) {
				$keep[ $row[0] ] = true;
			}
		}
		$transactions = array();
		foreach ( $rows['transactions'] as $row ) {
			if ( isset( $keep[ $row[0] ] ) ) {
				$transactions[] = $row;
			}
		}
		$collaborators = array();
		foreach ( $rows['collaborators'] as $row ) {
			$collaborators[] = self::collaborator( $row );
		}
		return array(
			'events'        => self::events( $events ),
			'transactions'  => self::transactions( $transactions, $rows['lines'], $rows['refunds'] ),
			'collaborators' => $collaborators,
		);
	}

	/**
	 * A collaborator object from a row `[id, name|null, status|null]`.
	 *
	 * @param array $row Row.
	 * @return array
	 */
	public static function collaborator( array $row ): array {
		$c = array( 'id' => (string) $row[0] );
		if ( null !== $row[1] ) {
			$c['name'] = (string) $row[1];
		}
		if ( null !== $row[2] ) {
			$c['status'] = (string) $row[2];
		}
		return $c;
	}
}
