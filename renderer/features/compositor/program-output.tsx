import './compositor.css';

import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

import { outputFormats } from '../../../shared/api/app';
import type { CompositorSnapshot } from '../../compositor/compositor';
import { failureText } from '../../program/boot-failure';
import { useErrors } from '../../state/errors';
import { useSettings } from '../../state/settings';
import { useCompositor } from './use-compositor';

/** Set by Vite's `define` (vite.config.ts): true except in `npm run dist`'s production build. */
declare const __HARVEST_TEST_PROBE__: boolean;

declare global {
  interface Window {
    /** Read-only probe for tests and the bench (test builds only): numbers, not controls. */
    __harvestCompositor?: {
      info(): CompositorSnapshot;
      /** The WebGL context, for WEBGL_lose_context in tests. */
      gl(): WebGLRenderingContext | WebGL2RenderingContext | undefined;
    };
  }
}

/**
 * The program output: a full-window canvas at exactly the output size, no UI chrome, for OBS to
 * capture. Marks `document.body.dataset.sceneReady = '1'` and fires `harvest:scene-ready` after
 * the first frame of each new scene is drawn.
 */
export function ProgramOutput() {
  const container = useRef<HTMLDivElement>(null);
  const format = useSettings((s) => s.settings.outputFormat);
  const { width, height } = outputFormats[format];
  const { compositor } = useCompositor({
    container,
    renderScale: 1,
    maxFps: 30,
    isProgram: true,
    // Degrade, never stall: a slow machine gets a softer picture at frame rate.
    adaptive: new URLSearchParams(location.search).get('adaptive') !== '0',
  });

  useEffect(() => {
    // Only the test build (`npm run build`) has the probe; `npm run dist` compiles this block out.
    if (!__HARVEST_TEST_PROBE__ || compositor === undefined) return;
    window.__harvestCompositor = { info: () => compositor.snapshot(), gl: () => compositor.gl };
    return () => {
      delete window.__harvestCompositor;
    };
  }, [compositor]);

  // The compositor could not be built (no WebGL, no 2D canvas): say so on the picture, not black.
  const { i18n } = useTranslation();
  const fatal = useErrors((s) =>
    compositor === undefined ? s.errors.findLast((e) => fatalCodes.has(e.code)) : undefined,
  );
  // The page's language first, the other one under it (the operator may not read it; support does).
  const texts =
    fatal === undefined
      ? []
      : [i18n.language, i18n.language === 'en' ? 'zh-CN' : 'en'].map((lng) => failureText(i18n.getFixedT(lng), fatal));

  return (
    <>
      <div ref={container} className="program-output compositor-surface" style={{ width, height }} />
      {fatal !== undefined && (
        <div className="program-failed" role="alert" data-code={fatal.code}>
          {texts.map((text, i) => (
            <div key={i} className={i === 0 ? 'program-failed-main' : 'program-failed-second'}>
              <h1>{text.title}</h1>
              <p>{text.reason}</p>
            </div>
          ))}
          <p className="program-failed-code">{texts[0]?.code}</p>
        </div>
      )}
    </>
  );
}

/** Errors that leave the program without a compositor (thrown by its constructor). */
const fatalCodes = new Set(['compositor/webgl-unavailable', 'app/internal']);
