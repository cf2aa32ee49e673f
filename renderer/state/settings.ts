import { create } from 'zustand';

import type { AppInfo, Settings } from '../../shared/api/app';
import { defaultSettings } from '../../shared/api/app';
import { studio } from '../api/client';
import { setLanguage } from '../i18n';
import { showError } from './errors';

interface SettingsState {
  settings: Settings;
  info: AppInfo | undefined;
  update(patch: Partial<Settings>): Promise<void>;
}

/** Settings as the services hold them; kept fresh by the 'settings:changed' event. */
export const useSettings = create<SettingsState>()((set) => ({
  settings: defaultSettings,
  info: undefined,
  async update(patch) {
    try {
      set({ settings: await studio.call('settings:update', patch) });
    } catch (error) {
      showError(error);
    }
  },
}));

/** Loads settings and app info, and follows changes made in any window. */
export async function loadSettings(): Promise<Settings> {
  const [settings, info] = await Promise.all([studio.call('settings:get'), studio.call('app:info')]);
  useSettings.setState({ settings, info });
  studio.on('settings:changed', (next) => {
    const previous = useSettings.getState().settings;
    useSettings.setState({ settings: next });
    if (next.language !== previous.language) void setLanguage(next.language);
  });
  return settings;
}
