import type { BrowserWindow, RenderProcessGoneDetails } from 'electron';

import type { Logger } from './services/logger';

/** Reloads sooner than this after the last reload are delayed, so a page that crashes at once does not spin. */
const minReloadGapMs = 3_000;

/**
 * When a window's page process dies (crash, out of memory, killed by the OS), log why and load the
 * page again: the control window gets its UI back, the program window its picture (OBS keeps
 * capturing the same window). A clean exit or a quitting app is left alone.
 */
export function reloadWhenPageGone(
  win: BrowserWindow,
  role: 'control' | 'program',
  logger: Logger,
  isQuitting: () => boolean,
): void {
  let lastReload = 0;
  let pending: ReturnType<typeof setTimeout> | undefined;
  win.webContents.on('render-process-gone', (_event: unknown, details: RenderProcessGoneDetails) => {
    logger.error('page process gone', { window: role, reason: details.reason, exitCode: details.exitCode });
    if (details.reason === 'clean-exit' || isQuitting() || win.isDestroyed() || pending !== undefined) return;
    const wait = Math.max(0, lastReload + minReloadGapMs - Date.now());
    pending = setTimeout(() => {
      pending = undefined;
      if (win.isDestroyed() || isQuitting()) return;
      lastReload = Date.now();
      logger.info('reloading page', { window: role });
      win.webContents.reload();
    }, wait);
  });
}
