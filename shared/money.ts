import { z } from 'zod';

import type { Fen } from './fen';

export * from './fen';

/** zod schema for a non-negative integer amount in fen. */
export const fenSchema = z
  .number()
  .int()
  .min(0)
  .max(Number.MAX_SAFE_INTEGER)
  .transform((n) => n as Fen);

/** zod schema for a signed integer amount in fen (refunds, corrections). */
export const signedFenSchema = z
  .number()
  .int()
  .min(-Number.MAX_SAFE_INTEGER)
  .max(Number.MAX_SAFE_INTEGER)
  .transform((n) => n as Fen);
