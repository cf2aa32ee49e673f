import fs from 'node:fs';
import path from 'node:path';

import type { Settings } from '../../shared/api/app';
import { defaultSettings, settingsSchema } from '../../shared/api/app';
import type { Emit } from './event-bus';
import { writeFileAtomic } from './json-file';

/**
 * Reads settings.json field by field: one bad value falls back to its default and never empties
 * its neighbours. A file written before the first-run guide existed is an existing studio, whose
 * user must not be walked through the guide again.
 */
function readSettings(file: string): Settings {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return { ...defaultSettings };
  }
  if (typeof raw !== 'object' || raw === null) return { ...defaultSettings };
  const record = raw as Record<string, unknown>;
  const next: Record<string, unknown> = { ...defaultSettings };
  for (const key of Object.keys(settingsSchema.shape) as (keyof Settings)[]) {
    const parsed = settingsSchema.shape[key].safeParse(record[key]);
    if (parsed.success) next[key] = parsed.data;
  }
  if (!('onboarding' in record)) next.onboarding = { ...defaultSettings.onboarding, status: 'done' };
  return next as Settings;
}

/** The user's settings, kept as `settings.json` in the data folder. */
export class SettingsStore {
  private current: Settings;
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly emit: Emit,
  ) {
    this.file = path.join(dataDir, 'settings.json');
    this.current = fs.existsSync(this.file) ? readSettings(this.file) : { ...defaultSettings };
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
