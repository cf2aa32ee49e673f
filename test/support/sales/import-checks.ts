import fs from 'node:fs';

import { expect } from 'vitest';

import { StudioError } from '../../../shared/api/result';

// Checks the sales tests share: how a refused call failed (imports, the feed), and what an
// import has staged on disk.

/** The StudioError a call failed with (the test fails if it resolved or threw something else). */
export async function rejection(promise: Promise<unknown>): Promise<StudioError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StudioError);
  return error as StudioError;
}

/** That a call failed with `code`; the error, for more checks. */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<StudioError> {
  const error = await rejection(promise);
  expect(error.code).toBe(code);
  return error;
}

/** The import staging files (and those being removed, `.old`) anywhere under a data folder. */
export function stagingFiles(dataDir: string): string[] {
  return (fs.readdirSync(dataDir, { recursive: true }) as string[]).filter((f) => f.includes('import-staging'));
}
