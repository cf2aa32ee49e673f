import type {
  OBSEventTypes,
  OBSRequestTypes,
  OBSResponseTypes,
  RequestBatchOptions,
  RequestBatchRequest,
  ResponseMessage,
} from 'obs-websocket-js';
import OBSWebSocket, { EventSubscription } from 'obs-websocket-js';

import type { ObsErrorCode, ObsOutputState, ObsState, ObsStats, ProvisionReport } from '../../../shared/api/obs';
import { StudioError } from '../../../shared/api/result';
import type { Logger } from '../logger';
import type { ObsConnectionStore } from './connection-store';
import { notConnectedError, toObsError } from './errors';
import { provisionScenes } from './provision';
import type { WarningThresholds } from './state';
import {
  bitrateKbps,
  defaultWarningThresholds,
  initialObsState,
  outputStateFrom,
  outputStateOf,
  reconciledOutputState,
  scenesInScreenOrder,
  WarningTracker,
} from './state';

/** Tunables; the defaults suit a live show, tests shorten them. */
export interface ObsServiceOptions {
  /** Every request rejects with obs/timeout after this long. */
  callTimeoutMs: number;
  /** Opening the socket and identifying. */
  connectTimeoutMs: number;
  /** Reconnect backoff: first delay, doubled per try, capped. */
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  statsIntervalMs: number;
  /** How long a start/stop request waits for OBS to report the output started/stopped. */
  outputSettleMs: number;
  warnings: WarningThresholds;
}

export const defaultObsServiceOptions: ObsServiceOptions = {
  callTimeoutMs: 10_000,
  connectTimeoutMs: 5_000,
  reconnectInitialMs: 100,
  reconnectMaxMs: 5_000,
  statsIntervalMs: 2_000,
  outputSettleMs: 30_000,
  warnings: defaultWarningThresholds,
};

type OutputKind = 'stream' | 'record' | 'virtualCam';

const statusRequests = {
  stream: 'GetStreamStatus',
  record: 'GetRecordStatus',
  virtualCam: 'GetVirtualCamStatus',
} as const satisfies Record<OutputKind, keyof OBSResponseTypes>;
/**
 * How often, and how long at most, a start waits for OBS to stop calling the last output active,
 * and how old a resync's "running" read must be before a start trusts it (see untilOutputIdle).
 */
const inactivePollMs = 20;
const inactiveWaitMs = 5_000;
const readSettleMs = 1_000;
type StateListener = (state: ObsState) => void;

interface PendingCall {
  reject(error: StudioError): void;
}

/** Connect failures that retrying cannot fix: stop and tell the user. */
const fatalConnectErrors: ReadonlySet<string> = new Set<ObsErrorCode>(['obs/auth-failed', 'obs/protocol-mismatch']);

/**
 * Closes a client without waiting long: disconnect() awaits the close handshake, which a frozen
 * OBS never completes (ws then gives up on its own after 30 s).
 */
async function closeClient(client: OBSWebSocket, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.disconnect(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 1000);
      }),
    ]);
  } catch (error) {
    logger.debug('disconnect failed', { error: String(error) });
  } finally {
    clearTimeout(timer);
  }
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * The studio's one connection to OBS Studio (obs-websocket v5). Owns the socket's lifecycle,
 * mirrors OBS's state, and turns every failure into a coded error. obs-websocket-js leaves
 * in-flight calls hanging when the socket closes; here every call has a timeout and pending calls
 * reject with obs/closed. A lost connection is retried with backoff until the user disconnects.
 */
