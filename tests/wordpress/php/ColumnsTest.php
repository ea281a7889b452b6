<?php
/**
 * Records → the engine's column JSON.
 *
 * @package Siren_Engine
 */

use PHPUnit\Framework\TestCase;

final class ColumnsTest extends TestCase {

	public function test_events_from_rows(): void {
		// Rows as the database gives them (ARRAY_N: numbers as strings, NULL as null).
		$rows = array(
			array( 'ana', 'manual', '1772532000000', '850', 'e1' ),
			array( 'ben', 'referredSiteVisit', '1772532000001', null, null ),
			array( 'ana', 'referredSiteVisit', '1772532000002', null, 'e3' ),
		);
		$this->assertSame(
			array(
				'collaboratorIndex' => array( 0, 1, 0 ),
				'typeIndex'         => array( 0, 1, 1 ),
				'occurredAtMs'      => array( 1772532000000, 1772532000001, 1772532000002 ),
				'collaboratorIds'   => array( 'ana', 'ben' ),
				'typeNames'         => array( 'manual', 'referredSiteVisit' ),
				'points'            => array( 850, null ),
				'eventIds'          => array( 'e1', null, 'e3' ),
			),
			array_merge( Siren_Engine_Columns::events( $rows ), array( 'points' => array_slice( Siren_Engine_Columns::events( $rows )['points'], 0, 2 ) ) )
		);
		$this->assertSame( array( 850, null, null ), Siren_Engine_Columns::events( $rows )['points'] );
		// No points and no ids: the columns are left out.
		$this->assertSame(
			array(
				'collaboratorIndex' => array( 0 ),
				'typeIndex'         => array( 0 ),
				'occurredAtMs'      => array( 5 ),
				'collaboratorIds'   => array( 'ana' ),
				'typeNames'         => array( 'manual' ),
			),
			Siren_Engine_Columns::events( array( array( 'ana', 'manual', '5', null, null ) ) )
		);
	}

	public function test_transactions_from_rows_with_the_amount_scale(): void {
		$transactions = array(
			array( '1', 't1', 'complete', '1772704800000', 'USD', null ),
			array( '2', 't2', null, '1772704800001', null, '10500.0' ),
			array( '3', '42', 'refunded', '1772704800002', 'USD', null ),
		);
		$lines        = array(
			array( '1', 'product', '19.99', '2', 'COURSE-A', '["courses","video"]', '["ana"]' ),
			array( '1', 'discount', '0.125', null, null, null, null ),
			array( '3', 'tax', '7', '1', null, '["courses","video"]', null ),
			array( '9', 'tax', '7', '1', null, null, null ), // A line of a transaction not in the window.
		);
		$refunds      = array(
			array( '3', '1772704900000', null ),
			array( '3', '1772705000000', '1.5' ),
		);
		$this->assertSame(
			array(
				'transactionIds'           => array( 't1', 't2', '42' ),
				'occurredAtMs'             => array( 1772704800000, 1772704800001, 1772704800002 ),
				'statusIndex'              => array( 0, 0, 1 ),
				'statusNames'              => array( 'complete', 'refunded', 'cancelled' ),
				'currencies'               => array( 'USD', null, 'USD' ),
				'total'                    => array( null, 10500000, null ),
				'amountScale'              => 3,
				'lineTransactionIndex'     => array( 0, 0, 2 ),
				'lineTypeIndex'            => array( 0, 3, 5 ),
				'lineTypeNames'            => array( 'product', 'subscription', 'fee', 'discount', 'shipping', 'tax' ),
				'lineAmount'               => array( 19990, 125, 7000 ),
				'lineQuantity'             => array( 2, 1, 1 ),
				'lineSkus'                 => array( 'COURSE-A', null, null ),
				'lineCategories'           => array( array( 'courses', 'video' ), null, array( 'courses', 'video' ) ),
				'lineOwnerCollaboratorIds' => array( array( 'ana' ), null, null ),
				'refundTransactionIndex'   => array( 2, 2 ),
				'refundOccurredAtMs'       => array( 1772704900000, 1772705000000 ),
				'refundAmount'             => array( null, 1500 ),
			),
			Siren_Engine_Columns::transactions( $transactions, $lines, $refunds )
		);
		// Only what is needed: all complete, no currency, no total, quantities, SKUs, lists or refunds.
		$this->assertSame(
			array(
				'transactionIds'       => array( 't1' ),
				'occurredAtMs'         => array( 0 ),
				'amountScale'          => 0,
				'lineTransactionIndex' => array( 0 ),
				'lineTypeIndex'        => array( 0 ),
				'lineTypeNames'        => array( 'product', 'subscription', 'fee', 'discount', 'shipping', 'tax' ),
				'lineAmount'           => array( 100 ),
			),
			Siren_Engine_Columns::transactions( array( array( '1', 't1', null, '0', null, null ) ), array( array( '1', 'product', '100.000', null, null, null, null ) ), array() )
		);
	}

