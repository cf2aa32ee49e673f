import http from 'node:http';

import { afterEach, describe, expect, it } from 'vitest';

import type { PanelState } from '../../../shared/lan/panel';
import { panelCloseCodes } from '../../../shared/lan/panel';
import type { LanStudio } from '../../../test/support/lan/test-kit';
import { pairDevice, PanelSocket, postPair, startLanStudio, startSampleShow } from '../../../test/support/lan/test-kit';
import { FakeObs } from '../../../test/support/show/test-fakes';

// LAN mode against loopback aliases standing in for the studio Wi-Fi (127.0.0.2 and up answer on
// Linux without setup): real sales store on SQLite, the real show domain with a fake OBS, the real
// listener, pairing over HTTP and phones over WebSocket as the panel page speaks it.

const open: LanStudio[] = [];
const sockets: PanelSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const s of open.splice(0)) await s.close();
});

async function studioOn(address: string, options: { now?: () => number } = {}) {
  const obs = new FakeObs();
  const studio = await startLanStudio({ obs, ...options });
  open.push(studio);
  const state = await studio.call('lan:configure', { isEnabled: true, address, port: 0 });
  expect(state.isListening).toBe(true);
  const origin = new URL(state.url!).origin;
  return { studio, obs, origin };
}

async function phone(origin: string, token: string): Promise<PanelSocket> {
  const socket = await PanelSocket.open(origin, token);
  sockets.push(socket);
  return socket;
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('LAN mode', () => {
  it('is off by default; switched on it listens on the chosen address only', async () => {
    const studio = await startLanStudio({ obs: new FakeObs() });
    open.push(studio);
    expect((await studio.call('lan:state')).isListening).toBe(false);
    await expect(studio.call('lan:pair-start', { role: 'producer' })).rejects.toMatchObject({
      code: 'lan/not-listening',
    });
    const state = await studio.call('lan:configure', { isEnabled: true, address: '127.0.0.2', port: 0 });
    const port = new URL(state.url!).port;
    expect(state.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/panel$/);
    // Not on the studio's own loopback address: one interface, never all of them.
    await expect(get(`http://127.0.0.1:${port}/panel`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // An address this PC does not have is refused with a code, and LAN mode stays as it was.
    await expect(studio.call('lan:configure', { address: '192.0.2.1' })).rejects.toMatchObject({
      code: 'lan/address-unavailable',
    });
    expect((await studio.call('lan:state')).config.address).toBe('127.0.0.2');
    expect((await studio.call('lan:configure', { isEnabled: false })).isListening).toBe(false);
  });

  it('pairs a phone with a one-time code from the QR; a wrong or reused code is refused', async () => {
    const { studio, origin } = await studioOn('127.0.0.3');
    const offer = await studio.call('lan:pair-start', { role: 'producer', name: '小李的手机' });
    expect(offer.qrSvg).toContain('<svg');
    expect(offer.url.startsWith(`${origin}/panel#pair=`)).toBe(true);
    const code = new URLSearchParams(new URL(offer.url).hash.slice(1)).get('pair')!;
    // 128 random bits: 22 base64url characters.
    expect(code).toMatch(/^[\w-]{22}$/);

    const wrong = await postPair(origin, { code: code.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) });
    expect(wrong).toMatchObject({ status: 401, body: { ok: false, error: { code: 'lan/pair-code-invalid' } } });
    const paired = await postPair(origin, { code });
    expect(paired.status).toBe(200);
    expect(paired.body.value).toMatchObject({ role: 'producer', name: '小李的手机' });
    const reused = await postPair(origin, { code });
    expect(reused.body.error?.code).toBe('lan/pair-code-invalid');

    const devices = await studio.call('lan:devices');
    expect(devices).toMatchObject([{ name: '小李的手机', role: 'producer', isConnected: false }]);
    const socket = await phone(origin, paired.body.value!.deviceToken);
    expect((await socket.state()).role).toBe('producer');
    expect((await studio.call('lan:devices'))[0]?.isConnected).toBe(true);
    // The token is kept only as a hash.
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(`${studio.dataDir}/lan-devices.json`, 'utf8')).not.toContain(paired.body.value!.deviceToken);

    const renamed = await studio.call('lan:device-rename', { id: devices[0]!.id, name: '场控 小李' });
    expect(renamed.name).toBe('场控 小李');
    expect(((await socket.state()) as PanelState).deviceName).toBe('场控 小李');
  });

  it('a code expires after two minutes', async () => {
    let clock = Date.now();
    const { studio, origin } = await studioOn('127.0.0.4', { now: () => clock });
    const codeOf = async () =>
      new URLSearchParams(new URL((await studio.call('lan:pair-start', { role: 'prompter' })).url).hash.slice(1)).get(
        'pair',
      )!;
    const early = await codeOf();
    const late = await codeOf();
    clock += 119_000;
    expect((await postPair(origin, { code: early })).status).toBe(200);
    clock += 1_001;
    expect(await postPair(origin, { code: late })).toMatchObject({
      status: 401,
      body: { error: { code: 'lan/pair-code-invalid' } },
    });
  });

  it('limits guessing, checks Origin and Host, and serves nothing but the panel', async () => {
    const { studio, origin } = await studioOn('127.0.0.5');
    const port = new URL(origin).port;
    // Another site's page, or a rebinding host name, cannot pair or open a socket.
    expect((await postPair(origin, { code: 'A'.repeat(22) }, { Origin: 'http://evil.example' })).body.error?.code).toBe(
      'lan/bad-origin',
    );
    expect((await postPair(origin, { code: 'A'.repeat(22) }, {})).status).toBe(403);
    expect((await get(`${origin}/panel`, { Host: `rebind.example:${port}` })).status).toBe(403);
    const token = await pairDevice(studio, 'producer');
    await expect(PanelSocket.open(origin, token, { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(PanelSocket.open(origin, token, {})).rejects.toThrow('HTTP 403');

    // Only the panel and the files panel.html names.
    expect((await get(`${origin}/panel`)).status).toBe(200);
    expect((await get(`${origin}/assets/panel-abc123.js`)).status).toBe(200);
    for (const p of [
      '/index.html',
      '/program',
      '/assets/index-def456.js',
      '/api',
      '/library/x.glb',
      '/../etc/passwd',
    ]) {
      expect([404, 405], p).toContain((await get(`${origin}${p}`)).status);
    }
    // A body over the limit gets a coded refusal.
    expect((await postPair(origin, { code: 'x'.repeat(5000) })).body.error?.code).toBe('lan/message-too-large');

    // Brute force: after the burst, a coded refusal, not another guess.
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await postPair(origin, { code: `guess${String(i).padStart(17, '0')}` });
      codes.push(r.body.error?.code ?? String(r.status));
    }
    expect(codes).toContain('lan/rate-limited');
    expect(codes.slice(-1)).toEqual(['lan/rate-limited']);
  });

  it('refuses the studio token and unknown devices with a close code the phone acts on', async () => {
    const { origin } = await studioOn('127.0.0.6');
    for (const token of ['', 'not-a-device', 'the-studio-token-is-not-a-device-token']) {
      const socket = await phone(origin, token);
      expect((await socket.closed).code).toBe(panelCloseCodes.unauthorized);
    }
  });

  it('a prompter reads the script but cannot press NEXT or record a sale; a producer can', async () => {
    const { studio, obs, origin } = await studioOn('127.0.0.7');
    await startSampleShow(studio);
    const prompter = await phone(origin, await pairDevice(studio, 'prompter'));
    const producer = await phone(origin, await pairDevice(studio, 'producer'));

    const seen = await prompter.state();
    expect(seen.live?.segments[2]?.script).toContain('高山绿茶');
    // Nothing about money or the studio's notes reaches the prompter.
    expect(seen.live?.segments[0]).not.toHaveProperty('notes');
    expect(seen.live?.segments[0]).not.toHaveProperty('gmvFen');
    expect(seen.live).not.toHaveProperty('showGmvFen');
    for (const [name, payload] of [
      ['panel:next', { fromIndex: 0 }],
      ['panel:back', { fromIndex: 0 }],
      ['panel:sale', { entryKey: 'k'.repeat(20), quantity: 1 }],
      ['show:live-next', undefined],
      ['sales:record', { quantity: 1 }],
    ] as const) {
      const r = await prompter.request(name, payload);
      expect(r.error?.code, name).toBe(name.startsWith('panel:') ? 'lan/forbidden' : 'app/unknown-request');
    }
    // A producer cannot reach the studio API through the panel either.
    expect((await producer.request('show:live-next')).error?.code).toBe('app/unknown-request');
    expect((await studio.call('show:live-get'))?.index).toBe(0);

    const from = prompter.events.length;
    const moved = await producer.request('panel:next', { fromIndex: 0 });
    expect(moved).toMatchObject({ ok: true, value: { isApplied: true, state: { live: { index: 1 } } } });
    expect(obs.program).toBe('LAN B');
    // The prompter follows the live segment.
    await prompter.nextEvent('panel:state', (p) => (p as PanelState).live?.index === 1, from);
  });

  it('revoking a phone closes its live socket at once; its token no longer opens one', async () => {
    const { studio, origin } = await studioOn('127.0.0.8');
    const token = await pairDevice(studio, 'producer');
    const other = await phone(origin, await pairDevice(studio, 'prompter'));
    const socket = await phone(origin, token);
    await socket.state();
    const [device] = (await studio.call('lan:devices')).filter((d) => d.role === 'producer');
    await studio.call('lan:device-revoke', { id: device!.id });
    expect((await socket.closed).code).toBe(panelCloseCodes.revoked);
    expect((await studio.call('lan:devices')).map((d) => d.role)).toEqual(['prompter']);
    const again = await phone(origin, token);
    expect((await again.closed).code).toBe(panelCloseCodes.unauthorized);
    // The other phone stays on.
    expect((await other.state()).role).toBe('prompter');
    await expect(studio.call('lan:device-revoke', { id: device!.id })).rejects.toMatchObject({
      code: 'lan/device-not-found',
    });
  });

  it('a retried sale counts once, a retried or doubled NEXT moves once, across reconnects', async () => {
    const { studio, origin } = await studioOn('127.0.0.9');
    await startSampleShow(studio);
    const token = await pairDevice(studio, 'producer');
    const first = await phone(origin, token);
    const sale = { entryKey: 'sale-0001-aaaaaaaaaaaa', quantity: 2 };
    const a = await first.request('panel:sale', sale);
    expect(a).toMatchObject({ ok: true, value: { isDuplicate: false } });
    // The reply was lost on weak Wi-Fi: the phone reconnects and sends the same entry again.
    first.ws.terminate();
    const second = await phone(origin, token);
    const b = await second.request('panel:sale', sale);
    expect(b).toMatchObject({ ok: true, value: { isDuplicate: true } });
    expect((b.value as { saleId: number }).saleId).toBe((a.value as { saleId: number }).saleId);
    const listed = await studio.call('sales:list', {});
    expect(listed.sales).toHaveLength(1);
    const state = (b.value as { state: PanelState }).state;
    expect(state.live?.segments[0]).toMatchObject({ gmvFen: 7980, orders: 1 });
    expect(state.live?.showGmvFen).toBe(7980);

    // Two presses from the same segment (a retry, or two phones at once) move the show once.
    const [n1, n2] = await Promise.all([
      second.request('panel:next', { fromIndex: 0 }),
      second.request('panel:next', { fromIndex: 0 }),
    ]);
    expect([n1.value, n2.value].map((v) => (v as { isApplied: boolean }).isApplied).sort()).toEqual([false, true]);
    expect((await studio.call('show:live-get'))?.index).toBe(1);
    // From a segment long gone: refused with a code, nothing moves.
    expect((await second.request('panel:next', { fromIndex: 2 })).error?.code).toBe('lan/stale-action');
    expect((await second.request('panel:back', { fromIndex: 1 })).value).toMatchObject({ isApplied: true });
    expect((await studio.call('show:live-get'))?.index).toBe(0);
  });

  it('refuses oversized and malformed frames with coded errors and keeps the socket', async () => {
    const { studio, origin } = await studioOn('127.0.0.10');
    const socket = await phone(origin, await pairDevice(studio, 'producer'));
    socket.ws.send(JSON.stringify({ type: 'call', id: 1, name: 'panel:state', payload: { pad: 'x'.repeat(9000) } }));
    expect(await socket.nextEvent('panel:error')).toMatchObject({ code: 'lan/message-too-large' });
    socket.ws.send('{not json');
    expect(
      await socket.nextEvent('panel:error', (p) => (p as { code: string }).code === 'app/invalid-payload'),
    ).toBeTruthy();
    expect((await socket.request('panel:sale', { entryKey: 'short', quantity: 1 })).error?.code).toBe(
      'app/invalid-payload',
    );
    // Far over the hard limit the socket is closed (1009), as ws does.
    const big = await phone(origin, await pairDevice(studio, 'producer'));
    big.ws.send('x'.repeat(70 * 1024));
    expect((await big.closed).code).toBe(1009);
    expect((await socket.state()).role).toBe('producer');
  });

  it('rate-limits a phone that floods the socket, with a coded answer, and lets it go on after', async () => {
    const { studio, origin } = await studioOn('127.0.0.11');
    const socket = await phone(origin, await pairDevice(studio, 'prompter'));
    const answers = await Promise.all(Array.from({ length: 60 }, () => socket.request('panel:ping')));
    const codes = answers.map((a) => (a.ok ? 'ok' : a.error?.code));
    expect(codes.filter((c) => c === 'ok').length).toBeGreaterThanOrEqual(30);
    expect(codes).toContain('lan/rate-limited');
  });

  it('switching LAN mode on and off quickly leaves one listener, or none', async () => {
    const studio = await startLanStudio({ obs: new FakeObs() });
    open.push(studio);
    const on = { isEnabled: true, address: '127.0.0.12', port: 0 } as const;
    await Promise.all([
      studio.call('lan:configure', on),
      studio.call('lan:configure', { isEnabled: false }),
      studio.call('lan:configure', on),
    ]);
    const state = await studio.call('lan:state');
    expect(state.isListening).toBe(true);
    expect((await get(`${new URL(state.url!).origin}/panel`)).status).toBe(200);
    await studio.call('lan:configure', { isEnabled: false });
    await expect(get(`${new URL(state.url!).origin}/panel`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
