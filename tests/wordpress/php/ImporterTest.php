<?php
/**
 * The importer: the sample year, every documented error with its line and column, timestamps,
 * refunds and the JSON forms.
 *
 * @package Siren_Engine
 */

use PHPUnit\Framework\TestCase;

final class ImporterTest extends TestCase {

	/**
	 * Reads files; returns the data or the error message.
	 *
	 * @param array         $files  field => [name, text].
	 * @param callable|null $stored Stored transactions.
	 * @return array|Siren_Engine_Import_Error
	 */
	private static function read( array $files, ?callable $stored = null ) {
		$input = array();
		foreach ( $files as $field => $file ) {
			$input[ $field ] = array(
				'name' => $file[0],
				'text' => $file[1],
			);
		}
		try {
			return ( new Siren_Engine_Importer( $stored ) )->read( $input );
		} catch ( Siren_Engine_Import_Error $e ) {
			return $e;
		}
	}

	private static function error( array $files, ?callable $stored = null ): Siren_Engine_Import_Error {
		$result = self::read( $files, $stored );
		if ( ! $result instanceof Siren_Engine_Import_Error ) {
			throw new RuntimeException( 'expected an error, got data' );
		}
		return $result;
	}

	public function test_the_sample_year_imports_with_its_counts(): void {
		$files = array();
		foreach ( array( 'events', 'transactions', 'refunds', 'collaborators' ) as $kind ) {
			$files[ $kind ] = array( "$kind.csv", file_get_contents( SIREN_ENGINE_TEST_ROOT . "/samples/year/$kind.csv" ) );
		}
		$start = microtime( true );
		$data  = self::read( $files );
		$this->assertIsArray( $data );
		$this->assertLessThan( 5, microtime( true ) - $start, 'the sample year reads in a few seconds' );
		$this->assertSame( array( 'events', 'transactions', 'refunds', 'collaborators' ), $data['given'] );
		$this->assertCount( 48036, $data['events']['ms'] );
		$this->assertCount( 11000, $data['transactions']['ms'] );
		$this->assertCount( 40700, $data['lines']['t'] );
		$this->assertCount( 435, $data['refunds']['t'] );
		$this->assertCount( 320, $data['collaborators']['id'] );
		// e1,236,referredSiteVisit,2026-01-01T05:13:33Z.
		$this->assertSame( array( 'e1', '236', 'referredSiteVisit', 1767244413000, null ), array( $data['events']['id'][0], $data['events']['collaborator'][0], $data['events']['type'][0], $data['events']['ms'][0], $data['events']['points'][0] ) );
		// t1's second line: product,99.00,1,COURSE-COOK,courses,22.
		$this->assertSame( array( 0, 'product', '99.00', 1, 'COURSE-COOK', array( 'courses' ), array( '22' ) ), array( $data['lines']['t'][1], $data['lines']['type'][1], $data['lines']['amount'][1], $data['lines']['quantity'][1], $data['lines']['sku'][1], $data['lines']['categories'][1], $data['lines']['owners'][1] ) );
		// The first refund: t7670,2026-01-05T06:41:30Z,85.95.
		$k = array_search( 't7670', $data['transactions']['id'], true );
		$this->assertSame( array( $k, 1767595290000, '85.95' ), array( $data['refunds']['t'][0], $data['refunds']['ms'][0], $data['refunds']['amount'][0] ) );
		$this->assertNull( $data['refunds']['amount'][1] );
	}

	public function test_the_documented_transactions_example(): void {
		$csv  = "transactionId,status,occurredAt,currency,lineType,amount,quantity,sku,categories,ownerCollaboratorIds,total\n"
			. "t1,complete,2026-03-05T10:00:00Z,USD,product,25000.00,2,COURSE-A,courses;video,ana,\n"
			. "t1,complete,2026-03-05T10:00:00Z,USD,product,40000.00,1,\"BUNDLE,XL\",bundles,,\r\n"
			. "t2,complete,2026-03-20T16:45:00Z,USD,,,,,,,10500.00\n\n";
		$data = self::read( array( 'transactions' => array( 'transactions.csv', $csv ) ) );
		$this->assertSame(
			array(
				'id'       => array( 't1', 't2' ),
				'status'   => array( 'complete', 'complete' ),
				'ms'       => array( 1772704800000, 1774025100000 ),
				'currency' => array( 'USD', 'USD' ),
				'total'    => array( null, '10500.00' ),
			),
			$data['transactions']
		);
		$this->assertSame(
			array(
				't'          => array( 0, 0 ),
				'type'       => array( 'product', 'product' ),
				'amount'     => array( '25000.00', '40000.00' ),
				'quantity'   => array( 2, 1 ),
				'sku'        => array( 'COURSE-A', 'BUNDLE,XL' ),
				'categories' => array( array( 'courses', 'video' ), array( 'bundles' ) ),
				'owners'     => array( array( 'ana' ), null ),
			),
			$data['lines']
		);
	}

