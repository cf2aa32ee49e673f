import path from 'node:path';

import type { Settings } from '../../shared/api/app';
import { defaultSettings, settingsSchema } from '../../shared/api/app';
import type { Emit } from './event-bus';
import { readJsonFields, writeFileAtomic } from './json-file';
import type { Logger } from './logger';

/** The user's settings, kept as `settings.json` in the data folder. */
export class SettingsStore {
  private current: Settings;
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly emit: Emit,
    logger?: Logger,
  ) {
    this.file = path.join(dataDir, 'settings.json');
    // Field by field: one bad setting falls back to its default (and is logged); the rest are kept.
    const { fields, rejected } = readJsonFields<Settings>(this.file, settingsSchema.shape);
    if (rejected.length > 0) logger?.warn('settings: set aside fields that do not parse', { fields: rejected });
    this.current = { ...defaultSettings, ...fields };
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
