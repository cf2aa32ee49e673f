import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { app } from '../test/mocks/electron';
import type { GraphicsMemory } from './graphics';
import { decideGraphics, describeGraphics, graphicsFileName, parseGraphicsMemory, setupGraphics } from './graphics';
import type { Logger } from './services/logger';

vi.mock('electron', () => import('../test/mocks/electron'));

const electron = '39.0.0';
const remembered = (hardwareGl: boolean, patch: Partial<GraphicsMemory> = {}): GraphicsMemory => ({
  version: 1,
  hardwareGl,
  webgl: hardwareGl ? 'enabled' : 'unavailable_software',
  gpu: hardwareGl ? '10de:1c82' : '1ae0:c0de',
  electron,
  checkedAt: '2026-12-01T00:00:00.000Z',
  ...patch,
});
const names = (switches: [string, string?][]) =>
  switches.map(([name, value]) => (value === undefined ? name : `${name}=${value}`));

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = {
    lines,
    debug: () => undefined,
    info: (m: string, f?: unknown) => lines.push(`info ${m} ${JSON.stringify(f ?? {})}`),
    warn: (m: string, f?: unknown) => lines.push(`warn ${m} ${JSON.stringify(f ?? {})}`),
    error: (m: string, f?: unknown) => lines.push(`error ${m} ${JSON.stringify(f ?? {})}`),
    child: () => logger,
  };
  return logger as unknown as Logger & { lines: string[] };
}

describe('decideGraphics', () => {
  it('allows the software fallback on an unknown machine, so the first start is never black', () => {
    const d = decideGraphics({ env: undefined, memory: null, electron });
    expect(d).toMatchObject({ mode: 'auto', reason: 'unknown' });
    expect(names(d.switches)).toEqual(['enable-unsafe-swiftshader']);
    // Another Electron build has another GPU blocklist: what the old one found does not count.
    const upgraded = decideGraphics({ env: undefined, memory: remembered(true, { electron: '38.1.0' }), electron });
    expect(upgraded.reason).toBe('unknown');
    expect(names(upgraded.switches)).toEqual(['enable-unsafe-swiftshader']);
  });

  it('leaves software WebGL off where the last start found hardware GL, and on where it did not', () => {
    const hw = decideGraphics({ env: '', memory: remembered(true), electron });
    expect(hw).toMatchObject({ mode: 'auto', reason: 'remembered-hardware', switches: [] });
    const sw = decideGraphics({ env: 'auto', memory: remembered(false), electron });
    expect(sw.reason).toBe('remembered-no-hardware');
    expect(names(sw.switches)).toEqual(['enable-unsafe-swiftshader']);
  });

  it('follows HARVEST_GRAPHICS over what was remembered, and says so when the value is wrong', () => {
    const soft = decideGraphics({ env: 'software', memory: remembered(true), electron });
    expect(soft).toMatchObject({ mode: 'software', reason: 'env' });
    expect(names(soft.switches)).toEqual(['use-gl=angle', 'use-angle=swiftshader', 'enable-unsafe-swiftshader']);
    const hard = decideGraphics({ env: ' Hardware ', memory: remembered(false), electron });
    expect(hard).toMatchObject({ mode: 'hardware', reason: 'env' });
    expect(names(hard.switches)).toEqual(['ignore-gpu-blocklist']);
    expect(names(hard.switches)).not.toContain('enable-unsafe-swiftshader');
    const typo = decideGraphics({ env: 'gpu', memory: remembered(true), electron });
    expect(typo).toMatchObject({ mode: 'auto', reason: 'remembered-hardware' });
    expect(typo.warning).toContain('HARVEST_GRAPHICS=gpu');
  });
});

describe('describeGraphics', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  it('counts a real GPU with WebGL enabled as hardware GL', () => {
    const found = describeGraphics(
      { webgl: 'enabled', webgl2: 'enabled' },
      {
        gpuDevice: [
          { active: false, vendorId: 0x8086, deviceId: 0x3e92 },
          { active: true, vendorId: 0x10de, deviceId: 0x1c82 },
        ],
      },
      electron,
      now,
    );
    expect(found).toMatchObject({ hardwareGl: true, webgl: 'enabled', gpu: '10de:1c82', electron });
  });

  it('counts SwiftShader, a blocklisted driver and no GPU as no hardware GL', () => {
    const cases: [Record<string, string>, unknown][] = [
      [{ webgl: 'unavailable_software' }, { gpuDevice: [{ active: true, vendorId: 0x8086, deviceId: 0x0166 }] }],
      [{ webgl: 'enabled' }, { gpuDevice: [{ active: true, vendorId: 0x1ae0, deviceId: 0xc0de }] }],
      [
        { webgl: 'enabled' },
        {
          gpuDevice: [{ active: true, vendorId: 0x10de }],
          auxAttributes: { glRenderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))' },
        },
      ],
      [{ webgl: 'disabled_off' }, {}],
      [{}, undefined],
    ];
    for (const [status, info] of cases) {
      expect(describeGraphics(status, info, electron, now).hardwareGl, JSON.stringify([status, info])).toBe(false);
    }
  });

  it('reads back only memory files it wrote', () => {
    expect(parseGraphicsMemory(JSON.stringify(remembered(true)))).toEqual(remembered(true));
    for (const bad of [undefined, '', '{', 'null', '[]', '{"version":2,"hardwareGl":true}', '{"version":1}']) {
      expect(parseGraphicsMemory(bad), String(bad)).toBeNull();
    }
  });
});

