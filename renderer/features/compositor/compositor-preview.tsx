import './compositor.css';

import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { outputFormats } from '../../../shared/api/app';
import { useAssetServices } from '../../state/assets';
import { useHud } from '../../state/compositor-hud';
import { showError } from '../../state/errors';
import { useSettings } from '../../state/settings';
import { CameraPicker } from '../cameras/camera-picker';
import { PerformanceHud } from './performance-hud';
import { useCompositor } from './use-compositor';

/** Preview width in CSS pixels: big enough to judge framing, small enough to spare the CPU. */
const previewWidth = 640;

/**
 * The program picture in the control window (same scene, same compositor, drawn smaller and
 * with tracking at a lower rate), with the camera picker and the performance HUD.
 */
export function CompositorPreview() {
  const { t } = useTranslation('compositor');
  const container = useRef<HTMLDivElement>(null);
  const format = useSettings((s) => s.settings.outputFormat);
  const { width, height } = outputFormats[format];
  const scale = Math.min(1, (height > width ? previewWidth * 0.6 : previewWidth) / width);
  const { compositor, scene } = useCompositor({
    container,
    renderScale: scale,
    maxFps: 20,
    visionIntervalMs: 120,
    isProgram: false,
  });
  const [models, setModels] = useState<'idle' | 'busy' | 'done'>('idle');
  const services = useAssetServices();
  const downloadModels = () => {
    setModels('busy');
    services.downloadModels().then(
      () => setModels('done'),
      (error: unknown) => {
        setModels('idle');
        showError(error);
      },
    );
  };
  const hudVisible = useHud((s) => s.visible);
  const toggleHud = useHud((s) => s.toggle);

  return (
    <section className="compositor-preview" aria-label={t('preview.title')}>
      <div className="compositor-preview-stage">
        <div
          ref={container}
          className="compositor-surface"
          // Drawn at the preview resolution, shown as large as the page allows (CSS scales the canvas).
          style={
            height > width
              ? { height: 'min(70vh, 720px)', aspectRatio: `${width} / ${height}` }
              : { width: '100%', aspectRatio: `${width} / ${height}` }
          }
          data-testid="compositor-preview"
        />
        {hudVisible && compositor !== undefined && <PerformanceHud compositor={compositor} />}
      </div>
      <div className="compositor-preview-bar">
        <CameraPicker needGuest={scene.layout !== 'single'} />
        <button
          type="button"
          className="hud-toggle"
          aria-pressed={hudVisible}
          onClick={toggleHud}
          data-testid="hud-toggle"
        >
          {hudVisible ? t('hud.hide') : t('hud.show')}
        </button>
        <button type="button" disabled={models !== 'idle'} onClick={downloadModels} title={t('models.hint')}>
          {models === 'busy' ? t('models.downloading') : models === 'done' ? t('models.done') : t('models.download')}
        </button>
      </div>
    </section>
  );
}
