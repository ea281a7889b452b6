<?php
/**
 * Siren's REST payloads (tests/wordpress/fixtures/siren) → the engine's inputs.
 *
 * @package Siren_Engine
 */

use PHPUnit\Framework\TestCase;

final class SirenMappingTest extends TestCase {

	private static function fixture( string $name ) {
		return json_decode( file_get_contents( SIREN_ENGINE_TEST_ROOT . '/tests/wordpress/fixtures/siren/' . $name ), true );
	}

	public function test_an_extended_distributor_becomes_an_entry(): void {
		$extended = self::fixture( 'distributor-1-extended.json' );
		$this->assertSame(
			array(
				'id'             => 'siren-1',
				'name'           => 'Content Creator Profit Share',
				'source'         => 'siren',
				'recipe'         => array(
					'version'      => 1,
					'name'         => 'Content Creator Profit Share',
					'description'  => 'Splits the monthly pool among creators proportionally to their blog post visit scores.',
					'distributors' => array(
						'contentCreatorProfitShare' => array(
							'name'                     => 'Content Creator Profit Share',
							'description'              => 'Splits the monthly pool among creators proportionally to their blog post visit scores.',
							'distributionResolver'     => 'performanceSharedPool',
							'distributionPoolResolver' => 'revenueSinceLastDistribution',
							'status'                   => 'active',
							'units'                    => 'USD',
							'schedule'                 => array( 'first day of next month' ),
						),
					),
				),
				'distributorKey' => 'contentCreatorProfitShare',
				'config'         => $extended,
			),
			Siren_Engine_Siren_Mapping::distributor( $extended )
		);
		$entry = Siren_Engine_Siren_Mapping::distributor( self::fixture( 'distributor-2-extended.json' ) );
		$this->assertSame( 'monthlySalesBonus', $entry['distributorKey'] );
		$this->assertSame(
			array(
				'name'                     => 'Monthly Sales Bonus',
				'description'              => 'The top seller of the month takes the whole pool.',
				'distributionResolver'     => 'topScoreWins',
				'distributionPoolResolver' => 'revenueSinceLastDistribution',
				'status'                   => 'inactive',
				'units'                    => 'USD',
				'schedule'                 => array( 'first day of next month', '+14 days' ),
			),
			$entry['recipe']['distributors']['monthlySalesBonus']
		);
		$this->assertSame( '2026-01-01 00:00:00', $entry['modified'] );
		$this->assertSame( self::fixture( 'distributor-2-extended.json' ), $entry['config'] );
	}

	public function test_the_distributors_list(): void {
		$ids = array();
		foreach ( self::fixture( 'distributors.json' ) as $distributor ) {
			$entry = Siren_Engine_Siren_Mapping::distributor( $distributor );
			$ids[] = $entry ? $entry['id'] . ':' . $entry['distributorKey'] . ':' . $entry['recipe']['distributors'][ $entry['distributorKey'] ]['status'] : null;
		}
		// The deleted distributor is left out.
		$this->assertSame( array( 'siren-1:contentCreatorProfitShare:active', 'siren-2:monthlySalesBonus:inactive', null ), $ids );
		$this->assertSame( 'distributor42', Siren_Engine_Siren_Mapping::distributor_key( '¡Ñ!', '42' ) );
		$this->assertSame( 'distributor7', Siren_Engine_Siren_Mapping::distributor_key( '2026 Bonus', '7' ) );
	}

