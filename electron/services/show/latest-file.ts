import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Keeps a file holding the latest of a stream of values, written atomically (temp file, fsync,
 * rename) off the caller's path: live mode must not block the main process for a disk flush on
 * every NEXT. Writes never overlap; values written while one is in flight collapse into the newest.
 */
export class LatestFile {
  private pending: string | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly file: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  write(data: string): void {
    this.pending = data;
    this.running ??= this.drain();
  }

  /** Resolves once everything written so far is on disk. */
  async flush(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending !== undefined) {
        const data = this.pending;
        this.pending = undefined;
        try {
          await writeAtomic(this.file, data);
        } catch (error) {
          this.onError(error);
        }
      }
    } finally {
      this.running = undefined;
    }
  }
}

async function writeAtomic(file: string, data: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await fs.open(tmp, 'w', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
}
