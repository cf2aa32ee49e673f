import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { findLocalObs, iniSection, obsConfigDirs, readObsWebSocketConfigs } from './local-obs';

const servers: net.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

function listen(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => socket.destroy());
    servers.push(server);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

function obsDir(files: { json?: object | string; ini?: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'obs-config-'));
  if (files.json !== undefined) {
    fs.mkdirSync(path.join(dir, 'plugin_config', 'obs-websocket'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'plugin_config', 'obs-websocket', 'config.json'),
      typeof files.json === 'string' ? files.json : JSON.stringify(files.json),
    );
  }
  if (files.ini !== undefined) fs.writeFileSync(path.join(dir, 'global.ini'), files.ini);
  return dir;
}

describe('the OBS on this PC', () => {
  it('knows where OBS keeps its config on each OS', () => {
    expect(obsConfigDirs('win32', { APPDATA: 'C:\\Users\\wang\\AppData\\Roaming' }, 'C:\\Users\\wang')).toEqual([
      'C:\\Users\\wang\\AppData\\Roaming\\obs-studio',
    ]);
    expect(obsConfigDirs('darwin', {}, '/Users/wang')).toEqual(['/Users/wang/Library/Application Support/obs-studio']);
    expect(obsConfigDirs('linux', {}, '/home/wang')[0]).toBe('/home/wang/.config/obs-studio');
    expect(obsConfigDirs('linux', { XDG_CONFIG_HOME: '/x' }, '/home/wang')[0]).toBe('/x/obs-studio');
  });

  it('reads OBS 28/29 global.ini and OBS 30+ config.json', () => {
    const ini =
      '\uFEFF[General]\r\nServerPassword=not-this\r\n[OBSWebSocket]\r\nServerEnabled=true\r\nServerPort=4460\r\nAuthRequired=true\r\nServerPassword=a=b;c\r\n';
    expect(iniSection(ini, 'OBSWebSocket').ServerPassword).toBe('a=b;c');
    const dir = obsDir({
      ini,
      json: { server_enabled: true, server_port: 4461, auth_required: true, server_password: 'json-pw' },
    });
    const configs = readObsWebSocketConfigs(dir);
    expect(configs.map((c) => [c.format, c.port, c.password])).toEqual([
      ['30+', 4461, 'json-pw'],
      ['28-29', 4460, 'a=b;c'],
    ]);
    // A broken JSON file does not hide global.ini.
    expect(readObsWebSocketConfigs(obsDir({ ini, json: '{"server_port": 44' })).map((c) => c.format)).toEqual([
      '28-29',
    ]);
  });

  it('finds the running OBS at the port its config names, without giving out the password', async () => {
    const port = await listen();
    const dir = obsDir({
      ini: `[OBSWebSocket]\nServerEnabled=true\nServerPort=${port}\nAuthRequired=true\nServerPassword=s3cret\n`,
    });
    const found = await findLocalObs([dir]);
    expect(found.finding).toMatchObject({ isRunning: true, port, hasPassword: true, configFormat: '28-29' });
    expect(JSON.stringify(found.finding)).not.toContain('s3cret');
    expect(found.passwords).toEqual(['s3cret']);
  });

  it('says when nothing answers, and when the server is switched off', async () => {
    const closed = await listen();
    servers.splice(0).forEach((s) => s.close());
    const off = obsDir({ json: { server_enabled: false, server_port: closed, server_password: 'x' } });
    // Another OBS may well answer on 4455 on this machine: the fallback port here is the closed one.
    const found = await findLocalObs([off], closed);
    expect(found.finding.isRunning).toBe(false);
    expect(found.finding.isServerDisabled).toBe(true);
    expect((await findLocalObs([path.join(off, 'missing')], closed)).finding).toMatchObject({
      configFile: null,
      hasPassword: false,
    });
  });
});
