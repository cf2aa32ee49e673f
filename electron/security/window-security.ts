import type { Session, WebContents, WebPreferences } from 'electron';

/** The origin our pages load from (custom protocol, see electron/protocol.ts). */
export const appScheme = 'app';
export const appHost = 'studio';
export const appOrigin = `${appScheme}://${appHost}`;

/** Every window: isolated, sandboxed, no Node in the page. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    // The program window keeps rendering at full rate while hidden behind other windows: OBS captures it.
    backgroundThrottling: false,
  };
}

/** True for URLs of our own pages. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${appScheme}:` && u.host === appHost;
  } catch {
    return false;
  }
}

/** Our pages may not navigate away or open windows; links to shops open in the system browser. */
export function lockNavigation(contents: WebContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//i.test(url)) openExternal(url);
    return { action: 'deny' };
  });
}

const grantedToApp = new Set(['media', 'fullscreen', 'clipboard-sanitized-write']);

/** Camera and microphone for our own origin only; everything else refused. */
export function installPermissionHandlers(session: Session): void {
  session.setPermissionRequestHandler((contents, permission, callback) => {
    callback(isAppUrl(contents.getURL()) && grantedToApp.has(permission));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => {
    return requestingOrigin.startsWith(appOrigin) && grantedToApp.has(permission);
  });
  // @mediapipe/tasks-vision 1.x posts usage metrics; 0.10.35 does not, but nothing leaves the PC regardless.
  session.webRequest.onBeforeRequest({ urls: ['https://odml.pa.googleapis.com/*'] }, (_details, callback) =>
    callback({ cancel: true }),
  );
}

/** IPC is answered only for our own pages' main frames. */
export function isTrustedSender(frame: { url: string } | null | undefined): boolean {
  return frame != null && isAppUrl(frame.url);
}
