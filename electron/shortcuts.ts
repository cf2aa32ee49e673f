import type { GlobalShortcut } from 'electron';

import type { GlobalShortcutAction, GlobalShortcuts, ShortcutStatus } from '../shared/api/app';
import { duplicateShortcuts, globalShortcutActions } from '../shared/onboarding/shortcuts';

/** The part of Electron's `globalShortcut` the studio uses. */
export type ShortcutRegistry = Pick<GlobalShortcut, 'register' | 'unregister'>;

/**
 * NEXT, BACK and quick sale as system-wide keys, so the operator can press them while OBS or
 * 直播伴侣 is in front. Each apply() replaces the previous keys and reports, per action, whether the
 * key works: another app may hold it ('taken'), or two actions may share it ('duplicate').
 */
export class LiveShortcuts {
  private registered: string[] = [];
  private statuses: ShortcutStatus[] = [];

  constructor(
    private readonly registry: ShortcutRegistry,
    private readonly run: (action: GlobalShortcutAction) => void,
  ) {}

  apply(shortcuts: GlobalShortcuts): ShortcutStatus[] {
    this.clear();
    const duplicates = duplicateShortcuts(shortcuts);
    this.statuses = globalShortcutActions.map((action): ShortcutStatus => {
      const accelerator = shortcuts[action];
      if (duplicates.has(action)) return { action, accelerator, state: 'duplicate' };
      let isRegistered: boolean;
      try {
        isRegistered = this.registry.register(accelerator, () => this.run(action));
      } catch {
        // Electron throws on an accelerator it cannot parse.
        return { action, accelerator, state: 'invalid' };
      }
      if (!isRegistered) return { action, accelerator, state: 'taken' };
      this.registered.push(accelerator);
      return { action, accelerator, state: 'registered' };
    });
    return this.status();
  }

  status(): ShortcutStatus[] {
    return this.statuses.map((s) => ({ ...s }));
  }

  /** Gives every key back to the system (on quit, and before new keys are taken). */
  clear(): void {
    for (const accelerator of this.registered.splice(0)) this.registry.unregister(accelerator);
  }
}