export class ObsService {
  private readonly options: ObsServiceOptions;
  private state: ObsState;
  private readonly listeners = new Set<StateListener>();
  private readonly pending = new Set<PendingCall>();
  private readonly warnings: WarningTracker;
  /** The identified client; undefined while not connected. */
  private client: OBSWebSocket | undefined;
  /** Bumped by every connect attempt, loss and disconnect; stale async work compares it. */
  private generation = 0;
  /** The user wants a connection: reconnect after a loss. */
  private wantConnected = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private isPollingStats = false;
  private lastStreamBytes: { bytes: number; at: number } | undefined;
  /** State events seen per output: a status read while one arrived is older than the event. */
  private readonly outputEvents: Record<OutputKind, number> = { stream: 0, record: 0, virtualCam: 0 };
  /**
   * When a resync found an output running, until its next state event: that read may have come in
   * OBS's stop moment (see `untilOutputIdle`), so a start asks again until it is `readSettleMs` old.
   */
  private readonly runningReadAt: Record<OutputKind, number | undefined> = {
    stream: undefined,
    record: undefined,
    virtualCam: undefined,
  };
  private provisioning: Promise<unknown> = Promise.resolve();
  /** Set while disconnected; applied on the next connect. */
  private hasPendingDestination = false;

  constructor(
    private readonly store: ObsConnectionStore,
    private readonly logger: Logger,
    options: Partial<ObsServiceOptions> = {},
  ) {
    this.options = { ...defaultObsServiceOptions, ...options };
    this.warnings = new WarningTracker(this.options.warnings);
    const saved = store.get();
    this.state = initialObsState(saved.host, saved.port, store.hasPassword());
    this.state.stream.destination = { server: saved.streamServer, hasKey: store.hasStreamKey() };
  }

  // ---- state ---------------------------------------------------------------------------------

  /** The mirrored OBS state (a copy). */
  getState(): ObsState {
    return structuredClone(this.state);
  }

  /** True when identified with OBS and in sync. */
  isConnected(): boolean {
    return this.state.connection.status === 'connected' && this.client !== undefined;
  }

