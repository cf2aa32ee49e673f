import { useEffect } from 'react';

import { isTyping } from '../../components/keyboard';
import { useLiveActions, useLiveStore } from '../../state/show-live';

/** NEXT and BACK keys: presenter clickers send PageDown/PageUp; Space is the big key on a keyboard. */
export const liveHotkeys = { next: ['PageDown', ' '], back: ['PageUp'] } as const;

/** While a show is on air, NEXT/BACK by key. Mount once, with the live panel. */
export function useLiveHotkeys(): void {
  const { nextSegment, previousSegment } = useLiveActions();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || isTyping(event.target)) return;
      const isNext = (liveHotkeys.next as readonly string[]).includes(event.key);
      const isBack = (liveHotkeys.back as readonly string[]).includes(event.key);
      if (!isNext && !isBack) return;
      if (useLiveStore.getState().live === null) return;
      // A held key must not skip through the show.
      event.preventDefault();
      if (event.repeat) return;
      if (isNext) void nextSegment();
      else void previousSegment();
    };
    // Space on a focused button would also click it on key-up: that press was ours.
    const onKeyUp = (event: KeyboardEvent) => {
      if (event.key === ' ' && !isTyping(event.target) && useLiveStore.getState().live !== null) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
    };
  }, [nextSegment, previousSegment]);
}
