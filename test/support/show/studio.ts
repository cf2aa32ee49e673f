// A show domain on fakes for the show domain's unit tests: one set-up instead of one per file.
import path from 'node:path';

import { afterEach } from 'vitest';

import { createFolderAssets } from './folder-assets';
import { FakeObs, FakeSales, fakeShowDomain, recordEvents, testDeps } from './test-fakes';

export interface FakeShowOptions {
  /** Open this data folder again (a restart); a fresh one otherwise. */
  dataDir?: string;
  obs?: FakeObs;
  sales?: FakeSales;
}

/**
 * Call once in a test file: returns a factory of show domains on fakes (events recorded, assets in
 * a folder library in the data folder), each one closed after the test that made it.
 */
export function fakeShowStudios() {
  const open: ReturnType<typeof fakeShowDomain>[] = [];
  afterEach(async () => {
    for (const d of open.splice(0)) await d.close();
  });
  return (options: FakeShowOptions = {}) => {
    const rec = recordEvents();
    const deps = testDeps(rec.emit, options.dataDir);
    const obs = options.obs ?? new FakeObs();
    const sales = options.sales ?? new FakeSales();
    const assets = createFolderAssets(path.join(deps.dataDir, 'show', 'assets'));
    const domain = fakeShowDomain(deps, { obs, sales, assets });
    open.push(domain);
    return { rec, deps, obs, sales, assets, domain, h: domain.handlers };
  };
}
