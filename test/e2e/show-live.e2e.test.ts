// Live mode end to end: the built studio host, the run's real OBS (and one of this test's own that
// it kills), the program page in real Chromium. One key moves OBS, the program and the sales log.
import { execFileSync } from 'node:child_process';

import OBSWebSocket from 'obs-websocket-js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import type { RequestOutput } from '../../shared/api/contract';
import type { LiveState } from '../../shared/show/live';
import { launchBrowser, openPage, screenshotPath } from '../support/browser';
import type { RunningHost } from '../support/host';
import { startHost } from '../support/host';
import type { OwnObs } from '../support/obs/test-kit';
import { freePort, startOwnObs, stopOwnObs } from '../support/obs/test-kit';
import { sampleOrangeMedia, sampleProducts, sampleRundown, sampleTemplates } from '../support/sample-show';
import { buildZip } from '../support/show/zip-fixture';
import { StudioApi as Api } from '../support/studio-api';

const obs = inject('obs');
if (!obs.available && process.env.CI !== undefined) {
  throw new Error(`the test OBS is not available under CI: ${obs.reason ?? '?'}`);
}

/** Collects OBS's own CurrentProgramSceneChanged events. */
async function obsWatcher(url: string, password: string) {
  const client = new OBSWebSocket();
  await client.connect(url, password);
  const seen: string[] = [];
  const waiters = new Set<{ scene: string; resolve: () => void }>();
  client.on('CurrentProgramSceneChanged', ({ sceneName }) => {
    seen.push(sceneName);
    for (const w of [...waiters]) {
      if (w.scene === sceneName) {
        waiters.delete(w);
        w.resolve();
      }
    }
  });
  return {
    client,
    seen,
    /** Resolves on the next CurrentProgramSceneChanged to `scene`. */
    next(scene: string, timeoutMs = 15_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const w = { scene, resolve };
        waiters.add(w);
        setTimeout(() => {
          if (waiters.delete(w)) reject(new Error(`OBS did not switch to ${scene}; saw ${seen.join(', ')}`));
        }, timeoutMs).unref();
      });
    },
  };
}

/** The program page's read-only compositor probe (renderer/features/compositor/program-output.tsx). */
interface Probe {
  __harvestCompositor?: { info(): { sceneGeneration: number } };
}

/** Waits until the program page has drawn a scene newer than `generation`; returns the new one. */
async function programShowsNewScene(page: Page, generation: number): Promise<number> {
  await page.waitForFunction(
    (g) =>
      ((window as unknown as Probe).__harvestCompositor?.info().sceneGeneration ?? -1) > g &&
      document.body.dataset.sceneReady === '1',
    generation,
    { timeout: 30_000 },
  );
  return page.evaluate(() => (window as unknown as Probe).__harvestCompositor!.info().sceneGeneration);
}

const programGeneration = (page: Page) =>
  page.evaluate(() => (window as unknown as Probe).__harvestCompositor?.info().sceneGeneration ?? -1);

