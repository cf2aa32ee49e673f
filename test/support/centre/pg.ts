import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's PostgreSQL 15 binaries (apt-get install postgresql). */
export const pgBin = process.env.HARVEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** A throwaway PostgreSQL cluster in a temp folder, on its own port; TCP on 127.0.0.1 only. */
export interface TestPg {
  readonly port: number;
  readonly dir: string;
  /** The superuser URL (the centre's admin URL in tests). */
  readonly adminUrl: string;
  /** Stops the server (fast shutdown: open sessions are cut, as a crash or restart would). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops and removes the folder. */
  destroy(): Promise<void>;
}

export function isPgAvailable(): boolean {
  return fs.existsSync(path.join(pgBin, 'initdb'));
}

/** A free TCP port on 127.0.0.1 (bound, read, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// initdb refuses root: as root (CI, this machine) everything runs as the `postgres` user.
const asPostgres = (cmd: string, args: string[]) =>
  process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args);

/** Makes and starts a cluster; `pg_ctl -w` returns once it accepts connections. */
export async function startTestPg(): Promise<TestPg> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-pg-'));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  const socketDir = path.join(dir, 'sock');
  fs.mkdirSync(socketDir);
  if (process.getuid?.() === 0) await run('chown', ['-R', 'postgres:postgres', dir]);
  const password = 'harvest-test';
  const pwFile = path.join(dir, 'pw');
  fs.writeFileSync(pwFile, password);
  if (process.getuid?.() === 0) await run('chown', ['postgres:postgres', pwFile]);
  await asPostgres(path.join(pgBin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=scram-sha-256',
    `--pwfile=${pwFile}`,
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    `-k ${socketDir}`,
    "-c listen_addresses='127.0.0.1'",
    // Test clusters lose nothing worth keeping on a crash; the studio's own log is what is durable.
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c shared_buffers=256MB',
    '-c max_connections=100',
  ].join(' ');
  const start = async () => {
    await asPostgres(path.join(pgBin, 'pg_ctl'), [
      '-D',
      data,
      '-w',
      '-t',
      '60',
      '-l',
      path.join(dir, 'log'),
      '-o',
      options,
      'start',
    ]);
  };
  const stop = async () => {
    await asPostgres(path.join(pgBin, 'pg_ctl'), ['-D', data, '-w', '-m', 'fast', 'stop']).catch(() => undefined);
  };
  await start();
  return {
    port,
    dir,
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    start,
    stop,
    async destroy() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A TCP proxy in front of PostgreSQL that a test can cut: `cut()` destroys every open connection
 * (the studio's uplink dropping mid-batch) and refuses new ones until `restore()`.
 */
export interface CutProxy {
  readonly port: number;
  cut(): void;
  restore(): void;
  /** Calls `onData` for each chunk a client sends (to cut at a chosen moment). */
  onClientData(listener: ((bytes: Buffer) => void) | undefined): void;
  close(): Promise<void>;
}

export async function startCutProxy(targetPort: number): Promise<CutProxy> {
  const sockets = new Set<net.Socket>();
  let isCut = false;
  let listener: ((bytes: Buffer) => void) | undefined;
  const server = net.createServer((client) => {
    client.on('error', () => undefined);
    if (isCut) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    sockets.add(client).add(upstream);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
    client.on('data', (bytes: Buffer) => {
      listener?.(bytes);
      if (!isCut) upstream.write(bytes);
    });
    upstream.pipe(client);
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    cut() {
      isCut = true;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore() {
      isCut = false;
    },
    onClientData(next) {
      listener = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
