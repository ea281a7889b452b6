<?php
/**
 * A problem in an uploaded data file, located as the command line locates it (FILE:LINE:COLUMN).
 *
 * Pure PHP: no WordPress function is used, so the importer can be tested without WordPress.
 *
 * @package Siren_Engine
 */

defined( 'ABSPATH' ) || exit;

/**
 * An import error: the message is `file:line:column: detail` (or `file: detail` without a position).
 */
final class Siren_Engine_Import_Error extends Exception {

	/**
	 * The upload field (events, transactions, refunds, collaborators).
	 *
	 * @var string
	 */
	public string $field;

	/**
	 * The file's name as uploaded.
	 *
	 * @var string
	 */
	public string $file;

	/**
	 * 1-based line, 0 when unknown.
	 *
	 * @var int
	 */
	public int $line;

	/**
	 * 1-based column (UTF-16 code units, as editors count), 0 when unknown.
	 *
	 * @var int
	 */
	public int $column;

	/**
	 * The message without its location.
	 *
	 * @var string
	 */
	public string $detail;

	/**
	 * The HTTP status: 400 (a bad file), 413 (too large) or 415 (not CSV/JSON text).
	 *
	 * @var int
	 */
	public int $status;

	/**
	 * Constructor.
	 *
	 * @param string $field  Upload field.
	 * @param string $file   File name.
	 * @param int    $line   1-based line or 0.
	 * @param int    $column 1-based column or 0.
	 * @param string $detail What is wrong.
	 * @param int    $status HTTP status.
	 */
	public function __construct( string $field, string $file, int $line, int $column, string $detail, int $status = 400 ) {
		$where = $file;
		if ( $line > 0 ) {
			$where .= ':' . $line . ( $column > 0 ? ':' . $column : '' );
		}
		parent::__construct( $where . ': ' . $detail );
		$this->field  = $field;
		$this->file   = $file;
		$this->line   = $line;
		$this->column = $column;
		$this->detail = $detail;
		$this->status = $status;
	}
}