describe('setupGraphics (electron mock)', () => {
  let userData: string;
  beforeEach(() => {
    userData = fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-graphics-'));
    app.getPath.mockReturnValue(userData);
    app.commandLine.appendSwitch.mockClear();
    app.removeAllListeners('child-process-gone');
  });
  afterEach(() => {
    app.getGPUFeatureStatus.mockReset().mockReturnValue({ webgl: 'enabled', webgl2: 'enabled' });
    app.getGPUInfo.mockReset().mockResolvedValue({ gpuDevice: [{ active: true, vendorId: 0x10de, deviceId: 0x1c82 }] });
    fs.rmSync(userData, { recursive: true, force: true });
  });
  const memoryFile = () => path.join(userData, graphicsFileName);
  const appended = () => app.commandLine.appendSwitch.mock.calls.map((c) => c.join('='));

  it('first start: safe switches, then remembers the hardware it found; the next start drops them', async () => {
    const first = setupGraphics(app as never, {}, electron);
    expect(appended()).toEqual(['enable-unsafe-swiftshader']);
    const logger = recordingLogger();
    await first.afterReady(logger);
    expect(JSON.parse(fs.readFileSync(memoryFile(), 'utf8'))).toMatchObject({ version: 1, hardwareGl: true, electron });
    expect(logger.lines.join('\n')).toContain('"decision":"unknown"');

    app.commandLine.appendSwitch.mockClear();
    const second = setupGraphics(app as never, {}, electron);
    expect(second.decision.reason).toBe('remembered-hardware');
    expect(appended()).toEqual([]);
  });

  it('a PC without a usable GPU keeps software WebGL on every start', async () => {
    app.getGPUFeatureStatus.mockReturnValue({ webgl: 'unavailable_software', webgl2: 'unavailable_software' });
    app.getGPUInfo.mockResolvedValue({ gpuDevice: [{ active: true, vendorId: 0x1ae0, deviceId: 0xc0de }] });
    await setupGraphics(app as never, {}, electron).afterReady(recordingLogger());
    app.commandLine.appendSwitch.mockClear();
    expect(setupGraphics(app as never, {}, electron).decision.reason).toBe('remembered-no-hardware');
    expect(appended()).toEqual(['enable-unsafe-swiftshader']);
  });

  it('a GPU process crash (a bad driver) means software next time', async () => {
    fs.writeFileSync(memoryFile(), JSON.stringify(remembered(true)));
    const run = setupGraphics(app as never, {}, electron);
    expect(appended()).toEqual([]);
    await run.afterReady(recordingLogger());
    app.emit('child-process-gone', {}, { type: 'GPU', reason: 'crashed', exitCode: 1 });
    app.commandLine.appendSwitch.mockClear();
    expect(setupGraphics(app as never, {}, electron).decision.reason).toBe('remembered-no-hardware');
    expect(appended()).toEqual(['enable-unsafe-swiftshader']);
    expect(parseGraphicsMemory(fs.readFileSync(memoryFile(), 'utf8'))?.note).toBe('gpu-process-crashed');
  });

  it('a forced mode applies its switches and does not overwrite what the machine is known to do', async () => {
    fs.writeFileSync(memoryFile(), JSON.stringify(remembered(false)));
    const run = setupGraphics(app as never, { HARVEST_GRAPHICS: 'software' }, electron);
    expect(appended()).toEqual(['use-gl=angle', 'use-angle=swiftshader', 'enable-unsafe-swiftshader']);
    await run.afterReady(recordingLogger());
    expect(parseGraphicsMemory(fs.readFileSync(memoryFile(), 'utf8'))).toEqual(remembered(false));
  });

  it('a corrupt memory file or a failing GPU query never stops the start', async () => {
    fs.writeFileSync(memoryFile(), '{"version":1,"hardw');
    app.getGPUInfo.mockRejectedValue(new Error('GPU access not allowed'));
    const run = setupGraphics(app as never, { HARVEST_GRAPHICS: 'turbo' }, electron);
    expect(run.decision.reason).toBe('unknown');
    expect(appended()).toEqual(['enable-unsafe-swiftshader']);
    const logger = recordingLogger();
    await run.afterReady(logger);
    expect(logger.lines.join('\n')).toContain('HARVEST_GRAPHICS=turbo');
    expect(logger.lines.join('\n')).toContain('could not read the GPU status');
  });
});
