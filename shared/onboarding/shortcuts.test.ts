import { describe, expect, it } from 'vitest';

import { defaultShortcuts } from '../api/app';
import { acceleratorFromKey, duplicateShortcuts, normaliseAccelerator } from './shortcuts';

const key = (
  k: string,
  code: string,
  mods: Partial<Record<'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey', boolean>>,
) => ({
  key: k,
  code,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  metaKey: false,
  ...mods,
});

describe('global shortcut helpers', () => {
  it('compares accelerators in one spelling', () => {
    expect(normaliseAccelerator('CmdOrCtrl+Alt+N')).toBe(normaliseAccelerator('Alt+CommandOrControl+n'));
    expect(normaliseAccelerator('Ctrl+N')).not.toBe(normaliseAccelerator('Alt+N'));
  });

  it('finds two actions on one key', () => {
    expect(duplicateShortcuts(defaultShortcuts).size).toBe(0);
    expect([...duplicateShortcuts({ ...defaultShortcuts, quickSale: 'Alt+CmdOrCtrl+N' })]).toEqual(['quickSale']);
  });

  it('turns a key press into an accelerator, never a bare letter', () => {
    expect(acceleratorFromKey(key('n', 'KeyN', { ctrlKey: true, altKey: true }))).toBe('CommandOrControl+Alt+N');
    expect(acceleratorFromKey(key('ArrowRight', 'ArrowRight', { shiftKey: true }))).toBe('Shift+Right');
    expect(acceleratorFromKey(key('F8', 'F8', {}))).toBe('F8');
    expect(acceleratorFromKey(key('n', 'KeyN', {}))).toBeNull();
    expect(acceleratorFromKey(key('Control', 'ControlLeft', { ctrlKey: true }))).toBeNull();
  });
});
