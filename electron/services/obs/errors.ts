import type { ObsErrorCode } from '../../../shared/api/obs';
import { StudioError } from '../../../shared/api/result';

/**
 * obs-websocket close codes (WebSocketCloseCode) and request status codes (RequestStatus) that
 * we tell apart. The rest fall into broad groups by their hundreds.
 */
const closeCode = {
  messageDecodeError: 4002,
  unknownOpCode: 4006,
  authenticationFailed: 4009,
  unsupportedRpcVersion: 4010,
} as const;

const statusGroups: ReadonlyArray<{ match: (code: number) => boolean; code: ObsErrorCode; message: string }> = [
  { match: (c) => c === 204 || c === 206, code: 'obs/unsupported', message: 'This OBS version does not support that.' },
  { match: (c) => c === 207 || c === 504, code: 'obs/busy', message: 'OBS is not ready for that right now.' },
  { match: (c) => c === 205 || (c >= 700 && c < 800), code: 'obs/failed', message: 'OBS could not do that.' },
  { match: (c) => c >= 203 && c < 500, code: 'obs/invalid-request', message: 'OBS refused the request.' },
  { match: (c) => c === 500, code: 'obs/output-running', message: 'That OBS output is already running.' },
  { match: (c) => c === 501, code: 'obs/output-not-running', message: 'That OBS output is not running.' },
  {
    match: (c) => c === 505 || c === 506,
    code: 'obs/studio-mode',
    message: 'That needs OBS studio mode switched the other way.',
  },
  { match: (c) => c === 600, code: 'obs/not-found', message: 'OBS has no scene or source of that name.' },
  { match: (c) => c === 601, code: 'obs/already-exists', message: 'OBS already has a scene or source of that name.' },
  { match: (c) => c >= 500 && c < 700, code: 'obs/invalid-state', message: 'OBS cannot do that in its current state.' },
];

const virtualCamRequests = new Set(['GetVirtualCamStatus', 'StartVirtualCam', 'StopVirtualCam', 'ToggleVirtualCam']);

function errorFields(error: unknown): { code: number | undefined; message: string } {
  if (typeof error === 'object' && error !== null) {
    const e = error as { code?: unknown; message?: unknown };
    return {
      code: typeof e.code === 'number' ? e.code : undefined,
      message: typeof e.message === 'string' ? e.message : String(error),
    };
  }
  return { code: undefined, message: String(error) };
}

/**
 * Turns what obs-websocket-js throws (OBSWebSocketError with a close or request status code, or a
 * plain Error) into a coded StudioError. `requestType` lets 604 on the virtual camera say so.
 */
export function toObsError(error: unknown, requestType?: string): StudioError {
  if (error instanceof StudioError) return error;
  const { code, message } = errorFields(error);
  const detail = code === undefined ? message : `${code}: ${message}`.slice(0, 500);
  const make = (c: ObsErrorCode, sentence: string) =>
    new StudioError(c, sentence, { detail, params: code === undefined ? {} : { obsCode: code }, cause: error });

  if (code === closeCode.authenticationFailed) {
    return make('obs/auth-failed', 'OBS rejected the password.');
  }
  if (
    code === closeCode.unsupportedRpcVersion ||
    code === closeCode.messageDecodeError ||
    code === closeCode.unknownOpCode ||
    /subprotocol|Unexpected server response|Invalid WebSocket frame/i.test(message)
  ) {
    return make('obs/protocol-mismatch', 'That is not OBS with obs-websocket 5 (update OBS to 28 or newer).');
  }
  if (code === -1 || /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ECONNRESET/.test(message)) {
    return make('obs/unreachable', 'Nothing answers at that address: is OBS running with WebSocket on?');
  }
  if (code === 604 && requestType !== undefined && virtualCamRequests.has(requestType)) {
    return make('obs/virtualcam-unavailable', 'OBS has no virtual camera on this computer.');
  }
  if (code !== undefined && code >= 1000 && code < 5000) {
    return make('obs/closed', 'The connection to OBS closed.');
  }
  if (message === 'Not connected' || message === 'Socket not identified') {
    return make('obs/not-connected', 'The studio is not connected to OBS.');
  }
  if (code !== undefined) {
    const group = statusGroups.find((g) => g.match(code));
    if (group !== undefined) return make(group.code, group.message);
  }
  return make('obs/unknown', 'OBS answered with an error the studio does not know.');
}

/** A coded error for a request made while not connected; fails fast instead of waiting. */
export function notConnectedError(): StudioError {
  return new StudioError('obs/not-connected', 'The studio is not connected to OBS.');
}
