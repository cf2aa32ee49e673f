import type { GlobalShortcutAction, GlobalShortcuts } from '../api/app';

/** The global shortcut actions, in the order the shortcut sheet lists them. */
export const globalShortcutActions: readonly GlobalShortcutAction[] = ['next', 'back', 'quickSale'];

/** Electron spells the same key several ways; compare accelerators in one spelling. */
export function normaliseAccelerator(accelerator: string): string {
  const aliases: Record<string, string> = {
    cmdorctrl: 'commandorcontrol',
    ctrl: 'control',
    cmd: 'command',
    option: 'alt',
    return: 'enter',
    esc: 'escape',
  };
  const parts = accelerator
    .split('+')
    .map((p) => p.trim().toLowerCase())
    .map((p) => aliases[p] ?? p);
  const key = parts.pop() ?? '';
  return [...parts.sort(), key].join('+');
}

/** Actions whose accelerator another action already uses (each pair reported on the later one). */
export function duplicateShortcuts(shortcuts: GlobalShortcuts): Set<GlobalShortcutAction> {
  const seen = new Map<string, GlobalShortcutAction>();
  const duplicates = new Set<GlobalShortcutAction>();
  for (const action of globalShortcutActions) {
    const key = normaliseAccelerator(shortcuts[action]);
    if (seen.has(key)) duplicates.add(action);
    else seen.set(key, action);
  }
  return duplicates;
}

/** An accelerator from a keydown in the settings page (`Control+Alt+N`), or null for a bare modifier. */
export function acceleratorFromKey(event: {
  key: string;
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}): string | null {
  if (['Control', 'Alt', 'Shift', 'Meta', 'OS'].includes(event.key)) return null;
  let key: string;
  if (/^Key[A-Z]$/.test(event.code)) key = event.code.slice(3);
  else if (/^Digit[0-9]$/.test(event.code)) key = event.code.slice(5);
  else if (/^F([1-9]|1[0-9]|2[0-4])$/.test(event.key)) key = event.key;
  else {
    const named: Record<string, string> = {
      ArrowRight: 'Right',
      ArrowLeft: 'Left',
      ArrowUp: 'Up',
      ArrowDown: 'Down',
      PageDown: 'PageDown',
      PageUp: 'PageUp',
      Home: 'Home',
      End: 'End',
      Insert: 'Insert',
    };
    const found = named[event.key];
    if (found === undefined) return null;
    key = found;
  }
  const mods = [
    event.ctrlKey ? 'CommandOrControl' : null,
    event.metaKey && !event.ctrlKey ? 'Super' : null,
    event.altKey ? 'Alt' : null,
    event.shiftKey ? 'Shift' : null,
  ].filter((m): m is string => m !== null);
  // A bare letter as a global key would stop the user typing that letter in every app.
  if (mods.length === 0 && !/^F\d+$/.test(key)) return null;
  return [...mods, key].join('+');
}
