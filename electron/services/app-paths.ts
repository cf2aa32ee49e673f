import os from 'node:os';
import path from 'node:path';

/** The product folder name; Electron's userData uses the same, so both modes share one data folder. */
export const productName = 'Harvest Studio';

/** Where Electron's `app.getPath('userData')` would be, for the host running without Electron. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.HARVEST_DATA_DIR !== undefined && env.HARVEST_DATA_DIR !== '') return path.resolve(env.HARVEST_DATA_DIR);
  const home = os.homedir();
  // Not a switch: Node's platforms are an open list, and every one but these two is a Unix (XDG).
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), productName);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', productName);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), productName);
}

/** The app's root folder (holds dist/ and assets/), from the location of the running bundle. */
export function appRootFrom(bundleDir: string): string {
  // Bundles live in <root>/dist/node/; in tests the sources run from <root>/electron/**.
  const marker = `${path.sep}dist${path.sep}node`;
  const at = bundleDir.lastIndexOf(marker);
  if (at >= 0) return bundleDir.slice(0, at);
  const src = bundleDir.lastIndexOf(`${path.sep}electron`);
  return src >= 0 ? bundleDir.slice(0, src) : bundleDir;
}
