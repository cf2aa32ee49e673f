import { OBSWebSocketError } from 'obs-websocket-js';
import { describe, expect, it } from 'vitest';

import { obsErrorCodes } from '../../../shared/api/obs';
import { StudioError } from '../../../shared/api/result';
import { toObsError } from './errors';

const obsError = (code: number, message = '') => new OBSWebSocketError(code, message);

describe('toObsError', () => {
  it.each([
    // What obs-websocket-js 5.0.8 rejects with, as measured against OBS 29 (../shared/obs/README.md).
    [obsError(4009, 'Authentication failed.'), undefined, 'obs/auth-failed'],
    [obsError(4009, 'Your payload is missing an `authentication` string'), undefined, 'obs/auth-failed'],
    [obsError(-1, 'connect ECONNREFUSED 127.0.0.1:4455'), undefined, 'obs/unreachable'],
    [obsError(-1, 'getaddrinfo ENOTFOUND obs.invalid'), undefined, 'obs/unreachable'],
    [obsError(-1, 'Server sent no subprotocol'), undefined, 'obs/protocol-mismatch'],
    [obsError(-1, 'Unexpected server response: 200'), undefined, 'obs/protocol-mismatch'],
    [obsError(4010, 'RPC version not supported'), undefined, 'obs/protocol-mismatch'],
    [obsError(1006, ''), undefined, 'obs/closed'],
    [obsError(1000, ''), undefined, 'obs/closed'],
    [new Error('Not connected'), 'GetVersion', 'obs/not-connected'],
    [obsError(204, 'Your request type is not valid.'), 'SetRecordDirectory', 'obs/unsupported'],
    [obsError(300, 'missing field'), 'SetInputSettings', 'obs/invalid-request'],
    [obsError(402, 'out of range'), 'SetSceneItemTransform', 'obs/invalid-request'],
    [obsError(500, 'running'), 'StartStream', 'obs/output-running'],
    [obsError(501, 'not running'), 'StopRecord', 'obs/output-not-running'],
    [obsError(504, 'disabled'), 'StartReplayBuffer', 'obs/busy'],
    [obsError(207, 'not ready'), 'GetSceneList', 'obs/busy'],
    [obsError(506, 'studio mode off'), 'SetCurrentPreviewScene', 'obs/studio-mode'],
    [obsError(600, 'No source was found'), 'SetInputSettings', 'obs/not-found'],
    [obsError(601, 'exists'), 'CreateScene', 'obs/already-exists'],
    [obsError(604, 'VirtualCam is not available.'), 'StartVirtualCam', 'obs/virtualcam-unavailable'],
    [obsError(604, 'VirtualCam is not available.'), 'GetVirtualCamStatus', 'obs/virtualcam-unavailable'],
    [obsError(604, 'invalid state'), 'SetInputSettings', 'obs/invalid-state'],
    [obsError(605, 'bad kind'), 'CreateInput', 'obs/invalid-state'],
    [obsError(702, 'failed'), 'SaveSourceScreenshot', 'obs/failed'],
    [obsError(205, 'generic'), 'CreateInput', 'obs/failed'],
    [obsError(999, 'future'), 'Anything', 'obs/unknown'],
    ['a string', undefined, 'obs/unknown'],
  ] as const)('maps %o (%s) to %s', (error, requestType, code) => {
    const mapped = toObsError(error, requestType);
    expect(mapped).toBeInstanceOf(StudioError);
    expect(mapped.code).toBe(code);
    expect(obsErrorCodes).toContain(mapped.code);
    expect(mapped.message).not.toBe('');
  });

  it('keeps the OBS code for support without putting secrets in the message', () => {
    const mapped = toObsError(obsError(600, 'No source was found by the name of `价格`.'), 'SetInputSettings');
    expect(mapped.params).toEqual({ obsCode: 600 });
    expect(mapped.detail).toContain('600');
  });

  it('passes a StudioError through unchanged', () => {
    const original = new StudioError('obs/timeout', 'late');
    expect(toObsError(original)).toBe(original);
  });
});
