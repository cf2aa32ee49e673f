import path from 'node:path';

import { z } from 'zod';

import { readJsonFile, writeFileAtomic } from '../json-file';
import type { SecretStore } from '../secret-store';

const fileSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  /** True after the user connected; false after they disconnected. Start-up connects only when true. */
  autoConnect: z.boolean(),
  streamServer: z.string().nullable().default(null),
});
/** What `obs-connection.json` holds; secrets are not in it. */
export type ObsConnectionFile = z.infer<typeof fileSchema>;

const passwordSecret = 'obs.password';
const streamKeySecret = 'obs.stream-key';

export const defaultObsConnection: ObsConnectionFile = {
  host: '127.0.0.1',
  port: 4455,
  autoConnect: false,
  streamServer: null,
};

/**
 * The OBS connection settings: host/port in `obs-connection.json` in the data folder, the
 * password and stream key in the secret store. Secrets are only read to be sent to OBS.
 */
export class ObsConnectionStore {
  private readonly file: string;
  private current: ObsConnectionFile;

  constructor(
    dataDir: string,
    private readonly secrets: SecretStore,
  ) {
    this.file = path.join(dataDir, 'obs-connection.json');
    this.current = readJsonFile(this.file, fileSchema) ?? { ...defaultObsConnection };
  }

  get(): ObsConnectionFile {
    return { ...this.current };
  }

  /** True when a file was saved before, i.e. the user set up a connection once. */
  hasSaved(): boolean {
    return readJsonFile(this.file, fileSchema) !== undefined;
  }

  update(patch: Partial<ObsConnectionFile>): ObsConnectionFile {
    const next = fileSchema.parse({ ...this.current, ...patch });
    writeFileAtomic(this.file, JSON.stringify(next, null, 2));
    this.current = next;
    return this.get();
  }

  password(): string | undefined {
    return this.secrets.get(passwordSecret);
  }

  hasPassword(): boolean {
    const p = this.password();
    return p !== undefined && p !== '';
  }

  /** `''` or undefined removes the saved password. */
  setPassword(password: string | undefined): void {
    this.secrets.set(passwordSecret, password === '' ? undefined : password);
  }

  streamKey(): string | undefined {
    return this.secrets.get(streamKeySecret);
  }

  hasStreamKey(): boolean {
    const k = this.streamKey();
    return k !== undefined && k !== '';
  }

  setStreamKey(key: string | undefined): void {
    this.secrets.set(streamKeySecret, key === '' ? undefined : key);
  }
}
