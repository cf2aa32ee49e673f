import { z } from 'zod';

import { request } from './define';

// The 'obs' domain of the API contract: drive OBS Studio over obs-websocket v5.
// Requests are named 'obs:verb'. Secrets (OBS password, stream key) go in and never come out:
// the state only says whether one is saved (`hasPassword`, `hasKey`).

/** Where the studio's connection to OBS stands. 'reconnecting' = lost, retrying by itself. */
export const obsConnectionStatusSchema = z.enum(['disconnected', 'connecting', 'connected', 'reconnecting']);
export type ObsConnectionStatus = z.infer<typeof obsConnectionStatusSchema>;

/** An OBS output (stream, record, virtual camera) as the studio shows it. */
export const obsOutputStateSchema = z.enum(['stopped', 'starting', 'started', 'stopping', 'reconnecting', 'paused']);
export type ObsOutputState = z.infer<typeof obsOutputStateSchema>;

export const obsErrorCodes = [
  /** Wrong or missing OBS WebSocket password (close code 4009). */
  'obs/auth-failed',
  /** Nothing answers at host:port (ECONNREFUSED, unknown host). */
  'obs/unreachable',
  /** Something answers, but not obs-websocket v5 (old OBS, other server, RPC version). */
  'obs/protocol-mismatch',
  /** A request while the studio is not connected to OBS: fails at once. */
  'obs/not-connected',
  /** OBS did not answer in time. */
  'obs/timeout',
  /** The connection closed while the request was in flight. */
  'obs/closed',
  /** OBS has no virtual camera here (no driver / v4l2loopback; code 604). */
  'obs/virtualcam-unavailable',
  /** No such scene, input or source (code 600). */
  'obs/not-found',
  /** A scene or source of that name already exists (601). */
  'obs/already-exists',
  /** This OBS version lacks the request (204): update OBS. */
  'obs/unsupported',
  /** OBS refused the request's data (300–404). */
  'obs/invalid-request',
  /** The output is already running (500). */
  'obs/output-running',
  /** The output is not running (501). */
  'obs/output-not-running',
  /** OBS is busy: not ready, or the output is disabled (207, 504). */
  'obs/busy',
  /** The action needs studio mode on or off (505, 506). */
  'obs/studio-mode',
  /** OBS cannot act on this resource in its current state (602–607). */
  'obs/invalid-state',
  /** OBS tried and failed (205, 700–703). */
  'obs/failed',
  /** Going live failed: OBS could not reach the stream server (wrong server or key). */
  'obs/stream-failed',
  /** Recording did not start (disk, encoder). */
  'obs/record-failed',
  /** OBS offers no window or screen capture on this system. */
  'obs/capture-unavailable',
  /** The stream destination cannot change while live. */
  'obs/busy-live',
  /** Any other OBS answer; `detail` has the code. */
  'obs/unknown',
  /** The first-run guide found no OBS answering on this PC. */
  'obs/local-not-running',
  /** OBS runs, but its WebSocket server is switched off in its settings. */
  'obs/websocket-disabled',
  /** OBS asks for a password and none is in its config file on this PC (or the user said no). */
  'obs/local-no-password',
] as const;
export type ObsErrorCode = (typeof obsErrorCodes)[number];

/** Warnings for the operator, computed from OBS stats. */
export const obsWarningSchema = z.object({
  code: z.enum(['frames-dropped', 'render-lag', 'encoder-overloaded', 'disk-low']),
  /** Numbers for the sentence: frames in the last window, MB free. */
  params: z.record(z.string(), z.number()).optional(),
});
export type ObsWarning = z.infer<typeof obsWarningSchema>;

export const obsStatsSchema = z.object({
  /** Frames per second OBS renders now. */
  fps: z.number(),
  /** OBS's own CPU use, percent. */
  cpu: z.number(),
  memoryMb: z.number(),
  /** Frames skipped by the renderer (GPU/CPU too slow), since OBS started. */
  renderSkipped: z.number(),
  renderTotal: z.number(),
  /** Frames skipped by the encoder (encoder overloaded), since OBS started. */
  outputSkipped: z.number(),
  outputTotal: z.number(),
  /** Frames dropped by the network while streaming (this stream session). */
  dropped: z.number(),
  /** Free space on the recording disk, MB. */
  diskFreeMb: z.number(),
  /** Stream bitrate over the last poll, kbit/s; 0 when not live. */
  bitrateKbps: z.number(),
});
export type ObsStats = z.infer<typeof obsStatsSchema>;

export const obsStateSchema = z.object({
  connection: z.object({
    status: obsConnectionStatusSchema,
    host: z.string(),
    port: z.number().int(),
    hasPassword: z.boolean(),
    /** The last connection error, kept while reconnecting so the UI can say why. */
    lastError: z.enum(obsErrorCodes).nullable(),
    /** Reconnect tries since the connection was lost. */
    attempt: z.number().int(),
  }),
  obsVersion: z.string().nullable(),
  websocketVersion: z.string().nullable(),
  /** 'windows' | 'macos' | 'linux' as OBS reports it. */
  platform: z.string().nullable(),
  /** What this OBS offers, from GetVersion.availableRequests (OBS 29 vs 30+). */
  features: z.object({
    virtualCam: z.boolean(),
    recordDirectory: z.boolean(),
    studioMode: z.boolean(),
  }),
  /** Scenes in OBS's on-screen order (top first). */
  scenes: z.array(z.string()),
  programScene: z.string().nullable(),
  /** The preview scene; only in studio mode. */
  previewScene: z.string().nullable(),
  studioMode: z.boolean(),
  stream: z.object({
    state: obsOutputStateSchema,
    /** hh:mm:ss.mmm live for, when live. */
    timecode: z.string().nullable(),
    destination: z.object({ server: z.string().nullable(), hasKey: z.boolean() }),
  }),
  record: z.object({ state: obsOutputStateSchema, lastFile: z.string().nullable() }),
  virtualCam: z.object({ state: obsOutputStateSchema, available: z.boolean() }),
  stats: obsStatsSchema.nullable(),
  warnings: z.array(obsWarningSchema),
});
/** The studio's mirror of OBS, pushed whole on every change. */
export type ObsState = z.infer<typeof obsStateSchema>;

