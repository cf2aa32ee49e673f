import fs from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { readJsonFile, writeFileAtomic } from './json-file';

/** Keeps secrets (OBS password, stream keys). Never log what comes out of it. */
export interface SecretStore {
  get(name: string): string | undefined;
  set(name: string, value: string | undefined): void;
  /** Where secrets live, for the settings page ("encrypted by the OS" vs "file readable only by you"). */
  readonly kind: 'os-encrypted' | 'file-0600';
}

/** Electron's safeStorage, reduced to what we use; injected so this module never imports electron. */
export interface Encryptor {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

const fileSchema = z.record(z.string(), z.string());

/**
 * Secrets in `secrets.json` (mode 0600). With an OS encryptor (Electron `safeStorage`) each value
 * is encrypted; in host mode it is a file only this user can read.
 */
export function createSecretStore(dataDir: string, encryptor?: Encryptor): SecretStore {
  const file = path.join(dataDir, 'secrets.json');
  const isEncrypted = encryptor?.isEncryptionAvailable() === true;
  const load = () => readJsonFile(file, fileSchema) ?? {};
  return {
    kind: isEncrypted ? 'os-encrypted' : 'file-0600',
    get(name) {
      const stored = load()[name];
      if (stored === undefined) return undefined;
      if (!isEncrypted || encryptor === undefined) return stored;
      try {
        return encryptor.decryptString(Buffer.from(stored, 'base64'));
      } catch {
        return undefined;
      }
    },
    set(name, value) {
      const all = load();
      if (value === undefined) delete all[name];
      else all[name] = isEncrypted && encryptor ? encryptor.encryptString(value).toString('base64') : value;
      writeFileAtomic(file, JSON.stringify(all), 0o600);
      fs.chmodSync(file, 0o600);
    },
  };
}
