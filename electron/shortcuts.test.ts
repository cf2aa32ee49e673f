import { beforeEach, describe, expect, it, vi } from 'vitest';

import { defaultShortcuts } from '../shared/api/app';
import { globalShortcut } from '../test/mocks/electron';
import { LiveShortcuts } from './shortcuts';

vi.mock('electron', () => import('../test/mocks/electron'));

describe('global live shortcuts', () => {
  beforeEach(() => {
    globalShortcut.handlers.clear();
    globalShortcut.taken.clear();
  });

  it('runs NEXT, BACK and quick sale from keys pressed while another app is in front', () => {
    const run = vi.fn();
    const shortcuts = new LiveShortcuts(globalShortcut, run);
    const statuses = shortcuts.apply(defaultShortcuts);
    expect(statuses.map((s) => s.state)).toEqual(['registered', 'registered', 'registered']);
    globalShortcut.press(defaultShortcuts.next);
    globalShortcut.press(defaultShortcuts.quickSale);
    globalShortcut.press(defaultShortcuts.back);
    expect(run.mock.calls.map((c) => c[0])).toEqual(['next', 'quickSale', 'back']);
  });

  it('reports a key another app holds, one used twice, and one Electron cannot read', () => {
    globalShortcut.taken.add('CommandOrControl+Alt+B');
    const shortcuts = new LiveShortcuts(globalShortcut, vi.fn());
    const statuses = shortcuts.apply({ next: 'F8', back: 'CommandOrControl+Alt+B', quickSale: 'f8' });
    expect(statuses).toEqual([
      { action: 'next', accelerator: 'F8', state: 'registered' },
      { action: 'back', accelerator: 'CommandOrControl+Alt+B', state: 'taken' },
      { action: 'quickSale', accelerator: 'f8', state: 'duplicate' },
    ]);
    expect(shortcuts.apply({ ...defaultShortcuts, next: 'Ctrl+-' })[0]?.state).toBe('invalid');
  });

  it('gives the old keys back when the user changes them, and all of them on clear', () => {
    const run = vi.fn();
    const shortcuts = new LiveShortcuts(globalShortcut, run);
    shortcuts.apply(defaultShortcuts);
    shortcuts.apply({ ...defaultShortcuts, next: 'F9' });
    expect(globalShortcut.handlers.has(defaultShortcuts.next)).toBe(false);
    globalShortcut.press('F9');
    expect(run).toHaveBeenCalledWith('next');
    shortcuts.clear();
    expect(globalShortcut.handlers.size).toBe(0);
  });
});
