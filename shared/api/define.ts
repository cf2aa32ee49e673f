import type { z } from 'zod';

/** One request of the API contract: what the caller sends and what it gets back. */
export interface RequestSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
}

/** Declares a request; keeps the zod types for inference. */
export function request<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): RequestSpec<I, O> {
  return { input, output };
}
