import { StudioError } from '../../../shared/api/result';

// PostgreSQL and network failures, as the codes the user reads. node-postgres gives a
// DatabaseError with the server's SQLSTATE in `code`, or a Node socket error (ECONNREFUSED…).

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
]);

/** Raised by the centre's own functions (schema.ts) for a code that is not (or no longer) valid. */
export const codeInvalidState = 'HS001';

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether a failure is the network or the server going away (retry later), not a refusal. */
export function isTransient(error: unknown): boolean {
  const code = sqlState(error);
  if (code !== undefined && networkCodes.has(code)) return true;
  // 57P01-03: admin shutdown, crash shutdown, cannot connect now (starting up); 08xxx: connection.
  if (code !== undefined && (code.startsWith('08') || code.startsWith('57P') || code === '53300')) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /Connection terminated|connection timeout|timeout expired|Client has encountered a connection error|socket hang up/iu.test(
    message,
  );
}

/**
 * The StudioError for a failure talking to the centre. `asStudio`: the caller is a studio (auth
 * failures mean a bad code while joining, a revoked studio afterwards).
 */
export function centreError(error: unknown, context: 'join' | 'push' | 'centre'): StudioError {
  if (error instanceof StudioError) return error;
  const code = sqlState(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (isTransient(error)) {
    return new StudioError('centre/unreachable', 'The centre cannot be reached; sales are kept and sent later.', {
      detail,
      cause: error,
    });
  }
  // 28P01 wrong password, 28000 role may not log in / no such role (pg_hba: 28000 too).
  if (code === '28P01' || code === '28000' || code === codeInvalidState) {
    if (context === 'join') {
      return new StudioError('centre/pair-code-invalid', 'That pairing code is wrong, used or expired.', {
        detail,
        cause: error,
      });
    }
    if (context === 'push') {
      return new StudioError('centre/revoked', 'The centre has removed this studio.', { detail, cause: error });
    }
  }
  // 42501 insufficient privilege: row-level security refused a studio no longer joined.
  if (code === '42501' && context === 'push') {
    return new StudioError('centre/revoked', 'The centre has removed this studio.', { detail, cause: error });
  }
  if (code === '3D000') {
    return new StudioError('centre/bad-address', 'There is no such database at that address.', {
      detail,
      cause: error,
    });
  }
  return new StudioError('centre/db-failed', 'The centre database refused the request.', { detail, cause: error });
}
