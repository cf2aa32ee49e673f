import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { repoRoot } from '../support/host';

const require = createRequire(import.meta.url);

interface BuilderConfig {
  appId?: string;
  files?: string[];
  asarUnpack?: string[];
  directories?: { buildResources?: string };
  win?: { icon?: string; target?: Array<{ target: string }> };
  mac?: { icon?: string; entitlements?: string; target?: string[] };
  linux?: { icon?: string; target?: string[] };
  nsis?: unknown;
  asar?: boolean;
  electronFuses?: Record<string, boolean>;
}

async function loadConfig(): Promise<BuilderConfig> {
  // electron-builder's own loader and schema validation, as `electron-builder` runs them.
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
    getConfig(dir: string, file: string | null, fromOptions: null): Promise<BuilderConfig>;
    validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
  };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  const config = await getConfig(repoRoot, path.join(repoRoot, 'electron-builder.yml'), null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

describe('electron-builder.yml', () => {
  it("validates against electron-builder's JSON schema", async () => {
    const config = await loadConfig();
    expect(config.appId).toBe('cn.harvest.studio');
  });

  it('flips the fuses: no run-as-node, no inspector, only the integrity-checked asar', async () => {
    const config = await loadConfig();
    expect(config.asar).not.toBe(false);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('targets Windows NSIS, macOS dmg, Linux AppImage and deb', async () => {
    const config = await loadConfig();
    expect(config.win?.target?.map((t) => t.target)).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
  });

  it('names files that exist after `npm run build`', async () => {
    const config = await loadConfig();
    for (const file of [config.win?.icon, config.mac?.icon, config.linux?.icon, config.mac?.entitlements]) {
      expect(file, 'icon/entitlements set').toBeDefined();
      expect(fs.existsSync(path.join(repoRoot, file ?? '')), `${file} exists`).toBe(true);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { main: string };
    expect(fs.existsSync(path.join(repoRoot, pkg.main)), `${pkg.main} (package.json main) is built`).toBe(true);
    expect(fs.existsSync(path.join(repoRoot, 'dist/node/preload.cjs'))).toBe(true);
    expect(fs.existsSync(path.join(repoRoot, 'dist/renderer/index.html'))).toBe(true);
    expect(fs.existsSync(path.join(repoRoot, 'dist/renderer/program.html'))).toBe(true);
    // The native module stays outside the asar so it can be loaded.
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**');
  });
});
