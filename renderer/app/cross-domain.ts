import { useAnalyticsSelection } from '../state/sales-analytics';
import { useLiveStore } from '../state/show-live';

/**
 * Links between domains' UI state that neither domain should know about: when a show ends, the
 * Analytics page opens that show.
 */
export function linkDomains(): () => void {
  return useLiveStore.subscribe((state, previous) => {
    const ended = state.lastEnded;
    if (ended !== null && ended !== previous.lastEnded && ended.salesShowId !== null) {
      useAnalyticsSelection.getState().setShow(ended.salesShowId);
    }
  });
}
