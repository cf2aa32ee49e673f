import type { OBSRequestTypes, OBSResponseTypes } from 'obs-websocket-js';

import type { ProvisionReport } from '../../../shared/api/obs';
import { obsCaptureInputName, obsProgramWindowTitle } from '../../../shared/api/obs';
import { StudioError } from '../../../shared/api/result';

/** A typed obs-websocket call (the service's, with timeout and connection checks). */
export type ObsCall = <T extends keyof OBSRequestTypes>(
  requestType: T,
  requestData?: OBSRequestTypes[T],
) => Promise<OBSResponseTypes[T]>;

/** obs-websocket's JSON object type, without depending on type-fest directly. */
type JsonObject = OBSRequestTypes['SetInputSettings']['inputSettings'];

/**
 * Capture kinds in order of preference per platform (GetVersion.platform). Window capture of the
 * program window is best; a screen capture is the fallback where there is no window capture
 * (xshm on an X server without a window manager, as in the test OBS).
 */
const captureKindsByPlatform: Record<string, readonly string[]> = {
  windows: ['window_capture', 'monitor_capture'],
  macos: ['screen_capture', 'window_capture', 'display_capture'],
  linux: ['xcomposite_input', 'xshm_input', 'pipewire-window-capture-source', 'pipewire-screen-capture-source'],
};

/** Picks the capture kind this OBS offers, by platform preference. */
export function chooseCaptureKind(platform: string | null, available: readonly string[]): string | undefined {
  const preferred = captureKindsByPlatform[platform ?? ''] ?? Object.values(captureKindsByPlatform).flat();
  return preferred.find((kind) => available.includes(kind));
}

/** Settings that point a fresh capture input at the program window, where the kind allows it. */
export function captureSettings(kind: string): JsonObject {
  switch (kind) {
    case 'window_capture':
      // Windows: "title:class:exe", matched by title (priority 1); macOS reads owner/window name.
      return {
        window: `${obsProgramWindowTitle}:Chrome_WidgetWin_1:Harvest Studio.exe`,
        priority: 1,
        cursor: false,
        owner_name: 'Harvest Studio',
        window_name: obsProgramWindowTitle,
      };
    case 'xcomposite_input':
      // "id\r\ntitle\r\nclass": OBS falls back to title + class when the id is gone.
      return { capture_window: `0\r\n${obsProgramWindowTitle}\r\nharvest-studio`, show_cursor: false };
    case 'xshm_input':
      return { screen: 0, show_cursor: false };
    case 'screen_capture':
      // macOS ScreenCaptureKit, window mode; the user picks the window once in OBS.
      return { type: 1, show_cursor: false };
    default:
      return {};
  }
}

const fittedBoundsType = 'OBS_BOUNDS_SCALE_INNER';

function fittedTransform(width: number, height: number): JsonObject {
  return {
    positionX: 0,
    positionY: 0,
    rotation: 0,
    alignment: 5, // top left
    boundsType: fittedBoundsType,
    boundsAlignment: 0, // centred inside the bounds
    boundsWidth: width,
    boundsHeight: height,
  };
}

/** Ours and not yet moved by the user, but sized for another canvas: refit. */
function needsRefit(transform: JsonObject, width: number, height: number): boolean {
  return (
    transform.boundsType === fittedBoundsType &&
    (Number(transform.boundsWidth) !== width || Number(transform.boundsHeight) !== height)
  );
}

/**
 * Creates or updates the studio's scenes: each requested scene exists and holds (once) the capture
 * of the program window, fitted to the canvas. Idempotent; never deletes or renames anything, and
 * leaves a capture the user re-sized alone.
 */
export async function provisionScenes(
  call: ObsCall,
  sceneNames: readonly string[],
  platform: string | null,
  inputName = obsCaptureInputName,
): Promise<ProvisionReport> {
  const wanted = [...new Set(sceneNames.map((n) => n.trim()).filter((n) => n !== ''))];
  const [sceneList, inputList, kindList, video] = await Promise.all([
    call('GetSceneList'),
    call('GetInputList'),
    call('GetInputKindList', { unversioned: false }),
    call('GetVideoSettings'),
  ]);
  const existingScenes = new Set(sceneList.scenes.map((s) => String((s as JsonObject).sceneName)));
  const existingInput = inputList.inputs.find((i) => (i as JsonObject).inputName === inputName) as
    JsonObject | undefined;
  let inputKind = existingInput === undefined ? undefined : String(existingInput.inputKind);
  if (inputKind === undefined) {
    inputKind = chooseCaptureKind(platform, kindList.inputKinds);
    if (inputKind === undefined) {
      throw new StudioError('obs/capture-unavailable', 'OBS offers no window or screen capture here.', {
        detail: `platform ${platform ?? '?'}; kinds: ${kindList.inputKinds.join(' ')}`.slice(0, 500),
      });
    }
  }

  const report: ProvisionReport = {
    inputName,
    inputKind,
    scenesCreated: [],
    scenesKept: [],
    capturesAdded: [],
    itemsFitted: [],
    inputCreated: false,
    isUnchanged: true,
  };
  let hasInput = existingInput !== undefined;

  for (const sceneName of wanted) {
    if (existingScenes.has(sceneName)) {
      report.scenesKept.push(sceneName);
    } else {
      await call('CreateScene', { sceneName });
      existingScenes.add(sceneName);
      report.scenesCreated.push(sceneName);
    }

    const { sceneItems } = await call('GetSceneItemList', { sceneName });
    const item = sceneItems.find((i) => (i as JsonObject).sourceName === inputName) as JsonObject | undefined;
    if (item === undefined) {
      let sceneItemId: number;
      if (hasInput) {
        ({ sceneItemId } = await call('CreateSceneItem', { sceneName, sourceName: inputName, sceneItemEnabled: true }));
      } else {
        ({ sceneItemId } = await call('CreateInput', {
          sceneName,
          inputName,
          inputKind,
          inputSettings: captureSettings(inputKind),
          sceneItemEnabled: true,
        }));
        hasInput = true;
        report.inputCreated = true;
      }
      // At the bottom, so it never covers what the user already placed in their scene.
      await call('SetSceneItemIndex', { sceneName, sceneItemId, sceneItemIndex: 0 });
      await call('SetSceneItemTransform', {
        sceneName,
        sceneItemId,
        sceneItemTransform: fittedTransform(video.baseWidth, video.baseHeight),
      });
      report.capturesAdded.push(sceneName);
      report.itemsFitted.push(sceneName);
    } else {
      const sceneItemId = Number(item.sceneItemId);
      const { sceneItemTransform } = await call('GetSceneItemTransform', { sceneName, sceneItemId });
      if (needsRefit(sceneItemTransform as JsonObject, video.baseWidth, video.baseHeight)) {
        await call('SetSceneItemTransform', {
          sceneName,
          sceneItemId,
          sceneItemTransform: fittedTransform(video.baseWidth, video.baseHeight),
        });
        report.itemsFitted.push(sceneName);
      }
    }
  }
  report.isUnchanged =
    report.scenesCreated.length === 0 && report.capturesAdded.length === 0 && report.itemsFitted.length === 0;
  return report;
}
