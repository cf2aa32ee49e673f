import type { BrowserWindowConstructorOptions } from 'electron';

import type { OutputFormat } from '../shared/api/app';
import { outputFormats } from '../shared/api/app';
import { obsProgramWindowTitle } from '../shared/api/obs';
import { secureWebPreferences } from './security/window-security';

/** OBS finds the program window by this title (window capture), so it never changes. */
export const programWindowTitle = obsProgramWindowTitle;

export function controlWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
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
