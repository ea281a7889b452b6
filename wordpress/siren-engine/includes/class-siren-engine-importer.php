<?php
/**
 * Reads the data files of docs/data-formats.md (CSV and JSON) into column-wise arrays ready to be
 * stored, checking every value the tables keep, with the command line's messages and 1-based
 * FILE:LINE:COLUMN locations.
 *
 * Pure PHP: no WordPress function is used, so PHPUnit tests it without WordPress.
 *
 * @package Siren_Engine
 */

defined( 'ABSPATH' ) || exit;

// phpcs:disable WordPress.Security.EscapeOutput.ExceptionNotEscaped -- exception messages become WP_Error messages in REST JSON (or are caught here), never HTML.

/**
 * The importer.
 */
final class Siren_Engine_Importer {

	const KINDS                 = array( 'events', 'transactions', 'refunds', 'collaborators' );
	const STATUSES              = array( 'complete', 'refunded', 'cancelled' );
	const LINE_TYPES            = array( 'product', 'subscription', 'fee', 'discount', 'shipping', 'tax' );
	const COLLABORATOR_STATUSES = array( 'active', 'pending', 'inactive', 'rejected', 'deleted' );
	const MAX_ID_LENGTH         = 191;
	const MAX_AMOUNT            = '1000000000000000';
	const MAX_AMOUNT_DECIMALS   = 12;
	const MAX_SAFE              = 9007199254740991;

	const EVENT_COLUMNS        = array( array( 'collaboratorId', 'type', 'occurredAt' ), array( 'id', 'points' ) );
	const TRANSACTION_COLUMNS  = array( array( 'transactionId', 'occurredAt' ), array( 'status', 'currency', 'lineType', 'amount', 'quantity', 'sku', 'categories', 'ownerCollaboratorIds', 'total' ) );
	const REFUND_COLUMNS       = array( array( 'transactionId', 'occurredAt' ), array( 'amount' ) );
	const COLLABORATOR_COLUMNS = array( array( 'id' ), array( 'name', 'status' ) );
	const LINE_FIELDS          = array( 'lineType', 'amount', 'quantity', 'sku', 'categories', 'ownerCollaboratorIds' );

	/**
	 * Returns the stored transactions as `id => [row id, occurred ms, refund count]`, for a refunds
	 * file uploaded without transactions.
	 *
	 * @var callable|null
	 */
	private $stored_transactions;

	/**
	 * The data read so far.
	 *
	 * @var array
	 */
	private array $data = array();

	/**
	 * Transaction id => index, for the uploaded transactions.
	 *
	 * @var array<string,int>
	 */
	private array $transaction_index = array();

	/**
	 * Refunds attached so far per transaction index (for `/transactions/<t>/refunds/<j>`).
	 *
	 * @var array<int,int>
	 */
	private array $refund_count = array();

	/**
	 * Constructor.
	 *
	 * @param callable|null $stored_transactions Returns `id => [row id, ms, refunds]` of the stored transactions.
	 */
	public function __construct( ?callable $stored_transactions = null ) {
		$this->stored_transactions = $stored_transactions;
	}

	/**
	 * Reads and checks every given file. Nothing is written: the result is the data to store.
	 *
	 * @param array<string,array{name:string,text:string}> $files Upload field => name and content.
	 * @return array{given:string[],events?:array,transactions?:array,lines?:array,refunds?:array,collaborators?:array,refunds_stored?:bool}
	 * @throws Siren_Engine_Import_Error On the first problem.
	 */
	public function read( array $files ): array {
		$this->data              = array( 'given' => array() );
		$this->transaction_index = array();
		$this->refund_count      = array();
		foreach ( self::KINDS as $kind ) {
			if ( isset( $files[ $kind ] ) ) {
				self::check_text( $kind, (string) $files[ $kind ]['name'], (string) $files[ $kind ]['text'] );
				$this->data['given'][] = $kind;
			}
		}
		foreach ( array( 'collaborators', 'events', 'transactions', 'refunds' ) as $kind ) {
			if ( ! isset( $files[ $kind ] ) ) {
				continue;
			}
			$name = (string) $files[ $kind ]['name'];
			$text = (string) $files[ $kind ]['text'];
			$csv  = (bool) preg_match( '/\.csv$/i', $name );
			switch ( $kind ) {
				case 'collaborators':
					$this->data['collaborators'] = array(
						'id'     => array(),
						'name'   => array(),
						'status' => array(),
					);
					$csv ? $this->collaborators_csv( $text, $name ) : $this->collaborators_json( $text, $name );
					break;
				case 'events':
					$this->data['events'] = array(
						'id'           => array(),
						'collaborator' => array(),
						'type'         => array(),
						'ms'           => array(),
						'points'       => array(),
					);
					$csv ? $this->events_csv( $text, $name ) : $this->events_json( $text, $name );
					break;
				case 'transactions':
					$this->data['transactions'] = array(
						'id'       => array(),
						'status'   => array(),
						'ms'       => array(),
						'currency' => array(),
						'total'    => array(),
					);
					$this->data['lines']        = array(
						't'          => array(),
						'type'       => array(),
						'amount'     => array(),
						'quantity'   => array(),
						'sku'        => array(),
						'categories' => array(),
						'owners'     => array(),
					);
					$this->data['refunds']      = self::empty_refunds();
					$csv ? $this->transactions_csv( $text, $name ) : $this->transactions_json( $text, $name );
					break;
				case 'refunds':
					if ( ! isset( $this->data['refunds'] ) ) {
						$this->data['refunds']        = self::empty_refunds();
						$this->data['refunds_stored'] = true;
					}
					$csv ? $this->refunds_csv( $text, $name ) : $this->refunds_json( $text, $name );
					break;
			}
		}
		return $this->data;
	}

	/**
	 * Empty refund columns.
	 *
	 * @return array
	 */
	private static function empty_refunds(): array {
		return array(
			't'      => array(),
			'ms'     => array(),
			'amount' => array(),
		);
	}

	// -------------------------------------------------------------------------------------------
	// Type checks: a .csv or .json name, UTF-8 text without NUL bytes, JSON starting with [ or {.

	/**
	 * Refuses (415) what is not CSV or JSON text.
	 *
	 * @param string $field Upload field.
	 * @param string $name  File name.
	 * @param string $text  Content.
	 * @throws Siren_Engine_Import_Error 415 or 400.
	 */
	public static function check_text( string $field, string $name, string $text ): void {
		if ( ! preg_match( '/\.(csv|json)$/i', $name ) ) {
			throw new Siren_Engine_Import_Error( $field, $name, 0, 0, 'not a .csv or .json file; the data files are CSV or JSON (docs/data-formats.md)', 415 );
		}
		$nul = strpos( $text, "\0" );
		if ( false !== $nul ) {
			$at = self::position_at( $text, $nul );
			throw new Siren_Engine_Import_Error( $field, $name, $at[0], $at[1], 'a NUL byte: this is not a text file; save it as UTF-8 CSV or JSON', 415 );
		}
		if ( ! preg_match( '//u', $text ) ) {
			$bad = self::invalid_utf8_at( $text );
			$at  = self::position_at( $text, $bad );
			throw new Siren_Engine_Import_Error( $field, $name, $at[0], $at[1], sprintf( 'not UTF-8 (byte 0x%02X); save the file as UTF-8', ord( $text[ $bad ] ) ), 415 );
		}
		if ( preg_match( '/\.json$/i', $name ) ) {
			$body = self::without_bom( $text );
			if ( '' === trim( $body ) ) {
				throw new Siren_Engine_Import_Error( $field, $name, 1, 1, 'not valid JSON: the file is empty; expected JSON' );
			}
			if ( ! preg_match( '/^[ \t\r\n]*[\[{]/', $body ) ) {
				$at = self::position_at( $text, strlen( $text ) - strlen( ltrim( $body, " \t\r\n" ) ) );
				throw new Siren_Engine_Import_Error( $field, $name, $at[0], $at[1], 'a JSON data file starts with [ or {', 415 );
			}
		}
	}

