<?php
/**
 * The admin menu and its four screens. Each screen is a root element whose `data-settings`
 * attribute carries the settings, and one module script (`www/wordpress.mjs`) that renders it.
 *
 * @package Siren_Engine
 */

defined( 'ABSPATH' ) || exit;

/**
 * Admin screens.
 */
final class Siren_Engine_Admin {

	const HANDLE = 'siren-engine-admin';

	/**
	 * Page hook suffixes of the plugin's screens.
	 *
	 * @var string[]
	 */
	private static array $hooks = array();

	/**
	 * Hooks in.
	 */
	public static function init(): void {
		add_action( 'admin_menu', array( __CLASS__, 'menu' ) );
		add_action( 'admin_enqueue_scripts', array( __CLASS__, 'enqueue' ) );
		add_filter( 'script_loader_tag', array( __CLASS__, 'module_tag' ), 10, 2 );
	}

	/**
	 * The screens: slug => [data-screen, title].
	 *
	 * @return array<string,array{0:string,1:string}>
	 */
	public static function screens(): array {
		return array(
			'siren-engine'            => array( 'preview', __( 'Winners preview', 'siren-engine' ) ),
			'siren-engine-simulation' => array( 'simulation', __( 'Payout simulation', 'siren-engine' ) ),
			'siren-engine-editor'     => array( 'editor', __( 'Recipes and configurations', 'siren-engine' ) ),
			'siren-engine-data'       => array( 'data', __( 'Data', 'siren-engine' ) ),
		);
	}

	/**
	 * Adds the menu and its submenus.
	 */
	public static function menu(): void {
		$capability    = Siren_Engine_Rest::capability();
		self::$hooks   = array();
		self::$hooks[] = add_menu_page(
			__( 'Siren Engine', 'siren-engine' ),
			__( 'Siren Engine', 'siren-engine' ),
			$capability,
			'siren-engine',
			array( __CLASS__, 'render' ),
			'dashicons-chart-pie',
			58
		);
		foreach ( self::screens() as $slug => $screen ) {
			$hook = add_submenu_page( 'siren-engine', $screen[1], $screen[1], $capability, $slug, array( __CLASS__, 'render' ) );
			if ( $hook ) {
				self::$hooks[] = $hook;
			}
		}
	}

	/**
	 * The zones `wp_timezone_choice()` offers: IANA names (its continents and UTC) and the manual
	 * UTC offsets, as `+05:30`.
	 *
	 * @return string[]
	 */
	public static function zones(): array {
		static $zones = null;
		if ( null !== $zones ) {
			return $zones;
		}
		$continents = array( 'Africa', 'America', 'Antarctica', 'Arctic', 'Asia', 'Atlantic', 'Australia', 'Europe', 'Indian', 'Pacific' );
		$zones      = array();
		foreach ( timezone_identifiers_list() as $zone ) {
			$parts = explode( '/', $zone );
			if ( in_array( $parts[0], $continents, true ) && isset( $parts[1] ) ) {
				$zones[] = $zone;
			}
		}
		$zones[] = 'UTC';
		$offsets = array( -12, -11.5, -11, -10.5, -10, -9.5, -9, -8.5, -8, -7.5, -7, -6.5, -6, -5.5, -5, -4.5, -4, -3.5, -3, -2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 5.75, 6, 6.5, 7, 7.5, 8, 8.5, 8.75, 9, 9.5, 10, 10.5, 11, 11.5, 12, 12.75, 13, 13.75, 14 );
		foreach ( $offsets as $offset ) {
			$minutes = (int) round( abs( $offset ) * 60 );
			$zones[] = sprintf( '%s%02d:%02d', $offset < 0 ? '-' : '+', intdiv( $minutes, 60 ), $minutes % 60 );
		}
		return $zones;
	}

	/**
	 * The settings the screens read from `data-settings`.
	 *
	 * @return array
	 */
	public static function settings(): array {
		return array(
			'restUrl'     => esc_url_raw( rest_url( 'siren-engine/v1/' ) ),
			'nonce'       => wp_create_nonce( 'wp_rest' ),
			'timeZone'    => wp_timezone_string(),
			'dateFormat'  => (string) get_option( 'date_format' ),
			'timeFormat'  => (string) get_option( 'time_format' ),
			'startOfWeek' => (int) get_option( 'start_of_week' ),
			'locale'      => str_replace( '_', '-', get_user_locale() ),
			'zones'       => self::zones(),
			'adminUrl'    => esc_url_raw( admin_url() ),
			'version'     => SIREN_ENGINE_VERSION,
		);
	}

	/**
	 * Renders the current screen.
	 */
	public static function render(): void {
		if ( ! current_user_can( Siren_Engine_Rest::capability() ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to access this page.', 'siren-engine' ), 403 );
		}
		$screens = self::screens();
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- the menu page being shown, no action taken.
		$page   = isset( $_GET['page'] ) ? sanitize_key( wp_unslash( $_GET['page'] ) ) : 'siren-engine';
		$screen = $screens[ $page ] ?? $screens['siren-engine'];
		?>
		<div class="wrap">
			<h1><?php echo esc_html( $screen[1] ); ?></h1>
			<div id="siren-engine-root" data-screen="<?php echo esc_attr( $screen[0] ); ?>" data-settings="<?php echo esc_attr( (string) wp_json_encode( self::settings() ) ); ?>"></div>
			<noscript><p><?php esc_html_e( 'This screen runs the Siren engine in your browser: please enable JavaScript.', 'siren-engine' ); ?></p></noscript>
		</div>
		<?php
	}

	/**
	 * Enqueues the module and the styles on the plugin's screens only.
	 *
	 * @param string $hook_suffix The current admin page.
	 */
	public static function enqueue( $hook_suffix ): void {
		if ( ! in_array( $hook_suffix, self::$hooks, true ) ) {
			return;
		}
		wp_enqueue_script( self::HANDLE, plugins_url( 'www/wordpress.mjs', SIREN_ENGINE_FILE ), array( 'wp-i18n' ), SIREN_ENGINE_VERSION, true );
		wp_set_script_translations( self::HANDLE, 'siren-engine', plugin_dir_path( SIREN_ENGINE_FILE ) . 'languages' );
		wp_enqueue_style( self::HANDLE, plugins_url( 'www/wordpress.css', SIREN_ENGINE_FILE ), array(), SIREN_ENGINE_VERSION );
	}

	/**
	 * Makes the plugin's own `<script src>` tag a module. On 6.1 the tag passed here also holds
	 * the handle's inline scripts (the translations): only the tag with the src is rewritten.
	 *
	 * @param string $tag    The HTML.
	 * @param string $handle The handle.
	 * @return string
	 */
	public static function module_tag( $tag, $handle ) {
		if ( self::HANDLE !== $handle || ! is_string( $tag ) ) {
			return $tag;
		}
		return (string) preg_replace_callback(
			'/<script\b([^>]*\bsrc=[^>]*)>/i',
			function ( $m ) {
				if ( ! preg_match( '/\bid=([\'"])' . preg_quote( self::HANDLE, '/' ) . '-js\1/', $m[1] ) ) {
					return $m[0];
				}
				$attributes = preg_replace( '/\stype=([\'"])[^\'"]*\1/i', '', $m[1] );
				return '<script type="module"' . $attributes . '>';
			},
			$tag
		);
	}
}