	/**
	 * Each error of docs/data-formats.md, with its line and column.
	 */
	public static function errors(): array {
		$h = "collaboratorId,type,occurredAt\n";
		return array(
			'unknown column'           => array( 'events', 'events.csv', "collaboratorId,type,occurredAt,when\n", 'events.csv:1:32: unknown column "when"; expected collaboratorId,type,occurredAt,id,points' ),
			'missing required column'  => array( 'events', 'events.csv', "collaboratorId,type\n", 'events.csv:1:1: missing required column "occurredAt"; expected collaboratorId,type,occurredAt,id,points' ),
			'duplicate column'         => array( 'events', 'events.csv', "collaboratorId,type,type\n", 'events.csv:1:21: column "type" appears twice' ),
			'wrong number of fields'   => array( 'events', 'events.csv', $h . "ana,manual\n", 'events.csv:2:11: expected 3 fields (collaboratorId,type,occurredAt), found 2' ),
			'too many fields'          => array( 'events', 'events.csv', $h . "ana,manual,2026-01-01T00:00Z,x\n", 'events.csv:2:30: expected 3 fields (collaboratorId,type,occurredAt), found 4' ),
			'unterminated quote'       => array( 'events', 'events.csv', $h . "\"ana,manual\n", 'events.csv:2:1: unterminated quoted field (the quote opened here is never closed)' ),
			'stray quote'              => array( 'events', 'events.csv', $h . "ana\"x,manual,2026-01-01T00:00Z\n", 'events.csv:2:4: a quote (") inside an unquoted field; quote the whole field and double the quote' ),
			'text after closing quote' => array( 'events', 'events.csv', $h . "\"an\"a,manual,2026-01-01T00:00Z\n", 'events.csv:2:5: expected "," or the end of the line after a closing quote' ),
			'empty required field'     => array( 'events', 'events.csv', $h . ",manual,2026-01-01T00:00Z\n", 'events.csv:2:1: empty collaboratorId' ),
			'not a whole number'       => array( 'events', 'events.csv', "collaboratorId,type,occurredAt,points\nana,manual,2026-01-01T00:00Z,1\nana,manual,2026-01-01T00:00:00Z,1.5\n", 'events.csv:3:33: points must be a whole number, got "1.5"' ),
			'quantity'                 => array( 'transactions', 'transactions.csv', "transactionId,occurredAt,lineType,amount,quantity\nt1,2026-01-01T00:00Z,product,1,-2\n", 'transactions.csv:2:32: quantity must be a whole number, got "-2"' ),
			'lines disagree'           => array( 'transactions', 'transactions.csv', "transactionId,status,occurredAt,currency,lineType,amount\nt1,complete,2026-01-01T00:00Z,USD,product,1\nt1,complete,2026-01-01T00:00Z,EUR,product,1\n", 'transactions.csv:3:31: currency "EUR" of transaction "t1" differs from "USD" on line 2; every line of a transaction must agree' ),
			'total with line fields'   => array( 'transactions', 'transactions.csv', "transactionId,occurredAt,currency,lineType,amount,total\nt1,2026-01-01T00:00Z,USD,product,,1\n", 'transactions.csv:2:26: a row with a total describes the whole transaction; leave lineType, amount, quantity, sku, categories, ownerCollaboratorIds empty' ),
			'unknown status'           => array( 'transactions', 'transactions.csv', "transactionId,status,occurredAt,lineType,amount\nt1,paid,2026-01-01T00:00Z,product,1\n", 'transactions.csv:2:4: status "paid" is not one of complete, refunded, cancelled' ),
			'unknown line type'        => array( 'transactions', 'transactions.csv', "transactionId,occurredAt,lineType,amount\nt1,2026-01-01T00:00Z,gift,1\n", 'transactions.csv:2:22: lineType "gift" is not one of product, subscription, fee, discount, shipping, tax' ),
			'bad amount'               => array( 'transactions', 'transactions.csv', "transactionId,occurredAt,lineType,amount\nt1,2026-01-01T00:00Z,product,\"1,5\"\n", 'transactions.csv:2:30: amount "1,5" is not a decimal number such as "49.99"' ),
			'negative amount'          => array( 'transactions', 'transactions.csv', "transactionId,occurredAt,lineType,amount\nt1,2026-01-01T00:00Z,product,-5\n", 'transactions.csv:2:30: amount must not be negative; found -5' ),
			'too precise amount'       => array( 'transactions', 'transactions.csv', "transactionId,occurredAt,lineType,amount\nt1,2026-01-01T00:00Z,product,0.1234567890123\n", 'transactions.csv:2:30: amount 0.1234567890123 has more than 12 decimal places' ),
			'unknown collab. status'   => array( 'collaborators', 'collaborators.csv', "id,name,status\nana,\"Lopez, Ana\",gone\n", 'collaborators.csv:2:18: status "gone" is not one of active, pending, inactive, rejected, deleted' ),
			'unknown transaction'      => array( 'refunds', 'refunds.csv', "transactionId,occurredAt,amount\nt1,2026-01-01T00:00Z,\nt9,2026-01-01T00:00Z,\n", 'refunds.csv:3:1: unknown transaction "t9"' ),
			'amount over the limit'    => array( 'transactions', 't.json', '[{"id":"t1","occurredAt":"2026-01-01T00:00Z","total":"1000000000000000.01"}]', 't.json:1:54: total 1000000000000000.01 exceeds the limit of 1000000000000000' ),
			'inexact JSON number'      => array( 'transactions', 't.json', "[\n{\"id\":\"t1\",\"occurredAt\":\"2026-01-01T00:00Z\",\n  \"total\": 1000000000000000.01}]", 't.json:3:12: the number 1000000000000000.01 cannot be read exactly; write it as a string ("1000000000000000.01")' ),
			'not UTF-8'                => array( 'events', 'latin.csv', $h . "an\xE9,manual,2026-01-01T00:00Z\n", 'latin.csv:2:3: not UTF-8 (byte 0xE9); save the file as UTF-8' ),
			'another delimiter'        => array( 'events', 'semi.csv', "collaboratorId;type;occurredAt\n", 'semi.csv:1:1: this file seems to use ";" as its delimiter; the engine\'s CSV files use commas (docs/data-formats.md)' ),
			'JSON syntax'              => array( 'events', 'e.json', '[{"collaboratorId":"ana","type":"manual","occurredAt":"2026-01-01T00:00Z"},]', 'e.json:1:75: not valid JSON: a comma before ] (JSON allows no trailing comma)' ),
			'JSON shape'               => array( 'events', 'e.json', '{"events": 3}', 'e.json:1:12: expected an array of events, or an object with the array under "events"' ),
			'JSON missing field'       => array( 'events', 'e.json', "[\n  {\"collaboratorId\": \"ana\", \"occurredAt\": \"2026-01-01T00:00Z\"}\n]", 'e.json:2:3: an event needs a type (a string)' ),
			'invalid timestamp'        => array( 'events', 'events.csv', $h . "ana,manual,2026-02-30T10:00:00Z\n", 'events.csv:2:12: The timestamp "2026-02-30T10:00:00Z" has day 30; February 2026 has days 1 to 28. [time.invalidTimestamp at /events/0/occurredAt]' ),
			'missing offset'           => array( 'events', 'events.csv', $h . "ana,manual,2026-01-01T00:00Z\nana,manual,2026-02-03T10:00:00\n", 'events.csv:3:12: The timestamp "2026-02-03T10:00:00" has no UTC offset, so the instant is ambiguous; add `Z` or an offset such as `+02:00` (e.g. "2026-01-31T23:59:59Z"). [time.missingOffset at /events/1/occurredAt]' ),
			'not ISO-8601'             => array( 'events', 'events.csv', $h . "ana,manual,yesterday\n", 'events.csv:2:12: The timestamp "yesterday" is not ISO-8601 with an offset, e.g. "2026-01-31T23:59:59Z" or "2026-01-31T18:59:59-05:00". [time.invalidTimestamp at /events/0/occurredAt]' ),
			'sub-millisecond'          => array( 'events', 'events.csv', $h . "ana,manual,2026-02-03T10:00:00.0001Z\n", 'events.csv:2:12: The timestamp "2026-02-03T10:00:00.0001Z" has a fraction of a second finer than a millisecond; the plugin stores whole milliseconds, so round it to 3 decimals.' ),
			'sub-millisecond JSON'     => array( 'events', 'e.json', '[{"collaboratorId":"ana","type":"manual","occurredAt":"2026-02-03T10:00:00.123400+01:00"}]', 'e.json:1:55: The timestamp "2026-02-03T10:00:00.123400+01:00" has a fraction of a second finer than a millisecond; the plugin stores whole milliseconds, so round it to 3 decimals.' ),
			'duplicate event id'       => array( 'events', 'events.csv', "id,collaboratorId,type,occurredAt\ne1,ana,manual,2026-01-01T00:00Z\ne1,ana,manual,2026-01-01T00:00Z\n", 'events.csv:3:1: event id "e1" appears twice (also on line 2)' ),
			'empty file'               => array( 'events', 'events.csv', "\n\n", 'events.csv:1:1: empty file; expected a header line: collaboratorId,type,occurredAt,id,points' ),
		);
	}

