import path from 'node:path';

import type { Settings } from '../../shared/api/app';
import { defaultSettings, settingsSchema } from '../../shared/api/app';
import type { Emit } from './event-bus';
import { readJsonFile, writeFileAtomic } from './json-file';

/** The user's settings, kept as `settings.json` in the data folder. */
export class SettingsStore {
  private current: Settings;
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly emit: Emit,
  ) {
    this.file = path.join(dataDir, 'settings.json');
    this.current = { ...defaultSettings, ...(readJsonFile(this.file, settingsSchema.partial()) ?? {}) };
  }

  get(): Settings {
    return { ...this.current };
  }

  update(patch: Partial<Settings>): Settings {
    const next = settingsSchema.parse({ ...this.current, ...patch });
    writeFileAtomic(this.file, JSON.stringify(next, null, 2));
    this.current = next;
    this.emit('settings:changed', this.get());
    return this.get();
  }
}
