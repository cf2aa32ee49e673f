import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { createStudioServices } from '../services';
import { appRootFrom, defaultDataDir } from '../services/app-paths';
import { installLastResort } from '../services/last-resort';
import { createLogger, RotatingLogSink } from '../services/logger';
import { StudioHost } from './studio-host';

declare const __APP_VERSION__: string;

const defaultPort = 17654;

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'win32'
      ? ['cmd', ['/c', 'start', '""', url]]
      : process.platform === 'darwin'
        ? ['open', [url]]
        : ['xdg-open', [url]];
  execFile(cmd, args, { windowsHide: true }, () => undefined).unref();
}

/** `npm run host`: the studio's services and UI without Electron, on 127.0.0.1. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      open: { type: 'boolean', default: false },
      'renderer-dir': { type: 'string' },
      // Centre mode: the county centre's PostgreSQL URL (HARVEST_CENTRE_URL keeps it out of `ps`).
      centre: { type: 'string' },
    },
  });
  const appRoot = appRootFrom(import.meta.dirname);
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
  fs.mkdirSync(dataDir, { recursive: true });
  const sink = new RotatingLogSink({ dir: path.join(dataDir, 'logs'), echo: process.env.HARVEST_LOG_ECHO === '1' });
  const logger = createLogger('host', sink);
  installLastResort(logger);
  const rendererDir = path.resolve(values['renderer-dir'] ?? path.join(appRoot, 'dist', 'renderer'));
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    process.stderr.write(`The UI is not built (${rendererDir}). Run: npm run build\n`);
    process.exit(2);
  }

  let host: StudioHost | undefined;
  const services = createStudioServices({
    dataDir,
    appRoot,
    logger,
    mode: 'host',
    version: typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev',
    programUrl: () => host?.url('/program'),
    rendererDir,
    ...(values.centre === undefined ? {} : { centreUrl: values.centre }),
  });
  const uploadDir = path.join(dataDir, 'tmp', 'uploads');
  const makeHost = (port: number) =>
    new StudioHost({ services, rendererDir, logger: logger.child('http'), port, uploadDir });
  host = makeHost(values.port === undefined ? defaultPort : Number(values.port));
  try {
    await host.start();
  } catch (error) {
    // The usual port is taken (a second studio?): any free port will do unless one was asked for.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || values.port !== undefined) throw error;
    host = makeHost(0);
    await host.start();
  }
  await services.start();
  const url = host.url('/');
  process.stdout.write(
    `丰收直播间已启动 Harvest Studio is running:\n  ${url}\n节目画面 Program output (for OBS):\n  ${host.url('/program')}\n数据 Data: ${dataDir}\n`,
  );
  logger.info('host started', { port: new URL(url).port, dataDir });
  if (values.open === true) openBrowser(url);

  let isClosing = false;
  const shutdown = async (signal: string) => {
    if (isClosing) return;
    isClosing = true;
    logger.info(`stopping on ${signal}`);
    await host?.stop();
    // Drains pending sales writes before exit.
    await services.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Harvest Studio could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
