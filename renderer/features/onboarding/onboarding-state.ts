import type { Onboarding } from '../../../shared/api/app';
import { useSettings } from '../../state/settings';

/** Saves where the guide stands; every step is kept, so closing the app resumes it there. */
export function saveOnboarding(patch: Partial<Onboarding>): Promise<void> {
  const { settings, update } = useSettings.getState();
  return update({ onboarding: { ...settings.onboarding, ...patch } });
}

/** Opens the guide again from its first step (Settings → "Run the first-run guide again"). */
export function restartOnboarding(): Promise<void> {
  return saveOnboarding({ status: 'in-progress', step: 'language' });
}

/** Whether the control window shows the guide instead of its pages. */
export function isGuideOpen(onboarding: Onboarding): boolean {
  return onboarding.status === 'new' || onboarding.status === 'in-progress';
}
