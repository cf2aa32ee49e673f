import path from 'node:path';

import { StudioError } from '../../../shared/api/result';
import type { CompositorScene } from '../../../shared/compositor/scene';
import type { EndedShow, LiveSegment, LiveState } from '../../../shared/show/live';
import { liveStateSchema } from '../../../shared/show/live';
import type { Preset } from '../../../shared/show/preset';
import { resolvePreset } from '../../../shared/show/preset';
import type { ShowProduct } from '../../../shared/show/product';
import type { Rundown } from '../../../shared/show/rundown';
import { rundownProblems } from '../../../shared/show/rundown';
import type { Emit } from '../event-bus';
import { readJsonFile, writeFileAtomic } from '../json-file';
import type { Logger } from '../logger';
import { LatestFile } from './latest-file';
import type { ShowLibrary } from './library';
import { newId } from './library';
import type { ObsFollower } from './obs-follower';
import type { ShowObsPort, ShowSalesPort } from './ports';

export interface LiveControllerOptions {
  dataDir: string;
  logger: Logger;
  emit: Emit;
  library: ShowLibrary;
  sales: ShowSalesPort;
  obs: ShowObsPort;
  follower: ObsFollower;
  /** Puts a scene on program (emits 'show:scene-changed'). */
  setScene(scene: CompositorScene): void;
  now?: () => number;
}

/** What a segment goes on air with, fixed when the show starts. */
interface Cue {
  preset: Preset;
  product: ShowProduct | null;
  hostTitle: string;
  guestTitle: string;
}

/**
 * Live mode: one key moves the whole studio. NEXT/BACK switch OBS, the program scene and the
 * sales segment together; presses are handled one at a time, in order. The studio side (program
 * scene, sales segment) never waits for OBS: if OBS is down, it is caught up when it returns, and
 * the timeline records when it followed.
 */
