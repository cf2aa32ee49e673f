import type { RequestName } from '../../../shared/api/contract';
import { StudioError } from '../../../shared/api/result';
import type { Domain, DomainDeps } from '../domain';
import type { EventListener } from '../event-bus';
import { CentreAdmin } from './centre-admin';
import type { PushTimers } from './pusher';
import { StudioLink } from './studio-link';

export interface CentrePorts {
  /** The sales log's file, once the sales domain has opened it. */
  salesFile(): Promise<string>;
  /** Every service event (a sale recorded → push soon). */
  subscribe(listener: EventListener): () => void;
  /** Centre mode: the centre's PostgreSQL URL (HARVEST_CENTRE_URL or --centre). */
  centreUrl?: string | undefined;
  /** What studios type to join, when the URL's host is not it (HARVEST_CENTRE_JOIN_ADDRESS). */
  joinAddress?: string | undefined;
  now?: () => number;
  random?: () => number;
  timers?: PushTimers;
  batchSize?: number;
  settleMs?: number;
}

type CentreRequest = Extract<RequestName, `centre:${string}`>;

// Events after which the outbox has something new.
const salesChanges = new Set(['sales:recorded', 'sales:changed', 'sales:import-progress']);

/** The studio's side of a county centre (join, push, leave) and, in centre mode, the centre's. */
export interface CentreService {
  readonly link: StudioLink;
  readonly admin: CentreAdmin | undefined;
}

export function createCentreDomain(deps: DomainDeps, ports: CentrePorts): Domain<CentreService, CentreRequest> {
  const now = ports.now ?? Date.now;
  const link = new StudioLink({
    dataDir: deps.dataDir,
    secrets: deps.secrets,
    logger: deps.logger.child('link'),
    salesFile: ports.salesFile,
    now,
    onChange: (state) => deps.emit('centre:link-changed', state),
    ...(deps.sqliteNativeBinding === undefined ? {} : { sqliteNativeBinding: deps.sqliteNativeBinding }),
    ...(ports.random === undefined ? {} : { random: ports.random }),
    ...(ports.timers === undefined ? {} : { timers: ports.timers }),
    ...(ports.batchSize === undefined ? {} : { batchSize: ports.batchSize }),
    ...(ports.settleMs === undefined ? {} : { settleMs: ports.settleMs }),
  });
  const admin =
    ports.centreUrl === undefined || ports.centreUrl === ''
      ? undefined
      : new CentreAdmin({
          url: ports.centreUrl,
          logger: deps.logger.child('admin'),
          ...(ports.joinAddress === undefined || ports.joinAddress === '' ? {} : { joinAddress: ports.joinAddress }),
        });
  let unsubscribe: (() => void) | undefined;

  const requireAdmin = (): CentreAdmin => {
    if (admin === undefined) {
      throw new StudioError('centre/not-centre', 'This studio is not a centre (start it with the centre database).');
    }
    return admin;
  };
  const studiosChanged = () => deps.emit('centre:studios-changed', { at: now() });

  return {
    service: { link, admin },
    handlers: {
      'centre:status': () => ({
        mode: admin?.mode() ?? { isCentre: false, joinAddress: null, errorCode: null, timeZone: 'Asia/Shanghai' },
        link: link.status(),
      }),
      'centre:join': ({ address, code }) => link.join(address, code),
      'centre:leave': () => link.leave(),
      'centre:sync-now': () => link.syncNow(),
      'centre:studios': () => requireAdmin().studios(),
      'centre:invite': async (profile) => {
        const invitation = await requireAdmin().invite(profile);
        studiosChanged();
        return invitation;
      },
      'centre:studio-update': async ({ id, ...profile }) => {
        const studio = await requireAdmin().updateStudio(id, profile);
        studiosChanged();
        return studio;
      },
      'centre:studio-revoke': async ({ id }) => {
        await requireAdmin().revoke(id);
        studiosChanged();
      },
      'centre:analytics': (filter) => requireAdmin().analytics(filter),
      'centre:export': ({ title, ...filter }) =>
        requireAdmin().exportReport(filter, { title, language: deps.settings.get().language, now: now() }),
    },
    async start() {
      unsubscribe = ports.subscribe((name) => {
        if (salesChanges.has(name)) link.poke();
      });
      await admin?.start();
      await link.start();
    },
    async close() {
      unsubscribe?.();
      await link.close();
      await admin?.close();
    },
  };
}