	/**
	 * @dataProvider errors
	 */
	public function test_errors_are_located( string $field, string $name, string $text, string $message ): void {
		$e = self::error( array( $field => array( $name, $text ) ), fn() => array( 't1' => array( 1, 0 ) ) );
		$this->assertSame( $message, $e->getMessage() );
		$this->assertSame( $field, $e->field );
		$this->assertSame( $name, $e->file );
		$this->assertMatchesRegularExpression( '/^' . preg_quote( $name, '/' ) . ':' . $e->line . ':' . $e->column . ': /', $message );
	}

	/**
	 * Not CSV or JSON text: 415.
	 */
	public function test_types_are_refused_with_415(): void {
		foreach ( array(
			array( 'e.txt', 'x', 'e.txt: not a .csv or .json file; the data files are CSV or JSON (docs/data-formats.md)' ),
			array( 'e.csv', "a\0", 'e.csv:1:2: a NUL byte: this is not a text file; save it as UTF-8 CSV or JSON' ),
			array( 'e.json', '  x', 'e.json:1:3: a JSON data file starts with [ or {' ),
			array( 'e.csv', "id\n\xC3(", 'e.csv:2:1: not UTF-8 (byte 0xC3); save the file as UTF-8' ),
		) as list( $name, $text, $message ) ) {
			$e = self::error( array( 'events' => array( $name, $text ) ) );
			$this->assertSame( $message, $e->getMessage() );
			$this->assertSame( 415, $e->status );
		}
	}

