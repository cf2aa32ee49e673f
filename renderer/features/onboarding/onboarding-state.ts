import type { Onboarding } from '../../../shared/api/app';

/** Whether the control window shows the guide instead of its pages. */
export function isGuideOpen(onboarding: Onboarding): boolean {
  return onboarding.status === 'new' || onboarding.status === 'in-progress';
}
