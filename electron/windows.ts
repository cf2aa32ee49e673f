import type { BrowserWindowConstructorOptions } from 'electron';

import type { OutputFormat } from '../shared/api/app';
import { outputFormats } from '../shared/api/app';
import { obsProgramWindowTitle } from '../shared/api/obs';
import { secureWebPreferences } from './security/window-security';

/** OBS finds the program window by this title (window capture), so it never changes. */
export const programWindowTitle = obsProgramWindowTitle;

/** A screen as Electron's `screen` module describes it. */
export interface DisplayArea {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
  workArea: { x: number; y: number; width: number; height: number };
}

/**
 * The control window fills at most the screen's work area (a 1366×768 laptop keeps its taskbar),
 * 1440×900 where there is room; its minimum never exceeds the screen either.
 */
export function controlWindowOptions(
  preload: string,
  workArea?: DisplayArea['workArea'],
): BrowserWindowConstructorOptions {
  const width = Math.min(1440, workArea?.width ?? 1440);
  const height = Math.min(900, workArea?.height ?? 900);
  return {
    width,
    height,
    ...(workArea === undefined
      ? {}
      : {
          x: workArea.x + Math.floor((workArea.width - width) / 2),
          y: workArea.y + Math.floor((workArea.height - height) / 2),
        }),
    minWidth: Math.min(1024, width),
    minHeight: Math.min(600, height),
    title: '丰收直播间 Harvest Studio',
    backgroundColor: '#f6f3ee',
    show: false,
    webPreferences: secureWebPreferences(preload),
  };
}

/**
 * The program window: frameless, exactly the output size in CSS pixels (zoom 1), not resizable,
 * so what OBS captures is pixel for pixel what the stream sends.
 */
export function programWindowOptions(preload: string, format: OutputFormat): BrowserWindowConstructorOptions {
  const { width, height } = outputFormats[format];
  return {
    width,
    height,
    useContentSize: true,
    frame: false,
    resizable: false,
    maximizable: false,
    fullscreenable: false,
    enableLargerThanScreen: true,
    title: programWindowTitle,
    backgroundColor: '#000000',
    show: false,
    webPreferences: { ...secureWebPreferences(preload), zoomFactor: 1 },
  };
}

/**
 * Where the program window goes. It keeps its exact size even when that is larger than the screen
 * (enableLargerThanScreen); OBS's window capture reads the window's own surface, so the part past
 * the screen's edge is captured too. A second display that fits it is used first, so the operator
 * can watch it; otherwise it sits at the primary screen's corner, behind the control window.
 */
export function programWindowPlacement(
  displays: readonly DisplayArea[],
  primaryId: number,
  size: { width: number; height: number },
): { x: number; y: number; display: 'secondary' | 'primary' } {
  const secondary = displays
    .filter((d) => d.id !== primaryId)
    .find((d) => d.bounds.width >= size.width && d.bounds.height >= size.height);
  if (secondary !== undefined) return { x: secondary.bounds.x, y: secondary.bounds.y, display: 'secondary' };
  const primary = displays.find((d) => d.id === primaryId) ?? displays[0];
  return { x: primary?.bounds.x ?? 0, y: primary?.bounds.y ?? 0, display: 'primary' };
}
