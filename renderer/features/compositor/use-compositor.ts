import type { RefObject } from 'react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { outputFormats } from '../../../shared/api/app';
import type { AssetEntry, VisionModelName } from '../../../shared/api/assets';
import { StudioError } from '../../../shared/api/result';
import type { CompositorScene } from '../../../shared/compositor/scene';
import { emptyScene } from '../../../shared/compositor/scene';
import type { CompositorUrls } from '../../compositor/compositor';
import { Compositor } from '../../compositor/compositor';
import type { OverlayTexts } from '../../compositor/overlay-draw';
import { useErrorReporter } from '../../state/app-report';
import { useAssetServices } from '../../state/assets';
import { useHud } from '../../state/compositor-hud';
import { showError } from '../../state/errors';
import { useSettings } from '../../state/settings';
import { useCameraSources } from '../cameras/use-camera-sources';

const url = (path: string) => new URL(path, document.baseURI).href;

/** The bundled models and decoders, served from our own origin by prepare-assets. */
function bundledUrls(): CompositorUrls {
  return {
    vendor: url('vendor/'),
    wasm: url('vendor/mediapipe/wasm'),
    hands: url('models/hand_landmarker.task'),
    handsLite: url('models/hand_landmarker_lite.task'),
    segmenter: url('models/selfie_segmenter.tflite'),
    segmenterLandscape: url('models/selfie_segmenter_landscape.tflite'),
    face: url('models/blaze_face_short_range.tflite'),
  };
}

const modelKeys: Record<'hands' | 'segmenter' | 'face', VisionModelName> = {
  hands: 'hand_landmarker.task',
  segmenter: 'selfie_segmenter.tflite',
  face: 'blaze_face_short_range.tflite',
};

let fontRequested = false;
/** Loads the shipped CJK subset once per page; overlays redraw when it arrives. */
function loadOverlayFont(onLoaded: () => void): void {
  if (fontRequested) return;
  fontRequested = true;
  const face = new FontFace('Harvest CJK', `url(${url('fonts/harvest-cjk.woff2')})`, { weight: '100 900' });
  face.load().then(
    (loaded) => {
      document.fonts.add(loaded);
      onLoaded();
    },
    () => undefined, // the OS's CJK font is used instead
  );
}

export interface UseCompositorOptions {
  container: RefObject<HTMLDivElement | null>;
  /** Drawing-buffer pixels per output pixel. */
  renderScale: number;
  maxFps: number;
  visionIntervalMs?: number;
  /** The program page marks scene readiness for OBS and tests. */
  isProgram: boolean;
  /** Lower the drawing-buffer resolution when frames are too slow. */
  adaptive?: boolean;
}

/**
 * Builds one Compositor in `container` and feeds it: the scene on program (show domain), the
 * output size (settings), the cameras (this computer's choice), assets and models. React only
 * configures; the compositor draws on its own.
 */
