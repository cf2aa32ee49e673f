import { z } from 'zod';

import type { DeviceRole } from '../api/lan';
import { deviceRoleSchema } from '../api/lan';
import { fenSchema, signedFenSchema } from '../money';

// The panel protocol: what a paired phone may ask of the LAN listener, and what it is pushed.
// Frames are those of shared/api/wire.ts ({type:'call', id, name, payload} in,
// {type:'result'|'event'} out); the names here are the only ones the LAN listener answers, and a
// device's role narrows them further. Every action can be retried: NEXT/BACK name the segment
// they move from, a sale carries its entry key.

/** One segment of the live show as a phone sees it; GMV only for the producer. */
export const panelSegmentSchema = z.object({
  productName: z.string(),
  plannedSec: z.number().int(),
  host: z.string(),
  guest: z.string(),
  script: z.string(),
  /** Producer only. */
  notes: z.string().optional(),
  gmvFen: signedFenSchema.optional(),
  orders: z.number().int().optional(),
});
export type PanelSegment = z.infer<typeof panelSegmentSchema>;

export const panelLiveSchema = z.object({
  title: z.string(),
  index: z.number().int().min(0),
  startedAt: z.number().int(),
  segmentStartedAt: z.number().int(),
  segments: z.array(panelSegmentSchema),
  /** Producer only: whether OBS shows the segment on air. */
  isObsInSync: z.boolean().optional(),
  /** Producer only: the product on air, for quick entry. */
  onAir: z.object({ name: z.string(), unit: z.string(), priceFen: fenSchema }).nullable().optional(),
  /** Producer only. */
  showGmvFen: signedFenSchema.optional(),
  showOrders: z.number().int().optional(),
});
export type PanelLive = z.infer<typeof panelLiveSchema>;

export const panelStateSchema = z.object({
  role: deviceRoleSchema,
  deviceName: z.string(),
  /** The studio's clock when this was sent: phones' clocks drift, timers use the studio's. */
  serverNow: z.number().int(),
  live: panelLiveSchema.nullable(),
});
/** Everything a phone shows, pushed as the 'panel:state' event and returned by 'panel:state'. */
export type PanelState = z.infer<typeof panelStateSchema>;

const move = z.object({ fromIndex: z.number().int().min(0) });
const moveResult = z.object({ isApplied: z.boolean(), state: panelStateSchema });

export const panelRequests = {
  'panel:ping': { input: z.object({}).strict().optional(), output: z.object({ serverNow: z.number().int() }) },
  'panel:state': { input: z.object({}).strict().optional(), output: panelStateSchema },
  /** Moves on from `fromIndex`; a retry (the show has moved already) is answered, not applied. */
  'panel:next': { input: move, output: moveResult },
  'panel:back': { input: move, output: moveResult },
  /** Records a sale of the product on air; the same entry key twice counts once. */
  'panel:sale': {
    input: z.object({
      entryKey: z.string().regex(/^[A-Za-z0-9_-]{16,40}$/),
      quantity: z.number().int().min(1).max(999),
      amountFen: fenSchema.optional(),
    }),
    output: z.object({ saleId: z.number().int(), isDuplicate: z.boolean(), state: panelStateSchema }),
  },
} as const;
export type PanelRequestName = keyof typeof panelRequests;

/** The panel requests each role may make; anything else is refused with 'lan/forbidden'. */
export const panelRoleRequests: Record<DeviceRole, readonly PanelRequestName[]> = {
  producer: ['panel:ping', 'panel:state', 'panel:next', 'panel:back', 'panel:sale'],
  prompter: ['panel:ping', 'panel:state'],
};

export function isPanelRequestName(name: string): name is PanelRequestName {
  return Object.hasOwn(panelRequests, name);
}

/** WebSocket close codes the phone acts on: these stop its reconnecting and ask to pair again. */
export const panelCloseCodes = { unauthorized: 4401, revoked: 4403 } as const;
export type PanelCloseCode = (typeof panelCloseCodes)[keyof typeof panelCloseCodes];

/** The pairing request (POST /panel/pair) and its answer. */
export const pairRequestSchema = z.object({ code: z.string().min(16).max(64) }).strict();
export const pairAnswerSchema = z.object({ deviceToken: z.string(), role: deviceRoleSchema, name: z.string() });

/** Limits of the LAN listener, shared with the phone so it never sends what would be refused. */
export const panelLimits = {
  /** Larger frames are refused with 'lan/message-too-large'. */
  maxMessageBytes: 8 * 1024,
  pairingTtlMs: 120_000,
} as const;