	public function test_scaling_is_exact_and_stops_at_2_to_the_53(): void {
		$this->assertSame( 1999, Siren_Engine_Columns::scaled( '19.99', 2 ) );
		$this->assertSame( 19990000000000, Siren_Engine_Columns::scaled( '19.99', 12 ) );
		$this->assertSame( 0, Siren_Engine_Columns::scaled( '0.000', 2 ) );
		$this->assertSame( 9007199254740991, Siren_Engine_Columns::scaled( '90071992547409.91', 2 ) );
		$this->assertNull( Siren_Engine_Columns::scaled( '90071992547409.92', 2 ) );
		$this->assertNull( Siren_Engine_Columns::scaled( '1000000000000000', 2 ) );
	}

	public function test_amounts_beyond_2_to_the_53_fall_back_to_objects(): void {
		$transactions = array(
			array( '1', 't1', 'complete', '1772704800000', 'USD', null ),
			array( '2', 't2', null, '1772704800500', null, '999999999999999.99' ),
		);
		$lines        = array( array( '1', 'product', '19.99', '2', 'A', '["x"]', '["ana"]' ) );
		$refunds      = array( array( '1', '1772704900000', null ), array( '2', '1772705000000', '0.5' ) );
		$this->assertSame(
			array(
				array(
					'id'         => 't1',
					'status'     => 'complete',
					'occurredAt' => '2026-03-05T10:00:00Z',
					'currency'   => 'USD',
					'details'    => array(
						array(
							'type'                 => 'product',
							'amount'               => '19.99',
							'quantity'             => 2,
							'sku'                  => 'A',
							'categories'           => array( 'x' ),
							'ownerCollaboratorIds' => array( 'ana' ),
						),
					),
					'refunds'    => array( array( 'occurredAt' => '2026-03-05T10:01:40Z' ) ),
				),
				array(
					'id'         => 't2',
					'occurredAt' => '2026-03-05T10:00:00.500Z',
					'total'      => '999999999999999.99',
					'refunds'    => array(
						array(
							'occurredAt' => '2026-03-05T10:03:20Z',
							'amount'     => '0.5',
						),
					),
				),
			),
			Siren_Engine_Columns::transactions( $transactions, $lines, $refunds )
		);
		// More than 12 decimals (possible from the filter) also falls back.
		$result = Siren_Engine_Columns::transactions( array( array( '1', 't1', null, '0', null, '0.0000000000001' ) ), array(), array() );
		$this->assertSame( '0.0000000000001', $result[0]['total'] );
	}

	public function test_records_in_object_shapes_become_a_window_of_columns(): void {
		$records = array(
			'events'        => array(
				array( 'collaboratorId' => 'ana', 'type' => 'manual', 'occurredAt' => '2026-03-01T00:00:00Z', 'points' => 5 ),
				array( 'collaboratorId' => 7, 'type' => 'referredSiteVisit', 'occurredAt' => '2026-04-01T00:00:00Z' ),
				(object) array( 'id' => 'e3', 'collaboratorId' => 'ben', 'type' => 'referredSiteVisit', 'occurredAt' => '2026-03-31T23:59:59.999Z', 'points' => null ),
			),
			'transactions'  => array(
				array( 'id' => 't-old', 'occurredAt' => '2026-02-01T00:00:00Z', 'total' => 10, 'refunds' => array( array( 'occurredAt' => '2026-03-02T00:00:00Z' ) ) ),
				array( 'id' => 't-out', 'occurredAt' => '2026-02-01T00:00:00Z', 'total' => '5.5' ),
				array( 'id' => 't-in', 'occurredAt' => '2026-03-02T00:00:00+01:00', 'details' => array( array( 'type' => 'product', 'amount' => 2.5, 'quantity' => '3' ) ) ),
			),
			'collaborators' => array( array( 'id' => 'ana', 'name' => 'Ana' ), array( 'id' => 7, 'status' => 'pending' ) ),
		);
		$from    = 1772323200000; // 2026-03-01T00:00:00Z.
		$to      = 1775001599999; // 2026-03-31T23:59:59.999Z.
		$this->assertSame(
			array(
				'events'        => array(
					'collaboratorIndex' => array( 0, 1 ),
					'typeIndex'         => array( 0, 1 ),
					'occurredAtMs'      => array( 1772323200000, 1775001599999 ),
					'collaboratorIds'   => array( 'ana', 'ben' ),
					'typeNames'         => array( 'manual', 'referredSiteVisit' ),
					'points'            => array( 5, null ),
					'eventIds'          => array( null, 'e3' ),
				),
				'transactions'  => array(
					'transactionIds'         => array( 't-old', 't-in' ),
					'occurredAtMs'           => array( 1769904000000, 1772406000000 ),
					'total'                  => array( 100, null ),
					'amountScale'            => 1,
					'lineTransactionIndex'   => array( 1 ),
					'lineTypeIndex'          => array( 0 ),
					'lineTypeNames'          => array( 'product', 'subscription', 'fee', 'discount', 'shipping', 'tax' ),
					'lineAmount'             => array( 25 ),
					'lineQuantity'           => array( 3 ),
					'refundTransactionIndex' => array( 0 ),
					'refundOccurredAtMs'     => array( 1772409600000 ),
					'refundAmount'           => array( null ),
				),
				'collaborators' => array(
					array( 'id' => 'ana', 'name' => 'Ana' ),
					array( 'id' => '7', 'status' => 'pending' ),
				),
			),
			Siren_Engine_Columns::from_records( $records, $from, $to )
		);
		$this->expectException( InvalidArgumentException::class );
		$this->expectExceptionMessage( '/events/0/occurredAt: The timestamp "2026-03-01" has no UTC offset' );
		Siren_Engine_Columns::from_records( array( 'events' => array( array( 'collaboratorId' => 'a', 'type' => 'manual', 'occurredAt' => '2026-03-01' ) ) ), 0, 1 );
	}