  /** Calls `listener` with the whole state after every change; returns the unsubscribe function. */
  onStateChange(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private update(mutate: (draft: ObsState) => void): void {
    mutate(this.state);
    if (this.listeners.size === 0) return;
    const snapshot = this.getState();
    for (const listener of this.listeners) {
      try {
        listener(snapshot);
      } catch (error) {
        this.logger.error('obs state listener failed', { error: String(error) });
      }
    }
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /** Connects if the user connected before (saved and not disconnected); retries in the background. */
  start(): void {
    const saved = this.store.get();
    if (!this.store.hasSaved() || !saved.autoConnect) return;
    this.wantConnected = true;
    const gen = ++this.generation;
    this.update((s) => {
      s.connection.status = 'connecting';
      s.connection.attempt = 0;
    });
    void this.attempt(gen).catch((error: unknown) => this.onAttemptFailed(gen, error));
  }

  /**
   * Saves host/port (and the password, as a secret, when given) and connects once. Rejects with
   * obs/auth-failed, obs/unreachable, obs/protocol-mismatch or obs/timeout; a later loss of the
   * connection is retried by itself.
   */
  async connect(input: { host: string; port: number; password?: string | undefined }): Promise<ObsState> {
    this.store.update({ host: input.host, port: input.port, autoConnect: true });
    if (input.password !== undefined) this.store.setPassword(input.password);
    await this.teardown();
    this.wantConnected = true;
    const gen = ++this.generation;
    this.update((s) => {
      s.connection = {
        status: 'connecting',
        host: input.host,
        port: input.port,
        hasPassword: this.store.hasPassword(),
        lastError: null,
        attempt: 0,
      };
    });
    try {
      await this.attempt(gen);
    } catch (error) {
      const studioError = toObsError(error);
      if (gen === this.generation) {
        this.wantConnected = false;
        this.update((s) => {
          s.connection.status = 'disconnected';
          s.connection.lastError = studioError.code as ObsErrorCode;
        });
      }
      throw studioError;
    }
    return this.getState();
  }

  /** Disconnects and stops reconnecting; start-up will not connect until the next connect(). */
  async disconnect(): Promise<ObsState> {
    if (this.store.hasSaved()) this.store.update({ autoConnect: false });
    await this.teardown();
    this.update((s) => {
      s.connection.status = 'disconnected';
      s.connection.lastError = null;
      s.connection.attempt = 0;
      s.stats = null;
      s.warnings = [];
    });
    return this.getState();
  }

  /** Closes the connection and clears every timer; the saved settings stay as they are. */
  async close(): Promise<void> {
    await this.teardown();
    this.listeners.clear();
  }

  private async teardown(): Promise<void> {
    this.wantConnected = false;
    this.generation++;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.stopStats();
    const client = this.client;
    this.client = undefined;
    this.rejectPending(new StudioError('obs/closed', 'The connection to OBS was closed by the studio.'));
    if (client !== undefined) await closeClient(client, this.logger);
  }

  /** One connection attempt: open, identify, resync, then mark connected. */
  private async attempt(gen: number): Promise<void> {
    const { host, port } = this.store.get();
    const url = `ws://${hostForUrl(host)}:${port}`;
    const client = new OBSWebSocket();
    this.listen(client);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.connect(url, this.store.password(), {
          // Everything but the high-volume ones (volume meters, item transforms).
          eventSubscriptions: EventSubscription.All,
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new StudioError('obs/timeout', 'OBS did not answer the connection in time.')),
            this.options.connectTimeoutMs,
          );
        }),
      ]);
    } catch (error) {
      client.removeAllListeners();
      await closeClient(client, this.logger);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    if (gen !== this.generation) {
      client.removeAllListeners();
      await closeClient(client, this.logger);
      throw new StudioError('obs/closed', 'A newer connection attempt replaced this one.');
    }
    this.client = client;
    try {
      await this.resync(client, gen);
      if (gen !== this.generation) throw new StudioError('obs/closed', 'The connection closed during resync.');
    } catch (error) {
      // Identified but not in sync: drop this socket; the caller retries from scratch.
      if (this.client === client) this.client = undefined;
      client.removeAllListeners();
      await closeClient(client, this.logger);
      throw error;
    }
    this.update((s) => {
      s.connection.status = 'connected';
      s.connection.lastError = null;
      s.connection.attempt = 0;
    });
    this.logger.info('connected to OBS', { host, port, obs: this.state.obsVersion });
    this.startStats();
    if (this.hasPendingDestination) {
      await this.applyStreamDestination().catch((error: unknown) =>
        this.logger.warn('could not apply the stream destination', { code: toObsError(error).code }),
      );
    }
  }

  private onAttemptFailed(gen: number, error: unknown): void {
    if (gen !== this.generation) return; // superseded by a disconnect, connect or loss
    const studioError = toObsError(error);
    if (fatalConnectErrors.has(studioError.code) || !this.wantConnected) {
      this.wantConnected = false;
      this.update((s) => {
        s.connection.status = 'disconnected';
        s.connection.lastError = studioError.code as ObsErrorCode;
      });
      this.logger.warn('gave up connecting to OBS', { code: studioError.code });
      return;
    }
    this.update((s) => {
      s.connection.status = 'reconnecting';
      s.connection.lastError = studioError.code as ObsErrorCode;
    });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (!this.wantConnected) return;
    clearTimeout(this.reconnectTimer);
    const { reconnectInitialMs, reconnectMaxMs } = this.options;
    const delay = Math.min(reconnectMaxMs, reconnectInitialMs * 2 ** Math.min(this.state.connection.attempt, 20));
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      const gen = ++this.generation;
      this.update((s) => {
        s.connection.attempt += 1;
      });
      void this.attempt(gen).catch((error: unknown) => this.onAttemptFailed(gen, error));
    }, delay);
  }

  /** The socket of the current client closed without us asking. */
  private onConnectionLost(client: OBSWebSocket, code: number): void {
    if (client !== this.client) return;
    this.client = undefined;
    this.generation++;
    client.removeAllListeners();
    this.stopStats();
    this.rejectPending(new StudioError('obs/closed', 'The connection to OBS closed.', { detail: `close ${code}` }));
    this.logger.warn('lost the connection to OBS', { code });
    this.update((s) => {
      s.connection.status = this.wantConnected ? 'reconnecting' : 'disconnected';
      s.connection.lastError = 'obs/closed';
      s.connection.attempt = 0;
      s.stats = null;
    });
    this.scheduleReconnect();
  }

  // ---- calls ---------------------------------------------------------------------------------

  /** Races a request against the call timeout and the connection closing. */
  private track<T>(promise: Promise<T>, requestType: string, timeoutMs = this.options.callTimeoutMs): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: PendingCall = {
        reject: (error) => {
          clearTimeout(timer);
          this.pending.delete(entry);
          reject(error);
        },
      };
      const timer = setTimeout(
        () =>
          entry.reject(
            new StudioError('obs/timeout', `OBS did not answer ${requestType} in time.`, {
              params: { ms: timeoutMs },
            }),
          ),
        timeoutMs,
      );
      this.pending.add(entry);
      promise.then(
        (value) => {
          clearTimeout(timer);
          this.pending.delete(entry);
          resolve(value);
        },
        (error: unknown) => entry.reject(toObsError(error, requestType)),
      );
    });
  }

  private rejectPending(error: StudioError): void {
    for (const entry of [...this.pending]) entry.reject(error);
  }

  private callOn<T extends keyof OBSRequestTypes>(
    client: OBSWebSocket,
    requestType: T,
    requestData?: OBSRequestTypes[T],
  ): Promise<OBSResponseTypes[T]> {
    return this.track(client.call(requestType, requestData), requestType);
  }

  /** A typed obs-websocket request; fails fast with obs/not-connected while not connected. */
  call<T extends keyof OBSRequestTypes>(
    requestType: T,
    requestData?: OBSRequestTypes[T],
  ): Promise<OBSResponseTypes[T]> {
    const client = this.client;
    if (client === undefined || this.state.connection.status !== 'connected') {
      return Promise.reject(notConnectedError());
    }
    return this.callOn(client, requestType, requestData);
  }

  /** A batch of requests in one message; per-request failures are in each `requestStatus`. */
  callBatch(requests: RequestBatchRequest[], options?: RequestBatchOptions): Promise<ResponseMessage[]> {
    const client = this.client;
    if (client === undefined || this.state.connection.status !== 'connected') {
      return Promise.reject(notConnectedError());
    }
    return this.track(client.callBatch(requests, options), 'RequestBatch');
  }

  // ---- mirror --------------------------------------------------------------------------------

  private listen(client: OBSWebSocket): void {
    const on = <E extends keyof OBSEventTypes>(event: E, handler: (data: OBSEventTypes[E]) => void) => {
      // The emitter's typing of per-event args is awkward; the data is OBSEventTypes[E].
      (client.on as (event: string, fn: (data: OBSEventTypes[E]) => void) => void)(event, (data) => {
        if (client === this.client) handler(data);
      });
    };
    client.on('ConnectionClosed', (error) => this.onConnectionLost(client, error.code));
    on('CurrentProgramSceneChanged', ({ sceneName }) => this.update((s) => void (s.programScene = sceneName)));
    on('CurrentPreviewSceneChanged', ({ sceneName }) => this.update((s) => void (s.previewScene = sceneName)));
    on('StudioModeStateChanged', ({ studioModeEnabled }) => {
      this.update((s) => {
        s.studioMode = studioModeEnabled;
        if (!studioModeEnabled) s.previewScene = null;
      });
      if (studioModeEnabled) void this.refreshScenes();
    });
    on('SceneListChanged', ({ scenes }) => this.update((s) => void (s.scenes = scenesInScreenOrder(scenes))));
    on('SceneCreated', () => void this.refreshScenes());
    on('SceneRemoved', () => void this.refreshScenes());
    on('SceneNameChanged', () => void this.refreshScenes());
    on('StreamStateChanged', ({ outputActive, outputState }) => {
      this.outputEvents.stream++;
      this.runningReadAt.stream = undefined;
      this.update((s) => {
        s.stream.state = outputStateFrom(outputState, outputActive);
        if (!outputActive) s.stream.timecode = null;
      });
      if (!outputActive) this.lastStreamBytes = undefined;
    });
    on('RecordStateChanged', ({ outputActive, outputState, outputPath }) => {
      this.outputEvents.record++;
      this.runningReadAt.record = undefined;
      this.update((s) => {
        s.record.state = outputStateFrom(outputState, outputActive);
        if (typeof outputPath === 'string' && outputPath !== '') s.record.lastFile = outputPath;
      });
    });
    on('VirtualcamStateChanged', ({ outputActive, outputState }) => {
      this.outputEvents.virtualCam++;
      this.runningReadAt.virtualCam = undefined;
      this.update((s) => void (s.virtualCam.state = outputStateFrom(outputState, outputActive)));
    });
    on('CurrentSceneCollectionChanged', () => {
      const current = this.client;
      if (current !== undefined) void this.resync(current, this.generation).catch(() => undefined);
    });
  }

  private async refreshScenes(): Promise<void> {
    try {
      const list = await this.call('GetSceneList');
      this.update((s) => {
        s.scenes = scenesInScreenOrder(list.scenes);
        s.programScene = list.currentProgramSceneName || null;
        s.previewScene = s.studioMode ? list.currentPreviewSceneName || null : null;
      });
    } catch (error) {
      this.logger.debug('scene refresh failed', { code: toObsError(error).code });
    }
  }

  /** Reads everything the mirror holds from OBS, then publishes it as one change. */
  private async resync(client: OBSWebSocket, gen: number): Promise<void> {
    const eventsBefore = { ...this.outputEvents };
    const version = await this.callOn(client, 'GetVersion');
    const has = (request: string) => version.availableRequests.includes(request);
    const features = {
      virtualCam: has('GetVirtualCamStatus'),
      // OBS 30+ (obs-websocket 5.3+) can set the recording folder directly.
      recordDirectory: has('SetRecordDirectory'),
      studioMode: has('GetStudioModeEnabled'),
    };
    const optional = <T>(p: Promise<T>) =>
      p.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
    const [sceneList, studio, stream, record, virtualCam] = await Promise.all([
      this.callOn(client, 'GetSceneList'),
      features.studioMode ? this.callOn(client, 'GetStudioModeEnabled') : Promise.resolve({ studioModeEnabled: false }),
      this.callOn(client, 'GetStreamStatus'),
      this.callOn(client, 'GetRecordStatus'),
      features.virtualCam ? optional(this.callOn(client, 'GetVirtualCamStatus')) : Promise.resolve(undefined),
    ]);
    if (gen !== this.generation) return;
    const isVirtualCamAvailable = virtualCam !== undefined && 'value' in virtualCam;
    this.warnings.reset();
    this.lastStreamBytes = undefined;
    // An output whose state event came while these reads were in flight keeps the event's state.
    const isUnmoved = (kind: OutputKind) => this.outputEvents[kind] === eventsBefore[kind];
    const readAt = Date.now();
    const statuses = { stream, record, virtualCam: isVirtualCamAvailable ? virtualCam.value : undefined };
    for (const kind of ['stream', 'record', 'virtualCam'] as const) {
      if (isUnmoved(kind)) this.runningReadAt[kind] = statuses[kind]?.outputActive === true ? readAt : undefined;
    }
    this.update((s) => {
      s.obsVersion = version.obsVersion;
      s.websocketVersion = version.obsWebSocketVersion;
      s.platform = version.platform;
      s.features = features;
      s.scenes = scenesInScreenOrder(sceneList.scenes);
      s.programScene = sceneList.currentProgramSceneName || null;
      s.studioMode = studio.studioModeEnabled;
      s.previewScene = studio.studioModeEnabled ? sceneList.currentPreviewSceneName || null : null;
      if (isUnmoved('stream')) {
        s.stream.state = outputStateOf(stream);
        s.stream.timecode = stream.outputActive ? stream.outputTimecode : null;
      }
      if (isUnmoved('record')) s.record.state = outputStateOf(record);
      s.virtualCam.available = isVirtualCamAvailable;
      if (!isVirtualCamAvailable) s.virtualCam.state = 'stopped';
      else if (isUnmoved('virtualCam')) s.virtualCam.state = outputStateOf(virtualCam.value);
      s.warnings = [];
    });
  }

  private startStats(): void {
    this.stopStats();
    this.statsTimer = setInterval(() => void this.pollStats(), this.options.statsIntervalMs);
    this.statsTimer.unref();
    void this.pollStats();
  }

  private stopStats(): void {
    clearInterval(this.statsTimer);
    this.statsTimer = undefined;
  }

  /**
   * GetStats, GetStreamStatus and GetRecordStatus in one batch; a failed poll is skipped, the next
   * one tries again. The statuses also end a live or recording state that OBS no longer has.
   */
  private async pollStats(): Promise<void> {
    if (this.isPollingStats || !this.isConnected()) return;
    this.isPollingStats = true;
    const eventsBefore = { ...this.outputEvents };
    try {
      const [statsRes, streamRes, recordRes] = await this.callBatch([
        { requestType: 'GetStats' },
        { requestType: 'GetStreamStatus' },
        { requestType: 'GetRecordStatus' },
      ]);
      if (statsRes === undefined || !statsRes.requestStatus.result || !this.isConnected()) return;
      const raw = statsRes.responseData as OBSResponseTypes['GetStats'];
      const stream =
        streamRes?.requestStatus.result === true
          ? (streamRes.responseData as OBSResponseTypes['GetStreamStatus'])
          : undefined;
      const record =
        recordRes?.requestStatus.result === true
          ? (recordRes.responseData as OBSResponseTypes['GetRecordStatus'])
          : undefined;
      const isUnmoved = (kind: OutputKind) => this.outputEvents[kind] === eventsBefore[kind];
      const now = Date.now();
      let bitrate = 0;
      if (stream?.outputActive === true) {
        const before = this.lastStreamBytes;
        if (before !== undefined) bitrate = bitrateKbps(before.bytes, stream.outputBytes, now - before.at);
        this.lastStreamBytes = { bytes: stream.outputBytes, at: now };
      } else {
        this.lastStreamBytes = undefined;
      }
      const stats: ObsStats = {
        fps: Math.round(raw.activeFps * 10) / 10,
        cpu: Math.round(raw.cpuUsage * 10) / 10,
        memoryMb: Math.round(raw.memoryUsage),
        renderSkipped: raw.renderSkippedFrames,
        renderTotal: raw.renderTotalFrames,
        outputSkipped: raw.outputSkippedFrames,
        outputTotal: raw.outputTotalFrames,
        dropped: stream?.outputActive === true ? stream.outputSkippedFrames : 0,
        diskFreeMb: Math.round(raw.availableDiskSpace),
        bitrateKbps: bitrate,
      };
      const warnings = this.warnings.update(stats, now);
      this.update((s) => {
        s.stats = stats;
        s.warnings = warnings;
        if (stream !== undefined) {
          s.stream.timecode = stream.outputActive ? stream.outputTimecode : null;
          if (isUnmoved('stream')) s.stream.state = reconciledOutputState(s.stream.state, stream);
        }
        if (record !== undefined && isUnmoved('record')) {
          s.record.state = reconciledOutputState(s.record.state, record);
        }
      });
    } catch (error) {
      this.logger.debug('stats poll failed', { code: toObsError(error).code });
    } finally {
      this.isPollingStats = false;
    }
  }

  // ---- actions -------------------------------------------------------------------------------

  /** Puts a scene on program (with OBS's current transition). */
  async switchProgramScene(name: string): Promise<void> {
    await this.call('SetCurrentProgramScene', { sceneName: name });
  }

  /** Studio mode: puts a scene on preview. */
  async switchPreviewScene(name: string): Promise<void> {
    await this.call('SetCurrentPreviewScene', { sceneName: name });
  }

  /** Studio mode: preview to program with the current transition. */
  async transition(): Promise<void> {
    await this.call('TriggerStudioModeTransition');
  }

  /** Sets the text of a text source at once (product name, price). */
  async setText(inputName: string, text: string): Promise<void> {
    await this.call('SetInputSettings', { inputName, inputSettings: { text }, overlay: true });
  }

  /** Sets the file of an image source. */
  async setImage(inputName: string, file: string): Promise<void> {
    await this.call('SetInputSettings', { inputName, inputSettings: { file }, overlay: true });
  }

  /** Creates or updates the studio's scenes in OBS; see provisionScenes. One run at a time. */
  provision(sceneNames: string[]): Promise<ProvisionReport> {
    const run = this.provisioning.then(() =>
      provisionScenes((type, data) => this.call(type, data), sceneNames, this.state.platform),
    );
    this.provisioning = run.catch(() => undefined);
    return run;
  }

  async startStream(): Promise<void> {
    await this.startOutput('stream', 'StartStream', 'obs/stream-failed');
  }

  async stopStream(): Promise<void> {
    await this.stopOutput('stream', 'StopStream');
  }

  async startRecord(): Promise<void> {
    await this.startOutput('record', 'StartRecord', 'obs/record-failed');
  }

  /** Stops recording once OBS has closed the file; resolves with its path. */
  async stopRecord(): Promise<{ file: string | null }> {
    const response = await this.stopOutput('record', 'StopRecord');
    const file = (response as OBSResponseTypes['StopRecord'] | undefined)?.outputPath ?? this.state.record.lastFile;
    if (file !== null) this.update((s) => void (s.record.lastFile = file));
    return { file };
  }

  async startVirtualCam(): Promise<void> {
    if (this.isConnected() && !this.state.virtualCam.available) {
      throw new StudioError('obs/virtualcam-unavailable', 'OBS has no virtual camera on this computer.');
    }
    await this.startOutput('virtualCam', 'StartVirtualCam', 'obs/virtualcam-unavailable');
  }

  async stopVirtualCam(): Promise<void> {
    await this.stopOutput('virtualCam', 'StopVirtualCam');
  }

  /**
   * Waits until `kind` reaches one of `targets` after having left `from`; resolves with the state,
   * or undefined after `outputSettleMs`. Subscribed before the request, because OBS may send the
   * state event before the response.
   */
  private waitForOutput(kind: OutputKind, targets: readonly ObsOutputState[]) {
    let stop = () => undefined as void;
    const promise = new Promise<ObsOutputState | undefined>((resolve, reject) => {
      let hasMoved = false;
      const timer = setTimeout(() => {
        stop();
        resolve(undefined);
      }, this.options.outputSettleMs);
      const unsubscribe = this.onStateChange((s) => {
        if (s.connection.status !== 'connected') {
          stop();
          reject(new StudioError('obs/closed', 'The connection to OBS closed.'));
          return;
        }
        const now = s[kind].state;
        if (now === 'starting' || now === 'stopping') hasMoved = true;
        if (targets.includes(now) && (hasMoved || now === targets[0])) {
          stop();
          resolve(now);
        }
      });
      stop = () => {
        clearTimeout(timer);
        unsubscribe();
      };
    });
    return { promise, cancel: () => stop() };
  }

  private async startOutput(
    kind: OutputKind,
    requestType: 'StartStream' | 'StartRecord' | 'StartVirtualCam',
    failCode: ObsErrorCode,
  ): Promise<void> {
    if (!this.isConnected()) throw notConnectedError();
    if (!(await this.untilOutputIdle(kind))) return;
    const settled = this.waitForOutput(kind, ['started', 'stopped']);
    settled.promise.catch(() => undefined);
    try {
      await this.call(requestType);
    } catch (error) {
      settled.cancel();
      if (error instanceof StudioError && error.code === 'obs/output-running') return;
      throw error;
    }
    const final = await settled.promise;
    if (final === 'stopped') {
      throw new StudioError(failCode, `OBS could not start the ${kind} output.`, {
        detail: this.state.obsVersion ?? '',
      });
    }
    if (final === undefined) this.logger.warn(`${kind} still starting`, { ms: this.options.outputSettleMs });
  }

  /**
   * Whether a start should be sent: asks OBS rather than trusting the mirror. OBS sends STOPPED a
   * moment before the output stops calling itself active (5–26 ms on an idle machine), and a start
   * in that moment is taken without an error and does nothing: no event, no output. A mirror read
   * in that moment says "started" while nothing runs. OBS says nothing when the moment ends, so a
   * stopped output that still looks active is asked again every `inactivePollMs`, and so is one a
   * resync found running less than `readSettleMs` ago. No start is sent for an output OBS calls
   * active that the mirror calls running on an event or an older read, or that is still active
   * after `inactiveWaitMs` (an event was missed: the mirror takes OBS's word). One request when the
   * output is long stopped.
   */
  private async untilOutputIdle(kind: OutputKind): Promise<boolean> {
    const deadline = Date.now() + inactiveWaitMs;
    for (;;) {
      const eventsBefore = this.outputEvents[kind];
      const status = await this.call(statusRequests[kind]);
      const quiet = this.outputEvents[kind] === eventsBefore;
      if (!status.outputActive) {
        if (quiet) this.update((s) => void (s[kind].state = reconciledOutputState(s[kind].state, status)));
        return true;
      }
      const readAt = this.runningReadAt[kind];
      const isSettled = readAt === undefined || Date.now() - readAt >= readSettleMs;
      if (this.state[kind].state !== 'stopped' && isSettled) return false;
      if (Date.now() >= deadline) {
        if (quiet) this.update((s) => void (s[kind].state = outputStateOf(status)));
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, inactivePollMs));
    }
  }

  private async stopOutput(
    kind: OutputKind,
    requestType: 'StopStream' | 'StopRecord' | 'StopVirtualCam',
  ): Promise<unknown> {
    if (!this.isConnected()) throw notConnectedError();
    if (this.state[kind].state === 'stopped') return undefined;
    const settled = this.waitForOutput(kind, ['stopped']);
    settled.promise.catch(() => undefined);
    let response: unknown;
    try {
      response = await this.call(requestType);
    } catch (error) {
      settled.cancel();
      if (error instanceof StudioError && error.code === 'obs/output-not-running') return undefined;
      throw error;
    }
    await settled.promise;
    return response;
  }

  /** Saves a custom RTMP destination (key as a secret) and sets it in OBS now or on the next connect. */
  async setStreamDestination(input: { server: string; key?: string | undefined }): Promise<{
    server: string;
    hasKey: boolean;
  }> {
    const live = this.state.stream.state;
    if (this.isConnected() && live !== 'stopped') {
      throw new StudioError('obs/busy-live', 'Stop the stream before changing where it goes.');
    }
    this.store.update({ streamServer: input.server });
    if (input.key !== undefined) this.store.setStreamKey(input.key);
    const destination = { server: input.server, hasKey: this.store.hasStreamKey() };
    this.update((s) => void (s.stream.destination = destination));
    if (this.isConnected()) await this.applyStreamDestination();
    else this.hasPendingDestination = true;
    return destination;
  }

  private async applyStreamDestination(): Promise<void> {
    const { streamServer } = this.store.get();
    if (streamServer === null) return;
    await this.call('SetStreamServiceSettings', {
      streamServiceType: 'rtmp_custom',
      streamServiceSettings: { server: streamServer, key: this.store.streamKey() ?? '', use_auth: false },
    });
    this.hasPendingDestination = false;
  }
}
