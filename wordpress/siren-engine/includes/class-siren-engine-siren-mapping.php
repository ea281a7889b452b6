<?php
/**
 * Siren's REST payloads (`/siren/v1/…`) → the engine's inputs: a distributor with
 * `?include=extended` → a saved-distributor entry (recipe, distributor key, configuration);
 * transactions, engagements and collaborators → the engine's record objects (ENGINE.md §8).
 *
 * Siren's distributor payloads are documented (docs: resource-reference/distributors/get-by-id);
 * its record payloads are not beyond their paging, so the record mappings read the field names
 * Siren's documentation and SDKs use and accept the usual alternatives (see
 * tests/wordpress/fixtures/siren/README.md).
 *
 * Pure PHP: no WordPress function is used.
 *
 * @package Siren_Engine
 */

defined( 'ABSPATH' ) || exit;

/**
 * Mapping.
 */
final class Siren_Engine_Siren_Mapping {

	/**
	 * Currencies whose minor unit is not 1/100 (ISO 4217), for amounts given in minor units.
	 */
	const MINOR_DIGITS = array(
		'BIF' => 0,
		'CLP' => 0,
		'DJF' => 0,
		'GNF' => 0,
		'ISK' => 0,
		'JPY' => 0,
		'KMF' => 0,
		'KRW' => 0,
		'PYG' => 0,
		'RWF' => 0,
		'UGX' => 0,
		'VND' => 0,
		'VUV' => 0,
		'XAF' => 0,
		'XOF' => 0,
		'XPF' => 0,
		'BHD' => 3,
		'IQD' => 3,
		'JOD' => 3,
		'KWD' => 3,
		'LYD' => 3,
		'OMR' => 3,
		'TND' => 3,
	);

	/**
	 * Line types as REST sometimes writes them (plural) → the engine's.
	 */
	const PLURALS = array(
		'products'      => 'product',
		'subscriptions' => 'subscription',
		'fees'          => 'fee',
		'discounts'     => 'discount',
		'shippings'     => 'shipping',
		'taxes'         => 'tax',
	);

	/**
	 * The fields of a recipe's distributor, in the order the recipe writes them.
	 */
	const DISTRIBUTOR_FIELDS = array( 'name', 'description', 'distributionResolver', 'distributionPoolResolver', 'status', 'units', 'schedule' );

	/**
	 * A distributor entry from Siren's extended distributor payload: the recipe is made from its
	 * name, description, resolvers, status, units and schedule; the payload itself is the
	 * configuration (the engine reads it as one).
	 *
	 * @param array $extended `GET /siren/v1/distributors/{id}?include=extended`, decoded as arrays.
	 * @return array|null Null for a deleted distributor or a payload without an id.
	 */
	public static function distributor( array $extended ): ?array {
		if ( ! isset( $extended['id'] ) || ( ! is_int( $extended['id'] ) && ! is_string( $extended['id'] ) ) ) {
			return null;
		}
		$status = $extended['status'] ?? 'active';
		if ( 'deleted' === $status ) {
			return null;
		}
		$id          = (string) $extended['id'];
		$name        = is_string( $extended['name'] ?? null ) && '' !== $extended['name'] ? $extended['name'] : 'Distributor ' . $id;
		$description = is_string( $extended['description'] ?? null ) && '' !== $extended['description'] ? $extended['description'] : $name;
		$distributor = array(
			'name'                     => $name,
			'description'              => $description,
			'distributionResolver'     => self::text( $extended['distributionResolver'] ?? '' ) ?? '',
			'distributionPoolResolver' => self::text( $extended['distributionPoolResolver'] ?? '' ) ?? '',
			'status'                   => 'inactive' === $status ? 'inactive' : 'active',
			'units'                    => self::text( $extended['units'] ?? '' ) ?? '',
		);
		if ( isset( $extended['schedule'] ) && is_array( $extended['schedule'] ) ) {
			$distributor['schedule'] = self::texts( $extended['schedule'] );
		}
		$key   = self::distributor_key( $name, $id );
		$entry = array(
			'id'             => 'siren-' . $id,
			'name'           => $name,
			'source'         => 'siren',
			'recipe'         => array(
				'version'      => 1,
				'name'         => $name,
				'description'  => $description,
				'distributors' => array( $key => $distributor ),
			),
			'distributorKey' => $key,
			'config'         => $extended,
		);
		$modified = $extended['dateModified'] ?? ( $extended['dateUpdated'] ?? null );
		if ( is_string( $modified ) && '' !== $modified ) {
			$entry['modified'] = $modified;
		}
		return $entry;
	}

