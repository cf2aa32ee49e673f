import os from 'node:os';
import path from 'node:path';

import type { AppInfo, ShortcutStatus } from '../../shared/api/app';
import { recommendOutput } from '../../shared/onboarding/machine';
import { globalShortcutActions } from '../../shared/onboarding/shortcuts';
import type { ApiRouter } from './api-router';
import { createApiRouter } from './api-router';
import { createAssetsDomain } from './assets';
import { createCentreDomain } from './centre';
import type { DomainDeps } from './domain';
import type { EventBus } from './event-bus';
import { createEventBus } from './event-bus';
import { createLanDomain } from './lan';
import type { Logger } from './logger';
import { createObsDomain } from './obs';
import { createSalesDomain } from './sales';
import type { Encryptor } from './secret-store';
import { createSecretStore } from './secret-store';
import { SettingsStore } from './settings-store';
import { createShowDomain } from './show';

export interface StudioServicesOptions {
  dataDir: string;
  appRoot: string;
  logger: Logger;
  mode: 'electron' | 'host';
  version: string;
  encryptor?: Encryptor;
  sqliteNativeBinding?: string;
  /** The URL of the program output, where one exists (host mode). */
  programUrl?: () => string | undefined;
  /** The built renderer, for the phone panel on the LAN; defaults to `appRoot/dist/renderer`. */
  rendererDir?: string;
  /** Electron: how the global shortcuts stand now. Host mode has none. */
  shortcutStatus?: () => ShortcutStatus[];
  /** Centre mode: the county centre's PostgreSQL URL (default: HARVEST_CENTRE_URL). */
  centreUrl?: string;
}

/** Every service, built once at start-up; the transports are given `router` and `bus`. */
export interface StudioServices {
  readonly router: ApiRouter;
  readonly bus: EventBus;
  readonly settings: SettingsStore;
  /** The file behind a `/library/…` URL of an imported asset or downloaded model, if it is one. */
  resolveLibraryFile(urlPath: string): string | undefined;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** The composition root shared by Electron's main process and the headless studio host. */
export function createStudioServices(options: StudioServicesOptions): StudioServices {
  const { logger } = options;
  const bus = createEventBus((error) => logger.error('event listener failed', { error: String(error) }));
  const settings = new SettingsStore(options.dataDir, bus.emit, logger.child('settings'));
  const deps = (name: string): DomainDeps => ({
    dataDir: options.dataDir,
    appRoot: options.appRoot,
    logger: logger.child(name),
    emit: bus.emit,
    secrets: createSecretStore(options.dataDir, options.encryptor),
    settings,
    mode: options.mode,
    ...(options.sqliteNativeBinding === undefined ? {} : { sqliteNativeBinding: options.sqliteNativeBinding }),
  });

  const obs = createObsDomain(deps('obs'));
  const sales = createSalesDomain(deps('sales'));
  const assets = createAssetsDomain(deps('assets'));
  const show = createShowDomain(deps('show'), { obs: obs.service, sales: sales.service, assets: assets.service });
  // The LAN listener reaches the other domains only through the router (built below), as any
  // transport does; it calls it only once started.
  const lan = createLanDomain(deps('lan'), {
    call: (name, payload) => router.call(name, payload, { transport: 'ws' }),
    subscribe: (listener) => bus.subscribe(listener),
    rendererDir: options.rendererDir ?? path.join(options.appRoot, 'dist', 'renderer'),
  });
  // After sales: the pusher reads the sales log the sales domain has opened (and migrated).
  const centre = createCentreDomain(deps('centre'), {
    salesFile: async () => (await sales.service.dbStatus()).file,
    subscribe: (listener) => bus.subscribe(listener),
    centreUrl: options.centreUrl ?? process.env.HARVEST_CENTRE_URL,
    joinAddress: process.env.HARVEST_CENTRE_JOIN_ADDRESS,
  });
  // Last to start, first to close: phones are cut off before the stores they write to.
  const domains = [obs, sales, assets, show, centre, lan];

  const info = (): AppInfo => {
    const programUrl = options.programUrl?.();
    return {
      name: 'Harvest Studio',
      version: options.version,
      mode: options.mode,
      platform: `${os.platform()}-${os.arch()}`,
      dataDir: options.dataDir,
      ...(programUrl === undefined ? {} : { programUrl }),
    };
  };

  const router = createApiRouter(
    {
      'app:info': info,
      'app:report-error': (input) => {
        logger.child('renderer').error(input.message, { where: input.where, stack: input.stack });
      },
      'settings:get': () => settings.get(),
      'settings:update': (patch) => settings.update(patch),
      'app:machine-report': ({ webglRenderer }) => {
        const current = settings.get();
        // Only a first run picks the size from the machine; afterwards the size is the user's.
        if (current.onboarding.status !== 'new') return current;
        const cpuCores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
        const { format, reason } = recommendOutput({ cpuCores, webglRenderer }, current.outputFormat);
        logger.info('machine report', { cpuCores, webglRenderer, format, reason });
        if (format === current.outputFormat && reason === current.outputReason) return current;
        return settings.update({ outputFormat: format, outputReason: reason });
      },
      'app:shortcuts-status': () =>
        options.shortcutStatus?.() ??
        globalShortcutActions.map((action) => ({
          action,
          accelerator: settings.get().shortcuts[action],
          state: 'unsupported' as const,
        })),
      ...obs.handlers,
      ...sales.handlers,
      ...assets.handlers,
      ...show.handlers,
      ...lan.handlers,
      ...centre.handlers,
    },
    logger.child('api'),
  );

  return {
    router,
    bus,
    settings,
    resolveLibraryFile: (urlPath) => assets.service.resolveLibraryPath(urlPath),
    async start() {
      for (const domain of domains) await domain.start?.();
    },
    async close() {
      // Reverse order: the show domain drains before the stores it writes to.
      for (const domain of [...domains].reverse()) {
        try {
          await domain.close();
        } catch (error) {
          logger.error('close failed', { error: String(error) });
        }
      }
    },
  };
}
