import fs from 'node:fs';
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
    // A file written before the first-run guide existed is an existing studio, whose user must not
    // be walked through the guide again.
    if (fs.existsSync(this.file) && !('onboarding' in fields) && !rejected.includes('onboarding'))
      this.current.onboarding = { ...defaultSettings.onboarding, status: 'done' };
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  update(patch: Partial<Settings>): Settings {
    // A size the user picks is theirs: the machine's reason for the old one no longer applies.
    const reason = patch.outputFormat !== undefined && patch.outputReason === undefined ? { outputReason: null } : {};
    const next = settingsSchema.parse({ ...this.current, ...reason, ...patch });
    writeFileAtomic(this.file, JSON.stringify(next, null, 2));
    this.current = next;
    this.emit('settings:changed', this.get());
    return this.get();
  }
}
