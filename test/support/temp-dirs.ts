import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach } from 'vitest';

/** Makes a temporary folder; `track` adds one made elsewhere (a kit's) to those removed. */
export type TempDirs = (() => string) & { track(dir: string): void };

/**
 * Temporary folders for the tests of one file, each removed after the test that made it. Call it
 * before registering other afterEach hooks: after-hooks run last-registered first, so whatever
 * those close (stores, kits) is closed before its folder goes.
 */
export function useTempDirs(prefix: string): TempDirs {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const make = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  return Object.assign(make, { track: (dir: string) => void dirs.push(dir) });
}
