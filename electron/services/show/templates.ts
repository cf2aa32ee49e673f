import fs from 'node:fs';
import path from 'node:path';

import type { PresetTemplate } from '../../../shared/show/preset';
import { presetTemplateSchema } from '../../../shared/show/preset';
import type { Logger } from '../logger';

/** Where the shipped templates live, relative to the app root. */
export const templatesDir = (appRoot: string): string => path.join(appRoot, 'assets', 'presets');

/**
 * Reads the preset templates shipped in assets/presets (one JSON file each, `*.schema.json`
 * excepted). A template that does not validate is logged and left out; the rest still load.
 */
export function loadTemplates(dir: string, logger: Logger): PresetTemplate[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json') && !n.endsWith('.schema.json'));
  } catch {
    logger.warn('no preset templates folder', { dir });
    return [];
  }
  const templates: PresetTemplate[] = [];
  for (const name of names.sort()) {
    const file = path.join(dir, name);
    try {
      const parsed = presetTemplateSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      if (parsed.success && `${parsed.data.templateId}.json` === name) templates.push(parsed.data);
      else logger.warn('preset template does not validate', { file });
    } catch (error) {
      logger.warn('preset template unreadable', { file, error: String(error) });
    }
  }
  return templates;
}
