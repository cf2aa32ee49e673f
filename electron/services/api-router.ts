import { z } from 'zod';

import type { ParsedInput, RequestName, RequestOutput } from '../../shared/api/contract';
import { isRequestName, requests } from '../../shared/api/contract';
import type { Result } from '../../shared/api/result';
import { StudioError } from '../../shared/api/result';
import type { Logger } from './logger';

/** Who is calling: which transport, and for IPC which window. */
export interface CallContext {
  readonly transport: 'ipc' | 'ws';
  readonly window?: 'control' | 'program';
}

export type Handler<K extends RequestName> = (
  input: ParsedInput<K>,
  ctx: CallContext,
) => Promise<RequestOutput<K>> | RequestOutput<K>;

/**
 * Handlers for a subset of the contract (`Handlers<'obs:connect' | …>`: each domain exports its own);
 * `Handlers` alone is the whole contract, what the router takes.
 */
export type Handlers<K extends RequestName = RequestName> = { [P in K]: Handler<P> };

/** Turns any thrown value into a coded error that can cross a transport. */
export function toStudioError(error: unknown): StudioError {
  if (error instanceof StudioError) return error;
  const err = error as NodeJS.ErrnoException | undefined;
  if (err?.code === 'ENOSPC') {
    return new StudioError('app/disk-full', 'The disk is full.', { detail: String(err.message), cause: error });
  }
  if (err?.code === 'EROFS' || err?.code === 'EACCES' || err?.code === 'EPERM') {
    return new StudioError('app/read-only', 'The data folder cannot be written.', {
      detail: String(err.message),
      cause: error,
    });
  }
  return new StudioError('app/internal', 'Something went wrong inside the studio.', {
    detail: error instanceof Error ? (error.stack ?? error.message) : String(error),
    cause: error,
  });
}

/** Parses, dispatches and wraps every request the transports receive. */
export interface ApiRouter {
  call(name: unknown, payload: unknown, ctx: CallContext): Promise<Result<unknown>>;
}

/**
 * The router over the full handler map: a request of the contract without a handler is a compile error
 * in the composition root, not an 'unknown request' at run time. (Tests that wire a few domains fill the
 * rest with `completeHandlers` from test/support/api-handlers.ts.)
 */
export function createApiRouter(handlers: Handlers, logger: Logger): ApiRouter {
  return {
    async call(name, payload, ctx) {
      // The check on the handler stays: a name from the wire is checked against the contract, and a
      // handler map spread from a JS object could still lack one at run time.
      if (typeof name !== 'string' || !isRequestName(name) || (handlers[name] as unknown) === undefined) {
        return {
          ok: false,
          error: { code: 'app/unknown-request', message: `Unknown request: ${String(name).slice(0, 80)}` },
        };
      }
      const spec = requests[name];
      const parsed = spec.input.safeParse(payload);
      if (!parsed.success) {
        logger.warn(`rejected payload for ${name}`, { issues: parsed.error.issues.length });
        return {
          ok: false,
          error: {
            code: 'app/invalid-payload',
            message: `Invalid payload for ${name}`,
            detail: z.prettifyError(parsed.error).slice(0, 2000),
          },
        };
      }
      try {
        const handler = handlers[name] as (input: unknown, ctx: CallContext) => unknown;
        const value: unknown = await handler(parsed.data, ctx);
        return { ok: true, value };
      } catch (error) {
        const studioError = toStudioError(error);
        if (studioError.code === 'app/internal') logger.error(`${name} failed`, { detail: studioError.detail });
        else logger.info(`${name} failed: ${studioError.code}`);
        return { ok: false, error: studioError.toData() };
      }
    },
  };
}