	/**
	 * A recipe-local camelCase key for a distributor: from its name (`Monthly Sales Bonus` →
	 * `monthlySalesBonus`), else `distributor<id>`.
	 *
	 * @param string $name Name.
	 * @param string $id   Siren id.
	 * @return string
	 */
	public static function distributor_key( string $name, string $id ): string {
		$words = preg_split( '/[^A-Za-z0-9]+/', $name, -1, PREG_SPLIT_NO_EMPTY );
		$key   = '';
		foreach ( (array) $words as $i => $word ) {
			$key .= 0 === $i ? strtolower( $word ) : ucfirst( strtolower( $word ) );
		}
		if ( '' === $key || ! preg_match( '/^[a-z]/', $key ) ) {
			$key = 'distributor' . preg_replace( '/[^A-Za-z0-9]/', '', $id );
		}
		return $key;
	}

	/**
	 * A scalar as text; null for an array, an object or null (no "Array to string conversion").
	 *
	 * @param mixed $value Value.
	 * @return string|null
	 */
	private static function text( $value ): ?string {
		return is_scalar( $value ) ? (string) $value : null;
	}

	/**
	 * The scalars of a list, as texts (arrays and objects in it are left out).
	 *
	 * @param array $values Values.
	 * @return string[]
	 */
	private static function texts( array $values ): array {
		return array_values( array_map( 'strval', array_filter( $values, 'is_scalar' ) ) );
	}

	/**
	 * The first present field of a payload.
	 *
	 * @param array $payload Payload.
	 * @param array $names   Field names, in preference order.
	 * @return mixed|null
	 */
	private static function first( array $payload, array $names ) {
		foreach ( $names as $name ) {
			if ( isset( $payload[ $name ] ) && '' !== $payload[ $name ] ) {
				return $payload[ $name ];
			}
		}
		return null;
	}

	/**
	 * A Siren timestamp as ISO-8601 with an offset: Siren's REST dates are MySQL-style UTC
	 * (`2026-03-05 10:00:00`) or already ISO-8601; a date without an offset is read as UTC.
	 *
	 * @param mixed $value Date.
	 * @return string|null
	 */
	public static function timestamp( $value ): ?string {
		if ( is_int( $value ) ) {
			return Siren_Engine_Importer::iso_of_ms( $value * 1000 );
		}
		if ( ! is_string( $value ) ) {
			return null;
		}
		$value = trim( $value );
		if ( preg_match( '/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/D', $value ) ) {
			return str_replace( ' ', 'T', $value ) . 'Z';
		}
		return $value;
	}

	/**
	 * An amount as decimal text in major units: strings and numbers as they are; with
	 * `$minor`, a whole number of minor units (Siren stores money as integers) divided exactly.
	 *
	 * @param mixed       $value    Amount.
	 * @param string|null $currency Currency code (decides the minor unit), null for 2 decimals.
	 * @param bool        $minor    Whether the value is in minor units.
	 * @return string|null
	 */
	public static function amount( $value, ?string $currency, bool $minor ): ?string {
		$text = Siren_Engine_Importer::json_amount( $value );
		if ( null === $text || ! $minor ) {
			return $text;
		}
		if ( ! preg_match( '/^(-?)(\d+)$/D', $text, $m ) ) {
			return $text;
		}
		$digits = self::MINOR_DIGITS[ strtoupper( (string) $currency ) ] ?? 2;
		if ( 0 === $digits ) {
			return $text;
		}
		$padded = str_pad( $m[2], $digits + 1, '0', STR_PAD_LEFT );
		return $m[1] . substr( $padded, 0, -$digits ) . '.' . substr( $padded, -$digits );
	}