	public function test_records(): void {
		$records = Siren_Engine_Siren_Mapping::records( self::fixture( 'transactions.json' ), self::fixture( 'engagements.json' ), self::fixture( 'collaborators.json' ) );
		$this->assertSame(
			array(
				'events'        => array(
					array( 'id' => '501', 'collaboratorId' => '7', 'type' => 'referredSiteVisit', 'occurredAt' => '2026-03-03T10:00:00Z' ),
					array( 'id' => '502', 'collaboratorId' => '8', 'type' => 'manual', 'occurredAt' => '2026-03-04T11:30:00Z', 'points' => 850 ),
					array( 'id' => '503', 'collaboratorId' => '9', 'type' => 'boundCouponUsed', 'occurredAt' => '2026-03-10T10:00:00-05:00' ),
				),
				'transactions'  => array(
					array(
						'id'         => '101',
						'occurredAt' => '2026-03-05T10:00:00Z',
						'status'     => 'complete',
						'currency'   => 'USD',
						'details'    => array(
							array(
								'type'                 => 'product',
								'amount'               => '25000.00',
								'quantity'             => 2,
								'sku'                  => 'COURSE-A',
								'categories'           => array( 'courses', 'video' ),
								'ownerCollaboratorIds' => array( '7' ),
							),
							array( 'type' => 'discount', 'amount' => '5.00', 'quantity' => 1 ),
						),
					),
					array(
						'id'         => '102',
						'occurredAt' => '2026-03-20T16:45:00+09:00',
						'status'     => 'refunded',
						'currency'   => 'JPY',
						'total'      => '10500',
						'refunds'    => array( array( 'occurredAt' => '2026-03-25T08:00:00Z', 'amount' => '500' ) ),
					),
					array(
						'id'         => '103',
						'occurredAt' => '2026-03-21T12:00:00Z',
						'status'     => 'complete',
						'currency'   => 'USD',
						'details'    => array( array( 'type' => 'product', 'amount' => '19.99' ) ),
					),
				),
				'collaborators' => array(
					array( 'id' => '7', 'name' => 'Ana Lopez', 'status' => 'active' ),
					array( 'id' => '8', 'name' => 'Ben Okafor', 'status' => 'pending' ),
					array( 'id' => '9' ),
				),
			),
			$records
		);
		// And they load as columns.
		$columns = Siren_Engine_Columns::from_records( $records, 0, PHP_INT_MAX );
		$this->assertSame( 2, $columns['transactions']['amountScale'] );
		$this->assertSame( array( 2500000, 500, 1999 ), $columns['transactions']['lineAmount'] );
		$this->assertSame( array( null, 1050000, null ), $columns['transactions']['total'] );
		$this->assertSame( array( 50000 ), $columns['transactions']['refundAmount'] );
	}

	public function test_minor_units(): void {
		$this->assertSame( '0.05', Siren_Engine_Siren_Mapping::amount( 5, 'USD', true ) );
		$this->assertSame( '5', Siren_Engine_Siren_Mapping::amount( 5, 'JPY', true ) );
		$this->assertSame( '1.234', Siren_Engine_Siren_Mapping::amount( '1234', 'KWD', true ) );
		$this->assertSame( '49.99', Siren_Engine_Siren_Mapping::amount( 49.99, 'USD', false ) );
		$this->assertSame( '2026-03-05T10:00:00Z', Siren_Engine_Siren_Mapping::timestamp( '2026-03-05 10:00:00' ) );
	}

	public function test_arrays_where_text_is_expected_are_left_out_without_a_warning(): void {
		$entry = Siren_Engine_Siren_Mapping::distributor(
			array(
				'id'                   => 3,
				'name'                 => 'Odd',
				'distributionResolver' => array( 'not' => 'text' ),
				'schedule'             => array( 'monthly', array( 'every' => 'week' ) ),
			)
		);
		$this->assertSame( '', $entry['recipe']['distributors']['odd']['distributionResolver'] );
		$this->assertSame( array( 'monthly' ), $entry['recipe']['distributors']['odd']['schedule'] );
		$t = Siren_Engine_Siren_Mapping::transaction(
			array(
				'id'      => 't1',
				'date'    => '2026-03-05 10:00:00',
				'details' => array(
					array(
						'amount'     => '5.00',
						'sku'        => array( 'x' ),
						'categories' => array( 'books', array( 'id' => 2 ) ),
					),
				),
			)
		);
		$this->assertSame( array( 'type' => 'product', 'amount' => '5.00', 'categories' => array( 'books' ) ), $t['details'][0] );
	}
}
