import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

import { safeArea } from '../../../shared/compositor/safe-areas';
import type { CompositorScene } from '../../../shared/compositor/scene';
import { drawOverlays } from '../../compositor/overlay-draw';

const sizes = { '16:9': { width: 1920, height: 1080 }, '9:16': { width: 1080, height: 1920 } } as const;

/**
 * A sketch of what a preset puts on program: the origin image (if any), the layout's camera boxes
 * as placeholders, and the real overlays drawn by the compositor's own overlay code.
 */
export function PresetPreview({
  scene,
  backgroundUrl,
}: {
  scene: CompositorScene;
  backgroundUrl?: string | undefined;
}) {
  const { t } = useTranslation('show');
  const { t: tc } = useTranslation('compositor');
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const size = sizes[scene.orientation];

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (ctx === null || ctx === undefined) return;
    const draw = () =>
      drawOverlays(
        ctx,
        scene,
        safeArea(size, scene.orientation),
        size,
        {
          origin: tc('overlay.origin'),
          per: tc('overlay.per'),
          couponEnds: tc('overlay.couponEnds'),
          couponEnded: tc('overlay.couponEnded'),
          scan: tc('overlay.scan'),
        },
        Date.now(),
        [],
      );
    draw();
    // The coupon countdown ticks once a second; nothing else moves.
    if (!scene.overlays.coupon.visible || scene.overlays.coupon.endsAt === null) return;
    const timer = setInterval(draw, 1000);
    return () => clearInterval(timer);
  }, [scene, size, tc]);

  const background =
    scene.background.kind === 'camera'
      ? t('preview.bgCamera')
      : scene.background.kind === 'blur'
        ? t('preview.bgBlur')
        : t('preview.bgAsset', { id: scene.background.assetId });

  return (
    <div
      className={`preset-preview o-${scene.orientation === '16:9' ? 'wide' : 'tall'} bg-${scene.background.kind} theme-${scene.theme}`}
      data-testid="preset-preview"
      style={
        backgroundUrl === undefined
          ? undefined
          : { backgroundImage: `url("${backgroundUrl}")`, backgroundSize: 'cover', backgroundPosition: 'center' }
      }
    >
      <div className={`pv-layout layout-${scene.layout}`}>
        <div className="pv-cam main">{t('preview.mainCamera')}</div>
        {scene.layout !== 'single' && <div className="pv-cam guest">{t('preview.guestCamera')}</div>}
      </div>
      <div className="pv-background">{background}</div>
      {scene.model !== null && (
        <div className={`pv-model anchor-${scene.model.anchor}`} title={scene.model.assetId}>
          {t(`preset.anchors.${scene.model.anchor}`)}
        </div>
      )}
      <canvas ref={canvas} width={size.width} height={size.height} className="pv-overlays" />
    </div>
  );
}
