import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { defaultSettings } from '../../shared/api/app';
import { SettingsStore } from './settings-store';

describe('settings store', () => {
  it('keeps the good settings when one field is bad, and falls back to the default for it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-settings-'));
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ language: 'en', outputFormat: 'giant' }));
    const store = new SettingsStore(dir, () => undefined);
    expect(store.get()).toEqual({
      ...defaultSettings,
      language: 'en',
      onboarding: { ...defaultSettings.onboarding, status: 'done' },
    });
    expect(fs.readFileSync(path.join(dir, 'settings.json.rejected.jsonl'), 'utf8')).toContain('outputFormat');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sets a file that is not JSON aside and starts from the defaults', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-settings-'));
    fs.writeFileSync(path.join(dir, 'settings.json'), '{"language": "en"');
    // Nothing could be read: a new studio, the guide included.
    expect(new SettingsStore(dir, () => undefined).get()).toEqual(defaultSettings);
    expect(fs.existsSync(path.join(dir, 'settings.json.broken'))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
