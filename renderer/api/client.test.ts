import { describe, expect, it } from 'vitest';

import type { StudioBridge } from '../../shared/api/bridge';
import { StudioError } from '../../shared/api/result';
import { createStudioClient } from './client';

/** A bridge whose replies and events the test gives. */
function fakeBridge(reply: (name: string, payload: unknown) => unknown) {
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const bridge: StudioBridge = {
    transport: 'ws',
    call: (name, payload) => Promise.resolve(reply(name, payload) as never),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { bridge, push: (name: string, payload: unknown) => listeners.forEach((l) => l(name, payload)) };
}

describe('createStudioClient', () => {
  it('parses replies with the contract and rethrows failures as coded StudioErrors', async () => {
    const { bridge } = fakeBridge((name, payload) => {
      if (name === 'show:live-goto') return { ok: false, error: { code: 'show/not-live', message: 'no show' } };
      if (name === 'sales:undo-last') return { ok: true, value: { id: 'not a number' } };
      return { ok: true, value: payload };
    });
    const client = createStudioClient(bridge);
    const error = await client.call('show:live-goto', { index: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('show/not-live');
    await expect(client.call('sales:undo-last')).rejects.toMatchObject({ code: 'app/invalid-payload' });
  });

  it('passes on only well-formed events of the name asked for', () => {
    const { bridge, push } = fakeBridge(() => ({ ok: true, value: null }));
    const client = createStudioClient(bridge);
    const seen: unknown[] = [];
    const off = client.on('show:library-changed', (p) => seen.push(p));
    push('show:library-changed', { kind: 'presets' });
    push('show:library-changed', { kind: 'nonsense' });
    push('show:scene-changed', { kind: 'presets' });
    push('not:an-event', {});
    off();
    push('show:library-changed', { kind: 'guard' });
    expect(seen).toEqual([{ kind: 'presets' }]);
  });

  it('reports the transport going down and up, ignoring malformed notices', () => {
    const { bridge, push } = fakeBridge(() => ({ ok: true, value: null }));
    const client = createStudioClient(bridge);
    const seen: boolean[] = [];
    client.onTransport((c) => seen.push(c));
    push('app:transport', { connected: false });
    push('app:transport', { connected: 'yes' });
    push('app:transport', null);
    push('app:transport', { connected: true });
    expect(seen).toEqual([false, true]);
  });

  it('without an upload path, staging a file fails with a coded error', async () => {
    const client = createStudioClient(fakeBridge(() => ({ ok: true, value: null })).bridge);
    await expect(client.stageFile({} as File)).rejects.toMatchObject({ code: 'app/upload-failed' });
  });
});
