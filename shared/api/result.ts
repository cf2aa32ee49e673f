import { z } from 'zod';

import type { StudioErrorData } from './studio-error';

export type { StudioErrorData } from './studio-error';
export { isStudioError, StudioError } from './studio-error';

/**
 * Error codes are `domain/reason`. The UI translates them through i18next as
 * `<domain>:errors.<reason>` and falls back to `message` (English, for logs and support).
 */
export const errorDataSchema: z.ZodType<StudioErrorData> = z.object({
  code: z.string().regex(/^[a-z]+\/[a-z0-9-]+$/),
  message: z.string(),
  detail: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

/** What every request returns across a transport. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: StudioErrorData };

export const resultSchema = z.discriminatedUnion('ok', [
  // `value` is absent on the wire for requests that return nothing (JSON drops undefined).
  z.object({ ok: z.literal(true), value: z.unknown().optional() }),
  z.object({ ok: z.literal(false), error: errorDataSchema }),
]);

/** Splits `obs/auth-failed` into its i18next namespace and key. */
export function errorTranslationKey(code: string): { ns: string; key: string } {
  const slash = code.indexOf('/');
  return { ns: code.slice(0, slash), key: `errors.${code.slice(slash + 1)}` };
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: StudioErrorData): Result<never> => ({ ok: false, error });