	public function test_timestamps_read_as_the_engine_reads_them(): void {
		$cases = array(
			'2026-03-10T10:00:00-05:00'      => 1773154800000,
			'2026-03-10T15:00Z'              => 1773154800000,
			'2026-03-10 15:00:00.5z'         => 1773154800500,
			'2026-03-10t16:00:00.250+0100'   => 1773154800250,
			' 2026-03-10T15:00:00.123000Z '  => 1773154800123,
			'2016-12-31T23:59:60Z'           => 1483228800000,
			'1969-12-31T23:59:59.999Z'       => -1,
			'0001-01-01T00:00:00Z'           => -62135596800000,
			'2026-03-10T15:00:00.1230000001Z' => 1773154800123,
		);
		foreach ( $cases as $text => $ms ) {
			$this->assertSame( $ms, Siren_Engine_Importer::timestamp_ms( $text, $problem ), $text . ' ' . $problem );
		}
		foreach ( array(
			'2026-13-01T00:00Z'    => 'The timestamp "2026-13-01T00:00Z" has month 13; a month is 1 to 12.',
			'2026-01-01T24:00Z'    => 'The timestamp "2026-01-01T24:00Z" has hour 24; an hour is 0 to 23.',
			'2026-01-01T10:00:61Z' => 'The timestamp "2026-01-01T10:00:61Z" has second 61; a second is 0 to 59 (60 for a leap second).',
			'2026-01-01T10:00+24:00' => 'The timestamp "2026-01-01T10:00+24:00" is not ISO-8601 with an offset, e.g. "2026-01-31T23:59:59Z" or "2026-01-31T18:59:59-05:00".',
			'2026-01-01'           => 'The timestamp "2026-01-01" has no UTC offset, so the instant is ambiguous; add `Z` or an offset such as `+02:00` (e.g. "2026-01-31T23:59:59Z").',
			'2026-01-01Z'          => 'The timestamp "2026-01-01Z" is not ISO-8601 with an offset, e.g. "2026-01-31T23:59:59Z" or "2026-01-31T18:59:59-05:00".',
		) as $text => $message ) {
			$this->assertNull( Siren_Engine_Importer::timestamp_ms( $text, $problem ) );
			$this->assertSame( $message, $problem );
		}
		$this->assertSame( '2026-01-05T06:41:30Z', Siren_Engine_Importer::iso_of_ms( 1767595290000 ) );
		$this->assertSame( '1969-12-31T23:59:59.999Z', Siren_Engine_Importer::iso_of_ms( -1 ) );
	}

