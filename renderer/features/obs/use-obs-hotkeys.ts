import { useEffect } from 'react';

import { requestStreamToggle, useObsActions, useObsStore } from '../../state/obs-state';

/** The studio's OBS hotkeys; the Studio page shows them (obs:controls.hotkeys). */
export const obsHotkeys = { record: 'F9', stream: 'F10', virtualCam: 'F11' } as const;

/**
 * F9 record on/off, F10 go live / end (asks first, through ObsControls' dialog), F11 virtual
 * camera. Mount once on the Studio page, next to ObsControls.
 */
export function useObsHotkeys(): void {
  const { toggleRecord, toggleVirtualCam } = useObsActions();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.repeat || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const { state, confirm } = useObsStore.getState();
      if (state === undefined || state.connection.status !== 'connected' || confirm !== null) return;
      switch (event.key) {
        case obsHotkeys.record:
          event.preventDefault();
          void toggleRecord(state);
          break;
        case obsHotkeys.stream:
          event.preventDefault();
          requestStreamToggle(state);
          break;
        case obsHotkeys.virtualCam:
          // F11 would also toggle full screen.
          event.preventDefault();
          if (state.virtualCam.available) void toggleVirtualCam(state);
          break;
        default:
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggleRecord, toggleVirtualCam]);
}
