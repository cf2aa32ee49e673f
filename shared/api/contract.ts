import type { z } from 'zod';

import { appErrorCodes, appEvents, appRequests } from './app';
import { assetsErrorCodes, assetsEvents, assetsRequests } from './assets';
import { centreErrorCodes, centreEvents, centreRequests } from './centre';
import { compositorErrorCodes } from './compositor';
import type { RequestSpec } from './define';
import { lanErrorCodes, lanEvents, lanRequests } from './lan';
import { obsErrorCodes, obsEvents, obsRequests } from './obs';
import { salesErrorCodes, salesEvents, salesRequests } from './sales';
import { showErrorCodes, showEvents, showRequests } from './show';

/**
 * The one API contract between the UI and the services. Both transports (Electron IPC,
 * the studio host's WebSocket) are derived from these maps; every payload is parsed
 * with its schema on the receiving side.
 */
export const requests = {
  ...appRequests,
  ...obsRequests,
  ...salesRequests,
  ...assetsRequests,
  ...showRequests,
  ...lanRequests,
  ...centreRequests,
} as const satisfies Record<string, RequestSpec>;

/** Events pushed from the services to every window. */
export const events = {
  ...appEvents,
  ...obsEvents,
  ...salesEvents,
  ...assetsEvents,
  ...showEvents,
  ...lanEvents,
  ...centreEvents,
} as const satisfies Record<string, z.ZodType>;

export const errorCodes = [
  ...appErrorCodes,
  ...obsErrorCodes,
  ...salesErrorCodes,
  ...assetsErrorCodes,
  ...showErrorCodes,
  ...lanErrorCodes,
  ...compositorErrorCodes,
  ...centreErrorCodes,
] as const;

export type Requests = typeof requests;
export type RequestName = keyof Requests;
/** What a caller passes (before zod defaults/transforms). */
export type RequestInput<K extends RequestName> = z.input<Requests[K]['input']>;
/** What a handler receives (after parsing). */
export type ParsedInput<K extends RequestName> = z.output<Requests[K]['input']>;
export type RequestOutput<K extends RequestName> = z.output<Requests[K]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;
/** Every error code of the catalogue: what `StudioError.code` may be. */
export type ErrorCode = (typeof errorCodes)[number];

export function isRequestName(name: string): name is RequestName {
  return Object.hasOwn(requests, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