	public function test_a_refund_before_its_sale_is_refused_at_its_occurred_at(): void {
		$transactions = "transactionId,occurredAt,total\nt1,2026-03-05T10:00:00Z,10\nt2,2026-03-05T10:00:00Z,10\n";
		$e            = self::error(
			array(
				'transactions' => array( 'transactions.csv', $transactions ),
				'refunds'      => array( 'refunds.csv', "transactionId,occurredAt\nt2,2026-03-05T10:00:00Z\nt2,2026-03-05T09:59:59.999Z\n" ),
			)
		);
		$this->assertSame( 'refunds.csv:3:4: This refund of transaction `t2` is dated 2026-03-05T09:59:59.999Z, before its sale (2026-03-05T10:00:00Z); a refund cannot precede the sale it refunds. Correct the order\'s or the refund\'s date. [transactions.refundBeforeSale at /transactions/1/refunds/1/occurredAt]', $e->getMessage() );
		// JSON: a transaction's own refund.
		$e = self::error( array( 'transactions' => array( 't.json', '{"transactions":[{"id":"t1","occurredAt":"2026-03-05T10:00:00Z","total":"1","refunds":[{"occurredAt":"2026-03-04T10:00:00Z"}]}]}' ) ) );
		$this->assertSame( 't.json:1:102: This refund of transaction `t1` is dated 2026-03-04T10:00:00Z, before its sale (2026-03-05T10:00:00Z); a refund cannot precede the sale it refunds. Correct the order\'s or the refund\'s date. [transactions.refundBeforeSale at /transactions/0/refunds/0/occurredAt]', $e->getMessage() );
		// Refunds alone are checked against the stored transactions.
		$stored = fn() => array( 't7' => array( 7, 1772704800000 ) );
		$e      = self::error( array( 'refunds' => array( 'refunds.csv', "transactionId,occurredAt\nt7,2026-03-01T00:00:00Z\n" ) ), $stored );
		$this->assertStringStartsWith( 'refunds.csv:2:4: This refund of transaction `t7`', $e->getMessage() );
		$data = self::read( array( 'refunds' => array( 'refunds.csv', "transactionId,occurredAt,amount\nt7,2026-03-05T10:00:00Z,1.5\n" ) ), $stored );
		$this->assertTrue( $data['refunds_stored'] );
		$this->assertSame(
			array(
				't'      => array( 7 ),
				'ms'     => array( 1772704800000 ),
				'amount' => array( '1.5' ),
			),
			$data['refunds']
		);
		$e = self::error( array( 'refunds' => array( 'refunds.csv', "transactionId,occurredAt\nt8,2026-03-05T10:00:00Z\n" ) ), $stored );
		$this->assertSame( 'refunds.csv:2:1: unknown transaction "t8"', $e->getMessage() );
	}