	/**
	 * A transaction object from a Siren transaction: `id`, `status`, `currency`, the date
	 * (`occurredAt`, `dateCreated`, `createdAt` or `date`), `total`, and `details` (or
	 * `lineItems`/`items`) whose `amount` is a major-unit decimal or whose `value` is minor units.
	 *
	 * @param array $t Siren transaction.
	 * @return array|null Null without an id or a date.
	 */
	public static function transaction( array $t ): ?array {
		$id   = Siren_Engine_Importer::json_text( $t['id'] ?? null );
		$when = self::timestamp( self::first( $t, array( 'occurredAt', 'dateCreated', 'createdAt', 'date' ) ) );
		if ( null === $id || null === $when ) {
			return null;
		}
		$currency = is_string( $t['currency'] ?? null ) ? $t['currency'] : null;
		$out      = array(
			'id'         => $id,
			'occurredAt' => $when,
		);
		$status   = $t['status'] ?? null;
		if ( in_array( $status, Siren_Engine_Importer::STATUSES, true ) ) {
			$out['status'] = $status;
		}
		if ( null !== $currency ) {
			$out['currency'] = $currency;
		}
		$details = self::first( $t, array( 'details', 'lineItems', 'items' ) );
		$lines   = array();
		foreach ( is_array( $details ) ? $details : array() as $detail ) {
			if ( ! is_array( $detail ) ) {
				continue;
			}
			$minor  = ! isset( $detail['amount'] ) && isset( $detail['value'] );
			$amount = self::amount( $minor ? $detail['value'] : ( $detail['amount'] ?? null ), $currency, $minor );
			if ( null === $amount ) {
				continue;
			}
			$type = self::text( $detail['type'] ?? 'product' ) ?? 'product';
			$line = array(
				'type'   => self::PLURALS[ $type ] ?? $type,
				'amount' => $amount,
			);
			if ( isset( $detail['quantity'] ) ) {
				$line['quantity'] = is_string( $detail['quantity'] ) && ctype_digit( $detail['quantity'] ) ? (int) $detail['quantity'] : $detail['quantity'];
			}
			$attributes = is_array( $detail['attributes'] ?? null ) ? $detail['attributes'] + $detail : $detail;
			if ( isset( $attributes['sku'] ) && is_scalar( $attributes['sku'] ) && '' !== $attributes['sku'] ) {
				$line['sku'] = (string) $attributes['sku'];
			}
			foreach ( array(
				'categories'           => array( 'categories' ),
				'ownerCollaboratorIds' => array( 'ownerCollaboratorIds', 'owners', 'collaboratorIds' ),
			) as $field => $names ) {
				$list = self::first( $attributes, $names );
				$list = is_array( $list ) ? self::texts( $list ) : array();
				if ( array() !== $list ) {
					$line[ $field ] = $list;
				}
			}
			$lines[] = $line;
		}
		if ( $lines ) {
			$out['details'] = $lines;
		} else {
			$minor = ! isset( $t['total'] ) && isset( $t['value'] );
			$total = self::amount( $minor ? $t['value'] : ( $t['total'] ?? null ), $currency, $minor );
			if ( null === $total ) {
				return null;
			}
			$out['total'] = $total;
		}
		$refunds = array();
		foreach ( is_array( $t['refunds'] ?? null ) ? $t['refunds'] : array() as $refund ) {
			if ( ! is_array( $refund ) ) {
				continue;
			}
			$at = self::timestamp( self::first( $refund, array( 'occurredAt', 'dateCreated', 'createdAt', 'date' ) ) );
			if ( null === $at ) {
				continue;
			}
			$entry = array( 'occurredAt' => $at );
			$minor = ! isset( $refund['amount'] ) && isset( $refund['value'] );
			$value = self::amount( $minor ? $refund['value'] : ( $refund['amount'] ?? null ), $currency, $minor );
			if ( null !== $value ) {
				$entry['amount'] = $value;
			}
			$refunds[] = $entry;
		}
		if ( $refunds ) {
			$out['refunds'] = $refunds;
		}
		return $out;
	}

