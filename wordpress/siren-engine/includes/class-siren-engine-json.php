<?php
/**
 * JSON helpers for located errors: the first syntax error of a text (what was found and what JSON
 * wants there, as lib/records.mjs says it), numbers that cannot be read exactly, and where a JSON
 * Pointer points. Used only once a file is known to be wrong, so speed matters little.
 *
 * Pure PHP: no WordPress function is used.
 *
 * @package Siren_Engine
 */

defined( 'ABSPATH' ) || exit;

/**
 * JSON error locating.
 */
final class Siren_Engine_Json {

	/**
	 * The first syntax error: [byte offset, message], or null when the text is JSON.
	 *
	 * @param string $text JSON text (without a byte-order mark).
	 * @return array{0:int,1:string}|null
	 */
	public static function syntax_error( string $text ): ?array {
		$n          = strlen( $text );
		$i          = 0;
		$stack      = array();
		$last_comma = -1;
		$state      = 'value';
		$ws         = function () use ( &$i, $n, $text ) {
			while ( $i < $n && false !== strpos( " \t\n\r", $text[ $i ] ) ) {
				++$i;
			}
		};
		$found      = function () use ( &$i, $n, $text ): string {
			if ( $i >= $n ) {
				return 'the end of the file';
			}
			if ( '//' === substr( $text, $i, 2 ) || '/*' === substr( $text, $i, 2 ) ) {
				return 'a comment (JSON has none)';
			}
			if ( '"' === $text[ $i ] ) {
				preg_match( '/^"(?:[^"\\\\\n]|\\\\.){0,30}"?/', substr( $text, $i, 80 ), $m );
				$literal = $m[0];
				return 'the string ' . $literal . ( strlen( $literal ) > 1 && str_ends_with( $literal, '"' ) ? '' : '…' );
			}
			if ( preg_match( '/^[A-Za-z_$][\w$]*/', substr( $text, $i, 40 ), $m ) ) {
				return '"' . $m[0] . '"';
			}
			return "'" === $text[ $i ] ? '"\'"' : '"' . $text[ $i ] . '"';
		};
		$string     = function () use ( &$i, $n, $text ): ?array {
			$open = $i;
			for ( ++$i; $i < $n; $i++ ) {
				$c = $text[ $i ];
				if ( '"' === $c ) {
					++$i;
					return null;
				}
				if ( '\\' === $c ) {
					$e = $text[ $i + 1 ] ?? '';
					if ( 'u' === $e ) {
						if ( ! preg_match( '/^[0-9a-fA-F]{4}$/', substr( $text, $i + 2, 4 ) ) ) {
							return array( $i, '\\u must be followed by four hexadecimal digits' );
						}
						$i += 5;
					} elseif ( '' !== $e && false !== strpos( '"\\/bfnrt', $e ) ) {
						++$i;
					} else {
						return array( $i, "invalid escape \\{$e} in a string (JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)" );
					}
				} elseif ( ord( $c ) < 0x20 ) {
					return array( $i, "\n" === $c || "\r" === $c ? 'a line break inside a string (the string is not closed on its line, or write \\n)' : sprintf( 'a control character (U+%04X) inside a string; write it escaped', ord( $c ) ) );
				}
			}
			return array( $open, 'unterminated string (the quote opened here is never closed)' );
		};
		for ( ;; ) {
			$ws();
			if ( 'value' === $state ) {
				$c = $i < $n ? $text[ $i ] : '';
				if ( '{' === $c || '[' === $c ) {
					$stack[]    = $c;
					$last_comma = -1;
					++$i;
					$ws();
					$close = '{' === $c ? '}' : ']';
					if ( $i < $n && $text[ $i ] === $close ) {
						array_pop( $stack );
						++$i;
						$state = 'after';
					} else {
						$state = '{' === $c ? 'key' : 'value';
					}
					continue;
				}
				if ( '"' === $c ) {
					$error = $string();
					if ( $error ) {
						return $error;
					}
				} elseif ( '-' === $c || ( $c >= '0' && $c <= '9' && '' !== $c ) ) {
					preg_match( '/^-?(0|[1-9]\d*)?(\.\d*)?([eE][+-]?\d*)?/', substr( $text, $i, 1000 ), $m );
					$literal = $m[0];
					if ( ! isset( $m[1] ) || '' === $m[1] ) {
						return array( $i, $found() . ' is not a value' );
					}
					if ( '0' === $m[1] && preg_match( '/^\d/', substr( $text, $i + strlen( $literal ), 1 ) ) ) {
						return array( $i, 'a number cannot start with 0 (leading zeros are not JSON)' );
					}
					if ( isset( $m[2] ) && '.' === $m[2] ) {
						return array( $i + strlen( $literal ), 'expected a digit after the decimal point' );
					}
					if ( isset( $m[3] ) && '' !== $m[3] && ! preg_match( '/\d$/', $m[3] ) ) {
						return array( $i + strlen( $literal ), 'expected a digit in the exponent' );
					}
					$i += strlen( $literal );
				} else {
					$word = null;
					foreach ( array( 'true', 'false', 'null' ) as $w ) {
						if ( substr( $text, $i, strlen( $w ) ) === $w && ! preg_match( '/^[\w$]/', substr( $text, $i + strlen( $w ), 1 ) ) ) {
							$word = $w;
						}
					}
					if ( null === $word ) {
						if ( "'" === $c ) {
							return array( $i, 'strings take double quotes ("), not single ones' );
						}
						if ( $i >= $n ) {
							return array( $i, array() === $stack && '' === trim( $text ) ? 'the file is empty; expected JSON' : 'the file ends where a value was expected' );
						}
						if ( ( ']' === $c || '}' === $c ) && $last_comma >= 0 ) {
							return array( $last_comma, "a comma before {$c} (JSON allows no trailing comma)" );
						}
						return array( $i, 'expected a value, found ' . $found() );
					}
					$i += strlen( $word );
				}
				$state = 'after';
			} elseif ( 'key' === $state ) {
				if ( $i >= $n || '"' !== $text[ $i ] ) {
					if ( $i < $n && '}' === $text[ $i ] && $last_comma >= 0 ) {
						return array( $last_comma, 'a comma before } (JSON allows no trailing comma)' );
					}
					if ( $i >= $n ) {
						return array( $i, 'the file ends inside an object; expected a property name' );
					}
					return array( $i, 'expected a property name in double quotes, found ' . $found() );
				}
				$error = $string();
				if ( $error ) {
					return $error;
				}
				$ws();
				if ( $i >= $n || ':' !== $text[ $i ] ) {
					return array( $i, 'expected ":" after the property name, found ' . $found() );
				}
				++$i;
				$state = 'value';
			} else {
				$top = end( $stack );
				if ( false === $top ) {
					return $i >= $n ? null : array( $i, 'unexpected ' . $found() . ' after the end of the JSON value' );
				}
				$close = '{' === $top ? '}' : ']';
				$c     = $i < $n ? $text[ $i ] : '';
				if ( ',' === $c ) {
					$last_comma = $i;
					++$i;
					$state = '{' === $top ? 'key' : 'value';
				} elseif ( $c === $close ) {
					array_pop( $stack );
					++$i;
					$last_comma = -1;
				} elseif ( $i >= $n ) {
					return array( $i, 'the file ends inside ' . ( '{' === $top ? 'an object' : 'an array' ) . "; expected \",\" or \"{$close}\"" );
				} else {
					return array( $i, "expected \",\" or \"{$close}\" after " . ( '{' === $top ? 'a property value' : 'an array element' ) . ', found ' . $found() );
				}
			}
		}
	}

