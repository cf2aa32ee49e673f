import type { AppInfo, Onboarding, Settings } from '../../shared/api/app';
import type { ShortcutStatus } from '../../shared/api/app';
import { defaultSettings } from '../../shared/api/app';
import { StudioError } from '../../shared/api/result';
import type { StudioClient } from '../api/client';
import { setLanguage } from '../i18n';
import { showError } from './errors';
import { createSyncedStore, defineActions } from './synced-store';

interface SettingsState {
  settings: Settings;
  info: AppInfo | undefined;
}

const snapshot = async (client: StudioClient): Promise<SettingsState> => {
  const [settings, info] = await Promise.all([client.call('settings:get'), client.call('app:info')]);
  return { settings, info };
};

/** The sync behind the hooks below (tests attach it to a fake client). */
export const settingsSync = createSyncedStore<SettingsState>({
  initial: { settings: defaultSettings, info: undefined },
  events: {
    'settings:changed': (next, { get }) => {
      // Changed in any window: this one speaks the new language too.
      if (next.language !== get().settings.language) void setLanguage(next.language);
      return { settings: next };
    },
  },
  load: ({ client }) => snapshot(client),
});

/** Settings as the services hold them; kept fresh by the 'settings:changed' event. */
export const useSettings = settingsSync.use;

/**
 * Loads settings and app info before the page renders (the language is needed first), and
 * follows changes made in any window from then on. Throws when the services cannot be reached.
 */
export async function loadSettings(client: StudioClient): Promise<Settings> {
  const first = await snapshot(client);
  await settingsSync.refresh(() => Promise.resolve(first));
  settingsSync.attach(client);
  return first.settings;
}

/** Settings actions: the new settings come back as 'settings:changed'. */
export function settingsActions(client: StudioClient) {
  const update = (patch: Partial<Settings>) => client.call('settings:update', patch).then(() => undefined, showError);
  /** Saves where the first-run guide stands; every step is kept, so closing the app resumes it there. */
  const saveOnboarding = (patch: Partial<Onboarding>) =>
    update({ onboarding: { ...useSettings.getState().settings.onboarding, ...patch } });
  return {
    update,
    saveOnboarding,
    /** Opens the guide again from its first step (Settings → "Run the first-run guide again"). */
    restartOnboarding: () => saveOnboarding({ status: 'in-progress', step: 'language' }),
    /** On a first run, tells the settings service what graphics this PC has (it picks the output size). */
    reportMachine: async (webglRenderer: string | null): Promise<void> => {
      await client.call('app:machine-report', { webglRenderer });
    },
  };
}

export const useSettingsActions = defineActions(settingsActions);

const shortcutsStore = createSyncedStore<{ statuses: ShortcutStatus[] }>({
  initial: { statuses: [] },
  events: {
    'app:shortcuts-changed': (statuses) => ({ statuses }),
    // A global shortcut pressed in another app that failed (no show on air…) shows in the error panel.
    'app:shortcut-used': ({ error }) => {
      if (error !== null) showError(StudioError.fromData(error));
      return undefined;
    },
  },
  load: async ({ client }) => ({ statuses: await client.call('app:shortcuts-status') }),
});

/** The global shortcuts' states (Electron registers them; the host has none). */
export function useShortcutStatus(): ShortcutStatus[] {
  shortcutsStore.useSync();
  return shortcutsStore.use((s) => s.statuses);
}

/** Keeps failed global shortcuts reported while mounted (the control window's root). */
export const useGlobalShortcutFeedback = (): void => shortcutsStore.useSync();
