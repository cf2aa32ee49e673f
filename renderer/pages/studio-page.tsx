import './studio-page.css';

import type { ReactNode } from 'react';

import { ObsControls } from '../features/obs/obs-controls';
import { ObsStatusBar } from '../features/obs/obs-status-bar';
import { useObsHotkeys } from '../features/obs/use-obs-hotkeys';

/** Where the other domains' live tools go; each slot is filled as its work lands. */
export interface StudioPageSlots {
  preview?: ReactNode;
  live?: ReactNode;
  sales?: ReactNode;
}

/**
 * The live page: OBS at a glance on top; the picture, quick sales entry and OBS actions in the
 * middle; the run of show (NEXT, timers, teleprompter) on the right.
 */
export function StudioPage({ preview, live, sales }: StudioPageSlots) {
  useObsHotkeys();
  return (
    <section className="studio">
      <ObsStatusBar />
      <div className="studio-grid">
        <div className="studio-preview">{preview}</div>
        <div className="studio-sales">{sales}</div>
        <div className="studio-obs">
          <ObsControls />
        </div>
        <aside className="studio-side">{live}</aside>
      </div>
    </section>
  );
}
