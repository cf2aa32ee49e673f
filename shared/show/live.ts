import { z } from 'zod';

import { docIdSchema, productRefSchema } from './ids';

/** A segment as the live show runs it: a snapshot taken when the show started. */
export const liveSegmentSchema = z.object({
  segmentId: docIdSchema,
  productId: productRefSchema.nullable(),
  productName: z.string(),
  presetId: docIdSchema,
  presetName: z.string(),
  obsScene: z.string(),
  plannedSec: z.number().int(),
  host: z.string(),
  guest: z.string(),
  script: z.string(),
  notes: z.string(),
});
export type LiveSegment = z.infer<typeof liveSegmentSchema>;

/** One switch of the show: when the studio switched, and when OBS followed (null while it has not). */
export const liveSwitchSchema = z.object({
  index: z.number().int().min(0),
  at: z.number().int(),
  obsAt: z.number().int().nullable(),
});

/**
 * The show on air. Timers in the UI are computed from `segmentStartedAt`, `startedAt` and the
 * planned durations, so no per-second events are needed.
 */
export const liveStateSchema = z.object({
  runId: docIdSchema,
  rundownId: docIdSchema,
  title: z.string(),
  /** The show as the sales store knows it (analytics opens this). */
  salesShowId: z.string().nullable(),
  salesSegmentId: z.string().nullable(),
  startedAt: z.number().int(),
  index: z.number().int().min(0),
  segmentStartedAt: z.number().int(),
  segments: z.array(liveSegmentSchema).min(1),
  timeline: z.array(liveSwitchSchema),
  obs: z.object({
    /** The scene OBS should show. */
    scene: z.string().nullable(),
    /** Whether OBS shows it (false while OBS is down or catching up). */
    inSync: z.boolean(),
    /** Since when OBS has been behind the studio. */
    behindSince: z.number().int().nullable(),
  }),
});
/** The live show, as pushed with 'show:live-changed'. */
export type LiveState = z.infer<typeof liveStateSchema>;

export const endedShowSchema = z.object({
  runId: docIdSchema,
  rundownId: docIdSchema,
  salesShowId: z.string().nullable(),
  startedAt: z.number().int(),
  endedAt: z.number().int(),
});
/** A show that has just ended; the UI opens its analytics. */
export type EndedShow = z.infer<typeof endedShowSchema>;

export const liveChangedSchema = z.object({
  live: liveStateSchema.nullable(),
  ended: endedShowSchema.nullable(),
});

/** Timers of the live show at `now`, all in ms. */
export interface LiveTiming {
  segmentElapsedMs: number;
  /** Negative once the segment overruns. */
  segmentRemainingMs: number;
  isOverrun: boolean;
  showElapsedMs: number;
  showPlannedMs: number;
  /** How far the show is behind its plan (positive) or ahead (negative), counting the segment on air. */
  showBehindMs: number;
}

/** Computes the timers of the live show at `now`. */
export function liveTiming(
  live: { startedAt: number; segmentStartedAt: number; index: number; segments: readonly { plannedSec: number }[] },
  now: number,
): LiveTiming {
  const segment = live.segments[live.index];
  const plannedMs = (segment?.plannedSec ?? 0) * 1000;
  const segmentElapsedMs = Math.max(0, now - live.segmentStartedAt);
  const showElapsedMs = Math.max(0, now - live.startedAt);
  const plannedBefore = live.segments.slice(0, live.index).reduce((sum, s) => sum + s.plannedSec * 1000, 0);
  // Behind = where we are now minus where the plan says we should be at this point of this segment.
  const expectedElapsed = plannedBefore + Math.min(segmentElapsedMs, plannedMs);
  return {
    segmentElapsedMs,
    segmentRemainingMs: plannedMs - segmentElapsedMs,
    isOverrun: segmentElapsedMs > plannedMs,
    showElapsedMs,
    showPlannedMs: live.segments.reduce((sum, s) => sum + s.plannedSec * 1000, 0),
    showBehindMs: showElapsedMs - expectedElapsed,
  };
}

/** Formats ms as m:ss or h:mm:ss; negative values get a minus sign. */
export function formatClock(ms: number): string {
  const negative = ms < 0;
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const body =
    h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
  return negative ? `-${body}` : body;
}
