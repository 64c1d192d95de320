/**
 * The mark a table view raises with when the table's files cannot be read (a listing that kept
 * racing a partition swap, an unreadable file): the engine reports such a failure as Athena's
 * GENERIC_INTERNAL_ERROR (SYSTEM, retryable), never as a mistake in the query.
 */
export const UNREADABLE_TABLE = 'TABLE_UNREADABLE';