export const provisionReportSchema = z.object({
  /** The capture input shared by every provisioned scene. */
  inputName: z.string(),
  inputKind: z.string(),
  scenesCreated: z.array(z.string()),
  scenesKept: z.array(z.string()),
  /** Scenes the capture was added to in this run. */
  capturesAdded: z.array(z.string()),
  /** Scene items (re)fitted to the canvas in this run. */
  itemsFitted: z.array(z.string()),
  inputCreated: z.boolean(),
  /** True when this run changed nothing in OBS. */
  isUnchanged: z.boolean(),
});
/** What 'Set up OBS for Harvest Studio' did. */
export type ProvisionReport = z.infer<typeof provisionReportSchema>;

/** The window title of the studio's program output; OBS window capture looks for it. */
export const obsProgramWindowTitle = 'Harvest Studio 节目画面';
/** The scene "set up OBS" makes on a fresh studio that has no presets yet. */
export const obsDefaultSceneName = 'Harvest Studio 节目';
/** Name of the capture input provisioning creates in OBS. */
export const obsCaptureInputName = 'Harvest Studio 节目画面';

const sceneNameSchema = z.string().trim().min(1).max(200);
const sourceNameSchema = z.string().trim().min(1).max(200);

export const obsConnectInputSchema = z.object({
  host: z.string().trim().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  /** Omitted: keep the saved password. '' clears it (OBS without auth). */
  password: z.string().max(512).optional(),
});

export const obsStreamDestinationInputSchema = z.object({
  server: z
    .string()
    .trim()
    .regex(/^rtmps?:\/\/[^\s]+$/i, 'rtmp:// or rtmps:// URL'),
  /** Omitted: keep the saved key. */
  key: z.string().max(1024).optional(),
});

/** What the first-run guide found of the OBS on this PC; never the password itself. */
export const localObsFindingSchema = z.object({
  isRunning: z.boolean(),
  host: z.literal('127.0.0.1'),
  port: z.number().int(),
  configFile: z.string().nullable(),
  configFormat: z.enum(['30+', '28-29']).nullable(),
  isServerDisabled: z.boolean(),
  isAuthRequired: z.boolean().nullable(),
  hasPassword: z.boolean(),
});
export type LocalObsFinding = z.infer<typeof localObsFindingSchema>;

export const obsRequests = {
  /** Looks for OBS on this PC: its config folder (per OS) and 127.0.0.1 at the port it names, or 4455. */
  'obs:find-local': request(z.void(), localObsFindingSchema),
  /**
   * Connects to the local OBS. With `readPassword` (the user said yes) the obs-websocket password
   * is read from OBS's own config file on this PC and saved as a secret; it never reaches the UI.
   */
  'obs:connect-local': request(z.object({ readPassword: z.boolean() }), obsStateSchema),
  /** The whole mirrored state (also pushed as 'obs:state-changed'). */
  'obs:get-state': request(z.void(), obsStateSchema),
  /** Saves host/port (and password, as a secret) and connects. */
  'obs:connect': request(obsConnectInputSchema, obsStateSchema),
  /** Disconnects and stops reconnecting; the studio will not connect at start until 'obs:connect'. */
  'obs:disconnect': request(z.void(), obsStateSchema),
  /** Puts a scene on program (or on preview in studio mode with target 'preview'). */
  'obs:switch-scene': request(
    z.object({ sceneName: sceneNameSchema, target: z.enum(['program', 'preview']).default('program') }),
    z.void(),
  ),
  /** Studio mode: takes preview to program with the current transition. */
  'obs:transition': request(z.void(), z.void()),
  /** Resolves once the stream is up; rejects with obs/stream-failed when OBS could not connect. */
  'obs:stream-start': request(z.void(), z.void()),
  'obs:stream-stop': request(z.void(), z.void()),
  'obs:record-start': request(z.void(), z.void()),
  /** Resolves with the file OBS wrote. */
  'obs:record-stop': request(z.void(), z.object({ file: z.string().nullable() })),
  'obs:virtualcam-start': request(z.void(), z.void()),
  'obs:virtualcam-stop': request(z.void(), z.void()),
  /** Custom RTMP server + stream key (kept as a secret) for OBS's stream output. */
  'obs:set-stream-destination': request(
    obsStreamDestinationInputSchema,
    z.object({ server: z.string(), hasKey: z.boolean() }),
  ),
  /** Sets the text of a text source (product name, price). */
  'obs:set-text': request(z.object({ inputName: sourceNameSchema, text: z.string().max(10_000) }), z.void()),
  /** Sets the file of an image source. */
  'obs:set-image': request(z.object({ inputName: sourceNameSchema, file: z.string().min(1).max(4096) }), z.void()),
  /** Creates or updates, idempotently, the scenes the studio's presets need. */
  'obs:provision': request(z.object({ sceneNames: z.array(sceneNameSchema).min(1).max(50) }), provisionReportSchema),
} as const;

export const obsEvents = {
  /** The whole mirrored OBS state, after any change. */
  'obs:state-changed': obsStateSchema,
} as const;
