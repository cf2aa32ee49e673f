import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

import { StudioError } from '../../shared/api/result';

/**
 * A file the user asked to save (an export, a show package): the path is checked before any work,
 * the file is written beside it and moved into place whole, so a failure leaves neither half a
 * file nor a damaged earlier one.
 */
export interface SaveTarget {
  /** Where to write: renamed onto the target by `commit`. */
  readonly tmp: string;
  /**
   * Flushes the written file to disk and moves it into place. Asynchronous: an export can be
   * hundreds of MB, and its fsync must not hold the host's event loop (as LatestFile's does not).
   */
  commit(): Promise<void>;
  /** Removes what was written (after a failure); the target is left as it was. */
  discard(): Promise<void>;
}

const saveError = (target: string, detail: string, cause?: unknown): StudioError =>
  new StudioError('app/save-path', 'The file cannot be saved there; choose another name or folder.', {
    detail,
    params: { path: target },
    cause,
  });

const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/** Checks `target` (absolute, not a folder, no file in the way) and makes its folder; throws app/save-path. */
export function openSaveTarget(target: string): SaveTarget {
  if (!path.isAbsolute(target)) throw saveError(target, 'path must be absolute');
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(target, { throwIfNoEntry: false });
  } catch (error) {
    // A file where a folder of the path should be.
    if (errno(error) === 'ENOTDIR') throw saveError(target, 'a file is in the way of the folder', error);
    throw error;
  }
  // A folder's name: the rename at the end would fail (EISDIR) after all the work.
  if (stat?.isDirectory() === true) throw saveError(target, 'path is a folder');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  return {
    tmp,
    async commit() {
      const handle = await fsp.open(tmp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await fsp.rename(tmp, target);
      } catch (error) {
        // Made a folder meanwhile.
        if (errno(error) === 'EISDIR') throw saveError(target, 'path is a folder', error);
        throw error;
      }
    },
    async discard() {
      await fsp.rm(tmp, { force: true });
    },
  };
}
