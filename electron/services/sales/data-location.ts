import fs from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { StudioError } from '../../../shared/api/result';
import { readJsonFile, writeFileAtomic } from '../json-file';
import type { SalesDbOptions } from './connection';

// Where the sales log lives: a folder the user may move (a bigger disk, a synced folder), kept
// in sales-location.json beside the app's other data.

const locationSchema = z.object({ folder: z.string().min(1) });

export interface DataLocation {
  /** The folder holding sales.db and its backups. */
  readonly folder: string;
  readonly file: string;
  /** The store's options for the current folder. */
  dbOptions(): SalesDbOptions;
  /** Checks a folder can be written (creates it); throws sales/folder-unusable. */
  probe(folder: string): Promise<string>;
  /** Switches to another folder (not yet saved). */
  use(folder: string): void;
  /** Remembers the current folder for the next start. */
  save(): void;
}

export function createDataLocation(
  dataDir: string,
  store: { nativeBinding?: string | undefined; busyTimeoutMs?: number | undefined },
): DataLocation {
  const locationFile = path.join(dataDir, 'sales-location.json');
  let folder = readJsonFile(locationFile, locationSchema)?.folder ?? path.join(dataDir, 'sales');
  return {
    get folder() {
      return folder;
    },
    get file() {
      return path.join(folder, 'sales.db');
    },
    dbOptions: () => ({
      file: path.join(folder, 'sales.db'),
      nativeBinding: store.nativeBinding,
      ...(store.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: store.busyTimeoutMs }),
    }),
    async probe(candidate) {
      const target = path.resolve(candidate);
      try {
        await fs.promises.mkdir(target, { recursive: true });
        const probe = path.join(target, `.harvest-write-test-${process.pid}`);
        await fs.promises.writeFile(probe, 'ok');
        await fs.promises.rm(probe, { force: true });
      } catch (error) {
        throw new StudioError('sales/folder-unusable', 'That folder cannot be used for the sales log.', {
          detail: String(error),
          params: { folder: target },
          cause: error,
        });
      }
      return target;
    },
    use(next) {
      folder = next;
    },
    save() {
      writeFileAtomic(locationFile, JSON.stringify({ folder }, null, 2));
    },
  };
}
