import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import pg from 'pg';
import { z } from 'zod';

import type { CentreLink } from '../../../shared/api/centre';
import { StudioError } from '../../../shared/api/result';
import type { CentreAddress } from '../../../shared/centre/address';
import { formatCentreAddress, parseCentreAddress } from '../../../shared/centre/address';
import { parsePairingCode, studioRoleName } from '../../../shared/centre/pairing-code';
import { readJsonFile, writeFileAtomic } from '../json-file';
import type { Logger } from '../logger';
import type { SecretStore } from '../secret-store';
import { OutboxReader } from './outbox-reader';
import { centreError } from './pg-errors';
import type { PushState, PushTimers } from './pusher';
import { Pusher } from './pusher';
import { scramVerifier } from './scram';

// This studio's membership of a centre: joining with an address and a pairing code, the pusher
// while joined, leaving. What is not secret sits in centre-link.json; the studio's PostgreSQL
// password only in the secret store.

const linkFileSchema = z.object({
  address: z.string(),
  role: z.string(),
  studioId: z.string(),
  studioName: z.string(),
  joinedAt: z.number().int(),
  state: z.enum(['joined', 'revoked']),
});
type LinkFile = z.infer<typeof linkFileSchema>;

/** Secret-store key of the studio's centre password. */
export const centrePasswordSecret = 'centre.password';

export interface StudioLinkOptions {
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly logger: Logger;
  /** The sales log's file (read-only here). */
  readonly salesFile: () => Promise<string>;
  readonly sqliteNativeBinding?: string;
  readonly now: () => number;
  readonly random?: () => number;
  readonly timers?: PushTimers;
  readonly batchSize?: number;
  readonly onChange: (link: CentreLink) => void;
  readonly settleMs?: number;
}

const pgSsl = (address: CentreAddress): pg.ClientConfig['ssl'] =>
  address.ssl === 'off' ? false : { rejectUnauthorized: address.ssl === 'verify-full' };

function clientConfig(address: CentreAddress, user: string, password: string): pg.ClientConfig {
  return { host: address.host, port: address.port, database: address.database, user, password, ssl: pgSsl(address) };
}