	public function test_json_forms(): void {
		$events = '[{"id":1,"collaboratorId":7,"type":"manual","occurredAt":"2026-03-03T10:00:00Z","points":"850"},{"collaboratorId":"ben","type":"referredSiteVisit","occurredAt":"2026-03-10T10:00:00-05:00","points":null}]';
		foreach ( array( $events, '{"events":' . $events . '}', "\xEF\xBB\xBF" . $events ) as $text ) {
			$data = self::read( array( 'events' => array( 'events.json', $text ) ) );
			$this->assertSame(
				array(
					'id'           => array( '1', null ),
					'collaborator' => array( '7', 'ben' ),
					'type'         => array( 'manual', 'referredSiteVisit' ),
					'ms'           => array( 1772532000000, 1773154800000 ),
					'points'       => array( 850, null ),
				),
				$data['events']
			);
		}
		$data = self::read(
			array(
				'transactions' => array( 't.json', '{"transactions":[{"id":"t1","status":"complete","occurredAt":"2026-03-05T10:00:00Z","currency":"USD","details":[{"type":"product","amount":49.99,"quantity":2,"sku":12,"categories":["a",3]},{"type":"discount","amount":"5"}],"refunds":[{"occurredAt":"2026-03-06T10:00:00Z","amount":10}]},{"id":2,"occurredAt":"2026-03-06T10:00:00Z","total":"999999999999999.99"}]}' ),
				'refunds'      => array( 'r.json', '{"refunds":[{"transactionId":2,"occurredAt":"2026-03-07T10:00:00Z"}]}' ),
			)
		);
		$this->assertSame( array( 't1', '2' ), $data['transactions']['id'] );
		$this->assertSame( array( null, '999999999999999.99' ), $data['transactions']['total'] );
		$this->assertSame( array( '49.99', '5' ), $data['lines']['amount'] );
		$this->assertSame( array( 2, null ), $data['lines']['quantity'] );
		$this->assertSame( array( '12', null ), $data['lines']['sku'] );
		$this->assertSame( array( array( 'a', '3' ), null ), $data['lines']['categories'] );
		$this->assertSame(
			array(
				't'      => array( 0, 1 ),
				'ms'     => array( 1772791200000, 1772877600000 ),
				'amount' => array( '10', null ),
			),
			$data['refunds']
		);
		$e = self::error( array( 'refunds' => array( 'r.json', '[{"occurredAt":"2026-03-07T10:00:00Z"}]' ) ), fn() => array() );
		$this->assertSame( 'r.json:1:2: a refund needs a transactionId', $e->getMessage() );
		$e = self::error( array( 'collaborators' => array( 'c.json', "[\n {\"id\": \"ana\"},\n {\"id\": \"ana\"}\n]" ) ) );
		$this->assertSame( 'c.json:3:9: collaborator "ana" appears twice (also at /0)', $e->getMessage() );
	}

	public function test_csv_details(): void {
		// BOM, CRLF, quoted fields with quotes and line breaks, blank lines, header in any order, trimmed names.
		$text = "\xEF\xBB\xBFstatus, name ,id\r\n\r\nactive,\"Cy \"\"The Closer\"\" Park\",cy\r\n,\"two\nlines\",dee\r\n\"\",,\"e\"\r\n";
		$data = self::read( array( 'collaborators' => array( 'c.csv', $text ) ) );
		$this->assertSame(
			array(
				'id'     => array( 'cy', 'dee', 'e' ),
				'name'   => array( 'Cy "The Closer" Park', "two\nlines", null ),
				'status' => array( 'active', null, null ),
			),
			$data['collaborators']
		);
		// A line break inside a quoted field moves the lines of later errors.
		$e = self::error( array( 'collaborators' => array( 'c.csv', "id,name\na,\"x\ny\"\n,z\n" ) ) );
		$this->assertSame( 'c.csv:4:1: empty id', $e->getMessage() );
		// Columns count UTF-16 code units, as editors do.
		$e = self::error( array( 'collaborators' => array( 'c.csv', "name,status,id\n\u{1F600}é,gone,x\n" ) ) );
		$this->assertSame( 'c.csv:2:5: status "gone" is not one of active, pending, inactive, rejected, deleted', $e->getMessage() );
		// Lone CR line ends.
		$data = self::read( array( 'collaborators' => array( 'c.csv', "id\ra\rb" ) ) );
		$this->assertSame( array( 'a', 'b' ), $data['collaborators']['id'] );
	}
}