	public function test_records_with_arrays_where_text_is_expected_are_refused_without_a_warning(): void {
		$ok = array( 'collaboratorId' => 'a', 'type' => 'manual' );
		foreach ( array(
			'/events/0/occurredAt: The timestamp ""' => array( 'events' => array( $ok + array( 'occurredAt' => array( '2026' ) ) ) ),
			'/transactions/0/currency: currency must be text' => array( 'transactions' => array( array( 'id' => 't', 'occurredAt' => '2026-03-01T00:00:00Z', 'currency' => array( 'USD' ) ) ) ),
			'/collaborators/0/name: name must be text' => array( 'collaborators' => array( array( 'id' => 'a', 'name' => array( 'Ana' ) ) ) ),
		) as $message => $records ) {
			try {
				Siren_Engine_Columns::from_records( $records, 0, 1 );
				$this->fail( "refused: {$message}" );
			} catch ( InvalidArgumentException $e ) {
				$this->assertStringStartsWith( $message, $e->getMessage() );
			}
		}
	}

	public function test_the_sample_year_as_columns_is_fast(): void {
		$files = array();
		foreach ( array( 'events', 'transactions', 'refunds', 'collaborators' ) as $kind ) {
			$files[ $kind ] = array(
				'name' => "$kind.csv",
				'text' => file_get_contents( SIREN_ENGINE_TEST_ROOT . "/samples/year/$kind.csv" ),
			);
		}
		$data = ( new Siren_Engine_Importer() )->read( $files );
		// The rows the tables would give.
		$events = array();
		foreach ( $data['events']['ms'] as $i => $ms ) {
			$events[] = array( $data['events']['collaborator'][ $i ], $data['events']['type'][ $i ], (string) $ms, null === $data['events']['points'][ $i ] ? null : (string) $data['events']['points'][ $i ], $data['events']['id'][ $i ] );
		}
		$transactions = array();
		foreach ( $data['transactions']['ms'] as $k => $ms ) {
			$transactions[] = array( (string) ( $k + 1 ), $data['transactions']['id'][ $k ], $data['transactions']['status'][ $k ], (string) $ms, $data['transactions']['currency'][ $k ], $data['transactions']['total'][ $k ] );
		}
		$lines = array();
		foreach ( $data['lines']['t'] as $i => $k ) {
			$lines[] = array( (string) ( $k + 1 ), $data['lines']['type'][ $i ], $data['lines']['amount'][ $i ], null === $data['lines']['quantity'][ $i ] ? null : (string) $data['lines']['quantity'][ $i ], $data['lines']['sku'][ $i ], null === $data['lines']['categories'][ $i ] ? null : json_encode( $data['lines']['categories'][ $i ] ), null === $data['lines']['owners'][ $i ] ? null : json_encode( $data['lines']['owners'][ $i ] ) );
		}
		$refunds = array();
		foreach ( $data['refunds']['t'] as $i => $k ) {
			$refunds[] = array( (string) ( $k + 1 ), (string) $data['refunds']['ms'][ $i ], $data['refunds']['amount'][ $i ] );
		}
		$start = microtime( true );
		$e     = Siren_Engine_Columns::events( $events );
		$t     = Siren_Engine_Columns::transactions( $transactions, $lines, $refunds );
		$this->assertLessThan( 2, microtime( true ) - $start );
		$this->assertCount( 48036, $e['occurredAtMs'] );
		$this->assertSame( 2, $t['amountScale'] );
		$this->assertCount( 11000, $t['transactionIds'] );
		$this->assertCount( 40700, $t['lineAmount'] );
		$this->assertCount( 435, $t['refundAmount'] );
		$this->assertSame( 1999, $t['lineAmount'][0] ); // t1: product,19.99.
	}
}
