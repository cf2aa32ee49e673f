import { afterEach, describe, expect, it } from 'vitest';

import { obsDefaultSceneName } from '../../../shared/api/obs';
import { FakeObs, FakeSales, fakeShowDomain, recordEvents, testDeps } from '../../../test/support/show/test-fakes';
import type { buildShowDomain } from '.';

const ctx = { transport: 'ws' } as const;
const domains: ReturnType<typeof buildShowDomain>[] = [];
afterEach(async () => {
  for (const d of domains.splice(0)) await d.close();
});

describe('"set up OBS" on a fresh studio', () => {
  it("creates one default scene when there are no presets yet, then the presets' scenes", async () => {
    const obs = new FakeObs();
    const domain = fakeShowDomain(testDeps(recordEvents().emit), { obs, sales: new FakeSales() });
    domains.push(domain);
    const h = domain.handlers;
    await expect(h['show:obs-provision'](undefined, ctx)).resolves.toEqual({ scenes: [obsDefaultSceneName] });
    expect(obs.provisioned).toEqual([[obsDefaultSceneName]]);

    await h['show:preset-from-template']({ templateId: 'orchard-16x9' }, ctx);
    await expect(h['show:obs-provision'](undefined, ctx)).resolves.toEqual({ scenes: ['Harvest Orchard 16x9'] });

    obs.status = 'disconnected';
    await expect((async () => h['show:obs-provision'](undefined, ctx))()).rejects.toMatchObject({
      code: 'show/obs-not-connected',
    });
  });
});
