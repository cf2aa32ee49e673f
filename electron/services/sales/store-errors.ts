import { StudioError } from '../../../shared/api/result';

/**
 * Turns what SQLite or the file system threw into one of our coded errors, so the UI can say
 * what happened and offer a way out (open a backup, choose another folder).
 */
export function toSalesError(error: unknown, file: string, isOpening = false): StudioError {
  if (error instanceof StudioError) return error;
  const err = error as { code?: unknown; message?: unknown } | null;
  const code = typeof err?.code === 'string' ? err.code : '';
  const detail = `${code} ${typeof err?.message === 'string' ? err.message : String(error)}`.trim();
  const options = { detail, params: { file }, cause: error };
  if (code === 'SALES_TOO_NEW') {
    return new StudioError('sales/db-too-new', 'The sales log was written by a newer Harvest Studio.', options);
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new StudioError('sales/db-corrupt', 'The sales log file is damaged.', options);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StudioError('sales/db-locked', 'Another program is using the sales log.', options);
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_FSYNC') {
    return new StudioError('sales/disk-full', 'The disk is full: the sale was not saved.', options);
  }
  if (
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code === 'EACCES' ||
    code === 'EROFS' ||
    code === 'EPERM' ||
    code === 'ENOTDIR'
  ) {
    return new StudioError('sales/read-only', 'The sales folder cannot be written.', options);
  }
  if (isOpening || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN') {
    return new StudioError('sales/db-unavailable', 'The sales log is not available.', options);
  }
  // Anything else is a bug in our code, not a state of the database.
  return new StudioError('app/internal', 'Something went wrong inside the sales log.', {
    detail: error instanceof Error ? (error.stack ?? error.message) : String(error),
    cause: error,
  });
}

/** Codes that mean the database itself cannot be used (as opposed to one bad request). */
export const fatalDbCodes: ReadonlySet<string> = new Set([
  'sales/db-corrupt',
  'sales/db-locked',
  'sales/disk-full',
  'sales/read-only',
  'sales/db-too-new',
  'sales/db-unavailable',
]);
