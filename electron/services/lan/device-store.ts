import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';

import { z } from 'zod';

import type { DeviceRole } from '../../../shared/api/lan';
import { deviceRoleSchema } from '../../../shared/api/lan';
import { StudioError } from '../../../shared/api/result';
import { readJsonFile, writeFileAtomic } from '../json-file';

const storedDeviceSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().max(40),
  role: deviceRoleSchema,
  /** sha256 of the device token, hex: a copy of this file never lets anyone in. */
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  pairedAt: z.number().int(),
  lastSeenAt: z.number().int().nullable(),
});
export type StoredDevice = z.infer<typeof storedDeviceSchema>;

const fileSchema = z.object({ version: z.literal(1), devices: z.array(z.unknown()) });

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The paired phones, in `lan-devices.json` in the data folder (0600). A device's token is
 * 256 random bits given to the phone once; only its hash is kept.
 */
export class DeviceStore {
  private readonly file: string;
  private readonly devices = new Map<string, StoredDevice>();
  private readonly byHash = new Map<string, string>();

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'lan-devices.json');
    const stored = readJsonFile(this.file, fileSchema);
    // Entry by entry: one damaged device is dropped (it pairs again), never its neighbours.
    for (const entry of stored?.devices ?? []) {
      const parsed = storedDeviceSchema.safeParse(entry);
      if (parsed.success) this.put(parsed.data);
    }
  }

  list(): StoredDevice[] {
    return [...this.devices.values()].sort((a, b) => a.pairedAt - b.pairedAt);
  }

  get(id: string): StoredDevice | undefined {
    return this.devices.get(id);
  }

  /** The device a token belongs to, if it is still paired. */
  byToken(token: string): StoredDevice | undefined {
    const id = this.byHash.get(hashToken(token));
    return id === undefined ? undefined : this.devices.get(id);
  }

  /** Pairs a new device; returns it and the token for the phone (shown nowhere else). */
  add(role: DeviceRole, name: string, now: number): { device: StoredDevice; token: string } {
    const token = randomBytes(32).toString('base64url');
    const device: StoredDevice = {
      id: randomBytes(9).toString('base64url'),
      name,
      role,
      tokenHash: hashToken(token),
      pairedAt: now,
      lastSeenAt: null,
    };
    this.put(device);
    this.save();
    return { device, token };
  }

  rename(id: string, name: string): StoredDevice {
    const device = this.require(id);
    const renamed = { ...device, name };
    this.put(renamed);
    this.save();
    return renamed;
  }

  remove(id: string): StoredDevice {
    const device = this.require(id);
    this.devices.delete(id);
    this.byHash.delete(device.tokenHash);
    this.save();
    return device;
  }

  /** Kept in memory; written with the next change or on close (it is only a hint for the list). */
  touch(id: string, now: number): void {
    const device = this.devices.get(id);
    if (device !== undefined) this.devices.set(id, { ...device, lastSeenAt: now });
  }

  save(): void {
    writeFileAtomic(this.file, JSON.stringify({ version: 1, devices: this.list() }, null, 2), 0o600);
  }

  private require(id: string): StoredDevice {
    const device = this.devices.get(id);
    if (device === undefined) throw new StudioError('lan/device-not-found', 'No paired device has this id.');
    return device;
  }

  private put(device: StoredDevice): void {
    this.devices.set(device.id, device);
    this.byHash.set(device.tokenHash, device.id);
  }
}
