import { z } from 'zod';

import { request } from './define';

// The 'centre' domain: a county centre's PostgreSQL holding every studio's sales. A studio joins
// with the centre's address and a pairing code, pushes its outbox there and can leave; a host in
// centre mode (HARVEST_CENTRE_URL / --centre) invites studios and reads the cross-studio analytics.

/** A calendar day in the centre's time zone, YYYY-MM-DD. */
export const centreDaySchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'YYYY-MM-DD');

const label = z.string().trim().max(60);

export const linkStateSchema = z.enum(['none', 'joined', 'revoked']);
/** How this studio stands with a centre. */
export type LinkState = z.infer<typeof linkStateSchema>;

export const centreLinkSchema = z.object({
  state: linkStateSchema,
  /** The centre's address as the user typed it (host:port/database), when joined. */
  address: z.string().nullable(),
  studioId: z.string().nullable(),
  studioName: z.string().nullable(),
  joinedAt: z.number().int().nullable(),
  /** The last time a push reached the centre. */
  lastPushAt: z.number().int().nullable(),
  /** Changes in the outbox the centre has not confirmed yet. */
  pending: z.number().int().nonnegative(),
  /** Why the last push failed (a coded error), null after a good one. */
  errorCode: z.string().nullable(),
  /** When the next try is due while it keeps failing. */
  nextRetryAt: z.number().int().nullable(),
});
/** This studio's link to a centre. */
export type CentreLink = z.infer<typeof centreLinkSchema>;

export const centreModeSchema = z.object({
  /** This host is a centre (it was started with the centre's PostgreSQL URL). */
  isCentre: z.boolean(),
  /** What studios type to join (host:port/database), in centre mode. */
  joinAddress: z.string().nullable(),
  /** Why the centre's database cannot be used, if it cannot. */
  errorCode: z.string().nullable(),
  timeZone: z.string(),
});
export type CentreMode = z.infer<typeof centreModeSchema>;

export const centreStatusSchema = z.object({ mode: centreModeSchema, link: centreLinkSchema });
export type CentreStatus = z.infer<typeof centreStatusSchema>;

export const studioStateSchema = z.enum(['invited', 'joined', 'left', 'revoked']);
export type StudioState = z.infer<typeof studioStateSchema>;

export const centreStudioSchema = z.object({
  id: z.string(),
  name: z.string(),
  cooperative: z.string(),
  town: z.string(),
  state: studioStateSchema,
  createdAt: z.number().int(),
  joinedAt: z.number().int().nullable(),
  lastPushAt: z.number().int().nullable(),
  /** Sales rows the centre holds for it. */
  sales: z.number().int().nonnegative(),
  /** How far the studio's clock was from the centre's at its last push (ms, + = ahead). */
  clockSkewMs: z.number().int().nullable(),
});
/** A studio as the centre knows it. */
export type CentreStudio = z.infer<typeof centreStudioSchema>;

export const studioProfileSchema = z.object({ name: label.min(1), cooperative: label, town: label });
export type StudioProfile = z.infer<typeof studioProfileSchema>;

export const invitationSchema = z.object({
  studioId: z.string(),
  /** 12 characters in groups of four (XXXX-XXXX-XXXX); one use. */
  code: z.string(),
  joinAddress: z.string(),
  expiresAt: z.number().int(),
});
export type Invitation = z.infer<typeof invitationSchema>;

export const analyticsFilterSchema = z
  .object({
    from: centreDaySchema,
    to: centreDaySchema,
    studioId: z.string().max(64).optional(),
    cooperative: label.optional(),
    town: label.optional(),
  })
  .refine((f) => f.from <= f.to, { message: 'from after to', path: ['to'] });
export type AnalyticsFilter = z.input<typeof analyticsFilterSchema>;

export const centreFiguresSchema = z.object({
  gmvFen: z.number().int(),
  orders: z.number().int(),
  units: z.number().int(),
  refundedFen: z.number().int(),
  refundedOrders: z.number().int(),
});
/** GMV (placed and paid, fen), orders, units, and what was refunded. */
export type CentreFigures = z.infer<typeof centreFiguresSchema>;

const keyed = <T extends z.ZodRawShape>(shape: T) => centreFiguresSchema.extend(shape);

export const centreAnalyticsSchema = z.object({
  filter: z.object({ from: centreDaySchema, to: centreDaySchema }),
  totals: centreFiguresSchema,
  byDay: z.array(keyed({ day: centreDaySchema })),
  byStudio: z.array(keyed({ studioId: z.string(), name: z.string(), cooperative: z.string(), town: z.string() })),
  byCooperative: z.array(keyed({ cooperative: z.string() })),
  byTown: z.array(keyed({ town: z.string() })),
  /** The best-selling products by GMV (at most 30). */
  byProduct: z.array(keyed({ product: z.string() })),
  /** How long the centre's database took (ms), for the page's footer. */
  queryMs: z.number(),
});
export type CentreAnalytics = z.infer<typeof centreAnalyticsSchema>;

export const centreExportSchema = z.object({ fileName: z.string(), base64: z.string() });

const id = z.string().min(1).max(64);

export const centreRequests = {
  'centre:status': request(z.void(), centreStatusSchema),
  'centre:join': request(
    z.object({ address: z.string().trim().min(1).max(300), code: z.string().trim().min(1).max(40) }),
    centreLinkSchema,
  ),
  'centre:leave': request(z.void(), z.object({ isCentreTold: z.boolean() })),
  'centre:sync-now': request(z.void(), centreLinkSchema),
  'centre:studios': request(z.void(), z.array(centreStudioSchema)),
  /** A new studio, or (with studioId) a new code for one the centre knows. */
  'centre:invite': request(studioProfileSchema.extend({ studioId: id.optional() }), invitationSchema),
  'centre:studio-update': request(studioProfileSchema.extend({ id }), centreStudioSchema),
  'centre:studio-revoke': request(z.object({ id }), z.void()),
  'centre:analytics': request(analyticsFilterSchema, centreAnalyticsSchema),
  'centre:export': request(analyticsFilterSchema.and(z.object({ title: label.optional() })), centreExportSchema),
} as const;

export const centreEvents = {
  'centre:link-changed': centreLinkSchema,
  /** A studio joined, pushed, left or was revoked (centre mode). */
  'centre:studios-changed': z.object({ at: z.number().int() }),
} as const;

export const centreErrorCodes = [
  /** The centre's database cannot be reached (address, network, or it is down). */
  'centre/unreachable',
  'centre/bad-address',
  /** Wrong, used or expired pairing code. */
  'centre/pair-code-invalid',
  /** The centre removed this studio. */
  'centre/revoked',
  'centre/not-joined',
  'centre/already-joined',
  /** A centre-only request on a host not started as a centre. */
  'centre/not-centre',
  /** The centre's database refused or failed a statement. */
  'centre/db-failed',
  'centre/studio-not-found',
  'centre/range-too-long',
  /** The centre's schema was made by a newer build. */
  'centre/schema-too-new',
  /** The sales log cannot be read for pushing. */
  'centre/outbox-unreadable',
] as const;
export type CentreErrorCode = (typeof centreErrorCodes)[number];
