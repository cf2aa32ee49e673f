import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { SettingsStore } from './settings-store';

describe('settings store', () => {
  it('keeps the good settings when one field is bad, and falls back to the default for it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-settings-'));
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ language: 'en', outputFormat: 'giant' }));
    const store = new SettingsStore(dir, () => undefined);
    expect(store.get()).toEqual({ language: 'en', outputFormat: '1920x1080' });
    expect(fs.readFileSync(path.join(dir, 'settings.json.rejected.jsonl'), 'utf8')).toContain('outputFormat');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sets a file that is not JSON aside and starts from the defaults', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-settings-'));
    fs.writeFileSync(path.join(dir, 'settings.json'), '{"language": "en"');
    expect(new SettingsStore(dir, () => undefined).get()).toEqual({ language: 'zh-CN', outputFormat: '1920x1080' });
    expect(fs.existsSync(path.join(dir, 'settings.json.broken'))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