	/**
	 * The byte offset of the first byte that is not UTF-8.
	 *
	 * @param string $text Bytes known not to be UTF-8.
	 * @return int
	 */
	private static function invalid_utf8_at( string $text ): int {
		$n = strlen( $text );
		$i = 0;
		while ( $i < $n ) {
			$b = ord( $text[ $i ] );
			if ( $b < 0x80 ) {
				++$i;
				continue;
			}
			$len = 0;
			if ( $b >= 0xC2 && $b <= 0xDF ) {
				$len = 2;
			} elseif ( $b >= 0xE0 && $b <= 0xEF ) {
				$len = 3;
			} elseif ( $b >= 0xF0 && $b <= 0xF4 ) {
				$len = 4;
			}
			if ( 0 === $len || ! preg_match( '//u', substr( $text, $i, $len ) ) ) {
				return $i;
			}
			$i += $len;
		}
		return 0;
	}

	/**
	 * The text without a UTF-8 byte-order mark.
	 *
	 * @param string $text Text.
	 * @return string
	 */
	private static function without_bom( string $text ): string {
		return "\xEF\xBB\xBF" === substr( $text, 0, 3 ) ? substr( $text, 3 ) : $text;
	}

	/**
	 * The 1-based [line, column] of a byte offset: lines end at LF, CRLF or a lone CR; columns
	 * count UTF-16 code units; a leading byte-order mark takes no column.
	 *
	 * @param string $text   Text.
	 * @param int    $offset Byte offset.
	 * @return array{0:int,1:int}
	 */
	public static function position_at( string $text, int $offset ): array {
		$prefix = substr( $text, 0, $offset );
		$line   = 1 + substr_count( $prefix, "\n" ) + substr_count( $prefix, "\r" ) - substr_count( $prefix, "\r\n" );
		$start  = max( (int) strrpos( "\0" . $prefix, "\n" ), (int) strrpos( "\0" . $prefix, "\r" ) );
		$rest   = substr( $prefix, $start );
		if ( 0 === $start && "\xEF\xBB\xBF" === substr( $rest, 0, 3 ) ) {
			$rest = substr( $rest, 3 );
		}
		return array( $line, self::utf16_length( $rest ) + 1 );
	}

	/**
	 * Length in UTF-16 code units of UTF-8 text.
	 *
	 * @param string $s Text.
	 * @return int
	 */
	private static function utf16_length( string $s ): int {
		if ( ! preg_match( '/[\x80-\xFF]/', $s ) ) {
			return strlen( $s );
		}
		return (int) preg_match_all( '/[^\x80-\xBF]/', $s ) + (int) preg_match_all( '/[\xF0-\xF4]/', $s );
	}

	// -------------------------------------------------------------------------------------------
	// Timestamps and values.

	/**
	 * Whole milliseconds since 1970 of an ISO-8601 timestamp with an offset or Z, read by the
	 * engine's rule (docs/decisions.md, "Timestamps"); null with `$problem` set otherwise.
	 *
	 * @param string      $text    Timestamp.
	 * @param string|null $problem Set to the message when the text is refused.
	 * @param string|null $code    Set to the engine's code when the engine would refuse it too.
	 * @return int|null
	 */
	public static function timestamp_ms( string $text, ?string &$problem = null, ?string &$code = null ): ?int {
		$problem = null;
		$code    = null;
		$t       = trim( $text );
		$m       = array();
		$ok      = preg_match( '/^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|z|[+-]\d{2}:?\d{2})?)?$/D', $t, $m );
		$quoted  = '"' . $text . '"';
		if ( $ok ) {
			$offset_text = $m[8] ?? '';
			$offset      = 0;
			$offset_ok   = true;
			if ( '' !== $offset_text && 'Z' !== $offset_text && 'z' !== $offset_text ) {
				$digits = str_replace( ':', '', substr( $offset_text, 1 ) );
				$oh     = (int) substr( $digits, 0, 2 );
				$om     = (int) substr( $digits, 2, 2 );
				$offset_ok = $oh <= 23 && $om <= 59;
				$offset    = ( $oh * 60 + $om ) * ( '-' === $offset_text[0] ? -1 : 1 );
			}
			$fields_problem = self::out_of_range_field( $t );
			if ( null !== $fields_problem ) {
				$problem = "The timestamp {$quoted} {$fields_problem}.";
				$code    = 'time.invalidTimestamp';
				return null;
			}
			if ( $offset_ok ) {
				if ( '' === $offset_text ) {
					$problem = "The timestamp {$quoted} has no UTC offset, so the instant is ambiguous; add `Z` or an offset such as `+02:00` (e.g. \"2026-01-31T23:59:59Z\").";
					$code    = 'time.missingOffset';
					return null;
				}
				$fraction = $m[7] ?? '';
				if ( strlen( $fraction ) > 3 && trim( substr( $fraction, 3, 6 ), '0' ) !== '' ) {
					$problem = "The timestamp {$quoted} has a fraction of a second finer than a millisecond; the plugin stores whole milliseconds, so round it to 3 decimals.";
					return null;
				}
				$ms     = '' === $fraction ? 0 : (int) str_pad( substr( $fraction, 0, 3 ), 3, '0' );
				$second = (int) ( $m[6] ?? 0 );
				$days   = self::days_from_civil( (int) $m[1], (int) $m[2], (int) $m[3] );
				$hour   = (int) ( $m[4] ?? 0 );
				$minute = (int) ( $m[5] ?? 0 );
				return ( ( $days * 24 + $hour ) * 60 + $minute - $offset ) * 60000 + $second * 1000 + $ms;
			}
		} else {
			$fields_problem = self::out_of_range_field( $t );
			if ( null !== $fields_problem ) {
				$problem = "The timestamp {$quoted} {$fields_problem}.";
				$code    = 'time.invalidTimestamp';
				return null;
			}
		}
		$problem = "The timestamp {$quoted} is not ISO-8601 with an offset, e.g. \"2026-01-31T23:59:59Z\" or \"2026-01-31T18:59:59-05:00\".";
		$code    = 'time.invalidTimestamp';
		return null;
	}