	/**
	 * The first number that a JS number (a double) cannot hold exactly: [offset, literal], or null.
	 *
	 * @param string $text Valid JSON text.
	 * @return array{0:int,1:string}|null
	 */
	public static function inexact_number( string $text ): ?array {
		if ( ! preg_match_all( '/"(?:[^"\\\\]++|\\\\.)*+"(*SKIP)(*FAIL)|-?\d[\d.]{15,}(?:[eE][+-]?\d+)?/', $text, $matches, PREG_OFFSET_CAPTURE ) ) {
			return null;
		}
		foreach ( $matches[0] as $match ) {
			list( $literal, $offset ) = $match;
			if ( preg_match( '/[eE]/', $literal ) ) {
				continue;
			}
			$digits = rtrim( ltrim( str_replace( array( '-', '.' ), '', $literal ), '0' ), '0' );
			if ( strlen( $digits ) <= 15 ) {
				continue;
			}
			$repr = var_export( (float) $literal, true ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_var_export -- the shortest exact text of a float.
			if ( str_ends_with( $repr, '.0' ) ) {
				$repr = substr( $repr, 0, -2 );
			}
			if ( $repr !== $literal ) {
				return array( $offset, $literal );
			}
		}
		return null;
	}

	/**
	 * Skips the (valid) JSON value at `$i`; returns the offset after it.
	 *
	 * @param string $text Text.
	 * @param int    $i    Offset.
	 * @return int
	 */
	private static function skip( string $text, int $i ): int {
		$n = strlen( $text );
		$c = $text[ $i ] ?? '';
		if ( '"' === $c ) {
			for ( ++$i; $i < $n && '"' !== $text[ $i ]; $i++ ) {
				if ( '\\' === $text[ $i ] ) {
					++$i;
				}
			}
			return $i + 1;
		}
		if ( '{' === $c || '[' === $c ) {
			$depth = 0;
			for ( ; $i < $n; $i++ ) {
				$d = $text[ $i ];
				if ( '"' === $d ) {
					for ( ++$i; $i < $n && '"' !== $text[ $i ]; $i++ ) {
						if ( '\\' === $text[ $i ] ) {
							++$i;
						}
					}
				} elseif ( '{' === $d || '[' === $d ) {
					++$depth;
				} elseif ( '}' === $d || ']' === $d ) {
					if ( 0 === --$depth ) {
						return $i + 1;
					}
				}
			}
			return $i;
		}
		return $i + strcspn( $text, " \t\r\n,}]", $i );
	}

	/**
	 * Skips blanks.
	 *
	 * @param string $text Text.
	 * @param int    $i    Offset.
	 * @return int
	 */
	private static function blank( string $text, int $i ): int {
		return $i + strspn( $text, " \t\r\n", $i );
	}

	/**
	 * The 1-based [line, column] of the value a JSON Pointer names in valid JSON text, or of its
	 * deepest ancestor present.
	 *
	 * @param string $text    JSON text.
	 * @param string $pointer RFC 6901 pointer.
	 * @return array{0:int,1:int}
	 */
	public static function locate( string $text, string $pointer ): array {
		$i = self::blank( $text, 0 );
		if ( $i >= strlen( $text ) ) {
			return array( 1, 1 );
		}
		$segments = '' === $pointer ? array() : array_slice( explode( '/', $pointer ), 1 );
		foreach ( $segments as $segment ) {
			$segment = str_replace( array( '~1', '~0' ), array( '/', '~' ), $segment );
			$target  = -1;
			$c       = $text[ $i ] ?? '';
			if ( '{' === $c ) {
				$j = self::blank( $text, $i + 1 );
				while ( '"' === ( $text[ $j ] ?? '' ) ) {
					$end = self::skip( $text, $j );
					$key = json_decode( substr( $text, $j, $end - $j ) );
					$j   = self::blank( $text, self::blank( $text, $end ) + 1 );
					if ( $key === $segment ) {
						$target = $j;
					}
					$j = self::blank( $text, self::skip( $text, $j ) );
					if ( ',' !== ( $text[ $j ] ?? '' ) ) {
						break;
					}
					$j = self::blank( $text, $j + 1 );
				}
			} elseif ( '[' === $c && preg_match( '/^(0|[1-9]\d*)$/D', $segment ) ) {
				$j = self::blank( $text, $i + 1 );
				for ( $k = 0; $j < strlen( $text ) && ']' !== $text[ $j ]; $k++ ) {
					if ( (int) $segment === $k ) {
						$target = $j;
						break;
					}
					$j = self::blank( $text, self::skip( $text, $j ) );
					if ( ',' !== ( $text[ $j ] ?? '' ) ) {
						break;
					}
					$j = self::blank( $text, $j + 1 );
				}
			}
			if ( $target < 0 ) {
				break;
			}
			$i = $target;
		}
		return Siren_Engine_Importer::position_at( $text, $i );
	}
}
