import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it, vi } from 'vitest';

import { completeHandlers } from '../../test/support/api-handlers';
import { createApiRouter } from './api-router';
import { createEventBus } from './event-bus';
import { createLogger, createNullLogger, redact, RotatingLogSink } from './logger';
import { createSecretStore } from './secret-store';
import { SettingsStore } from './settings-store';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-core-'));

describe('settings store', () => {
  it('defaults to zh-CN, persists changes, emits them, and refuses bad values', () => {
    const dir = tmp();
    const bus = createEventBus();
    const seen = vi.fn();
    bus.subscribe(seen);
    const store = new SettingsStore(dir, bus.emit);
    expect(store.get()).toMatchObject({ language: 'zh-CN', outputFormat: '1920x1080' });
    store.update({ language: 'en' });
    expect(seen).toHaveBeenCalledWith(
      'settings:changed',
      expect.objectContaining({ language: 'en', outputFormat: '1920x1080' }),
    );
    expect(new SettingsStore(dir, bus.emit).get().language).toBe('en');
    expect(() => store.update({ outputFormat: '640x480' as never })).toThrow();
    expect(new SettingsStore(dir, bus.emit).get().outputFormat).toBe('1920x1080');
  });

  it('survives a corrupt settings file with defaults', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'settings.json'), '{"language": "zh-CN", "outp');
    expect(new SettingsStore(dir, createEventBus().emit).get()).toMatchObject({
      language: 'zh-CN',
      outputFormat: '1920x1080',
    });
  });

  it('keeps good fields when one is bad, and treats a studio from before the guide as set up', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'settings.json'), '{"language": "en", "outputFormat": "640x480"}');
    const store = new SettingsStore(dir, createEventBus().emit);
    expect(store.get()).toMatchObject({ language: 'en', outputFormat: '1920x1080' });
    expect(store.get().onboarding.status).toBe('done');
    expect(new SettingsStore(tmp(), createEventBus().emit).get().onboarding.status).toBe('new');
  });

  it("forgets the machine's reason for the output size once the user picks one", () => {
    const store = new SettingsStore(tmp(), createEventBus().emit);
    store.update({ outputFormat: '1280x720', outputReason: 'software-graphics' });
    expect(store.get().outputReason).toBe('software-graphics');
    store.update({ outputFormat: '1920x1080' });
    expect(store.get().outputReason).toBeNull();
  });
});

describe('secret store', () => {
  it('keeps host-mode secrets in a 0600 file', () => {
    const dir = tmp();
    const store = createSecretStore(dir);
    store.set('obs.password', 's3cret');
    expect(store.kind).toBe('file-0600');
    expect(fs.statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(createSecretStore(dir).get('obs.password')).toBe('s3cret');
    store.set('obs.password', undefined);
    expect(store.get('obs.password')).toBeUndefined();
  });

  it('stores only ciphertext when the OS offers encryption', () => {
    const dir = tmp();
    const encryptor = {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from([...s].reverse().join('')),
      decryptString: (b: Buffer) => [...b.toString()].reverse().join(''),
    };
    const store = createSecretStore(dir, encryptor);
    store.set('stream.key', 'live_123');
    expect(fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8')).not.toContain('live_123');
    expect(store.get('stream.key')).toBe('live_123');
  });
});

describe('logger', () => {
  it('redacts secrets and rotates by size', () => {
    expect(redact({ password: 'x', streamKey: 'y', scene: 'a' })).toEqual({
      password: '[redacted]',
      streamKey: '[redacted]',
      scene: 'a',
    });
    const dir = tmp();
    const log = createLogger('t', new RotatingLogSink({ dir, maxBytes: 2000, keep: 2 }));
    for (let i = 0; i < 100; i++) log.info('line', { i, password: 'hunter2' });
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(['studio.1.log', 'studio.2.log', 'studio.log']);
    const all = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('');
    expect(all).not.toContain('hunter2');
    expect(fs.statSync(path.join(dir, 'studio.log')).size).toBeLessThanOrEqual(2000);
  });
});

describe('api router', () => {
  it('maps thrown disk errors to coded errors the user can act on', async () => {
    const router = createApiRouter(
      completeHandlers({
        'settings:get': () => {
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        },
      }),
      createNullLogger(),
    );
    await expect(router.call('settings:get', undefined, { transport: 'ws' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'app/disk-full' },
    });
    await expect(router.call(42, undefined, { transport: 'ws' })).resolves.toMatchObject({
      error: { code: 'app/unknown-request' },
    });
  });
});
