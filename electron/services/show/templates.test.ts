import fs from 'node:fs';
import path from 'node:path';

import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { compositorSceneSchema } from '../../../shared/compositor/scene';
import { presetTemplateSchema, resolvePreset } from '../../../shared/show/preset';
import { createNullLogger } from '../logger';
import { loadTemplates, templatesDir } from './templates';

const root = path.resolve(import.meta.dirname, '../../..');
const dir = templatesDir(root);

describe('shipped preset templates', () => {
  const templates = loadTemplates(dir, createNullLogger());

  it('every file validates: five families, each in 16:9 and 9:16, each bound to its own OBS scene', () => {
    const files = fs.readdirSync(dir).filter((n) => n.endsWith('.json') && !n.endsWith('.schema.json'));
    expect(templates).toHaveLength(files.length);
    expect(templates).toHaveLength(10);
    const byFamily = new Map<string, string[]>();
    for (const t of templates) byFamily.set(t.family, [...(byFamily.get(t.family) ?? []), t.orientation]);
    expect([...byFamily.keys()].sort()).toEqual(['fishing-port', 'kitchen', 'official-guest', 'orchard', 'workshop']);
    for (const orientations of byFamily.values()) expect(orientations.sort()).toEqual(['16:9', '9:16']);
    expect(new Set(templates.map((t) => t.obsScene)).size).toBe(10);
  });

  it('the official-guest template shows a titled lower third over picture-in-picture', () => {
    for (const t of templates.filter((x) => x.family === 'official-guest')) {
      expect(t.layout).toBe('pip');
      const scene = resolvePreset(t, {
        product: null,
        host: { name: '小王', title: '' },
        guest: { name: '李明', title: '副县长' },
        now: 0,
      });
      expect(scene.overlays.lowerThird).toEqual({ visible: true, name: '李明', title: '副县长' });
    }
  });

  it('every template resolves to a valid compositor scene of its orientation', () => {
    for (const t of templates) {
      const scene = resolvePreset(t, {
        product: null,
        host: { name: 'A', title: '' },
        guest: { name: 'B', title: '' },
        now: 0,
      });
      expect(compositorSceneSchema.safeParse(scene).success).toBe(true);
      expect(scene.orientation).toBe(t.orientation);
    }
  });

  it('backgrounds the templates name ship with the studio (assets/samples)', () => {
    const samples = fs.readdirSync(path.join(root, 'assets', 'samples')).map((n) => `sample-${path.parse(n).name}`);
    const used = templates.flatMap((t) =>
      t.background.kind === 'image' || t.background.kind === 'video' ? [t.background.assetId] : [],
    );
    expect(used.length).toBeGreaterThanOrEqual(6);
    for (const id of used) expect(samples, id).toContain(id);
  });

  it('a broken template is left out, the others still load', () => {
    const tmp = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'tpl-'));
    fs.copyFileSync(path.join(dir, 'orchard-16x9.json'), path.join(tmp, 'orchard-16x9.json'));
    fs.writeFileSync(path.join(tmp, 'broken.json'), '{"templateId": "broken"');
    fs.writeFileSync(path.join(tmp, 'wrong-name.json'), fs.readFileSync(path.join(dir, 'kitchen-16x9.json')));
    expect(loadTemplates(tmp, createNullLogger()).map((t) => t.templateId)).toEqual(['orchard-16x9']);
  });

  it('template.schema.json (for editors) is generated from the zod schema and up to date', () => {
    const file = path.join(dir, 'template.schema.json');
    const expected = JSON.stringify(z.toJSONSchema(presetTemplateSchema, { io: 'input' }), null, 2) + '\n';
    if (process.env.UPDATE_SCHEMAS === '1') fs.writeFileSync(file, expected);
    expect(fs.readFileSync(file, 'utf8')).toBe(expected);
    // And the files validate against it with a JSON Schema validator, as an editor would check them.
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(expected) as object);
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json') && !n.endsWith('.schema.json'))) {
      expect(validate(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'))), name).toBe(true);
    }
    expect(validate({ templateId: 'x' })).toBe(false);
  });
});
