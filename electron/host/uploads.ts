import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { StudioError } from '../../shared/api/result';
import type { StagedUpload } from '../../shared/api/wire';
import { uploadMaxBytes } from '../../shared/api/wire';

/** How long a staged upload is kept: an import preview stays valid for 30 minutes. */
const keepMs = 2 * 60 * 60 * 1000;

/** A file name safe on every OS, keeping its extension (importers pick the format by it). */
function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/'));
  const cleaned = base.replace(/[^\p{L}\p{N}._ -]+/gu, '_').replace(/^[.\s]+/, '');
  return cleaned === '' ? 'upload' : cleaned.slice(-120);
}

/**
 * Files a browser sends to the host (`POST /upload`), streamed to disk under the data folder,
 * one folder per upload so the file keeps its own name. The import requests then take the
 * staged path, as they do in the desktop app: no file travels as base64 over the socket.
 */
export class UploadStage {
  constructor(
    readonly dir: string,
    private readonly maxBytes = uploadMaxBytes,
  ) {}

  /** Streams a request body to a staged file. Throws StudioError `app/upload-…`; leaves nothing behind on failure. */
  async receive(req: http.IncomingMessage, name: string): Promise<StagedUpload> {
    const declared = req.headers['content-length'];
    if (declared !== undefined && !(Number(declared) <= this.maxBytes)) throw this.tooLarge();
    this.sweep();
    const folder = path.join(this.dir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
    const file = path.join(folder, safeFileName(name));
    let bytes = 0;
    const limit = this.maxBytes;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > limit) done(new StudioError('app/upload-too-large', 'The upload is too large.'));
        else done(null, chunk);
      },
    });
    try {
      fs.mkdirSync(folder, { recursive: true });
      await pipeline(req, counter, fs.createWriteStream(file, { flags: 'wx' }));
    } catch (error) {
      fs.rmSync(folder, { recursive: true, force: true });
      if (error instanceof StudioError) throw error.code === 'app/upload-too-large' ? this.tooLarge() : error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC') throw new StudioError('app/disk-full', 'The disk is full.', { cause: error });
      throw new StudioError('app/upload-failed', 'The upload did not complete.', {
        detail: String(error),
        cause: error,
      });
    }
    return { path: file, bytes };
  }

  /** Removes staged uploads older than `keepMs` (all of them with `everything`). */
  sweep(everything = false): void {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    const cutoff = Date.now() - keepMs;
    for (const name of names) {
      const stamp = Number(name.split('-')[0]);
      if (everything || !Number.isFinite(stamp) || stamp < cutoff) {
        fs.rmSync(path.join(this.dir, name), { recursive: true, force: true });
      }
    }
  }

  private tooLarge(): StudioError {
    return new StudioError('app/upload-too-large', 'The upload is too large.', {
      params: { maxMb: Math.round(this.maxBytes / 1024 / 1024) },
    });
  }
}
