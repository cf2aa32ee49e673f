import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { GlobalShortcutAction } from '../../../shared/api/app';
import { acceleratorFromKey, globalShortcutActions } from '../../../shared/onboarding/shortcuts';
import { useSettings, useSettingsActions, useShortcutStatus } from '../../state/settings';
import { obsHotkeys } from '../obs/use-obs-hotkeys';
import { salesHotkeys } from '../sales/quick-entry';
import { liveHotkeys } from '../show/use-live-hotkeys';

/** How an accelerator reads on this OS: CommandOrControl is Ctrl on Windows, ⌘ on a Mac. */
export function acceleratorLabel(accelerator: string): string {
  const isMac = /Mac/i.test(navigator.platform);
  return accelerator
    .split('+')
    .map((part) => {
      if (/^(CommandOrControl|CmdOrCtrl)$/i.test(part)) return isMac ? '⌘' : 'Ctrl';
      if (/^Right$/i.test(part)) return '→';
      if (/^Left$/i.test(part)) return '←';
      return part;
    })
    .join(' + ');
}

function Keys({ keys }: { keys: readonly string[] }) {
  return (
    <span className="keys">
      {keys.map((k) => (
        <kbd key={k}>{k === ' ' ? 'Space' : k}</kbd>
      ))}
    </span>
  );
}

/** Every key of the studio in one sheet: the global ones (any app in front) and those of this window. */
export function ShortcutSheet() {
  const { t } = useTranslation('onboarding');
  const shortcuts = useSettings((s) => s.settings.shortcuts);
  const statuses = useShortcutStatus();
  const local: { id: string; keys: readonly string[] }[] = [
    { id: 'next', keys: liveHotkeys.next },
    { id: 'back', keys: liveHotkeys.back },
    { id: 'plusOne', keys: ['+'] },
    { id: 'undo', keys: [`Ctrl + ${salesHotkeys.undo.toUpperCase()}`] },
    { id: 'record', keys: [obsHotkeys.record] },
    { id: 'stream', keys: [obsHotkeys.stream] },
    { id: 'virtualCam', keys: [obsHotkeys.virtualCam] },
  ];
  return (
    <div className="shortcut-sheet" data-testid="shortcut-sheet">
      <h3>{t('shortcuts.global')}</h3>
      <p className="muted">{t('shortcuts.globalHint')}</p>
      <table>
        <tbody>
          {globalShortcutActions.map((action) => {
            const state = statuses.find((s) => s.action === action)?.state;
            return (
              <tr key={action} data-action={action} data-state={state ?? 'unknown'}>
                <th>{t(`shortcuts.actions.${action}`)}</th>
                <td>
                  <Keys keys={[acceleratorLabel(shortcuts[action])]} />
                </td>
                <td>
                  {state !== undefined && (
                    <span className={`key-state ${state}`}>{t(`shortcuts.states.${state}`)}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>{t('shortcuts.window')}</h3>
      <table>
        <tbody>
          {local.map(({ id, keys }) => (
            <tr key={id}>
              <th>{t(`shortcuts.local.${id}`)}</th>
              <td>
                <Keys keys={keys} />
              </td>
              <td />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Settings: change the global keys by pressing them; conflicts show beside each. */
export function GlobalShortcutSettings() {
  const { t } = useTranslation('onboarding');
  const shortcuts = useSettings((s) => s.settings.shortcuts);
  const { update } = useSettingsActions();
  const [recording, setRecording] = useState<GlobalShortcutAction | null>(null);

  useEffect(() => {
    if (recording === null) return;
    const onKey = (event: KeyboardEvent) => {
      event.preventDefault();
      event.stopPropagation();
      if (event.key === 'Escape') {
        setRecording(null);
        return;
      }
      const accelerator = acceleratorFromKey(event);
      if (accelerator === null) return;
      setRecording(null);
      void update({ shortcuts: { ...shortcuts, [recording]: accelerator } });
    };
    // Capture phase: the live and sales keys of this window must not act while a key is recorded.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [recording, shortcuts, update]);

  return (
    <div className="shortcut-settings">
      <div className="row">
        {globalShortcutActions.map((action) => (
          <button
            key={action}
            type="button"
            data-testid={`shortcut-change-${action}`}
            className={recording === action ? 'recording' : undefined}
            onClick={() => setRecording(recording === action ? null : action)}
          >
            {recording === action
              ? t('shortcuts.pressKey')
              : t('shortcuts.change', { action: t(`shortcuts.actions.${action}`) })}
          </button>
        ))}
      </div>
      <ShortcutSheet />
    </div>
  );
}

/** The sidebar's "keys" button: opens the shortcut sheet over any page; Esc closes it. */
export function ShortcutSheetButton() {
  const { t } = useTranslation('onboarding');
  const [isOpen, setOpen] = useState(false);
  useEffect(() => {
    if (!isOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [isOpen]);
  return (
    <>
      <button
        type="button"
        className="nav-item nav-keys"
        data-testid="open-shortcut-sheet"
        onClick={() => setOpen(true)}
      >
        {t('shortcuts.open')}
      </button>
      {isOpen && (
        <div className="sheet-backdrop" role="presentation" onClick={() => setOpen(false)}>
          <div
            className="sheet card"
            role="dialog"
            aria-modal="true"
            aria-label={t('shortcuts.title')}
            onClick={(e) => e.stopPropagation()}
          >
            <div className="sheet-head">
              <h2>{t('shortcuts.title')}</h2>
              <button type="button" data-testid="close-shortcut-sheet" onClick={() => setOpen(false)}>
                {t('shortcuts.close')}
              </button>
            </div>
            <ShortcutSheet />
          </div>
        </div>
      )}
    </>
  );
}