describe.skipIf(!obs.available)('live mode end to end', () => {
  let host: RunningHost;
  let api: Api;
  let browser: Browser;
  let program: Page;
  let own: OwnObs | undefined;
  const tag = `${process.pid}`;
  const scenes = [`E2E 果园 ${tag}`, `E2E 厨房 ${tag}`, `E2E 嘉宾 ${tag}`];
  let rundownId = '';
  let productIds: string[] = [];

  beforeAll(async () => {
    host = await startHost();
    api = await Api.open(host);
    browser = await launchBrowser();
    await api.call('obs:connect', { host: '127.0.0.1', port: obs.port, password: obs.password });

    const products: RequestOutput<'products:save'>[] = [];
    for (const input of sampleProducts) products.push(await api.call('products:save', input));
    productIds = products.map((p) => p.id);
    await api.call('show:product-media-set', { productId: productIds[0]!, media: sampleOrangeMedia });
    const presets: RequestOutput<'show:preset-save'>[] = [];
    for (const [i, templateId] of sampleTemplates.entries()) {
      const made = await api.call('show:preset-from-template', { templateId });
      presets.push(await api.call('show:preset-save', { ...made, obsScene: scenes[i]! }));
    }
    const rundown = await api.call(
      'show:rundown-save',
      sampleRundown(
        productIds,
        presets.map((p) => p.id),
      ),
    );
    rundownId = rundown.id;
    ({ page: program } = await openPage(browser, host.programUrl, { width: 1920, height: 1080 }));
    await program.waitForFunction(
      () => document.body.dataset.sceneReady === '1' && (window as unknown as Probe).__harvestCompositor !== undefined,
    );
  });

  afterAll(async () => {
    if (own !== undefined) stopOwnObs(own, false);
    api?.close();
    await browser?.close();
    await host?.stop();
  });

  it('three segments: each NEXT switches OBS to the bound scene, puts the product on program, and opens its sales segment', async () => {
    const watch = await obsWatcher(obs.url, obs.password);
    try {
      // The Cut transition, so OBS's own event follows at once (a Fade would hold it 300 ms).
      await watch.client.call('SetCurrentSceneTransition', { transitionName: 'Cut' });
      let generation = await programGeneration(program);
      const firstScene = watch.next(scenes[0]!);
      let live: LiveState = await api.call('show:live-start', { rundownId, acknowledgeGuard: false });
      await firstScene;
      for (let i = 0; i < 3; i++) {
        if (i > 0) {
          const switched = watch.next(scenes[i]!);
          const sceneChanged = api.next('show:scene-changed');
          live = await api.call('show:live-next');
          await switched;
          expect((await sceneChanged).presetId).toBe(live.segments[i]!.presetId);
        }
        expect(live.index).toBe(i);
        generation = await programShowsNewScene(program, generation);
        const onProgram = await api.call('show:get-scene');
        expect(onProgram.overlays.productCard.name).toBe(live.segments[i]!.productName);
        await program.screenshot({ path: screenshotPath(`show-live-segment-${i + 1}`) });
        // A sale entered now lands in the segment NEXT just opened.
        const sale = await api.call('sales:record', { quantity: i + 1 });
        expect(sale.segmentId).toBe(live.salesSegmentId);
        expect(sale.productId).toBe(productIds[i]);
      }
      expect(watch.seen.filter((s) => scenes.includes(s))).toEqual(scenes);
      await expect(api.call('show:live-next')).rejects.toMatchObject({ code: 'show/no-next-segment' });
      const latest = await api.call('show:live-get');
      expect(latest?.obs.inSync).toBe(true);
      expect(latest?.timeline.every((t) => t.obsAt !== null && t.obsAt >= t.at)).toBe(true);
      const ended = await api.call('show:live-end');
      const analytics = await api.call('sales:analytics-show', { showId: ended.salesShowId! });
      expect(JSON.stringify(analytics)).toContain('秋收助农专场');
      const list = await api.call('sales:list', { showId: ended.salesShowId!, limit: 100 });
      expect(new Set(list.sales.map((s) => s.segmentId)).size).toBe(3);
    } finally {
      await watch.client.disconnect();
    }
  });

  it('OBS killed mid-show: NEXT still switches the studio side, and OBS is caught up when it returns', async () => {
    own = startOwnObs(await freePort(), `show-e2e-${tag}`);
    const stateChanged = api.next(
      'obs:state-changed',
      (s) => s.connection.status === 'connected' && s.connection.port === own!.port,
    );
    await api.call('obs:connect', { host: '127.0.0.1', port: own.port, password: own.password });
    await stateChanged;
    const watch = await obsWatcher(own.url, own.password);
    await watch.client.call('SetCurrentSceneTransition', { transitionName: 'Cut' });
    const firstScene = watch.next(scenes[0]!);
    await api.call('show:live-start', { rundownId, acknowledgeGuard: false });
    await firstScene;
    await watch.client.disconnect().catch(() => undefined);

    const lost = api.next('obs:state-changed', (s) => s.connection.status !== 'connected');
    execFileSync('kill', ['-9', String(own.pid)]);
    await lost;
    let generation = await programGeneration(program);
    const down = await api.call('show:live-next');
    expect(down.index).toBe(1);
    expect(down.obs).toMatchObject({ scene: scenes[1], inSync: false });
    expect(down.obs.behindSince).not.toBeNull();
    generation = await programShowsNewScene(program, generation);
    await program.screenshot({ path: screenshotPath('show-live-obs-down') });
    const sale = await api.call('sales:record', { quantity: 1 });
    expect(sale.segmentId).toBe(down.salesSegmentId);
    const down2 = await api.call('show:live-next');
    expect(down2.index).toBe(2);
    expect(down2.timeline.slice(1).map((t) => t.obsAt)).toEqual([null, null]);
    await programShowsNewScene(program, generation);

    // OBS comes back on its saved state (showing the first scene): the studio catches it up.
    stopOwnObs(own, true);
    const caughtUp = api.next('show:live-changed', (p) => p.live?.obs.inSync === true, 60_000);
    const restartedAt = Date.now();
    own = startOwnObs(own.port, own.password, own.stateDir);
    const after = (await caughtUp).live!;
    expect(after.obs.scene).toBe(scenes[2]);
    expect(after.obs.behindSince).toBeNull();
    expect(after.timeline.slice(1).every((t) => t.obsAt !== null && t.obsAt >= restartedAt)).toBe(true);
    const check = new OBSWebSocket();
    await check.connect(own.url, own.password);
    const { currentProgramSceneName } = await check.call('GetCurrentProgramScene');
    expect(currentProgramSceneName).toBe(scenes[2]);
    await check.disconnect();
    await api.call('show:live-end');
    // Back to the run's OBS for the rest of the suite.
    await api.call('obs:connect', { host: '127.0.0.1', port: obs.port, password: obs.password });
    stopOwnObs(own, false);
    own = undefined;
  });

  it('the text guard flags 最好 and 国家级 in a script and holds the start until acknowledged', async () => {
    const rundown = await api.call('show:rundown-get', { id: rundownId });
    const risky = await api.call('show:rundown-save', {
      ...rundown,
      id: undefined,
      title: '文案检查',
      segments: rundown.segments.map((s, i) => ({
        ...s,
        id: undefined,
        script: i === 1 ? '这是我们县最好的蜂蜜，国家级品质！' : s.script,
      })),
    });
    const findings = await api.call('show:guard-check', { rundownId: risky.id });
    const hits = findings.flatMap((f) => f.hits.map((h) => [f.field, h.text, h.reason.includes('广告法')]));
    expect(hits).toEqual([
      ['segments.1.script', '最好', true],
      ['segments.1.script', '国家级', true],
    ]);
    await expect(api.call('show:live-start', { rundownId: risky.id, acknowledgeGuard: false })).rejects.toMatchObject({
      code: 'show/guard-hits',
      params: { count: 2 },
    });
    expect(await api.call('show:live-get')).toBeNull();
  });

  it('show package: export, wipe, import gives the identical show; hostile packages are refused', async () => {
    const exported = await api.call('show:package-export', { rundownId, inline: true });
    const before = await snapshot(api, rundownId);
    // Wipe: a new studio on an empty data folder.
    const other = await startHost();
    const api2 = await Api.open(other);
    try {
      const imported = await api2.call('show:package-import', {
        fileName: 'show.zip',
        dataBase64: exported.dataBase64!,
      });
      expect(await snapshot(api2, imported.rundownId)).toEqual(before);

      const marker = `evil-${tag}`;
      const hostile = [
        { zip: buildZip([{ name: `../../${marker}`, data: Buffer.from('x') }]), code: 'show/package-unsafe' },
        { zip: buildZip([{ name: `/tmp/${marker}`, data: Buffer.from('x') }]), code: 'show/package-unsafe' },
        {
          zip: buildZip([{ name: 'files/zeros.bin', data: Buffer.alloc(8 << 20), deflate: true }]),
          code: 'show/package-too-large',
        },
        {
          zip: buildZip([
            { name: 'manifest.json', data: Buffer.from('{"format":"harvest-show-package","version":1}') },
          ]),
          code: 'show/package-invalid',
        },
        { zip: Buffer.from('PK\u0003\u0004 not really a zip'), code: 'show/package-unreadable' },
      ];
      for (const { zip, code } of hostile) {
        await expect(
          api2.call('show:package-import', { fileName: 'bad.zip', dataBase64: zip.toString('base64') }),
        ).rejects.toMatchObject({ code });
      }
      expect((await api2.call('show:rundowns-list')).map((r) => r.id)).toEqual([imported.rundownId]);
      expect(await api2.call('show:presets-list')).toHaveLength(3);
    } finally {
      api2.close();
      await other.stop();
    }
  });
});

/** A show as it must survive a package round trip: everything but the ids the new studio assigns. */
async function snapshot(api: Api, rundownId: string) {
  const rundown = await api.call('show:rundown-get', { id: rundownId });
  const products = new Map((await api.call('show:products')).map((p) => [p.id, p]));
  const presets = new Map((await api.call('show:presets-list')).map((p) => [p.id, p]));
  return {
    title: rundown.title,
    platforms: rundown.platforms,
    segments: rundown.segments.map(({ id: _id, productId, presetId, ...s }) => {
      const { id: _p, ...product } = products.get(productId!)!;
      const { id: _q, createdAt: _c, updatedAt: _u, ...preset } = presets.get(presetId!)!;
      return { ...s, product, preset };
    }),
  };
}
