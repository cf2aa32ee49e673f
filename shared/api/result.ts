import { z } from 'zod';

import type { ErrorCode } from './contract';

/**
 * Error codes are `domain/reason`. The UI translates them through i18next as
 * `<domain>:errors.<reason>` and falls back to `message` (English, for logs and support).
 */
export const errorDataSchema = z.object({
  code: z.string().regex(/^[a-z]+\/[a-z0-9-]+$/),
  message: z.string(),
  detail: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

/** An error as it crosses a process boundary. */
export type StudioErrorData = z.infer<typeof errorDataSchema>;

/** What every request returns across a transport. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: StudioErrorData };

export const resultSchema = z.discriminatedUnion('ok', [
  // `value` is absent on the wire for requests that return nothing (JSON drops undefined).
  z.object({ ok: z.literal(true), value: z.unknown().optional() }),
  z.object({ ok: z.literal(false), error: errorDataSchema }),
]);

/** A typed, translatable error. Throw it from services; the router turns it into data. */
export class StudioError extends Error {
  /** One of the catalogue's codes (`shared/api/contract.ts` `errorCodes`). */
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly params: Record<string, string | number> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { detail?: string; params?: Record<string, string | number>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StudioError';
    this.code = code;
    this.detail = options.detail;
    this.params = options.params;
  }

  /** The shape that crosses IPC/WebSocket. */
  toData(): StudioErrorData {
    const data: StudioErrorData = { code: this.code, message: this.message };
    if (this.detail !== undefined) data.detail = this.detail;
    if (this.params !== undefined) data.params = this.params;
    return data;
  }

  /**
   * Back from the wire. Both ends are built from one contract, so the code is taken as the catalogue's
   * (the wire schema only checks its form: checking it here would make this file import the catalogue,
   * which imports this file); a stray code still shows its English message.
   */
  static fromData(data: StudioErrorData): StudioError {
    const options: { detail?: string; params?: Record<string, string | number> } = {};
    if (data.detail !== undefined) options.detail = data.detail;
    if (data.params !== undefined) options.params = data.params;
    return new StudioError(data.code as ErrorCode, data.message, options);
  }
}

export function isStudioError(value: unknown): value is StudioError {
  return value instanceof StudioError;
}

/** Splits `obs/auth-failed` into its i18next namespace and key. */
export function errorTranslationKey(code: string): { ns: string; key: string } {
  const slash = code.indexOf('/');
  return { ns: code.slice(0, slash), key: `errors.${code.slice(slash + 1)}` };
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: StudioErrorData): Result<never> => ({ ok: false, error });
