import type { z } from 'zod';

import type { DeviceRole } from '../../../shared/api/lan';
import type { Result } from '../../../shared/api/result';
import { StudioError } from '../../../shared/api/result';
import { assertNever } from '../../../shared/assert-never';
import type { PanelLive, PanelRequestName, PanelSegment, PanelState } from '../../../shared/lan/panel';
import { panelRequests, panelRoleRequests } from '../../../shared/lan/panel';
import { fen } from '../../../shared/money';
import type { LiveState } from '../../../shared/show/live';

/** The studio API as the gateway reaches it: the router, parsing every input like any transport. */
export type StudioCall = (name: string, payload?: unknown) => Promise<Result<unknown>>;

/** Who is asking: a paired device. */
export interface PanelCaller {
  readonly deviceId: string;
  readonly name: string;
  readonly role: DeviceRole;
}

interface SegmentStats {
  segment: { startedAt: number };
  totals: { gmvFen: number; orders: number };
}
interface ShowAnalytics {
  totals: { gmvFen: number; orders: number };
  segments: SegmentStats[];
}
interface SalesLiveSegment {
  product: { name: string; unit: string; priceFen: number } | null;
}

async function unwrap<T>(result: Promise<Result<unknown>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw StudioError.fromData(r.error);
  return r.value as T;
}

/**
 * The panel's requests, translated into studio requests through the router: the only things a
 * phone can do, narrowed by its role. NEXT/BACK are serialised and name the segment they leave,
 * so a retried or doubled press moves the show once; a sale's entry key is scoped to the device.
 */
export class PanelGateway {
  private moves: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly call: StudioCall,
    private readonly now: () => number = Date.now,
  ) {}

  /** Handles one panel request; throws coded errors (the listener turns them into data). */
  async handle(caller: PanelCaller, name: string, payload: unknown): Promise<unknown> {
    if (!Object.hasOwn(panelRequests, name)) {
      throw new StudioError('app/unknown-request', `Unknown panel request: ${name}`);
    }
    const request = name as PanelRequestName;
    if (!panelRoleRequests[caller.role].includes(request)) {
      throw new StudioError('lan/forbidden', `A ${caller.role} device may not ${request}.`);
    }
    const spec = panelRequests[request].input as z.ZodType;
    const parsed = spec.safeParse(payload);
    if (!parsed.success) {
      throw new StudioError('app/invalid-payload', `Invalid payload for ${request}`, { detail: parsed.error.message });
    }
    const input = parsed.data as Record<string, unknown>;
    switch (request) {
      case 'panel:ping':
        return { serverNow: this.now() };
      case 'panel:state':
        return this.state(caller);
      case 'panel:next':
      case 'panel:back':
        return this.move(caller, request === 'panel:next' ? 1 : -1, input.fromIndex as number);
      case 'panel:sale':
        return this.sale(caller, input as { entryKey: string; quantity: number; amountFen?: number });
      default:
        return assertNever(request, 'panel request');
    }
  }

  /** What this caller's phone shows now. */
  async state(caller: PanelCaller): Promise<PanelState> {
    const live = await unwrap<LiveState | null>(this.call('show:live-get'));
    return {
      role: caller.role,
      deviceName: caller.name,
      serverNow: this.now(),
      live: live === null ? null : await this.liveView(caller.role, live),
    };
  }

  private async liveView(role: DeviceRole, live: LiveState): Promise<PanelLive> {
    const base = {
      title: live.title,
      index: live.index,
      startedAt: live.startedAt,
      segmentStartedAt: live.segmentStartedAt,
    };
    if (role === 'prompter') {
      // The guest's script and who is on: nothing about money or the studio's notes.
      return {
        ...base,
        segments: live.segments.map((s) => ({
          productName: s.productName,
          plannedSec: s.plannedSec,
          host: s.host,
          guest: s.guest,
          script: s.script,
        })),
      };
    }
    const [analytics, onAir] = await Promise.all([
      live.salesShowId === null
        ? Promise.resolve(null)
        : unwrap<ShowAnalytics>(this.call('sales:analytics-show', { showId: live.salesShowId })).catch(() => null),
      unwrap<SalesLiveSegment | null>(this.call('sales:live-segment')).catch(() => null),
    ]);
    // A sales segment opens at the very instant of its switch: the timeline maps it to its index.
    const indexAt = new Map(live.timeline.map((t) => [t.at, t.index]));
    const perIndex = new Map<number, { gmvFen: number; orders: number }>();
    for (const s of analytics?.segments ?? []) {
      const index = indexAt.get(s.segment.startedAt);
      if (index === undefined) continue;
      const sum = perIndex.get(index) ?? { gmvFen: 0, orders: 0 };
      perIndex.set(index, { gmvFen: sum.gmvFen + s.totals.gmvFen, orders: sum.orders + s.totals.orders });
    }
    const segments: PanelSegment[] = live.segments.map((s, i) => ({
      productName: s.productName,
      plannedSec: s.plannedSec,
      host: s.host,
      guest: s.guest,
      script: s.script,
      notes: s.notes,
      gmvFen: fen(perIndex.get(i)?.gmvFen ?? 0),
      orders: perIndex.get(i)?.orders ?? 0,
    }));
    return {
      ...base,
      segments,
      isObsInSync: live.obs.inSync,
      onAir:
        onAir?.product == null
          ? null
          : { name: onAir.product.name, unit: onAir.product.unit, priceFen: fen(onAir.product.priceFen) },
      showGmvFen: fen(analytics?.totals.gmvFen ?? 0),
      showOrders: analytics?.totals.orders ?? 0,
    };
  }

  private move(caller: PanelCaller, step: 1 | -1, fromIndex: number) {
    // One move at a time: two phones (or a retry racing its original) pressing NEXT from the same
    // segment move the show once; the second sees the new index and is answered, not applied.
    const run = this.moves.then(async () => {
      const live = await unwrap<LiveState | null>(this.call('show:live-get'));
      if (live === null) throw new StudioError('show/not-live', 'No show is live.');
      let isApplied = false;
      if (live.index === fromIndex) {
        await unwrap(this.call(step === 1 ? 'show:live-next' : 'show:live-back'));
        isApplied = true;
      } else if (live.index !== fromIndex + step) {
        // Neither the move asked for nor its result: the phone was looking at an old show state.
        throw new StudioError('lan/stale-action', 'The show has moved on since this phone last looked.', {
          params: { index: live.index },
        });
      }
      return { isApplied, state: await this.state(caller) };
    });
    this.moves = run.catch(() => undefined);
    return run;
  }

  private async sale(caller: PanelCaller, input: { entryKey: string; quantity: number; amountFen?: number }) {
    const entryKey = `lan-${caller.deviceId}-${input.entryKey}`.slice(0, 64);
    const before = this.now();
    const sale = await unwrap<{ id: number; enteredAt: number }>(
      this.call('sales:record', {
        quantity: input.quantity,
        ...(input.amountFen === undefined ? {} : { amountFen: input.amountFen }),
        note: caller.name,
        entryKey,
      }),
    );
    // The store answers a known entry key with the sale it already has, entered before this call.
    return { saleId: sale.id, isDuplicate: sale.enteredAt < before, state: await this.state(caller) };
  }
}
