import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { createWsBridge } from '../../renderer/api/ws-bridge';
import { wsMaxMessageBytes } from '../../shared/api/wire';
import type { FuzzHost } from '../fuzz/harness';
import { startFuzzHost } from '../fuzz/harness';

// The page's WebSocket transport against the real host: a request too large for one message is
// refused in the page with a coded error, before it could close the socket for everyone.

let h: FuzzHost;
const globals = globalThis as unknown as { WebSocket?: unknown };
const previous = globals.WebSocket;

beforeAll(async () => {
  h = await startFuzzHost();
  // ws implements the browser's addEventListener API, enough for the bridge.
  globals.WebSocket = WebSocket;
}, 120_000);

afterAll(async () => {
  globals.WebSocket = previous;
  await h.close();
});

describe('ws-bridge', () => {
  it('refuses a call too large for one message with app/message-too-large and keeps the socket', async () => {
    const bridge = createWsBridge(`ws://127.0.0.1:${h.port}/api?token=${h.token}`);
    expect(await bridge.call('app:info', undefined)).toMatchObject({ ok: true });
    const tooBig = await bridge.call('assets:upload', { name: 'a.glb', dataBase64: 'A'.repeat(wsMaxMessageBytes) });
    expect(tooBig).toMatchObject({ ok: false, error: { code: 'app/message-too-large' } });
    expect(await bridge.call('app:info', undefined)).toMatchObject({ ok: true });
  });
});