export class StudioLink {
  private link: LinkFile | undefined;
  private pusher: Pusher | undefined;
  private readonly file: string;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: StudioLinkOptions) {
    this.file = path.join(options.dataDir, 'centre-link.json');
    this.link = readJsonFile(this.file, linkFileSchema);
  }

  async start(): Promise<void> {
    if (this.link?.state === 'joined') await this.startPusher();
  }

  async close(): Promise<void> {
    await this.pusher?.stop();
    this.pusher = undefined;
  }

  /** A sale was recorded or changed. */
  poke(): void {
    this.pusher?.poke();
  }

  status(): CentreLink {
    const push: PushState | undefined = this.pusher?.state;
    const link = this.link;
    return {
      state: link?.state ?? 'none',
      address: link?.address ?? null,
      studioId: link?.studioId ?? null,
      studioName: link?.studioName ?? null,
      joinedAt: link?.joinedAt ?? null,
      lastPushAt: push?.lastPushAt ?? null,
      pending: push?.pending ?? 0,
      errorCode: link?.state === 'revoked' ? 'centre/revoked' : (push?.errorCode ?? null),
      nextRetryAt: push?.nextRetryAt ?? null,
    };
  }

  join(typedAddress: string, typedCode: string): Promise<CentreLink> {
    return this.serial(() => this.doJoin(typedAddress, typedCode));
  }

  leave(): Promise<{ isCentreTold: boolean }> {
    return this.serial(() => this.doLeave());
  }

  async syncNow(): Promise<CentreLink> {
    if (this.pusher === undefined || this.link?.state !== 'joined') {
      throw new StudioError('centre/not-joined', 'This studio has not joined a centre.');
    }
    await this.pusher.syncNow();
    return this.status();
  }

  private async doJoin(typedAddress: string, typedCode: string): Promise<CentreLink> {
    if (this.link?.state === 'joined') {
      throw new StudioError('centre/already-joined', 'This studio is already in a centre; leave it first.', {
        params: { address: this.link.address },
      });
    }
    const address = parseCentreAddress(typedAddress);
    if (address === undefined) {
      throw new StudioError('centre/bad-address', 'That is not a centre address (like 192.168.1.20:5432/harvest).');
    }
    const code = parsePairingCode(typedCode);
    if (code === undefined) {
      throw new StudioError('centre/pair-code-invalid', 'That pairing code is wrong, used or expired.');
    }
    const role = studioRoleName(code.roleSuffix);
    const client = new pg.Client({ ...clientConfig(address, role, code.secret), connectionTimeoutMillis: 10_000 });
    client.on('error', () => undefined);
    const password = crypto.randomBytes(32).toString('base64url');
    let claimed: { studio_id: string; name: string };
    try {
      await client.connect();
      const result = await client.query<{ studio_id: string; name: string }>(
        'SELECT studio_id, name FROM harvest.studio_claim($1)',
        [scramVerifier(password)],
      );
      claimed = result.rows[0]!;
    } catch (error) {
      throw centreError(error, 'join');
    } finally {
      await client.end().catch(() => undefined);
    }
    // The password first: a crash between the two leaves a secret without a link (harmless), never
    // a link without its secret.
    this.options.secrets.set(centrePasswordSecret, password);
    this.save({
      address: formatCentreAddress(address),
      role,
      studioId: claimed.studio_id,
      studioName: claimed.name,
      joinedAt: this.options.now(),
      state: 'joined',
    });
    this.options.logger.info('joined centre', { address: formatCentreAddress(address), studioId: claimed.studio_id });
    await this.startPusher();
    return this.status();
  }

  private async doLeave(): Promise<{ isCentreTold: boolean }> {
    const link = this.link;
    if (link === undefined) throw new StudioError('centre/not-joined', 'This studio has not joined a centre.');
    await this.pusher?.stop();
    this.pusher = undefined;
    let isCentreTold = false;
    const password = this.options.secrets.get(centrePasswordSecret);
    const address = parseCentreAddress(link.address);
    if (link.state === 'joined' && password !== undefined && address !== undefined) {
      const client = new pg.Client({ ...clientConfig(address, link.role, password), connectionTimeoutMillis: 5_000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT harvest.studio_leave()');
        isCentreTold = true;
      } catch (error) {
        // Offline today: the credentials are forgotten here anyway; the centre can remove the studio.
        this.options.logger.warn('could not tell the centre', { error: String(error) });
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    this.options.secrets.set(centrePasswordSecret, undefined);
    this.link = undefined;
    fs.rmSync(this.file, { force: true });
    this.options.logger.info('left centre', { isCentreTold });
    this.emit();
    return { isCentreTold };
  }

  private async startPusher(): Promise<void> {
    const link = this.link;
    const address = link === undefined ? undefined : parseCentreAddress(link.address);
    if (link === undefined || address === undefined) return;
    const reader = new OutboxReader(await this.options.salesFile(), this.options.sqliteNativeBinding);
    this.pusher = new Pusher({
      reader,
      connection: () => clientConfig(address, link.role, this.options.secrets.get(centrePasswordSecret) ?? ''),
      logger: this.options.logger.child('push'),
      now: this.options.now,
      ...(this.options.random === undefined ? {} : { random: this.options.random }),
      ...(this.options.timers === undefined ? {} : { timers: this.options.timers }),
      ...(this.options.batchSize === undefined ? {} : { batchSize: this.options.batchSize }),
      ...(this.options.settleMs === undefined ? {} : { settleMs: this.options.settleMs }),
      onState: () => this.emit(),
      onRevoked: () => {
        if (this.link === undefined) return;
        this.save({ ...this.link, state: 'revoked' });
        this.options.secrets.set(centrePasswordSecret, undefined);
      },
    });
    this.pusher.start();
    this.emit();
  }

  private save(link: LinkFile): void {
    writeFileAtomic(this.file, JSON.stringify(link, null, 2));
    this.link = link;
    this.emit();
  }

  private emit(): void {
    this.options.onChange(this.status());
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.busy.then(work);
    this.busy = run.catch(() => undefined);
    return run;
  }
}
