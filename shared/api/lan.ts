import { z } from 'zod';

import { request } from './define';

// The 'lan' domain of the API contract, as the studio's own windows use it: LAN mode on/off, the
// interface it listens on, pairing a phone by QR code, and the paired devices. The phones
// themselves speak the smaller panel protocol (shared/lan/panel.ts) on the LAN listener only.

/** What a paired phone may do: run the show (场控) or read the guest's script (提词). */
export const deviceRoleSchema = z.enum(['producer', 'prompter']);
export type DeviceRole = z.infer<typeof deviceRoleSchema>;

const deviceName = z.string().trim().min(1).max(40);

export const pairedDeviceSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string(),
  role: deviceRoleSchema,
  pairedAt: z.number().int(),
  lastSeenAt: z.number().int().nullable(),
  /** Whether its socket is open now. */
  isConnected: z.boolean(),
});
/** A phone paired with the studio; its token is kept only as a hash. */
export type PairedDevice = z.infer<typeof pairedDeviceSchema>;

export const lanInterfaceSchema = z.object({ name: z.string(), address: z.string() });
/** An IPv4 address of this PC the LAN listener can bind to. */
export type LanInterface = z.infer<typeof lanInterfaceSchema>;

const ipv4 = z
  .string()
  .regex(/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/, 'an IPv4 address');

export const lanConfigSchema = z.object({
  isEnabled: z.boolean(),
  /** The one interface to listen on; never all of them. */
  address: ipv4.nullable(),
  /** 0 picks a free port. */
  port: z.number().int().min(0).max(65535),
});
export type LanConfig = z.infer<typeof lanConfigSchema>;

export const defaultLanConfig: LanConfig = { isEnabled: false, address: null, port: 17655 };

export const lanStateSchema = z.object({
  config: lanConfigSchema,
  /** Listening now (enabled and bound). */
  isListening: z.boolean(),
  /** The panel's base address phones open, while listening. */
  url: z.string().nullable(),
  interfaces: z.array(lanInterfaceSchema),
  /** Why it is not listening although enabled (a coded error), if it is not. */
  errorCode: z.string().nullable(),
});
export type LanState = z.infer<typeof lanStateSchema>;

export const pairingSchema = z.object({
  /** The address the QR code holds (the one-time code rides in its #fragment). */
  url: z.string(),
  /** The QR code of `url`, as an SVG document. */
  qrSvg: z.string(),
  role: deviceRoleSchema,
  name: z.string(),
  expiresAt: z.number().int(),
});
/** A pairing offer shown in the studio; one use, two minutes. */
export type Pairing = z.infer<typeof pairingSchema>;

export const lanRequests = {
  'lan:state': request(z.void(), lanStateSchema),
  'lan:configure': request(lanConfigSchema.partial().strict(), lanStateSchema),
  'lan:pair-start': request(z.object({ role: deviceRoleSchema, name: deviceName.optional() }), pairingSchema),
  'lan:devices': request(z.void(), z.array(pairedDeviceSchema)),
  'lan:device-rename': request(z.object({ id: z.string().min(1).max(64), name: deviceName }), pairedDeviceSchema),
  'lan:device-revoke': request(z.object({ id: z.string().min(1).max(64) }), z.void()),
} as const;

export const lanEvents = {
  'lan:state-changed': lanStateSchema,
  /** Paired, renamed, revoked, connected or disconnected. */
  'lan:devices-changed': z.array(pairedDeviceSchema),
} as const;

export const lanErrorCodes = [
  'lan/not-listening',
  'lan/address-unavailable',
  'lan/port-in-use',
  'lan/device-not-found',
  'lan/pair-code-invalid',
  'lan/unauthorized',
  'lan/forbidden',
  'lan/rate-limited',
  'lan/bad-origin',
  'lan/message-too-large',
  'lan/stale-action',
] as const;