export function useCompositor(options: UseCompositorOptions): {
  compositor: Compositor | undefined;
  scene: CompositorScene;
} {
  const { container, renderScale, maxFps, visionIntervalMs, isProgram, adaptive } = options;
  const { t } = useTranslation('compositor');
  const format = useSettings((s) => s.settings.outputFormat);
  const size = outputFormats[format];
  const [compositor, setCompositor] = useState<Compositor>();
  const [scene, setScene] = useState<CompositorScene>(() => emptyScene(size.height > size.width ? '9:16' : '16:9'));
  const assets = useRef(new Map<string, string>());
  const services = useAssetServices();
  const { reportError } = useErrorReporter();

  const report = useCallback(
    (error: StudioError, options?: { quiet?: boolean }) => {
      if (options?.quiet !== true) showError(error);
      if (isProgram) {
        void reportError({ message: `${error.code}: ${error.message}`, where: 'program', stack: error.detail });
      }
    },
    [isProgram, reportError],
  );

  const texts = useCallback(
    (): OverlayTexts => ({
      origin: t('overlay.origin'),
      per: t('overlay.per'),
      couponEnds: t('overlay.couponEnds'),
      couponEnded: t('overlay.couponEnded'),
      scan: t('overlay.scan'),
    }),
    [t],
  );

  // The compositor lives as long as the component; its canvas is created here, not by React, so a
  // remount never hands three.js a canvas whose context another renderer used.
  useEffect(() => {
    const host = container.current;
    if (host === null) return;
    const canvas = document.createElement('canvas');
    canvas.className = 'compositor-canvas';
    host.appendChild(canvas);
    const refreshAssets = async () => {
      const list: AssetEntry[] = await services.listAssets();
      assets.current = new Map(list.map((a) => [a.id, url(a.url)]));
    };
    const resolveAsset = async (assetId: string) => {
      if (!assets.current.has(assetId)) await refreshAssets().catch(() => undefined);
      return assets.current.get(assetId);
    };
    let instance: Compositor;
    try {
      instance = new Compositor({
        canvas,
        size: outputFormats[useSettings.getState().settings.outputFormat],
        renderScale,
        maxFps,
        adaptive: adaptive ?? false,
        // `tier=gpu|software|none` forces a tier (support, tests); otherwise it is probed.
        tier: new URLSearchParams(location.search).get('tier'),
        // `delegate=gpu|cpu` forces MediaPipe's delegate the same way.
        visionDelegate: new URLSearchParams(location.search).get('delegate'),
        visionRole: isProgram ? 'program' : 'preview',
        onTier: (info) => useHud.setState({ tier: info.tier }),
        ...(visionIntervalMs === undefined ? {} : { visionIntervalMs }),
        urls: bundledUrls(),
        texts: texts(),
        resolveAsset,
        onError: report,
        onSceneReady: () => {
          if (!isProgram) return;
          document.body.dataset.sceneReady = '1';
          window.dispatchEvent(new Event('harvest:scene-ready'));
        },
      });
    } catch (error) {
      report(error as StudioError);
      canvas.remove();
      return;
    }
    instance.start();
    setCompositor(instance);
    const offAssets = services.onAssets((list) => {
      assets.current = new Map(list.map((a) => [a.id, url(a.url)]));
    });
    loadOverlayFont(() => instance.invalidateOverlays());

    // Downloaded official models, if the operator fetched them: use them, keep them only if they load.
    void services
      .modelsStatus()
      .then((status) => {
        if (!status.preferOfficial) return;
        const official = new Map(
          status.official
            .filter((m) => m.url !== undefined && m.state !== 'rejected')
            .map((m) => [m.name, url(m.url!)]),
        );
        if (official.size === 0) return;
        const bundled = bundledUrls();
        const officialHands = official.get(modelKeys.hands);
        const officialSegmenter = official.get(modelKeys.segmenter);
        // A downloaded model replaces its bundled variants too, so it is the one that runs.
        const chosen: Omit<CompositorUrls, 'vendor'> = {
          wasm: bundled.wasm,
          hands: officialHands ?? bundled.hands,
          segmenter: officialSegmenter ?? bundled.segmenter,
          face: official.get(modelKeys.face) ?? bundled.face,
          ...(officialHands === undefined ? { handsLite: bundled.handsLite! } : {}),
          ...(officialSegmenter === undefined ? { segmenterLandscape: bundled.segmenterLandscape! } : {}),
        };
        let fellBack = false;
        instance.restartVision(chosen, (model, error) => {
          if (chosen[model] === bundled[model]) {
            if (error !== null) report(new StudioError('compositor/vision-failed', error));
            return;
          }
          void services.confirmModel(modelKeys[model], error === null);
          // A downloaded model that does not load is dropped; the bundled ones take over.
          if (error !== null && !fellBack) {
            fellBack = true;
            instance.restartVision(bundled);
          }
        });
      })
      .catch(() => undefined);

    return () => {
      offAssets();
      instance.dispose();
      canvas.remove();
      setCompositor(undefined);
    };
    // Created once; later changes go through setSize/setScene/setCameras below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => compositor?.setSize(size), [compositor, size]);
  useEffect(() => compositor?.invalidateOverlays(texts()), [compositor, texts]);

  // The scene on program: the current one, then every change.
  useEffect(() => {
    if (compositor === undefined) return;
    let latestFromEvent = false;
    const apply = (next: CompositorScene) => {
      if (isProgram) document.body.dataset.sceneReady = '0';
      setScene(next);
      void compositor.setScene(next);
    };
    const off = services.onScene((next) => {
      latestFromEvent = true;
      apply(next);
    });
    services.getScene().then(
      (current) => {
        if (!latestFromEvent) apply(current);
      },
      (error: unknown) => report(error as StudioError),
    );
    return off;
  }, [compositor, isProgram, report, services]);

  const demoUrl = url('samples/demo-host.webm');
  const videos = useCameraSources({ needGuest: scene.layout !== 'single', demoUrl, report });
  useEffect(() => compositor?.setCameras(videos.main, videos.guest), [compositor, videos]);

  return { compositor, scene };
}
