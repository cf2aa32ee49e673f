// OBS killed mid-session and started again on the same state: an OBS of this test's own, so the
// run's shared OBS is never killed.
import { execFileSync } from 'node:child_process';

import { RequestBatchExecutionType } from 'obs-websocket-js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import type { StudioError } from '../../../shared/api/result';
import type { OwnObs } from '../../../test/support/obs/test-kit';
import { createTestService, freePort, startOwnObs, stopOwnObs, waitForState } from '../../../test/support/obs/test-kit';
import type { ObsService } from './obs-service';

const obs = inject('obs');
if (!obs.available && process.env.CI !== undefined) {
  throw new Error(`the test OBS is not available under CI: ${obs.reason ?? '?'}`);
}

describe.skipIf(!obs.available)('ObsService when OBS dies and comes back', () => {
  let own: OwnObs | undefined;
  let service: ObsService;
  let dispose: () => Promise<void>;
  const scene = `恢复测试 ${process.pid}`;

  beforeAll(async () => {
    own = startOwnObs(await freePort(), `recovery-${process.pid}`);
    const made = createTestService({ callTimeoutMs: 20_000, statsIntervalMs: 500 });
    service = made.service;
    dispose = made.dispose;
    await service.connect({ host: '127.0.0.1', port: own.port, password: own.password });
    await service.provision([scene]);
    await service.call('SetCurrentSceneTransition', { transitionName: 'Cut' });
    await service.switchProgramScene(scene);
    await waitForState(service, (s) => s.programScene === scene, 5000, 'program scene');
  });

  afterAll(async () => {
    await dispose?.();
    if (own !== undefined) stopOwnObs(own, false);
  });

  it('reports the loss within 1 s, rejects the pending call, fails new calls fast, and resyncs after a restart', async () => {
    const obsNow = own as OwnObs;
    // A request OBS holds for 10 s: in flight when OBS dies. The call timeout is 20 s, so only
    // rejecting pending calls on close can end it in time.
    const inFlight = service
      .callBatch([{ requestType: 'Sleep', requestData: { sleepMillis: 10_000 } }], {
        executionType: RequestBatchExecutionType.SerialRealtime,
      })
      .then(
        () => undefined,
        (error: unknown) => ({ error: error as StudioError, at: performance.now() }),
      );
    const lost = waitForState(service, (s) => s.connection.status === 'reconnecting', 5000, 'reconnecting');

    const killedAt = performance.now();
    execFileSync('kill', ['-9', String(obsNow.pid)]);
    const lostState = await lost;
    const reportedMs = performance.now() - killedAt;
    expect(reportedMs).toBeLessThan(1000);
    expect(lostState.connection.lastError).toBe('obs/closed');
    expect(service.isConnected()).toBe(false);

    const rejected = await inFlight;
    expect(rejected?.error.code).toBe('obs/closed');
    expect((rejected?.at ?? Infinity) - killedAt).toBeLessThan(1000);

    const started = performance.now();
    const fast = await service.switchProgramScene(scene).then(
      () => undefined,
      (error: unknown) => error as StudioError,
    );
    expect(fast?.code).toBe('obs/not-connected');
    expect(performance.now() - started).toBeLessThan(50);

    // While OBS is down the service keeps trying (each try: ECONNREFUSED).
    await waitForState(service, (s) => s.connection.attempt >= 2, 5000, 'retries');
    expect(service.getState().connection.status).toBe('reconnecting');

    // Stop what is left (Xvfb) but keep the state, then start OBS again on it.
    stopOwnObs(obsNow, true);
    const restartedAt = performance.now();
    own = startOwnObs(obsNow.port, obsNow.password, obsNow.stateDir);
    const back = await waitForState(service, (s) => s.connection.status === 'connected', 15_000, 'reconnected');
    const reconnectMs = performance.now() - restartedAt;
    // The mirror is OBS's state after the restart, not what it held before: OBS keeps the
    // scenes but, after SIGKILL, not which one was on program.
    expect(back.scenes).toContain(scene);
    const list = await service.call('GetSceneList');
    expect(back.programScene).toBe(list.currentProgramSceneName);
    expect([...back.scenes].sort()).toEqual(list.scenes.map((s) => String(s.sceneName)).sort());
    expect(back.connection).toMatchObject({ lastError: null, attempt: 0 });
    expect(back.obsVersion).not.toBeNull();
    // Stats polling resumed on the new connection.
    await waitForState(service, (s) => s.stats !== null, 5000, 'stats after reconnect');
    // The backoff is capped at 5 s, so the service is back within one cap of OBS answering.
    expect(reconnectMs).toBeLessThan(15_000);
    await service.switchProgramScene(scene);
    await waitForState(service, (s) => s.programScene === scene, 5000, 'program scene after reconnect');
    process.stderr.write(
      `[obs recovery] loss reported in ${reportedMs.toFixed(0)} ms, back ${reconnectMs.toFixed(0)} ms after the restart began\n`,
    );
  });
});
