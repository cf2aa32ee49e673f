import './studio-page.css';

import { CompositorPreview } from '../features/compositor/compositor-preview';
import { ObsControls } from '../features/obs/obs-controls';
import { ObsStatusBar } from '../features/obs/obs-status-bar';
import { useObsHotkeys } from '../features/obs/use-obs-hotkeys';
import { QuickSalesEntry } from '../features/sales/quick-entry';
import { LivePanel } from '../features/show/live-panel';

/**
 * The live page: OBS at a glance on top; the picture, quick sales entry and OBS actions in the
 * middle; the run of show (NEXT, timers, teleprompter) on the right.
 */
export function StudioPage() {
  useObsHotkeys();
  return (
    <section className="studio">
      <ObsStatusBar />
      <div className="studio-grid">
        <div className="studio-preview">
          <CompositorPreview />
        </div>
        <div className="studio-sales">
          <QuickSalesEntry />
        </div>
        <div className="studio-obs">
          <ObsControls />
        </div>
        <aside className="studio-side">
          <LivePanel />
        </aside>
      </div>
    </section>
  );
}