export class LiveController {
  private live: LiveState | null = null;
  private cues: Cue[] = [];
  /** The follower's wish number behind each timeline entry. */
  private timelineSeq: number[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private overrunTimer: NodeJS.Timeout | undefined;
  private readonly file: string;
  private readonly stateFile: LatestFile;
  private readonly runsDir: string;
  private readonly now: () => number;

  constructor(private readonly o: LiveControllerOptions) {
    this.file = path.join(o.dataDir, 'show', 'live.json');
    this.stateFile = new LatestFile(this.file, (error) =>
      o.logger.error('could not save the live show state', { error: String(error) }),
    );
    this.runsDir = path.join(o.dataDir, 'show', 'runs');
    this.now = o.now ?? Date.now;
  }

  get(): LiveState | null {
    return this.live;
  }

  /** Called when the follower's view of OBS changes: stamps the timeline and tells the UI. */
  obsChanged(): void {
    if (this.live === null) return;
    this.live = { ...this.live, timeline: this.stampObs(this.live.timeline), obs: this.o.follower.state() };
    this.publish();
  }

  /** Picks up a show that was on air when the studio last stopped (crash, restart). */
  restore(): void {
    const saved = readJsonFile(this.file, liveStateSchema);
    if (saved === undefined) return;
    const cues: Cue[] = [];
    for (const s of saved.segments) {
      const preset = this.o.library.presets.get(s.presetId);
      if (preset === undefined) return this.o.logger.warn('could not restore the live show: a preset is gone');
      cues.push({ preset, product: null, hostTitle: '', guestTitle: '' });
    }
    this.cues = cues;
    this.live = saved;
    this.timelineSeq = saved.timeline.map(() => 0);
    const seg = saved.segments[saved.index];
    if (seg !== undefined) this.o.follower.want(seg.obsScene);
    this.live = { ...saved, obs: this.o.follower.state() };
    this.armOverrun();
    this.o.logger.info('restored the live show', { runId: saved.runId, index: saved.index });
    this.publish();
  }

  start(rundownId: string, acknowledgeGuard: boolean): Promise<LiveState> {
    return this.serial(async () => {
      if (this.live !== null) throw new StudioError('show/already-live', 'A show is already on air.');
      const rundown = this.o.library.getRundown(rundownId);
      if (rundown.segments.length === 0) throw new StudioError('show/rundown-empty', 'This show has no segments yet.');
      const problem = rundownProblems(rundown)[0];
      if (problem !== undefined) {
        throw new StudioError('show/segment-without-preset', 'A segment has no preset.', {
          params: { index: problem.index + 1 },
        });
      }
      const cues = await this.cue(rundown);
      const findings = await this.o.library.checkRundown(rundown);
      if (findings.length > 0 && !acknowledgeGuard) {
        throw new StudioError('show/guard-hits', 'The text guard found words the Advertising Law forbids.', {
          params: { count: findings.reduce((n, f) => n + f.hits.length, 0) },
        });
      }
      await this.provision(cues);
      const startedAt = this.now();
      let salesShowId: string;
      try {
        const show = await this.o.sales.createShow({
          title: rundown.title.slice(0, 100),
          platforms: rundown.platforms,
          hosts: [...new Set(rundown.segments.map((s) => s.host).filter((h) => h !== ''))].slice(0, 10),
          plannedStart: rundown.plannedStart,
          timeZone: rundown.timeZone,
        });
        salesShowId = show.id;
      } catch (error) {
        throw salesError(error);
      }
      const segments: LiveSegment[] = rundown.segments.map((s, i) => {
        const cue = cues[i]!;
        return {
          segmentId: s.id,
          productId: s.productId,
          productName: cue.product?.name ?? '',
          presetId: cue.preset.id,
          presetName: cue.preset.name,
          obsScene: cue.preset.obsScene,
          plannedSec: s.plannedSec,
          host: s.host,
          guest: s.guest,
          script: s.script,
          notes: s.notes,
        };
      });
      const runId = newId();
      this.cues = cues;
      this.timelineSeq = [];
      this.live = {
        runId,
        rundownId,
        title: rundown.title,
        salesShowId,
        salesSegmentId: null,
        startedAt,
        index: 0,
        segmentStartedAt: startedAt,
        segments,
        timeline: [],
        obs: this.o.follower.state(),
      };
      try {
        await this.switchTo(0, startedAt);
      } catch (error) {
        this.live = null;
        this.o.follower.clear();
        throw error;
      }
      this.o.library.putRundown({
        ...rundown,
        runs: [...rundown.runs, { runId, salesShowId, startedAt, endedAt: null }].slice(-1000),
      });
      this.o.logger.info('show started', { runId, rundownId, segments: segments.length });
      return this.live!;
    });
  }

  next(): Promise<LiveState> {
    return this.serial(async () => {
      const live = this.requireLive();
      if (live.index + 1 >= live.segments.length) {
        throw new StudioError('show/no-next-segment', 'This is the last segment; end the show instead.');
      }
      return this.switchTo(live.index + 1, this.now());
    });
  }

  back(): Promise<LiveState> {
    return this.serial(async () => {
      const live = this.requireLive();
      if (live.index === 0) throw new StudioError('show/no-previous-segment', 'This is the first segment.');
      return this.switchTo(live.index - 1, this.now());
    });
  }

  goto(index: number): Promise<LiveState> {
    return this.serial(async () => {
      const live = this.requireLive();
      if (index >= live.segments.length) {
        throw new StudioError('show/segment-out-of-range', 'There is no such segment.', {
          params: { index: index + 1 },
        });
      }
      return this.switchTo(index, this.now());
    });
  }

  end(): Promise<EndedShow> {
    return this.serial(async () => {
      const live = this.requireLive();
      const endedAt = this.now();
      if (live.salesSegmentId !== null) {
        try {
          await this.o.sales.endSegment(live.salesSegmentId, endedAt);
        } catch (error) {
          throw salesError(error);
        }
      }
      this.clearOverrun();
      this.o.follower.clear();
      const ended: EndedShow = {
        runId: live.runId,
        rundownId: live.rundownId,
        salesShowId: live.salesShowId,
        startedAt: live.startedAt,
        endedAt,
      };
      writeFileAtomic(path.join(this.runsDir, `${live.runId}.json`), JSON.stringify({ ...live, endedAt }, null, 2));
      const rundown = this.o.library.rundowns.get(live.rundownId);
      if (rundown !== undefined) {
        this.o.library.putRundown({
          ...rundown,
          runs: rundown.runs.map((r) => (r.runId === live.runId ? { ...r, endedAt } : r)),
        });
      }
      this.live = null;
      this.cues = [];
      this.stateFile.write('null');
      await this.stateFile.flush();
      this.o.emit('show:live-changed', { live: null, ended });
      this.o.logger.info('show ended', { runId: live.runId, segments: live.timeline.length });
      return ended;
    });
  }

  async close(): Promise<void> {
    this.clearOverrun();
    await this.queue;
    await this.stateFile.flush();
  }

  // ---- internals

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private requireLive(): LiveState {
    if (this.live === null) throw new StudioError('show/not-live', 'No show is on air.');
    return this.live;
  }

  /** Checks every segment can go on air and fixes what it goes on air with. */
  private async cue(rundown: Rundown): Promise<Cue[]> {
    const products = new Map<string, ShowProduct>();
    const cues: Cue[] = [];
    for (const s of rundown.segments) {
      const preset = this.o.library.getPreset(s.presetId!);
      let product: ShowProduct | null = null;
      if (s.productId !== null) {
        product = products.get(s.productId) ?? (await this.o.library.getProduct(s.productId));
        products.set(s.productId, product);
      }
      cues.push({ preset, product, hostTitle: s.hostTitle, guestTitle: s.guestTitle });
    }
    return cues;
  }

  private async provision(cues: Cue[]): Promise<void> {
    if (!this.o.obs.isConnected()) return;
    const scenes = [...new Set(cues.map((c) => c.preset.obsScene))];
    try {
      await this.o.obs.provision(scenes);
    } catch (error) {
      // The show can still run; OBS is caught up once its scenes exist.
      this.o.logger.warn('could not provision the OBS scenes of the show', { error: String(error) });
    }
  }

  /** The product as it is now (price edits during the show count), else as it was at the start. */
  private async freshProduct(cue: Cue, productId: string | null): Promise<ShowProduct | null> {
    if (productId === null) return null;
    try {
      return (await this.o.library.findProduct(productId)) ?? cue.product;
    } catch {
      return cue.product;
    }
  }

  private async switchTo(index: number, at: number): Promise<LiveState> {
    const live = this.requireLive();
    const segment = live.segments[index]!;
    const cue = this.cues[index]!;
    const previousScene = this.o.follower.state().scene;
    // OBS is the slow part (a Cut takes ~44 ms): it goes first and the studio side runs meanwhile.
    const wish = this.o.follower.want(segment.obsScene);
    let salesSegmentId: string;
    let scene: CompositorScene;
    try {
      const [opened, product] = await Promise.all([
        this.o.sales
          .startSegment({
            showId: live.salesShowId!,
            productId: segment.productId,
            host: segment.host,
            guest: segment.guest === '' ? null : segment.guest,
            presetId: segment.presetId,
            startedAt: at,
          })
          .catch((error: unknown) => Promise.reject(salesError(error))),
        this.freshProduct(cue, segment.productId),
      ]);
      salesSegmentId = opened.id;
      scene = resolvePreset(cue.preset, {
        product,
        host: { name: segment.host, title: cue.hostTitle },
        guest: { name: segment.guest, title: cue.guestTitle },
        now: at,
      });
    } catch (error) {
      // All or nothing: sales did not move, so OBS goes back to where it was.
      if (previousScene !== null) this.o.follower.want(previousScene);
      else this.o.follower.clear();
      throw error;
    }
    this.o.setScene(scene);
    this.timelineSeq.push(wish.seq);
    const timeline = [...live.timeline, { index, at, obsAt: null }].slice(-1000);
    this.timelineSeq = this.timelineSeq.slice(-1000);
    this.live = {
      ...live,
      index,
      segmentStartedAt: at,
      salesSegmentId,
      timeline: this.stampObs(timeline),
      obs: this.o.follower.state(),
    };
    this.armOverrun();
    this.publish();
    return this.live;
  }

  /** Stamps `obsAt` on switches OBS has now carried out (a later switch carries out earlier ones). */
  private stampObs(timeline: LiveState['timeline']): LiveState['timeline'] {
    const { appliedSeq, appliedAt } = this.o.follower;
    if (appliedAt === null) return timeline;
    return timeline.map((entry, i) =>
      entry.obsAt === null && (this.timelineSeq[i] ?? Infinity) <= appliedSeq ? { ...entry, obsAt: appliedAt } : entry,
    );
  }

  private publish(): void {
    const live = this.live;
    if (live === null) return;
    this.o.emit('show:live-changed', { live, ended: null });
    // Kept for a restart mid-show; written off the NEXT path.
    this.stateFile.write(JSON.stringify(live));
  }

  private armOverrun(): void {
    this.clearOverrun();
    const live = this.live;
    if (live === null) return;
    const segment = live.segments[live.index]!;
    const due = live.segmentStartedAt + segment.plannedSec * 1000 - this.now();
    const { runId, index } = live;
    this.overrunTimer = setTimeout(
      () => {
        this.o.logger.info('segment overran its plan', { index });
        this.o.emit('show:segment-overrun', { runId, index, plannedSec: segment.plannedSec });
      },
      Math.max(0, due),
    );
    this.overrunTimer.unref();
  }

  private clearOverrun(): void {
    if (this.overrunTimer !== undefined) clearTimeout(this.overrunTimer);
    this.overrunTimer = undefined;
  }
}

function salesError(error: unknown): StudioError {
  if (error instanceof StudioError && error.code.startsWith('show/')) return error;
  const detail = error instanceof StudioError ? `${error.code}: ${error.message}` : String(error);
  return new StudioError('show/sales-failed', 'The sales log did not accept the switch; nothing was changed.', {
    detail,
    cause: error,
  });
}
