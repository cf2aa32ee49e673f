import type { RequestName } from '../../shared/api/contract';
import type { Handlers } from './api-router';
import type { Emit } from './event-bus';
import type { Logger } from './logger';
import type { SecretStore } from './secret-store';
import type { SettingsStore } from './settings-store';

/** What every domain gets from the composition root. */
export interface DomainDeps {
  /** The data folder: Electron's userData, or the host's --data-dir. */
  readonly dataDir: string;
  readonly logger: Logger;
  readonly emit: Emit;
  readonly secrets: SecretStore;
  readonly settings: SettingsStore;
  readonly mode: 'electron' | 'host';
  /** Folder of the app's bundled files (assets/, dist/renderer), read-only at run time. */
  readonly appRoot: string;
  /**
   * Path of a better-sqlite3 binary built for this runtime (Electron's ABI differs from Node's);
   * pass it as `new Database(file, { nativeBinding })`. Undefined: the default Node build.
   */
  readonly sqliteNativeBinding?: string;
}

/**
 * A domain of the studio (obs, sales, assets, show): its service object, the request
 * handlers for its part of the contract, and its lifecycle.
 */
export interface Domain<S, K extends RequestName> {
  readonly service: S;
  readonly handlers: Handlers<K>;
  /** Starts background work (connections, timers); called once after every domain is built. */
  start?(): Promise<void>;
  /** Drains pending work and releases resources; called once on quit. */
  close(): Promise<void>;
}
