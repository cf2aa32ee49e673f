import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import type { Compositor } from '../../compositor/compositor';
import { useHud } from '../../state/compositor-hud';

const ms = (v: number) => (v > 0 ? v.toFixed(1) : '–');

/** Per-stage times and frame rate, refreshed twice a second (never per frame). */
export function PerformanceHud({ compositor }: { compositor: Compositor }) {
  const { t } = useTranslation('compositor');
  const snapshot = useHud((s) => s.snapshot);
  useEffect(() => {
    const tick = () => useHud.setState({ snapshot: compositor.snapshot() });
    tick();
    const timer = window.setInterval(tick, 500);
    return () => window.clearInterval(timer);
  }, [compositor]);
  if (snapshot === undefined) return null;
  const rows: [string, string][] = [
    // Short: the HUD must not cover the picture it reports on (the status line has the long name).
    [t('hud.tier'), t(`tierShort.${snapshot.tier}`)],
    [t('hud.fps'), snapshot.fps.toFixed(0)],
    [t('hud.capture'), ms(snapshot.captureMs)],
    [t('hud.segmentation'), ms(snapshot.segmentMs)],
    [t('hud.hands'), ms(snapshot.handsMs)],
    [t('hud.face'), ms(snapshot.faceMs)],
    [t('hud.render'), ms(snapshot.renderMs)],
    [t('hud.latency'), ms(snapshot.latencyMs)],
    [t('hud.masks'), snapshot.maskRate > 0 ? snapshot.maskRate.toFixed(0) : '–'],
    [t('hud.handsRate'), snapshot.handRate > 0 ? snapshot.handRate.toFixed(0) : '–'],
  ];
  return (
    <table className="performance-hud" data-testid="performance-hud">
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
