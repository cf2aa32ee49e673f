import fs from 'node:fs';
import path from 'node:path';

import type { DbStatus } from '../../../shared/api/sales';
import type { Logger } from '../logger';
import type { SalesStore } from './store';

// Daily backups of the sales log (SQLite's online backup, through the worker): one a day by
// local date, taken at start, hourly and on request; the newest seven kept.

const backupsToKeep = 7;
const backupName = /^sales-(\d{4}-\d{2}-\d{2})\.db$/u;

function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export interface Backups {
  list(): Promise<DbStatus['backups']>;
  /** Takes today's backup if it is not there yet; its path, or null. */
  takeIfDue(): Promise<string | null>;
  /** Settles once a running backup is done. */
  idle(): Promise<void>;
  start(): void;
  close(): Promise<void>;
}

export function createBackups(options: {
  store: SalesStore;
  folder: () => string;
  now: () => number;
  logger: Logger;
}): Backups {
  const { store, folder, now, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<string | null> | undefined;

  const list = async (): Promise<DbStatus['backups']> => {
    const dir = path.join(folder(), 'backups');
    let names: string[];
    try {
      names = await fs.promises.readdir(dir);
    } catch {
      return [];
    }
    const out: DbStatus['backups'] = [];
    for (const name of names
      .filter((n) => backupName.test(n))
      .sort()
      .reverse()) {
      try {
        const stat = await fs.promises.stat(path.join(dir, name));
        out.push({ name, takenAt: Math.trunc(stat.mtimeMs), bytes: stat.size });
      } catch {
        // Removed while listing.
      }
    }
    return out;
  };

  const takeIfDue = (): Promise<string | null> => {
    running ??= (async () => {
      if (store.state.kind !== 'open') return null;
      const dir = path.join(folder(), 'backups');
      const target = path.join(dir, `sales-${localDate(now())}.db`);
      if (fs.existsSync(target)) return target;
      try {
        await store.call('backupTo', target);
        const old = (await list()).slice(backupsToKeep);
        for (const b of old) await fs.promises.rm(path.join(dir, b.name), { force: true });
        logger.info('sales backup written', { file: target });
        return target;
      } catch (error) {
        logger.warn('sales backup failed', { error: String(error) });
        return null;
      }
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    list,
    takeIfDue,
    async idle() {
      await running;
    },
    start() {
      timer = setInterval(() => void takeIfDue(), 60 * 60_000);
      timer.unref();
    },
    async close() {
      if (timer !== undefined) clearInterval(timer);
      await running;
    },
  };
}
