import fs from 'node:fs';
import path from 'node:path';

import { StudioError } from '../../shared/api/result';

/**
 * A file the user asked to save (an export, a show package): the path is checked before any work,
 * the file is written beside it and moved into place whole, so a failure leaves neither half a
 * file nor a damaged earlier one.
 */
export interface SaveTarget {
  readonly path: string;
  /** Where to write: renamed onto `path` by `commit`. */
  readonly tmp: string;
  /** Flushes the written file to disk and moves it into place. */
  commit(): void;
  /** Removes what was written (after a failure); `path` is left as it was. */
  discard(): void;
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
    path: target,
    tmp,
    commit() {
      const fd = fs.openSync(tmp, 'r+');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      try {
        fs.renameSync(tmp, target);
      } catch (error) {
        // Made a folder meanwhile.
        if (errno(error) === 'EISDIR') throw saveError(target, 'path is a folder', error);
        throw error;
      }
    },
    discard() {
      fs.rmSync(tmp, { force: true });
    },
  };
}