	/**
	 * What is out of range in text shaped like `YYYY-MM-DD[THH:MM[:SS]]…` (as the engine says it).
	 *
	 * @param string $t Trimmed text.
	 * @return string|null
	 */
	private static function out_of_range_field( string $t ): ?string {
		$m = array();
		if ( ! preg_match( '/^(\d{4})-(\d{2})-(\d{2})/', $t, $m ) ) {
			return null;
		}
		$year  = (int) $m[1];
		$month = (int) $m[2];
		$day   = (int) $m[3];
		if ( $month < 1 || $month > 12 ) {
			return "has month {$month}; a month is 1 to 12";
		}
		$days = self::days_in_month( $year, $month );
		if ( $day < 1 || $day > $days ) {
			$names = array( 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December' );
			return "has day {$day}; {$names[ $month - 1 ]} {$year} has days 1 to {$days}";
		}
		if ( ! preg_match( '/^.{10}[Tt ](\d{2}):(\d{2})(?::(\d{2}))?/', $t, $m ) ) {
			return null;
		}
		if ( (int) $m[1] > 23 ) {
			return 'has hour ' . (int) $m[1] . '; an hour is 0 to 23';
		}
		if ( (int) $m[2] > 59 ) {
			return 'has minute ' . (int) $m[2] . '; a minute is 0 to 59';
		}
		if ( isset( $m[3] ) && '' !== $m[3] && (int) $m[3] > 60 ) {
			return 'has second ' . (int) $m[3] . '; a second is 0 to 59 (60 for a leap second)';
		}
		return null;
	}

	/**
	 * Days in a month (proleptic Gregorian).
	 *
	 * @param int $year  Year.
	 * @param int $month Month 1–12.
	 * @return int
	 */
	private static function days_in_month( int $year, int $month ): int {
		if ( 2 === $month ) {
			return ( 0 === $year % 4 && 0 !== $year % 100 ) || 0 === $year % 400 ? 29 : 28;
		}
		return in_array( $month, array( 4, 6, 9, 11 ), true ) ? 30 : 31;
	}

	/**
	 * Days from 1970-01-01 to a date (Howard Hinnant's algorithm).
	 *
	 * @param int $y Year.
	 * @param int $m Month.
	 * @param int $d Day.
	 * @return int
	 */
	private static function days_from_civil( int $y, int $m, int $d ): int {
		$y  -= $m <= 2 ? 1 : 0;
		$era = intdiv( $y >= 0 ? $y : $y - 399, 400 );
		$yoe = $y - $era * 400;
		$doy = intdiv( 153 * ( $m + ( $m > 2 ? -3 : 9 ) ) + 2, 5 ) + $d - 1;
		$doe = $yoe * 365 + intdiv( $yoe, 4 ) - intdiv( $yoe, 100 ) + $doy;
		return $era * 146097 + $doe - 719468;
	}

	/**
	 * ISO-8601 UTC text of whole milliseconds (`2026-01-05T06:41:30Z`, `….300Z` with a fraction).
	 *
	 * @param int $ms Milliseconds since 1970.
	 * @return string
	 */
	public static function iso_of_ms( int $ms ): string {
		$seconds = intdiv( $ms, 1000 );
		$rest    = $ms - $seconds * 1000;
		if ( $rest < 0 ) {
			$rest += 1000;
			--$seconds;
		}
		$date = gmdate( 'Y-m-d\TH:i:s', $seconds );
		return $date . ( $rest ? sprintf( '.%03d', $rest ) : '' ) . 'Z';
	}

	/**
	 * What is wrong with an amount's text (a non-negative plain decimal, at most 12 decimals and
	 * 10^15), or null when it is fine.
	 *
	 * @param string $what   The field's name for the message.
	 * @param string $amount Trimmed text.
	 * @return string|null
	 */
	public static function amount_problem( string $what, string $amount ): ?string {
		if ( strlen( $amount ) > 64 ) {
			return "{$what} is longer than 64 characters";
		}
		if ( ! preg_match( '/^(\d+)(?:\.(\d+))?$/D', $amount, $m ) ) {
			if ( preg_match( '/^-\d+(?:\.\d+)?$/D', $amount ) && trim( $amount, '-0.' ) !== '' ) {
				return "{$what} must not be negative; found {$amount}";
			}
			return "{$what} \"{$amount}\" is not a decimal number such as \"49.99\"";
		}
		$fraction = rtrim( $m[2] ?? '', '0' );
		if ( strlen( $fraction ) > self::MAX_AMOUNT_DECIMALS ) {
			return "{$what} {$amount} has more than " . self::MAX_AMOUNT_DECIMALS . ' decimal places';
		}
		$whole = ltrim( $m[1], '0' );
		if ( strlen( $whole ) > strlen( self::MAX_AMOUNT ) || ( strlen( $whole ) === strlen( self::MAX_AMOUNT ) && ( strcmp( $whole, self::MAX_AMOUNT ) > 0 || '' !== $fraction ) ) ) {
			return "{$what} {$amount} exceeds the limit of " . self::MAX_AMOUNT;
		}
		return null;
	}

	// -------------------------------------------------------------------------------------------
	// CSV (RFC 4180).

	/**
	 * Calls `$on_record(fields, line, start offset)` for each record of CSV text; blank lines are
	 * skipped. Malformed quoting is an error at its line and column.
	 *
	 * @param string   $text      Text.
	 * @param string   $field     Upload field.
	 * @param string   $file      File name.
	 * @param callable $on_record Receives (string[] $fields, int $line, int $offset).
	 */
	private static function csv( string $text, string $field, string $file, callable $on_record ): void {
		$len  = strlen( $text );
		$pos  = "\xEF\xBB\xBF" === substr( $text, 0, 3 ) ? 3 : 0;
		$line = 1;
		$fast = ! preg_match( '/\r(?!\n)/', $text );
		while ( $pos < $len ) {
			if ( $fast ) {
				$nl  = strpos( $text, "\n", $pos );
				$end = false === $nl ? $len : $nl;
				$raw = substr( $text, $pos, $end - $pos );
				if ( '' !== $raw && "\r" === $raw[ strlen( $raw ) - 1 ] ) {
					$raw = substr( $raw, 0, -1 );
				}
				if ( false === strpos( $raw, '"' ) ) {
					if ( '' !== $raw ) {
						$on_record( explode( ',', $raw ), $line, $pos );
					}
					$pos = $end + 1;
					++$line;
					continue;
				}
			}
			$record = self::csv_record( $text, $pos, $field, $file );
			if ( ! ( 1 === count( $record[0] ) && '' === $record[0][0] && ! $record[4] ) ) {
				$on_record( $record[0], $line, $pos );
			}
			$span  = substr( $text, $pos, $record[1] - $pos );
			$line += substr_count( $span, "\n" ) + substr_count( $span, "\r" ) - substr_count( $span, "\r\n" );
			$pos   = $record[1];
		}
	}

	/**
	 * One CSV record starting at `$pos`: [fields, next offset, field start offsets, end offset,
	 * whether it is one quoted empty field].
	 *
	 * @param string $text  Text.
	 * @param int    $pos   Start offset.
	 * @param string $field Upload field.
	 * @param string $file  File name.
	 * @return array{0:string[],1:int,2:int[],3:int,4:bool}
	 * @throws Siren_Engine_Import_Error On malformed quoting.
	 */
	private static function csv_record( string $text, int $pos, string $field, string $file ): array {
		$len    = strlen( $text );
		$fields = array();
		$starts = array();
		$quoted = false;
		for ( ;; ) {
			$starts[] = $pos;
			if ( $pos < $len && '"' === $text[ $pos ] ) {
				$open  = $pos;
				$value = '';
				++$pos;
				for ( ;; ) {
					$q = strpos( $text, '"', $pos );
					if ( false === $q ) {
						$at = self::position_at( $text, $open );
						throw new Siren_Engine_Import_Error( $field, $file, $at[0], $at[1], 'unterminated quoted field (the quote opened here is never closed)' );
					}
					$value .= substr( $text, $pos, $q - $pos );
					if ( $q + 1 < $len && '"' === $text[ $q + 1 ] ) {
						$value .= '"';
						$pos    = $q + 2;
						continue;
					}
					$pos = $q + 1;
					break;
				}
				$fields[] = $value;
				if ( 1 === count( $fields ) && '' === $value ) {
					$quoted = true;
				}
				if ( $pos >= $len ) {
					return array( $fields, $len, $starts, $len, $quoted && 1 === count( $fields ) );
				}
				$c = $text[ $pos ];
				if ( ',' === $c ) {
					++$pos;
					continue;
				}
				if ( "\n" === $c || "\r" === $c ) {
					$next = ( "\r" === $c && $pos + 1 < $len && "\n" === $text[ $pos + 1 ] ) ? $pos + 2 : $pos + 1;
					return array( $fields, $next, $starts, $pos, $quoted && 1 === count( $fields ) );
				}
				$at = self::position_at( $text, $pos );
				throw new Siren_Engine_Import_Error( $field, $file, $at[0], $at[1], 'expected "," or the end of the line after a closing quote' );
			}
			$n        = strcspn( $text, ",\r\n\"", $pos );
			$fields[] = substr( $text, $pos, $n );
			$pos     += $n;
			if ( $pos >= $len ) {
				return array( $fields, $len, $starts, $len, false );
			}
			$c = $text[ $pos ];
			if ( '"' === $c ) {
				$at = self::position_at( $text, $pos );
				throw new Siren_Engine_Import_Error( $field, $file, $at[0], $at[1], 'a quote (") inside an unquoted field; quote the whole field and double the quote' );
			}
			if ( ',' === $c ) {
				++$pos;
				continue;
			}
			$next = ( "\r" === $c && $pos + 1 < $len && "\n" === $text[ $pos + 1 ] ) ? $pos + 2 : $pos + 1;
			return array( $fields, $next, $starts, $pos, false );
		}
	}

	/**
	 * Reads a CSV table: the header (line 1) names known columns; then `$on_row(fields, line,
	 * offset)` for each row with the right number of fields. Returns the header (name => index).
	 *
	 * @param string   $text     Text.
	 * @param string   $field    Upload field.
	 * @param string   $file     File name.
	 * @param array    $columns  [required names, optional names].
	 * @param callable $on_row   Receives (string[] $fields, int $line, int $offset, array $header).
	 * @throws Siren_Engine_Import_Error On a bad header or row.
	 */
	private static function table( string $text, string $field, string $file, array $columns, callable $on_row ): void {
		list( $required, $optional ) = $columns;
		$known                       = array_merge( $required, $optional );
		$header                      = null;
		$width                       = 0;
		self::csv(
			$text,
			$field,
			$file,
			function ( array $fields, int $line, int $offset ) use ( &$header, &$width, $known, $required, $text, $field, $file, $on_row ) {
				if ( null === $header ) {
					$header = array();
					if ( 1 === count( $fields ) ) {
						$semicolons = substr_count( $fields[0], ';' );
						$tabs       = substr_count( $fields[0], "\t" );
						if ( $semicolons > 0 || $tabs > 0 ) {
							$used = $semicolons >= $tabs ? '";"' : 'tabs';
							throw new Siren_Engine_Import_Error( $field, $file, 1, 1, "this file seems to use {$used} as its delimiter; the engine's CSV files use commas (docs/data-formats.md)" );
						}
					}
					foreach ( $fields as $i => $raw ) {
						$name = trim( $raw );
						if ( ! in_array( $name, $known, true ) || isset( $header[ $name ] ) ) {
							$record = self::csv_record( $text, $offset, $field, $file );
							$at     = self::position_at( $text, $record[2][ $i ] );
							$detail = isset( $header[ $name ] ) ? "column \"{$name}\" appears twice" : "unknown column \"{$name}\"; expected " . implode( ',', $known );
							throw new Siren_Engine_Import_Error( $field, $file, $at[0], $at[1], $detail );
						}
						$header[ $name ] = $i;
					}
					foreach ( $required as $name ) {
						if ( ! isset( $header[ $name ] ) ) {
							throw new Siren_Engine_Import_Error( $field, $file, 1, 1, "missing required column \"{$name}\"; expected " . implode( ',', $known ) );
						}
					}
					$width = count( $header );
					return;
				}
				$count = count( $fields );
				if ( $count !== $width ) {
					$record = self::csv_record( $text, $offset, $field, $file );
					$at     = self::position_at( $text, $count > $width ? $record[2][ $width ] : $record[3] );
					throw new Siren_Engine_Import_Error( $field, $file, $at[0], $at[1], "expected {$width} fields (" . implode( ',', array_keys( $header ) ) . "), found {$count}" );
				}
				$on_row( $fields, $line, $offset, $header );
			}
		);
		if ( null === $header ) {
			throw new Siren_Engine_Import_Error( $field, $file, 1, 1, 'empty file; expected a header line: ' . implode( ',', $known ) );
		}
	}

	/**
	 * Throws a value error at a CSV row's field (the start of the row when the column is absent).
	 *
	 * @param string $text   Text.
	 * @param string $field  Upload field.
	 * @param string $file   File name.
	 * @param int    $offset The row's start offset.
	 * @param int    $index  The field's index in the row, -1 for none.
	 * @param string $detail Message.
	 * @throws Siren_Engine_Import_Error Always.
	 */
	private static function fail_row( string $text, string $field, string $file, int $offset, int $index, string $detail ): void {
		$record = self::csv_record( $text, $offset, $field, $file );
		$at     = self::position_at( $text, $index >= 0 ? $record[2][ $index ] : $offset );
		throw new Siren_Engine_Import_Error( $field, $file, $at[0], $at[1], $detail );
	}

	/**
	 * Checks an id's length.
	 *
	 * @param string $what The field's name.
	 * @param string $id   Id.
	 * @return string|null The problem.
	 */
	private static function id_problem( string $what, string $id ): ?string {
		if ( strlen( $id ) > self::MAX_ID_LENGTH ) {
			return "{$what} is longer than " . self::MAX_ID_LENGTH . ' bytes';
		}
		return null;
	}

	// -------------------------------------------------------------------------------------------
	// The four kinds, CSV.

	/**
	 * Collaborators CSV.
	 *
	 * @param string $text Text.
	 * @param string $file File name.
	 */
	private function collaborators_csv( string $text, string $file ): void {
		$d    = &$this->data['collaborators'];
		$seen = array();
		self::table(
			$text,
			'collaborators',
			$file,
			self::COLLABORATOR_COLUMNS,
			function ( array $f, int $line, int $offset, array $h ) use ( &$d, &$seen, $text, $file ) {
				$ci = $h['id'];
				$ni = $h['name'] ?? -1;
				$si = $h['status'] ?? -1;
				$id = $f[ $ci ];
				if ( '' === $id ) {
					self::fail_row( $text, 'collaborators', $file, $offset, $ci, 'empty id' );
				}
				$problem = self::id_problem( 'id', $id );
				if ( null === $problem && isset( $seen[ $id ] ) ) {
					$problem = "collaborator \"{$id}\" appears twice (also on line {$seen[ $id ]})";
				}
				if ( null !== $problem ) {
					self::fail_row( $text, 'collaborators', $file, $offset, $ci, $problem );
				}
				$seen[ $id ] = $line;
				$status      = $si >= 0 ? $f[ $si ] : '';
				if ( '' !== $status && ! in_array( $status, self::COLLABORATOR_STATUSES, true ) ) {
					self::fail_row( $text, 'collaborators', $file, $offset, $si, "status \"{$status}\" is not one of " . implode( ', ', self::COLLABORATOR_STATUSES ) );
				}
				$d['id'][]     = $id;
				$d['name'][]   = ( $ni >= 0 && '' !== $f[ $ni ] ) ? $f[ $ni ] : null;
				$d['status'][] = '' === $status ? null : $status;
			}
		);
	}

	/**
	 * Events CSV.
	 *
	 * @param string $text Text.
	 * @param string $file File name.
	 */
	private function events_csv( string $text, string $file ): void {
		$d    = &$this->data['events'];
		$seen = array();
		self::table(
			$text,
			'events',
			$file,
			self::EVENT_COLUMNS,
			function ( array $f, int $line, int $offset, array $h ) use ( &$d, &$seen, $text, $file ) {
				$ii = $h['id'] ?? -1;
				$ci = $h['collaboratorId'];
				$ti = $h['type'];
				$oi = $h['occurredAt'];
				$pi = $h['points'] ?? -1;
				$i  = count( $d['ms'] );
				$id = $ii >= 0 ? $f[ $ii ] : '';
				if ( '' !== $id ) {
					$problem = self::id_problem( 'id', $id ) ?? ( isset( $seen[ $id ] ) ? "event id \"{$id}\" appears twice (also on line {$seen[ $id ]})" : null );
					if ( null !== $problem ) {
						self::fail_row( $text, 'events', $file, $offset, $ii, $problem );
					}
					$seen[ $id ] = $line;
				}
				foreach ( array( 'collaboratorId' => $ci, 'type' => $ti, 'occurredAt' => $oi ) as $name => $index ) {
					if ( '' === $f[ $index ] ) {
						self::fail_row( $text, 'events', $file, $offset, $index, "empty {$name}" );
					}
				}
				$problem = self::id_problem( 'collaboratorId', $f[ $ci ] ) ?? self::id_problem( 'type', $f[ $ti ] );
				if ( null !== $problem ) {
					self::fail_row( $text, 'events', $file, $offset, strlen( $f[ $ci ] ) > self::MAX_ID_LENGTH ? $ci : $ti, $problem );
				}
				$ms = self::timestamp_ms( $f[ $oi ], $problem, $code );
				if ( null === $ms ) {
					self::fail_row( $text, 'events', $file, $offset, $oi, $problem . ( $code ? " [{$code} at /events/{$i}/occurredAt]" : '' ) );
				}
				$points = null;
				if ( $pi >= 0 && '' !== trim( $f[ $pi ] ) ) {
					$points = self::whole_number( trim( $f[ $pi ] ) );
					if ( null === $points ) {
						self::fail_row( $text, 'events', $file, $offset, $pi, "points must be a whole number, got \"{$f[ $pi ]}\"" );
					}
				}
				$d['id'][]           = '' === $id ? null : $id;
				$d['collaborator'][] = $f[ $ci ];
				$d['type'][]         = $f[ $ti ];
				$d['ms'][]           = $ms;
				$d['points'][]       = $points;
			}
		);
	}

	/**
	 * A whole number from 0 to 2^53 − 1 written as digits (a leading + allowed), or null.
	 *
	 * @param string $text Trimmed text.
	 * @return int|null
	 */
	private static function whole_number( string $text ): ?int {
		if ( ! preg_match( '/^\+?(\d+)$/D', $text, $m ) ) {
			return null;
		}
		$digits = ltrim( $m[1], '0' );
		if ( strlen( $digits ) > 16 || ( 16 === strlen( $digits ) && strcmp( $digits, (string) self::MAX_SAFE ) > 0 ) ) {
			return null;
		}
		return (int) $digits;
	}

	/**
	 * Transactions CSV: one row per line, rows of one id form one transaction.
	 *
	 * @param string $text Text.
	 * @param string $file File name.
	 */
	private function transactions_csv( string $text, string $file ): void {
		$t     = &$this->data['transactions'];
		$l     = &$this->data['lines'];
		$index = &$this->transaction_index;
		$first = array(); // Per transaction: [line, status, occurredAt, currency, has total].
		self::table(
			$text,
			'transactions',
			$file,
			self::TRANSACTION_COLUMNS,
			function ( array $f, int $line, int $offset, array $h ) use ( &$t, &$l, &$index, &$first, $text, $file ) {
				$fail     = function ( string $name, string $detail ) use ( $h, $text, $file, $offset ) {
					self::fail_row( $text, 'transactions', $file, $offset, $h[ $name ] ?? -1, $detail );
				};
				$get      = function ( string $name ) use ( $h, $f ): string {
					return isset( $h[ $name ] ) ? $f[ $h[ $name ] ] : '';
				};
				$id       = $f[ $h['transactionId'] ];
				$occurred = $f[ $h['occurredAt'] ];
				if ( '' === $id ) {
					$fail( 'transactionId', 'empty transactionId' );
				}
				if ( '' === $occurred ) {
					$fail( 'occurredAt', 'empty occurredAt' );
				}
				$total = $get( 'total' );
				if ( '' !== $total ) {
					foreach ( self::LINE_FIELDS as $name ) {
						if ( '' !== $get( $name ) ) {
							$fail( $name, 'a row with a total describes the whole transaction; leave ' . implode( ', ', self::LINE_FIELDS ) . ' empty' );
						}
					}
				}
				$status   = $get( 'status' );
				$currency = $get( 'currency' );
				if ( ! isset( $index[ $id ] ) ) {
					$k       = count( $t['ms'] );
					$problem = self::id_problem( 'transactionId', $id );
					if ( null !== $problem ) {
						$fail( 'transactionId', $problem );
					}
					if ( '' !== $status && ! in_array( $status, self::STATUSES, true ) ) {
						$fail( 'status', "status \"{$status}\" is not one of " . implode( ', ', self::STATUSES ) );
					}
					if ( strlen( $currency ) > self::MAX_ID_LENGTH ) {
						$fail( 'currency', 'currency is longer than ' . self::MAX_ID_LENGTH . ' bytes' );
					}
					$ms = self::timestamp_ms( $occurred, $problem, $code );
					if ( null === $ms ) {
						$fail( 'occurredAt', $problem . ( $code ? " [{$code} at /transactions/{$k}/occurredAt]" : '' ) );
					}
					if ( '' !== $total ) {
						$total   = trim( $total );
						$problem = self::amount_problem( 'total', $total );
						if ( null !== $problem ) {
							$fail( 'total', $problem );
						}
					}
					$index[ $id ]    = $k;
					$first[ $k ]     = array( $line, $status, $occurred, $currency, '' !== $total );
					$t['id'][]       = $id;
					$t['status'][]   = '' === $status ? null : $status;
					$t['ms'][]       = $ms;
					$t['currency'][] = '' === $currency ? null : $currency;
					$t['total'][]    = '' === $total ? null : $total;
					if ( '' !== $total ) {
						return;
					}
				} else {
					$k    = $index[ $id ];
					$then = $first[ $k ];
					foreach ( array(
						'status'     => 1,
						'occurredAt' => 2,
						'currency'   => 3,
					) as $name => $j ) {
						$now = $get( $name );
						if ( $now !== $then[ $j ] ) {
							$fail( $name, "{$name} \"{$now}\" of transaction \"{$id}\" differs from \"{$then[ $j ]}\" on line {$then[0]}; every line of a transaction must agree" );
						}
					}
					if ( '' !== $total || $then[4] ) {
						$fail( '' !== $total ? 'total' : 'transactionId', "transaction \"{$id}\" is given by a total on line {$then[0]} and must have only one row" );
					}
				}
				$type = $get( 'lineType' );
				if ( '' === $type ) {
					$fail( 'lineType', 'empty lineType' );
				}
				if ( ! in_array( $type, self::LINE_TYPES, true ) ) {
					$fail( 'lineType', "lineType \"{$type}\" is not one of " . implode( ', ', self::LINE_TYPES ) );
				}
				$amount = trim( $get( 'amount' ) );
				if ( '' === $get( 'amount' ) ) {
					$fail( 'amount', 'empty amount' );
				}
				$problem = self::amount_problem( 'amount', $amount );
				if ( null !== $problem ) {
					$fail( 'amount', $problem );
				}
				$quantity = null;
				if ( '' !== trim( $get( 'quantity' ) ) ) {
					$quantity = self::whole_number( trim( $get( 'quantity' ) ) );
					if ( null === $quantity ) {
						$fail( 'quantity', 'quantity must be a whole number, got "' . $get( 'quantity' ) . '"' );
					}
				}
				$sku = $get( 'sku' );
				if ( strlen( $sku ) > self::MAX_ID_LENGTH ) {
					$fail( 'sku', 'sku is longer than ' . self::MAX_ID_LENGTH . ' bytes' );
				}
				$l['t'][]          = $k;
				$l['type'][]       = $type;
				$l['amount'][]     = $amount;
				$l['quantity'][]   = $quantity;
				$l['sku'][]        = '' === $sku ? null : $sku;
				$l['categories'][] = self::split_list( $get( 'categories' ) );
				$l['owners'][]     = self::split_list( $get( 'ownerCollaboratorIds' ) );
			}
		);
	}

	/**
	 * A `;`-separated list (trimmed, empties dropped), or null for an empty field.
	 *
	 * @param string $text Field.
	 * @return string[]|null
	 */
	private static function split_list( string $text ): ?array {
		if ( '' === $text ) {
			return null;
		}
		return array_values( array_filter( array_map( 'trim', explode( ';', $text ) ), 'strlen' ) );
	}

	/**
	 * The transaction a refund names: [index or stored row id, sale ms, path index], or null.
	 *
	 * @param string $id Transaction id.
	 * @return array{0:int,1:int,2:int}|null
	 */
	private function refund_target( string $id ): ?array {
		if ( empty( $this->data['refunds_stored'] ) ) {
			if ( ! isset( $this->transaction_index[ $id ] ) ) {
				return null;
			}
			$k = $this->transaction_index[ $id ];
			return array( $k, $this->data['transactions']['ms'][ $k ], $k );
		}
		if ( ! isset( $this->data['stored'] ) ) {
			$this->data['stored'] = $this->stored_transactions ? (array) call_user_func( $this->stored_transactions ) : array();
		}
		if ( ! isset( $this->data['stored'][ $id ] ) ) {
			return null;
		}
		$row = $this->data['stored'][ $id ];
		return array( (int) $row[0], (int) $row[1], (int) $row[0] - 1 );
	}

	/**
	 * Records a refund; returns the problem with its occurredAt, if any.
	 *
	 * @param array  $target   From refund_target.
	 * @param string $id       Transaction id.
	 * @param string $occurred The refund's timestamp text.
	 * @param string|null $amount Trimmed amount or null.
	 * @param int    $ms       The refund's instant.
	 * @return string|null
	 */
	private function add_refund( array $target, string $id, string $occurred, ?string $amount, int $ms ): ?string {
		$key = $target[2];
		$j   = $this->refund_count[ $key ] ?? 0;
		if ( $ms < $target[1] ) {
			return "This refund of transaction `{$id}` is dated " . self::iso_of_ms( $ms ) . ', before its sale (' . self::iso_of_ms( $target[1] ) . "); a refund cannot precede the sale it refunds. Correct the order's or the refund's date. [transactions.refundBeforeSale at /transactions/{$key}/refunds/{$j}/occurredAt]";
		}
		$this->refund_count[ $key ]    = $j + 1;
		$this->data['refunds']['t'][]      = $target[0];
		$this->data['refunds']['ms'][]     = $ms;
		$this->data['refunds']['amount'][] = $amount;
		return null;
	}

	/**
	 * Refunds CSV.
	 *
	 * @param string $text Text.
	 * @param string $file File name.
	 */
	private function refunds_csv( string $text, string $file ): void {
		self::table(
			$text,
			'refunds',
			$file,
			self::REFUND_COLUMNS,
			function ( array $f, int $line, int $offset, array $h ) use ( $text, $file ) {
				$ti = $h['transactionId'];
				$oi = $h['occurredAt'];
				$ai = $h['amount'] ?? -1;
				if ( '' === $f[ $ti ] ) {
					self::fail_row( $text, 'refunds', $file, $offset, $ti, 'empty transactionId' );
				}
				if ( '' === $f[ $oi ] ) {
					self::fail_row( $text, 'refunds', $file, $offset, $oi, 'empty occurredAt' );
				}
				$target = $this->refund_target( $f[ $ti ] );
				if ( null === $target ) {
					self::fail_row( $text, 'refunds', $file, $offset, $ti, "unknown transaction \"{$f[ $ti ]}\"" );
				}
				$j  = $this->refund_count[ $target[2] ] ?? 0;
				$ms = self::timestamp_ms( $f[ $oi ], $problem, $code );
				if ( null === $ms ) {
					self::fail_row( $text, 'refunds', $file, $offset, $oi, $problem . ( $code ? " [{$code} at /transactions/{$target[2]}/refunds/{$j}/occurredAt]" : '' ) );
				}
				$amount = null;
				if ( $ai >= 0 && '' !== trim( $f[ $ai ] ) ) {
					$amount  = trim( $f[ $ai ] );
					$problem = self::amount_problem( 'amount', $amount );
					if ( null !== $problem ) {
						self::fail_row( $text, 'refunds', $file, $offset, $ai, $problem );
					}
				}
				$problem = $this->add_refund( $target, $f[ $ti ], $f[ $oi ], $amount, $ms );
				if ( null !== $problem ) {
					self::fail_row( $text, 'refunds', $file, $offset, $oi, $problem );
				}
			}
		);
	}

	// -------------------------------------------------------------------------------------------
	// JSON.

	/**
	 * The entries of a JSON data file: an array, or an object with the array under the kind.
	 *
	 * @param string $text  Text.
	 * @param string $field Upload field (the kind).
	 * @param string $file  File name.
	 * @return array{0:array,1:string,2:string} Items, their pointer prefix, the text without BOM.
	 * @throws Siren_Engine_Import_Error On a syntax error or another shape.
	 */
	private static function json_items( string $text, string $field, string $file ): array {
		$body  = self::without_bom( $text );
		$value = json_decode( $body, true, 512, JSON_BIGINT_AS_STRING );
		if ( null === $value && JSON_ERROR_NONE !== json_last_error() ) {
			$error = Siren_Engine_Json::syntax_error( $body );
			$at    = self::position_at( $body, $error ? $error[0] : 0 );
			throw new Siren_Engine_Import_Error( $field, $file, $at[0], $at[1], 'not valid JSON: ' . ( $error ? $error[1] : json_last_error_msg() ) );
		}
		$inexact = Siren_Engine_Json::inexact_number( $body );
		if ( null !== $inexact ) {
			$at = self::position_at( $body, $inexact[0] );
			throw new Siren_Engine_Import_Error( $field, $file, $at[0], $at[1], "the number {$inexact[1]} cannot be read exactly; write it as a string (\"{$inexact[1]}\")" );
		}
		if ( is_array( $value ) && array_is_list( $value ) ) {
			return array( $value, '', $body );
		}
		if ( is_array( $value ) && isset( $value[ $field ] ) && is_array( $value[ $field ] ) && array_is_list( $value[ $field ] ) ) {
			return array( $value[ $field ], '/' . $field, $body );
		}
		$pointer = is_array( $value ) && array_key_exists( $field, $value ) ? '/' . $field : '';
		$at      = Siren_Engine_Json::locate( $body, $pointer );
		throw new Siren_Engine_Import_Error( $field, $file, $at[0], $at[1], "expected an array of {$field}, or an object with the array under \"{$field}\"" );
	}

	/**
	 * Throws a value error at a JSON Pointer of a data file.
	 *
	 * @param string $body    JSON text.
	 * @param string $field   Upload field.
	 * @param string $file    File name.
	 * @param string $pointer RFC 6901 pointer.
	 * @param string $detail  Message.
	 * @throws Siren_Engine_Import_Error Always.
	 */
	private static function fail_json( string $body, string $field, string $file, string $pointer, string $detail ): void {
		$at = Siren_Engine_Json::locate( $body, $pointer );
		throw new Siren_Engine_Import_Error( $field, $file, $at[0], $at[1], $detail );
	}

	/**
	 * The text of a JSON id (a string or a whole number), or null when it is neither.
	 *
	 * @param mixed $value Value.
	 * @return string|null
	 */
	public static function json_text( $value ): ?string {
		if ( is_string( $value ) ) {
			return $value;
		}
		if ( is_int( $value ) ) {
			return (string) $value;
		}
		if ( is_float( $value ) && floor( $value ) === $value && abs( $value ) <= self::MAX_SAFE ) {
			return (string) (int) $value;
		}
		return null;
	}

	/**
	 * The text of a JSON amount: a string (trimmed) or a number (its shortest exact text).
	 *
	 * @param mixed $value Value.
	 * @return string|null
	 */
	public static function json_amount( $value ): ?string {
		if ( is_string( $value ) ) {
			return trim( $value );
		}
		if ( is_int( $value ) ) {
			return (string) $value;
		}
		if ( is_float( $value ) && is_finite( $value ) ) {
			$text = var_export( $value, true ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_var_export -- the shortest exact text of a float.
			if ( str_ends_with( $text, '.0' ) ) {
				$text = substr( $text, 0, -2 );
			}
			return $text;
		}
		return null;
	}

	/**
	 * A JSON whole number (a number or its text), or null.
	 *
	 * @param mixed $value Value.
	 * @return int|null
	 */
	private static function json_whole( $value ): ?int {
		if ( is_int( $value ) ) {
			return $value >= 0 && $value <= self::MAX_SAFE ? $value : null;
		}
		if ( is_float( $value ) ) {
			return floor( $value ) === $value && $value >= 0 && $value <= self::MAX_SAFE ? (int) $value : null;
		}
		if ( is_string( $value ) ) {
			return self::whole_number( trim( $value ) );
		}
		return null;
	}

	/**
	 * Describes a JSON value for messages.
	 *
	 * @param mixed $value Value.
	 * @return string
	 */
	private static function show( $value ): string {
		// phpcs:ignore WordPress.WP.AlternativeFunctions.json_encode_json_encode -- pure class, tested without WordPress.
		return is_scalar( $value ) ? (string) json_encode( $value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ) : ( null === $value ? 'null' : ( is_array( $value ) ? 'an array or object' : gettype( $value ) ) );
	}

	/**
	 * Collaborators JSON.
	 *
	 * @param string $text Text.
	 * @param string $file File name.
	 */
	private function collaborators_json( string $text, string $file ): void {
		list( $items, $prefix, $body ) = self::json_items( $text, 'collaborators', $file );
		$d                             = &$this->data['collaborators'];
		$seen                          = array();
		foreach ( $items as $i => $item ) {
			$p = "{$prefix}/{$i}";
			if ( ! is_array( $item ) || array_is_list( $item ) && array() !== $item ) {
				self::fail_json( $body, 'collaborators', $file, $p, 'a collaborator is an object {id, name?, status?}' );
			}
			$id = self::json_text( $item['id'] ?? null );
			if ( null === $id || '' === $id ) {
				self::fail_json( $body, 'collaborators', $file, isset( $item['id'] ) ? "{$p}/id" : $p, 'a collaborator needs an id (a string or a whole number)' );
			}
			$problem = self::id_problem( 'id', $id ) ?? ( isset( $seen[ $id ] ) ? "collaborator \"{$id}\" appears twice (also at /{$seen[ $id ]})" : null );
			if ( null !== $problem ) {
				self::fail_json( $body, 'collaborators', $file, "{$p}/id", $problem );
			}
			$seen[ $id ] = $i;
			$name        = $item['name'] ?? null;
			if ( null !== $name && ! is_string( $name ) ) {
				self::fail_json( $body, 'collaborators', $file, "{$p}/name", 'name must be a string' );
			}
			$status = $item['status'] ?? null;
			if ( null !== $status && ! in_array( $status, self::COLLABORATOR_STATUSES, true ) ) {
				self::fail_json( $body, 'collaborators', $file, "{$p}/status", 'status ' . self::show( $status ) . ' is not one of ' . implode( ', ', self::COLLABORATOR_STATUSES ) );
			}
			$d['id'][]     = $id;
			$d['name'][]   = '' === $name ? null : $name;
			$d['status'][] = $status;
		}
	}

	/**
	 * Events JSON.
	 *
	 * @param string $text Text.
	 * @param string $file File name.
	 */
	private function events_json( string $text, string $file ): void {
		list( $items, $prefix, $body ) = self::json_items( $text, 'events', $file );
		$d                             = &$this->data['events'];
		$seen                          = array();
		foreach ( $items as $i => $item ) {
			$p = "{$prefix}/{$i}";
			if ( ! is_array( $item ) || ( array_is_list( $item ) && array() !== $item ) ) {
				self::fail_json( $body, 'events', $file, $p, 'an event is an object {id?, collaboratorId, type, occurredAt, points?}' );
			}
			$id = null;
			if ( isset( $item['id'] ) ) {
				$id = self::json_text( $item['id'] );
				if ( null === $id ) {
					self::fail_json( $body, 'events', $file, "{$p}/id", 'id must be a string or a whole number' );
				}
				$problem = self::id_problem( 'id', $id ) ?? ( isset( $seen[ $id ] ) ? "event id \"{$id}\" appears twice (also at /{$seen[ $id ]})" : null );
				if ( null !== $problem ) {
					self::fail_json( $body, 'events', $file, "{$p}/id", $problem );
				}
				$seen[ $id ] = $i;
			}
			$collaborator = self::json_text( $item['collaboratorId'] ?? null );
			if ( null === $collaborator || '' === $collaborator ) {
				self::fail_json( $body, 'events', $file, isset( $item['collaboratorId'] ) ? "{$p}/collaboratorId" : $p, 'an event needs a collaboratorId (a string or a whole number)' );
			}
			$type = $item['type'] ?? null;
			if ( ! is_string( $type ) || '' === $type ) {
				self::fail_json( $body, 'events', $file, isset( $item['type'] ) ? "{$p}/type" : $p, 'an event needs a type (a string)' );
			}
			$problem = self::id_problem( 'collaboratorId', $collaborator ) ?? self::id_problem( 'type', $type );
			if ( null !== $problem ) {
				self::fail_json( $body, 'events', $file, $p, $problem );
			}
			$occurred = $item['occurredAt'] ?? null;
			if ( ! is_string( $occurred ) ) {
				self::fail_json( $body, 'events', $file, isset( $item['occurredAt'] ) ? "{$p}/occurredAt" : $p, 'an event needs an occurredAt (an ISO-8601 string)' );
			}
			$ms = self::timestamp_ms( $occurred, $problem, $code );
			if ( null === $ms ) {
				self::fail_json( $body, 'events', $file, "{$p}/occurredAt", $problem . ( $code ? " [{$code} at /events/{$i}/occurredAt]" : '' ) );
			}
			$points = null;
			if ( isset( $item['points'] ) && '' !== $item['points'] ) {
				$points = self::json_whole( $item['points'] );
				if ( null === $points ) {
					self::fail_json( $body, 'events', $file, "{$p}/points", 'points must be a whole number, got ' . self::show( $item['points'] ) );
				}
			}
			$d['id'][]           = $id;
			$d['collaborator'][] = $collaborator;
			$d['type'][]         = $type;
			$d['ms'][]           = $ms;
			$d['points'][]       = $points;
		}
	}

	/**
	 * Transactions JSON (with their details and, optionally, their own refunds).
	 *
	 * @param string $text Text.
	 * @param string $file File name.
	 */
	private function transactions_json( string $text, string $file ): void {
		list( $items, $prefix, $body ) = self::json_items( $text, 'transactions', $file );
		$t                             = &$this->data['transactions'];
		$l                             = &$this->data['lines'];
		$f                             = 'transactions';
		foreach ( $items as $k => $item ) {
			$p = "{$prefix}/{$k}";
			if ( ! is_array( $item ) || ( array_is_list( $item ) && array() !== $item ) ) {
				self::fail_json( $body, $f, $file, $p, 'a transaction is an object {id, status?, occurredAt, currency?, total?, details?, refunds?}' );
			}
			$id = self::json_text( $item['id'] ?? null );
			if ( null === $id || '' === $id ) {
				self::fail_json( $body, $f, $file, isset( $item['id'] ) ? "{$p}/id" : $p, 'a transaction needs an id (a string or a whole number)' );
			}
			$problem = self::id_problem( 'id', $id ) ?? ( isset( $this->transaction_index[ $id ] ) ? "transaction id \"{$id}\" appears twice (also at {$prefix}/{$this->transaction_index[ $id ]})" : null );
			if ( null !== $problem ) {
				self::fail_json( $body, $f, $file, "{$p}/id", $problem );
			}
			$status = $item['status'] ?? null;
			if ( null !== $status && ! in_array( $status, self::STATUSES, true ) ) {
				self::fail_json( $body, $f, $file, "{$p}/status", 'status ' . self::show( $status ) . ' is not one of ' . implode( ', ', self::STATUSES ) );
			}
			$occurred = $item['occurredAt'] ?? null;
			if ( ! is_string( $occurred ) ) {
				self::fail_json( $body, $f, $file, isset( $item['occurredAt'] ) ? "{$p}/occurredAt" : $p, 'a transaction needs an occurredAt (an ISO-8601 string)' );
			}
			$ms = self::timestamp_ms( $occurred, $problem, $code );
			if ( null === $ms ) {
				self::fail_json( $body, $f, $file, "{$p}/occurredAt", $problem . ( $code ? " [{$code} at /transactions/{$k}/occurredAt]" : '' ) );
			}
			$currency = $item['currency'] ?? null;
			if ( null !== $currency && ( ! is_string( $currency ) || strlen( $currency ) > self::MAX_ID_LENGTH ) ) {
				self::fail_json( $body, $f, $file, "{$p}/currency", 'currency must be a short string such as "USD"' );
			}
			$total = null;
			if ( isset( $item['total'] ) ) {
				$total   = self::json_amount( $item['total'] );
				$problem = null === $total ? 'total must be a decimal number or a string such as "49.99"' : self::amount_problem( 'total', $total );
				if ( null !== $problem ) {
					self::fail_json( $body, $f, $file, "{$p}/total", $problem );
				}
			}
			$details = $item['details'] ?? null;
			if ( null !== $details && ( ! is_array( $details ) || ! array_is_list( $details ) ) ) {
				self::fail_json( $body, $f, $file, "{$p}/details", 'details must be an array' );
			}
			if ( null === $total && empty( $details ) ) {
				self::fail_json( $body, $f, $file, $p, 'a transaction needs details or a total' );
			}
			$this->transaction_index[ $id ] = $k;
			$t['id'][]                      = $id;
			$t['status'][]                  = $status;
			$t['ms'][]                      = $ms;
			$t['currency'][]                = '' === $currency ? null : $currency;
			$t['total'][]                   = $total;
			foreach ( (array) $details as $j => $detail ) {
				$dp = "{$p}/details/{$j}";
				if ( ! is_array( $detail ) || ( array_is_list( $detail ) && array() !== $detail ) ) {
					self::fail_json( $body, $f, $file, $dp, 'a detail is an object {type, amount, quantity?, sku?, categories?, ownerCollaboratorIds?}' );
				}
				$type = $detail['type'] ?? null;
				if ( ! in_array( $type, self::LINE_TYPES, true ) ) {
					self::fail_json( $body, $f, $file, isset( $detail['type'] ) ? "{$dp}/type" : $dp, 'type ' . self::show( $type ) . ' is not one of ' . implode( ', ', self::LINE_TYPES ) );
				}
				$amount  = self::json_amount( $detail['amount'] ?? null );
				$problem = null === $amount ? 'a detail needs an amount (a decimal number or a string such as "49.99")' : self::amount_problem( 'amount', $amount );
				if ( null !== $problem ) {
					self::fail_json( $body, $f, $file, isset( $detail['amount'] ) ? "{$dp}/amount" : $dp, $problem );
				}
				$quantity = null;
				if ( isset( $detail['quantity'] ) ) {
					$quantity = self::json_whole( $detail['quantity'] );
					if ( null === $quantity ) {
						self::fail_json( $body, $f, $file, "{$dp}/quantity", 'quantity must be a whole number, got ' . self::show( $detail['quantity'] ) );
					}
				}
				$sku = null;
				if ( isset( $detail['sku'] ) ) {
					$sku = self::json_text( $detail['sku'] );
					if ( null === $sku || strlen( $sku ) > self::MAX_ID_LENGTH ) {
						self::fail_json( $body, $f, $file, "{$dp}/sku", 'sku must be a string or a whole number of at most ' . self::MAX_ID_LENGTH . ' bytes' );
					}
				}
				$lists = array();
				foreach ( array( 'categories', 'ownerCollaboratorIds' ) as $name ) {
					$lists[ $name ] = null;
					if ( isset( $detail[ $name ] ) ) {
						if ( ! is_array( $detail[ $name ] ) || ! array_is_list( $detail[ $name ] ) ) {
							self::fail_json( $body, $f, $file, "{$dp}/{$name}", "{$name} must be an array of strings" );
						}
						$values = array();
						foreach ( $detail[ $name ] as $v => $entry ) {
							$entry_text = self::json_text( $entry );
							if ( null === $entry_text ) {
								self::fail_json( $body, $f, $file, "{$dp}/{$name}/{$v}", "{$name} must be an array of strings" );
							}
							$values[] = $entry_text;
						}
						$lists[ $name ] = $values;
					}
				}
				$l['t'][]          = $k;
				$l['type'][]       = $type;
				$l['amount'][]     = $amount;
				$l['quantity'][]   = $quantity;
				$l['sku'][]        = $sku;
				$l['categories'][] = $lists['categories'];
				$l['owners'][]     = $lists['ownerCollaboratorIds'];
			}
			$refunds = $item['refunds'] ?? null;
			if ( null !== $refunds ) {
				if ( ! is_array( $refunds ) || ! array_is_list( $refunds ) ) {
					self::fail_json( $body, $f, $file, "{$p}/refunds", 'refunds must be an array' );
				}
				foreach ( $refunds as $j => $refund ) {
					$this->json_refund( $body, $f, $file, "{$p}/refunds/{$j}", $refund, $id, array( $k, $ms, $k ) );
				}
			}
		}
	}

	/**
	 * One refund of a JSON file (own refunds of a transaction, or a refunds file's entry).
	 *
	 * @param string $body   JSON text.
	 * @param string $field  Upload field.
	 * @param string $file   File name.
	 * @param string $p      Pointer of the refund.
	 * @param mixed  $refund The refund.
	 * @param string $id     Transaction id.
	 * @param array  $target From refund_target.
	 */
	private function json_refund( string $body, string $field, string $file, string $p, $refund, string $id, array $target ): void {
		if ( ! is_array( $refund ) || ( array_is_list( $refund ) && array() !== $refund ) ) {
			self::fail_json( $body, $field, $file, $p, 'a refund is an object {occurredAt, amount?}' );
		}
		$occurred = $refund['occurredAt'] ?? null;
		if ( ! is_string( $occurred ) ) {
			self::fail_json( $body, $field, $file, isset( $refund['occurredAt'] ) ? "{$p}/occurredAt" : $p, 'a refund needs an occurredAt (an ISO-8601 string)' );
		}
		$j  = $this->refund_count[ $target[2] ] ?? 0;
		$ms = self::timestamp_ms( $occurred, $problem, $code );
		if ( null === $ms ) {
			self::fail_json( $body, $field, $file, "{$p}/occurredAt", $problem . ( $code ? " [{$code} at /transactions/{$target[2]}/refunds/{$j}/occurredAt]" : '' ) );
		}
		$amount = null;
		if ( isset( $refund['amount'] ) && '' !== $refund['amount'] ) {
			$amount  = self::json_amount( $refund['amount'] );
			$problem = null === $amount ? 'amount must be a decimal number or a string such as "49.99"' : self::amount_problem( 'amount', $amount );
			if ( null !== $problem ) {
				self::fail_json( $body, $field, $file, "{$p}/amount", $problem );
			}
		}
		$problem = $this->add_refund( $target, $id, $occurred, $amount, $ms );
		if ( null !== $problem ) {
			self::fail_json( $body, $field, $file, "{$p}/occurredAt", $problem );
		}
	}

	/**
	 * Refunds JSON: `{transactionId, occurredAt, amount?}` entries.
	 *
	 * @param string $text Text.
	 * @param string $file File name.
	 */
	private function refunds_json( string $text, string $file ): void {
		list( $items, $prefix, $body ) = self::json_items( $text, 'refunds', $file );
		foreach ( $items as $r => $item ) {
			$p  = "{$prefix}/{$r}";
			$id = is_array( $item ) ? self::json_text( $item['transactionId'] ?? null ) : null;
			if ( null === $id ) {
				self::fail_json( $body, 'refunds', $file, $p, 'a refund needs a transactionId' );
			}
			$target = $this->refund_target( $id );
			if ( null === $target ) {
				self::fail_json( $body, 'refunds', $file, "{$p}/transactionId", "unknown transaction \"{$id}\"" );
			}
			$this->json_refund( $body, 'refunds', $file, $p, $item, $id, $target );
		}
	}
}