	/**
	 * An event object from a Siren engagement (or metric): `collaboratorId`, its type
	 * (`type`, `engagementType` or `strategyId`), its date, `score` (or `points`) as a manual
	 * credit's points.
	 *
	 * @param array $e Siren engagement.
	 * @return array|null Null without a collaborator, a type or a date.
	 */
	public static function event( array $e ): ?array {
		$collaborator = Siren_Engine_Importer::json_text( self::first( $e, array( 'collaboratorId', 'collaborator' ) ) );
		$type         = self::first( $e, array( 'type', 'engagementType', 'strategyId' ) );
		$when         = self::timestamp( self::first( $e, array( 'occurredAt', 'dateCreated', 'createdAt', 'date' ) ) );
		if ( null === $collaborator || ! is_string( $type ) || null === $when ) {
			return null;
		}
		$out = array();
		$id  = Siren_Engine_Importer::json_text( $e['id'] ?? null );
		if ( null !== $id ) {
			$out['id'] = $id;
		}
		$out['collaboratorId'] = $collaborator;
		$out['type']           = $type;
		$out['occurredAt']     = $when;
		$points                = self::first( $e, array( 'points', 'score' ) );
		if ( 'manual' === $type && null !== $points ) {
			$out['points'] = is_string( $points ) && ctype_digit( $points ) ? (int) $points : $points;
		}
		return $out;
	}

	/**
	 * A collaborator object from a Siren collaborator: `id`, a name (`name`, `displayName` or
	 * `label`), `status`.
	 *
	 * @param array $c Siren collaborator.
	 * @return array|null
	 */
	public static function collaborator( array $c ): ?array {
		$id = Siren_Engine_Importer::json_text( $c['id'] ?? null );
		if ( null === $id ) {
			return null;
		}
		$out  = array( 'id' => $id );
		$name = self::first( $c, array( 'name', 'displayName', 'label' ) );
		if ( is_string( $name ) ) {
			$out['name'] = $name;
		}
		if ( in_array( $c['status'] ?? null, Siren_Engine_Importer::COLLABORATOR_STATUSES, true ) ) {
			$out['status'] = $c['status'];
		}
		return $out;
	}

	/**
	 * Maps lists of Siren payloads to records in the engine's object shapes.
	 *
	 * @param array $transactions Siren transactions.
	 * @param array $engagements  Siren engagements.
	 * @param array $collaborators Siren collaborators.
	 * @return array{events:array,transactions:array,collaborators:array}
	 */
	public static function records( array $transactions, array $engagements, array $collaborators ): array {
		$out = array(
			'events'        => array(),
			'transactions'  => array(),
			'collaborators' => array(),
		);
		foreach ( $engagements as $e ) {
			$event = is_array( $e ) ? self::event( $e ) : null;
			if ( null !== $event ) {
				$out['events'][] = $event;
			}
		}
		foreach ( $transactions as $t ) {
			$transaction = is_array( $t ) ? self::transaction( $t ) : null;
			if ( null !== $transaction ) {
				$out['transactions'][] = $transaction;
			}
		}
		foreach ( $collaborators as $c ) {
			$collaborator = is_array( $c ) ? self::collaborator( $c ) : null;
			if ( null !== $collaborator ) {
				$out['collaborators'][] = $collaborator;
			}
		}
		return $out;
	}
}
