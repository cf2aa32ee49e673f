// The centre's address as a studio types it: `host`, `host:port`, `host:port/database`, or a
// postgres:// URL without credentials (for `?sslmode=require`). Credentials never ride in it.

/** Where the centre's PostgreSQL is. */
export interface CentreAddress {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** TLS wanted ('require' / 'verify-full' in the URL form), else plain TCP on the LAN. */
  readonly ssl: 'off' | 'require' | 'verify-full';
}

export const defaultCentrePort = 5432;
export const defaultCentreDatabase = 'harvest';

const hostPattern = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*)$/iu;

/** Parses a typed address; undefined when it is not one. */
export function parseCentreAddress(typed: string): CentreAddress | undefined {
  let text = typed.trim();
  let ssl: CentreAddress['ssl'] = 'off';
  const url = /^postgres(?:ql)?:\/\/(.*)$/iu.exec(text);
  if (url !== null) {
    const rest = url[1] ?? '';
    if (rest.includes('@')) return undefined;
    const [main = '', query = ''] = rest.split('?', 2);
    const mode = /(?:^|&)sslmode=([a-z-]+)/u.exec(query)?.[1];
    if (mode === 'require' || mode === 'verify-full') ssl = mode;
    else if (mode !== undefined && mode !== 'disable' && mode !== 'prefer' && mode !== 'allow') return undefined;
    text = main;
  }
  const m = /^([^/:]+|\[[^\]]+\])(?::(\d{1,5}))?(?:\/([A-Za-z0-9_\-$]{1,63}))?\/?$/u.exec(text);
  if (m === null) return undefined;
  const host = m[1] ?? '';
  if (!hostPattern.test(host)) return undefined;
  const port = m[2] === undefined ? defaultCentrePort : Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host: host.replace(/^\[|\]$/gu, ''), port, database: m[3] ?? defaultCentreDatabase, ssl };
}

/** The short form shown on the centre's page and typed at the studio. */
export function formatCentreAddress(address: CentreAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  const base = `${host}:${address.port}/${address.database}`;
  return address.ssl === 'off' ? base : `postgres://${base}?sslmode=${address.ssl}`;
}
