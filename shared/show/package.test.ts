import { describe, expect, it } from 'vitest';

import type { PackageManifest } from './package';
import { manifestProblems, packageEntryPattern, packageManifestSchema, referencedAssets } from './package';

const preset = {
  id: 'preset-a',
  name: '果园',
  templateId: null,
  orientation: '16:9',
  layout: 'single',
  cameras: { main: null, guest: null },
  background: { kind: 'image', assetId: 'bg-1' },
  model: { source: 'asset', assetId: 'builtin:orange-crate', anchor: 'hand', scale: 1 },
  overlays: {
    productCard: { visible: true, story: '' },
    priceTag: { visible: false },
    lowerThird: { visible: false, who: 'host', name: '', title: '' },
    qr: { visible: false, platform: null, caption: '' },
    coupon: { visible: false, text: '', minutes: null },
  },
  theme: 'harvest',
  obsScene: 'Harvest Orchard 16x9',
  createdAt: 0,
  updatedAt: 0,
};

function manifest(): PackageManifest {
  return packageManifestSchema.parse({
    format: 'harvest-show-package',
    version: 1,
    createdAt: 0,
    generator: { name: 'Harvest Studio', version: '0.1.0' },
    rundown: {
      id: 'show-1',
      title: '秋收',
      segments: [
        { id: 's1', productId: 'p1', presetId: 'preset-a', host: '', guest: '', plannedSec: 60, script: '', notes: '' },
      ],
      createdAt: 0,
      updatedAt: 0,
    },
    presets: [preset],
    products: [
      {
        id: 'p1',
        name: '脐橙',
        unit: '箱',
        priceFen: 100,
        origin: '',
        certifications: [],
        story: '',
        photoAssetId: 'photo-1',
        modelAssetId: null,
        shopLinks: [],
      },
    ],
    files: [
      { path: 'files/bg-1.jpg', assetId: 'bg-1', kind: 'image', fileName: 'bg.jpg', bytes: 3, sha256: 'a'.repeat(64) },
      {
        path: 'files/photo-1.png',
        assetId: 'photo-1',
        kind: 'image',
        fileName: 'p.png',
        bytes: 3,
        sha256: 'b'.repeat(64),
      },
    ],
  });
}

describe('show package manifest', () => {
  it('accepts only flat, safe entry names', () => {
    for (const ok of ['manifest.json', 'files/bg-1.jpg', 'files/a..b']) expect(packageEntryPattern.test(ok)).toBe(true);
    for (const bad of [
      '../evil',
      'files/../../evil',
      '/etc/passwd',
      'C:\\evil',
      'files\\evil',
      'files/sub/dir',
      'files/..',
      'files/.hidden',
      'other.txt',
      'files/',
    ]) {
      expect(packageEntryPattern.test(bad), bad).toBe(false);
    }
  });

  it('finds nothing wrong with a whole manifest; built-in assets need no file', () => {
    expect(manifestProblems(manifest())).toEqual([]);
    expect([...referencedAssets(manifest())].sort()).toEqual(['bg-1', 'photo-1']);
  });

  it('finds dangling references and duplicates', () => {
    const m = manifest();
    m.files = m.files.slice(1);
    m.rundown.segments.push({ ...m.rundown.segments[0]!, presetId: 'nope' });
    expect(manifestProblems(m)).toEqual(['duplicate segment id', 'segment 2: preset missing', 'asset bg-1 missing']);
  });

  it('refuses a manifest of another format or version', () => {
    expect(packageManifestSchema.safeParse({ ...manifest(), version: 2 }).success).toBe(false);
    expect(packageManifestSchema.safeParse({ ...manifest(), format: 'zip' }).success).toBe(false);
  });
});
